/*
 * test_export.c: the export formats: their name escaping (every byte,
 * reversible, never a separator), their lines, and the sink that writes
 * them.
 */
#include "custos/custos.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/export.h"
#include "custos/path.h"
#include "custos/sink.h"
#include "custos/xmalloc.h"
#include "util.h"

/* Value of a hex digit of either case, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* strunvis(3) for what the mtree escaper writes: "\ooo" only. */
static void
mtree_unvis(struct cs_buf *out, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			cs_buf_addc(out, s[i]);
			continue;
		}
		assert_true(i + 3 < n + 1);
		assert_true(s[i + 1] >= '0' && s[i + 1] <= '3');
		cs_buf_addc(out, (char)((s[i + 1] - '0') * 64 +
		    (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
		i += 3;
	}
}

/* The body file's unescaping: "\xHH" first, then "%HH" (as mactime). */
static void
body_unescape(struct cs_buf *out, const char *s, size_t n)
{
	struct cs_buf	 mid;
	size_t		 i;

	cs_buf_init(&mid);
	for (i = 0; i < n; i++) {
		if (s[i] == '\\') {
			assert_true(i + 3 < n && s[i + 1] == 'x');
			cs_buf_addc(&mid, (char)(hexval(s[i + 2]) * 16 +
			    hexval(s[i + 3])));
			i += 3;
		} else
			cs_buf_addc(&mid, s[i]);
	}
	for (i = 0; i < mid.len; i++) {
		if (mid.data[i] == '%') {
			assert_true(i + 2 < mid.len);
			cs_buf_addc(out, (char)(hexval(mid.data[i + 1]) * 16 +
			    hexval(mid.data[i + 2])));
			i += 2;
		} else
			cs_buf_addc(out, mid.data[i]);
	}
	cs_buf_release(&mid);
}

typedef void	(*escape_fn)(struct cs_buf *, const void *, size_t);
typedef void	(*unescape_fn)(struct cs_buf *, const char *, size_t);

struct name_case {
	const char	*raw;
	const char	*enc;
};

/*
 * Every byte through ESC: the output is printable ASCII (space only if
 * SPACE_OK) without a byte of FORBIDDEN, and UNESC gives the bytes back.
 */
static void
check_every_byte(escape_fn esc, unescape_fn unesc, int space_ok,
    const char *forbidden)
{
	unsigned char	 all[256];
	struct cs_buf	 enc, dec;
	size_t		 i;

	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	cs_buf_init(&enc);
	cs_buf_init(&dec);
	esc(&enc, all, sizeof all);
	for (i = 0; i < enc.len; i++) {
		assert_true(enc.data[i] >= (space_ok ? 0x20 : 0x21) &&
		    enc.data[i] < 0x7f);
		assert_null(strchr(forbidden, enc.data[i]));
	}
	unesc(&dec, enc.data, enc.len);
	assert_int_equal(dec.len, sizeof all);
	assert_memory_equal(dec.data, all, sizeof all);
	cs_buf_release(&enc);
	cs_buf_release(&dec);
}

/* Each case's raw name through ESC gives its expected escaping. */
static void
check_cases(escape_fn esc, const struct name_case *cases, size_t n)
{
	struct cs_buf	 b;
	size_t		 i;

	cs_buf_init(&b);
	for (i = 0; i < n; i++) {
		cs_buf_reset(&b);
		esc(&b, cases[i].raw, strlen(cases[i].raw));
		assert_string_equal(cs_buf_str(&b), cases[i].enc);
	}
	cs_buf_release(&b);
}

static void
test_mtree_name_every_byte(void **state)
{
	(void)state;
	check_every_byte(cs_export_mtree_name, mtree_unvis, 0, "#=*?[]");
}

static void
test_mtree_name_hostile(void **state)
{
	static const struct name_case cases[] = {
		{ "/etc/passwd", "/etc/passwd" },
		{ "/a b", "/a\\040b" },
		{ "/new\nline", "/new\\012line" },
		{ "/tab\t", "/tab\\011" },
		{ "/back\\slash", "/back\\134slash" },
		{ "/caf\xe9", "/caf\\351" },
		{ "/#comment", "/\\043comment" },
		{ "/glob*?[x]", "/glob\\052\\077\\133x\\135" },
		{ "/k=v", "/k\\075v" },
	};

	(void)state;
	check_cases(cs_export_mtree_name, cases, CS_NELEM(cases));
}

static void
test_body_name_every_byte(void **state)
{
	(void)state;
	check_every_byte(cs_export_body_name, body_unescape, 1, "|");
}

static void
test_body_name_hostile(void **state)
{
	static const struct name_case cases[] = {
		{ "/a b", "/a b" },
		{ "/pipe|x", "/pipe%7Cx" },
		{ "/50%", "/50%25" },
		{ "/new\nline", "/new\\x0aline" },
		{ "/back\\x0a", "/back%5Cx0a" },
		{ "/caf\xe9", "/caf%E9" },
		{ "/esc\033[1m", "/esc\\x1b[1m" },
	};

	(void)state;
	check_cases(cs_export_body_name, cases, CS_NELEM(cases));
}

static void
test_body_mode(void **state)
{
	static const struct {
		enum cs_type	 type;
		uint32_t	 mode;
		const char	*str;
	} cases[] = {
		{ CS_T_FILE, 0644, "r/rrw-r--r--" },
		{ CS_T_DIR, 0755, "d/drwxr-xr-x" },
		{ CS_T_LINK, 0777, "l/lrwxrwxrwx" },
		{ CS_T_FIFO, 0600, "p/prw-------" },
		{ CS_T_FILE, 04755, "r/rrwsr-xr-x" },
		{ CS_T_FILE, 06644, "r/rrwSr-Sr--" },
		{ CS_T_DIR, 01777, "d/drwxrwxrwt" },
		{ CS_T_DIR, 01770, "d/drwxrwx--T" },
		{ CS_T_CHAR, 0666, "c/crw-rw-rw-" },
	};
	struct cs_entry	 e;
	struct cs_buf	 b;
	size_t		 i;

	(void)state;
	cs_buf_init(&b);
	memset(&e, 0, sizeof e);
	for (i = 0; i < CS_NELEM(cases); i++) {
		cs_buf_reset(&b);
		e.type = cases[i].type;
		e.mode = cases[i].mode;
		cs_export_body_mode(&b, &e);
		assert_string_equal(cs_buf_str(&b), cases[i].str);
	}
	cs_buf_release(&b);
}

/* A regular file "/dir/a|b\n" with a SHA-256 digest of 0x11 bytes. */
static struct cs_entry *
file_entry(void)
{
	struct cs_entry	*e = cs_entry_new();

	cs_entry_set_path(e, "/dir/a|b\n", 9);
	e->type = CS_T_FILE;
	e->mode = 0644;
	e->uid = 1000;
	e->gid = 100;
	e->size = 42;
	e->mtime.sec = 1700000000;
	e->mtime.nsec = 5;
	e->ctime.sec = 1700000100;
	e->ino = 77;
	e->nlink = 2;
	e->have = CS_F_INO | CS_F_NLINK | CS_F_CTIME;
	e->digests = 1U << CS_D_SHA256;
	memset(e->digest[CS_D_SHA256], 0x11, 32);
	return e;
}

static void
test_body_line(void **state)
{
	struct cs_entry	*e = file_entry();
	struct cs_buf	 b;

	(void)state;
	cs_buf_init(&b);
	cs_export_body_line(&b, e, -1);
	assert_string_equal(cs_buf_str(&b), "0|/dir/a%7Cb\\x0a|77|"
	    "r/rrw-r--r--|1000|100|42|0|1700000000|1700000100|0\n");
	/* the digest asked for fills the first column */
	cs_buf_reset(&b);
	cs_export_body_line(&b, e, CS_D_SHA256);
	assert_int_equal(strncmp(cs_buf_str(&b),
	    "1111111111111111111111111111111111111111111111111111111111111111|",
	    65), 0);
	/* one the record lacks is 0; unknown inode and ctime are 0 */
	cs_buf_reset(&b);
	e->have = 0;
	cs_export_body_line(&b, e, CS_D_SHA512);
	assert_string_equal(cs_buf_str(&b), "0|/dir/a%7Cb\\x0a|0|"
	    "r/rrw-r--r--|1000|100|42|0|1700000000|0|0\n");
	/* the birth time is crtime */
	cs_buf_reset(&b);
	e->have = CS_F_BTIME;
	e->btime.sec = 1600000000;
	cs_export_body_line(&b, e, -1);
	assert_string_equal(cs_buf_str(&b), "0|/dir/a%7Cb\\x0a|0|"
	    "r/rrw-r--r--|1000|100|42|0|1700000000|0|1600000000\n");
	cs_buf_release(&b);
	cs_entry_free(e);
}

static void
test_mtree_line(void **state)
{
	struct cs_entry	*e = file_entry();
	struct cs_buf	 b;

	(void)state;
	cs_buf_init(&b);
	e->user = cs_xstrdup("a b");
	e->have |= CS_F_IFLAGS;
	e->iflags = 0x10 | 0x80000;	/* immutable, extents */
	e->digests |= 1U << CS_D_SHA3_256;
	cs_export_mtree_line(&b, e);
	assert_string_equal(cs_buf_str(&b), "./dir/a|b\\012 type=file "
	    "mode=0644 uid=1000 gid=100 uname=a\\040b nlink=2 size=42 "
	    "time=1700000000.000000005 flags=schg sha256digest="
	    "1111111111111111111111111111111111111111111111111111111111111111"
	    "\n");
	cs_buf_reset(&b);
	cs_entry_clear(e);
	cs_entry_set_path(e, "/", 1);
	e->type = CS_T_DIR;
	e->mode = 0755;
	e->have = CS_F_IFLAGS;
	cs_export_mtree_line(&b, e);
	assert_string_equal(cs_buf_str(&b), ". type=dir mode=0755 uid=0 "
	    "gid=0 time=0.000000000 flags=none\n");
	cs_buf_reset(&b);
	cs_entry_set_path(e, "/l", 2);
	e->type = CS_T_LINK;
	e->have = 0;
	cs_entry_set_target(e, "t #", 3);
	cs_export_mtree_line(&b, e);
	assert_string_equal(cs_buf_str(&b), "./l type=link mode=0755 uid=0 "
	    "gid=0 time=0.000000000 link=t\\040\\043\n");
	cs_buf_release(&b);
	cs_entry_free(e);
}

static void
test_json_line(void **state)
{
	struct cs_entry	*e = file_entry();
	struct cs_buf	 b;
	const char	*pre;
	size_t		 i;

	(void)state;
	cs_buf_init(&b);
	cs_entry_add_error(e, "cannot read: %s", "I/O error");
	cs_export_json_line(&b, e);
	pre = "{\"path\":\"/dir/a|b\\\\x0a\",\"type\":\"file\",";
	assert_int_equal(strncmp(cs_buf_str(&b), pre, strlen(pre)), 0);
	assert_non_null(strstr(cs_buf_str(&b), "\"ino\":77,\"nlink\":2"));
	assert_non_null(strstr(cs_buf_str(&b),
	    ",\"error\":\"cannot\\\\x20read:"));
	/* one line, ASCII */
	for (i = 0; i + 1 < b.len; i++)
		assert_true(b.data[i] >= 0x20 && b.data[i] < 0x7f);
	assert_int_equal(b.data[b.len - 1], '\n');
	assert_string_equal(b.data + b.len - 3, "\"}\n");
	cs_buf_release(&b);
	cs_entry_free(e);
}

static void
test_lookup(void **state)
{
	(void)state;
	assert_int_equal(cs_export_lookup("mtree"), CS_EXPORT_MTREE);
	assert_int_equal(cs_export_lookup("bodyfile"), CS_EXPORT_BODYFILE);
	assert_int_equal(cs_export_lookup("json"), CS_EXPORT_JSON);
	assert_int_equal(cs_export_lookup("csv"), -1);
	assert_int_equal(cs_export_lookup(""), -1);
}

/* Run the sink of format F over two records into FD. */
static int
run_sink(enum cs_export_format f, int fd, unsigned digests,
    struct cs_err *err)
{
	struct cs_export_opts	 o;
	struct cs_sink		*s;
	struct cs_entry		*e;
	int			 rc = -1;

	memset(&o, 0, sizeof o);
	o.fd = fd;
	o.name = "out";
	o.digests = digests;
	o.body_digest = -1;
	s = cs_sink_export(f, &o);
	if (cs_sink_begin(s, err) != 0)
		goto out;
	e = cs_entry_new();
	cs_entry_set_path(e, "/", 1);
	e->type = CS_T_DIR;
	e->mode = 0755;
	if (cs_sink_add(s, e, NULL, err) != 0 ||
	    cs_sink_add(s, file_entry(), NULL, err) != 0 ||
	    cs_sink_finish(s, err) != 0)
		goto out;
	rc = 0;
out:
	cs_sink_free(s);
	return rc;
}

static void
test_sink_writes_lines(void **state)
{
	struct cs_err	 err;
	char		*path, *got;
	size_t		 n;
	int		 fd;

	(void)state;
	cs_err_init(&err);
	path = cs_test_path("spec");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(run_sink(CS_EXPORT_MTREE, fd, 0, &err), 0);
	close(fd);
	got = cs_test_read(path, &n);
	assert_non_null(got);
	assert_int_equal(strncmp(got, "#mtree v2.0\n. type=dir ", 23), 0);
	assert_non_null(strstr(got, "\n./dir/a|b\\012 type=file "));
	/* digests not asked for are dropped */
	assert_null(strstr(got, "digest="));
	free(got);
	free(path);
	cs_err_release(&err);
}

static void
test_sink_write_error(void **state)
{
	struct cs_err	 err;
	int		 fd;

	(void)state;
	cs_err_init(&err);
	fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		skip();
	assert_int_equal(run_sink(CS_EXPORT_JSON, fd, ~0U, &err), -1);
	assert_int_equal(err.code, CS_EXIT_IOERR);
	assert_non_null(strstr(err.msg, "cannot write 'out'"));
	close(fd);
	cs_err_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mtree_name_every_byte),
		cmocka_unit_test(test_mtree_name_hostile),
		cmocka_unit_test(test_body_name_every_byte),
		cmocka_unit_test(test_body_name_hostile),
		cmocka_unit_test(test_body_mode),
		cmocka_unit_test(test_body_line),
		cmocka_unit_test(test_mtree_line),
		cmocka_unit_test(test_json_line),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test_setup_teardown(test_sink_writes_lines,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test(test_sink_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
