/*
 * cmd_merge_reports.c: `custos merge --reports`, the JSON Lines reports
 * of the shards of one check (check --shard I/N) merged into the report
 * of the whole check.
 *
 * `custos merge` (cmd_merge.c) hands its arguments here when the first
 * option is --reports.  Every part is read strictly (report_read.c) and
 * must hold its findings in report order; the merge is linear
 * (report_merge.c) and the writer recomputes the counts by severity, the
 * timeline and the rebuild plan over all findings.  With --root, the
 * start-up files among the findings are read from the tree as check
 * reads them (correlate.c), so that what one names in another part is
 * raised too; with -b, the added files of every part are looked up among
 * the files of the verified baseline (copies.c).  Nothing is written
 * unless every part reads and merges cleanly.
 */
#include "custos/custos.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "custos/atomic.h"
#include "custos/buf.h"
#include "custos/cmd.h"
#include "custos/copies.h"
#include "custos/correlate.h"
#include "custos/diff.h"
#include "custos/err.h"
#include "custos/report.h"
#include "custos/report_merge.h"
#include "custos/report_read.h"
#include "custos/sign.h"
#include "custos/xmalloc.h"

static const struct option cmd_merge_reports_longopts[] = {
	{ "reports", no_argument, NULL, 'R' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "format", required_argument, NULL, 'F' },
	{ "root", required_argument, NULL, 'r' },
	{ "baseline", required_argument, NULL, 'b' },
	{ "pubkey", required_argument, NULL, 'p' },
	{ "signer", required_argument, NULL, 's' },
	{ "allow-unsigned", no_argument, NULL, 'u' },
	{ NULL, 0, NULL, 0 }
};

struct cmd_merge_reports_opts {
	const char	*output;
	int		 force;
	enum cs_format	 fmt;
	const char	*root;		/* the tree, to read start-up files */
	const char	*baseline;	/* the check's, to find copies in */
	const char	*pubkey;
	const char	*signer;
	char		 fp[CS_FP_HEXLEN + 1];
	int		 allow_unsigned;
};

/* Parse the options; the parts are ARGV[optind..]. */
static int
cmd_merge_reports_parse(int argc, char **argv,
    struct cmd_merge_reports_opts *o, struct cs_err *err)
{
	int	 c;

	memset(o, 0, sizeof *o);
	o->fmt = CS_FMT_JSON;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:fF:b:p:s:",
	    cmd_merge_reports_longopts, NULL)) != -1) {
		switch (c) {
		case 'R':
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'f':
			o->force = 1;
			break;
		case 'r':
			o->root = optarg;
			break;
		case 'b':
			o->baseline = optarg;
			break;
		case 'p':
			o->pubkey = optarg;
			break;
		case 's':
			o->signer = optarg;
			break;
		case 'u':
			o->allow_unsigned = 1;
			break;
		case 'F':
			if (strcmp(optarg, "json") == 0)
				o->fmt = CS_FMT_JSON;
			else if (strcmp(optarg, "text") == 0)
				o->fmt = CS_FMT_TEXT;
			else if (strcmp(optarg, "line") == 0)
				o->fmt = CS_FMT_LINE;
			else
				return cs_err_set(err, CS_EXIT_USAGE, 0,
				    "bad format '%s' (json, text or line)",
				    optarg);
			break;
		default:
			return cs_err_set(err, CS_EXIT_USAGE, 0,
			    "bad option (see custos help merge)");
		}
	}
	if (optind >= argc)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "no reports to merge");
	if (o->signer != NULL && cs_fingerprint_parse(o->signer, o->fp) != 0)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "'%s' is not a fingerprint (64 hex digits)", o->signer);
	if (o->baseline != NULL && o->pubkey == NULL && o->signer == NULL &&
	    !o->allow_unsigned)
		return cs_err_set(err, CS_EXIT_USAGE, 0, "no trusted key for "
		    "the baseline: give --pubkey or --signer (or "
		    "--allow-unsigned)");
	return 0;
}

/*
 * Copies of baseline files among the added files of every part: the
 * baseline verified (as check verifies it), then streamed once more
 * (copies.c).  Returns 0, or -1.
 */
static int
cmd_merge_reports_copies(const struct cmd_merge_reports_opts *o,
    struct cs_report_merged *m, struct cs_err *err)
{
	struct cs_diff_base	 base;
	struct cs_key		*key = NULL;
	int			 rc = -1;

	memset(&base, 0, sizeof base);
	if (o->pubkey != NULL &&
	    (key = cs_key_load_public(o->pubkey, err)) == NULL)
		goto out;
	if (cs_diff_base_load(&base, o->baseline, key, o->signer != NULL ?
	    o->fp : NULL, o->allow_unsigned, NULL, err) != 0 ||
	    cs_copies_find(&base, m->fs, m->n, err) != 0)
		goto out;
	rc = 0;
out:
	cs_diff_base_release(&base);
	cs_key_free(key);
	return rc;
}

int
cmd_merge_reports(int argc, char **argv, struct cs_err *err)
{
	struct cs_report_file	*parts = NULL;
	struct cs_report_merged	 m;
	struct cmd_merge_reports_opts o;
	struct cs_report_fs	 fs;
	size_t			 n = 0;
	int			 rc = -1;

	memset(&m, 0, sizeof m);
	if (cmd_merge_reports_parse(argc, argv, &o, err) != 0)
		goto out;
	if (o.output != NULL && strcmp(o.output, "-") != 0 &&
	    cs_atomic_check(o.output, o.force, err) != 0)
		goto out;
	if (cs_report_read_all(&parts, &n, argv + optind,
	    (size_t)(argc - optind), err) != 0)
		goto out;
	if (cs_report_merge(&m, parts, n, err) != 0)
		goto out;
	if (o.baseline != NULL && cmd_merge_reports_copies(&o, &m, err) != 0)
		goto out;
	/* what start-up files name may be in another part */
	if (o.root != NULL) {
		cs_correlate(m.fs, m.n, o.root);
		cs_report_sort(m.fs, m.n);
	}
	cs_report_fs_array(&fs, m.fs, m.n);
	if (cs_report_output(o.output, o.force, o.fmt, &m.info, &fs, err) == 0)
		rc = m.info.exit;
out:
	cs_report_merged_release(&m);
	cs_report_files_free(parts, n);
	return rc;
}
