#!/usr/bin/env python3
# scripts/spdx.py [--check] ROOT: give every source file of Quire an SPDX
# licence line right after its opening purpose comment, or with --check
# list the files without one (exit 1). Sources: .c .h .cc .sh .py .mjs
# .test under src/ extract/ plugins/ include/ tests/ cgi-bin/ scripts/.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import subprocess
import sys

TAG = "SPDX-License-Identifier: GPL-3.0-or-later"
DIRS = ("src", "extract", "plugins", "include", "tests", "cgi-bin", "scripts")
EXTS = (".c", ".h", ".cc", ".sh", ".py", ".mjs", ".test")
HEAD = 60  # the line must sit among the first HEAD lines (after long purpose comments too)


def sources(root):
    """The tracked files when root is a git checkout, else every file
    (a dist tarball holds only sources)."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "--", *DIRS],
                             capture_output=True, text=True, check=True).stdout
        names = out.split()
    except (OSError, subprocess.CalledProcessError):
        names = []
        for d in DIRS:
            for dirpath, _, files in os.walk(os.path.join(root, d)):
                for f in files:
                    names.append(os.path.relpath(os.path.join(dirpath, f), root))
    return sorted(n for n in names if n.endswith(EXTS)
                  and os.path.isfile(os.path.join(root, n)))


def insert_at(lines, name):
    """Index of the line after the opening purpose comment, or None."""
    if name.endswith((".c", ".h", ".cc")):
        if not lines or not lines[0].startswith("/*"):
            return None
        for i, l in enumerate(lines):
            if "*/" in l:
                return i + 1
        return None
    if name.endswith(".mjs"):
        i = 0
        while i < len(lines) and lines[i].startswith("//"):
            i += 1
        return i or None
    i = 1 if lines and lines[0].startswith("#!") else 0
    if i < len(lines) and lines[i].lstrip().startswith(('"""', "'''")):
        q = lines[i].lstrip()[:3]
        if lines[i].count(q) >= 2:
            return i + 1
        for j in range(i + 1, len(lines)):
            if q in lines[j]:
                return j + 1
        return None
    start = i
    while i < len(lines) and lines[i].startswith("#"):
        i += 1
    return i if i > start else None


def comment(name):
    if name.endswith((".c", ".h", ".cc")):
        return "/* %s */\n" % TAG
    if name.endswith(".mjs"):
        return "// %s\n" % TAG
    return "# %s\n" % TAG


def main():
    args = sys.argv[1:]
    check = bool(args) and args[0] == "--check"
    if check:
        args = args[1:]
    root = args[0] if args else "."
    bad = 0
    for name in sources(root):
        path = os.path.join(root, name)
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            lines = f.readlines()
        if any(TAG in l for l in lines[:HEAD]):
            continue
        at = None if check else insert_at(lines, name)
        if at is None:
            print("%s: no SPDX line%s" % (name, "" if check else " (no opening comment)"))
            bad = 1
            continue
        lines.insert(at, comment(name))
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.writelines(lines)
    return bad


if __name__ == "__main__":
    sys.exit(main())
