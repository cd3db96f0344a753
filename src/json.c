/*
 * json.c: the strict JSON reader (json.h).
 *
 * A recursive descent over one text, bounded in depth and in the number
 * of values, so a hostile line can neither exhaust the stack nor make
 * the tree much larger than the line.  Every value is checked as it is
 * read; the first fault ends the parse with its column.
 */
#include "custos/custos.h"

#include <stdlib.h>
#include <string.h>

#include "custos/buf.h"
#include "custos/json.h"
#include "custos/path.h"
#include "custos/xmalloc.h"

struct json_p {
	const char	*s;
	size_t		 len;
	size_t		 i;
	size_t		 nodes;
	char		*why;
};

static int	json_value(struct json_p *, struct cs_json *, int);

/* Record the first fault, at the current column; returns -1. */
static int
json_fail(struct json_p *p, const char *what)
{
	if (p->why == NULL)
		p->why = cs_xasprintf("%s at column %zu", what, p->i + 1);
	return -1;
}

static void
json_ws(struct json_p *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
	    p->s[p->i] == '\r' || p->s[p->i] == '\n'))
		p->i++;
}

static void
json_release(struct cs_json *v)
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		json_release(&v->v[i]);
	free(v->v);
	free(v->key);
	free(v->s);
}

void
cs_json_free(struct cs_json *v)
{
	if (v == NULL)
		return;
	json_release(v);
	free(v);
}

/* One \uXXXX escape, of a printable ASCII character: its value, or -1. */
static int
json_uescape(struct json_p *p)
{
	int	 c = 0, k, h;

	if (p->len - p->i < 4)
		return json_fail(p, "short \\u escape");
	for (k = 0; k < 4; k++) {
		h = (unsigned char)p->s[p->i + (size_t)k];
		if (h >= '0' && h <= '9')
			h -= '0';
		else if (h >= 'a' && h <= 'f')
			h -= 'a' - 10;
		else if (h >= 'A' && h <= 'F')
			h -= 'A' - 10;
		else
			return json_fail(p, "bad \\u escape");
		c = c * 16 + h;
	}
	if (c < 0x20 || c > 0x7e)
		return json_fail(p, "\\u escape of a byte custos encodes");
	p->i += 4;
	return c;
}

/* A string (P at its opening quote) into *OUT and *LEN. */
static int
json_string(struct json_p *p, char **out, size_t *lenp)
{
	static const char	 from[] = "\"\\/bfnrt";
	static const char	 to[] = "\"\\/\b\f\n\r\t";
	struct cs_buf		 b;
	const char		*e;
	int			 c;

	cs_buf_init(&b);
	p->i++;
	for (;;) {
		if (p->i >= p->len) {
			cs_buf_release(&b);
			return json_fail(p, "unterminated string");
		}
		c = (unsigned char)p->s[p->i];
		if (c == '"')
			break;
		if (c < 0x20 || c > 0x7e) {
			cs_buf_release(&b);
			return json_fail(p, "byte outside printable ASCII "
			    "in a string");
		}
		p->i++;
		if (c == '\\') {
			if (p->i >= p->len) {
				cs_buf_release(&b);
				return json_fail(p, "unterminated string");
			}
			if (p->s[p->i] == 'u') {
				p->i++;
				if ((c = json_uescape(p)) < 0) {
					cs_buf_release(&b);
					return -1;
				}
			} else if (p->s[p->i] != '\0' &&
			    (e = strchr(from, p->s[p->i])) != NULL) {
				c = (unsigned char)to[e - from];
				p->i++;
			} else {
				cs_buf_release(&b);
				return json_fail(p, "bad escape");
			}
		}
		cs_buf_addc(&b, (char)c);
	}
	p->i++;
	*out = cs_buf_detach(&b, lenp);
	return 0;
}

/* A number, kept as its text, checked against RFC 8259's grammar. */
static int
json_number(struct json_p *p, struct cs_json *v)
{
	size_t	 start = p->i, d;

	if (p->i < p->len && p->s[p->i] == '-')
		p->i++;
	if (p->i < p->len && p->s[p->i] == '0')
		p->i++;
	else {
		for (d = p->i; p->i < p->len && p->s[p->i] >= '0' &&
		    p->s[p->i] <= '9'; p->i++)
			;
		if (p->i == d)
			return json_fail(p, "bad number");
	}
	if (p->i < p->len && p->s[p->i] == '.') {
		for (d = ++p->i; p->i < p->len && p->s[p->i] >= '0' &&
		    p->s[p->i] <= '9'; p->i++)
			;
		if (p->i == d)
			return json_fail(p, "bad number");
	}
	if (p->i < p->len && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		for (d = p->i; p->i < p->len && p->s[p->i] >= '0' &&
		    p->s[p->i] <= '9'; p->i++)
			;
		if (p->i == d)
			return json_fail(p, "bad number");
	}
	if (p->i - start > 64)
		return json_fail(p, "number too long");
	v->type = CS_J_NUM;
	v->len = p->i - start;
	v->s = cs_xmalloc(v->len + 1);
	memcpy(v->s, p->s + start, v->len);
	v->s[v->len] = '\0';
	return 0;
}

/* Append a new value to the container V; NULL past the node limit. */
static struct cs_json *
json_push(struct json_p *p, struct cs_json *v, size_t *cap)
{
	if (++p->nodes > CS_JSON_MAXNODES) {
		json_fail(p, "too many values");
		return NULL;
	}
	if (v->n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		v->v = cs_xreallocarray(v->v, *cap, sizeof *v->v);
	}
	memset(&v->v[v->n], 0, sizeof v->v[v->n]);
	return &v->v[v->n++];
}

/* An array or an object (P at its opening bracket). */
static int
json_container(struct json_p *p, struct cs_json *v, int depth)
{
	struct cs_json	*m;
	size_t		 cap = 0, k;
	char		 close;
	int		 obj;

	obj = p->s[p->i] == '{';
	close = obj ? '}' : ']';
	v->type = obj ? CS_J_OBJ : CS_J_ARR;
	if (depth >= CS_JSON_MAXDEPTH)
		return json_fail(p, "nested too deep");
	p->i++;
	json_ws(p);
	if (p->i < p->len && p->s[p->i] == close) {
		p->i++;
		return 0;
	}
	for (;;) {
		if ((m = json_push(p, v, &cap)) == NULL)
			return -1;
		json_ws(p);
		if (obj) {
			if (p->i >= p->len || p->s[p->i] != '"')
				return json_fail(p, "expected a member name");
			if (json_string(p, &m->key, NULL) != 0)
				return -1;
			for (k = 0; k + 1 < v->n; k++) {
				if (strcmp(v->v[k].key, m->key) == 0)
					return json_fail(p, "duplicate member");
			}
			json_ws(p);
			if (p->i >= p->len || p->s[p->i] != ':')
				return json_fail(p, "expected ':'");
			p->i++;
		}
		if (json_value(p, m, depth + 1) != 0)
			return -1;
		json_ws(p);
		if (p->i < p->len && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->len && p->s[p->i] == close) {
			p->i++;
			return 0;
		}
		return json_fail(p, obj ? "expected ',' or '}'" :
		    "expected ',' or ']'");
	}
}

/* Any value, at DEPTH. */
static int
json_value(struct json_p *p, struct cs_json *v, int depth)
{
	static const struct {
		const char		*word;
		enum cs_json_type	 type;
	} words[] = {
		{ "null", CS_J_NULL }, { "false", CS_J_FALSE },
		{ "true", CS_J_TRUE }
	};
	size_t	 k, n;
	char	 c;

	json_ws(p);
	if (p->i >= p->len)
		return json_fail(p, "expected a value");
	c = p->s[p->i];
	if (c == '{' || c == '[')
		return json_container(p, v, depth);
	if (c == '"') {
		v->type = CS_J_STR;
		return json_string(p, &v->s, &v->len);
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return json_number(p, v);
	for (k = 0; k < CS_NELEM(words); k++) {
		n = strlen(words[k].word);
		if (p->len - p->i >= n &&
		    memcmp(p->s + p->i, words[k].word, n) == 0) {
			p->i += n;
			v->type = words[k].type;
			return 0;
		}
	}
	return json_fail(p, "expected a value");
}

struct cs_json *
cs_json_parse(const char *text, size_t len, char **why)
{
	struct json_p	 p;
	struct cs_json	*v;

	memset(&p, 0, sizeof p);
	p.s = text;
	p.len = len;
	v = cs_xcalloc(1, sizeof *v);
	if (json_value(&p, v, 0) == 0) {
		json_ws(&p);
		if (p.i != p.len)
			json_fail(&p, "text after the value");
	}
	if (p.why != NULL) {
		cs_json_free(v);
		*why = p.why;
		return NULL;
	}
	*why = NULL;
	return v;
}

const struct cs_json *
cs_json_get(const struct cs_json *o, const char *key)
{
	size_t	 i;

	if (o == NULL || o->type != CS_J_OBJ)
		return NULL;
	for (i = 0; i < o->n; i++) {
		if (strcmp(o->v[i].key, key) == 0)
			return &o->v[i];
	}
	return NULL;
}

const char *
cs_json_str_of(const struct cs_json *v)
{
	return v != NULL && v->type == CS_J_STR ? v->s : NULL;
}

int
cs_json_u64(const struct cs_json *v, uint64_t *out)
{
	uint64_t	 x = 0;
	size_t		 i;

	if (v == NULL || v->type != CS_J_NUM || v->len == 0)
		return -1;
	for (i = 0; i < v->len; i++) {
		if (v->s[i] < '0' || v->s[i] > '9' ||
		    x > (UINT64_MAX - (uint64_t)(v->s[i] - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(v->s[i] - '0');
	}
	*out = x;
	return 0;
}
