/*
 * tar_notes.c: what a command says about a tar it read records from
 * (tar.h): the same words from "check" and "export", so that an
 * unverified or incomplete source is never passed over in silence.
 */
#include "custos/custos.h"

#include <stdlib.h>

#include "custos/path.h"
#include "custos/tar.h"
#include "custos/tarprobe.h"
#include "custos/xmalloc.h"

size_t
cs_tar_notes(const struct cs_tar_info *info, const char *path,
    char *msg[CS_TAR_NOTES], int *incomplete)
{
	char	*shown;
	size_t	 n = 0;

	shown = cs_encode_dup(path);
	if (info->foreign) {
		msg[n++] = cs_xasprintf("UNVERIFIED EVIDENCE: '%s' is not a "
		    "custos evidence tar but a foreign %s (no custody record, "
		    "no signed manifest): nothing vouches for what it holds",
		    shown, cs_tarprobe_format_name(info->format));
		*incomplete = 1;
	} else if (!info->ev.is_signed)
		msg[n++] = cs_xasprintf("evidence '%s': signatures NOT "
		    "verified (--allow-unsigned): it is intact, but nothing "
		    "proves who made it", shown);
	if (info->ev.incomplete) {
		msg[n++] = cs_xasprintf("evidence '%s': the snapshot is "
		    "incomplete (status=incomplete)", shown);
		*incomplete = 1;
	}
	free(shown);
	return n;
}
