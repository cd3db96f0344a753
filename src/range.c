/*
 * range.c: where a path lies with respect to a range of the canonical
 * order (range.h).
 *
 * In a depth-first walk sorted in canonical order, what lies below a
 * directory D comes right after D and before D's next sibling.  So a
 * path before the start is wholly before the range (with all it holds)
 * unless the start lies below it, and once a path is at or after the
 * end, everything the walk yields next is too.
 */
#include "custos/custos.h"

#include <string.h>

#include "custos/path.h"
#include "custos/range.h"

/* Does Q (length QN) lie below the directory P (length PN)? */
static int
range_below(const char *p, size_t pn, const char *q, size_t qn)
{
	if (pn == 1 && p[0] == '/')
		return qn > 1;
	return qn > pn + 1 && q[pn] == '/' && memcmp(p, q, pn) == 0;
}

enum cs_range_where
cs_range_where(const struct cs_range *r, const char *p, size_t n)
{
	if (r == NULL)
		return CS_RANGE_IN;
	if (r->to != NULL && cs_path_cmp(p, n, r->to, r->tolen) >= 0)
		return CS_RANGE_AFTER;
	if (r->from == NULL || cs_path_cmp(p, n, r->from, r->fromlen) >= 0)
		return CS_RANGE_IN;
	return range_below(p, n, r->from, r->fromlen) ? CS_RANGE_ABOVE :
	    CS_RANGE_BEFORE;
}
