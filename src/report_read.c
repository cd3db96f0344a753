/*
 * report_read.c: a JSON Lines report read back (report_read.h).
 *
 * Lines are read through a bounded buffer (no line longer than
 * CS_RR_MAXLINE is ever held), parsed strictly (json.h) and checked
 * against what report_json.c writes: the members each record may have,
 * their types, the canonical encoding of every path and raw value, the
 * record order, and the end record's counts.  A finding is rebuilt with
 * the entries the report describes: whole for an added or removed
 * object, type and times for the others (the report has no more).
 * Reasons, techniques and messages, which findings hold as borrowed
 * strings, live in the file's pool.
 */
#include "custos/custos.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/json.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/report_int.h"
#include "custos/report_read.h"
#include "custos/xmalloc.h"

/* Where the records are: what may come next. */
enum rr_stage {
	RR_SUMMARY = 0,
	RR_FINDINGS,
	RR_TIMELINE,
	RR_PLAN,
	RR_DONE
};

struct rr {
	struct cs_report_file	*r;
	char			*shown;		/* file name, encoded */
	size_t			 line;
	enum rr_stage		 stage;
	struct cs_err		*err;
	int			 fd;
	struct cs_buf		 in;		/* bytes read, not yet used */
	size_t			 pos;
	int			 eof;
};

/* Members each record may have (NULL-terminated). */
static const char *const rr_summary_keys[] = {
	"type", "format", "version", "command", "baseline", "source", "policy",
	"seconds", "objects", "baseline_objects", "bytes", "counts",
	"severity", "warnings", "exit", NULL
};
static const char *const rr_base_keys[] = {
	"file", "created", "host", "root", "digests", "signed", "verified",
	"signer", "fingerprint", NULL
};
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
static const char *const rr_timeline_keys[] = {
	"type", "burst", "time", "basis", "mtime", "path", "kind", "severity",
	"timestomped", NULL
};
static const char *const rr_plan_keys[] = {
	"type", "action", "path", "kind", "why", NULL
};
static const char *const rr_end_keys[] = {
	"type", "findings", "exit", NULL
};

static int rr_fail(struct rr *, const char *, ...) CS_PRINTF(2, 3);

/* Refuse the file at the current line; returns -1. */
static int
rr_fail(struct rr *rr, const char *fmt, ...)
{
	va_list	 ap;
	char	*m;

	va_start(ap, fmt);
	m = cs_xvasprintf(fmt, ap);
	va_end(ap);
	cs_err_set(rr->err, CS_EXIT_DATAERR, 0, "'%s' line %zu: %s",
	    rr->shown, rr->line, m);
	free(m);
	return -1;
}

/* A heap copy of S kept in the file's pool (borrowed by findings). */
static const char *
rr_pool(struct cs_report_file *r, const char *s)
{
	r->pool = cs_xreallocarray(r->pool, r->npool + 1, sizeof *r->pool);
	r->pool[r->npool] = cs_xstrdup(s);
	return r->pool[r->npool++];
}

/* Every member of O is one of KEYS. */
static int
rr_known(struct rr *rr, const struct cs_json *o, const char *const *keys)
{
	const char	*const *k;
	size_t		 i;

	for (i = 0; i < o->n; i++) {
		for (k = keys; *k != NULL; k++) {
			if (strcmp(*k, o->v[i].key) == 0)
				break;
		}
		if (*k == NULL)
			return rr_fail(rr, "unknown member '%s'", o->v[i].key);
	}
	return 0;
}

/* The member KEY of O, of type T: required unless OPT (then NULL). */
static const struct cs_json *
rr_get(struct rr *rr, const struct cs_json *o, const char *key,
    enum cs_json_type t, int opt)
{
	const struct cs_json	*v = cs_json_get(o, key);

	if (v == NULL && opt)
		return NULL;
	if (v == NULL || v->type != t) {
		rr_fail(rr, v == NULL ? "no member '%s'" :
		    "member '%s' of the wrong type", key);
		return NULL;
	}
	return v;
}

/*
 * The string member KEY of O into *OUT (heap): decoded when DECODE (an
 * encoded raw value, path.h), NULL when null or absent and NULLOK.
 */
static int
rr_string(struct rr *rr, const struct cs_json *o, const char *key, int decode,
    int nullok, char **out)
{
	const struct cs_json	*v = cs_json_get(o, key);

	*out = NULL;
	if (nullok && (v == NULL || v->type == CS_J_NULL))
		return 0;
	if (v == NULL || v->type != CS_J_STR)
		return rr_fail(rr, v == NULL ? "no member '%s'" :
		    "member '%s' is not a string", key);
	if (!decode) {
		*out = cs_xstrdup(v->s);
		return 0;
	}
	if ((*out = cs_decode_dup(v->s, v->len, NULL)) == NULL)
		return rr_fail(rr, "member '%s' is not canonically encoded",
		    key);
	return 0;
}

/* The unsigned member KEY of O, at most MAX. */
static int
rr_u64(struct rr *rr, const struct cs_json *o, const char *key, uint64_t max,
    uint64_t *out)
{
	if (cs_json_u64(cs_json_get(o, key), out) != 0 || *out > max)
		return rr_fail(rr, "member '%s' is not a number in range",
		    key);
	return 0;
}

/* The boolean member KEY of O. */
static int
rr_bool(struct rr *rr, const struct cs_json *o, const char *key, int *out)
{
	const struct cs_json	*v = cs_json_get(o, key);

	if (v == NULL || (v->type != CS_J_TRUE && v->type != CS_J_FALSE))
		return rr_fail(rr, "member '%s' is not true or false", key);
	*out = v->type == CS_J_TRUE;
	return 0;
}

/* The time member KEY of O, as report_json.c writes it (nanoseconds). */
static int
rr_time(struct rr *rr, const struct cs_json *o, const char *key,
    struct cs_time *t)
{
	const char	*s = cs_json_str_of(cs_json_get(o, key));
	char		*back;
	int64_t		 sec;
	uint32_t	 ns = 0;
	size_t		 i;
	int		 ok;

	if (s == NULL || strlen(s) != 30 || s[19] != '.' ||
	    cs_rfc3339_parse(s, &sec) != 0)
		return rr_fail(rr, "member '%s' is not a time", key);
	for (i = 20; i < 29; i++)
		ns = ns * 10 + (uint32_t)(s[i] - '0');
	t->sec = sec;
	t->nsec = ns;
	back = cs_report_time(t, 1);
	ok = strcmp(back, s) == 0;
	free(back);
	return ok ? 0 : rr_fail(rr, "member '%s' is not a time", key);
}

/* Next line into LINE (without its newline): 1, 0 at the end, or -1. */
static int
rr_line(struct rr *rr, struct cs_buf *line)
{
	char	*nl;
	ssize_t	 n;

	for (;;) {
		nl = memchr(rr->in.data + rr->pos, '\n', rr->in.len - rr->pos);
		if (nl != NULL || rr->eof)
			break;
		if (rr->in.len - rr->pos > CS_RR_MAXLINE) {
			rr->line++;
			return rr_fail(rr, "line longer than %d bytes",
			    CS_RR_MAXLINE);
		}
		if (rr->pos > 0) {
			memmove(rr->in.data, rr->in.data + rr->pos,
			    rr->in.len - rr->pos);
			rr->in.len -= rr->pos;
			rr->pos = 0;
		}
		cs_buf_grow(&rr->in, 65536);
		n = read(rr->fd, rr->in.data + rr->in.len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cs_err_set(rr->err, CS_EXIT_IOERR, errno,
			    "cannot read '%s'", rr->shown);
		if (n == 0)
			rr->eof = 1;
		rr->in.len += (size_t)n;
	}
	if (nl == NULL && rr->pos == rr->in.len)
		return 0;
	rr->line++;
	if (nl == NULL)
		return rr_fail(rr, "last line has no newline (truncated?)");
	cs_buf_reset(line);
	cs_buf_add(line, rr->in.data + rr->pos, (size_t)(nl - (rr->in.data +
	    rr->pos)));
	rr->pos = (size_t)(nl - rr->in.data) + 1;
	return 1;
}

/* The "baseline" object of the summary. */
static int
rr_baseline(struct rr *rr, const struct cs_json *o, struct cs_rr_summary *s)
{
	const struct cs_json	*b;

	if ((b = rr_get(rr, o, "baseline", CS_J_OBJ, 0)) == NULL ||
	    rr_known(rr, b, rr_base_keys) != 0 ||
	    rr_string(rr, b, "file", 1, 1, &s->baseline) != 0 ||
	    rr_string(rr, b, "created", 1, 1, &s->created) != 0 ||
	    rr_string(rr, b, "host", 1, 1, &s->host) != 0 ||
	    rr_string(rr, b, "root", 1, 1, &s->root) != 0 ||
	    rr_string(rr, b, "digests", 1, 1, &s->digests) != 0 ||
	    rr_bool(rr, b, "signed", &s->is_signed) != 0 ||
	    rr_bool(rr, b, "verified", &s->verified) != 0 ||
	    rr_string(rr, b, "signer", 0, 1, &s->signer) != 0 ||
	    rr_string(rr, b, "fingerprint", 0, 1, &s->fingerprint) != 0)
		return -1;
	return 0;
}

/* The counts by kind and by severity of the summary. */
static int
rr_counts(struct rr *rr, const struct cs_json *o, struct cs_rr_summary *s)
{
	const struct cs_json	*c, *v;
	struct cs_diff_stats	*st = &s->stats;
	size_t			 k;

	if ((c = rr_get(rr, o, "counts", CS_J_OBJ, 0)) == NULL ||
	    c->n != CS_K_COUNT + 4)
		return rr_fail(rr, "bad member 'counts'");
	for (k = 0; k < CS_K_COUNT; k++) {
		if (rr_u64(rr, c, cs_kind_name((enum cs_kind)k), UINT64_MAX,
		    &st->count[k]) != 0)
			return -1;
	}
	if (rr_u64(rr, c, "appended", UINT64_MAX, &st->appended) != 0 ||
	    rr_u64(rr, c, "ignored", UINT64_MAX, &st->ignored) != 0 ||
	    rr_u64(rr, c, "unsilenced", UINT64_MAX, &st->unsilenced) != 0 ||
	    rr_u64(rr, c, "below_not_entered", UINT64_MAX, &st->below) != 0)
		return -1;
	if ((v = rr_get(rr, o, "severity", CS_J_OBJ, 0)) == NULL ||
	    v->n != CS_SEV_COUNT)
		return rr_fail(rr, "bad member 'severity'");
	for (k = 0; k < CS_SEV_COUNT; k++) {
		if (rr_u64(rr, v, cs_sev_name((int)k), UINT64_MAX,
		    &s->sev[k]) != 0)
			return -1;
	}
	return 0;
}

/* The summary record: the first line. */
static int
rr_summary(struct rr *rr, const struct cs_json *o)
{
	struct cs_rr_summary	*s = &rr->r->sum;
	const struct cs_json	*v, *w;
	uint64_t		 x;
	size_t			 i;
	char			*end;

	if (rr_known(rr, o, rr_summary_keys) != 0)
		return -1;
	if ((v = cs_json_get(o, "format")) == NULL || v->type != CS_J_STR ||
	    strcmp(v->s, "custos-report") != 0 ||
	    rr_u64(rr, o, "version", UINT64_MAX, &x) != 0 || x != 1)
		return rr_fail(rr, "not a custos-report of version 1");
	if (rr_string(rr, o, "command", 0, 0, &s->command) != 0 ||
	    rr_baseline(rr, o, s) != 0 ||
	    rr_string(rr, o, "source", 0, 0, &s->source) != 0 ||
	    rr_string(rr, o, "policy", 1, 1, &s->policy) != 0 ||
	    (v = rr_get(rr, o, "seconds", CS_J_NUM, 0)) == NULL)
		return -1;
	errno = 0;
	s->seconds = strtod(v->s, &end);
	if (errno != 0 || *end != '\0' || !(s->seconds >= 0))
		return rr_fail(rr, "bad member 'seconds'");
	if (rr_u64(rr, o, "objects", UINT64_MAX, &s->stats.new_records) != 0 ||
	    rr_u64(rr, o, "baseline_objects", UINT64_MAX,
	    &s->stats.old_records) != 0 ||
	    rr_u64(rr, o, "bytes", UINT64_MAX, &s->stats.bytes) != 0 ||
	    rr_counts(rr, o, s) != 0 ||
	    rr_u64(rr, o, "exit", 31, &x) != 0 ||
	    (v = rr_get(rr, o, "warnings", CS_J_ARR, 0)) == NULL)
		return -1;
	s->exit = (int)x;
	s->warnings = cs_xcalloc(v->n + 1, sizeof *s->warnings);
	for (i = 0; i < v->n; i++) {
		w = &v->v[i];
		if (w->type != CS_J_STR)
			return rr_fail(rr, "a warning is not a string");
		s->warnings[s->nwarnings++] = cs_xstrdup(w->s);
	}
	return 0;
}

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
rr_digests(struct rr *rr, const struct cs_json *o, struct cs_entry *e)
{
	const struct cs_json	*d, *v;
	size_t			 i, len;
	int			 k;

	if ((d = rr_get(rr, o, "digests", CS_J_OBJ, 0)) == NULL)
		return -1;
	for (i = 0; i < d->n; i++) {
		v = &d->v[i];
		k = cs_digest_lookup(v->key, strlen(v->key));
		if (k < 0 || v->type != CS_J_STR)
			return rr_fail(rr, "bad digest '%s'", v->key);
		len = cs_digest_len((enum cs_digest)k);
		if (v->len != 2 * len || cs_unhex(v->s, v->len, e->digest[k],
		    len) != 0)
			return rr_fail(rr, "bad digest '%s'", v->key);
		e->digests |= 1U << k;
	}
	return 0;
}

/* The xattrs object of an entry: encoded names and values. */
static int
rr_xattrs(struct rr *rr, const struct cs_json *o, struct cs_entry *e)
{
	const struct cs_json	*x, *v;
	char			*name, *val;
	size_t			 i, len;

	if ((x = rr_get(rr, o, "xattrs", CS_J_OBJ, 0)) == NULL)
		return -1;
	for (i = 0; i < x->n; i++) {
		v = &x->v[i];
		name = cs_decode_dup(v->key, strlen(v->key), &len);
		if (name == NULL || strlen(name) != len || v->type != CS_J_STR ||
		    (val = cs_decode_dup(v->s, v->len, &len)) == NULL) {
			free(name);
			return rr_fail(rr, "bad extended attribute");
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
rr_rdev(struct rr *rr, const struct cs_json *o, struct cs_entry *e)
{
	const char	*s = cs_json_str_of(cs_json_get(o, "rdev"));
	char		*end;
	unsigned long	 a, b;

	if (s == NULL || *s < '0' || *s > '9')
		return rr_fail(rr, "bad member 'rdev'");
	a = strtoul(s, &end, 10);
	if (*end != ',' || end[1] < '0' || end[1] > '9' || a > UINT32_MAX)
		return rr_fail(rr, "bad member 'rdev'");
	b = strtoul(end + 1, &end, 10);
	if (*end != '\0' || b > UINT32_MAX)
		return rr_fail(rr, "bad member 'rdev'");
	e->rmajor = (uint32_t)a;
	e->rminor = (uint32_t)b;
	return 0;
}

/* Mode, owners, size and the numbers of an entry. */
static int
rr_entry_ids(struct rr *rr, const struct cs_json *o, struct cs_entry *e)
{
	const char	*m = cs_json_str_of(cs_json_get(o, "mode"));
	uint64_t	 x;
	size_t		 i;

	if (m == NULL || strlen(m) != 4)
		return rr_fail(rr, "bad member 'mode'");
	for (i = 0; i < 4; i++) {
		if (m[i] < '0' || m[i] > '7')
			return rr_fail(rr, "bad member 'mode'");
		e->mode = e->mode * 8 + (uint32_t)(m[i] - '0');
	}
	if (rr_u64(rr, o, "uid", UINT32_MAX, &x) != 0)
		return -1;
	e->uid = (uint32_t)x;
	if (rr_u64(rr, o, "gid", UINT32_MAX, &x) != 0)
		return -1;
	e->gid = (uint32_t)x;
	if (rr_string(rr, o, "user", 1, 1, &e->user) != 0 ||
	    rr_string(rr, o, "group", 1, 1, &e->group) != 0)
		return -1;
	if ((e->type == CS_T_FILE) != (cs_json_get(o, "size") != NULL) ||
	    (e->type == CS_T_FILE &&
	    rr_u64(rr, o, "size", UINT64_MAX, &e->size) != 0))
		return rr_fail(rr, "bad member 'size'");
	if (cs_json_get(o, "ino") != NULL) {
		if (rr_u64(rr, o, "ino", UINT64_MAX, &e->ino) != 0)
			return -1;
		e->have |= CS_F_INO;
	}
	if (cs_json_get(o, "nlink") != NULL) {
		if (rr_u64(rr, o, "nlink", UINT64_MAX, &e->nlink) != 0)
			return -1;
		e->have |= CS_F_NLINK;
	}
	return 0;
}

/* The whole object of an added or removed finding. */
static int
rr_entry(struct rr *rr, const struct cs_json *o, struct cs_entry *e)
{
	const struct cs_json	*v;
	const char		*s;
	char			*t;
	size_t			 len;

	if (rr_known(rr, o, rr_entry_keys) != 0 ||
	    (s = cs_json_str_of(cs_json_get(o, "type"))) == NULL ||
	    cs_type_lookup(s, strlen(s)) != e->type)
		return rr_fail(rr, "bad member 'type' of the entry");
	if (rr_entry_ids(rr, o, e) != 0 || rr_digests(rr, o, e) != 0 ||
	    rr_xattrs(rr, o, e) != 0 ||
	    rr_string(rr, o, "caps", 1, 1, &e->caps) != 0 ||
	    rr_string(rr, o, "acl", 1, 1, &e->acl) != 0 ||
	    rr_string(rr, o, "dacl", 1, 1, &e->dacl) != 0)
		return -1;
	if ((v = cs_json_get(o, "target")) != NULL) {
		if (e->type != CS_T_LINK || v->type != CS_J_STR ||
		    (t = cs_decode_dup(v->s, v->len, &len)) == NULL)
			return rr_fail(rr, "bad member 'target'");
		cs_entry_set_target(e, t, len);
		free(t);
	}
	if ((e->type == CS_T_CHAR || e->type == CS_T_BLOCK) &&
	    rr_rdev(rr, o, e) != 0)
		return -1;
	if ((v = cs_json_get(o, "iflags")) != NULL) {
		if (v->type != CS_J_STR || rr_iflags(v->s, &e->iflags) != 0)
			return rr_fail(rr, "bad member 'iflags'");
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
rr_changes(struct rr *rr, const struct cs_json *o, struct cs_finding *f)
{
	const struct cs_json	*a, *c;
	struct cs_change	*ch;
	const char		*name;
	size_t			 i;
	int			 k;

	if ((a = rr_get(rr, o, "changes", CS_J_ARR, 0)) == NULL)
		return -1;
	f->changes = cs_xcalloc(a->n + 1, sizeof *f->changes);
	for (i = 0; i < a->n; i++) {
		c = &a->v[i];
		if (c->type != CS_J_OBJ || rr_known(rr, c, rr_change_keys) != 0)
			return rr_fail(rr, "bad change");
		name = cs_json_str_of(cs_json_get(c, "attr"));
		for (k = 0; name != NULL && k < CS_A_COUNT; k++) {
			if (strcmp(cs_attr_name((enum cs_attr)k), name) == 0)
				break;
		}
		if (name == NULL || k == CS_A_COUNT)
			return rr_fail(rr, "change of an unknown attribute");
		ch = &f->changes[f->nchanges++];
		ch->attr = (enum cs_attr)k;
		f->attrs |= CS_ABIT(k);
		if (rr_string(rr, c, "name", 0, 1, &ch->name) != 0 ||
		    rr_string(rr, c, "old", 0, 1, &ch->old) != 0 ||
		    rr_string(rr, c, "new", 0, 1, &ch->new) != 0)
			return -1;
	}
	return 0;
}

/* Reasons and their techniques, kept in the pool. */
static int
rr_reasons(struct rr *rr, const struct cs_json *o, struct cs_finding *f)
{
	const struct cs_json	*r, *t;
	size_t			 i;

	if ((r = rr_get(rr, o, "reasons", CS_J_ARR, 0)) == NULL ||
	    (t = rr_get(rr, o, "techniques", CS_J_ARR, 0)) == NULL)
		return -1;
	if (r->n > CS_MAX_REASONS || t->n != r->n)
		return rr_fail(rr, "bad reasons");
	for (i = 0; i < r->n; i++) {
		if (r->v[i].type != CS_J_STR || (t->v[i].type != CS_J_STR &&
		    t->v[i].type != CS_J_NULL))
			return rr_fail(rr, "bad reasons");
		f->reasons[i] = rr_pool(rr->r, r->v[i].s);
		f->techniques[i] = t->v[i].type == CS_J_STR ?
		    rr_pool(rr->r, t->v[i].s) : NULL;
	}
	f->nreasons = r->n;
	return 0;
}

/*
 * A changed size: both sides' sizes, so that a changed file can be found
 * again as the one compared (correlate.c reopens start-up files).
 */
static int
rr_sizes(struct rr *rr, struct cs_finding *f)
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
			return rr_fail(rr, "bad size change");
	}
	f->old->size = v[0];
	f->new->size = v[1];
	return 0;
}

/* The entries of finding F: whole from "entry", else type and times. */
static int
rr_sides(struct rr *rr, const struct cs_json *o, struct cs_finding *f,
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
	if (rr_time(rr, o, "mtime", &e->mtime) != 0)
		return -1;
	if (cs_json_get(o, "ctime") != NULL) {
		if (rr_time(rr, o, "ctime", &e->ctime) != 0)
			return -1;
		e->have |= CS_F_CTIME;
	}
	if ((f->kind == CS_K_ADDED || f->kind == CS_K_REMOVED) != (w != NULL))
		return rr_fail(rr, "member 'entry' where it does not belong, "
		    "or missing");
	if (w != NULL && (w->type != CS_J_OBJ || rr_entry(rr, w, e) != 0))
		return rr_fail(rr, "bad member 'entry'");
	if (f->old != NULL && f->old != e) {
		f->old->type = type;
		cs_entry_set_path(f->old, f->path, f->pathlen);
	}
	return rr_sizes(rr, f);
}

/* A finding record. */
static int
rr_finding(struct rr *rr, const struct cs_json *o, struct cs_finding *f)
{
	const char	*s;
	char		*msg = NULL;
	int		 b = 0, k;
	enum cs_type	 type;

	if (rr_known(rr, o, rr_finding_keys) != 0 ||
	    rr_string(rr, o, "path", 0, 0, &f->shown) != 0)
		return -1;
	f->path = cs_decode_dup(f->shown, strlen(f->shown), &f->pathlen);
	if (f->path == NULL)
		return rr_fail(rr, "path not canonically encoded");
	if (!cs_path_valid(f->path, f->pathlen))
		return rr_fail(rr, "bad path");
	if ((k = rr_kind(cs_json_str_of(cs_json_get(o, "kind")))) < 0)
		return rr_fail(rr, "bad member 'kind'");
	f->kind = (enum cs_kind)k;
	s = cs_json_str_of(cs_json_get(o, "object"));
	if (s == NULL || (type = cs_type_lookup(s, strlen(s))) == CS_T_NONE)
		return rr_fail(rr, "bad member 'object'");
	s = cs_json_str_of(cs_json_get(o, "severity"));
	if (s == NULL || (f->severity = cs_sev_lookup(s, strlen(s))) < 0)
		return rr_fail(rr, "bad member 'severity'");
	if (rr_reasons(rr, o, f) != 0 || rr_changes(rr, o, f) != 0 ||
	    rr_bool(rr, o, "timestomped", &b) != 0)
		return -1;
	f->flags |= b ? CS_FF_TIMESTOMP : 0;
	if (rr_bool(rr, o, "appended", &b) != 0)
		return -1;
	f->flags |= b ? CS_FF_APPENDED : 0;
	if (rr_string(rr, o, "related", 0, 1, &f->related) != 0 ||
	    rr_string(rr, o, "copy_of", 0, 1, &f->copy_of) != 0 ||
	    rr_string(rr, o, "detail", 0, 1, &f->detail) != 0 ||
	    rr_string(rr, o, "message", 0, 1, &msg) != 0)
		return -1;
	if ((msg != NULL) != (f->kind == CS_K_NOTCMP)) {
		free(msg);
		return rr_fail(rr, "member 'message' where it does not belong, "
		    "or missing");
	}
	if (msg != NULL)
		f->why_not = rr_pool(rr->r, msg);
	free(msg);
	return rr_sides(rr, o, f, type);
}

/* Add a finding, in report order after the last one. */
static int
rr_add_finding(struct rr *rr, const struct cs_json *o)
{
	struct cs_report_file	*r = rr->r;
	struct cs_finding	*f;

	f = cs_xcalloc(1, sizeof *f);
	f->base = -1;
	f->floor = -1;
	r->fs = cs_xreallocarray(r->fs, r->n + 1, sizeof *r->fs);
	r->lines = cs_xreallocarray(r->lines, r->n + 1, sizeof *r->lines);
	r->fs[r->n] = f;
	r->lines[r->n] = rr->line;
	f->seq = r->n++;
	if (rr_finding(rr, o, f) != 0)
		return -1;
	if (r->n > 1 && cs_report_order(r->fs[r->n - 2], f) >= 0)
		return rr_fail(rr, "findings out of order (most severe first, "
		    "then by path)");
	return 0;
}

/* The end record: its counts must be those read. */
static int
rr_end(struct rr *rr, const struct cs_json *o)
{
	uint64_t	 n, x;

	if (rr_known(rr, o, rr_end_keys) != 0 ||
	    rr_u64(rr, o, "findings", UINT64_MAX, &n) != 0 ||
	    rr_u64(rr, o, "exit", 31, &x) != 0)
		return -1;
	if (n != rr->r->n || (int)x != rr->r->sum.exit)
		return rr_fail(rr, "end record does not match the report "
		    "(%zu findings read)", rr->r->n);
	return 0;
}

/* One record, in its place in the order of records. */
static int
rr_record(struct rr *rr, const struct cs_json *o)
{
	const char	*t = cs_json_str_of(cs_json_get(o, "type"));
	enum rr_stage	 want;

	if (o->type != CS_J_OBJ || t == NULL)
		return rr_fail(rr, "not a report record");
	if (strcmp(t, "summary") == 0)
		want = RR_SUMMARY;
	else if (strcmp(t, "finding") == 0)
		want = RR_FINDINGS;
	else if (strcmp(t, "timeline") == 0)
		want = RR_TIMELINE;
	else if (strcmp(t, "plan") == 0)
		want = RR_PLAN;
	else if (strcmp(t, "end") == 0)
		want = RR_DONE;
	else
		return rr_fail(rr, "unknown record type");
	if (rr->stage == RR_DONE || want < rr->stage ||
	    (rr->stage == RR_SUMMARY) != (want == RR_SUMMARY) ||
	    (want == RR_SUMMARY && rr->line != 1))
		return rr_fail(rr, "record '%s' out of place", t);
	rr->stage = want == RR_SUMMARY ? RR_FINDINGS : want;
	switch (want) {
	case RR_SUMMARY:
		return rr_summary(rr, o);
	case RR_FINDINGS:
		return rr_add_finding(rr, o);
	case RR_TIMELINE:
		return rr_known(rr, o, rr_timeline_keys);
	case RR_PLAN:
		return rr_known(rr, o, rr_plan_keys);
	default:
		return rr_end(rr, o);
	}
}

int
cs_report_read(struct cs_report_file *r, const char *file, struct cs_err *err)
{
	struct rr	 rr;
	struct cs_buf	 line;
	struct cs_json	*o;
	char		*why;
	int		 rc = -1, got;

	memset(r, 0, sizeof *r);
	memset(&rr, 0, sizeof rr);
	r->name = cs_xstrdup(file);
	rr.r = r;
	rr.err = err;
	rr.shown = cs_encode_dup(file);
	cs_buf_init(&rr.in);
	cs_buf_init(&line);
	rr.fd = strcmp(file, "-") == 0 ? STDIN_FILENO :
	    open(file, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (rr.fd < 0) {
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open '%s'",
		    rr.shown);
		goto out;
	}
	while ((got = rr_line(&rr, &line)) == 1) {
		if ((o = cs_json_parse(line.data, line.len, &why)) == NULL) {
			rr_fail(&rr, "%s", why);
			free(why);
			goto out;
		}
		got = rr_record(&rr, o);
		cs_json_free(o);
		if (got != 0)
			goto out;
	}
	if (got == 0 && rr.stage != RR_DONE) {
		rr_fail(&rr, "no end record (truncated?)");
		goto out;
	}
	rc = got;
out:
	if (rr.fd > STDIN_FILENO)
		close(rr.fd);
	cs_buf_release(&line);
	cs_buf_release(&rr.in);
	free(rr.shown);
	return rc;
}

void
cs_report_file_release(struct cs_report_file *r)
{
	struct cs_rr_summary	*s = &r->sum;
	size_t			 i;

	for (i = 0; i < r->n; i++)
		cs_finding_free(r->fs[i]);
	free(r->fs);
	free(r->lines);
	for (i = 0; i < r->npool; i++)
		free(r->pool[i]);
	free(r->pool);
	for (i = 0; i < s->nwarnings; i++)
		free(s->warnings[i]);
	free(s->warnings);
	free(s->command);
	free(s->baseline);
	free(s->created);
	free(s->host);
	free(s->root);
	free(s->digests);
	free(s->signer);
	free(s->fingerprint);
	free(s->source);
	free(s->policy);
	free(r->name);
	memset(r, 0, sizeof *r);
}

int
cs_report_order(const struct cs_finding *a, const struct cs_finding *b)
{
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	return cs_path_cmp(a->path, a->pathlen, b->path, b->pathlen);
}
