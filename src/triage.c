/*
 * triage.c: rank findings by the rule table, and plan the rebuild.
 *
 * The engine applies triage_rules.c's ordered table to each finding:
 * the severity is the highest of the finding's base, a comparator's
 * floor and every matching rule, and the reasons follow the table's
 * order.  Rules marked TR_DEFER give way when the content is explained
 * (a comparator's floor, or a home directory's copy of /etc/skel).
 * Across findings it links new hard links to sensitive files and judges
 * the loader cache against the library changes beside it.
 */
#include "custos/custos.h"

#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/triage.h"
#include "custos/xmalloc.h"

#include "triage_int.h"

/* Reasons for the skeleton files Debian's shells install. */
static const char *const tr_skel_reasons[] = {
	"copy of /etc/skel/.bashrc (made by useradd -m)",
	"copy of /etc/skel/.profile (made by useradd -m)",
	"copy of /etc/skel/.bash_logout (made by useradd -m)",
	"copy of /etc/skel/.zshrc (made by useradd -m)",
	"copy of /etc/skel/.kshrc (made by useradd -m)",
	"copy of /etc/skel/.mkshrc (made by useradd -m)",
	"copy of /etc/skel/.cshrc (made by useradd -m)",
	"copy of /etc/skel/.tcshrc (made by useradd -m)",
	"copy of /etc/skel/.login (made by useradd -m)",
	"copy of /etc/skel/.logout (made by useradd -m)",
	NULL
};

/*
 * If F is a file added in a home directory whose content is that of the
 * same name in the baseline's /etc/skel (useradd -m copies it), the
 * reason that explains it; else NULL.
 */
static const char *
tr_skel(const struct cs_finding *f)
{
	const char	*const *r, *name;
	size_t		 n;

	if (f->kind != CS_K_ADDED || f->new->type != CS_T_FILE ||
	    f->copy_of == NULL || strncmp(f->copy_of, "/etc/skel/", 10) != 0)
		return NULL;
	if (!cs_path_match("/home/*/*", f->path) &&
	    strncmp(f->path, "/root/", 6) != 0)
		return NULL;
	name = cs_tr_base(f->copy_of);
	if (strcmp(name, cs_tr_base(f->shown)) != 0)
		return NULL;
	n = strlen(name);
	for (r = tr_skel_reasons; *r != NULL; r++) {
		if (strncmp(*r + 18, name, n) == 0 && (*r)[18 + n] == ' ')
			return *r;
	}
	return "copy of a file in /etc/skel (made by useradd -m)";
}

void
cs_triage(struct cs_finding *f)
{
	const char	*skel;
	size_t		 i;
	int		 sev, explained;

	f->nreasons = 0;
	explained = f->floor >= 0;
	if (f->base >= 0 && cs_tr_substantive(f))
		sev = f->base;
	else if (explained || !cs_tr_substantive(f))
		sev = CS_SEV_INFO;	/* the comparator's floor decides */
	else
		sev = CS_SEV_LOW;
	if (explained) {
		if (f->floor_reason != NULL)
			cs_finding_reason(f, f->floor_technique,
			    f->floor_reason);
		if (f->floor > sev)
			sev = f->floor;
		/*
		 * A comparator examined every change of the content: its
		 * floor replaces the base, even below it; rules on modes,
		 * owners, capabilities, flags and links still apply.
		 */
		if (f->flags & CS_FF_EXPLAINED)
			sev = f->floor;
	}
	if ((skel = tr_skel(f)) != NULL) {
		cs_finding_reason(f, NULL, skel);
		explained = 1;
	}
	for (i = 0; i < cs_tr_nrules; i++) {
		if ((explained && (cs_tr_rules[i].flags & TR_DEFER)) ||
		    !cs_tr_rules[i].match(f))
			continue;
		cs_finding_reason(f, cs_tr_rules[i].technique,
		    cs_tr_rules[i].reason);
		if (cs_tr_rules[i].sev > sev)
			sev = cs_tr_rules[i].sev;
	}
	if (f->danger_reason != NULL) {
		cs_finding_reason(f, f->danger_technique, f->danger_reason);
		if (sev < CS_SEV_HIGH)
			sev = CS_SEV_HIGH;
	}
	if (f->nreasons == 0 && !cs_tr_substantive(f))
		cs_finding_reason(f, NULL, f->kind == CS_K_CHANGED &&
		    f->old->type == CS_T_DIR ? "directory entries changed" :
		    "append-only file grew; old content intact");
	f->severity = sev;
}

unsigned
cs_triage_names(const struct cs_finding *f, const char **technique)
{
	size_t	 i;

	*technique = NULL;
	if (f->new == NULL || f->new->type != CS_T_FILE || f->floor >= 0 ||
	    tr_skel(f) != NULL)
		return 0;
	for (i = 0; i < cs_tr_nrules; i++) {
		if ((cs_tr_rules[i].flags & TR_NAMES) == 0 ||
		    cs_tr_rules[i].sev < CS_SEV_HIGH ||
		    !cs_tr_rules[i].match(f))
			continue;
		*technique = cs_tr_rules[i].technique;
		return cs_tr_rules[i].flags & (TR_NAMES | TR_DIRS);
	}
	return 0;
}

/*
 * ldconfig rewrites /etc/ld.so.cache when libraries or the loader's
 * configuration change: with such a change in the same comparison the
 * new cache is explained (low); without one, a changed cache is a way
 * to make programs load another library (high).
 */
static void
tr_ldcache(struct cs_finding **fs, size_t n, size_t libs)
{
	struct cs_finding	*cache = NULL;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (strcmp(fs[i]->path, "/etc/ld.so.cache") == 0)
			cache = fs[i];
		else if (cs_triage_is_library(fs[i]))
			libs++;
	}
	if (cache == NULL || cache->kind == CS_K_REMOVED ||
	    cache->kind == CS_K_NOTCMP || cache->floor >= 0 ||
	    !cs_tr_substantive(cache))
		return;
	if (libs > 0) {
		cache->floor = CS_SEV_LOW;
		cache->floor_reason = "loader cache rewritten by ldconfig: "
		    "libraries or loader configuration changed too";
		cache->floor_technique = NULL;
	} else {
		cache->floor = CS_SEV_HIGH;
		cache->floor_reason = "loader cache changed while no library "
		    "or loader configuration did";
		cache->floor_technique = "T1574.006";
	}
}

/* Order of findings by the inode of their new object. */
static int
tr_ino_cmp(const void *pa, const void *pb)
{
	const struct cs_entry	*a = (*(struct cs_finding *const *)pa)->new;
	const struct cs_entry	*b = (*(struct cs_finding *const *)pb)->new;

	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return 0;
}

/* The same, then in discovery order. */
static int
tr_ino_seq_cmp(const void *pa, const void *pb)
{
	const struct cs_finding	*a = *(struct cs_finding *const *)pa;
	const struct cs_finding	*b = *(struct cs_finding *const *)pb;
	int			 c;

	if ((c = tr_ino_cmp(pa, pb)) != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * A new hard link to a sensitive file whose link count went up: the
 * added object with that file's inode is named as linked to it.  The
 * sensitive files are few; they are sorted by inode and each added
 * object with links looked up, so that the work grows as N log N.
 */
static void
tr_links(struct cs_finding **fs, size_t n)
{
	struct cs_finding	**up = NULL, **hit, key;
	struct cs_entry		 ke;
	size_t			 i, nup = 0;
	struct cs_finding	*kp = &key;

	for (i = 0; i < n; i++) {
		if (!cs_tr_nlink_up(fs[i]) || !cs_tr_sensitive(fs[i]) ||
		    !(fs[i]->new->have & CS_F_INO))
			continue;
		if (up == NULL)
			/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
			up = cs_xreallocarray(NULL, n, sizeof *up);
		up[nup++] = fs[i];
	}
	if (nup == 0)
		return;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	qsort(up, nup, sizeof *up, tr_ino_seq_cmp);
	memset(&key, 0, sizeof key);
	memset(&ke, 0, sizeof ke);
	key.new = &ke;
	for (i = 0; i < n; i++) {
		if (fs[i]->kind != CS_K_ADDED || fs[i]->new->type != CS_T_FILE ||
		    fs[i]->new->nlink < 2 || !(fs[i]->new->have & CS_F_INO))
			continue;
		ke.dev = fs[i]->new->dev;
		ke.ino = fs[i]->new->ino;
		/* the first found of those with that inode */
		/* NOLINTNEXTLINE(bugprone-sizeof-expression): pointers */
		if ((hit = bsearch(&kp, up, nup, sizeof *up,
		    tr_ino_cmp)) == NULL)
			continue;
		while (hit > up && tr_ino_cmp(hit - 1, &kp) == 0)
			hit--;
		fs[i]->flags |= CS_FF_LINKSENS;
		free(fs[i]->related);
		fs[i]->related = cs_xstrdup((*hit)->shown);
	}
	free(up);
}

void
cs_triage_all(struct cs_finding **fs, size_t n)
{
	cs_triage_all_libs(fs, n, 0);
}

int
cs_triage_is_library(const struct cs_finding *f)
{
	return cs_tr_library(f) || cs_tr_match(cs_tr_g_loader, f->path);
}

void
cs_triage_all_libs(struct cs_finding **fs, size_t n, size_t libs)
{
	size_t	 i;

	tr_ldcache(fs, n, libs);
	tr_links(fs, n);
	for (i = 0; i < n; i++)
		cs_triage(fs[i]);
}

enum cs_plan
cs_triage_plan(const struct cs_finding *f, const char **why)
{
	const char	*p = f->path;

	*why = NULL;
	if (f->severity <= CS_SEV_INFO || f->kind == CS_K_NOTCMP)
		return CS_PLAN_NONE;
	if (cs_triage_sysdir(p) || cs_tr_match(cs_tr_g_modules, p) ||
	    (strncmp(p, "/usr/", 5) == 0 && strncmp(p, "/usr/local/", 11) != 0)) {
		*why = f->kind == CS_K_ADDED ? "not from vendor media: image, "
		    "then remove" : "program, library or vendor file: "
		    "reinstall from vendor media";
		return CS_PLAN_REINSTALL;
	}
	if (cs_tr_etcpath(p) || strncmp(p, "/usr/local/etc/", 15) == 0)
		*why = "configuration: review, restore from backup";
	else if (strncmp(p, "/var/log/", 9) == 0)
		*why = "log: keep as evidence, review";
	else if (strncmp(p, "/home/", 6) == 0 || strncmp(p, "/root/", 6) == 0)
		*why = "user data: review, restore from backup";
	else
		*why = "data: review, restore from backup";
	return CS_PLAN_REVIEW;
}
