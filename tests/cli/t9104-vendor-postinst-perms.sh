#!/bin/bash
# t9104: what a package's own postinst sets after install.  A package
# whose postinst gives /bin/xping a capability (setcap, as iputils-ping's
# does) and makes a helper setuid (as polkitd's set_perms does): with its
# postinst in the root's /var/lib/dpkg/info unchanged, both are "set
# after install" (low; medium for the setuid bit), naming the postinst,
# through the merged-/usr link (the postinst says /bin/xping, the tree
# has /usr/bin/xping).  The same attributes on a file no signed postinst
# names, or with the postinst changed, are not explained: a capability
# or a setuid bit added to a packaged program is a back door.
. "$(dirname "$0")/lib.sh"
. "$CS_SRCDIR/tests/cli/lib-deb.sh"

P=GPG,GPGV,DPKG-DEB,CAPS
POL="$CS_SRCDIR/etc/default.policy"

test_expect_success $P 'setup: a package whose postinst sets attributes' '
	deb_key &&
	mkdir -p t1/bin t1/usr/lib/tools t1/usr/bin &&
	cp /bin/true t1/bin/xping &&
	cp /bin/true t1/usr/lib/tools/helper &&
	cp /bin/true t1/usr/bin/xother &&
	chmod 755 t1/bin/xping t1/usr/lib/tools/helper t1/usr/bin/xother &&
	mkdir -p t1/DEBIAN &&
	cat >t1/DEBIAN/postinst <<-\EOF &&
	#!/bin/sh
	set -e
	if [ "$1" = configure ]; then
		setcap cap_net_raw+ep /bin/xping
		chmod 4755 /usr/lib/tools/helper
	fi
	EOF
	chmod 755 t1/DEBIAN/postinst &&
	chmod -R go-w t1 &&
	deb_pkg t1 tools 1.0 &&
	deb_lists &&
	"$CUSTOS" baseline -q --from-packages --apt-lists lists \
	    --keyring keyring.gpg -o V.cbl pkgs &&
	grep -q "^/var/lib/dpkg/info/tools.postinst type=file " V.cbl &&
	mkdir -p root/usr &&
	dpkg-deb -x pkgs/tools_1.0_all.deb root &&
	cp -a root/bin root/usr/ && rm -rf root/bin && ln -s usr/bin root/bin &&
	deb_info root pkgs/tools_1.0_all.deb &&
	check -b V.cbl --root root &&
	! grep -E "^(critical|high|medium) " out
'

test_expect_success $P 'what the signed postinst sets: set after install' '
	setcap cap_net_raw+ep root/usr/bin/xping &&
	chmod 4755 root/usr/lib/tools/helper &&
	check -b V.cbl --root root &&
	grep "^low changed /usr/bin/xping caps=(none)->cap_net_raw=ep .*set after install.*set by the postinst of tools, whose content is that of the signed package" out &&
	grep "^medium changed /usr/lib/tools/helper mode=0755->4755 .*set after install.*set by the postinst of tools" out &&
	! grep -E "^(critical|high) " out
'

test_expect_success $P 'the same on a file the postinst does not name' '
	setcap cap_net_raw+ep root/usr/bin/xother &&
	check -b V.cbl --root root &&
	grep "^critical changed /usr/bin/xother caps=" out &&
	! grep "^[a-z]* changed /usr/bin/xother .*set after install" out &&
	setcap -r root/usr/bin/xother &&
	chmod 4755 root/usr/bin/xother &&
	check -b V.cbl --root root &&
	grep "^critical changed /usr/bin/xother mode=0755->4755 " out &&
	chmod 755 root/usr/bin/xother
'

test_expect_success $P 'a changed postinst explains nothing' '
	cp -p root/var/lib/dpkg/info/tools.postinst postinst.orig &&
	echo "setcap cap_setuid+ep /usr/bin/xother" \
	    >>root/var/lib/dpkg/info/tools.postinst &&
	check -b V.cbl --root root &&
	grep "^critical changed /var/lib/dpkg/info/tools.postinst " out &&
	grep "^critical changed /usr/bin/xping caps=" out &&
	! grep "set by the postinst" out &&
	cp -p postinst.orig root/var/lib/dpkg/info/tools.postinst &&
	rm root/var/lib/dpkg/info/tools.postinst &&
	check -b V.cbl --root root &&
	grep "^[a-z]* removed /var/lib/dpkg/info/tools.postinst" out &&
	! grep "set by the postinst" out
'

deb_done
test_done
