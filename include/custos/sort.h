/*
 * sort.h: put records in canonical order with bounded memory.
 *
 * Sources that are not naturally sorted (a foreign tar, packages) add
 * their records in any order; the sorter keeps them in memory up to a
 * byte bound, then sorts that run and spills it, in the baseline record
 * encoding (baseline.h), to an unlinked temporary file in $TMPDIR; at
 * the end the runs and what is still in memory are merged.  Memory is
 * the bound plus one record per run.
 */
#ifndef CUSTOS_SORT_H
#define CUSTOS_SORT_H

#include <stddef.h>

struct cs_entry;
struct cs_err;
struct cs_sort;

#define CS_SORT_BOUND	(64U * 1024 * 1024)

/* A sorter holding up to BOUND bytes of records (0: CS_SORT_BOUND). */
struct cs_sort	*cs_sort_new(size_t);
/* Add E (taken over).  -1 if a run cannot be spilled. */
int		 cs_sort_add(struct cs_sort *, struct cs_entry *,
		    struct cs_err *);
/*
 * The records in canonical order (the first call ends the input): 1 with
 * *EP, 0 at the end, -1 on error, such as two records for one path.
 */
int		 cs_sort_next(struct cs_sort *, struct cs_entry **,
		    struct cs_err *);
/*
 * Let one path come more than once (the records of several packages for
 * one path): cs_sort_next hands them out one after the other, in no
 * particular order among themselves, for the caller to merge.
 */
void		 cs_sort_allow_dups(struct cs_sort *);
/* How many runs were spilled to disk. */
size_t		 cs_sort_runs(const struct cs_sort *);
void		 cs_sort_free(struct cs_sort *);

#endif /* CUSTOS_SORT_H */
