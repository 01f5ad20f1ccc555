"""tap.py: the checks of the calendar feed tests, run one by one and
reported as TAP, shared by test_calfeed.py and test_feed_parsers.py.

    from tap import check, report
    check("a name", fn)   # fn raises on failure
    report()              # prints TAP and exits 1 if any check failed
"""
import sys

results = []


def check(name, fn):
    try:
        fn()
        results.append((True, name, ""))
    except Exception as e:  # noqa: BLE001 - every failure is reported
        results.append((False, name, f"{type(e).__name__}: {e}"))


def report():
    print("TAP version 13")
    print(f"1..{len(results)}")
    for i, (ok, name, why) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {name}")
        if not ok:
            print(f"  # {why}")
    sys.exit(0 if all(ok for ok, _, _ in results) else 1)
