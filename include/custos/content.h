/*
 * content.h: what a source read of a record's content, beside its
 * digests.
 *
 * Like libarchive's archive_read_data after archive_read_next_header,
 * the content of the record a source handed out last is asked of the
 * source (cs_source_content), not carried on the record: a live tree
 * can leave the file it hashed open for a sink that archives it, read a
 * small file ahead on its workers, or digest a prefix the consumer
 * asked for in the same read.  A content handle is the source's; it is
 * valid until the source's next record (or its end).
 *
 * Invariant: a file is read once.  Bytes given to a sink are the bytes
 * the source hashed, or the sink hashes them itself while reading fd.
 */
#ifndef CUSTOS_CONTENT_H
#define CUSTOS_CONTENT_H

#include <stdint.h>

#include "custos/digest.h"

struct cs_readahead_file;

struct cs_content {
	/* The regular file, open for reading at offset 0, or -1. */
	int		 fd;
	/* Its data read ahead and hashed into the record, or NULL. */
	struct cs_readahead_file *ahead;
	/*
	 * With have_prefix: the digests of the first prefix_len bytes
	 * (asked for with the walk's prefix option), taken in the same
	 * read as the record's digests.
	 */
	int		 have_prefix;
	uint64_t	 prefix_len;
	unsigned char	 prefix_digest[CS_D_COUNT][CS_DIGEST_MAXLEN];
};

/* An empty handle (no descriptor, nothing read ahead, no prefix). */
struct cs_content *cs_content_new(void);
/*
 * Close the descriptor and free what was read ahead, leaving C empty: a
 * consumer done with a record's content gives its descriptor and memory
 * back at once (the bytes read ahead count against the walk's budget).
 */
void		 cs_content_clear(struct cs_content *);
/* Clear C and free it. */
void		 cs_content_free(struct cs_content *);

#endif /* CUSTOS_CONTENT_H */
