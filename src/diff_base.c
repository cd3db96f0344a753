/*
 * diff_base.c: the verified baseline a comparison starts from.
 *
 * cs_diff_base_load reads the baseline once in full before anything is
 * compared: the trailer's signature (a trusted key, or unsigned only when
 * allowed), the content against the trailer's digest, and with a policy
 * that has append-only rules the sizes of the files those rules cover.
 * cs_diff_base_source then opens it again for the comparison pass and
 * refuses it if its trailer is not the one verified.  The append table
 * is in canonical order (cs_diff_prefix searches it); its memory is
 * bounded by the append-only files, not by the baseline's size.
 */
#include "custos/custos.h"

#include "custos/baseline.h"
#include "custos/diff.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/sign.h"
#include "custos/source.h"
#include "custos/structured.h"
#include "custos/xmalloc.h"

void
cs_diff_base_release(struct cs_diff_base *b)
{
	size_t	 i;

	free(b->file);
	free(b->created);
	free(b->host);
	free(b->root);
	free(b->source);
	free(b->digest_list);
	for (i = 0; i < b->nexcludes; i++)
		free(b->excludes[i]);
	free(b->excludes);
	for (i = 0; i < b->nappend; i++)
		free(b->append[i].path);
	free(b->append);
	memset(b, 0, sizeof *b);
}

static char *
diff_hdr_dup(const struct cs_bl_header *h, const char *key)
{
	const char	*v = cs_bl_header_get(h, key);

	return v != NULL ? cs_xstrdup(v) : NULL;
}

/* Copy what the comparison needs from the header. */
static int
diff_base_header(struct cs_diff_base *b, const struct cs_blr *r,
    struct cs_err *err)
{
	const struct cs_bl_header	*h = cs_blr_header(r);
	const char			*fs;
	size_t				 i;

	b->created = diff_hdr_dup(h, "created");
	b->host = diff_hdr_dup(h, "host");
	b->root = diff_hdr_dup(h, "root");
	b->source = diff_hdr_dup(h, "source");
	b->digest_list = diff_hdr_dup(h, "digests");
	fs = cs_bl_header_get(h, CS_SKEY_HEADER);
	b->has_skey = fs != NULL && strlen(fs) == 2 * sizeof b->skey &&
	    cs_unhex(fs, strlen(fs), b->skey, sizeof b->skey) == 0;
	fs = cs_bl_header_get(h, "filesystems");
	b->cross_fs = fs != NULL && strcmp(fs, "all") == 0;
	b->excludes = cs_xcalloc(h->n + 1, sizeof *b->excludes);
	for (i = 0; i < h->n; i++) {
		if (strcmp(h->lines[i].key, "exclude") == 0)
			b->excludes[b->nexcludes++] =
			    cs_xstrdup(h->lines[i].value);
	}
	if (b->digest_list == NULL)
		return cs_err_set(err, CS_EXIT_DATAERR, 0,
		    "baseline has no digests header");
	return cs_digest_parse_list(b->digest_list, &b->digests, err);
}

/* Check the trailer's signature as the options ask. */
static int
diff_base_signature(struct cs_diff_base *b, const struct cs_bl_trailer *tr,
    const struct cs_key *key, const char *fp, int allow_unsigned,
    struct cs_err *err)
{
	struct cs_key	*k;
	struct cs_err	 kerr;
	char		*shown;

	memcpy(b->sha256, tr->sha256, sizeof b->sha256);
	b->is_signed = tr->is_signed;
	if (!tr->is_signed) {
		if (allow_unsigned)
			return 0;
		shown = cs_encode_dup(b->file);
		cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s' is NOT SIGNED "
		    "(use --allow-unsigned to compare with it anyway)", shown);
		free(shown);
		return -1;
	}
	memcpy(b->keyid, tr->keyid, sizeof b->keyid);
	cs_err_init(&kerr);
	if ((k = cs_key_from_spki(tr->pub, tr->publen, &kerr)) != NULL)
		memcpy(b->fingerprint, cs_key_fingerprint(k),
		    sizeof b->fingerprint);
	cs_key_free(k);
	cs_err_release(&kerr);
	if (key == NULL && fp == NULL)
		return 0;
	if (cs_bl_verify_signature(tr, key, fp, b->file, err) != 0)
		return -1;
	b->verified = 1;
	return 0;
}

/* Remember E as append-only if the policy says so. */
static void
diff_base_append(struct cs_diff_base *b, const struct cs_policy *pol,
    const struct cs_entry *e, size_t *cap)
{
	struct cs_rule	 rule;

	if (e->type != CS_T_FILE)
		return;
	cs_policy_eval(pol, e->path, &rule);
	if (!rule.append_only || rule.ignore)
		return;
	if (b->nappend == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		b->append = cs_xreallocarray(b->append, *cap,
		    sizeof *b->append);
	}
	b->append[b->nappend].path = cs_xmemdup(e->path, e->pathlen + 1);
	b->append[b->nappend].len = e->pathlen;
	b->append[b->nappend].size = e->size;
	b->nappend++;
}

int
cs_diff_base_load(struct cs_diff_base *b, const char *file,
    const struct cs_key *key, const char *fp, int allow_unsigned,
    const struct cs_policy *pol, struct cs_err *err)
{
	const struct cs_bl_trailer	*tr;
	struct cs_blr			*r = NULL;
	struct cs_entry			*e;
	size_t				 cap = 0;
	int				 n, rc = -1;

	memset(b, 0, sizeof *b);
	b->file = cs_xstrdup(file);
	if ((r = cs_blr_open(file, err)) == NULL)
		goto out;
	if ((tr = cs_blr_trailer(r)) == NULL) {
		cs_err_set(err, CS_EXIT_INTEGRITY, 0, "baseline has no "
		    "trailer");
		goto out;
	}
	if (diff_base_header(b, r, err) != 0 ||
	    diff_base_signature(b, tr, key, fp, allow_unsigned, err) != 0)
		goto out;
	if (pol == NULL || !cs_policy_has_append(pol)) {
		/*
		 * Nothing to collect: proving the content is the one signed
		 * needs only its digest.  The comparison pass parses it and
		 * checks digest and counts once more at the end.
		 */
		if (cs_blr_check_digest(r, err) != 0)
			goto out;
		b->records = tr->records;
		rc = 0;
		goto out;
	}
	while ((n = cs_blr_next(r, &e, err)) == 1) {
		b->records++;
		if (e->type == CS_T_FILE)
			b->bytes += e->size;
		if (pol != NULL && cs_policy_has_append(pol))
			diff_base_append(b, pol, e, &cap);
		cs_entry_free(e);
	}
	if (n < 0) {
		/* The signer only signs well-formed files: altered since. */
		if (b->verified && err->code == CS_EXIT_DATAERR)
			err->code = CS_EXIT_INTEGRITY;
		goto out;
	}
	rc = 0;
out:
	cs_blr_close(r);
	return rc;
}

struct cs_source *
cs_diff_base_source(const struct cs_diff_base *b, struct cs_err *err)
{
	const struct cs_bl_trailer	*tr;
	struct cs_source		*s;
	char				*shown;

	if ((s = cs_source_baseline(b->file, err)) == NULL)
		return NULL;
	tr = cs_blr_trailer(cs_source_blr(s));
	if (tr == NULL || tr->is_signed != b->is_signed ||
	    memcmp(tr->sha256, b->sha256, sizeof b->sha256) != 0) {
		shown = cs_encode_dup(b->file);
		cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s' changed while it "
		    "was being read", shown);
		free(shown);
		cs_source_free(s);
		return NULL;
	}
	return s;
}

uint64_t
cs_diff_prefix(void *arg, const struct cs_entry *e)
{
	const struct cs_diff_base	*b = arg;
	size_t				 lo = 0, hi = b->nappend, mid;
	int				 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cs_path_cmp(b->append[mid].path, b->append[mid].len,
		    e->path, e->pathlen);
		if (c == 0)
			return b->append[mid].size;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return UINT64_MAX;
}
