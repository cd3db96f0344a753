/*
 * deb.h: Debian's signed archive chain, and .deb packages as a source.
 *
 * The chain: the archive key signs InRelease (or Release with
 * Release.gpg), which lists the size and SHA-256 of each Packages index,
 * which lists the size and SHA-256 of each .deb.  deb822.c parses the
 * three texts (Release, Packages, a .deb's control file) as hostile
 * input; deb_chain.c checks the signatures with gpgv and the indexes
 * against the verified Release, giving a cs_deb_index of the packages
 * the archive vouches for; source_deb.c reads .deb files, each checked
 * against that index before any of its content is read, into records in
 * canonical order.
 *
 * Another packaging system (RPM) would be one more source of the same
 * records, with the same three steps: the repository's repomd.xml and its
 * detached signature (repomd.xml.asc, checked with gpgv as InRelease is),
 * which lists the digest of primary.xml, which lists each package's
 * digest; then, for each .rpm, its OpenPGP header signature and the
 * header's own digests (RPMTAG_SHA256HEADER, RPMTAG_PAYLOADDIGEST)
 * checked before the payload is read; the payload (cpio, compressed) read
 * with libarchive's rpm format and filters; and the header's per-file
 * digests, user and group names (RPMTAG_FILEDIGESTS, FILEUSERNAME,
 * FILEGROUPNAME) and config flag (RPMFILE_CONFIG, as a conffile) giving
 * the record fields.  An RPM carries no archive-wide index as Packages
 * is, so a package's name, version and architecture come from its
 * verified header, never from its file name.
 */
#ifndef CUSTOS_DEB_H
#define CUSTOS_DEB_H

#include <stddef.h>
#include <stdint.h>

struct cs_err;
struct cs_source;

#define CS_DEB_KEYRING	"/usr/share/keyrings/debian-archive-keyring.gpg"
#define CS_DEB_LISTS	"/var/lib/apt/lists"

/*
 * A deb822 push parser (Release, Packages, control): FIELD is called
 * with each complete field (name, value with continuation lines joined
 * by '\n', leading and trailing blanks removed), PARA at the end of each
 * paragraph; either returns NULL or why the input is refused.
 */
struct cs_deb822;
typedef const char *(*cs_deb822_field_fn)(void *, const char *, size_t,
		    const char *, size_t);
typedef const char *(*cs_deb822_para_fn)(void *);
struct cs_deb822 *cs_deb822_new(cs_deb822_field_fn, cs_deb822_para_fn,
		    void *);
/* Feed N bytes; 0, or -1 with *WHY (the line is cs_deb822_line). */
int		 cs_deb822_feed(struct cs_deb822 *, const char *, size_t,
		    const char **);
/* The end of the input: 0, or -1 with *WHY. */
int		 cs_deb822_end(struct cs_deb822 *, const char **);
uint64_t	 cs_deb822_line(const struct cs_deb822 *);
void		 cs_deb822_free(struct cs_deb822 *);

/* Policy's spelling of a package name, a version, an architecture. */
int		 cs_deb_name_ok(const char *, size_t);
int		 cs_deb_version_ok(const char *, size_t);
int		 cs_deb_arch_ok(const char *, size_t);
/* Versions A and B in dpkg's order: <0, 0 or >0 (deb_version.c). */
int		 cs_deb_vercmp(const char *, const char *);

/* One file a Release lists in its SHA256 field. */
struct cs_deb_relfile {
	char		*path;		/* "main/binary-amd64/Packages" */
	uint64_t	 size;
	unsigned char	 sha256[32];
};

/* What a verified Release says. */
struct cs_deb_release {
	char		*date;		/* as written, or NULL */
	char		*valid_until;	/* as written, or NULL */
	int64_t		 valid_until_t;	/* with valid_until: seconds */
	char		*suite;
	char		*codename;
	struct cs_deb_relfile *files;	/* sorted by path */
	size_t		 nfiles;
};

/* Parse a Release text; 0, or -1 with *WHY and *LINE. */
int		 cs_deb_release_parse(const char *, size_t,
		    struct cs_deb_release *, const char **, uint64_t *);
void		 cs_deb_release_release(struct cs_deb_release *);
const struct cs_deb_relfile *cs_deb_release_find(
		    const struct cs_deb_release *, const char *, size_t);
/* An RFC 2822 date of a Release ("Sat, 09 Dec 2023 08:20:55 UTC"). */
int		 cs_deb_date_parse(const char *, int64_t *);

/* A package the archive vouches for (a Packages stanza), or a .deb's. */
struct cs_deb_pkg {
	char		*name;
	char		*version;
	char		*arch;
	int		 ma_same;	/* control: "Multi-Arch: same" */
	uint64_t	 size;
	unsigned char	 sha256[32];
};

/* A Release file that was used, for the baseline's header. */
struct cs_deb_used {
	char		*file;		/* its name in the lists directory */
	char		*date;		/* or NULL */
	char		*valid_until;	/* or NULL */
};

/* The packages the verified indexes list. */
struct cs_deb_index {
	struct cs_deb_pkg *pkgs;	/* sorted by sha256 once loaded */
	size_t		 npkgs;
	size_t		 cap;
	struct cs_deb_used *used;
	size_t		 nused;
	char		**notes;	/* warnings (an expired Release) */
	size_t		 nnotes;
};

void		 cs_deb_index_init(struct cs_deb_index *);
void		 cs_deb_index_release(struct cs_deb_index *);
/* Parse a Packages text into IDX; 0, or -1 with *WHY and *LINE. */
int		 cs_deb_packages_parse(struct cs_deb_index *, const char *,
		    size_t, const char **, uint64_t *);
/* A parser of Packages text feeding IDX (cs_deb822_feed and _end). */
struct cs_deb822 *cs_deb_packages_parser(struct cs_deb_index *);
/* Sort IDX for cs_deb_index_find (after the last Packages). */
void		 cs_deb_index_sort(struct cs_deb_index *);
/* The listed package with P's name, version, arch, size and sha256. */
const struct cs_deb_pkg *cs_deb_index_find(const struct cs_deb_index *,
		    const struct cs_deb_pkg *);
/* Nonzero if IDX lists a package with P's SHA-256 and size. */
int		 cs_deb_index_listed(const struct cs_deb_index *,
		    const struct cs_deb_pkg *);
void		 cs_deb_pkg_release(struct cs_deb_pkg *);
/* A control file's Package, Version and Architecture into P. */
int		 cs_deb_control_parse(const char *, size_t,
		    struct cs_deb_pkg *, const char **);

struct cs_deb_chain_opts {
	const char	*lists;		/* CS_DEB_LISTS */
	const char	*keyring;	/* CS_DEB_KEYRING */
	const char	*gpgv;		/* "gpgv", found in PATH */
};

/*
 * Verify every InRelease (or Release with Release.gpg) in the lists
 * directory with gpgv and the keyring, and every Packages file there
 * against the Release of its archive, into IDX (sorted).  Failures of
 * the chain are CS_EXIT_INTEGRITY and name the file.
 */
int		 cs_deb_chain_load(const struct cs_deb_chain_opts *,
		    struct cs_deb_index *, struct cs_err *);
/*
 * The archive path of an apt lists file name relative to the Release's
 * PREFIX ("deb.debian.org_debian_dists_bookworm_"): '_' is '/', "%5f"
 * is '_'.  NULL if NAME does not start with PREFIX or is malformed.
 */
char		*cs_deb_list_path(const char *, const char *);

/*
 * dpkg's database of the control files of installed packages
 * (deb_info.c): control.tar member NAME of package PKG is installed as
 * CS_DEB_INFODIR/PKG.NAME, or PKG:ARCH.NAME when the package is
 * "Multi-Arch: same".
 */
#define CS_DEB_INFODIR	"/var/lib/dpkg/info"
/* Nonzero if dpkg installs a top-level control.tar member NAME there. */
int		 cs_deb_info_name_ok(const char *);
/* Where: NAME, PKG, ARCH, Multi-Arch: same; NULL if not installed. */
char		*cs_deb_info_path(const char *, const char *, const char *,
		    int);
/* The control file a path in CS_DEB_INFODIR is ("postinst"), or NULL. */
const char	*cs_deb_info_kind(const char *);
/* Nonzero if control file KIND is a script run as root (postinst). */
int		 cs_deb_info_script(const char *);
/* A changed control file KIND's verdict reason (static), or NULL. */
const char	*cs_deb_info_why(const char *);
/* The mode dpkg leaves control file NAME with, from the tar's MODE. */
uint32_t	 cs_deb_info_mode(const char *, uint32_t);

struct cs_deb_opts {
	char *const	*paths;		/* .deb files or directories */
	size_t		 npaths;
	const struct cs_deb_index *idx;
	unsigned	 digests;	/* 1 << CS_D_*; sha256 always */
	int		 allow_unverified;
	int		 jobs;
	size_t		 sort_bound;	/* 0: CS_SORT_BOUND */
};

struct cs_deb_stats {
	uint64_t	 packages;
	uint64_t	 unverified;
	char		**notes;	/* the unverified packages, why */
	size_t		 nnotes;
};

/*
 * The records of the packages, each .deb checked against IDX first (a
 * failure is CS_EXIT_INTEGRITY naming the file, unless
 * allow_unverified, which marks its records).
 */
struct cs_source *cs_source_deb(const struct cs_deb_opts *,
		    struct cs_deb_stats *, struct cs_err *);
void		 cs_deb_stats_release(struct cs_deb_stats *);

#endif /* CUSTOS_DEB_H */
