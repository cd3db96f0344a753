/*
 * tar_acl.h: the POSIX ACLs of a tar member as records carry them.
 *
 * The text is libacl's canonical form with numeric ids, the same a tree
 * gives (meta.c); no name is ever looked up: a name is the archiving
 * host's, and the responder's name service is not the examined system's.
 */
#ifndef CUSTOS_TAR_ACL_H
#define CUSTOS_TAR_ACL_H

#include <stddef.h>

struct archive_entry;

/*
 * The ACL of TYPE (ARCHIVE_ENTRY_ACL_TYPE_ACCESS or _DEFAULT) of member
 * AE, or NULL if it has none (an access ACL that only repeats the mode
 * is none).  It is built from libarchive's entries, with their numeric
 * ids.  GNU tar records names without ids: then the member's
 * system.posix_acl_* extended attribute XV (XN bytes, NULL if it has
 * none), the kernel's ACL with its ids, is used; without one, the
 * entries are kept as text, their names as names.
 */
char		*cs_tar_acl(struct archive_entry *, int, const void *, size_t);
/*
 * The ACL in the extended attribute form V (N bytes: the value of
 * system.posix_acl_access or _default), or NULL if it is malformed or,
 * with ACCESS, only repeats the mode.  Also for a walk without /proc.
 */
char		*cs_tar_acl_xattr(const void *, size_t, int);

#endif /* CUSTOS_TAR_ACL_H */
