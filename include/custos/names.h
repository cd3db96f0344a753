/*
 * names.h: the owner and group names of an examined tree, from that
 * tree's own account files, never from the name service of the machine
 * custos runs on.
 *
 * The files are etc/passwd and etc/group of the nearest directory at or
 * above the walked root that has both (of any type: one that is not a
 * regular file names nobody): "/" for a live system
 * (or a part of it, such as /usr), the mount point of a disk image or of
 * an evidence copy (/mnt/web01).  So a check of /mnt/web01 names web01's
 * users, and a binary with no /etc of its own still names them.
 */
#ifndef CUSTOS_NAMES_H
#define CUSTOS_NAMES_H

#include <stdint.h>

struct cs_names;

/*
 * The names for the tree at ROOT, read now (hostile input: a line that
 * does not parse is skipped); with no account files found, every name is
 * unknown.  Never fails.
 */
struct cs_names	*cs_names_new(const char *);
void		 cs_names_free(struct cs_names *);
/* Borrowed name of UID or GID, or NULL if it has none. */
const char	*cs_names_user(const struct cs_names *, uint32_t);
const char	*cs_names_group(const struct cs_names *, uint32_t);

#endif /* CUSTOS_NAMES_H */
