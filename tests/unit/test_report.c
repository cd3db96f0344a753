/*
 * test_report.c: the line format (values as typed, unsafe bytes escaped,
 * every attribute of an added object), --min-severity, the summary at
 * the end of a text report, RFC 3164 message formatting, the copies
 * of baseline files among added ones, and a report streamed in pieces
 * from findings got one at a time, byte for byte the report made whole.
 */
#include "custos/custos.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/copies.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/policy.h"
#include "custos/report.h"
#include "custos/syslog.h"
#include "custos/xmalloc.h"

#include "util.h"

static struct cs_entry *
mk(const char *path, uint32_t mode)
{
	struct cs_entry	*e = cs_entry_new();

	cs_entry_set_path(e, path, strlen(path));
	e->type = CS_T_FILE;
	e->mode = mode;
	e->size = 3;
	e->user = cs_xstrdup("root");
	e->group = cs_xstrdup("wheel");
	e->nlink = 1;
	e->have = CS_F_META;
	return e;
}

/* The finding for OLD and NEW under the built-in policy, at SEV. */
static struct cs_finding *
pair(struct cs_entry *old, struct cs_entry *new, int sev)
{
	struct cs_diff_opts	 o;
	struct cs_finding	*f;

	memset(&o, 0, sizeof o);
	o.policy = cs_policy_new(NULL);
	o.created = INT64_MIN;
	f = cs_diff_pair(old, new, NULL, &o, 1U << CS_D_SHA256);
	cs_policy_free((struct cs_policy *)o.policy);
	assert_non_null(f);
	f->severity = sev;
	return f;
}

static void
test_line_values_as_typed(void **state)
{
	struct cs_finding	*f;
	struct cs_buf		 b;
	struct cs_entry		*n = mk("/usr/bin/x y", 0755);

	(void)state;
	n->caps = cs_xstrdup("cap_setuid=ep");
	cs_entry_add_xattr(n, "user.note", "a b\033[31m->(none)", 16);
	f = pair(mk("/usr/bin/x y", 0755), n, CS_SEV_CRITICAL);
	cs_buf_init(&b);
	cs_report_line(&b, f);
	assert_string_equal(cs_buf_str(&b), "critical changed "
	    "/usr/bin/x\\x20y caps=(none)->cap_setuid=ep "
	    "xattr.user.note=(none)->a\\x20b\\x1b[31m-\\x3e(none)");
	cs_buf_release(&b);
	cs_finding_free(f);
}

static void
test_line_added_object_whole(void **state)
{
	struct cs_finding	*f;
	struct cs_buf		 b;
	struct cs_entry		*n = mk("/tmp/.sh", 04755);

	(void)state;
	n->digests = 1U << CS_D_SHA256;
	memset(n->digest[CS_D_SHA256], 0xab, 32);
	n->mtime.sec = 86400;
	f = pair(NULL, n, CS_SEV_CRITICAL);
	f->copy_of = cs_xstrdup("/bin/bash");
	cs_finding_reason(f, "T1548.001", "setuid or setgid bit added");
	cs_buf_init(&b);
	cs_report_line(&b, f);
	assert_string_equal(cs_buf_str(&b), "critical added /tmp/.sh "
	    "type=file size=3 sha256=abababababababababababababababab"
	    "abababababababababababababababab mode=4755 uid=0(root) "
	    "gid=0(wheel) mtime=1970-01-02T00:00:00.000000000Z "
	    "copy_of=/bin/bash -- setuid or setgid bit added (T1548.001)");
	cs_buf_release(&b);
	cs_finding_free(f);
}

/* Two findings, high and low, written in FMT from severity MIN. */
static char *
two(enum cs_format fmt, int min)
{
	struct cs_finding	*fs[2];
	struct cs_diff_stats	 st;
	struct cs_report_info	 ri;
	struct cs_buf		 b;
	struct cs_entry		*e;
	char			*s;

	e = mk("/etc/a", 0644);
	e->mode = 0600;
	fs[0] = pair(mk("/etc/a", 0644), e, CS_SEV_HIGH);
	e = mk("/srv/b", 0644);
	e->size = 4;
	fs[1] = pair(mk("/srv/b", 0644), e, CS_SEV_LOW);
	memset(&st, 0, sizeof st);
	st.count[CS_K_CHANGED] = 2;
	memset(&ri, 0, sizeof ri);
	ri.command = "check";
	ri.source = "tree /";
	ri.stats = &st;
	ri.exit = CS_EXIT_CHANGED;
	ri.min_severity = min;
	cs_buf_init(&b);
	cs_report_write(&b, fmt, &ri, fs, 2);
	s = cs_buf_detach(&b, NULL);
	cs_finding_free(fs[0]);
	cs_finding_free(fs[1]);
	return s;
}

static void
test_min_severity_hides_lines_only(void **state)
{
	char	*s;

	(void)state;
	s = two(CS_FMT_LINE, CS_SEV_INFO);
	assert_string_equal(s, "high changed /etc/a mode=0644->0600\n"
	    "low changed /srv/b size=3->4\n");
	free(s);
	s = two(CS_FMT_LINE, CS_SEV_HIGH);
	assert_string_equal(s, "high changed /etc/a mode=0644->0600\n");
	free(s);
	s = two(CS_FMT_TEXT, CS_SEV_HIGH);
	assert_null(strstr(s, "/srv/b"));
	assert_null(strstr(s, "No differences"));
	assert_non_null(strstr(s, "severity:   0 critical, 1 high, 0 medium, "
	    "1 low, 0 info\n"));
	/* The summary again, last. */
	assert_non_null(strstr(s, "\nSUMMARY\n"));
	assert_string_equal(strstr(s, "\nSUMMARY\n"), "\nSUMMARY\nresult:     "
	    "0 added, 0 removed, 2 changed, 0 type changed, 0 not compared; "
	    "0 logs appended, 0 ignored\nseverity:   0 critical, 1 high, "
	    "0 medium, 1 low, 0 info\nnot shown:  1 finding below high "
	    "(--min-severity)\nexit:       4\n");
	free(s);
	/* JSON keeps everything. */
	s = two(CS_FMT_JSON, CS_SEV_CRITICAL);
	assert_non_null(strstr(s, "\"path\":\"/srv/b\""));
	free(s);
}

/* Entries of a baseline: PATH with content digest byte D and SIZE. */
static struct cs_entry *
rec(const char *path, unsigned char d, uint64_t size)
{
	struct cs_entry	*e = mk(path, 0644);

	e->size = size;
	e->digests = 1U << CS_D_SHA256;
	memset(e->digest[CS_D_SHA256], d, 32);
	return e;
}

/*
 * Write an unsigned baseline: files /a (content 1), /b/sh and /b/sh2
 * (both 2), /e (empty).
 */
static void
write_base(const char *path)
{
	struct cs_bl_header	 h;
	struct cs_blw		*w;
	struct cs_entry		*e[6];
	struct cs_err		 err;
	size_t			 i;
	int			 fd;

	cs_err_init(&err);
	e[0] = mk("/", 0755);
	e[0]->type = CS_T_DIR;
	e[1] = rec("/a", 1, 10);
	e[2] = mk("/b", 0755);
	e[2]->type = CS_T_DIR;
	e[3] = rec("/b/sh", 2, 20);
	e[4] = rec("/b/sh2", 2, 20);
	e[5] = rec("/e", 3, 0);
	cs_bl_header_init(&h);
	cs_bl_header_add(&h, "created", "2026-01-01T00:00:00Z", 20);
	cs_bl_header_add(&h, "host", "h", 1);
	cs_bl_header_add(&h, "root", "/", 1);
	cs_bl_header_add(&h, "digests", "sha256", 6);
	cs_bl_header_add(&h, "tool", "custos", 6);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	w = cs_blw_new(fd, path, &h, &err);
	assert_non_null(w);
	for (i = 0; i < 6; i++) {
		assert_int_equal(cs_blw_add(w, e[i], &err), 0);
		cs_entry_free(e[i]);
	}
	assert_int_equal(cs_blw_finish(w, NULL, &err), 0);
	cs_blw_free(w);
	assert_int_equal(close(fd), 0);
	cs_bl_header_release(&h);
}

/* An added file's finding. */
static struct cs_finding *
added(struct cs_entry *e)
{
	return pair(NULL, e, CS_SEV_LOW);
}

static void
test_copies_name_the_first_original(void **state)
{
	struct cs_diff_base	 base;
	struct cs_finding	*fs[4];
	struct cs_err		 err;
	char			*path = cs_test_path("base.cbl"), *data, *p;
	size_t			 i, len;

	(void)state;
	cs_err_init(&err);
	write_base(path);
	memset(&base, 0, sizeof base);
	if (cs_diff_base_load(&base, path, NULL, NULL, 1, NULL, &err) != 0)
		fail_msg("%s", err.msg);
	fs[0] = added(rec("/tmp/x", 2, 20));	/* copy of /b/sh */
	fs[1] = added(rec("/tmp/y", 9, 20));	/* nothing */
	fs[2] = added(rec("/tmp/z", 3, 0));	/* empty: nothing */
	fs[3] = added(rec("/tmp/w", 2, 21));	/* other size: nothing */
	if (cs_copies_find(&base, fs, 4, &err) != 0)
		fail_msg("%s", err.msg);
	assert_string_equal(fs[0]->copy_of, "/b/sh");
	assert_null(fs[1]->copy_of);
	assert_null(fs[2]->copy_of);
	assert_null(fs[3]->copy_of);
	/* A digest in the file changes after it was verified: exit 8. */
	data = cs_test_read(path, &len);
	assert_non_null(data);
	assert_non_null(p = strstr(data, "sha256=0101"));
	p[7] = '2';
	assert_int_equal(cs_test_write("base.cbl", data, len), 0);
	free(data);
	for (i = 0; i < 4; i++) {
		free(fs[i]->copy_of);
		fs[i]->copy_of = NULL;
	}
	assert_int_equal(cs_copies_find(&base, fs, 4, &err), -1);
	assert_int_equal(err.code, CS_EXIT_INTEGRITY);
	assert_null(fs[0]->copy_of);
	for (i = 0; i < 4; i++)
		cs_finding_free(fs[i]);
	cs_diff_base_release(&base);
	cs_err_release(&err);
	free(path);
}

static void
test_syslog_message(void **state)
{
	struct cs_buf	 b;
	char		*msg;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	cs_buf_init(&b);
	cs_syslog_format(&b, LOG_AUTHPRIV | LOG_CRIT, 86400 + 3 * 3600 + 245,
	    "custos", 42, "critical added /tmp/.sh");
	assert_string_equal(cs_buf_str(&b),
	    "<82>Jan  2 03:04:05 custos[42]: critical added /tmp/.sh");
	cs_buf_reset(&b);
	msg = cs_xmalloc(2000);
	memset(msg, 'a', 1999);
	msg[1999] = '\0';
	cs_syslog_format(&b, LOG_AUTHPRIV | LOG_INFO, 0, "custos", 7, msg);
	assert_int_equal(b.len, CS_SYSLOG_MAX);
	assert_int_equal(strlen(cs_buf_str(&b)), CS_SYSLOG_MAX);
	assert_memory_equal(b.data, "<86>Jan  1 00:00:00 custos[7]: aaa", 34);
	assert_string_equal(b.data + CS_SYSLOG_MAX - 4, "a...");
	free(msg);
	cs_buf_release(&b);
}

/* The findings of a streamed report, each one got and put in turn. */
struct stream_fs {
	struct cs_finding	**fs;
	int			 held;		/* got, not yet put */
	size_t			 gets;
	size_t			 briefs;
};

static struct cs_finding *
stream_get(void *arg, size_t i)
{
	struct stream_fs	*s = arg;

	/* never two findings at once */
	assert_int_equal(s->held, 0);
	s->held = 1;
	s->gets++;
	return s->fs[i];
}

static void
stream_put(void *arg, struct cs_finding *f)
{
	struct stream_fs	*s = arg;

	assert_int_equal(s->held, 1);
	assert_non_null(f);
	s->held = 0;
}

/* The brief of a finding, as a store that keeps it apart gives it. */
static void
stream_brief(void *arg, size_t i, struct cs_report_brief *b)
{
	struct stream_fs	*s = arg;

	assert_int_equal(s->held, 0);
	s->briefs++;
	cs_report_brief(s->fs[i], b);
}

/* The output: appends to a buffer, or fails from the FAIL-th write on. */
struct stream_out {
	struct cs_buf	 b;
	size_t		 writes;
	size_t		 fail;		/* 0: never */
};

static int
stream_write(void *arg, const void *p, size_t n)
{
	struct stream_out	*o = arg;

	if (++o->writes == o->fail) {
		errno = ENOSPC;
		return -1;
	}
	assert_true(o->fail == 0 || o->writes < o->fail);
	cs_buf_add(&o->b, p, n);
	return 0;
}

#define STREAM_N	300

/*
 * STREAM_N findings of every severity, changed and added, in programs
 * and configuration (both plan groups), their times in bursts; sorted.
 */
static void
stream_findings(struct cs_finding **fs)
{
	static const char *const dirs[] = { "/usr/bin", "/etc", "/srv" };
	struct cs_entry	*e;
	char		*path;
	size_t		 i;

	for (i = 0; i < STREAM_N; i++) {
		path = cs_xasprintf("%s/f%03zu", dirs[i % 3], i);
		e = mk(path, 0644);
		e->mtime.sec = 1000000 + (int64_t)(i / 7) * 5000 +
		    (int64_t)(i % 7);
		if (i % 4 == 0) {
			e->ctime.sec = e->mtime.sec + 86400;
			e->have |= CS_F_CTIME;
		}
		if (i % 2 == 0) {
			e->mode = 0755;
			fs[i] = pair(mk(path, 0644), e, (int)(i % CS_SEV_COUNT));
		} else
			fs[i] = pair(NULL, e, (int)(i % CS_SEV_COUNT));
		fs[i]->seq = i;
		free(path);
	}
	cs_report_sort(fs, STREAM_N);
}

static void
test_stream_equals_whole(void **state)
{
	static const enum cs_format fmts[] = {
		CS_FMT_TEXT, CS_FMT_LINE, CS_FMT_JSON
	};
	struct cs_finding	*fs[STREAM_N];
	struct cs_diff_stats	 st;
	struct cs_report_info	 ri;
	struct cs_report_out	 to;
	struct cs_report_fs	 acc;
	struct stream_fs	 sfs;
	struct stream_out	 so;
	struct cs_buf		 whole;
	size_t			 f, i, flush, gets[3];
	char			*tmpdir = getenv("TMPDIR");

	(void)state;
	if (tmpdir != NULL)
		tmpdir = cs_xstrdup(tmpdir);
	memset(&acc, 0, sizeof acc);
	stream_findings(fs);
	memset(&st, 0, sizeof st);
	st.count[CS_K_CHANGED] = STREAM_N / 2;
	st.count[CS_K_ADDED] = STREAM_N / 2;
	memset(&ri, 0, sizeof ri);
	ri.command = "check";
	ri.source = "tree /";
	ri.stats = &st;
	ri.exit = CS_EXIT_CHANGED | CS_EXIT_ADDED;
	ri.burst_gap = 600;
	for (f = 0; f < 3; f++) {
		ri.min_severity = fmts[f] == CS_FMT_TEXT ? CS_SEV_LOW :
		    CS_SEV_INFO;
		cs_buf_init(&whole);
		cs_report_write(&whole, fmts[f], &ri, fs, STREAM_N);
		/* every part of the report is there */
		assert_non_null(strstr(cs_buf_str(&whole), "/etc/f001"));
		if (fmts[f] == CS_FMT_TEXT) {
			assert_non_null(strstr(cs_buf_str(&whole),
			    "\nburst 3: "));
			assert_non_null(strstr(cs_buf_str(&whole),
			    "\nReinstall from trusted vendor media"));
			assert_non_null(strstr(cs_buf_str(&whole),
			    "\nReview, and restore from a backup"));
		}
		for (flush = 1; flush <= 4096; flush *= 64) {
			memset(&sfs, 0, sizeof sfs);
			sfs.fs = fs;
			acc.n = STREAM_N;
			acc.get = stream_get;
			acc.put = stream_put;
			/*
			 * The first pass by briefs, or by the findings; with
			 * briefs the plan keeps its items in temporary files,
			 * or where none can be made (4096) reads them again.
			 */
			acc.brief = flush > 1 ? stream_brief : NULL;
			acc.arg = &sfs;
			if (flush == 4096)
				assert_int_equal(setenv("TMPDIR",
				    "/nonexistent/custos", 1), 0);
			memset(&so, 0, sizeof so);
			cs_buf_init(&so.b);
			to.write = stream_write;
			to.arg = &so;
			to.flush = flush;
			assert_int_equal(cs_report_stream(&to, fmts[f], &ri,
			    &acc), 0);
			if (flush == 4096)
				assert_int_equal(tmpdir != NULL ?
				    setenv("TMPDIR", tmpdir, 1) :
				    unsetenv("TMPDIR"), 0);
			assert_int_equal(sfs.held, 0);
			assert_true(sfs.gets >= STREAM_N);
			assert_int_equal(sfs.briefs, flush > 1 ? STREAM_N : 0);
			gets[flush == 1 ? 0 : flush == 64 ? 1 : 2] = sfs.gets;
			/* in pieces of about FLUSH, and the same bytes */
			assert_true(so.writes > 1);
			assert_true(so.writes >= whole.len / (flush + 2048));
			assert_true(so.writes <= whole.len / flush + 1);
			assert_int_equal(so.b.len, whole.len);
			assert_memory_equal(so.b.data, whole.data, whole.len);
			cs_buf_release(&so.b);
		}
		/*
		 * Briefs spare a read of each; kept timeline and plan items
		 * all but the first of each plan group.
		 */
		assert_int_equal(gets[2], gets[0] - STREAM_N);
		assert_true(gets[1] >= STREAM_N && gets[1] <= STREAM_N + 2);
		if (fmts[f] != CS_FMT_LINE)
			assert_true(gets[1] + STREAM_N / 2 < gets[2]);
		else
			assert_int_equal(gets[2], STREAM_N);
		/* a failed write: an error, and nothing written after it */
		memset(&sfs, 0, sizeof sfs);
		sfs.fs = fs;
		memset(&so, 0, sizeof so);
		cs_buf_init(&so.b);
		so.fail = 3;
		to.flush = 64;
		errno = 0;
		assert_int_equal(cs_report_stream(&to, fmts[f], &ri, &acc), -1);
		assert_int_equal(errno, ENOSPC);
		assert_int_equal(so.writes, 3);
		assert_true(so.b.len < whole.len);
		cs_buf_release(&so.b);
		cs_buf_release(&whole);
	}
	for (i = 0; i < STREAM_N; i++)
		cs_finding_free(fs[i]);
	free(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_values_as_typed),
		cmocka_unit_test(test_line_added_object_whole),
		cmocka_unit_test(test_min_severity_hides_lines_only),
		cmocka_unit_test(test_syslog_message),
		cmocka_unit_test(test_stream_equals_whole),
		cmocka_unit_test_setup_teardown(
		    test_copies_name_the_first_original, cs_test_setup_tmp,
		    cs_test_teardown_tmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
