#!/usr/bin/env python3
"""POST a chat request and print what arrives, as it arrives, for tests.

Prints "status N", then "header Name: value" lines, then one line per SSE
data line: "event <wall-clock time it was read> <data>", and "end <time>"
when the body is over. The time stamps let a test compare when the first
event reached the client with when an upstream sent its last chunk.
usage: sse_client.py URL KEY ORG USER ROLES BODY [TIMEOUT]
"""
# SPDX-License-Identifier: GPL-3.0-or-later
import http.client, socket, sys, time, urllib.parse

url, key, org, user, roles, body = sys.argv[1:7]
timeout = float(sys.argv[7]) if len(sys.argv) > 7 else 30
u = urllib.parse.urlsplit(url)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
conn.connect()
conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
conn.request("POST", u.path, body=body.encode(), headers={
    "Authorization": "ApiKey " + key,
    "X-External-Org-Id": org,
    "X-External-User-Id": user,
    "X-External-Roles": roles,
    "Content-Type": "application/json",
    "Accept": "text/event-stream",
})
resp = conn.getresponse()
print("status", resp.status, flush=True)
for k, v in resp.getheaders():
    print("header %s: %s" % (k, v), flush=True)
while True:
    line = resp.readline()
    if not line:
        break
    line = line.decode().rstrip("\r\n")
    if line.startswith("data: "):
        print("event %.6f %s" % (time.time(), line[6:]), flush=True)
print("end %.6f" % time.time(), flush=True)
