//! A question as the bank, the importers and the exams see it: plain data,
//! validated by one function whatever format it came from.

use serde::{Deserialize, Serialize};

mod rules;
pub use rules::{problems, validate, Part};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Single,
    Multiple,
    TrueFalse,
    Blanks,
    Essay,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Single, Kind::Multiple, Kind::TrueFalse, Kind::Blanks, Kind::Essay];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::TrueFalse => "true_false",
            Kind::Blanks => "blanks",
            Kind::Essay => "essay",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Single => "单选",
            Kind::Multiple => "多选",
            Kind::TrueFalse => "判断",
            Kind::Blanks => "填空",
            Kind::Essay => "简答",
        }
    }

    pub fn parse_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// 单选 / 单选题 / 单项选择题 …
    pub fn parse_label(text: &str) -> Option<Kind> {
        let t = text.trim();
        match t {
            "单选" | "单选题" | "单项选择" | "单项选择题" => Some(Kind::Single),
            "多选" | "多选题" | "多项选择" | "多项选择题" | "不定项" | "不定项选择题" => {
                Some(Kind::Multiple)
            }
            "判断" | "判断题" => Some(Kind::TrueFalse),
            "填空" | "填空题" => Some(Kind::Blanks),
            "简答" | "简答题" | "问答" | "问答题" | "论述题" => Some(Kind::Essay),
            _ => None,
        }
    }

    /// Points when the source gives none, in hundredths.
    pub fn default_points(self) -> i64 {
        match self {
            Kind::Multiple => 200,
            Kind::Essay => 500,
            _ => 100,
        }
    }

    pub fn has_options(self) -> bool {
        matches!(self, Kind::Single | Kind::Multiple)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Hall,
    Hotline,
    Online,
    General,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Hall, Channel::Hotline, Channel::Online, Channel::General];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Hall => "hall",
            Channel::Hotline => "hotline",
            Channel::Online => "online",
            Channel::General => "general",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Hall => "营业厅",
            Channel::Hotline => "热线",
            Channel::Online => "电子渠道",
            Channel::General => "通用",
        }
    }

    pub fn parse_code(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn parse_label(text: &str) -> Option<Channel> {
        match text.trim() {
            "营业厅" | "厅店" => Some(Channel::Hall),
            "热线" | "10010" | "客服热线" => Some(Channel::Hotline),
            "电子渠道" | "电渠" | "线上" => Some(Channel::Online),
            "通用" | "" => Some(Channel::General),
            _ => None,
        }
    }
}

/// The key of a question, by type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Answer {
    /// Indexes of the correct options (单选: exactly one; 多选: two or more).
    Choices(Vec<usize>),
    TrueFalse(bool),
    /// Per blank, the accepted answers.
    Blanks(Vec<Vec<String>>),
    /// Marked by hand; the reference answer for the marker (may be empty).
    Reference(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub kind: Kind,
    pub stem: String,
    pub options: Vec<String>,
    pub answer: Answer,
    pub explanation: String,
    /// Hundredths of a point.
    pub points: i64,
    /// 1 (easy) – 5 (hard).
    pub difficulty: u8,
    pub channel: Channel,
    /// Levels separated by `/`, e.g. `资费与套餐/5G套餐`.
    pub category: String,
    pub knowledge_points: Vec<String>,
    pub source: String,
}

pub const MAX_OPTIONS: usize = 8;
pub const MAX_POINTS: i64 = 10_000;
/// Longest texts, in characters (the messages in msg.rs name the same numbers).
pub const MAX_STEM: usize = 2000;
pub const MAX_OPTION: usize = 500;
pub const MAX_EXPLANATION: usize = 2000;
pub const MAX_REFERENCE: usize = 2000;
pub const MAX_BLANKS: usize = 20;
pub const MAX_BLANK_ANSWER: usize = 100;
pub const MAX_KNOWLEDGE_POINTS: usize = 10;
pub const MAX_KNOWLEDGE_POINT: usize = 30;
pub const MAX_CATEGORY: usize = 60;
pub const MAX_SOURCE: usize = 100;

/// Letters of the options: A–H.
pub fn letter(index: usize) -> char {
    (b'A' + index as u8) as char
}

pub fn letter_index(c: char) -> Option<usize> {
    let c = c.to_ascii_uppercase();
    ('A'..='H').contains(&c).then(|| (c as u8 - b'A') as usize)
}

/// Blanks marked in a stem: `（  ）`, `(  )` with only spaces inside, or a run of `_` (3+).
pub fn count_blanks(stem: &str) -> usize {
    let chars: Vec<char> = stem.chars().collect();
    let mut count = 0;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '(' | '（' => {
                let mut j = i + 1;
                while j < chars.len() && matches!(chars[j], ' ' | '\u{3000}' | '\u{a0}') {
                    j += 1;
                }
                if j < chars.len() && matches!(chars[j], ')' | '）') {
                    count += 1;
                    i = j;
                }
            }
            '_' => {
                let start = i;
                while i + 1 < chars.len() && chars[i + 1] == '_' {
                    i += 1;
                }
                if i - start >= 2 {
                    count += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    count
}

/// Full-width → half-width, whitespace collapsed, trimmed, lower case: the form
/// in which answers are compared and duplicates are recognised.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.trim().chars() {
        let c = match c {
            '\u{3000}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '。' => '.',
            '、' => ',',
            '“' | '”' => '"',
            '‘' | '’' => '\'',
            _ => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// What makes two questions "the same" in a bank: stem and options, normalised.
pub fn dedup_key(q: &Question) -> String {
    use sha2::{Digest, Sha256};
    let mut text = normalise(&q.stem);
    for o in &q.options {
        text.push('\u{1f}');
        text.push_str(&normalise(o));
    }
    hex::encode(&Sha256::digest(text.as_bytes())[..16])
}

/// Points in hundredths from `2`, `1.5`, `0.25` (at most two decimals).
pub fn parse_points(text: &str) -> Option<i64> {
    let t = text.trim().trim_end_matches('分');
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    whole.checked_mul(100)?.checked_add(frac)
}

/// Hundredths as shown to people: `2`, `1.5`, `0.25`.
pub fn format_points(hundredths: i64) -> String {
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// 1–5, or 易 / 较易 / 中 / 较难 / 难.
pub fn parse_difficulty(text: &str) -> Option<u8> {
    match text.trim() {
        "易" | "容易" | "简单" => Some(1),
        "较易" => Some(2),
        "中" | "中等" | "一般" => Some(3),
        "较难" => Some(4),
        "难" | "困难" => Some(5),
        t => t.parse::<u8>().ok().filter(|d| (1..=5).contains(d)),
    }
}

/// Splits 知识点 lists on 、 , ， ; ；
pub fn split_list(text: &str) -> Vec<String> {
    text.split(['、', ',', '，', ';', '；', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests;
