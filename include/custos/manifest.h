/*
 * manifest.h: the manifest of an evidence tar: a baseline of exactly
 * what the archive holds, written as its last member.
 *
 * Records are spooled to an anonymous temporary file while the archive
 * is written, in the walk's canonical order; at the end the spool is
 * read back into a signed baseline in another anonymous temporary file,
 * which the snapshot then archives.
 */
#ifndef CUSTOS_MANIFEST_H
#define CUSTOS_MANIFEST_H

#include <stdio.h>

struct cs_bl_header;
struct cs_entry;
struct cs_err;
struct cs_key;

struct cs_manifest {
	FILE	*spool;
};

/* Create the spool. */
int		 cs_manifest_open(struct cs_manifest *, struct cs_err *);
/* Close the spool.  Accepts a manifest never opened (zeroed). */
void		 cs_manifest_close(struct cs_manifest *);
/* Spool the record E. */
int		 cs_manifest_add(struct cs_manifest *,
		    const struct cs_entry *, struct cs_err *);
/*
 * Write the baseline with header H from the spool, signed with KEY (or
 * NULL), into an anonymous temporary file: its descriptor, or -1.
 */
int		 cs_manifest_write(struct cs_manifest *,
		    const struct cs_bl_header *, const struct cs_key *,
		    struct cs_err *);

#endif /* CUSTOS_MANIFEST_H */
