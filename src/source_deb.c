/*
 * source_deb.c: .deb packages as a record source (deb.h).
 *
 * Each .deb is first hashed whole and looked up, by SHA-256 and size,
 * in the verified index (deb_chain.c); only then is it read, with
 * libarchive (the ar container, control.tar.* for control and
 * conffiles, data.tar.* for the files), from the same descriptor and
 * hashed again on the way, so that a file changed between the two
 * passes is refused too.  The control file's Package, Version and
 * Architecture must be those the index lists for that SHA-256.  Nothing
 * is extracted.  A package that fails is refused (CS_EXIT_INTEGRITY,
 * naming the file), or with allow_unverified kept with its records
 * marked.
 *
 * The control files dpkg installs into its database are records too, at
 * the paths dpkg gives them (deb_info.c), with the package's fields.
 *
 * Records go to the spilling sorter, one per member and package, and
 * come out in canonical order; the records of one path are merged into
 * one (cs_vendor_merge_same, vendor_rec.c): the first package (verified
 * first, then by name, version, architecture) is the record's, the
 * others that ship a regular file there are kept as alternatives with
 * their size and SHA-256 (entry.h, cs_pkgref).
 * Packages are read on -j threads; the output does not depend on it.
 *
 * A package carries content, permissions, owners and link targets; not
 * inode numbers, ctimes, ACLs, extended attributes or flags, and its
 * mtimes (kept, as the tar has them) are not compared either.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "custos/buf.h"
#include "custos/deb.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/evidence.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/sort.h"
#include "custos/source.h"
#include "custos/tar.h"
#include "custos/xmalloc.h"

#include "vendor_int.h"

#define DEB_BUF		(256 * 1024)
#define DEB_MAXCONTROL	(4 * 1024 * 1024)

/* A regular file read from the current package (for its hard links). */
struct deb_file {
	char		*path;
	size_t		 len;
	uint64_t	 size;
	unsigned char	 digest[CS_D_COUNT][CS_DIGEST_MAXLEN];
};

/* One package being read. */
struct deb_rd {
	const struct cs_deb_opts *o;
	const char	*file;
	char		*shown;
	int		 fd;
	EVP_MD_CTX	*md;		/* second pass over the file */
	uint64_t	 bytes;
	struct archive	*outer;
	unsigned char	*buf;		/* DEB_BUF */
	struct cs_hasher *h;
	struct cs_deb_pkg pkg;		/* from the control file */
	char		**conffiles;	/* sorted */
	size_t		 nconf;
	unsigned	 flags;		/* CS_PKG_UNVERIFIED */
	char		*why;		/* why it is unverified */
	struct deb_file	*files;
	size_t		 nfiles;
	struct cs_entry	**out;		/* its records */
	size_t		 nout;
	size_t		 outcap;
};

/* What the threads share. */
struct deb_run {
	const struct cs_deb_opts *o;
	char		**debs;
	size_t		 ndebs;
	size_t		 next;		/* the next package to take */
	struct cs_sort	*sort;
	struct cs_deb_stats *st;
	struct cs_err	 err;
	int		 failed;
	pthread_mutex_t	 lock;
};

struct deb_src {
	struct cs_sort	*sort;
	struct cs_entry	*held;		/* the next path's first record */
};

void
cs_deb_stats_release(struct cs_deb_stats *st)
{
	size_t	 i;

	for (i = 0; i < st->nnotes; i++)
		free(st->notes[i]);
	free(st->notes);
	memset(st, 0, sizeof *st);
}

static int
deb_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
deb_push(char ***v, size_t *n, char *s)
{
	*v = cs_xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

/* PATH's .deb files: PATH itself, or those under it (recursively). */
static int
deb_collect(const char *path, char ***v, size_t *n, struct cs_err *err)
{
	struct stat	 st;
	struct dirent	*d;
	DIR		*dir;
	char		*shown, *sub;
	size_t		 len;
	int		 rc = 0;

	if (stat(path, &st) != 0 || (!S_ISDIR(st.st_mode) &&
	    !S_ISREG(st.st_mode))) {
		shown = cs_encode_dup(path);
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot read '%s'",
		    shown);
		free(shown);
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		deb_push(v, n, cs_xstrdup(path));
		return 0;
	}
	if ((dir = opendir(path)) == NULL) {
		shown = cs_encode_dup(path);
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot list '%s'",
		    shown);
		free(shown);
		return -1;
	}
	while (rc == 0 && (d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		sub = cs_xasprintf("%s/%s", path, d->d_name);
		len = strlen(d->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			rc = deb_collect(sub, v, n, err);
		else if (len > 4 && strcmp(d->d_name + len - 4, ".deb") == 0)
			deb_push(v, n, cs_xstrdup(sub));
		free(sub);
	}
	closedir(dir);
	return rc;
}

/* The first pass: the whole file's SHA-256 and size. */
static int
deb_hash_file(struct deb_rd *r, struct cs_deb_pkg *key, struct cs_err *err)
{
	ssize_t	 n;

	if (EVP_DigestInit_ex(r->md, EVP_sha256(), NULL) != 1)
		return cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot start SHA-256");
	key->size = 0;
	while ((n = read(r->fd, r->buf, DEB_BUF)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cs_err_set(err, CS_EXIT_IOERR, errno,
			    "cannot read '%s'", r->shown);
		EVP_DigestUpdate(r->md, r->buf, (size_t)n);
		key->size += (uint64_t)n;
	}
	EVP_DigestFinal_ex(r->md, key->sha256, NULL);
	if (lseek(r->fd, 0, SEEK_SET) != 0)
		return cs_err_set(err, CS_EXIT_IOERR, errno, "cannot read "
		    "'%s'", r->shown);
	return 0;
}

/* Mark the package unverified, or refuse it. */
static int
deb_unverified(struct deb_rd *r, const char *why, struct cs_err *err)
{
	if (!r->o->allow_unverified)
		return cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s': %s: "
		    "refused", r->shown, why);
	if (r->why == NULL)
		r->why = cs_xasprintf("'%s': %s: kept unverified", r->shown,
		    why);
	r->flags |= CS_PKG_UNVERIFIED;
	return 0;
}

/* The second pass: libarchive's reads, hashed. */
static la_ssize_t
deb_read_cb(struct archive *a, void *arg, const void **bufp)
{
	struct deb_rd	*r = arg;
	ssize_t		 n;

	do
		n = read(r->fd, r->buf, DEB_BUF);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "read error");
		return -1;
	}
	EVP_DigestUpdate(r->md, r->buf, (size_t)n);
	r->bytes += (uint64_t)n;
	*bufp = r->buf;
	return n;
}

/* An inner tar's reads: the outer ar member's data. */
static la_ssize_t
deb_inner_cb(struct archive *a, void *arg, const void **bufp)
{
	struct deb_rd	*r = arg;
	la_ssize_t	 n;

	(void)a;
	n = archive_read_data(r->outer, r->buf + DEB_BUF, DEB_BUF);
	*bufp = r->buf + DEB_BUF;
	return n;
}

/* Read the current member of A into B (at most MAX bytes). */
static int
deb_slurp(struct archive *a, struct cs_buf *b, size_t max)
{
	char		 tmp[16384];
	la_ssize_t	 n;

	while ((n = archive_read_data(a, tmp, sizeof tmp)) > 0) {
		if (b->len + (size_t)n > max)
			return -1;
		cs_buf_add(b, tmp, (size_t)n);
	}
	return n < 0 ? -1 : 0;
}

/* The conffiles: "/path" or "FLAGS /path" lines. */
static void
deb_conffiles(struct deb_rd *r, const char *s, size_t n)
{
	const char	*nl, *p;
	size_t		 k;

	while (n > 0) {
		nl = memchr(s, '\n', n);
		k = nl != NULL ? (size_t)(nl - s) : n;
		p = memchr(s, '/', k);
		if (p != NULL && (p == s || p[-1] == ' '))
			deb_push(&r->conffiles, &r->nconf, cs_xmemdup(p,
			    (size_t)(s + k - p)));
		s += k + (nl != NULL);
		n -= k + (nl != NULL);
	}
	if (r->nconf > 1)
		qsort(r->conffiles, r->nconf, sizeof *r->conffiles,
		    deb_str_cmp);
}

/* A new archive reader on the current member of the outer ar. */
static struct archive *
deb_inner(struct deb_rd *r)
{
	struct archive	*a = archive_read_new();

	if (a == NULL)
		return NULL;
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open(a, r, NULL, deb_inner_cb, NULL) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static int
deb_damaged(struct deb_rd *r, const char *what, struct cs_err *err)
{
	return cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s': %s", r->shown,
	    what);
}

static int
deb_is_conffile(const struct deb_rd *r, const char *path)
{
	return r->nconf > 0 && bsearch(&path, r->conffiles, r->nconf,
	    sizeof *r->conffiles, deb_str_cmp) != NULL;
}

/* Digest the member's content into M (and E's magic), kept in KEEP. */
static int
deb_content(struct deb_rd *r, struct archive *a, struct cs_evm *m,
    struct cs_entry *e, struct cs_buf *keep)
{
	unsigned char	 head[CS_HASHER_HEAD];
	la_ssize_t	 n;
	size_t		 hn;

	cs_hasher_begin(r->h);
	while ((n = archive_read_data(a, r->buf + 2 * DEB_BUF, DEB_BUF)) > 0) {
		cs_hasher_update(r->h, r->buf + 2 * DEB_BUF, (size_t)n);
		if (keep != NULL && keep->len + (size_t)n > DEB_MAXCONTROL)
			return -1;
		if (keep != NULL)
			cs_buf_add(keep, r->buf + 2 * DEB_BUF, (size_t)n);
	}
	if (n < 0)
		return -1;
	cs_hasher_end(r->h, m->digest);
	m->digests = r->o->digests;
	hn = cs_hasher_head(r->h, head);
	e->have |= CS_F_MAGIC;
	if (hn >= 4 && memcmp(head, "\177ELF", 4) == 0)
		e->magic = CS_MAGIC_ELF;
	else if (hn >= 2 && head[0] == '#' && head[1] == '!')
		e->magic = CS_MAGIC_SCRIPT;
	return 0;
}

/*
 * A hard link takes its target's content (an earlier member): its
 * digests into M, its size into *SIZE; 0 if the target is not known.
 */
static int
deb_hardlink(struct deb_rd *r, struct archive_entry *ae, struct cs_evm *m,
    uint64_t *size)
{
	const char	*why;
	char		*t;
	size_t		 len, i;
	int		 found = 0;

	if (cs_tar_path(archive_entry_hardlink(ae), &t, &len, &why) == 0) {
		for (i = r->nfiles; i-- > 0;) {
			if (r->files[i].len != len ||
			    memcmp(r->files[i].path, t, len) != 0)
				continue;
			m->hdigests = r->o->digests;
			memcpy(m->hdigest, r->files[i].digest,
			    sizeof m->hdigest);
			*size = r->files[i].size;
			found = 1;
			break;
		}
		free(t);
	}
	return found;
}

static void
deb_out(struct deb_rd *r, struct cs_entry *e)
{
	if (r->nout == r->outcap) {
		r->outcap = r->outcap != 0 ? 2 * r->outcap : 64;
		/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
		r->out = cs_xreallocarray(r->out, r->outcap, sizeof *r->out);
	}
	r->out[r->nout++] = e;
}

/* Give E package R's fields (and a regular file's size and SHA-256). */
static void
deb_own(struct deb_rd *r, struct cs_entry *e, unsigned flags)
{
	struct cs_pkgref	*p;

	p = cs_entry_add_pkg(e, r->pkg.name, r->pkg.version, r->pkg.arch,
	    r->flags | flags);
	if (e->type == CS_T_FILE) {
		p->size = e->size;
		memcpy(p->sha256, e->digest[CS_D_SHA256], sizeof p->sha256);
	}
}

/*
 * A control.tar member NAME that dpkg installs into its database: a
 * record named NAME until the control file is read (deb_info_names).
 * Its content is also kept in KEEP if not NULL.
 */
static int
deb_info_member(struct deb_rd *r, struct archive *a,
    struct archive_entry *ae, const char *name, struct cs_buf *keep)
{
	struct cs_evm	 m;
	struct cs_entry	*e = cs_entry_new();

	cs_entry_set_path(e, name, strlen(name));
	memset(&m, 0, sizeof m);
	m.ae = ae;
	m.name = name;
	m.is_hardlink = archive_entry_hardlink(ae) != NULL;
	if (archive_entry_filetype(ae) == AE_IFREG && !m.is_hardlink &&
	    deb_content(r, a, &m, e, keep) != 0) {
		cs_entry_free(e);
		return -1;
	}
	cs_evidence_attrs(&m, e);
	e->have &= ~(unsigned)(CS_F_CTIME | CS_F_NLINK | CS_F_INO |
	    CS_F_META);
	if (m.is_hardlink)
		cs_entry_add_error(e, "a hard link in control.tar");
	if (e->type == CS_T_NONE || e->type == CS_T_DIR) {
		cs_entry_free(e);	/* dpkg refuses a directory there */
		return 0;
	}
	e->mode = cs_deb_info_mode(name, e->mode);
	deb_out(r, e);
	return 0;
}

/* The control files read so far, at the paths dpkg installs them. */
static void
deb_info_names(struct deb_rd *r)
{
	struct cs_entry	*e;
	char		*path;
	size_t		 i, k = 0;

	for (i = 0; i < r->nout; i++) {
		e = r->out[i];
		path = cs_deb_info_path(e->path, r->pkg.name, r->pkg.arch,
		    r->pkg.ma_same);
		if (path == NULL) {
			cs_entry_free(e);
			continue;
		}
		cs_entry_set_path(e, path, strlen(path));
		free(path);
		deb_own(r, e, 0);
		r->out[k++] = e;
	}
	r->nout = k;
}

/* control.tar: the control file, the conffiles, dpkg's control files. */
static int
deb_control(struct deb_rd *r, struct cs_err *err)
{
	struct archive		*a;
	struct archive_entry	*ae;
	struct cs_buf		 ctl, conf;
	const char		*name, *why;
	int			 n, rc = -1;

	if ((a = deb_inner(r)) == NULL)
		return deb_damaged(r, "cannot read control.tar", err);
	cs_buf_init(&ctl);
	cs_buf_init(&conf);
	while ((n = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		name = archive_entry_pathname(ae);
		if (strncmp(name, "./", 2) == 0)
			name += 2;
		if (strcmp(name, "control") == 0 &&
		    deb_slurp(a, &ctl, DEB_MAXCONTROL) != 0)
			break;
		else if (cs_deb_info_name_ok(name) && deb_info_member(r, a,
		    ae, name, strcmp(name, "conffiles") == 0 ? &conf : NULL) !=
		    0)
			break;
	}
	if (n != ARCHIVE_EOF) {
		deb_damaged(r, "a damaged control.tar", err);
		goto out;
	}
	if (cs_deb_control_parse(ctl.data != NULL ? ctl.data : "", ctl.len,
	    &r->pkg, &why) != 0) {
		cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s': control file: %s",
		    r->shown, why);
		goto out;
	}
	deb_conffiles(r, conf.data != NULL ? conf.data : "", conf.len);
	deb_info_names(r);
	rc = 0;
out:
	cs_buf_release(&ctl);
	cs_buf_release(&conf);
	archive_read_free(a);
	return rc;
}

/* One member of data.tar into a record. */
static int
deb_member(struct deb_rd *r, struct archive *a, struct archive_entry *ae,
    struct cs_err *err)
{
	struct cs_evm		 m;
	struct cs_entry		*e;
	struct deb_file		*f;
	const char		*why;
	char			*shown;
	uint64_t		 size = 0;
	int			 known = 1;

	e = cs_entry_new();
	if (cs_tar_path(archive_entry_pathname(ae), &e->path, &e->pathlen,
	    &why) != 0) {
		cs_entry_free(e);
		shown = cs_encode_dup(archive_entry_pathname(ae));
		cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s': member '%s' has "
		    "%s: refused", r->shown, shown, why);
		free(shown);
		return -1;
	}
	memset(&m, 0, sizeof m);
	m.ae = ae;
	m.is_hardlink = archive_entry_hardlink(ae) != NULL;
	if (archive_entry_filetype(ae) == AE_IFREG && !m.is_hardlink &&
	    deb_content(r, a, &m, e, NULL) != 0) {
		cs_entry_free(e);
		return deb_damaged(r, "a damaged data.tar", err);
	}
	if (m.is_hardlink)
		known = deb_hardlink(r, ae, &m, &size);
	cs_evidence_attrs(&m, e);
	if (m.is_hardlink)
		e->size = size;
	if (!known)
		cs_entry_add_error(e, "a hard link to no earlier member");
	e->have &= ~(unsigned)(CS_F_CTIME | CS_F_NLINK | CS_F_INO |
	    CS_F_META);
	if (e->type == CS_T_NONE) {
		cs_entry_free(e);
		return 0;
	}
	deb_own(r, e, deb_is_conffile(r, e->path) ? CS_PKG_CONFFILE : 0);
	if (e->type == CS_T_FILE) {
		r->files = cs_xreallocarray(r->files, r->nfiles + 1,
		    sizeof *r->files);
		f = &r->files[r->nfiles++];
		f->path = cs_xmemdup(e->path, e->pathlen);
		f->len = e->pathlen;
		f->size = e->size;
		memcpy(f->digest, e->digest, sizeof f->digest);
	}
	deb_out(r, e);
	return 0;
}

/* data.tar: every member. */
static int
deb_data(struct deb_rd *r, struct cs_err *err)
{
	struct archive		*a;
	struct archive_entry	*ae;
	int			 n;

	if ((a = deb_inner(r)) == NULL)
		return deb_damaged(r, "cannot read data.tar", err);
	while ((n = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		if (deb_member(r, a, ae, err) != 0) {
			archive_read_free(a);
			return -1;
		}
	}
	archive_read_free(a);
	if (n != ARCHIVE_EOF)
		return deb_damaged(r, "a damaged data.tar", err);
	return 0;
}

/* The ar container: control.tar.*, then data.tar.*. */
static int
deb_ar(struct deb_rd *r, struct cs_err *err)
{
	struct archive_entry	*ae;
	const char		*name;
	int			 n, control = 0, data = 0;

	if ((r->outer = archive_read_new()) == NULL)
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "libarchive");
	archive_read_support_format_ar(r->outer);
	if (archive_read_open(r->outer, r, NULL, deb_read_cb, NULL) !=
	    ARCHIVE_OK)
		return deb_damaged(r, "not a .deb (ar) file", err);
	while ((n = archive_read_next_header(r->outer, &ae)) == ARCHIVE_OK) {
		name = archive_entry_pathname(ae);
		if (strncmp(name, "control.tar", 11) == 0 && !control &&
		    !data) {
			control = 1;
			if (deb_control(r, err) != 0)
				return -1;
		} else if (strncmp(name, "data.tar", 8) == 0 && control &&
		    !data) {
			data = 1;
			if (deb_data(r, err) != 0)
				return -1;
		}
	}
	if (n != ARCHIVE_EOF || !control || !data)
		return deb_damaged(r, "not a .deb: no control.tar and "
		    "data.tar, or a damaged ar container", err);
	return 0;
}

/* The rest of the file through the second pass; it must be the first. */
static int
deb_second(struct deb_rd *r, const struct cs_deb_pkg *key,
    struct cs_err *err)
{
	unsigned char	 sha[32];
	const void	*b;

	while (deb_read_cb(r->outer, r, &b) > 0)
		;
	EVP_DigestFinal_ex(r->md, sha, NULL);
	if (r->bytes != key->size || memcmp(sha, key->sha256, 32) != 0)
		return cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s' changed "
		    "while it was read: refused", r->shown);
	return 0;
}

/* Read one package into R->out. */
static int
deb_read(struct deb_rd *r, struct cs_err *err)
{
	const struct cs_deb_index *x = r->o->idx;
	struct cs_deb_pkg key;
	struct stat	 st;
	size_t		 i;

	memset(&key, 0, sizeof key);
	r->fd = open(r->file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (r->fd < 0 || fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return cs_err_set(err, CS_EXIT_NOINPUT, r->fd < 0 ? errno : 0,
		    "cannot read '%s'", r->shown);
	if (deb_hash_file(r, &key, err) != 0)
		return -1;
	if (!cs_deb_index_listed(x, &key) && deb_unverified(r, "SHA-256 or "
	    "size not listed in any verified Packages", err) != 0)
		return -1;
	if (EVP_DigestInit_ex(r->md, EVP_sha256(), NULL) != 1)
		return cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot start SHA-256");
	if (deb_ar(r, err) != 0 || deb_second(r, &key, err) != 0)
		return -1;
	key.name = r->pkg.name;
	key.version = r->pkg.version;
	key.arch = r->pkg.arch;
	if (!(r->flags & CS_PKG_UNVERIFIED) && cs_deb_index_find(x, &key) ==
	    NULL && deb_unverified(r, "its control file names a package "
	    "other than the one Packages lists for its SHA-256", err) != 0)
		return -1;
	for (i = 0; (r->flags & CS_PKG_UNVERIFIED) && i < r->nout; i++)
		r->out[i]->pkgs[0].flags |= CS_PKG_UNVERIFIED;
	return 0;
}

static void
deb_rd_release(struct deb_rd *r)
{
	size_t	 i;

	if (r->fd >= 0)
		close(r->fd);
	archive_read_free(r->outer);
	for (i = 0; i < r->nconf; i++)
		free(r->conffiles[i]);
	for (i = 0; i < r->nfiles; i++)
		free(r->files[i].path);
	for (i = 0; i < r->nout; i++)
		cs_entry_free(r->out[i]);
	free(r->conffiles);
	free(r->files);
	free(r->out);
	free(r->why);
	free(r->shown);
	cs_deb_pkg_release(&r->pkg);
	r->fd = -1;
	r->outer = NULL;
	r->conffiles = NULL;
	r->nconf = 0;
	r->files = NULL;
	r->nfiles = 0;
	r->out = NULL;
	r->nout = r->outcap = 0;
	r->why = NULL;
	r->shown = NULL;
	r->flags = 0;
	r->bytes = 0;
}

/* Hand package R's records to the sorter (under the lock). */
static int
deb_give(struct deb_run *run, struct deb_rd *r, struct cs_err *err)
{
	size_t	 i;
	int	 rc = 0;

	run->st->packages++;
	if (r->flags & CS_PKG_UNVERIFIED) {
		run->st->unverified++;
		deb_push(&run->st->notes, &run->st->nnotes, r->why);
		r->why = NULL;
	}
	for (i = 0; i < r->nout; i++) {
		if (rc == 0 && cs_sort_add(run->sort, r->out[i], err) != 0)
			rc = -1;
		else if (rc != 0)
			cs_entry_free(r->out[i]);
		r->out[i] = NULL;
	}
	r->nout = 0;
	return rc;
}

/* A thread: take packages until none is left or one failed. */
static void *
deb_worker(void *arg)
{
	struct deb_run	*run = arg;
	struct deb_rd	 r;
	struct cs_err	 err;
	size_t		 i;
	int		 rc;

	memset(&r, 0, sizeof r);
	r.o = run->o;
	r.fd = -1;
	r.buf = cs_xmalloc(3 * DEB_BUF);
	r.md = EVP_MD_CTX_new();
	r.h = cs_hasher_new(run->o->digests, 4096);
	cs_err_init(&err);
	for (;;) {
		pthread_mutex_lock(&run->lock);
		i = run->next++;
		rc = run->failed || i >= run->ndebs;
		pthread_mutex_unlock(&run->lock);
		if (rc)
			break;
		r.file = run->debs[i];
		r.shown = cs_encode_dup(r.file);
		rc = r.md == NULL || r.h == NULL ? cs_err_set(&err,
		    CS_EXIT_SOFTWARE, 0, "cannot start the digests") :
		    deb_read(&r, &err);
		pthread_mutex_lock(&run->lock);
		if (rc == 0 && !run->failed)
			rc = deb_give(run, &r, &err);
		if (rc != 0 && !run->failed) {
			run->failed = 1;
			cs_err_set(&run->err, err.code, err.errnum, "%s",
			    err.msg);
		}
		pthread_mutex_unlock(&run->lock);
		deb_rd_release(&r);
	}
	cs_err_release(&err);
	cs_hasher_free(r.h);
	EVP_MD_CTX_free(r.md);
	free(r.buf);
	return NULL;
}

/* Read every package on JOBS threads into RUN->sort. */
static int
deb_read_all(struct deb_run *run, int jobs, struct cs_err *err)
{
	pthread_t	*t;
	int		 i, n = 0;

	if (jobs < 1)
		jobs = 1;
	if ((size_t)jobs > run->ndebs)
		jobs = run->ndebs > 0 ? (int)run->ndebs : 1;
	t = cs_xcalloc((size_t)jobs, sizeof *t);
	for (i = 1; i < jobs; i++) {
		if (pthread_create(&t[i], NULL, deb_worker, run) != 0)
			break;
		n++;
	}
	deb_worker(run);
	for (i = 1; i <= n; i++)
		pthread_join(t[i], NULL);
	free(t);
	if (run->failed)
		return cs_err_set(err, run->err.code, run->err.errnum, "%s",
		    run->err.msg);
	return 0;
}

static int
deb_src_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct deb_src	*s = impl;
	struct cs_entry	*e, *n;
	int		 rc;

	*ep = NULL;
	if ((e = s->held) == NULL) {
		if ((rc = cs_sort_next(s->sort, &e, err)) != 1)
			return rc;
	}
	s->held = NULL;
	while ((rc = cs_sort_next(s->sort, &n, err)) == 1) {
		if (cs_entry_cmp(e, n) != 0) {
			s->held = n;
			break;
		}
		e = cs_vendor_merge_same(e, n);
	}
	if (rc < 0) {
		cs_entry_free(e);
		return -1;
	}
	cs_vendor_sort_alts(e);
	*ep = e;
	return 1;
}

static void
deb_src_close(void *impl)
{
	struct deb_src	*s = impl;

	if (s == NULL)
		return;
	cs_entry_free(s->held);
	cs_sort_free(s->sort);
	free(s);
}

static const struct cs_source_ops deb_src_ops = {
	"packages", deb_src_next, deb_src_close, NULL
};

struct cs_source *
cs_source_deb(const struct cs_deb_opts *o, struct cs_deb_stats *st,
    struct cs_err *err)
{
	struct deb_run		 run;
	struct deb_src		*s = NULL;
	struct cs_source	*src = NULL;
	size_t			 i;

	memset(st, 0, sizeof *st);
	memset(&run, 0, sizeof run);
	run.o = o;
	run.st = st;
	cs_err_init(&run.err);
	pthread_mutex_init(&run.lock, NULL);
	for (i = 0; i < o->npaths; i++) {
		if (deb_collect(o->paths[i], &run.debs, &run.ndebs, err) != 0)
			goto out;
	}
	if (run.ndebs == 0) {
		cs_err_set(err, CS_EXIT_NOINPUT, 0, "no .deb files given");
		goto out;
	}
	qsort(run.debs, run.ndebs, sizeof *run.debs, deb_str_cmp);
	run.sort = cs_sort_new(o->sort_bound);
	cs_sort_allow_dups(run.sort);
	if (deb_read_all(&run, o->jobs, err) != 0)
		goto out;
	s = cs_xcalloc(1, sizeof *s);
	s->sort = run.sort;
	run.sort = NULL;
	src = cs_source_new(&deb_src_ops, s, "packages");
	cs_source_set_carries(src, CS_G_CONTENT | CS_G_PERMS | CS_G_OWNER |
	    CS_G_LINK);
out:
	cs_sort_free(run.sort);
	for (i = 0; i < run.ndebs; i++)
		free(run.debs[i]);
	free(run.debs);
	cs_err_release(&run.err);
	pthread_mutex_destroy(&run.lock);
	return src;
}
