/*
 * triage_rules.c: the rule table that ranks findings, and its predicates.
 *
 * The rules follow MITRE ATT&CK's techniques for Linux: each names the
 * technique it detects ("T1053.003"), which the report shows beside the
 * reason.  The places they watch are in triage_paths.c.  The table is
 * ordered by severity, highest first; the order of reasons in a report
 * follows it.  Predicates only read the finding.
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

#include "triage_int.h"

#define TR_IMMUTABLE	0x10U
#define TR_APPENDFL	0x20U
#define TR_TIMES	(CS_ABIT(CS_A_MTIME) | CS_ABIT(CS_A_CTIME) | \
			 CS_ABIT(CS_A_NLINK))
#define TR_CONTENT	(CS_ABIT(CS_A_SIZE) | CS_ABIT(CS_A_DIGEST))

/* Anything beyond a directory's times and link count, or verified log
 * growth: a change worth a path-based rule. */
int
cs_tr_substantive(const struct cs_finding *f)
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

/* Added or changed (not only its times), and a start-up file of GLOBS. */
static int
tr_startup(const struct cs_finding *f, const char *const *globs)
{
	return f->kind != CS_K_REMOVED && cs_tr_substantive(f) &&
	    cs_tr_match(globs, f->path);
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
	return tr_startup(f, cs_tr_g_loader);
}

static int
tr_env(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_env);
}

static int
tr_pam(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_pam);
}

static int
tr_sudo(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_sudo);
}

static int
tr_polkit(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_polkit);
}

static int
tr_authkeys(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_authkeys);
}

static int
tr_trust(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_trust);
}

static int
tr_accounts(const struct cs_finding *f)
{
	return cs_tr_substantive(f) && cs_tr_match(cs_tr_g_accounts, f->path);
}

static int
tr_login(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_login);
}

static int
tr_timer(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_systemd) &&
	    cs_path_match("*.timer", f->path);
}

static int
tr_cron(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_cron) && !cs_tr_match(cs_tr_g_at, f->path);
}

static int
tr_at(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_at);
}

static int
tr_systemd(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_systemd);
}

static int
tr_rc(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_rc);
}

static int
tr_logon(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_logon);
}

static int
tr_shellrc(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_shellrc);
}

static int
tr_udev(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_udev);
}

static int
tr_python(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_python);
}

static int
tr_interp(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_interp);
}

static int
tr_pkg(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_pkg);
}

static int
tr_logrotate(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_logrotate);
}

static int
tr_githook(const struct cs_finding *f)
{
	return tr_cur(f)->type == CS_T_FILE && tr_startup(f, cs_tr_g_githook) &&
	    !cs_path_match("*.sample", f->path);
}

static int
tr_modconf(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_modconf);
}

static int
tr_module(const struct cs_finding *f)
{
	return tr_cur(f)->type == CS_T_FILE && tr_startup(f, cs_tr_g_modtree);
}

static int
tr_module_out(const struct cs_finding *f)
{
	return tr_cur(f)->type == CS_T_FILE && tr_startup(f, cs_tr_g_modules) &&
	    !cs_tr_match(cs_tr_g_modtree, f->path);
}

static int
tr_xdg(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_xdg);
}

/* A script or program added or rewritten under a web server's root. */
static int
tr_webshell(const struct cs_finding *f)
{
	if (f->new == NULL || f->new->type != CS_T_FILE ||
	    !cs_tr_match(cs_tr_g_webroot, f->path))
		return 0;
	if (f->kind == CS_K_CHANGED && (f->attrs & TR_CONTENT) == 0)
		return 0;
	return cs_tr_match(cs_tr_g_webext, f->path) || tr_program(f->new);
}

static int
tr_hostkey(const struct cs_finding *f)
{
	return f->new != NULL && f->new->type == CS_T_FILE &&
	    (f->kind != CS_K_CHANGED || (f->attrs & TR_CONTENT)) &&
	    cs_tr_match(cs_tr_g_hostkeys, f->path);
}

/* A private key, by its name (content is not read). */
static int
tr_key(const struct cs_finding *f)
{
	if (f->new == NULL || f->new->type != CS_T_FILE ||
	    !cs_tr_match(cs_tr_g_keys, f->path))
		return 0;
	return !cs_path_match("*.pem", f->path) ||
	    !cs_tr_match(cs_tr_g_certs, f->path);
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

static int
tr_hidden_exec(const struct cs_finding *f)
{
	return f->kind != CS_K_REMOVED && cs_tr_substantive(f) &&
	    tr_program(f->new) && cs_tr_hidden_path(f->path);
}

static int
tr_hidden_dir_sys(const struct cs_finding *f)
{
	return f->kind == CS_K_ADDED && f->new->type == CS_T_DIR &&
	    cs_tr_base(f->path)[0] == '.' && (cs_triage_sysdir(f->path) ||
	    cs_tr_etcpath(f->path));
}

static int
tr_type_sys(const struct cs_finding *f)
{
	return f->kind == CS_K_TYPE && (cs_triage_sysdir(f->path) ||
	    cs_tr_etcpath(f->path));
}

static int
tr_deceptive(const struct cs_finding *f)
{
	return f->kind != CS_K_REMOVED &&
	    cs_tr_deceptive_name(f->path, f->pathlen);
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
int
cs_tr_sensitive(const struct cs_finding *f)
{
	const struct cs_entry	*e = tr_cur(f);

	return e->type == CS_T_FILE &&
	    (cs_tr_match(cs_tr_g_accounts, f->path) ||
	    cs_tr_match(cs_tr_g_sudo, f->path) ||
	    cs_tr_match(cs_tr_g_pam, f->path) ||
	    cs_tr_match(cs_tr_g_authkeys, f->path) ||
	    cs_tr_match(cs_tr_g_hostkeys, f->path) || (e->mode & 06000) != 0 ||
	    cs_triage_sysdir(f->path));
}

int
cs_tr_nlink_up(const struct cs_finding *f)
{
	return f->kind == CS_K_CHANGED && (f->attrs & CS_ABIT(CS_A_NLINK)) &&
	    f->new->nlink > f->old->nlink;
}

static int
tr_hardlink(const struct cs_finding *f)
{
	return (f->flags & CS_FF_LINKSENS) ||
	    (cs_tr_nlink_up(f) && cs_tr_sensitive(f));
}

/* A history file emptied, shortened, removed, or replaced by a link. */
static int
tr_history(const struct cs_finding *f)
{
	if (!cs_tr_match(cs_tr_g_history, f->path))
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
	return f->new->size == 0 || !cs_tr_match(cs_tr_g_rewritten, f->path);
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
	for (g = cs_tr_g_pathdirs; *g != NULL; g++) {
		if (strcmp(*g, f->path) == 0)
			return 1;
	}
	return cs_tr_multiarch(f->path);
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
	    cs_tr_etcpath(f->path));
}

static int
tr_retarget_sys(const struct cs_finding *f)
{
	return (f->attrs & CS_ABIT(CS_A_TARGET)) &&
	    (cs_triage_sysdir(f->path) || cs_tr_etcpath(f->path));
}

static int
tr_owner_sys(const struct cs_finding *f)
{
	return (f->attrs & (CS_ABIT(CS_A_UID) | CS_ABIT(CS_A_GID))) &&
	    (cs_triage_sysdir(f->path) || cs_tr_sensitive(f));
}

static int
tr_dpkg(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_dpkg);
}

static int
tr_aptkeys(const struct cs_finding *f)
{
	return tr_startup(f, cs_tr_g_aptkeys);
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
	    cs_tr_etcpath(f->path)))
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
	    cs_tr_etcpath(f->path));
}

static int
tr_noprefix(const struct cs_finding *f)
{
	return (f->flags & CS_FF_NOPREFIX) != 0;
}

static int
tr_etc(const struct cs_finding *f)
{
	return cs_tr_substantive(f) && tr_cur(f)->type != CS_T_DIR &&
	    cs_tr_etcpath(f->path);
}

static int
tr_error(const struct cs_finding *f)
{
	return f->kind == CS_K_NOTCMP;
}

/* A filesystem mounted over a directory hides objects of the baseline. */
static int
tr_mount_hides(const struct cs_finding *f)
{
	return (f->flags & CS_FF_HIDES) != 0;
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
const struct cs_tr_rule cs_tr_rules[] = {
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
	{ CS_SEV_MEDIUM, "T1564", "a filesystem mounted over a directory "
	    "hides objects of the baseline below it", tr_mount_hides, 0 },
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
const size_t cs_tr_nrules = CS_NELEM(cs_tr_rules);

/* A shared object (NAME.so or NAME.so.VERSION) in a library directory? */
int
cs_tr_library(const struct cs_finding *f)
{
	const char	*base = strrchr(f->path, '/');
	size_t		 len;

	if (base == NULL || tr_cur(f)->type == CS_T_DIR ||
	    !cs_tr_match(cs_tr_g_libdirs, f->path))
		return 0;
	len = strlen(base);
	return strstr(base, ".so.") != NULL ||
	    (len > 3 && strcmp(base + len - 3, ".so") == 0);
}
