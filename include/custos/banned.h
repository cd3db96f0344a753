/*
 * banned.h: libc functions that have no place in custos.
 *
 * Each is replaced by a bounded or reentrant alternative: cs_buf and
 * cs_xasprintf for string building, gmtime_r and localtime_r for time,
 * mkstemp/openat(O_EXCL) for temporary files.  Included last by custos.h,
 * so system headers declare the originals first.
 */
#ifndef CUSTOS_BANNED_H
#define CUSTOS_BANNED_H

#define CS_BANNED(f)	sorry_##f##_is_banned_in_custos

#undef strcpy
#define strcpy(a, b)		CS_BANNED(strcpy)
#undef strcat
#define strcat(a, b)		CS_BANNED(strcat)
#undef strncpy
#define strncpy(a, b, n)	CS_BANNED(strncpy)
#undef sprintf
#define sprintf(...)		CS_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...)		CS_BANNED(vsprintf)
#undef strtok
#define strtok(a, b)		CS_BANNED(strtok)
#undef gets
#define gets(a)			CS_BANNED(gets)
#undef ctime
#define ctime(t)		CS_BANNED(ctime)
#undef localtime
#define localtime(t)		CS_BANNED(localtime)
#undef gmtime
#define gmtime(t)		CS_BANNED(gmtime)
#undef mktemp
#define mktemp(t)		CS_BANNED(mktemp)
#undef tmpnam
#define tmpnam(t)		CS_BANNED(tmpnam)

#endif /* CUSTOS_BANNED_H */
