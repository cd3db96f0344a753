/*
 * export_bodyfile.c: records as a Sleuth Kit 3.x body file.
 *
 * One line per record,
 * "MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime",
 * as fls(1) -m writes it and mactime(1) reads it.  custos keeps no MD5:
 * the first column holds the digest asked for (hex), else "0".  Names are
 * escaped so that mactime shows them on one line (export.h); a symbolic
 * link's name is followed by " -> TARGET" as fls writes it.  Times the record does not
 * carry (the access time, a ctime or birth time a source lacks) are 0.
 */
#include "custos/custos.h"

#include <inttypes.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/export.h"

void
cs_export_body_name(struct cs_buf *b, const void *p, size_t n)
{
	const unsigned char	*s = p;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			cs_buf_printf(b, "\\x%02x", s[i]);
		else if (s[i] > 0x7f || strchr("%|\\", s[i]) != NULL)
			cs_buf_printf(b, "%%%02X", s[i]);
		else
			cs_buf_addc(b, (char)s[i]);
	}
}

/* The Sleuth Kit's letter for a type (tsk_fs_meta_type_str). */
static char
body_type(enum cs_type t)
{
	switch (t) {
	case CS_T_FILE:		return 'r';
	case CS_T_DIR:		return 'd';
	case CS_T_LINK:		return 'l';
	case CS_T_FIFO:		return 'p';
	case CS_T_SOCK:		return 's';
	case CS_T_CHAR:		return 'c';
	case CS_T_BLOCK:	return 'b';
	default:		return '-';
	}
}

void
cs_export_body_mode(struct cs_buf *b, const struct cs_entry *e)
{
	static const char	 rwx[] = "rwxrwxrwx";
	char			 s[13];
	uint32_t		 m = e->mode;
	int			 i;

	s[0] = s[2] = body_type(e->type);
	s[1] = '/';
	for (i = 0; i < 9; i++)
		s[3 + i] = (m & (0400U >> i)) ? rwx[i] : '-';
	if (m & 04000)
		s[5] = (m & 0100) ? 's' : 'S';
	if (m & 02000)
		s[8] = (m & 0010) ? 's' : 'S';
	if (m & 01000)
		s[11] = (m & 0001) ? 't' : 'T';
	s[12] = '\0';
	cs_buf_adds(b, s);
}

void
cs_export_body_line(struct cs_buf *b, const struct cs_entry *e, int digest)
{
	char	 hex[2 * CS_DIGEST_MAXLEN + 1];

	if (digest >= 0 && (e->digests & (1U << digest))) {
		cs_hex(e->digest[digest],
		    cs_digest_len((enum cs_digest)digest), hex);
		cs_buf_adds(b, hex);
	} else
		cs_buf_addc(b, '0');
	cs_buf_addc(b, '|');
	cs_export_body_name(b, e->path, e->pathlen);
	if (e->type == CS_T_LINK && e->target != NULL) {
		cs_buf_adds(b, " -> ");
		cs_export_body_name(b, e->target, e->targetlen);
	}
	cs_buf_printf(b, "|%" PRIu64 "|", (e->have & CS_F_INO) ? e->ino : 0);
	cs_export_body_mode(b, e);
	cs_buf_printf(b, "|%" PRIu32 "|%" PRIu32 "|%" PRIu64 "|0|%" PRId64
	    "|%" PRId64 "|%" PRId64 "\n", e->uid, e->gid, e->size,
	    e->mtime.sec, (e->have & CS_F_CTIME) ? e->ctime.sec : 0,
	    (e->have & CS_F_BTIME) ? e->btime.sec : 0);
}
