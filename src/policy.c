/*
 * policy.c: parse policy files and evaluate them for a path.
 *
 * Lines are kept in file order; evaluation applies every matching line in
 * that order, so the last word on an attribute wins.  Each line keeps the
 * literal prefix of its glob (up to the first wildcard), so most lines are
 * rejected with one memcmp before fnmatch(3) is called.
 */
#include "custos/custos.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "custos/buf.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/policy.h"
#include "custos/structured.h"
#include "custos/xmalloc.h"

#define POLICY_MAXSIZE	(1024 * 1024)

struct policy_line {
	char		*glob;
	size_t		 litlen;	/* literal prefix, 0 if no '/' */
	unsigned	 set;		/* groups turned on */
	unsigned	 clear;		/* groups turned off */
	int		 ignore;	/* -1 unchanged, 0 off, 1 on */
	int		 append_only;	/* -1 unchanged, 0 off, 1 on */
	int		 severity;	/* -1 unchanged */
	unsigned long	 lineno;	/* in the policy file */
	int		 structured;	/* -1 unchanged, else enum cs_skind */
	int		 vendor[CS_VR_COUNT];	/* -1 unchanged */
	int		 other;		/* a word other than those */
};

struct cs_policy {
	char			*name;
	struct policy_line	*lines;
	size_t			 n;
	size_t			 cap;
	int			 has_append;
	int			 has_structured;
};

/* Ordered as enum cs_sev. */
static const char *const policy_sev_names[CS_SEV_COUNT] = {
	"info", "low", "medium", "high", "critical"
};

static const struct {
	const char	*name;
	unsigned	 bits;
} policy_groups[] = {
	{ "content", CS_G_CONTENT },
	{ "perms", CS_G_PERMS },
	{ "owner", CS_G_OWNER },
	{ "times", CS_G_TIMES },
	{ "mtime", CS_G_TIMES },
	{ "ctime", CS_G_CTIME },
	{ "inode", CS_G_INODE },
	{ "acl", CS_G_ACL },
	{ "xattr", CS_G_XATTR },
	{ "flags", CS_G_FLAGS },
	{ "link", CS_G_LINK },
	{ "all", CS_G_ALL },
	{ "btime", CS_G_BTIME },
};

const char *
cs_sev_name(int s)
{
	if (s < 0 || s >= CS_SEV_COUNT)
		return "unknown";
	return policy_sev_names[s];
}

int
cs_sev_lookup(const char *s, size_t n)
{
	int	 i;

	for (i = 0; i < CS_SEV_COUNT; i++) {
		if (strlen(policy_sev_names[i]) == n &&
		    memcmp(policy_sev_names[i], s, n) == 0)
			return i;
	}
	return -1;
}

unsigned
cs_group_lookup(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < CS_NELEM(policy_groups); i++) {
		if (strlen(policy_groups[i].name) == n &&
		    memcmp(policy_groups[i].name, s, n) == 0)
			return policy_groups[i].bits;
	}
	return 0;
}

struct cs_policy *
cs_policy_new(const char *name)
{
	struct cs_policy	*p;

	p = cs_xcalloc(1, sizeof *p);
	p->name = cs_xstrdup(name != NULL ? name : "built-in");
	return p;
}

void
cs_policy_free(struct cs_policy *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		free(p->lines[i].glob);
	free(p->lines);
	free(p->name);
	free(p);
}

const char *
cs_policy_name(const struct cs_policy *p)
{
	return p->name;
}

int
cs_policy_has_append(const struct cs_policy *p)
{
	return p->has_append;
}

int
cs_policy_has_structured(const struct cs_policy *p)
{
	return p->has_structured;
}

/* Words of the verdicts against vendor packages; ordered as CS_VR_*. */
static const char *const policy_vendor_words[CS_VR_COUNT] = {
	"unowned=", "conffile=", "after-install=", "upgraded=", "changed="
};

/* A vendor verdict word ("unowned=info"): 1 if W is one, -1 if bad. */
static int
policy_vendor_word(struct policy_line *l, const char *w, size_t n)
{
	size_t	 i, k;
	int	 s;

	for (i = 0; i < CS_VR_COUNT; i++) {
		k = strlen(policy_vendor_words[i]);
		if (n <= k || memcmp(w, policy_vendor_words[i], k) != 0)
			continue;
		if ((s = cs_sev_lookup(w + k, n - k)) < 0)
			return -1;
		l->vendor[i] = s;
		return 1;
	}
	return 0;
}

/* Apply one rule word (W, N bytes) to line L; returns a reason or NULL. */
static const char *
policy_word(struct policy_line *l, const char *w, size_t n)
{
	unsigned	 g;
	int		 on = 1, s;

	if ((s = policy_vendor_word(l, w, n)) != 0)
		return s < 0 ? "unknown severity (want info, low, medium, "
		    "high or critical)" : NULL;
	l->other = 1;
	if (n > 9 && memcmp(w, "severity=", 9) == 0) {
		if ((s = cs_sev_lookup(w + 9, n - 9)) < 0)
			return "unknown severity (want info, low, medium, "
			    "high or critical)";
		l->severity = s;
		return NULL;
	}
	if (n >= 11 && memcmp(w, "structured=", 11) == 0) {
		if ((s = cs_skind_lookup(w + 11, n - 11)) < 0)
			return "unknown structured kind (want passwd, group, "
			    "shadow, gshadow, subid, utmp, lastlog, "
			    "logindefs or none)";
		l->structured = s;
		return NULL;
	}
	if (n > 0 && (w[0] == '+' || w[0] == '-')) {
		on = w[0] == '+';
		w++;
		n--;
	}
	if (n == 6 && memcmp(w, "ignore", 6) == 0) {
		l->ignore = on;
		return NULL;
	}
	if (n == 5 && memcmp(w, "check", 5) == 0 && on) {
		l->ignore = 0;
		return NULL;
	}
	if (n == 11 && memcmp(w, "append-only", 11) == 0) {
		l->append_only = on;
		return NULL;
	}
	if ((g = cs_group_lookup(w, n)) == 0)
		return "unknown rule";
	if (on) {
		l->set |= g;
		l->clear &= ~g;
	} else {
		l->clear |= g;
		l->set &= ~g;
	}
	return NULL;
}

/* Parse the rule list R (N bytes) of a line. */
static const char *
policy_rules(struct policy_line *l, const char *r, size_t n)
{
	const char	*why;
	size_t		 i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && r[i] != ',')
			continue;
		if (i == start)
			return "empty rule";
		if ((why = policy_word(l, r + start, i - start)) != NULL)
			return why;
		start = i + 1;
	}
	return NULL;
}

/* The literal prefix of an absolute glob, up to its first wildcard. */
static size_t
policy_literal(const char *g)
{
	size_t	 i;

	if (g[0] != '/')
		return 0;
	for (i = 0; g[i] != '\0'; i++) {
		if (strchr("*?[\\", g[i]) != NULL)
			break;
	}
	return i;
}

/* Parse one line (without '\n'); 0, or -1 with *WHY set. */
static int
policy_line(struct cs_policy *p, const char *s, size_t n, const char **why)
{
	struct policy_line	 l;
	size_t			 i = 0, k, gs, ge, rs, re;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || s[i] == '#')
		return 0;
	gs = i;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	ge = i;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	rs = i;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	re = i;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (rs == re) {
		*why = "expected GLOB RULE[,RULE...]";
		return -1;
	}
	if (i < n && s[i] != '#') {
		*why = "trailing text after the rules";
		return -1;
	}
	if (memchr(s + gs, '\0', ge - gs) != NULL) {
		*why = "NUL byte in glob";
		return -1;
	}
	memset(&l, 0, sizeof l);
	l.ignore = l.append_only = l.severity = l.structured = -1;
	for (k = 0; k < CS_VR_COUNT; k++)
		l.vendor[k] = -1;
	if ((*why = policy_rules(&l, s + rs, re - rs)) != NULL)
		return -1;
	l.glob = cs_xmemdup(s + gs, ge - gs + 1);
	l.glob[ge - gs] = '\0';
	l.litlen = policy_literal(l.glob);
	if (l.append_only == 1)
		p->has_append = 1;
	if (l.structured > 0)
		p->has_structured = 1;
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->lines = cs_xreallocarray(p->lines, p->cap, sizeof l);
	}
	p->lines[p->n++] = l;
	return 0;
}

int
cs_policy_parse(struct cs_policy *p, const char *text, size_t len,
    struct cs_err *err)
{
	const char	*why, *nl;
	char		*shown;
	size_t		 off = 0, n, before;
	unsigned long	 lineno = 0;

	while (off < len) {
		lineno++;
		nl = memchr(text + off, '\n', len - off);
		n = nl != NULL ? (size_t)(nl - (text + off)) : len - off;
		before = p->n;
		if (policy_line(p, text + off, n, &why) != 0) {
			shown = cs_encode_dup(p->name);
			cs_err_set(err, CS_EXIT_DATAERR, 0, "%s:%lu: %s",
			    shown, lineno, why);
			free(shown);
			return -1;
		}
		if (p->n > before)
			p->lines[p->n - 1].lineno = lineno;
		off += n + 1;
	}
	return 0;
}

struct cs_policy *
cs_policy_load(const char *path, struct cs_err *err)
{
	struct cs_policy	*p;
	struct cs_buf		 b;

	cs_buf_init(&b);
	p = cs_policy_new(path);
	if (cs_buf_read_file(&b, path, POLICY_MAXSIZE, "policy", err) != 0 ||
	    cs_policy_parse(p, b.data != NULL ? b.data : "", b.len, err) != 0) {
		cs_policy_free(p);
		p = NULL;
	}
	cs_buf_release(&b);
	return p;
}

/*
 * The configuration directory: $CUSTOS_SYSCONFDIR when set and not empty
 * (the test harness points it at an empty directory, so that an installed
 * policy never leaks into a test), else the configured $(sysconfdir).
 */
static const char *
policy_sysconfdir(void)
{
	const char	*dir;

	dir = getenv("CUSTOS_SYSCONFDIR");
	if (dir == NULL || *dir == '\0')
		dir = CS_SYSCONFDIR;
	return dir;
}

struct cs_policy *
cs_policy_default(struct cs_err *err)
{
	struct cs_policy	*p;
	char			*path;

	path = cs_xasprintf("%s/custos/default.policy", policy_sysconfdir());
	if (access(path, F_OK) == 0)
		p = cs_policy_load(path, err);
	else
		p = cs_policy_new(NULL);
	free(path);
	return p;
}

/*
 * Could line L match PATH?  Not if PATH does not begin with its literal
 * prefix: the byte after the "/" is compared first, for every path is
 * tried against every line.
 */
static int
policy_may_match(const struct policy_line *l, const char *path)
{
	if (l->litlen == 0)
		return 1;
	if (l->litlen >= 2 && path[0] != '\0' && path[1] != l->glob[1])
		return 0;
	return strncmp(path, l->glob, l->litlen) == 0;
}

int
cs_policy_structured(const struct cs_policy *p, const char *path)
{
	const struct policy_line	*l;
	size_t				 i;
	int				 k = 0;

	for (i = 0; p->has_structured && i < p->n; i++) {
		l = &p->lines[i];
		if (l->structured < 0 || !policy_may_match(l, path))
			continue;
		if (cs_path_match(l->glob, path))
			k = l->structured;
	}
	return k;
}

void
cs_policy_eval(const struct cs_policy *p, const char *path,
    struct cs_rule *r)
{
	cs_policy_eval_hits(p, path, r, NULL);
}

void
cs_policy_eval_hits(const struct cs_policy *p, const char *path,
    struct cs_rule *r, uint64_t *hits)
{
	const struct policy_line	*l;
	size_t				 i, j;

	r->groups = CS_G_DEFAULT;
	r->ignore = 0;
	r->append_only = 0;
	r->severity = -1;
	r->structured = 0;
	for (i = 0; i < CS_VR_COUNT; i++)
		r->vendor[i] = -1;
	for (i = 0; i < p->n; i++) {
		l = &p->lines[i];
		if (!policy_may_match(l, path))
			continue;
		if (!cs_path_match(l->glob, path))
			continue;
		if (hits != NULL)
			hits[i]++;
		r->groups = (r->groups | l->set) & ~l->clear;
		if (l->ignore >= 0)
			r->ignore = l->ignore;
		if (l->append_only >= 0)
			r->append_only = l->append_only;
		if (l->severity >= 0)
			r->severity = l->severity;
		if (l->structured >= 0)
			r->structured = l->structured;
		for (j = 0; j < CS_VR_COUNT; j++) {
			if (l->vendor[j] >= 0)
				r->vendor[j] = l->vendor[j];
		}
	}
}

size_t
cs_policy_count(const struct cs_policy *p)
{
	return p->n;
}

char *
cs_policy_unmatched(const struct cs_policy *p, const uint64_t *hits)
{
	struct cs_buf	 b;
	char		*name, *glob;
	size_t		 i;

	cs_buf_init(&b);
	name = cs_encode_dup(p->name);
	for (i = 0; i < p->n; i++) {
		/* lines on files no package ships: in no baseline */
		if (hits[i] != 0 || !p->lines[i].other)
			continue;
		glob = cs_encode_dup(p->lines[i].glob);
		cs_buf_printf(&b, "%s%s:%lu '%s'", b.len > 0 ? ", " : "",
		    name, p->lines[i].lineno, glob);
		free(glob);
	}
	free(name);
	if (b.len == 0)
		return NULL;
	return cs_buf_detach(&b, NULL);
}
