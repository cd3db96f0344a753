/*
 * walk.h: the safe, parallel walk of a live directory tree.
 *
 * The walker descends with directory descriptors (openat, fstatat,
 * O_NOFOLLOW|O_DIRECTORY), never by re-resolving paths; sorts each
 * directory bytewise, so records come out in canonical order; opens only
 * regular files and directories; checks that what it opened is what it
 * stat'ed; stays on one filesystem unless asked; never enters pseudo
 * filesystems (proc, sysfs, cgroup, debugfs, ...).
 *
 * A pool of worker threads opens, examines and hashes objects ahead of
 * the consumer; records are handed out strictly in walk order, so the
 * output does not depend on the number of threads.  Memory is bounded by
 * the depth, the widest directory and the in-flight window.
 */
#ifndef CUSTOS_WALK_H
#define CUSTOS_WALK_H

#include <stddef.h>
#include <stdint.h>

struct cs_entry;
struct cs_err;
struct cs_hasher;
struct cs_range;
struct cs_walk;

struct cs_walk_opts {
	const char	 *root;		/* directory to walk */
	unsigned	  digests;	/* digests to compute; 0: none */
	int		  jobs;		/* worker threads; <= 0: online CPUs */
	int		  cross_fs;	/* descend into other filesystems */
	const char *const *excludes;	/* globs on canonical paths */
	size_t		  nexcludes;
	/*
	 * Optional: for a regular file E, the length of a prefix whose
	 * digests are wanted too, in the same read (UINT64_MAX for none);
	 * e.g. the old size of an append-only log.  They come in the
	 * record's content (cs_walk_content).  Called from worker threads:
	 * it must only read shared data.
	 */
	uint64_t	(*prefix)(void *, const struct cs_entry *);
	void		 *prefix_arg;
	/*
	 * Optional: whether regular file E's content is wanted at all.
	 * When it is not (nothing could be compared with it), only its
	 * first bytes are read, for what they show (cs_entry.magic), and
	 * the record is marked CS_F_NOHASH.  Called from worker threads:
	 * it must only read shared data.
	 */
	int		(*hash_wanted)(void *, const struct cs_entry *);
	void		 *hash_wanted_arg;
	/*
	 * Hand each regular file to the consumer open (cs_walk_content)
	 * instead of hashing it, for a sink that reads it once while it
	 * archives it.  With readahead > 0, a file with at most that many
	 * bytes of data is read and hashed ahead on a worker instead (its
	 * bytes in the content, within a fixed budget of memory).
	 */
	int		  keep_open;
	uint64_t	  readahead;
	/*
	 * Optional: called on a worker thread for each regular file open
	 * for reading as FD (identity checked), before it is hashed, to
	 * read structured content with pread (structured.h).  It must only
	 * read shared data.
	 */
	void		(*structured)(void *, struct cs_entry *, int);
	void		 *structured_arg;
	/*
	 * Optional: yield only the records in this range (range.h), a
	 * shard; directories wholly outside it are not entered, those
	 * above its start are entered but not yielded, and the walk ends
	 * at its end.  Borrowed.
	 */
	const struct cs_range *range;
	/*
	 * Nothing will be compared with the inode flags: read them
	 * (FS_IOC_GETFLAGS) only of the objects statx(2) says are
	 * immutable or append-only, which triage ranks; the others'
	 * records carry none (no CS_F_IFLAGS).
	 */
	int		  iflags_marked_only;
};

struct cs_walk_stats {
	uint64_t	 objects;	/* records handed out */
	uint64_t	 bytes;		/* content bytes hashed */
	uint64_t	 unhashed;	/* files not hashed (hash_wanted) */
	uint64_t	 unhashed_bytes;	/* and their size */
	uint64_t	 errors;	/* records with an error */
	uint64_t	 excluded;	/* objects skipped by --exclude */
	uint64_t	 not_entered;	/* directories on other filesystems */
};

struct cs_walk	*cs_walk_open(const struct cs_walk_opts *, struct cs_err *);
/*
 * Get the next record.  Returns 1 with *EP set (the caller frees it with
 * cs_entry_free), 0 at the end, -1 on a fatal error.  A record that
 * could not be fully examined has e->error set; the walk goes on.
 */
int		 cs_walk_next(struct cs_walk *, struct cs_entry **,
		    struct cs_err *);
/*
 * The content of the record cs_walk_next handed out last (content.h):
 * its open file, the bytes read ahead, a prefix's digests; or NULL.
 * The walk's, valid until the next call of cs_walk_next or cs_walk_close.
 */
struct cs_content *cs_walk_content(struct cs_walk *);
const struct cs_walk_stats *cs_walk_stats(const struct cs_walk *);
void		 cs_walk_close(struct cs_walk *);
/*
 * Open NAME in DIR for reading (FLAGS added to O_RDONLY, O_NONBLOCK,
 * O_NOCTTY, O_CLOEXEC) without touching its access time where allowed
 * (O_NOATIME: the owner, or root).  A descriptor, or -1 with errno.
 */
int		 cs_walk_openat(int, const char *, int);
/*
 * Open again the regular file of record E (a canonical path) below the
 * directory ROOTFD, no component followed if it is a link, and only if
 * it is still the object E records (inode, size, mtime).  -1 otherwise.
 */
int		 cs_walk_open_below(int, const struct cs_entry *);
/* The number of online CPUs (at least 1). */
int		 cs_walk_default_jobs(void);

#endif /* CUSTOS_WALK_H */
