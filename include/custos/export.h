/*
 * export.h: records in the formats other tools read (doc/custos-export.5).
 *
 * Three sinks (sink.h) over one writer: a BSD mtree specification
 * (export_mtree.c), a Sleuth Kit body file (export_bodyfile.c) and JSON
 * Lines (export_json.c).  Each format is a header (possibly empty) and
 * one line per record; the sink buffers lines and writes them to the
 * descriptor it is given, which stays the caller's.  Names are raw
 * bytes: each format escapes them as its readers unescape them.
 */
#ifndef CUSTOS_EXPORT_H
#define CUSTOS_EXPORT_H

#include <stddef.h>

struct cs_buf;
struct cs_entry;
struct cs_sink;

enum cs_export_format {
	CS_EXPORT_MTREE = 0,
	CS_EXPORT_BODYFILE,
	CS_EXPORT_JSON
};

struct cs_export_opts {
	int		 fd;		/* written to, not closed */
	const char	*name;		/* for messages; borrowed */
	/* Digests exported (1 << enum cs_digest); others are dropped. */
	unsigned	 digests;
	/* Body file: the digest in the first column, or -1 for "0". */
	int		 body_digest;
};

/* "mtree", "bodyfile", "json" to a format; -1 if unknown. */
int		 cs_export_lookup(const char *);
/* The sink writing format F to O->fd (O is copied). */
struct cs_sink	*cs_sink_export(enum cs_export_format,
		    const struct cs_export_opts *);

/*
 * mtree: N bytes at P with vis(3) octal escapes (backslash and three
 * octal digits) for every byte outside 0x21..0x7e and for backslash,
 * '#', '=', '*', '?', '[' and ']' (so a
 * name is never a comment, a keyword or a pattern to mtree).
 */
void		 cs_export_mtree_name(struct cs_buf *, const void *, size_t);
/* mtree: the specification line of E (with its newline). */
void		 cs_export_mtree_line(struct cs_buf *, const struct cs_entry *);
/* mtree: what comes before the lines. */
void		 cs_export_mtree_header(struct cs_buf *);

/*
 * Body file: N bytes at P with '%', '|', backslash and bytes 0x80..0xff
 * as "%HH" (uppercase hex), which mactime(1) decodes to the byte, and the
 * control bytes 0x00..0x1f and 0x7f as backslash, "x" and two lowercase
 * hex digits, which it leaves alone (a decoded newline would break its
 * lines).  As every backslash is escaped, the escaping is reversible.
 */
void		 cs_export_body_name(struct cs_buf *, const void *, size_t);
/* Body file: "r/rrw-r--r--" (The Sleuth Kit's mode string) of E. */
void		 cs_export_body_mode(struct cs_buf *, const struct cs_entry *);
/* Body file: the line of E; DIGEST (enum cs_digest or -1) fills column 1. */
void		 cs_export_body_line(struct cs_buf *, const struct cs_entry *,
		    int);

/* JSON Lines: the object of E (with its newline). */
void		 cs_export_json_line(struct cs_buf *, const struct cs_entry *);

#endif /* CUSTOS_EXPORT_H */
