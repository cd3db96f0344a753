/*
 * sink_baseline.c: the baseline writer (baseline_write.c) as a sink.
 *
 * begin writes the header, add formats one record, finish writes the
 * "#end" trailer and the signature.  The sink writes to the descriptor
 * it is given and nothing else: the command names and publishes the
 * file (atomic.h), or removes it when the run fails.
 */
#include "custos/custos.h"

#include "custos/baseline.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/sink.h"
#include "custos/xmalloc.h"

struct sink_baseline {
	int				 fd;
	const char			*name;
	const struct cs_bl_header	*header;
	const struct cs_key		*key;
	struct cs_blw			*w;
};

static int
sink_baseline_begin(void *impl, struct cs_err *err)
{
	struct sink_baseline	*sb = impl;

	sb->w = cs_blw_new(sb->fd, sb->name, sb->header, err);
	return sb->w != NULL ? 0 : -1;
}

static int
sink_baseline_add(void *impl, struct cs_entry *e, struct cs_content *c,
    struct cs_err *err)
{
	struct sink_baseline	*sb = impl;
	int			 rc;

	(void)c;
	rc = cs_blw_add(sb->w, e, err);
	cs_entry_free(e);
	return rc;
}

static int
sink_baseline_finish(void *impl, struct cs_err *err)
{
	struct sink_baseline	*sb = impl;

	return cs_blw_finish(sb->w, sb->key, err);
}

static void
sink_baseline_abort(void *impl)
{
	struct sink_baseline	*sb = impl;

	cs_blw_free(sb->w);
	free(sb);
}

static const struct cs_sink_ops sink_baseline_ops = {
	"baseline",
	sink_baseline_begin,
	sink_baseline_add,
	sink_baseline_finish,
	sink_baseline_abort
};

struct cs_sink *
cs_sink_baseline(int fd, const char *name, const struct cs_bl_header *h,
    const struct cs_key *key)
{
	struct sink_baseline	*sb;

	sb = cs_xcalloc(1, sizeof *sb);
	sb->fd = fd;
	sb->name = name;
	sb->header = h;
	sb->key = key;
	return cs_sink_new(&sink_baseline_ops, sb);
}
