//! What one line of a 题库 is, in the spellings trainers use: question
//! numbers, options, answer lines, tags, section headings. Pure functions of
//! the line; the sequence (which numbered line really starts a question) is
//! decided in `mod.rs`.

use std::sync::LazyLock;

use regex::Regex;

use super::re;

/// How the current section numbers its questions and what type it gives them.
#[derive(Default)]
pub(super) struct Section {
    pub(super) kind: Option<KindLabel>,
    pub(super) points: Option<i64>,
    pub(super) family: Option<Family>,
    pub(super) last: Option<u32>,
}

/// Full-width digits and capital letters as ASCII (only for reading labels).
pub fn half_width(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    }
}

/// How a question number is written. A file may mix them; the first question
/// of a section sets the one its sub-items are told apart from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// `1.` `1．`
    Dot,
    /// `1、`
    Comma,
    /// `(1)` `（1）`
    Paren,
    /// `1)` `1）`
    Close,
    /// `第1题`
    Di,
    /// `①`
    Circled,
}

impl Family {
    pub fn example(self) -> &'static str {
        match self {
            Family::Dot => "1.",
            Family::Comma => "1、",
            Family::Paren => "（1）",
            Family::Close => "1)",
            Family::Di => "第1题",
            Family::Circled => "①",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Numbered<'a> {
    pub n: u32,
    pub family: Family,
    pub rest: &'a str,
    /// `1.5元`: a dot and then a digit, which may be a decimal rather than a number.
    pub decimal_like: bool,
}

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:第\s*([0-9０-９]{1,4})\s*题\s*[.、．:：]?|[(（]\s*([0-9０-９]{1,4})\s*[)）]|([0-9０-９]{1,4})\s*([.．]|、|[)）]))[ \t\u{3000}]*",
    )
});

fn number(text: &str) -> Option<u32> {
    text.chars().map(half_width).collect::<String>().parse().ok()
}

/// A numbered line: `1.` `1、` `1．` `（1）` `1)` `第1题`.
pub fn numbered(line: &str) -> Option<Numbered<'_>> {
    let t = line.trim_start();
    if let Some(c) = t.chars().next().filter(|c| ('\u{2460}'..='\u{2473}').contains(c)) {
        let rest = t[c.len_utf8()..].trim_start_matches([' ', '\t', '\u{3000}', '.', '、', '．']);
        let n = c as u32 - 0x2460 + 1;
        return (!rest.trim().is_empty()).then_some(Numbered {
            n,
            family: Family::Circled,
            rest,
            decimal_like: false,
        });
    }
    let caps = NUMBER.captures(line)?;
    let whole = caps.get(0)?;
    let rest = &line[whole.end()..];
    let (digits, family) = if let Some(d) = caps.get(1) {
        (d, Family::Di)
    } else if let Some(d) = caps.get(2) {
        (d, Family::Paren)
    } else {
        let sep = caps.get(4).map(|m| m.as_str()).unwrap_or(".");
        let family = match sep {
            "、" => Family::Comma,
            ")" | "）" => Family::Close,
            _ => Family::Dot,
        };
        (caps.get(3)?, family)
    };
    let n = number(digits.as_str())?;
    let decimal_like = family == Family::Dot
        && !whole.as_str().ends_with([' ', '\t', '\u{3000}'])
        && rest.starts_with(|c: char| half_width(c).is_ascii_digit());
    // `1)` closing a parenthesis opened earlier on the line is not a number.
    if rest.trim().is_empty() && family != Family::Di {
        return None;
    }
    Some(Numbered { n, family, rest, decimal_like })
}

/// An option label at the start of the line: `A.` `A、` `A．` `A)` `(A)` `Ａ．` `A:`.
static OPTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:[(（]\s*([A-HＡ-Ｈa-h])\s*[)）]|([A-HＡ-Ｈ])\s*[.、．:：)）]|([a-h])\s*[.、．)）])[ \t\u{3000}]*",
    )
});

/// The letter index and the text after the label.
pub fn option_start(line: &str) -> Option<(usize, usize)> {
    let caps = OPTION.captures(line)?;
    // `a) 全额收取`, but not `e.g.`: a lowercase label is followed by no Latin letter.
    if caps.get(3).is_some() && line[caps.get(0)?.end()..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let letter = caps.get(1).or(caps.get(2)).or(caps.get(3))?.as_str().chars().next().map(half_width)?;
    Some(((letter.to_ascii_uppercase() as u8 - b'A') as usize, caps.get(0)?.end()))
}

/// Where the label of option `index` starts inside `text` (not at its start):
/// `B.` `B、` `(B)` … preceded by anything but a Latin letter or digit, so
/// `5GB.` or `2B.` are not labels.
pub fn find_label(text: &str, index: usize) -> Option<(usize, usize)> {
    let upper = (b'A' + index as u8) as char;
    let wide = char::from_u32(upper as u32 + 0xfee0).unwrap_or(upper);
    let mut prev: Option<char> = None;
    for (at, c) in text.char_indices() {
        if c == '(' || c == '（' {
            let inner = text[at + c.len_utf8()..].trim_start_matches([' ', '\u{3000}']);
            if let Some(after) = inner.strip_prefix([upper, wide]) {
                let after = after.trim_start_matches([' ', '\u{3000}']);
                if let Some(end) = after.strip_prefix([')', '）']) {
                    let end_at = text.len() - end.len();
                    return Some((at, end_at + leading_space(end)));
                }
            }
        }
        // `960B.1000`: a number then the next label, when a number follows it too.
        let digit_then_digit = prev.is_some_and(|p| p.is_ascii_digit())
            && text[at + c.len_utf8()..]
                .strip_prefix(['.', '．'])
                .is_some_and(|r| r.starts_with(|d: char| d.is_ascii_digit()));
        let apart = !prev.is_some_and(|p| p.is_ascii_alphanumeric()) || digit_then_digit;
        if (c == upper || c == wide) && apart && at > 0 {
            let after = text[at + c.len_utf8()..].trim_start_matches([' ', '\u{3000}']);
            if after.starts_with(['.', '、', '．', ':', '：', ')', '）']) {
                let sep = after.chars().next().map(char::len_utf8).unwrap_or(1);
                let end = &after[sep..];
                let end_at = text.len() - end.len();
                // `(A)` is handled above; a bare `A)` right after `(` is that case.
                if !matches!(prev, Some('(' | '（')) {
                    return Some((at, end_at + leading_space(end)));
                }
            }
        }
        prev = Some(c);
    }
    None
}

/// Option A's label inside a stem line, past an answer written as `（ A ）`
/// right before it: `…放在（ A ）A.门口 B.柜台`.
pub fn first_option_label(stem: &str) -> Option<(usize, usize)> {
    let (at, body) = find_label(stem, 0)?;
    match option_start(&stem[body..]) {
        Some((0, len)) => Some((body, body + len)),
        _ => Some((at, body)),
    }
}

fn leading_space(text: &str) -> usize {
    text.len() - text.trim_start_matches([' ', '\t', '\u{3000}']).len()
}

pub use super::tags::{kind_label, split_tail, tag_line, KindLabel, Tag, TagLine};

/// A section heading: `一、单项选择题`, `二、多选题（每题2分）`, `【判断题】`,
/// `第三部分 填空题`, `单选题`; with the points per question when given.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|第\s*[一二三四五六七八九十0-9]+\s*(?:部分|大题|节|章)\s*[、.．:：]?|[(（][一二三四五六七八九十]+[)）]|[0-9]{1,2}\s*[、.．])?\s*[【\[]?\s*([^\s【】\[\]()（）:：,，。]{2,8}?)\s*[】\]]?\s*(?:[(（]([^)）]*)[)）])?\s*[:：]?\s*$",
    )
});
static NUMERAL_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|第\s*[一二三四五六七八九十0-9]+\s*(?:部分|大题|节|章))\s*\S.{0,30}$",
    )
});
static POINTS_EACH: LazyLock<Regex> =
    LazyLock::new(|| re(r"每(?:小|道)?题\s*([0-9]+(?:\.[0-9]{1,2})?)\s*分"));

pub struct Heading {
    /// None: a numbered part without a type (`一、业务知识`).
    pub kind: Option<KindLabel>,
    pub points: Option<i64>,
}

/// A heading that names a type.
pub fn typed_heading(line: &str) -> Option<Heading> {
    let simple = super::tags::simplify(line);
    let caps = HEADING.captures(&simple)?;
    let kind = kind_label(&caps[1])?;
    let points = caps
        .get(2)
        .and_then(|m| POINTS_EACH.captures(m.as_str()))
        .and_then(|c| crate::bank::question::parse_points(&c[1]));
    Some(Heading { kind: Some(kind), points })
}

/// `一、业务知识`: a part of the file without a type (numbering restarts).
pub fn numeral_heading(line: &str) -> bool {
    NUMERAL_HEADING.is_match(line)
}

static PART: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*第\s*[一二三四五六七八九十0-9]+\s*部分[\s\u{3000}:：、.．]*(.{0,30})$"));
const KIND_WORDS: [&str; 12] = [
    "单选",
    "单项选择",
    "多选",
    "多项选择",
    "不定项",
    "判断",
    "是非",
    "填空",
    "简答",
    "问答",
    "论述",
    "案例",
];

/// `第二部分　应知应会问答`: a part of a paper, with the type its name mentions.
pub fn part_heading(line: &str) -> Option<Option<KindLabel>> {
    let c = PART.captures(line)?;
    let name = super::tags::simplify(&c[1]).into_owned();
    Some(KIND_WORDS.iter().find(|w| name.contains(*w)).and_then(|w| kind_label(w)))
}

static NUMERAL_QUESTION: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]\s*(.{2,}[？?])\s*$"));

/// `一、什么是“首问负责制”？`: a question numbered in Chinese numerals (when
/// an answer line follows it).
pub fn numeral_question(line: &str) -> Option<&str> {
    NUMERAL_QUESTION.captures(line).and_then(|c| c.get(1)).map(|m| m.as_str())
}

/// `（单选题，2分）` / `【多选】` / `(判断题)` right after the number, or
/// `单选题：` — the type and points given on the question's own line.
static KIND_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*[【(（\[]\s*([^\s】)）\],，、]{2,7}?)\s*(?:[,，、]\s*([0-9]+(?:\.[0-9]{1,2})?)\s*分)?\s*[】)）\]]\s*",
    )
});
static KIND_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"[(（【\[]\s*([^\s)）】\]]{2,7}?)\s*(?:[,，、]\s*([0-9]+(?:\.[0-9]{1,2})?)\s*分)?\s*[)）】\]]\s*\*?\s*$",
    )
});
/// `（2分）` `（本题2分）` `【2分】` `(满分10分)` at the end of a stem, or alone on a line.
static POINTS_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(r"[(（【\[]\s*(?:本题|本小题|满分|共)?\s*([0-9]+(?:\.[0-9]{1,2})?)\s*分\s*[)）】\]]\s*$")
});

/// A line that is only a points note: `（本题10分）`.
pub fn points_line(line: &str) -> Option<i64> {
    let c = POINTS_SUFFIX.captures(line.trim())?;
    (c.get(0)?.start() == 0).then(|| crate::bank::question::parse_points(&c[1])).flatten()
}

/// Strips a type (and points) label from the start or end of a stem line.
pub fn stem_labels(stem: &str) -> (String, Option<KindLabel>, Option<i64>) {
    let mut stem = stem.trim().to_string();
    let mut kind = None;
    let mut points = None;
    if let Some(c) = KIND_PREFIX.captures(&stem) {
        if let Some(k) = kind_label(&c[1]) {
            kind = Some(k);
            points = c.get(2).and_then(|p| crate::bank::question::parse_points(p.as_str()));
            stem = stem[c.get(0).map(|m| m.end()).unwrap_or(0)..].to_string();
        }
    }
    if let Some(c) = KIND_SUFFIX.captures(&stem) {
        if let Some(k) = kind_label(&c[1]) {
            kind = kind.or(Some(k));
            points =
                points.or_else(|| c.get(2).and_then(|p| crate::bank::question::parse_points(p.as_str())));
            stem = stem[..c.get(0).map(|m| m.start()).unwrap_or(stem.len())].trim_end().to_string();
        }
    }
    if let Some(c) = POINTS_SUFFIX.captures(&stem) {
        points = points.or_else(|| crate::bank::question::parse_points(&c[1]));
        stem = stem[..c.get(0).map(|m| m.start()).unwrap_or(stem.len())].trim_end().to_string();
    }
    (stem, kind, points)
}

/// In an exported file only the `【单选】` after the number is a label.
pub fn strict_stem_label(stem: &str) -> (String, Option<KindLabel>, Option<i64>) {
    if let Some(c) = super::tags::BRACKET_TAG.captures(stem) {
        if let Some(k @ KindLabel::Is(_)) = kind_label(&c[1]) {
            return (c[2].to_string(), Some(k), None);
        }
    }
    (stem.to_string(), None, None)
}

#[cfg(test)]
mod tests;
