/*
 * triage_paths.c: the places on a Debian system the triage rules watch,
 * and the tests on a path alone.
 *
 * Each list names, as globs over the records' paths (relative to the
 * compared root: "/etc/passwd" whether the tree was walked at / or at
 * /mnt/web01), where a technique leaves its mark: start-up files, trust
 * stores, account databases, keys.  cs_path_match rules the globs: "*"
 * crosses "/", and a glob without "/" matches the last component
 * anywhere.  Every list is NULL-terminated.  Nothing here looks at a
 * finding; triage_rules.c does.
 */
#include "custos/custos.h"

#include <pthread.h>
#include <stdint.h>

#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/triage.h"
#include "custos/xmalloc.h"

#include "triage_int.h"

const char *const cs_tr_g_sysdirs[] = {
	"/bin/*", "/sbin/*", "/usr/bin/*", "/usr/sbin/*", "/usr/local/bin/*",
	"/usr/local/sbin/*", "/lib/*", "/lib32/*", "/lib64/*", "/libx32/*",
	"/usr/lib/*", "/usr/lib32/*", "/usr/lib64/*", "/usr/libx32/*",
	"/usr/libexec/*", "/usr/local/lib/*", "/boot/*", "/usr/games/*",
	NULL
};

/* Directories on Debian's default PATH and the library directories. */
const char *const cs_tr_g_pathdirs[] = {
	"/", "/usr", "/usr/local", "/usr/local/sbin", "/usr/local/bin",
	"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/games",
	"/usr/local/games", "/lib", "/lib32", "/lib64", "/libx32", "/usr/lib",
	"/usr/lib32", "/usr/lib64", "/usr/libx32", "/usr/local/lib",
	"/usr/libexec", NULL
};

/* Library directories (ldconfig's trusted ones and the local one). */
const char *const cs_tr_g_libdirs[] = {
	"/lib/*", "/lib32/*", "/lib64/*", "/libx32/*", "/usr/lib/*",
	"/usr/lib32/*", "/usr/lib64/*", "/usr/libx32/*", "/usr/local/lib/*",
	NULL
};

const char *const cs_tr_g_loader[] = {
	"/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ld.so.conf.d/*", NULL
};

const char *const cs_tr_g_env[] = {
	"/etc/environment", "/etc/security/pam_env.conf", "/etc/default/locale",
	".pam_environment", "*/.ssh/environment", NULL
};

const char *const cs_tr_g_pam[] = {
	"/etc/pam.conf", "/etc/pam.d", "/etc/pam.d/*", "/etc/security/*",
	"*/security/pam_*.so", NULL
};

const char *const cs_tr_g_sudo[] = {
	"/etc/sudoers", "/etc/sudoers.d", "/etc/sudoers.d/*", "/etc/sudo.conf",
	"/etc/doas.conf", NULL
};

const char *const cs_tr_g_polkit[] = {
	"/etc/polkit-1/*", "/usr/share/polkit-1/rules.d/*", NULL
};

const char *const cs_tr_g_authkeys[] = {
	"authorized_keys", "authorized_keys2", NULL
};

const char *const cs_tr_g_trust[] = {
	".rhosts", ".shosts", "/etc/hosts.equiv", "/etc/ssh/shosts.equiv",
	".k5login", NULL
};

const char *const cs_tr_g_accounts[] = {
	"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow",
	"/etc/subuid", "/etc/subgid", NULL
};

const char *const cs_tr_g_login[] = {
	"/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/*",
	"/etc/nsswitch.conf", "/etc/login.defs", "/etc/securetty",
	"/etc/shells", "/etc/krb5.keytab", NULL
};

const char *const cs_tr_g_cron[] = {
	"/etc/crontab", "/etc/anacrontab", "/etc/cron.d/*",
	"/etc/cron.hourly/*", "/etc/cron.daily/*", "/etc/cron.weekly/*",
	"/etc/cron.monthly/*", "/etc/cron.yearly/*", "/etc/cron.allow",
	"/etc/cron.deny", "/var/spool/cron/crontabs/*", "/var/spool/cron/*",
	NULL
};

const char *const cs_tr_g_at[] = {
	"/var/spool/cron/atjobs/*", "/var/spool/cron/atspool/*",
	"/var/spool/at/*", "/var/spool/atjobs/*", "/etc/at.allow",
	"/etc/at.deny", NULL
};

const char *const cs_tr_g_systemd[] = {
	"/etc/systemd/*", "/lib/systemd/*", "/usr/lib/systemd/*",
	"/run/systemd/system/*", "*/.config/systemd/*", NULL
};

const char *const cs_tr_g_rc[] = {
	"/etc/init.d/*", "/etc/rc*.d/*", "/etc/rc.local", "/etc/init/*",
	"/etc/inittab", "/etc/default/*", NULL
};

const char *const cs_tr_g_logon[] = {
	"/etc/X11/Xsession", "/etc/X11/Xsession.d/*", "/etc/X11/xinit/*",
	"/etc/X11/Xreset.d/*", ".xinitrc", ".xsession", ".xsessionrc",
	".xprofile", "/etc/update-motd.d/*", "/etc/ssh/sshrc", "*/.ssh/rc",
	NULL
};

const char *const cs_tr_g_shellrc[] = {
	"/etc/profile", "/etc/profile.d/*", "/etc/bash.bashrc",
	"/etc/bash.bash_logout", "/etc/bash_completion.d/*", "/etc/zsh/*",
	"/etc/zshrc", "/etc/zprofile", "/etc/zshenv", "/etc/zlogin",
	"/etc/zlogout", "/etc/csh.cshrc", "/etc/csh.login", "/etc/csh.logout",
	"/etc/fish/*", "/etc/skel/*", ".bashrc", ".bash_profile",
	".bash_login", ".bash_logout", ".profile", ".zshrc", ".zprofile",
	".zshenv", ".zlogin", ".zlogout", ".cshrc", ".tcshrc", ".login",
	".logout", ".kshrc", ".mkshrc", "*/.config/fish/*", NULL
};

const char *const cs_tr_g_udev[] = {
	"/etc/udev/rules.d/*", "/lib/udev/rules.d/*",
	"/usr/lib/udev/rules.d/*", "/run/udev/rules.d/*", NULL
};

const char *const cs_tr_g_python[] = {
	"sitecustomize.py", "usercustomize.py", "*/site-packages/*.pth",
	"*/dist-packages/*.pth", NULL
};

const char *const cs_tr_g_interp[] = {
	"sitecustomize.pl", ".irbrc", "/etc/irbrc", NULL
};

const char *const cs_tr_g_pkg[] = {
	"/etc/apt/apt.conf", "/etc/apt/apt.conf.d/*", "/etc/dpkg/dpkg.cfg",
	"/etc/dpkg/dpkg.cfg.d/*", NULL
};

const char *const cs_tr_g_logrotate[] = {
	"/etc/logrotate.conf", "/etc/logrotate.d/*", NULL
};

const char *const cs_tr_g_githook[] = {
	"*/.git/hooks/*", NULL
};

const char *const cs_tr_g_modconf[] = {
	"/etc/modules", "/etc/modules-load.d/*", "/lib/modules-load.d/*",
	"/usr/lib/modules-load.d/*", "/etc/modprobe.d/*", "/lib/modprobe.d/*",
	"/usr/lib/modprobe.d/*", "/etc/modprobe.conf", NULL
};

const char *const cs_tr_g_modtree[] = {
	"/lib/modules/*", "/usr/lib/modules/*", NULL
};

const char *const cs_tr_g_modules[] = {
	"*.ko", "*.ko.xz", "*.ko.zst", "*.ko.gz", NULL
};

const char *const cs_tr_g_xdg[] = {
	"/etc/xdg/autostart/*", "*/.config/autostart/*", NULL
};

const char *const cs_tr_g_webroot[] = {
	"/var/www/*", "/srv/www/*", "/srv/http/*", "/usr/share/nginx/*",
	"*/cgi-bin/*", "*/public_html/*", NULL
};

const char *const cs_tr_g_webext[] = {
	"*.php", "*.php[0-9]", "*.phtml", "*.pht", "*.phar", "*.jsp",
	"*.jspx", "*.jspf", "*.asp", "*.aspx", "*.ashx", "*.asmx", "*.cfm",
	"*.cgi", "*.pl", "*.py", "*.rb", "*.sh", "*.shtml", NULL
};

const char *const cs_tr_g_hostkeys[] = {
	"/etc/ssh/ssh_host_*_key", NULL
};

const char *const cs_tr_g_keys[] = {
	"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk",
	"id_ed25519_sk", "identity", "ssh_host_*_key", "*.key", "*.pem",
	"*.p12", "*.pfx", "*.ppk", "/etc/ssl/private/*", NULL
};

/* Public certificates, although named *.pem. */
const char *const cs_tr_g_certs[] = {
	"*/certs/*", "*/ca-certificates/*", "*.crt", NULL
};

const char *const cs_tr_g_history[] = {
	".bash_history", ".zsh_history", ".history", ".sh_history",
	".mysql_history", ".python_history", ".psql_history",
	".sqlite_history", ".node_repl_history", ".rediscli_history",
	"fish_history", ".lesshst", ".viminfo", NULL
};

/* History files that are rewritten, not appended to. */
const char *const cs_tr_g_rewritten[] = {
	".lesshst", ".viminfo", NULL
};

const char *const cs_tr_g_dpkg[] = {
	"/var/lib/dpkg/info/*.preinst", "/var/lib/dpkg/info/*.postinst",
	"/var/lib/dpkg/info/*.prerm", "/var/lib/dpkg/info/*.postrm",
	"/var/lib/dpkg/info/*.config", NULL
};

const char *const cs_tr_g_aptkeys[] = {
	"/etc/apt/sources.list", "/etc/apt/sources.list.d/*",
	"/etc/apt/trusted.gpg", "/etc/apt/trusted.gpg.d/*",
	"/etc/apt/keyrings/*", "/usr/share/keyrings/*", NULL
};

/*
 * Every list above, taken apart once (cs_globset) on first use: each
 * finding is tried against most of them.  A list missing here is still
 * matched, pattern by pattern.
 */
static const char *const *const tr_lists[] = {
	cs_tr_g_sysdirs,
	cs_tr_g_pathdirs,
	cs_tr_g_libdirs,
	cs_tr_g_loader,
	cs_tr_g_env,
	cs_tr_g_pam,
	cs_tr_g_sudo,
	cs_tr_g_polkit,
	cs_tr_g_authkeys,
	cs_tr_g_trust,
	cs_tr_g_accounts,
	cs_tr_g_login,
	cs_tr_g_cron,
	cs_tr_g_at,
	cs_tr_g_systemd,
	cs_tr_g_rc,
	cs_tr_g_logon,
	cs_tr_g_shellrc,
	cs_tr_g_udev,
	cs_tr_g_python,
	cs_tr_g_interp,
	cs_tr_g_pkg,
	cs_tr_g_logrotate,
	cs_tr_g_githook,
	cs_tr_g_modconf,
	cs_tr_g_modtree,
	cs_tr_g_modules,
	cs_tr_g_xdg,
	cs_tr_g_webroot,
	cs_tr_g_webext,
	cs_tr_g_hostkeys,
	cs_tr_g_keys,
	cs_tr_g_certs,
	cs_tr_g_history,
	cs_tr_g_rewritten,
	cs_tr_g_dpkg,
	cs_tr_g_aptkeys,
};
#define TR_SLOTS	128		/* a power of two, over twice the lists */

/* The sets by their list's address: open addressing. */
static const char *const *tr_keys[TR_SLOTS];
static struct cs_globset *tr_sets[TR_SLOTS];
static pthread_once_t tr_sets_once = PTHREAD_ONCE_INIT;

static size_t
tr_slot(const char *const *globs)
{
	size_t	 j = ((uintptr_t)globs >> 4) & (TR_SLOTS - 1);

	while (tr_keys[j] != NULL && tr_keys[j] != globs)
		j = (j + 1) & (TR_SLOTS - 1);
	return j;
}

static void
tr_sets_make(void)
{
	size_t	 i, j;

	_Static_assert(CS_NELEM(tr_lists) * 2 <= TR_SLOTS, "TR_SLOTS");
	for (i = 0; i < CS_NELEM(tr_lists); i++) {
		j = tr_slot(tr_lists[i]);
		tr_keys[j] = tr_lists[i];
		tr_sets[j] = cs_globset_new(tr_lists[i]);
	}
}

int
cs_tr_match(const char *const *globs, const char *path)
{
	size_t	 j;

	(void)pthread_once(&tr_sets_once, tr_sets_make);
	j = tr_slot(globs);
	if (tr_keys[j] == globs)
		return cs_globset_match(tr_sets[j], path);
	for (; *globs != NULL; globs++) {
		if (cs_path_match(*globs, path))
			return 1;
	}
	return 0;
}

int
cs_triage_sysdir(const char *path)
{
	return cs_tr_match(cs_tr_g_sysdirs, path);
}

const char *
cs_tr_base(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

int
cs_tr_etcpath(const char *path)
{
	return strncmp(path, "/etc/", 5) == 0;
}

/*
 * A hidden component: the object's own name, or a directory outside the
 * home directories (where hidden directories are the norm).
 */
int
cs_tr_hidden_path(const char *p)
{
	const char	*s;
	int		 home;

	home = strncmp(p, "/home/", 6) == 0 || strncmp(p, "/root/", 6) == 0;
	for (s = strchr(p, '/'); s != NULL; s = strchr(s + 1, '/')) {
		if (s[1] != '.' || s[2] == '\0' || s[2] == '/' ||
		    (s[2] == '.' && (s[3] == '\0' || s[3] == '/')))
			continue;
		if (!home || strchr(s + 1, '/') == NULL)
			return 1;
	}
	return 0;
}

/*
 * A deceptive component: "...", a leading "..", leading or trailing
 * space, a control byte (a newline or terminal escape in a name).
 */
int
cs_tr_deceptive_name(const char *p, size_t n)
{
	size_t	 i, start = 1, len;

	for (i = 1; i <= n; i++) {
		if (i < n && p[i] != '/') {
			if ((unsigned char)p[i] < 0x20 ||
			    (unsigned char)p[i] == 0x7f)
				return 1;
			continue;
		}
		len = i - start;
		if (len >= 3 && p[start] == '.' && p[start + 1] == '.')
			return 1;
		if (len > 0 && (p[start] == ' ' || p[i - 1] == ' '))
			return 1;
		if (len >= 2 && p[start] == '.' && p[start + 1] == ' ')
			return 1;
		start = i + 1;
	}
	return 0;
}

/* A multiarch library directory ("/usr/lib/x86_64-linux-gnu"), or its
 * PAM module directory. */
int
cs_tr_multiarch(const char *p)
{
	const char	*s;

	if (strncmp(p, "/lib/", 5) == 0)
		p += 5;
	else if (strncmp(p, "/usr/lib/", 9) == 0)
		p += 9;
	else
		return 0;
	if ((s = strchr(p, '/')) != NULL && strcmp(s, "/security") != 0)
		return 0;
	s = strstr(p, "-linux-");
	return s != NULL && (strchr(p, '/') == NULL || s < strchr(p, '/'));
}
