/*
 * vendor_rec.c: the versions a vendor record holds (vendor_int.h).
 *
 * A record of a baseline made from packages lists the packages that ship
 * its path (entry.h, struct cs_pkgref): the first is the one whose size,
 * digests and mode the record holds; the others ship a regular file
 * there, each with its own size and SHA-256, and its own mode where it
 * is not the record's (CS_PKG_MODE: a version that changed a mode).  A
 * record without them (another kind of baseline) is one version of an
 * unnamed package.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/xmalloc.h"

#include "vendor_int.h"

size_t
cs_vendor_nvers(const struct cs_entry *e)
{
	return (e->have & CS_F_PKG) && e->npkgs > 0 ? e->npkgs : 1;
}

void
cs_vendor_ver(const struct cs_entry *e, size_t i, struct vendor_ver *v)
{
	const struct cs_pkgref	*p;

	memset(v, 0, sizeof *v);
	v->size = e->size;
	v->mode = e->mode & 07777;
	if (e->digests & (1U << CS_D_SHA256))
		v->sha256 = e->digest[CS_D_SHA256];
	if (!(e->have & CS_F_PKG) || i >= e->npkgs)
		return;
	p = &e->pkgs[i];
	v->package = p->name;
	v->version = p->version;
	v->arch = p->arch;
	v->conffile = (p->flags & CS_PKG_CONFFILE) != 0;
	v->unverified = (p->flags & CS_PKG_UNVERIFIED) != 0;
	if (i > 0 && e->type == CS_T_FILE) {
		v->size = p->size;
		v->sha256 = p->sha256;
		if (p->flags & CS_PKG_MODE)
			v->mode = p->mode & 07777;
	}
}

/*
 * Say whether P's mode (MODE) is other than E's own; the first package's
 * is the record's (P is E's first: no mode of its own).
 */
static void
vrec_alt_mode(const struct cs_entry *e, struct cs_pkgref *p, uint32_t mode)
{
	p->flags &= ~(unsigned)CS_PKG_MODE;
	p->mode = 0;
	if (p != &e->pkgs[0] && mode != (e->mode & 07777)) {
		p->flags |= CS_PKG_MODE;
		p->mode = mode;
	}
}

/* Add version I of FROM to E's alternatives. */
static void
vrec_add_alt(struct cs_entry *e, const struct cs_entry *from, size_t i)
{
	const struct cs_pkgref	*p = &from->pkgs[i];
	struct cs_pkgref	*q;
	struct vendor_ver	 v;

	cs_vendor_ver(from, i, &v);
	q = cs_entry_add_pkg(e, p->name, p->version, p->arch, p->flags);
	q->size = v.size;
	if (v.sha256 != NULL)
		memcpy(q->sha256, v.sha256, 32);
	vrec_alt_mode(e, q, v.mode);
}

void
cs_vendor_take(struct cs_entry *e, size_t i)
{
	struct cs_pkgref	 t;
	struct vendor_ver	 v;
	uint32_t		*modes;
	size_t			 j;

	if (i == 0 || !(e->have & CS_F_PKG) || i >= e->npkgs ||
	    e->type != CS_T_FILE)
		return;
	/* each version's mode, before the record's changes */
	modes = cs_xreallocarray(NULL, e->npkgs, sizeof *modes);
	for (j = 0; j < e->npkgs; j++) {
		cs_vendor_ver(e, j, &v);
		modes[j] = v.mode;
	}
	/* the first's own values become an alternative's */
	e->pkgs[0].size = e->size;
	if (e->digests & (1U << CS_D_SHA256))
		memcpy(e->pkgs[0].sha256, e->digest[CS_D_SHA256], 32);
	t = e->pkgs[0];
	e->pkgs[0] = e->pkgs[i];
	e->pkgs[i] = t;
	e->mode = (e->mode & ~(uint32_t)07777) | modes[i];
	modes[i] = modes[0];
	for (j = 0; j < e->npkgs; j++)
		vrec_alt_mode(e, &e->pkgs[j], j > 0 ? modes[j] : 0);
	free(modes);
	e->size = e->pkgs[0].size;
	e->digests = 1U << CS_D_SHA256;
	memcpy(e->digest[CS_D_SHA256], e->pkgs[0].sha256, 32);
}

void
cs_vendor_merge(struct cs_entry *e, const struct cs_entry *from)
{
	size_t			 i;

	if (!(from->have & CS_F_PKG) || e->type != from->type)
		return;
	for (i = 0; i < from->npkgs; i++)
		vrec_add_alt(e, from, i);
}

/*
 * Which package's record stands for a path: a verified one before an
 * unverified one, then the first by name, version, architecture.
 */
static int
vrec_first(const struct cs_pkgref *a, const struct cs_pkgref *b)
{
	unsigned	 ua = a->flags & CS_PKG_UNVERIFIED;
	unsigned	 ub = b->flags & CS_PKG_UNVERIFIED;

	if (ua != ub)
		return ua != 0 ? 1 : -1;
	return cs_pkgref_cmp(a, b);
}

/*
 * Merge record B (of the same path) into A: the first package (vrec_first)
 * is the record; another that ships a regular file where A is one is kept as an
 * alternative.  B is freed (or becomes A).
 */
struct cs_entry *
cs_vendor_merge_same(struct cs_entry *a, struct cs_entry *b)
{
	struct cs_entry		*t;
	size_t			 i;

	if (vrec_first(&b->pkgs[0], &a->pkgs[0]) < 0) {
		/* B is the record; A's alternatives go over to it */
		t = a;
		a = b;
		b = t;
		for (i = 1; a->type == CS_T_FILE && i < b->npkgs; i++)
			vrec_add_alt(a, b, i);
	}
	if (a->type == CS_T_FILE && b->type == CS_T_FILE &&
	    cs_pkgref_cmp(&b->pkgs[0], &a->pkgs[0]) != 0)
		vrec_add_alt(a, b, 0);
	cs_entry_free(b);
	return a;
}

static int
vrec_alt_cmp(const void *a, const void *b)
{
	return cs_pkgref_cmp(a, b);
}

/* The alternatives in order, each once. */
void
cs_vendor_sort_alts(struct cs_entry *e)
{
	size_t	 i, j;

	if (e->npkgs < 3)
		return;
	qsort(e->pkgs + 1, e->npkgs - 1, sizeof *e->pkgs, vrec_alt_cmp);
	for (i = j = 1; i < e->npkgs; i++) {
		if (j > 1 && cs_pkgref_cmp(&e->pkgs[j - 1], &e->pkgs[i]) == 0) {
			free(e->pkgs[i].name);
			free(e->pkgs[i].version);
			free(e->pkgs[i].arch);
			continue;
		}
		e->pkgs[j++] = e->pkgs[i];
	}
	e->npkgs = j;
}
