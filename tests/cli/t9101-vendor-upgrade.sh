#!/bin/bash
# t9101: three-way checks across a real dpkg upgrade.  Version 1 of a
# package "tools" (and a package "extra") is installed into a root with
# dpkg itself (--root, never this machine's own dpkg database, which the
# test checks is left alone), a host baseline of the root is taken, and
# dpkg upgrades it to version 2: a program and a library change, a file
# is added, a file version 1 shipped is dropped, a program's mode
# changes, a conffile the vendor changed is replaced and one it did not
# is kept.  Checked three-way
# against the vendor baseline of the signed packages, every change of the
# upgrade is "updated by tools 2.0" at info, the mode too (the vendor
# baseline keeps each version's mode): the removed file (version 2
# no longer ships it) and dpkg's own database that the upgrade rewrote
# too; a trojan planted in the same run stays critical, and the summary
# counts explained and unexplained changes apart.  A downgrade to
# version 1, and an install of a version 3 the vendor baseline lacks,
# are not explained.
. "$(dirname "$0")/lib.sh"
. "$CS_SRCDIR/tests/cli/lib-deb.sh"

P=ROOT,GPG,GPGV,DPKG,DPKG-DEB,DPKG-QUERY
POL="$CS_SRCDIR/etc/default.policy"

# dpkg_root ARGS...: dpkg on the test's root only: its own database and
# log; no path filter of this machine's dpkg.cfg.d applies.
dpkg_root() {
	dpkg --root="$TRASH/root" --force-not-root --force-bad-path \
	    --log="$TRASH/root/var/log/dpkg.log" --path-include='*' "$@"
}

# hoststate: what this machine's dpkg database looks like.
hoststate() {
	for f in /var/lib/dpkg/status /var/lib/dpkg/diversions \
	    /var/lib/dpkg/statoverride /var/log/dpkg.log; do
		test -e "$f" || continue
		stat -c "%n %s %Y %i" "$f" && sha256sum "$f" || return 1
	done
	ls -la --time-style=+%s /var/lib/dpkg /var/lib/dpkg/info |
	    grep -v "lock"
}

# pkgtree DIR TEXT: a version of tools' files, its program printing TEXT.
pkgtree() {
	mkdir -p "$1"/bin "$1"/usr/lib/tools "$1"/usr/share/doc/tools \
	    "$1"/etc/tools &&
	printf "#!/bin/sh\necho %s\n" "$2" >"$1"/bin/xt &&
	printf "#!/bin/sh\necho helper\n" >"$1"/usr/lib/tools/helper &&
	echo "readme" >"$1"/usr/share/doc/tools/README &&
	echo "keep=yes" >"$1"/etc/tools/keep.conf &&
	chmod 755 "$1"/bin/xt "$1"/usr/lib/tools/helper
}

# explained PATH...: each is "updated by tools 2.0" at info in out.
explained() {
	for p in "$@"; do
		grep -E "^info (changed|added|removed) $p .*updated by tools 2.0" \
		    out || { echo "not explained: $p"; return 1; }
	done
}

test_expect_success $P 'setup: versions 1, 2 (signed) and 3 (not) of tools' '
	hoststate >host.before &&
	deb_key &&
	pkgtree t1 one &&
	cp /bin/true t1/usr/lib/tools/libtools.so.1 &&
	echo "colour=yes" >t1/etc/tools.conf &&
	echo "old notes" >t1/usr/share/doc/tools/OLD &&
	chmod -R go-w t1 &&
	pkgtree t2 two &&
	cp /bin/false t2/usr/lib/tools/libtools.so.1 &&
	chmod 700 t2/usr/lib/tools/helper &&
	echo "colour=auto" >t2/etc/tools.conf &&
	mkdir -p t2/usr/share/tools && echo new >t2/usr/share/tools/new &&
	chmod -R go-w t2 &&
	cp -a t2 t3 && pkgtree t3 three &&
	deb_pkg t1 tools 1.0 /etc/tools.conf /etc/tools/keep.conf &&
	deb_pkg t2 tools 2.0 /etc/tools.conf /etc/tools/keep.conf &&
	mkdir -p e1/usr/bin && cp /bin/true e1/usr/bin/xextra &&
	chmod -R go-w e1 &&
	deb_pkg e1 extra 1.0 &&
	deb_lists &&
	deb_pkg t3 tools 3.0 /etc/tools.conf /etc/tools/keep.conf &&
	mkdir unsigned && mv pkgs/tools_3.0_all.deb unsigned/ &&
	"$CUSTOS" baseline -q --from-packages --apt-lists lists \
	    --keyring keyring.gpg -o V.cbl pkgs 2>/dev/null &&
	grep -q "^/usr/share/doc/tools/OLD .* pkg=tools ver=1.0 " V.cbl &&
	grep -q "^/usr/lib/tools/helper .*mode=0755 .*alt=tools,2.0,all,[0-9]*,[0-9a-f]*,0700\$" \
	    V.cbl &&
	! grep "ver=3.0" V.cbl
'

test_expect_success $P 'dpkg installs version 1 into a merged-/usr root' '
	mkdir -p root/usr/bin root/var/lib/dpkg/info root/var/lib/dpkg/updates \
	    root/var/log &&
	ln -s usr/bin root/bin &&
	: >root/var/lib/dpkg/status &&
	dpkg_root -i pkgs/tools_1.0_all.deb pkgs/extra_1.0_all.deb >dpkg.out &&
	test -h root/bin && test -f root/usr/bin/xt &&
	test -f root/usr/share/doc/tools/OLD &&
	test "$(dpkg-query --admindir=root/var/lib/dpkg -W -f "\${Version}" \
	    tools)" = 1.0 &&
	"$CUSTOS" baseline -q -o H.cbl root &&
	check -b H.cbl --vendor V.cbl root &&
	test "$rc" = 0
'

test_expect_success $P 'dpkg upgrades to version 2' '
	dpkg_root -i pkgs/tools_2.0_all.deb >dpkg.out &&
	test "$(dpkg-query --admindir=root/var/lib/dpkg -W -f "\${Version}" \
	    tools)" = 2.0 &&
	! test -e root/usr/share/doc/tools/OLD &&
	grep "echo two" root/usr/bin/xt &&
	test "$(stat -c %a root/usr/lib/tools/helper)" = 700 &&
	test -f root/usr/share/tools/new &&
	grep "colour=auto" root/etc/tools.conf &&
	grep "keep=yes" root/etc/tools/keep.conf
'

test_expect_success $P 'three-way: every change of the upgrade is explained, a trojan is not' '
	cp -p root/usr/bin/xextra xextra.orig &&
	cp /bin/echo root/usr/bin/xextra &&
	touch -r xextra.orig root/usr/bin/xextra &&
	check -b H.cbl --vendor V.cbl root &&
	test $((rc & 4)) = 4 &&
	grep "^critical changed /usr/bin/xextra .*differs from every version" \
	    out &&
	grep "^critical changed /usr/bin/xextra .*shipped by extra 1.0" out &&
	explained /usr/bin/xt /usr/lib/tools/libtools.so.1 /etc/tools.conf \
	    /usr/lib/tools/helper \
	    /usr/share/tools /usr/share/tools/new /var/lib/dpkg/status \
	    /var/lib/dpkg/info/tools.list /var/lib/dpkg/info/tools.md5sums &&
	grep "^info removed /usr/share/doc/tools/OLD .*no longer ships it" out &&
	explained /usr/share/doc/tools/OLD &&
	! grep "keep.conf" out &&
	# nothing else is above info
	! grep -v " /usr/bin/xextra " out | grep -v "^info " &&
	"$CUSTOS" check --allow-unsigned --policy "$POL" -b H.cbl \
	    --vendor V.cbl root >text || :
	n=$(grep -c "updated by tools 2.0" out) &&
	t=$(wc -l <out) &&
	grep "^changes: *$((t - n)) unexplained, $n explained by signed package" \
	    text &&
	"$CUSTOS" check --allow-unsigned --policy "$POL" -b H.cbl \
	    --vendor V.cbl -F json root >json || :
	grep "\"changes\":{\"unexplained\":$((t - n)),\"explained\":$n}" json &&
	cp -p xextra.orig root/usr/bin/xextra
'

test_expect_success $P 'against the packages alone: a version ships each mode' '
	check -b V.cbl --root root &&
	! grep " /usr/lib/tools/helper " out &&
	! grep -E "^[a-z]+ changed /usr/" out &&
	# no dpkg status: the version with the same content and mode
	mkdir bare &&
	dpkg-deb -x pkgs/tools_2.0_all.deb bare &&
	check -b V.cbl --root bare &&
	! grep -E "^[a-z]+ changed " out &&
	! grep " /usr/lib/tools/helper " out
'

test_expect_success $P 'a downgrade to a signed older version is not explained' '
	"$CUSTOS" baseline -q -o H2.cbl root &&
	dpkg_root -i pkgs/tools_1.0_all.deb >dpkg.out 2>&1 &&
	grep "echo one" root/usr/bin/xt &&
	check -b H2.cbl --vendor V.cbl root &&
	grep "changed /usr/bin/xt .*a downgrade, not explained" out &&
	grep "changed /usr/bin/xt .*downgraded to tools 1.0 from tools 2.0" \
	    out &&
	grep "removed /usr/share/tools/new .*a downgrade, not explained" out &&
	! grep "^info [a-z]* /usr/bin/xt " out &&
	! grep "^info [a-z]* /usr/share/tools/new " out &&
	! grep "^info [a-z]* /usr/lib/tools/libtools.so.1 " out &&
	! grep "^info [a-z]* /etc/tools.conf " out &&
	# what version 1 ships again is not an upgrade in a downgrade
	grep "added /usr/share/doc/tools/OLD .*went to an older or an unknown version" out &&
	! grep "updated by" out &&
	! grep "^info [a-z]* /var/lib/dpkg/status " out
'

test_expect_success $P 'a version the vendor baseline lacks is not explained' '
	"$CUSTOS" baseline -q -o H3.cbl root &&
	dpkg_root -i unsigned/tools_3.0_all.deb >dpkg.out 2>&1 &&
	grep "echo three" root/usr/bin/xt &&
	check -b H3.cbl --vendor V.cbl root &&
	! grep "updated by" out &&
	! grep "^info [a-z]* /usr/bin/xt " out &&
	grep "changed /usr/lib/tools/libtools.so.1 .*not the version the examined root.s dpkg says is installed" out &&
	grep "removed /usr/share/doc/tools/OLD " out &&
	! grep "^info [a-z]* /usr/share/doc/tools/OLD " out &&
	! grep "^info [a-z]* /var/lib/dpkg/status " out
'

test_expect_success $P 'this machine.s dpkg database was not written' '
	hoststate >host.after &&
	test_cmp host.before host.after
'

deb_done
test_done
