/*
 * path.h: the one encoder for names and values, and the canonical order.
 *
 * Encoding: bytes 0x21..0x7e are written as themselves, except '\\' and
 * '='; every other byte (space, controls, DEL, bytes >= 0x80, '\\', '=')
 * becomes "\xHH" with two lowercase hex digits.  The result is printable
 * ASCII without spaces, so it is safe on a terminal, in a report, in JSON
 * and as a space-separated field.  Each byte string has exactly one
 * encoding: the decoder rejects escapes of bytes that must be literal and
 * uppercase hex.  The same encoder is used by every sink: baseline files,
 * text and JSON reports, warnings on stderr.
 *
 * Canonical order: paths are compared component by component, bytewise;
 * equivalently, bytewise with '/' sorting before every other byte.  A
 * sorted depth-first walk yields this order.
 */
#ifndef CUSTOS_PATH_H
#define CUSTOS_PATH_H

#include <stddef.h>

#include "custos/buf.h"

/* Append the encoding of N bytes at P to OUT. */
void	 cs_encode(struct cs_buf *, const void *, size_t);
/* Append the encoding of a C string. */
void	 cs_encode_str(struct cs_buf *, const char *);
/*
 * Decode N bytes of S (an encoded field) and append the result to OUT.
 * Returns 0, or -1 if S is not a canonical encoding; *BAD then holds the
 * offset of the offending byte.
 */
int	 cs_decode(struct cs_buf *, const char *, size_t, size_t *);
/*
 * Decode N bytes of S into a new NUL-terminated heap string (its length
 * in *LENP if not NULL), or NULL if S is not a canonical encoding.
 */
char	*cs_decode_dup(const char *, size_t, size_t *);
/* Value of a lowercase hex digit, or -1. */
extern const unsigned char cs_hexval_table[256];
static inline int
cs_hexval(char c)
{
	return (int)cs_hexval_table[(unsigned char)c] - 1;
}
/* Return a heap string with the encoding of a C string (for messages). */
char	*cs_encode_dup(const char *);

/* Canonical order of two paths (lengths given; NULs allowed): <0, 0, >0. */
int	 cs_path_cmp(const char *, size_t, const char *, size_t);
/*
 * The one order check of a stream of paths (sources, the baseline reader
 * and writer, the evidence verifier): the last path that passed.  Each
 * caller words its own error.
 */
struct cs_order {
	struct cs_buf	 prev;
	int		 any;		/* prev holds a path */
};
void	 cs_order_init(struct cs_order *);
/* Free what O holds; it is then empty, as cs_order_init leaves it. */
void	 cs_order_release(struct cs_order *);
/*
 * 0 if the path P (length N) comes strictly after the last one that
 * passed, which it then becomes; -1 if it is out of canonical order or
 * repeated (the last one stays).
 */
int	 cs_order_check(struct cs_order *, const char *, size_t);
/*
 * Join a canonical directory path and a child name: "/" + "a" is "/a",
 * "/a" + "b" is "/a/b".  Returns a heap string.
 */
char	*cs_path_join(const char *, size_t, const char *, size_t, size_t *);
/* Return nonzero if P (length N) is a canonical path: "/" or "/a/b". */
int	 cs_path_valid(const char *, size_t);
/*
 * Match a canonical path against a glob (fnmatch(3) with FNM_PATHNAME
 * off, so "*" crosses "/"; a pattern without "/" matches the last
 * component).  Returns nonzero on a match.
 */
int	 cs_path_match(const char *, const char *);
/*
 * A set of such globs, taken apart once for paths tried against all of
 * them: made from a NULL-terminated list (which must outlive the set),
 * cs_globset_match answers as cs_path_match would for any of them.
 */
struct cs_globset;
struct cs_globset *cs_globset_new(const char *const *);
int	 cs_globset_match(const struct cs_globset *, const char *);
void	 cs_globset_free(struct cs_globset *);

#endif /* CUSTOS_PATH_H */
