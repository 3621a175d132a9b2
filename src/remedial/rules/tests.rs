use super::*;

fn a(user: i32, in_unit: bool, kp: &str, earned: i64, possible: i64) -> Answer {
    Answer { user_id: user, in_unit, kps: vec![kp.to_string(), "其他".into()], earned, possible }
}

#[test]
fn exactly_the_clerks_in_the_unit_who_answered_the_point_wrong_must_read() {
    let answers = [
        a(1, true, "携转条件", 0, 300),   // wrong
        a(2, true, "携转条件", 200, 400), // partly right
        a(3, true, "携转条件", 300, 300), // right
        a(4, false, "携转条件", 0, 300),  // wrong, another county
        a(5, true, "授权码", 0, 300),     // wrong, another point
        a(1, true, "携转条件", 300, 300), // right elsewhere: still wrong once
    ];
    assert_eq!(audience(&answers, "携转条件"), BTreeSet::from([1, 2]));
    assert_eq!(audience(&answers, "授权码"), BTreeSet::from([5]));
    assert_eq!(audience(&answers, "销户"), BTreeSet::new());
}

#[test]
fn the_effect_compares_the_assigned_after_with_the_city_and_their_own_before() {
    let people = BTreeSet::from([1, 2]);
    // Before: 1 and 2 earned 0 + 200 of 300 + 400 → 200/700 = 28.57%.
    let before =
        [a(1, true, "携转条件", 0, 300), a(2, true, "携转条件", 200, 400), a(3, true, "携转条件", 300, 300)];
    // After: 1 and 2 earned 300 + 300 of 300 + 400 → 600/700 = 85.71%;
    // the city adds 3's 100 of 300 → 700/1000 = 70.00%.
    let after = [
        a(1, true, "携转条件", 300, 300),
        a(2, false, "携转条件", 300, 400),
        a(3, true, "携转条件", 100, 300),
    ];
    let e = effect(&people, "携转条件", &before, &after);
    assert_eq!(
        e,
        Effect {
            assigned_after: Some(8571),
            city_after: Some(7000),
            assigned_before: Some(2857),
            answers_after: 2
        }
    );
    assert_eq!(e.texts(), ["85.71%".to_string(), "70.00%".into(), "28.57%".into()]);
    assert_eq!(e.gain(), Some(5714));
    // Not asked yet the month after: no figure, no gain.
    let none = effect(&people, "携转条件", &before, &[]);
    assert_eq!((none.assigned_after, none.answers_after, none.gain()), (None, 0, None));
    assert_eq!(none.texts()[0], "—");
}

#[test]
fn a_weak_rubric_item_suggests_the_scenarios_articles_once_per_clerk() {
    use std::collections::{HashMap, HashSet};
    let item = |call, clerk, name: &str, mark, points| CallItem {
        call_id: call,
        clerk_id: clerk,
        item: name.into(),
        mark,
        points,
    };
    // 业务准确 40 points: 23.99 is weak (under 24 = 60 %), 24.00 is not.
    assert!(weak_item(2399, 40) && !weak_item(2400, 40));
    let items = [
        item(1, 7, "业务准确", 2000, 40), // weak: scenario articles 30, 31
        item(1, 7, "服务态度", 2000, 20), // fine
        item(2, 7, "问题解决", 0, 10),    // weak again, same articles: already suggested
        item(3, 8, "业务准确", 2399, 40), // weak, article 31 already given to 8
        item(4, 9, "业务准确", 0, 40),    // weak, a call without a scenario
    ];
    let articles: HashMap<i32, Vec<i32>> = [(1, vec![30, 31]), (2, vec![30, 31]), (3, vec![31, 32])].into();
    let given: HashSet<(i32, i32)> = [(8, 31)].into();
    assert_eq!(
        phone_suggestions(&items, &articles, &given),
        vec![(1, 7, "业务准确".into(), 30), (1, 7, "业务准确".into(), 31), (3, 8, "业务准确".into(), 32)]
    );
}
