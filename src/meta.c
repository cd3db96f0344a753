/*
 * meta.c: ACLs, xattrs, capabilities and inode flags of one object,
 * always read from the descriptor the walker verified.
 *
 * "Not supported here" (ENOTSUP, ENOTTY, ...) is not an error: the
 * filesystem simply cannot hold that attribute.  Anything else is added to
 * the record's error, so an attribute that could not be read is never
 * mistaken for an attribute that is absent.
 */
#include "custos/custos.h"

#include <sys/ioctl.h>
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
#include "custos/xmalloc.h"

#define META_XATTR_ACCESS	"system.posix_acl_access"
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
	snprintf(buf, size, "/proc/self/fd/%d", fd);
}

/* Text form of an ACL with numeric ids; NULL if it is only the mode. */
static char *
meta_acl_text(acl_t acl, int is_access)
{
	char	*t, *copy;

	if (is_access && acl_equiv_mode(acl, NULL) == 0)
		return NULL;
	if (!is_access && acl_entries(acl) <= 0)
		return NULL;
	t = acl_to_any_text(acl, NULL, ',', TEXT_NUMERIC_IDS);
	if (t == NULL)
		return NULL;
	copy = cs_xstrdup(t);
	acl_free(t);
	return copy;
}

/* Read the ACL of TYPE (only called when its xattr is listed). */
static char *
meta_acl(struct cs_entry *e, int fd, int is_path, const char *proc,
    acl_type_t type)
{
	acl_t	 acl;
	char	*text;

	if (type == ACL_TYPE_ACCESS && !is_path)
		acl = acl_get_fd(fd);
	else
		acl = acl_get_file(proc, type);
	if (acl == NULL) {
		if (!meta_unsupported(errno))
			cs_entry_add_error(e, "cannot read %sACL: %s",
			    type == ACL_TYPE_DEFAULT ? "default " : "",
			    meta_why(errno, type != ACL_TYPE_ACCESS ||
			    is_path));
		return NULL;
	}
	text = meta_acl_text(acl, type == ACL_TYPE_ACCESS);
	acl_free(acl);
	return text;
}

/* List xattr names into a heap buffer; returns its length or -1. */
static ssize_t
meta_xattr_list(int fd, int is_path, const char *proc, char **out)
{
	char	*buf = NULL;
	ssize_t	 n;
	int	 tries;

	for (tries = 0; tries < 8; tries++) {
		n = is_path ? listxattr(proc, NULL, 0) : flistxattr(fd, NULL, 0);
		if (n <= 0)
			break;
		buf = cs_xrealloc(buf, (size_t)n);
		n = is_path ? listxattr(proc, buf, (size_t)n) :
		    flistxattr(fd, buf, (size_t)n);
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
meta_xattr_get(int fd, int is_path, const char *proc, const char *name,
    char **valp, size_t *lenp)
{
	char	*buf = NULL;
	ssize_t	 n;
	int	 tries;

	for (tries = 0; tries < 8; tries++) {
		n = is_path ? getxattr(proc, name, NULL, 0) :
		    fgetxattr(fd, name, NULL, 0);
		if (n < 0)
			break;
		buf = cs_xrealloc(buf, (size_t)n + 1);
		n = is_path ? getxattr(proc, name, buf, (size_t)n) :
		    fgetxattr(fd, name, buf, (size_t)n);
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
 * Every xattr but the POSIX ACL ones (kept as acl= and dacl=); notes in
 * *SEEN which of those special names exist, so that ACLs and
 * capabilities are only asked for when present.
 */
#define META_HAS_ACL	0x1
#define META_HAS_DACL	0x2
#define META_HAS_CAP	0x4

static void
meta_xattrs(struct cs_entry *e, int fd, int is_path, const char *proc,
    unsigned *seen)
{
	char	*names = NULL, *name, *value;
	size_t	 len;
	ssize_t	 n;

	*seen = 0;
	n = meta_xattr_list(fd, is_path, proc, &names);
	if (n < 0) {
		if (!meta_unsupported(errno))
			cs_entry_add_error(e, "cannot list xattrs: %s",
			    meta_why(errno, is_path));
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
		if (meta_xattr_get(fd, is_path, proc, name, &value, &len) != 0) {
			if (errno != ENODATA)
				cs_entry_add_error(e, "cannot read xattr: %s",
				    meta_why(errno, is_path));
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
cs_meta_collect(struct cs_entry *e, int fd, int is_path)
{
	char		 proc[32];
	unsigned	 seen;

	/* the /proc name is needed for O_PATH descriptors and ACLs only */
	proc[0] = '\0';
	if (is_path)
		meta_procpath(proc, sizeof proc, fd);
	meta_xattrs(e, fd, is_path, proc, &seen);
	if (!is_path && (seen & (META_HAS_ACL | META_HAS_DACL)))
		meta_procpath(proc, sizeof proc, fd);
	if ((seen & META_HAS_ACL) && e->type != CS_T_LINK)
		e->acl = meta_acl(e, fd, is_path, proc, ACL_TYPE_ACCESS);
	if ((seen & META_HAS_DACL) && e->type == CS_T_DIR)
		e->dacl = meta_acl(e, fd, is_path, proc, ACL_TYPE_DEFAULT);
	if ((seen & META_HAS_CAP) && !is_path && e->type == CS_T_FILE)
		meta_caps(e, fd);
	if (!is_path && (e->type == CS_T_FILE || e->type == CS_T_DIR))
		meta_iflags(e, fd);
	e->have |= CS_F_META;
}
