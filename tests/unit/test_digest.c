/*
 * test_digest.c: known-answer tests for every digest, several digests in
 * one pass, and the digest list parser.
 */
#include "custos/custos.h"

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
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_unhex_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
