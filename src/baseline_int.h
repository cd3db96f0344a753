/*
 * baseline_int.h: what the baseline codec (baseline.c), writer
 * (baseline_write.c) and reader (baseline_read.c) share; not part of the
 * library's interface.
 */
#ifndef CUSTOS_BASELINE_INT_H
#define CUSTOS_BASELINE_INT_H

#include <stddef.h>
#include <stdint.h>

struct cs_entry;

/* Strict unsigned decimal: no sign, no leading zeros, at most MAX. */
int	 cs_bl_parse_u64(const char *, size_t, uint64_t, uint64_t *);
/* cs_bl_parse into an entry that is known to be clear (a new one). */
int	 cs_bl_parse_new(const char *, size_t, struct cs_entry *,
	    const char **);

#endif /* CUSTOS_BASELINE_INT_H */
