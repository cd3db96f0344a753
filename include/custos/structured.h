/*
 * structured.h: files compared entry by entry (doc/custos-policy.5,
 * "structured=KIND"; doc/custos-baseline.5, the "struct" field).
 *
 * For a file of a structured kind, a source carries, beside its digests,
 * the parsed entries in one text (cs_entry.sdata): "KIND:" followed by
 * lines, each ended by a newline.  Lines that begin with '#' say
 * something about the file ("#k=" the id of the key of the password
 * digests, "#bad=N" malformed lines skipped, "#error=..." why the
 * entries could not be read); the others are entries, fields separated
 * by ':'.  Password fields are never kept: a keyed digest (HMAC-SHA-256
 * under a random key of the baseline's header) stands for them.
 *
 * Account databases (passwd, group, shadow, gshadow, subuid/subgid) and
 * login records (wtmp/btmp, lastlog) are then compared entry by entry:
 * the finding says which entries were added, removed or changed, and the
 * comparator sets its severity floor.  What it needs from other files
 * (uids from passwd for shadow, UID_MIN from login.defs, the baselined
 * primary of a "-" backup) is kept in a cs_sstate during one join: the
 * primaries come before what needs them in canonical order.
 */
#ifndef CUSTOS_STRUCTURED_H
#define CUSTOS_STRUCTURED_H

#include <stddef.h>
#include <stdint.h>

struct cs_entry;
struct cs_err;
struct cs_finding;
struct cs_policy;

/* Ordered as the kind table of structured.c. */
enum cs_skind {
	CS_S_NONE = 0,
	CS_S_PASSWD,
	CS_S_GROUP,
	CS_S_SHADOW,
	CS_S_GSHADOW,
	CS_S_SUBID,
	CS_S_UTMP,
	CS_S_LASTLOG,
	CS_S_LOGINDEFS,
	CS_S_COUNT
};

#define CS_SKEY_LEN	32		/* key of the password digests */
#define CS_SKEY_HEADER	"struct-key"	/* its baseline header key */

/* Kind by name ("none" is 0); -1 if unknown. */
int		 cs_skind_lookup(const char *, size_t);
/* "passwd", ...; "none" for 0. */
const char	*cs_skind_name(int);

/*
 * Parse N bytes of a file of KIND (any kind but lastlog, which is read
 * from its descriptor) into a heap "KIND:..." text, its length in *LENP.
 * KEY (CS_SKEY_LEN bytes) keys the password digests; NULL: none made.
 */
char		*cs_structured_parse(int, const void *, size_t,
		    const unsigned char *, size_t *);
/*
 * Read regular file FD of SIZE bytes (its offset is left where it was)
 * and parse it as KIND.  Files too large to carry get an "#error=" line.  Returns
 * the text, or NULL on a read error (errno set).
 */
char		*cs_structured_read(int, int, uint64_t,
		    const unsigned char *, size_t *);
/* Nonzero if the N bytes at S are a well-formed "KIND:..." text. */
int		 cs_structured_valid(const char *, size_t);
/* The kind a valid text names. */
int		 cs_structured_kind(const char *, size_t);

/* A new random key; -1 with ERR if the generator fails. */
int		 cs_skey_new(unsigned char *, struct cs_err *);

/* What the walker's structured hook needs (walk.h). */
struct cs_structured_ctx {
	const struct cs_policy	*policy;
	unsigned char		 key[CS_SKEY_LEN];
	int			 has_key;
};
/*
 * Walker hook: for regular file E open as FD, if the policy marks its
 * path structured, fill E->sdata from FD.  Runs on worker threads; ARG
 * is a struct cs_structured_ctx, only read.
 */
void		 cs_structured_walk(void *, struct cs_entry *, int);

/* Comparison state for one join. */
struct cs_sstate;
struct cs_sstate *cs_sstate_new(void);
void		 cs_sstate_free(struct cs_sstate *);
/*
 * Called by diff for every pair whose rule is structured, before the
 * comparison: remembers what later files need (may be NULL).
 */
void		 cs_structured_learn(struct cs_sstate *, int,
		    const struct cs_entry *, const struct cs_entry *);
/*
 * Explain finding F of a structured file of KIND: its detail lines,
 * its severity floor, its reason.
 */
void		 cs_structured_explain(struct cs_sstate *, int,
		    struct cs_finding *);
/*
 * After the join: subuid/subgid lines of a user added in passwd are
 * named in the passwd finding as well.
 */
void		 cs_structured_correlate(struct cs_finding **, size_t);

#endif /* CUSTOS_STRUCTURED_H */
