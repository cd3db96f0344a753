/*
 * shard.c: cutting a tree into shards of the canonical order (shard.h).
 *
 * The first pass lists directories only, sorted as the walk sorts them,
 * down to CS_SHARD_DEPTH, on the root's filesystem: it opens each
 * directory (O_DIRECTORY|O_NOFOLLOW) and stats nothing but names whose
 * type the listing does not give.  It runs twice over the same names:
 * once to count them, once to cut at the first directory at or after
 * each I/N of the count.  Memory is bounded by the depth and the widest
 * directory.  The text form is parsed strictly and must be the one the
 * formatter writes, so its digest names one plan.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "custos/buf.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/shard.h"
#include "custos/range.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

#include "walk_int.h"

#define SHARD_PLAN_MAXSIZE	(64 * 1024 * 1024)

/* The state of one pass over the names. */
struct shard_pass {
	dev_t		 dev;		/* the root's filesystem */
	uint64_t	 count;		/* names seen so far */
	uint64_t	 total;		/* of the first pass; 0 in it */
	struct cs_shard_plan	*plan;
	unsigned	 next;		/* the next cut to place (0-based) */
};

void
cs_shard_plan_init(struct cs_shard_plan *p)
{
	memset(p, 0, sizeof *p);
}

void
cs_shard_plan_release(struct cs_shard_plan *p)
{
	unsigned	 i;

	for (i = 0; p->cut != NULL && i + 1 < p->n; i++)
		free(p->cut[i]);
	free(p->cut);
	free(p->cutlen);
	free(p->root);
	cs_shard_plan_init(p);
}

/* Room for the N - 1 cuts of an N-shard plan, all empty. */
static void
shard_alloc(struct cs_shard_plan *p, unsigned n)
{
	p->n = n;
	p->cut = cs_xcalloc(n, sizeof *p->cut);
	p->cutlen = cs_xcalloc(n, sizeof *p->cutlen);
}

/* In the second pass, cut at directory PATH if the count has come to it. */
static void
shard_cut(struct shard_pass *pp, const char *path, size_t len)
{
	struct cs_shard_plan	*p = pp->plan;

	if (pp->next + 1 >= p->n || pp->count * p->n <
	    (uint64_t)(pp->next + 1) * pp->total)
		return;
	p->cut[pp->next] = cs_xmemdup(path, len + 1);
	p->cutlen[pp->next] = len;
	pp->next++;
}

/* Is NAME in directory FD one, by its listed type or else by lstat? */
static int
shard_is_dir(int fd, const char *name, unsigned char dtype)
{
	struct stat	 st;

	if (dtype != DT_UNKNOWN)
		return dtype == DT_DIR;
	return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode);
}

/*
 * Count the names in directory FD (PATH, at DEPTH), and those below it
 * down to CS_SHARD_DEPTH, cutting on the way in the second pass.  What
 * cannot be listed or lies on another filesystem counts as its name.
 */
static void
shard_dir(struct shard_pass *pp, int fd, const char *path, size_t pathlen,
    unsigned depth)
{
	struct stat	 st;
	char		*names = NULL, *child;
	size_t		*offs = NULL, n = 0, i, childlen;
	const char	*name;
	int		 cfd, isdir;

	(void)cs_walk_list(fd, &names, &offs, &n);
	for (i = 0; i < n; i++) {
		name = names + offs[i];
		isdir = shard_is_dir(fd, name + 1, (unsigned char)name[0]);
		child = cs_path_join(path, pathlen, name + 1, strlen(name + 1),
		    &childlen);
		if (isdir && pp->total > 0)
			shard_cut(pp, child, childlen);
		pp->count++;
		if (isdir && depth + 1 < CS_SHARD_DEPTH &&
		    (cfd = cs_walk_openat(fd, name + 1, O_DIRECTORY |
		    O_NOFOLLOW)) >= 0) {
			if (fstat(cfd, &st) == 0 && st.st_dev == pp->dev)
				shard_dir(pp, cfd, child, childlen, depth + 1);
			close(cfd);
		}
		free(child);
	}
	free(offs);
	free(names);
}

/* One pass over the tree at ROOTFD. */
static void
shard_pass_run(struct shard_pass *pp, int rootfd)
{
	if (lseek(rootfd, 0, SEEK_SET) != 0)
		return;
	pp->count = 0;
	shard_dir(pp, rootfd, "/", 1, 0);
}

/* The SHA-256 of P's text form into P. */
static int
shard_digest(struct cs_shard_plan *p, struct cs_err *err)
{
	struct cs_buf	 b;
	int		 rc = 0;

	cs_buf_init(&b);
	cs_shard_plan_format(p, &b);
	if (EVP_Digest(b.data, b.len, p->sha256, NULL, EVP_sha256(),
	    NULL) != 1)
		rc = cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot compute "
		    "SHA-256");
	cs_buf_release(&b);
	return rc;
}

int
cs_shard_plan_make(struct cs_shard_plan *p, const char *dir, unsigned n,
    struct cs_err *err)
{
	struct shard_pass	 pp;
	struct stat		 st;
	char			*shown;
	unsigned		 i;
	int			 fd, rc = -1;

	cs_shard_plan_init(p);
	memset(&pp, 0, sizeof pp);
	fd = cs_walk_openat(AT_FDCWD, dir, O_DIRECTORY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		shown = cs_encode_dup(dir);
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open "
		    "directory '%s'", shown);
		free(shown);
		goto out;
	}
	if ((p->root = realpath(dir, NULL)) == NULL)
		p->root = cs_xstrdup(dir);
	shard_alloc(p, n);
	pp.dev = st.st_dev;
	pp.plan = p;
	shard_pass_run(&pp, fd);
	pp.total = pp.count > 0 ? pp.count : 1;
	shard_pass_run(&pp, fd);
	/* too few directories: the last ranges are empty */
	for (i = pp.next; i + 1 < n; i++) {
		if (i == 0)
			p->cut[i] = cs_xstrdup("/");
		else
			p->cut[i] = cs_xmemdup(p->cut[i - 1],
			    p->cutlen[i - 1] + 1);
		p->cutlen[i] = i == 0 ? 1 : p->cutlen[i - 1];
	}
	rc = shard_digest(p, err);
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* A range end: "-" when unbounded, else the encoded path. */
static void
shard_format_end(struct cs_buf *b, const char *path, size_t len)
{
	if (path == NULL)
		cs_buf_addc(b, '-');
	else
		cs_encode(b, path, len);
}

void
cs_shard_plan_format(const struct cs_shard_plan *p, struct cs_buf *b)
{
	struct cs_range	 r;
	unsigned	 i;

	cs_buf_adds(b, CS_SHARD_PLAN_MAGIC "\n#root=");
	cs_encode_str(b, p->root);
	cs_buf_printf(b, "\n#shards=%u\n#depth=%u\n", p->n, CS_SHARD_DEPTH);
	for (i = 1; i <= p->n; i++) {
		cs_shard_range(p, i, &r);
		cs_buf_printf(b, "%u ", i);
		shard_format_end(b, r.from, r.fromlen);
		cs_buf_addc(b, ' ');
		shard_format_end(b, r.to, r.tolen);
		cs_buf_addc(b, '\n');
	}
	cs_buf_adds(b, "#end\n");
}

void
cs_shard_range(const struct cs_shard_plan *p, unsigned i, struct cs_range *r)
{
	memset(r, 0, sizeof *r);
	if (i > 1) {
		r->from = p->cut[i - 2];
		r->fromlen = p->cutlen[i - 2];
	}
	if (i < p->n) {
		r->to = p->cut[i - 1];
		r->tolen = p->cutlen[i - 1];
	}
}

/* A decimal number from 1 to MAX without leading zeros, N bytes at S. */
static int
shard_number(const char *s, size_t n, unsigned max, unsigned *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (n == 0 || n > 10 || s[0] == '0')
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int
cs_shard_count_parse(const char *s, size_t n, unsigned *out)
{
	return shard_number(s, n, CS_SHARD_MAX, out);
}

int
cs_shard_parse(const char *s, size_t n, unsigned *ip, unsigned *np)
{
	const char	*slash = memchr(s, '/', n);

	if (slash == NULL || shard_number(s, (size_t)(slash - s),
	    CS_SHARD_MAX, ip) != 0 || shard_number(slash + 1,
	    n - (size_t)(slash - s) - 1, CS_SHARD_MAX, np) != 0 ||
	    *ip > *np)
		return -1;
	return 0;
}

/*
 * The next line of the text at *POS (without its newline) in *LINE and
 * *LEN; -1 at the end or if the last line has no newline.
 */
static int
shard_line(const struct cs_buf *b, size_t *pos, const char **line,
    size_t *len)
{
	const char	*nl;

	if (*pos >= b->len ||
	    (nl = memchr(b->data + *pos, '\n', b->len - *pos)) == NULL)
		return -1;
	*line = b->data + *pos;
	*len = (size_t)(nl - *line);
	*pos += *len + 1;
	return 0;
}

/* The value of the header line "#KEY=value" in L (length N), or NULL. */
static const char *
shard_header(const char *key, const char *l, size_t n, size_t *vlen)
{
	size_t	 k = strlen(key);

	if (n < k + 2 || l[0] != '#' || memcmp(l + 1, key, k) != 0 ||
	    l[k + 1] != '=')
		return NULL;
	*vlen = n - k - 2;
	return l + k + 2;
}

/*
 * The cut that range line I of N (length LEN at L) ends with, after
 * checking that it is "I FROM TO"; the cuts' spelling is checked by the
 * caller, which compares the plan written again with the text.
 */
static int
shard_range_line(struct cs_shard_plan *p, unsigned i, const char *l, size_t len)
{
	const char	*sp, *to;
	size_t		 tolen;
	unsigned	 idx;

	if ((sp = memchr(l, ' ', len)) == NULL ||
	    shard_number(l, (size_t)(sp - l), p->n, &idx) != 0 || idx != i)
		return -1;
	to = memrchr(l, ' ', len);
	tolen = len - (size_t)(to - l) - 1;
	if (to == sp || tolen == 0)
		return -1;
	to++;
	if (i == p->n)
		return tolen == 1 && to[0] == '-' ? 0 : -1;
	if ((p->cut[i - 1] = cs_decode_dup(to, tolen, &p->cutlen[i - 1])) ==
	    NULL || !cs_path_valid(p->cut[i - 1], p->cutlen[i - 1]))
		return -1;
	if (i > 1 && cs_path_cmp(p->cut[i - 2], p->cutlen[i - 2],
	    p->cut[i - 1], p->cutlen[i - 1]) > 0)
		return -1;
	return 0;
}

/* Parse the text in B into P; the line at fault in *LINENO. */
static int
shard_parse(struct cs_shard_plan *p, const struct cs_buf *b, unsigned *lineno)
{
	const char	*l, *v;
	size_t		 pos = 0, len, vlen;
	unsigned	 n, i, depth;

	*lineno = 1;
	if (shard_line(b, &pos, &l, &len) != 0 ||
	    len != strlen(CS_SHARD_PLAN_MAGIC) ||
	    memcmp(l, CS_SHARD_PLAN_MAGIC, len) != 0)
		return -1;
	(*lineno)++;
	if (shard_line(b, &pos, &l, &len) != 0 ||
	    (v = shard_header("root", l, len, &vlen)) == NULL ||
	    (p->root = cs_decode_dup(v, vlen, NULL)) == NULL ||
	    p->root[0] != '/')
		return -1;
	(*lineno)++;
	if (shard_line(b, &pos, &l, &len) != 0 ||
	    (v = shard_header("shards", l, len, &vlen)) == NULL ||
	    shard_number(v, vlen, CS_SHARD_MAX, &n) != 0)
		return -1;
	shard_alloc(p, n);
	(*lineno)++;
	if (shard_line(b, &pos, &l, &len) != 0 ||
	    (v = shard_header("depth", l, len, &vlen)) == NULL ||
	    shard_number(v, vlen, 1000, &depth) != 0 || depth != CS_SHARD_DEPTH)
		return -1;
	for (i = 1; i <= n; i++) {
		(*lineno)++;
		if (shard_line(b, &pos, &l, &len) != 0 ||
		    shard_range_line(p, i, l, len) != 0)
			return -1;
	}
	(*lineno)++;
	if (shard_line(b, &pos, &l, &len) != 0 || len != 4 ||
	    memcmp(l, "#end", 4) != 0 || pos != b->len)
		return -1;
	return 0;
}

int
cs_shard_plan_load(struct cs_shard_plan *p, const char *file,
    struct cs_err *err)
{
	struct cs_buf	 b, again;
	char		*shown = NULL;
	unsigned	 lineno = 0;
	int		 rc = -1;

	cs_shard_plan_init(p);
	cs_buf_init(&b);
	cs_buf_init(&again);
	if (cs_buf_read_file(&b, file, SHARD_PLAN_MAXSIZE, "plan", err) != 0)
		goto out;
	if (shard_parse(p, &b, &lineno) == 0) {
		/* one spelling per plan: the text must be the one we write */
		cs_shard_plan_format(p, &again);
		if (again.len != b.len || memcmp(again.data, b.data,
		    b.len) != 0)
			lineno = 0;
		else
			rc = shard_digest(p, err);
	}
	if (rc != 0 && err->msg == NULL) {
		shown = cs_encode_dup(file);
		if (lineno > 0)
			cs_err_set(err, CS_EXIT_DATAERR, 0, "plan '%s', line "
			    "%u: malformed", shown, lineno);
		else
			cs_err_set(err, CS_EXIT_DATAERR, 0, "plan '%s' is not "
			    "in canonical form", shown);
	}
out:
	if (rc != 0)
		cs_shard_plan_release(p);
	free(shown);
	cs_buf_release(&again);
	cs_buf_release(&b);
	return rc;
}

int
cs_shard_plan_for(struct cs_shard_plan *p, const char *spec, const char *file,
    const char *dir, unsigned *ip, struct cs_err *err)
{
	char		*shown;
	unsigned	 n;

	cs_shard_plan_init(p);
	if (cs_shard_parse(spec, strlen(spec), ip, &n) != 0) {
		shown = cs_encode_dup(spec);
		cs_err_set(err, CS_EXIT_USAGE, 0, "bad shard '%s' (I/N, "
		    "1 <= I <= N <= %u)", shown, CS_SHARD_MAX);
		free(shown);
		return -1;
	}
	if (file == NULL && dir == NULL)
		return cs_err_set(err, CS_EXIT_USAGE, 0, "--shard of a "
		    "source that is not a directory needs --plan");
	if (file == NULL)
		return cs_shard_plan_make(p, dir, n, err);
	if (cs_shard_plan_load(p, file, err) != 0)
		return -1;
	if (p->n != n) {
		shown = cs_encode_dup(file);
		cs_err_set(err, CS_EXIT_USAGE, 0, "plan '%s' has %u shards, "
		    "not %u", shown, p->n, n);
		free(shown);
		cs_shard_plan_release(p);
		return -1;
	}
	return 0;
}
