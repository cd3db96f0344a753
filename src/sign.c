/*
 * sign.c: Ed25519 keys, signatures, fingerprints and base64.
 *
 * A struct cs_key always holds an Ed25519 EVP_PKEY, with its fingerprint
 * and key id computed once, when the key is made.  A key returned by
 * cs_key_load_public or cs_key_from_spki never holds private material,
 * even when it was derived from a private key file.
 *
 * Key files are read whole into one buffer of fixed capacity (no realloc
 * leaves copies of a secret behind), and that buffer is wiped before it is
 * freed, on every path.  OpenSSL is always given a passphrase callback, so
 * it never prompts on its own; the callback asks only when the key really
 * is encrypted.
 */
#include "custos/custos.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/sign.h"
#include "custos/xmalloc.h"

/* A key file larger than this is not a key (RSA-16384 in PEM is 13 KB). */
#define SIGN_FILE_MAX	((size_t)64 * 1024)

struct cs_key {
	EVP_PKEY	*pkey;
	int		 priv;			/* holds the private key */
	char		 fp[CS_FP_HEXLEN + 1];
	char		 id[CS_KEYID_HEXLEN + 1];
};

/* The state of the PEM passphrase callback for one key file. */
struct sign_pw {
	const char	*passfile;	/* NULL: ask on the terminal */
	const char	*shown;		/* the key file, escaped */
	char		*pass;		/* the passphrase, wiped at the end */
	int		 asked;		/* the key is encrypted */
	int		 failed;	/* no passphrase; ERR holds why */
	struct cs_err	*err;
};

static const char sign_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The name of a key's type for messages: "RSA", "EC", "ED448"... */
static const char *
sign_type_name(const EVP_PKEY *pkey)
{
	const char	*name;

	name = EVP_PKEY_get0_type_name(pkey);
	return name != NULL ? name : "unknown";
}

/* Refuse a key that is not Ed25519, naming the file and what it holds. */
static int
sign_check_type(const EVP_PKEY *pkey, const char *shown, struct cs_err *err)
{
	if (EVP_PKEY_is_a(pkey, "ED25519"))
		return 0;
	return cs_err_set(err, CS_EXIT_DATAERR, 0,
	    "'%s' is not an Ed25519 key (key type %s)", shown,
	    sign_type_name(pkey));
}

/* Nonzero if PKEY holds a private key. */
static int
sign_has_private(const EVP_PKEY *pkey)
{
	size_t	 len = 0;
	int	 rc;

	rc = EVP_PKEY_get_raw_private_key(pkey, NULL, &len) == 1 && len > 0;
	ERR_clear_error();
	return rc;
}

/* Wipe and free a buffer from sign_read. */
static void
sign_wipe(char *buf)
{
	if (buf == NULL)
		return;
	OPENSSL_cleanse(buf, SIGN_FILE_MAX + 2);
	free(buf);
}

/*
 * Read the whole of the small file PATH into *OUT (NUL-terminated; free
 * it with sign_wipe) and its length into *LEN.
 */
static int
sign_read(const char *path, const char *shown, char **out, size_t *len,
    struct cs_err *err)
{
	char	*buf;
	ssize_t	 n;
	size_t	 used = 0;
	int	 fd, rc = -1;

	buf = cs_xmalloc(SIGN_FILE_MAX + 2);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open '%s'",
		    shown);
		goto out;
	}
	for (;;) {
		n = read(fd, buf + used, SIGN_FILE_MAX + 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cs_err_set(err, CS_EXIT_NOINPUT, errno,
			    "cannot read '%s'", shown);
			goto out;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > SIGN_FILE_MAX) {
			cs_err_set(err, CS_EXIT_DATAERR, 0,
			    "'%s' is too large to be a key file", shown);
			goto out;
		}
	}
	buf[used] = '\0';
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc == 0) {
		*out = buf;
		*len = used;
	} else
		sign_wipe(buf);
	return rc;
}

/* A read-only memory BIO over a buffer from sign_read. */
static BIO *
sign_bio(const char *buf, size_t len, struct cs_err *err)
{
	BIO	*bio;

	bio = BIO_new_mem_buf(buf, (int)len);
	if (bio == NULL)
		cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot make a memory BIO");
	return bio;
}

/* Get the passphrase of PW's key from its file or the terminal. */
static int
sign_pw_get(struct sign_pw *pw)
{
	char	*prompt;
	int	 rc;

	prompt = cs_xasprintf("passphrase for '%s': ", pw->shown);
	rc = cs_passphrase_get(pw->passfile, prompt, 0, &pw->pass, pw->err);
	free(prompt);
	return rc;
}

/*
 * PEM passphrase callback: called by OpenSSL only for an encrypted key.
 * Gets the passphrase once and keeps it, in case OpenSSL asks again.
 */
static int
sign_pw_cb(char *buf, int size, int rwflag, void *arg)
{
	struct sign_pw	*pw = arg;
	size_t		 len;
	int		 rc = -1;

	(void)rwflag;
	pw->asked = 1;
	if (pw->pass == NULL && sign_pw_get(pw) != 0)
		goto out;
	len = strlen(pw->pass);
	if (size < 0 || len > (size_t)size) {
		cs_err_set(pw->err, CS_EXIT_DATAERR, 0,
		    "the passphrase for '%s' is too long", pw->shown);
		goto out;
	}
	memcpy(buf, pw->pass, len);
	rc = (int)len;
out:
	if (rc < 0)
		pw->failed = 1;
	return rc;
}

/* PEM passphrase callback that refuses: notes that one was needed. */
static int
sign_nopw_cb(char *buf, int size, int rwflag, void *arg)
{
	int	*asked = arg;

	(void)rwflag;
	if (size > 0)
		buf[0] = '\0';
	if (asked != NULL)
		*asked = 1;
	return -1;
}

/* Explain why the private key in BUF (file SHOWN) could not be loaded. */
static void
sign_private_error(const struct sign_pw *pw, const char *buf,
    const char *shown, struct cs_err *err)
{
	ERR_clear_error();
	if (pw->failed)
		return;
	if (pw->asked)
		cs_err_set(err, CS_EXIT_NOPERM, 0,
		    "cannot decrypt '%s': wrong passphrase", shown);
	else if (strstr(buf, "-----BEGIN PUBLIC KEY-----") != NULL)
		cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "'%s' is a public key, not a private key", shown);
	else
		cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "'%s' is not a PEM private key", shown);
}

struct cs_key *
cs_key_new(EVP_PKEY *pkey, struct cs_err *err)
{
	struct cs_key	*key = NULL;
	unsigned char	*der = NULL;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;
	int		 n;

	if (!EVP_PKEY_is_a(pkey, "ED25519")) {
		cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "not an Ed25519 key (key type %s)", sign_type_name(pkey));
		goto out;
	}
	n = i2d_PUBKEY(pkey, &der);
	if (n <= 0 || EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha256(),
	    NULL) != 1 || mdlen != CS_FP_LEN) {
		cs_err_ssl(err, CS_EXIT_SOFTWARE,
		    "cannot compute the fingerprint of a key");
		goto out;
	}
	key = cs_xcalloc(1, sizeof *key);
	key->pkey = pkey;
	pkey = NULL;
	key->priv = sign_has_private(key->pkey);
	cs_hex(md, CS_FP_LEN, key->fp);
	memcpy(key->id, key->fp, CS_KEYID_HEXLEN);
	key->id[CS_KEYID_HEXLEN] = '\0';
out:
	OPENSSL_free(der);
	EVP_PKEY_free(pkey);
	return key;
}

void
cs_key_free(struct cs_key *key)
{
	if (key == NULL)
		return;
	EVP_PKEY_free(key->pkey);
	OPENSSL_cleanse(key, sizeof *key);
	free(key);
}

struct cs_key *
cs_key_load_private(const char *path, const char *passfile,
    struct cs_err *err)
{
	struct sign_pw	 pw;
	struct cs_key	*key = NULL;
	EVP_PKEY	*pkey = NULL;
	BIO		*bio = NULL;
	char		*buf = NULL, *shown;
	size_t		 len;

	shown = cs_encode_dup(path);
	memset(&pw, 0, sizeof pw);
	pw.passfile = passfile;
	pw.shown = shown;
	pw.err = err;
	if (sign_read(path, shown, &buf, &len, err) != 0 ||
	    (bio = sign_bio(buf, len, err)) == NULL)
		goto out;
	pkey = PEM_read_bio_PrivateKey(bio, NULL, sign_pw_cb, &pw);
	if (pkey == NULL) {
		sign_private_error(&pw, buf, shown, err);
		goto out;
	}
	if (sign_check_type(pkey, shown, err) != 0)
		goto out;
	if (!sign_has_private(pkey)) {
		cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "'%s' holds no private key", shown);
		goto out;
	}
	key = cs_key_new(pkey, err);
	pkey = NULL;
out:
	EVP_PKEY_free(pkey);
	BIO_free(bio);
	sign_wipe(buf);
	cs_passphrase_free(pw.pass);
	free(shown);
	return key;
}

/* The public half of PKEY as a new public-only EVP_PKEY, or NULL. */
static EVP_PKEY *
sign_public_of(const EVP_PKEY *pkey)
{
	const unsigned char	*p;
	unsigned char		*der = NULL;
	EVP_PKEY		*pub = NULL;
	int			 n;

	n = i2d_PUBKEY(pkey, &der);
	if (n > 0) {
		p = der;
		pub = d2i_PUBKEY(NULL, &p, n);
	}
	OPENSSL_free(der);
	return pub;
}

/*
 * Load the private key in BUF (file SHOWN) without a passphrase and
 * return its public half.  An encrypted key is refused: no prompting
 * just to read a public key.
 */
static EVP_PKEY *
sign_public_from_private(const char *buf, size_t len, const char *shown,
    struct cs_err *err)
{
	EVP_PKEY	*priv = NULL, *pub = NULL;
	BIO		*bio;
	int		 asked = 0;

	if ((bio = sign_bio(buf, len, err)) == NULL)
		goto out;
	priv = PEM_read_bio_PrivateKey(bio, NULL, sign_nopw_cb, &asked);
	if (priv == NULL) {
		ERR_clear_error();
		if (asked)
			cs_err_set(err, CS_EXIT_DATAERR, 0,
			    "'%s' is an encrypted private key; give the "
			    "public key file instead", shown);
		else
			cs_err_set(err, CS_EXIT_DATAERR, 0,
			    "'%s' is not a PEM key", shown);
		goto out;
	}
	if ((pub = sign_public_of(priv)) == NULL)
		cs_err_ssl(err, CS_EXIT_SOFTWARE,
		    "cannot derive the public key of '%s'", shown);
out:
	EVP_PKEY_free(priv);
	BIO_free(bio);
	return pub;
}

struct cs_key *
cs_key_load_public(const char *path, struct cs_err *err)
{
	struct cs_key	*key = NULL;
	EVP_PKEY	*pkey = NULL;
	BIO		*bio = NULL;
	char		*buf = NULL, *shown;
	size_t		 len;

	shown = cs_encode_dup(path);
	if (sign_read(path, shown, &buf, &len, err) != 0 ||
	    (bio = sign_bio(buf, len, err)) == NULL)
		goto out;
	pkey = PEM_read_bio_PUBKEY(bio, NULL, sign_nopw_cb, NULL);
	if (pkey == NULL) {
		ERR_clear_error();
		if (strstr(buf, "PRIVATE KEY-----") == NULL) {
			cs_err_set(err, CS_EXIT_DATAERR, 0,
			    "'%s' is not a PEM public key", shown);
			goto out;
		}
		pkey = sign_public_from_private(buf, len, shown, err);
		if (pkey == NULL)
			goto out;
	}
	if (sign_check_type(pkey, shown, err) != 0)
		goto out;
	key = cs_key_new(pkey, err);
	pkey = NULL;
out:
	EVP_PKEY_free(pkey);
	BIO_free(bio);
	sign_wipe(buf);
	free(shown);
	return key;
}

/* Only the canonical DER encoding is accepted: it must re-encode as is. */
struct cs_key *
cs_key_from_spki(const unsigned char *der, size_t n, struct cs_err *err)
{
	const unsigned char	*p = der;
	unsigned char		*again = NULL;
	EVP_PKEY		*pkey = NULL;
	struct cs_key		*key = NULL;
	int			 m;

	if (n == 0 || n > LONG_MAX ||
	    (pkey = d2i_PUBKEY(NULL, &p, (long)n)) == NULL ||
	    p != der + n || (m = i2d_PUBKEY(pkey, &again)) < 0 ||
	    (size_t)m != n || memcmp(again, der, n) != 0) {
		ERR_clear_error();
		cs_err_set(err, CS_EXIT_DATAERR, 0, "malformed public key");
		goto out;
	}
	if (!EVP_PKEY_is_a(pkey, "ED25519")) {
		cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "the public key is not an Ed25519 key (key type %s)",
		    sign_type_name(pkey));
		goto out;
	}
	key = cs_key_new(pkey, err);
	pkey = NULL;
out:
	OPENSSL_free(again);
	EVP_PKEY_free(pkey);
	return key;
}

int
cs_key_spki(const struct cs_key *key, unsigned char *out, size_t max,
    size_t *len)
{
	unsigned char	*p = out;
	int		 n;

	n = i2d_PUBKEY(key->pkey, NULL);
	if (n <= 0 || (size_t)n > max || i2d_PUBKEY(key->pkey, &p) != n) {
		ERR_clear_error();
		return -1;
	}
	*len = (size_t)n;
	return 0;
}

const char *
cs_key_fingerprint(const struct cs_key *key)
{
	return key->fp;
}

const char *
cs_key_id(const struct cs_key *key)
{
	return key->id;
}

int
cs_key_can_sign(const struct cs_key *key)
{
	return key->priv;
}

/* Pure Ed25519 (no digest, no context) over the whole message. */
int
cs_key_sign(const struct cs_key *key, const void *msg, size_t n,
    unsigned char sig[CS_SIG_LEN], struct cs_err *err)
{
	EVP_MD_CTX	*ctx = NULL;
	size_t		 siglen = CS_SIG_LEN;
	int		 rc = -1;

	if (!key->priv) {
		cs_err_set(err, CS_EXIT_SOFTWARE, 0,
		    "key %s is a public key: cannot sign", key->id);
		goto out;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL, key->pkey) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, msg != NULL ? msg : "", n) != 1 ||
	    siglen != CS_SIG_LEN) {
		cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot sign with key %s",
		    key->id);
		goto out;
	}
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
cs_key_verify(const struct cs_key *key, const void *msg, size_t n,
    const unsigned char sig[CS_SIG_LEN])
{
	EVP_MD_CTX	*ctx;
	int		 rc = -1;

	if ((ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key->pkey) == 1 &&
	    EVP_DigestVerify(ctx, sig, CS_SIG_LEN, msg != NULL ? msg : "",
	    n) == 1)
		rc = 0;
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	return rc;
}

/* Separators may appear anywhere; exactly 64 hex digits must remain. */
int
cs_fingerprint_parse(const char *s, char *out)
{
	size_t	 n = 0;
	char	 c;
	int	 rc = -1;

	if (strncasecmp(s, "SHA256:", 7) == 0)
		s += 7;
	for (; *s != '\0'; s++) {
		if (*s == ':' || *s == ' ' || *s == '-')
			continue;
		c = (char)tolower((unsigned char)*s);
		if (cs_hexval(c) < 0 || n == CS_FP_HEXLEN)
			goto out;
		out[n++] = c;
	}
	if (n == CS_FP_HEXLEN)
		rc = 0;
out:
	out[rc == 0 ? n : 0] = '\0';
	return rc;
}

char *
cs_fingerprint_pretty(const char *fp)
{
	struct cs_buf	 b;
	size_t		 i;

	cs_buf_init(&b);
	for (i = 0; fp[i] != '\0'; i++) {
		if (i > 0 && i % 4 == 0)
			cs_buf_addc(&b, ' ');
		cs_buf_addc(&b, fp[i]);
	}
	return cs_buf_detach(&b, NULL);
}

char *
cs_base64(const unsigned char *p, size_t n)
{
	char		*out, *o;
	uint32_t	 v;
	size_t		 i;

	out = o = cs_xreallocarray(NULL, n / 3 + 2, 4);
	for (i = 0; i + 3 <= n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = sign_b64[v >> 18];
		*o++ = sign_b64[(v >> 12) & 63];
		*o++ = sign_b64[(v >> 6) & 63];
		*o++ = sign_b64[v & 63];
	}
	if (n - i > 0) {
		v = (uint32_t)p[i] << 16;
		if (n - i == 2)
			v |= (uint32_t)p[i + 1] << 8;
		*o++ = sign_b64[v >> 18];
		*o++ = sign_b64[(v >> 12) & 63];
		if (n - i == 2)
			*o++ = sign_b64[(v >> 6) & 63];
		else
			*o++ = '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

/* Value of a base64 digit, or -1 (also for '='). */
static int
sign_b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Strict: the length is a multiple of 4, '=' appears only as the final
 * padding, and the bits that padding leaves unused are zero, so each byte
 * string has exactly one accepted encoding.
 */
int
cs_unbase64(const char *s, size_t n, unsigned char *out, size_t max,
    size_t *outlen)
{
	size_t		 i, j, len = 0, pad = 0;
	uint32_t	 w;
	int		 v[4], rc = -1;

	if (n % 4 != 0)
		goto out;
	if (n > 0 && s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	if (n / 4 * 3 - pad > max)
		goto out;
	for (i = 0; i < n; i += 4) {
		for (j = 0; j < 4; j++) {
			if (i + j >= n - pad)
				v[j] = 0;
			else if ((v[j] = sign_b64val(s[i + j])) < 0)
				goto out;
		}
		if ((pad == 2 && i + 4 == n && (v[1] & 0xf) != 0) ||
		    (pad == 1 && i + 4 == n && (v[2] & 0x3) != 0))
			goto out;
		w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
		    (uint32_t)v[2] << 6 | (uint32_t)v[3];
		out[len++] = (unsigned char)(w >> 16);
		if (i + 4 < n || pad < 2)
			out[len++] = (unsigned char)((w >> 8) & 0xff);
		if (i + 4 < n || pad < 1)
			out[len++] = (unsigned char)(w & 0xff);
	}
	if (outlen != NULL)
		*outlen = len;
	rc = 0;
out:
	return rc;
}
