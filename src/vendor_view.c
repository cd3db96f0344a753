/*
 * vendor_view.c: a vendor baseline seen through the examined root's
 * mapping (vendor.h).
 *
 * The view reads the whole vendor baseline on its first record: each
 * record's path is mapped (top-level links, diversions), the directory a
 * package ships where the root has its merged-/usr link becomes that
 * link, and the records go through the spilling sorter (sort.h), so
 * memory stays within its bound whatever the baseline's size.  Records
 * that land on one path (/bin/ls and /usr/bin/ls from two versions) are
 * merged into one with several versions.  Meanwhile the packages and
 * versions the baseline holds are collected (deduplicated as they come,
 * so their table grows with the packages, not the records), and at the
 * end the root's installed packages whose version is not among them are
 * marked unavailable in the map.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "custos/atomic.h"
#include "custos/deb.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/policy.h"
#include "custos/sort.h"
#include "custos/source.h"
#include "custos/vendor.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

#include "vendor_int.h"

/* Bytes of records the view holds before it spills a sorted run. */
#define VVIEW_SORT_BOUND	(2U * 1024 * 1024)

/* What the vendor baseline holds: "package\0version" strings. */
struct vview_seen {
	char		**v;
	size_t		  n;
	size_t		  cap;
	size_t		  uniq;		/* sorted and unique up to here */
};

/*
 * The paths where the view has a regular file, as 64-bit FNV-1a hashes
 * in an open-addressed table (0 marks a free slot): whether a package
 * ships a file at a path, asked for each file of the walk.  A collision
 * only makes a file hashed that need not be.
 */
struct vview_files {
	uint64_t	*slot;
	size_t		 mask;		/* slots - 1, a power of 2 less 1 */
	size_t		 n;
};

struct vview {
	struct cs_source	*base;
	struct cs_vmap		*map;
	struct cs_sort		*sort;
	struct cs_entry		*next;		/* read ahead from the sort */
	struct vview_seen	 seen;
	struct vview_files	 files;
	int			 filled;
};

static uint64_t
vview_hash(const char *p, size_t n)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h != 0 ? h : 1;
}

/* Put H in the table SLOT of MASK + 1 slots; 1 if it was not there. */
static int
vview_files_insert(uint64_t *slot, size_t mask, uint64_t h)
{
	size_t	 i;

	for (i = (size_t)h & mask; slot[i] != 0; i = (i + 1) & mask)
		if (slot[i] == h)
			return 0;
	slot[i] = h;
	return 1;
}

static void
vview_files_put(struct vview_files *t, uint64_t h)
{
	uint64_t	*slot;
	size_t		 i, oldn = t->slot != NULL ? t->mask + 1 : 0, mask;

	if (t->slot == NULL || 2 * (t->n + 1) > oldn) {
		mask = oldn > 0 ? 2 * oldn - 1 : 4095;
		slot = cs_xcalloc(mask + 1, sizeof *slot);
		for (i = 0; i < oldn; i++) {
			if (t->slot[i] != 0)
				(void)vview_files_insert(slot, mask, t->slot[i]);
		}
		free(t->slot);
		t->slot = slot;
		t->mask = mask;
	}
	t->n += (size_t)vview_files_insert(t->slot, t->mask, h);
}

static int
vview_files_has(const struct vview_files *t, uint64_t h)
{
	size_t	 i;

	if (t->slot == NULL)
		return 0;
	for (i = (size_t)h & t->mask; t->slot[i] != 0; i = (i + 1) & t->mask)
		if (t->slot[i] == h)
			return 1;
	return 0;
}

static int
vview_str_cmp(const void *a, const void *b)
{
	const char	*x = *(char *const *)a, *y = *(char *const *)b;
	int		 c;

	if ((c = strcmp(x, y)) != 0)
		return c;
	return strcmp(x + strlen(x) + 1, y + strlen(y) + 1);
}

/* Sort the table and drop repeats. */
static void
vview_seen_compact(struct vview_seen *s)
{
	size_t	 i, j;

	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, vview_str_cmp);
	for (i = j = 0; i < s->n; i++) {
		if (j > 0 && vview_str_cmp(&s->v[j - 1], &s->v[i]) == 0)
			free(s->v[i]);
		else
			s->v[j++] = s->v[i];
	}
	s->n = s->uniq = j;
}

static void
vview_seen_add(struct vview_seen *s, const char *pkg, const char *ver)
{
	size_t	 lp = strlen(pkg), lv = strlen(ver);
	char	*k;

	if (s->n > 0 && strcmp(s->v[s->n - 1], pkg) == 0 &&
	    strcmp(s->v[s->n - 1] + lp + 1, ver) == 0)
		return;
	if (s->n == s->cap) {
		if (s->n >= 2 * s->uniq + 4096) {
			vview_seen_compact(s);
			if (s->n < s->cap)
				goto add;
		}
		s->cap = s->cap ? 2 * s->cap : 256;
		s->v = cs_xreallocarray(s->v, s->cap, sizeof *s->v);
	}
add:
	k = cs_xmalloc(lp + lv + 2);
	memcpy(k, pkg, lp + 1);
	memcpy(k + lp + 1, ver, lv + 1);
	s->v[s->n++] = k;
}

/* Does the vendor baseline hold PKG at VERSION? (vmap callback) */
static int
vview_has(void *arg, const char *pkg, const char *ver)
{
	struct vview_seen	*s = arg;
	size_t			 lp = strlen(pkg), lv = strlen(ver);
	char			*k;
	int			 found;

	k = cs_xmalloc(lp + lv + 2);
	memcpy(k, pkg, lp + 1);
	memcpy(k + lp + 1, ver, lv + 1);
	found = s->n > 0 && bsearch(&k, s->v, s->n, sizeof *s->v,
	    vview_str_cmp) != NULL;
	free(k);
	return found;
}

/*
 * Where the root has E: its path mapped, or the merged-/usr link in
 * place of the directory the package ships there.
 */
static void
vview_map(struct vview *v, struct cs_entry *e)
{
	struct vendor_ver	 ver;
	const char		*raw;
	char			*mapped;
	size_t			 i, n;

	for (i = 0; i < cs_vendor_nvers(e); i++) {
		cs_vendor_ver(e, i, &ver);
		if (ver.package != NULL && ver.version != NULL)
			vview_seen_add(&v->seen, ver.package, ver.version);
	}
	e->have |= CS_F_META;	/* packages carry no ACLs or xattrs */
	if (e->type == CS_T_DIR &&
	    (raw = cs_vmap_toplink(v->map, e->path, &n)) != NULL) {
		/* merged-/usr: expected, not a type change */
		e->type = CS_T_LINK;
		e->mode = 0777;
		e->size = n;
		cs_entry_set_target(e, raw, n);
		return;
	}
	cs_vendor_ver(e, 0, &ver);
	mapped = cs_vmap_map(v->map, e->path, e->pathlen, ver.package, &n);
	if (mapped != NULL) {
		cs_entry_set_path(e, mapped, n);
		free(mapped);
	}
}

/* The signed content of a maintainer script, for vendor_scripts.c. */
static void
vview_scripts(struct vview *v, const struct cs_entry *e)
{
	struct vendor_ver	 ver;
	size_t			 i;

	if (e->type != CS_T_FILE ||
	    !cs_deb_info_script(cs_deb_info_kind(e->path)))
		return;
	for (i = 0; i < cs_vendor_nvers(e); i++) {
		cs_vendor_ver(e, i, &ver);
		if (ver.sha256 != NULL && !ver.unverified)
			cs_vmap_add_script(v->map, e->path, e->pathlen,
			    ver.sha256);
	}
}

/* Read the whole baseline into the sorter. */
static int
vview_fill(struct vview *v, struct cs_err *err)
{
	struct cs_entry	*e;
	int		 rc;

	v->filled = 1;
	while ((rc = cs_source_next(v->base, &e, err)) == 1) {
		vview_scripts(v, e);
		vview_map(v, e);
		if (e->type == CS_T_FILE)
			vview_files_put(&v->files, vview_hash(e->path,
			    e->pathlen));
		if (cs_sort_add(v->sort, e, err) != 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	vview_seen_compact(&v->seen);
	cs_vmap_check_available(v->map, vview_has, &v->seen);
	return cs_sort_next(v->sort, &v->next, err) < 0 ? -1 : 0;
}

static int
vview_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct vview	*v = impl;
	struct cs_entry	*e, *more;
	int		 rc;

	*ep = NULL;
	if (!v->filled && vview_fill(v, err) != 0)
		return -1;
	if ((e = v->next) == NULL)
		return 0;
	v->next = NULL;
	while ((rc = cs_sort_next(v->sort, &more, err)) == 1) {
		if (more->pathlen != e->pathlen ||
		    memcmp(more->path, e->path, e->pathlen) != 0) {
			v->next = more;
			break;
		}
		cs_vendor_merge(e, more);
		cs_entry_free(more);
	}
	if (rc < 0) {
		cs_entry_free(e);
		return -1;
	}
	*ep = e;
	return 1;
}

static void
vview_close(void *impl)
{
	struct vview	*v = impl;
	size_t		 i;

	cs_entry_free(v->next);
	cs_sort_free(v->sort);
	cs_source_free(v->base);
	for (i = 0; i < v->seen.n; i++)
		free(v->seen.v[i]);
	free(v->seen.v);
	free(v->files.slot);
	free(v);
}

static const struct cs_source_ops vview_ops = {
	"vendor", vview_next, vview_close, NULL
};

struct cs_source *
cs_vendor_view(struct cs_source *base, struct cs_vmap *map, const char *path)
{
	struct cs_source	*s;
	struct vview		*v;

	v = cs_xcalloc(1, sizeof *v);
	v->base = base;
	v->map = map;
	v->sort = cs_sort_new(VVIEW_SORT_BOUND);
	cs_sort_allow_dups(v->sort);
	s = cs_source_new(&vview_ops, v, path);
	cs_source_set_carries(s, CS_VENDOR_CARRIES);
	return s;
}

int
cs_vendor_view_fill(struct cs_source *s, struct cs_err *err)
{
	struct vview	*v = cs_source_impl(s, &vview_ops);

	if (v == NULL || v->filled)
		return 0;
	return vview_fill(v, err);
}

int
cs_vendor_view_ships(void *arg, const struct cs_entry *e)
{
	struct vview	*v = cs_source_impl(arg, &vview_ops);

	if (v == NULL || !v->filled)
		return 1;
	return vview_files_has(&v->files, vview_hash(e->path, e->pathlen));
}

/* Is V the version the root's dpkg says is installed (or unknown)? */
static int
vendor_installed(const struct cs_vmap *map, const struct vendor_ver *v)
{
	const char	*inst;

	if (v->package == NULL || v->version == NULL ||
	    (inst = cs_vmap_installed(map, v->package)) == NULL)
		return 1;
	return strcmp(inst, v->version) == 0;
}

/*
 * The id the tree's owner NEW (its NEWNAME from the root's accounts)
 * must have to be the package's owner OLD (OLDNAME): NEW itself when
 * the names agree; when they differ, OLD, or if NEW is OLD one NEW
 * cannot have (the largest id); OLD when the package names no owner.
 */
static uint32_t
vendor_owner(uint32_t old, const char *oldname, uint32_t new,
    const char *newname)
{
	if (oldname == NULL)
		return old;
	if (newname != NULL && strcmp(oldname, newname) == 0)
		return new;
	if (old != new)
		return old;
	return new != UINT32_MAX ? UINT32_MAX : 0;
}

int
cs_vendor_same(const struct vendor_ver *v, const struct cs_entry *new)
{
	return v->sha256 != NULL && new->type == CS_T_FILE &&
	    (new->digests & (1U << CS_D_SHA256)) &&
	    v->size == new->size &&
	    memcmp(v->sha256, new->digest[CS_D_SHA256], 32) == 0;
}

void
cs_vendor_prepare(void *arg, struct cs_entry *old, const struct cs_entry *new)
{
	struct cs_vmap		*map = arg;
	struct vendor_ver	 v;
	size_t			 i, n = cs_vendor_nvers(old), pick = n;
	int			 score, best = -1;

	/* owners by name, as dpkg installs them */
	old->uid = vendor_owner(old->uid, old->user, new->uid, new->user);
	old->gid = vendor_owner(old->gid, old->group, new->gid, new->group);
	if (old->type != CS_T_FILE || new->type != CS_T_FILE)
		return;
	/*
	 * of the versions that ship this content, the installed one, and
	 * of those one with NEW's mode
	 */
	for (i = 0; i < n; i++) {
		cs_vendor_ver(old, i, &v);
		if (v.unverified || !cs_vendor_same(&v, new))
			continue;
		score = 2 * vendor_installed(map, &v) +
		    (v.mode == (new->mode & 07777));
		if (pick == n || score > best) {
			pick = i;
			best = score;
		}
	}
	/* a match with what did not verify vouches for nothing */
	for (i = 0; i < n && pick == n; i++) {
		cs_vendor_ver(old, i, &v);
		if (v.unverified && cs_vendor_same(&v, new)) {
			cs_vendor_take(old, i);
			cs_entry_add_error(old, "%s", CS_VENDOR_UNVERIFIED);
			return;
		}
	}
	/* no match: the installed version's is the one that differs */
	for (i = 0; i < n && pick == n; i++) {
		cs_vendor_ver(old, i, &v);
		if (vendor_installed(map, &v))
			pick = i;
	}
	if (pick == n) {
		cs_entry_add_error(old, "%s", CS_VENDOR_UNAVAILABLE);
		return;
	}
	cs_vendor_take(old, pick);
}

char *
cs_vendor_unhashed(const struct cs_source *sb)
{
	const struct cs_walk	*w = cs_source_walk(sb);

	if (w == NULL || cs_walk_stats(w)->unhashed == 0)
		return NULL;
	return cs_xasprintf("%" PRIu64 " files that no package ships (%.1f "
	    "MiB) were not hashed: nothing could be compared with their "
	    "content; their type, metadata and first bytes were examined "
	    "(--hash-unowned hashes them)", cs_walk_stats(w)->unhashed,
	    (double)cs_walk_stats(w)->unhashed_bytes / 1048576.0);
}

char *
cs_vendor_view_written(const struct cs_source *sa, const char *root)
{
	static const char def[] = "/tmp";	/* as cs_tmpfile's */
	struct vview	*v = cs_source_impl(sa, &vview_ops);
	const char	*dir = cs_tmpdir(def);
	struct stat	 a, b;
	size_t		 n;

	/* where cs_tmpfile made the sorted runs */
	if (v == NULL || root == NULL || (n = cs_sort_runs(v->sort)) == 0 ||
	    stat(dir, &a) != 0 || stat(root, &b) != 0 || a.st_dev != b.st_dev)
		return NULL;
	return cs_xasprintf("the vendor records were sorted through %zu "
	    "unlinked temporary file%s in %s, on the filesystem examined: "
	    "their blocks may have held deleted data (set TMPDIR to other "
	    "media)", n, n == 1 ? "" : "s", dir == def ? def : "$TMPDIR");
}
