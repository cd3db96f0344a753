#!/bin/bash
# t1001: output is deterministic: identical across runs on an unchanged
# tree (apart from the creation time), in canonical order whatever the
# directory read order, and identical for any number of threads.
. "$(dirname "$0")/lib.sh"

"$FIXTURES/mktree.sh" "$TRASH/tree"

# Two trees with the same names created in opposite orders.
mk_names() {
	mkdir -p "$1"
	for n in $2; do
		case $n in
		*/) mkdir -p "$1/$n" ;;
		*) mkdir -p "$(dirname "$1/$n")"; echo "$n" >"$1/$n" ;;
		esac
	done
}
names="a/ a/b a-b a.b a0 aa b/ b/c/ b/c/d z A _ a/b2 a/z/ a/z/x"
rev=$(echo "$names" | tr ' ' '\n' | tac | tr '\n' ' ')

test_expect_success 'two runs on an unchanged tree differ only in the time' '
	"$CUSTOS" baseline -q -o one.cbl tree &&
	"$CUSTOS" baseline -q -o two.cbl tree &&
	strip_created one.cbl >one &&
	strip_created two.cbl >two &&
	test_cmp one two &&
	test "$(grep -c "^#created=" one.cbl)" = 1
'

test_expect_success 'canonical order, independent of creation and read order' '
	mk_names fwd "$names" &&
	mk_names rev "$rev" &&
	"$CUSTOS" baseline -q -o fwd.cbl fwd &&
	"$CUSTOS" baseline -q -o rev.cbl rev &&
	grep "^/" fwd.cbl | cut -d" " -f1 >fwd.paths &&
	grep "^/" rev.cbl | cut -d" " -f1 >rev.paths &&
	test_cmp fwd.paths rev.paths &&
	cat >expect <<-\EOT &&
	/
	/A
	/_
	/a
	/a/b
	/a/b2
	/a/z
	/a/z/x
	/a-b
	/a.b
	/a0
	/aa
	/b
	/b/c
	/b/c/d
	/z
	EOT
	test_cmp expect fwd.paths
'

test_expect_success 'identical output for -j 1, -j 2, -j 4 and -j 8' '
	for j in 1 2 4 8; do
		"$CUSTOS" baseline -q -j $j -o j$j.cbl tree &&
		strip_created j$j.cbl >j$j || exit 1
	done &&
	test_cmp j1 j2 && test_cmp j1 j4 && test_cmp j1 j8
'

test_expect_success 'identical output for any -j on a larger tree' '
	mkdir big &&
	for d in $(seq 1 20); do
		mkdir big/d$d &&
		for f in $(seq 1 100); do
			head -c $((f * 37)) /dev/urandom >big/d$d/f$f
		done
	done &&
	"$CUSTOS" baseline -q -j 1 -o b1.cbl big &&
	"$CUSTOS" baseline -q -j 8 -o b8.cbl big &&
	strip_created b1.cbl >b1 && strip_created b8.cbl >b8 &&
	test_cmp b1 b8 &&
	test "$(grep -c "^/" b1.cbl)" = 2021
'

test_expect_success 'a bad -j is a usage error' '
	test_expect_code 64 "$CUSTOS" baseline -j 0 -o x.cbl tree &&
	test_expect_code 64 "$CUSTOS" baseline -j many -o x.cbl tree
'

test_done
