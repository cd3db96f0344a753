/*
 * keyfile.c: key generation and key files on disk.
 *
 * cs_keygen writes PREFIX.key (PKCS#8 PEM, mode 0600) and PREFIX.pub
 * (SubjectPublicKeyInfo PEM, mode 0644).  Neither may exist beforehand:
 * both names are checked before either is created, each is created with
 * O_EXCL, and if anything fails after the first was created it is removed
 * again, so either both files appear or neither does.  An encrypted key
 * uses PBES2 with scrypt and AES-256-CBC, which stock "openssl pkey"
 * reads.  Passphrases come from passphrase.c.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "custos/atomic.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/sign.h"
#include "custos/xmalloc.h"

/*
 * scrypt cost.  OpenSSL refuses to derive a key with more than 32 MiB of
 * scrypt memory (128 * r * N bytes) unless told otherwise, and "openssl
 * pkey" cannot be told, so N = 2^15 with r = 8 would make keys that stock
 * tools cannot open.  N = 2^14, r = 8 uses 16 MiB; p = 2 doubles the work
 * to that of N = 2^15.
 */
#define KEYFILE_SCRYPT_N	16384
#define KEYFILE_SCRYPT_R	8
#define KEYFILE_SCRYPT_P	2
#define KEYFILE_SALT_LEN	16

/* PREFIX + SUFFIX as a heap string. */
static char *
keyfile_name(const char *prefix, const char *suffix)
{
	return cs_xasprintf("%s%s", prefix, suffix);
}

int
cs_keygen_check(const char *prefix, struct cs_err *err)
{
	struct stat	 st;
	char		*path = NULL, *shown = NULL;
	size_t		 len = strlen(prefix);
	int		 i, rc = -1;

	if (len == 0) {
		cs_err_set(err, CS_EXIT_USAGE, 0, "empty output prefix");
		goto out;
	}
	if (prefix[len - 1] == '/') {
		shown = cs_encode_dup(prefix);
		cs_err_set(err, CS_EXIT_USAGE, 0, "output prefix '%s' does "
		    "not end in a file name", shown);
		goto out;
	}
	for (i = 0; i < 2; i++) {
		free(path);
		free(shown);
		path = keyfile_name(prefix, i == 0 ? ".key" : ".pub");
		shown = cs_encode_dup(path);
		if (lstat(path, &st) == 0) {
			cs_err_set(err, CS_EXIT_CANTCREAT, 0,
			    "'%s' already exists; not replaced", shown);
			goto out;
		}
		if (errno != ENOENT) {
			cs_err_set(err, CS_EXIT_CANTCREAT, errno,
			    "cannot create '%s'", shown);
			goto out;
		}
	}
	rc = 0;
out:
	free(path);
	free(shown);
	return rc;
}

/* Remove a key file that this run created. */
static void
keyfile_unlink(const char *path)
{
	unlink(path);
	cs_cleanup_remove(path);
}

/*
 * Create PATH (it must not exist) with exactly MODE and write the contents
 * of memory BIO DATA to it, durably.  On failure nothing is left behind.
 */
static int
keyfile_write(const char *path, mode_t mode, BIO *data, struct cs_err *err)
{
	char	*shown, *p = NULL;
	long	 n = 0;
	int	 fd, created = 0, rc = -1;

	shown = cs_encode_dup(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC |
	    O_NOCTTY, mode);
	if (fd < 0) {
		cs_err_set(err, CS_EXIT_CANTCREAT, errno == EEXIST ? 0 : errno,
		    errno == EEXIST ? "'%s' already exists; not replaced" :
		    "cannot create '%s'", shown);
		goto out;
	}
	created = 1;
	cs_cleanup_add(path);
	n = BIO_get_mem_data(data, &p);
	if (n <= 0 || fchmod(fd, mode) != 0 ||
	    cs_write_all(fd, p, (size_t)n) != 0 || fsync(fd) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, n <= 0 ? 0 : errno,
		    "cannot write '%s'", shown);
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot write '%s'",
		    shown);
		goto out;
	}
	fd = -1;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0 && created)
		keyfile_unlink(path);
	free(shown);
	return rc;
}

/* fsync the directory that holds PATH, so that new names are durable. */
static int
keyfile_sync_dir(const char *path, struct cs_err *err)
{
	char	*copy, *shown = NULL;
	int	 dfd, rc = -1;

	copy = cs_xstrdup(path);
	dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || (fsync(dfd) != 0 && errno != EINVAL)) {
		shown = cs_encode_dup(path);
		cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot sync the directory of '%s'", shown);
		goto out;
	}
	rc = 0;
out:
	if (dfd >= 0)
		close(dfd);
	free(copy);
	free(shown);
	return rc;
}

/* PKEY's private key encrypted under PASS: PBES2, scrypt, AES-256-CBC. */
static X509_SIG *
keyfile_encrypt(EVP_PKEY *pkey, const char *pass)
{
	PKCS8_PRIV_KEY_INFO	*p8inf = NULL;
	X509_ALGOR		*pbe = NULL;
	X509_SIG		*p8 = NULL;
	unsigned char		 salt[KEYFILE_SALT_LEN];
	size_t			 len = strlen(pass);

	if (len > INT_MAX || (p8inf = EVP_PKEY2PKCS8(pkey)) == NULL ||
	    RAND_bytes(salt, sizeof salt) != 1)
		goto out;
	/* A NULL IV asks for a random one. */
	pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt, (int)sizeof salt,
	    NULL, KEYFILE_SCRYPT_N, KEYFILE_SCRYPT_R, KEYFILE_SCRYPT_P);
	if (pbe == NULL)
		goto out;
	/* On success the X509_SIG owns PBE. */
	if ((p8 = PKCS8_set0_pbe(pass, (int)len, p8inf, pbe)) != NULL)
		pbe = NULL;
out:
	X509_ALGOR_free(pbe);
	PKCS8_PRIV_KEY_INFO_free(p8inf);
	return p8;
}

/*
 * PKEY's private key as PKCS#8 PEM into memory BIO OUT: encrypted under
 * PASS, or plain when PASS is NULL.
 */
static int
keyfile_pem_private(EVP_PKEY *pkey, const char *pass, BIO *out,
    struct cs_err *err)
{
	X509_SIG	*p8 = NULL;
	int		 rc = -1;

	if (pass == NULL) {
		if (PEM_write_bio_PKCS8PrivateKey(out, pkey, NULL, NULL, 0,
		    NULL, NULL) == 1)
			rc = 0;
	} else if ((p8 = keyfile_encrypt(pkey, pass)) != NULL &&
	    PEM_write_bio_PKCS8(out, p8) == 1)
		rc = 0;
	if (rc != 0)
		cs_err_ssl(err, CS_EXIT_SOFTWARE,
		    "cannot encode the private key");
	X509_SIG_free(p8);
	return rc;
}

/* Wipe what a memory BIO holds, then free it. */
static void
keyfile_bio_free(BIO *bio)
{
	char	*p = NULL;
	long	 n;

	if (bio == NULL)
		return;
	n = BIO_get_mem_data(bio, &p);
	if (n > 0 && p != NULL)
		OPENSSL_cleanse(p, (size_t)n);
	BIO_free(bio);
}

struct cs_key *
cs_keygen(const char *prefix, const char *pass, struct cs_err *err)
{
	struct cs_key	*key = NULL;
	EVP_PKEY	*pkey = NULL;
	BIO		*priv = NULL, *pub = NULL;
	char		*keypath, *pubpath;
	int		 made_key = 0, made_pub = 0;

	keypath = keyfile_name(prefix, ".key");
	pubpath = keyfile_name(prefix, ".pub");
	if (cs_keygen_check(prefix, err) != 0)
		goto out;
	if ((pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) == NULL) {
		cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot generate a key");
		goto out;
	}
	if ((priv = BIO_new(BIO_s_mem())) == NULL ||
	    (pub = BIO_new(BIO_s_mem())) == NULL) {
		cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot make a memory BIO");
		goto out;
	}
	if (keyfile_pem_private(pkey, pass, priv, err) != 0)
		goto out;
	if (PEM_write_bio_PUBKEY(pub, pkey) != 1) {
		cs_err_ssl(err, CS_EXIT_SOFTWARE,
		    "cannot encode the public key");
		goto out;
	}
	if (keyfile_write(keypath, 0600, priv, err) != 0)
		goto out;
	made_key = 1;
	if (keyfile_write(pubpath, 0644, pub, err) != 0)
		goto out;
	made_pub = 1;
	if (keyfile_sync_dir(keypath, err) != 0)
		goto out;
	key = cs_key_new(pkey, err);
	pkey = NULL;
out:
	if (key == NULL && made_pub)
		keyfile_unlink(pubpath);
	if (key == NULL && made_key)
		keyfile_unlink(keypath);
	if (key != NULL) {
		cs_cleanup_remove(pubpath);
		cs_cleanup_remove(keypath);
	}
	keyfile_bio_free(priv);
	keyfile_bio_free(pub);
	EVP_PKEY_free(pkey);
	free(pubpath);
	free(keypath);
	return key;
}
