/*
 * tar.h: an evidence tar (doc/custos-evidence.5) as a record source.
 *
 * The records are those of the objects in the archive, in canonical
 * order: type, permissions, owners, size, times, link targets, device
 * numbers and extended attributes come from the members' headers, and
 * the digests are computed from the members' content as it is read;
 * the fields tar cannot hold (inode numbers, link counts, ACL text,
 * capabilities as text, inode flags) and the objects without a member
 * (sockets, files that could not be read) come from the manifest.
 * Signatures and the stream digest are "custos verify"'s to check.
 */
#ifndef CUSTOS_TAR_H
#define CUSTOS_TAR_H

struct cs_err;
struct cs_source;

/* Nonzero if PATH looks like a tar archive (ustar magic). */
int		 cs_tar_is_tar(const char *);
struct cs_source *cs_source_tar(const char *, struct cs_err *);

#endif /* CUSTOS_TAR_H */
