/*
 * pax.c: the pax header codec (pax.h), shared by the evidence tar writer
 * and its readers.
 *
 * Invariants: a record's length counts itself and its newline; a spliced
 * header keeps libarchive's bytes in order with the new records at the
 * end of the extended header, padded with zeros to a whole block, and a
 * correct checksum; the finders never read outside the records given.
 */
#include "custos/custos.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/pax.h"

static const unsigned char pax_zeros[512];

unsigned
cs_pax_tar_cksum(const unsigned char *h)
{
	unsigned	 sum = 0;
	size_t		 i;

	for (i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum;
}

/* Decimal digits of N. */
static size_t
pax_ndigits(size_t n)
{
	size_t	 d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

void
cs_pax_record(struct cs_buf *b, const char *key, const char *v, size_t vn)
{
	size_t	 len, d;

	/* The length counts itself: find the fixed point. */
	len = 1 + strlen(key) + 1 + vn + 1;
	d = pax_ndigits(len + 1);
	while (pax_ndigits(len + d) != d)
		d++;
	/* no printf: a snapshot writes a few of these per member */
	cs_buf_add_u64(b, len + d);
	cs_buf_addc(b, ' ');
	cs_buf_adds(b, key);
	cs_buf_addc(b, '=');
	cs_buf_add(b, v, vn);
	cs_buf_addc(b, '\n');
}

/* The keyword of digest I: CS_PAX_DIGEST_PREFIX and its name. */
static void
pax_digest_key(char *key, size_t size, int i)
{
	const char	*name = cs_digest_name((enum cs_digest)i);
	size_t		 p = sizeof CS_PAX_DIGEST_PREFIX - 1, n = strlen(name);

	if (p + n >= size)
		n = size - p - 1;	/* the names are short: never */
	memcpy(key, CS_PAX_DIGEST_PREFIX, p);
	memcpy(key + p, name, n);
	key[p + n] = '\0';
}

void
cs_pax_digest_records(struct cs_buf *b, unsigned mask,
    unsigned char d[][CS_DIGEST_MAXLEN])
{
	char	 hex[2 * CS_DIGEST_MAXLEN + 1], key[64];
	int	 i;

	for (i = 0; i < CS_D_COUNT; i++) {
		if ((mask & (1U << i)) == 0)
			continue;
		cs_hex(d[i], cs_digest_len((enum cs_digest)i), hex);
		pax_digest_key(key, sizeof key, i);
		cs_pax_record(b, key, hex, strlen(hex));
	}
}

void
cs_pax_inode_records(struct cs_buf *b, uint64_t dev, uint64_t ino,
    uint64_t nlink)
{
	char	 num[24];

	cs_pax_record(b, CS_PAX_DEV, num, cs_fmt_u64(num, sizeof num, dev));
	cs_pax_record(b, CS_PAX_INO, num, cs_fmt_u64(num, sizeof num, ino));
	cs_pax_record(b, CS_PAX_NLINK, num, cs_fmt_u64(num, sizeof num,
	    nlink));
}

void
cs_pax_time_record(struct cs_buf *b, const char *key, int64_t sec,
    uint32_t nsec)
{
	char		 num[40];
	uint64_t	 s;
	size_t		 n = 0, i;

	if (sec < 0 && nsec > 0) {	/* -1.25 is sec -2, nsec 750000000 */
		s = (uint64_t)-(sec + 1);
		nsec = 1000000000U - nsec;
	} else if (sec < 0)
		s = (uint64_t)-(sec + 1) + 1;
	else
		s = (uint64_t)sec;
	if (sec < 0)
		num[n++] = '-';
	n += cs_fmt_u64(num + n, sizeof num - n, s);
	num[n++] = '.';
	for (i = 9; i > 0; i--) {
		num[n + i - 1] = (char)('0' + nsec % 10);
		nsec /= 10;
	}
	n += 9;
	cs_pax_record(b, key, num, n);
}

/* Octal number into a tar header field of WIDTH bytes (NUL-ended). */
static void
pax_octal(unsigned char *f, size_t width, uint64_t v)
{
	size_t	 i = width - 1;

	f[i] = '\0';
	while (i-- > 0) {
		f[i] = (unsigned char)('0' + (v & 7));
		v >>= 3;
	}
}

static void
pax_set_cksum(unsigned char *h)
{
	pax_octal(h + 148, 7, cs_pax_tar_cksum(h));
	h[155] = ' ';
}

static uint64_t
pax_parse_octal(const unsigned char *f, size_t width)
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
cs_pax_splice(struct cs_buf *out, const unsigned char *h, size_t n,
    const char *recs, size_t rn)
{
	unsigned char	 x[512];
	uint64_t	 size = 0;
	size_t		 body = 0, pad;

	if (n < 512 || n % 512 != 0 ||
	    pax_parse_octal(h + 148, 8) != cs_pax_tar_cksum(h))
		return -1;
	memcpy(x, h, 512);
	if (h[156] == 'x') {
		size = pax_parse_octal(h + 124, 12);
		body = (size_t)((size + 511) / 512 * 512);
		if (512 + body > n)
			return -1;
	} else {
		/* A fresh extended header modelled on the member's own. */
		memset(x, 0, 100);
		/* zeroed */
		/* NOLINTNEXTLINE(bugprone-not-null-terminated-result) */
		memcpy(x, "PaxHeader/custos", 16);
		memset(x + 157, 0, 100);
		x[156] = 'x';
	}
	pax_octal(x + 124, 12, size + rn);
	pax_set_cksum(x);
	cs_buf_add(out, x, 512);
	if (h[156] == 'x')
		cs_buf_add(out, h + 512, (size_t)size);
	cs_buf_add(out, recs, rn);
	pad = (size_t)((512 - (size + rn) % 512) % 512);
	cs_buf_add(out, pax_zeros, pad);
	cs_buf_add(out, h + (h[156] == 'x' ? 512 + body : 0),
	    n - (h[156] == 'x' ? 512 + body : 0));
	return 0;
}

int
cs_pax_find(const char *rec, size_t n, const char *key, const char **v,
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

unsigned
cs_pax_find_digests(const char *rec, size_t n,
    unsigned char d[][CS_DIGEST_MAXLEN])
{
	const char	*v;
	char		 key[64];
	size_t		 vn, len;
	unsigned	 mask = 0;
	int		 i;

	for (i = 0; i < CS_D_COUNT; i++) {
		len = cs_digest_len((enum cs_digest)i);
		pax_digest_key(key, sizeof key, i);
		if (cs_pax_find(rec, n, key, &v, &vn) == 1 &&
		    vn == 2 * len && cs_unhex(v, vn, d[i], len) == 0)
			mask |= 1U << i;
	}
	return mask;
}
