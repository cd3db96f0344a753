/*
 * tarprobe.c: what kind of archive a file is (tarprobe.h).
 *
 * libarchive's bidders decide, as bsdtar's do: the compression filters
 * custos names (those libarchive decodes itself: no external program is
 * ever started on a file under examination) and the archive formats a
 * responder is likely to be handed.  A compressed tar is recognised only
 * to be refused by name: an evidence tar's digests are over the bytes
 * as written, and a foreign tar is decompressed by the responder, who
 * then knows what was compared.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "custos/tarprobe.h"
#include "custos/xmalloc.h"

void
cs_tarprobe_filters(struct archive *a)
{
	/* Each only if libarchive was built with the library for it. */
	if (archive_zlib_version() != NULL)
		(void)archive_read_support_filter_gzip(a);
	if (archive_bzlib_version() != NULL)
		(void)archive_read_support_filter_bzip2(a);
	if (archive_liblzma_version() != NULL) {
		(void)archive_read_support_filter_xz(a);
		(void)archive_read_support_filter_lzma(a);
		(void)archive_read_support_filter_lzip(a);
	}
	if (archive_libzstd_version() != NULL)
		(void)archive_read_support_filter_zstd(a);
	if (archive_liblz4_version() != NULL)
		(void)archive_read_support_filter_lz4(a);
	(void)archive_read_support_filter_compress(a);
}

void
cs_tarprobe_reader(struct archive *a, int ok, struct cs_tarprobe *p)
{
	const char	*s;
	int		 filtered, fmt;

	memset(p, 0, sizeof *p);
	filtered = archive_filter_count(a) > 0 &&
	    archive_filter_code(a, 0) != ARCHIVE_FILTER_NONE;
	if (filtered) {
		s = archive_filter_name(a, 0);
		(void)snprintf(p->filter, sizeof p->filter, "%s",
		    s != NULL ? s : "unknown");
	}
	fmt = ok ? archive_format(a) : 0;
	if (ok && (fmt & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR) {
		p->kind = filtered ? CS_TARPROBE_COMPRESSED : CS_TARPROBE_TAR;
		p->format = fmt;
	} else if (ok && fmt != 0) {
		p->kind = CS_TARPROBE_OTHER;
		s = archive_format_name(a);
		(void)snprintf(p->name, sizeof p->name, "%s",
		    s != NULL ? s : "unknown");
	} else
		p->kind = filtered ? CS_TARPROBE_FILTERED : CS_TARPROBE_NONE;
}

enum cs_tarprobe_kind
cs_tarprobe(const char *path, struct cs_tarprobe *p)
{
	struct archive		*a;
	struct archive_entry	*ae;
	struct stat		 st;
	int			 fd, rc;

	memset(p, 0, sizeof *p);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return p->kind;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (a = archive_read_new()) == NULL) {
		close(fd);
		return p->kind;
	}
	cs_tarprobe_filters(a);
	(void)archive_read_support_format_tar(a);
	(void)archive_read_support_format_cpio(a);
	(void)archive_read_support_format_zip(a);
	(void)archive_read_support_format_ar(a);
	(void)archive_read_support_format_7zip(a);
	(void)archive_read_support_format_iso9660(a);
	(void)archive_read_support_format_rar(a);
	(void)archive_read_support_format_rar5(a);
	if (archive_read_open_fd(a, fd, 10240) == ARCHIVE_OK) {
		rc = archive_read_next_header(a, &ae);
		cs_tarprobe_reader(a, rc >= ARCHIVE_WARN || rc == ARCHIVE_EOF,
		    p);
	} else
		cs_tarprobe_reader(a, 0, p);
	archive_read_free(a);
	close(fd);
	return p->kind;
}

const char *
cs_tarprobe_format_name(int format)
{
	switch (format) {
	case ARCHIVE_FORMAT_TAR:
		return "pre-POSIX (old-style) tar";
	case ARCHIVE_FORMAT_TAR_USTAR:
		return "POSIX ustar tar";
	case ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE:
	case ARCHIVE_FORMAT_TAR_PAX_RESTRICTED:
		return "POSIX pax tar";
	case ARCHIVE_FORMAT_TAR_GNUTAR:
		return "GNU tar";
	default:
		return "tar";
	}
}

char *
cs_tarprobe_refusal(const struct cs_tarprobe *p, const char *shown)
{
	switch (p->kind) {
	case CS_TARPROBE_COMPRESSED:
		return cs_xasprintf("'%s' is a compressed tar (%s): custos "
		    "reads uncompressed tars only (evidence digests are over "
		    "the bytes as written); decompress it first", shown,
		    p->filter);
	case CS_TARPROBE_FILTERED:
		return cs_xasprintf("'%s' is compressed (%s): decompress it "
		    "first", shown, p->filter);
	case CS_TARPROBE_OTHER:
		return cs_xasprintf("'%s' is an archive in another format "
		    "(%s), not a tar", shown, p->name);
	default:
		return NULL;
	}
}
