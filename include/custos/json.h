/*
 * json.h: a strict, bounded reader of one JSON text (one line of a JSON
 * Lines file custos wrote).
 *
 * What custos writes is read back: objects, arrays, strings, numbers,
 * true, false and null, as RFC 8259 has them, with stricter limits since
 * the input is hostile.  Strings must be printable ASCII (custos encodes
 * every other byte before writing, path.h); an escape must name a
 * printable ASCII character or be one of \" \\ \/ \b \f \n \r \t; keys of
 * an object are unique; nesting is at most CS_JSON_MAXDEPTH deep and a
 * text holds at most CS_JSON_MAXNODES values.  Anything else is refused
 * with the column of the offending byte.
 */
#ifndef CUSTOS_JSON_H
#define CUSTOS_JSON_H

#include <stddef.h>
#include <stdint.h>

#define CS_JSON_MAXDEPTH	16
#define CS_JSON_MAXNODES	(1024 * 1024)

enum cs_json_type {
	CS_J_NULL = 0,
	CS_J_FALSE,
	CS_J_TRUE,
	CS_J_NUM,
	CS_J_STR,
	CS_J_ARR,
	CS_J_OBJ
};

/* One value; members of an object carry their name in KEY. */
struct cs_json {
	enum cs_json_type type;
	char		*key;		/* member name, or NULL */
	char		*s;		/* string, or a number's text */
	size_t		 len;
	struct cs_json	*v;		/* elements or members */
	size_t		 n;
};

/*
 * Parse the LEN bytes at TEXT as one JSON value (white space around it
 * allowed, nothing else).  Returns a heap value, or NULL with a message
 * in *WHY (heap) that names the column (1-based).
 */
struct cs_json	*cs_json_parse(const char *, size_t, char **);
void		 cs_json_free(struct cs_json *);
/* The member KEY of object O, or NULL (also when O is not an object). */
const struct cs_json *cs_json_get(const struct cs_json *, const char *);
/* The string of V, or NULL if V is NULL or not a string. */
const char	*cs_json_str_of(const struct cs_json *);
/* V as an unsigned integer (digits only, no sign): 0, or -1. */
int		 cs_json_u64(const struct cs_json *, uint64_t *);

#endif /* CUSTOS_JSON_H */
