/*
 * test_policy.c: policy parsing (with line numbers in errors) and
 * evaluation (every matching line applies, the last one wins).
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "custos/err.h"
#include "custos/policy.h"
#include "custos/xmalloc.h"

static struct cs_policy *
parse(const char *text, int want_rc, struct cs_err *err)
{
	struct cs_policy	*p = cs_policy_new("t.policy");

	assert_int_equal(cs_policy_parse(p, text, strlen(text), err),
	    want_rc);
	return p;
}

static void
test_defaults_without_lines(void **state)
{
	struct cs_policy	*p = cs_policy_new(NULL);
	struct cs_rule		 r;

	(void)state;
	cs_policy_eval(p, "/etc/passwd", &r);
	assert_int_equal(r.groups, CS_G_DEFAULT);
	assert_false(r.groups & CS_G_CTIME);
	assert_false(r.ignore);
	assert_false(r.append_only);
	assert_int_equal(r.severity, -1);
	assert_string_equal(cs_policy_name(p), "built-in");
	cs_policy_free(p);
}

static void
test_last_match_wins(void **state)
{
	struct cs_err		 err;
	struct cs_policy	*p;
	struct cs_rule		 r;

	(void)state;
	cs_err_init(&err);
	p = parse("# c\n/var/log/*\tappend-only,-inode,severity=low\n"
	    "/var/log/*.gz -append-only  # rotated\n"
	    "/tmp/* ignore\n/tmp/keep check\n*.conf +ctime\n", 0, &err);
	cs_policy_eval(p, "/var/log/syslog", &r);
	assert_true(r.append_only);
	assert_false(r.groups & CS_G_INODE);
	assert_int_equal(r.severity, CS_SEV_LOW);
	cs_policy_eval(p, "/var/log/syslog.2.gz", &r);
	assert_false(r.append_only);
	assert_int_equal(r.severity, CS_SEV_LOW);
	cs_policy_eval(p, "/tmp/a/b", &r);
	assert_true(r.ignore);
	cs_policy_eval(p, "/tmp/keep", &r);
	assert_false(r.ignore);
	cs_policy_eval(p, "/etc/x/y.conf", &r);
	assert_true(r.groups & CS_G_CTIME);
	cs_policy_eval(p, "/tmp", &r);
	assert_false(r.ignore);
	assert_true(cs_policy_has_append(p));
	cs_policy_free(p);
	cs_err_release(&err);
}

/* Malformed lines, each with the line number and reason expected. */
static void
test_errors_have_line_numbers(void **state)
{
	static const struct {
		const char	*text;
		const char	*msg;
	} cases[] = {
		{ "/a ignore\n/b\n", "t.policy:2: expected GLOB RULE[,RULE...]" },
		{ "/a frob\n", "t.policy:1: unknown rule" },
		{ "\n\n/a ignore,,x\n", "t.policy:3: empty rule" },
		{ "/a severity=huge\n", "t.policy:1: unknown severity (want "
		    "info, low, medium, high or critical)" },
		{ "/a ignore extra\n", "t.policy:1: trailing text after the "
		    "rules" },
		{ "/a -nothing\n", "t.policy:1: unknown rule" },
	};
	struct cs_err		 err;
	struct cs_policy	*p;
	size_t			 i;

	(void)state;
	for (i = 0; i < CS_NELEM(cases); i++) {
		cs_err_init(&err);
		p = parse(cases[i].text, -1, &err);
		assert_int_equal(err.code, CS_EXIT_DATAERR);
		assert_string_equal(err.msg, cases[i].msg);
		cs_policy_free(p);
		cs_err_release(&err);
	}
}

static void
test_default_policy_file_parses(void **state)
{
	struct cs_err		 err;
	struct cs_policy	*p;
	struct cs_rule		 r;
	char			*path;
	const char		*src = getenv("CS_SRCDIR");

	(void)state;
	cs_err_init(&err);
	path = cs_xasprintf("%s/etc/default.policy", src != NULL ? src : ".");
	p = cs_policy_load(path, &err);
	assert_non_null(p);
	cs_policy_eval(p, "/tmp/x", &r);
	assert_true(r.ignore);
	cs_policy_eval(p, "/var/log/auth.log", &r);
	assert_true(r.append_only);
	cs_policy_eval(p, "/var/log/auth.log.1", &r);
	assert_false(r.append_only);
	cs_policy_eval(p, "/home/alice/notes.txt", &r);
	assert_int_equal(r.severity, CS_SEV_LOW);
	cs_policy_eval(p, "/usr/bin/ls", &r);
	assert_int_equal(r.groups, CS_G_DEFAULT);
	assert_int_equal(r.severity, -1);
	cs_policy_free(p);
	free(path);
	cs_err_release(&err);
}

static void
test_severity_names(void **state)
{
	(void)state;
	assert_int_equal(cs_sev_lookup("critical", 8), CS_SEV_CRITICAL);
	assert_int_equal(cs_sev_lookup("info", 4), CS_SEV_INFO);
	assert_int_equal(cs_sev_lookup("inf", 3), -1);
	assert_string_equal(cs_sev_name(CS_SEV_HIGH), "high");
	assert_int_equal(cs_group_lookup("all", 3), CS_G_ALL);
	assert_int_equal(cs_group_lookup("mtime", 5), CS_G_TIMES);
}

/* The verdicts against packages: their own words, not "unmatched". */
static void
test_vendor_words(void **state)
{
	struct cs_err		 err;
	struct cs_policy	*p;
	struct cs_rule		 r;
	uint64_t		 hits[3] = { 0, 0, 0 };
	char			*u;

	(void)state;
	cs_err_init(&err);
	p = parse("/etc/ld.so.cache unowned=info\n"
	    "/etc/* conffile=high,after-install=medium,changed=low\n"
	    "/usr/* severity=low\n", 0, &err);
	cs_policy_eval(p, "/etc/ld.so.cache", &r);
	assert_int_equal(r.vendor[CS_VR_UNOWNED], CS_SEV_INFO);
	assert_int_equal(r.vendor[CS_VR_CONFFILE], CS_SEV_HIGH);
	assert_int_equal(r.vendor[CS_VR_AFTER], CS_SEV_MEDIUM);
	assert_int_equal(r.vendor[CS_VR_CHANGED], CS_SEV_LOW);
	assert_int_equal(r.severity, -1);
	cs_policy_eval(p, "/usr/bin/ls", &r);
	assert_int_equal(r.vendor[CS_VR_UNOWNED], -1);
	assert_int_equal(r.vendor[CS_VR_CONFFILE], -1);
	assert_int_equal(r.vendor[CS_VR_CHANGED], -1);
	/* only lines with other words are named as matching nothing */
	u = cs_policy_unmatched(p, hits);
	assert_non_null(u);
	assert_null(strstr(u, "ld.so.cache"));
	assert_null(strstr(u, "/etc/*"));
	assert_non_null(strstr(u, "/usr/*"));
	free(u);
	cs_policy_free(p);
	p = parse("/x unowned=none\n", -1, &err);
	assert_non_null(strstr(err.msg, "unknown severity"));
	cs_policy_free(p);
	cs_err_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_without_lines),
		cmocka_unit_test(test_last_match_wins),
		cmocka_unit_test(test_errors_have_line_numbers),
		cmocka_unit_test(test_default_policy_file_parses),
		cmocka_unit_test(test_severity_names),
		cmocka_unit_test(test_vendor_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
