/*
 * atomic.h: outputs that appear whole or not at all.
 *
 * cs_atomic_open creates a temporary file next to the target
 * (O_CREAT|O_EXCL|O_CLOEXEC|O_NOFOLLOW, mode 0600 until committed) and puts
 * it on a cleanup list; cs_atomic_commit fsyncs it, sets its final mode,
 * renames it over the target (or links it, refusing to replace an
 * existing file unless FORCE was given) and fsyncs the directory.  Any exit
 * before commit, by return, exit() or a fatal signal, removes the
 * temporary file.  The path "-" means standard output, written directly.
 */
#ifndef CUSTOS_ATOMIC_H
#define CUSTOS_ATOMIC_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

struct cs_err;

struct cs_atomic {
	char	*path;		/* final name */
	char	*tmp;		/* temporary name, NULL for stdout */
	int	 fd;		/* write here */
	int	 force;		/* may replace an existing file */
	int	 is_stdout;
	uint64_t written;	/* bytes given to cs_atomic_write */
	uint64_t flushed;	/* ... whose write-back was started */
};

/* Install the atexit and signal handlers (once, from main). */
void	cs_atomic_setup(void);
int	cs_atomic_open(struct cs_atomic *, const char *, int, struct cs_err *);
/*
 * Would cs_atomic_open succeed?  The checks it makes first (no file, or
 * with FORCE a regular file, under the name; a writable directory),
 * without creating anything: for outputs created only after the work,
 * so that a bad name fails before the work starts.
 */
int	cs_atomic_check(const char *, int, struct cs_err *);
/*
 * Write N bytes at P to the output (cs_write_all), and for a file start
 * the write-back of each 8 MiB written without waiting for it, so that
 * the commit's fsync of a large output has little left to wait for.
 */
int	cs_atomic_write(struct cs_atomic *, const void *, size_t);
/* Make the output final with MODE; on failure the temp file is removed. */
int	cs_atomic_commit(struct cs_atomic *, mode_t, struct cs_err *);
/* Discard the output (safe after commit or failed open). */
void	cs_atomic_abort(struct cs_atomic *);
/*
 * read(2) FD to its end, an error or MAX bytes (what was read is kept),
 * into a NUL-terminated heap buffer of *LENP bytes; HINT is the size to
 * start with (st_size), or 0.
 */
char	*cs_read_bounded(int, size_t, size_t, size_t *);
/* write(2) all of a buffer, retrying on EINTR and short writes. */
int	cs_write_all(int, const void *, size_t);
/*
 * An anonymous temporary file, read and write, in $TMPDIR (or /tmp):
 * O_TMPFILE, else a mkostemp name unlinked at once.  -1 with ERR set.
 */
int	cs_tmpfile(struct cs_err *);
/* The same in $TMPDIR, else DEFAULT. */
int	cs_tmpfile_in(const char *, struct cs_err *);
/*
 * The directory cs_tmpfile_in(DEFAULT) makes its files in: $TMPDIR if
 * set and not empty, else DEFAULT itself (the same pointer, so that a
 * caller can say which it was).
 */
const char *cs_tmpdir(const char *);
/* Register / unregister a path to unlink at exit or on a fatal signal. */
void	cs_cleanup_add(const char *);
void	cs_cleanup_remove(const char *);

#endif /* CUSTOS_ATOMIC_H */
