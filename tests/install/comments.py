#!/usr/bin/env python3
# tests/install/comments.py ROOT [BUILDDIR]: comments that name what is not
# there (files made by the build, config.h, count when BUILDDIR has them). In
# the comments of ROOT's C and C++ sources, scripts and makefiles, every
# file name (ending in .c, .h, .md, .py ...; a folder may lead) must name a
# file of the tree (another project's file, "curl's" one, paths out of the
# tree, "../x", and headers in <> are passed over); in C comments, every function named as one (name(), or a name
# with the prefix of Quire's own functions, such as qreq_ or doc_) must
# occur in the code (a definition, a call, a fault point's name in a test).
# Prints one line per stale name and the counts; exits 1 when there is one.
# SPDX-License-Identifier: GPL-3.0-or-later
import collections, os, re, sys

root = sys.argv[1]
SKIP_DIRS = {'.git', '.libs', '.deps', 'autom4te.cache', 'node_modules'}
C_EXT = ('.c', '.h', '.cc')
SCRIPT_EXT = ('.sh', '.test', '.py', '.mk', '.am', '.ac')
CODE_DIRS = ('src', 'extract', 'plugins', 'cgi-bin', 'include', 'tests', 'examples')

def walk(top):
    out = []
    for dp, dn, fn in os.walk(top):
        dn[:] = [d for d in dn if d not in SKIP_DIRS and not d.startswith('quire-')]
        out += [os.path.relpath(os.path.join(dp, f), top) for f in fn]
    return out


paths = walk(root)
made = walk(sys.argv[2]) if len(sys.argv) > 2 else []
basenames = {os.path.basename(p) for p in paths + made}
suffixes = {'/' + p for p in paths + made}


def read(p):
    with open(os.path.join(root, p), encoding='utf-8', errors='replace') as f:
        return f.read()


def exists(name, here):
    if '/' not in name:
        return name in basenames
    if os.path.exists(os.path.join(root, here, name)):
        return True
    return any(s.endswith('/' + name.lstrip('./')) for s in suffixes)


C_COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', re.S)
FILE_REF = re.compile(r"(?<![\w/.$*~:-])((?:[\w.-]+/)*[\w-]+\.(?:c|h|cc|md|sh|py|test|mk|yaml))"
                      r"(?![\w/*-])")
NAME = re.compile(r'(?<![\w.$/>:|-])([a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]{2})(\(\))?(?![\w./|-])')
sources = [p for p in paths if p.endswith(C_EXT) and p.split('/')[0] in CODE_DIRS]
scripts = [p for p in paths if (p.endswith(SCRIPT_EXT) or os.path.basename(p) in
                                ('Makefile.am', 'configure.ac')) and p.split('/')[0] in
           CODE_DIRS + ('scripts', 'Makefile.am', 'configure.ac', 'debian')]


def comments(p):
    """(line, text) of each comment of file p."""
    t = read(p)
    if p.endswith(C_EXT):
        for m in C_COMMENT.finditer(t):
            if m.group(0).startswith(('/*', '//')):
                yield t.count('\n', 0, m.start()) + 1, m.group(0)
    else:
        for i, line in enumerate(t.split('\n'), 1):
            if line.lstrip().startswith('#') and not line.startswith('#!'):
                yield i, line


# The code: every identifier outside C comments, and the scripts' words
# (fault points and program names are named by the tests that use them).
known = set()
defined = collections.Counter()
for p in sources:
    code = C_COMMENT.sub(lambda m: m.group(0) if m.group(0).startswith('"') else ' ', read(p))
    known.update(re.findall(r'\b[A-Za-z_]\w*\b', code))
    for name in re.findall(r'^[a-z][\w \t*]*?\b([a-z]\w*)\(', code, re.M):
        defined[name] += 1
for p in scripts:
    known.update(re.findall(r'\b[A-Za-z_]\w*\b', read(p)))
prefixes = collections.Counter(n.split('_')[0] + '_' for n in defined if '_' in n)
ours = {pre for pre, k in prefixes.items() if k >= 3}

bad = []
checked = 0
for p in sources + scripts:
    here = os.path.dirname(p)
    for line, text in comments(p):
        for m in FILE_REF.finditer(text):
            name = m.group(1)
            before = text[:m.start()]
            if before.endswith(("'s ", '<', '../')) or name.startswith('../') or \
               re.search(r'(https?:/|\w\.\w+/)$', before):
                continue
            name = re.sub(r'^([A-Z_]+/)+', '', name)   # ROOT/docs/x.md: a placeholder
            checked += 1
            if not exists(name, here):
                bad.append(f'{p}:{line}: names the file {name}, which is not in the tree')
        if not p.endswith(C_EXT):
            continue
        for m in NAME.finditer(text):
            name, call = m.group(1), m.group(2)
            if not call and name.split('_')[0] + '_' not in ours:
                continue
            checked += 1
            if name not in known:
                bad.append(f'{p}:{line}: names the function {name}, which the code does not have')
for b in bad:
    print(b)
print(f'{len(sources) + len(scripts)} files, {checked} names in comments checked, '
      f'{len(bad)} stale')
sys.exit(1 if bad else 0)
