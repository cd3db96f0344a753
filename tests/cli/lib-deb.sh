# lib-deb.sh: small Debian packages and a signed archive index for the
# tests of vendor baselines, sourced after lib.sh.  Nothing here uses the
# network: the packages are built with dpkg-deb, the index is signed with
# a key made for the test in its own GnuPG home (no agent of the user's).
#
#   deb_key                     make the key; keyring.gpg holds its public part
#   deb_pkg DIR NAME VERSION    build pkgs/NAME_VERSION_all.deb from DIR
#                               (DIR/DEBIAN/control is written here;
#                               other control files, such as a postinst,
#                               may be put in DIR/DEBIAN first)
#   deb_pkg_arch DIR NAME VERSION ARCH MULTIARCH
#                               the same for ARCH, with a Multi-Arch field
#                               unless MULTIARCH is empty
#   deb_info ROOT DEB...        the packages' control files and file lists
#                               in ROOT/var/lib/dpkg/info, as dpkg
#                               leaves them
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
	deb_pkg_arch "$1" "$2" "$3" all "" "${@:4}"
}

# deb_pkg_arch DIR NAME VERSION ARCH MULTIARCH [CONFFILE...]
deb_pkg_arch() {
	deb_dir=$1 deb_name=$2 deb_ver=$3 deb_arch=$4 deb_ma=$5
	shift 5
	mkdir -p "$deb_dir/DEBIAN" "$TRASH/pkgs" &&
	{
		printf 'Package: %s\nVersion: %s\n' "$deb_name" "$deb_ver"
		printf 'Architecture: %s\n' "$deb_arch"
		if [ -n "$deb_ma" ]; then
			printf 'Multi-Arch: %s\n' "$deb_ma"
		fi
		printf 'Maintainer: custos tests <tests@example.org>\n'
		printf 'Description: test package %s\n' "$deb_name"
	} >"$deb_dir/DEBIAN/control" &&
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" >"$deb_dir/DEBIAN/conffiles"
	fi &&
	dpkg-deb --root-owner-group -Zgzip --build "$deb_dir" \
	    "$TRASH/pkgs/${deb_name}_${deb_ver}_${deb_arch}.deb" >/dev/null
}

# deb_info ROOT DEB...: what dpkg leaves in its database: each control
# file but "control" as PKG.NAME (PKG:ARCH.NAME for a "Multi-Arch: same"
# package), mode and owner kept, the file list PKG.list and "format".
deb_info() {
	deb_root=$1
	shift
	mkdir -p "$deb_root/var/lib/dpkg/info" &&
	printf '1\n' >"$deb_root/var/lib/dpkg/info/format" &&
	for deb_f in "$@"; do
		deb_n=$(dpkg-deb -f "$deb_f" Package) &&
		if [ "$(dpkg-deb -f "$deb_f" Multi-Arch)" = same ]; then
			deb_n="$deb_n:$(dpkg-deb -f "$deb_f" Architecture)"
		fi &&
		rm -rf "$TRASH/deb-ctl" &&
		dpkg-deb -e "$deb_f" "$TRASH/deb-ctl" &&
		for deb_c in "$TRASH"/deb-ctl/*; do
			case ${deb_c##*/} in
			control|*.*) ;;
			*) cp -p "$deb_c" \
			    "$deb_root/var/lib/dpkg/info/$deb_n.${deb_c##*/}" ||
			    return 1 ;;
			esac
		done &&
		dpkg-deb --fsys-tarfile "$deb_f" | tar -t |
		    sed 's|^\./|/|; s|/$||; s|^$|/.|' \
		    >"$deb_root/var/lib/dpkg/info/$deb_n.list" || return 1
	done
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
