/*
 * report_merge.c: the reports of a check's shards merged (report_merge.h).
 *
 * Each part's findings are in report order: most severe first, then by
 * path.  Taking the least head of the parts each time yields the merged
 * findings in that same order, in time linear in the findings (times the
 * number of parts, which is small).  Order of discovery (seq), which the
 * writers use for ties, becomes the canonical order of the paths, as a
 * single comparison discovers them.  A path two parts
 * both report means the parts overlap: refused, naming both.
 */
#include "custos/custos.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custos/atomic.h"
#include "custos/diff.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/report.h"
#include "custos/report_merge.h"
#include "custos/report_read.h"
#include "custos/xmalloc.h"

/* A merged finding and where it came from. */
struct merge_at {
	struct cs_finding	*f;
	size_t			 part;
	size_t			 line;
};

static int
merge_cmp_path(const void *a, const void *b)
{
	const struct merge_at	*x = a, *y = b;

	return cs_path_cmp(x->f->path, x->f->pathlen, y->f->path,
	    y->f->pathlen);
}

/* NULL-safe string equality. */
static int
merge_same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The parts must be of one check: the same host and root. */
static int
merge_one_check(struct cs_report_file *p, size_t n, struct cs_err *err)
{
	char	*x, *y;
	size_t	 i;
	int	 rc = 0;

	for (i = 1; i < n && rc == 0; i++) {
		if (merge_same(p[0].sum.host, p[i].sum.host) &&
		    merge_same(p[0].sum.root, p[i].sum.root))
			continue;
		x = cs_encode_dup(p[i].name);
		y = cs_encode_dup(p[0].name);
		rc = cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s' is a report of "
		    "another host or root than '%s' (use fleet-report for "
		    "several hosts)", x, y);
		free(x);
		free(y);
	}
	return rc;
}

/* "I/N" of check --shard: I, and N in *N; 0 if malformed. */
static unsigned long
merge_shard_no(const char *s, unsigned long *n)
{
	unsigned long	 i;
	char		*end;

	if (*s < '1' || *s > '9')
		return 0;
	i = strtoul(s, &end, 10);
	if (*end != '/' || end[1] < '1' || end[1] > '9')
		return 0;
	*n = strtoul(end + 1, &end, 10);
	if (*end != '\0' || i > *n || *n > 1000000)
		return 0;
	return i;
}

/* Refuse with the message M about part P; returns -1. */
static int
merge_refuse(const struct cs_report_file *p, const char *m, struct cs_err *err)
{
	char	*x = cs_encode_dup(p->name);

	cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s': %s", x, m);
	free(x);
	return -1;
}

/*
 * Reports of check --shard: all of one plan, each shard once, none
 * missing.  Reports without a shard are taken as they are (their paths
 * must still not overlap).
 */
static int
merge_shards(struct cs_report_file *p, size_t n, struct cs_err *err)
{
	unsigned char	*seen = NULL;
	unsigned long	 i, k, total = 0, want = 0;
	int		 rc = -1;

	for (k = 0; k < n && p[0].sum.shard == NULL; k++) {
		if (p[k].sum.shard != NULL)
			return merge_refuse(&p[k], "a report of one shard "
			    "among reports of whole checks", err);
	}
	for (k = 0; k < n && p[0].sum.shard != NULL; k++) {
		if (p[k].sum.shard == NULL || p[k].sum.plan_sha256 == NULL) {
			merge_refuse(&p[k], "not a report of check --shard, "
			    "as the others are", err);
			goto out;
		}
		if ((i = merge_shard_no(p[k].sum.shard, &total)) == 0) {
			merge_refuse(&p[k], "bad shard", err);
			goto out;
		}
		if (seen == NULL) {
			want = total;
			seen = cs_xcalloc(want + 1, 1);
		}
		if (total != want || strcmp(p[k].sum.plan_sha256,
		    p[0].sum.plan_sha256) != 0) {
			merge_refuse(&p[k], "a shard of another plan", err);
			goto out;
		}
		if (seen[i]++) {
			merge_refuse(&p[k], "the same shard again", err);
			goto out;
		}
	}
	for (i = 1; i <= want; i++) {
		if (!seen[i]) {
			cs_err_set(err, CS_EXIT_DATAERR, 0, "shard %lu/%lu is "
			    "missing", i, want);
			goto out;
		}
	}
	rc = 0;
out:
	free(seen);
	return rc;
}

/* No path in two parts: sort a copy by path, compare neighbours. */
static int
merge_disjoint(struct merge_at *at, size_t n, struct cs_report_file *p,
    struct cs_err *err)
{
	char	*x, *y;
	size_t	 i;
	int	 rc = 0;

	if (n > 1)
		qsort(at, n, sizeof *at, merge_cmp_path);
	for (i = 1; i < n && rc == 0; i++) {
		if (merge_cmp_path(&at[i - 1], &at[i]) != 0)
			continue;
		x = cs_encode_dup(p[at[i - 1].part].name);
		y = cs_encode_dup(p[at[i].part].name);
		rc = cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s' line %zu and "
		    "'%s' line %zu report the same path '%s': the parts "
		    "overlap", x, at[i - 1].line, y, at[i].line,
		    at[i].f->shown);
		free(x);
		free(y);
	}
	return rc;
}

/* The warning of check naming the policy lines that matched nothing. */
#define MERGE_UNMATCHED	"policy lines that match nothing in the baseline: "

/* Part P's warning naming unmatched policy lines (after its prefix). */
static const char *
merge_unmatched_of(const struct cs_report_file *p)
{
	size_t	 i, n = strlen(MERGE_UNMATCHED);

	for (i = 0; i < p->sum.nwarnings; i++) {
		if (strncmp(p->sum.warnings[i], MERGE_UNMATCHED, n) == 0)
			return p->sum.warnings[i] + n;
	}
	return NULL;
}

/* Nonzero if the list L ("A, B, C": encoded, so no ", " inside an
 * item) holds the N bytes at ITEM. */
static int
merge_list_has(const char *l, const char *item, size_t n)
{
	const char	*e;

	for (; l != NULL; l = *e != '\0' ? e + 2 : NULL) {
		if ((e = strstr(l, ", ")) == NULL)
			e = l + strlen(l);
		if ((size_t)(e - l) == n && memcmp(l, item, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * A policy line matched nothing in the whole check only if it matched
 * nothing in any part (each part of a sharded check saw only its range):
 * the lines every part names, or NULL.
 */
static char *
merge_unmatched(struct cs_report_file *p, size_t n)
{
	struct cs_buf	 b;
	const char	*l, *e;
	size_t		 k;

	cs_buf_init(&b);
	l = merge_unmatched_of(&p[0]);
	for (; l != NULL; l = *e != '\0' ? e + 2 : NULL) {
		if ((e = strstr(l, ", ")) == NULL)
			e = l + strlen(l);
		for (k = 1; k < n; k++) {
			if (!merge_list_has(merge_unmatched_of(&p[k]), l,
			    (size_t)(e - l)))
				break;
		}
		if (k < n)
			continue;
		cs_buf_adds(&b, b.len > 0 ? ", " : MERGE_UNMATCHED);
		cs_buf_add(&b, l, (size_t)(e - l));
	}
	return b.len > 0 ? cs_buf_detach(&b, NULL) : NULL;
}

/* Add warning W, unless it is there already. */
static void
merge_warning(struct cs_report_merged *m, const char *w)
{
	size_t	 k;

	for (k = 0; k < m->nwarnings; k++) {
		if (strcmp(m->warnings[k], w) == 0)
			return;
	}
	m->warnings = cs_xreallocarray(m->warnings, m->nwarnings + 1,
	    sizeof *m->warnings);
	m->warnings[m->nwarnings++] = w;
}

/* Sum the parts' counts; the warnings once each, in order. */
static void
merge_summary(struct cs_report_merged *m, struct cs_report_file *p, size_t n)
{
	const struct cs_diff_stats	*s;
	size_t				 i, j, k;

	for (i = 0; i < n; i++) {
		s = &p[i].sum.stats;
		m->stats.old_records += s->old_records;
		m->stats.new_records += s->new_records;
		m->stats.bytes += s->bytes;
		m->stats.ignored += s->ignored;
		m->stats.unsilenced += s->unsilenced;
		m->stats.appended += s->appended;
		m->stats.below += s->below;
		for (k = 0; k < CS_K_COUNT; k++)
			m->stats.count[k] += s->count[k];
		m->info.exit |= p[i].sum.exit;
		if (p[i].sum.seconds > m->info.seconds)
			m->info.seconds = p[i].sum.seconds;
		for (j = 0; j < p[i].sum.nwarnings; j++) {
			if (strncmp(p[i].sum.warnings[j], MERGE_UNMATCHED,
			    strlen(MERGE_UNMATCHED)) != 0)
				merge_warning(m, p[i].sum.warnings[j]);
			else if (m->unmatched == NULL &&
			    (m->unmatched = merge_unmatched(p, n)) != NULL)
				merge_warning(m, m->unmatched);
		}
	}
}

/* The report's identity: that of the first part. */
static void
merge_info(struct cs_report_merged *m, const struct cs_rr_summary *s)
{
	struct cs_report_info	*ri = &m->info;

	ri->command = s->command;
	ri->baseline = s->baseline;
	ri->created = s->created;
	ri->host = s->host;
	ri->root = s->root;
	ri->digests = s->digests;
	ri->is_signed = s->is_signed;
	ri->verified = s->verified;
	ri->signer = s->signer;
	ri->fingerprint = s->fingerprint;
	ri->source = s->source;
	ri->policy = s->policy;
	ri->stats = &m->stats;
	ri->warnings = m->warnings;
	ri->nwarnings = m->nwarnings;
	ri->burst_gap = 600;
}

int
cs_report_merge(struct cs_report_merged *m, struct cs_report_file *p,
    size_t n, struct cs_err *err)
{
	struct merge_at	*at = NULL;
	size_t		*head = NULL, total = 0, i, k, best;
	int		 rc = -1;

	memset(m, 0, sizeof *m);
	if (n == 0 || merge_one_check(p, n, err) != 0 ||
	    merge_shards(p, n, err) != 0)
		goto out;
	for (i = 0; i < n; i++)
		total += p[i].n;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	m->fs = cs_xcalloc(total + 1, sizeof *m->fs);
	at = cs_xcalloc(total + 1, sizeof *at);
	head = cs_xcalloc(n, sizeof *head);
	for (k = 0; k < total; k++) {
		best = n;
		for (i = 0; i < n; i++) {
			if (head[i] < p[i].n && (best == n ||
			    cs_report_order(p[i].fs[head[i]],
			    p[best].fs[head[best]]) < 0))
				best = i;
		}
		at[k].f = m->fs[k] = p[best].fs[head[best]];
		at[k].part = best;
		at[k].line = p[best].lines[head[best]++];
	}
	m->n = total;
	if (merge_disjoint(at, total, p, err) != 0)
		goto out;
	/* discovery order, which breaks ties in the timeline: the path's */
	for (k = 0; k < total; k++)
		at[k].f->seq = k;
	merge_summary(m, p, n);
	merge_info(m, &p[0].sum);
	rc = 0;
out:
	free(head);
	free(at);
	return rc;
}

void
cs_report_merged_release(struct cs_report_merged *m)
{
	free(m->fs);
	free(m->warnings);
	free(m->unmatched);
	memset(m, 0, sizeof *m);
}

/* WRITE of a report to standard output. */
static int
report_dest_stdout(void *arg, const void *data, size_t len)
{
	(void)arg;
	errno = 0;
	if (fwrite(data, 1, len, stdout) != len) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* WRITE of a report to its temporary file. */
static int
report_dest_file(void *arg, const void *data, size_t len)
{
	return cs_atomic_write(arg, data, len);
}

int
cs_report_open(struct cs_report_dest *d, const char *output, int force,
    struct cs_err *err)
{
	memset(d, 0, sizeof *d);
	d->at.fd = -1;
	d->to_stdout = output == NULL || strcmp(output, "-") == 0;
	if (d->to_stdout) {
		d->out.write = report_dest_stdout;
		return 0;
	}
	if (cs_atomic_open(&d->at, output, force, err) != 0)
		return -1;
	d->out.write = report_dest_file;
	d->out.arg = &d->at;
	return 0;
}

int
cs_report_commit(struct cs_report_dest *d, struct cs_err *err)
{
	if (d->to_stdout) {
		if (fflush(stdout) != 0)
			return cs_err_set(err, CS_EXIT_IOERR, errno,
			    "cannot write the report");
		return 0;
	}
	return cs_atomic_commit(&d->at, 0644, err);
}

void
cs_report_abort(struct cs_report_dest *d)
{
	if (!d->to_stdout)
		cs_atomic_abort(&d->at);
}

int
cs_report_output(const char *output, int force, enum cs_format fmt,
    const struct cs_report_info *info, const struct cs_report_fs *fs,
    struct cs_err *err)
{
	struct cs_report_dest	 d;

	if (cs_report_open(&d, output, force, err) != 0)
		return -1;
	if (cs_report_stream(&d.out, fmt, info, fs) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot write the report");
		cs_report_abort(&d);
		return -1;
	}
	return cs_report_commit(&d, err);
}

int
cs_report_emit(const char *output, int force, const void *data, size_t len,
    struct cs_err *err)
{
	struct cs_report_dest	 d;

	if (cs_report_open(&d, output, force, err) != 0)
		return -1;
	if (len > 0 && d.out.write(d.out.arg, data, len) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot write the report");
		cs_report_abort(&d);
		return -1;
	}
	return cs_report_commit(&d, err);
}
