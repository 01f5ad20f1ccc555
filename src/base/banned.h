/* banned.h: libc calls troth never uses. Included by every translation unit
 * (via the build's -include), so a use of one fails the build with a name
 * that says why. Idea from git's banned.h. */
#ifndef TROTH_BANNED_H
#define TROTH_BANNED_H

/* The headers that declare them come first: with _FORTIFY_SOURCE (as in
 * Debian's package builds) glibc defines inline wrappers of sprintf, strcpy
 * and the like, which the macros below would otherwise mangle. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)

#endif
