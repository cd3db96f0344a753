/*
 * fuzz.h: what the libFuzzer targets under fuzz/ share.
 *
 * Each target is one file fuzz/fuzz_<name>.c defining
 * LLVMFuzzerTestOneInput; fuzz/run builds them against libcustos.a and
 * runs them.  Inputs are hostile bytes: nothing here may trust them.
 */
#ifndef CUSTOS_FUZZ_H
#define CUSTOS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A key fingerprint no key has, for the signature checks. */
#define FUZZ_FPR	"00000000000000000000000000000000" \
			"00000000000000000000000000000000"

/*
 * A file name of this process's own under $TMPDIR ending in SUFFIX
 * (heap string, the same on every call with the same suffix).
 */
char	*fuzz_path(const char *);
/* Remove the files named by fuzz_path. */
void	 fuzz_cleanup(void);
/* Replace the content of PATH by the N bytes at P; aborts on failure. */
void	 fuzz_write(const char *, const void *, size_t);
/*
 * A heap copy of the N bytes at P (not NUL-terminated) in which the 64
 * hex digits after "sha256=" on the last line starting "#end " are the
 * SHA-256 of every byte before that line, so that mutated text gets past
 * the digest and reaches what follows it.  Unchanged if there is no such
 * line.
 */
char	*fuzz_fix_end(const uint8_t *, size_t);

#endif /* CUSTOS_FUZZ_H */
