#!/bin/bash
# t9100: a tree checked against a baseline of signed packages.  The test
# builds two versions of a package "tools" (a program shipped as /bin/xls,
# as Debian's packages name them, a library, a conffile) and a package
# "extra", signs their index with its own key, and makes the vendor
# baseline of all of them.  A merged-/usr tree unpacked from version 1
# (bin -> usr/bin) has no content change, no removal and nothing above
# low; a trojaned program with its mtime restored is critical and names
# the package and the command that reinstalls it; an ELF object no
# package ships in /usr/bin is high; a changed conffile is medium, to
# review; a package whose installed version the baseline lacks is not
# compared, not "added".  Three-way: after a host baseline, an upgrade to
# version 2 is "updated by tools 2.0" at info, each change, while a
# trojan in the same run stays critical.
. "$(dirname "$0")/lib.sh"
. "$CS_SRCDIR/tests/cli/lib-deb.sh"

P=GPG,GPGV,DPKG-DEB
POL="$CS_SRCDIR/etc/default.policy"

# mkroot DIR DEB...: a merged-/usr tree unpacked from the packages, with
# dpkg's database of their control files (but not the file lists dpkg
# writes itself: see t9102).
mkroot() {
	root=$1
	shift
	mkdir -p "$root" &&
	for d in "$@"; do
		dpkg-deb -x "$d" "$root" || return 1
	done &&
	deb_info "$root" "$@" &&
	rm "$root"/var/lib/dpkg/info/*.list "$root"/var/lib/dpkg/info/format &&
	cp -a "$root"/bin/. "$root"/usr/bin/ &&
	rm -rf "$root"/bin &&
	ln -s usr/bin "$root"/bin
}

test_expect_success $P 'setup: two versions of a package, another, signed' '
	deb_key &&
	mkdir -p t1/bin t1/usr/bin t1/usr/lib/tools t1/etc \
	    t1/usr/share/doc/tools &&
	cp /bin/true t1/bin/xls &&
	printf "#!/bin/sh\necho other\n" >t1/usr/bin/xother &&
	cp /bin/true t1/usr/lib/tools/libtools.so.1 &&
	echo "colour=yes" >t1/etc/tools.conf &&
	echo "tools" >t1/usr/share/doc/tools/README &&
	chmod 755 t1/bin/xls t1/usr/bin/xother &&
	chmod -R go-w t1 &&
	cp -a t1 t2 &&
	cp /bin/false t2/bin/xls &&
	cp /bin/false t2/usr/lib/tools/libtools.so.1 &&
	deb_pkg t1 tools 1.0 /etc/tools.conf &&
	deb_pkg t2 tools 2.0 /etc/tools.conf &&
	mkdir -p e1/usr/share/extra e1/var/lib/dpkg/info &&
	echo data >e1/usr/share/extra/data &&
	chmod -R go-w e1 &&
	deb_pkg e1 extra 1.0 &&
	deb_lists &&
	"$CUSTOS" baseline -q --from-packages --apt-lists lists \
	    --keyring keyring.gpg -o V.cbl pkgs &&
	grep -q "^#source=packages$" V.cbl &&
	grep -q "^/bin/xls .* pkg=tools ver=1.0 .* alt=tools,2.0," V.cbl
'

test_expect_success $P 'a merged-/usr tree of the packages: nothing above low' '
	mkroot root pkgs/tools_1.0_all.deb pkgs/extra_1.0_all.deb &&
	check -b V.cbl --root root &&
	test "$rc" = 0 &&
	! grep -E "^(critical|high|medium) " out &&
	! grep -E "^[a-z]+ (removed|changed|type-changed) " out &&
	"$CUSTOS" check --allow-unsigned --policy "$POL" -b V.cbl \
	    --root root >text &&
	grep "not compared, by nature of the sources" text &&
	grep "vendor paths below .*/bin.* matched at .*/usr/bin" text
'

test_expect_success $P 'a trojaned program, mtime restored: critical' '
	cp root/usr/bin/xls xls.orig &&
	cp /bin/echo root/usr/bin/xls &&
	touch -r xls.orig root/usr/bin/xls &&
	check -b V.cbl --root root &&
	test "$rc" = 4 &&
	grep "^critical changed /usr/bin/xls .*differs from every version" out &&
	grep "shipped by tools 1.0" out &&
	"$CUSTOS" check --allow-unsigned --policy "$POL" -b V.cbl \
	    --root root >text || :
	grep "restore: apt-get install --reinstall tools=1.0" text &&
	sed -n "/^REBUILD PLAN/,\$p" text >plan &&
	grep "/usr/bin/xls" plan &&
	grep "restore: apt-get install --reinstall tools=1.0" plan &&
	"$CUSTOS" check --allow-unsigned --policy "$POL" -b V.cbl -F json \
	    --root root >json || :
	grep "\"restore\":\"apt-get install --reinstall tools=1.0\"" json &&
	cp -p xls.orig root/usr/bin/xls
'

test_expect_success $P 'an ELF object no package ships: high' '
	cp /bin/true root/usr/bin/dropped &&
	echo hi >root/usr/share/extra/notes &&
	check -b V.cbl --root root &&
	test "$rc" = 1 &&
	grep "^high added /usr/bin/dropped .*no package ships this ELF" out &&
	grep "^low added /usr/share/extra/notes .*no package ships it" out &&
	rm root/usr/bin/dropped root/usr/share/extra/notes
'

test_expect_success $P 'files maintainer scripts make: info, by the policy' '
	echo 0123456789abcdef >root/etc/machine-id &&
	mkdir -p root/usr/lib/tools/__pycache__ &&
	printf "\x55\x0d\x0d\x0a" >root/usr/lib/tools/__pycache__/m.cpython-311.pyc &&
	mkdir -p root/etc/alternatives &&
	ln -s /usr/bin/xother root/etc/alternatives/pager &&
	ln -s /etc/alternatives/pager root/usr/bin/pager &&
	check -b V.cbl --root root &&
	grep "^info added /etc/machine-id .*unowned=" out &&
	grep "^info added /usr/bin/pager .*alternative" out &&
	grep "^info added /etc/alternatives/pager " out &&
	grep "^info added /usr/lib/tools/__pycache__ type=dir " out &&
	grep "^info added /usr/lib/tools/__pycache__/m.cpython-311.pyc " out &&
	cp /bin/true root/usr/lib/tools/__pycache__/x.pyc &&
	check -b V.cbl --root root &&
	grep "^high added /usr/lib/tools/__pycache__/x.pyc .*ELF" out &&
	rm -r root/usr/lib/tools/__pycache__ &&
	cp /bin/true root/etc/machine-id &&
	check -b V.cbl --root root &&
	grep "^high added /etc/machine-id .*ELF" out &&
	rm -r root/etc/machine-id root/etc/alternatives root/usr/bin/pager
'

test_expect_success $P 'a changed conffile: medium, review, how to restore' '
	echo "colour=no" >root/etc/tools.conf &&
	check -b V.cbl --root root &&
	test "$rc" = 4 &&
	grep "^medium changed /etc/tools.conf .*conffile differs" out &&
	"$CUSTOS" check --allow-unsigned --policy "$POL" -b V.cbl \
	    --root root >text || :
	sed -n "/^REBUILD PLAN/,\$p" text >plan &&
	grep -A1 "changed  /etc/tools.conf  (configuration" plan |
	    grep "restore: apt-get install --reinstall tools=1.0 -o Dpkg::Options::=--force-confask" &&
	echo "colour=yes" >root/etc/tools.conf
'

test_expect_success $P 'an installed version the baseline lacks: not compared' '
	mkdir -p root/var/lib/dpkg/info &&
	printf "Package: extra\nStatus: install ok installed\nVersion: 0.9\n\n" \
	    >root/var/lib/dpkg/status &&
	printf "/usr/share/extra\n/usr/share/extra/data\n/usr/share/extra/new\n" \
	    >root/var/lib/dpkg/info/extra.list &&
	echo changed >root/usr/share/extra/data &&
	echo new >root/usr/share/extra/new &&
	check -b V.cbl --root root &&
	test $((rc & 16)) = 16 &&
	grep "not-compared /usr/share/extra/data .*package version not available" out &&
	grep "not-compared /usr/share/extra/new .*package version not available" out &&
	! grep "added /usr/share/extra/new" out &&
	"$CUSTOS" check --allow-unsigned --policy "$POL" -b V.cbl \
	    --root root >text || :
	grep "package .extra. version .0.9. .*not in the vendor baseline" text &&
	rm root/usr/share/extra/data &&
	check -b V.cbl --root root &&
	grep "not-compared /usr/share/extra/data .*package version not available" out &&
	! grep "removed" out &&
	rm root/var/lib/dpkg/status root/var/lib/dpkg/info/extra.list \
	    root/usr/share/extra/new &&
	echo data >root/usr/share/extra/data
'

test_expect_success $P 'diversions and statoverrides of the root explain' '
	mkdir -p root/var/lib/dpkg &&
	printf "/usr/bin/xls\n/usr/bin/xls.real\nwrapper\n" \
	    >root/var/lib/dpkg/diversions &&
	mv root/usr/bin/xls root/usr/bin/xls.real &&
	printf "#!/bin/sh\nexec xls.real \"\$@\"\n" >root/usr/bin/xls &&
	chmod 755 root/usr/bin/xls &&
	echo "root root 0700 /usr/bin/xother" >root/var/lib/dpkg/statoverride &&
	chmod 700 root/usr/bin/xother &&
	check -b V.cbl --root root &&
	! grep "removed" out &&
	! grep " /usr/bin/xls.real" out &&
	grep "^high added /usr/bin/xls .*ELF object or script" out &&
	grep "^low changed /usr/bin/xother .*set after install" out &&
	"$CUSTOS" check --allow-unsigned --policy "$POL" -b V.cbl \
	    --root root >text || :
	grep "diversion of the examined root.s dpkg (untrusted): ./usr/bin/xls. matched at ./usr/bin/xls.real. for 1 record" text &&
	grep "statoverride of the examined root.s dpkg (untrusted): ./usr/bin/xother." text &&
	rm root/var/lib/dpkg/statoverride &&
	check -b V.cbl --root root &&
	! grep "^low changed /usr/bin/xother" out &&
	chmod 755 root/usr/bin/xother &&
	mv root/usr/bin/xls.real root/usr/bin/xls &&
	rm root/var/lib/dpkg/diversions
'

test_expect_success $P 'owners are compared by name, through the root' '
	mkdir -p root/etc &&
	printf "root:x:0:0::/root:/bin/sh\n" >root/etc/passwd &&
	printf "root:x:0:\n" >root/etc/group &&
	check -b V.cbl --root root &&
	! grep "changed /usr/share/extra/data" out &&
	# the same id, but the root calls it another name
	printf "toor:x:0:0::/root:/bin/sh\n" >root/etc/passwd &&
	check -b V.cbl --root root &&
	grep "changed /usr/share/extra/data .*uid=[0-9]*(root)->0(toor)" out &&
	rm root/etc/passwd root/etc/group
'

test_expect_success $P,CAPS 'a capability no signed postinst sets: not explained' '
	setcap cap_net_raw+ep root/usr/bin/xother &&
	check -b V.cbl --root root &&
	grep "^critical changed /usr/bin/xother caps=" out &&
	! grep "set after install" out &&
	setcap -r root/usr/bin/xother
'

test_expect_success $P 'content only an unverified package ships: not vouched for' '
	cp -a t1 t3 &&
	cp /bin/sleep t3/bin/xls &&
	deb_pkg t3 tools 3.0 /etc/tools.conf &&
	mkdir unv &&
	mv pkgs/tools_3.0_all.deb unv/ &&
	"$CUSTOS" baseline -q --from-packages --apt-lists lists \
	    --keyring keyring.gpg --allow-unverified -o V3.cbl pkgs unv \
	    2>/dev/null &&
	grep -q "^#unverified=1$" V3.cbl &&
	cp -p root/usr/bin/xls xls.orig &&
	cp /bin/sleep root/usr/bin/xls &&
	check -b V3.cbl --root root &&
	test $((rc & 16)) = 16 &&
	grep "^medium not-compared /usr/bin/xls .*did not verify" out &&
	check -b V.cbl --root root &&
	grep "^critical changed /usr/bin/xls " out &&
	cp -p xls.orig root/usr/bin/xls
'

test_expect_success $P 'three-way: an upgrade is explained, a trojan is not' '
	"$CUSTOS" baseline -q -o H.cbl root &&
	mkdir up &&
	dpkg-deb -x pkgs/tools_2.0_all.deb up &&
	cp -p up/bin/xls root/usr/bin/xls &&
	cp -p up/usr/lib/tools/libtools.so.1 root/usr/lib/tools/ &&
	cp -p /bin/echo root/usr/bin/xother &&
	check -b H.cbl --vendor V.cbl root &&
	grep "^info changed /usr/bin/xls .*updated by a signed package" out &&
	grep "^info changed /usr/lib/tools/libtools.so.1 .*updated by" out &&
	grep -E "^(critical|high) changed /usr/bin/xother " out &&
	! grep "xother.*updated by" out &&
	"$CUSTOS" check --allow-unsigned --policy "$POL" -b H.cbl \
	    --vendor V.cbl root >text || :
	grep "updated by tools 2.0" text &&
	grep "^changes: .* unexplained, 2 explained by signed package" text &&
	"$CUSTOS" check --allow-unsigned --policy "$POL" -b H.cbl \
	    --vendor V.cbl -F json root >json || :
	grep "\"changes\":{\"unexplained\":[0-9]*,\"explained\":2}" json &&
	grep "\"detail\":\"updated by tools 2.0\"" json
'

test_expect_success $P '--vendor must be a baseline of packages' '
	test_expect_code 64 "$CUSTOS" check --allow-unsigned -b H.cbl \
	    --vendor H.cbl root 2>err &&
	grep "not a baseline made from packages" err
'

deb_done
test_done
