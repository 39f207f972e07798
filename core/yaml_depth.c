/*
 * yaml_depth.c - how deeply YAML nests, counted on libyaml's events (each
 * sequence or mapping start one level down, its end one up) and stopped at
 * the first collection past the bound, before anything is loaded.
 */
#include "yaml_depth.h"
#include "tandem_private.h"

#include <yaml.h>

int tandem__yaml_depth(const char *text, size_t len, size_t max, size_t *line, size_t *col)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		tandem__oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	size_t depth = 0;
	int rc = 0;
	for (bool done = false; !done;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev))
			break; /* the loader says what is wrong */
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > max) {
				*line = ev.start_mark.line;
				*col = ev.start_mark.column;
				rc = -1;
				done = true;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}
