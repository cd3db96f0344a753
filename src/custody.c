/*
 * custody.c: write, parse and check custody records (custody.h).
 *
 * The reader accepts exactly what the writer produces: the magic line,
 * key=value lines with canonically encoded values, one "#end" line whose
 * SHA-256 covers every byte before it, and at most one signature line
 * after it.  Anything else is rejected with the line number.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "custos/atomic.h"
#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/custody.h"
#include "custos/digest.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/sign.h"
#include "custos/xmalloc.h"

int
cs_custody_format(struct cs_buf *out, const struct cs_bl_header *h,
    const struct cs_key *key, struct cs_err *err)
{
	unsigned char	 sha[32];
	char		 hex[65];
	size_t		 start = out->len, i, endoff;

	cs_buf_adds(out, CS_CUSTODY_MAGIC "\n");
	for (i = 0; i < h->n; i++) {
		cs_buf_printf(out, "%s=", h->lines[i].key);
		cs_encode(out, h->lines[i].value, h->lines[i].len);
		cs_buf_addc(out, '\n');
	}
	if (EVP_Digest(out->data + start, out->len - start, sha, NULL,
	    EVP_sha256(), NULL) != 1)
		return cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot hash");
	cs_hex(sha, sizeof sha, hex);
	endoff = out->len;
	cs_buf_printf(out, "#end sha256=%s\n", hex);
	if (key != NULL && cs_bl_signature_line(out, key, out->data + endoff,
	    out->len - endoff, err) != 0)
		return -1;
	return 0;
}

/* One "key=value" line into C's header. */
static int
custody_kv(struct cs_custody *c, const char *l, size_t n)
{
	struct cs_buf	 v;
	const char	*eq;
	char		*key;
	size_t		 i;

	eq = memchr(l, '=', n);
	if (eq == NULL || eq == l)
		return -1;
	for (i = 0; l + i < eq; i++) {
		if (!((l[i] >= 'a' && l[i] <= 'z') ||
		    (l[i] >= '0' && l[i] <= '9') || l[i] == '-'))
			return -1;
	}
	cs_buf_init(&v);
	if (cs_decode(&v, eq + 1, (size_t)(l + n - eq - 1), NULL) != 0) {
		cs_buf_release(&v);
		return -1;
	}
	key = cs_xmemdup(l, (size_t)(eq - l));
	cs_bl_header_add(&c->hdr, key, cs_buf_str(&v), v.len);
	free(key);
	cs_buf_release(&v);
	return 0;
}

/*
 * The fields' values, once the record is known intact: times that
 * exist, an absolute source.  Line N+2 holds field N.
 */
static int
custody_fields(const struct cs_custody *c, const char *shown,
    struct cs_err *err)
{
	const struct cs_bl_hdrline	*h;
	const char			*why;
	size_t				 i;

	for (i = 0; i < c->hdr.n; i++) {
		h = &c->hdr.lines[i];
		if ((why = cs_bl_header_check(h->key, h->value, h->len, 1)) !=
		    NULL)
			return cs_err_set(err, CS_EXIT_DATAERR, 0, "custody "
			    "record '%s': line %zu: bad field '%s': %s", shown,
			    i + 2, h->key, why);
	}
	return 0;
}

/* The "#end" line at offset OFF, and what may follow it. */
static int
custody_tail(struct cs_custody *c, const char *p, size_t len, size_t off,
    const char *shown, struct cs_err *err)
{
	unsigned char	 sha[32];
	const char	*l = p + off, *nl;
	size_t		 n;

	nl = memchr(l, '\n', len - off);
	n = (size_t)(nl - l);
	if (n != 12 + 64 || memcmp(l, "#end sha256=", 12) != 0 ||
	    cs_unhex(l + 12, 64, c->tr.sha256, 32) != 0)
		return cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "custody record '%s': malformed #end line", shown);
	c->tr.endline = cs_xmemdup(l, n + 1);
	c->tr.endlen = n + 1;
	c->tr.endoff = off;
	if (EVP_Digest(p, off, sha, NULL, EVP_sha256(), NULL) != 1)
		return cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot hash");
	if (memcmp(sha, c->tr.sha256, 32) != 0)
		return cs_err_set(err, CS_EXIT_INTEGRITY, 0, "custody record "
		    "'%s': content does not match its #end SHA-256 (altered)",
		    shown);
	l = nl + 1;
	if (l == p + len)
		return 0;
	nl = memchr(l, '\n', (size_t)(p + len - l));
	if (nl == NULL || nl + 1 != p + len ||
	    cs_bl_parse_signature(l, (size_t)(nl - l), &c->tr) != 0)
		return cs_err_set(err, CS_EXIT_INTEGRITY, 0, "custody record "
		    "'%s': malformed signature line or text after it",
		    shown);
	return 0;
}

int
cs_custody_parse(struct cs_custody *c, const char *p, size_t len,
    const char *name, struct cs_err *err)
{
	const char	*l, *nl;
	char		*shown;
	size_t		 off = 0, n;
	unsigned long	 lineno = 0;
	int		 rc = -1;

	memset(c, 0, sizeof *c);
	cs_bl_header_init(&c->hdr);
	shown = cs_encode_dup(name);
	for (;;) {
		l = p + off;
		nl = memchr(l, '\n', len - off);
		lineno++;
		if (nl == NULL) {
			cs_err_set(err, CS_EXIT_INTEGRITY, 0, "custody record "
			    "'%s': no #end line (truncated?)", shown);
			goto out;
		}
		n = (size_t)(nl - l);
		if (lineno == 1) {
			if (n != strlen(CS_CUSTODY_MAGIC) ||
			    memcmp(l, CS_CUSTODY_MAGIC, n) != 0) {
				cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s' is "
				    "not a custody record (bad first line)",
				    shown);
				goto out;
			}
		} else if (n >= 5 && memcmp(l, "#end ", 5) == 0) {
			break;
		} else if (custody_kv(c, l, n) != 0) {
			cs_err_set(err, CS_EXIT_DATAERR, 0, "custody record "
			    "'%s': line %lu: bad key=value line", shown,
			    lineno);
			goto out;
		}
		off += n + 1;
	}
	rc = custody_tail(c, p, len, off, shown, err);
	if (rc == 0)
		rc = custody_fields(c, shown, err);
out:
	free(shown);
	return rc;
}

int
cs_custody_load(struct cs_custody *c, const char *path, struct cs_err *err)
{
	struct cs_buf	 b;
	struct stat	 st;
	char		*shown;
	ssize_t		 got;
	int		 fd, rc = -1;

	memset(c, 0, sizeof *c);
	cs_bl_header_init(&c->hdr);
	cs_buf_init(&b);
	shown = cs_encode_dup(path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		cs_err_set(err, CS_EXIT_NOINPUT, fd < 0 ? errno : 0,
		    "cannot open custody record '%s'", shown);
		goto out;
	}
	if (st.st_size > CS_CUSTODY_MAX) {
		cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "custody record '%s' is too large", shown);
		goto out;
	}
	cs_buf_grow(&b, (size_t)st.st_size + 1);
	while ((got = read(fd, b.data + b.len, b.cap - b.len - 1)) > 0)
		b.len += (size_t)got;
	if (got < 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot read custody record '%s'", shown);
		goto out;
	}
	rc = cs_custody_parse(c, b.data, b.len, path, err);
out:
	if (fd >= 0)
		close(fd);
	cs_buf_release(&b);
	free(shown);
	return rc;
}

void
cs_custody_release(struct cs_custody *c)
{
	if (c == NULL)
		return;
	cs_bl_header_release(&c->hdr);
	free(c->tr.endline);
	memset(c, 0, sizeof *c);
}

const char *
cs_custody_get(const struct cs_custody *c, const char *key)
{
	return cs_bl_header_get(&c->hdr, key);
}

int
cs_custody_verify(const struct cs_custody *c, const struct cs_key *pub,
    const char *fp, const char *name, struct cs_err *err)
{
	return cs_bl_verify_signature(&c->tr, pub, fp, name, err);
}

int
cs_custody_reserve(const char *path, struct cs_err *err)
{
	char	*shown;
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC |
	    O_NOCTTY, 0600);
	if (fd >= 0)
		return fd;
	shown = cs_encode_dup(path);
	if (errno == EEXIST)
		cs_err_set(err, CS_EXIT_CANTCREAT, 0, "custody record '%s' "
		    "already exists; a custody record is never replaced",
		    shown);
	else
		cs_err_set(err, CS_EXIT_CANTCREAT, errno, "cannot create "
		    "custody record '%s'", shown);
	free(shown);
	return -1;
}

int
cs_custody_write(int fd, const char *path, const struct cs_bl_header *h,
    const struct cs_key *key, struct cs_err *err)
{
	struct cs_buf	 b;
	char		*shown;
	int		 rc = -1;

	cs_buf_init(&b);
	if (cs_custody_format(&b, h, key, err) != 0)
		goto out;
	if (cs_write_all(fd, b.data, b.len) != 0 || fchmod(fd, 0444) != 0 ||
	    (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)) {
		shown = cs_encode_dup(path);
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot write '%s'",
		    shown);
		free(shown);
		goto out;
	}
	rc = 0;
out:
	cs_buf_release(&b);
	return rc;
}

char *
cs_custody_display(const char *v, size_t n)
{
	struct cs_buf	 enc, out;
	const char	*p;

	cs_buf_init(&enc);
	cs_buf_init(&out);
	cs_encode(&enc, v, n);
	for (p = cs_buf_str(&enc); *p != '\0'; p++) {
		if (strncmp(p, "\\x20", 4) == 0) {
			cs_buf_addc(&out, ' ');
			p += 3;
		} else
			cs_buf_addc(&out, *p);
	}
	cs_buf_release(&enc);
	if (out.data == NULL)
		cs_buf_adds(&out, "");
	return cs_buf_detach(&out, NULL);
}

/*
 * The custody sheet: the body is built as a list of lines first, then
 * cut into pages, so that "page I of N" is known on every page.
 */
struct sheet_lines {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

static void
sheet_add(struct sheet_lines *l, const char *fmt, ...) CS_PRINTF(2, 3);

static void
sheet_add(struct sheet_lines *l, const char *fmt, ...)
{
	va_list	 ap;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = cs_xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	va_start(ap, fmt);
	l->v[l->n++] = cs_xvasprintf(fmt, ap);
	va_end(ap);
}

/* "key:  value", the value wrapped to the sheet's width. */
static void
sheet_field(struct sheet_lines *l, const char *key, const char *v, size_t n)
{
	const size_t	 ind = 18, w = CS_SHEET_WIDTH - ind;
	char		*shown;
	size_t		 len, off = 0, k;

	shown = cs_custody_display(v, n);
	len = strlen(shown);
	do {
		k = len - off > w ? w : len - off;
		sheet_add(l, "%-*s%.*s", (int)ind, off == 0 ? key : "",
		    (int)k, shown + off);
		off += k;
	} while (off < len);
	free(shown);
}

static void
sheet_body(struct sheet_lines *l, const struct cs_custody *c)
{
	size_t	 i;
	char	 key[64];

	sheet_add(l, "CUSTODY RECORD (every field, as signed)");
	sheet_add(l, "%s", "");
	for (i = 0; i < c->hdr.n; i++) {
		(void)snprintf(key, sizeof key, "%s:", c->hdr.lines[i].key);
		sheet_field(l, key, c->hdr.lines[i].value,
		    c->hdr.lines[i].len);
	}
	sheet_add(l, "%-18s%s", "signed by key:", c->tr.is_signed ?
	    c->tr.keyid : "(not signed)");
	sheet_add(l, "%s", "");
	sheet_add(l, "TRANSFER LOG");
	sheet_add(l, "%s", "");
	sheet_add(l, "%-14s|%-14s|%-12s|%-16s|%s", " From", " To",
	    " Date/time", " Purpose", " Signature");
	sheet_add(l, "%.78s", "--------------+--------------+------------+"
	    "----------------+----------------------------------");
	for (i = 0; i < CS_SHEET_ROWS; i++) {
		sheet_add(l, "%-14s|%-14s|%-12s|%-16s|", "", "", "", "");
		sheet_add(l, "%.78s", "--------------+--------------+--------"
		    "----+----------------+---------------------------------"
		    "-");
	}
}

/* The display form of KEY's value, "?" if there is none. */
static char *
sheet_value(const struct cs_custody *c, const char *key)
{
	const char	*v = cs_custody_get(c, key);

	if (v == NULL)
		v = "?";
	return cs_custody_display(v, strlen(v));
}

/* One banner line: "##", TEXT centred in the sheet's width, "##". */
static void
sheet_banner_line(struct cs_buf *out, const char *text)
{
	const int	 w = CS_SHEET_WIDTH - 4;
	int		 n = (int)strlen(text), left;

	if (n > w)
		n = w;
	left = (w - n) / 2;
	cs_buf_printf(out, "##%*s%.*s%*s##\n", left, "", n, text,
	    w - n - left, "");
}

/*
 * What the signature check established, in large print: the words
 * spaced out inside a frame of '#', the same height either way, so that
 * a photocopy or a glance at any page shows it.
 */
static void
sheet_banner(struct cs_buf *out, const char *verified)
{
	char	*pretty, *l1, *l2;
	size_t	 half;

	cs_buf_printf(out, "%.78s\n", "####################################"
	    "##########################################");
	if (verified != NULL) {
		pretty = cs_fingerprint_pretty(verified);
		half = strlen(pretty) / 2;	/* 8 groups of 4 each side */
		l1 = cs_xasprintf("key %.*s", (int)half, pretty);
		l2 = cs_xasprintf("    %s", pretty + half + 1);
		sheet_banner_line(out, "S I G N A T U R E    V E R I F I E D");
		sheet_banner_line(out, l1);
		sheet_banner_line(out, l2);
		free(l1);
		free(l2);
		free(pretty);
	} else {
		sheet_banner_line(out, "");
		sheet_banner_line(out, "S I G N A T U R E    N O T    "
		    "V E R I F I E D");
		sheet_banner_line(out, "(no trusted key was given to check "
		    "this record)");
	}
	cs_buf_printf(out, "%.78s\n", "####################################"
	    "##########################################");
}

size_t
cs_custody_sheet(struct cs_buf *out, const struct cs_custody *c,
    const char *verified)
{
	const size_t	 per = CS_SHEET_LINES - CS_SHEET_HEAD - CS_SHEET_FOOT;
	struct sheet_lines l;
	const char	*dig = cs_custody_get(c, "stream-sha256");
	char		*cs, *lb;
	size_t		 pages, p, i, at;

	memset(&l, 0, sizeof l);
	sheet_body(&l, c);
	pages = (l.n + per - 1) / per;
	cs = sheet_value(c, "case");
	lb = sheet_value(c, "label");
	for (p = 0, at = 0; p < pages; p++) {
		if (p > 0)
			cs_buf_addc(out, '\f');
		cs_buf_adds(out, "EVIDENCE CUSTODY SHEET\n");
		cs_buf_printf(out, "Case: %.30s   Label: %.30s\n", cs, lb);
		cs_buf_printf(out, "Stream sha256 %s\n", dig != NULL ?
		    dig : "(none: the snapshot did not complete)");
		cs_buf_printf(out, "page %zu of %zu\n", p + 1, pages);
		cs_buf_printf(out, "%.78s\n", "=================================="
		    "============================================");
		sheet_banner(out, verified);
		for (i = 0; i < per; i++, at++)
			cs_buf_printf(out, "%s\n", at < l.n ? l.v[at] : "");
		cs_buf_printf(out, "%.78s\n", "----------------------------------"
		    "--------------------------------------------");
		cs_buf_adds(out, "Name:      ______________________________  "
		    "Signature: ____________________\n");
		cs_buf_adds(out, "Date:      ______________________________  "
		    "Time:      ____________________\n");
		cs_buf_printf(out, "Case: %.30s  Label: %.30s\n", cs, lb);
		cs_buf_printf(out, "page %zu of %zu\n", p + 1, pages);
		cs_buf_addc(out, '\n');
	}
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	free(cs);
	free(lb);
	return pages;
}
