/*
 * evidence_result.c: what verifying an evidence tar found
 * (evidence_verify.h): the custody fields, counts, signature states and
 * the problems in the order they were found, each with its exit code.
 * The verifier fills it; the commands print it.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/evidence_verify.h"
#include "custos/xmalloc.h"

/* Ordered as enum cs_evidence_field. */
static const char *const ev_field_names[CS_EVF_COUNT] = {
	"case", "label", "operator", "host", "started", "finished", "status"
};

const char *
cs_evidence_field_name(enum cs_evidence_field f)
{
	return (unsigned)f < CS_EVF_COUNT ? ev_field_names[f] : "unknown";
}

void
cs_evidence_result_init(struct cs_evidence_result *res)
{
	memset(res, 0, sizeof *res);
}

void
cs_evidence_result_release(struct cs_evidence_result *res)
{
	size_t	 i;

	for (i = 0; i < CS_EVF_COUNT; i++)
		free(res->field[i]);
	free(res->custody);
	for (i = 0; i < res->nproblems; i++)
		free(res->problems[i].msg);
	free(res->problems);
	free(res->root);
	free(res->digest_list);
	cs_evidence_result_init(res);
}

void
cs_evidence_result_add(struct cs_evidence_result *res, int code, char *msg)
{
	struct cs_evidence_problem	*p;

	res->problems = cs_xreallocarray(res->problems, res->nproblems + 1,
	    sizeof *res->problems);
	p = &res->problems[res->nproblems++];
	p->code = code;
	p->msg = msg;
	if (res->code == 0 || code == CS_EXIT_INTEGRITY)
		res->code = code;
}

void
cs_evidence_result_keep(char **dst, const char *v)
{
	free(*dst);
	*dst = v != NULL ? cs_xstrdup(v) : NULL;
}
