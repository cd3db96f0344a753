/*
 * cmd_keygen.c: "custos keygen": create an Ed25519 key pair, PREFIX.key
 * and PREFIX.pub, and print its key id and fingerprint.
 *
 * The fingerprint is printed in groups of four hex digits so that it can
 * be copied onto paper and typed back later for --signer.  Existing files
 * are checked before the passphrase is asked for, so nobody types a
 * passphrase twice only to be told the key already exists.
 */
#include "custos/custos.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "custos/cmd.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/sign.h"
#include "custos/xmalloc.h"

static const struct option cmd_keygen_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "no-passphrase", no_argument, NULL, 'n' },
	{ "passphrase-file", required_argument, NULL, 'P' },
	{ NULL, 0, NULL, 0 }
};

/* Print where the key went and how to recognise it. */
static void
cmd_keygen_print(const char *prefix, int encrypted, const struct cs_key *key)
{
	char	*path, *keyshown, *pubshown, *pretty;

	path = cs_xasprintf("%s.key", prefix);
	keyshown = cs_encode_dup(path);
	free(path);
	path = cs_xasprintf("%s.pub", prefix);
	pubshown = cs_encode_dup(path);
	free(path);
	pretty = cs_fingerprint_pretty(cs_key_fingerprint(key));
	printf("private key: %s (%s)\n", keyshown,
	    encrypted ? "encrypted" : "not encrypted");
	printf("public key:  %s\n", pubshown);
	printf("key id:      %s\n", cs_key_id(key));
	printf("fingerprint: %s\n", pretty);
	free(pretty);
	free(pubshown);
	free(keyshown);
}

static int
cmd_keygen_run(int argc, char **argv, struct cs_err *err)
{
	struct cs_key	*key = NULL;
	const char	*prefix = NULL, *passfile = NULL;
	char		*pass = NULL, *shown = NULL;
	int		 c, nopass = 0, rc = -1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", cmd_keygen_longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'o':
			prefix = optarg;
			break;
		case 'n':
			nopass = 1;
			break;
		case 'P':
			passfile = optarg;
			break;
		default:
			cs_err_set(err, CS_EXIT_USAGE, 0, "bad option");
			goto out;
		}
	}
	if (optind < argc) {
		shown = cs_encode_dup(argv[optind]);
		cs_err_set(err, CS_EXIT_USAGE, 0, "unexpected argument '%s'",
		    shown);
		goto out;
	}
	if (prefix == NULL) {
		cs_err_set(err, CS_EXIT_USAGE, 0, "need -o PREFIX");
		goto out;
	}
	if (nopass && passfile != NULL) {
		cs_err_set(err, CS_EXIT_USAGE, 0, "--no-passphrase and "
		    "--passphrase-file cannot be used together");
		goto out;
	}
	if (cs_keygen_check(prefix, err) != 0)
		goto out;
	if (!nopass && cs_passphrase_get(passfile,
	    "passphrase for the new key: ", 1, &pass, err) != 0)
		goto out;
	if ((key = cs_keygen(prefix, pass, err)) == NULL)
		goto out;
	cmd_keygen_print(prefix, pass != NULL, key);
	rc = CS_EXIT_OK;
out:
	cs_key_free(key);
	cs_passphrase_free(pass);
	free(shown);
	return rc;
}

const struct cs_cmd cs_cmd_keygen = {
	.name = "keygen",
	.alias = NULL,
	.usage = "-o PREFIX [--no-passphrase | --passphrase-file F]",
	.summary = "create an Ed25519 key pair PREFIX.key and PREFIX.pub",
	.help =
	    "  -o, --output PREFIX      write the private key to PREFIX.key\n"
	    "                           (mode 0600) and the public key to\n"
	    "                           PREFIX.pub; neither may exist\n"
	    "      --no-passphrase      leave the private key unencrypted\n"
	    "      --passphrase-file F  encrypt the private key with the\n"
	    "                           first line of F instead of asking\n"
	    "                           on the terminal\n",
	.flags = CS_CMD_WRITES,
	.run = cmd_keygen_run,
};
