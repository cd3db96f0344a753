/*
 * keyfile.c: key generation, key files on disk, and passphrases.
 *
 * cs_keygen writes PREFIX.key (PKCS#8 PEM, mode 0600) and PREFIX.pub
 * (SubjectPublicKeyInfo PEM, mode 0644).  Neither may exist beforehand:
 * both names are checked before either is created, each is created with
 * O_EXCL, and if anything fails after the first was created it is removed
 * again, so either both files appear or neither does.  An encrypted key
 * uses PBES2 with scrypt and AES-256-CBC, which stock "openssl pkey"
 * reads.
 *
 * Passphrases live in heap buffers of fixed size that are wiped before
 * they are freed.  While one is typed, terminal echo is off; it is turned
 * back on on every path, also when a signal ends the program.
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

/* Longest passphrase: what "openssl -passin file:" reads (1024 - 1). */
#define KEYFILE_PASS_MAX	1023

/* Signals that must not leave the terminal without echo. */
static const int keyfile_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };

/* Terminal state to restore from a signal handler while prompting. */
static volatile sig_atomic_t	 keyfile_tty = -1;
static struct termios		 keyfile_tio;
static struct sigaction		 keyfile_oldsa[CS_NELEM(keyfile_signals)];
static int			 keyfile_caught[CS_NELEM(keyfile_signals)];

void
cs_passphrase_free(char *pass)
{
	if (pass == NULL)
		return;
	OPENSSL_cleanse(pass, strlen(pass));
	free(pass);
}

/* Wipe and free a KEYFILE_PASS_MAX + 2 byte passphrase buffer. */
static void
keyfile_wipe(char *buf)
{
	if (buf == NULL)
		return;
	OPENSSL_cleanse(buf, KEYFILE_PASS_MAX + 2);
	free(buf);
}

/*
 * Check the passphrase in BUF (LEN bytes, from SOURCE) and hand a copy to
 * *OUT.
 */
static int
keyfile_pass_take(const char *buf, size_t len, const char *source,
    char **out, struct cs_err *err)
{
	if (len == 0)
		return cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "empty passphrase from %s", source);
	if (len > KEYFILE_PASS_MAX)
		return cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "passphrase from %s is longer than %d bytes", source,
		    KEYFILE_PASS_MAX);
	if (memchr(buf, '\0', len) != NULL)
		return cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "passphrase from %s holds a NUL byte", source);
	*out = cs_xmemdup(buf, len);
	return 0;
}

/* The passphrase is the first line of PATH, without its newline. */
static int
keyfile_pass_file(const char *path, char **out, struct cs_err *err)
{
	char	*buf, *nl, *shown, *source;
	ssize_t	 n;
	size_t	 used = 0;
	int	 fd, rc = -1;

	shown = cs_encode_dup(path);
	source = cs_xasprintf("'%s'", shown);
	buf = cs_xmalloc(KEYFILE_PASS_MAX + 2);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		cs_err_set(err, CS_EXIT_NOINPUT, errno,
		    "cannot open passphrase file '%s'", shown);
		goto out;
	}
	/* Read until a newline or one byte more than the longest line. */
	while (used < KEYFILE_PASS_MAX + 1 &&
	    memchr(buf, '\n', used) == NULL) {
		n = read(fd, buf + used, KEYFILE_PASS_MAX + 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cs_err_set(err, CS_EXIT_NOINPUT, errno,
			    "cannot read passphrase file '%s'", shown);
			goto out;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	if ((nl = memchr(buf, '\n', used)) != NULL)
		used = (size_t)(nl - buf);
	rc = keyfile_pass_take(buf, used, source, out, err);
out:
	if (fd >= 0)
		close(fd);
	keyfile_wipe(buf);
	free(source);
	free(shown);
	return rc;
}

/* On a fatal signal while echo is off: restore the terminal, re-raise. */
static void
keyfile_signal(int sig)
{
	size_t	 i;

	if (keyfile_tty >= 0)
		(void)tcsetattr(keyfile_tty, TCSAFLUSH, &keyfile_tio);
	for (i = 0; i < CS_NELEM(keyfile_signals); i++) {
		if (keyfile_signals[i] == sig && keyfile_caught[i])
			(void)sigaction(sig, &keyfile_oldsa[i], NULL);
	}
	(void)raise(sig);
}

/* Catch the fatal signals that are not ignored (or put them back). */
static void
keyfile_catch(int on)
{
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = keyfile_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < CS_NELEM(keyfile_signals); i++) {
		if (!on) {
			if (keyfile_caught[i])
				(void)sigaction(keyfile_signals[i],
				    &keyfile_oldsa[i], NULL);
			keyfile_caught[i] = 0;
			continue;
		}
		if (sigaction(keyfile_signals[i], NULL,
		    &keyfile_oldsa[i]) != 0 ||
		    keyfile_oldsa[i].sa_handler == SIG_IGN)
			continue;
		if (sigaction(keyfile_signals[i], &sa, NULL) == 0)
			keyfile_caught[i] = 1;
	}
}

/*
 * Show PROMPT on the terminal FD and read one line with echo already off.
 * The line goes into BUF (KEYFILE_PASS_MAX + 2 bytes); *LEN is its length,
 * or KEYFILE_PASS_MAX + 1 if it was longer (the rest is read and dropped).
 */
static int
keyfile_tty_line(int fd, const char *prompt, char *buf, size_t *len,
    struct cs_err *err)
{
	ssize_t	 n = -1;
	size_t	 used = 0;
	char	 c = '\0';
	int	 rc = -1;

	if (cs_write_all(fd, prompt, strlen(prompt)) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot write to the terminal");
		goto out;
	}
	for (;;) {
		n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cs_err_set(err, CS_EXIT_IOERR, errno,
			    "cannot read from the terminal");
			goto out;
		}
		if (n == 0 || c == '\n')
			break;
		if (used <= KEYFILE_PASS_MAX)
			buf[used++] = c;
	}
	/* Without ECHONL support the newline was not shown: end the line. */
	if (n == 0)
		(void)cs_write_all(fd, "\n", 1);
	*len = used;
	rc = 0;
out:
	OPENSSL_cleanse(&c, sizeof c);
	return rc;
}

/* Read a passphrase (twice if CONFIRM) from the terminal FD into *OUT. */
static int
keyfile_tty_read(int fd, const char *prompt, int confirm, char **out,
    struct cs_err *err)
{
	char	*one, *two;
	size_t	 len1 = 0, len2 = 0;
	int	 rc = -1;

	one = cs_xmalloc(KEYFILE_PASS_MAX + 2);
	two = cs_xmalloc(KEYFILE_PASS_MAX + 2);
	if (keyfile_tty_line(fd, prompt, one, &len1, err) != 0)
		goto out;
	if (confirm) {
		if (keyfile_tty_line(fd, "repeat the passphrase: ", two,
		    &len2, err) != 0)
			goto out;
		if (len1 != len2 || CRYPTO_memcmp(one, two, len1) != 0) {
			cs_err_set(err, CS_EXIT_DATAERR, 0,
			    "the passphrases do not match");
			goto out;
		}
	}
	rc = keyfile_pass_take(one, len1, "the terminal", out, err);
out:
	keyfile_wipe(one);
	keyfile_wipe(two);
	return rc;
}

/* Ask on /dev/tty with echo off; echo comes back on every path. */
static int
keyfile_pass_tty(const char *prompt, int confirm, char **out,
    struct cs_err *err)
{
	struct termios	 tio;
	int		 fd, rc = -1;

	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || tcgetattr(fd, &keyfile_tio) != 0) {
		cs_err_set(err, CS_EXIT_USAGE, 0, "no terminal to ask for a "
		    "passphrase on; use --passphrase-file");
		goto out;
	}
	tio = keyfile_tio;
	tio.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
	tio.c_lflag |= (tcflag_t)ECHONL;
	keyfile_tty = fd;
	keyfile_catch(1);
	if (tcsetattr(fd, TCSAFLUSH, &tio) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot turn off echo on the terminal");
		goto out;
	}
	rc = keyfile_tty_read(fd, prompt, confirm, out, err);
out:
	if (keyfile_tty >= 0) {
		(void)tcsetattr(fd, TCSAFLUSH, &keyfile_tio);
		keyfile_catch(0);
		keyfile_tty = -1;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

int
cs_passphrase_get(const char *passfile, const char *prompt, int confirm,
    char **out, struct cs_err *err)
{
	*out = NULL;
	if (passfile != NULL)
		return keyfile_pass_file(passfile, out, err);
	return keyfile_pass_tty(prompt, confirm, out, err);
}

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
