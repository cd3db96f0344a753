/*
 * digest.h: content digests through OpenSSL EVP, several in one read.
 *
 * A cs_hasher owns one EVP_MD_CTX per selected algorithm and one aligned
 * read buffer, reused for every file: no allocation in the hot path.
 */
#ifndef CUSTOS_DIGEST_H
#define CUSTOS_DIGEST_H

#include <stddef.h>
#include <stdint.h>

struct cs_err;

/* Algorithms, in the order their fields appear in a record. */
enum cs_digest {
	CS_D_SHA256 = 0,
	CS_D_SHA512,
	CS_D_SHA3_256,
	CS_D_BLAKE2B512,
	CS_D_COUNT
};

#define CS_DIGEST_MAXLEN	64
#define CS_DIGEST_DEFAULT	(1U << CS_D_SHA256)

struct cs_hasher;

/* The field name ("sha256", "sha512", "sha3-256", "blake2b512"). */
const char	*cs_digest_name(enum cs_digest);
size_t		 cs_digest_len(enum cs_digest);
/* Name to algorithm; -1 if unknown. */
int		 cs_digest_lookup(const char *, size_t);
/* Parse "sha256,sha512" into a bit mask (1 << enum cs_digest). */
int		 cs_digest_parse_list(const char *, unsigned *, struct cs_err *);
/* Format a mask as "sha256,sha512" (heap string). */
char		*cs_digest_list(unsigned);

struct cs_hasher *cs_hasher_new(unsigned, size_t);
void		 cs_hasher_free(struct cs_hasher *);
/* Start a new message for every selected algorithm. */
void		 cs_hasher_begin(struct cs_hasher *);
/* How many of a message's first bytes the hasher keeps (file magic). */
#define CS_HASHER_HEAD	4
/* Copy the current message's first bytes (up to CS_HASHER_HEAD) to OUT. */
size_t		 cs_hasher_head(const struct cs_hasher *, unsigned char *);
void		 cs_hasher_update(struct cs_hasher *, const void *, size_t);
/* The digests of what was hashed so far, without ending the message. */
void		 cs_hasher_peek(struct cs_hasher *,
		    unsigned char [][CS_DIGEST_MAXLEN]);
/* Finish: OUT[alg] receives each selected digest. */
void		 cs_hasher_end(struct cs_hasher *,
		    unsigned char [][CS_DIGEST_MAXLEN]);
/*
 * Hash up to LIMIT bytes (UINT64_MAX: to end of file) read from FD.
 * *NREAD receives the bytes hashed.  Returns 0, or -1 with errno set on
 * a read error.
 */
int		 cs_hasher_fd(struct cs_hasher *, int, uint64_t,
		    unsigned char [][CS_DIGEST_MAXLEN], uint64_t *);
/* Add up to LIMIT bytes read from FD to the current message. */
int		 cs_hasher_read(struct cs_hasher *, int, uint64_t,
		    uint64_t *);
/*
 * Add bytes OFF up to SIZE (the file's size as fstat gave it), at most
 * LIMIT of them, of regular file FD to the current message, mapping the
 * file in small windows instead of copying it (reading where it cannot
 * be mapped).  The file offset is not used.  *NREAD receives the bytes
 * hashed.  Returns 0, or -1 with errno set on a read error; EIO also when
 * the file shrank under the mapping.  After -1 the message is void.
 */
int		 cs_hasher_map(struct cs_hasher *, int, uint64_t, uint64_t,
		    uint64_t, uint64_t *);
/* The hasher's read buffer, for callers that read and hash themselves. */
void		*cs_hasher_buf(struct cs_hasher *, size_t *);

/* Lowercase hex of N bytes into OUT (2N+1 bytes). */
void		 cs_hex(const unsigned char *, size_t, char *);
/* Parse exactly 2N lowercase hex digits; -1 if malformed. */
int		 cs_unhex(const char *, size_t, unsigned char *, size_t);

#endif /* CUSTOS_DIGEST_H */
