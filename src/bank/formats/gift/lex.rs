//! A question's characters with GIFT's escapes resolved, and the helpers that
//! read them.

use super::{ESCAPED, FORMATS};

/// One character of a question, after escapes: an escaped one is never syntax.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    pub c: char,
    pub escaped: bool,
    pub line: usize,
}

impl Unit {
    pub(super) fn is(&self, c: char) -> bool {
        !self.escaped && self.c == c
    }
}

/// The lines of a question as one text (lines joined by a line break), escapes resolved.
pub(super) fn lex(lines: &[(usize, String)]) -> Vec<Unit> {
    let mut units = Vec::new();
    for (k, (line, text)) in lines.iter().enumerate() {
        if k > 0 {
            units.push(Unit { c: '\n', escaped: false, line: lines[k - 1].0 });
        }
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let unit = match (c, chars.peek().copied()) {
                ('\\', Some('n')) => Unit { c: '\n', escaped: true, line: *line },
                ('\\', Some(next)) if ESCAPED.contains(&next) || next == '*' => {
                    Unit { c: next, escaped: true, line: *line }
                }
                // A backslash before anything else is itself (as in Moodle).
                ('\\', _) => {
                    units.push(Unit { c, escaped: true, line: *line });
                    continue;
                }
                _ => {
                    units.push(Unit { c, escaped: false, line: *line });
                    continue;
                }
            };
            chars.next();
            units.push(unit);
        }
    }
    units
}

pub(super) fn string(units: &[Unit]) -> String {
    units.iter().map(|u| u.c).collect()
}

pub(super) fn trim(units: &[Unit]) -> &[Unit] {
    let start = units.iter().position(|u| !u.c.is_whitespace()).unwrap_or(units.len());
    let end = units.iter().rposition(|u| !u.c.is_whitespace()).map_or(start, |e| e + 1);
    &units[start..end.max(start)]
}

/// The first unescaped `pattern` at or after `from`.
pub(super) fn find(units: &[Unit], from: usize, pattern: &str) -> Option<usize> {
    let pattern: Vec<char> = pattern.chars().collect();
    (from..units.len()).find(|&i| {
        units[i..].len() >= pattern.len() && pattern.iter().zip(&units[i..]).all(|(c, u)| u.is(*c))
    })
}

/// An answer without its feedback (`#…`).
pub(super) fn before_feedback(units: &[Unit]) -> &[Unit] {
    &units[..units.iter().position(|u| u.is('#')).unwrap_or(units.len())]
}

pub(super) fn strip_format_units(units: &[Unit]) -> (Option<&'static str>, &[Unit]) {
    for format in FORMATS {
        let n = format.chars().count();
        if units.len() >= n && format.chars().zip(units).all(|(c, u)| u.is(c)) {
            return (Some(format), &units[n..]);
        }
    }
    (None, units)
}

pub(super) fn strip_format(text: &str) -> (Option<&'static str>, &str) {
    FORMATS.into_iter().find_map(|f| text.strip_prefix(f).map(|rest| (Some(f), rest))).unwrap_or((None, text))
}

/// An answer or feedback: its own format prefix, else the question's.
pub(super) fn field(text: &str, html: bool) -> String {
    let (format, rest) = strip_format(text.trim());
    clean(rest, format.map_or(html, |f| f == "[html]"))
}

pub(super) fn clean(text: &str, html: bool) -> String {
    if html {
        crate::bank::formats::moodle_xml::html_to_text(text)
    } else {
        text.trim().to_string()
    }
}
