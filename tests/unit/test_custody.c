/*
 * test_custody.c: custody records (format, parse, signature) and the
 * custody sheet's pagination.
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>

#include <cmocka.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/custody.h"
#include "custos/err.h"
#include "custos/sign.h"
#include "util.h"

/* A record with awkward values: spaces, '=', newline, a high byte. */
static void
sample_header(struct cs_bl_header *h, size_t extra)
{
	char	 v[32];
	size_t	 i;

	cs_bl_header_init(h);
	cs_bl_header_add(h, "case", "IR 1=2\n\xff", 8);
	cs_bl_header_add(h, "label", "L", 1);
	cs_bl_header_add(h, "stream-sha256", "00", 2);
	for (i = 0; i < extra; i++) {
		(void)snprintf(v, sizeof v, "x%zu", i);
		cs_bl_header_add(h, "exclude", v, strlen(v));
	}
}

static struct cs_key *
make_key(void)
{
	struct cs_err	 err;
	struct cs_key	*k;
	char		*prefix = cs_test_path("k");

	cs_err_init(&err);
	k = cs_keygen(prefix, NULL, &err);
	if (k == NULL)
		fail_msg("keygen: %s", err.msg);
	free(prefix);
	cs_err_release(&err);
	return k;
}

static void
test_roundtrip(void **state)
{
	struct cs_bl_header	 h;
	struct cs_custody	 c;
	struct cs_buf		 b;
	struct cs_err		 err;

	(void)state;
	sample_header(&h, 0);
	cs_buf_init(&b);
	cs_err_init(&err);
	assert_int_equal(cs_custody_format(&b, &h, NULL, &err), 0);
	assert_int_equal(cs_custody_parse(&c, b.data, b.len, "t", &err), 0);
	assert_int_equal(c.hdr.n, 3);
	assert_int_equal(c.hdr.lines[0].len, 8);
	assert_memory_equal(cs_custody_get(&c, "case"), "IR 1=2\n\xff", 8);
	assert_false(c.tr.is_signed);
	cs_custody_release(&c);
	cs_bl_header_release(&h);
	cs_buf_release(&b);
	cs_err_release(&err);
}

/*
 * Times that do not exist and relative sources are refused, by line and
 * field, once the record is known intact; the writer's own are kept.
 */
static void
test_fields(void **state)
{
	static const struct {
		const char	*key;
		const char	*value;
		int		 ok;
	} t[] = {
		{ "started", "2026-11-30T21:18:34Z", 1 },
		{ "started", "2026-02-30T25:61:00Z", 0 },
		{ "started", "2026-02-28T25:00:00Z", 0 },
		{ "started", "2026-02-28T23:61:00Z", 0 },
		{ "started", "2024-02-29T00:00:00Z", 1 },
		{ "started", "2100-02-29T00:00:00Z", 0 },
		{ "started", "2000-02-29T00:00:00Z", 1 },
		{ "started", "2026-04-31T00:00:00Z", 0 },
		{ "started", "2026-13-01T00:00:00Z", 0 },
		{ "started", "2026-00-01T00:00:00Z", 0 },
		{ "started", "2026-12-31T23:59:60Z", 1 },
		{ "started", "2026-12-31T23:58:60Z", 0 },
		{ "started", "2026-11-30T21:18:34.123456789Z", 1 },
		{ "started", "2026-11-30T21:18:34.Z", 0 },
		{ "started", "2026-11-30T21:18:34.1234567890Z", 0 },
		{ "started", "2026-11-30T21:18:34+01:00", 0 },
		{ "started", "2026-11-30 21:18:34Z", 0 },
		{ "started", "2026-1-30T21:18:34Z", 0 },
		{ "started", "", 0 },
		{ "finished", "", 1 },
		{ "finished", "2026-11-31T00:00:00Z", 0 },
		{ "created", "yesterday", 0 },
		{ "source", "/srv/www", 1 },
		{ "source", "srv/www", 0 },
		{ "source", "", 0 },
		{ "root", "./srv", 0 },
		{ "verified-after", "yes", 1 },
	};
	struct cs_bl_header	 h;
	struct cs_custody	 c;
	struct cs_buf		 b;
	struct cs_err		 err;
	char			 want[64];
	size_t			 i;

	(void)state;
	for (i = 0; i < CS_NELEM(t); i++) {
		cs_bl_header_init(&h);
		cs_bl_header_add(&h, "case", "C", 1);
		cs_bl_header_add(&h, t[i].key, t[i].value,
		    strlen(t[i].value));
		cs_buf_init(&b);
		cs_err_init(&err);
		assert_int_equal(cs_custody_format(&b, &h, NULL, &err), 0);
		if (cs_custody_parse(&c, b.data, b.len, "t", &err) !=
		    (t[i].ok ? 0 : -1))
			fail_msg("%s=%s: %s", t[i].key, t[i].value,
			    t[i].ok ? "refused" : "accepted");
		if (!t[i].ok) {
			assert_int_equal(err.code, CS_EXIT_DATAERR);
			(void)snprintf(want, sizeof want,
			    "line 3: bad field '%s'", t[i].key);
			assert_non_null(strstr(err.msg, want));
		}
		cs_custody_release(&c);
		cs_bl_header_release(&h);
		cs_buf_release(&b);
		cs_err_release(&err);
	}
}

static void
test_altered_byte(void **state)
{
	struct cs_bl_header	 h;
	struct cs_custody	 c;
	struct cs_buf		 b;
	struct cs_err		 err;

	(void)state;
	sample_header(&h, 0);
	cs_buf_init(&b);
	cs_err_init(&err);
	assert_int_equal(cs_custody_format(&b, &h, NULL, &err), 0);
	b.data[strlen(CS_CUSTODY_MAGIC) + 3] ^= 1;	/* in "case=" */
	assert_int_equal(cs_custody_parse(&c, b.data, b.len, "t", &err), -1);
	cs_custody_release(&c);
	assert_true(err.code == CS_EXIT_INTEGRITY ||
	    err.code == CS_EXIT_DATAERR);
	cs_bl_header_release(&h);
	cs_buf_release(&b);
	cs_err_release(&err);
}

static void
test_truncated(void **state)
{
	struct cs_bl_header	 h;
	struct cs_custody	 c;
	struct cs_buf		 b;
	struct cs_err		 err;

	(void)state;
	sample_header(&h, 0);
	cs_buf_init(&b);
	cs_err_init(&err);
	assert_int_equal(cs_custody_format(&b, &h, NULL, &err), 0);
	assert_int_equal(cs_custody_parse(&c, b.data, b.len - 20, "t", &err),
	    -1);
	assert_int_equal(err.code, CS_EXIT_INTEGRITY);
	cs_custody_release(&c);
	cs_bl_header_release(&h);
	cs_buf_release(&b);
	cs_err_release(&err);
}

static void
test_bad_magic(void **state)
{
	struct cs_custody	 c;
	struct cs_err		 err;
	static const char	 text[] = "#custos-baseline 1\n#end sha256=0\n";

	(void)state;
	cs_err_init(&err);
	assert_int_equal(cs_custody_parse(&c, text, sizeof text - 1, "t",
	    &err), -1);
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	cs_custody_release(&c);
	cs_err_release(&err);
}

static void
test_signed(void **state)
{
	struct cs_bl_header	 h;
	struct cs_custody	 c;
	struct cs_buf		 b;
	struct cs_err		 err;
	struct cs_key		*k = make_key(), *other;
	char			*p = cs_test_path("o");

	(void)state;
	cs_err_init(&err);
	other = cs_keygen(p, NULL, &err);
	assert_non_null(other);
	sample_header(&h, 0);
	cs_buf_init(&b);
	assert_int_equal(cs_custody_format(&b, &h, k, &err), 0);
	assert_int_equal(cs_custody_parse(&c, b.data, b.len, "t", &err), 0);
	assert_true(c.tr.is_signed);
	assert_int_equal(cs_custody_verify(&c, k, NULL, "t", &err), 0);
	assert_int_equal(cs_custody_verify(&c, other, NULL, "t", &err), -1);
	assert_int_equal(err.code, CS_EXIT_INTEGRITY);
	cs_custody_release(&c);
	cs_bl_header_release(&h);
	cs_buf_release(&b);
	cs_err_release(&err);
	cs_key_free(k);
	cs_key_free(other);
	free(p);
}

#define SHEET_PER	(CS_SHEET_LINES - CS_SHEET_HEAD - CS_SHEET_FOOT)

/* Count the form feeds and the "page i of n" lines of a sheet. */
static void
check_sheet(size_t fields, size_t want_pages)
{
	const size_t		 body = 2 + fields + 1 + 3 + 2 +
	    2 * CS_SHEET_ROWS;
	struct cs_bl_header	 h;
	struct cs_custody	 c;
	struct cs_buf		 b, s;
	struct cs_err		 err;
	size_t			 pages, ff = 0, lines = 0, i;
	char			 mark[64];

	sample_header(&h, fields - 3);
	cs_buf_init(&b);
	cs_buf_init(&s);
	cs_err_init(&err);
	assert_int_equal(cs_custody_format(&b, &h, NULL, &err), 0);
	assert_int_equal(cs_custody_parse(&c, b.data, b.len, "t", &err), 0);
	pages = cs_custody_sheet(&s, &c, NULL);
	assert_int_equal(pages, want_pages);
	assert_int_equal(pages, (body + SHEET_PER - 1) / SHEET_PER);
	for (i = 0; i < s.len; i++) {
		ff += s.data[i] == '\f';
		lines += s.data[i] == '\n';
	}
	assert_int_equal(ff, pages - 1);
	assert_int_equal(lines, CS_SHEET_LINES * pages);
	(void)snprintf(mark, sizeof mark, "page %zu of %zu\n", pages, pages);
	assert_non_null(strstr(s.data, mark));
	cs_custody_release(&c);
	cs_bl_header_release(&h);
	cs_buf_release(&b);
	cs_buf_release(&s);
	cs_err_release(&err);
}

static void
test_sheet_one_page(void **state)
{
	(void)state;
	check_sheet(3, 1);
}

static void
test_sheet_page_boundary(void **state)
{
	(void)state;
	/* SHEET_PER body lines exactly fill one page; one more needs two */
	check_sheet(SHEET_PER - (2 + 1 + 3 + 2 + 2 * CS_SHEET_ROWS), 1);
	check_sheet(SHEET_PER + 1 - (2 + 1 + 3 + 2 + 2 * CS_SHEET_ROWS), 2);
}

static void
test_sheet_many_pages(void **state)
{
	(void)state;
	check_sheet(300, 7);	/* 328 body lines, 50 a page */
}

#define T(f)	cmocka_unit_test_setup_teardown(f, cs_test_setup_tmp, \
		    cs_test_teardown_tmp)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_roundtrip),
		T(test_altered_byte),
		T(test_fields),
		T(test_truncated),
		T(test_bad_magic),
		T(test_signed),
		T(test_sheet_one_page),
		T(test_sheet_page_boundary),
		T(test_sheet_many_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
