/*
 * vendor_explain.c: three-way checks (vendor.h, cs_vendor_explain).
 *
 * The findings of a comparison with a host baseline that have a new
 * state (added, changed, type changed) are put in canonical order and
 * read as a source, joined (join.h) with the vendor view; each new state
 * with a vendor record at its path is compared with that record by the
 * comparator of every check (diff.h), on what vendor records carry.  No
 * difference: a signed package version ships exactly this, the change is
 * an upgrade ("updated by P V") at info.  Memory: the findings, which
 * are in memory already, and one record per side of the join.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/join.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/source.h"
#include "custos/vendor.h"
#include "custos/xmalloc.h"

#include "diff_int.h"
#include "vendor_int.h"

/* The findings as a source: records with only their paths. */
struct vexp_src {
	struct cs_finding	**fs;
	size_t			  n;
	size_t			  next;
};

static int
vexp_cmp(const void *a, const void *b)
{
	const struct cs_finding	*x = *(struct cs_finding *const *)a;
	const struct cs_finding	*y = *(struct cs_finding *const *)b;

	return cs_path_cmp(x->path, x->pathlen, y->path, y->pathlen);
}

/* The next finding's path; its index in the record's ino (private). */
static int
vexp_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct vexp_src	*s = impl;
	struct cs_entry	*e;

	(void)err;
	if (s->next == s->n)
		return 0;
	e = cs_entry_new();
	cs_entry_set_path(e, s->fs[s->next]->path, s->fs[s->next]->pathlen);
	e->ino = s->next++;
	*ep = e;
	return 1;
}

static void
vexp_close(void *impl)
{
	struct vexp_src	*s = impl;

	free(s->fs);
	free(s);
}

static const struct cs_source_ops vexp_ops = {
	"findings", vexp_next, vexp_close, NULL
};

/* A copy of E, through the baseline record encoding. */
static struct cs_entry *
vexp_dup(const struct cs_entry *e)
{
	struct cs_entry	*c = cs_entry_new();
	struct cs_buf	 b;
	const char	*why;

	cs_buf_init(&b);
	cs_bl_format(&b, e);
	if (b.len == 0 || cs_bl_parse(b.data, b.len - 1, c, &why) != 0) {
		cs_entry_free(c);
		c = NULL;
	}
	cs_buf_release(&b);
	return c;
}

/*
 * Does the vendor record V (taken over) ship F's new state exactly?  The
 * comparison is that of every check, on what V carries.
 */
static int
vexp_matches(const struct cs_finding *f, struct cs_entry *v,
    struct cs_vmap *map, const struct cs_policy *pol, char **named)
{
	struct cs_diff_opts	 opts;
	struct cs_finding	*g;
	struct cs_entry		*n;
	struct cs_rule		 rule;
	struct vendor_ver	 ver;
	char			*p, *pv;

	*named = NULL;
	if ((n = vexp_dup(f->new)) == NULL) {
		cs_entry_free(v);
		return 0;
	}
	cs_vendor_prepare(map, v, n);
	cs_vendor_ver(v, 0, &ver);
	if (ver.package != NULL && ver.version != NULL) {
		p = cs_encode_dup(ver.package);
		pv = cs_encode_dup(ver.version);
		*named = cs_xasprintf("%s %s", p, pv);
		free(p);
		free(pv);
	}
	memset(&opts, 0, sizeof opts);
	opts.policy = pol;
	opts.carried = CS_VENDOR_CARRIES;
	opts.created = INT64_MIN;
	cs_policy_eval(pol, f->path, &rule);
	rule.groups &= CS_VENDOR_CARRIES;
	rule.ignore = 0;
	g = cs_diff_pair_cmp(v, n, NULL, &rule, &opts, v->digests & n->digests);
	if (g == NULL)
		return 1;
	cs_finding_free(g);
	free(*named);
	*named = NULL;
	return 0;
}

/* F is an upgrade to what NAMED ("P V", encoded, taken over) ships. */
static void
vexp_mark(struct cs_finding *f, char *named)
{
	f->flags |= CS_FF_UPDATED;
	f->severity = CS_SEV_INFO;
	f->nreasons = 0;
	cs_finding_reason(f, NULL, "updated by a signed package version: "
	    "an upgrade, not a trojan");
	free(f->detail);
	f->detail = cs_xasprintf("updated by %s", named != NULL ? named :
	    "a package");
	free(named);
}

int
cs_vendor_explain(struct cs_finding **fs, size_t n, struct cs_source *base,
    const char *label, struct cs_vmap *map, const struct cs_policy *pol,
    uint64_t *explained, struct cs_err *err)
{
	struct vexp_src		*s;
	struct cs_source	*src, *view;
	struct cs_join		*join;
	struct cs_entry		*a, *b;
	char			*named;
	size_t			 i;
	int			 rc;

	*explained = 0;
	s = cs_xcalloc(1, sizeof *s);
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	s->fs = cs_xcalloc(n + 1, sizeof *s->fs);
	for (i = 0; i < n; i++) {
		/* a directory's listing is not what a package ships */
		if (fs[i]->new != NULL && fs[i]->kind != CS_K_NOTCMP &&
		    fs[i]->new->type != CS_T_DIR)
			s->fs[s->n++] = fs[i];
	}
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	qsort(s->fs, s->n, sizeof *s->fs, vexp_cmp);
	src = cs_source_new(&vexp_ops, s, "");
	view = cs_vendor_view(base, map, label);
	join = cs_join_new(src, view);
	while ((rc = cs_join_next(join, &a, &b, err)) == 1) {
		if (a != NULL && b != NULL &&
		    vexp_matches(s->fs[a->ino], b, map, pol, &named)) {
			vexp_mark(s->fs[a->ino], named);
			(*explained)++;
		} else if (a == NULL || b == NULL)
			cs_entry_free(b);
		cs_entry_free(a);
	}
	cs_join_free(join);
	cs_source_free(src);
	cs_source_free(view);
	return rc < 0 ? -1 : 0;
}
