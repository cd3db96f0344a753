/*
 * source.c: the record-stream interface, and its tree and baseline kinds.
 *
 * Invariant: records leave cs_source_next in strictly increasing
 * canonical order, or the stream ends with an error.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "custos/baseline.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/range.h"
#include "custos/source.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

struct cs_source {
	const struct cs_source_ops	*ops;
	void				*impl;
	char				*label;
	struct cs_order			 order;
	unsigned			 carries;	/* CS_G_* */
	struct cs_range			 range;
	int				 ranged;	/* range set */
};

struct cs_source *
cs_source_new(const struct cs_source_ops *ops, void *impl, const char *path)
{
	struct cs_source	*s;
	char			*shown;

	s = cs_xcalloc(1, sizeof *s);
	s->ops = ops;
	s->impl = impl;
	s->carries = CS_G_ALL;
	cs_order_init(&s->order);
	shown = cs_encode_dup(path);
	s->label = cs_xasprintf("%s %s", ops->kind, shown);
	free(shown);
	return s;
}

void
cs_source_set_carries(struct cs_source *s, unsigned groups)
{
	s->carries = groups & CS_G_ALL;
}

unsigned
cs_source_carries(const struct cs_source *s)
{
	return s->carries;
}

static int
source_tree_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	return cs_walk_next(impl, ep, err);
}

static void
source_tree_close(void *impl)
{
	cs_walk_close(impl);
}

static struct cs_content *
source_tree_content(void *impl)
{
	return cs_walk_content(impl);
}

static const struct cs_source_ops source_tree_ops = {
	"tree", source_tree_next, source_tree_close,
	source_tree_content
};

static int
source_baseline_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	return cs_blr_next(impl, ep, err);
}

static void
source_baseline_close(void *impl)
{
	cs_blr_close(impl);
}

static const struct cs_source_ops source_baseline_ops = {
	"baseline", source_baseline_next, source_baseline_close,
	NULL
};

struct cs_source *
cs_source_tree(const struct cs_walk_opts *opts, struct cs_err *err)
{
	struct cs_walk	*w;

	if ((w = cs_walk_open(opts, err)) == NULL)
		return NULL;
	return cs_source_new(&source_tree_ops, w, opts->root);
}

/*
 * What a baseline's header says its records carry ("carries=content,
 * perms,..."; a baseline made from packages has it), or CS_G_ALL.
 */
static unsigned
source_baseline_carries(const struct cs_blr *r)
{
	const char	*c, *comma;
	unsigned	 g = 0;

	if ((c = cs_bl_header_get(cs_blr_header(r), "carries")) == NULL)
		return CS_G_ALL;
	for (; *c != '\0'; c = *comma != '\0' ? comma + 1 : comma) {
		if ((comma = strchr(c, ',')) == NULL)
			comma = c + strlen(c);
		g |= cs_group_lookup(c, (size_t)(comma - c));
	}
	return g;
}

struct cs_source *
cs_source_baseline(const char *path, struct cs_err *err)
{
	struct cs_source *s;
	struct cs_blr	*r;

	if ((r = cs_blr_open(path, err)) == NULL)
		return NULL;
	s = cs_source_new(&source_baseline_ops, r, path);
	cs_source_set_carries(s, source_baseline_carries(r));
	return s;
}

void
cs_source_set_range(struct cs_source *s, const struct cs_range *r)
{
	s->range = *r;
	s->ranged = 1;
}

int
cs_source_next(struct cs_source *s, struct cs_entry **ep, struct cs_err *err)
{
	struct cs_entry	*e;
	char		*shown;
	int		 rc;

	*ep = NULL;
	for (;;) {
		rc = s->ops->next(s->impl, &e, err);
		if (rc != 1)
			return rc;	/* 0, -1, CS_SOURCE_AGAIN */
		if (cs_order_check(&s->order, e->path, e->pathlen) != 0) {
			shown = cs_encode_dup(e->path);
			cs_err_set(err, CS_EXIT_DATAERR, 0, "%s: '%s' is out "
			    "of canonical order", s->label, shown);
			free(shown);
			cs_entry_free(e);
			return -1;
		}
		if (!s->ranged || cs_range_where(&s->range, e->path,
		    e->pathlen) == CS_RANGE_IN)
			break;
		cs_entry_free(e);	/* another shard's */
	}
	*ep = e;
	return 1;
}

/* A fed source: one record waiting, its content, and whether it ended. */
struct source_fed {
	struct cs_entry		*e;
	struct cs_content	*c;	/* of the record taken last */
	struct cs_content	*next_c;
	int			 ended;
};

static int
source_fed_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct source_fed	*f = impl;

	(void)err;
	if (f->e == NULL)
		return f->ended ? 0 : CS_SOURCE_AGAIN;
	*ep = f->e;
	f->c = f->next_c;
	f->e = NULL;
	f->next_c = NULL;
	return 1;
}

static void
source_fed_close(void *impl)
{
	struct source_fed	*f = impl;

	cs_entry_free(f->e);
	free(f);
}

static struct cs_content *
source_fed_content(void *impl)
{
	return ((struct source_fed *)impl)->c;
}

static const struct cs_source_ops source_fed_ops = {
	"fed", source_fed_next, source_fed_close, source_fed_content
};

struct cs_source *
cs_source_fed(const char *kind, const char *path, unsigned carries)
{
	struct cs_source	*s;
	char			*shown;

	s = cs_source_new(&source_fed_ops, cs_xcalloc(1,
	    sizeof(struct source_fed)), path);
	/* named as the source it stands for */
	free(s->label);
	shown = cs_encode_dup(path);
	s->label = cs_xasprintf("%s %s", kind, shown);
	free(shown);
	s->carries = carries;
	return s;
}

int
cs_source_feed(struct cs_source *s, struct cs_entry *e, struct cs_content *c)
{
	struct source_fed	*f = s->impl;

	if (s->ops != &source_fed_ops || f->e != NULL || f->ended) {
		cs_entry_free(e);
		return -1;
	}
	f->e = e;
	f->next_c = c;
	f->c = NULL;		/* the last record's is gone with it */
	return 0;
}

void
cs_source_feed_end(struct cs_source *s)
{
	if (s->ops == &source_fed_ops)
		((struct source_fed *)s->impl)->ended = 1;
}

struct cs_content *
cs_source_content(struct cs_source *s)
{
	return s->ops->content != NULL ? s->ops->content(s->impl) : NULL;
}

void
cs_source_free(struct cs_source *s)
{
	if (s == NULL)
		return;
	s->ops->close(s->impl);
	free(s->label);
	cs_order_release(&s->order);
	free(s);
}

const char *
cs_source_kind(const struct cs_source *s)
{
	return s->ops->kind;
}

const char *
cs_source_label(const struct cs_source *s)
{
	return s->label;
}

struct cs_blr *
cs_source_blr(const struct cs_source *s)
{
	return s->ops == &source_baseline_ops ? s->impl : NULL;
}

struct cs_walk *
cs_source_walk(const struct cs_source *s)
{
	return cs_source_impl(s, &source_tree_ops);
}

void *
cs_source_impl(const struct cs_source *s, const struct cs_source_ops *ops)
{
	return s->ops == ops ? s->impl : NULL;
}
