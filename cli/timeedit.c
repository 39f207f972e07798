/*
 * timeedit.c - the CLI's output edits on every writing command (convert,
 * align, retime, sync): --shift OFFSET and --fps FROM:TO (the times, by
 * tandem_doc_shift and tandem_doc_scale) and --out-encoding NAME and --bom
 * (the bytes, by the write options).  The commands hold only small hooks.
 */
#include "cli.h"

#include <iconv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "[+-]H:MM:SS,mmm" (or MM:SS.mmm, SS.mmm): milliseconds, or -1. */
static int64_t parse_clock(const char *s)
{
	int64_t parts[3] = {0, 0, 0};
	int n = 0;
	const char *p = s;
	for (;;) {
		if (*p < '0' || *p > '9' || n == 3)
			return -1;
		int64_t v = 0;
		for (int d = 0; *p >= '0' && *p <= '9'; p++, d++) {
			if (d == 9)
				return -1;
			v = v * 10 + (*p - '0');
		}
		parts[n++] = v;
		if (*p != ':')
			break;
		p++;
	}
	int64_t ms = 0;
	if (*p == ',' || *p == '.') {
		int d = 0;
		for (p++; *p >= '0' && *p <= '9' && d < 3; p++, d++)
			ms = ms * 10 + (*p - '0');
		if (d == 0)
			return -1;
		for (; d < 3; d++)
			ms *= 10;
	}
	if (*p || n < 2)
		return -1;
	int64_t h = n == 3 ? parts[0] : 0, m = parts[n - 2], sec = parts[n - 1];
	if ((n == 3 && m > 59) || sec > 59)
		return -1;
	return ((h * 60 + m) * 60 + sec) * 1000 + ms;
}

/* "2.5s", "-1200ms", "1.5m", "+00:00:01,200": *ms; false when it is none of them. */
static bool parse_offset(const char *arg, int64_t *ms)
{
	const char *s = arg;
	int sign = 1;
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (strchr(s, ':')) {
		int64_t v = parse_clock(s);
		if (v < 0)
			return false;
		*ms = sign * v;
		return true;
	}
	if (!(*s >= '0' && *s <= '9') && *s != '.')
		return false;
	char *end;
	double v = strtod(s, &end);
	double unit;
	if (strcmp(end, "ms") == 0)
		unit = 1;
	else if (strcmp(end, "s") == 0)
		unit = 1000;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		unit = 60000;
	else if (strcmp(end, "h") == 0)
		unit = 3600000;
	else
		return false;
	v *= unit;
	if (end == s || !isfinite(v) || v > 1e12)
		return false;
	*ms = sign * (int64_t)llround(v);
	return true;
}

/* "25:23.976": from and to, each a positive number. */
static bool parse_fps(const char *arg, double *from, double *to)
{
	char *end;
	*from = strtod(arg, &end);
	if (end == arg || *end != ':')
		return false;
	const char *t = end + 1;
	*to = strtod(t, &end);
	return end != t && !*end && isfinite(*from) && isfinite(*to) && *from > 0 &&
	       *to > 0 && *from <= 1000 && *to <= 1000;
}

/* --shift's range: 100 hours either way. */
#define SHIFT_MAX_MS ((int64_t)100 * 3600 * 1000)

int cli_edit_option(const char *cmd, int code, const char *arg, cli_edit *e,
                    tandem_write_opts *wo)
{
	switch (code) {
	case OPT_SHIFT:
		if (!parse_offset(arg, &e->shift_ms))
			return cli_usage(cmd, "--shift takes an offset such as 2.5s, -1200ms or "
			                      "+00:00:01,200, not '%s'", arg), -1;
		if (e->shift_ms > SHIFT_MAX_MS || e->shift_ms < -SHIFT_MAX_MS)
			return cli_usage(cmd, "--shift takes an offset of at most 100h either way, "
			                      "not '%s'", arg), -1;
		e->shift = true;
		return 1;
	case OPT_FPS:
		if (!parse_fps(arg, &e->fps_from, &e->fps_to))
			return cli_usage(cmd, "--fps takes FROM:TO frame rates such as 25:23.976, "
			                      "not '%s'", arg), -1;
		return 1;
	case OPT_OUT_ENCODING: {
		iconv_t cd = iconv_open(arg, "UTF-8");
		if (cd == (iconv_t)-1)
			return cli_usage(cmd, "--out-encoding: unknown encoding '%s' (an iconv name: "
			                      "GB18030, GBK, BIG5, UTF-16LE, ...)", arg), -1;
		iconv_close(cd);
		wo->out_encoding = arg;
		return 1;
	}
	case OPT_BOM: wo->bom = 1; return 1;
	default: return 0;
	}
}

bool cli_edit_active(const cli_edit *e)
{
	return e->shift || e->fps_from > 0;
}

int cli_edit_apply(const cli_edit *e, tandem_doc *doc, const char *name, cli_diag *diag)
{
	if (e->fps_from > 0 && tandem_doc_scale(doc, e->fps_from, e->fps_to))
		return -1;
	if (e->shift && tandem_doc_shift(doc, e->shift_ms, name, cli_diag_fn, diag))
		return -1;
	return 0;
}

int cli_edit_convert(const cli_edit *e, const cli_fit *f, const char *in, const char *out,
                     const char *to, const tandem_read_opts *ro, tandem_write_opts *wo,
                     cli_diag *diag)
{
	tandem_doc *doc = cli_read_doc(in, ro, diag);
	if (!doc)
		return TANDEM_EIO;
	int rc = TANDEM_EINVAL;
	if (cli_edit_apply(e, doc, in, diag) == 0 && cli_fit_apply(f, doc, NULL, in, diag) == 0) {
		const char *inputs[2] = {in, f->audio};
		rc = cli_write_doc(doc, to, wo, out, inputs, f->audio ? 2 : 1);
	}
	tandem_doc_free(doc);
	return rc;
}
