//! The lines of a file as the reader sees them: the Word reader's marks
//! (emphasis, pictures, question-table rows) taken out of the text, page
//! furniture skipped, an answer typed at a line's end split off; then the
//! reader runs over them.

use super::{noise, Reader, EXPORT_HEADER};
use crate::bank::formats::Parsed;
use crate::web::msg;

/// Marks the Word reader puts around bold, red or highlighted text, around
/// the index of an image, and before a row of a question table (read by the
/// sheet reader, shown in the preview, skipped here).
pub const MARK_ON: char = '\u{E000}';
pub const MARK_OFF: char = '\u{E001}';
pub const IMAGE_ON: char = '\u{E002}';
pub const IMAGE_OFF: char = '\u{E003}';
pub const TABLE_ROW: char = '\u{E004}';

/// The text without the Word reader's marks.
pub fn strip_marks(text: &str) -> String {
    Line::read(text).text
}

/// One line with which of its bytes were marked, and its images.
pub(super) struct Line {
    /// The line of the file (a line split in two keeps its number).
    pub no: usize,
    pub text: String,
    pub marked: Vec<bool>,
    pub images: Vec<usize>,
    pub skip: bool,
}

impl Line {
    fn read(raw: &str) -> Line {
        let mut text = String::with_capacity(raw.len());
        let mut marked = Vec::with_capacity(raw.len());
        let mut images = Vec::new();
        let (mut on, mut image, mut skip) = (false, None::<String>, false);
        for c in raw.trim_end().chars() {
            match (c, image.as_mut()) {
                (MARK_ON, _) => on = true,
                (MARK_OFF, _) => on = false,
                (TABLE_ROW, _) => skip = true,
                (IMAGE_ON, _) => image = Some(String::new()),
                (IMAGE_OFF, Some(index)) => {
                    images.extend(index.parse::<usize>().ok());
                    image = None;
                }
                (c, Some(index)) => index.push(c),
                (c, None) => {
                    text.push(c);
                    marked.extend(std::iter::repeat_n(on, c.len_utf8()));
                }
            }
        }
        Line { no: 0, text, marked, images, skip }
    }

    /// `…结果。    答案：对` → the text, then the answer line (same number).
    fn split_answer(self) -> Vec<Line> {
        // `【B】1.题干`: the question first, then its answer.
        if let Some((question, answer)) = noise::answer_before_number(&self.text) {
            let line = |text: String| Line {
                no: self.no,
                marked: vec![false; text.len()],
                text,
                images: Vec::new(),
                skip: false,
            };
            return vec![line(question), line(format!("【答案】{answer}"))];
        }
        match noise::inline_answer_at(&self.text) {
            Some(at) => {
                let second = Line {
                    no: self.no,
                    text: self.text[at..].trim_start().to_string(),
                    marked: self.marked[at..].to_vec(),
                    images: Vec::new(),
                    skip: false,
                };
                let first = Line {
                    no: self.no,
                    text: self.text[..at].trim_end().to_string(),
                    marked: self.marked[..at].to_vec(),
                    images: self.images,
                    skip: self.skip,
                };
                vec![first, second]
            }
            None => vec![self],
        }
    }

    pub fn marked(&self, from: usize, to: usize) -> bool {
        self.text[from..to]
            .char_indices()
            .any(|(i, c)| !c.is_whitespace() && self.marked.get(from + i).copied().unwrap_or(false))
    }
}

/// Reads a text file. Private-use characters are removed first: marks come
/// only from the Word reader.
pub fn parse(text: &str) -> Parsed {
    let clean: String = text.chars().filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c)).collect();
    let plain: Vec<String> = clean.lines().map(noise::plain_text).collect();
    parse_marked(&plain.join("\n"))
}

/// Reads text in which the Word reader marked emphasised runs.
pub fn parse_marked(text: &str) -> Parsed {
    let text = text.trim_start_matches('\u{feff}');
    let read: Vec<Line> =
        text.lines().enumerate().map(|(i, raw)| Line { no: i + 1, ..Line::read(raw) }).collect();
    let strict =
        read.iter().find(|l| !l.text.trim().is_empty()).is_some_and(|l| l.text.trim() == EXPORT_HEADER);
    let source: Vec<String> =
        read.iter().map(|l| format!("{}{}", l.text, msg::SOURCE_IMAGE.repeat(l.images.len()))).collect();
    let furniture =
        if strict { Default::default() } else { noise::page_furniture(read.iter().map(|l| l.text.as_str())) };
    let lines: Vec<Line> = read
        .into_iter()
        .map(|mut l| {
            l.skip |= furniture.contains(l.text.trim());
            l
        })
        .flat_map(|l| if strict { vec![l] } else { l.split_answer() })
        .collect();
    let mut reader = Reader { lines: &lines, out: Parsed::default(), strict, ..Default::default() };
    reader.run();
    let mut out = reader.out;
    if !furniture.is_empty() {
        out.recognise(msg::RECOGNISED_PAGE_FURNITURE);
    }
    out.source = source;
    out.errors.sort_by_key(|e| e.line);
    out.warnings.sort_by_key(|e| e.line);
    out
}
