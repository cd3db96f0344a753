#!/bin/bash
# t3002: the custody sheet: numbered pages, each with the case, label,
# stream digest, what the signature check established (in large print)
# and signature lines; the whole record and a transfer log.
. "$(dirname "$0")/lib.sh"

mkdir -p tree && echo a >tree/a
KEY="$FIXTURES/keys/test.key"
"$CUSTOS" snapshot -q --case IR-7 --label "DISK 1" --operator "Jane Doe" \
    --key "$KEY" -o ev.tar tree || exit 99
dig=$(sed -n "s/^stream-sha256=//p" ev.tar.custody)

# body_end SHEET: the body line number (over all pages) of the last
# line of the transfer log, so the page count can be checked.
body_end() {
	tr "\f" "\n" <"$1" | awk "NR % 67 != 0 || 1" |
	    awk "{ l = (NR - 1) % 67; if (l >= 10 && l < 60) { n++;
	        if (\$0 ~ /^-+\+-/) last = n } } END { print last }"
}

# check_pages SHEET N: N pages of 66 lines, each carrying the marks.
check_pages() {
	test "$(grep -c "^page [0-9]* of $2$" "$1")" = $((2 * $2)) &&
	test "$(tr -cd "\f" <"$1" | wc -c)" = $(($2 - 1)) &&
	test "$(grep -c "^Stream sha256 $dig$" "$1")" = "$2" &&
	test "$(grep -c "^Name: .* Signature: *____" "$1")" = "$2" &&
	test "$(grep -c "^Date: .* Time: *____" "$1")" = "$2" &&
	test "$(grep -c "^Case: IR-7 .*Label: DISK 1$" "$1")" = $((2 * $2)) &&
	i=1 && while [ $i -le "$2" ]; do
		test "$(grep -c "^page $i of $2$" "$1")" = 2 || return 1
		i=$((i + 1))
	done &&
	test "$(tr "\f" "\n" <"$1" | wc -l)" = $((66 * $2 + $2 - 1)) &&
	test "$(awk "length > 78" "$1" | wc -l)" = 0
}

test_expect_success 'pages of 66 lines with every mark, as many as needed' '
	"$CUSTOS" custody-sheet -o sheet.txt ev.tar.custody &&
	pages=$(sed -n "s/^page 1 of \([0-9]*\)$/\1/p" sheet.txt | head -n 1) &&
	test "$pages" -le 2 &&
	test "$pages" = $(( ($(body_end sheet.txt) + 49) / 50 )) &&
	check_pages sheet.txt $pages &&
	test_grep "^operator: *Jane Doe$" sheet.txt &&
	test_grep "^status: *complete$" sheet.txt &&
	test_grep "^TRANSFER LOG$" sheet.txt &&
	test_grep "From.*To.*Date/time.*Purpose.*Signature" sheet.txt &&
	test "$(grep -c "^ *|  *|  *|  *|$" sheet.txt)" = 10
'

test_expect_success 'every field of the record is on the sheet' '
	grep -v "^#" ev.tar.custody | cut -d= -f1 | sort -u | while read -r k; do
		grep -q "^$k:" sheet.txt || { echo "missing $k"; exit 1; }
	done
'

test_expect_success 'many excludes: the record and the pages grow' '
	args= && for i in $(seq 1 80); do args="$args --exclude x$i"; done &&
	"$CUSTOS" snapshot -q --case IR-7 --label "DISK 1" --operator "Jane Doe" \
	    $args -o ev2.tar tree &&
	dig=$(sed -n "s/^stream-sha256=//p" ev2.tar.custody) &&
	"$CUSTOS" custody-sheet ev2.tar.custody >sheet2.txt &&
	pages=$(sed -n "s/^page 1 of \([0-9]*\)$/\1/p" sheet2.txt | head -n 1) &&
	test "$pages" -ge 3 &&
	body_end sheet2.txt >end &&
	test "$pages" = $(( ($(cat end) + 49) / 50 )) &&
	check_pages sheet2.txt $pages
'

test_expect_success 'an altered record gives no sheet (8)' '
	sed "s/^label=DISK\\\\x201$/label=DISK\\\\x202/" ev.tar.custody >bad &&
	test_expect_code 8 "$CUSTOS" custody-sheet bad >out 2>err &&
	test ! -s out &&
	test_grep "altered" err
'

test_expect_success 'the signature is checked with --pubkey' '
	"$CUSTOS" custody-sheet --pubkey "$FIXTURES/keys/test.pub" \
	    ev.tar.custody >/dev/null &&
	test_expect_code 8 "$CUSTOS" custody-sheet \
	    --pubkey "$FIXTURES/keys/test-enc.pub" ev.tar.custody >/dev/null
'

# banner SHEET N: N pages, each with the same large-print banner.
not_verified() {
	test "$(grep -c "^## *S I G N A T U R E    N O T    V E R I F I E D *##$" "$1")" = "$2" &&
	! grep -q "S I G N A T U R E    V E R I F I E D" "$1"
}

test_expect_success 'without a trusted key: SIGNATURE NOT VERIFIED on every page' '
	pages=$(sed -n "s/^page 1 of \([0-9]*\)$/\1/p" sheet.txt | head -n 1) &&
	not_verified sheet.txt "$pages" &&
	pages=$(sed -n "s/^page 1 of \([0-9]*\)$/\1/p" sheet2.txt | head -n 1) &&
	test "$pages" -ge 3 &&
	not_verified sheet2.txt "$pages"
'

test_expect_success 'with --pubkey or --signer: verified, the fingerprint as keygen prints it' '
	"$CUSTOS" keygen --no-passphrase -o k >kg &&
	pretty=$(sed -n "s/^fingerprint: *//p" kg) &&
	g1=$(echo "$pretty" | cut -d" " -f1-8) &&
	g2=$(echo "$pretty" | cut -d" " -f9-16) &&
	test -n "$g2" &&
	"$CUSTOS" snapshot -q --case IR-7 --label "DISK 1" --operator "Jane Doe" \
	    --key k.key -o ev3.tar tree &&
	"$CUSTOS" custody-sheet --pubkey k.pub ev3.tar.custody >v.txt &&
	pages=$(sed -n "s/^page 1 of \([0-9]*\)$/\1/p" v.txt | head -n 1) &&
	test "$(grep -c "^## *S I G N A T U R E    V E R I F I E D *##$" v.txt)" = "$pages" &&
	test "$(grep -c "^## *key $g1 *##$" v.txt)" = "$pages" &&
	test "$(grep -c "^## *$g2 *##$" v.txt)" = "$pages" &&
	! grep -q "N O T" v.txt &&
	"$CUSTOS" custody-sheet --signer "$pretty" ev3.tar.custody >s.txt &&
	test_cmp v.txt s.txt &&
	test "$(awk "length > 78" v.txt | wc -l)" = 0
'

test_expect_success 'an existing sheet is not replaced (73)' '
	echo keep >s.txt &&
	test_expect_code 73 "$CUSTOS" custody-sheet -o s.txt ev.tar.custody &&
	test "$(cat s.txt)" = keep
'

test_done
