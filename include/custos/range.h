/*
 * range.h: a half-open range of the canonical order, [from, to).
 *
 * A shard of a plan (shard.h) is such a range: it owns exactly the
 * records whose paths fall in it, whatever their type, so the ranges of
 * one plan share every record of a tree out among themselves once.  An
 * unbounded end is NULL.  The paths are borrowed, raw bytes (NULs
 * allowed), compared with cs_path_cmp (path.h).
 */
#ifndef CUSTOS_RANGE_H
#define CUSTOS_RANGE_H

#include <stddef.h>

struct cs_range {
	const char	*from;		/* NULL: from the first path */
	size_t		 fromlen;
	const char	*to;		/* NULL: to the end */
	size_t		 tolen;
};

/* Where a path lies with respect to a range. */
enum cs_range_where {
	CS_RANGE_BEFORE,	/* before it, and so is all below it */
	CS_RANGE_ABOVE,		/* before it, but an ancestor of its start */
	CS_RANGE_IN,
	CS_RANGE_AFTER		/* after it, and so is all that follows */
};

/*
 * Where the path P (length N) lies in R (NULL: the whole order).  A
 * directory that is CS_RANGE_ABOVE must be entered, though it is not in
 * the range, for the range starts among what lies below it.
 */
enum cs_range_where cs_range_where(const struct cs_range *, const char *,
		    size_t);

#endif /* CUSTOS_RANGE_H */
