/*
 * report_read.h: a JSON Lines report of `custos check` read back
 * (doc/custos-report.5), for merging the reports of the shards of one
 * check and for summing the reports of a fleet.
 *
 * The file is hostile input: every line is parsed strictly (json.h), at
 * most CS_RR_MAXLINE bytes long; the records must come in the order
 * custos writes them (one summary, the findings, the timeline, the plan,
 * one end record whose counts agree) and the findings in report order
 * (most severe first, then canonical path order).  Every fault is
 * refused with the file and line.  The findings are rebuilt as the
 * structures triage and the report writers use (diff.h): an added or
 * removed object whole, a changed one as its changes, with its type and
 * times.
 */
#ifndef CUSTOS_REPORT_READ_H
#define CUSTOS_REPORT_READ_H

#include <stddef.h>
#include <stdint.h>

#include "custos/diff.h"
#include "custos/policy.h"

struct cs_err;

#define CS_RR_MAXLINE	(16 * 1024 * 1024)

/* The summary record of a report; strings raw (decoded), or NULL. */
struct cs_rr_summary {
	char		*command;
	char		*baseline;
	char		*created;
	char		*host;
	char		*root;
	char		*digests;
	int		 is_signed;
	int		 verified;
	char		*signer;
	char		*fingerprint;
	char		*source;	/* encoded label, as written */
	char		*policy;
	char		*shard;		/* "I/N" of check --shard, or NULL */
	char		*plan_sha256;	/* its plan's digest */
	char		*shard_from;	/* its range (NULL: open) */
	char		*shard_to;
	double		 seconds;
	struct cs_diff_stats stats;
	uint64_t	 sev[CS_SEV_COUNT];
	char		**warnings;
	size_t		 nwarnings;
	int		 exit;
};

struct cs_report_file {
	char		*name;		/* file name (raw) */
	struct cs_rr_summary sum;
	struct cs_finding **fs;		/* in the file's order */
	size_t		 n;
	size_t		*lines;		/* line of each finding */
	char		**pool;		/* reasons, techniques, messages */
	size_t		 npool;
};

/*
 * Read the report FILE ("-": standard input) into R (which the caller
 * releases, also on failure).  Returns 0, or -1 with CS_EXIT_DATAERR
 * (malformed, naming FILE:LINE) or CS_EXIT_NOINPUT/CS_EXIT_IOERR.
 */
int		 cs_report_read(struct cs_report_file *, const char *,
		    struct cs_err *);
void		 cs_report_file_release(struct cs_report_file *);
/*
 * Read the N reports NAMES into a new array *RP (the caller frees it
 * with cs_report_files_free, also on failure, with the count *NP of
 * those read or begun).  Stops at the first that fails (0 or -1, as
 * cs_report_read).
 */
int		 cs_report_read_all(struct cs_report_file **, size_t *,
		    char *const *, size_t, struct cs_err *);
void		 cs_report_files_free(struct cs_report_file *, size_t);
/* Report order of two findings: most severe first, then by path. */
int		 cs_report_order(const struct cs_finding *,
		    const struct cs_finding *);

#endif /* CUSTOS_REPORT_READ_H */
