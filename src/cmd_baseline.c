/*
 * cmd_baseline.c: "custos baseline": walk a tree, write a baseline.
 *
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

#include "custos/atomic.h"
#include "custos/baseline.h"
#include "custos/cmd.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/host.h"
#include "custos/path.h"
#include "custos/pipe.h"
#include "custos/policy.h"
#include "custos/progress.h"
#include "custos/sign.h"
#include "custos/sink.h"
#include "custos/source.h"
#include "custos/structured.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

struct cmd_baseline_opts {
	const char	 *output;
	const char	 *keyfile;
	const char	 *passfile;
	const char	 *policy;
	unsigned	  digests;
	int		  force;
	int		  quiet;
	struct cs_walk_opts walk;
	const char	**excludes;
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

static int
cmd_baseline_parse(int argc, char **argv, struct cmd_baseline_opts *o,
    struct cs_err *err)
{
	size_t	 nx = 0;
	int	 c;

	memset(o, 0, sizeof *o);
	o->digests = CS_DIGEST_DEFAULT;
	o->excludes = cs_xcalloc((size_t)argc + 1, sizeof *o->excludes);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:k:d:x:j:fq",
	    cmd_baseline_longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'k': o->keyfile = optarg; break;
		case 'P': o->passfile = optarg; break;
		case 'p': o->policy = optarg; break;
		case 'd':
			if (cs_digest_parse_list(optarg, &o->digests, err))
				return -1;
			break;
		case 'x': o->excludes[nx++] = optarg; break;
		case '1': o->walk.cross_fs = 0; break;
		case 'X': o->walk.cross_fs = 1; break;
		case 'j':
			if (cmd_baseline_jobs(optarg, &o->walk.jobs, err))
				return -1;
			break;
		case 'f': o->force = 1; break;
		case 'q': o->quiet = 1; break;
		default:
			return cs_err_set(err, CS_EXIT_USAGE, 0,
			    "bad option");
		}
	}
	if (argc - optind != 1)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "expected exactly one directory");
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

/* The header: when, where, what was walked and how. */
static void
cmd_baseline_header(struct cs_bl_header *h, const struct cmd_baseline_opts *o,
    const struct cs_structured_ctx *sc)
{
	char		 hex[2 * CS_SKEY_LEN + 1];
	struct timespec	 now = cs_time_now();
	char		*s, *root;
	size_t		 i;

	s = cs_time_rfc3339(&now, 0);
	cs_bl_header_add(h, "created", s, strlen(s));
	free(s);
	s = cs_host_name();
	cs_bl_header_add(h, "host", s, strlen(s));
	free(s);
	root = realpath(o->walk.root, NULL);
	s = root != NULL ? root : cs_xstrdup(o->walk.root);
	cs_bl_header_add(h, "root", s, strlen(s));
	free(s);
	s = cs_digest_list(o->digests);
	cs_bl_header_add(h, "digests", s, strlen(s));
	free(s);
	s = cs_xasprintf("%s/%s", CS_PROGNAME, CS_VERSION);
	cs_bl_header_add(h, "tool", s, strlen(s));
	free(s);
	cs_bl_header_add(h, "filesystems", o->walk.cross_fs ? "all" : "one",
	    3);
	for (i = 0; i < o->walk.nexcludes; i++)
		cs_bl_header_add(h, "exclude", o->excludes[i],
		    strlen(o->excludes[i]));
	if (sc->has_key) {
		cs_hex(sc->key, sizeof sc->key, hex);
		cs_bl_header_add(h, CS_SKEY_HEADER, hex, strlen(hex));
	}
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
	if (cs_skey_new(sc->key, err) != 0)
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
	struct cs_source	*src = NULL;
	struct cs_sink		*sink = NULL;
	struct cs_pipe_skip	 skip[2];
	struct cs_pipe_opts	 po;
	struct cs_pipe_stats	 st;
	int			 rc = -1, opened = 0, n;

	cs_bl_header_init(&hdr);
	memset(&sc, 0, sizeof sc);
	memset(&po, 0, sizeof po);
	if (cmd_baseline_parse(argc, argv, &o, err) != 0 ||
	    cmd_baseline_structured(&o, &sc, &pol, err) != 0)
		goto out;
	if (o.keyfile != NULL &&
	    (key = cs_key_load_private(o.keyfile, o.passfile, err)) == NULL)
		goto out;
	if (cs_atomic_open(&out, o.output, o.force, err) != 0)
		goto out;
	opened = 1;
	po.skip = skip;
	/* our own output is not part of the tree's record */
	po.nskip = cs_pipe_skip_output(&out, o.output, skip);
	if ((src = cs_source_tree(&o.walk, err)) == NULL)
		goto out;
	cmd_baseline_header(&hdr, &o, &sc);
	sink = cs_sink_baseline(out.fd, o.output, &hdr, key);
	cs_progress_init(&prog, "baseline", o.quiet);
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
	rc = st.errors > 0 ? CS_EXIT_INCOMPLETE : CS_EXIT_OK;
out:
	if (opened)
		cs_atomic_abort(&out);
	cs_sink_free(sink);
	cs_source_free(src);
	cs_key_free(key);
	cs_policy_free(pol);
	OPENSSL_cleanse(&sc, sizeof sc);
	cs_bl_header_release(&hdr);
	free(o.excludes);
	return rc;
}

const struct cs_cmd cs_cmd_baseline = {
	.name = "baseline",
	.alias = NULL,
	.usage = "[-o FILE [-f]] [--key KEY [--passphrase-file F]] "
	    "[--digest LIST] [--policy FILE] [--exclude GLOB]... "
	    "[--one-file-system|--cross-filesystems] [-j N] [-q] DIR",
	.summary = "walk a directory tree and write a (signed) baseline",
	.help =
	    "  -o, --output FILE        write to FILE ('-': standard output)\n"
	    "  -f, --force              replace FILE if it exists\n"
	    "  -k, --key KEY            sign with the private key KEY\n"
	    "      --passphrase-file F  read the key's passphrase from F\n"
	    "  -d, --digest LIST        digests: sha256 (default), sha512,\n"
	    "                           sha3-256, blake2b512, comma-separated\n"
	    "      --policy FILE        which files carry parsed entries\n"
	    "                           (structured=, custos-policy(5))\n"
	    "  -x, --exclude GLOB       skip paths matching GLOB (repeatable)\n"
	    "      --one-file-system    stay on DIR's filesystem (default)\n"
	    "      --cross-filesystems  descend into other filesystems\n"
	    "  -j, --jobs N             hashing threads (default: CPUs)\n"
	    "  -q, --quiet              no progress line and no summary on\n"
	    "                           standard error\n",
	.flags = CS_CMD_WRITES,
	.run = cmd_baseline_run,
};
