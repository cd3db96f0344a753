/*
 * test_vendor.c: the examined root's mapping of vendor paths (vendor.h)
 * read from hostile files: top-level links followed only to clean paths
 * in the root, diversions, statoverrides, dpkg status and alternatives
 * parsed line by line, what does not parse left out and counted.
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "custos/err.h"
#include "custos/vendor.h"
#include "custos/xmalloc.h"
#include "util.h"

/* A root with merged-/usr links, some good and some bad dpkg files. */
static void
make_root(void)
{
	static const char *const dirs[] = { "usr", "usr/bin", "usr/sbin",
	    "usr/lib", "etc", "etc/alternatives", "var", "var/lib",
	    "var/lib/dpkg", "var/lib/dpkg/info", NULL };
	static const char div[] = "/usr/bin/ls\n/usr/bin/ls.real\nfakels\n"
	    "/bin/df\n/bin/df.local\n:\n"
	    "relative\n/x\npkg\n";
	static const char so[] = "root root 4755 /usr/bin/su2\n"
	    "root shadow 02755 /usr/bin/chage2\n"
	    "root root 99999 /usr/bin/bad\n"
	    "onlythree 0644 /x\n";
	static const char status[] = "Package: coreutils\n"
	    "Status: install ok installed\nVersion: 9.1-1\n\n"
	    "Package: gone\nStatus: deinstall ok config-files\n"
	    "Version: 1\n\nPackage: old\nStatus: install ok installed\n"
	    "Version: 0.9\n\nPackage: libm\nStatus: install ok installed\n"
	    "Architecture: amd64\nVersion: 2\n";
	const char *const *d;
	char	*p, *q;

	for (d = dirs; *d != NULL; d++) {
		p = cs_test_path(*d);
		assert_int_equal(mkdir(p, 0755), 0);
		free(p);
	}
	p = cs_test_path("bin");
	assert_int_equal(symlink("usr/bin", p), 0);
	free(p);
	p = cs_test_path("sbin");
	assert_int_equal(symlink("/usr/sbin", p), 0);
	free(p);
	p = cs_test_path("lib");
	assert_int_equal(symlink("../../etc", p), 0);	/* not clean */
	free(p);
	p = cs_test_path("lib64");
	assert_int_equal(symlink("bin/x", p), 0);	/* through a link */
	free(p);
	assert_int_equal(cs_test_write("var/lib/dpkg/diversions", div,
	    sizeof div - 1), 0);
	assert_int_equal(cs_test_write("var/lib/dpkg/statoverride", so,
	    sizeof so - 1), 0);
	assert_int_equal(cs_test_write("var/lib/dpkg/status", status,
	    sizeof status - 1), 0);
	assert_int_equal(cs_test_write("var/lib/dpkg/info/old.list",
	    "/.\n/bin/oldtool\n/usr/share/old\n", 31), 0);
	assert_int_equal(cs_test_write("var/lib/dpkg/info/libm:amd64.list",
	    "/lib/libm.so\n", 13), 0);
	p = cs_test_path("etc/alternatives/editor");
	assert_int_equal(symlink("/usr/bin/vi", p), 0);
	free(p);
	/* a status file that is a link is not read */
	q = cs_test_path("var/lib/dpkg/available");
	assert_int_equal(symlink("/etc/shadow", q), 0);
	free(q);
}

static struct cs_vmap *
load(void)
{
	struct cs_vmap	*m;
	struct cs_err	 err;

	cs_err_init(&err);
	make_root();
	m = cs_vmap_load(cs_test_tmp(), &err);
	assert_non_null(m);
	cs_err_release(&err);
	return m;
}

/* Map PATH for PKG: the result, or PATH itself. */
static char *
map(struct cs_vmap *m, const char *path, const char *pkg)
{
	char	*r;
	size_t	 n;

	r = cs_vmap_map(m, path, strlen(path), pkg, &n);
	if (r == NULL)
		return cs_xstrdup(path);
	assert_int_equal(strlen(r), n);
	return r;
}

static void
test_links(void **state)
{
	struct cs_vmap	*m = load();
	char		*r;
	size_t		 n;

	(void)state;
	r = map(m, "/bin/ls2", "coreutils");
	assert_string_equal(r, "/usr/bin/ls2");
	free(r);
	r = map(m, "/sbin/init", NULL);
	assert_string_equal(r, "/usr/sbin/init");
	free(r);
	/* "../../etc" and a target through /bin are not followed */
	r = map(m, "/lib/x.so", NULL);
	assert_string_equal(r, "/lib/x.so");
	free(r);
	r = map(m, "/lib64/ld.so", NULL);
	assert_string_equal(r, "/lib64/ld.so");
	free(r);
	/* "/binx" is not below "/bin" */
	r = map(m, "/binx/a", NULL);
	assert_string_equal(r, "/binx/a");
	free(r);
	assert_string_equal(cs_vmap_toplink(m, "/bin", &n), "usr/bin");
	assert_int_equal(n, 7);
	assert_string_equal(cs_vmap_toplink(m, "/sbin", &n), "/usr/sbin");
	assert_null(cs_vmap_toplink(m, "/lib", &n));
	assert_null(cs_vmap_toplink(m, "/usr", &n));
	cs_vmap_free(m);
}

static void
test_diversions(void **state)
{
	struct cs_vmap	*m = load();
	char		*r;

	(void)state;
	/* other packages' /usr/bin/ls is diverted; the diverter's is not */
	r = map(m, "/bin/ls", "coreutils");
	assert_string_equal(r, "/usr/bin/ls.real");
	free(r);
	r = map(m, "/usr/bin/ls", "fakels");
	assert_string_equal(r, "/usr/bin/ls");
	free(r);
	/* a local diversion applies to every package, and maps on */
	r = map(m, "/bin/df", "coreutils");
	assert_string_equal(r, "/usr/bin/df.local");
	free(r);
	cs_vmap_free(m);
}

static void
test_overrides(void **state)
{
	struct cs_vmap		*m = load();
	struct cs_vmap_override	*o;

	(void)state;
	assert_non_null(o = cs_vmap_override(m, "/usr/bin/su2"));
	assert_int_equal(o->mode, 04755);
	assert_string_equal(o->group, "root");
	assert_non_null(o = cs_vmap_override(m, "/usr/bin/chage2"));
	assert_string_equal(o->group, "shadow");
	assert_int_equal(o->mode, 02755);
	assert_null(cs_vmap_override(m, "/usr/bin/bad"));
	assert_null(cs_vmap_override(m, "/x"));
	cs_vmap_free(m);
}

static int
has_none(void *arg, const char *pkg, const char *ver)
{
	(void)arg;
	return strcmp(pkg, "coreutils") == 0 && strcmp(ver, "9.1-1") == 0;
}

static void
note(void *arg, char *msg)
{
	size_t	*n = arg;

	if (strstr(msg, "package 'old' version '0.9'") != NULL)
		n[0]++;
	if (strstr(msg, "lines of the examined root") != NULL)
		n[1]++;
	free(msg);
}

static void
test_status(void **state)
{
	struct cs_vmap	*m = load();
	size_t		 n[2] = { 0, 0 };

	(void)state;
	assert_string_equal(cs_vmap_installed(m, "coreutils"), "9.1-1");
	assert_null(cs_vmap_installed(m, "gone"));
	assert_string_equal(cs_vmap_installed(m, "old"), "0.9");
	assert_false(cs_vmap_listed_unavailable(m, "/usr/bin/oldtool"));
	cs_vmap_check_available(m, has_none, NULL);
	/* the list's paths are mapped through the root's links */
	assert_true(cs_vmap_listed_unavailable(m, "/usr/bin/oldtool"));
	assert_true(cs_vmap_listed_unavailable(m, "/usr/share/old"));
	assert_false(cs_vmap_listed_unavailable(m, "/bin/oldtool"));
	/* a Multi-Arch: same package's list is named with its arch */
	assert_true(cs_vmap_listed_unavailable(m, "/lib/libm.so"));
	assert_true(cs_vmap_alternative(m, "/etc/alternatives/editor", 24));
	assert_false(cs_vmap_alternative(m, "/etc/alternatives/pager", 23));
	assert_false(cs_vmap_alternative(m, "/etc/alternatives/x/y", 21));
	cs_vmap_notes(m, note, n);
	assert_int_equal(n[0], 1);
	assert_int_equal(n[1], 1);	/* bad lines and links, counted */
	cs_vmap_free(m);
}

static void
test_no_root(void **state)
{
	struct cs_vmap	*m;
	struct cs_err	 err;
	char		*r;

	(void)state;
	cs_err_init(&err);
	assert_non_null(m = cs_vmap_load(NULL, &err));
	r = map(m, "/bin/ls", "coreutils");
	assert_string_equal(r, "/bin/ls");
	free(r);
	cs_vmap_free(m);
	assert_null(cs_vmap_load("/nonexistent/root", &err));
	cs_err_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_links,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(test_diversions,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(test_overrides,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test_setup_teardown(test_status,
		    cs_test_setup_tmp, cs_test_teardown_tmp),
		cmocka_unit_test(test_no_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
