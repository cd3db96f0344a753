#custos-baseline 2
#created=2026-11-30T20:38:12Z
#host=vm
#root=/tmp/tmp.BVUxof0Dpb/tree
#digests=sha256
#tool=custos/0.1.0
#filesystems=one
/ type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1767225600.000000000 ctime=1796071092.004184930 ino=11166289 nlink=4 iflags=80000
/empty type=file mode=0644 uid=0 gid=0 user=root group=root size=0 mtime=1767225600.000000000 ctime=1796071092.004184930 ino=11166417 nlink=1 iflags=80000 sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
/etc type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1767225600.000000000 ctime=1796071092.004184930 ino=11166305 nlink=2 iflags=80000
/etc/a\x20b\x1b type=file mode=0644 uid=0 gid=0 user=root group=root size=1 mtime=1767225600.000000000 ctime=1796071092.004184930 ino=11166401 nlink=1 iflags=80000 sha256=2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881
/etc/passwd type=file mode=0644 uid=0 gid=0 user=root group=root size=26 mtime=1767225600.000000000 ctime=1796071092.004184930 ino=11166353 nlink=2 iflags=80000 sha256=037d604c1c026b9f815eaeda9bad221290c9f6354587d3ca87f54c4b7466fad4
/etc/passwd- type=file mode=0644 uid=0 gid=0 user=root group=root size=26 mtime=1767225600.000000000 ctime=1796071092.004184930 ino=11166353 nlink=2 iflags=80000 sha256=037d604c1c026b9f815eaeda9bad221290c9f6354587d3ca87f54c4b7466fad4
/var type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1767225600.000000000 ctime=1796071092.004184930 ino=11166321 nlink=3 iflags=80000
/var/link type=link mode=0777 uid=0 gid=0 user=root group=root size=13 mtime=1796071092.000412604 ctime=1796071092.000412604 ino=11166385 nlink=1 target=../etc/passwd
/var/log type=dir mode=0755 uid=0 gid=0 user=root group=root size=0 mtime=1767225600.000000000 ctime=1796071092.004184930 ino=11166337 nlink=2 iflags=80000
/var/log/syslog type=file mode=0644 uid=0 gid=0 user=root group=root size=18 mtime=1796071092.000412604 ctime=1796071092.000412604 ino=11166369 nlink=1 iflags=80000 sha256=e9024f1a07d29d52ad3aa5e1a18e94db1f3a9fd32b89e39d47c472cd99071e13
#end records=10 errors=0 sha256=3d98e4d02a0f6a11add34cc81fc0982b1861dda53a4ed96134abd77c18fd00de
#signature ed25519 key=784c1217b63cc87b pub=MCowBQYDK2VwAyEAPcAVxfQ0ij8Uw4/QFdT3IC0pmkUFHLS57Wv4YuMNHnM= sig=UNISRXoJkJbN3RWyv7GZgsIitvEbrPnNMLsM0L4oFQU8H0ed23ENSl0wiO6vePuJ+VxnDGfkNfl6JZh6HmvBCg==
