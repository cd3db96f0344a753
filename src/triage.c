/*
 * triage.c: the rule table that ranks findings, and the rebuild plan.
 *
 * The rules follow MITRE ATT&CK's techniques for Linux: each names the
 * technique it detects ("T1053.003"), which the report shows beside the
 * reason.  Paths are those of the records, relative to the compared root
 * ("/etc/passwd" whether the tree was walked at / or at /mnt/web01).
 * Globs use cs_path_match: "*" crosses "/", and a glob without "/"
 * matches the last component anywhere.  The table is ordered by severity,
 * highest first; the order of reasons in a report follows it.
 *
 * Rules marked TR_DEFER judge a file by its path and content.  They give
 * way when the content is explained: a comparator of structured content
 * (account databases, login records, rotated logs) judged it and set a
 * floor, or the file is a home directory's copy of /etc/skel.  Rules on
 * an object's mode, owner, flags and links always apply.
 */
#include "custos/custos.h"

#include "custos/diff.h"
#include "custos/entry.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/triage.h"
#include "custos/xmalloc.h"

#define TR_IMMUTABLE	0x10U
#define TR_APPENDFL	0x20U
#define TR_TIMES	(CS_ABIT(CS_A_MTIME) | CS_ABIT(CS_A_CTIME) | \
			 CS_ABIT(CS_A_NLINK))
#define TR_CONTENT	(CS_ABIT(CS_A_SIZE) | CS_ABIT(CS_A_DIGEST))

/* Rule flags. */
#define TR_DEFER	0x1U	/* gives way to an explanation */
#define TR_NAMES	CS_TRIAGE_NAMES	/* names programs that run */
#define TR_DIRS		CS_TRIAGE_DIRS	/* names library directories */

static const char *const tr_g_sysdirs[] = {
	"/bin/*", "/sbin/*", "/usr/bin/*", "/usr/sbin/*", "/usr/local/bin/*",
	"/usr/local/sbin/*", "/lib/*", "/lib32/*", "/lib64/*", "/libx32/*",
	"/usr/lib/*", "/usr/lib32/*", "/usr/lib64/*", "/usr/libx32/*",
	"/usr/libexec/*", "/usr/local/lib/*", "/boot/*", "/usr/games/*",
	NULL
};

/* Directories on Debian's default PATH and the library directories. */
static const char *const tr_g_pathdirs[] = {
	"/", "/usr", "/usr/local", "/usr/local/sbin", "/usr/local/bin",
	"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/games",
	"/usr/local/games", "/lib", "/lib32", "/lib64", "/libx32", "/usr/lib",
	"/usr/lib32", "/usr/lib64", "/usr/libx32", "/usr/local/lib",
	"/usr/libexec", NULL
};

/* Library directories (ldconfig's trusted ones and the local one). */
static const char *const tr_g_libdirs[] = {
	"/lib/*", "/lib32/*", "/lib64/*", "/libx32/*", "/usr/lib/*",
	"/usr/lib32/*", "/usr/lib64/*", "/usr/libx32/*", "/usr/local/lib/*",
	NULL
};

static const char *const tr_g_loader[] = {
	"/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ld.so.conf.d/*", NULL
};

static const char *const tr_g_env[] = {
	"/etc/environment", "/etc/security/pam_env.conf", "/etc/default/locale",
	".pam_environment", "*/.ssh/environment", NULL
};

static const char *const tr_g_pam[] = {
	"/etc/pam.conf", "/etc/pam.d", "/etc/pam.d/*", "/etc/security/*",
	"*/security/pam_*.so", NULL
};

static const char *const tr_g_sudo[] = {
	"/etc/sudoers", "/etc/sudoers.d", "/etc/sudoers.d/*", "/etc/sudo.conf",
	"/etc/doas.conf", NULL
};

static const char *const tr_g_polkit[] = {
	"/etc/polkit-1/*", "/usr/share/polkit-1/rules.d/*", NULL
};

static const char *const tr_g_authkeys[] = {
	"authorized_keys", "authorized_keys2", NULL
};

static const char *const tr_g_trust[] = {
	".rhosts", ".shosts", "/etc/hosts.equiv", "/etc/ssh/shosts.equiv",
	".k5login", NULL
};

static const char *const tr_g_accounts[] = {
	"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow",
	"/etc/subuid", "/etc/subgid", NULL
};

static const char *const tr_g_login[] = {
	"/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/*",
	"/etc/nsswitch.conf", "/etc/login.defs", "/etc/securetty",
	"/etc/shells", "/etc/krb5.keytab", NULL
};

static const char *const tr_g_cron[] = {
	"/etc/crontab", "/etc/anacrontab", "/etc/cron.d/*",
	"/etc/cron.hourly/*", "/etc/cron.daily/*", "/etc/cron.weekly/*",
	"/etc/cron.monthly/*", "/etc/cron.yearly/*", "/etc/cron.allow",
	"/etc/cron.deny", "/var/spool/cron/crontabs/*", "/var/spool/cron/*",
	NULL
};

static const char *const tr_g_at[] = {
	"/var/spool/cron/atjobs/*", "/var/spool/cron/atspool/*",
	"/var/spool/at/*", "/var/spool/atjobs/*", "/etc/at.allow",
	"/etc/at.deny", NULL
};

static const char *const tr_g_systemd[] = {
	"/etc/systemd/*", "/lib/systemd/*", "/usr/lib/systemd/*",
	"/run/systemd/system/*", "*/.config/systemd/*", NULL
};

static const char *const tr_g_rc[] = {
	"/etc/init.d/*", "/etc/rc*.d/*", "/etc/rc.local", "/etc/init/*",
	"/etc/inittab", "/etc/default/*", NULL
};

static const char *const tr_g_logon[] = {
	"/etc/X11/Xsession", "/etc/X11/Xsession.d/*", "/etc/X11/xinit/*",
	"/etc/X11/Xreset.d/*", ".xinitrc", ".xsession", ".xsessionrc",
	".xprofile", "/etc/update-motd.d/*", "/etc/ssh/sshrc", "*/.ssh/rc",
	NULL
};

static const char *const tr_g_shellrc[] = {
	"/etc/profile", "/etc/profile.d/*", "/etc/bash.bashrc",
	"/etc/bash.bash_logout", "/etc/bash_completion.d/*", "/etc/zsh/*",
	"/etc/zshrc", "/etc/zprofile", "/etc/zshenv", "/etc/zlogin",
	"/etc/zlogout", "/etc/csh.cshrc", "/etc/csh.login", "/etc/csh.logout",
	"/etc/fish/*", "/etc/skel/*", ".bashrc", ".bash_profile",
	".bash_login", ".bash_logout", ".profile", ".zshrc", ".zprofile",
	".zshenv", ".zlogin", ".zlogout", ".cshrc", ".tcshrc", ".login",
	".logout", ".kshrc", ".mkshrc", "*/.config/fish/*", NULL
};

static const char *const tr_g_udev[] = {
	"/etc/udev/rules.d/*", "/lib/udev/rules.d/*",
	"/usr/lib/udev/rules.d/*", "/run/udev/rules.d/*", NULL
};

static const char *const tr_g_python[] = {
	"sitecustomize.py", "usercustomize.py", "*/site-packages/*.pth",
	"*/dist-packages/*.pth", NULL
};

static const char *const tr_g_interp[] = {
	"sitecustomize.pl", ".irbrc", "/etc/irbrc", NULL
};

static const char *const tr_g_pkg[] = {
	"/etc/apt/apt.conf", "/etc/apt/apt.conf.d/*", "/etc/dpkg/dpkg.cfg",
	"/etc/dpkg/dpkg.cfg.d/*", NULL
};

static const char *const tr_g_logrotate[] = {
	"/etc/logrotate.conf", "/etc/logrotate.d/*", NULL
};

static const char *const tr_g_githook[] = {
	"*/.git/hooks/*", NULL
};

static const char *const tr_g_modconf[] = {
	"/etc/modules", "/etc/modules-load.d/*", "/lib/modules-load.d/*",
	"/usr/lib/modules-load.d/*", "/etc/modprobe.d/*", "/lib/modprobe.d/*",
	"/usr/lib/modprobe.d/*", "/etc/modprobe.conf", NULL
};

static const char *const tr_g_modtree[] = {
	"/lib/modules/*", "/usr/lib/modules/*", NULL
};

static const char *const tr_g_modules[] = {
	"*.ko", "*.ko.xz", "*.ko.zst", "*.ko.gz", NULL
};

static const char *const tr_g_xdg[] = {
	"/etc/xdg/autostart/*", "*/.config/autostart/*", NULL
};

static const char *const tr_g_webroot[] = {
	"/var/www/*", "/srv/www/*", "/srv/http/*", "/usr/share/nginx/*",
	"*/cgi-bin/*", "*/public_html/*", NULL
};

static const char *const tr_g_webext[] = {
	"*.php", "*.php[0-9]", "*.phtml", "*.pht", "*.phar", "*.jsp",
	"*.jspx", "*.jspf", "*.asp", "*.aspx", "*.ashx", "*.asmx", "*.cfm",
	"*.cgi", "*.pl", "*.py", "*.rb", "*.sh", "*.shtml", NULL
};

static const char *const tr_g_hostkeys[] = {
	"/etc/ssh/ssh_host_*_key", NULL
};

static const char *const tr_g_keys[] = {
	"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk",
	"id_ed25519_sk", "identity", "ssh_host_*_key", "*.key", "*.pem",
	"*.p12", "*.pfx", "*.ppk", "/etc/ssl/private/*", NULL
};

/* Public certificates, although named *.pem. */
static const char *const tr_g_certs[] = {
	"*/certs/*", "*/ca-certificates/*", "*.crt", NULL
};

static const char *const tr_g_history[] = {
	".bash_history", ".zsh_history", ".history", ".sh_history",
	".mysql_history", ".python_history", ".psql_history",
	".sqlite_history", ".node_repl_history", ".rediscli_history",
	"fish_history", ".lesshst", ".viminfo", NULL
};

/* History files that are rewritten, not appended to. */
static const char *const tr_g_rewritten[] = {
	".lesshst", ".viminfo", NULL
};

static const char *const tr_g_dpkg[] = {
	"/var/lib/dpkg/info/*.preinst", "/var/lib/dpkg/info/*.postinst",
	"/var/lib/dpkg/info/*.prerm", "/var/lib/dpkg/info/*.postrm",
	"/var/lib/dpkg/info/*.config", NULL
};

static const char *const tr_g_aptkeys[] = {
	"/etc/apt/sources.list", "/etc/apt/sources.list.d/*",
	"/etc/apt/trusted.gpg", "/etc/apt/trusted.gpg.d/*",
	"/etc/apt/keyrings/*", "/usr/share/keyrings/*", NULL
};

static int
tr_match(const char *const *globs, const char *path)
{
	for (; *globs != NULL; globs++) {
		if (cs_path_match(*globs, path))
			return 1;
	}
	return 0;
}

int
cs_triage_sysdir(const char *path)
{
	return tr_match(tr_g_sysdirs, path);
}

/* Anything beyond a directory's times and link count, or verified log
 * growth: a change worth a path-based rule. */
static int
tr_substantive(const struct cs_finding *f)
{
	if (f->kind != CS_K_CHANGED)
		return 1;
	if ((f->flags & CS_FF_APPENDED) && f->attrs == CS_ABIT(CS_A_SIZE))
		return 0;
	if (f->old->type == CS_T_DIR && (f->attrs & ~TR_TIMES) == 0)
		return 0;
	return 1;
}

static const struct cs_entry *
tr_cur(const struct cs_finding *f)
{
	return f->new != NULL ? f->new : f->old;
}

static const char *
tr_base(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static int
tr_etcpath(const char *path)
{
	return strncmp(path, "/etc/", 5) == 0;
}

/* Added or changed (not only its times), and a start-up file of GLOBS. */
static int
tr_startup(const struct cs_finding *f, const char *const *globs)
{
	return f->kind != CS_K_REMOVED && tr_substantive(f) &&
	    tr_match(globs, f->path);
}

/* A regular file (now) in a system program or library directory. */
static int
tr_sysfile(const struct cs_finding *f)
{
	return tr_cur(f)->type == CS_T_FILE && cs_triage_sysdir(f->path);
}

/*
 * A program: ELF or "#!" in its first bytes, an execute bit, or a shared
 * object's name.
 */
static int
tr_program(const struct cs_entry *e)
{
	if (e == NULL || e->type != CS_T_FILE)
		return 0;
	if ((e->have & CS_F_MAGIC) && e->magic != CS_MAGIC_NONE)
		return 1;
	return (e->mode & 0111) != 0 || cs_path_match("*.so", e->path) ||
	    cs_path_match("*.so.[0-9]*", e->path);
}

/* Permission bits of F's old object, 0 if it was not there or not T. */
static uint32_t
tr_was(const struct cs_finding *f, enum cs_type t)
{
	if (f->old == NULL || f->new == NULL || f->old->type != t)
		return 0;
	return f->old->mode;
}

static int
tr_setid_added(const struct cs_finding *f)
{
	if (f->new == NULL || f->new->type != CS_T_FILE)
		return 0;
	return ((f->new->mode & ~tr_was(f, CS_T_FILE)) & 06000) != 0;
}

static int
tr_caps(const struct cs_finding *f)
{
	if (f->new == NULL || f->new->caps == NULL)
		return 0;
	return f->old == NULL || f->old->caps == NULL ||
	    strcmp(f->old->caps, f->new->caps) != 0;
}

static int
tr_preload(const struct cs_finding *f)
{
	return f->kind != CS_K_REMOVED &&
	    strcmp(f->path, "/etc/ld.so.preload") == 0;
}

static int
tr_timestomp_sys(const struct cs_finding *f)
{
	return (f->flags & CS_FF_TIMESTOMP) && tr_sysfile(f);
}

static int
tr_timestomp(const struct cs_finding *f)
{
	return (f->flags & CS_FF_TIMESTOMP) != 0;
}

static int
tr_loader(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_loader);
}

static int
tr_env(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_env);
}

static int
tr_pam(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_pam);
}

static int
tr_sudo(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_sudo);
}

static int
tr_polkit(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_polkit);
}

static int
tr_authkeys(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_authkeys);
}

static int
tr_trust(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_trust);
}

static int
tr_accounts(const struct cs_finding *f)
{
	return tr_substantive(f) && tr_match(tr_g_accounts, f->path);
}

static int
tr_login(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_login);
}

static int
tr_timer(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_systemd) && cs_path_match("*.timer", f->path);
}

static int
tr_cron(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_cron) && !tr_match(tr_g_at, f->path);
}

static int
tr_at(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_at);
}

static int
tr_systemd(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_systemd);
}

static int
tr_rc(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_rc);
}

static int
tr_logon(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_logon);
}

static int
tr_shellrc(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_shellrc);
}

static int
tr_udev(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_udev);
}

static int
tr_python(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_python);
}

static int
tr_interp(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_interp);
}

static int
tr_pkg(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_pkg);
}

static int
tr_logrotate(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_logrotate);
}

static int
tr_githook(const struct cs_finding *f)
{
	return tr_cur(f)->type == CS_T_FILE && tr_startup(f, tr_g_githook) &&
	    !cs_path_match("*.sample", f->path);
}

static int
tr_modconf(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_modconf);
}

static int
tr_module(const struct cs_finding *f)
{
	return tr_cur(f)->type == CS_T_FILE && tr_startup(f, tr_g_modtree);
}

static int
tr_module_out(const struct cs_finding *f)
{
	return tr_cur(f)->type == CS_T_FILE && tr_startup(f, tr_g_modules) &&
	    !tr_match(tr_g_modtree, f->path);
}

static int
tr_xdg(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_xdg);
}

/* A script or program added or rewritten under a web server's root. */
static int
tr_webshell(const struct cs_finding *f)
{
	if (f->new == NULL || f->new->type != CS_T_FILE ||
	    !tr_match(tr_g_webroot, f->path))
		return 0;
	if (f->kind == CS_K_CHANGED && (f->attrs & TR_CONTENT) == 0)
		return 0;
	return tr_match(tr_g_webext, f->path) || tr_program(f->new);
}

static int
tr_hostkey(const struct cs_finding *f)
{
	return f->new != NULL && f->new->type == CS_T_FILE &&
	    (f->kind != CS_K_CHANGED || (f->attrs & TR_CONTENT)) &&
	    tr_match(tr_g_hostkeys, f->path);
}

/* A private key, by its name (content is not read). */
static int
tr_key(const struct cs_finding *f)
{
	if (f->new == NULL || f->new->type != CS_T_FILE ||
	    !tr_match(tr_g_keys, f->path))
		return 0;
	return !cs_path_match("*.pem", f->path) ||
	    !tr_match(tr_g_certs, f->path);
}

/* The permission bits a private key gained (all of them if added). */
static uint32_t
tr_key_gained(const struct cs_finding *f)
{
	return tr_key(f) ? f->new->mode & ~tr_was(f, CS_T_FILE) : 0;
}

static int
tr_key_others(const struct cs_finding *f)
{
	return (tr_key_gained(f) & 0007) != 0;
}

static int
tr_key_group(const struct cs_finding *f)
{
	uint32_t	 gained = tr_key_gained(f);

	return (gained & 0070) != 0 && (gained & 0007) == 0;
}

static int
tr_key_added(const struct cs_finding *f)
{
	return f->kind == CS_K_ADDED && tr_key(f);
}

static int
tr_sys_content(const struct cs_finding *f)
{
	return f->kind == CS_K_CHANGED && (f->attrs & TR_CONTENT) &&
	    tr_sysfile(f);
}

static int
tr_sys_replaced(const struct cs_finding *f)
{
	return f->kind == CS_K_CHANGED && (f->attrs & TR_CONTENT) &&
	    (f->attrs & CS_ABIT(CS_A_INO)) && tr_sysfile(f);
}

static int
tr_new_exec(const struct cs_finding *f)
{
	return f->kind == CS_K_ADDED && tr_program(f->new) &&
	    cs_triage_sysdir(f->path);
}

static int
tr_new_exec_out(const struct cs_finding *f)
{
	return f->kind == CS_K_ADDED && tr_program(f->new) &&
	    !cs_triage_sysdir(f->path);
}

/*
 * A hidden component: the object's own name, or a directory outside the
 * home directories (where hidden directories are the norm).
 */
static int
tr_hidden_path(const char *p)
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

static int
tr_hidden_exec(const struct cs_finding *f)
{
	return f->kind != CS_K_REMOVED && tr_substantive(f) &&
	    tr_program(f->new) && tr_hidden_path(f->path);
}

static int
tr_hidden_dir_sys(const struct cs_finding *f)
{
	return f->kind == CS_K_ADDED && f->new->type == CS_T_DIR &&
	    tr_base(f->path)[0] == '.' && (cs_triage_sysdir(f->path) ||
	    tr_etcpath(f->path));
}

static int
tr_type_sys(const struct cs_finding *f)
{
	return f->kind == CS_K_TYPE && (cs_triage_sysdir(f->path) ||
	    tr_etcpath(f->path));
}

/*
 * A deceptive component: "...", a leading "..", leading or trailing
 * space, a control byte (a newline or terminal escape in a name).
 */
static int
tr_deceptive_name(const char *p, size_t n)
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

static int
tr_deceptive(const struct cs_finding *f)
{
	return f->kind != CS_K_REMOVED &&
	    tr_deceptive_name(f->path, f->pathlen);
}

static int
tr_spaces(const struct cs_finding *f)
{
	const char	*base = strrchr(f->path, '/');

	return f->kind == CS_K_ADDED && base != NULL &&
	    strchr(base, ' ') != NULL && strncmp(f->path, "/home/", 6) != 0;
}

static int
tr_iflags_set(const struct cs_finding *f)
{
	uint32_t	 was = 0;

	if (f->new == NULL || (f->new->have & CS_F_IFLAGS) == 0)
		return 0;
	if (f->old != NULL && (f->old->have & CS_F_IFLAGS))
		was = f->old->iflags;
	return ((f->new->iflags & ~was) & (TR_IMMUTABLE | TR_APPENDFL)) != 0;
}

/* Sensitive: authentication files, setuid/setgid files, system files. */
static int
tr_sensitive(const struct cs_finding *f)
{
	const struct cs_entry	*e = tr_cur(f);

	return e->type == CS_T_FILE && (tr_match(tr_g_accounts, f->path) ||
	    tr_match(tr_g_sudo, f->path) || tr_match(tr_g_pam, f->path) ||
	    tr_match(tr_g_authkeys, f->path) ||
	    tr_match(tr_g_hostkeys, f->path) || (e->mode & 06000) != 0 ||
	    cs_triage_sysdir(f->path));
}

static int
tr_nlink_up(const struct cs_finding *f)
{
	return f->kind == CS_K_CHANGED && (f->attrs & CS_ABIT(CS_A_NLINK)) &&
	    f->new->nlink > f->old->nlink;
}

static int
tr_hardlink(const struct cs_finding *f)
{
	return (f->flags & CS_FF_LINKSENS) ||
	    (tr_nlink_up(f) && tr_sensitive(f));
}

/* A history file emptied, shortened, removed, or replaced by a link. */
static int
tr_history(const struct cs_finding *f)
{
	if (!tr_match(tr_g_history, f->path))
		return 0;
	switch (f->kind) {
	case CS_K_REMOVED:
		return f->old->type == CS_T_FILE;
	case CS_K_TYPE:
		return 1;
	case CS_K_ADDED:
		return f->new->type == CS_T_LINK;
	case CS_K_CHANGED:
		break;
	default:
		return 0;
	}
	if (f->new->type == CS_T_LINK)
		return (f->attrs & CS_ABIT(CS_A_TARGET)) != 0;
	if (f->new->type != CS_T_FILE || f->new->size >= f->old->size)
		return 0;
	return f->new->size == 0 || !tr_match(tr_g_rewritten, f->path);
}

static int
tr_append_bad(const struct cs_finding *f)
{
	return (f->attrs & CS_ABIT(CS_A_PREFIX)) != 0;
}

static int
tr_log_trunc(const struct cs_finding *f)
{
	return f->kind == CS_K_CHANGED && f->old->type == CS_T_FILE &&
	    f->new->type == CS_T_FILE && f->new->size < f->old->size &&
	    !tr_append_bad(f) && strncmp(f->path, "/var/log/", 9) == 0;
}

static int
tr_log_removed(const struct cs_finding *f)
{
	return f->kind == CS_K_REMOVED && strncmp(f->path, "/var/log/", 9) == 0;
}

static int
tr_sys_prog_removed(const struct cs_finding *f)
{
	return f->kind == CS_K_REMOVED && (f->old->type == CS_T_FILE ||
	    f->old->type == CS_T_LINK) && cs_triage_sysdir(f->path);
}

/* A multiarch library directory ("/usr/lib/x86_64-linux-gnu"), or its
 * PAM module directory. */
static int
tr_multiarch(const char *p)
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

static int
tr_path_dir_perm(const struct cs_finding *f)
{
	const char	*const *g;
	uint32_t	 gained;

	if (f->new == NULL || f->new->type != CS_T_DIR)
		return 0;
	gained = f->new->mode & ~tr_was(f, CS_T_DIR) & 02022;
	if (gained == 0)
		return 0;
	for (g = tr_g_pathdirs; *g != NULL; g++) {
		if (strcmp(*g, f->path) == 0)
			return 1;
	}
	return tr_multiarch(f->path);
}

/* World-writable (o+w, not a symlink, not a sticky directory) now only. */
static int
tr_world_writable(const struct cs_finding *f)
{
	const struct cs_entry	*n = f->new;

	if (n == NULL || n->type == CS_T_LINK || (n->mode & 0002) == 0 ||
	    (n->type == CS_T_DIR && (n->mode & 01000)))
		return 0;
	return f->old == NULL || f->old->type != n->type ||
	    (f->old->mode & 0002) == 0;
}

static int
tr_ww_sys(const struct cs_finding *f)
{
	return tr_world_writable(f) && (cs_triage_sysdir(f->path) ||
	    tr_etcpath(f->path));
}

static int
tr_retarget_sys(const struct cs_finding *f)
{
	return (f->attrs & CS_ABIT(CS_A_TARGET)) &&
	    (cs_triage_sysdir(f->path) || tr_etcpath(f->path));
}

static int
tr_owner_sys(const struct cs_finding *f)
{
	return (f->attrs & (CS_ABIT(CS_A_UID) | CS_ABIT(CS_A_GID))) &&
	    (cs_triage_sysdir(f->path) || tr_sensitive(f));
}

static int
tr_dpkg(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_dpkg);
}

static int
tr_aptkeys(const struct cs_finding *f)
{
	return tr_startup(f, tr_g_aptkeys);
}

static int
tr_sys_inode(const struct cs_finding *f)
{
	return f->kind == CS_K_CHANGED && (f->attrs & CS_ABIT(CS_A_INO)) &&
	    tr_sysfile(f);
}

static int
tr_meta_added_sys(const struct cs_finding *f)
{
	size_t	 i;

	if (f->kind != CS_K_CHANGED || !(cs_triage_sysdir(f->path) ||
	    tr_etcpath(f->path)))
		return 0;
	for (i = 0; i < f->nchanges; i++) {
		switch (f->changes[i].attr) {
		case CS_A_ACL:
		case CS_A_DACL:
		case CS_A_XATTR:
			if (f->changes[i].new != NULL)
				return 1;
			break;
		default:
			break;
		}
	}
	return 0;
}

static int
tr_sys_mode(const struct cs_finding *f)
{
	return (f->attrs & CS_ABIT(CS_A_MODE)) && tr_sysfile(f);
}

static int
tr_sys_new(const struct cs_finding *f)
{
	return f->kind == CS_K_ADDED && !tr_program(f->new) &&
	    cs_triage_sysdir(f->path);
}

static int
tr_sys_removed(const struct cs_finding *f)
{
	return f->kind == CS_K_REMOVED && (cs_triage_sysdir(f->path) ||
	    tr_etcpath(f->path));
}

static int
tr_noprefix(const struct cs_finding *f)
{
	return (f->flags & CS_FF_NOPREFIX) != 0;
}

static int
tr_etc(const struct cs_finding *f)
{
	return tr_substantive(f) && tr_cur(f)->type != CS_T_DIR &&
	    tr_etcpath(f->path);
}

static int
tr_error(const struct cs_finding *f)
{
	return f->kind == CS_K_NOTCMP;
}

/* A new directory right under /home: an account was made. */
static int
tr_new_home(const struct cs_finding *f)
{
	return f->kind == CS_K_ADDED && f->new->type == CS_T_DIR &&
	    strncmp(f->path, "/home/", 6) == 0 &&
	    strchr(f->path + 6, '/') == NULL;
}

/*
 * The rules, highest severity first; each with the ATT&CK technique it
 * detects (NULL for rules that name no technique).  doc/custos-check.1
 * lists this table under TRIAGE RULES: keep them in step.
 */
static const struct tr_rule {
	int		 sev;
	const char	*technique;
	const char	*reason;
	int		(*match)(const struct cs_finding *);
	unsigned	 flags;
} tr_rules[] = {
	{ CS_SEV_CRITICAL, "T1548.001", "setuid or setgid bit added",
	    tr_setid_added, 0 },
	{ CS_SEV_CRITICAL, "T1548", "file capability added or changed",
	    tr_caps, 0 },
	{ CS_SEV_CRITICAL, "T1574.006", "dynamic loader preload list "
	    "(ld.so.preload)", tr_preload, TR_DEFER | TR_NAMES },
	{ CS_SEV_CRITICAL, "T1554", "system program or library changed with "
	    "its mtime kept or backdated (timestomping)", tr_timestomp_sys,
	    TR_DEFER },
	{ CS_SEV_HIGH, "T1070.006", "content changed with its mtime kept or "
	    "backdated (timestomping)", tr_timestomp, TR_DEFER },
	{ CS_SEV_HIGH, "T1574.006", "dynamic loader search path (ld.so.conf)",
	    tr_loader, TR_DEFER | TR_NAMES | TR_DIRS },
	{ CS_SEV_HIGH, "T1574.006", "environment set at login (LD_PRELOAD, "
	    "PATH)", tr_env, TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1556.003", "authentication stack (PAM)", tr_pam,
	    TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1548.003", "sudo or doas rules", tr_sudo,
	    TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1548", "polkit rules", tr_polkit, TR_DEFER },
	{ CS_SEV_HIGH, "T1098.004", "SSH authorized keys", tr_authkeys,
	    TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1098", "host-based trust (rhosts, hosts.equiv, "
	    "k5login)", tr_trust, TR_DEFER },
	{ CS_SEV_HIGH, "T1136.001", "account database", tr_accounts,
	    TR_DEFER },
	{ CS_SEV_HIGH, "T1556", "login, SSH server or name service "
	    "configuration", tr_login, TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1053.006", "systemd timer", tr_timer, TR_DEFER },
	{ CS_SEV_HIGH, "T1053.003", "cron job or table", tr_cron,
	    TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1053.002", "at job", tr_at, TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1543.002", "systemd unit or configuration",
	    tr_systemd, TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1037.004", "init script (rc scripts, rc.local, "
	    "/etc/default)", tr_rc, TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1037", "logon script (X session, motd, sshrc)",
	    tr_logon, TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1546.004", "shell start-up file", tr_shellrc,
	    TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1546.017", "udev rule", tr_udev,
	    TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1546.018", "Python start-up hook (sitecustomize, "
	    "usercustomize, .pth)", tr_python, TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1546", "Perl or Ruby start-up hook", tr_interp,
	    TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1546.016", "package manager hook (apt, dpkg)",
	    tr_pkg, TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1546", "logrotate configuration (runs scripts as "
	    "root)", tr_logrotate, TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1546", "git hook", tr_githook, TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1547.006", "kernel module configuration", tr_modconf,
	    TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1547.006", "kernel module", tr_module, TR_DEFER },
	{ CS_SEV_HIGH, "T1014", "kernel module outside the module tree "
	    "(rootkit)", tr_module_out, 0 },
	{ CS_SEV_HIGH, "T1547.013", "XDG autostart entry", tr_xdg,
	    TR_DEFER | TR_NAMES },
	{ CS_SEV_HIGH, "T1505.003", "script or program under a web root "
	    "(web shell)", tr_webshell, 0 },
	{ CS_SEV_HIGH, "T1552.004", "SSH host key added or replaced",
	    tr_hostkey, 0 },
	{ CS_SEV_HIGH, "T1552.004", "private key readable by others",
	    tr_key_others, 0 },
	{ CS_SEV_HIGH, "T1554", "system program or library content changed",
	    tr_sys_content, 0 },
	{ CS_SEV_HIGH, "T1554", "system program or library replaced (new "
	    "inode)", tr_sys_replaced, 0 },
	{ CS_SEV_HIGH, "T1036.005", "new executable in a system directory",
	    tr_new_exec, 0 },
	{ CS_SEV_HIGH, "T1105", "new program or script outside the program "
	    "and library directories", tr_new_exec_out, 0 },
	{ CS_SEV_HIGH, "T1564.001", "program or script under a hidden name",
	    tr_hidden_exec, 0 },
	{ CS_SEV_HIGH, "T1564.001", "hidden directory in a system directory",
	    tr_hidden_dir_sys, 0 },
	{ CS_SEV_HIGH, "T1574", "type changed in a system directory",
	    tr_type_sys, 0 },
	{ CS_SEV_HIGH, "T1564.001", "hidden or deceptive name", tr_deceptive,
	    0 },
	{ CS_SEV_HIGH, "T1222.002", "immutable or append-only flag set",
	    tr_iflags_set, 0 },
	{ CS_SEV_HIGH, "T1564", "new hard link to a sensitive file",
	    tr_hardlink, 0 },
	{ CS_SEV_HIGH, "T1070.003", "command history emptied, shortened, "
	    "removed or redirected", tr_history, 0 },
	{ CS_SEV_HIGH, "T1070.002", "append-only file truncated or rewritten",
	    tr_append_bad, TR_DEFER },
	{ CS_SEV_HIGH, "T1070.002", "log truncated", tr_log_trunc, TR_DEFER },
	{ CS_SEV_HIGH, "T1070.002", "log file removed", tr_log_removed,
	    TR_DEFER },
	{ CS_SEV_HIGH, "T1070.004", "program or library removed from a "
	    "system directory", tr_sys_prog_removed, 0 },
	{ CS_SEV_HIGH, "T1222.002", "directory on the default PATH or a "
	    "library directory made group- or world-writable or setgid",
	    tr_path_dir_perm, 0 },
	{ CS_SEV_HIGH, "T1222.002", "world-writable in a system directory",
	    tr_ww_sys, 0 },
	{ CS_SEV_HIGH, "T1574", "symbolic link retargeted in a system "
	    "directory", tr_retarget_sys, 0 },
	{ CS_SEV_HIGH, "T1222.002", "owner of a system file changed",
	    tr_owner_sys, 0 },
	{ CS_SEV_MEDIUM, "T1552.004", "private key readable by its group",
	    tr_key_group, 0 },
	{ CS_SEV_MEDIUM, "T1552.004", "private key added", tr_key_added, 0 },
	{ CS_SEV_MEDIUM, "T1546.016", "package maintainer script", tr_dpkg,
	    TR_DEFER },
	{ CS_SEV_MEDIUM, "T1553", "package source or signing key",
	    tr_aptkeys, TR_DEFER },
	{ CS_SEV_MEDIUM, "T1554", "system file replaced by a copy (new "
	    "inode)", tr_sys_inode, 0 },
	{ CS_SEV_MEDIUM, "T1222.002", "world-writable object added",
	    tr_world_writable, 0 },
	{ CS_SEV_MEDIUM, "T1222.002", "ACL or extended attribute added on a "
	    "system file", tr_meta_added_sys, 0 },
	{ CS_SEV_MEDIUM, "T1222.002", "permissions of a system file changed",
	    tr_sys_mode, 0 },
	{ CS_SEV_MEDIUM, "T1036.006", "name with spaces", tr_spaces, 0 },
	{ CS_SEV_MEDIUM, "T1036.005", "new object in a system directory",
	    tr_sys_new, 0 },
	{ CS_SEV_MEDIUM, "T1070.004", "system file removed", tr_sys_removed,
	    0 },
	{ CS_SEV_MEDIUM, NULL, "append-only file grew, old content not "
	    "verifiable", tr_noprefix, TR_DEFER },
	{ CS_SEV_MEDIUM, NULL, "system configuration changed", tr_etc,
	    TR_DEFER },
	{ CS_SEV_MEDIUM, NULL, "could not be examined", tr_error, 0 },
	{ CS_SEV_LOW, "T1136.001", "home directory created (a new account)",
	    tr_new_home, 0 },
};

/* Reasons for the skeleton files Debian's shells install. */
static const char *const tr_skel_reasons[] = {
	"copy of /etc/skel/.bashrc (made by useradd -m)",
	"copy of /etc/skel/.profile (made by useradd -m)",
	"copy of /etc/skel/.bash_logout (made by useradd -m)",
	"copy of /etc/skel/.zshrc (made by useradd -m)",
	"copy of /etc/skel/.kshrc (made by useradd -m)",
	"copy of /etc/skel/.mkshrc (made by useradd -m)",
	"copy of /etc/skel/.cshrc (made by useradd -m)",
	"copy of /etc/skel/.tcshrc (made by useradd -m)",
	"copy of /etc/skel/.login (made by useradd -m)",
	"copy of /etc/skel/.logout (made by useradd -m)",
	NULL
};

/*
 * If F is a file added in a home directory whose content is that of the
 * same name in the baseline's /etc/skel (useradd -m copies it), the
 * reason that explains it; else NULL.
 */
static const char *
tr_skel(const struct cs_finding *f)
{
	const char	*const *r, *name;
	size_t		 n;

	if (f->kind != CS_K_ADDED || f->new->type != CS_T_FILE ||
	    f->copy_of == NULL || strncmp(f->copy_of, "/etc/skel/", 10) != 0)
		return NULL;
	if (!cs_path_match("/home/*/*", f->path) &&
	    strncmp(f->path, "/root/", 6) != 0)
		return NULL;
	name = tr_base(f->copy_of);
	if (strcmp(name, tr_base(f->shown)) != 0)
		return NULL;
	n = strlen(name);
	for (r = tr_skel_reasons; *r != NULL; r++) {
		if (strncmp(*r + 18, name, n) == 0 && (*r)[18 + n] == ' ')
			return *r;
	}
	return "copy of a file in /etc/skel (made by useradd -m)";
}

void
cs_triage(struct cs_finding *f)
{
	const char	*skel;
	size_t		 i;
	int		 sev, explained;

	f->nreasons = 0;
	explained = f->floor >= 0;
	if (f->base >= 0 && tr_substantive(f))
		sev = f->base;
	else if (explained || !tr_substantive(f))
		sev = CS_SEV_INFO;	/* the comparator's floor decides */
	else
		sev = CS_SEV_LOW;
	if (explained) {
		if (f->floor_reason != NULL)
			cs_finding_reason(f, f->floor_technique,
			    f->floor_reason);
		if (f->floor > sev)
			sev = f->floor;
		/*
		 * A comparator examined every change of the content: its
		 * floor replaces the base, even below it; rules on modes,
		 * owners, capabilities, flags and links still apply.
		 */
		if (f->flags & CS_FF_EXPLAINED)
			sev = f->floor;
	}
	if ((skel = tr_skel(f)) != NULL) {
		cs_finding_reason(f, NULL, skel);
		explained = 1;
	}
	for (i = 0; i < CS_NELEM(tr_rules); i++) {
		if ((explained && (tr_rules[i].flags & TR_DEFER)) ||
		    !tr_rules[i].match(f))
			continue;
		cs_finding_reason(f, tr_rules[i].technique,
		    tr_rules[i].reason);
		if (tr_rules[i].sev > sev)
			sev = tr_rules[i].sev;
	}
	if (f->nreasons == 0 && !tr_substantive(f))
		cs_finding_reason(f, NULL, f->kind == CS_K_CHANGED &&
		    f->old->type == CS_T_DIR ? "directory entries changed" :
		    "append-only file grew; old content intact");
	f->severity = sev;
}

unsigned
cs_triage_names(const struct cs_finding *f, const char **technique)
{
	size_t	 i;

	*technique = NULL;
	if (f->new == NULL || f->new->type != CS_T_FILE || f->floor >= 0 ||
	    tr_skel(f) != NULL)
		return 0;
	for (i = 0; i < CS_NELEM(tr_rules); i++) {
		if ((tr_rules[i].flags & TR_NAMES) == 0 ||
		    tr_rules[i].sev < CS_SEV_HIGH || !tr_rules[i].match(f))
			continue;
		*technique = tr_rules[i].technique;
		return tr_rules[i].flags & (TR_NAMES | TR_DIRS);
	}
	return 0;
}

/* A shared object (NAME.so or NAME.so.VERSION) in a library directory? */
static int
tr_library(const struct cs_finding *f)
{
	const char	*base = strrchr(f->path, '/');
	size_t		 len;

	if (base == NULL || tr_cur(f)->type == CS_T_DIR ||
	    !tr_match(tr_g_libdirs, f->path))
		return 0;
	len = strlen(base);
	return strstr(base, ".so.") != NULL ||
	    (len > 3 && strcmp(base + len - 3, ".so") == 0);
}

/*
 * ldconfig rewrites /etc/ld.so.cache when libraries or the loader's
 * configuration change: with such a change in the same comparison the
 * new cache is explained (low); without one, a changed cache is a way
 * to make programs load another library (high).
 */
static void
tr_ldcache(struct cs_finding **fs, size_t n)
{
	struct cs_finding	*cache = NULL;
	size_t			 i, libs = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(fs[i]->path, "/etc/ld.so.cache") == 0)
			cache = fs[i];
		else if (tr_library(fs[i]) || tr_match(tr_g_loader,
		    fs[i]->path))
			libs++;
	}
	if (cache == NULL || cache->kind == CS_K_REMOVED ||
	    cache->kind == CS_K_NOTCMP || cache->floor >= 0 ||
	    !tr_substantive(cache))
		return;
	if (libs > 0) {
		cache->floor = CS_SEV_LOW;
		cache->floor_reason = "loader cache rewritten by ldconfig: "
		    "libraries or loader configuration changed too";
		cache->floor_technique = NULL;
	} else {
		cache->floor = CS_SEV_HIGH;
		cache->floor_reason = "loader cache changed while no library "
		    "or loader configuration did";
		cache->floor_technique = "T1574.006";
	}
}

void
cs_triage_all(struct cs_finding **fs, size_t n)
{
	size_t	 i, j;

	tr_ldcache(fs, n);

	for (i = 0; i < n; i++) {
		if (fs[i]->kind != CS_K_ADDED || fs[i]->new->type != CS_T_FILE ||
		    fs[i]->new->nlink < 2 || !(fs[i]->new->have & CS_F_INO))
			continue;
		for (j = 0; j < n; j++) {
			if (!tr_nlink_up(fs[j]) || !tr_sensitive(fs[j]) ||
			    fs[j]->new->ino != fs[i]->new->ino ||
			    fs[j]->new->dev != fs[i]->new->dev)
				continue;
			fs[i]->flags |= CS_FF_LINKSENS;
			free(fs[i]->related);
			fs[i]->related = cs_xstrdup(fs[j]->shown);
			break;
		}
	}
	for (i = 0; i < n; i++)
		cs_triage(fs[i]);
}

enum cs_plan
cs_triage_plan(const struct cs_finding *f, const char **why)
{
	const char	*p = f->path;

	*why = NULL;
	if (f->severity <= CS_SEV_INFO || f->kind == CS_K_NOTCMP)
		return CS_PLAN_NONE;
	if (cs_triage_sysdir(p) || tr_match(tr_g_modules, p) ||
	    (strncmp(p, "/usr/", 5) == 0 && strncmp(p, "/usr/local/", 11) != 0)) {
		*why = f->kind == CS_K_ADDED ? "not from vendor media: image, "
		    "then remove" : "program, library or vendor file: "
		    "reinstall from vendor media";
		return CS_PLAN_REINSTALL;
	}
	if (tr_etcpath(p) || strncmp(p, "/usr/local/etc/", 15) == 0)
		*why = "configuration: review, restore from backup";
	else if (strncmp(p, "/var/log/", 9) == 0)
		*why = "log: keep as evidence, review";
	else if (strncmp(p, "/home/", 6) == 0 || strncmp(p, "/root/", 6) == 0)
		*why = "user data: review, restore from backup";
	else
		*why = "data: review, restore from backup";
	return CS_PLAN_REVIEW;
}
