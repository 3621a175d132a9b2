//! Moodle GIFT (<https://docs.moodle.org/en/GIFT_format>).
//!
//! Questions are separated by blank lines; `//` lines are comments;
//! `$CATEGORY: $course$/top/资费/5G` sets the category (`资费/5G`) of the
//! questions after it; `::title::` and `[html]` / `[markdown]` / `[plain]` /
//! `[moodle]` prefixes are dropped (HTML is reduced to text); `\~ \= \# \{ \}
//! \: \\` and `\n` (a line break) are escapes.
//!
//! | GIFT                                     | examhall                                 |
//! |------------------------------------------|------------------------------------------|
//! | `{=right ~wrong}`                        | 单选                                     |
//! | `{~%50%a ~%50%b ~%-100%c}`, `{=a =b ~c}` | 多选 (options with positive weight)      |
//! | `{T}` `{TRUE}` `{F}` `{FALSE}`           | 判断                                     |
//! | `{=a =b}`                                | 填空, one blank accepting `a` or `b`     |
//! | `text {…} text` (missing word)           | `（  ）` in the stem where `{…}` was     |
//! | `{}`                                     | 简答 (empty reference answer)            |
//! | `####…` inside the braces                | 解析                                     |
//! | matching, numerical, description (no `{…}`), partial-credit weights | `skipped` |
//!
//! Per-answer feedback (`#…`) is ignored; `// [tag:x]` comments (Moodle's
//! own export) become knowledge points.
//!
//! examhall conventions, so that export → import is lossless (Moodle ignores
//! comments, and reads the rest as ordinary GIFT):
//!
//! * `// examhall: points=1.5 difficulty=2 channel=hall` before a question
//!   (points as in 【分值】, channel by code or label), and
//!   `// examhall: knowledge=a、b`, `source=…`, `reference=…` (the essay's
//!   reference answer). Several keys may share a line; in values `\=` `\\`
//!   `\n` are escapes, and in `knowledge` `\、` keeps a separator in a point.
//! * A fill-in question with several blanks is written as its stem (with its
//!   `（  ）` marks) followed by one `{=…}` group per blank. Groups at the end
//!   of the text add no mark; a group inside the text is a missing word and
//!   leaves `（  ）`. Moodle itself reads only the first group.
//! * In fill-in answers `->` is written `-\>` (otherwise it reads as matching).
//!
//! Leading and trailing spaces of a field are not kept, as in every format.

use std::sync::LazyLock;

use regex::Regex;

use super::{LineError, Parsed};
use crate::bank::question::{format_points, parse_difficulty, parse_points, Answer, Channel, Kind, Question};
use crate::web::msg;

/// What a missing word leaves in the stem.
const BLANK: &str = "（  ）";
const META_PREFIX: &str = "examhall:";
const META_KEYS: [&str; 6] = ["points", "difficulty", "channel", "knowledge", "source", "reference"];
const FORMATS: [&str; 4] = ["[html]", "[markdown]", "[plain]", "[moodle]"];
/// The separators of `split_list`.
const LIST_SEPARATORS: [char; 6] = ['、', ',', '，', ';', '；', '|'];
/// Characters written with a backslash (besides `\n`).
const ESCAPED: [char; 8] = ['\\', '~', '=', '#', '{', '}', ':', '>'];
/// Moodle writes 1/3 as 33.33333; `%33.3%` ×3 is still full marks.
const WEIGHT_TOLERANCE: f64 = 0.5;

static WEIGHT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^%(-?\d+(?:\.\d+)?)%").unwrap_or_else(|_| unreachable!()));
static MOODLE_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[tag:([^\]]*)\]").unwrap_or_else(|_| unreachable!()));

/// One character of a question, after escapes: an escaped one is never syntax.
#[derive(Debug, Clone, Copy)]
struct Unit {
    c: char,
    escaped: bool,
    line: usize,
}

impl Unit {
    fn is(&self, c: char) -> bool {
        !self.escaped && self.c == c
    }
}

/// What the comments of a question say.
#[derive(Debug, Default)]
struct Meta {
    points: Option<i64>,
    difficulty: Option<u8>,
    channel: Option<Channel>,
    knowledge: Option<Vec<String>>,
    source: Option<String>,
    reference: Option<String>,
    tags: Vec<String>,
    broken: bool,
}

pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut category = String::new();
    let mut meta = Meta::default();
    let mut block: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            finish(&mut block, &mut meta, &category, &mut out);
        } else if let Some(comment) = line.strip_prefix("//") {
            match comment.trim().strip_prefix(META_PREFIX) {
                Some(fields) => read_meta(fields, line_no, &mut meta, &mut out),
                None => meta.tags.extend(
                    MOODLE_TAG
                        .captures_iter(comment)
                        .map(|c| c[1].trim().to_string())
                        .filter(|t| !t.is_empty()),
                ),
            }
        } else if let Some(path) = line.strip_prefix("$CATEGORY:") {
            finish(&mut block, &mut meta, &category, &mut out);
            category = clean_category(path);
        } else {
            block.push((line_no, line.to_string()));
        }
    }
    finish(&mut block, &mut meta, &category, &mut out);
    out.errors.sort_by_key(|e| e.line);
    out
}

/// Turns the lines of one question into a question, an error or a skip. The
/// comments before a question belong to it, even across a blank line.
fn finish(block: &mut Vec<(usize, String)>, meta: &mut Meta, category: &str, out: &mut Parsed) {
    if block.is_empty() {
        return;
    }
    let lines = std::mem::take(block);
    let meta = std::mem::take(meta);
    let start = lines[0].0;
    let body = match read_question(&lex(&lines)) {
        Ok(body) => body,
        Err(Problem::Error(line, message)) => {
            out.errors.push(LineError::new(line, message));
            return;
        }
        Err(Problem::Skip(message)) => {
            out.skipped.push(LineError::new(start, message));
            return;
        }
    };
    if meta.broken {
        return;
    }
    let answer = match body.answer {
        Answer::Reference(_) => Answer::Reference(meta.reference.unwrap_or_default()),
        other => other,
    };
    let question = Question {
        kind: body.kind,
        stem: body.stem,
        options: body.options,
        answer,
        explanation: body.explanation,
        points: meta.points.unwrap_or(body.kind.default_points()),
        difficulty: meta.difficulty.unwrap_or(3),
        channel: meta.channel.unwrap_or(Channel::General),
        category: category.to_string(),
        knowledge_points: meta.knowledge.unwrap_or(meta.tags),
        source: meta.source.unwrap_or_default(),
    };
    out.push_checked(start, question);
}

/// The lines of a question as one text (lines joined by a line break), escapes resolved.
fn lex(lines: &[(usize, String)]) -> Vec<Unit> {
    let mut units = Vec::new();
    for (k, (line, text)) in lines.iter().enumerate() {
        if k > 0 {
            units.push(Unit { c: '\n', escaped: false, line: lines[k - 1].0 });
        }
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let unit = match (c, chars.peek().copied()) {
                ('\\', Some('n')) => Unit { c: '\n', escaped: true, line: *line },
                ('\\', Some(next)) if ESCAPED.contains(&next) => Unit { c: next, escaped: true, line: *line },
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

enum Problem {
    /// A malformed question, at the line of the trouble.
    Error(usize, String),
    /// A question examhall cannot represent (reported at the question's first line).
    Skip(String),
}

struct Body {
    kind: Kind,
    stem: String,
    options: Vec<String>,
    answer: Answer,
    explanation: String,
}

/// What one `{…}` holds.
enum Group {
    Essay,
    Numerical,
    Matching,
    TrueFalse(bool),
    /// Weight (percent) and text of each answer.
    Choice(Vec<(f64, String)>),
    Short(Vec<(f64, String)>),
}

fn read_question(units: &[Unit]) -> Result<Body, Problem> {
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

    let (kind, options, answer) = if groups.len() > 1 {
        let mut blanks = Vec::new();
        for (line, group) in groups {
            match group {
                Group::Short(answers) => blanks.push(accepted(answers, line)?),
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
            Group::Choice(answers) => choice(answers, line)?,
            Group::Short(answers) => {
                (Kind::Blanks, Vec::new(), Answer::Blanks(vec![accepted(answers, line)?]))
            }
        }
    };
    Ok(Body { kind, stem: clean(&stem, html), options, answer, explanation: explanation.join("\n") })
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
    let (mut choice, mut arrow) = (false, false);
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(body.len());
        let part = before_feedback(&body[s + 1..end]);
        let correct = body[s].c == '=';
        choice |= !correct;
        arrow |= part.windows(2).any(|w| w[0].is('-') && w[1].is('>'));
        let text = string(part);
        let text = text.trim_start();
        let (weight, text) = match WEIGHT.captures(text) {
            Some(caps) => (caps[1].parse().ok(), &text[caps.get(0).map_or(0, |m| m.end())..]),
            None => (None, text),
        };
        answers.push((weight.unwrap_or(if correct { 100.0 } else { 0.0 }), field(text, html)));
    }
    let group = if choice {
        Group::Choice(answers)
    } else if arrow {
        Group::Matching
    } else {
        Group::Short(answers)
    };
    Ok((group, feedback))
}

/// Single when one answer has full marks; multiple when two or more have
/// credit that adds up to full marks (or each has full marks).
fn choice(answers: Vec<(f64, String)>, line: usize) -> Result<(Kind, Vec<String>, Answer), Problem> {
    let correct: Vec<usize> = (0..answers.len()).filter(|&i| answers[i].0 > 0.0).collect();
    if correct.is_empty() {
        return Err(Problem::Error(line, msg::XML_NO_CORRECT_ANSWER.to_string()));
    }
    let sum: f64 = correct.iter().map(|&i| answers[i].0).sum();
    let kind = if correct.len() == 1 && full(sum) {
        Kind::Single
    } else if correct.len() > 1 && (full(sum) || correct.iter().all(|&i| full(answers[i].0))) {
        Kind::Multiple
    } else {
        return Err(Problem::Skip(msg::GIFT_PARTIAL_WEIGHTS_SKIPPED.to_string()));
    };
    Ok((kind, answers.into_iter().map(|(_, t)| t).collect(), Answer::Choices(correct)))
}

/// The answers of a blank that earn full marks.
fn accepted(answers: Vec<(f64, String)>, line: usize) -> Result<Vec<String>, Problem> {
    let ok: Vec<String> = answers.into_iter().filter(|(w, _)| full(*w)).map(|(_, t)| t).collect();
    if ok.is_empty() {
        return Err(Problem::Error(line, msg::XML_NO_CORRECT_ANSWER.to_string()));
    }
    Ok(ok)
}

fn full(weight: f64) -> bool {
    (weight - 100.0).abs() <= WEIGHT_TOLERANCE
}

/// `// examhall: key=value …`: a value runs to the next ` key=` (its own `=` are written `\=`).
fn read_meta(fields: &str, line: usize, meta: &mut Meta, out: &mut Parsed) {
    let fields = fields.trim();
    if fields.is_empty() {
        return;
    }
    let mut starts: Vec<(usize, &str)> = META_KEYS
        .iter()
        .flat_map(|key| {
            let pattern = format!("{key}=");
            fields
                .match_indices(&pattern)
                .filter(|(at, _)| *at == 0 || fields[..*at].ends_with(char::is_whitespace))
                .map(|(at, _)| (at, *key))
                .collect::<Vec<_>>()
        })
        .collect();
    starts.sort_unstable();
    if starts.first().map(|s| s.0) != Some(0) {
        out.errors.push(LineError::new(line, msg::gift_bad_meta(fields)));
        meta.broken = true;
        return;
    }
    for (k, &(at, key)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(fields.len(), |s| s.0);
        let value = fields[at + key.len() + 1..end].trim();
        let problem = match key {
            "points" => {
                parse_points(value).map(|p| meta.points = Some(p)).ok_or_else(|| msg::text_bad_points(value))
            }
            "difficulty" => parse_difficulty(value)
                .map(|d| meta.difficulty = Some(d))
                .ok_or_else(|| msg::Q_DIFFICULTY_RANGE.to_string()),
            "channel" => Channel::parse_code(value)
                .or_else(|| Channel::parse_label(value))
                .map(|c| meta.channel = Some(c))
                .ok_or_else(|| msg::unknown_channel(value)),
            "knowledge" => {
                meta.knowledge.get_or_insert_with(Vec::new).extend(unescape_meta(value, true));
                Ok(())
            }
            "source" => {
                meta.source = Some(unescape_meta(value, false).concat());
                Ok(())
            }
            _ => {
                meta.reference = Some(unescape_meta(value, false).concat());
                Ok(())
            }
        };
        if let Err(message) = problem {
            out.errors.push(LineError::new(line, message));
            meta.broken = true;
        }
    }
}

/// A meta value with `\x` escapes resolved, split on unescaped list separators if `list`.
fn unescape_meta(value: &str, list: bool) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        let item = items.last_mut().unwrap_or_else(|| unreachable!());
        match c {
            '\\' => match chars.next() {
                Some('n') => item.push('\n'),
                Some(next) => item.push(next),
                None => item.push('\\'),
            },
            c if list && LIST_SEPARATORS.contains(&c) => items.push(String::new()),
            c => item.push(c),
        }
    }
    items.into_iter().map(|i| i.trim().to_string()).filter(|i| !i.is_empty()).collect()
}

/// `$course$/top/资费/5G` → `资费/5G`; `$course$/资费` → `资费`; `top` → ``.
fn clean_category(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.first().is_some_and(|p| p.len() > 1 && p.starts_with('$') && p.ends_with('$')) {
        parts.remove(0);
    }
    if parts.first() == Some(&"top") {
        parts.remove(0);
    }
    parts.join("/")
}

fn string(units: &[Unit]) -> String {
    units.iter().map(|u| u.c).collect()
}

fn trim(units: &[Unit]) -> &[Unit] {
    let start = units.iter().position(|u| !u.c.is_whitespace()).unwrap_or(units.len());
    let end = units.iter().rposition(|u| !u.c.is_whitespace()).map_or(start, |e| e + 1);
    &units[start..end.max(start)]
}

/// The first unescaped `pattern` at or after `from`.
fn find(units: &[Unit], from: usize, pattern: &str) -> Option<usize> {
    let pattern: Vec<char> = pattern.chars().collect();
    (from..units.len()).find(|&i| {
        units[i..].len() >= pattern.len() && pattern.iter().zip(&units[i..]).all(|(c, u)| u.is(*c))
    })
}

/// An answer without its feedback (`#…`).
fn before_feedback(units: &[Unit]) -> &[Unit] {
    &units[..units.iter().position(|u| u.is('#')).unwrap_or(units.len())]
}

fn strip_format_units(units: &[Unit]) -> (Option<&'static str>, &[Unit]) {
    for format in FORMATS {
        let n = format.chars().count();
        if units.len() >= n && format.chars().zip(units).all(|(c, u)| u.is(c)) {
            return (Some(format), &units[n..]);
        }
    }
    (None, units)
}

fn strip_format(text: &str) -> (Option<&'static str>, &str) {
    FORMATS.into_iter().find_map(|f| text.strip_prefix(f).map(|rest| (Some(f), rest))).unwrap_or((None, text))
}

/// An answer or feedback: its own format prefix, else the question's.
fn field(text: &str, html: bool) -> String {
    let (format, rest) = strip_format(text.trim());
    clean(rest, format.map_or(html, |f| f == "[html]"))
}

fn clean(text: &str, html: bool) -> String {
    if html {
        super::moodle_xml::html_to_text(text)
    } else {
        text.trim().to_string()
    }
}

/// Writes questions as GIFT (parse ∘ write is the identity; see the module docs).
pub fn write(questions: &[Question]) -> String {
    let mut out = String::new();
    let mut category = "";
    for q in questions {
        if q.category != category {
            out.push_str("$CATEGORY: $course$/top");
            if !q.category.is_empty() {
                out.push('/');
                out.push_str(&q.category);
            }
            out.push_str("\n\n");
            category = &q.category;
        }
        out.push_str(&format!(
            "// {META_PREFIX} points={} difficulty={} channel={}\n",
            format_points(q.points),
            q.difficulty,
            q.channel.code()
        ));
        if !q.knowledge_points.is_empty() {
            let list: Vec<String> = q.knowledge_points.iter().map(|k| escape_meta(k, true)).collect();
            out.push_str(&format!("// {META_PREFIX} knowledge={}\n", list.join("、")));
        }
        if !q.source.is_empty() {
            out.push_str(&format!("// {META_PREFIX} source={}\n", escape_meta(&q.source, false)));
        }
        if let Answer::Reference(reference) = &q.answer {
            if !reference.is_empty() {
                out.push_str(&format!("// {META_PREFIX} reference={}\n", escape_meta(reference, false)));
            }
        }
        let stem = text(&q.stem);
        if stem.starts_with("//") {
            // An empty title keeps the line from reading as a comment.
            out.push_str("::::");
        }
        out.push_str(&stem);
        let feedback = |out: &mut String| {
            if !q.explanation.is_empty() {
                out.push_str(&format!("\t####{}\n", text(&q.explanation)));
            }
        };
        match &q.answer {
            Answer::Choices(correct) => {
                out.push_str(" {\n");
                let share = weight(correct.len());
                for (i, option) in q.options.iter().enumerate() {
                    let right = correct.contains(&i);
                    let (marker, weight) = match (q.kind, right) {
                        (Kind::Multiple, true) => ('~', Some(share.as_str())),
                        (Kind::Multiple, false) => ('~', Some("-100")),
                        (_, true) => ('=', None),
                        (_, false) => ('~', None),
                    };
                    write_answer(&mut out, marker, weight, option, false);
                }
                feedback(&mut out);
                out.push_str("}\n");
            }
            Answer::TrueFalse(value) => {
                let word = if *value { "TRUE" } else { "FALSE" };
                out.push_str(&format!(" {{{word}"));
                if !q.explanation.is_empty() {
                    out.push_str(&format!("####{}", text(&q.explanation)));
                }
                out.push_str("}\n");
            }
            Answer::Blanks(groups) => {
                for (k, group) in groups.iter().enumerate() {
                    out.push_str(if k == 0 { " {\n" } else { "{\n" });
                    for alternative in group {
                        write_answer(&mut out, '=', None, alternative, true);
                    }
                    if k + 1 == groups.len() {
                        feedback(&mut out);
                    }
                    out.push_str("}\n");
                }
            }
            Answer::Reference(_) => {
                out.push_str(" {");
                if !q.explanation.is_empty() {
                    out.push_str(&format!("####{}", text(&q.explanation)));
                }
                out.push_str("}\n");
            }
        }
        out.push('\n');
    }
    out
}

/// `\t=text`, `\t~%50%text`: a weight is also written when the text itself looks like one.
fn write_answer(out: &mut String, marker: char, weight: Option<&str>, answer: &str, blank: bool) {
    let default = if marker == '=' { "100" } else { "0" };
    let weight = weight.or_else(|| WEIGHT.is_match(answer.trim_start()).then_some(default));
    let mut body = text(answer);
    if blank {
        body = body.replace("->", "-\\>");
    }
    out.push('\t');
    out.push(marker);
    if let Some(w) = weight {
        out.push_str(&format!("%{w}%"));
    }
    out.push_str(&body);
    out.push('\n');
}

/// Text with GIFT's escapes, and `[plain]` before text that starts like a format prefix.
fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    if strip_format(raw.trim_start()).0.is_some() {
        out.push_str("[plain]");
    }
    for c in raw.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            c if ESCAPED.contains(&c) && c != '>' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn escape_meta(value: &str, list: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\\' | '=' => {
                out.push('\\');
                out.push(c);
            }
            c if list && LIST_SEPARATORS.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Each correct option's share of a multiple-answer question, as Moodle writes it (33.33333).
fn weight(correct: usize) -> String {
    let share = format!("{:.5}", 100.0 / correct.max(1) as f64);
    share.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests;
