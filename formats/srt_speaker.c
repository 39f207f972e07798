/*
 * srt_speaker.c - speakers in SRT text: which "Name: " (or "主持人：")
 * openers of cues name a speaker.  A label is taken only when the same name
 * opens at least two cues and is not a common word ("Note:", "Question:"),
 * so ordinary text is left alone.  The SRT reader (srt.c) settles the
 * labels a window of cues at a time; the names seen so far are kept in an
 * open-addressing table, which a streamed conversion's second reader hands
 * to the main one to check that no name was counted on both sides.
 */
#include "srt_speaker.h"

#include <stdlib.h>
#include <string.h>


/* Words that open a line with a colon without naming anyone. */
static const char *const not_names[] = {
	"Note", "Notes", "Question", "Answer", "Example", "Warning", "Step", "Chapter", "Part",
	"Tip", "Hint", "Update", "Edit", "Source", "Translation", "Translator", "Subtitles",
	"Subtitle", "Caption", "Captions", "Lyrics", "Chorus", "Verse", "Title", "Summary",
	"Result", "Problem", "Solution", "Definition", "Reason", "Remember", "Important",
	"Look", "Listen", "Well", "So", "Now", "Yes", "No", "Okay", "OK", "Also", "First",
	"Second", "Third", "Finally", "Next", "Then", "Here", "This", "That", "And", "But",
	"Or", "Because", "Why", "What", "How", "When", "Where", "Who", "Today", "Q", "A",
	"Day", "Time", "Location", "Date", "Scene",
};

/*
 * Length of a speaker label opening s ("Anna: ", "Dr. Lee: ", "主持人：").
 * Sets *namelen to the name's bytes; returns the label's bytes with the
 * spaces after it, or 0.
 */
static size_t speaker_label(const char *s, size_t *namelen)
{
	size_t i = 0;
	if (s[0] >= 'A' && s[0] <= 'Z') {
		int words = 1;
		while (s[i] && s[i] != ':') {
			char c = s[i];
			if (c == ' ') {
				if (++words > 3 || !(s[i + 1] >= 'A' && s[i + 1] <= 'Z'))
					return 0;
			} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
			             c == '\'' || c == '-')) {
				return 0;
			}
			if (++i > 32)
				return 0;
		}
		if (s[i] != ':' || s[i + 1] != ' ')
			return 0;
		*namelen = i;
		for (size_t k = 0; k < sizeof not_names / sizeof *not_names; k++)
			if (strlen(not_names[k]) == i && memcmp(not_names[k], s, i) == 0)
				return 0;
		i++;
	} else {
		/* CJK: one to six ideographs or kana, then '：' or ':'. */
		size_t chars = 0;
		for (;;) {
			int32_t cp;
			size_t k = tandem__utf8_decode(s + i, strnlen(s + i, 4), &cp);
			if (!((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
			      (cp >= 0x3041 && cp <= 0x30FA)))
				break;
			i += k;
			if (++chars > 6)
				return 0;
		}
		if (!chars)
			return 0;
		*namelen = i;
		if (strncmp(s + i, "\xEF\xBC\x9A", 3) == 0)
			i += 3;
		else if (s[i] == ':')
			i++;
		else
			return 0;
	}
	while (s[i] == ' ')
		i++;
	return s[i] && s[i] != '\n' ? i : 0;
}

static void take_speaker(tandem__seg *seg, size_t namelen, size_t len)
{
	if (seg->markup && strncmp(seg->markup, seg->text, len) != 0)
		return; /* a tag before the name: leave the cue as it is */
	seg->speaker = tandem__xstrndup(seg->text, namelen);
	memmove(seg->text, seg->text + len, strlen(seg->text + len) + 1);
	if (seg->markup)
		memmove(seg->markup, seg->markup + len, strlen(seg->markup + len) + 1);
}

/*
 * Speaker names seen so far, by name (open addressing).  Read whole, the
 * document is one window and a label is taken when its name opens at least
 * two cues.  Streamed, a label is taken once its name has opened two cues
 * so far; the whole-document rule counts later cues too, so a name whose
 * single earlier cue has already been written and which comes back later
 * makes the stream diverge (the caller then reads the file again as a whole).
 */
typedef struct tandem_spk_name {
	char *name;         /* NULL: empty slot */
	size_t len, count;
	bool written_alone; /* its one cue so far went out without the label taken */
} spk_name;

static uint64_t name_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t k = 0; k < n; k++)
		h = (h ^ (unsigned char)s[k]) * 0x100000001b3ULL;
	return h;
}

static spk_name *spk_slot(tandem__srt_speakers *sp, const char *s, size_t n)
{
	if (2 * (sp->nnames + 1) > sp->capnames) {
		size_t cap = sp->capnames ? 2 * sp->capnames : 64;
		spk_name *t = tandem__xcalloc(cap, sizeof *t);
		for (size_t i = 0; i < sp->capnames; i++) {
			spk_name *o = &sp->names[i];
			if (!o->name)
				continue;
			size_t j = (size_t)name_hash(o->name, o->len) & (cap - 1);
			while (t[j].name)
				j = (j + 1) & (cap - 1);
			t[j] = *o;
		}
		free(sp->names);
		sp->names = t;
		sp->capnames = cap;
	}
	size_t j = (size_t)name_hash(s, n) & (sp->capnames - 1);
	while (sp->names[j].name &&
	       !(sp->names[j].len == n && memcmp(sp->names[j].name, s, n) == 0))
		j = (j + 1) & (sp->capnames - 1);
	if (!sp->names[j].name) {
		sp->names[j].name = tandem__xstrndup(s, n);
		sp->names[j].len = n;
		sp->nnames++;
	}
	return &sp->names[j];
}

typedef struct tandem_spk_label {
	size_t seg, namelen, len;
} label;

void tandem__srt_speakers_find(tandem__srt_speakers *sp, tandem__reader *r, tandem_doc *doc,
                               size_t from, size_t to)
{
	size_t n = 0;
	for (size_t i = from; i < to; i++) {
		size_t namelen, len = speaker_label(doc->segs[i].text, &namelen);
		if (!len)
			continue;
		if (n == sp->caplabels) {
			sp->caplabels = sp->caplabels ? 2 * sp->caplabels : 16;
			sp->labels = tandem__xrealloc(sp->labels, sp->caplabels * sizeof *sp->labels);
		}
		sp->labels[n++] = (label){i, namelen, len};
		spk_name *nm = spk_slot(sp, doc->segs[i].text, namelen);
		if (nm->written_alone && r->window) /* read whole, nothing was decided early */
			r->window->diverge(r);
		nm->count++;
	}
	for (size_t k = 0; k < n; k++) {
		const label *l = &sp->labels[k];
		tandem__seg *seg = &doc->segs[l->seg];
		spk_name *nm = spk_slot(sp, seg->text, l->namelen);
		if (nm->count >= 2)
			take_speaker(seg, l->namelen, l->len);
		else
			nm->written_alone = true;
	}
}

static void free_names(spk_name *names, size_t cap)
{
	for (size_t i = 0; i < cap; i++)
		free(names[i].name);
	free(names);
}

void tandem__srt_speakers_free(tandem__srt_speakers *sp)
{
	free_names(sp->names, sp->capnames);
	free(sp->labels);
}

/* ---- two readers (a streamed conversion's, stream.h) ---- */

void *tandem__srt_speakers_detach(tandem__srt_speakers *sp)
{
	tandem__srt_speakers *t = tandem__xmalloc(sizeof *t);
	*t = (tandem__srt_speakers){sp->names, sp->nnames, sp->capnames, NULL, 0};
	sp->names = NULL;
	sp->nnames = sp->capnames = 0;
	return t;
}

void tandem__srt_speakers_tail_free(void *p)
{
	tandem__srt_speakers *t = p;
	free_names(t->names, t->capnames);
	free(t);
}

static bool name_seen(const tandem__srt_speakers *sp, const spk_name *nm)
{
	if (!sp->capnames)
		return false;
	size_t j = (size_t)name_hash(nm->name, nm->len) & (sp->capnames - 1);
	for (; sp->names[j].name; j = (j + 1) & (sp->capnames - 1))
		if (sp->names[j].len == nm->len && memcmp(sp->names[j].name, nm->name, nm->len) == 0)
			return true;
	return false;
}

bool tandem__srt_speakers_apart(const tandem__srt_speakers *sp, const tandem__srt_speakers *tail)
{
	bool apart = true;
	for (size_t i = 0; apart && i < tail->capnames; i++)
		apart = !tail->names[i].name || !name_seen(sp, &tail->names[i]);
	return apart;
}
