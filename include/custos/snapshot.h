/*
 * snapshot.h: the evidence tar writer (doc/custos-evidence.5).
 *
 * A snapshot is a POSIX pax tar written through libarchive: the custody
 * record first, then every object of one tree in canonical order with
 * its metadata, then a manifest (a baseline of exactly what the archive
 * holds).  Each regular file is read once, from the descriptor the safe
 * walker opened, and hashed while it is archived.  Every byte of the
 * output goes through the stream digest, whose value goes into the
 * signed custody sidecar.  The output is created, never replaced.
 *
 * Member names: the tree's root is "tree/", the object "/a/b" is
 * "tree/a/b"; the custody record is "custos/custody" and the manifest
 * "custos/manifest.cbl", so no object of the tree can collide with them.
 */
#ifndef CUSTOS_SNAPSHOT_H
#define CUSTOS_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "custos/digest.h"
#include "custos/pax.h"

struct cs_buf;
struct cs_err;
struct cs_key;
struct cs_pipe_skip;
struct cs_sink;
struct cs_walk_opts;

#define CS_SNAP_CUSTODY		"custos/custody"
#define CS_SNAP_MANIFEST	"custos/manifest.cbl"
#define CS_SNAP_TREE		"tree"
/* The pax keyword prefix of a member's digests (pax.h). */
#define CS_SNAP_PAXKEY		CS_PAX_DIGEST_PREFIX
#define CS_SNAP_BLOCK		10240
/*
 * Files whose data is at most this large are read into memory before
 * their header is written, so the header can carry their digests.
 */
#define CS_SNAP_INLINE_MAX	(64U * 1024 * 1024)

struct cs_snap_opts {
	const char	 *root;		/* the one tree to snapshot */
	const char	 *output;	/* new file, "-", or a char device */
	const char	 *custody;	/* sidecar; NULL: OUTPUT.custody */
	const char	 *case_id;
	const char	 *label;
	const char	 *operator_name;
	const char	 *note;		/* or NULL */
	unsigned	  digests;	/* 1 << enum cs_digest */
	const char *const *excludes;
	size_t		  nexcludes;
	size_t		  block_size;	/* bytes per write; multiple of 512 */
	size_t		  inline_max;	/* 0: CS_SNAP_INLINE_MAX */
	int		  verify_after;
	int		  jobs;
	int		  cross_fs;
	const struct cs_key *key;	/* signs manifest and custody */
	int		  argc;		/* the exact command line */
	char *const	 *argv;
	/*
	 * Or NULL: called at once for each object that could not be read,
	 * with "'PATH': CAUSE" (PATH encoded), for the command to print.
	 */
	void		(*warn)(void *, const char *);
	void		 *warn_arg;
};

enum cs_snap_status {
	CS_SNAP_FAILED = 0,
	CS_SNAP_INCOMPLETE,
	CS_SNAP_COMPLETE
};

struct cs_snap_result {
	enum cs_snap_status status;
	uint64_t	 objects;	/* records in the manifest */
	uint64_t	 members;	/* tar members, custody and manifest too */
	uint64_t	 bytes;		/* content bytes read */
	uint64_t	 errors;	/* objects that could not be read */
	uint64_t	 stream_size;
	unsigned	 stream_digests;
	unsigned char	 stream[CS_D_COUNT][CS_DIGEST_MAXLEN];
	char		*custody;	/* sidecar written, or NULL */
	char		*protection;	/* what write-once protection holds */
	int		 verified;	/* --verify-after: 1 ok, 0 not done */
	int		 created;	/* the output was created (or opened) */
};

/*
 * The snapshot as a sink (sink.h) taking the records of a tree source
 * opened with cs_snapshot_walk_opts (their regular files open in the
 * records' content).  The output and nothing else is created here; SKIP
 * gets its identity (*NSKIP is 0 or 1), for the driver (pipe.h) to leave
 * it out of the walk.  The sink fills RES: a run that finished wrote the
 * archive and its custody record (status complete or incomplete); any
 * other end writes the sidecar, if it can be written at all, saying
 * "failed".  NULL, with ERR set, if the output cannot be created.
 */
struct cs_sink	*cs_sink_snapshot(const struct cs_snap_opts *,
		    struct cs_snap_result *, struct cs_pipe_skip *, size_t *,
		    struct cs_err *);
/* The walk a snapshot of O->root reads: content kept open, read ahead. */
void		 cs_snapshot_walk_opts(const struct cs_snap_opts *,
		    struct cs_walk_opts *);
void		 cs_snap_result_release(struct cs_snap_result *);

/* Member name for canonical PATH (heap; directories end in '/'). */
char		*cs_snap_member_name(const char *, size_t, int);
/*
 * Canonical path for member NAME: 0 with a heap *PATH, or -1 if NAME is
 * not under "tree/".
 */
int		 cs_snap_member_path(const char *, char **, size_t *);

/*
 * The pax codec under its former names (pax.h has the documentation),
 * for the callers that still use them.
 */
static inline void
cs_snap_pax_record(struct cs_buf *b, const char *key, const char *v,
    size_t vn)
{
	cs_pax_record(b, key, v, vn);
}

static inline int
cs_snap_pax_splice(struct cs_buf *out, const unsigned char *h, size_t n,
    const char *recs, size_t rn)
{
	return cs_pax_splice(out, h, n, recs, rn);
}

static inline int
cs_snap_pax_find(const char *rec, size_t n, const char *key,
    const char **v, size_t *vn)
{
	return cs_pax_find(rec, n, key, v, vn);
}

static inline unsigned
cs_snap_tar_cksum(const unsigned char *h)
{
	return cs_pax_tar_cksum(h);
}

#endif /* CUSTOS_SNAPSHOT_H */
