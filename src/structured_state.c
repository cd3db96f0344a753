/*
 * structured_state.c: what the structured comparators need across files
 * of one join (passwd's uids, login.defs' UID_MIN, the baselined
 * primaries of "-" backups), and the explanation of a finding from its
 * two entry texts (structured_cmp.c compares them).
 *
 * The old side is always the baseline's record: a new backup is compared
 * with the baselined primary's entries, never with a file of the
 * examined host.
 */
#include "custos/custos.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/structured.h"
#include "custos/xmalloc.h"
#include "structured_int.h"

#define R_BACKUP	"backup made by the account tools: copy of the " \
			"primary file as baselined"
#define R_BADLINE	"lines the account tools may read but custos cannot"
#define T_MANIP		"T1098"

/* Backups of the standard files, and what to say of them. */
static const struct {
	const char	*path;
	const char	*reason;
} sk_backups[] = {
	{ "/etc/group-", "backup made by the account tools: copy of "
	    "/etc/group as baselined" },
	{ "/etc/gshadow-", "backup made by the account tools: copy of "
	    "/etc/gshadow as baselined" },
	{ "/etc/passwd-", "backup made by the account tools: copy of "
	    "/etc/passwd as baselined" },
	{ "/etc/shadow-", "backup made by the account tools: copy of "
	    "/etc/shadow as baselined" },
	{ "/etc/subgid-", "backup made by the account tools: copy of "
	    "/etc/subgid as baselined" },
	{ "/etc/subuid-", "backup made by the account tools: copy of "
	    "/etc/subuid as baselined" },
};

/* State. */

struct cs_sstate *
cs_sstate_new(void)
{
	return cs_xcalloc(1, sizeof(struct cs_sstate));
}

void
cs_sstate_free(struct cs_sstate *st)
{
	size_t	 i;

	if (st == NULL)
		return;
	cs_sk_tab_release(&st->pw_old);
	cs_sk_tab_release(&st->pw_new);
	cs_sk_tab_release(&st->gr_new);
	for (i = 0; i < st->nprim; i++) {
		free(st->prim[i].path);
		free(st->prim[i].sdata);
	}
	free(st->prim);
	free(st);
}

static int
sk_is_backup(const struct cs_entry *e)
{
	return e->pathlen > 1 && e->path[e->pathlen - 1] == '-';
}

static int
sk_account_kind(int kind)
{
	return kind == CS_S_PASSWD || kind == CS_S_GROUP ||
	    kind == CS_S_SHADOW || kind == CS_S_GSHADOW || kind == CS_S_SUBID;
}

void
cs_structured_learn(struct cs_sstate *st, int kind, const struct cs_entry *old,
    const struct cs_entry *new)
{
	const struct cs_entry	*e = new != NULL ? new : old;
	struct cs_sk_tab	 t;
	struct cs_sk_prim		*p;
	int			 side;

	if (st == NULL)
		return;
	for (side = 0; kind == CS_S_LOGINDEFS && side < 2; side++) {
		cs_sk_tab_load(&t, side ? new : old, kind);
		if (t.has_uid_min && (!st->has_uid_min || t.uid_min >
		    st->uid_min)) {
			st->uid_min = t.uid_min;
			st->has_uid_min = 1;
		}
		cs_sk_tab_release(&t);
	}
	if (!sk_account_kind(kind) || sk_is_backup(e))
		return;
	if (old != NULL && old->type == CS_T_FILE && old->digests != 0) {
		st->prim = cs_xreallocarray(st->prim, st->nprim + 1,
		    sizeof *st->prim);
		p = &st->prim[st->nprim++];
		p->path = cs_xmemdup(old->path, old->pathlen + 1);
		p->len = old->pathlen;
		p->digests = old->digests;
		memcpy(p->digest, old->digest, sizeof p->digest);
		p->sdata = NULL;
		if (old->have & CS_F_STRUCT) {
			p->sdata = cs_xmemdup(old->sdata, old->sdatalen + 1);
			p->sdatalen = old->sdatalen;
		}
	}
	if (kind == CS_S_PASSWD) {
		cs_sk_tab_release(&st->pw_old);
		cs_sk_tab_release(&st->pw_new);
		cs_sk_tab_load(&st->pw_old, old, kind);
		cs_sk_tab_load(&st->pw_new, new, kind);
	} else if (kind == CS_S_GROUP) {
		cs_sk_tab_release(&st->gr_new);
		cs_sk_tab_load(&st->gr_new, new, kind);
	}
}

/* May the comparator's floor be final for F? */
static int
sk_explainable(const struct cs_finding *f)
{
	const unsigned	 ok = CS_ABIT(CS_A_SIZE) | CS_ABIT(CS_A_DIGEST) |
	    CS_ABIT(CS_A_PREFIX) | CS_ABIT(CS_A_MTIME) |
	    CS_ABIT(CS_A_CTIME) | CS_ABIT(CS_A_INO) | CS_ABIT(CS_A_NLINK);

	return f->new != NULL && f->new->type == CS_T_FILE &&
	    (f->new->mode & 07111) == 0 && f->new->caps == NULL &&
	    (f->attrs & ~ok) == 0 && (f->flags & CS_FF_TIMESTOMP) == 0;
}

/* The baselined primary of backup E, or NULL. */
static const struct cs_sk_prim *
sk_primary(const struct cs_sstate *st, const struct cs_entry *e)
{
	size_t	 i;

	if (st == NULL || e == NULL || !sk_is_backup(e))
		return NULL;
	for (i = 0; i < st->nprim; i++) {
		if (st->prim[i].len + 1 == e->pathlen &&
		    memcmp(st->prim[i].path, e->path, st->prim[i].len) == 0)
			return &st->prim[i];
	}
	return NULL;
}

/*
 * A "-" backup whose content is the baseline's primary file: what the
 * account tools do before every change.
 */
static int
sk_backup(struct cs_sstate *st, struct cs_finding *f)
{
	const struct cs_entry	*n = f->new;
	const struct cs_sk_prim	*p;
	unsigned		 both;
	size_t			 i;
	int			 d;

	if ((p = sk_primary(st, n)) == NULL || n->type != CS_T_FILE ||
	    (both = p->digests & n->digests) == 0)
		return 0;
	for (d = 0; d < CS_D_COUNT; d++) {
		if ((both & (1U << d)) != 0 && memcmp(p->digest[d],
		    n->digest[d], cs_digest_len((enum cs_digest)d)) != 0)
			return 0;
	}
	f->floor = CS_SEV_LOW;
	f->floor_reason = R_BACKUP;
	for (i = 0; i < CS_NELEM(sk_backups); i++) {
		if (strcmp(sk_backups[i].path, n->path) == 0)
			f->floor_reason = sk_backups[i].reason;
	}
	f->floor_technique = NULL;
	if (f->copy_of == NULL)
		f->copy_of = cs_encode_dup(p->path);
	free(f->detail);
	f->detail = cs_xasprintf("copy of %s as baselined", f->copy_of);
	if (sk_explainable(f) || (f->kind == CS_K_ADDED &&
	    (n->mode & 07111) == 0 && n->caps == NULL))
		f->flags |= CS_FF_EXPLAINED;
	return 1;
}

/* Say what a comparison found in F. */
static void
sk_conclude(struct cs_sk_cmp *c, int kind)
{
	struct cs_finding	*f = c->f;

	if (sk_account_kind(kind) && c->n.bad > c->o.bad) {
		if (c->detail.len > 0)
			cs_buf_addc(&c->detail, '\n');
		cs_buf_printf(&c->detail, "malformed lines %" PRIu64
		    " -> %" PRIu64, c->o.bad, c->n.bad);
		cs_sk_raise(c, CS_SEV_HIGH, R_BADLINE, T_MANIP);
		c->noexplain = 1;
	}
	if (c->detail.len > 0) {
		free(f->detail);
		f->detail = cs_buf_detach(&c->detail, NULL);
	}
	if (c->sev < 0)
		return;
	f->floor = c->sev;
	f->floor_reason = c->reason;
	f->floor_technique = c->tech;
	if (!c->noexplain && (sk_explainable(f) || (f->kind == CS_K_ADDED &&
	    (f->new->mode & 07111) == 0 && f->new->caps == NULL)))
		f->flags |= CS_FF_EXPLAINED;
}

/* A trailing partial login record: the file cannot be compared. */
static void
sk_partial(struct cs_sk_cmp *c)
{
	if (c->n.partial == 0 || c->sev >= CS_SEV_HIGH)
		return;
	c->f->kind = CS_K_NOTCMP;
	c->f->why_not = "trailing partial login record (not a whole "
	    "number of records)";
	c->f->flags &= ~(unsigned)CS_FF_APPENDED;
	c->sev = -1;
}

void
cs_structured_explain(struct cs_sstate *st, int kind, struct cs_finding *f)
{
	struct cs_sk_cmp	 c;
	const struct cs_sk_prim	*prim;
	cs_sk_cmp_fn		*fn;

	if (f->kind != CS_K_CHANGED && f->kind != CS_K_ADDED)
		return;
	if (sk_backup(st, f) || (fn = cs_sk_comparator(kind)) == NULL)
		return;
	memset(&c, 0, sizeof c);
	c.f = f;
	c.st = st;
	c.sev = -1;
	cs_buf_init(&c.detail);
	cs_sk_tab_load(&c.n, f->new, kind);
	if (f->old != NULL)
		cs_sk_tab_load(&c.o, f->old, kind);
	else if ((prim = sk_primary(st, f->new)) != NULL)
		/* a new backup: what changed since the baselined primary */
		cs_sk_tab_parse(&c.o, prim->sdata, prim->sdatalen, kind);
	else
		c.o.have = 1;		/* added: every entry is new */
	if (!c.n.have || !c.o.have)
		goto out;
	if (c.n.error != NULL || c.o.error != NULL) {
		cs_buf_adds(&c.detail, "entries not compared: ");
		if (c.n.error != NULL)
			cs_encode(&c.detail, c.n.error, c.n.errorlen);
		else
			cs_encode(&c.detail, c.o.error, c.o.errorlen);
		sk_conclude(&c, CS_S_NONE);
		goto out;
	}
	fn(&c);
	if (kind == CS_S_UTMP || kind == CS_S_LASTLOG)
		sk_partial(&c);
	sk_conclude(&c, kind);
out:
	cs_buf_release(&c.detail);
	cs_sk_tab_release(&c.o);
	cs_sk_tab_release(&c.n);
}

/* Is F the finding of a primary passwd file? */
static int
sk_is_passwd(const struct cs_finding *f)
{
	return f->new != NULL && (f->new->have & CS_F_STRUCT) &&
	    cs_structured_kind(f->new->sdata, f->new->sdatalen) ==
	    CS_S_PASSWD && !sk_is_backup(f->new);
}

void
cs_structured_correlate(struct cs_finding **fs, size_t n)
{
	struct cs_finding	*pw = NULL;
	struct cs_buf		 b;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (sk_is_passwd(fs[i]))
			pw = fs[i];
		if (pw == NULL || fs[i]->floor_reason == NULL ||
		    fs[i]->new == NULL || sk_is_backup(fs[i]->new) ||
		    strcmp(fs[i]->floor_reason, CS_SK_PARTOF) != 0 ||
		    fs[i]->detail == NULL)
			continue;
		cs_buf_init(&b);
		if (pw->detail != NULL)
			cs_buf_adds(&b, pw->detail);
		cs_buf_printf(&b, "%swith it in %s: ", b.len > 0 ? "\n" : "",
		    fs[i]->shown);
		cs_buf_adds(&b, fs[i]->detail);
		free(pw->detail);
		pw->detail = cs_buf_detach(&b, NULL);
	}
}
