/*
 * test_fstore.c: the finding store gives back every field of every
 * finding it was given, in any order, interns the static strings, and
 * refuses a short or altered record without reading past it.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/fstore.h"
#include "custos/xmalloc.h"
#include "util.h"

#define NMANY	100000

/* Static strings as triage sets them. */
static const char R_SUID[] = "setuid file added";
static const char R_EXEC[] = "executable in a system directory";
static const char T_SUID[] = "T1548.001";

/* An entry with every field set, made different by K. */
static struct cs_entry *
full_entry(unsigned k)
{
	static const char path[] = "/usr/b\0in/\xff\n";
	static const char target[] = "../t\0x";
	static const char sdata[] = "passwd:root:x:0:0\n";
	struct cs_entry	*e = cs_entry_new();
	struct cs_pkgref *p;
	unsigned char	 v[] = { 0, 1, 0xff, '\n' };
	unsigned	 d;

	cs_entry_set_path(e, path, sizeof path - 1);
	e->type = (enum cs_type)(1 + k % CS_T_BLOCK);
	e->have = CS_F_INO | CS_F_NLINK | CS_F_CTIME | CS_F_IFLAGS |
	    CS_F_META | CS_F_MAGIC | CS_F_STRUCT | CS_F_ZDIGEST | CS_F_BTIME |
	    CS_F_PKG | CS_F_NOHASH;
	e->mode = 04755 + k;
	e->uid = 4000000000U + k;
	e->gid = 7 + k;
	e->user = cs_xstrdup("alice");
	e->group = cs_xstrdup("");
	e->size = (1ULL << 40) + k;
	e->mtime.sec = -5 - (int64_t)k;
	e->mtime.nsec = 999999999;
	e->ctime.sec = INT64_MAX - k;
	e->ctime.nsec = 1 + k;
	e->btime.sec = 3;
	e->btime.nsec = 4;
	e->ino = UINT64_MAX - k;
	e->nlink = 2;
	e->rmajor = 8;
	e->rminor = 1 + k;
	cs_entry_set_target(e, target, sizeof target - 1);
	e->acl = cs_xstrdup("user::rwx,user:bob:r--,mask::r--");
	e->dacl = cs_xstrdup("");
	cs_entry_add_xattr(e, "security.capability", v, sizeof v);
	cs_entry_add_xattr(e, "user.empty", "", 0);
	e->caps = cs_xstrdup("cap_net_raw=ep");
	e->iflags = 0x80010 + k;
	e->digests = (1U << CS_D_COUNT) - 1;
	for (d = 0; d < CS_D_COUNT; d++)
		memset(e->digest[d], (int)(d * 16 + k), CS_DIGEST_MAXLEN);
	memset(e->zdigest, 0xa5, CS_ZDIGEST_LEN);
	e->error = cs_xstrdup("cannot read 'x': Permission denied");
	e->magic = CS_MAGIC_ELF;
	e->sdata = cs_xmemdup(sdata, sizeof sdata - 1);
	e->sdatalen = sizeof sdata - 1;
	p = cs_entry_add_pkg(e, "coreutils", "9.1-1", "amd64",
	    CS_PKG_CONFFILE);
	p->size = 12345;
	memset(p->sha256, 0x3c, sizeof p->sha256);
	p = cs_entry_add_pkg(e, "", "1:2.0~rc1", "all",
	    CS_PKG_UNVERIFIED | CS_PKG_MODE);
	p->mode = 0640;
	e->dev = 0x803;
	e->blocks = 77 + k;
	return e;
}

/* A finding of KIND with every field set. */
static struct cs_finding *
full_finding(enum cs_kind kind, size_t seq)
{
	static const char path[] = "/usr/b\0in/\xff\n";
	struct cs_finding *f = cs_xcalloc(1, sizeof *f);

	f->kind = kind;
	f->path = cs_xmemdup(path, sizeof path - 1);
	f->pathlen = sizeof path - 1;
	f->shown = cs_xstrdup("/usr/b\\000in/\\377\\n");
	if (kind != CS_K_ADDED)
		f->old = full_entry(1);
	if (kind != CS_K_REMOVED)
		f->new = full_entry(2);
	f->attrs = CS_ABIT(CS_A_MODE) | CS_ABIT(CS_A_XATTR);
	f->changes = cs_xcalloc(3, sizeof *f->changes);
	f->nchanges = 3;
	f->changes[0].attr = CS_A_MODE;
	f->changes[0].old = cs_xstrdup("0755");
	f->changes[0].new = cs_xstrdup("4755");
	f->changes[1].attr = CS_A_XATTR;
	f->changes[1].name = cs_xstrdup("user.x");
	f->changes[1].new = cs_xstrdup("");
	f->changes[2].attr = CS_A_BTIME;
	f->flags = CS_FF_TIMESTOMP | CS_FF_UPDATED;
	f->base = -1;
	f->severity = 3;
	cs_finding_reason(f, T_SUID, R_SUID);
	cs_finding_reason(f, NULL, R_EXEC);
	f->related = cs_xstrdup("/etc/rc.local");
	f->detail = cs_xstrdup("+ root2:x:0:0\n- old\n");
	f->restore = cs_xstrdup("");
	f->floor = 2;
	f->floor_reason = "";
	f->floor_technique = T_SUID;
	f->danger_reason = R_SUID;
	f->why_not = "not compared";
	f->seq = seq;
	return f;
}

static void
eq_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
eq_blob(const void *a, size_t alen, const void *b, size_t blen)
{
	assert_int_equal(alen, blen);
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_memory_equal(a, b, alen);
}

static void
eq_time(const struct cs_time *a, const struct cs_time *b)
{
	assert_true(a->sec == b->sec);
	assert_int_equal(a->nsec, b->nsec);
}

static void
eq_pkg(const struct cs_pkgref *a, const struct cs_pkgref *b)
{
	eq_str(a->name, b->name);
	eq_str(a->version, b->version);
	eq_str(a->arch, b->arch);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->size, b->size);
	assert_memory_equal(a->sha256, b->sha256, sizeof a->sha256);
	assert_int_equal(a->mode, b->mode);
}

/* Every field of two entries (digest slots only where present). */
static void
eq_entry(const struct cs_entry *a, const struct cs_entry *b)
{
	size_t	 i;

	if (a == NULL || b == NULL) {
		assert_ptr_equal(a, b);
		return;
	}
	eq_blob(a->path, a->pathlen, b->path, b->pathlen);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->have, b->have);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->uid, b->uid);
	assert_int_equal(a->gid, b->gid);
	eq_str(a->user, b->user);
	eq_str(a->group, b->group);
	assert_int_equal(a->size, b->size);
	eq_time(&a->mtime, &b->mtime);
	eq_time(&a->ctime, &b->ctime);
	eq_time(&a->btime, &b->btime);
	assert_int_equal(a->ino, b->ino);
	assert_int_equal(a->nlink, b->nlink);
	assert_int_equal(a->rmajor, b->rmajor);
	assert_int_equal(a->rminor, b->rminor);
	eq_blob(a->target, a->targetlen, b->target, b->targetlen);
	eq_str(a->acl, b->acl);
	eq_str(a->dacl, b->dacl);
	assert_int_equal(a->nxattrs, b->nxattrs);
	for (i = 0; i < a->nxattrs; i++) {
		eq_str(a->xattrs[i].name, b->xattrs[i].name);
		eq_blob(a->xattrs[i].value, a->xattrs[i].len,
		    b->xattrs[i].value, b->xattrs[i].len);
	}
	eq_str(a->caps, b->caps);
	assert_int_equal(a->iflags, b->iflags);
	assert_int_equal(a->digests, b->digests);
	for (i = 0; i < CS_D_COUNT; i++) {
		if (a->digests & (1U << i))
			assert_memory_equal(a->digest[i], b->digest[i],
			    CS_DIGEST_MAXLEN);
	}
	if (a->have & CS_F_ZDIGEST)
		assert_memory_equal(a->zdigest, b->zdigest, CS_ZDIGEST_LEN);
	eq_str(a->error, b->error);
	assert_int_equal(a->magic, b->magic);
	eq_blob(a->sdata, a->sdatalen, b->sdata, b->sdatalen);
	assert_int_equal(a->npkgs, b->npkgs);
	for (i = 0; i < a->npkgs; i++)
		eq_pkg(&a->pkgs[i], &b->pkgs[i]);
	assert_int_equal(a->dev, b->dev);
	assert_int_equal(a->blocks, b->blocks);
}

/* Every field of two findings. */
static void
eq_finding(const struct cs_finding *a, const struct cs_finding *b)
{
	size_t	 i;

	assert_int_equal(a->kind, b->kind);
	eq_blob(a->path, a->pathlen, b->path, b->pathlen);
	eq_str(a->shown, b->shown);
	eq_entry(a->old, b->old);
	eq_entry(a->new, b->new);
	assert_int_equal(a->attrs, b->attrs);
	assert_int_equal(a->nchanges, b->nchanges);
	for (i = 0; i < a->nchanges; i++) {
		assert_int_equal(a->changes[i].attr, b->changes[i].attr);
		eq_str(a->changes[i].name, b->changes[i].name);
		eq_str(a->changes[i].old, b->changes[i].old);
		eq_str(a->changes[i].new, b->changes[i].new);
	}
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->base, b->base);
	assert_int_equal(a->severity, b->severity);
	assert_int_equal(a->nreasons, b->nreasons);
	for (i = 0; i < CS_MAX_REASONS; i++) {
		eq_str(a->reasons[i], b->reasons[i]);
		eq_str(a->techniques[i], b->techniques[i]);
	}
	eq_str(a->related, b->related);
	eq_str(a->copy_of, b->copy_of);
	eq_str(a->detail, b->detail);
	eq_str(a->restore, b->restore);
	assert_int_equal(a->floor, b->floor);
	eq_str(a->floor_reason, b->floor_reason);
	eq_str(a->floor_technique, b->floor_technique);
	eq_str(a->danger_reason, b->danger_reason);
	eq_str(a->danger_technique, b->danger_technique);
	eq_str(a->why_not, b->why_not);
	assert_int_equal(a->seq, b->seq);
}

/* A store in the test's directory (which it must leave empty). */
static struct cs_fstore *
new_store(void)
{
	struct cs_fstore *s;
	struct cs_err	 err;
	const char	*was = getenv("TMPDIR");
	char		*saved = was == NULL ? NULL : cs_xstrdup(was);

	cs_err_init(&err);
	assert_int_equal(setenv("TMPDIR", cs_test_tmp(), 1), 0);
	s = cs_fstore_new(&err);
	if (saved != NULL)
		assert_int_equal(setenv("TMPDIR", saved, 1), 0);
	else
		assert_int_equal(unsetenv("TMPDIR"), 0);
	free(saved);
	assert_non_null(s);
	cs_err_release(&err);
	return s;
}

/* Add F, read it back, compare, and return the copy read. */
static struct cs_finding *
round_trip(struct cs_fstore *s, const struct cs_finding *f)
{
	struct cs_finding *g;
	struct cs_err	 err;
	size_t		 i;

	cs_err_init(&err);
	i = cs_fstore_add(s, f, &err);
	assert_int_not_equal(i, CS_FSTORE_NONE);
	assert_int_equal(i, cs_fstore_count(s) - 1);
	assert_int_equal(cs_fstore_get(s, i, &g, &err), 0);
	eq_finding(f, g);
	cs_err_release(&err);
	return g;
}

static void
test_every_field(void **state)
{
	struct cs_fstore *s = new_store();
	struct cs_finding *f, *g;
	const struct cs_fstore_ix *ix;
	enum cs_kind	 k;

	(void)state;
	for (k = CS_K_ADDED; k < CS_K_COUNT; k++) {
		f = full_finding(k, 1000 + (size_t)k);
		g = round_trip(s, f);
		ix = cs_fstore_ix(s, (size_t)k);
		assert_int_equal(ix->kind, k);
		assert_int_equal(ix->seq, 1000 + k);
		assert_int_equal(ix->severity, 3);
		assert_int_equal(ix->flags, CS_FF_TIMESTOMP | CS_FF_UPDATED);
		if (k == CS_K_REMOVED) {
			assert_int_equal(ix->bits, 0);
			assert_true(ix->sec == 0);
		} else {
			/* ctime, not mtime, since the entry has CS_F_CTIME */
			assert_int_equal(ix->bits,
			    CS_FSTORE_NEW | CS_FSTORE_CTIME);
			assert_true(ix->sec == INT64_MAX - 2);
			assert_int_equal(ix->nsec, 3);
		}
		/* static strings come from the pool, not the finding */
		assert_ptr_not_equal(g->reasons[0], R_SUID);
		cs_finding_free(f);
		cs_finding_free(g);
	}
	cs_fstore_free(s);
}

/* NULL everywhere, and "" where NULL could be: each comes back as such. */
static void
test_nulls_and_empty(void **state)
{
	struct cs_fstore *s = new_store();
	struct cs_finding *f = cs_xcalloc(1, sizeof *f), *g;
	const struct cs_fstore_ix *ix;

	(void)state;
	f->base = f->floor = -1;
	g = round_trip(s, f);
	assert_null(g->path);
	assert_null(g->old);
	assert_null(g->changes);
	assert_null(g->reasons[0]);
	cs_finding_free(g);

	f->path = cs_xstrdup("");
	f->shown = cs_xstrdup("");
	f->new = cs_entry_new();
	f->new->mtime.sec = 42;
	f->new->ctime.sec = 43;
	f->new->user = cs_xstrdup("");
	f->new->target = cs_xstrdup("");
	f->new->sdata = cs_xstrdup("");
	f->old = cs_entry_new();
	f->changes = cs_xcalloc(1, sizeof *f->changes);
	f->nchanges = 1;
	f->changes[0].old = cs_xstrdup("");
	f->reasons[0] = "";
	f->nreasons = 1;
	f->why_not = "";
	g = round_trip(s, f);
	assert_non_null(g->path);
	assert_null(g->old->path);
	assert_null(g->new->group);
	assert_string_equal(g->new->user, "");
	assert_string_equal(g->reasons[0], "");
	ix = cs_fstore_ix(s, 1);
	assert_int_equal(ix->bits, CS_FSTORE_NEW);
	assert_true(ix->sec == 42);
	cs_finding_free(g);
	cs_finding_free(f);
	cs_fstore_free(s);
}

/* A small finding I. */
static struct cs_finding *
small_finding(size_t i)
{
	struct cs_finding *f = cs_xcalloc(1, sizeof *f);
	char		*p = cs_xasprintf("/srv/%zu", i);

	f->kind = (enum cs_kind)(i % CS_K_COUNT);
	f->pathlen = strlen(p);
	f->path = p;
	f->severity = (int)(i % 5);
	f->seq = i * 3;
	if (i % 2 == 0) {
		f->new = cs_entry_new();
		cs_entry_set_path(f->new, p, f->pathlen);
		f->new->mtime.sec = (int64_t)i;
	}
	cs_finding_reason(f, NULL, i % 3 == 0 ? R_SUID : R_EXEC);
	return f;
}

/* Many findings, read back in a shuffled order; the file's directory
   stays empty (the file is unlinked). */
static void
test_many_random_order(void **state)
{
	struct cs_fstore *s = new_store();
	struct cs_finding *f, *g;
	struct cs_err	 err;
	size_t		*order, i, j, t;
	uint64_t	 r = 88172645463325252ULL;
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;

	(void)state;
	cs_err_init(&err);
	for (i = 0; i < NMANY; i++) {
		f = small_finding(i);
		assert_int_equal(cs_fstore_add(s, f, &err), i);
		cs_finding_free(f);
	}
	assert_int_equal(cs_fstore_count(s), NMANY);
	order = cs_xcalloc(NMANY, sizeof *order);
	for (i = 0; i < NMANY; i++)
		order[i] = i;
	for (i = NMANY - 1; i > 0; i--) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		j = (size_t)(r % (i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < NMANY; i++) {
		j = order[i];
		assert_int_equal(cs_fstore_ix(s, j)->seq, j * 3);
		assert_int_equal(cs_fstore_get(s, j, &g, &err), 0);
		f = small_finding(j);
		eq_finding(f, g);
		cs_finding_free(f);
		cs_finding_free(g);
	}
	free(order);
	assert_non_null(d = opendir(cs_test_tmp()));
	while ((de = readdir(d)) != NULL)
		assert_true(strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0);
	closedir(d);
	assert_int_equal(fstat(cs_fstore_fd(s), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_nlink, 0);
	cs_err_release(&err);
	cs_fstore_free(s);
}

static void
test_replace(void **state)
{
	struct cs_fstore *s = new_store();
	struct cs_finding *f[3], *g, *h;
	struct cs_err	 err;
	size_t		 i;

	(void)state;
	cs_err_init(&err);
	for (i = 0; i < 3; i++) {
		f[i] = small_finding(i + 1);
		assert_int_equal(cs_fstore_add(s, f[i], &err), i);
	}
	h = full_finding(CS_K_CHANGED, 99);
	h->severity = -1;
	assert_int_equal(cs_fstore_replace(s, 1, h, &err), 0);
	assert_int_equal(cs_fstore_count(s), 3);
	assert_int_equal(cs_fstore_ix(s, 1)->seq, 99);
	assert_int_equal(cs_fstore_ix(s, 1)->severity, -1);
	assert_int_equal(cs_fstore_ix(s, 1)->kind, CS_K_CHANGED);
	for (i = 0; i < 3; i++) {
		assert_int_equal(cs_fstore_get(s, i, &g, &err), 0);
		eq_finding(i == 1 ? h : f[i], g);
		cs_finding_free(g);
	}
	assert_int_equal(cs_fstore_replace(s, 3, h, &err), -1);
	assert_int_equal(cs_fstore_get(s, 3, &g, &err), -1);
	assert_null(g);
	h->severity = 40000;
	assert_int_equal(cs_fstore_add(s, h, &err), CS_FSTORE_NONE);
	assert_int_equal(err.code, CS_EXIT_SOFTWARE);
	assert_int_equal(cs_fstore_count(s), 3);
	for (i = 0; i < 3; i++)
		cs_finding_free(f[i]);
	cs_finding_free(h);
	cs_err_release(&err);
	cs_fstore_free(s);
}

/* Equal static strings read back are one pointer, distinct ones not. */
static void
test_interned(void **state)
{
	struct cs_fstore *s = new_store();
	struct cs_finding *f, *a, *b;
	char		*copy = cs_xstrdup(R_SUID);

	(void)state;
	f = full_finding(CS_K_CHANGED, 1);
	a = round_trip(s, f);
	f->reasons[0] = copy;		/* same text, another pointer */
	b = round_trip(s, f);
	f->reasons[0] = R_SUID;
	assert_ptr_equal(a->reasons[0], b->reasons[0]);
	assert_ptr_equal(a->reasons[0], a->danger_reason);
	assert_ptr_equal(a->techniques[0], a->floor_technique);
	assert_ptr_equal(a->why_not, b->why_not);
	assert_ptr_not_equal(a->reasons[0], a->reasons[1]);
	assert_null(a->techniques[1]);
	cs_finding_free(a);
	cs_finding_free(b);
	cs_finding_free(f);
	free(copy);
	cs_fstore_free(s);
}


/* Every prefix of a record, and every altered byte, is refused. */
static void
test_truncated_or_altered(void **state)
{
	struct cs_fstore *s = new_store();
	struct cs_finding *f, *g;
	struct cs_buf	 b;
	struct cs_err	 err;
	unsigned char	*c;
	size_t		 n;

	(void)state;
	cs_err_init(&err);
	cs_buf_init(&b);
	f = full_finding(CS_K_TYPE, 5);
	cs_fstore_encode(s, &b, f);
	assert_int_equal(cs_fstore_decode(s, b.data, b.len, &g, &err), 0);
	eq_finding(f, g);
	cs_finding_free(g);
	for (n = 0; n < b.len; n++) {
		c = cs_xmemdup(b.data, n);	/* exactly N bytes for ASan */
		assert_int_equal(cs_fstore_decode(s, c, n, &g, &err), -1);
		assert_null(g);
		assert_int_equal(err.code, CS_EXIT_DATAERR);
		free(c);
	}
	c = cs_xmemdup(b.data, b.len);
	for (n = 0; n < b.len; n++) {
		c[n] ^= 0x41;
		assert_int_equal(cs_fstore_decode(s, c, b.len, &g, &err), -1);
		assert_int_equal(err.code, CS_EXIT_DATAERR);
		c[n] ^= 0x41;
	}
	free(c);
	cs_finding_free(f);
	cs_buf_release(&b);
	cs_err_release(&err);
	cs_fstore_free(s);
}

/*
 * A byte altered and the checksum made to match: the decoder must still
 * stay within the record (ASan watches) and take only a well-formed one.
 */
static void
test_altered_with_checksum(void **state)
{
	static const unsigned char vals[] = { 0x00, 0x02, 0x7f, 0xff };
	struct cs_fstore *s = new_store();
	struct cs_finding *f, *g;
	struct cs_buf	 b;
	struct cs_err	 err;
	unsigned char	*c;
	uint32_t	 h;
	size_t		 n, v, refused = 0;

	(void)state;
	cs_err_init(&err);
	cs_buf_init(&b);
	f = full_finding(CS_K_CHANGED, 5);
	cs_fstore_encode(s, &b, f);
	c = cs_xmalloc(b.len);
	for (n = 4; n < b.len - 4; n++) {
		for (v = 0; v < CS_NELEM(vals); v++) {
			memcpy(c, b.data, b.len);
			c[n] = vals[v];
			h = cs_fstore_sum(c, b.len - 4);
			c[b.len - 4] = (unsigned char)h;
			c[b.len - 3] = (unsigned char)(h >> 8);
			c[b.len - 2] = (unsigned char)(h >> 16);
			c[b.len - 1] = (unsigned char)(h >> 24);
			if (cs_fstore_decode(s, c, b.len, &g, &err) != 0) {
				assert_int_equal(err.code, CS_EXIT_DATAERR);
				refused++;
			}
			cs_finding_free(g);
		}
	}
	assert_true(refused > 0);
	free(c);
	cs_finding_free(f);
	cs_buf_release(&b);
	cs_err_release(&err);
	cs_fstore_free(s);
}

/*
 * A record cut short or altered in the file itself is refused when it is
 * read from the file: records far apart (more than the store reads at
 * once) are each read anew.
 */
static void
test_file_damaged(void **state)
{
	struct cs_fstore *s = new_store();
	struct cs_finding *f, *g;
	struct cs_err	 err;
	const struct cs_fstore_ix *ix;
	unsigned char	 x = 0;
	size_t		 last;

	(void)state;
	cs_err_init(&err);
	f = full_finding(CS_K_ADDED, 1);
	assert_int_equal(cs_fstore_add(s, f, &err), 0);
	do
		last = cs_fstore_add(s, f, &err);
	while (cs_fstore_ix(s, last)->off < 256 * 1024);
	assert_int_equal(cs_fstore_get(s, last, &g, &err), 0);	/* flushed */
	cs_finding_free(g);
	ix = cs_fstore_ix(s, 0);
	assert_int_equal(pread(cs_fstore_fd(s), &x, 1,
	    (off_t)(ix->off + 40)), 1);
	x ^= 0x10;
	assert_int_equal(pwrite(cs_fstore_fd(s), &x, 1,
	    (off_t)(ix->off + 40)), 1);
	assert_int_equal(cs_fstore_get(s, 0, &g, &err), -1);
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	ix = cs_fstore_ix(s, last);
	assert_int_equal(ftruncate(cs_fstore_fd(s),
	    (off_t)(ix->off + ix->len - 1)), 0);
	assert_int_equal(cs_fstore_get(s, last, &g, &err), -1);
	assert_int_equal(err.code, CS_EXIT_IOERR);
	assert_null(g);
	/* one in between is still good */
	assert_int_equal(cs_fstore_get(s, last / 2, &g, &err), 0);
	eq_finding(f, g);
	cs_finding_free(g);
	cs_finding_free(f);
	cs_err_release(&err);
	cs_fstore_free(s);
}

/* After a failed write the store refuses to add or read what it lost. */
static void
test_write_error(void **state)
{
	struct cs_fstore *s = new_store();
	struct cs_finding *f, *g;
	struct cs_err	 err;
	size_t		 i, added = 0;
	int		 ro, keep;

	(void)state;
	cs_err_init(&err);
	f = full_finding(CS_K_CHANGED, 1);
	assert_true((keep = dup(cs_fstore_fd(s))) >= 0);
	assert_true((ro = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0);
	assert_int_equal(dup2(ro, cs_fstore_fd(s)), cs_fstore_fd(s));
	close(ro);
	for (i = 0; i < 1000; i++) {
		if (cs_fstore_add(s, f, &err) == CS_FSTORE_NONE)
			break;
		added++;
	}
	assert_true(i < 1000);
	assert_int_equal(err.code, CS_EXIT_IOERR);
	assert_int_equal(cs_fstore_count(s), added);
	/* the file is writable again, but part of a write may be lost */
	assert_int_equal(dup2(keep, cs_fstore_fd(s)), cs_fstore_fd(s));
	close(keep);
	assert_int_equal(cs_fstore_add(s, f, &err), CS_FSTORE_NONE);
	assert_int_equal(err.code, CS_EXIT_IOERR);
	assert_int_equal(cs_fstore_replace(s, 0, f, &err), -1);
	assert_int_equal(cs_fstore_get(s, added - 1, &g, &err), -1);
	assert_null(g);
	cs_finding_free(f);
	cs_err_release(&err);
	cs_fstore_free(s);
}

/*
 * The displayed path and the entries' paths are written once when they
 * are the finding's path, and each comes back as itself either way.
 */
static void
test_shared_path(void **state)
{
	struct cs_fstore *s = new_store();
	struct cs_finding *f, *g;
	struct cs_buf	 b;
	struct cs_err	 err;
	size_t		 shared, apart;

	(void)state;
	cs_err_init(&err);
	cs_buf_init(&b);
	f = full_finding(CS_K_CHANGED, 9);
	free(f->path);
	f->path = cs_xstrdup("/usr/bin/ls");
	f->pathlen = 11;
	free(f->shown);
	f->shown = cs_xstrdup("/usr/bin/ls");
	cs_entry_set_path(f->old, "/usr/bin/ls", 11);
	cs_entry_set_path(f->new, "/usr/bin/ls", 11);
	cs_fstore_encode(s, &b, f);
	shared = b.len;
	assert_int_equal(cs_fstore_decode(s, b.data, b.len, &g, &err), 0);
	eq_finding(f, g);
	cs_finding_free(g);
	/* an old entry elsewhere (a rename), shown otherwise */
	cs_entry_set_path(f->old, "/bin/ls", 7);
	free(f->shown);
	f->shown = cs_xstrdup("/usr/bin/l\\163");
	cs_buf_reset(&b);
	cs_fstore_encode(s, &b, f);
	apart = b.len;
	assert_int_equal(cs_fstore_decode(s, b.data, b.len, &g, &err), 0);
	eq_finding(f, g);
	assert_memory_equal(g->old->path, "/bin/ls", 8);
	assert_memory_equal(g->new->path, "/usr/bin/ls", 12);
	assert_string_equal(g->shown, "/usr/bin/l\\163");
	cs_finding_free(g);
	/* each written whole: 4 bytes of length and its own */
	assert_int_equal(apart, shared + (4 + 14) + (4 + 7));
	cs_finding_free(f);
	cs_buf_release(&b);
	cs_err_release(&err);
	cs_fstore_free(s);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, cs_test_setup_tmp, \
		    cs_test_teardown_tmp)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_every_field),
		T(test_nulls_and_empty),
		T(test_many_random_order),
		T(test_replace),
		T(test_interned),
		T(test_truncated_or_altered),
		T(test_altered_with_checksum),
		T(test_file_damaged),
		T(test_write_error),
		T(test_shared_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
