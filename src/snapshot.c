/*
 * snapshot.c: write an evidence tar (snapshot.h, doc/custos-evidence.5).
 *
 * Layers, from the bottom: the output (a new file, standard output or a
 * tape), written in fixed blocks, every byte through the stream hasher;
 * libarchive's pax writer, unblocked, whose header bytes for each member
 * are captured so that the member's digests can be added to its extended
 * header; the walk, whose regular files come with an open descriptor and
 * are read exactly once, hashed while archived.  Files up to inline_max
 * bytes of data are read before their header is written, so the header
 * carries their digests; larger files are streamed, and their digests
 * are in the manifest only.
 *
 * Invariants: the output is never a pre-existing file; a failed write
 * stops everything and the custody sidecar, if written, says "failed";
 * every object the walk yields is in the manifest, with an error field
 * when it could not be read.
 */
#include "custos/custos.h"

#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <linux/fs.h>
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
#include "custos/host.h"
#include "custos/path.h"
#include "custos/sign.h"
#include "custos/snapshot.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

#define SNAP_CHUNK	(1024 * 1024)
#define SNAP_MAXERRS	1000	/* error lines in the custody record */
/*
 * Files with at most SNAP_PRE_MAX bytes of data are read and hashed by
 * the walk's workers, while at most SNAP_PRE_BUDGET bytes wait for the
 * writer; the rest are read by the writer itself.
 */
#define SNAP_PRE_MAX	(4U * 1024 * 1024)
#define SNAP_PRE_BUDGET	(32U * 1024 * 1024)
/*
 * The output goes out through SNAP_NOUT buffers of about SNAP_OUTBUF
 * bytes (whole blocks), hashed and written by a thread of its own.
 */
#define SNAP_NOUT	4
#define SNAP_OUTBUF	(1024 * 1024)
/*
 * A new file is written with O_DIRECT where the filesystem allows it:
 * no copy through the page cache, and the data is on the device when the
 * write returns.  Buffers and writes are then whole multiples of this.
 */
#define SNAP_ALIGN	4096

enum snap_kind { SNAP_FILE, SNAP_STDOUT, SNAP_TAPE };

/* Hard-linked files already archived: (dev, ino) -> name, digests. */
struct snap_link {
	uint64_t	 dev;
	uint64_t	 ino;
	char		*name;
	unsigned	 digests;
	unsigned char	 digest[CS_D_COUNT][CS_DIGEST_MAXLEN];
};

struct snap_seg {
	uint64_t	 off;
	uint64_t	 len;
};

/* The data extents of a file, in order. */
struct snap_segs {
	struct snap_seg	*v;
	size_t		 n, cap;
};

/*
 * A file read and hashed ahead by a walk worker (snap_prefetch): its
 * extents and their bytes back to back, in one allocation, charged to
 * the read-ahead budget until the record is freed.
 */
struct snap_pre {
	struct snap_segs  segs;
	int		  sparse;
	uint64_t	  datalen;
	uint64_t	  nread;
	_Atomic uint64_t *budget;
	unsigned char	  data[];
};

struct snap {
	const struct cs_snap_opts *o;
	struct cs_snap_result	*res;
	struct archive		*a;
	enum snap_kind		 kind;
	int			 fd;
	char			*shown;		/* output, escaped */
	struct stat		 self;
	/* the output stream, handed to the writer thread in buffers */
	unsigned char		*blk;		/* the buffer being filled */
	size_t			 blklen;
	size_t			 bufsize;	/* whole blocks */
	unsigned char		*out[SNAP_NOUT];
	size_t			 outlen[SNAP_NOUT];
	uint64_t		 nin, nout;	/* buffers handed over, done */
	int			 closing;
	int			 running;
	int			 owerr;		/* the writer's errno */
	int			 direct;	/* fd is O_DIRECT */
	pthread_t		 writer;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct cs_hasher	*stream;
	int			 werr;		/* errno of a failed write */
	int			 stream_done;
	int			 capture;
	struct cs_buf		 cap;
	struct cs_buf		 hdr;
	/* files */
	struct cs_hasher	*fh;
	unsigned char		*fbuf;
	size_t			 fbufcap;
	struct snap_segs	 segs;
	_Atomic uint64_t	 prebytes;	/* read ahead, not yet out */
	struct snap_link	*links;
	size_t			 nlinks, linkcap;
	/* manifest spool and custody facts */
	FILE			*spool;
	struct cs_bl_header	 custody;
	uint64_t		 nerrlines;
	char			*started;
	struct timespec		 t_start;
};

static const unsigned char snap_zeros[65536];

static int	snap_write_failed(struct snap *, struct cs_err *);

/*
 * Output layer.
 */

/* Go back to buffered writes (for a tail that is not aligned). */
static void
snap_direct_off(struct snap *s)
{
	int	 fl = fcntl(s->fd, F_GETFL);

	if (fl != -1)
		(void)fcntl(s->fd, F_SETFL, fl & ~O_DIRECT);
	s->direct = 0;
}

/* Write N bytes at P, counting them in the stream size. */
static int
snap_write_out(struct snap *s, const unsigned char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if (s->direct && n % SNAP_ALIGN != 0)
			snap_direct_off(s);
		w = write(s->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EINVAL && s->direct) {
			snap_direct_off(s);	/* stricter alignment */
			continue;
		}
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		if (s->direct && (size_t)w % SNAP_ALIGN != 0)
			snap_direct_off(s);
		p += w;
		n -= (size_t)w;
		s->res->stream_size += (uint64_t)w;
	}
	return 0;
}

/*
 * The writer thread: hash and write each buffer handed over, in order; a
 * tape gets one write per block.  After a failed write the rest is
 * dropped, and the error waits for the producer in owerr.
 */
static void *
snap_writer(void *arg)
{
	struct snap	*s = arg;
	unsigned char	*p;
	size_t		 n, k, off, bs = s->o->block_size;
	int		 werr = 0;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (s->nout == s->nin && !s->closing)
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->nout == s->nin)
			break;
		p = s->out[s->nout % SNAP_NOUT];
		n = s->outlen[s->nout % SNAP_NOUT];
		pthread_mutex_unlock(&s->lock);
		if (werr == 0)
			cs_hasher_update(s->stream, p, n);
		for (off = 0; off < n && werr == 0; off += k) {
			k = s->kind == SNAP_TAPE ? bs : n;
			if (snap_write_out(s, p + off, k) != 0)
				werr = errno != 0 ? errno : EIO;
		}
		pthread_mutex_lock(&s->lock);
		s->nout++;
		if (werr != 0)
			s->owerr = werr;
		pthread_cond_broadcast(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static int
snap_out_start(struct snap *s, struct cs_err *err)
{
	size_t	 bs = s->o->block_size, i;
	size_t	 k = SNAP_OUTBUF / bs > 0 ? SNAP_OUTBUF / bs : 1;
	void	*p;
	int	 r;

	if (bs * k % SNAP_ALIGN != 0)
		k = (k + 7) / 8 * 8;	/* 8 blocks of 512 make 4096 */
	s->bufsize = bs * k;
	for (i = 0; i < SNAP_NOUT; i++) {
		if (posix_memalign(&p, SNAP_ALIGN, s->bufsize) != 0)
			p = cs_xmalloc(s->bufsize);
		s->out[i] = p;
	}
	if (s->kind == SNAP_FILE && (r = fcntl(s->fd, F_GETFL)) != -1 &&
	    fcntl(s->fd, F_SETFL, r | O_DIRECT) == 0)
		s->direct = 1;
	s->blk = s->out[0];
	if ((r = pthread_create(&s->writer, NULL, snap_writer, s)) != 0)
		return cs_err_set(err, CS_EXIT_SOFTWARE, r, "cannot start the "
		    "writer thread");
	s->running = 1;
	return 0;
}

/*
 * Hand the buffer being filled (N bytes) to the writer and take the next
 * free one.  Fails once a write has failed.
 */
static int
snap_submit(struct snap *s, size_t n)
{
	pthread_mutex_lock(&s->lock);
	s->outlen[s->nin % SNAP_NOUT] = n;
	s->nin++;
	pthread_cond_broadcast(&s->cond);
	while (s->nin - s->nout >= SNAP_NOUT && s->owerr == 0)
		pthread_cond_wait(&s->cond, &s->lock);
	s->werr = s->owerr;
	pthread_mutex_unlock(&s->lock);
	s->blk = s->out[s->nin % SNAP_NOUT];
	s->blklen = 0;
	return s->werr != 0 ? -1 : 0;
}

/*
 * Pad the output to a whole block, hand over the last buffer, and wait
 * for the writer to finish.
 */
static int
snap_out_finish(struct snap *s)
{
	size_t	 bs = s->o->block_size, pad;

	if (!s->running)
		return -1;
	if (s->werr == 0 && s->blklen > 0) {
		pad = (bs - s->blklen % bs) % bs;
		memset(s->blk + s->blklen, 0, pad);
		(void)snap_submit(s, s->blklen + pad);
	}
	pthread_mutex_lock(&s->lock);
	s->closing = 1;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->writer, NULL);
	s->running = 0;
	s->werr = s->owerr;
	return s->werr != 0 ? -1 : 0;
}

static int
snap_emit(struct snap *s, const void *p, size_t n)
{
	const unsigned char	*b = p;
	size_t			 k;

	if (s->werr != 0)
		return -1;
	while (n > 0) {
		k = s->bufsize - s->blklen < n ? s->bufsize - s->blklen : n;
		memcpy(s->blk + s->blklen, b, k);
		s->blklen += k;
		b += k;
		n -= k;
		if (s->blklen == s->bufsize && snap_submit(s, s->blklen) != 0)
			return -1;
	}
	return 0;
}

static la_ssize_t
snap_write_cb(struct archive *a, void *arg, const void *p, size_t n)
{
	struct snap	*s = arg;

	(void)a;
	if (s->capture) {
		cs_buf_add(&s->cap, p, n);
		return (la_ssize_t)n;
	}
	if (snap_emit(s, p, n) != 0) {
		archive_set_error(a, s->werr, "write error");
		return -1;
	}
	return (la_ssize_t)n;
}

/* Open OUTPUT: a new file (O_EXCL), standard output, or a tape. */
static int
snap_open_output(struct snap *s, struct cs_err *err)
{
	const char	*out = s->o->output;
	struct stat	 st;

	if (strcmp(out, "-") == 0) {
		if (isatty(STDOUT_FILENO))
			return cs_err_set(err, CS_EXIT_USAGE, 0, "will not "
			    "write a snapshot to a terminal");
		s->kind = SNAP_STDOUT;
		s->fd = STDOUT_FILENO;
	} else if (stat(out, &st) == 0 && S_ISCHR(st.st_mode)) {
		s->kind = SNAP_TAPE;
		s->fd = open(out, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (s->fd < 0)
			return cs_err_set(err, CS_EXIT_CANTCREAT, errno,
			    "cannot open device '%s'", s->shown);
	} else {
		s->kind = SNAP_FILE;
		s->fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC | O_NOCTTY, 0600);
		if (s->fd < 0 && errno == EEXIST)
			return cs_err_set(err, CS_EXIT_CANTCREAT, 0,
			    "'%s' already exists; a snapshot never replaces "
			    "or truncates a file", s->shown);
		if (s->fd < 0)
			return cs_err_set(err, CS_EXIT_CANTCREAT, errno,
			    "cannot create '%s'", s->shown);
	}
	if (fstat(s->fd, &s->self) != 0)
		memset(&s->self, 0, sizeof s->self);
	return 0;
}

/*
 * Pax headers.
 */

unsigned
cs_snap_tar_cksum(const unsigned char *h)
{
	unsigned	 sum = 0;
	size_t		 i;

	for (i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum;
}

/* Decimal digits of N. */
static size_t
snap_ndigits(size_t n)
{
	size_t	 d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

void
cs_snap_pax_record(struct cs_buf *b, const char *key, const char *v,
    size_t vn)
{
	size_t	 len, d;

	/* The length counts itself: find the fixed point. */
	len = 1 + strlen(key) + 1 + vn + 1;
	d = snap_ndigits(len + 1);
	while (snap_ndigits(len + d) != d)
		d++;
	cs_buf_printf(b, "%zu %s=", len + d, key);
	cs_buf_add(b, v, vn);
	cs_buf_addc(b, '\n');
}

/* Octal number into a tar header field of WIDTH bytes (NUL-ended). */
static void
snap_octal(unsigned char *f, size_t width, uint64_t v)
{
	size_t	 i = width - 1;

	f[i] = '\0';
	while (i-- > 0) {
		f[i] = (unsigned char)('0' + (v & 7));
		v >>= 3;
	}
}

static void
snap_set_cksum(unsigned char *h)
{
	snap_octal(h + 148, 7, cs_snap_tar_cksum(h));
	h[155] = ' ';
}

static uint64_t
snap_parse_octal(const unsigned char *f, size_t width)
{
	uint64_t	 v = 0;
	size_t		 i;

	for (i = 0; i < width && f[i] == ' '; i++)
		;
	for (; i < width && f[i] >= '0' && f[i] <= '7'; i++)
		v = v * 8 + (uint64_t)(f[i] - '0');
	return v;
}

int
cs_snap_pax_splice(struct cs_buf *out, const unsigned char *h, size_t n,
    const char *recs, size_t rn)
{
	unsigned char	 x[512];
	uint64_t	 size = 0;
	size_t		 body = 0, pad;

	if (n < 512 || n % 512 != 0 ||
	    snap_parse_octal(h + 148, 8) != cs_snap_tar_cksum(h))
		return -1;
	memcpy(x, h, 512);
	if (h[156] == 'x') {
		size = snap_parse_octal(h + 124, 12);
		body = (size_t)((size + 511) / 512 * 512);
		if (512 + body > n)
			return -1;
	} else {
		/* A fresh extended header modelled on the member's own. */
		memset(x, 0, 100);
		memcpy(x, "PaxHeader/custos", 16);
		memset(x + 157, 0, 100);
		x[156] = 'x';
	}
	snap_octal(x + 124, 12, size + rn);
	snap_set_cksum(x);
	cs_buf_add(out, x, 512);
	if (h[156] == 'x')
		cs_buf_add(out, h + 512, (size_t)size);
	cs_buf_add(out, recs, rn);
	pad = (size_t)((512 - (size + rn) % 512) % 512);
	cs_buf_add(out, snap_zeros, pad);
	cs_buf_add(out, h + (h[156] == 'x' ? 512 + body : 0),
	    n - (h[156] == 'x' ? 512 + body : 0));
	return 0;
}

int
cs_snap_pax_find(const char *rec, size_t n, const char *key, const char **v,
    size_t *vn)
{
	const char	*p = rec, *end = rec + n, *sp, *eq;
	size_t		 len, kl = strlen(key);

	while (p < end && *p != '\0') {
		len = 0;
		for (sp = p; sp < end && *sp >= '0' && *sp <= '9'; sp++)
			len = len * 10 + (size_t)(*sp - '0');
		if (sp == p || sp >= end || *sp != ' ' || len < 5 ||
		    len > (size_t)(end - p) || p[len - 1] != '\n')
			return -1;
		eq = memchr(sp + 1, '=', (size_t)(p + len - sp - 1));
		if (eq == NULL)
			return -1;
		if ((size_t)(eq - sp - 1) == kl &&
		    memcmp(sp + 1, key, kl) == 0) {
			*v = eq + 1;
			*vn = (size_t)(p + len - 1 - eq - 1);
			return 1;
		}
		p += len;
	}
	return 0;
}

/* The pax records naming the digests in D (mask MASK). */
static void
snap_digest_records(struct cs_buf *b, unsigned mask,
    unsigned char d[][CS_DIGEST_MAXLEN])
{
	char	 hex[2 * CS_DIGEST_MAXLEN + 1], key[64];
	int	 i;

	for (i = 0; i < CS_D_COUNT; i++) {
		if ((mask & (1U << i)) == 0)
			continue;
		cs_hex(d[i], cs_digest_len((enum cs_digest)i), hex);
		(void)snprintf(key, sizeof key, "%s%s", CS_SNAP_PAXKEY,
		    cs_digest_name((enum cs_digest)i));
		cs_snap_pax_record(b, key, hex, strlen(hex));
	}
}

/*
 * Write the header of AE, with the digests in D (if MASK is not 0) added
 * to its extended header.
 */
static int
snap_header(struct snap *s, struct archive_entry *ae, unsigned mask,
    unsigned char d[][CS_DIGEST_MAXLEN], struct cs_err *err)
{
	struct cs_buf	 recs;
	int		 r, rc = -1;

	cs_buf_init(&recs);
	cs_buf_reset(&s->cap);
	cs_buf_reset(&s->hdr);
	s->capture = 1;
	r = archive_write_header(s->a, ae);
	s->capture = 0;
	if (r < ARCHIVE_WARN && s->werr != 0) {
		snap_write_failed(s, err);
		goto out;
	}
	if (r < ARCHIVE_WARN) {
		cs_err_set(err, CS_EXIT_SOFTWARE, 0, "cannot write the header "
		    "of '%s': %s", archive_entry_pathname(ae),
		    archive_error_string(s->a));
		goto out;
	}
	if (mask != 0)
		snap_digest_records(&recs, mask, d);
	if (cs_snap_pax_splice(&s->hdr, (unsigned char *)s->cap.data,
	    s->cap.len, recs.data != NULL ? recs.data : "", recs.len) != 0) {
		cs_err_set(err, CS_EXIT_SOFTWARE, 0, "unexpected tar header "
		    "from libarchive");
		goto out;
	}
	if (snap_emit(s, s->hdr.data, s->hdr.len) != 0) {
		snap_write_failed(s, err);
		goto out;
	}
	s->res->members++;
	rc = 0;
out:
	cs_buf_release(&recs);
	return rc;
}

/* Hand N bytes of member data to libarchive. */
static int
snap_data(struct snap *s, const void *p, size_t n)
{
	const char	*b = p;
	la_ssize_t	 w;

	while (n > 0) {
		w = archive_write_data(s->a, b, n);
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The error for a failed write in libarchive or below it. */
static int
snap_write_failed(struct snap *s, struct cs_err *err)
{
	if (s->werr != 0)
		return cs_err_set(err, CS_EXIT_IOERR, s->werr,
		    "cannot write '%s'", s->shown);
	return cs_err_set(err, CS_EXIT_IOERR, 0, "cannot write '%s': %s",
	    s->shown, archive_error_string(s->a));
}

/* A whole member from memory: header with its digests, then data. */
static int
snap_memory_member(struct snap *s, const char *name, const void *p,
    size_t n, struct cs_err *err)
{
	struct archive_entry	*ae;
	unsigned char		 d[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct timespec		 now = cs_time_now();
	int			 rc = -1;

	ae = archive_entry_new();
	archive_entry_copy_pathname(ae, name);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0444);
	archive_entry_set_uid(ae, (la_int64_t)getuid());
	archive_entry_set_gid(ae, (la_int64_t)getgid());
	archive_entry_set_size(ae, (la_int64_t)n);
	archive_entry_set_mtime(ae, now.tv_sec, now.tv_nsec);
	cs_hasher_begin(s->fh);
	cs_hasher_update(s->fh, p, n);
	cs_hasher_end(s->fh, d);
	if (snap_header(s, ae, s->o->digests, d, err) != 0)
		goto out;
	if (snap_data(s, p, n) != 0 ||
	    archive_write_finish_entry(s->a) != ARCHIVE_OK) {
		snap_write_failed(s, err);
		goto out;
	}
	rc = 0;
out:
	archive_entry_free(ae);
	return rc;
}

/*
 * Regular files.
 */

static void
snap_add_seg(struct snap_segs *sg, uint64_t off, uint64_t len)
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

/*
 * The data extents of E (open in e->fd) into SG, by SEEK_DATA/SEEK_HOLE
 * when it may have holes (fewer blocks than its size needs).  Returns 1
 * if the file has holes, 0 if it is one extent.
 */
static int
snap_extents(struct snap_segs *sg, const struct cs_entry *e)
{
	off_t	 d, h;
	uint64_t off = 0, size = e->size;
	int	 fd = e->fd;

	sg->n = 0;
	if (e->blocks >= (size + 511) / 512) {
		snap_add_seg(sg, 0, size);
		return 0;
	}
	while (off < size) {
		d = lseek(fd, (off_t)off, SEEK_DATA);
		if (d < 0 && errno == ENXIO)
			break;		/* a hole to the end */
		if (d < 0) {
			sg->n = 0;	/* not supported: all data */
			snap_add_seg(sg, 0, size);
			return 0;
		}
		h = lseek(fd, d, SEEK_HOLE);
		if (h < 0 || (uint64_t)h > size)
			h = (off_t)size;
		if ((uint64_t)d >= size)
			break;
		snap_add_seg(sg, (uint64_t)d, (uint64_t)(h - d));
		off = (uint64_t)h;
	}
	if (sg->n == 1 && sg->v[0].off == 0 && sg->v[0].len == size)
		return 0;
	return size > 0;
}

/* The number of data bytes in SG. */
static uint64_t
snap_datalen(const struct snap_segs *sg)
{
	uint64_t n = 0;
	size_t	 i;

	for (i = 0; i < sg->n; i++)
		n += sg->v[i].len;
	return n;
}

/* Feed N zero bytes to H (if not NULL) and, if WRITE, to libarchive. */
static int
snap_zero_fill(struct snap *s, struct cs_hasher *h, uint64_t n, int write)
{
	size_t	 k;

	while (n > 0) {
		k = n < sizeof snap_zeros ? (size_t)n : sizeof snap_zeros;
		if (h != NULL)
			cs_hasher_update(h, snap_zeros, k);
		if (write && snap_data(s, snap_zeros, k) != 0)
			return -1;
		n -= k;
	}
	return 0;
}

/*
 * Read up to N bytes at OFF into P.  A short count (the file shrank, or
 * a read error) is recorded on E; the rest is the caller's to zero.
 */
static size_t
snap_pread(struct cs_entry *e, int fd, void *p, size_t n, uint64_t off)
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

/* Read the extents SG of E into BUF, back to back; the bytes read. */
static uint64_t
snap_read_extents(struct cs_entry *e, const struct snap_segs *sg,
    unsigned char *buf)
{
	size_t	 i, at = 0, got;
	uint64_t read = 0;

	for (i = 0; i < sg->n; i++) {
		got = snap_pread(e, e->fd, buf + at, (size_t)sg->v[i].len,
		    sg->v[i].off);
		memset(buf + at + got, 0, (size_t)sg->v[i].len - got);
		read += got;
		at += (size_t)sg->v[i].len;
	}
	return read;
}

/*
 * Pass the logical content of E (extents SG, holes as zeros) through H
 * (if not NULL) and, when WRITE, to libarchive: from DATA, the extents
 * in memory back to back, or if DATA is NULL read now, chunk by chunk.
 */
static int
snap_content(struct snap *s, struct cs_hasher *h, struct cs_entry *e,
    const struct snap_segs *sg, const unsigned char *data, int write,
    uint64_t *readp)
{
	const unsigned char *p;
	uint64_t pos = 0, left;
	size_t	 i, at = 0, k, got;

	for (i = 0; i < sg->n; i++) {
		if (snap_zero_fill(s, h, sg->v[i].off - pos, write) != 0)
			return -1;
		pos = sg->v[i].off;
		for (left = sg->v[i].len; left > 0; left -= k) {
			k = left < SNAP_CHUNK ? (size_t)left : SNAP_CHUNK;
			if (data != NULL) {
				p = data + at;
			} else {
				if (k > s->fbufcap) {
					free(s->fbuf);
					s->fbufcap = SNAP_CHUNK;
					s->fbuf = cs_xmalloc(s->fbufcap);
				}
				got = snap_pread(e, e->fd, s->fbuf, k, pos);
				memset(s->fbuf + got, 0, k - got);
				*readp += got;
				p = s->fbuf;
			}
			if (h != NULL)
				cs_hasher_update(h, p, k);
			if (write && snap_data(s, p, k) != 0)
				return -1;
			at += k;
			pos += k;
		}
	}
	return snap_zero_fill(s, h, e->size - pos, write);
}

/* Did the file change while it was read?  Then say so on E. */
static void
snap_check_changed(struct cs_entry *e)
{
	struct stat	 st;

	if (fstat(e->fd, &st) != 0)
		return;
	if ((uint64_t)st.st_size != e->size ||
	    st.st_mtim.tv_sec != e->mtime.sec ||
	    (uint32_t)st.st_mtim.tv_nsec != e->mtime.nsec)
		cs_entry_add_error(e, "changed while being read (archived "
		    "as read, %" PRIu64 " bytes)", e->size);
}

/* The largest file whose data is read before its header is written. */
static uint64_t
snap_inline_max(const struct snap *s)
{
	return s->o->inline_max != 0 ? s->o->inline_max : CS_SNAP_INLINE_MAX;
}

static void
snap_pre_free(void *arg)
{
	struct snap_pre	*p = arg;

	atomic_fetch_sub(p->budget, p->datalen);
	free(p->segs.v);
	free(p);
}

/*
 * Read ahead (on a walk worker): a regular file E, open in e->fd, with
 * little enough data to fit the budget is read into memory and hashed
 * here, so the writer only has to archive it.  Anything else is left to
 * the writer.
 */
static void
snap_prefetch(void *arg, struct cs_entry *e, struct cs_hasher *h)
{
	struct snap	*s = arg;
	struct snap_pre	*p;
	struct snap_segs sg = { NULL, 0, 0 };
	uint64_t	 datalen, limit = snap_inline_max(s);
	int		 sparse;

	if (e->size > SNAP_PRE_MAX || e->size > limit)
		return;
	sparse = snap_extents(&sg, e);
	datalen = snap_datalen(&sg);	/* <= e->size <= SNAP_PRE_MAX */
	if (datalen > limit || atomic_fetch_add(&s->prebytes, datalen) +
	    datalen > SNAP_PRE_BUDGET) {
		if (datalen <= limit)
			atomic_fetch_sub(&s->prebytes, datalen);
		free(sg.v);
		return;
	}
	p = cs_xmalloc(sizeof *p + (size_t)datalen);
	p->segs = sg;
	p->sparse = sparse;
	p->datalen = datalen;
	p->nread = 0;
	p->budget = &s->prebytes;
	e->attach = p;
	e->attach_free = snap_pre_free;
	p->nread = snap_read_extents(e, &p->segs, p->data);
	snap_check_changed(e);
	cs_hasher_begin(h);
	(void)snap_content(s, h, e, &p->segs, p->data, 0, &p->nread);
	cs_hasher_end(h, e->digest);
	e->digests = s->o->digests;
}

/* Put the extents SG on AE when the file is sparse. */
static void
snap_sparse(struct archive_entry *ae, const struct snap_segs *sg,
    uint64_t size)
{
	size_t	 i;

	for (i = 0; i < sg->n; i++)
		archive_entry_sparse_add_entry(ae, (la_int64_t)sg->v[i].off,
		    (la_int64_t)sg->v[i].len);
	if (sg->n == 0)
		archive_entry_sparse_add_entry(ae, (la_int64_t)size, 0);
}

/*
 * Archive a regular file E (open in e->fd) under AE: read ahead and
 * hashed by a worker, or read here; the data of a file up to the inline
 * limit is read before the header, so the header carries its digests.
 */
static int
snap_file(struct snap *s, struct cs_entry *e, struct archive_entry *ae,
    struct cs_err *err)
{
	struct snap_pre	*p = e->attach;
	uint64_t	 datalen, nread = 0;

	if (p != NULL && e->attach_free == snap_pre_free) {
		if (p->sparse)
			snap_sparse(ae, &p->segs, e->size);
		if (snap_header(s, ae, e->digests, e->digest, err) != 0)
			return -1;
		if (snap_content(s, NULL, e, &p->segs, p->data, 1,
		    &nread) != 0)
			return snap_write_failed(s, err);
		nread = p->nread;
		goto done;
	}
	if (snap_extents(&s->segs, e))
		snap_sparse(ae, &s->segs, e->size);
	datalen = snap_datalen(&s->segs);
	if (datalen <= snap_inline_max(s)) {
		if (datalen > s->fbufcap) {
			free(s->fbuf);
			s->fbufcap = (size_t)datalen;
			s->fbuf = cs_xmalloc(s->fbufcap);
		}
		nread = snap_read_extents(e, &s->segs, s->fbuf);
		snap_check_changed(e);
		cs_hasher_begin(s->fh);
		(void)snap_content(s, s->fh, e, &s->segs, s->fbuf, 0, &nread);
		cs_hasher_end(s->fh, e->digest);
		if (snap_header(s, ae, s->o->digests, e->digest, err) != 0)
			return -1;
		if (snap_content(s, NULL, e, &s->segs, s->fbuf, 1,
		    &nread) != 0)
			return snap_write_failed(s, err);
	} else {
		if (snap_header(s, ae, 0, NULL, err) != 0)
			return -1;
		cs_hasher_begin(s->fh);
		if (snap_content(s, s->fh, e, &s->segs, NULL, 1, &nread) != 0)
			return snap_write_failed(s, err);
		cs_hasher_end(s->fh, e->digest);
		snap_check_changed(e);
	}
done:
	if (archive_write_finish_entry(s->a) != ARCHIVE_OK)
		return snap_write_failed(s, err);
	s->res->bytes += nread;
	e->digests = s->o->digests;
	return 0;
}

/*
 * Hard links.
 */

static struct snap_link *
snap_link_find(struct snap *s, const struct cs_entry *e)
{
	size_t	 i;

	for (i = 0; i < s->nlinks; i++) {
		if (s->links[i].dev == e->dev && s->links[i].ino == e->ino)
			return &s->links[i];
	}
	return NULL;
}

static void
snap_link_add(struct snap *s, const struct cs_entry *e, const char *name)
{
	struct snap_link	*l;

	if (s->nlinks == s->linkcap) {
		s->linkcap = s->linkcap ? 2 * s->linkcap : 16;
		s->links = cs_xreallocarray(s->links, s->linkcap,
		    sizeof *s->links);
	}
	l = &s->links[s->nlinks++];
	l->dev = e->dev;
	l->ino = e->ino;
	l->name = cs_xstrdup(name);
	l->digests = e->digests;
	memcpy(l->digest, e->digest, sizeof l->digest);
}

/*
 * Members from records.
 */

char *
cs_snap_member_name(const char *path, size_t len, int is_dir)
{
	struct cs_buf	 b;

	cs_buf_init(&b);
	cs_buf_adds(&b, CS_SNAP_TREE);
	if (len > 1)
		cs_buf_add(&b, path, len);
	if (is_dir || len <= 1)
		cs_buf_addc(&b, '/');
	return cs_buf_detach(&b, NULL);
}

int
cs_snap_member_path(const char *name, char **pathp, size_t *lenp)
{
	size_t	 n = strlen(name), tl = strlen(CS_SNAP_TREE);

	if (n < tl + 1 || memcmp(name, CS_SNAP_TREE, tl) != 0 ||
	    name[tl] != '/')
		return -1;
	name += tl;
	n -= tl;
	if (n > 1 && name[n - 1] == '/')
		n--;
	if (!cs_path_valid(name, n))
		return -1;
	*pathp = cs_xmemdup(name, n);
	*lenp = n;
	return 0;
}

static unsigned
snap_filetype(enum cs_type t)
{
	switch (t) {
	case CS_T_FILE:		return AE_IFREG;
	case CS_T_DIR:		return AE_IFDIR;
	case CS_T_LINK:		return AE_IFLNK;
	case CS_T_FIFO:		return AE_IFIFO;
	case CS_T_CHAR:		return AE_IFCHR;
	case CS_T_BLOCK:	return AE_IFBLK;
	default:		return 0;
	}
}

/* The archive entry for record E: all the metadata tar can hold. */
static struct archive_entry *
snap_entry(const struct cs_entry *e, const char *name)
{
	struct archive_entry	*ae;
	size_t			 i;

	ae = archive_entry_new();
	archive_entry_copy_pathname(ae, name);
	archive_entry_set_filetype(ae, snap_filetype(e->type));
	archive_entry_set_perm(ae, (__LA_MODE_T)(e->mode & 07777));
	archive_entry_set_uid(ae, e->uid);
	archive_entry_set_gid(ae, e->gid);
	if (e->user != NULL)
		archive_entry_copy_uname(ae, e->user);
	if (e->group != NULL)
		archive_entry_copy_gname(ae, e->group);
	archive_entry_set_size(ae, e->type == CS_T_FILE ?
	    (la_int64_t)e->size : 0);
	archive_entry_set_mtime(ae, e->mtime.sec, e->mtime.nsec);
	if (e->have & CS_F_CTIME)
		archive_entry_set_ctime(ae, e->ctime.sec, e->ctime.nsec);
	if (e->have & CS_F_NLINK)
		archive_entry_set_nlink(ae, (unsigned)e->nlink);
	if (e->have & CS_F_INO) {
		archive_entry_set_ino64(ae, (la_int64_t)e->ino);
		archive_entry_set_dev(ae, (dev_t)e->dev);
	}
	if (e->type == CS_T_LINK && e->target != NULL)
		archive_entry_copy_symlink(ae, e->target);
	if (e->type == CS_T_CHAR || e->type == CS_T_BLOCK) {
		archive_entry_set_rdevmajor(ae, e->rmajor);
		archive_entry_set_rdevminor(ae, e->rminor);
	}
	if (e->acl != NULL)
		(void)archive_entry_acl_from_text(ae, e->acl,
		    ARCHIVE_ENTRY_ACL_TYPE_ACCESS);
	if (e->dacl != NULL)
		(void)archive_entry_acl_from_text(ae, e->dacl,
		    ARCHIVE_ENTRY_ACL_TYPE_DEFAULT);
	for (i = 0; i < e->nxattrs; i++)
		archive_entry_xattr_add_entry(ae, e->xattrs[i].name,
		    e->xattrs[i].value, e->xattrs[i].len);
	if ((e->have & CS_F_IFLAGS) && e->iflags != 0)
		archive_entry_set_fflags(ae, e->iflags, 0);
	return ae;
}

/* Note an incomplete record for the custody record and stderr. */
static void
snap_note_error(struct snap *s, const struct cs_entry *e)
{
	struct cs_buf	 v;
	char		*shown;

	s->res->errors++;
	shown = cs_encode_dup(e->path);
	cs_warn("snapshot", "'%s': %s", shown, e->error);
	free(shown);
	if (s->nerrlines++ >= SNAP_MAXERRS)
		return;
	cs_buf_init(&v);
	cs_buf_add(&v, e->path, e->pathlen);
	cs_buf_adds(&v, ": ");
	cs_buf_adds(&v, e->error);
	cs_bl_header_add(&s->custody, "error", v.data, v.len);
	cs_buf_release(&v);
}

/* Archive one record of the walk and spool its manifest line. */
static int
snap_record(struct snap *s, struct cs_entry *e, struct cs_err *err)
{
	struct archive_entry	*ae = NULL;
	struct snap_link	*l = NULL;
	struct cs_buf		 line;
	char			*name;
	int			 rc = -1, member;

	name = cs_snap_member_name(e->path, e->pathlen, e->type == CS_T_DIR);
	member = snap_filetype(e->type) != 0 &&
	    (e->type != CS_T_FILE || e->fd >= 0);
	if (e->type == CS_T_FILE && e->fd >= 0 && e->nlink > 1)
		l = snap_link_find(s, e);
	if (member) {
		ae = snap_entry(e, name);
		if (l != NULL) {
			archive_entry_set_size(ae, 0);
			archive_entry_copy_hardlink(ae, l->name);
			if (snap_header(s, ae, l->digests, l->digest,
			    err) != 0)
				goto out;
			if (archive_write_finish_entry(s->a) != ARCHIVE_OK) {
				snap_write_failed(s, err);
				goto out;
			}
			e->digests = l->digests;
			memcpy(e->digest, l->digest, sizeof e->digest);
		} else if (e->type == CS_T_FILE) {
			if (snap_file(s, e, ae, err) != 0)
				goto out;
			if (e->nlink > 1)
				snap_link_add(s, e, name);
		} else if (snap_header(s, ae, 0, NULL, err) != 0 ||
		    archive_write_finish_entry(s->a) != ARCHIVE_OK) {
			if (err->msg == NULL)
				snap_write_failed(s, err);
			goto out;
		}
	}
	if (e->error != NULL)
		snap_note_error(s, e);
	cs_buf_init(&line);
	cs_bl_format(&line, e);
	if (fwrite(line.data, 1, line.len, s->spool) != line.len) {
		cs_buf_release(&line);
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot write the "
		    "manifest spool");
		goto out;
	}
	cs_buf_release(&line);
	s->res->objects++;
	rc = 0;
out:
	archive_entry_free(ae);
	free(name);
	return rc;
}

/*
 * Custody record and manifest.
 */

static void
snap_add(struct cs_bl_header *h, const char *k, const char *v)
{
	cs_bl_header_add(h, k, v, strlen(v));
}

static void
snap_addf(struct cs_bl_header *h, const char *k, const char *fmt, ...)
    CS_PRINTF(3, 4);

static void
snap_addf(struct cs_bl_header *h, const char *k, const char *fmt, ...)
{
	va_list	 ap;
	char	*v;

	va_start(ap, fmt);
	v = cs_xvasprintf(fmt, ap);
	va_end(ap);
	snap_add(h, k, v);
	free(v);
}

/* The facts known before the first byte is written. */
static void
snap_custody_start(struct snap *s)
{
	const struct cs_snap_opts *o = s->o;
	struct cs_bl_header	*h = &s->custody;
	char			*v;
	int			 i;
	size_t			 j;

	snap_add(h, "format", "custos-evidence 1");
	snap_add(h, "case", o->case_id);
	snap_add(h, "label", o->label);
	snap_add(h, "operator", o->operator_name);
	if (o->note != NULL)
		snap_add(h, "note", o->note);
	v = cs_host_name();
	snap_add(h, "host", v);
	free(v);
	if ((v = cs_host_machine_id()) != NULL)
		snap_add(h, "machine-id", v);
	free(v);
	snap_add(h, "started", s->started);
	snap_addf(h, "tool", "%s/%s", CS_PROGNAME, CS_VERSION);
	snap_add(h, "argv", CS_PROGNAME);
	for (i = 0; i < o->argc; i++)
		snap_add(h, "argv", o->argv[i]);
	v = realpath(o->root, NULL);
	snap_add(h, "source", v != NULL ? v : o->root);
	free(v);
	for (j = 0; j < o->nexcludes; j++)
		snap_add(h, "exclude", o->excludes[j]);
	v = cs_digest_list(o->digests);
	snap_add(h, "digests", v);
	free(v);
	snap_add(h, "output", o->output);
	snap_addf(h, "block-size", "%zu", o->block_size);
	if (o->key != NULL)
		snap_add(h, "signer", cs_key_fingerprint(o->key));
}

/* The first member: the custody record as it stands at the start. */
static int
snap_custody_member(struct snap *s, struct cs_err *err)
{
	struct cs_bl_header	 h;
	struct cs_buf		 b;
	size_t			 i;
	int			 rc = -1;

	cs_bl_header_init(&h);
	cs_buf_init(&b);
	for (i = 0; i < s->custody.n; i++)
		cs_bl_header_add(&h, s->custody.lines[i].key,
		    s->custody.lines[i].value, s->custody.lines[i].len);
	snap_add(&h, "status", "in-progress");
	if (cs_custody_format(&b, &h, s->o->key, err) == 0)
		rc = snap_memory_member(s, CS_SNAP_CUSTODY, b.data, b.len,
		    err);
	cs_buf_release(&b);
	cs_bl_header_release(&h);
	return rc;
}

/* An anonymous temporary file (never visible in any directory). */
static int
snap_tmpfile(struct cs_err *err)
{
	const char	*dir = getenv("TMPDIR");
	char		*t;
	int		 fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	fd = open(dir, O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	t = cs_xasprintf("%s/custos-XXXXXX", dir);
	fd = mkostemp(t, O_CLOEXEC);
	if (fd >= 0)
		unlink(t);
	else
		cs_err_set(err, CS_EXIT_CANTCREAT, errno, "cannot create a "
		    "temporary file in '%s'", dir);
	free(t);
	return fd;
}

/* Write the manifest from the spool into a temporary file; return it. */
static int
snap_manifest_file(struct snap *s, const char *finished, struct cs_err *err)
{
	struct cs_bl_header	 h;
	struct cs_blw		*w = NULL;
	struct cs_entry		*e;
	char			*line = NULL, *v;
	size_t			 cap = 0, i;
	ssize_t			 n;
	const char		*why;
	int			 fd, rc = -1;

	cs_bl_header_init(&h);
	e = cs_entry_new();
	if ((fd = snap_tmpfile(err)) < 0)
		goto out;
	snap_add(&h, "created", s->started);
	v = cs_host_name();
	snap_add(&h, "host", v);
	free(v);
	snap_add(&h, "root", cs_bl_header_get(&s->custody, "source"));
	snap_add(&h, "digests", cs_bl_header_get(&s->custody, "digests"));
	snap_addf(&h, "tool", "%s/%s", CS_PROGNAME, CS_VERSION);
	snap_add(&h, "filesystems", s->o->cross_fs ? "all" : "one");
	for (i = 0; i < s->o->nexcludes; i++)
		snap_add(&h, "exclude", s->o->excludes[i]);
	snap_add(&h, "evidence", "custos-evidence 1");
	snap_add(&h, "case", s->o->case_id);
	snap_add(&h, "label", s->o->label);
	snap_add(&h, "finished", finished);
	snap_addf(&h, "members", "%" PRIu64, s->res->members + 1);
	if ((w = cs_blw_new(fd, "manifest", &h, err)) == NULL)
		goto out;
	if (fflush(s->spool) != 0 || fseeko(s->spool, 0, SEEK_SET) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot read the "
		    "manifest spool");
		goto out;
	}
	while ((n = getline(&line, &cap, s->spool)) > 0) {
		if (cs_bl_parse(line, (size_t)n - 1, e, &why) != 0) {
			cs_err_set(err, CS_EXIT_SOFTWARE, 0, "manifest "
			    "spool: %s", why);
			goto out;
		}
		if (cs_blw_add(w, e, err) != 0)
			goto out;
	}
	if (cs_blw_finish(w, s->o->key, err) != 0)
		goto out;
	rc = 0;
out:
	free(line);
	cs_entry_free(e);
	cs_blw_free(w);
	cs_bl_header_release(&h);
	if (rc != 0 && fd >= 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The last member: the manifest, hashed first (it is our own file). */
static int
snap_manifest_member(struct snap *s, int fd, unsigned char *mdig,
    struct cs_err *err)
{
	unsigned char		 d[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct archive_entry	*ae;
	struct stat		 st;
	struct timespec		 now = cs_time_now();
	uint64_t		 got;
	ssize_t			 r;
	int			 rc = -1;

	ae = archive_entry_new();
	if (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0 ||
	    cs_hasher_fd(s->fh, fd, UINT64_MAX, d, &got) != 0 ||
	    got != (uint64_t)st.st_size || lseek(fd, 0, SEEK_SET) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot read the "
		    "manifest");
		goto out;
	}
	memcpy(mdig, d[CS_D_SHA256], 32);
	archive_entry_copy_pathname(ae, CS_SNAP_MANIFEST);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0444);
	archive_entry_set_uid(ae, (la_int64_t)getuid());
	archive_entry_set_gid(ae, (la_int64_t)getgid());
	archive_entry_set_size(ae, st.st_size);
	archive_entry_set_mtime(ae, now.tv_sec, now.tv_nsec);
	if (snap_header(s, ae, s->o->digests | CS_DIGEST_DEFAULT, d,
	    err) != 0)
		goto out;
	if (s->fbufcap < SNAP_CHUNK) {
		free(s->fbuf);
		s->fbufcap = SNAP_CHUNK;
		s->fbuf = cs_xmalloc(s->fbufcap);
	}
	while ((r = read(fd, s->fbuf, SNAP_CHUNK)) > 0) {
		if (snap_data(s, s->fbuf, (size_t)r) != 0) {
			snap_write_failed(s, err);
			goto out;
		}
	}
	if (r < 0 || archive_write_finish_entry(s->a) != ARCHIVE_OK) {
		snap_write_failed(s, err);
		goto out;
	}
	rc = 0;
out:
	archive_entry_free(ae);
	return rc;
}

/*
 * The run.
 */

static int
snap_archive_open(struct snap *s, struct cs_err *err)
{
	s->a = archive_write_new();
	if (s->a == NULL ||
	    archive_write_set_format_pax(s->a) != ARCHIVE_OK ||
	    archive_write_set_options(s->a, "hdrcharset=BINARY") !=
	    ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(s->a, 0) != ARCHIVE_OK ||
	    archive_write_open2(s->a, s, NULL, snap_write_cb, NULL, NULL) !=
	    ARCHIVE_OK)
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "cannot start "
		    "the tar writer: %s", s->a != NULL ?
		    archive_error_string(s->a) : "out of memory");
	return 0;
}

/* Walk the tree, archiving every record. */
static int
snap_walk(struct snap *s, struct cs_err *err)
{
	struct cs_walk_opts	 wo;
	struct cs_walk		*w;
	struct cs_entry		*e;
	int			 n;

	memset(&wo, 0, sizeof wo);
	wo.root = s->o->root;
	wo.digests = s->o->digests | CS_DIGEST_DEFAULT;
	wo.keep_fd = 1;
	wo.file = snap_prefetch;
	wo.file_arg = s;
	wo.jobs = s->o->jobs;
	wo.cross_fs = s->o->cross_fs;
	wo.excludes = s->o->excludes;
	wo.nexcludes = s->o->nexcludes;
	if ((w = cs_walk_open(&wo, err)) == NULL)
		return -1;
	while ((n = cs_walk_next(w, &e, err)) == 1) {
		if (s->kind == SNAP_FILE && e->type == CS_T_FILE &&
		    e->dev == (uint64_t)s->self.st_dev &&
		    e->ino == (uint64_t)s->self.st_ino) {
			cs_entry_free(e);	/* our own output */
			continue;
		}
		n = snap_record(s, e, err);
		cs_entry_free(e);
		if (n != 0)
			break;
		if (s->o->progress != NULL)
			s->o->progress(s->o->progress_arg, s->res->objects,
			    s->res->bytes);
	}
	cs_walk_close(w);
	return n == 0 ? 0 : -1;
}

/* Close the archive and write out the last, padded block. */
static int
snap_finish_stream(struct snap *s, struct cs_err *err)
{
	if (archive_write_close(s->a) != ARCHIVE_OK)
		return snap_write_failed(s, err);
	if (snap_out_finish(s) != 0)
		return snap_write_failed(s, err);
	cs_hasher_end(s->stream, s->res->stream);
	s->stream_done = 1;
	return 0;
}

/* Read the output back and compare its digest with the stream's. */
static void
snap_verify_after(struct snap *s)
{
	unsigned char	 d[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct cs_hasher *h;
	uint64_t	 got;
	int		 fd;

	s->res->verified = -1;
	fd = open(s->o->output, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	h = cs_hasher_new(CS_DIGEST_DEFAULT, SNAP_CHUNK);
	if (fd >= 0 && h != NULL && cs_hasher_fd(h, fd, UINT64_MAX, d,
	    &got) == 0 && got == s->res->stream_size &&
	    memcmp(d[CS_D_SHA256], s->res->stream[CS_D_SHA256], 32) == 0)
		s->res->verified = 1;
	cs_hasher_free(h);
	if (fd >= 0)
		close(fd);
}

/* Write-once: fsync, no write permission, immutable if allowed. */
static void
snap_protect(struct snap *s)
{
	struct cs_buf	 b;
	char		*dir, *tmp;
	int		 flags, dfd;

	cs_buf_init(&b);
	if (s->kind != SNAP_FILE) {
		cs_buf_adds(&b, s->kind == SNAP_TAPE ? "device: write-protect "
		    "the medium by hand" : "standard output: none");
		s->res->protection = cs_buf_detach(&b, NULL);
		return;
	}
	cs_buf_adds(&b, fsync(s->fd) == 0 ? "synced" : "NOT synced");
	cs_buf_adds(&b, fchmod(s->fd, 0444) == 0 ? ", write permission "
	    "removed" : ", write permission NOT removed");
	if (ioctl(s->fd, FS_IOC_GETFLAGS, &flags) == 0) {
		flags |= FS_IMMUTABLE_FL;
		if (ioctl(s->fd, FS_IOC_SETFLAGS, &flags) == 0)
			cs_buf_adds(&b, ", immutable flag set");
		else
			cs_buf_printf(&b, ", immutable flag not set (%s)",
			    strerror(errno));
	} else
		cs_buf_printf(&b, ", immutable flag not set (%s)",
		    strerror(errno));
	tmp = cs_xstrdup(s->o->output);
	dir = dirname(tmp);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(tmp);
	s->res->protection = cs_buf_detach(&b, NULL);
}

/* The sidecar: start facts, end facts, digests, status. */
static int
snap_custody_sidecar(struct snap *s, const char *finished,
    const unsigned char *mdig, struct cs_err *err)
{
	struct cs_bl_header	*h = &s->custody;
	struct cs_snap_result	*r = s->res;
	char			 hex[2 * CS_DIGEST_MAXLEN + 1], key[64];
	int			 d;

	snap_add(h, "finished", finished != NULL ? finished : "");
	snap_addf(h, "objects", "%" PRIu64, r->objects);
	snap_addf(h, "members", "%" PRIu64, r->members);
	snap_addf(h, "bytes", "%" PRIu64, r->bytes);
	snap_addf(h, "errors", "%" PRIu64, r->errors);
	if (s->stream_done) {
		cs_hex(mdig, 32, hex);
		snap_add(h, "manifest-sha256", hex);
		snap_addf(h, "stream-size", "%" PRIu64, r->stream_size);
		for (d = 0; d < CS_D_COUNT; d++) {
			if ((r->stream_digests & (1U << d)) == 0)
				continue;
			cs_hex(r->stream[d], cs_digest_len((enum cs_digest)d),
			    hex);
			(void)snprintf(key, sizeof key, "stream-%s",
			    cs_digest_name((enum cs_digest)d));
			snap_add(h, key, hex);
		}
		if (r->protection != NULL)
			snap_add(h, "protection", r->protection);
		if (r->verified != 0)
			snap_add(h, "verified-after", r->verified > 0 ?
			    "yes" : "MISMATCH");
	}
	snap_add(h, "status", r->status == CS_SNAP_COMPLETE ? "complete" :
	    r->status == CS_SNAP_INCOMPLETE ? "incomplete" : "failed");
	return cs_custody_write(r->custody, h, s->o->key, err);
}

static void
snap_release(struct snap *s)
{
	size_t	 i;

	if (s->a != NULL)
		archive_write_free(s->a);
	if (s->fd >= 0 && s->kind != SNAP_STDOUT)
		close(s->fd);
	if (s->spool != NULL)
		fclose(s->spool);
	for (i = 0; i < s->nlinks; i++)
		free(s->links[i].name);
	free(s->links);
	free(s->segs.v);
	free(s->fbuf);
	if (s->running)
		(void)snap_out_finish(s);
	for (i = 0; i < SNAP_NOUT; i++)
		free(s->out[i]);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	cs_hasher_free(s->stream);
	cs_hasher_free(s->fh);
	cs_buf_release(&s->cap);
	cs_buf_release(&s->hdr);
	cs_bl_header_release(&s->custody);
	free(s->started);
	free(s->shown);
}

/* Checks before anything is created. */
static int
snap_precheck(struct snap *s, struct cs_err *err)
{
	struct stat	 st;
	char		*shown;

	if (s->o->block_size == 0 || s->o->block_size % 512 != 0)
		return cs_err_set(err, CS_EXIT_USAGE, 0, "block size must "
		    "be a positive multiple of 512");
	if (lstat(s->res->custody, &st) == 0) {
		shown = cs_encode_dup(s->res->custody);
		cs_err_set(err, CS_EXIT_CANTCREAT, 0, "custody record '%s' "
		    "already exists", shown);
		free(shown);
		return -1;
	}
	return 0;
}

int
cs_snapshot(const struct cs_snap_opts *o, struct cs_snap_result *res,
    struct cs_err *err)
{
	struct snap	 s;
	struct stat	 st;
	unsigned char	 mdig[32];
	char		*finished = NULL;
	int		 mfd = -1, rc = -1, opened = 0;

	memset(res, 0, sizeof *res);
	memset(&s, 0, sizeof s);
	memset(mdig, 0, sizeof mdig);
	s.o = o;
	s.res = res;
	s.fd = -1;
	s.shown = cs_encode_dup(o->output);
	cs_buf_init(&s.cap);
	cs_buf_init(&s.hdr);
	cs_bl_header_init(&s.custody);
	res->custody = o->custody != NULL ? cs_xstrdup(o->custody) :
	    cs_xasprintf("%s.custody", o->output);
	res->stream_digests = o->digests | CS_DIGEST_DEFAULT;
	s.t_start = cs_time_now();
	s.started = cs_time_rfc3339(&s.t_start, 0);
	s.stream = cs_hasher_new(res->stream_digests, 4096);
	s.fh = cs_hasher_new(o->digests | CS_DIGEST_DEFAULT, 4096);
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.cond, NULL);
	if (s.stream == NULL || s.fh == NULL) {
		cs_err_set(err, CS_EXIT_SOFTWARE, 0, "cannot start digests");
		goto out;
	}
	cs_hasher_begin(s.stream);
	if (snap_precheck(&s, err) != 0 || snap_open_output(&s, err) != 0)
		goto out;
	opened = 1;
	if (snap_out_start(&s, err) != 0)
		goto out;
	if ((s.spool = tmpfile()) == NULL) {
		cs_err_set(err, CS_EXIT_CANTCREAT, errno, "cannot create a "
		    "temporary file");
		goto out;
	}
	snap_custody_start(&s);
	if (snap_archive_open(&s, err) != 0 ||
	    snap_custody_member(&s, err) != 0 || snap_walk(&s, err) != 0)
		goto out;
	{
		struct timespec now = cs_time_now();

		finished = cs_time_rfc3339(&now, 0);
	}
	if ((mfd = snap_manifest_file(&s, finished, err)) < 0 ||
	    snap_manifest_member(&s, mfd, mdig, err) != 0 ||
	    snap_finish_stream(&s, err) != 0)
		goto out;
	res->status = res->errors > 0 ? CS_SNAP_INCOMPLETE :
	    CS_SNAP_COMPLETE;
	if (o->verify_after && s.kind == SNAP_FILE) {
		if (fsync(s.fd) != 0) {
			cs_err_set(err, CS_EXIT_IOERR, errno, "cannot sync "
			    "'%s'", s.shown);
			res->status = CS_SNAP_FAILED;
			goto out;
		}
		snap_verify_after(&s);
		if (res->verified < 0)
			res->status = CS_SNAP_FAILED;
	}
	snap_protect(&s);
	if (snap_custody_sidecar(&s, finished, mdig, err) != 0) {
		res->status = CS_SNAP_FAILED;
		goto out;
	}
	if (res->verified < 0) {
		cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s' read back does "
		    "not match the digest written", s.shown);
		goto out;
	}
	rc = 0;
out:
	if (rc != 0 && opened && res->status == CS_SNAP_FAILED &&
	    res->verified == 0) {
		struct cs_err	 e2;

		/* Say "failed" where a complete record would have been. */
		cs_err_init(&e2);
		if (lstat(res->custody, &st) != 0)
			(void)snap_custody_sidecar(&s, finished, mdig, &e2);
		cs_err_release(&e2);
	}
	if (mfd >= 0)
		close(mfd);
	free(finished);
	snap_release(&s);
	return rc;
}

void
cs_snap_result_release(struct cs_snap_result *r)
{
	if (r == NULL)
		return;
	free(r->custody);
	free(r->protection);
	memset(r, 0, sizeof *r);
}
