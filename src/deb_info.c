/*
 * deb_info.c: where dpkg installs a package's control files, and what
 * each of them is for (deb.h).
 *
 * dpkg unpacks control.tar into a temporary directory (dpkg-deb
 * --control, tar as root: owners and modes as the tar has them), then
 * renames each top-level member into its database, /var/lib/dpkg/info,
 * as PKG.NAME, or PKG:ARCH.NAME for a "Multi-Arch: same" package
 * (pkgbin_name with pnaw_same).  It skips names holding a '.', the
 * "control" file (it goes into /var/lib/dpkg/status) and a member named
 * "list" (its own file list); it refuses a package whose control.tar
 * holds a directory or a name longer than MAXCONTROLFILENAME (100).
 * Before it runs preinst and postinst it makes them executable
 * (setexecute: 0755 unless all of 0555 is set already).
 *
 * dpkg itself writes PKG.list and, for a package that ships none,
 * PKG.md5sums, and the database's "format" file; those come from no
 * control.tar.  The table below says, for the control files that do,
 * why a change to one matters; it is ordered by name.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/deb.h"
#include "custos/xmalloc.h"

/* dpkg's MAXCONTROLFILENAME. */
#define DEB_INFO_MAXNAME	100

/*
 * The control files dpkg installs and uses, ordered by name: whether
 * dpkg (or debconf) runs it as root, and a verdict's reason when it
 * differs from every version shipped (static strings).
 */
#define DEB_DIFFERS	" differs from every version its package shipped: "
static const struct deb_info_kind {
	const char	*name;
	int		 script;
	const char	*why;
} deb_info_kinds[] = {
	{ "conffiles", 0, "dpkg's conffiles list" DEB_DIFFERS "decides "
	    "which files upgrades keep and dpkg --verify treats as "
	    "configuration" },
	{ "config", 1, "debconf config script" DEB_DIFFERS "runs as root "
	    "when the package is configured" },
	{ "md5sums", 0, "dpkg's md5sums list of the package's files"
	    DEB_DIFFERS "can hide a changed file from debsums and "
	    "dpkg --verify" },
	{ "postinst", 1, "maintainer script" DEB_DIFFERS "runs as root when "
	    "the package is configured" },
	{ "postrm", 1, "maintainer script" DEB_DIFFERS "runs as root when "
	    "the package is upgraded, removed or purged" },
	{ "preinst", 1, "maintainer script" DEB_DIFFERS "runs as root when "
	    "the package is installed or upgraded" },
	{ "prerm", 1, "maintainer script" DEB_DIFFERS "runs as root when "
	    "the package is upgraded or removed" },
	{ "shlibs", 0, "shared library list (shlibs)" DEB_DIFFERS "misleads "
	    "dpkg-shlibdeps about the libraries packages depend on" },
	{ "symbols", 0, "shared library symbols file" DEB_DIFFERS "misleads "
	    "dpkg-shlibdeps about the libraries packages depend on" },
	{ "templates", 0, "debconf templates file" DEB_DIFFERS "the "
	    "questions asked when the package is configured" },
	{ "triggers", 0, "dpkg triggers file" DEB_DIFFERS "can make dpkg run "
	    "maintainer scripts, as root, when other packages change" },
};

int
cs_deb_info_name_ok(const char *name)
{
	size_t	 n = strlen(name);

	return n > 0 && n <= DEB_INFO_MAXNAME && strchr(name, '.') == NULL &&
	    strchr(name, '/') == NULL && strcmp(name, "control") != 0 &&
	    strcmp(name, "list") != 0;
}

char *
cs_deb_info_path(const char *name, const char *pkg, const char *arch,
    int same)
{
	if (!cs_deb_info_name_ok(name) || pkg == NULL || *pkg == '\0' ||
	    strchr(pkg, '/') != NULL)
		return NULL;
	if (same && arch != NULL && *arch != '\0' && strchr(arch, '/') == NULL)
		return cs_xasprintf("%s/%s:%s.%s", CS_DEB_INFODIR, pkg, arch,
		    name);
	return cs_xasprintf("%s/%s.%s", CS_DEB_INFODIR, pkg, name);
}

const char *
cs_deb_info_kind(const char *path)
{
	size_t		 n = strlen(CS_DEB_INFODIR);
	const char	*dot;

	if (strncmp(path, CS_DEB_INFODIR, n) != 0 || path[n] != '/' ||
	    strchr(path + n + 1, '/') != NULL ||
	    (dot = strrchr(path + n + 1, '.')) == NULL || dot[1] == '\0')
		return NULL;
	return dot + 1;
}

static int
deb_info_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct deb_info_kind *)elem)->name);
}

/* The table's entry for KIND, or NULL. */
static const struct deb_info_kind *
deb_info_find(const char *kind)
{
	if (kind == NULL)
		return NULL;
	return bsearch(kind, deb_info_kinds, CS_NELEM(deb_info_kinds),
	    sizeof deb_info_kinds[0], deb_info_cmp);
}

int
cs_deb_info_script(const char *kind)
{
	const struct deb_info_kind *k = deb_info_find(kind);

	return k != NULL && k->script;
}

const char *
cs_deb_info_why(const char *kind)
{
	const struct deb_info_kind *k = deb_info_find(kind);

	return k != NULL ? k->why : NULL;
}

uint32_t
cs_deb_info_mode(const char *name, uint32_t mode)
{
	if ((strcmp(name, "preinst") == 0 || strcmp(name, "postinst") == 0) &&
	    (mode & 0555) != 0555)
		return 0755;
	return mode;
}
