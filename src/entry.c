/*
 * entry.c: the record type shared by every source and sink.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/entry.h"
#include "custos/path.h"
#include "custos/xmalloc.h"

/* Ordered as enum cs_type. */
static const char *const type_names[] = {
	"none", "file", "dir", "link", "fifo", "socket", "char", "block"
};

struct cs_entry *
cs_entry_new(void)
{
	return cs_xcalloc(1, sizeof(struct cs_entry));
}

/* Free what E owns, leaving E itself as it is. */
static void
entry_release(struct cs_entry *e)
{
	size_t	 i;

	free(e->path);
	free(e->user);
	free(e->group);
	free(e->target);
	free(e->acl);
	free(e->dacl);
	for (i = 0; i < e->nxattrs; i++) {
		free(e->xattrs[i].name);
		free(e->xattrs[i].value);
	}
	free(e->xattrs);
	free(e->caps);
	free(e->error);
	free(e->sdata);
	for (i = 0; i < e->npkgs; i++) {
		free(e->pkgs[i].name);
		free(e->pkgs[i].version);
		free(e->pkgs[i].arch);
	}
	free(e->pkgs);
}

void
cs_entry_clear(struct cs_entry *e)
{
	entry_release(e);
	memset(e, 0, sizeof *e);
}

void
cs_entry_free(struct cs_entry *e)
{
	if (e == NULL)
		return;
	entry_release(e);
	free(e);
}

void
cs_entry_set_path(struct cs_entry *e, const char *p, size_t n)
{
	free(e->path);
	e->path = cs_xmemdup(p, n);
	e->pathlen = n;
}

struct cs_pkgref *
cs_entry_add_pkg(struct cs_entry *e, const char *name, const char *version,
    const char *arch, unsigned flags)
{
	struct cs_pkgref	*p;

	e->pkgs = cs_xreallocarray(e->pkgs, e->npkgs + 1, sizeof *e->pkgs);
	p = &e->pkgs[e->npkgs++];
	memset(p, 0, sizeof *p);
	p->name = cs_xstrdup(name);
	p->version = cs_xstrdup(version);
	p->arch = cs_xstrdup(arch);
	p->flags = flags;
	e->have |= CS_F_PKG;
	return p;
}

int
cs_pkgref_cmp(const struct cs_pkgref *a, const struct cs_pkgref *b)
{
	int	 c;

	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	if ((c = strcmp(a->version, b->version)) != 0)
		return c;
	return strcmp(a->arch, b->arch);
}

void
cs_entry_set_target(struct cs_entry *e, const char *p, size_t n)
{
	free(e->target);
	e->target = cs_xmemdup(p, n);
	e->targetlen = n;
}

void
cs_entry_add_xattr(struct cs_entry *e, const char *name, const void *value,
    size_t len)
{
	struct cs_xattr	*x;

	e->xattrs = cs_xreallocarray(e->xattrs, e->nxattrs + 1,
	    sizeof *e->xattrs);
	x = &e->xattrs[e->nxattrs++];
	x->name = cs_xstrdup(name);
	x->value = cs_xmemdup(value, len);
	x->len = len;
}

static int
entry_xattr_cmp(const void *a, const void *b)
{
	const struct cs_xattr	*xa = a, *xb = b;

	return strcmp(xa->name, xb->name);
}

void
cs_entry_sort_xattrs(struct cs_entry *e)
{
	if (e->nxattrs > 1)
		qsort(e->xattrs, e->nxattrs, sizeof *e->xattrs,
		    entry_xattr_cmp);
}

void
cs_entry_add_error(struct cs_entry *e, const char *fmt, ...)
{
	struct cs_buf	 b;
	va_list		 ap;

	cs_buf_init(&b);
	if (e->error != NULL) {
		cs_buf_adds(&b, e->error);
		cs_buf_adds(&b, "; ");
	}
	va_start(ap, fmt);
	cs_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	free(e->error);
	e->error = cs_buf_detach(&b, NULL);
}

int
cs_entry_cmp(const struct cs_entry *a, const struct cs_entry *b)
{
	return cs_path_cmp(a->path, a->pathlen, b->path, b->pathlen);
}

const char *
cs_type_name(enum cs_type t)
{
	if ((size_t)t >= CS_NELEM(type_names))
		return "none";
	return type_names[t];
}

enum cs_type
cs_type_lookup(const char *s, size_t n)
{
	size_t	 i;

	for (i = 1; i < CS_NELEM(type_names); i++) {
		if (strlen(type_names[i]) == n &&
		    memcmp(type_names[i], s, n) == 0)
			return (enum cs_type)i;
	}
	return CS_T_NONE;
}

enum cs_type
cs_type_from_mode(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return CS_T_FILE;
	case S_IFDIR:
		return CS_T_DIR;
	case S_IFLNK:
		return CS_T_LINK;
	case S_IFIFO:
		return CS_T_FIFO;
	case S_IFSOCK:
		return CS_T_SOCK;
	case S_IFCHR:
		return CS_T_CHAR;
	case S_IFBLK:
		return CS_T_BLOCK;
	default:
		return CS_T_NONE;
	}
}
