/*
 * entry.h: struct cs_entry, the one record type.
 *
 * Every source (live walk, baseline file, tar) yields cs_entry records in
 * canonical path order; every sink (baseline writer, tar writer, diff)
 * consumes them.  Strings that came from an examined filesystem are raw
 * bytes (never assumed UTF-8) and are encoded only on output.
 */
#ifndef CUSTOS_ENTRY_H
#define CUSTOS_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "custos/digest.h"

enum cs_type {
	CS_T_NONE = 0,
	CS_T_FILE,
	CS_T_DIR,
	CS_T_LINK,
	CS_T_FIFO,
	CS_T_SOCK,
	CS_T_CHAR,
	CS_T_BLOCK
};

/* Fields a source may or may not know (in cs_entry.have). */
#define CS_F_INO	0x0001	/* ino */
#define CS_F_NLINK	0x0002	/* nlink */
#define CS_F_CTIME	0x0004	/* ctime */
#define CS_F_IFLAGS	0x0008	/* iflags (FS_IOC_GETFLAGS) */
#define CS_F_META	0x0010	/* ACLs and xattrs were examined */
#define CS_F_MAGIC	0x0040	/* magic holds what the first bytes show */
#define CS_F_NOENTRY	0x0080	/* a directory the walk could not enter */
#define CS_F_STRUCT	0x0100	/* sdata holds parsed entries (structured.h) */
#define CS_F_ZDIGEST	0x0200	/* zdigest holds the sha256z (digest.h) */
#define CS_F_BTIME	0x0400	/* btime (statx birth time) */
#define CS_F_MOUNT	0x0800	/* a directory another filesystem is
				   mounted on, not entered (runtime) */
#define CS_F_PKG	0x1000	/* pkgs: the packages that ship it */
#define CS_F_NOHASH	0x2000	/* content not hashed: nothing to compare
				   it with (walk.h, hash_wanted; runtime) */

/* What a regular file's first bytes show (cs_entry.magic). */
enum cs_magic {
	CS_MAGIC_NONE = 0,	/* neither, or not read */
	CS_MAGIC_ELF,		/* "\177ELF" */
	CS_MAGIC_SCRIPT		/* "#!" */
};

struct cs_time {
	int64_t		 sec;
	uint32_t	 nsec;
};

struct cs_xattr {
	char		*name;		/* NUL-terminated; names hold no NUL */
	unsigned char	*value;		/* NUL-terminated copy for convenience */
	size_t		 len;
};

/*
 * A package that ships the object (vendor records, deb.h): the first of
 * an entry's is the one whose size and digests the record holds; the
 * others ("alt=" fields) ship a regular file with other content.
 */
#define CS_PKG_CONFFILE		0x1	/* a conffile of the package */
#define CS_PKG_UNVERIFIED	0x2	/* its .deb did not verify */
#define CS_PKG_MODE		0x4	/* an alternative's own mode below */
struct cs_pkgref {
	char		*name;
	char		*version;
	char		*arch;
	unsigned	 flags;		/* CS_PKG_* */
	uint64_t	 size;		/* regular files */
	unsigned char	 sha256[32];	/* regular files */
	uint32_t	 mode;		/* with CS_PKG_MODE: 07777 bits */
};

struct cs_entry {
	char		*path;		/* canonical: "/" or "/a/b" */
	size_t		 pathlen;
	enum cs_type	 type;
	unsigned	 have;		/* CS_F_* */
	uint32_t	 mode;		/* permission bits incl. 07000 */
	uint32_t	 uid;
	uint32_t	 gid;
	char		*user;		/* owner name, NULL if unknown */
	char		*group;
	uint64_t	 size;
	struct cs_time	 mtime;
	struct cs_time	 ctime;
	struct cs_time	 btime;		/* with CS_F_BTIME: informational */
	uint64_t	 ino;
	uint64_t	 nlink;
	uint32_t	 rmajor;	/* device nodes */
	uint32_t	 rminor;
	char		*target;	/* symlink target (raw bytes) */
	size_t		 targetlen;
	char		*acl;		/* extended access ACL, text, or NULL */
	char		*dacl;		/* default ACL, text, or NULL */
	struct cs_xattr	*xattrs;	/* sorted by name, bytewise */
	size_t		 nxattrs;
	char		*caps;		/* cap_to_text of security.capability */
	uint32_t	 iflags;	/* FS_IOC_GETFLAGS bits */
	unsigned	 digests;	/* 1 << enum cs_digest present */
	unsigned char	 digest[CS_D_COUNT][CS_DIGEST_MAXLEN];
	unsigned char	 zdigest[CS_ZDIGEST_LEN];	/* with CS_F_ZDIGEST */
	char		*error;		/* why the record is incomplete */
	unsigned char	 magic;		/* enum cs_magic, with CS_F_MAGIC */
	char		*sdata;		/* with CS_F_STRUCT: "KIND:ENTRIES", */
	size_t		 sdatalen;	/* NUL-terminated, no other NUL */
	struct cs_pkgref *pkgs;		/* with CS_F_PKG: at least one */
	size_t		 npkgs;

	/* Runtime only, never written: */
	uint64_t	 dev;		/* st_dev */
	uint64_t	 blocks;	/* st_blocks (512 bytes) */
};

struct cs_entry	*cs_entry_new(void);
void		 cs_entry_free(struct cs_entry *);
/* Free everything the entry owns and make it empty again. */
void		 cs_entry_clear(struct cs_entry *);
void		 cs_entry_set_path(struct cs_entry *, const char *, size_t);
void		 cs_entry_set_target(struct cs_entry *, const char *, size_t);
void		 cs_entry_add_xattr(struct cs_entry *, const char *,
		    const void *, size_t);
/* Append a shipping package (copies of the strings); sets CS_F_PKG. */
struct cs_pkgref *cs_entry_add_pkg(struct cs_entry *, const char *,
		    const char *, const char *, unsigned);
/* Order of two shipping packages: name, version, architecture. */
int		 cs_pkgref_cmp(const struct cs_pkgref *,
		    const struct cs_pkgref *);
/* Sort xattrs by name (bytewise); sources call it once filled. */
void		 cs_entry_sort_xattrs(struct cs_entry *);
/* Record (or append to) the reason the entry is incomplete. */
void		 cs_entry_add_error(struct cs_entry *, const char *, ...)
		    CS_PRINTF(2, 3);
/* Canonical order of two entries by path. */
int		 cs_entry_cmp(const struct cs_entry *, const struct cs_entry *);

/* "file", "dir", "link", "fifo", "socket", "char", "block". */
const char	*cs_type_name(enum cs_type);
enum cs_type	 cs_type_lookup(const char *, size_t);
/* st_mode S_IFMT bits to a type (CS_T_NONE if unknown). */
enum cs_type	 cs_type_from_mode(uint32_t);

#endif /* CUSTOS_ENTRY_H */
