/*
 * test_mdinline.c - a post paragraph's Markdown as plain text (cmark) and
 * term glosses dropped (formats/md_inline.c), table-driven, and the seed
 * post written as subtitles: no Markdown left, the post itself unchanged.
 */
#include "harness.h"
#include "markdown.h"
#include "tandem.h"

#include <string.h>

#define SEED_000 TANDEM_SOURCE_DIR "/fixtures/seeds/000_c84498d7aca169fa.txt"

static void test_plain(void)
{
	static const struct {
		const char *md, *plain;
	} cases[] = {
		{"能够实现**端到端**的运作", "能够实现端到端的运作"},
		{"*a* and _b_ and ***c***", "a and b and c"},
		{"see [the docs](https://example.com \"t\") now", "see the docs now"},
		{"![a chart](chart.png) 之后", "之后"},
		{"before ![x](y.png) after", "before after"},
		{"a \\*b\\* \\_c\\_ \\[d\\]", "a *b* _c_ [d]"},
		{"&amp; &lt;tag&gt; &#x4E2D;", "& <tag> 中"},
		{"运行 `make **all**` 命令", "运行 make **all** 命令"},
		{"第一行\n第二行", "第一行\n第二行"},
		{"hard  \nbreak", "hard\nbreak"},
		{"<span class=\"x\">红</span>字", "红字"},
		{"一<br>二<br/>三", "一\n二\n三"},
		{"1. 第一点\n2. 第二点", "1. 第一点\n2. 第二点"},
		{"3) 第三", "3) 第三"},
		{"- 一项", "- 一项"},
		{"> 引用的话", "引用的话"},
		/* CommonMark: an intraword __ is no emphasis, an unclosed ** is text. */
		{"我们谈谈__准确性__。", "我们谈谈__准确性__。"},
		{"a **b", "a **b"},
		{"2*3*4", "234"},
		{"", ""},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		tandem__buf b = TANDEM_BUF_INIT;
		tandem__md_plain(&b, cases[k].md);
		STR_EQ(b.ptr, cases[k].plain, cases[k].md);
		tandem__buf_free(&b);
	}
}

static void test_glosses(void)
{
	static const struct {
		const char *in, *out;
		size_t dropped;
	} cases[] = {
		{"端到端（End-to-End: 从开始到结束的整个过程）的运作", "端到端的运作", 1},
		{"礼来公司（Eli Lilly and Company: 一家制药公司）的", "礼来公司的", 1},
		{"模型（LLM：大型语言模型）很大", "模型很大", 1},
		{"嵌套（Term: 外（内）外）后", "嵌套后", 1},
		{"两个（A: 一）和（B.2 & C/D: 二）。", "两个和。", 2},
		/* Not glosses: no English term and colon, at the start, unclosed, two lines. */
		{"Anthropic（一家人工智能公司）", "Anthropic（一家人工智能公司）", 0},
		{"（Note: 开头）不是", "（Note: 开头）不是", 0},
		{"词（Term: 没有结束", "词（Term: 没有结束", 0},
		{"词（Term: 一\n二）", "词（Term: 一\n二）", 0},
		{"词（Term 没有冒号）", "词（Term 没有冒号）", 0},
		{"词（2024: 年份）", "词（2024: 年份）", 0},
		{"ASCII (Term: kept)", "ASCII (Term: kept)", 0},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		tandem__buf b = TANDEM_BUF_INIT;
		size_t n = tandem__drop_glosses(&b, cases[k].in);
		STR_EQ(b.ptr, cases[k].out, cases[k].in);
		INT_EQ(n, cases[k].dropped, cases[k].in);
		tandem__buf_free(&b);
	}
}

/* The seed post: its SRT (timed first) holds no "**"; its post is itself. */
static void test_seed(void)
{
	tandem_doc *doc = NULL;
	INT_EQ(tandem_doc_read_file(&doc, SEED_000, NULL), 0, "seed 000 reads");
	if (!doc)
		return;
	size_t bold = 0;
	for (size_t i = 0; i < tandem_doc_count(doc); i++) {
		const char *t = tandem_seg_translation(doc, i);
		bold += t && strstr(t, "**");
		tandem_seg_set_times(doc, i, (int64_t)i * 1000, (int64_t)i * 1000 + 900);
	}
	OK(bold > 0, "the seed's translations hold Markdown (%zu)", bold);
	tandem_write_opts wo;
	tandem_write_opts_init(&wo);
	char *out = NULL;
	size_t len;
	const char *formats[] = {"srt", "vtt", "ass", "lines"};
	for (size_t k = 0; k < 4; k++) {
		INT_EQ(tandem_doc_write(doc, formats[k], &wo, &out, &len), 0, formats[k]);
		OK(out && !strstr(out, "**"), "%s from the seed post holds no '**'", formats[k]);
		OK(out && strstr(out, "端到端（End-to-End"), "%s keeps the gloss", formats[k]);
		free(out);
	}
	wo.drop_glosses = 1;
	INT_EQ(tandem_doc_write(doc, "srt", &wo, &out, &len), 0, "srt, glosses dropped");
	OK(out && strstr(out, "实现端到端的运作") && !strstr(out, "End-to-End"), "gloss dropped");
	free(out);
	/* The document itself is untouched by the subtitle's view. */
	OK(strstr(tandem_seg_translation(doc, 0), "**端到端**（End-to-End") != NULL,
	   "the document keeps its Markdown");
	tandem_doc_free(doc);
}

int main(void)
{
	test_plain();
	test_glosses();
	test_seed();
	return harness_done();
}
