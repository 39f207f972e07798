/*
 * lexicon.c - the optional word lexicon: Chinese headwords mapped to
 * the English words that translate them, as extra anchors for the aligner.
 *
 * Accepted lines (UTF-8; blank lines and lines starting with '#' skipped):
 *   中文 @ english words           the simple form; several '@' lines may
 *                                   share a headword
 *   傳統 简体 [pin1 yin1] /gloss/gloss/   CC-CEDICT (both headwords kept;
 *                                   "CL:" and parenthesised notes dropped)
 * English glosses are cut into words; short words and function words
 * ("to", "the", "sb") are dropped because they would match anything.
 */
#include "align_internal.h"
#include "scan.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct lex_pair {
	uint64_t key;     /* hash of the Chinese headword's bytes */
	uint64_t word;    /* tandem__align_word_hash of an English word */
} lex_pair;

struct tandem_lexicon {
	lex_pair *pairs;  /* sorted by key, then word */
	size_t n, cap;
	size_t headwords;
	size_t maxlen;    /* longest headword in bytes */
};

static uint64_t key_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static const char *const stop[] = {
	"the", "and", "for", "with", "one", "ones", "oneself", "sth", "someone", "something",
	"used", "from", "into", "that", "this", "are", "was", "were", "has", "have", "not",
	"etc", "also", "very", "see", "variant", "old", "name", "surname",
};

static bool stopword(const char *w, size_t n)
{
	if (n < 3)
		return true;
	for (size_t i = 0; i < sizeof stop / sizeof *stop; i++)
		if (strlen(stop[i]) == n && strncasecmp(stop[i], w, n) == 0)
			return true;
	return false;
}

static void add_pair(tandem_lexicon *lx, uint64_t key, uint64_t word)
{
	if (lx->n == lx->cap) {
		lx->cap = lx->cap ? lx->cap * 2 : 256;
		lx->pairs = tandem__xrealloc(lx->pairs, lx->cap * sizeof *lx->pairs);
	}
	lx->pairs[lx->n].key = key;
	lx->pairs[lx->n].word = word;
	lx->n++;
}

/* Add every content word of gloss text g[0..n) for headword key. */
static size_t add_gloss(tandem_lexicon *lx, uint64_t key, const char *g, size_t n)
{
	size_t added = 0, i = 0;
	int paren = 0;
	while (i < n) {
		char ch = g[i];
		if (ch == '(') {
			paren++;
			i++;
			continue;
		}
		if (ch == ')') {
			if (paren)
				paren--;
			i++;
			continue;
		}
		if (!isalpha((unsigned char)ch)) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && (isalnum((unsigned char)g[j]) || g[j] == '-'))
			j++;
		if (!paren && !stopword(g + i, j - i)) {
			add_pair(lx, key, tandem__align_word_hash(g + i, j - i));
			added++;
		}
		i = j;
	}
	return added;
}

static void add_head(tandem_lexicon *lx, const char *h, size_t n, const char *g, size_t gn)
{
	if (!n)
		return;
	if (n > lx->maxlen)
		lx->maxlen = n;
	if (add_gloss(lx, key_hash(h, n), g, gn))
		lx->headwords++;
}

static int cmp_pair(const void *a, const void *b)
{
	const lex_pair *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->word != y->word)
		return x->word < y->word ? -1 : 1;
	return 0;
}

int tandem_lexicon_parse(tandem_lexicon **out, const char *data, size_t len,
                         const char *filename, tandem_diag_fn diag, void *user)
{
	if (!out || (!data && len))
		return TANDEM_EINVAL;
	*out = NULL;
	if (tandem__utf8_check(data, len) != len) {
		tandem__report(diag, user, filename, TANDEM_ERROR, "lexicon-encoding", 0, 0, -1,
		               "the lexicon is not UTF-8 text");
		return TANDEM_EENCODING;
	}
	tandem_lexicon *lx = tandem__xcalloc(1, sizeof *lx);
	tandem__lines it;
	tandem__line ln;
	size_t bad = 0;
	tandem__lines_init(&it, data, len);
	while (tandem__lines_next(&it, &ln)) {
		const char *s = ln.s;
		size_t n = ln.len;
		if (ln.no == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			n -= 3;
		}
		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (!n || s[0] == '#')
			continue;
		const char *at = memchr(s, '@', n);
		const char *slash = memchr(s, '/', n);
		const char *br = memchr(s, '[', n);
		if (at && (!slash || at < slash)) {
			size_t hn = (size_t)(at - s);
			while (hn && (s[hn - 1] == ' ' || s[hn - 1] == '\t'))
				hn--;
			add_head(lx, s, hn, at + 1, n - (size_t)(at + 1 - s));
			continue;
		}
		if (slash && br && br < slash) {
			/* CC-CEDICT: TRAD SIMP [pinyin] /glosses/ */
			const char *sp = memchr(s, ' ', (size_t)(br - s));
			if (sp) {
				const char *simp = sp + 1;
				const char *sp2 = memchr(simp, ' ', (size_t)(br - simp));
				size_t gn = n - (size_t)(slash - s);
				add_head(lx, s, (size_t)(sp - s), slash, gn);
				size_t tn = (size_t)(sp - s), sn = sp2 ? (size_t)(sp2 - simp) : 0;
				if (sn && (sn != tn || memcmp(simp, s, sn) != 0))
					add_head(lx, simp, sn, slash, gn);
				continue;
			}
		}
		if (bad++ < 10)
			tandem__report(diag, user, filename, TANDEM_WARNING, "lexicon-line", ln.no, 1, -1,
			               "not a lexicon line ('中文 @ english' or CC-CEDICT); skipped");
	}
	if (lx->n)
		qsort(lx->pairs, lx->n, sizeof *lx->pairs, cmp_pair);
	size_t k = 0;
	for (size_t i = 0; i < lx->n; i++)
		if (!k || cmp_pair(&lx->pairs[k - 1], &lx->pairs[i]) != 0)
			lx->pairs[k++] = lx->pairs[i];
	lx->n = k;
	*out = lx;
	return 0;
}

int tandem_lexicon_load(tandem_lexicon **out, const char *path, tandem_diag_fn diag,
                        void *user)
{
	char *data;
	size_t len;
	if (!out || !path)
		return TANDEM_EINVAL;
	*out = NULL;
	if (tandem__read_all(path, &data, &len)) {
		tandem__report(diag, user, path, TANDEM_ERROR, "lexicon-read", 0, 0, -1,
		               "cannot read the lexicon: %s", strerror(errno));
		return TANDEM_EIO;
	}
	int rc = tandem_lexicon_parse(out, data, len, path, diag, user);
	free(data);
	return rc;
}

size_t tandem_lexicon_count(const tandem_lexicon *lx)
{
	return lx ? lx->headwords : 0;
}

void tandem_lexicon_free(tandem_lexicon *lx)
{
	if (!lx)
		return;
	free(lx->pairs);
	free(lx);
}

/* First pair with this key, or n. */
static size_t find_key(const tandem_lexicon *lx, uint64_t key)
{
	size_t lo = 0, hi = lx->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (lx->pairs[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < lx->n && lx->pairs[lo].key == key ? lo : lx->n;
}

void tandem__lexicon_lookup(const tandem_lexicon *lx, const char *s, size_t len,
                            tandem__tokens *out)
{
	if (!lx || !lx->n)
		return;
	size_t i = 0;
	while (i < len) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x80) {
			i++;
			continue;
		}
		/* Longest headword starting here, by whole characters. */
		size_t ends[16], ne = 0, j = i;
		while (j < len && ne < 16 && j - i < lx->maxlen) {
			int32_t cp;
			size_t w = tandem__utf8_decode(s + j, len - j, &cp);
			if (!tandem__is_cjk(cp))
				break;
			j += w;
			ends[ne++] = j;
		}
		size_t step = 0;
		for (size_t e = ne; e > 0 && !step; e--) {
			size_t n = ends[e - 1] - i;
			if (n > lx->maxlen)
				continue;
			size_t k = find_key(lx, key_hash(s + i, n));
			if (k == lx->n)
				continue;
			for (; k < lx->n && lx->pairs[k].key == key_hash(s + i, n); k++)
				tandem__tokens_push(out, lx->pairs[k].word, true, TANDEM__TOK_LEX);
			step = n;
		}
		if (!step) {
			int32_t cp;
			step = tandem__utf8_decode(s + i, len - i, &cp);
		}
		i += step;
	}
}
