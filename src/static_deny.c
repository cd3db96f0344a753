/*
 * static_deny.c: what the static binary for trusted media refuses to do.
 *
 * Linked into custos only by --enable-static-binary, whose link redirects
 * every call of these glibc functions here (ld --wrap, set in
 * configure.ac), so that the binary holds no code that would, on the
 * examined machine, load a shared object (dlopen, reached through OpenSSL's
 * DSO and engine code), ask its name service (getpwnam and peers, reached
 * through libacl's conversions of ACLs that name a user) or resolve a host
 * name (getaddrinfo, gethostbyname, reached through OpenSSL's socket BIOs).
 * custos calls none of them: names come from the examined tree's own
 * etc/passwd and etc/group (names.c), OpenSSL's configuration is never
 * loaded (main.c) and ACLs are written with numeric ids.  glibc marks each
 * of them with a link-time warning (dlopen's is reached whenever locale
 * conversion, which libarchive uses, is linked); redirected, they raise
 * none, and --fatal-warnings still stops any other such call.
 */
#include "custos/custos.h"

#include <sys/types.h>

#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <stddef.h>

void		*__wrap_dlopen(const char *, int);
int		 __wrap_getaddrinfo(const char *, const char *,
		     const struct addrinfo *, struct addrinfo **);
void		 __wrap_freeaddrinfo(struct addrinfo *);
struct hostent	*__wrap_gethostbyname(const char *);
struct passwd	*__wrap_getpwnam(const char *);
struct passwd	*__wrap_getpwuid(uid_t);
struct group	*__wrap_getgrnam(const char *);
struct group	*__wrap_getgrgid(gid_t);

/* No shared object is loaded: that code would come from the suspect. */
void *
__wrap_dlopen(const char *file, int mode)
{
	(void)file;
	(void)mode;
	return NULL;
}

/* No name resolution: custos opens no network connection. */
int
__wrap_getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	(void)node;
	(void)service;
	(void)hints;
	*res = NULL;
	return EAI_FAIL;
}

/* Nothing to free: getaddrinfo above returns no list. */
void
__wrap_freeaddrinfo(struct addrinfo *res)
{
	(void)res;
}

/* No name resolution, as for getaddrinfo. */
struct hostent *
__wrap_gethostbyname(const char *name)
{
	(void)name;
	return NULL;
}

/* No user of that name: the name service is not asked. */
struct passwd *
__wrap_getpwnam(const char *name)
{
	(void)name;
	return NULL;
}

/* No user with that id: the name service is not asked. */
struct passwd *
__wrap_getpwuid(uid_t uid)
{
	(void)uid;
	return NULL;
}

/* No group of that name: the name service is not asked. */
struct group *
__wrap_getgrnam(const char *name)
{
	(void)name;
	return NULL;
}

/* No group with that id: the name service is not asked. */
struct group *
__wrap_getgrgid(gid_t gid)
{
	(void)gid;
	return NULL;
}
