//! A question being read, and how it becomes a `Question` once its last line
//! is seen: the type from its own label, its heading or its answer; the answer
//! from its answer line, a mark in the stem or a marked option. Whatever is
//! inferred is noted; whatever disagrees is an error, never a guess.

use super::answer::{self, fit_blanks, stem_mark, true_false_options, Mark};
use super::lines::KindLabel;
use crate::bank::formats::{Item, LineError, Parsed};
use crate::bank::question::{letter, Answer, Channel, Kind, Question};
use crate::web::msg;

/// Which part of the question a continuation line belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field {
    Stem,
    Option,
    /// A multi-line answer (a 简答's reference answer).
    Answer,
    /// After a one-word answer (`B`, `√`): more text is the explanation.
    AfterAnswer,
    Explanation,
    Other,
    /// After `我的答案：`: the trainee's answer, not the bank's; dropped.
    Ignored,
}

#[derive(Debug, Clone, Default)]
pub struct Opt {
    pub text: String,
    /// Bold, red or highlighted in the Word file, or marked ● in a copy.
    pub marked: bool,
    /// Marked ● (a 背题 copy): must agree with an answer line.
    pub picked: bool,
}

#[derive(Debug, Default)]
pub struct Draft {
    pub line: usize,
    pub end: usize,
    pub number: Option<u32>,
    pub kind: Option<KindLabel>,
    pub heading_kind: Option<KindLabel>,
    pub heading_points: Option<i64>,
    pub stem: String,
    pub options: Vec<Opt>,
    pub answer: Option<(usize, String)>,
    pub explanation: String,
    pub points: Option<i64>,
    pub label_points: Option<i64>,
    pub difficulty: Option<u8>,
    pub channel: Option<Channel>,
    pub category: Option<String>,
    pub knowledge_points: Vec<String>,
    pub source: String,
    pub field: Option<Field>,
    /// The last number of a numbered list inside an answer or explanation.
    pub prose_list: Option<(u32, super::lines::Family)>,
    /// The last number of a numbered list inside the stem (a case's questions `1.` `2.`).
    pub stem_list: Option<(u32, super::lines::Family)>,
    pub broken: bool,
    /// An exported file: nothing is inferred from the stem.
    pub strict: bool,
    /// Images (indexes into the Word file's) in the question's lines.
    pub images: Vec<usize>,
    pub notes: Vec<String>,
}

impl Draft {
    pub fn in_prose(&self) -> bool {
        matches!(self.field, Some(Field::Answer | Field::Explanation))
    }

    pub fn has_answer(&self) -> bool {
        self.answer.is_some()
    }

    /// Options, an answer line or an answer in the stem (`……。（×）`): what
    /// the next question may follow.
    pub fn seems_complete(&self) -> bool {
        let true_false = hint(self.kind.or(self.heading_kind)) == Some(Kind::TrueFalse);
        self.has_answer() || !self.options.is_empty() || stem_mark(&self.stem).is_some() || true_false
    }

    pub fn append(&mut self, text: &str) {
        let target = match self.field {
            Some(Field::Stem) | None => &mut self.stem,
            Some(Field::Option) => match self.options.last_mut() {
                Some(o) => &mut o.text,
                None => &mut self.stem,
            },
            Some(Field::Answer) => match self.answer.as_mut() {
                Some((_, a)) => a,
                None => &mut self.stem,
            },
            Some(Field::AfterAnswer) => {
                self.note(msg::NOTE_TEXT_AFTER_ANSWER);
                self.field = Some(Field::Explanation);
                &mut self.explanation
            }
            Some(Field::Explanation) => &mut self.explanation,
            Some(Field::Other | Field::Ignored) => return,
        };
        if !target.is_empty() {
            target.push('\n');
        }
        target.push_str(text);
    }

    pub fn note(&mut self, note: &str) {
        if !self.notes.iter().any(|n| n == note) {
            self.notes.push(note.to_string());
        }
    }
}

/// A question with no answer anywhere in its lines (line, stem, marks): it
/// may be answered by a key later in the file.
pub fn needs_key(d: &Draft) -> bool {
    let label = d.kind.or(d.heading_kind);
    d.answer.is_none()
        && d.number.is_some()
        && !matches!(label, Some(KindLabel::Is(Kind::Essay)))
        && stem_mark(&d.stem).is_none()
        && !d.options.iter().any(|o| o.marked)
        && answer::in_explanation(&d.explanation).is_none()
        && !(hint(label) == Some(Kind::Blanks) && answer::filled_blanks(&d.stem).is_some())
}

fn hint(label: Option<KindLabel>) -> Option<Kind> {
    match label {
        Some(KindLabel::Is(k)) => Some(k),
        _ => None,
    }
}

/// Turns a finished draft into a question (or its errors) in `out`.
pub fn finish(mut d: Draft, category: &str, out: &mut Parsed) {
    if d.broken {
        return;
    }
    let own_kind = d.kind;
    let label = d.kind.or(d.heading_kind);
    if own_kind.is_none() && d.heading_kind.is_some() {
        d.note(msg::NOTE_TYPE_FROM_HEADING);
    }
    let mut options: Vec<String> = d.options.iter().map(|o| o.text.trim().to_string()).collect();
    // 判断题 written as options A.正确 B.错误.
    let tf_options = match label {
        None | Some(KindLabel::AnyChoice) | Some(KindLabel::Is(Kind::TrueFalse)) => {
            true_false_options(&options)
        }
        _ => None,
    };
    let mut stem = d.stem.trim().to_string();
    let has_options = !options.is_empty();
    // The answer written into the stem, when it can be one for this question.
    let may_mark = !d.strict && !matches!(label, Some(KindLabel::Is(Kind::Essay | Kind::Blanks)));
    let mark = stem_mark(&stem).filter(|_| may_mark).filter(|(_, m)| match m {
        Mark::Letters(_) => has_options,
        Mark::TrueFalse(_) => !has_options || tf_options.is_some(),
    });
    let mut answer_text = d.answer.as_ref().map(|(_, a)| a.trim().to_string());
    let answer_line = d.answer.as_ref().map(|(l, _)| *l).unwrap_or(d.line);
    if let Some((clean, mark)) = mark {
        let written = match &mark {
            Mark::Letters(l) => l.clone(),
            Mark::TrueFalse(v) => if *v { "正确" } else { "错误" }.to_string(),
        };
        match &answer_text {
            None => {
                out.recognise(msg::recognised_stem_answer(&stem_mark_example(&mark)));
                answer_text = Some(written);
                d.note(msg::NOTE_ANSWER_FROM_STEM);
                stem = clean;
            }
            Some(given) if same_answer(given, &written) => stem = clean,
            Some(given) => {
                out.errors.push(LineError::new(answer_line, msg::text_stem_answer_differs(&written, given)));
                return;
            }
        }
    }
    // 填空 answered inside its blanks: `有效期为（ 60 ）天`.
    if answer_text.is_none() && hint(label) == Some(Kind::Blanks) {
        if let Some((clean, groups)) = answer::filled_blanks(&stem) {
            out.recognise(msg::recognised_stem_answer("（ 60 ）"));
            d.note(msg::NOTE_ANSWER_FROM_STEM);
            answer_text = Some(groups.iter().map(|g| format!("({g})")).collect());
            stem = clean;
        }
    }
    let picked: String =
        d.options.iter().enumerate().filter(|(_, o)| o.picked).map(|(i, _)| letter(i)).collect();
    if let Some(given) = answer_text.as_deref().filter(|g| !picked.is_empty() && !same_answer(g, &picked)) {
        out.errors.push(LineError::new(answer_line, msg::text_marked_answer_differs(&picked, given)));
        return;
    }
    if answer_text.is_none() {
        // Letters for a choice, 对/错 for a 判断.
        let fits = |a: &String| has_options == answer::parse_letters(a, None).is_some();
        if let Some(found) = answer::in_explanation(&d.explanation).filter(fits) {
            out.recognise(msg::RECOGNISED_ANSWER_IN_EXPLANATION);
            d.note(msg::NOTE_ANSWER_FROM_EXPLANATION);
            answer_text = Some(found);
        }
    }
    if answer_text.is_none() && has_options {
        let marked: String =
            d.options.iter().enumerate().filter(|(_, o)| o.marked).map(|(i, _)| letter(i)).collect();
        if !marked.is_empty() && marked.len() < options.len() {
            out.recognise(msg::RECOGNISED_MARKED_ANSWERS);
            answer_text = Some(marked);
            d.note(msg::NOTE_ANSWER_FROM_MARK);
        }
    }
    if let (Some(tf), Some(text)) = (tf_options, answer_text.as_mut()) {
        if let Some((_, Answer::Choices(c))) = answer::parse_letters(text, None) {
            if c.len() == 1 {
                *text = if tf[c[0]] { "正确" } else { "错误" }.to_string();
            }
        }
        options.clear();
        out.recognise(msg::RECOGNISED_TRUE_FALSE_OPTIONS);
        d.note(msg::NOTE_TRUE_FALSE_OPTIONS);
    }
    let has_options = !options.is_empty();
    // 判断 answered A/B without options: “正确的选A，错误的选B”.
    if hint(label) == Some(Kind::TrueFalse) && !has_options {
        if let Some(text) = answer_text.as_mut().filter(|t| matches!(t.trim(), "A" | "B" | "Ａ" | "Ｂ")) {
            *text = if matches!(text.trim(), "A" | "Ａ") { "正确" } else { "错误" }.to_string();
            d.note(msg::NOTE_TRUE_FALSE_LETTERS);
        }
    }
    let blanks = answer::blanks_in(&stem);
    let (kind, answer) = match answer_text {
        Some(text) if d.strict && hint(label) == Some(Kind::Blanks) => {
            (Kind::Blanks, Answer::Blanks(answer::blank_groups_escaped(&text)))
        }
        Some(text) => match answer::parse_answer(
            &text,
            hint(label).or(tf_options.map(|_| Kind::TrueFalse)),
            has_options,
        ) {
            Ok((Kind::Blanks, Answer::Blanks(g))) => (Kind::Blanks, Answer::Blanks(fit_blanks(g, blanks))),
            Ok(parsed) => parsed,
            Err(_) if label.is_none() && !has_options && blanks > 0 => {
                (Kind::Blanks, Answer::Blanks(fit_blanks(answer::blank_groups(&text), blanks)))
            }
            Err(_) if label.is_none() && !has_options && !text.is_empty() => {
                d.note(msg::NOTE_ESSAY_FROM_TEXT);
                (Kind::Essay, Answer::Reference(text))
            }
            Err(m) => {
                out.errors.push(LineError::new(answer_line, m));
                return;
            }
        },
        // A 简答 without a reference answer is one only when its type says so:
        // a numbered line with nothing else may be anything (注意事项, a title).
        None => match hint(label) {
            Some(Kind::Essay) if !has_options => (Kind::Essay, Answer::Reference(String::new())),
            kind => {
                out.errors.push(LineError::new(d.line, msg::text_answer_missing(kind.map(Kind::label))));
                return;
            }
        },
    };
    if d.points.is_none() && d.label_points.is_none() && d.heading_points.is_some() {
        d.note(msg::NOTE_POINTS_FROM_HEADING);
    }
    let question = Question {
        kind,
        stem,
        options,
        answer,
        explanation: d.explanation.trim().to_string(),
        points: d.points.or(d.label_points).or(d.heading_points).unwrap_or(kind.default_points()),
        difficulty: d.difficulty.unwrap_or(3),
        channel: d.channel.unwrap_or(Channel::General),
        category: d.category.unwrap_or_else(|| category.to_string()),
        knowledge_points: d.knowledge_points,
        source: d.source,
    };
    let end = d.end.max(d.line);
    out.push_item(Item {
        line: d.line,
        answer_line: Some(answer_line),
        end,
        question,
        notes: d.notes,
        images: d.images,
    });
}

fn stem_mark_example(mark: &Mark) -> String {
    match mark {
        Mark::Letters(_) => "（ D ）".into(),
        Mark::TrueFalse(true) => "（√）".into(),
        Mark::TrueFalse(false) => "（×）".into(),
    }
}

/// Whether an answer line and a mark in the stem say the same.
fn same_answer(given: &str, written: &str) -> bool {
    match (answer::true_false(given), answer::true_false(written)) {
        (Some(a), Some(b)) => a == b,
        _ => {
            let letters = |t: &str| answer::parse_letters(t, None).map(|(_, a)| a);
            letters(given).is_some() && letters(given) == letters(written)
        }
    }
}
