/*
 * util.h: shared helpers for the cmocka unit tests: a fresh temporary
 * directory per test, and small file builders.
 */
#ifndef CUSTOS_TEST_UTIL_H
#define CUSTOS_TEST_UTIL_H

#include <stddef.h>

/* cmocka setup/teardown: creates and removes the test's directory. */
int		 cs_test_setup_tmp(void **);
int		 cs_test_teardown_tmp(void **);
/* The current test's temporary directory. */
const char	*cs_test_tmp(void);
/* Heap path "TMP/NAME". */
char		*cs_test_path(const char *);
/* Write N bytes to TMP/NAME (created or truncated); returns 0 or -1. */
int		 cs_test_write(const char *, const void *, size_t);
/* Read a whole file into a heap buffer; returns NULL on error. */
char		*cs_test_read(const char *, size_t *);

#endif /* CUSTOS_TEST_UTIL_H */
