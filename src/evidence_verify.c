/*
 * evidence_verify.c: verify an evidence tar, and hand out its records
 * only as they are verified (evidence.h).
 *
 * One verifier serves "custos verify" and the evidence source of "custos
 * check", in one of two ways through the archive:
 *
 * - spool (a pipe or tape): one pass reads every member, checks its
 *   content against the digests in its own header and the canonical
 *   order, and spools its record; then the sidecar custody record (its
 *   signature, and the stream digest), the manifest (its signature), and
 *   the join of the manifest with the spool.  Nothing vouches for the
 *   members' sizes before they are read: their logical sizes are limited
 *   (max_member, max_total in struct cs_evidence_opts);
 * - seek (a regular file): the sidecar custody record is read and the
 *   stream digest of the whole file checked against it first, before
 *   libarchive parses any of it; then the headers are walked, seeking
 *   over the content, for the custody member (the first) and the
 *   manifest (the last); only then a second pass reads the members, each
 *   checked against its header and joined with the manifest, and none
 *   whose logical size exceeds its manifest record's is read at all; its
 *   stream digest must equal the first one (the same file).
 *
 * A first member that is not the custody record ends the reading: the
 * archive is not custos evidence, and nothing more of it is worth a byte.
 *
 * The join is cs_join (join.h) of the manifest's records with the
 * members' records: a member must match its record, a record with
 * content must have its member.  Every problem is recorded, by member or
 * field name, not just the first; a source with problems fails.  Nothing
 * is printed here: the problems, the custody fields, the counts and the
 * signature states go into a struct cs_evidence_result
 * (evidence_verify.h) for the command to print.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "custos/atomic.h"
#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/custody.h"
#include "custos/join.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/evidence.h"
#include "custos/evidence_verify.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/sign.h"
#include "custos/snapshot.h"
#include "custos/source.h"
#include "custos/tarprobe.h"
#include "custos/xmalloc.h"

#include "evidence_int.h"

static void	ev_report(struct ev *);

/* Add one problem to the result and remember the exit code. */
void
cs_ev_problem(struct ev *v, int code, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = cs_xvasprintf(fmt, ap);
	va_end(ap);
	cs_evidence_result_add(v->res, code, msg);
}

void
cs_ev_problem_err(struct ev *v, struct cs_err *e)
{
	cs_ev_problem(v, e->code, "%s%s%s", e->msg != NULL ? e->msg : "error",
	    e->errnum != 0 ? ": " : "", e->errnum != 0 ? strerror(e->errnum) :
	    "");
	cs_err_release(e);
	cs_err_init(e);
}

/*
 * The summary of the problems, as the error of the whole; with no
 * caller to list them, it names the first.
 */
static int
ev_fail(const struct ev *v, struct cs_err *err)
{
	const struct cs_evidence_result	*res = v->res;
	size_t				 n = res->nproblems;
	int				 code;

	code = res->code != 0 ? res->code : CS_EXIT_INTEGRITY;
	if (res == &v->own && n > 0)
		return cs_err_set(err, code, 0, "'%s' DOES NOT VERIFY: %s "
		    "(%zu problem%s)", v->shown, res->problems[0].msg, n,
		    n == 1 ? "" : "s");
	return cs_err_set(err, code, 0, "'%s' DOES NOT VERIFY (%zu problem%s, "
	    "listed above)", v->shown, n, n == 1 ? "" : "s");
}

/* A member's content against the digests its own header claims. */
static void
ev_check_header(struct ev *v, const struct cs_evm *m)
{
	int	 d;

	for (d = 0; d < CS_D_COUNT; d++) {
		if ((m->hdigests & m->digests & (1U << d)) == 0)
			continue;
		if (memcmp(m->hdigest[d], m->digest[d],
		    cs_digest_len((enum cs_digest)d)) != 0) {
			cs_ev_problem(v, CS_EXIT_INTEGRITY, "member '%s': content "
			    "does not match the %s in its header (altered)",
			    m->name, cs_digest_name((enum cs_digest)d));
			return;
		}
	}
}

/*
 * An object of the tree: its content read and checked against its
 * header, its record in E, in canonical order.  0 if E is good.
 */
static int
ev_record(struct ev *v, struct cs_evm *m, struct cs_entry *e, int read)
{
	struct cs_err	 err;

	cs_err_init(&err);
	if ((read ? cs_evr_read(v->r, m, NULL, 0, -1, &err) :
	    cs_evr_skip(v->r, m, &err)) != 0) {
		cs_ev_problem_err(v, &err);
		return -1;
	}
	if (read)
		ev_check_header(v, m);
	if (cs_evidence_entry(m, e) != 0) {
		cs_ev_problem(v, CS_EXIT_INTEGRITY, "member '%s' is not part of "
		    "a snapshot (added)", m->name);
		return -1;
	}
	/* SCHILY.ino, believed with SCHILY.nlink: libarchive numbers the
	   members that have none */
	if (archive_entry_nlink(m->ae) > 0) {
		e->ino = (uint64_t)archive_entry_ino64(m->ae);
		e->have |= CS_F_INO;
	}
	if (cs_order_check(&v->order, e->path, e->pathlen) != 0) {
		cs_ev_problem(v, CS_EXIT_INTEGRITY, "member '%s' is out of "
		    "canonical order (reordered or repeated)", m->name);
		return -1;
	}
	return 0;
}

/* Spool mode: an object of the tree into the spool. */
static void
ev_tree_member(struct ev *v, struct cs_evm *m, struct cs_entry *e)
{
	struct cs_buf	 line;

	if (ev_record(v, m, e, 1) != 0)
		return;
	cs_buf_init(&line);
	cs_bl_format(&line, e);
	if (fwrite(line.data, 1, line.len, v->spool) != line.len)
		cs_ev_problem(v, CS_EXIT_IOERR, "cannot write a temporary file");
	cs_buf_release(&line);
}

static void
ev_manifest_member(struct ev *v, struct cs_evm *m)
{
	struct cs_err	 e;

	cs_err_init(&e);
	if ((v->mfd = cs_tmpfile(&e)) < 0) {
		cs_ev_problem_err(v, &e);
		return;
	}
	if (cs_evr_read(v->r, m, NULL, 0, v->mfd, &e) != 0) {
		cs_ev_problem_err(v, &e);
		return;
	}
	ev_check_header(v, m);
	v->have_manifest = 1;
}

/* One member of the first (or only) pass, by its place. */
static void
ev_member(struct ev *v, struct cs_evm *m, struct cs_entry *e)
{
	struct cs_err	 err;

	cs_err_init(&err);
	v->res->members++;
	if (v->have_manifest) {
		cs_ev_problem(v, CS_EXIT_INTEGRITY, "member '%s' follows the "
		    "manifest (added)", m->name);
		(void)cs_evr_skip(v->r, m, &err);
	} else if (m->index == 0)
		cs_ev_custody_member(v, m);
	else if (strcmp(archive_entry_pathname(m->ae), CS_SNAP_MANIFEST) == 0)
		ev_manifest_member(v, m);
	else if (v->seek) {
		if (cs_evr_skip(v->r, m, &err) != 0)
			cs_ev_problem_err(v, &err);
	} else
		ev_tree_member(v, m, e);
	cs_err_release(&err);
}

/* Every member in archive order, from FIRST if not NULL. */
static void
ev_members(struct ev *v, struct cs_evm *first)
{
	struct cs_evm	 m;
	struct cs_entry	*e = cs_entry_new();
	struct cs_err	 err;
	int		 n;

	cs_err_init(&err);
	n = 0;
	if (first != NULL)
		ev_member(v, first, e);
	while (!v->foreign && (n = cs_evr_next(v->r, &m, &err)) == 1) {
		ev_member(v, &m, e);
		if (v->o.progress != NULL)
			v->o.progress(v->o.progress_arg, v->res->members,
			    cs_evr_bytes(v->r));
	}
	if (v->o.progress != NULL)
		v->o.progress(v->o.progress_arg, UINT64_MAX, UINT64_MAX);
	cs_entry_free(e);
	if (n < 0)
		cs_ev_problem_err(v, &err);
	else if (v->res->members == 0)
		cs_ev_problem(v, CS_EXIT_DATAERR, "'%s' holds no members",
		    v->shown);
	else if (!v->have_manifest && !v->foreign)
		cs_ev_problem(v, CS_EXIT_INTEGRITY, "the manifest '%s' is "
		    "missing (truncated archive?)", CS_SNAP_MANIFEST);
	/* A file's stream digest was taken before (ev_start). */
	if (!v->seek && cs_evr_finish(v->r, v->stream, &v->res->size,
	    &err) != 0)
		cs_ev_problem_err(v, &err);
	cs_err_release(&err);
}

/* Which field of member M differs from manifest record R, or NULL. */
static const char *
ev_differs(const struct cs_entry *r, const struct cs_entry *m)
{
	size_t	 i;
	int	 d;

	if (r->type != m->type)
		return "type";
	if (r->mode != m->mode)
		return "mode";
	if (r->uid != m->uid || r->gid != m->gid)
		return "owner";
	if (r->type == CS_T_FILE && !(m->have & CS_F_NLINK) &&
	    r->size != m->size)
		return "size";
	if (r->mtime.sec != m->mtime.sec || r->mtime.nsec != m->mtime.nsec)
		return "mtime";
	if (r->targetlen != m->targetlen || (r->target != NULL &&
	    memcmp(r->target, m->target, r->targetlen) != 0))
		return "link target";
	if (r->rmajor != m->rmajor || r->rminor != m->rminor)
		return "device numbers";
	if ((m->have & CS_F_INO) && (!(r->have & CS_F_INO) || r->ino != m->ino))
		return "inode number";
	for (d = 0; d < CS_D_COUNT; d++) {
		if ((r->digests & (1U << d)) == 0)
			continue;
		if ((m->digests & (1U << d)) == 0 || memcmp(r->digest[d],
		    m->digest[d], cs_digest_len((enum cs_digest)d)) != 0)
			return cs_digest_name((enum cs_digest)d);
	}
	/* a hard-link member's target holds its content */
	if ((r->have & CS_F_ZDIGEST) && !(m->have & CS_F_NLINK) &&
	    (!(m->have & CS_F_ZDIGEST) || memcmp(r->zdigest, m->zdigest,
	    CS_ZDIGEST_LEN) != 0))
		return "sha256z";
	if ((m->have & CS_F_ZDIGEST) && !(r->have & CS_F_ZDIGEST))
		return "sha256z";
	if (r->nxattrs != m->nxattrs)
		return "xattrs";
	for (i = 0; i < r->nxattrs; i++) {
		if (strcmp(r->xattrs[i].name, m->xattrs[i].name) != 0 ||
		    r->xattrs[i].len != m->xattrs[i].len ||
		    memcmp(r->xattrs[i].value, m->xattrs[i].value,
		    r->xattrs[i].len) != 0)
			return "xattrs";
	}
	return NULL;
}

/* Does manifest record R have a member?  (Sockets, unread files: no.) */
static int
ev_has_member(const struct cs_entry *r)
{
	if (r->type == CS_T_NONE || r->type == CS_T_SOCK)
		return 0;
	return r->type != CS_T_FILE || r->digests != 0 ||
	    (r->have & CS_F_ZDIGEST);
}

/* Complete member record E with what only the manifest record R has. */
static void
ev_merge(struct cs_entry *e, struct cs_entry *r)
{
	int	 hardlink = e->type == CS_T_FILE && (e->have & CS_F_NLINK);

	e->have = (e->have & ~(unsigned)(CS_F_NLINK | CS_F_BTIME)) |
	    (r->have & (CS_F_INO | CS_F_NLINK | CS_F_IFLAGS | CS_F_META |
	    CS_F_BTIME));
	e->btime = r->btime;
	e->ino = r->ino;
	e->nlink = r->nlink;
	e->iflags = r->iflags;
	if (!(e->have & CS_F_CTIME) && (r->have & CS_F_CTIME)) {
		e->ctime = r->ctime;
		e->have |= CS_F_CTIME;
	}
	if (hardlink || e->type != CS_T_FILE)
		e->size = r->size;	/* tar holds no size for these */
	if (hardlink && (r->have & CS_F_ZDIGEST)) {
		memcpy(e->zdigest, r->zdigest, sizeof e->zdigest);
		e->have |= CS_F_ZDIGEST;
	}
	e->acl = r->acl;
	r->acl = NULL;
	e->dacl = r->dacl;
	r->dacl = NULL;
	e->caps = r->caps;
	r->caps = NULL;
	e->error = r->error;
	r->error = NULL;
}

static void
ev_name_problem(struct ev *v, const struct cs_entry *e, const char *what)
{
	char	*name, *shown;

	name = cs_snap_member_name(e->path, e->pathlen, e->type == CS_T_DIR);
	shown = cs_encode_dup(name);
	cs_ev_problem(v, CS_EXIT_INTEGRITY, "member '%s' %s", shown, what);
	free(shown);
	free(name);
}

/*
 * One pair of the join (manifest record R, member record M, either
 * NULL): the record to hand out, or NULL.  Takes over both.
 */
static struct cs_entry *
ev_pair(struct ev *v, struct cs_entry *r, struct cs_entry *m)
{
	const char	*f;
	char		*what;

	if (r == NULL && m == NULL)
		return NULL;		/* the join gives one at least */
	if (r != NULL)
		v->res->records++;
	if (m == NULL) {
		if (!ev_has_member(r))
			return r;
		ev_name_problem(v, r, "is in the manifest but not in the "
		    "archive (removed)");
	} else if (r == NULL)
		ev_name_problem(v, m, "is not in the manifest (added)");
	else {
		if ((f = ev_differs(r, m)) != NULL) {
			what = cs_xasprintf("differs from the manifest in %s "
			    "(altered)", f);
			ev_name_problem(v, m, what);
			free(what);
		}
		ev_merge(m, r);
		cs_entry_free(r);
		return m;
	}
	cs_entry_free(r);
	cs_entry_free(m);
	return NULL;
}

/* The next verified record: 1 with *EP, 0 at the end of the join. */
static int
ev_step(struct ev *v, struct cs_entry **ep)
{
	struct cs_entry	*r, *m;
	struct cs_err	 err;
	int		 n;

	cs_err_init(&err);
	*ep = NULL;
	while (v->join != NULL && (n = cs_join_next(v->join, &r, &m,
	    &err)) != 0) {
		if (n < 0) {
			cs_ev_problem(v, CS_EXIT_INTEGRITY, "member '%s': %s "
			    "(altered)", CS_SNAP_MANIFEST, err.msg != NULL ?
			    err.msg : "bad record");
			cs_join_free(v->join);
			v->join = NULL;
			break;
		}
		if ((*ep = ev_pair(v, r, m)) != NULL)
			break;
	}
	cs_err_release(&err);
	return *ep != NULL;
}

/* Read the join to its end (verify, or a check that already failed). */
static void
ev_drain(struct ev *v)
{
	struct cs_entry	*e;

	while (ev_step(v, &e) == 1)
		cs_entry_free(e);
}

/* Open the manifest as a record source; check its signature and case. */
static void
ev_manifest(struct ev *v)
{
	const struct cs_blr	*b;
	struct cs_err		 err;
	const char		*c1, *c2;
	char			*path;

	if (!v->have_manifest)
		return;
	cs_err_init(&err);
	path = cs_xasprintf("/proc/self/fd/%d", v->mfd);
	v->man = cs_source_baseline(path, &err);
	free(path);
	if (v->man == NULL) {
		cs_ev_problem(v, err.code == CS_EXIT_DATAERR ? CS_EXIT_INTEGRITY :
		    err.code, "member '%s': %s", CS_SNAP_MANIFEST, err.msg);
		cs_err_release(&err);
		return;
	}
	b = cs_source_blr(v->man);
	v->res->manifest_sig = cs_ev_signature(v, cs_blr_trailer(b),
	    CS_SNAP_MANIFEST);
	cs_evidence_result_keep(&v->res->root,
	    cs_bl_header_get(cs_blr_header(b), "root"));
	cs_evidence_result_keep(&v->res->digest_list,
	    cs_bl_header_get(cs_blr_header(b), "digests"));
	c1 = cs_bl_header_get(cs_blr_header(b), "case");
	c2 = v->have_start ? cs_custody_get(&v->start, "case") : NULL;
	if (c1 == NULL || c2 == NULL || strcmp(c1, c2) != 0)
		cs_ev_problem(v, CS_EXIT_INTEGRITY, "member '%s': field 'case' "
		    "does not match the custody record", CS_SNAP_MANIFEST);
	cs_err_release(&err);
}

/* Spool mode: the next spooled member record. */
static int
ev_spool_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct ev	*v = impl;
	struct cs_entry	*e;
	const char	*why;
	ssize_t		 n;

	if ((n = getline(&v->spool_line, &v->spool_cap, v->spool)) <= 0)
		return 0;
	e = cs_entry_new();
	if (cs_bl_parse(v->spool_line, (size_t)n - 1, e, &why) != 0) {
		cs_entry_free(e);
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0, "internal spool: "
		    "%s", why);
	}
	*ep = e;
	return 1;
}

/*
 * Seek mode, second pass: may member M's content be read?  Only if its
 * logical size is within its manifest record's (the records come in
 * canonical order, as the members must); a member with no record is
 * added, and its content is not needed to say so.
 */
static int
ev_within_manifest(struct ev *v, const struct cs_evm *m)
{
	struct cs_err	 err;
	char		*path;
	size_t		 len;
	uint64_t	 size;
	int		 c = 1, ok = 0;

	if (m->is_hardlink)
		return 1;		/* nothing to read */
	if (cs_snap_member_path(archive_entry_pathname(m->ae), &path,
	    &len) != 0)
		return 0;
	cs_err_init(&err);
	while (v->cur != NULL && (v->cur_e == NULL || (c = cs_path_cmp(
	    v->cur_e->path, v->cur_e->pathlen, path, len)) < 0)) {
		cs_entry_free(v->cur_e);
		v->cur_e = NULL;
		if (cs_blr_next(v->cur, &v->cur_e, &err) != 1) {
			cs_blr_close(v->cur);
			v->cur = NULL;
		}
	}
	size = archive_entry_size_is_set(m->ae) ?
	    (uint64_t)archive_entry_size(m->ae) : 0;
	if (v->cur_e != NULL && c == 0)
		ok = size <= (v->cur_e->type == CS_T_FILE ? v->cur_e->size : 0);
	cs_err_release(&err);
	free(path);
	return ok;
}

/* Seek mode, second pass: the next member record, checked. */
static int
ev_pass2_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct ev	*v = impl;
	struct cs_evm	 m;
	struct cs_entry	*e = NULL;
	unsigned char	 d[CS_D_COUNT][CS_DIGEST_MAXLEN];
	uint64_t	 size;
	int		 n;

	while (!v->pass2_end) {
		if ((n = cs_evr_next(v->r, &m, err)) < 0) {
			cs_ev_problem_err(v, err);
			v->pass2_end = 1;
			return 0;
		}
		if (n == 0)
			break;
		if (m.index == 0 || strcmp(archive_entry_pathname(m.ae),
		    CS_SNAP_MANIFEST) == 0) {
			if (cs_evr_skip(v->r, &m, err) != 0)
				cs_ev_problem_err(v, err);
			continue;
		}
		e = cs_entry_new();
		if (ev_record(v, &m, e, ev_within_manifest(v, &m)) == 0) {
			*ep = e;
			return 1;
		}
		cs_entry_free(e);
	}
	if (!v->pass2_end) {
		v->pass2_end = 1;
		if (cs_evr_finish(v->r, d, &size, err) != 0)
			cs_ev_problem_err(v, err);
		else if (size != v->res->size || memcmp(d[CS_D_SHA256],
		    v->stream[CS_D_SHA256], 32) != 0)
			cs_ev_problem(v, CS_EXIT_INTEGRITY, "'%s' changed while "
			    "it was read (the two passes differ)", v->shown);
	}
	return 0;
}

static void
ev_nothing(void *impl)
{
	(void)impl;
}

static const struct cs_source_ops ev_spool_ops = {
	"spool", ev_spool_next, ev_nothing, NULL
};

static const struct cs_source_ops ev_pass2_ops = {
	"tar", ev_pass2_next, ev_nothing, NULL
};

static void
ev_free(struct ev *v)
{
	if (v == NULL)
		return;
	cs_join_free(v->join);
	cs_entry_free(v->cur_e);
	cs_blr_close(v->cur);
	cs_source_free(v->man);
	cs_source_free(v->mem);
	if (v->spool != NULL)
		(void)fclose(v->spool);
	free(v->spool_line);
	if (v->mfd >= 0)
		close(v->mfd);
	cs_custody_release(&v->start);
	cs_custody_release(&v->side);
	cs_evr_close(v->r);
	cs_order_release(&v->order);
	free(v->shown);
	cs_evidence_result_release(&v->own);
	free(v);
}

/*
 * Seek mode up to the manifest: the sidecar, the stream digest of the
 * whole file, then the headers only.
 */
static int
ev_first_pass(struct ev *v, struct cs_err *err)
{
	/* What is not a plain tar is refused before anything else. */
	if ((v->r = cs_evr_open_headers(v->o.file, err)) == NULL)
		return -1;
	cs_ev_sidecar_load(v);
	if (cs_evidence_stream_digest(&v->o, v->stream, &v->res->size,
	    err) != 0)
		return -1;
	cs_ev_sidecar_stream(v);
	ev_members(v, NULL);
	cs_ev_sidecar_same(v);
	return 0;
}

/* Seek mode: the second pass, its members' sizes bounded. */
static int
ev_second_pass(struct ev *v, struct cs_err *err)
{
	const char	*list;
	char		*path;
	unsigned	 d = 0;
	uint64_t	 mm, mt;

	cs_evr_close(v->r);
	list = cs_custody_get(&v->start, "digests");
	(void)cs_digest_parse_list(list != NULL ? list : "", &d, err);
	cs_err_release(err);
	cs_err_init(err);
	if ((v->r = cs_evr_open(v->o.file, d, err)) == NULL)
		return -1;
	cs_evr_set_digests(v->r, d);
	/* A manifest no trusted key vouches for bounds nothing alone. */
	if (v->res->manifest_sig == NULL ||
	    strcmp(v->res->manifest_sig, EV_GOOD) != 0) {
		cs_evidence_limits(&v->o, &mm, &mt);
		cs_evr_set_limits(v->r, mm, mt);
	}
	path = cs_xasprintf("/proc/self/fd/%d", v->mfd);
	v->cur = cs_blr_open_as(path, CS_SNAP_MANIFEST, err);
	free(path);
	cs_err_release(err);
	cs_err_init(err);
	cs_order_release(&v->order);	/* the second pass */
	v->mem = cs_source_new(&ev_pass2_ops, v, v->o.file);
	return 0;
}

/*
 * Everything up to the join: the members (spool) or the first pass
 * (seek), the sidecar, the manifest; then the join, ready to read.
 * Returns -1 only if the verification could not start.
 */
static int
ev_start(struct ev *v, struct cs_evm *first, struct cs_err *err)
{
	uint64_t	 mm, mt;

	if (v->seek) {
		if (ev_first_pass(v, err) != 0)
			return -1;
	} else {
		if ((v->spool = tmpfile()) == NULL)
			return cs_err_set(err, CS_EXIT_CANTCREAT, errno,
			    "cannot create a temporary file");
		cs_evidence_limits(&v->o, &mm, &mt);
		cs_evr_set_limits(v->r, mm, mt);
		ev_members(v, first);
		cs_ev_sidecar_load(v);
		cs_ev_sidecar_same(v);
		cs_ev_sidecar_stream(v);
	}
	if (v->foreign)
		return 0;
	ev_manifest(v);
	if (v->man == NULL)
		return 0;
	if (v->seek) {
		if (ev_second_pass(v, err) != 0)
			return -1;
	} else {
		rewind(v->spool);
		v->mem = cs_source_new(&ev_spool_ops, v, v->o.file);
	}
	v->join = cs_join_new(v->man, v->mem);
	return 0;
}

/* A verifier of O->file from R (NULL: seek), its findings into RES. */
static struct ev *
ev_new(const struct cs_evidence_opts *o, struct cs_evr *r,
    struct cs_evidence_result *res)
{
	struct ev	*v;

	v = cs_xcalloc(1, sizeof *v);
	v->o = *o;
	cs_evidence_result_init(&v->own);
	v->res = res != NULL ? res : &v->own;
	v->mfd = -1;
	cs_order_init(&v->order);
	v->shown = cs_encode_dup(o->file);
	v->r = r;
	v->seek = r == NULL;
	return v;
}

static int
ev_source_next(void *impl, struct cs_entry **ep, struct cs_err *err)
{
	struct ev	*v = impl;

	if (ev_step(v, ep) == 1)
		return 1;
	return v->res->nproblems > 0 ? ev_fail(v, err) : 0;
}

static void
ev_source_close(void *impl)
{
	ev_free(impl);
}

static const struct cs_source_ops ev_source_ops = {
	"tar", ev_source_next, ev_source_close, NULL
};

struct cs_source *
cs_evidence_source(const struct cs_evidence_opts *o, struct cs_evr *r,
    struct cs_evm *first, struct cs_evidence_info *info, struct cs_err *err)
{
	return cs_evidence_source_result(o, r, first, info, NULL, err);
}

struct cs_source *
cs_evidence_source_result(const struct cs_evidence_opts *o, struct cs_evr *r,
    struct cs_evm *first, struct cs_evidence_info *info,
    struct cs_evidence_result *res, struct cs_err *err)
{
	struct cs_source *s;
	struct ev	*v;
	const char	*st;

	v = ev_new(o, r, res);
	if (ev_start(v, first, err) != 0)
		goto fail;
	if (v->res->nproblems > 0) {
		/* Nothing is compared; name every altered member. */
		ev_drain(v);
		ev_fail(v, err);
		goto fail;
	}
	memset(info, 0, sizeof *info);
	info->is_signed = v->res->custody_sig != NULL &&
	    v->res->manifest_sig != NULL &&
	    strcmp(v->res->custody_sig, EV_GOOD) == 0 &&
	    strcmp(v->res->manifest_sig, EV_GOOD) == 0;
	st = cs_custody_get(&v->side, "status");
	info->incomplete = st != NULL && strcmp(st, "incomplete") == 0;
	ev_report(v);		/* the custody record, for a new header */
	s = cs_source_new(&ev_source_ops, v, o->file);
	/* The manifest is a baseline: with it, the members carry it all. */
	cs_source_set_carries(s, CS_G_ALL);
	return s;
fail:
	ev_free(v);
	return NULL;
}

/* The report's fields: the sidecar's, else the first member's. */
static void
ev_report(struct ev *v)
{
	const struct cs_custody	*c = v->have_side ? &v->side : &v->start;
	const char		*val;
	size_t			 i;

	for (i = 0; i < CS_EVF_COUNT; i++) {
		val = cs_custody_get(c,
		    cs_evidence_field_name((enum cs_evidence_field)i));
		free(v->res->field[i]);
		v->res->field[i] = val != NULL ? cs_xstrdup(val) : NULL;
	}
	memcpy(v->res->stream_sha256, v->stream[CS_D_SHA256],
	    sizeof v->res->stream_sha256);
	v->res->done = 1;
}

/* Verify O->file into RES (NULL: the verifier's own). */
static int
ev_verify(const struct cs_evidence_opts *o, struct cs_evidence_result *res,
    struct cs_err *err)
{
	struct ev	*v;
	struct cs_evr	*r = NULL;
	struct stat	 sb;
	const char	*st;
	int		 rc = -1;

	/* A regular file is read in two passes, a pipe or tape in one. */
	if ((stat(o->file, &sb) != 0 || !S_ISREG(sb.st_mode)) &&
	    (r = cs_evr_open(o->file, (1U << CS_D_COUNT) - 1, err)) == NULL)
		return -1;
	v = ev_new(o, r, res);
	if (ev_start(v, NULL, err) != 0)
		goto out;
	ev_drain(v);
	if (!v->foreign)	/* no custos evidence: no report of it */
		ev_report(v);
	if (v->res->nproblems > 0) {
		ev_fail(v, err);
		goto out;
	}
	st = cs_custody_get(&v->side, "status");
	rc = st != NULL && strcmp(st, "incomplete") == 0 ?
	    CS_EXIT_INCOMPLETE : CS_EXIT_OK;
out:
	ev_free(v);
	return rc;
}

int
cs_evidence_verify_result(const struct cs_evidence_opts *o,
    struct cs_evidence_result *res, struct cs_err *err)
{
	return ev_verify(o, res, err);
}

int
cs_evidence_verify(const struct cs_evidence_opts *o, struct cs_err *err)
{
	return ev_verify(o, NULL, err);
}
