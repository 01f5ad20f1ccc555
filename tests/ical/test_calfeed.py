#!/usr/bin/python3
"""test_calfeed.py: the calendar feed read by a real iCalendar parser
(Debian's python3-icalendar), the way a phone's calendar would read it.

    /usr/bin/python3 tests/ical/test_calfeed.py BUILD/tests/calfeed_dump

For zones in both hemispheres (and half-hour ones) it checks the feed
parses, has the four rituals as recurring events with neutral titles and
alarms, and that every occurrence over the next year and a half falls at the
scheduled wall-clock time in the couple's zone, read through the feed's own
VTIMEZONE and through the system's zone data alike, across the
daylight-saving changes. Prints TAP."""
import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

from dateutil import rrule
from icalendar import Calendar
from tap import check, report

DUMP = sys.argv[1]
NEUTRAL = {"Check-in", "Note", "Talk", "Time together"}
# summary -> (ISO weekday or None for daily, hour, minute)
SCHEDULE = {
    "Check-in": (7, 19, 0),
    "Note": (None, 21, 0),
    "Talk": (3, 20, 0),
    "Time together": (6, 11, 0),
}
ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
         "Asia/Kolkata", "Pacific/Auckland"]

def feed(*args):
    out = subprocess.run([DUMP, *args], check=True, capture_output=True).stdout
    return out


def events(cal):
    return [c for c in cal.walk("VEVENT")]


def raw_format(zone):
    raw = feed(zone)
    assert raw.endswith(b"\r\n"), "the feed does not end with CRLF"
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in ln and b"\r" not in ln for ln in lines), "a bare LF or CR"
    too_long = [ln for ln in lines if len(ln) > 75]
    assert not too_long, f"lines over 75 octets: {too_long[:2]}"
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"


def rituals_in(zone):
    cal = Calendar.from_ical(feed(zone))
    assert str(cal["VERSION"]) == "2.0"
    assert "PRODID" in cal
    evs = events(cal)
    summaries = sorted(str(e["SUMMARY"]) for e in evs)
    assert summaries == sorted(NEUTRAL), summaries
    uids = {str(e["UID"]) for e in evs}
    assert len(uids) == 4, "UIDs are not unique"
    local = ZoneInfo(zone)
    # the VTIMEZONE of the feed, as a tzinfo
    vtz = [c for c in cal.walk("VTIMEZONE")]
    assert len(vtz) == 1 and str(vtz[0]["TZID"]) == zone
    feed_tz = vtz[0].to_tz()
    for e in evs:
        s = str(e["SUMMARY"])
        wd, hh, mm = SCHEDULE[s]
        assert "DTSTAMP" in e and "DURATION" in e
        start = e["DTSTART"].dt
        assert start.tzinfo is not None, f"{s}: floating time"
        assert e["DTSTART"].params.get("TZID") == zone, f"{s}: TZID {e['DTSTART'].params}"
        assert (start.hour, start.minute) == (hh, mm), f"{s}: starts {start}"
        rule = e["RRULE"]
        if wd is None:
            assert rule["FREQ"] == ["DAILY"], rule
        else:
            assert rule["FREQ"] == ["WEEKLY"], rule
            assert rule["BYDAY"] == [["MO", "TU", "WE", "TH", "FR", "SA", "SU"][wd - 1]], rule
            assert start.isoweekday() == wd, f"{s}: first on weekday {start.isoweekday()}"
        alarms = [c for c in e.walk("VALARM")]
        assert len(alarms) == 1, f"{s}: {len(alarms)} alarms"
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0]["TRIGGER"].dt == dt.timedelta(minutes=-10), alarms[0]["TRIGGER"].dt
        assert str(alarms[0]["DESCRIPTION"]) in NEUTRAL
        # every occurrence until mid-2028: the same wall-clock time, and the
        # feed's VTIMEZONE gives the same instant as the system's zone data
        naive = start.replace(tzinfo=None)
        occ = rrule.rrulestr(e["RRULE"].to_ical().decode(), dtstart=naive)
        n = 0
        for t in occ.between(dt.datetime(2026, 1, 1), dt.datetime(2028, 6, 30), inc=True):
            n += 1
            if wd is not None:
                assert t.isoweekday() == wd
            assert (t.hour, t.minute) == (hh, mm)
            want = t.replace(tzinfo=local).utcoffset()
            got = feed_tz.localize(t).utcoffset()
            assert got == want, f"{s} on {t}: VTIMEZONE says {got}, the zone {want}"
        assert n > 60, f"{s}: only {n} occurrences"


def no_time_together():
    cal = Calendar.from_ical(feed("Europe/London", "noconn"))
    summaries = sorted(str(e["SUMMARY"]) for e in events(cal))
    assert summaries == sorted(NEUTRAL - {"Time together"}), summaries


def reminder_at_the_time():
    cal = Calendar.from_ical(feed("Europe/London", "reminder", "0"))
    for e in events(cal):
        assert e.walk("VALARM")[0]["TRIGGER"].dt == dt.timedelta(0)


def utc_when_the_zone_is_unknown():
    cal = Calendar.from_ical(feed("Not/AZone"))
    assert not cal.walk("VTIMEZONE"), "a VTIMEZONE for an unknown zone"
    evs = events(cal)
    assert len(evs) == 4
    for e in evs:
        start = e["DTSTART"].dt
        assert start.utcoffset() == dt.timedelta(0), f"{start} is not UTC"
        assert "TZID" not in e["DTSTART"].params
        wd, hh, mm = SCHEDULE[str(e["SUMMARY"])]
        assert (start.hour, start.minute) == (hh, mm)


def nothing_telling():
    text = feed("America/New_York").decode("utf-8").lower()
    for word in ("betray", "affair", "trust", "vulnerab", "apprec", "cheat", "sorry", "hurt"):
        assert word not in text, f"the feed says \"{word}\""
    cal = Calendar.from_ical(feed("America/New_York"))
    assert str(cal["X-WR-CALNAME"]) == "Reminders"
    for e in events(cal):
        assert str(e["SUMMARY"]) in NEUTRAL
        assert "DESCRIPTION" not in e and "LOCATION" not in e and "URL" not in e
        assert str(e["CLASS"]) == "PRIVATE"


for z in ZONES:
    check(f"{z}: lines are CRLF and folded at 75 octets", lambda z=z: raw_format(z))
    check(f"{z}: four rituals, neutral titles, alarms, right local times across DST",
          lambda z=z: rituals_in(z))
check("no fixed time together: three events", no_time_together)
check("a reminder of 0 minutes rings at the time", reminder_at_the_time)
check("an unknown zone falls back to UTC times", utc_when_the_zone_is_unknown)
check("the feed says nothing about what the events are for", nothing_telling)

report()
