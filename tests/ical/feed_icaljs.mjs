// feed_icaljs.mjs: reads a calendar feed with ical.js (the parser of many
// web and phone calendars) and prints, as JSON, what a calendar built on it
// would show: each event's occurrences in a range as UTC seconds, and for
// each all-day event its day and the local wall-clock time its alarm rings.
//
//   node tests/ical/feed_icaljs.mjs FEED.ics FROM_UNIX TO_UNIX
//
// The VTIMEZONEs of the feed are the only zone data ical.js is given.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const [file, fromArg, toArg] = process.argv.slice(2);
const from = Number(fromArg), to = Number(toArg);
const cal = new ICAL.Component(ICAL.parse(readFileSync(file, 'utf8')));
for (const vtz of cal.getAllSubcomponents('vtimezone'))
  ICAL.TimezoneService.register(new ICAL.Timezone(vtz));

const pad = (n) => String(n).padStart(2, '0');
const wall = (t) => `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}`;
const out = { events: [], alldays: [] };
for (const vevent of cal.getAllSubcomponents('vevent')) {
  const ev = new ICAL.Event(vevent);
  if (ev.startDate.isDate) {
    const alarms = vevent.getAllSubcomponents('valarm').map((a) => {
      const ring = ev.startDate.clone();
      ring.isDate = false;
      ring.addDuration(a.getFirstPropertyValue('trigger'));
      return wall(ring);
    });
    out.alldays.push({ uid: ev.uid, summary: ev.summary, day: ev.startDate.toString(), alarms });
    continue;
  }
  const starts = [];
  const it = ev.iterator();
  for (let t = it.next(); t; t = it.next()) {
    const u = t.toUnixTime();
    if (u >= to)
      break;
    if (u >= from)
      starts.push(u);
  }
  out.events.push({ uid: ev.uid, summary: ev.summary, tzid: ev.startDate.zone.tzid, starts });
}
process.stdout.write(JSON.stringify(out));
