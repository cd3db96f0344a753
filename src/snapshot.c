/*
 * snapshot.c: the evidence tar sink (snapshot.h, doc/custos-evidence.5).
 *
 * Layers, from the bottom: the output stream (outstream.c: blocks,
 * O_DIRECT, tape, stream digest, write-once protection); libarchive's
 * pax writer, unblocked, whose header bytes for each member are captured
 * so that the member's digests can be added to its extended header
 * (tarwrite.c, pax.c); the records of a tree source whose regular files
 * come with their content open (content.h), read exactly once, hashed
 * while archived (readahead.c).  Files up to inline_max bytes of data are read before
 * their header is written, so the header carries their digests; larger
 * files are streamed, and their digests are in the manifest only
 * (manifest.c).
 * The custody record's facts are gathered by snap_custody.c.
 *
 * Invariants: the output is never a pre-existing file; a failed write
 * stops everything and the custody sidecar, if written, says "failed";
 * every object the walk yields is in the manifest, with an error field
 * when it could not be read; nothing is printed: an object that could
 * not be read is a warning in the result, for the command to print.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/content.h"
#include "custos/custody.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/host.h"
#include "custos/manifest.h"
#include "custos/outstream.h"
#include "custos/path.h"
#include "custos/pax.h"
#include "custos/pipe.h"
#include "custos/readahead.h"
#include "custos/snap_custody.h"
#include "custos/sink.h"
#include "custos/snapshot.h"
#include "custos/tarwrite.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

#define SNAP_CHUNK	(1024 * 1024)
#define SNAP_MAXERRS	1000	/* error lines in the custody record */

/* Hard-linked files already archived: (dev, ino) -> name, digests. */
struct snap_link {
	uint64_t	 dev;
	uint64_t	 ino;
	char		*name;
	unsigned	 digests;
	unsigned char	 digest[CS_D_COUNT][CS_DIGEST_MAXLEN];
	int		 has_zdigest;
	unsigned char	 zdigest[CS_ZDIGEST_LEN];
};

struct snap {
	const struct cs_snap_opts *o;
	struct cs_snap_result	*res;
	struct cs_outstream	*os;
	struct cs_tarwrite	*tw;
	int			 stream_done;
	/* files */
	struct cs_hasher	*fh;
	struct cs_zhasher	*zh;
	struct cs_readahead	 ra;
	struct snap_link	*links;
	size_t			 nlinks, linkcap;
	/* manifest spool and custody facts */
	struct cs_manifest	 manifest;
	struct cs_bl_header	 custody;
	uint64_t		 nerrlines;
	char			*started;
	struct timespec		 t_start;
	/* the end */
	char			*finished;
	int			 mfd;		/* the manifest written */
	unsigned char		 mdig[32];	/* its SHA-256 */
	int			 cfd;		/* the sidecar, reserved */
	int			 custody_done;	/* the sidecar written */
	int			 done;		/* sealed */
};

/*
 * Regular files.
 */

/* Put the extents SG on AE when the file is sparse. */
static void
snap_sparse(struct archive_entry *ae, const struct cs_readahead_segs *sg,
    uint64_t size)
{
	size_t	 i;

	for (i = 0; i < sg->n; i++)
		archive_entry_sparse_add_entry(ae, (la_int64_t)sg->v[i].off,
		    (la_int64_t)sg->v[i].len);
	if (sg->n == 0)
		archive_entry_sparse_add_entry(ae, (la_int64_t)size, 0);
}

/*
 * Archive regular file E (open as FD, its extents in the writer's list)
 * under AE, giving it the zero-run digest: its header carries no digest,
 * its holes are skipped by the writer and never hashed.  *NREAD receives
 * the bytes read.
 */
static int
snap_zfile(struct snap *s, struct cs_entry *e, int fd,
    struct archive_entry *ae, uint64_t *nread, struct cs_err *err)
{
	if (cs_tarwrite_header(s->tw, ae, 0, NULL, err) != 0)
		return -1;
	cs_zhasher_begin(s->zh, e->size);
	if (cs_readahead_zcontent(&s->ra, s->zh, e, fd, &s->ra.segs,
	    cs_tarwrite_data, s->tw, nread) != 0)
		return cs_tarwrite_failed(s->tw, err);
	cs_zhasher_end(s->zh, e->zdigest);
	cs_readahead_check_changed(e, fd);
	e->have |= CS_F_ZDIGEST;
	return 0;
}

/*
 * Archive a regular file E (its content C holds it open) under AE: read
 * ahead and hashed by a walk worker, or read here; the data of a file up
 * to the inline limit is read before the header, so the header carries
 * its digests.  A large file mostly of holes (cs_zdigest_wanted) gets a
 * zero-run digest instead, as in a baseline.
 */
static int
snap_file(struct snap *s, struct cs_entry *e, struct cs_content *c,
    struct archive_entry *ae, struct cs_err *err)
{
	struct cs_readahead_file *p = c->ahead;
	struct cs_readahead	 *ra = &s->ra;
	int			  fd = c->fd;
	unsigned char		 *buf;
	uint64_t		  datalen, nread = 0;

	if (p != NULL) {
		if (p->sparse)
			snap_sparse(ae, &p->segs, e->size);
		if (cs_tarwrite_header(s->tw, ae, s->o->digests, e->digest,
		    err) != 0)
			return -1;
		if (cs_readahead_content(ra, NULL, e, fd, &p->segs, p->data,
		    cs_tarwrite_data, s->tw, &nread) != 0)
			return cs_tarwrite_failed(s->tw, err);
		nread = p->nread;
		goto done;
	}
	if (cs_readahead_extents(&ra->segs, e, fd))
		snap_sparse(ae, &ra->segs, e->size);
	datalen = cs_readahead_datalen(&ra->segs);
	if (cs_zdigest_wanted(e->size, datalen)) {
		if (snap_zfile(s, e, fd, ae, &nread, err) != 0)
			return -1;
	} else if (datalen <= ra->inline_max) {
		buf = cs_readahead_buf(ra, (size_t)datalen);
		nread = cs_readahead_read(e, fd, &ra->segs, buf);
		cs_readahead_check_changed(e, fd);
		cs_hasher_begin(s->fh);
		(void)cs_readahead_content(ra, s->fh, e, fd, &ra->segs, buf,
		    NULL, NULL, &nread);
		cs_hasher_end(s->fh, e->digest);
		if (cs_tarwrite_header(s->tw, ae, s->o->digests, e->digest,
		    err) != 0)
			return -1;
		if (cs_readahead_content(ra, NULL, e, fd, &ra->segs, buf,
		    cs_tarwrite_data, s->tw, &nread) != 0)
			return cs_tarwrite_failed(s->tw, err);
	} else {
		if (cs_tarwrite_header(s->tw, ae, 0, NULL, err) != 0)
			return -1;
		cs_hasher_begin(s->fh);
		if (cs_readahead_content(ra, s->fh, e, fd, &ra->segs, NULL,
		    cs_tarwrite_data, s->tw, &nread) != 0)
			return cs_tarwrite_failed(s->tw, err);
		cs_hasher_end(s->fh, e->digest);
		cs_readahead_check_changed(e, fd);
	}
done:
	if (cs_tarwrite_finish_entry(s->tw) != 0)
		return cs_tarwrite_failed(s->tw, err);
	s->res->bytes += nread;
	if (!(e->have & CS_F_ZDIGEST))
		e->digests = s->o->digests;
	return 0;
}

/*
 * Hard links.
 */

static struct snap_link *
snap_link_find(struct snap *s, const struct cs_entry *e)
{
	size_t	 i;

	for (i = 0; i < s->nlinks; i++) {
		if (s->links[i].dev == e->dev && s->links[i].ino == e->ino)
			return &s->links[i];
	}
	return NULL;
}

static void
snap_link_add(struct snap *s, const struct cs_entry *e, const char *name)
{
	struct snap_link	*l;

	if (s->nlinks == s->linkcap) {
		s->linkcap = s->linkcap ? 2 * s->linkcap : 16;
		s->links = cs_xreallocarray(s->links, s->linkcap,
		    sizeof *s->links);
	}
	l = &s->links[s->nlinks++];
	l->dev = e->dev;
	l->ino = e->ino;
	l->name = cs_xstrdup(name);
	l->digests = e->digests;
	memcpy(l->digest, e->digest, sizeof l->digest);
	l->has_zdigest = (e->have & CS_F_ZDIGEST) != 0;
	memcpy(l->zdigest, e->zdigest, sizeof l->zdigest);
}

/*
 * Members from records.
 */

char *
cs_snap_member_name(const char *path, size_t len, int is_dir)
{
	struct cs_buf	 b;

	cs_buf_init(&b);
	cs_buf_adds(&b, CS_SNAP_TREE);
	if (len > 1)
		cs_buf_add(&b, path, len);
	if (is_dir || len <= 1)
		cs_buf_addc(&b, '/');
	return cs_buf_detach(&b, NULL);
}

int
cs_snap_member_path(const char *name, char **pathp, size_t *lenp)
{
	size_t	 n = strlen(name), tl = strlen(CS_SNAP_TREE);

	if (n < tl + 1 || memcmp(name, CS_SNAP_TREE, tl) != 0 ||
	    name[tl] != '/')
		return -1;
	name += tl;
	n -= tl;
	if (n > 1 && name[n - 1] == '/')
		n--;
	if (!cs_path_valid(name, n))
		return -1;
	*pathp = cs_xmemdup(name, n);
	*lenp = n;
	return 0;
}

/* Note an incomplete record for the custody record and the warnings. */
static void
snap_note_error(struct snap *s, const struct cs_entry *e)
{
	char	*shown, *line;

	s->res->errors++;
	if (s->o->warn != NULL) {
		shown = cs_encode_dup(e->path);
		line = cs_xasprintf("'%s': %s", shown, e->error);
		s->o->warn(s->o->warn_arg, line);
		free(line);
		free(shown);
	}
	if (s->nerrlines++ >= SNAP_MAXERRS)
		return;
	cs_snap_custody_error(&s->custody, e);
}

/*
 * Archive one record of the walk (its content C, or NULL) and spool its
 * manifest line.
 */
static int
snap_record(struct snap *s, struct cs_entry *e, struct cs_content *c,
    struct cs_err *err)
{
	struct archive_entry	*ae = NULL;
	struct snap_link	*l = NULL;
	char			*name;
	int			 rc = -1, member, open;

	name = cs_snap_member_name(e->path, e->pathlen, e->type == CS_T_DIR);
	open = c != NULL && c->fd >= 0;
	member = cs_tarwrite_filetype(e->type) != 0 &&
	    (e->type != CS_T_FILE || open);
	if (e->type == CS_T_FILE && open && e->nlink > 1)
		l = snap_link_find(s, e);
	if (member) {
		ae = cs_tarwrite_entry(e, name);
		if (l != NULL) {
			archive_entry_set_size(ae, 0);
			archive_entry_copy_hardlink(ae, l->name);
			if (cs_tarwrite_header(s->tw, ae, l->digests, l->digest,
			    err) != 0)
				goto out;
			if (cs_tarwrite_finish_entry(s->tw) != 0) {
				cs_tarwrite_failed(s->tw, err);
				goto out;
			}
			e->digests = l->digests;
			memcpy(e->digest, l->digest, sizeof e->digest);
			memcpy(e->zdigest, l->zdigest, sizeof e->zdigest);
			if (l->has_zdigest)
				e->have |= CS_F_ZDIGEST;
		} else if (e->type == CS_T_FILE) {
			if (snap_file(s, e, c, ae, err) != 0)
				goto out;
			if (e->nlink > 1)
				snap_link_add(s, e, name);
		} else if (cs_tarwrite_header(s->tw, ae, 0, NULL, err) != 0 ||
		    cs_tarwrite_finish_entry(s->tw) != 0) {
			if (err->msg == NULL)
				cs_tarwrite_failed(s->tw, err);
			goto out;
		}
	}
	if (e->error != NULL)
		snap_note_error(s, e);
	if (cs_manifest_add(&s->manifest, e, err) != 0)
		goto out;
	s->res->objects++;
	rc = 0;
out:
	archive_entry_free(ae);
	free(name);
	return rc;
}

/*
 * Custody record and manifest.
 */

/* The first member: the custody record as it stands at the start. */
static int
snap_custody_member(struct snap *s, struct cs_err *err)
{
	struct cs_buf	 b;
	int		 rc = -1;

	cs_buf_init(&b);
	if (cs_snap_custody_initial(&s->custody, s->o->key, &b, err) == 0)
		rc = cs_tarwrite_memory(s->tw, CS_SNAP_CUSTODY, b.data,
		    b.len, s->o->digests, s->fh, err);
	cs_buf_release(&b);
	return rc;
}

/* Write the manifest from the spool into a temporary file; return it. */
static int
snap_manifest_file(struct snap *s, const char *finished, struct cs_err *err)
{
	struct cs_bl_header	 h;
	int			 fd;

	cs_bl_header_init(&h);
	cs_snap_custody_manifest_header(&h, &s->custody, s->o, s->started,
	    finished, s->res->members + 1);
	fd = cs_manifest_write(&s->manifest, &h, s->o->key, err);
	cs_bl_header_release(&h);
	return fd;
}

/* The last member: the manifest, hashed first (it is our own file). */
static int
snap_manifest_member(struct snap *s, int fd, unsigned char *mdig,
    struct cs_err *err)
{
	unsigned char		 d[CS_D_COUNT][CS_DIGEST_MAXLEN];
	unsigned char		*buf;
	struct archive_entry	*ae;
	struct stat		 st;
	struct timespec		 now = cs_time_now();
	uint64_t		 got;
	ssize_t			 r;
	int			 rc = -1;

	ae = archive_entry_new();
	if (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0 ||
	    cs_hasher_fd(s->fh, fd, UINT64_MAX, d, &got) != 0 ||
	    got != (uint64_t)st.st_size || lseek(fd, 0, SEEK_SET) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot read the "
		    "manifest");
		goto out;
	}
	memcpy(mdig, d[CS_D_SHA256], 32);
	archive_entry_copy_pathname(ae, CS_SNAP_MANIFEST);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0444);
	archive_entry_set_uid(ae, (la_int64_t)getuid());
	archive_entry_set_gid(ae, (la_int64_t)getgid());
	archive_entry_set_size(ae, st.st_size);
	archive_entry_set_mtime(ae, now.tv_sec, now.tv_nsec);
	if (cs_tarwrite_header(s->tw, ae, s->o->digests | CS_DIGEST_DEFAULT, d,
	    err) != 0)
		goto out;
	buf = cs_readahead_buf(&s->ra, SNAP_CHUNK);
	while ((r = read(fd, buf, SNAP_CHUNK)) > 0) {
		if (cs_tarwrite_data(s->tw, buf, (size_t)r) != 0) {
			cs_tarwrite_failed(s->tw, err);
			goto out;
		}
	}
	if (r < 0 || cs_tarwrite_finish_entry(s->tw) != 0) {
		cs_tarwrite_failed(s->tw, err);
		goto out;
	}
	rc = 0;
out:
	archive_entry_free(ae);
	return rc;
}

/*
 * The run.
 */

/* Close the archive and write out the last, padded block. */
static int
snap_finish_stream(struct snap *s, struct cs_err *err)
{
	int	 rc;

	if (cs_tarwrite_close(s->tw, err) != 0)
		return -1;
	rc = cs_outstream_finish(s->os);
	s->res->stream_size = cs_outstream_size(s->os);
	if (rc != 0)
		return cs_tarwrite_failed(s->tw, err);
	cs_outstream_digest(s->os, s->res->stream);
	s->stream_done = 1;
	return 0;
}

/* The sidecar: start facts, end facts, digests, status. */
static int
snap_custody_sidecar(struct snap *s, const char *finished,
    const unsigned char *mdig, struct cs_err *err)
{
	int	 rc;

	if (s->cfd < 0 && (s->cfd = cs_custody_reserve(s->res->custody,
	    err)) < 0)
		return -1;
	rc = cs_snap_custody_finish(&s->custody, s->cfd, s->res, finished,
	    s->stream_done, mdig, s->o->key, err);
	close(s->cfd);
	s->cfd = -1;
	s->custody_done = 1;
	return rc;
}

static void
snap_release(struct snap *s)
{
	size_t	 i;

	if (s->cfd >= 0)
		close(s->cfd);	/* reserved, never written: left empty */
	cs_tarwrite_free(s->tw);
	cs_manifest_close(&s->manifest);
	for (i = 0; i < s->nlinks; i++)
		free(s->links[i].name);
	free(s->links);
	cs_readahead_release(&s->ra);
	cs_outstream_free(s->os);
	cs_hasher_free(s->fh);
	cs_zhasher_free(s->zh);
	cs_bl_header_release(&s->custody);
	free(s->started);
}

/* Checks before anything is created. */
static int
snap_precheck(struct snap *s, struct cs_err *err)
{
	struct stat	 st;
	char		*shown;

	if (s->o->block_size == 0 || s->o->block_size % 512 != 0)
		return cs_err_set(err, CS_EXIT_USAGE, 0, "block size must "
		    "be a positive multiple of 512");
	if (lstat(s->res->custody, &st) == 0) {
		shown = cs_encode_dup(s->res->custody);
		cs_err_set(err, CS_EXIT_CANTCREAT, 0, "custody record '%s' "
		    "already exists; a custody record is never replaced",
		    shown);
		free(shown);
		return -1;
	}
	return 0;
}

/* Set up S for options O and result RES; -1 if digests cannot start. */
static int
snap_init(struct snap *s, const struct cs_snap_opts *o,
    struct cs_snap_result *res, struct cs_err *err)
{
	memset(res, 0, sizeof *res);
	memset(s, 0, sizeof *s);
	s->mfd = -1;
	s->cfd = -1;
	s->o = o;
	s->res = res;
	cs_bl_header_init(&s->custody);
	cs_readahead_init(&s->ra, o->inline_max != 0 ? o->inline_max :
	    CS_SNAP_INLINE_MAX, o->digests);
	res->custody = o->custody != NULL ? cs_xstrdup(o->custody) :
	    cs_xasprintf("%s.custody", o->output);
	res->stream_digests = o->digests | CS_DIGEST_DEFAULT;
	s->t_start = cs_time_now();
	s->started = cs_time_rfc3339(&s->t_start, 0);
	s->os = cs_outstream_new(o->output, o->block_size,
	    res->stream_digests);
	s->fh = cs_hasher_new(o->digests | CS_DIGEST_DEFAULT, 4096);
	s->zh = cs_zhasher_new();
	if (s->os == NULL || s->fh == NULL || s->zh == NULL)
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "cannot start "
		    "digests");
	return 0;
}

/*
 * Verify the output read back (--verify-after), protect it and write the
 * sidecar.  -1 on failure, with the status set to failed.
 */
static int
snap_seal(struct snap *s, const char *finished, const unsigned char *mdig,
    struct cs_err *err)
{
	struct cs_snap_result	*res = s->res;

	/* the sidecar's name is taken before the archive is sealed */
	if ((s->cfd = cs_custody_reserve(res->custody, err)) < 0) {
		res->status = CS_SNAP_FAILED;
		return -1;
	}
	if (s->o->verify_after &&
	    cs_outstream_kind(s->os) == CS_OUTSTREAM_FILE) {
		if (cs_outstream_sync(s->os) != 0) {
			cs_err_set(err, CS_EXIT_IOERR, errno, "cannot sync "
			    "'%s'", cs_outstream_shown(s->os));
			res->status = CS_SNAP_FAILED;
			return -1;
		}
		res->verified = cs_outstream_verify(s->os);
		if (res->verified < 0)
			res->status = CS_SNAP_FAILED;
	}
	res->protection = cs_outstream_protect(s->os);
	if (snap_custody_sidecar(s, finished, mdig, err) != 0) {
		res->status = CS_SNAP_FAILED;
		return -1;
	}
	if (res->verified < 0)
		return cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s' read back "
		    "does not match the digest written",
		    cs_outstream_shown(s->os));
	return 0;
}

/*
 * The sink.
 */

static int
snap_begin(void *impl, struct cs_err *err)
{
	struct snap	*s = impl;

	if (cs_outstream_start(s->os, err) != 0 ||
	    cs_manifest_open(&s->manifest, err) != 0)
		return -1;
	cs_snap_custody_start(&s->custody, s->o, s->started);
	if ((s->tw = cs_tarwrite_new(s->os, &s->res->members, err)) == NULL)
		return -1;
	return snap_custody_member(s, err);
}

static int
snap_add(void *impl, struct cs_entry *e, struct cs_content *c,
    struct cs_err *err)
{
	struct snap	*s = impl;
	int		 rc;

	rc = snap_record(s, e, c, err);
	cs_entry_free(e);
	if (c != NULL)		/* archived: the file and its bytes go now */
		cs_content_clear(c);
	return rc;
}

/* The manifest, the end of the stream, the seal and the sidecar. */
static int
snap_finish(void *impl, struct cs_err *err)
{
	struct snap	*s = impl;
	struct cs_snap_result *res = s->res;
	struct timespec	 now;

	now = cs_time_now();
	s->finished = cs_time_rfc3339(&now, 0);
	if ((s->mfd = snap_manifest_file(s, s->finished, err)) < 0 ||
	    snap_manifest_member(s, s->mfd, s->mdig, err) != 0 ||
	    snap_finish_stream(s, err) != 0)
		return -1;
	res->status = res->errors > 0 ? CS_SNAP_INCOMPLETE :
	    CS_SNAP_COMPLETE;
	if (snap_seal(s, s->finished, s->mdig, err) != 0)
		return -1;
	s->done = 1;
	return 0;
}

/* Released, after finish or instead of it: a failure is said. */
static void
snap_abort(void *impl)
{
	struct snap	*s = impl;
	struct cs_err	 e2;

	if (!s->done && s->res->status == CS_SNAP_FAILED &&
	    !s->custody_done) {
		/*
		 * Say "failed" where a complete record would have been,
		 * and keep what was written, read-only.
		 */
		cs_err_init(&e2);
		(void)snap_custody_sidecar(s, s->finished, s->mdig, &e2);
		cs_err_release(&e2);
		cs_outstream_readonly(s->os);
	}
	if (s->mfd >= 0)
		close(s->mfd);
	free(s->finished);
	snap_release(s);
	free(s);
}

static const struct cs_sink_ops snap_ops = {
	"snapshot", snap_begin, snap_add, snap_finish, snap_abort
};

struct cs_sink *
cs_sink_snapshot(const struct cs_snap_opts *o, struct cs_snap_result *res,
    struct cs_pipe_skip *skip, size_t *nskip, struct cs_err *err)
{
	struct snap	*s;

	*nskip = 0;
	s = cs_xmalloc(sizeof *s);
	if (snap_init(s, o, res, err) != 0 || snap_precheck(s, err) != 0 ||
	    cs_outstream_open(s->os, err) != 0) {
		snap_release(s);
		free(s);
		return NULL;
	}
	res->created = 1;
	*nskip = cs_outstream_skip(s->os, skip);
	return cs_sink_new(&snap_ops, s);
}

void
cs_snapshot_walk_opts(const struct cs_snap_opts *o, struct cs_walk_opts *wo)
{
	memset(wo, 0, sizeof *wo);
	wo->root = o->root;
	wo->digests = o->digests | CS_DIGEST_DEFAULT;
	wo->keep_open = 1;
	wo->readahead = o->inline_max != 0 ? o->inline_max :
	    CS_SNAP_INLINE_MAX;
	wo->jobs = o->jobs;
	wo->cross_fs = o->cross_fs;
	wo->excludes = o->excludes;
	wo->nexcludes = o->nexcludes;
}

void
cs_snap_result_release(struct cs_snap_result *r)
{
	if (r == NULL)
		return;
	free(r->custody);
	free(r->protection);
	memset(r, 0, sizeof *r);
}
