/*
 * source.h: record streams in canonical order, whatever their origin.
 *
 * A source yields cs_entry records, one per object, in canonical path
 * order: a live tree (walk.h), a baseline file (baseline.h), and, through
 * the same interface, archives.  cs_source_next enforces the order for
 * every kind, so consumers such as the merge-join diff can rely on it.
 */
#ifndef CUSTOS_SOURCE_H
#define CUSTOS_SOURCE_H

struct cs_blr;
struct cs_content;
struct cs_entry;
struct cs_err;
struct cs_range;
struct cs_walk_opts;
struct cs_source;
struct cs_walk;

/*
 * What cs_source_next says of a fed source (cs_source_fed) that has no
 * record yet: feed it, then ask again.
 */
#define CS_SOURCE_AGAIN	2

struct cs_source_ops {
	const char	*kind;		/* "tree", "baseline", "tar" */
	/* 1 with a record, 0 at the end, -1 on error (CS_SOURCE_AGAIN). */
	int		(*next)(void *, struct cs_entry **, struct cs_err *);
	void		(*close)(void *);
	/*
	 * Optional: the content of the record handed out last (content.h),
	 * or NULL; the source's, valid until its next record.
	 */
	struct cs_content *(*content)(void *);
};

/*
 * What a source can carry, as CS_G_* groups (policy.h): a tree carries
 * everything; a source without inode numbers, ctimes, ACLs or inode
 * flags says so, and those attributes are not compared with it (the
 * report names them once).  Set by the source's constructor.
 */
void		 cs_source_set_carries(struct cs_source *, unsigned);
unsigned	 cs_source_carries(const struct cs_source *);

/* Wrap an implementation (takes ownership of IMPL); it carries CS_G_ALL. */
struct cs_source *cs_source_new(const struct cs_source_ops *, void *,
		    const char *);
/* A live walk of OPTS->root. */
struct cs_source *cs_source_tree(const struct cs_walk_opts *,
		    struct cs_err *);
/* A baseline file (its signature is the caller's to check). */
struct cs_source *cs_source_baseline(const char *, struct cs_err *);
/*
 * PATH as the source it is: a directory is walked with OPTS (root set to
 * PATH), a file starting with the baseline magic is read as a baseline.
 */
struct cs_source *cs_source_open(const char *, const struct cs_walk_opts *,
		    struct cs_err *);
/*
 * The next record: 1 with *EP set (the caller's to free), 0 at the end,
 * -1 with ERR set; a fed source may also say CS_SOURCE_AGAIN.
 */
int		 cs_source_next(struct cs_source *, struct cs_entry **,
		    struct cs_err *);
/*
 * Restrict S to the range R (range.h; copied, its paths borrowed), a
 * shard: the records outside it are read and left out (so a baseline is
 * still read to its end, and its trailer checked).  A tree is better
 * restricted by its walk (walk.h), which does not enter what lies
 * outside.
 */
void		 cs_source_set_range(struct cs_source *,
		    const struct cs_range *);
/*
 * What the source kept of the content of the record it handed out last:
 * an open file, bytes read ahead, a prefix's digests (content.h); NULL
 * if nothing.  Valid until the next cs_source_next or cs_source_free.
 */
struct cs_content *cs_source_content(struct cs_source *);
void		 cs_source_free(struct cs_source *);
const char	*cs_source_kind(const struct cs_source *);
/* What to call it in reports: kind and escaped path. */
const char	*cs_source_label(const struct cs_source *);
/*
 * A source its owner feeds, one record at a time, for a consumer that is
 * itself a sink (the comparison: the driver pushes the checked stream
 * into it, and the join pulls that stream from here).  KIND and PATH
 * name it as the source it stands for; it carries CARRIES (CS_G_*).
 */
struct cs_source *cs_source_fed(const char *, const char *, unsigned);
/*
 * Give the fed source its next record (taken over) and that record's
 * content C (borrowed, or NULL); the one fed before must have been
 * taken.  -1 if it was not (a bug in the caller; E is freed).
 */
int		 cs_source_feed(struct cs_source *, struct cs_entry *,
		    struct cs_content *);
/* No more records: the fed source is at its end once the last is taken. */
void		 cs_source_feed_end(struct cs_source *);
/* The baseline reader behind a baseline source, else NULL. */
struct cs_blr	*cs_source_blr(const struct cs_source *);
/* The walk behind a tree source, else NULL. */
struct cs_walk	*cs_source_walk(const struct cs_source *);
/* The implementation of S if it is one of OPS, else NULL. */
void		*cs_source_impl(const struct cs_source *,
		    const struct cs_source_ops *);

#endif /* CUSTOS_SOURCE_H */
