/*
 * cmd_merge.c: "custos merge": the shards of one plan (baseline
 * --shard) as one baseline, whose records are those an unsharded run
 * writes, byte for byte.
 *
 * Every part is verified before anything is written: its content against
 * its trailer's digest, its signature when it is signed (with --pubkey
 * or --signer; a signed part without one is refused), and its header:
 * all parts are shards of one plan (its digest and N), one each, their
 * ranges disjoint and contiguous from the first path to the end, taken
 * of one root with the same digests, filesystems, excludes and keys.
 * The message names the part at fault.  Then the parts are read in
 * order (the reader holds each to the range its header names) as one
 * source into a baseline sink: linear time, and memory bounded by one
 * record and the headers.
 */
#include "custos/custos.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "custos/atomic.h"
#include "custos/baseline.h"
#include "custos/cmd.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/pipe.h"
#include "custos/shard.h"
#include "custos/range.h"
#include "custos/sign.h"
#include "custos/sink.h"
#include "custos/source.h"
#include "custos/xmalloc.h"

#define MERGE_OPT_PUBKEY	0x301
#define MERGE_OPT_SIGNER	0x302
#define MERGE_OPT_UNSIGNED	0x303

struct cmd_merge_opts {
	const char	 *output;
	const char	 *keyfile;
	const char	 *passfile;
	const char	 *pubkey;
	char		  fp[CS_FP_HEXLEN + 1];
	int		  has_fp;
	int		  allow_unsigned;
	int		  force;
	int		  quiet;
	char		**parts;
	int		  nparts;
};

/* One part: its verified baseline, header, and place in the plan. */
struct merge_part {
	const char		*file;
	struct cs_diff_base	 base;
	struct cs_bl_header	 hdr;
	unsigned		 i, n;
	const char		*plan;		/* hex, in hdr */
	struct cs_range		 range;		/* its paths in hdr */
};

/* The parts read one after another, as one source (merge_chain_*). */
struct merge_chain {
	struct merge_part	**order;	/* by shard */
	unsigned		  n;
	unsigned		  next;		/* the part to open next */
	struct cs_source	 *cur;
};

static const struct option cmd_merge_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "key", required_argument, NULL, 'k' },
	{ "passphrase-file", required_argument, NULL, 'P' },
	{ "force", no_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "pubkey", required_argument, NULL, MERGE_OPT_PUBKEY },
	{ "signer", required_argument, NULL, MERGE_OPT_SIGNER },
	{ "allow-unsigned", no_argument, NULL, MERGE_OPT_UNSIGNED },
	{ NULL, 0, NULL, 0 }
};

/* Header keys a part may have of its own; all others must agree. */
static const char *const merge_own_keys[] = {
	"created", "host", "tool", "shard", "shard-from", "shard-to"
};

static int
cmd_merge_parse(int argc, char **argv, struct cmd_merge_opts *o,
    struct cs_err *err)
{
	int	 c;

	memset(o, 0, sizeof *o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:k:P:fq", cmd_merge_longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'k': o->keyfile = optarg; break;
		case 'P': o->passfile = optarg; break;
		case 'f': o->force = 1; break;
		case 'q': o->quiet = 1; break;
		case MERGE_OPT_PUBKEY: o->pubkey = optarg; break;
		case MERGE_OPT_SIGNER:
			if (cs_fingerprint_parse(optarg, o->fp) != 0)
				return cs_err_set(err, CS_EXIT_USAGE, 0, "'%s' "
				    "is not a fingerprint (64 hex digits)",
				    optarg);
			o->has_fp = 1;
			break;
		case MERGE_OPT_UNSIGNED: o->allow_unsigned = 1; break;
		default:
			return cs_err_set(err, CS_EXIT_USAGE, 0, "bad option");
		}
	}
	if (o->output == NULL)
		return cs_err_set(err, CS_EXIT_USAGE, 0, "-o FILE is required");
	if (argc - optind < 1)
		return cs_err_set(err, CS_EXIT_USAGE, 0, "expected the parts");
	o->parts = argv + optind;
	o->nparts = argc - optind;
	return 0;
}

/* Set ERR to "part 'FILE': MSG" (CODE), keeping an earlier errno. */
static int
cmd_merge_fail(struct cs_err *err, int code, const char *file,
    const char *msg)
{
	char	*shown = cs_encode_dup(file);
	char	*m = cs_xasprintf("part '%s': %s", shown, msg);
	int	 errnum = err->errnum;

	cs_err_set(err, code, errnum, "%s", m);
	free(m);
	free(shown);
	return -1;
}

/* Prefix the message in ERR with the part it is about. */
static int
cmd_merge_name(struct cs_err *err, const char *file)
{
	char	*msg = cs_xstrdup(err->msg != NULL ? err->msg : "failed");

	cmd_merge_fail(err, err->code, file, msg);
	free(msg);
	return -1;
}

/* The shard keys of P's header (its range's paths borrowed from it). */
static int
cmd_merge_shard(struct merge_part *p, struct cs_err *err)
{
	const char	*v;
	size_t		 i;

	if ((v = cs_bl_header_get(&p->hdr, "shard")) == NULL ||
	    cs_shard_parse(v, strlen(v), &p->i, &p->n) != 0 ||
	    (p->plan = cs_bl_header_get(&p->hdr, "plan-sha256")) == NULL)
		return cmd_merge_fail(err, CS_EXIT_DATAERR, p->file, "not a "
		    "shard (no shard and plan-sha256 in its header)");
	memset(&p->range, 0, sizeof p->range);
	for (i = 0; i < p->hdr.n; i++) {
		if (strcmp(p->hdr.lines[i].key, "shard-from") == 0) {
			p->range.from = p->hdr.lines[i].value;
			p->range.fromlen = p->hdr.lines[i].len;
		} else if (strcmp(p->hdr.lines[i].key, "shard-to") == 0) {
			p->range.to = p->hdr.lines[i].value;
			p->range.tolen = p->hdr.lines[i].len;
		}
	}
	return 0;
}

/*
 * Verify part P (signature, digest) and read its header.  A signed part
 * needs a trust anchor; with one, an unsigned part needs
 * --allow-unsigned.
 */
static int
cmd_merge_load(struct merge_part *p, const struct cmd_merge_opts *o,
    const struct cs_key *key, struct cs_err *err)
{
	const struct cs_bl_header *h;
	struct cs_blr	*r;
	size_t		 i;
	int		 anchor = key != NULL || o->has_fp;

	if (cs_diff_base_load(&p->base, p->file, key, o->has_fp ? o->fp :
	    NULL, !anchor || o->allow_unsigned, NULL, err) != 0)
		return cmd_merge_name(err, p->file);
	if (p->base.is_signed && !p->base.verified)
		return cmd_merge_fail(err, CS_EXIT_INTEGRITY, p->file, "is "
		    "signed: give --pubkey or --signer to verify it");
	if ((r = cs_blr_open(p->file, err)) == NULL)
		return cmd_merge_name(err, p->file);
	h = cs_blr_header(r);
	for (i = 0; i < h->n; i++)
		cs_bl_header_add(&p->hdr, h->lines[i].key, h->lines[i].value,
		    h->lines[i].len);
	cs_blr_close(r);
	return cmd_merge_shard(p, err);
}

/* Is KEY one a part may have of its own? */
static int
cmd_merge_own(const char *key)
{
	size_t	 i;

	for (i = 0; i < CS_NELEM(merge_own_keys); i++) {
		if (strcmp(key, merge_own_keys[i]) == 0)
			return 1;
	}
	return 0;
}

/* Do A and B agree on every header line but their own keys? */
static int
cmd_merge_same(const struct cs_bl_header *a, const struct cs_bl_header *b)
{
	size_t	 i = 0, j = 0;

	for (;;) {
		while (i < a->n && cmd_merge_own(a->lines[i].key))
			i++;
		while (j < b->n && cmd_merge_own(b->lines[j].key))
			j++;
		if (i == a->n || j == b->n)
			return i == a->n && j == b->n;
		if (strcmp(a->lines[i].key, b->lines[j].key) != 0 ||
		    a->lines[i].len != b->lines[j].len ||
		    memcmp(a->lines[i].value, b->lines[j].value,
		    a->lines[i].len) != 0)
			return 0;
		i++;
		j++;
	}
}

/*
 * Check that the parts are the N shards of one plan, once each, and put
 * them in ORDER by shard; then that their ranges follow one another.
 */
static int
cmd_merge_plan(struct merge_part *parts, unsigned nparts,
    struct merge_part **order, struct cs_err *err)
{
	struct merge_part	*p, *q, *first = &parts[0];
	char			*a, *b;
	unsigned		 k;
	int			 c;

	for (k = 0; k < nparts; k++) {
		p = &parts[k];
		if (p->n != first->n || strcmp(p->plan, first->plan) != 0)
			return cmd_merge_fail(err, CS_EXIT_DATAERR, p->file,
			    "is a shard of another plan than the first part");
		if (!cmd_merge_same(&p->hdr, &first->hdr))
			return cmd_merge_fail(err, CS_EXIT_DATAERR, p->file,
			    "was taken of another root, or with other "
			    "digests, filesystems, excludes or keys, than "
			    "the first part");
		if ((q = order[p->i - 1]) != NULL) {
			a = cs_encode_dup(q->file);
			b = cs_xasprintf("is shard %u/%u, as '%s' is", p->i,
			    p->n, a);
			cmd_merge_fail(err, CS_EXIT_DATAERR, p->file, b);
			free(b);
			free(a);
			return -1;
		}
		order[p->i - 1] = p;
	}
	for (k = 0; k < first->n; k++) {
		if (order[k] == NULL)
			return cs_err_set(err, CS_EXIT_DATAERR, 0, "shard "
			    "%u/%u is missing", k + 1, first->n);
	}
	for (k = 0; k < first->n; k++) {
		p = order[k];
		q = k > 0 ? order[k - 1] : NULL;
		if ((k == 0) != (p->range.from == NULL) ||
		    (k + 1 == first->n) != (p->range.to == NULL) ||
		    (p->range.from != NULL && p->range.to != NULL &&
		    cs_path_cmp(p->range.from, p->range.fromlen, p->range.to,
		    p->range.tolen) > 0))
			return cmd_merge_fail(err, CS_EXIT_DATAERR, p->file,
			    "has a range that is not its shard's");
		/* past the first, both ends are paths */
		if (q == NULL || (c = cs_path_cmp(q->range.to, q->range.tolen,
		    p->range.from, p->range.fromlen)) == 0)
			continue;
		a = cs_encode_dup(q->file);
		b = cs_xasprintf("%s '%s', the shard before it", c > 0 ?
		    "overlaps the range of" : "leaves a gap after", a);
		cmd_merge_fail(err, CS_EXIT_DATAERR, p->file, b);
		free(b);
		free(a);
		return -1;
	}
	return 0;
}

static int
merge_chain_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct merge_chain	*c = impl;
	struct merge_part	*p;
	int			 rc;

	for (;;) {
		if (c->cur == NULL) {
			if (c->next == c->n)
				return 0;
			p = c->order[c->next++];
			if ((c->cur = cs_diff_base_source(&p->base,
			    err)) == NULL)
				return -1;
		}
		if ((rc = cs_source_next(c->cur, ep, err)) != 0)
			return rc;
		cs_source_free(c->cur);
		c->cur = NULL;
	}
}

static void
merge_chain_close(void *impl)
{
	struct merge_chain	*c = impl;

	cs_source_free(c->cur);
	free(c);
}

static const struct cs_source_ops merge_chain_ops = {
	"baseline", merge_chain_next, merge_chain_close, NULL
};

/* "a,b,c": the distinct hosts of the parts, in shard order. */
static char *
cmd_merge_hosts(struct merge_part **order, unsigned n)
{
	struct cs_buf	 b;
	const char	*h, *seen;
	unsigned	 k, j;

	cs_buf_init(&b);
	for (k = 0; k < n; k++) {
		h = order[k]->base.host != NULL ? order[k]->base.host :
		    "unknown";
		for (j = 0; j < k; j++) {
			seen = order[j]->base.host != NULL ?
			    order[j]->base.host : "unknown";
			if (strcmp(seen, h) == 0)
				break;
		}
		if (j < k)
			continue;
		if (b.len > 0)
			cs_buf_addc(&b, ',');
		cs_buf_adds(&b, h);
	}
	return cs_buf_detach(&b, NULL);
}

/*
 * The merged header: the first part's, its own keys left out, with
 * the earliest creation time, the hosts of all parts, and the number
 * of shards next to the plan's digest.
 */
static void
cmd_merge_header(struct cs_bl_header *h, struct merge_part **order,
    unsigned n)
{
	const struct cs_bl_header	*f = &order[0]->hdr;
	const char			*created = NULL, *v;
	char				*s;
	unsigned			 k;
	size_t				 i;

	for (k = 0; k < n; k++) {
		v = order[k]->base.created;
		if (v != NULL && (created == NULL || strcmp(v, created) < 0))
			created = v;
	}
	for (i = 0; i < f->n; i++) {
		if (strcmp(f->lines[i].key, "created") == 0 && created != NULL)
			cs_bl_header_add(h, "created", created,
			    strlen(created));
		else if (strcmp(f->lines[i].key, "host") == 0) {
			s = cmd_merge_hosts(order, n);
			cs_bl_header_add(h, "host", s, strlen(s));
			free(s);
		} else if (strcmp(f->lines[i].key, "plan-sha256") == 0) {
			s = cs_xasprintf("%u", n);
			cs_bl_header_add(h, "shards", s, strlen(s));
			free(s);
			cs_bl_header_add(h, f->lines[i].key,
			    f->lines[i].value, f->lines[i].len);
		} else if (!cmd_merge_own(f->lines[i].key) ||
		    strcmp(f->lines[i].key, "tool") == 0)
			cs_bl_header_add(h, f->lines[i].key,
			    f->lines[i].value, f->lines[i].len);
	}
}

/* Verify every part and put them in shard order (ORDER, N of them). */
static int
cmd_merge_check(const struct cmd_merge_opts *o, struct merge_part *parts,
    struct merge_part **order, struct cs_err *err)
{
	struct cs_key	*pub = NULL;
	int		 k, rc = -1;

	if (o->pubkey != NULL &&
	    (pub = cs_key_load_public(o->pubkey, err)) == NULL)
		return -1;
	for (k = 0; k < o->nparts; k++) {
		parts[k].file = o->parts[k];
		if (cmd_merge_load(&parts[k], o, pub, err) != 0)
			goto out;
	}
	rc = cmd_merge_plan(parts, (unsigned)o->nparts, order, err);
out:
	cs_key_free(pub);
	return rc;
}

static int
cmd_merge_run(int argc, char **argv, struct cs_err *err)
{
	struct cmd_merge_opts	 o;
	struct merge_part	*parts = NULL, **order = NULL;
	struct merge_chain	*chain;
	struct cs_bl_header	 hdr;
	struct cs_atomic	 out;
	struct cs_key		*key = NULL;
	struct cs_source	*src = NULL;
	struct cs_sink		*sink = NULL;
	struct cs_pipe_stats	 st;
	int			 k, rc = -1, opened = 0;

	if (argc > 1 && strcmp(argv[1], "--reports") == 0)
		return cmd_merge_reports(argc, argv, err);
	cs_bl_header_init(&hdr);
	if (cmd_merge_parse(argc, argv, &o, err) != 0)
		goto out;
	parts = cs_xcalloc((size_t)o.nparts, sizeof *parts);
	for (k = 0; k < o.nparts; k++)
		cs_bl_header_init(&parts[k].hdr);
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	order = cs_xcalloc(CS_SHARD_MAX, sizeof *order);
	if (o.keyfile != NULL &&
	    (key = cs_key_load_private(o.keyfile, o.passfile, err)) == NULL)
		goto out;
	if (cs_atomic_check(o.output, o.force, err) != 0 ||
	    cmd_merge_check(&o, parts, order, err) != 0)
		goto out;
	cmd_merge_header(&hdr, order, parts[0].n);
	if (cs_atomic_open(&out, o.output, o.force, err) != 0)
		goto out;
	opened = 1;
	chain = cs_xcalloc(1, sizeof *chain);
	chain->order = order;
	chain->n = parts[0].n;
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): nparts >= 1 */
	src = cs_source_new(&merge_chain_ops, chain, o.parts[0]);
	sink = cs_sink_baseline(out.fd, o.output, &hdr, key);
	if (cs_pipe_run(src, sink, NULL, &st, err) != 0 ||
	    cs_atomic_commit(&out, 0644, err) != 0)
		goto out;
	opened = 0;
	if (!o.quiet)
		fprintf(stderr, "%s: merge: %u shards, %llu records%s%s\n",
		    CS_PROGNAME, parts[0].n, (unsigned long long)st.records,
		    key != NULL ? ", signed by key " : " (unsigned)",
		    key != NULL ? cs_key_id(key) : "");
	rc = CS_EXIT_OK;
out:
	if (opened)
		cs_atomic_abort(&out);
	cs_sink_free(sink);
	cs_source_free(src);
	for (k = 0; parts != NULL && k < o.nparts; k++) {
		cs_diff_base_release(&parts[k].base);
		cs_bl_header_release(&parts[k].hdr);
	}
	free(parts);
	free(order);
	cs_key_free(key);
	cs_bl_header_release(&hdr);
	return rc;
}

const struct cs_cmd cs_cmd_merge = {
	.name = "merge",
	.alias = NULL,
	.usage = "-o FILE [-f] [--key KEY [--passphrase-file F]] "
	    "[--pubkey PUB | --signer FP] [--allow-unsigned] [-q] PART...\n"
	    "       custos merge --reports [-o FILE [-f]] "
	    "[--format json|text|line] [--root DIR] [-b BASE.cbl "
	    "(--pubkey PUB | --signer FP | --allow-unsigned)] "
	    "PART.jsonl...",
	.summary = "merge the shards of one plan (baselines, reports)",
	.help =
	    "  PART is a baseline written with baseline --shard I/N\n"
	    "  -o, --output FILE        write to FILE ('-': standard output)\n"
	    "  -f, --force              replace FILE if it exists\n"
	    "  -k, --key KEY            sign with the private key KEY\n"
	    "      --passphrase-file F  read the key's passphrase from F\n"
	    "      --pubkey PUB         signed parts must be signed by PUB\n"
	    "      --signer FP          ... by the key with fingerprint FP\n"
	    "      --allow-unsigned     with --pubkey or --signer, accept\n"
	    "                           unsigned parts too\n"
	    "  -q, --quiet              no summary on standard error\n"
	    "  With --reports, PART.jsonl is a JSON Lines report of check\n"
	    "  --shard: the report of the whole check is written\n"
	    "      --format FMT         json (default), text or line\n"
	    "      --root DIR           re-read start-up files from DIR to\n"
	    "                           correlate across the parts\n"
	    "  -b, --baseline BASE.cbl  find copies of its files among the\n"
	    "                           files the parts add\n",
	.flags = CS_CMD_WRITES,
	.run = cmd_merge_run,
};
