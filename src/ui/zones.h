/* zones.h: the time zone chooser. The zones are the system's list
 * (tzdata's zone1970.tab, one line per zone in use since 1970), read once,
 * sorted and grouped by region; a page shows them as one <select> in
 * <optgroup>s ("America" → "New York"). Without the list (a system without
 * tzdata's tables) the chooser falls back to a text field. */
#ifndef TROTH_UI_ZONES_H
#define TROTH_UI_ZONES_H

#include "../http/req.h"

/* A field named name (id f-NAME) choosing a zone, with selected chosen
 * (when it is one of the list; else it is added at the top, so a couple's
 * own zone always shows). data-zone-guess tells the page script to choose
 * the browser's own zone when the person has not chosen yet. */
void ui_zone_select(struct req *r, const char *label, const char *name, const char *selected,
		    const char *hint, bool guess);

/* A zone as people say it: the last part of its name, "America/New_York"
 * → "New York", "Europe/London" → "London"; UTC and names without a
 * region stay as they are. In arena memory. */
const char *zone_words(struct arena *a, const char *zone);

/* How many zones the list holds (0 when it could not be read). */
size_t zones_count(void);

/* Frees the list (at exit). */
void zones_free(void);

#endif
