//! What one line of a 题库 is, in the spellings trainers use: question
//! numbers, options, answer lines, tags, section headings. Pure functions of
//! the line; the sequence (which numbered line really starts a question) is
//! decided in `mod.rs`.

use std::sync::LazyLock;

use regex::Regex;

use crate::bank::question::Kind;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("{e}"))
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
}

impl Family {
    pub fn example(self) -> &'static str {
        match self {
            Family::Dot => "1.",
            Family::Comma => "1、",
            Family::Paren => "（1）",
            Family::Close => "1)",
            Family::Di => "第1题",
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
static OPTION: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:[(（]\s*([A-HＡ-Ｈ])\s*[)）]|([A-HＡ-Ｈ])\s*[.、．:：)）])[ \t\u{3000}]*"));

/// The letter index and the text after the label.
pub fn option_start(line: &str) -> Option<(usize, usize)> {
    let caps = OPTION.captures(line)?;
    let letter = caps.get(1).or(caps.get(2))?.as_str().chars().next().map(half_width)?;
    Some(((letter as u8 - b'A') as usize, caps.get(0)?.end()))
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

/// Which field a tag line fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Answer,
    Explanation,
    Points,
    Difficulty,
    KnowledgePoints,
    Channel,
    Category,
    Source,
    Kind(KindLabel),
    /// `题型：` with a type we do not know.
    BadKind,
    /// `得分：` `我的答案：` of a learning platform's export.
    Ignored,
    Unknown,
}

/// A type as headings and tags name it. 不定项 is a choice whose count of
/// correct options decides 单选 or 多选.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindLabel {
    Is(Kind),
    AnyChoice,
}

pub fn kind_label(text: &str) -> Option<KindLabel> {
    let t = text.trim().trim_end_matches('题');
    Some(match t {
        "不定项" | "不定项选择" => KindLabel::AnyChoice,
        "是非" | "判断正误" | "正误判断" | "对错" => KindLabel::Is(Kind::TrueFalse),
        "论述" | "案例分析" | "案例" | "问答" | "简述" | "名词解释" | "主观" | "计算" | "情景"
        | "情景分析" => KindLabel::Is(Kind::Essay),
        "选择" => KindLabel::AnyChoice,
        _ => KindLabel::Is(Kind::parse_label(text).or_else(|| Kind::parse_label(t))?),
    })
}

pub fn tag_of(name: &str) -> Tag {
    match name.trim() {
        // A reference answer is the answer of a 简答, and of a choice in many banks.
        "答案" | "正确答案" | "标准答案" | "答" | "参考答案" | "答案要点" | "参考要点" | "评分要点"
        | "答题要点" | "评分标准" => Tag::Answer,
        // A learning platform's record of the trainee, not the bank's.
        "得分" | "我的答案" => Tag::Ignored,
        "解析" | "答案解析" | "试题解析" | "题目解析" | "分析" | "解答" | "说明" => {
            Tag::Explanation
        }
        "分值" | "分数" | "本题分值" => Tag::Points,
        "难度" | "难易程度" | "难易度" | "难度系数" => Tag::Difficulty,
        "知识点" | "考点" | "标签" => Tag::KnowledgePoints,
        "渠道" => Tag::Channel,
        "分类" | "类别" | "章节" => Tag::Category,
        "来源" | "出处" => Tag::Source,
        "题型" => Tag::BadKind,
        other => match kind_label(other) {
            Some(k) => Tag::Kind(k),
            None => Tag::Unknown,
        },
    }
}

static BRACKET_TAG: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*【\s*([^】]{1,8}?)\s*】\s*[:：]?[ \t\u{3000}]*(.*)$"));
static COLON_TAG: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(答\s*案|正确答案|标准答案|参考答案|答案要点|答题要点|评分要点|评分标准|答|解\s*析|答案解析|试题解析|题目解析|分析|知识点|考点|难度|难易程度|难易度|难度系数|分值|分数|本题分值|渠道|分类|来源|出处|题型|得分|我的答案)\s*[:：;；][ \t\u{3000}]*(.*)$",
    )
});
/// `参考答案 B` `答案 B`: the answer without a colon, only when what follows is short.
static BARE_ANSWER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^\s*(?:参考|正确|标准)?答案[ \t\u{3000}]+([A-HＡ-Ｈ]{1,8}|[√×✓✔✗✘❌对错]|正确|错误)\s*$")
});
/// `我的答案：A 正确答案：B` (exports of learning platforms).
static MY_ANSWER: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*我的答案\s*[:：]"));
/// What follows 正确答案： up to the platform's next field (`:核验客户身份;`, 得分).
static CORRECT_ANSWER: LazyLock<Regex> =
    LazyLock::new(|| re(r"正确答案\s*[:：]\s*(.+?)\s*(?:[:：;；]|得分|我的答案|$)"));

/// A tag line, its value, and how it was written (for the report).
pub struct TagLine {
    pub tag: Tag,
    pub name: String,
    pub value: String,
    pub spelling: String,
}

pub fn tag_line(line: &str) -> Option<TagLine> {
    if MY_ANSWER.is_match(line) {
        let value = CORRECT_ANSWER.captures(line).map(|c| c[1].to_string());
        return Some(TagLine {
            // Without 正确答案 the line only says what the trainee chose.
            tag: if value.is_some() { Tag::Answer } else { Tag::Ignored },
            value: value.unwrap_or_default(),
            name: "正确答案".into(),
            spelling: "我的答案: 正确答案:".into(),
        });
    }
    if let Some(c) = BRACKET_TAG.captures(line) {
        let name = c[1].trim().to_string();
        return Some(TagLine {
            tag: tag_of(&name),
            spelling: format!("【{name}】"),
            name,
            value: c[2].trim().to_string(),
        });
    }
    if let Some(c) = COLON_TAG.captures(line) {
        let name: String = c[1].chars().filter(|c| !c.is_whitespace()).collect();
        let tag = if name == "题型" {
            kind_label(c[2].trim()).map(Tag::Kind).unwrap_or(Tag::BadKind)
        } else {
            tag_of(&name)
        };
        return Some(TagLine { tag, spelling: format!("{name}："), name, value: c[2].trim().to_string() });
    }
    if let Some(c) = BARE_ANSWER.captures(line) {
        return Some(TagLine {
            tag: Tag::Answer,
            name: "答案".into(),
            value: c[1].to_string(),
            spelling: "答案 X".into(),
        });
    }
    None
}

/// Inside an answer line, where the explanation (or another tag) starts:
/// `答案：B 解析：…`, `【答案】B【解析】…`.
static INLINE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"[ \t\u{3000}]*(?:【\s*(?:解析|答案解析|试题解析|分值|难度|知识点|考点|分析)\s*】|(?:答案解析|试题解析|解析|分值|难度|难易程度|知识点|考点|得分|我的答案)\s*[:：])",
    )
});

pub fn split_tail(value: &str) -> (&str, Option<&str>) {
    match INLINE_TAIL.find(value) {
        Some(m) if m.start() > 0 => {
            let tail = value[m.start()..].trim_start();
            (value[..m.start()].trim_end(), Some(tail))
        }
        _ => (value, None),
    }
}

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
    let caps = HEADING.captures(line)?;
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
        } else if t.chars().count() >= 4 {
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
pub fn strip_choice_mark(line: &str) -> &str {
    let t = line.trim_start();
    match t.strip_prefix(['○', '□', '◯', '●', '■', '☐', '◎']) {
        Some(rest) => rest.trim_start(),
        None => line,
    }
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

/// In an exported file only the `【单选】` after the number is a label.
pub fn strict_stem_label(stem: &str) -> (String, Option<KindLabel>, Option<i64>) {
    if let Some(c) = BRACKET_TAG.captures(stem) {
        if let Some(k @ KindLabel::Is(_)) = kind_label(&c[1]) {
            return (c[2].to_string(), Some(k), None);
        }
    }
    (stem.to_string(), None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_every_spelling() {
        fn n(l: &str) -> Option<(u32, Family, &str, bool)> {
            numbered(l).map(|x| (x.n, x.family, x.rest, x.decimal_like))
        }
        assert_eq!(n("5. 5G套餐"), Some((5, Family::Dot, "5G套餐", false)));
        assert_eq!(n("4．4G用户"), Some((4, Family::Dot, "4G用户", true)));
        assert_eq!(n("3、10086热线"), Some((3, Family::Comma, "10086热线", false)));
        assert_eq!(n("（12）题"), Some((12, Family::Paren, "题", false)));
        assert_eq!(n("7) 题"), Some((7, Family::Close, "题", false)));
        assert_eq!(n("第3题 题"), Some((3, Family::Di, "题", false)));
        assert_eq!(n("１２．全角"), Some((12, Family::Dot, "全角", false)));
        assert_eq!(n("1.5元/分钟"), Some((1, Family::Dot, "5元/分钟", true)));
        assert_eq!(n("10086热线"), None);
        assert_eq!(n("5G套餐"), None);
        assert_eq!(n("2026年"), None);
    }

    #[test]
    fn option_labels_inside_a_line() {
        assert_eq!(option_start("Ａ．全角"), Some((0, "Ａ．".len())));
        assert_eq!(option_start("(B) 乙"), Some((1, 4)));
        let line = "A.正确B.错误";
        let (at, end) = find_label(line, 1).unwrap();
        assert_eq!((&line[..at], &line[end..]), ("A.正确", "错误"));
        assert_eq!(find_label("A. 套餐含5GB.流量", 1), None);
        let line = "A、开户 （B）销户";
        assert_eq!(&line[find_label(line, 1).unwrap().1..], "销户");
    }

    #[test]
    fn headings_and_tags() {
        let h = typed_heading("二、多选题（每题2分，共20分）").unwrap();
        assert_eq!((h.kind, h.points), (Some(KindLabel::Is(Kind::Multiple)), Some(200)));
        assert!(typed_heading("【判断题】").is_some());
        assert!(typed_heading("第三部分 案例分析题").is_some());
        assert!(typed_heading("客户办理业务").is_none());
        assert_eq!(tag_line("参考答案：ABD").map(|t| (t.tag, t.value)), Some((Tag::Answer, "ABD".into())));
        assert_eq!(tag_line("我的答案：A 正确答案：C 得分：0").map(|t| t.value), Some("C".into()));
        assert_eq!(tag_line("答案 B").map(|t| t.value), Some("B".into()));
        assert!(tag_line("答案是客户自行选择的").is_none());
        assert_eq!(split_tail("B 解析：次月生效"), ("B", Some("解析：次月生效")));
        let (stem, kind, points) = stem_labels("（单选题，2分）客户办理？");
        assert_eq!(
            (stem.as_str(), kind, points),
            ("客户办理？", Some(KindLabel::Is(Kind::Single)), Some(200))
        );
        assert_eq!(stem_labels("题目（多选）").1, Some(KindLabel::Is(Kind::Multiple)));
        assert_eq!(stem_labels("题目（2分）").2, Some(200));
    }
}
