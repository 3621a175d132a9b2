//! Where a question is taught, as pure rules: reading the article a source
//! text names, resolving it against the knowledge base, and which questions
//! a material change of an article puts under review (待复核).

use std::collections::HashSet;

/// An article named in a question's source (【出处】/【知识库】, an 出处 column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// `《标题》`, optionally `#小节`.
    Title { title: String, heading: String },
    /// `/kb/27` (a link copied from the site), optionally `#小节`.
    Id { id: i32, heading: String },
}

/// The articles a source text names: every `《…》` and every `/kb/N` link,
/// each with the section after a `#` (or `＃`) that follows it directly. Other
/// text (a notice number, a date) names no article.
pub fn references(source: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut rest = source;
    loop {
        let title = rest.find('《');
        let link = rest.find("/kb/");
        let (at, is_title) = match (title, link) {
            (Some(t), Some(l)) if l < t => (l, false),
            (Some(t), _) => (t, true),
            (None, Some(l)) => (l, false),
            (None, None) => break,
        };
        if is_title {
            let after = &rest[at + '《'.len_utf8()..];
            let Some(end) = after.find('》') else { break };
            let title = after[..end].trim().to_string();
            let (heading, next) = heading_after(&after[end + '》'.len_utf8()..]);
            if !title.is_empty() {
                out.push(Reference::Title { title, heading });
            }
            rest = next;
        } else {
            let after = &rest[at + "/kb/".len()..];
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            let (heading, next) = heading_after(&after[digits.len()..]);
            if let Ok(id) = digits.parse() {
                out.push(Reference::Id { id, heading: percent_decoded(&heading) });
            }
            rest = next;
        }
    }
    out
}

/// The section named right after a reference (`#资费标准`), up to the next
/// separator, and the text after it.
fn heading_after(text: &str) -> (String, &str) {
    let Some(rest) = text.strip_prefix('#').or_else(|| text.strip_prefix('＃')) else {
        return (String::new(), text);
    };
    let end = rest.find(|c: char| c.is_whitespace() || "；;，,、》《".contains(c)).unwrap_or(rest.len());
    let heading = rest[..end].trim_start_matches("sec-").to_string();
    (heading, &rest[end..])
}

/// A section copied from the address bar arrives percent-encoded.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// An article as resolving needs it: id and current title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleTitle {
    pub id: i32,
    pub title: String,
}

/// A reference resolved: the article and the section ('' for all of it), or
/// why not (the text to show in the import preview).
pub fn resolve(r: &Reference, articles: &[ArticleTitle]) -> Result<(i32, String), String> {
    match r {
        Reference::Id { id, heading } => match articles.iter().find(|a| a.id == *id) {
            Some(a) => Ok((a.id, heading.clone())),
            None => Err(format!("/kb/{id}")),
        },
        Reference::Title { title, heading } => {
            let same = |a: &&ArticleTitle| squeeze(&a.title) == squeeze(title);
            let found: Vec<&ArticleTitle> = articles.iter().filter(same).collect();
            match found.as_slice() {
                [one] => Ok((one.id, heading.clone())),
                // Two articles with one title: the link cannot say which.
                _ => Err(format!("《{title}》")),
            }
        }
    }
}

/// The article's heading a typed section names: the one equal to it
/// (ignoring spaces and case), else the only one containing it (`办理条件`
/// names `二、办理条件`); None when no heading, or more than one, fits.
pub fn match_heading<'a>(typed: &str, headings: &'a [String]) -> Option<&'a String> {
    let t = squeeze(typed);
    if let Some(h) = headings.iter().find(|h| squeeze(h) == t) {
        return Some(h);
    }
    let containing: Vec<&String> = headings.iter().filter(|h| squeeze(h).contains(&t)).collect();
    match containing.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// Titles compared without spaces and case, as trainers type them.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// A question's link to where it is taught, as the rule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub question_id: i32,
    pub article_id: i32,
    /// Whether the question is retired (a retired question needs no review).
    pub retired: bool,
}

/// The questions a new version of `article_id` puts under review (待复核):
/// none unless the change is material (实质性修改); else every active question
/// linked to the article that is not already waiting on it, each once.
pub fn flagged_by_change(links: &[Link], article_id: i32, material: bool, open: &HashSet<i32>) -> Vec<i32> {
    if !material {
        return Vec::new();
    }
    let mut out: Vec<i32> = links
        .iter()
        .filter(|l| l.article_id == article_id && !l.retired && !open.contains(&l.question_id))
        .map(|l| l.question_id)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// How a trainer clears a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The question still matches the article.
    Kept,
    /// The question was edited to match.
    Edited,
    /// The question no longer applies.
    Retired,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Kept, Outcome::Edited, Outcome::Retired];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Kept => "kept",
            Outcome::Edited => "edited",
            Outcome::Retired => "retired",
        }
    }

    pub fn parse(code: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.code() == code)
    }
}

#[cfg(test)]
mod tests;
