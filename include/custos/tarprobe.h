/*
 * tarprobe.h: what kind of archive a file is, by libarchive's own
 * format and filter detection (the bidders), not by a magic at one
 * offset: a tar in one of its formats, a compressed tar, another
 * archive, or none.  Only the first header is read.
 */
#ifndef CUSTOS_TARPROBE_H
#define CUSTOS_TARPROBE_H

#include <stdint.h>

enum cs_tarprobe_kind {
	CS_TARPROBE_NONE,	/* no archive libarchive knows */
	CS_TARPROBE_TAR,	/* a tar (any format), uncompressed */
	CS_TARPROBE_COMPRESSED,	/* a compressed tar */
	CS_TARPROBE_FILTERED,	/* compressed, but not a tar inside */
	CS_TARPROBE_OTHER	/* another archive format (cpio, zip...) */
};

struct cs_tarprobe {
	enum cs_tarprobe_kind kind;
	int		 format;	/* libarchive's ARCHIVE_FORMAT_* */
	char		 filter[32];	/* the compression, "" if none */
	char		 name[64];	/* the other archive format */
};

struct archive;

/*
 * Probe the regular file PATH (anything else is CS_TARPROBE_NONE).
 * Returns the kind, also in *P.
 */
enum cs_tarprobe_kind cs_tarprobe(const char *, struct cs_tarprobe *);
/*
 * Why a probed file cannot be read as a tar, as a heap string naming
 * SHOWN (an encoded path), or NULL if it can.
 */
char		*cs_tarprobe_refusal(const struct cs_tarprobe *, const char *);
/* What libarchive's tar format code FORMAT is, in words. */
const char	*cs_tarprobe_format_name(int);
/*
 * Register the compression filters custos recognises (to name them,
 * never to read through them) on reader A.
 */
void		 cs_tarprobe_filters(struct archive *);
/* A probe of reader A, open on a stream, after its first header. */
void		 cs_tarprobe_reader(struct archive *, int, struct cs_tarprobe *);

#endif /* CUSTOS_TARPROBE_H */
