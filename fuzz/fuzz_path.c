/*
 * fuzz_path.c: the decoder of escaped paths and values (path.c) on
 * hostile bytes, with the properties the baseline format relies on:
 * every byte string has exactly one encoding, which decodes to it; the
 * two decoders agree; the canonical order is a consistent comparison.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/path.h"
#include "fuzz.h"

#define FUZZ_CHECK(c) do { if (!(c)) abort(); } while (0)

/* Decode S; if that succeeds, its encoding must give S back. */
static void
fuzz_decode(const char *s, size_t n)
{
	struct cs_buf	 dec, enc;
	char		*dup;
	size_t		 bad = (size_t)-1, len;
	int		 rc;

	cs_buf_init(&dec);
	cs_buf_init(&enc);
	rc = cs_decode(&dec, s, n, &bad);
	dup = cs_decode_dup(s, n, &len);
	FUZZ_CHECK((rc == 0) == (dup != NULL));
	if (rc == 0) {
		FUZZ_CHECK(len == dec.len && memcmp(dup, dec.data, len) == 0);
		FUZZ_CHECK(dup[len] == '\0');
		cs_encode(&enc, dec.data, dec.len);
		FUZZ_CHECK(enc.len == n && memcmp(enc.data, s, n) == 0);
	} else
		FUZZ_CHECK(bad < n);
	free(dup);
	cs_buf_release(&enc);
	cs_buf_release(&dec);
}

/* Encode raw bytes: the result decodes to them. */
static void
fuzz_encode(const uint8_t *p, size_t n)
{
	struct cs_buf	 enc;
	char		*dup;
	size_t		 len;

	cs_buf_init(&enc);
	cs_encode(&enc, p, n);
	dup = cs_decode_dup(enc.data != NULL ? enc.data : "", enc.len, &len);
	FUZZ_CHECK(dup != NULL && len == n && memcmp(dup, p, n) == 0);
	free(dup);
	cs_buf_release(&enc);
}

/* The order of the two halves of the input, both ways round. */
static void
fuzz_order(const char *p, size_t n)
{
	size_t	 h = n / 2;
	int	 ab, ba;

	ab = cs_path_cmp(p, h, p + h, n - h);
	ba = cs_path_cmp(p + h, n - h, p, h);
	FUZZ_CHECK((ab < 0) == (ba > 0) && (ab == 0) == (ba == 0));
	FUZZ_CHECK(cs_path_cmp(p, n, p, n) == 0);
	(void)cs_path_valid(p, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	/* Exactly SIZE bytes, no NUL after them: over-reads are caught. */
	s = malloc(size > 0 ? size : 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	fuzz_decode(s, size);
	fuzz_encode(data, size);
	fuzz_order(s, size);
	free(s);
	return 0;
}
