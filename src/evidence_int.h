/*
 * evidence_int.h: what the evidence verifier (evidence_verify.c) and its
 * custody-record checks (evidence_custody.c) share; not part of the
 * library's interface.
 */
#ifndef CUSTOS_EVIDENCE_INT_H
#define CUSTOS_EVIDENCE_INT_H

#include <stdio.h>

#include "custos/custody.h"
#include "custos/digest.h"
#include "custos/evidence.h"
#include "custos/evidence_verify.h"
#include "custos/path.h"

struct cs_bl_trailer;
struct cs_blr;
struct cs_entry;
struct cs_err;
struct cs_join;
struct cs_source;

#define EV_GOOD		CS_EVIDENCE_SIG_GOOD

struct ev {
	struct cs_evidence_opts	 o;
	int			 seek;		/* two passes (a file) */
	char			*shown;
	struct cs_evr		*r;
	struct cs_evidence_result own;		/* when the caller gave none */
	struct cs_evidence_result *res;		/* the problems, the report */
	struct cs_custody	 start;
	int			 have_start;
	struct cs_custody	 side;
	int			 have_side;
	int			 mfd;
	int			 have_manifest;
	FILE			*spool;
	char			*spool_line;
	size_t			 spool_cap;
	struct cs_order		 order;		/* of the members' paths */
	unsigned char		 stream[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct cs_source	*man;		/* the manifest's records */
	struct cs_source	*mem;		/* the members' records */
	struct cs_join		*join;
	int			 pass2_end;
	int			 foreign;	/* first member not custody */
	struct cs_blr		*cur;		/* pass 2: the manifest, */
	struct cs_entry		*cur_e;		/* for the members' sizes */
};

/* Add one problem to the result and remember the exit code. */
void		 cs_ev_problem(struct ev *, int, const char *, ...)
		    CS_PRINTF(3, 4);
/* The same, from E (released and made empty again). */
void		 cs_ev_problem_err(struct ev *, struct cs_err *);
/*
 * The state of signature TR of WHAT: good with the trusted key, BAD,
 * "none" (a problem unless unsigned ones are allowed), or present but
 * not checked without a key.
 */
const char	*cs_ev_signature(struct ev *, const struct cs_bl_trailer *,
		    const char *);
/* The first member M: the custody record at the start, or foreign. */
void		 cs_ev_custody_member(struct ev *, struct cs_evm *);
/* The sidecar custody record: loaded and its signature checked. */
void		 cs_ev_sidecar_load(struct ev *);
/* It must belong to this archive: the first member's fields. */
void		 cs_ev_sidecar_same(struct ev *);
/* It must hold the stream's size and digest, and a status. */
void		 cs_ev_sidecar_stream(struct ev *);

#endif /* CUSTOS_EVIDENCE_INT_H */
