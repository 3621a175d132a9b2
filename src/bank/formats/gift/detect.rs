//! Telling GIFT from other text, for the import's format detection: braces
//! alone are not GIFT (code, JSON, templates, LaTeX and Word text have them).
//!
//! Text is GIFT when its questions (blocks between blank lines) carry answer
//! groups in GIFT's syntax — `{=…}` `{~…}` `{T}` `{F}` `{TRUE}` `{FALSE}`
//! `{#…}` — and most questions do (or the file has `$CATEGORY:` or
//! `::title::` lines, Moodle's own marks, and at least one). Never GIFT: text
//! with a text-format answer line (`【答案】`, `答案：`, `答：`), a Markdown code
//! fence, templating braces (`{{ }}`, `${…}`, `{% %}`), or many groups that are
//! not GIFT (code or templates; one such group is allowed per five good ones,
//! so a GIFT file with a mistake is still read as GIFT and its mistake reported).

use super::lex::{before_feedback, find, lex, string, trim, Unit};

/// What the groups of one block are.
enum Shape {
    /// Answer groups in GIFT's syntax.
    Answers,
    /// Only `{}` (an essay in GIFT, or nothing in particular).
    Empty,
    /// No braces.
    Plain,
    /// Braces that are not GIFT.
    Foreign,
}

/// Whether `text` is a GIFT file (see the module docs).
pub fn looks_like_gift(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}');
    if text.contains("【答案】")
        || text.lines().any(|l| is_answer_line(l) || is_fence(l))
        || ["{{", "}}", "${", "{%", "%}", "#{"].iter().any(|t| text.contains(t))
    {
        return false;
    }
    let mut blocks: Vec<Vec<(usize, String)>> = vec![Vec::new()];
    let mut marked = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with("$CATEGORY:") {
            marked = true;
            blocks.push(Vec::new());
        } else if line.is_empty() {
            blocks.push(Vec::new());
        } else if !line.starts_with("//") {
            blocks.last_mut().unwrap_or_else(|| unreachable!()).push((i + 1, line.to_string()));
        }
    }
    let (mut gift, mut empty, mut other, mut foreign) = (0usize, 0usize, 0usize, 0usize);
    for block in blocks.iter().filter(|b| !b.is_empty()) {
        let units = lex(block);
        let u = trim(&units);
        let titled = u.len() > 2 && u[0].is(':') && u[1].is(':') && find(u, 2, "::").is_some();
        marked |= titled;
        // Several numbered questions in one block are a numbered list, not GIFT.
        other += block.iter().skip(1).filter(|(_, l)| numbered(l)).count();
        match shape(u) {
            Shape::Answers => gift += 1,
            Shape::Empty if titled => gift += 1,
            Shape::Empty => empty += 1,
            Shape::Plain => other += 1,
            Shape::Foreign => foreign += 1,
        }
    }
    if marked {
        gift += empty;
    }
    gift > 0 && foreign * 5 <= gift && (marked || gift * 2 > gift + other + foreign)
}

fn shape(u: &[Unit]) -> Shape {
    let mut groups = Vec::new();
    let mut open = None;
    for (i, x) in u.iter().enumerate() {
        if x.is('{') {
            if open.is_some() {
                return Shape::Foreign;
            }
            open = Some(i);
        } else if x.is('}') {
            match open.take() {
                Some(o) => groups.push(&u[o + 1..i]),
                None => return Shape::Foreign,
            }
        }
    }
    if open.is_some() {
        return Shape::Foreign;
    }
    if groups.is_empty() {
        return Shape::Plain;
    }
    let mut answers = false;
    for group in groups {
        match group_is_answers(group) {
            Some(a) => answers |= a,
            None => return Shape::Foreign,
        }
    }
    if answers {
        Shape::Answers
    } else {
        Shape::Empty
    }
}

/// Some(true): answers in GIFT's syntax; Some(false): empty; None: not GIFT.
fn group_is_answers(inner: &[Unit]) -> Option<bool> {
    let body = trim(find(inner, 0, "####").map_or(inner, |p| &inner[..p]));
    let Some(first) = body.first() else { return Some(false) };
    let text = string(body);
    // Statements of code end their lines with `;`.
    if text.lines().any(|l| l.trim_end().ends_with(';')) {
        return None;
    }
    if first.is('#') {
        return text.chars().any(|c| c.is_ascii_digit()).then_some(true);
    }
    if first.is('=') || first.is('~') {
        let next = body.get(1)?;
        return (!next.is('=') && !next.is('>')).then_some(true);
    }
    let word = string(before_feedback(body)).trim().to_uppercase();
    matches!(word.as_str(), "T" | "F" | "TRUE" | "FALSE").then_some(true)
}

/// `【答案】B`, `答案：B`, `参考答案:`, `正确答案：`, `答：错`, `【答】对`.
fn is_answer_line(line: &str) -> bool {
    let t = line.trim_start().trim_start_matches(['【', '[', '〔']);
    let t = ["参考", "正确", "标准"].iter().find_map(|p| t.strip_prefix(p)).unwrap_or(t);
    let Some(rest) = t.strip_prefix("答案").or_else(|| t.strip_prefix('答')) else { return false };
    rest.starts_with(['】', ']', '〕']) || rest.trim_start().starts_with([':', '：'])
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// `1.` `2、` `3．` `(4)` `（5）` at the start of a line.
fn numbered(line: &str) -> bool {
    let t = line.trim_start().trim_start_matches(['(', '（']);
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    (1..=3).contains(&digits) && t[digits..].starts_with(['.', '、', '．', ')', '）'])
}
