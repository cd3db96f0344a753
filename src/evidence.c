/*
 * evidence.c: read evidence tars (evidence.h).
 *
 * The reader feeds libarchive from a read callback that passes every byte
 * through the stream hasher, and never seeks, so the stream digest covers
 * exactly the bytes of the file; opened for headers only (a regular
 * file), it seeks over member content and hashes nothing.  Before any
 * member content is read, its logical size (a sparse member's holes
 * count, unless it gets a sha256z) is checked against the limits set,
 * and a compressed tar or another archive is refused by name when the
 * reader is opened.  A sparse member that the walk's rule
 * (cs_zdigest_wanted) gives a zero-run digest is digested from the data
 * blocks libarchive hands out, whose offsets say where the holes are:
 * its cost is its data.  Each member's own pax header is read again to find the CUSTOS.<digest> keywords, which libarchive does not
 * expose: with pread at the header's offset, or, from a pipe or tape,
 * out of the last two blocks read, which the reader keeps (it reads into
 * two buffers in turn; libarchive holds on to the last one only).
 *
 * The verifier built on this reader is in evidence_verify.c.
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
#include "custos/pax.h"
#include "custos/sign.h"
#include "custos/snapshot.h"
#include "custos/tarprobe.h"
#include "custos/xmalloc.h"

#define EVR_BUF		(1024 * 1024)
#define EVR_PAXMAX	(16 * 1024 * 1024)

struct cs_evr {
	int			 fd;
	char			*shown;
	struct archive		*a;
	unsigned char		*buf;		/* the block being read */
	unsigned char		*bufs[2];
	uint64_t		 boff[2];	/* their stream offsets */
	size_t			 blen[2];
	int			 cur;
	struct cs_hasher	*stream;
	uint64_t		 size;
	struct cs_hasher	*mh;
	struct cs_zhasher	*zh;		/* made when first needed */
	unsigned		 mask;
	uint64_t		 index;
	char			*last;		/* last good member, escaped */
	int			 rerr;
	int			 hdrs;		/* seeks over content, no stream
						   digest */
	uint64_t		 max_member;	/* logical sizes, 0: no limit */
	uint64_t		 max_total;
	uint64_t		 total;
	off_t			 fsize;		/* a file's size (HDRS) */
};

/* libarchive's message, which may be NULL. */
static const char *
evr_error(struct archive *a)
{
	const char	*s = archive_error_string(a);

	return s != NULL ? s : "unknown error";
}

int
cs_evidence_is_tar(const char *path)
{
	struct cs_tarprobe	 p;

	return cs_tarprobe(path, &p) != CS_TARPROBE_NONE;
}

static la_ssize_t
evr_read_cb(struct archive *a, void *arg, const void **p)
{
	struct cs_evr	*r = arg;
	ssize_t		 n;

	r->cur ^= 1;
	r->buf = r->bufs[r->cur];
	r->blen[r->cur] = 0;
	r->boff[r->cur] = r->size;
	do
		n = read(r->fd, r->buf, EVR_BUF);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r->rerr = errno;
		archive_set_error(a, errno, "read error");
		return -1;
	}
	if (!r->hdrs)
		cs_hasher_update(r->stream, r->buf, (size_t)n);
	r->size += (uint64_t)n;
	r->blen[r->cur] = (size_t)n;
	*p = r->buf;
	return n;
}

/* Headers only: libarchive seeks over content instead of reading it. */
static la_int64_t
evr_seek_cb(struct archive *a, void *arg, la_int64_t off, int whence)
{
	struct cs_evr	*r = arg;
	off_t		 pos;

	if ((pos = lseek(r->fd, (off_t)off, whence)) < 0) {
		r->rerr = errno;
		return ARCHIVE_FATAL;
	}
	if (pos > r->fsize) {	/* content past the end: truncated */
		archive_set_error(a, EIO, "truncated archive (content past "
		    "the end of the file)");
		return ARCHIVE_FATAL;
	}
	r->size = (uint64_t)pos;
	return (la_int64_t)pos;
}

/*
 * Refuse what is not a plain tar, naming what it is: a regular file is
 * probed (tarprobe.h); a stream's compression is seen once it is open.
 */
static int
evr_refuse(struct cs_evr *r, const char *path, const struct stat *st,
    struct cs_err *err)
{
	struct cs_tarprobe	 p;
	char			*msg;

	if (r->a == NULL)
		(void)cs_tarprobe(path, &p);
	else if (S_ISREG(st->st_mode))
		return 0;
	else
		cs_tarprobe_reader(r->a, 0, &p);
	if ((msg = cs_tarprobe_refusal(&p, r->shown)) == NULL)
		return 0;
	cs_err_set(err, CS_EXIT_DATAERR, 0, "%s", msg);
	free(msg);
	return -1;
}

/* Open PATH, hashing the stream unless HDRS (then seeking). */
static struct cs_evr *
evr_open(const char *path, unsigned digests, int hdrs, struct cs_err *err)
{
	struct cs_evr	*r;
	struct stat	 st;

	r = cs_xcalloc(1, sizeof *r);
	r->shown = cs_encode_dup(path);
	r->last = cs_xstrdup("(none: the first header)");
	/* A pipe, FIFO or tape named by the user is read blocking. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	else
		r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
		    O_NONBLOCK);
	if (r->fd < 0 || fstat(r->fd, &st) != 0) {
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open '%s'",
		    r->shown);
		goto fail;
	}
	if (S_ISREG(st.st_mode) && evr_refuse(r, path, &st, err) != 0)
		goto fail;
	r->hdrs = hdrs && S_ISREG(st.st_mode);
	r->fsize = st.st_size;
	r->bufs[0] = cs_xmalloc(EVR_BUF);
	r->bufs[1] = cs_xmalloc(EVR_BUF);
	r->buf = r->bufs[0];
	r->mask = digests | CS_DIGEST_DEFAULT;
	r->stream = cs_hasher_new(CS_DIGEST_DEFAULT, 4096);
	r->mh = cs_hasher_new(r->mask, 4096);
	r->a = archive_read_new();
	if (r->stream == NULL || r->mh == NULL || r->a == NULL) {
		cs_err_set(err, CS_EXIT_SOFTWARE, 0, "cannot start reading");
		goto fail;
	}
	cs_hasher_begin(r->stream);
	cs_tarprobe_filters(r->a);
	archive_read_support_format_tar(r->a);
	if (r->hdrs)
		archive_read_set_seek_callback(r->a, evr_seek_cb);
	if (archive_read_open(r->a, r, NULL, evr_read_cb, NULL) !=
	    ARCHIVE_OK) {
		cs_err_set(err, CS_EXIT_DATAERR, r->rerr, "'%s' is not a tar "
		    "archive: %s", r->shown, evr_error(r->a));
		goto fail;
	}
	if (evr_refuse(r, path, &st, err) != 0)
		goto fail;
	return r;
fail:
	cs_evr_close(r);
	return NULL;
}

struct cs_evr *
cs_evr_open(const char *path, unsigned digests, struct cs_err *err)
{
	return evr_open(path, digests, 0, err);
}

struct cs_evr *
cs_evr_open_headers(const char *path, struct cs_err *err)
{
	return evr_open(path, 0, 1, err);
}

void
cs_evr_set_limits(struct cs_evr *r, uint64_t member, uint64_t total)
{
	r->max_member = member;
	r->max_total = total;
}

int
cs_evidence_limit_parse(const char *s, uint64_t *vp, struct cs_err *err)
{
	static const char units[] = "KMGT";
	const char	*u;
	uint64_t	 v = 0;
	unsigned	 shift = 0;
	size_t		 i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			goto bad;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == 0)
		goto bad;
	if (s[i] != '\0') {
		if ((u = strchr(units, s[i])) == NULL || s[i + 1] != '\0')
			goto bad;
		shift = 10 * (unsigned)(u - units + 1);
		if (v > UINT64_MAX >> shift)
			goto bad;
	}
	v <<= shift;
	*vp = v == 0 ? UINT64_MAX : v;
	return 0;
bad:
	return cs_err_set(err, CS_EXIT_USAGE, 0, "bad size '%s' (a number "
	    "of bytes, with K, M, G or T)", s);
}

void
cs_evidence_limits(const struct cs_evidence_opts *o, uint64_t *member,
    uint64_t *total)
{
	*member = o->max_member == 0 ? CS_EVIDENCE_MAX_MEMBER :
	    o->max_member == UINT64_MAX ? 0 : o->max_member;
	*total = o->max_total == 0 ? CS_EVIDENCE_MAX_TOTAL :
	    o->max_total == UINT64_MAX ? 0 : o->max_total;
}

int
cs_evr_format(const struct cs_evr *r)
{
	return archive_format(r->a);
}

int
cs_evidence_stream_digest(const struct cs_evidence_opts *o,
    unsigned char d[][CS_DIGEST_MAXLEN], uint64_t *sizep, struct cs_err *err)
{
	struct cs_hasher	*h;
	char			*shown;
	uint64_t		 n, total = 0;
	int			 fd, rc = -1;

	shown = cs_encode_dup(o->file);
	h = cs_hasher_new(CS_DIGEST_DEFAULT, EVR_BUF);
	fd = open(o->file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (h == NULL) {
		cs_err_set(err, CS_EXIT_SOFTWARE, 0, "cannot start reading");
		goto out;
	}
	if (fd < 0) {
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open '%s'",
		    shown);
		goto out;
	}
	cs_hasher_begin(h);
	do {
		if (cs_hasher_read(h, fd, 64 * EVR_BUF, &n) != 0) {
			cs_err_set(err, CS_EXIT_IOERR, errno, "cannot read "
			    "'%s'", shown);
			goto out;
		}
		total += n;
		if (o->progress != NULL)
			o->progress(o->progress_arg, 0, total);
	} while (n > 0);
	cs_hasher_end(h, d);
	*sizep = total;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	cs_hasher_free(h);
	free(shown);
	return rc;
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

/* N bytes at OFF of the stream, from the file or the blocks kept. */
static int
evr_get(struct cs_evr *r, unsigned char *dst, size_t n, int64_t off)
{
	uint64_t	 pos = (uint64_t)off, lo, hi;
	size_t		 k;
	int		 i, b;

	if (pread(r->fd, dst, n, off) == (ssize_t)n)
		return 0;
	for (i = 1; i >= 0 && n > 0; i--) {	/* the older block first */
		b = r->cur ^ i;
		lo = r->boff[b];
		hi = lo + r->blen[b];
		if (pos < lo || pos >= hi)
			continue;
		k = hi - pos < n ? (size_t)(hi - pos) : n;
		memcpy(dst, r->bufs[b] + (pos - lo), k);
		dst += k;
		pos += k;
		n -= k;
	}
	return n == 0 ? 0 : -1;
}

/* The CUSTOS.<digest> keywords of the header at OFF. */
static void
evr_header_digests(struct cs_evr *r, int64_t off, struct cs_evm *m)
{
	unsigned char	 h[512];
	char		*rec = NULL;
	uint64_t	 size = 0;
	size_t		 i;

	m->hdigests = 0;
	if (off < 0 || evr_get(r, h, 512, off) != 0 || h[156] != 'x')
		return;
	for (i = 124; i < 136 && h[i] >= '0' && h[i] <= '7'; i++)
		size = size * 8 + (uint64_t)(h[i] - '0');
	if (size == 0 || size > EVR_PAXMAX)
		return;
	rec = cs_xmalloc((size_t)size);
	if (evr_get(r, (unsigned char *)rec, (size_t)size, off + 512) != 0)
		goto out;
	m->hdigests = cs_pax_find_digests(rec, (size_t)size, m->hdigest);
out:
	free(rec);
}

/*
 * Does member M of SIZE bytes get a zero-run digest?  It does if it is
 * sparse and its map's data (lengths added up) pass the walk's rule;
 * then its bytes of data (at least 1, the bound to check), else 0.
 */
static uint64_t
evr_zdata(const struct cs_evm *m, uint64_t size)
{
	la_int64_t	 off, len;
	uint64_t	 data = 0;

	if (archive_entry_sparse_reset(m->ae) == 0)
		return 0;
	while (archive_entry_sparse_next(m->ae, &off, &len) == ARCHIVE_OK) {
		if (len > 0)
			data += (uint64_t)len;
		if (data > size)
			return 0;
	}
	return cs_zdigest_wanted(size, data) ? (data > 0 ? data : 1) : 0;
}

/*
 * Is member M within the limits, before any of its content is read: its
 * logical SIZE, holes included, even for a member digested by its data
 * (a tar no manifest vouches for declares no more than the limits allow,
 * whatever it costs to read)?  A kept member (KEEPMAX not 0: the custody record, the manifest)
 * has its own bound instead, and is never sparse: its holes would be
 * hashed for nothing (its size is then its bytes in the archive).
 */
static int
evr_bounds(struct cs_evr *r, const struct cs_evm *m, uint64_t size,
    uint64_t keepmax, struct cs_err *err)
{
	if (keepmax != 0) {
		if (size <= keepmax && archive_entry_sparse_count(m->ae) == 0)
			return 0;
		return cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s': member "
		    "'%s' declares %" PRIu64 " bytes%s (altered)", r->shown,
		    m->name, size, size > keepmax ? ", too many" :
		    " stored sparse");
	}
	if (r->max_member != 0 && size > r->max_member)
		return cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s': member "
		    "'%s' declares %" PRIu64 " bytes, over the limit of %"
		    PRIu64 " for one member of a tar that no signed manifest "
		    "vouches for (--max-member-size): refused", r->shown,
		    m->name, size,
		    r->max_member);
	r->total += size;
	if (r->max_total != 0 && (r->total > r->max_total || r->total < size))
		return cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s': member "
		    "'%s' brings the members' sizes over the limit of %"
		    PRIu64 " bytes for a tar that no signed manifest vouches "
		    "for (--max-total-size): refused", r->shown, m->name,
		    r->max_total);
	return 0;
}

/*
 * Take a data block of N bytes at P, offset OFF, into the digests: -1 if
 * it is not after the last one or ends beyond the member's SIZE (-1: not
 * set, then no hole is allowed), as a hostile sparse map can make them.
 */
static int
evr_hash_block(struct cs_evr *r, int z, la_int64_t *pos, la_int64_t size,
    const void *p, size_t n, la_int64_t off)
{
	if (z)
		return cs_zhasher_update(r->zh, (uint64_t)off, p, n);
	if (off < *pos || (size < 0 ? off != *pos : off > size ||
	    n > (uint64_t)(size - off)))
		return -1;
	if (off > *pos)
		cs_hasher_zeros(r->mh, (uint64_t)(off - *pos));
	cs_hasher_update(r->mh, p, n);
	*pos = off + (la_int64_t)n;
	return 0;
}

/* Start the member's digests: zero-run (Z) or whole content. */
static int
evr_hash_begin(struct cs_evr *r, int z, uint64_t size, struct cs_err *err)
{
	if (!z) {
		cs_hasher_begin(r->mh);
		return 0;
	}
	if (r->zh == NULL && (r->zh = cs_zhasher_new()) == NULL)
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "no SHA-256");
	cs_zhasher_begin(r->zh, size);
	return 0;
}

/*
 * Hash the member's content (holes as zeros, or its zero-run digest),
 * keeping it if asked.
 */
static int
evr_content(struct cs_evr *r, struct cs_evm *m, struct cs_buf *keep,
    size_t keepmax, int keepfd, struct cs_err *err)
{
	const void	*p;
	size_t		 n;
	la_int64_t	 off, pos = 0, size;
	uint64_t	 zdata, lsize;
	int		 rc;

	size = archive_entry_size_is_set(m->ae) ? archive_entry_size(m->ae) :
	    -1;
	lsize = size < 0 ? 0 : (uint64_t)size;
	zdata = keep == NULL && keepfd < 0 ? evr_zdata(m, lsize) : 0;
	if (evr_bounds(r, m, lsize, keep != NULL ? keepmax :
	    keepfd >= 0 ? UINT64_MAX : 0, err) != 0 ||
	    evr_hash_begin(r, zdata != 0, lsize, err) != 0)
		return -1;
	while ((rc = archive_read_data_block(r->a, &p, &n, &off)) ==
	    ARCHIVE_OK) {
		if (evr_hash_block(r, zdata != 0, &pos, size, p, n, off) != 0)
			return cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s': "
			    "member '%s' has data out of order or beyond its "
			    "size (damaged sparse map)", r->shown, m->name);
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
		    r->shown, m->name, evr_error(r->a));
	if (zdata != 0) {
		cs_zhasher_end(r->zh, m->zdigest);
		m->has_zdigest = 1;
		return 0;
	}
	if (size > pos)
		cs_hasher_zeros(r->mh, (uint64_t)(size - pos));
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
		    r->shown, r->last, evr_error(r->a));
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
cs_evr_skip(struct cs_evr *r, const struct cs_evm *m, struct cs_err *err)
{
	if (archive_read_data_skip(r->a) != ARCHIVE_OK)
		return cs_err_set(err, CS_EXIT_INTEGRITY, r->rerr, "'%s': "
		    "archive truncated or damaged in member '%s': %s",
		    r->shown, m->name, evr_error(r->a));
	return 0;
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

uint64_t
cs_evr_bytes(const struct cs_evr *r)
{
	return r->size;
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
	cs_zhasher_free(r->zh);
	free(r->bufs[0]);
	free(r->bufs[1]);
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
	char	*path;
	size_t	 len;

	cs_entry_clear(e);
	if (cs_snap_member_path(archive_entry_pathname(m->ae), &path,
	    &len) != 0)
		return -1;
	e->path = path;
	e->pathlen = len;
	cs_evidence_attrs(m, e);
	return 0;
}

void
cs_evidence_attrs(const struct cs_evm *m, struct cs_entry *e)
{
	struct archive_entry	*ae = m->ae;
	const char		*s, *name;
	const void		*v;
	size_t			 vn, i;

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
	if (e->type == CS_T_FILE && m->has_zdigest) {
		memcpy(e->zdigest, m->zdigest, sizeof e->zdigest);
		e->have |= CS_F_ZDIGEST;
	}
}
