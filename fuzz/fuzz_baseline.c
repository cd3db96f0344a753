/*
 * fuzz_baseline.c: the baseline reader (baseline_read.c) on hostile
 * files: open, read every record, check the digest and the signature
 * line against a fingerprint.  The "#end" line's digest is fixed up (see
 * fuzz_fix_end) so that the records and the signature line are reached.
 */
#include "custos/custos.h"

#include <stdlib.h>

#include "custos/baseline.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char		*path;
	struct cs_blr		*r;
	struct cs_entry		*e;
	const struct cs_bl_trailer *tr;
	struct cs_err		 err;
	char			*text;

	if (path == NULL)
		path = fuzz_path(".cbl");
	text = fuzz_fix_end(data, size);
	fuzz_write(path, text, size);
	free(text);
	cs_err_init(&err);
	if ((r = cs_blr_open(path, &err)) == NULL)
		goto out;
	(void)cs_blr_header(r);
	(void)cs_blr_check_digest(r, &err);
	cs_err_release(&err);
	cs_err_init(&err);
	while (cs_blr_next(r, &e, &err) == 1)
		cs_entry_free(e);
	(void)cs_blr_lineno(r);
	cs_err_release(&err);
	cs_err_init(&err);
	if ((tr = cs_blr_trailer(r)) != NULL && tr->is_signed)
		(void)cs_bl_verify_signature(tr, NULL, FUZZ_FPR, path, &err);
	cs_blr_close(r);
out:
	cs_err_release(&err);
	return 0;
}
