use super::*;
use crate::bank::question::{Answer, Channel, Kind};

const SAMPLE: &str = "\
2026年11月 营业厅月考题库
// 注释行
# 资费与套餐/5G套餐

1.【单选】客户办理5G套餐变更，新套餐一般从什么时候开始生效？
A. 立即生效
B. 次月1日生效
C. 次日生效
D. 下一个账期结束后生效
【答案】B
【解析】套餐变更一般次月生效，
当月按原套餐计费。
【分值】1.5
【难度】较易
【知识点】套餐变更、生效规则
【渠道】营业厅

2、以下哪些证件可用于个人客户实名登记？（多选）
A、居民身份证  B、临时居民身份证
C、户口簿\tD、学生证
【答案】A、B、C

(3) 携号转网前须先查询（  ），并确认号码已在网满（  ）天。
【答案】(授权码|携转授权码)（120）

（4）客户未结清欠费也可以办理携号转网。
【答案】错

5. 请简述首问负责制的要求。
【参考答案】第一位接待客户的员工负责到底。
【分类】业务办理规范与服务用语
";

#[test]
fn reads_every_type_and_field() {
    let p = parse(SAMPLE);
    assert_eq!(p.errors, vec![]);
    assert_eq!(p.items.len(), 5);
    let q1 = &p.items[0];
    assert_eq!(q1.line, 5);
    assert_eq!(q1.question.kind, Kind::Single);
    assert_eq!(q1.question.options.len(), 4);
    assert_eq!(q1.question.answer, Answer::Choices(vec![1]));
    assert_eq!(q1.question.explanation, "套餐变更一般次月生效，\n当月按原套餐计费。");
    assert_eq!((q1.question.points, q1.question.difficulty), (150, 2));
    assert_eq!(q1.question.channel, Channel::Hall);
    assert_eq!(q1.question.category, "资费与套餐/5G套餐");
    assert_eq!(q1.question.knowledge_points, vec!["套餐变更", "生效规则"]);
    let q2 = &p.items[1].question;
    assert_eq!(q2.kind, Kind::Multiple);
    assert_eq!(q2.stem, "以下哪些证件可用于个人客户实名登记？");
    assert_eq!(q2.options, vec!["居民身份证", "临时居民身份证", "户口簿", "学生证"]);
    assert_eq!(q2.answer, Answer::Choices(vec![0, 1, 2]));
    assert_eq!(q2.points, 200);
    let q3 = &p.items[2].question;
    assert_eq!(q3.kind, Kind::Blanks);
    assert_eq!(
        q3.answer,
        Answer::Blanks(vec![vec!["授权码".into(), "携转授权码".into()], vec!["120".into()]])
    );
    assert_eq!(p.items[3].question.answer, Answer::TrueFalse(false));
    let q5 = &p.items[4].question;
    assert_eq!(q5.kind, Kind::Essay);
    assert_eq!(q5.answer, Answer::Reference("第一位接待客户的员工负责到底。".into()));
    assert_eq!(q5.category, "业务办理规范与服务用语");
    assert_eq!(q5.points, 500);
}

#[test]
fn every_mistake_is_reported_with_its_line() {
    let text = "\
1.【单选】两个答案的单选
A. 甲
B. 乙
【答案】AB
2. 答案不存在的选项
A. 甲
B. 乙
【答案】E
3. 跳过了选项
A. 甲
C. 丙
【答案】A
4.【判断】判断题却有选项
A. 甲
B. 乙
【答案】正确
5. 没有答案的选择题
A. 甲
B. 乙
6. 无法识别的答案
A. 甲
B. 乙
【答案】甲乙
7. 难度和渠道都不对
A. 甲
B. 乙
【答案】A
【难度】9
【渠道】门店
【备注】未知标签
8. 分值不对
【答案】正确
【分值】1.234
";
    let p = parse(text);
    let got: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.line, e.message.as_str())).collect();
    let want_parts: &[(usize, &str)] = &[
        // Errors about the answer point at its line.
        (4, "单选题有2个正确答案"),
        (8, "答案中的选项 E 不存在"),
        (11, "选项缺少 B"),
        (13, "判断题不能有选项"),
        (17, "缺少【答案】"),
        (23, "无法识别的答案「甲乙」"),
        (28, "难度应为 1–5"),
        (29, "未知渠道「门店」"),
        (33, "分值「1.234」无效"),
    ];
    assert_eq!(got.len(), want_parts.len(), "{got:?}");
    for ((line, message), (want_line, want)) in got.iter().zip(want_parts) {
        assert_eq!(line, want_line, "{message}");
        assert!(message.contains(want), "{message} / {want}");
    }
    assert!(p.items.is_empty(), "nothing half-right gets in: {:?}", p.items);
    assert_eq!(p.errors[0].stem, "两个答案的单选", "the error names its question");
    assert_eq!(
        p.warnings.iter().map(|w| w.line).collect::<Vec<_>>(),
        vec![30],
        "an unknown tag is kept and said"
    );
}

#[test]
fn numbered_points_in_explanations_and_reference_answers_stay_there() {
    let text = "\
1. 简述首问负责制。
【参考答案】
1、第一位接待客户的员工负责到底；
2、不推诿。
2.【判断】补卡须本人办理。
【答案】正确
【解析】原因：
1. 实名制要求
2. 防止盗号
3. 副卡最多几张？
A. 1
B. 3
【答案】B
4.【填空】客户说（ ）时应致谢。
【答案】对
";
    let p = parse(text);
    assert_eq!(p.errors, vec![]);
    assert_eq!(p.items.len(), 4);
    assert_eq!(
        p.items[0].question.answer,
        Answer::Reference("1、第一位接待客户的员工负责到底；\n2、不推诿。".into())
    );
    assert_eq!(p.items[1].question.explanation, "原因：\n1. 实名制要求\n2. 防止盗号");
    assert_eq!(p.items[2].line, 10);
    assert_eq!(p.items[3].question.answer, Answer::Blanks(vec![vec!["对".into()]]));
}

#[test]
fn numbers_inside_text_do_not_start_questions() {
    let p = parse("1. 资费说明如下：\n1.5元/分钟的长途资费已取消\n5G套餐包含流量\n【答案】正确\n");
    assert_eq!(p.errors, vec![]);
    assert_eq!(p.items.len(), 1);
    assert_eq!(p.items[0].question.stem, "资费说明如下：\n1.5元/分钟的长途资费已取消\n5G套餐包含流量");
}

#[test]
fn written_text_reads_back_the_same() {
    let p = parse(SAMPLE);
    let again = parse(&write(&p.items.iter().map(|i| i.question.clone()).collect::<Vec<_>>()));
    assert_eq!(again.errors, vec![]);
    let a: Vec<_> = p.items.iter().map(|i| &i.question).collect();
    let b: Vec<_> = again.items.iter().map(|i| &i.question).collect();
    assert_eq!(a, b);
}

/// Banks written in each convention trainers use, read back: the same
/// number of questions, each with its type, stem, options and answer — or a
/// line-numbered problem, never a silent difference.
mod conventions {
    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Q {
        Single { stem: String, options: Vec<String>, answer: usize },
        Multiple { stem: String, options: Vec<String>, answer: Vec<usize> },
        TrueFalse { stem: String, answer: bool },
        Blanks { stem: String, answers: Vec<String> },
        Essay { stem: String, items: Vec<String>, reference: Vec<String> },
    }

    impl Q {
        fn kind(&self) -> Kind {
            match self {
                Q::Single { .. } => Kind::Single,
                Q::Multiple { .. } => Kind::Multiple,
                Q::TrueFalse { .. } => Kind::TrueFalse,
                Q::Blanks { .. } => Kind::Blanks,
                Q::Essay { .. } => Kind::Essay,
            }
        }
    }

    fn text() -> impl Strategy<Value = String> {
        // Stems that start with digits and letters are the hard case (5G…, 10086…, 4G…).
        (
            prop::sample::select(vec!["", "5G", "4G", "10086", "2.5G", "A类", "VIP", "3个月内"]),
            "[营业厅客户套餐办理携号转网流量宽带]{2,12}",
        )
            .prop_map(|(lead, body)| format!("{lead}{body}"))
    }

    fn question() -> impl Strategy<Value = Q> {
        let options = prop::collection::btree_set("[甲乙丙丁戊己庚辛]{1,3}[元天个月]", 2..6)
            .prop_map(|s| s.into_iter().collect::<Vec<_>>());
        let words = || prop::collection::vec("[营业厅客户套餐流量]{2,6}", 1..4);
        prop_oneof![
            (text(), options.clone(), 0usize..6).prop_map(|(stem, options, a)| {
                let answer = a % options.len();
                Q::Single { stem, options, answer }
            }),
            (text(), options, prop::collection::btree_set(0usize..6, 2..4)).prop_filter_map(
                "two correct options",
                |(stem, options, picks)| {
                    let answer: Vec<usize> = picks.into_iter().filter(|i| *i < options.len()).collect();
                    (answer.len() >= 2).then_some(Q::Multiple { stem, options, answer })
                }
            ),
            (text(), any::<bool>()).prop_map(|(stem, answer)| Q::TrueFalse { stem, answer }),
            (text(), prop::collection::vec("[甲乙丙丁0-9]{1,4}", 1..3))
                .prop_map(|(stem, answers)| Q::Blanks { stem, answers }),
            (text(), prop::collection::vec("[客户营业员班长]{2,8}", 0..3), words())
                .prop_map(|(stem, items, reference)| Q::Essay { stem, items, reference }),
        ]
    }

    #[derive(Debug, Clone)]
    struct Style {
        number: usize,
        answer_line: usize,
        option_label: usize,
        one_line: bool,
        tf: usize,
        blank_lines: bool,
        headings: bool,
        stem_answers: bool,
        explanations: bool,
    }

    fn style() -> impl Strategy<Value = Style> {
        (
            (0usize..6, 0usize..7, 0usize..6, any::<bool>(), 0usize..3),
            (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        )
            .prop_map(
                |(
                    (number, answer_line, option_label, one_line, tf),
                    (blank_lines, headings, stem_answers, explanations),
                )| Style {
                    number,
                    answer_line,
                    option_label,
                    one_line,
                    tf,
                    blank_lines,
                    headings,
                    stem_answers,
                    explanations,
                },
            )
    }

    /// Sub-items of a 简答: （1） unless the questions are numbered so, then ①.
    fn sub_item(s: &Style, j: usize) -> String {
        if s.number == 3 {
            char::from_u32(0x2460 + j as u32).map(String::from).unwrap_or_default()
        } else {
            format!("（{}）", j + 1)
        }
    }

    fn write_bank(questions: &[Q], s: &Style) -> String {
        let number = |n: usize| match s.number {
            0 => format!("{n}. "),
            1 => format!("{n}、"),
            2 => format!("{n}．"),
            3 => format!("（{n}）"),
            4 => format!("{n}) "),
            _ => format!("第{n}题 "),
        };
        let answer_line = |a: &str| {
            let prefix = ["【答案】", "答案：", "参考答案：", "正确答案：", "标准答案：", "答案:", "【答】"];
            format!("{}{a}", prefix[s.answer_line])
        };
        let label = |i: usize| {
            let l = (b'A' + i as u8) as char;
            match s.option_label {
                0 => format!("{l}. "),
                1 => format!("{l}、"),
                2 => format!("{l}．"),
                3 => format!("({l})"),
                4 => format!("{l}) "),
                _ => format!("{}．", char::from_u32(l as u32 + 0xfee0).unwrap()),
            }
        };
        let heading = |k: Kind| match k {
            Kind::Single => "一、单项选择题（每题1分）",
            Kind::Multiple => "二、多项选择题",
            Kind::TrueFalse => "【判断题】",
            Kind::Blanks => "四、填空题",
            Kind::Essay => "五、简答题",
        };
        let letters = |a: &[usize]| a.iter().map(|i| (b'A' + *i as u8) as char).collect::<String>();
        let mut out = String::from("营业厅业务知识题库\n\n");
        let mut n = 0;
        let mut last_kind = None;
        for q in questions {
            if s.headings && last_kind != Some(q.kind()) {
                out.push_str(heading(q.kind()));
                out.push('\n');
                n = 0;
                last_kind = Some(q.kind());
            }
            n += 1;
            match q {
                Q::Single { stem, options, .. } | Q::Multiple { stem, options, .. } => {
                    let picks = match q {
                        Q::Single { answer, .. } => letters(&[*answer]),
                        Q::Multiple { answer, .. } => letters(answer),
                        _ => String::new(),
                    };
                    if s.stem_answers {
                        out.push_str(&format!("{}{stem}（ {picks} ）\n", number(n)));
                    } else {
                        out.push_str(&format!("{}{stem}\n", number(n)));
                    }
                    let labelled: Vec<String> =
                        options.iter().enumerate().map(|(j, o)| format!("{}{o}", label(j))).collect();
                    out.push_str(&labelled.join(if s.one_line { "  " } else { "\n" }));
                    out.push('\n');
                    if !s.stem_answers {
                        out.push_str(&format!("{}\n", answer_line(&picks)));
                    }
                }
                Q::TrueFalse { stem, answer } => match s.tf {
                    0 => out.push_str(&format!(
                        "{}{stem}\n{}\n",
                        number(n),
                        answer_line(if *answer { "对" } else { "错" })
                    )),
                    1 => out.push_str(&format!(
                        "{}{stem}。（{}）\n",
                        number(n),
                        if *answer { "√" } else { "×" }
                    )),
                    _ => out.push_str(&format!(
                        "{}{stem}\n{}正确  {}错误\n{}\n",
                        number(n),
                        label(0),
                        label(1),
                        answer_line(if *answer { "A" } else { "B" })
                    )),
                },
                Q::Blanks { stem, answers } => {
                    out.push_str(&format!("{}{stem}{}\n", number(n), "（ ）".repeat(answers.len())));
                    out.push_str(&format!("{}\n", answer_line(&answers.join("；"))));
                }
                Q::Essay { stem, items, reference } => {
                    out.push_str(&format!("{}{stem}\n", number(n)));
                    for (j, item) in items.iter().enumerate() {
                        out.push_str(&format!("{}{item}\n", sub_item(s, j)));
                    }
                    out.push_str("参考答案：\n");
                    for (j, r) in reference.iter().enumerate() {
                        out.push_str(&format!("{}、{r}\n", j + 1));
                    }
                }
            }
            if s.explanations && !matches!(q, Q::Essay { .. }) {
                out.push_str("解析：依据营业厅业务规范。\n");
            }
            if s.blank_lines {
                out.push('\n');
            }
        }
        out
    }

    fn expected(q: &Q, s: &Style) -> (Kind, String, Vec<String>, Answer) {
        match q {
            Q::Single { stem, options, answer } => {
                let stem = if s.stem_answers { format!("{stem}（  ）") } else { stem.clone() };
                (Kind::Single, stem, options.clone(), Answer::Choices(vec![*answer]))
            }
            Q::Multiple { stem, options, answer } => {
                let stem = if s.stem_answers { format!("{stem}（  ）") } else { stem.clone() };
                (Kind::Multiple, stem, options.clone(), Answer::Choices(answer.clone()))
            }
            Q::TrueFalse { stem, answer } => {
                let stem = if s.tf == 1 { format!("{stem}。（  ）") } else { stem.clone() };
                (Kind::TrueFalse, stem, vec![], Answer::TrueFalse(*answer))
            }
            Q::Blanks { stem, answers } => (
                Kind::Blanks,
                format!("{stem}{}", "（ ）".repeat(answers.len())),
                vec![],
                Answer::Blanks(answers.iter().map(|a| vec![a.clone()]).collect()),
            ),
            Q::Essay { stem, items, reference } => {
                let mut full = stem.clone();
                for (j, item) in items.iter().enumerate() {
                    full.push_str(&format!("\n{}{item}", sub_item(s, j)));
                }
                let r: Vec<String> =
                    reference.iter().enumerate().map(|(j, r)| format!("{}、{r}", j + 1)).collect();
                (Kind::Essay, full, vec![], Answer::Reference(r.join("\n")))
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
        #[test]
        fn every_convention_reads_back_exactly(questions in prop::collection::vec(question(), 1..12), s in style()) {
            let file = write_bank(&questions, &s);
            let p = parse(&file);
            prop_assert_eq!(&p.errors, &vec![], "{}", file);
            prop_assert_eq!(p.items.len(), questions.len(), "{}", file);
            for (item, q) in p.items.iter().zip(&questions) {
                let got = &item.question;
                let (kind, stem, options, answer) = expected(q, &s);
                prop_assert_eq!((got.kind, &got.stem, &got.options, &got.answer), (kind, &stem, &options, &answer), "{}", file);
            }
        }
    }
}
