/*
 * snap_custody.c: the facts of an evidence snapshot (snap_custody.h,
 * doc/custos-evidence.5).
 *
 * Invariants: the keys appear in the order doc/custos-evidence.5 lists
 * them; the record in the archive is the sidecar's start facts with
 * "status: in-progress"; the sidecar's status is the result's.
 */
#include "custos/custos.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/custody.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/host.h"
#include "custos/sign.h"
#include "custos/snap_custody.h"
#include "custos/snapshot.h"
#include "custos/xmalloc.h"

static void
sc_add(struct cs_bl_header *h, const char *k, const char *v)
{
	cs_bl_header_add(h, k, v, strlen(v));
}

static void
sc_addf(struct cs_bl_header *h, const char *k, const char *fmt, ...)
    CS_PRINTF(3, 4);

static void
sc_addf(struct cs_bl_header *h, const char *k, const char *fmt, ...)
{
	va_list	 ap;
	char	*v;

	va_start(ap, fmt);
	v = cs_xvasprintf(fmt, ap);
	va_end(ap);
	sc_add(h, k, v);
	free(v);
}

void
cs_snap_custody_start(struct cs_bl_header *h, const struct cs_snap_opts *o,
    const char *started)
{
	char	*v;
	int	 i;
	size_t	 j;

	sc_add(h, "format", "custos-evidence 1");
	sc_add(h, "case", o->case_id);
	sc_add(h, "label", o->label);
	sc_add(h, "operator", o->operator_name);
	if (o->note != NULL)
		sc_add(h, "note", o->note);
	v = cs_host_name();
	sc_add(h, "host", v);
	free(v);
	if ((v = cs_host_machine_id()) != NULL)
		sc_add(h, "machine-id", v);
	free(v);
	sc_add(h, "started", started);
	sc_addf(h, "tool", "%s/%s", CS_PROGNAME, CS_VERSION);
	sc_add(h, "argv", CS_PROGNAME);
	for (i = 0; i < o->argc; i++)
		sc_add(h, "argv", o->argv[i]);
	v = realpath(o->root, NULL);
	sc_add(h, "source", v != NULL ? v : o->root);
	free(v);
	for (j = 0; j < o->nexcludes; j++)
		sc_add(h, "exclude", o->excludes[j]);
	v = cs_digest_list(o->digests);
	sc_add(h, "digests", v);
	free(v);
	sc_add(h, "output", o->output);
	sc_addf(h, "block-size", "%zu", o->block_size);
	if (o->key != NULL)
		sc_add(h, "signer", cs_key_fingerprint(o->key));
}

void
cs_snap_custody_error(struct cs_bl_header *h, const struct cs_entry *e)
{
	struct cs_buf	 v;

	cs_buf_init(&v);
	cs_buf_add(&v, e->path, e->pathlen);
	cs_buf_adds(&v, ": ");
	cs_buf_adds(&v, e->error);
	cs_bl_header_add(h, "error", v.data, v.len);
	cs_buf_release(&v);
}

int
cs_snap_custody_initial(const struct cs_bl_header *start,
    const struct cs_key *key, struct cs_buf *b, struct cs_err *err)
{
	struct cs_bl_header	 h;
	size_t			 i;
	int			 rc;

	cs_bl_header_init(&h);
	for (i = 0; i < start->n; i++)
		cs_bl_header_add(&h, start->lines[i].key,
		    start->lines[i].value, start->lines[i].len);
	sc_add(&h, "status", "in-progress");
	rc = cs_custody_format(b, &h, key, err);
	cs_bl_header_release(&h);
	return rc;
}

void
cs_snap_custody_manifest_header(struct cs_bl_header *h,
    const struct cs_bl_header *custody, const struct cs_snap_opts *o,
    const char *started, const char *finished, uint64_t members)
{
	char	*v;
	size_t	 i;

	sc_add(h, "created", started);
	v = cs_host_name();
	sc_add(h, "host", v);
	free(v);
	sc_add(h, "root", cs_bl_header_get(custody, "source"));
	sc_add(h, "digests", cs_bl_header_get(custody, "digests"));
	sc_addf(h, "tool", "%s/%s", CS_PROGNAME, CS_VERSION);
	sc_add(h, "filesystems", o->cross_fs ? "all" : "one");
	for (i = 0; i < o->nexcludes; i++)
		sc_add(h, "exclude", o->excludes[i]);
	sc_add(h, "evidence", "custos-evidence 1");
	sc_add(h, "case", o->case_id);
	sc_add(h, "label", o->label);
	sc_add(h, "finished", finished);
	sc_addf(h, "members", "%" PRIu64, members);
}

int
cs_snap_custody_finish(struct cs_bl_header *h, int fd,
    const struct cs_snap_result *r, const char *finished, int stream_done,
    const unsigned char *mdig, const struct cs_key *key, struct cs_err *err)
{
	char	 hex[2 * CS_DIGEST_MAXLEN + 1], k[64];
	int	 d;

	sc_add(h, "finished", finished != NULL ? finished : "");
	sc_addf(h, "objects", "%" PRIu64, r->objects);
	sc_addf(h, "members", "%" PRIu64, r->members);
	sc_addf(h, "bytes", "%" PRIu64, r->bytes);
	sc_addf(h, "errors", "%" PRIu64, r->errors);
	if (stream_done) {
		cs_hex(mdig, 32, hex);
		sc_add(h, "manifest-sha256", hex);
		sc_addf(h, "stream-size", "%" PRIu64, r->stream_size);
		for (d = 0; d < CS_D_COUNT; d++) {
			if ((r->stream_digests & (1U << d)) == 0)
				continue;
			cs_hex(r->stream[d], cs_digest_len((enum cs_digest)d),
			    hex);
			(void)snprintf(k, sizeof k, "stream-%s",
			    cs_digest_name((enum cs_digest)d));
			sc_add(h, k, hex);
		}
		if (r->protection != NULL)
			sc_add(h, "protection", r->protection);
		if (r->verified != 0)
			sc_add(h, "verified-after", r->verified > 0 ?
			    "yes" : "MISMATCH");
	}
	sc_add(h, "status", r->status == CS_SNAP_COMPLETE ? "complete" :
	    r->status == CS_SNAP_INCOMPLETE ? "incomplete" : "failed");
	return cs_custody_write(fd, r->custody, h, key, err);
}
