/*
 * fleet.h: the check reports of several hosts, findings grouped across
 * hosts.
 *
 * After a supply-chain compromise the same file shows up on many hosts:
 * the same path with the same new content.  Findings of the reports are
 * grouped by path and new content (the first digest the finding's new
 * side carries; without one, by path and kind), and the groups ordered
 * by the number of hosts, then severity, then path.  A host is the one
 * its report's baseline names; two reports naming one host are refused,
 * since they would count it twice.
 */
#ifndef CUSTOS_FLEET_H
#define CUSTOS_FLEET_H

#include <stddef.h>

struct cs_err;
struct cs_finding;
struct cs_report_file;

struct cs_fleet_group {
	const struct cs_finding *f;	/* as the first host reports it */
	char		*digest;	/* "ALG:HEX" of the new content, or
				   NULL */
	size_t		*hosts;		/* report indexes, ascending */
	size_t		 nhosts;
	int		 severity;	/* the highest among the hosts */
	unsigned	 kinds;		/* 1 << enum cs_kind seen */
};

struct cs_fleet {
	struct cs_fleet_group *g;
	size_t		 n;
};

/* Group the findings of the N reports R into FL.  0, or -1. */
int		 cs_fleet_group(struct cs_fleet *, struct cs_report_file *,
		    size_t, struct cs_err *);
void		 cs_fleet_release(struct cs_fleet *);
/* "ALG:HEX" of F's new content (heap), or NULL. */
char		*cs_fleet_digest(const struct cs_finding *);

#endif /* CUSTOS_FLEET_H */
