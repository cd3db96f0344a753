/*
 * fstore.h: findings kept on disk, with a small index in memory.
 *
 * A check of a whole machine against a vendor baseline makes hundreds of
 * thousands of findings of about 2 KB each.  The store writes each one,
 * completely serialized, to an unlinked temporary file ($TMPDIR, else
 * /var/tmp; mode 0600, gone when the process ends) through a write
 * buffer, and keeps in memory only a fixed-size index entry per finding
 * (struct cs_fstore_ix, 40 bytes): where its record is, and the fields a
 * caller orders and selects findings by without loading them.  A finding
 * is read back with pread(2) as a new heap finding.
 *
 * Every field of the finding and of both entries comes back as it went
 * in (NULL and empty strings distinguished), except the digest slots an
 * entry's `digests' does not name and its zdigest without CS_F_ZDIGEST,
 * which come back zeroed.  The `const char *' fields that point to static
 * strings (reasons, techniques, floor_reason, floor_technique,
 * danger_reason, danger_technique, why_not) come back pointing into a
 * pool the store owns, one copy per distinct string: equal strings give
 * equal pointers, and they stay valid until cs_fstore_free, so every
 * finding read from a store must be used before the store is freed.
 *
 * Records are checked when read back (lengths against the record, counts,
 * enumerations and a checksum): a short or altered record is refused with
 * CS_EXIT_IOERR or CS_EXIT_DATAERR, never overrun.
 */
#ifndef CUSTOS_FSTORE_H
#define CUSTOS_FSTORE_H

#include <stddef.h>
#include <stdint.h>

struct cs_buf;
struct cs_err;
struct cs_finding;
struct cs_fstore;

/* Where the store's file goes without $TMPDIR (also the report's items). */
#define CS_FSTORE_TMPDIR	"/var/tmp"
/* What cs_fstore_add returns on error. */
#define CS_FSTORE_NONE	SIZE_MAX

/* cs_fstore_ix.bits */
#define CS_FSTORE_NEW	0x1	/* the finding has a new entry */
#define CS_FSTORE_CTIME	0x2	/* the time is its ctime (else mtime) */

/*
 * The index entry of one finding, 40 bytes: its record (offset and
 * length in the file) and, copied from the finding, its seq, severity
 * (triage's, int16 range), kind, flags (CS_FF_*) and timeline key: the
 * new entry's ctime if it has CS_F_CTIME, else its mtime (zero without a
 * new entry).
 */
struct cs_fstore_ix {
	uint64_t	 off;
	int64_t		 sec;		/* timeline key */
	uint64_t	 seq;
	uint32_t	 len;
	uint32_t	 nsec;
	uint32_t	 flags;		/* CS_FF_* */
	int16_t		 severity;
	uint8_t		 kind;		/* enum cs_kind */
	uint8_t		 bits;		/* CS_FSTORE_* */
};

/* An empty store on a new temporary file; NULL with ERR set. */
struct cs_fstore *cs_fstore_new(struct cs_err *);
void		 cs_fstore_free(struct cs_fstore *);
/*
 * Append F (borrowed) and return its index (0, 1, ... in order of
 * addition), or CS_FSTORE_NONE with ERR set: a write error (the store is
 * then unusable), or a finding too large or with a severity outside the
 * int16 range (CS_EXIT_SOFTWARE).
 */
size_t		 cs_fstore_add(struct cs_fstore *, const struct cs_finding *,
		    struct cs_err *);
/*
 * Append F as the new version of finding I: index entry I then names it
 * (the old record stays in the file, unused).  0, or -1 with ERR set.
 */
int		 cs_fstore_replace(struct cs_fstore *, size_t,
		    const struct cs_finding *, struct cs_err *);
/*
 * Read finding I back into *OUT, a new finding for cs_finding_free (its
 * static strings are the store's: see above).  0, or -1 with ERR set.
 */
int		 cs_fstore_get(struct cs_fstore *, size_t, struct cs_finding **,
		    struct cs_err *);
size_t		 cs_fstore_count(const struct cs_fstore *);
/* The index entry of finding I (I < count); valid until the next add. */
const struct cs_fstore_ix *cs_fstore_ix(const struct cs_fstore *, size_t);

/*
 * The record codec, also for tests: append the record of F to B (its
 * static strings interned in the store's pool, which the record names
 * them by), and decode the LEN bytes at P into *OUT.  Decoding returns 0,
 * or -1 with ERR set (DATAERR).
 */
void		 cs_fstore_encode(struct cs_fstore *, struct cs_buf *,
		    const struct cs_finding *);
/* The checksum a record ends with, of its N bytes before it at P. */
uint32_t	 cs_fstore_sum(const void *, size_t);
int		 cs_fstore_decode(struct cs_fstore *, const void *, size_t,
		    struct cs_finding **, struct cs_err *);
/* The store's file descriptor (tests alter the file through it). */
int		 cs_fstore_fd(const struct cs_fstore *);

#endif /* CUSTOS_FSTORE_H */
