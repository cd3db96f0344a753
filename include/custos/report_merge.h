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

#include "custos/atomic.h"
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
 * A report on its way to its output: a temporary file made final only
 * when the report is whole (atomic.h), or standard output.  OUT is where
 * to stream it (cs_report_stream).
 */
struct cs_report_dest {
	struct cs_atomic	 at;
	int			 to_stdout;
	struct cs_report_out	 out;
};

/*
 * Open OUTPUT ("-" or NULL: standard output) for a report; an existing
 * file will be replaced only with FORCE.  Then cs_report_commit, or
 * cs_report_abort, which leaves nothing behind.
 */
int		 cs_report_open(struct cs_report_dest *, const char *, int,
		    struct cs_err *);
int		 cs_report_commit(struct cs_report_dest *, struct cs_err *);
void		 cs_report_abort(struct cs_report_dest *);
/*
 * The report of FS in FMT to OUTPUT, streamed: opened, written and
 * committed, or nothing is left behind (CS_EXIT_IOERR when a write
 * failed).  Returns 0 or -1.
 */
int		 cs_report_output(const char *, int, enum cs_format,
		    const struct cs_report_info *, const struct cs_report_fs *,
		    struct cs_err *);
/*
 * Write the N bytes at DATA to OUTPUT ("-" or NULL: standard output),
 * atomically, replacing an existing file only with FORCE.
 */
int		 cs_report_emit(const char *, int, const void *, size_t,
		    struct cs_err *);

#endif /* CUSTOS_REPORT_MERGE_H */
