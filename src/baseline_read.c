/*
 * baseline_read.c: read and verify a baseline file
 * (doc/custos-baseline.5).
 *
 * The reader trusts nothing in the file: lines are bounded (BL_MAXLINE),
 * the header must hold the required keys and a canonical digest list,
 * records must be clean, parse with the shared codec (baseline.c), come
 * in canonical order from "/" and carry the header's digests, and the
 * "#end" trailer (found first in the file's tail) must add up and match
 * the running SHA-256 of every line before it.  Errors carry the line
 * number and the reason.  Signatures are checked only against a key the
 * caller trusts.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "custos/atomic.h"
#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/range.h"
#include "custos/sign.h"
#include "custos/structured.h"
#include "custos/xmalloc.h"

#include "baseline_int.h"

#define BL_MAXLINE	(16 * 1024 * 1024)
#define BL_TAIL		(64 * 1024)

/* Header keys every baseline has. */
static const char *const bl_required_keys[] = {
	"created", "host", "root", "digests", "tool"
};

/*
 * Reader.
 */
struct cs_blr {
	int			 fd;
	char			*shown;
	char			*buf;
	size_t			 cap;
	size_t			 start;
	size_t			 end;
	int			 eof;
	uint64_t		 off;		/* file offset of buf[start] */
	uint64_t		 lineno;
	uint64_t		 size;
	EVP_MD_CTX		*sha;
	struct cs_bl_header	 hdr;
	unsigned		 digests;
	struct cs_bl_trailer	 tr;
	int			 have_trailer;
	char			*pending;	/* first record line, saved */
	size_t			 pendinglen;
	uint64_t		 pendingoff;	/* the "#end" line's of a */
	int			 pending_end;	/* ... shard with no records */
	struct cs_range		 range;		/* a shard's (range.h) */
	struct cs_order		 order;		/* of the records' paths */
	uint64_t		 records;
	uint64_t		 errors;
	int			 done;
};

static int
blr_fail(struct cs_blr *r, struct cs_err *err, int code, const char *why)
{
	return cs_err_set(err, code, 0, "'%s' line %" PRIu64 ": %s",
	    r->shown, r->lineno, why);
}

/*
 * Next line (without '\n') as a pointer into the buffer, valid until the
 * next call.  Returns 1, 0 at end of file, -1 on error.
 */
static int
blr_getline(struct cs_blr *r, const char **lp, size_t *np,
    struct cs_err *err)
{
	char	*nl;
	size_t	 scanned = 0;
	ssize_t	 n;

	*lp = NULL;
	*np = 0;
	for (;;) {
		nl = memchr(r->buf + r->start + scanned, '\n',
		    r->end - r->start - scanned);
		if (nl != NULL)
			break;
		scanned = r->end - r->start;
		if (r->eof) {
			if (scanned == 0)
				return 0;
			r->lineno++;
			return blr_fail(r, err, CS_EXIT_DATAERR,
			    "last line is not terminated (truncated file?)");
		}
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, scanned);
			r->end = scanned;
			r->start = 0;
		}
		if (r->end == r->cap) {
			if (r->cap >= BL_MAXLINE) {
				r->lineno++;
				return blr_fail(r, err, CS_EXIT_DATAERR,
				    "line too long");
			}
			r->cap *= 2;
			r->buf = cs_xrealloc(r->buf, r->cap);
		}
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cs_err_set(err, CS_EXIT_IOERR, errno,
			    "cannot read '%s'", r->shown);
		if (n == 0)
			r->eof = 1;
		r->end += (size_t)n;
	}
	*lp = r->buf + r->start;
	*np = (size_t)(nl - (r->buf + r->start));
	r->start += *np + 1;
	r->off += *np + 1;
	r->lineno++;
	return 1;
}

/* Hash a line and its newline into the running digest. */
static void
blr_hash(struct cs_blr *r, const char *l, size_t n)
{
	EVP_DigestUpdate(r->sha, l, n + 1);
}

/*
 * Printable ASCII and single spaces only, none first or last.  Every
 * byte of every record passes here, so the bulk is tested eight at a
 * time: a byte below 0x20, a byte above 0x7e (the classic "has less" and
 * "has more" word tests, exact for whether any byte matches), and two
 * spaces side by side within the word; pairs across words and the tail
 * are tested byte by byte.
 */
static int
blr_clean(const char *l, size_t n)
{
	const uint64_t	 ones = UINT64_C(0x0101010101010101);
	const uint64_t	 high = ones * 0x80, low = ones * 0x7f;
	const unsigned char *s = (const unsigned char *)l;
	uint64_t	 x, sp, bad;
	size_t		 i;

	if (n == 0)
		return 1;
	bad = (s[0] == ' ') | (s[n - 1] == ' ');
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, s + i, 8);
		bad |= (x - ones * 0x20) & ~x & high;
		bad |= ((x + ones) | x) & high;
		sp = x ^ ones * ' ';
		sp = ~(((sp & low) + low) | sp | low);	/* 0x80 where ' ' */
		bad |= sp & sp << 8;
		if (i > 0)
			bad |= (s[i - 1] == ' ') & (s[i] == ' ');
	}
	for (i = i > 0 ? i - 1 : 0; i < n; i++) {
		bad |= (unsigned)s[i] - 0x20 > 0x5e;
		if (i > 0)
			bad |= (s[i - 1] == ' ') & (s[i] == ' ');
	}
	return bad == 0;
}

static int
blr_header_line(struct cs_blr *r, const char *l, size_t n,
    struct cs_err *err)
{
	struct cs_buf	 v;
	const char	*eq, *why;
	char		*key, *msg;
	size_t		 i;

	eq = memchr(l, '=', n);
	if (eq == NULL || eq == l + 1)
		return blr_fail(r, err, CS_EXIT_DATAERR, "bad header line");
	for (i = 1; l + i < eq; i++) {
		if (!((l[i] >= 'a' && l[i] <= 'z') ||
		    (l[i] >= '0' && l[i] <= '9') || l[i] == '-'))
			return blr_fail(r, err, CS_EXIT_DATAERR,
			    "bad header key");
	}
	cs_buf_init(&v);
	if (cs_decode(&v, eq + 1, (size_t)(l + n - eq - 1), NULL) != 0) {
		cs_buf_release(&v);
		return blr_fail(r, err, CS_EXIT_DATAERR,
		    "bad encoding in header value");
	}
	key = cs_xmemdup(l + 1, (size_t)(eq - l - 1));
	if ((why = cs_bl_header_check(key, cs_buf_str(&v), v.len, 0)) != NULL) {
		msg = cs_xasprintf("bad header field '%s': %s", key, why);
		blr_fail(r, err, CS_EXIT_DATAERR, msg);
		free(msg);
	} else
		cs_bl_header_add(&r->hdr, key, cs_buf_str(&v), v.len);
	free(key);
	cs_buf_release(&v);
	return why != NULL ? -1 : 0;
}

/* The digests header: a known, non-empty list in canonical order. */
static int
blr_digests(struct cs_blr *r, struct cs_err *err)
{
	const char	*v = cs_bl_header_get(&r->hdr, "digests");
	char		*canon;
	int		 rc;

	if (cs_digest_parse_list(v, &r->digests, err) != 0)
		return -1;
	canon = cs_digest_list(r->digests);
	rc = strcmp(canon, v) == 0 ? 0 : -1;
	free(canon);
	return rc;
}

/*
 * The range of a shard (baseline --shard), whose records must lie in it
 * (borrowed from the header; unbounded ends without the keys).
 */
static void
blr_shard_range(struct cs_blr *r)
{
	size_t	 i;

	for (i = 0; i < r->hdr.n; i++) {
		if (strcmp(r->hdr.lines[i].key, "shard-from") == 0) {
			r->range.from = r->hdr.lines[i].value;
			r->range.fromlen = r->hdr.lines[i].len;
		} else if (strcmp(r->hdr.lines[i].key, "shard-to") == 0) {
			r->range.to = r->hdr.lines[i].value;
			r->range.tolen = r->hdr.lines[i].len;
		}
	}
}

/* Read the magic and header, stopping at (and saving) the first record. */
static int
blr_read_header(struct cs_blr *r, struct cs_err *err)
{
	const char	*l;
	size_t		 n, i, j;
	int		 rc;

	rc = blr_getline(r, &l, &n, err);
	if (rc <= 0 || !cs_bl_magic_ok(l, n))
		return rc < 0 ? -1 : blr_fail(r, err, CS_EXIT_DATAERR,
		    "not a custos baseline (bad first line)");
	blr_hash(r, l, n);
	for (;;) {
		r->pendingoff = r->off;
		rc = blr_getline(r, &l, &n, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return blr_fail(r, err, CS_EXIT_DATAERR,
			    "no records (truncated file?)");
		if (!blr_clean(l, n))
			return blr_fail(r, err, CS_EXIT_DATAERR,
			    "bad byte or spacing");
		if (n > 0 && l[0] == '/')
			break;
		/* a shard's range may hold no record */
		if (n >= 5 && memcmp(l, "#end ", 5) == 0 &&
		    cs_bl_header_get(&r->hdr, "shard") != NULL) {
			r->pending_end = 1;
			break;
		}
		if (n < 2 || l[0] != '#' || (n >= 5 &&
		    memcmp(l, "#end ", 5) == 0))
			return blr_fail(r, err, CS_EXIT_DATAERR,
			    "expected a header line or a record");
		if (blr_header_line(r, l, n, err) != 0)
			return -1;
		blr_hash(r, l, n);
	}
	if (!r->pending_end)
		blr_hash(r, l, n);
	r->pending = cs_xmemdup(l, n);
	r->pendinglen = n;
	for (i = 0; i < CS_NELEM(bl_required_keys); i++) {
		if (cs_bl_header_get(&r->hdr, bl_required_keys[i]) == NULL)
			return cs_err_set(err, CS_EXIT_DATAERR, 0,
			    "'%s': header has no '%s'", r->shown,
			    bl_required_keys[i]);
	}
	for (i = 0; i < r->hdr.n; i++) {
		for (j = i + 1; j < r->hdr.n; j++) {
			if (strcmp(r->hdr.lines[i].key, "exclude") != 0 &&
			    strcmp(r->hdr.lines[i].key,
			    r->hdr.lines[j].key) == 0)
				return cs_err_set(err, CS_EXIT_DATAERR, 0,
				    "'%s': header key '%s' repeated",
				    r->shown, r->hdr.lines[i].key);
		}
	}
	if (blr_digests(r, err) != 0)
		return cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "'%s': bad digests header", r->shown);
	blr_shard_range(r);
	return 0;
}

/* Parse "#end records=N errors=N sha256=HEX" into TR. */
static int
bl_parse_end(const char *l, size_t n, struct cs_bl_trailer *tr)
{
	const char	*p, *sp;

	if (n < 13 || memcmp(l, "#end records=", 13) != 0)
		return -1;
	p = l + 13;
	sp = memchr(p, ' ', (size_t)(l + n - p));
	if (sp == NULL || cs_bl_parse_u64(p, (size_t)(sp - p), UINT64_MAX,
	    &tr->records) != 0)
		return -1;
	p = sp + 1;
	if ((size_t)(l + n - p) < 7 || memcmp(p, "errors=", 7) != 0)
		return -1;
	p += 7;
	sp = memchr(p, ' ', (size_t)(l + n - p));
	if (sp == NULL || cs_bl_parse_u64(p, (size_t)(sp - p), UINT64_MAX,
	    &tr->errors) != 0)
		return -1;
	p = sp + 1;
	if ((size_t)(l + n - p) != 7 + 64 || memcmp(p, "sha256=", 7) != 0)
		return -1;
	return cs_unhex(p + 7, 64, tr->sha256, 32);
}

/* Parse "#signature ed25519 key=ID pub=B64 sig=B64" into TR. */
int
cs_bl_parse_signature(const char *l, size_t n, struct cs_bl_trailer *tr)
{
	static const char	 pre[] = "#signature ed25519 key=";
	const char		*p = l + sizeof pre - 1, *sp, *end = l + n;
	size_t			 len;
	int			 i;

	if (n < sizeof pre - 1 || memcmp(l, pre, sizeof pre - 1) != 0 ||
	    (size_t)(end - p) < CS_KEYID_HEXLEN + 1)
		return -1;
	for (i = 0; i < CS_KEYID_HEXLEN; i++) {
		if (cs_hexval(p[i]) < 0)
			return -1;
	}
	memcpy(tr->keyid, p, CS_KEYID_HEXLEN);
	tr->keyid[CS_KEYID_HEXLEN] = '\0';
	p += CS_KEYID_HEXLEN;
	if ((size_t)(end - p) < 5 || memcmp(p, " pub=", 5) != 0)
		return -1;
	p += 5;
	sp = memchr(p, ' ', (size_t)(end - p));
	if (sp == NULL || cs_unbase64(p, (size_t)(sp - p), tr->pub,
	    sizeof tr->pub, &tr->publen) != 0)
		return -1;
	p = sp;
	if ((size_t)(end - p) < 5 || memcmp(p, " sig=", 5) != 0)
		return -1;
	p += 5;
	if (cs_unbase64(p, (size_t)(end - p), tr->sig, sizeof tr->sig,
	    &len) != 0 || len != CS_SIG_LEN)
		return -1;
	tr->is_signed = 1;
	return 0;
}

/* Find the trailer (and signature) in the last bytes of the file. */
static int
blr_read_tail(struct cs_blr *r, struct cs_err *err)
{
	char		*tail, *last, *prev, *endl;
	size_t		 n, endn;
	ssize_t		 got;
	uint64_t	 from;

	n = r->size < BL_TAIL ? (size_t)r->size : BL_TAIL;
	from = r->size - n;
	tail = cs_xmalloc(n + 1);
	got = pread(r->fd, tail, n, (off_t)from);
	if (got != (ssize_t)n) {
		free(tail);
		return cs_err_set(err, CS_EXIT_IOERR, got < 0 ? errno : EIO,
		    "cannot read '%s'", r->shown);
	}
	tail[n] = '\0';
	if (n < 2 || tail[n - 1] != '\n')
		goto bad;
	tail[n - 1] = '\0';
	last = strrchr(tail, '\n');
	if (last == NULL)
		goto bad;
	*last++ = '\0';
	prev = strrchr(tail, '\n');
	prev = prev != NULL ? prev + 1 : tail;
	if (strncmp(last, "#signature ", 11) == 0) {
		if (cs_bl_parse_signature(last, strlen(last), &r->tr) != 0) {
			free(tail);
			return cs_err_set(err, CS_EXIT_INTEGRITY, 0,
			    "'%s': malformed signature line", r->shown);
		}
		endl = prev;
	} else {
		endl = last;
	}
	endn = strlen(endl);
	if (bl_parse_end(endl, endn, &r->tr) != 0)
		goto bad;
	r->tr.endline = cs_xmalloc(endn + 1);
	memcpy(r->tr.endline, endl, endn);
	r->tr.endline[endn] = '\n';
	r->tr.endlen = endn + 1;
	r->tr.endoff = from + (uint64_t)(endl - tail);
	r->have_trailer = 1;
	free(tail);
	return 0;
bad:
	free(tail);
	return cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s': no valid trailer "
	    "at the end (truncated or altered file)", r->shown);
}

struct cs_blr *
cs_blr_open(const char *path, struct cs_err *err)
{
	return cs_blr_open_as(path, path, err);
}

struct cs_blr *
cs_blr_open_as(const char *path, const char *name, struct cs_err *err)
{
	struct cs_blr	*r;
	struct stat	 st;

	r = cs_xcalloc(1, sizeof *r);
	r->fd = -1;
	r->shown = cs_encode_dup(name);
	cs_bl_header_init(&r->hdr);
	cs_order_init(&r->order);
	r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (r->fd < 0 || fstat(r->fd, &st) != 0) {
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open '%s'",
		    r->shown);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		cs_err_set(err, CS_EXIT_NOINPUT, 0,
		    "'%s' is not a regular file", r->shown);
		goto fail;
	}
	r->size = (uint64_t)st.st_size;
	r->cap = 1024 * 1024;
	r->buf = cs_xmalloc(r->cap);
	r->sha = EVP_MD_CTX_new();
	if (r->sha == NULL || EVP_DigestInit_ex(r->sha, EVP_sha256(),
	    NULL) != 1) {
		cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot start SHA-256");
		goto fail;
	}
	if (blr_read_header(r, err) != 0 || blr_read_tail(r, err) != 0)
		goto fail;
	return r;
fail:
	cs_blr_close(r);
	return NULL;
}

const struct cs_bl_header *
cs_blr_header(const struct cs_blr *r)
{
	return &r->hdr;
}

const struct cs_bl_trailer *
cs_blr_trailer(const struct cs_blr *r)
{
	return r->have_trailer ? &r->tr : NULL;
}

int
cs_blr_check_digest(struct cs_blr *r, struct cs_err *err)
{
	unsigned char		 sha[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct cs_hasher	*h;
	uint64_t		 n = 0;
	int			 rc;

	if (!r->have_trailer)
		return cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s': no "
		    "trailer", r->shown);
	if ((h = cs_hasher_new(1U << CS_D_SHA256, 1024 * 1024)) == NULL)
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "cannot start "
		    "SHA-256");
	cs_hasher_begin(h);
	rc = cs_hasher_map(h, r->fd, 0, r->tr.endoff, UINT64_MAX, &n);
	if (rc != 0)
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot read '%s'",
		    r->shown);
	else if (n != r->tr.endoff)
		rc = cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s' shrank "
		    "while it was being read", r->shown);
	else {
		cs_hasher_end(h, sha);
		if (memcmp(sha[CS_D_SHA256], r->tr.sha256, 32) != 0)
			rc = cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s': "
			    "content does not match the trailer's SHA-256 "
			    "(altered file)", r->shown);
	}
	cs_hasher_free(h);
	return rc;
}

uint64_t
cs_blr_lineno(const struct cs_blr *r)
{
	return r->lineno;
}

/* At the "#end" line: it must be where the tail said, and add up. */
static int
blr_finish(struct cs_blr *r, const char *l, size_t n, uint64_t lineoff,
    struct cs_err *err)
{
	unsigned char	 sha[EVP_MAX_MD_SIZE];
	unsigned int	 shalen;

	if (lineoff != r->tr.endoff || n + 1 != r->tr.endlen ||
	    memcmp(l, r->tr.endline, n) != 0)
		return blr_fail(r, err, CS_EXIT_INTEGRITY,
		    "trailer is not where it should be (altered file)");
	EVP_DigestFinal_ex(r->sha, sha, &shalen);
	if (memcmp(sha, r->tr.sha256, 32) != 0)
		return blr_fail(r, err, CS_EXIT_INTEGRITY,
		    "content does not match the trailer's SHA-256 "
		    "(altered file)");
	if (r->records != r->tr.records || r->errors != r->tr.errors)
		return blr_fail(r, err, CS_EXIT_INTEGRITY,
		    "record or error count does not match the trailer");
	r->done = 1;
	return 0;
}

/* Parse a record line and check its order and digests. */
static int
blr_record(struct cs_blr *r, const char *l, size_t n, struct cs_entry **ep,
    struct cs_err *err)
{
	struct cs_entry	*e;
	const char	*why = NULL;

	if (!blr_clean(l, n))
		return blr_fail(r, err, CS_EXIT_DATAERR, "bad byte or spacing");
	e = cs_entry_new();
	if (cs_bl_parse_new(l, n, e, &why) != 0) {
		cs_entry_free(e);
		return blr_fail(r, err, CS_EXIT_DATAERR, why);
	}
	if (cs_order_check(&r->order, e->path, e->pathlen) != 0) {
		cs_entry_free(e);
		return blr_fail(r, err, CS_EXIT_DATAERR,
		    "path out of canonical order or repeated");
	}
	if (r->records == 0 && r->range.from == NULL &&
	    (e->pathlen != 1 || e->type != CS_T_DIR)) {
		cs_entry_free(e);
		return blr_fail(r, err, CS_EXIT_DATAERR,
		    "first record is not the root directory '/'");
	}
	if (cs_range_where(&r->range, e->path, e->pathlen) != CS_RANGE_IN) {
		cs_entry_free(e);
		return blr_fail(r, err, CS_EXIT_DATAERR,
		    "record outside the shard's range");
	}
	if ((e->digests & ~r->digests) != 0 || (e->type == CS_T_FILE &&
	    e->error == NULL && e->digests != r->digests &&
	    (e->have & CS_F_ZDIGEST) == 0)) {
		cs_entry_free(e);
		return blr_fail(r, err, CS_EXIT_DATAERR,
		    "digests differ from the header's list");
	}
	r->records++;
	if (e->error != NULL)
		r->errors++;
	*ep = e;
	return 1;
}

int
cs_blr_next(struct cs_blr *r, struct cs_entry **ep, struct cs_err *err)
{
	const char	*l;
	size_t		 n;
	uint64_t	 lineoff;
	int		 rc;

	*ep = NULL;
	if (r->done)
		return 0;
	if (r->pending != NULL && r->pending_end) {
		rc = blr_finish(r, r->pending, r->pendinglen, r->pendingoff,
		    err);
		free(r->pending);
		r->pending = NULL;
		return rc != 0 ? -1 : 0;
	}
	if (r->pending != NULL) {
		rc = blr_record(r, r->pending, r->pendinglen, ep, err);
		free(r->pending);
		r->pending = NULL;
		return rc;
	}
	lineoff = r->off;
	rc = blr_getline(r, &l, &n, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return blr_fail(r, err, CS_EXIT_INTEGRITY, "no trailer");
	if (n >= 5 && memcmp(l, "#end ", 5) == 0) {
		if (blr_finish(r, l, n, lineoff, err) != 0)
			return -1;
		return 0;
	}
	blr_hash(r, l, n);
	return blr_record(r, l, n, ep, err);
}

void
cs_blr_close(struct cs_blr *r)
{
	if (r == NULL)
		return;
	if (r->fd >= 0)
		close(r->fd);
	EVP_MD_CTX_free(r->sha);
	cs_bl_header_release(&r->hdr);
	free(r->tr.endline);
	free(r->pending);
	cs_order_release(&r->order);
	free(r->buf);
	free(r->shown);
	free(r);
}

int
cs_bl_verify_signature(const struct cs_bl_trailer *tr,
    const struct cs_key *pub, const char *fingerprint, const char *name,
    struct cs_err *err)
{
	struct cs_key	*embedded = NULL;
	char		*shown;
	int		 rc = -1;

	shown = cs_encode_dup(name);
	if (tr == NULL || !tr->is_signed) {
		cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s' is not signed",
		    shown);
		goto out;
	}
	embedded = cs_key_from_spki(tr->pub, tr->publen, err);
	if (embedded == NULL) {
		cs_err_set(err, CS_EXIT_INTEGRITY, 0,
		    "'%s': the signature line holds no valid Ed25519 key",
		    shown);
		goto out;
	}
	if (strcmp(cs_key_id(embedded), tr->keyid) != 0) {
		cs_err_set(err, CS_EXIT_INTEGRITY, 0,
		    "'%s': key id does not match the embedded key", shown);
		goto out;
	}
	if (pub != NULL && strcmp(cs_key_fingerprint(pub),
	    cs_key_fingerprint(embedded)) != 0) {
		cs_err_set(err, CS_EXIT_INTEGRITY, 0,
		    "'%s' is signed by key %s, not by the trusted key %s",
		    shown, cs_key_id(embedded), cs_key_id(pub));
		goto out;
	}
	if (fingerprint != NULL && strcmp(fingerprint,
	    cs_key_fingerprint(embedded)) != 0) {
		cs_err_set(err, CS_EXIT_INTEGRITY, 0,
		    "'%s' is signed by key %s, whose fingerprint is not the "
		    "one given with --signer", shown, cs_key_id(embedded));
		goto out;
	}
	if (pub == NULL && fingerprint == NULL) {
		cs_err_set(err, CS_EXIT_USAGE, 0,
		    "no trusted key: give --pubkey or --signer");
		goto out;
	}
	if (cs_key_verify(embedded, tr->endline, tr->endlen, tr->sig) != 0) {
		cs_err_set(err, CS_EXIT_INTEGRITY, 0,
		    "'%s': BAD SIGNATURE by key %s", shown,
		    cs_key_id(embedded));
		goto out;
	}
	rc = 0;
out:
	cs_key_free(embedded);
	free(shown);
	return rc;
}
