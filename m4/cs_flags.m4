# CS_CHECK_CFLAG(FLAG, [ACTION-IF-ACCEPTED], [ACTION-IF-REJECTED])
# Compile an empty program with FLAG added (and -Werror, so that a flag the
# compiler merely warns about counts as rejected).
AC_DEFUN([CS_CHECK_CFLAG], [
	AS_VAR_PUSHDEF([cs_cv], [cs_cv_cflag_$1])
	AC_CACHE_CHECK([whether $CC accepts $1], [cs_cv], [
		cs_save_CFLAGS="$CFLAGS"
		CFLAGS="$CFLAGS -Werror $1"
		AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[]], [[return 0;]])],
		    [AS_VAR_SET([cs_cv], [yes])], [AS_VAR_SET([cs_cv], [no])])
		CFLAGS="$cs_save_CFLAGS"
	])
	AS_VAR_IF([cs_cv], [yes], [$2], [$3])
	AS_VAR_POPDEF([cs_cv])
])

# AX_PTHREAD_SIMPLE: find how to link POSIX threads (glibc: -pthread).
AC_DEFUN([AX_PTHREAD_SIMPLE], [
	AC_MSG_CHECKING([for -pthread])
	cs_save_CFLAGS="$CFLAGS"
	CFLAGS="$CFLAGS -pthread"
	AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <pthread.h>]],
	    [[pthread_t t; return pthread_create(&t, 0, 0, 0);]])],
	    [PTHREAD_CFLAGS=-pthread; PTHREAD_LIBS=-pthread; AC_MSG_RESULT([yes])],
	    [AC_MSG_RESULT([no])
	     AC_SEARCH_LIBS([pthread_create], [pthread], [],
	        [AC_MSG_ERROR([POSIX threads not found])])])
	CFLAGS="$cs_save_CFLAGS"
	AC_SUBST([PTHREAD_CFLAGS])
	AC_SUBST([PTHREAD_LIBS])
])
