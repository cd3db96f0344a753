/*
 * report_json.c: the JSON Lines report (doc/custos-report.5).
 *
 * One object per line: summary, findings, timeline, plan, end.  Every
 * string from an examined system or a baseline is written in the
 * canonical encoding (path.h), then as a JSON string, so the report is
 * ASCII and valid JSON whatever the file names.  JSON always holds every
 * finding: --min-severity does not apply.
 */
#include "custos/custos.h"

#include <inttypes.h>

#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/report.h"
#include "custos/report_int.h"
#include "custos/xmalloc.h"

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

/* ",\"KEY\":" and a raw string, encoded, or null. */
static void
json_field(struct cs_buf *b, const char *key, const char *raw)
{
	cs_buf_printf(b, ",\"%s\":", key);
	report_jraw(b, raw);
}

static void
json_begin(struct cs_report_ctx *c)
{
	const struct cs_report_info	*i = c->info;
	const struct cs_diff_stats	*st = i->stats;
	struct cs_buf			*b = c->out;
	size_t				 k;
	int				 s;

	cs_buf_adds(b, "{\"type\":\"summary\",\"format\":\"custos-report\","
	    "\"version\":1,\"command\":");
	cs_json_str(b, i->command);
	cs_buf_adds(b, ",\"baseline\":{\"file\":");
	report_jraw(b, i->baseline);
	json_field(b, "created", i->created);
	json_field(b, "host", i->host);
	json_field(b, "root", i->root);
	json_field(b, "digests", i->digests);
	cs_buf_printf(b, ",\"signed\":%s,\"verified\":%s,\"signer\":",
	    i->is_signed ? "true" : "false", i->verified ? "true" : "false");
	report_jstr(b, i->signer);
	cs_buf_adds(b, ",\"fingerprint\":");
	report_jstr(b, i->fingerprint);
	cs_buf_adds(b, "},\"source\":");
	cs_json_str(b, i->source);
	cs_buf_adds(b, ",\"policy\":");
	report_jraw(b, i->policy);
	if (i->shard != NULL) {
		json_field(b, "shard", i->shard);
		json_field(b, "plan_sha256", i->plan_sha256);
		json_field(b, "shard_from", i->shard_from);
		json_field(b, "shard_to", i->shard_to);
	}
	cs_buf_printf(b, ",\"seconds\":%.3f,\"objects\":%" PRIu64
	    ",\"baseline_objects\":%" PRIu64 ",\"bytes\":%" PRIu64
	    ",\"counts\":{", i->seconds, st->new_records, st->old_records,
	    st->bytes);
	for (k = 0; k < CS_K_COUNT; k++)
		cs_buf_printf(b, "\"%s\":%" PRIu64 ",",
		    cs_kind_name((enum cs_kind)k), st->count[k]);
	cs_buf_printf(b, "\"appended\":%" PRIu64 ",\"ignored\":%" PRIu64
	    ",\"unsilenced\":%" PRIu64 ",\"below_not_entered\":%" PRIu64
	    "},\"severity\":{", st->appended, st->ignored, st->unsilenced,
	    st->below);
	for (s = CS_SEV_CRITICAL; s >= 0; s--)
		cs_buf_printf(b, "\"%s\":%" PRIu64 "%s", cs_sev_name(s),
		    c->sev[s], s > 0 ? "," : "");
	cs_buf_addc(b, '}');
	if (i->vendor3)
		cs_buf_printf(b, ",\"changes\":{\"unexplained\":%" PRIu64
		    ",\"explained\":%" PRIu64 "}", (uint64_t)c->n -
		    i->explained, i->explained);
	cs_buf_adds(b, ",\"warnings\":[");
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
	char	*s = cs_report_time(t, 1);

	cs_buf_printf(b, ",\"%s\":\"%s\"", key, s);
	free(s);
}

void
cs_json_bytes(struct cs_buf *b, const void *p, size_t n)
{
	struct cs_buf	 enc;

	cs_buf_init(&enc);
	cs_encode(&enc, p, n);
	cs_json_str(b, cs_buf_str(&enc));
	cs_buf_release(&enc);
}

void
cs_json_entry(struct cs_buf *b, const struct cs_entry *e)
{
	char	 hex[2 * CS_DIGEST_MAXLEN + 1], *t;
	size_t	 i;
	int	 d;

	cs_buf_printf(b, "\"type\":\"%s\",\"mode\":\"%04" PRIo32
	    "\",\"uid\":%" PRIu32, cs_type_name(e->type), e->mode & 07777,
	    e->uid);
	json_field(b, "user", e->user);
	cs_buf_printf(b, ",\"gid\":%" PRIu32, e->gid);
	json_field(b, "group", e->group);
	if (e->type == CS_T_FILE)
		cs_buf_printf(b, ",\"size\":%" PRIu64, e->size);
	cs_buf_adds(b, ",\"digests\":{");
	for (d = 0, i = 0; d < CS_D_COUNT; d++) {
		if ((e->digests & (1U << d)) == 0)
			continue;
		cs_hex(e->digest[d], cs_digest_len((enum cs_digest)d), hex);
		cs_buf_printf(b, "%s\"%s\":\"%s\"", i++ > 0 ? "," : "",
		    cs_digest_name((enum cs_digest)d), hex);
	}
	cs_buf_addc(b, '}');
	if (e->type == CS_T_LINK && e->target != NULL) {
		cs_buf_adds(b, ",\"target\":");
		cs_json_bytes(b, e->target, e->targetlen);
	}
	if (e->type == CS_T_CHAR || e->type == CS_T_BLOCK)
		cs_buf_printf(b, ",\"rdev\":\"%" PRIu32 ",%" PRIu32 "\"",
		    e->rmajor, e->rminor);
	if (e->have & CS_F_INO)
		cs_buf_printf(b, ",\"ino\":%" PRIu64, e->ino);
	if (e->have & CS_F_NLINK)
		cs_buf_printf(b, ",\"nlink\":%" PRIu64, e->nlink);
	json_field(b, "caps", e->caps);
	json_field(b, "acl", e->acl);
	json_field(b, "dacl", e->dacl);
	cs_buf_adds(b, ",\"xattrs\":{");
	for (i = 0; i < e->nxattrs; i++) {
		if (i > 0)
			cs_buf_addc(b, ',');
		report_jraw(b, e->xattrs[i].name);
		cs_buf_addc(b, ':');
		cs_json_bytes(b, e->xattrs[i].value, e->xattrs[i].len);
	}
	cs_buf_addc(b, '}');
	if (e->have & CS_F_IFLAGS) {
		t = cs_iflags_text(e->iflags);
		cs_buf_printf(b, ",\"iflags\":\"%s\"", t);
		free(t);
	}
	json_time(b, "mtime", &e->mtime);
	if (e->have & CS_F_CTIME)
		json_time(b, "ctime", &e->ctime);
}

static void
json_finding(struct cs_report_ctx *c, const struct cs_finding *f)
{
	struct cs_buf		*b = c->out;
	const struct cs_entry	*e = f->new != NULL ? f->new : f->old;
	const struct cs_change	*ch;
	char			*why;
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
	cs_buf_adds(b, "],\"techniques\":[");
	for (i = 0; i < f->nreasons; i++) {
		if (i > 0)
			cs_buf_addc(b, ',');
		report_jstr(b, f->techniques[i]);
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
	if (f->copy_of != NULL) {
		cs_buf_adds(b, ",\"copy_of\":");
		cs_json_str(b, f->copy_of);
	}
	if (f->kind == CS_K_NOTCMP) {
		why = cs_report_why_not(f);
		cs_buf_adds(b, ",\"message\":");
		cs_json_str(b, why);
		free(why);
	}
	if (f->restore != NULL) {
		cs_buf_adds(b, ",\"restore\":");
		cs_json_str(b, f->restore);
	}
	if (f->detail != NULL) {
		cs_buf_adds(b, ",\"detail\":");
		cs_json_str(b, f->detail);
	}
	if (cs_report_whole(f) != NULL) {
		cs_buf_adds(b, ",\"entry\":{");
		cs_json_entry(b, cs_report_whole(f));
		cs_buf_addc(b, '}');
	}
	json_time(b, "mtime", &e->mtime);
	if (e->have & CS_F_CTIME)
		json_time(b, "ctime", &e->ctime);
	cs_buf_adds(b, "}\n");
}

static void
json_burst_item(struct cs_report_ctx *c, unsigned no,
    const struct cs_report_tl *tl, const struct cs_finding *f)
{
	struct cs_buf	*b = c->out;

	cs_buf_printf(b, "{\"type\":\"timeline\",\"burst\":%u", no);
	json_time(b, "time", &tl->t);
	cs_buf_printf(b, ",\"basis\":\"%s\"", tl->by_ctime ? "ctime" :
	    "mtime");
	json_time(b, "mtime", &f->new->mtime);
	cs_buf_adds(b, ",\"path\":");
	cs_json_str(b, f->shown);
	cs_buf_printf(b, ",\"kind\":\"%s\",\"severity\":\"%s\","
	    "\"timestomped\":%s}\n", cs_kind_name(f->kind),
	    cs_sev_name(f->severity),
	    (f->flags & CS_FF_TIMESTOMP) ? "true" : "false");
}

static void
json_plan(struct cs_report_ctx *c, enum cs_plan p, const struct cs_finding *f,
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
json_end(struct cs_report_ctx *c)
{
	cs_buf_printf(c->out, "{\"type\":\"end\",\"findings\":%zu,"
	    "\"exit\":%d}\n", c->n, c->info->exit);
}

const struct cs_report_ops cs_report_json_ops = {
	json_begin, json_finding, NULL, json_burst_item, json_plan, json_end
};
