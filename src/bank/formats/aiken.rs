//! Aiken: single-answer multiple choice, one `ANSWER: X` line per question.
//!
//! ```text
//! 携号转网前应先获取什么？
//! A. 授权码
//! B. 验证码
//! ANSWER: A
//! ```
//!
//! A malformed question is reported on its line, as Moodle's Aiken import
//! does, and the rest of the file is still read: options before any question
//! text, options out of order, fewer than 2 options, no `ANSWER` line (text
//! after the options starts the next question), an `ANSWER` that is not one
//! letter or names no option, an `ANSWER` line with no question before it.
//! `ANSWER` may be written in any case, with `:` or `：`.

use std::sync::LazyLock;

use regex::Regex;

use super::{LineError, Parsed};
use crate::bank::question::{letter, letter_index, Answer, Channel, Kind, Question};
use crate::web::msg;

static OPTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-H])\s*[.)．、]\s*(.*)$").unwrap_or_else(|_| unreachable!()));
static ANSWER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^ANSWER\s*[:：]\s*(\S*)\s*$").unwrap_or_else(|_| unreachable!()));

#[derive(Default)]
struct Draft {
    line: usize,
    stem: Vec<String>,
    options: Vec<String>,
    broken: bool,
}

pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut draft: Option<Draft> = None;
    for (i, raw) in text.lines().enumerate() {
        let (line_no, line) = (i + 1, raw.trim());
        if line.is_empty() {
            continue;
        }
        if let Some(caps) = ANSWER.captures(line) {
            match draft.take() {
                Some(d) if d.broken => {}
                Some(d) => finish(d, &caps[1], line_no, &mut out),
                None => out.errors.push(LineError::new(line_no, msg::AIKEN_ANSWER_WITHOUT_QUESTION)),
            }
            continue;
        }
        let d = draft.get_or_insert_with(|| Draft { line: line_no, ..Default::default() });
        match OPTION.captures(line) {
            Some(caps) if d.stem.is_empty() => {
                // Options with no question text: reported once, the block read to its ANSWER.
                if !d.broken {
                    out.errors.push(LineError::new(line_no, msg::AIKEN_OPTION_BEFORE_QUESTION));
                    d.broken = true;
                }
                d.options.push(caps[2].trim().to_string());
            }
            Some(caps) => {
                let index = caps[1].chars().next().and_then(letter_index).unwrap_or(0);
                if index != d.options.len() && !d.broken {
                    out.errors.push(LineError::new(line_no, msg::text_option_gap(letter(d.options.len()))));
                    d.broken = true;
                }
                d.options.push(caps[2].trim().to_string());
            }
            _ if !d.options.is_empty() => {
                // Text after the options without an ANSWER line: a new question began.
                if !d.broken {
                    out.errors.push(LineError::new(d.line, msg::AIKEN_ANSWER_MISSING));
                }
                draft = Some(Draft { line: line_no, stem: vec![line.to_string()], ..Default::default() });
            }
            _ => d.stem.push(line.to_string()),
        }
    }
    if let Some(d) = draft {
        if !d.broken {
            out.errors.push(LineError::new(d.line, msg::AIKEN_ANSWER_MISSING));
        }
    }
    out.errors.sort_by_key(|e| e.line);
    out
}

fn finish(d: Draft, answer: &str, answer_line: usize, out: &mut Parsed) {
    let Some(index) = answer.chars().next().filter(|_| answer.chars().count() == 1).and_then(letter_index)
    else {
        out.errors.push(LineError::new(answer_line, msg::aiken_answer_not_letter(answer)));
        return;
    };
    let question = Question {
        kind: Kind::Single,
        stem: d.stem.join("\n"),
        options: d.options,
        answer: Answer::Choices(vec![index]),
        explanation: String::new(),
        points: Kind::Single.default_points(),
        difficulty: 3,
        channel: Channel::General,
        category: String::new(),
        knowledge_points: Vec::new(),
        source: String::new(),
    };
    out.push_checked(d.line, question);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_questions_and_reports_mistakes_by_line() {
        let text = "\
携号转网前应先获取什么？
A. 授权码
B. 验证码
ANSWER: A

补卡需要：
A) 本人证件
B) 照片
ANSWER: C

缺少答案行的题
A. 甲
B. 乙
下一题
A. 甲
C. 丙
ANSWER: A
ANSWER: B
";
        let p = parse(text);
        assert_eq!(p.items.len(), 1);
        assert_eq!(p.items[0].question.answer, Answer::Choices(vec![0]));
        assert_eq!(p.items[0].question.options, vec!["授权码", "验证码"]);
        let got: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (6, "答案中的选项 C 不存在"),
                (11, msg::AIKEN_ANSWER_MISSING),
                (16, "选项缺少 B（选项须从 A 起连续）"),
                (18, msg::AIKEN_ANSWER_WITHOUT_QUESTION),
            ]
        );
    }

    #[test]
    fn a_malformed_question_is_reported_and_the_rest_still_read() {
        let text = "\
A. 没有题干的选项
B. 乙
ANSWER: A

只有一个选项的题
A. 甲
ANSWER: A

答案不是字母
A. 甲
B. 乙
ANSWER: 甲

正常的题
A) 甲
B) 乙
Answer： B

缺答案行
A. 甲
B. 乙

最后一题
A. 甲
B. 乙
ANSWER: A
ANSWER:
";
        let p = parse(text);
        let got: Vec<(usize, &Answer)> = p.items.iter().map(|i| (i.line, &i.question.answer)).collect();
        assert_eq!(got, vec![(14, &Answer::Choices(vec![1])), (23, &Answer::Choices(vec![0]))]);
        let errors: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(
            errors,
            vec![
                (1, msg::AIKEN_OPTION_BEFORE_QUESTION),
                (5, msg::Q_TOO_FEW_OPTIONS),
                (12, msg::aiken_answer_not_letter("甲").as_str()),
                (19, msg::AIKEN_ANSWER_MISSING),
                (27, msg::AIKEN_ANSWER_WITHOUT_QUESTION),
            ]
        );
    }
}
