/*
 * digest.c: several EVP digests computed in one pass over the data.
 *
 * The EVP_MD objects are fetched once per hasher; the read buffer is
 * allocated once, page aligned, and reused for every file.
 */
#include "custos/custos.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
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

struct cs_hasher {
	unsigned	 mask;
	EVP_MD		*md[CS_D_COUNT];
	EVP_MD_CTX	*ctx[CS_D_COUNT];
	void		*buf;
	size_t		 bufsize;
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

	for (d = 0; d < CS_D_COUNT; d++) {
		if (h->ctx[d] != NULL)
			EVP_DigestInit_ex(h->ctx[d], h->md[d], NULL);
	}
}

void
cs_hasher_update(struct cs_hasher *h, const void *p, size_t n)
{
	int	 d;

	for (d = 0; d < CS_D_COUNT; d++) {
		if (h->ctx[d] != NULL)
			EVP_DigestUpdate(h->ctx[d], p, n);
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
