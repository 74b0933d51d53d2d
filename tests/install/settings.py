#!/usr/bin/env python3
"""settings.py: compare quire.conf's settings table (quire-admin config
--defaults) with the sample etc/quire.conf and the manual page
quire.conf(5); print one line per disagreement, nothing when they agree.
usage: settings.py TABLE SAMPLE MANPAGE"""
# SPDX-License-Identifier: GPL-3.0-or-later
import re
import sys


def table(path):
    out, configured = {}, set()
    flag = False
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if line == '# chosen by configure:':
            flag = True
            continue
        k, _, v = line.partition(' = ')
        out[k] = v
        if flag:
            configured.add(k)
        flag = False
    return out, configured


def sample(path):
    return {m.group(1): m.group(2) for m in
            (re.match(r'^#([a-z0-9_]+) =\s?(.*)$', l.rstrip('\n'))
             for l in open(path, encoding='utf-8')) if m}


def manpage(path):
    """name -> the value of its 'Default:' line ('' when none)."""
    out, cur = {}, None
    for line in open(path, encoding='utf-8'):
        m = re.match(r'^\.BI ([a-z0-9_]+) ', line)
        if m:
            cur = m.group(1)
            out[cur] = ''
            continue
        m = re.match(r'^Default:\s*(.*?)\.?\s*$', line)
        if m and cur and not out[cur]:
            v = m.group(1).replace('\\-', '-').replace('\\(dq', '"')
            out[cur] = 'empty' if v in ('empty', 'none', '""') else v
        if line.startswith('.SH') or line.startswith('.SS'):
            cur = None
    return out


def main():
    tab, configured = table(sys.argv[1])
    smp, man = sample(sys.argv[2]), manpage(sys.argv[3])
    for k, v in tab.items():
        if k not in smp:
            print(f'{k}: not in the sample quire.conf')
        elif k not in configured and smp[k] != v:
            print(f'{k}: the sample says {smp[k]!r}, the table {v!r}')
        if k not in man:
            print(f'{k}: not in quire.conf(5)')
        elif k not in configured and v and man[k] and man[k] != v:
            print(f'{k}: quire.conf(5) says default {man[k]!r}, the table {v!r}')
    for k in smp:
        if k not in tab:
            print(f'{k}: in the sample quire.conf but no such setting')
    for k in man:
        if k not in tab:
            print(f'{k}: in quire.conf(5) but no such setting')


main()
