#!/usr/bin/env python3
"""Peak memory of the real server under concurrent hostile import previews.

Starts `examhall serve` on a fresh SQLite database, signs in as an admin,
sends N roster previews of one file at the same time (the CSRF token as the
form's first part) and reads the server's VmHWM from /proc. Standard library
only.

    python3 tools/upload_memory.py --binary target/debug/examhall --file cell --concurrent 4
    python3 tools/upload_memory.py --binary target/debug/examhall --file largest --concurrent 8

Files: `cell`    the review's attack, one 195 MB cell in a ~200 KB .xlsx;
       `largest` the largest .xlsx the guard accepts: 2,000,000 cells
                 (20,000 rows x 100 columns) coming to just under 16,000,000
                 characters of CJK text (435 cells of 32,000 characters from a
                 shared-string table just under 8,000,000 characters).
"""

import argparse
import http.cookiejar
import io
import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.request
import zipfile

HEAD = b'<?xml version="1.0" encoding="UTF-8"?>'
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PARTS = {
    "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": b'<workbook ' + NS + b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}


def col(n):
    name = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


def xlsx(shared, rows):
    """shared: list of bytes; rows: iterable of lists of shared-string indexes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in PARTS.items():
            z.writestr(name, HEAD + xml)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(HEAD + b"<sst " + NS + b">")
            for s in shared:
                f.write(b"<si><t>" + s + b"</t></si>")
            f.write(b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(HEAD + b"<worksheet " + NS + b"><sheetData>")
            for r, row in enumerate(rows, start=1):
                cells = b"".join(
                    b'<c r="%s%d" t="s"><v>%d</v></c>' % (col(c).encode(), r, i) for c, i in enumerate(row)
                )
                f.write(b'<row r="%d">%s</row>' % (r, cells))
            f.write(b"</sheetData></worksheet>")
    return out.getvalue()


def one_cell():
    return xlsx([b"A" * (195 << 20)], [[0]])


def largest():
    # 249 strings of 32,000 CJK characters (7,968,000) and a one-character one (index 249).
    long = ["字".encode() * 32_000] * 249
    shared = long + [b"x"]
    placed = iter(range(435))

    def rows():
        for r in range(20_000):
            row = []
            for c in range(100):
                i = next(placed, None) if r < 5 else None
                row.append(i % 249 if i is not None else 249)
            yield row

    return xlsx(shared, rows())


def vm(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) // 1024
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="target/debug/examhall")
    ap.add_argument("--file", choices=["cell", "largest"], default="cell")
    ap.add_argument("--concurrent", type=int, default=4)
    ap.add_argument("--port", type=int, default=18_931)
    ap.add_argument("--token-in-url", action="store_true",
                    help="also send ?_csrf= (what builds before commit 839d725 read; to measure them)")
    args = ap.parse_args()

    data = one_cell() if args.file == "cell" else largest()
    print(f"file: {args.file}, {len(data) / 1024:.0f} KB")
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "mem.db")
    env = dict(os.environ, DATABASE_URL=db, EXAMHALL_SESSION_KEY="ab" * 64, RUST_LOG="warn")
    subprocess.run([args.binary, "create-admin", "--username", "admin"], input=b"memtest2026\n", env=env, check=True,
                   capture_output=True)
    server = subprocess.Popen([args.binary, "serve", "--bind", f"127.0.0.1:{args.port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{args.port}"
    try:
        jar = http.cookiejar.CookieJar()
        web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(100):
            try:
                page = web.open(base + "/login").read().decode()
                break
            except OSError:
                time.sleep(0.1)
        token = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page).group(1)
        form = f"username=admin&password=memtest2026&next=/&csrf_token={token}".encode()
        web.open(base + "/login", form)
        page = web.open(base + "/admin/roster").read().decode()
        token = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page).group(1)
        idle = vm(server.pid, "VmRSS")

        boundary = "----memtest"
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n'
                f'Content-Type: application/octet-stream\r\n\r\n').encode() + data + f"\r\n--{boundary}--\r\n".encode()
        results = []

        def send():
            url = base + "/admin/roster/preview" + (f"?_csrf={token}" if args.token_in_url else "")
            req = urllib.request.Request(url, body,
                                         {"Content-Type": f"multipart/form-data; boundary={boundary}"})
            started = time.time()
            try:
                res = web.open(req, timeout=600)
                status, text = res.status, res.read().decode()
            except urllib.error.HTTPError as e:
                status, text = e.code, e.read().decode()
            message = re.search(r'class="(?:flash |alert |error)[^"]*"[^>]*>([^<]+)<', text)
            results.append((status, round(time.time() - started, 1), message.group(1).strip() if message else ""))

        threads = [threading.Thread(target=send) for _ in range(args.concurrent)]
        started = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(f"{args.concurrent} concurrent previews in {time.time() - started:.1f} s")
        for r in results:
            print("  ", r)
        print(f"server RSS idle {idle} MB, peak (VmHWM) {vm(server.pid, 'VmHWM')} MB")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
