/*
 * cmd_export.c: "custos export": a source's records in a format other
 * tools read (an mtree specification, a Sleuth Kit body file, JSON Lines).
 *
 * The source is opened as "check" opens one: a directory is walked, a
 * baseline is verified in full against the trusted key before its
 * records are read, an evidence tar is verified before any record is
 * believed (a foreign tar is read but said to be unverified).  The output
 * appears atomically; a run that fails leaves no file.
 */
#include "custos/custos.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custos/atomic.h"
#include "custos/cmd.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/evidence_verify.h"
#include "custos/export.h"
#include "custos/path.h"
#include "custos/pipe.h"
#include "custos/sign.h"
#include "custos/sink.h"
#include "custos/source.h"
#include "custos/tar.h"
#include "custos/trust.h"
#include "custos/xmalloc.h"

#define EXPORT_OPT_UNSIGNED	0x201
#define EXPORT_OPT_CUSTODY	0x202
#define EXPORT_OPT_MAXMEMBER	0x203
#define EXPORT_OPT_MAXTOTAL	0x204

struct cmd_export_opts {
	int		 format;	/* enum cs_export_format */
	const char	*output;
	const char	*source;
	const char	*pubkey;
	const char	*signer;
	char		 fp[CS_FP_HEXLEN + 1];
	int		 allow_unsigned;
	const char	*custody;
	int		 digest;	/* enum cs_digest, or -1 */
	int		 force;
	int		 quiet;
	uint64_t	 max_member;	/* a tar's members: evidence.h */
	uint64_t	 max_total;
};

static const struct option cmd_export_longopts[] = {
	{ "format", required_argument, NULL, 'F' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "digest", required_argument, NULL, 'd' },
	{ "pubkey", required_argument, NULL, 'p' },
	{ "signer", required_argument, NULL, 's' },
	{ "allow-unsigned", no_argument, NULL, EXPORT_OPT_UNSIGNED },
	{ "custody", required_argument, NULL, EXPORT_OPT_CUSTODY },
	{ "quiet", no_argument, NULL, 'q' },
	{ "max-member-size", required_argument, NULL, EXPORT_OPT_MAXMEMBER },
	{ "max-total-size", required_argument, NULL, EXPORT_OPT_MAXTOTAL },
	{ NULL, 0, NULL, 0 }
};

static int
cmd_export_option(int c, struct cmd_export_opts *o, struct cs_err *err)
{
	switch (c) {
	case 'F':
		if ((o->format = cs_export_lookup(optarg)) < 0)
			return cs_err_set(err, CS_EXIT_USAGE, 0, "bad format "
			    "'%s' (mtree, bodyfile or json)", optarg);
		break;
	case 'o': o->output = optarg; break;
	case 'f': o->force = 1; break;
	case 'd':
		if ((o->digest = cs_digest_lookup(optarg,
		    strlen(optarg))) < 0)
			return cs_err_set(err, CS_EXIT_USAGE, 0, "bad digest "
			    "'%s' (sha256, sha512, sha3-256 or blake2b512)",
			    optarg);
		break;
	case 'p': o->pubkey = optarg; break;
	case 's': o->signer = optarg; break;
	case EXPORT_OPT_UNSIGNED: o->allow_unsigned = 1; break;
	case EXPORT_OPT_CUSTODY: o->custody = optarg; break;
	case 'q': o->quiet = 1; break;
	case EXPORT_OPT_MAXMEMBER:
		return cs_evidence_limit_parse(optarg, &o->max_member, err);
	case EXPORT_OPT_MAXTOTAL:
		return cs_evidence_limit_parse(optarg, &o->max_total, err);
	default:
		return cs_err_set(err, CS_EXIT_USAGE, 0, "bad option");
	}
	return 0;
}

static int
cmd_export_parse(int argc, char **argv, struct cmd_export_opts *o,
    struct cs_err *err)
{
	int	 c;

	memset(o, 0, sizeof *o);
	o->format = -1;
	o->digest = -1;
	o->output = "-";
	optind = 1;
	while ((c = getopt_long(argc, argv, "F:o:fd:p:s:q",
	    cmd_export_longopts, NULL)) != -1) {
		if (cmd_export_option(c, o, err) != 0)
			return -1;
	}
	if (o->format < 0)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "no format: give --format mtree, bodyfile or json");
	if (argc - optind != 1)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "expected exactly one source");
	o->source = argv[optind];
	if (o->signer != NULL && cs_fingerprint_parse(o->signer, o->fp) != 0)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "'%s' is not a fingerprint (64 hex digits)", o->signer);
	return 0;
}

/* The source: a directory, a baseline, or a tar (a file, pipe or tape). */
static struct cs_source *
cmd_export_source(const struct cmd_export_opts *o, struct cs_trust *t,
    struct cs_err *err)
{
	struct cs_trust_opts	 to;
	struct cs_source	*s;
	size_t			 i;

	memset(&to, 0, sizeof to);
	to.pubkey = o->pubkey;
	to.fingerprint = o->signer != NULL ? o->fp : NULL;
	to.allow_unsigned = o->allow_unsigned;
	to.custody = o->custody;
	to.digests = o->digest >= 0 ? 1U << o->digest : CS_DIGEST_DEFAULT;
	to.max_member = o->max_member;
	to.max_total = o->max_total;
	s = cs_trust_open(o->source, &to, t, err);
	for (i = 0; i < t->nnotes; i++)
		cs_warn("export", "%s", t->notes[i]);
	return s;
}

/* Report an incomplete record on stderr, path escaped. */
static void
cmd_export_warn(void *arg, const struct cs_entry *e)
{
	char	*p, *why;

	(void)arg;
	p = cs_encode_dup(e->path);
	why = cs_encode_dup(e->error);
	cs_warn("export", "'%s': %s", p, why);
	free(why);
	free(p);
}

static void
cmd_export_summary(const struct cmd_export_opts *o,
    const struct cs_pipe_stats *ps)
{
	char	*out;

	if (o->quiet)
		return;
	out = cs_encode_dup(o->output);
	fprintf(stderr, "%s: export: %" PRIu64 " records, %" PRIu64
	    " errors -> %s\n", CS_PROGNAME, ps->records, ps->errors,
	    strcmp(o->output, "-") == 0 ? "standard output" : out);
	free(out);
}

static int
cmd_export_run(int argc, char **argv, struct cs_err *err)
{
	struct cmd_export_opts	 o;
	struct cs_trust		 st;
	struct cs_export_opts	 eo;
	struct cs_atomic	 out;
	struct cs_source	*src = NULL;
	struct cs_sink		*sink = NULL;
	struct cs_pipe_skip	 skip[2];
	struct cs_pipe_opts	 po;
	struct cs_pipe_stats	 ps;
	size_t			 i;
	int			 rc = -1, opened = 0;

	memset(&po, 0, sizeof po);
	cs_trust_init(&st);
	if (cmd_export_parse(argc, argv, &o, err) != 0 ||
	    cs_atomic_open(&out, o.output, o.force, err) != 0)
		goto out;
	opened = 1;
	po.skip = skip;
	/* our own output is not part of a tree's records */
	po.nskip = cs_pipe_skip_output(&out, o.output, skip);
	po.error = cmd_export_warn;
	if ((src = cmd_export_source(&o, &st, err)) == NULL)
		goto out;
	if (st.kind != CS_TRUST_TREE)
		po.nskip = 0;	/* a record's inode is another system's */
	memset(&eo, 0, sizeof eo);
	eo.fd = out.fd;
	eo.name = o.output;
	eo.digests = o.digest >= 0 ? 1U << o.digest : ~0U;
	eo.body_digest = o.digest;
	sink = cs_sink_export((enum cs_export_format)o.format, &eo);
	if (cs_pipe_run(src, sink, &po, &ps, err) != 0 ||
	    cs_atomic_commit(&out, 0644, err) != 0)
		goto out;
	opened = 0;
	cmd_export_summary(&o, &ps);
	rc = ps.errors > 0 || st.incomplete ? CS_EXIT_INCOMPLETE : CS_EXIT_OK;
out:
	for (i = 0; i < st.evres.nproblems; i++)
		cs_warn("export", "%s", st.evres.problems[i].msg);
	if (opened)
		cs_atomic_abort(&out);
	cs_sink_free(sink);
	cs_source_free(src);
	cs_trust_release(&st);
	return rc;
}

const struct cs_cmd cs_cmd_export = {
	.name = "export",
	.alias = NULL,
	.usage = "--format mtree|bodyfile|json [-o FILE [-f]] "
	    "[--digest NAME] [--pubkey PUB | --signer FP | --allow-unsigned] "
	    "[--custody FILE] [--max-member-size SIZE] "
	    "[--max-total-size SIZE] [-q] SOURCE",
	.summary = "write records as mtree, a body file or JSON Lines",
	.help =
	    "  -F, --format FMT         mtree (an mtree(5) specification),\n"
	    "                           bodyfile (The Sleuth Kit's, for\n"
	    "                           mactime) or json (JSON Lines)\n"
	    "  -o, --output FILE        write to FILE ('-': standard output,\n"
	    "                           the default)\n"
	    "  -f, --force              replace FILE if it exists\n"
	    "  -d, --digest NAME        export only the digest NAME (and\n"
	    "                           compute it for a directory); bodyfile:\n"
	    "                           put it in the first column\n"
	    "  -p, --pubkey PUB         trust the public key in PUB\n"
	    "  -s, --signer FP          trust the key with fingerprint FP\n"
	    "      --allow-unsigned     accept an unsigned baseline or tar\n"
	    "      --custody FILE       an evidence tar's custody record\n"
	    "                           (default: SOURCE.custody)\n"
	    "      --max-member-size SIZE  a tar whose sizes no signed\n"
	    "                           manifest vouches for: refuse a member\n"
	    "                           larger than SIZE (default 4G; 0: no\n"
	    "                           limit)\n"
	    "      --max-total-size SIZE  and members larger than SIZE in\n"
	    "                           all (default 1T; 0: no limit)\n"
	    "  -q, --quiet              no summary on standard error\n",
	.flags = CS_CMD_WRITES,
	.run = cmd_export_run,
};
