/*
 * fuzz_util.c: scratch files and digest fix-ups for the fuzz targets.
 */
#include "custos/custos.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "custos/path.h"
#include "custos/xmalloc.h"
#include "fuzz.h"

/* The files handed out by fuzz_path, for fuzz_cleanup. */
static char	*fuzz_paths[8];
static size_t	 fuzz_npaths;

char *
fuzz_path(const char *suffix)
{
	const char	*dir = getenv("TMPDIR");
	char		*p;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	p = cs_xasprintf("%s/custos-fuzz-%ld%s", dir, (long)getpid(), suffix);
	if (fuzz_npaths == CS_NELEM(fuzz_paths))
		abort();
	fuzz_paths[fuzz_npaths++] = p;
	return p;
}

void
fuzz_cleanup(void)
{
	while (fuzz_npaths > 0)
		(void)unlink(fuzz_paths[--fuzz_npaths]);
}

void
fuzz_write(const char *path, const void *p, size_t n)
{
	int	 fd;

	(void)unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || (n > 0 && write(fd, p, n) != (ssize_t)n) ||
	    close(fd) != 0) {
		perror(path);
		abort();
	}
}

char *
fuzz_fix_end(const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	 md[32];
	char		*c, *end = NULL, *s, *nl;
	size_t		 off, i, left;

	/* Exactly N bytes, no NUL after them: over-reads are caught. */
	c = cs_xmalloc(n > 0 ? n : 1);
	memcpy(c, p, n);
	for (off = 0; off < n; off = (size_t)(nl - c) + 1) {
		if (n - off >= 5 && memcmp(c + off, "#end ", 5) == 0)
			end = c + off;
		if ((nl = memchr(c + off, '\n', n - off)) == NULL)
			break;
	}
	if (end == NULL)
		return c;
	left = n - (size_t)(end - c);
	nl = memchr(end, '\n', left);
	if (nl != NULL)
		left = (size_t)(nl - end);
	for (s = end; (size_t)(s - end) + 7 <= left; s++)
		if (memcmp(s, "sha256=", 7) == 0)
			break;
	if ((size_t)(s - end) + 7 + 64 > left)
		return c;
	s += 7;
	if (EVP_Digest(c, (size_t)(end - c), md, NULL, EVP_sha256(),
	    NULL) != 1)
		abort();
	for (i = 0; i < 32; i++) {
		s[2 * i] = hex[md[i] >> 4];
		s[2 * i + 1] = hex[md[i] & 15];
	}
	return c;
}
