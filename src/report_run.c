/*
 * report_run.c: the driver of every report format (report_int.h).
 *
 * The findings are reached one at a time through their accessor (struct
 * cs_report_fs), never two at once: a first pass over their briefs
 * counts them and notes each one's place in the timeline (time and
 * discovery order); then the findings are written, each one's plan group
 * noted, and the timeline and the plan after them.  For findings kept on
 * disk, their timeline and plan items are kept in temporary files as the
 * findings are written (struct report_keep), so that each is read back
 * once.  The report grows in a buffer that is handed to the output
 * (struct cs_report_out) whenever it passes the threshold after a
 * finding, a timeline item or a plan line, so its size in memory is
 * bounded by the threshold and the largest finding, not by the report;
 * without an output (cs_report_write) it stays whole.  A thread of its
 * own writes each part handed over while the next one is made (struct
 * report_behind): one part in flight, the first failure kept.
 */
#include "custos/custos.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/atomic.h"
#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/fstore.h"
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

/* The output's writer thread, and the part it writes. */
struct cs_report_behind {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	const struct cs_report_out *to;
	struct cs_buf		 part;
	int			 full;		/* PART is to be written */
	int			 done;		/* no more parts */
	int			 errnum;	/* the first failure */
};

static void *
report_behind_run(void *arg)
{
	struct cs_report_behind	*b = arg;
	int			 rc, e;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (!b->full && !b->done)
			pthread_cond_wait(&b->cond, &b->lock);
		if (!b->full)
			break;
		pthread_mutex_unlock(&b->lock);
		errno = 0;
		rc = b->errnum == 0 ?
		    b->to->write(b->to->arg, b->part.data, b->part.len) : 0;
		e = errno != 0 ? errno : EIO;
		pthread_mutex_lock(&b->lock);
		if (rc != 0)
			b->errnum = e;
		cs_buf_reset(&b->part);
		b->full = 0;
		pthread_cond_broadcast(&b->cond);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

/* Start C's writer thread; without one, C's output is written in line. */
static void
report_behind_start(struct cs_report_ctx *c)
{
	struct cs_report_behind	*b;

	if (c->to == NULL)
		return;
	b = cs_xcalloc(1, sizeof *b);
	b->to = c->to;
	cs_buf_init(&b->part);
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	if (pthread_create(&b->thread, NULL, report_behind_run, b) != 0) {
		pthread_mutex_destroy(&b->lock);
		pthread_cond_destroy(&b->cond);
		cs_buf_release(&b->part);
		free(b);
		return;
	}
	c->behind = b;
}

/* Wait for C's writer thread to write all it was handed, and end it. */
static void
report_behind_end(struct cs_report_ctx *c)
{
	struct cs_report_behind	*b = c->behind;

	if (b == NULL)
		return;
	pthread_mutex_lock(&b->lock);
	b->done = 1;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
	pthread_join(b->thread, NULL);
	if (c->errnum == 0)
		c->errnum = b->errnum;
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->cond);
	cs_buf_release(&b->part);
	free(b);
	c->behind = NULL;
}

/*
 * Hand what OUT holds to the output once it passes the threshold, or
 * all of it with ALL: to the writer thread once it has written the part
 * before.  After a failed write nothing more is written.
 */
static void
report_flush(struct cs_report_ctx *c, int all)
{
	struct cs_report_behind	*b = c->behind;
	struct cs_buf		 t;
	size_t			 max;

	if (c->to == NULL)
		return;
	max = c->to->flush != 0 ? c->to->flush : 1024 * 1024;
	if (!all && c->out->len <= max)
		return;
	if (b != NULL) {
		pthread_mutex_lock(&b->lock);
		while (b->full)
			pthread_cond_wait(&b->cond, &b->lock);
		if (c->errnum == 0)
			c->errnum = b->errnum;
		if (c->errnum == 0 && c->out->len > 0) {
			t = b->part;
			b->part = *c->out;
			*c->out = t;
			b->full = 1;
			pthread_cond_broadcast(&b->cond);
		}
		pthread_mutex_unlock(&b->lock);
	} else if (c->errnum == 0 && c->out->len > 0 &&
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
	for (i = 0; i < n; i++)
		tl[i].burst = i == 0 ? 1 : tl[i - 1].burst +
		    (tl[i].t.sec - tl[i - 1].t.sec > c->info->burst_gap);
	return n;
}

/*
 * Items kept while the findings are written, so that the timeline and
 * the plan do not read every finding again; only for findings kept on
 * disk (a list with briefs).  Each goes to an unlinked temporary file:
 * a timeline item to the timeline's, its place and length noted in its
 * cs_report_tl; a plan item to its group's, except the group's first
 * (written from its finding, under the group's heading).  Without the
 * files, or after a failed write, the timeline or the plan reads the
 * findings again.  Index CS_PLAN_NONE is the timeline's.
 */
#define REPORT_KEEP_LEN		24	/* bits of a kept item's length */

struct report_keep {
	int		 ok[CS_PLAN_REVIEW + 1];
	int		 fd[CS_PLAN_REVIEW + 1];
	uint64_t	 len[CS_PLAN_REVIEW + 1];	/* in the file */
	struct cs_buf	 buf[CS_PLAN_REVIEW + 1];
	size_t		 first[CS_PLAN_REVIEW + 1];	/* SIZE_MAX: none */
	uint32_t	*tlpos;		/* finding -> timeline item, or -1 */
	struct cs_buf	 win;		/* the timeline's file from WINOFF */
	uint64_t	 winoff;
};

static void
report_keep_open(struct report_keep *k, int on,
    const struct cs_report_ops *ops, size_t n, const struct cs_report_tl *tl,
    size_t ntl)
{
	struct cs_err	 err;
	size_t		 j;
	int		 p;

	memset(k, 0, sizeof *k);
	cs_buf_init(&k->win);
	cs_err_init(&err);
	for (p = 0; p <= CS_PLAN_REVIEW; p++) {
		k->first[p] = SIZE_MAX;
		cs_buf_init(&k->buf[p]);
		k->ok[p] = on && n < UINT32_MAX && (p == CS_PLAN_NONE ?
		    ops->burst_item != NULL : ops->plan != NULL) &&
		    (k->fd[p] = cs_tmpfile_in(CS_FSTORE_TMPDIR, &err)) >= 0;
		if (!k->ok[p])
			k->fd[p] = -1;
	}
	cs_err_release(&err);
	if (!k->ok[CS_PLAN_NONE])
		return;
	k->tlpos = cs_xreallocarray(NULL, n + 1, sizeof *k->tlpos);
	memset(k->tlpos, 0xff, (n + 1) * sizeof *k->tlpos);
	for (j = 0; j < ntl; j++)
		k->tlpos[tl[j].i] = (uint32_t)j;
}

/* Write what file P's buffer holds to it. */
static void
report_keep_flush(struct report_keep *k, int p)
{
	if (k->ok[p] && k->buf[p].len > 0) {
		if (cs_write_all(k->fd[p], k->buf[p].data, k->buf[p].len) != 0)
			k->ok[p] = 0;
		k->len[p] += k->buf[p].len;
	}
	cs_buf_reset(&k->buf[p]);
}

/*
 * What finding I, F, puts in the timeline (its item TL, if any) and the
 * plan (group P, CS_PLAN_NONE for none): kept, as its writer writes it.
 */
static void
report_keep_item(struct cs_report_ctx *c, const struct cs_report_ops *ops,
    struct report_keep *k, size_t i, const struct cs_finding *f,
    struct cs_report_tl *tl, enum cs_plan p, const char *why)
{
	struct cs_buf	*out = c->out;
	enum cs_plan	 last = c->last;
	uint64_t	 at;
	size_t		 len;
	uint32_t	 j;

	if (k->ok[CS_PLAN_NONE] && (j = k->tlpos[i]) != UINT32_MAX) {
		at = k->len[CS_PLAN_NONE] + k->buf[CS_PLAN_NONE].len;
		c->out = &k->buf[CS_PLAN_NONE];
		ops->burst_item(c, tl[j].burst, &tl[j], f);
		len = (size_t)(k->len[CS_PLAN_NONE] +
		    k->buf[CS_PLAN_NONE].len - at);
		if (len >> REPORT_KEEP_LEN != 0 ||
		    at >> (64 - REPORT_KEEP_LEN) != 0)
			k->ok[CS_PLAN_NONE] = 0;
		tl[j].at = at << REPORT_KEEP_LEN | len;
		if (k->buf[CS_PLAN_NONE].len >= 64 * 1024)
			report_keep_flush(k, CS_PLAN_NONE);
	}
	if (p != CS_PLAN_NONE && k->first[p] == SIZE_MAX)
		k->first[p] = i;
	if (p != CS_PLAN_NONE && k->ok[p] && k->first[p] != i) {
		c->out = &k->buf[p];
		c->last = p;			/* an item, without the heading */
		ops->plan(c, p, f, why);
		c->last = last;
		if (k->buf[p].len >= 64 * 1024)
			report_keep_flush(k, p);
	}
	c->out = out;
}

/*
 * Append the LEN bytes at OFF of the timeline's kept file to the report.
 * They are read 64 KiB at a time: items of one time were written close
 * together, in discovery order.
 */
static void
report_keep_read(struct cs_report_ctx *c, struct report_keep *k,
    uint64_t off, size_t len)
{
	struct cs_buf	*w = &k->win;
	size_t		 want, got = 0;
	ssize_t		 r;

	if (off < k->winoff || off - k->winoff > w->len ||
	    len > w->len - (off - k->winoff)) {
		want = len > 64 * 1024 ? len : 64 * 1024;
		cs_buf_reset(w);
		cs_buf_grow(w, want);
		k->winoff = off;
		while (got < len) {
			r = pread(k->fd[CS_PLAN_NONE], w->data + got,
			    want - got, (off_t)(off + got));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				if (c->errnum == 0)
					c->errnum = r < 0 ? errno : EIO;
				return;
			}
			got += (size_t)r;
			w->len = got;
		}
	}
	cs_buf_add(c->out, w->data + (off - k->winoff), len);
}

/* The N timeline items TL, cut into bursts. */
static void
report_timeline(struct cs_report_ctx *c, const struct cs_report_ops *ops,
    const struct cs_report_tl *tl, size_t n, struct report_keep *k)
{
	struct cs_finding	*f;
	size_t			 i, j, start = 0;

	report_keep_flush(k, CS_PLAN_NONE);
	for (i = 1; i <= n; i++) {
		if (i < n && tl[i].burst == tl[i - 1].burst)
			continue;
		if (ops->burst_begin != NULL)
			ops->burst_begin(c, tl[start].burst, &tl[start].t,
			    &tl[i - 1].t, i - start);
		for (j = start; j < i; j++) {
			if (k->ok[CS_PLAN_NONE]) {
				report_keep_read(c, k,
				    tl[j].at >> REPORT_KEEP_LEN,
				    tl[j].at & ((1U << REPORT_KEEP_LEN) - 1));
				report_flush(c, 0);
				continue;
			}
			f = c->fs->get(c->fs->arg, tl[j].i);
			ops->burst_item(c, tl[j].burst, &tl[j], f);
			c->fs->put(c->fs->arg, f);
			report_flush(c, 0);
		}
		start = i;
	}
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
	cs_buf_release(&k->win);
	free(k->tlpos);
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
			if (k->ok[want]) {
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
	report_keep_open(&keep, c->fs->brief != NULL, ops, c->n, tl, ntl);
	if (ops->begin != NULL)
		ops->begin(c);
	for (i = 0; i < c->n; i++) {
		f = c->fs->get(c->fs->arg, i);
		if (f->severity >= c->min) {
			p = cs_triage_plan(f, &why);
			plan[i] = (unsigned char)p;
			ops->finding(c, f);
			report_keep_item(c, ops, &keep, i, f, tl, p, why);
		}
		c->fs->put(c->fs->arg, f);
		report_flush(c, 0);
	}
	if (ops->burst_item != NULL)
		report_timeline(c, ops, tl, ntl, &keep);
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
	report_behind_start(&c);
	report_run(&c, fmt);
	report_behind_end(&c);
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
