/*
 * walk_object.c: examine one object of a live tree through descriptors.
 *
 * The walk (walk.c) names each object by its parent directory's
 * descriptor and its name; here it is opened O_PATH without following,
 * fstat'ed, and only a regular file is reopened for reading, through
 * /proc/self/fd so that it is that very inode (or by name again, with
 * its identity checked).  ACLs, xattrs, flags, the link target and the
 * digests all come from those descriptors.  A file that changes while
 * it is read is marked, never half-recorded.  Nothing here knows the
 * walk's ring, locks or order: it runs on a worker thread with that
 * worker's hasher and touches only the record it is given.
 */
#include "custos/custos.h"

#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/magic.h>

#include "custos/buf.h"
#include "custos/content.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/meta.h"
#include "custos/path.h"
#include "custos/readahead.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

#include "walk_int.h"

#define WALK_MAP_MIN		(1024 * 1024)	/* hash mapped from this size */

/* Is FD on a filesystem whose magic number is one of LIST's N? */
int
cs_walk_fs_in(int fd, const unsigned long *list, size_t n)
{
	struct statfs	 sf;
	size_t		 i;

	if (fstatfs(fd, &sf) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		if ((unsigned long)sf.f_type == list[i])
			return 1;
	}
	return 0;
}

/*
 * Disk filesystems whose regular files are plain page-cache data, safe to
 * map for hashing.  Elsewhere (network, FUSE, anything unknown) files are
 * read: a mapping there could fault for reasons of the server's choosing.
 * Memory filesystems (tmpfs, shmem, ramfs, hugetlbfs) are never mapped,
 * nor overlayfs, whose upper layer is often tmpfs: a shared mapping's
 * fault on a hole there allocates a page, writing into the examined
 * system, where read(2) of a hole allocates nothing.
 */
static const unsigned long walk_map_fs[] = {
	EXT4_SUPER_MAGIC, XFS_SUPER_MAGIC, BTRFS_SUPER_MAGIC, F2FS_SUPER_MAGIC,
	SQUASHFS_MAGIC,
	ISOFS_SUPER_MAGIC, MSDOS_SUPER_MAGIC, EROFS_SUPER_MAGIC_V1,
	0x5346544eUL,	/* ntfs3 */
	0x2011bab0UL,	/* exfat */
	0x15013346UL,	/* udf */
	0x2fc12fc1UL,	/* zfs */
};

static int
walk_mappable(int fd)
{
	return cs_walk_fs_in(fd, walk_map_fs, CS_NELEM(walk_map_fs));
}

/* Copy what stat(2) says into the record (type excepted). */
void
cs_walk_fill_stat(struct cs_entry *e, const struct stat *st)
{
	e->mode = (uint32_t)(st->st_mode & 07777);
	e->uid = (uint32_t)st->st_uid;
	e->gid = (uint32_t)st->st_gid;
	e->size = (uint64_t)st->st_size;
	e->mtime.sec = (int64_t)st->st_mtim.tv_sec;
	e->mtime.nsec = (uint32_t)st->st_mtim.tv_nsec;
	e->ctime.sec = (int64_t)st->st_ctim.tv_sec;
	e->ctime.nsec = (uint32_t)st->st_ctim.tv_nsec;
	e->ino = (uint64_t)st->st_ino;
	e->nlink = (uint64_t)st->st_nlink;
	e->dev = (uint64_t)st->st_dev;
	e->blocks = (uint64_t)st->st_blocks;
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
		e->rmajor = (uint32_t)major(st->st_rdev);
		e->rminor = (uint32_t)minor(st->st_rdev);
	}
	if (!S_ISREG(st->st_mode) && !S_ISLNK(st->st_mode))
		e->size = 0;	/* meaningless for dirs and specials */
	e->have |= CS_F_INO | CS_F_NLINK | CS_F_CTIME;
}

/*
 * fstat(2) of FD into ST, through statx(2) where there is one, so that
 * the record E gets the birth time too where the filesystem keeps one.
 * *MARKED is 0 only when statx says the object is neither immutable nor
 * append-only, the inode flags triage ranks (1 when it cannot say).
 */
int
cs_walk_fstat(int fd, struct stat *st, struct cs_entry *e, int *marked)
{
#ifdef HAVE_STATX
	const uint64_t	 marks = STATX_ATTR_IMMUTABLE | STATX_ATTR_APPEND;
	struct statx	 sx;

	*marked = 1;
	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT,
	    STATX_BASIC_STATS | STATX_BTIME, &sx) == 0) {
		if ((sx.stx_attributes_mask & marks) == marks &&
		    (sx.stx_attributes & marks) == 0)
			*marked = 0;
		memset(st, 0, sizeof *st);
		st->st_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
		st->st_ino = (ino_t)sx.stx_ino;
		st->st_mode = (mode_t)sx.stx_mode;
		st->st_nlink = (nlink_t)sx.stx_nlink;
		st->st_uid = (uid_t)sx.stx_uid;
		st->st_gid = (gid_t)sx.stx_gid;
		st->st_rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor);
		st->st_size = (off_t)sx.stx_size;
		st->st_blksize = (blksize_t)sx.stx_blksize;
		st->st_blocks = (blkcnt_t)sx.stx_blocks;
		st->st_atim.tv_sec = (time_t)sx.stx_atime.tv_sec;
		st->st_atim.tv_nsec = (long)sx.stx_atime.tv_nsec;
		st->st_mtim.tv_sec = (time_t)sx.stx_mtime.tv_sec;
		st->st_mtim.tv_nsec = (long)sx.stx_mtime.tv_nsec;
		st->st_ctim.tv_sec = (time_t)sx.stx_ctime.tv_sec;
		st->st_ctim.tv_nsec = (long)sx.stx_ctime.tv_nsec;
		if (sx.stx_mask & STATX_BTIME) {
			e->btime.sec = (int64_t)sx.stx_btime.tv_sec;
			e->btime.nsec = sx.stx_btime.tv_nsec;
			e->have |= CS_F_BTIME;
		}
		return 0;
	}
	if (errno != ENOSYS && errno != EINVAL)
		return -1;
#else
	(void)e;
	*marked = 1;
#endif
	return fstat(fd, st);
}

unsigned
cs_walk_meta_flags(const struct cs_walk_opts *opts, int marked)
{
	return opts->iflags_marked_only && !marked ? CS_META_NOIFLAGS : 0;
}

int
cs_walk_same_object(const struct cs_entry *e, const struct stat *st)
{
	return (uint64_t)st->st_dev == e->dev &&
	    (uint64_t)st->st_ino == e->ino &&
	    cs_type_from_mode(st->st_mode) == e->type;
}

int
cs_walk_openat(int dir, const char *name, int flags)
{
	int	 fd;

	flags |= O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	fd = openat(dir, name, flags | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = openat(dir, name, flags);		/* not the owner */
	return fd;
}

int
cs_walk_open_below(int rootfd, const struct cs_entry *e)
{
	struct stat	 st;
	char		*copy, *comp, *slash;
	int		 dfd, nfd, fd = -1;

	if (rootfd < 0 || e->pathlen < 2 ||
	    memchr(e->path, '\0', e->pathlen) != NULL)
		return -1;
	copy = cs_xmemdup(e->path + 1, e->pathlen);
	copy[e->pathlen - 1] = '\0';
	dfd = fcntl(rootfd, F_DUPFD_CLOEXEC, 0);
	for (comp = copy; dfd >= 0 && (slash = strchr(comp, '/')) != NULL;
	    comp = slash + 1) {
		*slash = '\0';
		nfd = openat(dfd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		close(dfd);
		dfd = nfd;
	}
	if (dfd >= 0) {
		fd = cs_walk_openat(dfd, comp, O_NOFOLLOW);
		close(dfd);
	}
	free(copy);
	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size != e->size ||
	    ((e->have & CS_F_INO) && (uint64_t)st.st_ino != e->ino) ||
	    st.st_mtim.tv_sec != e->mtime.sec ||
	    (uint64_t)st.st_mtim.tv_nsec != e->mtime.nsec)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * Open for reading the regular file that O_PATH descriptor PFD refers to.
 * Reopening through /proc/self/fd reaches that very inode, so no rename
 * race can substitute a FIFO or a device between examining and opening;
 * *SAME is then set.  Without /proc, fall back to opening the name again
 * (*SAME is cleared: the caller must check identity).
 */
static int
walk_reopen(int procfd, int pfd, int dfd, const char *name, int *same)
{
	char	 proc[32];
	int	 fd, dir = AT_FDCWD;

	/* one lookup in the descriptor directory opened at the start */
	if (procfd >= 0) {
		dir = procfd;
		cs_fmt_u64(proc, sizeof proc, (uint64_t)pfd);
	} else
		(void)snprintf(proc, sizeof proc, "/proc/self/fd/%d", pfd);
	*same = 1;
	fd = cs_walk_openat(dir, proc, 0);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	*same = 0;
	return cs_walk_openat(dfd, name, O_NOFOLLOW);
}

/* Add LEN data bytes at OFF to the message, mapped or read. */
static int
walk_hash_data(struct cs_hasher *h, int fd, int map, uint64_t off,
    uint64_t size, uint64_t len, uint64_t *n)
{
	if (map)
		return cs_hasher_map(h, fd, off, size, len, n);
	*n = 0;
	if (lseek(fd, (off_t)off, SEEK_SET) < 0)
		return -1;
	return cs_hasher_read(h, fd, len, n);
}

/*
 * Add up to LIMIT bytes of the logical content from OFF on to the
 * message, no further than SIZE: growth shows in the size fstat gives
 * afterwards, so reading on to end of file would only cost a read per
 * file.  Data extents SG are mapped or read, holes fed as zeros.
 */
static int
walk_hash_part(struct cs_hasher *h, int fd, int map,
    const struct cs_readahead_segs *sg, uint64_t off, uint64_t size,
    uint64_t limit, uint64_t *n)
{
	uint64_t	 end, a, b, got;
	size_t		 i;

	end = limit > size - off ? size : off + limit;
	*n = 0;
	for (i = 0; i < sg->n && off < end; i++) {
		a = sg->v[i].off;
		b = a + sg->v[i].len < end ? a + sg->v[i].len : end;
		if (b <= off)
			continue;
		if (a > off) {
			cs_hasher_zeros(h, a - off);
			*n += a - off;
			off = a;
		}
		got = 0;
		if (walk_hash_data(h, fd, map, off, size, b - off, &got) != 0)
			return -1;
		*n += got;
		if (got != b - off)
			return 0;	/* shrank: the count says so */
		off = b;
	}
	if (off < end) {
		cs_hasher_zeros(h, end - off);
		*n += end - off;
	}
	return 0;
}

/* Did the file change since BEFORE was taken? */
static int
walk_changed(const struct stat *before, const struct stat *after)
{
	return after->st_size != before->st_size ||
	    after->st_mtim.tv_sec != before->st_mtim.tv_sec ||
	    after->st_mtim.tv_nsec != before->st_mtim.tv_nsec ||
	    after->st_ctim.tv_sec != before->st_ctim.tv_sec ||
	    after->st_ctim.tv_nsec != before->st_ctim.tv_nsec;
}

/* What a file's first N bytes, HEAD, show: an ELF object or a script. */
static void
walk_magic(const unsigned char *head, size_t n, struct cs_entry *e)
{
	e->have |= CS_F_MAGIC;
	if (n >= 4 && memcmp(head, "\177ELF", 4) == 0)
		e->magic = CS_MAGIC_ELF;
	else if (n >= 2 && head[0] == '#' && head[1] == '!')
		e->magic = CS_MAGIC_SCRIPT;
	else
		e->magic = CS_MAGIC_NONE;
}

/*
 * Digest the open file's content into the record: the zero-run digest
 * for a large file mostly of holes (cs_zdigest_wanted), else the whole
 * content with its holes fed as zeros.  A prefix's digests asked for go
 * into a content handle made in *CP.  *N receives the bytes read or fed,
 * *WANT what they should have been.
 */
static int
walk_hash_content(const struct cs_walk_opts *opts, struct cs_hasher *h,
    struct cs_entry *e, struct cs_content **cp, int fd,
    const struct cs_readahead_segs *sg, uint64_t *n, uint64_t *want)
{
	unsigned char	 head[CS_HASHER_HEAD], *buf;
	uint64_t	 more = 0, limit = UINT64_MAX, size = e->size;
	size_t		 bufsize;
	uint64_t	 data = cs_readahead_datalen(sg);
	ssize_t		 r;
	int		 map = 0;

	*want = size;
	if (cs_zdigest_wanted(size, data)) {
		*want = data;
		buf = cs_hasher_buf(h, &bufsize);
		if (cs_readahead_zdigest(fd, sg, size, buf, bufsize,
		    e->zdigest, n) != 0)
			return -1;
		while ((r = pread(fd, head, sizeof head, 0)) < 0 &&
		    errno == EINTR)
			;
		walk_magic(head, r > 0 ? (size_t)r : 0, e);
		e->have |= CS_F_ZDIGEST;
		return 0;
	}
	if (size >= WALK_MAP_MIN)
		map = walk_mappable(fd);
	if (opts->prefix != NULL)
		limit = opts->prefix(opts->prefix_arg, e);
	cs_hasher_begin(h);
	if (walk_hash_part(h, fd, map, sg, 0, size, limit, n) != 0)
		return -1;
	if (limit != UINT64_MAX && *n == limit) {
		if (*cp == NULL)
			*cp = cs_content_new();
		cs_hasher_peek(h, (*cp)->prefix_digest);
		(*cp)->prefix_len = limit;
		(*cp)->have_prefix = 1;
		if (walk_hash_part(h, fd, map, sg, *n, size, UINT64_MAX,
		    &more) != 0)
			return -1;
		*n += more;
	}
	cs_hasher_end(h, e->digest);
	walk_magic(head, cs_hasher_head(h, head), e);
	e->digests = opts->digests;
	return 0;
}

/*
 * Only the first bytes of a file whose content is not wanted.  Read-ahead
 * is turned off first: it would bring in a window of every such file to
 * read four bytes, which on a whole machine is gigabytes read from disk
 * and pushed through the page cache on every run.
 */
static void
walk_head(struct cs_entry *e, int fd)
{
	unsigned char	 head[CS_HASHER_HEAD];
	ssize_t		 r;

#ifdef HAVE_POSIX_FADVISE
	if (e->size > 4096)
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
#endif
	while ((r = pread(fd, head, sizeof head, 0)) < 0 && errno == EINTR)
		;
	if (r < 0)
		cs_entry_add_error(e, "read error: %s", strerror(errno));
	else
		walk_magic(head, (size_t)r, e);
	e->have |= CS_F_NOHASH;
}

/*
 * Hash the open file; the record is marked if the file changed meanwhile
 * and then carries no digest.
 */
static void
walk_hash(const struct cs_walk_opts *opts, struct cs_hasher *h,
    struct cs_entry *e, struct cs_content **cp, int fd,
    const struct stat *before)
{
	struct cs_readahead_segs sg = { NULL, 0, 0 };
	struct stat	 after;
	uint64_t	 n = 0, want = 0;
	int		 saved;

#ifdef HAVE_POSIX_FADVISE
	if (before->st_size >= CS_WALK_BUFSIZE)
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	(void)cs_readahead_extents(&sg, e, fd);
	if (walk_hash_content(opts, h, e, cp, fd, &sg, &n, &want) != 0)
		goto readerr;
	if (fstat(fd, &after) != 0) {
		cs_entry_add_error(e, "cannot stat: %s", strerror(errno));
		goto nodigest;
	}
	if (n != want || walk_changed(before, &after)) {
		cs_entry_add_error(e, "changed while being read");
		goto nodigest;
	}
	free(sg.v);
	return;
readerr:
	saved = errno;
	if (fstat(fd, &after) == 0 && walk_changed(before, &after))
		cs_entry_add_error(e, "changed while being read");
	else
		cs_entry_add_error(e, "read error: %s", strerror(saved));
nodigest:
	e->digests = 0;
	e->have &= ~CS_F_ZDIGEST;
	free(sg.v);
}

/* Read a symlink's target through its O_PATH descriptor. */
static void
walk_readlink(struct cs_entry *e, int fd)
{
	char	*buf = NULL;
	size_t	 size = e->size > 0 && e->size < 65536 ? e->size + 1 : 256;
	ssize_t	 n;

	for (;;) {
		buf = cs_xrealloc(buf, size);
		n = readlinkat(fd, "", buf, size);
		if (n < 0) {
			cs_entry_add_error(e, "cannot read link: %s",
			    strerror(errno));
			break;
		}
		if ((size_t)n < size) {
			cs_entry_set_target(e, buf, (size_t)n);
			break;
		}
		if (size > (1U << 24)) {
			cs_entry_add_error(e, "link target too long");
			break;
		}
		size *= 2;
	}
	free(buf);
}

/*
 * The attributes of E, held by the O_PATH descriptor PFD: through its
 * /proc name, or without /proc (PROCFD -1) by its name from the root.
 */
static void
walk_meta_path(const struct cs_walk_opts *opts, int procfd,
    struct cs_entry *e, int pfd)
{
	char	*path;

	if (procfd >= 0) {
		cs_meta_collect(e, pfd, CS_META_PATH);
		return;
	}
	path = cs_path_join(opts->root, strlen(opts->root), e->path + 1,
	    e->pathlen - 1, NULL);
	cs_meta_collect_name(e, pfd, path);
	free(path);
}

/*
 * Examine one object listed as a non-directory (runs on a worker thread):
 * open it O_PATH without following, fstat it, and only if it is a regular
 * file reopen it for reading (walk_reopen).  FIFOs, sockets and devices
 * are never opened for I/O.  E is named NAME in directory DFD.
 */
void
cs_walk_examine(const struct cs_walk_opts *opts, struct cs_readahead *ra,
    int procfd, struct cs_hasher *h, struct cs_entry *e,
    struct cs_content **cp, int dfd, const char *name)
{
	struct stat	 st;
	int		 pfd, fd, same, marked;

	pfd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0 || cs_walk_fstat(pfd, &st, e, &marked) != 0) {
		cs_entry_add_error(e, errno == ENOENT ? "vanished during "
		    "the walk" : "cannot open: %s", strerror(errno));
		if (pfd >= 0)
			close(pfd);
		return;
	}
	e->type = cs_type_from_mode(st.st_mode);
	cs_walk_fill_stat(e, &st);
	if (e->type == CS_T_DIR) {
		cs_entry_add_error(e, "became a directory during the walk; "
		    "not entered");
		e->have |= CS_F_NOENTRY;
		close(pfd);
		return;
	}
	if (e->type != CS_T_FILE) {
		walk_meta_path(opts, procfd, e, pfd);
		if (e->type == CS_T_LINK)
			walk_readlink(e, pfd);
		close(pfd);
		return;
	}
	fd = walk_reopen(procfd, pfd, dfd, name, &same);
	close(pfd);
	if (fd < 0) {
		cs_entry_add_error(e, "cannot open: %s", strerror(errno));
		return;
	}
	if (!same) {
		if (fstat(fd, &st) != 0 || !cs_walk_same_object(e, &st)) {
			cs_entry_add_error(e, "replaced during the walk");
			close(fd);
			return;
		}
		cs_walk_fill_stat(e, &st);
	}
	cs_meta_collect(e, fd, cs_walk_meta_flags(opts, marked));
	if (opts->structured != NULL)
		opts->structured(opts->structured_arg, e, fd);
	if (opts->keep_open) {
		*cp = cs_content_new();
		(*cp)->fd = fd;
		if (opts->readahead > 0 && h != NULL)
			(*cp)->ahead = cs_readahead_prefetch(ra, e, fd, h);
		return;
	}
	if (opts->digests != 0 && opts->hash_wanted != NULL &&
	    !opts->hash_wanted(opts->hash_wanted_arg, e))
		walk_head(e, fd);
	else if (opts->digests != 0)
		walk_hash(opts, h, e, cp, fd, &st);
	close(fd);
}
