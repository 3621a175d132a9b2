#!/usr/bin/env python3
"""Writes the Word samples of question_bank/samples/ (26–32) as Word itself
lays a .docx out: paragraphs and runs in word/document.xml, automatic list
numbers in word/numbering.xml, pictures in word/media. Run from the repo root:
    python3 tools/make_docx_samples.py
The expected questions are in the hand-written .expect files beside them."""
import struct, zlib, zipfile
from xml.sax.saxutils import escape

OUT = "question_bank/samples/"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'

def run(text, bold=False, color=None, highlight=None):
    props = ""
    if bold: props += "<w:b/>"
    if color: props += f'<w:color w:val="{color}"/>'
    if highlight: props += f'<w:highlight w:val="{highlight}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'

def para(*runs, num=None):
    ppr = ""
    if num is not None:
        num_id, level = num
        ppr = f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
    body = "".join(r if r.startswith("<") else run(r) for r in runs)
    return f"<w:p>{ppr}{body}</w:p>"

def picture(rid):
    return (f'<w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/><wp:docPr id="1" name="图片"/>'
            f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
            f'</wp:inline></w:drawing></w:r>')

def table(rows):
    out = "<w:tbl>"
    for row in rows:
        out += "<w:tr>" + "".join(f"<w:tc>{para(c)}</w:tc>" for c in row) + "</w:tr>"
    return out + "</w:tbl>"

def png(rgb):
    """A 4×4 PNG of one colour."""
    raw = b"".join(b"\x00" + bytes(rgb) * 4 for _ in range(4))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

NUMBERING = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering %s>
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%%2."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%%1、"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%%1）"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
</w:numbering>""" % W

def docx(name, paragraphs, images=()):
    rels = "".join(f'<Relationship Id="rIdImg{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image{i}.png"/>' for i in range(len(images)))
    with zipfile.ZipFile(OUT + name, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/_rels/document.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdNum" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>' + rels + '</Relationships>')
        z.writestr("word/numbering.xml", NUMBERING)
        for i, data in enumerate(images):
            z.writestr(f"word/media/image{i}.png", data)
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{"".join(paragraphs)}<w:sectPr/></w:body></w:document>')

def q(n=None):
    return (1, 0) if n is None else n

docx("26-word-basic.docx", [
    para(run("营业厅业务知识测试", bold=True)),
    para("1. 客户办理补卡须本人持有效证件到营业厅办理。"),
    para("答案：对"),
    para("2. 5G套餐用户可以办理副卡。"),
    para("答案：对"),
    para("3. 以下属于实名登记有效证件的是（ ）。"),
    para("A. 居民身份证"), para("B. 工作证"), para("C. 学生证"),
    para("答案：A"),
    para("4．4G用户升级5G套餐须更换号码。（×）"),
])

docx("27-word-auto-numbering.docx", [
    para(run("一、单项选择题", bold=True)),
    para("客户办理携号转网，须先获取（ ）。", num=(1, 0)),
    para("授权码", num=(1, 1)), para("服务密码", num=(1, 1)), para("发票", num=(1, 1)),
    para("答案：A"),
    para("5G消息的英文缩写是（ ）。", num=(1, 0)),
    para("RCS", num=(1, 1)), para("SMS", num=(1, 1)),
    para("答案：A"),
    para("10086热线的服务时间是（ ）。", num=(1, 0)),
    para("7×24小时", num=(1, 1)), para("工作日", num=(1, 1)),
    para("答案：A"),
    para(run("二、判断题", bold=True)),
    para("营业员可以代客户签字。", num=(4, 0)),
    para("答案：错"),
    para("营业厅应公示服务监督电话。", num=(4, 0)),
    para("答案：对"),
])

docx("28-word-marked-answers.docx", [
    para("1. 客户办理停机保号的最长期限一般为（ ）。"),
    para("A. 1个月"), para("B. 3个月"), para(run("C. "), run("6个月", bold=True)), para("D. 12个月"),
    para("2. 以下属于营业厅服务禁语的有（ ）。"),
    para(run("A. "), run("不知道", color="FF0000")), para(run("B. "), run("这不归我管", color="C00000")), para("C. 请稍等"),
    para("3. 营业厅叫号系统故障时应（ ）。"),
    para("A. 暂停营业"), para(run("B. "), run("启用人工排号", highlight="yellow")), para("C. 让客户自行排队"),
])

docx("29-word-question-table.docx", [
    para("营业厅题库（表格版）"),
    table([
        ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析"],
        ["单选", "客户投诉的处理时限一般为（ ）。", "24小时", "48小时", "72小时", "一周", "B", "按客服部规定"],
        ["多选", "营业厅应公示的信息有（ ）。", "资费标准", "服务承诺", "营业时间", "员工住址", "ABC", ""],
        ["判断", "营业员可以透露客户的通话记录。", "", "", "", "", "错", ""],
    ]),
])

docx("30-word-options-table.docx", [
    para("1. 以下哪项是宽带提速的办理渠道？"),
    table([["A. 营业厅", "B. 快递员"], ["C. 物业", "D. 邻居"]]),
    para("答案：A"),
    para("2. 营业员接待客户时应起身相迎。"),
    para("答案：√"),
])

docx("31-word-images.docx", [
    para("1. 下图所示的是哪种SIM卡？"),
    para(picture("rIdImg0")),
    para("A. 标准卡"), para("B. Micro卡"), para("C. Nano卡"),
    para("答案：C"),
    para("2. 下图中的标识表示该营业厅提供（ ）服务。", picture("rIdImg1")),
    para("A. 无障碍"), para("B. 外币兑换"),
    para("答案：A"),
    para("3. 营业厅可以拒绝残障客户办理业务。"),
    para("答案：错"),
], images=[png((200, 30, 30)), png((30, 30, 200))])

with open(OUT + "32-word-legacy.doc", "wb") as f:
    f.write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\x00" * 504)
