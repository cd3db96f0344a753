# lib-fleet.sh: three hosts for the fleet tests (t8100, t8200), sourced
# after lib.sh.  Each host N is a tree hN baselined as host web0N (in a
# UTS namespace of its own: prerequisite UTSNS), then changed: the
# same back door, a setuid ELF-looking file in /usr/local/bin, on every
# host, and noise that differs from host to host.

FLEET_POLICY="$CS_SRCDIR/etc/default.policy"

# fleet_host N: tree hN, baselined as host web0N into bN.cbl.
fleet_host() {
	mkdir -p "h$1/usr/local/bin" "h$1/etc" "h$1/home/u" &&
	echo "root:x:0:0::/root:/bin/sh" >"h$1/etc/passwd" &&
	echo "welcome" >"h$1/etc/motd" &&
	echo "notes $1" >"h$1/home/u/notes" &&
	unshare -u sh -c "hostname web0$1 &&
	    \"\$0\" baseline -q --policy \"\$1\" -o b$1.cbl h$1" \
	    "$CUSTOS" "$FLEET_POLICY"
}

# fleet_plant N: the common back door, and host N's own noise.
fleet_plant() {
	printf "\177ELF\002\001\001backdoor" >"h$1/usr/local/bin/sshd-helper" &&
	chmod 4755 "h$1/usr/local/bin/sshd-helper" &&
	echo "maintenance $1" >"h$1/etc/motd" &&
	echo "more $1" >"h$1/home/u/todo.$1"
}
