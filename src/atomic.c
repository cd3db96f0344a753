/*
 * atomic.c: write outputs through a temporary file, then rename or link.
 *
 * Invariant: while an output is being written, its temporary name is on
 * the cleanup list, and the list is only changed with fatal signals
 * blocked, so the signal handler always sees a consistent list.  Without
 * --force the final step is link(2), which fails if the target appeared
 * in the meantime: an existing file is never replaced.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/atomic.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/xmalloc.h"

struct cleanup {
	char		*path;
	struct cleanup	*next;
};

static struct cleanup *volatile cleanup_list;
static const int cleanup_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM,
    SIGPIPE };

static void
cleanup_block(sigset_t *old)
{
	sigset_t	 set;
	size_t		 i;

	sigemptyset(&set);
	for (i = 0; i < CS_NELEM(cleanup_signals); i++)
		sigaddset(&set, cleanup_signals[i]);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

void
cs_cleanup_add(const char *path)
{
	struct cleanup	*c;
	sigset_t	 old;

	c = cs_xmalloc(sizeof *c);
	c->path = cs_xstrdup(path);
	cleanup_block(&old);
	c->next = cleanup_list;
	cleanup_list = c;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void
cs_cleanup_remove(const char *path)
{
	struct cleanup	*c, *prev = NULL, *found = NULL;
	sigset_t	 old;

	cleanup_block(&old);
	for (c = cleanup_list; c != NULL; prev = c, c = c->next) {
		if (strcmp(c->path, path) == 0) {
			if (prev == NULL)
				cleanup_list = c->next;
			else
				prev->next = c->next;
			found = c;
			break;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (found != NULL) {
		free(found->path);
		free(found);
	}
}

/* Remove every registered file; async-signal-safe (unlink only). */
static void
cleanup_run(void)
{
	struct cleanup	*c;

	for (c = cleanup_list; c != NULL; c = c->next)
		unlink(c->path);
}

static void
cleanup_signal(int sig)
{
	cleanup_run();
	(void)signal(sig, SIG_DFL);
	(void)raise(sig);
}

void
cs_atomic_setup(void)
{
	struct sigaction	 sa;
	size_t			 i;

	(void)atexit(cleanup_run);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cleanup_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < CS_NELEM(cleanup_signals); i++)
		sigaction(cleanup_signals[i], &sa, NULL);
}

char *
cs_read_bounded(int fd, size_t max, size_t hint, size_t *lenp)
{
	char	*buf;
	size_t	 got = 0, cap;
	ssize_t	 r;

	cap = hint > 0 && hint < max ? hint + 1 : 4096;
	buf = cs_xmalloc(cap + 1);
	for (;;) {
		if (got == cap) {
			if (cap >= max)
				break;
			cap = cap > max / 2 ? max : cap * 2;
			buf = cs_xrealloc(buf, cap + 1);
		}
		r = read(fd, buf + got, cap - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	*lenp = got;
	return buf;
}

int
cs_write_all(int fd, const void *p, size_t n)
{
	const char	*c = p;
	ssize_t		 w;

	while (n > 0) {
		w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Heap copy of the directory part of PATH ("." if none). */
static char *
atomic_dirname(const char *path)
{
	char	*copy, *dir;

	copy = cs_xstrdup(path);
	dir = cs_xstrdup(dirname(copy));
	free(copy);
	return dir;
}

int
cs_atomic_check(const char *path, int force, struct cs_err *err)
{
	struct stat	 st;
	char		*shown, *dir;
	int		 rc = -1;

	if (strcmp(path, "-") == 0)
		return 0;
	shown = cs_encode_dup(path);
	dir = atomic_dirname(path);
	if (!force && lstat(path, &st) == 0)
		cs_err_set(err, CS_EXIT_CANTCREAT, 0,
		    "'%s' already exists (use --force to replace it)", shown);
	else if (force && lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		cs_err_set(err, CS_EXIT_CANTCREAT, 0,
		    "'%s' exists and is not a regular file", shown);
	else if (stat(dir, &st) != 0)
		cs_err_set(err, CS_EXIT_CANTCREAT, errno,
		    "cannot create '%s'", shown);
	else if (!S_ISDIR(st.st_mode))
		cs_err_set(err, CS_EXIT_CANTCREAT, ENOTDIR,
		    "cannot create '%s'", shown);
	else if (access(dir, W_OK | X_OK) != 0)
		cs_err_set(err, CS_EXIT_CANTCREAT, errno,
		    "cannot create '%s'", shown);
	else
		rc = 0;
	free(dir);
	free(shown);
	return rc;
}

int
cs_atomic_open(struct cs_atomic *a, const char *path, int force,
    struct cs_err *err)
{
	char		*shown = NULL;
	int		 tries;

	a->path = NULL;
	a->tmp = NULL;
	a->fd = -1;
	a->force = force;
	a->is_stdout = 0;
	a->written = 0;
	a->flushed = 0;
	if (strcmp(path, "-") == 0) {
		a->is_stdout = 1;
		a->fd = STDOUT_FILENO;
		a->path = cs_xstrdup(path);
		return 0;
	}
	if (cs_atomic_check(path, force, err) != 0)
		return -1;
	shown = cs_encode_dup(path);
	for (tries = 0; tries < 100; tries++) {
		free(a->tmp);
		a->tmp = cs_xasprintf("%s.tmp-%ld-%d", path, (long)getpid(),
		    tries);
		cs_cleanup_add(a->tmp);
		a->fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		    O_NOFOLLOW, 0600);
		if (a->fd >= 0)
			break;
		cs_cleanup_remove(a->tmp);
		if (errno != EEXIST) {
			cs_err_set(err, CS_EXIT_CANTCREAT, errno,
			    "cannot create '%s'", shown);
			free(shown);
			free(a->tmp);
			a->tmp = NULL;
			return -1;
		}
	}
	if (a->fd < 0) {
		cs_err_set(err, CS_EXIT_CANTCREAT, EEXIST,
		    "cannot create a temporary file next to '%s'", shown);
		free(shown);
		free(a->tmp);
		a->tmp = NULL;
		return -1;
	}
	free(shown);
	a->path = cs_xstrdup(path);
	return 0;
}

#define ATOMIC_FLUSH	(8U * 1024 * 1024)

int
cs_atomic_write(struct cs_atomic *a, const void *p, size_t n)
{
	if (cs_write_all(a->fd, p, n) != 0)
		return -1;
	a->written += n;
#ifdef SYNC_FILE_RANGE_WRITE
	if (!a->is_stdout && a->written - a->flushed >= ATOMIC_FLUSH) {
		/* advisory: the commit's fsync is what makes it durable */
		(void)sync_file_range(a->fd, (off_t)a->flushed,
		    (off_t)(a->written - a->flushed), SYNC_FILE_RANGE_WRITE);
		a->flushed = a->written;
	}
#endif
	return 0;
}

/* fsync the directory holding PATH so that the new name is durable. */
static int
atomic_sync_dir(const char *path)
{
	char	*dir;
	int	 dfd, rc = 0;

	dir = atomic_dirname(path);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dfd < 0)
		return -1;
	if (fsync(dfd) != 0 && errno != EINVAL)
		rc = -1;
	close(dfd);
	return rc;
}

int
cs_atomic_commit(struct cs_atomic *a, mode_t mode, struct cs_err *err)
{
	char	*shown = NULL;
	int	 rc = -1;

	if (a->is_stdout) {
		/* A pipe or terminal cannot be synced; a file can. */
		if (fsync(a->fd) != 0 && errno != EINVAL && errno != EROFS)
			return cs_err_set(err, CS_EXIT_IOERR, errno,
			    "cannot sync standard output");
		free(a->path);
		a->path = NULL;
		return 0;
	}
	shown = cs_encode_dup(a->path);
	if (fchmod(a->fd, mode) != 0 || fsync(a->fd) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot write '%s'",
		    shown);
		goto out;
	}
	if (close(a->fd) != 0) {
		a->fd = -1;
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot write '%s'",
		    shown);
		goto out;
	}
	a->fd = -1;
	if (a->force) {
		if (rename(a->tmp, a->path) != 0) {
			cs_err_set(err, CS_EXIT_CANTCREAT, errno,
			    "cannot rename to '%s'", shown);
			goto out;
		}
	} else {
		if (link(a->tmp, a->path) != 0) {
			cs_err_set(err, CS_EXIT_CANTCREAT, errno,
			    errno == EEXIST ? "'%s' appeared while writing; "
			    "not replaced" : "cannot create '%s'", shown);
			goto out;
		}
		unlink(a->tmp);
	}
	cs_cleanup_remove(a->tmp);
	free(a->tmp);
	a->tmp = NULL;
	if (atomic_sync_dir(a->path) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot sync the directory of '%s'", shown);
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		cs_atomic_abort(a);
	free(a->path);
	a->path = NULL;
	free(shown);
	return rc;
}

void
cs_atomic_abort(struct cs_atomic *a)
{
	if (!a->is_stdout && a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	if (a->tmp != NULL) {
		unlink(a->tmp);
		cs_cleanup_remove(a->tmp);
		free(a->tmp);
		a->tmp = NULL;
	}
	free(a->path);
	a->path = NULL;
}

/* An anonymous temporary file (never visible in any directory). */
int
cs_tmpfile(struct cs_err *err)
{
	return cs_tmpfile_in("/tmp", err);
}

const char *
cs_tmpdir(const char *def)
{
	const char	*dir = getenv("TMPDIR");

	return dir != NULL && *dir != '\0' ? dir : def;
}

int
cs_tmpfile_in(const char *def, struct cs_err *err)
{
	const char	*dir = cs_tmpdir(def);
	char		*t, *shown;
	int		 fd;

	fd = open(dir, O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	t = cs_xasprintf("%s/custos-XXXXXX", dir);
	fd = mkostemp(t, O_CLOEXEC);
	if (fd >= 0)
		(void)unlink(t);
	else {
		shown = cs_encode_dup(dir);
		cs_err_set(err, CS_EXIT_CANTCREAT, errno, "cannot create a "
		    "temporary file in '%s'", shown);
		free(shown);
	}
	free(t);
	return fd;
}
