/*
 * fuzz_custody.c: the custody record parser (custody.c) on hostile
 * text, then what is done with a parsed record: its fields for display,
 * its custody sheet and its signature line.  The "#end" line's digest is
 * fixed up (see fuzz_fix_end) so that the signature line is reached.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/custody.h"
#include "custos/err.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_custody	 c;
	struct cs_buf		 b;
	struct cs_err		 err;
	char			*text;
	size_t			 i;

	if (size > CS_CUSTODY_MAX)
		return 0;
	text = fuzz_fix_end(data, size);
	cs_err_init(&err);
	if (cs_custody_parse(&c, text, size, "fuzz", &err) == 0) {
		cs_buf_init(&b);
		for (i = 0; i < c.hdr.n; i++) {
			free(cs_custody_display(c.hdr.lines[i].value,
			    c.hdr.lines[i].len));
			(void)cs_custody_get(&c, c.hdr.lines[i].key);
		}
		(void)cs_custody_sheet(&b, &c, NULL);
		cs_buf_reset(&b);
		(void)cs_custody_sheet(&b, &c, FUZZ_FPR);
		cs_buf_release(&b);
		if (c.tr.is_signed)
			(void)cs_custody_verify(&c, NULL, FUZZ_FPR, "fuzz",
			    &err);
	}
	cs_custody_release(&c);
	cs_err_release(&err);
	free(text);
	return 0;
}
