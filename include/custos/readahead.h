/*
 * readahead.h: reading regular files for the evidence tar: their data
 * extents (sparse files keep their holes), read-ahead on the walk's
 * workers, and the content passed through a hasher and to the archive.
 *
 * A file small enough for the read-ahead budget is read and hashed by
 * the walk worker that opened it (cs_readahead_prefetch, called by the
 * walk when asked to read ahead); its bytes wait in the record's content
 * (content.h) until the writer archives them, and are charged to the
 * walk's budget until then.  Any other file is read by the writer, with
 * the writer's own buffer and extent list (a struct cs_readahead too).
 *
 * Invariants: each file is read exactly once, from the descriptor the
 * walker opened; bytes that could not be read are archived and hashed
 * as zeros and the record says so (e->error); holes are zeros.
 */
#ifndef CUSTOS_READAHEAD_H
#define CUSTOS_READAHEAD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct cs_entry;
struct cs_hasher;
struct cs_zhasher;

/* One data extent of a file. */
struct cs_readahead_seg {
	uint64_t	 off;
	uint64_t	 len;
};

/* The data extents of a file, in order. */
struct cs_readahead_segs {
	struct cs_readahead_seg	*v;
	size_t			 n, cap;
};

/*
 * A file read and hashed ahead: its extents and their bytes back to
 * back, in one allocation, charged to the budget until freed.
 */
struct cs_readahead_file {
	struct cs_readahead_segs segs;
	int			 sparse;
	uint64_t		 datalen;
	uint64_t		 nread;
	_Atomic uint64_t	*budget;
	unsigned char		 data[];
};

/* The read-ahead budget of a walk, or a writer's reading state. */
struct cs_readahead {
	uint64_t		 inline_max;	/* read before the header */
	unsigned		 digests;	/* set on records read ahead */
	_Atomic uint64_t	 pending;	/* read ahead, not yet out */
	struct cs_readahead_segs segs;		/* the writer's */
	unsigned char		*buf;		/* the writer's */
	size_t			 bufcap;
	unsigned char		*zeros;		/* the writer's holes */
};

/* Where content goes: 0, or -1 to stop. */
typedef int	 cs_readahead_out(void *, const void *, size_t);

void		 cs_readahead_init(struct cs_readahead *, uint64_t,
		    unsigned);
void		 cs_readahead_release(struct cs_readahead *);
/*
 * On a walk worker: read the regular file E, open as FD, into memory and
 * hash it with H (setting E's digests) if its data fit RA's limit and
 * budget; NULL if it is left to the writer.
 */
struct cs_readahead_file *cs_readahead_prefetch(struct cs_readahead *,
		    struct cs_entry *, int, struct cs_hasher *);
/* Free a file read ahead and give its bytes back to the budget. */
void		 cs_readahead_file_free(struct cs_readahead_file *);
/* The writer's buffer, grown to at least N bytes. */
unsigned char	*cs_readahead_buf(struct cs_readahead *, size_t);
/*
 * The data extents of E (open as FD) into SG: 1 if the file has holes,
 * 0 if it is one extent.
 */
int		 cs_readahead_extents(struct cs_readahead_segs *,
		    const struct cs_entry *, int);
/* The number of data bytes in SG. */
uint64_t	 cs_readahead_datalen(const struct cs_readahead_segs *);
/*
 * The zero-run digest (sha256z, digest.h) of the file open as FD, of
 * SIZE bytes with data extents SG, into OUT: only the extents are read,
 * through BUF of BUFSIZE bytes.  *N receives the data bytes read (fewer
 * than SG holds if the file shrank).  -1 with errno set on a read error.
 */
int		 cs_readahead_zdigest(int, const struct cs_readahead_segs *,
		    uint64_t, unsigned char *, size_t, unsigned char *,
		    uint64_t *);
/* Read the extents SG of E (FD) into BUF, back to back; the bytes read. */
uint64_t	 cs_readahead_read(struct cs_entry *, int,
		    const struct cs_readahead_segs *, unsigned char *);
/* Did E's file (FD) change while it was read?  Then say so on E. */
void		 cs_readahead_check_changed(struct cs_entry *, int);
/*
 * Pass the logical content of E (open as FD; extents SG, holes as
 * zeros) through H (if not NULL) and to OUT (if not NULL): from DATA,
 * the extents in memory back to back, or if DATA is NULL read now,
 * chunk by chunk, the bytes read added to *READP.  -1 if OUT failed.
 */
int		 cs_readahead_content(struct cs_readahead *,
		    struct cs_hasher *, struct cs_entry *, int,
		    const struct cs_readahead_segs *, const unsigned char *,
		    cs_readahead_out *, void *, uint64_t *);
/*
 * The same for a file that gets a zero-run digest: its extents, read
 * now, go through Z (begun with E's size; the caller ends it), and the
 * content with its holes to OUT.
 */
int		 cs_readahead_zcontent(struct cs_readahead *,
		    struct cs_zhasher *, struct cs_entry *, int,
		    const struct cs_readahead_segs *, cs_readahead_out *,
		    void *, uint64_t *);

#endif /* CUSTOS_READAHEAD_H */
