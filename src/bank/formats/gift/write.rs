//! Writing GIFT (see the module docs for examhall's conventions).

use super::lex::strip_format;
use super::{ESCAPED, LIST_SEPARATORS, META_PREFIX, WEIGHT};
use crate::bank::question::{format_points, Answer, Kind, Question};

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
        body = body.replace("->", "-\\>").replace('*', "\\*");
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
