//! One question: its text, its `{…}` groups, and what they make.

use super::credit::{accepted, choice, Refusal, Weighted};
use super::lex::{before_feedback, clean, field, find, string, strip_format_units, trim, Unit};
use super::{BLANK, WEIGHT};
use crate::bank::question::{Answer, Kind};
use crate::web::msg;

pub(super) enum Problem {
    /// A malformed question, at the line of the trouble.
    Error(usize, String),
    /// A question examhall cannot represent (reported at the question's first line).
    Skip(String),
}

impl Problem {
    /// A group's refusal, an error placed on the group's line.
    fn at(refusal: Refusal, line: usize) -> Problem {
        match refusal {
            Refusal::Error(message) => Problem::Error(line, message),
            Refusal::Skip(message) => Problem::Skip(message),
        }
    }
}

pub(super) struct Body {
    pub kind: Kind,
    pub stem: String,
    pub options: Vec<String>,
    pub answer: Answer,
    pub explanation: String,
    /// What was not kept (partial credit), said on the question's line.
    pub warnings: Vec<String>,
}

/// What one `{…}` holds.
enum Group {
    Essay,
    Numerical,
    Matching,
    TrueFalse(bool),
    /// The answers, and whether one is marked `=` (Moodle's single answer).
    Choice(Vec<Weighted>, bool),
    Short(Vec<Weighted>),
}

pub(super) fn read_question(units: &[Unit]) -> Result<Body, Problem> {
    let mut u = trim(units);
    if u.len() >= 2 && u[0].is(':') && u[1].is(':') {
        // `::title::`; without the closing `::` Moodle drops the opening one.
        u = match find(u, 2, "::") {
            Some(end) => trim(&u[end + 2..]),
            None => trim(&u[2..]),
        };
    }
    let (format, rest) = strip_format_units(u);
    let html = format == Some("[html]");
    let u = trim(rest);

    let mut blocks = Vec::new();
    let mut open = None;
    for (i, x) in u.iter().enumerate() {
        if x.is('{') {
            if open.is_some() {
                return Err(Problem::Error(x.line, msg::GIFT_STRAY_BRACE.to_string()));
            }
            open = Some(i);
        } else if x.is('}') {
            match open.take() {
                Some(o) => blocks.push((o, i)),
                None => return Err(Problem::Error(x.line, msg::GIFT_STRAY_BRACE.to_string())),
            }
        }
    }
    if let Some(o) = open {
        return Err(Problem::Error(u[o].line, msg::GIFT_UNCLOSED_BRACE.to_string()));
    }
    if blocks.is_empty() {
        return Err(Problem::Skip(msg::GIFT_DESCRIPTION_SKIPPED.to_string()));
    }

    let mut groups = Vec::new();
    let mut explanation = Vec::new();
    for &(o, c) in &blocks {
        let (group, feedback) = read_group(&u[o + 1..c], html).map_err(|m| Problem::Error(u[o].line, m))?;
        groups.push((u[o].line, group));
        if !feedback.is_empty() {
            explanation.push(feedback);
        }
    }

    // Groups with only spaces (and further groups) after them are answers
    // after the text; any other group is a missing word.
    let mut trailing = vec![false; blocks.len()];
    let mut still = true;
    for k in (0..blocks.len()).rev() {
        let gap_end = blocks.get(k + 1).map_or(u.len(), |b| b.0);
        still = still && u[blocks[k].1 + 1..gap_end].iter().all(|x| x.c.is_whitespace());
        trailing[k] = still;
    }
    let mut stem = String::new();
    let mut pos = 0;
    for (k, &(o, c)) in blocks.iter().enumerate() {
        stem.push_str(&string(&u[pos..o]));
        if !trailing[k] {
            stem.push_str(BLANK);
        }
        pos = c + 1;
    }
    stem.push_str(&string(&u[pos..]));

    let mut warnings = Vec::new();
    let (kind, options, answer) = if groups.len() > 1 {
        let mut blanks = Vec::new();
        for (line, group) in groups {
            match group {
                Group::Short(answers) => {
                    blanks.push(accepted(answers, &mut warnings).map_err(|p| Problem::at(p, line))?)
                }
                _ => return Err(Problem::Error(line, msg::GIFT_MANY_GROUPS.to_string())),
            }
        }
        (Kind::Blanks, Vec::new(), Answer::Blanks(blanks))
    } else {
        let Some((line, group)) = groups.pop() else { unreachable!("blocks is not empty") };
        match group {
            Group::Essay => (Kind::Essay, Vec::new(), Answer::Reference(String::new())),
            Group::Numerical => return Err(Problem::Skip(msg::xml_type_skipped("数值"))),
            Group::Matching => return Err(Problem::Skip(msg::xml_type_skipped("配对"))),
            Group::TrueFalse(value) => (Kind::TrueFalse, Vec::new(), Answer::TrueFalse(value)),
            Group::Choice(answers, single) => {
                let (kind, correct) =
                    choice(&answers, single, &mut warnings).map_err(|p| Problem::at(p, line))?;
                (kind, answers.into_iter().map(|a| a.text).collect(), Answer::Choices(correct))
            }
            Group::Short(answers) => (
                Kind::Blanks,
                Vec::new(),
                Answer::Blanks(vec![accepted(answers, &mut warnings).map_err(|p| Problem::at(p, line))?]),
            ),
        }
    };
    let explanation = explanation.join("\n");
    Ok(Body { kind, stem: clean(&stem, html), options, answer, explanation, warnings })
}

/// The inside of `{…}`, and its general feedback (`####…`).
fn read_group(inner: &[Unit], html: bool) -> Result<(Group, String), String> {
    let (body, feedback) = match find(inner, 0, "####") {
        Some(p) => (&inner[..p], field(&string(&inner[p + 4..]), html)),
        None => (inner, String::new()),
    };
    let body = trim(body);
    if body.is_empty() {
        return Ok((Group::Essay, feedback));
    }
    if body[0].is('#') {
        return Ok((Group::Numerical, feedback));
    }
    let starts: Vec<usize> =
        body.iter().enumerate().filter(|(_, u)| u.is('=') || u.is('~')).map(|(i, _)| i).collect();
    match starts.first() {
        None => {
            let word = string(before_feedback(body)).trim().to_uppercase();
            return match word.as_str() {
                "T" | "TRUE" => Ok((Group::TrueFalse(true), feedback)),
                "F" | "FALSE" => Ok((Group::TrueFalse(false), feedback)),
                _ => Err(msg::text_bad_answer(&string(body))),
            };
        }
        Some(&first) if first > 0 => return Err(msg::text_bad_answer(&string(body))),
        Some(_) => {}
    }
    let mut answers = Vec::new();
    let (mut choice, mut arrow, mut single) = (false, false, false);
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(body.len());
        let part = before_feedback(&body[s + 1..end]);
        let right = body[s].c == '=';
        choice |= !right;
        single |= right;
        arrow |= part.windows(2).any(|w| w[0].is('-') && w[1].is('>'));
        let text = string(part);
        let text = text.trim_start();
        let (weight, text) = match WEIGHT.captures(text) {
            Some(caps) => (caps[1].parse().ok(), &text[caps.get(0).map_or(0, |m| m.end())..]),
            None => (None, text),
        };
        answers.push(Weighted {
            weight: weight.unwrap_or(if right { 100.0 } else { 0.0 }),
            text: field(text, html),
            wildcard: part.iter().any(|u| u.is('*')),
        });
    }
    let group = if choice {
        Group::Choice(answers, single)
    } else if arrow {
        Group::Matching
    } else {
        Group::Short(answers)
    };
    Ok((group, feedback))
}
