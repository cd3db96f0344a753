/*
 * cmd_custody.c: "custos custody-sheet": the printable custody sheet of a
 * custody record (custody.h).
 *
 * The record's own digest is checked before anything is printed, so a
 * sheet is never made from an altered or truncated record; its signature
 * is checked too when a trusted key is given.
 */
#include "custos/custos.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/atomic.h"
#include "custos/buf.h"
#include "custos/cmd.h"
#include "custos/custody.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/sign.h"
#include "custos/xmalloc.h"

struct cmd_custody_opts {
	const char	*output;
	const char	*pubkey;
	const char	*signer;
	char		 fp[CS_FP_HEXLEN + 1];
	const char	*file;
};

static const struct option cmd_custody_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "pubkey", required_argument, NULL, 'p' },
	{ "signer", required_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 }
};

static int
cmd_custody_parse(int argc, char **argv, struct cmd_custody_opts *o,
    struct cs_err *err)
{
	int	 c;

	memset(o, 0, sizeof *o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:p:s:", cmd_custody_longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'p': o->pubkey = optarg; break;
		case 's': o->signer = optarg; break;
		default:
			return cs_err_set(err, CS_EXIT_USAGE, 0, "bad option");
		}
	}
	if (argc - optind != 1)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "expected exactly one custody record");
	o->file = argv[optind];
	if (o->signer != NULL && cs_fingerprint_parse(o->signer, o->fp) != 0)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "'%s' is not a fingerprint (64 hex digits)", o->signer);
	if (o->output == NULL)
		o->output = "-";
	return 0;
}

static int
cmd_custody_run(int argc, char **argv, struct cs_err *err)
{
	struct cmd_custody_opts	 o;
	struct cs_custody	 c;
	struct cs_atomic	 out;
	struct cs_key		*pub = NULL;
	struct cs_buf		 b;
	int			 rc = -1, opened = 0, verified = 0;

	memset(&c, 0, sizeof c);
	cs_buf_init(&b);
	if (cmd_custody_parse(argc, argv, &o, err) != 0)
		goto out;
	if (o.pubkey != NULL &&
	    (pub = cs_key_load_public(o.pubkey, err)) == NULL)
		goto out;
	if (cs_atomic_open(&out, o.output, 0, err) != 0)
		goto out;
	opened = 1;
	if (cs_custody_load(&c, o.file, err) != 0)
		goto out;
	if (pub != NULL || o.signer != NULL) {
		if (cs_custody_verify(&c, pub, o.signer != NULL ? o.fp : NULL,
		    o.file, err) != 0)
			goto out;
		verified = 1;
	}
	cs_custody_sheet(&b, &c, !verified ? NULL : pub != NULL ?
	    cs_key_fingerprint(pub) : o.fp);
	if (cs_write_all(out.fd, b.data, b.len) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot write the sheet");
		goto out;
	}
	if (cs_atomic_commit(&out, 0644, err) != 0)
		goto out;
	opened = 0;
	rc = CS_EXIT_OK;
out:
	if (opened)
		cs_atomic_abort(&out);
	cs_custody_release(&c);
	cs_key_free(pub);
	cs_buf_release(&b);
	return rc;
}

const struct cs_cmd cs_cmd_custody_sheet = {
	.name = "custody-sheet",
	.alias = NULL,
	.usage = "[--pubkey PUB | --signer FP] [-o SHEET] FILE.custody",
	.summary = "print the custody sheet of a snapshot's custody record",
	.help =
	    "  -o, --output SHEET       write to SHEET (default: standard\n"
	    "                           output); never replaces a file\n"
	    "  -p, --pubkey PUB         also check the record's signature\n"
	    "  -s, --signer FP          ... by the key with fingerprint FP\n",
	.flags = CS_CMD_WRITES,
	.run = cmd_custody_run,
};
