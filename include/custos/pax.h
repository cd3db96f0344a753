/*
 * pax.h: the pax header codec shared by the evidence tar writer
 * (snapshot.c) and its readers (evidence.c).
 *
 * libarchive writes the ustar and pax headers; this codec adds records
 * to a member's extended header after the fact (so the member's digests
 * travel in its header, as "CUSTOS.sha256=HEX") and finds records in a
 * header read back.  Every byte handed to the finders is hostile input:
 * lengths are checked against the buffer before anything is read.
 */
#ifndef CUSTOS_PAX_H
#define CUSTOS_PAX_H

#include <stddef.h>
#include <stdint.h>

#include "custos/digest.h"

struct cs_buf;

/* The pax keyword prefix of a member's digests: "CUSTOS.sha256". */
#define CS_PAX_DIGEST_PREFIX	"CUSTOS."

/*
 * star's keywords for what a tar header cannot hold and a baseline
 * records: the device and inode number and the link count, in decimal.
 * (Inode flags go in libarchive's SCHILY.fflags, by name.)
 */
#define CS_PAX_DEV		"SCHILY.dev"
#define CS_PAX_INO		"SCHILY.ino"
#define CS_PAX_NLINK		"SCHILY.nlink"
/* libarchive's keyword of the birth time (it reads it, but its pax
   writer does not write it). */
#define CS_PAX_BTIME		"LIBARCHIVE.creationtime"

/* Append the pax record "LEN KEY=VALUE\n" to OUT. */
void		 cs_pax_record(struct cs_buf *, const char *, const char *,
		    size_t);
/* Append the records naming the digests D in MASK, in digest order. */
void		 cs_pax_digest_records(struct cs_buf *, unsigned,
		    unsigned char [][CS_DIGEST_MAXLEN]);
/* Append the records of a device and inode number and a link count. */
void		 cs_pax_inode_records(struct cs_buf *, uint64_t, uint64_t,
		    uint64_t);
/* Append the record of a time: KEY=SEC.NNNNNNNNN (SEC may be negative). */
void		 cs_pax_time_record(struct cs_buf *, const char *, int64_t,
		    uint32_t);
/*
 * Rewrite the headers HDR (N bytes, as libarchive wrote them for one
 * member) into OUT with the pax records RECS (RN bytes) added to its
 * extended header, creating one if there is none.  -1 if HDR is not a
 * tar header.
 */
int		 cs_pax_splice(struct cs_buf *, const unsigned char *,
		    size_t, const char *, size_t);
/*
 * Find KEY among the pax records REC (N bytes): 1 with *V and *VN set,
 * 0 if absent, -1 if the records are malformed.
 */
int		 cs_pax_find(const char *, size_t, const char *,
		    const char **, size_t *);
/*
 * The digests among the pax records REC (N bytes) into D: the mask of
 * those present and well formed.
 */
unsigned	 cs_pax_find_digests(const char *, size_t,
		    unsigned char [][CS_DIGEST_MAXLEN]);
/* Tar header checksum of a 512-byte block. */
unsigned	 cs_pax_tar_cksum(const unsigned char *);

#endif /* CUSTOS_PAX_H */
