#!/usr/bin/env python3
"""fcgiraw.py: a raw FastCGI client for tests/api/matrix.test, talking to
quired's socket directly (no front server), to send what a front server
never would.

  fcgiraw.py short SOCK KEY        CONTENT_LENGTH 1000, 20 bytes, then EOF
  fcgiraw.py nolength SOCK KEY N   a JSON create of N bytes, no CONTENT_LENGTH
  fcgiraw.py hostile SOCK          malformed records: huge name/value
                                   lengths, truncated pairs, bad versions
  fcgiraw.py partial SOCK KEY TOTAL SENT
                                   a multipart upload announcing TOTAL bytes,
                                   SENT of them sent, then waits (up to 30 s)
                                   for the server to answer or close

Prints "status N" (the Status header of the answer, 200 when none) or
"closed" (no answer at all), and the body on the next line.
Standard library only; every socket has a timeout.
"""
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import socket
import struct
import sys
import time

BEGIN, PARAMS, STDIN, STDOUT = 1, 4, 5, 6
END = 3


def rec(t, content, rid=1, version=1):
    out = b""
    for i in range(0, max(len(content), 1), 65535):
        part = content[i:i + 65535]
        pad = (8 - len(part) % 8) % 8
        out += struct.pack("!BBHHBB", version, t, rid, len(part), pad, 0) + part + b"\0" * pad
        if not content:
            break
    return out


def ln(n):
    return bytes([n]) if n < 128 else struct.pack("!I", n | 0x80000000)


def pairs(d):
    out = b""
    for k, v in d.items():
        k, v = k.encode(), v.encode()
        out += ln(len(k)) + ln(len(v)) + k + v
    return out


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(path)
    return s


def begin(s, params):
    s.sendall(rec(BEGIN, struct.pack("!HB5x", 1, 0)) + rec(PARAMS, pairs(params)) + rec(PARAMS, b""))


def answer(s):
    data = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
    except (socket.timeout, OSError):
        pass
    out, i, ended = b"", 0, False
    while i + 8 <= len(data):
        v, t, rid, n, pad, _ = struct.unpack("!BBHHBB", data[i:i + 8])
        if t == STDOUT:
            out += data[i + 8:i + 8 + n]
        if t == END:
            ended = True
        i += 8 + n + pad
    if not out:
        print("closed")
        return
    head, _, body = out.partition(b"\r\n\r\n")
    status = 200
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"status:"):
            status = int(line.split()[1])
    print("status %d" % status)
    print(body.decode("utf-8", "replace"))


def base(key, method, path, ctype):
    return {"REQUEST_METHOD": method, "REQUEST_URI": path, "SCRIPT_NAME": "",
            "PATH_INFO": path, "QUERY_STRING": "", "CONTENT_TYPE": ctype,
            "HTTP_AUTHORIZATION": "Bearer " + key, "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}


def short(path, key):
    s = connect(path)
    p = base(key, "POST", "/api/v1/documents", "application/json")
    p["CONTENT_LENGTH"] = "1000"
    begin(s, p)
    s.sendall(rec(STDIN, b'{"title":"short","c') + rec(STDIN, b""))
    answer(s)


def nolength(path, key, n):
    s = connect(path)
    begin(s, base(key, "POST", "/api/v1/documents", "application/json"))
    pre = b'{"title":"no length","content":"'
    body = pre + b"x" * max(0, n - len(pre) - 2) + b'"}'
    s.sendall(rec(STDIN, body) + rec(STDIN, b""))
    answer(s)


def hostile(path):
    cases = [
        # a name length of 2^31-1 with a few bytes after it
        rec(BEGIN, struct.pack("!HB5x", 1, 0)) + rec(PARAMS, struct.pack("!II", 0xffffffff, 4) + b"abcd"),
        # a value length near 2^31 and a name that is all there
        rec(BEGIN, struct.pack("!HB5x", 1, 0)) + rec(PARAMS, b"\x04" + struct.pack("!I", 0xfffffff0) + b"NAME" + b"v" * 100),
        # lengths that wrap when added (CVE-2025-23016's shape)
        rec(BEGIN, struct.pack("!HB5x", 1, 0)) + rec(PARAMS, struct.pack("!II", 0x80000000 | 0x7ffffff8, 0x80000000 | 0x10) + b"z" * 64),
        # a pair cut in the middle, then the params end
        rec(BEGIN, struct.pack("!HB5x", 1, 0)) + rec(PARAMS, b"\x0aSHORT") + rec(PARAMS, b""),
        # a record of an unknown version and type
        rec(77, b"junk" * 10, version=9),
        # a record header that announces more than is sent
        struct.pack("!BBHHBB", 1, PARAMS, 1, 60000, 0, 0) + b"x" * 10,
    ]
    for c in cases:
        try:
            s = connect(path)
            s.settimeout(3)
            s.sendall(c)
            try:
                s.shutdown(socket.SHUT_WR)
                s.recv(65536)
            except OSError:
                pass
            s.close()
        except OSError:
            pass
    print("done")


def partial(path, key, total, sent):
    s = connect(path)
    b = "----quirepartial"
    head = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n" % b).encode()
    p = base(key, "POST", "/api/v1/documents", "multipart/form-data; boundary=" + b)
    p["CONTENT_LENGTH"] = str(total)
    begin(s, p)
    data = head + b"lorem ipsum " * ((sent - len(head)) // 12 + 1)
    s.sendall(rec(STDIN, data[:sent]))
    answer(s)


def main(a):
    if a[1] == "short":
        short(a[2], a[3])
    elif a[1] == "nolength":
        nolength(a[2], a[3], int(a[4]))
    elif a[1] == "hostile":
        hostile(a[2])
    elif a[1] == "partial":
        partial(a[2], a[3], int(a[4]), int(a[5]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
