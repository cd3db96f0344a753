/*
 * evidence.h: read and verify an evidence tar written by "custos
 * snapshot" (doc/custos-evidence.5).
 *
 * The reader hands out the members in archive order with the digests of
 * their content, computed as it is read, and the digests their own pax
 * header claims; every byte of the file goes through the stream digest,
 * which is compared with the custody record.  Nothing is extracted.
 */
#ifndef CUSTOS_EVIDENCE_H
#define CUSTOS_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "custos/digest.h"

struct archive_entry;
struct cs_buf;
struct cs_entry;
struct cs_err;
struct cs_key;
struct cs_source;

struct cs_evidence_opts {
	const char	 *file;
	const char	 *custody;	/* NULL: FILE.custody */
	const struct cs_key *pub;	/* trusted key, or NULL */
	const char	 *fingerprint;	/* 64 hex digits, or NULL */
	int		  allow_unsigned;
	/*
	 * Or NULL: called after each member with the members and archive
	 * bytes read so far, and with -1 (UINT64_MAX) for both once the
	 * archive has been read, before anything is printed to standard
	 * output.
	 */
	void		(*progress)(void *, uint64_t, uint64_t);
	void		 *progress_arg;
	/*
	 * Limits on the logical size of one member and of all, where no
	 * signed manifest vouches for them (a foreign tar; evidence from a
	 * pipe or tape, or whose manifest no trusted key verified): 0 for
	 * the default, UINT64_MAX for none.
	 */
	uint64_t	  max_member;
	uint64_t	  max_total;
};

/*
 * The SHA-256 of the whole file O->file (in D[CS_D_SHA256]) and its
 * size, with O's progress (no members yet) as it is read.
 */
int		 cs_evidence_stream_digest(const struct cs_evidence_opts *,
		    unsigned char [][CS_DIGEST_MAXLEN], uint64_t *,
		    struct cs_err *);
/* The default limits (custos-verify(1), custos-check(1)). */
#define CS_EVIDENCE_MAX_MEMBER	(4ULL << 30)
#define CS_EVIDENCE_MAX_TOTAL	(1ULL << 40)
/*
 * A limit given as an option: a number of bytes, with a suffix K, M, G
 * or T (powers of 1024); "0" is no limit (stored as UINT64_MAX).
 */
int		 cs_evidence_limit_parse(const char *, uint64_t *,
		    struct cs_err *);
/* The limits of O in effect: 0 for none. */
void		 cs_evidence_limits(const struct cs_evidence_opts *,
		    uint64_t *, uint64_t *);

/*
 * Nonzero if PATH is a regular file that libarchive recognises as an
 * archive (tarprobe.h): the reader names and refuses what is not a plain
 * tar.
 */
int		 cs_evidence_is_tar(const char *);

/*
 * Verify everything (see custos-verify(1)); nothing is printed (see
 * evidence_verify.h for the result with each problem, by member name).
 * Returns 0 only if all holds, CS_EXIT_INCOMPLETE for a valid but
 * incomplete snapshot, else -1 with ERR set to the summary.
 */
int		 cs_evidence_verify(const struct cs_evidence_opts *,
		    struct cs_err *);

/* What the evidence source found, for the report. */
struct cs_evidence_info {
	int		 is_signed;	/* both signatures checked with the
					   trusted key */
	int		 incomplete;	/* status=incomplete */
};

struct cs_evr;
struct cs_evm;
/*
 * The records of a custos evidence tar, verified before they are
 * believed (see evidence_verify.c for the order of the checks).  With R
 * NULL, FILE is a regular file, read twice; else R is a reader on a pipe
 * or tape whose first member FIRST (the custody record) was just read,
 * and the source takes R over.  Problems are collected, not printed (see
 * cs_evidence_source_result in evidence_verify.h); if any, the source is
 * not opened, or its last call fails, with CS_EXIT_INTEGRITY (or the code
 * of the worst problem).
 */
struct cs_source *cs_evidence_source(const struct cs_evidence_opts *,
		    struct cs_evr *, struct cs_evm *,
		    struct cs_evidence_info *, struct cs_err *);

/* A member as the reader hands it out. */
struct cs_evm {
	struct archive_entry *ae;	/* borrowed until the next call */
	const char	*name;
	uint64_t	 index;		/* 0 for the first member */
	unsigned	 digests;	/* computed over the content */
	unsigned char	 digest[CS_D_COUNT][CS_DIGEST_MAXLEN];
	/* or, for a large sparse member (cs_zdigest_wanted), sha256z */
	int		 has_zdigest;
	unsigned char	 zdigest[CS_ZDIGEST_LEN];
	unsigned	 hdigests;	/* claimed by the pax header */
	unsigned char	 hdigest[CS_D_COUNT][CS_DIGEST_MAXLEN];
	int		 is_hardlink;
};

/*
 * Open PATH (a pipe or tape is read blocking); member content is hashed
 * with DIGESTS.
 */
struct cs_evr	*cs_evr_open(const char *, unsigned, struct cs_err *);
/*
 * Open the regular file PATH to read headers only: member content is
 * seeked over, the stream is not hashed (cs_evr_finish is not for it).
 */
struct cs_evr	*cs_evr_open_headers(const char *, struct cs_err *);
/* Limit the logical sizes of the members read from now on (0: none). */
void		 cs_evr_set_limits(struct cs_evr *, uint64_t, uint64_t);
/* libarchive's format code (ARCHIVE_FORMAT_TAR_*) of the last header. */
int		 cs_evr_format(const struct cs_evr *);
/* Change the digests computed for the following members. */
void		 cs_evr_set_digests(struct cs_evr *, unsigned);
/*
 * Next member's header: 1 with *M filled, 0 at the end of the archive,
 * -1 if the archive is damaged or truncated (ERR names the last good
 * member).
 */
int		 cs_evr_next(struct cs_evr *, struct cs_evm *, struct cs_err *);
/*
 * Read and hash the content of M (nothing for a hard link).  When KEEP
 * is not NULL, the content is also appended to it (more than KEEPMAX
 * bytes is an error); when KEEPFD >= 0, written to it.
 */
int		 cs_evr_read(struct cs_evr *, struct cs_evm *, struct cs_buf *,
		    size_t, int, struct cs_err *);
/* Skip the content of M (it still goes through the stream digest). */
int		 cs_evr_skip(struct cs_evr *, const struct cs_evm *,
		    struct cs_err *);
/*
 * Read the rest of the file and give the stream's SHA-256 (in
 * D[CS_D_SHA256]) and size.
 */
int		 cs_evr_finish(struct cs_evr *,
		    unsigned char [][CS_DIGEST_MAXLEN], uint64_t *,
		    struct cs_err *);
/* The bytes of the archive read so far. */
uint64_t	 cs_evr_bytes(const struct cs_evr *);
void		 cs_evr_close(struct cs_evr *);
/* Fill E (cleared first) from member M: path, type and metadata. */
int		 cs_evidence_entry(const struct cs_evm *, struct cs_entry *);
/* Fill E from member M except its path: type, metadata, digests. */
void		 cs_evidence_attrs(const struct cs_evm *, struct cs_entry *);

#endif /* CUSTOS_EVIDENCE_H */
