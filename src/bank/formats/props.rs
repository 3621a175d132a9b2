//! Property tests for every format: arbitrary input never panics, and any
//! valid bank survives export → import unchanged.

use proptest::prelude::*;

use super::{aiken, gift, moodle_xml, sheet, text};
use crate::bank::question::{Answer, Channel, Kind, Question};

const WORDS: &[&str] = &[
    "套餐",
    "流量",
    "携号转网",
    "授权码",
    "营业厅",
    "5G",
    "实名",
    "补卡",
    "宽带",
    "客户",
    "副卡",
    "积分",
    "话费",
    "证件",
    "投诉",
    "回访",
    "APP",
    "网厅",
    "融合",
    "装机",
];

fn phrase(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), min..=max).prop_map(|w| w.concat())
}

fn question() -> impl Strategy<Value = Question> {
    let kind = prop::sample::select(Kind::ALL.to_vec());
    let channel = prop::sample::select(Channel::ALL.to_vec());
    (kind, channel, phrase(2, 6), prop::collection::vec(phrase(1, 3), 2..=6), 1i64..=10_000, 1u8..=5)
        .prop_flat_map(|(kind, channel, stem, options, points, difficulty)| {
            let mut options = options;
            options.sort();
            options.dedup();
            let n = options.len();
            (
                Just((kind, channel, stem, options, points, difficulty)),
                prop::collection::btree_set(0..n.max(1), 1..=n.max(1)),
                any::<bool>(),
                prop::collection::vec(prop::collection::vec(phrase(1, 2), 1..=2), 1..=3),
                phrase(0, 3),
                prop::collection::vec(phrase(1, 1), 0..=2),
                phrase(0, 2),
            )
        })
        .prop_filter_map(
            "a valid question",
            |(
                (kind, channel, stem, options, points, difficulty),
                picks,
                tf,
                blanks,
                explanation,
                kps,
                category,
            )| {
                let picks: Vec<usize> = picks.into_iter().collect();
                let (stem, options, answer) = match kind {
                    Kind::Single => (stem, options, Answer::Choices(vec![picks[0]])),
                    Kind::Multiple if picks.len() >= 2 => (stem, options, Answer::Choices(picks)),
                    Kind::Multiple => return None,
                    Kind::TrueFalse => (stem, vec![], Answer::TrueFalse(tf)),
                    Kind::Blanks => {
                        let stem = std::iter::repeat_n(stem.as_str(), blanks.len() + 1)
                            .collect::<Vec<_>>()
                            .join("（  ）");
                        let mut groups = blanks;
                        for g in &mut groups {
                            g.dedup();
                        }
                        (stem, vec![], Answer::Blanks(groups))
                    }
                    Kind::Essay => (stem, vec![], Answer::Reference(explanation.clone())),
                };
                if options.len() < 2 && kind.has_options() {
                    return None;
                }
                let q = Question {
                    kind,
                    stem,
                    options,
                    answer,
                    explanation,
                    points,
                    difficulty,
                    channel,
                    category,
                    knowledge_points: kps,
                    source: String::new(),
                };
                crate::bank::question::validate(&q).is_empty().then_some(q)
            },
        )
}

/// Text that looks like structure: a line that would start a question, an
/// option, a tag, a heading or a comment, an answer mark, a backslash.
fn tricky(max_lines: usize) -> impl Strategy<Value = String> {
    let line = prop_oneof![
        3 => phrase(1, 4),
        1 => phrase(1, 3).prop_map(|p| format!("1. {p}")),
        1 => phrase(1, 3).prop_map(|p| format!("5G{p}")),
        1 => phrase(1, 3).prop_map(|p| format!("# {p}")),
        1 => phrase(1, 3).prop_map(|p| format!("A. {p}")),
        1 => phrase(1, 3).prop_map(|p| format!("（2）{p}")),
        1 => Just("【答案】B".to_string()),
        1 => Just("答案：正确".to_string()),
        1 => Just("一、单项选择题".to_string()),
        1 => Just("// 注释".to_string()),
        1 => phrase(1, 2).prop_map(|p| format!("{p}（√）")),
        1 => phrase(1, 2).prop_map(|p| format!("\\{p}")),
        1 => Just(String::new()),
    ];
    (phrase(1, 3), prop::collection::vec(line, 0..max_lines)).prop_map(|(first, rest)| {
        let mut text = first;
        for l in rest {
            text.push('\n');
            text.push_str(&l);
        }
        text.trim_end().to_string()
    })
}

/// Questions whose texts look like structure, pictures aside.
fn tricky_question() -> impl Strategy<Value = Question> {
    (question(), tricky(4), tricky(3), tricky(3), prop::collection::vec("[a-z(|)\\\\（）｜\n]{1,6}", 1..3))
        .prop_filter_map("a valid question", |(mut q, stem, explanation, reference, blank)| {
            match &mut q.answer {
                Answer::Blanks(groups) => {
                    let alts: Vec<String> =
                        blank.iter().map(|b| b.trim().to_string()).filter(|b| !b.is_empty()).collect();
                    if alts.is_empty() {
                        return None;
                    }
                    groups[0] = alts;
                    q.stem = format!("{stem}（  ）{}", "（  ）".repeat(groups.len() - 1));
                }
                Answer::Reference(r) => {
                    *r = reference;
                    q.stem = stem;
                }
                _ => q.stem = stem,
            }
            q.explanation = explanation;
            crate::bank::question::validate(&q).is_empty().then_some(q)
        })
}

fn questions_of(p: super::Parsed) -> Vec<Question> {
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    p.items.into_iter().map(|i| i.question).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_input_makes_a_parser_panic(input in "\\PC{0,400}") {
        let _ = text::parse(&input);
        let _ = aiken::parse(&input);
        let _ = gift::parse(&input);
        let _ = moodle_xml::parse(&input);
        let lines: Vec<Vec<String>> = input.lines().map(|l| l.split(',').map(String::from).collect()).collect();
        let _ = sheet::parse(&lines);
    }

    #[test]
    fn structured_noise_never_panics(lines in prop::collection::vec(prop::sample::select(vec![
        "1.", "1.【单选】", "A.", "A、x", "B. y", "【答案】", "【答案】AB", "【答案】(x)(", "#", "//", "【分值】", "【难度】x",
        "::t::", "{", "}", "{=a ~b}", "$CATEGORY:", "ANSWER: A", "<quiz>", "<question type=\"x\">", "（  ）", "",
    ]), 0..40)) {
        let input = lines.join("\n");
        let _ = text::parse(&input);
        let _ = aiken::parse(&input);
        let _ = gift::parse(&input);
        let _ = moodle_xml::parse(&input);
    }

    #[test]
    fn text_export_then_import_is_lossless(bank in prop::collection::vec(question(), 1..12)) {
        prop_assert_eq!(questions_of(text::parse(&text::write(&bank))), bank);
    }

    #[test]
    fn text_export_escapes_whatever_looks_like_structure(bank in prop::collection::vec(tricky_question(), 1..8)) {
        let written = text::write(&bank);
        prop_assert_eq!(questions_of(text::parse(&written)), bank, "{}", written);
    }

    #[test]
    fn word_export_then_import_keeps_questions_and_pictures(
        bank in prop::collection::vec((tricky_question(), 0usize..3), 1..6)
    ) {
        let png = |n: usize| {
            let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
            bytes.extend(std::iter::repeat_n(n as u8, 8 + n));
            super::Image { name: format!("p{n}.png"), bytes }
        };
        let with_pictures: Vec<(Question, Vec<super::Image>)> =
            bank.iter().map(|(q, n)| (q.clone(), (0..*n).map(png).collect())).collect();
        let bytes = super::docx::write(&with_pictures).unwrap();
        let parsed = super::docx::parse(&bytes).unwrap();
        let pictures: Vec<Vec<Vec<u8>>> = parsed
            .items
            .iter()
            .map(|i| i.images.iter().map(|n| parsed.images[*n].bytes.clone()).collect())
            .collect();
        let want: Vec<Vec<Vec<u8>>> =
            with_pictures.iter().map(|(_, p)| p.iter().map(|i| i.bytes.clone()).collect()).collect();
        prop_assert_eq!(pictures, want);
        prop_assert_eq!(questions_of(parsed), bank.into_iter().map(|(q, _)| q).collect::<Vec<_>>());
    }

    #[test]
    fn excel_export_then_import_is_lossless(bank in prop::collection::vec(question(), 1..8)) {
        let bytes = sheet::write_xlsx("题库", &bank).unwrap();
        let table = crate::roster::parse::read_table("bank.xlsx", &bytes).unwrap();
        prop_assert_eq!(questions_of(sheet::parse(&table)), bank);
    }
}
