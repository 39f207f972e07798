/*
 * read.c - reading a document: from a caller's buffer or a file (big files
 * mapped, not copied), decoded to UTF-8, its reader chosen (a forced
 * format, else the file's extension, else the content's strongest claim),
 * run, and its bilingual layout normalised.  The steps are open to the
 * streamed conversion (read.h), which runs the reader its own way.
 */
#include "read.h"
#include "bilingual.h"
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void tandem_read_opts_init(tandem_read_opts *o)
{
	memset(o, 0, sizeof *o);
}

/* Pick the reader: forced name, else the content's strongest claim, else the extension. */
static const tandem__format *choose_format(const tandem_read_opts *o, const char *text,
                                          size_t len, tandem__reader *r)
{
	if (o->format) {
		const tandem__format *f = tandem__format_find(o->format);
		if (!f || !f->read) {
			tandem__error(r, "format-unknown", 0, 0, "cannot read format '%s'", o->format);
			return NULL;
		}
		return f;
	}
	const tandem__format *byext = tandem__format_find(tandem_format_from_path(o->filename));
	/* An annotated post is Markdown too; a .md file that is one is read,
	 * and named, as a post. */
	if (byext && strcmp(byext->name, "md") == 0) {
		const tandem__format *post = tandem__format_find("post");
		if (post && post->sniff(text, len) >= 75)
			byext = post;
	}
	if (byext && byext->read)
		return byext;
	const char *name = tandem__format_sniff(text, len);
	const tandem__format *f = tandem__format_find(name);
	if (!f) {
		tandem__error(r, "format-unknown", 0, 0, "cannot tell the format of this input");
		return NULL;
	}
	return f;
}

/*
 * Decode `data`, which must have a NUL at data[len] (the decoder hands
 * valid UTF-8 to the reader in place), and choose its reader.  lazy: plain
 * UTF-8 is checked as it is read (tandem__decode_lazy), not here.
 */
int tandem__read_prepare(tandem__read_state *st, const char *data, size_t len,
                         const tandem_read_opts *opts, bool lazy)
{
	tandem_read_opts defaults;
	if (!opts) {
		tandem_read_opts_init(&defaults);
		opts = &defaults;
	}
	memset(st, 0, sizeof *st);
	st->fd = -1;
	tandem__reader *r = &st->r;
	r->filename = opts->filename ? opts->filename : "<input>";
	r->strict = opts->strict;
	r->diag = opts->diag;
	r->diag_user = opts->diag_user;
	if (len == 0) {
		tandem__error(r, "empty-input", 0, 0, "input is empty");
		return TANDEM_EEMPTY;
	}
	int rc = lazy ? tandem__decode_lazy(data, len, opts->encoding, &st->text, &st->tlen,
	                                    &st->enc, &st->owned, &st->unchecked, r)
	              : tandem__decode(data, len, opts->encoding, &st->text, &st->tlen, &st->enc,
	                               &st->owned, r);
	if (rc)
		return rc;
	r->data = st->text;
	r->len = st->tlen;
	st->f = choose_format(opts, st->text, st->tlen, r);
	return st->f ? 0 : TANDEM_EFORMAT;
}

void tandem__read_release(tandem__read_state *st)
{
	if (st->owned)
		free(st->text);
	st->text = NULL;
	st->owned = false;
}

int tandem__read_no_segments(tandem__read_state *st)
{
	tandem__error(&st->r, "no-segments", 0, 0, "no %s segments found in this input",
	              st->f->name);
	return TANDEM_EEMPTY;
}

/* Run the reader over the whole text.  quiet: its findings were already
 * reported (a streamed conversion reading again); the layout's are not. */
int tandem__read_parse(tandem__read_state *st, tandem_doc **out, bool quiet)
{
	tandem__reader *r = &st->r;
	tandem_diag_fn diag = r->diag;
	*out = NULL;
	r->window = NULL;
	r->nerrors = r->nwarnings = 0;
	if (quiet)
		r->diag = NULL;
	tandem_doc *doc = tandem_doc_new();
	int rc = st->f->read(r, doc);
	r->diag = diag;
	if (!rc && !r->nerrors)
		rc = tandem__bilingual_normalize(r, doc, st->f->name);
	if (!rc && r->nerrors)
		rc = TANDEM_EPARSE;
	if (!rc && doc->nsegs == 0)
		rc = tandem__read_no_segments(st);
	if (rc) {
		tandem_doc_free(doc);
		return rc;
	}
	tandem_doc_set_meta(doc, "format", st->f->name);
	tandem_doc_set_meta(doc, "encoding", st->enc);
	*out = doc;
	return 0;
}

static int read_buffer(tandem_doc **out, const char *data, size_t len,
                       const tandem_read_opts *opts)
{
	tandem__read_state st;
	*out = NULL;
	int rc = tandem__read_prepare(&st, data, len, opts, false);
	if (!rc)
		rc = tandem__read_parse(&st, out, false);
	tandem__read_release(&st);
	return rc;
}

int tandem_doc_read(tandem_doc **out, const char *data, size_t len, const tandem_read_opts *opts)
{
	/* The caller's bytes need not be NUL-terminated: read from a copy. */
	char *copy = tandem__xstrndup(data ? data : "", data ? len : 0);
	int rc = read_buffer(out, copy, len, opts);
	free(copy);
	return rc;
}

/* The caller's options (or the defaults), named after the file read. */
tandem_read_opts tandem__read_opts_for(const char *path, const tandem_read_opts *opts)
{
	tandem_read_opts o;
	if (opts)
		o = *opts;
	else
		tandem_read_opts_init(&o);
	if (!o.filename)
		o.filename = strcmp(path, "-") == 0 ? "<stdin>" : path;
	return o;
}

/*
 * Binary data from a pipe or a device is refused from its first 8 KiB, not
 * after reading all of it (/dev/zero never ends): the decoder judges the
 * start (8 KiB and one byte, so the verdict is the one it gives the whole
 * input), and only its binary-input error is kept.
 */
enum { PROBE_BYTES = 8193 };

typedef struct probe_ctx {
	const tandem_read_opts *o;
	bool binary;
} probe_ctx;

static void probe_diag(const tandem_diag *d, void *user)
{
	probe_ctx *p = user;
	if (p->binary || !d->rule || strcmp(d->rule, "binary-input") != 0)
		return;
	p->binary = true;
	if (p->o->diag)
		p->o->diag(d, p->o->diag_user);
}

static int probe_binary(const char *data, size_t len, void *user)
{
	probe_ctx *p = user;
	if (p->o->encoding && *p->o->encoding)
		return 0; /* decoded as told: no binary test */
	char *copy = tandem__xstrndup(data, len);
	tandem__reader r;
	memset(&r, 0, sizeof r);
	r.filename = p->o->filename;
	r.diag = probe_diag;
	r.diag_user = p;
	char *text = NULL;
	size_t tlen;
	const char *enc;
	bool owned = false;
	if (tandem__decode(copy, len, NULL, &text, &tlen, &enc, &owned, &r) == 0 && owned)
		free(text);
	free(copy);
	return p->binary ? TANDEM_EENCODING : 0;
}

/* "4 GiB" for a whole number of KiB, MiB, GiB or TiB, else bytes. */
static void size_text(uint64_t n, char *buf, size_t size)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	size_t k = 0;
	while (k + 1 < sizeof units / sizeof *units && n >= 1024 && n % 1024 == 0) {
		n /= 1024;
		k++;
	}
	snprintf(buf, size, "%llu %s", (unsigned long long)n, units[k]);
}

int tandem_doc_read_file(tandem_doc **out, const char *path, const tandem_read_opts *opts)
{
	tandem_read_opts o = tandem__read_opts_for(path, opts);
	*out = NULL;
	size_t len = 0, maplen = 0;
	char *data = tandem__file_map(path, &len, &maplen, 1 << 20, NULL);
	if (data) {
		tandem__input_mapped(data, len);
		int rc = read_buffer(out, data, len, &o);
		tandem__input_mapped(NULL, 0);
		munmap(data, maplen);
		return rc;
	}
	probe_ctx probe = {&o, false};
	int rc = tandem__read_probed(path, &data, &len, PROBE_BYTES, probe_binary, &probe);
	if (rc == TANDEM_EIO && errno == EFBIG) {
		char limit[32];
		size_text(tandem_max_input(), limit, sizeof limit);
		tandem__report(o.diag, o.diag_user, o.filename, TANDEM_ERROR, "input-too-big", 0, 0,
		               -1, "input from a pipe or device is longer than the limit of %s "
		               "(--max-input SIZE changes it)", limit);
		return TANDEM_EIO;
	}
	if (rc == TANDEM_EIO) {
		int e = errno;
		tandem__report(o.diag, o.diag_user, o.filename, TANDEM_ERROR, "io-read", 0, 0, -1,
		               "cannot read: %s", strerror(e));
		return TANDEM_EIO;
	}
	if (rc)
		return rc;
	rc = read_buffer(out, data, len, &o); /* read_probed NUL-terminates */
	free(data);
	return rc;
}

