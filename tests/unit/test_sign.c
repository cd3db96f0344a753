/*
 * test_sign.c: keys, signatures, fingerprints, base64 and key files.
 *
 * Every test runs in its own temporary directory and makes the keys it
 * needs there, so nothing depends on the committed fixtures.  OpenSSL is
 * called directly wherever a result must be checked independently of
 * custos (fingerprints, the encryption of key files, foreign key types).
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "custos/err.h"
#include "custos/sign.h"
#include "custos/xmalloc.h"
#include "util.h"

/* A key pair made by cs_keygen as TMP/NAME.key and TMP/NAME.pub. */
static struct cs_key *
test_keygen(const char *name, const char *pass)
{
	struct cs_err	 err;
	struct cs_key	*key;
	char		*prefix;

	cs_err_init(&err);
	prefix = cs_test_path(name);
	key = cs_keygen(prefix, pass, &err);
	if (key == NULL)
		fail_msg("keygen: %s", err.msg);
	free(prefix);
	cs_err_release(&err);
	return key;
}

/* Load TMP/NAME as a private key, with passphrase file TMP/PASSFILE. */
static struct cs_key *
test_load_private(const char *name, const char *passfile,
    struct cs_err *err)
{
	struct cs_key	*key;
	char		*path, *pf = NULL;

	path = cs_test_path(name);
	if (passfile != NULL)
		pf = cs_test_path(passfile);
	key = cs_key_load_private(path, pf, err);
	free(pf);
	free(path);
	return key;
}

/* Load TMP/NAME as a public key. */
static struct cs_key *
test_load_public(const char *name, struct cs_err *err)
{
	struct cs_key	*key;
	char		*path;

	path = cs_test_path(name);
	key = cs_key_load_public(path, err);
	free(path);
	return key;
}

/* Assert that TMP/NAME holds exactly the C string WANT. */
static void
test_assert_content(const char *name, const char *want)
{
	char	*path, *got;
	size_t	 len;

	path = cs_test_path(name);
	got = cs_test_read(path, &len);
	assert_non_null(got);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
	free(got);
	free(path);
}

/* Assert that TMP/NAME does not exist. */
static void
test_assert_absent(const char *name)
{
	struct stat	 st;
	char		*path;

	path = cs_test_path(name);
	assert_int_equal(lstat(path, &st), -1);
	assert_int_equal(errno, ENOENT);
	free(path);
}

/* Write a private key of another type, made by OpenSSL, to TMP/NAME. */
static void
test_write_foreign(const char *name, EVP_PKEY *pkey)
{
	FILE	*f;
	char	*path;

	assert_non_null(pkey);
	path = cs_test_path(name);
	f = fopen(path, "we");
	assert_non_null(f);
	assert_int_equal(PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL,
	    NULL), 1);
	assert_int_equal(fclose(f), 0);
	EVP_PKEY_free(pkey);
	free(path);
}

static void
test_sign_verify_round_trip(void **state)
{
	static const char	 msg[] = "#end records=3 errors=0\n";
	unsigned char		 sig[CS_SIG_LEN];
	struct cs_err		 err;
	struct cs_key		*key, *pub;

	(void)state;
	cs_err_init(&err);
	key = test_keygen("k", NULL);
	assert_true(cs_key_can_sign(key));
	assert_int_equal(cs_key_sign(key, msg, sizeof msg - 1, sig, &err), 0);
	assert_int_equal(cs_key_verify(key, msg, sizeof msg - 1, sig), 0);
	pub = test_load_public("k.pub", &err);
	assert_non_null(pub);
	assert_false(cs_key_can_sign(pub));
	assert_int_equal(cs_key_verify(pub, msg, sizeof msg - 1, sig), 0);
	/* The empty message is a message too. */
	assert_int_equal(cs_key_sign(key, NULL, 0, sig, &err), 0);
	assert_int_equal(cs_key_verify(pub, NULL, 0, sig), 0);
	cs_key_free(pub);
	cs_key_free(key);
	cs_err_release(&err);
}

static void
test_verify_fails_flipped_message(void **state)
{
	char		 msg[] = "every byte counts";
	unsigned char	 sig[CS_SIG_LEN];
	struct cs_err	 err;
	struct cs_key	*key;
	size_t		 i;

	(void)state;
	cs_err_init(&err);
	key = test_keygen("k", NULL);
	assert_int_equal(cs_key_sign(key, msg, sizeof msg - 1, sig, &err), 0);
	for (i = 0; i < sizeof msg - 1; i++) {
		msg[i] ^= 0x01;
		assert_int_equal(cs_key_verify(key, msg, sizeof msg - 1, sig),
		    -1);
		msg[i] ^= 0x01;
	}
	assert_int_equal(cs_key_verify(key, msg, sizeof msg - 2, sig), -1);
	assert_int_equal(cs_key_verify(key, msg, sizeof msg - 1, sig), 0);
	cs_key_free(key);
	cs_err_release(&err);
}

static void
test_verify_fails_flipped_signature(void **state)
{
	static const char	 msg[] = "every bit counts";
	unsigned char		 sig[CS_SIG_LEN];
	struct cs_err		 err;
	struct cs_key		*key;
	size_t			 i;

	(void)state;
	cs_err_init(&err);
	key = test_keygen("k", NULL);
	assert_int_equal(cs_key_sign(key, msg, sizeof msg - 1, sig, &err), 0);
	for (i = 0; i < CS_SIG_LEN; i++) {
		sig[i] ^= 0x80;
		assert_int_equal(cs_key_verify(key, msg, sizeof msg - 1, sig),
		    -1);
		sig[i] ^= 0x80;
	}
	assert_int_equal(cs_key_verify(key, msg, sizeof msg - 1, sig), 0);
	cs_key_free(key);
	cs_err_release(&err);
}

static void
test_verify_fails_wrong_key(void **state)
{
	static const char	 msg[] = "signed by a";
	unsigned char		 sig[CS_SIG_LEN];
	struct cs_err		 err;
	struct cs_key		*a, *b;

	(void)state;
	cs_err_init(&err);
	a = test_keygen("a", NULL);
	b = test_keygen("b", NULL);
	assert_string_not_equal(cs_key_fingerprint(a), cs_key_fingerprint(b));
	assert_int_equal(cs_key_sign(a, msg, sizeof msg - 1, sig, &err), 0);
	assert_int_equal(cs_key_verify(b, msg, sizeof msg - 1, sig), -1);
	cs_key_free(a);
	cs_key_free(b);
	cs_err_release(&err);
}

static void
test_public_key_cannot_sign(void **state)
{
	unsigned char	 sig[CS_SIG_LEN];
	struct cs_err	 err;
	struct cs_key	*key, *pub;

	(void)state;
	cs_err_init(&err);
	key = test_keygen("k", NULL);
	pub = test_load_public("k.pub", &err);
	assert_non_null(pub);
	assert_int_equal(cs_key_sign(pub, "x", 1, sig, &err), -1);
	assert_int_equal(err.code, CS_EXIT_SOFTWARE);
	cs_key_free(pub);
	cs_key_free(key);
	cs_err_release(&err);
}

static void
test_fingerprint_is_sha256_of_spki(void **state)
{
	unsigned char	 md[EVP_MAX_MD_SIZE], *der = NULL;
	unsigned int	 mdlen = 0;
	struct cs_err	 err;
	struct cs_key	*key, *pub;
	EVP_PKEY	*pkey;
	FILE		*f;
	char		*path, hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned int	 i;
	int		 n;

	(void)state;
	cs_err_init(&err);
	key = test_keygen("k", NULL);
	path = cs_test_path("k.pub");
	f = fopen(path, "re");
	assert_non_null(f);
	pkey = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	assert_non_null(pkey);
	assert_int_equal(fclose(f), 0);
	n = i2d_PUBKEY(pkey, &der);
	assert_true(n > 0);
	assert_int_equal(EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha256(),
	    NULL), 1);
	assert_int_equal(mdlen, CS_FP_LEN);
	for (i = 0; i < mdlen; i++) {
		hex[2 * (size_t)i] = "0123456789abcdef"[md[i] >> 4];
		hex[2 * (size_t)i + 1] = "0123456789abcdef"[md[i] & 0xf];
	}
	hex[2 * (size_t)mdlen] = '\0';
	assert_string_equal(cs_key_fingerprint(key), hex);
	hex[CS_KEYID_HEXLEN] = '\0';
	assert_string_equal(cs_key_id(key), hex);
	pub = cs_key_load_public(path, &err);
	assert_non_null(pub);
	assert_string_equal(cs_key_fingerprint(pub), cs_key_fingerprint(key));
	OPENSSL_free(der);
	EVP_PKEY_free(pkey);
	cs_key_free(pub);
	cs_key_free(key);
	free(path);
	cs_err_release(&err);
}

static void
test_spki_round_trip(void **state)
{
	unsigned char	 der[128], bad[129];
	struct cs_err	 err;
	struct cs_key	*key, *back;
	size_t		 len = 0;

	(void)state;
	cs_err_init(&err);
	key = test_keygen("k", NULL);
	assert_int_equal(cs_key_spki(key, der, sizeof der, &len), 0);
	assert_int_equal(len, 44);
	assert_int_equal(cs_key_spki(key, der, len - 1, &len), -1);
	assert_int_equal(cs_key_spki(key, der, sizeof der, &len), 0);
	back = cs_key_from_spki(der, len, &err);
	assert_non_null(back);
	assert_false(cs_key_can_sign(back));
	assert_string_equal(cs_key_fingerprint(back), cs_key_fingerprint(key));
	/* Trailing bytes, truncation and garbage are refused. */
	memcpy(bad, der, len);
	bad[len] = 0;
	assert_null(cs_key_from_spki(bad, len + 1, &err));
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	assert_null(cs_key_from_spki(der, len - 1, &err));
	assert_null(cs_key_from_spki(der, 0, &err));
	cs_key_free(back);
	cs_key_free(key);
	cs_err_release(&err);
}

static void
test_public_key_from_private_file(void **state)
{
	struct cs_err	 err;
	struct cs_key	*key, *pub;

	(void)state;
	cs_err_init(&err);
	key = test_keygen("k", NULL);
	pub = test_load_public("k.key", &err);
	assert_non_null(pub);
	assert_false(cs_key_can_sign(pub));
	assert_string_equal(cs_key_fingerprint(pub), cs_key_fingerprint(key));
	cs_key_free(pub);
	cs_key_free(key);
	cs_err_release(&err);
}

static void
test_fingerprint_parse_forms(void **state)
{
	static const char	 fp[] =
	    "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef";
	static const char	*forms[] = {
	    "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef",
	    "0123 4567 89ab cdef 0123 4567 89ab cdef "
	    "0123 4567 89ab cdef 0123 4567 89ab cdef",
	    "01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:"
	    "01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef",
	    "0123456789ABCDEF0123456789ABCDEF"
	    "0123456789ABCDEF0123456789ABCDEF",
	    "SHA256:0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef",
	    "0123-4567-89ab-cdef-0123-4567-89ab-cdef-"
	    "0123-4567-89ab-cdef-0123-4567-89ab-cdef",
	};
	char			 out[CS_FP_HEXLEN + 1], *pretty;
	size_t			 i;

	(void)state;
	for (i = 0; i < CS_NELEM(forms); i++) {
		assert_int_equal(cs_fingerprint_parse(forms[i], out), 0);
		assert_string_equal(out, fp);
	}
	/* What keygen prints reads back as the same fingerprint. */
	pretty = cs_fingerprint_pretty(fp);
	assert_string_equal(pretty, forms[1]);
	assert_int_equal(cs_fingerprint_parse(pretty, out), 0);
	assert_string_equal(out, fp);
	free(pretty);
}

static void
test_fingerprint_parse_rejects(void **state)
{
	static const char	*bad[] = {
	    "",
	    "SHA256:",
	    "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcde",
	    "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef0",
	    "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdeg",
	    "0123456789abcdef0123456789abcdef."
	    "0123456789abcdef0123456789abcdef",
	    "0x0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef",
	    "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef\n",
	    "0123456789abcdef",
	};
	char			 out[CS_FP_HEXLEN + 1];
	size_t			 i;

	(void)state;
	for (i = 0; i < CS_NELEM(bad); i++) {
		assert_int_equal(cs_fingerprint_parse(bad[i], out), -1);
		assert_string_equal(out, "");
	}
}

static void
test_base64_round_trip(void **state)
{
	static const struct {
		const char	*raw;
		const char	*enc;
	} rfc4648[] = {
		{ "", "" },
		{ "f", "Zg==" },
		{ "fo", "Zm8=" },
		{ "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	unsigned char	 raw[300], back[300];
	char		*enc;
	size_t		 i, n, len;

	(void)state;
	for (i = 0; i < CS_NELEM(rfc4648); i++) {
		n = strlen(rfc4648[i].raw);
		enc = cs_base64((const unsigned char *)rfc4648[i].raw, n);
		assert_string_equal(enc, rfc4648[i].enc);
		assert_int_equal(cs_unbase64(enc, strlen(enc), back,
		    sizeof back, &len), 0);
		assert_int_equal(len, n);
		assert_memory_equal(back, rfc4648[i].raw, n);
		free(enc);
	}
	for (i = 0; i < sizeof raw; i++)
		raw[i] = (unsigned char)(i * 7 + 3);
	for (n = 0; n <= sizeof raw; n++) {
		enc = cs_base64(raw, n);
		assert_int_equal(strlen(enc), (n + 2) / 3 * 4);
		assert_int_equal(cs_unbase64(enc, strlen(enc), back, n, &len),
		    0);
		assert_int_equal(len, n);
		assert_memory_equal(back, raw, n);
		free(enc);
	}
}

static void
test_base64_rejects_non_canonical(void **state)
{
	static const char	*bad[] = {
		"Zg",		/* no padding */
		"Zg=",		/* short padding */
		"Zh==",		/* non-zero trailing bits */
		"Zm9=",		/* non-zero trailing bits */
		"Z===",		/* too much padding */
		"====",
		"Zg==Zg==",	/* padding in the middle */
		"Zm=v",
		"Zm9v!A==",	/* not in the alphabet */
		"Zm 9v",
		"Zm9v\n",
		"Zm-_",		/* URL-safe alphabet */
	};
	unsigned char		 out[16];
	size_t			 i, len;

	(void)state;
	for (i = 0; i < CS_NELEM(bad); i++)
		assert_int_equal(cs_unbase64(bad[i], strlen(bad[i]), out,
		    sizeof out, &len), -1);
	/* Valid, but larger than the output buffer. */
	assert_int_equal(cs_unbase64("Zm9vYmFy", 8, out, 5, &len), -1);
	assert_int_equal(cs_unbase64("Zm9vYmFy", 8, out, 6, &len), 0);
}

static void
test_keygen_refuses_existing_key(void **state)
{
	struct cs_err	 err;
	struct cs_key	*key;
	char		*prefix;

	(void)state;
	cs_err_init(&err);
	assert_int_equal(cs_test_write("k.key", "precious\n", 9), 0);
	prefix = cs_test_path("k");
	key = cs_keygen(prefix, NULL, &err);
	assert_null(key);
	assert_int_equal(err.code, CS_EXIT_CANTCREAT);
	assert_non_null(strstr(err.msg, "already exists"));
	assert_int_equal(cs_keygen_check(prefix, &err), -1);
	test_assert_content("k.key", "precious\n");
	test_assert_absent("k.pub");
	free(prefix);
	cs_err_release(&err);
}

static void
test_keygen_refuses_existing_pub(void **state)
{
	struct cs_err	 err;
	struct cs_key	*key;
	char		*prefix;

	(void)state;
	cs_err_init(&err);
	assert_int_equal(cs_test_write("k.pub", "precious\n", 9), 0);
	prefix = cs_test_path("k");
	key = cs_keygen(prefix, "pass", &err);
	assert_null(key);
	assert_int_equal(err.code, CS_EXIT_CANTCREAT);
	test_assert_content("k.pub", "precious\n");
	test_assert_absent("k.key");
	free(prefix);
	cs_err_release(&err);
}

static void
test_keygen_refuses_bad_prefix(void **state)
{
	struct cs_err	 err;
	char		*prefix;

	(void)state;
	cs_err_init(&err);
	assert_null(cs_keygen("", NULL, &err));
	assert_int_equal(err.code, CS_EXIT_USAGE);
	prefix = cs_test_path("");
	assert_null(cs_keygen(prefix, NULL, &err));
	assert_int_equal(err.code, CS_EXIT_USAGE);
	free(prefix);
	prefix = cs_test_path("missing/k");
	assert_null(cs_keygen(prefix, NULL, &err));
	assert_int_equal(err.code, CS_EXIT_CANTCREAT);
	assert_int_equal(err.errnum, ENOENT);
	free(prefix);
	cs_err_release(&err);
}

static void
test_keygen_file_modes(void **state)
{
	struct stat	 st;
	struct cs_key	*key;
	char		*path;

	(void)state;
	key = test_keygen("k", NULL);
	path = cs_test_path("k.key");
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	free(path);
	path = cs_test_path("k.pub");
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	free(path);
	cs_key_free(key);
}

static void
test_keygen_plain_key_is_pkcs8(void **state)
{
	struct cs_key	*key;
	char		*path, *pem;

	(void)state;
	key = test_keygen("k", NULL);
	path = cs_test_path("k.key");
	pem = cs_test_read(path, NULL);
	assert_non_null(pem);
	assert_non_null(strstr(pem, "-----BEGIN PRIVATE KEY-----\n"));
	free(pem);
	free(path);
	path = cs_test_path("k.pub");
	pem = cs_test_read(path, NULL);
	assert_non_null(pem);
	assert_non_null(strstr(pem, "-----BEGIN PUBLIC KEY-----\n"));
	free(pem);
	free(path);
	cs_key_free(key);
}

static void
test_encrypted_key_uses_scrypt(void **state)
{
	const X509_ALGOR	*alg = NULL;
	const ASN1_OBJECT	*obj = NULL;
	const void		*pval = NULL;
	PBE2PARAM		*pbe2;
	SCRYPT_PARAMS		*sp;
	X509_SIG		*p8;
	struct cs_key		*key;
	FILE			*f;
	char			*path;
	int			 ptype = 0;

	(void)state;
	key = test_keygen("k", "correct horse");
	path = cs_test_path("k.key");
	f = fopen(path, "re");
	assert_non_null(f);
	p8 = PEM_read_PKCS8(f, NULL, NULL, NULL);
	assert_non_null(p8);
	assert_int_equal(fclose(f), 0);
	X509_SIG_get0(p8, &alg, NULL);
	X509_ALGOR_get0(&obj, &ptype, &pval, alg);
	assert_int_equal(OBJ_obj2nid(obj), NID_pbes2);
	assert_int_equal(ptype, V_ASN1_SEQUENCE);
	pbe2 = ASN1_item_unpack(pval, ASN1_ITEM_rptr(PBE2PARAM));
	assert_non_null(pbe2);
	assert_int_equal(OBJ_obj2nid(pbe2->keyfunc->algorithm),
	    NID_id_scrypt);
	assert_int_equal(OBJ_obj2nid(pbe2->encryption->algorithm),
	    NID_aes_256_cbc);
	sp = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS),
	    pbe2->keyfunc->parameter);
	assert_non_null(sp);
	assert_int_equal(ASN1_STRING_length(sp->salt), 16);
	assert_int_equal(ASN1_INTEGER_get(sp->costParameter), 16384);
	assert_int_equal(ASN1_INTEGER_get(sp->blockSize), 8);
	SCRYPT_PARAMS_free(sp);
	PBE2PARAM_free(pbe2);
	X509_SIG_free(p8);
	free(path);
	cs_key_free(key);
}

static void
test_encrypted_key_right_passphrase(void **state)
{
	static const char	 msg[] = "m";
	unsigned char		 sig[CS_SIG_LEN];
	struct cs_err		 err;
	struct cs_key		*key, *loaded;

	(void)state;
	cs_err_init(&err);
	key = test_keygen("k", "correct horse");
	assert_int_equal(cs_test_write("pw", "correct horse\nignored\n",
	    22), 0);
	loaded = test_load_private("k.key", "pw", &err);
	if (loaded == NULL)
		fail_msg("%s", err.msg);
	assert_true(cs_key_can_sign(loaded));
	assert_string_equal(cs_key_fingerprint(loaded),
	    cs_key_fingerprint(key));
	assert_int_equal(cs_key_sign(loaded, msg, 1, sig, &err), 0);
	assert_int_equal(cs_key_verify(key, msg, 1, sig), 0);
	cs_key_free(loaded);
	cs_key_free(key);
	cs_err_release(&err);
}

static void
test_encrypted_key_wrong_passphrase(void **state)
{
	struct cs_err	 err;
	struct cs_key	*key;

	(void)state;
	cs_err_init(&err);
	key = test_keygen("k", "correct horse");
	assert_int_equal(cs_test_write("pw", "correct horse \n", 15), 0);
	assert_null(test_load_private("k.key", "pw", &err));
	assert_int_equal(err.code, CS_EXIT_NOPERM);
	assert_non_null(strstr(err.msg, "wrong passphrase"));
	assert_non_null(strstr(err.msg, "k.key"));
	cs_key_free(key);
	cs_err_release(&err);
}

static void
test_encrypted_key_not_public_source(void **state)
{
	struct cs_err	 err;
	struct cs_key	*key;

	(void)state;
	cs_err_init(&err);
	key = test_keygen("k", "correct horse");
	assert_null(test_load_public("k.key", &err));
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	assert_non_null(strstr(err.msg, "encrypted"));
	cs_key_free(key);
	cs_err_release(&err);
}

static void
test_plain_key_ignores_passphrase_file(void **state)
{
	struct cs_err	 err;
	struct cs_key	*key, *loaded;

	(void)state;
	cs_err_init(&err);
	key = test_keygen("k", NULL);
	loaded = test_load_private("k.key", "no-such-file", &err);
	assert_non_null(loaded);
	assert_string_equal(cs_key_id(loaded), cs_key_id(key));
	cs_key_free(loaded);
	cs_key_free(key);
	cs_err_release(&err);
}

static void
test_rsa_key_refused(void **state)
{
	struct cs_err	 err;

	(void)state;
	cs_err_init(&err);
	test_write_foreign("rsa.key", EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
	    (size_t)1024));
	assert_null(test_load_private("rsa.key", NULL, &err));
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	assert_non_null(strstr(err.msg, "rsa.key"));
	assert_non_null(strstr(err.msg, "RSA"));
	assert_null(test_load_public("rsa.key", &err));
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	assert_non_null(strstr(err.msg, "RSA"));
	cs_err_release(&err);
}

static void
test_ec_key_refused(void **state)
{
	struct cs_err	 err;

	(void)state;
	cs_err_init(&err);
	test_write_foreign("ec.key", EVP_PKEY_Q_keygen(NULL, NULL, "EC",
	    "P-256"));
	assert_null(test_load_private("ec.key", NULL, &err));
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	assert_non_null(strstr(err.msg, "ec.key"));
	assert_non_null(strstr(err.msg, "EC"));
	cs_err_release(&err);
}

static void
test_not_a_key_refused(void **state)
{
	struct cs_err	 err;
	struct cs_key	*key;

	(void)state;
	cs_err_init(&err);
	assert_int_equal(cs_test_write("junk", "not a key\n", 10), 0);
	assert_null(test_load_private("junk", NULL, &err));
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	assert_null(test_load_public("junk", &err));
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	key = test_keygen("k", NULL);
	assert_null(test_load_private("k.pub", NULL, &err));
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	assert_non_null(strstr(err.msg, "public key"));
	cs_key_free(key);
	cs_err_release(&err);
}

static void
test_missing_key_file(void **state)
{
	struct cs_err	 err;

	(void)state;
	cs_err_init(&err);
	assert_null(test_load_private("absent.key", NULL, &err));
	assert_int_equal(err.code, CS_EXIT_NOINPUT);
	assert_int_equal(err.errnum, ENOENT);
	assert_non_null(strstr(err.msg, "cannot open '"));
	assert_null(test_load_public("absent.pub", &err));
	assert_int_equal(err.code, CS_EXIT_NOINPUT);
	assert_int_equal(err.errnum, ENOENT);
	cs_err_release(&err);
}

static void
test_passphrase_file_first_line(void **state)
{
	static const struct {
		const char	*content;
		const char	*want;		/* NULL: refused */
	} cases[] = {
		{ "abc\ndef\n", "abc" },
		{ "no newline", "no newline" },
		{ " spaces kept \n", " spaces kept " },
		{ "\n", NULL },
		{ "", NULL },
		{ "\nsecond line\n", NULL },
	};
	struct cs_err	 err;
	char		*path, *pass, *big;
	size_t		 i;

	(void)state;
	cs_err_init(&err);
	path = cs_test_path("pw");
	for (i = 0; i < CS_NELEM(cases); i++) {
		assert_int_equal(cs_test_write("pw", cases[i].content,
		    strlen(cases[i].content)), 0);
		pass = NULL;
		if (cases[i].want == NULL) {
			assert_int_equal(cs_passphrase_get(path, "p: ", 0,
			    &pass, &err), -1);
			assert_null(pass);
			assert_int_equal(err.code, CS_EXIT_DATAERR);
			continue;
		}
		assert_int_equal(cs_passphrase_get(path, "p: ", 1, &pass,
		    &err), 0);
		assert_string_equal(pass, cases[i].want);
		cs_passphrase_free(pass);
	}
	/* 1023 bytes is the longest, as for "openssl -passin file:". */
	big = cs_xmalloc(1026);
	memset(big, 'a', 1025);
	big[1023] = '\n';
	assert_int_equal(cs_test_write("pw", big, 1024), 0);
	assert_int_equal(cs_passphrase_get(path, "p: ", 0, &pass, &err), 0);
	assert_int_equal(strlen(pass), 1023);
	cs_passphrase_free(pass);
	assert_int_equal(cs_test_write("pw", big, 1023), 0);
	assert_int_equal(cs_passphrase_get(path, "p: ", 0, &pass, &err), 0);
	cs_passphrase_free(pass);
	big[1023] = 'a';
	assert_int_equal(cs_test_write("pw", big, 1025), 0);
	assert_int_equal(cs_passphrase_get(path, "p: ", 0, &pass, &err), -1);
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	free(big);
	free(path);
	path = cs_test_path("absent");
	assert_int_equal(cs_passphrase_get(path, "p: ", 0, &pass, &err), -1);
	assert_int_equal(err.code, CS_EXIT_NOINPUT);
	assert_int_equal(err.errnum, ENOENT);
	free(path);
	cs_err_release(&err);
}

/* Heap path of a committed fixture, or NULL outside "make check". */
static char *
test_fixture(const char *name)
{
	const char	*srcdir = getenv("CS_SRCDIR");

	if (srcdir == NULL)
		return NULL;
	return cs_xasprintf("%s/fixtures/keys/%s", srcdir, name);
}

/*
 * The committed keys still load, have the fingerprints fixtures/keys/README
 * gives, and sign the golden message to the golden signature (Ed25519 is
 * deterministic), as "openssl pkeyutl -sign -rawin" does.
 */
static void
test_fixture_keys_golden(void **state)
{
	static const char	 msg[] = "custos golden message\n";
	static const char	 golden[] =
	    "pmwxU7QRaLRA5irj7hwbp2Xf76oIVy1Ox7Uh"
	    "/jWVhSxg4z/ptZimL3Yxhxx39Wx5Aba1cW7jgXmY21CSizovAg==";
	unsigned char		 sig[CS_SIG_LEN];
	struct cs_err		 err;
	struct cs_key		*key, *pub, *enc;
	char			*path, *pass, *b64;

	(void)state;
	if ((path = test_fixture("test.key")) == NULL)
		skip();
	cs_err_init(&err);
	key = cs_key_load_private(path, NULL, &err);
	assert_non_null(key);
	free(path);
	path = test_fixture("test.pub");
	pub = cs_key_load_public(path, &err);
	assert_non_null(pub);
	free(path);
	assert_string_equal(cs_key_fingerprint(pub), "784c1217b63cc87b5641697b"
	    "9993ba7461e3a4c76bf9c474efae97f78d592582");
	assert_string_equal(cs_key_fingerprint(key), cs_key_fingerprint(pub));
	assert_int_equal(cs_key_sign(key, msg, sizeof msg - 1, sig, &err), 0);
	b64 = cs_base64(sig, sizeof sig);
	assert_string_equal(b64, golden);
	assert_int_equal(cs_key_verify(pub, msg, sizeof msg - 1, sig), 0);
	path = test_fixture("test-enc.key");
	pass = test_fixture("test-enc.pass");
	enc = cs_key_load_private(path, pass, &err);
	assert_non_null(enc);
	assert_string_equal(cs_key_fingerprint(enc), "af7dc2290a86d7330e872c74"
	    "17867a94ad422f29cd1e30913b0555ba87a3ed2a");
	free(path);
	path = test_fixture("rsa.key");
	assert_null(cs_key_load_private(path, NULL, &err));
	assert_int_equal(err.code, CS_EXIT_DATAERR);
	free(path);
	free(pass);
	free(b64);
	cs_key_free(enc);
	cs_key_free(pub);
	cs_key_free(key);
	cs_err_release(&err);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, cs_test_setup_tmp, \
		    cs_test_teardown_tmp)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sign_verify_round_trip),
		T(test_verify_fails_flipped_message),
		T(test_verify_fails_flipped_signature),
		T(test_verify_fails_wrong_key),
		T(test_public_key_cannot_sign),
		T(test_fingerprint_is_sha256_of_spki),
		T(test_spki_round_trip),
		T(test_public_key_from_private_file),
		T(test_fingerprint_parse_forms),
		T(test_fingerprint_parse_rejects),
		T(test_base64_round_trip),
		T(test_base64_rejects_non_canonical),
		T(test_keygen_refuses_existing_key),
		T(test_keygen_refuses_existing_pub),
		T(test_keygen_refuses_bad_prefix),
		T(test_keygen_file_modes),
		T(test_keygen_plain_key_is_pkcs8),
		T(test_encrypted_key_uses_scrypt),
		T(test_encrypted_key_right_passphrase),
		T(test_encrypted_key_wrong_passphrase),
		T(test_encrypted_key_not_public_source),
		T(test_plain_key_ignores_passphrase_file),
		T(test_rsa_key_refused),
		T(test_ec_key_refused),
		T(test_not_a_key_refused),
		T(test_missing_key_file),
		T(test_passphrase_file_first_line),
		T(test_fixture_keys_golden),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
