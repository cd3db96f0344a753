/*
 * trust.h: a source for a path with a trust anchor, opened the way the
 * commands that turn records into another form ("export", "baseline")
 * open one.
 *
 * A directory is walked.  A baseline is verified in full against the
 * trusted key before its records are read.  A custos evidence tar is
 * verified before any record is believed (tar.h); a foreign tar is read
 * and said to be unverified.  A baseline or a tar is refused without a
 * trust anchor: a public key, a fingerprint, or leave to accept what is
 * not signed.  Nothing is printed: what the command must say is kept in
 * struct cs_trust (its notes, and an evidence tar's problems).
 */
#ifndef CUSTOS_TRUST_H
#define CUSTOS_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "custos/diff.h"
#include "custos/evidence_verify.h"
#include "custos/tar.h"

struct cs_err;
struct cs_key;
struct cs_source;
struct cs_walk_opts;

struct cs_trust_opts {
	const char	*pubkey;	/* a public key file, or NULL */
	const char	*fingerprint;	/* 64 hex digits (parsed), or NULL */
	int		 allow_unsigned;
	const char	*custody;	/* an evidence tar's custody record */
	unsigned	 digests;	/* computed for a foreign tar */
	uint64_t	 max_member;	/* a tar's size limits (evidence.h): */
	uint64_t	 max_total;	/* 0 the default, UINT64_MAX none */
	/* For a directory (its root is set to the path); NULL: defaults,
	   with DIGESTS. */
	const struct cs_walk_opts *walk;
};

/* What the path named. */
enum cs_trust_kind {
	CS_TRUST_TREE,
	CS_TRUST_BASELINE,
	CS_TRUST_EVIDENCE,
	CS_TRUST_FOREIGN
};

/* What a command keeps while it reads the source, and must say of it. */
struct cs_trust {
	enum cs_trust_kind		 kind;
	struct cs_key			*key;
	struct cs_diff_base		 base;	/* a baseline's header */
	struct cs_evidence_result	 evres;	/* an evidence tar's report */
	struct cs_tar_info		 info;
	char				*notes[CS_TAR_NOTES];	/* warnings */
	size_t				 nnotes;
	int				 incomplete; /* not vouched for */
};

void		 cs_trust_init(struct cs_trust *);
/* Release what T holds (after the source is freed). */
void		 cs_trust_release(struct cs_trust *);
/* PATH as a source, verified as O says; T says what it was. */
struct cs_source *cs_trust_open(const char *, const struct cs_trust_opts *,
		    struct cs_trust *, struct cs_err *);

/*
 * IN (taken over) as a source whose records keep only the digests in
 * MASK (1 << enum cs_digest): a tar's records hold every digest computed
 * while it was read, a baseline only those its header lists.
 */
struct cs_source *cs_trust_digests(struct cs_source *, unsigned,
		    const char *);

#endif /* CUSTOS_TRUST_H */
