/*
 * report.c: text and line reports of a comparison and the same findings
 * as syslog messages (JSON Lines is in report_json.c, the driver of
 * every format in report_run.c).
 *
 * The findings arrive triaged and sorted.
 * Invariant: everything appended to the output is printable ASCII (plus
 * newlines and, in text on a terminal, colour escapes made here).
 *
 * Paths and names keep the canonical encoding (path.h) in every format:
 * one spelling per path, the one the baseline and every report use.
 * Values (capabilities, ACLs, link targets, xattr values, header fields)
 * are shown in text and line output as typed, with only the bytes that
 * are unsafe on a terminal or ambiguous there escaped (report_readable);
 * JSON keeps the canonical encoding.
 */
#include "custos/custos.h"

#include <inttypes.h>
#include <syslog.h>

#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/host.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/report.h"
#include "custos/report_int.h"
#include "custos/syslog.h"
#include "custos/triage.h"
#include "custos/xmalloc.h"

/* One attribute of an object, for text and line output (raw value). */
struct report_attr {
	const char	*key;		/* "mode", "sha256", "xattr", ... */
	const char	*name;		/* xattr name (raw), or NULL */
	char		*value;		/* raw bytes, NUL-terminated */
	size_t		 len;
};

/* report_readable: the space separates fields (line format). */
#define REPORT_R_SPACE	0x01
/* report_readable: already encoded or printable: keep '\\' and '>'. */
#define REPORT_R_ASCII	0x02

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
		/* an array of pointers */
		/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
		qsort(fs, n, sizeof *fs, report_cmp);
}

/*
 * Append N bytes at S as typed, except the bytes unsafe on a terminal
 * (controls, DEL, and every byte from 0x80: how a terminal reads those
 * depends on its locale) and the ambiguous ones: the escape character
 * '\\', '>' (of "->" between an old and a new value; both kept with
 * REPORT_R_ASCII) and, with REPORT_R_SPACE, the space.  Those are written
 * \xHH.
 */
static void
report_readable(struct cs_buf *b, const char *s, size_t n, int flags)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, run = 0;
	char			 esc[5] = { '\\', 'x', 0, 0, 0 };

	for (i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f &&
		    ((p[i] != '\\' && p[i] != '>') ||
		    (flags & REPORT_R_ASCII) != 0) &&
		    (p[i] != ' ' || (flags & REPORT_R_SPACE) == 0))
			continue;
		/* the plain bytes before it at once, then it escaped */
		cs_buf_add(b, s + run, i - run);
		cs_hex(&p[i], 1, esc + 2);
		cs_buf_add(b, esc, 4);
		run = i + 1;
	}
	cs_buf_add(b, s + run, n - run);
}

/* A raw header field or message, readable; "(none)" if absent. */
static void
report_safe(struct cs_buf *b, const char *s, int flags)
{
	if (s == NULL)
		s = "(none)";
	report_readable(b, s, strlen(s), flags);
}

/*
 * A raw value of N bytes, readable; NULL is "(none)", and a value that
 * reads "(none)" has its '(' escaped.
 */
static void
report_rvalue(struct cs_buf *b, const char *v, size_t n, int flags)
{
	if (v == NULL) {
		cs_buf_adds(b, "(none)");
		return;
	}
	if (n == 6 && memcmp(v, "(none)", 6) == 0) {
		cs_buf_adds(b, "\\x28");
		v++;
		n--;
	}
	report_readable(b, v, n, flags);
}

/* An encoded value (a change's old or new), readable. */
static void
report_evalue(struct cs_buf *b, const char *v, int flags)
{
	char	*raw;
	size_t	 n;

	if (v == NULL) {
		report_rvalue(b, NULL, 0, flags);
		return;
	}
	if ((raw = cs_decode_dup(v, strlen(v), &n)) == NULL) {
		/* Not an encoding: it is printable ASCII as it is. */
		report_rvalue(b, v, strlen(v), flags);
		return;
	}
	report_rvalue(b, raw, n, flags);
	free(raw);
}

/*
 * Why a not-compared finding was not compared (raw bytes; heap string):
 * the comparison's reason, then the error the source gave.
 */
char *
cs_report_why_not(const struct cs_finding *f)
{
	const char	*err = NULL;

	if (f->new != NULL && f->new->error != NULL)
		err = f->new->error;
	else if (f->old != NULL && f->old->error != NULL)
		err = f->old->error;
	if (f->why_not != NULL && err != NULL)
		return cs_xasprintf("%s: %s", f->why_not, err);
	return cs_xstrdup(f->why_not != NULL ? f->why_not :
	    err != NULL ? err : "unknown");
}

char *
cs_report_time(const struct cs_time *t, int nsec)
{
	struct timespec	 ts;

	ts.tv_sec = (time_t)t->sec;
	ts.tv_nsec = (long)t->nsec;
	return cs_time_rfc3339(&ts, nsec);
}

static const char *
report_sev(const struct cs_report_ctx *c, int sev, int on)
{
	if (!c->info->colour)
		return "";
	return on ? report_colours[sev] : "\033[0m";
}

/* Text. */

/* The attributes of one object. */

static void
report_attr_add(struct report_attr **v, size_t *n, size_t *cap,
    const char *key, const char *name, char *value, size_t len)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 24;
		*v = cs_xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[*n].key = key;
	(*v)[*n].name = name;
	(*v)[*n].value = value;
	(*v)[*n].len = len;
	(*n)++;
}

/* Same, for a heap C string. */
static void
report_attr_str(struct report_attr **v, size_t *n, size_t *cap,
    const char *key, char *value)
{
	report_attr_add(v, n, cap, key, NULL, value, strlen(value));
}

/* V in decimal, a new string (the report writes millions). */
static char *
report_u64(uint64_t v)
{
	char	 buf[24];

	cs_fmt_u64(buf, sizeof buf, v);
	return cs_xstrdup(buf);
}

/* The permission bits of MODE as four octal digits, a new string. */
static char *
report_mode(uint32_t mode)
{
	char	 buf[5];
	int	 i;

	for (i = 0; i < 4; i++)
		buf[i] = (char)('0' + (mode >> (9 - 3 * i) & 7));
	buf[4] = '\0';
	return cs_xstrdup(buf);
}

/* An owner as "ID(NAME)" (raw), as changes show it. */
static char *
report_id(uint32_t id, const char *name)
{
	if (name == NULL)
		return report_u64(id);
	return cs_xasprintf("%" PRIu32 "(%s)", id, name);
}

/*
 * Every attribute E carries, in the order changes are reported: what an
 * added object is, or what a removed one was.  Returns the count.
 */
static size_t
report_describe(const struct cs_entry *e, struct report_attr **vp)
{
	struct report_attr	*v = NULL;
	char			 hex[2 * CS_DIGEST_MAXLEN + 1];
	size_t			 n = 0, cap = 0, i;
	int			 d;

	report_attr_str(&v, &n, &cap, "type",
	    cs_xstrdup(cs_type_name(e->type)));
	if (e->type == CS_T_FILE)
		report_attr_str(&v, &n, &cap, "size", report_u64(e->size));
	for (d = 0; d < CS_D_COUNT; d++) {
		if ((e->digests & (1U << d)) == 0)
			continue;
		cs_hex(e->digest[d], cs_digest_len((enum cs_digest)d), hex);
		report_attr_str(&v, &n, &cap, cs_digest_name((enum cs_digest)d),
		    cs_xstrdup(hex));
	}
	report_attr_str(&v, &n, &cap, "mode", report_mode(e->mode));
	report_attr_str(&v, &n, &cap, "uid", report_id(e->uid, e->user));
	report_attr_str(&v, &n, &cap, "gid", report_id(e->gid, e->group));
	report_attr_str(&v, &n, &cap, "mtime", cs_report_time(&e->mtime, 1));
	if (e->have & CS_F_CTIME)
		report_attr_str(&v, &n, &cap, "ctime",
		    cs_report_time(&e->ctime, 1));
	if (e->have & CS_F_INO)
		report_attr_str(&v, &n, &cap, "ino", report_u64(e->ino));
	if (e->have & CS_F_NLINK)
		report_attr_str(&v, &n, &cap, "nlink", report_u64(e->nlink));
	if (e->type == CS_T_LINK && e->target != NULL)
		report_attr_add(&v, &n, &cap, "target", NULL,
		    cs_xmemdup(e->target, e->targetlen + 1), e->targetlen);
	if (e->type == CS_T_CHAR || e->type == CS_T_BLOCK)
		report_attr_str(&v, &n, &cap, "rdev", cs_xasprintf("%" PRIu32
		    ",%" PRIu32, e->rmajor, e->rminor));
	if (e->acl != NULL)
		report_attr_str(&v, &n, &cap, "acl", cs_xstrdup(e->acl));
	if (e->dacl != NULL)
		report_attr_str(&v, &n, &cap, "dacl", cs_xstrdup(e->dacl));
	if (e->caps != NULL)
		report_attr_str(&v, &n, &cap, "caps", cs_xstrdup(e->caps));
	for (i = 0; i < e->nxattrs; i++)
		report_attr_add(&v, &n, &cap, "xattr", e->xattrs[i].name,
		    cs_xmemdup(e->xattrs[i].value, e->xattrs[i].len + 1),
		    e->xattrs[i].len);
	if (e->have & CS_F_IFLAGS)
		report_attr_str(&v, &n, &cap, "iflags",
		    cs_iflags_text(e->iflags));
	*vp = v;
	return n;
}

static void
report_attrs_free(struct report_attr *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i].value);
	free(v);
}

/* The object a finding describes whole: the added or removed one. */
const struct cs_entry *
cs_report_whole(const struct cs_finding *f)
{
	if (f->kind == CS_K_ADDED)
		return f->new;
	if (f->kind == CS_K_REMOVED)
		return f->old;
	return NULL;
}

/* Counts by kind, by severity, what was not shown, and the exit status. */
static void
text_counts(struct cs_report_ctx *c)
{
	const struct cs_report_info	*i = c->info;
	const struct cs_diff_stats	*st = i->stats;
	struct cs_buf			*b = c->out;

	cs_buf_printf(b, "result:     %" PRIu64 " added, %" PRIu64
	    " removed, %" PRIu64 " changed, %" PRIu64 " type changed, %"
	    PRIu64 " not compared; %" PRIu64 " logs appended, %" PRIu64
	    " ignored\n", st->count[CS_K_ADDED], st->count[CS_K_REMOVED],
	    st->count[CS_K_CHANGED], st->count[CS_K_TYPE],
	    st->count[CS_K_NOTCMP], st->appended, st->ignored);
	if (st->ignored > 0 || st->unsilenced > 0)
		cs_buf_printf(b, "ignored:    %" PRIu64 " objects by the "
		    "policy, none of them setuid or setgid, with capabilities, "
		    "executable, a device or linked from outside; %" PRIu64
		    " such objects in ignored trees compared\n", st->ignored,
		    st->unsilenced);
	if (i->vendor3)
		cs_buf_printf(b, "changes:    %" PRIu64 " unexplained, %"
		    PRIu64 " explained by signed package versions\n",
		    (uint64_t)c->n - i->explained, i->explained);
	cs_buf_printf(b, "severity:   %" PRIu64 " critical, %" PRIu64
	    " high, %" PRIu64 " medium, %" PRIu64 " low, %" PRIu64 " info\n",
	    c->sev[CS_SEV_CRITICAL], c->sev[CS_SEV_HIGH],
	    c->sev[CS_SEV_MEDIUM], c->sev[CS_SEV_LOW], c->sev[CS_SEV_INFO]);
	if (c->hidden > 0)
		cs_buf_printf(b, "not shown:  %zu finding%s below %s "
		    "(--min-severity)\n", c->hidden, c->hidden == 1 ? "" : "s",
		    cs_sev_name(c->min));
	cs_buf_printf(b, "exit:       %d\n", i->exit);
}

static void
text_begin(struct cs_report_ctx *c)
{
	const struct cs_report_info	*i = c->info;
	const struct cs_diff_stats	*st = i->stats;
	struct cs_buf			*b = c->out;
	size_t				 k;

	cs_buf_printf(b, "custos %s report\n", i->command);
	if (!i->is_signed)
		cs_buf_adds(b, "WARNING: the baseline is NOT SIGNED: nothing "
		    "proves who made it or that it is unaltered\n");
	else if (!i->verified)
		cs_buf_adds(b, "WARNING: the baseline's signature was NOT "
		    "checked against a trusted key\n");
	cs_buf_adds(b, "baseline:   ");
	report_safe(b, i->baseline, 0);
	cs_buf_adds(b, "\n  created:  ");
	report_safe(b, i->created, 0);
	cs_buf_adds(b, "\n  host:     ");
	report_safe(b, i->host, 0);
	cs_buf_adds(b, "\n  root:     ");
	report_safe(b, i->root, 0);
	cs_buf_adds(b, "\n  digests:  ");
	report_safe(b, i->digests, 0);
	if (i->is_signed)
		cs_buf_printf(b, "\n  signer:   key %s%s%s, %s\n",
		    i->signer != NULL ? i->signer : "?",
		    i->fingerprint != NULL ? ", fingerprint " : "",
		    i->fingerprint != NULL ? i->fingerprint : "",
		    i->verified ? "signature good" : "signature NOT checked");
	else
		cs_buf_adds(b, "\n  signer:   NONE (unsigned)\n");
	cs_buf_adds(b, "source:     ");
	report_safe(b, i->source, REPORT_R_ASCII);
	cs_buf_adds(b, "\npolicy:     ");
	report_safe(b, i->policy, 0);
	if (i->shard != NULL)
		cs_buf_printf(b, "\nshard:      %s of plan %s", i->shard,
		    i->plan_sha256);
	cs_buf_printf(b, "\nexamined:   %" PRIu64 " objects (%" PRIu64
	    " in the baseline), %.1f MiB, %.2f s\n", st->new_records,
	    st->old_records, (double)st->bytes / 1048576.0, i->seconds);
	for (k = 0; k < i->nwarnings; k++) {
		cs_buf_adds(b, "warning:    ");
		report_safe(b, i->warnings[k], REPORT_R_ASCII);
		cs_buf_addc(b, '\n');
	}
	text_counts(c);
	if (c->n > c->hidden)
		cs_buf_adds(b, "\nFINDINGS (most severe first)\n");
}

/* The lines of a finding's entry-level detail, indented. */
static void
text_detail(struct cs_buf *b, const char *d)
{
	const char	*nl;

	for (; *d != '\0'; d = *nl != '\0' ? nl + 1 : nl) {
		if ((nl = strchr(d, '\n')) == NULL)
			nl = d + strlen(d);
		cs_buf_adds(b, "    detail: ");
		report_readable(b, d, (size_t)(nl - d), REPORT_R_ASCII);
		cs_buf_addc(b, '\n');
	}
}

/* S, then spaces up to WIDTH bytes, as printf's "%-WIDTHs" would write. */
static void
report_pad(struct cs_buf *b, const char *s, size_t width)
{
	size_t	 n = strlen(s);

	cs_buf_add(b, s, n);
	while (n++ < width)
		cs_buf_addc(b, ' ');
}

static void
text_finding(struct cs_report_ctx *c, const struct cs_finding *f)
{
	struct cs_buf			*b = c->out;
	const struct cs_change		*ch;
	const struct cs_entry		*e = f->new != NULL ? f->new : f->old;
	const struct cs_entry		*w = cs_report_whole(f);
	struct report_attr		*v;
	char				*why;
	size_t				 i, nv;

	cs_buf_addc(b, '\n');
	cs_buf_adds(b, report_sev(c, f->severity, 1));
	report_pad(b, cs_sev_name(f->severity), 8);
	cs_buf_adds(b, report_sev(c, f->severity, 0));
	cs_buf_addc(b, ' ');
	report_pad(b, cs_kind_name(f->kind), 12);
	cs_buf_addc(b, ' ');
	cs_buf_adds(b, cs_type_name(e->type));
	cs_buf_addc(b, ' ');
	cs_buf_adds(b, f->shown);
	cs_buf_addc(b, '\n');
	for (i = 0; i < f->nreasons; i++) {
		cs_buf_adds(b, "    why:   ");
		if (f->techniques[i] != NULL) {
			cs_buf_addc(b, '[');
			cs_buf_adds(b, f->techniques[i]);
			cs_buf_adds(b, "] ");
		}
		cs_buf_adds(b, f->reasons[i]);
		cs_buf_addc(b, '\n');
	}
	if (f->flags & CS_FF_TIMESTOMP)
		cs_buf_adds(b, "    note:  TIMESTOMPED: content changed while "
		    "the mtime was kept or set before the baseline\n");
	if (f->related != NULL)
		cs_buf_printf(b, "    %s %s\n", (f->flags & CS_FF_NAMED) ?
		    "via:   named by" : "link:  same inode as", f->related);
	if (f->copy_of != NULL)
		cs_buf_printf(b, "    copy of: %s\n", f->copy_of);
	if (f->kind == CS_K_NOTCMP) {
		why = cs_report_why_not(f);
		cs_buf_adds(b, "    not compared: ");
		report_safe(b, why, 0);
		cs_buf_addc(b, '\n');
		free(why);
	}
	if (f->detail != NULL)
		text_detail(b, f->detail);
	if (f->restore != NULL)
		cs_buf_printf(b, "    restore: %s\n", f->restore);
	for (i = 0; i < f->nchanges; i++) {
		ch = &f->changes[i];
		cs_buf_printf(b, "    %s%s%s: ", cs_attr_name(ch->attr),
		    ch->name != NULL ? " " : "",
		    ch->name != NULL ? ch->name : "");
		report_evalue(b, ch->old, 0);
		cs_buf_adds(b, " -> ");
		report_evalue(b, ch->new, 0);
		cs_buf_addc(b, '\n');
	}
	if (w == NULL)
		return;
	nv = report_describe(w, &v);
	for (i = 0; i < nv; i++) {
		cs_buf_adds(b, "    ");
		cs_buf_adds(b, v[i].key);
		if (v[i].name != NULL) {
			cs_buf_addc(b, ' ');
			cs_encode_str(b, v[i].name);
		}
		cs_buf_adds(b, ": ");
		report_rvalue(b, v[i].value, v[i].len, 0);
		cs_buf_addc(b, '\n');
	}
	report_attrs_free(v, nv);
}

static void
text_burst_begin(struct cs_report_ctx *c, unsigned no,
    const struct cs_time *first, const struct cs_time *last, size_t n)
{
	char	*t0, *t1;

	if (no == 1)
		cs_buf_printf(c->out, "\nTIMELINE (by ctime; bursts split by "
		    "gaps over %" PRId64 " s)\n", c->info->burst_gap);
	t0 = cs_report_time(first, 0);
	t1 = cs_report_time(last, 0);
	cs_buf_printf(c->out, "\nburst %u: %s .. %s, %zu objects\n", no, t0,
	    t1, n);
	free(t0);
	free(t1);
}

static void
text_burst_item(struct cs_report_ctx *c, unsigned no,
    const struct cs_report_tl *tl, const struct cs_finding *f)
{
	struct cs_buf	*b = c->out;
	char		*t, *m;

	(void)no;
	t = cs_report_time(&tl->t, 0);
	cs_buf_adds(b, "  ");
	cs_buf_adds(b, t);
	cs_buf_adds(b, "  ");
	report_pad(b, cs_sev_name(f->severity), 8);
	cs_buf_addc(b, ' ');
	report_pad(b, cs_kind_name(f->kind), 12);
	cs_buf_addc(b, ' ');
	cs_buf_adds(b, f->shown);
	free(t);
	if (tl->by_ctime && (f->new->mtime.sec > tl->t.sec + 1 ||
	    f->new->mtime.sec < tl->t.sec - 1)) {
		m = cs_report_time(&f->new->mtime, 0);
		cs_buf_printf(b, " (mtime %s)", m);
		free(m);
	}
	if (f->flags & CS_FF_TIMESTOMP)
		cs_buf_adds(b, " TIMESTOMPED");
	cs_buf_addc(b, '\n');
}

static void
text_plan(struct cs_report_ctx *c, enum cs_plan p, const struct cs_finding *f,
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
	cs_buf_adds(c->out, "  ");
	report_pad(c->out, cs_kind_name(f->kind), 8);
	cs_buf_addc(c->out, ' ');
	cs_buf_adds(c->out, f->shown);
	cs_buf_adds(c->out, "  (");
	cs_buf_adds(c->out, why);
	cs_buf_adds(c->out, ")\n");
	if (f->restore != NULL)
		cs_buf_printf(c->out, "           restore: %s\n", f->restore);
}

/* The summary again, so that it is what stays on the screen. */
static void
text_end(struct cs_report_ctx *c)
{
	cs_buf_adds(c->out, "\nSUMMARY\n");
	text_counts(c);
	if (c->n == 0 && (c->info->exit & CS_EXIT_INCOMPLETE) == 0)
		cs_buf_adds(c->out, "No differences.\n");
	else if (c->n == 0)
		cs_buf_adds(c->out, "No differences in what could be compared, "
		    "but the comparison is INCOMPLETE (see the warnings "
		    "above).\n");
	else if (c->n == c->hidden)
		cs_buf_printf(c->out, "No findings at %s or above; the "
		    "comparison found differences.\n", cs_sev_name(c->min));
}

const struct cs_report_ops cs_report_text_ops = {
	text_begin, text_finding, text_burst_begin, text_burst_item, text_plan,
	text_end
};

/* Lines: one per finding, nothing else. */

/* " KEY=VALUE" of one attribute, the name joined to the key by '.'. */
static void
line_key(struct cs_buf *b, const char *key, const char *name)
{
	cs_buf_addc(b, ' ');
	cs_buf_adds(b, key);
	if (name != NULL) {
		cs_buf_addc(b, '.');
		cs_buf_adds(b, name);
	}
	cs_buf_addc(b, '=');
}

/* The free text after " -- ": reasons, why not compared, detail. */
static void
line_why(struct cs_buf *b, const struct cs_finding *f)
{
	const char	*sep = " -- ", *d, *nl;
	char		*why;
	size_t		 i;

	for (i = 0; i < f->nreasons; i++, sep = "; ") {
		cs_buf_printf(b, "%s%s", sep, f->reasons[i]);
		if (f->techniques[i] != NULL)
			cs_buf_printf(b, " (%s)", f->techniques[i]);
	}
	if (f->kind == CS_K_NOTCMP) {
		why = cs_report_why_not(f);
		cs_buf_printf(b, "%snot compared: ", sep);
		report_safe(b, why, 0);
		free(why);
		sep = "; ";
	}
	for (d = f->detail; d != NULL && *d != '\0'; sep = "; ") {
		if ((nl = strchr(d, '\n')) == NULL)
			nl = d + strlen(d);
		cs_buf_adds(b, sep);
		report_readable(b, d, (size_t)(nl - d), REPORT_R_ASCII);
		d = *nl != '\0' ? nl + 1 : nl;
	}
}

void
cs_report_line(struct cs_buf *b, const struct cs_finding *f)
{
	const struct cs_entry	*w = cs_report_whole(f);
	const struct cs_change	*ch;
	struct report_attr	*v;
	size_t			 i, nv;
	char			*name;

	cs_buf_printf(b, "%s %s %s", cs_sev_name(f->severity),
	    cs_kind_name(f->kind), f->shown);
	for (i = 0; i < f->nchanges; i++) {
		ch = &f->changes[i];
		line_key(b, ch->attr == CS_A_DIGEST && ch->name != NULL ?
		    ch->name : cs_attr_name(ch->attr),
		    ch->attr == CS_A_DIGEST ? NULL : ch->name);
		report_evalue(b, ch->old, REPORT_R_SPACE);
		cs_buf_adds(b, "->");
		report_evalue(b, ch->new, REPORT_R_SPACE);
	}
	if (w != NULL) {
		nv = report_describe(w, &v);
		for (i = 0; i < nv; i++) {
			name = v[i].name != NULL ? cs_encode_dup(v[i].name) :
			    NULL;
			line_key(b, v[i].key, name);
			free(name);
			report_rvalue(b, v[i].value, v[i].len, REPORT_R_SPACE);
		}
		report_attrs_free(v, nv);
	}
	if (f->copy_of != NULL)
		cs_buf_printf(b, " copy_of=%s", f->copy_of);
	if (f->related != NULL)
		cs_buf_printf(b, " related=%s", f->related);
	line_why(b, f);
}

static void
line_finding(struct cs_report_ctx *c, const struct cs_finding *f)
{
	cs_report_line(c->out, f);
	cs_buf_addc(c->out, '\n');
}

const struct cs_report_ops cs_report_line_ops = {
	NULL, line_finding, NULL, NULL, NULL, NULL
};

/* The syslog level of a severity (medium and up are sent). */
static int
report_level(int sev)
{
	if (sev >= CS_SEV_CRITICAL)
		return LOG_CRIT;
	if (sev == CS_SEV_HIGH)
		return LOG_ERR;
	return LOG_WARNING;
}

/* "summary added=N ... exit=N -- SOURCE against BASELINE". */
static void
report_summary_line(struct cs_buf *b, const struct cs_report_info *info,
    const uint64_t *sev, size_t n)
{
	size_t		 i;
	int		 s;

	cs_buf_adds(b, "summary");
	for (i = 0; i < CS_K_COUNT; i++)
		cs_buf_printf(b, " %s=%" PRIu64, cs_kind_name((enum cs_kind)i),
		    info->stats->count[i]);
	for (s = CS_SEV_CRITICAL; s >= 0; s--)
		cs_buf_printf(b, " %s=%" PRIu64, cs_sev_name(s), sev[s]);
	cs_buf_printf(b, " exit=%d -- %s ", info->exit, n > 0 ?
	    "differences:" : (info->exit & CS_EXIT_INCOMPLETE) ?
	    "INCOMPLETE, no differences in what was compared:" :
	    "no differences:");
	report_safe(b, info->source, REPORT_R_ASCII);
	cs_buf_adds(b, " against ");
	report_safe(b, info->baseline, 0);
}

int
cs_report_syslog(const char *socket, const struct cs_report_info *info,
    const struct cs_report_fs *fs, struct cs_err *err)
{
	struct cs_syslog	*sl;
	struct cs_finding	*f;
	struct cs_buf		 line;
	uint64_t		 sev[CS_SEV_COUNT] = { 0 };
	size_t			 i;
	int			 rc = -1, s;

	cs_buf_init(&line);
	if ((sl = cs_syslog_open(socket, "custos", LOG_AUTHPRIV, err)) == NULL)
		goto out;
	for (i = 0; i < fs->n; i++) {
		f = fs->get(fs->arg, i);
		s = f->severity;
		sev[s]++;
		if (s >= CS_SEV_MEDIUM) {
			cs_buf_reset(&line);
			cs_report_line(&line, f);
		}
		fs->put(fs->arg, f);
		if (s >= CS_SEV_MEDIUM && cs_syslog_send(sl, report_level(s),
		    cs_buf_str(&line), err) != 0)
			goto out;
	}
	cs_buf_reset(&line);
	report_summary_line(&line, info, sev, fs->n);
	if (cs_syslog_send(sl, info->exit != 0 ? LOG_NOTICE : LOG_INFO,
	    cs_buf_str(&line), err) != 0)
		goto out;
	rc = 0;
out:
	cs_syslog_close(sl);
	cs_buf_release(&line);
	return rc;
}
