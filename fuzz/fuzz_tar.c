/*
 * fuzz_tar.c: the tar readers on hostile archives: the tar source
 * (source_tar.c: a foreign tar, or an evidence tar handed to
 * evidence_verify.c), every record read, and for an evidence tar the
 * verifier of "custos verify" on the same file.
 *
 * The input is the archive, optionally followed by FUZZ_SIDECAR and the
 * sidecar custody record, written as ARCHIVE.custody; without it the
 * sidecar is missing.
 *
 * Large sparse members cost their data (a sha256z), but one below the
 * 4 GiB threshold is hashed whole, holes included, and a few of them
 * are seconds of SHA-256 over zeros, which tell nothing about the
 * parsers: the size limits (--max-member-size, --max-total-size) are
 * FUZZ_MAX_MEMBER and FUZZ_MAX_TOTAL here.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/entry.h"
#include "custos/err.h"
#include "custos/evidence.h"
#include "custos/evidence_verify.h"
#include "custos/source.h"
#include "custos/tar.h"
#include "fuzz.h"

#define FUZZ_SIDECAR	"\n--custos-fuzz-sidecar--\n"
#define FUZZ_MAX_MEMBER	(64ULL << 20)
#define FUZZ_MAX_TOTAL	(256ULL << 20)

/* Every record of the tar source of PATH; nonzero if it is foreign. */
static int
fuzz_source(const char *path)
{
	struct cs_tar_opts	 o;
	struct cs_tar_info	 info;
	struct cs_evidence_result res;
	struct cs_source	*s;
	struct cs_entry		*e;
	struct cs_err		 err;

	memset(&o, 0, sizeof o);
	o.ev.file = path;
	o.ev.allow_unsigned = 1;
	o.ev.max_member = FUZZ_MAX_MEMBER;
	o.ev.max_total = FUZZ_MAX_TOTAL;
	o.digests = CS_DIGEST_DEFAULT;
	o.sort_bound = 64;
	o.result = &res;
	cs_evidence_result_init(&res);
	cs_err_init(&err);
	if ((s = cs_source_tar_open(&o, &info, &err)) != NULL) {
		while (cs_source_next(s, &e, &err) == 1)
			cs_entry_free(e);
		cs_source_free(s);
	}
	cs_err_release(&err);
	cs_evidence_result_release(&res);
	return info.foreign;
}

/* "custos verify PATH --allow-unsigned". */
static void
fuzz_verify(const char *path)
{
	struct cs_evidence_opts	 o;
	struct cs_evidence_result res;
	struct cs_err		 err;

	memset(&o, 0, sizeof o);
	o.file = path;
	o.allow_unsigned = 1;
	o.max_member = FUZZ_MAX_MEMBER;
	o.max_total = FUZZ_MAX_TOTAL;
	cs_evidence_result_init(&res);
	cs_err_init(&err);
	(void)cs_evidence_verify_result(&o, &res, &err);
	cs_err_release(&err);
	cs_evidence_result_release(&res);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	*path, *side;
	const uint8_t	*sep;
	size_t		 n = size;

	if (path == NULL) {
		path = fuzz_path(".tar");
		side = fuzz_path(".tar.custody");
	}
	sep = memmem(data, size, FUZZ_SIDECAR, strlen(FUZZ_SIDECAR));
	(void)unlink(side);
	if (sep != NULL) {
		n = (size_t)(sep - data);
		fuzz_write(side, sep + strlen(FUZZ_SIDECAR),
		    size - n - strlen(FUZZ_SIDECAR));
	}
	fuzz_write(path, data, n);
	/* Verifying a foreign tar adds nothing but time. */
	if (!fuzz_source(path))
		fuzz_verify(path);
	return 0;
}
