#!/bin/sh
# tap.sh PROGRAM: run a cmocka unit test program and pass its TAP on,
# turning cmocka's "not ok N # SKIP" (a skipped test, by cmocka's
# convention) into the "ok N # SKIP" that TAP consumers expect.  The
# program's exit status is kept.
status_file=$(mktemp "${TMPDIR:-/tmp}/custos-tap.XXXXXX") || exit 99
{ "$@"; echo $? >"$status_file"; } | sed 's/^not ok \([0-9]*\) # SKIP/ok \1 # SKIP/'
status=$(cat "$status_file")
rm -f "$status_file"
exit "$status"
