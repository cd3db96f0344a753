/*
 * content.c: a record's content as its source read it (content.h).
 */
#include "custos/custos.h"

#include <unistd.h>

#include "custos/content.h"
#include "custos/readahead.h"
#include "custos/xmalloc.h"

struct cs_content *
cs_content_new(void)
{
	struct cs_content	*c;

	c = cs_xcalloc(1, sizeof *c);
	c->fd = -1;
	return c;
}

void
cs_content_clear(struct cs_content *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	cs_readahead_file_free(c->ahead);
	c->ahead = NULL;
	c->have_prefix = 0;
}

void
cs_content_free(struct cs_content *c)
{
	if (c == NULL)
		return;
	cs_content_clear(c);
	free(c);
}
