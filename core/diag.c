/*
 * diag.c - status texts and positioned diagnostics: the reader's findings
 * (strict mode turns warnings into errors), the writer's notes on what a
 * target could not hold, and the compiler-style formatting of both.
 */
#include "tandem_private.h"

#include <stdio.h>
#include <string.h>

const char *tandem_strerror(int status)
{
	switch (status) {
	case TANDEM_OK: return "success";
	case TANDEM_EINVAL: return "invalid argument";
	case TANDEM_EIO: return "input/output error";
	case TANDEM_EPARSE: return "malformed input";
	case TANDEM_EENCODING: return "text encoding could not be decoded";
	case TANDEM_EFORMAT: return "unknown or unsupported format";
	case TANDEM_EEMPTY: return "no segments in input";
	case TANDEM_ESAME: return "output would overwrite an input";
	case TANDEM_EMEDIA: return "media file unreadable or without audio";
	case TANDEM_EREFUSED: return "result too unreliable to use";
	default: return "unknown error";
	}
}

const char *tandem_severity_name(tandem_severity s)
{
	switch (s) {
	case TANDEM_ERROR: return "error";
	case TANDEM_WARNING: return "warning";
	default: return "info";
	}
}

size_t tandem_diag_format(const tandem_diag *d, char *buf, size_t size)
{
	tandem__buf b = TANDEM_BUF_INIT;
	tandem__buf_puts(&b, d->file ? d->file : "<input>");
	if (d->line) {
		tandem__buf_printf(&b, ":%zu", d->line);
		if (d->col)
			tandem__buf_printf(&b, ":%zu", d->col);
	}
	tandem__buf_printf(&b, ": %s: %s", tandem_severity_name(d->severity),
	                  d->message ? d->message : "");
	if (d->line2) {
		tandem__buf_printf(&b, " (see %zu", d->line2);
		if (d->col2)
			tandem__buf_printf(&b, ":%zu", d->col2);
		tandem__buf_putc(&b, ')');
	}
	if (d->rule)
		tandem__buf_printf(&b, " [%s]", d->rule);
	size_t n = b.len;
	if (size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(buf, b.ptr, k);
		buf[k] = '\0';
	}
	tandem__buf_free(&b);
	return n;
}

int tandem__diag_full(tandem_diag_fn fn, void *user, const char *file, tandem_severity sev,
                      const char *rule, size_t line, size_t col, size_t line2, size_t col2,
                      long segment, const char *fmt, va_list ap)
{
	if (fn) {
		char msg[1024];
		vsnprintf(msg, sizeof msg, fmt, ap);
		tandem_diag d = {sev, rule, file ? file : "<input>", line, col, line2, col2,
		                 segment, msg};
		fn(&d, user);
	}
	return sev == TANDEM_ERROR ? TANDEM_EPARSE : 0;
}

int tandem__report(tandem_diag_fn fn, void *user, const char *file, tandem_severity sev,
                   const char *rule, size_t line, size_t col, long segment, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = tandem__diag_full(fn, user, file, sev, rule, line, col, 0, 0, segment, fmt, ap);
	va_end(ap);
	return rc;
}

static int reader_report(tandem__reader *r, tandem_severity sev, const char *rule,
                         size_t line, size_t col, size_t line2, const char *fmt, va_list ap)
{
	if (sev == TANDEM_WARNING && r->strict)
		sev = TANDEM_ERROR;
	if (sev == TANDEM_ERROR)
		r->nerrors++;
	else if (sev == TANDEM_WARNING)
		r->nwarnings++;
	return tandem__diag_full(r->diag, r->diag_user, r->filename, sev, rule, line, col, line2, 0,
	                         -1, fmt, ap);
}

int tandem__diag(tandem__reader *r, tandem_severity sev, const char *rule, size_t line,
                 size_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = reader_report(r, sev, rule, line, col, 0, fmt, ap);
	va_end(ap);
	return rc;
}

int tandem__warn(tandem__reader *r, const char *rule, size_t line, size_t col,
                 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = reader_report(r, TANDEM_WARNING, rule, line, col, 0, fmt, ap);
	va_end(ap);
	return rc;
}

int tandem__warn_see(tandem__reader *r, const char *rule, size_t line, size_t col, size_t line2,
                     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = reader_report(r, TANDEM_WARNING, rule, line, col, line2, fmt, ap);
	va_end(ap);
	return rc;
}

int tandem__error(tandem__reader *r, const char *rule, size_t line, size_t col,
                  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = reader_report(r, TANDEM_ERROR, rule, line, col, 0, fmt, ap);
	va_end(ap);
	return rc;
}

void tandem__write_note(const tandem_write_opts *o, tandem_severity sev, const char *rule,
                        const char *fmt, ...)
{
	if (!o || !o->diag)
		return;
	va_list ap;
	va_start(ap, fmt);
	tandem__diag_full(o->diag, o->diag_user, o->filename ? o->filename : "<output>", sev,
	                  rule, 0, 0, 0, 0, -1, fmt, ap);
	va_end(ap);
}
