/*
 * vendor_scripts.c: what a package's own postinst sets after install,
 * proven by the signed package (vendor.h).
 *
 * A postinst may make a file setuid (polkitd's set_perms ... 4755), or
 * give it capabilities (setcap in iputils-ping's and libgstreamer's):
 * the tree then differs from what the .deb shipped, and an intruder
 * doing the same is the back door the check is for.  The difference is
 * explained only when the package's postinst in the examined root's
 * /var/lib/dpkg/info has exactly the content of a signed version's
 * (its SHA-256, recorded in the vendor baseline from control.tar, is
 * compared with what is read now, so a script changed after the walk
 * explains nothing) and names the file, by its path or, under a merged
 * /usr, by the path the package gives it (/bin/ip for /usr/bin/ip).
 */
#include "custos/custos.h"

#include <openssl/evp.h>

#include <stdlib.h>
#include <string.h>

#include "custos/entry.h"
#include "custos/vendor.h"
#include "custos/xmalloc.h"

#include "vendor_int.h"

#define VSCRIPT_DIR	"/var/lib/dpkg/info/"

struct vscript {
	char		*name;		/* below VSCRIPT_DIR */
	unsigned char	 sha256[32];
};

struct cs_vscripts {
	struct vscript	*v;
	size_t		 n;
	size_t		 cap;
	int		 sorted;
};

static int
vscript_cmp(const void *a, const void *b)
{
	const struct vscript	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return memcmp(x->sha256, y->sha256, sizeof x->sha256);
}

void
cs_vmap_add_script(struct cs_vmap *m, const char *path, size_t len,
    const unsigned char *sha256)
{
	struct cs_vscripts	**sp = cs_vmap_scripts(m), *s;
	size_t			 dl = strlen(VSCRIPT_DIR);

	if (len <= dl || memcmp(path, VSCRIPT_DIR, dl) != 0 ||
	    memchr(path + dl, '/', len - dl) != NULL ||
	    memchr(path, '\0', len) != NULL)
		return;
	if ((s = *sp) == NULL)
		s = *sp = cs_xcalloc(1, sizeof *s);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = cs_xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	s->v[s->n].name = cs_xmemdup(path + dl, len - dl + 1);
	s->v[s->n].name[len - dl] = '\0';
	memcpy(s->v[s->n].sha256, sha256, 32);
	s->n++;
	s->sorted = 0;
}

void
cs_vscripts_free(struct cs_vscripts *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	free(s);
}

/* Is SHA256 one of a signed version's for the script NAME? */
static int
vscript_signed(struct cs_vscripts *s, const char *name,
    const unsigned char *sha256)
{
	struct vscript	 key;

	if (s == NULL || s->n == 0)
		return 0;
	if (!s->sorted) {
		qsort(s->v, s->n, sizeof *s->v, vscript_cmp);
		s->sorted = 1;
	}
	key.name = (char *)(uintptr_t)name;
	memcpy(key.sha256, sha256, sizeof key.sha256);
	return bsearch(&key, s->v, s->n, sizeof *s->v, vscript_cmp) != NULL;
}

/* Bytes a path in a shell script is made of. */
static int
vscript_pathbyte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("._/-+~@%", c) != NULL;
}

/* Does TEXT (N bytes) name the path P, as a whole word? */
static int
vscript_names(const char *text, size_t n, const char *p)
{
	size_t		 pl = strlen(p);
	const char	*hit = text, *end = text + n;

	while (pl > 0 && (size_t)(end - hit) >= pl &&
	    (hit = memmem(hit, (size_t)(end - hit), p, pl)) != NULL) {
		if ((hit == text || !vscript_pathbyte((unsigned char)hit[-1])) &&
		    (hit + pl == end ||
		    !vscript_pathbyte((unsigned char)hit[pl])))
			return 1;
		hit++;
	}
	return 0;
}

/* The postinst NAME of the root, if signed, names PATH (or OTHER). */
static int
vscript_check(struct cs_vmap *m, const char *name, const char *path,
    const char *other)
{
	unsigned char	 md[32];
	unsigned int	 mdlen = 0;
	char		*text;
	size_t		 len;
	int		 ok = 0;

	if ((text = cs_vmap_slurp(m, "var/lib/dpkg/info", name, &len)) ==
	    NULL)
		return 0;
	if (EVP_Digest(text, len, md, &mdlen, EVP_sha256(), NULL) == 1 &&
	    mdlen == sizeof md &&
	    vscript_signed(*cs_vmap_scripts(m), name, md))
		ok = vscript_names(text, len, path) || (other != NULL &&
		    vscript_names(text, len, other));
	free(text);
	return ok;
}

char *
cs_vmap_script_explains(struct cs_vmap *m, const struct cs_entry *vrec,
    const char *path)
{
	struct vendor_ver	 v;
	char			*name, *other = NULL, *top;
	size_t			 i, n;
	int			 ok = 0;

	/* /usr/bin/ip under a merged /usr is /bin/ip to its package */
	if (strncmp(path, "/usr/", 5) == 0) {
		n = strcspn(path + 5, "/");
		top = cs_xmemdup(path + 4, n + 2);
		top[n + 1] = '\0';
		if (cs_vmap_toplink(m, top, &i) != NULL)
			other = cs_xstrdup(path + 4);
		free(top);
	}
	cs_vendor_ver(vrec, 0, &v);
	for (i = 0; i < 2 && !ok && v.package != NULL; i++) {
		if (i == 1 && v.arch == NULL)
			break;
		name = i == 0 ? cs_xasprintf("%s.postinst", v.package) :
		    cs_xasprintf("%s:%s.postinst", v.package, v.arch);
		ok = vscript_check(m, name, path, other);
		free(name);
	}
	free(other);
	return ok ? cs_xasprintf("set by the postinst of %s, whose content "
	    "is that of the signed package", v.package) : NULL;
}
