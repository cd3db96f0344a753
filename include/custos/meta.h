/*
 * meta.h: the metadata an intruder can touch beyond stat(2), read from an
 * open descriptor: POSIX ACLs (libacl), extended attributes of every
 * namespace, file capabilities (libcap, as text), inode flags
 * (FS_IOC_GETFLAGS), and owner and group names.
 *
 * FD is either a descriptor open for reading (regular files and
 * directories) or an O_PATH descriptor (symlinks, FIFOs, sockets and
 * devices, which are never opened); for the latter, attributes are read
 * through /proc/self/fd/N, which names the same inode without opening it.
 */
#ifndef CUSTOS_META_H
#define CUSTOS_META_H

#include <stdint.h>

struct cs_entry;
struct cs_names;

/*
 * Fill acl, dacl, xattrs, caps and iflags of E from FD.  IS_PATH is
 * nonzero for an O_PATH descriptor.  Problems are added to E->error; the
 * function itself cannot fail.
 */
void		 cs_meta_collect(struct cs_entry *, int, int);

/* A cache of uid and gid names (not thread-safe: one per thread). */
struct cs_names	*cs_names_new(void);
void		 cs_names_free(struct cs_names *);
/* Borrowed name of UID or GID, or NULL if it has none. */
const char	*cs_names_user(struct cs_names *, uint32_t);
const char	*cs_names_group(struct cs_names *, uint32_t);

#endif /* CUSTOS_META_H */
