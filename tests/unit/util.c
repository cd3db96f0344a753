/*
 * util.c: temporary directories and file helpers for unit tests.
 *
 * Each test gets a new directory under $TMPDIR (or /tmp), removed after
 * the test unless CS_KEEP_TMP is set, so a failure can be inspected.
 */
#include "custos/custos.h"

#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <unistd.h>

#include <cmocka.h>

#include "custos/xmalloc.h"
#include "util.h"

static char *test_tmp;

/*
 * Remove PATH; a write-once file (an evidence tar a test sealed) has its
 * immutable and append-only flags cleared first, so no test leaves one
 * behind.
 */
static int
util_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	int	 fd, flags;

	(void)ftw;
	if (flag == FTW_F && S_ISREG(st->st_mode) &&
	    (fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) >= 0) {
		if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 &&
		    (flags & (FS_IMMUTABLE_FL | FS_APPEND_FL)) != 0) {
			flags &= ~(FS_IMMUTABLE_FL | FS_APPEND_FL);
			(void)ioctl(fd, FS_IOC_SETFLAGS, &flags);
		}
		close(fd);
	}
	return remove(path) != 0 && errno != ENOENT;
}

int
cs_test_setup_tmp(void **state)
{
	const char	*base = getenv("TMPDIR");

	(void)state;
	free(test_tmp);
	test_tmp = cs_xasprintf("%s/custos-unit-XXXXXX",
	    base != NULL ? base : "/tmp");
	if (mkdtemp(test_tmp) == NULL)
		return -1;
	return 0;
}

int
cs_test_teardown_tmp(void **state)
{
	(void)state;
	if (test_tmp != NULL && getenv("CS_KEEP_TMP") == NULL)
		nftw(test_tmp, util_rm, 16, FTW_DEPTH | FTW_PHYS);
	free(test_tmp);
	test_tmp = NULL;
	return 0;
}

const char *
cs_test_tmp(void)
{
	return test_tmp;
}

char *
cs_test_path(const char *name)
{
	return cs_xasprintf("%s/%s", test_tmp, name);
}

int
cs_test_write(const char *name, const void *p, size_t n)
{
	char	*path;
	int	 fd, rc = -1;

	path = cs_test_path(name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0 && (n == 0 || write(fd, p, n) == (ssize_t)n))
		rc = 0;
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	free(path);
	return rc;
}

char *
cs_test_read(const char *path, size_t *lenp)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 n;
	int		 fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = cs_xmalloc((size_t)st.st_size + 1);
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (lenp != NULL)
		*lenp = (size_t)n;
	return buf;
}
