/*
 * trust.c: a source for a path with a trust anchor (trust.h).
 *
 * The baseline and the tar are verified by their own readers
 * (diff_base.c, evidence_verify.c); this module only picks the reader by
 * what the path names and keeps what they leave for the command: the
 * trusted key, the verified baseline's header, the evidence's report,
 * and the notes a command prints about a tar.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/evidence_verify.h"
#include "custos/path.h"
#include "custos/sign.h"
#include "custos/source.h"
#include "custos/tar.h"
#include "custos/trust.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

/* A source whose records keep only some digests (cs_trust_digests). */
struct trust_mask {
	struct cs_source_ops	 ops;	/* the inner source's kind */
	struct cs_source	*in;
	unsigned		 mask;
};

void
cs_trust_init(struct cs_trust *t)
{
	memset(t, 0, sizeof *t);
	cs_evidence_result_init(&t->evres);
}

void
cs_trust_release(struct cs_trust *t)
{
	size_t	 i;

	for (i = 0; i < t->nnotes; i++)
		free(t->notes[i]);
	cs_evidence_result_release(&t->evres);
	cs_diff_base_release(&t->base);
	cs_key_free(t->key);
	cs_trust_init(t);
}

/* An evidence tar, verified first, or a foreign tar, said unverified. */
static struct cs_source *
trust_tar(const char *path, const struct cs_trust_opts *o, struct cs_trust *t,
    struct cs_err *err)
{
	struct cs_tar_opts	 to;
	struct cs_source	*s;

	memset(&to, 0, sizeof to);
	to.ev.file = path;
	to.ev.custody = o->custody;
	to.ev.pub = t->key;
	to.ev.fingerprint = o->fingerprint;
	to.ev.allow_unsigned = o->allow_unsigned;
	to.ev.max_member = o->max_member;
	to.ev.max_total = o->max_total;
	to.digests = o->digests;
	to.result = &t->evres;
	if ((s = cs_source_tar_open(&to, &t->info, err)) == NULL)
		return NULL;
	t->kind = t->info.foreign ? CS_TRUST_FOREIGN : CS_TRUST_EVIDENCE;
	t->nnotes = cs_tar_notes(&t->info, path, t->notes, &t->incomplete);
	return s;
}

/* A directory, walked. */
static struct cs_source *
trust_tree(const char *path, const struct cs_trust_opts *o,
    struct cs_err *err)
{
	struct cs_walk_opts	 w;

	if (o->walk != NULL)
		w = *o->walk;
	else {
		memset(&w, 0, sizeof w);
		w.digests = o->digests;
	}
	w.root = path;
	return cs_source_tree(&w, err);
}

struct cs_source *
cs_trust_open(const char *path, const struct cs_trust_opts *o,
    struct cs_trust *t, struct cs_err *err)
{
	struct stat	 sb;
	char		*shown;

	if (stat(path, &sb) != 0) {
		shown = cs_encode_dup(path);
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open '%s'",
		    shown);
		free(shown);
		return NULL;
	}
	if (S_ISDIR(sb.st_mode)) {
		t->kind = CS_TRUST_TREE;
		return trust_tree(path, o, err);
	}
	if (o->pubkey == NULL && o->fingerprint == NULL && !o->allow_unsigned) {
		cs_err_set(err, CS_EXIT_USAGE, 0, "no trusted key for a "
		    "baseline or tar: give --pubkey or --signer (or "
		    "--allow-unsigned)");
		return NULL;
	}
	if (o->pubkey != NULL &&
	    (t->key = cs_key_load_public(o->pubkey, err)) == NULL)
		return NULL;
	if (S_ISREG(sb.st_mode) && !cs_tar_is_tar(path)) {
		t->kind = CS_TRUST_BASELINE;
		if (cs_diff_base_load(&t->base, path, t->key, o->fingerprint,
		    o->allow_unsigned, NULL, err) != 0)
			return NULL;
		return cs_diff_base_source(&t->base, err);
	}
	return trust_tar(path, o, t, err);
}

static int
trust_mask_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct trust_mask	*m = impl;
	int			 n;

	if ((n = cs_source_next(m->in, ep, err)) == 1)
		(*ep)->digests &= m->mask;
	return n;
}

static void
trust_mask_close(void *impl)
{
	struct trust_mask	*m = impl;

	cs_source_free(m->in);
	free(m);
}

static struct cs_content *
trust_mask_content(void *impl)
{
	struct trust_mask	*m = impl;

	return cs_source_content(m->in);
}

struct cs_source *
cs_trust_digests(struct cs_source *in, unsigned mask, const char *path)
{
	struct trust_mask	*m;
	struct cs_source	*s;

	m = cs_xcalloc(1, sizeof *m);
	m->ops.kind = cs_source_kind(in);
	m->ops.next = trust_mask_next;
	m->ops.close = trust_mask_close;
	m->ops.content = trust_mask_content;
	m->in = in;
	m->mask = mask;
	s = cs_source_new(&m->ops, m, path);
	cs_source_set_carries(s, cs_source_carries(in));
	return s;
}
