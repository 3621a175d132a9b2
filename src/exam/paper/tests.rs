use super::*;

fn q(id: i32, kind: Kind, channel: Channel, category: &str, difficulty: u8) -> PoolQuestion {
    PoolQuestion {
        question_id: id,
        version_id: id * 10,
        kind,
        channel,
        category: category.to_string(),
        knowledge_points: vec![format!("kp{}", id % 3)],
        difficulty,
        points: kind.default_points(),
        options: if kind.has_options() { 4 } else { 0 },
        revealed_to: 0,
    }
}

fn pool() -> Vec<PoolQuestion> {
    let mut pool = Vec::new();
    for i in 1..=30 {
        let channel = [Channel::Hall, Channel::Hotline, Channel::Online][i as usize % 3];
        pool.push(q(i, Kind::Single, channel, "资费与套餐/5G套餐", (i % 5 + 1) as u8));
    }
    for i in 31..=40 {
        pool.push(q(i, Kind::Multiple, Channel::Hall, "业务办理/携号转网", 3));
    }
    for i in 41..=50 {
        pool.push(q(i, Kind::TrueFalse, Channel::General, "服务规范", 2));
    }
    pool
}

fn section(title: &str, kind: Kind, count: usize, points: i64) -> Section {
    Section::any(title, kind, count, points)
}

fn sections_rule() -> PaperRule {
    let mut hall = section("营业厅单选", Kind::Single, 5, 200);
    hall.channels = vec![Channel::Hall];
    PaperRule::Sections {
        bank_id: 1,
        sections: vec![
            hall,
            section("其他单选", Kind::Single, 10, 200),
            section("多选", Kind::Multiple, 5, 400),
            section("判断", Kind::TrueFalse, 10, 100),
        ],
    }
}

#[test]
fn same_seed_and_candidate_give_the_same_paper() {
    let (rule, pool) = (sections_rule(), pool());
    let a = compose(&rule, &pool, 42, 7, &HashSet::new()).unwrap();
    assert_eq!(a, compose(&rule, &pool, 42, 7, &HashSet::new()).unwrap());
    assert_ne!(a, compose(&rule, &pool, 42, 8, &HashSet::new()).unwrap(), "another candidate, another paper");
    assert_ne!(a, compose(&rule, &pool, 43, 7, &HashSet::new()).unwrap(), "another exam, another paper");
}

#[test]
fn sections_draw_their_count_in_order_without_repeats() {
    let (rule, pool) = (sections_rule(), pool());
    for candidate in 0..50 {
        let paper = compose(&rule, &pool, 9, candidate, &HashSet::new()).unwrap();
        assert_eq!(paper.len(), 30);
        let ids: std::collections::HashSet<i32> = paper.iter().map(|d| d.question_id).collect();
        assert_eq!(ids.len(), 30, "no question twice");
        let find = |id: i32| pool.iter().find(|q| q.question_id == id).unwrap();
        // The first five are hall single-choice questions, then other singles, …
        assert!(paper[..5].iter().all(|d| find(d.question_id).channel == Channel::Hall));
        assert!(paper[5..15].iter().all(|d| find(d.question_id).kind == Kind::Single));
        assert!(paper[15..20].iter().all(|d| find(d.question_id).kind == Kind::Multiple && d.points == 400));
        assert!(paper[20..].iter().all(|d| find(d.question_id).kind == Kind::TrueFalse));
        assert_eq!(paper.iter().map(|d| d.points).sum::<i64>(), possible_points(&rule, &pool));
        for d in &paper {
            let mut order = d.option_order.clone();
            order.sort_unstable();
            assert_eq!(order, (0..find(d.question_id).options).collect::<Vec<_>>(), "a permutation");
        }
    }
}

#[test]
fn shuffles_questions_and_options_across_candidates() {
    let (rule, pool) = (sections_rule(), pool());
    let papers: Vec<_> = (0..20).map(|c| compose(&rule, &pool, 1, c, &HashSet::new()).unwrap()).collect();
    let firsts: std::collections::HashSet<i32> = papers.iter().map(|p| p[0].question_id).collect();
    assert!(firsts.len() > 1);
    let orders: std::collections::HashSet<Vec<usize>> =
        papers.iter().map(|p| p[0].option_order.clone()).collect();
    assert!(orders.len() > 1);
}

#[test]
fn reports_shortages_per_section() {
    let pool = pool();
    let mut hard = section("难题", Kind::Single, 3, 100);
    hard.difficulty_min = 5;
    hard.categories = vec!["资费与套餐".into()];
    let mut kp = section("知识点", Kind::Multiple, 1, 100);
    kp.knowledge_points = vec!["不存在".into()];
    let rule = PaperRule::Sections {
        bank_id: 1,
        sections: vec![hard, kp, section("判断", Kind::TrueFalse, 11, 100)],
    };
    // Difficulty 5: ids 4, 9, 14, 19, 24, 29 → 6 available, enough.
    assert_eq!(
        shortages(&rule, &pool),
        vec![
            Shortage { title: "知识点".into(), wanted: 1, available: 0 },
            Shortage { title: "判断".into(), wanted: 11, available: 10 },
        ]
    );
    assert_eq!(compose(&rule, &pool, 1, 1, &HashSet::new()).unwrap_err().len(), 2);
}

#[test]
fn a_question_serves_only_the_first_matching_section() {
    let pool = pool();
    // Both sections match all 30 singles; together they need 30: exact.
    let rule = PaperRule::Sections {
        bank_id: 1,
        sections: vec![section("甲", Kind::Single, 20, 100), section("乙", Kind::Single, 10, 100)],
    };
    assert_eq!(shortages(&rule, &pool), vec![Shortage { title: "乙".into(), wanted: 10, available: 0 }]);
}

#[test]
fn fixed_list_groups_by_type_and_reports_missing_questions() {
    let pool = pool();
    let items = [45, 2, 33, 5]
        .iter()
        .map(|id| FixedItem { question_id: *id, points: if *id == 5 { Some(300) } else { None } })
        .collect();
    let rule = PaperRule::Fixed { items };
    let paper = compose(&rule, &pool, 3, 3, &HashSet::new()).unwrap();
    let ids: Vec<i32> = paper.iter().map(|d| d.question_id).collect();
    assert_eq!(&ids[2..], &[33, 45]);
    assert_eq!(possible_points(&rule, &pool), 100 + 300 + 200 + 100);
    let missing = PaperRule::Fixed { items: vec![FixedItem { question_id: 999, points: None }] };
    assert_eq!(shortages(&missing, &pool)[0].available, 0);
}

#[test]
fn splitmix_is_stable() {
    // Reference values of SplitMix64 with seed 0 (Vigna's reference code).
    let mut r = SplitMix64::new(0);
    assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
    assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
}

/// Ten single-choice questions; the key of 1–6 has been shown to 1–6 people.
fn exposed_pool() -> Vec<PoolQuestion> {
    (1..=10)
        .map(|i| PoolQuestion {
            revealed_to: if i <= 6 { i64::from(i) } else { 0 },
            ..q(i, Kind::Single, Channel::Hall, "服务规范", 3)
        })
        .collect()
}

fn one_section(count: usize, exposure: Exposure) -> PaperRule {
    PaperRule::Sections {
        bank_id: 1,
        sections: vec![Section { exposure, ..section("单选", Kind::Single, count, 100) }],
    }
}

fn ids(paper: &[Drawn]) -> Vec<i32> {
    let mut ids: Vec<i32> = paper.iter().map(|d| d.question_id).collect();
    ids.sort_unstable();
    ids
}

#[test]
fn a_candidate_is_not_drawn_a_question_whose_key_they_saw_while_the_pool_allows() {
    let pool = exposed_pool();
    let seen: HashSet<i32> = [1, 2, 3].into();
    for candidate in 0..40 {
        // 7 of 10 unseen: a paper of 7 takes exactly those.
        let paper = compose(&one_section(7, Exposure::Any), &pool, 5, candidate, &seen).unwrap();
        assert_eq!(ids(&paper), vec![4, 5, 6, 7, 8, 9, 10], "candidate {candidate}");
        // A paper of 9 must take two seen ones, and only two.
        let paper = compose(&one_section(9, Exposure::Any), &pool, 5, candidate, &seen).unwrap();
        assert_eq!(ids(&paper).iter().filter(|id| seen.contains(id)).count(), 2);
    }
}

#[test]
fn prefer_fresh_takes_the_least_exposed_and_unrevealed_only_refuses_the_rest() {
    let pool = exposed_pool();
    let none = HashSet::new();
    for candidate in 0..40 {
        // Unrevealed 7–10, then the least exposed: 1 (one person), 2 (two people).
        let paper = compose(&one_section(6, Exposure::PreferFresh), &pool, 8, candidate, &none).unwrap();
        assert_eq!(ids(&paper), vec![1, 2, 7, 8, 9, 10], "candidate {candidate}");
        let paper = compose(&one_section(4, Exposure::UnrevealedOnly), &pool, 8, candidate, &none).unwrap();
        assert_eq!(ids(&paper), vec![7, 8, 9, 10]);
    }
    let short = shortages(&one_section(5, Exposure::UnrevealedOnly), &pool);
    assert_eq!(short, vec![Shortage { title: "单选".into(), wanted: 5, available: 4 }]);
    assert_eq!(exposure(&one_section(5, Exposure::UnrevealedOnly), &pool), vec![("单选".to_string(), 10, 6)]);
}

#[test]
fn the_bank_page_counts_unrevealed_questions_and_the_months_they_last() {
    // 10 hall singles in 服务规范 (6 revealed), 4 hotline singles in 资费/5G (none revealed).
    let mut pool = exposed_pool();
    pool.extend((11..=14).map(|i| q(i, Kind::Single, Channel::Hotline, "资费/5G", 3)));
    // One section of 7 singles from either: 10 and 4 of its 14 → 5.0 and 2.0 a month.
    let groups = bank_exposure(&pool, &[section("单选", Kind::Single, 7, 100)]);
    let got: Vec<_> = groups
        .iter()
        .map(|g| (g.category.as_str(), g.active, g.unrevealed, g.draw_tenths, g.months))
        .collect();
    assert_eq!(got, vec![("服务规范", 10, 4, 50, Some(0)), ("资费", 4, 4, 20, Some(2))]);
    // Only unrevealed hall questions: 4 of them, 2 a month → 2 months; hotline not drawn.
    let mut hall = section("营业厅单选", Kind::Single, 2, 100);
    hall.channels = vec![Channel::Hall];
    hall.exposure = Exposure::UnrevealedOnly;
    let got: Vec<_> = bank_exposure(&pool, &[hall]).iter().map(|g| (g.draw_tenths, g.months)).collect();
    assert_eq!(got, vec![(20, Some(2)), (0, None)]);
    // One single of three from three groups: a third each, 0.3 (rounded) a month.
    let three: Vec<PoolQuestion> = [(1, Channel::Hall), (2, Channel::Hotline), (3, Channel::Online)]
        .into_iter()
        .map(|(i, ch)| q(i, Kind::Single, ch, "服务规范", 3))
        .collect();
    let got: Vec<_> = bank_exposure(&three, &[section("单选", Kind::Single, 1, 100)])
        .iter()
        .map(|g| (g.draw_tenths, g.months))
        .collect();
    assert_eq!(got, vec![(3, Some(3)), (3, Some(3)), (3, Some(3))]);
}

#[test]
fn old_rules_without_an_exposure_read_as_any() {
    let json = r#"{"mode":"sections","bank_id":1,"sections":[{"title":"单选","kind":"single","count":2,"points":100,"categories":[],"channels":[],"knowledge_points":[],"difficulty_min":1,"difficulty_max":5}]}"#;
    let rule: PaperRule = serde_json::from_str(json).unwrap();
    assert_eq!(rule, one_section(2, Exposure::Any));
}
