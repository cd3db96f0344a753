#!/bin/bash
# t1010: owner and group names come from the examined tree's own account
# files (etc/passwd and etc/group of the nearest directory at or above the
# walked root that has both), never from the machine custos runs on: a
# check of a mounted system names its users.  The files are hostile
# input: malformed lines are skipped, the first line for an id wins, a
# link in their place is not followed.
. "$(dirname "$0")/lib.sh"

mkdir -p sys/etc sys/srv/www sys/home || exit 99
{
	printf 'root:x:0:0:root:/root:/bin/sh\n'
	printf 'websvc:x:4242:4343:web:/srv/www:/bin/sh\n'
	printf 'dup:x:4242:4343::/:/bin/sh\n'
	printf 'broken:x:4x4:1::/:/bin/sh\n'
	printf 'toolong:x:99999999999:1::/:/bin/sh\n'
	printf ':x:4244:1::/:/bin/sh\n'
	printf 'nocolon\n'
	printf 'caf\351:x:4245:1::/:/bin/sh\n'
} >sys/etc/passwd
printf 'root:x:0:\nwebgrp:x:4343:websvc\n' >sys/etc/group
echo page >sys/srv/www/index.html
echo other >sys/srv/www/latin

test_expect_success ROOT 'names of the tree, not of this machine' '
	chown 4242:4343 sys/srv/www/index.html &&
	chown 4245:4343 sys/srv/www/latin &&
	custos baseline -q -o B.cbl sys &&
	grep "^/srv/www/index.html .* uid=4242 gid=4343 user=websvc group=webgrp " B.cbl &&
	grep "^/srv/www/latin .* uid=4245 gid=4343 user=caf\\\\xe9 group=webgrp " B.cbl
'

test_expect_success ROOT 'a part of the tree uses the names of its system root' '
	custos baseline -q -o P.cbl sys/srv &&
	grep "^/www/index.html .* user=websvc group=webgrp " P.cbl
'

test_expect_success ROOT 'a link in place of etc/passwd is not followed' '
	mv sys/etc/passwd sys/etc/passwd.real &&
	ln -s /etc/passwd sys/etc/passwd &&
	chown 0:0 sys/srv/www/latin &&
	custos baseline -q -o L.cbl sys &&
	grep "^/srv/www/index.html .* uid=4242 gid=4343 group=webgrp " L.cbl &&
	! grep "^/srv/www/latin .* user=" L.cbl &&
	rm sys/etc/passwd && mv sys/etc/passwd.real sys/etc/passwd
'

test_expect_success ROOT 'check reports with the tree s names' '
	chown 4242:4343 sys/srv/www/latin &&
	{ custos check -b B.cbl --allow-unsigned sys >r; test $? -le 7; } &&
	grep "uid: 4245(caf\\\\xe9) -> 4242(websvc)" r
'

test_done
