/*
 * test_diff.c: the comparison of two records under a policy, and the
 * merge-join of two canonical streams.
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <setjmp.h>

#include <cmocka.h>

#include "custos/content.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/host.h"
#include "custos/join.h"
#include "custos/policy.h"
#include "custos/source.h"
#include "custos/xmalloc.h"

static struct cs_entry *
mk(const char *path, enum cs_type t, uint32_t mode, uint64_t size, int fill)
{
	struct cs_entry	*e = cs_entry_new();

	cs_entry_set_path(e, path, strlen(path));
	e->type = t;
	e->mode = mode;
	e->size = size;
	e->mtime.sec = 1000;
	e->have = CS_F_INO | CS_F_NLINK | CS_F_META | CS_F_IFLAGS;
	e->ino = 7;
	e->nlink = 1;
	memset(e->digest[CS_D_SHA256], fill, 32);
	e->digests = 1U << CS_D_SHA256;
	return e;
}

/* Compare A and B (its content C, or NULL) under POLICY. */
static struct cs_finding *
pair_content(struct cs_entry *a, struct cs_entry *b,
    const struct cs_content *c, const char *policy)
{
	struct cs_policy	*p = cs_policy_new("t");
	struct cs_diff_opts	 o;
	struct cs_err		 err;
	struct cs_finding	*f;

	cs_err_init(&err);
	if (policy != NULL)
		assert_int_equal(cs_policy_parse(p, policy, strlen(policy),
		    &err), 0);
	memset(&o, 0, sizeof o);
	o.policy = p;
	o.created = 2000;
	f = cs_diff_pair(a, b, c, &o, 1U << CS_D_SHA256);
	cs_policy_free(p);
	cs_err_release(&err);
	return f;
}

static struct cs_finding *
pair(struct cs_entry *a, struct cs_entry *b, const char *policy)
{
	return pair_content(a, b, NULL, policy);
}

static void
test_identical_is_no_finding(void **state)
{
	(void)state;
	assert_null(pair(mk("/a", CS_T_FILE, 0644, 3, 1),
	    mk("/a", CS_T_FILE, 0644, 3, 1), NULL));
}

static void
test_each_attribute_is_named(void **state)
{
	struct cs_entry		*a, *b;
	struct cs_finding	*f;

	(void)state;
	a = mk("/a", CS_T_FILE, 0755, 3, 1);
	b = mk("/a", CS_T_FILE, 04755, 3, 1);
	b->uid = 5;
	b->ino = 8;
	b->iflags = 0x10;
	b->caps = cs_xstrdup("cap_net_raw=ep");
	cs_entry_add_xattr(b, "user.x", "1", 1);
	f = pair(a, b, NULL);
	assert_non_null(f);
	assert_int_equal(f->kind, CS_K_CHANGED);
	assert_int_equal(f->attrs, CS_ABIT(CS_A_MODE) | CS_ABIT(CS_A_UID) |
	    CS_ABIT(CS_A_INO) | CS_ABIT(CS_A_IFLAGS) | CS_ABIT(CS_A_CAPS) |
	    CS_ABIT(CS_A_XATTR));
	assert_string_equal(cs_finding_change(f, CS_A_MODE)->old, "0755");
	assert_string_equal(cs_finding_change(f, CS_A_MODE)->new, "4755");
	assert_string_equal(cs_finding_change(f, CS_A_IFLAGS)->new,
	    "immutable");
	assert_string_equal(cs_finding_change(f, CS_A_CAPS)->new,
	    "cap_net_raw\\x3dep");
	assert_null(cs_finding_change(f, CS_A_CAPS)->old);
	cs_finding_free(f);
}

static void
test_policy_groups_switch_attributes_off(void **state)
{
	struct cs_entry	*a, *b;

	(void)state;
	a = mk("/h/x", CS_T_FILE, 0644, 3, 1);
	b = mk("/h/x", CS_T_FILE, 0600, 4, 2);
	b->ino = 9;
	b->mtime.sec = 5000;
	assert_null(pair(a, b, "/h/* -content,-perms,-inode,-times\n"));
	a = mk("/h/x", CS_T_FILE, 0644, 3, 1);
	b = mk("/h/x", CS_T_FILE, 0600, 3, 1);
	assert_null(pair(a, b, "/h/* ignore\n"));
}

static void
test_error_is_not_removed(void **state)
{
	struct cs_entry		*b;
	struct cs_finding	*f;

	(void)state;
	b = mk("/a", CS_T_FILE, 0644, 0, 0);
	cs_entry_add_error(b, "vanished during the walk");
	f = pair(mk("/a", CS_T_FILE, 0644, 3, 1), b, NULL);
	assert_int_equal(f->kind, CS_K_NOTCMP);
	cs_finding_free(f);
}

static void
test_timestomp_same_mtime_or_backdated(void **state)
{
	struct cs_entry		*b;
	struct cs_finding	*f;

	(void)state;
	f = pair(mk("/a", CS_T_FILE, 0644, 3, 1),
	    mk("/a", CS_T_FILE, 0644, 3, 2), NULL);
	assert_true(f->flags & CS_FF_TIMESTOMP);
	assert_int_equal(f->attrs, CS_ABIT(CS_A_DIGEST));
	cs_finding_free(f);
	b = mk("/a", CS_T_FILE, 0644, 3, 2);
	b->mtime.sec = 1500;		/* before the baseline (2000) */
	f = pair(mk("/a", CS_T_FILE, 0644, 3, 1), b, NULL);
	assert_true(f->flags & CS_FF_TIMESTOMP);
	cs_finding_free(f);
	b = mk("/a", CS_T_FILE, 0644, 3, 2);
	b->mtime.sec = 2500;
	f = pair(mk("/a", CS_T_FILE, 0644, 3, 1), b, NULL);
	assert_false(f->flags & CS_FF_TIMESTOMP);
	cs_finding_free(f);
}

/* Append-only: grown with an intact prefix, rewritten, truncated. */
static void
test_append_only(void **state)
{
	const char		*pol = "/log/* append-only\n";
	struct cs_content	 c;
	struct cs_entry		*b;
	struct cs_finding	*f;

	(void)state;
	memset(&c, 0, sizeof c);
	c.fd = -1;
	c.have_prefix = 1;
	c.prefix_len = 3;
	memset(c.prefix_digest[CS_D_SHA256], 1, 32);
	b = mk("/log/x", CS_T_FILE, 0644, 10, 2);
	b->mtime.sec = 2500;
	f = pair_content(mk("/log/x", CS_T_FILE, 0644, 3, 1), b, &c, pol);
	assert_true(f->flags & CS_FF_APPENDED);
	assert_int_equal(f->attrs, CS_ABIT(CS_A_SIZE));
	assert_int_equal(f->severity, CS_SEV_INFO);
	cs_finding_free(f);

	memset(c.prefix_digest[CS_D_SHA256], 9, 32);
	b = mk("/log/x", CS_T_FILE, 0644, 10, 2);
	f = pair_content(mk("/log/x", CS_T_FILE, 0644, 3, 1), b, &c, pol);
	assert_string_equal(cs_finding_change(f, CS_A_PREFIX)->new,
	    "rewritten");
	cs_finding_free(f);

	f = pair(mk("/log/x", CS_T_FILE, 0644, 3, 1),
	    mk("/log/x", CS_T_FILE, 0644, 1, 2), pol);
	assert_string_equal(cs_finding_change(f, CS_A_PREFIX)->new,
	    "truncated");
	cs_finding_free(f);
}

/* An in-memory source over a NULL-terminated list of paths. */
struct list {
	const char *const	*paths;
	size_t			 i;
};

static int
list_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct list	*l = impl;

	(void)err;
	if (l->paths[l->i] == NULL)
		return 0;
	*ep = mk(l->paths[l->i++], CS_T_FILE, 0644, 1, 1);
	return 1;
}

static void
list_close(void *impl)
{
	(void)impl;
}

static const struct cs_source_ops list_ops = {
	"list", list_next, list_close, NULL
};

static void
test_join_pairs_in_canonical_order(void **state)
{
	static const char *const a[] = { "/", "/a", "/a/b", "/a-b", "/c", NULL };
	static const char *const b[] = { "/", "/a", "/a-b", "/a.b", "/d", NULL };
	static const char *const want =
	    "/=/ /a=/a /a/b=- /a-b=/a-b -=/a.b /c=- -=/d ";
	struct list	 la = { a, 0 }, lb = { b, 0 };
	struct cs_source *sa, *sb;
	struct cs_join	*j;
	struct cs_entry	*ea, *eb;
	struct cs_err	 err;
	char		 got[256] = "";
	size_t		 n = 0;

	(void)state;
	cs_err_init(&err);
	sa = cs_source_new(&list_ops, &la, "a");
	sb = cs_source_new(&list_ops, &lb, "b");
	j = cs_join_new(sa, sb);
	while (cs_join_next(j, &ea, &eb, &err) == 1) {
		n += (size_t)snprintf(got + n, sizeof got - n, "%s=%s ",
		    ea != NULL ? ea->path : "-", eb != NULL ? eb->path : "-");
		cs_entry_free(ea);
		cs_entry_free(eb);
	}
	assert_string_equal(got, want);
	cs_join_free(j);
	cs_source_free(sa);
	cs_source_free(sb);
	cs_err_release(&err);
}

static void
test_rfc3339_and_iflags(void **state)
{
	int64_t	 t;
	char	*s;

	(void)state;
	assert_int_equal(cs_rfc3339_parse("2026-01-01T00:00:00Z", &t), 0);
	assert_true(t == 1767225600);
	assert_int_equal(cs_rfc3339_parse("2026-01-01T00:00:00.5Z", &t), 0);
	assert_int_equal(cs_rfc3339_parse("2026-01-01 00:00:00", &t), -1);
	s = cs_iflags_text(0x80030);
	assert_string_equal(s, "immutable,append-only,extents");
	free(s);
}

/* Times are written as strftime(3) would write them, with 9-digit ns. */
static void
test_time_written_as_strftime(void **state)
{
	static const int64_t fixed[] = {
		0, -1, 59, 86399, 951782400, 1767225600, 253402300799,
		253402300800, -30610224000, -62135596800, 4102444800
	};
	struct timespec	 ts;
	struct tm	 tm;
	char		 want[96], *got;
	size_t		 i;
	uint64_t	 x = 88172645463325252ULL;

	(void)state;
	for (i = 0; i < CS_NELEM(fixed) + 2000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ts.tv_sec = i < CS_NELEM(fixed) ? (time_t)fixed[i] :
		    (time_t)(x % 300000000000ULL) - (time_t)50000000000LL;
		ts.tv_nsec = (long)(x % 1000000000U);
		assert_non_null(gmtime_r(&ts.tv_sec, &tm));
		assert_true(strftime(want, 64, "%Y-%m-%dT%H:%M:%S", &tm) > 0);
		(void)snprintf(want + strlen(want), 32, ".%09ldZ", ts.tv_nsec);
		got = cs_time_rfc3339(&ts, 1);
		assert_string_equal(got, want);
		free(got);
		*strchr(want, '.') = '\0';
		got = cs_time_rfc3339(&ts, 0);
		assert_memory_equal(got, want, strlen(want));
		assert_string_equal(got + strlen(want), "Z");
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_is_no_finding),
		cmocka_unit_test(test_each_attribute_is_named),
		cmocka_unit_test(test_policy_groups_switch_attributes_off),
		cmocka_unit_test(test_error_is_not_removed),
		cmocka_unit_test(test_timestomp_same_mtime_or_backdated),
		cmocka_unit_test(test_append_only),
		cmocka_unit_test(test_join_pairs_in_canonical_order),
		cmocka_unit_test(test_rfc3339_and_iflags),
		cmocka_unit_test(test_time_written_as_strftime),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
