/* replay_main.c: runs a fuzz target over saved inputs without libFuzzer, so
 * `make test` (gcc) and `make check` (ASan/UBSan) replay every corpus.
 *
 *   fuzz-replay-NAME FILE|DIR...
 *
 * Each argument is a file, or a directory whose regular files (not those
 * starting with '.') are run in name order. Each input is copied into a
 * buffer of exactly its size, so a sanitizer sees any read past its end.
 * Exits 1 when an argument cannot be read or when no input at all was run:
 * an empty or missing corpus must not pass silently. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static size_t runs;

/* Reads path whole and runs the target on it. Returns 0, or -1 when the
 * file cannot be read. */
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0;
	unsigned char *data = malloc(cap);
	if (!data)
		abort();
	size_t got;
	while ((got = fread(data + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			cap *= 2;
			data = realloc(data, cap);
			if (!data)
				abort();
		}
	}
	int err = ferror(f);
	fclose(f);
	if (err) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(data);
		return -1;
	}
	/* an exact-size copy (malloc(0) may return NULL: keep one byte) */
	unsigned char *exact = malloc(len ? len : 1);
	if (!exact)
		abort();
	if (len)
		memcpy(exact, data, len);
	free(data);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	runs++;
	return 0;
}

static int visible_file(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int run_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, visible_file, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]->d_name) + 2;
		char *path = malloc(len);
		if (!path)
			abort();
		snprintf(path, len, "%s/%s", dir, names[i]->d_name);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(path) < 0)
				rc = -1;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i]) < 0)
				rc = -1;
		} else if (run_file(argv[i]) < 0) {
			rc = -1;
		}
	}
	printf("replayed %zu input%s\n", runs, runs == 1 ? "" : "s");
	if (runs == 0) {
		fprintf(stderr, "replay: no inputs found: an empty corpus tests nothing\n");
		return 1;
	}
	return rc < 0 ? 1 : 0;
}
