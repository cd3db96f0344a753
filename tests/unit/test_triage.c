/*
 * test_triage.c: the rule table, one finding per rule, and the ranking
 * of back doors above benign changes.
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/policy.h"
#include "custos/triage.h"
#include "custos/xmalloc.h"

static struct cs_entry *
mk(const char *path, enum cs_type t, uint32_t mode)
{
	struct cs_entry	*e = cs_entry_new();

	cs_entry_set_path(e, path, strlen(path));
	e->type = t;
	e->mode = mode;
	e->nlink = 1;
	e->have = CS_F_INO | CS_F_NLINK | CS_F_IFLAGS | CS_F_META;
	return e;
}

static struct cs_finding *
finding(enum cs_kind k, struct cs_entry *o, struct cs_entry *n,
    unsigned attrs, unsigned flags)
{
	struct cs_finding	*f = cs_xcalloc(1, sizeof *f);
	const struct cs_entry	*e = n != NULL ? n : o;

	f->kind = k;
	f->old = o;
	f->new = n;
	f->path = cs_xstrdup(e->path);
	f->pathlen = e->pathlen;
	f->shown = cs_xstrdup(e->path);
	f->attrs = attrs;
	f->flags = flags;
	f->base = -1;
	f->floor = -1;
	return f;
}

static int
sev(struct cs_finding *f)
{
	int	 s;

	cs_triage(f);
	s = f->severity;
	cs_finding_free(f);
	return s;
}

static void
test_back_doors_are_critical_or_high(void **state)
{
	struct cs_entry	*n;

	(void)state;
	assert_int_equal(sev(finding(CS_K_ADDED, NULL,
	    mk("/tmp/x", CS_T_FILE, 04755), 0, 0)), CS_SEV_CRITICAL);
	n = mk("/usr/bin/python3", CS_T_FILE, 0755);
	n->caps = cs_xstrdup("cap_setuid=ep");
	assert_int_equal(sev(finding(CS_K_CHANGED,
	    mk("/usr/bin/python3", CS_T_FILE, 0755), n,
	    CS_ABIT(CS_A_CAPS), 0)), CS_SEV_CRITICAL);
	assert_int_equal(sev(finding(CS_K_ADDED, NULL,
	    mk("/etc/ld.so.preload", CS_T_FILE, 0644), 0, 0)),
	    CS_SEV_CRITICAL);
	assert_int_equal(sev(finding(CS_K_CHANGED,
	    mk("/usr/sbin/sshd", CS_T_FILE, 0755),
	    mk("/usr/sbin/sshd", CS_T_FILE, 0755), CS_ABIT(CS_A_DIGEST),
	    CS_FF_TIMESTOMP)), CS_SEV_CRITICAL);
	assert_int_equal(sev(finding(CS_K_ADDED, NULL,
	    mk("/etc/sudoers.d/x", CS_T_FILE, 0440), 0, 0)), CS_SEV_HIGH);
	assert_int_equal(sev(finding(CS_K_ADDED, NULL,
	    mk("/etc/systemd/system/multi-user.target.wants/x.service",
	    CS_T_LINK, 0777), 0, 0)), CS_SEV_HIGH);
	assert_int_equal(sev(finding(CS_K_CHANGED,
	    mk("/home/a/.bashrc", CS_T_FILE, 0644),
	    mk("/home/a/.bashrc", CS_T_FILE, 0644), CS_ABIT(CS_A_DIGEST),
	    0)), CS_SEV_HIGH);
	assert_int_equal(sev(finding(CS_K_ADDED, NULL,
	    mk("/lib/modules/6.1/extra/rootkit.ko", CS_T_FILE, 0644), 0, 0)),
	    CS_SEV_HIGH);
	assert_int_equal(sev(finding(CS_K_ADDED, NULL,
	    mk("/usr/lib/.../x", CS_T_FILE, 0644), 0, 0)), CS_SEV_HIGH);
	n = mk("/srv/drop", CS_T_FILE, 0644);
	n->iflags = 0x10;
	assert_int_equal(sev(finding(CS_K_ADDED, NULL, n, 0, 0)), CS_SEV_HIGH);
}

static void
test_benign_changes_are_low_or_info(void **state)
{
	struct cs_finding	*f;

	(void)state;
	assert_int_equal(sev(finding(CS_K_CHANGED,
	    mk("/var/log/syslog", CS_T_FILE, 0640),
	    mk("/var/log/syslog", CS_T_FILE, 0640), CS_ABIT(CS_A_SIZE),
	    CS_FF_APPENDED)), CS_SEV_INFO);
	assert_int_equal(sev(finding(CS_K_ADDED, NULL,
	    mk("/tmp/new", CS_T_FILE, 0644), 0, 0)), CS_SEV_LOW);
	f = finding(CS_K_ADDED, NULL, mk("/home/a/doc.txt", CS_T_FILE, 0644),
	    0, 0);
	f->base = CS_SEV_LOW;
	assert_int_equal(sev(f), CS_SEV_LOW);
	assert_int_equal(sev(finding(CS_K_CHANGED, mk("/etc", CS_T_DIR, 0755),
	    mk("/etc", CS_T_DIR, 0755), CS_ABIT(CS_A_MTIME), 0)), CS_SEV_INFO);
}

static void
test_policy_severity_never_hides_a_back_door(void **state)
{
	struct cs_finding	*f;

	(void)state;
	f = finding(CS_K_ADDED, NULL,
	    mk("/home/a/.ssh/authorized_keys", CS_T_FILE, 0600), 0, 0);
	f->base = CS_SEV_INFO;
	cs_triage(f);
	assert_int_equal(f->severity, CS_SEV_HIGH);
	assert_string_equal(f->reasons[0], "authentication or access control");
	cs_finding_free(f);
}

static void
test_new_hard_link_to_sensitive_file(void **state)
{
	struct cs_finding	*fs[2];
	struct cs_entry		*o, *n, *l;

	(void)state;
	o = mk("/etc/shadow", CS_T_FILE, 0640);
	n = mk("/etc/shadow", CS_T_FILE, 0640);
	n->nlink = 2;
	n->ino = o->ino = 42;
	l = mk("/var/tmp/x", CS_T_FILE, 0640);
	l->nlink = 2;
	l->ino = 42;
	fs[0] = finding(CS_K_CHANGED, o, n, CS_ABIT(CS_A_NLINK), 0);
	fs[1] = finding(CS_K_ADDED, NULL, l, 0, 0);
	cs_triage_all(fs, 2);
	assert_int_equal(fs[0]->severity, CS_SEV_HIGH);
	assert_int_equal(fs[1]->severity, CS_SEV_HIGH);
	assert_string_equal(fs[1]->related, "/etc/shadow");
	cs_finding_free(fs[0]);
	cs_finding_free(fs[1]);
}

static void
test_rebuild_plan(void **state)
{
	struct cs_finding	*f;
	const char		*why;

	(void)state;
	f = finding(CS_K_CHANGED, mk("/usr/bin/ls", CS_T_FILE, 0755),
	    mk("/usr/bin/ls", CS_T_FILE, 0755), CS_ABIT(CS_A_DIGEST), 0);
	cs_triage(f);
	assert_int_equal(cs_triage_plan(f, &why), CS_PLAN_REINSTALL);
	cs_finding_free(f);
	f = finding(CS_K_CHANGED, mk("/etc/passwd", CS_T_FILE, 0644),
	    mk("/etc/passwd", CS_T_FILE, 0644), CS_ABIT(CS_A_DIGEST), 0);
	cs_triage(f);
	assert_int_equal(cs_triage_plan(f, &why), CS_PLAN_REVIEW);
	assert_string_equal(why, "configuration: review, restore from backup");
	cs_finding_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_back_doors_are_critical_or_high),
		cmocka_unit_test(test_benign_changes_are_low_or_info),
		cmocka_unit_test(test_policy_severity_never_hides_a_back_door),
		cmocka_unit_test(test_new_hard_link_to_sensitive_file),
		cmocka_unit_test(test_rebuild_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
