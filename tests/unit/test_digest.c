/*
 * test_digest.c: known-answer tests for every digest, several digests in
 * one pass, hashing through a mapping (equal to reading, and a file that
 * shrinks under the mapping is an error, not a crash), and the digest
 * list parser.
 */
#include "custos/custos.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <unistd.h>

#include <cmocka.h>

#include "custos/digest.h"
#include "custos/err.h"
#include "util.h"

/* Digests of "abc" (FIPS 180-4, FIPS 202, RFC 7693). */
static const char *const abc_digest[CS_D_COUNT] = {
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	"3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
	"ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
	"7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
};

static void
test_known_answers_all_at_once(void **state)
{
	unsigned char	 out[CS_D_COUNT][CS_DIGEST_MAXLEN];
	char		 hex[2 * CS_DIGEST_MAXLEN + 1];
	struct cs_hasher *h;
	int		 d;

	(void)state;
	h = cs_hasher_new((1U << CS_D_COUNT) - 1, 4096);
	assert_non_null(h);
	cs_hasher_begin(h);
	cs_hasher_update(h, "a", 1);
	cs_hasher_update(h, "bc", 2);
	cs_hasher_end(h, out);
	for (d = 0; d < CS_D_COUNT; d++) {
		cs_hex(out[d], cs_digest_len((enum cs_digest)d), hex);
		assert_string_equal(hex, abc_digest[d]);
	}
	cs_hasher_free(h);
}

static void
test_hash_fd_with_limit(void **state)
{
	unsigned char	 out[CS_D_COUNT][CS_DIGEST_MAXLEN];
	char		 hex[65], *path;
	struct cs_hasher *h;
	uint64_t	 n;
	int		 fd;

	(void)state;
	assert_int_equal(cs_test_write("f", "abcdef", 6), 0);
	path = cs_test_path("f");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	/* a tiny buffer forces several reads */
	h = cs_hasher_new(1U << CS_D_SHA256, 2);
	assert_int_equal(cs_hasher_fd(h, fd, 3, out, &n), 0);
	assert_int_equal(n, 3);
	cs_hex(out[CS_D_SHA256], 32, hex);
	assert_string_equal(hex, abc_digest[CS_D_SHA256]);
	close(fd);
	cs_hasher_free(h);
	free(path);
}

#define BIG	((9U << 20) + 12345)	/* over two 4 MiB windows, odd tail */
#define ALL	((1U << CS_D_COUNT) - 1)

/* Write BIG bytes of a fixed pseudo-random sequence to TMP/big. */
static char *
write_big(void)
{
	unsigned char	*b = malloc(BIG);
	uint32_t	 x = 2463534242U;
	size_t		 i;

	assert_non_null(b);
	for (i = 0; i < BIG; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[i] = (unsigned char)x;
	}
	assert_int_equal(cs_test_write("big", b, BIG), 0);
	free(b);
	return cs_test_path("big");
}

/* TMP/big, open for reading in *FD, and a hasher of every digest. */
static struct cs_hasher *
open_big(int *fd, char **path)
{
	struct cs_hasher *h;

	*path = write_big();
	*fd = open(*path, O_RDONLY | O_CLOEXEC);
	assert_true(*fd >= 0);
	h = cs_hasher_new(ALL, 65536);
	assert_non_null(h);
	return h;
}

static void
close_big(struct cs_hasher *h, int fd, char *path)
{
	close(fd);
	cs_hasher_free(h);
	free(path);
}

static void
assert_same_digests(unsigned char a[][CS_DIGEST_MAXLEN],
    unsigned char b[][CS_DIGEST_MAXLEN])
{
	int	 d;

	for (d = 0; d < CS_D_COUNT; d++)
		assert_memory_equal(a[d], b[d], cs_digest_len(d));
}

static void
test_map_equals_read(void **state)
{
	unsigned char	 rd[CS_D_COUNT][CS_DIGEST_MAXLEN];
	unsigned char	 mp[CS_D_COUNT][CS_DIGEST_MAXLEN];
	unsigned char	 pk[CS_D_COUNT][CS_DIGEST_MAXLEN];
	unsigned char	 pk2[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct cs_hasher *h;
	uint64_t	 n, m;
	char		*path;
	int		 fd;

	(void)state;
	h = open_big(&fd, &path);
	assert_int_equal(cs_hasher_fd(h, fd, UINT64_MAX, rd, &n), 0);
	assert_int_equal(n, BIG);

	/* whole file, all digests at once */
	cs_hasher_begin(h);
	assert_int_equal(cs_hasher_map(h, fd, 0, BIG, UINT64_MAX, &m), 0);
	assert_int_equal(m, BIG);
	cs_hasher_end(h, mp);
	assert_same_digests(rd, mp);

	/* a prefix ending inside a page, then the rest from there */
	cs_hasher_begin(h);
	assert_int_equal(cs_hasher_map(h, fd, 0, BIG, 5001, &m), 0);
	assert_int_equal(m, 5001);
	cs_hasher_peek(h, pk);
	assert_int_equal(cs_hasher_map(h, fd, 5001, BIG, UINT64_MAX, &m), 0);
	assert_int_equal(m, BIG - 5001);
	cs_hasher_end(h, mp);
	assert_same_digests(rd, mp);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(cs_hasher_fd(h, fd, 5001, pk2, &n), 0);
	assert_same_digests(pk, pk2);

	/* SIZE bounds it: a file bigger than said is hashed as said */
	cs_hasher_begin(h);
	assert_int_equal(cs_hasher_map(h, fd, 0, 5001, UINT64_MAX, &m), 0);
	assert_int_equal(m, 5001);
	cs_hasher_end(h, mp);
	assert_same_digests(pk2, mp);
	close_big(h, fd, path);
}

/*
 * The file shrinks between fstat and hashing: the pages past the new end
 * raise SIGBUS, which must come back as an error for this file.
 */
static void
test_map_shrunk_file_is_an_error(void **state)
{
	unsigned char	 out[CS_D_COUNT][CS_DIGEST_MAXLEN];
	unsigned char	 want[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct cs_hasher *h;
	uint64_t	 n, m;
	char		*path;
	int		 fd;

	(void)state;
	h = open_big(&fd, &path);
	assert_int_equal(truncate(path, (1 << 20) + 10), 0);
	cs_hasher_begin(h);
	errno = 0;
	assert_int_equal(cs_hasher_map(h, fd, 0, BIG, UINT64_MAX, &m), -1);
	assert_int_equal(errno, EIO);
	assert_true(m < BIG);

	/* twice, and the hasher still works afterwards */
	cs_hasher_begin(h);
	assert_int_equal(cs_hasher_map(h, fd, 0, BIG, UINT64_MAX, &m), -1);
	cs_hasher_begin(h);
	assert_int_equal(cs_hasher_map(h, fd, 0, (1 << 20) + 10, UINT64_MAX,
	    &m), 0);
	cs_hasher_end(h, out);
	assert_int_equal(cs_hasher_fd(h, fd, UINT64_MAX, want, &n), 0);
	assert_int_equal(n, (1 << 20) + 10);
	assert_same_digests(want, out);
	close_big(h, fd, path);
}

/* Several digests take the data in slices: each still sees all of it. */
static void
test_several_digests_equal_one_each(void **state)
{
	unsigned char	 all[CS_D_COUNT][CS_DIGEST_MAXLEN];
	unsigned char	 one[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct cs_hasher *h;
	unsigned char	*b;
	size_t		 i, len = 300001;
	int		 d;

	(void)state;
	b = malloc(len);
	assert_non_null(b);
	for (i = 0; i < len; i++)
		b[i] = (unsigned char)(i * 7 + i / 251);
	h = cs_hasher_new(ALL, 4096);
	assert_non_null(h);
	cs_hasher_begin(h);
	cs_hasher_update(h, b, 1);
	cs_hasher_update(h, b + 1, len - 1);
	cs_hasher_end(h, all);
	cs_hasher_free(h);
	for (d = 0; d < CS_D_COUNT; d++) {
		h = cs_hasher_new(1U << d, 4096);
		assert_non_null(h);
		cs_hasher_begin(h);
		cs_hasher_update(h, b, len);
		cs_hasher_end(h, one);
		assert_memory_equal(all[d], one[d], cs_digest_len(d));
		cs_hasher_free(h);
	}
	free(b);
}

static void
test_parse_list(void **state)
{
	struct cs_err	 err;
	unsigned	 mask;
	char		*s;

	(void)state;
	cs_err_init(&err);
	assert_int_equal(cs_digest_parse_list("sha256,blake2b512", &mask,
	    &err), 0);
	assert_int_equal(mask, 1U << CS_D_SHA256 | 1U << CS_D_BLAKE2B512);
	s = cs_digest_list(mask);
	assert_string_equal(s, "sha256,blake2b512");
	free(s);
	assert_int_equal(cs_digest_parse_list("md5", &mask, &err), -1);
	assert_int_equal(err.code, CS_EXIT_USAGE);
	assert_int_equal(cs_digest_parse_list("sha256,", &mask, &err), -1);
	cs_err_release(&err);
}

static void
test_unhex_strict(void **state)
{
	unsigned char	 b[2];

	(void)state;
	assert_int_equal(cs_unhex("0aff", 4, b, 2), 0);
	assert_int_equal(b[0], 0x0a);
	assert_int_equal(b[1], 0xff);
	assert_int_equal(cs_unhex("0AFF", 4, b, 2), -1);
	assert_int_equal(cs_unhex("0af", 3, b, 2), -1);
	assert_int_equal(cs_unhex("0g00", 4, b, 2), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers_all_at_once),
		cmocka_unit_test_setup_teardown(test_hash_fd_with_limit,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(test_map_equals_read,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(test_map_shrunk_file_is_an_error,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test(test_several_digests_equal_one_each),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_unhex_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
