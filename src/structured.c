/*
 * structured.c: parse account databases and login records into entry
 * texts, and read them safely from the walker's descriptor.
 *
 * Every byte parsed here comes from an examined filesystem or a baseline:
 * lines longer than SK_MAXLINE, with NUL bytes, with a wrong number of
 * fields or with numbers out of range are skipped and counted ("#bad=N"),
 * never trusted; a file too large to carry gets an "#error=" line.  The
 * texts never hold a password field: a keyed digest stands for it.  The
 * comparison of two texts is in structured_cmp.c.
 */
#include "custos/custos.h"

#include <sys/types.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/policy.h"
#include "custos/structured.h"
#include "custos/xmalloc.h"
#include "structured_int.h"

#define SK_MAXLINE	(64 * 1024)	/* longer lines are malformed */
#define SK_MAXTEXT	(8 * 1024 * 1024)	/* text files read whole */
#define SK_MAXOUT	(4 * 1024 * 1024)	/* entry text carried */
#define SK_CHUNK	(256 * 1024)
#define SK_UTMP_SIZE	384	/* struct utmp, Linux x86-64 glibc */
#define SK_UTMP_TV	340	/* ut_tv.tv_sec, int32 */
#define SK_LL_SIZE	292	/* struct lastlog, Linux x86-64 glibc */
#define SK_DIGEST_HEX	32	/* hex digits of a password digest */

/* A parser of N bytes of content at offset OFF. */
struct sk_parse;
typedef void	 sk_feed_fn(struct sk_parse *, const unsigned char *, size_t,
		    uint64_t);

struct sk_parse {
	struct cs_buf		 out;
	const unsigned char	*key;
	uint64_t		 bad;
	int			 full;		/* SK_MAXOUT reached */
	/* login records */
	uint64_t		 n;
	uint64_t		 zero;
	uint64_t		 back;
	int64_t			 last;
	unsigned char		 rec[SK_UTMP_SIZE];
	size_t			 have;		/* bytes of a partial record */
};

static sk_feed_fn sk_feed_passwd, sk_feed_group, sk_feed_shadow,
    sk_feed_gshadow, sk_feed_subid, sk_feed_utmp, sk_feed_lastlog,
    sk_feed_logindefs;

/* The kinds: ordered as enum cs_skind. */
static const struct {
	const char	*name;
	sk_feed_fn	*feed;		/* whole text, or chunks of records */
	int		 text;		/* lines of text, read whole */
	cs_sk_cmp_fn	*compare;
} sk_kinds[CS_S_COUNT] = {
	{ "none", NULL, 0, NULL },
	{ "passwd", sk_feed_passwd, 1, cs_sk_cmp_passwd },
	{ "group", sk_feed_group, 1, cs_sk_cmp_group },
	{ "shadow", sk_feed_shadow, 1, cs_sk_cmp_shadow },
	{ "gshadow", sk_feed_gshadow, 1, cs_sk_cmp_gshadow },
	{ "subid", sk_feed_subid, 1, cs_sk_cmp_subid },
	{ "utmp", sk_feed_utmp, 0, cs_sk_cmp_utmp },
	{ "lastlog", sk_feed_lastlog, 0, cs_sk_cmp_lastlog },
	{ "logindefs", sk_feed_logindefs, 1, cs_sk_cmp_logindefs },
};

int
cs_skind_lookup(const char *s, size_t n)
{
	int	 k;

	for (k = 0; k < CS_S_COUNT; k++) {
		if (strlen(sk_kinds[k].name) == n &&
		    memcmp(sk_kinds[k].name, s, n) == 0)
			return k;
	}
	return -1;
}

const char *
cs_skind_name(int k)
{
	return k >= 0 && k < CS_S_COUNT ? sk_kinds[k].name : "none";
}

cs_sk_cmp_fn *
cs_sk_comparator(int k)
{
	return k > 0 && k < CS_S_COUNT ? sk_kinds[k].compare : NULL;
}

int
cs_skey_new(unsigned char *key, struct cs_err *err)
{
	if (RAND_bytes(key, CS_SKEY_LEN) != 1)
		return cs_err_ssl(err, CS_EXIT_SOFTWARE,
		    "cannot make a random key");
	return 0;
}

/* Strict decimal of 1 to 20 digits up to MAX (leading zeros allowed). */
int
cs_sk_num(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (n == 0 || n > 20)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    v > (max - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Split line L (N bytes) at ':' into at most MAX fields; the count. */
size_t
cs_sk_split(const char *l, size_t n, const char **f, size_t *fl, size_t max)
{
	const char	*p = l, *c, *end = l + n;
	size_t		 k = 0;

	for (;;) {
		c = memchr(p, ':', (size_t)(end - p));
		if (k == max)
			return max + 1;		/* too many */
		f[k] = p;
		fl[k++] = c != NULL ? (size_t)(c - p) : (size_t)(end - p);
		if (c == NULL)
			return k;
		p = c + 1;
	}
}

/* Append one field and its separator (or the newline). */
static void
sk_field(struct sk_parse *p, const char *s, size_t n, int last)
{
	cs_buf_add(&p->out, s, n);
	cs_buf_addc(&p->out, last ? '\n' : ':');
}

static void
sk_num_field(struct sk_parse *p, uint64_t v, int last)
{
	cs_buf_add_u64(&p->out, v);
	cs_buf_addc(&p->out, last ? '\n' : ':');
}

/*
 * A password field: leading '!' and '*' (locks) are kept, as are "x"
 * and the empty field; anything else becomes '#' and a keyed digest
 * (or "#nokey" without a key).
 */
static void
sk_password(struct sk_parse *p, const char *pw, size_t n, int last)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;
	char		 hex[2 * EVP_MAX_MD_SIZE + 1];
	size_t		 i = 0;

	while (i < n && (pw[i] == '!' || pw[i] == '*'))
		i++;
	cs_buf_add(&p->out, pw, i);
	if (i < n && n - i == 1 && pw[i] == 'x')
		cs_buf_addc(&p->out, 'x');
	else if (i < n && p->key == NULL)
		cs_buf_adds(&p->out, "#nokey");
	else if (i < n && HMAC(EVP_sha256(), p->key, CS_SKEY_LEN,
	    (const unsigned char *)pw + i, n - i, md, &mdlen) != NULL) {
		cs_hex(md, SK_DIGEST_HEX / 2, hex);
		cs_buf_addc(&p->out, '#');
		cs_buf_adds(&p->out, hex);
	} else if (i < n)
		cs_buf_adds(&p->out, "#nokey");
	cs_buf_addc(&p->out, last ? '\n' : ':');
}

/* "#k=ID": which key made the digests (hex of its SHA-256's head). */
static void
sk_key_line(struct sk_parse *p)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	char		 hex[17];

	if (p->key == NULL ||
	    EVP_Digest(p->key, CS_SKEY_LEN, md, &mdlen, EVP_sha256(),
	    NULL) != 1)
		return;
	cs_hex(md, 8, hex);
	cs_buf_printf(&p->out, "#k=%s\n", hex);
}

/* Numeric fields that may be empty (shadow's aging fields). */
static int
sk_opt_num(const char *s, size_t n)
{
	uint64_t	 v;

	return n == 0 || cs_sk_num(s, n, INT64_MAX, &v) == 0;
}

/* One line of a text kind: parse it, or count it as malformed. */
typedef int	 sk_line_fn(struct sk_parse *, const char *, size_t);

static int
sk_line_passwd(struct sk_parse *p, const char *l, size_t n)
{
	const char	*f[8];
	size_t		 fl[8];
	uint64_t	 uid, gid;

	if (cs_sk_split(l, n, f, fl, 7) != 7 || fl[0] == 0 ||
	    cs_sk_num(f[2], fl[2], UINT32_MAX, &uid) != 0 ||
	    cs_sk_num(f[3], fl[3], UINT32_MAX, &gid) != 0)
		return -1;
	sk_field(p, f[0], fl[0], 0);
	sk_password(p, f[1], fl[1], 0);
	sk_num_field(p, uid, 0);
	sk_num_field(p, gid, 0);
	sk_field(p, f[4], fl[4], 0);
	sk_field(p, f[5], fl[5], 0);
	sk_field(p, f[6], fl[6], 1);
	return 0;
}

static int
sk_line_group(struct sk_parse *p, const char *l, size_t n)
{
	const char	*f[5];
	size_t		 fl[5];
	uint64_t	 gid;

	if (cs_sk_split(l, n, f, fl, 4) != 4 || fl[0] == 0 ||
	    cs_sk_num(f[2], fl[2], UINT32_MAX, &gid) != 0)
		return -1;
	sk_field(p, f[0], fl[0], 0);
	sk_num_field(p, gid, 0);
	sk_field(p, f[3], fl[3], 1);
	return 0;
}

static int
sk_line_shadow(struct sk_parse *p, const char *l, size_t n)
{
	const char	*f[10];
	size_t		 fl[10], k;

	if (cs_sk_split(l, n, f, fl, 9) != 9 || fl[0] == 0)
		return -1;
	for (k = 2; k < 8; k++) {
		if (!sk_opt_num(f[k], fl[k]))
			return -1;
	}
	sk_field(p, f[0], fl[0], 0);
	sk_password(p, f[1], fl[1], 0);
	for (k = 2; k < 8; k++)
		sk_field(p, f[k], fl[k], k == 7);
	return 0;
}

static int
sk_line_gshadow(struct sk_parse *p, const char *l, size_t n)
{
	const char	*f[5];
	size_t		 fl[5];

	if (cs_sk_split(l, n, f, fl, 4) != 4 || fl[0] == 0)
		return -1;
	sk_field(p, f[0], fl[0], 0);
	sk_password(p, f[1], fl[1], 0);
	sk_field(p, f[2], fl[2], 0);
	sk_field(p, f[3], fl[3], 1);
	return 0;
}

static int
sk_line_subid(struct sk_parse *p, const char *l, size_t n)
{
	const char	*f[4];
	size_t		 fl[4];
	uint64_t	 start, count;

	if (cs_sk_split(l, n, f, fl, 3) != 3 || fl[0] == 0 ||
	    cs_sk_num(f[1], fl[1], UINT64_MAX, &start) != 0 ||
	    cs_sk_num(f[2], fl[2], UINT64_MAX, &count) != 0)
		return -1;
	sk_field(p, f[0], fl[0], 0);
	sk_num_field(p, start, 0);
	sk_num_field(p, count, 1);
	return 0;
}

/* login.defs: "KEY VALUE" lines; only UID_MIN is carried. */
static int
sk_line_logindefs(struct sk_parse *p, const char *l, size_t n)
{
	uint64_t	 v;
	size_t		 i = 0, s;

	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i == n || l[i] == '#')
		return 0;
	if (n - i < 7 || memcmp(l + i, "UID_MIN", 7) != 0 ||
	    (n - i > 7 && l[i + 7] != ' ' && l[i + 7] != '\t'))
		return 0;
	for (i += 7; i < n && (l[i] == ' ' || l[i] == '\t'); i++)
		continue;
	for (s = i; i < n && l[i] != ' ' && l[i] != '\t'; i++)
		continue;
	if (cs_sk_num(l + s, i - s, UINT32_MAX, &v) != 0)
		return -1;
	cs_buf_printf(&p->out, "UID_MIN=%" PRIu64 "\n", v);
	return 0;
}

/* Feed whole text D (N bytes) line by line to LINE. */
static void
sk_lines(struct sk_parse *p, const unsigned char *d, size_t n,
    sk_line_fn *line, int comments)
{
	const char	*s = (const char *)d, *end = s + n, *nl;
	size_t		 len;

	for (; s < end && !p->full; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		len = (size_t)(nl - s);
		if (len == 0 && !comments)
			p->bad++;
		else if (len > SK_MAXLINE || memchr(s, '\0', len) != NULL)
			p->bad++;
		else if (!comments && s[0] == '#')
			p->bad++;
		else if (len > 0 && line(p, s, len) != 0)
			p->bad++;
		if (p->out.len > SK_MAXOUT)
			p->full = 1;
	}
}

static void
sk_feed_passwd(struct sk_parse *p, const unsigned char *d, size_t n,
    uint64_t off)
{
	(void)off;
	sk_key_line(p);
	sk_lines(p, d, n, sk_line_passwd, 0);
}

static void
sk_feed_group(struct sk_parse *p, const unsigned char *d, size_t n,
    uint64_t off)
{
	(void)off;
	sk_lines(p, d, n, sk_line_group, 0);
}

static void
sk_feed_shadow(struct sk_parse *p, const unsigned char *d, size_t n,
    uint64_t off)
{
	(void)off;
	sk_key_line(p);
	sk_lines(p, d, n, sk_line_shadow, 0);
}

static void
sk_feed_gshadow(struct sk_parse *p, const unsigned char *d, size_t n,
    uint64_t off)
{
	(void)off;
	sk_key_line(p);
	sk_lines(p, d, n, sk_line_gshadow, 0);
}

static void
sk_feed_subid(struct sk_parse *p, const unsigned char *d, size_t n,
    uint64_t off)
{
	(void)off;
	sk_lines(p, d, n, sk_line_subid, 0);
}

static void
sk_feed_logindefs(struct sk_parse *p, const unsigned char *d, size_t n,
    uint64_t off)
{
	(void)off;
	sk_lines(p, d, n, sk_line_logindefs, 1);
}

/* A little-endian int32 at P. */
static int64_t
sk_le32(const unsigned char *q)
{
	uint32_t	 v;

	v = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 |
	    (uint32_t)q[3] << 24;
	return (int64_t)(int32_t)v;
}

static int
sk_all_zero(const unsigned char *q, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (q[i] != 0)
			return 0;
	}
	return 1;
}

/* One whole utmp record: counted, zeroed or timed. */
static void
sk_utmp_record(struct sk_parse *p, const unsigned char *r)
{
	int64_t	 t;

	p->n++;
	if (sk_all_zero(r, SK_UTMP_SIZE)) {
		p->zero++;
		return;
	}
	t = sk_le32(r + SK_UTMP_TV);
	if (p->n > 1 && t < p->last)
		p->back++;
	else
		p->last = t;
}

/* wtmp, btmp: records in order; a partial one is kept for the next. */
static void
sk_feed_utmp(struct sk_parse *p, const unsigned char *d, size_t n,
    uint64_t off)
{
	size_t	 take;

	(void)off;
	while (n > 0) {
		if (p->have > 0 || n < SK_UTMP_SIZE) {
			take = SK_UTMP_SIZE - p->have;
			if (take > n)
				take = n;
			memcpy(p->rec + p->have, d, take);
			p->have += take;
			d += take;
			n -= take;
			if (p->have == SK_UTMP_SIZE) {
				sk_utmp_record(p, p->rec);
				p->have = 0;
			}
			continue;
		}
		sk_utmp_record(p, d);
		d += SK_UTMP_SIZE;
		n -= SK_UTMP_SIZE;
	}
}

/*
 * lastlog: slot UID at offset UID * SK_LL_SIZE.  D starts at file
 * offset OFF, a multiple of the slot size (the reader sees to it).
 */
static void
sk_feed_lastlog(struct sk_parse *p, const unsigned char *d, size_t n,
    uint64_t off)
{
	uint64_t	 uid = off / SK_LL_SIZE;
	size_t		 i;

	for (i = 0; i + SK_LL_SIZE <= n && !p->full; i += SK_LL_SIZE, uid++) {
		if (sk_all_zero(d + i, SK_LL_SIZE))
			continue;
		cs_buf_printf(&p->out, "%" PRIu64 ":%" PRId64 "\n", uid,
		    sk_le32(d + i));
		if (p->out.len > SK_MAXOUT)
			p->full = 1;
	}
	p->have = n - i;	/* a partial slot at the end of the file */
}

static void
sk_begin(struct sk_parse *p, int kind, const unsigned char *key)
{
	memset(p, 0, sizeof *p);
	p->key = key;
	cs_buf_init(&p->out);
	cs_buf_adds(&p->out, cs_skind_name(kind));
	cs_buf_addc(&p->out, ':');
}

/* Close the text: counts, and what could not be carried. */
static char *
sk_end(struct sk_parse *p, int kind, const char *error, size_t *lenp)
{
	if (p->full) {
		cs_buf_reset(&p->out);
		cs_buf_adds(&p->out, cs_skind_name(kind));
		cs_buf_addc(&p->out, ':');
		error = "too many entries to carry";
	}
	if (kind == CS_S_UTMP)
		cs_buf_printf(&p->out, "n=%" PRIu64 "\nlast=%" PRId64
		    "\nback=%" PRIu64 "\nzero=%" PRIu64 "\n", p->n, p->last,
		    p->back, p->zero);
	if ((kind == CS_S_UTMP || kind == CS_S_LASTLOG) && p->have > 0)
		cs_buf_printf(&p->out, "#partial=%zu\n", p->have);
	if (p->bad > 0)
		cs_buf_printf(&p->out, "#bad=%" PRIu64 "\n", p->bad);
	if (error != NULL)
		cs_buf_printf(&p->out, "#error=%s\n", error);
	return cs_buf_detach(&p->out, lenp);
}

char *
cs_structured_parse(int kind, const void *data, size_t n,
    const unsigned char *key, size_t *lenp)
{
	struct sk_parse	 p;

	if (kind <= 0 || kind >= CS_S_COUNT)
		kind = CS_S_NONE;
	sk_begin(&p, kind, key);
	if (sk_kinds[kind].feed != NULL)
		sk_kinds[kind].feed(&p, data, n, 0);
	return sk_end(&p, kind, NULL, lenp);
}

/* pread all of N bytes at OFF; -1 on error, else bytes read (short: EOF). */
static ssize_t
sk_pread(int fd, unsigned char *buf, size_t n, uint64_t off)
{
	size_t	 got = 0;
	ssize_t	 r;

	while (got < n) {
		r = pread(fd, buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/*
 * Feed [FROM, TO) of FD in chunks (whole slots for lastlog).  Returns 0,
 * or -1 on a read error.
 */
static int
sk_feed_range(struct sk_parse *p, int kind, int fd, unsigned char *buf,
    uint64_t from, uint64_t to)
{
	size_t	 want, chunk = SK_CHUNK;
	ssize_t	 r;

	if (kind == CS_S_LASTLOG)
		chunk = SK_CHUNK / SK_LL_SIZE * SK_LL_SIZE;
	while (from < to && !p->full) {
		want = to - from < chunk ? (size_t)(to - from) : chunk;
		if ((r = sk_pread(fd, buf, want, from)) < 0)
			return -1;
		if (r == 0)
			break;
		sk_kinds[kind].feed(p, buf, (size_t)r, from);
		from += (uint64_t)r;
		if ((size_t)r < want)
			break;
	}
	return 0;
}

/*
 * lastlog is sparse and may be huge: only its data extents are read
 * (SEEK_DATA, SEEK_HOLE), each widened to whole slots.
 */
static int
sk_read_lastlog(struct sk_parse *p, int fd, uint64_t size, unsigned char *buf)
{
	off_t		 data, hole;
	uint64_t	 from, to = 0;

	data = lseek(fd, 0, SEEK_DATA);
	if (data < 0 && errno == EINVAL)	/* no SEEK_DATA: read all */
		return sk_feed_range(p, CS_S_LASTLOG, fd, buf, 0, size);
	while (data >= 0 && (uint64_t)data < size && !p->full) {
		if ((hole = lseek(fd, data, SEEK_HOLE)) < 0)
			return -1;
		from = (uint64_t)data / SK_LL_SIZE * SK_LL_SIZE;
		if (from < to)		/* a slot across the last hole */
			from = to;
		to = ((uint64_t)hole + SK_LL_SIZE - 1) / SK_LL_SIZE *
		    SK_LL_SIZE;
		if (to > size)
			to = size;
		if (sk_feed_range(p, CS_S_LASTLOG, fd, buf, from, to) != 0)
			return -1;
		if ((uint64_t)hole >= size)
			break;
		data = lseek(fd, (off_t)to, SEEK_DATA);
	}
	if (data < 0 && errno != ENXIO)
		return -1;
	p->have = (size_t)(size % SK_LL_SIZE);
	return 0;
}

char *
cs_structured_read(int kind, int fd, uint64_t size,
    const unsigned char *key, size_t *lenp)
{
	struct sk_parse	 p;
	unsigned char	*buf = NULL;
	const char	*error = NULL;
	char		*text = NULL;
	ssize_t		 r;
	off_t		 pos = -1;
	int		 saved;

	if (kind <= 0 || kind >= CS_S_COUNT)
		return cs_structured_parse(CS_S_NONE, NULL, 0, NULL, lenp);
	sk_begin(&p, kind, key);
	if (sk_kinds[kind].text && size > SK_MAXTEXT) {
		error = "file too large to carry its entries";
	} else if (sk_kinds[kind].text) {
		buf = cs_xmalloc((size_t)size + 1);
		if ((r = sk_pread(fd, buf, (size_t)size, 0)) < 0)
			goto fail;
		sk_kinds[kind].feed(&p, buf, (size_t)r, 0);
	} else if (kind == CS_S_LASTLOG) {
		/* SEEK_DATA moves the offset: put it back for the hasher */
		buf = cs_xmalloc(SK_CHUNK);
		if ((pos = lseek(fd, 0, SEEK_CUR)) < 0 ||
		    sk_read_lastlog(&p, fd, size, buf) != 0 ||
		    lseek(fd, pos, SEEK_SET) != pos)
			goto fail;
	} else {
		buf = cs_xmalloc(SK_CHUNK);
		if (sk_feed_range(&p, kind, fd, buf, 0, size) != 0)
			goto fail;
	}
	text = sk_end(&p, kind, error, lenp);
	free(buf);
	return text;
fail:
	saved = errno;
	if (pos >= 0)
		(void)lseek(fd, pos, SEEK_SET);
	cs_buf_release(&p.out);
	free(buf);
	errno = saved;
	return NULL;
}

int
cs_structured_kind(const char *s, size_t n)
{
	const char	*colon = memchr(s, ':', n);
	int		 k;

	if (colon == NULL)
		return -1;
	k = cs_skind_lookup(s, (size_t)(colon - s));
	return k > 0 ? k : -1;
}

int
cs_structured_valid(const char *s, size_t n)
{
	const char	*colon;

	if (cs_structured_kind(s, n) < 0 || memchr(s, '\0', n) != NULL)
		return 0;
	colon = memchr(s, ':', n);
	return colon + 1 == s + n || s[n - 1] == '\n';
}

void
cs_structured_walk(void *arg, struct cs_entry *e, int fd)
{
	const struct cs_structured_ctx	*c = arg;
	char				*text;
	size_t				 len;
	int				 kind;

	if ((kind = cs_policy_structured(c->policy, e->path)) <= 0)
		return;
	text = cs_structured_read(kind, fd, e->size,
	    c->has_key ? c->key : NULL, &len);
	if (text == NULL) {
		text = cs_xasprintf("%s:#error=read error\n",
		    cs_skind_name(kind));
		len = strlen(text);
	}
	free(e->sdata);
	e->sdata = text;
	e->sdatalen = len;
	e->have |= CS_F_STRUCT;
}
