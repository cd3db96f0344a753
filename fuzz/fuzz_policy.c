/*
 * fuzz_policy.c: the policy parser (policy.c) on hostile text, and the
 * parsed rules evaluated for a few paths.
 */
#include "custos/custos.h"

#include <stdint.h>
#include <stdlib.h>

#include "custos/err.h"
#include "custos/policy.h"
#include "custos/xmalloc.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "/", "/etc", "/etc/passwd",
	    "/var/log/syslog", "/home/a b/.ssh/authorized_keys", "/tmp/x" };
	struct cs_policy	*p;
	struct cs_rule		 rule;
	struct cs_err		 err;
	uint64_t		*hits;
	size_t			 i;

	cs_err_init(&err);
	p = cs_policy_new("fuzz");
	if (cs_policy_parse(p, (const char *)data, size, &err) == 0) {
		hits = cs_xcalloc(cs_policy_count(p) + 1, sizeof *hits);
		for (i = 0; i < CS_NELEM(paths); i++) {
			cs_policy_eval_hits(p, paths[i], &rule, hits);
			(void)cs_policy_structured(p, paths[i]);
		}
		(void)cs_policy_has_append(p);
		(void)cs_policy_has_structured(p);
		free(cs_policy_unmatched(p, hits));
		free(hits);
	}
	cs_policy_free(p);
	cs_err_release(&err);
	return 0;
}
