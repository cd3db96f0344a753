/*
 * meta.h: the metadata an intruder can touch beyond stat(2), read from an
 * open descriptor: POSIX ACLs (libacl), extended attributes of every
 * namespace, file capabilities (libcap, as text), inode flags
 * (FS_IOC_GETFLAGS).  Owner and group names are names.h's.
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

/* cs_meta_collect's FLAGS */
#define CS_META_PATH		0x1	/* FD is an O_PATH descriptor */
#define CS_META_NOIFLAGS	0x2	/* leave the inode flags unread */

/*
 * Fill acl, dacl, xattrs, caps and iflags of E from FD, as FLAGS say.
 * Problems are added to E->error; the function itself cannot fail.
 */
void		 cs_meta_collect(struct cs_entry *, int, unsigned);
/*
 * The same for an object held by the O_PATH descriptor PFD where there
 * is no /proc: read by its name PATH (not following a final symlink),
 * only while PATH names the inode PFD holds; if it stops doing so, that
 * is E's error.
 */
void		 cs_meta_collect_name(struct cs_entry *, int, const char *);

#endif /* CUSTOS_META_H */
