use super::*;
use crate::bank::question::Kind;

#[test]
fn numbers_in_every_spelling() {
    fn n(l: &str) -> Option<(u32, Family, &str, bool)> {
        numbered(l).map(|x| (x.n, x.family, x.rest, x.decimal_like))
    }
    assert_eq!(n("5. 5G套餐"), Some((5, Family::Dot, "5G套餐", false)));
    assert_eq!(n("4．4G用户"), Some((4, Family::Dot, "4G用户", true)));
    assert_eq!(n("3、10086热线"), Some((3, Family::Comma, "10086热线", false)));
    assert_eq!(n("（12）题"), Some((12, Family::Paren, "题", false)));
    assert_eq!(n("7) 题"), Some((7, Family::Close, "题", false)));
    assert_eq!(n("第3题 题"), Some((3, Family::Di, "题", false)));
    assert_eq!(n("１２．全角"), Some((12, Family::Dot, "全角", false)));
    assert_eq!(n("1.5元/分钟"), Some((1, Family::Dot, "5元/分钟", true)));
    assert_eq!(n("10086热线"), None);
    assert_eq!(n("5G套餐"), None);
    assert_eq!(n("2026年"), None);
}

#[test]
fn option_labels_inside_a_line() {
    assert_eq!(option_start("Ａ．全角"), Some((0, "Ａ．".len())));
    assert_eq!(option_start("(B) 乙"), Some((1, 4)));
    let line = "A.正确B.错误";
    let (at, end) = find_label(line, 1).unwrap();
    assert_eq!((&line[..at], &line[end..]), ("A.正确", "错误"));
    assert_eq!(find_label("A. 套餐含5GB.流量", 1), None);
    let line = "A、开户 （B）销户";
    assert_eq!(&line[find_label(line, 1).unwrap().1..], "销户");
}

#[test]
fn headings_and_tags() {
    let h = typed_heading("二、多选题（每题2分，共20分）").unwrap();
    assert_eq!((h.kind, h.points), (Some(KindLabel::Is(Kind::Multiple)), Some(200)));
    assert!(typed_heading("【判断题】").is_some());
    assert!(typed_heading("第三部分 案例分析题").is_some());
    assert!(typed_heading("客户办理业务").is_none());
    assert_eq!(tag_line("参考答案：ABD").map(|t| (t.tag, t.value)), Some((Tag::Answer, "ABD".into())));
    assert_eq!(tag_line("我的答案：A 正确答案：C 得分：0").map(|t| t.value), Some("C".into()));
    assert_eq!(tag_line("答案 B").map(|t| t.value), Some("B".into()));
    assert!(tag_line("答案是客户自行选择的").is_none());
    assert_eq!(split_tail("B 解析：次月生效"), ("B", Some("解析：次月生效")));
    let (stem, kind, points) = stem_labels("（单选题，2分）客户办理？");
    assert_eq!((stem.as_str(), kind, points), ("客户办理？", Some(KindLabel::Is(Kind::Single)), Some(200)));
    assert_eq!(stem_labels("题目（多选）").1, Some(KindLabel::Is(Kind::Multiple)));
    assert_eq!(stem_labels("题目（2分）").2, Some(200));
}
