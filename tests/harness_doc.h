/*
 * harness_doc.h - what the library's unit tests share beyond harness.h:
 * the source tree, diagnostics collected as text, and reading a string as
 * a given format.  Include after internal.h.
 */
#ifndef TANDEM_HARNESS_DOC_H
#define TANDEM_HARNESS_DOC_H

#include <stdlib.h>

/* The source tree: $TANDEM_SOURCE_DIR, else where the test was built from. */
static inline const char *harness_src_dir(void)
{
	const char *s = getenv("TANDEM_SOURCE_DIR");
	return s && *s ? s : TANDEM_SOURCE_DIR;
}

/* A tandem_diag_fn: each diagnostic as one formatted line into a tandem__buf. */
static inline void harness_collect(const tandem_diag *d, void *user)
{
	char buf[2048];
	tandem_diag_format(d, buf, sizeof buf);
	tandem__buf_puts(user, buf);
	tandem__buf_putc(user, '\n');
}

/* Read text as `format` under the name `name`; diagnostics into diags (may be NULL). */
static inline tandem_doc *harness_read(const char *text, size_t len, const char *name,
                                       const char *format, const char *encoding, int strict,
                                       tandem__buf *diags, int *status)
{
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.filename = name;
	ro.format = format;
	ro.encoding = encoding;
	ro.strict = strict;
	ro.diag = diags ? harness_collect : NULL;
	ro.diag_user = diags;
	tandem_doc *doc = NULL;
	int rc = tandem_doc_read(&doc, text, len, &ro);
	if (status)
		*status = rc;
	return doc;
}

#endif
