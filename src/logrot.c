/*
 * logrot.c: follow rotated logs across the findings of one comparison
 * (logrot.h).
 *
 * The findings are grouped in families: the files of one directory whose
 * names reduce to the same log name once a compression suffix (.gz, .xz,
 * .zst, .bz2), a number (.N) and a date (-YYYYMMDD, dateext) are taken
 * off; rotated copies in a directory without that live log (olddir) join
 * the family of the one directory that has it.  In a family, a "source" is a baselined content that is no longer
 * where it was (removed, or rewritten other than by growth); a
 * "destination" is a file whose content is new or changed.  Each source
 * is looked for in the destinations: same size and digest, or its old
 * size's worth of bytes as a prefix of the destination, read raw or
 * decompressed.  Files are read again only through descriptors opened
 * without following links, component by component from the root, and
 * only when fstat shows the very object the walk recorded.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/logrot.h"
#include "custos/policy.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

#define LR_BUFSIZE	(64 * 1024)
#define LR_CONTENT	(CS_ABIT(CS_A_SIZE) | CS_ABIT(CS_A_DIGEST) | \
			 CS_ABIT(CS_A_PREFIX))

#define R_ROTATED	"log rotated: its old content is intact in a " \
			"rotated copy"
#define R_MOVED		"rotated copy moved on intact"
#define R_FRESH		"log rotated: checked as a fresh append-only file"
#define R_COPY		"rotated copy of the log, old content intact"
#define R_DROPPED	"oldest rotated copy dropped (rotate N)"
#define R_TAMPER	"tampered rotated log"
#define R_SAME		"rotated copy replaced by one of the same content"
#define T_CLEAR		"T1070.002"

/* Compression suffixes of rotated copies. */
static const char *const lr_comp[] = { ".gz", ".xz", ".zst", ".bz2" };

/* One finding of a family member. */
struct lr_mem {
	struct cs_finding	*f;
	const struct cs_entry	*old;	/* as baselined, or NULL */
	const struct cs_entry	*new;	/* as found, or NULL */
	size_t			 keylen;	/* dir + log name: the family */
	size_t			 base;		/* where the name starts */
	int			 joined;	/* olddir: in the live log's */
	int			 comp;		/* compressed name */
	int			 rot;		/* 1 numbered, 2 dated */
	uint64_t		 idx;		/* number, or date digits */
	int			 src;		/* its baselined content moved */
	int			 dst;		/* its content is new */
	struct lr_mem		*moved_to;	/* where the source lives */
	int			 holds;		/* holds some source */
	int			 recreated;	/* a live log, new inode */
	int			 tampered;	/* judged high: final */
	int			 corrupt;	/* cannot be decompressed */
};

/* Take a ".N" or "-DIGITS" rotation suffix off NAME[0, *N). */
static int
lr_rotation(const char *name, size_t *n, uint64_t *idx)
{
	size_t	 i = *n, d = 0;
	uint64_t v = 0;

	while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9' && d < 19) {
		i--;
		d++;
	}
	if (d == 0 || i < 2 || (name[i - 1] != '.' && name[i - 1] != '-'))
		return 0;
	if (name[i - 1] == '-' && d < 8)	/* dateext: YYYYMMDD... */
		return 0;
	for (d = i; d < *n; d++)
		v = v * 10 + (uint64_t)(name[d] - '0');
	*idx = v;
	*n = i - 1;
	return name[i - 1] == '.' ? 1 : 2;
}

/* Fill M's family key and rotation facts from its path. */
static void
lr_parse(struct lr_mem *m)
{
	const char	*p = m->f->path;
	size_t		 n = m->f->pathlen, base, i, k;

	base = n;
	while (base > 0 && p[base - 1] != '/')
		base--;
	for (i = 0; i < CS_NELEM(lr_comp); i++) {
		k = strlen(lr_comp[i]);
		if (n - base > k && memcmp(p + n - k, lr_comp[i], k) == 0) {
			m->comp = 1;
			n -= k;
			break;
		}
	}
	k = n - base;
	m->rot = lr_rotation(p + base, &k, &m->idx);
	m->keylen = base + k;
	m->base = base;
}

static int
lr_live(const struct lr_mem *m)
{
	return m->rot == 0 && !m->comp;
}

/* Compare the log names of A and B, then their directories. */
static int
lr_mem_cmp(const void *a, const void *b)
{
	const struct lr_mem	*x = a, *y = b;
	size_t			 xn = x->keylen - x->base, yn = y->keylen - y->base;
	int			 c;

	if ((c = memcmp(x->f->path + x->base, y->f->path + y->base,
	    xn < yn ? xn : yn)) != 0 || xn != yn)
		return c != 0 ? c : xn < yn ? -1 : 1;
	if ((c = memcmp(x->f->path, y->f->path,
	    x->base < y->base ? x->base : y->base)) != 0 || x->base == y->base)
		return c;
	return x->base < y->base ? -1 : 1;
}

static int
lr_same_name(const struct lr_mem *a, const struct lr_mem *b)
{
	return a->keylen - a->base == b->keylen - b->base &&
	    memcmp(a->f->path + a->base, b->f->path + b->base,
	    a->keylen - a->base) == 0;
}

static int
lr_same_dir(const struct lr_mem *a, const struct lr_mem *b)
{
	return a->base == b->base && memcmp(a->f->path, b->f->path,
	    a->base) == 0;
}

/*
 * Among the members [M, M + N) of one log name: if the live log is in
 * exactly one directory, rotated copies in directories without a live
 * log of that name (logrotate's olddir) join its family.
 */
static void
lr_olddir(struct lr_mem *m, size_t n)
{
	const struct lr_mem	*live = NULL;
	size_t			 i, j;
	int			 has;

	for (i = 0; i < n; i++) {
		if (!lr_live(&m[i]))
			continue;
		if (live != NULL && !lr_same_dir(live, &m[i]))
			return;		/* two live logs of that name */
		live = &m[i];
	}
	for (i = 0; live != NULL && i < n; i++) {
		for (j = 0, has = 0; j < n; j++)
			has |= lr_live(&m[j]) && lr_same_dir(&m[i], &m[j]);
		m[i].joined = !has;
	}
}

/* Are A and B (sorted, of one name) in one family? */
static int
lr_same_family(const struct lr_mem *a, const struct lr_mem *b)
{
	return lr_same_name(a, b) && (lr_same_dir(a, b) || a->joined ||
	    b->joined);
}

/* Feed up to WANT bytes of raw FD to H; the count read, or -1. */
static int64_t
lr_hash_raw(int fd, struct cs_hasher *h, uint64_t want)
{
	uint64_t	 n = 0;

	if (cs_hasher_read(h, fd, want, &n) != 0)
		return -1;
	return (int64_t)n;
}

/* Feed up to WANT decompressed bytes of FD to H; -1 if corrupt. */
static int64_t
lr_hash_unpacked(int fd, struct cs_hasher *h, uint64_t want)
{
	struct archive		*a;
	struct archive_entry	*ae;
	unsigned char		*buf;
	uint64_t		 got = 0;
	la_ssize_t		 r = 0;
	size_t			 ask;
	int			 hr = ARCHIVE_OK;

	if ((a = archive_read_new()) == NULL)
		return -1;
	buf = cs_xmalloc(LR_BUFSIZE);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_lz4(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_format_raw(a);
	archive_read_support_format_empty(a);
	if (archive_read_open_fd(a, fd, LR_BUFSIZE) != ARCHIVE_OK ||
	    (hr = archive_read_next_header(a, &ae)) < ARCHIVE_OK ||
	    archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE)
		r = -1;		/* not compressed as its name says */
	else if (hr == ARCHIVE_EOF)
		want = 0;	/* empty */
	while (r >= 0 && got < want) {
		ask = want - got < LR_BUFSIZE ? (size_t)(want - got) :
		    LR_BUFSIZE;
		if ((r = archive_read_data(a, buf, ask)) <= 0)
			break;
		cs_hasher_update(h, buf, (size_t)r);
		got += (uint64_t)r;
	}
	archive_read_free(a);
	free(buf);
	return r < 0 ? -1 : (int64_t)got;
}

/*
 * Does D's content begin with S's baselined content?  Read again only
 * when the sizes leave it open.
 */
static int
lr_holds(int rootfd, struct lr_mem *d, const struct lr_mem *s)
{
	const struct cs_entry	*o = s->old, *n = d->new;
	unsigned char		 dg[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct cs_hasher	*h;
	unsigned		 both = o->digests & n->digests, one;
	int64_t			 got;
	int			 fd, alg = 0, rc = 0;

	if (both != 0 && n->size == o->size) {
		while ((both & (1U << alg)) == 0)
			alg++;
		if (memcmp(o->digest[alg], n->digest[alg],
		    cs_digest_len((enum cs_digest)alg)) == 0)
			return 1;
	}
	if (o->digests == 0 || (!d->comp && n->size <= o->size))
		return 0;
	while ((o->digests & (1U << alg)) == 0)
		alg++;
	one = 1U << alg;
	if ((fd = cs_walk_open_below(rootfd, n)) < 0)
		return 0;
	if ((h = cs_hasher_new(one, LR_BUFSIZE)) == NULL) {
		close(fd);
		return 0;
	}
	cs_hasher_begin(h);
	if (d->comp) {
		got = lr_hash_unpacked(fd, h, o->size);
		d->corrupt |= got < 0;
	} else
		got = lr_hash_raw(fd, h, o->size);
	cs_hasher_end(h, dg);
	if (got >= 0 && (uint64_t)got == o->size &&
	    memcmp(dg[alg], o->digest[alg],
	    cs_digest_len((enum cs_digest)alg)) == 0)
		rc = 1;
	cs_hasher_free(h);
	close(fd);
	return rc;
}

/* Add the line "WHAT PATH" to M's detail. */
static void
lr_note(struct lr_mem *m, const char *what, const struct lr_mem *rel)
{
	struct cs_finding	*f = m->f;
	char			*d;

	d = cs_xasprintf("%s%s%s%s", f->detail != NULL ? f->detail : "",
	    f->detail != NULL ? "\n" : "", what, rel->f->shown);
	free(f->detail);
	f->detail = d;
}

/* Set M's verdict (final when info), naming REL in its detail. */
static void
lr_verdict(struct lr_mem *m, int sev, const char *reason,
    const char *tech, const struct lr_mem *rel)
{
	struct cs_finding	*f = m->f;

	if (m->tampered)
		return;
	m->tampered = sev >= CS_SEV_HIGH;
	f->floor = sev;
	f->floor_reason = reason;
	f->floor_technique = tech;
	if (sev <= CS_SEV_INFO)
		f->flags |= CS_FF_EXPLAINED;
	else
		f->flags &= ~(unsigned)CS_FF_EXPLAINED;
	if (rel != NULL && rel != m)
		lr_note(m, sev > CS_SEV_INFO ? "should hold the baselined "
		    "content of " : "old content now in ", rel);
}

/* Is S the oldest baselined copy of its family [M, M + N)? */
static int
lr_oldest(const struct lr_mem *s, const struct lr_mem *m, size_t n)
{
	size_t	 i;

	if (s->rot == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (m[i].old == NULL || m[i].rot != s->rot || &m[i] == s)
			continue;
		if (s->rot == 1 ? m[i].idx > s->idx : m[i].idx < s->idx)
			return 0;
	}
	return 1;
}

/*
 * Where S's content should be now: a rotated copy with its inode (a
 * rename; the live log may have reused a freed inode), else the next
 * number, else S itself.
 */
static struct lr_mem *
lr_expected(struct lr_mem *s, struct lr_mem *m, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (&m[i] != s && m[i].new != NULL && m[i].dst &&
		    (m[i].rot != 0 || m[i].comp) &&
		    (m[i].new->have & s->old->have & CS_F_INO) &&
		    m[i].new->ino == s->old->ino)
			return &m[i];
	}
	for (i = 0; i < n; i++) {
		if (m[i].new != NULL && m[i].dst && m[i].rot == 1 &&
		    (s->rot == 0 || s->rot == 1) && m[i].idx == s->idx + 1)
			return &m[i];
	}
	return s;
}

/* Turn F into a not-compared finding, keeping ST's counts right. */
static void
lr_notcmp(struct cs_finding *f, struct cs_diff_stats *st)
{
	if (f->kind == CS_K_NOTCMP)
		return;
	if (st != NULL && st->count[f->kind] > 0)
		st->count[f->kind]--;
	if (st != NULL)
		st->count[CS_K_NOTCMP]++;
	f->kind = CS_K_NOTCMP;
	f->why_not = "rotated log cannot be decompressed";
	f->floor = -1;
	f->floor_reason = f->floor_technique = NULL;
	f->flags &= ~(unsigned)CS_FF_EXPLAINED;
}

/* One family [M, M + N): match, then judge. */
static void
lr_family(int rootfd, struct lr_mem *m, size_t n, struct cs_diff_stats *st)
{
	struct lr_mem	*s, *e;
	size_t		 i, j;
	int		 rotated = 0, happened = 0;

	for (i = 0; i < n; i++) {
		rotated |= m[i].rot != 0 || m[i].comp;
		happened |= m[i].recreated;
	}
	if (!rotated)
		return;
	for (i = 0; i < n; i++) {
		s = &m[i];
		for (j = 0; s->src && s->moved_to == NULL && j < n; j++) {
			if (&m[j] != s && m[j].dst && lr_holds(rootfd, &m[j], s))
				s->moved_to = &m[j];
		}
		if (s->moved_to != NULL)
			s->moved_to->holds = happened = 1;
	}
	for (i = 0; i < n; i++) {
		s = &m[i];
		if (s->src && s->moved_to != NULL)
			lr_verdict(s, CS_SEV_INFO, s->new != NULL ? R_ROTATED :
			    R_MOVED, NULL, s->moved_to);
		else if (s->holds)
			lr_verdict(s, CS_SEV_INFO, R_COPY, NULL, NULL);
	}
	for (i = 0; i < n; i++) {
		s = &m[i];
		if (!s->src || s->moved_to != NULL || s->old->size == 0)
			continue;
		e = lr_expected(s, m, n);
		/* dropped only if gone, and nothing else should hold it */
		if (happened && lr_oldest(s, m, n) &&
		    (s->new == NULL || s->holds) && (e == s || e->holds)) {
			lr_verdict(s, CS_SEV_INFO, R_DROPPED, NULL, NULL);
			continue;
		}
		if (e->corrupt)
			lr_notcmp(e->f, st);
		else
			lr_verdict(e, CS_SEV_HIGH, R_TAMPER, T_CLEAR, s);
	}
	for (i = 0; i < n; i++) {
		s = &m[i];
		if (s->corrupt && !s->holds)
			lr_notcmp(s->f, st);
		/* a copy rotated over one with the same content (empty) */
		if (happened && !lr_live(s) && s->old != NULL &&
		    s->new != NULL && (s->f->attrs & LR_CONTENT) == 0 &&
		    s->f->floor < 0)
			lr_verdict(s, CS_SEV_INFO, R_SAME, NULL, NULL);
		/* the live log after rotation: a fresh append-only file */
		if (happened && lr_live(s) && s->new != NULL &&
		    s->f->floor < CS_SEV_HIGH && s->moved_to == NULL &&
		    (!s->src || s->old->size == 0))
			lr_verdict(s, CS_SEV_INFO, R_FRESH, NULL, NULL);
	}
}

/* Fill M from F if F is a regular file of a possible log family. */
static int
lr_member(struct lr_mem *m, struct cs_finding *f)
{
	memset(m, 0, sizeof *m);
	m->f = f;
	if (f->kind == CS_K_TYPE || f->kind == CS_K_NOTCMP ||
	    f->danger_reason != NULL)
		return 0;
	m->old = f->old != NULL && f->old->type == CS_T_FILE ? f->old : NULL;
	m->new = f->new != NULL && f->new->type == CS_T_FILE &&
	    f->new->error == NULL ? f->new : NULL;
	if (m->old == NULL && m->new == NULL)
		return 0;
	/* grown with its old content intact in place: not a source */
	m->src = m->old != NULL && m->old->digests != 0 &&
	    (f->flags & CS_FF_APPENDED) == 0 &&
	    (f->kind == CS_K_REMOVED || (f->attrs & LR_CONTENT) != 0);
	m->dst = m->new != NULL && (f->kind == CS_K_ADDED ||
	    (f->attrs & LR_CONTENT) != 0);
	lr_parse(m);
	m->recreated = m->rot == 0 && !m->comp && m->old != NULL &&
	    m->new != NULL && (m->old->have & m->new->have & CS_F_INO) &&
	    m->old->ino != m->new->ino;
	return 1;
}

void
cs_logrot_explain(struct cs_finding **fs, size_t n, const char *root,
    struct cs_diff_stats *st)
{
	struct lr_mem	*m;
	size_t		 i, j, k = 0;
	int		 rootfd = -1;

	m = cs_xcalloc(n + 1, sizeof *m);
	for (i = 0; i < n; i++) {
		if (lr_member(&m[k], fs[i]))
			k++;
	}
	if (k > 1 && root != NULL)
		rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		    O_NOCTTY | O_NONBLOCK);
	if (k > 1)
		qsort(m, k, sizeof *m, lr_mem_cmp);
	for (i = 0; i < k; i = j) {
		for (j = i + 1; j < k && lr_same_name(&m[i], &m[j]); j++)
			continue;
		lr_olddir(&m[i], j - i);
	}
	for (i = 0; i < k; i = j) {
		for (j = i + 1; j < k && lr_same_family(&m[i], &m[j]); j++)
			continue;
		lr_family(rootfd, &m[i], j - i, st);
	}
	if (rootfd >= 0)
		close(rootfd);
	free(m);
}
