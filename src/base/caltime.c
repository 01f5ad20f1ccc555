/* caltime.c: dates, ISO weeks and zones; see caltime.h.
 *
 * Zones come from TZif files (RFC 8536) under /usr/share/zoneinfo: the
 * 64-bit transition table, then the footer's POSIX TZ rule for instants
 * after the last transition ("EST5EDT,M3.2.0,M11.1.0"). Only the rule forms
 * zoneinfo uses are read: Mm.w.d, Jn and n, with an optional /time. */
#include "caltime.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* ---- civil dates (Howard Hinnant's algorithms) ---- */

long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(long z, struct civil *out)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	out->d = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->m = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->y = (int)(y + (out->m <= 2));
}

int weekday_of(long days)
{
	long w = (days + 3) % 7; /* 1970-01-01 was a Thursday */
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : dm[m - 1];
}

/* Reads exactly n digits at s; returns the value or -1. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int date_parse(const char *s, long *days)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

void date_format(long days, char out[11])
{
	struct civil c;
	civil_from_days(days, &c);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)c.y % 10000u, (unsigned)c.m % 100u,
		 (unsigned)c.d % 100u);
}

int hm_parse(const char *s)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 && m < 60 ? h * 60 + m : -1;
}

void hm_format(int minutes, char out[6])
{
	unsigned m = (unsigned)(((minutes % 1440) + 1440) % 1440);
	snprintf(out, 6, "%02u:%02u", m / 60u, m % 60u);
}

/* ---- ISO weeks ---- */

void isoweek_of(long days, struct isoweek *out)
{
	/* The week's Thursday decides its year. */
	long thursday = days - weekday_of(days) + 4;
	struct civil c;
	civil_from_days(thursday, &c);
	out->year = c.y;
	out->week = (int)((thursday - days_from_civil(c.y, 1, 1)) / 7 + 1);
}

long isoweek_monday(const struct isoweek *w)
{
	long jan4 = days_from_civil(w->year, 1, 4);
	long week1_monday = jan4 - weekday_of(jan4) + 1;
	return week1_monday + (long)(w->week - 1) * 7;
}

int isoweeks_in_year(int y)
{
	struct isoweek w;
	isoweek_of(days_from_civil(y, 12, 28), &w);
	return w.week;
}

int isoweek_parse(const char *s, struct isoweek *out)
{
	if (!s || strlen(s) != 8 || s[4] != '-' || s[5] != 'W')
		return -1;
	int y = digits(s, 4), w = digits(s + 6, 2);
	if (y < 1900 || y > 2999 || w < 1 || w > isoweeks_in_year(y))
		return -1;
	out->year = y;
	out->week = w;
	return 0;
}

void isoweek_format(const struct isoweek *w, char out[9])
{
	snprintf(out, 9, "%04u-W%02u", (unsigned)w->year % 10000u, (unsigned)w->week % 100u);
}

int isoweek_cmp(const struct isoweek *a, const struct isoweek *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	return a->week < b->week ? -1 : a->week > b->week;
}

/* ---- instants ---- */

int instant_parse(const char *s, time_t *out)
{
	long days;
	char date[11];
	size_t n = s ? strlen(s) : 0;
	if (n < 17 || s[10] != 'T' || s[13] != ':')
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (date_parse(date, &days) < 0)
		return -1;
	int hh = digits(s + 11, 2), mm = digits(s + 14, 2), ss = 0;
	const char *p = s + 16;
	if (*p == ':') {
		ss = digits(p + 1, 2);
		p += 3;
		if (*p == '.') /* fractions of a second are dropped */
			for (p++; isdigit((unsigned char)*p); p++)
				;
	}
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
		return -1;
	long off = 0;
	if (*p == 'Z' && p[1] == '\0') {
		off = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
		int oh = digits(p + 1, 2), om = digits(p + 4, 2);
		if (oh < 0 || oh > 14 || om < 0 || om > 59)
			return -1;
		off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
	} else {
		return -1;
	}
	*out = (time_t)(days * 86400L + hh * 3600L + mm * 60L + (ss > 59 ? 59 : ss) - off);
	return 0;
}

void instant_format(time_t t, char out[21])
{
	long days = (long)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
	long sec = (long)(t - (time_t)days * 86400);
	struct civil c;
	civil_from_days(days, &c);
	snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)c.y % 10000u, (unsigned)c.m % 100u,
		 (unsigned)c.d % 100u, (unsigned)(sec / 3600) % 100u, (unsigned)(sec / 60 % 60),
		 (unsigned)(sec % 60));
}

/* ---- zones ---- */

struct tz {
	char name[72];
	int ntrans;
	int64_t *trans;
	int32_t *trans_off;
	int32_t initial_off;
	bool has_footer, footer_dst;
	int32_t std_off, dst_off;
	struct tz_rule_date start, end; /* the footer's DST rule */
	struct tz *next;
};

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tz *tz_cache;

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Parses "[+-]hh[:mm[:ss]]"; returns chars read or 0. */
static int posix_time(const char *s, long *out)
{
	const char *p = s;
	int sign = 1;
	long h = 0, m = 0, sec = 0;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		h = h * 10 + (*p++ - '0');
	if (*p == ':') {
		p++;
		while (isdigit((unsigned char)*p))
			m = m * 10 + (*p++ - '0');
		if (*p == ':') {
			p++;
			while (isdigit((unsigned char)*p))
				sec = sec * 10 + (*p++ - '0');
		}
	}
	if (h > 167)
		return 0;
	*out = sign * (h * 3600 + m * 60 + sec);
	return (int)(p - s);
}

/* Skips a zone abbreviation: letters, or <...>. Returns chars or 0. */
static int posix_name(const char *s)
{
	const char *p = s;
	if (*p == '<') {
		while (*p && *p != '>')
			p++;
		return *p == '>' ? (int)(p - s + 1) : 0;
	}
	while (isalpha((unsigned char)*p))
		p++;
	return p - s >= 3 ? (int)(p - s) : 0;
}

static int posix_rule(const char *s, struct tz_rule_date *r)
{
	const char *p = s;
	memset(r, 0, sizeof(*r));
	r->time = 7200;
	if (*p == 'M') {
		r->kind = 'M';
		r->m = (int)strtol(p + 1, (char **)&p, 10);
		if (*p++ != '.')
			return 0;
		r->w = (int)strtol(p, (char **)&p, 10);
		if (*p++ != '.')
			return 0;
		r->d = (int)strtol(p, (char **)&p, 10);
		if (r->m < 1 || r->m > 12 || r->w < 1 || r->w > 5 || r->d < 0 || r->d > 6)
			return 0;
	} else if (*p == 'J') {
		r->kind = 'J';
		r->n = (int)strtol(p + 1, (char **)&p, 10);
		if (r->n < 1 || r->n > 365)
			return 0;
	} else if (isdigit((unsigned char)*p)) {
		r->kind = 'N';
		r->n = (int)strtol(p, (char **)&p, 10);
		if (r->n > 365)
			return 0;
	} else {
		return 0;
	}
	if (*p == '/') {
		int k = posix_time(p + 1, &r->time);
		if (!k)
			return 0;
		p += 1 + k;
	}
	return (int)(p - s);
}

/* Reads the footer's TZ string into z. Returns 0 or -1. */
static int posix_parse(const char *s, struct tz *z)
{
	long off;
	int k = posix_name(s);
	if (!k)
		return -1;
	s += k;
	if (!(k = posix_time(s, &off)))
		return -1;
	s += k;
	z->std_off = (int32_t)-off;
	z->has_footer = true;
	if (!*s)
		return 0;
	if (!(k = posix_name(s)))
		return -1;
	s += k;
	z->dst_off = z->std_off + 3600;
	if (*s && *s != ',') {
		if (!(k = posix_time(s, &off)))
			return -1;
		s += k;
		z->dst_off = (int32_t)-off;
	}
	if (*s != ',')
		return -1; /* a DST zone without rules: not in zoneinfo */
	if (!(k = posix_rule(s + 1, &z->start)))
		return -1;
	s += 1 + k;
	if (*s != ',' || !(k = posix_rule(s + 1, &z->end)))
		return -1;
	s += 1 + k;
	z->footer_dst = true;
	return *s ? -1 : 0;
}

/* The day (days since epoch) a rule names in year y. */
static long rule_day(const struct tz_rule_date *r, int y)
{
	if (r->kind == 'J')
		return days_from_civil(y, 1, 1) + r->n - 1 + (leap(y) && r->n >= 60);
	if (r->kind == 'N')
		return days_from_civil(y, 1, 1) + r->n;
	long first = days_from_civil(y, r->m, 1);
	int wd = weekday_of(first) % 7; /* 0 Sunday */
	long day = first + (r->d - wd + 7) % 7 + (long)(r->w - 1) * 7;
	while (day >= first + days_in_month(y, r->m))
		day -= 7;
	return day;
}

static long footer_offset(const struct tz *z, time_t t)
{
	if (!z->footer_dst)
		return z->std_off;
	struct civil c;
	long days = (long)((t + z->std_off) >= 0 ? (t + z->std_off) / 86400 : (t + z->std_off - 86399) / 86400);
	civil_from_days(days, &c);
	/* DST starts at the rule's local standard time and ends at the rule's
	 * local daylight time. */
	int64_t start = (int64_t)rule_day(&z->start, c.y) * 86400 + z->start.time - z->std_off;
	int64_t end = (int64_t)rule_day(&z->end, c.y) * 86400 + z->end.time - z->dst_off;
	bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
	return dst ? z->dst_off : z->std_off;
}

static struct tz *tz_load(const char *name)
{
	char path[160];
	FILE *f;
	struct buf b = BUF_INIT;
	unsigned char chunk[4096];
	size_t n;
	struct tz *z = NULL;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
	if (!(f = fopen(path, "rb")))
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < (1 << 20))
		buf_add(&b, chunk, n);
	fclose(f);
	const unsigned char *p = (const unsigned char *)b.s, *end = p + b.len;
	if (b.len < 44 || memcmp(p, "TZif", 4) || p[4] < '2')
		goto fail;
	/* skip the v1 block */
	uint32_t isut = be32(p + 20), isstd = be32(p + 24), leapc = be32(p + 28), timec = be32(p + 32),
		 typec = be32(p + 36), charc = be32(p + 40);
	size_t v1 = 44 + (size_t)timec * 5 + (size_t)typec * 6 + charc + (size_t)leapc * 8 + isstd + isut;
	if (v1 + 44 > b.len)
		goto fail;
	p += v1;
	if (memcmp(p, "TZif", 4))
		goto fail;
	isut = be32(p + 20);
	isstd = be32(p + 24);
	leapc = be32(p + 28);
	timec = be32(p + 32);
	typec = be32(p + 36);
	charc = be32(p + 40);
	p += 44;
	if (typec == 0 || typec > 256 || timec > 100000 ||
	    (size_t)(end - p) < (size_t)timec * 9 + (size_t)typec * 6 + charc + (size_t)leapc * 12 + isstd + isut)
		goto fail;
	z = xcalloc(1, sizeof(*z));
	snprintf(z->name, sizeof(z->name), "%s", name);
	z->ntrans = (int)timec;
	z->trans = xcalloc(timec ? timec : 1, sizeof(*z->trans));
	z->trans_off = xcalloc(timec ? timec : 1, sizeof(*z->trans_off));
	const unsigned char *times = p, *idx = p + (size_t)timec * 8, *types = idx + timec;
	for (uint32_t i = 0; i < timec; i++) {
		unsigned k = idx[i];
		if (k >= typec)
			goto fail;
		z->trans[i] = be64(times + (size_t)i * 8);
		z->trans_off[i] = (int32_t)be32(types + (size_t)k * 6);
	}
	z->initial_off = (int32_t)be32(types);
	p = types + (size_t)typec * 6 + charc + (size_t)leapc * 12 + isstd + isut;
	/* footer: "\nTZ\n" */
	if (p < end && *p == '\n') {
		const unsigned char *nl = memchr(p + 1, '\n', (size_t)(end - p - 1));
		if (nl && nl - p - 1 < 64 && nl > p + 1) {
			char tzs[64];
			memcpy(tzs, p + 1, (size_t)(nl - p - 1));
			tzs[nl - p - 1] = '\0';
			if (posix_parse(tzs, z) < 0)
				z->has_footer = false;
		}
	}
	buf_release(&b);
	return z;
fail:
	buf_release(&b);
	if (z) {
		free(z->trans);
		free(z->trans_off);
		free(z);
	}
	return NULL;
}

const struct tz *tz_get(const char *name)
{
	struct tz *z;
	size_t n = name ? strlen(name) : 0;
	/* segments of letters, digits, _ + - joined by single slashes */
	if (!n || n > 64 || name[0] == '/' || name[n - 1] == '/' || strstr(name, "//"))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)name[i]) || strchr("/_+-", name[i])))
			return NULL;
	pthread_mutex_lock(&tz_lock);
	for (z = tz_cache; z; z = z->next)
		if (!strcmp(z->name, name))
			break;
	if (!z && (z = tz_load(name))) {
		z->next = tz_cache;
		tz_cache = z;
	}
	pthread_mutex_unlock(&tz_lock);
	return z;
}

long tz_offset(const struct tz *z, time_t t)
{
	if (!z->ntrans || (int64_t)t < z->trans[0])
		return z->ntrans ? z->initial_off : (z->has_footer ? footer_offset(z, t) : z->initial_off);
	if ((int64_t)t >= z->trans[z->ntrans - 1] && z->has_footer)
		return footer_offset(z, t);
	int lo = 0, hi = z->ntrans - 1; /* last transition <= t */
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (z->trans[mid] <= (int64_t)t)
			lo = mid;
		else
			hi = mid - 1;
	}
	return z->trans_off[lo];
}

long tz_day(const struct tz *z, time_t t)
{
	int64_t local = (int64_t)t + tz_offset(z, t);
	return (long)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

time_t tz_instant(const struct tz *z, long day, int seconds_of_day)
{
	int64_t local = (int64_t)day * 86400 + seconds_of_day;
	long before = tz_offset(z, (time_t)(local - 86400));
	long after = tz_offset(z, (time_t)(local + 86400));
	time_t a = (time_t)(local - before), b = (time_t)(local - after);
	bool a_ok = (int64_t)a + tz_offset(z, a) == local;
	bool b_ok = (int64_t)b + tz_offset(z, b) == local;
	if (a_ok && b_ok)
		return a < b ? a : b;
	if (a_ok)
		return a;
	if (b_ok)
		return b;
	return a; /* in a gap: read with the offset before it */
}

bool tz_rule(const struct tz *z, struct tz_rule *out)
{
	if (!z->has_footer)
		return false;
	out->std_off = z->std_off;
	out->dst_off = z->footer_dst ? z->dst_off : z->std_off;
	out->dst = z->footer_dst;
	out->start = z->start;
	out->end = z->end;
	return true;
}

long tz_rule_offset(const struct tz *z, time_t t)
{
	return z->has_footer ? footer_offset(z, t) : tz_offset(z, t);
}

void tz_free_all(void)
{
	pthread_mutex_lock(&tz_lock);
	while (tz_cache) {
		struct tz *z = tz_cache;
		tz_cache = z->next;
		free(z->trans);
		free(z->trans_off);
		free(z);
	}
	pthread_mutex_unlock(&tz_lock);
}
