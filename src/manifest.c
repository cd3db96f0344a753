/*
 * manifest.c: the manifest of an evidence tar (manifest.h).
 *
 * Invariants: the spool holds one baseline line per record, in the order
 * added; neither the spool nor the manifest file is ever visible in a
 * directory (O_TMPFILE, or a name unlinked at once); a spool line that
 * does not parse back is an internal error, never skipped.
 */
#include "custos/custos.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "custos/atomic.h"
#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/manifest.h"
#include "custos/xmalloc.h"

int
cs_manifest_open(struct cs_manifest *m, struct cs_err *err)
{
	if ((m->spool = tmpfile()) == NULL)
		return cs_err_set(err, CS_EXIT_CANTCREAT, errno, "cannot "
		    "create a temporary file");
	return 0;
}

void
cs_manifest_close(struct cs_manifest *m)
{
	if (m->spool != NULL)
		(void)fclose(m->spool);
	m->spool = NULL;
}

int
cs_manifest_add(struct cs_manifest *m, const struct cs_entry *e,
    struct cs_err *err)
{
	struct cs_buf	 line;
	int		 rc = 0;

	cs_buf_init(&line);
	cs_bl_format(&line, e);
	if (fwrite(line.data, 1, line.len, m->spool) != line.len)
		rc = cs_err_set(err, CS_EXIT_IOERR, errno, "cannot write the "
		    "manifest spool");
	cs_buf_release(&line);
	return rc;
}

int
cs_manifest_write(struct cs_manifest *m, const struct cs_bl_header *h,
    const struct cs_key *key, struct cs_err *err)
{
	struct cs_blw	*w = NULL;
	struct cs_entry	*e;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;
	const char	*why;
	int		 fd, rc = -1;

	e = cs_entry_new();
	if ((fd = cs_tmpfile(err)) < 0)
		goto out;
	if ((w = cs_blw_new(fd, "manifest", h, err)) == NULL)
		goto out;
	if (fflush(m->spool) != 0 || fseeko(m->spool, 0, SEEK_SET) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot read the "
		    "manifest spool");
		goto out;
	}
	while ((n = getline(&line, &cap, m->spool)) > 0) {
		if (cs_bl_parse(line, (size_t)n - 1, e, &why) != 0) {
			cs_err_set(err, CS_EXIT_SOFTWARE, 0, "manifest "
			    "spool: %s", why);
			goto out;
		}
		if (cs_blw_add(w, e, err) != 0)
			goto out;
	}
	if (cs_blw_finish(w, key, err) != 0)
		goto out;
	rc = 0;
out:
	free(line);
	cs_entry_free(e);
	cs_blw_free(w);
	if (rc != 0 && fd >= 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}
