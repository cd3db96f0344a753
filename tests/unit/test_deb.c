/*
 * test_deb.c: the parsers of Debian's archive chain (deb822.c) accept
 * what the archive writes and refuse malformed or hostile text with the
 * reason; apt's list file names map back to archive paths; vendor
 * records (pkg=, ver=, arch=, alt=) survive the baseline codec.
 */
#include "custos/custos.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "custos/baseline.h"
#include "custos/buf.h"
#include "custos/deb.h"
#include "custos/entry.h"
#include "custos/xmalloc.h"

#define HASH_A	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"

static const char release_ok[] =
    "Origin: Debian\n"
    "Suite: stable\n"
    "Codename: bookworm\n"
    "Date: Sat, 07 Oct 2023 09:24:08 UTC\n"
    "Valid-Until: Sat, 9 Dec 2023 08:20:55 UTC\n"
    "Description: Debian 12.2 Released 07 October 2023\n"
    "SHA256:\n"
    " " HASH_A "  1234 main/binary-amd64/Packages\n"
    " " HASH_A " 99 main/binary-amd64/Packages.xz\n";

static void
test_release_ok(void **state)
{
	struct cs_deb_release	 r;
	const struct cs_deb_relfile *f;
	const char		*why = NULL;
	uint64_t		 line;
	int64_t			 t;

	(void)state;
	assert_int_equal(cs_deb_release_parse(release_ok,
	    strlen(release_ok), &r, &why, &line), 0);
	assert_string_equal(r.suite, "stable");
	assert_string_equal(r.codename, "bookworm");
	assert_int_equal(r.nfiles, 2);
	f = cs_deb_release_find(&r, "main/binary-amd64/Packages", 26);
	assert_non_null(f);
	assert_int_equal(f->size, 1234);
	assert_int_equal(f->sha256[0], 0x01);
	assert_null(cs_deb_release_find(&r, "main/binary-amd64/Package", 25));
	assert_null(cs_deb_release_find(&r, "main/binary-i386/Packages", 25));
	assert_int_equal(cs_deb_date_parse("Sat, 09 Dec 2023 08:20:55 UTC",
	    &t), 0);
	assert_int_equal(r.valid_until_t, t);
	assert_int_equal(t, 1702110055);
	cs_deb_release_release(&r);
}

/* Malformed Release texts, each refused. */
static void
test_release_bad(void **state)
{
	static const char *const bad[] = {
		"Suite: x\n",					/* no SHA256 */
		"SHA256:\n " HASH_A " 12\n",			/* no path */
		"SHA256:\n " HASH_A " 12 a b\n",		/* 4 words */
		"SHA256:\n 0123 12 main/Packages\n",		/* short hash */
		"SHA256:\n " HASH_A " 012 main/Packages\n",	/* 0-led size */
		"SHA256:\n " HASH_A " -1 main/Packages\n",
		"SHA256:\n " HASH_A " 1 ../Packages\n",
		"SHA256:\n " HASH_A " 1 /etc/Packages\n",
		"SHA256:\n " HASH_A " 1 a//Packages\n",
		"SHA256:\n " HASH_A " 1 a\n " HASH_A " 2 a\n",	/* twice */
		"SHA256:\n " HASH_A " 99999999999999999999 a\n",
		" stray continuation\nSHA256:\n",
		"# comment\nSHA256:\n",
		"Suite: a\nSuite: b\nSHA256:\n",
		"NoColon\nSHA256:\n",
		"Valid-Until: yesterday\nSHA256:\n",
		"Valid-Until: Sat, 09 Dec 2023 08:20:55 CET\nSHA256:\n",
		"SHA256:\n\nSuite: second paragraph\n",
		"Suite: a\x01\nSHA256:\n",
	};
	struct cs_deb_release	 r;
	const char		*why;
	uint64_t		 line;
	size_t			 i;

	(void)state;
	for (i = 0; i < CS_NELEM(bad); i++) {
		why = NULL;
		if (cs_deb_release_parse(bad[i], strlen(bad[i]), &r, &why,
		    &line) == 0)
			fail_msg("accepted bad Release %zu", i);
		assert_non_null(why);
	}
	/* a NUL byte */
	assert_int_equal(cs_deb_release_parse("SHA256:\n\0", 9, &r, &why,
	    &line), -1);
}

static const char packages_ok[] =
    "Package: coreutils\n"
    "Version: 9.1-1\n"
    "Architecture: amd64\n"
    "Description: GNU core utilities\n"
    " This package contains the basic file, shell and text\n"
    " manipulation utilities.\n"
    "Filename: pool/main/c/coreutils/coreutils_9.1-1_amd64.deb\n"
    "Size: 2868148\n"
    "SHA256: " HASH_A "\n"
    "\n"
    "Package: libc6\n"
    "Version: 2:2.36-9+deb12u3\n"
    "Architecture: i386\n"
    "Filename: pool/main/g/glibc/libc6_2.36-9+deb12u3_i386.deb\n"
    "Size: 1\n"
    "SHA256: " HASH_A "\n";

static void
test_packages_ok(void **state)
{
	struct cs_deb_index	 x;
	struct cs_deb_pkg	 k;
	const char		*why = NULL;
	uint64_t		 line;

	(void)state;
	cs_deb_index_init(&x);
	assert_int_equal(cs_deb_packages_parse(&x, packages_ok,
	    strlen(packages_ok), &why, &line), 0);
	assert_int_equal(x.npkgs, 2);
	cs_deb_index_sort(&x);
	memset(&k, 0, sizeof k);
	k.name = (char *)"libc6";
	k.version = (char *)"2:2.36-9+deb12u3";
	k.arch = (char *)"i386";
	k.size = 1;
	memcpy(k.sha256, x.pkgs[0].sha256, 32);
	assert_non_null(cs_deb_index_find(&x, &k));
	k.size = 2;
	assert_null(cs_deb_index_find(&x, &k));
	k.size = 1;
	k.arch = (char *)"amd64";
	assert_null(cs_deb_index_find(&x, &k));
	cs_deb_index_release(&x);
}

/* Malformed stanzas, each refused. */
static void
test_packages_bad(void **state)
{
	static const char *const bad[] = {
		"Package: a\n",				/* incomplete */
		"Package: A\nVersion: 1\nArchitecture: all\nFilename: f\n"
		    "Size: 1\nSHA256: " HASH_A "\n",	/* uppercase name */
		"Package: ab\nVersion: x1\nArchitecture: all\nFilename: f\n"
		    "Size: 1\nSHA256: " HASH_A "\n",	/* version */
		"Package: ab\nVersion: 1 2\nArchitecture: all\nFilename: f\n"
		    "Size: 1\nSHA256: " HASH_A "\n",
		"Package: ab\nVersion: 1\nArchitecture: a,b\nFilename: f\n"
		    "Size: 1\nSHA256: " HASH_A "\n",
		"Package: ab\nVersion: 1\nArchitecture: all\nFilename: f\n"
		    "Size: 1x\nSHA256: " HASH_A "\n",
		"Package: ab\nVersion: 1\nArchitecture: all\nFilename: f\n"
		    "Size: 1\nSHA256: " HASH_A "0\n",
		"Package: ab\nVersion: 1\nArchitecture: all\nFilename: ../f\n"
		    "Size: 1\nSHA256: " HASH_A "\n",
		"Package: ab\nPackage: cd\nVersion: 1\nArchitecture: all\n"
		    "Filename: f\nSize: 1\nSHA256: " HASH_A "\n",
		"Package: a,b\nVersion: 1\nArchitecture: all\nFilename: f\n"
		    "Size: 1\nSHA256: " HASH_A "\n",
	};
	struct cs_deb_index	 x;
	const char		*why;
	uint64_t		 line;
	size_t			 i;

	(void)state;
	for (i = 0; i < CS_NELEM(bad); i++) {
		cs_deb_index_init(&x);
		why = NULL;
		if (cs_deb_packages_parse(&x, bad[i], strlen(bad[i]), &why,
		    &line) == 0)
			fail_msg("accepted bad Packages %zu", i);
		assert_non_null(why);
		cs_deb_index_release(&x);
	}
}

/* A long line, fed in pieces, is refused rather than held. */
static void
test_packages_long_line(void **state)
{
	struct cs_deb822	*p;
	struct cs_deb_index	 x;
	char			*chunk;
	const char		*why = NULL;
	size_t			 i;
	int			 rc = 0;

	(void)state;
	cs_deb_index_init(&x);
	chunk = cs_xmalloc(65536);
	memset(chunk, 'a', 65536);
	p = cs_deb_packages_parser(&x);
	rc = cs_deb822_feed(p, "Package: ", 9, &why);
	for (i = 0; rc == 0 && i < 64; i++)
		rc = cs_deb822_feed(p, chunk, 65536, &why);
	assert_int_equal(rc, -1);
	assert_string_equal(why, "a line too long");
	cs_deb822_free(p);
	free(chunk);
	cs_deb_index_release(&x);
}

static void
test_control(void **state)
{
	static const char ctl[] = "Package: hello\nVersion: 1.0-1\n"
	    "Architecture: amd64\nMaintainer: A <a@b>\nDepends: libc6\n"
	    "Description: hi\n there\n";
	static const char ctl_same[] = "Package: libc6\nVersion: 2.36-9\n"
	    "Architecture: amd64\nmulti-arch:  same \n";
	static const char ctl_foreign[] = "Package: gzip\nVersion: 1.12-1\n"
	    "Architecture: amd64\nMulti-Arch: foreign\n";
	struct cs_deb_pkg	 p;
	const char		*why = NULL;

	(void)state;
	assert_int_equal(cs_deb_control_parse(ctl, strlen(ctl), &p, &why), 0);
	assert_string_equal(p.name, "hello");
	assert_string_equal(p.version, "1.0-1");
	assert_string_equal(p.arch, "amd64");
	assert_int_equal(p.ma_same, 0);
	cs_deb_pkg_release(&p);
	assert_int_equal(cs_deb_control_parse(ctl_same, strlen(ctl_same), &p,
	    &why), 0);
	assert_int_equal(p.ma_same, 1);
	cs_deb_pkg_release(&p);
	assert_int_equal(cs_deb_control_parse(ctl_foreign,
	    strlen(ctl_foreign), &p, &why), 0);
	assert_int_equal(p.ma_same, 0);
	cs_deb_pkg_release(&p);
	assert_int_equal(cs_deb_control_parse("", 0, &p, &why), -1);
	assert_int_equal(cs_deb_control_parse("Package: a\n\nPackage: b\n",
	    24, &p, &why), -1);
	assert_int_equal(cs_deb_control_parse("Package: hello\n", 15, &p,
	    &why), -1);
}

/* Where dpkg installs control files, and what they are. */
static void
test_info_path(void **state)
{
	static const struct {
		const char	*name, *pkg, *arch;
		int		 same;
		const char	*want;		/* NULL: not installed */
	} t[] = {
		{ "postinst", "hello", "amd64", 0,
		    "/var/lib/dpkg/info/hello.postinst" },
		{ "md5sums", "libc6", "amd64", 1,
		    "/var/lib/dpkg/info/libc6:amd64.md5sums" },
		{ "shlibs", "libssl3", "i386", 1,
		    "/var/lib/dpkg/info/libssl3:i386.shlibs" },
		{ "conffiles", "g++-12", "all", 0,
		    "/var/lib/dpkg/info/g++-12.conffiles" },
		{ "control", "hello", "amd64", 0, NULL },
		{ "list", "hello", "amd64", 0, NULL },
		{ "x.sh", "hello", "amd64", 0, NULL },
		{ "sub/postinst", "hello", "amd64", 0, NULL },
		{ "", "hello", "amd64", 0, NULL },
	};
	static const char *const kinds[] = { "config", "conffiles",
	    "md5sums", "postinst", "postrm", "preinst", "prerm", "shlibs",
	    "symbols", "templates", "triggers" };
	char	 longname[102];
	char	*p;
	size_t	 i;

	(void)state;
	for (i = 0; i < CS_NELEM(t); i++) {
		p = cs_deb_info_path(t[i].name, t[i].pkg, t[i].arch,
		    t[i].same);
		if (t[i].want == NULL)
			assert_null(p);
		else
			assert_string_equal(p, t[i].want);
		free(p);
	}
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	assert_false(cs_deb_info_name_ok(longname));
	longname[100] = '\0';
	assert_true(cs_deb_info_name_ok(longname));
	assert_string_equal(cs_deb_info_kind(
	    "/var/lib/dpkg/info/libc6:amd64.postinst"), "postinst");
	assert_string_equal(cs_deb_info_kind(
	    "/var/lib/dpkg/info/libfoo1.2.list"), "list");
	assert_null(cs_deb_info_kind("/var/lib/dpkg/info"));
	assert_null(cs_deb_info_kind("/var/lib/dpkg/info/format"));
	assert_null(cs_deb_info_kind("/var/lib/dpkg/info/x/y.postinst"));
	assert_null(cs_deb_info_kind("/etc/x.postinst"));
	assert_null(cs_deb_info_kind("/var/lib/dpkg/infox/a.postinst"));
	assert_true(cs_deb_info_script("preinst"));
	assert_true(cs_deb_info_script("postrm"));
	assert_true(cs_deb_info_script("config"));
	assert_false(cs_deb_info_script("md5sums"));
	assert_false(cs_deb_info_script(NULL));
	assert_non_null(strstr(cs_deb_info_why("md5sums"), "debsums"));
	assert_non_null(cs_deb_info_why("triggers"));
	for (i = 0; i < CS_NELEM(kinds); i++)
		assert_non_null(cs_deb_info_why(kinds[i]));
	assert_null(cs_deb_info_why("list"));
	assert_null(cs_deb_info_why(NULL));
	/* dpkg makes preinst and postinst executable before it runs them */
	assert_int_equal(cs_deb_info_mode("postinst", 0700), 0755);
	assert_int_equal(cs_deb_info_mode("preinst", 0555), 0555);
	assert_int_equal(cs_deb_info_mode("postinst", 0775), 0775);
	assert_int_equal(cs_deb_info_mode("prerm", 0700), 0700);
	assert_int_equal(cs_deb_info_mode("templates", 0640), 0640);
}

static void
test_list_path(void **state)
{
	static const char pre[] = "deb.debian.org_debian_dists_bookworm_";
	char	*p;

	(void)state;
	p = cs_deb_list_path("deb.debian.org_debian_dists_bookworm_main_"
	    "binary-amd64_Packages", pre);
	assert_string_equal(p, "main/binary-amd64/Packages");
	free(p);
	p = cs_deb_list_path("deb.debian.org_debian_dists_bookworm_non%5ffree"
	    "_binary-amd64_Packages", pre);
	assert_string_equal(p, "non_free/binary-amd64/Packages");
	free(p);
	assert_null(cs_deb_list_path("other_dists_x_main_Packages", pre));
	assert_null(cs_deb_list_path("deb.debian.org_debian_dists_bookworm_"
	    "a%zz", pre));
	assert_null(cs_deb_list_path("deb.debian.org_debian_dists_bookworm_"
	    "a%00", pre));
}

/* Vendor fields through the codec, and malformed ones refused. */
static void
test_record(void **state)
{
	static const char line[] = "/usr/bin/x type=file mode=0755 uid=0 "
	    "gid=0 user=root group=root size=3 mtime=1.000000000 "
	    "sha256=" HASH_A " pkg=aa ver=1:2.0~rc1 arch=amd64 conffile=1 "
	    "alt=bb,1,all,4," HASH_A ",0700 alt=cc,2,amd64,3," HASH_A
	    ",conffile,unverified";
	static const char *const bad[] = {
		" pkg=aa ver=1",					/* no arch */
		" pkg=A ver=1 arch=all",
		" pkg=aa ver=1 arch=all conffile=2",
		" pkg=aa ver=1 arch=all alt=bb,1,all,4",
		" pkg=aa ver=1 arch=all alt=bb,1,all,4," HASH_A ",bogus",
		" pkg=aa ver=1 arch=all alt=cc,1,all,4," HASH_A
		    " alt=bb,1,all,4," HASH_A,			/* unsorted */
		" alt=bb,1,all,4," HASH_A,			/* no pkg */
		" pkg=aa ver=1 arch=all alt=b\\x2cc,1,all,4," HASH_A,
		" pkg=aa ver=1 arch=all alt=bb,1,all,4," HASH_A ",700",
		" pkg=aa ver=1 arch=all alt=bb,1,all,4," HASH_A ",0800",
		" pkg=aa ver=1 arch=all alt=bb,1,all,4," HASH_A
		    ",conffile,0700",				/* order */
	};
	struct cs_entry	*e = cs_entry_new();
	struct cs_buf	 b;
	const char	*why = NULL;
	char		*l;
	size_t		 i;

	(void)state;
	assert_int_equal(cs_bl_parse(line, strlen(line), e, &why), 0);
	assert_int_equal(e->npkgs, 3);
	assert_true(e->have & CS_F_PKG);
	assert_string_equal(e->pkgs[0].version, "1:2.0~rc1");
	assert_int_equal(e->pkgs[0].flags, CS_PKG_CONFFILE);
	assert_int_equal(e->pkgs[0].size, 3);
	assert_int_equal(e->pkgs[1].size, 4);
	assert_int_equal(e->pkgs[1].flags, CS_PKG_MODE);
	assert_int_equal(e->pkgs[1].mode, 0700);
	assert_int_equal(e->pkgs[2].flags, CS_PKG_CONFFILE |
	    CS_PKG_UNVERIFIED);
	cs_buf_init(&b);
	cs_bl_format(&b, e);
	assert_int_equal(b.len, strlen(line) + 1);
	assert_memory_equal(b.data, line, strlen(line));
	cs_buf_release(&b);
	for (i = 0; i < CS_NELEM(bad); i++) {
		l = cs_xasprintf("/x type=file mode=0644 uid=0 gid=0 size=0 "
		    "mtime=0.000000000%s", bad[i]);
		if (cs_bl_parse(l, strlen(l), e, &why) == 0)
			fail_msg("accepted bad record %zu", i);
		free(l);
	}
	l = cs_xasprintf("/d type=dir mode=0755 uid=0 gid=0 size=0 "
	    "mtime=0.000000000 pkg=aa ver=1 arch=all alt=bb,1,all,4," HASH_A);
	assert_int_equal(cs_bl_parse(l, strlen(l), e, &why), -1);
	free(l);
	cs_entry_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_ok),
		cmocka_unit_test(test_release_bad),
		cmocka_unit_test(test_packages_ok),
		cmocka_unit_test(test_packages_bad),
		cmocka_unit_test(test_packages_long_line),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_info_path),
		cmocka_unit_test(test_list_path),
		cmocka_unit_test(test_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
