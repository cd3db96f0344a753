/*
 * report_merge.h: the JSON Lines reports of the shards of one check,
 * merged into the report of the whole check.
 *
 * Each part holds its findings in report order (report_read.h); the
 * merge takes them linearly in that order, refuses a path found by two
 * parts (overlapping shards) and parts of different hosts or roots, and
 * sums the parts' counts.  The report writers (report.h) then recompute
 * what depends on all findings: counts by severity, timeline and plan.
 */
#ifndef CUSTOS_REPORT_MERGE_H
#define CUSTOS_REPORT_MERGE_H

#include <stddef.h>

#include "custos/diff.h"
#include "custos/report.h"

struct cs_buf;
struct cs_err;
struct cs_report_file;

struct cs_report_merged {
	struct cs_finding **fs;		/* borrowed from the parts */
	size_t		 n;
	struct cs_diff_stats stats;
	struct cs_report_info info;	/* strings borrowed from the parts */
	const char	**warnings;
	size_t		 nwarnings;
	char		*unmatched;	/* the policy lines no part matched */
};

/*
 * Merge the N parts P into M.  Returns 0, or -1 with CS_EXIT_DATAERR
 * naming the part at fault.  M borrows from P: release M first.
 */
int		 cs_report_merge(struct cs_report_merged *,
		    struct cs_report_file *, size_t, struct cs_err *);
void		 cs_report_merged_release(struct cs_report_merged *);
/*
 * Write the N bytes at DATA to OUTPUT ("-" or NULL: standard output),
 * atomically, replacing an existing file only with FORCE.
 */
int		 cs_report_emit(const char *, int, const void *, size_t,
		    struct cs_err *);

#endif /* CUSTOS_REPORT_MERGE_H */
