/*
 * logrot.h: log rotation understood, after the join.
 *
 * logrotate moves a log's content on: NAME to NAME.1 (same inode, or a
 * copy with copytruncate) or NAME-YYYYMMDD (dateext), possibly in another
 * directory (olddir), NAME.1 to NAME.2.gz (compress, delaycompress), and
 * drops the oldest copy at "rotate N".  Seen file by file, every rotation looks like truncation
 * and rewriting.  cs_logrot_explain follows each baselined content of a
 * log family to the file that holds it now (same digest, or its old
 * bytes as a prefix, raw or decompressed with libarchive's filters):
 * the rotation is then info; a baselined content that is nowhere,
 * except the oldest copy, is a tampered rotated log (high, T1070.002),
 * named where it should be; a rotated copy that cannot be decompressed
 * is not-compared.
 */
#ifndef CUSTOS_LOGROT_H
#define CUSTOS_LOGROT_H

#include <stddef.h>

struct cs_diff_stats;
struct cs_finding;

/*
 * Explain the rotations among the N findings FS.  ROOT is the examined
 * tree (NULL when the source is not a tree: then only whole-content
 * moves are recognised); files are read again through safe opens, and
 * only when they are still the object the walk recorded.  ST's counts
 * follow findings that become not-compared.
 */
void		 cs_logrot_explain(struct cs_finding **, size_t, const char *,
		    struct cs_diff_stats *);

#endif /* CUSTOS_LOGROT_H */
