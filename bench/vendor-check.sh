#!/bin/bash
# vendor-check.sh: a check of this machine's / against the vendor baseline
# of its installed packages, side by side with `debsums -s` (which
# checks the same packages' files against the md5sums dpkg keeps), in
# one run, the page cache warm for both (one untimed pass of each
# first), alternated.  Wall-clock and peak memory by GNU time.  The
# packages are downloaded once with apt-get download (the installed
# versions the archive still has) and proven by /var/lib/apt/lists; the
# others are "package version not available" in custos's report and
# still checked by debsums.  Not part of "make check".
#
# usage: bench/vendor-check.sh
#   CUSTOS=/path/to/custos (default ./custos), RUNS (default 3),
#   POLICY (default: etc/default.policy of this tree, the policy
#   "make install" installs),
#   WORK (default /var/tmp/custos-bench/vendor-check: the .debs, the
#   baseline and the last report), RESULTS (default
#   bench/results/vendor-check.md)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CUSTOS=${CUSTOS:-./custos}
CUSTOS=$(cd "$(dirname "$CUSTOS")" && pwd)/$(basename "$CUSTOS")
RUNS=${RUNS:-3}
POLICY=${POLICY:-$here/../etc/default.policy}
WORK=${WORK:-/var/tmp/custos-bench/vendor-check}
RESULTS=${RESULTS:-$here/results/vendor-check.md}
n=$(nproc)
mkdir -p "$WORK/debs"

# The installed packages, downloaded in batches (a batch that fails, for
# a version the archive no longer has, is retried one by one).
dpkg-query -W -f='${db:Status-Abbrev}|${Package}:${Architecture}=${Version}\n' |
    awk -F'|' '$1 ~ /^ii/ { print $2 }' >"$WORK/installed"
cat >"$WORK/get" <<'GET'
#!/bin/sh
apt-get download -q "$@" >/dev/null 2>&1 && exit 0
for p; do
	apt-get download -q "$p" >/dev/null 2>&1 || echo "$p"
done
GET
chmod +x "$WORK/get"
(cd "$WORK/debs" &&
    ls | sed -n 's/^\([^_]*\)_.*/\1/p' | sed 's/%3a/:/g' | sort -u \
    >"$WORK/have" &&
    awk -F'[:=]' 'NR == FNR { have[$1] = 1; next } !($1 in have)' \
    "$WORK/have" "$WORK/installed" |
    xargs -r -n 25 -P 4 "$WORK/get" >"$WORK/missing" || :)

"$CUSTOS" baseline -q --from-packages --apt-lists /var/lib/apt/lists \
    -j "$n" -f -o "$WORK/vendor.cbl" "$WORK/debs"
check=("$CUSTOS" check -q --allow-unsigned --policy "$POLICY"
    -b "$WORK/vendor.cbl" -j "$n"
    -f -o "$WORK/report.txt" --root /)
debsums=(debsums -s)

# timed CMD...: run CMD under GNU time; print "seconds KiB" (the status
# of check and debsums says what they found, not a failure).
timed() {
	/usr/bin/time -f "%e %M" -o "$WORK/time.out" "$@" >/dev/null \
	    2>"$WORK/err.out" || :
	tail -n 1 "$WORK/time.out"
}

"${debsums[@]}" >/dev/null 2>&1 || :
"${check[@]}" 2>/dev/null || :
{
	echo "# check of / against the vendor baseline, beside debsums -s"
	echo
	echo "bench/vendor-check.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ), $n" \
	    "CPUs, $("$CUSTOS" --version), $RUNS runs each, alternated," \
	    "page cache warm"
	echo
	echo "| run | debsums -s s | debsums peak RSS KiB | custos check s |" \
	    "custos peak RSS KiB | custos time / debsums |"
	echo "|---|---|---|---|---|---|"
	for r in $(seq "$RUNS"); do
		set -- $(timed "${debsums[@]}") $(timed "${check[@]}")
		echo "| $r | $1 | $2 | $3 | $4 |" \
		    "$(awk "BEGIN { printf \"%.3f\", $3 / $1 }") |"
	done
	echo
	echo "packages: $(wc -l <"$WORK/installed") installed," \
	    "$(grep -c . "$WORK/missing" || :) not downloadable;" \
	    "vendor records: $(grep -c '^/' "$WORK/vendor.cbl" || :)"
	echo
	echo '```'
	sed -n '/^examined:/p;/^warning: .*not hashed/p;/^result:/p;/^severity:/p' \
	    "$WORK/report.txt" | head -n 4
	echo '```'
} | tee "$RESULTS"
