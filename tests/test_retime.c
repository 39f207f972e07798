/*
 * test_retime.c - retiming on speech masks built from the text: pauses of
 * known length (some zero), speaking rates that wander, commas that pause;
 * CJK weighting, bilingual documents, the claimed-duration check and the
 * errors.
 */
#include "harness.h"
#include "tandem.h"

#include <math.h>
#include <stdbool.h>

/* Latin letters + 3.5 per CJK character: the spoken length the model assumes. */
static double weight(const char *s)
{
	tandem_script_counts c = tandem_text_scripts(s, strlen(s));
	return (double)c.latin + 3.5 * (double)c.han + (double)c.other + 2.5 * (double)c.digits;
}

typedef struct mask {
	unsigned char *m;
	size_t n, cap;
} mask;

static void put(mask *k, size_t frames, unsigned char v)
{
	if (k->n + frames > k->cap) {
		k->cap = (k->n + frames) * 2;
		k->m = realloc(k->m, k->cap);
	}
	memset(k->m + k->n, v, frames);
	k->n += frames;
}

/*
 * Speak segment text at `rate` frames per letter: commas and inner sentence
 * ends pause 20 frames.  Returns where its speech began and ended (ms).
 */
static void speak(mask *k, const char *text, double rate, int64_t *s, int64_t *e)
{
	*s = (int64_t)k->n * 10;
	const char *p = text;
	while (*p) {
		const char *q = p;
		while (*q && !((*q == ',' || *q == '.') && q[1] == ' '))
			q++;
		char piece[512];
		size_t len = (size_t)(q - p) + (*q ? 1 : 0);
		memcpy(piece, p, len);
		piece[len] = '\0';
		put(k, (size_t)llround(weight(piece) * rate), 1);
		p = q + (*q ? 1 : 0);
		while (*p == ' ')
			p++;
		if (*p)
			put(k, 20, 0);
	}
	*e = (int64_t)k->n * 10;
}

static const char *const texts[] = {
	"The morning train was late again.",
	"Nobody on the platform seemed surprised, and most of them read.",
	"A child counted the pigeons.",
	"Her father checked his watch twice, then gave up.",
	"When the train finally came, it was nearly empty.",
	"They found seats by the window.",
	"The city slid past in grey and brown.",
	"Somebody had left a newspaper folded on the seat.",
	"The headline was about the weather.",
	"It always was, in that part of the year.",
	"At the third stop an old man got on with a dog.",
	"The dog looked at everyone and sat down.",
};
#define NT (sizeof texts / sizeof *texts)

/* Pause after each segment in frames; 0 = runs straight into the next. */
static const size_t gaps[NT] = {60, 0, 45, 120, 0, 35, 80, 0, 50, 150, 40, 0};
static const double rates[NT] = {6.0, 6.6, 5.4, 6.2, 5.7, 6.0, 6.5, 5.6, 6.1, 5.9, 6.3, 6.0};

static void test_pauses_and_joins(void)
{
	mask k = {NULL, 0, 0};
	int64_t ts[NT], te[NT];
	put(&k, 100, 0);
	tandem_doc *doc = tandem_doc_new();
	for (size_t i = 0; i < NT; i++) {
		speak(&k, texts[i], rates[i], &ts[i], &te[i]);
		put(&k, i + 1 < NT ? gaps[i] : 200, 0);
		tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, texts[i], NULL);
	}
	double conf[NT];
	INT_EQ(tandem_retime_frames(doc, k.m, k.n, NULL, conf), 0, "retime status");
	for (size_t i = 0; i < NT; i++) {
		bool joined_before = i > 0 && gaps[i - 1] == 0, joined_after = gaps[i] == 0 && i + 1 < NT;
		/* Pauses give exact edges; joins are placed by text share (rates wander 10%). */
		int64_t tol_s = joined_before ? 400 : 10, tol_e = joined_after ? 400 : 10;
		OK(llabs(tandem_seg_start(doc, i) - ts[i]) <= tol_s, "segment %zu start %lld, want %lld",
		   i + 1, (long long)tandem_seg_start(doc, i), (long long)ts[i]);
		OK(llabs(tandem_seg_end(doc, i) - te[i]) <= tol_e, "segment %zu end %lld, want %lld",
		   i + 1, (long long)tandem_seg_end(doc, i), (long long)te[i]);
		OK(conf[i] >= 0 && conf[i] <= 1, "confidence %g in 0..1", conf[i]);
		if (!joined_before && !joined_after)
			OK(conf[i] > 0.8, "segment %zu between pauses: confidence %.2f", i + 1, conf[i]);
		else
			OK(conf[i] < 0.8, "segment %zu joined: confidence %.2f", i + 1, conf[i]);
	}
	/* The comma pause inside segment 2 is not taken for a boundary. */
	OK(tandem_seg_end(doc, 1) > tandem_seg_start(doc, 1) + 3000, "segment 2 not cut at its comma");
	tandem_doc_free(doc);
	free(k.m);
}

/*
 * A Chinese and an English segment with no pause between them: the split
 * falls where 3.5 letters a character puts it, not where one would.
 */
static void test_cjk_weight(void)
{
	const char *zh = "今天天气很好我们出去走走吧"; /* 13 characters = 45.5 letters */
	const char *en = "and then we walked along the river bank"; /* 32 letters */
	mask k = {NULL, 0, 0};
	put(&k, 50, 0);
	int64_t s0, e0, s1, e1;
	speak(&k, zh, 6, &s0, &e0);
	speak(&k, en, 6, &s1, &e1);
	put(&k, 50, 0);
	tandem_doc *doc = tandem_doc_new();
	tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, zh, NULL);
	tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, en, NULL);
	INT_EQ(tandem_retime_frames(doc, k.m, k.n, NULL, NULL), 0, "retime status");
	OK(llabs(tandem_seg_end(doc, 0) - e0) <= 20, "split at %lld, want %lld",
	   (long long)tandem_seg_end(doc, 0), (long long)e0);
	INT_EQ(tandem_seg_start(doc, 0), 500, "first start");
	INT_EQ(tandem_seg_end(doc, 1), e1, "last end");
	tandem_doc_free(doc);
	free(k.m);
}

/* A bilingual transcript: spoken English, Chinese translations kept. */
static void test_bilingual(void)
{
	static const char *const en[] = {"Good morning everyone.", "Thank you for coming today.",
	                                 "Let us begin with the news."};
	static const char *const zh[] = {"大家早上好。", "谢谢大家今天来。",
	                                 "我们先从新闻开始。"};
	mask k = {NULL, 0, 0};
	put(&k, 30, 0);
	tandem_doc *doc = tandem_doc_new();
	int64_t s[3], e[3];
	for (int i = 0; i < 3; i++) {
		speak(&k, en[i], 6, &s[i], &e[i]);
		put(&k, 70, 0);
		tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, en[i], zh[i]);
	}
	INT_EQ(tandem_retime_frames(doc, k.m, k.n, NULL, NULL), 0, "retime status");
	for (int i = 0; i < 3; i++) {
		INT_EQ(tandem_seg_start(doc, (size_t)i), s[i], "start");
		INT_EQ(tandem_seg_end(doc, (size_t)i), e[i], "end");
		STR_EQ(tandem_seg_translation(doc, (size_t)i), zh[i], "translation kept");
	}
	char *out = NULL;
	size_t len;
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	INT_EQ(tandem_doc_write(doc, "srt", &wo, &out, &len), 0, "write srt");
	OK(out && strstr(out, "00:00:00,300 --> ") && strstr(out, "Good morning everyone.") &&
	           strstr(out, "大家早上好。"),
	   "bilingual subtitles:\n%s", out ? out : "(none)");
	free(out);

	/* The recording speaks the translation: weights come from it. */
	mask z = {NULL, 0, 0};
	put(&z, 30, 0);
	for (int i = 0; i < 3; i++) {
		speak(&z, zh[i], 6, &s[i], &e[i]);
		if (i < 2 && i != 0)
			put(&z, 70, 0);
	}
	put(&z, 30, 0);
	tandem_retime_opts o;
	tandem_retime_opts_init(&o);
	o.spoken_translation = 1;
	INT_EQ(tandem_retime_frames(doc, z.m, z.n, &o, NULL), 0, "retime on translation");
	OK(llabs(tandem_seg_end(doc, 0) - e[0]) <= 20, "joined boundary at %lld, want %lld",
	   (long long)tandem_seg_end(doc, 0), (long long)e[0]);
	INT_EQ(tandem_seg_start(doc, 2), s[2], "snapped boundary");
	tandem_doc_free(doc);
	free(k.m);
	free(z.m);
}

typedef struct seen {
	char rule[64];
	char message[256];
	int count;
} seen;

static void record(const tandem_diag *d, void *user)
{
	seen *s = user;
	snprintf(s->rule, sizeof s->rule, "%s", d->rule);
	snprintf(s->message, sizeof s->message, "%s", d->message);
	s->count++;
}

static void test_checks_and_errors(void)
{
	mask k = {NULL, 0, 0};
	put(&k, 100, 0);
	int64_t s, e;
	speak(&k, texts[0], 6, &s, &e);
	put(&k, 100, 0);
	tandem_doc *doc = tandem_doc_new();
	tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, texts[0], NULL);
	tandem_doc_set_claimed_duration(doc, 82 * 60000);
	seen sn = {"", "", 0};
	tandem_retime_opts o;
	tandem_retime_opts_init(&o);
	o.diag = record;
	o.diag_user = &sn;
	o.filename = "talk.mp3";
	INT_EQ(tandem_retime_frames(doc, k.m, k.n, &o, NULL), 0, "retime despite the claim");
	INT_EQ(sn.count, 1, "diagnostics");
	STR_EQ(sn.rule, "retime-duration", "rule");
	STR_EQ(sn.message, "the transcript claims 82 min but the recording lasts 0 min", "message");
	/* A claim that fits says nothing. */
	sn.count = 0;
	tandem_doc_set_claimed_duration(doc, (int64_t)k.n * 10 + 5000);
	INT_EQ(tandem_retime_frames(doc, k.m, k.n, &o, NULL), 0, "retime");
	INT_EQ(sn.count, 0, "no diagnostics");

	memset(k.m, 0, k.n);
	sn.count = 0;
	INT_EQ(tandem_retime_frames(doc, k.m, k.n, &o, NULL), TANDEM_EEMPTY, "no speech");
	STR_EQ(sn.rule, "retime-no-speech", "rule");
	tandem_doc_free(doc);
	doc = tandem_doc_new();
	INT_EQ(tandem_retime_frames(doc, k.m, k.n, &o, NULL), TANDEM_EEMPTY, "no segments");
	INT_EQ(tandem_retime_run(doc, "/nonexistent.wav", &o, NULL), TANDEM_EEMPTY,
	       "no segments before opening media");
	tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, "x", NULL);
	int rc = tandem_retime_run(doc, "/nonexistent/talk.wav", &o, NULL);
	INT_EQ(rc, TANDEM_EIO, "missing media");
	STR_EQ(sn.rule, "media-open", "rule");
	tandem_doc_free(doc);
	free(k.m);
}

/* Many segments whose speech runs together: spread by weight, still in order. */
static void test_long_runs(void)
{
	mask k = {NULL, 0, 0};
	put(&k, 20, 0);
	tandem_doc *doc = tandem_doc_new();
	int64_t s[40], e[40];
	for (size_t i = 0; i < 40; i++) {
		const char *t = texts[i % NT];
		speak(&k, t, 6, &s[i], &e[i]);
		if (i % 10 == 9)
			put(&k, 60, 0);
		tandem_doc_add(doc, TANDEM_NO_TIME, TANDEM_NO_TIME, t, NULL);
	}
	INT_EQ(tandem_retime_frames(doc, k.m, k.n, NULL, NULL), 0, "retime status");
	int64_t worst = 0;
	bool ordered = true;
	for (size_t i = 0; i < 40; i++) {
		worst = llabs(tandem_seg_start(doc, i) - s[i]) > worst
		                ? llabs(tandem_seg_start(doc, i) - s[i])
		                : worst;
		if (i && tandem_seg_start(doc, i) < tandem_seg_end(doc, i - 1))
			ordered = false;
	}
	OK(worst <= 30, "worst start error %lld ms", (long long)worst);
	OK(ordered, "segments overlap");
	tandem_doc_free(doc);
	free(k.m);
}

int main(void)
{
	test_pauses_and_joins();
	test_cjk_weight();
	test_bilingual();
	test_checks_and_errors();
	test_long_runs();
	return harness_done();
}
