#!/bin/bash
# t6000: custos export of the hostile tree, from the directory, from a
# baseline and from an evidence tar: NetBSD mtree checks the tree with the
# specification and catches one changed byte behind a restored mtime,
# mactime lists every path of the body file, the JSON Lines parse with one
# object per record; a tar that does not verify gives no output.
. "$(dirname "$0")/lib.sh"

"$FIXTURES/mktree.sh" "$TRASH/tree"
# More names mtree and mactime read specially: a tab, a comment sign,
# glob characters, a pipe and a percent sign.
( cd tree && printf 't\n' >"$(printf 'ta\tb')" && printf 'h\n' >'hash#x' &&
    printf 'g\n' >'glob*?[x]' && printf 'p\n' >'pipe|50%' ) || exit 99
KEY="$FIXTURES/keys/test.key"
PUB="$FIXTURES/keys/test.pub"
POLICY="$CS_SRCDIR/etc/default.policy"
records=$(find tree -printf x | wc -c)

test_expect_success 'setup: a baseline and an evidence tar of the tree' '
	"$CUSTOS" baseline -q --policy "$POLICY" --key "$KEY" -o b.cbl tree &&
	"$CUSTOS" snapshot -q --case C-1 --label L --operator op \
	    --key "$KEY" -o ev.tar tree >/dev/null
'

test_expect_success 'mtree: directory and baseline give the same lines' '
	"$CUSTOS" export -q --format mtree -o dir.mtree tree &&
	"$CUSTOS" export -q --format mtree --pubkey "$PUB" -o bl.mtree b.cbl &&
	test_cmp dir.mtree bl.mtree &&
	test "$(head -n 1 dir.mtree)" = "#mtree v2.0" &&
	test "$(grep -c -v "^#" dir.mtree)" = "$records"
'

test_expect_success 'mtree: the evidence tar gives them too' '
	"$CUSTOS" export -q --format mtree --pubkey "$PUB" -o ev.mtree ev.tar &&
	test_cmp dir.mtree ev.mtree
'

test_expect_success 'mtree: hostile names are octal escapes' '
	test_grep "^\./srv/new\\\\012line type=file " dir.mtree &&
	test_grep "^\./srv/with\\\\040space type=file " dir.mtree &&
	test_grep "^\./srv/back\\\\134slash type=file " dir.mtree &&
	test_grep "^\./srv/caf\\\\351 type=file " dir.mtree &&
	test_grep "^\./ta\\\\011b type=file " dir.mtree &&
	test_grep "^\./hash\\\\043x type=file " dir.mtree &&
	test_grep "^\./glob\\\\052\\\\077\\\\133x\\\\135 type=file " dir.mtree &&
	test_grep "^\./srv/link-to-hello type=link .* link=\.\./bin/hello" \
	    dir.mtree &&
	test_grep "^\./srv/fifo type=fifo " dir.mtree &&
	test_grep "^\./bin/hello-hardlink .* nlink=2 " dir.mtree
'

test_expect_success MTREE 'mtree -f passes on the unchanged tree, each source' '
	mtree -f dir.mtree -p tree &&
	mtree -f bl.mtree -p tree &&
	mtree -f ev.mtree -p tree
'

test_expect_success MACTIME 'mactime lists every path of the body file' '
	"$CUSTOS" export -q --format bodyfile -o body tree &&
	test "$(wc -l <body)" = "$records" &&
	mactime -b body -d >timeline &&
	sed 1d timeline | cut -d, -f8- | sort -u >names &&
	test "$(wc -l <names)" = "$records" &&
	test_grep -x "\"/srv/new\\\\x0aline\"" names &&
	test_grep -x "\"/srv/with space\"" names &&
	test_grep -x "\"/srv/back\\\\slash\"" names &&
	test_grep -x "\"/ta\\\\x09b\"" names &&
	test_grep -x "\"/pipe|50%\"" names &&
	test_grep -x "\"/hash#x\"" names &&
	test_grep -x "\"/srv/link-to-hello -> ../bin/hello\"" names
'

test_expect_success 'bodyfile: the fields, escapes and the digest column' '
	test_grep "^0|/srv/new\\\\x0aline|[0-9]*|r/rrw-r--r--|0|0|8|0|" body &&
	test_grep "^0|/pipe%7C50%25|" body &&
	test_grep "^0|/srv/back%5Cslash|" body &&
	test_grep "^0|/srv/fifo|[0-9]*|p/prw-r--r--|" body &&
	test_grep "^0|/bin/su-like|[0-9]*|r/rrwsr-xr-x|" body &&
	i1=$(grep "^0|/bin/hello|" body | cut -d"|" -f3) &&
	i2=$(grep "^0|/bin/hello-hardlink|" body | cut -d"|" -f3) &&
	test "$i1" = "$i2" && test "$i1" != 0 &&
	"$CUSTOS" export -q --format bodyfile --digest sha256 --pubkey "$PUB" \
	    ev.tar >body2 &&
	sum=$(sha256sum <tree/etc/passwd | cut -c1-64) &&
	test_grep "^$sum|/etc/passwd|" body2
'

test_expect_success PYTHON 'JSON Lines: one object per record, paths decode' '
	"$CUSTOS" export -q --format json --pubkey "$PUB" -o out.json b.cbl &&
	test "$(wc -l <out.json)" = "$records" &&
	python3 -c "import json,sys; [json.loads(l) for l in sys.stdin]" \
	    <out.json &&
	python3 -c "
import json, sys
paths = [json.loads(l)[\"path\"] for l in sys.stdin]
assert \"/srv/new\\\\x0aline\" in paths, paths
assert \"/srv/back\\\\x5cslash\" in paths, paths
assert paths == sorted(set(paths), key=lambda p: p.split(\"/\")), paths
" <out.json
'

test_expect_success '--digest sha512 is computed and the only one exported' '
	"$CUSTOS" export -q --format mtree --digest sha512 tree >sha512.mtree &&
	test_grep "^\./etc/passwd .* sha512digest=$(sha512sum <tree/etc/passwd |
	    cut -c1-128)$" sha512.mtree &&
	! grep -q sha256digest sha512.mtree
'

test_expect_success 'the output written into the tree is left out' '
	"$CUSTOS" export -q --format json -o tree/self.json tree &&
	! grep -q self.json tree/self.json &&
	rm tree/self.json
'

test_expect_success 'a baseline or a tar without a trust anchor: usage (64)' '
	test_expect_code 64 "$CUSTOS" export --format json b.cbl >out 2>err &&
	test_grep "no trusted key" err &&
	test_expect_code 64 "$CUSTOS" export --format json ev.tar >out 2>err &&
	test_expect_code 64 "$CUSTOS" export --format csv tree 2>err &&
	test_grep "bad format" err &&
	test_expect_code 66 "$CUSTOS" export --format json nothing 2>err &&
	test_grep "cannot open .nothing." err
'

test_expect_success 'a tampered evidence tar: exit 8 and no output' '
	cp ev.tar bad.tar && cp ev.tar.custody bad.tar.custody &&
	chmod u+w bad.tar &&
	pos=$(grep -a -b -o -F "root:x:0:0" bad.tar | head -n 1 | cut -d: -f1) &&
	printf R | dd of=bad.tar bs=1 seek="$pos" conv=notrunc 2>/dev/null &&
	test_expect_code 8 "$CUSTOS" export --format mtree --pubkey "$PUB" \
	    -o bad.mtree bad.tar 2>err &&
	test ! -e bad.mtree
'

test_expect_success BSDTAR 'a foreign tar is exported but said unverified (16)' '
	bsdtar --format pax -cf foreign.tar -C tree etc &&
	test_expect_code 16 "$CUSTOS" export -q --format json \
	    --allow-unsigned -o foreign.json foreign.tar 2>err &&
	test_grep "UNVERIFIED EVIDENCE" err &&
	test_grep "\"path\":\"/etc/passwd\"" foreign.json
'

test_expect_success BSDTAR,MTREE 'a tar without its root: mtree still reads it' '
	test_expect_code 16 "$CUSTOS" export -q --format mtree \
	    --allow-unsigned -o foreign.mtree foreign.tar 2>err &&
	test "$(sed -n 2p foreign.mtree)" = ". type=dir" &&
	mkdir part && cp -a tree/etc part/ &&
	mtree -f foreign.mtree -p part
'

test_expect_success MTREE 'one byte changed, mtime restored: mtree fails' '
	touch -r tree/etc/passwd stamp &&
	printf "R" | dd of=tree/etc/passwd bs=1 seek=0 conv=notrunc \
	    2>/dev/null &&
	touch -r stamp tree/etc/passwd &&
	test_expect_code 2 mtree -f bl.mtree -p tree >out &&
	test_grep "^etc/passwd:" out &&
	test_grep sha256 out
'

test_done
