/*
 * structured_cmp.c: compare two entry texts of a structured file and
 * explain the finding: which entries were added, removed or changed
 * (the finding's detail, printable lines), and how dangerous that is
 * (its floor, reason and ATT&CK technique).
 *
 * The old side is always the baseline's record; nothing on the examined
 * host (such as passwd-) stands in for it.  What a comparator needs from
 * other files (passwd's uids, login.defs' UID_MIN, a backup's primary)
 * was remembered by cs_structured_learn when their pairs went by: in
 * canonical order login.defs and passwd come before shadow, subgid and
 * subuid, and each primary before its "-" backup.
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

#define SK_UID_MIN	1000	/* when login.defs does not say */

/* Reasons (static: findings point at them). */
#define R_UID0		"account with uid 0 added"
#define R_TOUID0	"account given uid 0"
#define R_GID0		"group with gid 0 added"
#define R_NOPASS	"account without a password"
#define R_USERADD	"user account added"
#define R_SYSADD	"system account added"
#define R_USERDEL	"account removed"
#define R_ACCTCHG	"account's uid, gid, home or shell changed"
#define R_ADMGRP	"user added to an administrative group"
#define R_GRPADD	"group added"
#define R_GRPCHG	"group membership changed"
#define R_SYSPASS	"password of root or a system account changed"
#define R_USERPASS	"password of an ordinary user changed"
#define R_AGING		"password aging changed"
#define R_GRPPASS	"group password changed"
#define R_PARTOF	"part of the account added in /etc/passwd"
#define R_SUBID		"subordinate id range added or changed"
#define R_BADLINE	"lines the account tools may read but custos cannot"
#define R_WIPED		"login records wiped"
#define R_LLWIPED	"lastlog entry zeroed or set back"
#define R_BACKTIME	"time goes backwards in new login records"
#define R_LOGINS	"new logins recorded"
#define R_UIDMIN	"UID_MIN changed"
#define R_BACKUP	"backup made by the account tools: copy of the " \
			"primary file as baselined"

#define T_CREATE	"T1136.001"
#define T_MANIP		"T1098"
#define T_REMOVAL	"T1531"
#define T_CLEAR		"T1070.002"

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

/* Groups whose members hold administrative power. */
static const char *const sk_admin_groups[] = {
	"root", "sudo", "adm", "wheel", "disk", "shadow", "staff", "docker",
	"lxd", "libvirt", NULL
};

/* A primary account file's digests as baselined. */
struct sk_prim {
	char		*path;
	size_t		 len;
	char		*sdata;		/* its entries, or NULL */
	size_t		 sdatalen;
	unsigned	 digests;
	unsigned char	 digest[CS_D_COUNT][CS_DIGEST_MAXLEN];
};

struct cs_sstate {
	uint64_t	 uid_min;
	int		 has_uid_min;
	struct cs_sk_tab pw_old;	/* the last passwd primary */
	struct cs_sk_tab pw_new;
	struct cs_sk_tab gr_new;	/* the last group primary */
	struct sk_prim	*prim;
	size_t		 nprim;
};

/* Texts. */

static int
sk_ent_cmp(const void *a, const void *b)
{
	const struct cs_sk_ent	*x = a, *y = b;
	size_t			 n = x->fl[0] < y->fl[0] ? x->fl[0] : y->fl[0];
	int			 c;

	if ((c = memcmp(x->f[0], y->f[0], n)) != 0)
		return c;
	if (x->fl[0] != y->fl[0])
		return x->fl[0] < y->fl[0] ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void
sk_tab_release(struct cs_sk_tab *t)
{
	free(t->text);
	free(t->e);
	memset(t, 0, sizeof *t);
}

static int
sk_pre(const char *l, size_t n, const char *p)
{
	size_t	 k = strlen(p);

	return n >= k && memcmp(l, p, k) == 0;
}

/* A "#..." or "key=value" line about the file. */
static void
sk_tab_meta(struct cs_sk_tab *t, const char *l, size_t n)
{
	uint64_t	 v;
	int64_t		 s;

	if (sk_pre(l, n, "#k=")) {
		t->keyid = l + 3;
		t->keyidlen = n - 3;
	} else if (sk_pre(l, n, "#error=")) {
		t->error = l + 7;
		t->errorlen = n - 7;
	} else if (sk_pre(l, n, "#bad=") &&
	    cs_sk_num(l + 5, n - 5, UINT64_MAX, &v) == 0)
		t->bad = v;
	else if (sk_pre(l, n, "#partial=") &&
	    cs_sk_num(l + 9, n - 9, UINT64_MAX, &v) == 0)
		t->partial = v;
	else if (sk_pre(l, n, "n=") &&
	    cs_sk_num(l + 2, n - 2, UINT64_MAX, &v) == 0)
		t->un = v;
	else if (sk_pre(l, n, "zero=") &&
	    cs_sk_num(l + 5, n - 5, UINT64_MAX, &v) == 0)
		t->uzero = v;
	else if (sk_pre(l, n, "back=") &&
	    cs_sk_num(l + 5, n - 5, UINT64_MAX, &v) == 0)
		t->uback = v;
	else if (sk_pre(l, n, "last=")) {
		s = n > 5 && l[5] == '-' ? -1 : 1;
		if (cs_sk_num(l + 5 + (s < 0), n - 5 - (s < 0), INT64_MAX,
		    &v) == 0)
			t->ulast = s * (int64_t)v;
	} else if (sk_pre(l, n, "UID_MIN=") &&
	    cs_sk_num(l + 8, n - 8, UINT32_MAX, &v) == 0) {
		t->uid_min = v;
		t->has_uid_min = 1;
	}
}

/* Parse text S (N bytes) if it is of KIND; T->have says whether it was. */
static void
sk_tab_parse(struct cs_sk_tab *t, const char *s, size_t sn, int kind)
{
	const char	*p, *end, *nl;
	size_t		 cap = 0, len, k;
	struct cs_sk_ent *x;

	memset(t, 0, sizeof *t);
	if (s == NULL || cs_structured_kind(s, sn) != kind)
		return;
	t->have = 1;
	t->text = cs_xmemdup(s, sn + 1);
	t->text[sn] = '\0';
	p = (const char *)memchr(t->text, ':', sn) + 1;
	end = t->text + sn;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		len = (size_t)(nl - p);
		if (len == 0)
			continue;
		if (p[0] == '#' || kind == CS_S_UTMP ||
		    kind == CS_S_LOGINDEFS) {
			sk_tab_meta(t, p, len);
			continue;
		}
		if (t->n == cap) {
			cap = cap ? 2 * cap : 32;
			t->e = cs_xreallocarray(t->e, cap, sizeof *t->e);
		}
		x = &t->e[t->n];
		memset(x, 0, sizeof *x);
		x->nf = cs_sk_split(p, len, x->f, x->fl, CS_SK_MAXF);
		if (x->nf > CS_SK_MAXF)
			x->nf = CS_SK_MAXF;
		x->idx = t->n++;
	}
	if (t->n > 1)
		qsort(t->e, t->n, sizeof *t->e, sk_ent_cmp);
	for (k = 1; k < t->n; k++) {
		if (t->e[k].fl[0] == t->e[k - 1].fl[0] &&
		    memcmp(t->e[k].f[0], t->e[k - 1].f[0], t->e[k].fl[0]) == 0)
			t->e[k].occ = t->e[k - 1].occ + 1;
	}
}

/* Parse E's entries if they are of KIND. */
static void
sk_tab_load(struct cs_sk_tab *t, const struct cs_entry *e, int kind)
{
	if (e == NULL || (e->have & CS_F_STRUCT) == 0)
		sk_tab_parse(t, NULL, 0, kind);
	else
		sk_tab_parse(t, e->sdata, e->sdatalen, kind);
}

/* Field K of X (empty if absent). */
static const char *
sk_f(const struct cs_sk_ent *x, size_t k, size_t *n)
{
	if (x == NULL || k >= x->nf) {
		*n = 0;
		return "";
	}
	*n = x->fl[k];
	return x->f[k];
}

static int
sk_f_eq(const struct cs_sk_ent *a, const struct cs_sk_ent *b, size_t k)
{
	const char	*x, *y;
	size_t		 m, n;

	x = sk_f(a, k, &m);
	y = sk_f(b, k, &n);
	return m == n && memcmp(x, y, n) == 0;
}

static int
sk_f_is(const struct cs_sk_ent *a, size_t k, const char *s)
{
	const char	*x;
	size_t		 m;

	x = sk_f(a, k, &m);
	return m == strlen(s) && memcmp(x, s, m) == 0;
}

/* Field K as a number (UINT64_MAX if it is not one). */
static uint64_t
sk_f_num(const struct cs_sk_ent *a, size_t k)
{
	const char	*x;
	size_t		 m;
	uint64_t	 v;

	x = sk_f(a, k, &m);
	return cs_sk_num(x, m, UINT64_MAX, &v) == 0 ? v : UINT64_MAX;
}

/* The first entry named NAME (N bytes), or NULL. */
static const struct cs_sk_ent *
sk_find(const struct cs_sk_tab *t, const char *name, size_t n)
{
	size_t	 lo = 0, hi = t->n, mid, m;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		m = t->e[mid].fl[0] < n ? t->e[mid].fl[0] : n;
		c = memcmp(t->e[mid].f[0], name, m);
		if (c == 0 && t->e[mid].fl[0] != n)
			c = t->e[mid].fl[0] < n ? -1 : 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->n && t->e[lo].fl[0] == n &&
	    memcmp(t->e[lo].f[0], name, n) == 0)
		return &t->e[lo];
	return NULL;
}

/* Detail and verdict. */

static void
sk_raise(struct cs_sk_cmp *c, int sev, const char *reason, const char *tech)
{
	if (sev > c->sev) {
		c->sev = sev;
		c->reason = reason;
		c->tech = tech;
	}
}

/* Append field K of X, encoded. */
static void
sk_put(struct cs_sk_cmp *c, const struct cs_sk_ent *x, size_t k)
{
	const char	*s;
	size_t		 n;

	s = sk_f(x, k, &n);
	cs_encode(&c->detail, s, n);
}

/* Start a detail line: "WHAT NAME". */
static void
sk_line(struct cs_sk_cmp *c, const char *what, const struct cs_sk_ent *x)
{
	if (c->detail.len > 0)
		cs_buf_addc(&c->detail, '\n');
	cs_buf_adds(&c->detail, what);
	cs_buf_addc(&c->detail, ' ');
	sk_put(c, x, 0);
}

/* ", LABEL OLD -> NEW" when field K differs. */
static int
sk_delta(struct cs_sk_cmp *c, const char *label, const struct cs_sk_ent *o,
    const struct cs_sk_ent *n, size_t k)
{
	if (sk_f_eq(o, n, k))
		return 0;
	cs_buf_printf(&c->detail, ", %s ", label);
	sk_put(c, o, k);
	cs_buf_adds(&c->detail, " -> ");
	sk_put(c, n, k);
	return 1;
}

/*
 * Walk both sorted tables: PAIR is called for entries only in the old
 * (N NULL), only in the new (O NULL), or in both and different.
 */
static void
sk_merge(struct cs_sk_cmp *c, void (*pair)(struct cs_sk_cmp *,
    const struct cs_sk_ent *, const struct cs_sk_ent *))
{
	size_t	 i = 0, j = 0, k;
	int	 d, same;

	while (i < c->o.n || j < c->n.n) {
		if (i == c->o.n)
			d = 1;
		else if (j == c->n.n)
			d = -1;
		else if ((d = sk_ent_cmp(&c->o.e[i], &c->n.e[j])) != 0 &&
		    c->o.e[i].fl[0] == c->n.e[j].fl[0] &&
		    memcmp(c->o.e[i].f[0], c->n.e[j].f[0],
		    c->n.e[j].fl[0]) == 0)
			d = c->o.e[i].occ < c->n.e[j].occ ? -1 :
			    c->o.e[i].occ > c->n.e[j].occ;
		if (d < 0) {
			pair(c, &c->o.e[i++], NULL);
		} else if (d > 0) {
			pair(c, NULL, &c->n.e[j++]);
		} else {
			same = c->o.e[i].nf == c->n.e[j].nf;
			for (k = 0; same && k < c->n.e[j].nf; k++)
				same = sk_f_eq(&c->o.e[i], &c->n.e[j], k);
			if (!same)
				pair(c, &c->o.e[i], &c->n.e[j]);
			i++;
			j++;
		}
	}
}

static uint64_t
sk_uid_min(const struct cs_sk_cmp *c)
{
	return c->st != NULL && c->st->has_uid_min ? c->st->uid_min :
	    SK_UID_MIN;
}

/* The uid of user NAME from the last passwd seen, or UINT64_MAX. */
static uint64_t
sk_uid_of(const struct cs_sk_cmp *c, const struct cs_sk_ent *x)
{
	const struct cs_sk_ent	*p = NULL;

	if (c->st == NULL)
		return UINT64_MAX;
	if ((p = sk_find(&c->st->pw_new, x->f[0], x->fl[0])) == NULL)
		p = sk_find(&c->st->pw_old, x->f[0], x->fl[0]);
	return p != NULL ? sk_f_num(p, 2) : UINT64_MAX;
}

/* Was user X added in the last passwd seen? */
static int
sk_user_added(const struct cs_sk_cmp *c, const struct cs_sk_ent *x)
{
	return c->st != NULL && c->st->pw_old.have &&
	    sk_find(&c->st->pw_new, x->f[0], x->fl[0]) != NULL &&
	    sk_find(&c->st->pw_old, x->f[0], x->fl[0]) == NULL;
}

/* Is the comma-separated list L (N bytes) holding NAME (M bytes)? */
static int
sk_list_has(const char *l, size_t n, const char *name, size_t m)
{
	const char	*p = l, *end = l + n, *comma;

	while (p < end) {
		if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
			comma = end;
		if ((size_t)(comma - p) == m && memcmp(p, name, m) == 0)
			return 1;
		p = comma + 1;
	}
	return 0;
}

static int
sk_admin_group(const struct cs_sk_ent *g, int gidfield)
{
	size_t	 i;

	if (gidfield >= 0 && sk_f_num(g, (size_t)gidfield) == 0)
		return 1;
	for (i = 0; sk_admin_groups[i] != NULL; i++) {
		if (sk_f_is(g, 0, sk_admin_groups[i]))
			return 1;
	}
	return 0;
}

/* ", groups A,B" of user X from the last group file seen. */
static void
sk_groups_of(struct cs_sk_cmp *c, const struct cs_sk_ent *x)
{
	const struct cs_sk_tab	*g;
	size_t			 i, k = 0;

	if (c->st == NULL || !c->st->gr_new.have)
		return;
	g = &c->st->gr_new;
	for (i = 0; i < g->n; i++) {
		if (g->e[i].nf < 3 || !sk_list_has(g->e[i].f[2], g->e[i].fl[2],
		    x->f[0], x->fl[0]))
			continue;
		cs_buf_adds(&c->detail, k++ == 0 ? ", groups " : ",");
		sk_put(c, &g->e[i], 0);
		if (sk_admin_group(&g->e[i], 1))
			sk_raise(c, CS_SEV_HIGH, R_ADMGRP, T_MANIP);
	}
}

/* Password fields: locks kept, '#' and a digest, "x", or empty. */
static int
sk_pw_comparable(const struct cs_sk_cmp *c)
{
	return c->o.keyid != NULL && c->n.keyid != NULL &&
	    c->o.keyidlen == c->n.keyidlen &&
	    memcmp(c->o.keyid, c->n.keyid, c->n.keyidlen) == 0;
}

/* A password change of user X (uid UID) seen in field K. */
static void
sk_pw_change(struct cs_sk_cmp *c, const struct cs_sk_ent *o,
    const struct cs_sk_ent *n, size_t k, uint64_t uid)
{
	if (sk_f_eq(o, n, k))
		return;
	if (!sk_pw_comparable(c)) {
		cs_buf_adds(&c->detail, ", password not comparable "
		    "(digests under different keys)");
		return;
	}
	cs_buf_adds(&c->detail, ", password changed");
	if (sk_f_is(n, k, "")) {
		cs_buf_adds(&c->detail, " to none");
		sk_raise(c, CS_SEV_HIGH, R_NOPASS, T_MANIP);
	}
	if (uid < sk_uid_min(c) || sk_f_is(n, 0, "root"))
		sk_raise(c, CS_SEV_HIGH, R_SYSPASS, T_MANIP);
	else
		sk_raise(c, CS_SEV_LOW, R_USERPASS, T_MANIP);
}

/* passwd: name:pw:uid:gid:gecos:home:shell */
static void
sk_pair_passwd(struct cs_sk_cmp *c, const struct cs_sk_ent *o,
    const struct cs_sk_ent *n)
{
	uint64_t	 uid;

	if (n == NULL) {
		sk_line(c, "removed user", o);
		sk_raise(c, CS_SEV_LOW, R_USERDEL, T_REMOVAL);
		return;
	}
	uid = sk_f_num(n, 2);
	if (o == NULL) {
		sk_line(c, "added user", n);
		cs_buf_adds(&c->detail, ": uid ");
		sk_put(c, n, 2);
		cs_buf_adds(&c->detail, ", gid ");
		sk_put(c, n, 3);
		sk_groups_of(c, n);
		cs_buf_adds(&c->detail, ", home ");
		sk_put(c, n, 5);
		cs_buf_adds(&c->detail, ", shell ");
		sk_put(c, n, 6);
		if (uid == 0)
			sk_raise(c, CS_SEV_CRITICAL, R_UID0, T_CREATE);
		if (sk_f_is(n, 1, ""))
			sk_raise(c, CS_SEV_HIGH, R_NOPASS, T_MANIP);
		sk_raise(c, CS_SEV_MEDIUM, uid >= sk_uid_min(c) ? R_USERADD :
		    R_SYSADD, T_CREATE);
		return;
	}
	sk_line(c, "changed user", n);
	if (sk_delta(c, "uid", o, n, 2) && uid == 0)
		sk_raise(c, CS_SEV_CRITICAL, R_TOUID0, T_MANIP);
	if (sk_delta(c, "gid", o, n, 3) && sk_f_num(n, 3) == 0)
		sk_raise(c, CS_SEV_HIGH, R_ACCTCHG, T_MANIP);
	sk_delta(c, "gecos", o, n, 4);
	if (sk_delta(c, "home", o, n, 5) | sk_delta(c, "shell", o, n, 6) ||
	    !sk_f_eq(o, n, 2) || !sk_f_eq(o, n, 3))
		sk_raise(c, CS_SEV_MEDIUM, R_ACCTCHG, T_MANIP);
	sk_pw_change(c, o, n, 1, uid);
	sk_raise(c, CS_SEV_LOW, R_ACCTCHG, T_MANIP);
}

void
cs_sk_cmp_passwd(struct cs_sk_cmp *c)
{
	sk_merge(c, sk_pair_passwd);
}

/* Members of list K in N but not in O (either may be NULL), as a detail. */
static int
sk_members_added(struct cs_sk_cmp *c, const struct cs_sk_ent *o,
    const struct cs_sk_ent *n, size_t k, const char *label)
{
	const char	*p, *end, *comma, *ol;
	size_t		 oln, nln;
	int		 added = 0;

	ol = sk_f(o, k, &oln);
	p = sk_f(n, k, &nln);
	for (end = p + nln; p < end; p = comma + 1) {
		if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
			comma = end;
		if (comma == p || sk_list_has(ol, oln, p, (size_t)(comma - p)))
			continue;
		cs_buf_printf(&c->detail, "%s%s ", added ? "," : ", ",
		    added ? "" : label);
		cs_encode(&c->detail, p, (size_t)(comma - p));
		added = 1;
	}
	return added;
}

/* group: name:gid:members; gshadow: name:pw:admins:members. */
static void
sk_pair_group(struct cs_sk_cmp *c, const struct cs_sk_ent *o,
    const struct cs_sk_ent *n)
{
	int	 admin, more;

	if (n == NULL) {
		sk_line(c, "removed group", o);
		sk_raise(c, CS_SEV_LOW, R_GRPCHG, T_MANIP);
		return;
	}
	admin = sk_admin_group(n, 1);
	sk_line(c, o == NULL ? "added group" : "changed group", n);
	if (o == NULL) {
		cs_buf_adds(&c->detail, ": gid ");
		sk_put(c, n, 1);
		if (sk_f_num(n, 1) == 0)
			sk_raise(c, CS_SEV_CRITICAL, R_GID0, T_CREATE);
		sk_raise(c, CS_SEV_LOW, R_GRPADD, T_CREATE);
	} else if (sk_delta(c, "gid", o, n, 1) && sk_f_num(n, 1) == 0)
		sk_raise(c, CS_SEV_CRITICAL, R_GID0, T_MANIP);
	more = sk_members_added(c, o, n, 2, "added members");
	if (more && admin)
		sk_raise(c, CS_SEV_HIGH, R_ADMGRP, T_MANIP);
	sk_members_added(c, n, o, 2, "removed members");
	sk_raise(c, CS_SEV_LOW, R_GRPCHG, T_MANIP);
}

void
cs_sk_cmp_group(struct cs_sk_cmp *c)
{
	sk_merge(c, sk_pair_group);
}

static void
sk_pair_gshadow(struct cs_sk_cmp *c, const struct cs_sk_ent *o,
    const struct cs_sk_ent *n)
{
	int	 admin;

	if (n == NULL) {
		sk_line(c, "removed group", o);
		sk_raise(c, CS_SEV_LOW, R_GRPCHG, T_MANIP);
		return;
	}
	admin = sk_admin_group(n, -1);
	sk_line(c, o == NULL ? "added group" : "changed group", n);
	if ((sk_members_added(c, o, n, 2, "added administrators") |
	    sk_members_added(c, o, n, 3, "added members")) && admin)
		sk_raise(c, CS_SEV_HIGH, R_ADMGRP, T_MANIP);
	sk_members_added(c, n, o, 2, "removed administrators");
	sk_members_added(c, n, o, 3, "removed members");
	if (o != NULL && !sk_f_eq(o, n, 1)) {
		cs_buf_adds(&c->detail, ", group password changed");
		sk_raise(c, admin ? CS_SEV_HIGH : CS_SEV_LOW, R_GRPPASS,
		    T_MANIP);
	}
	if (o == NULL && sk_user_added(c, n))
		sk_raise(c, CS_SEV_LOW, R_PARTOF, T_CREATE);
	sk_raise(c, CS_SEV_LOW, o == NULL ? R_GRPADD : R_GRPCHG, T_MANIP);
}

void
cs_sk_cmp_gshadow(struct cs_sk_cmp *c)
{
	sk_merge(c, sk_pair_gshadow);
}

/* shadow: name:pw:lastchg:min:max:warn:inact:expire */
static void
sk_pair_shadow(struct cs_sk_cmp *c, const struct cs_sk_ent *o,
    const struct cs_sk_ent *n)
{
	size_t	 k;
	int	 aging = 0;

	if (n == NULL) {
		sk_line(c, "removed shadow entry", o);
		sk_raise(c, CS_SEV_LOW, R_USERDEL, T_REMOVAL);
		return;
	}
	if (o == NULL) {
		sk_line(c, "added shadow entry", n);
		if (sk_f_is(n, 1, ""))
			sk_raise(c, CS_SEV_HIGH, R_NOPASS, T_MANIP);
		if (sk_user_added(c, n))
			sk_raise(c, CS_SEV_LOW, R_PARTOF, T_CREATE);
		else
			sk_raise(c, CS_SEV_MEDIUM, R_SYSADD, T_CREATE);
		return;
	}
	sk_line(c, "changed shadow entry", n);
	sk_pw_change(c, o, n, 1, sk_uid_of(c, n));
	for (k = 2; k < 8; k++)
		aging |= !sk_f_eq(o, n, k);
	if (aging) {
		cs_buf_adds(&c->detail, ", aging ");
		for (k = 2; k < 8; k++) {
			sk_put(c, o, k);
			cs_buf_adds(&c->detail, k < 7 ? ":" : " -> ");
		}
		for (k = 2; k < 8; k++) {
			sk_put(c, n, k);
			if (k < 7)
				cs_buf_addc(&c->detail, ':');
		}
		sk_raise(c, CS_SEV_LOW, R_AGING, T_MANIP);
	}
}

void
cs_sk_cmp_shadow(struct cs_sk_cmp *c)
{
	sk_merge(c, sk_pair_shadow);
}

/* subuid, subgid: owner:start:count */
static void
sk_pair_subid(struct cs_sk_cmp *c, const struct cs_sk_ent *o,
    const struct cs_sk_ent *n)
{
	const struct cs_sk_ent	*x = n != NULL ? n : o;

	sk_line(c, n == NULL ? "removed range" : o == NULL ? "added range" :
	    "changed range", x);
	cs_buf_addc(&c->detail, ':');
	sk_put(c, x, 1);
	cs_buf_addc(&c->detail, ':');
	sk_put(c, x, 2);
	if (n == NULL)
		sk_raise(c, CS_SEV_LOW, R_SUBID, T_MANIP);
	else if (o == NULL && sk_user_added(c, n))
		sk_raise(c, CS_SEV_LOW, R_PARTOF, T_CREATE);
	else
		sk_raise(c, CS_SEV_MEDIUM, R_SUBID, T_MANIP);
}

void
cs_sk_cmp_subid(struct cs_sk_cmp *c)
{
	sk_merge(c, sk_pair_subid);
}

/* wtmp, btmp: record count, zeroed records, last time, times back. */
void
cs_sk_cmp_utmp(struct cs_sk_cmp *c)
{
	const struct cs_sk_tab	*o = &c->o, *n = &c->n;

	if (o->un == n->un && o->uzero == n->uzero && o->ulast == n->ulast &&
	    o->uback == n->uback && (c->f->attrs & CS_ABIT(CS_A_PREFIX)) == 0)
		return;
	cs_buf_printf(&c->detail, "records %" PRIu64 " -> %" PRIu64
	    ", zeroed %" PRIu64 " -> %" PRIu64 ", last time %" PRId64
	    " -> %" PRId64, o->un, n->un, o->uzero, n->uzero, o->ulast,
	    n->ulast);
	if (n->un < o->un || n->uzero > o->uzero ||
	    (c->f->attrs & CS_ABIT(CS_A_PREFIX)))
		sk_raise(c, CS_SEV_HIGH, R_WIPED, T_CLEAR);
	if (n->uback > o->uback)
		sk_raise(c, CS_SEV_LOW, R_BACKTIME, NULL);
	sk_raise(c, CS_SEV_INFO, R_LOGINS, NULL);
}

/* lastlog: uid:time of each non-empty slot. */
static void
sk_pair_lastlog(struct cs_sk_cmp *c, const struct cs_sk_ent *o,
    const struct cs_sk_ent *n)
{
	int64_t	 to, tn;

	sk_line(c, n == NULL ? "zeroed slot of uid" : o == NULL ?
	    "new slot of uid" : "changed slot of uid", n != NULL ? n : o);
	if (n == NULL) {
		sk_raise(c, CS_SEV_HIGH, R_LLWIPED, T_CLEAR);
		return;
	}
	cs_buf_adds(&c->detail, ", time ");
	if (o != NULL) {
		sk_put(c, o, 1);
		cs_buf_adds(&c->detail, " -> ");
	}
	sk_put(c, n, 1);
	to = o != NULL ? (int64_t)sk_f_num(o, 1) : 0;
	tn = (int64_t)sk_f_num(n, 1);
	if (o != NULL && tn < to)
		sk_raise(c, CS_SEV_HIGH, R_LLWIPED, T_CLEAR);
	sk_raise(c, CS_SEV_INFO, R_LOGINS, NULL);
}

void
cs_sk_cmp_lastlog(struct cs_sk_cmp *c)
{
	sk_merge(c, sk_pair_lastlog);
}

void
cs_sk_cmp_logindefs(struct cs_sk_cmp *c)
{
	if (c->o.has_uid_min == c->n.has_uid_min &&
	    c->o.uid_min == c->n.uid_min)
		return;
	cs_buf_printf(&c->detail, "UID_MIN %" PRIu64 " -> %" PRIu64,
	    c->o.has_uid_min ? c->o.uid_min : SK_UID_MIN,
	    c->n.has_uid_min ? c->n.uid_min : SK_UID_MIN);
	sk_raise(c, CS_SEV_MEDIUM, R_UIDMIN, T_MANIP);
	c->noexplain = 1;
}

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
	sk_tab_release(&st->pw_old);
	sk_tab_release(&st->pw_new);
	sk_tab_release(&st->gr_new);
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
	struct sk_prim		*p;
	int			 side;

	if (st == NULL)
		return;
	for (side = 0; kind == CS_S_LOGINDEFS && side < 2; side++) {
		sk_tab_load(&t, side ? new : old, kind);
		if (t.has_uid_min && (!st->has_uid_min || t.uid_min >
		    st->uid_min)) {
			st->uid_min = t.uid_min;
			st->has_uid_min = 1;
		}
		sk_tab_release(&t);
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
		sk_tab_release(&st->pw_old);
		sk_tab_release(&st->pw_new);
		sk_tab_load(&st->pw_old, old, kind);
		sk_tab_load(&st->pw_new, new, kind);
	} else if (kind == CS_S_GROUP) {
		sk_tab_release(&st->gr_new);
		sk_tab_load(&st->gr_new, new, kind);
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
static const struct sk_prim *
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
	const struct sk_prim	*p;
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
		sk_raise(c, CS_SEV_HIGH, R_BADLINE, T_MANIP);
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
	const struct sk_prim	*prim;
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
	sk_tab_load(&c.n, f->new, kind);
	if (f->old != NULL)
		sk_tab_load(&c.o, f->old, kind);
	else if ((prim = sk_primary(st, f->new)) != NULL)
		/* a new backup: what changed since the baselined primary */
		sk_tab_parse(&c.o, prim->sdata, prim->sdatalen, kind);
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
	sk_tab_release(&c.o);
	sk_tab_release(&c.n);
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
		    strcmp(fs[i]->floor_reason, R_PARTOF) != 0 ||
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
