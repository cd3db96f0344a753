/*
 * sink.h: where a canonical record stream goes.
 *
 * The other end of cs_source (source.h): a sink receives records in
 * canonical order and turns them into something, such as a baseline
 * file (cs_sink_baseline) or an archive.  The driver (pipe.h) moves
 * records from a source into a sink; a command only opens both.
 *
 * Life of a sink: cs_sink_begin once, cs_sink_add for each record,
 * cs_sink_finish once; on any failure cs_sink_abort instead, which
 * discards what the sink made.  cs_sink_free releases the sink in any
 * state (aborting it first unless it finished).
 */
#ifndef CUSTOS_SINK_H
#define CUSTOS_SINK_H

struct cs_bl_header;
struct cs_content;
struct cs_entry;
struct cs_err;
struct cs_key;
struct cs_sink;

struct cs_sink_ops {
	const char	*kind;		/* "baseline", ... */
	/* Write what comes before the records: 0 or -1. */
	int		(*begin)(void *, struct cs_err *);
	/*
	 * Take one record: 0 or -1.  The record is the sink's from the
	 * call on, whether the call succeeds or fails: it frees it (or
	 * keeps it) itself.  The content (content.h) is what the source
	 * kept of the record's content, or NULL; the source's, to be used
	 * within the call only.
	 */
	int		(*add)(void *, struct cs_entry *, struct cs_content *,
			    struct cs_err *);
	/* Write what comes after the records: 0 or -1. */
	int		(*finish)(void *, struct cs_err *);
	/*
	 * Discard what the sink made, if it did not finish, and release
	 * the implementation.  Called exactly once, after finish too.
	 */
	void		(*abort)(void *);
};

/* Wrap an implementation (takes ownership of IMPL). */
struct cs_sink	*cs_sink_new(const struct cs_sink_ops *, void *);
int		 cs_sink_begin(struct cs_sink *, struct cs_err *);
/* Takes ownership of the record, as ops->add; frees it after an abort. */
int		 cs_sink_add(struct cs_sink *, struct cs_entry *,
		    struct cs_content *, struct cs_err *);
int		 cs_sink_finish(struct cs_sink *, struct cs_err *);
/* Discard; a no-op once the sink was aborted or released. */
void		 cs_sink_abort(struct cs_sink *);
void		 cs_sink_free(struct cs_sink *);
const char	*cs_sink_kind(const struct cs_sink *);

/*
 * A baseline written to FD (named NAME in messages) with header H:
 * begin writes the header, finish writes the trailer and, when KEY is
 * not NULL, the signature.  NAME, H and KEY are borrowed: they must
 * outlive the sink.  The descriptor stays the caller's (it names,
 * syncs and publishes the file, or removes it after an abort).
 */
struct cs_sink	*cs_sink_baseline(int, const char *,
		    const struct cs_bl_header *, const struct cs_key *);

#endif /* CUSTOS_SINK_H */
