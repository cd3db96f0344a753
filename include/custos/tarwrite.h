/*
 * tarwrite.h: the pax tar writer of an evidence snapshot: libarchive's
 * pax writer, unblocked, writing into an output stream (outstream.h),
 * with the member's digests added to each header it writes (pax.h).
 */
#ifndef CUSTOS_TARWRITE_H
#define CUSTOS_TARWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "custos/digest.h"
#include "custos/entry.h"

struct archive_entry;
struct cs_err;
struct cs_hasher;
struct cs_outstream;
struct cs_tarwrite;

/*
 * A pax writer into OS, counting each member written in *MEMBERS; NULL
 * with ERR set if libarchive cannot start.
 */
struct cs_tarwrite *cs_tarwrite_new(struct cs_outstream *, uint64_t *,
		    struct cs_err *);
/* Free W; one not closed writes its end into the stream.  Takes NULL. */
void		 cs_tarwrite_free(struct cs_tarwrite *);
/*
 * Write the header of AE, with the digests in D (if MASK is not 0) added
 * to its extended header.
 */
int		 cs_tarwrite_header(struct cs_tarwrite *,
		    struct archive_entry *, unsigned,
		    unsigned char [][CS_DIGEST_MAXLEN], struct cs_err *);
/*
 * Hand N bytes of member data at P to the writer ARG (a struct
 * cs_tarwrite; the signature of cs_readahead_out).
 */
int		 cs_tarwrite_data(void *, const void *, size_t);
/* End the member (padding); -1 if a write failed. */
int		 cs_tarwrite_finish_entry(struct cs_tarwrite *);
/* Set ERR for a failed write in libarchive or below it; returns -1. */
int		 cs_tarwrite_failed(struct cs_tarwrite *, struct cs_err *);
/*
 * A whole member NAME from memory (N bytes at P, read-only, ours, dated
 * now), its digests in mask MASK computed with H and put in its header.
 */
int		 cs_tarwrite_memory(struct cs_tarwrite *, const char *,
		    const void *, size_t, unsigned, struct cs_hasher *,
		    struct cs_err *);
/* Write the end of the archive into the stream. */
int		 cs_tarwrite_close(struct cs_tarwrite *, struct cs_err *);
/* The tar file type of a record type, or 0 if tar cannot hold it. */
unsigned	 cs_tarwrite_filetype(enum cs_type);
/* The archive entry for record E: all the metadata tar can hold. */
struct archive_entry *cs_tarwrite_entry(const struct cs_entry *,
		    const char *);

#endif /* CUSTOS_TARWRITE_H */
