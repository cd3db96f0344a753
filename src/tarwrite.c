/*
 * tarwrite.c: libarchive's pax writer under the evidence tar
 * (tarwrite.h).
 *
 * libarchive writes unblocked into the output stream; while it writes a
 * header, its bytes are captured instead, so that records (the member's
 * device and inode number, link count and birth time, which libarchive's
 * pax writer leaves out, and its digests) can be spliced into the
 * extended header (pax.c) before the header goes out.
 *
 * Invariants: a header reaches the stream whole or not at all; the
 * member count grows by one for each header that reached it; after a
 * failed write every call fails, and the error names the stream's
 * errno when there is one, libarchive's message otherwise.
 */
#include "custos/custos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/host.h"
#include "custos/outstream.h"
#include "custos/pax.h"
#include "custos/tarwrite.h"
#include "custos/path.h"
#include "custos/xmalloc.h"

struct cs_tarwrite {
	struct archive		*a;
	struct cs_outstream	*os;
	uint64_t		*members;
	int			 capture;
	struct cs_buf		 cap;
	struct cs_buf		 hdr;
};

static la_ssize_t
tw_write_cb(struct archive *a, void *arg, const void *p, size_t n)
{
	struct cs_tarwrite *w = arg;

	(void)a;
	if (w->capture) {
		cs_buf_add(&w->cap, p, n);
		return (la_ssize_t)n;
	}
	if (cs_outstream_write(w->os, p, n) != 0) {
		archive_set_error(a, cs_outstream_error(w->os),
		    "write error");
		return -1;
	}
	return (la_ssize_t)n;
}

/*
 * Write the header of AE, with the digests in D (if MASK is not 0) added
 * to its extended header.
 */
int
cs_tarwrite_header(struct cs_tarwrite *w, struct archive_entry *ae,
    unsigned mask, unsigned char d[][CS_DIGEST_MAXLEN], struct cs_err *err)
{
	struct cs_buf	 recs;
	char		*shown, *why;
	int		 r, rc = -1;

	cs_buf_init(&recs);
	cs_buf_reset(&w->cap);
	cs_buf_reset(&w->hdr);
	w->capture = 1;
	r = archive_write_header(w->a, ae);
	w->capture = 0;
	if (r < ARCHIVE_WARN && cs_outstream_error(w->os) != 0) {
		cs_tarwrite_failed(w, err);
		goto out;
	}
	if (r < ARCHIVE_WARN) {
		shown = cs_encode_dup(archive_entry_pathname(ae) != NULL ?
		    archive_entry_pathname(ae) : "");
		why = cs_encode_dup(archive_error_string(w->a) != NULL ?
		    archive_error_string(w->a) : "unknown error");
		cs_err_set(err, CS_EXIT_SOFTWARE, 0, "cannot write the header "
		    "of '%s': %s", shown, why);
		free(shown);
		free(why);
		goto out;
	}
	if (archive_entry_ino_is_set(ae))
		cs_pax_inode_records(&recs, (uint64_t)archive_entry_dev(ae),
		    (uint64_t)archive_entry_ino64(ae),
		    (uint64_t)archive_entry_nlink(ae));
	if (archive_entry_birthtime_is_set(ae))
		cs_pax_time_record(&recs, CS_PAX_BTIME,
		    (int64_t)archive_entry_birthtime(ae),
		    (uint32_t)archive_entry_birthtime_nsec(ae));
	if (mask != 0)
		cs_pax_digest_records(&recs, mask, d);
	if (cs_pax_splice(&w->hdr, (unsigned char *)w->cap.data,
	    w->cap.len, recs.data != NULL ? recs.data : "", recs.len) != 0) {
		cs_err_set(err, CS_EXIT_SOFTWARE, 0, "unexpected tar header "
		    "from libarchive");
		goto out;
	}
	if (cs_outstream_write(w->os, w->hdr.data, w->hdr.len) != 0) {
		cs_tarwrite_failed(w, err);
		goto out;
	}
	(*w->members)++;
	rc = 0;
out:
	cs_buf_release(&recs);
	return rc;
}

/* Hand N bytes of member data to libarchive. */
int
cs_tarwrite_data(void *arg, const void *p, size_t n)
{
	struct cs_tarwrite *w = arg;
	const char	*b = p;
	la_ssize_t	 k;

	while (n > 0) {
		k = archive_write_data(w->a, b, n);
		if (k <= 0)
			return -1;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

/* The error for a failed write in libarchive or below it. */
int
cs_tarwrite_failed(struct cs_tarwrite *w, struct cs_err *err)
{
	int	 werr = cs_outstream_error(w->os);

	if (werr != 0)
		return cs_err_set(err, CS_EXIT_IOERR, werr,
		    "cannot write '%s'", cs_outstream_shown(w->os));
	return cs_err_set(err, CS_EXIT_IOERR, 0, "cannot write '%s': %s",
	    cs_outstream_shown(w->os), archive_error_string(w->a));
}

/* A whole member from memory: header with its digests, then data. */
int
cs_tarwrite_memory(struct cs_tarwrite *w, const char *name, const void *p,
    size_t n, unsigned mask, struct cs_hasher *h, struct cs_err *err)
{
	struct archive_entry	*ae;
	unsigned char		 d[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct timespec		 now = cs_time_now();
	int			 rc = -1;

	ae = archive_entry_new();
	archive_entry_copy_pathname(ae, name);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0444);
	archive_entry_set_uid(ae, (la_int64_t)getuid());
	archive_entry_set_gid(ae, (la_int64_t)getgid());
	archive_entry_set_size(ae, (la_int64_t)n);
	archive_entry_set_mtime(ae, now.tv_sec, now.tv_nsec);
	cs_hasher_begin(h);
	cs_hasher_update(h, p, n);
	cs_hasher_end(h, d);
	if (cs_tarwrite_header(w, ae, mask, d, err) != 0)
		goto out;
	if (cs_tarwrite_data(w, p, n) != 0 ||
	    cs_tarwrite_finish_entry(w) != 0) {
		cs_tarwrite_failed(w, err);
		goto out;
	}
	rc = 0;
out:
	archive_entry_free(ae);
	return rc;
}

unsigned
cs_tarwrite_filetype(enum cs_type t)
{
	switch (t) {
	case CS_T_FILE:		return AE_IFREG;
	case CS_T_DIR:		return AE_IFDIR;
	case CS_T_LINK:		return AE_IFLNK;
	case CS_T_FIFO:		return AE_IFIFO;
	case CS_T_CHAR:		return AE_IFCHR;
	case CS_T_BLOCK:	return AE_IFBLK;
	default:		return 0;
	}
}

struct archive_entry *
cs_tarwrite_entry(const struct cs_entry *e, const char *name)
{
	struct archive_entry	*ae;
	size_t			 i;

	ae = archive_entry_new();
	archive_entry_copy_pathname(ae, name);
	archive_entry_set_filetype(ae, cs_tarwrite_filetype(e->type));
	archive_entry_set_perm(ae, (__LA_MODE_T)(e->mode & 07777));
	archive_entry_set_uid(ae, e->uid);
	archive_entry_set_gid(ae, e->gid);
	if (e->user != NULL)
		archive_entry_copy_uname(ae, e->user);
	if (e->group != NULL)
		archive_entry_copy_gname(ae, e->group);
	archive_entry_set_size(ae, e->type == CS_T_FILE ?
	    (la_int64_t)e->size : 0);
	archive_entry_set_mtime(ae, e->mtime.sec, e->mtime.nsec);
	if (e->have & CS_F_CTIME)
		archive_entry_set_ctime(ae, e->ctime.sec, e->ctime.nsec);
	if (e->have & CS_F_BTIME)	/* LIBARCHIVE.creationtime */
		archive_entry_set_birthtime(ae, e->btime.sec, e->btime.nsec);
	if (e->have & CS_F_NLINK)
		archive_entry_set_nlink(ae, (unsigned)e->nlink);
	if (e->have & CS_F_INO) {
		archive_entry_set_ino64(ae, (la_int64_t)e->ino);
		archive_entry_set_dev(ae, (dev_t)e->dev);
	}
	if (e->type == CS_T_LINK && e->target != NULL)
		archive_entry_copy_symlink(ae, e->target);
	if (e->type == CS_T_CHAR || e->type == CS_T_BLOCK) {
		archive_entry_set_rdevmajor(ae, e->rmajor);
		archive_entry_set_rdevminor(ae, e->rminor);
	}
	if (e->acl != NULL)
		(void)archive_entry_acl_from_text(ae, e->acl,
		    ARCHIVE_ENTRY_ACL_TYPE_ACCESS);
	if (e->dacl != NULL)
		(void)archive_entry_acl_from_text(ae, e->dacl,
		    ARCHIVE_ENTRY_ACL_TYPE_DEFAULT);
	for (i = 0; i < e->nxattrs; i++)
		archive_entry_xattr_add_entry(ae, e->xattrs[i].name,
		    e->xattrs[i].value, e->xattrs[i].len);
	if ((e->have & CS_F_IFLAGS) && e->iflags != 0)
		archive_entry_set_fflags(ae, e->iflags, 0);
	return ae;
}

struct cs_tarwrite *
cs_tarwrite_new(struct cs_outstream *os, uint64_t *members,
    struct cs_err *err)
{
	struct cs_tarwrite	*w;

	w = cs_xcalloc(1, sizeof *w);
	w->os = os;
	w->members = members;
	cs_buf_init(&w->cap);
	cs_buf_init(&w->hdr);
	w->a = archive_write_new();
	if (w->a == NULL ||
	    archive_write_set_format_pax(w->a) != ARCHIVE_OK ||
	    archive_write_set_options(w->a, "hdrcharset=BINARY") !=
	    ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(w->a, 0) != ARCHIVE_OK ||
	    archive_write_open2(w->a, w, NULL, tw_write_cb, NULL, NULL) !=
	    ARCHIVE_OK) {
		cs_err_set(err, CS_EXIT_SOFTWARE, 0, "cannot start the tar "
		    "writer: %s", w->a != NULL ? archive_error_string(w->a) :
		    "out of memory");
		cs_tarwrite_free(w);
		return NULL;
	}
	return w;
}

void
cs_tarwrite_free(struct cs_tarwrite *w)
{
	if (w == NULL)
		return;
	if (w->a != NULL)
		archive_write_free(w->a);
	cs_buf_release(&w->cap);
	cs_buf_release(&w->hdr);
	free(w);
}

int
cs_tarwrite_finish_entry(struct cs_tarwrite *w)
{
	return archive_write_finish_entry(w->a) == ARCHIVE_OK ? 0 : -1;
}

int
cs_tarwrite_close(struct cs_tarwrite *w, struct cs_err *err)
{
	if (archive_write_close(w->a) != ARCHIVE_OK)
		return cs_tarwrite_failed(w, err);
	return 0;
}
