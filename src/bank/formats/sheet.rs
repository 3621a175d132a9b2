//! Spreadsheets (.xlsx and .csv), one question per row: examhall's own
//! template (题型, 题干, 选项A…选项H, 答案, 解析, 分值, 难度, 渠道, 分类, 知识点, 来源)
//! and the ExamStack-style sheet (题目, 类型, 选项A…, 答案, 解析, 知识类, 知识点, 分值),
//! told apart by their headers. Rows are numbered as the spreadsheet shows them.

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

struct Columns {
    kind: usize,
    stem: usize,
    options: Vec<usize>,
    answer: usize,
    explanation: Option<usize>,
    points: Option<usize>,
    difficulty: Option<usize>,
    channel: Option<usize>,
    category: Option<usize>,
    knowledge_points: Option<usize>,
    source: Option<usize>,
}

fn columns(header: &[String]) -> Result<Columns, String> {
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.trim()));
    let required = |names: &[&str]| find(names).ok_or_else(|| msg::sheet_missing_column(names[0]));
    let mut options = Vec::new();
    for i in 0..MAX_OPTIONS {
        let l = letter(i);
        match find(&[&format!("选项{l}"), &format!("选项 {l}"), &l.to_string()]) {
            Some(col) => options.push(col),
            None => break,
        }
    }
    Ok(Columns {
        kind: required(&["题型", "类型", "题目类型"])?,
        stem: required(&["题干", "题目", "题目内容"])?,
        options,
        answer: required(&["答案", "正确答案"])?,
        explanation: find(&["解析", "答案解析", "整体解析"]),
        points: find(&["分值", "分数"]),
        difficulty: find(&["难度"]),
        channel: find(&["渠道"]),
        category: find(&["分类", "知识类", "类别"]),
        knowledge_points: find(&["知识点"]),
        source: find(&["来源"]),
    })
}

pub fn parse(table: &[Vec<String>]) -> Parsed {
    let mut out = Parsed::default();
    let Some(header_at) = table.iter().position(|r| r.iter().any(|c| !c.trim().is_empty())) else {
        out.errors.push(LineError::new(1, msg::SHEET_EMPTY));
        return out;
    };
    let header = &table[header_at];
    if header.iter().any(|h| h.trim() == "题目序号") && header.iter().any(|h| h.trim() == "是否正确项")
    {
        return parse_per_option(table, header_at);
    }
    let cols = match columns(header) {
        Ok(cols) => cols,
        Err(m) => {
            out.errors.push(LineError::new(header_at + 1, m));
            return out;
        }
    };
    for (i, row) in table.iter().enumerate().skip(header_at + 1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = i + 1;
        match read_row(row, &cols) {
            Ok(q) => out.push_checked(line, q),
            Err(messages) => out.errors.extend(messages.into_iter().map(|m| LineError::new(line, m))),
        }
    }
    out
}

fn read_row(row: &[String], cols: &Columns) -> Result<Question, Vec<String>> {
    let cell = |i: usize| row.get(i).map(|c| c.trim()).unwrap_or("");
    let opt = |i: Option<usize>| i.map(cell).unwrap_or("");
    let mut errors = Vec::new();
    let kind_text = cell(cols.kind);
    let kind = Kind::parse_label(kind_text);
    if kind.is_none() {
        errors.push(msg::sheet_unknown_kind(kind_text));
    }
    let mut options: Vec<String> = Vec::new();
    let mut gap = false;
    for &c in &cols.options {
        let text = cell(c);
        if text.is_empty() {
            gap = true;
        } else if gap {
            errors.push(msg::text_option_gap(letter(options.len())));
            break;
        } else {
            options.push(text.to_string());
        }
    }
    let answer_text = cell(cols.answer);
    let answer = match (kind, answer_text) {
        (Some(Kind::Essay), text) => Some(Answer::Reference(text.to_string())),
        (Some(Kind::TrueFalse), text) if !options.is_empty() => {
            // 判断 written as a choice between 正确 / 错误 options (ExamStack style).
            let chosen = text
                .chars()
                .next()
                .and_then(crate::bank::question::letter_index)
                .and_then(|i| options.get(i));
            let value = chosen.cloned().unwrap_or_else(|| text.to_string());
            options.clear();
            let value = value.as_str();
            parse_answer(value, kind, false).map(|(_, a)| a).map_err(|m| errors.push(m)).ok()
        }
        (_, "") => {
            errors.push(msg::TEXT_ANSWER_MISSING.to_string());
            None
        }
        (k, text) => {
            parse_answer(text, k, !options.is_empty()).map(|(_, a)| a).map_err(|m| errors.push(m)).ok()
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
    match (kind, answer, errors.is_empty()) {
        (Some(kind), Some(answer), true) => Ok(Question {
            kind,
            stem: cell(cols.stem).to_string(),
            options,
            answer,
            explanation: opt(cols.explanation).to_string(),
            points: points.unwrap_or(kind.default_points()),
            difficulty,
            channel,
            category: opt(cols.category).to_string(),
            knowledge_points: split_list(opt(cols.knowledge_points)),
            source: opt(cols.source).to_string(),
        }),
        _ => Err(errors),
    }
}

/// The yf-exam sheet: one row per option, rows of a question sharing its 题目序号
/// (题目类型 1 单选, 2 多选, 3 判断, 4 简答; 是否正确项 1/0 or 是/否).
fn parse_per_option(table: &[Vec<String>], header_at: usize) -> Parsed {
    let mut out = Parsed::default();
    let header = &table[header_at];
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(number), Some(kind_col), Some(stem_col), Some(correct_col), Some(option_col)) =
        (col("题目序号"), col("题目类型"), col("题目内容"), col("是否正确项"), col("选项内容"))
    else {
        out.errors.push(LineError::new(
            header_at + 1,
            msg::sheet_missing_column("题目序号、题目类型、题目内容、是否正确项、选项内容"),
        ));
        return out;
    };
    let explanation_col = col("整体解析");
    let cell = |row: &Vec<String>, i: usize| row.get(i).map(|c| c.trim().to_string()).unwrap_or_default();
    // (first line, number, rows)
    let mut groups: Vec<(usize, String, Vec<&Vec<String>>)> = Vec::new();
    for (i, row) in table.iter().enumerate().skip(header_at + 1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let n = cell(row, number);
        match groups.last_mut() {
            Some((_, last, rows)) if *last == n || n.is_empty() => rows.push(row),
            _ => groups.push((i + 1, n, vec![row])),
        }
    }
    for (line, _, rows) in groups {
        let first = rows[0];
        let kind = match cell(first, kind_col).as_str() {
            "1" => Some(Kind::Single),
            "2" => Some(Kind::Multiple),
            "3" => Some(Kind::TrueFalse),
            "4" => Some(Kind::Essay),
            other => Kind::parse_label(other),
        };
        let Some(kind) = kind else {
            out.errors.push(LineError::new(line, msg::sheet_unknown_kind(&cell(first, kind_col))));
            continue;
        };
        let options: Vec<String> =
            rows.iter().map(|r| cell(r, option_col)).filter(|o| !o.is_empty()).collect();
        let correct: Vec<usize> = rows
            .iter()
            .filter(|r| !cell(r, option_col).is_empty())
            .enumerate()
            .filter(|(_, r)| {
                matches!(cell(r, correct_col).as_str(), "1" | "是" | "正确" | "Y" | "y" | "true" | "TRUE")
            })
            .map(|(i, _)| i)
            .collect();
        let (options, answer) = match kind {
            Kind::TrueFalse => {
                let value = correct
                    .first()
                    .and_then(|i| options.get(*i))
                    .map(|o| matches!(o.as_str(), "正确" | "对" | "√" | "是"));
                match value {
                    Some(v) => (Vec::new(), Answer::TrueFalse(v)),
                    None => {
                        out.errors.push(LineError::new(line, msg::XML_NO_CORRECT_ANSWER));
                        continue;
                    }
                }
            }
            Kind::Essay => (Vec::new(), Answer::Reference(String::new())),
            _ => (options, Answer::Choices(correct)),
        };
        let question = Question {
            kind,
            stem: cell(first, stem_col),
            options,
            answer,
            explanation: explanation_col.map(|c| cell(first, c)).unwrap_or_default(),
            points: kind.default_points(),
            difficulty: 3,
            channel: Channel::General,
            category: String::new(),
            knowledge_points: Vec::new(),
            source: String::new(),
        };
        out.push_checked(line, question);
    }
    out
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

/// The template filled with `questions` (none: a blank template with one example).
pub fn write_xlsx(questions: &[Question]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("题目")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, q) in questions.iter().enumerate() {
        for (c, text) in row_of(q).iter().enumerate() {
            // Text cells throughout: "1.5" and "ABC" stay exactly as written.
            sheet.write_string(r as u32 + 1, c as u16, text)?;
        }
    }
    sheet.set_column_width(1, 50)?;
    sheet.set_column_width(11, 30)?;
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests;
