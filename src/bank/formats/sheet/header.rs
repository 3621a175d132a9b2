//! The header row: which column holds what, by the names question-bank
//! sheets use (examhall's template, ExamStack, yf-exam, the English exports),
//! and where the header is (a title row or several may sit above it).

use crate::bank::question::MAX_OPTIONS;
use crate::web::msg;

/// How far down the header may be (title rows above it).
pub(super) const HEADER_SEARCH_ROWS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Stem,
    Kind,
    Answer,
    Explanation,
    Knowledge,
    Points,
    Difficulty,
    Category,
    Channel,
    Source,
    /// One option per column: 选项A / A / 选项1 / Option A (index 0 = A).
    Option(usize),
    /// All options in one cell.
    Options,
    /// 序号 / 题号: the row's number, not imported.
    Number,
}

/// Column names, compared in the form [`key`] gives (lower case, no spaces,
/// `_` or `-`, no `*` marks, no trailing `（必填）`).
const NAMES: &[(Field, &[&str])] = &[
    (
        Field::Stem,
        &["题干", "题目", "试题内容", "题目内容", "题干内容", "试题", "问题", "question", "stem", "title"],
    ),
    (Field::Kind, &["题型", "类型", "题目类型", "试题类型", "type", "questiontype"]),
    (
        Field::Answer,
        &["答案", "正确答案", "标准答案", "参考答案", "正确选项", "answer", "correct", "correctanswer"],
    ),
    (
        Field::Explanation,
        &["解析", "题目解析", "答案解析", "试题解析", "整体解析", "explanation", "analysis"],
    ),
    (Field::Knowledge, &["知识点", "标签", "考点", "tags", "tag"]),
    (Field::Points, &["分值", "分数", "题目分值", "score", "points"]),
    (Field::Difficulty, &["难度", "难易程度", "难易度", "题目难度", "difficulty"]),
    (Field::Category, &["分类", "知识类", "类别", "章节", "题目分类", "试题分类", "category"]),
    (Field::Channel, &["渠道", "channel"]),
    // 出处 / 知识库链接: an article named there is linked as where the question is taught.
    (Field::Source, &["来源", "出处", "知识库", "知识库链接", "source"]),
    (Field::Options, &["选项", "options", "option", "选项内容"]),
    (Field::Number, &["序号", "题号", "编号", "no", "no.", "id"]),
];

/// A header cell in the form names are compared in.
pub(super) fn key(header: &str) -> String {
    let mut t: String = header
        .trim()
        .chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            c => c,
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '*'))
        .collect::<String>()
        .to_lowercase();
    // 题干(必填), 分值（分）: the note in brackets is not part of the name;
    // 选项(A) is 选项A.
    if t.ends_with(')') {
        if let Some(open) = t.rfind('(').filter(|&o| o > 0) {
            let inner = t[open + 1..t.len() - 1].to_string();
            t.truncate(open);
            if inner.chars().count() == 1 && inner.chars().all(|c| c.is_ascii_alphanumeric()) {
                t.push_str(&inner);
            }
        }
    }
    t
}

/// The field a header names, and whether it is named in English.
pub(super) fn field_of(header: &str) -> Option<(Field, bool)> {
    let k = key(header);
    if k.is_empty() {
        return None;
    }
    if let Some((field, _)) = NAMES.iter().find(|(_, names)| names.contains(&k.as_str())) {
        let english = k.chars().all(|c| c.is_ascii_alphabetic()) && *field != Field::Number;
        return Some((*field, english));
    }
    let (rest, english) = match k.strip_prefix("选项") {
        Some(rest) => (rest, false),
        None => match k.strip_prefix("option") {
            Some(rest) => (rest, true),
            None => (k.as_str(), false),
        },
    };
    let mut chars = rest.chars();
    let index = match (chars.next(), chars.next()) {
        (Some(c @ 'a'..='h'), None) => c as usize - 'a' as usize,
        (Some(c @ '1'..='8'), None) => c as usize - '1' as usize,
        _ => return None,
    };
    // A column named just "1" is a number, not option A.
    if rest == k && !k.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    (index < MAX_OPTIONS).then_some((Field::Option(index), english))
}

/// The columns of a header row.
#[derive(Debug, Default)]
pub(super) struct Columns {
    pub stem: Option<usize>,
    pub kind: Option<usize>,
    pub answer: Option<usize>,
    pub explanation: Option<usize>,
    pub knowledge: Option<usize>,
    pub points: Option<usize>,
    pub difficulty: Option<usize>,
    pub category: Option<usize>,
    pub channel: Option<usize>,
    pub source: Option<usize>,
    /// By option index (A = 0); a column missing from the header is None.
    pub options: Vec<Option<usize>>,
    pub options_cell: Option<usize>,
    /// Columns read by nobody: (column, why). `why` is None for an unknown
    /// name, else the header of the column already read for that field.
    pub unread: Vec<(usize, Option<String>)>,
    /// 原列名 → 模板列名, where the sheet uses another name.
    pub renamed: Vec<(String, &'static str)>,
    pub numbers: Vec<String>,
    pub english: bool,
}

impl Columns {
    fn slot(&mut self, field: Field) -> Option<&mut Option<usize>> {
        Some(match field {
            Field::Stem => &mut self.stem,
            Field::Kind => &mut self.kind,
            Field::Answer => &mut self.answer,
            Field::Explanation => &mut self.explanation,
            Field::Knowledge => &mut self.knowledge,
            Field::Points => &mut self.points,
            Field::Difficulty => &mut self.difficulty,
            Field::Category => &mut self.category,
            Field::Channel => &mut self.channel,
            Field::Source => &mut self.source,
            Field::Options => &mut self.options_cell,
            Field::Option(_) | Field::Number => return None,
        })
    }

    /// How many fields the row names (to pick the likeliest header for an error).
    fn named(&self) -> usize {
        [self.stem, self.kind, self.answer, self.explanation, self.points, self.options_cell]
            .iter()
            .filter(|c| c.is_some())
            .count()
            + self.options.iter().flatten().count()
    }

    pub(super) fn is_header(&self) -> bool {
        self.stem.is_some() && (self.answer.is_some() || self.kind.is_some())
    }
}

/// Reads a row as a header.
pub(super) fn columns(row: &[String]) -> Columns {
    let mut cols = Columns::default();
    let mut first_of: Vec<(Field, String)> = Vec::new();
    for (c, cell) in row.iter().enumerate() {
        let name = cell.trim();
        let Some((field, english)) = field_of(name) else {
            if !name.is_empty() {
                cols.unread.push((c, None));
            }
            continue;
        };
        if let Some((_, first)) = first_of.iter().find(|(f, _)| *f == field) {
            cols.unread.push((c, Some(first.clone())));
            continue;
        }
        first_of.push((field, name.to_string()));
        cols.english |= english;
        match field {
            Field::Number => cols.numbers.push(name.to_string()),
            Field::Option(i) => {
                if cols.options.len() <= i {
                    cols.options.resize(i + 1, None);
                }
                cols.options[i] = Some(c);
            }
            _ => {
                if let Some(slot) = cols.slot(field) {
                    *slot = Some(c);
                }
            }
        }
        if !matches!(field, Field::Option(_) | Field::Number) && key(name) != key(canonical(field)) {
            cols.renamed.push((name.to_string(), canonical(field)));
        }
    }
    // Options in their own columns win; a 选项 column beside them is not read.
    if let (Some(cell), true) = (cols.options_cell, !cols.options.is_empty()) {
        let first = cols.options.iter().flatten().next().map(|c| row[*c].trim().to_string());
        cols.unread.push((cell, first));
        cols.options_cell = None;
        cols.renamed.retain(|(_, to)| *to != "选项");
    }
    cols
}

fn canonical(field: Field) -> &'static str {
    match field {
        Field::Stem => "题干",
        Field::Kind => "题型",
        Field::Answer => "答案",
        Field::Explanation => "解析",
        Field::Knowledge => "知识点",
        Field::Points => "分值",
        Field::Difficulty => "难度",
        Field::Category => "分类",
        Field::Channel => "渠道",
        Field::Source => "来源",
        Field::Options => "选项",
        Field::Option(_) | Field::Number => "",
    }
}

/// What the first rows of a sheet are.
pub(super) enum Found {
    /// The yf-exam sheet, one row per option, header at this row index.
    PerOption(usize),
    Header(usize, Box<Columns>),
    /// No header: the row (index) to report and why.
    Missing(usize, String),
}

pub(super) fn is_per_option(row: &[String]) -> bool {
    row.iter().any(|h| h.trim() == "题目序号") && row.iter().any(|h| h.trim() == "是否正确项")
}

/// The header: the first of the first rows that names a stem column and an
/// answer or type column.
pub(super) fn find(table: &[Vec<String>], first: usize) -> Found {
    let mut best: Option<(usize, Columns)> = None;
    for (i, row) in table.iter().enumerate().skip(first).take(HEADER_SEARCH_ROWS) {
        if is_per_option(row) {
            return Found::PerOption(i);
        }
        let cols = columns(row);
        if cols.is_header() {
            return Found::Header(i, Box::new(cols));
        }
        if cols.named() > best.as_ref().map_or(0, |(_, b)| b.named()) {
            best = Some((i, cols));
        }
    }
    match best {
        Some((i, cols)) if cols.stem.is_none() => Found::Missing(i, msg::sheet_missing_column("题干")),
        Some((i, _)) => Found::Missing(i, msg::SHEET_MISSING_ANSWER_COLUMN.to_string()),
        None => Found::Missing(first, msg::SHEET_NO_HEADER.to_string()),
    }
}

/// `A`, `Z`, `AA`: a column as Excel names it.
pub(super) fn column_letters(mut c: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push((b'A' + (c % 26) as u8) as char);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.iter().rev().collect()
}
