/*
 * triage_vendor.c: verdicts against the records of signed packages
 * (vendor.h), after the general triage (triage.c) ranked each finding.
 *
 * Against a vendor baseline: content that differs from every version
 * shipped is critical for programs, libraries, modules and maintainer
 * scripts (dpkg's database, deb_info.c), "review" for conffiles, what
 * the policy's changed= says for others (medium by default), with the
 * command that restores the package; a file no package ships is high
 * where programs, libraries and modules live, when it is an ELF object
 * or a script, or a maintainer script's name in dpkg's database, what
 * the policy's unowned= says for files that maintainer scripts (or
 * dpkg) make, else low; an owner, mode or
 * capability that a package's own scripts set (statoverride, postinst)
 * is what the policy's after-install= says, low by default; a package
 * whose installed version the baseline lacks is not compared.
 *
 * Three-way, with a host baseline: a finding whose new state a shipped
 * version matches is an upgrade ("updated by P V"), at info.  The
 * findings are joined with the vendor view through the one join
 * (join.h), the new states compared with the one comparator (diff.h).
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/deb.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/join.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/source.h"
#include "custos/triage.h"
#include "custos/vendor.h"
#include "custos/xmalloc.h"

#include "triage_int.h"
#include "vendor_int.h"

/* "HEAD P SEP V" of the version E holds, printable, or NULL. */
static char *
vendor_pv(const struct cs_entry *e, const char *head, const char *sep)
{
	struct vendor_ver	 v;
	char			*p, *ver, *r;

	cs_vendor_ver(e, 0, &v);
	if (v.package == NULL || v.version == NULL)
		return NULL;
	p = cs_encode_dup(v.package);
	ver = cs_encode_dup(v.version);
	r = cs_xasprintf("%s%s%s%s", head, p, sep, ver);
	free(p);
	free(ver);
	return r;
}

char *
cs_vendor_restore(const struct cs_entry *e)
{
	return vendor_pv(e, "apt-get install --reinstall ", "=");
}

void
cs_vendor_detail(struct cs_finding *f, char *line)
{
	char	*d;

	if (f->detail == NULL) {
		f->detail = line;
		return;
	}
	d = cs_xasprintf("%s\n%s", f->detail, line);
	free(f->detail);
	free(line);
	f->detail = d;
}

/* Start F's ranking over: SEV for REASON alone. */
static void
vendor_set(struct cs_finding *f, int sev, const char *reason)
{
	f->nreasons = 0;
	cs_finding_reason(f, NULL, reason);
	f->severity = sev;
}

/* Raise F to at least SEV for REASON. */
static void
vendor_raise(struct cs_finding *f, int sev, const char *technique,
    const char *reason)
{
	cs_finding_reason(f, technique, reason);
	if (f->severity < sev)
		f->severity = sev;
}

/* An ELF object or a script (by its first bytes). */
static int
vendor_code(const struct cs_entry *e)
{
	return e != NULL && e->type == CS_T_FILE && (e->have & CS_F_MAGIC) &&
	    e->magic != CS_MAGIC_NONE;
}

/* Where programs, libraries and kernel modules live. */
static int
vendor_codedir(const char *path)
{
	return cs_triage_sysdir(path) || cs_tr_match(cs_tr_g_modules, path);
}

int
cs_vendor_dangerous(const struct cs_entry *e)
{
	return e != NULL && e->type == CS_T_FILE && (vendor_code(e) ||
	    (e->mode & 06111) != 0 || e->caps != NULL);
}

/* A file, link or directory no package ships. */
static void
vendor_unowned(struct cs_finding *f, struct cs_vmap *map,
    const struct cs_rule *rule)
{
	const struct cs_entry	*e = f->new;
	int			 sev = rule->vendor[CS_VR_UNOWNED];

	if (cs_deb_info_script(cs_deb_info_kind(f->path))) {
		vendor_raise(f, CS_SEV_HIGH, "T1546.016", "no package ships "
		    "this maintainer script in dpkg's database: dpkg runs it "
		    "as root");
		return;
	}
	if (e->type == CS_T_LINK &&
	    cs_vmap_alternative(map, e->target, e->targetlen)) {
		vendor_set(f, CS_SEV_INFO, "link to an alternative "
		    "(update-alternatives; the examined root's "
		    "/etc/alternatives, untrusted)");
		return;
	}
	if (!cs_vendor_dangerous(e) && sev >= 0) {
		vendor_set(f, sev, sev >= CS_SEV_MEDIUM ? "no package ships "
		    "it (the policy's unowned= rule)" : "no package ships "
		    "it; made after install (the policy's unowned= rule)");
		return;
	}
	if (vendor_code(e))
		vendor_raise(f, CS_SEV_HIGH, "T1105", "no package ships this "
		    "ELF object or script");
	else if (vendor_codedir(f->path))
		vendor_raise(f, CS_SEV_HIGH, "T1105", "no package ships this "
		    "file where programs, libraries and modules live");
	else
		vendor_raise(f, CS_SEV_LOW, NULL, "no package ships it");
}

void
cs_vendor_content(struct cs_finding *f, const struct cs_entry *vrec,
    const struct cs_rule *rule)
{
	struct vendor_ver	 v;
	const char		*kind = cs_deb_info_kind(f->path);
	char			*named;
	int			 sev;

	cs_vendor_ver(vrec, 0, &v);
	free(f->restore);
	f->restore = cs_vendor_restore(vrec);
	if (v.conffile && f->restore != NULL) {
		/* dpkg keeps a changed conffile unless told to ask */
		named = cs_xasprintf("%s -o Dpkg::Options::=--force-confask",
		    f->restore);
		free(f->restore);
		f->restore = named;
	}
	if (v.conffile) {
		sev = rule->vendor[CS_VR_CONFFILE] >= 0 ?
		    rule->vendor[CS_VR_CONFFILE] : CS_SEV_MEDIUM;
		vendor_raise(f, sev, NULL, "conffile differs from what its "
		    "package shipped: review");
	} else if (cs_deb_info_script(kind))
		vendor_raise(f, CS_SEV_CRITICAL, "T1546.016",
		    cs_deb_info_why(kind));
	else if (vendor_code(f->new) || vendor_code(f->old) ||
	    vendor_codedir(f->path))
		vendor_raise(f, CS_SEV_CRITICAL, "T1554", "program, library "
		    "or module differs from every version its package "
		    "shipped: trojaned?");
	else {
		sev = rule->vendor[CS_VR_CHANGED] >= 0 ?
		    rule->vendor[CS_VR_CHANGED] : CS_SEV_MEDIUM;
		vendor_raise(f, sev, NULL, cs_deb_info_why(kind) != NULL ?
		    cs_deb_info_why(kind) : "differs from every version its "
		    "package shipped");
	}
	if ((named = vendor_pv(vrec, "shipped by ", " ")) != NULL)
		cs_vendor_detail(f, named);
}

/*
 * Nonzero if only attributes packages' scripts set changed, and what set
 * them explains it: the root's statoverride (untrusted: it only explains
 * an owner, group and mode it gives exactly), or the package's postinst
 * when its content is a signed version's and it names the file.
 */
static int
vendor_after(struct cs_finding *f, struct cs_vmap *map)
{
	struct cs_vmap_override	*o;
	unsigned		 meta = CS_ABIT(CS_A_MODE) | CS_ABIT(CS_A_UID) |
				    CS_ABIT(CS_A_GID);
	unsigned		 xattr = CS_ABIT(CS_A_XATTR) | CS_ABIT(CS_A_CAPS);
	char			*why;

	if (f->attrs == 0 || (f->attrs & ~(meta | xattr)) != 0)
		return 0;
	if (f->old != NULL && (why = cs_vmap_script_explains(map, f->old,
	    f->path)) != NULL) {
		cs_vendor_detail(f, why);
		return 1;
	}
	if ((o = cs_vmap_override(map, f->path)) == NULL)
		return 0;
	if ((f->new->mode & 07777) != o->mode ||
	    f->new->user == NULL || strcmp(f->new->user, o->user) != 0 ||
	    f->new->group == NULL || strcmp(f->new->group, o->group) != 0)
		return 0;
	o->uses++;
	return 1;
}

/* Is no version of E the one the root's dpkg says is installed? */
static int
vendor_not_installed(const struct cs_entry *e, const struct cs_vmap *map)
{
	struct vendor_ver	 v;
	const char		*inst;
	size_t			 i;

	for (i = 0; i < cs_vendor_nvers(e); i++) {
		cs_vendor_ver(e, i, &v);
		if (v.package == NULL || v.version == NULL ||
		    (inst = cs_vmap_installed(map, v.package)) == NULL ||
		    strcmp(inst, v.version) == 0)
			return 0;
	}
	return 1;
}

/* F is of a package version the vendor baseline lacks. */
static void
vendor_unavailable(struct cs_finding *f, struct cs_diff_stats *ds)
{
	ds->count[f->kind]--;
	ds->count[CS_K_NOTCMP]++;
	f->kind = CS_K_NOTCMP;
	f->why_not = CS_VENDOR_UNAVAILABLE;
	vendor_set(f, CS_SEV_LOW, "its package's installed version is not "
	    "in the vendor baseline");
}

/* One finding against the vendor view. */
static void
vendor_one(struct cs_finding *f, struct cs_vmap *map,
    const struct cs_policy *pol, struct cs_diff_stats *ds)
{
	struct cs_rule	 rule;
	int		 sev;

	cs_policy_eval(pol, f->path, &rule);
	if ((f->kind == CS_K_ADDED &&
	    cs_vmap_listed_unavailable(map, f->path)) ||
	    (f->kind == CS_K_REMOVED && vendor_not_installed(f->old, map)))
		vendor_unavailable(f, ds);
	else if (f->kind == CS_K_ADDED)
		vendor_unowned(f, map, &rule);
	else if (f->kind == CS_K_NOTCMP && f->old != NULL &&
	    f->old->error != NULL &&
	    strstr(f->old->error, CS_VENDOR_UNAVAILABLE) != NULL)
		vendor_unavailable(f, ds);
	else if (f->kind == CS_K_NOTCMP && f->old != NULL &&
	    f->old->error != NULL &&
	    strstr(f->old->error, CS_VENDOR_UNVERIFIED) != NULL) {
		f->why_not = CS_VENDOR_UNVERIFIED;
		vendor_raise(f, CS_SEV_MEDIUM, NULL, "its content is that of "
		    "a package kept with --allow-unverified: not vouched for");
	}
	else if (f->kind == CS_K_CHANGED && f->new->type == CS_T_FILE &&
	    (f->attrs & (CS_ABIT(CS_A_SIZE) | CS_ABIT(CS_A_DIGEST))))
		cs_vendor_content(f, f->old, &rule);
	else if (f->kind == CS_K_CHANGED && vendor_after(f, map)) {
		sev = rule.vendor[CS_VR_AFTER] >= 0 ? rule.vendor[CS_VR_AFTER] :
		    CS_SEV_LOW;
		/* a setuid or setgid bit an untrusted file explains */
		if ((f->new->mode & ~f->old->mode & 06000) && sev < CS_SEV_MEDIUM)
			sev = CS_SEV_MEDIUM;
		vendor_set(f, sev, "set after install, as packages' scripts "
		    "do (dpkg-statoverride, setcap in a postinst)");
	}
}

void
cs_vendor_triage(struct cs_finding **fs, size_t n, struct cs_vmap *map,
    const struct cs_policy *pol, struct cs_diff_stats *ds)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		vendor_one(fs[i], map, pol, ds);
}
