/*
 * correlate.h: link start-up files to the programs they name.
 *
 * A responder who finds a new cron line or a changed ld.so.preload reads
 * it and looks at what it runs.  cs_correlate does the same for every
 * start-up file among the findings (triage.h, cs_triage_names): what it
 * names and is itself a finding inherits its severity, with a reason and
 * the start-up file as the related object (CS_FF_NAMED).
 */
#ifndef CUSTOS_CORRELATE_H
#define CUSTOS_CORRELATE_H

#include <stddef.h>

struct cs_finding;
struct cs_fstore;

/*
 * Read the start-up files among the N triaged findings FS from the tree
 * at ROOT (the compared root; NULL when the source is not a tree: then
 * nothing is done) and raise what they name.  Files that cannot be read
 * safely (not regular, a symbolic link on the way, not the size the
 * walk recorded) are left alone: this is an aid, not a comparison.
 */
void	 cs_correlate(struct cs_finding **, size_t, const char *);
/*
 * The same, where more findings are kept in the store ST (fstore.h, in
 * canonical order; NULL: none): what the start-up files among FS name
 * there is read back, raised and written back.  The start-up files
 * themselves must be among FS.
 */
void	 cs_correlate_stored(struct cs_finding **, size_t, struct cs_fstore *,
	    const char *);

#endif /* CUSTOS_CORRELATE_H */
