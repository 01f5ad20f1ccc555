/* html.c: the escaping HTML writer; see html.h for the rules. */
#include "html.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void html_esc(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\0': rep = "\xEF\xBF\xBD"; break; /* never emit NUL */
		default: continue;
		}
		buf_add(out, s + start, i - start);
		buf_adds(out, rep);
		start = i + 1;
	}
	buf_add(out, s + start, n - start);
}

void html_unsafe_raw(struct buf *out, const char *markup)
{
	buf_adds(out, markup);
}

void html_v(struct buf *out, const char *fmt, va_list ap)
{
	const char *p = fmt;
	while (*p) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			buf_adds(out, p);
			return;
		}
		buf_add(out, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == '%') {
			buf_addch(out, '%');
			p++;
			continue;
		}
		if (p[0] == '.' && p[1] == '*' && p[2] == 's') {
			int n = va_arg(ap, int);
			const char *s = va_arg(ap, const char *);
			if (s && n > 0)
				html_esc(out, s, strnlen(s, (size_t)n));
			p += 3;
			continue;
		}
		int lmod = 0; /* 1 l, 2 ll, 3 z */
		if (p[0] == 'l' && p[1] == 'l') {
			lmod = 2;
			p += 2;
		} else if (p[0] == 'l') {
			lmod = 1;
			p++;
		} else if (p[0] == 'z') {
			lmod = 3;
			p++;
		}
		switch (*p) {
		case 's': {
			const char *s;
			if (lmod)
				die("html: bad conversion in \"%s\"", fmt);
			s = va_arg(ap, const char *);
			if (s)
				html_esc(out, s, strlen(s));
			break;
		}
		case 'd':
		case 'i':
			if (lmod == 2)
				buf_addf(out, "%lld", va_arg(ap, long long));
			else if (lmod == 1)
				buf_addf(out, "%ld", va_arg(ap, long));
			else if (lmod == 3)
				buf_addf(out, "%zd", va_arg(ap, ssize_t));
			else
				buf_addf(out, "%d", va_arg(ap, int));
			break;
		case 'u':
		case 'x':
			if (lmod == 2)
				buf_addf(out, *p == 'u' ? "%llu" : "%llx", va_arg(ap, unsigned long long));
			else if (lmod == 1)
				buf_addf(out, *p == 'u' ? "%lu" : "%lx", va_arg(ap, unsigned long));
			else if (lmod == 3)
				buf_addf(out, *p == 'u' ? "%zu" : "%zx", va_arg(ap, size_t));
			else
				buf_addf(out, *p == 'u' ? "%u" : "%x", va_arg(ap, unsigned));
			break;
		default:
			die("html: unsupported conversion in \"%s\"", fmt);
		}
		p++;
	}
}

void html(struct buf *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	html_v(out, fmt, ap);
	va_end(ap);
}

void html_attr(struct buf *out, const char *name, const char *value)
{
	if (!value)
		return;
	buf_addch(out, ' ');
	buf_adds(out, name);
	buf_adds(out, "=\"");
	html_esc(out, value, strlen(value));
	buf_addch(out, '"');
}
