/*
 * report_read_int.h: what the report reader (report_read.c: lines,
 * records, the summary) and its finding reader (report_read_finding.c:
 * findings and the objects they describe) share; not part of the
 * library's interface.
 *
 * Each helper checks one member of a record and, when it is not what
 * report_json.c writes, refuses the file at the current line
 * (cs_rr_fail) and returns -1 (or NULL).
 */
#ifndef CUSTOS_REPORT_READ_INT_H
#define CUSTOS_REPORT_READ_INT_H

#include <stddef.h>
#include <stdint.h>

#include "custos/buf.h"
#include "custos/json.h"

struct cs_err;
struct cs_report_file;
struct cs_time;

/* Where the records are: what may come next. */
enum cs_rr_stage {
	CS_RR_SUMMARY = 0,
	CS_RR_FINDINGS,
	CS_RR_TIMELINE,
	CS_RR_PLAN,
	CS_RR_DONE
};

struct cs_rr {
	struct cs_report_file	*r;
	char			*shown;		/* file name, encoded */
	size_t			 line;
	enum cs_rr_stage		 stage;
	struct cs_err		*err;
	int			 fd;
	struct cs_buf		 in;		/* bytes read, not yet used */
	size_t			 pos;
	int			 eof;
};

/* Refuse the file at the current line; returns -1. */
int		 cs_rr_fail(struct cs_rr *, const char *, ...) CS_PRINTF(2, 3);
/* A heap copy of S kept in the file's pool (borrowed by findings). */
const char	*cs_rr_pool(struct cs_report_file *, const char *);
/* Every member of O is one of KEYS (NULL-terminated). */
int		 cs_rr_known(struct cs_rr *, const struct cs_json *,
		    const char *const *);
/* The member KEY of O, of type T: required unless OPT (then NULL). */
const struct cs_json *cs_rr_get(struct cs_rr *, const struct cs_json *,
		    const char *, enum cs_json_type, int);
/*
 * The string member KEY of O into *OUT (heap): decoded when DECODE, NULL
 * when null or absent and NULLOK.
 */
int		 cs_rr_string(struct cs_rr *, const struct cs_json *,
		    const char *, int, int, char **);
/* The unsigned member KEY of O, at most MAX. */
int		 cs_rr_u64(struct cs_rr *, const struct cs_json *, const char *,
		    uint64_t, uint64_t *);
/* The boolean member KEY of O. */
int		 cs_rr_bool(struct cs_rr *, const struct cs_json *,
		    const char *, int *);
/* The time member KEY of O, with nanoseconds. */
int		 cs_rr_time(struct cs_rr *, const struct cs_json *,
		    const char *, struct cs_time *);
/* A finding record, added after the last one, in report order. */
int		 cs_rr_add_finding(struct cs_rr *, const struct cs_json *);

#endif /* CUSTOS_REPORT_READ_INT_H */
