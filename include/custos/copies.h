/*
 * copies.h: which file of the baseline an added file is a copy of.
 *
 * A new setuid shell is easier to judge once the report says "copy of
 * /usr/bin/bash"; a new home's start-up files once it says "copy of
 * /etc/skel/.bashrc".  The added regular files are few and already held
 * as findings, so they are indexed by digest and the verified baseline is
 * streamed once more: memory follows the added files, not the baseline.
 */
#ifndef CUSTOS_COPIES_H
#define CUSTOS_COPIES_H

#include <stddef.h>

struct cs_diff_base;
struct cs_err;
struct cs_finding;

/*
 * Set copy_of (the encoded path) of each added, non-empty regular file
 * among the findings to the first baseline file, in canonical order, with
 * the same size and digest, in a digest algorithm both have.  The
 * baseline must still be the one verified (its trailer and content digest
 * are checked again): otherwise -1 with CS_EXIT_INTEGRITY.  0, or -1.
 */
int	 cs_copies_find(const struct cs_diff_base *, struct cs_finding **,
	    size_t, struct cs_err *);

#endif /* CUSTOS_COPIES_H */
