/*
 * custody.h: the custody record of an evidence snapshot
 * (doc/custos-evidence.5).
 *
 *   #custos-custody 1                       magic and version
 *   case=IR-2026-042                        key=value lines, values encoded
 *   ...                                     (path.h), keys [a-z0-9-]+
 *   #end sha256=HEX                         SHA-256 of every byte above
 *   #signature ed25519 key=ID pub=B64 sig=B64   optional, over the #end line
 *
 * The same text is written twice by a snapshot: as the first member of
 * the archive, with the facts known at the start, and as a sidecar file
 * completed with the end time, counts, errors, status and the digest of
 * the whole output stream.  The sidecar is authoritative.  Signatures are
 * made and checked exactly as for baselines (baseline.h), so the stock
 * openssl command line verifies them.
 */
#ifndef CUSTOS_CUSTODY_H
#define CUSTOS_CUSTODY_H

#include <stddef.h>

#include "custos/baseline.h"

struct cs_buf;
struct cs_err;
struct cs_key;

#define CS_CUSTODY_MAGIC	"#custos-custody 1"
#define CS_CUSTODY_MAX		(4 * 1024 * 1024)

struct cs_custody {
	struct cs_bl_header	 hdr;	/* key=value lines, in file order */
	struct cs_bl_trailer	 tr;	/* the #end digest and signature */
};

/*
 * Append the custody record for HDR to OUT, with its #end line, and a
 * signature line when KEY is not NULL.
 */
int		 cs_custody_format(struct cs_buf *, const struct cs_bl_header *,
		    const struct cs_key *, struct cs_err *);
/*
 * Parse N bytes at P (a custody record; NAME for messages) into C, which
 * the caller releases.  Checks the form and the #end digest: altered or
 * truncated text fails with CS_EXIT_INTEGRITY, anything else malformed
 * with CS_EXIT_DATAERR.
 */
int		 cs_custody_parse(struct cs_custody *, const char *, size_t,
		    const char *, struct cs_err *);
/* Read and parse the file PATH. */
int		 cs_custody_load(struct cs_custody *, const char *,
		    struct cs_err *);
void		 cs_custody_release(struct cs_custody *);
/* Borrowed value of KEY (the first one), or NULL. */
const char	*cs_custody_get(const struct cs_custody *, const char *);
/*
 * Check the signature as cs_bl_verify_signature does (PUB or a 64-digit
 * FINGERPRINT).
 */
int		 cs_custody_verify(const struct cs_custody *,
		    const struct cs_key *, const char *, const char *,
		    struct cs_err *);
/*
 * Create the custody record PATH, empty, never replacing anything (no
 * link followed): its descriptor, or -1 with ERR set.  A snapshot
 * reserves its sidecar so before it seals the archive.
 */
int		 cs_custody_reserve(const char *, struct cs_err *);
/*
 * Write HDR, signed by KEY when not NULL, into the reserved record FD
 * (named PATH in messages), then make it read-only and sync it.
 */
int		 cs_custody_write(int, const char *, const struct cs_bl_header *,
		    const struct cs_key *, struct cs_err *);
/*
 * Copy of VALUE for display on paper: the cs_encode form, with the
 * encoded spaces shown as spaces (heap string).
 */
char		*cs_custody_display(const char *, size_t);

/*
 * The printable custody sheet of C: pages of CS_SHEET_LINES lines of at
 * most CS_SHEET_WIDTH columns, separated by form feeds, each headed with
 * "page I of N", the case, the label, the stream digest and a banner of
 * CS_SHEET_BANNER lines in large print: "SIGNATURE VERIFIED" with the
 * fingerprint VERIFIED (64 hex digits) of the key that verified it, in
 * groups of four, or "SIGNATURE NOT VERIFIED" when VERIFIED is NULL; footed
 * with lines for name, signature, date and time; the body is the whole
 * custody record and then a transfer log with CS_SHEET_ROWS empty rows.
 * Returns the number of pages.
 */
#define CS_SHEET_LINES		66
#define CS_SHEET_WIDTH		78
#define CS_SHEET_BANNER		5
#define CS_SHEET_HEAD		(5 + CS_SHEET_BANNER)
#define CS_SHEET_FOOT		6
#define CS_SHEET_ROWS		10
size_t		 cs_custody_sheet(struct cs_buf *, const struct cs_custody *,
		    const char *);

#endif /* CUSTOS_CUSTODY_H */
