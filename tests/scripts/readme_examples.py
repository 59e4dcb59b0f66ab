#!/usr/bin/env python3
"""The documentation's examples are the program's output, so they cannot drift.

A fenced block in README.md or docs/*.md right after a marker line is what the marker says:
  <!-- example: ARGS -->           the whole stdout of `shapeq ARGS`
  <!-- example-head N: ARGS -->    its first N lines, then a line "..."
  <!-- example-from FILE, N: LINE -->  N lines of FILE (in the source tree) from the line LINE
Commands run from the source tree with SHAPEQ_PROFILES=profiles, so paths print as a reader's
would. Usage: readme_examples.py SHAPEQ SOURCE_DIR [--write]  (--write regenerates the blocks).
"""
import os
import re
import subprocess
import sys

shapeq, source = sys.argv[1], sys.argv[2]
write = "--write" in sys.argv[3:]
marker = re.compile(r"^<!-- (example|example-head (\d+)|example-from ([^,]+), (\d+)): (.*) -->$")


def expected(kind, head, from_file, from_count, argument):
    if kind.startswith("example-from"):
        lines = open(os.path.join(source, from_file)).read().split("\n")
        start = lines.index(argument)
        return "\n".join(lines[start:start + int(from_count)]) + "\n"
    env = dict(os.environ, SHAPEQ_PROFILES="profiles")
    run = subprocess.run([shapeq] + argument.split(), cwd=source, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"FAIL: shapeq {argument} exited {run.returncode}: {run.stderr.strip()}")
    if head:
        return "\n".join(run.stdout.split("\n")[:int(head)]) + "\n...\n"
    return run.stdout


docs = [os.path.join(source, "README.md")] + sorted(
    os.path.join(source, "docs", f) for f in os.listdir(os.path.join(source, "docs")) if f.endswith(".md"))
failures, checked = [], 0
for path in docs:
    lines = open(path).read().split("\n")
    out, i = [], 0
    while i < len(lines):
        out.append(lines[i])
        m = marker.match(lines[i])
        if not m:
            i += 1
            continue
        kind, head, from_file, from_count, argument = m.groups()
        if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
            sys.exit(f"FAIL: {path}:{i + 1}: the marker is not followed by a fenced block")
        end = next(j for j in range(i + 2, len(lines)) if lines[j] == "```")
        shown = "\n".join(lines[i + 2:end]) + "\n"
        want = expected(kind, head, from_file, from_count, argument)
        checked += 1
        if shown != want:
            a, b = shown.split("\n"), want.split("\n")
            k = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
            failures.append(f"{os.path.relpath(path, source)}:{i + 3 + k}: the example of '{argument}' drifted:\n"
                            f"  documented: {a[k] if k < len(a) else '(end)'}\n  program:    {b[k] if k < len(b) else '(end)'}")
        out.append(lines[i + 1])
        out.extend(want.rstrip("\n").split("\n"))
        out.append("```")
        i = end + 1
    if write:
        open(path, "w").write("\n".join(out))
if checked == 0:
    sys.exit("FAIL: no example markers found")
if failures and not write:
    sys.exit("FAIL:\n" + "\n".join(failures) + "\n(intended? tests/scripts/readme_examples.py build/cli/shapeq . --write)")
print(f"ok: {checked} documented examples are the program's output" + (" (written)" if write else ""))
