/*
 * fstore.c: findings in an unlinked temporary file (fstore.h).
 *
 * A record is "CSF1", the body and a 32-bit checksum of both
 * (cs_fstore_sum).  Numbers are little-endian; a string or byte run is a
 * presence byte (0 for NULL), a 32-bit length and the bytes, so NULL and
 * "" differ and lengths travel even with embedded NUL bytes; presence
 * byte 2 stands for the bytes of the finding's path, which the displayed
 * path and the entries' paths most often are.  A static string (a
 * reason, a technique) is a 32-bit number: 0 for NULL, else its place in
 * the store's pool, where each distinct string is copied once when first
 * written.  Records are appended to a write buffer that goes to the file
 * when it is full, or before a record still in it is read back; they are
 * read back 64 KiB at a time.  The decoder trusts nothing: every
 * read is checked against what is left of the record, and counts are
 * checked against the bytes that could hold them before any allocation.
 */
#include "custos/custos.h"

#include <sys/types.h>

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/atomic.h"
#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/fstore.h"
#include "custos/path.h"
#include "custos/xmalloc.h"

#define FSTORE_MAGIC	"CSF1"
#define FSTORE_WBUF	(64U * 1024)	/* write buffer flushed at this size */
#define FSTORE_RBUF	(64U * 1024)	/* file read at least this much at once */
#define FSTORE_MINSTR	5U		/* presence byte and length */

_Static_assert(sizeof(struct cs_fstore_ix) == 40,
    "the index entry is documented as 40 bytes");

/*
 * Interned static strings: their numbers (1, 2, ...) by content, open
 * addressing at most half full, and the strings by number.
 */
struct fstore_pool {
	uint32_t	*slot;		/* numbers, 0 for a free slot */
	size_t		 cap;
	char		**str;		/* string N is str[N - 1] */
	size_t		 n;
};

struct cs_fstore {
	int		 fd;
	int		 broken;	/* a write failed: refuse everything */
	uint64_t	 flushed;	/* bytes in the file */
	struct cs_buf	 wbuf;		/* records after FLUSHED */
	struct cs_buf	 rbuf;		/* file bytes from ROFF on */
	uint64_t	 roff;
	uint64_t	 rnext;		/* end of the record read last */
	struct cs_fstore_ix *ix;
	size_t		 nix;
	size_t		 cap;
	struct fstore_pool pool;
};

/* A record being decoded. */
struct fstore_rd {
	const unsigned char *p;
	size_t		 left;
	int		 bad;
	const char	*same;		/* the finding's path, once read */
	size_t		 samelen;
};

/* 32-bit FNV-1a of N bytes at P. */
static uint32_t
fstore_fnv(const void *p, size_t n)
{
	const unsigned char	*c = p;
	uint32_t		 h = 2166136261U;

	while (n-- > 0) {
		h ^= *c++;
		h *= 16777619U;
	}
	return h;
}

/* Bytes P[0..7] as a little-endian number. */
static uint64_t
fstore_le64(const unsigned char *p)
{
	uint64_t	 w;

	memcpy(&w, p, sizeof w);
	return le64toh(w);
}

/* One step of a lane: FNV-1a's, on a word, and a shift to mix. */
static uint64_t
fstore_step(uint64_t h, uint64_t w)
{
	h = (h ^ w) * UINT64_C(1099511628211);
	return h ^ (h >> 29);
}

/*
 * The checksum of a record's N bytes at P: four lanes of 64-bit words
 * (word I on lane I mod 4, so that the multiplications overlap), the
 * words and bytes left over on the first, the lanes mixed and folded to
 * 32 bits.  It is there to catch a record cut short or altered on disk,
 * and is computed over every record each time the report reads it.
 */
uint32_t
cs_fstore_sum(const void *p, size_t n)
{
	const unsigned char	*c = p;
	uint64_t		 a = UINT64_C(14695981039346656037);
	uint64_t		 b = a + 1, d = a + 2, e = a + 3;

	for (; n >= 32; c += 32, n -= 32) {
		a = fstore_step(a, fstore_le64(c));
		b = fstore_step(b, fstore_le64(c + 8));
		d = fstore_step(d, fstore_le64(c + 16));
		e = fstore_step(e, fstore_le64(c + 24));
	}
	for (; n >= 8; c += 8, n -= 8)
		a = fstore_step(a, fstore_le64(c));
	while (n-- > 0)
		a = fstore_step(a, *c++);
	a = fstore_step(fstore_step(fstore_step(a, b), d), e);
	return (uint32_t)(a ^ (a >> 32));
}

struct cs_fstore *
cs_fstore_new(struct cs_err *err)
{
	struct cs_fstore	*s;
	int			 fd;

	if ((fd = cs_tmpfile_in(CS_FSTORE_TMPDIR, err)) < 0)
		return NULL;
	s = cs_xcalloc(1, sizeof *s);
	s->fd = fd;
	cs_buf_init(&s->wbuf);
	cs_buf_init(&s->rbuf);
	return s;
}

void
cs_fstore_free(struct cs_fstore *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	if (s->fd >= 0)
		(void)close(s->fd);
	cs_buf_release(&s->wbuf);
	cs_buf_release(&s->rbuf);
	free(s->ix);
	for (i = 0; i < s->pool.n; i++)
		free(s->pool.str[i]);
	free(s->pool.str);
	free(s->pool.slot);
	free(s);
}

size_t
cs_fstore_count(const struct cs_fstore *s)
{
	return s->nix;
}

const struct cs_fstore_ix *
cs_fstore_ix(const struct cs_fstore *s, size_t i)
{
	return &s->ix[i];
}

int
cs_fstore_fd(const struct cs_fstore *s)
{
	return s->fd;
}

/* The slot of string STR (N bytes) in SLOT (CAP of them): its own or free. */
static size_t
fstore_slot(const struct fstore_pool *pool, const uint32_t *slot, size_t cap,
    const char *str, size_t n)
{
	size_t		 j = fstore_fnv(str, n) & (cap - 1);

	while (slot[j] != 0 && strcmp(pool->str[slot[j] - 1], str) != 0)
		j = (j + 1) & (cap - 1);
	return j;
}

/* The number of the string STR in the pool, added if new. */
static uint32_t
fstore_intern(struct fstore_pool *pool, const char *str)
{
	size_t		 i, j, cap;
	uint32_t	*grown;

	if (pool->n >= pool->cap / 2) {
		if (pool->cap > UINT32_MAX / 4)
			cs_xmalloc(SIZE_MAX);		/* exits */
		cap = pool->cap == 0 ? 64 : pool->cap * 2;
		grown = cs_xcalloc(cap, sizeof *grown);
		for (i = 0; i < pool->n; i++) {
			j = fstore_slot(pool, grown, cap, pool->str[i],
			    strlen(pool->str[i]));
			grown[j] = (uint32_t)(i + 1);
		}
		free(pool->slot);
		pool->slot = grown;
		pool->cap = cap;
		pool->str = cs_xreallocarray(pool->str, cap / 2,
		    sizeof *pool->str);
	}
	j = fstore_slot(pool, pool->slot, pool->cap, str, strlen(str));
	if (pool->slot[j] == 0) {
		pool->str[pool->n] = cs_xstrdup(str);
		pool->slot[j] = (uint32_t)++pool->n;
	}
	return pool->slot[j];
}

/* Encoding. */

static void
put_u8(struct cs_buf *b, unsigned v)
{
	cs_buf_addc(b, (char)(unsigned char)v);
}

static void
put_u32(struct cs_buf *b, uint32_t v)
{
	unsigned char	 c[4];
	size_t		 i;

	for (i = 0; i < sizeof c; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	cs_buf_add(b, c, sizeof c);
}

static void
put_u64(struct cs_buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)v);
	put_u32(b, (uint32_t)(v >> 32));
}

/*
 * N bytes at P, or NULL.  A length beyond 32 bits is written as such and
 * makes the record too large (cs_fstore_add refuses it).
 */
static void
put_blob(struct cs_buf *b, const void *p, size_t n)
{
	put_u8(b, p != NULL);
	put_u32(b, n > UINT32_MAX ? UINT32_MAX : (uint32_t)n);
	if (p != NULL)
		cs_buf_add(b, p, n);
}

static void
put_str(struct cs_buf *b, const char *s)
{
	put_blob(b, s, s == NULL ? 0 : strlen(s));
}

/* N bytes at P, or presence byte 2 if they are the N bytes at SAME. */
static void
put_blob_or(struct cs_buf *b, const void *p, size_t n, const void *same,
    size_t samen)
{
	if (p != NULL && same != NULL && n == samen &&
	    (p == same || memcmp(p, same, n) == 0))
		put_u8(b, 2);
	else
		put_blob(b, p, n);
}

/* A static string as its number in POOL, 0 for NULL. */
static void
put_static(struct cs_buf *b, struct fstore_pool *pool, const char *s)
{
	put_u32(b, s == NULL ? 0 : fstore_intern(pool, s));
}

static void
put_time(struct cs_buf *b, const struct cs_time *t)
{
	put_u64(b, (uint64_t)t->sec);
	put_u32(b, t->nsec);
}

/*
 * Every field of entry E (the runtime ones too), or a 0 for NULL; its
 * path as presence byte 2 if it is the N bytes at PATH.
 */
static void
put_entry(struct cs_buf *b, const struct cs_entry *e, const char *path,
    size_t n)
{
	const struct cs_pkgref	*k;
	size_t			 i;

	put_u8(b, e != NULL);
	if (e == NULL)
		return;
	put_blob_or(b, e->path, e->pathlen, path, n);
	put_u8(b, (unsigned)e->type);
	put_u32(b, e->have);
	put_u32(b, e->mode);
	put_u32(b, e->uid);
	put_u32(b, e->gid);
	put_str(b, e->user);
	put_str(b, e->group);
	put_u64(b, e->size);
	put_time(b, &e->mtime);
	put_time(b, &e->ctime);
	put_time(b, &e->btime);
	put_u64(b, e->ino);
	put_u64(b, e->nlink);
	put_u32(b, e->rmajor);
	put_u32(b, e->rminor);
	put_blob(b, e->target, e->targetlen);
	put_str(b, e->acl);
	put_str(b, e->dacl);
	put_u64(b, e->nxattrs);
	for (i = 0; i < e->nxattrs; i++) {
		put_str(b, e->xattrs[i].name);
		put_blob(b, e->xattrs[i].value, e->xattrs[i].len);
	}
	put_str(b, e->caps);
	put_u32(b, e->iflags);
	put_u32(b, e->digests);
	for (i = 0; i < CS_D_COUNT; i++) {
		if (e->digests & (1U << i))
			cs_buf_add(b, e->digest[i], CS_DIGEST_MAXLEN);
	}
	if (e->have & CS_F_ZDIGEST)
		cs_buf_add(b, e->zdigest, CS_ZDIGEST_LEN);
	put_str(b, e->error);
	put_u8(b, e->magic);
	put_blob(b, e->sdata, e->sdatalen);
	put_u64(b, e->npkgs);
	for (i = 0; i < e->npkgs; i++) {
		k = &e->pkgs[i];
		put_str(b, k->name);
		put_str(b, k->version);
		put_str(b, k->arch);
		put_u32(b, k->flags);
		put_u64(b, k->size);
		cs_buf_add(b, k->sha256, sizeof k->sha256);
		put_u32(b, k->mode);
	}
	put_u64(b, e->dev);
	put_u64(b, e->blocks);
}

void
cs_fstore_encode(struct cs_fstore *s, struct cs_buf *b,
    const struct cs_finding *f)
{
	const struct cs_change	*c;
	size_t			 start = b->len, i;

	cs_buf_add(b, FSTORE_MAGIC, 4);
	put_u8(b, (unsigned)f->kind);
	put_blob(b, f->path, f->pathlen);
	put_blob_or(b, f->shown, f->shown == NULL ? 0 : strlen(f->shown),
	    f->path, f->pathlen);
	put_entry(b, f->old, f->path, f->pathlen);
	put_entry(b, f->new, f->path, f->pathlen);
	put_u32(b, f->attrs);
	put_u64(b, f->nchanges);
	for (i = 0; i < f->nchanges; i++) {
		c = &f->changes[i];
		put_u8(b, (unsigned)c->attr);
		put_str(b, c->name);
		put_str(b, c->old);
		put_str(b, c->new);
	}
	put_u32(b, f->flags);
	put_u32(b, (uint32_t)f->base);
	put_u32(b, (uint32_t)f->severity);
	put_u64(b, f->nreasons);
	for (i = 0; i < CS_MAX_REASONS; i++) {
		put_static(b, &s->pool, f->reasons[i]);
		put_static(b, &s->pool, f->techniques[i]);
	}
	put_str(b, f->related);
	put_str(b, f->copy_of);
	put_str(b, f->detail);
	put_str(b, f->restore);
	put_u32(b, (uint32_t)f->floor);
	put_static(b, &s->pool, f->floor_reason);
	put_static(b, &s->pool, f->floor_technique);
	put_static(b, &s->pool, f->danger_reason);
	put_static(b, &s->pool, f->danger_technique);
	put_static(b, &s->pool, f->why_not);
	put_u64(b, f->seq);
	put_u32(b, cs_fstore_sum(b->data + start, b->len - start));
}

/* Decoding: a short read marks the record bad and yields zeros. */

static const unsigned char *
get_bytes(struct fstore_rd *rd, size_t n)
{
	const unsigned char	*p;

	if (rd->bad || n > rd->left) {
		rd->bad = 1;
		return NULL;
	}
	p = rd->p;
	rd->p += n;
	rd->left -= n;
	return p;
}

static unsigned
get_u8(struct fstore_rd *rd)
{
	const unsigned char	*p = get_bytes(rd, 1);

	return p == NULL ? 0 : *p;
}

static uint32_t
get_u32(struct fstore_rd *rd)
{
	const unsigned char	*p = get_bytes(rd, 4);

	if (p == NULL)
		return 0;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
get_u64(struct fstore_rd *rd)
{
	uint64_t	 lo = get_u32(rd);

	return lo | (uint64_t)get_u32(rd) << 32;
}

/* Copy N bytes into DST (zeros if the record is short). */
static void
get_copy(struct fstore_rd *rd, void *dst, size_t n)
{
	const unsigned char	*p = get_bytes(rd, n);

	if (p != NULL)
		memcpy(dst, p, n);
}

/*
 * A string or byte run, borrowed from the record: 1 with *PP and *NP, 0
 * for NULL (*NP still set), or 0 with the record marked bad.  Presence
 * byte 2 gives the finding's path (RD->same), where one has been read.
 */
static int
get_view(struct fstore_rd *rd, const char **pp, size_t *np)
{
	unsigned	 present = get_u8(rd);
	uint32_t	 n;
	const unsigned char *p;

	*pp = NULL;
	*np = 0;
	if (present == 2 && rd->same != NULL) {
		*pp = rd->same;
		*np = rd->samelen;
		return 1;
	}
	n = get_u32(rd);
	*np = n;
	if (present > 1)
		rd->bad = 1;
	if (present != 1 || rd->bad)
		return 0;
	if ((p = get_bytes(rd, n)) == NULL)
		return 0;
	*pp = (const char *)p;
	return 1;
}

/* A heap copy (NUL-terminated) of a string or byte run, or NULL. */
static char *
get_blob(struct fstore_rd *rd, size_t *np)
{
	const char	*p;
	size_t		 n;

	if (!get_view(rd, &p, &n)) {
		if (np != NULL)
			*np = rd->bad ? 0 : n;
		return NULL;
	}
	if (np != NULL)
		*np = n;
	return cs_xmemdup(p, n);
}

static char *
get_str(struct fstore_rd *rd)
{
	return get_blob(rd, NULL);
}

/* A static string by its number in the store's pool, or NULL. */
static const char *
get_static(struct fstore_rd *rd, const struct fstore_pool *pool)
{
	uint32_t	 id = get_u32(rd);

	if (id == 0)
		return NULL;
	if (id > pool->n) {
		rd->bad = 1;
		return NULL;
	}
	return pool->str[id - 1];
}

/*
 * A count of items of at least MIN bytes each: refused (0, record bad)
 * if the rest of the record could not hold them, so that no allocation
 * is larger than the record.
 */
static size_t
get_count(struct fstore_rd *rd, size_t min)
{
	uint64_t	 n = get_u64(rd);

	if (n > rd->left / min) {
		rd->bad = 1;
		return 0;
	}
	return (size_t)n;
}

static void
get_time(struct fstore_rd *rd, struct cs_time *t)
{
	t->sec = (int64_t)get_u64(rd);
	t->nsec = get_u32(rd);
}

/* The shipping packages of E. */
static void
get_pkgs(struct fstore_rd *rd, struct cs_entry *e)
{
	struct cs_pkgref	*k;
	size_t			 i, n;

	n = get_count(rd, 3 * FSTORE_MINSTR + 4 + 8 + 32 + 4);
	if (n == 0)
		return;
	e->pkgs = cs_xcalloc(n, sizeof *e->pkgs);
	e->npkgs = n;
	for (i = 0; i < n; i++) {
		k = &e->pkgs[i];
		k->name = get_str(rd);
		k->version = get_str(rd);
		k->arch = get_str(rd);
		k->flags = get_u32(rd);
		k->size = get_u64(rd);
		get_copy(rd, k->sha256, sizeof k->sha256);
		k->mode = get_u32(rd);
	}
}

/* The extended attributes of E. */
static void
get_xattrs(struct fstore_rd *rd, struct cs_entry *e)
{
	struct cs_xattr	*x;
	size_t		 i, n;

	n = get_count(rd, 2 * FSTORE_MINSTR);
	if (n == 0)
		return;
	e->xattrs = cs_xcalloc(n, sizeof *e->xattrs);
	e->nxattrs = n;
	for (i = 0; i < n; i++) {
		x = &e->xattrs[i];
		x->name = get_str(rd);
		x->value = (unsigned char *)get_blob(rd, &x->len);
	}
}

/* An entry, or NULL (also when the record is bad: the caller checks). */
static struct cs_entry *
get_entry(struct fstore_rd *rd)
{
	struct cs_entry	*e;
	unsigned	 present = get_u8(rd), i;

	if (present != 1) {
		if (present > 1)
			rd->bad = 1;
		return NULL;
	}
	e = cs_entry_new();
	e->path = get_blob(rd, &e->pathlen);
	if ((i = get_u8(rd)) > CS_T_BLOCK)
		rd->bad = 1;
	e->type = (enum cs_type)i;
	e->have = get_u32(rd);
	e->mode = get_u32(rd);
	e->uid = get_u32(rd);
	e->gid = get_u32(rd);
	e->user = get_str(rd);
	e->group = get_str(rd);
	e->size = get_u64(rd);
	get_time(rd, &e->mtime);
	get_time(rd, &e->ctime);
	get_time(rd, &e->btime);
	e->ino = get_u64(rd);
	e->nlink = get_u64(rd);
	e->rmajor = get_u32(rd);
	e->rminor = get_u32(rd);
	e->target = get_blob(rd, &e->targetlen);
	e->acl = get_str(rd);
	e->dacl = get_str(rd);
	get_xattrs(rd, e);
	e->caps = get_str(rd);
	e->iflags = get_u32(rd);
	e->digests = get_u32(rd);
	if (e->digests >> CS_D_COUNT != 0)
		rd->bad = 1;
	for (i = 0; i < CS_D_COUNT; i++) {
		if (e->digests & (1U << i))
			get_copy(rd, e->digest[i], CS_DIGEST_MAXLEN);
	}
	if (e->have & CS_F_ZDIGEST)
		get_copy(rd, e->zdigest, CS_ZDIGEST_LEN);
	e->error = get_str(rd);
	e->magic = (unsigned char)get_u8(rd);
	e->sdata = get_blob(rd, &e->sdatalen);
	get_pkgs(rd, e);
	e->dev = get_u64(rd);
	e->blocks = get_u64(rd);
	return e;
}

/* The changes of F. */
static void
get_changes(struct fstore_rd *rd, struct cs_finding *f)
{
	struct cs_change	*c;
	size_t			 i, n;
	unsigned		 a;

	n = get_count(rd, 1 + 3 * FSTORE_MINSTR);
	if (n == 0)
		return;
	f->changes = cs_xcalloc(n, sizeof *f->changes);
	f->nchanges = n;
	for (i = 0; i < n; i++) {
		c = &f->changes[i];
		if ((a = get_u8(rd)) >= CS_A_COUNT)
			rd->bad = 1;
		c->attr = (enum cs_attr)a;
		c->name = get_str(rd);
		c->old = get_str(rd);
		c->new = get_str(rd);
	}
}

/* The body of a record (after the magic) into F. */
static void
get_finding(struct fstore_rd *rd, const struct fstore_pool *pool,
    struct cs_finding *f)
{
	unsigned	 k;
	size_t		 i;

	if ((k = get_u8(rd)) >= CS_K_COUNT)
		rd->bad = 1;
	f->kind = (enum cs_kind)k;
	f->path = get_blob(rd, &f->pathlen);
	rd->same = f->path;
	rd->samelen = f->pathlen;
	f->shown = get_str(rd);
	f->old = get_entry(rd);
	f->new = get_entry(rd);
	f->attrs = get_u32(rd);
	get_changes(rd, f);
	f->flags = get_u32(rd);
	f->base = (int)(int32_t)get_u32(rd);
	f->severity = (int)(int32_t)get_u32(rd);
	if ((f->nreasons = (size_t)get_u64(rd)) > CS_MAX_REASONS)
		rd->bad = 1;
	for (i = 0; i < CS_MAX_REASONS; i++) {
		f->reasons[i] = get_static(rd, pool);
		f->techniques[i] = get_static(rd, pool);
	}
	f->related = get_str(rd);
	f->copy_of = get_str(rd);
	f->detail = get_str(rd);
	f->restore = get_str(rd);
	f->floor = (int)(int32_t)get_u32(rd);
	f->floor_reason = get_static(rd, pool);
	f->floor_technique = get_static(rd, pool);
	f->danger_reason = get_static(rd, pool);
	f->danger_technique = get_static(rd, pool);
	f->why_not = get_static(rd, pool);
	f->seq = (size_t)get_u64(rd);
}

int
cs_fstore_decode(struct cs_fstore *s, const void *p, size_t len,
    struct cs_finding **out, struct cs_err *err)
{
	struct cs_finding	*f = NULL;
	struct fstore_rd	 rd;
	uint32_t		 sum;
	int			 rc = -1;

	*out = NULL;
	if (len < 8 || memcmp(p, FSTORE_MAGIC, 4) != 0) {
		cs_err_set(err, CS_EXIT_DATAERR, 0, "finding store: record "
		    "is not one");
		goto out;
	}
	memset(&rd, 0, sizeof rd);
	rd.p = (const unsigned char *)p + len - 4;
	rd.left = 4;
	sum = get_u32(&rd);
	if (cs_fstore_sum(p, len - 4) != sum) {
		cs_err_set(err, CS_EXIT_DATAERR, 0, "finding store: record "
		    "checksum does not match");
		goto out;
	}
	rd.p = (const unsigned char *)p + 4;
	rd.left = len - 8;
	f = cs_xcalloc(1, sizeof *f);
	get_finding(&rd, &s->pool, f);
	if (rd.bad || rd.left != 0) {
		cs_err_set(err, CS_EXIT_DATAERR, 0, "finding store: record "
		    "is malformed");
		goto out;
	}
	*out = f;
	f = NULL;
	rc = 0;
out:
	cs_finding_free(f);
	return rc;
}

/*
 * Write the buffered records to the file; not again after a failure,
 * which may have written part of them.
 */
static int
fstore_flush(struct cs_fstore *s, struct cs_err *err)
{
	if (s->broken)
		return cs_err_set(err, CS_EXIT_IOERR, 0, "the finding store "
		    "failed earlier");
	if (s->wbuf.len == 0)
		return 0;
	if (cs_write_all(s->fd, s->wbuf.data, s->wbuf.len) != 0) {
		s->broken = 1;
		return cs_err_set(err, CS_EXIT_IOERR, errno, "cannot write "
		    "the finding store");
	}
	s->flushed += s->wbuf.len;
	cs_buf_reset(&s->wbuf);
	return 0;
}

/* Append the record of F and fill IX for it; 0 or -1. */
static int
fstore_append(struct cs_fstore *s, const struct cs_finding *f,
    struct cs_fstore_ix *ix, struct cs_err *err)
{
	size_t			 start = s->wbuf.len, len;
	const struct cs_time	*t;

	if (s->broken)
		return fstore_flush(s, err);	/* refuses */
	if (f->severity < INT16_MIN || f->severity > INT16_MAX)
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "finding store: "
		    "severity %d out of range", f->severity);
	cs_fstore_encode(s, &s->wbuf, f);
	len = s->wbuf.len - start;
	if (len > UINT32_MAX) {
		s->wbuf.len = start;
		s->wbuf.data[start] = '\0';
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "finding store: "
		    "a finding of %zu bytes is too large", len);
	}
	memset(ix, 0, sizeof *ix);
	ix->off = s->flushed + start;
	ix->len = (uint32_t)len;
	ix->seq = f->seq;
	ix->severity = (int16_t)f->severity;
	ix->kind = (uint8_t)f->kind;
	ix->flags = f->flags;
	if (f->new != NULL) {
		ix->bits |= CS_FSTORE_NEW;
		t = &f->new->mtime;
		if (f->new->have & CS_F_CTIME) {
			ix->bits |= CS_FSTORE_CTIME;
			t = &f->new->ctime;
		}
		ix->sec = t->sec;
		ix->nsec = t->nsec;
	}
	if (s->wbuf.len >= FSTORE_WBUF)
		return fstore_flush(s, err);
	return 0;
}

size_t
cs_fstore_add(struct cs_fstore *s, const struct cs_finding *f,
    struct cs_err *err)
{
	struct cs_fstore_ix	 ix;

	if (fstore_append(s, f, &ix, err) != 0)
		return CS_FSTORE_NONE;
	if (s->nix == s->cap) {
		s->cap = s->cap == 0 ? 1024 : s->cap * 2;
		s->ix = cs_xreallocarray(s->ix, s->cap, sizeof *s->ix);
	}
	s->ix[s->nix] = ix;
	return s->nix++;
}

int
cs_fstore_replace(struct cs_fstore *s, size_t i, const struct cs_finding *f,
    struct cs_err *err)
{
	struct cs_fstore_ix	 ix;

	if (i >= s->nix)
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "finding store: "
		    "no finding %zu", i);
	if (fstore_append(s, f, &ix, err) != 0)
		return -1;
	s->ix[i] = ix;
	return 0;
}

/*
 * Make the read buffer hold the LEN bytes at OFF of the file.  When it
 * does not, a record that follows the one read last starts a read of at
 * least FSTORE_RBUF bytes (the report's list of findings reads them
 * mostly in the order they were written); any other only its own bytes
 * (its timeline reads them in another order).
 */
static int
fstore_read(struct cs_fstore *s, uint64_t off, size_t len, size_t i,
    struct cs_err *err)
{
	size_t		 want, got = 0;
	ssize_t		 r;

	if (off >= s->roff && off - s->roff <= s->rbuf.len &&
	    len <= s->rbuf.len - (off - s->roff))
		return 0;
	want = len > FSTORE_RBUF || off != s->rnext ? len : FSTORE_RBUF;
	if (want > s->flushed - off)
		want = (size_t)(s->flushed - off);
	cs_buf_reset(&s->rbuf);
	cs_buf_grow(&s->rbuf, want);
	s->roff = off;
	while (got < len) {
		r = pread(s->fd, s->rbuf.data + got, want - got,
		    (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return cs_err_set(err, CS_EXIT_IOERR, errno, "cannot "
			    "read the finding store");
		if (r == 0)
			return cs_err_set(err, CS_EXIT_IOERR, 0, "finding "
			    "store: record %zu is cut short", i);
		got += (size_t)r;
		s->rbuf.len = got;
	}
	return 0;
}

int
cs_fstore_get(struct cs_fstore *s, size_t i, struct cs_finding **out,
    struct cs_err *err)
{
	const struct cs_fstore_ix *ix;

	*out = NULL;
	if (i >= s->nix)
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "finding store: "
		    "no finding %zu", i);
	ix = &s->ix[i];
	if (ix->off + ix->len > s->flushed && fstore_flush(s, err) != 0)
		return -1;
	if (fstore_read(s, ix->off, ix->len, i, err) != 0)
		return -1;
	s->rnext = ix->off + ix->len;
	return cs_fstore_decode(s, s->rbuf.data + (ix->off - s->roff),
	    ix->len, out, err);
}
