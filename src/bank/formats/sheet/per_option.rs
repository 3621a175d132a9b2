//! The yf-exam sheet: one row per option, rows of a question sharing its
//! 题目序号 (题目类型 1 单选, 2 多选, 3 判断, 4 简答; 是否正确项 1/0 or 是/否).

use super::cells::{kind_name, word, KindName};
use super::{warn_unread, LineError, Parsed};
use crate::bank::question::{Answer, Channel, Kind, Question};
use crate::web::msg;

/// A row of the sheet with its line.
type Row<'a> = (usize, &'a Vec<String>);

const READ: [&str; 6] = ["题目序号", "题目类型", "题目内容", "整体解析", "是否正确项", "选项内容"];

pub(super) fn parse(table: &[Vec<String>], header_at: usize, out: &mut Parsed) {
    out.recognise(msg::RECOGNISED_PER_OPTION_ROWS);
    let header = &table[header_at];
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(number), Some(kind_col), Some(stem_col), Some(correct_col), Some(option_col)) =
        (col("题目序号"), col("题目类型"), col("题目内容"), col("是否正确项"), col("选项内容"))
    else {
        out.errors.push(LineError::new(
            header_at + 1,
            msg::sheet_missing_column("题目序号、题目类型、题目内容、是否正确项、选项内容"),
        ));
        return;
    };
    let unread: Vec<(usize, Option<String>)> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| !READ.contains(&h.trim()))
        .map(|(c, _)| (c, None))
        .collect();
    warn_unread(table, header_at, &unread, out);
    let explanation_col = col("整体解析");
    let cell = |row: &Vec<String>, i: usize| row.get(i).map(|c| c.trim().to_string()).unwrap_or_default();
    // (number, rows with their line)
    let mut groups: Vec<(String, Vec<Row>)> = Vec::new();
    for (i, row) in table.iter().enumerate().skip(header_at + 1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let n = cell(row, number);
        match groups.last_mut() {
            Some((last, rows)) if *last == n || n.is_empty() => rows.push((i + 1, row)),
            _ => groups.push((n, vec![(i + 1, row)])),
        }
    }
    for (_, rows) in groups {
        let (line, first) = rows[0];
        let with_option: Vec<Row> =
            rows.iter().copied().filter(|(_, r)| !cell(r, option_col).is_empty()).collect();
        let options: Vec<String> = with_option.iter().map(|(_, r)| cell(r, option_col)).collect();
        let mut correct = Vec::new();
        let mut unreadable = false;
        for (i, (row_line, r)) in with_option.iter().enumerate() {
            match correct_flag(&cell(r, correct_col)) {
                Some(true) => correct.push(i),
                Some(false) => {}
                None => {
                    out.errors
                        .push(LineError::new(*row_line, msg::sheet_correct_flag(&cell(r, correct_col))));
                    unreadable = true;
                }
            }
        }
        if unreadable {
            continue;
        }
        let kind = match cell(first, kind_col).as_str() {
            "1" => Some(Kind::Single),
            "2" => Some(Kind::Multiple),
            "3" => Some(Kind::TrueFalse),
            "4" => Some(Kind::Essay),
            other => match kind_name(other) {
                Some(KindName::Is(kind)) => Some(kind),
                Some(KindName::ByAnswerCount) if correct.len() > 1 => Some(Kind::Multiple),
                Some(KindName::ByAnswerCount) => Some(Kind::Single),
                None => None,
            },
        };
        let Some(kind) = kind else {
            out.errors.push(LineError::new(line, msg::sheet_unknown_kind(&cell(first, kind_col))));
            continue;
        };
        let (options, answer) = match kind {
            Kind::TrueFalse => {
                let Some(chosen) = correct.first().and_then(|i| options.get(*i)) else {
                    out.errors.push(LineError::new(line, msg::XML_NO_CORRECT_ANSWER));
                    continue;
                };
                match word(chosen) {
                    Some(v) => (Vec::new(), Answer::TrueFalse(v)),
                    None => {
                        out.errors.push(LineError::new(line, msg::sheet_true_false_answer(chosen)));
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
}

/// 是否正确项: 1/0, 是/否, 正确/错误, 对/错, √/×, Y/N, true/false; empty is 否.
fn correct_flag(value: &str) -> Option<bool> {
    match value.trim() {
        "1" | "是" | "正确" | "对" | "√" | "Y" | "y" | "T" | "true" | "TRUE" | "True" => Some(true),
        "" | "0" | "否" | "错误" | "错" | "×" | "N" | "n" | "F" | "false" | "FALSE" | "False" => {
            Some(false)
        }
        _ => None,
    }
}
