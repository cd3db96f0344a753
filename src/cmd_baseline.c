/*
 * cmd_baseline.c: "custos baseline": walk a tree, write a baseline; or
 * write the records of another source (a baseline, an evidence tar, a
 * foreign tar) as a new baseline.
 *
 * A baseline or a tar is opened as "export" opens one (trust.h): verified
 * with the trust anchor before any record is believed, and nothing is
 * written if it does not verify.  The header of a baseline made from one
 * says where its records came from (doc/custos-baseline.5).
 * The private key (if any) is loaded before the walk, so that a wrong
 * passphrase fails at once rather than after an hour of hashing.  The
 * output appears atomically: on any failure no file exists under the
 * final name.  Objects that could not be examined are recorded with an
 * error field, reported on stderr and reflected in the exit status.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "custos/atomic.h"
#include "custos/baseline.h"
#include "custos/cmd.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/evidence_verify.h"
#include "custos/err.h"
#include "custos/host.h"
#include "custos/path.h"
#include "custos/pipe.h"
#include "custos/shard.h"
#include "custos/policy.h"
#include "custos/progress.h"
#include "custos/range.h"
#include "custos/sign.h"
#include "custos/sink.h"
#include "custos/source.h"
#include "custos/structured.h"
#include "custos/trust.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

#define BASELINE_OPT_PUBKEY	0x301
#define BASELINE_OPT_SIGNER	0x302
#define BASELINE_OPT_UNSIGNED	0x303
#define BASELINE_OPT_CUSTODY	0x304
#define BASELINE_OPT_SHARD	0x305
#define BASELINE_OPT_PLAN	0x306

struct cmd_baseline_opts {
	const char	 *source;
	const char	 *output;
	const char	 *keyfile;
	const char	 *passfile;
	const char	 *policy;
	unsigned	  digests;
	int		  digests_given;
	struct cs_trust_opts trust;	/* for a baseline or a tar */
	char		  fp[CS_FP_HEXLEN + 1];
	int		  force;
	int		  quiet;
	struct cs_walk_opts walk;
	const char	**excludes;
	const char	 *shard;	/* "I/N", or NULL */
	const char	 *planfile;
	struct cs_shard_plan	  plan;		/* of a shard */
	unsigned	  shard_i;
	struct cs_range	  range;
	unsigned char	  shard_skey[CS_SKEY_LEN];
};

static const struct option cmd_baseline_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "key", required_argument, NULL, 'k' },
	{ "passphrase-file", required_argument, NULL, 'P' },
	{ "policy", required_argument, NULL, 'p' },
	{ "digest", required_argument, NULL, 'd' },
	{ "exclude", required_argument, NULL, 'x' },
	{ "one-file-system", no_argument, NULL, '1' },
	{ "cross-filesystems", no_argument, NULL, 'X' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "force", no_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "pubkey", required_argument, NULL, BASELINE_OPT_PUBKEY },
	{ "signer", required_argument, NULL, BASELINE_OPT_SIGNER },
	{ "allow-unsigned", no_argument, NULL, BASELINE_OPT_UNSIGNED },
	{ "custody", required_argument, NULL, BASELINE_OPT_CUSTODY },
	{ "shard", required_argument, NULL, BASELINE_OPT_SHARD },
	{ "plan", required_argument, NULL, BASELINE_OPT_PLAN },
	{ NULL, 0, NULL, 0 }
};

/* Parse -j: a number of threads between 1 and 1024. */
static int
cmd_baseline_jobs(const char *s, int *out, struct cs_err *err)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > 1024)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "bad number of jobs '%s' (1 to 1024)", s);
	*out = (int)n;
	return 0;
}

/* The options that name where a baseline or tar is trusted from. */
static int
cmd_baseline_trust_option(int c, struct cmd_baseline_opts *o,
    struct cs_err *err)
{
	switch (c) {
	case BASELINE_OPT_PUBKEY: o->trust.pubkey = optarg; break;
	case BASELINE_OPT_SIGNER:
		if (cs_fingerprint_parse(optarg, o->fp) != 0)
			return cs_err_set(err, CS_EXIT_USAGE, 0, "'%s' is not "
			    "a fingerprint (64 hex digits)", optarg);
		o->trust.fingerprint = o->fp;
		break;
	case BASELINE_OPT_UNSIGNED: o->trust.allow_unsigned = 1; break;
	case BASELINE_OPT_CUSTODY: o->trust.custody = optarg; break;
	default:
		return cs_err_set(err, CS_EXIT_USAGE, 0, "bad option");
	}
	return 0;
}

static int
cmd_baseline_option(int c, struct cmd_baseline_opts *o, size_t *nx,
    struct cs_err *err)
{
	switch (c) {
	case 'o': o->output = optarg; break;
	case 'k': o->keyfile = optarg; break;
	case 'P': o->passfile = optarg; break;
	case 'p': o->policy = optarg; break;
	case 'd':
		o->digests_given = 1;
		return cs_digest_parse_list(optarg, &o->digests, err);
	case 'x': o->excludes[(*nx)++] = optarg; break;
	case '1': o->walk.cross_fs = 0; break;
	case 'X': o->walk.cross_fs = 1; break;
	case 'j': return cmd_baseline_jobs(optarg, &o->walk.jobs, err);
	case 'f': o->force = 1; break;
	case 'q': o->quiet = 1; break;
	case BASELINE_OPT_SHARD: o->shard = optarg; break;
	case BASELINE_OPT_PLAN: o->planfile = optarg; break;
	default: return cmd_baseline_trust_option(c, o, err);
	}
	return 0;
}

static int
cmd_baseline_parse(int argc, char **argv, struct cmd_baseline_opts *o,
    struct cs_err *err)
{
	size_t	 nx = 0;
	int	 c;

	memset(o, 0, sizeof *o);
	cs_shard_plan_init(&o->plan);
	o->digests = CS_DIGEST_DEFAULT;
	o->excludes = cs_xcalloc((size_t)argc + 1, sizeof *o->excludes);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:k:d:x:j:fq",
	    cmd_baseline_longopts, NULL)) != -1) {
		if (cmd_baseline_option(c, o, &nx, err) != 0)
			return -1;
	}
	if (argc - optind != 1)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "expected exactly one source");
	o->source = argv[optind];
	o->walk.root = argv[optind];
	o->walk.digests = o->digests;
	o->walk.excludes = o->excludes;
	o->walk.nexcludes = nx;
	if (o->output == NULL) {
		if (isatty(STDOUT_FILENO))
			return cs_err_set(err, CS_EXIT_USAGE, 0, "will not "
			    "write a baseline to a terminal; use -o FILE");
		o->output = "-";
	}
	return 0;
}

/* The keys every header starts with; a NULL value is "unknown". */
static void
cmd_baseline_header_common(struct cs_bl_header *h, const char *host,
    const char *root, const char *digests)
{
	struct timespec	 now = cs_time_now();
	char		*s;

	s = cs_time_rfc3339(&now, 0);
	cs_bl_header_add(h, "created", s, strlen(s));
	free(s);
	if (host == NULL)
		host = "unknown";
	cs_bl_header_add(h, "host", host, strlen(host));
	cs_bl_header_add(h, "root", root, strlen(root));
	cs_bl_header_add(h, "digests", digests, strlen(digests));
	s = cs_xasprintf("%s/%s", CS_PROGNAME, CS_VERSION);
	cs_bl_header_add(h, "tool", s, strlen(s));
	free(s);
}

/* A shard's header: which of N, its range and its plan's digest. */
static void
cmd_baseline_header_shard(struct cs_bl_header *h,
    const struct cmd_baseline_opts *o)
{
	char	 hex[2 * 32 + 1];
	char	*s;

	s = cs_xasprintf("%u/%u", o->shard_i, o->plan.n);
	cs_bl_header_add(h, "shard", s, strlen(s));
	free(s);
	if (o->range.from != NULL)
		cs_bl_header_add(h, "shard-from", o->range.from,
		    o->range.fromlen);
	if (o->range.to != NULL)
		cs_bl_header_add(h, "shard-to", o->range.to, o->range.tolen);
	cs_hex(o->plan.sha256, sizeof o->plan.sha256, hex);
	cs_bl_header_add(h, "plan-sha256", hex, strlen(hex));
}

/*
 * With --shard, the plan (made of the directory, or read) and the range
 * the walk is restricted to.  The password digests of all shards of one
 * plan are keyed alike, with a key derived from the plan's digest, so
 * that their records are those of one run and merge into one baseline.
 */
static int
cmd_baseline_shard(struct cmd_baseline_opts *o, struct cs_err *err)
{
	static const char	 label[] = "custos shard struct-key";
	unsigned char		 in[sizeof label + 32];
	struct stat		 sb;

	if (o->shard == NULL)
		return o->planfile == NULL ? 0 : cs_err_set(err,
		    CS_EXIT_USAGE, 0, "--plan goes with --shard");
	if (stat(o->source, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return cs_err_set(err, CS_EXIT_USAGE, 0, "--shard applies "
		    "to a directory only");
	if (cs_shard_plan_for(&o->plan, o->shard, o->planfile, o->source,
	    &o->shard_i, err) != 0)
		return -1;
	cs_shard_range(&o->plan, o->shard_i, &o->range);
	o->walk.range = &o->range;
	memcpy(in, label, sizeof label);
	memcpy(in + sizeof label, o->plan.sha256, 32);
	if (EVP_Digest(in, sizeof in, o->shard_skey, NULL, EVP_sha256(),
	    NULL) != 1)
		return cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot compute "
		    "SHA-256");
	return 0;
}

/* The header: when, where, what was walked and how. */
static void
cmd_baseline_header(struct cs_bl_header *h, const struct cmd_baseline_opts *o,
    const struct cs_structured_ctx *sc)
{
	char		 hex[2 * CS_SKEY_LEN + 1];
	char		*host, *root, *list;
	size_t		 i;

	host = cs_host_name();
	if ((root = realpath(o->walk.root, NULL)) == NULL)
		root = cs_xstrdup(o->walk.root);
	list = cs_digest_list(o->digests);
	cmd_baseline_header_common(h, host, root, list);
	free(list);
	free(root);
	free(host);
	cs_bl_header_add(h, "filesystems", o->walk.cross_fs ? "all" : "one",
	    3);
	for (i = 0; i < o->walk.nexcludes; i++)
		cs_bl_header_add(h, "exclude", o->excludes[i],
		    strlen(o->excludes[i]));
	if (sc->has_key) {
		cs_hex(sc->key, sizeof sc->key, hex);
		cs_bl_header_add(h, CS_SKEY_HEADER, hex, strlen(hex));
	}
	if (o->shard != NULL)
		cmd_baseline_header_shard(h, o);
}

/* What a baseline made from a baseline keeps of the header it verified. */
static void
cmd_baseline_header_base(struct cs_bl_header *h, const struct cs_diff_base *b)
{
	char		 hex[2 * CS_SKEY_LEN + 1];
	size_t		 i;

	cmd_baseline_header_common(h, b->host, b->root != NULL ? b->root :
	    "unknown", b->digest_list);
	cs_bl_header_add(h, "filesystems", b->cross_fs ? "all" : "one", 3);
	for (i = 0; i < b->nexcludes; i++)
		cs_bl_header_add(h, "exclude", b->excludes[i],
		    strlen(b->excludes[i]));
	if (b->has_skey) {
		cs_hex(b->skey, sizeof b->skey, hex);
		cs_bl_header_add(h, CS_SKEY_HEADER, hex, strlen(hex));
	}
}

/*
 * The header of a baseline made from a baseline or a tar: the source's
 * host, root and digests, then where the records came from: "source"
 * (baseline, evidence or tar), "source-file" and, for a baseline or
 * evidence, "source-sha256" (the trailer's digest, the stream digest).
 */
static void
cmd_baseline_header_from(struct cs_bl_header *h,
    const struct cmd_baseline_opts *o, const struct cs_trust *t)
{
	const struct cs_evidence_result *r = &t->evres;
	static const char *const kinds[] = { "tree", "baseline", "evidence",
	    "tar" };
	char		 hex[2 * 32 + 1];
	char		*path, *list;
	const char	*v;

	if ((path = realpath(o->source, NULL)) == NULL)
		path = cs_xstrdup(o->source);
	list = cs_digest_list(o->digests);
	if (t->kind == CS_TRUST_BASELINE) {
		cmd_baseline_header_base(h, &t->base);
		cs_hex(t->base.sha256, sizeof t->base.sha256, hex);
	} else if (t->kind == CS_TRUST_EVIDENCE) {
		cmd_baseline_header_common(h, r->field[CS_EVF_HOST],
		    r->root != NULL ? r->root : "unknown", list);
		cs_hex(r->stream_sha256, sizeof r->stream_sha256, hex);
	} else
		cmd_baseline_header_common(h, NULL, path, list);
	free(list);
	v = kinds[t->kind];
	cs_bl_header_add(h, "source", v, strlen(v));
	cs_bl_header_add(h, "source-file", path, strlen(path));
	if (t->kind != CS_TRUST_FOREIGN)
		cs_bl_header_add(h, "source-sha256", hex, strlen(hex));
	if (t->kind == CS_TRUST_EVIDENCE && (v = r->field[CS_EVF_CASE]) !=
	    NULL)
		cs_bl_header_add(h, "case", v, strlen(v));
	if (t->kind == CS_TRUST_EVIDENCE && (v = r->field[CS_EVF_LABEL]) !=
	    NULL)
		cs_bl_header_add(h, "label", v, strlen(v));
	free(path);
}

/*
 * Files the policy marks structured carry their entries; the password
 * digests among them are keyed with a new random key of this baseline.
 */
static int
cmd_baseline_structured(struct cmd_baseline_opts *o,
    struct cs_structured_ctx *sc, struct cs_policy **pol, struct cs_err *err)
{
	memset(sc, 0, sizeof *sc);
	*pol = o->policy != NULL ? cs_policy_load(o->policy, err) :
	    cs_policy_default(err);
	if (*pol == NULL)
		return -1;
	if (!cs_policy_has_structured(*pol))
		return 0;
	if (o->shard != NULL)
		memcpy(sc->key, o->shard_skey, sizeof sc->key);
	else if (cs_skey_new(sc->key, err) != 0)
		return -1;
	sc->has_key = 1;
	sc->policy = *pol;
	o->walk.structured = cs_structured_walk;
	o->walk.structured_arg = sc;
	return 0;
}

/*
 * Report an incomplete record on stderr, path escaped (the reason is
 * custos's own text, made of strerror(3) strings).
 */
static void
cmd_baseline_warn(void *arg, const struct cs_entry *e)
{
	char	*p;

	(void)arg;
	p = cs_encode_dup(e->path);
	cs_warn("baseline", "'%s': %s", p, e->error);
	free(p);
}

static void
cmd_baseline_summary(const struct cmd_baseline_opts *o,
    const struct cs_pipe_stats *st, const struct cs_key *key, double secs)
{
	char	*out;

	if (o->quiet)
		return;
	out = cs_encode_dup(o->output);
	fprintf(stderr, "%s: baseline: %" PRIu64 " records, %.1f MiB hashed, "
	    "%" PRIu64 " errors, %.2f s -> %s%s%s\n", CS_PROGNAME,
	    st->records, (double)st->bytes / 1048576.0, st->errors, secs,
	    strcmp(o->output, "-") == 0 ? "standard output" : out,
	    key != NULL ? ", signed by key " : " (unsigned)",
	    key != NULL ? cs_key_id(key) : "");
	free(out);
}

/*
 * The source: a directory walked as asked, or a baseline or tar verified
 * with the trust anchor; the options of a walk apply to a directory only.
 */
static struct cs_source *
cmd_baseline_source(struct cmd_baseline_opts *o, struct cs_trust *t,
    struct cs_structured_ctx *sc, struct cs_policy **pol, struct cs_err *err)
{
	struct cs_source	*s;
	struct stat		 sb;
	size_t			 i;

	if (cmd_baseline_shard(o, err) != 0)
		return NULL;
	if (stat(o->source, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		if (cmd_baseline_structured(o, sc, pol, err) != 0)
			return NULL;
	} else if (o->walk.nexcludes > 0 || o->policy != NULL) {
		cs_err_set(err, CS_EXIT_USAGE, 0, "--exclude and --policy "
		    "apply to a directory only");
		return NULL;
	}
	o->trust.digests = o->digests;
	o->trust.walk = &o->walk;
	if ((s = cs_trust_open(o->source, &o->trust, t, err)) == NULL)
		return NULL;
	for (i = 0; i < t->nnotes; i++)
		cs_warn("baseline", "%s", t->notes[i]);
	if (o->digests_given && (t->kind == CS_TRUST_BASELINE ||
	    t->kind == CS_TRUST_EVIDENCE)) {
		cs_source_free(s);
		cs_err_set(err, CS_EXIT_USAGE, 0, "--digest applies to a "
		    "directory or a foreign tar: a baseline or evidence tar "
		    "holds its own");
		return NULL;
	}
	if (t->kind == CS_TRUST_TREE)
		return s;
	/* the digests the source vouches for, and only those */
	if (t->kind == CS_TRUST_BASELINE)
		o->digests = t->base.digests;
	else if (t->kind == CS_TRUST_EVIDENCE && (t->evres.digest_list ==
	    NULL || cs_digest_parse_list(t->evres.digest_list, &o->digests,
	    err) != 0)) {
		cs_source_free(s);
		return NULL;
	}
	return cs_trust_digests(s, o->digests, o->source);
}

static int
cmd_baseline_run(int argc, char **argv, struct cs_err *err)
{
	struct cmd_baseline_opts o;
	struct cs_bl_header	 hdr;
	struct cs_atomic	 out;
	struct cs_progress	 prog;
	struct timespec		 t0 = cs_time_mono();
	struct cs_key		*key = NULL;
	struct cs_policy	*pol = NULL;
	struct cs_structured_ctx sc;
	struct cs_trust		 t;
	struct cs_source	*src = NULL;
	struct cs_sink		*sink = NULL;
	struct cs_pipe_skip	 skip[2];
	struct cs_pipe_opts	 po;
	struct cs_pipe_stats	 st;
	size_t			 i;
	int			 rc = -1, opened = 0, n;

	cs_bl_header_init(&hdr);
	cs_trust_init(&t);
	memset(&sc, 0, sizeof sc);
	memset(&po, 0, sizeof po);
	if (cmd_baseline_parse(argc, argv, &o, err) != 0)
		goto out;
	if (o.keyfile != NULL &&
	    (key = cs_key_load_private(o.keyfile, o.passfile, err)) == NULL)
		goto out;
	if (cs_atomic_open(&out, o.output, o.force, err) != 0)
		goto out;
	opened = 1;
	if ((src = cmd_baseline_source(&o, &t, &sc, &pol, err)) == NULL)
		goto out;
	po.skip = skip;
	/* our own output is not part of the tree's record */
	if (t.kind == CS_TRUST_TREE) {
		po.nskip = cs_pipe_skip_output(&out, o.output, skip);
		cmd_baseline_header(&hdr, &o, &sc);
	} else
		cmd_baseline_header_from(&hdr, &o, &t);
	sink = cs_sink_baseline(out.fd, o.output, &hdr, key);
	cs_progress_init(&prog, "baseline", o.quiet);
	if (t.kind == CS_TRUST_TREE)
		cs_progress_estimate(&prog, o.walk.root);
	po.progress = cs_progress_cb;
	po.progress_arg = &prog;
	po.error = cmd_baseline_warn;
	n = cs_pipe_run(src, sink, &po, &st, err);
	cs_progress_end(&prog);
	if (n != 0 || cs_atomic_commit(&out, 0644, err) != 0)
		goto out;
	opened = 0;
	cmd_baseline_summary(&o, &st, key, cs_time_since(&t0));
	rc = st.errors > 0 || t.incomplete ? CS_EXIT_INCOMPLETE : CS_EXIT_OK;
out:
	for (i = 0; i < t.evres.nproblems; i++)
		cs_warn("baseline", "%s", t.evres.problems[i].msg);
	if (opened)
		cs_atomic_abort(&out);
	cs_sink_free(sink);
	cs_source_free(src);
	cs_trust_release(&t);
	cs_key_free(key);
	cs_policy_free(pol);
	OPENSSL_cleanse(&sc, sizeof sc);
	cs_bl_header_release(&hdr);
	cs_shard_plan_release(&o.plan);
	OPENSSL_cleanse(o.shard_skey, sizeof o.shard_skey);
	free(o.excludes);
	return rc;
}

const struct cs_cmd cs_cmd_baseline = {
	.name = "baseline",
	.alias = NULL,
	.usage = "[-o FILE [-f]] [--key KEY [--passphrase-file F]] "
	    "[--digest LIST] [--policy FILE] [--exclude GLOB]... "
	    "[--one-file-system|--cross-filesystems] [-j N] "
	    "[--pubkey PUB | --signer FP | --allow-unsigned] "
	    "[--custody FILE] [--shard I/N [--plan PLAN]] [-q] SOURCE",
	.summary = "write a (signed) baseline of a tree, baseline or tar",
	.help =
	    "  SOURCE is a directory (walked), a baseline or an evidence tar\n"
	    "  (verified first), or a foreign tar (read, unverified)\n"
	    "  -o, --output FILE        write to FILE ('-': standard output)\n"
	    "  -f, --force              replace FILE if it exists\n"
	    "  -k, --key KEY            sign with the private key KEY\n"
	    "      --passphrase-file F  read the key's passphrase from F\n"
	    "  -d, --digest LIST        digests: sha256 (default), sha512,\n"
	    "                           sha3-256, blake2b512, comma-separated\n"
	    "                           (a directory or a foreign tar)\n"
	    "      --policy FILE        which files carry parsed entries\n"
	    "                           (structured=, custos-policy(5))\n"
	    "  -x, --exclude GLOB       skip paths matching GLOB (repeatable)\n"
	    "      --one-file-system    stay on DIR's filesystem (default)\n"
	    "      --cross-filesystems  descend into other filesystems\n"
	    "  -j, --jobs N             hashing threads (default: CPUs)\n"
	    "      --pubkey PUB         trust a baseline or tar signed by PUB\n"
	    "      --signer FP          trust the key with fingerprint FP\n"
	    "      --allow-unsigned     accept an unsigned baseline or tar\n"
	    "      --custody FILE       an evidence tar's custody record\n"
	    "                           (default: SOURCE.custody)\n"
	    "      --shard I/N          only the I-th of N ranges of the\n"
	    "                           canonical order (1-based), unsigned\n"
	    "                           for custos merge (custos-plan(1))\n"
	    "      --plan PLAN          the ranges of PLAN (default: made\n"
	    "                           of SOURCE as custos plan makes them)\n"
	    "  -q, --quiet              no progress line and no summary on\n"
	    "                           standard error\n",
	.flags = CS_CMD_WRITES,
	.run = cmd_baseline_run,
};
