/* bench_insight.c: times insight_compute (all findings and the trigger
 * series) for one couple with five years of daily records: a check-in from
 * each partner every week, a trigger, a promise and a note every day, a
 * vulnerability every week. Prints one line for bench/run:
 *   records=N findings=N calls=N per_call_ms=X */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/caltime.h"
#include "insight/insight.h"

#define DAYS (5 * 365 + 1)
#define WEEKS (DAYS / 7)

static struct ins_checkin ck[2 * WEEKS];
static struct ins_trigger tr[DAYS];
static struct ins_promise pr[DAYS];
static struct ins_note no[DAYS];
static struct ins_vulnerability vu[WEEKS];
static struct ins_plan pl[4];
static struct insight_findings out;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 2000;
	if (calls < 1)
		calls = 1;
	long today = days_from_civil(2026, 11, 23), start = today - DAYS + 1;
	long monday0 = start - (weekday_of(start) - 1) + 7;
	size_t nck = 0;
	unsigned seed = 7;
	for (int w = 0; w < WEEKS && monday0 + 7L * w <= today; w++)
		for (int who = 0; who < 2; who++) {
			seed = seed * 1103515245u + 12345u;
			struct ins_checkin *c = &ck[nck++];
			c->week = monday0 + 7L * w;
			c->who = who;
			c->connection = 3 + (int)(w * 5 / WEEKS) + (int)(seed >> 16) % 3;
			for (int i = 0; i < INS_NDIM; i++)
				c->dim[i] = 2 + (int)((seed >> (i + 8)) % 8);
			c->listened_to = 1 + (int)(seed >> 20) % 5;
		}
	for (int d = 0; d < DAYS; d++) {
		seed = seed * 1103515245u + 12345u;
		tr[d] = (struct ins_trigger){ start + d, 1 + (int)(seed >> 16) % 10, (seed >> 24) % 7 == 0 };
		pr[d] = (struct ins_promise){ start + d, (int)(seed >> 12) % 5 == 0 ? 0 : 1 };
		no[d] = (struct ins_note){ start + d, (int)(seed >> 8) % 5, (int)(seed >> 4) % 3 - 1 };
	}
	for (int w = 0; w < WEEKS; w++)
		vu[w] = (struct ins_vulnerability){ start + 7L * w, w % 3 != 0 };
	pl[0] = (struct ins_plan){ today - 200, today + 100, today - 150, true };
	pl[1] = (struct ins_plan){ today - 700, today - 400, INS_NONE, false };
	struct insight_input in = {
		.today = today, .discovery_day = start, .full_disclosure_day = start + 30,
		.first_activity_day = start, .roadmap_last_day = today - 70, .hurt = INS_HURT_ME,
		.my_safety_concern = false,
		.checkins = ck, .n_checkins = nck, .triggers = tr, .n_triggers = DAYS,
		.promises = pr, .n_promises = DAYS, .notes = no, .n_notes = DAYS,
		.vulns = vu, .n_vulns = WEEKS, .plans = pl, .n_plans = 2,
	};
	int n = insight_compute(&in, &out);  /* warm */
	double best = 1e9, total = 0;
	for (int i = 0; i < calls; i++) {
		double t0 = now_ms();
		n = insight_compute(&in, &out);
		double t = now_ms() - t0;
		total += t;
		if (t < best)
			best = t;
	}
	printf("records=%zu findings=%d calls=%d per_call_ms=%.4f best_ms=%.4f\n",
	       nck + 3 * (size_t)DAYS + WEEKS + 2, n, calls, total / calls, best);
	return 0;
}
