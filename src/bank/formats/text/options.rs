//! Options and tag lines of the question being read.

use super::draft::{Field, Opt};
use super::lines::{self, Tag};
use super::{answer, keys, Reader};
use crate::bank::formats::LineError;
use crate::bank::question::{parse_difficulty, parse_points, split_list, Channel};
use crate::web::msg;

impl Reader<'_> {
    pub(super) fn options(&mut self, i: usize, index: usize, body: usize) {
        let Some(d) = self.draft.as_mut() else { return };
        if index != d.options.len() {
            self.out.errors.push(LineError::new(
                self.lines[i].no,
                msg::text_option_gap(crate::bank::question::letter(d.options.len())),
            ));
            d.broken = true;
            return;
        }
        // The label's style, whatever its letter: 选项「A、」.
        let label: String = self.lines[i].text[..body]
            .trim()
            .chars()
            .map(|c| {
                if c.is_ascii_uppercase() {
                    'A'
                } else if ('Ａ'..='Ｈ').contains(&c) {
                    'Ａ'
                } else {
                    c
                }
            })
            .collect();
        self.out.recognise(msg::recognised_options(&label));
        self.split_options(i, index, body);
    }

    /// Reads options `index`, `index + 1`, … from line `i`, starting at byte
    /// `from` (just after the first label).
    pub(super) fn split_options(&mut self, i: usize, mut index: usize, mut from: usize) {
        let lines = self.lines;
        let line = &lines[i];
        let picked = self.picked;
        let Some(d) = self.draft.as_mut() else { return };
        loop {
            let body = &line.text[from..];
            let next = if self.strict { None } else { lines::find_label(body, index + 1) };
            let end = next.map_or(line.text.len(), |(at, _)| from + at);
            d.options.push(Opt {
                text: line.text[from..end].trim().to_string(),
                marked: line.marked(from, end) || picked,
                picked,
            });
            d.field = Some(Field::Option);
            d.end = line.no;
            match next {
                Some((_, after)) => {
                    self.out.recognise(msg::RECOGNISED_OPTIONS_ON_ONE_LINE);
                    from += after;
                    index += 1;
                }
                None => break,
            }
        }
    }

    pub(super) fn tag(&mut self, no: usize, t: lines::TagLine) {
        self.dropped_warned = false;
        let strict = self.strict;
        let Some(d) = self.draft.as_mut() else { return };
        d.end = no;
        d.field = Some(Field::Other);
        let (value, tail) = match t.tag {
            Tag::Answer | Tag::Explanation | Tag::Unknown => (t.value.as_str(), None),
            _ if strict => (t.value.as_str(), None),
            // `难度：易 知识点：停机保号` on one line.
            _ => lines::split_tail(&t.value),
        };
        if let Some(tail) = tail.and_then(lines::tag_line) {
            let first = lines::TagLine { value: value.to_string(), ..t };
            self.tag(no, first);
            return self.tag(no, tail);
        }
        let mut bad = None;
        match t.tag {
            Tag::Answer if !strict && keys::list(value).is_some() => {
                // `答案：1-5 BBACB` after a section: the section's key, not this question's answer.
                d.field = Some(Field::Other);
                let list = keys::list(value).unwrap_or_default();
                self.out.recognise(msg::RECOGNISED_ANSWER_KEY);
                let section = Some(self.section_kinds.len());
                self.keys.extend(list.into_iter().map(|(n, answer)| keys::Key {
                    section,
                    n,
                    answer,
                    explanation: String::new(),
                }));
            }
            Tag::Answer => {
                let (answer, tail) = if strict { (value, None) } else { lines::split_tail(value) };
                let answer = answer.trim();
                self.out.recognise(msg::recognised_answer_line(&t.spelling));
                let short = answer.chars().count() <= 12
                    && (answer::parse_letters(answer, None).is_some()
                        || answer::true_false(answer).is_some());
                d.answer = Some((no, answer.to_string()));
                d.prose_list = lines::numbered(answer).map(|n| (n.n, n.family));
                d.field = Some(if short && !strict { Field::AfterAnswer } else { Field::Answer });
                if let Some(tail) = tail.and_then(lines::tag_line) {
                    return self.tag(no, tail);
                }
            }
            Tag::Explanation => {
                d.explanation = value.to_string();
                d.field = Some(Field::Explanation);
                d.prose_list = lines::numbered(value).map(|n| (n.n, n.family));
            }
            Tag::Points => match parse_points(value) {
                Some(p) => d.points = Some(p),
                None => bad = Some(msg::text_bad_points(value)),
            },
            Tag::Difficulty => match parse_difficulty(value) {
                Some(v) => d.difficulty = Some(v),
                None => bad = Some(msg::Q_DIFFICULTY_RANGE.to_string()),
            },
            Tag::KnowledgePoints => d.knowledge_points = split_list(value),
            Tag::Channel => match Channel::parse_label(value) {
                Some(c) => d.channel = Some(c),
                None => bad = Some(msg::unknown_channel(value)),
            },
            Tag::Category => d.category = Some(value.to_string()),
            Tag::Source => d.source = value.to_string(),
            Tag::Kind(k) => d.kind = Some(k),
            Tag::BadKind => bad = Some(msg::text_unknown_kind(value)),
            Tag::Ignored => d.field = Some(Field::Ignored),
            // Kept with the explanation, and said so: nothing is dropped unseen.
            Tag::Unknown => {
                self.out.warnings.push(LineError::new(no, msg::unknown_tag_kept(&t.name)));
                if !d.explanation.is_empty() {
                    d.explanation.push('\n');
                }
                d.explanation.push_str(&format!("【{}】{value}", t.name));
                d.field = Some(Field::Explanation);
            }
        }
        // A question with a bad field is not imported with a default in its place.
        if let Some(m) = bad {
            self.out.errors.push(LineError::new(no, m));
            d.broken = true;
        }
    }
}
