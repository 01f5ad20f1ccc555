"""The export of each partner of the canary couple (test_export --dump)
validates against docs/export.schema.json. TAP on stdout.

    schema.py TEST_EXPORT SCHEMA
"""
import json
import subprocess
import sys

import jsonschema

exe, schema_path = sys.argv[1], sys.argv[2]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())

print("1..3")
# the schema refuses what is not an export
bad = {"format": "troth-export", "version": 3}
print(("ok" if not validator.is_valid(bad) else "not ok") + " 1 - the schema refuses another version")
for n, who in enumerate(("a", "b"), start=2):
    doc = json.loads(subprocess.run([exe, "--dump", who], check=True, capture_output=True).stdout)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    kinds = [k for k, v in doc["records"].items() if v]
    ok = not errors and len(kinds) >= 8
    print(("ok" if ok else "not ok") + f" {n} - partner {who}'s export validates ({len(kinds)} kinds with records)")
    for e in errors[:10]:
        print(f"# {'/'.join(map(str, e.path))}: {e.message}")
