/*
 * walkfloor.c: the "bare walk" floor of the benchmark.
 *
 * Visits every object under DIR once, the cheapest way a correct walker
 * can: directory descriptors (openat, fdopendir), one fstatat per entry
 * with AT_SYMLINK_NOFOLLOW, no sorting, no path strings, one thread, no
 * output but a count.  Whatever a real tool does on top (sorting, reading
 * metadata such as ACLs and xattrs, hashing, writing records) costs more.
 *
 * usage: walkfloor DIR
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long long nobj, nerr;

static void
walk(int dfd)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	int		 fd;

	if ((d = fdopendir(dfd)) == NULL) {
		nerr++;
		close(dfd);
		return;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
		    (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) != 0) {
			nerr++;
			continue;
		}
		nobj++;
		if (!S_ISDIR(st.st_mode))
			continue;
		fd = openat(dirfd(d), de->d_name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			nerr++;
			continue;
		}
		walk(fd);
	}
	if (errno != 0)
		nerr++;
	closedir(d);
}

int
main(int argc, char **argv)
{
	int	fd;

	if (argc != 2) {
		fprintf(stderr, "usage: walkfloor DIR\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		perror(argv[1]);
		return 1;
	}
	walk(fd);
	printf("%llu objects, %llu errors\n", nobj + 1, nerr);
	return nerr != 0;
}
