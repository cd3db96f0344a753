/*
 * test_shard.c: ranges of the canonical order (range.c) and plans
 * (shard.c): where a path lies, shard numbers, the plan's text form and
 * its canonical checks, and a walk held to a range.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "custos/buf.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/range.h"
#include "custos/shard.h"
#include "custos/walk.h"

#include "util.h"

static void
test_range_where(void **state)
{
	static const struct {
		const char		*path;
		enum cs_range_where	 want;
	} cases[] = {
		{ "/", CS_RANGE_ABOVE },
		{ "/a", CS_RANGE_BEFORE },
		{ "/b", CS_RANGE_ABOVE },
		{ "/b/a", CS_RANGE_BEFORE },
		{ "/b/c", CS_RANGE_IN },
		{ "/b/c/z", CS_RANGE_IN },
		{ "/b/c!", CS_RANGE_IN },	/* after /b/c/... */
		{ "/b/d", CS_RANGE_IN },
		{ "/b!", CS_RANGE_IN },		/* '/' before '!' */
		{ "/c", CS_RANGE_IN },
		{ "/d", CS_RANGE_AFTER },
		{ "/d/a", CS_RANGE_AFTER },
		{ "/e", CS_RANGE_AFTER },
	};
	struct cs_range	 r = { "/b/c", 4, "/d", 2 };
	size_t		 i;

	(void)state;
	for (i = 0; i < CS_NELEM(cases); i++)
		assert_int_equal(cs_range_where(&r, cases[i].path,
		    strlen(cases[i].path)), cases[i].want);
	assert_int_equal(cs_range_where(NULL, "/x", 2), CS_RANGE_IN);
	r.from = NULL;
	assert_int_equal(cs_range_where(&r, "/", 1), CS_RANGE_IN);
	r.to = "/";
	r.tolen = 1;
	assert_int_equal(cs_range_where(&r, "/", 1), CS_RANGE_AFTER);
}

static void
test_shard_parse(void **state)
{
	unsigned	 i, n;

	(void)state;
	assert_int_equal(cs_shard_parse("3/16", 4, &i, &n), 0);
	assert_int_equal(i, 3);
	assert_int_equal(n, 16);
	assert_int_equal(cs_shard_parse("1/1", 3, &i, &n), 0);
	assert_int_equal(cs_shard_parse("0/4", 3, &i, &n), -1);
	assert_int_equal(cs_shard_parse("5/4", 3, &i, &n), -1);
	assert_int_equal(cs_shard_parse("01/4", 4, &i, &n), -1);
	assert_int_equal(cs_shard_parse("1/", 2, &i, &n), -1);
	assert_int_equal(cs_shard_parse("1-4", 3, &i, &n), -1);
	assert_int_equal(cs_shard_parse("1/65537", 7, &i, &n), -1);
	assert_int_equal(cs_shard_count_parse("65536", 5, &n), 0);
	assert_int_equal(cs_shard_count_parse("65537", 5, &n), -1);
	assert_int_equal(cs_shard_count_parse("4x", 2, &n), -1);
}

/* A tree: "t" with directories d0..d9, each with files f0..f4. */
static char *
make_tree(void)
{
	char	 name[32];
	char	*root, *p;
	int	 d, f;

	root = cs_test_path("t");
	assert_int_equal(mkdir(root, 0755), 0);
	for (d = 0; d < 10; d++) {
		snprintf(name, sizeof name, "t/d%d", d);
		p = cs_test_path(name);
		assert_int_equal(mkdir(p, 0755), 0);
		free(p);
		for (f = 0; f < 5; f++) {
			snprintf(name, sizeof name, "t/d%d/f%d", d, f);
			assert_int_equal(cs_test_write(name, "x", 1), 0);
		}
	}
	return root;
}

static void
test_plan_make_format_load(void **state)
{
	struct cs_shard_plan	 p, q;
	struct cs_range		 r;
	struct cs_buf		 b;
	struct cs_err		 err;
	char			*file;
	char			*root;
	unsigned		 i;

	(void)state;
	cs_err_init(&err);
	cs_buf_init(&b);
	root = make_tree();
	assert_int_equal(cs_shard_plan_make(&p, root, 4, &err), 0);
	assert_int_equal(p.n, 4);
	/* cut at directories, in order, contiguous */
	for (i = 1; i <= 4; i++) {
		cs_shard_range(&p, i, &r);
		assert_true((i == 1) == (r.from == NULL));
		assert_true((i == 4) == (r.to == NULL));
		if (r.to != NULL)
			assert_int_equal(strncmp(r.to, "/d", 2), 0);
	}
	cs_shard_plan_format(&p, &b);
	assert_int_equal(cs_test_write("plan", b.data, b.len), 0);
	file = cs_test_path("plan");
	assert_int_equal(cs_shard_plan_load(&q, file, &err), 0);
	assert_memory_equal(p.sha256, q.sha256, sizeof p.sha256);
	assert_string_equal(p.root, q.root);
	cs_shard_plan_release(&q);
	/* another spelling of the same plan is refused */
	cs_buf_addc(&b, '\n');
	assert_int_equal(cs_test_write("plan", b.data, b.len), 0);
	assert_int_equal(cs_shard_plan_load(&q, file, &err), -1);
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	cs_shard_plan_release(&p);
	/* more shards than directories: empty ranges at the end */
	assert_int_equal(cs_shard_plan_make(&p, root, 40, &err), 0);
	cs_shard_range(&p, 40, &r);
	assert_non_null(r.from);
	cs_shard_range(&p, 39, &r);
	assert_int_equal(cs_path_cmp(r.from, r.fromlen, r.to, r.tolen), 0);
	cs_shard_plan_release(&p);
	free(file);
	free(root);
	cs_buf_release(&b);
	cs_err_release(&err);
}

static void
test_plan_load_rejects(void **state)
{
	static const char *const bad[] = {
		"#custos-plan 1\n#root=/t\n#shards=2\n#depth=4\n"
		    "1 - /a\n2 /b -\n#end\n",		/* not contiguous */
		"#custos-plan 1\n#root=/t\n#shards=2\n#depth=4\n"
		    "1 - /a\n#end\n",			/* a range missing */
		"#custos-plan 1\n#root=t\n#shards=1\n#depth=4\n"
		    "1 - -\n#end\n",			/* relative root */
		"#custos-plan 1\n#root=/t\n#shards=2\n#depth=4\n"
		    "1 - a\n2 a -\n#end\n",		/* not a path */
		"#custos-plan 1\n#root=/t\n#shards=3\n#depth=4\n"
		    "1 - /b\n2 /b /a\n3 /a -\n#end\n",	/* decreasing */
		"#custos-plan 1\n#root=/t\n#shards=1\n#depth=4\n"
		    "1 - -\n#end",			/* no newline */
	};
	struct cs_shard_plan	 p;
	struct cs_err		 err;
	char			*file;
	size_t			 i;

	(void)state;
	file = cs_test_path("plan");
	for (i = 0; i < CS_NELEM(bad); i++) {
		cs_err_init(&err);
		assert_int_equal(cs_test_write("plan", bad[i],
		    strlen(bad[i])), 0);
		assert_int_equal(cs_shard_plan_load(&p, file, &err), -1);
		assert_int_equal(err.code, CS_EXIT_DATAERR);
		cs_err_release(&err);
	}
	free(file);
}

/* A walk held to a range yields its records only, in order. */
static void
test_walk_range(void **state)
{
	struct cs_walk_opts	 o;
	struct cs_range		 r = { "/d3/f2", 6, "/d5", 3 };
	struct cs_walk		*w;
	struct cs_entry		*e;
	struct cs_err		 err;
	struct cs_buf		 got;
	char			*root;

	(void)state;
	cs_err_init(&err);
	cs_buf_init(&got);
	root = make_tree();
	memset(&o, 0, sizeof o);
	o.root = root;
	o.jobs = 2;
	o.range = &r;
	assert_non_null(w = cs_walk_open(&o, &err));
	while (cs_walk_next(w, &e, &err) == 1) {
		cs_buf_adds(&got, e->path);
		cs_buf_addc(&got, ' ');
		cs_entry_free(e);
	}
	assert_string_equal(got.data, "/d3/f2 /d3/f3 /d3/f4 /d4 /d4/f0 "
	    "/d4/f1 /d4/f2 /d4/f3 /d4/f4 ");
	cs_walk_close(w);
	free(root);
	cs_buf_release(&got);
	cs_err_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_where),
		cmocka_unit_test(test_shard_parse),
		cmocka_unit_test_setup_teardown(test_plan_make_format_load,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(test_plan_load_rejects,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(test_walk_range,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
