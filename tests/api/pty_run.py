#!/usr/bin/env python3
"""Run a command on a pseudo-terminal (as an operator at a terminal would)
and print, as JSON, what it wrote (stdout and stderr share the terminal)
and when each progress line ("\\r...") arrived, in seconds from the start,
plus when the command ended. usage: pty_run.py TIMEOUT CMD [ARGS...]"""
# SPDX-License-Identifier: GPL-3.0-or-later
import json, os, pty, select, sys, time

timeout = float(sys.argv[1])
t0 = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
out = b""
stamps = []
while time.monotonic() - t0 < timeout:
    r, _, _ = select.select([fd], [], [], 0.5)
    if not r:
        if os.waitpid(pid, os.WNOHANG)[0]:
            break
        continue
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    stamps += [round(time.monotonic() - t0, 3)] * chunk.count(b"\r" + b"reindex")
    out += chunk
end = round(time.monotonic() - t0, 3)
try:
    _, status = os.waitpid(pid, 0)
except ChildProcessError:
    status = 0
print(json.dumps({"out": out.decode("utf-8", "replace"), "stamps": stamps, "end": end,
                  "status": os.waitstatus_to_exitcode(status)}))
