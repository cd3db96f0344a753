/*
 * vendor_map.c: how the examined root installs what packages ship
 * (vendor.h): its top-level links, dpkg diversions and statoverrides,
 * the alternatives links and the installed versions in dpkg's status.
 *
 * Everything here is read from the examined root and is hostile: each
 * file is opened below the root one component at a time, no link
 * followed, must be a regular file and is read up to VMAP_MAX bytes;
 * a line that does not parse is skipped and counted.  A top-level link
 * is followed only to a clean path in the root (no "." or "..", not
 * through another top-level link).  The tables are sorted once and
 * searched; each entry counts its uses, which the report names.
 */
#include "custos/custos.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/atomic.h"
#include "custos/deb.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/vendor.h"
#include "custos/walk.h"
#include "custos/xmalloc.h"

#include "vendor_int.h"

#define VMAP_MAX	(64U * 1024 * 1024)	/* bytes read of a file */
#define VMAP_LINKMAX	4096			/* longest link read */

/* A top-level link followed: "/bin" -> "/usr/bin" ("usr/bin" read). */
struct vmap_link {
	char		*from;
	size_t		 fromlen;
	char		*to;
	size_t		 tolen;
	char		*raw;		/* the target as read */
	size_t		 rawlen;
	uint64_t	 uses;
};

/* A diversion: packages other than PKG install FROM at TO. */
struct vmap_divert {
	char		*from;
	char		*to;
	char		*pkg;		/* NULL: a local diversion (':') */
	uint64_t	 uses;
};

struct vmap_pkg {
	char		*name;
	char		*version;
	char		*arch;		/* or NULL */
	int		 unavailable;
};

struct vmap_alt {
	char		*name;
	uint64_t	 uses;
};

struct cs_vmap {
	int			 rootfd;
	struct vmap_link	*links;
	size_t			 nlinks;
	struct vmap_divert	*diverts;
	size_t			 ndiverts;
	struct cs_vmap_override	*overrides;
	size_t			 noverrides;
	struct vmap_pkg		*pkgs;
	size_t			 npkgs;
	struct vmap_alt		*alts;
	size_t			 nalts;
	char			**listed;	/* files of unavailable */
	size_t			 nlisted;	/* versions, sorted */
	size_t			 caplisted;
	uint64_t		 skipped;	/* lines that did not parse */
	struct cs_vscripts	*scripts;	/* signed maintainer scripts */
};

/* Names of the top-level links Debian's merged-/usr makes. */
static const char *const vmap_usrmerge[] = {
	"bin", "sbin", "lib", "lib32", "lib64", "libx32", NULL
};

/* The directory DIR (components separated by '/') below FD, or -1. */
static int
vmap_opendir(int fd, const char *dir)
{
	char	*copy, *comp, *next;
	int	 dfd, nfd;

	if ((dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -1;
	copy = cs_xstrdup(dir);
	for (comp = copy; dfd >= 0 && comp != NULL; comp = next) {
		if ((next = strchr(comp, '/')) != NULL)
			*next++ = '\0';
		nfd = openat(dfd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		close(dfd);
		dfd = nfd;
	}
	free(copy);
	return dfd;
}

/* Read the regular file DIR/NAME below the root (NUL-terminated). */
char *
cs_vmap_slurp(const struct cs_vmap *m, const char *dir, const char *name,
    size_t *lenp)
{
	struct stat	 st;
	char		*buf = NULL;
	int		 dfd, fd = -1;

	*lenp = 0;
	if (m->rootfd < 0 || (dfd = vmap_opendir(m->rootfd, dir)) < 0)
		return NULL;
	fd = cs_walk_openat(dfd, name, O_NOFOLLOW);
	close(dfd);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto out;
	buf = cs_read_bounded(fd, VMAP_MAX, st.st_size > 0 &&
	    (uint64_t)st.st_size < VMAP_MAX ? (size_t)st.st_size : 0, lenp);
out:
	close(fd);
	return buf;
}

/* Split BUF in place into lines; the next line, or NULL at the end. */
static char *
vmap_line(char **pos, char *end)
{
	char	*l = *pos, *nl;

	if (l >= end)
		return NULL;
	if ((nl = memchr(l, '\n', (size_t)(end - l))) == NULL)
		nl = end;
	*nl = '\0';
	*pos = nl + 1;
	return l;
}

/* A canonical absolute path: '/' then clean components, no NUL. */
static int
vmap_path_ok(const char *p)
{
	return p[0] == '/' && cs_path_valid(p, strlen(p));
}

static int
vmap_link_cmp(const void *a, const void *b)
{
	const struct vmap_link	*x = a, *y = b;

	return strcmp(x->from, y->from);
}

/* Is the clean target T (no leading '/') below another top-level link? */
static int
vmap_through_link(int rootfd, const char *t)
{
	struct stat	 st;
	char		*first;
	size_t		 n = strcspn(t, "/");
	int		 rc;

	first = cs_xmemdup(t, n + 1);
	first[n] = '\0';
	rc = fstatat(rootfd, first, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISDIR(st.st_mode);
	free(first);
	return rc;
}

/* Follow the top-level link NAME if it leads to a clean path. */
static void
vmap_toplink(struct cs_vmap *m, const char *name)
{
	struct vmap_link	*l;
	char			*raw, *to;
	ssize_t			 n;

	raw = cs_xmalloc(VMAP_LINKMAX + 1);
	n = readlinkat(m->rootfd, name, raw, VMAP_LINKMAX);
	if (n <= 0 || n >= VMAP_LINKMAX) {
		free(raw);
		return;
	}
	raw[n] = '\0';
	to = cs_xasprintf("/%s", raw[0] == '/' ? raw + 1 : raw);
	if (!vmap_path_ok(to) || strlen(to) < 2 ||
	    vmap_through_link(m->rootfd, to + 1)) {
		m->skipped++;
		free(raw);
		free(to);
		return;
	}
	m->links = cs_xreallocarray(m->links, m->nlinks + 1, sizeof *m->links);
	l = &m->links[m->nlinks++];
	l->from = cs_xasprintf("/%s", name);
	l->fromlen = strlen(l->from);
	l->to = to;
	l->tolen = strlen(to);
	l->raw = raw;
	l->rawlen = (size_t)n;
	l->uses = 0;
}

/* The root's top-level links (those merged-/usr makes, and any other). */
static void
vmap_toplinks(struct cs_vmap *m)
{
	struct stat	 st;
	DIR		*d;
	struct dirent	*de;
	int		 fd;

	if ((fd = openat(m->rootfd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    fstatat(m->rootfd, de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) != 0 || !S_ISLNK(st.st_mode))
			continue;
		vmap_toplink(m, de->d_name);
	}
	closedir(d);
	if (m->nlinks > 1)
		qsort(m->links, m->nlinks, sizeof *m->links, vmap_link_cmp);
}

static int
vmap_divert_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vmap_divert *)a)->from,
	    ((const struct vmap_divert *)b)->from);
}

/* var/lib/dpkg/diversions: triplets of lines (path, to, package). */
static void
vmap_diversions(struct cs_vmap *m)
{
	struct vmap_divert	*d;
	char			*buf, *pos, *end, *from, *to, *pkg;
	size_t			 len;

	if ((buf = cs_vmap_slurp(m, "var/lib/dpkg", "diversions", &len)) == NULL)
		return;
	pos = buf;
	end = buf + len;
	while ((from = vmap_line(&pos, end)) != NULL &&
	    (to = vmap_line(&pos, end)) != NULL &&
	    (pkg = vmap_line(&pos, end)) != NULL) {
		if (!vmap_path_ok(from) || !vmap_path_ok(to) ||
		    pkg[0] == '\0') {
			m->skipped++;
			continue;
		}
		m->diverts = cs_xreallocarray(m->diverts, m->ndiverts + 1,
		    sizeof *m->diverts);
		d = &m->diverts[m->ndiverts++];
		d->from = cs_xstrdup(from);
		d->to = cs_xstrdup(to);
		d->pkg = strcmp(pkg, ":") == 0 ? NULL : cs_xstrdup(pkg);
		d->uses = 0;
	}
	free(buf);
	if (m->ndiverts > 1)
		qsort(m->diverts, m->ndiverts, sizeof *m->diverts,
		    vmap_divert_cmp);
}

static int
vmap_override_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cs_vmap_override *)a)->path,
	    ((const struct cs_vmap_override *)b)->path);
}

/* One "owner group mode path" line of var/lib/dpkg/statoverride. */
static int
vmap_override_line(struct cs_vmap *m, char *l)
{
	struct cs_vmap_override	*o;
	char			*f[4], *end;
	unsigned long		 mode;
	size_t			 i;

	for (i = 0; i < 4; i++) {
		f[i] = l;
		if (i < 3) {
			if ((l = strchr(l, ' ')) == NULL)
				return -1;
			*l++ = '\0';
		}
	}
	errno = 0;
	mode = strtoul(f[2], &end, 8);
	if (errno != 0 || *end != '\0' || end == f[2] || mode > 07777 ||
	    f[0][0] == '\0' || f[1][0] == '\0' || !vmap_path_ok(f[3]))
		return -1;
	m->overrides = cs_xreallocarray(m->overrides, m->noverrides + 1,
	    sizeof *m->overrides);
	o = &m->overrides[m->noverrides++];
	o->user = cs_xstrdup(f[0][0] == '#' ? f[0] + 1 : f[0]);
	o->group = cs_xstrdup(f[1][0] == '#' ? f[1] + 1 : f[1]);
	o->mode = (uint32_t)mode;
	o->path = cs_xstrdup(f[3]);
	o->uses = 0;
	return 0;
}

static void
vmap_overrides(struct cs_vmap *m)
{
	char	*buf, *pos, *l;
	size_t	 len;

	if ((buf = cs_vmap_slurp(m, "var/lib/dpkg", "statoverride",
	    &len)) == NULL)
		return;
	pos = buf;
	while ((l = vmap_line(&pos, buf + len)) != NULL) {
		if (l[0] != '\0' && vmap_override_line(m, l) != 0)
			m->skipped++;
	}
	free(buf);
	if (m->noverrides > 1)
		qsort(m->overrides, m->noverrides, sizeof *m->overrides,
		    vmap_override_cmp);
}

static int
vmap_pkg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vmap_pkg *)a)->name,
	    ((const struct vmap_pkg *)b)->name);
}

/* Keep the stanza's package if dpkg says it is installed. */
static void
vmap_stanza(struct cs_vmap *m, const char *pkg, const char *ver,
    const char *arch, const char *status)
{
	if (pkg == NULL || ver == NULL || status == NULL ||
	    strcmp(status, "install ok installed") != 0)
		return;
	m->pkgs = cs_xreallocarray(m->pkgs, m->npkgs + 1, sizeof *m->pkgs);
	m->pkgs[m->npkgs].name = cs_xstrdup(pkg);
	m->pkgs[m->npkgs].version = cs_xstrdup(ver);
	m->pkgs[m->npkgs].arch = arch != NULL && strchr(arch, '/') == NULL ?
	    cs_xstrdup(arch) : NULL;
	m->pkgs[m->npkgs].unavailable = 0;
	m->npkgs++;
}

/* var/lib/dpkg/status: Package, Version and Status of each stanza. */
static void
vmap_status(struct cs_vmap *m)
{
	char	*buf, *pos, *l, *pkg = NULL, *ver = NULL, *status = NULL;
	char	*arch = NULL;
	size_t	 len;

	if ((buf = cs_vmap_slurp(m, "var/lib/dpkg", "status", &len)) == NULL)
		return;
	pos = buf;
	for (;;) {
		l = vmap_line(&pos, buf + len);
		if (l == NULL || l[0] == '\0') {
			vmap_stanza(m, pkg, ver, arch, status);
			pkg = ver = arch = status = NULL;
			if (l == NULL)
				break;
		} else if (strncmp(l, "Package: ", 9) == 0)
			pkg = l + 9;
		else if (strncmp(l, "Version: ", 9) == 0)
			ver = l + 9;
		else if (strncmp(l, "Status: ", 8) == 0)
			status = l + 8;
		else if (strncmp(l, "Architecture: ", 14) == 0)
			arch = l + 14;
	}
	free(buf);
	if (m->npkgs > 1)
		qsort(m->pkgs, m->npkgs, sizeof *m->pkgs, vmap_pkg_cmp);
}

static int
vmap_alt_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vmap_alt *)a)->name,
	    ((const struct vmap_alt *)b)->name);
}

/* The names of the links in etc/alternatives. */
static void
vmap_alternatives(struct cs_vmap *m)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	int		 dfd, fd;

	if ((dfd = vmap_opendir(m->rootfd, "etc/alternatives")) < 0)
		return;
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		close(dfd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISLNK(st.st_mode))
			continue;
		m->alts = cs_xreallocarray(m->alts, m->nalts + 1,
		    sizeof *m->alts);
		m->alts[m->nalts].name = cs_xstrdup(de->d_name);
		m->alts[m->nalts++].uses = 0;
	}
	closedir(d);
	close(dfd);
	if (m->nalts > 1)
		qsort(m->alts, m->nalts, sizeof *m->alts, vmap_alt_cmp);
}

struct cs_vmap *
cs_vmap_load(const char *root, struct cs_err *err)
{
	struct cs_vmap	*m;
	int		 fd;
	char		*shown;

	if (root == NULL) {
		m = cs_xcalloc(1, sizeof *m);
		m->rootfd = -1;
		return m;
	}
	if ((fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		shown = cs_encode_dup(root);
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open the "
		    "root '%s'", shown);
		free(shown);
		return NULL;
	}
	m = cs_xcalloc(1, sizeof *m);
	m->rootfd = fd;
	vmap_toplinks(m);
	vmap_diversions(m);
	vmap_overrides(m);
	vmap_status(m);
	vmap_alternatives(m);
	return m;
}

void
cs_vmap_free(struct cs_vmap *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	cs_vscripts_free(m->scripts);
	for (i = 0; i < m->nlinks; i++) {
		free(m->links[i].from);
		free(m->links[i].to);
		free(m->links[i].raw);
	}
	for (i = 0; i < m->ndiverts; i++) {
		free(m->diverts[i].from);
		free(m->diverts[i].to);
		free(m->diverts[i].pkg);
	}
	for (i = 0; i < m->noverrides; i++) {
		free(m->overrides[i].path);
		free(m->overrides[i].user);
		free(m->overrides[i].group);
	}
	for (i = 0; i < m->npkgs; i++) {
		free(m->pkgs[i].name);
		free(m->pkgs[i].version);
		free(m->pkgs[i].arch);
	}
	for (i = 0; i < m->nalts; i++)
		free(m->alts[i].name);
	for (i = 0; i < m->nlisted; i++)
		free(m->listed[i]);
	free(m->links);
	free(m->diverts);
	free(m->overrides);
	free(m->pkgs);
	free(m->alts);
	free(m->listed);
	if (m->rootfd >= 0)
		close(m->rootfd);
	free(m);
}

/* The link whose name is the first component of PATH, or NULL. */
static struct vmap_link *
vmap_link_of(const struct cs_vmap *m, const char *path, size_t len)
{
	size_t	 i, n;

	if (len < 2 || path[0] != '/')
		return NULL;
	n = 1 + strcspn(path + 1, "/");
	for (i = 0; i < m->nlinks; i++) {
		if (m->links[i].fromlen == n &&
		    memcmp(m->links[i].from, path, n) == 0)
			return &m->links[i];
	}
	return NULL;
}

/* PATH through a top-level link (below it, not the link itself). */
static char *
vmap_follow(struct cs_vmap *m, const char *path, size_t len, size_t *outlen)
{
	struct vmap_link	*l = vmap_link_of(m, path, len);
	char			*out;

	if (l == NULL || len == l->fromlen)
		return NULL;
	*outlen = l->tolen + len - l->fromlen;
	out = cs_xmalloc(*outlen + 1);
	memcpy(out, l->to, l->tolen);
	memcpy(out + l->tolen, path + l->fromlen, len - l->fromlen);
	out[*outlen] = '\0';
	l->uses++;
	return out;
}

/* The diversion of PATH that applies to package PKG, or NULL. */
static struct vmap_divert *
vmap_diverted(const struct cs_vmap *m, const char *path, const char *pkg)
{
	struct vmap_divert	 key, *d;

	if (m->ndiverts == 0)
		return NULL;
	memset(&key, 0, sizeof key);
	key.from = (char *)(uintptr_t)path;
	d = bsearch(&key, m->diverts, m->ndiverts, sizeof *m->diverts,
	    vmap_divert_cmp);
	if (d == NULL || (d->pkg != NULL && pkg != NULL &&
	    strcmp(d->pkg, pkg) == 0))
		return NULL;
	return d;
}

char *
cs_vmap_map(struct cs_vmap *m, const char *path, size_t len,
    const char *pkg, size_t *outlen)
{
	struct vmap_divert	*d;
	char			*linked, *out;

	if (memchr(path, '\0', len) != NULL)
		return NULL;
	linked = vmap_follow(m, path, len, outlen);
	if ((d = vmap_diverted(m, path, pkg)) == NULL && linked != NULL)
		d = vmap_diverted(m, linked, pkg);
	if (d == NULL)
		return linked;
	free(linked);
	d->uses++;
	*outlen = strlen(d->to);
	if ((out = vmap_follow(m, d->to, *outlen, outlen)) != NULL)
		return out;
	*outlen = strlen(d->to);
	return cs_xstrdup(d->to);
}

const char *
cs_vmap_toplink(const struct cs_vmap *m, const char *path, size_t *lenp)
{
	struct vmap_link	*l = vmap_link_of(m, path, strlen(path));
	const char *const	*u;

	if (l == NULL || strlen(path) != l->fromlen)
		return NULL;
	for (u = vmap_usrmerge; *u != NULL; u++) {
		/* merged-/usr: /bin -> usr/bin exactly, nothing else */
		if (strcmp(l->from + 1, *u) == 0 && strncmp(l->to, "/usr/",
		    5) == 0 && strcmp(l->to + 5, *u) == 0) {
			*lenp = l->rawlen;
			return l->raw;
		}
	}
	return NULL;
}

struct cs_vmap_override *
cs_vmap_override(struct cs_vmap *m, const char *path)
{
	struct cs_vmap_override	 key, *o;

	if (m->noverrides == 0)
		return NULL;
	memset(&key, 0, sizeof key);
	key.path = (char *)(uintptr_t)path;
	o = bsearch(&key, m->overrides, m->noverrides, sizeof *m->overrides,
	    vmap_override_cmp);
	return o;
}

int
cs_vmap_alternative(struct cs_vmap *m, const char *target, size_t len)
{
	struct vmap_alt	 key, *a;
	char		*name;

	if (len <= 18 || memcmp(target, "/etc/alternatives/", 18) != 0 ||
	    memchr(target + 18, '/', len - 18) != NULL ||
	    memchr(target, '\0', len) != NULL || m->nalts == 0)
		return 0;
	name = cs_xmemdup(target + 18, len - 18 + 1);
	name[len - 18] = '\0';
	memset(&key, 0, sizeof key);
	key.name = name;
	a = bsearch(&key, m->alts, m->nalts, sizeof *m->alts, vmap_alt_cmp);
	free(name);
	if (a == NULL)
		return 0;
	a->uses++;
	return 1;
}

static struct vmap_pkg *
vmap_pkg_find(const struct cs_vmap *m, const char *pkg)
{
	struct vmap_pkg	 key;

	if (m->npkgs == 0)
		return NULL;
	memset(&key, 0, sizeof key);
	key.name = (char *)(uintptr_t)pkg;
	return bsearch(&key, m->pkgs, m->npkgs, sizeof *m->pkgs, vmap_pkg_cmp);
}

const char *
cs_vmap_installed(const struct cs_vmap *m, const char *pkg)
{
	struct vmap_pkg	*p = vmap_pkg_find(m, pkg);

	return p != NULL ? p->version : NULL;
}

const char *
cs_vmap_installed_available(const struct cs_vmap *m, const char *pkg)
{
	struct vmap_pkg	*p = vmap_pkg_find(m, pkg);

	return p != NULL && !p->unavailable ? p->version : NULL;
}

static int
vmap_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Add the paths of the root's dpkg list NAME (var/lib/dpkg/info), mapped;
 * -1 if there is none.
 */
static int
vmap_read_list(struct cs_vmap *m, const char *name)
{
	char	*buf, *pos, *l, *mapped;
	size_t	 len, n;

	if ((buf = cs_vmap_slurp(m, "var/lib/dpkg/info", name, &len)) == NULL)
		return -1;
	pos = buf;
	while ((l = vmap_line(&pos, buf + len)) != NULL) {
		if (!vmap_path_ok(l) || strcmp(l, "/.") == 0)
			continue;
		if (m->nlisted == m->caplisted) {
			m->caplisted = m->caplisted ? 2 * m->caplisted : 64;
			m->listed = cs_xreallocarray(m->listed, m->caplisted,
			    sizeof *m->listed);
		}
		mapped = vmap_follow(m, l, strlen(l), &n);
		m->listed[m->nlisted++] = mapped != NULL ? mapped :
		    cs_xstrdup(l);
	}
	free(buf);
	return 0;
}

void
cs_vmap_check_available(struct cs_vmap *m,
    int (*has)(void *, const char *, const char *), void *arg)
{
	struct vmap_pkg	*p;
	char		*name;
	size_t		 i;

	for (i = 0; i < m->npkgs; i++) {
		p = &m->pkgs[i];
		if (has(arg, p->name, p->version) || p->unavailable)
			continue;
		p->unavailable = 1;
		if (strchr(p->name, '/') != NULL || p->name[0] == '.')
			continue;
		/* "P.list", or "P:ARCH.list" for a Multi-Arch: same one */
		name = cs_xasprintf("%s.list", p->name);
		if (vmap_read_list(m, name) != 0 && p->arch != NULL) {
			free(name);
			name = cs_xasprintf("%s:%s.list", p->name, p->arch);
			(void)vmap_read_list(m, name);
		}
		free(name);
	}
	if (m->nlisted > 1)
		qsort(m->listed, m->nlisted, sizeof *m->listed, vmap_str_cmp);
}

/*
 * Is PATH a control file dpkg keeps for a package (PKG.NAME or
 * PKG:ARCH.NAME in its database) whose installed version is not
 * available?  Its file list is dpkg's own, never a package's.
 */
static int
vmap_info_unavailable(const struct cs_vmap *m, const char *path)
{
	const char	*kind = cs_deb_info_kind(path), *name, *end;
	struct vmap_pkg	*p;
	char		*pkg;

	if (kind == NULL || strcmp(kind, "list") == 0)
		return 0;
	name = path + strlen(CS_DEB_INFODIR) + 1;
	end = memchr(name, ':', (size_t)(kind - 1 - name));
	if (end == NULL)
		end = kind - 1;
	pkg = cs_xmemdup(name, (size_t)(end - name));
	p = vmap_pkg_find(m, pkg);
	free(pkg);
	return p != NULL && p->unavailable;
}

int
cs_vmap_listed_unavailable(const struct cs_vmap *m, const char *path)
{
	if (vmap_info_unavailable(m, path))
		return 1;
	if (m->nlisted == 0)
		return 0;
	return bsearch(&path, m->listed, m->nlisted, sizeof *m->listed,
	    vmap_str_cmp) != NULL;
}

/*
 * NOTE "HEAD'A'MID'B'TAIL" with A and B, names from the examined root,
 * encoded; TAIL is taken over.
 */
static void
vmap_note2(void (*note)(void *, char *), void *arg, const char *head,
    const char *a, const char *mid, const char *b, char *tail)
{
	char	*x = cs_encode_dup(a), *y = cs_encode_dup(b);

	note(arg, cs_xasprintf("%s'%s'%s'%s'%s", head, x, mid, y, tail));
	free(x);
	free(y);
	free(tail);
}

/* " for N records" and the like. */
static char *
vmap_count(const char *pre, uint64_t n, const char *noun, const char *post)
{
	return cs_xasprintf("%s%" PRIu64 " %s%s%s", pre, n, noun,
	    n == 1 ? "" : "s", post);
}

void
cs_vmap_notes(const struct cs_vmap *m, void (*note)(void *, char *),
    void *arg)
{
	const struct cs_vmap_override	*o;
	char				*g;
	size_t				 i;

	for (i = 0; i < m->nlinks; i++) {
		if (m->links[i].uses > 0)
			vmap_note2(note, arg, "vendor paths below ",
			    m->links[i].from, " matched at ", m->links[i].to,
			    vmap_count(" (a link of the examined root) for ",
			    m->links[i].uses, "record", ""));
	}
	for (i = 0; i < m->ndiverts; i++) {
		if (m->diverts[i].uses > 0)
			vmap_note2(note, arg, "diversion of the examined "
			    "root's dpkg (untrusted): ", m->diverts[i].from,
			    " matched at ", m->diverts[i].to,
			    vmap_count(" for ", m->diverts[i].uses, "record",
			    ""));
	}
	for (i = 0; i < m->noverrides; i++) {
		o = &m->overrides[i];
		if (o->uses == 0)
			continue;
		g = cs_encode_dup(o->group);
		vmap_note2(note, arg, "statoverride of the examined root's "
		    "dpkg (untrusted): ", o->path, " owner ", o->user,
		    cs_xasprintf(" group '%s' mode %04" PRIo32 " explains "
		    "what is set after install", g, o->mode));
		free(g);
	}
	for (i = 0; i < m->nalts; i++) {
		if (m->alts[i].uses == 0)
			continue;
		g = cs_encode_dup(m->alts[i].name);
		note(arg, cs_xasprintf("alternatives link '/etc/alternatives/"
		    "%s' of the examined root (untrusted) explains %" PRIu64
		    " link%s no package ships", g, m->alts[i].uses,
		    m->alts[i].uses == 1 ? "" : "s"));
		free(g);
	}
	for (i = 0; i < m->npkgs; i++) {
		if (m->pkgs[i].unavailable)
			vmap_note2(note, arg, "package ", m->pkgs[i].name,
			    " version ", m->pkgs[i].version,
			    cs_xstrdup(" (installed, says the examined root's "
			    "dpkg) is not in the vendor baseline: its files "
			    "are not compared"));
	}
	if (m->skipped > 0)
		note(arg, vmap_count("", m->skipped, "line", " of the examined "
		    "root's dpkg files or top-level links not understood, "
		    "not used"));
}

struct cs_vscripts **
cs_vmap_scripts(struct cs_vmap *m)
{
	return &m->scripts;
}
