/*
 * tar_acl.c: the POSIX ACLs of a tar member (tar_acl.h).
 *
 * An ACL is built entry by entry through libacl (acl_create_entry,
 * acl_set_qualifier with the numeric id), never through acl_from_text,
 * which asks the name service for any qualifier that is not a number;
 * libacl keeps the entries in canonical order, and acl_to_any_text
 * with TEXT_NUMERIC_IDS gives the text a tree gives.
 *
 * The extended attribute form (linux/posix_acl_xattr.h) is a 4-byte
 * version, 2, then 8 bytes per entry: tag and permissions (16 bits
 * each) and id (32 bits), little-endian.  Everything in it is hostile
 * input: a malformed one is not used.
 */
#include "custos/custos.h"

#include <sys/acl.h>

#include <acl/libacl.h>
#include <stdint.h>
#include <stdlib.h>

#include <archive.h>
#include <archive_entry.h>

#include "custos/buf.h"
#include "custos/tar_acl.h"
#include "custos/xmalloc.h"

#define TACL_XATTR_VERSION	2

/* Tags: libarchive's, the xattr form's, libacl's; text; qualified. */
static const struct {
	int		 ae;
	unsigned	 x;
	acl_tag_t	 tag;
	const char	*name;
	int		 qual;
} tacl_tags[] = {
	{ ARCHIVE_ENTRY_ACL_USER_OBJ, 0x01, ACL_USER_OBJ, "user", 0 },
	{ ARCHIVE_ENTRY_ACL_USER, 0x02, ACL_USER, "user", 1 },
	{ ARCHIVE_ENTRY_ACL_GROUP_OBJ, 0x04, ACL_GROUP_OBJ, "group", 0 },
	{ ARCHIVE_ENTRY_ACL_GROUP, 0x08, ACL_GROUP, "group", 1 },
	{ ARCHIVE_ENTRY_ACL_MASK, 0x10, ACL_MASK, "mask", 0 },
	{ ARCHIVE_ENTRY_ACL_OTHER, 0x20, ACL_OTHER, "other", 0 },
};

/* Add to *ACL the entry of tag T (ID if it is qualified), PERM rwx=421. */
static int
tacl_add(acl_t *acl, size_t t, uint32_t id, unsigned perm)
{
	acl_entry_t	 ent;
	acl_permset_t	 ps;
	id_t		 q = id;

	if (acl_create_entry(acl, &ent) != 0 ||
	    acl_set_tag_type(ent, tacl_tags[t].tag) != 0 ||
	    (tacl_tags[t].qual && acl_set_qualifier(ent, &q) != 0) ||
	    acl_get_permset(ent, &ps) != 0 || acl_clear_perms(ps) != 0 ||
	    ((perm & 4) && acl_add_perm(ps, ACL_READ) != 0) ||
	    ((perm & 2) && acl_add_perm(ps, ACL_WRITE) != 0) ||
	    ((perm & 1) && acl_add_perm(ps, ACL_EXECUTE) != 0) ||
	    acl_set_permset(ent, ps) != 0)
		return -1;
	return 0;
}

/* libarchive's permission bits as rwx = 421. */
static unsigned
tacl_perm(int perm)
{
	return (perm & ARCHIVE_ENTRY_ACL_READ ? 4U : 0U) |
	    (perm & ARCHIVE_ENTRY_ACL_WRITE ? 2U : 0U) |
	    (perm & ARCHIVE_ENTRY_ACL_EXECUTE ? 1U : 0U);
}

/*
 * The entries of TYPE of AE into *ACL, and as text into RAW (a name
 * where there is no id), in the order of the tags in tacl_tags, which
 * is libacl's.  -1 if an entry could not go into *ACL: a name without
 * an id, or a failure.
 */
static int
tacl_entries(struct archive_entry *ae, int type, acl_t *acl,
    struct cs_buf *raw)
{
	const char	*name;
	size_t		 t;
	int		 ty, perm, tag, id, rc = 0;
	unsigned	 p;

	for (t = 0; t < CS_NELEM(tacl_tags); t++) {
		(void)archive_entry_acl_reset(ae, type);
		while (archive_entry_acl_next(ae, type, &ty, &perm, &tag, &id,
		    &name) == ARCHIVE_OK) {
			if (tag != tacl_tags[t].ae)
				continue;
			p = tacl_perm(perm);
			cs_buf_printf(raw, "%s%s:", raw->len > 0 ? "," : "",
			    tacl_tags[t].name);
			if (tacl_tags[t].qual && id >= 0)
				cs_buf_printf(raw, "%d", id);
			else if (tacl_tags[t].qual && name != NULL)
				cs_buf_adds(raw, name);	/* never looked up */
			cs_buf_printf(raw, ":%c%c%c", p & 4 ? 'r' : '-',
			    p & 2 ? 'w' : '-', p & 1 ? 'x' : '-');
			if ((tacl_tags[t].qual && id < 0) ||
			    tacl_add(acl, t, (uint32_t)id, p) != 0)
				rc = -1;
		}
	}
	return rc;
}

static uint32_t
tacl_le(const unsigned char *p, size_t n)
{
	uint32_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/* The ACL of the xattr form V (N bytes) into *ACL; -1 if malformed. */
static int
tacl_xattr(const unsigned char *v, size_t n, acl_t *acl)
{
	size_t		 t;
	unsigned	 x;

	if (n < 4 || (n - 4) % 8 != 0 || n == 4 ||
	    tacl_le(v, 4) != TACL_XATTR_VERSION)
		return -1;
	for (v += 4, n -= 4; n > 0; v += 8, n -= 8) {
		x = (unsigned)tacl_le(v, 2);
		for (t = 0; t < CS_NELEM(tacl_tags) && tacl_tags[t].x != x;
		    t++)
			;
		if (t == CS_NELEM(tacl_tags) || tacl_le(v + 2, 2) > 7 ||
		    tacl_add(acl, t, tacl_le(v + 4, 4),
		    (unsigned)tacl_le(v + 2, 2)) != 0)
			return -1;
	}
	return 0;
}

/* The canonical text of ACL; NULL for an access ACL that is the mode. */
static char *
tacl_text(acl_t acl, int access)
{
	char	*t, *out;

	if (access && acl_equiv_mode(acl, NULL) == 0)
		return NULL;
	if ((t = acl_to_any_text(acl, NULL, ',', TEXT_NUMERIC_IDS)) == NULL)
		return NULL;
	out = cs_xstrdup(t);
	acl_free(t);
	return out;
}

char *
cs_tar_acl_xattr(const void *v, size_t n, int access)
{
	acl_t	 acl;
	char	*out = NULL;

	if ((acl = acl_init(5)) == NULL)
		return NULL;
	if (tacl_xattr(v, n, &acl) == 0)
		out = tacl_text(acl, access);
	acl_free(acl);
	return out;
}

char *
cs_tar_acl(struct archive_entry *ae, int type, const void *xv, size_t xn)
{
	struct cs_buf	 raw;
	acl_t		 acl = NULL;
	char		*out = NULL;
	int		 access = type == ARCHIVE_ENTRY_ACL_TYPE_ACCESS;

	if (archive_entry_acl_reset(ae, type) <= 0)
		return NULL;
	cs_buf_init(&raw);
	if ((acl = acl_init(5)) == NULL)
		goto out;
	if (tacl_entries(ae, type, &acl, &raw) == 0) {
		out = tacl_text(acl, access);
		goto out;
	}
	if (xv != NULL && (out = cs_tar_acl_xattr(xv, xn, access)) != NULL)
		goto out;
	out = cs_xstrdup(cs_buf_str(&raw));	/* shown as it is */
out:
	if (acl != NULL)
		acl_free(acl);
	cs_buf_release(&raw);
	return out;
}
