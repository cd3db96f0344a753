/*
 * walk_int.h: what the walk (walk.c) and the examination of one object
 * (walk_object.c) share; not part of the library's interface.
 */
#ifndef CUSTOS_WALK_INT_H
#define CUSTOS_WALK_INT_H

#include <stddef.h>

struct cs_content;
struct cs_entry;
struct cs_hasher;
struct cs_readahead;
struct cs_walk_opts;
struct stat;

#define CS_WALK_BUFSIZE	(256 * 1024)	/* a worker's read buffer */

/*
 * List directory FD, sorted bytewise (getdents64 batches): *NAMESP holds
 * each name as its d_type byte followed by the NUL-terminated name, at
 * the *NP offsets of *OFFSP, in order (both the caller's to free, also
 * on failure).  0, or -1 with errno if listing failed part way.
 */
int	 cs_walk_list(int, char **, size_t **, size_t *);
/* Is FD on a filesystem whose magic number is one of LIST's N? */
int	 cs_walk_fs_in(int, const unsigned long *, size_t);
/* Copy what stat(2) says into the record (type excepted). */
void	 cs_walk_fill_stat(struct cs_entry *, const struct stat *);
/* Is ST the object E was made from (device, inode, type)? */
int	 cs_walk_same_object(const struct cs_entry *, const struct stat *);
/*
 * fstat(2) of a descriptor, with the birth time into the record; the
 * int is 0 when statx says the object is neither immutable nor
 * append-only.
 */
int	 cs_walk_fstat(int, struct stat *, struct cs_entry *, int *);
/* cs_meta_collect's flags for a descriptor open for reading. */
unsigned cs_walk_meta_flags(const struct cs_walk_opts *, int);
/*
 * Examine the object E names, NAME in directory DFD, under OPTS (on a
 * worker thread, with its hasher H; PROCFD is /proc/self/fd or -1).
 * What is kept of a regular file's content for the consumer (an open
 * descriptor, bytes read ahead within RA's budget, a prefix's digests)
 * goes into a content handle made in *CP.
 */
void	 cs_walk_examine(const struct cs_walk_opts *, struct cs_readahead *,
	    int, struct cs_hasher *, struct cs_entry *, struct cs_content **,
	    int, const char *);

#endif /* CUSTOS_WALK_INT_H */
