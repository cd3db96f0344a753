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
};

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
	struct cs_entry	*ea, *eb;
	int		 n;

	while ((n = cs_join_next(u->join, &ea, &eb, err)) == 1) {
		/* our own output, when it lies in the tree, is not taken */
		if (eb != NULL && cs_pipe_skipped(u->o->skip, u->o->nskip,
		    eb)) {
			cs_entry_free(eb);
			eb = NULL;
			if (ea == NULL)
				continue;
		}
		if ((*ep = update_pick(u, ea, eb)) != NULL)
			return 1;
	}
	return n;
}

static void
update_close(void *impl)
{
	struct update	*u = impl;

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
