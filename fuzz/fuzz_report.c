/*
 * fuzz_report.c: the JSON Lines report reader (report_read.c, json.c) on
 * hostile bytes; a report it accepts is merged with itself cut in no
 * parts, grouped as a fleet of one, and written again in every format.
 */
#include "custos/custos.h"

#include <stdint.h>
#include <stdlib.h>

#include "custos/buf.h"
#include "custos/err.h"
#include "custos/fleet.h"
#include "custos/json.h"
#include "custos/report.h"
#include "custos/report_merge.h"
#include "custos/report_read.h"
#include "fuzz.h"

/* Write the merged report R in every format, and group it. */
static void
fuzz_report_use(struct cs_report_file *r)
{
	struct cs_report_merged	 m;
	struct cs_fleet		 fl;
	struct cs_err		 err;
	struct cs_buf		 out;

	cs_err_init(&err);
	cs_buf_init(&out);
	if (cs_report_merge(&m, r, 1, &err) == 0) {
		cs_report_write(&out, CS_FMT_JSON, &m.info, m.fs, m.n);
		cs_report_write(&out, CS_FMT_TEXT, &m.info, m.fs, m.n);
		cs_report_write(&out, CS_FMT_LINE, &m.info, m.fs, m.n);
	}
	cs_report_merged_release(&m);
	if (cs_fleet_group(&fl, r, 1, &err) == 0)
		cs_fleet_release(&fl);
	cs_buf_release(&out);
	cs_err_release(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char		*path;
	struct cs_report_file	 r;
	struct cs_json		*v;
	struct cs_err		 err;
	char			*why;

	/* the whole input, as one JSON text */
	v = cs_json_parse((const char *)data, size, &why);
	cs_json_free(v);
	free(why);

	cs_err_init(&err);
	if (path == NULL)
		path = fuzz_path(".jsonl");
	fuzz_write(path, data, size);
	if (cs_report_read(&r, path, &err) == 0)
		fuzz_report_use(&r);
	cs_report_file_release(&r);
	cs_err_release(&err);
	return 0;
}
