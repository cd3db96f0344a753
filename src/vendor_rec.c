/*
 * vendor_rec.c: the versions a vendor record holds (vendor_int.h).
 *
 * A record of a baseline made from packages lists the packages that ship
 * its path (entry.h, struct cs_pkgref): the first is the one whose size
 * and digests the record holds; the others ship a regular file there,
 * each with its own size and SHA-256.  A record without them (another
 * kind of baseline) is one version of an unnamed package.
 */
#include "custos/custos.h"

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
	}
}

void
cs_vendor_take(struct cs_entry *e, size_t i)
{
	struct cs_pkgref	 t;

	if (i == 0 || !(e->have & CS_F_PKG) || i >= e->npkgs ||
	    e->type != CS_T_FILE)
		return;
	/* the first's own values become an alternative's */
	e->pkgs[0].size = e->size;
	if (e->digests & (1U << CS_D_SHA256))
		memcpy(e->pkgs[0].sha256, e->digest[CS_D_SHA256], 32);
	t = e->pkgs[0];
	e->pkgs[0] = e->pkgs[i];
	e->pkgs[i] = t;
	e->size = e->pkgs[0].size;
	e->digests = 1U << CS_D_SHA256;
	memcpy(e->digest[CS_D_SHA256], e->pkgs[0].sha256, 32);
}

void
cs_vendor_merge(struct cs_entry *e, const struct cs_entry *from)
{
	const struct cs_pkgref	*p;
	struct cs_pkgref	*q;
	struct vendor_ver	 v;
	size_t			 i;

	if (!(from->have & CS_F_PKG) || e->type != from->type)
		return;
	for (i = 0; i < from->npkgs; i++) {
		p = &from->pkgs[i];
		cs_vendor_ver(from, i, &v);
		q = cs_entry_add_pkg(e, p->name, p->version, p->arch,
		    p->flags);
		q->size = v.size;
		if (v.sha256 != NULL)
			memcpy(q->sha256, v.sha256, 32);
	}
}
