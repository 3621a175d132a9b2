//! Import formats. Each parser turns a file into questions with the line (or
//! row) they start on, and errors with theirs; [`super::question::validate`]
//! is applied to every question, whatever the format.

pub mod aiken;
pub mod gift;
pub mod moodle_xml;
#[cfg(test)]
mod props;
pub mod sheet;
pub mod text;

use serde::Serialize;

use super::question::Question;

/// A question read from a file, with where it starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub line: usize,
    pub question: Question,
}

/// A problem in a file: `第{line}行：{message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl LineError {
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        Self { line, message: message.into() }
    }
}

/// What a parser found: valid questions, errors, and things it skipped on
/// purpose (types examhall cannot represent), each with its line.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Parsed {
    pub items: Vec<Item>,
    pub errors: Vec<LineError>,
    pub skipped: Vec<LineError>,
}

impl Parsed {
    /// Adds a question if it keeps every rule, else its errors.
    pub fn push_checked(&mut self, line: usize, question: Question) {
        let problems = super::question::validate(&question);
        if problems.is_empty() {
            self.items.push(Item { line, question });
        } else {
            self.errors.extend(problems.into_iter().map(|m| LineError::new(line, m)));
        }
    }
}
