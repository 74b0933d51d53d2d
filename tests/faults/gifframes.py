#!/usr/bin/env python3
# gifframes.py: an animated GIF of many frames for gifframes.test (X22).
# SPDX-License-Identifier: GPL-3.0-or-later
"""gifframes.py IN.gif OUT.gif N: IN's frames (its trailer dropped), then N
more 1x1 frames, each with a graphic control extension (10 ms), then the
trailer: a GIF of N + 1 frames whose first frame is IN's."""
import sys


def frame():
    gce = b"\x21\xf9\x04\x04\x01\x00\x00\x00"           # delay 10 ms
    desc = b"\x2c" + (0).to_bytes(2, "little") * 2 + (1).to_bytes(2, "little") * 2 + b"\x00"
    # LZW, minimum code size 2: clear (4), index 0, end (5) in 3-bit codes
    data = b"\x02\x02\x44\x01\x00"
    return gce + desc + data


def main():
    src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    d = open(src, "rb").read()
    if d[:6] not in (b"GIF87a", b"GIF89a") or d[-1:] != b"\x3b":
        sys.exit("not a GIF with a trailer: " + src)
    with open(dst, "wb") as f:
        f.write(b"GIF89a" + d[6:-1])
        # loop forever (NETSCAPE2.0), as animations do
        f.write(b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00")
        f.write(frame() * n)
        f.write(b"\x3b")


main()
