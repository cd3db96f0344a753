/*
 * report.h: the check report, as plain text or JSON Lines
 * (doc/custos-report.5).
 *
 * A report is a summary (counts, baseline identity and signer, source,
 * time taken), the findings most severe first, a timeline of changed and
 * added objects grouped into bursts, and a rebuild plan; the text report
 * ends with the summary again.  The line format is one line per finding
 * and nothing else.  The formats are sinks with the same five steps
 * (begin, finding, timeline, plan, end), driven by cs_report_stream.
 *
 * The writer reaches the findings only through an accessor (struct
 * cs_report_fs), one finding at a time, and hands its output on in
 * pieces (struct cs_report_out): neither the findings nor the report
 * need be in memory whole.
 * Paths and names reach the output in the canonical encoding (path.h);
 * values in text and line output are escaped only where a byte is unsafe
 * on a terminal or ambiguous there (doc/custos-report.5).
 */
#ifndef CUSTOS_REPORT_H
#define CUSTOS_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "custos/entry.h"

struct cs_buf;
struct cs_diff_stats;
struct cs_entry;
struct cs_err;
struct cs_finding;

enum cs_format {
	CS_FMT_TEXT = 0,
	CS_FMT_JSON,
	CS_FMT_LINE		/* one line per finding */
};

struct cs_report_info {
	const char	*command;	/* "check" or "diff" */
	const char	*baseline;	/* file name (raw) */
	const char	*created;	/* header values (raw), may be NULL */
	const char	*host;
	const char	*root;
	const char	*digests;	/* digests compared */
	int		 is_signed;
	int		 verified;	/* signature checked with a trusted key */
	const char	*signer;	/* key id, or NULL */
	const char	*fingerprint;	/* 64 hex digits, or NULL */
	const char	*source;	/* label (already encoded) */
	const char	*policy;	/* name (raw) */
	double		 seconds;
	const struct cs_diff_stats *stats;
	const char *const *warnings;	/* printable ASCII */
	size_t		 nwarnings;
	int		 exit;		/* exit status the command returns */
	int64_t		 burst_gap;	/* seconds */
	int		 colour;
	int		 min_severity;	/* text and line: hide findings below */
	/* check --shard: "I/N", the plan's digest, the range (raw) */
	const char	*shard;		/* NULL if not a shard */
	const char	*plan_sha256;
	const char	*shard_from;	/* NULL: unbounded */
	const char	*shard_to;
	int		 vendor3;	/* with vendor records: count changes */
	uint64_t	 explained;	/* explained by a package version */
};

/*
 * What the report's first pass needs of a finding: its severity, its
 * timeline key (with HAS_TIME: the new object's ctime, or its mtime
 * without BY_CTIME) and its discovery order.
 */
struct cs_report_brief {
	int		 severity;
	int		 has_time;	/* added or changed, with a new entry */
	int		 by_ctime;
	struct cs_time	 t;
	uint64_t	 seq;
};

/*
 * The findings of a report, N of them, in report order (most severe
 * first, then discovery order).  GET returns the I-th; the writer hands
 * it back to PUT before it gets another.  An array has PUT a no-op; a
 * store may load a finding in GET and free it in PUT.  BRIEF, if not
 * NULL, fills the brief of the I-th without loading it (a store that
 * keeps the fields apart); else the first pass uses GET.
 */
struct cs_report_fs {
	size_t		 n;
	struct cs_finding *(*get)(void *, size_t);
	void		(*put)(void *, struct cs_finding *);
	void		(*brief)(void *, size_t, struct cs_report_brief *);
	void		*arg;
};
/* The brief of finding F. */
void	 cs_report_brief(const struct cs_finding *, struct cs_report_brief *);

/*
 * Where a report goes as it is written: WRITE gets the report in pieces,
 * in order, each once more than FLUSH bytes (0: 1 MiB) are held, and the
 * rest at the end; it returns 0, or -1 with errno set (nothing more is
 * written then).
 */
struct cs_report_out {
	int		(*write)(void *, const void *, size_t);
	void		*arg;
	size_t		 flush;
};

/* Sort findings: most severe first, then in canonical (discovery) order. */
void	 cs_report_sort(struct cs_finding **, size_t);
/* FS: the N findings of the array A (which must outlive FS). */
void	 cs_report_fs_array(struct cs_report_fs *, struct cs_finding **,
	    size_t);
/*
 * Write the whole report of the findings FS to OUT.  Returns 0, or -1
 * with errno set when OUT's WRITE failed.
 */
int	 cs_report_stream(const struct cs_report_out *, enum cs_format,
	    const struct cs_report_info *, const struct cs_report_fs *);
/* Append the whole report of the N findings FS to OUT. */
void	 cs_report_write(struct cs_buf *, enum cs_format,
	    const struct cs_report_info *, struct cs_finding **, size_t);
/* Append S as a JSON string (quoted, escaped) to OUT. */
void	 cs_json_str(struct cs_buf *, const char *);
/* Append N raw bytes, in the canonical encoding (path.h), as a JSON string. */
void	 cs_json_bytes(struct cs_buf *, const void *, size_t);
/*
 * Append every attribute of E as JSON members, "\"type\":...", without
 * the braces (doc/custos-report.5, "entry").
 */
void	 cs_json_entry(struct cs_buf *, const struct cs_entry *);
/*
 * Append the line-format line of one finding (without its newline):
 * "SEVERITY KIND PATH ATTR=OLD->NEW ... -- REASONS".
 */
void	 cs_report_line(struct cs_buf *, const struct cs_finding *);
/*
 * Send one line per finding of medium severity or higher, then a summary,
 * to the syslog socket SOCKET (RFC 3164, facility authpriv, tag custos).
 * Returns 0, or -1 when a message could not be sent (nothing more is
 * sent); the report itself is never affected.
 */
int	 cs_report_syslog(const char *, const struct cs_report_info *,
	    const struct cs_report_fs *, struct cs_err *);

#endif /* CUSTOS_REPORT_H */
