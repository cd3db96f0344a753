/*
 * progress.c: the progress line of check, baseline, snapshot and verify.
 *
 * Part of the program, not of the library: it writes to standard error.
 * One line, "\r" and erase-to-end before each redraw, so a terminal shows
 * the latest state in place; at most one redraw per PROGRESS_INTERVAL
 * seconds.  A line on screen is cleared before any warning (through the
 * err.c hook) and at the end, so no other output lands behind it.
 */
#include "custos/custos.h"

#include <sys/statvfs.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/err.h"
#include "custos/host.h"
#include "custos/progress.h"
#include "custos/xmalloc.h"

#define PROGRESS_INTERVAL	0.3	/* seconds between redraws */

static int	progress_shown;		/* a line is on the terminal */

/* Erase the line on the terminal (the err.c hook). */
static void
progress_clear(void)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
}

void
cs_progress_init(struct cs_progress *p, const char *cmd, int quiet)
{
	memset(p, 0, sizeof *p);
	p->cmd = cmd;
	p->on = !quiet && isatty(STDERR_FILENO);
	p->t0 = cs_time_mono();
	p->last = -PROGRESS_INTERVAL;
	if (p->on)
		cs_err_set_hook(progress_clear);
}

void
cs_progress_total(struct cs_progress *p, uint64_t objects, uint64_t bytes)
{
	p->total_obj = objects;
	p->total_bytes = bytes;
	p->estimate = 0;
}

void
cs_progress_estimate(struct cs_progress *p, const char *path)
{
	struct statvfs	 sv;

	if (!p->on || statvfs(path, &sv) != 0)
		return;
	p->total_obj = sv.f_files >= sv.f_ffree ?
	    (uint64_t)(sv.f_files - sv.f_ffree) : 0;
	p->total_bytes = sv.f_blocks >= sv.f_bfree ?
	    (uint64_t)(sv.f_blocks - sv.f_bfree) * (uint64_t)sv.f_frsize : 0;
	p->estimate = 1;
}

/* Seconds left: by bytes when their total is known, else by objects. */
static double
progress_eta(const struct cs_progress *p, uint64_t objects, uint64_t bytes,
    double secs)
{
	if (p->total_bytes > 0 && bytes > 0)
		return p->total_bytes > bytes ?
		    secs * (double)(p->total_bytes - bytes) / (double)bytes :
		    0;
	if (p->total_obj > 0 && objects > 0)
		return p->total_obj > objects ?
		    secs * (double)(p->total_obj - objects) /
		    (double)objects : 0;
	return -1;
}

char *
cs_progress_format(const struct cs_progress *p, uint64_t objects,
    uint64_t bytes, double secs)
{
	const char	*tilde = p->estimate ? "~" : "";
	double		 rate, eta;
	uint64_t	 s;
	char		*total, *when, *line;

	rate = secs > 0 ? (double)bytes / secs : 0;
	eta = progress_eta(p, objects, bytes, secs);
	if (p->total_obj > 0)
		total = cs_xasprintf("/%s%" PRIu64, tilde, p->total_obj);
	else
		total = cs_xstrdup("");
	if (eta < 0)
		when = cs_xstrdup("?");
	else if (eta >= 3600) {
		s = (uint64_t)eta;
		when = cs_xasprintf("%s%" PRIu64 " h %02" PRIu64 " min", tilde,
		    s / 3600, s % 3600 / 60);
	} else
		when = cs_xasprintf("%s%.0f s", tilde, eta);
	line = cs_xasprintf("%s: %s: %" PRIu64 "%s objects, %.0f MiB, "
	    "%.1f MiB/s, ETA %s", CS_PROGNAME, p->cmd, objects, total,
	    (double)bytes / 1048576.0, rate / 1048576.0, when);
	free(total);
	free(when);
	return line;
}

void
cs_progress_update(struct cs_progress *p, uint64_t objects, uint64_t bytes)
{
	double	 secs;
	char	*line;

	if (!p->on)
		return;
	secs = cs_time_since(&p->t0);
	if (secs - p->last < PROGRESS_INTERVAL)
		return;
	p->last = secs;
	line = cs_progress_format(p, objects, bytes, secs);
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	progress_shown = 1;
	free(line);
}

void
cs_progress_cb(void *arg, uint64_t objects, uint64_t bytes)
{
	cs_progress_update(arg, objects, bytes);
}

void
cs_progress_end(struct cs_progress *p)
{
	if (p->on)
		progress_clear();
}
