//! Export in the examhall text format. The file starts with [`EXPORT_HEADER`],
//! which makes the reader strict (nothing inferred from the stem). Every line
//! of a multi-line field that the reader would take for structure (a number,
//! an option, a tag, a heading, a blank line) is escaped with a leading `\`,
//! and a 填空's accepted answers escape `( ) | \` and line breaks, so
//! export → import is the identity.

use super::lines;
use crate::bank::question::{format_points, letter, Answer, Question};

/// The first line of an exported file.
pub const EXPORT_HEADER: &str = "// examhall 题库导出（【答案】格式）";

/// Writes questions in this format (parse ∘ write is the identity).
pub fn write(questions: &[Question]) -> String {
    let mut out = format!("{EXPORT_HEADER}\n\n");
    let mut category: Option<&str> = None;
    for (i, q) in questions.iter().enumerate() {
        if category != Some(q.category.as_str()) {
            out.push_str(&format!("# {}\n\n", q.category));
            category = Some(&q.category);
        }
        out.push_str(&format!("{}.【{}】{}\n", i + 1, q.kind.label(), field(&q.stem)));
        for (j, o) in q.options.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", letter(j), field(o)));
        }
        match &q.answer {
            Answer::Choices(c) => {
                out.push_str(&format!("【答案】{}\n", c.iter().map(|i| letter(*i)).collect::<String>()))
            }
            Answer::TrueFalse(v) => out.push_str(&format!("【答案】{}\n", if *v { "正确" } else { "错误" })),
            Answer::Blanks(groups) => {
                let g: String = groups
                    .iter()
                    .map(|alts| {
                        format!("({})", alts.iter().map(|a| escape_blank(a)).collect::<Vec<_>>().join("|"))
                    })
                    .collect();
                out.push_str(&format!("【答案】{g}\n"));
            }
            Answer::Reference(r) => out.push_str(&format!("【参考答案】{}\n", field(r))),
        }
        if !q.explanation.is_empty() {
            out.push_str(&format!("【解析】{}\n", field(&q.explanation)));
        }
        out.push_str(&format!(
            "【分值】{}\n【难度】{}\n【渠道】{}\n",
            format_points(q.points),
            q.difficulty,
            q.channel.label()
        ));
        if !q.knowledge_points.is_empty() {
            out.push_str(&format!("【知识点】{}\n", q.knowledge_points.join("、")));
        }
        if !q.source.is_empty() {
            out.push_str(&format!("【来源】{}\n", q.source));
        }
        out.push('\n');
    }
    out
}

/// A multi-line text after its tag: the first line as is, the others escaped
/// when they could be read as structure.
fn field(text: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if needs_escape(line) {
                out.push('\\');
            }
        }
        out.push_str(line);
    }
    out
}

fn needs_escape(line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || t.starts_with(['\\', '#'])
        || t.starts_with("//")
        || lines::numbered(line).is_some()
        || lines::option_start(line).is_some()
        || lines::tag_line(line).is_some()
        || lines::typed_heading(line).is_some()
        || lines::numeral_heading(line)
        || line.starts_with(char::is_whitespace)
        || line.ends_with(char::is_whitespace)
}

fn escape_blank(answer: &str) -> String {
    let mut out = String::new();
    for c in answer.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '(' | ')' | '（' | '）' | '|' | '｜' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}
