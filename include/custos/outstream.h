/*
 * outstream.h: the output stream of an evidence tar.
 *
 * A stream is a new file (created O_EXCL, never replaced), standard
 * output, or a tape (a character device).  Bytes are gathered into
 * buffers of whole blocks and handed to a writer thread of the stream's
 * own, which hashes every byte (the stream digest) and writes it: a new
 * file with O_DIRECT where the filesystem allows it, a tape one block
 * per write.  After the last byte, write-once protection: fsync, write
 * permission removed, the immutable flag where allowed.
 *
 * Invariants: the bytes hashed are exactly the bytes handed over, in
 * order, padded to a whole block at the end; after a failed write
 * nothing more is written and every call fails with the first error.
 */
#ifndef CUSTOS_OUTSTREAM_H
#define CUSTOS_OUTSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "custos/digest.h"

struct cs_err;
struct cs_outstream;
struct cs_pipe_skip;

enum cs_outstream_kind {
	CS_OUTSTREAM_FILE = 0,
	CS_OUTSTREAM_STDOUT,
	CS_OUTSTREAM_TAPE
};

/*
 * A stream to PATH ("-" for standard output) in blocks of BLOCK bytes,
 * hashed with the digests in mask DIGESTS.  Nothing is opened yet.  NULL
 * if the digests cannot be started.
 */
struct cs_outstream *cs_outstream_new(const char *, size_t, unsigned);
/*
 * Close the stream; one not finished is flushed as far as it goes.
 * Accepts NULL.
 */
void		 cs_outstream_free(struct cs_outstream *);
/* Open the output: a new file (O_EXCL), standard output, or a tape. */
int		 cs_outstream_open(struct cs_outstream *, struct cs_err *);
/* Allocate the buffers and start the writer thread. */
int		 cs_outstream_start(struct cs_outstream *, struct cs_err *);
/* Add N bytes at P to the stream; -1 once a write has failed. */
int		 cs_outstream_write(struct cs_outstream *, const void *,
		    size_t);
/*
 * Pad to a whole block, write out everything and stop the writer; the
 * stream digest is then final.  -1 if a write failed.
 */
int		 cs_outstream_finish(struct cs_outstream *);
/* The errno of the first failed write, or 0. */
int		 cs_outstream_error(const struct cs_outstream *);
enum cs_outstream_kind cs_outstream_kind(const struct cs_outstream *);
/* The output's name, encoded for messages. */
const char	*cs_outstream_shown(const struct cs_outstream *);
/* A file output that failed: keep it, read-only (as dc3dd does). */
void		 cs_outstream_readonly(struct cs_outstream *);
/*
 * The output file's identity into SKIP, to leave it out of a walk
 * (pipe.h): 1, or 0 when the output is not a file.
 */
size_t		 cs_outstream_skip(const struct cs_outstream *,
		    struct cs_pipe_skip *);
/* Bytes written so far. */
uint64_t	 cs_outstream_size(const struct cs_outstream *);
/* The stream digests, after cs_outstream_finish. */
void		 cs_outstream_digest(const struct cs_outstream *,
		    unsigned char [][CS_DIGEST_MAXLEN]);
/* fsync the output; -1 with errno set. */
int		 cs_outstream_sync(struct cs_outstream *);
/*
 * Read the output back and compare its size and SHA-256 with the
 * stream's: 1 if they match, -1 if not.
 */
int		 cs_outstream_verify(const struct cs_outstream *);
/*
 * Write-once protection of a finished file (fsync, read-only, immutable
 * flag, fsync of the directory): what was obtained, as a heap string.
 */
char		*cs_outstream_protect(struct cs_outstream *);

#endif /* CUSTOS_OUTSTREAM_H */
