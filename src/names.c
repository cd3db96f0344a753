/*
 * names.c: owner and group names from the examined tree's own account
 * files (names.h).
 *
 * The files are hostile input: each is opened below its directory with
 * no link followed and without touching its access time, must be a
 * regular file, is read up to NAMES_MAX bytes, and is parsed line by
 * line ("name:password:id:..."); a line whose name is empty or too long,
 * or whose id is not a plain decimal number that fits, is skipped.  The
 * first line for an id names it, as getpwuid(3) would.  Names are kept
 * as raw bytes; they are encoded on output like every string from an
 * examined filesystem.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/atomic.h"
#include "custos/names.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

#define NAMES_MAX	(64U * 1024 * 1024)	/* bytes read of a file */
#define NAMES_NAMELEN	256			/* longest name kept */

/* An open-addressing table per id space. */
struct names_slot {
	uint32_t	 id;
	int		 used;
	char		*name;
};

struct names_table {
	struct names_slot	*slots;
	size_t			 size;		/* power of two, or 0 */
	size_t			 used;
};

struct cs_names {
	struct names_table	 users;
	struct names_table	 groups;
};

static struct names_slot *
names_find(const struct names_table *t, uint32_t id)
{
	size_t	 i;

	i = (id * 2654435761U) & (t->size - 1);
	while (t->slots[i].used && t->slots[i].id != id)
		i = (i + 1) & (t->size - 1);
	return &t->slots[i];
}

static void
names_grow(struct names_table *t)
{
	struct names_table	 old = *t;
	size_t			 i;

	t->size = old.size == 0 ? 64 : old.size * 2;
	t->slots = cs_xcalloc(t->size, sizeof *t->slots);
	for (i = 0; i < old.size; i++)
		if (old.slots[i].used)
			*names_find(t, old.slots[i].id) = old.slots[i];
	free(old.slots);
}

/* Name ID N (LEN bytes) unless it already has a name. */
static void
names_add(struct names_table *t, uint32_t id, const char *n, size_t len)
{
	struct names_slot	*s;

	if (t->used * 2 >= t->size)
		names_grow(t);
	s = names_find(t, id);
	if (s->used)
		return;
	s->used = 1;
	s->id = id;
	s->name = cs_xmemdup(n, len);
	t->used++;
}

/* A plain decimal id that fits in 32 bits, from S (N bytes). */
static int
names_id(const char *s, size_t n, uint32_t *id)
{
	uint64_t v = 0;
	size_t	 i;

	if (n == 0 || n > 10)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*id = (uint32_t)v;
	return 0;
}

/* Parse the lines of an account file: name, password, id, ... */
static void
names_parse(struct names_table *t, const char *p, size_t n)
{
	const char	*end = p + n, *eol, *f[3];
	size_t		 k;
	uint32_t	 id;

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		f[0] = p;
		for (k = 1; k < 3; k++) {
			f[k] = memchr(f[k - 1], ':', (size_t)(eol - f[k - 1]));
			if (f[k] == NULL)
				break;
			f[k]++;
		}
		if (k < 3 || f[1] - 1 == f[0] ||
		    (size_t)(f[1] - 1 - f[0]) > NAMES_NAMELEN ||
		    memchr(f[0], '\0', (size_t)(f[1] - 1 - f[0])) != NULL)
			continue;
		k = (size_t)(eol - f[2]);
		if (memchr(f[2], ':', k) != NULL)
			k = (size_t)((const char *)memchr(f[2], ':', k) - f[2]);
		if (names_id(f[2], k, &id) == 0)
			names_add(t, id, f[0], (size_t)(f[1] - 1 - f[0]));
	}
}

/* Read NAME of directory ETC into T; -1 if it is not there. */
static int
names_load(struct names_table *t, int etc, const char *name)
{
	struct stat	 st;
	char		*buf;
	size_t		 got;
	int		 fd;

	if ((fd = cs_walk_openat(etc, name, O_NOFOLLOW)) < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	buf = cs_read_bounded(fd, NAMES_MAX, st.st_size > 0 &&
	    (uint64_t)st.st_size < NAMES_MAX ? (size_t)st.st_size : 0, &got);
	close(fd);
	names_parse(t, buf, got);
	free(buf);
	return 0;
}

/* The etc directory of SYSROOT, no link followed, or -1. */
static int
names_etc(const char *sysroot)
{
	int	 dfd, etc;

	dfd = open(sysroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	etc = openat(dfd, "etc", O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	close(dfd);
	return etc;
}

/* The names of the account files of SYSROOT alone. */
static struct cs_names *
names_at(const char *sysroot)
{
	struct cs_names	*n = cs_xcalloc(1, sizeof *n);
	int		 etc;

	if ((etc = names_etc(sysroot)) >= 0) {
		(void)names_load(&n->users, etc, "passwd");
		(void)names_load(&n->groups, etc, "group");
		close(etc);
	}
	return n;
}

struct cs_names *
cs_names_new(const char *root)
{
	struct cs_names	*n;
	struct stat	 st;
	char		*dir, *up;
	int		 etc, found;

	if ((dir = realpath(root, NULL)) == NULL)
		return cs_xcalloc(1, sizeof(struct cs_names));
	for (;;) {
		found = 0;
		if ((etc = names_etc(dir)) >= 0) {
			/* whatever they are: a link is not followed up */
			found = fstatat(etc, "passwd", &st,
			    AT_SYMLINK_NOFOLLOW) == 0 && fstatat(etc, "group",
			    &st, AT_SYMLINK_NOFOLLOW) == 0;
			close(etc);
		}
		if (found || strcmp(dir, "/") == 0)
			break;
		up = cs_xstrdup(dirname(dir));
		free(dir);
		dir = up;
	}
	n = found ? names_at(dir) : cs_xcalloc(1, sizeof *n);
	free(dir);
	return n;
}

static void
names_table_free(struct names_table *t)
{
	size_t	 i;

	for (i = 0; i < t->size; i++)
		free(t->slots[i].name);
	free(t->slots);
}

void
cs_names_free(struct cs_names *n)
{
	if (n == NULL)
		return;
	names_table_free(&n->users);
	names_table_free(&n->groups);
	free(n);
}

static const char *
names_get(const struct names_table *t, uint32_t id)
{
	const struct names_slot	*s;

	if (t->size == 0)
		return NULL;
	s = names_find(t, id);
	return s->used ? s->name : NULL;
}

const char *
cs_names_user(const struct cs_names *n, uint32_t uid)
{
	return names_get(&n->users, uid);
}

const char *
cs_names_group(const struct cs_names *n, uint32_t gid)
{
	return names_get(&n->groups, gid);
}
