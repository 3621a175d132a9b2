//! Moodle XML: multichoice (single and multiple), truefalse, shortanswer,
//! essay and category. Other question types are listed as skipped.

use super::{LineError, Parsed};
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
        let kind = q.attribute("type").unwrap_or_default();
        let answers: Vec<(f64, String)> = q
            .children()
            .filter(|n| n.has_tag_name("answer"))
            .map(|a| {
                (
                    a.attribute("fraction").and_then(|f| f.parse().ok()).unwrap_or(0.0),
                    html_to_text(&text_of(a, &["text"])),
                )
            })
            .collect();
        let correct: Vec<usize> =
            answers.iter().enumerate().filter(|(_, (f, _))| *f > 0.0).map(|(i, _)| i).collect();
        let (kind, options, answer) = match kind {
            "category" => {
                category = clean_category(&text_of(q, &["category", "text"]));
                continue;
            }
            "multichoice" => {
                let single = text_of(q, &["single"]).trim() != "false";
                let kind = if single { Kind::Single } else { Kind::Multiple };
                (kind, answers.iter().map(|(_, t)| t.clone()).collect(), Answer::Choices(correct))
            }
            "truefalse" => {
                let value = answers
                    .iter()
                    .find(|(f, _)| *f > 0.0)
                    .map(|(_, t)| t.trim().eq_ignore_ascii_case("true"));
                match value {
                    Some(v) => (Kind::TrueFalse, Vec::new(), Answer::TrueFalse(v)),
                    None => {
                        out.errors.push(LineError::new(line, msg::XML_NO_CORRECT_ANSWER));
                        continue;
                    }
                }
            }
            "shortanswer" => {
                let accepted = answers.iter().filter(|(f, _)| *f >= 100.0).map(|(_, t)| t.clone()).collect();
                (Kind::Blanks, Vec::new(), Answer::Blanks(vec![accepted]))
            }
            "essay" => (
                Kind::Essay,
                Vec::new(),
                Answer::Reference(html_to_text(&text_of(q, &["graderinfo", "text"]))),
            ),
            other => {
                out.skipped.push(LineError::new(line, msg::xml_type_skipped(other)));
                continue;
            }
        };
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
            knowledge_points: q
                .descendants()
                .filter(|n| n.has_tag_name("tag"))
                .map(|t| text_of(t, &["text"]).trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            source: String::new(),
        };
        out.push_checked(line, question);
    }
    out
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
mod tests {
    use super::*;

    const QUIZ: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/携号转网/办理条件</text></category></question>
  <question type="multichoice">
    <name><text>q1</text></name>
    <questiontext format="html"><text><![CDATA[<p>携号转网前应先获取<b>什么</b>？</p>]]></text></questiontext>
    <generalfeedback format="html"><text>授权码&amp;短信</text></generalfeedback>
    <defaultgrade>1.5000000</defaultgrade>
    <single>true</single>
    <answer fraction="100"><text>授权码</text></answer>
    <answer fraction="0"><text>验证码</text></answer>
    <tags><tag><text>授权码</text></tag></tags>
  </question>
  <question type="multichoice">
    <questiontext><text>哪些是电子渠道？</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>手机营业厅</text></answer>
    <answer fraction="50"><text>网上营业厅</text></answer>
    <answer fraction="-100"><text>营业厅</text></answer>
  </question>
  <question type="truefalse">
    <questiontext><text>欠费可以携转。</text></questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <questiontext><text>转网须先查询（ ）。</text></questiontext>
    <answer fraction="100"><text>授权码</text></answer>
    <answer fraction="100"><text>携转授权码</text></answer>
  </question>
  <question type="essay">
    <questiontext><text>简述首问负责制。</text></questiontext>
    <graderinfo><text>负责到底</text></graderinfo>
  </question>
  <question type="matching">
    <questiontext><text>配对</text></questiontext>
  </question>
</quiz>
"#;

    #[test]
    fn reads_the_supported_types_and_lists_the_rest_as_skipped() {
        let p = parse(QUIZ);
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.items.len(), 5);
        let q = &p.items[0].question;
        assert_eq!((q.kind, q.stem.as_str(), q.points), (Kind::Single, "携号转网前应先获取什么？", 150));
        assert_eq!(q.category, "携号转网/办理条件");
        assert_eq!(q.explanation, "授权码&短信");
        assert_eq!(q.knowledge_points, vec!["授权码"]);
        assert_eq!(p.items[0].line, 4);
        assert_eq!(p.items[1].question.answer, Answer::Choices(vec![0, 1]));
        assert_eq!(p.items[2].question.answer, Answer::TrueFalse(false));
        assert_eq!(
            p.items[3].question.answer,
            Answer::Blanks(vec![vec!["授权码".into(), "携转授权码".into()]])
        );
        assert_eq!(p.items[4].question.answer, Answer::Reference("负责到底".into()));
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.skipped[0].line, 35);
        assert!(p.skipped[0].message.contains("matching"));
    }

    #[test]
    fn broken_xml_and_bad_questions_are_errors_with_lines() {
        let p = parse("<quiz>\n<question type=\"multichoice\">\n</quiz>");
        assert_eq!(p.errors.len(), 1);
        assert!(p.errors[0].message.contains("XML"));
        let p = parse("<quiz>\n<question type=\"truefalse\"><questiontext><text>x</text></questiontext></question>\n<question type=\"multichoice\"><questiontext><text>y</text></questiontext><answer fraction=\"100\"><text>a</text></answer><answer fraction=\"100\"><text>b</text></answer></question></quiz>");
        let got: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert!(got.contains(&(2, msg::XML_NO_CORRECT_ANSWER)), "{got:?}");
        assert!(got.contains(&(3, "单选题有2个正确答案")), "{got:?}");
    }
}
