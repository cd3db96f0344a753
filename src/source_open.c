/*
 * source_open.c: a source for a path, whatever kind it names
 * (cs_source_open, source.h): a directory is walked, a baseline file
 * read, a tar read as evidence or as a foreign archive.  It stands above
 * every kind of source, so that the interface (source.c) knows none.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "custos/baseline.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/source.h"
#include "custos/tar.h"
#include "custos/walk.h"

/* Does the file at PATH start with the baseline magic? */
static int
source_is_baseline(const char *path)
{
	char	 buf[sizeof CS_BL_MAGIC];
	ssize_t	 n;
	int	 fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	return n == (ssize_t)sizeof buf - 1 &&
	    cs_bl_magic_ok(buf, sizeof buf - 1);
}

struct cs_source *
cs_source_open(const char *path, const struct cs_walk_opts *opts,
    struct cs_err *err)
{
	struct cs_walk_opts	 o = *opts;
	struct stat		 st;
	char			*shown;

	if (stat(path, &st) != 0) {
		shown = cs_encode_dup(path);
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open '%s'",
		    shown);
		free(shown);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		o.root = path;
		return cs_source_tree(&o, err);
	}
	if (S_ISREG(st.st_mode) && source_is_baseline(path))
		return cs_source_baseline(path, err);
	if (S_ISREG(st.st_mode) && cs_tar_is_tar(path))
		return cs_source_tar(path, err);
	shown = cs_encode_dup(path);
	cs_err_set(err, CS_EXIT_DATAERR, 0,
	    "'%s' is neither a directory nor a baseline", shown);
	free(shown);
	return NULL;
}
