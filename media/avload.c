/*
 * avload.c - open libsndfile and FFmpeg's libraries on first use
 * (see avload.h for why).
 *
 * Each group (FFmpeg; libsndfile) is opened once per process under
 * pthread_once, so readers on several threads share one table, and is
 * never closed.  The soname is built from the headers' major version:
 * within a major version FFmpeg keeps its ABI, so struct fields read
 * directly (ic->streams, st->codecpar) mean what the headers say.  A
 * library that is missing, or that lacks a function, makes the group
 * unavailable with a message naming the library and its Debian package;
 * nothing is called half-resolved.
 */
#include "tandem_private.h"
#include "avload.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <libavcodec/version.h>
#include <libavformat/version.h>
#include <libavutil/version.h>
#include <libswresample/version.h>

/* Fails to compile when a line of the tables disagrees with its header. */
#define CHECK_PROTOTYPE(lib, ret, name, params)                              \
	_Static_assert(_Generic(&name, ret (*) params: 1, default: 0),       \
	               #name " in avload.h does not match its header");
TANDEM__AV_FUNCS(CHECK_PROTOTYPE)
TANDEM__SF_FUNCS(CHECK_PROTOTYPE)

/* dlsym() hands out functions as void *; POSIX makes the two the same size. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "function pointers differ from void *");

#define STR_(x) #x
#define STR(x) STR_(x)

enum { LIB_avutil, LIB_avcodec, LIB_avformat, LIB_swresample, LIB_sndfile, LIB_COUNT };

/* Soname, and the Debian package that ships it (named lib<name><major>). */
static const struct {
	const char *soname, *package;
} libs[LIB_COUNT] = {
	[LIB_avutil] = {"libavutil.so." STR(LIBAVUTIL_VERSION_MAJOR),
	                "libavutil" STR(LIBAVUTIL_VERSION_MAJOR)},
	[LIB_avcodec] = {"libavcodec.so." STR(LIBAVCODEC_VERSION_MAJOR),
	                 "libavcodec" STR(LIBAVCODEC_VERSION_MAJOR)},
	[LIB_avformat] = {"libavformat.so." STR(LIBAVFORMAT_VERSION_MAJOR),
	                  "libavformat" STR(LIBAVFORMAT_VERSION_MAJOR)},
	[LIB_swresample] = {"libswresample.so." STR(LIBSWRESAMPLE_VERSION_MAJOR),
	                    "libswresample" STR(LIBSWRESAMPLE_VERSION_MAJOR)},
	/* sndfile.h carries no version; its soname has been .1 since 1.0.0. */
	[LIB_sndfile] = {"libsndfile.so.1", "libsndfile1"},
};

typedef struct {
	int lib;
	const char *name;
	size_t offset;   /* of the member in tandem__avlib or tandem__sflib */
} sym;

#define AV_SYM(lib, ret, name, params) {LIB_##lib, #name, offsetof(tandem__avlib, name)},
#define SF_SYM(lib, ret, name, params) {LIB_##lib, #name, offsetof(tandem__sflib, name)},
static const sym av_syms[] = {TANDEM__AV_FUNCS(AV_SYM)};
static const sym sf_syms[] = {TANDEM__SF_FUNCS(SF_SYM)};

/* Written once under its pthread_once, read-only after. */
typedef struct {
	pthread_once_t once;
	int ok;
	char why[512];
} group;

static group av_group = {PTHREAD_ONCE_INIT, 0, ""};
static group sf_group = {PTHREAD_ONCE_INIT, 0, ""};
static tandem__avlib av_table;
static tandem__sflib sf_table;

/*
 * Resolve every symbol of a group into `table`, or say in g->why what is
 * missing.  Handles are never closed: after a success the libraries' static
 * strings must outlive every caller, and after a failure a half-loaded
 * group costs only its mappings.
 */
static void load(group *g, void *table, const sym *syms, size_t n)
{
	void *handle[LIB_COUNT] = {0};
	for (size_t k = 0; k < n; k++) {
		int lib = syms[k].lib;
		/* RTLD_NOW: a library missing its own dependencies fails here, not mid-call. */
		if (!handle[lib])
			handle[lib] = dlopen(libs[lib].soname, RTLD_NOW | RTLD_LOCAL);
		void *p = NULL;
		if (handle[lib]) {
			dlerror();
			p = dlsym(handle[lib], syms[k].name);
		}
		if (!p) {
			const char *err = dlerror();
			snprintf(g->why, sizeof g->why, "media support needs %s (Debian package %s): %s",
			         libs[lib].soname, libs[lib].package, err ? err : "not found");
			return;
		}
		memcpy((char *)table + syms[k].offset, &p, sizeof p);
	}
	g->ok = 1;
}

static void load_av(void)
{
	load(&av_group, &av_table, av_syms, sizeof av_syms / sizeof *av_syms);
	/* libavformat prints to stderr by default; a library must not. */
	if (av_group.ok)
		av_table.av_log_set_level(AV_LOG_QUIET);
}

static void load_sf(void)
{
	load(&sf_group, &sf_table, sf_syms, sizeof sf_syms / sizeof *sf_syms);
}

const tandem__avlib *tandem__avlib_get(const char **why)
{
	pthread_once(&av_group.once, load_av);
	if (why)
		*why = av_group.ok ? NULL : av_group.why;
	return av_group.ok ? &av_table : NULL;
}

const tandem__sflib *tandem__sflib_get(const char **why)
{
	pthread_once(&sf_group.once, load_sf);
	if (why)
		*why = sf_group.ok ? NULL : sf_group.why;
	return sf_group.ok ? &sf_table : NULL;
}
