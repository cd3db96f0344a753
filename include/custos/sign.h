/*
 * sign.h: Ed25519 keys, signatures and fingerprints (OpenSSL EVP).
 *
 * The fingerprint of a key is the SHA-256 of its public key in DER
 * SubjectPublicKeyInfo form, so anyone can recompute it with
 *   openssl pkey -pubin -in KEY.pub -outform DER | sha256sum
 * It is written as 64 lowercase hex digits.  The key id is its first 16 hex
 * digits.  Signatures are 64 raw bytes (pure Ed25519, no prehash), so
 * "openssl pkeyutl -verify -rawin" checks them.
 */
#ifndef CUSTOS_SIGN_H
#define CUSTOS_SIGN_H

#include <stddef.h>

struct cs_err;
struct cs_key;
struct evp_pkey_st;		/* OpenSSL's EVP_PKEY */

#define CS_SIG_LEN		64
#define CS_FP_LEN		32
#define CS_FP_HEXLEN		64
#define CS_KEYID_HEXLEN		16

/*
 * Load a PKCS#8 PEM private key.  If it is encrypted, the passphrase is
 * read from PASSFILE (first line) or, when PASSFILE is NULL, prompted for
 * on the terminal.  Wrong passphrase: CS_EXIT_NOPERM; not an Ed25519 key
 * or not a key at all: CS_EXIT_DATAERR; unreadable: CS_EXIT_NOINPUT.
 */
struct cs_key	*cs_key_load_private(const char *, const char *,
		    struct cs_err *);
/* Load a PEM public key (or derive it from a private key file). */
struct cs_key	*cs_key_load_public(const char *, struct cs_err *);
void		 cs_key_free(struct cs_key *);
/*
 * Wrap an EVP_PKEY, which must be Ed25519; the key takes it over, and
 * frees it on error too.  Private if the EVP_PKEY holds a private key.
 */
struct cs_key	*cs_key_new(struct evp_pkey_st *, struct cs_err *);
/* A public key from its DER SubjectPublicKeyInfo (must be Ed25519). */
struct cs_key	*cs_key_from_spki(const unsigned char *, size_t,
		    struct cs_err *);
/* The DER SubjectPublicKeyInfo of KEY into OUT (at most MAX bytes). */
int		 cs_key_spki(const struct cs_key *, unsigned char *, size_t,
		    size_t *);
/* 64 hex digits, borrowed from the key. */
const char	*cs_key_fingerprint(const struct cs_key *);
/* 16 hex digits, borrowed from the key. */
const char	*cs_key_id(const struct cs_key *);
int		 cs_key_can_sign(const struct cs_key *);
int		 cs_key_sign(const struct cs_key *, const void *, size_t,
		    unsigned char [CS_SIG_LEN], struct cs_err *);
/* 0 if SIG is a valid signature of the message by KEY, -1 otherwise. */
int		 cs_key_verify(const struct cs_key *, const void *, size_t,
		    const unsigned char [CS_SIG_LEN]);
/*
 * Normalise a fingerprint as a user typed it (hex, any case, with or
 * without ':' ' ' or '-' separators, optional "SHA256:" prefix) into 64
 * lowercase hex digits in OUT (65 bytes).  -1 if it is not one.
 */
int		 cs_fingerprint_parse(const char *, char *);
/* Heap string: 64 hex digits shown in groups of four, for paper. */
char		*cs_fingerprint_pretty(const char *);
/*
 * Write PREFIX.key (mode 0600, encrypted with PASSPHRASE unless it is
 * NULL) and PREFIX.pub; refuses to replace either.  Returns the new key.
 */
struct cs_key	*cs_keygen(const char *, const char *, struct cs_err *);
/*
 * Check that PREFIX.key and PREFIX.pub can be created (neither exists),
 * so that a command can stop before asking for a passphrase.
 */
int		 cs_keygen_check(const char *, struct cs_err *);
/*
 * Get a passphrase from PASSFILE (its first line) or, if NULL, from the
 * terminal with echo off, asking twice when CONFIRM.  Free the result with
 * cs_passphrase_free, which wipes it.
 */
int		 cs_passphrase_get(const char *, const char *, int, char **,
		    struct cs_err *);
void		 cs_passphrase_free(char *);

/* Base64 (standard alphabet, padded) of N bytes: heap string. */
char		*cs_base64(const unsigned char *, size_t);
/* Decode standard padded base64 into OUT (at most MAX bytes); -1 if bad. */
int		 cs_unbase64(const char *, size_t, unsigned char *, size_t,
		    size_t *);

#endif /* CUSTOS_SIGN_H */
