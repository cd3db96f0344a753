/*
 * report_run.c: the driver of every report format (report_int.h).
 *
 * The findings are reached one at a time through their accessor (struct
 * cs_report_fs), never two at once: a pass counts them and notes, by
 * index, each one's plan group and its place in the timeline (time and
 * discovery order), so that the findings, the timeline and the plan are
 * then written each finding in turn.  The report grows in a buffer that
 * is handed to the output (struct cs_report_out) whenever it passes the
 * threshold after a finding, a timeline item or a plan line, so its size
 * in memory is bounded by the threshold and the largest finding, not by
 * the report; without an output (cs_report_write) it stays whole.
 */
#include "custos/custos.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "custos/atomic.h"
#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/policy.h"
#include "custos/report.h"
#include "custos/report_int.h"
#include "custos/triage.h"
#include "custos/xmalloc.h"

/* Timeline: by time, then discovery order. */
static int
report_tl_cmp(const void *pa, const void *pb)
{
	const struct cs_report_tl	*a = pa, *b = pb;

	if (a->t.sec != b->t.sec)
		return a->t.sec < b->t.sec ? -1 : 1;
	if (a->t.nsec != b->t.nsec)
		return a->t.nsec < b->t.nsec ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * Hand what OUT holds to the output once it passes the threshold, or
 * all of it with ALL.  After a failed write nothing more is written.
 */
static void
report_flush(struct cs_report_ctx *c, int all)
{
	size_t	 max;

	if (c->to == NULL)
		return;
	max = c->to->flush != 0 ? c->to->flush : 1024 * 1024;
	if (!all && c->out->len <= max)
		return;
	if (c->errnum == 0 && c->out->len > 0 &&
	    c->to->write(c->to->arg, c->out->data, c->out->len) != 0)
		c->errnum = errno != 0 ? errno : EIO;
	cs_buf_reset(c->out);
}

void
cs_report_brief(const struct cs_finding *f, struct cs_report_brief *b)
{
	memset(b, 0, sizeof *b);
	b->severity = f->severity;
	b->seq = f->seq;
	if (f->new == NULL || f->kind == CS_K_REMOVED ||
	    f->kind == CS_K_NOTCMP)
		return;
	b->has_time = 1;
	b->by_ctime = (f->new->have & CS_F_CTIME) != 0;
	b->t = b->by_ctime ? f->new->ctime : f->new->mtime;
}

/*
 * One pass over the findings' briefs: the counts by severity, and the
 * timeline's items, changed and added objects by ctime (or mtime),
 * sorted.  Returns the number of items.
 */
static size_t
report_scan(struct cs_report_ctx *c, struct cs_report_tl *tl)
{
	struct cs_report_brief	 b;
	struct cs_finding	*f;
	size_t			 i, n = 0;

	for (i = 0; i < c->n; i++) {
		if (c->fs->brief != NULL)
			c->fs->brief(c->fs->arg, i, &b);
		else {
			f = c->fs->get(c->fs->arg, i);
			cs_report_brief(f, &b);
			c->fs->put(c->fs->arg, f);
		}
		c->sev[b.severity]++;
		if (b.severity < c->min) {
			c->hidden++;
			continue;
		}
		if (b.has_time) {
			tl[n].seq = b.seq;
			tl[n].i = i;
			tl[n].by_ctime = b.by_ctime;
			tl[n].t = b.t;
			n++;
		}
	}
	if (n > 1)
		qsort(tl, n, sizeof *tl, report_tl_cmp);
	return n;
}

/* The N timeline items TL, cut into bursts. */
static void
report_timeline(struct cs_report_ctx *c, const struct cs_report_ops *ops,
    const struct cs_report_tl *tl, size_t n)
{
	struct cs_finding	*f;
	size_t			 i, j, start = 0;
	unsigned		 burst = 0;

	for (i = 1; i <= n; i++) {
		if (i < n && tl[i].t.sec - tl[i - 1].t.sec <=
		    c->info->burst_gap)
			continue;
		burst++;
		if (ops->burst_begin != NULL)
			ops->burst_begin(c, burst, &tl[start].t, &tl[i - 1].t,
			    i - start);
		for (j = start; j < i; j++) {
			f = c->fs->get(c->fs->arg, tl[j].i);
			ops->burst_item(c, burst, &tl[j], f);
			c->fs->put(c->fs->arg, f);
			report_flush(c, 0);
		}
		start = i;
	}
}

/*
 * Plan items kept while the findings are written, so that the plan does
 * not read every finding again: in each group, every item after the
 * first (which is written from its finding, under the group's heading)
 * goes to an unlinked temporary file.  Only for findings kept on disk (a
 * list with briefs); without the files, or after a failed write, the
 * plan reads the findings again.
 */
struct report_keep {
	int		 ok;
	int		 fd[CS_PLAN_REVIEW + 1];
	size_t		 first[CS_PLAN_REVIEW + 1];	/* SIZE_MAX: none */
	struct cs_buf	 buf[CS_PLAN_REVIEW + 1];
};

static void
report_keep_open(struct report_keep *k, int on)
{
	struct cs_err	 err;
	int		 p;

	memset(k, 0, sizeof *k);
	cs_err_init(&err);
	k->ok = on;
	for (p = 0; p <= CS_PLAN_REVIEW; p++) {
		k->first[p] = SIZE_MAX;
		k->fd[p] = -1;
		cs_buf_init(&k->buf[p]);
		if (k->ok && p != CS_PLAN_NONE &&
		    (k->fd[p] = cs_tmpfile_in("/var/tmp", &err)) < 0)
			k->ok = 0;
	}
	cs_err_release(&err);
}

/* Write what group P's buffer holds to its file. */
static void
report_keep_flush(struct report_keep *k, int p)
{
	if (k->ok && k->buf[p].len > 0 &&
	    cs_write_all(k->fd[p], k->buf[p].data, k->buf[p].len) != 0)
		k->ok = 0;
	cs_buf_reset(&k->buf[p]);
}

/* The plan item of finding I, F, in group P (not CS_PLAN_NONE). */
static void
report_keep_item(struct cs_report_ctx *c, const struct cs_report_ops *ops,
    struct report_keep *k, size_t i, const struct cs_finding *f,
    enum cs_plan p, const char *why)
{
	struct cs_buf	*out = c->out;
	enum cs_plan	 last = c->last;

	if (k->first[p] == SIZE_MAX)
		k->first[p] = i;
	if (!k->ok || k->first[p] == i)
		return;
	c->out = &k->buf[p];
	c->last = p;			/* an item, without the heading */
	ops->plan(c, p, f, why);
	c->last = last;
	c->out = out;
	if (k->buf[p].len >= 64 * 1024)
		report_keep_flush(k, p);
}

/* Copy group P's kept items to the report. */
static void
report_keep_copy(struct cs_report_ctx *c, struct report_keep *k, int p)
{
	const size_t	 chunk = 64 * 1024;
	off_t		 off = 0;
	ssize_t		 r;

	for (;;) {
		cs_buf_grow(c->out, chunk);
		r = pread(k->fd[p], c->out->data + c->out->len, chunk, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0 && c->errnum == 0)
				c->errnum = errno;
			break;
		}
		c->out->len += (size_t)r;
		c->out->data[c->out->len] = '\0';
		off += r;
		report_flush(c, 0);
	}
}

static void
report_keep_close(struct report_keep *k)
{
	int	 p;

	for (p = 0; p <= CS_PLAN_REVIEW; p++) {
		if (k->fd[p] >= 0)
			(void)close(k->fd[p]);
		cs_buf_release(&k->buf[p]);
	}
}

/* The rebuild plan: what to reinstall, then what to review. */
static void
report_plan(struct cs_report_ctx *c, const struct cs_report_ops *ops,
    const unsigned char *plan, struct report_keep *k)
{
	struct cs_finding	*f;
	enum cs_plan		 want, p;
	const char		*why;
	size_t			 i;

	ops->plan(c, CS_PLAN_NONE, NULL, NULL);
	for (want = CS_PLAN_REINSTALL; want <= CS_PLAN_REVIEW; want++) {
		report_keep_flush(k, want);
		for (i = 0; i < c->n; i++) {
			if (plan[i] != want)
				continue;
			f = c->fs->get(c->fs->arg, i);
			p = cs_triage_plan(f, &why);
			ops->plan(c, p, f, why);
			c->fs->put(c->fs->arg, f);
			report_flush(c, 0);
			if (k->ok) {
				report_keep_copy(c, k, want);
				break;
			}
		}
	}
}

/* Write the report to C->out, handing it on to C->to as it grows. */
static void
report_run(struct cs_report_ctx *c, enum cs_format fmt)
{
	const struct cs_report_ops	*ops;
	struct cs_report_tl		*tl;
	struct cs_finding		*f;
	unsigned char			*plan;
	const char			*why;
	enum cs_plan			 p;
	struct report_keep		 keep;
	size_t				 i, ntl;

	if (fmt == CS_FMT_JSON)
		ops = &cs_report_json_ops;
	else if (fmt == CS_FMT_LINE)
		ops = &cs_report_line_ops;
	else
		ops = &cs_report_text_ops;
	c->n = c->fs->n;
	c->last = CS_PLAN_NONE;
	/* JSON keeps everything; the others may hide the least severe. */
	c->min = fmt == CS_FMT_JSON ? CS_SEV_INFO : c->info->min_severity;
	plan = cs_xcalloc(c->n + 1, 1);
	tl = cs_xcalloc(c->n + 1, sizeof *tl);
	ntl = report_scan(c, tl);
	report_keep_open(&keep, c->fs->brief != NULL && ops->plan != NULL);
	if (ops->begin != NULL)
		ops->begin(c);
	for (i = 0; i < c->n; i++) {
		f = c->fs->get(c->fs->arg, i);
		if (f->severity >= c->min) {
			p = cs_triage_plan(f, &why);
			plan[i] = (unsigned char)p;
			ops->finding(c, f);
			if (p != CS_PLAN_NONE)
				report_keep_item(c, ops, &keep, i, f, p, why);
		}
		c->fs->put(c->fs->arg, f);
		report_flush(c, 0);
	}
	if (ops->burst_item != NULL)
		report_timeline(c, ops, tl, ntl);
	free(tl);
	if (ops->plan != NULL)
		report_plan(c, ops, plan, &keep);
	report_keep_close(&keep);
	free(plan);
	if (ops->end != NULL)
		ops->end(c);
	report_flush(c, 1);
}

static struct cs_finding *
report_array_get(void *arg, size_t i)
{
	return ((struct cs_finding **)arg)[i];
}

static void
report_array_put(void *arg, struct cs_finding *f)
{
	(void)arg;
	(void)f;
}

void
cs_report_fs_array(struct cs_report_fs *fs, struct cs_finding **a, size_t n)
{
	fs->n = n;
	fs->get = report_array_get;
	fs->put = report_array_put;
	fs->brief = NULL;
	fs->arg = a;
}

int
cs_report_stream(const struct cs_report_out *to, enum cs_format fmt,
    const struct cs_report_info *info, const struct cs_report_fs *fs)
{
	struct cs_report_ctx	 c;
	struct cs_buf		 out;

	cs_buf_init(&out);
	memset(&c, 0, sizeof c);
	c.out = &out;
	c.to = to;
	c.info = info;
	c.fs = fs;
	report_run(&c, fmt);
	cs_buf_release(&out);
	if (c.errnum != 0) {
		errno = c.errnum;
		return -1;
	}
	return 0;
}

void
cs_report_write(struct cs_buf *out, enum cs_format fmt,
    const struct cs_report_info *info, struct cs_finding **fs, size_t n)
{
	struct cs_report_ctx	 c;
	struct cs_report_fs	 a;

	cs_report_fs_array(&a, fs, n);
	memset(&c, 0, sizeof c);
	c.out = out;
	c.info = info;
	c.fs = &a;
	report_run(&c, fmt);
}
