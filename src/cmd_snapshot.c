/*
 * cmd_snapshot.c: "custos snapshot": write a write-once evidence tar of
 * one tree with its custody record (snapshot.h).
 *
 * The key is loaded first, so a wrong passphrase fails before anything is
 * created.  At the end the label, the stream digest and the protections
 * obtained are printed, ready to be copied onto the medium; they go to
 * standard error when the archive itself goes to standard output.
 */
#include "custos/custos.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/cmd.h"
#include "custos/digest.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/pipe.h"
#include "custos/progress.h"
#include "custos/sign.h"
#include "custos/sink.h"
#include "custos/snapshot.h"
#include "custos/source.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

struct cmd_snapshot_opts {
	struct cs_snap_opts	 snap;
	const char		*keyfile;
	const char		*passfile;
	const char		**excludes;
	int			 quiet;
};

static const struct option cmd_snapshot_longopts[] = {
	{ "case", required_argument, NULL, 'C' },
	{ "label", required_argument, NULL, 'L' },
	{ "operator", required_argument, NULL, 'O' },
	{ "note", required_argument, NULL, 'N' },
	{ "key", required_argument, NULL, 'k' },
	{ "passphrase-file", required_argument, NULL, 'P' },
	{ "digest", required_argument, NULL, 'd' },
	{ "exclude", required_argument, NULL, 'x' },
	{ "custody", required_argument, NULL, 'c' },
	{ "block-size", required_argument, NULL, 'b' },
	{ "verify-after", no_argument, NULL, 'V' },
	{ "cross-filesystems", no_argument, NULL, 'X' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

/* A positive number up to MAX, with an optional k or M suffix. */
static int
cmd_snapshot_number(const char *s, unsigned long max, size_t *out,
    struct cs_err *err)
{
	char		*end;
	unsigned long	 n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (*end == 'k' || *end == 'K') {
		n *= 1024;
		end++;
	} else if (*end == 'M') {
		n *= 1024 * 1024;
		end++;
	}
	if (errno != 0 || *end != '\0' || n == 0 || n > max || *s == '-')
		return cs_err_set(err, CS_EXIT_USAGE, 0, "bad number '%s'", s);
	*out = (size_t)n;
	return 0;
}

/* The required text options must be there and not empty. */
static int
cmd_snapshot_required(const struct cmd_snapshot_opts *o, struct cs_err *err)
{
	if (o->snap.case_id == NULL || *o->snap.case_id == '\0')
		return cs_err_set(err, CS_EXIT_USAGE, 0, "--case is required");
	if (o->snap.label == NULL || *o->snap.label == '\0')
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "--label is required");
	if (o->snap.operator_name == NULL || *o->snap.operator_name == '\0')
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "--operator is required");
	if (o->snap.output == NULL)
		return cs_err_set(err, CS_EXIT_USAGE, 0, "-o OUT is required");
	if (strcmp(o->snap.output, "-") == 0 && o->snap.custody == NULL)
		return cs_err_set(err, CS_EXIT_USAGE, 0, "with -o -, the "
		    "custody record needs --custody FILE");
	return 0;
}

static int
cmd_snapshot_parse(int argc, char **argv, struct cmd_snapshot_opts *o,
    struct cs_err *err)
{
	size_t	 nx = 0, n = 0;
	int	 c;

	memset(o, 0, sizeof *o);
	o->snap.digests = CS_DIGEST_DEFAULT;
	o->snap.block_size = CS_SNAP_BLOCK;
	o->excludes = cs_xcalloc((size_t)argc + 1, sizeof *o->excludes);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:k:d:x:j:b:c:q",
	    cmd_snapshot_longopts, NULL)) != -1) {
		switch (c) {
		case 'C': o->snap.case_id = optarg; break;
		case 'L': o->snap.label = optarg; break;
		case 'O': o->snap.operator_name = optarg; break;
		case 'N': o->snap.note = optarg; break;
		case 'k': o->keyfile = optarg; break;
		case 'P': o->passfile = optarg; break;
		case 'd':
			if (cs_digest_parse_list(optarg, &o->snap.digests,
			    err) != 0)
				return -1;
			break;
		case 'x': o->excludes[nx++] = optarg; break;
		case 'c': o->snap.custody = optarg; break;
		case 'b':
			if (cmd_snapshot_number(optarg, 1UL << 24,
			    &o->snap.block_size, err) != 0)
				return -1;
			break;
		case 'V': o->snap.verify_after = 1; break;
		case 'X': o->snap.cross_fs = 1; break;
		case 'j':
			if (cmd_snapshot_number(optarg, 1024, &n, err) != 0)
				return -1;
			o->snap.jobs = (int)n;
			break;
		case 'o': o->snap.output = optarg; break;
		case 'q': o->quiet = 1; break;
		default:
			return cs_err_set(err, CS_EXIT_USAGE, 0, "bad option");
		}
	}
	if (argc - optind != 1)
		return cs_err_set(err, CS_EXIT_USAGE, 0, "expected exactly "
		    "one PATH (one tree per archive)");
	o->snap.root = argv[optind];
	o->snap.excludes = o->excludes;
	o->snap.nexcludes = nx;
	o->snap.argc = argc;
	o->snap.argv = argv;
	return cmd_snapshot_required(o, err);
}

/* The label to copy onto the medium. */
static void
cmd_snapshot_label(const struct cmd_snapshot_opts *o,
    const struct cs_snap_result *r)
{
	FILE	*f = strcmp(o->snap.output, "-") == 0 ? stderr : stdout;
	char	 hex[2 * CS_DIGEST_MAXLEN + 1];
	char	*v;
	int	 d;

	if (o->quiet)
		return;
	v = cs_encode_dup(o->snap.case_id);
	fprintf(f, "case:        %s\n", v);
	free(v);
	v = cs_encode_dup(o->snap.label);
	fprintf(f, "label:       %s\n", v);
	free(v);
	v = cs_encode_dup(o->snap.output);
	fprintf(f, "output:      %s\n", v);
	free(v);
	v = cs_encode_dup(r->custody);
	fprintf(f, "custody:     %s\n", v);
	free(v);
	fprintf(f, "objects:     %" PRIu64 " (%" PRIu64 " unreadable), "
	    "%" PRIu64 " bytes of content\n", r->objects, r->errors,
	    r->bytes);
	fprintf(f, "stream size: %" PRIu64 "\n", r->stream_size);
	for (d = 0; d < CS_D_COUNT; d++) {
		if ((r->stream_digests & (1U << d)) == 0)
			continue;
		cs_hex(r->stream[d], cs_digest_len((enum cs_digest)d), hex);
		fprintf(f, "%-12s %s\n", cs_digest_name((enum cs_digest)d),
		    hex);
	}
	fprintf(f, "protection:  %s\n", r->protection != NULL ?
	    r->protection : "none");
	if (r->verified != 0)
		fprintf(f, "read back:   %s\n", r->verified > 0 ?
		    "stream digest matches" : "MISMATCH");
	fprintf(f, "status:      %s\n", r->status == CS_SNAP_COMPLETE ?
	    "complete" : "INCOMPLETE: some objects could not be read");
}

/* An object that could not be read, said as it happens. */
static void
cmd_snapshot_warn(void *arg, const char *line)
{
	(void)arg;
	cs_warn("snapshot", "%s", line);
}

/* Progress: records from the driver, bytes as the sink read them. */
struct cmd_snapshot_prog {
	struct cs_progress	 prog;
	const struct cs_snap_result *res;
};

static void
cmd_snapshot_progress(void *arg, uint64_t records, uint64_t bytes)
{
	struct cmd_snapshot_prog *p = arg;

	(void)bytes;
	cs_progress_cb(&p->prog, records, p->res->bytes);
}

static int
cmd_snapshot_run(int argc, char **argv, struct cs_err *err)
{
	struct cmd_snapshot_opts o;
	struct cmd_snapshot_prog prog;
	struct cs_snap_result	 r;
	struct cs_walk_opts	 wo;
	struct cs_pipe_skip	 skip[1];
	struct cs_pipe_opts	 po;
	struct cs_key		*key = NULL;
	struct cs_sink		*sink = NULL;
	struct cs_source	*src = NULL;
	int			 rc = -1, n;

	memset(&r, 0, sizeof r);
	memset(&po, 0, sizeof po);
	if (cmd_snapshot_parse(argc, argv, &o, err) != 0)
		goto out;
	if (o.keyfile != NULL &&
	    (key = cs_key_load_private(o.keyfile, o.passfile, err)) == NULL)
		goto out;
	o.snap.key = key;
	o.snap.warn = cmd_snapshot_warn;
	cs_progress_init(&prog.prog, "snapshot", o.quiet);
	cs_progress_estimate(&prog.prog, o.snap.root);
	prog.res = &r;
	po.progress = cmd_snapshot_progress;
	po.progress_arg = &prog;
	po.skip = skip;
	po.stop = cs_cmd_catch();

	/* Open the sink (it creates the output), the source; run. */
	cs_snapshot_walk_opts(&o.snap, &wo);
	n = -1;
	if ((sink = cs_sink_snapshot(&o.snap, &r, skip, &po.nskip, err)) !=
	    NULL && (src = cs_source_tree(&wo, err)) != NULL)
		n = cs_pipe_run(src, sink, &po, NULL, err);
	cs_source_free(src);
	cs_sink_free(sink);
	cs_progress_end(&prog.prog);
	if (n != 0) {
		if (*po.stop)
			cs_err_set(err, CS_EXIT_IOERR, 0, "interrupted by a "
			    "signal");
		if (r.created)
			cs_warn("snapshot", "the snapshot FAILED; it is not "
			    "a complete snapshot (what was written is kept, "
			    "read-only)");
		goto out;
	}
	cmd_snapshot_label(&o, &r);
	rc = r.status == CS_SNAP_COMPLETE ? CS_EXIT_OK : CS_EXIT_INCOMPLETE;
out:
	cs_snap_result_release(&r);
	cs_key_free(key);
	free(o.excludes);
	return rc;
}

const struct cs_cmd cs_cmd_snapshot = {
	.name = "snapshot",
	.alias = NULL,
	.usage = "--case CASE --label LABEL --operator NAME [--note TEXT] "
	    "[--key KEY [--passphrase-file F]] [--digest LIST] "
	    "[--exclude GLOB]... [--custody FILE] [--block-size N] "
	    "[--verify-after] [-q] -o OUT PATH",
	.summary = "write a write-once evidence tar with custody records",
	.help =
	    "      --case CASE          case identifier (required)\n"
	    "      --label LABEL        evidence label (required)\n"
	    "      --operator NAME      who takes the snapshot (required)\n"
	    "      --note TEXT          free text for the custody record\n"
	    "  -o, --output OUT         new file, '-' (standard output) or\n"
	    "                           a tape device\n"
	    "  -k, --key KEY            sign manifest and custody record\n"
	    "      --passphrase-file F  read the key's passphrase from F\n"
	    "  -d, --digest LIST        digests: sha256 (default), sha512,\n"
	    "                           sha3-256, blake2b512, comma-separated\n"
	    "  -x, --exclude GLOB       skip paths matching GLOB (repeatable)\n"
	    "  -c, --custody FILE       custody record (default OUT.custody)\n"
	    "  -b, --block-size N       bytes per write, multiple of 512\n"
	    "                           (default 10240; k and M suffixes)\n"
	    "      --verify-after       read the output back and check it\n"
	    "      --cross-filesystems  descend into other filesystems\n"
	    "  -j, --jobs N             reading threads (default: CPUs)\n"
	    "  -q, --quiet              no progress line and no label at\n"
	    "                           the end\n",
	.flags = CS_CMD_WRITES,
	.run = cmd_snapshot_run,
};
