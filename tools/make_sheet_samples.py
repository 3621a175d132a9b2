#!/usr/bin/env python3
"""Writes the spreadsheet samples of question_bank/samples/ (40–45): .xlsx as
Excel lays one out (shared strings, numbers as numbers, a merged title row)
and .csv in UTF-8 and in GBK, as Excel in China saves it. Run from the repo
root:
    python3 tools/make_sheet_samples.py
The expected questions are in the hand-written .expect files beside them."""
import csv
import io
import zipfile
from xml.sax.saxutils import escape

OUT = "question_bank/samples/"
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def column(c):
    name = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        name = chr(65 + r) + name
    return name


def xlsx(path, rows, merge=None):
    """rows: lists of cells, str (a shared string), int (a number) or None/"" (empty)."""
    strings, index = [], {}
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{column(c)}{r}"
            if value is None or value == "":
                continue
            if isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                if value not in index:
                    index[value] = len(strings)
                    strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{index[value]}</v></c>')
        if cells:
            sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    merged = f'<mergeCells count="1"><mergeCell ref="{merge}"/></mergeCells>' if merge else ""
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {MAIN} {REL}>'
             f'<sheetData>{"".join(sheet_rows)}</sheetData>{merged}</worksheet>')
    shared = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              f'<sst {MAIN} count="{len(strings)}" uniqueCount="{len(strings)}">'
              + "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings) + "</sst>")
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {MAIN} {REL}>'
        '<sheets><sheet name="题目" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
    }
    with zipfile.ZipFile(OUT + path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


def csv_file(path, rows, encoding="utf-8"):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    with open(OUT + path, "wb") as f:
        f.write(buf.getvalue().encode(encoding))


# 40: a title row and a note above the header (the header is on row 4), aliases of the template's names.
xlsx("40-sheet-title-row.xlsx", [
    ["2026年12月营业厅业务知识月考题库"],
    ["说明：题型可填单选、多选、判断、填空、简答；答案填选项字母。"],
    [],
    ["题型", "题目", "选项A", "选项B", "选项C", "选项D", "正确答案", "解析", "分值"],
    ["单选", "客户办理补卡业务，须出示的证件是？", "本人有效身份证件", "户口簿复印件", "工作证", "", "A", "补卡须本人持有效证件办理。", 1],
    ["多选", "以下属于电子渠道的有：", "手机营业厅APP", "网上营业厅", "自有营业厅", "微信公众号", "ABD", "", 2],
    ["判断", "客户号码欠费时可以办理携号转网。", "", "", "", "", "错误", "", 1],
    ["填空", "携号转网授权码的有效期为（  ）天。", "", "", "", "", "(120)", "", 1],
    ["简答", "请简述首问负责制的要求。", "", "", "", "", "第一位接待客户的员工负责到底。", "", 5],
    ["单选", "这道题的答案不在选项中", "甲", "乙", "", "", "C", "", 1],
], merge="A1:I1")

# 41: other platforms' column names, 不定项 and 是非题, and columns examhall does not read (备注, 出题人).
xlsx("41-sheet-aliases-unknown-columns.xlsx", [
    ["序号", "试题内容", "试题类型", "选项1", "选项2", "选项3", "选项4", "标准答案", "答案解析", "考点", "难易程度", "章节", "备注", "出题人"],
    [1, "营业厅受理实名登记时，必须进行的是？", "单项选择题", "人证比对", "客户签字", "录音", "拍照", "A", "", "实名制", "易", "营业厅/实名", "", "张三"],
    [2, "办理宽带移机时应核实的信息包括：", "不定项", "新地址资源", "机主身份", "欠费情况", "", "ABC", "", "", "中", "", "已核对", "李四"],
    [3, "客户投诉处理的首要原则是先处理心情，再处理事情。", "是非题", "", "", "", "", "对", "", "", "", "", "", ""],
    [4, "副卡可以单独办理销户。", "判断题", "", "", "", "", "×", "", "", "", "", "", ""],
    [5, "下列哪项属于5G套餐权益？", "不定项", "视频会员", "流量", "", "", "B", "", "", "", "", "", ""],
    [6, "未知题型的题", "连线题", "甲", "乙", "", "", "A", "", "", "", "", "", ""],
])

# 42: yf-exam's sheet, one row per option, below a title row.
xlsx("42-sheet-per-option.xlsx", [
    ["题库导入模板（一行一个选项，同一题的题目序号相同）"],
    ["题目序号", "题目类型", "题目内容", "整体解析", "是否正确项", "选项内容"],
    [1, 1, "携号转网前，客户应先获取什么？", "凭授权码办理。", 1, "授权码"],
    [1, 1, "", "", 0, "验证码"],
    [1, 1, "", "", 0, "服务密码"],
    [2, 2, "以下哪些证件可用于个人实名登记？", "", 1, "居民身份证"],
    [2, 2, "", "", 1, "临时居民身份证"],
    [2, 2, "", "", 0, "学生证"],
    [3, 3, "客户号码欠费时可以办理携号转网。", "", 0, "正确"],
    [3, 3, "", "", 1, "错误"],
    [4, 4, "请简述首问负责制。", "", "", ""],
], merge="A1:F1")

# 43: English headers and type codes, as exported by English-language platforms.
csv_file("43-sheet-english.csv", [
    ["Question", "Type", "Option A", "Option B", "Option C", "Option D", "Answer", "Explanation", "Score", "Difficulty"],
    ["Which channel is an e-channel?", "single", "Mobile app", "Business hall", "", "", "a", "", "1", "2"],
    ["Which documents are valid for real-name registration?", "multiple", "ID card", "Temporary ID card", "Student card", "", "A,B", "", "2", "3"],
    ["A customer in arrears can switch carriers.", "tf", "", "", "", "", "F", "", "1", ""],
    ["The authorization code is valid for 120 days.", "TRUE_FALSE", "", "", "", "", "true", "", "1", ""],
    ["The port-out code is obtained by ____.", "fill", "", "", "", "", "SMS|短信", "", "1", ""],
    ["Describe the first-contact responsibility rule.", "essay", "", "", "", "", "The first employee owns the case.", "", "5", ""],
    ["Pick the 5G plan", "radio", "5G-A", "5G-B", "", "", "C", "", "1", ""],
])

# 44: every option of a question in one cell, with each separator trainers use.
csv_file("44-sheet-options-one-cell.csv", [
    ["题型", "题干", "选项", "答案"],
    ["单选", "客户办理补卡业务，须出示的证件是？", "A.本人有效身份证件|B.户口簿复印件|C.工作证", "A"],
    ["多选", "以下属于电子渠道的有：", "A、手机营业厅APP；B、网上营业厅；C、自有营业厅；D、微信公众号", "ABD"],
    ["单选", "携号转网授权码的有效期一般为多少天？", "30&60&90&120", "D"],
    ["单选", "客户投诉处理的首要原则是（ ）。", "先处理心情，再处理事情|先查系统|先请示领导", "A"],
    ["多选", "办理宽带移机时应核实的信息包括：", "A. 新地址资源\nB. 机主身份\nC. 欠费情况", "ABC"],
    ["单选", "营业员离开柜台时应当：", "锁定业务系统\n关闭显示器\n无需处理", "A"],
    ["单选", "5G套餐变更一般何时生效？", "A.立即 B.次月1日 C.次日", "B"],
    ["单选", "选项只写了一个的题", "只有这一个选项", "A"],
])

# 45: ExamStack's layout saved by Excel as GBK; 判断 answered A/B with and without 正确/错误 options.
csv_file("45-sheet-gbk.csv", [
    ["题目", "类型", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "知识类", "知识点", "分值"],
    ["客户办理补卡业务，须出示的证件是？", "单选题", "本人有效身份证件", "户口簿复印件", "工作证", "", "A", "补卡须本人办理。", "补换卡", "证件", "1"],
    ["以下属于电子渠道的有：", "多选题", "手机营业厅APP", "网上营业厅", "自有营业厅", "微信公众号", "A、B、D", "", "电子渠道", "", "2"],
    ["客户号码欠费时可以办理携号转网。", "判断题", "", "", "", "", "B", "", "携号转网", "", "1"],
    ["营业员离开柜台时必须锁定业务系统。", "判断题", "正确", "错误", "", "", "A", "", "", "", "1"],
    ["首问负责制要求第一位接待客户的员工（  ）。", "填空题", "", "", "", "", "负责到底", "", "", "", "1"],
], encoding="gbk")
