#!/usr/bin/env python3
# tests/unit/decls.py ROOT: declarations live in the header of the file that
# defines them. Reads the C and C++ files under ROOT's src/, extract/,
# cgi-bin/, plugins/ and include/ and names every function
#  - defined without static in a .c (or .cc) file but not declared in the
#    header of the same name beside it,
#  - declared in a header other than the one named after its defining file,
#  - declared in a header but defined nowhere in the tree,
# except main() and the umbrella headers of UMBRELLAS below. Prints one line
# a finding and a count; exits 1 when there is a finding, else 0.
# SPDX-License-Identifier: GPL-3.0-or-later
import os, re, sys

# Deliberate umbrella headers: they declare functions defined elsewhere on
# purpose. quire/plugin.h is the one public plugin ABI: its entry symbol is
# defined by every plugin (and by plugins out of the tree). pdf_doc.h is the
# PDF plugin's one document interface, which each poppler binding defines
# in full (pdf_glib.c, pdf_cpp.cc, pdf_doc.cc; configure picks one).
UMBRELLAS = {'include/quire/plugin.h', 'plugins/pdf/pdf_doc.h'}
DIRS = ('src', 'extract', 'cgi-bin', 'plugins', 'include')
KEYWORDS = {'if', 'while', 'for', 'switch', 'return', 'sizeof', 'do', 'else',
            'case', 'typedef', 'defined', '__attribute__', 'alignof',
            '_Alignof', '_Static_assert', 'static_assert', 'decltype',
            'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed',
            'unsigned', 'const', 'volatile', 'struct', 'union', 'enum', 'extern',
            'static', 'inline', 'bool', '_Bool', 'auto', 'register'}


def strip(text):
    """Comments, string and character literals (kept as ""), and
    preprocessor lines blanked; newlines kept so lines still count."""
    out, i, n = [], 0, len(text)
    bol = True
    while i < n:
        c = text[i]
        if bol and c == '#' or (bol and c in ' \t' and text[i:].lstrip(' \t').startswith('#')):
            j = i
            while j < n:
                k = text.find('\n', j)
                if k < 0:
                    k = n
                # a comment may hide a line end: skip /* */ inside the line
                seg = text[j:k]
                if '/*' in seg and '*/' not in seg[seg.index('/*'):]:
                    e = text.find('*/', j + seg.index('/*'))
                    k = text.find('\n', e if e >= 0 else n)
                    if k < 0:
                        k = n
                    seg = text[j:k]
                out.append('\n' * text.count('\n', i, k))
                if seg.endswith('\\') and k < n:
                    out.append('\n')
                    j = i = k + 1
                    continue
                i = k
                break
            else:
                i = n
            continue
        if text.startswith('/*', i):
            e = text.find('*/', i + 2)
            e = n if e < 0 else e + 2
            out.append(' ' + '\n' * text.count('\n', i, e))
            i = e
            continue
        if text.startswith('//', i):
            e = text.find('\n', i)
            i = n if e < 0 else e
            continue
        if c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(c + c)
            i = j + 1
            bol = False
            continue
        out.append(c)
        if c == '\n':
            bol = True
        elif c not in ' \t':
            bol = False
        i += 1
    return ''.join(out)


def drop_attributes(s):
    """__attribute__((...)) and [[...]] removed (balanced)."""
    while True:
        m = re.search(r'__attribute__\s*\(', s)
        if not m:
            break
        d, j = 0, m.end() - 1
        while j < len(s):
            d += {'(': 1, ')': -1}.get(s[j], 0)
            j += 1
            if d == 0:
                break
        s = s[:m.start()] + ' ' + s[j:]
    return re.sub(r'\[\[.*?\]\]', ' ', s)


def function_name(stmt):
    """The name a function declarator declares in stmt (text before its
    ';' or '{'), or None; with whether it is static."""
    s = ' '.join(drop_attributes(stmt).split())
    if not s or re.match(r'(typedef|using|template|class|struct|union|enum)\b', s) and '(' not in s.split('{')[0]:
        return None, False
    if s.startswith('typedef') or '=' in s.split('(')[0]:
        return None, False
    k = s.find('(')
    if k <= 0:
        return None, False
    head = s[:k].rstrip()
    m = re.search(r'([A-Za-z_]\w*)$', head)
    if not m or m.group(1) in KEYWORDS:
        return None, False
    before = head[:m.start()].rstrip()
    if not before or before.endswith('::') or before.endswith('~'):
        return None, False
    if not re.search(r'[\w*&]$', before):
        return None, False
    words = set(re.findall(r'\w+', before))
    return m.group(1), 'static' in words


def scan(text):
    """(definitions, prototypes): lists of (name, line, static) at file
    scope (extern "C" and namespace blocks are see-through; an anonymous
    namespace makes what it holds static)."""
    s = strip(text)
    defs, protos = [], []
    stack = []            # 'open' (see-through) or 'anon' for namespace blocks
    stmt, start, i, n = [], None, 0, len(s)
    line = 1
    while i < n:
        c = s[i]
        if c == '\n':
            line += 1
        if c == '{':
            t = ''.join(stmt).strip()
            if re.fullmatch(r'extern\s*""', t) or re.fullmatch(r'namespace(\s+\w+)?', t):
                stack.append('anon' if t == 'namespace' else 'open')
                stmt, start = [], None
                i += 1
                continue
            name, st = function_name(t)
            if name:
                defs.append((name, start or line, st or 'anon' in stack))
            d, i = 1, i + 1
            while i < n and d:
                d += {'{': 1, '}': -1}.get(s[i], 0)
                if s[i] == '\n':
                    line += 1
                i += 1
            # a function body ends the statement; a struct's does not
            stmt = [] if name else stmt + [' {} ']
            if name:
                start = None
            continue
        if c == '}' and stack:
            stack.pop()
            stmt, start = [], None
            i += 1
            continue
        if c == ';':
            name, st = function_name(''.join(stmt))
            if name:
                protos.append((name, start or line, st or 'anon' in stack))
            stmt, start = [], None
            i += 1
            continue
        if start is None and not c.isspace():
            start = line
        stmt.append(c)
        i += 1
    return defs, protos


def files(root):
    for d in DIRS:
        for dp, dn, fn in os.walk(os.path.join(root, d)):
            dn.sort()
            for f in sorted(fn):
                if f.endswith(('.c', '.cc', '.h')):
                    yield os.path.relpath(os.path.join(dp, f), root)


def check(root):
    defs, protos = {}, {}
    for rel in files(root):
        with open(os.path.join(root, rel), encoding='utf-8', errors='replace') as f:
            d, p = scan(f.read())
        if rel.endswith('.h'):
            for name, ln, st in p:
                if not st:
                    protos.setdefault(name, []).append((rel, ln))
        else:
            for name, ln, st in d:
                if not st and name != 'main':
                    defs.setdefault(name, []).append((rel, ln))
    stem = lambda p: os.path.splitext(p)[0]
    found = []
    for name, places in sorted(defs.items()):
        for rel, ln in places:
            own = stem(rel) + '.h'
            if not any(h == own for h, _ in protos.get(name, [])) and \
               not any(h in UMBRELLAS for h, _ in protos.get(name, [])):
                found.append('%s:%d: %s is not declared in %s' % (rel, ln, name, own))
    for name, places in sorted(protos.items()):
        for h, ln in places:
            if h in UMBRELLAS:
                continue
            where = defs.get(name)
            if not where:
                found.append('%s:%d: declares %s, defined nowhere' % (h, ln, name))
            elif not any(stem(r) == stem(h) for r, _ in where):
                found.append('%s:%d: declares %s, defined in %s' %
                             (h, ln, name, ', '.join(r for r, _ in where)))
    return found, len(defs), len(protos)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    found, nd, np = check(root)
    for f in found:
        print(f)
    print('%d findings; %d functions defined, %d declared in headers' % (len(found), nd, np))
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
