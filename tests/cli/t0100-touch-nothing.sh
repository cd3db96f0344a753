#!/bin/bash
# t0100: custos changes nothing in the tree it examines.  Every object's
# access time is set older than its modification time (so that relatime,
# the default mount option, would update it on any read), then baseline,
# check and snapshot run over the tree; afterwards every access time
# (symbolic links' excepted: reading a link's target sets it, and Linux
# has no way around that), modification time, change time and block
# count is what it was.  Sparse files keep their holes.
. "$(dirname "$0")/lib.sh"

# ATIME: reading a file here updates its access time (not noatime).
: >probe && touch -a -d @1000000000 probe && cat probe >/dev/null &&
if [ "$(stat -c %X probe)" != 1000000000 ]; then
	cs_prereq_cache="$cs_prereq_cache ATIME=1 "
else
	cs_prereq_cache="$cs_prereq_cache ATIME=0 "
fi

"$FIXTURES/mktree.sh" "$TRASH/tree" >/dev/null || exit 99
(
	cd tree &&
	mkdir -p var/log &&
	printf 'root:x:0:0::/root:/bin/sh\n' >etc/passwd &&
	printf 'line 1\n' >var/log/syslog &&
	printf 'old\n' | gzip >var/log/syslog.1.gz &&
	truncate -s 64M srv/data/holes &&
	printf data | dd of=srv/data/holes bs=1 seek=1000000 conv=notrunc \
	    2>/dev/null &&
	find . -exec touch -h -m -d @1700000000 {} +
) || exit 99
# The list of objects is taken once: listing a directory sets its access
# time, so the times are set after it, and are read with stat(1) alone.
find tree -print0 >list || exit 99
xargs -0 touch -a -d @1600000000 <list 2>/dev/null
xargs -0 -r sh -c 'for f; do [ -L "$f" ] || continue; printf "%s\0" "$f"; done' \
    sh <list >links

# state: every object's times and blocks (symbolic links: no atime).
state() {
	xargs -0 stat -c '%n %F %Y %Z %b %X' <list |
	    awk '$2 == "symbolic" { $NF = "-" } { print }'
}

test_expect_success ATIME 'the times are set as the test needs' '
	state >before &&
	grep -q "^tree directory 1700000000 [0-9]* [0-9]* 1600000000\$" before &&
	grep -q "^tree/etc/passwd regular file 1700000000 [0-9]* [0-9]* 1600000000\$" before
'

test_expect_success ATIME 'baseline, check and snapshot touch nothing' '
	custos baseline -q --policy "$CS_SRCDIR/etc/default.policy" \
	    -o B.cbl tree &&
	custos check -q -b B.cbl --allow-unsigned \
	    --policy "$CS_SRCDIR/etc/default.policy" tree >report &&
	custos snapshot -q --case C --label L --operator O -o ev.tar tree &&
	custos check -q -b B.cbl --allow-unsigned \
	    --policy "$CS_SRCDIR/etc/default.policy" ev.tar >report2 &&
	state >after &&
	test_cmp before after
'

# rotate: a log appended to, then rotated (the check reads the rotated
# copies, compressed too, to explain the change).
test_expect_success ATIME 'a check that reads logs and their rotations touches nothing' '
	(
		cd tree/var/log &&
		printf "line 2\n" >>syslog &&
		mv syslog.1.gz syslog.2.gz &&
		mv syslog syslog.1 &&
		printf "line 3\n" >syslog
	) &&
	find tree -print0 >list &&
	xargs -0 touch -a -d @1600000000 <list 2>/dev/null &&
	state >before2 &&
	{ custos check -q -b B.cbl --allow-unsigned \
	    --policy "$CS_SRCDIR/etc/default.policy" tree >report3; rc=$?; } &&
	test $rc -le 7 &&
	grep -i "rotat" report3 &&
	state >after2 &&
	test_cmp before2 after2
'

test_done
