/*
 * passphrase.c: passphrases, from a file or typed at the terminal
 * (cs_passphrase_get, sign.h).
 *
 * Passphrases live in heap buffers of fixed size that are wiped before
 * they are freed.  While one is typed, terminal echo is off; it is turned
 * back on on every path, also when a signal ends the program.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "custos/atomic.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/sign.h"
#include "custos/xmalloc.h"

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
