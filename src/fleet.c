/*
 * fleet.c: findings of several hosts grouped (fleet.h).
 *
 * Every finding becomes an item keyed by path and new content; the
 * items, sorted by key, fall into runs of one key, each run a group
 * (a report has each path once, so the reports in a run are distinct
 * hosts).  Memory follows the findings of all reports, which are held.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/fleet.h"
#include "custos/path.h"
#include "custos/report_read.h"
#include "custos/xmalloc.h"

struct fleet_item {
	const struct cs_finding	*f;
	char			*digest;
	size_t			 host;
};

char *
cs_fleet_digest(const struct cs_finding *f)
{
	char	 hex[2 * CS_DIGEST_MAXLEN + 1];
	size_t	 i;
	int	 d;

	if (f->kind == CS_K_REMOVED || f->new == NULL)
		return NULL;
	for (d = 0; d < CS_D_COUNT; d++) {
		if ((f->new->digests & (1U << d)) == 0)
			continue;
		cs_hex(f->new->digest[d], cs_digest_len((enum cs_digest)d),
		    hex);
		return cs_xasprintf("%s:%s", cs_digest_name((enum cs_digest)d),
		    hex);
	}
	for (i = 0; i < f->nchanges; i++) {
		if (f->changes[i].attr == CS_A_DIGEST &&
		    f->changes[i].name != NULL && f->changes[i].new != NULL)
			return cs_xasprintf("%s:%s", f->changes[i].name,
			    f->changes[i].new);
	}
	return NULL;
}

/* Key order: path, then content (none first), then kind without one. */
static int
fleet_key_cmp(const struct fleet_item *x, const struct fleet_item *y)
{
	int	 c;

	c = cs_path_cmp(x->f->path, x->f->pathlen, y->f->path, y->f->pathlen);
	if (c != 0)
		return c;
	if (x->digest == NULL || y->digest == NULL) {
		if (x->digest != y->digest)
			return x->digest == NULL ? -1 : 1;
		return (int)x->f->kind - (int)y->f->kind;
	}
	return strcmp(x->digest, y->digest);
}

static int
fleet_item_cmp(const void *a, const void *b)
{
	const struct fleet_item	*x = a, *y = b;
	int			 c = fleet_key_cmp(x, y);

	if (c != 0)
		return c;
	return x->host < y->host ? -1 : x->host > y->host;
}

/* Most hosts first, then most severe, then by path. */
static int
fleet_group_cmp(const void *a, const void *b)
{
	const struct cs_fleet_group	*x = a, *y = b;

	if (x->nhosts != y->nhosts)
		return x->nhosts > y->nhosts ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return cs_path_cmp(x->f->path, x->f->pathlen, y->f->path,
	    y->f->pathlen);
}

/* No two reports of one host. */
static int
fleet_hosts(struct cs_report_file *r, size_t n, struct cs_err *err)
{
	char	*h, *x, *y;
	size_t	 i, j;
	int	 rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		for (j = i + 1; j < n && rc == 0; j++) {
			if (r[i].sum.host == NULL || r[j].sum.host == NULL ||
			    strcmp(r[i].sum.host, r[j].sum.host) != 0)
				continue;
			h = cs_encode_dup(r[i].sum.host);
			x = cs_encode_dup(r[i].name);
			y = cs_encode_dup(r[j].name);
			rc = cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s' and "
			    "'%s' are both reports of host '%s'", x, y, h);
			free(h);
			free(x);
			free(y);
		}
	}
	return rc;
}

/* Make the group of the run IT[0..N). */
static void
fleet_run(struct cs_fleet *fl, struct fleet_item *it, size_t n)
{
	struct cs_fleet_group	*g;
	size_t			 i;

	fl->g = cs_xreallocarray(fl->g, fl->n + 1, sizeof *fl->g);
	g = &fl->g[fl->n++];
	memset(g, 0, sizeof *g);
	g->f = it[0].f;
	g->digest = it[0].digest != NULL ? cs_xstrdup(it[0].digest) : NULL;
	g->hosts = cs_xreallocarray(NULL, n, sizeof *g->hosts);
	g->severity = it[0].f->severity;
	for (i = 0; i < n; i++) {
		g->hosts[g->nhosts++] = it[i].host;
		g->kinds |= 1U << it[i].f->kind;
		if (it[i].f->severity > g->severity)
			g->severity = it[i].f->severity;
	}
}

int
cs_fleet_group(struct cs_fleet *fl, struct cs_report_file *r, size_t n,
    struct cs_err *err)
{
	struct fleet_item	*it = NULL;
	size_t			 total = 0, i, j, k = 0, start;

	memset(fl, 0, sizeof *fl);
	if (fleet_hosts(r, n, err) != 0)
		return -1;
	for (i = 0; i < n; i++)
		total += r[i].n;
	it = cs_xcalloc(total + 1, sizeof *it);
	for (i = 0; i < n; i++) {
		for (j = 0; j < r[i].n; j++, k++) {
			it[k].f = r[i].fs[j];
			it[k].digest = cs_fleet_digest(r[i].fs[j]);
			it[k].host = i;
		}
	}
	if (total > 1)
		qsort(it, total, sizeof *it, fleet_item_cmp);
	for (start = 0, i = 1; i <= total; i++) {
		if (i < total && fleet_key_cmp(&it[start], &it[i]) == 0)
			continue;
		if (i > start)
			fleet_run(fl, it + start, i - start);
		start = i;
	}
	if (fl->n > 1)
		qsort(fl->g, fl->n, sizeof *fl->g, fleet_group_cmp);
	for (i = 0; i < total; i++)
		free(it[i].digest);
	free(it);
	return 0;
}

void
cs_fleet_release(struct cs_fleet *fl)
{
	size_t	 i;

	for (i = 0; i < fl->n; i++) {
		free(fl->g[i].digest);
		free(fl->g[i].hosts);
	}
	free(fl->g);
	memset(fl, 0, sizeof *fl);
}
