/*
 * evidence_custody.c: the custody records of an evidence tar, checked
 * for the verifier (evidence_verify.c): the first member, the custody
 * record as the snapshot began, and the sidecar, the authority on the
 * stream (its size and digest, the status) and on who vouches for it
 * (its signature is the one the report gives).
 */
#include "custos/custos.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/custody.h"
#include "custos/digest.h"
#include "custos/err.h"
#include "custos/evidence.h"
#include "custos/evidence_verify.h"
#include "custos/path.h"
#include "custos/snapshot.h"
#include "custos/tarprobe.h"
#include "custos/xmalloc.h"

#include "evidence_int.h"

/* Check a signature: with a trusted key, or demand one. */
const char *
cs_ev_signature(struct ev *v, const struct cs_bl_trailer *tr, const char *what)
{
	struct cs_err	 e;

	if (tr == NULL || !tr->is_signed) {
		if (!v->o.allow_unsigned) {
			char *shown = cs_encode_dup(what);

			cs_ev_problem(v, CS_EXIT_INTEGRITY, "'%s' is NOT SIGNED "
			    "(use --allow-unsigned to check the rest)", shown);
			free(shown);
		}
		return "none";
	}
	if (v->o.pub == NULL && v->o.fingerprint == NULL)
		return "present, not checked (no trusted key)";
	cs_err_init(&e);
	if (cs_bl_verify_signature(tr, v->o.pub, v->o.fingerprint, what,
	    &e) != 0) {
		cs_ev_problem_err(v, &e);
		return "BAD";
	}
	return EV_GOOD;
}

/* The first member: the custody record at the start. */
void
cs_ev_custody_member(struct ev *v, struct cs_evm *m)
{
	struct cs_buf	 b;
	struct cs_err	 e;
	unsigned	 d = 0;

	cs_buf_init(&b);
	cs_err_init(&e);
	if (strcmp(archive_entry_pathname(m->ae), CS_SNAP_CUSTODY) != 0) {
		/* Not a byte of its content is read. */
		cs_ev_problem(v, CS_EXIT_INTEGRITY, "'%s' is not custos evidence: "
		    "a %s whose first member is '%s', not the custody record "
		    "'%s'", v->shown, cs_tarprobe_format_name(cs_evr_format(
		    v->r)), m->name, CS_SNAP_CUSTODY);
		v->foreign = 1;
		goto out;
	}
	if (cs_evr_read(v->r, m, &b, CS_CUSTODY_MAX, -1, &e) != 0) {
		cs_ev_problem_err(v, &e);
		goto out;
	}
	if (cs_custody_parse(&v->start, b.data != NULL ? b.data : "", b.len,
	    CS_SNAP_CUSTODY, &e) != 0) {
		cs_ev_problem_err(v, &e);
		goto out;
	}
	v->have_start = 1;
	if (cs_custody_get(&v->start, "digests") == NULL ||
	    cs_digest_parse_list(cs_custody_get(&v->start, "digests"), &d,
	    &e) != 0) {
		cs_err_release(&e);
		cs_ev_problem(v, CS_EXIT_DATAERR, "member '%s': bad field "
		    "'digests'", m->name);
	} else
		cs_evr_set_digests(v->r, d);
	/* Checked; the report gives the sidecar's (the authority). */
	(void)cs_ev_signature(v, &v->start.tr, CS_SNAP_CUSTODY);
out:
	cs_err_release(&e);
	cs_buf_release(&b);
}

/*
 * The sidecar custody record: the authority on the stream, and the
 * signature state the report gives.
 */
void
cs_ev_sidecar_load(struct ev *v)
{
	const char	*path = v->o.custody;
	struct cs_err	 err;
	char		*def = NULL, *shown;

	cs_err_init(&err);
	if (path == NULL)
		path = def = cs_xasprintf("%s.custody", v->o.file);
	shown = cs_encode_dup(path);
	free(v->res->custody);
	v->res->custody = cs_xstrdup(path);
	if (cs_custody_load(&v->side, path, &err) != 0) {
		if (err.code == CS_EXIT_NOINPUT)
			cs_ev_problem(v, CS_EXIT_NOINPUT, "custody record missing: "
			    "cannot open '%s' (give --custody FILE)", shown);
		else
			cs_ev_problem_err(v, &err);
		goto out;
	}
	v->have_side = 1;
	v->res->custody_sig = cs_ev_signature(v, &v->side.tr, path);
out:
	free(shown);
	free(def);
	cs_err_release(&err);
}

/* The sidecar must belong to this archive: the first member's fields. */
void
cs_ev_sidecar_same(struct ev *v)
{
	static const char *const same[] = { "case", "label", "operator",
	    "host", "started", "source" };
	const char	*a, *b;
	size_t		 i;

	for (i = 0; i < CS_NELEM(same) && v->have_start && v->have_side;
	    i++) {
		a = cs_custody_get(&v->start, same[i]);
		b = cs_custody_get(&v->side, same[i]);
		if ((a == NULL) != (b == NULL) || (a != NULL &&
		    strcmp(a, b) != 0))
			cs_ev_problem(v, CS_EXIT_INTEGRITY, "custody record: "
			    "field '%s' does not match the archive's first "
			    "member (wrong custody record?)", same[i]);
	}
}

/* The sidecar must hold the stream's size and digest, and a status. */
void
cs_ev_sidecar_stream(struct ev *v)
{
	const char	*a, *st;
	char		 hex[2 * CS_DIGEST_MAXLEN + 1], key[64];
	int		 d;

	if (!v->have_side)
		return;
	st = cs_custody_get(&v->side, "stream-size");
	(void)snprintf(key, sizeof key, "%" PRIu64, v->res->size);
	if (st == NULL || strcmp(st, key) != 0)
		cs_ev_problem(v, CS_EXIT_INTEGRITY, "custody record: field "
		    "'stream-size' is %s, the archive has %" PRIu64 " bytes",
		    st != NULL ? st : "missing", v->res->size);
	for (d = 0; d < CS_D_COUNT; d++) {
		(void)snprintf(key, sizeof key, "stream-%s",
		    cs_digest_name((enum cs_digest)d));
		if ((a = cs_custody_get(&v->side, key)) == NULL)
			continue;
		if (d != CS_D_SHA256)
			continue;	/* SHA-256 is the one checked */
		cs_hex(v->stream[d], cs_digest_len((enum cs_digest)d), hex);
		if (strcmp(a, hex) != 0)
			cs_ev_problem(v, CS_EXIT_INTEGRITY, "custody record: "
			    "field '%s' does not match the archive's digest "
			    "%s (the archive was altered)", key, hex);
	}
	if (cs_custody_get(&v->side, "stream-sha256") == NULL)
		cs_ev_problem(v, CS_EXIT_INTEGRITY, "custody record: field "
		    "'stream-sha256' is missing");
	st = cs_custody_get(&v->side, "status");
	if (st == NULL || (strcmp(st, "complete") != 0 &&
	    strcmp(st, "incomplete") != 0))
		cs_ev_problem(v, CS_EXIT_INTEGRITY, "custody record: field "
		    "'status' is '%s': NOT a complete snapshot",
		    st != NULL ? st : "missing");
}
