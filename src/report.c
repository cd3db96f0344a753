/*
 * report.c: text and JSON Lines reports of a comparison.
 *
 * The findings arrive triaged and sorted.  A report is built in memory
 * (its size follows the findings, not the tree) so that it can be written
 * atomically, or not at all when the baseline fails its final check.
 * Invariant: everything appended to the output is printable ASCII (plus
 * newlines and, in text on a terminal, colour escapes made here).
 */
#include "custos/custos.h"

#include <inttypes.h>

#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/host.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/report.h"
#include "custos/triage.h"
#include "custos/xmalloc.h"

/* A timeline item: a changed or added object at a time. */
struct report_tl {
	const struct cs_finding	*f;
	struct cs_time		 t;
	int			 by_ctime;
};

struct report_ctx {
	struct cs_buf			*out;
	const struct cs_report_info	*info;
	struct cs_finding		**fs;
	size_t				 n;
	enum cs_plan			 last;	/* plan group being written */
};

struct report_ops {
	void	(*begin)(struct report_ctx *);
	void	(*finding)(struct report_ctx *, const struct cs_finding *);
	void	(*burst)(struct report_ctx *, unsigned, const struct report_tl *,
		    size_t);
	void	(*plan)(struct report_ctx *, enum cs_plan,
		    const struct cs_finding *, const char *);
	void	(*end)(struct report_ctx *);
};

/* Colours per severity, ordered as enum cs_sev. */
static const char *const report_colours[CS_SEV_COUNT] = {
	"\033[2m", "\033[36m", "\033[33m", "\033[31m", "\033[1;31m"
};

static int
report_cmp(const void *pa, const void *pb)
{
	const struct cs_finding	*a = *(struct cs_finding *const *)pa;
	const struct cs_finding	*b = *(struct cs_finding *const *)pb;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void
cs_report_sort(struct cs_finding **fs, size_t n)
{
	if (n > 1)
		qsort(fs, n, sizeof *fs, report_cmp);
}

void
cs_json_str(struct cs_buf *b, const char *s)
{
	const unsigned char	*p;

	cs_buf_addc(b, '"');
	for (p = (const unsigned char *)(s != NULL ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\') {
			cs_buf_addc(b, '\\');
			cs_buf_addc(b, (char)*p);
		} else if (*p < 0x20 || *p >= 0x7f)
			cs_buf_printf(b, "\\u%04x", *p);
		else
			cs_buf_addc(b, (char)*p);
	}
	cs_buf_addc(b, '"');
}

/* A JSON string, or null. */
static void
report_jstr(struct cs_buf *b, const char *s)
{
	if (s == NULL)
		cs_buf_adds(b, "null");
	else
		cs_json_str(b, s);
}

/* A raw (untrusted) string, encoded, as a JSON string or null. */
static void
report_jraw(struct cs_buf *b, const char *s)
{
	char	*enc;

	if (s == NULL) {
		cs_buf_adds(b, "null");
		return;
	}
	enc = cs_encode_dup(s);
	cs_json_str(b, enc);
	free(enc);
}

/* Append S with any byte outside printable ASCII shown as \xHH. */
static void
report_safe(struct cs_buf *b, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)(s != NULL ? s : "(none)"); *p; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			cs_buf_printf(b, "\\x%02x", *p);
		else
			cs_buf_addc(b, (char)*p);
	}
}

/* Why a not-compared finding was not compared (raw bytes). */
static const char *
report_why_not(const struct cs_finding *f)
{
	if (f->why_not != NULL)
		return f->why_not;
	if (f->new != NULL && f->new->error != NULL)
		return f->new->error;
	if (f->old != NULL && f->old->error != NULL)
		return f->old->error;
	return "unknown";
}

static char *
report_time(const struct cs_time *t, int nsec)
{
	struct timespec	 ts;

	ts.tv_sec = (time_t)t->sec;
	ts.tv_nsec = (long)t->nsec;
	return cs_time_rfc3339(&ts, nsec);
}

static const char *
report_sev(const struct report_ctx *c, int sev, int on)
{
	if (!c->info->colour)
		return "";
	return on ? report_colours[sev] : "\033[0m";
}

/* Text. */

static void
text_begin(struct report_ctx *c)
{
	const struct cs_report_info	*i = c->info;
	const struct cs_diff_stats	*st = i->stats;
	struct cs_buf			*b = c->out;
	uint64_t			 sev[CS_SEV_COUNT] = { 0 };
	size_t				 k;

	for (k = 0; k < c->n; k++)
		sev[c->fs[k]->severity]++;
	cs_buf_printf(b, "custos %s report\n", i->command);
	if (!i->is_signed)
		cs_buf_adds(b, "WARNING: the baseline is NOT SIGNED: nothing "
		    "proves who made it or that it is unaltered\n");
	else if (!i->verified)
		cs_buf_adds(b, "WARNING: the baseline's signature was NOT "
		    "checked against a trusted key\n");
	cs_buf_adds(b, "baseline:   ");
	report_safe(b, i->baseline);
	cs_buf_adds(b, "\n  created:  ");
	report_safe(b, i->created);
	cs_buf_adds(b, "\n  host:     ");
	report_safe(b, i->host);
	cs_buf_adds(b, "\n  root:     ");
	report_safe(b, i->root);
	cs_buf_adds(b, "\n  digests:  ");
	report_safe(b, i->digests);
	if (i->is_signed)
		cs_buf_printf(b, "\n  signer:   key %s%s%s, %s\n",
		    i->signer != NULL ? i->signer : "?",
		    i->fingerprint != NULL ? ", fingerprint " : "",
		    i->fingerprint != NULL ? i->fingerprint : "",
		    i->verified ? "signature good" : "signature NOT checked");
	else
		cs_buf_adds(b, "\n  signer:   NONE (unsigned)\n");
	cs_buf_adds(b, "source:     ");
	report_safe(b, i->source);
	cs_buf_adds(b, "\npolicy:     ");
	report_safe(b, i->policy);
	cs_buf_printf(b, "\nexamined:   %" PRIu64 " objects (%" PRIu64
	    " in the baseline), %.1f MiB, %.2f s\n", st->new_records,
	    st->old_records, (double)st->bytes / 1048576.0, i->seconds);
	for (k = 0; k < i->nwarnings; k++) {
		cs_buf_adds(b, "warning:    ");
		report_safe(b, i->warnings[k]);
		cs_buf_addc(b, '\n');
	}
	cs_buf_printf(b, "result:     %" PRIu64 " added, %" PRIu64
	    " removed, %" PRIu64 " changed, %" PRIu64 " type changed, %"
	    PRIu64 " errors; %" PRIu64 " logs appended, %" PRIu64
	    " ignored\n", st->count[CS_K_ADDED], st->count[CS_K_REMOVED],
	    st->count[CS_K_CHANGED], st->count[CS_K_TYPE],
	    st->count[CS_K_NOTCMP], st->appended, st->ignored);
	cs_buf_printf(b, "severity:   %" PRIu64 " critical, %" PRIu64
	    " high, %" PRIu64 " medium, %" PRIu64 " low, %" PRIu64 " info\n",
	    sev[CS_SEV_CRITICAL], sev[CS_SEV_HIGH], sev[CS_SEV_MEDIUM],
	    sev[CS_SEV_LOW], sev[CS_SEV_INFO]);
	cs_buf_printf(b, "exit:       %d\n", i->exit);
	if (c->n > 0)
		cs_buf_adds(b, "\nFINDINGS (most severe first)\n");
}

/* Entry-level changes of a structured file, one "entry:" line each. */
static void
text_detail(struct cs_buf *b, const char *d)
{
	const char	*nl;

	for (; d != NULL && *d != '\0'; d = nl + 1) {
		if ((nl = strchr(d, '\n')) == NULL)
			nl = d + strlen(d);
		cs_buf_adds(b, "    entry: ");
		cs_buf_add(b, d, (size_t)(nl - d));
		cs_buf_addc(b, '\n');
		if (*nl == '\0')
			break;
	}
}

static void
text_finding(struct report_ctx *c, const struct cs_finding *f)
{
	struct cs_buf			*b = c->out;
	const struct cs_change		*ch;
	const struct cs_entry		*e = f->new != NULL ? f->new : f->old;
	size_t				 i;

	cs_buf_printf(b, "\n%s%-8s%s %-12s %s %s\n",
	    report_sev(c, f->severity, 1), cs_sev_name(f->severity),
	    report_sev(c, f->severity, 0), cs_kind_name(f->kind),
	    cs_type_name(e->type), f->shown);
	for (i = 0; i < f->nreasons; i++)
		cs_buf_printf(b, "    why:   %s\n", f->reasons[i]);
	if (f->flags & CS_FF_TIMESTOMP)
		cs_buf_adds(b, "    note:  TIMESTOMPED: content changed while "
		    "the mtime was kept or set before the baseline\n");
	if (f->related != NULL)
		cs_buf_printf(b, "    link:  same inode as %s\n", f->related);
	text_detail(b, f->detail);
	if (f->kind == CS_K_NOTCMP) {
		cs_buf_adds(b, "    not compared: ");
		report_safe(b, report_why_not(f));
		cs_buf_addc(b, '\n');
	}
	for (i = 0; i < f->nchanges; i++) {
		ch = &f->changes[i];
		cs_buf_printf(b, "    %s%s%s: %s -> %s\n", cs_attr_name(ch->attr),
		    ch->name != NULL ? " " : "",
		    ch->name != NULL ? ch->name : "",
		    ch->old != NULL ? ch->old : "(none)",
		    ch->new != NULL ? ch->new : "(none)");
	}
}

static void
text_burst(struct report_ctx *c, unsigned no, const struct report_tl *tl,
    size_t n)
{
	struct cs_buf	*b = c->out;
	char		*t0, *t1, *t, *m;
	size_t		 i;

	if (no == 1)
		cs_buf_printf(b, "\nTIMELINE (by ctime; bursts split by gaps "
		    "over %" PRId64 " s)\n", c->info->burst_gap);
	t0 = report_time(&tl[0].t, 0);
	t1 = report_time(&tl[n - 1].t, 0);
	cs_buf_printf(b, "\nburst %u: %s .. %s, %zu objects\n", no, t0, t1, n);
	free(t0);
	free(t1);
	for (i = 0; i < n; i++) {
		t = report_time(&tl[i].t, 0);
		cs_buf_printf(b, "  %s  %-8s %-12s %s", t,
		    cs_sev_name(tl[i].f->severity), cs_kind_name(tl[i].f->kind),
		    tl[i].f->shown);
		free(t);
		if (tl[i].by_ctime && (tl[i].f->new->mtime.sec > tl[i].t.sec +
		    1 || tl[i].f->new->mtime.sec < tl[i].t.sec - 1)) {
			m = report_time(&tl[i].f->new->mtime, 0);
			cs_buf_printf(b, " (mtime %s)", m);
			free(m);
		}
		if (tl[i].f->flags & CS_FF_TIMESTOMP)
			cs_buf_adds(b, " TIMESTOMPED");
		cs_buf_addc(b, '\n');
	}
}

static void
text_plan(struct report_ctx *c, enum cs_plan p, const struct cs_finding *f,
    const char *why)
{
	if (f == NULL)
		return;
	if (c->last == CS_PLAN_NONE)
		cs_buf_adds(c->out, "\nREBUILD PLAN\n");
	if (p != c->last)
		cs_buf_adds(c->out, p == CS_PLAN_REINSTALL ?
		    "\nReinstall from trusted vendor media (programs, "
		    "libraries, system files):\n" :
		    "\nReview, and restore from a backup older than the "
		    "intrusion (configuration, user data):\n");
	c->last = p;
	cs_buf_printf(c->out, "  %-8s %s  (%s)\n", cs_kind_name(f->kind),
	    f->shown, why);
}

static void
text_end(struct report_ctx *c)
{
	if (c->n == 0)
		cs_buf_adds(c->out, "\nNo differences.\n");
}

static const struct report_ops report_text_ops = {
	text_begin, text_finding, text_burst, text_plan, text_end
};

/* JSON Lines. */

static void
json_begin(struct report_ctx *c)
{
	const struct cs_report_info	*i = c->info;
	const struct cs_diff_stats	*st = i->stats;
	struct cs_buf			*b = c->out;
	uint64_t			 sev[CS_SEV_COUNT] = { 0 };
	size_t				 k;
	int				 s;

	for (k = 0; k < c->n; k++)
		sev[c->fs[k]->severity]++;
	cs_buf_adds(b, "{\"type\":\"summary\",\"format\":\"custos-report\","
	    "\"version\":1,\"command\":");
	cs_json_str(b, i->command);
	cs_buf_adds(b, ",\"baseline\":{\"file\":");
	report_jraw(b, i->baseline);
	cs_buf_adds(b, ",\"created\":");
	report_jraw(b, i->created);
	cs_buf_adds(b, ",\"host\":");
	report_jraw(b, i->host);
	cs_buf_adds(b, ",\"root\":");
	report_jraw(b, i->root);
	cs_buf_adds(b, ",\"digests\":");
	report_jraw(b, i->digests);
	cs_buf_printf(b, ",\"signed\":%s,\"verified\":%s,\"signer\":",
	    i->is_signed ? "true" : "false", i->verified ? "true" : "false");
	report_jstr(b, i->signer);
	cs_buf_adds(b, ",\"fingerprint\":");
	report_jstr(b, i->fingerprint);
	cs_buf_adds(b, "},\"source\":");
	cs_json_str(b, i->source);
	cs_buf_adds(b, ",\"policy\":");
	report_jraw(b, i->policy);
	cs_buf_printf(b, ",\"seconds\":%.3f,\"objects\":%" PRIu64
	    ",\"baseline_objects\":%" PRIu64 ",\"bytes\":%" PRIu64
	    ",\"counts\":{", i->seconds, st->new_records, st->old_records,
	    st->bytes);
	for (k = 0; k < CS_K_COUNT; k++)
		cs_buf_printf(b, "\"%s\":%" PRIu64 ",",
		    cs_kind_name((enum cs_kind)k), st->count[k]);
	cs_buf_printf(b, "\"appended\":%" PRIu64 ",\"ignored\":%" PRIu64
	    "},\"severity\":{", st->appended, st->ignored);
	for (s = CS_SEV_CRITICAL; s >= 0; s--)
		cs_buf_printf(b, "\"%s\":%" PRIu64 "%s", cs_sev_name(s), sev[s],
		    s > 0 ? "," : "");
	cs_buf_adds(b, "},\"warnings\":[");
	for (k = 0; k < i->nwarnings; k++) {
		if (k > 0)
			cs_buf_addc(b, ',');
		cs_json_str(b, i->warnings[k]);
	}
	cs_buf_printf(b, "],\"exit\":%d}\n", i->exit);
}

static void
json_time(struct cs_buf *b, const char *key, const struct cs_time *t)
{
	char	*s = report_time(t, 1);

	cs_buf_printf(b, ",\"%s\":\"%s\"", key, s);
	free(s);
}

static void
json_finding(struct report_ctx *c, const struct cs_finding *f)
{
	struct cs_buf		*b = c->out;
	const struct cs_entry	*e = f->new != NULL ? f->new : f->old;
	const struct cs_change	*ch;
	size_t			 i;

	cs_buf_adds(b, "{\"type\":\"finding\",\"path\":");
	cs_json_str(b, f->shown);
	cs_buf_printf(b, ",\"kind\":\"%s\",\"object\":\"%s\","
	    "\"severity\":\"%s\",\"reasons\":[", cs_kind_name(f->kind),
	    cs_type_name(e->type), cs_sev_name(f->severity));
	for (i = 0; i < f->nreasons; i++) {
		if (i > 0)
			cs_buf_addc(b, ',');
		cs_json_str(b, f->reasons[i]);
	}
	cs_buf_adds(b, "],\"changes\":[");
	for (i = 0; i < f->nchanges; i++) {
		ch = &f->changes[i];
		cs_buf_printf(b, "%s{\"attr\":\"%s\",\"name\":", i ? "," : "",
		    cs_attr_name(ch->attr));
		report_jstr(b, ch->name);
		cs_buf_adds(b, ",\"old\":");
		report_jstr(b, ch->old);
		cs_buf_adds(b, ",\"new\":");
		report_jstr(b, ch->new);
		cs_buf_addc(b, '}');
	}
	cs_buf_printf(b, "],\"timestomped\":%s,\"appended\":%s",
	    (f->flags & CS_FF_TIMESTOMP) ? "true" : "false",
	    (f->flags & CS_FF_APPENDED) ? "true" : "false");
	if (f->related != NULL) {
		cs_buf_adds(b, ",\"related\":");
		cs_json_str(b, f->related);
	}
	if (f->detail != NULL) {
		cs_buf_adds(b, ",\"detail\":");
		cs_json_str(b, f->detail);
	}
	if (f->kind == CS_K_NOTCMP) {
		cs_buf_adds(b, ",\"message\":");
		report_jraw(b, report_why_not(f));
	}
	json_time(b, "mtime", &e->mtime);
	if (e->have & CS_F_CTIME)
		json_time(b, "ctime", &e->ctime);
	cs_buf_adds(b, "}\n");
}

static void
json_burst(struct report_ctx *c, unsigned no, const struct report_tl *tl,
    size_t n)
{
	struct cs_buf	*b = c->out;
	size_t		 i;

	for (i = 0; i < n; i++) {
		cs_buf_printf(b, "{\"type\":\"timeline\",\"burst\":%u", no);
		json_time(b, "time", &tl[i].t);
		cs_buf_printf(b, ",\"basis\":\"%s\"", tl[i].by_ctime ?
		    "ctime" : "mtime");
		json_time(b, "mtime", &tl[i].f->new->mtime);
		cs_buf_adds(b, ",\"path\":");
		cs_json_str(b, tl[i].f->shown);
		cs_buf_printf(b, ",\"kind\":\"%s\",\"severity\":\"%s\","
		    "\"timestomped\":%s}\n", cs_kind_name(tl[i].f->kind),
		    cs_sev_name(tl[i].f->severity),
		    (tl[i].f->flags & CS_FF_TIMESTOMP) ? "true" : "false");
	}
}

static void
json_plan(struct report_ctx *c, enum cs_plan p, const struct cs_finding *f,
    const char *why)
{
	if (f == NULL)
		return;
	cs_buf_printf(c->out, "{\"type\":\"plan\",\"action\":\"%s\",\"path\":",
	    p == CS_PLAN_REINSTALL ? "reinstall" : "review");
	cs_json_str(c->out, f->shown);
	cs_buf_printf(c->out, ",\"kind\":\"%s\",\"why\":", cs_kind_name(f->kind));
	cs_json_str(c->out, why);
	cs_buf_adds(c->out, "}\n");
}

static void
json_end(struct report_ctx *c)
{
	cs_buf_printf(c->out, "{\"type\":\"end\",\"findings\":%zu,"
	    "\"exit\":%d}\n", c->n, c->info->exit);
}

static const struct report_ops report_json_ops = {
	json_begin, json_finding, json_burst, json_plan, json_end
};

/* Timeline: by time, then discovery order. */
static int
report_tl_cmp(const void *pa, const void *pb)
{
	const struct report_tl	*a = pa, *b = pb;

	if (a->t.sec != b->t.sec)
		return a->t.sec < b->t.sec ? -1 : 1;
	if (a->t.nsec != b->t.nsec)
		return a->t.nsec < b->t.nsec ? -1 : 1;
	return a->f->seq < b->f->seq ? -1 : a->f->seq > b->f->seq;
}

/* Changed and added objects by ctime (or mtime), cut into bursts. */
static void
report_timeline(struct report_ctx *c, const struct report_ops *ops)
{
	struct report_tl	*tl;
	const struct cs_finding	*f;
	size_t			 i, n = 0, start = 0;
	unsigned		 burst = 0;

	tl = cs_xcalloc(c->n + 1, sizeof *tl);
	for (i = 0; i < c->n; i++) {
		f = c->fs[i];
		if (f->new == NULL || f->kind == CS_K_REMOVED ||
		    f->kind == CS_K_NOTCMP)
			continue;
		tl[n].f = f;
		tl[n].by_ctime = (f->new->have & CS_F_CTIME) != 0;
		tl[n].t = tl[n].by_ctime ? f->new->ctime : f->new->mtime;
		n++;
	}
	if (n > 1)
		qsort(tl, n, sizeof *tl, report_tl_cmp);
	for (i = 1; i <= n; i++) {
		if (i < n && tl[i].t.sec - tl[i - 1].t.sec <=
		    c->info->burst_gap)
			continue;
		ops->burst(c, ++burst, tl + start, i - start);
		start = i;
	}
	free(tl);
}

static void
report_plan(struct report_ctx *c, const struct report_ops *ops)
{
	enum cs_plan	 want, p;
	const char	*why;
	size_t		 i;

	ops->plan(c, CS_PLAN_NONE, NULL, NULL);
	for (want = CS_PLAN_REINSTALL; want <= CS_PLAN_REVIEW; want++) {
		for (i = 0; i < c->n; i++) {
			p = cs_triage_plan(c->fs[i], &why);
			if (p == want)
				ops->plan(c, p, c->fs[i], why);
		}
	}
}

void
cs_report_write(struct cs_buf *out, enum cs_format fmt,
    const struct cs_report_info *info, struct cs_finding **fs, size_t n)
{
	const struct report_ops	*ops;
	struct report_ctx	 c;
	size_t			 i;

	ops = fmt == CS_FMT_JSON ? &report_json_ops : &report_text_ops;
	c.out = out;
	c.info = info;
	c.fs = fs;
	c.n = n;
	c.last = CS_PLAN_NONE;
	ops->begin(&c);
	for (i = 0; i < n; i++)
		ops->finding(&c, fs[i]);
	report_timeline(&c, ops);
	report_plan(&c, ops);
	ops->end(&c);
}
