/*
 * test_baseline.c: the baseline record format and the file reader.
 *
 * Round trips of fully populated records, a table of malformed records
 * (one rejection each), and whole files with a correct trailer but bad
 * content (order, duplicates), or with a bad trailer.
 */
#include "custos/custos.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/xmalloc.h"
#include "util.h"

#define HDR	CS_BL_MAGIC "\n#created=2026-01-01T00:00:00Z\n#host=h\n" \
		"#root=/r\n#digests=sha256\n#tool=custos/test\n"
#define ROOT	"/ type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000\n"
#define EMPTY	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static struct cs_entry *
full_entry(void)
{
	struct cs_entry	*e;
	int		 d;

	e = cs_entry_new();
	cs_entry_set_path(e, "/odd name\n\xff\033[0m", 15);
	e->type = CS_T_FILE;
	e->mode = 04755;
	e->uid = 1000;
	e->gid = 4294967295U;
	e->user = strdup("alice");
	e->group = strdup("gr oup");
	e->size = UINT64_MAX;
	e->mtime.sec = -5;
	e->mtime.nsec = 999999999;
	e->ctime.sec = 1700000000;
	e->ctime.nsec = 1;
	e->btime.sec = -1;
	e->btime.nsec = 250000000;
	e->ino = 42;
	e->nlink = 3;
	e->have = CS_F_CTIME | CS_F_BTIME | CS_F_INO | CS_F_NLINK |
	    CS_F_IFLAGS;
	e->acl = strdup("user::rwx,user:1000:r--,group::r-x,mask::r-x,"
	    "other::r-x");
	e->caps = strdup("cap_net_raw=ep");
	e->iflags = 0x80010;
	for (d = 0; d < CS_D_COUNT; d++) {
		memset(e->digest[d], 0xa0 + d, CS_DIGEST_MAXLEN);
		e->digests |= 1U << d;
	}
	cs_entry_add_xattr(e, "security.capability", "\x01\0\0\x02", 4);
	cs_entry_add_xattr(e, "user.empty", "", 0);
	cs_entry_add_xattr(e, "user.k=v", "a b=c", 5);
	cs_entry_sort_xattrs(e);
	e->error = strdup("changed while being read");
	return e;
}

static void
test_format_parse_round_trip(void **state)
{
	struct cs_entry	*e, *back;
	struct cs_buf	 a, b;
	const char	*why = NULL;

	(void)state;
	e = full_entry();
	back = cs_entry_new();
	cs_buf_init(&a);
	cs_buf_init(&b);
	cs_bl_format(&a, e);
	assert_true(a.len > 0 && a.data[a.len - 1] == '\n');
	assert_null(memchr(a.data, '\t', a.len));
	assert_int_equal(cs_bl_parse(a.data, a.len - 1, back, &why), 0);
	assert_int_equal(back->pathlen, e->pathlen);
	assert_memory_equal(back->path, e->path, e->pathlen);
	assert_int_equal(back->mode, 04755);
	assert_int_equal(back->size, UINT64_MAX);
	assert_int_equal(back->mtime.sec, -5);
	assert_non_null(strstr(cs_buf_str(&a), " ctime=1700000000.000000001 "
	    "btime=-1.250000000 ino=42 "));
	assert_true(back->have & CS_F_BTIME);
	assert_int_equal(back->btime.sec, -1);
	assert_int_equal(back->btime.nsec, 250000000);
	assert_int_equal(back->nxattrs, 3);
	assert_int_equal(back->xattrs[0].len, 4);
	assert_memory_equal(back->xattrs[0].value, "\x01\0\0\x02", 4);
	cs_bl_format(&b, back);
	assert_string_equal(cs_buf_str(&a), cs_buf_str(&b));
	cs_buf_release(&a);
	cs_buf_release(&b);
	cs_entry_free(e);
	cs_entry_free(back);
}

static void
test_parse_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"/a",
		"a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000",
		"/a/ type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000",
		"/a/../b type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000",
		"/a type=blob mode=0644 uid=0 gid=0 size=0 mtime=1.000000000",
		"/a type=file mode=644 uid=0 gid=0 size=0 mtime=1.000000000",
		"/a type=file mode=0648 uid=0 gid=0 size=0 mtime=1.000000000",
		"/a type=file mode=0644 uid=00 gid=0 size=0 mtime=1.000000000",
		"/a type=file mode=0644 uid=4294967296 gid=0 size=0 "
		    "mtime=1.000000000",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.00000000",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=-0.000000000",
		"/a type=file mode=0644 uid=0 gid=0 size=0",
		"/a mode=0644 type=file uid=0 gid=0 size=0 mtime=1.000000000",
		"/a type=file type=file mode=0644 uid=0 gid=0 size=0 "
		    "mtime=1.000000000",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "bogus=1",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "btime=1.5",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "ino=1 btime=1.000000000",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "sha256=" EMPTY "0",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "sha256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
		"/a type=link mode=0777 uid=0 gid=0 size=0 mtime=1.000000000",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "target=x",
		"/a type=char mode=0644 uid=0 gid=0 size=0 mtime=1.000000000",
		"/a type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "sha256=" EMPTY,
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "xattr.user.b=1 xattr.user.a=2",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "xattr.user.a=1 xattr.user.a=1",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "user=\\x41",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "user=",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "user=a\\x00b",
		"/a type=none mode=0644 uid=0 gid=0 size=0 mtime=1.000000000",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "iflags=010",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "iflags=100000000",
		"/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		    "error",
	};
	struct cs_entry	*e;
	const char	*why;
	size_t		 i;

	(void)state;
	e = cs_entry_new();
	for (i = 0; i < CS_NELEM(bad); i++) {
		why = NULL;
		if (cs_bl_parse(bad[i], strlen(bad[i]), e, &why) == 0)
			fail_msg("accepted malformed record %zu: %s", i, bad[i]);
		assert_non_null(why);
	}
	cs_entry_free(e);
}

/* Write HDR + BODY + a correct "#end" trailer to TMP/NAME. */
static char *
write_baseline(const char *name, const char *body, uint64_t records)
{
	struct cs_buf	 b;
	unsigned char	 sha[32];
	char		 hex[65];
	unsigned int	 len;

	cs_buf_init(&b);
	cs_buf_adds(&b, HDR);
	cs_buf_adds(&b, body);
	EVP_Digest(b.data, b.len, sha, &len, EVP_sha256(), NULL);
	cs_hex(sha, 32, hex);
	cs_buf_printf(&b, "#end records=%llu errors=0 sha256=%s\n",
	    (unsigned long long)records, hex);
	assert_int_equal(cs_test_write(name, b.data, b.len), 0);
	cs_buf_release(&b);
	return cs_test_path(name);
}

/* Read a whole baseline; returns the cs_err code (0 if it was fine). */
static int
read_baseline(const char *path, uint64_t *nrec)
{
	struct cs_err	 err;
	struct cs_blr	*r;
	struct cs_entry	*e;
	int		 n, code;

	cs_err_init(&err);
	*nrec = 0;
	r = cs_blr_open(path, &err);
	if (r == NULL) {
		code = err.code;
		cs_err_release(&err);
		return code;
	}
	while ((n = cs_blr_next(r, &e, &err)) == 1) {
		(*nrec)++;
		cs_entry_free(e);
	}
	code = n < 0 ? err.code : 0;
	cs_blr_close(r);
	cs_err_release(&err);
	return code;
}

/* Read a whole baseline; its error message (heap), or NULL if it was fine. */
static char *
read_baseline_msg(const char *path)
{
	struct cs_err	 err;
	struct cs_blr	*r;
	struct cs_entry	*e;
	char		*msg = NULL;
	int		 n;

	cs_err_init(&err);
	r = cs_blr_open(path, &err);
	if (r != NULL) {
		while ((n = cs_blr_next(r, &e, &err)) == 1)
			cs_entry_free(e);
		cs_blr_close(r);
		if (n == 0)
			return NULL;
	}
	msg = cs_xstrdup(err.msg != NULL ? err.msg : "?");
	cs_err_release(&err);
	return msg;
}

/*
 * The reader's byte test works on eight bytes at a time: a bad byte or a
 * double space at every offset of a line (names of eight lengths put
 * each space at every alignment, so pairs straddle word boundaries too)
 * is refused for that reason, and every printable byte is accepted.
 */
static void
test_reader_rejects_bad_byte_anywhere(void **state)
{
	static const char fields[] = " type=dir mode=0755 uid=0 gid=0 "
	    "size=0 mtime=1.000000000";
	static const unsigned char badbytes[] = {
		0x01, '\t', 0x1f, 0x7f, 0x80, 0xc3, 0xff
	};
	struct cs_buf	 body, line;
	char		*p, *msg, *rec;
	size_t		 i, k, w, len;
	unsigned	 c;

	(void)state;
	cs_buf_init(&body);
	cs_buf_init(&line);
	for (w = 1; w <= 8; w++) {
		cs_buf_reset(&line);
		cs_buf_addc(&line, '/');
		for (i = 0; i < w; i++)
			cs_buf_addc(&line, 'a');
		cs_buf_adds(&line, fields);
		len = line.len;
		rec = cs_xmalloc(len + 2);
		for (i = 0; i <= len; i++) {
			for (k = 0; k <= CS_NELEM(badbytes); k++) {
				memcpy(rec, line.data, len + 1);
				if (k < CS_NELEM(badbytes) && i < len)
					rec[i] = (char)badbytes[k];
				else if (k == CS_NELEM(badbytes) && i == len)
					memcpy(rec + len, " ", 2);
				else if (k == CS_NELEM(badbytes) &&
				    line.data[i] == ' ')
					memmove(rec + i + 1, line.data + i,
					    len - i + 1);
				else
					continue;
				cs_buf_reset(&body);
				cs_buf_adds(&body, ROOT);
				cs_buf_adds(&body, rec);
				cs_buf_addc(&body, '\n');
				p = write_baseline("bad", body.data, 2);
				msg = read_baseline_msg(p);
				if (msg == NULL || strstr(msg,
				    "bad byte or spacing") == NULL)
					fail_msg("name length %zu, offset %zu, "
					    "case %zu: %s", w, i, k,
					    msg != NULL ? msg : "accepted");
				free(msg);
				free(p);
			}
		}
		free(rec);
	}
	/* every byte 0x21-0x7e but '/', '=' and '\\' in a name is fine */
	cs_buf_reset(&body);
	cs_buf_adds(&body, ROOT "/");
	for (c = 0x21; c < 0x7f; c++) {
		if (c != '/' && c != '=' && c != '\\')
			cs_buf_addc(&body, (char)c);
	}
	cs_buf_adds(&body, fields);
	cs_buf_addc(&body, '\n');
	p = write_baseline("good", body.data, 2);
	msg = read_baseline_msg(p);
	if (msg != NULL)
		fail_msg("printable name refused: %s", msg);
	free(p);
	cs_buf_release(&line);
	cs_buf_release(&body);
}

static void
test_reader_accepts_good_file(void **state)
{
	uint64_t	 n;
	char		*p;

	(void)state;
	p = write_baseline("good", ROOT "/a type=file mode=0644 uid=0 gid=0 "
	    "size=0 mtime=1.000000000 sha256=" EMPTY "\n"
	    "/a/b type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000\n"
	    "/a-b type=fifo mode=0644 uid=0 gid=0 size=0 mtime=1.000000000\n",
	    4);
	assert_int_equal(read_baseline(p, &n), 0);
	assert_int_equal(n, 4);
	free(p);
}

static void
test_reader_rejects_bad_files(void **state)
{
	static const struct {
		const char	*body;
		uint64_t	 records;
		int		 code;
	} cases[] = {
		/* out of canonical order: /a-b before /a/b */
		{ ROOT "/a type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000\n"
		  "/a-b type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000\n"
		  "/a/b type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000\n",
		  4, CS_EXIT_DATAERR },
		/* duplicate */
		{ ROOT "/a type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000\n"
		  "/a type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000\n",
		  3, CS_EXIT_DATAERR },
		/* first record is not the root */
		{ "/a type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000\n",
		  1, CS_EXIT_DATAERR },
		/* record count does not match the trailer */
		{ ROOT, 2, CS_EXIT_INTEGRITY },
		/* a file without the header's digest */
		{ ROOT "/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000\n",
		  2, CS_EXIT_DATAERR },
		/* a digest the header does not list */
		{ ROOT "/a type=file mode=0644 uid=0 gid=0 size=0 mtime=1.000000000 "
		  "sha256=" EMPTY " sha3-256=" EMPTY "\n", 2, CS_EXIT_DATAERR },
		/* double space */
		{ ROOT "/a  type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000\n",
		  2, CS_EXIT_DATAERR },
		/* a raw control byte */
		{ ROOT "/a\x01 type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000\n",
		  2, CS_EXIT_DATAERR },
	};
	uint64_t	 n;
	size_t		 i;
	char		*p;

	(void)state;
	for (i = 0; i < CS_NELEM(cases); i++) {
		p = write_baseline("bad", cases[i].body, cases[i].records);
		if (read_baseline(p, &n) != cases[i].code)
			fail_msg("case %zu: wanted code %d", i, cases[i].code);
		free(p);
	}
}

static void
test_reader_detects_tampering_and_truncation(void **state)
{
	uint64_t	 n;
	size_t		 len, i;
	char		*p, *data;
	int		 code;

	(void)state;
	p = write_baseline("t", ROOT "/a type=file mode=0644 uid=0 gid=0 "
	    "size=0 mtime=1.000000000 sha256=" EMPTY "\n", 2);
	data = cs_test_read(p, &len);
	assert_non_null(data);
	/* change one character of the record: digest mismatch */
	data[strlen(HDR) + strlen(ROOT) + 1] = 'b';
	assert_int_equal(cs_test_write("t", data, len), 0);
	assert_int_equal(read_baseline(p, &n), CS_EXIT_INTEGRITY);
	/* every truncation is rejected */
	data[strlen(HDR) + strlen(ROOT) + 1] = 'a';
	for (i = 0; i < len; i++) {
		assert_int_equal(cs_test_write("t", data, i), 0);
		code = read_baseline(p, &n);
		if (code == 0)
			fail_msg("truncation to %zu bytes accepted", i);
	}
	assert_int_equal(cs_test_write("t", data, len), 0);
	assert_int_equal(read_baseline(p, &n), 0);
	free(data);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse_round_trip),
		cmocka_unit_test(test_parse_rejects_malformed),
		cmocka_unit_test_setup_teardown(test_reader_accepts_good_file,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(test_reader_rejects_bad_files,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(
		    test_reader_rejects_bad_byte_anywhere,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(
		    test_reader_detects_tampering_and_truncation,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
