/*
 * cmd_verify.c: "custos verify": check a baseline's signature and its
 * whole well-formedness, and say plainly what was verified.
 *
 * The signature over the trailer is checked first, before any record is
 * parsed; then every record is parsed and the running SHA-256 compared
 * with the trailer's.  A signed file that fails to parse after its
 * signature checked out was altered after signing: that is reported as an
 * integrity failure (exit 8), like a bad signature.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/baseline.h"
#include "custos/cmd.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/evidence.h"
#include "custos/evidence_verify.h"
#include "custos/path.h"
#include "custos/progress.h"
#include "custos/sign.h"
#include "custos/xmalloc.h"

struct cmd_verify_opts {
	const char	*pubkey;
	const char	*signer;
	const char	*custody;
	uint64_t	 max_member;
	uint64_t	 max_total;
	char		 fp[CS_FP_HEXLEN + 1];
	int		 allow_unsigned;
	int		 quiet;
	const char	*file;
};

static const struct option cmd_verify_longopts[] = {
	{ "pubkey", required_argument, NULL, 'p' },
	{ "signer", required_argument, NULL, 's' },
	{ "custody", required_argument, NULL, 'c' },
	{ "allow-unsigned", no_argument, NULL, 'u' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "max-member-size", required_argument, NULL, 'M' },
	{ "max-total-size", required_argument, NULL, 'T' },
	{ NULL, 0, NULL, 0 }
};

static int
cmd_verify_parse(int argc, char **argv, struct cmd_verify_opts *o,
    struct cs_err *err)
{
	int	 c;

	memset(o, 0, sizeof *o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:s:c:q", cmd_verify_longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'p': o->pubkey = optarg; break;
		case 's': o->signer = optarg; break;
		case 'c': o->custody = optarg; break;
		case 'u': o->allow_unsigned = 1; break;
		case 'q': o->quiet = 1; break;
		case 'M':
			if (cs_evidence_limit_parse(optarg, &o->max_member, err) != 0)
				return -1;
			break;
		case 'T':
			if (cs_evidence_limit_parse(optarg, &o->max_total, err) != 0)
				return -1;
			break;
		default:
			return cs_err_set(err, CS_EXIT_USAGE, 0, "bad option");
		}
	}
	if (argc - optind != 1)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "expected exactly one file");
	o->file = argv[optind];
	if (o->signer != NULL && cs_fingerprint_parse(o->signer, o->fp) != 0)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "'%s' is not a fingerprint (64 hex digits)", o->signer);
	return 0;
}

/*
 * "key: value", the key padded to WIDTH, with the value encoded (it came
 * from the file): the one field printer of both reports.
 */
static void
cmd_verify_field(int width, const char *key, const char *value)
{
	char	*shown;

	shown = cs_encode_dup(value != NULL ? value : "(none)");
	printf("%-*s %s\n", width, key, shown);
	free(shown);
}

static void
cmd_verify_report(const struct cmd_verify_opts *o, const struct cs_blr *r,
    int sigok)
{
	const struct cs_bl_header	*h = cs_blr_header(r);
	const struct cs_bl_trailer	*tr = cs_blr_trailer(r);
	struct cs_key			*k;
	struct cs_err			 kerr;
	char				*pretty;

	if (o->quiet)
		return;
	cmd_verify_field(12, "file:", o->file);
	printf("%-12s %s\n", "format:", "custos baseline 1");
	cmd_verify_field(12, "created:", cs_bl_header_get(h, "created"));
	cmd_verify_field(12, "host:", cs_bl_header_get(h, "host"));
	cmd_verify_field(12, "root:", cs_bl_header_get(h, "root"));
	cmd_verify_field(12, "digests:", cs_bl_header_get(h, "digests"));
	cmd_verify_field(12, "tool:", cs_bl_header_get(h, "tool"));
	printf("%-12s %" PRIu64 " (%" PRIu64 " with errors)\n", "records:",
	    tr->records, tr->errors);
	if (!tr->is_signed) {
		printf("%-12s NONE: this file is not signed; it proves nothing "
		    "about who made it\n", "signature:");
		return;
	}
	printf("%-12s %s\n", "signed by:", tr->keyid);
	cs_err_init(&kerr);
	k = cs_key_from_spki(tr->pub, tr->publen, &kerr);
	if (k != NULL) {
		pretty = cs_fingerprint_pretty(cs_key_fingerprint(k));
		printf("%-12s %s\n", "fingerprint:", pretty);
		free(pretty);
	}
	cs_key_free(k);
	cs_err_release(&kerr);
	printf("%-12s %s\n", "signature:", sigok ? "good, by the trusted key" :
	    "not checked");
}

static int
cmd_verify_baseline(const struct cmd_verify_opts *o, struct cs_err *err)
{
	const struct cs_bl_trailer	*tr;
	struct cs_key			*pub = NULL;
	struct cs_blr			*r = NULL;
	struct cs_entry			*e;
	char				*shown;
	int				 n, sigok = 0, rc = -1;

	if (o->pubkey != NULL &&
	    (pub = cs_key_load_public(o->pubkey, err)) == NULL)
		goto out;
	if ((r = cs_blr_open(o->file, err)) == NULL)
		goto out;
	tr = cs_blr_trailer(r);
	if (tr->is_signed && (pub != NULL || o->signer != NULL)) {
		if (cs_bl_verify_signature(tr, pub, o->signer != NULL ?
		    o->fp : NULL, o->file, err) != 0)
			goto out;
		sigok = 1;
	}
	while ((n = cs_blr_next(r, &e, err)) == 1)
		cs_entry_free(e);
	if (n < 0) {
		/* The signer only signs well-formed files: altered since. */
		if (sigok && err->code == CS_EXIT_DATAERR)
			err->code = CS_EXIT_INTEGRITY;
		goto out;
	}
	cmd_verify_report(o, r, sigok);
	if (!tr->is_signed && !o->allow_unsigned) {
		shown = cs_encode_dup(o->file);
		cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s' is NOT SIGNED "
		    "(use --allow-unsigned to check its form only)", shown);
		free(shown);
		goto out;
	}
	if (!o->quiet)
		printf("%-12s %s\n", "result:", sigok ? "VALID" :
		    "well-formed, signature not verified");
	rc = CS_EXIT_OK;
out:
	cs_blr_close(r);
	cs_key_free(pub);
	return rc;
}

/* Progress through an evidence tar; the end clears the line. */
static void
cmd_verify_progress(void *arg, uint64_t members, uint64_t bytes)
{
	if (members == UINT64_MAX)
		cs_progress_end(arg);
	else
		cs_progress_update(arg, members, bytes);
}

/* Is signature state SIG (evidence_verify.h) good? */
static int
cmd_verify_good(const char *sig)
{
	return sig != NULL && strcmp(sig, CS_EVIDENCE_SIG_GOOD) == 0;
}

/*
 * The problems an evidence tar's verifier found, in the order found, then
 * its report (if it read the archive to its end).
 */
static void
cmd_verify_evidence_report(const struct cmd_verify_opts *o,
    const struct cs_evidence_result *res)
{
	char	 key[32], hex[65];
	size_t	 i;

	for (i = 0; i < res->nproblems; i++)
		cs_warn("verify", "%s", res->problems[i].msg);
	if (o->quiet || !res->done)
		return;
	cmd_verify_field(16, "file:", o->file);
	printf("%-16s %s\n", "format:", "custos evidence tar 1");
	for (i = 0; i < CS_EVF_COUNT; i++) {
		(void)snprintf(key, sizeof key, "%s:",
		    cs_evidence_field_name((enum cs_evidence_field)i));
		cmd_verify_field(16, key, res->field[i]);
	}
	printf("%-16s %" PRIu64 " (%" PRIu64 " manifest records)\n",
	    "members:", res->members, res->records);
	cs_hex(res->stream_sha256, sizeof res->stream_sha256, hex);
	printf("%-16s %s (%" PRIu64 " bytes)\n", "stream sha256:", hex,
	    res->size);
	/* The sidecar is the authority: its signature is the custody's. */
	cmd_verify_field(16, "custody record:", res->custody);
	printf("%-16s %s\n", "custody sig:", res->custody_sig != NULL ?
	    res->custody_sig : "not checked");
	printf("%-16s %s\n", "manifest sig:", res->manifest_sig != NULL ?
	    res->manifest_sig : "not checked");
	if (res->nproblems > 0)
		printf("%-16s %s\n", "result:", "DOES NOT VERIFY");
	else if (!cmd_verify_good(res->custody_sig))
		printf("%-16s intact, NOT AUTHENTICATED (custody record "
		    "signature: %s)\n", "result:", res->custody_sig != NULL ?
		    res->custody_sig : "not checked");
	else if (!cmd_verify_good(res->manifest_sig))
		printf("%-16s intact, NOT AUTHENTICATED (manifest signature: "
		    "%s)\n", "result:", res->manifest_sig != NULL ?
		    res->manifest_sig : "not checked");
	else
		printf("%-16s %s\n", "result:", "VALID");
}

/* An evidence tar: see evidence.h for everything that is checked. */
static int
cmd_verify_evidence(const struct cmd_verify_opts *o, struct cs_err *err)
{
	struct cs_evidence_opts	 eo;
	struct cs_evidence_result res;
	struct cs_progress	 prog;
	struct cs_key		*pub = NULL;
	struct stat		 st;
	int			 rc;

	if (o->pubkey != NULL &&
	    (pub = cs_key_load_public(o->pubkey, err)) == NULL)
		return -1;
	memset(&eo, 0, sizeof eo);
	eo.file = o->file;
	eo.custody = o->custody;
	eo.pub = pub;
	eo.fingerprint = o->signer != NULL ? o->fp : NULL;
	eo.allow_unsigned = o->allow_unsigned;
	eo.max_member = o->max_member;
	eo.max_total = o->max_total;
	cs_progress_init(&prog, "verify", o->quiet);
	/* argv[optind] */
	/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
	if (stat(o->file, &st) == 0)
		cs_progress_total(&prog, 0, (uint64_t)st.st_size);
	eo.progress = cmd_verify_progress;
	eo.progress_arg = &prog;
	cs_evidence_result_init(&res);
	rc = cs_evidence_verify_result(&eo, &res, err);
	cs_progress_end(&prog);
	cmd_verify_evidence_report(o, &res);
	cs_evidence_result_release(&res);
	cs_key_free(pub);
	return rc;
}

/* A pipe, FIFO or tape: only an evidence tar is read from one. */
static int
cmd_verify_is_stream(const char *path)
{
	struct stat	 st;

	/* argv[optind] */
	/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
	return stat(path, &st) == 0 && (S_ISFIFO(st.st_mode) ||
	    S_ISCHR(st.st_mode));
}

static int
cmd_verify_run(int argc, char **argv, struct cs_err *err)
{
	struct cmd_verify_opts	 o;

	if (cmd_verify_parse(argc, argv, &o, err) != 0)
		return -1;
	if (o.pubkey == NULL && o.signer == NULL && !o.allow_unsigned)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "no trusted key: give --pubkey or --signer");
	if (cs_evidence_is_tar(o.file) || cmd_verify_is_stream(o.file))
		return cmd_verify_evidence(&o, err);
	if (o.custody != NULL)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "--custody is for evidence tars only");
	return cmd_verify_baseline(&o, err);
}

const struct cs_cmd cs_cmd_verify = {
	.name = "verify",
	.alias = NULL,
	.usage = "--pubkey PUB | --signer FINGERPRINT [--allow-unsigned] "
	    "[--custody FILE] [--max-member-size SIZE] [--max-total-size SIZE] "
	    "[-q] FILE",
	.summary = "check a baseline or an evidence tar: signatures, digests",
	.help =
	    "  -p, --pubkey PUB         trust the public key in PUB\n"
	    "  -s, --signer FP          trust the key with fingerprint FP\n"
	    "                           (64 hex digits, spaces allowed)\n"
	    "      --allow-unsigned     accept an unsigned file (form only)\n"
	    "  -c, --custody FILE       an evidence tar's custody record\n"
	    "                           (default: EVIDENCE.tar.custody)\n"
	    "      --max-member-size SIZE  an evidence tar whose sizes no\n"
	    "                           signed manifest vouches for (a pipe\n"
	    "                           or tape): refuse a member larger\n"
	    "                           than SIZE (default 4G; 0: no limit)\n"
	    "      --max-total-size SIZE  and members larger than SIZE in\n"
	    "                           all (default 1T; 0: no limit)\n"
	    "  -q, --quiet              print nothing (no progress line\n"
	    "                           either); use the exit status\n",
	.flags = 0,
	.run = cmd_verify_run,
};
