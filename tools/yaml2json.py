#!/usr/bin/env python3
"""yaml2json.py: turns docs/openapi.yaml into the compact JSON that troth
serves at /api/v1/openapi.json (run by meson at build time).

usage: yaml2json.py IN.yaml OUT.json

Uses Debian's python3-yaml with its safe loader. Fails (exit 1) on a YAML
error, on a document that is not a mapping, or on a value JSON cannot hold
(a date the YAML parser read as a date: quote it in the YAML), or on a
key that is not a string. Booleans are YAML 1.2's (true, false only), as in
the JavaScript tools that read the same file."""
import json
import sys

import re

import yaml


class Loader(yaml.SafeLoader):
    """The safe loader with YAML 1.2 booleans: only true and false, so that
    on, off, yes and no stay strings, as every OpenAPI tool reads them."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def bad_key(node, where="#"):
    """The path of the first mapping key in node that is not a string, or None."""
    if isinstance(node, dict):
        for k, v in node.items():
            if not isinstance(k, str):
                return f"{where}/{k!r}"
            found = bad_key(v, f"{where}/{k}")
            if found:
                return found
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found = bad_key(v, f"{where}/{i}")
            if found:
                return found
    return None


def main(argv):
    if len(argv) != 3:
        print("usage: yaml2json.py IN.yaml OUT.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        try:
            doc = yaml.load(f, Loader=Loader)
        except yaml.YAMLError as e:
            print(f"{argv[1]}: {e}", file=sys.stderr)
            return 1
    if not isinstance(doc, dict):
        print(f"{argv[1]}: the document is not a mapping", file=sys.stderr)
        return 1
    where = bad_key(doc)
    if where:
        print(f"{argv[1]}: a key that is not a string at {where}: quote it", file=sys.stderr)
        return 1
    try:
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as e:
        print(f"{argv[1]}: {e}", file=sys.stderr)
        return 1
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
