use super::*;

fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

#[test]
fn reads_the_examhall_template() {
    let t = table(&[
        &HEADER,
        &[
            "单选",
            "补卡需要什么证件？",
            "本人有效证件",
            "照片",
            "",
            "",
            "",
            "",
            "",
            "",
            "A",
            "须本人",
            "1",
            "2",
            "营业厅",
            "补换卡",
            "补卡、证件",
            "",
            "",
        ],
        &[
            "判断题",
            "欠费可以携转。",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "错误",
            "",
            "",
            "",
            "",
            "携号转网",
            "",
            "",
            "",
        ],
        &[
            "填空",
            "授权码有效期（ ）天",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "(30)",
            "",
            "",
            "",
            "热线",
            "",
            "",
            "",
            "",
        ],
    ]);
    let p = parse(&t);
    assert_eq!(p.errors, vec![]);
    assert_eq!(p.items.iter().map(|i| i.line).collect::<Vec<_>>(), vec![2, 3, 4]);
    assert_eq!(p.items[0].question.options, vec!["本人有效证件", "照片"]);
    assert_eq!(p.items[0].question.knowledge_points, vec!["补卡", "证件"]);
    assert_eq!(p.items[1].question.answer, Answer::TrueFalse(false));
    assert_eq!(p.items[2].question.answer, Answer::Blanks(vec![vec!["30".into()]]));
}

#[test]
fn reads_the_examstack_sheet_with_true_false_as_options() {
    let t = table(&[
        &["题目", "类型", "选项A", "选项B", "选项C", "答案", "解析", "知识类", "知识点", "分值"],
        &["5G套餐可以随时降档。", "判断题", "正确", "错误", "", "B", "", "资费", "套餐变更", "1"],
        &[
            "哪些属于电子渠道？",
            "多选题",
            "手机营业厅",
            "网上营业厅",
            "营业厅",
            "AB",
            "",
            "电子渠道",
            "",
            "2",
        ],
    ]);
    let p = parse(&t);
    assert_eq!(p.errors, vec![]);
    assert_eq!(p.items[0].question.answer, Answer::TrueFalse(false));
    assert!(p.items[0].question.options.is_empty());
    assert_eq!(p.items[1].question.category, "电子渠道");
    assert_eq!(p.items[1].question.points, 200);
}

#[test]
fn reads_the_yf_exam_sheet_one_row_per_option() {
    let t = table(&[
        &["题目序号", "题目类型", "题目内容", "整体解析", "是否正确项", "选项内容"],
        &["1", "1", "补卡需要什么？", "须本人", "1", "本人有效证件"],
        &["1", "1", "", "", "0", "照片"],
        &["2", "2", "哪些是电子渠道？", "", "1", "手机营业厅"],
        &["2", "2", "", "", "1", "网上营业厅"],
        &["2", "2", "", "", "0", "营业厅"],
        &["3", "3", "欠费可以携转。", "", "0", "正确"],
        &["3", "3", "", "", "1", "错误"],
        &["4", "1", "两个正确的单选", "", "1", "甲"],
        &["4", "1", "", "", "1", "乙"],
    ]);
    let p = parse(&t);
    assert_eq!(p.items.len(), 3);
    assert_eq!(p.items[0].question.answer, Answer::Choices(vec![0]));
    assert_eq!(p.items[0].question.explanation, "须本人");
    assert_eq!(p.items[1].question.answer, Answer::Choices(vec![0, 1]));
    assert_eq!((p.items[2].line, &p.items[2].question.answer), (7, &Answer::TrueFalse(false)));
    let want = LineError {
        stem: "两个正确的单选".into(), ..LineError::new(9, "单选题有2个正确答案")
    };
    assert_eq!(p.errors, vec![want]);
}

#[test]
fn row_errors_carry_the_row_number() {
    let t = table(&[
        &["题型", "题干", "选项A", "选项B", "选项C", "答案"],
        &["单选", "两个答案", "甲", "乙", "", "AB"],
        &["问答x", "未知题型", "", "", "", "x"],
        &["单选", "跳过选项", "甲", "", "丙", "A"],
        &["单选", "没有答案", "甲", "乙", "", ""],
    ]);
    let p = parse(&t);
    let got: Vec<(usize, String)> = p.errors.iter().map(|e| (e.line, e.message.clone())).collect();
    assert!(got.contains(&(2, "单选题有2个正确答案".into())), "{got:?}");
    assert!(got.iter().any(|(l, m)| *l == 3 && m.contains("未知题型「问答x」")), "{got:?}");
    assert!(got.iter().any(|(l, m)| *l == 4 && m.contains("选项缺少 B")), "{got:?}");
    assert!(got.iter().any(|(l, m)| *l == 5 && m.contains("缺少【答案】")), "{got:?}");
}

#[test]
fn a_sheet_without_a_header_says_what_is_missing() {
    let errors = |rows: &[&[&str]]| {
        let p = parse(&table(rows));
        assert!(p.items.is_empty());
        p.errors.iter().map(|e| (e.line, e.message.clone())).collect::<Vec<_>>()
    };
    assert_eq!(errors(&[&["题型", "答案"], &["单选", "A"]]), vec![(1, "缺少列「题干」".to_string())]);
    assert_eq!(
        errors(&[&["题库说明"], &["题干", "解析"], &["甲", "乙"]]),
        vec![(2, msg::SHEET_MISSING_ANSWER_COLUMN.to_string())]
    );
    assert_eq!(errors(&[&[""], &["某某题库"], &["一", "二"]]), vec![(2, msg::SHEET_NO_HEADER.to_string())]);
    assert_eq!(errors(&[&["", ""]]), vec![(1, msg::SHEET_EMPTY.to_string())]);
    // A header below the first ten rows is not looked for.
    let mut rows: Vec<&[&str]> = vec![&["标题"]; 10];
    rows.push(&["题干", "答案"]);
    assert_eq!(errors(&rows), vec![(1, msg::SHEET_NO_HEADER.to_string())]);
}

#[test]
fn the_template_round_trips_every_type() {
    let text = "1.【单选】甲？\nA. 一\nB. 二\n【答案】B\n【分值】1.5\n2.【多选】乙？\nA. 一\nB. 二\nC. 三\n【答案】AC\n【解析】因为\n3. 丙。\n【答案】正确\n4. 丁（ ）和（ ）。\n【答案】(x|y)(z)\n5. 戊？\n【参考答案】要点\n【知识点】a、b\n";
    let original: Vec<Question> =
        super::super::text::parse(text).items.into_iter().map(|i| i.question).collect();
    assert_eq!(original.len(), 5);
    let bytes = write_xlsx("题库", &original).unwrap();
    let table = crate::roster::parse::read_table("bank.xlsx", &bytes).unwrap();
    let back: Vec<Question> = parse(&table).items.into_iter().map(|i| i.question).collect();
    assert_eq!(back, original);
}

fn notes(p: &Parsed) -> Vec<(usize, Vec<String>)> {
    p.items.iter().filter(|i| !i.notes.is_empty()).map(|i| (i.line, i.notes.clone())).collect()
}

#[test]
fn a_title_row_aliases_and_unknown_columns() {
    let t = table(&[
        &["2026年11月营业厅月考题库"],
        &[],
        &[
            "序号",
            "试题内容",
            "试题类型",
            "选项A",
            "选项B",
            "选项C",
            "标准答案",
            "答案解析",
            "考点",
            "备注",
            "出题人",
            "",
            "空列",
        ],
        &[
            "1",
            "补卡需要什么证件？",
            "单选题",
            "本人有效证件",
            "照片",
            "户口簿",
            "A",
            "须本人",
            "补卡",
            "注意",
            "张三",
            "",
            "",
        ],
        &["2", "欠费可以携转。", "是非题", "", "", "", "×", "", "", "", "", "x", ""],
        &[
            "3",
            "哪些属于电子渠道？",
            "不定项",
            "手机营业厅",
            "网上营业厅",
            "营业厅",
            "AB",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        &["4", "只有一个正确的不定项", "不定项", "甲", "乙", "", "B", "", "", "", "", "", ""],
    ]);
    let p = parse(&t);
    assert_eq!(p.errors, vec![]);
    let got: Vec<(usize, Kind, &Answer)> =
        p.items.iter().map(|i| (i.line, i.question.kind, &i.question.answer)).collect();
    assert_eq!(
        got,
        vec![
            (4, Kind::Single, &Answer::Choices(vec![0])),
            (5, Kind::TrueFalse, &Answer::TrueFalse(false)),
            (6, Kind::Multiple, &Answer::Choices(vec![0, 1])),
            (7, Kind::Single, &Answer::Choices(vec![1])),
        ]
    );
    let q = &p.items[0].question;
    assert_eq!((q.stem.as_str(), q.explanation.as_str()), ("补卡需要什么证件？", "须本人"));
    assert_eq!((q.options.len(), &q.knowledge_points), (3, &vec!["补卡".to_string()]));
    assert_eq!(
        p.warnings,
        vec![LineError::new(3, "未识别的列「备注」「出题人」「L列（无列名）」，其内容不会导入")]
    );
    assert_eq!(
        p.recognised,
        vec![
            "表头在第3行（上方为标题行）",
            "列名：试题内容→题干、试题类型→题型、标准答案→答案、答案解析→解析、考点→知识点",
            "「序号」列为序号，不导入",
            "题型写作「是非题」",
        ]
    );
    assert_eq!(
        notes(&p),
        vec![
            (6, vec!["题型「不定项」按答案个数定为多选".to_string()]),
            (7, vec!["题型「不定项」按答案个数定为单选".to_string()]),
        ]
    );
}

#[test]
fn english_headers_and_type_codes() {
    let t = table(&[
        &[
            "Question",
            "TYPE",
            "Option A",
            "option_b",
            "OptionC",
            "Correct Answer",
            "Analysis",
            "Tags",
            "Score",
            "Difficulty",
        ],
        &["2+2?", "single", "3", "4", "5", "b", "", "math", "1.5", "2"],
        &["Pick the even numbers", "MULTI", "2", "3", "4", "A,C", "", "", "", ""],
        &["The sky is blue.", "TF", "", "", "", "T", "", "", "", ""],
        &["The sky is green.", "judge", "", "", "", "B", "", "", "", ""],
        &["France's capital: ____", "fill", "", "", "", "Paris|巴黎", "", "", "", ""],
        &["Describe the sky.", "Essay", "", "", "", "Blue, mostly.", "", "", "", ""],
        &["Pick one", "radio", "x", "y", "", "C", "", "", "", ""],
        &["Odd type", "matching", "x", "y", "", "A", "", "", "", ""],
    ]);
    let p = parse(&t);
    let q: Vec<&Question> = p.items.iter().map(|i| &i.question).collect();
    assert_eq!(q.len(), 6);
    assert_eq!(
        (q[0].kind, &q[0].answer, q[0].points, q[0].difficulty),
        (Kind::Single, &Answer::Choices(vec![1]), 150, 2)
    );
    assert_eq!(q[0].knowledge_points, vec!["math"]);
    assert_eq!((q[1].kind, &q[1].answer), (Kind::Multiple, &Answer::Choices(vec![0, 2])));
    assert_eq!(q[2].answer, Answer::TrueFalse(true));
    assert_eq!(q[3].answer, Answer::TrueFalse(false));
    assert_eq!(q[4].answer, Answer::Blanks(vec![vec!["Paris".into(), "巴黎".into()]]));
    assert_eq!(q[5].answer, Answer::Reference("Blue, mostly.".into()));
    assert_eq!(notes(&p), vec![(5, vec![msg::NOTE_TRUE_FALSE_LETTER.to_string()])]);
    assert_eq!(
        p.errors,
        vec![
            LineError { stem: "Pick one".into(), ..LineError::new(8, "答案中的选项 C 不存在") },
            LineError::new(9, "未知题型「matching」（可填：单选、多选、判断、填空、简答）"),
        ]
    );
    assert!(p.recognised.contains(&msg::RECOGNISED_ENGLISH_HEADER.to_string()), "{:?}", p.recognised);
    assert!(p
        .recognised
        .contains(&"题型写作「single」「MULTI」「TF」「judge」「fill」「Essay」「radio」".to_string()));
    assert!(p.recognised.contains(&msg::RECOGNISED_TRUE_FALSE_LETTERS.to_string()));
}

#[test]
fn options_in_one_cell() {
    let t = table(&[
        &["题干", "选项", "答案"],
        &["甲？", "A.一|B.二|C.三", "B"],
        &["乙？", "A、一；B、二；C、三", "AC"],
        &["丙？", "A.一 B.二", "A"],
        &["丁？", "一\n二\n三", "C"],
        &["戊？", "A. 一\nB. 二", "B"],
        &["己？", "一|二", "A"],
        &["庚？", "一&二&三", "C"],
        &["辛？", "（A）一，（B）二", "B"],
        &["壬？", "只有一个", "A"],
        &["癸？", "", "对"],
    ]);
    let p = parse(&t);
    let got: Vec<(usize, Vec<&str>, &Answer)> = p
        .items
        .iter()
        .map(|i| (i.line, i.question.options.iter().map(String::as_str).collect(), &i.question.answer))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, vec!["一", "二", "三"], &Answer::Choices(vec![1])),
            (3, vec!["一", "二", "三"], &Answer::Choices(vec![0, 2])),
            (4, vec!["一", "二"], &Answer::Choices(vec![0])),
            (5, vec!["一", "二", "三"], &Answer::Choices(vec![2])),
            (6, vec!["一", "二"], &Answer::Choices(vec![1])),
            (7, vec!["一", "二"], &Answer::Choices(vec![0])),
            (8, vec!["一", "二", "三"], &Answer::Choices(vec![2])),
            (9, vec!["一", "二"], &Answer::Choices(vec![1])),
            (11, vec![], &Answer::TrueFalse(true)),
        ]
    );
    assert_eq!(p.items[1].question.kind, Kind::Multiple);
    assert_eq!(p.errors, vec![LineError::new(10, msg::sheet_options_unsplit(1))]);
    assert_eq!(
        p.recognised,
        vec![
            msg::RECOGNISED_KIND_FROM_ANSWER,
            "选项在同一格（A. B. 标号）",
            "选项在同一格（换行分隔）",
            "选项在同一格（「|」分隔）",
            "选项在同一格（「&」分隔）",
        ]
    );
}

#[test]
fn a_second_column_for_one_field_is_reported() {
    let t = table(&[
        &["题干", "答案", "正确答案", "选项A", "选项B", "选项"],
        &["甲？", "A", "B", "一", "二", "A.一|B.二"],
        &["乙？", "B", "", "一", "二", ""],
    ]);
    let p = parse(&t);
    assert_eq!(
        p.items.iter().map(|i| &i.question.answer).collect::<Vec<_>>(),
        vec![&Answer::Choices(vec![0]), &Answer::Choices(vec![1])]
    );
    assert_eq!(
        p.warnings,
        vec![
            LineError::new(1, msg::sheet_duplicate_column("正确答案", "答案")),
            LineError::new(1, msg::sheet_duplicate_column("选项", "选项A")),
        ]
    );
}

#[test]
fn true_false_answers_and_their_options() {
    let t = table(&[
        &["题型", "题干", "选项A", "选项B", "答案"],
        &["判断", "甲", "错误", "正确", "A"],
        &["判断", "乙", "正确", "错误", "A"],
        &["判断", "丙", "", "", "A"],
        &["判断", "丁", "", "", "b"],
        &["判断", "戊", "", "", "正确"],
        &["判断", "己", "", "", "F"],
        &["判断", "庚", "甲", "乙", "A"],
        &["判断", "辛", "", "", "C"],
        &["判断", "壬", "", "", ""],
    ]);
    let p = parse(&t);
    let got: Vec<(usize, &Answer, usize)> =
        p.items.iter().map(|i| (i.line, &i.question.answer, i.question.options.len())).collect();
    assert_eq!(
        got,
        vec![
            (2, &Answer::TrueFalse(false), 0),
            (3, &Answer::TrueFalse(true), 0),
            (4, &Answer::TrueFalse(true), 0),
            (5, &Answer::TrueFalse(false), 0),
            (6, &Answer::TrueFalse(true), 0),
            (7, &Answer::TrueFalse(false), 0),
        ]
    );
    assert_eq!(
        notes(&p),
        vec![
            (4, vec![msg::NOTE_TRUE_FALSE_LETTER.to_string()]),
            (5, vec![msg::NOTE_TRUE_FALSE_LETTER.to_string()])
        ]
    );
    assert_eq!(
        p.errors,
        vec![
            LineError::new(8, msg::SHEET_TRUE_FALSE_OPTIONS),
            LineError::new(9, msg::sheet_true_false_answer("C")),
            LineError::new(10, msg::SHEET_ANSWER_EMPTY),
        ]
    );
}

#[test]
fn the_per_option_sheet_below_a_title_row() {
    let t = table(&[
        &["试题导入模板（请勿修改表头）"],
        &["题目序号", "题目类型", "题目内容", "整体解析", "是否正确项", "选项内容", "题目图片"],
        &["1", "3", "欠费可以携转。", "", "0", "正确", "a.png"],
        &["1", "3", "", "", "1", "错误", ""],
        &["2", "判断题", "判断的正确项不是对错", "", "1", "甲", ""],
        &["2", "判断题", "", "", "0", "乙", ""],
    ]);
    let p = parse(&t);
    assert_eq!(p.items.len(), 1);
    assert_eq!((p.items[0].line, &p.items[0].question.answer), (3, &Answer::TrueFalse(false)));
    assert_eq!(p.errors, vec![LineError::new(5, msg::sheet_true_false_answer("甲"))]);
    assert_eq!(p.warnings, vec![LineError::new(2, "未识别的列「题目图片」，其内容不会导入")]);
    assert_eq!(p.recognised, vec!["表头在第2行（上方为标题行）", msg::RECOGNISED_PER_OPTION_ROWS]);
}

#[test]
fn header_names_in_their_many_spellings() {
    use header::{field_of, Field};
    for (name, want) in [
        ("题干", Some((Field::Stem, false))),
        (" *题目内容 ", Some((Field::Stem, false))),
        ("题干（必填）", Some((Field::Stem, false))),
        ("QUESTION", Some((Field::Stem, true))),
        ("选项A", Some((Field::Option(0), false))),
        ("选项 b", Some((Field::Option(1), false))),
        ("选项（C）", Some((Field::Option(2), false))),
        ("选项3", Some((Field::Option(2), false))),
        ("D", Some((Field::Option(3), false))),
        ("Option E", Some((Field::Option(4), true))),
        ("optionF", Some((Field::Option(5), true))),
        ("option_8", Some((Field::Option(7), true))),
        ("选项I", None),
        ("1", None),
        ("Options", Some((Field::Options, true))),
        ("序号", Some((Field::Number, false))),
        ("ID", Some((Field::Number, false))),
        ("分值(分)", Some((Field::Points, false))),
        ("出题人", None),
    ] {
        assert_eq!(field_of(name), want, "{name}");
    }
}

#[test]
fn type_names_and_codes() {
    use cells::{kind_name, KindName};
    for (name, want) in [
        ("单项选择题", Some(KindName::Is(Kind::Single))),
        ("Radio", Some(KindName::Is(Kind::Single))),
        ("multi", Some(KindName::Is(Kind::Multiple))),
        ("不定项选择题", Some(KindName::ByAnswerCount)),
        ("true_false", Some(KindName::Is(Kind::TrueFalse))),
        ("True False", Some(KindName::Is(Kind::TrueFalse))),
        ("是非题", Some(KindName::Is(Kind::TrueFalse))),
        ("blanks", Some(KindName::Is(Kind::Blanks))),
        ("主观题", Some(KindName::Is(Kind::Essay))),
        ("SHORT", Some(KindName::Is(Kind::Essay))),
        ("问答x", None),
    ] {
        assert_eq!(kind_name(name), want, "{name}");
    }
}

#[test]
fn one_cell_of_options_split_by_what_it_uses() {
    use cells::{split_options, Split};
    let split = |t: &str| {
        let (o, how) = split_options(t);
        (o.join("/"), how)
    };
    assert_eq!(split("A.一|B.二|"), ("一/二".into(), Split::Labels));
    assert_eq!(split("Ａ．一　Ｂ．二"), ("一/二".into(), Split::Labels));
    assert_eq!(split("A:5G B:4G C:3G"), ("5G/4G/3G".into(), Split::Labels));
    // A label must follow a separator: "B.2" inside an option is text.
    assert_eq!(split("A.版本B.2|B.版本C"), ("版本B.2/版本C".into(), Split::Labels));
    // Labels out of order are not labels.
    assert_eq!(split("A.一|C.三"), ("A.一/C.三".into(), Split::Bars));
    assert_eq!(split("R&D"), ("R/D".into(), Split::Ampersands));
    assert_eq!(split("一"), ("一".into(), Split::None));
    assert_eq!(split("  "), ("".into(), Split::None));
}

#[test]
fn per_option_correct_flags_in_their_spellings_or_an_error() {
    let t = table(&[
        &["题目序号", "题目类型", "题目内容", "是否正确项", "选项内容"],
        &["1", "单选题", "甲？", "√", "一"],
        &["1", "单选题", "", "", "二"],
        &["2", "不定项", "乙？", "是", "一"],
        &["2", "不定项", "", "对", "二"],
        &["2", "不定项", "", "否", "三"],
        &["3", "1", "丙？", "正解", "一"],
        &["3", "1", "", "0", "二"],
    ]);
    let p = parse(&t);
    let got: Vec<(usize, Kind, &Answer)> =
        p.items.iter().map(|i| (i.line, i.question.kind, &i.question.answer)).collect();
    assert_eq!(
        got,
        vec![(2, Kind::Single, &Answer::Choices(vec![0])), (4, Kind::Multiple, &Answer::Choices(vec![0, 1]))]
    );
    assert_eq!(p.errors, vec![LineError::new(7, msg::sheet_correct_flag("正解"))]);
}
