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

/* Add N zero bytes to the current message, without reading them. */
void		 cs_hasher_zeros(struct cs_hasher *, uint64_t);

/*
 * The zero-run digest, sha256z (doc/custos-baseline.5): the logical
 * content is cut into blocks of CS_ZBLOCK bytes (the last may be
 * shorter); a maximal run of blocks that are not all zeros is a data
 * run.  sha256z = SHA-256 of the size as 8 bytes big-endian, then for
 * each data run in order its offset and length (8 bytes big-endian
 * each) and the SHA-256 of its bytes.  Holes and written zeros give the
 * same value; only data runs need reading.
 */
#define CS_ZBLOCK	4096
#define CS_ZDIGEST_LEN	32
/*
 * Files from this logical size on whose holes are at least half of it
 * get a sha256z instead of their digests (cs_zdigest_wanted).
 */
#define CS_ZDIGEST_MIN	(4ULL << 30)

struct cs_zhasher;

/* Should a file of SIZE bytes, DATA of them in data extents, get one? */
int		 cs_zdigest_wanted(uint64_t, uint64_t);
/* NULL if the provider lacks SHA-256. */
struct cs_zhasher *cs_zhasher_new(void);
void		 cs_zhasher_free(struct cs_zhasher *);
/* Start the digest of content of SIZE bytes. */
void		 cs_zhasher_begin(struct cs_zhasher *, uint64_t);
/*
 * Add N bytes found at offset OFF: offsets only grow, and bytes never
 * added are zeros.  -1 if OFF is before the end of the bytes added last
 * or the bytes end beyond the size.
 */
int		 cs_zhasher_update(struct cs_zhasher *, uint64_t,
		    const void *, size_t);
/* Finish into OUT (CS_ZDIGEST_LEN bytes). */
void		 cs_zhasher_end(struct cs_zhasher *, unsigned char *);

/* Lowercase hex of N bytes into OUT (2N+1 bytes). */
void		 cs_hex(const unsigned char *, size_t, char *);
/* Parse exactly 2N lowercase hex digits; -1 if malformed. */
int		 cs_unhex(const char *, size_t, unsigned char *, size_t);

#endif /* CUSTOS_DIGEST_H */
