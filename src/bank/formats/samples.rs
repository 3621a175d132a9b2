//! The sample corpus (`question_bank/samples/`): banks written the ways
//! trainers write them, each read as the import page reads it (format
//! detected, no option set) and compared with its `.expect` file, written by
//! hand: one line per question, in order,
//!
//! ```text
//! 单选4 B | 题干（换行写作 ⏎）
//! 判断 对 | 题干
//! 填空 (授权码|携转授权码)(120) | 题干
//! 简答 - | 题干
//! ! 12        an error on line 12
//! ~ 7         a warning on line 7
//! ```

use std::path::Path;

use super::Parsed;
use crate::bank::import::read;
use crate::bank::question::{letter, Answer};

fn describe(item: &super::Item) -> String {
    let q = &item.question;
    let kind = match q.options.len() {
        0 => q.kind.label().to_string(),
        n => format!("{}{n}", q.kind.label()),
    };
    let answer = match &q.answer {
        Answer::Choices(c) => c.iter().map(|i| letter(*i)).collect(),
        Answer::TrueFalse(v) => if *v { "对" } else { "错" }.to_string(),
        Answer::Blanks(g) => g.iter().map(|alts| format!("({})", alts.join("|"))).collect(),
        Answer::Reference(_) => "-".to_string(),
    };
    let images = match item.images.len() {
        0 => String::new(),
        n => format!(" 图{n}"),
    };
    format!("{kind} {answer}{images} | {}", q.stem.replace('\n', "⏎"))
}

fn lines_of(parsed: &Parsed) -> Vec<String> {
    let mut out: Vec<String> = parsed.items.iter().map(describe).collect();
    out.extend(parsed.errors.iter().map(|e| format!("! {}", e.line)));
    out.extend(parsed.warnings.iter().map(|e| format!("~ {}", e.line)));
    out.dedup();
    out
}

#[test]
fn every_sample_reads_as_its_expect_file_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("question_bank/samples");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e != "expect"))
        .collect();
    names.sort();
    let mut failures = Vec::new();
    for path in &names {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let expect_path = path.with_extension("expect");
        let expected =
            std::fs::read_to_string(&expect_path).unwrap_or_else(|_| panic!("{name} has no .expect file"));
        let want: Vec<&str> =
            expected.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
        let parsed = read(None, &name, &std::fs::read(path).unwrap())
            .unwrap_or_else(|e| Parsed { errors: vec![super::LineError::new(0, e)], ..Default::default() });
        let got = lines_of(&parsed);
        if got != want {
            failures
                .push(format!("{name}\n  want: {want:#?}\n  got:  {got:#?}\n  errors: {:?}", parsed.errors));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(names.len() >= 30, "the corpus has {} files", names.len());
}
