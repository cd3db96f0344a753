/*
 * check_spill.c: findings a check finishes as they come and keeps on
 * disk (spill.h).
 *
 * Against a baseline of packages, nearly every finding of a whole
 * machine is an added file no package ships, and nothing but its own
 * triage decides its verdict.  Such a finding is triaged at once (the
 * general rules, then the vendor verdicts, as cmd_check would do after
 * the walk) and written to the finding store (fstore.h); the few that
 * the later passes read together stay in memory: what has an old side
 * (log rotations, copies, upgrades), what has content another pass
 * reads (structured files, digests a copy could be found by), the loader
 * cache, start-up files (their names are looked up among all findings,
 * the store included: correlate.h), and hard links when link counts are
 * compared.  Libraries kept on disk are counted for the loader cache.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "custos/atomic.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/fstore.h"
#include "custos/policy.h"
#include "custos/report.h"
#include "custos/report_merge.h"
#include "custos/spill.h"
#include "custos/triage.h"
#include "custos/vendor.h"
#include "custos/xmalloc.h"

struct cs_spill {
	struct cs_fstore	*store;
	struct cs_err		 err;		/* the store's first failure */
	int			 failed;
	const struct cs_policy	*pol;
	struct cs_vmap		*map;
	struct cs_diff_stats	*ds;
	int			 links;
	size_t			 libs;
};

struct cs_spill *
cs_spill_new(const struct cs_policy *pol, struct cs_vmap *map,
    struct cs_diff_stats *ds, int links, struct cs_err *err)
{
	struct cs_spill	*sp = cs_xcalloc(1, sizeof *sp);

	if ((sp->store = cs_fstore_new(err)) == NULL) {
		free(sp);
		return NULL;
	}
	cs_err_init(&sp->err);
	sp->pol = pol;
	sp->map = map;
	sp->ds = ds;
	sp->links = links;
	return sp;
}

void
cs_spill_free(struct cs_spill *sp)
{
	if (sp == NULL)
		return;
	cs_fstore_free(sp->store);
	cs_err_release(&sp->err);
	free(sp);
}

struct cs_fstore *
cs_spill_store(const struct cs_spill *sp)
{
	return sp->store;
}

size_t
cs_spill_libs(const struct cs_spill *sp)
{
	return sp->libs;
}

/* Can F be finished now: does no later pass read it with others? */
static int
spill_alone(const struct cs_spill *sp, const struct cs_finding *f)
{
	const struct cs_entry	*e = f->new;
	const char		*t;

	if (f->kind != CS_K_ADDED || e == NULL || f->old != NULL ||
	    (e->have & (CS_F_STRUCT | CS_F_ZDIGEST)) || e->digests != 0 ||
	    strcmp(f->path, "/etc/ld.so.cache") == 0 ||
	    cs_triage_names(f, &t) != 0)
		return 0;
	return !sp->links || e->type != CS_T_FILE || e->nlink < 2;
}

int
cs_spill_take(struct cs_spill *sp, struct cs_finding *f)
{
	if (!spill_alone(sp, f))
		return 0;
	cs_triage(f);
	cs_vendor_triage(&f, 1, sp->map, sp->pol, sp->ds);
	if (cs_triage_is_library(f))
		sp->libs++;
	if (!sp->failed &&
	    cs_fstore_add(sp->store, f, &sp->err) == CS_FSTORE_NONE)
		sp->failed = 1;
	cs_finding_free(f);
	return 1;
}

int
cs_spill_check(const struct cs_spill *sp, const char *root,
    void (*note)(void *, char *), void *arg, struct cs_err *err)
{
	const char	*def = CS_FSTORE_TMPDIR;
	struct stat	 a, b;
	size_t		 n;

	if (sp == NULL)
		return 0;
	if (sp->failed)
		return cs_err_set(err, sp->err.code != 0 ? sp->err.code :
		    CS_EXIT_IOERR, sp->err.errnum, "findings could not be kept "
		    "on disk: %s", sp->err.msg);
	if ((n = cs_fstore_count(sp->store)) == 0)
		return 0;
	/* the examined system is evidence: say what was written to it */
	if (root != NULL && fstat(cs_fstore_fd(sp->store), &a) == 0 &&
	    stat(root, &b) == 0 && a.st_dev == b.st_dev)
		note(arg, cs_xasprintf("%zu findings, and the report's "
		    "timeline and plan items, were kept in unlinked temporary "
		    "files in %s, on the filesystem examined: their blocks may "
		    "have held deleted data (set TMPDIR to other media)", n,
		    cs_tmpdir(def) == def ? def : "$TMPDIR"));
	return 0;
}

/*
 * The report's findings: those in memory (FS, N) and the store's, in
 * report order (most severe first, then discovery order), through one
 * index of slots: below N a finding in memory, from N one in the store.
 */
struct spill_view {
	struct cs_spill		*sp;
	struct cs_finding	**fs;
	size_t			 n;
	size_t			*slot;
	struct cs_finding	*loaded;	/* the one gotten, if loaded */
	int			 failed;	/* a finding could not be read */
	struct cs_err		 err;
};

static void
spill_key(const struct spill_view *v, size_t slot, int *sev, uint64_t *seq)
{
	const struct cs_fstore_ix	*ix;

	if (slot < v->n) {
		*sev = v->fs[slot]->severity;
		*seq = v->fs[slot]->seq;
	} else {
		ix = cs_fstore_ix(v->sp->store, slot - v->n);
		*sev = ix->severity;
		*seq = ix->seq;
	}
}

static int
spill_cmp(const void *a, const void *b, void *arg)
{
	int		 sa, sb;
	uint64_t	 qa, qb;

	spill_key(arg, *(const size_t *)a, &sa, &qa);
	spill_key(arg, *(const size_t *)b, &sb, &qb);
	if (sa != sb)
		return sa > sb ? -1 : 1;
	return qa < qb ? -1 : qa > qb;
}

/*
 * What stands for a finding that could not be read back, so that the
 * writer can go on to its end (the report is then discarded).
 */
static char spill_root[] = "/";
static struct cs_entry spill_unreadable_entry = {
	.path = spill_root, .pathlen = 1, .type = CS_T_NONE
};
static struct cs_finding spill_unreadable = {
	.kind = CS_K_NOTCMP, .path = spill_root, .pathlen = 1,
	.shown = spill_root, .new = &spill_unreadable_entry, .base = -1,
	.severity = CS_SEV_INFO, .floor = -1,
	.why_not = "kept on disk and could not be read back"
};

static struct cs_finding *
spill_get(void *arg, size_t i)
{
	struct spill_view	*v = arg;
	size_t			 slot = v->slot[i];

	if (slot < v->n)
		return v->fs[slot];
	if (v->failed || cs_fstore_get(v->sp->store, slot - v->n, &v->loaded,
	    &v->err) != 0) {
		v->failed = 1;
		v->loaded = NULL;
		return &spill_unreadable;
	}
	return v->loaded;
}

/* The brief of the I-th finding: from its index entry if it is stored. */
static void
spill_brief(void *arg, size_t i, struct cs_report_brief *b)
{
	struct spill_view		*v = arg;
	const struct cs_fstore_ix	*ix;
	size_t				 slot = v->slot[i];

	if (slot < v->n) {
		cs_report_brief(v->fs[slot], b);
		return;
	}
	ix = cs_fstore_ix(v->sp->store, slot - v->n);
	memset(b, 0, sizeof *b);
	b->severity = ix->severity;
	b->seq = ix->seq;
	if ((ix->bits & CS_FSTORE_NEW) == 0 || ix->kind == CS_K_REMOVED ||
	    ix->kind == CS_K_NOTCMP)
		return;
	b->has_time = 1;
	b->by_ctime = (ix->bits & CS_FSTORE_CTIME) != 0;
	b->t.sec = ix->sec;
	b->t.nsec = ix->nsec;
}

static void
spill_put(void *arg, struct cs_finding *f)
{
	struct spill_view	*v = arg;

	if (f == v->loaded) {
		cs_finding_free(v->loaded);
		v->loaded = NULL;
	}
}

struct spill_view *
cs_spill_view(struct cs_spill *sp, struct cs_finding **fs, size_t n,
    struct cs_report_fs *out)
{
	struct spill_view	*v = cs_xcalloc(1, sizeof *v);
	size_t			 i, total = n + cs_fstore_count(sp->store);

	v->sp = sp;
	v->fs = fs;
	v->n = n;
	cs_err_init(&v->err);
	v->slot = cs_xreallocarray(NULL, total > 0 ? total : 1,
	    sizeof *v->slot);
	for (i = 0; i < total; i++)
		v->slot[i] = i;
	qsort_r(v->slot, total, sizeof *v->slot, spill_cmp, v);
	out->n = total;
	out->get = spill_get;
	out->put = spill_put;
	out->brief = spill_brief;
	out->arg = v;
	return v;
}

int
cs_spill_view_done(struct spill_view *v, struct cs_err *err)
{
	int	 rc = 0;

	if (v == NULL)
		return 0;
	if (v->failed && err != NULL) {
		cs_err_set(err, CS_EXIT_IOERR, v->err.errnum, "findings kept "
		    "on disk could not be read back: %s", v->err.msg);
		rc = -1;
	}
	cs_finding_free(v->loaded);
	cs_err_release(&v->err);
	free(v->slot);
	free(v);
	return rc;
}

int
cs_spill_output(struct cs_spill *sp, struct cs_finding **fs, size_t n,
    const char *output, int force, enum cs_format fmt,
    const struct cs_report_info *info, struct cs_err *err)
{
	struct cs_report_dest	 d;
	struct cs_report_fs	 rfs;
	struct spill_view	*v;

	if (cs_report_open(&d, output, force, err) != 0)
		return -1;
#ifdef __GLIBC__
	/* what the walk's findings held goes back before the report's index */
	malloc_trim(0);
#endif
	v = cs_spill_view(sp, fs, n, &rfs);
	if (cs_report_stream(&d.out, fmt, info, &rfs) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot write the report");
		(void)cs_spill_view_done(v, NULL);
		cs_report_abort(&d);
		return -1;
	}
	if (cs_spill_view_done(v, err) != 0) {
		cs_report_abort(&d);
		return -1;
	}
	return cs_report_commit(&d, err);
}
