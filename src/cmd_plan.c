/*
 * cmd_plan.c: "custos plan": cut a tree into N shards of the canonical
 * order, for "baseline --shard" and "check --shard" run by a scheduler
 * (shard.h, doc/custos-plan.1).
 *
 * The plan file appears atomically; its digest, which every shard's
 * header repeats and merge compares, is said on standard error.
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
#include "custos/digest.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/shard.h"
#include "custos/xmalloc.h"

static const struct option cmd_plan_longopts[] = {
	{ "shards", required_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

struct cmd_plan_opts {
	const char	*dir;
	const char	*output;
	unsigned	 n;
	int		 force;
	int		 quiet;
};

static int
cmd_plan_parse(int argc, char **argv, struct cmd_plan_opts *o,
    struct cs_err *err)
{
	int		 c;

	memset(o, 0, sizeof *o);
	o->output = "-";
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:o:fq", cmd_plan_longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'n':
			if (cs_shard_count_parse(optarg, strlen(optarg),
			    &o->n) != 0)
				return cs_err_set(err, CS_EXIT_USAGE, 0, "bad "
				    "number of shards (1 to %u)",
				    CS_SHARD_MAX);
			break;
		case 'o': o->output = optarg; break;
		case 'f': o->force = 1; break;
		case 'q': o->quiet = 1; break;
		default:
			return cs_err_set(err, CS_EXIT_USAGE, 0, "bad option");
		}
	}
	if (o->n == 0)
		return cs_err_set(err, CS_EXIT_USAGE, 0, "--shards N is "
		    "required");
	if (argc - optind != 1)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "expected exactly one directory");
	o->dir = argv[optind];
	return 0;
}

static int
cmd_plan_run(int argc, char **argv, struct cs_err *err)
{
	struct cmd_plan_opts	 o;
	struct cs_shard_plan		 plan;
	struct cs_atomic	 out;
	struct cs_buf		 b;
	char			 hex[2 * 32 + 1];
	char			*shown;
	int			 rc = -1, opened = 0;

	cs_shard_plan_init(&plan);
	cs_buf_init(&b);
	if (cmd_plan_parse(argc, argv, &o, err) != 0)
		goto out;
	if (cs_shard_plan_make(&plan, o.dir, o.n, err) != 0)
		goto out;
	cs_shard_plan_format(&plan, &b);
	if (cs_atomic_open(&out, o.output, o.force, err) != 0)
		goto out;
	opened = 1;
	if (cs_write_all(out.fd, b.data, b.len) != 0) {
		shown = cs_encode_dup(o.output);
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot write '%s'",
		    shown);
		free(shown);
		goto out;
	}
	if (cs_atomic_commit(&out, 0644, err) != 0)
		goto out;
	opened = 0;
	if (!o.quiet) {
		cs_hex(plan.sha256, sizeof plan.sha256, hex);
		fprintf(stderr, "%s: plan: %u shards, sha256 %s\n",
		    CS_PROGNAME, plan.n, hex);
	}
	rc = CS_EXIT_OK;
out:
	if (opened)
		cs_atomic_abort(&out);
	cs_buf_release(&b);
	cs_shard_plan_release(&plan);
	return rc;
}

const struct cs_cmd cs_cmd_plan = {
	.name = "plan",
	.alias = NULL,
	.usage = "--shards N [-o FILE [-f]] [-q] DIR",
	.summary = "cut a tree into N shards for baseline and check --shard",
	.help =
	    "  -n, --shards N           the number of shards (1 to 65536)\n"
	    "  -o, --output FILE        write the plan to FILE ('-', the\n"
	    "                           default: standard output)\n"
	    "  -f, --force              replace FILE if it exists\n"
	    "  -q, --quiet              do not print the plan's digest on\n"
	    "                           standard error\n",
	.flags = CS_CMD_WRITES,
	.run = cmd_plan_run,
};
