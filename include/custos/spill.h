/*
 * spill.h: findings a check against a baseline of packages finishes as
 * they come and keeps on disk, so that its memory does not grow with
 * the files no package ships (check_spill.c).
 */
#ifndef CUSTOS_SPILL_H
#define CUSTOS_SPILL_H

#include <stddef.h>

#include "custos/report.h"

struct cs_diff_stats;
struct cs_err;
struct cs_finding;
struct cs_fstore;
struct cs_policy;
struct cs_report_fs;
struct cs_report_info;
struct cs_spill;
struct spill_view;
struct cs_vmap;

/*
 * Findings triaged under POL with the root's mapping MAP (vendor.h),
 * counting into DS; LINKS: link counts are compared (new hard links to
 * sensitive files are then looked for among all findings, and files
 * with links stay in memory).  NULL if the store cannot be made.
 */
struct cs_spill	*cs_spill_new(const struct cs_policy *, struct cs_vmap *,
		    struct cs_diff_stats *, int, struct cs_err *);
void		 cs_spill_free(struct cs_spill *);
/*
 * Finish F and keep it on disk if no later pass reads it with other
 * findings: 1 (F taken, in the store at the next index), or 0 (F left
 * to the caller, untouched).  A failure of the store is kept for
 * cs_spill_check.
 */
int		 cs_spill_take(struct cs_spill *, struct cs_finding *);
/*
 * After the walk: -1 with ERR set if the store failed; else 0, and if
 * the store's file is on the filesystem of ROOT (the tree examined, or
 * NULL), a warning for the report to NOTE(ARG, heap string).  SP may be
 * NULL.
 */
int		 cs_spill_check(const struct cs_spill *, const char *,
		    void (*)(void *, char *), void *, struct cs_err *);
/* The store: the findings taken, in the order they were taken. */
struct cs_fstore *cs_spill_store(const struct cs_spill *);
/* How many of them are libraries or loader configuration. */
size_t		 cs_spill_libs(const struct cs_spill *);

/*
 * The report's findings (report.h): the N in memory FS (borrowed) and
 * the store's, in report order, in *OUT until cs_spill_view_done, which
 * says whether every one could be read back (else -1, CS_EXIT_IOERR: the
 * report written meanwhile must not be kept).
 */
struct spill_view *cs_spill_view(struct cs_spill *, struct cs_finding **,
		    size_t, struct cs_report_fs *);
int		 cs_spill_view_done(struct spill_view *, struct cs_err *);
/*
 * The report of the N findings FS in memory (sorted: cs_report_sort)
 * and of SP's store, in FMT, to OUTPUT, as cs_report_output writes it:
 * whole, or nothing is left behind.  Returns 0 or -1.
 */
int		 cs_spill_output(struct cs_spill *, struct cs_finding **,
		    size_t, const char *, int, enum cs_format,
		    const struct cs_report_info *, struct cs_err *);

#endif /* CUSTOS_SPILL_H */
