/*
 * baseline.c: the baseline line codec (doc/custos-baseline.5) that the
 * writer (baseline_write.c) and the reader (baseline_read.c) share.
 *
 * One field table order and one encoder, so that what the writer formats
 * the reader parses back byte for byte.  The record parser is the one
 * most exposed to hostile input: it accepts exactly the canonical form
 * (field order, number spelling, encoding) and rejects everything else
 * with the reason.  The header functions here only hold key/value pairs;
 * the reader checks which keys a baseline must have.
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
#include "custos/deb.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/host.h"
#include "custos/path.h"
#include "custos/shard.h"
#include "custos/sign.h"
#include "custos/structured.h"
#include "custos/xmalloc.h"

#include "baseline_int.h"

/* Record fields, in the only order they may appear. */
enum bl_field {
	F_TYPE, F_MODE, F_UID, F_GID, F_USER, F_GROUP, F_SIZE, F_MTIME,
	F_CTIME, F_BTIME, F_INO, F_NLINK, F_RDEV, F_TARGET, F_ACL, F_DACL,
	F_CAPS, F_IFLAGS, F_DIGEST, F_ZDIGEST = F_DIGEST + CS_D_COUNT, F_XATTR,
	F_STRUCT, F_PKG, F_VER, F_ARCH, F_CONFFILE, F_UNVERIFIED, F_ALT,
	F_ERROR, F_COUNT
};

#define BL_FIELD(name)	{ name, sizeof(name) - 1 }
static const struct {
	const char	*name;
	size_t		 len;
} bl_fields[F_COUNT] = {
	BL_FIELD("type"), BL_FIELD("mode"), BL_FIELD("uid"), BL_FIELD("gid"),
	BL_FIELD("user"), BL_FIELD("group"), BL_FIELD("size"),
	BL_FIELD("mtime"), BL_FIELD("ctime"), BL_FIELD("btime"),
	BL_FIELD("ino"),
	BL_FIELD("nlink"), BL_FIELD("rdev"), BL_FIELD("target"),
	BL_FIELD("acl"), BL_FIELD("dacl"), BL_FIELD("caps"),
	BL_FIELD("iflags"), BL_FIELD("sha256"), BL_FIELD("sha512"),
	BL_FIELD("sha3-256"), BL_FIELD("blake2b512"), BL_FIELD("sha256z"),
	BL_FIELD("xattr."),
	BL_FIELD("struct"), BL_FIELD("pkg"), BL_FIELD("ver"),
	BL_FIELD("arch"), BL_FIELD("conffile"), BL_FIELD("unverified"),
	BL_FIELD("alt"), BL_FIELD("error")
};
#undef BL_FIELD

/* What to say when a field's value is malformed, as bl_fields. */
static const char *const bl_bad_value[F_COUNT] = {
	"bad type", "bad mode (want 4 octal digits)", "bad uid", "bad gid",
	"bad user name", "bad group name", "bad size", "bad mtime",
	"bad ctime", "bad btime", "bad ino", "bad nlink",
	"bad rdev (want MAJOR,MINOR)",
	"bad link target", "bad ACL", "bad default ACL", "bad capabilities",
	"bad iflags", "bad sha256", "bad sha512", "bad sha3-256",
	"bad blake2b512", "bad sha256z", "bad or unsorted xattr",
	"bad structured entries (want KIND:LINES)", "bad package name",
	"bad package version", "bad package architecture",
	"bad conffile (want 1)", "bad unverified (want 1)",
	"bad or unsorted alt (want PKG,VER,ARCH,SIZE,SHA256,MODE,FLAGS...)",
	"bad error text"
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

/* The keys of a shard (shard.h) and of a baseline merged from shards. */
static const char *
bl_header_check_shard(const char *key, const char *value, size_t len)
{
	unsigned char	 sha[32];
	unsigned	 i, n;

	if (strcmp(key, "shard") == 0)
		return cs_shard_parse(value, len, &i, &n) == 0 ? NULL :
		    "not a shard I/N";
	if (strcmp(key, "shards") == 0)
		return cs_shard_count_parse(value, len, &n) == 0 ? NULL :
		    "not a number of shards";
	if (strcmp(key, "shard-from") == 0 || strcmp(key, "shard-to") == 0)
		return cs_path_valid(value, len) ? NULL :
		    "not a canonical path";
	if (strcmp(key, "plan-sha256") == 0)
		return len == 2 * sizeof sha && cs_unhex(value, len, sha,
		    sizeof sha) == 0 ? NULL : "not a SHA-256 in hex";
	return NULL;
}

const char *
cs_bl_header_check(const char *key, const char *value, size_t len,
    int custody)
{
	static const char *const times[] = { "created", "started",
	    "finished" };
	size_t	 i;

	for (i = 0; i < CS_NELEM(times); i++) {
		if (strcmp(key, times[i]) != 0)
			continue;
		/* An unfinished snapshot's custody record says so: "". */
		if (len == 0 && strcmp(key, "finished") == 0)
			return NULL;
		return cs_time_rfc3339_valid(value, len) ? NULL : "not a time "
		    "that exists, in RFC 3339 UTC (YYYY-MM-DDTHH:MM:SSZ)";
	}
	if (strcmp(key, "root") == 0 ||
	    (custody && strcmp(key, "source") == 0))
		return len > 0 && value[0] == '/' ? NULL :
		    "not an absolute path";
	return custody ? NULL : bl_header_check_shard(key, value, len);
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

/*
 * The packages that ship E: the first as pkg=, ver=, arch= (and
 * conffile=1, unverified=1), each other as one alt= field.
 */
static void
bl_fmt_pkgs(struct cs_buf *b, const struct cs_entry *e)
{
	const struct cs_pkgref	*p = &e->pkgs[0];
	char			 hex[65];
	size_t			 i;

	bl_fmt_bytes(b, " pkg=", p->name, strlen(p->name));
	bl_fmt_bytes(b, " ver=", p->version, strlen(p->version));
	bl_fmt_bytes(b, " arch=", p->arch, strlen(p->arch));
	if (p->flags & CS_PKG_CONFFILE)
		cs_buf_adds(b, " conffile=1");
	if (p->flags & CS_PKG_UNVERIFIED)
		cs_buf_adds(b, " unverified=1");
	for (i = 1; i < e->npkgs; i++) {
		p = &e->pkgs[i];
		bl_fmt_bytes(b, " alt=", p->name, strlen(p->name));
		bl_fmt_bytes(b, ",", p->version, strlen(p->version));
		bl_fmt_bytes(b, ",", p->arch, strlen(p->arch));
		bl_fmt_u64(b, ",", p->size);
		cs_hex(p->sha256, sizeof p->sha256, hex);
		cs_buf_addc(b, ',');
		cs_buf_adds(b, hex);
		if (p->flags & CS_PKG_MODE)
			cs_buf_printf(b, ",%04" PRIo32, p->mode & 07777);
		if (p->flags & CS_PKG_CONFFILE)
			cs_buf_adds(b, ",conffile");
		if (p->flags & CS_PKG_UNVERIFIED)
			cs_buf_adds(b, ",unverified");
	}
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
	if (e->have & CS_F_BTIME)
		bl_fmt_time(b, " btime=", &e->btime);
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
	if (e->have & CS_F_ZDIGEST) {
		cs_hex(e->zdigest, CS_ZDIGEST_LEN, hex);
		cs_buf_adds(b, " sha256z=");
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
	if ((e->have & CS_F_PKG) && e->npkgs > 0)
		bl_fmt_pkgs(b, e);
	if (e->error != NULL)
		bl_fmt_bytes(b, " error=", e->error, strlen(e->error));
	cs_buf_addc(b, '\n');
}

/* Strict unsigned decimal: no sign, no leading zeros, no overflow. */
int
cs_bl_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
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

	if (cs_bl_parse_u64(s, n, UINT32_MAX, &v) != 0)
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
	if (cs_bl_parse_u64(s, (size_t)(dot - s), INT64_MAX, &sec) != 0 ||
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

/* A package field's text, spelt as policy allows (deb.h). */
static int
bl_parse_pkgtext(const char *s, size_t n, int (*ok)(const char *, size_t),
    char **out)
{
	char	*t;
	size_t	 len;

	if ((t = cs_decode_dup(s, n, &len)) == NULL)
		return -1;
	if (!ok(t, len)) {
		free(t);
		return -1;
	}
	free(*out);
	*out = t;
	return 0;
}

/* An alternative's mode: exactly four octal digits. */
static int
bl_parse_altmode(const char *s, size_t n, uint32_t *mode)
{
	size_t	 i;

	if (n != 4)
		return -1;
	*mode = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -1;
		*mode = *mode * 8 + (uint32_t)(s[i] - '0');
	}
	return 0;
}

/*
 * "PKG,VER,ARCH,SIZE,SHA256[,MODE][,conffile][,unverified]", in order;
 * MODE (four octal digits) when that version's mode is not the record's.
 */
static int
bl_parse_alt(const char *s, size_t n, struct cs_entry *e)
{
	static int (*const ok[3])(const char *, size_t) = { cs_deb_name_ok,
	    cs_deb_version_ok, cs_deb_arch_ok };
	struct cs_pkgref	 r, *p;
	const char		*w[8], *end = s + n, *c;
	size_t			 wn[8], k = 0, i, first = 5;
	char			*t[3] = { NULL, NULL, NULL };
	int			 rc = -1;

	for (; k < 8; k++) {
		c = memchr(s, ',', (size_t)(end - s));
		w[k] = s;
		wn[k] = (size_t)((c != NULL ? c : end) - s);
		if (c == NULL)
			break;
		s = c + 1;
	}
	if (k < 4 || k > 7 || e->npkgs == 0)
		return -1;
	memset(&r, 0, sizeof r);
	for (i = 0; i < 3; i++) {
		if (bl_parse_pkgtext(w[i], wn[i], ok[i], &t[i]) != 0)
			goto out;
	}
	r.name = t[0];
	r.version = t[1];
	r.arch = t[2];
	if (cs_bl_parse_u64(w[3], wn[3], UINT64_MAX, &r.size) != 0 ||
	    cs_unhex(w[4], wn[4], r.sha256, sizeof r.sha256) != 0)
		goto out;
	if (k >= 5 && bl_parse_altmode(w[5], wn[5], &r.mode) == 0) {
		r.flags |= CS_PKG_MODE;
		first = 6;
	}
	for (i = first; i <= k; i++) {
		if (wn[i] == 8 && memcmp(w[i], "conffile", 8) == 0 &&
		    i == first && !(r.flags & CS_PKG_CONFFILE))
			r.flags |= CS_PKG_CONFFILE;
		else if (wn[i] == 10 && memcmp(w[i], "unverified", 10) == 0 &&
		    i == k)
			r.flags |= CS_PKG_UNVERIFIED;
		else
			goto out;
	}
	if (e->npkgs > 1 && cs_pkgref_cmp(&e->pkgs[e->npkgs - 1], &r) >= 0)
		goto out;
	p = cs_entry_add_pkg(e, r.name, r.version, r.arch, r.flags);
	p->size = r.size;
	p->mode = r.mode;
	memcpy(p->sha256, r.sha256, sizeof p->sha256);
	rc = 0;
out:
	for (i = 0; i < 3; i++)
		free(t[i]);
	return rc;
}

/* The fields of the first shipping package (pkg= comes first). */
static int
bl_parse_pkg(enum bl_field f, const char *v, size_t n, struct cs_entry *e)
{
	struct cs_pkgref	*p;

	if (f == F_PKG) {
		p = cs_entry_add_pkg(e, "", "", "", 0);
		return bl_parse_pkgtext(v, n, cs_deb_name_ok, &p->name);
	}
	if (e->npkgs == 0)
		return -1;
	p = &e->pkgs[0];
	switch (f) {
	case F_VER:
		return bl_parse_pkgtext(v, n, cs_deb_version_ok, &p->version);
	case F_ARCH:
		return bl_parse_pkgtext(v, n, cs_deb_arch_ok, &p->arch);
	case F_CONFFILE:
	case F_UNVERIFIED:
		p->flags |= f == F_CONFFILE ? CS_PKG_CONFFILE :
		    CS_PKG_UNVERIFIED;
		return n == 1 && v[0] == '1' ? 0 : -1;
	default:
		return bl_parse_alt(v, n, e);
	}
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
		return cs_bl_parse_u64(v, n, UINT64_MAX, &e->size);
	case F_MTIME:
		return bl_parse_time(v, n, &e->mtime);
	case F_CTIME:
		e->have |= CS_F_CTIME;
		return bl_parse_time(v, n, &e->ctime);
	case F_BTIME:
		e->have |= CS_F_BTIME;
		return bl_parse_time(v, n, &e->btime);
	case F_INO:
		e->have |= CS_F_INO;
		return cs_bl_parse_u64(v, n, UINT64_MAX, &e->ino);
	case F_NLINK:
		e->have |= CS_F_NLINK;
		return cs_bl_parse_u64(v, n, UINT64_MAX, &e->nlink);
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
	case F_ZDIGEST:
		e->have |= CS_F_ZDIGEST;
		return cs_unhex(v, n, e->zdigest, CS_ZDIGEST_LEN);
	case F_PKG: case F_VER: case F_ARCH: case F_CONFFILE:
	case F_UNVERIFIED: case F_ALT:
		return bl_parse_pkg(f, v, n, e);
	default:
		break;
	}
	d = (int)f - F_DIGEST;
	if (d < 0 || d >= CS_D_COUNT)
		return -1;
	e->digests |= 1U << d;
	return cs_unhex(v, n, e->digest[d], cs_digest_len((enum cs_digest)d));
}

/*
 * The packages: pkg=, ver= and arch= together; alt= only on a regular
 * file; the first package's size and SHA-256 are the record's.
 */
static int
bl_check_pkgs(struct cs_entry *e, unsigned seen, const char **why)
{
	unsigned	 id = 1U << F_PKG | 1U << F_VER | 1U << F_ARCH;

	if ((seen & id) != 0 && (seen & id) != id) {
		*why = "pkg, ver and arch not all present";
		return -1;
	}
	if ((seen & (1U << F_ALT)) && e->type != CS_T_FILE) {
		*why = "alt on something other than a regular file";
		return -1;
	}
	if (e->npkgs > 0) {
		e->pkgs[0].size = e->size;
		memcpy(e->pkgs[0].sha256, e->digest[CS_D_SHA256],
		    sizeof e->pkgs[0].sha256);
	}
	return 0;
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
bl_check_record(struct cs_entry *e, unsigned seen, const char **why)
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
	if ((e->digests != 0 || (e->have & CS_F_ZDIGEST)) &&
	    e->type != CS_T_FILE) {
		*why = "digest on something other than a regular file";
		return -1;
	}
	if (e->digests != 0 && (e->have & CS_F_ZDIGEST)) {
		*why = "both digests and sha256z";
		return -1;
	}
	if ((e->have & CS_F_ZDIGEST) && e->size < CS_ZDIGEST_MIN) {
		*why = "sha256z on a file smaller than 4 GiB";
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
	return bl_check_pkgs(e, seen, why);
}

/* cs_bl_parse into an entry that is known to be clear (a new one). */
int
cs_bl_parse_new(const char *line, size_t len, struct cs_entry *e,
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
		/* alt= may repeat */
		f = bl_lookup_field(p, (size_t)(eq - p),
		    last == F_ALT ? last : last + 1);
		if (f == -1) {
			*why = "unknown field";
			return -1;
		}
		if (f < last || (f == last && f != F_XATTR && f != F_ALT)) {
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
	return cs_bl_parse_new(line, len, e, why);
}
