//! Moodle XML: multichoice (single and multiple), truefalse, shortanswer,
//! essay and category. Other question types are listed as skipped.
//!
//! Fractions follow the partial-credit policy of GIFT (`gift` module docs,
//! `gift::credit`): shortanswer keeps its 100% answers as the accepted ones
//! and names the partial-credit ones in a warning, a full-credit `*`
//! wildcard skips the question (`\*` is an asterisk); multichoice keeps the
//! full-credit option(s) of a single-answer question and names the partial
//! ones, and a multiple-answer question whose weights Moodle grades otherwise
//! than examhall's 多选 says so.
//!
//! Pictures (`<img>` in a text, `<file>` parts, the old `<image>`) are not
//! imported yet: the question is kept with a warning naming them;
//! [`embedded_files`] gives the embedded ones' bytes per question.

use super::gift::credit::{self, Refusal, Weighted};
use super::{Image, LineError, Parsed};
use crate::bank::question::{Answer, Channel, Kind, Question};
use crate::web::msg;

pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let doc = match roxmltree::Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            out.errors.push(LineError::new(e.pos().row as usize, msg::xml_invalid(&e.to_string())));
            return out;
        }
    };
    let mut category = String::new();
    for q in doc.descendants().filter(|n| n.has_tag_name("question")) {
        let line = doc.text_pos_at(q.range().start).row as usize;
        let end = doc.text_pos_at(q.range().end).row as usize;
        let kind = q.attribute("type").unwrap_or_default();
        if kind == "category" {
            category = clean_category(&text_of(q, &["category", "text"]));
            continue;
        }
        let mut warnings = Vec::new();
        let (kind, options, answer) = match read_answers(q, kind, &mut warnings) {
            Ok(read) => read,
            Err(Refusal::Error(message)) => {
                out.errors.push(LineError::new(line, message));
                continue;
            }
            Err(Refusal::Skip(message)) => {
                out.skipped.push(LineError::new(line, message));
                continue;
            }
        };
        // Pictures embedded in the file are kept with the question; one it only
        // links to (`<img src="http://…">`) or cannot store is named in a warning.
        let kept: Vec<Image> = files_of(q).into_iter().filter(crate::bank::images::storable).collect();
        let missing: Vec<String> =
            image_names(q).into_iter().filter(|n| !kept.iter().any(|k| &k.name == n)).collect();
        if !missing.is_empty() {
            let names: String = missing.iter().map(|n| format!("「{n}」")).collect();
            warnings.push(msg::images_not_imported(&names));
        }
        let tags = tags_and_source(q);
        let points = text_of(q, &["defaultgrade"])
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|p| *p > 0.0)
            .map(|p| (p * 100.0).round() as i64)
            .unwrap_or(kind.default_points());
        let question = Question {
            kind,
            stem: html_to_text(&text_of(q, &["questiontext", "text"])),
            options,
            answer,
            explanation: html_to_text(&text_of(q, &["generalfeedback", "text"])),
            points,
            difficulty: 3,
            channel: Channel::General,
            category: category.clone(),
            knowledge_points: tags.points,
            source: tags.source,
        };
        let before = out.items.len();
        out.push_checked(line, question);
        // What was not kept is said only of a question that is kept.
        if out.items.len() > before {
            out.items[before].end = end;
            for image in kept {
                out.images.push(image);
                out.items[before].images.push(out.images.len() - 1);
            }
            out.warnings.extend(warnings.into_iter().map(|w| LineError::new(line, w)));
        }
    }
    out
}

/// A question's type, options and answer from its `<answer>`s, by the
/// partial-credit policy GIFT follows (`gift` module docs).
fn read_answers(
    q: roxmltree::Node,
    kind: &str,
    warnings: &mut Vec<String>,
) -> Result<(Kind, Vec<String>, Answer), Refusal> {
    let answers: Vec<(f64, String)> = q
        .children()
        .filter(|n| n.has_tag_name("answer"))
        .map(|a| {
            (
                a.attribute("fraction").and_then(|f| f.trim().parse().ok()).unwrap_or(0.0),
                text_of(a, &["text"]),
            )
        })
        .collect();
    match kind {
        "multichoice" => {
            let single = text_of(q, &["single"]).trim() != "false";
            let weighted: Vec<Weighted> = answers
                .into_iter()
                .map(|(weight, text)| Weighted { weight, text: html_to_text(&text), wildcard: false })
                .collect();
            let (kind, correct) = credit::choice(&weighted, single, warnings)?;
            Ok((kind, weighted.into_iter().map(|w| w.text).collect(), Answer::Choices(correct)))
        }
        "truefalse" => {
            let value = answers
                .iter()
                .find(|(f, _)| *f > 0.0)
                .map(|(_, t)| html_to_text(t).trim().eq_ignore_ascii_case("true"));
            match value {
                Some(v) => Ok((Kind::TrueFalse, Vec::new(), Answer::TrueFalse(v))),
                None => Err(Refusal::Error(msg::XML_NO_CORRECT_ANSWER.to_string())),
            }
        }
        "shortanswer" => {
            let weighted = answers.into_iter().map(|(weight, text)| short_answer(weight, &text)).collect();
            let accepted = credit::accepted(weighted, warnings)?;
            Ok((Kind::Blanks, Vec::new(), Answer::Blanks(vec![accepted])))
        }
        "essay" => Ok((
            Kind::Essay,
            Vec::new(),
            Answer::Reference(html_to_text(&text_of(q, &["graderinfo", "text"]))),
        )),
        other => Err(Refusal::Skip(msg::xml_type_skipped(other))),
    }
}

/// A short answer as Moodle matches it: `*` is a wildcard, `\*` an asterisk.
fn short_answer(weight: f64, raw: &str) -> Weighted {
    let plain = html_to_text(raw);
    let (mut text, mut wildcard) = (String::with_capacity(plain.len()), false);
    let mut chars = plain.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some('*')) => {
                text.push('*');
                chars.next();
            }
            ('*', _) => {
                wildcard = true;
                text.push('*');
            }
            (c, _) => text.push(c),
        }
    }
    Weighted { weight, text, wildcard }
}

/// The pictures of a question, by name: `<file name="…">` parts (embedded
/// base64), `<img src="…">` in any of its texts, and the old `<image>`.
fn image_names(q: roxmltree::Node) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |name: String| {
        if !names.contains(&name) {
            names.push(name);
        }
    };
    for n in q.descendants() {
        if n.has_tag_name("file") {
            add(file_name(n.attribute("name").unwrap_or_default()));
        } else if n.has_tag_name("image") {
            if let Some(path) = n.text().map(str::trim).filter(|p| !p.is_empty()) {
                add(file_name(path));
            }
        } else if n.has_tag_name("text") {
            let html: String = n.descendants().filter_map(|d| d.text()).collect();
            for src in img_sources(&html) {
                add(file_name(&src));
            }
        }
    }
    names
}

/// The `src` of every `<img>` in some HTML.
fn img_sources(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<img").map(|i| from + i) {
        let end = lower[at..].find('>').map_or(lower.len(), |i| at + i);
        let tag = &html[at..end];
        let src = tag.to_ascii_lowercase().find("src=").and_then(|i| {
            let rest = &tag[i + 4..];
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            rest[1..].split(quote).next().map(str::to_string)
        });
        out.push(src.unwrap_or_default());
        from = end;
    }
    out
}

/// `@@PLUGINFILE@@/%E5%9B%BE.png` → `%E5%9B%BE.png`; an unnamed picture → `图片`.
fn file_name(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    if name.is_empty() {
        "图片".to_string()
    } else {
        name.to_string()
    }
}

/// The files embedded in each question (`<file encoding="base64">`, and the
/// old `<image>` + `<image_base64>`): the question's line and its files. Files that are not valid base64 are left out.
pub fn embedded_files(text: &str) -> Vec<(usize, Vec<Image>)> {
    let Ok(doc) = roxmltree::Document::parse(text) else { return Vec::new() };
    let mut out = Vec::new();
    for q in doc.descendants().filter(|n| n.has_tag_name("question")) {
        let files = files_of(q);
        if !files.is_empty() {
            out.push((doc.text_pos_at(q.range().start).row as usize, files));
        }
    }
    out
}

/// The files embedded in one question.
fn files_of(q: roxmltree::Node) -> Vec<Image> {
    {
        let mut files = Vec::new();
        for n in q.descendants().filter(|n| n.has_tag_name("file")) {
            if n.attribute("encoding").is_some_and(|e| e.eq_ignore_ascii_case("base64")) {
                let data: String = n.descendants().filter_map(|d| d.text()).collect();
                if let Some(bytes) = base64(&data) {
                    files.push(Image { name: file_name(n.attribute("name").unwrap_or_default()), bytes });
                }
            }
        }
        let old =
            q.children().find(|c| c.has_tag_name("image_base64")).and_then(|n| n.text()).and_then(base64);
        if let Some(bytes) = old {
            files.push(Image { name: file_name(&text_of(q, &["image"])), bytes });
        }
        files
    }
}

/// Standard base64 (whitespace ignored, `=` padding optional).
fn base64(data: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in data.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The text under a path of child elements (`["questiontext", "text"]`).
fn text_of(node: roxmltree::Node, path: &[&str]) -> String {
    let mut current = Some(node);
    for name in path {
        current = current.and_then(|n| n.children().find(|c| c.has_tag_name(*name)));
    }
    current
        .map(|n| n.descendants().filter(|d| d.is_text()).filter_map(|d| d.text()).collect())
        .unwrap_or_default()
}

/// A question's knowledge points (its `<tag>`s) and where it is taught.
struct Tags {
    points: Vec<String>,
    source: String,
}

/// Moodle has no field for where a question is taught, so examhall reads it
/// from a tag `出处：《携号转网业务办理规范》#办理条件` (also `知识库：` or
/// `source:`; such a tag is not a knowledge point) or from a comment inside
/// the question, `<!-- examhall: source=《…》 -->`, the GIFT spelling. Several
/// are joined with `；` so each reference is read (`sources::rules::references`).
fn tags_and_source(q: roxmltree::Node) -> Tags {
    let mut points = Vec::new();
    let mut sources = Vec::new();
    for tag in q.descendants().filter(|n| n.has_tag_name("tag")) {
        let text = text_of(tag, &["text"]).trim().to_string();
        match source_of_tag(&text) {
            Some(source) => sources.push(source.to_string()),
            None if !text.is_empty() => points.push(text),
            None => {}
        }
    }
    for comment in q.descendants().filter(|n| n.is_comment()) {
        let text = comment.text().unwrap_or_default().trim();
        if let Some(rest) = text.strip_prefix("examhall:") {
            if let Some(source) = rest.trim().strip_prefix("source=") {
                sources.push(source.trim().to_string());
            }
        }
    }
    sources.retain(|s| !s.is_empty());
    Tags { points, source: sources.join("；") }
}

fn source_of_tag(tag: &str) -> Option<&str> {
    ["出处", "知识库", "source"].iter().find_map(|name| {
        let rest = tag.strip_prefix(name)?;
        rest.strip_prefix('：').or_else(|| rest.strip_prefix(':')).map(str::trim)
    })
}

/// `$course$/top/资费/5G套餐` → `资费/5G套餐`.
fn clean_category(path: &str) -> String {
    path.trim()
        .split('/')
        .filter(|part| !part.is_empty() && !part.starts_with('$') && *part != "top" && *part != "默认")
        .collect::<Vec<_>>()
        .join("/")
}

/// Moodle stores HTML: line breaks stay, tags go, entities are decoded.
/// (GIFT's `[html]` questions use it too.)
pub(super) fn html_to_text(html: &str) -> String {
    let mut text =
        html.replace("<br>", "\n").replace("<br/>", "\n").replace("<br />", "\n").replace("</p>", "\n");
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.drain(..) {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests;
