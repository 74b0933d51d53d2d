#!/usr/bin/env python3
"""tests/bench/lodiff.py: differential check of the legacy Office and RTF
readers against LibreOffice (make bench-lodiff; skips when soffice is absent).
SPDX-License-Identifier: GPL-3.0-or-later

Writes varied flat ODF documents of its own (seeded, so each seed gives new
ones: tables, lists, headers and footers, footnotes and endnotes, comments,
text boxes, many sheets, hidden sheets, large shared-string tables, notes
pages, grouped shapes, Greek, Cyrillic, CJK, Arabic and Hebrew), has
LibreOffice save them as DOC (Word 97), RTF, XLS (Excel 97; LibreOffice 7
writes no Excel 95) and PPT, then compares the words quire-extract reads from each file
with the words LibreOffice itself reads back from it (its text and CSV
export, or the text of the presentation it reopens), and with the words
written into the source.  Prints per format the files read, the word-set
recall against both, and for each file below 100% the words missed.

usage: lodiff.py [--seed N] [--count N] [--keep DIR] [--only FMT,...]
  environment: QX (quire-extract), QUIRE_PLUGIN_DIR (the built plugins)."""
import argparse
import glob
import html
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

WORDS = {
    "latin": "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima "
             "mike november oscar papa quebec romeo sierra tango uniform victor whiskey "
             "xray yankee zulu garden river mountain quietly library orange window "
             "Zürich façade naïve crème Ærøskøbing Łódź".split(),
    "greek": "αλφα βήτα γάμμα δέλτα έψιλον ζήτα ήτα θήτα ιώτα κάππα λάμδα μι νι ξι "
             "όμικρον πι ρο σίγμα ταυ ύψιλον φι χι ψι ωμέγα θάλασσα ουρανός".split(),
    "cyrillic": "привет мир книга город река солнце дерево окно звезда ветер "
                "молоко хлеб дорога школа учитель Щука Ёлка".split(),
    "cjk": "日本語 東京 大阪 学校 先生 中文 北京 上海 漢字 한국어 서울 부산 "
           "ひらがな カタカナ 電話 図書館".split(),
    "arabic": "مرحبا كتاب مدينة شمس بحر قمر مدرسة".split(),
    "hebrew": "שלום ספר עיר שמש ים ירח בית".split(),
}
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "of": "urn:oasis:names:tc:opendocument:xmlns:of:1.2",
}
XMLNS = " ".join('xmlns:%s="%s"' % kv for kv in NS.items())


class Gen:
    def __init__(self, rnd):
        self.r = rnd
        self.used = []   # every word written

    def word(self, scripts):
        w = self.r.choice(WORDS[self.r.choice(scripts)])
        self.used.append(w)
        return w

    def text(self, n, scripts=("latin",)):
        return html.escape(" ".join(self.word(scripts) for _ in range(n)))

    def scripts(self):
        extra = self.r.sample(["greek", "cyrillic", "cjk", "arabic", "hebrew"],
                              self.r.randint(0, 2))
        return ["latin"] + extra


# numbered lists: "1." / "a)" / "i." and "I." / "A." / "1)" by level
LIST_STYLES = "".join(
    '<text:list-style style:name="%s">%s</text:list-style>' % (name, "".join(
        '<text:list-level-style-number text:level="%d" style:num-format="%s" '
        'style:num-suffix="%s"/>' % (i + 1, f, x) for i, (f, x) in enumerate(levels)))
    for name, levels in (("LN", (("1", "."), ("a", ")"), ("i", "."))),
                         ("LA", (("I", "."), ("A", "."), ("1", ")")))))


def fodt(g):
    """A Writer document mixing the constructs named in the module doc."""
    r, sc = g.r, g.scripts()
    body, styles = [], []
    header = footer = ""
    if r.random() < 0.6:
        header = "<style:header><text:p>%s</text:p></style:header>" % g.text(3, sc)
    if r.random() < 0.6:
        footer = "<style:footer><text:p>%s</text:p></style:footer>" % g.text(3, sc)
    for k in range(r.randint(4, 12)):
        c = r.random()
        if c < 0.15:
            body.append('<text:h text:outline-level="%d">%s</text:h>'
                        % (r.randint(1, 3), g.text(r.randint(1, 4), sc)))
        elif c < 0.3:
            def items(depth):
                out = []
                for _ in range(r.randint(1, 4)):
                    sub = ("<text:list>%s</text:list>" % items(depth + 1)
                           if depth < 2 and r.random() < 0.4 else "")
                    out.append("<text:list-item><text:p>%s</text:p>%s</text:list-item>"
                               % (g.text(r.randint(2, 6), sc), sub))
                return "".join(out)
            style = r.choice(["", ' text:style-name="LN"', ' text:style-name="LA"'])
            body.append("<text:list%s>%s</text:list>" % (style, items(0)))
        elif c < 0.42:
            rows = "".join("<table:table-row>%s</table:table-row>" % "".join(
                "<table:table-cell office:value-type=\"string\"><text:p>%s</text:p>"
                "</table:table-cell>" % g.text(r.randint(1, 3), sc) for _ in range(3))
                for _ in range(r.randint(1, 4)))
            body.append('<table:table table:name="T%d"><table:table-column '
                        'table:number-columns-repeated="3"/>%s</table:table>' % (k, rows))
        elif c < 0.52:
            body.append('<text:p>%s<text:note text:note-class="%s"><text:note-citation>1'
                        '</text:note-citation><text:note-body><text:p>%s</text:p>'
                        '</text:note-body></text:note> %s</text:p>'
                        % (g.text(3, sc), r.choice(["footnote", "endnote"]),
                           g.text(4, sc), g.text(2, sc)))
        elif c < 0.6:
            body.append('<text:p>%s<office:annotation><dc:creator>quire</dc:creator>'
                        '<text:p>%s</text:p></office:annotation> %s</text:p>'
                        % (g.text(3, sc), g.text(3, sc), g.text(3, sc)))
        elif c < 0.68:
            body.append('<text:p>%s<draw:frame text:anchor-type="paragraph" '
                        'svg:width="6cm" svg:height="2cm"><draw:text-box><text:p>%s'
                        '</text:p></draw:text-box></draw:frame></text:p>'
                        % (g.text(2, sc), g.text(4, sc)))
        elif c < 0.74:
            body.append('<text:p>%s <text:a xlink:type="simple" xlink:href="http://'
                        'example.org/">%s</text:a> %s</text:p>'
                        % (g.text(2, sc), g.text(2, sc), g.text(2, sc)))
        elif c < 0.8:
            body.append('<text:p>%s <text:span text:style-name="T1">%s</text:span> %s'
                        '<text:line-break/>%s<text:tab/>%s</text:p>'
                        % (g.text(2, sc), g.text(2, sc), g.text(2, sc), g.text(2, sc),
                           g.text(1, sc)))
        elif c < 0.84:
            body.append('<text:section text:name="S%d"><text:p>%s</text:p></text:section>'
                        % (k, g.text(6, sc)))
        elif c < 0.87:   # a list and a nested table in cells
            inner = ('<table:table table:name="N%d"><table:table-column table:number-columns-'
                     'repeated="2"/><table:table-row><table:table-cell><text:p>%s</text:p>'
                     '</table:table-cell><table:table-cell><text:p>%s</text:p></table:table-cell>'
                     '</table:table-row></table:table>' % (k, g.text(2, sc), g.text(2, sc)))
            body.append('<table:table table:name="T%d"><table:table-column table:number-'
                        'columns-repeated="2"/><table:table-row><table:table-cell><text:list '
                        'text:style-name="LN"><text:list-item><text:p>%s</text:p></text:list-item>'
                        '<text:list-item><text:p>%s</text:p></text:list-item></text:list>'
                        '</table:table-cell><table:table-cell>%s</table:table-cell></table:table-row>'
                        '</table:table>' % (k, g.text(2, sc), g.text(2, sc), inner))
        elif c < 0.9:   # a page break before a paragraph, a table of contents
            body.append('<text:p text:style-name="PB">%s</text:p>' % g.text(4, sc))
            if r.random() < 0.5:
                body.append('<text:table-of-content text:name="TOC%d"><text:table-of-content-source '
                            'text:outline-level="3"/><text:index-body><text:p>%s</text:p>'
                            '</text:index-body></text:table-of-content>' % (k, g.text(2, sc)))
        elif c < 0.92:   # a long paragraph (several KiB)
            body.append("<text:p>%s</text:p>" % g.text(r.randint(600, 2500), sc))
        else:
            body.append("<text:p>%s</text:p>" % g.text(r.randint(5, 60), sc))
    return ('<?xml version="1.0" encoding="UTF-8"?><office:document %s office:version="1.2" '
            'office:mimetype="application/vnd.oasis.opendocument.text">'
            '<office:automatic-styles><style:page-layout style:name="pm1"/>%s'
            '<style:style style:name="PB" style:family="paragraph"><style:paragraph-properties '
            'fo:break-before="page"/></style:style></office:automatic-styles><office:master-styles><style:master-page '
            'style:name="Standard" style:page-layout-name="pm1">%s%s</style:master-page>'
            '</office:master-styles><office:body><office:text>%s</office:text>'
            '</office:body></office:document>' % (XMLNS, LIST_STYLES, header, footer, "".join(body)))


def fods(g):
    """A Calc workbook: several sheets (one maybe hidden), strings, numbers,
    booleans, comments, rich text, many unique strings; the page header and footer."""
    r, sc = g.r, g.scripts()
    sheets = []
    hidden = r.random() < 0.3
    nsheets = r.randint(1, 5)
    for s in range(nsheets):
        rows = []
        nrows = r.choice([5, 20, 60, 400 if r.random() < 0.3 else 30])
        for i in range(nrows):
            cells = []
            for j in range(r.randint(1, 6)):
                c = r.random()
                if c < 0.55:
                    cells.append('<table:table-cell office:value-type="string"><text:p>%s'
                                 '</text:p></table:table-cell>' % g.text(r.randint(1, 4), sc))
                elif c < 0.75:
                    v = r.choice([r.randint(-1000, 100000), round(r.uniform(-1e4, 1e4), 2)])
                    cells.append('<table:table-cell office:value-type="float" '
                                 'office:value="%s"><text:p>%s</text:p></table:table-cell>'
                                 % (v, v))
                elif c < 0.8:
                    cells.append('<table:table-cell office:value-type="boolean" '
                                 'office:boolean-value="true"><text:p>TRUE</text:p>'
                                 '</table:table-cell>')
                elif c < 0.87:
                    # no formulas: LibreOffice 7.4 stores a string formula it
                    # has not calculated with the cached result 0 (a reader
                    # shows 0, LibreOffice calculates it again)
                    cells.append('<table:table-cell office:value-type="string"><text:p>%s'
                                 '</text:p></table:table-cell>' % g.text(6, sc))
                elif c < 0.92:
                    cells.append('<table:table-cell office:value-type="string"><office:'
                                 'annotation><dc:creator>q</dc:creator><text:p>%s</text:p>'
                                 '</office:annotation><text:p>%s</text:p></table:table-cell>'
                                 % (g.text(3, sc), g.text(1, sc)))
                elif c < 0.88:   # a long string: split across CONTINUE records
                    cells.append('<table:table-cell office:value-type="string"><text:p>%s'
                                 '</text:p></table:table-cell>' % g.text(r.randint(60, 1500), sc))
                elif c < 0.95:
                    cells.append('<table:table-cell office:value-type="string"><text:p>%s '
                                 '<text:span text:style-name="T1">%s</text:span></text:p><text:p>'
                                 '%s</text:p></table:table-cell>'
                                 % (g.text(1, sc), g.text(1, sc), g.text(2, sc)))
                else:
                    cells.append("<table:table-cell/>")
            rows.append("<table:table-row>%s</table:table-row>" % "".join(cells))
        style = ' table:style-name="hid"' if hidden and s == nsheets - 1 and s else ""
        sheets.append('<table:table table:name="%s"%s>%s</table:table>'
                      % ("S%d %s" % (s, g.text(1, sc)), style, "".join(rows)))
        g.used.append("S%d" % s)
    return ('<?xml version="1.0" encoding="UTF-8"?><office:document %s office:version="1.2" '
            'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
            '<office:automatic-styles><style:style style:name="hid" style:family="table">'
            '<style:table-properties table:display="false"/></style:style>'
            '<style:page-layout style:name="pm1"/></office:automatic-styles>'
            '<office:master-styles><style:master-page style:name="Default" '
            'style:page-layout-name="pm1"><style:header><style:region-left><text:p>%s'
            '</text:p></style:region-left></style:header><style:footer><text:p>%s</text:p>'
            '</style:footer></style:master-page></office:master-styles>'
            '<office:body><office:spreadsheet>%s'
            '</office:spreadsheet></office:body></office:document>'
            % (XMLNS, g.text(2, sc), g.text(2, sc), "".join(sheets)))


def fodp(g):
    """An Impress presentation: titles, outlines, text boxes, a table, a
    group, notes."""
    r, sc = g.r, g.scripts()
    pages = []
    for p in range(r.randint(1, 6)):
        shapes = ['<draw:frame presentation:class="title" svg:x="1cm" svg:y="1cm" '
                  'svg:width="20cm" svg:height="3cm"><draw:text-box><text:p>%s</text:p>'
                  '</draw:text-box></draw:frame>' % g.text(r.randint(1, 4), sc)]
        if r.random() < 0.7:
            items = "".join("<text:list-item><text:p>%s</text:p></text:list-item>"
                            % g.text(r.randint(2, 6), sc) for _ in range(r.randint(1, 4)))
            shapes.append('<draw:frame presentation:class="outline" svg:x="1cm" '
                          'svg:y="5cm" svg:width="20cm" svg:height="10cm"><draw:text-box>'
                          '<text:list>%s</text:list></draw:text-box></draw:frame>' % items)
        if r.random() < 0.4:
            shapes.append('<draw:frame svg:x="2cm" svg:y="16cm" svg:width="10cm" '
                          'svg:height="2cm"><draw:text-box><text:p>%s</text:p>'
                          '</draw:text-box></draw:frame>' % g.text(3, sc))
        if r.random() < 0.3:
            shapes.append('<draw:g><draw:rect svg:x="1cm" svg:y="1cm" svg:width="3cm" '
                          'svg:height="2cm"><text:p>%s</text:p></draw:rect><draw:ellipse '
                          'svg:x="5cm" svg:y="1cm" svg:width="3cm" svg:height="2cm">'
                          '<text:p>%s</text:p></draw:ellipse></draw:g>'
                          % (g.text(2, sc), g.text(2, sc)))
        if r.random() < 0.25:
            rows = "".join("<table:table-row>%s</table:table-row>" % "".join(
                "<table:table-cell><text:p>%s</text:p></table:table-cell>" % g.text(1, sc)
                for _ in range(2)) for _ in range(2))
            shapes.append('<draw:frame svg:x="1cm" svg:y="8cm" svg:width="10cm" '
                          'svg:height="4cm"><table:table><table:table-column '
                          'table:number-columns-repeated="2"/>%s</table:table></draw:frame>'
                          % rows)
        notes = ""
        if r.random() < 0.5:
            notes = ('<presentation:notes><draw:frame presentation:class="notes" '
                     'svg:x="1cm" svg:y="1cm" svg:width="15cm" svg:height="10cm">'
                     '<draw:text-box><text:p>%s</text:p></draw:text-box></draw:frame>'
                     '</presentation:notes>' % g.text(5, sc))
        pages.append('<draw:page draw:name="p%d" draw:master-page-name="Default">%s%s'
                     '</draw:page>' % (p, "".join(shapes), notes))
    return ('<?xml version="1.0" encoding="UTF-8"?><office:document %s office:version="1.2" '
            'office:mimetype="application/vnd.oasis.opendocument.presentation">'
            '<office:master-styles><style:master-page style:name="Default"/>'
            '</office:master-styles><office:body><office:presentation>%s'
            '</office:presentation></office:body></office:document>'
            % (XMLNS, "".join(pages)))


CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def words(s):
    out = set()
    for w in re.findall(r"\w+", s.lower()):
        if w.isdigit() or re.fullmatch(r"[\d_]+", w):
            continue   # numbers are formatted differently by each reader
        if CJK.search(w):
            out.update(c for c in w if CJK.match(c))
        else:
            out.add(w)
    return out


def soffice(args, cwd, timeout=600):
    subprocess.run(["soffice", "--headless", "--norestore",
                    "-env:UserInstallation=file://%s/lo-profile" % cwd] + args,
                   cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=timeout, check=False)


def odf_text(path):
    """The text of a flat ODF file's body, headers and footers (what
    LibreOffice read back), not its settings or metadata."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError):
        return ""
    keep = ("{%s}body" % NS["office"], "{%s}header" % NS["style"],
            "{%s}footer" % NS["style"])
    out = []
    for part in root.iter():
        if part.tag in keep:
            out.extend(t for e in part.iter() for t in (e.text, e.tail) if t
                       if not e.tag.endswith("}binary-data"))
    return " ".join(out)


def reference(fmt, path, work):
    """The words LibreOffice reads from the legacy file."""
    base = os.path.splitext(os.path.basename(path))[0]
    out = os.path.join(work, "ref")
    if fmt in ("doc", "rtf"):
        p = os.path.join(out, base + ".txt")
    elif fmt in ("xls", "xls95"):
        p = os.path.join(out, base + ".fods")
    else:
        p = os.path.join(out, base + ".fodp")
    if not os.path.exists(p):
        return None
    if p.endswith(".txt"):
        return open(p, encoding="utf-8", errors="replace").read()
    return odf_text(p)


def quire(path, qx):
    try:
        p = subprocess.run([qx, "--text", path], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, timeout=60, check=False)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    return p.stdout.decode("utf-8", "replace"), p.returncode


FORMATS = {   # fmt: (source kind, LibreOffice filter, extension, reference conversion)
    "doc": ("fodt", "doc:MS Word 97", "doc", "txt:Text (encoded):UTF8"),
    "rtf": ("fodt", "rtf:Rich Text Format", "rtf", "txt:Text (encoded):UTF8"),
    "xls": ("fods", "xls:MS Excel 97", "xls", "fods"),
    "ppt": ("fodp", "ppt:MS PowerPoint 97", "ppt", "fodp"),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--count", type=int, default=12)
    ap.add_argument("--keep")
    ap.add_argument("--only", default=",".join(FORMATS))
    ap.add_argument("files", nargs="*", help="legacy files to compare as they are")
    a = ap.parse_args()
    qx = os.environ.get("QX", "extract/quire-extract")
    if not shutil.which("soffice"):
        print("lodiff: soffice not found, skipped")
        return 0
    work = a.keep or tempfile.mkdtemp(prefix="quire-lodiff.")
    os.makedirs(work, exist_ok=True)
    rnd = random.Random(a.seed)
    gens = {"fodt": fodt, "fods": fods, "fodp": fodp}
    only = a.only.split(",")
    source_words = {}
    made = {}   # fmt -> [paths]
    for kind in ("fodt", "fods", "fodp"):
        fmts = [f for f in only if FORMATS[f][0] == kind]
        if not fmts or a.count <= 0:
            continue
        src = os.path.join(work, "src-" + kind)
        os.makedirs(src, exist_ok=True)
        for i in range(a.count):
            g = Gen(rnd)
            name = "%s%03d" % (kind[-1], i)
            with open(os.path.join(src, name + "." + kind), "w", encoding="utf-8") as f:
                f.write(gens[kind](g))
            source_words[name] = words(" ".join(g.used))
        for fmt in fmts:
            out = os.path.join(work, fmt)
            os.makedirs(out, exist_ok=True)
            soffice(["--convert-to", FORMATS[fmt][1], "--outdir", out] +
                    sorted(glob.glob(os.path.join(src, "*." + kind))), work)
            made[fmt] = sorted(glob.glob(os.path.join(out, "*." + FORMATS[fmt][2])))
    for f in a.files:
        ext = os.path.splitext(f)[1].lower().lstrip(".")
        made.setdefault(ext, []).append(os.path.abspath(f))
    status = 0
    for fmt, paths in made.items():
        if not paths:
            continue
        ref = os.path.join(work, "ref")
        os.makedirs(ref, exist_ok=True)
        conv = FORMATS.get(fmt, FORMATS["doc"])[3]
        soffice(["--convert-to", conv, "--outdir", ref] + paths, work)
        tot_ref = hit_ref = tot_src = hit_src = ok = tot_got = tot_extra = 0
        report = []
        for p in paths:
            base = os.path.splitext(os.path.basename(p))[0]
            text, rc = quire(p, qx)
            got = words(text or "")
            ref_text = reference(fmt, p, work)
            rw = words(ref_text) if ref_text is not None else set()
            sw = source_words.get(base, set())
            # a note's citation ("river1", "echoi") glued to a word in
            # LibreOffice's text export
            miss_r = {w for w in rw - got if re.sub(r"(\d+|[ivx]+)$", "", w) not in got}
            miss_s = sw - got
            extra = got - rw - sw
            tot_got += len(got)
            tot_extra += len(extra)
            tot_ref += len(rw)
            hit_ref += len(rw) - len(miss_r)
            tot_src += len(sw)
            hit_src += len(sw) - len(miss_s)
            if rc == 0 and not miss_r and not miss_s:
                ok += 1
            else:
                report.append("  %s rc=%s missed (LibreOffice) %s (source) %s" % (
                    os.path.basename(p), rc, " ".join(sorted(miss_r)[:12]),
                    " ".join(sorted(miss_s)[:12])))
            if extra and os.environ.get("LODIFF_EXTRA"):
                report.append("  %s words of neither: %s" % (os.path.basename(p),
                                                              " ".join(sorted(extra)[:12])))
        print("%-6s files %3d  all words %3d  recall vs LibreOffice %6.2f%%  vs source %6.2f%%"
              "  words of neither %5.2f%%"
              % (fmt, len(paths), ok, 100.0 * hit_ref / max(tot_ref, 1),
                 100.0 * hit_src / max(tot_src, 1) if tot_src else 100.0,
                 100.0 * tot_extra / max(tot_got, 1)))
        for line in report:
            print(line)
        if report:
            status = 1
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
