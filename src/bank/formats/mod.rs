//! Import formats. Each parser turns a file into questions with the line (or
//! row) they start on, and errors with theirs; [`super::question::validate`]
//! is applied to every question, whatever the format.

pub mod aiken;
pub mod docx;
pub mod gift;
pub mod moodle_xml;
#[cfg(test)]
mod props;
#[cfg(test)]
mod samples;
pub mod sheet;
pub mod text;

use serde::Serialize;

use super::question::Question;

/// A question read from a file, with the lines it came from and what the
/// reader inferred rather than read (shown in the preview).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub line: usize,
    /// The line of its answer, when that is a line of its own (errors about the answer point there).
    pub answer_line: Option<usize>,
    /// The last line of the question (= `line` for one-row formats).
    pub end: usize,
    pub question: Question,
    /// 答案取自题干, 题型取自章节标题 …
    pub notes: Vec<String>,
    /// Indexes into `Parsed::images`.
    pub images: Vec<usize>,
}

/// An image embedded in the file (a Word picture).
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A problem in a file: `第{line}行：{message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    pub line: usize,
    pub message: String,
    /// The question the error is about (its stem, shortened), when the line alone does not say.
    pub stem: String,
}

impl LineError {
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        Self { line, message: message.into(), stem: String::new() }
    }
}

/// What a parser found: valid questions, errors, things it skipped on
/// purpose (types examhall cannot represent) and warnings (read, but worth a
/// look), each with its line; the conventions it recognised; the source lines
/// (for the preview, which shows each question beside them).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Parsed {
    pub items: Vec<Item>,
    pub errors: Vec<LineError>,
    pub skipped: Vec<LineError>,
    pub warnings: Vec<LineError>,
    pub recognised: Vec<String>,
    pub source: Vec<String>,
    #[serde(skip)]
    pub images: Vec<Image>,
}

/// How much of a stem an error shows.
const STEM_SHOWN: usize = 40;

impl Parsed {
    /// Adds a question if it keeps every rule, else its errors.
    pub fn push_checked(&mut self, line: usize, question: Question) {
        self.push_item(Item {
            line,
            answer_line: None,
            end: line,
            question,
            notes: Vec::new(),
            images: Vec::new(),
        });
    }

    pub fn push_item(&mut self, item: Item) {
        let problems = super::question::problems(&item.question);
        if problems.is_empty() {
            self.items.push(item);
        } else {
            let stem: String = item.question.stem.chars().take(STEM_SHOWN).collect();
            self.errors.extend(problems.into_iter().map(|(part, message)| {
                let line = match part {
                    super::question::Part::Answer => item.answer_line.unwrap_or(item.line),
                    _ => item.line,
                };
                LineError { line, message, stem: stem.clone() }
            }));
        }
    }

    /// Notes a convention the reader recognised, once.
    pub fn recognise(&mut self, what: impl Into<String>) {
        let what = what.into();
        if !self.recognised.contains(&what) {
            self.recognised.push(what);
        }
    }
}
