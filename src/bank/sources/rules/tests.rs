use super::*;

fn title(t: &str, h: &str) -> Reference {
    Reference::Title { title: t.into(), heading: h.into() }
}

fn id(n: i32, h: &str) -> Reference {
    Reference::Id { id: n, heading: h.into() }
}

#[test]
fn a_source_names_articles_by_title_or_link_with_an_optional_section() {
    let cases: Vec<(&str, Vec<Reference>)> = vec![
        ("", vec![]),
        ("2026年10月业务通知", vec![]),
        ("《5G套餐资费调整》", vec![title("5G套餐资费调整", "")]),
        ("《5G套餐资费调整》#资费标准", vec![title("5G套餐资费调整", "资费标准")]),
        (
            "知识库《携号转网办理规范》＃办理条件；另见《实名制登记规范》",
            vec![title("携号转网办理规范", "办理条件"), title("实名制登记规范", "")],
        ),
        ("/kb/27", vec![id(27, "")]),
        ("http://10.1.2.3:8080/kb/27#sec-%E5%8A%9E%E7%90%86%E6%9D%A1%E4%BB%B6", vec![id(27, "办理条件")]),
        ("见 /kb/3#资费 和《停机保号》", vec![id(3, "资费"), title("停机保号", "")]),
        // Unclosed or empty titles and links without a number name nothing.
        ("《未写完", vec![]),
        ("《》", vec![]),
        ("/kb/new", vec![]),
    ];
    for (text, want) in cases {
        assert_eq!(references(text), want, "{text}");
    }
}

#[test]
fn a_reference_resolves_to_one_article_or_says_which_text_did_not() {
    let articles = vec![
        ArticleTitle { id: 3, title: "5G 套餐资费调整".into() },
        ArticleTitle { id: 4, title: "停机保号".into() },
        ArticleTitle { id: 5, title: "停机保号".into() },
    ];
    assert_eq!(resolve(&title("5G套餐资费调整", "资费标准"), &articles), Ok((3, "资费标准".into())));
    assert_eq!(resolve(&title("5g 套餐资费调整", ""), &articles), Ok((3, String::new())));
    assert_eq!(resolve(&id(4, ""), &articles), Ok((4, String::new())));
    assert_eq!(resolve(&id(9, ""), &articles), Err("/kb/9".into()));
    assert_eq!(resolve(&title("销户", ""), &articles), Err("《销户》".into()));
    assert_eq!(
        resolve(&title("停机保号", ""), &articles),
        Err("《停机保号》".into()),
        "two articles, one title"
    );
}

#[test]
fn only_a_material_change_flags_the_active_questions_linked_to_the_article() {
    let link = |q, a, retired| Link { question_id: q, article_id: a, retired };
    // Q1, Q2 on article 7 (Q2 through two sections), Q3 retired, Q4 on article 8, Q5 already waiting.
    let links = [
        link(1, 7, false),
        link(2, 7, false),
        link(2, 7, false),
        link(3, 7, true),
        link(4, 8, false),
        link(5, 7, false),
    ];
    let open: HashSet<i32> = [5].into();
    let cases = [(7, true, vec![1, 2]), (7, false, vec![]), (8, true, vec![4]), (9, true, vec![])];
    for (article, material, want) in cases {
        assert_eq!(
            flagged_by_change(&links, article, material, &open),
            want,
            "article {article} material {material}"
        );
    }
}

#[test]
fn outcomes_read_back_from_their_codes() {
    for o in Outcome::ALL {
        assert_eq!(Outcome::parse(o.code()), Some(o));
    }
    assert_eq!(Outcome::parse("deleted"), None);
}

#[test]
fn a_typed_section_names_the_articles_heading() {
    let h: Vec<String> = ["一、适用范围", "二、办理条件", "三、降档限制", "办理条件说明"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    // Equal (spaces and case aside) wins over containing.
    assert_eq!(match_heading("办理条件说明", &h), Some(&h[3]));
    assert_eq!(match_heading(" 三、降档 限制", &h), Some(&h[2]));
    // The only heading containing it.
    assert_eq!(match_heading("降档限制", &h), Some(&h[2]));
    // Two contain it: ambiguous.
    assert_eq!(match_heading("办理条件", &h), None);
    assert_eq!(match_heading("合约期内变更", &h), None);
}
