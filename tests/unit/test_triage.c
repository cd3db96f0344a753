/*
 * test_triage.c: the rule table, one finding per rule (severity and
 * ATT&CK technique), the ranking of back doors above benign changes, and
 * the correlation of start-up files with what they name, on real trees.
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include <sys/stat.h>

#include <unistd.h>

#include "custos/correlate.h"
#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/policy.h"
#include "custos/triage.h"
#include "custos/xmalloc.h"

#include "util.h"

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
	assert_string_equal(f->reasons[0], "SSH authorized keys");
	assert_string_equal(f->techniques[0], "T1098.004");
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

/*
 * Among many findings: each added link is matched by device and inode
 * with the sensitive file whose count went up, the first one found when
 * two share an inode; links to other inodes or devices are not.
 */
static void
test_hard_links_among_many(void **state)
{
	struct cs_finding	*fs[64];
	struct cs_entry		*o, *n;
	const char		*sens[3] = { "/etc/shadow", "/etc/sudoers",
				    "/usr/bin/passwd" };
	char			 p[32];
	size_t			 i, nf = 0;

	(void)state;
	for (i = 0; i < 3; i++) {
		o = mk(sens[i], CS_T_FILE, 0640);
		n = mk(sens[i], CS_T_FILE, 0640);
		n->nlink = 2;
		/* /etc/sudoers and /usr/bin/passwd share inode 7 */
		n->ino = o->ino = i == 0 ? 100 : 7;
		n->dev = o->dev = 1;
		fs[nf] = finding(CS_K_CHANGED, o, n, CS_ABIT(CS_A_NLINK), 0);
		fs[nf]->seq = nf;
		nf++;
	}
	for (i = 0; i < 40; i++) {
		snprintf(p, sizeof p, "/srv/l%02zu", i);
		n = mk(p, CS_T_FILE, 0644);
		n->nlink = 2;
		n->dev = i == 11 ? 2 : 1;	/* another device */
		n->ino = i == 10 || i == 11 ? 100 : i == 20 ? 7 : 1000 + i;
		fs[nf] = finding(CS_K_ADDED, NULL, n, 0, 0);
		fs[nf]->seq = nf;
		nf++;
	}
	cs_triage_all(fs, nf);
	for (i = 3; i < nf; i++) {
		if (i == 13) {
			assert_true(fs[i]->flags & CS_FF_LINKSENS);
			assert_string_equal(fs[i]->related, "/etc/shadow");
		} else if (i == 23) {
			assert_true(fs[i]->flags & CS_FF_LINKSENS);
			assert_string_equal(fs[i]->related, "/etc/sudoers");
		} else {
			assert_false(fs[i]->flags & CS_FF_LINKSENS);
			assert_null(fs[i]->related);
		}
	}
	for (i = 0; i < nf; i++)
		cs_finding_free(fs[i]);
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

/* One case of the rule table: a finding and what triage must make of it. */
struct tr_case {
	const char	*path;
	enum cs_kind	 kind;
	enum cs_type	 otype, ntype;	/* CS_T_NONE: absent */
	uint32_t	 omode, nmode;
	uint64_t	 osize, nsize;
	unsigned	 attrs, flags;
	int		 magic;		/* -1: not read, else enum cs_magic */
	const char	*copy_of;
	int		 floor;		/* -1: none */
	int		 sev;		/* expected */
	const char	*technique;	/* expected among its techniques */
	const char	*absent;	/* a technique it must not carry */
};

#define F	CS_T_FILE
#define D	CS_T_DIR
#define L	CS_T_LINK
#define N	CS_T_NONE
#define A	CS_K_ADDED
#define R	CS_K_REMOVED
#define C	CS_K_CHANGED
#define T	CS_K_TYPE
#define DG	CS_ABIT(CS_A_DIGEST)
#define SZ	CS_ABIT(CS_A_SIZE)
#define MO	CS_ABIT(CS_A_MODE)

/* One case per rule (and the near misses that must not match). */
static const struct tr_case tr_cases[] = {
	/* privilege: setuid/setgid, sudo, polkit */
	{ "/tmp/x", A, N, F, 0, 04755, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_CRITICAL, "T1548.001", NULL },
	{ "/usr/bin/at", C, F, F, 0755, 02755, 9, 9, MO, 0, -1, NULL, -1,
	    CS_SEV_CRITICAL, "T1548.001", NULL },
	{ "/etc/sudoers.d/x", A, N, F, 0, 0440, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1548.003", NULL },
	{ "/etc/polkit-1/rules.d/00-x.rules", A, N, F, 0, 0644, 0, 9, 0, 0,
	    -1, NULL, -1, CS_SEV_HIGH, "T1548", NULL },
	/* dynamic loader and login environment */
	{ "/etc/ld.so.preload", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_CRITICAL, "T1574.006", "T1105" },
	{ "/etc/ld.so.conf.d/x.conf", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL,
	    -1, CS_SEV_HIGH, "T1574.006", NULL },
	{ "/etc/environment", C, F, F, 0644, 0644, 9, 9, DG, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1574.006", NULL },
	/* authentication, accounts, login */
	{ "/etc/pam.d/sshd", C, F, F, 0644, 0644, 9, 9, DG, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1556.003", NULL },
	{ "/lib/x86_64-linux-gnu/security/pam_x.so", A, N, F, 0, 0644, 0, 9,
	    0, 0, -1, NULL, -1, CS_SEV_HIGH, "T1556.003", NULL },
	{ "/root/.ssh/authorized_keys", A, N, F, 0, 0600, 0, 9, 0, 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1098.004", NULL },
	{ "/home/a/.rhosts", A, N, F, 0, 0600, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1098", NULL },
	{ "/etc/passwd", C, F, F, 0644, 0644, 9, 9, DG, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1136.001", NULL },
	{ "/etc/ssh/sshd_config", C, F, F, 0644, 0644, 9, 9, DG, 0, -1, NULL,
	    -1, CS_SEV_HIGH, "T1556", NULL },
	{ "/etc/nsswitch.conf", C, F, F, 0644, 0644, 9, 9, DG, 0, -1, NULL,
	    -1, CS_SEV_HIGH, "T1556", NULL },
	{ "/home/bob", A, N, D, 0, 0750, 0, 9, 0, 0, -1, NULL, -1, CS_SEV_LOW,
	    "T1136.001", NULL },
	/* scheduled tasks */
	{ "/etc/systemd/system/x.timer", A, N, F, 0, 0644, 0, 9, 0, 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1053.006", NULL },
	{ "/etc/cron.d/x", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1053.003", NULL },
	{ "/var/spool/cron/crontabs/root", C, F, F, 0600, 0600, 9, 19, SZ | DG,
	    0, -1, NULL, -1, CS_SEV_HIGH, "T1053.003", NULL },
	{ "/var/spool/cron/atjobs/a0001", A, N, F, 0, 0700, 0, 9, 0, 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1053.002", "T1053.003" },
	/* system processes, init and logon scripts */
	{ "/etc/systemd/system/x.service", A, N, F, 0, 0644, 0, 9, 0, 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1543.002", NULL },
	{ "/lib/systemd/system/x.service", C, F, F, 0644, 0644, 9, 9, DG, 0,
	    -1, NULL, -1, CS_SEV_HIGH, "T1543.002", NULL },
	{ "/etc/rc.local", C, F, F, 0755, 0755, 9, 9, DG, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1037.004", NULL },
	{ "/etc/init.d/x", A, N, F, 0, 0755, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1037.004", NULL },
	{ "/etc/update-motd.d/99-x", A, N, F, 0, 0755, 0, 9, 0, 0, -1, NULL,
	    -1, CS_SEV_HIGH, "T1037", NULL },
	{ "/etc/X11/Xsession.d/99x", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL,
	    -1, CS_SEV_HIGH, "T1037", NULL },
	/* event triggered execution */
	{ "/home/a/.bashrc", C, F, F, 0644, 0644, 9, 9, DG, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1546.004", NULL },
	{ "/etc/profile.d/x.sh", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1546.004", NULL },
	{ "/etc/udev/rules.d/99-x.rules", A, N, F, 0, 0644, 0, 9, 0, 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1546.017", NULL },
	{ "/usr/lib/python3/dist-packages/x.pth", A, N, F, 0, 0644, 0, 9, 0,
	    0, -1, NULL, -1, CS_SEV_HIGH, "T1546.018", NULL },
	{ "/usr/lib/python3.11/sitecustomize.py", C, F, F, 0644, 0644, 9, 9,
	    DG, 0, -1, NULL, -1, CS_SEV_HIGH, "T1546.018", NULL },
	{ "/etc/perl/sitecustomize.pl", A, N, F, 0, 0644, 0, 9, 0, 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1546", NULL },
	{ "/etc/apt/apt.conf.d/99x", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL,
	    -1, CS_SEV_HIGH, "T1546.016", NULL },
	{ "/etc/logrotate.d/x", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1546", NULL },
	{ "/srv/repo/.git/hooks/post-merge", C, F, F, 0755, 0755, 9, 9, DG, 0,
	    -1, NULL, -1, CS_SEV_HIGH, "T1546", NULL },
	{ "/srv/repo/.git/hooks/pre-commit.sample", C, F, F, 0644, 0644, 9, 9,
	    DG, 0, -1, NULL, -1, CS_SEV_LOW, NULL, "T1546" },
	{ "/var/lib/dpkg/info/x.postinst", C, F, F, 0755, 0755, 9, 9, DG, 0,
	    -1, NULL, -1, CS_SEV_MEDIUM, "T1546.016", NULL },
	/* boot or logon autostart, rootkits */
	{ "/etc/modules-load.d/x.conf", A, N, F, 0, 0644, 0, 9, 0, 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1547.006", NULL },
	{ "/lib/modules/6.1.0/extra/x.ko", A, N, F, 0, 0644, 0, 9, 0, 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1547.006", "T1014" },
	{ "/var/tmp/x.ko", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1014", NULL },
	{ "/etc/xdg/autostart/x.desktop", A, N, F, 0, 0644, 0, 9, 0, 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1547.013", NULL },
	{ "/home/a/.config/autostart/x.desktop", A, N, F, 0, 0644, 0, 9, 0, 0,
	    -1, NULL, -1, CS_SEV_HIGH, "T1547.013", NULL },
	/* web shells */
	{ "/var/www/html/up/x.php", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL,
	    -1, CS_SEV_HIGH, "T1505.003", NULL },
	{ "/srv/www/app/x.jsp", C, F, F, 0644, 0644, 9, 19, SZ | DG, 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1505.003", NULL },
	{ "/usr/lib/cgi-bin/x", A, N, F, 0, 0755, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1505.003", NULL },
	{ "/var/www/html/index.html", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL,
	    -1, CS_SEV_LOW, NULL, "T1505.003" },
	/* private keys */
	{ "/etc/ssh/ssh_host_ed25519_key", C, F, F, 0600, 0600, 9, 9, DG, 0,
	    -1, NULL, -1, CS_SEV_HIGH, "T1552.004", NULL },
	{ "/home/a/.ssh/id_ed25519", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL,
	    -1, CS_SEV_HIGH, "T1552.004", NULL },
	{ "/srv/tls/site.key", C, F, F, 0600, 0604, 9, 9, MO, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1552.004", NULL },
	{ "/srv/tls/site.pem", C, F, F, 0600, 0640, 9, 9, MO, 0, -1, NULL, -1,
	    CS_SEV_MEDIUM, "T1552.004", NULL },
	{ "/home/a/.ssh/id_rsa", A, N, F, 0, 0600, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_MEDIUM, "T1552.004", NULL },
	{ "/srv/ca/certs/root.pem", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL,
	    -1, CS_SEV_LOW, NULL, "T1552.004" },
	/* compromised host binaries, new programs */
	{ "/usr/sbin/sshd", C, F, F, 0755, 0755, 9, 9, DG, CS_FF_TIMESTOMP,
	    -1, NULL, -1, CS_SEV_CRITICAL, "T1554", NULL },
	{ "/srv/data/x.txt", C, F, F, 0644, 0644, 9, 9, DG, CS_FF_TIMESTOMP,
	    -1, NULL, -1, CS_SEV_HIGH, "T1070.006", NULL },
	{ "/usr/bin/ls", C, F, F, 0755, 0755, 9, 9, DG, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1554", NULL },
	{ "/usr/bin/ls", C, F, F, 0755, 0755, 9, 9,
	    DG | CS_ABIT(CS_A_INO), 0, -1, NULL, -1, CS_SEV_HIGH, "T1554",
	    NULL },
	{ "/usr/bin/ls", C, F, F, 0755, 0755, 9, 9, CS_ABIT(CS_A_INO), 0, -1,
	    NULL, -1, CS_SEV_MEDIUM, "T1554", NULL },
	{ "/usr/bin/x", A, N, F, 0, 0755, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1036.005", NULL },
	{ "/usr/lib/x/data.txt", A, N, F, 0, 0644, 0, 9, 0, 0, CS_MAGIC_NONE,
	    NULL, -1, CS_SEV_MEDIUM, "T1036.005", NULL },
	{ "/opt/x/run", A, N, F, 0, 0644, 0, 9, 0, 0, CS_MAGIC_ELF, NULL, -1,
	    CS_SEV_HIGH, "T1105", NULL },
	{ "/home/a/x", A, N, F, 0, 0755, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1105", NULL },
	{ "/home/a/x.sh", A, N, F, 0, 0644, 0, 9, 0, 0, CS_MAGIC_SCRIPT, NULL,
	    -1, CS_SEV_HIGH, "T1105", NULL },
	{ "/home/a/doc.txt", A, N, F, 0, 0644, 0, 9, 0, 0, CS_MAGIC_NONE,
	    NULL, -1, CS_SEV_LOW, NULL, "T1105" },
	/* hidden files and directories */
	{ "/usr/lib/.x/libx.so", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1564.001", NULL },
	{ "/home/a/.local/bin/x", A, N, F, 0, 0755, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1105", "T1564.001" },
	{ "/home/a/.x", A, N, F, 0, 0755, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1564.001", NULL },
	{ "/usr/lib/.x", A, N, D, 0, 0755, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1564.001", NULL },
	{ "/srv/.../x", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1564.001", NULL },
	{ "/srv/a b", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_MEDIUM, "T1036.006", NULL },
	/* hijacked execution flow */
	{ "/usr/bin/x", T, F, L, 0755, 0777, 9, 9, CS_ABIT(CS_A_TYPE), 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1574", NULL },
	{ "/usr/bin/vi", C, L, L, 0777, 0777, 9, 9, CS_ABIT(CS_A_TARGET), 0,
	    -1, NULL, -1, CS_SEV_HIGH, "T1574", NULL },
	/* indicator removal */
	{ "/home/a/.bash_history", C, F, F, 0600, 0600, 500, 0, SZ | DG, 0,
	    -1, NULL, -1, CS_SEV_HIGH, "T1070.003", NULL },
	{ "/home/a/.mysql_history", C, F, F, 0600, 0600, 500, 200, SZ | DG, 0,
	    -1, NULL, -1, CS_SEV_HIGH, "T1070.003", NULL },
	{ "/home/a/.bash_history", T, F, L, 0600, 0777, 500, 9,
	    CS_ABIT(CS_A_TYPE), 0, -1, NULL, -1, CS_SEV_HIGH, "T1070.003",
	    NULL },
	{ "/home/a/.zsh_history", A, N, L, 0, 0777, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1070.003", NULL },
	{ "/root/.bash_history", R, F, N, 0600, 0, 500, 0, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1070.003", NULL },
	{ "/home/a/.viminfo", C, F, F, 0600, 0600, 500, 300, SZ | DG, 0, -1,
	    NULL, -1, CS_SEV_LOW, NULL, "T1070.003" },
	{ "/home/a/.bash_history", C, F, F, 0600, 0600, 500, 600, SZ | DG, 0,
	    -1, NULL, -1, CS_SEV_LOW, NULL, "T1070.003" },
	{ "/var/log/auth.log", C, F, F, 0640, 0640, 900, 900,
	    CS_ABIT(CS_A_PREFIX), 0, -1, NULL, -1, CS_SEV_HIGH, "T1070.002",
	    NULL },
	{ "/var/log/app.log", C, F, F, 0640, 0640, 900, 100, SZ | DG, 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1070.002", NULL },
	{ "/var/log/old.log", R, F, N, 0640, 0, 900, 0, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1070.002", NULL },
	{ "/usr/bin/auditctl", R, F, N, 0755, 0, 9, 0, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1070.004", NULL },
	{ "/etc/x.conf", R, F, N, 0644, 0, 9, 0, 0, 0, -1, NULL, -1,
	    CS_SEV_MEDIUM, "T1070.004", NULL },
	/* permissions */
	{ "/usr/bin", C, D, D, 0755, 0775, 9, 9, MO, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1222.002", NULL },
	{ "/usr/lib/x86_64-linux-gnu", C, D, D, 0755, 02755, 9, 9, MO, 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1222.002", NULL },
	{ "/usr/share/doc", C, D, D, 0755, 0775, 9, 9, MO, 0, -1, NULL, -1,
	    CS_SEV_LOW, NULL, "T1222.002" },
	{ "/usr/bin/x", C, F, F, 0755, 0757, 9, 9, MO, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1222.002", NULL },
	{ "/usr/bin/x", C, F, F, 0755, 0750, 9, 9, MO, 0, -1, NULL, -1,
	    CS_SEV_MEDIUM, "T1222.002", NULL },
	{ "/usr/bin/x", C, F, F, 0755, 0755, 9, 9, CS_ABIT(CS_A_UID), 0, -1,
	    NULL, -1, CS_SEV_HIGH, "T1222.002", NULL },
	{ "/srv/x", A, N, F, 0, 0666, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_MEDIUM, "T1222.002", NULL },
	/* package sources, generic rules */
	{ "/etc/apt/sources.list.d/x.list", A, N, F, 0, 0644, 0, 9, 0, 0, -1,
	    NULL, -1, CS_SEV_MEDIUM, "T1553", NULL },
	{ "/etc/hostname", C, F, F, 0644, 0644, 9, 9, DG, 0, -1, NULL, -1,
	    CS_SEV_MEDIUM, NULL, NULL },
	{ "/var/log/x.log", C, F, F, 0640, 0640, 9, 19, SZ | DG,
	    CS_FF_NOPREFIX, -1, NULL, -1, CS_SEV_MEDIUM, NULL, NULL },
	/* explained: copies of /etc/skel, and comparators' floors */
	{ "/home/bob/.bashrc", A, N, F, 0, 0644, 0, 9, 0, 0, -1,
	    "/etc/skel/.bashrc", -1, CS_SEV_LOW, NULL, "T1546.004" },
	{ "/root/.profile", A, N, F, 0, 0644, 0, 9, 0, 0, -1,
	    "/etc/skel/.profile", -1, CS_SEV_LOW, NULL, "T1546.004" },
	{ "/home/bob/.bashrc", A, N, F, 0, 0644, 0, 9, 0, 0, -1, NULL, -1,
	    CS_SEV_HIGH, "T1546.004", NULL },
	{ "/home/bob/.bashrc", A, N, F, 0, 0644, 0, 9, 0, 0, -1,
	    "/etc/skel/.profile", -1, CS_SEV_HIGH, "T1546.004", NULL },
	{ "/home/bob/.bashrc", A, N, F, 0, 0644, 0, 9, 0, 0, -1,
	    "/srv/.bashrc", -1, CS_SEV_HIGH, "T1546.004", NULL },
	{ "/home/bob/.bashrc", A, N, F, 0, 04755, 0, 9, 0, 0, -1,
	    "/etc/skel/.bashrc", -1, CS_SEV_CRITICAL, "T1548.001", NULL },
	{ "/etc/shadow", C, F, F, 0640, 0640, 9, 9, DG, 0, -1, NULL,
	    CS_SEV_LOW, CS_SEV_LOW, NULL, "T1136.001" },
	{ "/var/log/syslog.7.gz", R, F, N, 0640, 0, 9, 0, 0, 0, -1, NULL,
	    CS_SEV_INFO, CS_SEV_INFO, NULL, "T1070.002" },
};

#undef F
#undef D
#undef L
#undef N
#undef A
#undef R
#undef C
#undef T
#undef DG
#undef SZ
#undef MO

static struct cs_entry *
tr_case_entry(const struct tr_case *c, enum cs_type t, uint32_t mode,
    uint64_t size)
{
	struct cs_entry	*e;

	if (t == CS_T_NONE)
		return NULL;
	e = mk(c->path, t, mode);
	e->size = size;
	if (c->magic >= 0) {
		e->have |= CS_F_MAGIC;
		e->magic = (unsigned char)c->magic;
	}
	if (t == CS_T_LINK)
		cs_entry_set_target(e, "/dev/null", 9);
	return e;
}

static int
tr_has_technique(const struct cs_finding *f, const char *t)
{
	size_t	 i;

	for (i = 0; i < f->nreasons; i++) {
		if (f->techniques[i] != NULL && strcmp(f->techniques[i], t) == 0)
			return 1;
	}
	return 0;
}

static void
test_rule_table(void **state)
{
	const struct tr_case	*c;
	struct cs_finding	*f;
	size_t			 i;

	(void)state;
	for (i = 0; i < CS_NELEM(tr_cases); i++) {
		c = &tr_cases[i];
		f = finding(c->kind, tr_case_entry(c, c->otype, c->omode,
		    c->osize), tr_case_entry(c, c->ntype, c->nmode, c->nsize),
		    c->attrs, c->flags);
		if (c->copy_of != NULL)
			f->copy_of = cs_xstrdup(c->copy_of);
		if (c->floor >= 0) {
			f->floor = c->floor;
			f->floor_reason = "explained by a comparator";
		}
		cs_triage(f);
		if (f->severity != c->sev || (c->technique != NULL &&
		    !tr_has_technique(f, c->technique)) ||
		    (c->absent != NULL && tr_has_technique(f, c->absent)))
			fail_msg("case %zu %s: severity %d (want %d), "
			    "first reason \"%s\" [%s]", i, c->path, f->severity,
			    c->sev, f->nreasons > 0 ? f->reasons[0] : "",
			    f->nreasons > 0 && f->techniques[0] != NULL ?
			    f->techniques[0] : "-");
		cs_finding_free(f);
	}
}

static void
test_capability_and_flags(void **state)
{
	struct cs_finding	*f;
	struct cs_entry		*n;

	(void)state;
	n = mk("/usr/bin/python3", CS_T_FILE, 0755);
	n->caps = cs_xstrdup("cap_setuid=ep");
	f = finding(CS_K_CHANGED, mk("/usr/bin/python3", CS_T_FILE, 0755), n,
	    CS_ABIT(CS_A_CAPS), 0);
	cs_triage(f);
	assert_int_equal(f->severity, CS_SEV_CRITICAL);
	assert_string_equal(f->techniques[0], "T1548");
	cs_finding_free(f);
	n = mk("/srv/x", CS_T_FILE, 0644);
	n->iflags = 0x10;
	f = finding(CS_K_CHANGED, mk("/srv/x", CS_T_FILE, 0644), n,
	    CS_ABIT(CS_A_IFLAGS), 0);
	cs_triage(f);
	assert_int_equal(f->severity, CS_SEV_HIGH);
	assert_string_equal(f->techniques[0], "T1222.002");
	cs_finding_free(f);
	f = finding(CS_K_CHANGED, mk("/usr/bin/x", CS_T_FILE, 0755),
	    mk("/usr/bin/x", CS_T_FILE, 0755), CS_ABIT(CS_A_ACL), 0);
	f->changes = cs_xcalloc(1, sizeof *f->changes);
	f->nchanges = 1;
	f->changes[0].attr = CS_A_ACL;
	f->changes[0].new = cs_xstrdup("user:mallory:rwx");
	cs_triage(f);
	assert_int_equal(f->severity, CS_SEV_MEDIUM);
	assert_string_equal(f->techniques[0], "T1222.002");
	cs_finding_free(f);
	f = finding(CS_K_NOTCMP, NULL, mk("/srv/x", CS_T_FILE, 0644), 0, 0);
	cs_triage(f);
	assert_int_equal(f->severity, CS_SEV_MEDIUM);
	assert_string_equal(f->reasons[0], "could not be examined");
	cs_finding_free(f);
}

static void
test_skeleton_copy_is_explained(void **state)
{
	struct cs_finding	*f;

	(void)state;
	f = finding(CS_K_ADDED, NULL, mk("/home/bob/.bashrc", CS_T_FILE, 0644),
	    0, 0);
	f->base = CS_SEV_LOW;
	f->copy_of = cs_xstrdup("/etc/skel/.bashrc");
	cs_triage(f);
	assert_int_equal(f->severity, CS_SEV_LOW);
	assert_int_equal(f->nreasons, 1);
	assert_string_equal(f->reasons[0],
	    "copy of /etc/skel/.bashrc (made by useradd -m)");
	cs_finding_free(f);
	f = finding(CS_K_ADDED, NULL, mk("/home/bob/.vimrc", CS_T_FILE, 0644),
	    0, 0);
	f->copy_of = cs_xstrdup("/etc/skel/.vimrc");
	cs_triage(f);
	assert_string_equal(f->reasons[0],
	    "copy of a file in /etc/skel (made by useradd -m)");
	cs_finding_free(f);
}

/* Make DIR (relative to the test directory) and its parents. */
static void
tr_mkdirs(const char *dir)
{
	char	*p = cs_test_path(dir), *s;

	for (s = p + strlen(cs_test_tmp()) + 1; (s = strchr(s, '/')) != NULL;
	    s++) {
		*s = '\0';
		(void)mkdir(p, 0755);
		*s = '/';
	}
	(void)mkdir(p, 0755);
	free(p);
}

/* Give E the inode and mtime of its file in the test tree, as a walk. */
static void
tr_as_walked(struct cs_entry *e)
{
	struct stat	 st;
	char		*p = cs_test_path(e->path + 1);

	assert_int_equal(lstat(p, &st), 0);
	e->ino = (uint64_t)st.st_ino;
	e->mtime.sec = st.st_mtim.tv_sec;
	e->mtime.nsec = (uint32_t)st.st_mtim.tv_nsec;
	free(p);
}

/* An added file at PATH, written to the tree with CONTENT. */
static struct cs_finding *
tr_tree_file(const char *path, const char *content, uint32_t mode)
{
	struct cs_entry	*e = mk(path, CS_T_FILE, mode);

	e->size = strlen(content);
	assert_int_equal(cs_test_write(path + 1, content, e->size), 0);
	tr_as_walked(e);
	return finding(CS_K_ADDED, NULL, e, 0, 0);
}

static void
test_correlate_start_up_files(void **state)
{
	struct cs_finding	*fs[8];
	size_t			 i, n = 0;

	(void)state;
	tr_mkdirs("etc/cron.d");
	tr_mkdirs("etc/ld.so.conf.d");
	tr_mkdirs("lib");
	tr_mkdirs("usr/local/bin");
	tr_mkdirs("opt/lib/sub");
	fs[n++] = tr_tree_file("/etc/cron.d/job",
	    "* * * * * root /usr/local/bin/backdoor >/dev/null 2>&1\n", 0644);
	fs[n++] = tr_tree_file("/etc/ld.so.conf.d/x.conf", "/opt/lib\n", 0644);
	fs[n++] = tr_tree_file("/etc/ld.so.preload", "/lib/libevil.so\n",
	    0644);
	fs[n++] = tr_tree_file("/lib/libevil.so", "\177ELF", 0644);
	fs[n++] = tr_tree_file("/opt/lib/libx.so.1", "\177ELF", 0644);
	fs[n++] = tr_tree_file("/opt/lib/sub/data", "x", 0644);
	fs[n++] = tr_tree_file("/usr/local/bin/backdoor", "#!/bin/sh\n",
	    0644);
	fs[n++] = tr_tree_file("/usr/local/bin/unnamed", "x", 0644);
	fs[6]->base = fs[7]->base = CS_SEV_INFO;
	fs[5]->base = CS_SEV_INFO;
	cs_triage_all(fs, n);
	assert_int_equal(fs[6]->severity, CS_SEV_MEDIUM);
	cs_correlate(fs, n, cs_test_tmp());
	assert_int_equal(fs[2]->severity, CS_SEV_CRITICAL);
	assert_int_equal(fs[3]->severity, CS_SEV_CRITICAL);
	assert_string_equal(fs[3]->related, "/etc/ld.so.preload");
	assert_true(fs[3]->flags & CS_FF_NAMED);
	assert_true(tr_has_technique(fs[3], "T1574.006"));
	assert_int_equal(fs[4]->severity, CS_SEV_HIGH);
	assert_string_equal(fs[4]->related, "/etc/ld.so.conf.d/x.conf");
	assert_int_equal(fs[5]->severity, CS_SEV_INFO);
	assert_null(fs[5]->related);
	assert_int_equal(fs[6]->severity, CS_SEV_HIGH);
	assert_string_equal(fs[6]->related, "/etc/cron.d/job");
	assert_true(tr_has_technique(fs[6], "T1053.003"));
	assert_int_equal(fs[7]->severity, CS_SEV_MEDIUM);
	assert_null(fs[7]->related);
	for (i = 0; i < n; i++)
		cs_finding_free(fs[i]);
}

static void
test_correlate_refuses_unsafe_reads(void **state)
{
	struct cs_finding	*fs[3];
	char			*p;
	size_t			 i;

	(void)state;
	tr_mkdirs("real");
	tr_mkdirs("lib");
	assert_int_equal(cs_test_write("real/preload", "/lib/a.so\n", 10), 0);
	p = cs_test_path("etc");
	assert_int_equal(symlink("real", p), 0);	/* a link on the way */
	free(p);
	fs[0] = finding(CS_K_ADDED, NULL,
	    mk("/etc/ld.so.preload", CS_T_FILE, 0644), 0, 0);
	fs[0]->new->size = 10;
	fs[1] = tr_tree_file("/lib/a.so", "\177ELF", 0644);
	fs[1]->base = CS_SEV_LOW;
	fs[2] = tr_tree_file("/lib/b.so", "\177ELF", 0644);
	cs_triage_all(fs, 2);
	cs_correlate(fs, 2, cs_test_tmp());
	assert_null(fs[1]->related);
	/* not the size the walk recorded */
	p = cs_test_path("etc");
	assert_int_equal(unlink(p), 0);
	free(p);
	tr_mkdirs("etc");
	assert_int_equal(cs_test_write("etc/ld.so.preload", "/lib/a.so\n",
	    10), 0);
	tr_as_walked(fs[0]->new);
	fs[0]->new->size = 11;
	cs_correlate(fs, 2, cs_test_tmp());
	assert_null(fs[1]->related);
	/* not a tree: nothing to read */
	fs[0]->new->size = 10;
	cs_correlate(fs, 2, NULL);
	assert_null(fs[1]->related);
	cs_correlate(fs, 3, cs_test_tmp());
	assert_string_equal(fs[1]->related, "/etc/ld.so.preload");
	assert_null(fs[2]->related);
	for (i = 0; i < 3; i++)
		cs_finding_free(fs[i]);
}

/* ld.so.cache: explained by library changes beside it, else high. */
static void
test_loader_cache(void **state)
{
	struct cs_finding	*fs[2];
	unsigned		 content = CS_ABIT(CS_A_SIZE) | CS_ABIT(CS_A_DIGEST);

	(void)state;
	fs[0] = finding(CS_K_CHANGED, mk("/etc/ld.so.cache", CS_T_FILE, 0644),
	    mk("/etc/ld.so.cache", CS_T_FILE, 0644), content, 0);
	cs_triage_all(fs, 1);
	assert_int_equal(fs[0]->severity, CS_SEV_HIGH);
	assert_string_equal(fs[0]->techniques[0], "T1574.006");
	cs_finding_free(fs[0]);

	fs[0] = finding(CS_K_CHANGED, mk("/etc/ld.so.cache", CS_T_FILE, 0644),
	    mk("/etc/ld.so.cache", CS_T_FILE, 0644), content, 0);
	fs[1] = finding(CS_K_ADDED, NULL,
	    mk("/usr/lib/x86_64-linux-gnu/libfoo.so.6.4", CS_T_FILE, 0644),
	    0, 0);
	cs_triage_all(fs, 2);
	assert_int_equal(fs[0]->severity, CS_SEV_LOW);
	cs_finding_free(fs[0]);
	cs_finding_free(fs[1]);
}

/* A directory's entries changing is info, whatever the path's base. */
static void
test_directory_times_are_info(void **state)
{
	struct cs_finding	*f;

	(void)state;
	f = finding(CS_K_CHANGED, mk("/var/log/apt", CS_T_DIR, 0755),
	    mk("/var/log/apt", CS_T_DIR, 0755), CS_ABIT(CS_A_MTIME), 0);
	f->base = CS_SEV_LOW;
	cs_triage(f);
	assert_int_equal(f->severity, CS_SEV_INFO);
	cs_finding_free(f);
}

/* A comparator's explanation lowers a content change, never danger. */
static void
test_explained_keeps_danger(void **state)
{
	struct cs_finding	*f;
	struct cs_entry		*o, *n;

	(void)state;
	o = mk("/var/log/wtmp.1", CS_T_FILE, 0664);
	n = mk("/var/log/wtmp.1", CS_T_FILE, 04775);
	f = finding(CS_K_CHANGED, o, n, CS_ABIT(CS_A_MODE) |
	    CS_ABIT(CS_A_MTIME), CS_FF_EXPLAINED);
	f->floor = CS_SEV_INFO;
	f->floor_reason = "rotated copy moved on intact";
	cs_triage(f);
	assert_int_equal(f->severity, CS_SEV_CRITICAL);
	cs_finding_free(f);

	o = mk("/var/log/wtmp.1", CS_T_FILE, 0664);
	n = mk("/var/log/wtmp.1", CS_T_FILE, 0664);
	f = finding(CS_K_CHANGED, o, n, CS_ABIT(CS_A_MTIME), CS_FF_EXPLAINED);
	f->base = CS_SEV_LOW;
	f->floor = CS_SEV_INFO;
	f->floor_reason = "rotated copy moved on intact";
	cs_triage(f);
	assert_int_equal(f->severity, CS_SEV_INFO);
	cs_finding_free(f);
}

/* Danger in an ignored tree is not an explanation: the rules still run. */
static void
test_danger_is_not_explained(void **state)
{
	struct cs_finding	*f;

	(void)state;
	f = finding(CS_K_ADDED, NULL, mk("/run/systemd/system/x.service",
	    CS_T_FILE, 0755), 0, 0);
	f->danger_reason = "executable in a tree the policy ignores";
	f->danger_technique = "T1105";
	cs_triage(f);
	assert_int_equal(f->severity, CS_SEV_HIGH);
	assert_true(f->nreasons >= 2);	/* the unit's own rule ran too */
	cs_finding_free(f);

	f = finding(CS_K_ADDED, NULL, mk("/tmp/x.1", CS_T_FILE, 0755), 0,
	    CS_FF_EXPLAINED);
	f->floor = CS_SEV_INFO;
	f->floor_reason = "rotated copy moved on intact";
	f->danger_reason = "executable in a tree the policy ignores";
	cs_triage(f);
	assert_int_equal(f->severity, CS_SEV_HIGH);
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
		cmocka_unit_test(test_hard_links_among_many),
		cmocka_unit_test(test_rebuild_plan),
		cmocka_unit_test(test_loader_cache),
		cmocka_unit_test(test_explained_keeps_danger),
		cmocka_unit_test(test_danger_is_not_explained),
		cmocka_unit_test(test_directory_times_are_info),
		cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_capability_and_flags),
		cmocka_unit_test(test_skeleton_copy_is_explained),
		cmocka_unit_test_setup_teardown(test_correlate_start_up_files,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(
		    test_correlate_refuses_unsafe_reads,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
