/*
 * pipe.c: the driver from a source into a sink.
 *
 * The one place that moves records between stages: the source checks
 * their order, the driver leaves out the command's own output, counts,
 * reports progress and honours a stop request, and the sink only ever
 * sees the records it should take.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include "custos/atomic.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/pipe.h"
#include "custos/sink.h"
#include "custos/source.h"

int
cs_pipe_skipped(const struct cs_pipe_skip *skip, size_t n,
    const struct cs_entry *e)
{
	size_t	 i;

	if (e->type != CS_T_FILE)
		return 0;
	for (i = 0; i < n; i++) {
		if (e->dev == skip[i].dev && e->ino == skip[i].ino)
			return 1;
	}
	return 0;
}

size_t
cs_pipe_skip_output(const struct cs_atomic *out, const char *output,
    struct cs_pipe_skip skip[2])
{
	struct stat	 st;
	size_t		 n = 0;

	if (fstat(out->fd, &st) == 0) {
		skip[n].dev = (uint64_t)st.st_dev;
		skip[n++].ino = (uint64_t)st.st_ino;
	}
	if (!out->is_stdout && stat(output, &st) == 0) {
		skip[n].dev = (uint64_t)st.st_dev;
		skip[n++].ino = (uint64_t)st.st_ino;
	}
	return n;
}

int
cs_pipe_run(struct cs_source *src, struct cs_sink *sink,
    const struct cs_pipe_opts *opts, struct cs_pipe_stats *stats,
    struct cs_err *err)
{
	static const struct cs_pipe_opts none;
	const struct cs_pipe_opts	*o = opts != NULL ? opts : &none;
	/* cppcheck-suppress uninitvar ; ST is cleared by the memset below */
	struct cs_pipe_stats		 st0, *st = stats != NULL ? stats : &st0;
	struct cs_entry			*e;
	int				 n, rc = -1;

	memset(st, 0, sizeof *st);
	if (cs_sink_begin(sink, err) != 0)
		goto out;
	for (;;) {
		if (o->stop != NULL && *o->stop) {
			cs_err_set(err, CS_EXIT_IOERR, 0, "interrupted");
			goto out;
		}
		if ((n = cs_source_next(src, &e, err)) < 0)
			goto out;
		if (n == 0)
			break;
		st->records++;
		if (e->error != NULL)
			st->errors++;
		if (e->digests != 0)
			st->bytes += e->size;
		if (o->progress != NULL)
			o->progress(o->progress_arg, st->records, st->bytes);
		if (cs_pipe_skipped(o->skip, o->nskip, e)) {
			st->skipped++;
			cs_entry_free(e);
			continue;
		}
		if (e->error != NULL && o->error != NULL)
			o->error(o->error_arg, e);
		if (cs_sink_add(sink, e, cs_source_content(src), err) != 0)
			goto out;
	}
	if (cs_sink_finish(sink, err) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		cs_sink_abort(sink);
	return rc;
}
