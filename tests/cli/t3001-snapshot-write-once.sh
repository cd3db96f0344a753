#!/bin/bash
# t3001: write-once: an existing output is refused and left untouched;
# a write error never leaves something that passes for a snapshot;
# unreadable objects make the snapshot incomplete, and say so.
. "$(dirname "$0")/lib.sh"

mkdir -p tree/d && echo one >tree/a && echo two >tree/d/b

snap() {
	"$CUSTOS" snapshot --case C --label L --operator O "$@"
}

test_expect_success 'an existing output file is refused (73), content unchanged' '
	echo precious >ev.tar &&
	cp ev.tar before &&
	test_expect_code 73 snap -o ev.tar tree 2>err &&
	test_grep "already exists" err &&
	test_cmp before ev.tar &&
	test ! -e ev.tar.custody
'

test_expect_success 'a symlink at the output path is refused, its target intact' '
	echo target >t && ln -s t link.tar &&
	test_must_fail snap -o link.tar tree 2>err &&
	test "$(cat t)" = target
'

test_expect_success 'an existing custody record is refused before writing' '
	: >new.tar.custody &&
	test_expect_code 73 snap -o new.tar tree 2>err &&
	test ! -e new.tar &&
	test_grep "custody record" err
'

test_expect_success 'disk full: error 74, custody record marked failed' '
	test_expect_code 74 snap -o /dev/full --custody full.custody tree 2>err &&
	test_grep "cannot write" err &&
	test_grep "FAILED" err &&
	test_grep "^status=failed$" full.custody &&
	! grep -q "^stream-sha256=" full.custody
'

test_expect_success NOTROOT 'unreadable files: incomplete (16), listed with reasons' '
	mkdir -p tree2 && echo secret >tree2/locked && chmod 000 tree2/locked &&
	echo ok >tree2/open &&
	test_expect_code 16 snap -o inc.tar tree2 >out 2>err &&
	test_grep "locked" err &&
	test_grep "^status=incomplete$" inc.tar.custody &&
	test_grep "^error=/locked:\\\\x20" inc.tar.custody &&
	bsdtar -xOf inc.tar custos/manifest.cbl | test_grep "^/locked .* error=" &&
	test_expect_code 16 "$CUSTOS" verify --allow-unsigned inc.tar >v &&
	test_grep "^status: *incomplete" v
'

test_done
