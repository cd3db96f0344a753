/*
 * cmd_sign.c: "custos sign": sign an unsigned baseline, in place or to a
 * new file.
 *
 * The baseline is copied into the (temporary) output first, and it is that
 * copy, which nobody else can write, that is parsed in full and checked
 * against its trailer before its "#end" line is signed.  So what is signed
 * is exactly what was checked, and a malformed or altered file is never
 * signed.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/atomic.h"
#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/cmd.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/sign.h"
#include "custos/xmalloc.h"

static const struct option cmd_sign_longopts[] = {
	{ "key", required_argument, NULL, 'k' },
	{ "passphrase-file", required_argument, NULL, 'P' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 }
};

/* Copy the whole of file IN to descriptor OUT. */
static int
cmd_sign_copy(const char *in, int out, struct cs_err *err)
{
	char	 buf[65536];
	char	*shown;
	ssize_t	 n;
	int	 fd, rc = -1;

	shown = cs_encode_dup(in);
	fd = open(in, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open '%s'",
		    shown);
		goto out;
	}
	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cs_err_set(err, CS_EXIT_IOERR, errno,
			    "cannot read '%s'", shown);
			goto out;
		}
		if (n == 0)
			break;
		if (cs_write_all(out, buf, (size_t)n) != 0) {
			cs_err_set(err, CS_EXIT_IOERR, errno,
			    "cannot write a copy of '%s'", shown);
			goto out;
		}
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(shown);
	return rc;
}

/* Parse the copy at PATH of INPUT in full; returns its "#end" line. */
static int
cmd_sign_check(const char *path, const char *input, const char *shown,
    struct cs_buf *endline, struct cs_err *err)
{
	const struct cs_bl_trailer	*tr;
	struct cs_blr			*r;
	struct cs_entry			*e;
	int				 n, rc = -1;

	if ((r = cs_blr_open_as(path, input, err)) == NULL)
		return -1;
	tr = cs_blr_trailer(r);
	if (tr->is_signed) {
		cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "'%s' is already signed (by key %s)", shown, tr->keyid);
		goto out;
	}
	while ((n = cs_blr_next(r, &e, err)) == 1)
		cs_entry_free(e);
	if (n < 0)
		goto out;
	cs_buf_add(endline, tr->endline, tr->endlen);
	rc = 0;
out:
	cs_blr_close(r);
	return rc;
}

static int
cmd_sign_run(int argc, char **argv, struct cs_err *err)
{
	struct cs_atomic	 out;
	struct cs_buf		 endline, sigline;
	struct cs_key		*key = NULL;
	struct stat		 st;
	const char		*keyfile = NULL, *passfile = NULL;
	const char		*output = NULL, *input;
	char			*shown = NULL;
	int			 c, force = 0, opened = 0, rc = -1;

	cs_buf_init(&endline);
	cs_buf_init(&sigline);
	optind = 1;
	while ((c = getopt_long(argc, argv, "k:o:f", cmd_sign_longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'k': keyfile = optarg; break;
		case 'P': passfile = optarg; break;
		case 'o': output = optarg; break;
		case 'f': force = 1; break;
		default:
			return cs_err_set(err, CS_EXIT_USAGE, 0, "bad option");
		}
	}
	if (argc - optind != 1 || keyfile == NULL)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "need --key KEY and one baseline file");
	input = argv[optind];
	shown = cs_encode_dup(input);
	if ((key = cs_key_load_private(keyfile, passfile, err)) == NULL)
		goto out;
	/* In place: replace the input itself, atomically. */
	if (cs_atomic_open(&out, output != NULL ? output : input,
	    output == NULL || force, err) != 0)
		goto out;
	opened = 1;
	if (out.is_stdout) {
		cs_err_set(err, CS_EXIT_USAGE, 0,
		    "cannot sign to standard output");
		goto out;
	}
	if (cmd_sign_copy(input, out.fd, err) != 0 ||
	    cmd_sign_check(out.tmp, input, shown, &endline, err) != 0 ||
	    cs_bl_signature_line(&sigline, key, endline.data, endline.len,
	    err) != 0)
		goto out;
	if (cs_write_all(out.fd, sigline.data, sigline.len) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot write '%s'",
		    shown);
		goto out;
	}
	if (cs_atomic_commit(&out, output == NULL && stat(input, &st) == 0 ?
	    st.st_mode & 0777 : 0644, err) != 0)
		goto out;
	opened = 0;
	if (output != NULL) {
		free(shown);
		shown = cs_encode_dup(output);
	}
	printf("signed %s with key %s\n", shown, cs_key_id(key));
	rc = CS_EXIT_OK;
out:
	if (opened)
		cs_atomic_abort(&out);
	cs_key_free(key);
	cs_buf_release(&endline);
	cs_buf_release(&sigline);
	free(shown);
	return rc;
}

const struct cs_cmd cs_cmd_sign = {
	.name = "sign",
	.alias = NULL,
	.usage = "--key KEY [--passphrase-file F] [-o OUT [--force]] FILE",
	.summary = "sign an unsigned baseline, in place or into OUT",
	.help =
	    "  -k, --key KEY            the private key to sign with\n"
	    "      --passphrase-file F  read the key's passphrase from F\n"
	    "  -o, --output OUT         write the signed baseline to OUT\n"
	    "                           instead of replacing FILE\n"
	    "  -f, --force              replace OUT if it exists\n",
	.flags = CS_CMD_WRITES | CS_CMD_NEEDS_KEY,
	.run = cmd_sign_run,
};
