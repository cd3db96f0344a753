/*
 * diff.c: the comparison of two records for one path under a policy,
 * and findings; diff_run.c runs it, with the structured comparators,
 * over the pairs of the join (join.h).
 *
 * A finding keeps both records (the triage and the report need their
 * metadata); records without differences are freed at once.  Every value
 * put in a finding is encoded (path.h), so findings hold printable ASCII
 * only.
 */
#include "custos/custos.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/content.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/host.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/xmalloc.h"

#include "diff_int.h"

/* Ordered as enum cs_kind. */
static const char *const diff_kind_names[CS_K_COUNT] = {
	"added", "removed", "changed", "type-changed", "not-compared"
};

/* Ordered as enum cs_attr. */
static const char *const diff_attr_names[CS_A_COUNT] = {
	"type", "size", "digest", "append-only", "mode", "uid", "gid",
	"mtime", "ctime", "ino", "nlink", "target", "rdev", "acl", "dacl",
	"caps", "xattr", "iflags", "btime"
};

/* What each attribute group is, in reports; ordered as the CS_G_ bits. */
static const char *const diff_group_desc[CS_DIFF_NGROUPS] = {
	"content (size and digests)", "permissions", "owners",
	"modification times", "change times", "inode numbers and link counts",
	"ACLs", "extended attributes and capabilities", "inode flags",
	"symbolic link targets and device numbers"
};

/* Inode flag names (FS_IOC_GETFLAGS bits), lowest bit first. */
static const struct {
	uint32_t	 bit;
	const char	*name;
} diff_iflag_names[] = {
	{ 0x00000001, "secrm" },
	{ 0x00000002, "unrm" },
	{ 0x00000004, "compr" },
	{ 0x00000008, "sync" },
	{ 0x00000010, "immutable" },
	{ 0x00000020, "append-only" },
	{ 0x00000040, "nodump" },
	{ 0x00000080, "noatime" },
	{ 0x00001000, "indexed" },
	{ 0x00080000, "extents" },
	{ 0x10000000, "inline-data" },
};

const char *
cs_kind_name(enum cs_kind k)
{
	return (unsigned)k < CS_K_COUNT ? diff_kind_names[k] : "unknown";
}

const char *
cs_attr_name(enum cs_attr a)
{
	return (unsigned)a < CS_A_COUNT ? diff_attr_names[a] : "unknown";
}

char *
cs_group_text(unsigned groups)
{
	struct cs_buf	 b;
	unsigned	 i;

	cs_buf_init(&b);
	for (i = 0; i < CS_DIFF_NGROUPS; i++) {
		if ((groups & (1U << i)) == 0)
			continue;
		if (b.len > 0)
			cs_buf_adds(&b, ", ");
		cs_buf_adds(&b, diff_group_desc[i]);
	}
	return cs_buf_detach(&b, NULL);
}

const char *
cs_group_desc(unsigned i)
{
	return i < CS_DIFF_NGROUPS ? diff_group_desc[i] : "unknown";
}

char *
cs_iflags_text(uint32_t f)
{
	struct cs_buf	 b;
	size_t		 i;

	if (f == 0)
		return cs_xstrdup("none");
	cs_buf_init(&b);
	for (i = 0; i < CS_NELEM(diff_iflag_names); i++) {
		if ((f & diff_iflag_names[i].bit) == 0)
			continue;
		f &= ~diff_iflag_names[i].bit;
		if (b.len > 0)
			cs_buf_addc(&b, ',');
		cs_buf_adds(&b, diff_iflag_names[i].name);
	}
	if (f != 0)
		cs_buf_printf(&b, "%s0x%" PRIx32, b.len > 0 ? "," : "", f);
	return cs_buf_detach(&b, NULL);
}

int
cs_rfc3339_parse(const char *s, int64_t *out)
{
	struct tm	 tm;
	int		 y, mo, d, h, mi, sec, n = 0;
	time_t		 t;

	/* NOLINTNEXTLINE(cert-err34-c): fixed widths, ranges checked below */
	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d,
	    &h, &mi, &sec, &n) != 6 || n != 19)
		return -1;
	s += n;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++)
			continue;
	}
	if (strcmp(s, "Z") != 0 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

/* Findings. */

/* Free what finding F owns, but not F itself. */
static void
diff_release(struct cs_finding *f)
{
	size_t	 i;

	for (i = 0; i < f->nchanges; i++) {
		free(f->changes[i].name);
		free(f->changes[i].old);
		free(f->changes[i].new);
	}
	free(f->changes);
	cs_entry_free(f->old);
	cs_entry_free(f->new);
	free(f->path);
	free(f->shown);
	free(f->related);
	free(f->copy_of);
	free(f->detail);
	free(f->restore);
}

void
cs_finding_free(struct cs_finding *f)
{
	if (f == NULL)
		return;
	diff_release(f);
	free(f);
}

void
cs_finding_reason(struct cs_finding *f, const char *technique,
    const char *why)
{
	size_t	 i;

	for (i = 0; i < f->nreasons; i++) {
		if (strcmp(f->reasons[i], why) == 0)
			return;
	}
	if (f->nreasons < CS_MAX_REASONS) {
		f->techniques[f->nreasons] = technique;
		f->reasons[f->nreasons++] = why;
	}
}

const struct cs_change *
cs_finding_change(const struct cs_finding *f, enum cs_attr a)
{
	size_t	 i;

	for (i = 0; i < f->nchanges; i++) {
		if (f->changes[i].attr == a)
			return &f->changes[i];
	}
	return NULL;
}

/* Record a change; takes over OLD and NEW (heap strings or NULL). */
static void
diff_add(struct cs_finding *f, enum cs_attr a, const char *name, char *old,
    char *new)
{
	struct cs_change	*c;

	f->changes = cs_xreallocarray(f->changes, f->nchanges + 1,
	    sizeof *f->changes);
	c = &f->changes[f->nchanges++];
	c->attr = a;
	c->name = name != NULL ? cs_encode_dup(name) : NULL;
	c->old = old;
	c->new = new;
	f->attrs |= CS_ABIT(a);
}

static char *
diff_time(const struct cs_time *t)
{
	struct timespec	 ts;

	ts.tv_sec = (time_t)t->sec;
	ts.tv_nsec = (long)t->nsec;
	return cs_time_rfc3339(&ts, 1);
}

static char *
diff_id(uint32_t id, const char *name)
{
	char	*enc, *s;

	if (name == NULL)
		return cs_xasprintf("%" PRIu32, id);
	enc = cs_encode_dup(name);
	s = cs_xasprintf("%" PRIu32 "(%s)", id, enc);
	free(enc);
	return s;
}

static char *
diff_bytes(const void *p, size_t n)
{
	struct cs_buf	 b;

	if (p == NULL)
		return NULL;
	cs_buf_init(&b);
	cs_encode(&b, p, n);
	return cs_buf_detach(&b, NULL);
}

static char *
diff_str(const char *s)
{
	return s != NULL ? cs_encode_dup(s) : NULL;
}

static int
diff_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
diff_time_eq(const struct cs_time *a, const struct cs_time *b)
{
	return a->sec == b->sec && a->nsec == b->nsec;
}

/* Start finding F of kind K (not yet named: see diff_keep). */
static void
diff_start(struct cs_finding *f, enum cs_kind k, struct cs_entry *old,
    struct cs_entry *new, int base)
{
	memset(f, 0, sizeof *f);
	f->kind = k;
	f->old = old;
	f->new = new;
	f->base = base;
	f->floor = -1;
	f->severity = base >= 0 ? base : CS_SEV_LOW;
}

/* Move finding F to the heap and give it its path, raw and shown. */
static struct cs_finding *
diff_keep(const struct cs_finding *f)
{
	struct cs_finding	*h;
	const struct cs_entry	*e = f->new != NULL ? f->new : f->old;

	h = cs_xmalloc(sizeof *h);
	*h = *f;
	h->path = cs_xmemdup(e->path, e->pathlen + 1);
	h->pathlen = e->pathlen;
	h->shown = diff_bytes(e->path, e->pathlen);
	return h;
}

static struct cs_finding *
diff_finding(enum cs_kind k, struct cs_entry *old, struct cs_entry *new,
    int base)
{
	struct cs_finding	 f;

	diff_start(&f, k, old, new, base);
	return diff_keep(&f);
}

/* Digests of N bytes equal on every algorithm in DIGESTS? */
static int
diff_digests_eq(const unsigned char a[][CS_DIGEST_MAXLEN],
    const unsigned char b[][CS_DIGEST_MAXLEN], unsigned digests)
{
	int	 d;

	for (d = 0; d < CS_D_COUNT; d++) {
		if ((digests & (1U << d)) != 0 &&
		    memcmp(a[d], b[d], cs_digest_len((enum cs_digest)d)) != 0)
			return 0;
	}
	return 1;
}

/* Whole-content comparison: size and every digest both sides have. */
static void
diff_content(struct cs_finding *f, unsigned digests)
{
	const struct cs_entry	*o = f->old, *n = f->new;
	char			 ho[2 * CS_DIGEST_MAXLEN + 1];
	char			 hn[2 * CS_DIGEST_MAXLEN + 1];
	size_t			 len;
	int			 d;

	if (o->size != n->size)
		diff_add(f, CS_A_SIZE, NULL,
		    cs_xasprintf("%" PRIu64, o->size),
		    cs_xasprintf("%" PRIu64, n->size));
	digests &= o->digests & n->digests;
	for (d = 0; d < CS_D_COUNT; d++) {
		if ((digests & (1U << d)) == 0)
			continue;
		len = cs_digest_len((enum cs_digest)d);
		if (memcmp(o->digest[d], n->digest[d], len) == 0)
			continue;
		cs_hex(o->digest[d], len, ho);
		cs_hex(n->digest[d], len, hn);
		diff_add(f, CS_A_DIGEST, cs_digest_name((enum cs_digest)d),
		    cs_xstrdup(ho), cs_xstrdup(hn));
	}
	if ((o->have & n->have & CS_F_ZDIGEST) != 0 &&
	    memcmp(o->zdigest, n->zdigest, CS_ZDIGEST_LEN) != 0) {
		cs_hex(o->zdigest, CS_ZDIGEST_LEN, ho);
		cs_hex(n->zdigest, CS_ZDIGEST_LEN, hn);
		diff_add(f, CS_A_DIGEST, "sha256z", cs_xstrdup(ho),
		    cs_xstrdup(hn));
	}
}

/*
 * Why the content of two regular files with a digest in the baseline
 * cannot be compared, or NULL if it can (a digest or sha256z in common).
 */
static const char *
diff_content_why_not(const struct cs_entry *o, const struct cs_entry *n,
    unsigned digests)
{
	if ((digests & o->digests & n->digests) != 0 ||
	    (o->have & n->have & CS_F_ZDIGEST) != 0 ||
	    (o->digests == 0 && (o->have & CS_F_ZDIGEST) == 0))
		return NULL;
	if ((o->have | n->have) & CS_F_ZDIGEST) {
		if ((n->have & CS_F_ZDIGEST) == 0 && n->digests == 0)
			return "no digest of the content now: content not "
			    "compared";
		return "a sparse file's zero-run digest (sha256z) on one "
		    "side, full digests on the other: content not compared";
	}
	return n->digests == 0 ? "no digest of the content now: content not "
	    "compared" : "no digest in common with the baseline: content "
	    "not compared";
}

/*
 * An append-only file: growth with the old content as an unchanged
 * prefix is expected; anything else is a change of the append-only
 * attribute, plus the size and digest changes.
 */
static void
diff_append(struct cs_finding *f, unsigned digests,
    const struct cs_content *c)
{
	const struct cs_entry	*o = f->old, *n = f->new;
	unsigned		 both = digests & o->digests & n->digests;

	if (n->size < o->size) {
		diff_add(f, CS_A_PREFIX, NULL, cs_xstrdup("intact"),
		    cs_xstrdup("truncated"));
		diff_content(f, digests);
		return;
	}
	if (n->size == o->size || both == 0) {
		diff_content(f, digests);
		if (n->size > o->size)
			f->flags |= CS_FF_NOPREFIX;
		else if (f->attrs & CS_ABIT(CS_A_DIGEST))
			diff_add(f, CS_A_PREFIX, NULL, cs_xstrdup("intact"),
			    cs_xstrdup("rewritten"));
		return;
	}
	if (c == NULL || !c->have_prefix || c->prefix_len != o->size) {
		/* Nothing to compare the old content with. */
		f->flags |= CS_FF_NOPREFIX;
		diff_content(f, digests);
		return;
	}
	if (!diff_digests_eq(o->digest, c->prefix_digest, both)) {
		diff_add(f, CS_A_PREFIX, NULL, cs_xstrdup("intact"),
		    cs_xstrdup("rewritten"));
		diff_content(f, digests);
		return;
	}
	f->flags |= CS_FF_APPENDED;
	diff_add(f, CS_A_SIZE, NULL, cs_xasprintf("%" PRIu64, o->size),
	    cs_xasprintf("%" PRIu64, n->size));
}

/* Extended attributes: a merge of the two sorted lists, and caps. */
static void
diff_xattrs(struct cs_finding *f)
{
	const struct cs_entry	*o = f->old, *n = f->new;
	const struct cs_xattr	*xo, *xn;
	size_t			 i = 0, j = 0;
	int			 c;

	if (!diff_streq(o->caps, n->caps))
		diff_add(f, CS_A_CAPS, NULL, diff_str(o->caps),
		    diff_str(n->caps));
	while (i < o->nxattrs || j < n->nxattrs) {
		if (i >= o->nxattrs)
			c = 1;
		else if (j >= n->nxattrs)
			c = -1;
		else
			c = strcmp(o->xattrs[i].name, n->xattrs[j].name);
		if (c < 0) {
			xo = &o->xattrs[i++];
			diff_add(f, CS_A_XATTR, xo->name,
			    diff_bytes(xo->value, xo->len), NULL);
		} else if (c > 0) {
			xn = &n->xattrs[j++];
			diff_add(f, CS_A_XATTR, xn->name, NULL,
			    diff_bytes(xn->value, xn->len));
		} else {
			xo = &o->xattrs[i++];
			xn = &n->xattrs[j++];
			if (xo->len != xn->len ||
			    memcmp(xo->value, xn->value, xo->len) != 0)
				diff_add(f, CS_A_XATTR, xo->name,
				    diff_bytes(xo->value, xo->len),
				    diff_bytes(xn->value, xn->len));
		}
	}
}

/* Inode-level attributes: owner, mode, times, inode, link, ACLs, flags. */
static void
diff_meta(struct cs_finding *f, unsigned g)
{
	const struct cs_entry	*o = f->old, *n = f->new;
	unsigned		 both = o->have & n->have;

	if ((g & CS_G_PERMS) && (o->mode & 07777) != (n->mode & 07777))
		diff_add(f, CS_A_MODE, NULL,
		    cs_xasprintf("%04" PRIo32, o->mode & 07777),
		    cs_xasprintf("%04" PRIo32, n->mode & 07777));
	if ((g & CS_G_OWNER) && o->uid != n->uid)
		diff_add(f, CS_A_UID, NULL, diff_id(o->uid, o->user),
		    diff_id(n->uid, n->user));
	if ((g & CS_G_OWNER) && o->gid != n->gid)
		diff_add(f, CS_A_GID, NULL, diff_id(o->gid, o->group),
		    diff_id(n->gid, n->group));
	if ((g & CS_G_TIMES) && !diff_time_eq(&o->mtime, &n->mtime) &&
	    (f->flags & CS_FF_APPENDED) == 0)
		diff_add(f, CS_A_MTIME, NULL, diff_time(&o->mtime),
		    diff_time(&n->mtime));
	if ((g & CS_G_CTIME) && (both & CS_F_CTIME) &&
	    !diff_time_eq(&o->ctime, &n->ctime))
		diff_add(f, CS_A_CTIME, NULL, diff_time(&o->ctime),
		    diff_time(&n->ctime));
	if ((g & CS_G_BTIME) && (both & CS_F_BTIME) &&
	    !diff_time_eq(&o->btime, &n->btime))
		diff_add(f, CS_A_BTIME, NULL, diff_time(&o->btime),
		    diff_time(&n->btime));
	if ((g & CS_G_INODE) && (both & CS_F_INO) && o->ino != n->ino)
		diff_add(f, CS_A_INO, NULL, cs_xasprintf("%" PRIu64, o->ino),
		    cs_xasprintf("%" PRIu64, n->ino));
	if ((g & CS_G_INODE) && (both & CS_F_NLINK) && o->type != CS_T_DIR &&
	    o->nlink != n->nlink)
		diff_add(f, CS_A_NLINK, NULL,
		    cs_xasprintf("%" PRIu64, o->nlink),
		    cs_xasprintf("%" PRIu64, n->nlink));
	if ((g & CS_G_LINK) && (o->targetlen != n->targetlen ||
	    (o->targetlen > 0 && memcmp(o->target, n->target,
	    o->targetlen) != 0)))
		diff_add(f, CS_A_TARGET, NULL,
		    diff_bytes(o->target, o->targetlen),
		    diff_bytes(n->target, n->targetlen));
	if ((g & CS_G_LINK) && (o->rmajor != n->rmajor ||
	    o->rminor != n->rminor))
		diff_add(f, CS_A_RDEV, NULL,
		    cs_xasprintf("%" PRIu32 ",%" PRIu32, o->rmajor, o->rminor),
		    cs_xasprintf("%" PRIu32 ",%" PRIu32, n->rmajor, n->rminor));
	if ((g & CS_G_ACL) && (both & CS_F_META) && !diff_streq(o->acl, n->acl))
		diff_add(f, CS_A_ACL, NULL, diff_str(o->acl), diff_str(n->acl));
	if ((g & CS_G_ACL) && (both & CS_F_META) &&
	    !diff_streq(o->dacl, n->dacl))
		diff_add(f, CS_A_DACL, NULL, diff_str(o->dacl),
		    diff_str(n->dacl));
	if ((g & CS_G_XATTR) && (both & CS_F_META))
		diff_xattrs(f);
	if ((g & CS_G_FLAGS) && (both & CS_F_IFLAGS) && o->iflags != n->iflags)
		diff_add(f, CS_A_IFLAGS, NULL, cs_iflags_text(o->iflags),
		    cs_iflags_text(n->iflags));
}

/* Compare two records of one type under RULE; C is NEW's content. */
static void
diff_same_type(struct cs_finding *f, const struct cs_rule *rule,
    const struct cs_diff_opts *opts, unsigned digests,
    const struct cs_content *c)
{
	const struct cs_entry	*o = f->old, *n = f->new;
	const char		*why;

	if (o->type == CS_T_FILE && (rule->groups & CS_G_CONTENT)) {
		if (rule->append_only)
			diff_append(f, digests, c);
		else
			diff_content(f, digests);
		/* the baseline has a digest, and none can be compared */
		why = diff_content_why_not(o, n, digests);
		if (why != NULL && f->kind == CS_K_CHANGED) {
			f->kind = CS_K_NOTCMP;
			f->why_not = why;
		}
	}
	diff_meta(f, rule->groups);
	if ((f->attrs & (CS_ABIT(CS_A_SIZE) | CS_ABIT(CS_A_DIGEST))) != 0 &&
	    (f->flags & CS_FF_APPENDED) == 0 &&
	    (diff_time_eq(&o->mtime, &n->mtime) ||
	    (opts->created != INT64_MIN && n->mtime.sec < opts->created)))
		f->flags |= CS_FF_TIMESTOMP;
}

/* The comparison, with the path's rule already evaluated. */
struct cs_finding *
cs_diff_pair_cmp(struct cs_entry *old, struct cs_entry *new,
    const struct cs_content *c, const struct cs_rule *rule,
    const struct cs_diff_opts *opts, unsigned digests)
{
	struct cs_finding	*f, same;

	if (new != NULL && new->error != NULL) {
		/* what could be examined is shown with it */
		diff_start(&same, CS_K_NOTCMP, old, new, rule->severity);
		if (old != NULL && old->type == new->type)
			diff_meta(&same, rule->groups);
		return diff_keep(&same);
	}
	if (new == NULL)
		return diff_finding(CS_K_REMOVED, old, new, rule->severity);
	if (old == NULL)
		return diff_finding(CS_K_ADDED, old, new, rule->severity);
	if (old->type != new->type) {
		f = diff_finding(CS_K_TYPE, old, new, rule->severity);
		diff_add(f, CS_A_TYPE, NULL, cs_xstrdup(cs_type_name(old->type)),
		    cs_xstrdup(cs_type_name(new->type)));
		return f;
	}
	/* most pairs are unchanged: name the finding only if it is one */
	diff_start(&same, CS_K_CHANGED, old, new, rule->severity);
	if (old->error != NULL) {
		/* the baseline could not examine it: nothing to vouch for */
		same.kind = CS_K_NOTCMP;
		same.why_not = "the baseline could not examine it";
	}
	diff_same_type(&same, rule, opts, digests, c);
	if (same.nchanges == 0 && same.kind != CS_K_NOTCMP) {
		same.old = same.new = NULL;
		diff_release(&same);
		cs_entry_free(old);
		cs_entry_free(new);
		return NULL;
	}
	if ((same.flags & CS_FF_APPENDED) &&
	    same.attrs == CS_ABIT(CS_A_SIZE))
		same.severity = CS_SEV_INFO;
	return diff_keep(&same);
}

int
cs_duration_parse(const char *s, int64_t *out, struct cs_err *err)
{
	char		*end;
	long long	 n;
	int64_t		 mul = 1;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (*end == 'm')
		mul = 60;
	else if (*end == 'h')
		mul = 3600;
	if (*end != '\0' && (end[1] != '\0' || strchr("smh", *end) == NULL))
		n = -1;
	if (errno != 0 || end == s || n < 0 || n > 100000000)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "bad duration '%s' (seconds, or with s, m or h)", s);
	*out = (int64_t)n * mul;
	return 0;
}
