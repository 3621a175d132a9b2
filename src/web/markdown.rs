//! Markdown to HTML that is safe to show: pulldown-cmark renders, ammonia
//! removes anything that could run script. Headings get ids (`sec-<text>`),
//! so a question can link to the section of an article that teaches it.

use pulldown_cmark::{Event, Tag, TagEnd};

/// The prefix of every id the rendered HTML carries (ammonia adds it), so an
/// article's ids never clash with the page's own.
pub const ID_PREFIX: &str = "sec-";

/// A heading's id (without [`ID_PREFIX`]): its text, spaces as `-`.
pub fn section_id(heading: &str) -> String {
    heading.split_whitespace().collect::<Vec<_>>().join("-")
}

/// The text of every heading of a Markdown text, in order.
pub fn headings(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for event in pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => current = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = current.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(current.take().filter(|h| !h.trim().is_empty())),
            _ => {}
        }
    }
    out
}

pub fn to_safe_html(markdown: &str) -> String {
    let events: Vec<Event> =
        pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES).collect();
    let mut out = Vec::with_capacity(events.len());
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Heading { level, id: None, classes, attrs }) => {
                // The heading's text: every text event up to its end.
                let text: String = events[i + 1..]
                    .iter()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let id = Some(section_id(&text).into()).filter(|s: &pulldown_cmark::CowStr| !s.is_empty());
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id,
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            other => out.push(other.clone()),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    let headings = ["h1", "h2", "h3", "h4", "h5", "h6"];
    let mut clean = ammonia::Builder::default();
    for h in headings {
        clean.add_tag_attributes(h, ["id"]);
    }
    clean.id_prefix(Some(ID_PREFIX)).clean(&html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_tables_and_drops_scripts() {
        let html = to_safe_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>\n\n**粗体**");
        assert!(html.contains("<table>") && html.contains("<strong>粗体</strong>"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn headings_carry_their_text_as_a_prefixed_id() {
        let html = to_safe_html("## 办理条件\n\n正文\n\n### 资费 标准 `5G`\n\n<p id=\"main\">x</p>");
        assert!(html.contains(r#"<h2 id="sec-办理条件">办理条件</h2>"#), "{html}");
        assert!(html.contains(r#"<h3 id="sec-资费-标准-5G">"#), "{html}");
        // An id written in the article cannot take one of the page's.
        assert!(!html.contains(r#"id="main""#), "{html}");
        assert_eq!(section_id(" 资费  标准 "), "资费-标准");
    }
}
