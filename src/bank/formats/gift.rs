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
mod tests {
    use super::*;

    fn question(kind: Kind, stem: &str, options: &[&str], answer: Answer) -> Question {
        Question {
            kind,
            stem: stem.into(),
            options: options.iter().map(|o| o.to_string()).collect(),
            answer,
            explanation: String::new(),
            points: kind.default_points(),
            difficulty: 3,
            channel: Channel::General,
            category: String::new(),
            knowledge_points: vec![],
            source: String::new(),
        }
    }

    fn lines(list: &[LineError]) -> Vec<(usize, &str)> {
        list.iter().map(|e| (e.line, e.message.as_str())).collect()
    }

    const SAMPLE: &str = "\
// 2026年11月 营业厅月考
// question: 1  name: q1

$CATEGORY: $course$/top/资费与套餐/5G套餐

::q1::客户办理5G套餐变更，新套餐一般从什么时候开始生效？{
  =次月1日生效#对
  ~立即生效#不对
  ~次日生效
  ####套餐变更一般次月生效。
}

::q2:: 以下哪些证件可用于
个人客户实名登记？ {
  ~%50%居民身份证
  ~%50%临时居民身份证
  ~%-100%学生证
}

客户未结清欠费也可以办理携号转网。{F}

5G 消息需要开通\\: 是否收费\\? {TRUE#答错了#答对了####免费。}

携号转网前须先查询 {=授权码 =携转授权码 =%50%验证码} 。

携号转网前须先查询什么？{=授权码 =携转授权码}

$CATEGORY: $course$/服务规范
// [id:x7] [tag:首问负责] [tag: 服务 ]
请简述首问负责制的要求。{}

客户的副卡{~立即 =次月} 生效。

[html]<p>携号转网前应先获取<b>什么</b>？</p>{=<p>授权码&amp;短信</p> ~验证码}

转义\\{\\}\\=\\~\\#\\\\ 正常{T}
";

    #[test]
    fn reads_every_supported_type() {
        let p = parse(SAMPLE);
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.skipped, vec![]);
        let got: Vec<(usize, Kind)> = p.items.iter().map(|i| (i.line, i.question.kind)).collect();
        assert_eq!(
            got,
            vec![
                (6, Kind::Single),
                (13, Kind::Multiple),
                (20, Kind::TrueFalse),
                (22, Kind::TrueFalse),
                (24, Kind::Blanks),
                (26, Kind::Blanks),
                (30, Kind::Essay),
                (32, Kind::Single),
                (34, Kind::Single),
                (36, Kind::TrueFalse),
            ]
        );
        let q: Vec<&Question> = p.items.iter().map(|i| &i.question).collect();
        assert_eq!(q[0].stem, "客户办理5G套餐变更，新套餐一般从什么时候开始生效？");
        assert_eq!(q[0].options, vec!["次月1日生效", "立即生效", "次日生效"]);
        assert_eq!(q[0].answer, Answer::Choices(vec![0]));
        assert_eq!(q[0].explanation, "套餐变更一般次月生效。");
        assert_eq!(q[0].category, "资费与套餐/5G套餐");
        assert_eq!((q[0].points, q[0].difficulty, q[0].channel), (100, 3, Channel::General));
        assert_eq!(q[1].stem, "以下哪些证件可用于\n个人客户实名登记？");
        assert_eq!(q[1].answer, Answer::Choices(vec![0, 1]));
        assert_eq!(q[1].points, 200);
        assert_eq!(q[2].answer, Answer::TrueFalse(false));
        assert_eq!(q[3].stem, "5G 消息需要开通: 是否收费\\?");
        assert_eq!((&q[3].answer, q[3].explanation.as_str()), (&Answer::TrueFalse(true), "免费。"));
        assert_eq!(q[4].stem, "携号转网前须先查询 （  ） 。");
        assert_eq!(q[4].answer, Answer::Blanks(vec![vec!["授权码".into(), "携转授权码".into()]]));
        assert_eq!(q[5].stem, "携号转网前须先查询什么？");
        assert_eq!(q[5].answer, q[4].answer);
        assert_eq!(q[6].category, "服务规范");
        assert_eq!(q[6].answer, Answer::Reference(String::new()));
        assert_eq!(q[6].knowledge_points, vec!["首问负责", "服务"]);
        assert_eq!(q[6].points, 500);
        assert_eq!(q[7].stem, "客户的副卡（  ） 生效。");
        assert_eq!(q[7].answer, Answer::Choices(vec![1]));
        assert_eq!(q[8].stem, "携号转网前应先获取什么？");
        assert_eq!(q[8].options, vec!["授权码&短信", "验证码"]);
        assert_eq!(q[9].stem, "转义{}=~#\\ 正常");
    }

    #[test]
    fn what_examhall_cannot_hold_is_skipped_with_its_line() {
        let text = "\
配对：{
  =北京 -> 京
  =上海 -> 沪
}

圆周率是？{#3.14:0.01}

只是一段说明文字，没有答案。

::partial:: 部分得分{=对 ~%50%半对 ~错}

部分多选{~%50%甲 ~%30%乙 ~丙}

这道正常。{T}
";
        let p = parse(text);
        assert_eq!(p.errors, vec![]);
        assert_eq!(
            lines(&p.skipped),
            vec![
                (1, "题型「配对」无法导入，已跳过"),
                (6, "题型「数值」无法导入，已跳过"),
                (8, msg::GIFT_DESCRIPTION_SKIPPED),
                (10, msg::GIFT_PARTIAL_WEIGHTS_SKIPPED),
                (12, msg::GIFT_PARTIAL_WEIGHTS_SKIPPED),
            ]
        );
        assert_eq!(p.items.len(), 1);
        assert_eq!(p.items[0].line, 14);
    }

    #[test]
    fn every_mistake_is_reported_with_its_line() {
        let text = "\
没有闭合的括号 {
=甲
~乙

多余的 } 括号 {T}

没有正确答案 {~甲 ~乙}

无法识别
{甲乙}

两组答案
{=甲 ~乙} 和 {=丙}

只有一个选项 {=甲 ~%0%}

// examhall: points=1.234 channel=门店
// examhall: difficulty=9
分值等不对 {T}

// examhall: color=red
未知注释 {T}

{=空题干}

短答没有满分答案 {=%50%甲}
";
        let p = parse(text);
        assert_eq!(
            lines(&p.errors),
            vec![
                (1, msg::GIFT_UNCLOSED_BRACE),
                (5, msg::GIFT_STRAY_BRACE),
                (7, msg::XML_NO_CORRECT_ANSWER),
                (10, "无法识别的答案「甲乙」"),
                (13, msg::GIFT_MANY_GROUPS),
                (15, msg::Q_OPTION_EMPTY),
                (17, "分值「1.234」无效：分值应大于 0 且不超过 100，最多两位小数"),
                (17, "未知渠道「门店」（可填：营业厅、热线、电子渠道、通用）"),
                (18, msg::Q_DIFFICULTY_RANGE),
                (21, msg::gift_bad_meta("color=red").as_str()),
                (24, msg::Q_STEM_EMPTY),
                (26, msg::XML_NO_CORRECT_ANSWER),
            ]
        );
        assert_eq!(p.skipped, vec![]);
        assert!(p.items.is_empty(), "nothing half-right gets in: {:?}", p.items);
    }

    #[test]
    fn examhall_comments_carry_what_gift_has_no_place_for() {
        let text = "\
// examhall: points=1.5 difficulty=2 channel=hall knowledge=套餐变更、生效规则 source=2026年 月考
套餐变更何时生效？{=次月 ~立即}

// examhall: channel=热线 reference=第一位接待客户的员工\\n负责到底 points\\=3
请简述首问负责制。{}
";
        let p = parse(text);
        assert_eq!(p.errors, vec![]);
        let q = &p.items[0].question;
        assert_eq!((q.points, q.difficulty, q.channel), (150, 2, Channel::Hall));
        assert_eq!(q.knowledge_points, vec!["套餐变更", "生效规则"]);
        assert_eq!(q.source, "2026年 月考");
        let q = &p.items[1].question;
        assert_eq!(q.channel, Channel::Hotline);
        assert_eq!(q.answer, Answer::Reference("第一位接待客户的员工\n负责到底 points=3".into()));
    }

    #[test]
    fn categories_keep_their_meaningful_part() {
        for (path, want) in [
            (" $course$/top/资费/5G ", "资费/5G"),
            ("$course$/资费", "资费"),
            ("$system$/top", ""),
            ("top/top/x", "top/x"),
            ("资费//5G", "资费/5G"),
        ] {
            assert_eq!(clean_category(path), want, "{path}");
        }
    }

    #[test]
    fn writes_plain_gift() {
        let mut q =
            question(Kind::Single, "套餐变更: 何时生效？", &["立即", "次月"], Answer::Choices(vec![1]));
        q.category = "资费/5G".into();
        q.explanation = "见 #3".into();
        assert_eq!(
            write(&[q]),
            "$CATEGORY: $course$/top/资费/5G\n\n\
             // examhall: points=1 difficulty=3 channel=general\n\
             套餐变更\\: 何时生效？ {\n\t~立即\n\t=次月\n\t####见 \\#3\n}\n\n"
        );
    }

    fn tricky_bank() -> Vec<Question> {
        let tricky = "{a}=b~c#d:e\\f ::g:: %50% -> // [html]";
        let mut single = question(
            Kind::Single,
            "单选 {=x ~y}: 1:1 #1 \\n 不是换行\n这是换行",
            &["%50%像权重", "[html]像格式", "a = b ~ c", "//注释?"],
            Answer::Choices(vec![2]),
        );
        single.explanation = format!("解析 {tricky}\n第二行 ####");
        single.points = 150;
        single.difficulty = 2;
        single.channel = Channel::Hall;
        single.category = "资费与套餐/5G套餐".into();
        single.knowledge_points = vec!["套餐变更".into(), "a、b,c=d\\e".into()];
        single.source = "2026年 月考 points=2 \\n".into();
        let mut multiple = question(
            Kind::Multiple,
            "//以注释开头的题干",
            &["甲{", "乙}", "丙~", "丁="],
            Answer::Choices(vec![0, 1, 3]),
        );
        multiple.channel = Channel::Online;
        let all = question(Kind::Multiple, "全选", &["甲", "乙"], Answer::Choices(vec![0, 1]));
        let mut tf = question(Kind::TrueFalse, "[markdown]欠费可以携转#", &[], Answer::TrueFalse(false));
        tf.explanation = "[plain]不可以 {F}".into();
        let tf2 = question(Kind::TrueFalse, "TRUE", &[], Answer::TrueFalse(true));
        let mut one_blank = question(
            Kind::Blanks,
            "查询（  ）= 授权码",
            &[],
            Answer::Blanks(vec![vec!["授权码".into(), "A->B".into(), "%100%".into(), tricky.into()]]),
        );
        one_blank.category = "携号转网".into();
        let mut blanks = question(
            Kind::Blanks,
            "携号转网须先查询（  ），再到（  ）办理：{x}",
            &[],
            Answer::Blanks(vec![vec!["授权码".into(), "携转 授权码".into()], vec!["营业厅#1".into()]]),
        );
        blanks.explanation = "两空".into();
        let unmarked = question(
            Kind::Blanks,
            "无标记的两空",
            &[],
            Answer::Blanks(vec![vec!["a".into()], vec!["b".into()]]),
        );
        let mut essay = question(Kind::Essay, "简述首问负责制。", &[], Answer::Reference(tricky.into()));
        essay.explanation = "要点：负责到底".into();
        essay.category = String::new();
        let empty_essay = question(Kind::Essay, "无参考答案 }", &[], Answer::Reference(String::new()));
        vec![single, multiple, all, tf, tf2, one_blank, blanks, unmarked, essay, empty_essay]
    }

    #[test]
    fn written_gift_reads_back_the_same() {
        let bank = tricky_bank();
        for q in &bank {
            assert_eq!(crate::bank::question::validate(q), Vec::<String>::new(), "{q:?}");
        }
        let written = write(&bank);
        let p = parse(&written);
        assert_eq!(p.errors, vec![], "{written}");
        assert_eq!(p.skipped, vec![], "{written}");
        let got: Vec<Question> = p.items.into_iter().map(|i| i.question).collect();
        for (a, b) in bank.iter().zip(&got) {
            assert_eq!(a, b, "{written}");
        }
        assert_eq!(got.len(), bank.len());
    }

    mod props {
        use proptest::prelude::*;

        use super::*;

        const PIECES: &[&str] = &[
            "套餐",
            "5G",
            " ",
            "{",
            "}",
            "=",
            "~",
            "#",
            "####",
            ":",
            "::",
            "\\",
            "\\n",
            "\n",
            "//",
            "->",
            "%50%",
            "[html]",
            "[plain]",
            "（  ）",
            "$CATEGORY:",
            "、",
            ",",
            "|",
            "\t",
            "T",
            "<b>",
            "&amp;",
            "@",
        ];

        fn piece_text(max: usize) -> impl Strategy<Value = String> {
            prop::collection::vec(prop::sample::select(PIECES), 1..=max)
                .prop_map(|p| p.concat().trim().to_string())
        }

        fn question() -> impl Strategy<Value = Question> {
            (
                prop::sample::select(Kind::ALL.to_vec()),
                piece_text(8),
                prop::collection::vec(piece_text(3), 2..=5),
                prop::collection::btree_set(0..5usize, 1..=5),
                prop::collection::vec(prop::collection::vec(piece_text(3), 1..=3), 1..=3),
                (piece_text(4), any::<bool>(), 1i64..=10_000, 1u8..=5),
                (prop::sample::select(Channel::ALL.to_vec()), prop::collection::vec(piece_text(2), 0..=3)),
                (piece_text(3), piece_text(3), prop::collection::vec("[a-z$]{1,4}", 0..=3)),
            )
                .prop_filter_map(
                    "a valid question",
                    |(
                        kind,
                        stem,
                        options,
                        picks,
                        groups,
                        (explanation, tf, points, difficulty),
                        (channel, kps),
                        (source, reference, category),
                    )| {
                        let picks: Vec<usize> = picks.into_iter().filter(|p| *p < options.len()).collect();
                        let (options, answer) = match kind {
                            Kind::Single => (options, Answer::Choices(picks.into_iter().take(1).collect())),
                            Kind::Multiple => (options, Answer::Choices(picks)),
                            Kind::TrueFalse => (vec![], Answer::TrueFalse(tf)),
                            Kind::Blanks => (vec![], Answer::Blanks(groups)),
                            Kind::Essay => (vec![], Answer::Reference(reference)),
                        };
                        let q = Question {
                            kind,
                            stem,
                            options,
                            answer,
                            explanation,
                            points,
                            difficulty,
                            channel,
                            category: category.join("/"),
                            knowledge_points: kps.into_iter().filter(|k| !k.is_empty()).collect(),
                            source,
                        };
                        crate::bank::question::validate(&q).is_empty().then_some(q)
                    },
                )
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

            #[test]
            fn any_valid_bank_survives_export_and_import(bank in prop::collection::vec(question(), 1..6)) {
                let written = write(&bank);
                let p = parse(&written);
                prop_assert_eq!(&p.errors, &vec![], "{}", written);
                prop_assert_eq!(&p.skipped, &vec![], "{}", written);
                let got: Vec<Question> = p.items.into_iter().map(|i| i.question).collect();
                prop_assert_eq!(got, bank, "{}", written);
            }

            #[test]
            fn gift_noise_never_panics(lines in prop::collection::vec(prop::collection::vec(prop::sample::select(vec![
                "::t::", "::", "{", "}", "=a", "~b", "~%50%c", "%", "#", "####", "\\", "\\n", "->", "T", "{}", "{#1}",
                "$CATEGORY:", "$CATEGORY: $course$/top/x", "// examhall:", "// examhall: points=", "reference=\\", "[html]",
                "<p>", "&amp;", "（  ）", "// [tag:", "]", " ", "",
            ]), 0..6).prop_map(|p| p.concat()), 0..30)) {
                let p = parse(&lines.join("\n"));
                for item in &p.items {
                    prop_assert_eq!(crate::bank::question::validate(&item.question), Vec::<String>::new());
                }
            }
        }
    }
}
