/*
 * baseline.c: write and read baseline files (doc/custos-baseline.5).
 *
 * The writer and the reader share one field table order and one encoder,
 * so that what one writes the other reads back byte for byte.  The reader
 * is the parser most exposed to hostile input: it accepts exactly the
 * canonical form (field order, number spelling, encoding) and rejects
 * everything else with the line number and the reason.
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
#include "custos/sign.h"
#include "custos/structured.h"
#include "custos/xmalloc.h"

#define BL_MAXLINE	(16 * 1024 * 1024)
#define BL_FLUSH	(1024 * 1024)
#define BL_TAIL		(64 * 1024)

/* Record fields, in the only order they may appear. */
enum bl_field {
	F_TYPE, F_MODE, F_UID, F_GID, F_USER, F_GROUP, F_SIZE, F_MTIME,
	F_CTIME, F_INO, F_NLINK, F_RDEV, F_TARGET, F_ACL, F_DACL, F_CAPS,
	F_IFLAGS, F_DIGEST, F_XATTR = F_DIGEST + CS_D_COUNT, F_STRUCT, F_ERROR,
	F_COUNT
};

#define BL_FIELD(name)	{ name, sizeof(name) - 1 }
static const struct {
	const char	*name;
	size_t		 len;
} bl_fields[F_COUNT] = {
	BL_FIELD("type"), BL_FIELD("mode"), BL_FIELD("uid"), BL_FIELD("gid"),
	BL_FIELD("user"), BL_FIELD("group"), BL_FIELD("size"),
	BL_FIELD("mtime"), BL_FIELD("ctime"), BL_FIELD("ino"),
	BL_FIELD("nlink"), BL_FIELD("rdev"), BL_FIELD("target"),
	BL_FIELD("acl"), BL_FIELD("dacl"), BL_FIELD("caps"),
	BL_FIELD("iflags"), BL_FIELD("sha256"), BL_FIELD("sha512"),
	BL_FIELD("sha3-256"), BL_FIELD("blake2b512"), BL_FIELD("xattr."),
	BL_FIELD("struct"), BL_FIELD("error")
};
#undef BL_FIELD

/* What to say when a field's value is malformed, as bl_fields. */
static const char *const bl_bad_value[F_COUNT] = {
	"bad type", "bad mode (want 4 octal digits)", "bad uid", "bad gid",
	"bad user name", "bad group name", "bad size", "bad mtime",
	"bad ctime", "bad ino", "bad nlink", "bad rdev (want MAJOR,MINOR)",
	"bad link target", "bad ACL", "bad default ACL", "bad capabilities",
	"bad iflags", "bad sha256", "bad sha512", "bad sha3-256",
	"bad blake2b512", "bad or unsorted xattr",
	"bad structured entries (want KIND:LINES)", "bad error text"
};

/* Header keys every baseline has. */
static const char *const bl_required_keys[] = {
	"created", "host", "root", "digests", "tool"
};

int
cs_bl_magic_ok(const char *l, size_t n)
{
	return (n == strlen(CS_BL_MAGIC) && memcmp(l, CS_BL_MAGIC, n) == 0) ||
	    (n == strlen(CS_BL_MAGIC_V1) && memcmp(l, CS_BL_MAGIC_V1, n) == 0);
}

void
cs_bl_header_init(struct cs_bl_header *h)
{
	h->lines = NULL;
	h->n = 0;
}

void
cs_bl_header_release(struct cs_bl_header *h)
{
	size_t	 i;

	for (i = 0; i < h->n; i++) {
		free(h->lines[i].key);
		free(h->lines[i].value);
	}
	free(h->lines);
	cs_bl_header_init(h);
}

void
cs_bl_header_add(struct cs_bl_header *h, const char *key, const char *value,
    size_t len)
{
	struct cs_bl_hdrline	*l;

	h->lines = cs_xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
	l = &h->lines[h->n++];
	l->key = cs_xstrdup(key);
	l->value = cs_xmemdup(value, len);
	l->len = len;
}

const char *
cs_bl_header_get(const struct cs_bl_header *h, const char *key)
{
	size_t	 i;

	for (i = 0; i < h->n; i++) {
		if (strcmp(h->lines[i].key, key) == 0)
			return h->lines[i].value;
	}
	return NULL;
}

/*
 * KEY is written as given, with its leading space and trailing '=':
 * " KEY=" followed by the encoding of N bytes.
 */
static void
bl_fmt_bytes(struct cs_buf *b, const char *key, const void *p, size_t n)
{
	cs_buf_adds(b, key);
	cs_encode(b, p, n);
}

static void
bl_fmt_u64(struct cs_buf *b, const char *key, uint64_t v)
{
	cs_buf_adds(b, key);
	cs_buf_add_u64(b, v);
}

/* SEC.NNNNNNNNN, SEC possibly negative. */
static void
bl_fmt_time(struct cs_buf *b, const char *key, const struct cs_time *t)
{
	char		 ns[9];
	uint32_t	 v = t->nsec;
	int		 i;

	cs_buf_adds(b, key);
	if (t->sec < 0) {
		cs_buf_addc(b, '-');
		cs_buf_add_u64(b, (uint64_t)-(t->sec + 1) + 1);
	} else
		cs_buf_add_u64(b, (uint64_t)t->sec);
	for (i = 8; i >= 0; i--) {
		ns[i] = (char)('0' + v % 10);
		v /= 10;
	}
	cs_buf_addc(b, '.');
	cs_buf_add(b, ns, sizeof ns);
}

void
cs_bl_format(struct cs_buf *b, const struct cs_entry *e)
{
	char	 hex[2 * CS_DIGEST_MAXLEN + 1];
	size_t	 i;
	int	 d;

	cs_encode(b, e->path, e->pathlen);
	cs_buf_adds(b, " type=");
	cs_buf_adds(b, cs_type_name(e->type));
	cs_buf_adds(b, " mode=");
	for (i = 0; i < 4; i++)
		cs_buf_addc(b, (char)('0' + ((e->mode >> (9 - 3 * i)) & 7)));
	bl_fmt_u64(b, " uid=", e->uid);
	bl_fmt_u64(b, " gid=", e->gid);
	if (e->user != NULL)
		bl_fmt_bytes(b, " user=", e->user, strlen(e->user));
	if (e->group != NULL)
		bl_fmt_bytes(b, " group=", e->group, strlen(e->group));
	bl_fmt_u64(b, " size=", e->size);
	bl_fmt_time(b, " mtime=", &e->mtime);
	if (e->have & CS_F_CTIME)
		bl_fmt_time(b, " ctime=", &e->ctime);
	if (e->have & CS_F_INO)
		bl_fmt_u64(b, " ino=", e->ino);
	if (e->have & CS_F_NLINK)
		bl_fmt_u64(b, " nlink=", e->nlink);
	if (e->type == CS_T_CHAR || e->type == CS_T_BLOCK) {
		bl_fmt_u64(b, " rdev=", e->rmajor);
		cs_buf_addc(b, ',');
		cs_buf_add_u64(b, e->rminor);
	}
	if (e->target != NULL)
		bl_fmt_bytes(b, " target=", e->target, e->targetlen);
	if (e->acl != NULL)
		bl_fmt_bytes(b, " acl=", e->acl, strlen(e->acl));
	if (e->dacl != NULL)
		bl_fmt_bytes(b, " dacl=", e->dacl, strlen(e->dacl));
	if (e->caps != NULL)
		bl_fmt_bytes(b, " caps=", e->caps, strlen(e->caps));
	if (e->have & CS_F_IFLAGS)
		cs_buf_printf(b, " iflags=%" PRIx32, e->iflags);
	for (d = 0; d < CS_D_COUNT; d++) {
		if ((e->digests & (1U << d)) == 0)
			continue;
		cs_hex(e->digest[d], cs_digest_len((enum cs_digest)d), hex);
		cs_buf_addc(b, ' ');
		cs_buf_adds(b, cs_digest_name((enum cs_digest)d));
		cs_buf_addc(b, '=');
		cs_buf_adds(b, hex);
	}
	for (i = 0; i < e->nxattrs; i++) {
		cs_buf_adds(b, " xattr.");
		cs_encode_str(b, e->xattrs[i].name);
		cs_buf_addc(b, '=');
		cs_encode(b, e->xattrs[i].value, e->xattrs[i].len);
	}
	if (e->have & CS_F_STRUCT)
		bl_fmt_bytes(b, " struct=", e->sdata, e->sdatalen);
	if (e->error != NULL)
		bl_fmt_bytes(b, " error=", e->error, strlen(e->error));
	cs_buf_addc(b, '\n');
}

/* Strict unsigned decimal: no sign, no leading zeros, no overflow. */
static int
bl_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (n == 0 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (max - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
bl_parse_u32(const char *s, size_t n, uint32_t *out)
{
	uint64_t	 v;

	if (bl_parse_u64(s, n, UINT32_MAX, &v) != 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* SEC.NNNNNNNNN, SEC possibly negative (but not "-0"). */
static int
bl_parse_time(const char *s, size_t n, struct cs_time *t)
{
	const char	*dot;
	uint64_t	 sec, ns;
	int		 neg = 0;

	dot = memchr(s, '.', n);
	if (dot == NULL || (size_t)(s + n - dot - 1) != 9)
		return -1;
	if (s < dot && *s == '-') {
		neg = 1;
		s++;
	}
	if (bl_parse_u64(s, (size_t)(dot - s), INT64_MAX, &sec) != 0 ||
	    (neg && sec == 0))
		return -1;
	ns = 0;
	for (n = 1; n <= 9; n++) {
		if (dot[n] < '0' || dot[n] > '9')
			return -1;
		ns = ns * 10 + (uint64_t)(dot[n] - '0');
	}
	t->sec = neg ? -(int64_t)sec : (int64_t)sec;
	t->nsec = (uint32_t)ns;
	return 0;
}

/* Decode a text field: canonical, non-empty, without NUL bytes. */
static int
bl_parse_text(const char *s, size_t n, char **out, size_t *lenp)
{
	char	*t;
	size_t	 len;

	if (n == 0 || (t = cs_decode_dup(s, n, &len)) == NULL)
		return -1;
	if (memchr(t, '\0', len) != NULL) {
		free(t);
		return -1;
	}
	free(*out);
	*out = t;
	if (lenp != NULL)
		*lenp = len;
	return 0;
}

static int
bl_parse_hexnum(const char *s, size_t n, uint32_t *out)
{
	uint32_t	 v = 0;
	size_t		 i;
	int		 x;

	if (n == 0 || n > 8 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if ((x = cs_hexval(s[i])) < 0)
			return -1;
		v = v << 4 | (uint32_t)x;
	}
	*out = v;
	return 0;
}

static int
bl_parse_rdev(const char *s, size_t n, struct cs_entry *e)
{
	const char	*comma;

	comma = memchr(s, ',', n);
	if (comma == NULL)
		return -1;
	if (bl_parse_u32(s, (size_t)(comma - s), &e->rmajor) != 0 ||
	    bl_parse_u32(comma + 1, (size_t)(s + n - comma - 1),
	    &e->rminor) != 0)
		return -1;
	return 0;
}

static int
bl_parse_xattr(const char *k, size_t kn, const char *v, size_t vn,
    struct cs_entry *e)
{
	struct cs_buf	 name, value;
	int		 rc = -1;

	cs_buf_init(&name);
	cs_buf_init(&value);
	if (kn == 0 || cs_decode(&name, k, kn, NULL) != 0 ||
	    memchr(cs_buf_str(&name), '\0', name.len) != NULL)
		goto out;
	if (cs_decode(&value, v, vn, NULL) != 0)
		goto out;
	if (e->nxattrs > 0 &&
	    strcmp(e->xattrs[e->nxattrs - 1].name, cs_buf_str(&name)) >= 0)
		goto out;
	cs_entry_add_xattr(e, cs_buf_str(&name), cs_buf_str(&value),
	    value.len);
	rc = 0;
out:
	cs_buf_release(&name);
	cs_buf_release(&value);
	return rc;
}

/* Parse the value of field F into E; -1 if malformed. */
static int
bl_parse_field(enum bl_field f, const char *v, size_t n, struct cs_entry *e)
{
	size_t	 len;
	int	 d;

	switch (f) {
	case F_TYPE:
		e->type = cs_type_lookup(v, n);
		return n == 4 && memcmp(v, "none", 4) == 0 ? 0 :
		    e->type == CS_T_NONE ? -1 : 0;
	case F_MODE:
		if (n != 4)
			return -1;
		for (len = 0, e->mode = 0; len < 4; len++) {
			if (v[len] < '0' || v[len] > '7')
				return -1;
			e->mode = e->mode << 3 | (uint32_t)(v[len] - '0');
		}
		return 0;
	case F_UID:
		return bl_parse_u32(v, n, &e->uid);
	case F_GID:
		return bl_parse_u32(v, n, &e->gid);
	case F_USER:
		return bl_parse_text(v, n, &e->user, NULL);
	case F_GROUP:
		return bl_parse_text(v, n, &e->group, NULL);
	case F_SIZE:
		return bl_parse_u64(v, n, UINT64_MAX, &e->size);
	case F_MTIME:
		return bl_parse_time(v, n, &e->mtime);
	case F_CTIME:
		e->have |= CS_F_CTIME;
		return bl_parse_time(v, n, &e->ctime);
	case F_INO:
		e->have |= CS_F_INO;
		return bl_parse_u64(v, n, UINT64_MAX, &e->ino);
	case F_NLINK:
		e->have |= CS_F_NLINK;
		return bl_parse_u64(v, n, UINT64_MAX, &e->nlink);
	case F_RDEV:
		return bl_parse_rdev(v, n, e);
	case F_TARGET:
		return bl_parse_text(v, n, &e->target, &e->targetlen);
	case F_ACL:
		return bl_parse_text(v, n, &e->acl, NULL);
	case F_DACL:
		return bl_parse_text(v, n, &e->dacl, NULL);
	case F_CAPS:
		return bl_parse_text(v, n, &e->caps, NULL);
	case F_IFLAGS:
		e->have |= CS_F_IFLAGS;
		return bl_parse_hexnum(v, n, &e->iflags);
	case F_STRUCT:
		if (bl_parse_text(v, n, &e->sdata, &e->sdatalen) != 0 ||
		    !cs_structured_valid(e->sdata, e->sdatalen))
			return -1;
		e->have |= CS_F_STRUCT;
		return 0;
	case F_ERROR:
		return bl_parse_text(v, n, &e->error, NULL);
	default:
		break;
	}
	d = (int)f - F_DIGEST;
	if (d < 0 || d >= CS_D_COUNT)
		return -1;
	e->digests |= 1U << d;
	return cs_unhex(v, n, e->digest[d], cs_digest_len((enum cs_digest)d));
}

static int
bl_field_is(int f, const char *k, size_t n)
{
	return f != F_XATTR && bl_fields[f].len == n &&
	    memcmp(bl_fields[f].name, k, n) == 0;
}

/*
 * The field named K (N bytes).  Fields come in table order, so the search
 * starts at FROM; a known field before FROM gives -2, an unknown one -1.
 */
static int
bl_lookup_field(const char *k, size_t n, int from)
{
	int	 f;

	if (n > 6 && memcmp(k, "xattr.", 6) == 0)
		return F_XATTR;
	for (f = from; f < F_COUNT; f++) {
		if (bl_field_is(f, k, n))
			return f;
	}
	for (f = 0; f < from; f++) {
		if (bl_field_is(f, k, n))
			return -2;
	}
	return -1;
}

/* The fields every record has, and those its type requires. */
static int
bl_check_record(const struct cs_entry *e, unsigned seen, const char **why)
{
	unsigned	 need = 1U << F_TYPE | 1U << F_MODE | 1U << F_UID |
	    1U << F_GID | 1U << F_SIZE | 1U << F_MTIME;

	if ((seen & need) != need) {
		*why = "missing a required field (type, mode, uid, gid, "
		    "size or mtime)";
		return -1;
	}
	if (e->type == CS_T_NONE && e->error == NULL) {
		*why = "type none without an error";
		return -1;
	}
	if (((seen & (1U << F_RDEV)) != 0) !=
	    (e->type == CS_T_CHAR || e->type == CS_T_BLOCK)) {
		*why = "rdev present on a non-device or missing on a device";
		return -1;
	}
	if ((e->target != NULL && e->type != CS_T_LINK) ||
	    (e->target == NULL && e->type == CS_T_LINK && e->error == NULL)) {
		*why = "target present on a non-link or missing on a link";
		return -1;
	}
	if (e->digests != 0 && e->type != CS_T_FILE) {
		*why = "digest on something other than a regular file";
		return -1;
	}
	if (e->dacl != NULL && e->type != CS_T_DIR) {
		*why = "default ACL on something other than a directory";
		return -1;
	}
	if ((e->have & CS_F_STRUCT) && e->type != CS_T_FILE) {
		*why = "structured entries on something other than a regular "
		    "file";
		return -1;
	}
	return 0;
}

/* cs_bl_parse into an entry that is known to be clear (a new one). */
static int
bl_parse_new(const char *line, size_t len, struct cs_entry *e,
    const char **why)
{
	const char	*p = line, *end = line + len, *sp, *eq;
	unsigned	 seen = 0;
	int		 f, last = -1;

	sp = memchr(p, ' ', len);
	if (sp == NULL || (e->path = cs_decode_dup(p, (size_t)(sp - p),
	    &e->pathlen)) == NULL || !cs_path_valid(e->path, e->pathlen)) {
		*why = "bad path";
		return -1;
	}
	for (p = sp + 1;; p = sp + 1) {
		for (eq = p; eq < end && *eq != '=' && *eq != ' '; eq++)
			continue;
		if (eq == end || *eq != '=') {
			*why = "field without '='";
			return -1;
		}
		sp = memchr(eq + 1, ' ', (size_t)(end - eq - 1));
		if (sp == NULL)
			sp = end;
		f = bl_lookup_field(p, (size_t)(eq - p), last + 1);
		if (f == -1) {
			*why = "unknown field";
			return -1;
		}
		if (f < last || (f == last && f != F_XATTR)) {
			*why = "field out of order or repeated";
			return -1;
		}
		last = f;
		seen |= 1U << f;
		if (f == F_XATTR ? bl_parse_xattr(p + 6, (size_t)(eq - p - 6),
		    eq + 1, (size_t)(sp - eq - 1), e) :
		    bl_parse_field((enum bl_field)f, eq + 1,
		    (size_t)(sp - eq - 1), e) != 0) {
			*why = bl_bad_value[f];
			return -1;
		}
		if (sp == end)
			break;
	}
	e->have |= CS_F_META;
	return bl_check_record(e, seen, why);
}

int
cs_bl_parse(const char *line, size_t len, struct cs_entry *e,
    const char **why)
{
	cs_entry_clear(e);
	return bl_parse_new(line, len, e, why);
}

/*
 * Writer.
 */
struct cs_blw {
	int		 fd;
	char		*shown;
	struct cs_buf	 out;
	EVP_MD_CTX	*sha;
	uint64_t	 records;
	uint64_t	 errors;
	struct cs_order	 order;		/* of the records' paths */
};

static int
blw_flush(struct cs_blw *w, struct cs_err *err)
{
	if (w->out.len == 0)
		return 0;
	EVP_DigestUpdate(w->sha, w->out.data, w->out.len);
	if (cs_write_all(w->fd, w->out.data, w->out.len) != 0)
		return cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot write '%s'", w->shown);
	cs_buf_reset(&w->out);
	return 0;
}

struct cs_blw *
cs_blw_new(int fd, const char *name, const struct cs_bl_header *h,
    struct cs_err *err)
{
	struct cs_blw	*w;
	size_t		 i;

	(void)err;
	w = cs_xcalloc(1, sizeof *w);
	w->fd = fd;
	w->shown = cs_encode_dup(name);
	cs_buf_init(&w->out);
	cs_order_init(&w->order);
	w->sha = EVP_MD_CTX_new();
	if (w->sha == NULL || EVP_DigestInit_ex(w->sha, EVP_sha256(),
	    NULL) != 1) {
		cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot start SHA-256");
		cs_blw_free(w);
		return NULL;
	}
	cs_buf_adds(&w->out, CS_BL_MAGIC "\n");
	for (i = 0; i < h->n; i++) {
		cs_buf_printf(&w->out, "#%s=", h->lines[i].key);
		cs_encode(&w->out, h->lines[i].value, h->lines[i].len);
		cs_buf_addc(&w->out, '\n');
	}
	return w;
}

int
cs_blw_add(struct cs_blw *w, const struct cs_entry *e, struct cs_err *err)
{
	char	*shown;

	if (cs_order_check(&w->order, e->path, e->pathlen) != 0) {
		shown = cs_encode_dup(e->path);
		cs_err_set(err, CS_EXIT_SOFTWARE, 0,
		    "record '%s' out of canonical order", shown);
		free(shown);
		return -1;
	}
	cs_bl_format(&w->out, e);
	w->records++;
	if (e->error != NULL)
		w->errors++;
	if (w->out.len >= BL_FLUSH)
		return blw_flush(w, err);
	return 0;
}

/* Append the "#end" line for a digest of everything before it. */
static void
bl_end_line(struct cs_buf *b, uint64_t records, uint64_t errors,
    const unsigned char *sha)
{
	char	 hex[65];

	cs_hex(sha, 32, hex);
	cs_buf_printf(b, "#end records=%" PRIu64 " errors=%" PRIu64
	    " sha256=%s\n", records, errors, hex);
}

int
cs_bl_signature_line(struct cs_buf *b, const struct cs_key *key,
    const char *endline, size_t endlen, struct cs_err *err)
{
	unsigned char	 sig[CS_SIG_LEN], der[128];
	size_t		 derlen;
	char		*s64, *p64;

	if (cs_key_sign(key, endline, endlen, sig, err) != 0)
		return -1;
	if (cs_key_spki(key, der, sizeof der, &derlen) != 0)
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0,
		    "cannot encode the public key");
	s64 = cs_base64(sig, sizeof sig);
	p64 = cs_base64(der, derlen);
	cs_buf_printf(b, "#signature ed25519 key=%s pub=%s sig=%s\n",
	    cs_key_id(key), p64, s64);
	free(s64);
	free(p64);
	return 0;
}

int
cs_blw_finish(struct cs_blw *w, const struct cs_key *key, struct cs_err *err)
{
	unsigned char	 sha[EVP_MAX_MD_SIZE];
	unsigned int	 shalen;
	size_t		 endlen;

	if (blw_flush(w, err) != 0)
		return -1;
	EVP_DigestFinal_ex(w->sha, sha, &shalen);
	bl_end_line(&w->out, w->records, w->errors, sha);
	endlen = w->out.len;
	if (key != NULL && cs_bl_signature_line(&w->out, key, w->out.data,
	    endlen, err) != 0)
		return -1;
	if (cs_write_all(w->fd, w->out.data, w->out.len) != 0)
		return cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot write '%s'", w->shown);
	cs_buf_reset(&w->out);
	return 0;
}

void
cs_blw_free(struct cs_blw *w)
{
	if (w == NULL)
		return;
	EVP_MD_CTX_free(w->sha);
	cs_buf_release(&w->out);
	cs_order_release(&w->order);
	free(w->shown);
	free(w);
}

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
	const char	*eq;
	char		*key;
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
	cs_bl_header_add(&r->hdr, key, cs_buf_str(&v), v.len);
	free(key);
	cs_buf_release(&v);
	return 0;
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
		if (n < 2 || l[0] != '#' || (n >= 5 &&
		    memcmp(l, "#end ", 5) == 0))
			return blr_fail(r, err, CS_EXIT_DATAERR,
			    "expected a header line or a record");
		if (blr_header_line(r, l, n, err) != 0)
			return -1;
		blr_hash(r, l, n);
	}
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
	if (sp == NULL || bl_parse_u64(p, (size_t)(sp - p), UINT64_MAX,
	    &tr->records) != 0)
		return -1;
	p = sp + 1;
	if ((size_t)(l + n - p) < 7 || memcmp(p, "errors=", 7) != 0)
		return -1;
	p += 7;
	sp = memchr(p, ' ', (size_t)(l + n - p));
	if (sp == NULL || bl_parse_u64(p, (size_t)(sp - p), UINT64_MAX,
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
	if (bl_parse_new(l, n, e, &why) != 0) {
		cs_entry_free(e);
		return blr_fail(r, err, CS_EXIT_DATAERR, why);
	}
	if (cs_order_check(&r->order, e->path, e->pathlen) != 0) {
		cs_entry_free(e);
		return blr_fail(r, err, CS_EXIT_DATAERR,
		    "path out of canonical order or repeated");
	}
	if (r->records == 0 && (e->pathlen != 1 || e->type != CS_T_DIR)) {
		cs_entry_free(e);
		return blr_fail(r, err, CS_EXIT_DATAERR,
		    "first record is not the root directory '/'");
	}
	if ((e->digests & ~r->digests) != 0 || (e->type == CS_T_FILE &&
	    e->error == NULL && e->digests != r->digests)) {
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
