/*
 * vendor.h: comparing a tree with a baseline of vendor packages.
 *
 * A vendor baseline (its header says "source=packages") holds what signed
 * packages ship, by the paths the packages name.  The examined root
 * installs them through its own mapping: top-level links (merged-/usr:
 * /bin -> usr/bin), dpkg diversions, dpkg-statoverride entries and the
 * /etc/alternatives links; and its dpkg status says which versions it
 * has.  All of that is read from the examined root and is hostile input:
 * it only maps paths and explains owners and modes, and each use of it is
 * counted and named in the report (cs_vmap_notes).
 *
 * The vendor view (cs_vendor_view) is the vendor baseline's records
 * mapped onto the examined root's paths, re-sorted into canonical order
 * with the spilling sorter (sort.h) and merged where several records land
 * on one path.  It carries no inode numbers, times, ACLs or inode flags.
 *
 * A source of another vendor format (RPM) would give the same records:
 * its header's digests and signature verified first, then per-file
 * digests, modes, owners and the package, version and architecture.
 */
#ifndef CUSTOS_VENDOR_H
#define CUSTOS_VENDOR_H

#include <stddef.h>
#include <stdint.h>

struct cs_diff_stats;
struct cs_entry;
struct cs_err;
struct cs_finding;
struct cs_policy;
struct cs_source;
struct cs_vmap;

/* What a vendor source carries (CS_G_*, policy.h). */
#define CS_VENDOR_CARRIES	(CS_G_CONTENT | CS_G_PERMS | CS_G_OWNER | \
				 CS_G_XATTR | CS_G_LINK)

/* A dpkg-statoverride entry of the examined root. */
struct cs_vmap_override {
	char		*path;
	char		*user;
	char		*group;
	uint32_t	 mode;
	uint64_t	 uses;
};

/*
 * The mapping of the tree at ROOT: never fails on what the tree holds
 * (what cannot be read or parsed is left out, and said in the notes);
 * NULL with ERR only if ROOT is not a directory.  A NULL ROOT (no
 * tree examined) maps nothing.
 */
struct cs_vmap	*cs_vmap_load(const char *, struct cs_err *);
void		 cs_vmap_free(struct cs_vmap *);
/*
 * Where the examined root keeps what package PKG (or NULL) ships as
 * PATH (LEN bytes): a heap path and its length in *OUTLEN, or NULL when
 * it is PATH itself.  Uses are counted.
 */
char		*cs_vmap_map(struct cs_vmap *, const char *, size_t,
		    const char *, size_t *);
/*
 * If PATH is a top-level link of the examined root that the mapping
 * follows (/bin -> usr/bin), its target as read; else NULL.
 */
const char	*cs_vmap_toplink(const struct cs_vmap *, const char *,
		    size_t *);
/* The statoverride entry for PATH, or NULL (a use is counted). */
struct cs_vmap_override *cs_vmap_override(struct cs_vmap *, const char *);
/*
 * Nonzero if a link to TARGET (LEN bytes) is one of the alternatives
 * system's: TARGET is /etc/alternatives/NAME and the root has that link.
 */
int		 cs_vmap_alternative(struct cs_vmap *, const char *, size_t);
/* The version of PKG the root's dpkg status says is installed, or NULL. */
const char	*cs_vmap_installed(const struct cs_vmap *, const char *);
/*
 * That version, if the vendor baseline holds it (known once the vendor
 * view has been read: cs_vmap_check_available), or NULL.
 */
const char	*cs_vmap_installed_available(const struct cs_vmap *,
		    const char *);
/*
 * Nonzero if PATH (a path of the examined root) is listed by the root's
 * dpkg as a file of an installed package whose version the vendor
 * baseline does not have (see cs_vmap_check_available), or is one of
 * that package's control files in dpkg's database (but its .list).
 */
int		 cs_vmap_listed_unavailable(const struct cs_vmap *,
		    const char *);
/*
 * Mark each package the root's dpkg says is installed at a version for
 * which HAS(ARG, PACKAGE, VERSION) is 0 (not in the vendor baseline):
 * its files are not compared, and the root's list of them is read.
 */
void		 cs_vmap_check_available(struct cs_vmap *,
		    int (*)(void *, const char *, const char *), void *);
/*
 * The report's lines on the mapping: each link, diversion, override and
 * alternative used, and each package whose version was not available.
 * Calls NOTE with each line (heap, taken over).
 */
void		 cs_vmap_notes(const struct cs_vmap *,
		    void (*)(void *, char *), void *);

/* Why a vendor record was not compared (its finding's why_not). */
#define CS_VENDOR_UNAVAILABLE	"package version not available"
#define CS_VENDOR_UNVERIFIED	"only a package that did not verify " \
				"ships this content"

/*
 * The vendor view of the vendor baseline BASE (taken over) through MAP
 * (borrowed; it must outlive the view), named PATH in reports.
 */
struct cs_source *cs_vendor_view(struct cs_source *, struct cs_vmap *,
		    const char *);
/*
 * Read the vendor baseline behind the view S now (it is otherwise read
 * on the first record), so that cs_vendor_view_ships can be asked.
 */
int		 cs_vendor_view_fill(struct cs_source *, struct cs_err *);
/*
 * Whether the view ARG (a filled view source) has a regular file at
 * E's path: a walk's hash_wanted (walk.h).  What no package ships has
 * nothing its content could be compared with.  Nonzero when unsure.
 */
int		 cs_vendor_view_ships(void *, const struct cs_entry *);
/*
 * What the walk of SB did not hash because no package ships it, as a
 * report warning (heap), or NULL if nothing or SB is not a walk.
 */
char		*cs_vendor_unhashed(const struct cs_source *);
/*
 * If the view SA sorted the vendor records through temporary files on
 * the filesystem of ROOT (the examined one), a report warning saying so
 * (heap); else NULL.
 */
char		*cs_vendor_view_written(const struct cs_source *, const char *);
/*
 * Before a vendor record OLD is compared with the tree's NEW: of the
 * versions shipped at that path, take the one NEW's content matches (if
 * several do, the installed one, says the root's dpkg, then one with
 * NEW's mode), and take NEW's owner ids where the names agree (owners
 * are compared by name, through the examined root's account files).
 * ARG is the map.
 */
void		 cs_vendor_prepare(void *, struct cs_entry *,
		    const struct cs_entry *);
/*
 * Rank the findings of a comparison with the vendor view: trojaned
 * programs, changed conffiles, unowned files, attributes set after
 * install, packages whose version is not available.
 */
void		 cs_vendor_triage(struct cs_finding **, size_t,
		    struct cs_vmap *, const struct cs_policy *,
		    struct cs_diff_stats *);
/*
 * Three-way: of the findings against a host baseline, those whose new
 * state a shipped version explains become "updated by P V" at info,
 * joined with the vendor view of BASE (taken over; LABEL names it) under
 * MAP, compared under the policy.  Counts what was explained in
 * *EXPLAINED.  -1 with ERR if the view fails.
 */
int		 cs_vendor_explain(struct cs_finding **, size_t,
		    struct cs_source *, const char *, struct cs_vmap *,
		    const struct cs_policy *, uint64_t *, struct cs_err *);
/* The restore command for a vendor record ("apt-get install ..."). */
char		*cs_vendor_restore(const struct cs_entry *);

#endif /* CUSTOS_VENDOR_H */
