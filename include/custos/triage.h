/*
 * triage.h: rank findings by danger, and plan the rebuild.
 *
 * One ordered table of rules (severity, ATT&CK technique, reason,
 * predicate) is applied to each finding: the finding's severity is the
 * highest of its base (the policy's, or "low"), of a comparator's floor
 * and of every matching rule, and it carries each matching rule's reason
 * and technique, most severe first.  So every severity in a report can be
 * explained by the rules it names.
 */
#ifndef CUSTOS_TRIAGE_H
#define CUSTOS_TRIAGE_H

#include <stddef.h>

struct cs_finding;

enum cs_plan {
	CS_PLAN_NONE = 0,	/* nothing to do */
	CS_PLAN_REINSTALL,	/* program, library, vendor file */
	CS_PLAN_REVIEW		/* configuration or data: restore, review */
};

/* Set F's severity and reasons. */
void		 cs_triage(struct cs_finding *);
/*
 * Link new hard links to the sensitive files whose link count rose
 * (CS_FF_LINKSENS), then triage every finding.
 */
void		 cs_triage_all(struct cs_finding **, size_t);
/*
 * The same, where LIBS more findings that are libraries or loader
 * configuration were triaged elsewhere (kept on disk: check's store).
 */
void		 cs_triage_all_libs(struct cs_finding **, size_t, size_t);
/* A library or loader configuration (what rewrites ld.so.cache). */
int		 cs_triage_is_library(const struct cs_finding *);
/* Flags of cs_triage_names. */
#define CS_TRIAGE_NAMES	0x2U	/* names programs or libraries it runs */
#define CS_TRIAGE_DIRS	0x4U	/* names directories searched for them */

/*
 * If F is a start-up file (one a loader, init system, scheduler, login
 * path, shell ... reads) added or changed, ranked high or above, whose
 * content names what it runs: CS_TRIAGE_* flags, and in *TECHNIQUE the
 * rule's technique; else 0.
 */
unsigned	 cs_triage_names(const struct cs_finding *, const char **);
/* What to do with F's path in the rebuild, and why (static string). */
enum cs_plan	 cs_triage_plan(const struct cs_finding *, const char **);
/* Nonzero if PATH is under a system program or library directory. */
int		 cs_triage_sysdir(const char *);

#endif /* CUSTOS_TRIAGE_H */
