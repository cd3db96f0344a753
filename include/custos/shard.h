/*
 * shard.h: a tree cut into N shards, ranges of the canonical order.
 *
 * A plan holds the root it was made of, N and the N-1 cuts between its
 * ranges: shard I (1-based) is [cut I-1, cut I), the first unbounded
 * below, the last above, so the ranges are disjoint, contiguous and
 * cover every path.  The cuts are directory names chosen from a first
 * pass over names only, down to a fixed depth, so that each range holds
 * about as many names; sizes, contents and times play no part, so the
 * same tree gives the same plan while its files change.  A tree with
 * fewer directories than shards gives empty ranges.
 *
 * The text form (doc/custos-plan.1) is canonical: one spelling per plan,
 * so the SHA-256 of its bytes, "the plan's digest", names the plan.
 */
#ifndef CUSTOS_SHARD_H
#define CUSTOS_SHARD_H

#include <stddef.h>

struct cs_buf;
struct cs_err;
struct cs_range;

#define CS_SHARD_PLAN_MAGIC		"#custos-plan 1"
#define CS_SHARD_MAX	65536
#define CS_SHARD_DEPTH		4	/* names counted down to this depth */

struct cs_shard_plan {
	char		*root;		/* absolute path */
	unsigned	 n;		/* shards */
	char		**cut;		/* N - 1 raw paths, non-decreasing */
	size_t		*cutlen;
	unsigned char	 sha256[32];	/* of the text form */
};

void	 cs_shard_plan_init(struct cs_shard_plan *);
void	 cs_shard_plan_release(struct cs_shard_plan *);
/*
 * Cut the tree at DIR into N shards (1 to CS_SHARD_MAX), staying
 * on DIR's filesystem.  0, or -1 with ERR set if DIR cannot be listed.
 */
int	 cs_shard_plan_make(struct cs_shard_plan *, const char *, unsigned,
	    struct cs_err *);
/* Append the text form of P to OUT. */
void	 cs_shard_plan_format(const struct cs_shard_plan *, struct cs_buf *);
/* Read the plan file FILE: 0, or -1 (CS_EXIT_DATAERR if malformed). */
int	 cs_shard_plan_load(struct cs_shard_plan *, const char *,
	    struct cs_err *);
/* The range of shard I (1-based); its paths are P's. */
void	 cs_shard_range(const struct cs_shard_plan *, unsigned,
	    struct cs_range *);
/* Parse a number of shards N (1 to CS_SHARD_MAX): 0, or -1. */
int	 cs_shard_count_parse(const char *, size_t, unsigned *);
/*
 * Parse "I/N" (1 <= I <= N <= CS_SHARD_MAX, decimal, no leading
 * zeros): 0, or -1 if S is not one.
 */
int	 cs_shard_parse(const char *, size_t, unsigned *, unsigned *);
/*
 * The plan of shard SPEC ("I/N") for a run over DIR: the plan file FILE
 * if not NULL (its N must be SPEC's), else made of DIR as "custos plan"
 * makes it.  *I is the shard.  0, or -1 (CS_EXIT_USAGE for a bad SPEC).
 */
int	 cs_shard_plan_for(struct cs_shard_plan *, const char *, const char *,
	    const char *, unsigned *, struct cs_err *);

#endif /* CUSTOS_SHARD_H */
