#!/usr/bin/env python3
"""Writes the example site's placeholder attachments (content/van-ban/*/): tiny valid PDF and
DOCX files naming the document, so the repository stays small. Run again after adding a
document to DOCS; the files are deterministic (no dates inside)."""
import os
import sys
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "content", "van-ban")

# folder, file name, ASCII text (the PDF's standard font has no Vietnamese letters)
DOCS = [
    ("qd-1719-ttg", "qd-1719-ttg.pdf", "Quyet dinh so 1719/QD-TTg ngay 14/10/2021"),
    ("kh-3320-ubnd", "kh-3320-ubnd.pdf", "Ke hoach so 3320/KH-UBND ngay 05/10/2021"),
    ("qd-130-ubnd", "qd-130-ubnd.pdf", "Quyet dinh so 130/QD-UBND ngay 01/03/2022"),
    ("qd-245-ubnd", "qd-245-ubnd.pdf", "Quyet dinh so 245/QD-UBND ngay 18/04/2022"),
    ("cv-1520-ubnd-kgvx", "cv-1520-ubnd-kgvx.pdf", "Cong van so 1520/UBND-KGVX ngay 10/06/2022"),
    ("hd-12-bdt", "hd-12-bdt.pdf", "Huong dan so 12/HD-BDT ngay 20/02/2023"),
    ("tb-85-bdt", "tb-85-bdt.pdf", "Thong bao so 85/TB-BDT ngay 25/07/2023"),
    ("kh-210-ubnd", "kh-210-ubnd.pdf", "Ke hoach so 210/KH-UBND ngay 15/01/2024"),
    ("bc-95-bdt", "bc-95-bdt.pdf", "Bao cao so 95/BC-BDT ngay 28/06/2024"),
]
DOCX = [("cv-1520-ubnd-kgvx", "cv-1520-ubnd-kgvx.docx", "Cong van so 1520/UBND-KGVX ngay 10/06/2022")]


def pdf(text: str) -> bytes:
    stream = f"BT /F1 14 Tf 56 780 Td ({text}) Tj 0 -24 Td (Ban mau cua trang vi du bantin.) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def docx(path: str, text: str) -> None:
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>%s</w:t></w:r></w:p><w:p><w:r><w:t>Bản mẫu của trang ví dụ bantin.</w:t></w:r></w:p></w:body></w:document>' % text,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, body)


def main() -> int:
    for folder, name, text in DOCS:
        d = os.path.join(ROOT, folder)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "wb") as f:
            f.write(pdf(text))
    for folder, name, text in DOCX:
        docx(os.path.join(ROOT, folder, name), text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
