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
struct cs_finding;
struct cs_rule;

/* One version shipped at a path (borrowed from the record). */
struct vendor_ver {
	const char		*package;	/* NULL if unknown */
	const char		*version;
	const char		*arch;
	int			 conffile;
	int			 unverified;	/* its .deb did not verify */
	uint64_t		 size;
	const unsigned char	*sha256;	/* NULL if none */
	uint32_t		 mode;		/* permission bits (07777) */
};

/* How many versions the record E holds (at least 1). */
size_t		 cs_vendor_nvers(const struct cs_entry *);
/* The I-th version of E. */
void		 cs_vendor_ver(const struct cs_entry *, size_t,
		    struct vendor_ver *);
/* Make the I-th version E's own (size, digest, mode, package, version). */
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

/*
 * F's content differs from every version the vendor record VREC ships:
 * critical for programs, libraries and modules, review for conffiles,
 * with the package and the command that restores it (triage_vendor.c).
 */
void		 cs_vendor_content(struct cs_finding *, const struct cs_entry *,
		    const struct cs_rule *);
/*
 * What no policy may quiet: an ELF object, a script, an executable, a
 * setuid or setgid file or one with capabilities.
 */
int		 cs_vendor_dangerous(const struct cs_entry *);
/* Append LINE (taken over) to F's detail lines. */
void		 cs_vendor_detail(struct cs_finding *, char *);
/* Does version V ship E's content (a regular file's size and SHA-256)? */
int		 cs_vendor_same(const struct vendor_ver *,
		    const struct cs_entry *);

/* The map's own (vendor_map.c), for vendor_scripts.c. */
struct cs_vmap;
struct cs_vscripts;
/* Read the regular file DIR/NAME below the root (heap, NUL-ended). */
char		*cs_vmap_slurp(const struct cs_vmap *, const char *,
		    const char *, size_t *);
struct cs_vscripts **cs_vmap_scripts(struct cs_vmap *);
void		 cs_vscripts_free(struct cs_vscripts *);

/*
 * The signed packages' maintainer scripts (vendor_scripts.c): record
 * that a signed version ships PATH (LEN bytes, below /var/lib/dpkg/info)
 * with content SHA256; then, for F's vendor record VREC, a heap reason
 * if the postinst of VREC's package in the examined root has the content
 * of a signed version and names PATH, else NULL.
 */
void		 cs_vmap_add_script(struct cs_vmap *, const char *, size_t,
		    const unsigned char *);
char		*cs_vmap_script_explains(struct cs_vmap *,
		    const struct cs_entry *, const char *);

#endif /* CUSTOS_VENDOR_INT_H */
