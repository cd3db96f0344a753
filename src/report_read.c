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

#include "report_read_int.h"

/* Members each record may have (NULL-terminated). */
static const char *const rr_summary_keys[] = {
	"type", "format", "version", "command", "baseline", "source", "policy",
	"shard", "plan_sha256", "shard_from", "shard_to", "seconds",
	"objects", "baseline_objects", "bytes", "counts", "severity",
	"warnings", "exit", NULL
};
static const char *const rr_base_keys[] = {
	"file", "created", "host", "root", "digests", "signed", "verified",
	"signer", "fingerprint", NULL
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

/* Refuse the file at the current line; returns -1. */
int
cs_rr_fail(struct cs_rr *rr, const char *fmt, ...)
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
const char *
cs_rr_pool(struct cs_report_file *r, const char *s)
{
	r->pool = cs_xreallocarray(r->pool, r->npool + 1, sizeof *r->pool);
	r->pool[r->npool] = cs_xstrdup(s);
	return r->pool[r->npool++];
}

/* Every member of O is one of KEYS. */
int
cs_rr_known(struct cs_rr *rr, const struct cs_json *o, const char *const *keys)
{
	const char	*const *k;
	size_t		 i;

	for (i = 0; i < o->n; i++) {
		for (k = keys; *k != NULL; k++) {
			if (strcmp(*k, o->v[i].key) == 0)
				break;
		}
		if (*k == NULL)
			return cs_rr_fail(rr, "unknown member '%s'",
			    o->v[i].key);
	}
	return 0;
}

/* The member KEY of O, of type T: required unless OPT (then NULL). */
const struct cs_json *
cs_rr_get(struct cs_rr *rr, const struct cs_json *o, const char *key,
    enum cs_json_type t, int opt)
{
	const struct cs_json	*v = cs_json_get(o, key);

	if (v == NULL && opt)
		return NULL;
	if (v == NULL || v->type != t) {
		cs_rr_fail(rr, v == NULL ? "no member '%s'" :
		    "member '%s' of the wrong type", key);
		return NULL;
	}
	return v;
}

/*
 * The string member KEY of O into *OUT (heap): decoded when DECODE (an
 * encoded raw value, path.h), NULL when null or absent and NULLOK.
 */
int
cs_rr_string(struct cs_rr *rr, const struct cs_json *o, const char *key,
    int decode, int nullok, char **out)
{
	const struct cs_json	*v = cs_json_get(o, key);

	*out = NULL;
	if (nullok && (v == NULL || v->type == CS_J_NULL))
		return 0;
	if (v == NULL || v->type != CS_J_STR)
		return cs_rr_fail(rr, v == NULL ? "no member '%s'" :
		    "member '%s' is not a string", key);
	if (!decode) {
		*out = cs_xstrdup(v->s);
		return 0;
	}
	if ((*out = cs_decode_dup(v->s, v->len, NULL)) == NULL)
		return cs_rr_fail(rr, "member '%s' is not canonically encoded",
		    key);
	return 0;
}

/* The unsigned member KEY of O, at most MAX. */
int
cs_rr_u64(struct cs_rr *rr, const struct cs_json *o, const char *key,
    uint64_t max, uint64_t *out)
{
	if (cs_json_u64(cs_json_get(o, key), out) != 0 || *out > max)
		return cs_rr_fail(rr, "member '%s' is not a number in range",
		    key);
	return 0;
}

/* The boolean member KEY of O. */
int
cs_rr_bool(struct cs_rr *rr, const struct cs_json *o, const char *key, int *out)
{
	const struct cs_json	*v = cs_json_get(o, key);

	if (v == NULL || (v->type != CS_J_TRUE && v->type != CS_J_FALSE))
		return cs_rr_fail(rr, "member '%s' is not true or false", key);
	*out = v->type == CS_J_TRUE;
	return 0;
}

/* The time member KEY of O, as report_json.c writes it (nanoseconds). */
int
cs_rr_time(struct cs_rr *rr, const struct cs_json *o, const char *key,
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
		return cs_rr_fail(rr, "member '%s' is not a time", key);
	for (i = 20; i < 29; i++)
		ns = ns * 10 + (uint32_t)(s[i] - '0');
	t->sec = sec;
	t->nsec = ns;
	back = cs_report_time(t, 1);
	ok = strcmp(back, s) == 0;
	free(back);
	return ok ? 0 : cs_rr_fail(rr, "member '%s' is not a time", key);
}

/* Next line into LINE (without its newline): 1, 0 at the end, or -1. */
static int
rr_line(struct cs_rr *rr, struct cs_buf *line)
{
	char	*nl;
	ssize_t	 n;

	for (;;) {
		nl = rr->in.len > rr->pos ? memchr(rr->in.data + rr->pos, '\n',
		    rr->in.len - rr->pos) : NULL;
		if (nl != NULL || rr->eof)
			break;
		if (rr->in.len - rr->pos > CS_RR_MAXLINE) {
			rr->line++;
			return cs_rr_fail(rr, "line longer than %d bytes",
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
		return cs_rr_fail(rr, "last line has no newline (truncated?)");
	cs_buf_reset(line);
	cs_buf_add(line, rr->in.data + rr->pos, (size_t)(nl - (rr->in.data +
	    rr->pos)));
	rr->pos = (size_t)(nl - rr->in.data) + 1;
	return 1;
}

/* The "baseline" object of the summary. */
static int
rr_baseline(struct cs_rr *rr, const struct cs_json *o, struct cs_rr_summary *s)
{
	const struct cs_json	*b;

	if ((b = cs_rr_get(rr, o, "baseline", CS_J_OBJ, 0)) == NULL ||
	    cs_rr_known(rr, b, rr_base_keys) != 0 ||
	    cs_rr_string(rr, b, "file", 1, 1, &s->baseline) != 0 ||
	    cs_rr_string(rr, b, "created", 1, 1, &s->created) != 0 ||
	    cs_rr_string(rr, b, "host", 1, 1, &s->host) != 0 ||
	    cs_rr_string(rr, b, "root", 1, 1, &s->root) != 0 ||
	    cs_rr_string(rr, b, "digests", 1, 1, &s->digests) != 0 ||
	    cs_rr_bool(rr, b, "signed", &s->is_signed) != 0 ||
	    cs_rr_bool(rr, b, "verified", &s->verified) != 0 ||
	    cs_rr_string(rr, b, "signer", 0, 1, &s->signer) != 0 ||
	    cs_rr_string(rr, b, "fingerprint", 0, 1, &s->fingerprint) != 0)
		return -1;
	return 0;
}

/* The counts by kind and by severity of the summary. */
static int
rr_counts(struct cs_rr *rr, const struct cs_json *o, struct cs_rr_summary *s)
{
	const struct cs_json	*c, *v;
	struct cs_diff_stats	*st = &s->stats;
	size_t			 k;

	if ((c = cs_rr_get(rr, o, "counts", CS_J_OBJ, 0)) == NULL ||
	    c->n != CS_K_COUNT + 4)
		return cs_rr_fail(rr, "bad member 'counts'");
	for (k = 0; k < CS_K_COUNT; k++) {
		if (cs_rr_u64(rr, c, cs_kind_name((enum cs_kind)k), UINT64_MAX,
		    &st->count[k]) != 0)
			return -1;
	}
	if (cs_rr_u64(rr, c, "appended", UINT64_MAX, &st->appended) != 0 ||
	    cs_rr_u64(rr, c, "ignored", UINT64_MAX, &st->ignored) != 0 ||
	    cs_rr_u64(rr, c, "unsilenced", UINT64_MAX, &st->unsilenced) != 0 ||
	    cs_rr_u64(rr, c, "below_not_entered", UINT64_MAX, &st->below) != 0)
		return -1;
	if ((v = cs_rr_get(rr, o, "severity", CS_J_OBJ, 0)) == NULL ||
	    v->n != CS_SEV_COUNT)
		return cs_rr_fail(rr, "bad member 'severity'");
	for (k = 0; k < CS_SEV_COUNT; k++) {
		if (cs_rr_u64(rr, v, cs_sev_name((int)k), UINT64_MAX,
		    &s->sev[k]) != 0)
			return -1;
	}
	return 0;
}

/* The summary record: the first line. */
static int
rr_summary(struct cs_rr *rr, const struct cs_json *o)
{
	struct cs_rr_summary	*s = &rr->r->sum;
	const struct cs_json	*v, *w;
	uint64_t		 x;
	size_t			 i;
	char			*end;

	if (cs_rr_known(rr, o, rr_summary_keys) != 0)
		return -1;
	if ((v = cs_json_get(o, "format")) == NULL || v->type != CS_J_STR ||
	    strcmp(v->s, "custos-report") != 0 ||
	    cs_rr_u64(rr, o, "version", UINT64_MAX, &x) != 0 || x != 1)
		return cs_rr_fail(rr, "not a custos-report of version 1");
	if (cs_rr_string(rr, o, "command", 0, 0, &s->command) != 0 ||
	    rr_baseline(rr, o, s) != 0 ||
	    cs_rr_string(rr, o, "source", 0, 0, &s->source) != 0 ||
	    cs_rr_string(rr, o, "policy", 1, 1, &s->policy) != 0 ||
	    cs_rr_string(rr, o, "shard", 1, 1, &s->shard) != 0 ||
	    cs_rr_string(rr, o, "plan_sha256", 1, 1, &s->plan_sha256) != 0 ||
	    cs_rr_string(rr, o, "shard_from", 1, 1, &s->shard_from) != 0 ||
	    cs_rr_string(rr, o, "shard_to", 1, 1, &s->shard_to) != 0 ||
	    (v = cs_rr_get(rr, o, "seconds", CS_J_NUM, 0)) == NULL)
		return -1;
	errno = 0;
	s->seconds = strtod(v->s, &end);
	if (errno != 0 || *end != '\0' || !(s->seconds >= 0))
		return cs_rr_fail(rr, "bad member 'seconds'");
	if (cs_rr_u64(rr, o, "objects", UINT64_MAX,
	    &s->stats.new_records) != 0 ||
	    cs_rr_u64(rr, o, "baseline_objects", UINT64_MAX,
	    &s->stats.old_records) != 0 ||
	    cs_rr_u64(rr, o, "bytes", UINT64_MAX, &s->stats.bytes) != 0 ||
	    rr_counts(rr, o, s) != 0 ||
	    cs_rr_u64(rr, o, "exit", 31, &x) != 0 ||
	    (v = cs_rr_get(rr, o, "warnings", CS_J_ARR, 0)) == NULL)
		return -1;
	s->exit = (int)x;
	s->warnings = cs_xcalloc(v->n + 1, sizeof *s->warnings);
	for (i = 0; i < v->n; i++) {
		w = &v->v[i];
		if (w->type != CS_J_STR)
			return cs_rr_fail(rr, "a warning is not a string");
		s->warnings[s->nwarnings++] = cs_xstrdup(w->s);
	}
	return 0;
}

/* The end record: its counts must be those read. */
static int
rr_end(struct cs_rr *rr, const struct cs_json *o)
{
	uint64_t	 n, x;

	if (cs_rr_known(rr, o, rr_end_keys) != 0 ||
	    cs_rr_u64(rr, o, "findings", UINT64_MAX, &n) != 0 ||
	    cs_rr_u64(rr, o, "exit", 31, &x) != 0)
		return -1;
	if (n != rr->r->n || (int)x != rr->r->sum.exit)
		return cs_rr_fail(rr, "end record does not match the report "
		    "(%zu findings read)", rr->r->n);
	return 0;
}

/* One record, in its place in the order of records. */
static int
rr_record(struct cs_rr *rr, const struct cs_json *o)
{
	const char	*t = cs_json_str_of(cs_json_get(o, "type"));
	enum cs_rr_stage	 want;

	if (o->type != CS_J_OBJ || t == NULL)
		return cs_rr_fail(rr, "not a report record");
	if (strcmp(t, "summary") == 0)
		want = CS_RR_SUMMARY;
	else if (strcmp(t, "finding") == 0)
		want = CS_RR_FINDINGS;
	else if (strcmp(t, "timeline") == 0)
		want = CS_RR_TIMELINE;
	else if (strcmp(t, "plan") == 0)
		want = CS_RR_PLAN;
	else if (strcmp(t, "end") == 0)
		want = CS_RR_DONE;
	else
		return cs_rr_fail(rr, "unknown record type");
	if (rr->stage == CS_RR_DONE || want < rr->stage ||
	    (rr->stage == CS_RR_SUMMARY) != (want == CS_RR_SUMMARY) ||
	    (want == CS_RR_SUMMARY && rr->line != 1))
		return cs_rr_fail(rr, "record '%s' out of place", t);
	rr->stage = want == CS_RR_SUMMARY ? CS_RR_FINDINGS : want;
	switch (want) {
	case CS_RR_SUMMARY:
		return rr_summary(rr, o);
	case CS_RR_FINDINGS:
		return cs_rr_add_finding(rr, o);
	case CS_RR_TIMELINE:
		return cs_rr_known(rr, o, rr_timeline_keys);
	case CS_RR_PLAN:
		return cs_rr_known(rr, o, rr_plan_keys);
	default:
		return rr_end(rr, o);
	}
}

int
cs_report_read(struct cs_report_file *r, const char *file, struct cs_err *err)
{
	struct cs_rr	 rr;
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
			cs_rr_fail(&rr, "%s", why);
			free(why);
			goto out;
		}
		got = rr_record(&rr, o);
		cs_json_free(o);
		if (got != 0)
			goto out;
	}
	if (got == 0 && rr.line == 0) {
		cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s' is empty, not a "
		    "report", rr.shown);
		goto out;
	}
	if (got == 0 && rr.stage != CS_RR_DONE) {
		cs_rr_fail(&rr, "no end record (truncated?)");
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
	free(s->shard);
	free(s->plan_sha256);
	free(s->shard_from);
	free(s->shard_to);
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

int
cs_report_read_all(struct cs_report_file **rp, size_t *np,
    char *const *names, size_t n, struct cs_err *err)
{
	size_t	 i;

	*rp = cs_xcalloc(n > 0 ? n : 1, sizeof **rp);
	*np = 0;
	for (i = 0; i < n; i++) {
		(*np)++;
		if (cs_report_read(&(*rp)[i], names[i], err) != 0)
			return -1;
	}
	return 0;
}

void
cs_report_files_free(struct cs_report_file *r, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		cs_report_file_release(&r[i]);
	free(r);
}
