#!/usr/bin/env python3
# tests/unit/layers.py ROOT: check every #include "..." under ROOT's src/,
# extract/ and plugins/ against the "may include" column of
# ROOT/docs/architecture.md. Prints one line per broken include and the
# counts; exits 1 when any include breaks the rule (or the table cannot be
# read), else 0.
# tests/unit/layers.py --calls OBJECT...: the call graph between the
# objects (nm: a symbol one leaves undefined and another defines); prints
# every circle of files that call each other and exits 1 when there is one.
# SPDX-License-Identifier: GPL-3.0-or-later
import collections, os, re, subprocess, sys


def calls(objs):
    defs, undef = {}, {}
    for o in objs:
        d, u = set(), set()
        for line in subprocess.check_output(['nm', o], text=True).splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in 'TDBRCV':
                d.add(p[2])
            elif len(p) == 2 and p[0] == 'U':
                u.add(p[1])
        defs[o], undef[o] = d, u
    owner = {s: o for o, d in defs.items() for s in d}
    g = {o: sorted({owner[s] for s in undef[o] if s in owner and owner[s] != o}) for o in objs}
    # strongly connected components (Tarjan), iterative over the sorted graph
    index, low, stack, on, out, n = {}, {}, [], set(), [], 0
    for root in objs:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = n
                n += 1
                stack.append(v)
                on.add(v)
            if i < len(g[v]):
                work.append((v, i + 1))
                w = g[v][i]
                if w not in index:
                    work.append((w, 0))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return out


if sys.argv[1] == '--calls':
    circles = calls(sys.argv[2:])
    for c in circles:
        print('circle: ' + ' <-> '.join(c))
    print(f'{len(sys.argv) - 2} objects, {len(circles)} circles')
    sys.exit(1 if circles else 0)

root = sys.argv[1]
doc = open(os.path.join(root, 'docs', 'architecture.md'), encoding='utf-8').read()
rows = re.findall(r'^\| `([a-z/-]+)/` \| [^|]* \| ([^|]*) \|$', doc, re.M)
rules = {}
for folder, may in rows:
    rules[folder] = may.strip()
src_folders = [f for f in rules if f.startswith('src/')]
if len(src_folders) < 8 or 'extract' not in rules or 'plugins' not in rules:
    print('docs/architecture.md: cannot read the folder table')
    sys.exit(1)

def allowed_src(folder):
    """Folders (src/X) and single headers (path) folder may include."""
    may = rules[folder]
    out = {folder}
    for w in may.replace('—', '').split():
        out.add(w if '/' in w else 'src/' + w)
    return out

inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
bad = []
checked = 0
for top in ('src', 'cgi-bin', 'extract', 'plugins'):
    for dp, dn, fn in os.walk(os.path.join(root, top)):
        for f in sorted(fn):
            if not f.endswith(('.c', '.h')):
                continue
            path = os.path.join(dp, f)
            rel = os.path.relpath(path, root)
            text = open(path, encoding='utf-8', errors='replace').read()
            for name in inc.findall(text):
                checked += 1
                if name == 'config.h' or name == 'quire/plugin.h':
                    continue
                if top in ('src', 'cgi-bin'):
                    folder = os.path.dirname(rel)
                    if folder not in rules:
                        bad.append(f'{rel}: folder {folder} is not in docs/architecture.md')
                        continue
                    target = os.path.normpath(os.path.join('src', name))
                    if top == 'cgi-bin' and '/' not in name:
                        target = os.path.normpath(os.path.join(folder, name))   # its own
                    if not os.path.exists(os.path.join(root, target)):
                        target = os.path.normpath(name)   # extract/sniff.h
                    if not os.path.exists(os.path.join(root, target)):
                        bad.append(f'{rel}: "{name}" is not a Quire header named by its folder')
                        continue
                    ok = allowed_src(folder)
                    if os.path.dirname(target) not in ok and target not in ok:
                        bad.append(f'{rel}: includes "{name}" ({os.path.dirname(target)}/), '
                                   f'which {folder}/ may not')
                else:
                    target = os.path.normpath(os.path.join(os.path.dirname(rel), name))
                    mine = 'extract' if top == 'extract' else 'plugins'
                    if not os.path.exists(os.path.join(root, target)) or \
                       not (target + '/').startswith(mine + '/') or \
                       (mine == 'extract' and os.path.dirname(target) != 'extract'):
                        bad.append(f'{rel}: includes "{name}" from outside {mine}/')
for b in bad:
    print(b)
print(f'{checked} includes checked, {len(bad)} break the rule')
sys.exit(1 if bad else 0)
