#!/usr/bin/env python3
"""Fails unless every Catch2 test case is exactly one ctest entry with the same name, and every
ctest entry of the Catch2 binary names a test case: a test that never runs cannot pass."""
import json
import subprocess
import sys

binary, ctest, build = sys.argv[1:4]
# Catch2 v2 exits with the number of test cases listed.
names = subprocess.run([binary, "--list-test-names-only"], capture_output=True, text=True,
                       check=False).stdout.splitlines()
names = [n for n in names if n.strip()]
info = json.loads(subprocess.run([ctest, "--test-dir", build, "--show-only=json-v1"],
                                 capture_output=True, text=True, check=True).stdout)
entries = []
for t in info["tests"]:
    cmd = t.get("command", [])
    if cmd and cmd[0] == binary:
        entries.append(t["name"])
problems = []
if len(names) != len(set(names)):
    problems.append("duplicate test case names")
# catch_discover_tests escapes ',' '[' and ']'; it cannot protect ';' (CMake's list separator,
# which splits the name into entries) nor '~' '"' '\\' or a '*' at either end (Catch2 filters).
for n in names:
    if any(ch in n for ch in ';~"\\') or n.startswith("*") or n.endswith("*"):
        problems.append(f"test case {n!r} has a character that stops it selecting itself")
    if entries.count(n) != 1:
        problems.append(f"test case {n!r} is {entries.count(n)} ctest entries")
for e in entries:
    if e not in names:
        problems.append(f"ctest entry {e!r} matches no test case")
print(f"{len(names)} test cases, {len(entries)} ctest entries")
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
