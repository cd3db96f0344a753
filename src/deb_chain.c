/*
 * deb_chain.c: verify Debian's archive chain as apt keeps it (deb.h).
 *
 * Every "*_InRelease" of the lists directory is checked by gpgv against
 * the keyring, run without a shell with a fixed argument list, and only
 * the text gpgv writes with --output is believed, never the file itself
 * (apt's CVE-2016-1252); its --status-fd must report VALIDSIG and none
 * of BADSIG, ERRSIG, NO_PUBKEY, EXPKEYSIG, REVKEYSIG.  A "*_Release"
 * without InRelease is copied into a private directory first and
 * checked there with its detached "*_Release.gpg".  Then every
 * "*_Packages*" file is matched to the Release whose name it extends,
 * its name mapped back to the archive path that Release lists, and it is
 * decompressed (libarchive's filters: apt recompresses lists) into an
 * unlinked temporary file, checked against the listed size and SHA-256
 * of the uncompressed index, and only then parsed.  Any failure of the
 * chain is CS_EXIT_INTEGRITY naming the file; an expired or missing
 * Valid-Until is only a note (snapshot archives are always expired).
 */
#include "custos/custos.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "custos/atomic.h"
#include "custos/buf.h"
#include "custos/deb.h"
#include "custos/digest.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/xmalloc.h"

#define CHAIN_MAXRELEASE	(64U * 1024 * 1024)
#define CHAIN_MAXSTATUS		(1024 * 1024)
#define CHAIN_STATUS_FD		3

/* A Release of the lists directory and what its verified text says. */
struct chain_rel {
	char			*prefix;	/* "host_debian_dists_x_" */
	char			*file;		/* "..._InRelease" */
	int			 detached;	/* Release + Release.gpg */
	struct cs_deb_release	 r;
};

struct chain {
	const struct cs_deb_chain_opts *o;
	const char		*lists;
	int			 dfd;		/* the lists directory */
	char			*tmp;		/* private directory */
	char			*keyring;	/* absolute */
	char			**names;	/* sorted */
	size_t			 nnames;
	struct chain_rel	*rels;
	size_t			 nrels;
};

void
cs_deb_index_init(struct cs_deb_index *x)
{
	memset(x, 0, sizeof *x);
}

void
cs_deb_index_release(struct cs_deb_index *x)
{
	size_t	 i;

	for (i = 0; i < x->npkgs; i++)
		cs_deb_pkg_release(&x->pkgs[i]);
	for (i = 0; i < x->nused; i++) {
		free(x->used[i].file);
		free(x->used[i].date);
		free(x->used[i].valid_until);
	}
	for (i = 0; i < x->nnotes; i++)
		free(x->notes[i]);
	free(x->pkgs);
	free(x->used);
	free(x->notes);
	cs_deb_index_init(x);
}

static int
chain_pkg_cmp(const void *a, const void *b)
{
	const struct cs_deb_pkg	*x = a, *y = b;

	return memcmp(x->sha256, y->sha256, sizeof x->sha256);
}

void
cs_deb_index_sort(struct cs_deb_index *x)
{
	if (x->npkgs > 1)
		qsort(x->pkgs, x->npkgs, sizeof *x->pkgs, chain_pkg_cmp);
}

const struct cs_deb_pkg *
cs_deb_index_find(const struct cs_deb_index *x, const struct cs_deb_pkg *p)
{
	size_t			 lo = 0, hi = x->npkgs, mid;
	const struct cs_deb_pkg	*q;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (chain_pkg_cmp(&x->pkgs[mid], p) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < x->npkgs && chain_pkg_cmp(&x->pkgs[lo], p) == 0; lo++) {
		q = &x->pkgs[lo];
		if (q->size == p->size && strcmp(q->name, p->name) == 0 &&
		    strcmp(q->version, p->version) == 0 &&
		    strcmp(q->arch, p->arch) == 0)
			return q;
	}
	return NULL;
}

int
cs_deb_index_listed(const struct cs_deb_index *x, const struct cs_deb_pkg *key)
{
	size_t	 lo = 0, hi = x->npkgs, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (memcmp(x->pkgs[mid].sha256, key->sha256,
		    sizeof key->sha256) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < x->npkgs && memcmp(x->pkgs[lo].sha256, key->sha256,
	    sizeof key->sha256) == 0; lo++) {
		if (x->pkgs[lo].size == key->size)
			return 1;
	}
	return 0;
}

static void
chain_note(struct cs_deb_index *x, char *msg)
{
	x->notes = cs_xreallocarray(x->notes, x->nnotes + 1,
	    sizeof *x->notes);
	x->notes[x->nnotes++] = msg;
}

char *
cs_deb_list_path(const char *name, const char *prefix)
{
	struct cs_buf	 b;
	size_t		 n = strlen(prefix);
	const char	*p;
	int		 hi, lo;

	if (strncmp(name, prefix, n) != 0 || name[n] == '\0')
		return NULL;
	cs_buf_init(&b);
	for (p = name + n; *p != '\0'; p++) {
		if (*p == '_')
			cs_buf_addc(&b, '/');
		else if (*p != '%')
			cs_buf_addc(&b, *p);
		else if ((hi = cs_hexval(p[1])) >= 0 &&
		    (lo = cs_hexval(p[2])) >= 0 && (hi | lo) != 0) {
			cs_buf_addc(&b, (char)(hi << 4 | lo));
			p += 2;
		} else {
			cs_buf_release(&b);
			return NULL;
		}
	}
	return cs_buf_detach(&b, NULL);
}

/* Open NAME of the lists directory: a regular file, not a link. */
static int
chain_open(struct chain *c, const char *name, struct cs_err *err)
{
	struct stat	 st;
	char		*shown;
	int		 fd;

	fd = openat(c->dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK | O_NOCTTY);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		return fd;
	shown = cs_encode_dup(name);
	cs_err_set(err, CS_EXIT_NOINPUT, fd < 0 ? errno : 0, "cannot read "
	    "'%s' in the lists directory", shown);
	free(shown);
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Read all of FD (at most MAX bytes) into B. */
static int
chain_slurp(int fd, size_t max, struct cs_buf *b)
{
	ssize_t	 n;

	for (;;) {
		cs_buf_grow(b, 65536);
		n = read(fd, b->data + b->len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		b->len += (size_t)n;
		if (b->len > max) {
			errno = EFBIG;
			return -1;
		}
	}
}

/* What gpgv's status lines say: NULL if a good signature, else why. */
static const char *
chain_status(const char *s, size_t n)
{
	static const char *const bad[] = { "BADSIG", "ERRSIG", "NO_PUBKEY",
	    "EXPKEYSIG", "REVKEYSIG" };
	const char	*l = s, *end = s + n, *nl, *w;
	size_t		 i, k;
	int		 valid = 0;

	for (; l < end; l = nl + 1) {
		if ((nl = memchr(l, '\n', (size_t)(end - l))) == NULL)
			nl = end;
		if ((size_t)(nl - l) < 9 || memcmp(l, "[GNUPG:] ", 9) != 0)
			continue;
		w = l + 9;
		k = (size_t)(nl - w);
		for (i = 0; i < CS_NELEM(bad); i++) {
			if (k >= strlen(bad[i]) && memcmp(w, bad[i],
			    strlen(bad[i])) == 0 && (k == strlen(bad[i]) ||
			    w[strlen(bad[i])] == ' '))
				return bad[i];
		}
		if (k > 9 && memcmp(w, "VALIDSIG ", 9) == 0)
			valid = 1;
	}
	return valid ? NULL : "no VALIDSIG";
}

/* Run gpgv with ARGV, its status on CHAIN_STATUS_FD into ST. */
static int
chain_spawn(char *const *argv, struct cs_buf *st, int *status)
{
	posix_spawn_file_actions_t fa;
	pid_t		 pid;
	int		 p[2] = { -1, -1 }, nul = -1, t, rc = -1;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	/* the write end must not be a descriptor dup2 replaces */
	if (p[1] <= CHAIN_STATUS_FD) {
		if ((t = fcntl(p[1], F_DUPFD_CLOEXEC, 10)) < 0)
			goto out;
		close(p[1]);
		p[1] = t;
	}
	if ((nul = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		goto out;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, nul, 0);
	posix_spawn_file_actions_adddup2(&fa, nul, 1);
	posix_spawn_file_actions_adddup2(&fa, nul, 2);
	posix_spawn_file_actions_adddup2(&fa, p[1], CHAIN_STATUS_FD);
	t = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (t != 0) {
		errno = t;
		goto out;
	}
	close(p[1]);
	p[1] = -1;
	t = chain_slurp(p[0], CHAIN_MAXSTATUS, st);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	rc = t;
out:
	if (nul >= 0)
		close(nul);
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	return rc;
}

/*
 * Verify SIG (clearsigned, OUT receiving its text) or SIG over DATA
 * (detached) with gpgv; NAME is what to call it.
 */
static int
chain_gpgv(struct chain *c, const char *sig, const char *data,
    const char *out, const char *name, struct cs_err *err)
{
	struct cs_buf	 st;
	const char	*argv[12], *why;
	char		*shown;
	size_t		 i = 0;
	int		 status = 0, rc = -1;

	argv[i++] = c->o->gpgv != NULL ? c->o->gpgv : "gpgv";
	argv[i++] = "--homedir";
	argv[i++] = c->tmp;
	argv[i++] = "--keyring";
	argv[i++] = c->keyring;
	argv[i++] = "--status-fd";
	argv[i++] = "3";
	if (out != NULL) {
		argv[i++] = "--output";
		argv[i++] = out;
	}
	argv[i++] = sig;
	if (data != NULL)
		argv[i++] = data;
	argv[i] = NULL;
	cs_buf_init(&st);
	shown = cs_encode_dup(name);
	if (chain_spawn((char *const *)(uintptr_t)argv, &st, &status) != 0) {
		cs_err_set(err, CS_EXIT_SOFTWARE, errno, "cannot run '%s' "
		    "to verify '%s'", argv[0], shown);
		goto out;
	}
	why = chain_status(st.data != NULL ? st.data : "", st.len);
	if (why == NULL && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		why = "gpgv failed";
	if (why != NULL) {
		cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s': signature does "
		    "not verify with the keyring (%s): refused", shown, why);
		goto out;
	}
	rc = 0;
out:
	free(shown);
	cs_buf_release(&st);
	return rc;
}

/* Read the verified text at PATH (our own file) and parse it into R. */
static int
chain_parse_release(struct chain_rel *rel, const char *path,
    struct cs_err *err)
{
	struct cs_buf	 b;
	const char	*why;
	char		*shown;
	uint64_t	 line;
	int		 fd, rc = -1;

	cs_buf_init(&b);
	shown = cs_encode_dup(rel->file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0 ||
	    chain_slurp(fd, CHAIN_MAXRELEASE, &b) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot read the "
		    "verified text of '%s'", shown);
		goto out;
	}
	if (cs_deb_release_parse(b.data != NULL ? b.data : "", b.len,
	    &rel->r, &why, &line) != 0) {
		cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s' line %llu: %s",
		    shown, (unsigned long long)line, why);
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(shown);
	cs_buf_release(&b);
	return rc;
}

/* Copy NAME of the lists directory to TO (a new file of ours). */
static int
chain_copy(struct chain *c, const char *name, const char *to,
    struct cs_err *err)
{
	struct cs_buf	 b;
	char		*shown;
	int		 in, out = -1, rc = -1;

	if ((in = chain_open(c, name, err)) < 0)
		return -1;
	cs_buf_init(&b);
	shown = cs_encode_dup(name);
	if (chain_slurp(in, CHAIN_MAXRELEASE, &b) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot read '%s'",
		    shown);
		goto out;
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) < 0 || cs_write_all(out, b.data, b.len) != 0) {
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot copy '%s'",
		    shown);
		goto out;
	}
	rc = 0;
out:
	if (out >= 0)
		close(out);
	close(in);
	free(shown);
	cs_buf_release(&b);
	return rc;
}

/* Verify one Release (I) and parse its signed text. */
static int
chain_release(struct chain *c, size_t i, struct cs_err *err)
{
	struct chain_rel *rel = &c->rels[i];
	char		*in, *out, *sig = NULL, *data = NULL;
	int		 rc = -1;

	in = cs_xasprintf("%s/in.%zu", c->tmp, i);
	out = cs_xasprintf("%s/out.%zu", c->tmp, i);
	if (chain_copy(c, rel->file, in, err) != 0)
		goto out;
	if (rel->detached) {
		sig = cs_xasprintf("%s/sig.%zu", c->tmp, i);
		data = cs_xasprintf("%sRelease.gpg", rel->prefix);
		if (chain_copy(c, data, sig, err) != 0 ||
		    chain_gpgv(c, sig, in, NULL, rel->file, err) != 0)
			goto out;
		rc = chain_parse_release(rel, in, err);
	} else if (chain_gpgv(c, in, NULL, out, rel->file, err) == 0)
		rc = chain_parse_release(rel, out, err);
out:
	(void)unlink(in);
	(void)unlink(out);
	if (sig != NULL)
		(void)unlink(sig);
	free(sig);
	free(data);
	free(in);
	free(out);
	return rc;
}

/* Is NAME in the sorted directory listing? */
static int
chain_has(const struct chain *c, const char *name)
{
	size_t	 lo = 0, hi = c->nnames, mid;
	int	 r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = strcmp(c->names[mid], name)) == 0)
			return 1;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Does NAME end with SUFFIX? */
static int
chain_ends(const char *name, const char *suffix)
{
	size_t	 n = strlen(name), k = strlen(suffix);

	return n >= k && strcmp(name + n - k, suffix) == 0;
}

/* The Releases of the lists directory: InRelease, or Release + .gpg. */
static void
chain_find_releases(struct chain *c)
{
	struct chain_rel *rel;
	char		*in;
	size_t		 i, n;
	int		 inrel;

	for (i = 0; i < c->nnames; i++) {
		inrel = chain_ends(c->names[i], "_InRelease");
		if (!inrel && !chain_ends(c->names[i], "_Release"))
			continue;
		n = strlen(c->names[i]) - (inrel ? 9 : 7);
		if (!inrel) {
			/* InRelease, where there is one, is used instead */
			in = cs_xasprintf("%.*sInRelease", (int)n,
			    c->names[i]);
			inrel = chain_has(c, in);
			free(in);
			if (inrel)
				continue;
		}
		c->rels = cs_xreallocarray(c->rels, c->nrels + 1,
		    sizeof *c->rels);
		rel = &c->rels[c->nrels++];
		memset(rel, 0, sizeof *rel);
		rel->prefix = cs_xmemdup(c->names[i], n);
		rel->file = cs_xstrdup(c->names[i]);
		rel->detached = !inrel;
	}
}

/* The Release whose prefix NAME extends the most, or NULL. */
static struct chain_rel *
chain_rel_of(struct chain *c, const char *name)
{
	struct chain_rel *best = NULL;
	size_t		 i, n;

	for (i = 0; i < c->nrels; i++) {
		n = strlen(c->rels[i].prefix);
		if (strncmp(name, c->rels[i].prefix, n) == 0 &&
		    (best == NULL || n > strlen(best->prefix)))
			best = &c->rels[i];
	}
	return best;
}

/* The compression suffixes apt may give a list file. */
static size_t
chain_packages_base(const char *name)
{
	static const char *const ext[] = { "", ".lz4", ".xz", ".gz", ".zst",
	    ".bz2" };
	size_t	 i, n = strlen(name), k;

	for (i = 0; i < CS_NELEM(ext); i++) {
		k = strlen(ext[i]);
		if (n >= k + 9 && strcmp(name + n - k, ext[i]) == 0 &&
		    memcmp(name + n - k - 9, "_Packages", 9) == 0)
			return n - k;
	}
	return 0;
}

/*
 * Decompress FD into the temporary file OUT, hashing it; more than MAX
 * bytes is an error (errno EFBIG).
 */
static int
chain_inflate(int fd, int out, uint64_t max, unsigned char *sha,
    uint64_t *size)
{
	struct archive		*a;
	struct archive_entry	*ae;
	EVP_MD_CTX		*md;
	char			 buf[65536];
	la_ssize_t		 n = 0;
	int			 r, rc = -1;

	*size = 0;
	a = archive_read_new();
	md = EVP_MD_CTX_new();
	if (a == NULL || md == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		goto out;
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	archive_read_support_format_empty(a);
	if (archive_read_open_fd(a, fd, 65536) != ARCHIVE_OK)
		goto out;
	r = archive_read_next_header(a, &ae);
	while (r == ARCHIVE_OK && (n = archive_read_data(a, buf,
	    sizeof buf)) > 0) {
		*size += (uint64_t)n;
		if (*size > max) {
			errno = EFBIG;
			goto out;
		}
		EVP_DigestUpdate(md, buf, (size_t)n);
		if (cs_write_all(out, buf, (size_t)n) != 0)
			goto out;
	}
	if ((r != ARCHIVE_OK && r != ARCHIVE_EOF) || n < 0) {
		errno = EIO;
		goto out;
	}
	EVP_DigestFinal_ex(md, sha, NULL);
	rc = 0;
out:
	EVP_MD_CTX_free(md);
	archive_read_free(a);
	return rc;
}

/* Parse the verified Packages text in FD into IDX. */
static int
chain_parse_packages(int fd, struct cs_deb_index *idx, const char *shown,
    struct cs_err *err)
{
	struct cs_deb822	*p;
	const char		*why = NULL;
	char			 buf[65536];
	ssize_t			 n;
	int			 rc = -1;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return cs_err_set(err, CS_EXIT_IOERR, errno, "cannot read "
		    "back '%s'", shown);
	p = cs_deb_packages_parser(idx);
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		if (cs_deb822_feed(p, buf, (size_t)n, &why) != 0)
			break;
	}
	if (n < 0)
		cs_err_set(err, CS_EXIT_IOERR, errno, "cannot read back '%s'",
		    shown);
	else if (why != NULL || cs_deb822_end(p, &why) != 0)
		cs_err_set(err, CS_EXIT_DATAERR, 0, "'%s' line %llu: %s",
		    shown, (unsigned long long)cs_deb822_line(p), why);
	else
		rc = 0;
	cs_deb822_free(p);
	return rc;
}

/* Check a Packages file NAME against its Release, then parse it. */
static int
chain_packages(struct chain *c, const char *name, size_t base,
    struct cs_deb_index *idx, struct cs_err *err)
{
	const struct cs_deb_relfile *f;
	struct chain_rel *rel;
	unsigned char	 sha[32];
	uint64_t	 size;
	char		*shown, *stem, *path = NULL;
	int		 fd = -1, tmp = -1, rc = -1;

	shown = cs_encode_dup(name);
	stem = cs_xmemdup(name, base);
	if ((rel = chain_rel_of(c, stem)) == NULL) {
		cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s': no InRelease or "
		    "Release of its archive in the lists directory: refused",
		    shown);
		goto out;
	}
	if ((path = cs_deb_list_path(stem, rel->prefix)) == NULL ||
	    (f = cs_deb_release_find(&rel->r, path, strlen(path))) == NULL) {
		cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s' is not listed in "
		    "'%s': refused", shown, rel->file);
		goto out;
	}
	if ((fd = chain_open(c, name, err)) < 0 || (tmp = cs_tmpfile(err)) < 0)
		goto out;
	if (chain_inflate(fd, tmp, f->size, sha, &size) != 0) {
		cs_err_set(err, errno == EFBIG ? CS_EXIT_INTEGRITY :
		    CS_EXIT_DATAERR, 0, "'%s': %s: refused", shown,
		    errno == EFBIG ? "larger than its Release says" :
		    "cannot be decompressed");
		goto out;
	}
	if (size != f->size || memcmp(sha, f->sha256, sizeof sha) != 0) {
		cs_err_set(err, CS_EXIT_INTEGRITY, 0, "'%s': size or SHA-256 "
		    "differs from '%s': refused", shown, rel->file);
		goto out;
	}
	rc = chain_parse_packages(tmp, idx, shown, err);
out:
	if (tmp >= 0)
		close(tmp);
	if (fd >= 0)
		close(fd);
	free(path);
	free(stem);
	free(shown);
	return rc;
}

static int
chain_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the lists directory, sorted. */
static int
chain_list(struct chain *c, struct cs_err *err)
{
	struct dirent	*d;
	DIR		*dir;
	char		*shown;
	int		 fd;

	if ((fd = dup(c->dfd)) < 0 || (dir = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		shown = cs_encode_dup(c->lists);
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot list '%s'",
		    shown);
		free(shown);
		return -1;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		c->names = cs_xreallocarray(c->names, c->nnames + 1,
		    sizeof *c->names);
		c->names[c->nnames++] = cs_xstrdup(d->d_name);
	}
	closedir(dir);
	if (c->nnames > 1)
		qsort(c->names, c->nnames, sizeof *c->names, chain_name_cmp);
	return 0;
}

/* What the header keeps of a Release, and the notes on its dates. */
static void
chain_used(struct chain_rel *rel, struct cs_deb_index *idx)
{
	struct cs_deb_used *u;
	char		*shown = cs_encode_dup(rel->file);

	idx->used = cs_xreallocarray(idx->used, idx->nused + 1,
	    sizeof *idx->used);
	u = &idx->used[idx->nused++];
	u->file = cs_xstrdup(rel->file);
	u->date = rel->r.date != NULL ? cs_xstrdup(rel->r.date) : NULL;
	u->valid_until = rel->r.valid_until != NULL ?
	    cs_xstrdup(rel->r.valid_until) : NULL;
	if (rel->r.valid_until == NULL)
		chain_note(idx, cs_xasprintf("'%s' has no Valid-Until: how "
		    "current it is is not known", shown));
	else if (rel->r.valid_until_t < (int64_t)time(NULL))
		chain_note(idx, cs_xasprintf("'%s' expired on %s (Valid-Until;"
		    " normal for a snapshot archive)", shown,
		    rel->r.valid_until));
	free(shown);
}

/* Make the private directory for gpgv and the keyring's full name. */
static int
chain_setup(struct chain *c, struct cs_err *err)
{
	const char	*t = getenv("TMPDIR");
	const char	*kr = c->o->keyring != NULL ? c->o->keyring :
	    CS_DEB_KEYRING;
	char		*shown;

	if ((c->keyring = realpath(kr, NULL)) == NULL ||
	    access(c->keyring, R_OK) != 0) {
		shown = cs_encode_dup(kr);
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot read the "
		    "keyring '%s'", shown);
		free(shown);
		return -1;
	}
	c->tmp = cs_xasprintf("%s/custos-deb.XXXXXX", t != NULL && *t != '\0'
	    ? t : "/tmp");
	if (mkdtemp(c->tmp) == NULL) {
		free(c->tmp);
		c->tmp = NULL;
		return cs_err_set(err, CS_EXIT_CANTCREAT, errno, "cannot make "
		    "a temporary directory");
	}
	return 0;
}

/* Remove the private directory and what gpgv may have left in it. */
static void
chain_cleanup(struct chain *c)
{
	struct dirent	*d;
	DIR		*dir;

	if (c->tmp == NULL)
		return;
	if ((dir = opendir(c->tmp)) != NULL) {
		while ((d = readdir(dir)) != NULL) {
			if (strcmp(d->d_name, ".") != 0 &&
			    strcmp(d->d_name, "..") != 0)
				(void)unlinkat(dirfd(dir), d->d_name, 0);
		}
		closedir(dir);
	}
	(void)rmdir(c->tmp);
	free(c->tmp);
}

/* Verify the Releases, then the Packages files against them. */
static int
chain_run(struct chain *c, struct cs_deb_index *idx, struct cs_err *err)
{
	size_t	 i, base, npk = 0;
	char	*shown;

	if (chain_list(c, err) != 0 || chain_setup(c, err) != 0)
		return -1;
	chain_find_releases(c);
	for (i = 0; i < c->nrels; i++) {
		if (chain_release(c, i, err) != 0)
			return -1;
		chain_used(&c->rels[i], idx);
	}
	for (i = 0; i < c->nnames; i++) {
		if ((base = chain_packages_base(c->names[i])) == 0)
			continue;
		npk++;
		if (chain_packages(c, c->names[i], base, idx, err) != 0)
			return -1;
	}
	if (npk == 0) {
		shown = cs_encode_dup(c->lists);
		cs_err_set(err, CS_EXIT_NOINPUT, 0, "no Packages files in "
		    "'%s'", shown);
		free(shown);
		return -1;
	}
	cs_deb_index_sort(idx);
	return 0;
}

int
cs_deb_chain_load(const struct cs_deb_chain_opts *o,
    struct cs_deb_index *idx, struct cs_err *err)
{
	struct chain	 c;
	const char	*dir = o->lists != NULL ? o->lists : CS_DEB_LISTS;
	char		*shown;
	size_t		 i;
	int		 rc = -1;

	memset(&c, 0, sizeof c);
	c.o = o;
	c.lists = dir;
	if ((c.dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		shown = cs_encode_dup(dir);
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open the lists "
		    "directory '%s'", shown);
		free(shown);
		return -1;
	}
	rc = chain_run(&c, idx, err);
	chain_cleanup(&c);
	for (i = 0; i < c.nrels; i++) {
		free(c.rels[i].prefix);
		free(c.rels[i].file);
		cs_deb_release_release(&c.rels[i].r);
	}
	for (i = 0; i < c.nnames; i++)
		free(c.names[i]);
	free(c.rels);
	free(c.names);
	free(c.keyring);
	close(c.dfd);
	return rc;
}
