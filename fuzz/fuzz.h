/* fuzz.h: what every fuzz target shares: the libFuzzer entry point's
 * prototype and CHECK, an assertion that survives NDEBUG and says which
 * property of the parser broke. */
#ifndef TROTH_FUZZ_H
#define TROTH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                             \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, \
				__LINE__, #cond);                               \
			abort();                                                \
		}                                                               \
	} while (0)

#endif
