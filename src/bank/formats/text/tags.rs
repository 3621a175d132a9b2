//! Tag lines: `【答案】B`, `答案：B`, `参考答案 B`, `解析：…`, `难度：较难`,
//! `我的答案: A 正确答案: C` — which field each fills, in every spelling.

use std::sync::LazyLock;

use regex::Regex;

use super::re;

use crate::bank::question::Kind;

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
    let simple = simplify(text);
    let text: &str = &simple;
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
        "得分" | "我的答案" | "你的答案" | "考生答案" => Tag::Ignored,
        "解析" | "答案解析" | "试题解析" | "题目解析" | "分析" | "解答" | "说明" => {
            Tag::Explanation
        }
        "分值" | "分数" | "本题分值" => Tag::Points,
        "难度" | "难易程度" | "难易度" | "难度系数" => Tag::Difficulty,
        "知识点" | "考点" | "标签" => Tag::KnowledgePoints,
        "渠道" => Tag::Channel,
        "分类" | "类别" | "章节" => Tag::Category,
        // 《文章》 or /kb/N named here links the question to where it is taught.
        "来源" | "出处" | "知识库" => Tag::Source,
        "题型" => Tag::BadKind,
        other => match kind_label(other) {
            Some(k) => Tag::Kind(k),
            None => Tag::Unknown,
        },
    }
}

pub(super) static BRACKET_TAG: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*【\s*([^】]{1,8}?)\s*】\s*[:：]?[ \t\u{3000}]*(.*)$"));
static COLON_TAG: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(答\s*案|正确答案|标准答案|参考答案|答案要点|答题要点|评分要点|评分标准|答|解\s*析|答案解析|试题解析|题目解析|分析|知识点|考点|难度|难易程度|难易度|难度系数|分值|分数|本题分值|渠道|分类|来源|出处|题型|得分|我的答案|你的答案|考生答案)\s*[:：;；][ \t\u{3000}]*(.*)$",
    )
});
/// `参考答案 B` `答案 B`: the answer without a colon, only when what follows is short.
static BARE_ANSWER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^\s*(?:参考|正确|标准)?答案[ \t\u{3000}]+([A-HＡ-Ｈ]{1,8}|[√×✓✔✗✘❌对错]|正确|错误)\s*$")
});
/// `我的答案：A 正确答案：B` (exports of learning platforms).
static MY_ANSWER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:我的答案|你的答案|考生答案|学员答案)\s*[:：]"));
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

/// Traditional characters of the words that give a line its role (判斷題,
/// 參考答案, 對/錯…), one for one, so positions stay where they were.
pub fn simplify(text: &str) -> std::borrow::Cow<'_, str> {
    const PAIRS: [(char, char); 24] = [
        ('斷', '断'),
        ('單', '单'),
        ('選', '选'),
        ('題', '题'),
        ('對', '对'),
        ('錯', '错'),
        ('確', '确'),
        ('誤', '误'),
        ('參', '参'),
        ('標', '标'),
        ('準', '准'),
        ('簡', '简'),
        ('問', '问'),
        ('論', '论'),
        ('難', '难'),
        ('識', '识'),
        ('點', '点'),
        ('項', '项'),
        ('擇', '择'),
        ('決', '决'),
        ('覆', '复'),
        ('評', '评'),
        ('數', '数'),
        ('類', '类'),
    ];
    if !text.chars().any(|c| PAIRS.iter().any(|(t, _)| *t == c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars().map(|c| PAIRS.iter().find(|(t, _)| *t == c).map_or(c, |(_, s)| *s)).collect(),
    )
}

/// A tag line, read in its simplified form; its value as written.
pub fn tag_line(line: &str) -> Option<TagLine> {
    let simple = simplify(line);
    let mut t = tag_line_simplified(&simple)?;
    if simple != line {
        // The value is the line's end: take as many characters of the original.
        let n = t.value.chars().count();
        let original = line.trim_end();
        let start = original.char_indices().rev().nth(n.saturating_sub(1)).map_or(original.len(), |(i, _)| i);
        if n > 0 {
            t.value = original[start..].to_string();
        }
    }
    Some(t)
}

fn tag_line_simplified(line: &str) -> Option<TagLine> {
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
