/*
 * tar.h: a tar archive as a record source.
 *
 * A custos evidence tar (doc/custos-evidence.5) is verified before any
 * record is handed out (evidence.h: its custody record, stream digest,
 * signed manifest and every member against its header and the
 * manifest); its records are the members' completed by the manifest, so
 * it carries everything a baseline does.
 *
 * Any other tar (GNU tar, bsdtar, pax: a foreign tar) has nothing to
 * verify it by: its records are read from the members' headers and
 * content, in archive order, and put in canonical order by the sort
 * stage (sort.h).  Member names "./a/b", "a/b" and "a/b/" are the object
 * "/a/b"; a name with a ".." component or an absolute name is refused.
 * It carries inode numbers and link counts only when every member has
 * star's SCHILY.ino and SCHILY.nlink; never inode flags (SCHILY.fflags
 * names only the flags its writer knows); ctimes only when every member
 * has one; ACLs and extended attributes only when the archive holds at
 * least one (it was made with --acls, --xattrs).
 */
#ifndef CUSTOS_TAR_H
#define CUSTOS_TAR_H

#include <stddef.h>

#include "custos/evidence.h"

struct cs_err;
struct cs_evidence_result;
struct cs_source;

struct cs_tar_opts {
	struct cs_evidence_opts	 ev;	/* the file and the trust anchor */
	unsigned		 digests; /* computed for a foreign tar */
	size_t			 sort_bound; /* 0: CS_SORT_BOUND */
	/* Evidence: the verifier's problems (evidence_verify.h), for the
	   caller to print; it keeps RESULT until the source is freed.
	   NULL: the error of the source names the first. */
	struct cs_evidence_result *result;
};

struct cs_tar_info {
	int			 foreign;	/* nothing was verified */
	int			 format;	/* ARCHIVE_FORMAT_TAR_* */
	struct cs_evidence_info	 ev;		/* for evidence */
};

/*
 * Nonzero if PATH is a regular file that libarchive recognises as an
 * archive (tarprobe.h); what is not a plain tar is refused, named, when
 * it is opened.
 */
int		 cs_tar_is_tar(const char *);
/*
 * A tar member's name as a canonical path: "./a/b", "a/b" and "a//b/"
 * are "/a/b", "." and "./" are "/" (heap, length in *LENP).  0, or -1
 * with *WHY for an absolute name or a ".." component.
 */
int		 cs_tar_path(const char *, char **, size_t *, const char **);
/* O->ev.file (a file, a pipe or a tape) as a source; INFO says what. */
struct cs_source *cs_source_tar_open(const struct cs_tar_opts *,
		    struct cs_tar_info *, struct cs_err *);
/*
 * PATH as a source, an evidence tar verified without a trusted key (its
 * signatures are not checked), a foreign tar with SHA-256.
 */
struct cs_source *cs_source_tar(const char *, struct cs_err *);

/*
 * What a command must say about the tar at PATH that INFO describes (a
 * foreign tar nothing vouches for, unchecked signatures, an incomplete
 * snapshot): up to CS_TAR_NOTES messages into MSG, heap strings the
 * caller frees; returns how many.  *INCOMPLETE is set when the records
 * are not vouched for or the snapshot is incomplete, else left alone.
 */
#define CS_TAR_NOTES	2
size_t		 cs_tar_notes(const struct cs_tar_info *, const char *,
		    char *[CS_TAR_NOTES], int *);

#endif /* CUSTOS_TAR_H */
