/*
 * baseline_write.c: write a baseline file (doc/custos-baseline.5).
 *
 * Records arrive in canonical order (cs_blw_add refuses any other) and
 * are formatted by the shared codec (baseline.c) into a buffer flushed in
 * large writes; every byte written goes into the running SHA-256 that the
 * "#end" line carries, and the "#signature" line signs that line.  The
 * writer only writes to the descriptor it is given (its name is for
 * messages): the caller names, syncs and publishes the file.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "custos/atomic.h"
#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/digest.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/sign.h"
#include "custos/structured.h"
#include "custos/xmalloc.h"

#include "baseline_int.h"

#define BL_FLUSH	(1024 * 1024)

/*
 * Writer.
 */
struct cs_blw {
	int		 fd;
	char		*shown;
	struct cs_buf	 out;
	EVP_MD_CTX	*sha;
	uint64_t	 records;
	uint64_t	 errors;
	struct cs_order	 order;		/* of the records' paths */
};

static int
blw_flush(struct cs_blw *w, struct cs_err *err)
{
	if (w->out.len == 0)
		return 0;
	EVP_DigestUpdate(w->sha, w->out.data, w->out.len);
	if (cs_write_all(w->fd, w->out.data, w->out.len) != 0)
		return cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot write '%s'", w->shown);
	cs_buf_reset(&w->out);
	return 0;
}

struct cs_blw *
cs_blw_new(int fd, const char *name, const struct cs_bl_header *h,
    struct cs_err *err)
{
	struct cs_blw	*w;
	size_t		 i;

	(void)err;
	w = cs_xcalloc(1, sizeof *w);
	w->fd = fd;
	w->shown = cs_encode_dup(name);
	cs_buf_init(&w->out);
	cs_order_init(&w->order);
	w->sha = EVP_MD_CTX_new();
	if (w->sha == NULL || EVP_DigestInit_ex(w->sha, EVP_sha256(),
	    NULL) != 1) {
		cs_err_ssl(err, CS_EXIT_SOFTWARE, "cannot start SHA-256");
		cs_blw_free(w);
		return NULL;
	}
	cs_buf_adds(&w->out, CS_BL_MAGIC "\n");
	for (i = 0; i < h->n; i++) {
		cs_buf_printf(&w->out, "#%s=", h->lines[i].key);
		cs_encode(&w->out, h->lines[i].value, h->lines[i].len);
		cs_buf_addc(&w->out, '\n');
	}
	return w;
}

int
cs_blw_add(struct cs_blw *w, const struct cs_entry *e, struct cs_err *err)
{
	char	*shown;

	if (cs_order_check(&w->order, e->path, e->pathlen) != 0) {
		shown = cs_encode_dup(e->path);
		cs_err_set(err, CS_EXIT_SOFTWARE, 0,
		    "record '%s' out of canonical order", shown);
		free(shown);
		return -1;
	}
	cs_bl_format(&w->out, e);
	w->records++;
	if (e->error != NULL)
		w->errors++;
	if (w->out.len >= BL_FLUSH)
		return blw_flush(w, err);
	return 0;
}

/* Append the "#end" line for a digest of everything before it. */
static void
bl_end_line(struct cs_buf *b, uint64_t records, uint64_t errors,
    const unsigned char *sha)
{
	char	 hex[65];

	cs_hex(sha, 32, hex);
	cs_buf_printf(b, "#end records=%" PRIu64 " errors=%" PRIu64
	    " sha256=%s\n", records, errors, hex);
}

int
cs_bl_signature_line(struct cs_buf *b, const struct cs_key *key,
    const char *endline, size_t endlen, struct cs_err *err)
{
	unsigned char	 sig[CS_SIG_LEN], der[128];
	size_t		 derlen;
	char		*s64, *p64;

	if (cs_key_sign(key, endline, endlen, sig, err) != 0)
		return -1;
	if (cs_key_spki(key, der, sizeof der, &derlen) != 0)
		return cs_err_set(err, CS_EXIT_SOFTWARE, 0,
		    "cannot encode the public key");
	s64 = cs_base64(sig, sizeof sig);
	p64 = cs_base64(der, derlen);
	cs_buf_printf(b, "#signature ed25519 key=%s pub=%s sig=%s\n",
	    cs_key_id(key), p64, s64);
	free(s64);
	free(p64);
	return 0;
}

int
cs_blw_finish(struct cs_blw *w, const struct cs_key *key, struct cs_err *err)
{
	unsigned char	 sha[EVP_MAX_MD_SIZE];
	unsigned int	 shalen;
	size_t		 endlen;

	if (blw_flush(w, err) != 0)
		return -1;
	EVP_DigestFinal_ex(w->sha, sha, &shalen);
	bl_end_line(&w->out, w->records, w->errors, sha);
	endlen = w->out.len;
	if (key != NULL && cs_bl_signature_line(&w->out, key, w->out.data,
	    endlen, err) != 0)
		return -1;
	if (cs_write_all(w->fd, w->out.data, w->out.len) != 0)
		return cs_err_set(err, CS_EXIT_IOERR, errno,
		    "cannot write '%s'", w->shown);
	cs_buf_reset(&w->out);
	return 0;
}

void
cs_blw_free(struct cs_blw *w)
{
	if (w == NULL)
		return;
	EVP_MD_CTX_free(w->sha);
	cs_buf_release(&w->out);
	cs_order_release(&w->order);
	free(w->shown);
	free(w);
}
