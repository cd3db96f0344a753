/*
 * diff_run.c: the comparison sink: the merge-join of a baseline (pulled)
 * and the checked stream (fed by the driver, record by record), each
 * pair judged under its policy rule (diff.c), and what no rule may hide.
 *
 * Invariants: a dangerous object (setuid or setgid, capabilities,
 * executable, a device, a hard link out of an ignored tree) is never
 * ignored; the objects of the baseline below a directory the source
 * could not enter are counted on that directory's not-compared finding,
 * never reported as removed; every finding is handed to the caller once,
 * numbered in the order found.  Memory: one record per side, the held
 * directory finding, and the ignored objects with several links (few).
 */
#include "custos/custos.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/join.h"
#include "custos/pipe.h"
#include "custos/policy.h"
#include "custos/sink.h"
#include "custos/source.h"
#include "custos/structured.h"
#include "custos/xmalloc.h"

#include "diff_int.h"

/* Is F only the verified growth of an append-only file? */
static int
diff_only_appended(const struct cs_finding *f)
{
	return (f->flags & CS_FF_APPENDED) && f->attrs == CS_ABIT(CS_A_SIZE);
}

/* Properties no policy rule silences (custos-policy(5), DANGER). */
#define DIFF_D_SETID	0x01
#define DIFF_D_CAPS	0x02
#define DIFF_D_EXEC	0x04
#define DIFF_D_DEVICE	0x08
#define DIFF_D_LINKS	0x10

static unsigned
diff_danger(const struct cs_entry *e)
{
	unsigned	 d = 0;

	if (e == NULL)
		return 0;
	if (e->type == CS_T_CHAR || e->type == CS_T_BLOCK)
		d |= DIFF_D_DEVICE;
	if (e->type != CS_T_FILE)
		return d;
	if (e->mode & 06000)
		d |= DIFF_D_SETID;
	if (e->caps != NULL)
		d |= DIFF_D_CAPS;
	if ((e->mode & 0111) != 0 || ((e->have & CS_F_MAGIC) &&
	    e->magic != CS_MAGIC_NONE))
		d |= DIFF_D_EXEC;
	if ((e->have & (CS_F_NLINK | CS_F_INO)) == (CS_F_NLINK | CS_F_INO) &&
	    e->nlink > 1)
		d |= DIFF_D_LINKS;
	return d;
}

/*
 * A dangerous object is compared on what makes it dangerous (content,
 * permissions, owners, capabilities, device numbers) whatever the rule
 * drops; in an ignored tree, on every attribute.  Its severity is the one
 * its properties earn, not the path's.
 */
#define DIFF_G_DANGER	(CS_G_CONTENT | CS_G_PERMS | CS_G_OWNER | \
			 CS_G_XATTR | CS_G_LINK)

static void
diff_unsilence(struct cs_rule *rule)
{
	rule->groups |= rule->ignore ? CS_G_DEFAULT : DIFF_G_DANGER;
	rule->ignore = 0;
	rule->severity = -1;
}

/*
 * What makes an object in an ignored tree worth reporting: kept apart
 * from the comparators' floor, which explains content; triage ranks it
 * high at least, whatever else explains it.
 */
static void
diff_danger_reason(struct cs_finding *f, unsigned danger)
{
	if (danger & DIFF_D_EXEC) {
		f->danger_reason = "executable in a tree the policy ignores";
		f->danger_technique = "T1105";
	} else if (danger & DIFF_D_DEVICE) {
		f->danger_reason = "device node in a tree the policy ignores";
		f->danger_technique = "T1006";
	} else if (danger & DIFF_D_LINKS) {
		f->danger_reason = "hard link from a tree the policy ignores "
		    "to an object outside it";
		f->danger_technique = "T1222.002";
	}
}

/* An ignored object with several links: kept until all links are seen. */
struct diff_held {
	struct cs_entry	*old;
	struct cs_entry	*new;
};

struct diff_run {
	const struct cs_diff_opts *opts;
	unsigned		 digests;
	struct cs_diff_stats	*st;
	size_t			 seq;
	struct diff_held	*held;		/* ignored, nlink > 1 */
	size_t			 nheld;
	size_t			 capheld;
	struct cs_finding	*dir;		/* directory not entered */
	uint64_t		 below;		/* its baseline objects */
	int			 walked;	/* the new side is a live walk */
};

static void
diff_emit(struct diff_run *r, struct cs_finding *f)
{
	if (diff_only_appended(f))
		r->st->appended++;
	else
		r->st->count[f->kind]++;
	f->seq = r->seq++;
	r->opts->found(r->opts->arg, f);
}

/* Hand out the held not-entered directory, with what it hid. */
static void
diff_flush_dir(struct diff_run *r)
{
	if (r->dir == NULL)
		return;
	if ((r->dir->flags & CS_FF_MOUNT) && r->below == 0 &&
	    r->dir->nchanges == 0) {
		/* mounted then as now, over nothing the baseline has */
		cs_finding_free(r->dir);
		r->dir = NULL;
		return;
	}
	if ((r->dir->flags & CS_FF_MOUNT) && r->below > 0)
		r->dir->flags |= CS_FF_HIDES;
	if (r->below > 0)
		r->dir->detail = cs_xasprintf("%" PRIu64 " object%s of the "
		    "baseline below it not compared", r->below,
		    r->below == 1 ? "" : "s");
	r->st->below += r->below;
	diff_emit(r, r->dir);
	r->dir = NULL;
	r->below = 0;
}

/* Is E below the held directory? */
static int
diff_below_dir(const struct diff_run *r, const struct cs_entry *e)
{
	size_t	 n = r->dir->pathlen;

	if (n == 1)
		return e->pathlen > 1;
	return e->pathlen > n && e->path[n] == '/' &&
	    memcmp(e->path, r->dir->path, n) == 0;
}

/* Count the groups RULE compares that one side could not give. */
static void
diff_lacking(struct cs_diff_stats *st, unsigned g, const struct cs_entry *o,
    const struct cs_entry *n)
{
	unsigned	 one, lack = 0, i;

	if (o == NULL || n == NULL || o->type != n->type ||
	    o->error != NULL || n->error != NULL)
		return;
	/* what one side has and the other lacks (neither: nothing to do) */
	one = o->have ^ n->have;
	if (one & (CS_F_INO | CS_F_NLINK))
		lack |= CS_G_INODE;
	if (one & CS_F_CTIME)
		lack |= CS_G_CTIME;
	if (one & CS_F_META)
		lack |= CS_G_ACL | CS_G_XATTR;
	if ((one & CS_F_IFLAGS) &&
	    (o->type == CS_T_FILE || o->type == CS_T_DIR))
		lack |= CS_G_FLAGS;
	lack &= g;
	for (i = 0; i < CS_DIFF_NGROUPS; i++)
		st->lacking[i] += (lack >> i) & 1;
}

/*
 * A directory whose content the source could not list: the walk says
 * so; from another source, any directory with an error is taken as not
 * entered (its objects are then "not compared", never "removed").
 */
static int
diff_not_entered(const struct diff_run *r, const struct cs_entry *e)
{
	if (e == NULL || e->error == NULL)
		return 0;
	if (e->have & CS_F_NOENTRY)
		return 1;
	return !r->walked && e->type == CS_T_DIR;
}

/* Compare one pair whose rule is known, and report what differs. */
static void
diff_one(struct diff_run *r, struct cs_entry *ea, struct cs_entry *eb,
    const struct cs_content *c, struct cs_rule *rule, unsigned danger)
{
	struct cs_finding	*f;
	int			 ignored = rule->ignore, mount = 0;

	if (danger != 0) {
		if (ignored)
			r->st->unsilenced++;
		diff_unsilence(rule);
	}
	if (r->opts->carried != 0)	/* informational groups: as asked */
		rule->groups &= r->opts->carried | ~(unsigned)CS_G_ALL;
	diff_lacking(r->st, rule->groups, ea, eb);
	if (ea != NULL && eb != NULL && (eb->have & CS_F_MOUNT) &&
	    eb->error == NULL) {
		/*
		 * What is seen is the root of the filesystem mounted there;
		 * the directory of the baseline and what lies below it are
		 * hidden: not compared.
		 */
		mount = 1;
		eb->have |= CS_F_NOENTRY;
		eb->error = cs_xstrdup("mount point: another filesystem "
		    "mounted here; not entered");
	}
	if ((f = cs_diff_pair_rule(ea, eb, c, rule, r->opts, r->digests)) ==
	    NULL)
		return;
	if (mount)
		f->flags |= CS_FF_MOUNT;
	if (ignored)
		diff_danger_reason(f, danger);
	if (f->kind == CS_K_NOTCMP && diff_not_entered(r, eb)) {
		diff_flush_dir(r);
		r->dir = f;
		return;
	}
	diff_emit(r, f);
}

/* Keep an ignored object with other links until the end of the run. */
static void
diff_hold(struct diff_run *r, struct cs_entry *ea, struct cs_entry *eb)
{
	if (r->nheld == r->capheld) {
		r->capheld = r->capheld ? 2 * r->capheld : 16;
		r->held = cs_xreallocarray(r->held, r->capheld,
		    sizeof *r->held);
	}
	r->held[r->nheld].old = ea;
	r->held[r->nheld].new = eb;
	r->nheld++;
}

static int
diff_held_cmp(const void *pa, const void *pb)
{
	const struct diff_held	*a = pa, *b = pb;

	if (a->new->dev != b->new->dev)
		return a->new->dev < b->new->dev ? -1 : 1;
	if (a->new->ino != b->new->ino)
		return a->new->ino < b->new->ino ? -1 : 1;
	return cs_entry_cmp(a->new, b->new);
}

/*
 * The held objects: an inode all of whose links lie in ignored trees
 * stays ignored; one linked from elsewhere is compared and reported.
 */
static void
diff_release_held(struct diff_run *r)
{
	struct cs_rule	 rule;
	size_t		 i, j, k;

	if (r->nheld > 1)
		qsort(r->held, r->nheld, sizeof *r->held, diff_held_cmp);
	for (i = 0; i < r->nheld; i = j) {
		for (j = i + 1; j < r->nheld &&
		    r->held[j].new->dev == r->held[i].new->dev &&
		    r->held[j].new->ino == r->held[i].new->ino; j++)
			continue;
		for (k = i; k < j; k++) {
			if ((uint64_t)(j - i) >= r->held[k].new->nlink) {
				r->st->ignored++;
				cs_entry_free(r->held[k].old);
				cs_entry_free(r->held[k].new);
				continue;
			}
			cs_policy_eval(r->opts->policy, r->held[k].new->path,
			    &rule);
			diff_one(r, r->held[k].old, r->held[k].new, NULL, &rule,
			    DIFF_D_LINKS);
		}
	}
	free(r->held);
	r->held = NULL;
	r->nheld = 0;
}

/*
 * The comparison as a sink: the checked stream is fed, record by record,
 * into one side of the join (a fed source, source.h); the other side is
 * the baseline, pulled.  Each record fed completes the pairs up to it.
 */
struct diff_sink {
	struct diff_run		 r;
	struct cs_source	*a;		/* the baseline, borrowed */
	struct cs_source	*fed;		/* the checked stream */
	struct cs_join		*join;
};

/* Judge every pair the join can give now; 0, or -1 with ERR set. */
static int
diff_pairs(struct diff_sink *d, struct cs_err *err)
{
	struct diff_run		*r = &d->r;
	const struct cs_diff_opts *opts = r->opts;
	struct cs_diff_stats	*st = r->st;
	struct cs_entry		*ea, *eb;
	struct cs_rule		 rule;
	unsigned		 danger;
	int			 n;

	while ((n = cs_join_next(d->join, &ea, &eb, err)) == 1) {
		if (ea == NULL && eb == NULL)
			continue;	/* the join gives one at least */
		st->old_records += ea != NULL;
		st->new_records += eb != NULL;
		if (eb != NULL && eb->type == CS_T_FILE)
			st->bytes += eb->size;
		if (opts->progress != NULL)
			opts->progress(opts->arg, st->new_records, st->bytes);
		if (r->dir != NULL && !diff_below_dir(r, eb != NULL ? eb : ea))
			diff_flush_dir(r);
		if (r->dir != NULL && eb == NULL) {
			/* in the baseline, below a directory not entered */
			r->below++;
			cs_entry_free(ea);
			continue;
		}
		if (opts->prepare != NULL && ea != NULL && eb != NULL)
			opts->prepare(opts->prepare_arg, ea, eb);
		cs_policy_eval_hits(opts->policy, (eb != NULL ? eb : ea)->path,
		    &rule, ea != NULL ? opts->hits : NULL);
		danger = diff_danger(eb);
		if (!rule.ignore)
			danger &= ~DIFF_D_LINKS;
		if (rule.ignore && danger == DIFF_D_LINKS) {
			diff_hold(r, ea, eb);
			continue;
		}
		if (rule.ignore && danger == 0) {
			st->ignored++;
			cs_entry_free(ea);
			cs_entry_free(eb);
			continue;
		}
		/* B's record is the one just fed: its content is the fed's */
		diff_one(r, ea, eb, eb != NULL ? cs_source_content(d->fed) :
		    NULL, &rule, danger);
	}
	return n < 0 ? -1 : 0;		/* at the end, or wanting a record */
}

static int
diff_begin(void *impl, struct cs_err *err)
{
	(void)impl;
	(void)err;
	return 0;
}

static int
diff_add(void *impl, struct cs_entry *e, struct cs_content *c,
    struct cs_err *err)
{
	struct diff_sink	*d = impl;

	if (cs_source_feed(d->fed, e, c) != 0)
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "diff sink: a "
		    "record fed before the last was taken");
	return diff_pairs(d, err);
}

static int
diff_finish(void *impl, struct cs_err *err)
{
	struct diff_sink	*d = impl;

	cs_source_feed_end(d->fed);
	if (diff_pairs(d, err) != 0)
		return -1;
	diff_flush_dir(&d->r);
	diff_release_held(&d->r);
	return 0;
}

static void
diff_abort(void *impl)
{
	struct diff_sink	*d = impl;
	size_t			 i;

	for (i = 0; i < d->r.nheld; i++) {
		cs_entry_free(d->r.held[i].old);
		cs_entry_free(d->r.held[i].new);
	}
	free(d->r.held);
	if (d->r.dir != NULL)
		cs_finding_free(d->r.dir);
	cs_join_free(d->join);
	cs_source_free(d->fed);
	free(d);
}

static const struct cs_sink_ops diff_sink_ops = {
	"diff", diff_begin, diff_add, diff_finish, diff_abort
};

struct cs_sink *
cs_sink_diff(struct cs_source *a, const struct cs_source *b,
    const struct cs_diff_opts *opts, unsigned digests,
    struct cs_diff_stats *st)
{
	struct diff_sink	*d;

	memset(st, 0, sizeof *st);
	d = cs_xcalloc(1, sizeof *d);
	d->r.opts = opts;
	d->r.digests = digests;
	d->r.st = st;
	d->r.walked = strcmp(cs_source_kind(b), "tree") == 0;
	d->a = a;
	d->fed = cs_source_fed(cs_source_kind(b), "", cs_source_carries(b));
	d->join = cs_join_new(a, d->fed);
	return cs_sink_new(&diff_sink_ops, d);
}

int
cs_diff_run(struct cs_source *a, struct cs_source *b,
    const struct cs_diff_opts *opts, unsigned digests,
    struct cs_diff_stats *st, struct cs_err *err)
{
	struct cs_sink	*sink;
	int		 rc;

	sink = cs_sink_diff(a, b, opts, digests, st);
	rc = cs_pipe_run(b, sink, NULL, NULL, err);
	cs_sink_free(sink);
	return rc;
}

/* The comparison, with structured content explained entry by entry. */
struct cs_finding *
cs_diff_pair_rule(struct cs_entry *old, struct cs_entry *new,
    const struct cs_content *c, const struct cs_rule *rule,
    const struct cs_diff_opts *opts, unsigned digests)
{
	struct cs_finding	*f;

	if (rule->structured > 0)
		cs_structured_learn(opts->sstate, rule->structured, old, new);
	f = cs_diff_pair_cmp(old, new, c, rule, opts, digests);
	if (f != NULL && rule->structured > 0)
		cs_structured_explain(opts->sstate, rule->structured, f);
	return f;
}

struct cs_finding *
cs_diff_pair(struct cs_entry *old, struct cs_entry *new,
    const struct cs_content *c, const struct cs_diff_opts *opts,
    unsigned digests)
{
	struct cs_rule	 rule;

	cs_policy_eval(opts->policy, new != NULL ? new->path : old->path,
	    &rule);
	if (rule.ignore) {
		cs_entry_free(old);
		cs_entry_free(new);
		return NULL;
	}
	return cs_diff_pair_rule(old, new, c, &rule, opts, digests);
}

int
cs_diff_exit(const struct cs_diff_stats *ds)
{
	int	 rc = 0;

	if (ds->count[CS_K_ADDED])
		rc |= CS_EXIT_ADDED;
	if (ds->count[CS_K_REMOVED])
		rc |= CS_EXIT_REMOVED;
	if (ds->count[CS_K_CHANGED] || ds->count[CS_K_TYPE])
		rc |= CS_EXIT_CHANGED;
	if (ds->count[CS_K_NOTCMP])
		rc |= CS_EXIT_INCOMPLETE;
	return rc;
}
