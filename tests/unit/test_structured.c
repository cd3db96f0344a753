/*
 * test_structured.c: parsing account databases and login records into
 * entry texts (hostile input included), reading them from descriptors
 * (sparse lastlog), and comparing them entry by entry.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <unistd.h>

#include <cmocka.h>

#include "custos/buf.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/err.h"
#include "custos/policy.h"
#include "custos/structured.h"
#include "custos/triage.h"
#include "custos/xmalloc.h"
#include "util.h"

static const unsigned char key1[CS_SKEY_LEN] = { 1, 2, 3 };
static const unsigned char key2[CS_SKEY_LEN] = { 9, 8, 7 };

static char *
parse(int kind, const char *text, size_t n, const unsigned char *key)
{
	char	*s;
	size_t	 len;

	s = cs_structured_parse(kind, text, n, key, &len);
	assert_non_null(s);
	assert_int_equal(strlen(s), len);	/* never a NUL inside */
	assert_true(cs_structured_valid(s, len));
	return s;
}

static void
test_kind_names(void **state)
{
	(void)state;
	assert_int_equal(cs_skind_lookup("passwd", 6), CS_S_PASSWD);
	assert_int_equal(cs_skind_lookup("lastlog", 7), CS_S_LASTLOG);
	assert_int_equal(cs_skind_lookup("none", 4), 0);
	assert_int_equal(cs_skind_lookup("passw", 5), -1);
	assert_string_equal(cs_skind_name(CS_S_SUBID), "subid");
	assert_true(cs_structured_valid("utmp:", 5));
	assert_false(cs_structured_valid("bogus:x\n", 8));
	assert_false(cs_structured_valid("passwd:a\0b\n", 11));
	assert_false(cs_structured_valid("passwd:a", 8));
}

static void
test_passwd(void **state)
{
	const char	*t = "root:x:0:0:root:/root:/bin/bash\n"
	    "alice:$6$salt$hash:01001:1001:Alice:/home/alice:/bin/sh\n"
	    "nopw::1002:1002::/home/nopw:/bin/sh\n";
	char		*s;

	(void)state;
	s = parse(CS_S_PASSWD, t, strlen(t), key1);
	assert_non_null(strstr(s, "\nroot:x:0:0:root:/root:/bin/bash\n"));
	assert_non_null(strstr(s, "\nalice:#"));
	assert_non_null(strstr(s, ":1001:1001:Alice:/home/alice:/bin/sh\n"));
	assert_non_null(strstr(s, "\nnopw::1002:"));
	assert_null(strstr(s, "$6$"));		/* never the hash */
	assert_null(strstr(s, "salt"));
	assert_null(strstr(s, "#bad"));
	assert_true(strncmp(s, "passwd:#k=", 10) == 0);
	free(s);
}

static void
test_shadow_keyed(void **state)
{
	const char	*t = "root:!$y$j9T$abc$def:19000:0:99999:7:::\n"
	    "daemon:*:19000:0:99999:7:::\n";
	char		*a, *b, *c;

	(void)state;
	a = parse(CS_S_SHADOW, t, strlen(t), key1);
	b = parse(CS_S_SHADOW, t, strlen(t), key1);
	c = parse(CS_S_SHADOW, t, strlen(t), key2);
	assert_string_equal(a, b);		/* one key: one digest */
	assert_string_not_equal(a, c);		/* another: another */
	assert_null(strstr(a, "$y$"));
	assert_non_null(strstr(a, "\nroot:!#"));	/* the lock is kept */
	assert_non_null(strstr(a, "\ndaemon:*:19000:0:99999:7::\n"));
	free(a);
	free(b);
	free(c);
}

/* Hostile lines are skipped and counted, never carried half-parsed. */
static void
test_hostile_lines(void **state)
{
	struct cs_buf	 b;
	char		*s;
	size_t		 i;

	(void)state;
	cs_buf_init(&b);
	cs_buf_adds(&b, "ok:x:1:1::/:/bin/sh\n");
	cs_buf_adds(&b, "short:x:1\n");			/* missing fields */
	cs_buf_adds(&b, "many:x:1:1::/:/bin/sh:extra\n");
	cs_buf_add(&b, "nul:x:2:2::/:/bin/\0sh\n", 22);	/* NUL byte */
	cs_buf_adds(&b, "big:x:99999999999999999999999:1::/:/bin/sh\n");
	cs_buf_adds(&b, "neg:x:-1:1::/:/bin/sh\n");
	cs_buf_adds(&b, "#comment:x:0:0::/:/bin/sh\n");
	cs_buf_adds(&b, "\n");
	cs_buf_adds(&b, ":x:3:3::/:/bin/sh\n");		/* no name */
	cs_buf_adds(&b, "long:x:4:4::/:");
	for (i = 0; i < 70000; i++)
		cs_buf_addc(&b, 'a');
	cs_buf_adds(&b, "\nlast:x:5:5::/:/bin/sh");	/* no newline */
	s = parse(CS_S_PASSWD, b.data, b.len, NULL);
	assert_non_null(strstr(s, "passwd:ok:x:1:1::/:/bin/sh\n"));
	assert_non_null(strstr(s, "\nlast:x:5:5::/:/bin/sh\n"));
	assert_non_null(strstr(s, "#bad=9\n"));
	assert_null(strstr(s, "big"));
	assert_null(strstr(s, "aaaa"));
	free(s);
	cs_buf_release(&b);
	s = parse(CS_S_SUBID, "a:100000:65536\nb:1:184467440737095516160\n",
	    40, NULL);
	assert_string_equal(s, "subid:a:100000:65536\n#bad=1\n");
	free(s);
	s = parse(CS_S_GROUP, "sudo:x:27:alice,bob\nx:x:nan:\n", 28, NULL);
	assert_string_equal(s, "group:sudo:27:alice,bob\n#bad=1\n");
	free(s);
}

/* A utmp record: type, time, user (explicit glibc x86-64 offsets). */
static void
utmp_rec(unsigned char *r, int32_t t, const char *user)
{
	memset(r, 0, 384);
	r[0] = 7;			/* USER_PROCESS */
	memcpy(r + 44, user, strlen(user));
	r[340] = (unsigned char)(t & 0xff);
	r[341] = (unsigned char)((t >> 8) & 0xff);
	r[342] = (unsigned char)((t >> 16) & 0xff);
	r[343] = (unsigned char)((t >> 24) & 0xff);
}

static void
test_utmp(void **state)
{
	unsigned char	 buf[384 * 4 + 100];
	char		*s;

	(void)state;
	utmp_rec(buf, 1000, "a");
	utmp_rec(buf + 384, 3000, "b");
	memset(buf + 768, 0, 384);		/* zeroed */
	utmp_rec(buf + 1152, 2000, "c");	/* back in time */
	memset(buf + 1536, 0x41, 100);		/* partial record */
	s = parse(CS_S_UTMP, (const char *)buf, sizeof buf, NULL);
	assert_string_equal(s, "utmp:n=4\nlast=3000\nback=1\nzero=1\n"
	    "#partial=100\n");
	free(s);
}

/* A sparse lastlog of 64 GiB costs two slots' reading. */
static void
test_lastlog_sparse(void **state)
{
	unsigned char	 slot[292];
	char		*p, *s;
	size_t		 len;
	int		 fd;

	(void)state;
	p = cs_test_path("lastlog");
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)1 << 36), 0);
	memset(slot, 0, sizeof slot);
	slot[0] = 0x10;
	memcpy(slot + 4, "pts/0", 5);
	assert_int_equal(pwrite(fd, slot, sizeof slot, 0), 292);
	slot[0] = 0x20;
	assert_int_equal(pwrite(fd, slot, sizeof slot, 292 * 1000000), 292);
	s = cs_structured_read(CS_S_LASTLOG, fd, (uint64_t)1 << 36, NULL,
	    &len);
	assert_non_null(s);
	assert_string_equal(s, "lastlog:0:16\n1000000:32\n#partial=220\n");
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);	/* for the hasher */
	free(s);
	close(fd);
	free(p);
}

static void
test_policy_rule(void **state)
{
	struct cs_policy	*p = cs_policy_new("t.policy");
	struct cs_err		 err;
	struct cs_rule		 r;
	const char		*t = "/etc/passwd* structured=passwd\n"
	    "/etc/passwd+ structured=none\n";

	(void)state;
	cs_err_init(&err);
	assert_int_equal(cs_policy_parse(p, t, strlen(t), &err), 0);
	assert_true(cs_policy_has_structured(p));
	cs_policy_eval(p, "/etc/passwd-", &r);
	assert_int_equal(r.structured, CS_S_PASSWD);
	cs_policy_eval(p, "/etc/passwd+", &r);
	assert_int_equal(r.structured, 0);
	cs_policy_eval(p, "/etc/hosts", &r);
	assert_int_equal(r.structured, 0);
	assert_int_equal(cs_policy_structured(p, "/etc/passwd"), CS_S_PASSWD);
	assert_int_equal(cs_policy_structured(p, "/etc/passwd+"), 0);
	assert_int_equal(cs_policy_structured(p, "/etc/group"), 0);
	assert_int_equal(cs_policy_parse(p, "/x structured=pwd\n", 18, &err),
	    -1);
	assert_non_null(strstr(err.msg, "t.policy:1: unknown structured"));
	cs_err_release(&err);
	cs_policy_free(p);
}

/* Comparison through cs_diff_pair, as a check does it. */

static const char *const acct_policy =
    "/etc/login.defs structured=logindefs\n"
    "/etc/passwd* structured=passwd\n/etc/group* structured=group\n"
    "/etc/shadow* structured=shadow\n/etc/subuid* structured=subid\n"
    "/var/log/wtmp structured=utmp,append-only\n";

static struct cs_entry *
ent(const char *path, int kind, const char *text, const unsigned char *key,
    unsigned char tag)
{
	struct cs_entry	*e = cs_entry_new();

	cs_entry_set_path(e, path, strlen(path));
	e->type = CS_T_FILE;
	e->mode = 0644;
	e->size = strlen(text);
	e->mtime.sec = tag;
	e->digests = 1U << CS_D_SHA256;
	memset(e->digest[CS_D_SHA256], tag, 32);
	e->sdata = cs_structured_parse(kind, text, strlen(text), key,
	    &e->sdatalen);
	e->have |= CS_F_STRUCT;
	return e;
}

struct pair_env {
	struct cs_policy	*pol;
	struct cs_diff_opts	 opts;
};

static void
env_init(struct pair_env *v)
{
	struct cs_err	 err;

	cs_err_init(&err);
	v->pol = cs_policy_new("t");
	assert_int_equal(cs_policy_parse(v->pol, acct_policy,
	    strlen(acct_policy), &err), 0);
	memset(&v->opts, 0, sizeof v->opts);
	v->opts.policy = v->pol;
	v->opts.created = INT64_MIN;
	v->opts.sstate = cs_sstate_new();
}

static void
env_release(struct pair_env *v)
{
	cs_sstate_free(v->opts.sstate);
	cs_policy_free(v->pol);
}

/* Compare and triage one pair; NULL if no difference. */
static struct cs_finding *
pair(struct pair_env *v, struct cs_entry *o, struct cs_entry *n)
{
	struct cs_finding	*f;

	f = cs_diff_pair(o, n, NULL, &v->opts, 1U << CS_D_SHA256);
	if (f != NULL)
		cs_triage(f);
	return f;
}

static void
test_cmp_accounts(void **state)
{
	struct pair_env		 v;
	struct cs_finding	*f;
	const char *pw0 = "root:x:0:0::/root:/bin/bash\n"
	    "daemon:x:1:1::/:/usr/sbin/nologin\n";
	const char *pw1 = "root:x:0:0::/root:/bin/bash\n"
	    "daemon:x:1:1::/:/usr/sbin/nologin\n"
	    "alice:x:1500:1500::/home/alice:/bin/bash\n";
	const char *gr0 = "root:x:0:\nsudo:x:27:\nalice:x:1500:\n";
	const char *gr1 = "root:x:0:\nsudo:x:27:\nalice:x:1500:\n";
	const char *sh0 = "root:$6$a$b:1:0:99999:7:::\n"
	    "daemon:*:1:0:99999:7:::\n";
	const char *sh1 = "root:$6$c$d:1:0:99999:7:::\n"
	    "daemon:*:1:0:99999:7:::\nalice:$6$e$f:2:0:99999:7:::\n";

	(void)state;
	env_init(&v);
	f = pair(&v, ent("/etc/group", CS_S_GROUP, gr0, NULL, 1),
	    ent("/etc/group", CS_S_GROUP, gr1, NULL, 1));
	assert_null(f);
	f = pair(&v, ent("/etc/login.defs", CS_S_LOGINDEFS, "UID_MIN 1000\n",
	    NULL, 1), ent("/etc/login.defs", CS_S_LOGINDEFS,
	    "UID_MIN\t1000\n", NULL, 1));
	assert_null(f);
	f = pair(&v, ent("/etc/passwd", CS_S_PASSWD, pw0, key1, 1),
	    ent("/etc/passwd", CS_S_PASSWD, pw1, key1, 2));
	assert_non_null(f);
	assert_string_equal(f->detail, "added user alice: uid 1500, gid 1500, "
	    "home /home/alice, shell /bin/bash");
	assert_int_equal(f->severity, CS_SEV_MEDIUM);
	assert_string_equal(f->floor_technique, "T1136.001");
	cs_finding_free(f);
	/* the backup now holds the baselined passwd */
	f = pair(&v, ent("/etc/passwd-", CS_S_PASSWD, "old\n", key1, 7),
	    ent("/etc/passwd-", CS_S_PASSWD, pw0, key1, 1));
	assert_non_null(f);
	assert_int_equal(f->severity, CS_SEV_LOW);
	assert_string_equal(f->floor_reason, "backup made by the account "
	    "tools: copy of /etc/passwd as baselined");
	cs_finding_free(f);
	/* root's password changed: high, whatever else */
	f = pair(&v, ent("/etc/shadow", CS_S_SHADOW, sh0, key1, 1),
	    ent("/etc/shadow", CS_S_SHADOW, sh1, key1, 2));
	assert_non_null(f);
	assert_int_equal(f->severity, CS_SEV_HIGH);
	assert_string_equal(f->floor_reason,
	    "password of root or a system account changed");
	assert_non_null(strstr(f->detail, "changed shadow entry root, "
	    "password changed"));
	assert_non_null(strstr(f->detail, "added shadow entry alice"));
	assert_null(strstr(f->detail, "$6$"));
	cs_finding_free(f);
	env_release(&v);
}

static void
test_cmp_privilege(void **state)
{
	struct pair_env		 v;
	struct cs_finding	*f;
	const char *pw0 = "root:x:0:0::/root:/bin/bash\n"
	    "bob:x:1001:1001::/home/bob:/bin/bash\n";
	const char *pw1 = "root:x:0:0::/root:/bin/bash\n"
	    "bob:x:1001:1001::/home/bob:/bin/bash\n"
	    "toor:x:0:0::/root:/bin/bash\n";
	const char *sh0 = "bob:$6$a$b:1:0:99999:7:::\n";
	const char *sh1 = "bob:$6$c$d:1:0:99999:7:::\n";

	(void)state;
	env_init(&v);
	f = pair(&v, ent("/etc/group", CS_S_GROUP, "sudo:x:27:\n", NULL, 1),
	    ent("/etc/group", CS_S_GROUP, "sudo:x:27:bob\n", NULL, 2));
	assert_non_null(f);
	assert_int_equal(f->severity, CS_SEV_HIGH);
	assert_string_equal(f->detail, "changed group sudo, added members "
	    "bob");
	assert_string_equal(f->floor_technique, "T1098");
	cs_finding_free(f);
	f = pair(&v, ent("/etc/passwd", CS_S_PASSWD, pw0, NULL, 1),
	    ent("/etc/passwd", CS_S_PASSWD, pw1, NULL, 2));
	assert_int_equal(f->severity, CS_SEV_CRITICAL);
	assert_string_equal(f->floor_reason, "account with uid 0 added");
	cs_finding_free(f);
	/* an ordinary user's new password: low */
	f = pair(&v, ent("/etc/shadow", CS_S_SHADOW, sh0, key1, 1),
	    ent("/etc/shadow", CS_S_SHADOW, sh1, key1, 2));
	assert_int_equal(f->severity, CS_SEV_LOW);
	cs_finding_free(f);
	/* digests under different keys cannot be compared */
	f = pair(&v, ent("/etc/shadow", CS_S_SHADOW, sh0, key1, 1),
	    ent("/etc/shadow", CS_S_SHADOW, sh0, key2, 2));
	assert_non_null(strstr(f->detail, "not comparable"));
	cs_finding_free(f);
	env_release(&v);
}

/* A wtmp record of the first N bytes of B. */
static struct cs_entry *
utmp_ent(const unsigned char *b, size_t n)
{
	struct cs_entry	*e = cs_entry_new();

	cs_entry_set_path(e, "/var/log/wtmp", 13);
	e->type = CS_T_FILE;
	e->sdata = cs_structured_parse(CS_S_UTMP, b, n, NULL, &e->sdatalen);
	e->have |= CS_F_STRUCT;
	e->size = n;
	return e;
}

static void
test_cmp_logins(void **state)
{
	struct pair_env		 v;
	struct cs_finding	*f;
	struct cs_entry		*o, *n;
	unsigned char		 buf[384 * 3];

	(void)state;
	env_init(&v);
	memset(buf, 0x41, sizeof buf);
	utmp_rec(buf, 1000, "a");
	utmp_rec(buf + 384, 2000, "b");
	utmp_rec(buf + 768, 3000, "c");
	o = utmp_ent(buf, 768);
	memset(buf + 384, 0, 384);		/* b's record wiped */
	n = utmp_ent(buf, sizeof buf);
	f = pair(&v, o, n);
	assert_non_null(f);
	assert_int_equal(f->severity, CS_SEV_HIGH);
	assert_string_equal(f->floor_technique, "T1070.002");
	cs_finding_free(f);
	/* a trailing partial record: the file cannot be compared */
	o = utmp_ent(buf, 384);
	n = utmp_ent(buf, 384 + 100);
	f = pair(&v, o, n);
	assert_non_null(f);
	assert_int_equal(f->kind, CS_K_NOTCMP);
	assert_non_null(strstr(f->why_not, "partial login record"));
	cs_finding_free(f);
	env_release(&v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_passwd),
		cmocka_unit_test(test_shadow_keyed),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_utmp),
		cmocka_unit_test_setup_teardown(test_lastlog_sparse,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test(test_policy_rule),
		cmocka_unit_test(test_cmp_accounts),
		cmocka_unit_test(test_cmp_privilege),
		cmocka_unit_test(test_cmp_logins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
