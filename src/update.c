/*
 * update.c: the old baseline plus the accepted changes (update.h).
 *
 * A source over the join of two sources: each call pulls pairs from the
 * join until one gives a record to keep.  The records come out in the
 * join's order, which is canonical; the source's own order check sees
 * them again (cs_source_next).
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/entry.h"
#include "custos/err.h"
#include "custos/join.h"
#include "custos/path.h"
#include "custos/pipe.h"
#include "custos/source.h"
#include "custos/update.h"
#include "custos/xmalloc.h"

struct update {
	struct cs_source		*old;
	struct cs_source		*new;
	struct cs_join			*join;
	const struct cs_update_opts	*o;
	struct cs_update_counts		*n;
	/*
	 * New directories of the source not taken (not accepted, not in
	 * the old baseline), held along the current path: an accepted
	 * path below one takes it along, so that no record is written
	 * without its parent.  Then they wait in out, in order.
	 */
	struct cs_entry			**held;
	size_t				 nheld, capheld;
	struct cs_entry			**out;
	size_t				 nout, outpos, capout;
};

/* Is directory D an ancestor of E? */
static int
update_below(const struct cs_entry *d, const struct cs_entry *e)
{
	if (d->pathlen == 1)
		return e->pathlen > 1;
	return e->pathlen > d->pathlen && e->path[d->pathlen] == '/' &&
	    memcmp(e->path, d->path, d->pathlen) == 0;
}

/* Forget the held directories E is not below. */
static void
update_prune(struct update *u, const struct cs_entry *e)
{
	while (u->nheld > 0 && !update_below(u->held[u->nheld - 1], e))
		cs_entry_free(u->held[--u->nheld]);
}

static void
update_queue(struct update *u, struct cs_entry *e)
{
	if (u->nout == u->capout) {
		u->capout = u->capout ? 2 * u->capout : 8;
		/* an array of pointers */
		/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
		u->out = cs_xreallocarray(u->out, u->capout, sizeof *u->out);
	}
	u->out[u->nout++] = e;
}

int
cs_update_accepted(const struct cs_update_opts *o, const char *path)
{
	size_t	 i, n;

	if (o->accept_all)
		return 1;
	for (i = 0; i < o->naccept; i++) {
		if (cs_path_match(o->accept[i], path))
			return 1;
		n = strlen(o->accept[i]);
		if (strpbrk(o->accept[i], "*?[\\") == NULL && n > 0 &&
		    strncmp(path, o->accept[i], n) == 0 &&
		    (path[n] == '/' || o->accept[i][n - 1] == '/'))
			return 1;
	}
	return 0;
}

/* Choose the record for one path; returns the one to keep or NULL. */
static struct cs_entry *
update_pick(struct update *u, struct cs_entry *old, struct cs_entry *new)
{
	const struct cs_entry	*e = new != NULL ? new : old;

	if (!cs_update_accepted(u->o, e->path)) {
		cs_entry_free(new);
		u->n->kept += old != NULL;
		return old;
	}
	if (new != NULL && new->error != NULL) {
		if (u->o->refused != NULL)
			u->o->refused(u->o->refused_arg, new);
		cs_entry_free(new);
		u->n->refused++;
		return old;
	}
	cs_entry_free(old);
	if (new == NULL)
		u->n->dropped++;
	else
		u->n->taken++;
	return new;
}

static int
update_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct update	*u = impl;
	struct cs_entry	*ea, *eb, *e;
	size_t		 i;
	int		 n;

	if (u->outpos < u->nout) {
		*ep = u->out[u->outpos++];
		return 1;
	}
	u->nout = u->outpos = 0;
	while ((n = cs_join_next(u->join, &ea, &eb, err)) == 1) {
		if (ea == NULL && eb == NULL)
			continue;	/* the join gives one at least */
		/* our own output, when it lies in the tree, is not taken */
		if (eb != NULL && cs_pipe_skipped(u->o->skip, u->o->nskip,
		    eb)) {
			cs_entry_free(eb);
			eb = NULL;
			if (ea == NULL)
				continue;
		}
		update_prune(u, eb != NULL ? eb : ea);
		if (ea == NULL && eb->type == CS_T_DIR && eb->error == NULL &&
		    !cs_update_accepted(u->o, eb->path)) {
			if (u->nheld == u->capheld) {
				u->capheld = u->capheld ? 2 * u->capheld : 8;
				u->held = cs_xreallocarray(u->held,
				    u->capheld, sizeof(struct cs_entry *));
			}
			u->held[u->nheld++] = eb;
			continue;
		}
		if ((e = update_pick(u, ea, eb)) == NULL)
			continue;
		if (e != ea && u->nheld > 0) {
			/* taken below new directories: they come first */
			for (i = 0; i < u->nheld; i++)
				update_queue(u, u->held[i]);
			u->n->taken += u->nheld;
			u->nheld = 0;
			update_queue(u, e);
			*ep = u->out[u->outpos++];
			return 1;
		}
		*ep = e;
		return 1;
	}
	return n;
}

static void
update_close(void *impl)
{
	struct update	*u = impl;
	size_t		 i;

	for (i = 0; i < u->nheld; i++)
		cs_entry_free(u->held[i]);
	for (i = u->outpos; i < u->nout; i++)
		cs_entry_free(u->out[i]);
	free(u->held);
	free(u->out);
	cs_join_free(u->join);
	cs_source_free(u->old);
	cs_source_free(u->new);
	free(u);
}

static const struct cs_source_ops update_ops = {
	"update", update_next, update_close, NULL
};

struct cs_source *
cs_source_update(struct cs_source *old, struct cs_source *new,
    const char *path, const struct cs_update_opts *o,
    struct cs_update_counts *counts)
{
	struct cs_source	*s;
	struct update		*u;

	u = cs_xcalloc(1, sizeof *u);
	u->old = old;
	u->new = new;
	u->join = cs_join_new(old, new);
	u->o = o;
	u->n = counts;
	s = cs_source_new(&update_ops, u, path);
	cs_source_set_carries(s, cs_source_carries(old) &
	    cs_source_carries(new));
	return s;
}
