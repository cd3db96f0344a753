/*
 * export_mtree.c: records as a BSD mtree specification (mtree(5)).
 *
 * One full-path line per record, "./a/b type=file mode=0644 ...", as
 * NetBSD "mtree -C" writes them and "mtree -f SPEC -p ROOT" reads them;
 * the root "/" is ".".  Every name and value from the record is escaped
 * with vis(3) octal escapes that mtree's strunvis(3) decodes, so a name
 * holds no space, no newline, no comment sign and no glob character.
 * Only the keywords the record knows are written (doc/custos-export.5).
 */
#include "custos/custos.h"

#include <inttypes.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/export.h"

/* Linux inode flags with a BSD name (chflags(1)), in output order. */
static const struct {
	uint32_t	 bit;
	const char	*name;
} mtree_flags[] = {
	{ 0x00000010, "schg" },		/* FS_IMMUTABLE_FL */
	{ 0x00000020, "sappnd" },	/* FS_APPEND_FL */
	{ 0x00000040, "nodump" }	/* FS_NODUMP_FL */
};

void
cs_export_mtree_name(struct cs_buf *b, const void *p, size_t n)
{
	const unsigned char	*s = p;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (s[i] <= 0x20 || s[i] >= 0x7f ||
		    strchr("\\#=*?[]", s[i]) != NULL)
			cs_buf_printf(b, "\\%03o", s[i]);
		else
			cs_buf_addc(b, (char)s[i]);
	}
}

void
cs_export_mtree_header(struct cs_buf *b)
{
	cs_buf_adds(b, "#mtree v2.0\n");
}

/* The mtree type keyword's value. */
static const char *
mtree_type(enum cs_type t)
{
	switch (t) {
	case CS_T_DIR:		return "dir";
	case CS_T_LINK:		return "link";
	case CS_T_FIFO:		return "fifo";
	case CS_T_SOCK:		return "socket";
	case CS_T_CHAR:		return "char";
	case CS_T_BLOCK:	return "block";
	default:		return "file";
	}
}

/* " flags=...": the flags with a BSD name, or "none". */
static void
mtree_flags_kw(struct cs_buf *b, uint32_t f)
{
	size_t	 i;
	int	 any = 0;

	cs_buf_adds(b, " flags=");
	for (i = 0; i < CS_NELEM(mtree_flags); i++) {
		if ((f & mtree_flags[i].bit) == 0)
			continue;
		cs_buf_printf(b, "%s%s", any ? "," : "", mtree_flags[i].name);
		any = 1;
	}
	if (!any)
		cs_buf_adds(b, "none");
}

/* " sha256digest=..." and " sha512digest=...": the ones mtree knows. */
static void
mtree_digests(struct cs_buf *b, const struct cs_entry *e)
{
	char	 hex[2 * CS_DIGEST_MAXLEN + 1];
	int	 d;

	for (d = 0; d < CS_D_COUNT; d++) {
		if ((e->digests & (1U << d)) == 0 ||
		    (d != CS_D_SHA256 && d != CS_D_SHA512))
			continue;
		cs_hex(e->digest[d], cs_digest_len((enum cs_digest)d), hex);
		cs_buf_printf(b, " %sdigest=%s",
		    cs_digest_name((enum cs_digest)d), hex);
	}
}

/* " KEY=VALUE" with VALUE escaped; nothing if VALUE is NULL. */
static void
mtree_kw(struct cs_buf *b, const char *key, const char *value, size_t n)
{
	if (value == NULL)
		return;
	cs_buf_printf(b, " %s=", key);
	cs_export_mtree_name(b, value, n);
}

void
cs_export_mtree_line(struct cs_buf *b, const struct cs_entry *e)
{
	cs_buf_addc(b, '.');
	if (e->pathlen > 1)
		cs_export_mtree_name(b, e->path, e->pathlen);
	cs_buf_printf(b, " type=%s mode=%04" PRIo32 " uid=%" PRIu32 " gid=%"
	    PRIu32, mtree_type(e->type), e->mode & 07777, e->uid, e->gid);
	mtree_kw(b, "uname", e->user, e->user != NULL ? strlen(e->user) : 0);
	mtree_kw(b, "gname", e->group,
	    e->group != NULL ? strlen(e->group) : 0);
	if (e->have & CS_F_NLINK)
		cs_buf_printf(b, " nlink=%" PRIu64, e->nlink);
	if (e->type == CS_T_FILE)
		cs_buf_printf(b, " size=%" PRIu64, e->size);
	cs_buf_printf(b, " time=%" PRId64 ".%09" PRIu32, e->mtime.sec,
	    e->mtime.nsec);
	if (e->type == CS_T_LINK)
		mtree_kw(b, "link", e->target, e->targetlen);
	if (e->type == CS_T_CHAR || e->type == CS_T_BLOCK)
		cs_buf_printf(b, " device=native,%" PRIu32 ",%" PRIu32,
		    e->rmajor, e->rminor);
	if (e->have & CS_F_IFLAGS)
		mtree_flags_kw(b, e->iflags);
	mtree_digests(b, e);
	cs_buf_addc(b, '\n');
}
