/*
 * main.c - `tandem COMMAND ...`: dispatch to cmd_<name>.c.
 */
#include "cli.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

/* An interrupted run leaves no temporary file behind. */
static void on_signal(int sig)
{
	tandem_cleanup_temps();
	signal(sig, SIG_DFL);
	raise(sig);
}

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"convert", cmd_convert, "convert between formats, one file or a batch"},
	{"info", cmd_info, "describe a file: format, encoding, segments, span, languages"},
	{"align", cmd_align, "pair segments with their translation; repair and report coverage"},
	{"retime", cmd_retime, "time an untimed transcript from its recording's speech"},
	{"sync", cmd_sync, "move drifting subtitles onto a recording (offset, frame rate)"},
	{"check", cmd_check, "check coverage, timing and cues against the media's duration"},
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: tandem COMMAND [OPTIONS] ...\n\n"
	            "tandem %s: bilingual subtitles and transcripts.\n\nCommands:\n",
	        TANDEM_VERSION);
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(fp, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp, "\nFormats:");
	for (size_t k = 0; k < tandem_format_count(); k++)
		fprintf(fp, " %s%s", tandem_format_name(k),
		        tandem_format_can_read(tandem_format_name(k))
		                ? (tandem_format_can_write(tandem_format_name(k)) ? "" : "(read)")
		                : "(write)");
	fprintf(fp, "\n\n'tandem COMMAND --help' tells more; 'tandem -V' (--version) prints the\n"
	            "version.  Exit status: 0 ok, 1 the job ran\n"
	            "but found problems, 2 bad usage or unreadable input.\n");
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("tandem %s\n", TANDEM_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "tandem: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
