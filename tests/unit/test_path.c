/*
 * test_path.c: the encoder, the decoder's canonical checks, and the
 * canonical path order.
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fnmatch.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "custos/buf.h"
#include "custos/path.h"

static void
test_encode_every_byte_round_trips(void **state)
{
	struct cs_buf	 enc, dec;
	unsigned char	 all[256];
	size_t		 i;

	(void)state;
	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	cs_buf_init(&enc);
	cs_buf_init(&dec);
	cs_encode(&enc, all, sizeof all);
	for (i = 0; i < enc.len; i++) {
		assert_true(enc.data[i] > 0x20 && enc.data[i] < 0x7f);
		assert_true(enc.data[i] != '=');
	}
	assert_int_equal(cs_decode(&dec, enc.data, enc.len, NULL), 0);
	assert_int_equal(dec.len, sizeof all);
	assert_memory_equal(dec.data, all, sizeof all);
	cs_buf_release(&enc);
	cs_buf_release(&dec);
}

static void
test_encode_hostile_names(void **state)
{
	static const struct {
		const char	*raw;
		const char	*enc;
	} cases[] = {
		{ "plain", "plain" },
		{ "a b", "a\\x20b" },
		{ "new\nline", "new\\x0aline" },
		{ "back\\slash", "back\\x5cslash" },
		{ "esc\033[31m", "esc\\x1b[31m" },
		{ "bad\xff", "bad\\xff" },
		{ "k=v", "k\\x3dv" },
		{ "tab\t", "tab\\x09" },
		{ "del\x7f", "del\\x7f" },
	};
	struct cs_buf	 b;
	size_t		 i;

	(void)state;
	cs_buf_init(&b);
	for (i = 0; i < CS_NELEM(cases); i++) {
		cs_buf_reset(&b);
		cs_encode_str(&b, cases[i].raw);
		assert_string_equal(cs_buf_str(&b), cases[i].enc);
	}
	cs_buf_release(&b);
}

static void
test_decode_rejects_non_canonical(void **state)
{
	static const char *const bad[] = {
		"\\x41",	/* 'A' must be literal */
		"\\xFF",	/* uppercase hex */
		"\\x2",		/* short */
		"\\",		/* lone backslash */
		"\\y20",	/* not \x */
		"a b",		/* raw space */
		"a=b",		/* raw '=' */
		"\\xzz",
	};
	struct cs_buf	 b;
	size_t		 i, off;

	(void)state;
	cs_buf_init(&b);
	for (i = 0; i < CS_NELEM(bad); i++) {
		cs_buf_reset(&b);
		assert_int_equal(cs_decode(&b, bad[i], strlen(bad[i]), &off),
		    -1);
	}
	cs_buf_release(&b);
}

/* Decimal numbers, as the writer and the walk format them. */
static void
test_fmt_u64(void **state)
{
	static const struct {
		uint64_t	 v;
		const char	*s;
	} cases[] = {
		{ 0, "0" }, { 7, "7" }, { 10, "10" }, { 121, "121" },
		{ 1000000, "1000000" },
		{ UINT64_MAX, "18446744073709551615" },
	};
	struct cs_buf	 b;
	char		 out[21];
	size_t		 i;

	(void)state;
	cs_buf_init(&b);
	for (i = 0; i < CS_NELEM(cases); i++) {
		assert_int_equal(cs_fmt_u64(out, sizeof out, cases[i].v),
		    strlen(cases[i].s));
		assert_string_equal(out, cases[i].s);
		cs_buf_reset(&b);
		cs_buf_add_u64(&b, cases[i].v);
		assert_string_equal(cs_buf_str(&b), cases[i].s);
	}
	/* a short buffer keeps the leading digits, terminated */
	assert_int_equal(cs_fmt_u64(out, 3, 12345), 2);
	assert_string_equal(out, "12");
	assert_int_equal(cs_fmt_u64(out, 1, 5), 0);
	assert_string_equal(out, "");
	cs_buf_release(&b);
}

static void
test_canonical_order(void **state)
{
	/* Each is strictly before the next. */
	static const char *const sorted[] = {
		"/", "/a", "/a/b", "/a/b/c", "/a/z", "/a-b", "/a.b", "/aa",
		"/b", "/b\x01", "/\xff",
	};
	size_t	 i, j;
	int	 c;

	(void)state;
	for (i = 0; i < CS_NELEM(sorted); i++) {
		for (j = 0; j < CS_NELEM(sorted); j++) {
			c = cs_path_cmp(sorted[i], strlen(sorted[i]),
			    sorted[j], strlen(sorted[j]));
			if (i < j)
				assert_true(c < 0);
			else if (i > j)
				assert_true(c > 0);
			else
				assert_int_equal(c, 0);
		}
	}
}

/* The order check passes a strictly rising stream and nothing else. */
static void
test_order_check(void **state)
{
	struct cs_order	 o;

	(void)state;
	cs_order_init(&o);
	assert_int_equal(cs_order_check(&o, "/", 1), 0);
	assert_int_equal(cs_order_check(&o, "/a", 2), 0);
	assert_int_equal(cs_order_check(&o, "/a/b", 4), 0);
	/* repeated, and before: refused, and the last stays "/a/b" */
	assert_int_equal(cs_order_check(&o, "/a/b", 4), -1);
	assert_int_equal(cs_order_check(&o, "/a", 2), -1);
	assert_int_equal(cs_order_check(&o, "/a-b", 4), 0);
	/* '/' sorts first: "/a/z" is before "/a-b" */
	assert_int_equal(cs_order_check(&o, "/a/z", 4), -1);
	assert_int_equal(cs_order_check(&o, "/b\0c", 4), 0);
	assert_int_equal(cs_order_check(&o, "/b", 2), -1);
	/* released, it starts again */
	cs_order_release(&o);
	assert_int_equal(cs_order_check(&o, "/a", 2), 0);
	cs_order_release(&o);
}

static void
test_path_valid(void **state)
{
	(void)state;
	assert_true(cs_path_valid("/", 1));
	assert_true(cs_path_valid("/a/b", 4));
	assert_true(cs_path_valid("/...", 4));
	assert_false(cs_path_valid("", 0));
	assert_false(cs_path_valid("a", 1));
	assert_false(cs_path_valid("/a/", 3));
	assert_false(cs_path_valid("//a", 3));
	assert_false(cs_path_valid("/a/./b", 6));
	assert_false(cs_path_valid("/a/../b", 7));
	assert_false(cs_path_valid("/a\0b", 4));
}

static void
test_path_join_and_match(void **state)
{
	char	*p;
	size_t	 n;

	(void)state;
	p = cs_path_join("/", 1, "a", 1, &n);
	assert_string_equal(p, "/a");
	assert_int_equal(n, 2);
	free(p);
	p = cs_path_join("/a", 2, "b", 1, &n);
	assert_string_equal(p, "/a/b");
	free(p);
	assert_true(cs_path_match("*.log", "/var/log/syslog.log"));
	assert_true(cs_path_match("/proc", "/proc"));
	assert_false(cs_path_match("/proc", "/proc/1"));
	assert_true(cs_path_match("/tmp/*", "/tmp/a/b"));
	assert_false(cs_path_match("*.log", "/var/log.d/x"));
}

/* Patterns and paths that the matchers must answer as fnmatch(3) does. */
static const char *const match_pats[] = {
	"/proc", "/tmp/*", "/tmp", "*.log", "*", "*.so.*", "/etc/*.conf",
	"/var/log/*.[0-9]", "[ab]c", "/a\\*b", "*\\*", "lib*.so",
	"/usr/lib/*/security/*", "*.", "", "/", "*sh", "/usr/bin/?",
	"/var/lib/dpkg/info/*.postinst", "/etc/cron.d/*", "x", "*x*",
	"*/security/pam_*.so", "*/log/*", "*/lib/*/[a-p]*", "*b[!a]",
	"*/info/*.post*", "*\\/a*", "*bin/?", "*/.git/hooks/*",
	"*log.[0-9]*", "*bash"
};
static const char *const match_paths[] = {
	"/", "/proc", "/proc/1", "/tmp", "/tmp/", "/tmp/a/b", "/a*b",
	"/ab", "/var/log/syslog.log", "/var/log/syslog.1",
	"/var/log/syslog.10", "/usr/lib/x86_64-linux-gnu/security/p.so",
	"/usr/lib/libc.so.6", "/etc/a.conf", "/etc/x/a.conf", "/bc",
	"/ac", "/usr/bin/x", "/usr/bin/xy", "/bin/sh", "/bin/bash",
	"/var/lib/dpkg/info/tar.postinst", "/etc/cron.d", "/x", "/.x.",
	"/*", "/lib/security/pam_x.so", "/usr/lib/security/pam_.so",
	"/src/.git/hooks/pre-commit", "/.git/hooks", "/a/.git/hooks/",
	"/usr/lib/x/ab", "/usr/lib/x/zb", "/bb", "/lib/log/x/log"
};

/* The fast answers of cs_path_match agree with fnmatch(3) itself. */
static void
test_path_match_as_fnmatch(void **state)
{
	const char	*base;
	size_t		 i, j;
	int		 want;

	(void)state;
	for (i = 0; i < CS_NELEM(match_pats); i++) {
		for (j = 0; j < CS_NELEM(match_paths); j++) {
			base = match_paths[j];
			if (strchr(match_pats[i], '/') == NULL)
				base = strrchr(match_paths[j], '/') + 1;
			want = fnmatch(match_pats[i], base, 0) == 0;
			if ((cs_path_match(match_pats[i], match_paths[j]) != 0) != want)
				fail_msg("'%s' on '%s': want %d", match_pats[i],
				    match_paths[j], want);
		}
	}
}

/* A set answers as cs_path_match does for any of its patterns. */
static void
test_globset_as_path_match(void **state)
{
	const char		*list[CS_NELEM(match_pats) + 1];
	struct cs_globset	*set;
	size_t			 i, j, k, from;
	int			 want;

	(void)state;
	/* each pattern alone, then every run of consecutive patterns */
	for (from = 0; from < CS_NELEM(match_pats); from++) {
		for (k = from; k < CS_NELEM(match_pats); k++) {
			for (i = from; i <= k; i++)
				list[i - from] = match_pats[i];
			list[k - from + 1] = NULL;
			set = cs_globset_new(list);
			for (j = 0; j < CS_NELEM(match_paths); j++) {
				want = 0;
				for (i = from; i <= k; i++)
					want |= cs_path_match(match_pats[i],
					    match_paths[j]) != 0;
				if ((cs_globset_match(set, match_paths[j]) !=
				    0) != want)
					fail_msg("patterns %zu-%zu on '%s': "
					    "want %d", from, k,
					    match_paths[j], want);
			}
			cs_globset_free(set);
		}
	}
	list[0] = NULL;
	set = cs_globset_new(list);
	assert_false(cs_globset_match(set, "/"));
	cs_globset_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_every_byte_round_trips),
		cmocka_unit_test(test_encode_hostile_names),
		cmocka_unit_test(test_decode_rejects_non_canonical),
		cmocka_unit_test(test_fmt_u64),
		cmocka_unit_test(test_canonical_order),
		cmocka_unit_test(test_order_check),
		cmocka_unit_test(test_path_valid),
		cmocka_unit_test(test_path_join_and_match),
		cmocka_unit_test(test_path_match_as_fnmatch),
		cmocka_unit_test(test_globset_as_path_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
