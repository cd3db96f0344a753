/*
 * structured_int.h: what structured.c (parsers, kind table),
 * structured_cmp.c (comparators) and structured_state.c (state across
 * files, explanation of findings) share; not part of the library's
 * interface.
 */
#ifndef CUSTOS_STRUCTURED_INT_H
#define CUSTOS_STRUCTURED_INT_H

#include <stddef.h>
#include <stdint.h>

#include "custos/buf.h"
#include "custos/digest.h"

#define CS_SK_MAXF	8	/* fields of an entry line */

/* One entry of a text: its fields, and its place among equal names. */
struct cs_sk_ent {
	const char	*f[CS_SK_MAXF];
	size_t		 fl[CS_SK_MAXF];
	size_t		 nf;
	size_t		 idx;		/* line order */
	unsigned	 occ;		/* n-th entry of that name */
};

/* A parsed "KIND:..." text (it owns a copy). */
struct cs_sk_tab {
	int		 have;		/* a text of the expected kind */
	char		*text;
	struct cs_sk_ent *e;		/* sorted by name, then line order */
	size_t		 n;
	const char	*keyid;		/* "#k=" value, or NULL */
	size_t		 keyidlen;
	const char	*error;		/* "#error=" value, or NULL */
	size_t		 errorlen;
	uint64_t	 bad;
	uint64_t	 partial;
	/* login records (utmp) */
	uint64_t	 un, uzero, uback;
	int64_t		 ulast;
	/* login.defs */
	uint64_t	 uid_min;
	int		 has_uid_min;
};

struct cs_entry;
struct cs_finding;

/* One comparison of a finding's two texts. */
struct cs_sk_cmp {
	struct cs_finding	*f;
	struct cs_sstate	*st;
	struct cs_sk_tab	 o;
	struct cs_sk_tab	 n;
	struct cs_buf		 detail;
	int			 sev;		/* floor, -1 none yet */
	const char		*reason;
	const char		*tech;
	int			 noexplain;	/* leave the rules their say */
};

/* The reason of an account's lines in other databases. */
#define CS_SK_PARTOF	"part of the account added in /etc/passwd"

/* A primary account file's digests as baselined. */
struct cs_sk_prim {
	char		*path;
	size_t		 len;
	char		*sdata;		/* its entries, or NULL */
	size_t		 sdatalen;
	unsigned	 digests;
	unsigned char	 digest[CS_D_COUNT][CS_DIGEST_MAXLEN];
};

/* What the comparators learn across the files of one join. */
struct cs_sstate {
	uint64_t	 uid_min;
	int		 has_uid_min;
	struct cs_sk_tab pw_old;	/* the last passwd primary */
	struct cs_sk_tab pw_new;
	struct cs_sk_tab gr_new;	/* the last group primary */
	struct cs_sk_prim	*prim;
	size_t		 nprim;
};

/* Parse text S (N bytes) if it is of KIND; T->have says whether it was. */
void		 cs_sk_tab_parse(struct cs_sk_tab *, const char *, size_t, int);
/* Parse E's entries if they are of KIND. */
void		 cs_sk_tab_load(struct cs_sk_tab *, const struct cs_entry *, int);
void		 cs_sk_tab_release(struct cs_sk_tab *);
/* Raise C's floor to SEV with REASON and TECHNIQUE. */
void		 cs_sk_raise(struct cs_sk_cmp *, int, const char *,
		    const char *);

typedef void	 cs_sk_cmp_fn(struct cs_sk_cmp *);

cs_sk_cmp_fn	 cs_sk_cmp_passwd, cs_sk_cmp_group, cs_sk_cmp_shadow,
		 cs_sk_cmp_gshadow, cs_sk_cmp_subid, cs_sk_cmp_utmp,
		 cs_sk_cmp_lastlog, cs_sk_cmp_logindefs;

/* The comparator of KIND, or NULL. */
cs_sk_cmp_fn	*cs_sk_comparator(int);
/* Strict decimal of 1 to 20 digits up to MAX; 0 or -1. */
int		 cs_sk_num(const char *, size_t, uint64_t, uint64_t *);
/* Split at ':' into at most MAX fields; MAX + 1 if there are more. */
size_t		 cs_sk_split(const char *, size_t, const char **, size_t *,
		    size_t);

#endif /* CUSTOS_STRUCTURED_INT_H */
