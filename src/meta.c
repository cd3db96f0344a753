/*
 * meta.c: ACLs, xattrs, capabilities and inode flags of one object,
 * always read from the descriptor the walker verified.
 *
 * Without /proc (the static binary in an empty root), an object that is
 * never opened (symlink, device, FIFO, socket) is read by its name from
 * the walk's root instead, with the l* calls that do not follow a final
 * symlink, and only while lstat of the name gives the inode that the
 * walker's descriptor holds, checked before and after; its ACL comes from
 * the system.posix_acl_access value (tar_acl.h).
 *
 * "Not supported here" (ENOTSUP, ENOTTY, ...) is not an error: the
 * filesystem simply cannot hold that attribute.  Anything else is added to
 * the record's error, so an attribute that could not be read is never
 * mistaken for an attribute that is absent.
 */
#include "custos/custos.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/xattr.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <acl/libacl.h>
#include <linux/fs.h>
#include <sys/acl.h>
#include <sys/capability.h>

#include "custos/entry.h"
#include "custos/meta.h"
#include "custos/tar_acl.h"
#include "custos/xmalloc.h"

#define META_XATTR_ACCESS	"system.posix_acl_access"

/* How attributes are read: from FD, its /proc name, or a name (l*). */
#define META_FD		0
#define META_PROC	1
#define META_NAME	2
#define META_XATTR_DEFAULT	"system.posix_acl_default"

/* errno values meaning "this filesystem has no such attribute". */
static int
meta_unsupported(int e)
{
	return e == ENOTSUP || e == ENOTTY ||
	    e == EINVAL || e == ENODATA || e == ENOSYS;
}

/*
 * Why an attribute call failed.  Through /proc/self/fd (VIA_PROC), ENOENT
 * can only mean that there is no /proc, as in a bare chroot.
 */
static const char *
meta_why(int e, int via_proc)
{
	return e == ENOENT && via_proc ? "/proc is not mounted" : strerror(e);
}

static void
meta_procpath(char *buf, size_t size, int fd)
{
	(void)snprintf(buf, size, "/proc/self/fd/%d", fd);
}

/* Text form of an access ACL with numeric ids; NULL if it is the mode. */
static char *
meta_acl_text(acl_t acl)
{
	char	*t, *copy;

	if (acl_equiv_mode(acl, NULL) == 0)
		return NULL;
	t = acl_to_any_text(acl, NULL, ',', TEXT_NUMERIC_IDS);
	if (t == NULL)
		return NULL;
	copy = cs_xstrdup(t);
	acl_free(t);
	return copy;
}

/* Read the access ACL (only called when its xattr is listed). */
static char *
meta_acl(struct cs_entry *e, int fd, int is_path, const char *proc)
{
	acl_t	 acl;
	char	*text;

	if (!is_path)
		acl = acl_get_fd(fd);
	else
		acl = acl_get_file(proc, ACL_TYPE_ACCESS);
	if (acl == NULL) {
		if (!meta_unsupported(errno))
			cs_entry_add_error(e, "cannot read ACL: %s",
			    meta_why(errno, is_path));
		return NULL;
	}
	text = meta_acl_text(acl);
	acl_free(acl);
	return text;
}

/* flistxattr, listxattr or llistxattr, as HOW says. */
static ssize_t
meta_list(int fd, int how, const char *path, char *buf, size_t n)
{
	if (how == META_NAME)
		return llistxattr(path, buf, n);
	return how == META_PROC ? listxattr(path, buf, n) :
	    flistxattr(fd, buf, n);
}

/* fgetxattr, getxattr or lgetxattr, as HOW says. */
static ssize_t
meta_get(int fd, int how, const char *path, const char *name, void *buf,
    size_t n)
{
	if (how == META_NAME)
		return lgetxattr(path, name, buf, n);
	return how == META_PROC ? getxattr(path, name, buf, n) :
	    fgetxattr(fd, name, buf, n);
}

/* List xattr names into a heap buffer; returns its length or -1. */
static ssize_t
meta_xattr_list(int fd, int how, const char *path, char **out)
{
	char	*buf = NULL;
	ssize_t	 n;
	int	 tries;

	for (tries = 0; tries < 8; tries++) {
		n = meta_list(fd, how, path, NULL, 0);
		if (n <= 0)
			break;
		buf = cs_xrealloc(buf, (size_t)n);
		n = meta_list(fd, how, path, buf, (size_t)n);
		if (n >= 0 || errno != ERANGE)
			break;
	}
	if (n <= 0) {
		free(buf);
		buf = NULL;
	}
	*out = buf;
	return n;
}

/* Read one xattr value into a heap buffer; returns 0, or -1. */
static int
meta_xattr_get(int fd, int how, const char *path, const char *name,
    char **valp, size_t *lenp)
{
	char	*buf = NULL;
	ssize_t	 n;
	int	 tries;

	for (tries = 0; tries < 8; tries++) {
		n = meta_get(fd, how, path, name, NULL, 0);
		if (n < 0)
			break;
		buf = cs_xrealloc(buf, (size_t)n + 1);
		n = meta_get(fd, how, path, name, buf, (size_t)n);
		if (n >= 0 || errno != ERANGE)
			break;
	}
	if (n < 0) {
		free(buf);
		return -1;
	}
	*valp = buf;
	*lenp = (size_t)n;
	return 0;
}

/*
 * The ACL kept in xattr NAME (ACCESS: the access ACL), read as HOW says
 * and converted from its value: no /proc name is needed.
 */
static char *
meta_acl_value(struct cs_entry *e, int fd, int how, const char *path,
    const char *name, int access)
{
	char	*v, *text;
	size_t	 n;

	if (meta_xattr_get(fd, how, path, name, &v, &n) != 0) {
		if (!meta_unsupported(errno))
			cs_entry_add_error(e, "cannot read %sACL: %s",
			    access ? "" : "default ", strerror(errno));
		return NULL;
	}
	text = cs_tar_acl_xattr(v, n, access);
	free(v);
	return text;
}

/*
 * Every xattr but the POSIX ACL ones (kept as acl= and dacl=); notes in
 * *SEEN which of those special names exist, so that ACLs and
 * capabilities are only asked for when present.
 */
#define META_HAS_ACL	0x1
#define META_HAS_DACL	0x2
#define META_HAS_CAP	0x4

static void
meta_xattrs(struct cs_entry *e, int fd, int how, const char *path,
    unsigned *seen)
{
	char	*names = NULL, *name, *value;
	size_t	 len;
	ssize_t	 n;

	*seen = 0;
	n = meta_xattr_list(fd, how, path, &names);
	if (n < 0) {
		if (!meta_unsupported(errno))
			cs_entry_add_error(e, "cannot list xattrs: %s",
			    meta_why(errno, how == META_PROC));
		return;
	}
	for (name = names; name != NULL && name < names + n;
	    name += strlen(name) + 1) {
		if (strcmp(name, META_XATTR_ACCESS) == 0) {
			*seen |= META_HAS_ACL;
			continue;
		}
		if (strcmp(name, META_XATTR_DEFAULT) == 0) {
			*seen |= META_HAS_DACL;
			continue;
		}
		if (*name == '\0')
			continue;
		if (strcmp(name, "security.capability") == 0)
			*seen |= META_HAS_CAP;
		if (meta_xattr_get(fd, how, path, name, &value, &len) != 0) {
			if (errno != ENODATA)
				cs_entry_add_error(e, "cannot read xattr: %s",
				    meta_why(errno, how == META_PROC));
			continue;
		}
		cs_entry_add_xattr(e, name, value, len);
		free(value);
	}
	free(names);
	cs_entry_sort_xattrs(e);
}

static void
meta_caps(struct cs_entry *e, int fd)
{
	cap_t	 cap;
	char	*t;

	cap = cap_get_fd(fd);
	if (cap == NULL)
		return;		/* none, or not supported */
	t = cap_to_text(cap, NULL);
	if (t != NULL) {
		e->caps = cs_xstrdup(t);
		cap_free(t);
	}
	cap_free(cap);
}

static void
meta_iflags(struct cs_entry *e, int fd)
{
	int	 flags = 0;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) {
		if (!meta_unsupported(errno) && errno != EPERM &&
		    errno != EACCES)
			cs_entry_add_error(e, "cannot read inode flags: %s",
			    strerror(errno));
		return;
	}
	e->iflags = (uint32_t)flags;
	e->have |= CS_F_IFLAGS;
}

void
cs_meta_collect(struct cs_entry *e, int fd, unsigned flags)
{
	char		 proc[32];
	unsigned	 seen;
	int		 is_path = (flags & CS_META_PATH) != 0;

	/* the /proc name is needed for O_PATH descriptors only */
	proc[0] = '\0';
	if (is_path)
		meta_procpath(proc, sizeof proc, fd);
	meta_xattrs(e, fd, is_path ? META_PROC : META_FD, proc, &seen);
	if ((seen & META_HAS_ACL) && e->type != CS_T_LINK)
		e->acl = meta_acl(e, fd, is_path, proc);
	if ((seen & META_HAS_DACL) && e->type == CS_T_DIR && !is_path)
		e->dacl = meta_acl_value(e, fd, META_FD, NULL,
		    META_XATTR_DEFAULT, 0);
	if ((seen & META_HAS_CAP) && !is_path && e->type == CS_T_FILE)
		meta_caps(e, fd);
	if (!is_path && (flags & CS_META_NOIFLAGS) == 0 &&
	    (e->type == CS_T_FILE || e->type == CS_T_DIR))
		meta_iflags(e, fd);
	e->have |= CS_F_META;
}

/* Does lstat of PATH give the inode of ST? */
static int
meta_same(const char *path, const struct stat *st)
{
	struct stat	 now;

	return lstat(path, &now) == 0 && now.st_dev == st->st_dev &&
	    now.st_ino == st->st_ino &&
	    (now.st_mode & S_IFMT) == (st->st_mode & S_IFMT);
}

void
cs_meta_collect_name(struct cs_entry *e, int pfd, const char *path)
{
	struct stat	 st;
	unsigned	 seen;

	if (fstat(pfd, &st) != 0 || !meta_same(path, &st)) {
		cs_entry_add_error(e, "replaced during the walk (attributes "
		    "read by name, without /proc)");
		return;
	}
	meta_xattrs(e, -1, META_NAME, path, &seen);
	if ((seen & META_HAS_ACL) && e->type != CS_T_LINK)
		e->acl = meta_acl_value(e, -1, META_NAME, path,
		    META_XATTR_ACCESS, 1);
	if (!meta_same(path, &st)) {
		cs_entry_add_error(e, "replaced during the walk (attributes "
		    "read by name, without /proc)");
		return;
	}
	e->have |= CS_F_META;
}
