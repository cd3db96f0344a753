# lib-deb.sh: small Debian packages and a signed archive index for the
# tests of vendor baselines, sourced after lib.sh.  Nothing here uses the
# network: the packages are built with dpkg-deb, the index is signed with
# a key made for the test in its own GnuPG home (no agent of the user's).
#
#   deb_key                     make the key; keyring.gpg holds its public part
#   deb_pkg DIR NAME VERSION    build pkgs/NAME_VERSION_all.deb from DIR
#                               (DIR/DEBIAN/control is written here)
#   deb_lists                   sign an index of pkgs/*.deb into lists/,
#                               named as apt names its lists
#   deb_done                    stop the gpg-agent the key started
#                               (test_done calls it too)
#   check ARGS...               custos check under the policy $POL: the
#                               line report in out, the status in rc

DEB_ARCHIVE=example.org_debian_dists_test
# The test's own GnuPG home, where its agent puts its sockets: a short
# name (lib.sh, test_short_dir); the agent is stopped by deb_done.
test_short_dir || exit 99
GNUPGHOME="$CS_SHORT/gnupg"
export GNUPGHOME
CS_AT_DONE="$CS_AT_DONE; deb_done"

# The key and the keyring gpgv is given.
deb_key() {
	mkdir -p -m 700 "$GNUPGHOME" &&
	gpg --batch --quiet --passphrase '' --quick-gen-key \
	    'custos test archive <archive@example.org>' ed25519 sign never \
	    2>/dev/null &&
	gpg --batch --quiet --export >"$TRASH/keyring.gpg"
}

# deb_pkg DIR NAME VERSION [CONFFILE...]: a package of DIR's files.
deb_pkg() {
	deb_dir=$1 deb_name=$2 deb_ver=$3
	shift 3
	mkdir -p "$deb_dir/DEBIAN" "$TRASH/pkgs" &&
	cat >"$deb_dir/DEBIAN/control" <<-EOF &&
	Package: $deb_name
	Version: $deb_ver
	Architecture: all
	Maintainer: custos tests <tests@example.org>
	Description: test package $deb_name
	EOF
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" >"$deb_dir/DEBIAN/conffiles"
	fi &&
	dpkg-deb --root-owner-group -Zgzip --build "$deb_dir" \
	    "$TRASH/pkgs/${deb_name}_${deb_ver}_all.deb" >/dev/null
}

# deb_lists: Packages for pkgs/*.deb and an InRelease signing it.
deb_lists() {
	mkdir -p "$TRASH/lists" &&
	: >"$TRASH/lists/Packages.tmp" &&
	for deb_f in "$TRASH"/pkgs/*.deb; do
		dpkg-deb -f "$deb_f" Package Version Architecture \
		    >>"$TRASH/lists/Packages.tmp" &&
		printf 'Filename: pool/main/%s\nSize: %s\nSHA256: %s\n\n' \
		    "$(basename "$deb_f")" "$(stat -c %s "$deb_f")" \
		    "$(sha256sum <"$deb_f" | cut -d' ' -f1)" \
		    >>"$TRASH/lists/Packages.tmp" || return 1
	done &&
	deb_p="$TRASH/lists/${DEB_ARCHIVE}_main_binary-all_Packages" &&
	mv "$TRASH/lists/Packages.tmp" "$deb_p" &&
	{
		printf 'Origin: custos\nSuite: test\nCodename: test\n'
		printf 'Date: %s\n' "$(LC_ALL=C date -u -R)"
		printf 'Architectures: all\nComponents: main\nSHA256:\n'
		printf ' %s %s main/binary-all/Packages\n' \
		    "$(sha256sum <"$deb_p" | cut -d' ' -f1)" \
		    "$(stat -c %s "$deb_p")"
	} >"$TRASH/Release" &&
	gpg --batch --quiet --yes --clearsign \
	    -o "$TRASH/lists/${DEB_ARCHIVE}_InRelease" "$TRASH/Release"
}

# check ARGS...: custos check, the line report in out, the status in rc.
check() {
	rc=0
	"$CUSTOS" check --allow-unsigned --policy "$POL" -F line "$@" >out ||
	    rc=$?
	cat out
}

# deb_done: stop the agent gpg started for the test's home.
deb_done() {
	if test -d "$GNUPGHOME"; then
		gpgconf --kill gpg-agent 2>/dev/null
	fi
	:
}
