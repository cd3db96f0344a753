/*
 * join.h: the merge-join of two record streams in canonical order.
 *
 * The one join of custos: check and diff (a baseline with a source),
 * update (two baselines), the evidence verifier (a manifest with its
 * members) and the tar source (records with the hard links waiting for
 * their targets) all pair their streams with it.  Each call hands out
 * the records of one path: both when both streams have it, else the one
 * that does.  The join holds one record per side; memory does not grow
 * with the number of records.  The order itself is checked by the
 * sources (cs_source_next).  A side may be a fed source (source.h): the
 * comparison, a sink, feeds the checked stream to the join record by
 * record and takes the pairs each record completes.
 */
#ifndef CUSTOS_JOIN_H
#define CUSTOS_JOIN_H

struct cs_entry;
struct cs_err;
struct cs_join;
struct cs_source;

/* A join of A and B (both borrowed: the caller frees them after). */
struct cs_join	*cs_join_new(struct cs_source *, struct cs_source *);
/*
 * The next pair: 1 with *A and/or *B set (the caller's to free), 0 at
 * the end of both, -1 with ERR if a source failed; CS_SOURCE_AGAIN
 * (source.h) when a fed source must be fed before the next pair is known.
 */
int		 cs_join_next(struct cs_join *, struct cs_entry **,
		    struct cs_entry **, struct cs_err *);
void		 cs_join_free(struct cs_join *);

#endif /* CUSTOS_JOIN_H */
