/*
 * policy.h: which attributes are compared where, and special rules
 * (doc/custos-policy.5).
 *
 * A policy is an ordered list of lines "GLOB RULE[,RULE...]".  Every line
 * whose glob matches a path applies, in file order, on top of the
 * defaults, so a later line overrides an earlier one.  The result for one
 * path is a struct cs_rule.  A policy is read-only once parsed, so it may
 * be evaluated from several threads.
 */
#ifndef CUSTOS_POLICY_H
#define CUSTOS_POLICY_H

#include <stddef.h>
#include <stdint.h>

struct cs_err;
struct cs_policy;

/* Severities, in increasing order of danger. */
enum cs_sev {
	CS_SEV_INFO = 0,
	CS_SEV_LOW,
	CS_SEV_MEDIUM,
	CS_SEV_HIGH,
	CS_SEV_CRITICAL,
	CS_SEV_COUNT
};

/* Attribute groups (the policy's "+NAME" and "-NAME"). */
#define CS_G_CONTENT	0x001	/* size and digests */
#define CS_G_PERMS	0x002	/* mode, with setuid, setgid, sticky */
#define CS_G_OWNER	0x004	/* uid and gid (names are informational) */
#define CS_G_TIMES	0x008	/* mtime */
#define CS_G_CTIME	0x010	/* ctime: noisy, off by default */
#define CS_G_INODE	0x020	/* inode number and link count */
#define CS_G_ACL	0x040	/* access and default ACLs */
#define CS_G_XATTR	0x080	/* extended attributes and capabilities */
#define CS_G_FLAGS	0x100	/* inode flags (immutable, append-only) */
#define CS_G_LINK	0x200	/* symlink target and device numbers */
#define CS_G_ALL	0x3ff
#define CS_G_DEFAULT	(CS_G_ALL & ~CS_G_CTIME)
/*
 * Informational, not in "all": compared only when a policy asks, and
 * only where both records have it (no source declares carrying it).
 */
#define CS_G_BTIME	0x400	/* birth time */

/*
 * Severities of verdicts against vendor packages (vendor.h), set by
 * "unowned=SEV", "conffile=SEV", "after-install=SEV", "upgraded=SEV"
 * and "changed=SEV": a file no package ships, a changed conffile, an
 * attribute set after install, in a three-way check a change of dpkg's
 * own database that the package upgrades explained in the same check
 * account for, and other content that differs from what was shipped.
 */
enum cs_vrule {
	CS_VR_UNOWNED = 0,
	CS_VR_CONFFILE,
	CS_VR_AFTER,
	CS_VR_UPGRADED,
	CS_VR_CHANGED,
	CS_VR_COUNT
};

/* What the policy says about one path. */
struct cs_rule {
	unsigned	 groups;	/* CS_G_* compared */
	int		 ignore;	/* not compared, not reported */
	int		 append_only;	/* old content must be a prefix */
	int		 severity;	/* base severity, or -1 for default */
	int		 structured;	/* enum cs_skind (structured.h), or 0 */
	int		 vendor[CS_VR_COUNT];	/* severity, or -1 */
};

/* An empty policy: the defaults (CS_G_DEFAULT) everywhere. */
struct cs_policy *cs_policy_new(const char *);
/*
 * Add the lines of TEXT (N bytes) to P.  Errors read "NAME:LINE: reason"
 * with CS_EXIT_DATAERR.
 */
int		 cs_policy_parse(struct cs_policy *, const char *, size_t,
		    struct cs_err *);
/* Read a policy file. */
struct cs_policy *cs_policy_load(const char *, struct cs_err *);
/*
 * The default policy: $(sysconfdir)/custos/default.policy if it exists
 * ($CUSTOS_SYSCONFDIR in place of $(sysconfdir) when set), else the
 * built-in defaults (CS_G_DEFAULT everywhere, nothing ignored).
 */
struct cs_policy *cs_policy_default(struct cs_err *);
void		 cs_policy_free(struct cs_policy *);
/* Where the policy came from (file name or "built-in"). */
const char	*cs_policy_name(const struct cs_policy *);
/* Nonzero if some line sets append-only. */
int		 cs_policy_has_append(const struct cs_policy *);
/* Nonzero if some line sets structured=KIND. */
int		 cs_policy_has_structured(const struct cs_policy *);
/* Only the structured= kind of PATH (what cs_policy_eval says, faster). */
int		 cs_policy_structured(const struct cs_policy *, const char *);
/* The rule for a canonical PATH (NUL-terminated). */
void		 cs_policy_eval(const struct cs_policy *, const char *,
		    struct cs_rule *);
/* The same, counting in HITS[i] (one per line) the lines that match. */
void		 cs_policy_eval_hits(const struct cs_policy *, const char *,
		    struct cs_rule *, uint64_t *);
/* The number of rule lines. */
size_t		 cs_policy_count(const struct cs_policy *);
/*
 * The lines whose HITS are 0, as "FILE:LINE 'GLOB', ..." (encoded; heap
 * string), or NULL when every line matched something.  Lines with only
 * vendor verdicts (CS_VR_*) are left out: they are about files that no
 * package ships, in no baseline.
 */
char		*cs_policy_unmatched(const struct cs_policy *,
		    const uint64_t *);

/* "info", "low", "medium", "high", "critical". */
const char	*cs_sev_name(int);
/* Name to severity, or -1. */
int		 cs_sev_lookup(const char *, size_t);
/* Group name ("content", ...) to CS_G_* bit(s), or 0. */
unsigned	 cs_group_lookup(const char *, size_t);

#endif /* CUSTOS_POLICY_H */
