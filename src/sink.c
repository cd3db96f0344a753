/*
 * sink.c: the sink interface.
 *
 * The wrapper keeps each sink to its life (begin, add..., finish, or
 * abort at any point) so that an implementation sees its calls in turn
 * and is released exactly once, through its abort.
 */
#include "custos/custos.h"

#include "custos/entry.h"
#include "custos/err.h"
#include "custos/sink.h"
#include "custos/xmalloc.h"

enum cs_sink_state {
	CS_SINK_NEW,
	CS_SINK_BEGUN,
	CS_SINK_FINISHED,
	CS_SINK_RELEASED
};

struct cs_sink {
	const struct cs_sink_ops	*ops;
	void				*impl;
	enum cs_sink_state		 state;
};

struct cs_sink *
cs_sink_new(const struct cs_sink_ops *ops, void *impl)
{
	struct cs_sink	*s;

	s = cs_xcalloc(1, sizeof *s);
	s->ops = ops;
	s->impl = impl;
	s->state = CS_SINK_NEW;
	return s;
}

/* A call out of turn is a bug in the caller. */
static int
sink_misuse(const struct cs_sink *s, const char *what, struct cs_err *err)
{
	return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "%s sink: %s out of turn",
	    s->ops->kind, what);
}

int
cs_sink_begin(struct cs_sink *s, struct cs_err *err)
{
	if (s->state != CS_SINK_NEW)
		return sink_misuse(s, "begin", err);
	if (s->ops->begin(s->impl, err) != 0)
		return -1;
	s->state = CS_SINK_BEGUN;
	return 0;
}

int
cs_sink_add(struct cs_sink *s, struct cs_entry *e, struct cs_content *c,
    struct cs_err *err)
{
	if (s->state != CS_SINK_BEGUN) {
		cs_entry_free(e);
		return sink_misuse(s, "add", err);
	}
	return s->ops->add(s->impl, e, c, err);
}

int
cs_sink_finish(struct cs_sink *s, struct cs_err *err)
{
	if (s->state != CS_SINK_BEGUN)
		return sink_misuse(s, "finish", err);
	if (s->ops->finish(s->impl, err) != 0)
		return -1;
	s->state = CS_SINK_FINISHED;
	return 0;
}

void
cs_sink_abort(struct cs_sink *s)
{
	if (s == NULL || s->state == CS_SINK_RELEASED)
		return;
	s->ops->abort(s->impl);
	s->impl = NULL;
	s->state = CS_SINK_RELEASED;
}

void
cs_sink_free(struct cs_sink *s)
{
	if (s == NULL)
		return;
	cs_sink_abort(s);
	free(s);
}

const char *
cs_sink_kind(const struct cs_sink *s)
{
	return s->ops->kind;
}
