/*
 * test_walk.c: the live walker: canonical order, types, identity of
 * hard links, exclusions, output independent of the thread count, and
 * errors recorded rather than fatal.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <unistd.h>

#include <cmocka.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/content.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"
#include "util.h"

/* Build a small tree under the test directory; returns its root. */
static char *
make_tree(void)
{
	char	*root, *p;
	int	 i;

	root = cs_test_path("t");
	assert_int_equal(mkdir(root, 0755), 0);
	assert_int_equal(chdir(root), 0);
	assert_int_equal(mkdir("a", 0755), 0);
	assert_int_equal(mkdir("a/b", 0700), 0);
	assert_int_equal(mkdir("a-b", 0755), 0);
	assert_int_equal(mkdir("many", 0755), 0);
	for (i = 0; i < 300; i++) {
		p = cs_xasprintf("t/many/f%03d", (i * 7919) % 300);
		assert_int_equal(cs_test_write(p, p, strlen(p)), 0);
		free(p);
	}
	assert_int_equal(symlink("../a", "a-b/up"), 0);
	assert_int_equal(mkfifo("fifo", 0600), 0);
	assert_int_equal(cs_test_write("t/a/b/file", "hello\n", 6), 0);
	assert_int_equal(link("a/b/file", "hard"), 0);
	assert_int_equal(cs_test_write("t/new\nline", "", 0), 0);
	assert_int_equal(chdir("/"), 0);
	return root;
}

/* Walk ROOT and return all records formatted as baseline lines. */
static char *
walk_all(const char *root, int jobs, const char *const *ex, size_t nex,
    uint64_t *count)
{
	struct cs_walk_opts	 o;
	struct cs_err		 err;
	struct cs_walk		*w;
	struct cs_entry		*e, *prev = NULL;
	struct cs_buf		 b;
	int			 n;

	memset(&o, 0, sizeof o);
	o.root = root;
	o.digests = 1U << CS_D_SHA256;
	o.jobs = jobs;
	o.excludes = ex;
	o.nexcludes = nex;
	cs_err_init(&err);
	cs_buf_init(&b);
	*count = 0;
	w = cs_walk_open(&o, &err);
	assert_non_null(w);
	while ((n = cs_walk_next(w, &e, &err)) == 1) {
		if (prev != NULL)
			assert_true(cs_entry_cmp(prev, e) < 0);
		assert_null(e->error);
		cs_bl_format(&b, e);
		cs_entry_free(prev);
		prev = e;
		(*count)++;
	}
	assert_int_equal(n, 0);
	cs_entry_free(prev);
	cs_walk_close(w);
	cs_err_release(&err);
	return cs_buf_detach(&b, NULL);
}

static void
test_walk_order_and_types(void **state)
{
	char		*root, *out;
	uint64_t	 n;

	(void)state;
	root = make_tree();
	out = walk_all(root, 2, NULL, 0, &n);
	/* root, a, a/b, a/b/file, a-b, a-b/up, fifo, hard, many + 300, new */
	assert_int_equal(n, 310);
	assert_non_null(strstr(out, "/ type=dir "));
	assert_non_null(strstr(out, "/a/b type=dir mode=0700 "));
	assert_non_null(strstr(out, "/a-b/up type=link "));
	assert_non_null(strstr(out, "target=../a"));
	assert_non_null(strstr(out, "/fifo type=fifo mode=0600 "));
	assert_non_null(strstr(out, "/new\\x0aline type=file "));
	/* "hello\n" */
	assert_non_null(strstr(out, "sha256=5891b5b522d5df086d0ff0b110fbd9d2"
	    "1bb4fc7163af34d08286a2e846f6be03"));
	/* a/b/file comes before a-b: '/' sorts first */
	assert_true(strstr(out, "/a/b/file ") < strstr(out, "/a-b "));
	free(out);
	free(root);
}

static void
test_walk_same_output_for_any_jobs(void **state)
{
	char		*root, *one, *many;
	uint64_t	 n1, n8;

	(void)state;
	root = make_tree();
	one = walk_all(root, 1, NULL, 0, &n1);
	many = walk_all(root, 8, NULL, 0, &n8);
	assert_int_equal(n1, n8);
	assert_string_equal(one, many);
	free(one);
	free(many);
	free(root);
}

static void
test_walk_excludes(void **state)
{
	static const char *const ex[] = { "/many", "*.none", "/a/b" };
	char		*root, *out;
	uint64_t	 n;

	(void)state;
	root = make_tree();
	out = walk_all(root, 2, ex, CS_NELEM(ex), &n);
	assert_null(strstr(out, "/many"));
	assert_null(strstr(out, "/a/b"));
	assert_non_null(strstr(out, "/a-b "));
	assert_int_equal(n, 7);
	free(out);
	free(root);
}

static void
test_walk_unreadable_is_recorded(void **state)
{
	struct cs_walk_opts	 o;
	struct cs_err		 err;
	struct cs_walk		*w;
	struct cs_entry		*e;
	char			*root;
	int			 n, errors = 0;

	(void)state;
	if (geteuid() == 0)
		skip();		/* root reads everything */
	root = make_tree();
	assert_int_equal(chmod(cs_test_path("t/a/b/file"), 0), 0);
	memset(&o, 0, sizeof o);
	o.root = root;
	o.digests = 1U << CS_D_SHA256;
	o.jobs = 2;
	cs_err_init(&err);
	w = cs_walk_open(&o, &err);
	assert_non_null(w);
	while ((n = cs_walk_next(w, &e, &err)) == 1) {
		if (e->error != NULL)
			errors++;
		cs_entry_free(e);
	}
	assert_int_equal(n, 0);
	assert_int_equal(errors, 1);
	assert_int_equal(cs_walk_stats(w)->errors, 1);
	cs_walk_close(w);
	cs_err_release(&err);
	free(root);
}

/*
 * Regression: many directories in a row (records the workers never
 * touch) followed by files used to leave the workers' index behind the
 * consumer's, in a reused ring slot; the consumer then waited forever.
 * The small ring of keep_open mode shows it within 64 directories.
 */
static void
test_walk_many_dirs_then_files_no_hang(void **state)
{
	struct cs_walk_opts	 o;
	struct cs_err		 err;
	struct cs_walk		*w;
	struct cs_entry		*e;
	struct cs_content	*c;
	char			*root, *p;
	int			 i, n, files = 0, pass;

	(void)state;
	root = cs_test_path("t");
	assert_int_equal(mkdir(root, 0755), 0);
	for (i = 0; i < 600; i++) {
		p = cs_xasprintf("%s/d%03d", root, i);
		assert_int_equal(mkdir(p, 0755), 0);
		free(p);
	}
	for (i = 0; i < 200; i++) {
		p = cs_xasprintf("t/f%03d", i);
		assert_int_equal(cs_test_write(p, p, strlen(p)), 0);
		free(p);
	}
	for (pass = 0; pass < 2; pass++) {
		memset(&o, 0, sizeof o);
		o.root = root;
		o.digests = 1U << CS_D_SHA256;
		o.jobs = 2;
		o.keep_open = pass;
		cs_err_init(&err);
		alarm(60);	/* a hang fails the test instead of CI */
		w = cs_walk_open(&o, &err);
		assert_non_null(w);
		files = 0;
		while ((n = cs_walk_next(w, &e, &err)) == 1) {
			files += e->type == CS_T_FILE;
			/* kept open for the consumer, else hashed */
			c = cs_walk_content(w);
			if (e->type == CS_T_FILE && pass)
				assert_true(c != NULL && c->fd >= 0);
			else
				assert_null(c);
			assert_true(pass || e->type != CS_T_FILE ||
			    e->digests != 0);
			cs_entry_free(e);
		}
		alarm(0);
		assert_int_equal(n, 0);
		assert_int_equal(files, 200);
		cs_walk_close(w);
		cs_err_release(&err);
	}
	free(root);
}

static void
test_walk_missing_root_fails(void **state)
{
	struct cs_walk_opts	 o;
	struct cs_err		 err;

	(void)state;
	memset(&o, 0, sizeof o);
	o.root = "/nonexistent/custos/root";
	cs_err_init(&err);
	assert_null(cs_walk_open(&o, &err));
	assert_int_equal(err.code, CS_EXIT_NOINPUT);
	cs_err_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_walk_order_and_types,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(
		    test_walk_same_output_for_any_jobs,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(test_walk_excludes,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(
		    test_walk_unreadable_is_recorded,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(
		    test_walk_many_dirs_then_files_no_hang,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test(test_walk_missing_root_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
