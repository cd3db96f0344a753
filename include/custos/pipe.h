/*
 * pipe.h: the driver moving a source's records into a sink.
 *
 * cs_pipe_run pulls records from a source (which checks their canonical
 * order), leaves out the objects it is told are its own output, counts
 * records, bytes and errors, reports progress and per-record errors
 * through callbacks the command supplies (the library never prints),
 * stops between records when asked to, and hands each remaining record
 * to the sink.  On any failure, interruption included, the sink is
 * aborted; on success it has finished.
 */
#ifndef CUSTOS_PIPE_H
#define CUSTOS_PIPE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct cs_atomic;
struct cs_entry;
struct cs_err;
struct cs_sink;
struct cs_source;

/* A regular file by identity: device and inode number. */
struct cs_pipe_skip {
	uint64_t	 dev;
	uint64_t	 ino;
};

struct cs_pipe_opts {
	/* Regular files not to pass on (the command's own output). */
	const struct cs_pipe_skip *skip;
	size_t		 nskip;
	/*
	 * Called after each record pulled, with the counts so far
	 * (records and bytes, as in struct cs_pipe_stats).
	 */
	void		(*progress)(void *, uint64_t, uint64_t);
	void		*progress_arg;
	/* Called for each record passed on that carries an error. */
	void		(*error)(void *, const struct cs_entry *);
	void		*error_arg;
	/* If not NULL, nonzero stops the run before the next record. */
	volatile sig_atomic_t *stop;
};

struct cs_pipe_stats {
	uint64_t	 records;	/* pulled from the source */
	uint64_t	 bytes;		/* content bytes of records digested */
	uint64_t	 errors;	/* records pulled with an error */
	uint64_t	 skipped;	/* records left out (skip list) */
};

/*
 * Run SRC into SINK: begin, add each record, finish.  OPTS may be NULL
 * (no skip list, no callbacks); STATS (may be NULL) is filled in also
 * on failure.  Returns 0, or -1 with ERR set and SINK aborted; a run
 * stopped through OPTS->stop fails with CS_EXIT_IOERR, "interrupted".
 */
int	cs_pipe_run(struct cs_source *, struct cs_sink *,
	    const struct cs_pipe_opts *, struct cs_pipe_stats *,
	    struct cs_err *);

/* Is E a regular file whose (dev, ino) is among the N of SKIP? */
int		 cs_pipe_skipped(const struct cs_pipe_skip *, size_t,
		    const struct cs_entry *);
/*
 * Fill SKIP with the command's own output: the file OUT writes (its
 * temporary file) and the one at OUTPUT it replaces, if any.  Returns how
 * many.
 */
size_t		 cs_pipe_skip_output(const struct cs_atomic *, const char *,
		    struct cs_pipe_skip [2]);

#endif /* CUSTOS_PIPE_H */
