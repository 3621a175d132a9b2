use super::*;
use crate::bank::question::Kind;

fn question(kind: Kind, stem: &str, options: &[&str], answer: Answer) -> Question {
    Question {
        kind,
        stem: stem.into(),
        options: options.iter().map(|o| o.to_string()).collect(),
        answer,
        explanation: String::new(),
        points: kind.default_points(),
        difficulty: 3,
        channel: Channel::General,
        category: String::new(),
        knowledge_points: vec![],
        source: String::new(),
    }
}

fn lines(list: &[LineError]) -> Vec<(usize, &str)> {
    list.iter().map(|e| (e.line, e.message.as_str())).collect()
}

const SAMPLE: &str = "\
// 2026年11月 营业厅月考
// question: 1  name: q1

$CATEGORY: $course$/top/资费与套餐/5G套餐

::q1::客户办理5G套餐变更，新套餐一般从什么时候开始生效？{
  =次月1日生效#对
  ~立即生效#不对
  ~次日生效
  ####套餐变更一般次月生效。
}

::q2:: 以下哪些证件可用于
个人客户实名登记？ {
  ~%50%居民身份证
  ~%50%临时居民身份证
  ~%-100%学生证
}

客户未结清欠费也可以办理携号转网。{F}

5G 消息需要开通\\: 是否收费\\? {TRUE#答错了#答对了####免费。}

携号转网前须先查询 {=授权码 =携转授权码 =%50%验证码} 。

携号转网前须先查询什么？{=授权码 =携转授权码}

$CATEGORY: $course$/服务规范
// [id:x7] [tag:首问负责] [tag: 服务 ]
请简述首问负责制的要求。{}

客户的副卡{~立即 =次月} 生效。

[html]<p>携号转网前应先获取<b>什么</b>？</p>{=<p>授权码&amp;短信</p> ~验证码}

转义\\{\\}\\=\\~\\#\\\\ 正常{T}
";

#[test]
fn reads_every_supported_type() {
    let p = parse(SAMPLE);
    assert_eq!(p.errors, vec![]);
    assert_eq!(p.skipped, vec![]);
    let got: Vec<(usize, Kind)> = p.items.iter().map(|i| (i.line, i.question.kind)).collect();
    assert_eq!(
        got,
        vec![
            (6, Kind::Single),
            (13, Kind::Multiple),
            (20, Kind::TrueFalse),
            (22, Kind::TrueFalse),
            (24, Kind::Blanks),
            (26, Kind::Blanks),
            (30, Kind::Essay),
            (32, Kind::Single),
            (34, Kind::Single),
            (36, Kind::TrueFalse),
        ]
    );
    let q: Vec<&Question> = p.items.iter().map(|i| &i.question).collect();
    assert_eq!(q[0].stem, "客户办理5G套餐变更，新套餐一般从什么时候开始生效？");
    assert_eq!(q[0].options, vec!["次月1日生效", "立即生效", "次日生效"]);
    assert_eq!(q[0].answer, Answer::Choices(vec![0]));
    assert_eq!(q[0].explanation, "套餐变更一般次月生效。");
    assert_eq!(q[0].category, "资费与套餐/5G套餐");
    assert_eq!((q[0].points, q[0].difficulty, q[0].channel), (100, 3, Channel::General));
    assert_eq!(q[1].stem, "以下哪些证件可用于\n个人客户实名登记？");
    assert_eq!(q[1].answer, Answer::Choices(vec![0, 1]));
    assert_eq!(q[1].points, 200);
    assert_eq!(q[2].answer, Answer::TrueFalse(false));
    assert_eq!(q[3].stem, "5G 消息需要开通: 是否收费\\?");
    assert_eq!((&q[3].answer, q[3].explanation.as_str()), (&Answer::TrueFalse(true), "免费。"));
    assert_eq!(q[4].stem, "携号转网前须先查询 （  ） 。");
    assert_eq!(q[4].answer, Answer::Blanks(vec![vec!["授权码".into(), "携转授权码".into()]]));
    assert_eq!(q[5].stem, "携号转网前须先查询什么？");
    assert_eq!(q[5].answer, q[4].answer);
    assert_eq!(q[6].category, "服务规范");
    assert_eq!(q[6].answer, Answer::Reference(String::new()));
    assert_eq!(q[6].knowledge_points, vec!["首问负责", "服务"]);
    assert_eq!(q[6].points, 500);
    assert_eq!(q[7].stem, "客户的副卡（  ） 生效。");
    assert_eq!(q[7].answer, Answer::Choices(vec![1]));
    assert_eq!(q[8].stem, "携号转网前应先获取什么？");
    assert_eq!(q[8].options, vec!["授权码&短信", "验证码"]);
    assert_eq!(q[9].stem, "转义{}=~#\\ 正常");
}

#[test]
fn what_examhall_cannot_hold_is_skipped_with_its_line() {
    let text = "\
配对：{
  =北京 -> 京
  =上海 -> 沪
}

圆周率是？{#3.14:0.01}

只是一段说明文字，没有答案。

::partial:: 部分得分{=对 ~%50%半对 ~错}

部分多选{~%50%甲 ~%30%乙 ~丙}

这道正常。{T}
";
    let p = parse(text);
    assert_eq!(p.errors, vec![]);
    assert_eq!(
        lines(&p.skipped),
        vec![
            (1, "题型「配对」无法导入，已跳过"),
            (6, "题型「数值」无法导入，已跳过"),
            (8, msg::GIFT_DESCRIPTION_SKIPPED),
        ]
    );
    // Partial credit is imported as what examhall can grade, and said.
    let got: Vec<(usize, Kind, &Answer)> =
        p.items.iter().map(|i| (i.line, i.question.kind, &i.question.answer)).collect();
    assert_eq!(
        got,
        vec![
            (10, Kind::Single, &Answer::Choices(vec![0])),
            (12, Kind::Multiple, &Answer::Choices(vec![0, 1])),
            (14, Kind::TrueFalse, &Answer::TrueFalse(true)),
        ]
    );
    assert_eq!(
        lines(&p.warnings),
        vec![
            (10, msg::partial_choice_dropped("「半对」50%").as_str()),
            (12, msg::weighted_multiple("「甲」50%、「乙」30%、「丙」0%").as_str()),
        ]
    );
}

#[test]
fn partial_credit_in_short_answers_keeps_the_full_credit_ones_and_says_so() {
    let text = "\
携号转网简称 {=%50%携转 =%100%携号转网 =%0%转网}

携号转网简称 {=携号转网 =%0%携转 =%-50%携号}

三个都对 {=%33.33333%甲 =乙 =%50%丙 =%25%丁}

两空（  ）和（  ）。{=甲 =%50%乙}{=丙 =%10%丁}

只有部分得分 {=%50%甲 =%20%乙}
";
    let p = parse(text);
    let answers: Vec<(usize, &Answer)> = p.items.iter().map(|i| (i.line, &i.question.answer)).collect();
    let blank = |a: &[&str]| vec![a.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    assert_eq!(
        answers,
        vec![
            (1, &Answer::Blanks(blank(&["携号转网"]))),
            (3, &Answer::Blanks(blank(&["携号转网"]))),
            (5, &Answer::Blanks(blank(&["乙"]))),
            (7, &Answer::Blanks(vec![vec!["甲".into()], vec!["丙".into()]])),
        ]
    );
    assert_eq!(
        lines(&p.warnings),
        vec![
            (1, msg::partial_short_dropped("「携转」50%").as_str()),
            (5, msg::partial_short_dropped("「甲」33.33%、「丙」50%、「丁」25%").as_str()),
            (7, msg::partial_short_dropped("「乙」50%").as_str()),
            (7, msg::partial_short_dropped("「丁」10%").as_str()),
        ]
    );
    assert_eq!(lines(&p.errors), vec![(9, msg::XML_NO_CORRECT_ANSWER)]);
    assert_eq!(p.skipped, vec![]);
}

#[test]
fn wildcards_are_refused_unless_escaped() {
    let text = "\
以携号开头的都算对 {=携号*}

乘法写作 {=5\\*3 =五乘三}

部分得分的通配符 {=携号转网 =%50%携*}

兜底的通配符 {=携号转网 =%0%*#再想想}

两空之一有通配符 {=甲} 和 {=*乙}

选择题里的星号不是通配符 {=5*3 ~8}
";
    let p = parse(text);
    assert_eq!(lines(&p.skipped), vec![(1, msg::WILDCARD_SKIPPED), (9, msg::WILDCARD_SKIPPED)]);
    let answers: Vec<(usize, &Answer)> = p.items.iter().map(|i| (i.line, &i.question.answer)).collect();
    assert_eq!(
        answers,
        vec![
            (3, &Answer::Blanks(vec![vec!["5*3".into(), "五乘三".into()]])),
            (5, &Answer::Blanks(vec![vec!["携号转网".into()]])),
            (7, &Answer::Blanks(vec![vec!["携号转网".into()]])),
            (11, &Answer::Choices(vec![0])),
        ]
    );
    assert_eq!(p.items[3].question.options, vec!["5*3", "8"]);
    assert_eq!(lines(&p.warnings), vec![(5, msg::partial_short_dropped("「携*」50%").as_str())]);
    assert_eq!(p.errors, vec![]);
}

#[test]
fn weighted_choices_import_as_what_examhall_grades_and_say_what_differs() {
    let text = "\
Moodle 写法的多选 {~%33.33333%甲 ~%33.33333%乙 ~%33.33333%丙 ~%-100%丁}

错选不扣分 {~%50%甲 ~%50%乙 ~丙}

各自满分 {~%100%甲 ~%100%乙 ~%-100%丙}

任选其一 {=甲 =乙 ~丙}

任选其一另有部分得分 {=甲 =乙 ~%50%丙}

只有一个满分的复选 {~%100%甲 ~乙}

只有一个部分得分 {~%50%甲 ~乙}

等号也只是部分得分 {=%50%甲 ~乙}

都不得分 {~甲 ~%-50%乙}
";
    let p = parse(text);
    let got: Vec<(usize, Kind, &Answer)> =
        p.items.iter().map(|i| (i.line, i.question.kind, &i.question.answer)).collect();
    assert_eq!(
        got,
        vec![
            (1, Kind::Multiple, &Answer::Choices(vec![0, 1, 2])),
            (3, Kind::Multiple, &Answer::Choices(vec![0, 1])),
            (5, Kind::Multiple, &Answer::Choices(vec![0, 1])),
            (7, Kind::Multiple, &Answer::Choices(vec![0, 1])),
            (9, Kind::Multiple, &Answer::Choices(vec![0, 1])),
            (11, Kind::Single, &Answer::Choices(vec![0])),
        ]
    );
    assert_eq!(
        lines(&p.warnings),
        vec![
            (3, msg::weighted_multiple("「甲」50%、「乙」50%、「丙」0%").as_str()),
            (5, msg::weighted_multiple("「甲」100%、「乙」100%、「丙」-100%").as_str()),
            (7, msg::ANY_OF_SEVERAL),
            (9, msg::ANY_OF_SEVERAL),
            (9, msg::partial_choice_dropped("「丙」50%").as_str()),
        ]
    );
    assert_eq!(lines(&p.skipped), vec![(13, msg::PARTIAL_ONLY_SKIPPED), (15, msg::PARTIAL_ONLY_SKIPPED)]);
    assert_eq!(lines(&p.errors), vec![(17, msg::XML_NO_CORRECT_ANSWER)]);
}

#[test]
fn gift_is_told_from_other_text() {
    for gift in [
        "::q1:: 2+2? {=4 ~5}",
        "$CATEGORY: $course$/top/资费\n\n请简述首问负责制。{}",
        "欠费可以携转。{F}\n\n5G 消息免费。{TRUE#对}\n\n圆周率？{#3.14:0.01}",
        "携号转网须先查询 {=授权码 =携转授权码} 。\n\n哪些是电子渠道？{~%50%手机营业厅 ~%50%网上营业厅 ~%-100%营业厅}",
        // One mistake among five good questions is still a GIFT file (and reported as one).
        "甲{T}\n\n乙{F}\n\n丙{=a ~b}\n\n丁{=c}\n\n戊{T}\n\n己{甲乙}",
        // Descriptions between questions, in a file with Moodle's own marks.
        "::说明:: 以下为月考题。\n\n::q1:: 甲？{=a ~b}\n\n今天天气很好。\n\n今天天气不好。",
    ] {
        assert!(looks_like_gift(gift), "{gift}");
    }
    for other in [
        // The text format, with its answer lines.
        "1. 甲？{=a}\nA. 一\nB. 二\n【答案】A",
        "1. 配置 {\"x\": 1} 中 x 是？\nA. 1\nB. 2\n答案：A",
        "1. 模板里写 {=name}。\n答：对",
        // Markdown with code.
        "# 说明\n\n```js\nconst a = {b: 1};\n```\n\n题目 {=a}",
        // Templates.
        "尊敬的{{ name }}，您的套餐 {=plan} 已生效。",
        "月费 ${fee} 元 {T}",
        // Code outside fences.
        "function f(x) {\n  return x + 1;\n}\n\nif (a) { b = 1; }",
        "{\"plan\": \"5G\", \"fee\": 129}",
        "\\frac{1}{2} 等于 0.5",
        // Braces, but most questions without GIFT answers.
        "1. 甲\n2. 乙 {T}\n3. 丙\n4. 丁",
        "甲题没有答案\n\n乙题也没有\n\n丙 {T}",
        // No braces at all; only essays without Moodle's marks.
        "客户办理补卡需要什么证件？\nA. 身份证\nB. 照片",
        "请简述首问负责制。{}",
        "",
    ] {
        assert!(!looks_like_gift(other), "{other}");
    }
}

#[test]
fn every_mistake_is_reported_with_its_line() {
    let text = "\
没有闭合的括号 {
=甲
~乙

多余的 } 括号 {T}

没有正确答案 {~甲 ~乙}

无法识别
{甲乙}

两组答案
{=甲 ~乙} 和 {=丙}

只有一个选项 {=甲 ~%0%}

// examhall: points=1.234 channel=门店
// examhall: difficulty=9
分值等不对 {T}

// examhall: color=red
未知注释 {T}

{=空题干}

短答没有满分答案 {=%50%甲}
";
    let p = parse(text);
    assert_eq!(
        lines(&p.errors),
        vec![
            (1, msg::GIFT_UNCLOSED_BRACE),
            (5, msg::GIFT_STRAY_BRACE),
            (7, msg::XML_NO_CORRECT_ANSWER),
            (10, "无法识别的答案「甲乙」"),
            (13, msg::GIFT_MANY_GROUPS),
            (15, msg::Q_OPTION_EMPTY),
            (17, "分值「1.234」无效：分值应大于 0 且不超过 100，最多两位小数"),
            (17, "未知渠道「门店」（可填：营业厅、热线、电子渠道、通用）"),
            (18, msg::Q_DIFFICULTY_RANGE),
            (21, msg::gift_bad_meta("color=red").as_str()),
            (24, msg::Q_STEM_EMPTY),
            (26, msg::XML_NO_CORRECT_ANSWER),
        ]
    );
    assert_eq!(p.skipped, vec![]);
    assert!(p.items.is_empty(), "nothing half-right gets in: {:?}", p.items);
}

#[test]
fn examhall_comments_carry_what_gift_has_no_place_for() {
    let text = "\
// examhall: points=1.5 difficulty=2 channel=hall knowledge=套餐变更、生效规则 source=2026年 月考
套餐变更何时生效？{=次月 ~立即}

// examhall: channel=热线 reference=第一位接待客户的员工\\n负责到底 points\\=3
请简述首问负责制。{}
";
    let p = parse(text);
    assert_eq!(p.errors, vec![]);
    let q = &p.items[0].question;
    assert_eq!((q.points, q.difficulty, q.channel), (150, 2, Channel::Hall));
    assert_eq!(q.knowledge_points, vec!["套餐变更", "生效规则"]);
    assert_eq!(q.source, "2026年 月考");
    let q = &p.items[1].question;
    assert_eq!(q.channel, Channel::Hotline);
    assert_eq!(q.answer, Answer::Reference("第一位接待客户的员工\n负责到底 points=3".into()));
}

#[test]
fn categories_keep_their_meaningful_part() {
    for (path, want) in [
        (" $course$/top/资费/5G ", "资费/5G"),
        ("$course$/资费", "资费"),
        ("$system$/top", ""),
        ("top/top/x", "top/x"),
        ("资费//5G", "资费/5G"),
    ] {
        assert_eq!(clean_category(path), want, "{path}");
    }
}

#[test]
fn writes_plain_gift() {
    let mut q = question(Kind::Single, "套餐变更: 何时生效？", &["立即", "次月"], Answer::Choices(vec![1]));
    q.category = "资费/5G".into();
    q.explanation = "见 #3".into();
    assert_eq!(
        write(&[q]),
        "$CATEGORY: $course$/top/资费/5G\n\n\
         // examhall: points=1 difficulty=3 channel=general\n\
         套餐变更\\: 何时生效？ {\n\t~立即\n\t=次月\n\t####见 \\#3\n}\n\n"
    );
}

fn tricky_bank() -> Vec<Question> {
    let tricky = "{a}=b~c#d:e\\f ::g:: %50% -> // [html]";
    let mut single = question(
        Kind::Single,
        "单选 {=x ~y}: 1:1 #1 \\n 不是换行 *星号* \\*\n这是换行",
        &["%50%像权重", "[html]像格式", "a = b ~ c", "//注释?"],
        Answer::Choices(vec![2]),
    );
    single.explanation = format!("解析 {tricky}\n第二行 ####");
    single.points = 150;
    single.difficulty = 2;
    single.channel = Channel::Hall;
    single.category = "资费与套餐/5G套餐".into();
    single.knowledge_points = vec!["套餐变更".into(), "a、b,c=d\\e".into()];
    single.source = "2026年 月考 points=2 \\n".into();
    let mut multiple = question(
        Kind::Multiple,
        "//以注释开头的题干",
        &["甲{", "乙}", "丙~", "丁="],
        Answer::Choices(vec![0, 1, 3]),
    );
    multiple.channel = Channel::Online;
    let all = question(Kind::Multiple, "全选", &["甲", "乙"], Answer::Choices(vec![0, 1]));
    let mut tf = question(Kind::TrueFalse, "[markdown]欠费可以携转#", &[], Answer::TrueFalse(false));
    tf.explanation = "[plain]不可以 {F}".into();
    let tf2 = question(Kind::TrueFalse, "TRUE", &[], Answer::TrueFalse(true));
    let mut one_blank = question(
        Kind::Blanks,
        "查询（  ）= 授权码",
        &[],
        Answer::Blanks(vec![vec![
            "授权码".into(),
            "A->B".into(),
            "%100%".into(),
            "5*3\\*".into(),
            tricky.into(),
        ]]),
    );
    one_blank.category = "携号转网".into();
    let mut blanks = question(
        Kind::Blanks,
        "携号转网须先查询（  ），再到（  ）办理：{x}",
        &[],
        Answer::Blanks(vec![vec!["授权码".into(), "携转 授权码".into()], vec!["营业厅#1".into()]]),
    );
    blanks.explanation = "两空".into();
    let unmarked =
        question(Kind::Blanks, "无标记的两空", &[], Answer::Blanks(vec![vec!["a".into()], vec!["b".into()]]));
    let mut essay = question(Kind::Essay, "简述首问负责制。", &[], Answer::Reference(tricky.into()));
    essay.explanation = "要点：负责到底".into();
    essay.category = String::new();
    let empty_essay = question(Kind::Essay, "无参考答案 }", &[], Answer::Reference(String::new()));
    vec![single, multiple, all, tf, tf2, one_blank, blanks, unmarked, essay, empty_essay]
}

#[test]
fn written_gift_reads_back_the_same() {
    let bank = tricky_bank();
    for q in &bank {
        assert_eq!(crate::bank::question::validate(q), Vec::<String>::new(), "{q:?}");
    }
    let written = write(&bank);
    let p = parse(&written);
    assert_eq!(p.errors, vec![], "{written}");
    assert_eq!(p.skipped, vec![], "{written}");
    let got: Vec<Question> = p.items.into_iter().map(|i| i.question).collect();
    for (a, b) in bank.iter().zip(&got) {
        assert_eq!(a, b, "{written}");
    }
    assert_eq!(got.len(), bank.len());
}

mod props {
    use proptest::prelude::*;

    use super::*;

    const PIECES: &[&str] = &[
        "套餐",
        "5G",
        " ",
        "{",
        "}",
        "=",
        "~",
        "#",
        "####",
        ":",
        "::",
        "\\",
        "\\n",
        "\n",
        "//",
        "->",
        "%50%",
        "[html]",
        "[plain]",
        "（  ）",
        "$CATEGORY:",
        "、",
        ",",
        "|",
        "\t",
        "T",
        "<b>",
        "&amp;",
        "@",
    ];

    fn piece_text(max: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 1..=max)
            .prop_map(|p| p.concat().trim().to_string())
    }

    fn question() -> impl Strategy<Value = Question> {
        (
            prop::sample::select(Kind::ALL.to_vec()),
            piece_text(8),
            prop::collection::vec(piece_text(3), 2..=5),
            prop::collection::btree_set(0..5usize, 1..=5),
            prop::collection::vec(prop::collection::vec(piece_text(3), 1..=3), 1..=3),
            (piece_text(4), any::<bool>(), 1i64..=10_000, 1u8..=5),
            (prop::sample::select(Channel::ALL.to_vec()), prop::collection::vec(piece_text(2), 0..=3)),
            (piece_text(3), piece_text(3), prop::collection::vec("[a-z$]{1,4}", 0..=3)),
        )
            .prop_filter_map(
                "a valid question",
                |(
                    kind,
                    stem,
                    options,
                    picks,
                    groups,
                    (explanation, tf, points, difficulty),
                    (channel, kps),
                    (source, reference, category),
                )| {
                    let picks: Vec<usize> = picks.into_iter().filter(|p| *p < options.len()).collect();
                    let (options, answer) = match kind {
                        Kind::Single => (options, Answer::Choices(picks.into_iter().take(1).collect())),
                        Kind::Multiple => (options, Answer::Choices(picks)),
                        Kind::TrueFalse => (vec![], Answer::TrueFalse(tf)),
                        Kind::Blanks => (vec![], Answer::Blanks(groups)),
                        Kind::Essay => (vec![], Answer::Reference(reference)),
                    };
                    let q = Question {
                        kind,
                        stem,
                        options,
                        answer,
                        explanation,
                        points,
                        difficulty,
                        channel,
                        category: category.join("/"),
                        knowledge_points: kps.into_iter().filter(|k| !k.is_empty()).collect(),
                        source,
                    };
                    crate::bank::question::validate(&q).is_empty().then_some(q)
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn any_valid_bank_survives_export_and_import(bank in prop::collection::vec(question(), 1..6)) {
            let written = write(&bank);
            let p = parse(&written);
            prop_assert_eq!(&p.errors, &vec![], "{}", written);
            prop_assert_eq!(&p.skipped, &vec![], "{}", written);
            let got: Vec<Question> = p.items.into_iter().map(|i| i.question).collect();
            prop_assert_eq!(got, bank, "{}", written);
        }

        #[test]
        fn gift_noise_never_panics(lines in prop::collection::vec(prop::collection::vec(prop::sample::select(vec![
            "::t::", "::", "{", "}", "=a", "~b", "~%50%c", "%", "#", "####", "\\", "\\n", "->", "T", "{}", "{#1}",
            "$CATEGORY:", "$CATEGORY: $course$/top/x", "// examhall:", "// examhall: points=", "reference=\\", "[html]",
            "<p>", "&amp;", "（  ）", "// [tag:", "]", " ", "",
        ]), 0..6).prop_map(|p| p.concat()), 0..30)) {
            let p = parse(&lines.join("\n"));
            for item in &p.items {
                prop_assert_eq!(crate::bank::question::validate(&item.question), Vec::<String>::new());
            }
        }
    }
}

#[test]
fn the_sample_files_are_told_apart() {
    let sample = |name: &str| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("question_bank/samples").join(name);
        crate::roster::parse::decode_text(&std::fs::read(path).unwrap())
    };
    assert!(looks_like_gift(&sample("46-gift-partial-credit.gift")));
    assert!(looks_like_gift(&sample("47-gift-wildcard.gift")));
    // Every text sample (the text format, Word pastes, Aiken, Markdown) is not GIFT.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("question_bank/samples");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".txt") || name.ends_with(".md") {
            assert!(!looks_like_gift(&sample(&name)), "{name}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked}");
}
