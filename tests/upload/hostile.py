#!/usr/bin/env python3
"""tests/upload/hostile.py OUTDIR [PAGES]: the files a hostile tenant
uploads in tests/upload/tenants.test and tests/bench/ingest-tenants.sh,
written at test time with the standard library only:

  blank.pdf     PAGES blank pages (no text layer: every page is rendered
                for OCR unless a blank-page check stops it)
  frames.tif    PAGES frames of 64 x 64 white pixels (a multi-frame TIFF)
  bomb.docx     a DOCX whose document.xml inflates 1000:1 (about 100 MiB)
  noise.png     a 1500 x 1500 noise image (heavy for OCR)
  many/NN.*     16 distinct small files for one 16-part request: 8 noise
                images of 400 x 400 and 8 text files

Also text.pdf: PAGES pages with a line of text each (the benchmark's
throughput in pages per second)."""
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import random
import struct
import sys
import zipfile
import zlib

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures", "pdf"))
from gen import pdf  # noqa: E402  (the PDF writer of the PDF fixtures)


def png_gray(w, h, rng):
    raw = b"".join(b"\0" + bytes(rng.getrandbits(8) for _ in range(w)) for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))


def tiff_frames(n, w=64, h=64):
    """A little-endian baseline TIFF of n uncompressed 8-bit white frames
    sharing one strip of pixels."""
    pixels = b"\xff" * (w * h)
    out = bytearray(b"II*\0" + struct.pack("<I", 8 + len(pixels)))
    out += pixels
    entries = 8
    ifd_size = 2 + entries * 12 + 4
    first = len(out)
    for i in range(n):
        off = first + i * ifd_size
        nxt = off + ifd_size if i + 1 < n else 0
        tags = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, 1, 8), (259, 3, 1, 1),
                (262, 3, 1, 1), (273, 4, 1, 8), (278, 4, 1, h), (279, 4, 1, len(pixels))]
        out += struct.pack("<H", entries)
        for tag, typ, cnt, val in tags:
            out += struct.pack("<HHII", tag, typ, cnt, val)
        out += struct.pack("<I", nxt)
    return bytes(out)


def bomb_docx(path, mib=100):
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
          'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                    b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            block = b" " * (1 << 20)
            for _ in range(mib):
                f.write(block)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")


def main():
    out = sys.argv[1]
    pages = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rng = random.Random(12)
    os.makedirs(os.path.join(out, "many"), exist_ok=True)
    with open(os.path.join(out, "blank.pdf"), "wb") as f:
        f.write(pdf([[] for _ in range(pages)], shared=True))
    with open(os.path.join(out, "text.pdf"), "wb") as f:
        f.write(pdf([["Page %d of the pump manual: the seals are checked." % (i + 1)]
                     for i in range(pages)]))
    with open(os.path.join(out, "frames.tif"), "wb") as f:
        f.write(tiff_frames(pages))
    bomb_docx(os.path.join(out, "bomb.docx"))
    with open(os.path.join(out, "noise.png"), "wb") as f:
        f.write(png_gray(1500, 1500, rng))
    for i in range(16):
        if i < 8:
            data, ext = png_gray(400, 400, rng), "png"
        else:
            data, ext = ("Note %d: the valve is serviced every %d days.\n" % (i, i + 3)).encode(), "txt"
        with open(os.path.join(out, "many", "%02d.%s" % (i, ext)), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
