#!/bin/bash
# t2090: memory stays flat: checking a baseline of many records peaks at
# a bounded RSS.  The full measurement (1 million empty files, under
# 100 MiB) runs with CS_BENCH=1; by default a smaller tree keeps "make
# check" fast and still fails if memory grows with the tree.
. "$(dirname "$0")/lib.sh"

N=${CS_CHECK_MEM_FILES:-20000}
[ "${CS_BENCH:-}" = 1 ] && N=1000000
LIMIT_KIB=$((100 * 1024))
# AddressSanitizer's shadow memory says nothing about custos's own use.
if ldd "$CUSTOS" 2>/dev/null | grep -q libasan; then
	say "sanitizer build: the RSS bound is not checked"
	LIMIT_KIB=$((4096 * 1024))
fi

test_expect_success 'build a tree of many empty files and its baseline' '
	mkdir tree &&
	python3 -c "
import os, sys
n = int(sys.argv[1])
for d in range((n + 999) // 1000):
    p = os.path.join(\"tree\", \"d%04d\" % d)
    os.mkdir(p)
    for i in range(min(1000, n - d * 1000)):
        open(os.path.join(p, \"f%04d\" % i), \"w\").close()
" "$N" &&
	"$CUSTOS" baseline -q -o base.cbl tree &&
	test "$(grep -c "^/" base.cbl)" -gt "$N"
'

test_expect_success '/usr/bin/time' 'check peaks under 100 MiB RSS' '
	/usr/bin/time -f "%M" -o rss "$CUSTOS" check -q --allow-unsigned \
	    -b base.cbl >out &&
	test_grep "^No differences.$" out &&
	echo "files: $N, peak RSS: $(cat rss) KiB" &&
	test "$(cat rss)" -lt "$LIMIT_KIB"
'

test_done
