#!/bin/bash
# t3003: an evidence tar as the source of "custos check": against the
# tree's baseline it reports no differences; after the tree was changed
# before the snapshot, exactly those changes, as a check of the live tree
# reports them.
. "$(dirname "$0")/lib.sh"

"$FIXTURES/mktree.sh" "$TRASH/tree"
"$CUSTOS" baseline -q -o base.cbl tree || exit 99
"$CUSTOS" snapshot -q --case C --label L --operator O -o ev.tar tree ||
    exit 99

# CHECKTAR: "custos check" exists and takes an evidence tar as SOURCE.
if "$CUSTOS" help check >/dev/null 2>&1 &&
    "$CUSTOS" check -b base.cbl --allow-unsigned ev.tar >/dev/null 2>&1; then
	cs_prereq_cache="$cs_prereq_cache CHECKTAR=1 "
else
	cs_prereq_cache="$cs_prereq_cache CHECKTAR=0 "
fi

test_expect_success CHECKTAR 'the unchanged tree: no differences (0)' '
	"$CUSTOS" check -b base.cbl --allow-unsigned ev.tar >out &&
	test_grep "^source: *tar ev.tar" out &&
	test_grep "^result: *0 added, 0 removed, 0 changed" out &&
	test_grep "^No differences." out
'

test_expect_success CHECKTAR 'a changed tree: exactly the changes, as live' '
	echo "evil:x:0:0" >>tree/etc/passwd &&
	chmod 4755 tree/bin/hello &&
	echo new >tree/srv/new &&
	rm tree/home/alice/.ssh/authorized_keys &&
	"$CUSTOS" snapshot -q --case C --label L --operator O -o ev2.tar tree &&
	test_expect_code 7 "$CUSTOS" check -b base.cbl --allow-unsigned \
	    ev2.tar >tar.out &&
	test_expect_code 7 "$CUSTOS" check -b base.cbl --allow-unsigned \
	    tree >live.out &&
	grep -v -e "^source:" -e "re-rooted" -e "^examined:" \
	    -e "signatures NOT verified" tar.out >a &&
	grep -v -e "^source:" -e "re-rooted" -e "^examined:" live.out >b &&
	test_cmp b a &&
	grep "^\(critical\|high\|medium\|low\|info\) *\(added\|removed\|changed\) " \
	    tar.out |
	    sed "s/.* //" | sort >paths &&
	printf "%s\n" /bin/hello /bin/hello-hardlink /etc/passwd \
	    /home/alice/.ssh /home/alice/.ssh/authorized_keys /srv \
	    /srv/new | sort >want &&
	test_cmp want paths
'

test_done
