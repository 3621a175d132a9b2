//! Answers collected away from their questions, the common exam-paper
//! layout: a key after each section (`答案：1-5 BBACB  6-10 ACBCB`,
//! `参考答案：1.ABD 2.ACD`, `1—5 √×√√√`) or a key part at the end of the file
//! (`参考答案及解析` with the section headings again, `1.【答案】B。解析：…`, a
//! Word table `题号 1 2 3` / `答案 A C B`). Questions without an answer wait
//! until the end of the file and take theirs from the key by section and
//! number; a question the key does not answer is reported as before.

use std::sync::LazyLock;

use regex::Regex;

use super::re;

use super::draft::{finish, Field};
use super::lines::{self as line_kinds, half_width};
use super::Reader;
use crate::web::msg;

/// One answer of a key: the question's section (None: the file's only
/// numbering) and number.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub section: Option<usize>,
    pub n: u32,
    pub answer: String,
    pub explanation: String,
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:[一二三四五六七八九十]+\s*[、.．]\s*)?(?:参考答案|标准答案|试题答案|答案)(?:及解析|与解析|和解析|解析)?$",
    )
});

/// `参考答案`, `参考答案及解析`, `答案` alone on a line (no colon, no brackets).
pub fn is_heading(line: &str) -> bool {
    HEADING.is_match(line.trim())
}

static RANGE: LazyLock<Regex> =
    LazyLock::new(|| re(r"([0-9]{1,3})\s*[-—–~～至]\s*([0-9]{1,3})\s*[:：.、．]?\s*([A-HＡ-Ｈ√×✓✗对错TF]+)"));
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    re(r"([0-9]{1,3})\s*[.、．:：)）]\s*([A-HＡ-Ｈ]{1,8}|[√×✓✗✔✘]|对|错|正确|错误)(?:[\s,，;；。]|$)")
});

/// A key written on one line: ranges `1-5 BBACB`, or items `1.ABD 2.ACD`;
/// None unless it names at least two questions and leaves nothing unread.
pub fn list(text: &str) -> Option<Vec<(u32, String)>> {
    let text = text.trim();
    let mut out = Vec::new();
    let mut rest = text.to_string();
    for c in RANGE.captures_iter(text) {
        let (from, to): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        let answers: Vec<char> = c[3].chars().map(half_width).collect();
        if to < from || (to - from + 1) as usize != answers.len() {
            return None;
        }
        out.extend((from..=to).zip(answers).map(|(n, a)| (n, a.to_string())));
        rest = rest.replacen(&c[0], " ", 1);
    }
    if out.is_empty() {
        for c in ITEM.captures_iter(text) {
            out.push((c[1].parse().ok()?, c[2].chars().map(half_width).collect()));
            rest = rest.replacen(c[0].trim_end(), " ", 1);
        }
    }
    let unread =
        rest.chars().any(|c| !c.is_whitespace() && !matches!(c, ',' | '，' | ';' | '；' | '。' | '、'));
    (out.len() >= 2 && !unread).then_some(out)
}

static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*([0-9]{1,3})\s*[.、．]\s*(?:【\s*答案\s*】|答案\s*[:：])\s*([^。；;\s]+)\s*[。；;]?\s*(?:(?:【\s*解析\s*】|解析\s*[:：])\s*(.*))?$",
    )
});

/// `1.【答案】B。解析：…` in a key part: number, answer, explanation.
pub fn entry(line: &str) -> Option<(u32, String, String)> {
    let c = ENTRY.captures(line)?;
    Some((c[1].parse().ok()?, c[2].to_string(), c.get(3).map_or("", |m| m.as_str()).trim().to_string()))
}

/// `题号 1 2 3 …` (a Word table pasted as text): the numbers.
pub fn number_row(line: &str) -> Option<Vec<u32>> {
    let mut cells = line.split(['\t', ' ', '\u{3000}', '|']).filter(|c| !c.is_empty());
    (cells.next()? == "题号").then(|| cells.map(|c| c.parse().ok()).collect::<Option<Vec<u32>>>()).flatten()
}

/// `答案 A C B …` under a number row: the answers.
pub fn answer_row(line: &str) -> Option<Vec<String>> {
    let mut cells = line.split(['\t', ' ', '\u{3000}', '|']).filter(|c| !c.is_empty());
    (cells.next()? == "答案").then(|| cells.map(String::from).collect())
}

impl Reader<'_> {
    /// Lines of keys and of a paper's instructions; true when the line was one.
    pub(super) fn keyed_line(&mut self, trimmed: &str) -> bool {
        if INSTRUCTIONS.is_match(trimmed) {
            self.instructions = true;
            return true;
        }
        if self.instructions && line_kinds::numbered(trimmed).is_some() {
            return true;
        }
        if !self.key_mode {
            let waiting =
                self.pending.len() + usize::from(self.draft.as_ref().is_some_and(super::draft::needs_key));
            if is_heading(trimmed) && waiting >= 2 {
                self.finish();
                self.key_mode = true;
                self.out.recognise(msg::RECOGNISED_ANSWER_KEY);
                return true;
            }
            return false;
        }
        // `判断题：1.√ 2.×`: a section's name and its key on one line.
        if let Some(c) = NAMED_KEY.captures(trimmed) {
            if let Some(kind) = line_kinds::kind_label(&c[1]) {
                self.key_section = self.section_of_kind(Some(kind)).or(self.key_section.map(|s| s + 1));
                let free = kind == line_kinds::KindLabel::Is(crate::bank::question::Kind::Blanks);
                if let Some(list) = if free { free_list(&c[2]) } else { list(&c[2]) } {
                    self.record_keys(self.key_section, list);
                }
                return true;
            }
        }
        if let Some(heading) = line_kinds::typed_heading(trimmed) {
            self.key_section = self.section_of_kind(heading.kind).or(self.key_section.map(|s| s + 1));
            return true;
        }
        if let Some(numbers) = number_row(trimmed) {
            self.key_numbers = Some(numbers);
        } else if let (Some(answers), Some(numbers)) = (answer_row(trimmed), self.key_numbers.take()) {
            self.record_keys(self.key_section, numbers.into_iter().zip(answers).collect());
        } else if let Some((n, answer, explanation)) = entry(trimmed) {
            self.keys.push(Key { section: self.key_section, n, answer, explanation });
        } else if let Some(list) = list(trimmed) {
            self.record_keys(self.key_section, list);
        } else if let Some(last) = self.keys.last_mut().filter(|k| !k.explanation.is_empty()) {
            // An explanation running over lines.
            last.explanation.push('\n');
            last.explanation.push_str(trimmed);
        }
        true
    }

    /// The first section of that type not yet answered by a key.
    fn section_of_kind(&self, kind: Option<line_kinds::KindLabel>) -> Option<usize> {
        let used: Vec<usize> = self.keys.iter().filter_map(|k| k.section).collect();
        (1..=self.section_kinds.len()).find(|s| self.section_kinds[s - 1] == kind && !used.contains(s))
    }

    pub(super) fn record_keys(&mut self, section: Option<usize>, list: Vec<(u32, String)>) {
        self.out.recognise(msg::RECOGNISED_ANSWER_KEY);
        self.keys.extend(list.into_iter().map(|(n, answer)| Key {
            section,
            n,
            answer,
            explanation: String::new(),
        }));
    }

    /// Gives each waiting question its key's answer, then reads it.
    pub(super) fn resolve_keys(&mut self) {
        for (section, mut d) in std::mem::take(&mut self.pending) {
            let n = d.number;
            let same_number = |k: &&Key| Some(k.n) == n;
            let key =
                self.keys.iter().filter(same_number).find(|k| k.section == Some(section)).or_else(|| {
                    let loose: Vec<&Key> =
                        self.keys.iter().filter(same_number).filter(|k| k.section.is_none()).collect();
                    (loose.len() == 1).then(|| loose[0])
                });
            if let Some(key) = key {
                d.answer = Some((d.line, key.answer.clone()));
                if d.explanation.is_empty() {
                    d.explanation = key.explanation.clone();
                }
                d.field = Some(Field::Other);
                d.note(msg::NOTE_ANSWER_FROM_KEY);
            }
            finish(d, &self.category, &mut self.out);
        }
        self.out.items.sort_by_key(|i| i.line);
    }
}

static NAMED_KEY: LazyLock<Regex> = LazyLock::new(|| re(r"^([^\s:：0-9]{2,8}?)\s*[:：]\s*(.+)$"));
static FREE_ITEM: LazyLock<Regex> = LazyLock::new(|| re(r"([0-9]{1,3})\s*[.、．:：)）]\s*(\S+)"));

/// A 填空 key `1.60 2.10086 3.1`: any answer after each number.
fn free_list(text: &str) -> Option<Vec<(u32, String)>> {
    let out: Vec<(u32, String)> = FREE_ITEM
        .captures_iter(text)
        .filter_map(|c| Some((c[1].parse().ok()?, c[2].trim_end_matches(['，', ',', '；', ';']).to_string())))
        .collect();
    (out.len() >= 2).then_some(out)
}

static INSTRUCTIONS: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:注意事项|考生须知|考试须知|考试说明|答题说明|答题要求)\s*[:：]?$"));

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(u32, &str)]) -> Vec<(u32, String)> {
        list.iter().map(|(n, a)| (*n, a.to_string())).collect()
    }

    #[test]
    fn keys_in_the_spellings_of_exam_papers() {
        assert_eq!(list("1-5 BBACB  6-10 ACBCB").map(|l| l.len()), Some(10),);
        assert_eq!(list("1—3 √×√；4—5 ×√").unwrap()[3], (4, "×".into()));
        assert_eq!(list("1.ABD 2.ACD 3.B"), Some(pairs(&[(1, "ABD"), (2, "ACD"), (3, "B")])));
        assert_eq!(list("1．ABC  2．ABC"), Some(pairs(&[(1, "ABC"), (2, "ABC")])));
        assert_eq!(list("1-5 BBAC"), None, "five questions, four answers");
        assert_eq!(list("B"), None);
        assert_eq!(list("1.客户 2.营业员"), None);
        assert_eq!(entry("1.【答案】B。解析：城镇48小时。"), Some((1, "B".into(), "城镇48小时。".into())));
        assert_eq!(entry("4.【答案】C。"), Some((4, "C".into(), String::new())));
        assert_eq!(number_row("题号\t1\t2\t3"), Some(vec![1, 2, 3]));
        assert_eq!(answer_row("答案\tA\t√\tC"), Some(vec!["A".into(), "√".into(), "C".into()]));
        assert!(is_heading("参考答案及解析") && is_heading("参考答案") && !is_heading("参考答案：B"));
    }
}
