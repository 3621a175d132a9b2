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
    assert_eq!(p.errors, vec![LineError::new(9, "单选题有2个正确答案")]);
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
    let (_, errors) = (0, parse(&table(&[&["题干", "答案"]])).errors);
    assert!(errors[0].message.contains("缺少列「题型」"));
}

#[test]
fn the_template_round_trips_every_type() {
    let text = "1.【单选】甲？\nA. 一\nB. 二\n【答案】B\n【分值】1.5\n2.【多选】乙？\nA. 一\nB. 二\nC. 三\n【答案】AC\n【解析】因为\n3. 丙。\n【答案】正确\n4. 丁（ ）和（ ）。\n【答案】(x|y)(z)\n5. 戊？\n【参考答案】要点\n【知识点】a、b\n";
    let original: Vec<Question> =
        super::super::text::parse(text).items.into_iter().map(|i| i.question).collect();
    assert_eq!(original.len(), 5);
    let bytes = write_xlsx(&original).unwrap();
    let table = crate::roster::parse::read_table("bank.xlsx", &bytes).unwrap();
    let back: Vec<Question> = parse(&table).items.into_iter().map(|i| i.question).collect();
    assert_eq!(back, original);
}
