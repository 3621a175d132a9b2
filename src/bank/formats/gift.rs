//! Moodle GIFT (<https://docs.moodle.org/en/GIFT_format>).
//!
//! Questions are separated by blank lines; `//` lines are comments;
//! `$CATEGORY: $course$/top/资费/5G` sets the category (`资费/5G`) of the
//! questions after it; `::title::` and `[html]` / `[markdown]` / `[plain]` /
//! `[moodle]` prefixes are dropped (HTML is reduced to text); `\~ \= \# \{ \}
//! \: \\ \*` and `\n` (a line break) are escapes.
//!
//! | GIFT                                     | examhall                                 |
//! |------------------------------------------|------------------------------------------|
//! | `{=right ~wrong}`                        | 单选                                     |
//! | `{~%50%a ~%50%b ~%-100%c}`               | 多选 (options with positive weight)      |
//! | `{T}` `{TRUE}` `{F}` `{FALSE}`           | 判断                                     |
//! | `{=a =b}`                                | 填空, one blank accepting `a` or `b`     |
//! | `text {…} text` (missing word)           | `（  ）` in the stem where `{…}` was     |
//! | `{}`                                     | 简答 (empty reference answer)            |
//! | `####…` inside the braces                | 解析                                     |
//! | matching, numerical, description (no `{…}`) | `skipped`                             |
//!
//! Partial credit ([`credit`]; Moodle XML follows the same policy). examhall
//! keeps what it can grade exactly and says, on the question's line, what it
//! did not keep — never silently:
//!
//! * Short answer (`{=%100%携号转网 =%50%携转}`): the full-credit answers are
//!   the accepted ones; each partial-credit answer is named in a warning (it
//!   will earn 0). Answers at 0% or below earn nothing in Moodle either and
//!   are left out without a word. No full-credit answer: an error.
//! * A `*` wildcard in a full-credit answer cannot be graded exactly: the
//!   question is skipped with that reason. `\*` is a literal asterisk.
//! * Choice with `=` (Moodle's single answer): the `=` option is the answer;
//!   options with partial credit (`~%50%…`) are named in a warning (they now
//!   count as wrong). Several `=` options (any one earns full marks in
//!   Moodle) import as 多选 with a warning that all must now be chosen.
//! * Choice with only `~` weights (Moodle's multiple answers): 多选 whose
//!   correct options are those with positive weight. examhall grades a 多选
//!   by its own rule (all correct = full, any wrong = 0, a correct subset in
//!   proportion); Moodle's weights give the same marks only when the correct
//!   options share 100% equally and each wrong one costs 100% — as Moodle and
//!   examhall write them. Any other weights import with a warning naming
//!   them. One option with partial credit and no other: skipped.
//!
//! Per-answer feedback (`#…`) is ignored; `// [tag:x]` comments (Moodle's
//! own export) become knowledge points. [`looks_like_gift`] tells GIFT from
//! other text for the import's format detection.
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
//! * In fill-in answers `->` is written `-\>` (otherwise it reads as matching)
//!   and `*` is written `\*` (otherwise it is a wildcard).
//!
//! Leading and trailing spaces of a field are not kept, as in every format.

pub(super) mod credit;
mod detect;
mod lex;
mod read;
mod write;

use std::sync::LazyLock;

use regex::Regex;

pub use detect::looks_like_gift;
pub use write::write;

use super::{LineError, Parsed};
use crate::bank::question::{parse_difficulty, parse_points, Answer, Channel, Question};
use crate::web::msg;
use lex::lex;
use read::{read_question, Problem};

/// What a missing word leaves in the stem.
const BLANK: &str = "（  ）";
const META_PREFIX: &str = "examhall:";
const META_KEYS: [&str; 6] = ["points", "difficulty", "channel", "knowledge", "source", "reference"];
const FORMATS: [&str; 4] = ["[html]", "[markdown]", "[plain]", "[moodle]"];
/// The separators of `split_list`.
const LIST_SEPARATORS: [char; 6] = ['、', ',', '，', ';', '；', '|'];
/// Characters written with a backslash (besides `\n`; `\*` only in fill-in answers).
const ESCAPED: [char; 8] = ['\\', '~', '=', '#', '{', '}', ':', '>'];
/// Moodle writes 1/3 as 33.33333; `%33.3%` ×3 is still full marks.
const WEIGHT_TOLERANCE: f64 = 0.5;

static WEIGHT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^%(-?\d+(?:\.\d+)?)%").unwrap_or_else(|_| unreachable!()));
static MOODLE_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[tag:([^\]]*)\]").unwrap_or_else(|_| unreachable!()));

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
    let end = lines[lines.len() - 1].0;
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
    let before = out.items.len();
    out.push_checked(start, question);
    // What was not kept is said only of a question that is kept.
    if out.items.len() > before {
        out.items[before].end = end;
        out.warnings.extend(body.warnings.into_iter().map(|w| LineError::new(start, w)));
    }
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

#[cfg(test)]
mod tests;
