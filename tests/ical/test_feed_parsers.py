#!/usr/bin/python3
"""test_feed_parsers.py: the calendar feed read by three independent
iCalendar parsers, the way the calendars on people's phones and computers
read it: Debian's python3-icalendar (with dateutil), Debian's
python3-vobject (dateutil's VTIMEZONE reader) and ical.js from npm.

    /usr/bin/python3 tests/ical/test_feed_parsers.py BUILD/tests/calfeed_dump NODE

For both partners' feeds (one made today, one months ago) it checks that
the weekly check-in at 19:00 local falls, in every parser, at the UTC
instant Python's zoneinfo gives for 19:00 on a Sunday in each of the next
five Januaries and Julys (so five winters and five summers in either
hemisphere, counted from today in the couple's zone), using only the
feed's own VTIMEZONE. And that a hard date's all-day reminder rings the
day before at the local time the couple chose (18:00 unless changed), in
every parser. Prints TAP."""
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from zoneinfo import ZoneInfo

import vobject
from dateutil import rrule
from icalendar import Calendar
from tap import check, report

DUMP, NODE = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
ICALJS = os.path.join(HERE, "feed_icaljs.mjs")
UTC = dt.timezone.utc
ZONES = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata",
         # rules whose changes fall on a moved day, a half-hour change, a
         # "DST" in winter
         "Asia/Jerusalem", "America/Santiago", "Australia/Lord_Howe", "Europe/Dublin",
         # a rule time before midnight, many listed changes and no rule, GMT
         "America/Nuuk", "Africa/Casablanca", "Europe/London"]
NOW = int(time.time())
# partner 7 made their link today, partner 8 about seven months ago
PARTNERS = [(7, NOW), (8, NOW - 210 * 86400)]
CHECKIN = (7, 19, 0)  # Sunday 19:00, as calfeed_dump schedules it

def feed(zone, user, created, *extra):
    return subprocess.run([DUMP, zone, "user", str(user), "created", str(created), *extra],
                          check=True, capture_output=True).stdout


def sundays_to_check(zone):
    """The Sunday on or after the 15th of each of the next five Januaries
    and Julys (after today in the zone), with the UTC instant of 19:00 local
    on it by zoneinfo."""
    local = ZoneInfo(zone)
    today = dt.datetime.fromtimestamp(NOW, local).date()
    days = []
    for month in (1, 7):
        year = today.year
        while len([d for d in days if d.month == month]) < 5:
            d = dt.date(year, month, 15)
            d += dt.timedelta(days=(CHECKIN[0] - d.isoweekday()) % 7)
            if d > today:
                days.append(d)
            year += 1
    return sorted((d, int(dt.datetime(d.year, d.month, d.day, CHECKIN[1], CHECKIN[2],
                                      tzinfo=local).timestamp())) for d in days)


def window(targets):
    return NOW - 86400, targets[-1][1] + 7 * 86400


def checkins_icalendar(raw, start, end):
    cal = Calendar.from_ical(raw)
    vtz = cal.walk("VTIMEZONE")
    ev = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "Check-in"]
    assert len(vtz) == 1 and len(ev) == 1, f"{len(vtz)} VTIMEZONE, {len(ev)} check-ins"
    feed_tz = vtz[0].to_tz()
    naive = ev[0]["DTSTART"].dt.replace(tzinfo=None)
    occ = rrule.rrulestr(ev[0]["RRULE"].to_ical().decode(), dtstart=naive)
    lo = dt.datetime.utcfromtimestamp(start - 2 * 86400)
    hi = dt.datetime.utcfromtimestamp(end + 2 * 86400)
    out = []
    for t in occ.between(lo, hi, inc=True):
        u = int(feed_tz.localize(t).timestamp())
        if start <= u < end:
            out.append(u)
    return str(ev[0]["UID"]), out


def checkins_vobject(raw, start, end):
    # vobject keeps the first VTIMEZONE it reads for a TZID for the life of
    # the process: forget it, so each feed is read through its own
    vars(vobject.icalendar)["__tzidMap"].clear()
    cal = vobject.readOne(raw.decode("utf-8"))
    ev = [e for e in cal.vevent_list if e.summary.value == "Check-in"]
    assert len(ev) == 1, f"{len(ev)} check-ins"
    tz = ev[0].dtstart.value.tzinfo
    assert tz is not None and not isinstance(tz, ZoneInfo), f"not the feed's zone: {tz!r}"
    rs = ev[0].getrruleset(addRDate=True)
    lo, hi = dt.datetime.fromtimestamp(start, UTC), dt.datetime.fromtimestamp(end, UTC)
    return ev[0].uid.value, [int(t.timestamp()) for t in rs.between(lo, hi, inc=True)
                             if start <= t.timestamp() < end]


def icaljs(raw, start, end):
    with tempfile.NamedTemporaryFile(suffix=".ics") as f:
        f.write(raw)
        f.flush()
        run = subprocess.run([NODE, ICALJS, f.name, str(start), str(end)], capture_output=True,
                             text=True, cwd=HERE)
    assert run.returncode == 0, f"ical.js: {run.stderr.strip()[-400:]}"
    return json.loads(run.stdout)


def checkins_icaljs(raw, start, end):
    ev = [e for e in icaljs(raw, start, end)["events"] if e["summary"] == "Check-in"]
    assert len(ev) == 1, f"{len(ev)} check-ins"
    return ev[0]["uid"], ev[0]["starts"]


PARSERS = {"icalendar": checkins_icalendar, "vobject": checkins_vobject, "ical.js": checkins_icaljs}


def wall(t):
    return t.strftime("%Y-%m-%dT%H:%M")


def alldays_icalendar(raw):
    out = {}
    for e in Calendar.from_ical(raw).walk("VEVENT"):
        start = e["DTSTART"].dt
        if isinstance(start, dt.datetime):
            continue
        at = dt.datetime.combine(start, dt.time())
        out[start.isoformat()] = (str(e["SUMMARY"]),
                                  [wall(at + a["TRIGGER"].dt) for a in e.walk("VALARM")])
    return out


def alldays_vobject(raw):
    out = {}
    for e in vobject.readOne(raw.decode("utf-8")).vevent_list:
        start = e.dtstart.value
        if isinstance(start, dt.datetime):
            continue
        at = dt.datetime.combine(start, dt.time())
        out[start.isoformat()] = (e.summary.value,
                                  [wall(at + a.trigger.value) for a in e.components()
                                   if a.name == "VALARM"])
    return out


def alldays_icaljs(raw):
    return {e["day"]: (e["summary"], e["alarms"]) for e in icaljs(raw, NOW, NOW + 86400)["alldays"]}


ALLDAYS = {"icalendar": alldays_icalendar, "vobject": alldays_vobject, "ical.js": alldays_icaljs}


def hard_date_alarm(zone, parser, chosen):
    """chosen: "HH:MM", or None for the default (18:00)."""
    today = dt.datetime.fromtimestamp(NOW, ZoneInfo(zone)).date()
    # one in the coming winter and one in the summer, whatever today is
    days = [today + dt.timedelta(days=n) for n in (40, 200)]
    extra = [a for d in days for a in ("hard", d.isoformat())]
    if chosen:
        extra += ["hardtime", chosen]
    hh, mm = map(int, (chosen or "18:00").split(":"))
    for user, created in PARTNERS:
        got = ALLDAYS[parser](feed(zone, user, created, *extra))
        assert sorted(got) == [d.isoformat() for d in days], f"partner {user}: all-day events {sorted(got)}"
        for d in days:
            summary, alarms = got[d.isoformat()]
            assert summary == "Reminder", summary
            want = wall(dt.datetime.combine(d - dt.timedelta(days=1), dt.time(hh, mm)))
            assert alarms == [want], f"partner {user}, {d}: the alarm rings at {alarms}, not {want}"


def season(zone, day):
    south = zone.startswith("Australia/") or zone.startswith("America/Santiago")
    return "winter" if (day.month == 1) != south else "summer"


def checkin_instants(zone, parser):
    targets = sundays_to_check(zone)
    assert len(targets) == 10
    start, end = window(targets)
    uids = set()
    for user, created in PARTNERS:
        uid, starts = PARSERS[parser](feed(zone, user, created), start, end)
        uids.add(uid)
        weeks = (end - start) // (7 * 86400)
        assert weeks <= len(starts) <= weeks + 1, f"partner {user}: {len(starts)} check-ins in {weeks} weeks"
        for day, want in targets:
            near = [u for u in starts if abs(u - want) < 36 * 3600]
            assert near == [want], (
                f"partner {user}, {season(zone, day)} Sunday {day}: want "
                f"{dt.datetime.fromtimestamp(want, UTC):%Y-%m-%d %H:%M}Z, read "
                f"{[f'{dt.datetime.fromtimestamp(u, UTC):%Y-%m-%d %H:%M}Z' for u in near]}")
    assert len(uids) == 2, "the partners' feeds share a UID"


for z in ZONES:
    for p in PARSERS:
        check(f"{z}, {p}: Sunday 19:00 check-ins in the next five winters and summers "
              "fall at the right instant in both partners' feeds",
              lambda z=z, p=p: checkin_instants(z, p))

for z in ("Europe/Berlin", "Australia/Sydney"):
    for p in ALLDAYS:
        for chosen in (None, "07:30", "00:00", "23:45"):
            check(f"{z}, {p}: a hard date's reminder rings the day before at "
                  f"{chosen or '18:00 (the default)'}", lambda z=z, p=p, c=chosen: hard_date_alarm(z, p, c))

report()
