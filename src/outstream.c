/*
 * outstream.c: the output stream of an evidence tar (outstream.h).
 *
 * The producer fills one of OS_NOUT buffers of about OS_OUTBUF bytes
 * (whole blocks) and hands it to the writer thread, which hashes and
 * writes the buffers strictly in the order handed over.  A new file is
 * written with O_DIRECT where the filesystem allows it; a write that is
 * not aligned, or that the device refuses, turns O_DIRECT off for the
 * rest of the stream.  A tape gets one write per block.
 *
 * Invariants: the output is never a pre-existing file; the stream size
 * counts only bytes the kernel accepted; the first failed write stops
 * the writer and is reported to the producer on its next hand-over.
 */
#include "custos/custos.h"

#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/err.h"
#include "custos/outstream.h"
#include "custos/path.h"
#include "custos/pipe.h"
#include "custos/xmalloc.h"

#define OS_NOUT		4
#define OS_OUTBUF	(1024 * 1024)
#define OS_CHUNK	(1024 * 1024)
/*
 * With O_DIRECT, buffers and writes are whole multiples of this: no
 * copy through the page cache, and the data is on the device when the
 * write returns.
 */
#define OS_ALIGN	4096

struct cs_outstream {
	char			*path;
	char			*shown;		/* path, encoded */
	enum cs_outstream_kind	 kind;
	int			 fd;
	struct stat		 self;
	size_t			 block;		/* bytes per block */
	unsigned char		*blk;		/* the buffer being filled */
	size_t			 blklen;
	size_t			 bufsize;	/* whole blocks */
	unsigned char		*out[OS_NOUT];
	size_t			 outlen[OS_NOUT];
	uint64_t		 nin, nout;	/* buffers handed over, done */
	int			 closing;
	int			 running;
	int			 owerr;		/* the writer's errno */
	int			 direct;	/* fd is O_DIRECT */
	pthread_t		 writer;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct cs_hasher	*hash;
	unsigned char		 digest[CS_D_COUNT][CS_DIGEST_MAXLEN];
	uint64_t		 size;		/* bytes written */
	int			 werr;		/* errno of a failed write */
};

struct cs_outstream *
cs_outstream_new(const char *path, size_t block, unsigned digests)
{
	struct cs_outstream	*os;

	os = cs_xcalloc(1, sizeof *os);
	os->fd = -1;
	os->block = block;
	os->path = cs_xstrdup(path);
	os->shown = cs_encode_dup(path);
	pthread_mutex_init(&os->lock, NULL);
	pthread_cond_init(&os->cond, NULL);
	if ((os->hash = cs_hasher_new(digests, 4096)) == NULL) {
		cs_outstream_free(os);
		return NULL;
	}
	cs_hasher_begin(os->hash);
	return os;
}

void
cs_outstream_free(struct cs_outstream *os)
{
	size_t	 i;

	if (os == NULL)
		return;
	/* the writer flushes what it can before the descriptor goes */
	if (os->running)
		(void)cs_outstream_finish(os);
	if (os->fd >= 0 && os->kind != CS_OUTSTREAM_STDOUT)
		close(os->fd);
	for (i = 0; i < OS_NOUT; i++)
		free(os->out[i]);
	pthread_mutex_destroy(&os->lock);
	pthread_cond_destroy(&os->cond);
	cs_hasher_free(os->hash);
	free(os->shown);
	free(os->path);
	free(os);
}

int
cs_outstream_open(struct cs_outstream *os, struct cs_err *err)
{
	struct stat	 st;

	if (strcmp(os->path, "-") == 0) {
		if (isatty(STDOUT_FILENO))
			return cs_err_set(err, CS_EXIT_USAGE, 0, "will not "
			    "write a snapshot to a terminal");
		os->kind = CS_OUTSTREAM_STDOUT;
		os->fd = STDOUT_FILENO;
	} else if (stat(os->path, &st) == 0 && S_ISCHR(st.st_mode)) {
		os->kind = CS_OUTSTREAM_TAPE;
		os->fd = open(os->path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (os->fd < 0)
			return cs_err_set(err, CS_EXIT_CANTCREAT, errno,
			    "cannot open device '%s'", os->shown);
	} else {
		os->kind = CS_OUTSTREAM_FILE;
		os->fd = open(os->path, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
		if (os->fd < 0 && errno == EEXIST)
			return cs_err_set(err, CS_EXIT_CANTCREAT, 0,
			    "'%s' already exists; a snapshot never replaces "
			    "or truncates a file", os->shown);
		if (os->fd < 0)
			return cs_err_set(err, CS_EXIT_CANTCREAT, errno,
			    "cannot create '%s'", os->shown);
	}
	if (fstat(os->fd, &os->self) != 0)
		memset(&os->self, 0, sizeof os->self);
	return 0;
}

/* Go back to buffered writes (for a tail that is not aligned). */
static void
os_direct_off(struct cs_outstream *os)
{
	int	 fl = fcntl(os->fd, F_GETFL);

	if (fl != -1)
		(void)fcntl(os->fd, F_SETFL, fl & ~O_DIRECT);
	os->direct = 0;
}

/* Write N bytes at P, counting them in the stream size. */
static int
os_write_out(struct cs_outstream *os, const unsigned char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if (os->direct && n % OS_ALIGN != 0)
			os_direct_off(os);
		w = write(os->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EINVAL && os->direct) {
			os_direct_off(os);	/* stricter alignment */
			continue;
		}
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		if (os->direct && (size_t)w % OS_ALIGN != 0)
			os_direct_off(os);
		p += w;
		n -= (size_t)w;
		os->size += (uint64_t)w;
	}
	return 0;
}

/*
 * The writer thread: hash and write each buffer handed over, in order; a
 * tape gets one write per block.  After a failed write the rest is
 * dropped, and the error waits for the producer in owerr.
 */
static void *
os_writer(void *arg)
{
	struct cs_outstream	*os = arg;
	unsigned char		*p;
	size_t			 n, k, off;
	int			 werr = 0;

	pthread_mutex_lock(&os->lock);
	for (;;) {
		while (os->nout == os->nin && !os->closing)
			pthread_cond_wait(&os->cond, &os->lock);
		if (os->nout == os->nin)
			break;
		p = os->out[os->nout % OS_NOUT];
		n = os->outlen[os->nout % OS_NOUT];
		pthread_mutex_unlock(&os->lock);
		if (werr == 0)
			cs_hasher_update(os->hash, p, n);
		for (off = 0; off < n && werr == 0; off += k) {
			k = os->kind == CS_OUTSTREAM_TAPE ? os->block : n;
			if (os_write_out(os, p + off, k) != 0)
				werr = errno != 0 ? errno : EIO;
		}
		pthread_mutex_lock(&os->lock);
		os->nout++;
		if (werr != 0)
			os->owerr = werr;
		pthread_cond_broadcast(&os->cond);
	}
	pthread_mutex_unlock(&os->lock);
	return NULL;
}

int
cs_outstream_start(struct cs_outstream *os, struct cs_err *err)
{
	size_t	 bs = os->block, i;
	size_t	 k = OS_OUTBUF / bs > 0 ? OS_OUTBUF / bs : 1;
	void	*p;
	int	 r;

	if (bs * k % OS_ALIGN != 0)
		k = (k + 7) / 8 * 8;	/* 8 blocks of 512 make 4096 */
	os->bufsize = bs * k;
	for (i = 0; i < OS_NOUT; i++) {
		if (posix_memalign(&p, OS_ALIGN, os->bufsize) != 0)
			p = cs_xmalloc(os->bufsize);
		os->out[i] = p;
	}
	if (os->kind == CS_OUTSTREAM_FILE &&
	    (r = fcntl(os->fd, F_GETFL)) != -1 &&
	    fcntl(os->fd, F_SETFL, r | O_DIRECT) == 0)
		os->direct = 1;
	os->blk = os->out[0];
	if ((r = pthread_create(&os->writer, NULL, os_writer, os)) != 0)
		return cs_err_set(err, CS_EXIT_SOFTWARE, r, "cannot start the "
		    "writer thread");
	os->running = 1;
	return 0;
}

/*
 * Hand the buffer being filled (N bytes) to the writer and take the next
 * free one.  Fails once a write has failed.
 */
static int
os_submit(struct cs_outstream *os, size_t n)
{
	pthread_mutex_lock(&os->lock);
	os->outlen[os->nin % OS_NOUT] = n;
	os->nin++;
	pthread_cond_broadcast(&os->cond);
	while (os->nin - os->nout >= OS_NOUT && os->owerr == 0)
		pthread_cond_wait(&os->cond, &os->lock);
	os->werr = os->owerr;
	pthread_mutex_unlock(&os->lock);
	os->blk = os->out[os->nin % OS_NOUT];
	os->blklen = 0;
	return os->werr != 0 ? -1 : 0;
}

int
cs_outstream_write(struct cs_outstream *os, const void *p, size_t n)
{
	const unsigned char	*b = p;
	size_t			 k;

	if (os->werr != 0)
		return -1;
	while (n > 0) {
		k = os->bufsize - os->blklen < n ? os->bufsize - os->blklen :
		    n;
		memcpy(os->blk + os->blklen, b, k);
		os->blklen += k;
		b += k;
		n -= k;
		if (os->blklen == os->bufsize &&
		    os_submit(os, os->blklen) != 0)
			return -1;
	}
	return 0;
}

int
cs_outstream_finish(struct cs_outstream *os)
{
	size_t	 bs = os->block, pad;

	if (!os->running)
		return -1;
	if (os->werr == 0 && os->blklen > 0) {
		pad = (bs - os->blklen % bs) % bs;
		memset(os->blk + os->blklen, 0, pad);
		(void)os_submit(os, os->blklen + pad);
	}
	pthread_mutex_lock(&os->lock);
	os->closing = 1;
	pthread_cond_broadcast(&os->cond);
	pthread_mutex_unlock(&os->lock);
	pthread_join(os->writer, NULL);
	os->running = 0;
	os->werr = os->owerr;
	if (os->werr != 0)
		return -1;
	cs_hasher_end(os->hash, os->digest);
	return 0;
}

int
cs_outstream_error(const struct cs_outstream *os)
{
	return os->werr;
}

enum cs_outstream_kind
cs_outstream_kind(const struct cs_outstream *os)
{
	return os->kind;
}

const char *
cs_outstream_shown(const struct cs_outstream *os)
{
	return os->shown;
}

void
cs_outstream_readonly(struct cs_outstream *os)
{
	if (os->kind == CS_OUTSTREAM_FILE && os->fd >= 0)
		(void)fchmod(os->fd, 0444);
}

size_t
cs_outstream_skip(const struct cs_outstream *os, struct cs_pipe_skip *skip)
{
	if (os->kind != CS_OUTSTREAM_FILE)
		return 0;
	skip->dev = (uint64_t)os->self.st_dev;
	skip->ino = (uint64_t)os->self.st_ino;
	return 1;
}

uint64_t
cs_outstream_size(const struct cs_outstream *os)
{
	return os->size;
}

void
cs_outstream_digest(const struct cs_outstream *os,
    unsigned char d[][CS_DIGEST_MAXLEN])
{
	memcpy(d, os->digest, sizeof os->digest);
}

int
cs_outstream_sync(struct cs_outstream *os)
{
	return fsync(os->fd);
}

int
cs_outstream_verify(const struct cs_outstream *os)
{
	unsigned char	 d[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct cs_hasher *h;
	uint64_t	 got;
	int		 fd, rc = -1;

	fd = open(os->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	h = cs_hasher_new(CS_DIGEST_DEFAULT, OS_CHUNK);
	if (fd >= 0 && h != NULL && cs_hasher_fd(h, fd, UINT64_MAX, d,
	    &got) == 0 && got == os->size &&
	    memcmp(d[CS_D_SHA256], os->digest[CS_D_SHA256], 32) == 0)
		rc = 1;
	cs_hasher_free(h);
	if (fd >= 0)
		close(fd);
	return rc;
}

char *
cs_outstream_protect(struct cs_outstream *os)
{
	struct cs_buf	 b;
	char		*dir, *tmp;
	int		 flags, dfd;

	cs_buf_init(&b);
	if (os->kind != CS_OUTSTREAM_FILE) {
		cs_buf_adds(&b, os->kind == CS_OUTSTREAM_TAPE ? "device: "
		    "write-protect the medium by hand" :
		    "standard output: none");
		return cs_buf_detach(&b, NULL);
	}
	cs_buf_adds(&b, fsync(os->fd) == 0 ? "synced" : "NOT synced");
	cs_buf_adds(&b, fchmod(os->fd, 0444) == 0 ? ", write permission "
	    "removed" : ", write permission NOT removed");
	if (ioctl(os->fd, FS_IOC_GETFLAGS, &flags) == 0) {
		flags |= FS_IMMUTABLE_FL;
		if (ioctl(os->fd, FS_IOC_SETFLAGS, &flags) == 0)
			cs_buf_adds(&b, ", immutable flag set");
		else
			cs_buf_printf(&b, ", immutable flag not set (%s)",
			    strerror(errno));
	} else
		cs_buf_printf(&b, ", immutable flag not set (%s)",
		    strerror(errno));
	tmp = cs_xstrdup(os->path);
	dir = dirname(tmp);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(tmp);
	return cs_buf_detach(&b, NULL);
}
