//! Reading single cells: the type column's names and codes, options written
//! together in one cell, and the answer of a 判断.

use crate::bank::formats::text::parse_answer;
use crate::bank::question::{Answer, Kind};
use crate::web::msg;

/// What the type column says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KindName {
    Is(Kind),
    /// 不定项: 单选 or 多选 by the number of letters in the answer.
    ByAnswerCount,
}

/// The type column's spellings: Chinese labels, English codes (any case,
/// `_`/`-`/spaces ignored), examhall's own codes.
pub(super) fn kind_name(text: &str) -> Option<KindName> {
    let k: String =
        text.trim().chars().filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-')).collect::<String>();
    let k = k.to_lowercase();
    let kind =
        match k.as_str() {
            "single" | "singlechoice" | "radio" | "单选" | "单选题" | "单项选择" | "单项选择题" => {
                Kind::Single
            }
            "multiple" | "multi" | "multiplechoice" | "checkbox" | "多选" | "多选题" | "多项选择"
            | "多项选择题" => Kind::Multiple,
            "不定项" | "不定项选择" | "不定项选择题" => return Some(KindName::ByAnswerCount),
            "judge" | "judgement" | "judgment" | "tf" | "truefalse" | "判断" | "判断题" | "是非"
            | "是非题" => Kind::TrueFalse,
            "fill" | "blank" | "blanks" | "fillblank" | "fillin" | "填空" | "填空题" => Kind::Blanks,
            "essay" | "short" | "简答" | "简答题" | "主观" | "主观题" | "问答" | "问答题" | "论述"
            | "论述题" => Kind::Essay,
            _ => return Kind::parse_label(text).or_else(|| Kind::parse_code(text.trim())).map(KindName::Is),
        };
    Some(KindName::Is(kind))
}

/// How the options of one cell were told apart (for the preview's "识别到").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Split {
    Labels,
    Newlines,
    Bars,
    Ampersands,
    /// One piece: nothing to split on.
    None,
}

impl Split {
    pub(super) fn describe(self) -> &'static str {
        match self {
            Split::Labels => "A. B. 标号",
            Split::Newlines => "换行分隔",
            Split::Bars => "「|」分隔",
            Split::Ampersands => "「&」分隔",
            Split::None => "",
        }
    }
}

/// Characters that may stand between two options of one cell.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '|' | '｜' | ';' | '；' | '&' | ',' | '，')
}

/// The label of option `expected` (`A.` `A、` `A)` `(A)` `（A）` `A：`) at byte
/// `at` of `text`, and where its text starts.
fn label_at(text: &str, at: usize, expected: usize) -> Option<usize> {
    let rest = &text[at..];
    let mut chars = rest.char_indices().peekable();
    let mut opened = false;
    if let Some((_, '(' | '（')) = chars.peek() {
        opened = true;
        chars.next();
    }
    let (_, letter) = chars.next()?;
    let letter = match letter {
        'Ａ'..='Ｈ' => char::from_u32(letter as u32 - 0xfee0)?,
        c => c,
    };
    if !letter.is_ascii_uppercase() || (letter as usize - 'A' as usize) != expected {
        return None;
    }
    let (i, mark) = chars.next()?;
    let closes = matches!(mark, ')' | '）');
    let ok = if opened { closes } else { closes || matches!(mark, '.' | '．' | '、' | ':' | '：') };
    ok.then(|| at + i + mark.len_utf8())
}

/// Options written in one cell: `A.x|B.y`, `A、x；B、y`, `A.x B.y`, one per
/// line with or without labels, `x|y`, `x&y`.
pub(super) fn split_options(cell: &str) -> (Vec<String>, Split) {
    let text = cell.trim().trim_end_matches(is_separator);
    if text.is_empty() {
        return (Vec::new(), Split::None);
    }
    // Labels A, B, C … in order, each at the start or after a separator.
    let mut starts: Vec<(usize, usize)> = Vec::new();
    if let Some(body) = label_at(text, 0, 0) {
        starts.push((0, body));
        let mut prev = ' ';
        for (i, c) in text.char_indices() {
            if i >= starts[starts.len() - 1].1 && is_separator(prev) {
                if let Some(body) = label_at(text, i, starts.len()) {
                    starts.push((i, body));
                }
            }
            prev = c;
        }
    }
    if starts.len() >= 2 {
        let options = starts
            .iter()
            .enumerate()
            .map(|(k, &(_, body))| {
                let end = starts.get(k + 1).map_or(text.len(), |s| s.0);
                text[body..end].trim_matches(is_separator).to_string()
            })
            .collect();
        return (options, Split::Labels);
    }
    let (pieces, how): (Vec<&str>, Split) = if text.contains('\n') {
        (text.lines().collect(), Split::Newlines)
    } else if text.contains(['|', '｜']) {
        (text.split(['|', '｜']).collect(), Split::Bars)
    } else if text.contains('&') {
        (text.split('&').collect(), Split::Ampersands)
    } else {
        (vec![text], Split::None)
    };
    let options = pieces.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
    (options, how)
}

/// The answer of a 判断: 对/错, 正确/错误, √/×, T/F, true/false …, or a
/// letter. A and B name the options when the row has 正确/错误 options (in
/// whatever order), and mean 正确 and 错误 when it has none. Returns the
/// value and whether it was read from a letter without options.
pub(super) fn true_false(text: &str, options: &[String]) -> Result<(bool, bool), String> {
    let t = text.trim();
    let letter = match t {
        "A" | "a" | "Ａ" => Some(0),
        "B" | "b" | "Ｂ" => Some(1),
        _ => None,
    };
    if !options.is_empty() && options.iter().any(|o| word(o).is_none()) {
        return Err(msg::SHEET_TRUE_FALSE_OPTIONS.to_string());
    }
    match (letter, options.is_empty()) {
        (Some(i), true) => Ok((i == 0, true)),
        (Some(i), false) => match options.get(i) {
            Some(option) => word(option)
                .map(|v| (v, false))
                .ok_or_else(|| msg::sheet_true_false_letter(crate::bank::question::letter(i), option)),
            None => Err(msg::q_answer_option_missing(crate::bank::question::letter(i))),
        },
        (None, _) => word(t).map(|v| (v, false)).ok_or_else(|| msg::sheet_true_false_answer(t)),
    }
}

/// 对/错 in the spellings the text format reads.
pub(super) fn word(text: &str) -> Option<bool> {
    match parse_answer(text, Some(Kind::TrueFalse), false) {
        Ok((_, Answer::TrueFalse(v))) => Some(v),
        _ => None,
    }
}
