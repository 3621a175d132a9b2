use super::*;
use crate::web::msg;

pub fn single() -> Question {
    Question {
        kind: Kind::Single,
        stem: "套餐变更何时生效？".into(),
        options: vec!["立即".into(), "次月1日".into()],
        answer: Answer::Choices(vec![1]),
        explanation: String::new(),
        points: 100,
        difficulty: 3,
        channel: Channel::General,
        category: String::new(),
        knowledge_points: vec![],
        source: String::new(),
    }
}

#[test]
fn a_valid_question_has_no_errors() {
    assert_eq!(validate(&single()), Vec::<String>::new());
}

#[test]
fn every_rule_has_its_message() {
    type Change = Box<dyn Fn(&mut Question)>;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|q| q.stem = " ".into()), "题干为空"),
        (Box::new(|q| q.options = vec!["x".into()]), "至少需要 2 个选项"),
        (Box::new(|q| q.options = vec!["x".into(), "X ".into()]), "选项重复"),
        (Box::new(|q| q.answer = Answer::Choices(vec![0, 1])), "单选题有2个正确答案"),
        (Box::new(|q| q.answer = Answer::Choices(vec![4])), "答案中的选项 E 不存在"),
        (Box::new(|q| q.answer = Answer::TrueFalse(true)), "答案不符合单选题"),
        (Box::new(|q| q.points = 0), "分值"),
        (Box::new(|q| q.difficulty = 6), "难度应为 1–5"),
        (Box::new(|q| q.stem = "题".repeat(MAX_STEM + 1)), msg::Q_STEM_TOO_LONG),
        (Box::new(|q| q.options[0] = "项".repeat(MAX_OPTION + 1)), msg::Q_OPTION_TOO_LONG),
        (Box::new(|q| q.explanation = "解".repeat(MAX_EXPLANATION + 1)), msg::Q_EXPLANATION_TOO_LONG),
        (
            Box::new(|q| q.knowledge_points = (0..=MAX_KNOWLEDGE_POINTS).map(|i| format!("点{i}")).collect()),
            msg::Q_TOO_MANY_KNOWLEDGE_POINTS,
        ),
        (
            Box::new(|q| q.knowledge_points = vec!["知".repeat(MAX_KNOWLEDGE_POINT + 1)]),
            msg::Q_KNOWLEDGE_POINT_TOO_LONG,
        ),
        (Box::new(|q| q.category = "类".repeat(MAX_CATEGORY + 1)), msg::Q_CATEGORY_TOO_LONG),
        (Box::new(|q| q.source = "源".repeat(MAX_SOURCE + 1)), msg::Q_SOURCE_TOO_LONG),
        (
            Box::new(|q| {
                q.kind = Kind::Essay;
                q.options.clear();
                q.answer = Answer::Reference("答".repeat(MAX_REFERENCE + 1));
            }),
            msg::Q_REFERENCE_TOO_LONG,
        ),
        (
            Box::new(|q| {
                q.kind = Kind::Blanks;
                q.options.clear();
                q.answer = Answer::Blanks(vec![vec!["空".repeat(MAX_BLANK_ANSWER + 1)]]);
            }),
            msg::Q_BLANK_ANSWER_TOO_LONG,
        ),
        (
            Box::new(|q| {
                q.kind = Kind::Blanks;
                q.options.clear();
                q.answer = Answer::Blanks(vec![vec!["x".into()]; MAX_BLANKS + 1]);
            }),
            msg::Q_TOO_MANY_BLANKS,
        ),
        (
            Box::new(|q| {
                q.kind = Kind::Multiple;
                q.answer = Answer::Choices(vec![1]);
            }),
            "多选题至少需要 2 个正确答案",
        ),
        (
            Box::new(|q| {
                q.kind = Kind::TrueFalse;
                q.answer = Answer::TrueFalse(false);
            }),
            "判断题不能有选项",
        ),
        (
            Box::new(|q| {
                q.kind = Kind::Blanks;
                q.options.clear();
                q.stem = "携号转网须先查询（ ），再到（ ）办理，并（ ）".into();
                q.answer = Answer::Blanks(vec![vec!["授权码".into()], vec!["营业厅".into()]]);
            }),
            "填空题的答案有 2 组，题干中有 3 处空",
        ),
    ];
    for (change, want) in cases {
        let mut q = single();
        change(&mut q);
        let errors = validate(&q);
        assert!(errors.iter().any(|e| e.contains(want)), "{want}: {errors:?}");
    }
}

#[test]
fn texts_at_their_limits_are_accepted() {
    let mut q = single();
    q.stem = "题".repeat(MAX_STEM);
    q.options = vec!["项".repeat(MAX_OPTION), "另".repeat(MAX_OPTION)];
    q.explanation = "解".repeat(MAX_EXPLANATION);
    q.knowledge_points = (0..MAX_KNOWLEDGE_POINTS).map(|i| format!("{i}{}", "知".repeat(28))).collect();
    q.category = "类".repeat(MAX_CATEGORY);
    q.source = "源".repeat(MAX_SOURCE);
    assert_eq!(validate(&q), Vec::<String>::new());
}

#[test]
fn blanks_are_counted_in_all_their_spellings() {
    assert_eq!(count_blanks("办理（ ）需要（　　）和 ____，但 (x) 不是空"), 3);
    assert_eq!(count_blanks("没有空"), 0);
    assert_eq!(count_blanks("a__b"), 0);
}

#[test]
fn normalising_ignores_width_case_and_spacing() {
    assert_eq!(normalise("  ＡＢＣ　５Ｇ  套餐 "), "abc 5g 套餐");
    assert_eq!(normalise("（携号转网）"), "(携号转网)");
    assert_eq!(dedup_key(&single()), {
        let mut q = single();
        q.stem = " 套餐变更何时生效？ ".into();
        q.options[1] = "次月１日".into();
        dedup_key(&q)
    });
}

#[test]
fn points_and_difficulty_parse_exactly() {
    let cases = [
        ("2", Some(200)),
        ("1.5", Some(150)),
        ("0.25", Some(25)),
        ("3分", Some(300)),
        ("1.234", None),
        ("-1", None),
        ("", None),
        ("a", None),
    ];
    for (text, want) in cases {
        assert_eq!(parse_points(text), want, "{text}");
    }
    for p in [200, 150, 25, 1, 10000] {
        assert_eq!(parse_points(&format_points(p)), Some(p));
    }
    assert_eq!(parse_difficulty("较难"), Some(4));
    assert_eq!(parse_difficulty("6"), None);
}
