/*
 * report_int.h: what the report writers share (report.c, report_json.c);
 * not for use outside them.
 *
 * Each format is a set of steps (begin, finding, burst_begin and
 * burst_item, plan, end) that cs_report_stream drives, with one finding
 * at a time; a step a format does not have is NULL.
 */
#ifndef CUSTOS_REPORT_INT_H
#define CUSTOS_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "custos/entry.h"
#include "custos/policy.h"
#include "custos/triage.h"

struct cs_buf;
struct cs_finding;
struct cs_report_fs;
struct cs_report_info;
struct cs_report_out;

/* A timeline item: a changed or added object at a time. */
struct cs_report_tl {
	struct cs_time		 t;
	uint64_t		 seq;	/* the finding's discovery order */
	size_t			 i;	/* its index in report order */
	int			 by_ctime;
	unsigned		 burst;	/* its burst, from 1 */
	uint64_t		 at;	/* where its item was kept, and length */
};

struct cs_report_ctx {
	struct cs_buf			*out;
	const struct cs_report_out	*to;	/* NULL: keep all in OUT */
	struct cs_report_behind	*behind;	/* TO's writer thread */
	int				 errnum;	/* TO failed */
	const struct cs_report_info	*info;
	const struct cs_report_fs	*fs;
	size_t				 n;
	uint64_t			 sev[CS_SEV_COUNT];	/* all */
	int				 min;	/* severity shown from */
	size_t				 hidden;	/* findings below it */
	enum cs_plan			 last;	/* plan group being written */
};

struct cs_report_ops {
	void	(*begin)(struct cs_report_ctx *);
	void	(*finding)(struct cs_report_ctx *, const struct cs_finding *);
	/* burst NO: N items from FIRST to LAST */
	void	(*burst_begin)(struct cs_report_ctx *, unsigned,
		    const struct cs_time *, const struct cs_time *, size_t);
	void	(*burst_item)(struct cs_report_ctx *, unsigned,
		    const struct cs_report_tl *, const struct cs_finding *);
	void	(*plan)(struct cs_report_ctx *, enum cs_plan,
		    const struct cs_finding *, const char *);
	void	(*end)(struct cs_report_ctx *);
};

/* The writers: JSON Lines (report_json.c), text and line (report.c). */
extern const struct cs_report_ops cs_report_json_ops;
extern const struct cs_report_ops cs_report_text_ops;
extern const struct cs_report_ops cs_report_line_ops;

/* Why a not-compared finding was not compared (raw bytes, heap). */
char		*cs_report_why_not(const struct cs_finding *);
/* Heap string: T in RFC 3339 UTC, with nanoseconds when NSEC. */
char		*cs_report_time(const struct cs_time *, int);
/* The object a finding describes whole (added or removed), or NULL. */
const struct cs_entry *cs_report_whole(const struct cs_finding *);

#endif /* CUSTOS_REPORT_INT_H */
