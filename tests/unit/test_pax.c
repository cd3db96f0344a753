/*
 * test_pax.c: the pax codec's digest and inode records, written as the
 * tar writer writes them and found as the tar readers find them.
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/pax.h"

/* Every digest written is found again, with its value. */
static void
test_digest_round_trip(void **state)
{
	unsigned char	 d[CS_D_COUNT][CS_DIGEST_MAXLEN];
	unsigned char	 got[CS_D_COUNT][CS_DIGEST_MAXLEN];
	unsigned	 all = (1U << CS_D_COUNT) - 1;
	struct cs_buf	 b;
	int		 i;

	(void)state;
	for (i = 0; i < CS_D_COUNT; i++)
		memset(d[i], 0x11 * (i + 1), sizeof d[i]);
	cs_buf_init(&b);
	cs_pax_record(&b, "mtime", "1.5", 3);
	cs_pax_digest_records(&b, all, d);
	assert_non_null(strstr(b.data, " CUSTOS.sha256="));
	memset(got, 0, sizeof got);
	assert_int_equal(cs_pax_find_digests(b.data, b.len, got), all);
	for (i = 0; i < CS_D_COUNT; i++)
		assert_memory_equal(got[i], d[i],
		    cs_digest_len((enum cs_digest)i));
	cs_buf_release(&b);
}

/* A digest of the wrong length or not in hex is not a digest. */
static void
test_digest_bad_values(void **state)
{
	unsigned char	 got[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct cs_buf	 b;
	char		 hex[65];

	(void)state;
	cs_buf_init(&b);
	cs_pax_record(&b, CS_PAX_DIGEST_PREFIX "sha256", "abcd", 4);
	assert_int_equal(cs_pax_find_digests(b.data, b.len, got), 0);
	cs_buf_reset(&b);
	memset(hex, 'z', 64);
	hex[64] = '\0';
	cs_pax_record(&b, CS_PAX_DIGEST_PREFIX "sha256", hex, 64);
	assert_int_equal(cs_pax_find_digests(b.data, b.len, got), 0);
	assert_int_equal(cs_pax_find_digests("99 a=b\n", 7, got), 0);
	cs_buf_release(&b);
}

/* star's inode keywords: decimal, in full 64-bit range, found again. */
static void
test_inode_records(void **state)
{
	struct cs_buf	 b;
	const char	*v;
	size_t		 vn;

	(void)state;
	cs_buf_init(&b);
	cs_pax_inode_records(&b, 65024, UINT64_MAX, 2);
	assert_string_equal(b.data, "20 SCHILY.dev=65024\n"
	    "35 SCHILY.ino=18446744073709551615\n"
	    "18 SCHILY.nlink=2\n");
	assert_int_equal(cs_pax_find(b.data, b.len, CS_PAX_INO, &v, &vn), 1);
	assert_int_equal(vn, 20);
	assert_memory_equal(v, "18446744073709551615", vn);
	assert_int_equal(cs_pax_find(b.data, b.len, CS_PAX_NLINK, &v, &vn),
	    1);
	assert_memory_equal(v, "2", vn);
	cs_buf_release(&b);
}

/* A time record is a pax decimal time, negative ones included. */
static void
test_time_records(void **state)
{
	struct cs_buf	 b;

	(void)state;
	cs_buf_init(&b);
	cs_pax_time_record(&b, CS_PAX_BTIME, 1700000000, 5);
	cs_pax_time_record(&b, "t", -2, 750000000);
	cs_pax_time_record(&b, "t", -3, 0);
	assert_string_equal(b.data,
	    "48 LIBARCHIVE.creationtime=1700000000.000000005\n"
	    "18 t=-1.250000000\n"
	    "18 t=-3.000000000\n");
	cs_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digest_round_trip),
		cmocka_unit_test(test_digest_bad_values),
		cmocka_unit_test(test_inode_records),
		cmocka_unit_test(test_time_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
