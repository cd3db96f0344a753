/*
 * sink_export.c: the export formats (export.h) as sinks.
 *
 * One sink for the three formats: begin appends the format's header,
 * add one line per record, finish writes what is left.  Lines collect
 * in a buffer written out whenever it passes EXPORT_FLUSH bytes, so
 * memory stays bounded whatever the number of records.  The sink writes
 * to the descriptor it is given and nothing else: the command names and
 * publishes the file (atomic.h), or removes it when the run fails.
 */
#include "custos/custos.h"

#include <errno.h>
#include <string.h>

#include "custos/atomic.h"
#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/export.h"
#include "custos/path.h"
#include "custos/sink.h"
#include "custos/xmalloc.h"

#define EXPORT_FLUSH	65536

struct sink_export {
	enum cs_export_format	 format;
	struct cs_export_opts	 o;
	struct cs_buf		 buf;
	int			 any;		/* a record was added */
};

/* Format names, in enum cs_export_format order. */
static const char *const export_names[] = { "mtree", "bodyfile", "json" };

int
cs_export_lookup(const char *s)
{
	size_t	 i;

	for (i = 0; i < CS_NELEM(export_names); i++) {
		if (strcmp(s, export_names[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* Write out what the buffer holds. */
static int
sink_export_flush(struct sink_export *se, struct cs_err *err)
{
	char	*shown;
	int	 rc = 0;

	if (se->buf.len > 0 && cs_write_all(se->o.fd, se->buf.data,
	    se->buf.len) != 0) {
		shown = cs_encode_dup(se->o.name);
		rc = cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot write '%s'", shown);
		free(shown);
	}
	cs_buf_reset(&se->buf);
	return rc;
}

static int
sink_export_begin(void *impl, struct cs_err *err)
{
	struct sink_export	*se = impl;

	(void)err;
	if (se->format == CS_EXPORT_MTREE)
		cs_export_mtree_header(&se->buf);
	return 0;
}

static int
sink_export_add(void *impl, struct cs_entry *e, struct cs_content *c,
    struct cs_err *err)
{
	struct sink_export	*se = impl;

	(void)c;
	e->digests &= se->o.digests;
	switch (se->format) {
	case CS_EXPORT_MTREE:
		/* mtree places every full path below a "." line */
		if (!se->any && strcmp(e->path, "/") != 0)
			cs_buf_adds(&se->buf, ". type=dir\n");
		cs_export_mtree_line(&se->buf, e);
		break;
	case CS_EXPORT_BODYFILE:
		cs_export_body_line(&se->buf, e, se->o.body_digest);
		break;
	case CS_EXPORT_JSON:
		cs_export_json_line(&se->buf, e);
		break;
	}
	se->any = 1;
	cs_entry_free(e);
	if (se->buf.len < EXPORT_FLUSH)
		return 0;
	return sink_export_flush(se, err);
}

static int
sink_export_finish(void *impl, struct cs_err *err)
{
	return sink_export_flush(impl, err);
}

static void
sink_export_abort(void *impl)
{
	struct sink_export	*se = impl;

	cs_buf_release(&se->buf);
	free(se);
}

static const struct cs_sink_ops sink_export_ops = {
	"export",
	sink_export_begin,
	sink_export_add,
	sink_export_finish,
	sink_export_abort
};

struct cs_sink *
cs_sink_export(enum cs_export_format f, const struct cs_export_opts *o)
{
	struct sink_export	*se;

	se = cs_xcalloc(1, sizeof *se);
	se->format = f;
	se->o = *o;
	cs_buf_init(&se->buf);
	return cs_sink_new(&sink_export_ops, se);
}
