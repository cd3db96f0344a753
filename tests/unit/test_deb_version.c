/*
 * test_deb_version.c: Debian versions in dpkg's order (deb.h,
 * cs_deb_vercmp), the order a three-way check uses to tell an upgrade
 * from a downgrade: epochs, '~' before everything, letters before other
 * characters, digit runs as numbers, the revision after the last '-'.
 * The pairs are what "dpkg --compare-versions" says.
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "custos/deb.h"

/* A < B in dpkg's order. */
static const char *const older[][2] = {
	{ "1.0", "2.0" },
	{ "1.0", "1.0.1" },
	{ "1.9", "1.10" },
	{ "1.0~rc1", "1.0" },
	{ "1.0~~", "1.0~" },
	{ "1.0", "1.0a" },
	{ "1.0a", "1.0+" },
	{ "9.1-1", "9.1-2" },
	{ "9.1-2", "9.1-10" },
	{ "2.36-9+deb12u9", "2.36-9+deb12u10" },
	{ "1:0.1", "2:0.0" },
	{ "99", "1:0" },
	{ "1.2-3", "1.2.0-1" },
	{ "0001", "2" },
	{ "a:1", "b:1" },	/* no epoch: compared as text */
};

/* Equal in dpkg's order. */
static const char *const same[][2] = {
	{ "1.0", "1.0" },
	{ "0:1.0", "1.0" },
	{ "1.01", "1.1" },
	{ "1.0-0", "1.0-00" },
};

static void
test_vercmp_older(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof older / sizeof older[0]; i++) {
		assert_true(cs_deb_vercmp(older[i][0], older[i][1]) < 0);
		assert_true(cs_deb_vercmp(older[i][1], older[i][0]) > 0);
	}
}

static void
test_vercmp_same(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof same / sizeof same[0]; i++) {
		assert_int_equal(cs_deb_vercmp(same[i][0], same[i][1]), 0);
		assert_int_equal(cs_deb_vercmp(same[i][1], same[i][0]), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vercmp_older),
		cmocka_unit_test(test_vercmp_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
