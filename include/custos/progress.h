/*
 * progress.h: a progress line on a terminal for the long commands.
 *
 * Objects, bytes, rate and ETA on one line of standard error, redrawn in
 * place at most four times a second, and only when standard error is a
 * terminal (never into a file or a pipe).  The ETA comes from a known
 * total (cs_progress_total) or, marked "~", from an estimate of what a
 * filesystem holds (cs_progress_estimate).  The library never prints: it
 * calls cs_progress_cb (or a command's own callback) with its counts.
 * While a line is shown, warnings clear it before they print.
 */
#ifndef CUSTOS_PROGRESS_H
#define CUSTOS_PROGRESS_H

#include <stdint.h>
#include <time.h>

struct cs_progress {
	const char	*cmd;		/* "check", "baseline", ... */
	int		 on;
	int		 estimate;	/* totals estimated, not known */
	struct timespec	 t0;
	double		 last;		/* when the line was last drawn */
	uint64_t	 total_obj;	/* 0: unknown */
	uint64_t	 total_bytes;	/* 0: unknown */
};

/* Start: on only when QUIET is 0 and standard error is a terminal. */
void	cs_progress_init(struct cs_progress *, const char *, int);
/* Known totals (either may be 0: unknown). */
void	cs_progress_total(struct cs_progress *, uint64_t, uint64_t);
/* Estimated totals: the used inodes and blocks of PATH's filesystem. */
void	cs_progress_estimate(struct cs_progress *, const char *);
/* Redraw the line if it is due. */
void	cs_progress_update(struct cs_progress *, uint64_t, uint64_t);
/* The same, as a library callback with a struct cs_progress argument. */
void	cs_progress_cb(void *, uint64_t, uint64_t);
/* Clear the line, if one is shown. */
void	cs_progress_end(struct cs_progress *);
/*
 * Format the line for OBJECTS and BYTES after SECS seconds into a heap
 * string (without the terminal controls).
 */
char	*cs_progress_format(const struct cs_progress *, uint64_t, uint64_t,
	    double);

#endif /* CUSTOS_PROGRESS_H */
