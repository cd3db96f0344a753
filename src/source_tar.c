/*
 * source_tar.c: an evidence tar as a record source (tar.h).
 *
 * Two passes over the file: the first skips from header to header
 * (libarchive seeks over the data) to take out the custody record, for
 * the digest list, and the manifest, into an unnamed temporary file; the
 * second reads every member's content through evidence.c's reader and
 * merges the members with the manifest's records, both in canonical
 * order.  Memory is bounded: one record of each side at a time.
 */
#include "custos/custos.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/custody.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/evidence.h"
#include "custos/path.h"
#include "custos/snapshot.h"
#include "custos/source.h"
#include "custos/tar.h"
#include "custos/xmalloc.h"

struct source_tar {
	char		*shown;
	struct cs_evr	*r;
	int		 mfd;
	struct cs_blr	*m;
	struct cs_entry	*mrec;		/* pending manifest record */
	int		 mdone;
	struct cs_entry	*mem;		/* pending member record */
	int		 tdone;
};

int
cs_tar_is_tar(const char *path)
{
	return cs_evidence_is_tar(path);
}

/* Pass 1: the digest list and the manifest (into t->mfd). */
static int
source_tar_scan(struct source_tar *t, const char *path, unsigned *digests,
    struct cs_err *err)
{
	struct archive		*a;
	struct archive_entry	*ae;
	struct cs_custody	 c;
	struct cs_buf		 b;
	const void		*p;
	size_t			 n;
	la_int64_t		 off;
	int			 r, rc = -1, found = 0;

	cs_buf_init(&b);
	memset(&c, 0, sizeof c);
	a = archive_read_new();
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 10240) != ARCHIVE_OK) {
		cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s': %s", t->shown,
		    archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(ae);

		if (name != NULL && strcmp(name, CS_SNAP_CUSTODY) == 0) {
			while (archive_read_data_block(a, &p, &n, &off) ==
			    ARCHIVE_OK && b.len + n <= CS_CUSTODY_MAX)
				cs_buf_add(&b, p, n);
			if (cs_custody_parse(&c, b.data != NULL ? b.data : "",
			    b.len, CS_SNAP_CUSTODY, err) != 0 ||
			    cs_digest_parse_list(cs_custody_get(&c, "digests") !=
			    NULL ? cs_custody_get(&c, "digests") : "", digests,
			    err) != 0)
				goto out;
		} else if (name != NULL && strcmp(name, CS_SNAP_MANIFEST) == 0) {
			if (archive_read_data_into_fd(a, t->mfd) != ARCHIVE_OK)
				break;
			found = 1;
		}
	}
	if (!found || *digests == 0) {
		cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s' is not a complete "
		    "custos evidence tar (%s): %s", t->shown, !found ?
		    "no manifest" : "no custody record", r == ARCHIVE_EOF ?
		    "run custos verify" : archive_error_string(a));
		goto out;
	}
	rc = 0;
out:
	archive_read_free(a);
	cs_custody_release(&c);
	cs_buf_release(&b);
	return rc;
}

/* The next tree member as a record (NULL at the manifest or the end). */
static int
source_tar_member(struct source_tar *t, struct cs_err *err)
{
	struct cs_evm	 m;
	int		 n;

	while (!t->tdone) {
		if ((n = cs_evr_next(t->r, &m, err)) < 0)
			return -1;
		if (n == 0 || strcmp(archive_entry_pathname(m.ae),
		    CS_SNAP_MANIFEST) == 0) {
			t->tdone = 1;
			break;
		}
		if (cs_evr_read(t->r, &m, NULL, 0, -1, err) != 0)
			return -1;
		if (strcmp(archive_entry_pathname(m.ae), CS_SNAP_CUSTODY) == 0)
			continue;
		t->mem = cs_entry_new();
		if (cs_evidence_entry(&m, t->mem) != 0)
			return cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s': member "
			    "'%s' is not part of a snapshot", t->shown, m.name);
		return 0;
	}
	return 0;
}

/* Complete member record E with what only the manifest record R has. */
static void
source_tar_merge(struct cs_entry *e, struct cs_entry *r)
{
	int	 hardlink = e->type == CS_T_FILE && (e->have & CS_F_NLINK);

	e->have = (e->have & ~(unsigned)CS_F_NLINK) |
	    (r->have & (CS_F_INO | CS_F_NLINK | CS_F_IFLAGS | CS_F_META));
	e->ino = r->ino;
	e->nlink = r->nlink;
	e->iflags = r->iflags;
	if (!(e->have & CS_F_CTIME) && (r->have & CS_F_CTIME)) {
		e->ctime = r->ctime;
		e->have |= CS_F_CTIME;
	}
	if (hardlink || e->type != CS_T_FILE)
		e->size = r->size;	/* tar holds no size for these */
	e->acl = r->acl;
	r->acl = NULL;
	e->dacl = r->dacl;
	r->dacl = NULL;
	e->caps = r->caps;
	r->caps = NULL;
	e->error = r->error;
	r->error = NULL;
}

/* Does manifest record R have a member?  (Sockets, unread files: no.) */
static int
source_tar_has_member(const struct cs_entry *r)
{
	if (r->type == CS_T_NONE || r->type == CS_T_SOCK)
		return 0;
	return r->type != CS_T_FILE || r->digests != 0;
}

static int
source_tar_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct source_tar	*t = impl;
	struct cs_entry		*out;
	int			 cmp;

	for (;;) {
		if (t->mrec == NULL && !t->mdone) {
			if (cs_blr_next(t->m, &t->mrec, err) < 0)
				return -1;
			t->mdone = t->mrec == NULL;
		}
		if (t->mem == NULL && source_tar_member(t, err) != 0)
			return -1;
		if (t->mrec == NULL && t->mem == NULL)
			return 0;
		cmp = t->mrec == NULL ? 1 : t->mem == NULL ? -1 :
		    cs_path_cmp(t->mrec->path, t->mrec->pathlen, t->mem->path,
		    t->mem->pathlen);
		if (cmp < 0 && source_tar_has_member(t->mrec)) {
			/* In the manifest, missing from the archive. */
			cs_entry_free(t->mrec);
			t->mrec = NULL;
			continue;
		}
		if (cmp < 0) {
			out = t->mrec;
			t->mrec = NULL;
		} else {
			out = t->mem;
			t->mem = NULL;
			if (cmp == 0) {
				source_tar_merge(out, t->mrec);
				cs_entry_free(t->mrec);
				t->mrec = NULL;
			}
		}
		*ep = out;
		return 1;
	}
}

static void
source_tar_close(void *impl)
{
	struct source_tar	*t = impl;

	if (t == NULL)
		return;
	cs_entry_free(t->mrec);
	cs_entry_free(t->mem);
	cs_blr_close(t->m);
	cs_evr_close(t->r);
	if (t->mfd >= 0)
		close(t->mfd);
	free(t->shown);
	free(t);
}

static const struct cs_source_ops source_tar_ops = {
	"tar", source_tar_next, source_tar_close
};

struct cs_source *
cs_source_tar(const char *path, struct cs_err *err)
{
	struct source_tar	*t;
	const char		*dir = getenv("TMPDIR");
	unsigned		 digests = 0;
	char			*mpath;

	t = cs_xcalloc(1, sizeof *t);
	t->shown = cs_encode_dup(path);
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	t->mfd = open(dir, O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
	if (t->mfd < 0) {
		cs_err_set(err, CS_EXIT_CANTCREAT, errno, "cannot create a "
		    "temporary file in '%s'", dir);
		goto fail;
	}
	if (source_tar_scan(t, path, &digests, err) != 0)
		goto fail;
	mpath = cs_xasprintf("/proc/self/fd/%d", t->mfd);
	t->m = cs_blr_open(mpath, err);
	free(mpath);
	if (t->m == NULL || (t->r = cs_evr_open(path, digests, err)) == NULL)
		goto fail;
	cs_evr_set_digests(t->r, digests);
	return cs_source_new(&source_tar_ops, t, path);
fail:
	source_tar_close(t);
	return NULL;
}
