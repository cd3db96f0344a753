/*
 * join.c: the merge-join of two canonical record streams (join.h).
 *
 * Each side keeps its head record until the other side has caught up;
 * the smaller path goes out alone, equal paths go out together.  A side
 * at its end stays there.
 */
#include "custos/custos.h"

#include <stdlib.h>

#include "custos/entry.h"
#include "custos/err.h"
#include "custos/join.h"
#include "custos/source.h"
#include "custos/xmalloc.h"

struct cs_join {
	struct cs_source	*a;
	struct cs_source	*b;
	struct cs_entry		*ha;
	struct cs_entry		*hb;
	int			 enda;
	int			 endb;
};

struct cs_join *
cs_join_new(struct cs_source *a, struct cs_source *b)
{
	struct cs_join	*j;

	j = cs_xcalloc(1, sizeof *j);
	j->a = a;
	j->b = b;
	return j;
}

void
cs_join_free(struct cs_join *j)
{
	if (j == NULL)
		return;
	cs_entry_free(j->ha);
	cs_entry_free(j->hb);
	free(j);
}

/*
 * Fill one side's head record unless it is at its end: 0, -1, or
 * CS_SOURCE_AGAIN from a fed source with no record yet.
 */
static int
join_fill(struct cs_source *s, struct cs_entry **h, int *end,
    struct cs_err *err)
{
	int	 n;

	if (*h != NULL || *end)
		return 0;
	if ((n = cs_source_next(s, h, err)) < 0 || n == CS_SOURCE_AGAIN)
		return n;
	if (n == 0)
		*end = 1;
	return 0;
}

int
cs_join_next(struct cs_join *j, struct cs_entry **a, struct cs_entry **b,
    struct cs_err *err)
{
	int	 c;

	*a = *b = NULL;
	if ((c = join_fill(j->a, &j->ha, &j->enda, err)) != 0 ||
	    (c = join_fill(j->b, &j->hb, &j->endb, err)) != 0)
		return c;	/* -1, or CS_SOURCE_AGAIN */
	if (j->ha == NULL && j->hb == NULL)
		return 0;
	if (j->ha == NULL)
		c = 1;
	else if (j->hb == NULL)
		c = -1;
	else
		c = cs_entry_cmp(j->ha, j->hb);
	if (c <= 0) {
		*a = j->ha;
		j->ha = NULL;
	}
	if (c >= 0) {
		*b = j->hb;
		j->hb = NULL;
	}
	return 1;
}
