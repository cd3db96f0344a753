/*
 * readahead.c: reading regular files for the evidence tar (readahead.h).
 *
 * Files with at most RA_MAX bytes of data are read and hashed by the
 * walk's workers, while at most RA_BUDGET bytes wait for the writer; the
 * rest are read by the writer itself, RA_CHUNK bytes at a time.
 *
 * Invariants: a file with fewer blocks than its size needs is asked for
 * its extents (SEEK_DATA/SEEK_HOLE); any other, or one on a filesystem
 * that cannot say, is one extent; a short read is recorded on the record
 * and the rest of the extent is zeros; the budget is given back exactly
 * when the bytes read ahead are freed.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/readahead.h"
#include "custos/xmalloc.h"

#define RA_CHUNK	(1024 * 1024)
#define RA_MAX		(4U * 1024 * 1024)
#define RA_BUDGET	(32U * 1024 * 1024)
#define RA_HOLE		(8U * 1024 * 1024)	/* zeros given at once */

void
cs_readahead_init(struct cs_readahead *ra, uint64_t inline_max,
    unsigned digests)
{
	memset(ra, 0, sizeof *ra);
	ra->inline_max = inline_max;
	ra->digests = digests;
	atomic_init(&ra->pending, 0);
}

void
cs_readahead_release(struct cs_readahead *ra)
{
	free(ra->segs.v);
	free(ra->buf);
	free(ra->zeros);
	ra->segs.v = NULL;
	ra->buf = NULL;
	ra->zeros = NULL;
	ra->bufcap = 0;
}

unsigned char *
cs_readahead_buf(struct cs_readahead *ra, size_t n)
{
	if (n > ra->bufcap) {
		free(ra->buf);
		ra->bufcap = n;
		ra->buf = cs_xmalloc(ra->bufcap);
	}
	return ra->buf;
}

static void
ra_add_seg(struct cs_readahead_segs *sg, uint64_t off, uint64_t len)
{
	if (len == 0)
		return;
	if (sg->n == sg->cap) {
		sg->cap = sg->cap ? 2 * sg->cap : 16;
		sg->v = cs_xreallocarray(sg->v, sg->cap, sizeof *sg->v);
	}
	sg->v[sg->n].off = off;
	sg->v[sg->n].len = len;
	sg->n++;
}

int
cs_readahead_extents(struct cs_readahead_segs *sg, const struct cs_entry *e,
    int fd)
{
	off_t	 d, h;
	uint64_t off = 0, size = e->size;

	sg->n = 0;
	if (e->blocks >= (size + 511) / 512) {
		ra_add_seg(sg, 0, size);
		return 0;
	}
	while (off < size) {
		d = lseek(fd, (off_t)off, SEEK_DATA);
		if (d < 0 && errno == ENXIO)
			break;		/* a hole to the end */
		if (d < 0) {
			sg->n = 0;	/* not supported: all data */
			ra_add_seg(sg, 0, size);
			return 0;
		}
		h = lseek(fd, d, SEEK_HOLE);
		if (h < 0 || (uint64_t)h > size)
			h = (off_t)size;
		if ((uint64_t)d >= size)
			break;
		ra_add_seg(sg, (uint64_t)d, (uint64_t)(h - d));
		off = (uint64_t)h;
	}
	if (sg->n == 1 && sg->v[0].off == 0 && sg->v[0].len == size)
		return 0;
	return size > 0;
}

uint64_t
cs_readahead_datalen(const struct cs_readahead_segs *sg)
{
	uint64_t n = 0;
	size_t	 i;

	for (i = 0; i < sg->n; i++)
		n += sg->v[i].len;
	return n;
}

int
cs_readahead_zdigest(int fd, const struct cs_readahead_segs *sg,
    uint64_t size, unsigned char *buf, size_t bufsize, unsigned char *out,
    uint64_t *n)
{
	struct cs_zhasher	*z;
	uint64_t		 off, end;
	size_t			 i, want;
	ssize_t			 r;
	int			 rc = -1;

	*n = 0;
	if ((z = cs_zhasher_new()) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	cs_zhasher_begin(z, size);
	for (i = 0; i < sg->n; i++) {
		off = sg->v[i].off;
		for (end = off + sg->v[i].len; off < end; off += (uint64_t)r) {
			want = end - off < bufsize ? (size_t)(end - off) :
			    bufsize;
			r = pread(fd, buf, want, (off_t)off);
			if (r < 0 && errno == EINTR) {
				r = 0;
				continue;
			}
			if (r < 0)
				goto out;
			if (r == 0 ||
			    cs_zhasher_update(z, off, buf, (size_t)r) != 0) {
				rc = 0;		/* shrank: the count says so */
				goto out;
			}
			*n += (uint64_t)r;
		}
	}
	cs_zhasher_end(z, out);
	rc = 0;
out:
	cs_zhasher_free(z);
	return rc;
}

/*
 * Feed N zero bytes to H (if not NULL) and to OUT (if not NULL), to OUT
 * in large pieces (a writer of a sparse member skips them): a hole of a
 * terabyte is a few hundred thousand calls, and no page is touched.
 */
static int
ra_zero_fill(struct cs_readahead *ra, struct cs_hasher *h, uint64_t n,
    cs_readahead_out *out, void *arg)
{
	size_t	 k;

	if (h != NULL)
		cs_hasher_zeros(h, n);
	if (out == NULL || n == 0)
		return 0;
	if (ra->zeros == NULL)
		ra->zeros = cs_xcalloc(1, RA_HOLE);
	for (; n > 0; n -= k) {
		k = n < RA_HOLE ? (size_t)n : RA_HOLE;
		if (out(arg, ra->zeros, k) != 0)
			return -1;
	}
	return 0;
}

/*
 * Read up to N bytes at OFF into P.  A short count (the file shrank, or
 * a read error) is recorded on E; the rest is the caller's to zero.
 */
static size_t
ra_pread(struct cs_entry *e, int fd, void *p, size_t n, uint64_t off)
{
	size_t	 got = 0;
	ssize_t	 r;

	while (got < n) {
		r = pread(fd, (char *)p + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			cs_entry_add_error(e, "read error at offset %" PRIu64
			    ": %s", off + got, strerror(errno));
			break;
		}
		if (r == 0) {
			cs_entry_add_error(e, "shrank while being read "
			    "(%" PRIu64 " bytes archived as zeros)",
			    (uint64_t)(n - got));
			break;
		}
		got += (size_t)r;
	}
	return got;
}

uint64_t
cs_readahead_read(struct cs_entry *e, int fd,
    const struct cs_readahead_segs *sg, unsigned char *buf)
{
	size_t	 i, at = 0, got;
	uint64_t read = 0;

	for (i = 0; i < sg->n; i++) {
		got = ra_pread(e, fd, buf + at, (size_t)sg->v[i].len,
		    sg->v[i].off);
		memset(buf + at + got, 0, (size_t)sg->v[i].len - got);
		read += got;
		at += (size_t)sg->v[i].len;
	}
	return read;
}

/*
 * cs_readahead_content, the data through H or through the zero-run
 * digest Z (either may be NULL).
 */
static int
ra_content(struct cs_readahead *ra, struct cs_hasher *h, struct cs_zhasher *z,
    struct cs_entry *e, int fd, const struct cs_readahead_segs *sg,
    const unsigned char *data, cs_readahead_out *out, void *arg,
    uint64_t *readp)
{
	const unsigned char *p;
	unsigned char	*buf;
	uint64_t	 pos = 0, left;
	size_t		 i, at = 0, k, got;

	for (i = 0; i < sg->n; i++) {
		if (ra_zero_fill(ra, h, sg->v[i].off - pos, out, arg) != 0)
			return -1;
		pos = sg->v[i].off;
		for (left = sg->v[i].len; left > 0; left -= k) {
			k = left < RA_CHUNK ? (size_t)left : RA_CHUNK;
			if (data != NULL) {
				p = data + at;
			} else {
				buf = k > ra->bufcap ?
				    cs_readahead_buf(ra, RA_CHUNK) : ra->buf;
				got = ra_pread(e, fd, buf, k, pos);
				memset(buf + got, 0, k - got);
				*readp += got;
				p = buf;
			}
			if (h != NULL)
				cs_hasher_update(h, p, k);
			/* extents grow and end within the size */
			if (z != NULL)
				(void)cs_zhasher_update(z, pos, p, k);
			if (out != NULL && out(arg, p, k) != 0)
				return -1;
			at += k;
			pos += k;
		}
	}
	return ra_zero_fill(ra, h, e->size - pos, out, arg);
}

int
cs_readahead_content(struct cs_readahead *ra, struct cs_hasher *h,
    struct cs_entry *e, int fd, const struct cs_readahead_segs *sg,
    const unsigned char *data, cs_readahead_out *out, void *arg,
    uint64_t *readp)
{
	return ra_content(ra, h, NULL, e, fd, sg, data, out, arg, readp);
}

int
cs_readahead_zcontent(struct cs_readahead *ra, struct cs_zhasher *z,
    struct cs_entry *e, int fd, const struct cs_readahead_segs *sg,
    cs_readahead_out *out, void *arg, uint64_t *readp)
{
	return ra_content(ra, NULL, z, e, fd, sg, NULL, out, arg, readp);
}

void
cs_readahead_check_changed(struct cs_entry *e, int fd)
{
	struct stat	 st;

	if (fstat(fd, &st) != 0)
		return;
	if ((uint64_t)st.st_size != e->size ||
	    st.st_mtim.tv_sec != e->mtime.sec ||
	    (uint32_t)st.st_mtim.tv_nsec != e->mtime.nsec)
		cs_entry_add_error(e, "changed while being read (archived "
		    "as read, %" PRIu64 " bytes)", e->size);
}

void
cs_readahead_file_free(struct cs_readahead_file *p)
{
	if (p == NULL)
		return;
	atomic_fetch_sub(p->budget, p->datalen);
	free(p->segs.v);
	free(p);
}

/*
 * Read ahead (on a walk worker): a regular file E, open as FD, with
 * little enough data to fit the budget is read into memory and hashed
 * here, so the writer only has to archive it.  Anything else is left to
 * the writer.
 */
struct cs_readahead_file *
cs_readahead_prefetch(struct cs_readahead *ra, struct cs_entry *e, int fd,
    struct cs_hasher *h)
{
	struct cs_readahead_file *p;
	struct cs_readahead_segs  sg = { NULL, 0, 0 };
	uint64_t		  datalen, limit = ra->inline_max;
	int			  sparse;

	if (e->size > RA_MAX || e->size > limit)
		return NULL;
	sparse = cs_readahead_extents(&sg, e, fd);
	datalen = cs_readahead_datalen(&sg);	/* <= e->size <= RA_MAX */
	if (datalen > limit || atomic_fetch_add(&ra->pending, datalen) +
	    datalen > RA_BUDGET) {
		if (datalen <= limit)
			atomic_fetch_sub(&ra->pending, datalen);
		free(sg.v);
		return NULL;
	}
	p = cs_xmalloc(sizeof *p + (size_t)datalen);
	p->segs = sg;
	p->sparse = sparse;
	p->datalen = datalen;
	p->nread = 0;
	p->budget = &ra->pending;
	p->nread = cs_readahead_read(e, fd, &p->segs, p->data);
	cs_readahead_check_changed(e, fd);
	cs_hasher_begin(h);
	(void)cs_readahead_content(ra, h, e, fd, &p->segs, p->data, NULL,
	    NULL, &p->nread);
	cs_hasher_end(h, e->digest);
	e->digests = ra->digests;
	return p;
}
