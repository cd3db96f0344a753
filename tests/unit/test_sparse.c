/*
 * test_sparse.c: the zero-run digest (sha256z): known answers, the same
 * value however the content is cut and whether zeros are fed or left
 * out, offsets that go back refused; the digest of a real sparse file
 * through its extents; zero bytes fed without reading; the baseline
 * field; and the comparison of sha256z in a check.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/policy.h"
#include "custos/readahead.h"
#include "custos/xmalloc.h"
#include "util.h"

#define KV_SIZE	10000

/* sha256z by the reference snippet of custos-baseline(5). */
static const char kv_two_runs[] =	/* data runs [0,4096) [8192,10000) */
    "2258a1db9910a09ed9e0c11a334c80421b133c6b22ccc45d579a3e8b7b8e3a86";
static const char kv_one_run[] =	/* the same, a byte at 4200 too */
    "c1a562e9982ccac9052523c5b4d5263117c26c1e13a248d3df41af310c7be83d";
static const char kv_empty[] =
    "af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc";
static const char kv_zeros_8192[] =
    "20229cc185e48c4102a795a3f2bc7b87d24a8eacc1bc479a196641d83ce8c8e3";

/* 'a' at 0..99, 'b' at 9000..9999, zeros elsewhere (and 1 at 4200). */
static void
kv_content(unsigned char *p, int byte4200)
{
	memset(p, 0, KV_SIZE);
	memset(p, 'a', 100);
	memset(p + 9000, 'b', 1000);
	if (byte4200)
		p[4200] = 1;
}

/* sha256z of P (SIZE bytes) fed in pieces of STEP, zeros left out. */
static void
zhash_pieces(const unsigned char *p, size_t size, size_t step, int skip,
    char *hex)
{
	struct cs_zhasher	*z;
	unsigned char		 out[CS_ZDIGEST_LEN];
	size_t			 off, k, i;

	z = cs_zhasher_new();
	assert_non_null(z);
	cs_zhasher_begin(z, size);
	for (off = 0; off < size; off += k) {
		k = size - off < step ? size - off : step;
		for (i = 0; skip && i < k && p[off + i] == 0; i++)
			;
		if (i == k)
			continue;		/* a piece of zeros: a hole */
		assert_int_equal(cs_zhasher_update(z, off, p + off, k), 0);
	}
	cs_zhasher_end(z, out);
	cs_zhasher_free(z);
	cs_hex(out, sizeof out, hex);
}

static void
test_known_answers(void **state)
{
	static const size_t	 steps[] = { 1, 7, 100, 4095, 4096, 4097,
	    5000, 8192, KV_SIZE };
	unsigned char		 p[KV_SIZE];
	char			 hex[2 * CS_ZDIGEST_LEN + 1];
	size_t			 i;
	int			 skip;

	(void)state;
	kv_content(p, 0);
	for (i = 0; i < CS_NELEM(steps); i++) {
		for (skip = 0; skip < 2; skip++) {
			zhash_pieces(p, KV_SIZE, steps[i], skip, hex);
			assert_string_equal(hex, kv_two_runs);
		}
	}
	kv_content(p, 1);
	zhash_pieces(p, KV_SIZE, 333, 1, hex);
	assert_string_equal(hex, kv_one_run);
	zhash_pieces(p, 0, 1, 0, hex);
	assert_string_equal(hex, kv_empty);
	memset(p, 0, 8192);
	zhash_pieces(p, 8192, 8192, 0, hex);
	assert_string_equal(hex, kv_zeros_8192);
	zhash_pieces(p, 8192, 8192, 1, hex);
	assert_string_equal(hex, kv_zeros_8192);
}

static void
test_offsets_only_grow(void **state)
{
	struct cs_zhasher	*z;
	unsigned char		 b[16] = { 1 };

	(void)state;
	z = cs_zhasher_new();
	cs_zhasher_begin(z, 100);
	assert_int_equal(cs_zhasher_update(z, 50, b, sizeof b), 0);
	assert_int_equal(cs_zhasher_update(z, 60, b, sizeof b), -1);
	assert_int_equal(cs_zhasher_update(z, 90, b, sizeof b), -1);
	assert_int_equal(cs_zhasher_update(z, 84, b, sizeof b), 0);
	cs_zhasher_free(z);
}

static void
test_wanted_threshold(void **state)
{
	(void)state;
	assert_false(cs_zdigest_wanted(CS_ZDIGEST_MIN - 1, 0));
	assert_true(cs_zdigest_wanted(CS_ZDIGEST_MIN, 0));
	assert_true(cs_zdigest_wanted(CS_ZDIGEST_MIN, CS_ZDIGEST_MIN / 2));
	assert_false(cs_zdigest_wanted(CS_ZDIGEST_MIN,
	    CS_ZDIGEST_MIN / 2 + 1));
	assert_true(cs_zdigest_wanted(1ULL << 40, 1 << 20));
}

/* Zeros fed without reading equal zeros fed as bytes. */
static void
test_hasher_zeros(void **state)
{
	unsigned char		 a[CS_D_COUNT][CS_DIGEST_MAXLEN];
	unsigned char		 b[CS_D_COUNT][CS_DIGEST_MAXLEN];
	unsigned char		*zero;
	struct cs_hasher	*h;
	size_t			 n = 200000;

	(void)state;
	zero = cs_xcalloc(1, n);
	h = cs_hasher_new(CS_DIGEST_DEFAULT, 4096);
	cs_hasher_begin(h);
	cs_hasher_update(h, "x", 1);
	cs_hasher_zeros(h, n);
	cs_hasher_end(h, a);
	cs_hasher_begin(h);
	cs_hasher_update(h, "x", 1);
	cs_hasher_update(h, zero, n);
	cs_hasher_end(h, b);
	assert_memory_equal(a[CS_D_SHA256], b[CS_D_SHA256], 32);
	cs_hasher_free(h);
	free(zero);
}

/* A file with holes: digested through its extents as the content says. */
static void
test_sparse_file_extents(void **state)
{
	struct cs_readahead_segs sg = { NULL, 0, 0 };
	struct cs_entry	 e;
	struct stat	 st;
	unsigned char	 p[KV_SIZE], out[CS_ZDIGEST_LEN], buf[512];
	char		 hex[2 * CS_ZDIGEST_LEN + 1], *path;
	uint64_t	 n;
	int		 fd;

	(void)state;
	kv_content(p, 0);
	path = cs_test_path("sparse");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, p, 100, 0), 100);
	assert_int_equal(pwrite(fd, p + 9000, 1000, 9000), 1000);
	assert_int_equal(fstat(fd, &st), 0);
	memset(&e, 0, sizeof e);
	e.size = (uint64_t)st.st_size;
	e.blocks = (uint64_t)st.st_blocks;
	(void)cs_readahead_extents(&sg, &e, fd);
	assert_int_equal(cs_readahead_zdigest(fd, &sg, e.size, buf,
	    sizeof buf, out, &n), 0);
	assert_int_equal(n, cs_readahead_datalen(&sg));
	cs_hex(out, sizeof out, hex);
	assert_string_equal(hex, kv_two_runs);
	/* shrunk under the extents: fewer bytes than the extents hold */
	assert_int_equal(ftruncate(fd, 5000), 0);
	assert_int_equal(cs_readahead_zdigest(fd, &sg, e.size, buf,
	    sizeof buf, out, &n), 0);
	assert_true(n < cs_readahead_datalen(&sg));
	close(fd);
	free(sg.v);
	free(path);
}

static void
test_baseline_field(void **state)
{
	static const char *const bad[] = {
		/* both forms */
		"/f type=file mode=0644 uid=0 gid=0 size=4294967296"
		    " mtime=1.000000000 sha256=2258a1db9910a09ed9e0c11a334c8"
		    "0421b133c6b22ccc45d579a3e8b7b8e3a86 sha256z=2258a1db9910a0"
		    "9ed9e0c11a334c80421b133c6b22ccc45d579a3e8b7b8e3a86",
		/* below the threshold */
		"/f type=file mode=0644 uid=0 gid=0 size=4294967295"
		    " mtime=1.000000000 sha256z=2258a1db9910a09ed9e0c11a334c8"
		    "0421b133c6b22ccc45d579a3e8b7b8e3a86",
		/* not a file */
		"/d type=dir mode=0755 uid=0 gid=0 size=0 mtime=1.000000000"
		    " sha256z=2258a1db9910a09ed9e0c11a334c80421b133c6b22ccc45d"
		    "579a3e8b7b8e3a86",
		/* short, upper case */
		"/f type=file mode=0644 uid=0 gid=0 size=4294967296"
		    " mtime=1.000000000"
		    " sha256z=2258a1db",
		"/f type=file mode=0644 uid=0 gid=0 size=4294967296"
		    " mtime=1.000000000"
		    " sha256z=2258A1DB9910A09ED9E0C11A334C80421B133C6B22CCC45D"
		    "579A3E8B7B8E3A86",
	};
	struct cs_entry	*e, *back;
	struct cs_buf	 b;
	const char	*why;
	size_t		 i;

	(void)state;
	e = cs_entry_new();
	cs_entry_set_path(e, "/f", 2);
	e->type = CS_T_FILE;
	e->mode = 0644;
	e->size = 1ULL << 40;
	e->have |= CS_F_ZDIGEST;
	cs_unhex(kv_two_runs, 64, e->zdigest, CS_ZDIGEST_LEN);
	cs_entry_add_xattr(e, "user.a", "1", 1);
	cs_buf_init(&b);
	cs_bl_format(&b, e);
	assert_non_null(strstr(cs_buf_str(&b), " sha256z=2258a1db"));
	assert_true(strstr(cs_buf_str(&b), " sha256z=") <
	    strstr(cs_buf_str(&b), " xattr."));
	back = cs_entry_new();
	assert_int_equal(cs_bl_parse(b.data, b.len - 1, back, &why), 0);
	assert_true(back->have & CS_F_ZDIGEST);
	assert_int_equal(back->digests, 0);
	assert_memory_equal(back->zdigest, e->zdigest, CS_ZDIGEST_LEN);
	for (i = 0; i < CS_NELEM(bad); i++) {
		cs_entry_clear(back);
		why = NULL;
		assert_int_not_equal(cs_bl_parse(bad[i], strlen(bad[i]), back,
		    &why), 0);
		assert_non_null(why);
	}
	cs_entry_free(back);
	cs_entry_free(e);
	cs_buf_release(&b);
}

/* A regular file of SIZE bytes with sha256z FILL, or sha256 if FILL < 0. */
static struct cs_entry *
mkz(uint64_t size, int fill)
{
	struct cs_entry	*e = cs_entry_new();

	cs_entry_set_path(e, "/f", 2);
	e->type = CS_T_FILE;
	e->mode = 0644;
	e->size = size;
	e->mtime.sec = 1000;
	if (fill >= 0) {
		e->have |= CS_F_ZDIGEST;
		memset(e->zdigest, fill, CS_ZDIGEST_LEN);
	} else {
		e->digests = CS_DIGEST_DEFAULT;
		memset(e->digest[CS_D_SHA256], 7, 32);
	}
	return e;
}

static struct cs_finding *
zpair(struct cs_entry *a, struct cs_entry *b)
{
	struct cs_policy	*p = cs_policy_new("t");
	struct cs_diff_opts	 o;
	struct cs_finding	*f;

	memset(&o, 0, sizeof o);
	o.policy = p;
	o.created = 2000;
	f = cs_diff_pair(a, b, NULL, &o, CS_DIGEST_DEFAULT);
	cs_policy_free(p);
	return f;
}

static void
test_diff_compares_sha256z(void **state)
{
	struct cs_finding	*f;

	(void)state;
	assert_null(zpair(mkz(1ULL << 40, 1), mkz(1ULL << 40, 1)));
	f = zpair(mkz(1ULL << 40, 1), mkz(1ULL << 40, 2));
	assert_non_null(f);
	assert_int_equal(f->kind, CS_K_CHANGED);
	assert_int_equal(f->attrs, CS_ABIT(CS_A_DIGEST));
	assert_string_equal(cs_finding_change(f, CS_A_DIGEST)->name,
	    "sha256z");
	cs_finding_free(f);
	/* one side each: never silent */
	f = zpair(mkz(1ULL << 40, 1), mkz(1ULL << 40, -1));
	assert_non_null(f);
	assert_int_equal(f->kind, CS_K_NOTCMP);
	assert_non_null(strstr(f->why_not, "sha256z"));
	cs_finding_free(f);
	f = zpair(mkz(1ULL << 40, -1), mkz(1ULL << 40, 1));
	assert_non_null(f);
	assert_int_equal(f->kind, CS_K_NOTCMP);
	assert_non_null(strstr(f->why_not, "sha256z"));
	cs_finding_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_offsets_only_grow),
		cmocka_unit_test(test_wanted_threshold),
		cmocka_unit_test(test_hasher_zeros),
		cmocka_unit_test_setup_teardown(test_sparse_file_extents,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test(test_baseline_field),
		cmocka_unit_test(test_diff_compares_sha256z),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
