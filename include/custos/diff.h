/*
 * diff.h: the comparison of two record streams, and findings.
 *
 * Both streams are in canonical order (source.h), so the join (join.h),
 * always advancing the side with the smaller path, pairs every path with
 * its counterpart: linear time, and memory bounded by what the sources hold
 * (the walker's depth and widest directory), not by the tree's size.
 * Each pair that differs under the policy becomes a cs_finding; the
 * findings are kept by the caller for triage and the report.
 */
#ifndef CUSTOS_DIFF_H
#define CUSTOS_DIFF_H

#include <stddef.h>
#include <stdint.h>

struct cs_content;
struct cs_entry;
struct cs_err;
struct cs_key;
struct cs_policy;
struct cs_sink;
struct cs_source;
struct cs_sstate;

enum cs_kind {
	CS_K_ADDED = 0,		/* in the source only */
	CS_K_REMOVED,		/* in the baseline only */
	CS_K_CHANGED,		/* in both, attributes differ */
	CS_K_TYPE,		/* in both, type differs */
	CS_K_NOTCMP,		/* should have been compared and was not */
	CS_K_COUNT
};

/* Attributes a finding can name; ordered as they are reported. */
enum cs_attr {
	CS_A_TYPE = 0,
	CS_A_SIZE,
	CS_A_DIGEST,		/* name: the algorithm */
	CS_A_PREFIX,		/* append-only: old content not a prefix */
	CS_A_MODE,
	CS_A_UID,
	CS_A_GID,
	CS_A_MTIME,
	CS_A_CTIME,
	CS_A_INO,
	CS_A_NLINK,
	CS_A_TARGET,
	CS_A_RDEV,
	CS_A_ACL,
	CS_A_DACL,
	CS_A_CAPS,
	CS_A_XATTR,		/* name: the attribute's name, encoded */
	CS_A_IFLAGS,
	CS_A_BTIME,		/* only with +btime (policy.h) */
	CS_A_COUNT
};

#define CS_ABIT(a)	(1U << (a))

/* Finding flags. */
#define CS_FF_TIMESTOMP	0x01	/* content changed, mtime kept or older */
#define CS_FF_APPENDED	0x02	/* append-only file grew, prefix intact */
#define CS_FF_LINKSENS	0x04	/* new hard link to a sensitive file */
#define CS_FF_NOPREFIX	0x08	/* append-only: no prefix digest, whole
				   file compared */
#define CS_FF_NAMED	0x10	/* named by a start-up file (related) */
#define CS_FF_EXPLAINED	0x20	/* a comparator of structured content
				   examined every change: floor is final */
#define CS_FF_MOUNT	0x40	/* a mount point, not entered */
#define CS_FF_HIDES	0x80	/* ... over objects of the baseline */
#define CS_FF_UPDATED	0x100	/* new state shipped by a signed package
				   version (vendor.h): an upgrade */

#define CS_MAX_REASONS	6
#define CS_DIFF_NGROUPS	10	/* bits of CS_G_ALL (policy.h) */
#define CS_DIFF_KEYID	16
#define CS_DIFF_FP	64

/* One changed attribute; OLD and NEW are printable ASCII (encoded). */
struct cs_change {
	enum cs_attr	 attr;
	char		*name;		/* digest or xattr name, or NULL */
	char		*old;		/* NULL: absent */
	char		*new;
};

struct cs_finding {
	enum cs_kind	 kind;
	char		*path;		/* raw bytes, canonical */
	size_t		 pathlen;
	char		*shown;		/* encoded path */
	struct cs_entry	*old;		/* NULL when added */
	struct cs_entry	*new;		/* NULL when removed */
	unsigned	 attrs;		/* CS_ABIT(CS_A_*) that changed */
	struct cs_change *changes;
	size_t		 nchanges;
	unsigned	 flags;		/* CS_FF_* */
	int		 base;		/* policy severity, or -1 */
	int		 severity;	/* set by triage */
	const char	*reasons[CS_MAX_REASONS];	/* static strings */
	size_t		 nreasons;
	/* ATT&CK technique id of each reason ("T1548.001"), or NULL. */
	const char	*techniques[CS_MAX_REASONS];
	char		*related;	/* encoded path of a related object */
	char		*copy_of;	/* encoded path of a baseline file with
					   the same content, or NULL */
	char		*detail;	/* entry-level changes of a structured
					   file, printable lines, or NULL */
	char		*restore;	/* printable command restoring the
					   vendor's version (vendor.h), or NULL */
	int		 floor;		/* severity set by a comparator of
					   structured content, or -1 */
	const char	*floor_reason;	/* its reason and technique */
	const char	*floor_technique;
	const char	*danger_reason;	/* setuid, capabilities, executable,
					   device or outside link in an
					   ignored tree: high at least */
	const char	*danger_technique;
	const char	*why_not;	/* not-compared: the reason (static),
					   or NULL to use new->error */
	size_t		 seq;		/* order of discovery */
};

struct cs_diff_opts {
	const struct cs_policy *policy;
	unsigned	 carried;	/* CS_G_* both sources carry; 0: all */
	uint64_t	*hits;		/* optional: per policy line, the
					   baseline paths it matched */
	int64_t		 created;	/* baseline creation (s), or INT64_MIN */
	/* Called for each finding; takes it over. */
	void		(*found)(void *, struct cs_finding *);
	void		*arg;
	/* Optional: called after each pair, with pairs seen and bytes. */
	void		(*progress)(void *, uint64_t, uint64_t);
	/* Optional: state of the structured comparators (structured.h). */
	struct cs_sstate *sstate;
	/* Optional: called with each pair before it is compared. */
	void		(*prepare)(void *, struct cs_entry *,
			    const struct cs_entry *);
	void		*prepare_arg;
};

struct cs_diff_stats {
	uint64_t	 old_records;
	uint64_t	 new_records;
	uint64_t	 bytes;		/* content bytes of source files */
	uint64_t	 ignored;	/* pairs the policy ignores */
	uint64_t	 unsilenced;	/* dangerous objects compared although
					   the policy ignores their path */
	uint64_t	 count[CS_K_COUNT];
	uint64_t	 appended;	/* append-only files that only grew */
	uint64_t	 below;		/* baseline objects below directories
					   not entered, not compared */
	/* Objects where one side lacked a group the rule compares, by
	   group bit (CS_G_* = 1 << i): not compared there. */
	uint64_t	 lacking[CS_DIFF_NGROUPS];
};

/*
 * Compare OLD and NEW (either may be NULL, not both) for one path under
 * the policy; takes over both entries.  C is what NEW's source kept of
 * its content (an append-only file's prefix digests), or NULL.  Returns
 * a finding, or NULL if there is no difference.  DIGESTS is the set
 * both sides have.
 */
struct cs_finding *cs_diff_pair(struct cs_entry *, struct cs_entry *,
		    const struct cs_content *, const struct cs_diff_opts *,
		    unsigned);
/*
 * The comparison of the baseline A (pulled by the sink; borrowed, it
 * must outlive the sink) with the records of B given to the sink (B is
 * only asked its kind and what it carries), counting into ST.  Findings
 * go to OPTS->found as they are made (held ones by finish).
 */
struct cs_sink	*cs_sink_diff(struct cs_source *, const struct cs_source *,
		    const struct cs_diff_opts *, unsigned,
		    struct cs_diff_stats *);
/*
 * The exit status bits (custos(1)) for what the comparison counted: added,
 * removed, changed, and not compared (incomplete).
 */
int		 cs_diff_exit(const struct cs_diff_stats *);
/* Run B into the comparison sink with A, to the end (cs_pipe_run). */
int		 cs_diff_run(struct cs_source *, struct cs_source *,
		    const struct cs_diff_opts *, unsigned,
		    struct cs_diff_stats *, struct cs_err *);
void		 cs_finding_free(struct cs_finding *);
/*
 * Add a reason with its ATT&CK technique id (or NULL); deduplicated, at
 * most CS_MAX_REASONS.
 */
void		 cs_finding_reason(struct cs_finding *, const char *,
		    const char *);
/* Return the change for ATTR, or NULL. */
const struct cs_change *cs_finding_change(const struct cs_finding *,
		    enum cs_attr);

/* An append-only file of the baseline and its size there. */
struct cs_diff_append {
	char		*path;
	size_t		 len;
	uint64_t	 size;
};

/*
 * A baseline, verified in a first full pass (signature, every record,
 * trailer digest), with what the comparison needs from it.  The append
 * table holds only the regular files an append-only rule covers (logs:
 * usually few), in canonical order: that, and not the baseline's size,
 * bounds its memory.
 */
struct cs_diff_base {
	char		*file;
	char		*created;	/* header values, NULL if absent */
	char		*host;
	char		*root;
	char		*source;	/* what it was made from ("packages") */
	char		*digest_list;
	int		 cross_fs;
	char		**excludes;
	size_t		 nexcludes;
	unsigned	 digests;
	int		 is_signed;
	int		 verified;	/* signature checked with a trusted key */
	char		 keyid[CS_DIFF_KEYID + 1];
	char		 fingerprint[CS_DIFF_FP + 1];	/* "" if unknown */
	unsigned char	 sha256[32];	/* the trailer's digest */
	uint64_t	 records;
	uint64_t	 bytes;		/* sum of file sizes; 0: not counted */
	unsigned char	 skey[32];	/* key of the password digests */
	int		 has_skey;	/* (structured.h), from the header */
	struct cs_diff_append *append;
	size_t		 nappend;
};

/*
 * Verify the baseline FILE: signed by KEY or by the key with fingerprint
 * FP (64 hex), or unsigned when ALLOW_UNSIGNED: the signature, and the
 * content against the trailer's digest.  Only with a POLICY that has
 * append-only rules are the records parsed here (to collect those files,
 * and the byte count); otherwise the comparison pass is the first to parse
 * them (a signed file is well-formed; a malformed unsigned one fails
 * there).  Failures: CS_EXIT_INTEGRITY for a bad signature or altered
 * content, CS_EXIT_DATAERR for a malformed unsigned file.
 */
int		 cs_diff_base_load(struct cs_diff_base *, const char *,
		    const struct cs_key *, const char *, int,
		    const struct cs_policy *, struct cs_err *);
void		 cs_diff_base_release(struct cs_diff_base *);
/*
 * The baseline as a record source for the comparison pass, refused if
 * its trailer is not the one verified; its reader checks the content
 * digest again at the end.
 */
struct cs_source *cs_diff_base_source(const struct cs_diff_base *,
		    struct cs_err *);
/* Walker prefix callback (walk.h): ARG is a struct cs_diff_base. */
uint64_t	 cs_diff_prefix(void *, const struct cs_entry *);

/* "added", "removed", "changed", "type-changed", "not-compared". */
const char	*cs_kind_name(enum cs_kind);
/* "type", "size", "sha256"..., "mode", ... for a change. */
const char	*cs_attr_name(enum cs_attr);
/* Attribute groups (CS_G_*) as a list of what they are (heap string). */
char		*cs_group_text(unsigned);
/* What attribute group bit I (CS_G_* = 1 << I) is. */
const char	*cs_group_desc(unsigned);
/* Inode flags as names ("immutable,append-only,0x80000"). */
char		*cs_iflags_text(uint32_t);
/* Seconds since the epoch of an RFC 3339 UTC time; -1 if malformed. */
int		 cs_rfc3339_parse(const char *, int64_t *);
/* A duration: seconds, or a number with s, m or h (usage error). */
int		 cs_duration_parse(const char *, int64_t *, struct cs_err *);

#endif /* CUSTOS_DIFF_H */
