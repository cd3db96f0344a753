#!/bin/bash
# t2017: a filesystem mounted over a directory of the tree is a finding
# of its own, not removed files.  The walk stays on one filesystem, so
# what lies below a mount point is hidden from it: the directory is
# "not compared" (mount point: another filesystem mounted here; not
# entered), with the number of baseline objects it hides, at medium
# (T1564), and the exit status says something could not be examined.
# A mount point that was there when the baseline was taken, over
# nothing the baseline has, is not reported.
. "$(dirname "$0")/lib.sh"

mkdir -p tree/srv/data tree/etc || exit 99
echo a >tree/srv/data/a
echo b >tree/srv/data/b
echo c >tree/etc/c

unmount() {
	umount "$TRASH/tree/srv/data" 2>/dev/null
	umount "$TRASH/tree/srv/data" 2>/dev/null
	:
}
trap unmount EXIT

test_expect_success ROOT 'a mount over a directory of the baseline' '
	custos baseline -q -o B.cbl tree &&
	mount -t tmpfs custos-test "$TRASH/tree/srv/data" &&
	echo x >tree/srv/data/x &&
	test_expect_code 16 custos check -b B.cbl --allow-unsigned \
	    -F line tree >out &&
	cat out &&
	grep "^medium not-compared /srv/data .*mount point: another filesystem mounted here; not entered" out &&
	grep "2 objects of the baseline below it not compared" out &&
	grep "T1564" out &&
	! grep "removed" out &&
	! grep "/srv/data/x" out
'

test_expect_success ROOT 'the same mount at the baseline: nothing to say' '
	custos baseline -q -o B2.cbl tree &&
	custos check -b B2.cbl --allow-unsigned tree >out2 &&
	grep "^No differences" out2
'

test_expect_success ROOT 'the JSON report says it too' '
	test_expect_code 16 custos check -b B.cbl --allow-unsigned \
	    -F json tree >out.json &&
	grep "\"kind\":\"not-compared\"" out.json | grep "/srv/data" |
	    grep "mount point"
'

unmount
test_done
