/*
 * update.h: a trusted baseline plus only the accepted changes, as a
 * source.
 *
 * cs_source_update merge-joins the old baseline's records with a
 * source's (the one join, join.h) and yields, path by path, the
 * source's record where the path is accepted and the old record
 * elsewhere: an accepted path that is gone is dropped; a source record
 * that could not be fully examined is refused (the old one is kept, or
 * nothing); a record taken below directories that neither the old
 * baseline has nor the accept list names takes them along, so that no
 * record is without its parent.  Fed into a baseline sink it makes the
 * updated baseline.
 */
#ifndef CUSTOS_UPDATE_H
#define CUSTOS_UPDATE_H

#include <stddef.h>
#include <stdint.h>

struct cs_entry;
struct cs_pipe_skip;
struct cs_source;

struct cs_update_opts {
	/*
	 * Paths to take from the source: globs as in policies; a glob
	 * without wildcards also takes everything below it.
	 */
	const char *const *accept;
	size_t		 naccept;
	int		 accept_all;
	/* Regular files of the source to leave out (our own output). */
	const struct cs_pipe_skip *skip;
	size_t		 nskip;
	/* Or NULL: called for each source record refused (incomplete). */
	void		(*refused)(void *, const struct cs_entry *);
	void		*refused_arg;
};

struct cs_update_counts {
	uint64_t	 kept;		/* old records kept */
	uint64_t	 taken;		/* records taken from the source */
	uint64_t	 dropped;	/* accepted paths gone */
	uint64_t	 refused;	/* source records incomplete */
};

/*
 * The merge of OLD and NEW (at PATH, for messages) under OPTS (borrowed;
 * it must outlive the source), counting into COUNTS.  Takes ownership of
 * OLD and NEW.
 */
struct cs_source *cs_source_update(struct cs_source *, struct cs_source *,
		    const char *, const struct cs_update_opts *,
		    struct cs_update_counts *);
/* Is PATH accepted under OPTS? */
int		 cs_update_accepted(const struct cs_update_opts *,
		    const char *);

#endif /* CUSTOS_UPDATE_H */
