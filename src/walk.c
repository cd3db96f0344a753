/*
 * walk.c: sorted, descriptor-based, parallel walk of a live tree.
 *
 * Threads: one walker thread descends the tree and appends one job per
 * object to a ring, in canonical order; worker threads take jobs from the
 * ring and examine them (walk_object.c: open, verify identity, read
 * ACLs, xattrs, flags, hash); the consumer (cs_walk_next) takes jobs from
 * the head of the ring only when they are done.  Hence the output order
 * is the walk order whatever the number of workers.
 *
 * Invariants, all under walk->lock:
 *   head <= work <= tail, tail - head <= cap (the consumer may pass
 *   directories the workers never looked at, so workers first move work
 *   up to head: an index below head names a reused slot);
 *   jobs in [head, work) are running or done, in [work, tail) ready or done
 *   (directories are examined by the walker itself and enqueued done);
 *   a job holds a reference on its parent directory descriptor, so the
 *   descriptor stays open until every job that needs it has finished.
 */
#include "custos/custos.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/magic.h>

#include "custos/buf.h"
#include "custos/content.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/meta.h"
#include "custos/names.h"
#include "custos/path.h"
#include "custos/range.h"
#include "custos/readahead.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

#include "walk_int.h"

#define WALK_RING		4096	/* records in flight */
#define WALK_RING_KEEPFD	64	/* ... when each may hold an open file */
#define WALK_BATCH		16	/* jobs a worker claims at once */

enum job_state { JOB_FREE = 0, JOB_READY, JOB_RUNNING, JOB_DONE };

struct dirref {
	int		 fd;
	unsigned	 refs;
};

struct job {
	struct cs_entry	*e;
	struct cs_content *c;		/* what is kept of its content */
	struct dirref	*parent;
	char		*name;		/* name within parent */
	enum job_state	 state;
};

/* One directory being listed: its sorted names, and where we are. */
struct level {
	struct dirref	*dir;
	char		*path;
	size_t		 pathlen;
	uint64_t	 dev;
	char		*names;		/* NUL-separated */
	size_t		*offs;		/* sorted offsets into names */
	size_t		 nnames;
	size_t		 next;
};

struct cs_walk {
	struct cs_walk_opts	 opts;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond_work;
	pthread_cond_t		 cond_done;
	pthread_cond_t		 cond_space;
	struct job		*ring;
	uint64_t		 cap;
	uint64_t		 head;
	uint64_t		 work;
	uint64_t		 tail;
	int			 walker_done;
	int			 stop;
	int			 idle_workers;	/* waiting on cond_work */
	int			 consumer_waiting; /* on cond_done */
	int			 walker_waiting;	/* on cond_space */
	pthread_t		 walker;
	int			 walker_started;
	pthread_t		*workers;
	int			 nworkers;
	struct level		*stack;
	size_t			 depth;
	size_t			 stackcap;
	struct cs_names		*names;
	struct cs_walk_stats	 stats;
	int			 rootfd;
	int			 procfd;	/* /proc/self/fd, or -1 */
	struct cs_entry		*rootentry;
	struct cs_readahead	 ra;		/* with opts.readahead */
	struct cs_content	*cur;		/* of the record handed out */
};

/* Filesystems whose contents are not files: never entered. */
static const unsigned long walk_pseudo_fs[] = {
	PROC_SUPER_MAGIC, SYSFS_MAGIC, DEBUGFS_MAGIC, TRACEFS_MAGIC,
	SECURITYFS_MAGIC, CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC,
	DEVPTS_SUPER_MAGIC, PSTOREFS_MAGIC, BPF_FS_MAGIC, SELINUX_MAGIC,
	SMACK_MAGIC, EFIVARFS_MAGIC, BINFMTFS_MAGIC, NSFS_MAGIC,
	0x19800202UL,	/* mqueue */
	0x62656570UL,	/* configfs */
	0x65735543UL,	/* fusectl */
	0x0187UL,	/* autofs */
};

int
cs_walk_default_jobs(void)
{
	long	 n;

	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	if (n > 256)
		return 256;
	return (int)n;
}

static int
walk_is_pseudo(int fd)
{
	return cs_walk_fs_in(fd, walk_pseudo_fs, CS_NELEM(walk_pseudo_fs));
}

static int
walk_is_procfs(int fd)
{
	static const unsigned long	 proc[] = { PROC_SUPER_MAGIC };

	return cs_walk_fs_in(fd, proc, 1);
}

static int
walk_excluded(const struct cs_walk *w, const char *path)
{
	size_t	 i;

	for (i = 0; i < w->opts.nexcludes; i++) {
		if (cs_path_match(w->opts.excludes[i], path))
			return 1;
	}
	return 0;
}

static void
dirref_release(struct dirref *d)
{
	if (d == NULL || --d->refs > 0)
		return;
	close(d->fd);
	free(d);
}

/* Names are stored as a d_type byte followed by the NUL-terminated name. */
static int
walk_name_cmp(const void *a, const void *b, void *arg)
{
	const char	*names = arg;

	return strcmp(names + *(const size_t *)a + 1,
	    names + *(const size_t *)b + 1);
}

int
cs_walk_list(int fd, char **namesp, size_t **offsp, size_t *np)
{
	struct cs_buf	 b;
	char		 buf[65536];
	struct dirent64	*de;
	size_t		*offs = NULL;
	size_t		 cap = 0, namelen, n = 0;
	ssize_t		 got, off;
	int		 rc = 0;

	cs_buf_init(&b);
	for (;;) {
		got = getdents64(fd, buf, sizeof buf);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			rc = got < 0 ? -1 : 0;
			break;
		}
		for (off = 0; off < got; off += de->d_reclen) {
			de = (struct dirent64 *)(void *)(buf + off);
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			if (n == cap) {
				cap = cap == 0 ? 16 : cap * 2;
				offs = cs_xreallocarray(offs, cap,
				    sizeof *offs);
			}
			offs[n++] = b.len;
			namelen = strlen(de->d_name);
			cs_buf_addc(&b, (char)de->d_type);
			cs_buf_add(&b, de->d_name, namelen + 1);
		}
	}
	*namesp = cs_buf_detach(&b, NULL);
	if (n > 1)
		qsort_r(offs, n, sizeof *offs, walk_name_cmp, *namesp);
	*offsp = offs;
	*np = n;
	return rc;
}

/* Read and sort the names in directory FD into L. */
static int
walk_read_names(int fd, struct level *l)
{
	return cs_walk_list(fd, &l->names, &l->offs, &l->nnames);
}

/* Append a job (blocking while the ring is full); false if stopping. */
static int
walk_enqueue(struct cs_walk *w, struct cs_entry *e, struct dirref *parent,
    const char *name, int ready)
{
	struct job	*j;

	pthread_mutex_lock(&w->lock);
	while (w->tail - w->head >= w->cap && !w->stop) {
		if (w->idle_workers > 0)
			pthread_cond_broadcast(&w->cond_work);
		w->walker_waiting = 1;
		pthread_cond_wait(&w->cond_space, &w->lock);
		w->walker_waiting = 0;
	}
	if (w->stop) {
		pthread_mutex_unlock(&w->lock);
		cs_entry_free(e);
		return 0;
	}
	j = &w->ring[w->tail % w->cap];
	j->e = e;
	j->parent = parent;
	if (parent != NULL)
		parent->refs++;
	j->name = name != NULL ? cs_xstrdup(name) : NULL;
	j->state = ready ? JOB_READY : JOB_DONE;
	w->tail++;
	/* Wake only those who wait, and workers only for a batch. */
	if (ready && w->idle_workers > 0 &&
	    w->tail - w->work >= WALK_BATCH)
		pthread_cond_signal(&w->cond_work);
	else if (!ready && w->consumer_waiting && w->tail - 1 == w->head)
		pthread_cond_signal(&w->cond_done);
	pthread_mutex_unlock(&w->lock);
	return 1;
}

/* Before the walker blocks in I/O, let idle workers take what is queued. */
static void
walk_kick(struct cs_walk *w)
{
	pthread_mutex_lock(&w->lock);
	if (w->idle_workers > 0 && w->work < w->tail)
		pthread_cond_broadcast(&w->cond_work);
	pthread_mutex_unlock(&w->lock);
}

/*
 * Examine directory E open as FD: attributes, and whether to enter it.
 * On entering, pushes a level that owns FD; otherwise closes FD.  MARKED
 * is cs_walk_fstat's word on its inode flags.
 */
static void
walk_dir(struct cs_walk *w, struct cs_entry *e, int fd, uint64_t parentdev,
    int marked)
{
	struct level	*l;
	int		 enter = 1;

	cs_meta_collect(e, fd, cs_walk_meta_flags(&w->opts, marked));
	if (walk_is_pseudo(fd)) {
		enter = 0;
	} else if (parentdev != UINT64_MAX && e->dev != parentdev &&
	    !w->opts.cross_fs) {
		enter = 0;
	}
	if (!enter) {
		/* below the root: another filesystem is mounted here */
		if (parentdev != UINT64_MAX)
			e->have |= CS_F_MOUNT;
		w->stats.not_entered++;
		close(fd);
		return;
	}
	if (w->depth == w->stackcap) {
		w->stackcap = w->stackcap == 0 ? 16 : w->stackcap * 2;
		w->stack = cs_xreallocarray(w->stack, w->stackcap,
		    sizeof *w->stack);
	}
	l = &w->stack[w->depth];
	memset(l, 0, sizeof *l);
	walk_kick(w);
	if (walk_read_names(fd, l) != 0) {
		cs_entry_add_error(e, "cannot list directory: %s",
		    strerror(errno));
		e->have |= CS_F_NOENTRY;
	}
	l->dir = cs_xmalloc(sizeof *l->dir);
	l->dir->fd = fd;
	l->dir->refs = 1;
	l->path = cs_xmemdup(e->path, e->pathlen);
	l->pathlen = e->pathlen;
	l->dev = e->dev;
	w->depth++;
}

static void
walk_pop(struct cs_walk *w)
{
	struct level	*l = &w->stack[--w->depth];

	pthread_mutex_lock(&w->lock);
	dirref_release(l->dir);
	pthread_mutex_unlock(&w->lock);
	free(l->path);
	free(l->names);
	free(l->offs);
}

/*
 * Hand a directory record on, or drop it if it lies above the start of
 * the range (entered for what lies below it, but another shard's).
 */
static int
walk_enqueue_dir(struct cs_walk *w, struct cs_entry *e, int above)
{
	if (above) {
		cs_entry_free(e);
		return 1;
	}
	return walk_enqueue(w, e, NULL, NULL, 0);
}

/*
 * Turn NAME in the top directory into a job.  Directories (and names of
 * unknown type) are examined here, since the walk must know whether to
 * enter them; everything else is examined by a worker.  Returns 0 to
 * end the walk: stopping, or past the end of the range.
 */
static int
walk_child(struct cs_walk *w, struct level *top, const char *name,
    unsigned char dtype)
{
	struct cs_entry		*e;
	struct stat		 st;
	enum cs_range_where	 where;
	char			*path;
	size_t			 pathlen;
	int			 fd, marked;

	path = cs_path_join(top->path, top->pathlen, name, strlen(name),
	    &pathlen);
	where = cs_range_where(w->opts.range, path, pathlen);
	if (where == CS_RANGE_AFTER || where == CS_RANGE_BEFORE) {
		free(path);
		return where == CS_RANGE_BEFORE;
	}
	if (walk_excluded(w, path)) {
		w->stats.excluded++;
		free(path);
		return 1;
	}
	e = cs_entry_new();
	e->path = path;
	e->pathlen = pathlen;
	if (dtype != DT_DIR && dtype != DT_UNKNOWN && where == CS_RANGE_ABOVE) {
		cs_entry_free(e);
		return 1;
	}
	if (dtype != DT_DIR && dtype != DT_UNKNOWN)
		return walk_enqueue(w, e, top->dir, name, 1);
	if (fstatat(top->dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		/* a directory perhaps: its objects were not looked at */
		if (errno != ENOENT)
			e->have |= CS_F_NOENTRY;
		cs_entry_add_error(e, errno == ENOENT ? "vanished during "
		    "the walk" : "cannot stat: %s", strerror(errno));
		return walk_enqueue_dir(w, e, where == CS_RANGE_ABOVE);
	}
	e->type = cs_type_from_mode(st.st_mode);
	cs_walk_fill_stat(e, &st);
	if (e->type != CS_T_DIR && where == CS_RANGE_ABOVE) {
		cs_entry_free(e);
		return 1;
	}
	if (e->type != CS_T_DIR)
		return walk_enqueue(w, e, top->dir, name, 1);
	fd = cs_walk_openat(top->dir->fd, name, O_DIRECTORY | O_NOFOLLOW);
	if (fd < 0) {
		cs_entry_add_error(e, "cannot open directory: %s",
		    strerror(errno));
		e->have |= CS_F_NOENTRY;
	} else if (cs_walk_fstat(fd, &st, e, &marked) != 0 ||
	    !cs_walk_same_object(e, &st)) {
		cs_entry_add_error(e, "replaced during the walk");
		e->have |= CS_F_NOENTRY;
		close(fd);
	} else {
		cs_walk_fill_stat(e, &st);
		walk_dir(w, e, fd, top->dev, marked);
	}
	return walk_enqueue_dir(w, e, where == CS_RANGE_ABOVE);
}

static void *
walk_walker(void *arg)
{
	struct cs_walk		*w = arg;
	struct cs_entry		*root = w->rootentry;
	struct level		*top;
	enum cs_range_where	 where;
	const char		*name;

	w->rootentry = NULL;
	where = cs_range_where(w->opts.range, root->path, root->pathlen);
	if (where == CS_RANGE_IN || where == CS_RANGE_ABOVE)
		walk_dir(w, root, w->rootfd, UINT64_MAX, 1);
	else
		close(w->rootfd);
	w->rootfd = -1;
	if (!walk_enqueue_dir(w, root, where != CS_RANGE_IN))
		goto out;
	while (w->depth > 0) {
		top = &w->stack[w->depth - 1];
		if (top->next == top->nnames) {
			walk_pop(w);
			continue;
		}
		name = top->names + top->offs[top->next++];
		if (!walk_child(w, top, name + 1, (unsigned char)name[0]))
			break;
	}
out:
	while (w->depth > 0)
		walk_pop(w);
	pthread_mutex_lock(&w->lock);
	w->walker_done = 1;
	pthread_cond_broadcast(&w->cond_work);
	pthread_cond_broadcast(&w->cond_done);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * Claim up to WALK_BATCH ready jobs at once when there is plenty of work
 * (one lock round and one wake-up per batch instead of per file), but
 * only one at a time when work is scarce, so that a few large files are
 * spread over all workers.
 */
static size_t
walk_claim(struct cs_walk *w, uint64_t *idx)
{
	size_t	 n = 0, max = 1;

	if (w->tail - w->work >= (uint64_t)WALK_BATCH * (uint64_t)w->nworkers)
		max = WALK_BATCH;
	while (w->work < w->tail && n < max) {
		if (w->ring[w->work % w->cap].state == JOB_READY) {
			w->ring[w->work % w->cap].state = JOB_RUNNING;
			idx[n++] = w->work;
		}
		w->work++;
	}
	return n;
}

static void *
walk_worker(void *arg)
{
	struct cs_walk		*w = arg;
	struct cs_hasher	*h;
	struct job		*j;
	uint64_t		 idx[WALK_BATCH];
	size_t			 i, n;
	int			 wake;

	h = cs_hasher_new(w->opts.digests, CS_WALK_BUFSIZE);
	pthread_mutex_lock(&w->lock);
	for (;;) {
		if (w->work < w->head)
			w->work = w->head;
		while (w->work < w->tail &&
		    w->ring[w->work % w->cap].state != JOB_READY)
			w->work++;
		if (w->stop || (w->work == w->tail && w->walker_done))
			break;
		if (w->work == w->tail) {
			w->idle_workers++;
			pthread_cond_wait(&w->cond_work, &w->lock);
			w->idle_workers--;
			continue;
		}
		n = walk_claim(w, idx);
		pthread_mutex_unlock(&w->lock);
		for (i = 0; i < n; i++) {
			j = &w->ring[idx[i] % w->cap];
			if (h == NULL && w->opts.digests != 0)
				cs_entry_add_error(j->e, "digest unavailable");
			else
				cs_walk_examine(&w->opts, &w->ra, w->procfd,
				    h, j->e, &j->c, j->parent->fd, j->name);
		}
		pthread_mutex_lock(&w->lock);
		wake = 0;
		for (i = 0; i < n; i++) {
			j = &w->ring[idx[i] % w->cap];
			j->state = JOB_DONE;
			dirref_release(j->parent);
			j->parent = NULL;
			wake |= idx[i] == w->head;
		}
		if (wake && w->consumer_waiting)
			pthread_cond_signal(&w->cond_done);
	}
	pthread_mutex_unlock(&w->lock);
	cs_hasher_free(h);
	return NULL;
}

/* Raise the descriptor limit: depth costs one descriptor per level. */
static void
walk_raise_nofile(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int
walk_open_root(struct cs_walk *w, struct cs_err *err)
{
	struct stat	 st;
	char		*shown;
	int		 fd, marked, rc = -1;

	shown = cs_encode_dup(w->opts.root);
	w->rootentry = cs_entry_new();
	fd = cs_walk_openat(AT_FDCWD, w->opts.root, O_DIRECTORY);
	if (fd < 0 || cs_walk_fstat(fd, &st, w->rootentry, &marked) != 0) {
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open '%s'",
		    shown);
		goto out;
	}
	if (walk_is_pseudo(fd)) {
		cs_err_set(err, CS_EXIT_NOINPUT, 0, "'%s' is on a pseudo "
		    "filesystem (proc, sysfs, ...)", shown);
		goto out;
	}
	w->rootfd = fd;
	fd = -1;
	cs_entry_set_path(w->rootentry, "/", 1);
	w->rootentry->type = CS_T_DIR;
	cs_walk_fill_stat(w->rootentry, &st);
	rc = 0;
out:
	if (rc != 0) {
		cs_entry_free(w->rootentry);
		w->rootentry = NULL;
	}
	if (fd >= 0)
		close(fd);
	free(shown);
	return rc;
}

struct cs_walk *
cs_walk_open(const struct cs_walk_opts *opts, struct cs_err *err)
{
	struct cs_walk	*w;
	int		 i;

	w = cs_xcalloc(1, sizeof *w);
	w->opts = *opts;
	w->rootfd = -1;
	w->procfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->procfd >= 0 && !walk_is_procfs(w->procfd)) {
		close(w->procfd);	/* not the kernel's: do not rely on it */
		w->procfd = -1;
	}
	if (w->opts.jobs <= 0)
		w->opts.jobs = cs_walk_default_jobs();
	if (walk_open_root(w, err) != 0) {
		if (w->procfd >= 0)
			close(w->procfd);
		free(w);
		return NULL;
	}
	walk_raise_nofile();
	w->cap = opts->keep_open ? WALK_RING_KEEPFD : WALK_RING;
	cs_readahead_init(&w->ra, opts->readahead, opts->digests);
	w->ring = cs_xcalloc((size_t)w->cap, sizeof *w->ring);
	w->names = cs_names_new(opts->root);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond_work, NULL);
	pthread_cond_init(&w->cond_done, NULL);
	pthread_cond_init(&w->cond_space, NULL);
	w->workers = cs_xcalloc((size_t)w->opts.jobs, sizeof *w->workers);
	for (i = 0; i < w->opts.jobs; i++) {
		if (pthread_create(&w->workers[i], NULL, walk_worker, w) != 0)
			break;
		w->nworkers++;
	}
	if (w->nworkers == 0 ||
	    pthread_create(&w->walker, NULL, walk_walker, w) != 0) {
		cs_err_set(err, CS_EXIT_SOFTWARE, errno,
		    "cannot start threads");
		cs_walk_close(w);
		return NULL;
	}
	w->walker_started = 1;
	return w;
}

int
cs_walk_next(struct cs_walk *w, struct cs_entry **ep, struct cs_err *err)
{
	struct job	*j;
	struct cs_entry	*e;
	const char	*name;

	(void)err;
	*ep = NULL;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		if (w->head < w->tail &&
		    w->ring[w->head % w->cap].state == JOB_DONE)
			break;
		if (w->head == w->tail && w->walker_done) {
			pthread_mutex_unlock(&w->lock);
			return 0;
		}
		w->consumer_waiting = 1;
		pthread_cond_wait(&w->cond_done, &w->lock);
		w->consumer_waiting = 0;
	}
	j = &w->ring[w->head % w->cap];
	e = j->e;
	cs_content_free(w->cur);
	w->cur = j->c;
	free(j->name);
	memset(j, 0, sizeof *j);
	w->head++;
	/* Let the walker refill half the ring at once. */
	if (w->walker_waiting && w->tail - w->head <= w->cap / 2)
		pthread_cond_signal(&w->cond_space);
	pthread_mutex_unlock(&w->lock);

	if (e->type != CS_T_NONE &&
	    (name = cs_names_user(w->names, e->uid)) != NULL)
		e->user = cs_xstrdup(name);
	if (e->type != CS_T_NONE &&
	    (name = cs_names_group(w->names, e->gid)) != NULL)
		e->group = cs_xstrdup(name);
	w->stats.objects++;
	if (e->error != NULL)
		w->stats.errors++;
	if (e->digests != 0)
		w->stats.bytes += e->size;
	if (e->have & CS_F_NOHASH) {
		w->stats.unhashed++;
		w->stats.unhashed_bytes += e->size;
	}
	*ep = e;
	return 1;
}

struct cs_content *
cs_walk_content(struct cs_walk *w)
{
	return w->cur;
}

const struct cs_walk_stats *
cs_walk_stats(const struct cs_walk *w)
{
	return &w->stats;
}

void
cs_walk_close(struct cs_walk *w)
{
	struct job	*j;
	uint64_t	 i;
	int		 k;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_broadcast(&w->cond_work);
	pthread_cond_broadcast(&w->cond_space);
	pthread_mutex_unlock(&w->lock);
	if (w->walker_started)
		pthread_join(w->walker, NULL);
	for (k = 0; k < w->nworkers; k++)
		pthread_join(w->workers[k], NULL);
	for (i = w->head; i < w->tail; i++) {
		j = &w->ring[i % w->cap];
		cs_entry_free(j->e);
		cs_content_free(j->c);
		free(j->name);
		dirref_release(j->parent);
	}
	cs_content_free(w->cur);
	cs_readahead_release(&w->ra);
	if (w->rootfd >= 0)
		close(w->rootfd);
	if (w->procfd >= 0)
		close(w->procfd);
	cs_entry_free(w->rootentry);
	free(w->stack);
	free(w->ring);
	free(w->workers);
	cs_names_free(w->names);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond_work);
	pthread_cond_destroy(&w->cond_done);
	pthread_cond_destroy(&w->cond_space);
	free(w);
}
