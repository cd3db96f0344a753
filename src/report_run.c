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
#include <string.h>

#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/entry.h"
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

/* The rebuild plan: what to reinstall, then what to review. */
static void
report_plan(struct cs_report_ctx *c, const struct cs_report_ops *ops,
    const unsigned char *plan)
{
	struct cs_finding	*f;
	enum cs_plan		 want, p;
	const char		*why;
	size_t			 i;

	ops->plan(c, CS_PLAN_NONE, NULL, NULL);
	for (want = CS_PLAN_REINSTALL; want <= CS_PLAN_REVIEW; want++) {
		for (i = 0; i < c->n; i++) {
			if (plan[i] != want)
				continue;
			f = c->fs->get(c->fs->arg, i);
			p = cs_triage_plan(f, &why);
			ops->plan(c, p, f, why);
			c->fs->put(c->fs->arg, f);
			report_flush(c, 0);
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
	if (ops->begin != NULL)
		ops->begin(c);
	for (i = 0; i < c->n; i++) {
		f = c->fs->get(c->fs->arg, i);
		if (f->severity >= c->min) {
			p = cs_triage_plan(f, &why);
			plan[i] = (unsigned char)p;
			ops->finding(c, f);
		}
		c->fs->put(c->fs->arg, f);
		report_flush(c, 0);
	}
	if (ops->burst_item != NULL)
		report_timeline(c, ops, tl, ntl);
	free(tl);
	if (ops->plan != NULL)
		report_plan(c, ops, plan);
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
