/*
 * test_sort.c: the sort stage puts records in canonical order, in memory
 * or through runs spilled to unlinked temporary files, and loses nothing
 * of a record on the way.
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>

#include <cmocka.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/sort.h"
#include "custos/xmalloc.h"
#include "util.h"

#define NREC	600

/* Record I of the sample: awkward names, a link, xattrs, digests. */
static struct cs_entry *
sample(size_t i)
{
	static const char *const names[] = { "a", "a b", "a.b", "a-", "b",
	    "\xff", "\n" };
	struct cs_entry	*e = cs_entry_new();
	char		*p;
	unsigned char	 v[3] = { 0, (unsigned char)i, '\n' };

	/* "/a/..." sorts before "/a b": '/' is smallest in canonical order */
	p = cs_xasprintf("/%s/%zu/%s", names[i % CS_NELEM(names)],
	    (i * 7919) % 101, names[(i / 7) % CS_NELEM(names)]);
	cs_entry_set_path(e, p, strlen(p));
	free(p);
	e->type = i % 5 == 0 ? CS_T_LINK : CS_T_FILE;
	e->mode = 0644;
	e->uid = (uint32_t)i;
	e->size = i;
	e->mtime.sec = (int64_t)i;
	e->mtime.nsec = (uint32_t)i;
	if (e->type == CS_T_LINK)
		cs_entry_set_target(e, "../t x", 6);
	else {
		e->digests = 1U << CS_D_SHA256;
		memset(e->digest[CS_D_SHA256], (int)i, 32);
		cs_entry_add_xattr(e, "user.v", v, sizeof v);
	}
	return e;
}

/* Number of entries in the test's directory (spilled runs show there). */
static size_t
tmp_files(void)
{
	DIR		*d = opendir(cs_test_tmp());
	struct dirent	*de;
	size_t		 n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Add the sample in a scrambled order; check what comes out. */
static void
run(size_t bound, size_t *runs)
{
	struct cs_sort	*s;
	struct cs_entry	*e, *want;
	struct cs_err	 err;
	struct cs_buf	 a, b;
	char		*prev = NULL;
	size_t		 i, n = 0, prevlen = 0;
	char		**lines, *old;

	old = getenv("TMPDIR") != NULL ? cs_xstrdup(getenv("TMPDIR")) : NULL;
	assert_int_equal(setenv("TMPDIR", cs_test_tmp(), 1), 0);
	cs_err_init(&err);
	s = cs_sort_new(bound);
	lines = cs_xcalloc(NREC, sizeof *lines);
	for (i = 0; i < NREC; i++) {
		e = sample((i * 389) % NREC);
		assert_int_equal(cs_sort_add(s, e, &err), 0);
	}
	assert_int_equal(tmp_files(), 0);	/* runs are unlinked */
	for (i = 0; i < NREC; i++) {
		cs_buf_init(&a);
		want = sample(i);
		cs_bl_format(&a, want);
		lines[i] = cs_buf_detach(&a, NULL);
		cs_entry_free(want);
	}
	while (cs_sort_next(s, &e, &err) == 1) {
		if (prev != NULL)
			assert_true(cs_path_cmp(prev, prevlen, e->path,
			    e->pathlen) < 0);
		free(prev);
		prev = cs_xmemdup(e->path, e->pathlen);
		prevlen = e->pathlen;
		cs_buf_init(&b);
		cs_bl_format(&b, e);
		/* the same record as one of the sample, field for field */
		for (i = 0; i < NREC; i++) {
			if (lines[i] != NULL && strcmp(lines[i],
			    cs_buf_str(&b)) == 0)
				break;
		}
		assert_true(i < NREC);
		free(lines[i]);
		lines[i] = NULL;
		cs_buf_release(&b);
		cs_entry_free(e);
		n++;
	}
	assert_null(err.msg);
	assert_int_equal(n, NREC);
	*runs = cs_sort_runs(s);
	if (old != NULL)
		assert_int_equal(setenv("TMPDIR", old, 1), 0);
	else
		assert_int_equal(unsetenv("TMPDIR"), 0);
	free(old);
	free(prev);
	free(lines);
	cs_sort_free(s);
}

static void
test_in_memory(void **state)
{
	size_t	 runs;

	(void)state;
	run(0, &runs);
	assert_int_equal(runs, 0);
}

static void
test_spills(void **state)
{
	size_t	 runs;

	(void)state;
	run(4096, &runs);	/* a tiny bound: many runs */
	assert_true(runs > 10);
}

static void
test_duplicate(void **state)
{
	struct cs_sort	*s = cs_sort_new(0);
	struct cs_entry	*e;
	struct cs_err	 err;

	(void)state;
	cs_err_init(&err);
	assert_int_equal(cs_sort_add(s, sample(3), &err), 0);
	assert_int_equal(cs_sort_add(s, sample(1), &err), 0);
	assert_int_equal(cs_sort_add(s, sample(3), &err), 0);
	assert_int_equal(cs_sort_next(s, &e, &err), 1);
	cs_entry_free(e);
	assert_int_equal(cs_sort_next(s, &e, &err), 1);
	cs_entry_free(e);
	assert_int_equal(cs_sort_next(s, &e, &err), -1);
	assert_null(e);
	assert_non_null(strstr(err.msg, "twice"));
	cs_err_release(&err);
	cs_sort_free(s);
}

static void
test_empty_and_unread(void **state)
{
	struct cs_sort	*s = cs_sort_new(1);
	struct cs_entry	*e;
	struct cs_err	 err;

	(void)state;
	cs_err_init(&err);
	assert_int_equal(cs_sort_next(s, &e, &err), 0);
	cs_sort_free(s);
	/* freed with records still held and spilled: no leak */
	s = cs_sort_new(1);
	assert_int_equal(cs_sort_add(s, sample(1), &err), 0);
	assert_int_equal(cs_sort_add(s, sample(2), &err), 0);
	assert_int_equal(cs_sort_add(s, sample(3), &err), 0);
	assert_int_equal(cs_sort_runs(s), 2);
	assert_int_equal(cs_sort_next(s, &e, &err), 1);
	cs_entry_free(e);
	cs_sort_free(s);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, cs_test_setup_tmp, \
		    cs_test_teardown_tmp)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_in_memory),
		T(test_spills),
		T(test_duplicate),
		T(test_empty_and_unread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
