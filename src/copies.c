/*
 * copies.c: name the baseline file an added file is a copy of (copies.h).
 *
 * Candidates are the added regular files with content (size 0 is a copy
 * of nothing meaningful) and a digest the baseline also records.  Each is
 * put in the table of one algorithm, the first both sides have, sorted by
 * digest; every baseline record is then looked up in the tables of the
 * algorithms it carries.  The baseline is read to its end even when every
 * candidate is matched, so that its reader checks the content digest
 * against the trailer, which must be the one verified before.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/copies.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/source.h"
#include "custos/xmalloc.h"

/* A candidate: an added file and its digest in the table's algorithm. */
struct copies_cand {
	const unsigned char	*digest;
	size_t			 len;
	struct cs_finding	*f;
};

struct copies_table {
	struct copies_cand	*c;
	size_t			 n;
};

static int
copies_cmp(const void *pa, const void *pb)
{
	const struct copies_cand	*a = pa, *b = pb;

	return memcmp(a->digest, b->digest, a->len);
}

/* Put each candidate in the table of its first shared algorithm. */
static int
copies_collect(const struct cs_diff_base *base, struct cs_finding **fs,
    size_t n, struct copies_table *t)
{
	const struct cs_entry	*e;
	struct copies_cand	*c;
	unsigned		 both;
	size_t			 i;
	int			 d, any = 0;

	for (i = 0; i < n; i++) {
		e = fs[i]->new;
		if (fs[i]->kind != CS_K_ADDED || e == NULL ||
		    e->type != CS_T_FILE || e->size == 0 ||
		    fs[i]->copy_of != NULL)
			continue;
		both = e->digests & base->digests;
		for (d = 0; d < CS_D_COUNT && (both & (1U << d)) == 0; d++)
			;
		if (d == CS_D_COUNT)
			continue;
		if (t[d].c == NULL)
			t[d].c = cs_xreallocarray(NULL, n, sizeof *t[d].c);
		c = &t[d].c[t[d].n++];
		c->digest = e->digest[d];
		c->len = cs_digest_len((enum cs_digest)d);
		c->f = fs[i];
		any = 1;
	}
	for (d = 0; d < CS_D_COUNT; d++) {
		if (t[d].n > 1)
			qsort(t[d].c, t[d].n, sizeof *t[d].c, copies_cmp);
	}
	return any;
}

/* Name E as the original of every unmatched candidate it equals. */
static void
copies_match(struct copies_table *t, const struct cs_entry *e)
{
	struct copies_cand	 key, *hit;
	struct cs_finding	*f;
	struct cs_buf		 b;
	size_t			 lo, i;
	int			 d;

	memset(&key, 0, sizeof key);
	for (d = 0; d < CS_D_COUNT; d++) {
		if (t[d].n == 0 || (e->digests & (1U << d)) == 0)
			continue;
		key.digest = e->digest[d];
		key.len = cs_digest_len((enum cs_digest)d);
		hit = bsearch(&key, t[d].c, t[d].n, sizeof *t[d].c,
		    copies_cmp);
		if (hit == NULL)
			continue;
		for (lo = (size_t)(hit - t[d].c); lo > 0 &&
		    copies_cmp(&key, &t[d].c[lo - 1]) == 0; lo--)
			;
		for (i = lo; i < t[d].n && copies_cmp(&key, &t[d].c[i]) == 0;
		    i++) {
			f = t[d].c[i].f;
			if (f->copy_of != NULL || f->new->size != e->size)
				continue;
			cs_buf_init(&b);
			cs_encode(&b, e->path, e->pathlen);
			f->copy_of = cs_buf_detach(&b, NULL);
		}
	}
}

/*
 * Stream the baseline as the comparison did: a file whose trailer is not
 * the verified one is refused, and the content digest is checked again at
 * the end.
 */
static int
copies_scan(const struct cs_diff_base *base, struct copies_table *t,
    struct cs_err *err)
{
	struct cs_source	*src;
	struct cs_entry		*e = NULL;
	int			 got;

	if ((src = cs_diff_base_source(base, err)) == NULL)
		return -1;
	while ((got = cs_source_next(src, &e, err)) == 1) {
		if (e->type == CS_T_FILE && e->size > 0)
			copies_match(t, e);
		cs_entry_free(e);
		e = NULL;
	}
	cs_source_free(src);
	/* The verified file no longer reads as it did. */
	if (got < 0 && base->verified && err->code == CS_EXIT_DATAERR)
		err->code = CS_EXIT_INTEGRITY;
	return got < 0 ? -1 : 0;
}

int
cs_copies_find(const struct cs_diff_base *base, struct cs_finding **fs,
    size_t n, struct cs_err *err)
{
	struct copies_table	 t[CS_D_COUNT];
	size_t			 i;
	int			 d, rc = 0;

	memset(t, 0, sizeof t);
	if (copies_collect(base, fs, n, t) && copies_scan(base, t, err) != 0) {
		/* Keep no name read from a file that failed its check. */
		for (d = 0; d < CS_D_COUNT; d++) {
			for (i = 0; i < t[d].n; i++) {
				free(t[d].c[i].f->copy_of);
				t[d].c[i].f->copy_of = NULL;
			}
		}
		rc = -1;
	}
	for (d = 0; d < CS_D_COUNT; d++)
		free(t[d].c);
	return rc;
}
