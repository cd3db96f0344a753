/*
 * structured_cmp.c: compare two entry texts of a structured file, entry
 * by entry: which entries were added, removed or changed (printable
 * detail lines, every field encoded), and how dangerous that is (the
 * floor, its reason and ATT&CK technique).  What a comparator needs from
 * other files of the join (uids from passwd, UID_MIN, group members) is
 * in the cs_sstate (structured_state.c).
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
#define R_SUBID		"subordinate id range added or changed"
#define R_WIPED		"login records wiped"
#define R_LLWIPED	"lastlog entry zeroed or set back"
#define R_BACKTIME	"time goes backwards in new login records"
#define R_LOGINS	"new logins recorded"
#define R_UIDMIN	"UID_MIN changed"

#define T_CREATE	"T1136.001"
#define T_MANIP		"T1098"
#define T_REMOVAL	"T1531"
#define T_CLEAR		"T1070.002"

/* Groups whose members hold administrative power. */
static const char *const sk_admin_groups[] = {
	"root", "sudo", "adm", "wheel", "disk", "shadow", "staff", "docker",
	"lxd", "libvirt", NULL
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

void
cs_sk_tab_release(struct cs_sk_tab *t)
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
void
cs_sk_tab_parse(struct cs_sk_tab *t, const char *s, size_t sn, int kind)
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
void
cs_sk_tab_load(struct cs_sk_tab *t, const struct cs_entry *e, int kind)
{
	if (e == NULL || (e->have & CS_F_STRUCT) == 0)
		cs_sk_tab_parse(t, NULL, 0, kind);
	else
		cs_sk_tab_parse(t, e->sdata, e->sdatalen, kind);
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

void
cs_sk_raise(struct cs_sk_cmp *c, int sev, const char *reason, const char *tech)
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
			cs_sk_raise(c, CS_SEV_HIGH, R_ADMGRP, T_MANIP);
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
		/* not shown unchanged: judged as if it had changed */
		cs_buf_adds(&c->detail, ", password not comparable "
		    "(digests under different keys)");
		cs_sk_raise(c, uid < sk_uid_min(c) || sk_f_is(n, 0, "root") ?
		    CS_SEV_HIGH : CS_SEV_LOW, R_SYSPASS, T_MANIP);
		c->noexplain = 1;
		return;
	}
	cs_buf_adds(&c->detail, ", password changed");
	if (sk_f_is(n, k, "")) {
		cs_buf_adds(&c->detail, " to none");
		cs_sk_raise(c, CS_SEV_HIGH, R_NOPASS, T_MANIP);
	}
	if (uid < sk_uid_min(c) || sk_f_is(n, 0, "root"))
		cs_sk_raise(c, CS_SEV_HIGH, R_SYSPASS, T_MANIP);
	else
		cs_sk_raise(c, CS_SEV_LOW, R_USERPASS, T_MANIP);
}

/* passwd: name:pw:uid:gid:gecos:home:shell */
static void
sk_pair_passwd(struct cs_sk_cmp *c, const struct cs_sk_ent *o,
    const struct cs_sk_ent *n)
{
	uint64_t	 uid;

	if (n == NULL) {
		sk_line(c, "removed user", o);
		cs_sk_raise(c, CS_SEV_LOW, R_USERDEL, T_REMOVAL);
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
			cs_sk_raise(c, CS_SEV_CRITICAL, R_UID0, T_CREATE);
		if (sk_f_is(n, 1, ""))
			cs_sk_raise(c, CS_SEV_HIGH, R_NOPASS, T_MANIP);
		cs_sk_raise(c, CS_SEV_MEDIUM, uid >= sk_uid_min(c) ? R_USERADD :
		    R_SYSADD, T_CREATE);
		return;
	}
	sk_line(c, "changed user", n);
	if (sk_delta(c, "uid", o, n, 2) && uid == 0)
		cs_sk_raise(c, CS_SEV_CRITICAL, R_TOUID0, T_MANIP);
	if (sk_delta(c, "gid", o, n, 3) && sk_f_num(n, 3) == 0)
		cs_sk_raise(c, CS_SEV_HIGH, R_ACCTCHG, T_MANIP);
	sk_delta(c, "gecos", o, n, 4);
	if (sk_delta(c, "home", o, n, 5) | sk_delta(c, "shell", o, n, 6) ||
	    !sk_f_eq(o, n, 2) || !sk_f_eq(o, n, 3))
		cs_sk_raise(c, CS_SEV_MEDIUM, R_ACCTCHG, T_MANIP);
	sk_pw_change(c, o, n, 1, uid);
	cs_sk_raise(c, CS_SEV_LOW, R_ACCTCHG, T_MANIP);
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
		cs_sk_raise(c, CS_SEV_LOW, R_GRPCHG, T_MANIP);
		return;
	}
	admin = sk_admin_group(n, 1);
	sk_line(c, o == NULL ? "added group" : "changed group", n);
	if (o == NULL) {
		cs_buf_adds(&c->detail, ": gid ");
		sk_put(c, n, 1);
		if (sk_f_num(n, 1) == 0)
			cs_sk_raise(c, CS_SEV_CRITICAL, R_GID0, T_CREATE);
		cs_sk_raise(c, CS_SEV_LOW, R_GRPADD, T_CREATE);
	} else if (sk_delta(c, "gid", o, n, 1) && sk_f_num(n, 1) == 0)
		cs_sk_raise(c, CS_SEV_CRITICAL, R_GID0, T_MANIP);
	more = sk_members_added(c, o, n, 2, "added members");
	if (more && admin)
		cs_sk_raise(c, CS_SEV_HIGH, R_ADMGRP, T_MANIP);
	sk_members_added(c, n, o, 2, "removed members");
	cs_sk_raise(c, CS_SEV_LOW, R_GRPCHG, T_MANIP);
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
		cs_sk_raise(c, CS_SEV_LOW, R_GRPCHG, T_MANIP);
		return;
	}
	admin = sk_admin_group(n, -1);
	sk_line(c, o == NULL ? "added group" : "changed group", n);
	if ((sk_members_added(c, o, n, 2, "added administrators") |
	    sk_members_added(c, o, n, 3, "added members")) && admin)
		cs_sk_raise(c, CS_SEV_HIGH, R_ADMGRP, T_MANIP);
	sk_members_added(c, n, o, 2, "removed administrators");
	sk_members_added(c, n, o, 3, "removed members");
	if (o != NULL && !sk_f_eq(o, n, 1)) {
		cs_buf_adds(&c->detail, ", group password changed");
		cs_sk_raise(c, admin ? CS_SEV_HIGH : CS_SEV_LOW, R_GRPPASS,
		    T_MANIP);
	}
	if (o == NULL && sk_user_added(c, n))
		cs_sk_raise(c, CS_SEV_LOW, CS_SK_PARTOF, T_CREATE);
	cs_sk_raise(c, CS_SEV_LOW, o == NULL ? R_GRPADD : R_GRPCHG, T_MANIP);
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
		cs_sk_raise(c, CS_SEV_LOW, R_USERDEL, T_REMOVAL);
		return;
	}
	if (o == NULL) {
		sk_line(c, "added shadow entry", n);
		if (sk_f_is(n, 1, ""))
			cs_sk_raise(c, CS_SEV_HIGH, R_NOPASS, T_MANIP);
		if (sk_user_added(c, n))
			cs_sk_raise(c, CS_SEV_LOW, CS_SK_PARTOF, T_CREATE);
		else
			cs_sk_raise(c, CS_SEV_MEDIUM, R_SYSADD, T_CREATE);
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
		cs_sk_raise(c, CS_SEV_LOW, R_AGING, T_MANIP);
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
		cs_sk_raise(c, CS_SEV_LOW, R_SUBID, T_MANIP);
	else if (o == NULL && sk_user_added(c, n))
		cs_sk_raise(c, CS_SEV_LOW, CS_SK_PARTOF, T_CREATE);
	else
		cs_sk_raise(c, CS_SEV_MEDIUM, R_SUBID, T_MANIP);
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
		cs_sk_raise(c, CS_SEV_HIGH, R_WIPED, T_CLEAR);
	if (n->uback > o->uback)
		cs_sk_raise(c, CS_SEV_LOW, R_BACKTIME, NULL);
	if (c->f->flags & CS_FF_NOPREFIX) {
		cs_buf_adds(&c->detail, ", old records not verifiable");
		cs_sk_raise(c, CS_SEV_MEDIUM, "login records grew, old "
		    "records not verifiable", T_CLEAR);
	}
	cs_sk_raise(c, CS_SEV_INFO, R_LOGINS, NULL);
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
		cs_sk_raise(c, CS_SEV_HIGH, R_LLWIPED, T_CLEAR);
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
		cs_sk_raise(c, CS_SEV_HIGH, R_LLWIPED, T_CLEAR);
	cs_sk_raise(c, CS_SEV_INFO, R_LOGINS, NULL);
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
	cs_sk_raise(c, CS_SEV_MEDIUM, R_UIDMIN, T_MANIP);
	c->noexplain = 1;
}
