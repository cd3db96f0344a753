/*
 * cmd_check.c: "custos check" (and "custos diff"): compare a source with
 * a trusted baseline and report the differences, most dangerous first.
 *
 * The baseline is verified in a full first pass (signature, every record,
 * trailer digest) before anything is compared; the comparison pass reads
 * it again and its reader re-checks the digest at the end, so a file
 * swapped between the passes fails with exit 8 and no report.  The report
 * is built in memory and written only once the comparison completed.
 * "custos diff A B" is the same comparison of two baselines.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "custos/atomic.h"
#include "custos/buf.h"
#include "custos/cmd.h"
#include "custos/copies.h"
#include "custos/correlate.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/evidence_verify.h"
#include "custos/host.h"
#include "custos/logrot.h"
#include "custos/path.h"
#include "custos/pipe.h"
#include "custos/shard.h"
#include "custos/policy.h"
#include "custos/progress.h"
#include "custos/range.h"
#include "custos/report.h"
#include "custos/report_merge.h"
#include "custos/sign.h"
#include "custos/sink.h"
#include "custos/spill.h"
#include "custos/source.h"
#include "custos/syslog.h"
#include "custos/structured.h"
#include "custos/tar.h"
#include "custos/triage.h"
#include "custos/vendor.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

#define CHECK_MAXWARN	64

/* Long-only options of the report. */
#define CHECK_OPT_MINSEV	0x201
#define CHECK_OPT_SYSLOG	0x202
#define CHECK_OPT_SYSLOGSOCK	0x203
#define CHECK_OPT_MAXMEMBER	0x204
#define CHECK_OPT_MAXTOTAL	0x205
#define CHECK_OPT_SHARD		0x206
#define CHECK_OPT_PLAN		0x207
#define CHECK_OPT_VENDOR	0x208
#define CHECK_OPT_HASHALL	0x209

struct cmd_check_opts {
	const char	*baseline;
	const char	*pubkey;
	const char	*signer;
	const char	*custody;
	char		 fp[CS_FP_HEXLEN + 1];
	int		 allow_unsigned;
	const char	*policy;
	const char	*root;
	const char	*source;
	const char	*output;
	int		 force;
	int		 quiet;
	int		 jobs;
	enum cs_format	 format;
	int64_t		 burst_gap;
	int		 is_diff;
	int		 min_severity;
	const char	*syslog;	/* socket path, or NULL */
	uint64_t	 max_member;	/* a tar's members: evidence.h */
	uint64_t	 max_total;
	const char	*shard;		/* "I/N", or NULL */
	const char	*planfile;
	const char	*vendor;	/* --vendor: a vendor baseline */
	int		 hash_unowned;	/* also what no package ships */
};

/* What the comparison callbacks update. */
struct cmd_check_state {
	struct cs_progress		 prog;	/* ETA from the baseline */
	struct cs_finding		**fs;
	size_t				 n;
	size_t				 cap;
	struct cs_key			*key;
	char				*warn[CHECK_MAXWARN];
	size_t				 nwarn;
	int				 exit_bits;	/* OR-ed in */
	struct cs_structured_ctx	 sctx;	/* structured.h */
	struct cs_evidence_result	 evres;	/* an evidence tar's problems */
	struct cs_shard_plan			 plan;	/* with --shard: */
	struct cs_range			 range;
	int				 sharded;
	char				 shard[24];	/* "I/N" */
	char				 plan_hex[2 * 32 + 1];
	struct cs_vmap			*vmap;	/* with vendor records */
	struct cs_diff_base		 vbase;	/* --vendor's baseline */
	int				 vendor;	/* -b is of packages */
	uint64_t			 explained;	/* three-way */
	struct cs_spill			*spill;	/* findings kept on disk */
};

static const struct option cmd_check_longopts[] = {
	{ "baseline", required_argument, NULL, 'b' },
	{ "pubkey", required_argument, NULL, 'p' },
	{ "signer", required_argument, NULL, 's' },
	{ "allow-unsigned", no_argument, NULL, 'u' },
	{ "custody", required_argument, NULL, 'c' },
	{ "policy", required_argument, NULL, 'P' },
	{ "root", required_argument, NULL, 'r' },
	{ "format", required_argument, NULL, 'F' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "burst-gap", required_argument, NULL, 'g' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "min-severity", required_argument, NULL, CHECK_OPT_MINSEV },
	{ "syslog", no_argument, NULL, CHECK_OPT_SYSLOG },
	{ "syslog-socket", required_argument, NULL, CHECK_OPT_SYSLOGSOCK },
	{ "max-member-size", required_argument, NULL, CHECK_OPT_MAXMEMBER },
	{ "max-total-size", required_argument, NULL, CHECK_OPT_MAXTOTAL },
	{ "shard", required_argument, NULL, CHECK_OPT_SHARD },
	{ "plan", required_argument, NULL, CHECK_OPT_PLAN },
	{ "vendor", required_argument, NULL, CHECK_OPT_VENDOR },
	{ "hash-unowned", no_argument, NULL, CHECK_OPT_HASHALL },
	{ NULL, 0, NULL, 0 }
};

static int
cmd_check_option(int c, struct cmd_check_opts *o, struct cs_err *err)
{
	char	*end;
	long	 n;

	switch (c) {
	case 'b': o->baseline = optarg; break;
	case 'p': o->pubkey = optarg; break;
	case 's': o->signer = optarg; break;
	case 'u': o->allow_unsigned = 1; break;
	case 'c': o->custody = optarg; break;
	case 'P': o->policy = optarg; break;
	case 'r': o->root = optarg; break;
	case 'o': o->output = optarg; break;
	case 'f': o->force = 1; break;
	case 'q': o->quiet = 1; break;
	case 'g': return cs_duration_parse(optarg, &o->burst_gap, err);
	case 'F':
		if (strcmp(optarg, "text") == 0)
			o->format = CS_FMT_TEXT;
		else if (strcmp(optarg, "json") == 0)
			o->format = CS_FMT_JSON;
		else if (strcmp(optarg, "line") == 0)
			o->format = CS_FMT_LINE;
		else
			return cs_err_set(err, CS_EXIT_USAGE, 0,
			    "bad format '%s' (text, line or json)", optarg);
		break;
	case CHECK_OPT_MINSEV:
		if ((o->min_severity = cs_sev_lookup(optarg,
		    strlen(optarg))) < 0)
			return cs_err_set(err, CS_EXIT_USAGE, 0, "bad severity "
			    "'%s' (info, low, medium, high or critical)",
			    optarg);
		break;
	case CHECK_OPT_SYSLOG:
		if (o->syslog == NULL)
			o->syslog = CS_SYSLOG_SOCKET;
		break;
	case CHECK_OPT_SYSLOGSOCK: o->syslog = optarg; break;
	case CHECK_OPT_VENDOR: o->vendor = optarg; break;
	case CHECK_OPT_HASHALL: o->hash_unowned = 1; break;
	case CHECK_OPT_MAXMEMBER:
		return cs_evidence_limit_parse(optarg, &o->max_member, err);
	case CHECK_OPT_MAXTOTAL:
		return cs_evidence_limit_parse(optarg, &o->max_total, err);
	case CHECK_OPT_SHARD: o->shard = optarg; break;
	case CHECK_OPT_PLAN: o->planfile = optarg; break;
	case 'j':
		errno = 0;
		n = strtol(optarg, &end, 10);
		if (errno != 0 || *end != '\0' || n < 1 || n > 1024)
			return cs_err_set(err, CS_EXIT_USAGE, 0,
			    "bad number of jobs '%s' (1 to 1024)", optarg);
		o->jobs = (int)n;
		break;
	default:
		return cs_err_set(err, CS_EXIT_USAGE, 0, "bad option");
	}
	return 0;
}

static int
cmd_check_parse(int argc, char **argv, struct cmd_check_opts *o,
    struct cs_err *err)
{
	int	 c, nargs;

	memset(o, 0, sizeof *o);
	o->burst_gap = 600;
	o->is_diff = strcmp(argv[0], "diff") == 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "b:p:s:o:fqj:F:", cmd_check_longopts,
	    NULL)) != -1) {
		if (cmd_check_option(c, o, err) != 0)
			return -1;
	}
	nargs = argc - optind;
	if (o->is_diff) {
		if (nargs != 2 || o->baseline != NULL || o->root != NULL)
			return cs_err_set(err, CS_EXIT_USAGE, 0,
			    "diff takes exactly two baselines");
		o->baseline = argv[optind];
		o->source = argv[optind + 1];
	} else {
		if (o->baseline == NULL)
			return cs_err_set(err, CS_EXIT_USAGE, 0,
			    "no baseline: give -b BASE.cbl");
		if (nargs > 1 || (nargs == 1 && o->root != NULL))
			return cs_err_set(err, CS_EXIT_USAGE, 0,
			    "expected at most one source (or --root DIR)");
		o->source = nargs == 1 ? argv[optind] : o->root;
	}
	if (o->planfile != NULL && o->shard == NULL)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "--plan goes with --shard");
	if (o->signer != NULL && cs_fingerprint_parse(o->signer, o->fp) != 0)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "'%s' is not a fingerprint (64 hex digits)", o->signer);
	if (o->pubkey == NULL && o->signer == NULL && !o->allow_unsigned)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "no trusted key: give --pubkey or --signer "
		    "(or --allow-unsigned)");
	return 0;
}

static void
cmd_check_progress(void *arg, uint64_t objects, uint64_t bytes)
{
	cs_progress_update(&((struct cmd_check_state *)arg)->prog, objects,
	    bytes);
}

static void
cmd_check_found(void *arg, struct cs_finding *f)
{
	struct cmd_check_state	*st = arg;

	if (st->spill != NULL && cs_spill_take(st->spill, f))
		return;
	if (st->n == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 64;
		/* an array of pointers */
		/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
		st->fs = cs_xreallocarray(st->fs, st->cap, sizeof *st->fs);
	}
	st->fs[st->n++] = f;
}

/* Keep the warning MSG (heap, taken over); also a note callback. */
static void
cmd_check_warn(void *arg, char *msg)
{
	struct cmd_check_state	*st = arg;

	if (st->nwarn < CHECK_MAXWARN)
		st->warn[st->nwarn++] = msg;
	else
		free(msg);
}

/* The problems of an evidence tar, in the order its verifier found them. */
static void
cmd_check_problems(struct cmd_check_state *st)
{
	size_t	 i;

	for (i = 0; i < st->evres.nproblems; i++)
		cs_warn("check", "%s", st->evres.problems[i].msg);
	cs_evidence_result_release(&st->evres);
}

/*
 * A tar: custos evidence, verified with check's trust anchor before any
 * record is believed, or a foreign tar, compared but not vouched for.
 */
static struct cs_source *
cmd_check_tar(const struct cmd_check_opts *o, struct cmd_check_state *st,
    const struct cs_diff_base *a, const char *path, struct cs_err *err)
{
	struct cs_tar_opts	 t;
	struct cs_tar_info	 info;
	struct cs_source	*s;
	char			*msg[CS_TAR_NOTES];
	size_t			 i, n;
	int			 incomplete = 0;

	memset(&t, 0, sizeof t);
	t.ev.file = path;
	t.ev.custody = o->custody;
	t.ev.pub = st->key;
	t.ev.fingerprint = o->signer != NULL ? o->fp : NULL;
	t.ev.allow_unsigned = o->allow_unsigned;
	t.ev.max_member = o->max_member;
	t.ev.max_total = o->max_total;
	t.digests = a->digests;
	t.result = &st->evres;
	if ((s = cs_source_tar_open(&t, &info, err)) == NULL)
		return NULL;
	n = cs_tar_notes(&info, path, msg, &incomplete);
	for (i = 0; i < n; i++)
		cmd_check_warn(st, msg[i]);
	if (incomplete)
		st->exit_bits |= CS_EXIT_INCOMPLETE;
	return s;
}

/*
 * Open what the baseline is compared with: a tree, another baseline, or
 * a tar (a file, a pipe or a tape).
 */
static struct cs_source *
cmd_check_source(const struct cmd_check_opts *o, struct cmd_check_state *st,
    struct cs_diff_base *a, struct cs_diff_base *b, struct cs_source *sa,
    struct cs_err *err)
{
	struct cs_walk_opts	 w;
	const char		*path = o->source != NULL ? o->source : a->root;
	struct stat		 sb;

	if (path == NULL) {
		cs_err_set(err, CS_EXIT_USAGE, 0,
		    "no source, and the baseline names no root");
		return NULL;
	}
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    !cs_tar_is_tar(path)) {
		if (cs_diff_base_load(b, path, st->key, o->signer != NULL ?
		    o->fp : NULL, o->allow_unsigned, NULL, err) != 0)
			return NULL;
		return cs_diff_base_source(b, err);
	}
	if (stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return cmd_check_tar(o, st, a, path, err);
	memset(&w, 0, sizeof w);
	w.root = path;
	w.digests = a->digests;
	w.jobs = o->jobs;
	w.cross_fs = a->cross_fs;
	w.excludes = (const char *const *)a->excludes;
	w.nexcludes = a->nexcludes;
	w.prefix = a->nappend > 0 ? cs_diff_prefix : NULL;
	w.prefix_arg = a;
	w.range = st->sharded ? &st->range : NULL;
	/* inode flags nothing compares: only those triage ranks */
	w.iflags_marked_only = (cs_source_carries(sa) & CS_G_FLAGS) == 0;
	/* what no package ships has nothing to be compared with */
	if (st->vendor && !o->hash_unowned) {
		if (cs_vendor_view_fill(sa, err) != 0)
			return NULL;
		w.hash_wanted = cs_vendor_view_ships;
		w.hash_wanted_arg = sa;
	}
	if (st->sctx.policy != NULL &&
	    cs_policy_has_structured(st->sctx.policy)) {
		st->sctx.has_key = a->has_skey;
		memcpy(st->sctx.key, a->skey, sizeof st->sctx.key);
		w.structured = cs_structured_walk;
		w.structured_arg = &st->sctx;
	}
	return cs_source_open(path, &w, err);
}

/*
 * With --shard, the plan (of the directory compared with, or read) and
 * the range both sides are restricted to, so that what lies in other
 * shards' ranges is not reported here.
 */
static int
cmd_check_shard(const struct cmd_check_opts *o, struct cmd_check_state *st,
    const struct cs_diff_base *a, struct cs_err *err)
{
	const char	*path = o->source != NULL ? o->source : a->root;
	struct stat	 sb;
	unsigned	 i;

	if (o->shard == NULL)
		return 0;
	if (path == NULL || stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		path = NULL;
	if (cs_shard_plan_for(&st->plan, o->shard, o->planfile, path, &i,
	    err) != 0)
		return -1;
	cs_shard_range(&st->plan, i, &st->range);
	st->sharded = 1;
	(void)snprintf(st->shard, sizeof st->shard, "%u/%u", i,
	    st->plan.n);
	cs_hex(st->plan.sha256, sizeof st->plan.sha256, st->plan_hex);
	return 0;
}

/* Nonzero if the baseline B was made from packages. */
static int
cmd_check_is_vendor(const struct cs_diff_base *b)
{
	return b->source != NULL && strcmp(b->source, "packages") == 0;
}

/* State plainly what differs between the two sides' provenance. */
static void
cmd_check_provenance(const struct cmd_check_opts *o,
    struct cmd_check_state *st, const struct cs_diff_base *a,
    const struct cs_diff_base *b, unsigned *digests)
{
	char	*here, *x, *y, *list, *real;

	*digests = a->digests;
	if (b->file != NULL) {
		*digests &= b->digests;
		if (a->digests != b->digests) {
			x = cs_digest_list(a->digests);
			y = cs_digest_list(b->digests);
			list = *digests ? cs_digest_list(*digests) :
			    cs_xstrdup("none: size only");
			cmd_check_warn(st, cs_xasprintf("digests differ (%s vs "
			    "%s): contents compared on %s", x, y, list));
			free(x);
			free(y);
			free(list);
		}
		if (a->host != NULL && b->host != NULL &&
		    strcmp(a->host, b->host) != 0) {
			x = cs_encode_dup(a->host);
			y = cs_encode_dup(b->host);
			cmd_check_warn(st, cs_xasprintf("the baselines are of "
			    "different hosts ('%s' and '%s')", x, y));
			free(x);
			free(y);
		}
		return;
	}
	here = cs_host_name();
	if (o->source == NULL && a->host != NULL && !cmd_check_is_vendor(a) &&
	    strcmp(here, a->host) != 0) {
		x = cs_encode_dup(a->host);
		y = cs_encode_dup(here);
		cmd_check_warn(st, cs_xasprintf("the baseline was taken on host "
		    "'%s'; this is host '%s'", x, y));
		free(x);
		free(y);
	}
	free(here);
	real = o->source != NULL ? realpath(o->source, NULL) : NULL;
	/* a baseline of packages is of no host: any root is its own */
	if (o->source != NULL && a->root != NULL && !cmd_check_is_vendor(a) &&
	    (real == NULL || strcmp(real, a->root) != 0)) {
		x = cs_encode_dup(a->root);
		y = cs_encode_dup(o->source);
		cmd_check_warn(st, cs_xasprintf("re-rooted: the baseline's root "
		    "'%s' is compared with '%s'", x, y));
		free(x);
		free(y);
	}
	free(real);
}

/*
 * The attribute groups both sides carry; the others are named once in
 * the report, as not compared by nature of the sources.
 */
static unsigned
cmd_check_carried(struct cmd_check_state *st, const struct cs_source *a,
    const struct cs_source *b)
{
	unsigned	 both = cs_source_carries(a) & cs_source_carries(b);
	char		*list;

	if (both == CS_G_ALL)
		return both;
	list = cs_group_text(CS_G_DEFAULT & ~both);
	if (list[0] != '\0')
		cmd_check_warn(st, cs_xasprintf("not compared, by nature of "
		    "the sources: %s", list));
	free(list);
	return both;
}

/* Name the attributes some objects could not give, with their counts. */
static void
cmd_check_gaps(struct cmd_check_state *st, const struct cs_diff_stats *ds)
{
	unsigned	 i;

	for (i = 0; i < CS_DIFF_NGROUPS; i++) {
		if (ds->lacking[i] == 0)
			continue;
		cmd_check_warn(st, cs_xasprintf("%s not available on one side "
		    "for %" PRIu64 " object%s: not compared there",
		    cs_group_desc(i), ds->lacking[i],
		    ds->lacking[i] == 1 ? "" : "s"));
	}
	if (ds->unsilenced > 0)
		cmd_check_warn(st, cs_xasprintf("%" PRIu64 " object%s in "
		    "trees the policy ignores compared anyway: setuid or "
		    "setgid, capabilities, executable, a device, or linked "
		    "from outside", ds->unsilenced,
		    ds->unsilenced == 1 ? "" : "s"));
}

static void
cmd_check_info(const struct cmd_check_opts *o, struct cs_report_info *ri,
    const struct cs_diff_base *a, const char *source, unsigned digests)
{
	memset(ri, 0, sizeof *ri);
	ri->command = o->is_diff ? "diff" : "check";
	ri->baseline = a->file;
	ri->created = a->created;
	ri->host = a->host;
	ri->root = a->root;
	ri->is_signed = a->is_signed;
	ri->verified = a->verified;
	ri->signer = a->is_signed ? a->keyid : NULL;
	ri->fingerprint = a->fingerprint[0] != '\0' ? a->fingerprint : NULL;
	ri->source = source;
	ri->burst_gap = o->burst_gap;
	(void)digests;
}

/* With --syslog, send the findings; a failure is only a warning. */
static void
cmd_check_syslog(const struct cmd_check_opts *o,
    const struct cs_report_info *ri, const struct cs_report_fs *fs)
{
	struct cs_err	 e;

	if (o->syslog == NULL)
		return;
	cs_err_init(&e);
	if (cs_report_syslog(o->syslog, ri, fs, &e) != 0)
		cs_warn(ri->command, "syslog: %s%s%s", e.msg,
		    e.errnum != 0 ? ": " : "",
		    e.errnum != 0 ? strerror(e.errnum) : "");
	cs_err_release(&e);
}

/*
 * Verdicts that know the packages: against a vendor baseline (-b), and
 * three-way with --vendor; then the report's lines on the root's
 * mapping.
 */
static int
cmd_check_vendor_triage(const struct cmd_check_opts *o,
    struct cmd_check_state *st, const struct cs_policy *pol,
    struct cs_diff_stats *ds, struct cs_err *err)
{
	struct cs_source	*base;

	if (st->vmap == NULL)
		return 0;
	if (st->vendor)
		cs_vendor_triage(st->fs, st->n, st->vmap, pol, ds);
	if (o->vendor != NULL && ((base = cs_diff_base_source(&st->vbase,
	    err)) == NULL || cs_vendor_explain(st->fs, st->n, base,
	    st->vbase.file, st->vmap, pol, &st->explained, err) != 0))
		return -1;
	cs_vmap_notes(st->vmap, cmd_check_warn, st);
	return 0;
}

/*
 * What the comparison finds is explained and ranked: copies of baseline
 * files, log rotations, structured files, triage, correlations.  SB is
 * the source compared with.
 */
static int
cmd_check_triage(const struct cmd_check_opts *o, struct cmd_check_state *st,
    const struct cs_diff_base *a, const struct cs_source *sb,
    const struct cs_policy *pol, struct cs_diff_stats *ds,
    struct cs_err *err)
{
	const char	*tree = cs_source_walk(sb) == NULL ? NULL :
			    o->source != NULL ? o->source : a->root;

	if (cs_copies_find(a, st->fs, st->n, err) != 0)
		return -1;
	if (!st->vendor)	/* packages ship no logs to rotate */
		cs_logrot_explain(st->fs, st->n, tree, ds);
	cs_structured_correlate(st->fs, st->n);
	cs_triage_all_libs(st->fs, st->n, st->spill != NULL ?
	    cs_spill_libs(st->spill) : 0);
	if (cmd_check_vendor_triage(o, st, pol, ds, err) != 0)
		return -1;
	cs_correlate_stored(st->fs, st->n, st->spill != NULL ?
	    cs_spill_store(st->spill) : NULL, tree);
	cs_report_sort(st->fs, st->n);
	return 0;
}

/* Write the report of the run; returns the exit status or -1. */
static int
cmd_check_report(const struct cmd_check_opts *o, struct cmd_check_state *st,
    const struct cs_diff_base *a, const struct cs_source *sb,
    const struct cs_policy *pol, unsigned digests,
    const struct cs_diff_stats *ds, const struct timespec *t0,
    struct cs_err *err)
{
	struct cs_report_info	 ri;
	struct cs_report_fs	 fs;
	char			*dl;
	int			 rc = -1;

	cmd_check_info(o, &ri, a, cs_source_label(sb), digests);
	if (st->sharded) {
		ri.shard = st->shard;
		ri.plan_sha256 = st->plan_hex;
		ri.shard_from = st->range.from;
		ri.shard_to = st->range.to;
	}
	dl = cs_digest_list(digests);
	ri.digests = digests ? dl : "none";
	ri.policy = cs_policy_name(pol);
	ri.seconds = cs_time_since(t0);
	ri.stats = ds;
	ri.warnings = (const char *const *)st->warn;
	ri.nwarnings = st->nwarn;
	ri.exit = cs_diff_exit(ds) | st->exit_bits;
	ri.colour = o->format == CS_FMT_TEXT && o->output == NULL &&
	    isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
	ri.min_severity = o->min_severity;
	ri.vendor3 = o->vendor != NULL;
	ri.explained = st->explained;
	cs_report_fs_array(&fs, st->fs, st->n);
	if (st->spill != NULL ? cs_spill_output(st->spill, st->fs, st->n,
	    o->output, o->force, o->format, &ri, err) == 0 :
	    cs_report_output(o->output, o->force, o->format, &ri, &fs,
	    err) == 0) {
		cmd_check_syslog(o, &ri, &fs);
		rc = ri.exit;
	}
	free(dl);
	return rc;
}

/*
 * With vendor records (-b of packages, or --vendor): the examined root's
 * mapping, read from the tree compared (none for other sources).
 */
static int
cmd_check_vendor_map(const struct cmd_check_opts *o,
    struct cmd_check_state *st, const struct cs_diff_base *a,
    struct cs_err *err)
{
	const char	*tree = o->source != NULL ? o->source : a->root;
	struct stat	 sb;

	st->vendor = cmd_check_is_vendor(a);
	if (!st->vendor && o->vendor == NULL)
		return 0;
	if (tree != NULL && (stat(tree, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		tree = NULL;
	if ((st->vmap = cs_vmap_load(tree, err)) == NULL)
		return -1;
	if (o->vendor != NULL && !cmd_check_is_vendor(&st->vbase))
		return cs_err_set(err, CS_EXIT_USAGE, 0, "--vendor: not a "
		    "baseline made from packages");
	return 0;
}

/*
 * Open the sources (what is checked, the trusted baseline), open the
 * sink (the comparison with the baseline, diff_run.c), run; then
 * explain and rank what it found, and report.  Returns the exit status
 * or -1.
 */
static int
cmd_check_compare(const struct cmd_check_opts *o, struct cmd_check_state *st,
    struct cs_diff_base *a, struct cs_diff_base *b,
    const struct cs_policy *pol, struct cs_err *err)
{
	struct cs_source	*sa = NULL, *sb = NULL;
	struct cs_sink		*sink = NULL;
	struct cs_diff_opts	 dopts;
	struct cs_diff_stats	 ds;
	struct timespec		 t0 = cs_time_mono();
	unsigned		 digests;
	uint64_t		*hits = NULL;
	char			*unused;
	const char		*root;
	int			 rc = -1;

	memset(&dopts, 0, sizeof dopts);
	st->sctx.policy = pol;
	if (cmd_check_shard(o, st, a, err) != 0 ||
	    (sa = cs_diff_base_source(a, err)) == NULL ||
	    cmd_check_vendor_map(o, st, a, err) != 0)
		goto out;
	if (st->vendor) {
		sa = cs_vendor_view(sa, st->vmap, a->file);
		dopts.prepare = cs_vendor_prepare;
		dopts.prepare_arg = st->vmap;
	}
	if ((sb = cmd_check_source(o, st, a, b, sa, err)) == NULL)
		goto out;
	if (st->sharded) {
		cs_source_set_range(sa, &st->range);
		cs_source_set_range(sb, &st->range);
	}
	cmd_check_provenance(o, st, a, b, &digests);
	dopts.policy = pol;
	dopts.carried = cmd_check_carried(st, sa, sb);
	/* against packages, what no package ships is finished at once */
	if (st->vendor && o->vendor == NULL && !o->hash_unowned &&
	    o->syslog == NULL && cs_source_walk(sb) != NULL &&
	    (st->spill = cs_spill_new(pol, st->vmap, &ds,
	    (dopts.carried & CS_G_INODE) != 0, err)) == NULL)
		goto out;
	hits = cs_xcalloc(cs_policy_count(pol) + 1, sizeof *hits);
	dopts.hits = hits;
	dopts.sstate = cs_sstate_new();
	if (st->vendor || cs_rfc3339_parse(a->created, &dopts.created) != 0)
		dopts.created = INT64_MIN;
	dopts.found = cmd_check_found;
	dopts.progress = cmd_check_progress;
	dopts.arg = st;
	cs_progress_init(&st->prog, "check", o->quiet);
	cs_progress_total(&st->prog, a->records, a->bytes);
	sink = cs_sink_diff(sa, sb, &dopts, digests, &ds);
	if (cs_pipe_run(sb, sink, NULL, NULL, err) != 0) {
		/* The verified file no longer reads as it did. */
		if (a->verified && err->code == CS_EXIT_DATAERR)
			err->code = CS_EXIT_INTEGRITY;
		goto out;
	}
	cs_progress_end(&st->prog);
	root = o->source != NULL ? o->source : a->root;
	if (cs_spill_check(st->spill, root, cmd_check_warn, st, err) != 0)
		goto out;
	cmd_check_gaps(st, &ds);
	if ((unused = cs_vendor_unhashed(sb)) != NULL)
		cmd_check_warn(st, unused);
	if ((unused = cs_vendor_view_written(sa, root)) != NULL)
		cmd_check_warn(st, unused);
	/* packages ship none of what the host makes, which the policy names */
	if (!st->vendor && (unused = cs_policy_unmatched(pol, hits)) != NULL) {
		cmd_check_warn(st, cs_xasprintf("policy lines that match "
		    "nothing in the baseline: %s", unused));
		free(unused);
	}
	/* the vendor view's memory goes before the report's */
	cs_sink_free(sink);
	cs_source_free(sa);
	sink = NULL;
	sa = NULL;
	if (cmd_check_triage(o, st, a, sb, pol, &ds, err) != 0)
		goto out;
	rc = cmd_check_report(o, st, a, sb, pol, digests, &ds, &t0, err);
out:
	cmd_check_problems(st);
	cs_sink_free(sink);
	cs_source_free(sa);
	cs_source_free(sb);
	cs_sstate_free(dopts.sstate);
	OPENSSL_cleanse(&st->sctx, sizeof st->sctx);
	free(hits);
	return rc;
}

static int
cmd_check_run(int argc, char **argv, struct cs_err *err)
{
	struct cmd_check_opts	 o;
	struct cmd_check_state	 st;
	struct cs_diff_base	 a, b;
	struct cs_policy	*pol = NULL;
	size_t			 i;
	int			 rc = -1;

	memset(&st, 0, sizeof st);
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (cmd_check_parse(argc, argv, &o, err) != 0 ||
	    (o.output != NULL && cs_atomic_check(o.output, o.force, err) != 0))
		goto out;
	if (o.pubkey != NULL &&
	    (st.key = cs_key_load_public(o.pubkey, err)) == NULL)
		goto out;
	pol = o.policy != NULL ? cs_policy_load(o.policy, err) :
	    cs_policy_default(err);
	if (pol == NULL)
		goto out;
	if (cs_diff_base_load(&a, o.baseline, st.key, o.signer != NULL ?
	    o.fp : NULL, o.allow_unsigned, pol, err) != 0)
		goto out;
	if (o.vendor != NULL && cs_diff_base_load(&st.vbase, o.vendor, st.key,
	    o.signer != NULL ? o.fp : NULL, o.allow_unsigned, NULL, err) != 0)
		goto out;
	rc = cmd_check_compare(&o, &st, &a, &b, pol, err);
out:
	for (i = 0; i < st.n; i++)
		cs_finding_free(st.fs[i]);
	free(st.fs);
	for (i = 0; i < st.nwarn; i++)
		free(st.warn[i]);
	cs_key_free(st.key);
	cs_policy_free(pol);
	cs_diff_base_release(&a);
	cs_diff_base_release(&b);
	cs_shard_plan_release(&st.plan);
	cs_diff_base_release(&st.vbase);
	cs_spill_free(st.spill);
	cs_vmap_free(st.vmap);
	return rc;
}

const struct cs_cmd cs_cmd_check = {
	.name = "check",
	.alias = "diff",
	.usage = "-b BASE.cbl (--pubkey PUB | --signer FP | --allow-unsigned) "
	    "[--custody FILE] [--policy FILE] [--root DIR] "
	    "[--format text|line|json] [--min-severity LEVEL] [--syslog] "
	    "[--syslog-socket PATH] [-o REPORT [-f]] [--burst-gap T] "
	    "[-j N] [--max-member-size SIZE] [--max-total-size SIZE] "
	    "[--shard I/N [--plan PLAN]] [--vendor VENDOR.cbl] "
	    "[--hash-unowned] [-q] "
	    "[SOURCE]\n"
	    "       custos diff [options] A.cbl B.cbl",
	.summary = "compare a tree or baseline with a trusted baseline",
	.help =
	    "  -b, --baseline FILE      the trusted baseline\n"
	    "  -p, --pubkey PUB         trust the public key in PUB\n"
	    "  -s, --signer FP          trust the key with fingerprint FP\n"
	    "      --allow-unsigned     accept an unsigned baseline (the\n"
	    "                           report says so at the top)\n"
	    "      --custody FILE       an evidence tar's custody record\n"
	    "                           (default: SOURCE.custody)\n"
	    "      --policy FILE        what to compare where (custos-policy(5))\n"
	    "      --root DIR           compare with the tree at DIR (e.g. a\n"
	    "                           disk mounted read-only)\n"
	    "  -F, --format FMT         text (default), line (one line per\n"
	    "                           finding) or json (JSON Lines)\n"
	    "      --min-severity LEVEL text and line: show only findings of\n"
	    "                           LEVEL or above (counts and exit\n"
	    "                           status stay those of all findings)\n"
	    "      --syslog             also send findings of medium or\n"
	    "                           higher and the summary to syslog\n"
	    "      --syslog-socket PATH the syslog socket (default /dev/log;\n"
	    "                           implies --syslog)\n"
	    "  -o, --output REPORT      write the report to REPORT\n"
	    "  -f, --force              replace REPORT if it exists\n"
	    "      --burst-gap T        a gap over T (default 10m) starts a\n"
	    "                           new burst in the timeline\n"
	    "  -j, --jobs N             hashing threads (default: CPUs)\n"
	    "      --max-member-size SIZE  a tar whose sizes no signed\n"
	    "                           manifest vouches for (foreign, or\n"
	    "                           from a pipe or tape): refuse a member\n"
	    "                           larger than SIZE (default 4G; 0: no\n"
	    "                           limit)\n"
	    "      --max-total-size SIZE  and members larger than SIZE in\n"
	    "                           all (default 1T; 0: no limit)\n"
	    "      --shard I/N          compare only the I-th of N ranges of\n"
	    "                           the canonical order (custos-plan(1))\n"
	    "      --plan PLAN          the ranges of PLAN (default: made of\n"
	    "                           the tree compared with)\n"
	    "      --vendor VENDOR.cbl  a baseline of signed packages: a\n"
	    "                           change to what a package version\n"
	    "                           ships is an upgrade, at info\n"
	    "      --hash-unowned       against a baseline of packages, also\n"
	    "                           hash the files no package ships\n"
	    "  -q, --quiet              no progress line\n",
	.flags = CS_CMD_WRITES,
	.run = cmd_check_run,
};
