/*
 * vendor_rec.c: the versions a vendor record holds (vendor_int.h).
 *
 * The record's own fields are its first version; the versions of other
 * packages or versions shipping the same path follow.
 */
#include "custos/custos.h"

#include <string.h>

#include "custos/digest.h"
#include "custos/entry.h"

#include "vendor_int.h"

size_t
cs_vendor_nvers(const struct cs_entry *e)
{
	(void)e;
	return 1;
}

void
cs_vendor_ver(const struct cs_entry *e, size_t i, struct vendor_ver *v)
{
	(void)i;
	memset(v, 0, sizeof *v);
	v->size = e->size;
	if (e->digests & (1U << CS_D_SHA256))
		v->sha256 = e->digest[CS_D_SHA256];
}

void
cs_vendor_take(struct cs_entry *e, size_t i)
{
	(void)e;
	(void)i;
}

void
cs_vendor_merge(struct cs_entry *e, const struct cs_entry *from)
{
	(void)e;
	(void)from;
}
