/*
 * test_report_read.c: the strict JSON reader and a check report read
 * back: a report read and written again is the same bytes; every
 * malformed variant of it is refused with its line.
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "custos/buf.h"
#include "custos/err.h"
#include "custos/fleet.h"
#include "custos/json.h"
#include "custos/report.h"
#include "custos/report_merge.h"
#include "custos/report_read.h"
#include "custos/xmalloc.h"
#include "util.h"

/* The fixture report, a `custos check --format json` of a small tree. */
static char *
fixture(size_t *len)
{
	char	*path, *s;

	path = cs_xasprintf("%s/fixtures/reports/check.jsonl",
	    getenv("CS_SRCDIR") != NULL ? getenv("CS_SRCDIR") : ".");
	s = cs_test_read(path, len);
	free(path);
	assert_non_null(s);
	return s;
}

/* JSON texts accepted (1) or refused (0). */
static const struct {
	const char	*text;
	int		 ok;
} json_cases[] = {
	{ "{\"a\":[1,-2.5e3,true,false,null,\"x\\\"\\u0041\"]}", 1 },
	{ " {} ", 1 },
	{ "[]", 1 },
	{ "{\"a\":1,\"a\":2}", 0 },		/* duplicate member */
	{ "{\"a\":1,}", 0 },
	{ "[01]", 0 },
	{ "[1.]", 0 },
	{ "[\"\\u0000\"]", 0 },		/* NUL */
	{ "[\"\\u00e9\"]", 0 },		/* custos encodes these */
	{ "[\"\xc3\xa9\"]", 0 },		/* raw non-ASCII */
	{ "[\"\t\"]", 0 },			/* raw control */
	{ "[\"\\q\"]", 0 },
	{ "[\"abc", 0 },
	{ "{} {}", 0 },
	{ "tru", 0 },
	{ "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]", 0 },	/* too deep */
	{ "", 0 },
};

static void
test_json(void **state)
{
	struct cs_json	*v;
	const char	*s;
	char		*why, *p;
	size_t		 i;
	uint64_t	 x;

	(void)state;
	for (i = 0; i < CS_NELEM(json_cases); i++) {
		v = cs_json_parse(json_cases[i].text,
		    strlen(json_cases[i].text), &why);
		if (json_cases[i].ok != (v != NULL))
			fail_msg("case %zu: '%s': %s", i, json_cases[i].text,
			    why != NULL ? why : "accepted");
		if (v == NULL)
			assert_non_null(strstr(why, "column"));
		free(why);
		cs_json_free(v);
	}
	/* a number that ends the text, not followed by any byte */
	p = cs_xmemdup("12", 2);
	v = cs_json_parse(p, 2, &why);
	assert_non_null(v);
	assert_int_equal(cs_json_u64(v, &x), 0);
	assert_true(x == 12);
	cs_json_free(v);
	free(p);
	s = "{\"n\":18446744073709551615,\"m\":18446744073709551616}";
	v = cs_json_parse(s, strlen(s), &why);
	assert_non_null(v);
	assert_int_equal(cs_json_u64(cs_json_get(v, "n"), &x), 0);
	assert_true(x == UINT64_MAX);
	assert_int_equal(cs_json_u64(cs_json_get(v, "m"), &x), -1);
	cs_json_free(v);
}

/* Read FILE (in the test's directory) into R; 0 or -1 with ERR. */
static int
read_report(struct cs_report_file *r, const char *name, struct cs_err *err)
{
	char	*path = cs_test_path(name);
	int	 rc;

	rc = cs_report_read(r, path, err);
	free(path);
	return rc;
}

/* Read back and written again, the report is the same bytes. */
static void
test_roundtrip(void **state)
{
	struct cs_report_file	 r;
	struct cs_report_merged	 m;
	struct cs_err		 err;
	struct cs_buf		 out;
	size_t			 len;
	char			*s = fixture(&len);

	(void)state;
	cs_err_init(&err);
	cs_buf_init(&out);
	assert_int_equal(cs_test_write("r.jsonl", s, len), 0);
	if (read_report(&r, "r.jsonl", &err) != 0)
		fail_msg("%s", err.msg);
	assert_true(r.n > 10);
	assert_int_equal(cs_report_merge(&m, &r, 1, &err), 0);
	cs_report_write(&out, CS_FMT_JSON, &m.info, m.fs, m.n);
	assert_int_equal(out.len, len);
	assert_memory_equal(out.data, s, len);
	cs_report_merged_release(&m);
	cs_report_file_release(&r);
	cs_buf_release(&out);
	cs_err_release(&err);
	free(s);
}

/* Malformed variants: FROM replaced by TO (first occurrence after line
 * AFTER), refused at line LINE with a message holding WHAT. */
static const struct {
	size_t		 after;
	const char	*from, *to;
	size_t		 line;
	const char	*what;
} bad_cases[] = {
	{ 1, "\"timestomped\":false", "\"timestomped\":false,\"x\":1", 2,
	    "unknown member 'x'" },
	{ 1, "\"timestomped\":false", "\"timestomped\":0", 2,
	    "'timestomped' is not true or false" },
	{ 1, "\"path\":\"/", "\"path\":\"/\\\\x4", 2, "not canonically" },
	{ 1, "\"path\":\"/", "\"path\":\"//", 2, "bad path" },
	{ 1, "\"path\":\"/", "\"path\":\"/\\q", 2, "bad escape" },
	{ 1, "\"severity\":\"critical\"", "\"severity\":\"dire\"", 2,
	    "'severity'" },
	{ 1, "\"mode\":\"", "\"mode\":\"9", 2, "'entry'" },
	{ 1, "\"sha256\":\"", "\"sha256\":\"zz", 2, "'entry'" },
	{ 1, "Z\"}\n", "Q\"}\n", 2, "not a time" },
	{ 0, "\"version\":1", "\"version\":2", 1, "version 1" },
	{ 0, "\"exit\":7}", "\"exit\":99}", 1, "'exit'" },
	{ 2, "{\"type\":\"end\",\"findings\":", "{\"type\":\"end\","
	    "\"findings\":1", 0, "end record does not match" },
	{ 2, "{\"type\":\"plan\"", "{\"type\":\"finding\"", 0,
	    "out of place" },
	{ 1, "\"kind\":", "\"kind\":\"added\",\"kind\":", 2,
	    "duplicate member" },
};

/* Apply bad case I to the fixture S, into OUT; the line it hits. */
static size_t
mutate(const char *s, size_t i, struct cs_buf *out)
{
	const char	*p = s, *hit;
	size_t		 k, line = 1;

	for (k = 0; k < bad_cases[i].after; k++)
		p = strchr(p, '\n') + 1;
	hit = strstr(p, bad_cases[i].from);
	assert_non_null(hit);
	for (p = s; p < hit; p++)
		line += *p == '\n';
	cs_buf_reset(out);
	cs_buf_add(out, s, (size_t)(hit - s));
	cs_buf_adds(out, bad_cases[i].to);
	cs_buf_adds(out, hit + strlen(bad_cases[i].from));
	return line;
}

static void
test_malformed(void **state)
{
	struct cs_report_file	 r;
	struct cs_err		 err;
	struct cs_buf		 b;
	size_t			 len, i, line;
	char			*s = fixture(&len), *want;

	(void)state;
	cs_buf_init(&b);
	for (i = 0; i < CS_NELEM(bad_cases); i++) {
		cs_err_init(&err);
		line = mutate(s, i, &b);
		if (bad_cases[i].line != 0)
			assert_int_equal(line, bad_cases[i].line);
		assert_int_equal(cs_test_write("bad.jsonl", b.data, b.len), 0);
		if (read_report(&r, "bad.jsonl", &err) == 0)
			fail_msg("case %zu accepted", i);
		assert_int_equal(err.code, CS_EXIT_DATAERR);
		want = cs_xasprintf("line %zu: ", line);
		if (strstr(err.msg, want) == NULL ||
		    strstr(err.msg, bad_cases[i].what) == NULL)
			fail_msg("case %zu: %s", i, err.msg);
		free(want);
		cs_report_file_release(&r);
		cs_err_release(&err);
	}
	cs_buf_release(&b);
	free(s);
}

/* Truncated, reordered, overlong: refused, with the line. */
static void
test_truncated(void **state)
{
	struct cs_report_file	 r;
	struct cs_err		 err;
	struct cs_buf		 b;
	size_t			 len;
	char			*s = fixture(&len), *l2, *l3;

	(void)state;
	cs_buf_init(&b);
	cs_err_init(&err);
	/* no end record */
	assert_int_equal(cs_test_write("t.jsonl", s,
	    (size_t)(strstr(s, "{\"type\":\"end\"") - s)), 0);
	assert_int_equal(read_report(&r, "t.jsonl", &err), -1);
	assert_non_null(strstr(err.msg, "no end record"));
	cs_report_file_release(&r);
	/* nothing at all */
	assert_int_equal(cs_test_write("t.jsonl", "", 0), 0);
	assert_int_equal(read_report(&r, "t.jsonl", &err), -1);
	assert_non_null(strstr(err.msg, "is empty, not a report"));
	cs_report_file_release(&r);
	/* no final newline */
	assert_int_equal(cs_test_write("t.jsonl", s, len - 1), 0);
	assert_int_equal(read_report(&r, "t.jsonl", &err), -1);
	assert_non_null(strstr(err.msg, "no newline"));
	cs_report_file_release(&r);
	/* the first two findings swapped */
	l2 = strchr(s, '\n') + 1;
	l3 = strchr(l2, '\n') + 1;
	cs_buf_add(&b, s, (size_t)(l2 - s));
	cs_buf_add(&b, l3, (size_t)(strchr(l3, '\n') + 1 - l3));
	cs_buf_add(&b, l2, (size_t)(l3 - l2));
	cs_buf_adds(&b, strchr(l3, '\n') + 1);
	assert_int_equal(cs_test_write("t.jsonl", b.data, b.len), 0);
	assert_int_equal(read_report(&r, "t.jsonl", &err), -1);
	assert_non_null(strstr(err.msg, "line 3: findings out of order"));
	cs_report_file_release(&r);
	/* a line longer than the bound, without a newline in sight */
	cs_buf_reset(&b);
	cs_buf_grow(&b, CS_RR_MAXLINE + 2);
	memset(b.data, ' ', CS_RR_MAXLINE + 2);
	b.len = CS_RR_MAXLINE + 2;
	assert_int_equal(cs_test_write("t.jsonl", b.data, b.len), 0);
	assert_int_equal(read_report(&r, "t.jsonl", &err), -1);
	assert_non_null(strstr(err.msg, "line 1: line longer"));
	cs_report_file_release(&r);
	cs_err_release(&err);
	cs_buf_release(&b);
	free(s);
}

/* The same path and content in two reports of two hosts: one group. */
static void
test_fleet(void **state)
{
	struct cs_report_file	 r[2];
	struct cs_fleet		 fl;
	struct cs_err		 err;
	struct cs_buf		 b;
	size_t			 len;
	char			*s = fixture(&len);

	(void)state;
	cs_err_init(&err);
	cs_buf_init(&b);
	assert_int_equal(cs_test_write("a.jsonl", s, len), 0);
	cs_buf_add(&b, s, len);
	assert_int_equal(cs_test_write("b.jsonl", b.data, b.len), 0);
	assert_int_equal(read_report(&r[0], "a.jsonl", &err), 0);
	assert_int_equal(read_report(&r[1], "b.jsonl", &err), 0);
	/* one host twice: refused */
	assert_int_equal(cs_fleet_group(&fl, r, 2, &err), -1);
	assert_non_null(strstr(err.msg, "both reports of host"));
	free(r[1].sum.host);
	r[1].sum.host = cs_xstrdup("other");
	assert_int_equal(cs_fleet_group(&fl, r, 2, &err), 0);
	assert_int_equal(fl.n, r[0].n);
	assert_int_equal(fl.g[0].nhosts, 2);
	assert_int_equal(fl.g[0].severity, r[0].fs[0]->severity);
	assert_string_equal(fl.g[0].f->shown, r[0].fs[0]->shown);
	cs_fleet_release(&fl);
	cs_report_file_release(&r[0]);
	cs_report_file_release(&r[1]);
	cs_buf_release(&b);
	cs_err_release(&err);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test_setup_teardown(test_roundtrip,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(test_malformed,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(test_truncated,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(test_fleet,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
