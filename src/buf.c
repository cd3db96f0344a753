/*
 * buf.c: growable byte buffer.  Invariant: when data is not NULL,
 * data[len] == '\0' and len < cap.
 */
#include "custos/custos.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "custos/buf.h"
#include "custos/err.h"
#include "custos/path.h"
#include "custos/xmalloc.h"

static char cs_buf_empty[1];

void
cs_buf_init(struct cs_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
cs_buf_release(struct cs_buf *b)
{
	free(b->data);
	cs_buf_init(b);
}

void
cs_buf_reset(struct cs_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Make room for N more bytes plus the terminating NUL. */
void
cs_buf_grow(struct cs_buf *b, size_t n)
{
	size_t	 want;

	if (n >= SIZE_MAX - b->len - 1)
		want = SIZE_MAX;	/* cs_xrealloc fails and exits */
	else
		want = b->len + n + 1;
	if (want <= b->cap)
		return;
	if (b->cap < 64)
		b->cap = 64;
	while (b->cap < want)
		b->cap = b->cap > SIZE_MAX / 2 ? want : b->cap * 2;
	b->data = cs_xrealloc(b->data, b->cap);
	b->data[b->len] = '\0';
}

void
cs_buf_add(struct cs_buf *b, const void *p, size_t n)
{
	cs_buf_grow(b, n);
	if (n != 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
cs_buf_addc(struct cs_buf *b, char c)
{
	cs_buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void
cs_buf_adds(struct cs_buf *b, const char *s)
{
	cs_buf_add(b, s, strlen(s));
}

void
cs_buf_vprintf(struct cs_buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	cs_buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
cs_buf_printf(struct cs_buf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cs_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
cs_buf_add_u64(struct cs_buf *b, uint64_t v)
{
	char	 tmp[21];
	size_t	 n;

	n = cs_fmt_u64(tmp, sizeof tmp, v);
	cs_buf_add(b, tmp, n);
}

size_t
cs_fmt_u64(char *buf, size_t size, uint64_t v)
{
	char	 tmp[20];
	size_t	 n = 0;

	if (size == 0)
		return 0;
	do {
		tmp[sizeof tmp - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	memcpy(buf, tmp + sizeof tmp - n, n < size ? n : size - 1);
	if (n > size - 1)
		n = size - 1;
	buf[n] = '\0';
	return n;
}

char *
cs_buf_detach(struct cs_buf *b, size_t *lenp)
{
	char	*p;

	if (b->data == NULL)
		cs_buf_grow(b, 0);
	p = b->data;
	if (lenp != NULL)
		*lenp = b->len;
	cs_buf_init(b);
	return p;
}

const char *
cs_buf_str(const struct cs_buf *b)
{
	return b->data != NULL ? b->data : cs_buf_empty;
}

int
cs_buf_read_file(struct cs_buf *b, const char *path, size_t max,
    const char *what, struct cs_err *err)
{
	char	 chunk[8192], *shown;
	size_t	 start = b->len;
	ssize_t	 n;
	int	 fd, rc = -1;

	shown = cs_encode_dup(path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		cs_err_set(err, CS_EXIT_NOINPUT, errno, "cannot open %s '%s'",
		    what, shown);
		goto out;
	}
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || b->len - start + (size_t)n > max) {
			cs_err_set(err, n < 0 ? CS_EXIT_IOERR : CS_EXIT_DATAERR,
			    n < 0 ? errno : 0, n < 0 ? "cannot read %s '%s'" :
			    "%s '%s' is too large", what, shown);
			goto out;
		}
		cs_buf_add(b, chunk, (size_t)n);
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(shown);
	return rc;
}
