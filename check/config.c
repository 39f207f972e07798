/*
 * config.c - the checker's YAML rules file (tandem_check_rules_load): a
 * mapping of thresholds, `profile:` as the base they change, `languages:`
 * with each language's limits and `rules:` with each rule's severity.
 * libyaml loads it; every error carries its line and column (rule
 * check-config).
 */
#include "check.h"
#include "yaml_depth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct yload {
	tandem_check_rules *r;
	yaml_document_t *doc;
	const char *path;
	tandem_diag_fn diag;
	void *user;
	int rc;
} yload;

static void yerr(yload *y, const yaml_node_t *n, const char *fmt, ...) TANDEM_PRINTF(3, 4);

static void yerr(yload *y, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tandem__diag_full(y->diag, y->user, y->path, TANDEM_ERROR, "check-config",
	                  n ? n->start_mark.line + 1 : 0, n ? n->start_mark.column + 1 : 0, 0, 0,
	                  -1, fmt, ap);
	va_end(ap);
	y->rc = TANDEM_EPARSE;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}


static void yset(yload *y, const yaml_node_t *keynode, const char *key, const yaml_node_t *val)
{
	const char *v = scalar(val);
	if (tandem__check_rule_index(key) < 0 && !tandem__check_threshold_known(key)) {
		yerr(y, keynode, "unknown setting '%s'", key);
		return;
	}
	if (!v) {
		yerr(y, val, "'%s' takes a single value", key);
		return;
	}
	if (tandem_check_rules_set(y->r, key, v) == 0)
		return;
	if (tandem__check_rule_index(key) >= 0)
		yerr(y, val, "'%s' takes off, info, warning or error, not '%s'", key, v);
	else
		yerr(y, val, "'%s' takes a number (0 or more), not '%s'", key, v);
}

/* `languages: {zh: {cps: 9}}` and `rules: {overlap: error}`. */
static void ymap(yload *y, const yaml_node_t *map, const char *prefix)
{
	if (map->type != YAML_MAPPING_NODE) {
		yerr(y, map, "'%s' takes a mapping", prefix ? prefix : "languages");
		return;
	}
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
		const yaml_node_t *v = yaml_document_get_node(y->doc, p->value);
		const char *ks = scalar(k);
		if (!ks) {
			yerr(y, k, "keys must be plain names");
			continue;
		}
		if (prefix) {
			/* rules: ... */
			if (tandem__check_rule_index(ks) < 0)
				yerr(y, k, "unknown rule '%s'", ks);
			else
				yset(y, k, ks, v);
			continue;
		}
		if (!v || v->type != YAML_MAPPING_NODE) {
			yerr(y, v, "language '%s' takes a mapping such as {cps: 17, line_chars: 42}", ks);
			continue;
		}
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top;
		     q++) {
			const yaml_node_t *k2 = yaml_document_get_node(y->doc, q->key);
			const char *f = scalar(k2);
			char key[64];
			if (!f || snprintf(key, sizeof key, "%s.%s", ks, f) >= (int)sizeof key) {
				yerr(y, k2, "bad key in language '%s'", ks);
				continue;
			}
			if (!tandem__check_lang_field_known(f))
				yerr(y, k2, "unknown language setting '%s' (line_chars, line_width, cps, wpm)", f);
			else
				yset(y, k2, key, yaml_document_get_node(y->doc, q->value));
		}
	}
}

int tandem_check_rules_load(tandem_check_rules *r, const char *path, tandem_diag_fn diag,
                            void *user)
{
	if (!r || !path)
		return TANDEM_EINVAL;
	char *data;
	size_t len;
	if (tandem__read_all(path, &data, &len)) {
		tandem__report(diag, user, path, TANDEM_ERROR, "check-config", 0, 0, -1,
		               "cannot read: %s", strerror(errno));
		return TANDEM_EIO;
	}
	size_t dl, dc;
	if (tandem__yaml_depth(data, len, TANDEM_YAML_MAX_DEPTH, &dl, &dc)) {
		tandem__report(diag, user, path, TANDEM_ERROR, "check-config", dl + 1, dc + 1, -1,
		               "YAML nested more than %d levels deep", TANDEM_YAML_MAX_DEPTH);
		free(data);
		return TANDEM_EPARSE;
	}
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	yload y = {r, &doc, path, diag, user, 0};
	if (!yaml_parser_load(&parser, &doc)) {
		tandem__report(diag, user, path, TANDEM_ERROR, "check-config",
		               parser.problem_mark.line + 1, parser.problem_mark.column + 1, -1,
		               "YAML: %s", parser.problem ? parser.problem : "malformed");
		yaml_parser_delete(&parser);
		free(data);
		return TANDEM_EPARSE;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root) {
		/* An empty file overrides nothing. */
	} else if (root->type != YAML_MAPPING_NODE) {
		yerr(&y, root, "the rules file must be a mapping of settings");
	} else {
		yaml_node_pair_t *b = root->data.mapping.pairs.start, *e = root->data.mapping.pairs.top;
		/* The profile is the base the other keys change, wherever it is written. */
		for (yaml_node_pair_t *p = b; p < e; p++) {
			const char *k = scalar(yaml_document_get_node(&doc, p->key));
			if (k && strcmp(k, "profile") == 0) {
				const yaml_node_t *v = yaml_document_get_node(&doc, p->value);
				tandem_check_rules *base = scalar(v) ? tandem_check_rules_new(scalar(v)) : NULL;
				if (!base) {
					yerr(&y, v, "unknown profile '%s' (default, netflix, bbc)",
					     scalar(v) ? scalar(v) : "");
				} else {
					*r = *base;
					tandem_check_rules_free(base);
				}
			}
		}
		/* fps before min_gap_frames, so the frames convert at the right rate. */
		for (int pass = 0; pass < 2; pass++)
			for (yaml_node_pair_t *p = b; p < e; p++) {
				const yaml_node_t *kn = yaml_document_get_node(&doc, p->key);
				const yaml_node_t *v = yaml_document_get_node(&doc, p->value);
				const char *k = scalar(kn);
				if (!k) {
					if (pass == 0)
						yerr(&y, kn, "keys must be plain names");
					continue;
				}
				if ((strcmp(k, "fps") == 0) != (pass == 0))
					continue;
				if (strcmp(k, "profile") == 0)
					continue;
				if (strcmp(k, "languages") == 0)
					ymap(&y, v, NULL);
				else if (strcmp(k, "rules") == 0)
					ymap(&y, v, "rules");
				else
					yset(&y, kn, k, v);
			}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(data);
	return y.rc;
}
