/*
 * test_align.c - the aligner: its cost pieces (lengths, tokens, numbers,
 * segment ends, asides, cutting and joining, the lexicon), golden
 * alignments of hand-made cases for every link shape
 * (fixtures/align/shapes), timed tracks with different cue boundaries, a
 * missing block, the bilingual output, the report, and bad inputs.
 *
 * TANDEM_REGENERATE=1 rewrites the golden reports on purpose.
 */
#include "align_internal.h"
#include "harness.h"

#include <stdbool.h>
#include <utf8proc.h>

#define FIX TANDEM_SOURCE_DIR "/fixtures/align/shapes/"

static bool has_token(const char *text, bool cjk, uint64_t h)
{
	tandem__tokens t = {NULL, 0, 0};
	tandem__align_tokens(text, strlen(text), cjk, &t);
	bool found = false;
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].hash == h)
			found = true;
	free(t.v);
	return found;
}

static size_t count_numbers(const char *text)
{
	tandem__tokens t = {NULL, 0, 0};
	tandem__align_tokens(text, strlen(text), true, &t);
	size_t n = 0;
	for (size_t i = 0; i < t.n; i++)
		n += t.v[i].kind == TANDEM__TOK_NUMBER;
	free(t.v);
	return n;
}

#define NUM(text, value) OK(has_token(text, true, tandem__align_number_hash(value)), "%s -> %g", text, (double)(value))

static void test_numbers(void)
{
	NUM("$100 Billion", 100e9);
	NUM("1000亿美元", 100e9);
	NUM("close to a billion dollars", 1e9);
	NUM("接近 10 亿美元", 1e9);
	NUM("我们用了三个平台", 3);
	NUM("两年前", 2);
	NUM("十亿", 1e9);
	NUM("三亿五千万", 3.5e8);
	NUM("百分之五十", 50);
	NUM("50% of it", 50);
	NUM("５０％", 50);
	NUM("1,000 GPUs", 1000);
	NUM("3.5 million", 3.5e6);
	NUM("twenty-five years", 25);
	NUM("two hundred people", 200);
	NUM("5k users", 5000);
	NUM("这三大类", 3);
	/* words that hold numeral characters but are not quantities */
	INT_EQ(count_numbers("一些人一起统一了"), 0, "一些/一起/统一");
	INT_EQ(count_numbers("第三个问题"), 0, "an ordinal");
	INT_EQ(count_numbers("十分重要"), 0, "十分 (very)");
	INT_EQ(count_numbers("十几个"), 0, "ten-odd");
	INT_EQ(count_numbers("one of them, a thing"), 0, "one and a");
	INT_EQ(count_numbers("1,50"), 2, "a comma not before three digits");
}

static void test_words(void)
{
	uint64_t krishna = tandem__align_word_hash("krishna", 7);
	OK(has_token("Krishna,我一直非常期待", true, krishna), "a Latin name in Chinese");
	OK(tandem__align_word_hash("GPUs", 4) == tandem__align_word_hash("gpu", 3), "plural and case");
	OK(tandem__align_word_hash("Amazon's", 8) == tandem__align_word_hash("amazon", 6), "possessive");
	OK(tandem__align_word_hash("class", 5) != tandem__align_word_hash("clas", 4), "-ss stays");
	/* anchors: in a CJK text every Latin word; in a Latin text capitals only */
	tandem__tokens t = {NULL, 0, 0};
	tandem__align_tokens("we use Nvidia chips", 19, false, &t);
	size_t anchors = 0;
	for (size_t i = 0; i < t.n; i++)
		anchors += t.v[i].anchor;
	INT_EQ(t.n, 4, "four words");
	INT_EQ(anchors, 1, "only Nvidia is an anchor in English");
	t.n = 0;
	tandem__align_tokens("我们用 chips", 13, true, &t);
	INT_EQ(t.n, 1, "one Latin word");
	INT_EQ(t.v[0].anchor, 1, "kept in Chinese: an anchor");
	free(t.v);
	/* URLs and domains, with or without scheme and www. */
	tandem__tokens u1 = {NULL, 0, 0}, u2 = {NULL, 0, 0};
	tandem__align_tokens("访问ramp.com/invest,看看", strlen("访问ramp.com/invest,看看"), true, &u1);
	tandem__align_tokens("Go to https://www.ramp.com/invest/.", 35, false, &u2);
	INT_EQ(u1.n, 1, "one URL token");
	INT_EQ(u2.n, 3, "'Go', 'to' and the URL");
	OK(u1.n && u2.n == 3 && u1.v[0].hash == u2.v[2].hash && u1.v[0].kind == TANDEM__TOK_URL,
	   "the same URL");
	free(u1.v);
	free(u2.v);
}

static void test_measures(void)
{
	INT_EQ(tandem__align_length("Hello world", 11), 10, "spaces not counted");
	INT_EQ(tandem__align_length("你好，世界", strlen("你好，世界")), 5, "CJK characters count once");
	INT_EQ(tandem__align_length("e\xCC\x81t\xC3\xA9", 6), 3, "a combining accent is one grapheme");
	INT_EQ(tandem__align_end("and then we", 11), TANDEM__END_MID, "cut mid-sentence");
	INT_EQ(tandem__align_end("It is.", 6), TANDEM__END_FINAL, "full stop");
	INT_EQ(tandem__align_end("是这样。", strlen("是这样。")), TANDEM__END_FINAL, "。");
	INT_EQ(tandem__align_end("and so...", 9), TANDEM__END_MID, "trailing off");
	INT_EQ(tandem__align_end("他说：“好。” ", strlen("他说：“好。” ")), TANDEM__END_FINAL,
	       "closing quote skipped");
	INT_EQ(tandem__align_end("我想直接切入我们都非常", strlen("我想直接切入我们都非常")),
	       TANDEM__END_MID, "Chinese cut mid-sentence");
	INT_EQ(tandem__align_sentences("The U.S. is big. Yes? No!", 25), 3, "U.S. is no sentence end");
	INT_EQ(tandem__align_sentences("你好。我好！？", strlen("你好。我好！？")), 2, "!? counts once");
	INT_EQ(tandem__align_sentences("Mr. Rao said 3.5 and...", 23), 0, "Mr., decimals, ellipsis");
	unsigned q, x;
	tandem__align_marks("真的吗？Really?! 好！", strlen("真的吗？Really?! 好！"), &q, &x);
	INT_EQ(q, 2, "question marks");
	INT_EQ(x, 2, "exclamation marks");
	OK(tandem__align_aside("[音乐]", strlen("[音乐]")), "[音乐]");
	OK(tandem__align_aside("（译者注：此处原文听不清。）", strlen("（译者注：此处原文听不清。）")),
	   "a translator's note");
	OK(tandem__align_aside("[Music] ", 8), "[Music]");
	OK(tandem__align_aside("(laughs).", 9), "(laughs).");
	OK(!tandem__align_aside("Hello [world]", 13), "brackets inside speech");
	OK(!tandem__align_aside("我们(大概)会", strlen("我们(大概)会")), "parentheses inside speech");
}

static char *piece(const char *s, size_t from, size_t to)
{
	return tandem__xstrndup(s + from, to - from);
}

static void test_split_join(void)
{
	const char *s = "第一句话说完了。第二句。";
	double w[2] = {6, 3};
	size_t cuts[2];
	tandem__align_split(s, strlen(s), w, 2, cuts);
	char *a = piece(s, 0, cuts[0]);
	STR_EQ(a, "第一句话说完了。", "cut after the full stop");
	free(a);
	/* no punctuation near the place: between CJK characters, by proportion */
	const char *t = "一二三四五六七八九十";
	double w2[2] = {3, 7};
	tandem__align_split(t, strlen(t), w2, 2, cuts);
	a = piece(t, 0, cuts[0]);
	STR_EQ(a, "一二三", "3:7 of ten characters");
	free(a);
	/* Latin text is cut between words, never inside one */
	const char *l = "alpha beta gamma delta";
	double w3[3] = {1, 1, 1};
	tandem__align_split(l, strlen(l), w3, 3, cuts);
	OK(l[cuts[0]] == ' ' || l[cuts[0] - 1] == ' ', "first cut at a space (%zu)", cuts[0]);
	OK(l[cuts[1]] == ' ' || l[cuts[1] - 1] == ' ', "second cut at a space (%zu)", cuts[1]);
	OK(cuts[0] < cuts[1], "cuts in order");
	/* a comma is preferred to a bare character boundary nearby */
	const char *c = "我们买了很多算力,但是还不够用";
	tandem__align_split(c, strlen(c), w, 2, cuts);
	a = piece(c, 0, cuts[0]);
	STR_EQ(a, "我们买了很多算力,", "after the comma");
	free(a);

	tandem__buf b = TANDEM_BUF_INIT;
	tandem__align_join(&b, "你好");
	tandem__align_join(&b, "世界");
	STR_EQ(b.ptr, "你好世界", "CJK joined without a space");
	tandem__align_join(&b, "Krishna");
	STR_EQ(b.ptr, "你好世界 Krishna", "a space before a Latin word");
	tandem__buf_clear(&b);
	tandem__align_join(&b, "Hello");
	tandem__align_join(&b, " world");
	STR_EQ(b.ptr, "Hello world", "Latin joined with one space");
	tandem__buf_free(&b);
}

static void test_lexicon(void)
{
	const char *text = "# a comment\n"
	                   "电脑 @ computer\n"
	                   "算力 @ compute power\n"
	                   "電腦 电脑 [dian4 nao3] /computer/CL:臺|台[tai2]/\n"
	                   "芯片 芯片 [xin1 pian4] /computer chip/microchip/\n"
	                   "this line is neither\n";
	tandem_lexicon *lx = NULL;
	int warnings = 0;
	int rc = tandem_lexicon_parse(&lx, text, strlen(text), "lex.txt", NULL, NULL);
	INT_EQ(rc, 0, "lexicon parses");
	INT_EQ(tandem_lexicon_count(lx), 5, "headwords: 电脑 twice, 算力, 電腦, 芯片");
	tandem__tokens t = {NULL, 0, 0};
	tandem__lexicon_lookup(lx, "我们的算力和芯片", strlen("我们的算力和芯片"), &t);
	bool compute = false, chip = false, micro = false;
	for (size_t i = 0; i < t.n; i++) {
		compute |= t.v[i].hash == tandem__align_word_hash("compute", 7);
		chip |= t.v[i].hash == tandem__align_word_hash("chip", 4);
		micro |= t.v[i].hash == tandem__align_word_hash("microchip", 9);
		OK(t.v[i].kind == TANDEM__TOK_LEX, "lexicon tokens are marked");
	}
	OK(compute && chip && micro, "glosses found (%d %d %d)", compute, chip, micro);
	free(t.v);
	tandem_lexicon_free(lx);
	(void)warnings;
	OK(tandem_lexicon_parse(&lx, "\xff\xfe", 2, "bad", NULL, NULL) == TANDEM_EENCODING && !lx,
	   "not UTF-8");
	tandem_lexicon_free(NULL);
}

/* ---- alignments ---- */

static tandem_doc *read_lines(const char *path)
{
	tandem_read_opts ro;
	tandem_read_opts_init(&ro);
	ro.format = "lines";
	tandem_doc *d = NULL;
	int rc = tandem_doc_read_file(&d, path, &ro);
	OK(rc == 0, "read %s: %s", path, tandem_strerror(rc));
	return d;
}

static bool has_link(const tandem_alignment *a, size_t s, size_t ns, size_t t, size_t nt)
{
	for (size_t k = 0; k < tandem_alignment_count(a); k++) {
		size_t s2, ns2, t2, nt2;
		tandem_alignment_link(a, k, &s2, &ns2, &t2, &nt2);
		if (ns2 == ns && nt2 == nt && (!ns || s2 == s) && (!nt || t2 == t))
			return true;
	}
	return false;
}

static void golden(const char *name, const char *got)
{
	char path[512];
	snprintf(path, sizeof path, FIX "%s.report.json", name);
	if (getenv("TANDEM_REGENERATE")) {
		FILE *fp = fopen(path, "w");
		if (fp) {
			fputs(got, fp);
			fclose(fp);
		}
	}
	char *want = harness_slurp(path, NULL);
	OK(want != NULL, "golden %s exists", path);
	if (want)
		STR_EQ(got, want, name);
	free(want);
}

static void test_shapes(void)
{
	static const struct {
		const char *name;
		size_t s, ns, t, nt;
		size_t translated, links;
	} cases[] = {
		{"1-1", 5, 1, 5, 1, 12, 12},
		{"2-1", 3, 2, 3, 1, 12, 11},
		{"1-2", 5, 1, 5, 2, 12, 12},
		{"1-3", 5, 1, 5, 3, 12, 12},
		{"3-1", 3, 3, 3, 1, 12, 10},
		{"2-2", 7, 2, 7, 2, 12, 11},
		{"1-0", 6, 1, 6, 0, 11, 12},
		{"0-1", 0, 0, 5, 1, 12, 13},
	};
	tandem_doc *src = read_lines(FIX "source.en.txt");
	if (!src)
		return;
	INT_EQ(tandem_doc_count(src), 12, "source segments");
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		char path[512];
		snprintf(path, sizeof path, FIX "%s.zh.txt", cases[c].name);
		tandem_doc *tr = read_lines(path);
		if (!tr)
			continue;
		tandem_alignment *a = NULL;
		int rc = tandem_align_run(src, tr, NULL, &a);
		INT_EQ(rc, 0, cases[c].name);
		if (rc) {
			tandem_doc_free(tr);
			continue;
		}
		OK(has_link(a, cases[c].s, cases[c].ns, cases[c].t, cases[c].nt), "%s: link %zu+%zu / %zu+%zu",
		   cases[c].name, cases[c].s, cases[c].ns, cases[c].t, cases[c].nt);
		INT_EQ(tandem_alignment_translated(a), cases[c].translated, cases[c].name);
		INT_EQ(tandem_alignment_count(a), cases[c].links, cases[c].name);
		OK(tandem_alignment_related(a), "%s: related", cases[c].name);
		/* every other link is the obvious 1-1 */
		for (size_t k = 0; k < tandem_alignment_count(a); k++) {
			size_t s, ns, t, nt;
			tandem_alignment_link(a, k, &s, &ns, &t, &nt);
			if (ns == cases[c].ns && nt == cases[c].nt && (!ns || s == cases[c].s) &&
			    (!nt || t == cases[c].t))
				continue;
			OK(ns == 1 && nt == 1, "%s: link %zu is %zu-%zu", cases[c].name, k, ns, nt);
			OK(tandem_alignment_score(a, k) >= 0.5, "%s: link %zu confident (%.2f)", cases[c].name,
			   k, tandem_alignment_score(a, k));
		}
		char *json = tandem_alignment_report_json(a, NULL);
		golden(cases[c].name, json);
		free(json);
		tandem_alignment_free(a);
		tandem_doc_free(tr);
	}
	tandem_doc_free(src);
}

/* The 2-1 case written out: the merged line is cut back at its full stop. */
static void test_apply(void)
{
	tandem_doc *src = read_lines(FIX "source.en.txt");
	tandem_doc *tr = read_lines(FIX "2-1.zh.txt");
	if (!src || !tr)
		return;
	tandem_alignment *a = NULL;
	INT_EQ(tandem_align_run(src, tr, NULL, &a), 0, "align 2-1");
	tandem_doc *out = NULL;
	INT_EQ(tandem_alignment_apply(a, src, tr, 0, &out), 0, "apply");
	INT_EQ(tandem_doc_count(out), 12, "source segments kept");
	STR_EQ(tandem_seg_translation(out, 3), "我很想听你解释一下处理这个问题是什么感觉。",
	       "first half of the merged line");
	OK(tandem_seg_translation(out, 4) &&
	   strncmp(tandem_seg_translation(out, 4), "据我了解", strlen("据我了解")) == 0,
	   "second half: %s", tandem_seg_translation(out, 4));
	STR_EQ(tandem_seg_text(out, 4), tandem_seg_text(src, 4), "source text kept");
	tandem_doc_free(out);
	INT_EQ(tandem_alignment_apply(a, src, tr, 1, &out), 0, "apply --merge");
	INT_EQ(tandem_doc_count(out), 11, "two segments merged");
	OK(strstr(tandem_seg_text(out, 3), "what it's like to have to deal with that. Like I") != NULL,
	   "merged text joined with a space: %s", tandem_seg_text(out, 3));
	STR_EQ(tandem_seg_translation(out, 3), tandem_seg_text(tr, 3), "the whole line");
	tandem_doc_free(out);
	OK(tandem_alignment_apply(a, tr, src, 0, &out) == TANDEM_EINVAL, "documents swapped");
	tandem_alignment_free(a);
	tandem_doc_free(src);
	tandem_doc_free(tr);
}

/*
 * Two timed tracks with different cue boundaries: the Chinese track cuts
 * the same speech into other cues.  Time overlap decides.
 */
static void test_timed(void)
{
	tandem_doc *en = tandem_doc_new(), *zh = tandem_doc_new();
	tandem_doc_add(en, 0, 2000, "Okay, let's continue.", NULL);
	tandem_doc_add(en, 2000, 6000, "So I'm glad some of you come here and ask me questions,", NULL);
	tandem_doc_add(en, 6000, 7000, "really good ones.", NULL);
	tandem_doc_add(en, 7000, 9000, "Okay.", NULL);
	tandem_doc_add(en, 9000, 14000, "Today we talk about blockchains and their consensus.", NULL);
	tandem_doc_add(en, 14000, 20000, "First, what is a hash function?", NULL);
	tandem_doc_add(zh, 0, 2000, "好的，咱们接着来。", NULL);
	tandem_doc_add(zh, 2000, 7000, "我很高兴你们中有人来问我问题，问题都很好。", NULL);
	tandem_doc_add(zh, 7000, 9000, "好。", NULL);
	tandem_doc_add(zh, 9000, 11500, "今天我们讲区块链", NULL);
	tandem_doc_add(zh, 11500, 14000, "以及它们的共识。", NULL);
	tandem_doc_add(zh, 14000, 20000, "首先，什么是哈希函数？", NULL);
	tandem_alignment *a = NULL;
	INT_EQ(tandem_align_run(en, zh, NULL, &a), 0, "timed align");
	OK(has_link(a, 0, 1, 0, 1), "0-0");
	OK(has_link(a, 1, 2, 1, 1), "two cues, one line");
	OK(has_link(a, 3, 1, 2, 1), "Okay.");
	OK(has_link(a, 4, 1, 3, 2), "one cue, two lines");
	OK(has_link(a, 5, 1, 5, 1), "the question");
	INT_EQ(tandem_alignment_translated(a), 6, "all translated");
	tandem_doc *out = NULL;
	INT_EQ(tandem_alignment_apply(a, en, zh, 0, &out), 0, "apply");
	STR_EQ(tandem_seg_translation(out, 4), "今天我们讲区块链以及它们的共识。", "joined without a space");
	INT_EQ(tandem_seg_start(out, 4), 9000, "source timing kept");
	tandem_doc_free(out);
	tandem_alignment_free(a);
	tandem_doc_free(en);
	tandem_doc_free(zh);
}

/* A finely cut timed track: five translation cues inside one source cue. */
static void test_timed_fine(void)
{
	tandem_doc *en = tandem_doc_new(), *zh = tandem_doc_new();
	tandem_doc_add(en, 0, 3000, "Welcome back to the show.", NULL);
	tandem_doc_add(en, 3000, 13000,
	               "Today we are going to talk about compute, chips, data centres, power and money.",
	               NULL);
	tandem_doc_add(en, 13000, 16000, "Let's begin.", NULL);
	tandem_doc_add(zh, 0, 3000, "欢迎回到节目。", NULL);
	tandem_doc_add(zh, 3000, 5000, "今天我们要谈", NULL);
	tandem_doc_add(zh, 5000, 7000, "算力、", NULL);
	tandem_doc_add(zh, 7000, 9000, "芯片、", NULL);
	tandem_doc_add(zh, 9000, 11000, "数据中心、", NULL);
	tandem_doc_add(zh, 11000, 13000, "电力和钱。", NULL);
	tandem_doc_add(zh, 13000, 16000, "我们开始吧。", NULL);
	tandem_alignment *a = NULL;
	INT_EQ(tandem_align_run(en, zh, NULL, &a), 0, "align");
	OK(has_link(a, 1, 1, 1, 5), "one cue, five lines");
	OK(has_link(a, 2, 1, 6, 1), "the last cue");
	INT_EQ(tandem_alignment_count(a), 3, "three links, nothing unused");
	tandem_doc *out = NULL;
	INT_EQ(tandem_alignment_apply(a, en, zh, 0, &out), 0, "apply");
	STR_EQ(tandem_seg_translation(out, 1), "今天我们要谈算力、芯片、数据中心、电力和钱。", "joined");
	tandem_doc_free(out);
	tandem_alignment_free(a);
	tandem_doc_free(en);
	tandem_doc_free(zh);
}

/*
 * Speakers named differently on the two sides (Host / 主持人): lines of
 * equal length, so only the learned speaker pairing says where a dropped
 * line was.
 */
static void test_speakers(void)
{
	static const char *en_host = "So what do you think about this one then", *zh_host = "那你怎么看这个问题呢，说说吧";
	static const char *en_guest = "Well I think it depends on a lot of things", *zh_guest = "嗯我觉得这取决于很多因素吧。";
	tandem_doc *en = tandem_doc_new(), *zh = tandem_doc_new();
	/* runs of speakers: H H G G G H G G H H H G ... */
	static const int who[] = {0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0,
	                          1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0};
	size_t n = sizeof who / sizeof *who, dropped = 20;
	for (size_t i = 0; i < n; i++) {
		size_t k = tandem_doc_add(en, TANDEM_NO_TIME, TANDEM_NO_TIME, who[i] ? en_guest : en_host, NULL);
		tandem_seg_set_speaker(en, k, who[i] ? "Guest" : "Host");
		if (i == dropped)
			continue;
		k = tandem_doc_add(zh, TANDEM_NO_TIME, TANDEM_NO_TIME, who[i] ? zh_guest : zh_host, NULL);
		tandem_seg_set_speaker(zh, k, who[i] ? "嘉宾" : "主持人");
	}
	tandem_alignment *a = NULL;
	INT_EQ(tandem_align_run(en, zh, NULL, &a), 0, "align");
	size_t mismatched = 0, untr = SIZE_MAX;
	for (size_t k = 0; k < tandem_alignment_count(a); k++) {
		size_t s0, ns, t0, nt;
		tandem_alignment_link(a, k, &s0, &ns, &t0, &nt);
		if (ns == 1 && nt == 1)
			mismatched += (strcmp(tandem_seg_speaker(en, s0), "Guest") == 0) !=
			              (strcmp(tandem_seg_speaker(zh, t0), "嘉宾") == 0);
		if (ns == 1 && !nt)
			untr = s0;
	}
	INT_EQ(mismatched, 0, "every link pairs Host with 主持人, Guest with 嘉宾");
	OK(untr == dropped, "the dropped line found: %zu", untr);
	tandem_alignment_free(a);
	tandem_doc_free(en);
	tandem_doc_free(zh);
}

/* Read the seed pairs into two documents (English timed, Chinese lines). */
static void seed_docs(size_t n, tandem_doc **en, tandem_doc **zh, size_t drop_from, size_t drop_n)
{
	char *data = harness_slurp(TANDEM_SOURCE_DIR "/fixtures/seeds/003_a154d282383bb464.txt", NULL);
	*en = tandem_doc_new();
	*zh = tandem_doc_new();
	if (!data)
		return;
	char *save = NULL, *line = strtok_r(data, "\n", &save);
	size_t k = 0, i = 0;
	int64_t t = 0;
	while (line && i < n) {
		if (k >= 4) {
			if ((k - 4) % 2 == 0) {
				int64_t d = (int64_t)strlen(line) * 60;
				tandem_doc_add(*en, t, t + d, line, NULL);
				t += d + 200;
			} else {
				if (i < drop_from || i >= drop_from + drop_n)
					tandem_doc_add(*zh, TANDEM_NO_TIME, TANDEM_NO_TIME, line, NULL);
				i++;
			}
		}
		k++;
		line = strtok_r(NULL, "\n", &save);
	}
	free(data);
}

/* A whole block of 60 lines missing: the band must follow the path. */
static void test_missing_block(void)
{
	tandem_doc *en, *zh;
	seed_docs(400, &en, &zh, 150, 60);
	INT_EQ(tandem_doc_count(zh), 340, "translation lines");
	tandem_align_opts o;
	tandem_align_opts_init(&o);
	o.band = 8; /* narrower than the gap */
	tandem_alignment *a = NULL;
	INT_EQ(tandem_align_run(en, zh, &o, &a), 0, "align");
	size_t right = 0, untr_in_block = 0, untr = 0;
	for (size_t k = 0; k < tandem_alignment_count(a); k++) {
		size_t s, ns, t, nt;
		tandem_alignment_link(a, k, &s, &ns, &t, &nt);
		if (ns == 1 && nt == 1 && ((s < 150 && t == s) || (s >= 210 && t == s - 60)))
			right++;
		if (!nt) {
			untr += ns;
			untr_in_block += ns && s >= 150 && s < 210;
		}
	}
	OK(right >= 330, "1-1 links right after the gap: %zu of 340", right);
	OK(untr_in_block >= 57, "the missing block reported untranslated: %zu of 60", untr_in_block);
	OK(untr <= 63, "few others untranslated: %zu", untr);
	tandem_alignment_free(a);
	tandem_doc_free(en);
	tandem_doc_free(zh);
}

/* A translation of something else: poor coverage, no invented links. */
static void test_unrelated(void)
{
	tandem_doc *en, *zh;
	seed_docs(200, &en, &zh, 0, 0);
	tandem_doc *other = read_lines(TANDEM_SOURCE_DIR "/fixtures/seeds/002_a7702332fec17ca5.txt");
	if (!other)
		return;
	tandem_alignment *a = NULL;
	size_t errors = 0;
	tandem_align_opts o;
	tandem_align_opts_init(&o);
	INT_EQ(tandem_align_run(en, other, &o, &a), 0, "align with another text");
	OK(!tandem_alignment_related(a), "judged unrelated");
	INT_EQ(tandem_alignment_translated(a), 0, "nothing translated");
	char *json = tandem_alignment_report_json(a, NULL);
	OK(strstr(json, "\"translated\":0,") != NULL, "report says so");
	free(json);
	tandem_alignment_free(a);
	(void)errors;
	/* and the real translation is judged related */
	INT_EQ(tandem_align_run(en, zh, &o, &a), 0, "align with its translation");
	OK(tandem_alignment_related(a), "related");
	INT_EQ(tandem_alignment_translated(a), 200, "all translated");
	tandem_alignment_free(a);
	tandem_doc_free(other);
	tandem_doc_free(en);
	tandem_doc_free(zh);
}

static void diag_count(const tandem_diag *d, void *user)
{
	size_t *n = user;
	if (d->severity == TANDEM_ERROR && strcmp(d->rule, "align-empty") == 0)
		(*n)++;
}

static void test_bad(void)
{
	tandem_doc *en = tandem_doc_new(), *empty = tandem_doc_new();
	tandem_doc_add(en, TANDEM_NO_TIME, TANDEM_NO_TIME, "Hello.", NULL);
	tandem_alignment *a = (tandem_alignment *)&a;
	size_t errs = 0;
	tandem_align_opts o;
	tandem_align_opts_init(&o);
	o.diag = diag_count;
	o.diag_user = &errs;
	INT_EQ(tandem_align_run(en, empty, &o, &a), TANDEM_EEMPTY, "empty translation");
	OK(a == NULL, "no alignment");
	INT_EQ(errs, 1, "an align-empty error");
	INT_EQ(tandem_align_run(empty, en, NULL, &a), TANDEM_EEMPTY, "empty source");
	INT_EQ(tandem_align_run(NULL, en, NULL, &a), TANDEM_EINVAL, "NULL source");
	/* one segment each: still works */
	tandem_doc *zh = tandem_doc_new();
	tandem_doc_add(zh, TANDEM_NO_TIME, TANDEM_NO_TIME, "你好。", NULL);
	INT_EQ(tandem_align_run(en, zh, NULL, &a), 0, "one and one");
	INT_EQ(tandem_alignment_count(a), 1, "one link");
	tandem_alignment_free(a);
	/* empty-text segments and binary junk do not crash */
	tandem_doc *junk = tandem_doc_new();
	tandem_doc_add(junk, TANDEM_NO_TIME, TANDEM_NO_TIME, "", NULL);
	tandem_doc_add(junk, TANDEM_NO_TIME, TANDEM_NO_TIME, "\x01\x02\xff\xfe garbage \xc3", NULL);
	tandem_doc_add(junk, TANDEM_NO_TIME, TANDEM_NO_TIME, "", NULL);
	INT_EQ(tandem_align_run(en, junk, NULL, &a), 0, "junk aligns");
	INT_EQ(tandem_alignment_source_count(a), 1, "counts");
	INT_EQ(tandem_alignment_translation_count(a), 3, "counts");
	tandem_alignment_free(a);
	tandem_alignment_free(NULL);
	tandem_doc_free(junk);
	tandem_doc_free(zh);
	tandem_doc_free(en);
	tandem_doc_free(empty);
}


/* ---- the learned word-translation table ---- */

static const char *const animals_en[] = {"cat", "dog", "bird", "fish", "horse",
                                         "cow", "sheep", "pig", "tiger", "wolf"};
static const char *const animals_zh[] = {"猫", "狗", "鸟", "鱼", "马", "牛", "羊", "猪", "虎", "狼"};

/*
 * Sixty lines about two animals each, with 0-4 filler words and, away
 * from lines 27-36, a year; lines 30-33 all have two fillers, so their
 * lengths are alike.  The translation of
 * line `drop` is left out (none when drop is SIZE_MAX).
 */
static void animal_docs(size_t drop, tandem_doc **en, tandem_doc **zh)
{
	*en = tandem_doc_new();
	*zh = tandem_doc_new();
	for (size_t i = 0; i < 60; i++) {
		size_t a = (i * 3) % 10, b = (i * 7 + i / 10 + 1) % 10, f = (i * 7) % 5;
		if (a == b)
			b = (b + 1) % 10;
		if (i >= 30 && i <= 33)
			f = 2;
		char e[200], z[200];
		snprintf(e, sizeof e, "the %s and the %s", animals_en[a], animals_en[b]);
		snprintf(z, sizeof z, "%s和%s", animals_zh[a], animals_zh[b]);
		for (size_t k = 0; k < f; k++) {
			strcat(e, " ran far");
			strcat(z, "跑远");
		}
		if ((i < 27 || i > 36) && i % 2 == 0) {
			/* anchors away from the block, so that the order is plain */
			snprintf(e + strlen(e), sizeof e - strlen(e), " in %zu", 1900 + i);
			snprintf(z + strlen(z), sizeof z - strlen(z), "在%zu年", 1900 + i);
		}
		tandem_doc_add(*en, TANDEM_NO_TIME, TANDEM_NO_TIME, e, NULL);
		if (i != drop)
			tandem_doc_add(*zh, TANDEM_NO_TIME, TANDEM_NO_TIME, z, NULL);
	}
}

static uint64_t unit_hash(const char *s, bool cjk)
{
	tandem__tokens t = {NULL, 0, 0};
	tandem__align_units(s, strlen(s), cjk, &t);
	uint64_t h = t.n ? t.v[0].hash : 0;
	free(t.v);
	return h;
}

static void units_of(tandem__m1 *M, const tandem_doc *d, int side)
{
	tandem__tokens t = {NULL, 0, 0};
	for (size_t i = 0; i < tandem_doc_count(d); i++) {
		const char *s = tandem_seg_text(d, i);
		t.n = 0;
		tandem__align_units(s, strlen(s), side == 1, &t);
		tandem__m1_add(M, side, t.v, t.n);
	}
	free(t.v);
}

static void test_learned_table(void)
{
	/* the units: Latin words lower-cased, CJK characters, numbers and punctuation skipped */
	tandem__tokens t = {NULL, 0, 0};
	tandem__align_units("The cats, 3 dogs!", strlen("The cats, 3 dogs!"), false, &t);
	INT_EQ(t.n, 3, "words of a Latin text, not the number");
	OK(t.n == 3 && t.v[1].hash == tandem__align_word_hash("cat", 3), "plural folded");
	t.n = 0;
	tandem__align_units("猫和GPU，狗。", strlen("猫和GPU，狗。"), true, &t);
	INT_EQ(t.n, 3, "CJK characters only: 猫 和 狗");
	free(t.v);

	tandem_doc *en, *zh;
	animal_docs(SIZE_MAX, &en, &zh);
	tandem__m1 *M = tandem__m1_new(60, 60);
	units_of(M, en, 0);
	units_of(M, zh, 1);
	size_t si[60], tj[60];
	for (size_t i = 0; i < 60; i++)
		si[i] = tj[i] = i;
	OK(!tandem__m1_train(M, si, tj, 6), "six links are too few to learn from");
	tandem__m1_free(M);
	M = tandem__m1_new(60, 60);
	units_of(M, en, 0);
	units_of(M, zh, 1);
	OK(tandem__m1_train(M, si, tj, 60), "trains on 60 links");
	double cat = tandem__m1_prob(M, tandem__align_word_hash("cat", 3), unit_hash("猫", true));
	double catdog = tandem__m1_prob(M, tandem__align_word_hash("cat", 3), unit_hash("狗", true));
	double wolf = tandem__m1_prob(M, tandem__align_word_hash("wolf", 4), unit_hash("狼", true));
	OK(cat > 0.5, "t(猫|cat) = %.3f", cat);
	OK(wolf > 0.5, "t(狼|wolf) = %.3f", wolf);
	OK(catdog < 0.05, "t(狗|cat) = %.3f", catdog);
	OK(tandem__m1_prob(M, tandem__align_word_hash("the", 3), unit_hash("和", true)) == 0,
	   "words in every line (the, 和) are left out");
	OK(M->lambda > 0.3, "held-out lambda %.3f", M->lambda);
	/* the evidence: a line and its translation above 0, a neighbour's below */
	float g[6];
	tandem__m1_row(M, 11, 10, 12, g);
	double right = tandem__m1_link(M, 10, 11, 10, 11, g[0]);
	double wrong = tandem__m1_link(M, 10, 11, 11, 12, g[3]);
	OK(right > 0.5, "line 10 with its translation: %.2f", right);
	OK(wrong < 0 && right - wrong > 2, "line 10 with line 11's translation: %.2f", wrong);
	double rev = tandem__m1_reverse(M, 10, 11, 10, 11), rev2 = tandem__m1_reverse(M, 10, 12, 10, 11);
	OK(rev > 0 && rev2 < rev, "the other direction: %.2f alone, %.2f with line 11 added", rev, rev2);
	tandem__m1_free(M);
	tandem__m1_free(NULL);
	tandem_doc_free(en);
	tandem_doc_free(zh);
}

/*
 * Lines 30-33 have alike lengths and no anchors: only the words learned
 * from the other lines (cat = 猫) tell which of them lost its translation.
 */
static void test_learned_drop(void)
{
	for (size_t drop = 31; drop <= 32; drop++) {
		tandem_doc *en, *zh;
		animal_docs(drop, &en, &zh);
		tandem_alignment *a = NULL;
		INT_EQ(tandem_align_run(en, zh, NULL, &a), 0, "align");
		OK(has_link(a, drop, 1, 0, 0), "line %zu reported untranslated", drop);
		OK(has_link(a, drop - 1, 1, drop - 1, 1) && has_link(a, drop + 1, 1, drop, 1),
		   "its neighbours keep their translations");
		INT_EQ(tandem_alignment_translated(a), 59, "59 lines translated");
		tandem_alignment_free(a);
		tandem_doc_free(en);
		tandem_doc_free(zh);
	}
}

/* Grapheme count by utf8proc alone, one lookup per code point. */
static size_t slow_graphemes(const char *s)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s), i = 0;
	utf8proc_int32_t prev = -1, state = 0;
	size_t n = 0;
	while (i < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t w = utf8proc_iterate(u + i, len - i, &c);
		if (w <= 0) {
			c = 0xFFFD;
			w = 1;
		}
		i += w;
		if (prev < 0 || utf8proc_grapheme_break_stateful(prev, c, &state))
			n++;
		prev = c;
	}
	return n;
}

/*
 * tandem_text_graphemes skips utf8proc between two code points of these
 * ranges: they must all be of break class Other, and counts must not change
 * next to marks, joiners, flags and emoji.
 */
static void test_graphemes_fast(void)
{
	static const int32_t ranges[][2] = {{0x20, 0x7E}, {0x3001, 0x3029}, {0x4E00, 0x9FFF}, {0xFF01, 0xFF5E}};
	size_t bad = 0;
	for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
		for (int32_t c = ranges[r][0]; c <= ranges[r][1]; c++)
			bad += utf8proc_get_property(c)->boundclass != UTF8PROC_BOUNDCLASS_OTHER;
	INT_EQ((int)bad, 0, "code points outside class Other");
	static const char *cases[] = {
		"plain ASCII text, with punctuation!",
		"e\xcc\x81" "te\xcc\x81 cafe\xcc\x81",                       /* combining acute after ASCII */
		"\xe4\xb8\xad\xcc\x81\xe6\x96\x87\xe3\x80\x82",      /* 中 + mark, 文。 */
		"a\xf0\x9f\x87\xba\xf0\x9f\x87\xb8\xf0\x9f\x87\xac\xf0\x9f\x87\xa7" "b", /* a, two flags, b */
		"x\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb" "y",   /* x, woman + ZWJ + laptop, y */
		"a\xe2\x80\x8d" "b \xe4\xb8\xad\xe2\x80\x8d\xe6\x96\x87", /* ZWJ after ASCII and CJK */
		"line\r\nnext\n\xea\xb0\x80\xea\xb0\x81 \xe1\x84\x80\xe1\x85\xa1", /* CR LF, hangul */
		"\xef\xbc\xa1\xef\xbd\x9e\xef\xbe\x9e\xe3\x80\x80\xe3\x80\xaa", /* full-width, kana voicing, U+302A */
		"\xff\xfe bad \xe4\xb8 bytes",
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		INT_EQ((int)tandem_text_graphemes(cases[k], strlen(cases[k])), (int)slow_graphemes(cases[k]),
		       cases[k]);
}

/* Letters and digits in s: a piece of one character has one. */
static size_t letters(const char *s)
{
	size_t n = 0;
	utf8proc_int32_t cp;
	for (utf8proc_ssize_t k; *s; s += k) {
		k = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
		if (k <= 0)
			break;
		utf8proc_category_t c = utf8proc_category(cp);
		n += (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
		     (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
	}
	return n;
}

/*
 * The split repair: a merged translation line cut over its source
 * segments by fit/'s cut finder.  Once it cut 当 / 然可以在这里应用这个。
 * and Mythos / 的发布… with score 1.0.  A cut between bare words, with
 * nothing in the line to say where one translation ends, is poor: the
 * link is then listed low_confidence.
 */
static const struct {
	const char *en[2], *zh, *first;
	bool poor;
} merged[] = {
	/* a word break (no punctuation between the two): the right one, but a guess */
	{{"Of course.", "You can apply it here."}, "当然可以在这里应用这个。", "当然可以", true},
	{{"The release of Mythos was such an",
	  "Interesting moment. It was the first time many people, friends of mine that are careful "
	  "watchers of this stuff said something like, \"I'm like, this one kind of makes me scared.\""},
	 "Mythos 的发布是一个非常有意思的时刻。这是第一次，我的很多密切关注这个领域的朋友说：「这个模型让我有点害怕。」",
	 "Mythos 的发布是一个非常有意思的时刻。", false},
	/* no translation of "Yes." in the line: any cut is a guess */
	{{"Yes.", "I think that we should go and see the film tonight with all of our friends."},
	 "我觉得我们今晚应该和所有朋友一起去看那部电影", NULL, true},
};

static void test_split_repair(void)
{
	tandem__cutter *cut = NULL;
	tandem__buf b = TANDEM_BUF_INIT;
	for (size_t c = 0; c < sizeof merged / sizeof *merged; c++) {
		tandem_doc *en = tandem_doc_new(), *zh = tandem_doc_new();
		tandem_doc_add(en, TANDEM_NO_TIME, TANDEM_NO_TIME, merged[c].en[0], NULL);
		tandem_doc_add(en, TANDEM_NO_TIME, TANDEM_NO_TIME, merged[c].en[1], NULL);
		tandem_doc_add(zh, TANDEM_NO_TIME, TANDEM_NO_TIME, merged[c].zh, NULL);
		link l = {0, 0, SH_21, 0, 2, 1};
		size_t offs[2];
		double q = tandem__align_cut_link(&cut, en, zh, false, true, &l, &b, offs);
		if (!cut) {
			tandem_doc_free(en);
			tandem_doc_free(zh);
			break; /* no ICU: the old proportional cut */
		}
		char *p0 = piece(b.ptr, 0, offs[0]), *p1 = piece(b.ptr, offs[0], b.len);
		OK(strcmp(p0, "当") != 0 && strncmp(p1, "然", strlen("然")) != 0,
		   "case %zu: no cut inside 当然 (%s / %s)", c, p0, p1);
		OK(strncmp(p1, "的", strlen("的")) != 0, "case %zu: no piece starts with 的 (%s)", c, p1);
		OK(letters(p0) >= 2 && letters(p1) >= 2, "case %zu: no one-character piece (%s / %s)", c,
		   p0, p1);
		if (merged[c].first)
			OK(strncmp(p0, merged[c].first, strlen(merged[c].first)) == 0,
			   "case %zu: first piece %s", c, p0);
		OK((q < 0.3) == merged[c].poor, "case %zu: cut quality %.3f", c, q);
		free(p0);
		free(p1);
		tandem_doc_free(en);
		tandem_doc_free(zh);
	}
	tandem__cutter_free(cut);
	tandem__buf_free(&b);

	/*
	 * Through the aligner: each merged line inside a run of ordinary 1-1
	 * lines.  The poor cut's link is listed low_confidence; the good cuts'
	 * are not, and the bilingual document holds their pieces.
	 */
	for (size_t c = 0; c < sizeof merged / sizeof *merged; c++) {
		tandem_doc *en, *zh;
		seed_docs(30, &en, &zh, 0, 0);
		tandem_doc *e2 = tandem_doc_new(), *z2 = tandem_doc_new();
		for (size_t i = 0; i < 30; i++) {
			if (i == 15) {
				tandem_doc_add(e2, TANDEM_NO_TIME, TANDEM_NO_TIME, merged[c].en[0], NULL);
				tandem_doc_add(e2, TANDEM_NO_TIME, TANDEM_NO_TIME, merged[c].en[1], NULL);
				tandem_doc_add(z2, TANDEM_NO_TIME, TANDEM_NO_TIME, merged[c].zh, NULL);
			}
			tandem_doc_add(e2, TANDEM_NO_TIME, TANDEM_NO_TIME, tandem_seg_text(en, i), NULL);
			tandem_doc_add(z2, TANDEM_NO_TIME, TANDEM_NO_TIME, tandem_seg_text(zh, i), NULL);
		}
		tandem_alignment *a = NULL;
		OK(tandem_align_run(e2, z2, NULL, &a) == 0, "case %zu: align", c);
		size_t k = SIZE_MAX;
		for (size_t x = 0; a && x < tandem_alignment_count(a); x++) {
			size_t s, ns, tr, nt;
			tandem_alignment_link(a, x, &s, &ns, &tr, &nt);
			if (s == 15 && ns == 2 && tr == 15 && nt == 1)
				k = x;
		}
		OK(k != SIZE_MAX, "case %zu: the 2-1 link", c);
		if (k != SIZE_MAX) {
			OK(tandem_alignment_low_confidence(a, k) == (int)merged[c].poor,
			   "case %zu: score %.3f", c, tandem_alignment_score(a, k));
			tandem_doc *out = NULL;
			OK(tandem_alignment_apply(a, e2, z2, 0, &out) == 0, "case %zu: apply", c);
			const char *t0 = out ? tandem_seg_translation(out, 15) : NULL;
			const char *t1 = out ? tandem_seg_translation(out, 16) : NULL;
			OK(t0 && t1 && letters(t0) >= 2 && letters(t1) >= 2 &&
			   strncmp(t1, "的", strlen("的")) != 0, "case %zu: pieces %s / %s", c,
			   t0 ? t0 : "(none)", t1 ? t1 : "(none)");
			if (merged[c].first && t0)
				OK(strcmp(t0, merged[c].first) == 0, "case %zu: first piece %s", c, t0);
			tandem_doc_free(out);
		}
		tandem_alignment_free(a);
		tandem_doc_free(e2);
		tandem_doc_free(z2);
		tandem_doc_free(en);
		tandem_doc_free(zh);
	}
}

int main(void)
{
	test_graphemes_fast();
	test_numbers();
	test_words();
	test_measures();
	test_split_join();
	test_lexicon();
	test_shapes();
	test_apply();
	test_timed();
	test_timed_fine();
	test_speakers();
	test_missing_block();
	test_unrelated();
	test_bad();
	test_learned_table();
	test_learned_drop();
	test_split_repair();
	return harness_done();
}
