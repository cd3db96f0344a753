/*
 * triage.c: the rule table that ranks findings, and the rebuild plan.
 *
 * Paths are those of the records, relative to the compared root ("/etc/
 * passwd" whether the tree was walked at / or at /mnt/web01).  Globs use
 * cs_path_match: "*" crosses "/", and a glob without "/" matches the last
 * component anywhere.  The tables are ordered by severity, highest first;
 * the order of reasons in a report follows them.
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

static const char *const tr_g_sysdirs[] = {
	"/bin/*", "/sbin/*", "/usr/bin/*", "/usr/sbin/*", "/usr/local/bin/*",
	"/usr/local/sbin/*", "/lib/*", "/lib32/*", "/lib64/*", "/libx32/*",
	"/usr/lib/*", "/usr/lib32/*", "/usr/lib64/*", "/usr/libx32/*",
	"/usr/libexec/*", "/usr/local/lib/*", "/boot/*", "/usr/games/*",
	NULL
};

static const char *const tr_g_auth[] = {
	"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow",
	"/etc/sudoers", "/etc/sudoers.d", "/etc/sudoers.d/*", "/etc/doas.conf",
	"/etc/pam.conf", "/etc/pam.d", "/etc/pam.d/*", "/etc/security/*",
	"/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/*",
	"/etc/ssh/ssh_host_*", "authorized_keys", "authorized_keys2",
	".rhosts", ".shosts", "/etc/hosts.equiv", "/etc/nsswitch.conf",
	"/etc/login.defs", "/etc/securetty", "/etc/polkit-1/*",
	"/etc/krb5.keytab", "*/security/pam_*.so", NULL
};

static const char *const tr_g_persist[] = {
	"/etc/crontab", "/etc/anacrontab", "/etc/cron.*", "/var/spool/cron/*",
	"/var/spool/at/*", "/etc/systemd/*", "/lib/systemd/*",
	"/usr/lib/systemd/*", "*/.config/systemd/*", "/etc/init.d/*",
	"/etc/rc*.d/*", "/etc/rc.local", "/etc/init/*", "/etc/inittab",
	"/etc/profile", "/etc/profile.d/*", "/etc/bash.bashrc",
	"/etc/environment", "/etc/zsh/*", "/etc/update-motd.d/*",
	"/etc/xdg/autostart/*", "*/.config/autostart/*", "/etc/udev/rules.d/*",
	"/lib/udev/rules.d/*", "/etc/apt/apt.conf.d/*", "/etc/modules",
	"/etc/modules-load.d/*", "/etc/modprobe.d/*", ".bashrc",
	".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc",
	".zprofile", ".zshenv", ".zlogin", ".cshrc", ".tcshrc", ".login", NULL
};

static const char *const tr_g_loader[] = {
	"/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ld.so.conf.d/*", NULL
};

static const char *const tr_g_modules[] = {
	"/lib/modules/*", "/usr/lib/modules/*", "*.ko", "*.ko.xz", "*.ko.zst",
	"*.ko.gz", NULL
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

/* A regular file (now) in a system program or library directory. */
static int
tr_sysfile(const struct cs_finding *f)
{
	return tr_cur(f)->type == CS_T_FILE && cs_triage_sysdir(f->path);
}

static int
tr_setid_added(const struct cs_finding *f)
{
	uint32_t	 was = 0;

	if (f->new == NULL || f->new->type != CS_T_FILE)
		return 0;
	if (f->old != NULL && f->old->type == CS_T_FILE)
		was = f->old->mode;
	return ((f->new->mode & ~was) & 06000) != 0;
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
	return strcmp(f->path, "/etc/ld.so.preload") == 0;
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
	return tr_substantive(f) && tr_match(tr_g_loader, f->path);
}

static int
tr_auth(const struct cs_finding *f)
{
	return tr_substantive(f) && tr_match(tr_g_auth, f->path);
}

static int
tr_persist(const struct cs_finding *f)
{
	return tr_substantive(f) && tr_match(tr_g_persist, f->path);
}

static int
tr_module(const struct cs_finding *f)
{
	return tr_substantive(f) && tr_cur(f)->type == CS_T_FILE &&
	    tr_match(tr_g_modules, f->path);
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
	return f->kind == CS_K_ADDED && f->new->type == CS_T_FILE &&
	    (f->new->mode & 0111) != 0 && cs_triage_sysdir(f->path);
}

static int
tr_type_sys(const struct cs_finding *f)
{
	return f->kind == CS_K_TYPE && (cs_triage_sysdir(f->path) ||
	    strncmp(f->path, "/etc/", 5) == 0);
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

	return e->type == CS_T_FILE && (tr_match(tr_g_auth, f->path) ||
	    (e->mode & 06000) != 0 || cs_triage_sysdir(f->path));
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

static int
tr_append_bad(const struct cs_finding *f)
{
	return (f->attrs & CS_ABIT(CS_A_PREFIX)) != 0;
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
	    strncmp(f->path, "/etc/", 5) == 0);
}

static int
tr_retarget_sys(const struct cs_finding *f)
{
	return (f->attrs & CS_ABIT(CS_A_TARGET)) &&
	    (cs_triage_sysdir(f->path) || strncmp(f->path, "/etc/", 5) == 0);
}

static int
tr_owner_sys(const struct cs_finding *f)
{
	return (f->attrs & (CS_ABIT(CS_A_UID) | CS_ABIT(CS_A_GID))) &&
	    (cs_triage_sysdir(f->path) || tr_match(tr_g_auth, f->path));
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
	    strncmp(f->path, "/etc/", 5) == 0))
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
	return f->kind == CS_K_ADDED && cs_triage_sysdir(f->path);
}

static int
tr_sys_removed(const struct cs_finding *f)
{
	return f->kind == CS_K_REMOVED && (cs_triage_sysdir(f->path) ||
	    strncmp(f->path, "/etc/", 5) == 0);
}

static int
tr_log_removed(const struct cs_finding *f)
{
	return f->kind == CS_K_REMOVED && strncmp(f->path, "/var/log/", 9) == 0;
}

static int
tr_etc(const struct cs_finding *f)
{
	return tr_substantive(f) && tr_cur(f)->type != CS_T_DIR &&
	    strncmp(f->path, "/etc/", 5) == 0;
}

static int
tr_error(const struct cs_finding *f)
{
	return f->kind == CS_K_NOTCMP;
}

static int
tr_noprefix(const struct cs_finding *f)
{
	return (f->flags & CS_FF_NOPREFIX) != 0;
}

/* The rules, highest severity first. */
static const struct {
	int		 sev;
	const char	*reason;
	int		(*match)(const struct cs_finding *);
} tr_rules[] = {
	{ CS_SEV_CRITICAL, "setuid or setgid bit added", tr_setid_added },
	{ CS_SEV_CRITICAL, "file capability added or changed", tr_caps },
	{ CS_SEV_CRITICAL, "dynamic loader preload hook (ld.so.preload)",
	    tr_preload },
	{ CS_SEV_CRITICAL, "system program or library changed with its "
	    "mtime kept or backdated (timestomping)", tr_timestomp_sys },
	{ CS_SEV_HIGH, "content changed with its mtime kept or backdated "
	    "(timestomping)", tr_timestomp },
	{ CS_SEV_HIGH, "dynamic loader configuration", tr_loader },
	{ CS_SEV_HIGH, "authentication or access control", tr_auth },
	{ CS_SEV_HIGH, "persistence (cron, systemd, init, shell startup)",
	    tr_persist },
	{ CS_SEV_HIGH, "kernel module", tr_module },
	{ CS_SEV_HIGH, "system program or library content changed",
	    tr_sys_content },
	{ CS_SEV_HIGH, "system program or library replaced (new inode)",
	    tr_sys_replaced },
	{ CS_SEV_HIGH, "new executable in a system directory", tr_new_exec },
	{ CS_SEV_HIGH, "type changed in a system directory", tr_type_sys },
	{ CS_SEV_HIGH, "hidden or deceptive name", tr_deceptive },
	{ CS_SEV_HIGH, "immutable or append-only flag set", tr_iflags_set },
	{ CS_SEV_HIGH, "new hard link to a sensitive file", tr_hardlink },
	{ CS_SEV_HIGH, "append-only file truncated or rewritten",
	    tr_append_bad },
	{ CS_SEV_HIGH, "world-writable in a system directory", tr_ww_sys },
	{ CS_SEV_HIGH, "symbolic link retargeted in a system directory",
	    tr_retarget_sys },
	{ CS_SEV_HIGH, "owner of a system file changed", tr_owner_sys },
	{ CS_SEV_MEDIUM, "system file replaced by a copy (new inode)",
	    tr_sys_inode },
	{ CS_SEV_MEDIUM, "world-writable object added", tr_world_writable },
	{ CS_SEV_MEDIUM, "ACL or extended attribute added on a system file",
	    tr_meta_added_sys },
	{ CS_SEV_MEDIUM, "permissions of a system file changed", tr_sys_mode },
	{ CS_SEV_MEDIUM, "name with spaces", tr_spaces },
	{ CS_SEV_MEDIUM, "new object in a system directory", tr_sys_new },
	{ CS_SEV_MEDIUM, "system file removed", tr_sys_removed },
	{ CS_SEV_MEDIUM, "log file removed", tr_log_removed },
	{ CS_SEV_MEDIUM, "append-only file grew, old content not verifiable",
	    tr_noprefix },
	{ CS_SEV_MEDIUM, "system configuration changed", tr_etc },
	{ CS_SEV_MEDIUM, "could not be examined", tr_error },
};

void
cs_triage(struct cs_finding *f)
{
	size_t	 i;
	int	 sev;

	f->nreasons = 0;
	if (f->base >= 0)
		sev = f->base;
	else if (!tr_substantive(f))
		sev = CS_SEV_INFO;
	else
		sev = CS_SEV_LOW;
	if (f->floor >= 0 && f->floor_reason != NULL) {
		cs_finding_reason(f, f->floor_technique, f->floor_reason);
		if (f->floor > sev)
			sev = f->floor;
		if (f->flags & CS_FF_EXPLAINED) {	/* examined entries */
			f->severity = f->floor;
			return;
		}
	}
	for (i = 0; i < CS_NELEM(tr_rules); i++) {
		if (!tr_rules[i].match(f))
			continue;
		cs_finding_reason(f, NULL, tr_rules[i].reason);
		if (tr_rules[i].sev > sev)
			sev = tr_rules[i].sev;
	}
	if (f->nreasons == 0 && !tr_substantive(f))
		cs_finding_reason(f, NULL, f->kind == CS_K_CHANGED &&
		    f->old->type == CS_T_DIR ? "directory entries changed" :
		    "append-only file grew; old content intact");
	f->severity = sev;
}

void
cs_triage_all(struct cs_finding **fs, size_t n)
{
	size_t	 i, j;

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
	if (strncmp(p, "/etc/", 5) == 0 || strncmp(p, "/usr/local/etc/", 15) == 0)
		*why = "configuration: review, restore from backup";
	else if (strncmp(p, "/var/log/", 9) == 0)
		*why = "log: keep as evidence, review";
	else if (strncmp(p, "/home/", 6) == 0 || strncmp(p, "/root/", 6) == 0)
		*why = "user data: review, restore from backup";
	else
		*why = "data: review, restore from backup";
	return CS_PLAN_REVIEW;
}
