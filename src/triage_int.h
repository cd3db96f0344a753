/*
 * triage_int.h: what the triage engine (triage.c), its rule table
 * (triage_rules.c) and the places it watches (triage_paths.c) share; not
 * part of the library's interface.
 *
 * Paths are those of the records, relative to the compared root.  The
 * glob lists are NULL-terminated and matched with cs_path_match.
 */
#ifndef CUSTOS_TRIAGE_INT_H
#define CUSTOS_TRIAGE_INT_H

#include <stddef.h>

#include "custos/triage.h"

struct cs_finding;

/* Rule flags. */
#define TR_DEFER	0x1U	/* gives way to an explanation */
#define TR_NAMES	CS_TRIAGE_NAMES	/* names programs that run */
#define TR_DIRS		CS_TRIAGE_DIRS	/* names library directories */

/* One rule: a finding matching MATCH is at least SEV, for REASON. */
struct cs_tr_rule {
	int		 sev;
	const char	*technique;
	const char	*reason;
	int		(*match)(const struct cs_finding *);
	unsigned	 flags;
};

/* The rules, highest severity first (triage_rules.c). */
extern const struct cs_tr_rule cs_tr_rules[];
extern const size_t cs_tr_nrules;

/* Places on a Debian system the rules watch (triage_paths.c). */
extern const char *const cs_tr_g_sysdirs[];
extern const char *const cs_tr_g_pathdirs[];
extern const char *const cs_tr_g_libdirs[];
extern const char *const cs_tr_g_loader[];
extern const char *const cs_tr_g_env[];
extern const char *const cs_tr_g_pam[];
extern const char *const cs_tr_g_sudo[];
extern const char *const cs_tr_g_polkit[];
extern const char *const cs_tr_g_authkeys[];
extern const char *const cs_tr_g_trust[];
extern const char *const cs_tr_g_accounts[];
extern const char *const cs_tr_g_login[];
extern const char *const cs_tr_g_cron[];
extern const char *const cs_tr_g_at[];
extern const char *const cs_tr_g_systemd[];
extern const char *const cs_tr_g_rc[];
extern const char *const cs_tr_g_logon[];
extern const char *const cs_tr_g_shellrc[];
extern const char *const cs_tr_g_udev[];
extern const char *const cs_tr_g_python[];
extern const char *const cs_tr_g_interp[];
extern const char *const cs_tr_g_pkg[];
extern const char *const cs_tr_g_logrotate[];
extern const char *const cs_tr_g_githook[];
extern const char *const cs_tr_g_modconf[];
extern const char *const cs_tr_g_modtree[];
extern const char *const cs_tr_g_modules[];
extern const char *const cs_tr_g_xdg[];
extern const char *const cs_tr_g_webroot[];
extern const char *const cs_tr_g_webext[];
extern const char *const cs_tr_g_hostkeys[];
extern const char *const cs_tr_g_keys[];
extern const char *const cs_tr_g_certs[];
extern const char *const cs_tr_g_history[];
extern const char *const cs_tr_g_rewritten[];
extern const char *const cs_tr_g_dpkg[];
extern const char *const cs_tr_g_aptkeys[];

/* Nonzero if PATH matches one of GLOBS. */
int		 cs_tr_match(const char *const *, const char *);
/* The last component of PATH. */
const char	*cs_tr_base(const char *);
/* Nonzero if PATH is under /etc. */
int		 cs_tr_etcpath(const char *);
/* Nonzero if a component of PATH is hidden (see triage_paths.c). */
int		 cs_tr_hidden_path(const char *);
/* Nonzero if a component of the N bytes at PATH is deceptive. */
int		 cs_tr_deceptive_name(const char *, size_t);
/* Nonzero if PATH is a multiarch library directory or its PAM one. */
int		 cs_tr_multiarch(const char *);

/* Predicates on findings the engine also uses (triage_rules.c). */
int		 cs_tr_substantive(const struct cs_finding *);
int		 cs_tr_sensitive(const struct cs_finding *);
int		 cs_tr_nlink_up(const struct cs_finding *);
int		 cs_tr_library(const struct cs_finding *);

#endif /* CUSTOS_TRIAGE_INT_H */
