//! Lines that are not a question's content, in the files trainers have:
//! page numbers and running headers pasted from a PDF, a learning
//! platform's score of the trainee, 问卷星's choice marks, chapter numbers,
//! material shared by several questions, and an answer typed at the end of a
//! line (split off so it reads as an answer line).

use std::sync::LazyLock;

use regex::Regex;

use super::re;

use super::lines::{numbered, option_start, tag_line, typed_heading};

/// Where an answer typed at the end of a line starts: `…结果。    答案：对`
/// (two spaces or a tab before it).
static INLINE_ANSWER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:\t|[ \u{3000}]{2,})(?:参考|正确|标准)?答\s*案\s*[:：]\s*\S"));

pub fn inline_answer_at(line: &str) -> Option<usize> {
    let m = INLINE_ANSWER.find(line)?;
    (!line[..m.start()].trim().is_empty()).then_some(m.start())
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:第\s*\d+\s*页\s*[,，/、]?\s*(?:共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+|共\s*\d+\s*页\s*第\s*\d+\s*页|Page\s*\d+(?:\s*of\s*\d+)?)$",
    )
});

/// Page headers and footers pasted from a PDF: page numbers, and a line
/// repeated three times or more that is not a question's part (内部资料 注意保密).
pub fn page_furniture<'a>(lines: impl Iterator<Item = &'a str>) -> std::collections::HashSet<String> {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut out = std::collections::HashSet::new();
    for line in lines {
        let t = line.trim();
        if PAGE_NUMBER.is_match(t) {
            out.insert(t.to_string());
        } else if t.chars().count() >= 6 && choice_mark(t).is_none() {
            *counts.entry(t).or_default() += 1;
        }
    }
    for (t, n) in counts {
        let structural = numbered(t).is_some()
            || option_start(t).is_some()
            || tag_line(t).is_some()
            || typed_heading(t).is_some()
            || t.starts_with(['#', '/', '(', '（', '【', '\\']);
        if n >= 3 && !structural {
            out.insert(t.to_string());
        }
    }
    out
}

/// `1.1  5G套餐`, `2.3 投诉处理`: a chapter of a bank (short, no closing punctuation).
static CHAPTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*\d{1,2}(?:\.\d{1,2}){1,3}[ \t\u{3000}]+(\D[^，。,.；;：:？?！!]{0,20})$"));

pub fn chapter(line: &str) -> Option<String> {
    CHAPTER.captures(line).map(|c| c[1].trim().to_string())
}

/// 问卷星's choice marks before an option or a 判断 choice: `○A.` `□A.` `○对`.
/// The line without the mark, and whether the mark was filled (●■: the
/// answer, in 背题 copies) or empty (○□: a choice to make).
pub fn choice_mark(line: &str) -> Option<(&str, bool)> {
    let t = line.trim_start();
    let mark = t.chars().next()?;
    let filled = match mark {
        '●' | '■' | '◉' | '☑' | '✅' => true,
        '○' | '□' | '◯' | '☐' | '◎' => false,
        _ => return None,
    };
    Some((t[mark.len_utf8()..].trim_start(), filled))
}

static MARKDOWN_HEADING: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*#{1,6}\s+(第\s*[0-9]{1,4}\s*题.*|[0-9]{1,4}\s*[.、．].*)$"));
static BULLET: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*[-*+]\s+(?:\[[ xX]\]\s*)?"));
static RULE: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*(?:[-=*_~—]\s*){3,}$"));

/// A line as plain text: Markdown's `### 第1题`, `- A.`, `**答案：**` and rules
/// (`------`), and HTML entities left by copying a web page.
pub fn plain_text(line: &str) -> String {
    if RULE.is_match(line) {
        return String::new();
    }
    let mut text = line.replace("**", "");
    if let Some(c) = MARKDOWN_HEADING.captures(&text) {
        text = c[1].to_string();
    }
    if BULLET.is_match(&text) {
        text = BULLET.replace(&text, "").into_owned();
    }
    if text.contains('&') {
        for (entity, c) in [
            ("&nbsp;", " "),
            ("&lt;", "<"),
            ("&gt;", ">"),
            ("&quot;", "\""),
            ("&#39;", "'"),
            ("&ldquo;", "“"),
            ("&rdquo;", "”"),
            ("&amp;", "&"),
        ] {
            text = text.replace(entity, c);
        }
    }
    text
}

static ANSWER_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*[【\[]\s*([A-HＡ-Ｈ](?:[\s、,，]*[A-HＡ-Ｈ]){0,7}|[√×]|对|错|正确|错误)\s*[】\]]\s*([0-9]{1,4}\s*[.、．].+)$",
    )
});

/// `【B】1.题干`: the answer written before the question's number.
pub fn answer_before_number(line: &str) -> Option<(String, String)> {
    let c = ANSWER_FIRST.captures(line)?;
    Some((c[2].to_string(), c[1].to_string()))
}

static SCORE_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:得分\s*[:：]?\s*)?[0-9]+(?:\.[0-9]+)?\s*分\s*$"));

/// `6分`, `10.0 分`: a learning platform's score of the trainee on its own line.
pub fn score_line(line: &str) -> bool {
    SCORE_LINE.is_match(line)
}

static SHARED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"回答\s*(?:第\s*)?([0-9]{1,4})\s*[～~\-—–至到]\s*(?:第\s*)?([0-9]{1,4})\s*(?:小)?题")
});

/// `根据以下资料，回答6～8题。`: the questions sharing the material.
pub fn shared_material(line: &str) -> Option<(u32, u32)> {
    let c = SHARED.captures(line)?;
    Some((c[1].parse().ok()?, c[2].parse().ok()?))
}
