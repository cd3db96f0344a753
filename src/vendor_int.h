/*
 * vendor_int.h: what the vendor view (vendor_view.c) and the vendor
 * verdicts (triage_vendor.c) share about a vendor record's versions.
 *
 * A vendor record is one path; several packages or versions may ship it
 * (its alternatives).  Each shipped version is seen here as a struct
 * vendor_ver; cs_vendor_prepare makes the one the tree matches the
 * record's own values.
 */
#ifndef CUSTOS_VENDOR_INT_H
#define CUSTOS_VENDOR_INT_H

#include <stddef.h>
#include <stdint.h>

struct cs_entry;

/* One version shipped at a path (borrowed from the record). */
struct vendor_ver {
	const char		*package;	/* NULL if unknown */
	const char		*version;
	const char		*arch;
	int			 conffile;
	int			 unverified;	/* its .deb did not verify */
	uint64_t		 size;
	const unsigned char	*sha256;	/* NULL if none */
};

/* How many versions the record E holds (at least 1). */
size_t		 cs_vendor_nvers(const struct cs_entry *);
/* The I-th version of E. */
void		 cs_vendor_ver(const struct cs_entry *, size_t,
		    struct vendor_ver *);
/* Make the I-th version E's own (size, digest, package, version). */
void		 cs_vendor_take(struct cs_entry *, size_t);
/* Add what FROM ships at E's path to E's versions. */
void		 cs_vendor_merge(struct cs_entry *, const struct cs_entry *);
/*
 * Two records of one path read from packages, B merged into A: the
 * package that stands for the path (verified first, then by name,
 * version, architecture) is the record, another that ships a regular
 * file there an alternative; the other record is freed.
 */
struct cs_entry	*cs_vendor_merge_same(struct cs_entry *, struct cs_entry *);
/* A record's alternatives in order, each once. */
void		 cs_vendor_sort_alts(struct cs_entry *);

#endif /* CUSTOS_VENDOR_INT_H */
