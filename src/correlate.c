/*
 * correlate.c: what start-up files name, followed as a responder would.
 *
 * For each start-up file that was added or changed (cs_triage_names), the
 * file is read again from the examined tree, through descriptors: every
 * directory on the way opened with O_NOFOLLOW below the root, then the
 * file itself with O_NOFOLLOW|O_NONBLOCK|O_NOCTTY; only a regular file
 * of the size the walk recorded, and at most CORR_MAX bytes of it.  The
 * content is hostile: it is only scanned for absolute paths, never
 * interpreted, and a path found is looked up among the findings, never
 * opened.  Each finding so named (added, changed or type changed)
 * inherits the start-up file's severity, with a reason, and the start-up
 * file as its related object.  A directory named by the loader's search
 * path passes this on to the files right in it.  The most severe start-up
 * files go first, so theirs is the related object shown.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/buf.h"
#include "custos/correlate.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/fstore.h"
#include "custos/path.h"
#include "custos/triage.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

#define CORR_MAX	(1024 * 1024)
#define CORR_REASON	"named by a start-up file that was added or changed"

/* A start-up file among the findings. */
struct corr_src {
	struct cs_finding *f;
	size_t		 i;		/* position: ties keep their order */
	unsigned	 flags;		/* CS_TRIAGE_* */
	const char	*technique;
};

/* Findings sorted by path, for lookups; and those kept on disk. */
struct corr_index {
	struct cs_finding **fs;
	size_t		 n;
	struct cs_fstore *store;	/* in canonical order, or NULL */
};

static int
corr_cmp_path(const void *a, const void *b)
{
	const struct cs_finding	*x = *(struct cs_finding *const *)a;
	const struct cs_finding	*y = *(struct cs_finding *const *)b;

	return cs_path_cmp(x->path, x->pathlen, y->path, y->pathlen);
}

/* Most severe first; in their order of discovery otherwise. */
static int
corr_cmp_src(const void *a, const void *b)
{
	const struct corr_src	*x = a, *y = b;

	if (x->f->severity != y->f->severity)
		return x->f->severity > y->f->severity ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The first finding whose path is not before P (length N). */
static size_t
corr_lower(const struct corr_index *ix, const char *p, size_t n)
{
	size_t	 lo = 0, hi = ix->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cs_path_cmp(ix->fs[mid]->path, ix->fs[mid]->pathlen,
		    p, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Read the start-up file of finding F into OUT: a regular file of the
 * size recorded, its first CORR_MAX bytes.  Returns 0, or -1.
 */
static int
corr_read(int rootfd, const struct cs_finding *f, struct cs_buf *out)
{
	size_t		 want;
	ssize_t		 r;
	int		 fd;

	/* the very file the walk recorded, or nothing */
	if ((fd = cs_walk_open_below(rootfd, f->new)) < 0)
		return -1;
	want = f->new->size > CORR_MAX ? CORR_MAX : (size_t)f->new->size;
	cs_buf_grow(out, want);
	while (out->len < want) {
		r = read(fd, out->data + out->len, want - out->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		out->len += (size_t)r;
	}
	close(fd);
	return 0;
}

/* F inherits the severity of start-up file S, which names it. */
static void
corr_inherit(struct cs_finding *f, const struct corr_src *s)
{
	if (f == s->f || f->kind == CS_K_REMOVED || f->kind == CS_K_NOTCMP)
		return;
	if (s->f->severity > f->severity)
		f->severity = s->f->severity;
	cs_finding_reason(f, s->technique, CORR_REASON);
	if (f->related == NULL) {
		f->related = cs_xstrdup(s->f->shown);
		f->flags |= CS_FF_NAMED;
	}
}

/* The I-th finding of the store, or NULL if it cannot be read. */
static struct cs_finding *
corr_load(struct cs_fstore *st, size_t i)
{
	struct cs_finding	*f;
	struct cs_err		 e;

	cs_err_init(&e);
	if (cs_fstore_get(st, i, &f, &e) != 0)
		f = NULL;
	cs_err_release(&e);
	return f;
}

/* Inherit into the store's I-th finding F (taken), written back. */
static void
corr_inherit_stored(struct cs_fstore *st, size_t i, struct cs_finding *f,
    const struct corr_src *s)
{
	struct cs_err	 e;

	corr_inherit(f, s);
	cs_err_init(&e);
	(void)cs_fstore_replace(st, i, f, &e);
	cs_err_release(&e);
	cs_finding_free(f);
}

/*
 * What S names among the findings of the store, which are in canonical
 * order (the order they were found in): a binary search, each probe
 * read back; then, with CS_TRIAGE_DIRS, the files right in P.
 */
static void
corr_named_stored(const struct corr_index *ix, const struct corr_src *s,
    const char *p, size_t n)
{
	struct cs_finding	*f;
	size_t			 lo = 0, hi = cs_fstore_count(ix->store), mid;
	int			 c, dirs = (s->flags & CS_TRIAGE_DIRS) && n > 1;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((f = corr_load(ix->store, mid)) == NULL)
			return;
		c = cs_path_cmp(f->path, f->pathlen, p, n);
		cs_finding_free(f);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < cs_fstore_count(ix->store); lo++) {
		if ((f = corr_load(ix->store, lo)) == NULL)
			return;
		if (f->pathlen == n && memcmp(f->path, p, n) == 0) {
			corr_inherit_stored(ix->store, lo, f, s);
			if (!dirs)
				return;
		} else if (dirs && f->pathlen > n + 1 &&
		    memcmp(f->path, p, n) == 0 && f->path[n] == '/') {
			if (memchr(f->path + n + 1, '/', f->pathlen - n - 1) ==
			    NULL)
				corr_inherit_stored(ix->store, lo, f, s);
			else
				cs_finding_free(f);
		} else {
			cs_finding_free(f);
			return;
		}
	}
}

/* The path P (length N) named by S: it, or with CS_TRIAGE_DIRS the
 * files right in it. */
static void
corr_named(const struct corr_index *ix, const struct corr_src *s,
    const char *p, size_t n)
{
	struct cs_finding	*f;
	size_t			 i = corr_lower(ix, p, n);

	if (ix->store != NULL)
		corr_named_stored(ix, s, p, n);

	if (i < ix->n && ix->fs[i]->pathlen == n &&
	    memcmp(ix->fs[i]->path, p, n) == 0) {
		corr_inherit(ix->fs[i], s);
		i++;
	}
	if ((s->flags & CS_TRIAGE_DIRS) == 0 || n == 1)
		return;
	for (; i < ix->n; i++) {
		f = ix->fs[i];
		if (f->pathlen <= n + 1 || memcmp(f->path, p, n) != 0 ||
		    f->path[n] != '/')
			break;
		if (memchr(f->path + n + 1, '/', f->pathlen - n - 1) == NULL)
			corr_inherit(f, s);
	}
}

/* Bytes that end a path in a configuration file or a command line. */
static int
corr_is_end(unsigned char c)
{
	return c <= ' ' || c == 0x7f || strchr("\"'`;:,)]}|&<>=$", c) != NULL;
}

/* Bytes that, before a '/', make it part of a relative path or word. */
static int
corr_is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '/' ||
	    c == '~';
}

/* Look up every absolute path in the content of S. */
static void
corr_scan(const struct corr_index *ix, const struct corr_src *s,
    const struct cs_buf *b)
{
	const char	*d = b->data;
	size_t		 i, j, n;

	for (i = 0; i < b->len; i = j) {
		j = i + 1;
		if (d[i] != '/' || (i > 0 && corr_is_word((unsigned char)
		    d[i - 1])))
			continue;
		while (j < b->len && !corr_is_end((unsigned char)d[j]))
			j++;
		n = j - i;
		while (n > 1 && d[i + n - 1] == '/')
			n--;
		if (cs_path_valid(d + i, n))
			corr_named(ix, s, d + i, n);
	}
}

void
cs_correlate(struct cs_finding **fs, size_t n, const char *root)
{
	cs_correlate_stored(fs, n, NULL, root);
}

void
cs_correlate_stored(struct cs_finding **fs, size_t n, struct cs_fstore *st,
    const char *root)
{
	struct corr_index	 ix;
	struct corr_src		*src = NULL;
	struct cs_buf		 b;
	size_t			 i, nsrc = 0;
	int			 rootfd = -1;

	ix.fs = NULL;
	ix.store = st;
	cs_buf_init(&b);
	if (root == NULL || n == 0)
		goto out;
	src = cs_xreallocarray(NULL, n, sizeof *src);
	for (i = 0; i < n; i++) {
		src[nsrc].flags = cs_triage_names(fs[i], &src[nsrc].technique);
		if (src[nsrc].flags == 0)
			continue;
		src[nsrc].f = fs[i];
		src[nsrc++].i = i;
	}
	if (nsrc == 0 || (rootfd = open(root, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0)
		goto out;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	ix.fs = cs_xreallocarray(NULL, n, sizeof *ix.fs);
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	memcpy(ix.fs, fs, n * sizeof *fs);
	ix.n = n;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	qsort(ix.fs, n, sizeof *ix.fs, corr_cmp_path);
	qsort(src, nsrc, sizeof *src, corr_cmp_src);
	for (i = 0; i < nsrc; i++) {
		cs_buf_reset(&b);
		if (corr_read(rootfd, src[i].f, &b) == 0)
			corr_scan(&ix, &src[i], &b);
	}
out:
	if (rootfd >= 0)
		close(rootfd);
	cs_buf_release(&b);
	free(ix.fs);
	free(src);
}
