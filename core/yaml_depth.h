/*
 * yaml_depth.h - a bound on how deeply YAML nests (core/yaml_depth.c),
 * checked with libyaml's event parser before a document is loaded: the
 * loader and the scanner behind it slow down with the depth, so a front
 * matter or rules file 100,000 collections deep would never finish.
 */
#ifndef TANDEM_YAML_DEPTH_H
#define TANDEM_YAML_DEPTH_H

#include <stddef.h>

/* The deepest nesting of sequences and mappings tandem loads. */
#define TANDEM_YAML_MAX_DEPTH 1000

/*
 * 0 when text nests at most max collections deep (a syntax error counts as
 * within: the loader reports it); -1 when deeper, with the 0-based line and
 * column of the first collection past max in *line and *col.
 */
int tandem__yaml_depth(const char *text, size_t len, size_t max, size_t *line, size_t *col);

#endif /* TANDEM_YAML_DEPTH_H */
