/*
 * export_json.c: records as JSON Lines, one object per record.
 *
 * The object is the record's path and the members of the JSON report's
 * "entry" (report_json.c, doc/custos-report.5), written by the same
 * encoder: every string from a record is in the canonical encoding
 * (path.h), so the output is ASCII and valid JSON whatever the names.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/entry.h"
#include "custos/export.h"
#include "custos/report.h"
#include "custos/report_int.h"

void
cs_export_json_line(struct cs_buf *b, const struct cs_entry *e)
{
	char	*t;

	cs_buf_adds(b, "{\"path\":");
	cs_json_bytes(b, e->path, e->pathlen);
	cs_buf_addc(b, ',');
	cs_json_entry(b, e);
	if (e->have & CS_F_BTIME) {
		t = cs_report_time(&e->btime, 1);
		cs_buf_adds(b, ",\"btime\":\"");
		cs_buf_adds(b, t);
		cs_buf_addc(b, '"');
		free(t);
	}
	if (e->error != NULL) {
		cs_buf_adds(b, ",\"error\":");
		cs_json_bytes(b, e->error, strlen(e->error));
	}
	cs_buf_adds(b, "}\n");
}
