/*
 * evidence_verify.h: what the verifier of an evidence tar found.
 *
 * The verifier (evidence_verify.c) prints nothing: it fills a result
 * that the command prints, "custos verify" as its report and "custos
 * check" as warnings.  Problems are kept in the order they were found,
 * with the exit code each stands for; names in them are encoded.
 */
#ifndef CUSTOS_EVIDENCE_VERIFY_H
#define CUSTOS_EVIDENCE_VERIFY_H

#include <stddef.h>
#include <stdint.h>

struct cs_err;
struct cs_evidence_info;
struct cs_evidence_opts;
struct cs_evm;
struct cs_evr;
struct cs_source;

/* The signature state of a part verified with the trusted key. */
#define CS_EVIDENCE_SIG_GOOD	"good, by the trusted key"

/* The custody record's fields in the report, in this order. */
enum cs_evidence_field {
	CS_EVF_CASE,
	CS_EVF_LABEL,
	CS_EVF_OPERATOR,
	CS_EVF_HOST,
	CS_EVF_STARTED,
	CS_EVF_FINISHED,
	CS_EVF_STATUS,
	CS_EVF_COUNT
};

struct cs_evidence_problem {
	int		 code;		/* CS_EXIT_* */
	char		*msg;
};

struct cs_evidence_result {
	/* Raw values from the custody record (the sidecar's, else the
	   archive's first member), NULL if missing; encode to print. */
	char		*field[CS_EVF_COUNT];
	uint64_t	 members;
	uint64_t	 records;	/* in the manifest */
	unsigned char	 stream_sha256[32];
	uint64_t	 size;		/* bytes of the archive */
	char		*custody;	/* the sidecar custody record's path,
					   the authority; NULL: none */
	const char	*custody_sig;	/* static text, the sidecar's; NULL:
					   not checked */
	const char	*manifest_sig;
	struct cs_evidence_problem *problems;
	size_t		 nproblems;
	int		 code;		/* the problems' exit code, 0: none */
	int		 done;		/* read to the end: the fields and
					   counts above are the report */
	/* The manifest's header values "root" and "digests" (raw, NULL
	   if missing), once its signature was checked. */
	char		*root;
	char		*digest_list;
};

/* The custody record's key of field F ("case", ...). */
const char	*cs_evidence_field_name(enum cs_evidence_field);
void		 cs_evidence_result_init(struct cs_evidence_result *);
void		 cs_evidence_result_release(struct cs_evidence_result *);
/* Add a problem (MSG: a heap string, taken over) with its exit code. */
void		 cs_evidence_result_add(struct cs_evidence_result *, int,
		    char *);
/* Replace *DST with a copy of V (NULL: none). */
void		 cs_evidence_result_keep(char **, const char *);
/*
 * Verify everything (see custos-verify(1)) into RES, which the caller
 * initialised and releases.  Returns 0 only if all holds,
 * CS_EXIT_INCOMPLETE for a valid but incomplete snapshot, else -1 with
 * ERR set to the summary; RES is filled whenever the archive could be
 * read, problems or not.
 */
int		 cs_evidence_verify_result(const struct cs_evidence_opts *,
		    struct cs_evidence_result *, struct cs_err *);
/*
 * cs_evidence_source (evidence.h) with its problems into RES (NULL:
 * dropped), which must outlive the source: the problems of the second
 * pass of a file come as the records are read.
 */
struct cs_source *cs_evidence_source_result(const struct cs_evidence_opts *,
		    struct cs_evr *, struct cs_evm *,
		    struct cs_evidence_info *, struct cs_evidence_result *,
		    struct cs_err *);

#endif /* CUSTOS_EVIDENCE_VERIFY_H */
