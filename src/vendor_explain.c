/*
 * vendor_explain.c: three-way checks (vendor.h, cs_vendor_explain).
 *
 * The findings of a comparison with a host baseline are put in canonical
 * order and read as a source, joined (join.h) with the vendor view.
 * Each new state (added, changed, type changed) with a vendor record at
 * its path is compared with that record by the comparator of every
 * check (diff.h), on what vendor records carry.  No difference: a signed
 * package version ships exactly this, the change is an upgrade ("updated
 * by P V") at info, unless it goes back to a version older than the one
 * the host baseline held (a downgrade, which keeps its severity).  A
 * changed file that no version explains is ranked as against a vendor
 * baseline (triage_vendor.c): a trojaned program stays critical.
 *
 * A removal is an upgrade when the package that shipped the path is
 * installed, says the root's dpkg (untrusted), at a version the vendor
 * baseline holds and which no longer ships it, and a version that did
 * is older.  Then the changes of dpkg's own database that the policy's
 * upgraded= rule names (status, the packages' file lists) are what those
 * upgrades wrote: a package's own files (info/P.*) only if P's upgrade
 * was explained, the shared ones if any was.  A new state of another
 * version than the one the root's dpkg says is installed is not
 * explained either, and once a package is seen going to an older or an
 * unknown version none of its changes is, nor the shared files of dpkg's
 * database: the explanations are settled after the whole join.  Memory:
 * the findings, which are in memory already, one record per side of the
 * join and the packages explained.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/deb.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/join.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/source.h"
#include "custos/vendor.h"
#include "custos/xmalloc.h"

#include "diff_int.h"
#include "vendor_int.h"

/* The findings as a source: records with only their paths. */
struct vexp_src {
	struct cs_finding	**fs;
	size_t			  n;
	size_t			  next;
};

static int
vexp_cmp(const void *a, const void *b)
{
	const struct cs_finding	*x = *(struct cs_finding *const *)a;
	const struct cs_finding	*y = *(struct cs_finding *const *)b;

	return cs_path_cmp(x->path, x->pathlen, y->path, y->pathlen);
}

/* The next finding's path; its index in the record's ino (private). */
static int
vexp_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct vexp_src	*s = impl;
	struct cs_entry	*e;

	(void)err;
	if (s->next == s->n)
		return 0;
	e = cs_entry_new();
	cs_entry_set_path(e, s->fs[s->next]->path, s->fs[s->next]->pathlen);
	e->ino = s->next++;
	*ep = e;
	return 1;
}

static void
vexp_close(void *impl)
{
	struct vexp_src	*s = impl;

	free(s->fs);
	free(s);
}

static const struct cs_source_ops vexp_ops = {
	"findings", vexp_next, vexp_close, NULL
};

/* A copy of E, through the baseline record encoding. */
static struct cs_entry *
vexp_dup(const struct cs_entry *e)
{
	struct cs_entry	*c = cs_entry_new();
	struct cs_buf	 b;
	const char	*why;

	cs_buf_init(&b);
	cs_bl_format(&b, e);
	if (b.len == 0 || cs_bl_parse(b.data, b.len - 1, c, &why) != 0) {
		cs_entry_free(c);
		c = NULL;
	}
	cs_buf_release(&b);
	return c;
}

/* Packages and versions, as "P\0V" strings, each once. */
struct vexp_pkgs {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

/* A change an upgrade explains, marked once the whole join is seen. */
struct vexp_pend {
	struct cs_finding	*f;
	char			*pkg;	/* NULL: an unnamed package */
	char			*ver;
	int			 removed;
};

/* What the join found. */
struct vexp {
	struct vexp_pkgs	 done;	/* versions of explained changes */
	struct vexp_pkgs	 bad;	/* to an older or unknown version */
	struct vexp_pend	*pend;
	size_t			 npend;
	size_t			 cappend;
};

/* The index of PKG (and VER, unless NULL) in P, or P's count. */
static size_t
vexp_pkgs_find(const struct vexp_pkgs *p, const char *pkg, const char *ver)
{
	size_t	 i;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->v[i], pkg) == 0 && (ver == NULL ||
		    strcmp(p->v[i] + strlen(p->v[i]) + 1, ver) == 0))
			break;
	}
	return i;
}

static void
vexp_pkgs_add(struct vexp_pkgs *p, const char *pkg, const char *ver)
{
	size_t	 lp = strlen(pkg), lv = strlen(ver);
	char	*k;

	if (vexp_pkgs_find(p, pkg, ver) < p->n)
		return;
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->v = cs_xreallocarray(p->v, p->cap, sizeof *p->v);
	}
	k = cs_xmalloc(lp + lv + 2);
	memcpy(k, pkg, lp + 1);
	memcpy(k + lp + 1, ver, lv + 1);
	p->v[p->n++] = k;
}

static void
vexp_pkgs_release(struct vexp_pkgs *p)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
}

/* F is explained by PKG VER (copied; PKG may be NULL), once all is seen. */
static void
vexp_pend_add(struct vexp *x, struct cs_finding *f, const char *pkg,
    const char *ver, int removed)
{
	struct vexp_pend	*p;

	if (x->npend == x->cappend) {
		x->cappend = x->cappend ? 2 * x->cappend : 64;
		x->pend = cs_xreallocarray(x->pend, x->cappend,
		    sizeof *x->pend);
	}
	p = &x->pend[x->npend++];
	p->f = f;
	p->pkg = pkg != NULL ? cs_xstrdup(pkg) : NULL;
	p->ver = pkg != NULL ? cs_xstrdup(ver) : NULL;
	p->removed = removed;
}

/* "P V", encoded (heap). */
static char *
vexp_pv(const char *pkg, const char *ver)
{
	char	*p = cs_encode_dup(pkg), *v = cs_encode_dup(ver), *r;

	r = cs_xasprintf("%s %s", p, v);
	free(p);
	free(v);
	return r;
}

/* The newest version of PKG in the record V that ships E, or NULL. */
static const char *
vexp_newest(const struct cs_entry *v, const char *pkg,
    const struct cs_entry *e)
{
	struct vendor_ver	 ver;
	const char		*best = NULL;
	size_t			 i;

	for (i = 0; i < cs_vendor_nvers(v); i++) {
		cs_vendor_ver(v, i, &ver);
		if (ver.package == NULL || ver.version == NULL ||
		    ver.unverified || strcmp(ver.package, pkg) != 0 ||
		    (e != NULL && !cs_vendor_same(&ver, e)))
			continue;
		if (best == NULL || cs_deb_vercmp(ver.version, best) > 0)
			best = ver.version;
	}
	return best;
}

/*
 * Is F's new state, which the vendor record V (prepared) ships, older
 * than the version the host baseline's state was?  Then F's detail says
 * so and its severity stays.
 */
static int
vexp_downgrade(struct cs_finding *f, const struct cs_entry *v)
{
	struct vendor_ver	 ver;
	const char		*now, *was;
	char			*pnow, *pwas;

	cs_vendor_ver(v, 0, &ver);
	if (ver.package == NULL || f->old == NULL ||
	    (now = vexp_newest(v, ver.package, f->new)) == NULL ||
	    (was = vexp_newest(v, ver.package, f->old)) == NULL ||
	    cs_deb_vercmp(now, was) >= 0)
		return 0;
	cs_finding_reason(f, NULL, "a signed package version older than "
	    "the one it replaced: a downgrade, not explained");
	pnow = vexp_pv(ver.package, now);
	pwas = vexp_pv(ver.package, was);
	cs_vendor_detail(f, cs_xasprintf("downgraded to %s from %s", pnow,
	    pwas));
	free(pnow);
	free(pwas);
	return 1;
}

/* F is an upgrade: REASON, and "updated by PV" (taken over) and MORE. */
static void
vexp_mark(struct cs_finding *f, const char *reason, char *pv,
    const char *more)
{
	f->flags |= CS_FF_UPDATED;
	f->severity = CS_SEV_INFO;
	f->nreasons = 0;
	cs_finding_reason(f, NULL, reason);
	free(f->detail);
	f->detail = cs_xasprintf("updated by %s%s", pv, more);
	free(pv);
}

/*
 * Does the vendor record V (taken over) ship F's new state exactly?  The
 * comparison is that of every check, on what V carries.  If not, a
 * changed file is ranked against V as a check of the packages would.
 */
static void
vexp_new(struct cs_finding *f, struct cs_entry *v, struct cs_vmap *map,
    const struct cs_policy *pol, struct vexp *x)
{
	struct cs_diff_opts	 opts;
	struct cs_finding	*g;
	struct cs_entry		*n;
	struct cs_rule		 rule;
	struct vendor_ver	 ver;
	const char		*inst;
	char			*pkg = NULL, *pver = NULL;
	int			 down;

	if ((n = vexp_dup(f->new)) == NULL) {
		cs_entry_free(v);
		return;
	}
	cs_vendor_prepare(map, v, n);
	cs_vendor_ver(v, 0, &ver);
	if (ver.package != NULL && ver.version != NULL) {
		pkg = cs_xstrdup(ver.package);
		pver = cs_xstrdup(ver.version);
	}
	memset(&opts, 0, sizeof opts);
	opts.policy = pol;
	opts.carried = CS_VENDOR_CARRIES;
	opts.created = INT64_MIN;
	cs_policy_eval(pol, f->path, &rule);
	rule.groups &= CS_VENDOR_CARRIES;
	rule.ignore = 0;
	down = v->error == NULL && vexp_downgrade(f, v);
	if (!down && pkg != NULL && (inst = cs_vmap_installed(map, pkg)) !=
	    NULL && strcmp(inst, pver) != 0) {
		cs_finding_reason(f, NULL, "what a signed version ships, but "
		    "not the version the examined root's dpkg says is "
		    "installed: not explained");
		down = 1;
	}
	if (down && pkg != NULL)
		vexp_pkgs_add(&x->bad, pkg, "");
	g = cs_diff_pair_cmp(v, n, NULL, &rule, &opts, v->digests & n->digests);
	if (g == NULL) {
		if (!down)
			vexp_pend_add(x, f, pkg, pver, 0);
		goto out;
	}
	/* a changed file no version ships: as a check of the packages */
	cs_policy_eval(pol, f->path, &rule);
	if (g->kind == CS_K_CHANGED && f->kind == CS_K_CHANGED &&
	    g->new->type == CS_T_FILE && f->old->type == CS_T_FILE &&
	    (g->attrs & (CS_ABIT(CS_A_SIZE) | CS_ABIT(CS_A_DIGEST))))
		cs_vendor_content(f, g->old, &rule);
	cs_finding_free(g);
out:
	free(pkg);
	free(pver);
}

/*
 * Was F, a removal, what an upgrade does?  The vendor record V (taken
 * over) names the packages that ship the path; one of them is installed,
 * says the root's dpkg, at a version the vendor baseline holds that
 * ships no record here, and a version that did is older.
 */
static void
vexp_removed(struct cs_finding *f, struct cs_entry *v,
    const struct cs_vmap *map, struct vexp *x)
{
	struct vendor_ver	 ver, w;
	const char		*inst, *was;
	size_t			 i, j, nv = cs_vendor_nvers(v);

	for (i = 0; i < nv; i++) {
		cs_vendor_ver(v, i, &ver);
		if (ver.package == NULL || ver.version == NULL ||
		    (inst = cs_vmap_installed_available(map,
		    ver.package)) == NULL)
			continue;
		for (j = 0; j < nv; j++) {
			cs_vendor_ver(v, j, &w);
			if (w.package != NULL && w.version != NULL &&
			    strcmp(w.package, ver.package) == 0 &&
			    strcmp(w.version, inst) == 0)
				break;
		}
		if (j < nv)
			break;	/* the installed version ships it */
		if ((was = vexp_newest(v, ver.package, f->old)) == NULL)
			was = vexp_newest(v, ver.package, NULL);
		if (was == NULL || cs_deb_vercmp(was, inst) > 0) {
			cs_finding_reason(f, NULL, "removed by installing an "
			    "older package version: a downgrade, not "
			    "explained");
			vexp_pkgs_add(&x->bad, ver.package, "");
		} else
			vexp_pend_add(x, f, ver.package, inst, 1);
		break;
	}
	cs_entry_free(v);
}

/*
 * Mark what the join explained, unless its package was also downgraded
 * or installed at a version no signed package has: then no change of
 * that package is an upgrade.
 */
static void
vexp_settle(struct vexp *x, uint64_t *explained)
{
	struct vexp_pend	*p;
	size_t			 i;

	for (i = 0; i < x->npend; i++) {
		p = &x->pend[i];
		if (p->pkg != NULL && vexp_pkgs_find(&x->bad, p->pkg,
		    NULL) < x->bad.n)
			cs_finding_reason(p->f, NULL, "its package went to an "
			    "older or an unknown version in this check: not "
			    "explained");
		else if (p->removed)
			vexp_mark(p->f, "removed by an upgrade: the version "
			    "the examined root's dpkg says is installed "
			    "(untrusted) is signed and no longer ships it",
			    vexp_pv(p->pkg, p->ver), ", which no longer ships "
			    "it");
		else
			vexp_mark(p->f, "updated by a signed package version: "
			    "an upgrade, not a trojan", p->pkg != NULL ?
			    vexp_pv(p->pkg, p->ver) : cs_xstrdup("a package"),
			    "");
		if (p->f->flags & CS_FF_UPDATED) {
			(*explained)++;
			if (p->pkg != NULL)
				vexp_pkgs_add(&x->done, p->pkg, p->ver);
		}
		free(p->pkg);
		free(p->ver);
	}
	free(x->pend);
}

/*
 * Which explained versions account for dpkg's file PATH, [*FROM, *TO):
 * of /var/lib/dpkg/info/P.list (or P:ARCH.list, ...) P's, unless P also
 * went to an older or unknown version; of the other files of its
 * database (status, locks) all, unless a package did.  0 if none does.
 */
static int
vexp_dpkg_pkgs(const struct vexp *x, const char *path, size_t *from,
    size_t *to)
{
	static const char	 info[] = "/var/lib/dpkg/info/";
	size_t			 i, l, bestl = 0;
	const char		*base;

	*from = 0;
	*to = x->done.n;
	if (strncmp(path, info, sizeof info - 1) != 0)
		return x->done.n > 0 && x->bad.n == 0;
	base = path + sizeof info - 1;
	for (i = 0; i < x->done.n; i++) {
		l = strlen(x->done.v[i]);
		if (l > bestl && strncmp(base, x->done.v[i], l) == 0 &&
		    (base[l] == '.' || base[l] == ':')) {
			*from = i;
			*to = i + 1;
			bestl = l;
		}
	}
	return bestl > 0 && vexp_pkgs_find(&x->bad, x->done.v[*from],
	    NULL) == x->bad.n;
}

/* "P V" of the explained versions [I, N) (heap). */
static char *
vexp_done_pv(const struct vexp_pkgs *done, size_t i, size_t n)
{
	struct cs_buf	 b;
	char		*pv;

	cs_buf_init(&b);
	for (; i < n; i++) {
		pv = vexp_pv(done->v[i], done->v[i] + strlen(done->v[i]) + 1);
		cs_buf_printf(&b, "%s%s", b.len > 0 ? ", " : "", pv);
		free(pv);
	}
	pv = cs_xstrdup(b.data != NULL ? b.data : "");
	cs_buf_release(&b);
	return pv;
}

/* Changes of dpkg's database that the explained upgrades account for. */
static void
vexp_dpkg(struct cs_finding **fs, size_t n, const struct cs_policy *pol,
    const struct vexp *x, uint64_t *explained)
{
	struct cs_finding	*f;
	struct cs_rule		 rule;
	size_t			 i, from, to;

	for (i = 0; i < n && x->done.n > 0; i++) {
		f = fs[i];
		if ((f->flags & CS_FF_UPDATED) || f->kind == CS_K_NOTCMP ||
		    cs_vendor_dangerous(f->old) || cs_vendor_dangerous(f->new))
			continue;
		cs_policy_eval(pol, f->path, &rule);
		if (rule.vendor[CS_VR_UPGRADED] < 0 ||
		    !vexp_dpkg_pkgs(x, f->path, &from, &to))
			continue;
		vexp_mark(f, "dpkg's own database, as the package upgrades "
		    "this check explains wrote it (the policy's upgraded= "
		    "rule)", vexp_done_pv(&x->done, from, to), "");
		f->severity = rule.vendor[CS_VR_UPGRADED];
		(*explained)++;
	}
}

int
cs_vendor_explain(struct cs_finding **fs, size_t n, struct cs_source *base,
    const char *label, struct cs_vmap *map, const struct cs_policy *pol,
    uint64_t *explained, struct cs_err *err)
{
	struct vexp_src		*s;
	struct vexp		 x;
	struct cs_source	*src, *view;
	struct cs_join		*join;
	struct cs_entry		*a, *b;
	struct cs_finding	*f;
	size_t			 i;
	int			 rc;

	*explained = 0;
	memset(&x, 0, sizeof x);
	s = cs_xcalloc(1, sizeof *s);
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	s->fs = cs_xcalloc(n + 1, sizeof *s->fs);
	for (i = 0; i < n; i++) {
		f = fs[i];
		if (f->kind == CS_K_NOTCMP)
			continue;
		/* a directory's listing is not what a package ships */
		if ((f->new != NULL && (f->new->type != CS_T_DIR ||
		    f->kind == CS_K_ADDED)) ||
		    (f->kind == CS_K_REMOVED && f->old != NULL))
			s->fs[s->n++] = f;
	}
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	qsort(s->fs, s->n, sizeof *s->fs, vexp_cmp);
	src = cs_source_new(&vexp_ops, s, "");
	view = cs_vendor_view(base, map, label);
	join = cs_join_new(src, view);
	while ((rc = cs_join_next(join, &a, &b, err)) == 1) {
		if (a != NULL && b != NULL) {
			f = s->fs[a->ino];
			if (f->new != NULL)
				vexp_new(f, b, map, pol, &x);
			else
				vexp_removed(f, b, map, &x);
		} else
			cs_entry_free(b);
		cs_entry_free(a);
	}
	cs_join_free(join);
	cs_source_free(src);
	cs_source_free(view);
	vexp_settle(&x, explained);
	if (rc == 0)
		vexp_dpkg(fs, n, pol, &x, explained);
	vexp_pkgs_release(&x.done);
	vexp_pkgs_release(&x.bad);
	return rc < 0 ? -1 : 0;
}
