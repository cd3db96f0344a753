/*
 * cmd_digest.c: "custos digest": the content digest of files as a
 * baseline records it, so that anyone can check a record's value.
 *
 * A file is read through its data extents (SEEK_DATA/SEEK_HOLE); holes
 * are zeros and are never read.  By default the digest is the one a
 * baseline records under the rule of cs_zdigest_wanted: the zero-run
 * digest (sha256z) for a large file mostly of holes, else SHA-256 of
 * the whole content.  --sparse asks for sha256z, --full for SHA-256,
 * whatever the file.  Each line is "FIELD=HEX  PATH", the path encoded.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/atomic.h"
#include "custos/buf.h"
#include "custos/cmd.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/readahead.h"
#include "custos/walk.h"

#define CMD_DIGEST_BUF	(256 * 1024)

enum cmd_digest_kind {
	CMD_DIGEST_AUTO,	/* what a baseline records */
	CMD_DIGEST_SPARSE,	/* sha256z */
	CMD_DIGEST_FULL		/* sha256 */
};

static const struct option cmd_digest_longopts[] = {
	{ "full", no_argument, NULL, 'f' },
	{ "sparse", no_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 }
};

/*
 * The digest of the regular file open as FD (fstat'ed into ST) into
 * OUT; *FIELD names it.  -1 with ERR filled in on a read error.
 */
static int
cmd_digest_fd(struct cs_readahead *ra, struct cs_hasher *h, int fd,
    const struct stat *st, enum cmd_digest_kind kind, const char *shown,
    const char **field, unsigned char *out, struct cs_err *err)
{
	unsigned char	 d[CS_D_COUNT][CS_DIGEST_MAXLEN];
	struct cs_entry	 e;
	uint64_t	 data, n = 0;
	int		 rc = -1;

	memset(&e, 0, sizeof e);
	e.size = (uint64_t)st->st_size;
	e.blocks = (uint64_t)st->st_blocks;
	(void)cs_readahead_extents(&ra->segs, &e, fd);
	data = cs_readahead_datalen(&ra->segs);
	if (kind == CMD_DIGEST_SPARSE || (kind == CMD_DIGEST_AUTO &&
	    cs_zdigest_wanted(e.size, data))) {
		*field = "sha256z";
		if (cs_readahead_zdigest(fd, &ra->segs, e.size,
		    cs_readahead_buf(ra, CMD_DIGEST_BUF), CMD_DIGEST_BUF,
		    out, &n) != 0) {
			cs_err_set(err, CS_EXIT_IOERR, errno,
			    "cannot read '%s'", shown);
			goto out;
		}
	} else {
		*field = cs_digest_name(CS_D_SHA256);
		cs_hasher_begin(h);
		(void)cs_readahead_content(ra, h, &e, fd, &ra->segs, NULL,
		    NULL, NULL, &n);
		if (e.error != NULL) {
			cs_err_set(err, CS_EXIT_IOERR, 0, "'%s': %s", shown,
			    e.error);
			goto out;
		}
		cs_hasher_end(h, d);
		memcpy(out, d[CS_D_SHA256], CS_ZDIGEST_LEN);
	}
	if (n != data) {
		cs_err_set(err, CS_EXIT_IOERR, 0, "'%s': changed while being "
		    "read", shown);
		goto out;
	}
	rc = 0;
out:
	free(e.error);
	return rc;
}

/* Print the digest line of the regular file PATH. */
static int
cmd_digest_file(struct cs_readahead *ra, struct cs_hasher *h,
    const char *path, enum cmd_digest_kind kind, struct cs_err *err)
{
	unsigned char	 out[CS_ZDIGEST_LEN];
	char		 hex[2 * CS_ZDIGEST_LEN + 1];
	struct stat	 st;
	struct cs_buf	 b;
	const char	*field;
	char		*shown;
	int		 fd, rc = -1;

	shown = cs_encode_dup(path);
	cs_buf_init(&b);
	fd = cs_walk_openat(AT_FDCWD, path, 0);
	if (fd < 0 || fstat(fd, &st) != 0) {
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open '%s'",
		    shown);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s' is not a regular "
		    "file", shown);
		goto out;
	}
	if (cmd_digest_fd(ra, h, fd, &st, kind, shown, &field, out,
	    err) != 0)
		goto out;
	cs_hex(out, sizeof out, hex);
	cs_buf_printf(&b, "%s=%s  ", field, hex);
	cs_encode_str(&b, path);
	cs_buf_addc(&b, '\n');
	if (cs_write_all(STDOUT_FILENO, b.data, b.len) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot write");
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	cs_buf_release(&b);
	free(shown);
	return rc;
}

static int
cmd_digest_run(int argc, char **argv, struct cs_err *err)
{
	enum cmd_digest_kind	 kind = CMD_DIGEST_AUTO;
	struct cs_readahead	 ra;
	struct cs_hasher	*h = NULL;
	int			 c, i, rc = -1;

	cs_readahead_init(&ra, 0, CS_DIGEST_DEFAULT);
	optind = 1;
	while ((c = getopt_long(argc, argv, "fs", cmd_digest_longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'f': kind = CMD_DIGEST_FULL; break;
		case 's': kind = CMD_DIGEST_SPARSE; break;
		default:
			cs_err_set(err, CS_EXIT_USAGE, 0, "bad option");
			goto out;
		}
	}
	if (optind >= argc) {
		cs_err_set(err, CS_EXIT_USAGE, 0, "expected a file");
		goto out;
	}
	if ((h = cs_hasher_new(CS_DIGEST_DEFAULT, CMD_DIGEST_BUF)) == NULL) {
		cs_err_set(err, CS_EXIT_SOFTWARE, 0, "cannot start SHA-256");
		goto out;
	}
	for (i = optind; i < argc; i++) {
		if (cmd_digest_file(&ra, h, argv[i], kind, err) != 0)
			goto out;
	}
	rc = CS_EXIT_OK;
out:
	cs_hasher_free(h);
	cs_readahead_release(&ra);
	return rc;
}

const struct cs_cmd cs_cmd_digest = {
	.name = "digest",
	.alias = NULL,
	.usage = "[--sparse | --full] FILE...",
	.summary = "print the content digest a baseline records for files",
	.help =
	    "  -s, --sparse             the zero-run digest (sha256z) of\n"
	    "                           any file\n"
	    "  -f, --full               SHA-256 of the whole content of\n"
	    "                           any file\n",
	.flags = 0,
	.run = cmd_digest_run,
};
