/*
 * fit.c - the CLI's --fit PROFILE / --fit-config FILE (convert, align,
 * retime, sync), --audio MEDIA for cut timing (convert, align) and
 * retime's --estimate / --rate.  The commands hold only small hooks.
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char cli_fit_help[] =
	"Fitting the cues to a profile (see docs/fit.md):\n"
	"      --fit PROFILE      cut long segments into cues that pass `check --profile\n"
	"                         PROFILE` (default, netflix, bbc): both sides cut together\n"
	"                         at sentence, clause and word boundaries (ICU's Chinese word\n"
	"                         breaks), lines broken and balanced, pieces timed inside\n"
	"                         their segment\n"
	"      --fit-config RULES YAML overrides of the profile, as `check --config`\n";

const char cli_fit_audio_help[] =
	"      --audio MEDIA      with --fit: time the cuts at the pauses of MEDIA's speech\n";

const char cli_estimate_help[] =
	"      --estimate         no recording: estimate the times from the text's spoken\n"
	"                         length over the claimed duration (a transcript's '82 min',\n"
	"                         a post's duration:), else at --rate; said as a warning\n"
	"      --rate N           speaking rate for --estimate: letters a second (Latin,\n"
	"                         default 12.5) or Chinese characters a second (default 4.5);\n"
	"                         more than 0, at most 1000\n";

int cli_fit_option(const char *cmd, int code, const char *arg, cli_fit *f)
{
	switch (code) {
	case OPT_FIT: {
		tandem_check_rules *r = tandem_check_rules_new(arg);
		if (!r) {
			cli_usage(cmd, "--fit takes a profile: default, netflix or bbc");
			return -1;
		}
		tandem_check_rules_free(r);
		f->profile = arg;
		return 1;
	}
	case OPT_FIT_CONFIG: f->config = arg; return 1;
	case OPT_FIT_AUDIO: f->audio = arg; return 1;
	case OPT_ESTIMATE: f->estimate = true; return 1;
	case OPT_RATE: {
		char *end;
		double v = strtod(arg, &end);
		if (*end || !(v > 0) || v > 1000) {
			cli_usage(cmd, "--rate takes characters a second, more than 0 and at most 1000");
			return -1;
		}
		f->rate = v;
		return 1;
	}
	default: return 0;
	}
}

int cli_fit_apply(const cli_fit *f, tandem_doc *doc, const char *media, const char *name,
                  cli_diag *diag)
{
	if (!f->profile && !f->config)
		return 0;
	tandem_check_rules *r = tandem_check_rules_new(f->profile ? f->profile : "default");
	if (!r)
		return -1;
	if (f->config && tandem_check_rules_load(r, f->config, cli_diag_fn, diag)) {
		tandem_check_rules_free(r);
		return -1;
	}
	if (!media)
		media = f->audio;
	unsigned char *speech = NULL;
	size_t nf = 0;
	if (media) {
		int rc = tandem_vad_file(media, NULL, &speech, &nf, cli_diag_fn, diag);
		if (rc) {
			if (!diag->errors)
				cli_err("%s: %s", media, tandem_strerror(rc));
			tandem_check_rules_free(r);
			return -1;
		}
	}
	tandem_fit_opts o;
	tandem_fit_opts_init(&o);
	o.rules = r;
	o.speech = speech;
	o.nframes = nf;
	o.diag = cli_diag_fn;
	o.diag_user = diag;
	o.filename = name;
	tandem_fit_summary s;
	int rc = tandem_fit_run(doc, &o, &s);
	if (rc && !diag->errors)
		cli_err("fit: %s", tandem_strerror(rc));
	if (!rc && !diag->quiet)
		fprintf(stderr,
		        "fit (%s): %zu segments -> %zu cues (%zu cut)%s%s; %zu cues read too fast, "
		        "%zu poorly paired, %zu overfull\n",
		        f->profile ? f->profile : "default", s.segments, s.cues, s.cut,
		        media ? ", cuts timed at the pauses of " : "", media ? media : "", s.slow,
		        s.poor, s.overfull);
	free(speech);
	tandem_check_rules_free(r);
	return rc ? -1 : 0;
}

int cli_fit_convert(const cli_fit *f, const char *in, const char *out, const char *to,
                    const tandem_read_opts *ro, tandem_write_opts *wo, cli_diag *diag)
{
	tandem_doc *doc = cli_read_doc(in, ro, diag);
	if (!doc)
		return TANDEM_EIO;
	int rc = TANDEM_EINVAL;
	if (cli_fit_apply(f, doc, NULL, in, diag) == 0) {
		const char *inputs[2] = {in, f->audio};
		rc = cli_write_doc(doc, to, wo, out, inputs, f->audio ? 2 : 1);
	}
	tandem_doc_free(doc);
	return rc;
}

int cli_fit_estimate(const cli_fit *f, tandem_doc *doc, const char *name, cli_diag *diag)
{
	tandem_estimate_opts o;
	tandem_estimate_opts_init(&o);
	o.rate = f->rate;
	o.diag = cli_diag_fn;
	o.diag_user = diag;
	o.filename = name;
	int rc = tandem_retime_estimate(doc, &o);
	if (rc)
		cli_err("%s: %s", name, tandem_strerror(rc));
	return rc;
}
