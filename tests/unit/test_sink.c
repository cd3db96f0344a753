/*
 * test_sink.c: the sink interface and the driver (cs_pipe_run).
 *
 * A fake source hands out a fixed list of records; a recording sink
 * notes every call.  The driver must keep the order, leave out the
 * files on its skip list, count records, bytes and errors, report
 * progress and errors, abort the sink when a record is refused, stop
 * when asked to, and refuse a source out of canonical order.  The
 * update source merges two fake sources; the join takes a fed source.
 */
#include "custos/custos.h"

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "custos/content.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/join.h"
#include "custos/pipe.h"
#include "custos/policy.h"
#include "custos/sink.h"
#include "custos/source.h"
#include "custos/update.h"
#include "custos/xmalloc.h"

struct fake_rec {
	const char	*path;
	int		 type;
	uint64_t	 ino;
	uint64_t	 size;
	int		 error;
};

struct fake_src {
	const struct fake_rec	*recs;
	size_t			 n, next;
	int			*closed;
	volatile sig_atomic_t	*stop;		/* set after STOP_AT records */
	size_t			 stop_at;
};

static int
fake_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct fake_src		*f = impl;
	const struct fake_rec	*r;
	struct cs_entry		*e;

	(void)err;
	if (f->stop != NULL && f->next == f->stop_at)
		*f->stop = 1;
	if (f->next == f->n)
		return 0;
	r = &f->recs[f->next++];
	e = cs_entry_new();
	cs_entry_set_path(e, r->path, strlen(r->path));
	e->type = r->type;
	e->dev = 7;
	e->ino = r->ino;
	e->size = r->size;
	if (r->type == CS_T_FILE)
		e->digests = CS_DIGEST_DEFAULT;
	if (r->error)
		e->error = cs_xstrdup("cannot read");
	*ep = e;
	return 1;
}

static void
fake_close(void *impl)
{
	struct fake_src	*f = impl;

	if (f->closed != NULL)
		(*f->closed)++;
	free(f);
}

static const struct cs_source_ops fake_src_ops = {
	"fake", fake_next, fake_close, NULL
};

static struct cs_source *
fake_source(const struct fake_rec *recs, size_t n)
{
	struct fake_src	*f;

	f = cs_xcalloc(1, sizeof *f);
	f->recs = recs;
	f->n = n;
	return cs_source_new(&fake_src_ops, f, "fake");
}

/* What the recording sink saw. */
struct rec_log {
	int	 begun, finished, aborted;
	char	 paths[16][16];
	size_t	 n;
	int	 fail_at;	/* refuse the record with this index, or -1 */
};

static int
rec_begin(void *impl, struct cs_err *err)
{
	struct rec_log	*l = impl;

	(void)err;
	l->begun++;
	return 0;
}

static int
rec_add(void *impl, struct cs_entry *e, struct cs_content *c,
    struct cs_err *err)
{
	struct rec_log	*l = impl;
	int		 rc = 0;

	(void)c;
	if ((int)l->n == l->fail_at)
		rc = cs_err_set(err, CS_EXIT_IOERR, 0, "refused");
	else if (l->n < 16)
		snprintf(l->paths[l->n++], sizeof l->paths[0], "%s", e->path);
	cs_entry_free(e);
	return rc;
}

static int
rec_finish(void *impl, struct cs_err *err)
{
	struct rec_log	*l = impl;

	(void)err;
	l->finished++;
	return 0;
}

static void
rec_abort(void *impl)
{
	struct rec_log	*l = impl;

	l->aborted++;
}

static const struct cs_sink_ops rec_ops = {
	"record", rec_begin, rec_add, rec_finish, rec_abort
};

static const struct fake_rec five[] = {
	{ "/", CS_T_DIR, 1, 0, 0 },
	{ "/a", CS_T_FILE, 2, 10, 0 },
	{ "/b", CS_T_FILE, 3, 100, 1 },
	{ "/b/c", CS_T_DIR, 4, 0, 1 },
	{ "/d", CS_T_FILE, 5, 1000, 0 },
};

struct progress_log {
	uint64_t	 calls, records, bytes;
};

static void
count_progress(void *arg, uint64_t records, uint64_t bytes)
{
	struct progress_log	*p = arg;

	p->calls++;
	assert_true(records > p->records || p->calls == 1);
	p->records = records;
	p->bytes = bytes;
}

static void
count_error(void *arg, const struct cs_entry *e)
{
	int	*n = arg;

	assert_non_null(e->error);
	(*n)++;
}

static void
test_pipe_keeps_order_and_counts(void **state)
{
	struct rec_log		 log = { .fail_at = -1 };
	struct progress_log	 prog = { 0 };
	struct cs_pipe_opts	 o = { 0 };
	struct cs_pipe_stats	 st;
	struct cs_err		 err;
	struct cs_source	*src;
	struct cs_sink		*sink;
	int			 nerr = 0;
	size_t			 i;

	(void)state;
	cs_err_init(&err);
	src = fake_source(five, 5);
	sink = cs_sink_new(&rec_ops, &log);
	o.progress = count_progress;
	o.progress_arg = &prog;
	o.error = count_error;
	o.error_arg = &nerr;
	assert_int_equal(cs_pipe_run(src, sink, &o, &st, &err), 0);
	assert_int_equal(log.begun, 1);
	assert_int_equal(log.finished, 1);
	assert_int_equal(log.aborted, 0);
	assert_int_equal(log.n, 5);
	for (i = 0; i < 5; i++)
		assert_string_equal(log.paths[i], five[i].path);
	assert_int_equal(st.records, 5);
	assert_int_equal(st.bytes, 1110);
	assert_int_equal(st.errors, 2);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(nerr, 2);
	assert_int_equal(prog.calls, 5);
	assert_int_equal(prog.records, 5);
	assert_int_equal(prog.bytes, 1110);
	cs_sink_free(sink);
	/* Released once, through abort, also after a finish. */
	assert_int_equal(log.aborted, 1);
	cs_source_free(src);
	cs_err_release(&err);
}

static void
test_pipe_skips_own_output(void **state)
{
	static const struct cs_pipe_skip skip[] = {
		{ 7, 3 },	/* /b: a file, left out */
		{ 7, 4 },	/* /b/c: a directory, kept */
		{ 8, 5 },	/* other device: /d kept */
	};
	struct rec_log		 log = { .fail_at = -1 };
	struct cs_pipe_opts	 o = { 0 };
	struct cs_pipe_stats	 st;
	struct cs_err		 err;
	struct cs_source	*src;
	struct cs_sink		*sink;
	int			 nerr = 0;

	(void)state;
	cs_err_init(&err);
	src = fake_source(five, 5);
	sink = cs_sink_new(&rec_ops, &log);
	o.skip = skip;
	o.nskip = 3;
	o.error = count_error;
	o.error_arg = &nerr;
	assert_int_equal(cs_pipe_run(src, sink, &o, &st, &err), 0);
	assert_int_equal(log.n, 4);
	assert_string_equal(log.paths[0], "/");
	assert_string_equal(log.paths[1], "/a");
	assert_string_equal(log.paths[2], "/b/c");
	assert_string_equal(log.paths[3], "/d");
	assert_int_equal(st.skipped, 1);
	assert_int_equal(st.records, 5);
	/* The skipped file's error is not reported. */
	assert_int_equal(nerr, 1);
	cs_sink_free(sink);
	cs_source_free(src);
	cs_err_release(&err);
}

static void
test_pipe_aborts_on_refused_record(void **state)
{
	struct rec_log		 log = { .fail_at = 2 };
	struct cs_pipe_stats	 st;
	struct cs_err		 err;
	struct cs_source	*src;
	struct cs_sink		*sink;

	(void)state;
	cs_err_init(&err);
	src = fake_source(five, 5);
	sink = cs_sink_new(&rec_ops, &log);
	assert_int_equal(cs_pipe_run(src, sink, NULL, &st, &err), -1);
	assert_int_equal(err.code, CS_EXIT_IOERR);
	assert_string_equal(err.msg, "refused");
	assert_int_equal(log.n, 2);
	assert_int_equal(log.finished, 0);
	assert_int_equal(log.aborted, 1);
	assert_int_equal(st.records, 3);
	/* After the abort, the sink takes nothing more. */
	cs_err_release(&err);
	cs_err_init(&err);
	assert_int_equal(cs_sink_add(sink, cs_entry_new(), NULL, &err), -1);
	assert_int_equal(err.code, CS_EXIT_SOFTWARE);
	cs_sink_free(sink);
	assert_int_equal(log.aborted, 1);
	cs_source_free(src);
	cs_err_release(&err);
}

static void
test_pipe_stops_when_asked(void **state)
{
	volatile sig_atomic_t	 stop = 0;
	struct rec_log		 log = { .fail_at = -1 };
	struct cs_pipe_opts	 o = { 0 };
	struct cs_pipe_stats	 st;
	struct cs_err		 err;
	struct cs_source	*src;
	struct cs_sink		*sink;
	struct fake_src		*f;

	(void)state;
	cs_err_init(&err);
	f = cs_xcalloc(1, sizeof *f);
	f->recs = five;
	f->n = 5;
	f->stop = &stop;
	f->stop_at = 2;		/* a signal while the 3rd is pulled */
	src = cs_source_new(&fake_src_ops, f, "fake");
	sink = cs_sink_new(&rec_ops, &log);
	o.stop = &stop;
	assert_int_equal(cs_pipe_run(src, sink, &o, &st, &err), -1);
	assert_string_equal(err.msg, "interrupted");
	/* The 3rd record is passed on; the 4th is never pulled. */
	assert_int_equal(log.n, 3);
	assert_int_equal(st.records, 3);
	assert_int_equal(f->next, 3);
	assert_int_equal(log.finished, 0);
	assert_int_equal(log.aborted, 1);
	cs_sink_free(sink);
	cs_source_free(src);
	cs_err_release(&err);
}

static void
test_pipe_refuses_disorder(void **state)
{
	static const struct fake_rec bad[] = {
		{ "/", CS_T_DIR, 1, 0, 0 },
		{ "/b", CS_T_FILE, 2, 0, 0 },
		{ "/a", CS_T_FILE, 3, 0, 0 },
	};
	struct rec_log		 log = { .fail_at = -1 };
	struct cs_err		 err;
	struct cs_source	*src;
	struct cs_sink		*sink;

	(void)state;
	cs_err_init(&err);
	src = fake_source(bad, 3);
	sink = cs_sink_new(&rec_ops, &log);
	assert_int_equal(cs_pipe_run(src, sink, NULL, NULL, &err), -1);
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	assert_non_null(strstr(err.msg, "canonical order"));
	assert_int_equal(log.n, 2);
	assert_int_equal(log.aborted, 1);
	cs_sink_free(sink);
	cs_source_free(src);
	cs_err_release(&err);
}

/*
 * The update source: accepted paths from the new side (gone ones
 * dropped, incomplete ones refused with the old kept), the rest old.
 */
static void
test_update_merge(void **state)
{
	static const struct fake_rec old[] = {
		{ "/", CS_T_DIR, 1, 0, 0 },
		{ "/a", CS_T_FILE, 2, 10, 0 },
		{ "/b", CS_T_FILE, 3, 100, 0 },
		{ "/etc", CS_T_DIR, 4, 0, 0 },
		{ "/etc/gone", CS_T_FILE, 5, 1, 0 },
		{ "/etc/x", CS_T_FILE, 6, 1, 0 },
	};
	static const struct fake_rec new[] = {
		{ "/", CS_T_DIR, 1, 0, 0 },
		{ "/a", CS_T_FILE, 2, 11, 0 },
		{ "/b", CS_T_FILE, 3, 101, 0 },
		{ "/etc", CS_T_DIR, 4, 0, 0 },
		{ "/etc/new", CS_T_FILE, 7, 2, 0 },
		{ "/etc/x", CS_T_FILE, 6, 2, 1 },
		{ "/z", CS_T_FILE, 8, 3, 0 },
	};
	static const char *const accept[] = { "/etc", "/b" };
	struct cs_update_opts	 uo = { 0 };
	struct cs_update_counts	 n = { 0 };
	struct rec_log		 log = { .fail_at = -1 };
	struct cs_err		 err;
	struct cs_source	*src;
	struct cs_sink		*sink;
	int			 refused = 0;

	(void)state;
	cs_err_init(&err);
	uo.accept = accept;
	uo.naccept = 2;
	uo.refused = count_error;
	uo.refused_arg = &refused;
	src = cs_source_update(fake_source(old, 6), fake_source(new, 7), "t",
	    &uo, &n);
	sink = cs_sink_new(&rec_ops, &log);
	assert_int_equal(cs_pipe_run(src, sink, NULL, NULL, &err), 0);
	/* "/etc" accepts what is below it; "/a" and "/z" are not accepted */
	assert_int_equal(log.n, 6);
	assert_string_equal(log.paths[0], "/");
	assert_string_equal(log.paths[1], "/a");
	assert_string_equal(log.paths[2], "/b");
	assert_string_equal(log.paths[3], "/etc");
	assert_string_equal(log.paths[4], "/etc/new");
	assert_string_equal(log.paths[5], "/etc/x");
	assert_int_equal(n.taken, 3);		/* /b, /etc, /etc/new */
	assert_int_equal(n.dropped, 1);		/* /etc/gone */
	assert_int_equal(n.refused, 1);		/* /etc/x, old kept */
	assert_int_equal(n.kept, 2);		/* /, /a */
	assert_int_equal(refused, 1);
	assert_true(cs_update_accepted(&uo, "/etc/deep/er"));
	assert_false(cs_update_accepted(&uo, "/etcetera"));
	assert_false(cs_update_accepted(&uo, "/bb"));
	cs_sink_free(sink);
	cs_source_free(src);
	cs_err_release(&err);
}

/* An accepted path takes along the new directories above it. */
static void
test_update_takes_parents(void **state)
{
	static const struct fake_rec old[] = {
		{ "/", CS_T_DIR, 1, 0, 0 },
		{ "/etc", CS_T_DIR, 2, 0, 0 },
	};
	static const struct fake_rec new[] = {
		{ "/", CS_T_DIR, 1, 0, 0 },
		{ "/etc", CS_T_DIR, 2, 0, 0 },
		{ "/etc/a", CS_T_DIR, 3, 0, 0 },
		{ "/etc/a/b", CS_T_DIR, 4, 0, 0 },
		{ "/etc/a/b/f", CS_T_FILE, 5, 1, 0 },
		{ "/etc/a/b/g", CS_T_FILE, 6, 1, 0 },
		{ "/etc/a/c", CS_T_FILE, 7, 1, 0 },
		{ "/etc/z", CS_T_DIR, 8, 0, 0 },
		{ "/etc/z/y", CS_T_FILE, 9, 1, 0 },
	};
	static const char *const accept[] = { "/etc/a/b/f", "/etc/a/c" };
	static const char *const want[] = { "/", "/etc", "/etc/a",
	    "/etc/a/b", "/etc/a/b/f", "/etc/a/c" };
	struct cs_update_opts	 uo = { 0 };
	struct cs_update_counts	 n = { 0 };
	struct rec_log		 log = { .fail_at = -1 };
	struct cs_err		 err;
	struct cs_source	*src;
	struct cs_sink		*sink;
	size_t			 i;

	(void)state;
	cs_err_init(&err);
	uo.accept = accept;
	uo.naccept = 2;
	src = cs_source_update(fake_source(old, 2), fake_source(new, 9), "t",
	    &uo, &n);
	sink = cs_sink_new(&rec_ops, &log);
	assert_int_equal(cs_pipe_run(src, sink, NULL, NULL, &err), 0);
	assert_int_equal(log.n, 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(log.paths[i], want[i]);
	assert_int_equal(n.taken, 4);	/* /etc/a, /etc/a/b, f, c */
	assert_int_equal(n.kept, 2);
	cs_sink_free(sink);
	cs_source_free(src);
	cs_err_release(&err);
}

/*
 * A fed source in the join: each record fed completes the pairs up to
 * it; the join asks for more (CS_SOURCE_AGAIN) until the end is fed.
 */
static void
test_join_fed_source(void **state)
{
	static const struct fake_rec old[] = {
		{ "/", CS_T_DIR, 1, 0, 0 },
		{ "/a", CS_T_FILE, 2, 10, 0 },
		{ "/b", CS_T_FILE, 3, 10, 0 },
		{ "/c", CS_T_FILE, 4, 10, 0 },
	};
	static const char *const fed[] = { "/", "/c", "/d" };
	struct cs_source	*a, *b;
	struct cs_join		*j;
	struct cs_entry		*ea, *eb;
	struct cs_content	*c = cs_content_new();
	struct cs_err		 err;
	int			 pairs = 0, alone = 0;
	size_t			 i;

	(void)state;
	cs_err_init(&err);
	a = fake_source(old, 4);
	b = cs_source_fed("tree", "/t", CS_G_ALL);
	j = cs_join_new(a, b);
	assert_int_equal(cs_join_next(j, &ea, &eb, &err), CS_SOURCE_AGAIN);
	for (i = 0; i < 3; i++) {
		ea = cs_entry_new();
		cs_entry_set_path(ea, fed[i], strlen(fed[i]));
		assert_int_equal(cs_source_feed(b, ea, c), 0);
		/* a second record before the first is taken is refused */
		assert_int_equal(cs_source_feed(b, cs_entry_new(), NULL), -1);
		while (cs_join_next(j, &ea, &eb, &err) == 1) {
			if (eb != NULL)
				assert_ptr_equal(cs_source_content(b), c);
			pairs += ea != NULL && eb != NULL;
			alone += ea == NULL || eb == NULL;
			cs_entry_free(ea);
			cs_entry_free(eb);
		}
	}
	cs_source_feed_end(b);
	while (cs_join_next(j, &ea, &eb, &err) == 1) {
		alone++;
		cs_entry_free(ea);
		cs_entry_free(eb);
	}
	assert_int_equal(cs_join_next(j, &ea, &eb, &err), 0);
	assert_int_equal(pairs, 2);	/* "/", "/c" */
	assert_int_equal(alone, 3);	/* "/a", "/b" old; "/d" new */
	cs_join_free(j);
	cs_source_free(a);
	cs_source_free(b);
	cs_content_free(c);
	cs_err_release(&err);
}

static void
test_sink_calls_in_turn(void **state)
{
	struct rec_log	 log = { .fail_at = -1 };
	struct cs_err	 err;
	struct cs_sink	*sink;

	(void)state;
	cs_err_init(&err);
	sink = cs_sink_new(&rec_ops, &log);
	assert_string_equal(cs_sink_kind(sink), "record");
	/* Nothing before begin, and begin only once. */
	assert_int_equal(cs_sink_finish(sink, &err), -1);
	assert_int_equal(cs_sink_add(sink, cs_entry_new(), NULL, &err), -1);
	assert_int_equal(cs_sink_begin(sink, &err), 0);
	assert_int_equal(cs_sink_begin(sink, &err), -1);
	assert_int_equal(cs_sink_finish(sink, &err), 0);
	assert_int_equal(cs_sink_finish(sink, &err), -1);
	assert_int_equal(log.begun, 1);
	assert_int_equal(log.finished, 1);
	cs_sink_free(sink);
	assert_int_equal(log.aborted, 1);
	cs_sink_free(NULL);
	cs_err_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_keeps_order_and_counts),
		cmocka_unit_test(test_pipe_skips_own_output),
		cmocka_unit_test(test_pipe_aborts_on_refused_record),
		cmocka_unit_test(test_pipe_stops_when_asked),
		cmocka_unit_test(test_pipe_refuses_disorder),
		cmocka_unit_test(test_sink_calls_in_turn),
		cmocka_unit_test(test_update_merge),
		cmocka_unit_test(test_update_takes_parents),
		cmocka_unit_test(test_join_fed_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
