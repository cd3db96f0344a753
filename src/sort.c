/*
 * sort.c: records in canonical order with bounded memory (sort.h).
 *
 * Records are held in an array until their estimated size passes the
 * bound; the array is then sorted and written, one baseline record line
 * each, to an unlinked temporary file (a run), and freed.  At the end
 * the last array is sorted in memory and merged with the runs, read back
 * one record at a time.  The merge scans the heads linearly: runs are
 * few (the input's size over the bound).
 */
#include "custos/custos.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/atomic.h"
#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/sort.h"
#include "custos/xmalloc.h"

struct sort_run {
	FILE		*fp;
	struct cs_entry	*head;		/* NULL at the run's end */
};

struct cs_sort {
	size_t		  bound;
	size_t		  held;		/* estimated bytes in memory */
	struct cs_entry	**mem;
	size_t		  n;
	size_t		  cap;
	size_t		  next;		/* next in memory to hand out */
	struct sort_run	 *runs;
	size_t		  nruns;
	int		  merging;
	int		  dups;		/* one path may come more than once */
	char		 *line;
	size_t		  linecap;
	struct cs_order	  order;	/* of the paths handed out */
};

struct cs_sort *
cs_sort_new(size_t bound)
{
	struct cs_sort	*s;

	s = cs_xcalloc(1, sizeof *s);
	s->bound = bound != 0 ? bound : CS_SORT_BOUND;
	cs_order_init(&s->order);
	return s;
}

static size_t
sort_strlen(const char *p)
{
	return p != NULL ? strlen(p) + 1 : 0;
}

/* What a record costs in memory, roughly. */
static size_t
sort_size(const struct cs_entry *e)
{
	size_t	 n, i;

	n = sizeof *e + e->pathlen + 1 + e->targetlen + sort_strlen(e->user) +
	    sort_strlen(e->group) + sort_strlen(e->acl) +
	    sort_strlen(e->dacl) + sort_strlen(e->caps) +
	    sort_strlen(e->error);
	for (i = 0; i < e->nxattrs; i++)
		n += sizeof e->xattrs[i] + strlen(e->xattrs[i].name) + 1 +
		    e->xattrs[i].len + 1;
	for (i = 0; i < e->npkgs; i++)
		n += sizeof e->pkgs[i] + strlen(e->pkgs[i].name) +
		    strlen(e->pkgs[i].version) + strlen(e->pkgs[i].arch) + 3;
	return n;
}

static int
sort_cmp(const void *a, const void *b)
{
	return cs_entry_cmp(*(struct cs_entry *const *)a,
	    *(struct cs_entry *const *)b);
}

/*
 * Sort what is in memory and write it out as a new run.  (GCC's
 * -fanalyzer loses FP once it is stored in the runs array that
 * cs_xreallocarray grew, and calls it leaked: it is closed by
 * cs_sort_free.)
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static int
sort_spill(struct cs_sort *s, struct cs_err *err)
{
	struct cs_buf	 b;
	FILE		*fp = NULL;
	size_t		 i;
	int		 fd, rc = -1;

	if ((fd = cs_tmpfile(err)) < 0)
		return -1;
	if ((fp = fdopen(fd, "w+")) == NULL) {
		close(fd);
		return cs_err_set(err, CS_EXIT_CANTCREAT, errno, "sort: "
		    "cannot open a temporary file");
	}
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	qsort(s->mem, s->n, sizeof *s->mem, sort_cmp);
	cs_buf_init(&b);
	for (i = 0; i < s->n; i++) {
		cs_buf_reset(&b);
		cs_bl_format(&b, s->mem[i]);
		cs_entry_free(s->mem[i]);
		s->mem[i] = NULL;
		if (fwrite(b.data, 1, b.len, fp) != b.len)
			break;
	}
	cs_buf_release(&b);
	if (i < s->n || fflush(fp) != 0 || fseek(fp, 0, SEEK_SET) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno, "sort: cannot write a "
		    "temporary file");
		for (; i < s->n; i++)
			cs_entry_free(s->mem[i]);
		(void)fclose(fp);
		goto out;
	}
	s->runs = cs_xreallocarray(s->runs, s->nruns + 1, sizeof *s->runs);
	s->runs[s->nruns].fp = fp;
	s->runs[s->nruns].head = NULL;
	s->nruns++;
	rc = 0;
out:
	s->n = 0;
	s->held = 0;
	return rc;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

int
cs_sort_add(struct cs_sort *s, struct cs_entry *e, struct cs_err *err)
{
	size_t	 sz = sort_size(e);

	if (s->n > 0 && s->held + sz > s->bound && sort_spill(s, err) != 0) {
		cs_entry_free(e);
		return -1;
	}
	if (s->n == s->cap) {
		s->cap = s->cap != 0 ? 2 * s->cap : 256;
		/* an array of pointers */
		/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
		s->mem = cs_xreallocarray(s->mem, s->cap, sizeof *s->mem);
	}
	s->mem[s->n++] = e;
	s->held += sz;
	return 0;
}

/* Read the next record of run R into its head. */
static int
sort_read(struct cs_sort *s, struct sort_run *r, struct cs_err *err)
{
	const char	*why;
	ssize_t		 n;

	if ((n = getline(&s->line, &s->linecap, r->fp)) <= 0) {
		if (ferror(r->fp))
			return cs_err_set(err, CS_EXIT_IOERR, errno, "sort: "
			    "cannot read a temporary file");
		return 0;
	}
	r->head = cs_entry_new();
	if (cs_bl_parse(s->line, (size_t)n - 1, r->head, &why) != 0) {
		cs_entry_free(r->head);
		r->head = NULL;
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "sort: temporary "
		    "run: %s", why);
	}
	return 0;
}

/* Start the merge: sort the last run in memory, read every run's head. */
static int
sort_start(struct cs_sort *s, struct cs_err *err)
{
	size_t	 i;

	s->merging = 1;
	if (s->n > 1)
		/* an array of pointers */
		/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
		qsort(s->mem, s->n, sizeof *s->mem, sort_cmp);
	for (i = 0; i < s->nruns; i++) {
		if (sort_read(s, &s->runs[i], err) != 0)
			return -1;
	}
	return 0;
}

int
cs_sort_next(struct cs_sort *s, struct cs_entry **ep, struct cs_err *err)
{
	struct cs_entry	**best = NULL;
	struct sort_run	 *from = NULL;
	char		 *shown;
	size_t		  i;

	*ep = NULL;
	if (!s->merging && sort_start(s, err) != 0)
		return -1;
	if (s->next < s->n)
		best = &s->mem[s->next];
	for (i = 0; i < s->nruns; i++) {
		if (s->runs[i].head != NULL && (best == NULL ||
		    cs_entry_cmp(s->runs[i].head, *best) < 0)) {
			best = &s->runs[i].head;
			from = &s->runs[i];
		}
	}
	if (best == NULL)
		return 0;
	*ep = *best;
	*best = NULL;
	if (from == NULL)
		s->next++;
	else if (sort_read(s, from, err) != 0)
		goto fail;
	if (s->dups && s->order.any && cs_path_cmp(s->order.prev.data,
	    s->order.prev.len, (*ep)->path, (*ep)->pathlen) == 0)
		return 1;
	if (cs_order_check(&s->order, (*ep)->path, (*ep)->pathlen) != 0) {
		shown = cs_encode_dup((*ep)->path);
		cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s' is there twice",
		    shown);
		free(shown);
		goto fail;
	}
	return 1;
fail:
	cs_entry_free(*ep);
	*ep = NULL;
	return -1;
}

void
cs_sort_allow_dups(struct cs_sort *s)
{
	s->dups = 1;
}

size_t
cs_sort_runs(const struct cs_sort *s)
{
	return s->nruns;
}

void
cs_sort_free(struct cs_sort *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = s->next; i < s->n; i++)
		cs_entry_free(s->mem[i]);
	for (i = 0; i < s->nruns; i++) {
		cs_entry_free(s->runs[i].head);
		(void)fclose(s->runs[i].fp);
	}
	free(s->runs);
	free(s->mem);
	free(s->line);
	cs_order_release(&s->order);
	free(s);
}
