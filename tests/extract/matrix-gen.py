#!/usr/bin/env python3
"""matrix-gen.py: the hostile files of tests/extract/matrix.test
(docs/reliability.md X2, X4, X5, X12, X15, X16, X17, X18), written for Quire.

  matrix-gen.py DIR PORT   (PORT: where the XXE payloads point)
"""
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import struct
import sys
import zipfile
import zlib

CT = ('<?xml version="1.0" encoding="UTF-8"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
      'officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def body(inner):
    return '<w:document %s><w:body>%s</w:body></w:document>' % (W, inner)


def para(t):
    return '<w:p><w:r><w:t>%s</w:t></w:r></w:p>' % t


def docx(path, document, extra=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document)
        for name, data in (extra or []):
            z.writestr(name, data)


def main(d, port):
    url = "http://127.0.0.1:%d" % port
    # X2: external entities to the network, general and parameter.
    docx(os.path.join(d, "xxe-net.docx"),
         '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "%s/general">]>' % url
         + body(para("before &x; after")))
    docx(os.path.join(d, "xxe-param.docx"),
         '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY %% p SYSTEM "%s/param"> %%p;]>' % url
         + body(para("param")))
    with open(os.path.join(d, "xxe-net.html"), "w") as f:
        f.write('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "%s/html">]>'
                '<html><body><p>a &x; b</p></body></html>' % url)
    # X4: one 50 KB entity referenced 50,000 times (quadratic blow-up).
    ent = "A" * 50000
    docx(os.path.join(d, "quadratic.docx"),
         '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "%s">]>' % ent
         + body(para("&a;" * 50000)))
    # X5: a text node over 10 MB, an element name over 50 KB, depth 300.
    docx(os.path.join(d, "bigtext.docx"), body(para("x" * (11 << 20))))
    docx(os.path.join(d, "bigname.docx"), body("<w:%s/>" % ("n" * 60000) + para("y")))
    docx(os.path.join(d, "deep.docx"),
         body("<w:sdt>" * 300 + para("deep") + "</w:sdt>" * 300))
    # X12: entry names that are paths.
    names = ["../../escape-x", "/tmp/escape-abs", "C:\\escape-win", "a\0b",
             "n" * 65000]
    path = os.path.join(d, "names.docx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", body(para("names")))
        for n in names:
            zi = zipfile.ZipInfo(n.replace("\0", "_") if n == "a\0b" else n)
            z.writestr(zi, "payload")
    # X15: ZIP64 sizes near 2^63 in the central directory.
    zip64(os.path.join(d, "zip64.docx"))
    # X16: PDF with 100,000 nested arrays.
    pdf(os.path.join(d, "nested.pdf"), b"<< /Type /Page /Parent 2 0 R /X " + b"[" * 100000
        + b"]" * 100000 + b" >>")
    # X17: a page tree whose Kids point back at itself, and an xref loop.
    pdf_cycle(os.path.join(d, "cycle.pdf"))
    # X18: a content stream of 1 GiB of zeros, deflated.
    bomb(os.path.join(d, "bomb.pdf"))


def zip64(path):
    doc = body(para("zip64")).encode()
    out = bytearray()
    entries = []
    for name, data in (("[Content_Types].xml", CT.encode()), ("_rels/.rels", RELS.encode()),
                       ("word/document.xml", doc)):
        off = len(out)
        crc = zlib.crc32(data)
        n = name.encode()
        extra = struct.pack("<HHQQ", 1, 16, (1 << 63) - 1, (1 << 63) - 1)
        out += struct.pack("<IHHHHHIIIHH", 0x04034b50, 45, 0, 0, 0, 0, crc,
                           0xffffffff, 0xffffffff, len(n), len(extra)) + n + extra + data
        entries.append((n, crc, off, extra))
    cd = len(out)
    for n, crc, off, _ in entries:
        extra = struct.pack("<HHQQQ", 1, 24, (1 << 63) - 1, (1 << 63) - 1, off)
        out += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 45, 45, 0, 0, 0, 0, crc,
                           0xffffffff, 0xffffffff, len(n), len(extra), 0, 0, 0, 0,
                           0xffffffff) + n + extra
    cdsize = len(out) - cd
    out += struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(entries), len(entries), cdsize, cd, 0)
    with open(path, "wb") as f:
        f.write(out)


def pdf_objects(path, objs, trailer_extra=b""):
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, trailer_extra, x)
    with open(path, "wb") as f:
        f.write(out)


def pdf(path, page):
    pdf_objects(path, [b"<< /Type /Catalog /Pages 2 0 R >>",
                       b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page])


def pdf_cycle(path):
    pdf_objects(path, [b"<< /Type /Catalog /Pages 2 0 R >>",
                       b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                       b"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R 2 0 R] /Count 2 >>"],
                b"/Prev 9 ")


def bomb(path):
    c = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    parts = [c.compress(chunk) for _ in range(1024)]
    data = b"".join(parts) + c.flush()
    pdf_objects(path, [b"<< /Type /Catalog /Pages 2 0 R >>",
                       b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                       b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                       b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data
                       + b"\nendstream"])


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
