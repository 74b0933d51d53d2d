#!/usr/bin/env python3
"""journey-files.py OUTDIR: the files of the journey matrix (journey.test):
a three-page PDF and two DOCX with headings (one with a page footer) written by the fixture
generators (tests/fixtures/pdf/gen.py, tests/fixtures/ooxml/gen.py), and
copies of the PPTX, XLSX, HTML and scanned PNG fixtures. Prints one line
per file: name, question, expected page ("-": any), expected section
("-": any), a word of the answer, tab-separated."""
# SPDX-License-Identifier: GPL-3.0-or-later
import importlib.util, os, shutil, sys

here = os.path.dirname(os.path.abspath(__file__))
fx = os.path.join(here, '..', 'fixtures')


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


out = sys.argv[1]
pdfgen = load('pdfgen', os.path.join(fx, 'pdf', 'gen.py'))
ooxml = load('ooxmlgen', os.path.join(fx, 'ooxml', 'gen.py'))
with open(os.path.join(out, 'manual.pdf'), 'wb') as f:
    f.write(pdfgen.pdf([
        ['Plant maintenance manual', '', 'This manual covers the pumps of the north plant.'],
        ['Valves', '', 'The Halvorsen pressure valve must be recalibrated every ninety days',
         'by the site engineer on duty.'],
        ['Appendix', '', 'Contact the supplier for spare parts.']]))
p = ooxml.p
ooxml.write(os.path.join(out, 'safety.docx'), ooxml.docx_parts(
    p('Warehouse Rules', 'Title') + p('Safety Procedures', 'Heading1') +
    p('Forklift drivers must wear orange helmets inside the Corvina warehouse.') +
    p('Opening Hours', 'Heading1') + p('The warehouse opens at six in the morning.')))
# the same with a page footer, read after the body (journey.test's last check)
ooxml.write(os.path.join(out, 'footer.docx'), ooxml.docx_parts(
    p('Warehouse Rules', 'Title') + p('Opening Hours', 'Heading1') +
    p('The warehouse opens at six in the morning.'),
    extra=[('word/footer1.xml', '<w:ftr %s>%s</w:ftr>' % (ooxml.W, p(
        'Emergency exits are inspected by the Corvina fire marshal every Friday.')))],
    doc_rels=[('rId9', 'footer', 'footer1.xml', False)]))
for src, name in (('ooxml/testPPT_various.pptx', 'slides.pptx'),
                  ('ooxml/testEXCEL.xlsx', 'squares.xlsx'),
                  ('html/doc.html', 'page.html'), ('ocr/page.png', 'scan.png')):
    shutil.copyfile(os.path.join(fx, src), os.path.join(out, name))
rows = [
    ('manual.pdf', 'How often must the Halvorsen pressure valve be recalibrated?', '2', '-', 'ninety'),
    ('safety.docx', 'What must forklift drivers wear in the Corvina warehouse?', '-', 'Safety Procedures', 'helmets'),
    ('slides.pptx', 'What is the caption for Figure 1?', '1', '-', 'caption'),
    ('squares.xlsx', 'Sample Excel Worksheet of numbers and their squares', '1', 'Feuil1', 'Squares'),
    ('page.html', 'Which paragraph has bold, italic and a link, with café and crème?', '-', 'Main heading', 'crème'),
    ('scan.png', 'When was the pump replaced?', '1', '-', 'March'),
]
for r in rows:
    print('\t'.join(r))
