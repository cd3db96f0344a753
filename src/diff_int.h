/*
 * diff_int.h: what diff.c (the comparison of one pair) gives diff_run.c
 * (the run over two streams).  Private to those two files.
 */
#ifndef CUSTOS_DIFF_INT_H
#define CUSTOS_DIFF_INT_H

struct cs_entry;
struct cs_finding;
struct cs_content;
struct cs_rule;
struct cs_diff_opts;

/* As cs_diff_pair_rule, without the structured comparators (diff.c). */
struct cs_finding *cs_diff_pair_cmp(struct cs_entry *, struct cs_entry *,
		    const struct cs_content *, const struct cs_rule *,
		    const struct cs_diff_opts *, unsigned);
/*
 * Compare OLD and NEW (its content C, or NULL) for one path under RULE
 * (already evaluated); takes over both.  A finding, or NULL when they
 * do not differ.
 */
struct cs_finding *cs_diff_pair_rule(struct cs_entry *, struct cs_entry *,
		    const struct cs_content *, const struct cs_rule *,
		    const struct cs_diff_opts *, unsigned);

#endif /* CUSTOS_DIFF_INT_H */
