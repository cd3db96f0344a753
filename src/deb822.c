/*
 * deb822.c: the texts of Debian's archive chain (deb.h): a deb822 push
 * parser, and on it the Release, Packages and control parsers.
 *
 * All three are hostile input until their signature or digest is
 * checked, and treated as such after: lines and fields are bounded, NUL
 * bytes, comments and stray continuation lines are refused, every field
 * the chain relies on is spelt as policy allows (names, versions,
 * architectures, decimal sizes, 64 hex digits) and appears at most once
 * in its paragraph.  Errors carry a static reason and the line number.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/deb.h"
#include "custos/digest.h"
#include "custos/path.h"
#include "custos/xmalloc.h"

#include "baseline_int.h"

#define DEB822_MAXLINE	(1024 * 1024)
#define DEB822_MAXFIELD	(64 * 1024 * 1024)
#define DEB_MAXNAME	256

struct cs_deb822 {
	cs_deb822_field_fn field;
	cs_deb822_para_fn para;
	void		*arg;
	void		(*argfree)(void *);	/* or NULL */
	struct cs_buf	 line;		/* the line being read */
	struct cs_buf	 name;		/* the field being read */
	struct cs_buf	 value;
	int		 infield;
	int		 inpara;
	uint64_t	 lineno;
};

struct cs_deb822 *
cs_deb822_new(cs_deb822_field_fn field, cs_deb822_para_fn para, void *arg)
{
	struct cs_deb822	*p;

	p = cs_xcalloc(1, sizeof *p);
	p->field = field;
	p->para = para;
	p->arg = arg;
	cs_buf_init(&p->line);
	cs_buf_init(&p->name);
	cs_buf_init(&p->value);
	return p;
}

void
cs_deb822_free(struct cs_deb822 *p)
{
	if (p == NULL)
		return;
	if (p->argfree != NULL)
		p->argfree(p->arg);
	cs_buf_release(&p->line);
	cs_buf_release(&p->name);
	cs_buf_release(&p->value);
	free(p);
}

uint64_t
cs_deb822_line(const struct cs_deb822 *p)
{
	return p->lineno;
}

static int
deb822_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Trim blanks at both ends of S (N bytes). */
static const char *
deb822_trim(const char *s, size_t *n)
{
	while (*n > 0 && deb822_blank(*s)) {
		s++;
		(*n)--;
	}
	while (*n > 0 && deb822_blank(s[*n - 1]))
		(*n)--;
	return s;
}

/* Hand the field read so far to the callback. */
static const char *
deb822_flush(struct cs_deb822 *p)
{
	const char	*why;

	if (!p->infield)
		return NULL;
	p->infield = 0;
	why = p->field(p->arg, p->name.data, p->name.len,
	    cs_buf_str(&p->value), p->value.len);
	cs_buf_reset(&p->name);
	cs_buf_reset(&p->value);
	return why;
}

/* The end of a paragraph (a blank line or the end of the input). */
static const char *
deb822_para_end(struct cs_deb822 *p)
{
	const char	*why;

	if ((why = deb822_flush(p)) != NULL)
		return why;
	if (!p->inpara)
		return NULL;
	p->inpara = 0;
	return p->para != NULL ? p->para(p->arg) : NULL;
}

/* A field's first line "Name: value". */
static const char *
deb822_field_line(struct cs_deb822 *p, const char *l, size_t n)
{
	const char	*colon, *v;
	size_t		 i, vn;

	if (l[0] == '#')
		return "a comment line";
	if ((colon = memchr(l, ':', n)) == NULL || colon == l)
		return "a line that is not a field";
	for (i = 0; l + i < colon; i++) {
		if ((unsigned char)l[i] <= ' ' || (unsigned char)l[i] > '~')
			return "a bad field name";
	}
	if (l[0] == '-')
		return "a bad field name";
	p->infield = 1;
	p->inpara = 1;
	cs_buf_add(&p->name, l, (size_t)(colon - l));
	vn = n - (size_t)(colon + 1 - l);
	v = deb822_trim(colon + 1, &vn);
	cs_buf_add(&p->value, v, vn);
	return NULL;
}

/* One complete line (without '\n'). */
static const char *
deb822_one(struct cs_deb822 *p, const char *l, size_t n)
{
	const char	*t, *why;
	size_t		 tn = n;

	p->lineno++;
	if (memchr(l, '\0', n) != NULL)
		return "a NUL byte";
	t = deb822_trim(l, &tn);
	if (tn == 0)
		return deb822_para_end(p);
	if (deb822_blank(l[0])) {
		if (!p->infield)
			return "a continuation line outside a field";
		if (p->value.len + tn + 1 > DEB822_MAXFIELD)
			return "a field too long";
		cs_buf_addc(&p->value, '\n');
		cs_buf_add(&p->value, t, tn);
		return NULL;
	}
	if ((why = deb822_flush(p)) != NULL)
		return why;
	return deb822_field_line(p, l, n);
}

int
cs_deb822_feed(struct cs_deb822 *p, const char *s, size_t n,
    const char **why)
{
	const char	*nl;
	size_t		 k;

	while (n > 0) {
		nl = memchr(s, '\n', n);
		k = nl != NULL ? (size_t)(nl - s) : n;
		if (p->line.len + k > DEB822_MAXLINE) {
			p->lineno++;
			*why = "a line too long";
			return -1;
		}
		if (nl == NULL) {
			cs_buf_add(&p->line, s, k);
			return 0;
		}
		if (p->line.len > 0) {
			cs_buf_add(&p->line, s, k);
			*why = deb822_one(p, p->line.data, p->line.len);
			cs_buf_reset(&p->line);
		} else
			*why = deb822_one(p, s, k);
		if (*why != NULL)
			return -1;
		s += k + 1;
		n -= k + 1;
	}
	return 0;
}

int
cs_deb822_end(struct cs_deb822 *p, const char **why)
{
	if (p->line.len > 0) {
		*why = deb822_one(p, p->line.data, p->line.len);
		cs_buf_reset(&p->line);
		if (*why != NULL)
			return -1;
	}
	*why = deb822_para_end(p);
	return *why != NULL ? -1 : 0;
}

/* Bytes of S (N, 1 to DEB_MAXNAME) all in the set OK. */
static int
deb_spelt(const char *s, size_t n, const char *ok)
{
	size_t	 i;

	if (n == 0 || n > DEB_MAXNAME)
		return 0;
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9')) &&
		    (s[i] == '\0' || strchr(ok, s[i]) == NULL))
			return 0;
	}
	return 1;
}

int
cs_deb_name_ok(const char *s, size_t n)
{
	return n >= 2 && deb_spelt(s, n, "+.-") &&
	    ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'));
}

int
cs_deb_version_ok(const char *s, size_t n)
{
	return deb_spelt(s, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ.+~:-") &&
	    s[0] >= '0' && s[0] <= '9';
}

int
cs_deb_arch_ok(const char *s, size_t n)
{
	return deb_spelt(s, n, "-") && s[0] != '-';
}

/* Is field NAME (N bytes) WANT, case-insensitively as deb822 says? */
static int
deb_is(const char *name, size_t n, const char *want)
{
	return n == strlen(want) && strncasecmp(name, want, n) == 0;
}

/*
 * Release.
 */
struct deb_rel {
	struct cs_deb_release *r;
	int		 paras;
	unsigned	 seen;
};

#define REL_DATE	0x01
#define REL_VALID	0x02
#define REL_SUITE	0x04
#define REL_CODENAME	0x08
#define REL_SHA256	0x10

/* A printable one-line value, copied. */
static const char *
deb_text(const char *v, size_t n, char **out)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if ((unsigned char)v[i] < ' ' || (unsigned char)v[i] > '~')
			return "a value that is not one line of printable text";
	}
	*out = cs_xmemdup(v, n);
	return NULL;
}

static int
deb_relfile_cmp(const void *a, const void *b)
{
	const struct cs_deb_relfile *x = a, *y = b;

	return strcmp(x->path, y->path);
}

/* A relative path without "." or ".." components or odd bytes. */
static int
deb_relpath_ok(const char *s, size_t n)
{
	size_t	 i, c = 0;

	if (n == 0 || s[0] == '/' || s[n - 1] == '/')
		return 0;
	for (i = 0; i <= n; i++) {
		if (i < n && ((unsigned char)s[i] <= ' ' ||
		    (unsigned char)s[i] > '~'))
			return 0;
		if (i < n && s[i] != '/')
			continue;
		if (i - c == 0 || (i - c == 1 && s[c] == '.') ||
		    (i - c == 2 && s[c] == '.' && s[c + 1] == '.'))
			return 0;
		c = i + 1;
	}
	return 1;
}

/* Split "HEX SIZE PATH" (blanks between) into F. */
static const char *
deb_relfile(const char *l, size_t n, struct cs_deb_relfile *f)
{
	const char	*w[3];
	size_t		 wn[3], i = 0, k;

	for (k = 0; k < 3; k++) {
		while (i < n && deb822_blank(l[i]))
			i++;
		w[k] = l + i;
		while (i < n && !deb822_blank(l[i]))
			i++;
		wn[k] = (size_t)(l + i - w[k]);
		if (wn[k] == 0)
			return "a SHA256 line without hash, size and path";
	}
	while (i < n && deb822_blank(l[i]))
		i++;
	if (i != n)
		return "a SHA256 line with more than hash, size and path";
	if (cs_unhex(w[0], wn[0], f->sha256, sizeof f->sha256) != 0)
		return "a bad SHA-256 in the SHA256 field";
	if (cs_bl_parse_u64(w[1], wn[1], UINT64_MAX, &f->size) != 0)
		return "a bad size in the SHA256 field";
	if (!deb_relpath_ok(w[2], wn[2]))
		return "a bad path in the SHA256 field";
	f->path = cs_xmemdup(w[2], wn[2]);
	return NULL;
}

/* The SHA256 field: one file a line (the first line is empty). */
static const char *
deb_rel_sha256(struct cs_deb_release *r, const char *v, size_t n)
{
	const char	*nl, *why;
	size_t		 k, i;

	while (n > 0) {
		nl = memchr(v, '\n', n);
		k = nl != NULL ? (size_t)(nl - v) : n;
		if (k > 0) {
			r->files = cs_xreallocarray(r->files, r->nfiles + 1,
			    sizeof *r->files);
			memset(&r->files[r->nfiles], 0, sizeof *r->files);
			if ((why = deb_relfile(v, k, &r->files[r->nfiles])) !=
			    NULL)
				return why;
			r->nfiles++;
		}
		v += k + (nl != NULL);
		n -= k + (nl != NULL);
	}
	if (r->nfiles > 1)
		qsort(r->files, r->nfiles, sizeof *r->files, deb_relfile_cmp);
	for (i = 1; i < r->nfiles; i++) {
		if (strcmp(r->files[i - 1].path, r->files[i].path) == 0)
			return "a path listed twice in the SHA256 field";
	}
	return NULL;
}

static const char *
deb_rel_field(void *arg, const char *name, size_t n, const char *v,
    size_t vn)
{
	static const struct {
		const char	*name;
		unsigned	 bit;
	} keys[] = {
		{ "Date", REL_DATE }, { "Valid-Until", REL_VALID },
		{ "Suite", REL_SUITE }, { "Codename", REL_CODENAME },
		{ "SHA256", REL_SHA256 },
	};
	struct deb_rel		*d = arg;
	struct cs_deb_release	*r = d->r;
	size_t			 i;

	if (d->paras > 0)
		return "more than one paragraph";
	for (i = 0; i < CS_NELEM(keys) && !deb_is(name, n, keys[i].name); i++)
		;
	if (i == CS_NELEM(keys))
		return NULL;
	if (d->seen & keys[i].bit)
		return "a field given twice";
	d->seen |= keys[i].bit;
	switch (keys[i].bit) {
	case REL_DATE: return deb_text(v, vn, &r->date);
	case REL_SUITE: return deb_text(v, vn, &r->suite);
	case REL_CODENAME: return deb_text(v, vn, &r->codename);
	case REL_VALID:
		if (deb_text(v, vn, &r->valid_until) != NULL ||
		    cs_deb_date_parse(r->valid_until, &r->valid_until_t) != 0)
			return "a bad Valid-Until date";
		return NULL;
	default:
		return deb_rel_sha256(r, v, vn);
	}
}

static const char *
deb_rel_para(void *arg)
{
	struct deb_rel	*d = arg;

	d->paras++;
	return NULL;
}

int
cs_deb_release_parse(const char *s, size_t n, struct cs_deb_release *r,
    const char **why, uint64_t *line)
{
	struct deb_rel		 d;
	struct cs_deb822	*p;
	int			 rc;

	memset(r, 0, sizeof *r);
	memset(&d, 0, sizeof d);
	d.r = r;
	p = cs_deb822_new(deb_rel_field, deb_rel_para, &d);
	rc = cs_deb822_feed(p, s, n, why);
	if (rc == 0)
		rc = cs_deb822_end(p, why);
	if (rc == 0 && !(d.seen & REL_SHA256)) {
		*why = "no SHA256 field";
		rc = -1;
	}
	*line = cs_deb822_line(p);
	cs_deb822_free(p);
	if (rc != 0)
		cs_deb_release_release(r);
	return rc;
}

void
cs_deb_release_release(struct cs_deb_release *r)
{
	size_t	 i;

	for (i = 0; i < r->nfiles; i++)
		free(r->files[i].path);
	free(r->files);
	free(r->date);
	free(r->valid_until);
	free(r->suite);
	free(r->codename);
	memset(r, 0, sizeof *r);
}

const struct cs_deb_relfile *
cs_deb_release_find(const struct cs_deb_release *r, const char *path,
    size_t n)
{
	size_t	 lo = 0, hi = r->nfiles, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(r->files[mid].path, path, n);
		if (c == 0 && r->files[mid].path[n] != '\0')
			c = 1;
		if (c == 0)
			return &r->files[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* N decimal digits at S into *V; -1 if not digits. */
static int
deb_digits(const char *s, size_t n, int *v)
{
	size_t	 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* Days from 1970-01-01 to Y-M-D (proleptic Gregorian). */
static int64_t
deb_days(int y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
cs_deb_date_parse(const char *s, int64_t *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char	*p = s, *m;
	int		 d, mo, y, hh, mm, ss;

	if ((m = strchr(p, ',')) != NULL)
		p = m + 1;
	while (*p == ' ')
		p++;
	/* "9 Dec 2023 08:20:55 UTC" or "09 Dec ..." */
	if (p[0] >= '0' && p[0] <= '9' && p[1] == ' ')
		d = p[0] - '0', p += 2;
	else if (deb_digits(p, 2, &d) == 0 && p[2] == ' ')
		p += 3;
	else
		return -1;
	if (strlen(p) < 20 || p[3] != ' ' || p[8] != ' ' || p[11] != ':' ||
	    p[14] != ':' || p[17] != ' ')
		return -1;
	for (mo = 0; mo < 12 && strncmp(months + 3 * mo, p, 3) != 0; mo++)
		;
	if (mo == 12 || deb_digits(p + 4, 4, &y) != 0 ||
	    deb_digits(p + 9, 2, &hh) != 0 || deb_digits(p + 12, 2, &mm) != 0 ||
	    deb_digits(p + 15, 2, &ss) != 0)
		return -1;
	if (strcmp(p + 18, "UTC") != 0 && strcmp(p + 18, "GMT") != 0 &&
	    strcmp(p + 18, "+0000") != 0 && strcmp(p + 18, "Z") != 0)
		return -1;
	if (d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60)
		return -1;
	*out = deb_days(y, mo + 1, d) * 86400 + hh * 3600 + mm * 60 + ss;
	return 0;
}

/*
 * Packages and control.
 */
#define PKG_NAME	0x01
#define PKG_VERSION	0x02
#define PKG_ARCH	0x04
#define PKG_SIZE	0x08
#define PKG_SHA256	0x10
#define PKG_FILENAME	0x20
#define PKG_ALL		0x3f
#define PKG_ID		(PKG_NAME | PKG_VERSION | PKG_ARCH)

struct deb_pkgs {
	struct cs_deb_index *idx;	/* Packages, or */
	struct cs_deb_pkg *one;		/* a control file */
	struct cs_deb_pkg cur;
	unsigned	 seen;
	int		 paras;
};

void
cs_deb_pkg_release(struct cs_deb_pkg *p)
{
	free(p->name);
	free(p->version);
	free(p->arch);
	memset(p, 0, sizeof *p);
}

/* One field of a stanza into D->cur. */
static const char *
deb_pkg_field(void *arg, const char *name, size_t n, const char *v,
    size_t vn)
{
	static const char *const keys[] = { "Package", "Version",
	    "Architecture", "Size", "SHA256", "Filename" };
	struct deb_pkgs		*d = arg;
	struct cs_deb_pkg	*c = &d->cur;
	unsigned		 bit;
	size_t			 i;

	if (d->one != NULL && d->paras > 0)
		return "more than one paragraph";
	if (d->one != NULL && deb_is(name, n, "Multi-Arch")) {
		/* where dpkg installs its control files (deb_info.c) */
		c->ma_same = deb_is(v, vn, "same");
		return NULL;
	}
	for (i = 0; i < CS_NELEM(keys) && !deb_is(name, n, keys[i]); i++)
		;
	if (i == CS_NELEM(keys) || (d->one != NULL && (1U << i) > PKG_ARCH))
		return NULL;
	bit = 1U << i;
	if (d->seen & bit)
		return "a field given twice";
	d->seen |= bit;
	switch (bit) {
	case PKG_NAME:
		if (!cs_deb_name_ok(v, vn))
			return "a bad package name";
		c->name = cs_xmemdup(v, vn);
		return NULL;
	case PKG_VERSION:
		if (!cs_deb_version_ok(v, vn))
			return "a bad version";
		c->version = cs_xmemdup(v, vn);
		return NULL;
	case PKG_ARCH:
		if (!cs_deb_arch_ok(v, vn))
			return "a bad architecture";
		c->arch = cs_xmemdup(v, vn);
		return NULL;
	case PKG_SIZE:
		return cs_bl_parse_u64(v, vn, UINT64_MAX, &c->size) != 0 ?
		    "a bad size" : NULL;
	case PKG_SHA256:
		return cs_unhex(v, vn, c->sha256, sizeof c->sha256) != 0 ?
		    "a bad SHA256" : NULL;
	default:
		return deb_relpath_ok(v, vn) ? NULL : "a bad Filename";
	}
}

/* The end of a stanza: a complete package into the index. */
static const char *
deb_pkg_para(void *arg)
{
	struct deb_pkgs		*d = arg;
	struct cs_deb_index	*x = d->idx;
	unsigned		 need = d->one != NULL ? PKG_ID : PKG_ALL;

	d->paras++;
	if ((d->seen & need) != need)
		return d->one != NULL ? "no Package, Version or Architecture" :
		    "a stanza without Package, Version, Architecture, "
		    "Filename, Size or SHA256";
	d->seen = 0;
	if (d->one != NULL) {
		*d->one = d->cur;
		memset(&d->cur, 0, sizeof d->cur);
		return NULL;
	}
	if (x->npkgs == x->cap) {
		x->cap = x->cap != 0 ? 2 * x->cap : 1024;
		x->pkgs = cs_xreallocarray(x->pkgs, x->cap, sizeof *x->pkgs);
	}
	x->pkgs[x->npkgs++] = d->cur;
	memset(&d->cur, 0, sizeof d->cur);
	return NULL;
}

/* The parser's state, freed with the parser (cs_deb822_free). */
static struct deb_pkgs *
deb_pkgs_new(struct cs_deb_index *idx, struct cs_deb_pkg *one)
{
	struct deb_pkgs	*d = cs_xcalloc(1, sizeof *d);

	d->idx = idx;
	d->one = one;
	return d;
}

static void
deb_pkgs_free(void *arg)
{
	struct deb_pkgs	*d = arg;

	cs_deb_pkg_release(&d->cur);
	free(d);
}

/* A parser of stanzas into IDX, or of one control file into ONE. */
static struct cs_deb822 *
deb_pkgs_parser(struct cs_deb_index *idx, struct cs_deb_pkg *one)
{
	struct cs_deb822	*p;

	p = cs_deb822_new(deb_pkg_field, deb_pkg_para, deb_pkgs_new(idx, one));
	p->argfree = deb_pkgs_free;
	return p;
}

struct cs_deb822 *
cs_deb_packages_parser(struct cs_deb_index *idx)
{
	return deb_pkgs_parser(idx, NULL);
}

/* Run a whole text through parser P. */
static int
deb_pkgs_run(struct cs_deb822 *p, const char *s, size_t n, const char **why,
    uint64_t *line)
{
	int	 rc;

	rc = cs_deb822_feed(p, s, n, why);
	if (rc == 0)
		rc = cs_deb822_end(p, why);
	if (line != NULL)
		*line = cs_deb822_line(p);
	cs_deb822_free(p);
	return rc;
}

int
cs_deb_packages_parse(struct cs_deb_index *idx, const char *s, size_t n,
    const char **why, uint64_t *line)
{
	return deb_pkgs_run(deb_pkgs_parser(idx, NULL), s, n, why, line);
}

int
cs_deb_control_parse(const char *s, size_t n, struct cs_deb_pkg *p,
    const char **why)
{
	int	 rc;

	memset(p, 0, sizeof *p);
	rc = deb_pkgs_run(deb_pkgs_parser(NULL, p), s, n, why, NULL);
	if (rc == 0 && p->name == NULL) {
		*why = "an empty control file";
		rc = -1;
	}
	if (rc != 0)
		cs_deb_pkg_release(p);
	return rc;
}
