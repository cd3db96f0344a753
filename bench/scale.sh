#!/bin/bash
# scale.sh: the merge and diff of synthetic baselines of growing size,
# with their time and peak memory (GNU time), to show memory flat in the
# number of records.  No tree is walked: bench/genbase.c writes the
# baselines (16 shards of one plan for merge; two whole baselines, 100
# files apart, for diff).  Not part of "make check".
#
# usage: bench/scale.sh [FILES...]   (default: 1000000 10000000)
#   CUSTOS=/path/to/custos (default ./custos), WORKDIR (default
#   /var/tmp/custos-scale; needs about 430 bytes per file, twice over
#   for diff), RESULTS (default bench/results/scale.md)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CUSTOS=${CUSTOS:-./custos}
CUSTOS=$(cd "$(dirname "$CUSTOS")" && pwd)/$(basename "$CUSTOS")
WORKDIR=${WORKDIR:-/var/tmp/custos-scale}
RESULTS=${RESULTS:-$here/results/scale.md}
SHARDS=16
CHANGES=100
[ $# -gt 0 ] || set -- 1000000 10000000

mkdir -p "$WORKDIR"
cc -O2 -o "$WORKDIR/genbase" "$here/genbase.c" -lcrypto
cd "$WORKDIR"

# timed LABEL CMD...: run CMD under GNU time; print "seconds KiB".
timed() {
	/usr/bin/time -f "%e %M" -o time.out "$@" >/dev/null 2>err.out ||
	    [ $? -lt 64 ] || { cat err.out >&2; exit 1; }
	tail -n 1 time.out
}

{
	echo "# custos merge and diff of synthetic baselines"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs," \
	    "$("$CUSTOS" --version), $SHARDS shards, $CHANGES changes"
	echo
	echo "| files | records | baseline MiB | merge s | merge peak RSS KiB |" \
	    "diff s | diff peak RSS KiB |"
	echo "|---|---|---|---|---|---|---|"
} >"$RESULTS.tmp"
for n in "$@"; do
	parts=
	for i in $(seq 1 $SHARDS); do
		./genbase -n "$n" -s "$i/$SHARDS" >"p$i.cbl"
		parts="$parts p$i.cbl"
	done
	mib=$(du -cm $parts | tail -n 1 | cut -f1)
	# shellcheck disable=SC2086
	read -r ms mk < <(timed "$CUSTOS" merge -q -o - $parts)
	# shellcheck disable=SC2086
	rm -f $parts
	./genbase -n "$n" >a.cbl
	./genbase -n "$n" -c $CHANGES >b.cbl
	recs=$(tail -n 1 a.cbl | sed 's/.*records=\([0-9]*\).*/\1/')
	read -r ds dk < <(timed "$CUSTOS" diff -q --allow-unsigned -F line \
	    a.cbl b.cbl)
	rm -f a.cbl b.cbl
	echo "| $n | $recs | $mib | $ms | $mk | $ds | $dk |" | tee -a "$RESULTS.tmp"
done
mv "$RESULTS.tmp" "$RESULTS"
