/*
 * digest.c: several EVP digests computed in one pass over the data.
 *
 * The EVP_MD objects are fetched once per hasher; the read buffer is
 * allocated once, page aligned, and reused for every file.  Large files
 * are hashed straight from the page cache through a small mapped window
 * (no copy); a file that shrinks under the window raises SIGBUS, which
 * is caught and turned into an error for that file alone.
 *
 * The zero-run digest (sha256z) keeps one partial block: the block
 * being filled starts at pos - blklen, runs are closed when a zero
 * block or the end comes, and offsets only grow.
 */
#include "custos/custos.h"

#include <sys/mman.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "custos/digest.h"
#include "custos/buf.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/xmalloc.h"

/* Ordered as enum cs_digest. */
static const struct {
	const char	*name;		/* field name in records */
	const char	*evp;		/* OpenSSL algorithm name */
	size_t		 len;
} digest_algs[CS_D_COUNT] = {
	{ "sha256", "SHA256", 32 },
	{ "sha512", "SHA512", 64 },
	{ "sha3-256", "SHA3-256", 32 },
	{ "blake2b512", "BLAKE2B-512", 64 },
};

static const unsigned char digest_zeros[65536];

#define MAP_WINDOW	(4U << 20)	/* bytes mapped at once */
#define HASH_SLICE	(64U << 10)	/* bytes each digest takes in turn */

struct cs_hasher {
	unsigned	 mask;
	EVP_MD		*md[CS_D_COUNT];
	EVP_MD_CTX	*ctx[CS_D_COUNT];
	void		*buf;
	size_t		 bufsize;
	unsigned char	 head[CS_HASHER_HEAD];	/* the message's first bytes */
	size_t		 headlen;
};

const char *
cs_digest_name(enum cs_digest d)
{
	return digest_algs[d].name;
}

size_t
cs_digest_len(enum cs_digest d)
{
	return digest_algs[d].len;
}

int
cs_digest_lookup(const char *s, size_t n)
{
	int	 i;

	for (i = 0; i < CS_D_COUNT; i++) {
		if (strlen(digest_algs[i].name) == n &&
		    memcmp(digest_algs[i].name, s, n) == 0)
			return i;
	}
	return -1;
}

int
cs_digest_parse_list(const char *list, unsigned *mask, struct cs_err *err)
{
	const char	*p = list, *end;
	size_t		 n;
	int		 d;

	*mask = 0;
	for (;;) {
		end = strchr(p, ',');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		d = cs_digest_lookup(p, n);
		if (d < 0) {
			return cs_err_set(err, CS_EXIT_USAGE, 0,
			    "unknown digest '%.*s' (known: sha256, sha512, "
			    "sha3-256, blake2b512)", (int)n, p);
		}
		*mask |= 1U << d;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return 0;
}

char *
cs_digest_list(unsigned mask)
{
	struct cs_buf	 b;
	int		 d;

	cs_buf_init(&b);
	for (d = 0; d < CS_D_COUNT; d++) {
		if ((mask & (1U << d)) == 0)
			continue;
		if (b.len > 0)
			cs_buf_addc(&b, ',');
		cs_buf_adds(&b, digest_algs[d].name);
	}
	return cs_buf_detach(&b, NULL);
}

struct cs_hasher *
cs_hasher_new(unsigned mask, size_t bufsize)
{
	struct cs_hasher	*h;
	int			 d;

	h = cs_xcalloc(1, sizeof *h);
	h->mask = mask;
	h->bufsize = bufsize;
	if (posix_memalign(&h->buf, 4096, bufsize) != 0)
		h->buf = cs_xmalloc(bufsize);
	for (d = 0; d < CS_D_COUNT; d++) {
		if ((mask & (1U << d)) == 0)
			continue;
		h->md[d] = EVP_MD_fetch(NULL, digest_algs[d].evp, NULL);
		h->ctx[d] = EVP_MD_CTX_new();
		if (h->md[d] == NULL || h->ctx[d] == NULL) {
			/* the provider lacks a digest we rely on */
			cs_hasher_free(h);
			return NULL;
		}
	}
	return h;
}

void
cs_hasher_free(struct cs_hasher *h)
{
	int	 d;

	if (h == NULL)
		return;
	for (d = 0; d < CS_D_COUNT; d++) {
		EVP_MD_CTX_free(h->ctx[d]);
		EVP_MD_free(h->md[d]);
	}
	free(h->buf);
	free(h);
}

void
cs_hasher_begin(struct cs_hasher *h)
{
	int	 d;

	h->headlen = 0;
	for (d = 0; d < CS_D_COUNT; d++) {
		if (h->ctx[d] != NULL)
			EVP_DigestInit_ex(h->ctx[d], h->md[d], NULL);
	}
}

size_t
cs_hasher_head(const struct cs_hasher *h, unsigned char *out)
{
	memcpy(out, h->head, h->headlen);
	return h->headlen;
}

/*
 * With several digests, each takes the data in slices small enough to
 * stay in the core's cache for the next one: the data is fetched from
 * memory once, not once per digest.
 */
void
cs_hasher_update(struct cs_hasher *h, const void *p, size_t n)
{
	const unsigned char	*c = p;
	size_t			 k;
	int			 d;

	if (h->headlen < CS_HASHER_HEAD && n > 0) {
		k = CS_HASHER_HEAD - h->headlen < n ?
		    CS_HASHER_HEAD - h->headlen : n;
		memcpy(h->head + h->headlen, c, k);
		h->headlen += k;
	}
	while (n > 0) {
		/* more than one digest: more than one bit in the mask */
		k = (h->mask & (h->mask - 1)) != 0 && n > HASH_SLICE ?
		    HASH_SLICE : n;
		for (d = 0; d < CS_D_COUNT; d++) {
			if (h->ctx[d] != NULL)
				EVP_DigestUpdate(h->ctx[d], c, k);
		}
		c += k;
		n -= k;
	}
}

void
cs_hasher_peek(struct cs_hasher *h, unsigned char out[][CS_DIGEST_MAXLEN])
{
	EVP_MD_CTX	*copy;
	unsigned int	 len;
	int		 d;

	copy = EVP_MD_CTX_new();
	for (d = 0; d < CS_D_COUNT; d++) {
		if (h->ctx[d] == NULL)
			continue;
		if (copy == NULL || EVP_MD_CTX_copy_ex(copy, h->ctx[d]) != 1 ||
		    EVP_DigestFinal_ex(copy, out[d], &len) != 1)
			memset(out[d], 0, CS_DIGEST_MAXLEN);
	}
	EVP_MD_CTX_free(copy);
}

void
cs_hasher_end(struct cs_hasher *h, unsigned char out[][CS_DIGEST_MAXLEN])
{
	unsigned int	 len;
	int		 d;

	for (d = 0; d < CS_D_COUNT; d++) {
		if (h->ctx[d] != NULL)
			EVP_DigestFinal_ex(h->ctx[d], out[d], &len);
	}
}

int
cs_hasher_fd(struct cs_hasher *h, int fd, uint64_t limit,
    unsigned char out[][CS_DIGEST_MAXLEN], uint64_t *nread)
{
	cs_hasher_begin(h);
	if (cs_hasher_read(h, fd, limit, nread) != 0)
		return -1;
	cs_hasher_end(h, out);
	return 0;
}

int
cs_hasher_read(struct cs_hasher *h, int fd, uint64_t limit, uint64_t *nread)
{
	uint64_t	 total = 0;
	size_t		 want;
	ssize_t		 n;

	while (total < limit) {
		want = h->bufsize;
		if (limit - total < want)
			want = (size_t)(limit - total);
		n = read(fd, h->buf, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		cs_hasher_update(h, h->buf, (size_t)n);
		total += (uint64_t)n;
	}
	*nread = total;
	return 0;
}

/*
 * SIGBUS from a mapped window.  Each thread that hashes a window notes it
 * here; a fault inside that window returns to map_hash, any other SIGBUS
 * keeps its default action and ends the process.
 */
struct map_guard {
	sigjmp_buf	 env;
	uintptr_t	 lo, hi;
};

static _Thread_local struct map_guard *volatile map_guard_cur;

static void
map_fault(int sig, siginfo_t *si, void *uc)
{
	struct map_guard	*g = map_guard_cur;
	uintptr_t		 a = (uintptr_t)si->si_addr;

	(void)uc;
	if (g != NULL && a >= g->lo && a < g->hi)
		siglongjmp(g->env, 1);
	(void)signal(sig, SIG_DFL);
	(void)raise(sig);
}

/*
 * Set the handler; done for every file mapped (one system call per file
 * of megabytes), so that it is in place even if other code took SIGBUS.
 */
static int
map_install(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = map_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGBUS, &sa, NULL) == 0;
}

/*
 * Hash N mapped bytes at P.  Returns -1 if the pages behind them are gone
 * (the file shrank, or the device failed): the message is then void.  No
 * lock is held inside a digest update, so leaving one by siglongjmp is
 * safe; cs_hasher_begin starts the next message afresh.
 */
static int
map_hash(struct cs_hasher *h, const unsigned char *p, size_t n)
{
	struct map_guard	 g;

	g.lo = (uintptr_t)p;
	g.hi = g.lo + n;
	if (sigsetjmp(g.env, 1) != 0) {
		map_guard_cur = NULL;
		return -1;
	}
	map_guard_cur = &g;
	cs_hasher_update(h, p, n);
	map_guard_cur = NULL;
	return 0;
}

int
cs_hasher_map(struct cs_hasher *h, int fd, uint64_t off, uint64_t size,
    uint64_t limit, uint64_t *nread)
{
	unsigned char	*p;
	uint64_t	 end, base, total = 0;
	size_t		 len, skip, want;
	ssize_t		 n;
	int		 r, mapping;

	mapping = map_install();
	end = size;
	if (off > end)
		end = off;
	if (limit < end - off)
		end = off + limit;
	while (off < end) {
		base = off & ~(uint64_t)(MAP_WINDOW - 1);
		skip = (size_t)(off - base);
		len = MAP_WINDOW - skip;
		if (end - off < len)
			len = (size_t)(end - off);
		p = MAP_FAILED;
		if (mapping)
			p = mmap(NULL, skip + len, PROT_READ,
			    MAP_SHARED | MAP_POPULATE, fd, (off_t)base);
		if (p != MAP_FAILED) {
			r = map_hash(h, p + skip, len);
			munmap(p, skip + len);
			if (r != 0) {
				*nread = total;
				errno = EIO;
				return -1;
			}
		} else {
			/* not mappable here: read the rest instead */
			mapping = 0;
			want = len < h->bufsize ? len : h->bufsize;
			n = pread(fd, h->buf, want, (off_t)off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				*nread = total;
				return -1;
			}
			if (n == 0)
				break;
			cs_hasher_update(h, h->buf, (size_t)n);
			len = (size_t)n;
		}
		off += len;
		total += len;
	}
	*nread = total;
	return 0;
}

void
cs_hasher_zeros(struct cs_hasher *h, uint64_t n)
{
	size_t	 k;

	while (n > 0) {
		k = n < sizeof digest_zeros ? (size_t)n : sizeof digest_zeros;
		cs_hasher_update(h, digest_zeros, k);
		n -= k;
	}
}

void *
cs_hasher_buf(struct cs_hasher *h, size_t *size)
{
	*size = h->bufsize;
	return h->buf;
}

void
cs_hex(const unsigned char *p, size_t n, char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 0xf];
	}
	out[2 * n] = '\0';
}

int
cs_unhex(const char *s, size_t slen, unsigned char *out, size_t n)
{
	size_t	 i;
	int	 hi, lo;

	if (slen != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		hi = cs_hexval(s[2 * i]);
		lo = cs_hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/*
 * The zero-run digest.
 */
struct cs_zhasher {
	EVP_MD_CTX	*outer;		/* the sha256z message */
	EVP_MD_CTX	*inner;		/* the current data run's bytes */
	uint64_t	 size;
	uint64_t	 pos;		/* logical bytes taken so far */
	size_t		 blklen;	/* of them in blk, not yet judged */
	int		 inrun;
	uint64_t	 runoff, runlen;
	unsigned char	 blk[CS_ZBLOCK];
};

int
cs_zdigest_wanted(uint64_t size, uint64_t data)
{
	return size >= CS_ZDIGEST_MIN && data <= size / 2;
}

struct cs_zhasher *
cs_zhasher_new(void)
{
	struct cs_zhasher	*z;

	z = cs_xcalloc(1, sizeof *z);
	z->outer = EVP_MD_CTX_new();
	z->inner = EVP_MD_CTX_new();
	if (z->outer == NULL || z->inner == NULL) {
		cs_zhasher_free(z);
		return NULL;
	}
	return z;
}

void
cs_zhasher_free(struct cs_zhasher *z)
{
	if (z == NULL)
		return;
	EVP_MD_CTX_free(z->outer);
	EVP_MD_CTX_free(z->inner);
	free(z);
}

static void
zh_be64(EVP_MD_CTX *ctx, uint64_t v)
{
	unsigned char	 b[8];
	int		 i;

	for (i = 7; i >= 0; i--) {
		b[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	EVP_DigestUpdate(ctx, b, sizeof b);
}

void
cs_zhasher_begin(struct cs_zhasher *z, uint64_t size)
{
	EVP_DigestInit_ex(z->outer, EVP_sha256(), NULL);
	z->size = size;
	z->pos = 0;
	z->blklen = 0;
	z->inrun = 0;
	zh_be64(z->outer, size);
}

/* End the current data run, if any: its offset, length and digest. */
static void
zh_close(struct cs_zhasher *z)
{
	unsigned char	 d[CS_ZDIGEST_LEN];
	unsigned int	 len;

	if (!z->inrun)
		return;
	EVP_DigestFinal_ex(z->inner, d, &len);
	zh_be64(z->outer, z->runoff);
	zh_be64(z->outer, z->runlen);
	EVP_DigestUpdate(z->outer, d, sizeof d);
	z->inrun = 0;
}

/* Judge the whole block of N bytes at P, starting at offset OFF. */
static void
zh_block(struct cs_zhasher *z, uint64_t off, const unsigned char *p,
    size_t n)
{
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): never NULL */
	if (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0) {
		zh_close(z);
		return;
	}
	if (!z->inrun) {
		EVP_DigestInit_ex(z->inner, EVP_sha256(), NULL);
		z->inrun = 1;
		z->runoff = off;
		z->runlen = 0;
	}
	EVP_DigestUpdate(z->inner, p, n);
	z->runlen += n;
}

/* The length of the block starting at OFF. */
static size_t
zh_blocklen(const struct cs_zhasher *z, uint64_t off)
{
	return z->size - off < CS_ZBLOCK ? (size_t)(z->size - off) :
	    CS_ZBLOCK;
}

/* Take N bytes at P (NULL: zeros) into the partial block. */
static void
zh_fill(struct cs_zhasher *z, const unsigned char *p, size_t n)
{
	uint64_t	 start = z->pos - z->blklen;

	if (p != NULL)
		memcpy(z->blk + z->blklen, p, n);
	else
		memset(z->blk + z->blklen, 0, n);
	z->blklen += n;
	z->pos += n;
	if (z->blklen == zh_blocklen(z, start)) {
		zh_block(z, start, z->blk, z->blklen);
		z->blklen = 0;
	}
}

/* Take zeros up to offset TO: whole zero blocks just end a run. */
static void
zh_skip(struct cs_zhasher *z, uint64_t to)
{
	uint64_t	 start = z->pos - z->blklen;
	uint64_t	 k;

	if (z->blklen > 0) {
		k = zh_blocklen(z, start) - z->blklen;
		zh_fill(z, NULL, (size_t)(to - z->pos < k ? to - z->pos : k));
	}
	if (z->pos >= to)
		return;
	if (to - to % CS_ZBLOCK > z->pos) {
		zh_close(z);		/* a whole zero block at least */
		z->pos = to - to % CS_ZBLOCK;
	}
	if (to > z->pos)
		zh_fill(z, NULL, (size_t)(to - z->pos));
}

int
cs_zhasher_update(struct cs_zhasher *z, uint64_t off, const void *p,
    size_t n)
{
	const unsigned char	*c = p;
	size_t			 k;

	if (off < z->pos || off > z->size || n > z->size - off)
		return -1;
	zh_skip(z, off);
	while (n > 0) {
		k = zh_blocklen(z, z->pos - z->blklen) - z->blklen;
		if (k > n)
			k = n;
		if (z->blklen == 0 && k == zh_blocklen(z, z->pos)) {
			zh_block(z, z->pos, c, k);	/* no copy */
			z->pos += k;
		} else
			zh_fill(z, c, k);
		c += k;
		n -= k;
	}
	return 0;
}

void
cs_zhasher_end(struct cs_zhasher *z, unsigned char *out)
{
	unsigned int	 len;

	zh_skip(z, z->size);
	zh_close(z);
	EVP_DigestFinal_ex(z->outer, out, &len);
}
