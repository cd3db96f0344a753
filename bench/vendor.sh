#!/bin/bash
# vendor.sh: a vendor baseline of every .deb in a directory, side by side
# with its decompression floor, in one run: each package's data.tar
# member taken out with ar and decompressed to /dev/null by xz -dc,
# zstd -dc, gzip -dc or bzip2 -dc, the packages in parallel with
# xargs -P$(nproc).  custos does more than the floor (the chain checked
# first, each .deb hashed before it is read, every member hashed,
# control.tar read, records sorted and written); the target is at least
# 80% of the floor's speed.  Wall-clock and peak memory by GNU time, the
# page cache warm for both (one untimed pass first).  Not part of
# "make check".
#
# usage: bench/vendor.sh [DIR]   (default /var/cache/apt/archives)
#   CUSTOS=/path/to/custos (default ./custos), RUNS (default 3),
#   LISTS (default /var/lib/apt/lists), RESULTS (default
#   bench/results/vendor.md)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CUSTOS=${CUSTOS:-./custos}
CUSTOS=$(cd "$(dirname "$CUSTOS")" && pwd)/$(basename "$CUSTOS")
DIR=${1:-/var/cache/apt/archives}
RUNS=${RUNS:-3}
LISTS=${LISTS:-/var/lib/apt/lists}
RESULTS=${RESULTS:-$here/results/vendor.md}
n=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# floor: the data.tar of each .deb named on the command line, decompressed.
cat >"$work/floor" <<'EOF'
#!/bin/sh
for d; do
	m=$(ar t "$d" | grep '^data\.tar') || exit 1
	case $m in
	*.xz)	ar p "$d" "$m" | xz -dc ;;
	*.zst)	ar p "$d" "$m" | zstd -dcq ;;
	*.gz)	ar p "$d" "$m" | gzip -dc ;;
	*.bz2)	ar p "$d" "$m" | bzip2 -dc ;;
	*)	ar p "$d" "$m" ;;
	esac >/dev/null || exit 1
done
EOF
chmod +x "$work/floor"

cat >"$work/floor-all" <<EOF
#!/bin/sh
find "$DIR" -maxdepth 1 -name '*.deb' -print0 |
    xargs -0 -P$n -n 8 "$work/floor"
EOF
chmod +x "$work/floor-all"
vendor=("$CUSTOS" baseline -q --from-packages --allow-unverified
    --apt-lists "$LISTS" -j "$n" -f -o "$work/v.cbl" "$DIR")

# timed CMD...: run CMD under GNU time; print "seconds KiB".
timed() {
	/usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >/dev/null \
	    2>"$work/err.out" || { cat "$work/err.out" >&2; exit 1; }
	tail -n 1 "$work/time.out"
}

debs=$(find "$DIR" -maxdepth 1 -name '*.deb' | wc -l)
mib=$(find "$DIR" -maxdepth 1 -name '*.deb' -printf '%s\n' |
    awk '{ s += $1 } END { printf "%d", s / 1048576 }')
"$work/floor-all" >/dev/null
"${vendor[@]}" 2>/dev/null
{
	echo "# vendor baseline of $debs packages ($mib MiB) against its" \
	    "decompression floor"
	echo
	echo "bench/vendor.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ), $n CPUs," \
	    "$("$CUSTOS" --version), $RUNS runs each, alternated," \
	    "page cache warm"
	echo
	echo "| run | floor s | floor peak RSS KiB | custos s |" \
	    "custos peak RSS KiB | custos speed / floor |"
	echo "|---|---|---|---|---|---|"
	for r in $(seq "$RUNS"); do
		set -- $(timed "$work/floor-all") $(timed "${vendor[@]}")
		echo "| $r | $1 | $2 | $3 | $4 |" \
		    "$(awk "BEGIN { printf \"%.0f%%\", 100 * $1 / $3 }") |"
	done
	echo
	echo "records: $(grep -c '^/' "$work/v.cbl" || :);" \
	    "$(grep '^#unverified=' "$work/v.cbl" | cut -c2-)" \
	    "(packages whose version the lists no longer have)"
} | tee "$RESULTS"
