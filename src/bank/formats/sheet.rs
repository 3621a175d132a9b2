//! Spreadsheets (.xlsx and .csv), one question per row, told apart by their
//! headers: examhall's template (题型, 题干, 选项A…选项H, 答案, 解析, 分值, 难度,
//! 渠道, 分类, 知识点, 来源), the ExamStack sheet (题目, 类型, 选项A…, 答案, 解析,
//! 知识类, 知识点, 分值), the yf-exam sheet with one row per option
//! ([`per_option`]), and the many others trainers bring.
//!
//! * The header is the first of the first 10 rows that names a stem column
//!   and an answer or type column; title rows above it are ignored. Rows
//!   keep the numbers the spreadsheet shows.
//! * Column names ([`header`], which lists a few more spellings): 题干 / 题目 / 试题内容 / 题目内容 / 试题 / 问题 /
//!   question / stem / title; 题型 / 类型 / 题目类型 / 试题类型 / type; 答案 /
//!   正确答案 / 标准答案 / 参考答案 / answer / correct; 解析 / 题目解析 / 答案解析 /
//!   试题解析 / 整体解析 / explanation / analysis; 知识点 / 标签 / 考点 / tags /
//!   tag; 分值 / 分数 / score / points; 难度 / 难易程度 / difficulty; 分类 / 知识类
//!   / 类别 / 章节 / category; 渠道; 来源; 选项A…选项H / A…H / 选项1…选项8 /
//!   Option A / optionA; or one 选项 / options column holding every option
//!   (`A.x|B.y`, `A、x；B、y`, `A.x B.y`, one per line, `x|y`, `x&y`).
//!   English names in any case; spaces, `_`, `-`, `*` and a trailing `（必填）`
//!   are ignored. 序号 / 题号 columns are numbers, not imported.
//! * A column nobody reads is never dropped silently: one warning on the
//!   header row names every unknown column that has content (an empty one
//!   loses nothing), and a second column for the same field is reported too.
//! * The type column ([`cells::kind_name`]): 单选 / single / radio, 多选 /
//!   multiple / multi, 不定项 (单选 or 多选 by the number of letters in the
//!   answer), 判断 / 是非题 / judge / tf / true_false, 填空 / fill / blank, 简答 /
//!   主观 / 问答 / 论述 / essay / short. Without a type column, or with an empty
//!   cell, the type follows from the answer as in the text format.
//! * A 判断's answer: 对/错, 正确/错误, √/×, T/F, true/false, 是/否 — or A/B.
//!   With options 正确/错误 (in either order) the letter names the option;
//!   without options A means 正确 and B 错误 (yf-exam and others write it so;
//!   the question notes it). Options that are not 正确/错误 are an error.

mod cells;
mod header;
mod per_option;

use cells::{kind_name, split_options, KindName, Split};
use header::{column_letters, Columns, Found};

use super::text::parse_answer;
use super::{LineError, Parsed};
use crate::bank::question::{
    format_points, letter, parse_difficulty, parse_points, split_list, Answer, Channel, Kind, Question,
    MAX_OPTIONS,
};
use crate::web::msg;

/// The template's header row.
pub const HEADER: [&str; 19] = [
    "题型",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "选项E",
    "选项F",
    "选项G",
    "选项H",
    "答案",
    "解析",
    "分值",
    "难度",
    "渠道",
    "分类",
    "知识点",
    "来源",
    "备注",
];

pub fn parse(table: &[Vec<String>]) -> Parsed {
    let mut out = Parsed::default();
    let Some(first) = table.iter().position(|r| r.iter().any(|c| !c.trim().is_empty())) else {
        out.errors.push(LineError::new(1, msg::SHEET_EMPTY));
        return out;
    };
    let (at, cols) = match header::find(table, first) {
        Found::PerOption(at) => {
            if at > first {
                out.recognise(msg::recognised_header_row(at + 1));
            }
            per_option::parse(table, at, &mut out);
            return out;
        }
        Found::Header(at, cols) => (at, cols),
        Found::Missing(at, message) => {
            out.errors.push(LineError::new(at + 1, message));
            return out;
        }
    };
    if at > first {
        out.recognise(msg::recognised_header_row(at + 1));
    }
    if cols.english {
        out.recognise(msg::RECOGNISED_ENGLISH_HEADER);
    }
    if !cols.renamed.is_empty() {
        out.recognise(msg::recognised_column_names(&cols.renamed));
    }
    for name in &cols.numbers {
        out.recognise(msg::recognised_ignored_column(name));
    }
    if cols.kind.is_none() {
        out.recognise(msg::RECOGNISED_KIND_FROM_ANSWER);
    }
    warn_unread(table, at, &cols.unread, &mut out);
    let mut spellings: Vec<String> = Vec::new();
    for (i, row) in table.iter().enumerate().skip(at + 1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = i + 1;
        match read_row(row, &cols, &mut out, &mut spellings) {
            Ok((question, notes)) => {
                let before = out.items.len();
                out.push_checked(line, question);
                if let Some(item) = out.items.get_mut(before) {
                    item.notes = notes;
                }
            }
            Err(messages) => out.errors.extend(messages.into_iter().map(|m| LineError::new(line, m))),
        }
    }
    if !spellings.is_empty() {
        out.recognise(msg::recognised_kind_names(&spellings));
    }
    out
}

/// Warns, on the header row, of the columns nobody reads that hold something:
/// unknown names (and columns without a name) in one warning, a second column
/// for a field already read in one warning each.
fn warn_unread(table: &[Vec<String>], at: usize, unread: &[(usize, Option<String>)], out: &mut Parsed) {
    let header = &table[at];
    let filled = |c: usize| table[at + 1..].iter().any(|r| r.get(c).is_some_and(|v| !v.trim().is_empty()));
    let mut unknown = Vec::new();
    for (c, first) in unread {
        if !filled(*c) {
            continue;
        }
        let name = header[*c].trim();
        match first {
            None => unknown.push(name.to_string()),
            Some(first) => {
                out.warnings.push(LineError::new(at + 1, msg::sheet_duplicate_column(name, first)))
            }
        }
    }
    let width = table[at + 1..].iter().map(Vec::len).max().unwrap_or(0);
    for c in 0..width {
        if header.get(c).is_none_or(|h| h.trim().is_empty()) && filled(c) {
            unknown.push(msg::sheet_unnamed_column(&column_letters(c)));
        }
    }
    if !unknown.is_empty() {
        out.warnings.push(LineError::new(at + 1, msg::sheet_unknown_columns(&unknown)));
    }
}

/// What the type cell asks for.
enum Spec {
    Given(Kind),
    ByAnswerCount,
    FromAnswer,
    Unknown,
}

/// One row: the question and its notes, or the row's errors.
fn read_row(
    row: &[String],
    cols: &Columns,
    out: &mut Parsed,
    spellings: &mut Vec<String>,
) -> Result<(Question, Vec<String>), Vec<String>> {
    let cell = |i: usize| row.get(i).map(|c| c.trim()).unwrap_or("");
    let opt = |i: Option<usize>| i.map(cell).unwrap_or("");
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let kind_text = opt(cols.kind);
    let spec = match kind_name(kind_text) {
        _ if kind_text.is_empty() => Spec::FromAnswer,
        None => {
            errors.push(msg::sheet_unknown_kind(kind_text));
            Spec::Unknown
        }
        Some(name) => {
            if Kind::parse_label(kind_text).is_none() && !spellings.iter().any(|s| s == kind_text) {
                spellings.push(kind_text.to_string());
            }
            match name {
                KindName::Is(kind) => Spec::Given(kind),
                KindName::ByAnswerCount => Spec::ByAnswerCount,
            }
        }
    };
    let mut options = read_options(cell, cols, out, &mut errors);
    let answer_text = opt(cols.answer);
    let has_options = !options.is_empty();
    let answer = match spec {
        Spec::Unknown => None,
        Spec::Given(Kind::Essay) => Some((Kind::Essay, Answer::Reference(answer_text.to_string()))),
        _ if answer_text.is_empty() => {
            let choice = has_options || matches!(spec, Spec::Given(Kind::Single | Kind::Multiple));
            errors.push(if choice { msg::TEXT_ANSWER_MISSING } else { msg::SHEET_ANSWER_EMPTY }.to_string());
            None
        }
        Spec::Given(Kind::TrueFalse) => match cells::true_false(answer_text, &options) {
            Ok((value, from_letter)) => {
                if from_letter {
                    notes.push(msg::NOTE_TRUE_FALSE_LETTER.to_string());
                    out.recognise(msg::RECOGNISED_TRUE_FALSE_LETTERS);
                } else if has_options {
                    out.recognise(msg::RECOGNISED_TRUE_FALSE_OPTIONS);
                }
                options.clear();
                Some((Kind::TrueFalse, Answer::TrueFalse(value)))
            }
            Err(m) => {
                errors.push(m);
                None
            }
        },
        Spec::Given(kind) => {
            parse_answer(answer_text, Some(kind), has_options).map_err(|m| errors.push(m)).ok()
        }
        Spec::ByAnswerCount => match parse_answer(answer_text, None, true) {
            Ok((kind @ (Kind::Single | Kind::Multiple), answer)) => {
                notes.push(msg::note_kind_by_answer_count(kind_text, kind.label()));
                Some((kind, answer))
            }
            _ => {
                errors.push(msg::text_bad_answer(answer_text));
                None
            }
        },
        Spec::FromAnswer => {
            let read = parse_answer(answer_text, None, has_options).map_err(|m| errors.push(m)).ok();
            if let (Some((kind, _)), Some(_)) = (&read, cols.kind) {
                notes.push(msg::note_kind_from_answer(kind.label()));
            }
            read
        }
    };
    let points = match opt(cols.points) {
        "" => None,
        p => parse_points(p).or_else(|| {
            errors.push(msg::text_bad_points(p));
            None
        }),
    };
    let difficulty = match opt(cols.difficulty) {
        "" => 3,
        d => parse_difficulty(d).unwrap_or_else(|| {
            errors.push(msg::Q_DIFFICULTY_RANGE.to_string());
            3
        }),
    };
    let channel = Channel::parse_label(opt(cols.channel)).unwrap_or_else(|| {
        errors.push(msg::unknown_channel(opt(cols.channel)));
        Channel::General
    });
    match (answer, errors.is_empty()) {
        (Some((kind, answer)), true) => Ok((
            Question {
                kind,
                stem: opt(cols.stem).to_string(),
                options,
                answer,
                explanation: opt(cols.explanation).to_string(),
                points: points.unwrap_or(kind.default_points()),
                difficulty,
                channel,
                category: opt(cols.category).to_string(),
                knowledge_points: split_list(opt(cols.knowledge)),
                source: opt(cols.source).to_string(),
            },
            notes,
        )),
        _ => Err(errors),
    }
}

/// The options of a row: from their own columns (A, B, … without gaps), or
/// split from the one options cell.
fn read_options<'a>(
    cell: impl Fn(usize) -> &'a str,
    cols: &Columns,
    out: &mut Parsed,
    errors: &mut Vec<String>,
) -> Vec<String> {
    let mut options = Vec::new();
    if let Some(c) = cols.options_cell {
        let text = cell(c);
        if text.is_empty() {
            return options;
        }
        let (found, how) = split_options(text);
        if found.len() < 2 {
            errors.push(msg::sheet_options_unsplit(found.len()));
        } else if how != Split::None {
            out.recognise(msg::recognised_options_cell(how.describe()));
        }
        return found;
    }
    let mut gap = false;
    for c in &cols.options {
        let text = c.map(&cell).unwrap_or("");
        if text.is_empty() {
            gap = true;
        } else if gap {
            errors.push(msg::text_option_gap(letter(options.len())));
            break;
        } else {
            options.push(text.to_string());
        }
    }
    options
}

/// The cells of one question in the template's columns.
pub fn row_of(q: &Question) -> Vec<String> {
    let mut row = vec![q.kind.label().to_string(), q.stem.clone()];
    for i in 0..MAX_OPTIONS {
        row.push(q.options.get(i).cloned().unwrap_or_default());
    }
    row.push(match &q.answer {
        Answer::Choices(c) => c.iter().map(|i| letter(*i)).collect(),
        Answer::TrueFalse(v) => msg::true_false(*v).to_string(),
        Answer::Blanks(groups) => groups.iter().map(|g| format!("({})", g.join("|"))).collect(),
        Answer::Reference(r) => r.clone(),
    });
    row.extend([
        q.explanation.clone(),
        format_points(q.points),
        q.difficulty.to_string(),
        q.channel.label().to_string(),
        q.category.clone(),
        q.knowledge_points.join("、"),
        q.source.clone(),
        String::new(),
    ]);
    row
}

/// The template filled with `questions` (the template: two examples),
/// titled `title` in print, with the 填写说明 sheet after it.
pub fn write_xlsx(title: &str, questions: &[Question]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use crate::web::xlsx::{made_now, notes_sheet, Layout};
    /// The number columns: 分值 and 难度.
    const POINTS: usize = 12;
    const DIFFICULTY: usize = 13;
    let mut book = rust_xlsxwriter::Workbook::new();
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);
    let points = rust_xlsxwriter::Format::new().set_align(rust_xlsxwriter::FormatAlign::Top);
    let sheet = book.add_worksheet();
    sheet.set_name(msg::BANK_SHEET)?;
    let mut layout = Layout::new(title, "", 0, 2);
    layout.heading(sheet, &HEADER)?;
    // Nineteen columns on one landscape page: the long texts wrap narrower.
    layout.cap(1, 36.0).cap(10, 16.0).cap(11, 28.0);
    for c in (2..=9).chain(15..=17) {
        layout.cap(c, 14.0);
    }
    for (r, q) in questions.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, text) in row_of(q).iter().enumerate() {
            match c {
                POINTS => sheet.write_number_with_format(r, c as u16, q.points as f64 / 100.0, &points)?,
                DIFFICULTY => {
                    sheet.write_number_with_format(r, c as u16, f64::from(q.difficulty), &points)?
                }
                // Text cells otherwise: "ABC" and "1" answers stay exactly as written.
                _ => sheet.write_string_with_format(r, c as u16, text, &wrap)?,
            };
            layout.see(r, c as u16, text);
        }
    }
    layout.apply(sheet, &made_now())?;
    notes_sheet(&mut book, msg::BANK_TEMPLATE_TITLE, msg::BANK_TEMPLATE_USE, &msg::BANK_TEMPLATE_COLUMNS)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests;
