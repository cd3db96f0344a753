/*
 * cmd_update.c: "custos update": a new signed baseline equal to the old
 * one plus only the changes the operator accepts.
 *
 * Open the sources, open the sink, run: the old baseline, verified first
 * (as by check), and the source (a tree or a baseline) merged by the
 * update source (update.h: the accepted paths from the source, the rest
 * from the old baseline, incomplete records refused), into a baseline
 * sink, through the driver (pipe.h).  The output is created (as a
 * temporary file) before anything is read, so a name that cannot be
 * written fails at once; the new file appears atomically, signed with
 * --key, or unsigned without it, to be signed later with "custos sign" on
 * the machine that keeps the key.
 */
#include "custos/custos.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>

#include <openssl/crypto.h>

#include "custos/atomic.h"
#include "custos/baseline.h"
#include "custos/cmd.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/host.h"
#include "custos/path.h"
#include "custos/pipe.h"
#include "custos/policy.h"
#include "custos/sign.h"
#include "custos/sink.h"
#include "custos/source.h"
#include "custos/structured.h"
#include "custos/update.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

struct cmd_update_opts {
	const char	 *baseline;
	const char	 *keyfile;
	const char	 *passfile;
	const char	 *pubkey;
	const char	 *signer;
	char		  fp[CS_FP_HEXLEN + 1];
	int		  allow_unsigned;
	const char	 *output;
	const char	 *root;
	const char	 *source;
	const char	 *policy;
	const char	**accept;
	struct cs_update_opts up;
	int		  force;
	int		  quiet;
};

static const struct option cmd_update_longopts[] = {
	{ "baseline", required_argument, NULL, 'b' },
	{ "key", required_argument, NULL, 'k' },
	{ "passphrase-file", required_argument, NULL, 'P' },
	{ "pubkey", required_argument, NULL, 'p' },
	{ "signer", required_argument, NULL, 's' },
	{ "allow-unsigned", no_argument, NULL, 'u' },
	{ "output", required_argument, NULL, 'o' },
	{ "root", required_argument, NULL, 'r' },
	{ "policy", required_argument, NULL, 'y' },
	{ "accept", required_argument, NULL, 'a' },
	{ "accept-all", no_argument, NULL, 'A' },
	{ "force", no_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

static int
cmd_update_parse(int argc, char **argv, struct cmd_update_opts *o,
    struct cs_err *err)
{
	int	 c;

	memset(o, 0, sizeof *o);
	o->accept = cs_xcalloc((size_t)argc + 1, sizeof *o->accept);
	optind = 1;
	while ((c = getopt_long(argc, argv, "b:k:p:s:o:a:fq",
	    cmd_update_longopts, NULL)) != -1) {
		switch (c) {
		case 'b': o->baseline = optarg; break;
		case 'k': o->keyfile = optarg; break;
		case 'P': o->passfile = optarg; break;
		case 'p': o->pubkey = optarg; break;
		case 's': o->signer = optarg; break;
		case 'u': o->allow_unsigned = 1; break;
		case 'o': o->output = optarg; break;
		case 'r': o->root = optarg; break;
		case 'y': o->policy = optarg; break;
		case 'a': o->accept[o->up.naccept++] = optarg; break;
		case 'A': o->up.accept_all = 1; break;
		case 'f': o->force = 1; break;
		case 'q': o->quiet = 1; break;
		default:
			return cs_err_set(err, CS_EXIT_USAGE, 0, "bad option");
		}
	}
	if (o->baseline == NULL || o->output == NULL)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "need -b OLD.cbl and -o NEW.cbl");
	if (argc - optind > 1 || (argc - optind == 1 && o->root != NULL))
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "expected at most one source (or --root DIR)");
	o->source = argc - optind == 1 ? argv[optind] : o->root;
	o->up.accept = o->accept;
	if (o->up.naccept == 0 && !o->up.accept_all)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "nothing to accept: give --accept GLOB or --accept-all");
	if (o->signer != NULL && cs_fingerprint_parse(o->signer, o->fp) != 0)
		return cs_err_set(err, CS_EXIT_USAGE, 0,
		    "'%s' is not a fingerprint (64 hex digits)", o->signer);
	if (o->pubkey == NULL && o->signer == NULL && !o->allow_unsigned)
		return cs_err_set(err, CS_EXIT_USAGE, 0, "no trusted key for "
		    "the old baseline: give --pubkey or --signer");
	return 0;
}

/* The old header, with a new creation time and where it came from. */
static void
cmd_update_header(struct cs_bl_header *h, const struct cs_bl_header *old,
    const struct cs_diff_base *a)
{
	struct timespec	 now = cs_time_now();
	char		 hex[65];
	char		*s;
	size_t		 i;

	for (i = 0; i < old->n; i++) {
		if (strcmp(old->lines[i].key, "created") == 0) {
			s = cs_time_rfc3339(&now, 0);
			cs_bl_header_add(h, "created", s, strlen(s));
			free(s);
		} else if (strcmp(old->lines[i].key, "updated-from") != 0)
			cs_bl_header_add(h, old->lines[i].key,
			    old->lines[i].value, old->lines[i].len);
	}
	cs_hex(a->sha256, sizeof a->sha256, hex);
	cs_bl_header_add(h, "updated-from", hex, strlen(hex));
}

static struct cs_source *
cmd_update_source(const struct cmd_update_opts *o, struct cs_diff_base *a,
    struct cs_structured_ctx *sc, struct cs_err *err)
{
	struct cs_walk_opts	 w;
	const char		*path = o->source != NULL ? o->source : a->root;

	if (path == NULL) {
		cs_err_set(err, CS_EXIT_USAGE, 0,
		    "no source, and the baseline names no root");
		return NULL;
	}
	memset(&w, 0, sizeof w);
	w.root = path;
	w.digests = a->digests;
	w.cross_fs = a->cross_fs;
	w.excludes = (const char *const *)a->excludes;
	w.nexcludes = a->nexcludes;
	if (sc->has_key) {
		w.structured = cs_structured_walk;
		w.structured_arg = sc;
	}
	return cs_source_open(path, &w, err);
}

/*
 * Records taken from the source carry the entries of the files the
 * policy marks structured, keyed as the old baseline's (a new key if it
 * has none, added to the header).
 */
static int
cmd_update_structured(const struct cmd_update_opts *o,
    const struct cs_diff_base *a, struct cs_structured_ctx *sc,
    struct cs_policy **pol, struct cs_bl_header *hdr, struct cs_err *err)
{
	char	 hex[2 * CS_SKEY_LEN + 1];

	*pol = o->policy != NULL ? cs_policy_load(o->policy, err) :
	    cs_policy_default(err);
	if (*pol == NULL)
		return -1;
	if (!cs_policy_has_structured(*pol))
		return 0;
	sc->policy = *pol;
	if (a->has_skey) {
		memcpy(sc->key, a->skey, sizeof sc->key);
	} else {
		if (cs_skey_new(sc->key, err) != 0)
			return -1;
		cs_hex(sc->key, sizeof sc->key, hex);
		cs_bl_header_add(hdr, CS_SKEY_HEADER, hex, strlen(hex));
	}
	sc->has_key = 1;
	return 0;
}

/* A source record not taken because it is incomplete. */
static void
cmd_update_refused(void *arg, const struct cs_entry *e)
{
	char	*shown;

	(void)arg;
	shown = cs_encode_dup(e->path);
	cs_warn("update", "'%s': not accepted: %s", shown, e->error);
	free(shown);
}

/* Merge into OUT, opened by the caller; OUT is committed on success. */
static int
cmd_update_write(struct cmd_update_opts *o, struct cs_diff_base *a,
    const struct cs_key *key, struct cs_atomic *out,
    struct cs_update_counts *cnt, struct cs_err *err)
{
	struct cs_source	*sa = NULL, *sb = NULL, *src = NULL;
	struct cs_sink		*sink = NULL;
	struct cs_pipe_skip	 skip[2];
	struct cs_bl_header	 hdr;
	struct cs_policy	*pol = NULL;
	struct cs_structured_ctx sc;
	int			 rc = -1;

	cs_bl_header_init(&hdr);
	memset(&sc, 0, sizeof sc);
	/* our own output, when it lies in the tree, is not taken from it */
	o->up.skip = skip;
	o->up.nskip = cs_pipe_skip_output(out, o->output, skip);
	o->up.refused = cmd_update_refused;

	/* Open the sources: the old baseline, the tree; the sink; run. */
	if ((sa = cs_diff_base_source(a, err)) == NULL)
		goto out;
	cmd_update_header(&hdr, cs_blr_header(cs_source_blr(sa)), a);
	if (cmd_update_structured(o, a, &sc, &pol, &hdr, err) != 0 ||
	    (sb = cmd_update_source(o, a, &sc, err)) == NULL)
		goto out;
	src = cs_source_update(sa, sb, o->source != NULL ? o->source :
	    a->root, &o->up, cnt);
	sa = sb = NULL;
	sink = cs_sink_baseline(out->fd, o->output, &hdr, key);
	if (cs_pipe_run(src, sink, NULL, NULL, err) != 0 ||
	    cs_atomic_commit(out, 0644, err) != 0)
		goto out;
	rc = 0;
out:
	cs_sink_free(sink);
	cs_source_free(src);
	cs_source_free(sa);
	cs_source_free(sb);
	cs_policy_free(pol);
	OPENSSL_cleanse(&sc, sizeof sc);
	cs_bl_header_release(&hdr);
	o->up.skip = NULL;		/* SKIP ends here */
	o->up.nskip = 0;
	return rc;
}

/*
 * A new signer is worth a word: whoever checks the new baseline must
 * trust that key instead of the old one.
 */
static void
cmd_update_signer(const struct cs_diff_base *a, const struct cs_key *key)
{
	char	*was, *now;

	if (key == NULL || !a->is_signed || a->fingerprint[0] == '\0' ||
	    strcmp(a->fingerprint, cs_key_fingerprint(key)) == 0)
		return;
	was = cs_fingerprint_pretty(a->fingerprint);
	now = cs_fingerprint_pretty(cs_key_fingerprint(key));
	cs_warn("update", "the new baseline is signed by another key than "
	    "the old one: was %s, now %s", was, now);
	free(was);
	free(now);
}

static int
cmd_update_run(int argc, char **argv, struct cs_err *err)
{
	struct cmd_update_opts	 o;
	struct cs_update_counts cnt;
	struct cs_diff_base	 a;
	struct cs_atomic	 out;
	struct cs_key		*key = NULL, *pub = NULL;
	int			 rc = -1, opened = 0;

	memset(&a, 0, sizeof a);
	memset(&cnt, 0, sizeof cnt);
	if (cmd_update_parse(argc, argv, &o, err) != 0)
		goto out;
	if (o.keyfile != NULL &&
	    (key = cs_key_load_private(o.keyfile, o.passfile, err)) == NULL)
		goto out;
	if (o.pubkey != NULL &&
	    (pub = cs_key_load_public(o.pubkey, err)) == NULL)
		goto out;
	if (cs_atomic_open(&out, o.output, o.force, err) != 0)
		goto out;
	opened = 1;
	if (cs_diff_base_load(&a, o.baseline, pub, o.signer != NULL ? o.fp :
	    NULL, o.allow_unsigned, NULL, err) != 0)
		goto out;
	cmd_update_signer(&a, key);
	if (cmd_update_write(&o, &a, key, &out, &cnt, err) != 0)
		goto out;
	if (!o.quiet)
		fprintf(stderr, "%s: update: %" PRIu64 " records taken from "
		    "the source, %" PRIu64 " dropped, %" PRIu64 " kept, %"
		    PRIu64 " refused (incomplete); %s%s\n",
		    CS_PROGNAME, cnt.taken, cnt.dropped, cnt.kept, cnt.refused,
		    key != NULL ? "signed by key " : "unsigned (sign it with "
		    "custos sign)", key != NULL ? cs_key_id(key) : "");
	rc = cnt.refused > 0 ? CS_EXIT_INCOMPLETE : CS_EXIT_OK;
out:
	if (opened)
		cs_atomic_abort(&out);
	cs_diff_base_release(&a);
	cs_key_free(key);
	cs_key_free(pub);
	free(o.accept);
	return rc;
}

const struct cs_cmd cs_cmd_update = {
	.name = "update",
	.alias = NULL,
	.usage = "-b OLD.cbl [--key KEY] -o NEW.cbl (--pubkey PUB | --signer "
	    "FP | --allow-unsigned) (--accept PATH|GLOB... | --accept-all) "
	    "[--root DIR] [--policy FILE] [-f] [-q] [SOURCE]",
	.summary = "write a new baseline with only the accepted changes",
	.help =
	    "  -b, --baseline OLD       the trusted baseline to start from\n"
	    "  -k, --key KEY            sign the new baseline with KEY\n"
	    "                           (without it: unsigned, for\n"
	    "                           custos sign on another machine)\n"
	    "      --passphrase-file F  read the key's passphrase from F\n"
	    "  -p, --pubkey PUB         trust OLD if signed by the key in PUB\n"
	    "  -s, --signer FP          trust OLD if signed by key FP\n"
	    "      --allow-unsigned     accept an unsigned OLD\n"
	    "  -o, --output NEW         the new baseline\n"
	    "  -a, --accept GLOB        take paths matching GLOB (or a path\n"
	    "                           and everything below it) from the\n"
	    "                           source (repeatable)\n"
	    "      --accept-all         take every change\n"
	    "      --root DIR           the source tree (default: OLD's root)\n"
	    "      --policy FILE        which files carry parsed entries\n"
	    "                           (structured=, custos-policy(5))\n"
	    "  -f, --force              replace NEW if it exists\n"
	    "  -q, --quiet              no summary on standard error\n",
	.flags = CS_CMD_WRITES,
	.run = cmd_update_run,
};
