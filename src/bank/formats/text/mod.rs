//! Question banks as trainers write them: text pasted from Word or PDF, Word
//! files (through `super::docx`), and examhall's own 【答案】 format
//! (`question_bank/FORMAT.md`). The reader finds a file's conventions by
//! itself and reports them (`Parsed::recognised`); anything it infers is noted
//! on the question; anything it cannot read is an error on its line.
//!
//! Which numbered line starts a question is the hard part (`5. 5G套餐…`,
//! `1.5元/分钟`, sub-items `（1）` of a 简答, numbered reference answers), decided
//! in [`Reader::starts_question`] from the expected next number, the way the
//! section numbers its questions, and what follows the line.

mod answer;
mod draft;
mod keys;
mod lines;
mod noise;
mod options;
mod source;
mod tags;
mod write;

pub(crate) use answer::parse_answer;

/// The reader's patterns are fixed text: one that does not compile is a bug
/// found by the first test, never a user's input.
fn re(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).unwrap_or_else(|e| unreachable!("{e}"))
}
pub use source::{parse, parse_marked, strip_marks, IMAGE_OFF, IMAGE_ON, MARK_OFF, MARK_ON, TABLE_ROW};
pub use write::{write, EXPORT_HEADER};

use draft::{finish, Draft, Field};
use lines::{Family, KindLabel, Section, Tag};
use source::Line;

use super::{LineError, Parsed};
use crate::web::msg;

#[derive(Default)]
struct Reader<'a> {
    lines: &'a [Line],
    out: Parsed,
    strict: bool,
    category: String,
    section: Section,
    draft: Option<Draft>,
    blank_before: bool,
    /// A run of lines that belong to nothing has been warned about.
    dropped_warned: bool,
    /// Sections so far (each heading starts one), with their type.
    section_kinds: Vec<Option<KindLabel>>,
    /// Questions without an answer, by section, waiting for a key.
    pending: Vec<(usize, Draft)>,
    keys: Vec<keys::Key>,
    /// In the key part at the end of the file, and the section it answers.
    key_mode: bool,
    key_section: Option<usize>,
    key_numbers: Option<Vec<u32>>,
    /// In a paper's 注意事项 (numbered instructions, not questions).
    instructions: bool,
    /// This line's option was marked filled (●).
    picked: bool,
}

impl Reader<'_> {
    fn run(&mut self) {
        let lines = self.lines;
        for (i, line) in lines.iter().enumerate() {
            let text = line.text.as_str();
            let trimmed = text.trim();
            if trimmed.is_empty() || line.skip {
                self.blank_before = true;
                self.instructions = false;
            } else {
                self.line(i, text, trimmed);
                self.blank_before = false;
            }
            // A picture belongs to the question whose line (or the line after) holds it.
            if let Some(d) = self.draft.as_mut().filter(|_| !line.images.is_empty()) {
                d.images.extend(&line.images);
            }
        }
        self.finish();
        self.resolve_keys();
    }

    fn line(&mut self, i: usize, text: &str, trimmed: &str) {
        let no = self.lines[i].no;
        if !self.strict && self.keyed_line(trimmed) {
            return;
        }
        // 问卷星: `○A.选项`, `□A.选项`; `○对` `○错` under a 判断 are its widget.
        // A filled mark (`● B.…`, `● 错误`) is the answer of a 背题 copy.
        let mark = noise::choice_mark(text);
        if let Some((rest, filled)) = mark.filter(|(rest, _)| answer::true_false(rest).is_some()) {
            if let Some(d) = self.draft.as_mut().filter(|d| filled && d.answer.is_none()) {
                d.answer = Some((no, rest.to_string()));
                d.field = Some(Field::AfterAnswer);
            }
            return;
        }
        // `正确` / `错误` on two lines under a 判断: the choices of a platform's answer sheet.
        if answer::true_false(trimmed).is_some() && self.true_false_pair(i) {
            return;
        }
        self.picked = mark.is_some_and(|(_, filled)| filled);
        let (text, trimmed) = match mark {
            Some((rest, _)) => (rest, rest.trim()),
            None => (text, trimmed),
        };
        // An answer box (`________`) under a question.
        if trimmed.chars().all(|c| c == '_' || c == '＿') {
            return;
        }
        if let Some(escaped) = text.trim_start().strip_prefix('\\') {
            return self.continue_with(no, escaped);
        }
        if trimmed.starts_with("//") {
            return;
        }
        if let Some(header) = trimmed.strip_prefix('#') {
            self.finish();
            self.category = header.trim_start_matches('#').trim().to_string();
            return;
        }
        if let Some(heading) = lines::typed_heading(trimmed) {
            let bracket_tag =
                trimmed.starts_with('【') && self.draft.is_some() && !self.numbered_next(i, false);
            if !bracket_tag
                && !self.draft.as_ref().is_some_and(|d| d.in_prose() && !self.numbered_next(i, false))
            {
                self.finish();
                self.new_section(heading.kind, heading.points);
                self.out.recognise(msg::RECOGNISED_HEADINGS);
                return;
            }
        }
        if let Some(title) =
            noise::chapter(trimmed).filter(|_| !self.draft.as_ref().is_some_and(Draft::in_prose))
        {
            self.finish();
            self.category = title;
            self.section =
                Section { kind: self.section.kind, points: self.section.points, ..Default::default() };
            self.out.recognise(msg::RECOGNISED_CHAPTERS);
            return;
        }
        if let (Some(points), Some(d)) = (lines::points_line(trimmed), self.draft.as_mut()) {
            d.label_points = d.label_points.or(Some(points));
            return;
        }
        if let Some(kind) = lines::part_heading(trimmed) {
            self.finish();
            self.new_section(kind, None);
            return;
        }
        if let Some(stem) = lines::numeral_question(trimmed).filter(|_| self.answer_next(i)) {
            return self.start(i, None, stem, None);
        }
        if let Some(num) = lines::numbered(text) {
            if self.starts_question(i, &num) {
                return self.start(i, Some(num.n), num.rest, Some(num.family));
            }
        } else if lines::numeral_heading(trimmed) && self.numbered_next(i, true) {
            self.finish();
            self.new_section(None, None);
            return;
        }
        let tag = lines::tag_line(text);
        if let Some(t) = &tag {
            if matches!(t.tag, Tag::Kind(_))
                && t.name == "题型"
                && (self.draft.is_none() || self.numbered_next(i, false))
            {
                self.finish();
                let kind = if let Tag::Kind(k) = t.tag { Some(k) } else { None };
                self.new_section(kind, None);
                self.out.recognise(msg::RECOGNISED_HEADINGS);
                return;
            }
        }
        let option =
            if self.draft.as_ref().is_some_and(Draft::in_prose) { None } else { lines::option_start(text) };
        let unnumbered_start = tag.is_none()
            && option.is_none()
            && self.draft.as_ref().is_none_or(|d| d.has_answer() && self.blank_before)
            && self.question_follows(i);
        if unnumbered_start {
            self.out.recognise(msg::RECOGNISED_UNNUMBERED);
            return self.start(i, None, text, None);
        }
        if self.draft.is_none() {
            // An option or an answer here has lost its question; `来源：…` is a title.
            if option.is_some() || tag.as_ref().is_some_and(|t| t.tag == Tag::Answer) {
                self.out.errors.push(LineError::new(no, msg::TEXT_OUTSIDE_QUESTION));
            }
            // Anything else before the first question is a title: ignored.
            return;
        }
        if let Some(t) = tag {
            self.tag(no, t);
        } else if let Some((index, body)) = option {
            self.options(i, index, body);
        } else {
            self.continue_with(no, trimmed);
        }
    }

    fn continue_with(&mut self, no: usize, text: &str) {
        // 学习通's score of the trainee (`6分`, `10.0 分`) is not the bank's.
        if noise::score_line(text) {
            return;
        }
        if let Some(d) = self.draft.as_mut() {
            // 资料分析: material shared by several questions has no place in one.
            if let Some((from, to)) = noise::shared_material(text) {
                d.field = Some(Field::Other);
                self.out.warnings.push(LineError::new(no, msg::text_shared_material(from, to)));
                self.dropped_warned = true;
                return;
            }
            if d.field == Some(Field::Other) {
                if !self.dropped_warned {
                    self.out.warnings.push(LineError::new(no, msg::TEXT_LINE_NOT_IMPORTED));
                }
                self.dropped_warned = true;
                return;
            }
            if let Some(n) = lines::numbered(text).filter(|n| !n.decimal_like) {
                if d.in_prose() {
                    d.prose_list = Some((n.n, n.family));
                } else if d.field == Some(Field::Stem) {
                    d.stem_list = Some((n.n, n.family));
                }
            }
            d.append(text);
            d.end = no;
        }
    }

    /// Whether the next non-blank line is an answer line.
    fn answer_next(&self, i: usize) -> bool {
        self.lines[i + 1..]
            .iter()
            .find(|l| !l.text.trim().is_empty())
            .and_then(|l| lines::tag_line(&l.text))
            .is_some_and(|t| t.tag == Tag::Answer)
    }

    /// Whether line `i` is one of two lines `正确` / `错误` (either order).
    fn true_false_pair(&self, i: usize) -> bool {
        let value = |j: usize| self.lines.get(j).and_then(|l| answer::true_false(l.text.trim()));
        let here = value(i);
        here.is_some()
            && (value(i + 1).is_some_and(|v| Some(!v) == here)
                || i > 0 && value(i - 1).is_some_and(|v| Some(!v) == here))
    }

    /// Whether the numbered line `i` starts a question (see the module note).
    fn starts_question(&self, i: usize, num: &lines::Numbered) -> bool {
        let expected = self.section.last.map_or(1, |n| n + 1);
        let Some(d) = self.draft.as_ref() else {
            return !num.decimal_like || self.section.last.is_none() || num.n == expected;
        };
        let same_family = self.section.family.is_none_or(|f| f == num.family);
        // A sub-item （2） of the question before, unless it has its own type.
        if !same_family && !d.has_answer() && lines::stem_labels(num.rest).1.is_none() {
            return false;
        }
        // `2. 如何避免类似投诉？` after `1. 营业员…？` inside a case's stem.
        let continues_stem_list = d.field == Some(Field::Stem)
            && d.stem_list.is_some_and(|(p, f)| p + 1 == num.n && f == num.family);
        if continues_stem_list && lines::stem_labels(num.rest).1.is_none() {
            return false;
        }
        if num.n == expected {
            // `2.5G以上频段…` inside a stem that has no options or answer yet.
            if num.decimal_like && !d.seems_complete() && !self.blank_before {
                return false;
            }
            if !same_family && d.in_prose() && !self.question_follows(i) {
                return false;
            }
            // `2、` continuing a numbered list inside a reference answer.
            let continues_list =
                d.in_prose() && d.prose_list.is_some_and(|(p, f)| p + 1 == num.n && f == num.family);
            return !continues_list || self.question_follows(i);
        }
        if num.decimal_like {
            return false; // 1.5元/分钟
        }
        if d.in_prose() || !same_family || self.section.last.is_some_and(|last| num.n <= last) {
            return self.question_follows(i);
        }
        true
    }

    /// Whether line `i` carries a question: a type label on it, or options
    /// or an answer line before the next blank or numbered line.
    fn question_follows(&self, i: usize) -> bool {
        let line = &self.lines[i].text;
        let rest = lines::numbered(line).map_or(line.as_str(), |n| n.rest);
        if lines::stem_labels(rest).1.is_some()
            || lines::tag_line(rest).is_some_and(|t| t.tag == Tag::Answer)
            || answer::stem_mark(rest).is_some()
        {
            return true;
        }
        self.lines[i + 1..]
            .iter()
            .map(|l| l.text.as_str())
            // Up to the next blank line or the next number written the way this
            // section numbers its questions (sub-items （1） of a 1、 are passed).
            .take_while(|l| {
                !l.trim().is_empty()
                    && lines::numbered(l).is_none_or(|n| self.section.family.is_some_and(|f| f != n.family))
            })
            .any(|l| {
                lines::option_start(l).is_some() || lines::tag_line(l).is_some_and(|t| t.tag == Tag::Answer)
            })
    }

    /// Whether the next non-blank line is numbered (with 1 if `first`).
    fn numbered_next(&self, i: usize, first: bool) -> bool {
        self.lines[i + 1..]
            .iter()
            .find(|l| !l.text.trim().is_empty())
            .and_then(|l| lines::numbered(&l.text))
            .is_some_and(|n| !first || n.n == 1)
    }

    fn start(&mut self, i: usize, number: Option<u32>, rest: &str, family: Option<Family>) {
        let no = self.lines[i].no;
        self.dropped_warned = false;
        self.finish();
        if let (Some(n), Some(f)) = (number, family) {
            if self.section.family.is_none() {
                self.section.family = Some(f);
                self.out.recognise(msg::recognised_numbering(f.example()));
            }
            if let Some(last) = self.section.last.filter(|last| n != last + 1) {
                self.out.warnings.push(LineError::new(no, msg::text_numbering_gap(last, n)));
            }
            self.section.last = Some(n);
        }
        let (stem, kind, label_points) =
            if self.strict { lines::strict_stem_label(rest) } else { lines::stem_labels(rest) };
        let mut d = Draft {
            line: no,
            end: no,

            kind,
            heading_kind: self.section.kind,
            heading_points: self.section.points,
            label_points,
            number,
            field: Some(Field::Stem),
            strict: self.strict,
            ..Default::default()
        };
        // Options on the stem line: `…的是（ ）A.开户 B.销户`.
        let lines = self.lines;
        let offset = lines[i].text.len() - rest.len();
        match (!self.strict).then(|| lines::first_option_label(&stem)).flatten() {
            Some((at, body)) if lines::find_label(&stem[body..], 1).is_some() && stem == rest.trim() => {
                d.stem = stem[..at].trim().to_string();
                self.out.recognise(msg::RECOGNISED_OPTIONS_ON_STEM_LINE);
                let lead = rest.len() - rest.trim_start().len();
                self.draft = Some(d);
                self.split_options(i, 0, offset + lead + body);
            }
            _ => {
                d.stem = stem;
                self.draft = Some(d);
            }
        }
    }

    fn new_section(&mut self, kind: Option<KindLabel>, points: Option<i64>) {
        self.section = Section { kind, points, ..Default::default() };
        self.section_kinds.push(kind);
    }

    fn finish(&mut self) {
        if let Some(d) = self.draft.take() {
            if !self.strict && draft::needs_key(&d) {
                self.pending.push((self.section_kinds.len(), d));
            } else {
                finish(d, &self.category, &mut self.out);
            }
        }
    }
}

#[cfg(test)]
mod tests;
