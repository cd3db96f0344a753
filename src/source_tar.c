/*
 * source_tar.c: a tar archive as a record source (tar.h).
 *
 * The first member says what the archive is: a custos evidence tar
 * starts with its custody record, and goes to evidence_verify.c, which
 * verifies it before handing out any record; anything else is a foreign
 * tar, read here through evidence.c's reader (content hashed as it is
 * read) and put in canonical order by the sort stage.
 *
 * A hard-link member of a foreign tar holds no content: it gets the size,
 * digests, and (if it has none of its own) the extended attributes and
 * ACLs of its target, an earlier member.  Only the targets are
 * remembered, found by a first pass over the headers (libarchive seeks
 * over the data).  A tar read from a pipe cannot have that pass: its hard
 * links wait in memory (within the sort bound; past it they are recorded
 * as not compared) until all is read, and one more pass of the sorted
 * records, into a new sort stage, gives them their targets' content.
 */
#include "custos/custos.h"

#include <sys/capability.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/evidence.h"
#include "custos/evidence_verify.h"
#include "custos/join.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/snapshot.h"
#include "custos/sort.h"
#include "custos/source.h"
#include "custos/tar.h"
#include "custos/tar_acl.h"
#include "custos/xmalloc.h"

#define TAR_ACL_PREFIX	"system.posix_acl_"

/* A hard link's target, with its member's record once read. */
struct tar_link {
	char		*path;
	size_t		 len;
	char		*line;		/* baseline record line, or NULL */
	size_t		 linelen;
};

/* A hard link of a tar read from a pipe, waiting for its target. */
struct tar_pend {
	char		*target;	/* canonical path */
	size_t		 tlen;
	struct cs_entry	*e;
};

struct tar_foreign {
	struct cs_sort	*sort;
	size_t		 bound;
	struct tar_pend	*pend;		/* sorted by target at the end */
	size_t		 npend;
	size_t		 pendcap;
	size_t		 pendbytes;
	size_t		 ntarget;	/* targets handed to the join */
	char		*shown;
	int		 seekable;
	struct tar_link	*links;		/* sorted by path */
	size_t		 nlinks;
	int		 acl;		/* the archive holds ACLs */
	int		 xattr;		/* and extended attributes */
	int		 no_ctime;	/* a member without a ctime */
	int		 no_inode;	/* one without SCHILY.ino, .nlink */
};

int
cs_tar_is_tar(const char *path)
{
	return cs_evidence_is_tar(path);
}

int
cs_tar_path(const char *name, char **pathp, size_t *lenp, const char **why)
{
	struct cs_buf	 b;
	const char	*p = name, *q;
	size_t		 n;

	if (*name == '/') {
		*why = "an absolute name";
		return -1;
	}
	cs_buf_init(&b);
	while (*p != '\0') {
		q = strchr(p, '/');
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			cs_buf_release(&b);
			*why = "a '..' component";
			return -1;
		}
		if (n > 0 && !(n == 1 && *p == '.')) {
			cs_buf_addc(&b, '/');
			cs_buf_add(&b, p, n);
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (b.len == 0)
		cs_buf_addc(&b, '/');
	*pathp = cs_buf_detach(&b, lenp);
	return 0;
}

static int
tar_link_cmp(const void *a, const void *b)
{
	const struct tar_link	*x = a, *y = b;

	return cs_path_cmp(x->path, x->len, y->path, y->len);
}

/* First pass (a file only): the targets of the hard-link members. */
static void
tar_links(struct tar_foreign *f, const char *path)
{
	struct archive		*a;
	struct archive_entry	*ae;
	const char		*t, *why;
	struct tar_link		*l;
	size_t			 cap = 0;

	a = archive_read_new();
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 10240) == ARCHIVE_OK) {
		while (archive_read_next_header(a, &ae) >= ARCHIVE_WARN) {
			if ((t = archive_entry_hardlink(ae)) == NULL)
				continue;
			if (f->nlinks == cap) {
				cap = cap != 0 ? 2 * cap : 16;
				f->links = cs_xreallocarray(f->links, cap,
				    sizeof *f->links);
			}
			l = &f->links[f->nlinks];
			memset(l, 0, sizeof *l);
			if (cs_tar_path(t, &l->path, &l->len, &why) == 0)
				f->nlinks++;
		}
	}
	archive_read_free(a);
	if (f->nlinks > 0)
		qsort(f->links, f->nlinks, sizeof *f->links, tar_link_cmp);
}

static struct tar_link *
tar_link_find(struct tar_foreign *f, const char *path, size_t len)
{
	struct tar_link	 key;

	if (f->nlinks == 0)
		return NULL;
	memset(&key, 0, sizeof key);
	key.path = (char *)(uintptr_t)path;
	key.len = len;
	return bsearch(&key, f->links, f->nlinks, sizeof *f->links,
	    tar_link_cmp);
}

/* Hard-link member E takes what its target T holds (T is emptied). */
static void
tar_link_take(struct cs_entry *e, struct cs_entry *t)
{
	e->size = t->size;
	e->digests = t->digests;
	memcpy(e->digest, t->digest, sizeof e->digest);
	memcpy(e->zdigest, t->zdigest, sizeof e->zdigest);
	e->have = (e->have & ~(unsigned)CS_F_ZDIGEST) |
	    (t->have & CS_F_ZDIGEST);
	if (e->nxattrs == 0) {
		e->xattrs = t->xattrs;
		e->nxattrs = t->nxattrs;
		t->xattrs = NULL;
		t->nxattrs = 0;
	}
	if (e->acl == NULL) {
		e->acl = t->acl;
		t->acl = NULL;
	}
	if (e->caps == NULL) {
		e->caps = t->caps;
		t->caps = NULL;
	}
}

/* Hard-link member E takes what the record LINE (of its target) holds. */
static void
tar_link_line(struct cs_entry *e, const char *line, size_t len)
{
	struct cs_entry	*t = cs_entry_new();
	const char	*why;

	if (cs_bl_parse(line, len - 1, t, &why) == 0)
		tar_link_take(e, t);
	cs_entry_free(t);
}

static void
tar_link_unknown(struct cs_entry *e, const char *target, const char *why)
{
	char	*shown = cs_encode_dup(target);

	cs_entry_add_error(e, "hard link to '%s', whose content is not "
	    "known%s", shown, why);
	free(shown);
}

/*
 * A hard-link member E gets what its target holds; from a pipe, it is
 * held back for that (1: E was taken).
 */
static int
tar_hardlink(struct tar_foreign *f, const struct cs_evm *m,
    struct cs_entry *e)
{
	struct tar_link	*l = NULL;
	struct tar_pend	*pd;
	const char	*why, *name = archive_entry_hardlink(m->ae);
	char		*p;
	size_t		 len;

	if (cs_tar_path(name, &p, &len, &why) != 0) {
		tar_link_unknown(e, name, " (a bad name)");
		return 0;
	}
	if (!f->seekable && f->pendbytes < f->bound) {
		if (f->npend == f->pendcap) {
			f->pendcap = f->pendcap != 0 ? 2 * f->pendcap : 16;
			f->pend = cs_xreallocarray(f->pend, f->pendcap,
			    sizeof *f->pend);
		}
		pd = &f->pend[f->npend++];
		pd->target = p;
		pd->tlen = len;
		pd->e = e;
		f->pendbytes += sizeof *pd + sizeof *e + len + e->pathlen;
		return 1;
	}
	l = tar_link_find(f, p, len);
	free(p);
	if (l != NULL && l->line != NULL)
		tar_link_line(e, l->line, l->linelen);
	else
		tar_link_unknown(e, name, f->seekable ? "" :
		    " (too many hard links in a tar read from a pipe)");
	return 0;
}

static int
tar_pend_cmp(const void *a, const void *b)
{
	const struct tar_pend	*x = a, *y = b;

	return cs_path_cmp(x->target, x->tlen, y->target, y->tlen);
}

/* Pending hard link I into OUT, with what the record LINE (or none) holds. */
static int
tar_pend_out(struct tar_foreign *f, size_t i, const struct cs_buf *line,
    struct cs_sort *out, struct cs_err *err)
{
	struct cs_entry	*l = f->pend[i].e;

	f->pend[i].e = NULL;
	if (line != NULL)
		tar_link_line(l, line->data, line->len);
	else
		tar_link_unknown(l, f->pend[i].target, "");
	return cs_sort_add(out, l, err);
}

/* The sorted records, as one side of the join. */
static int
tar_sorted_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct tar_foreign	*f = impl;

	return cs_sort_next(f->sort, ep, err);
}

/* The targets of the held hard links, once each, as the other side. */
static int
tar_targets_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct tar_foreign	*f = impl;
	struct tar_pend		*pd;
	struct cs_entry		*e;

	(void)err;
	if (f->ntarget >= f->npend)
		return 0;
	pd = &f->pend[f->ntarget];
	e = cs_entry_new();
	e->path = cs_xmemdup(pd->target, pd->tlen);
	e->pathlen = pd->tlen;
	while (f->ntarget < f->npend && cs_path_cmp(f->pend[f->ntarget].target,
	    f->pend[f->ntarget].tlen, pd->target, pd->tlen) == 0)
		f->ntarget++;
	*ep = e;
	return 1;
}

static void
tar_nothing(void *impl)
{
	(void)impl;
}

static const struct cs_source_ops tar_sorted_ops = {
	"tar", tar_sorted_next, tar_nothing, NULL
};

static const struct cs_source_ops tar_targets_ops = {
	"tar", tar_targets_next, tar_nothing, NULL
};

/*
 * The hard links held for target T (from *I on) into OUT, with the
 * record E (NULL: none) if it is T's file.
 */
static int
tar_pend_target(struct tar_foreign *f, size_t *i, const struct cs_entry *t,
    const struct cs_entry *e, struct cs_sort *out, struct cs_err *err)
{
	struct cs_buf	 b;
	int		 rc = 0;

	cs_buf_init(&b);
	if (e != NULL && e->type == CS_T_FILE)
		cs_bl_format(&b, e);
	for (; *i < f->npend && rc == 0 && cs_path_cmp(f->pend[*i].target,
	    f->pend[*i].tlen, t->path, t->pathlen) == 0; (*i)++)
		rc = tar_pend_out(f, *i, b.len > 0 ? &b : NULL, out, err);
	cs_buf_release(&b);
	return rc;
}

/*
 * From a pipe: the join of the sorted records with the held hard links'
 * targets, into a new sort stage; each hard link gets its target's
 * content on the way.
 */
static int
tar_resolve(struct tar_foreign *f, struct cs_err *err)
{
	struct cs_sort		*out = cs_sort_new(f->bound);
	struct cs_source	*sa, *sb;
	struct cs_join		*j;
	struct cs_entry		*e, *t;
	size_t			 i = 0;
	int			 n, rc = -1;

	qsort(f->pend, f->npend, sizeof *f->pend, tar_pend_cmp);
	sa = cs_source_new(&tar_sorted_ops, f, f->shown);
	sb = cs_source_new(&tar_targets_ops, f, f->shown);
	j = cs_join_new(sa, sb);
	while ((n = cs_join_next(j, &e, &t, err)) == 1) {
		if (t != NULL && tar_pend_target(f, &i, t, e, out, err) != 0)
			n = -1;
		cs_entry_free(t);
		if (n < 0 || (e != NULL && cs_sort_add(out, e, err) != 0)) {
			if (n < 0)
				cs_entry_free(e);
			goto out;
		}
	}
	if (n < 0)
		goto out;
	cs_sort_free(f->sort);
	f->sort = out;
	out = NULL;
	rc = 0;
out:
	cs_join_free(j);
	cs_source_free(sb);
	cs_source_free(sa);
	cs_sort_free(out);
	return rc;
}

/* The value of E's extended attribute NAME (*N bytes), or NULL. */
static const void *
tar_xattr(const struct cs_entry *e, const char *name, size_t *n)
{
	size_t	 i;

	for (i = 0; i < e->nxattrs; i++) {
		if (strcmp(e->xattrs[i].name, name) == 0) {
			*n = e->xattrs[i].len;
			return e->xattrs[i].value;
		}
	}
	*n = 0;
	return NULL;
}

static uint32_t
tar_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/*
 * The text of a security.capability value (struct vfs_cap_data, as the
 * kernel stores it), as cap_to_text gives it for the file; NULL if it is
 * not one.
 */
static char *
tar_caps(const unsigned char *v, size_t n)
{
	uint32_t	 magic, perm[2] = { 0, 0 }, inh[2] = { 0, 0 };
	cap_value_t	 cv;
	cap_t		 c;
	size_t		 words, i;
	char		*t, *out = NULL;

	if (n < 4)
		return NULL;
	magic = tar_le32(v);
	words = (magic & 0xff000000U) == 0x01000000U ? 1 : 2;
	if ((magic & 0xff000000U) > 0x03000000U || n < 4 + 8 * words)
		return NULL;
	for (i = 0; i < words; i++) {
		perm[i] = tar_le32(v + 4 + 8 * i);
		inh[i] = tar_le32(v + 8 + 8 * i);
	}
	if ((c = cap_init()) == NULL)
		return NULL;
	for (i = 0; i < 64; i++) {
		cv = (cap_value_t)i;
		if ((perm[i / 32] >> (i % 32)) & 1)
			(void)cap_set_flag(c, CAP_PERMITTED, 1, &cv, CAP_SET);
		if ((inh[i / 32] >> (i % 32)) & 1)
			(void)cap_set_flag(c, CAP_INHERITABLE, 1, &cv, CAP_SET);
		if ((magic & 1) && (((perm[i / 32] | inh[i / 32]) >>
		    (i % 32)) & 1))
			(void)cap_set_flag(c, CAP_EFFECTIVE, 1, &cv, CAP_SET);
	}
	if ((t = cap_to_text(c, NULL)) != NULL) {
		out = cs_xstrdup(t);
		cap_free(t);
	}
	cap_free(c);
	return out;
}

/* ACLs, capabilities, and the xattrs but the ACLs' own. */
static void
tar_meta(struct tar_foreign *f, struct archive_entry *ae, struct cs_entry *e)
{
	struct cs_xattr	*x;
	const void	*v;
	size_t		 i, j, n;

	if (e->type != CS_T_LINK) {
		v = tar_xattr(e, TAR_ACL_PREFIX "access", &n);
		e->acl = cs_tar_acl(ae, ARCHIVE_ENTRY_ACL_TYPE_ACCESS, v, n);
	}
	if (e->type == CS_T_DIR) {
		v = tar_xattr(e, TAR_ACL_PREFIX "default", &n);
		e->dacl = cs_tar_acl(ae, ARCHIVE_ENTRY_ACL_TYPE_DEFAULT, v, n);
	}
	for (i = j = 0; i < e->nxattrs; i++) {
		x = &e->xattrs[i];
		if (strncmp(x->name, TAR_ACL_PREFIX,
		    sizeof TAR_ACL_PREFIX - 1) == 0) {
			free(x->name);
			free(x->value);
			continue;
		}
		if (strcmp(x->name, "security.capability") == 0 &&
		    e->type == CS_T_FILE && e->caps == NULL)
			e->caps = tar_caps(x->value, x->len);
		e->xattrs[j++] = *x;
	}
	e->nxattrs = j;
	if (j > 0)
		f->xattr = 1;
	if (archive_entry_acl_count(ae, ARCHIVE_ENTRY_ACL_TYPE_ACCESS |
	    ARCHIVE_ENTRY_ACL_TYPE_DEFAULT) > 0)
		f->acl = 1;
}

/*
 * The inode number and link count of star's SCHILY.ino and SCHILY.nlink
 * (a custos evidence tar has them too), if the member has them: the
 * inode number is believed only with a link count, as libarchive numbers
 * the members that have none.  The device number (SCHILY.dev) is another
 * system's and is not a field of a record.
 */
static void
tar_inode(struct tar_foreign *f, struct archive_entry *ae,
    struct cs_entry *e)
{
	e->have &= ~(unsigned)(CS_F_NLINK | CS_F_INO);
	e->nlink = 0;
	if (archive_entry_nlink(ae) == 0) {
		f->no_inode = 1;
		return;
	}
	e->ino = (uint64_t)archive_entry_ino64(ae);
	e->nlink = archive_entry_nlink(ae);
	e->have |= CS_F_INO | CS_F_NLINK;
}

/* One member of a foreign tar into the sort stage. */
static int
tar_member(struct tar_foreign *f, struct cs_evr *r, struct cs_evm *m,
    struct cs_err *err)
{
	struct cs_entry	*e;
	struct tar_link	*l;
	struct cs_buf	 b;
	const char	*why;
	char		*path;
	size_t		 len;

	if (strcmp(archive_entry_pathname(m->ae), CS_SNAP_CUSTODY) == 0 ||
	    strcmp(archive_entry_pathname(m->ae), CS_SNAP_MANIFEST) == 0)
		return cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s': member "
		    "'%s' out of its place: altered custos evidence, refused",
		    f->shown, m->name);
	if (cs_tar_path(archive_entry_pathname(m->ae), &path, &len, &why) != 0)
		return cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s': member '%s' "
		    "has %s: refused", f->shown, m->name, why);
	if (cs_evr_read(r, m, NULL, 0, -1, err) != 0) {
		free(path);
		return -1;
	}
	e = cs_entry_new();
	e->path = path;
	e->pathlen = len;
	cs_evidence_attrs(m, e);
	if (e->type == CS_T_NONE) {	/* a volume label and the like */
		cs_entry_free(e);
		return 0;
	}
	tar_inode(f, m->ae, e);
	if (archive_entry_birthtime_is_set(m->ae)) {
		/* LIBARCHIVE.creationtime: informational */
		e->btime.sec = archive_entry_birthtime(m->ae);
		e->btime.nsec = (uint32_t)archive_entry_birthtime_nsec(m->ae);
		e->have |= CS_F_BTIME;
	}
	tar_meta(f, m->ae, e);
	if (!(e->have & CS_F_CTIME))
		f->no_ctime = 1;
	if (m->is_hardlink) {
		if (tar_hardlink(f, m, e) == 1)
			return 0;
	} else if (e->type == CS_T_FILE && (l = tar_link_find(f, e->path,
	    e->pathlen)) != NULL && l->line == NULL) {
		cs_buf_init(&b);
		cs_bl_format(&b, e);
		l->line = cs_buf_detach(&b, &l->linelen);
	}
	return cs_sort_add(f->sort, e, err);
}

static void
tar_foreign_close(void *impl)
{
	struct tar_foreign	*f = impl;
	size_t			 i;

	if (f == NULL)
		return;
	cs_sort_free(f->sort);
	for (i = 0; i < f->nlinks; i++) {
		free(f->links[i].path);
		free(f->links[i].line);
	}
	for (i = 0; i < f->npend; i++) {
		free(f->pend[i].target);
		cs_entry_free(f->pend[i].e);
	}
	free(f->pend);
	free(f->links);
	free(f->shown);
	free(f);
}

static int
tar_foreign_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct tar_foreign	*f = impl;
	int			 n;

	if ((n = cs_sort_next(f->sort, ep, err)) == 1) {
		/* ACLs and xattrs mean something only if the tar has any */
		if (f->acl || f->xattr)
			(*ep)->have |= CS_F_META;
		else
			(*ep)->have &= ~(unsigned)CS_F_META;
	}
	return n;
}

static const struct cs_source_ops tar_foreign_ops = {
	"tar", tar_foreign_next, tar_foreign_close, NULL
};

/* Read every member of a foreign tar (from FIRST) into the sort stage. */
static struct cs_source *
tar_foreign(const struct cs_tar_opts *o, struct cs_evr *r,
    struct cs_evm *first, int seekable, struct cs_err *err)
{
	struct tar_foreign	*f;
	struct cs_source	*s;
	struct cs_evm		 m;
	unsigned		 carries;
	uint64_t		 mm, mt;
	int			 n = 0;

	f = cs_xcalloc(1, sizeof *f);
	f->bound = o->sort_bound != 0 ? o->sort_bound : CS_SORT_BOUND;
	f->sort = cs_sort_new(f->bound);
	f->shown = cs_encode_dup(o->ev.file);
	f->seekable = seekable;
	cs_evr_set_digests(r, o->digests);
	/* Nothing vouches for a foreign tar's sizes (sparse holes). */
	cs_evidence_limits(&o->ev, &mm, &mt);
	cs_evr_set_limits(r, mm, mt);
	if (seekable)
		tar_links(f, o->ev.file);
	if (first != NULL && tar_member(f, r, first, err) != 0)
		goto fail;
	while (first != NULL && (n = cs_evr_next(r, &m, err)) == 1) {
		if (tar_member(f, r, &m, err) != 0)
			goto fail;
	}
	if (n < 0)
		goto fail;
	if (first == NULL) {
		cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s' holds no members",
		    f->shown);
		goto fail;
	}
	cs_evr_close(r);
	r = NULL;
	if (f->npend > 0 && tar_resolve(f, err) != 0)
		goto fail;
	carries = CS_G_CONTENT | CS_G_PERMS | CS_G_OWNER | CS_G_TIMES |
	    CS_G_LINK;
	if (!f->no_ctime)
		carries |= CS_G_CTIME;
	if (!f->no_inode)
		carries |= CS_G_INODE;
	if (f->acl)
		carries |= CS_G_ACL;
	if (f->xattr)
		carries |= CS_G_XATTR;
	s = cs_source_new(&tar_foreign_ops, f, o->ev.file);
	cs_source_set_carries(s, carries);
	return s;
fail:
	cs_evr_close(r);
	tar_foreign_close(f);
	return NULL;
}

/*
 * Is the archive said to be custos evidence, by a custody record given
 * or lying beside it?  Then it is verified as evidence whatever its first
 * member is: evidence stripped of its custody record is altered evidence
 * (exit 8), not a foreign tar.
 */
static int
tar_claimed(const struct cs_tar_opts *o, int seekable)
{
	struct stat	 st;
	char		*side;
	int		 yes;

	if (o->ev.custody != NULL)
		return 1;
	if (!seekable)
		return 0;
	side = cs_xasprintf("%s.custody", o->ev.file);
	yes = lstat(side, &st) == 0;
	free(side);
	return yes;
}

struct cs_source *
cs_source_tar_open(const struct cs_tar_opts *o, struct cs_tar_info *info,
    struct cs_err *err)
{
	struct cs_evr	*r;
	struct cs_evm	 m;
	struct stat	 st;
	int		 n, seekable;

	memset(info, 0, sizeof *info);
	seekable = stat(o->ev.file, &st) == 0 && S_ISREG(st.st_mode);
	if ((r = cs_evr_open(o->ev.file, (1U << CS_D_COUNT) - 1, err)) ==
	    NULL)
		return NULL;
	if ((n = cs_evr_next(r, &m, err)) < 0) {
		cs_evr_close(r);
		return NULL;
	}
	if (n == 1 && (tar_claimed(o, seekable) ||
	    strcmp(archive_entry_pathname(m.ae), CS_SNAP_CUSTODY) == 0)) {
		if (!seekable)
			return cs_evidence_source_result(&o->ev, r, &m,
			    &info->ev, o->result, err);
		cs_evr_close(r);
		return cs_evidence_source_result(&o->ev, NULL, NULL,
		    &info->ev, o->result, err);
	}
	info->foreign = 1;
	info->format = cs_evr_format(r);
	return tar_foreign(o, r, n == 1 ? &m : NULL, seekable, err);
}

struct cs_source *
cs_source_tar(const char *path, struct cs_err *err)
{
	struct cs_tar_opts	 o;
	struct cs_tar_info	 info;

	memset(&o, 0, sizeof o);
	o.ev.file = path;
	o.ev.allow_unsigned = 1;
	o.digests = CS_DIGEST_DEFAULT;
	return cs_source_tar_open(&o, &info, err);
}
