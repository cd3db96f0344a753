/*
 * buf.h: a growable byte buffer, always NUL-terminated.
 *
 * The data may hold NUL bytes; len counts them.  cs_buf_init leaves an
 * empty buffer that owns no memory; cs_buf_release frees it.
 */
#ifndef CUSTOS_BUF_H
#define CUSTOS_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct cs_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 cs_buf_init(struct cs_buf *);
void	 cs_buf_release(struct cs_buf *);
void	 cs_buf_reset(struct cs_buf *);
void	 cs_buf_grow(struct cs_buf *, size_t);
void	 cs_buf_add(struct cs_buf *, const void *, size_t);
void	 cs_buf_addc(struct cs_buf *, char);
void	 cs_buf_adds(struct cs_buf *, const char *);
void	 cs_buf_printf(struct cs_buf *, const char *, ...) CS_PRINTF(2, 3);
void	 cs_buf_vprintf(struct cs_buf *, const char *, va_list)
	    CS_PRINTF(2, 0);
/* Append an unsigned number in decimal (no printf: records are hot). */
void	 cs_buf_add_u64(struct cs_buf *, uint64_t);
/*
 * Write V in decimal and a NUL into BUF of SIZE bytes (21 hold any V);
 * returns the number of digits written.
 */
size_t	 cs_fmt_u64(char *, size_t, uint64_t);
/* Hand the data to the caller (who frees it) and reset the buffer. */
char	*cs_buf_detach(struct cs_buf *, size_t *);
/*
 * Append all of the file PATH, at most MAX bytes, to B; WHAT names it in
 * messages ("cannot open policy '...'").  0, or -1 with ERR set:
 * CS_EXIT_NOINPUT, CS_EXIT_IOERR, or CS_EXIT_DATAERR if it is larger.
 */
struct cs_err;
int	 cs_buf_read_file(struct cs_buf *, const char *, size_t, const char *,
	    struct cs_err *);
/* Borrow the data as a C string (never NULL). */
const char *cs_buf_str(const struct cs_buf *);

#endif /* CUSTOS_BUF_H */
