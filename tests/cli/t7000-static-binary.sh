#!/bin/bash
# t7000: the static binary for trusted media (--enable-static-binary) runs
# alone: copied into an empty directory with a tree to examine, it makes a
# key, a signed baseline and a check under chroot, with no /proc, /dev,
# /etc, shared library or environment.  Names come from the examined
# tree's own etc/passwd and etc/group; without /proc the extended
# attributes and ACLs of symlinks and FIFOs are read by name, and default
# ACLs from their attribute, the same as with it; an openssl.cnf found where the
# machine keeps it is not read.  Needs a static build (STATIC) and root
# for chroot and chown (ROOT).
. "$(dirname "$0")/lib.sh"

# in_jail CMD...: run the jail's custos, with an empty environment.
in_jail() {
	env -i "$(command -v chroot)" jail /custos "$@"
}

mkdir -p jail/sys/etc jail/sys/srv/www || exit 99
{
	printf 'root:x:0:0:root:/root:/bin/sh\n'
	printf 'websvc:x:4242:4343:web:/srv/www:/bin/sh\n'
} >jail/sys/etc/passwd
printf 'root:x:0:\nwebgrp:x:4343:websvc\n' >jail/sys/etc/group
echo page >jail/sys/srv/www/index.html
echo conf >jail/sys/srv/www/site.conf

test_expect_success STATIC,ROOT 'the binary alone runs in an empty root' '
	cp "$CUSTOS" jail/custos &&
	test "$(find jail -maxdepth 1 | sort | tr "\n" " ")" = "jail jail/custos jail/sys " &&
	in_jail --version >v &&
	test_grep "^custos .*OpenSSL" v
'

test_expect_success STATIC,ROOT 'keygen without /dev: the kernel gives the randomness' '
	in_jail keygen -o /k --no-passphrase >out &&
	test -s jail/k.key && test -s jail/k.pub &&
	test_grep "^key id:" out
'

test_expect_success STATIC,ROOT 'keygen asking for a passphrase says there is no terminal' '
	test_expect_code 64 in_jail keygen -o /k2 </dev/null 2>err &&
	test_grep "no terminal" err &&
	test ! -e jail/k2.key
'

test_expect_success STATIC,ROOT 'baseline in the chroot names the tree s users' '
	chown 4242:4343 jail/sys/srv/www/index.html &&
	in_jail baseline -q -k /k.key -o /b.cbl /sys &&
	grep "^/srv/www/index.html .* uid=4242 gid=4343 user=websvc group=webgrp " jail/b.cbl &&
	grep "^/etc/passwd .* user=root group=root " jail/b.cbl &&
	! grep "error=" jail/b.cbl
'

test_expect_success STATIC,ROOT 'check in the chroot: clean, then the change with names' '
	in_jail check -q -b /b.cbl -p /k.pub /sys >clean &&
	test_grep "^result: *0 added, 0 removed, 0 changed" clean &&
	chown 0:0 jail/sys/srv/www/index.html &&
	echo more >>jail/sys/srv/www/site.conf &&
	test_expect_code 4 in_jail check -q -b /b.cbl -p /k.pub /sys >r &&
	test_grep "uid: 4242(websvc) -> 0(root)" r &&
	test_grep "changed *file /srv/www/site.conf" r
'

test_expect_success STATIC,ROOT 'nothing but the outputs was created in the root' '
	test "$(find jail -maxdepth 1 | sort | tr "\n" " ")" = "jail jail/b.cbl jail/custos jail/k.key jail/k.pub jail/sys "
'

# fields NAME CBL: the record of NAME without its times and inode number.
fields() {
	grep "^$1 " "$2" | sed -e 's/ \(mtime\|ctime\|btime\|ino\)=[^ ]*//g'
}

test_expect_success STATIC,ROOT,ACL 'without /proc, symlinks and FIFOs are read by name' '
	ln -s index.html jail/sys/srv/www/link &&
	ln -s index.html jail/sys/srv/www/marked &&
	setfattr -h -n trusted.custos -v mark jail/sys/srv/www/marked &&
	mkfifo jail/sys/srv/www/fifo &&
	setfacl -m u:4242:r jail/sys/srv/www/fifo &&
	mkdir jail/sys/srv/www/dd &&
	setfacl -d -m u:4242:rx jail/sys/srv/www/dd &&
	in_jail baseline -q -k /k.key -o /l.cbl /sys 2>err &&
	test_must_fail test -s err &&
	! grep "error=" jail/l.cbl &&
	grep "^/srv/www/link type=link .* target=index.html$" jail/l.cbl &&
	grep "^/srv/www/marked type=link .* target=index.html xattr.trusted.custos=mark$" jail/l.cbl &&
	grep "^/srv/www/fifo type=fifo .* acl=user::rw-,user:4242:r--,group::r--,mask::r--,other::r--$" jail/l.cbl &&
	grep "^/srv/www/dd type=dir .* dacl=user::rwx,user:4242:r-x,group::r-x,mask::r-x,other::r-x " jail/l.cbl &&
	"$CUSTOS" baseline -q -o l.cbl jail/sys &&
	for f in link marked fifo dd; do
		test "$(fields /srv/www/$f jail/l.cbl)" = \
		    "$(fields /srv/www/$f l.cbl)" || return 1
	done &&
	rm -r jail/sys/srv/www/link jail/sys/srv/www/marked \
	    jail/sys/srv/www/fifo jail/sys/srv/www/dd
'

test_expect_success STATIC,ROOT 'an openssl.cnf in the root is not read' '
	mkdir -p jail/usr/lib/ssl &&
	{
		printf "openssl_conf = openssl_init\n[openssl_init]\n"
		printf "alg_section = evp_properties\n[evp_properties]\n"
		printf "default_properties = fips=yes\n"
	} >jail/usr/lib/ssl/openssl.cnf &&
	env -i OPENSSL_CONF=/usr/lib/ssl/openssl.cnf \
	    "$(command -v chroot)" jail /custos keygen -o /k3 --no-passphrase &&
	env -i OPENSSL_CONF=/usr/lib/ssl/openssl.cnf \
	    "$(command -v chroot)" jail /custos baseline -q -k /k3.key \
	    -o /c.cbl /sys
'

test_done
