//! The examhall text format (the 【答案】 convention), as specified in
//! `question_bank/FORMAT.md`.

use std::sync::LazyLock;

use regex::Regex;

use super::{LineError, Parsed};
use crate::bank::question::{
    letter, letter_index, parse_difficulty, parse_points, split_list, Answer, Channel, Kind, Question,
};
use crate::web::msg;

static QUESTION_START: LazyLock<Regex> = LazyLock::new(|| {
    // 1.  1、  1．  (1)  （1）  — "5G" never matches; "1.5元" is excluded in `question_start`.
    Regex::new(r"^\s*(?:[(（]\d{1,4}[)）]|\d{1,4}\s*[.、．])\s*").unwrap_or_else(|_| unreachable!())
});

/// The stem text after a question number, or None if the line does not start a question.
fn question_start(line: &str) -> Option<&str> {
    let m = QUESTION_START.find(line)?;
    let rest = &line[m.end()..];
    // A decimal such as "1.5元/分钟" continues the previous text.
    let decimal =
        line[..m.end()].trim_end().ends_with(['.', '．']) && rest.starts_with(|c: char| c.is_ascii_digit());
    (!decimal && !OPTION.is_match(line)).then_some(rest)
}
static OPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[(（]([A-H])[)）]|([A-H])\s*[.、．)）:：])\s*").unwrap_or_else(|_| unreachable!())
});
/// A further option on the same line, after 2+ spaces or a tab.
static NEXT_OPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\s{2,}|\t|\u{3000}+)(?:[(（]([B-H])[)）]|([B-H])\s*[.、．)）:：])\s*")
        .unwrap_or_else(|_| unreachable!())
});
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*【([^】]{1,6})】\s*[:：]?\s*(.*)$").unwrap_or_else(|_| unreachable!()));
static KIND_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（](单选|多选|判断|填空|简答)题?[)）]\s*$").unwrap_or_else(|_| unreachable!())
});
static BLANK_GROUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[(（]([^()（）]*)[)）]").unwrap_or_else(|_| unreachable!()));

/// Which part of the question a continuation line belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Stem,
    Option,
    Explanation,
    Reference,
    Other,
}

#[derive(Debug, Default)]
struct Draft {
    line: usize,
    kind: Option<Kind>,
    stem: String,
    options: Vec<String>,
    answer: Option<(usize, String)>,
    explanation: String,
    points: Option<i64>,
    difficulty: Option<u8>,
    channel: Option<Channel>,
    category: Option<String>,
    knowledge_points: Vec<String>,
    source: String,
    reference: String,
    field: Option<Field>,
    broken: bool,
}

pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut category = String::new();
    let mut draft: Option<Draft> = None;
    let lines: Vec<&str> = text.lines().collect();
    for (i, raw) in lines.iter().enumerate() {
        let line_no = i + 1;
        let line = raw.trim_end();
        let trimmed = line.trim();
        if trimmed.starts_with("//") {
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('#') {
            finish(draft.take(), &category, &mut out);
            category = header.trim_start_matches('#').trim().to_string();
            continue;
        }
        // Reference answers and explanations are often numbered (1、… 2、…):
        // there a numbered line starts a question only if one follows it.
        let in_prose =
            draft.as_ref().is_some_and(|d| matches!(d.field, Some(Field::Explanation | Field::Reference)));
        let starts = question_start(line).filter(|_| !in_prose || question_follows(&lines, i));
        if let Some(stem) = starts {
            finish(draft.take(), &category, &mut out);
            draft = Some(start(line_no, stem));
            continue;
        }
        let Some(d) = draft.as_mut() else {
            if OPTION.is_match(line) || TAG.is_match(line) {
                out.errors.push(LineError::new(line_no, msg::TEXT_OUTSIDE_QUESTION));
            }
            // Anything else before the first question is a title: ignored.
            continue;
        };
        if let Some(caps) = TAG.captures(line) {
            let (name, value) = (caps[1].trim().to_string(), caps[2].trim().to_string());
            tag(d, line_no, &name, &value, &mut out);
        } else if OPTION.is_match(line)
            && d.field != Some(Field::Explanation)
            && d.field != Some(Field::Reference)
        {
            options(d, line_no, line, &mut out);
        } else if !trimmed.is_empty() {
            continue_field(d, trimmed);
        }
    }
    finish(draft, &category, &mut out);
    out.errors.sort_by_key(|e| e.line);
    out
}

/// Whether the numbered line `at` carries a question: a type tag on it, or
/// options or an answer before the next blank or numbered line.
fn question_follows(lines: &[&str], at: usize) -> bool {
    let has_answer_tag = |l: &str| {
        TAG.captures(l).is_some_and(|c| {
            matches!(&c[1], "答案" | "正确答案" | "参考答案") || Kind::parse_label(&c[1]).is_some()
        })
    };
    if question_start(lines[at]).is_some_and(|stem| has_answer_tag(stem.trim()) || KIND_SUFFIX.is_match(stem))
    {
        return true;
    }
    lines[at + 1..]
        .iter()
        .take_while(|l| !l.trim().is_empty() && question_start(l).is_none())
        .any(|l| OPTION.is_match(l) || has_answer_tag(l))
}

fn start(line_no: usize, stem: &str) -> Draft {
    let mut stem = stem.trim().to_string();
    let mut d = Draft { line: line_no, field: Some(Field::Stem), ..Default::default() };
    if let Some(caps) = TAG.captures(&stem) {
        if let Some(kind) = Kind::parse_label(&caps[1]) {
            d.kind = Some(kind);
            stem = caps[2].trim().to_string();
        }
    }
    if let Some(caps) = KIND_SUFFIX.captures(&stem) {
        d.kind = d.kind.or(Kind::parse_label(&caps[1]));
        stem = KIND_SUFFIX.replace(&stem, "").trim().to_string();
    }
    d.stem = stem;
    d
}

fn options(d: &mut Draft, line_no: usize, line: &str, out: &mut Parsed) {
    let mut rest = line;
    while let Some(caps) = OPTION.captures(rest) {
        let letter_text = caps.get(1).or(caps.get(2)).map(|m| m.as_str()).unwrap_or("A");
        let index = letter_text.chars().next().and_then(letter_index).unwrap_or(0);
        let body_start = caps.get(0).map(|m| m.end()).unwrap_or(0);
        let body = &rest[body_start..];
        let (text, next) = match NEXT_OPTION.find(body) {
            Some(m) => (&body[..m.start()], &body[m.start()..]),
            None => (body, ""),
        };
        if index != d.options.len() {
            out.errors.push(LineError::new(line_no, msg::text_option_gap(letter(d.options.len()))));
            d.broken = true;
            return;
        }
        d.options.push(text.trim().to_string());
        d.field = Some(Field::Option);
        rest = next.trim_start();
        if rest.is_empty() {
            break;
        }
    }
}

fn tag(d: &mut Draft, line_no: usize, name: &str, value: &str, out: &mut Parsed) {
    d.field = Some(Field::Other);
    let errors_before = out.errors.len();
    let mut bad = |m: String| {
        out.errors.push(LineError::new(line_no, m));
    };
    match name {
        "答案" | "正确答案" => d.answer = Some((line_no, value.to_string())),
        "解析" | "答案解析" => {
            d.explanation = value.to_string();
            d.field = Some(Field::Explanation);
        }
        "参考答案" => {
            d.reference = value.to_string();
            d.field = Some(Field::Reference);
        }
        "分值" | "分数" => match parse_points(value) {
            Some(p) => d.points = Some(p),
            None => bad(msg::text_bad_points(value)),
        },
        "难度" => match parse_difficulty(value) {
            Some(v) => d.difficulty = Some(v),
            None => bad(msg::Q_DIFFICULTY_RANGE.to_string()),
        },
        "知识点" => d.knowledge_points = split_list(value),
        "渠道" => match Channel::parse_label(value) {
            Some(c) => d.channel = Some(c),
            None => bad(msg::unknown_channel(value)),
        },
        "分类" => d.category = Some(value.to_string()),
        "来源" => d.source = value.to_string(),
        other => match Kind::parse_label(other) {
            Some(kind) => d.kind = Some(kind),
            None => bad(msg::unknown_tag(other)),
        },
    }
    // A question with a bad field is not imported with a default in its place.
    if out.errors.len() > errors_before {
        d.broken = true;
    }
}

fn continue_field(d: &mut Draft, text: &str) {
    let target = match d.field {
        Some(Field::Stem) => &mut d.stem,
        Some(Field::Option) => match d.options.last_mut() {
            Some(o) => o,
            None => &mut d.stem,
        },
        Some(Field::Explanation) => &mut d.explanation,
        Some(Field::Reference) => &mut d.reference,
        _ => return,
    };
    if !target.is_empty() {
        target.push('\n');
    }
    target.push_str(text);
}

/// Reads 【答案】 for the draft's kind (given or to be inferred). With options,
/// letters come first: "F" is option F there, not 错误.
pub(crate) fn parse_answer(
    text: &str,
    kind: Option<Kind>,
    has_options: bool,
) -> Result<(Kind, Answer), String> {
    let t = text.trim();
    // A given type decides how the answer reads: 对 is a blank's answer in a 填空.
    match kind {
        Some(Kind::Essay) => return Ok((Kind::Essay, Answer::Reference(t.to_string()))),
        Some(Kind::Blanks) => return Ok((Kind::Blanks, Answer::Blanks(blank_groups(t)))),
        Some(Kind::Single | Kind::Multiple) => {
            return parse_letters(t, kind).ok_or_else(|| msg::text_bad_answer(t))
        }
        _ => {}
    }
    if has_options {
        if let Some(choice) = parse_letters(t, kind) {
            return Ok(choice);
        }
    }
    if matches!(t, "正确" | "对" | "√" | "是" | "T" | "t" | "True" | "true" | "✓" | "✔") {
        return Ok((kind.unwrap_or(Kind::TrueFalse), Answer::TrueFalse(true)));
    }
    if matches!(t, "错误" | "错" | "×" | "否" | "F" | "f" | "False" | "false" | "✗" | "✘" | "X") {
        return Ok((kind.unwrap_or(Kind::TrueFalse), Answer::TrueFalse(false)));
    }
    if BLANK_GROUP.is_match(t) && BLANK_GROUP.replace_all(t, "").trim().is_empty() {
        return Ok((kind.unwrap_or(Kind::Blanks), Answer::Blanks(blank_groups(t))));
    }
    if let Some(choice) = parse_letters(t, kind) {
        return Ok(choice);
    }
    Err(msg::text_bad_answer(t))
}

/// `(a|b)(c)` → one group per blank; text without parentheses is one blank.
fn blank_groups(t: &str) -> Vec<Vec<String>> {
    let split =
        |g: &str| g.split(['|', '｜']).map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
    let groups: Vec<Vec<String>> = BLANK_GROUP.captures_iter(t).map(|c| split(&c[1])).collect();
    if !groups.is_empty() && BLANK_GROUP.replace_all(t, "").trim().is_empty() {
        groups
    } else {
        vec![split(t)]
    }
}

/// `B`, `ABD`, `A,B,D`, `A、B、D` as option indexes (the kind inferred from the count).
fn parse_letters(t: &str, kind: Option<Kind>) -> Option<(Kind, Answer)> {
    let letters: String = t.chars().filter(|c| !matches!(c, ',' | '，' | '、' | ' ' | '　')).collect();
    if letters.is_empty() || !letters.chars().all(|c| letter_index(c).is_some() && c.is_ascii_uppercase()) {
        return None;
    }
    let mut picks: Vec<usize> = letters.chars().filter_map(letter_index).collect();
    let count = picks.len();
    picks.sort_unstable();
    picks.dedup();
    let inferred = if count > 1 { Kind::Multiple } else { Kind::Single };
    Some((kind.unwrap_or(inferred), Answer::Choices(picks)))
}

fn finish(draft: Option<Draft>, category: &str, out: &mut Parsed) {
    let Some(d) = draft else { return };
    if d.broken {
        return;
    }
    let (kind, answer) = match &d.answer {
        Some((line, text)) => match parse_answer(text, d.kind, !d.options.is_empty()) {
            Ok(parsed) => parsed,
            Err(m) => {
                out.errors.push(LineError::new(*line, m));
                return;
            }
        },
        None if !d.options.is_empty() && d.kind != Some(Kind::Essay) => {
            out.errors.push(LineError::new(d.line, msg::TEXT_ANSWER_MISSING));
            return;
        }
        None => (d.kind.unwrap_or(Kind::Essay), Answer::Reference(d.reference.clone())),
    };
    let answer = match (kind, answer) {
        (Kind::Essay, Answer::Reference(r)) if r.is_empty() => Answer::Reference(d.reference.clone()),
        (_, a) => a,
    };
    let question = Question {
        kind,
        stem: d.stem.trim().to_string(),
        options: d.options,
        answer,
        explanation: d.explanation.trim().to_string(),
        points: d.points.unwrap_or(kind.default_points()),
        difficulty: d.difficulty.unwrap_or(3),
        channel: d.channel.unwrap_or(Channel::General),
        category: d.category.unwrap_or_else(|| category.to_string()),
        knowledge_points: d.knowledge_points,
        source: d.source,
    };
    out.push_checked(d.line, question);
}

/// Writes questions in this format (for export; parse ∘ write is the identity).
pub fn write(questions: &[Question]) -> String {
    use crate::bank::question::format_points;
    let mut out = String::new();
    let mut category: Option<&str> = None;
    for (i, q) in questions.iter().enumerate() {
        if category != Some(q.category.as_str()) {
            out.push_str(&format!("# {}\n\n", q.category));
            category = Some(&q.category);
        }
        out.push_str(&format!("{}.【{}】{}\n", i + 1, q.kind.label(), q.stem));
        for (j, o) in q.options.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", letter(j), o));
        }
        match &q.answer {
            Answer::Choices(c) => {
                out.push_str(&format!("【答案】{}\n", c.iter().map(|i| letter(*i)).collect::<String>()))
            }
            Answer::TrueFalse(v) => out.push_str(&format!("【答案】{}\n", if *v { "正确" } else { "错误" })),
            Answer::Blanks(groups) => {
                let g: String = groups.iter().map(|alts| format!("({})", alts.join("|"))).collect();
                out.push_str(&format!("【答案】{g}\n"));
            }
            Answer::Reference(r) if !r.is_empty() => out.push_str(&format!("【参考答案】{r}\n")),
            Answer::Reference(_) => {}
        }
        if !q.explanation.is_empty() {
            out.push_str(&format!("【解析】{}\n", q.explanation));
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

#[cfg(test)]
mod tests;
