#!/usr/bin/env python3
"""backupload.py: uploads under a backup, and the check after a restore
(tests/api/backup.test, docs/reliability.md D15).

  backupload.py load BASE KEY CLIENTS SECONDS OUT.json
      CLIENTS threads upload distinct small text files (multipart POST
      /api/v1/documents) for SECONDS; every 201 is logged with the id, the
      SHA-256 of the bytes sent and the time it was acknowledged.
  backupload.py check BASE KEY ACKED.json CUTOFF OUT.json
      Every acknowledged upload acknowledged before CUTOFF (epoch seconds)
      must exist after the restore and its file (GET .../file) must have
      the same SHA-256; every listed document must serve its file. Prints
      and writes the counts; exit 0 when nothing is missing.

Standard library only; every request has a timeout and every loop a bound.
"""
# SPDX-License-Identifier: GPL-3.0-or-later
import hashlib
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse


def conn_for(base, timeout):
    u = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(u.hostname, u.port or 80, timeout=timeout)


def request(base, method, path, key, body=None, ctype=None, timeout=20):
    h = {"Authorization": "Bearer " + key}
    if ctype:
        h["Content-Type"] = ctype
    prefix = urllib.parse.urlsplit(base).path.rstrip("/")
    try:
        c = conn_for(base, timeout)
        c.request(method, prefix + path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, data
    except (OSError, http.client.HTTPException):
        return None, b""


def upload(base, key, title, content):
    b = "----quirebackup%d" % os.getpid()
    body = ("--%s\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n%s\r\n"
            "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n" % (b, title, b, title)).encode()
    body += content + ("\r\n--%s--\r\n" % b).encode()
    return request(base, "POST", "/api/v1/documents", key, body,
                   "multipart/form-data; boundary=" + b)


def load(base, key, clients, seconds, out):
    acked, lock, errors = [], threading.Lock(), [0]
    end = time.monotonic() + seconds

    def client(n):
        i = 0
        while time.monotonic() < end:
            i += 1
            title = "backup-%d-%d-%d" % (os.getpid(), n, i)
            content = ("%s\n\nThe valve %d of line %d is inspected every %d days.\n"
                       % (title, i, n, i % 97 + 3)).encode()
            st, data = upload(base, key, title, content)
            if st == 201:
                doc = json.loads(data)["document"]
                with lock:
                    acked.append({"id": doc["id"], "title": title, "t": time.time(),
                                  "sha256": hashlib.sha256(content).hexdigest()})
            else:
                with lock:
                    errors[0] += 1
                time.sleep(0.05)

    th = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in th:
        t.start()
    for t in th:
        t.join(seconds + 60)
    with open(out, "w") as f:
        json.dump({"acked": acked, "errors": errors[0]}, f)
    print("acked %d, errors %d" % (len(acked), errors[0]))
    return 0


def list_ids(base, key):
    ids, offset = [], 0
    for _ in range(1000):
        st, data = request(base, "GET", "/api/v1/documents?limit=1000&offset=%d" % offset, key)
        if st != 200:
            return None
        j = json.loads(data)
        page = j["documents"]
        ids.extend(d["id"] for d in page)
        offset += len(page)
        if not page or offset >= j["pagination"]["total"]:
            return ids
    return None


def check(base, key, acked_path, cutoff, out):
    with open(acked_path) as f:
        acked = json.load(f)["acked"]
    before = [a for a in acked if a["t"] < cutoff]
    by_id = {a["id"]: a for a in acked}
    ids = list_ids(base, key)
    if ids is None:
        print("cannot list the documents")
        return 1
    present = set(ids)
    missing = [a["id"] for a in before if a["id"] not in present]
    bad_file, files_ok = [], 0
    for i in ids:
        st, data = request(base, "GET", "/api/v1/documents/%s/file" % i, key)
        want = by_id.get(i, {}).get("sha256")
        if st != 200 or (want and hashlib.sha256(data).hexdigest() != want):
            bad_file.append([i, st])
        else:
            files_ok += 1
    res = {"acked": len(acked), "acked_before_backup": len(before), "listed": len(ids),
           "missing": len(missing), "files_ok": files_ok, "bad_files": len(bad_file),
           "missing_ids": missing[:5], "bad": bad_file[:5]}
    with open(out, "w") as f:
        json.dump(res, f)
    print(json.dumps(res))
    return 0 if not missing and not bad_file else 1


def main(argv):
    if len(argv) == 7 and argv[1] == "load":
        return load(argv[2], argv[3], int(argv[4]), float(argv[5]), argv[6])
    if len(argv) == 7 and argv[1] == "check":
        return check(argv[2], argv[3], argv[4], float(argv[5]), argv[6])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
