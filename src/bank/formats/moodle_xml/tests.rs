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
    assert_eq!(p.items[3].question.answer, Answer::Blanks(vec![vec!["授权码".into(), "携转授权码".into()]]));
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
    assert_eq!(got, vec![(2, msg::XML_NO_CORRECT_ANSWER)]);
    // A single-answer question with two full-credit answers (either earns
    // full marks in Moodle) imports as 多选, and says so.
    assert_eq!((p.items[0].line, p.items[0].question.kind), (3, Kind::Multiple));
    assert_eq!(p.warnings, vec![LineError::new(3, msg::ANY_OF_SEVERAL)]);
}

const PARTIAL: &str = r#"<quiz>
<question type="shortanswer">
  <questiontext><text>携号转网简称？</text></questiontext>
  <answer fraction="100"><text>携号转网</text></answer>
  <answer fraction="100"><text>携转</text></answer>
  <answer fraction="50"><text>转网</text></answer>
  <answer fraction="0"><text>不知道</text></answer>
</question>
<question type="shortanswer">
  <questiontext><text>通配</text></questiontext>
  <answer fraction="100"><text>携号*</text></answer>
</question>
<question type="shortanswer">
  <questiontext><text>字面星号</text></questiontext>
  <answer fraction="100"><text>5\*3</text></answer>
</question>
<question type="multichoice">
  <questiontext><text>单选部分得分</text></questiontext>
  <single>true</single>
  <answer fraction="100"><text>甲</text></answer>
  <answer fraction="50"><text>乙</text></answer>
  <answer fraction="0"><text>丙</text></answer>
</question>
<question type="multichoice">
  <questiontext><text>多选权重不同</text></questiontext>
  <single>false</single>
  <answer fraction="60"><text>甲</text></answer>
  <answer fraction="40"><text>乙</text></answer>
  <answer fraction="-100"><text>丙</text></answer>
</question>
<question type="multichoice">
  <questiontext><text>只有部分得分的单选</text></questiontext>
  <answer fraction="50"><text>甲</text></answer>
  <answer fraction="0"><text>乙</text></answer>
</question>
<question type="shortanswer">
  <questiontext><text>没有满分</text></questiontext>
  <answer fraction="50"><text>甲</text></answer>
</question>
</quiz>"#;

#[test]
fn partial_credit_follows_the_gift_policy() {
    let p = parse(PARTIAL);
    let got: Vec<(usize, Kind, &Answer)> =
        p.items.iter().map(|i| (i.line, i.question.kind, &i.question.answer)).collect();
    assert_eq!(
        got,
        vec![
            (2, Kind::Blanks, &Answer::Blanks(vec![vec!["携号转网".into(), "携转".into()]])),
            (13, Kind::Blanks, &Answer::Blanks(vec![vec!["5*3".into()]])),
            (17, Kind::Single, &Answer::Choices(vec![0])),
            (24, Kind::Multiple, &Answer::Choices(vec![0, 1])),
        ]
    );
    assert_eq!(
        p.warnings,
        vec![
            LineError::new(2, msg::partial_short_dropped("「转网」50%")),
            LineError::new(17, msg::partial_choice_dropped("「乙」50%")),
            LineError::new(24, msg::weighted_multiple("「甲」60%、「乙」40%、「丙」-100%")),
        ]
    );
    assert_eq!(
        p.skipped,
        vec![LineError::new(9, msg::WILDCARD_SKIPPED), LineError::new(31, msg::PARTIAL_ONLY_SKIPPED)]
    );
    assert_eq!(p.errors, vec![LineError::new(36, msg::XML_NO_CORRECT_ANSWER)]);
}

const PICTURES: &str = r#"<quiz>
<question type="truefalse">
  <questiontext format="html"><text><![CDATA[<p>图中的标志表示可以办理携号转网。<img src="@@PLUGINFILE@@/logo.png" alt=""></p>]]></text>
    <file name="logo.png" path="/" encoding="base64">aGVs
bG8=</file>
  </questiontext>
  <answer fraction="100"><text>true</text></answer>
  <answer fraction="0"><text>false</text></answer>
</question>
<question type="multichoice">
  <questiontext><text>看图选择</text></questiontext>
  <image>images/map.jpg</image>
  <image_base64>AQID</image_base64>
  <answer fraction="100"><text>甲</text></answer>
  <answer fraction="0"><text><![CDATA[<IMG SRC='http://x/y/opt.gif'>乙]]></text></answer>
</question>
<question type="essay">
  <questiontext><text>没有图片</text></questiontext>
</question>
</quiz>"#;

#[test]
fn an_embedded_picture_is_kept_with_its_question() {
    // A PNG's first bytes and two more, in base64 (worked out by hand from the bytes).
    let xml = r#"<quiz><question type="truefalse">
  <questiontext format="html"><text><![CDATA[看图判断<img src="@@PLUGINFILE@@/sim.png">]]></text>
    <file name="sim.png" path="/" encoding="base64">iVBORw0KGgoAAQ==</file></questiontext>
  <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
</question></quiz>"#;
    let p = parse(xml);
    assert_eq!((p.errors.len(), p.warnings.len()), (0, 0), "{:?}", p.warnings);
    assert_eq!(p.items[0].images, vec![0]);
    assert_eq!(p.images[0].name, "sim.png");
    assert_eq!(p.images[0].bytes, b"\x89PNG\r\n\x1a\n\x00\x01".to_vec());
}

#[test]
fn pictures_are_kept_out_and_said() {
    let p = parse(PICTURES);
    assert_eq!(p.errors, vec![]);
    assert_eq!(p.items.len(), 3);
    assert_eq!(p.items[0].question.stem, "图中的标志表示可以办理携号转网。");
    assert_eq!(p.items[1].question.options, vec!["甲", "乙"]);
    assert_eq!((p.items[0].line, p.items[0].end), (2, 9));
    assert_eq!(
        p.warnings,
        vec![
            LineError::new(2, msg::images_not_imported("「logo.png」")),
            LineError::new(10, msg::images_not_imported("「map.jpg」「opt.gif」")),
        ]
    );
    assert_eq!(
        embedded_files(PICTURES),
        vec![
            (2, vec![Image { name: "logo.png".into(), bytes: b"hello".to_vec() }]),
            (10, vec![Image { name: "map.jpg".into(), bytes: vec![1, 2, 3] }]),
        ]
    );
    assert_eq!(base64("TWFu"), Some(b"Man".to_vec()));
    assert_eq!(base64("TWE"), Some(b"Ma".to_vec()));
    assert_eq!(base64("TQ=="), Some(b"M".to_vec()));
    assert_eq!(base64("T!=="), None);
}

#[test]
fn where_a_question_is_taught_comes_from_a_tag_or_a_comment() {
    let xml = r#"<quiz>
  <question type="truefalse">
    <!-- examhall: source=《携号转网业务办理规范》#办理条件 -->
    <questiontext><text>欠费可以携转。</text></questiontext>
    <answer fraction="100"><text>false</text></answer>
    <tags>
      <tag><text>携号转网</text></tag>
      <tag><text>出处：/kb/12#资费标准</text></tag>
      <tag><text>知识库:《首问负责制》</text></tag>
      <tag><text>出处：</text></tag>
    </tags>
  </question>
  <question type="truefalse">
    <!-- an ordinary comment source=《不是出处》 -->
    <questiontext><text>可以代办。</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <tags><tag><text>出处说明</text></tag></tags>
  </question>
</quiz>"#;
    let p = parse(xml);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let first = &p.items[0].question;
    assert_eq!(first.knowledge_points, vec!["携号转网".to_string()]);
    assert_eq!(first.source, "/kb/12#资费标准；《首问负责制》；《携号转网业务办理规范》#办理条件");
    let refs = crate::bank::sources::rules::references(&first.source);
    assert_eq!(refs.len(), 3, "{refs:?}");
    // Neither an ordinary comment nor a tag that only starts with the word is a source.
    let second = &p.items[1].question;
    assert_eq!(second.source, "");
    assert_eq!(second.knowledge_points, vec!["出处说明".to_string()]);
}
