/*
 * path.c: the single encoder for bytes from examined filesystems, the
 * canonical path order, and path joining and matching.
 *
 * Every name, link target, xattr or message fragment that came from an
 * examined filesystem, archive or baseline goes through cs_encode before
 * it reaches a file, a terminal or a report.
 */
#include "custos/custos.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/path.h"
#include "custos/xmalloc.h"

static const char hexdigits[] = "0123456789abcdef";

/*
 * Bytes written as themselves: printable ASCII except '\\' and '='
 * (0x21-0x7e without 0x3d and 0x5c), as a bit set: the decoder tests
 * every byte of every baseline line against it.
 */
static const uint64_t path_literals[4] = {
	UINT64_C(0xdffffffe00000000), UINT64_C(0x7fffffffefffffff), 0, 0
};

static int
path_literal(unsigned char c)
{
	return (int)(path_literals[c >> 6] >> (c & 63) & 1);
}

/* Hex digit values plus one; 0 for anything else (lowercase only). */
const unsigned char cs_hexval_table[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16
};

void
cs_encode(struct cs_buf *out, const void *p, size_t n)
{
	const unsigned char	*s = p;
	size_t			 i, run;

	cs_buf_grow(out, n);
	for (i = 0; i < n; i += run) {
		for (run = 0; i + run < n && path_literal(s[i + run]); run++)
			continue;
		if (run > 0) {
			cs_buf_add(out, s + i, run);
			continue;
		}
		cs_buf_addc(out, '\\');
		cs_buf_addc(out, 'x');
		cs_buf_addc(out, hexdigits[s[i] >> 4]);
		cs_buf_addc(out, hexdigits[s[i] & 0xf]);
		run = 1;
	}
}

void
cs_encode_str(struct cs_buf *out, const char *s)
{
	cs_encode(out, s, strlen(s));
}

char *
cs_encode_dup(const char *s)
{
	struct cs_buf	 b;

	cs_buf_init(&b);
	cs_encode_str(&b, s);
	return cs_buf_detach(&b, NULL);
}

int
cs_decode(struct cs_buf *out, const char *s, size_t n, size_t *bad)
{
	size_t		 i, run;
	int		 hi, lo;
	unsigned char	 c;

	cs_buf_grow(out, n);
	for (i = 0; i < n; i++) {
		for (run = 0; i + run < n &&
		    path_literal((unsigned char)s[i + run]); run++)
			continue;
		if (run > 0) {
			cs_buf_add(out, s + i, run);
			i += run;
			if (i == n)
				break;
		}
		c = (unsigned char)s[i];
		if (c != '\\' || i + 3 >= n || s[i + 1] != 'x')
			goto fail;
		hi = cs_hexval(s[i + 2]);
		lo = cs_hexval(s[i + 3]);
		if (hi < 0 || lo < 0)
			goto fail;
		c = (unsigned char)(hi << 4 | lo);
		if (path_literal(c))
			goto fail;	/* not canonical */
		cs_buf_addc(out, (char)c);
		i += 3;
	}
	return 0;
fail:
	if (bad != NULL)
		*bad = i;
	return -1;
}

char *
cs_decode_dup(const char *s, size_t n, size_t *lenp)
{
	struct cs_buf	 b;
	size_t		 i;

	for (i = 0; i < n && path_literal((unsigned char)s[i]); i++)
		continue;
	if (i == n) {
		if (lenp != NULL)
			*lenp = n;
		return cs_xmemdup(s, n);
	}
	cs_buf_init(&b);
	if (cs_decode(&b, s, n, NULL) != 0) {
		cs_buf_release(&b);
		return NULL;
	}
	return cs_buf_detach(&b, lenp);
}

int
cs_path_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t		 i, n = alen < blen ? alen : blen;
	unsigned char	 ca, cb;

	for (i = 0; i < n; i++) {
		ca = (unsigned char)a[i];
		cb = (unsigned char)b[i];
		if (ca == cb)
			continue;
		if (ca == '/')
			return -1;
		if (cb == '/')
			return 1;
		return ca < cb ? -1 : 1;
	}
	if (alen == blen)
		return 0;
	return alen < blen ? -1 : 1;
}

void
cs_order_init(struct cs_order *o)
{
	cs_buf_init(&o->prev);
	o->any = 0;
}

void
cs_order_release(struct cs_order *o)
{
	cs_buf_release(&o->prev);
	o->any = 0;
}

int
cs_order_check(struct cs_order *o, const char *p, size_t n)
{
	if (o->any && cs_path_cmp(o->prev.data, o->prev.len, p, n) >= 0)
		return -1;
	cs_buf_reset(&o->prev);
	cs_buf_add(&o->prev, p, n);
	o->any = 1;
	return 0;
}

char *
cs_path_join(const char *dir, size_t dlen, const char *name, size_t nlen,
    size_t *lenp)
{
	char	*p;
	size_t	 len;

	if (dlen == 1 && dir[0] == '/')
		dlen = 0;
	if (dlen > SIZE_MAX - nlen - 2)
		return cs_xmalloc(SIZE_MAX);	/* exits */
	len = dlen + 1 + nlen;
	p = cs_xmalloc(len + 1);
	memcpy(p, dir, dlen);
	p[dlen] = '/';
	memcpy(p + dlen + 1, name, nlen);
	p[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return p;
}

/* "/" or "/c1/c2..." with no empty, "." or ".." components and no NUL. */
int
cs_path_valid(const char *p, size_t n)
{
	size_t	 i, start;

	if (n == 0 || p[0] != '/')
		return 0;
	if (n == 1)
		return 1;
	if (memchr(p, '\0', n) != NULL)
		return 0;
	start = 1;
	for (i = 1; i <= n; i++) {
		if (i < n && p[i] != '/')
			continue;
		if (i == start)
			return 0;
		if (i - start == 1 && p[start] == '.')
			return 0;
		if (i - start == 2 && p[start] == '.' && p[start + 1] == '.')
			return 0;
		start = i + 1;
	}
	return 1;
}

/* A byte with a meaning in a glob. */
static int
path_special(char c)
{
	return c == '*' || c == '?' || c == '[' || c == '\\';
}

/*
 * fnmatch(3) without flags, answered at once where the pattern's literal
 * parts decide it, for policies and triage rules are mostly such
 * patterns and each is tried on every path.  The literal start is
 * compared as it is scanned (most patterns differ from most paths in
 * their first bytes); a pattern without special bytes is the string
 * itself; "*" and a literal end matches what ends so; and what follows a
 * leading "*" up to the next special byte must occur in the string before
 * fnmatch(3) is asked.  Without flags, fnmatch(3) of the pattern's rest
 * on the string's rest is the match of the whole.
 */
static int
path_fnmatch(const char *pattern, const char *s)
{
	const char	*run, *end;
	size_t		 n, len;

	for (; *pattern != '\0' && !path_special(*pattern); pattern++, s++) {
		if (*pattern != *s)
			return 0;
	}
	if (*pattern == '\0')
		return *s == '\0';
	if (pattern[0] != '*')
		return fnmatch(pattern, s, 0) == 0;
	run = pattern + 1;
	for (end = run; *end != '\0' && !path_special(*end); end++)
		;
	n = (size_t)(end - run);
	if (*end == '\0') {
		len = strlen(s);
		return len >= n && memcmp(s + len - n, run, n) == 0;
	}
	if (n > 0 && memmem(s, strlen(s), run, n) == NULL)
		return 0;
	return fnmatch(pattern, s, 0) == 0;
}

int
cs_path_match(const char *pattern, const char *path)
{
	const char	*base;

	if (pattern[0] != '/' && strchr(pattern, '/') == NULL) {
		base = strrchr(path, '/');
		base = base != NULL ? base + 1 : path;
		return path_fnmatch(pattern, base);
	}
	return path_fnmatch(pattern, path);
}

/* A pattern of a set, with what decides it at once. */
enum glob_kind {
	GLOB_EXACT,		/* no special byte: the string itself */
	GLOB_TAIL,		/* "*" and a literal end */
	GLOB_HEAD,		/* a literal start, then fnmatch(3) */
	GLOB_STAR		/* "*", a literal run, then fnmatch(3) */
};

struct glob_one {
	const char	*pat;
	size_t		 lit;		/* EXACT, HEAD: literal start; */
					/* TAIL, STAR: run after the "*" */
	enum glob_kind	 kind;
	int		 base;		/* matches the last component */
};

/*
 * The patterns in three runs: absolute ones with a literal start of two
 * bytes or more, by the byte after the "/" (ABS); last-component ones
 * with a literal start, by its first byte (BASE); the rest.  A path
 * whose second byte, or whose last component's first byte, is not in
 * the run's mask skips that run whole: most paths tried against a list
 * of system places skip all but a few patterns.
 */
struct cs_globset {
	struct glob_one	*v;
	size_t		 n;
	size_t		 nabs;		/* v[0 .. nabs) */
	size_t		 nbase;		/* v[nabs .. nabs + nbase) */
	uint64_t	 absmask[4];
	uint64_t	 basemask[4];
};

/* The run a pattern goes in: 0 ABS, 1 BASE, 2 the rest. */
static int
glob_run(const struct glob_one *g)
{
	if (!g->base && g->lit >= 2 && g->pat[0] == '/' &&
	    (g->kind == GLOB_EXACT || g->kind == GLOB_HEAD))
		return 0;
	if (g->base && g->lit >= 1 &&
	    (g->kind == GLOB_EXACT || g->kind == GLOB_HEAD))
		return 1;
	return 2;
}

static int
glob_in(const uint64_t *mask, unsigned char c)
{
	return (mask[c >> 6] >> (c & 63)) & 1;
}

struct cs_globset *
cs_globset_new(const char *const *globs)
{
	struct cs_globset	*set = cs_xcalloc(1, sizeof *set);
	struct glob_one		*g, *all;
	const char		*p;
	size_t			 n = 0, i, k;
	int			 run;

	while (globs[n] != NULL)
		n++;
	all = cs_xreallocarray(NULL, n > 0 ? n : 1, sizeof *all);
	set->v = cs_xreallocarray(NULL, n > 0 ? n : 1, sizeof *set->v);
	set->n = n;
	for (g = all; *globs != NULL; globs++, g++) {
		p = *globs;
		g->pat = p;
		g->base = strchr(p, '/') == NULL;
		for (g->lit = 0; p[g->lit] != '\0' && !path_special(p[g->lit]);
		    g->lit++)
			;
		if (p[g->lit] == '\0') {
			g->kind = GLOB_EXACT;
			continue;
		}
		if (g->lit > 0 || p[0] != '*') {
			g->kind = GLOB_HEAD;
			continue;
		}
		for (g->lit = 0; p[1 + g->lit] != '\0' &&
		    !path_special(p[1 + g->lit]); g->lit++)
			;
		g->kind = p[1 + g->lit] == '\0' ? GLOB_TAIL : GLOB_STAR;
	}
	for (k = 0, run = 0; run < 3; run++) {
		for (i = 0; i < n; i++) {
			if (glob_run(&all[i]) != run)
				continue;
			g = &set->v[k++];
			*g = all[i];
			if (run == 0) {
				set->nabs++;
				set->absmask[(unsigned char)g->pat[1] >> 6] |=
				    UINT64_C(1) << ((unsigned char)g->pat[1] & 63);
			} else if (run == 1) {
				set->nbase++;
				set->basemask[(unsigned char)g->pat[0] >> 6] |=
				    UINT64_C(1) << ((unsigned char)g->pat[0] & 63);
			}
		}
	}
	free(all);
	return set;
}

void
cs_globset_free(struct cs_globset *set)
{
	if (set == NULL)
		return;
	free(set->v);
	free(set);
}

/* Does G match the N bytes S (NUL-terminated)? */
static int
glob_one_match(const struct glob_one *g, const char *s, size_t n)
{
	switch (g->kind) {
	case GLOB_EXACT:
		return n == g->lit && memcmp(s, g->pat, n) == 0;
	case GLOB_TAIL:
		return n >= g->lit && memcmp(s + n - g->lit, g->pat + 1,
		    g->lit) == 0;
	case GLOB_HEAD:
		return n >= g->lit && memcmp(s, g->pat, g->lit) == 0 &&
		    fnmatch(g->pat + g->lit, s + g->lit, 0) == 0;
	case GLOB_STAR:
		return (g->lit == 0 || memmem(s, n, g->pat + 1, g->lit) !=
		    NULL) && fnmatch(g->pat, s, 0) == 0;
	}
	return 0;
}

int
cs_globset_match(const struct cs_globset *set, const char *path)
{
	const char	*base;
	size_t		 i, n = strlen(path), basen;

	for (i = 0; i < set->nabs; i++) {
		if (n < 2 || !glob_in(set->absmask, (unsigned char)path[1]))
			break;
		if (glob_one_match(&set->v[i], path, n))
			return 1;
	}
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	basen = n - (size_t)(base - path);
	for (i = set->nabs; i < set->nabs + set->nbase; i++) {
		if (!glob_in(set->basemask, (unsigned char)*base))
			break;
		if (glob_one_match(&set->v[i], base, basen))
			return 1;
	}
	for (i = set->nabs + set->nbase; i < set->n; i++) {
		if (set->v[i].base ? glob_one_match(&set->v[i], base, basen) :
		    glob_one_match(&set->v[i], path, n))
			return 1;
	}
	return 0;
}
