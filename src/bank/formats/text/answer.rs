//! Reading an answer, wherever the file put it: an answer line, a mark in the
//! stem (`（ D ）`, `（√）`), options that are 正确/错误, or the blanks of a 填空.

use std::sync::LazyLock;

use regex::Regex;

use super::re;

use super::lines::half_width;
use crate::bank::question::{count_blanks, letter_index, normalise, Answer, Kind};
use crate::web::msg;

static BLANK_GROUP: LazyLock<Regex> = LazyLock::new(|| re(r"[(（]([^()（）]*)[)）]"));

/// 对/错 in every spelling trainers use.
pub fn true_false(text: &str) -> Option<bool> {
    let t = text.trim().trim_end_matches(['。', '.', '！']).trim();
    match t {
        "正确" | "对" | "√" | "✓" | "✔" | "✔️" | "是" | "T" | "t" | "True" | "true" | "TRUE" | "Y" | "y"
        | "Yes" | "yes" | "对的" | "正确的" | "Ｔ" | "Ｙ" | "對" | "正確" => Some(true),
        "错误" | "错" | "×" | "✗" | "✘" | "❌" | "╳" | "否" | "F" | "f" | "False" | "false" | "FALSE"
        | "N" | "n" | "No" | "no" | "X" | "x" | "错的" | "错误的" | "Ｆ" | "Ｎ" | "不正确" | "不对"
        | "錯" | "錯誤" => Some(false),
        _ => None,
    }
}

/// Reads an answer for a question of the given (or yet unknown) type. With
/// options, letters come first: "F" is option F there, not 错误.
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
    if let Some(v) = true_false(t) {
        return Ok((kind.unwrap_or(Kind::TrueFalse), Answer::TrueFalse(v)));
    }
    if kind == Some(Kind::TrueFalse) {
        return Err(msg::text_bad_answer(t));
    }
    if BLANK_GROUP.is_match(t) && BLANK_GROUP.replace_all(t, "").trim().is_empty() {
        return Ok((Kind::Blanks, Answer::Blanks(blank_groups(t))));
    }
    if let Some(choice) = parse_letters(t, kind) {
        return Ok(choice);
    }
    Err(msg::text_bad_answer(t))
}

/// Blanks labelled by number: `第一空：送 第二空：别`, `(1) 60 (2) 10086`,
/// `（1）有效身份证件（2）装机地址` (exports of learning platforms).
static BLANK_LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(r"第\s*[一二三四五六七八九十0-9]{1,3}\s*空\s*[:：]?|[(（]\s*[0-9]{1,2}\s*[)）]"));

fn labelled_blanks(t: &str) -> Option<Vec<Vec<String>>> {
    let labels: Vec<_> = BLANK_LABEL.find_iter(t).collect();
    if labels.is_empty() || !t[..labels[0].start()].trim().is_empty() {
        return None;
    }
    let mut groups = Vec::new();
    for (i, m) in labels.iter().enumerate() {
        let end = labels.get(i + 1).map_or(t.len(), |n| n.start());
        let part = t[m.end()..end].trim();
        if part.is_empty() {
            return None; // `(授权码)(120)` is the group form, not labels
        }
        groups.push(alternatives(part));
    }
    Some(groups)
}

/// `(a|b)(c)` → one group per blank; text without parentheses is one blank.
pub fn blank_groups(t: &str) -> Vec<Vec<String>> {
    if let Some(groups) = labelled_blanks(t) {
        return groups;
    }
    let groups: Vec<Vec<String>> = BLANK_GROUP.captures_iter(t).map(|c| alternatives(&c[1])).collect();
    if !groups.is_empty() && BLANK_GROUP.replace_all(t, "").trim().is_empty() {
        groups
    } else {
        vec![alternatives(t)]
    }
}

/// `(a|b)(c)` as the exporter writes it: `\\(` `\\)` `\\|` `\\\\` `\\n` escaped.
pub fn blank_groups_escaped(t: &str) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut current = String::new();
    let mut chars = t.trim().chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => current.push('\n'),
                Some(other) => current.push(other),
                None => {}
            },
            '(' | '（' => groups.push(Vec::new()),
            '|' | '｜' | ')' | '）' => {
                if let Some(g) = groups.last_mut() {
                    g.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    groups
}

/// `补换卡（或补卡）` / `补换卡（也可填：补卡）`: an accepted alternative in parentheses.
static OR_ALTERNATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(.+?)\s*[(（]\s*(?:或|或者|也可(?:填|写|答)?[:：]?|亦可)\s*([^()（）]+?)\s*[)）]$")
});

fn alternatives(g: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in g.split(['|', '｜']).map(str::trim).filter(|a| !a.is_empty()) {
        match OR_ALTERNATIVE.captures(a) {
            Some(c) => {
                out.push(c[1].trim().to_string());
                out.extend(
                    c[2].split(['、', '/', '或']).map(|x| x.trim().to_string()).filter(|x| !x.is_empty()),
                );
            }
            None => out.push(a.to_string()),
        }
    }
    out
}

/// A 填空 answer written without parentheses for a stem with `blanks` blanks:
/// `授权码；120` or `授权码，120` or `授权码 120`, split when the count fits.
pub fn fit_blanks(groups: Vec<Vec<String>>, blanks: usize) -> Vec<Vec<String>> {
    if blanks < 2 || groups.len() != 1 {
        return groups;
    }
    let whole = groups[0].join("|");
    for seps in [&[';', '；'][..], &[',', '，', '、'][..], &[' ', '\u{3000}'][..]] {
        let parts: Vec<&str> = whole.split(seps).map(str::trim).filter(|p| !p.is_empty()).collect();
        if parts.len() == blanks {
            return parts.into_iter().map(alternatives).collect();
        }
    }
    groups
}

/// `B`, `ABD`, `A,B,D`, `A、B、D`, `ＡＢ`, `(B)` as option indexes (the type
/// inferred from the count).
pub fn parse_letters(t: &str, kind: Option<Kind>) -> Option<(Kind, Answer)> {
    let t = t.trim().trim_matches(['(', ')', '（', '）', '。', '.', ' ']);
    let letters: String = t
        .chars()
        .map(half_width)
        .filter(|c| !matches!(c, ',' | '，' | '、' | ' ' | '　' | '；' | ';' | '/' | '|'))
        .collect();
    let all_upper = letters.chars().all(|c| c.is_ascii_uppercase());
    let all_lower = letters.chars().all(|c| c.is_ascii_lowercase());
    if letters.is_empty() || !(all_upper || all_lower) || !letters.chars().all(|c| letter_index(c).is_some())
    {
        return None;
    }
    let mut picks: Vec<usize> = letters.chars().filter_map(letter_index).collect();
    let count = picks.len();
    picks.sort_unstable();
    picks.dedup();
    let inferred = if count > 1 { Kind::Multiple } else { Kind::Single };
    Some((kind.unwrap_or(inferred), Answer::Choices(picks)))
}

/// An answer written into the stem.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    Letters(String),
    TrueFalse(bool),
}

static STEM_MARK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"[(（][ \t\u{3000}]*([A-HＡ-Ｈ](?:[ \u{3000}、,，]*[A-HＡ-Ｈ]){0,7}|[√×✓✔✗✘❌╳]|T|对|错|正确|错误)[ \t\u{3000}]*[)）]",
    )
});
static TRAILING_MARK: LazyLock<Regex> = LazyLock::new(|| re(r"[ \t\u{3000}]*([√×✓✔✗✘❌])[ \t\u{3000}]*$"));

/// The last answer mark in a stem, and the stem with the blank kept in its
/// place (`（  ）`); a mark alone on its own line goes with the line.
pub fn stem_mark(stem: &str) -> Option<(String, Mark)> {
    let (found, value) = match STEM_MARK.captures_iter(stem).last() {
        Some(c) => (c.get(0)?, c.get(1)?.as_str().to_string()),
        None => {
            let c = TRAILING_MARK.captures(stem)?;
            (c.get(0)?, c.get(1)?.as_str().to_string())
        }
    };
    let mark = match true_false(&value) {
        Some(v) => Mark::TrueFalse(v),
        None => Mark::Letters(value.chars().map(half_width).filter(char::is_ascii_uppercase).collect()),
    };
    let before = &stem[..found.start()];
    let after = &stem[found.end()..];
    let alone = before.ends_with('\n') || before.is_empty();
    let new_stem = if alone && after.trim().is_empty() {
        before.trim_end().to_string()
    } else if found.as_str().trim_start().starts_with(['(', '（']) {
        format!("{before}（  ）{after}")
    } else {
        format!("{before}{after}")
    };
    Some((new_stem.trim().to_string(), mark))
}

static UNDERLINED: LazyLock<Regex> =
    LazyLock::new(|| re(r"[_＿]{2,}[ \u{3000}]*([^_＿\s][^_＿]*?)[ \u{3000}]*[_＿]{2,}"));
static FILLED: LazyLock<Regex> = LazyLock::new(|| re(r"[(（]([^()（）]{1,100})[)）]"));

/// A 填空 whose blanks hold their answers: the stem with the blanks emptied
/// and the answers. Blanks padded with spaces (`（ 60 ）`) are taken when
/// there are any, so `《条例》（2016年修订）` stays text beside them.
pub fn filled_blanks(stem: &str) -> Option<(String, Vec<String>)> {
    // `__60__`, `＿＿5＿＿`: the answer typed on the line of the blank.
    if UNDERLINED.is_match(stem) {
        let mut answers = Vec::new();
        let clean = UNDERLINED.replace_all(stem, |c: &regex::Captures| {
            answers.push(c[1].trim().to_string());
            "（  ）".to_string()
        });
        // Every underlined blank held its answer (an empty `____` would be a blank to fill).
        return (!clean.contains("___") && !clean.contains("＿＿＿")).then(|| (clean.into_owned(), answers));
    }
    if count_blanks(stem) > 0 {
        return None;
    }
    let padded =
        |c: &regex::Captures| c[1].starts_with([' ', '\u{3000}']) && c[1].ends_with([' ', '\u{3000}']);
    let any_padded = FILLED.captures_iter(stem).any(|c| padded(&c));
    let mut answers = Vec::new();
    let clean = FILLED.replace_all(stem, |c: &regex::Captures| {
        if any_padded && !padded(c) {
            return c[0].to_string();
        }
        answers.push(c[1].trim().to_string());
        "（  ）".to_string()
    });
    (!answers.is_empty() && answers.iter().all(|a| !a.is_empty())).then(|| (clean.into_owned(), answers))
}

static IN_EXPLANATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:正确答案(?:是|为)?|答案(?:是|为|应为)|故选|因此选|所以选|故本题选|本题选|应选)\s*[:：]?\s*([A-H](?:[、,，]?[A-H]){0,7}|√|×|对|错|正确|错误)(?:[^A-Za-z]|$)",
    )
});

/// `……故选C。`, `正确答案是：B`: the answer given only in the explanation (the last one).
pub fn in_explanation(explanation: &str) -> Option<String> {
    IN_EXPLANATION.captures_iter(explanation).last().map(|c| c[1].to_string())
}

/// Two options that are 正确/错误 (对/错, √/×, 是/否): the truth of A and B.
pub fn true_false_options(options: &[String]) -> Option<[bool; 2]> {
    if options.len() != 2 {
        return None;
    }
    let a = true_false(&normalise(&options[0]))?;
    let b = true_false(&normalise(&options[1]))?;
    (a != b).then_some([a, b])
}

/// How many blanks the stem marks (see `count_blanks`).
pub fn blanks_in(stem: &str) -> usize {
    count_blanks(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_in_the_stem() {
        let (stem, mark) = stem_mark("发票应在（ D ）内开具。").unwrap();
        assert_eq!((stem.as_str(), mark), ("发票应在（  ）内开具。", Mark::Letters("D".into())));
        let (stem, mark) = stem_mark("副卡可单独销户。（×）").unwrap();
        assert_eq!((stem.as_str(), mark), ("副卡可单独销户。（  ）", Mark::TrueFalse(false)));
        let (stem, mark) = stem_mark("副卡可单独销户。\n（正确）").unwrap();
        assert_eq!((stem.as_str(), mark), ("副卡可单独销户。", Mark::TrueFalse(true)));
        assert_eq!(stem_mark("携号转网须满120天。✔").map(|s| s.1), Some(Mark::TrueFalse(true)));
        assert_eq!(stem_mark("以下（AB）正确").map(|s| s.1), Some(Mark::Letters("AB".into())));
        assert_eq!(stem_mark("办理（  ）业务"), None);
        assert_eq!(stem_mark("5G（第五代）网络"), None);
    }

    #[test]
    fn answers_in_every_spelling() {
        assert_eq!(parse_letters("Ａ、Ｃ", None), Some((Kind::Multiple, Answer::Choices(vec![0, 2]))));
        assert_eq!(parse_letters("b", None), Some((Kind::Single, Answer::Choices(vec![1]))));
        assert_eq!(parse_letters("（B）", None), Some((Kind::Single, Answer::Choices(vec![1]))));
        assert_eq!(parse_letters("Bc", None), None);
        assert_eq!(true_false("×"), Some(false));
        assert_eq!(true_false("对"), Some(true));
        assert_eq!(true_false_options(&["正确".into(), "错误".into()]), Some([true, false]));
        assert_eq!(true_false_options(&["错".into(), "对".into()]), Some([false, true]));
        assert_eq!(true_false_options(&["甲".into(), "对".into()]), None);
        assert_eq!(fit_blanks(vec![vec!["授权码；120".into()]], 2), vec![vec!["授权码"], vec!["120"]]);
        assert_eq!(fit_blanks(vec![vec!["授权码".into()]], 1), vec![vec!["授权码"]]);
    }
}
