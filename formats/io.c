/*
 * io.c - reading and writing documents: files, stdin/stdout, decoding,
 * choosing the format, and atomic replacement of outputs.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void tandem_read_opts_init(tandem_read_opts *o)
{
	memset(o, 0, sizeof *o);
}

void tandem_write_opts_init(tandem_write_opts *o)
{
	memset(o, 0, sizeof *o);
}

/* Pick the reader: forced name, else the content's strongest claim, else the extension. */
static const tandem_format *choose_format(const tandem_read_opts *o, const char *text,
                                          size_t len, tandem_reader *r)
{
	if (o->format) {
		const tandem_format *f = tandem__format_find(o->format);
		if (!f || !f->read) {
			tandem__error(r, "format-unknown", 0, 0, "cannot read format '%s'", o->format);
			return NULL;
		}
		return f;
	}
	const tandem_format *byext = tandem__format_find(tandem_format_from_path(o->filename));
	if (byext && byext->read)
		return byext;
	const char *name = tandem_format_sniff(text, len);
	const tandem_format *f = tandem__format_find(name);
	if (!f) {
		tandem__error(r, "format-unknown", 0, 0, "cannot tell the format of this input");
		return NULL;
	}
	return f;
}

int tandem_doc_read(tandem_doc **out, const char *data, size_t len, const tandem_read_opts *opts)
{
	tandem_read_opts defaults;
	if (!opts) {
		tandem_read_opts_init(&defaults);
		opts = &defaults;
	}
	*out = NULL;
	tandem_reader r = {0};
	r.filename = opts->filename ? opts->filename : "<input>";
	r.strict = opts->strict;
	r.diag = opts->diag;
	r.diag_user = opts->diag_user;

	if (len == 0) {
		tandem__error(&r, "empty-input", 0, 0, "input is empty");
		return TANDEM_EEMPTY;
	}
	char *text = NULL;
	size_t tlen = 0;
	const char *enc = NULL;
	int rc = tandem__decode(data, len, opts->encoding, &text, &tlen, &enc, &r);
	if (rc)
		return rc;
	r.data = text;
	r.len = tlen;
	const tandem_format *f = choose_format(opts, text, tlen, &r);
	if (!f) {
		free(text);
		return TANDEM_EFORMAT;
	}
	tandem_doc *doc = tandem_doc_new();
	rc = f->read(&r, doc);
	if (!rc && r.nerrors)
		rc = TANDEM_EPARSE;
	if (!rc && doc->nsegs == 0) {
		tandem__error(&r, "no-segments", 0, 0, "no %s segments found in this input", f->name);
		rc = TANDEM_EEMPTY;
	}
	free(text);
	if (rc) {
		tandem_doc_free(doc);
		return rc;
	}
	tandem_doc_set_meta(doc, "format", f->name);
	tandem_doc_set_meta(doc, "encoding", enc);
	*out = doc;
	return 0;
}

int tandem__read_all(const char *path, char **data, size_t *len)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!fp)
		return TANDEM_EIO;
	tandem_buf b = TANDEM_BUF_INIT;
	struct stat st;
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		tandem_buf_grow(&b, (size_t)st.st_size);
	else if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fp != stdin)
			fclose(fp);
		errno = EISDIR;
		return TANDEM_EIO;
	}
	for (;;) {
		tandem_buf_grow(&b, 65536);
		size_t n = fread(b.ptr + b.len, 1, b.cap - b.len - 1, fp);
		b.len += n;
		b.ptr[b.len] = '\0';
		if (n == 0)
			break;
	}
	int err = ferror(fp);
	if (fp != stdin)
		fclose(fp);
	if (err) {
		tandem_buf_free(&b);
		return TANDEM_EIO;
	}
	*data = tandem_buf_detach(&b, len);
	return 0;
}

int tandem_doc_read_file(tandem_doc **out, const char *path, const tandem_read_opts *opts)
{
	tandem_read_opts o;
	if (opts)
		o = *opts;
	else
		tandem_read_opts_init(&o);
	if (!o.filename)
		o.filename = strcmp(path, "-") == 0 ? "<stdin>" : path;
	*out = NULL;
	char *data;
	size_t len;
	if (tandem__read_all(path, &data, &len)) {
		int e = errno;
		tandem__report(o.diag, o.diag_user, o.filename, TANDEM_ERROR, "io-read", 0, 0, -1,
		               "cannot read: %s", strerror(e));
		return TANDEM_EIO;
	}
	int rc = tandem_doc_read(out, data, len, &o);
	free(data);
	return rc;
}

int tandem_doc_write(const tandem_doc *doc, const char *format, const tandem_write_opts *opts,
                     char **out, size_t *len)
{
	tandem_write_opts defaults;
	if (!opts) {
		tandem_write_opts_init(&defaults);
		opts = &defaults;
	}
	*out = NULL;
	const tandem_format *f = tandem__format_find(format);
	if (!f || !f->write) {
		tandem__write_note(opts, TANDEM_ERROR, "format-unknown", "cannot write format '%s'",
		                   format ? format : "(none)");
		return TANDEM_EFORMAT;
	}
	tandem_writer w = {opts, opts->crlf ? "\r\n" : "\n"};
	tandem_buf b = TANDEM_BUF_INIT;
	int rc = f->write(doc, &w, &b);
	if (rc) {
		tandem_buf_free(&b);
		return rc;
	}
	*out = tandem_buf_detach(&b, len);
	return 0;
}

int tandem_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (!a || !b || strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return 0;
	if (stat(a, &sa) || stat(b, &sb))
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * Temporary files being written right now, so that a signal handler can
 * remove them (tandem_cleanup_temps) and an interrupted run leaves nothing.
 */
#define MAX_TEMPS 256
static _Atomic(char *) temps[MAX_TEMPS];

static int temp_register(char *tmp)
{
	for (int k = 0; k < MAX_TEMPS; k++) {
		char *expected = NULL;
		if (atomic_compare_exchange_strong(&temps[k], &expected, tmp))
			return k;
	}
	return -1;
}

static void temp_unregister(int k)
{
	if (k >= 0)
		atomic_store(&temps[k], NULL);
}

void tandem_cleanup_temps(void)
{
	for (int k = 0; k < MAX_TEMPS; k++) {
		char *p = atomic_exchange(&temps[k], NULL);
		if (p)
			unlink(p);
	}
}

int tandem_write_atomic(const char *path, const char *data, size_t len)
{
	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout))
			return TANDEM_EIO;
		return 0;
	}
	/* The temporary lives beside the target so rename() stays on one file system. */
	size_t n = strlen(path);
	char *tmp = tandem__xmalloc(n + 32);
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
	memcpy(tmp, path, dirlen);
	snprintf(tmp + dirlen, n + 32 - dirlen, ".%s.tandem-XXXXXX", path + dirlen);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return TANDEM_EIO;
	}
	int slot = temp_register(tmp);
	int rc = 0;
	size_t off = 0;
	while (off < len) {
		ssize_t k = write(fd, data + off, len - off);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			rc = TANDEM_EIO;
			break;
		}
		off += (size_t)k;
	}
	/* mkstemp makes 0600; give the file the mode a plain creat() would. */
	mode_t um = umask(0);
	umask(um);
	struct stat st;
	if (stat(path, &st) == 0)
		fchmod(fd, st.st_mode & 07777);
	else
		fchmod(fd, 0666 & ~um);
	if (close(fd))
		rc = TANDEM_EIO;
	if (!rc && rename(tmp, path))
		rc = TANDEM_EIO;
	if (rc) {
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	temp_unregister(slot);
	free(tmp);
	return rc;
}

int tandem_doc_write_file(const tandem_doc *doc, const char *format,
                          const tandem_write_opts *opts, const char *path)
{
	char *out;
	size_t len;
	int rc = tandem_doc_write(doc, format, opts, &out, &len);
	if (rc)
		return rc;
	rc = tandem_write_atomic(path, out, len);
	free(out);
	return rc;
}
