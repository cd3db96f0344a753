/*
 * report_read_finding.c: a finding record of a JSON Lines report read
 * back (report_read.h), with the objects it describes.
 *
 * An added or removed object is described whole ("entry"): every
 * attribute is read back to the cs_entry it was written from, each in
 * the one spelling report_json.c uses (mode in four octal digits,
 * digests in lowercase hex of their length, raw values in the canonical
 * encoding, inode flags as cs_iflags_text names them).  A changed object
 * has only its type, times, and the sizes of a size change.  Reasons,
 * techniques and messages go to the file's pool.
 */
#include "custos/custos.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/json.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/report_read.h"
#include "custos/xmalloc.h"

#include "report_read_int.h"

/* Members each record may have (NULL-terminated). */
static const char *const rr_finding_keys[] = {
	"type", "path", "kind", "object", "severity", "reasons", "techniques",
	"changes", "timestomped", "appended", "related", "copy_of", "message",
	"detail", "entry", "mtime", "ctime", NULL
};
static const char *const rr_change_keys[] = {
	"attr", "name", "old", "new", NULL
};
static const char *const rr_entry_keys[] = {
	"type", "mode", "uid", "user", "gid", "group", "size", "digests",
	"target", "rdev", "ino", "nlink", "caps", "acl", "dacl", "xattrs",
	"iflags", "mtime", "ctime", NULL
};

/* iflags as cs_iflags_text writes them, back to bits. */
static int
rr_iflags(const char *s, uint32_t *out)
{
	uint32_t	 f = 0, bit;
	const char	*p, *e;
	char		*t, *end;
	unsigned long	 x;
	int		 ok;

	for (p = s; strcmp(s, "none") != 0 && *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		if (e - p > 2 && strncmp(p, "0x", 2) == 0) {
			x = strtoul(p + 2, &end, 16);
			if (end != e || x > UINT32_MAX)
				return -1;
			f |= (uint32_t)x;
			continue;
		}
		for (bit = 1; bit != 0; bit <<= 1) {
			t = cs_iflags_text(bit);
			ok = strlen(t) == (size_t)(e - p) &&
			    memcmp(t, p, (size_t)(e - p)) == 0;
			free(t);
			if (ok)
				break;
		}
		if (bit == 0)
			return -1;
		f |= bit;
	}
	t = cs_iflags_text(f);
	ok = strcmp(t, s) == 0;
	free(t);
	*out = f;
	return ok ? 0 : -1;
}

/* The digests object of an entry. */
static int
rr_digests(struct cs_rr *rr, const struct cs_json *o, struct cs_entry *e)
{
	const struct cs_json	*d, *v;
	size_t			 i, len;
	int			 k;

	if ((d = cs_rr_get(rr, o, "digests", CS_J_OBJ, 0)) == NULL)
		return -1;
	for (i = 0; i < d->n; i++) {
		v = &d->v[i];
		k = cs_digest_lookup(v->key, strlen(v->key));
		if (k < 0 || v->type != CS_J_STR)
			return cs_rr_fail(rr, "bad digest '%s'", v->key);
		len = cs_digest_len((enum cs_digest)k);
		if (v->len != 2 * len || cs_unhex(v->s, v->len, e->digest[k],
		    len) != 0)
			return cs_rr_fail(rr, "bad digest '%s'", v->key);
		e->digests |= 1U << k;
	}
	return 0;
}

/* The xattrs object of an entry: encoded names and values. */
static int
rr_xattrs(struct cs_rr *rr, const struct cs_json *o, struct cs_entry *e)
{
	const struct cs_json	*x, *v;
	char			*name, *val;
	size_t			 i, len;

	if ((x = cs_rr_get(rr, o, "xattrs", CS_J_OBJ, 0)) == NULL)
		return -1;
	for (i = 0; i < x->n; i++) {
		v = &x->v[i];
		name = cs_decode_dup(v->key, strlen(v->key), &len);
		if (name == NULL || strlen(name) != len ||
		    v->type != CS_J_STR ||
		    (val = cs_decode_dup(v->s, v->len, &len)) == NULL) {
			free(name);
			return cs_rr_fail(rr, "bad extended attribute");
		}
		cs_entry_add_xattr(e, name, val, len);
		free(name);
		free(val);
	}
	cs_entry_sort_xattrs(e);
	return 0;
}

/* Device numbers "MAJOR,MINOR". */
static int
rr_rdev(struct cs_rr *rr, const struct cs_json *o, struct cs_entry *e)
{
	const char	*s = cs_json_str_of(cs_json_get(o, "rdev"));
	char		*end;
	unsigned long	 a, b;

	if (s == NULL || *s < '0' || *s > '9')
		return cs_rr_fail(rr, "bad member 'rdev'");
	a = strtoul(s, &end, 10);
	if (*end != ',' || end[1] < '0' || end[1] > '9' || a > UINT32_MAX)
		return cs_rr_fail(rr, "bad member 'rdev'");
	b = strtoul(end + 1, &end, 10);
	if (*end != '\0' || b > UINT32_MAX)
		return cs_rr_fail(rr, "bad member 'rdev'");
	e->rmajor = (uint32_t)a;
	e->rminor = (uint32_t)b;
	return 0;
}

/* Mode, owners, size and the numbers of an entry. */
static int
rr_entry_ids(struct cs_rr *rr, const struct cs_json *o, struct cs_entry *e)
{
	const char	*m = cs_json_str_of(cs_json_get(o, "mode"));
	uint64_t	 x;
	size_t		 i;

	if (m == NULL || strlen(m) != 4)
		return cs_rr_fail(rr, "bad member 'mode'");
	for (i = 0; i < 4; i++) {
		if (m[i] < '0' || m[i] > '7')
			return cs_rr_fail(rr, "bad member 'mode'");
		e->mode = e->mode * 8 + (uint32_t)(m[i] - '0');
	}
	if (cs_rr_u64(rr, o, "uid", UINT32_MAX, &x) != 0)
		return -1;
	e->uid = (uint32_t)x;
	if (cs_rr_u64(rr, o, "gid", UINT32_MAX, &x) != 0)
		return -1;
	e->gid = (uint32_t)x;
	if (cs_rr_string(rr, o, "user", 1, 1, &e->user) != 0 ||
	    cs_rr_string(rr, o, "group", 1, 1, &e->group) != 0)
		return -1;
	if ((e->type == CS_T_FILE) != (cs_json_get(o, "size") != NULL) ||
	    (e->type == CS_T_FILE &&
	    cs_rr_u64(rr, o, "size", UINT64_MAX, &e->size) != 0))
		return cs_rr_fail(rr, "bad member 'size'");
	if (cs_json_get(o, "ino") != NULL) {
		if (cs_rr_u64(rr, o, "ino", UINT64_MAX, &e->ino) != 0)
			return -1;
		e->have |= CS_F_INO;
	}
	if (cs_json_get(o, "nlink") != NULL) {
		if (cs_rr_u64(rr, o, "nlink", UINT64_MAX, &e->nlink) != 0)
			return -1;
		e->have |= CS_F_NLINK;
	}
	return 0;
}

/* The whole object of an added or removed finding. */
static int
cs_rr_entry(struct cs_rr *rr, const struct cs_json *o, struct cs_entry *e)
{
	const struct cs_json	*v;
	const char		*s;
	char			*t;
	size_t			 len;

	if (cs_rr_known(rr, o, rr_entry_keys) != 0 ||
	    (s = cs_json_str_of(cs_json_get(o, "type"))) == NULL ||
	    cs_type_lookup(s, strlen(s)) != e->type)
		return cs_rr_fail(rr, "bad member 'type' of the entry");
	if (rr_entry_ids(rr, o, e) != 0 || rr_digests(rr, o, e) != 0 ||
	    rr_xattrs(rr, o, e) != 0 ||
	    cs_rr_string(rr, o, "caps", 1, 1, &e->caps) != 0 ||
	    cs_rr_string(rr, o, "acl", 1, 1, &e->acl) != 0 ||
	    cs_rr_string(rr, o, "dacl", 1, 1, &e->dacl) != 0)
		return -1;
	if ((v = cs_json_get(o, "target")) != NULL) {
		if (e->type != CS_T_LINK || v->type != CS_J_STR ||
		    (t = cs_decode_dup(v->s, v->len, &len)) == NULL)
			return cs_rr_fail(rr, "bad member 'target'");
		cs_entry_set_target(e, t, len);
		free(t);
	}
	if ((e->type == CS_T_CHAR || e->type == CS_T_BLOCK) &&
	    rr_rdev(rr, o, e) != 0)
		return -1;
	if ((v = cs_json_get(o, "iflags")) != NULL) {
		if (v->type != CS_J_STR || rr_iflags(v->s, &e->iflags) != 0)
			return cs_rr_fail(rr, "bad member 'iflags'");
		e->have |= CS_F_IFLAGS;
	}
	e->have |= CS_F_META;
	return 0;
}

/* A finding's kind by name, or -1. */
static int
rr_kind(const char *s)
{
	int	 k;

	for (k = 0; s != NULL && k < CS_K_COUNT; k++) {
		if (strcmp(cs_kind_name((enum cs_kind)k), s) == 0)
			return k;
	}
	return -1;
}

/* The changes of a finding. */
static int
rr_changes(struct cs_rr *rr, const struct cs_json *o, struct cs_finding *f)
{
	const struct cs_json	*a, *c;
	struct cs_change	*ch;
	const char		*name;
	size_t			 i;
	int			 k;

	if ((a = cs_rr_get(rr, o, "changes", CS_J_ARR, 0)) == NULL)
		return -1;
	f->changes = cs_xcalloc(a->n + 1, sizeof *f->changes);
	for (i = 0; i < a->n; i++) {
		c = &a->v[i];
		if (c->type != CS_J_OBJ ||
		    cs_rr_known(rr, c, rr_change_keys) != 0)
			return cs_rr_fail(rr, "bad change");
		name = cs_json_str_of(cs_json_get(c, "attr"));
		for (k = 0; name != NULL && k < CS_A_COUNT; k++) {
			if (strcmp(cs_attr_name((enum cs_attr)k), name) == 0)
				break;
		}
		if (name == NULL || k == CS_A_COUNT)
			return cs_rr_fail(rr, "change of an unknown attribute");
		ch = &f->changes[f->nchanges++];
		ch->attr = (enum cs_attr)k;
		f->attrs |= CS_ABIT(k);
		if (cs_rr_string(rr, c, "name", 0, 1, &ch->name) != 0 ||
		    cs_rr_string(rr, c, "old", 0, 1, &ch->old) != 0 ||
		    cs_rr_string(rr, c, "new", 0, 1, &ch->new) != 0)
			return -1;
	}
	return 0;
}

/* Reasons and their techniques, kept in the pool. */
static int
rr_reasons(struct cs_rr *rr, const struct cs_json *o, struct cs_finding *f)
{
	const struct cs_json	*r, *t;
	size_t			 i;

	if ((r = cs_rr_get(rr, o, "reasons", CS_J_ARR, 0)) == NULL ||
	    (t = cs_rr_get(rr, o, "techniques", CS_J_ARR, 0)) == NULL)
		return -1;
	if (r->n > CS_MAX_REASONS || t->n != r->n)
		return cs_rr_fail(rr, "bad reasons");
	for (i = 0; i < r->n; i++) {
		if (r->v[i].type != CS_J_STR || (t->v[i].type != CS_J_STR &&
		    t->v[i].type != CS_J_NULL))
			return cs_rr_fail(rr, "bad reasons");
		f->reasons[i] = cs_rr_pool(rr->r, r->v[i].s);
		f->techniques[i] = t->v[i].type == CS_J_STR ?
		    cs_rr_pool(rr->r, t->v[i].s) : NULL;
	}
	f->nreasons = r->n;
	return 0;
}

/*
 * A changed size: both sides' sizes, so that a changed file can be found
 * again as the one compared (correlate.c reopens start-up files).
 */
static int
rr_sizes(struct cs_rr *rr, struct cs_finding *f)
{
	const struct cs_change	*ch = cs_finding_change(f, CS_A_SIZE);
	uint64_t		 v[2];
	const char		*s[2];
	char			*end;
	int			 k;

	if (ch == NULL || f->kind != CS_K_CHANGED || ch->old == NULL ||
	    ch->new == NULL)
		return 0;
	s[0] = ch->old;
	s[1] = ch->new;
	for (k = 0; k < 2; k++) {
		errno = 0;
		if (*s[k] < '0' || *s[k] > '9' ||
		    (v[k] = strtoull(s[k], &end, 10), errno != 0) ||
		    *end != '\0')
			return cs_rr_fail(rr, "bad size change");
	}
	f->old->size = v[0];
	f->new->size = v[1];
	return 0;
}

/* The entries of finding F: whole from "entry", else type and times. */
static int
rr_sides(struct cs_rr *rr, const struct cs_json *o, struct cs_finding *f,
    enum cs_type type)
{
	const struct cs_json	*w = cs_json_get(o, "entry");
	struct cs_entry		*e;

	e = cs_entry_new();
	if (f->kind == CS_K_REMOVED)
		f->old = e;
	else
		f->new = e;
	if (f->kind == CS_K_CHANGED || f->kind == CS_K_TYPE)
		f->old = cs_entry_new();
	e->type = type;
	cs_entry_set_path(e, f->path, f->pathlen);
	if (cs_rr_time(rr, o, "mtime", &e->mtime) != 0)
		return -1;
	if (cs_json_get(o, "ctime") != NULL) {
		if (cs_rr_time(rr, o, "ctime", &e->ctime) != 0)
			return -1;
		e->have |= CS_F_CTIME;
	}
	if ((f->kind == CS_K_ADDED || f->kind == CS_K_REMOVED) != (w != NULL))
		return cs_rr_fail(rr, "member 'entry' where it does not "
		    "belong, or missing");
	if (w != NULL && (w->type != CS_J_OBJ || cs_rr_entry(rr, w, e) != 0))
		return cs_rr_fail(rr, "bad member 'entry'");
	if (f->old != NULL && f->old != e) {
		f->old->type = type;
		cs_entry_set_path(f->old, f->path, f->pathlen);
	}
	return rr_sizes(rr, f);
}

/* A finding record. */
static int
rr_finding(struct cs_rr *rr, const struct cs_json *o, struct cs_finding *f)
{
	const char	*s;
	char		*msg = NULL;
	int		 b = 0, k;
	enum cs_type	 type;

	if (cs_rr_known(rr, o, rr_finding_keys) != 0 ||
	    cs_rr_string(rr, o, "path", 0, 0, &f->shown) != 0)
		return -1;
	f->path = cs_decode_dup(f->shown, strlen(f->shown), &f->pathlen);
	if (f->path == NULL)
		return cs_rr_fail(rr, "path not canonically encoded");
	if (!cs_path_valid(f->path, f->pathlen))
		return cs_rr_fail(rr, "bad path");
	if ((k = rr_kind(cs_json_str_of(cs_json_get(o, "kind")))) < 0)
		return cs_rr_fail(rr, "bad member 'kind'");
	f->kind = (enum cs_kind)k;
	s = cs_json_str_of(cs_json_get(o, "object"));
	if (s == NULL || (type = cs_type_lookup(s, strlen(s))) == CS_T_NONE)
		return cs_rr_fail(rr, "bad member 'object'");
	s = cs_json_str_of(cs_json_get(o, "severity"));
	if (s == NULL || (f->severity = cs_sev_lookup(s, strlen(s))) < 0)
		return cs_rr_fail(rr, "bad member 'severity'");
	if (rr_reasons(rr, o, f) != 0 || rr_changes(rr, o, f) != 0 ||
	    cs_rr_bool(rr, o, "timestomped", &b) != 0)
		return -1;
	f->flags |= b ? CS_FF_TIMESTOMP : 0;
	if (cs_rr_bool(rr, o, "appended", &b) != 0)
		return -1;
	f->flags |= b ? CS_FF_APPENDED : 0;
	if (cs_rr_string(rr, o, "related", 0, 1, &f->related) != 0 ||
	    cs_rr_string(rr, o, "copy_of", 0, 1, &f->copy_of) != 0 ||
	    cs_rr_string(rr, o, "detail", 0, 1, &f->detail) != 0 ||
	    cs_rr_string(rr, o, "message", 0, 1, &msg) != 0)
		return -1;
	if ((msg != NULL) != (f->kind == CS_K_NOTCMP)) {
		free(msg);
		return cs_rr_fail(rr, "member 'message' where it does not "
		    "belong, or missing");
	}
	if (msg != NULL)
		f->why_not = cs_rr_pool(rr->r, msg);
	free(msg);
	return rr_sides(rr, o, f, type);
}

/* Add a finding, in report order after the last one. */
int
cs_rr_add_finding(struct cs_rr *rr, const struct cs_json *o)
{
	struct cs_report_file	*r = rr->r;
	struct cs_finding	*f;

	f = cs_xcalloc(1, sizeof *f);
	f->base = -1;
	f->floor = -1;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	r->fs = cs_xreallocarray(r->fs, r->n + 1, sizeof *r->fs);
	r->lines = cs_xreallocarray(r->lines, r->n + 1, sizeof *r->lines);
	r->fs[r->n] = f;
	r->lines[r->n] = rr->line;
	f->seq = r->n++;
	if (rr_finding(rr, o, f) != 0)
		return -1;
	if (r->n > 1 && cs_report_order(r->fs[r->n - 2], f) >= 0)
		return cs_rr_fail(rr, "findings out of order (most severe "
		    "first, then by path)");
	return 0;
}
