/*
 * evidence.c: read and verify evidence tars (evidence.h).
 *
 * The reader feeds libarchive from a read callback that passes every byte
 * through the stream hasher, and never seeks, so the stream digest covers
 * exactly the bytes of the file.  Each member's own pax header is read
 * again with pread at the header's offset to find the CUSTOS.<digest>
 * keywords, which libarchive does not expose.
 *
 * The verifier checks, in one pass: the custody member (first), every
 * member's content against its header, the canonical order, the manifest
 * (last) against the members by a merge-join over a spool of member
 * records, both signatures, and the stream digest against the custody
 * sidecar.  It reports every problem it finds, not just the first.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "custos/atomic.h"
#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/custody.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/evidence.h"
#include "custos/path.h"
#include "custos/sign.h"
#include "custos/snapshot.h"
#include "custos/xmalloc.h"

#define EVR_BUF		(1024 * 1024)
#define EVR_PAXMAX	(16 * 1024 * 1024)

struct cs_evr {
	int			 fd;
	char			*shown;
	struct archive		*a;
	unsigned char		*buf;
	struct cs_hasher	*stream;
	uint64_t		 size;
	struct cs_hasher	*mh;
	unsigned		 mask;
	uint64_t		 index;
	char			*last;		/* last good member, escaped */
	int			 rerr;
};

static const unsigned char evr_zeros[65536];

int
cs_evidence_is_tar(const char *path)
{
	char	 magic[6];
	struct stat st;
	int	 fd, ok = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    pread(fd, magic, sizeof magic, 257) == (ssize_t)sizeof magic &&
	    memcmp(magic, "ustar", 5) == 0)
		ok = 1;
	close(fd);
	return ok;
}

static la_ssize_t
evr_read_cb(struct archive *a, void *arg, const void **p)
{
	struct cs_evr	*r = arg;
	ssize_t		 n;

	do
		n = read(r->fd, r->buf, EVR_BUF);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r->rerr = errno;
		archive_set_error(a, errno, "read error");
		return -1;
	}
	cs_hasher_update(r->stream, r->buf, (size_t)n);
	r->size += (uint64_t)n;
	*p = r->buf;
	return n;
}

struct cs_evr *
cs_evr_open(const char *path, unsigned digests, struct cs_err *err)
{
	struct cs_evr	*r;
	struct stat	 st;

	r = cs_xcalloc(1, sizeof *r);
	r->shown = cs_encode_dup(path);
	r->last = cs_xstrdup("(none: the first header)");
	r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (r->fd < 0 || fstat(r->fd, &st) != 0) {
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open '%s'",
		    r->shown);
		goto fail;
	}
	r->buf = cs_xmalloc(EVR_BUF);
	r->mask = digests | CS_DIGEST_DEFAULT;
	r->stream = cs_hasher_new(CS_DIGEST_DEFAULT, 4096);
	r->mh = cs_hasher_new(r->mask, 4096);
	r->a = archive_read_new();
	if (r->stream == NULL || r->mh == NULL || r->a == NULL) {
		cs_err_set(err, CS_EXIT_SOFTWARE, 0, "cannot start reading");
		goto fail;
	}
	cs_hasher_begin(r->stream);
	archive_read_support_format_tar(r->a);
	if (archive_read_open(r->a, r, NULL, evr_read_cb, NULL) !=
	    ARCHIVE_OK) {
		cs_err_set(err, CS_EXIT_DATAERR, r->rerr, "'%s' is not a tar "
		    "archive: %s", r->shown, archive_error_string(r->a));
		goto fail;
	}
	return r;
fail:
	cs_evr_close(r);
	return NULL;
}

void
cs_evr_set_digests(struct cs_evr *r, unsigned digests)
{
	struct cs_hasher	*h;

	if ((h = cs_hasher_new(digests | CS_DIGEST_DEFAULT, 4096)) == NULL)
		return;		/* keep hashing with every algorithm */
	cs_hasher_free(r->mh);
	r->mh = h;
	r->mask = digests | CS_DIGEST_DEFAULT;
}

/* The CUSTOS.<digest> keywords of the header at OFF. */
static void
evr_header_digests(struct cs_evr *r, int64_t off, struct cs_evm *m)
{
	unsigned char	 h[512];
	char		*rec = NULL, key[64];
	const char	*v;
	uint64_t	 size = 0;
	size_t		 vn, i;
	int		 d;

	m->hdigests = 0;
	if (off < 0 || pread(r->fd, h, 512, off) != 512 || h[156] != 'x')
		return;
	for (i = 124; i < 136 && h[i] >= '0' && h[i] <= '7'; i++)
		size = size * 8 + (uint64_t)(h[i] - '0');
	if (size == 0 || size > EVR_PAXMAX)
		return;
	rec = cs_xmalloc((size_t)size);
	if (pread(r->fd, rec, (size_t)size, off + 512) != (ssize_t)size)
		goto out;
	for (d = 0; d < CS_D_COUNT; d++) {
		(void)snprintf(key, sizeof key, "%s%s", CS_SNAP_PAXKEY,
		    cs_digest_name((enum cs_digest)d));
		if (cs_snap_pax_find(rec, (size_t)size, key, &v, &vn) == 1 &&
		    vn == 2 * cs_digest_len((enum cs_digest)d) &&
		    cs_unhex(v, vn, m->hdigest[d],
		    cs_digest_len((enum cs_digest)d)) == 0)
			m->hdigests |= 1U << d;
	}
out:
	free(rec);
}

/* Hash N zero bytes (a hole of a sparse member). */
static void
evr_zero_fill(struct cs_hasher *h, uint64_t n)
{
	size_t	 k;

	for (; n > 0; n -= k) {
		k = n < sizeof evr_zeros ? (size_t)n : sizeof evr_zeros;
		cs_hasher_update(h, evr_zeros, k);
	}
}

/* Hash the member's content (holes as zeros), keeping it if asked. */
static int
evr_content(struct cs_evr *r, struct cs_evm *m, struct cs_buf *keep,
    size_t keepmax, int keepfd, struct cs_err *err)
{
	const void	*p;
	size_t		 n;
	la_int64_t	 off, pos = 0, size;
	int		 rc;

	size = archive_entry_size_is_set(m->ae) ? archive_entry_size(m->ae) :
	    0;
	cs_hasher_begin(r->mh);
	while ((rc = archive_read_data_block(r->a, &p, &n, &off)) ==
	    ARCHIVE_OK) {
		if (off > pos)
			evr_zero_fill(r->mh, (uint64_t)(off - pos));
		cs_hasher_update(r->mh, p, n);
		pos = off + (la_int64_t)n;
		if (keep != NULL) {
			if (keep->len + n > keepmax)
				return cs_err_set(err, CS_EXIT_DATAERR, 0,
				    "'%s': member '%s' is too large", r->shown,
				    m->name);
			cs_buf_add(keep, p, n);
		}
		if (keepfd >= 0 && cs_write_all(keepfd, p, n) != 0)
			return cs_err_set(err, CS_EXIT_IOERR, errno,
			    "cannot write a temporary file");
	}
	if (rc != ARCHIVE_EOF)
		return cs_err_set(err, CS_EXIT_INTEGRITY, r->rerr, "'%s': "
		    "archive truncated or damaged in member '%s': %s",
		    r->shown, m->name, archive_error_string(r->a));
	if (size > pos)
		evr_zero_fill(r->mh, (uint64_t)(size - pos));
	cs_hasher_end(r->mh, m->digest);
	m->digests = r->mask;
	return 0;
}

int
cs_evr_next(struct cs_evr *r, struct cs_evm *m, struct cs_err *err)
{
	struct archive_entry	*ae;
	int			 rc;

	memset(m, 0, sizeof *m);
	rc = archive_read_next_header(r->a, &ae);
	if (rc == ARCHIVE_EOF)
		return 0;
	if (rc < ARCHIVE_WARN)
		return cs_err_set(err, CS_EXIT_INTEGRITY, r->rerr, "'%s': "
		    "archive truncated or damaged after member '%s': %s",
		    r->shown, r->last, archive_error_string(r->a));
	if (archive_entry_pathname(ae) == NULL)
		return cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s': damaged "
		    "header (no name) after member '%s'", r->shown, r->last);
	m->ae = ae;
	m->index = r->index++;
	free(r->last);
	r->last = cs_encode_dup(archive_entry_pathname(ae));
	m->name = r->last;
	m->is_hardlink = archive_entry_hardlink(ae) != NULL;
	evr_header_digests(r, archive_read_header_position(r->a), m);
	return 1;
}

int
cs_evr_read(struct cs_evr *r, struct cs_evm *m, struct cs_buf *keep,
    size_t keepmax, int keepfd, struct cs_err *err)
{
	if (m->is_hardlink) {
		(void)archive_read_data_skip(r->a);
		return 0;
	}
	return evr_content(r, m, keep, keepmax, keepfd, err);
}

int
cs_evr_finish(struct cs_evr *r, unsigned char d[][CS_DIGEST_MAXLEN],
    uint64_t *sizep, struct cs_err *err)
{
	ssize_t	 n;

	while ((n = read(r->fd, r->buf, EVR_BUF)) > 0) {
		cs_hasher_update(r->stream, r->buf, (size_t)n);
		r->size += (uint64_t)n;
	}
	if (n < 0)
		return cs_err_set(err, CS_EXIT_IOERR, errno, "cannot read "
		    "'%s'", r->shown);
	cs_hasher_end(r->stream, d);
	*sizep = r->size;
	return 0;
}

void
cs_evr_close(struct cs_evr *r)
{
	if (r == NULL)
		return;
	if (r->a != NULL)
		archive_read_free(r->a);
	if (r->fd >= 0)
		close(r->fd);
	cs_hasher_free(r->stream);
	cs_hasher_free(r->mh);
	free(r->buf);
	free(r->last);
	free(r->shown);
	free(r);
}

static enum cs_type
evr_type(unsigned ft)
{
	switch (ft) {
	case AE_IFREG:	return CS_T_FILE;
	case AE_IFDIR:	return CS_T_DIR;
	case AE_IFLNK:	return CS_T_LINK;
	case AE_IFIFO:	return CS_T_FIFO;
	case AE_IFCHR:	return CS_T_CHAR;
	case AE_IFBLK:	return CS_T_BLOCK;
	default:	return CS_T_NONE;
	}
}

/*
 * libarchive keeps the owning group's ACL entry in the mode's group
 * bits; the file's real group bits are the ACL mask, when there is one.
 */
static void
evr_mask_mode(struct archive_entry *ae, struct cs_entry *e)
{
	int	 type, perm, tag, id;
	const char *name;

	if (archive_entry_acl_reset(ae, ARCHIVE_ENTRY_ACL_TYPE_ACCESS) <= 0)
		return;
	while (archive_entry_acl_next(ae, ARCHIVE_ENTRY_ACL_TYPE_ACCESS,
	    &type, &perm, &tag, &id, &name) == ARCHIVE_OK) {
		if (tag == ARCHIVE_ENTRY_ACL_MASK)
			e->mode = (e->mode & ~(uint32_t)070) |
			    (uint32_t)(perm & 7) << 3;
	}
}

int
cs_evidence_entry(const struct cs_evm *m, struct cs_entry *e)
{
	struct archive_entry	*ae = m->ae;
	const char		*s, *name;
	const void		*v;
	size_t			 vn;
	char			*path;
	size_t			 len, i;

	cs_entry_clear(e);
	if (cs_snap_member_path(archive_entry_pathname(ae), &path, &len) != 0)
		return -1;
	e->path = path;
	e->pathlen = len;
	e->type = m->is_hardlink ? CS_T_FILE :
	    evr_type(archive_entry_filetype(ae));
	e->mode = (uint32_t)archive_entry_perm(ae) & 07777;
	e->uid = (uint32_t)archive_entry_uid(ae);
	e->gid = (uint32_t)archive_entry_gid(ae);
	if ((s = archive_entry_uname(ae)) != NULL && *s != '\0')
		e->user = cs_xstrdup(s);
	if ((s = archive_entry_gname(ae)) != NULL && *s != '\0')
		e->group = cs_xstrdup(s);
	e->size = e->type == CS_T_FILE && !m->is_hardlink ?
	    (uint64_t)archive_entry_size(ae) : 0;
	e->mtime.sec = archive_entry_mtime(ae);
	e->mtime.nsec = (uint32_t)archive_entry_mtime_nsec(ae);
	if (archive_entry_ctime_is_set(ae)) {
		e->ctime.sec = archive_entry_ctime(ae);
		e->ctime.nsec = (uint32_t)archive_entry_ctime_nsec(ae);
		e->have |= CS_F_CTIME;
	}
	if (e->type == CS_T_LINK && (s = archive_entry_symlink(ae)) != NULL)
		cs_entry_set_target(e, s, strlen(s));
	if (e->type == CS_T_CHAR || e->type == CS_T_BLOCK) {
		e->rmajor = (uint32_t)archive_entry_rdevmajor(ae);
		e->rminor = (uint32_t)archive_entry_rdevminor(ae);
	}
	evr_mask_mode(ae, e);
	archive_entry_xattr_reset(ae);
	while (archive_entry_xattr_next(ae, &name, &v, &vn) == ARCHIVE_OK) {
		/* libarchive writes each twice (LIBARCHIVE. and SCHILY.) */
		for (i = 0; i < e->nxattrs; i++) {
			if (strcmp(e->xattrs[i].name, name) == 0)
				break;
		}
		if (i == e->nxattrs)
			cs_entry_add_xattr(e, name, v, vn);
	}
	cs_entry_sort_xattrs(e);
	if (m->is_hardlink) {
		/* Marks a hard-link member: its size is not in the tar. */
		e->have |= CS_F_NLINK;
		e->nlink = 2;
	}
	if (e->type == CS_T_FILE) {
		e->digests = m->is_hardlink ? m->hdigests : m->digests;
		memcpy(e->digest, m->is_hardlink ? m->hdigest : m->digest,
		    sizeof e->digest);
	}
	return 0;
}

/*
 * Verification.
 */
struct ev {
	const struct cs_evidence_opts *o;
	char			*shown;
	struct cs_evr		*r;
	unsigned		 problems;
	int			 code;
	struct cs_custody	 start;
	int			 have_start;
	struct cs_custody	 side;
	int			 have_side;
	int			 mfd;
	int			 have_manifest;
	FILE			*spool;
	char			*prev;
	size_t			 prevlen;
	uint64_t		 members;
	unsigned char		 stream[CS_D_COUNT][CS_DIGEST_MAXLEN];
	uint64_t		 size;
	const char		*custody_sig;
	const char		*manifest_sig;
	uint64_t		 records;
};

static void
ev_problem(struct ev *v, int code, const char *fmt, ...) CS_PRINTF(3, 4);

/* Report one problem on stderr and remember the exit code. */
static void
ev_problem(struct ev *v, int code, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = cs_xvasprintf(fmt, ap);
	va_end(ap);
	cs_warn("verify", "%s", msg);
	free(msg);
	v->problems++;
	if (v->code == 0 || code == CS_EXIT_INTEGRITY)
		v->code = code;
}

static void
ev_problem_err(struct ev *v, struct cs_err *e)
{
	ev_problem(v, e->code, "%s%s%s", e->msg != NULL ? e->msg : "error",
	    e->errnum != 0 ? ": " : "", e->errnum != 0 ? strerror(e->errnum) :
	    "");
	cs_err_release(e);
	cs_err_init(e);
}

/* Check a signature: with a trusted key, or demand one. */
static const char *
ev_signature(struct ev *v, const struct cs_bl_trailer *tr, const char *what)
{
	struct cs_err	 e;

	if (tr == NULL || !tr->is_signed) {
		if (!v->o->allow_unsigned) {
			char *shown = cs_encode_dup(what);

			ev_problem(v, CS_EXIT_INTEGRITY, "'%s' is NOT SIGNED "
			    "(use --allow-unsigned to check the rest)", shown);
			free(shown);
		}
		return "none";
	}
	if (v->o->pub == NULL && v->o->fingerprint == NULL)
		return "present, not checked (no trusted key)";
	cs_err_init(&e);
	if (cs_bl_verify_signature(tr, v->o->pub, v->o->fingerprint, what,
	    &e) != 0) {
		ev_problem_err(v, &e);
		return "BAD";
	}
	return "good, by the trusted key";
}

/* The first member: the custody record at the start. */
static void
ev_custody_member(struct ev *v, struct cs_evm *m)
{
	struct cs_buf	 b;
	struct cs_err	 e;
	unsigned	 d = 0;

	cs_buf_init(&b);
	cs_err_init(&e);
	if (strcmp(archive_entry_pathname(m->ae), CS_SNAP_CUSTODY) != 0) {
		ev_problem(v, CS_EXIT_INTEGRITY, "first member is '%s', not "
		    "the custody record '%s'", m->name, CS_SNAP_CUSTODY);
		(void)cs_evr_read(v->r, m, NULL, 0, -1, &e);
		goto out;
	}
	if (cs_evr_read(v->r, m, &b, CS_CUSTODY_MAX, -1, &e) != 0) {
		ev_problem_err(v, &e);
		goto out;
	}
	if (cs_custody_parse(&v->start, b.data != NULL ? b.data : "", b.len,
	    CS_SNAP_CUSTODY, &e) != 0) {
		ev_problem_err(v, &e);
		goto out;
	}
	v->have_start = 1;
	if (cs_custody_get(&v->start, "digests") == NULL ||
	    cs_digest_parse_list(cs_custody_get(&v->start, "digests"), &d,
	    &e) != 0) {
		cs_err_release(&e);
		ev_problem(v, CS_EXIT_DATAERR, "member '%s': bad field "
		    "'digests'", m->name);
	} else
		cs_evr_set_digests(v->r, d);
	v->custody_sig = ev_signature(v, &v->start.tr, CS_SNAP_CUSTODY);
out:
	cs_err_release(&e);
	cs_buf_release(&b);
}

/* A member's content against the digests its own header claims. */
static void
ev_check_header(struct ev *v, const struct cs_evm *m)
{
	int	 d;

	for (d = 0; d < CS_D_COUNT; d++) {
		if ((m->hdigests & m->digests & (1U << d)) == 0)
			continue;
		if (memcmp(m->hdigest[d], m->digest[d],
		    cs_digest_len((enum cs_digest)d)) != 0) {
			ev_problem(v, CS_EXIT_INTEGRITY, "member '%s': content "
			    "does not match the %s in its header (altered)",
			    m->name, cs_digest_name((enum cs_digest)d));
			return;
		}
	}
}

/* An object of the tree: order, then its record into the spool. */
static void
ev_tree_member(struct ev *v, struct cs_evm *m, struct cs_entry *e)
{
	struct cs_buf	 line;
	struct cs_err	 err;

	cs_err_init(&err);
	if (cs_evr_read(v->r, m, NULL, 0, -1, &err) != 0) {
		ev_problem_err(v, &err);
		return;
	}
	ev_check_header(v, m);
	if (cs_evidence_entry(m, e) != 0) {
		ev_problem(v, CS_EXIT_INTEGRITY, "member '%s' is not part of "
		    "a snapshot (added)", m->name);
		return;
	}
	if (v->prev != NULL &&
	    cs_path_cmp(v->prev, v->prevlen, e->path, e->pathlen) >= 0) {
		ev_problem(v, CS_EXIT_INTEGRITY, "member '%s' is out of "
		    "canonical order (reordered or repeated)", m->name);
		return;
	}
	free(v->prev);
	v->prev = cs_xmemdup(e->path, e->pathlen);
	v->prevlen = e->pathlen;
	cs_buf_init(&line);
	cs_bl_format(&line, e);
	if (fwrite(line.data, 1, line.len, v->spool) != line.len)
		ev_problem(v, CS_EXIT_IOERR, "cannot write a temporary file");
	cs_buf_release(&line);
}

static void
ev_manifest_member(struct ev *v, struct cs_evm *m)
{
	struct cs_err	 e;

	cs_err_init(&e);
	v->mfd = open(getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp",
	    O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
	if (v->mfd < 0) {
		ev_problem(v, CS_EXIT_CANTCREAT, "cannot create a temporary "
		    "file: %s", strerror(errno));
		return;
	}
	if (cs_evr_read(v->r, m, NULL, 0, v->mfd, &e) != 0) {
		ev_problem_err(v, &e);
		return;
	}
	ev_check_header(v, m);
	v->have_manifest = 1;
}

/* Every member in archive order; returns -1 if the archive broke. */
static int
ev_members(struct ev *v)
{
	struct cs_evm	 m;
	struct cs_entry	*e = cs_entry_new();
	struct cs_err	 err;
	int		 n;

	cs_err_init(&err);
	while ((n = cs_evr_next(v->r, &m, &err)) == 1) {
		v->members++;
		if (v->have_manifest) {
			ev_problem(v, CS_EXIT_INTEGRITY, "member '%s' follows "
			    "the manifest (added)", m.name);
			(void)cs_evr_read(v->r, &m, NULL, 0, -1, &err);
			cs_err_release(&err);
			cs_err_init(&err);
		} else if (m.index == 0)
			ev_custody_member(v, &m);
		else if (strcmp(archive_entry_pathname(m.ae),
		    CS_SNAP_MANIFEST) == 0)
			ev_manifest_member(v, &m);
		else
			ev_tree_member(v, &m, e);
		if (v->o->progress != NULL)
			v->o->progress(v->o->progress_arg, v->members,
			    v->r->size);
	}
	if (v->o->progress != NULL)
		v->o->progress(v->o->progress_arg, UINT64_MAX, UINT64_MAX);
	cs_entry_free(e);
	if (n < 0)
		ev_problem_err(v, &err);
	else if (v->members == 0)
		ev_problem(v, CS_EXIT_DATAERR, "'%s' holds no members",
		    v->shown);
	else if (!v->have_manifest)
		ev_problem(v, CS_EXIT_INTEGRITY, "the manifest '%s' is "
		    "missing (truncated archive?)", CS_SNAP_MANIFEST);
	if (cs_evr_finish(v->r, v->stream, &v->size, &err) != 0)
		ev_problem_err(v, &err);
	cs_err_release(&err);
	return n;
}

/* Which field of member M differs from manifest record R, or NULL. */
static const char *
ev_differs(const struct cs_entry *r, const struct cs_entry *m)
{
	size_t	 i;
	int	 d;

	if (r->type != m->type)
		return "type";
	if (r->mode != m->mode)
		return "mode";
	if (r->uid != m->uid || r->gid != m->gid)
		return "owner";
	if (r->type == CS_T_FILE && !(m->have & CS_F_NLINK) &&
	    r->size != m->size)
		return "size";
	if (r->mtime.sec != m->mtime.sec || r->mtime.nsec != m->mtime.nsec)
		return "mtime";
	if (r->targetlen != m->targetlen || (r->target != NULL &&
	    memcmp(r->target, m->target, r->targetlen) != 0))
		return "link target";
	if (r->rmajor != m->rmajor || r->rminor != m->rminor)
		return "device numbers";
	for (d = 0; d < CS_D_COUNT; d++) {
		if ((r->digests & (1U << d)) == 0)
			continue;
		if ((m->digests & (1U << d)) == 0 || memcmp(r->digest[d],
		    m->digest[d], cs_digest_len((enum cs_digest)d)) != 0)
			return cs_digest_name((enum cs_digest)d);
	}
	if (r->nxattrs != m->nxattrs)
		return "xattrs";
	for (i = 0; i < r->nxattrs; i++) {
		if (strcmp(r->xattrs[i].name, m->xattrs[i].name) != 0 ||
		    r->xattrs[i].len != m->xattrs[i].len ||
		    memcmp(r->xattrs[i].value, m->xattrs[i].value,
		    r->xattrs[i].len) != 0)
			return "xattrs";
	}
	return NULL;
}

/* Does manifest record R have a member?  (Sockets, unread files: no.) */
static int
ev_has_member(const struct cs_entry *r)
{
	if (r->type == CS_T_NONE || r->type == CS_T_SOCK)
		return 0;
	return r->type != CS_T_FILE || r->digests != 0;
}

static void
ev_name_problem(struct ev *v, const struct cs_entry *e, const char *what)
{
	char	*name, *shown;

	name = cs_snap_member_name(e->path, e->pathlen, e->type == CS_T_DIR);
	shown = cs_encode_dup(name);
	ev_problem(v, CS_EXIT_INTEGRITY, "member '%s' %s", shown, what);
	free(shown);
	free(name);
}

/* Merge-join the manifest records with the spooled member records. */
static void
ev_join(struct ev *v, struct cs_blr *b)
{
	struct cs_entry	*r = NULL, *m = cs_entry_new();
	struct cs_err	 err;
	char		*line = NULL, *what;
	const char	*why, *f;
	size_t		 cap = 0;
	ssize_t		 n = 0;
	int		 rn, cmp, have_m = 0;

	cs_err_init(&err);
	rewind(v->spool);
	rn = cs_blr_next(b, &r, &err);
	for (;;) {
		if (!have_m && (n = getline(&line, &cap, v->spool)) > 0) {
			if (cs_bl_parse(line, (size_t)n - 1, m, &why) != 0) {
				ev_problem(v, CS_EXIT_SOFTWARE, "internal "
				    "spool: %s", why);
				break;
			}
			have_m = 1;
		}
		if (rn != 1 && !have_m)
			break;
		if (rn == 1)
			v->records++;
		cmp = rn != 1 ? 1 : !have_m ? -1 :
		    cs_path_cmp(r->path, r->pathlen, m->path, m->pathlen);
		if (cmp < 0 && ev_has_member(r))
			ev_name_problem(v, r, "is in the manifest but not in "
			    "the archive (removed)");
		else if (cmp > 0)
			ev_name_problem(v, m, "is not in the manifest (added)");
		else if (cmp == 0 && (f = ev_differs(r, m)) != NULL) {
			what = cs_xasprintf("differs from the manifest in %s "
			    "(altered)", f);
			ev_name_problem(v, m, what);
			free(what);
		}
		if (cmp >= 0)
			have_m = 0;
		if (cmp <= 0) {
			cs_entry_free(r);
			r = NULL;
			rn = cs_blr_next(b, &r, &err);
		}
	}
	if (rn < 0)
		ev_problem(v, CS_EXIT_INTEGRITY, "member '%s': %s (altered)",
		    CS_SNAP_MANIFEST, err.msg != NULL ? err.msg : "bad record");
	cs_entry_free(r);
	cs_entry_free(m);
	free(line);
	cs_err_release(&err);
}

static void
ev_manifest(struct ev *v)
{
	struct cs_blr	*b;
	struct cs_err	 err;
	const char	*c1, *c2;
	char		*path;

	if (!v->have_manifest)
		return;
	cs_err_init(&err);
	path = cs_xasprintf("/proc/self/fd/%d", v->mfd);
	b = cs_blr_open(path, &err);
	free(path);
	if (b == NULL) {
		ev_problem(v, err.code == CS_EXIT_DATAERR ? CS_EXIT_INTEGRITY :
		    err.code, "member '%s': %s", CS_SNAP_MANIFEST, err.msg);
		cs_err_release(&err);
		return;
	}
	v->manifest_sig = ev_signature(v, cs_blr_trailer(b),
	    CS_SNAP_MANIFEST);
	c1 = cs_bl_header_get(cs_blr_header(b), "case");
	c2 = v->have_start ? cs_custody_get(&v->start, "case") : NULL;
	if (c1 == NULL || c2 == NULL || strcmp(c1, c2) != 0)
		ev_problem(v, CS_EXIT_INTEGRITY, "member '%s': field 'case' "
		    "does not match the custody record", CS_SNAP_MANIFEST);
	ev_join(v, b);
	cs_blr_close(b);
	cs_err_release(&err);
}

/* The sidecar must belong to this archive and hold its stream digest. */
static void
ev_sidecar(struct ev *v)
{
	static const char *const same[] = { "case", "label", "operator",
	    "host", "started", "source" };
	const char	*path = v->o->custody, *a, *b, *st;
	struct cs_err	 err;
	char		*def = NULL, *shown, hex[2 * CS_DIGEST_MAXLEN + 1];
	char		 key[64];
	size_t		 i;
	int		 d;

	cs_err_init(&err);
	if (path == NULL)
		path = def = cs_xasprintf("%s.custody", v->o->file);
	shown = cs_encode_dup(path);
	if (cs_custody_load(&v->side, path, &err) != 0) {
		if (err.code == CS_EXIT_NOINPUT)
			ev_problem(v, CS_EXIT_NOINPUT, "custody record missing: "
			    "cannot open '%s' (give --custody FILE)", shown);
		else
			ev_problem_err(v, &err);
		goto out;
	}
	v->have_side = 1;
	(void)ev_signature(v, &v->side.tr, path);
	for (i = 0; i < CS_NELEM(same) && v->have_start; i++) {
		a = cs_custody_get(&v->start, same[i]);
		b = cs_custody_get(&v->side, same[i]);
		if ((a == NULL) != (b == NULL) || (a != NULL &&
		    strcmp(a, b) != 0))
			ev_problem(v, CS_EXIT_INTEGRITY, "custody record: "
			    "field '%s' does not match the archive's first "
			    "member (wrong custody record?)", same[i]);
	}
	st = cs_custody_get(&v->side, "stream-size");
	(void)snprintf(key, sizeof key, "%" PRIu64, v->size);
	if (st == NULL || strcmp(st, key) != 0)
		ev_problem(v, CS_EXIT_INTEGRITY, "custody record: field "
		    "'stream-size' is %s, the archive has %" PRIu64 " bytes",
		    st != NULL ? st : "missing", v->size);
	for (d = 0; d < CS_D_COUNT; d++) {
		(void)snprintf(key, sizeof key, "stream-%s",
		    cs_digest_name((enum cs_digest)d));
		if ((a = cs_custody_get(&v->side, key)) == NULL)
			continue;
		if (d != CS_D_SHA256)
			continue;	/* SHA-256 is the one checked */
		cs_hex(v->stream[d], cs_digest_len((enum cs_digest)d), hex);
		if (strcmp(a, hex) != 0)
			ev_problem(v, CS_EXIT_INTEGRITY, "custody record: "
			    "field '%s' does not match the archive's digest "
			    "%s (the archive was altered)", key, hex);
	}
	if (cs_custody_get(&v->side, "stream-sha256") == NULL)
		ev_problem(v, CS_EXIT_INTEGRITY, "custody record: field "
		    "'stream-sha256' is missing");
	st = cs_custody_get(&v->side, "status");
	if (st == NULL || (strcmp(st, "complete") != 0 &&
	    strcmp(st, "incomplete") != 0))
		ev_problem(v, CS_EXIT_INTEGRITY, "custody record: field "
		    "'status' is '%s': NOT a complete snapshot",
		    st != NULL ? st : "missing");
out:
	free(shown);
	free(def);
	cs_err_release(&err);
}

static void
ev_field(const char *k, const char *val)
{
	char	*shown = cs_encode_dup(val != NULL ? val : "(none)");

	printf("%-16s %s\n", k, shown);
	free(shown);
}

static void
ev_report(const struct ev *v)
{
	const struct cs_custody	*c = v->have_side ? &v->side : &v->start;
	char			 hex[65];

	if (v->o->quiet)
		return;
	ev_field("file:", v->o->file);
	printf("%-16s %s\n", "format:", "custos evidence tar 1");
	ev_field("case:", cs_custody_get(c, "case"));
	ev_field("label:", cs_custody_get(c, "label"));
	ev_field("operator:", cs_custody_get(c, "operator"));
	ev_field("host:", cs_custody_get(c, "host"));
	ev_field("started:", cs_custody_get(c, "started"));
	ev_field("finished:", cs_custody_get(c, "finished"));
	ev_field("status:", cs_custody_get(c, "status"));
	printf("%-16s %" PRIu64 " (%" PRIu64 " manifest records)\n",
	    "members:", v->members, v->records);
	cs_hex(v->stream[CS_D_SHA256], 32, hex);
	printf("%-16s %s (%" PRIu64 " bytes)\n", "stream sha256:", hex,
	    v->size);
	printf("%-16s %s\n", "custody sig:", v->custody_sig != NULL ?
	    v->custody_sig : "not checked");
	printf("%-16s %s\n", "manifest sig:", v->manifest_sig != NULL ?
	    v->manifest_sig : "not checked");
	printf("%-16s %s\n", "result:", v->problems == 0 ? "VALID" :
	    "DOES NOT VERIFY");
}

int
cs_evidence_verify(const struct cs_evidence_opts *o, struct cs_err *err)
{
	struct ev	 v;
	const char	*st;
	int		 rc = -1;

	memset(&v, 0, sizeof v);
	v.o = o;
	v.mfd = -1;
	v.shown = cs_encode_dup(o->file);
	if ((v.r = cs_evr_open(o->file, (1U << CS_D_COUNT) - 1, err)) ==
	    NULL)
		goto out;
	if ((v.spool = tmpfile()) == NULL) {
		cs_err_set(err, CS_EXIT_CANTCREAT, errno, "cannot create a "
		    "temporary file");
		goto out;
	}
	(void)ev_members(&v);
	ev_manifest(&v);
	ev_sidecar(&v);
	ev_report(&v);
	if (v.problems > 0) {
		cs_err_set(err, v.code != 0 ? v.code : CS_EXIT_INTEGRITY, 0,
		    "'%s' DOES NOT VERIFY (%u problem%s, listed above)",
		    v.shown, v.problems, v.problems == 1 ? "" : "s");
		goto out;
	}
	st = cs_custody_get(&v.side, "status");
	rc = st != NULL && strcmp(st, "incomplete") == 0 ?
	    CS_EXIT_INCOMPLETE : CS_EXIT_OK;
out:
	if (v.spool != NULL)
		fclose(v.spool);
	if (v.mfd >= 0)
		close(v.mfd);
	cs_custody_release(&v.start);
	cs_custody_release(&v.side);
	cs_evr_close(v.r);
	free(v.prev);
	free(v.shown);
	return rc;
}
