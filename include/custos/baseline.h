/*
 * baseline.h: the baseline file format (doc/custos-baseline.5).
 *
 *   #custos-baseline 2                      magic and version (1: read)
 *   #key=value                              header (created, host, ...)
 *   /path type=file mode=0644 ...           records, canonical order
 *   #end records=N errors=N sha256=HEX      trailer: digest of all above
 *   #signature ed25519 key=ID pub=B64 sig=B64   optional signature
 *
 * The signature is over the exact bytes of the "#end" line, which commits
 * to every byte before it through its SHA-256, so a baseline of any size
 * is signed and verified in one streaming pass and constant memory.
 * Records are written and read with one encoder (path.h); the reader
 * rejects anything that is not the canonical form, with a line number.
 */
#ifndef CUSTOS_BASELINE_H
#define CUSTOS_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "custos/sign.h"

struct cs_buf;
struct cs_entry;
struct cs_err;
struct cs_key;

#define CS_BL_MAGIC		"#custos-baseline 2"	/* written */
#define CS_BL_MAGIC_V1		"#custos-baseline 1"	/* still read */

struct cs_bl_hdrline {
	char	*key;
	char	*value;		/* decoded bytes, NUL-terminated */
	size_t	 len;
};

/* Header: an ordered list of key=value lines. */
struct cs_bl_header {
	struct cs_bl_hdrline	*lines;
	size_t			 n;
};

struct cs_bl_trailer {
	uint64_t	 records;
	uint64_t	 errors;
	unsigned char	 sha256[32];
	int		 is_signed;
	char		 keyid[CS_KEYID_HEXLEN + 1];
	unsigned char	 pub[128];	/* DER SubjectPublicKeyInfo */
	size_t		 publen;
	unsigned char	 sig[CS_SIG_LEN];
	char		*endline;	/* the signed "#end" line, with '\n' */
	size_t		 endlen;
	uint64_t	 endoff;	/* its offset in the file */
};

/* Nonzero if the N bytes at L are a first line this reader accepts. */
int		 cs_bl_magic_ok(const char *, size_t);
void		 cs_bl_header_init(struct cs_bl_header *);
void		 cs_bl_header_release(struct cs_bl_header *);
/* Append KEY=VALUE (value bytes of length LEN). */
void		 cs_bl_header_add(struct cs_bl_header *, const char *,
		    const char *, size_t);
/* Borrowed value of the first KEY, or NULL. */
const char	*cs_bl_header_get(const struct cs_bl_header *, const char *);
/*
 * Why the header or custody field KEY cannot hold the LEN bytes VALUE
 * (a time that does not exist, a relative root), or NULL if it can.
 * CUSTODY: a custody record's field (its "source" is the snapshot's
 * path; a baseline's says what it was made from).
 */
const char	*cs_bl_header_check(const char *, const char *, size_t, int);

/* Append the record line for E (with '\n') to OUT. */
void		 cs_bl_format(struct cs_buf *, const struct cs_entry *);
/*
 * Parse one record line (without '\n') into E (cleared first).  Returns
 * 0, or -1 with a static reason in *WHY.
 */
int		 cs_bl_parse(const char *, size_t, struct cs_entry *,
		    const char **);

/* Writer: header first, then records in canonical order, then finish. */
struct cs_blw;
struct cs_blw	*cs_blw_new(int, const char *, const struct cs_bl_header *,
		    struct cs_err *);
int		 cs_blw_add(struct cs_blw *, const struct cs_entry *,
		    struct cs_err *);
/* Write the trailer, and the signature when KEY is not NULL. */
int		 cs_blw_finish(struct cs_blw *, const struct cs_key *,
		    struct cs_err *);
void		 cs_blw_free(struct cs_blw *);

/* Reader. */
struct cs_blr;
struct cs_blr	*cs_blr_open(const char *, struct cs_err *);
/* As cs_blr_open, naming the file NAME in messages. */
struct cs_blr	*cs_blr_open_as(const char *, const char *, struct cs_err *);
const struct cs_bl_header *cs_blr_header(const struct cs_blr *);
/* The trailer as found at the end of the file (NULL if there is none). */
const struct cs_bl_trailer *cs_blr_trailer(const struct cs_blr *);
/*
 * Next record: 1 with *EP (caller frees), 0 at the end once the trailer
 * checked out (count and digest), -1 on malformed or tampered input.
 * Integrity failures have code CS_EXIT_INTEGRITY, format errors
 * CS_EXIT_DATAERR.
 */
int		 cs_blr_next(struct cs_blr *, struct cs_entry **,
		    struct cs_err *);
/* Line number of the last line read (for messages). */
uint64_t	 cs_blr_lineno(const struct cs_blr *);
/*
 * Check the bytes before the trailer against the trailer's SHA-256 in one
 * read, without parsing them (the read position is left alone).  0, or -1
 * with CS_EXIT_INTEGRITY for altered content, CS_EXIT_IOERR on a read
 * error.
 */
int		 cs_blr_check_digest(struct cs_blr *, struct cs_err *);
void		 cs_blr_close(struct cs_blr *);

/*
 * Check the trailer's signature.  With PUB, the signature must be by that
 * key; with FINGERPRINT (64 hex digits), by the key embedded in the
 * signature line whose fingerprint it is; at least one must be given.
 * Returns 0, or -1 (CS_EXIT_INTEGRITY) with the reason.
 */
int		 cs_bl_verify_signature(const struct cs_bl_trailer *,
		    const struct cs_key *, const char *, const char *,
		    struct cs_err *);
/*
 * Parse a "#signature" line (without its newline) into TR's signature
 * fields.  Returns 0, or -1 if it is malformed.
 */
int		 cs_bl_parse_signature(const char *, size_t,
		    struct cs_bl_trailer *);
/* Append a signature line for TRAILER's "#end" line to OUT. */
int		 cs_bl_signature_line(struct cs_buf *, const struct cs_key *,
		    const char *, size_t, struct cs_err *);

#endif /* CUSTOS_BASELINE_H */
