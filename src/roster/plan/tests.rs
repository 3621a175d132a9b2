//! The dry run's plan, case by case.

use super::*;

fn node(id: i32, parent: Option<i32>, kind: UnitKind, name: &str) -> Node {
    Node { id, parent_id: parent, kind, name: name.into(), active: true }
}

fn row(
    line: usize,
    staff_no: &str,
    name: &str,
    area: &str,
    kind: Option<UnitKind>,
    hall: &str,
    roles: &[Role],
) -> RosterRow {
    RosterRow {
        line,
        staff_no: crate::domain::StaffNo::parse(staff_no).unwrap(),
        name: name.into(),
        area: Some(area.to_string()).filter(|a| !a.is_empty()),
        area_kind: kind,
        hall: Some(hall.to_string()).filter(|h| !h.is_empty()),
        roles: roles.to_vec(),
        phone: None,
        phone_given: true,
    }
}

fn snapshot() -> Snapshot {
    Snapshot {
        nodes: vec![
            node(1, None, UnitKind::City, "江州市分公司"),
            node(2, Some(1), UnitKind::County, "青山县分公司"),
            node(3, Some(2), UnitKind::Hall, "青山中心营业厅"),
        ],
        staff: vec![
            ExistingStaff {
                id: 10,
                username: "10001".into(),
                staff_no: "10001".into(),
                name: "张三".into(),
                phone: None,
                hall_id: Some(3),
                active: true,
                grants: vec![(Role::Clerk, 3)],
            },
            ExistingStaff {
                id: 11,
                username: "10009".into(),
                staff_no: "10009".into(),
                name: "离职者".into(),
                phone: None,
                hall_id: Some(3),
                active: true,
                grants: vec![(Role::Clerk, 3)],
            },
        ],
        other_usernames: vec!["admin".into()],
    }
}

#[test]
fn an_empty_site_gets_its_whole_tree_from_the_file() {
    let rows = vec![
        row(2, "1", "甲", "青山县分公司", Some(UnitKind::County), "青山中心营业厅", &[Role::Clerk]),
        row(3, "2", "乙", "江州市区", Some(UnitKind::District), "人民路营业厅", &[Role::Clerk]),
        row(4, "3", "丙", "", None, "", &[Role::Trainer]),
    ];
    let p = plan(&rows, vec![], &Snapshot::default());
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert!(p.new_city);
    assert_eq!(
        p.new_areas,
        vec![("江州市区".into(), UnitKind::District), ("青山县分公司".into(), UnitKind::County)]
    );
    assert_eq!(p.new_halls.len(), 2);
    assert_eq!(p.creates.len(), 3);
    assert_eq!(p.creates[2].grants, vec![(Role::Trainer, UnitRef::NewCity)]);
}

#[test]
fn unchanged_updated_and_missing_staff() {
    let rows = vec![
        row(2, "10001", "张三", "青山县分公司", None, "青山中心营业厅", &[Role::Clerk]),
        row(3, "10002", "李四", "青山县分公司", None, "青山中心营业厅", &[Role::Clerk, Role::TeamLeader]),
    ];
    let p = plan(&rows, vec![], &snapshot());
    assert!(p.errors.is_empty());
    assert!(!p.new_city && p.new_halls.is_empty());
    assert_eq!((p.unchanged, p.creates.len(), p.updates.len()), (1, 1, 0));
    assert_eq!(p.missing.iter().map(|m| m.id).collect::<Vec<_>>(), vec![11]);

    let rows = vec![row(
        2,
        "10001",
        "张叁",
        "青山县分公司",
        None,
        "青山中心营业厅",
        &[Role::Clerk, Role::TeamLeader],
    )];
    let p = plan(&rows, vec![], &snapshot());
    assert_eq!(p.updates.len(), 1);
    assert_eq!(p.updates[0].changes, vec!["姓名：张三 → 张叁", "角色：营业员 → 营业员、营业班长"]);
}

#[test]
fn a_new_area_type_may_come_on_a_later_row() {
    let rows = vec![
        row(2, "1", "甲", "白河县分公司", None, "白河中心营业厅", &[Role::Clerk]),
        row(3, "2", "乙", "白河县分公司", Some(UnitKind::County), "白河中心营业厅", &[Role::Clerk]),
    ];
    let p = plan(&rows, vec![], &snapshot());
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.new_areas, vec![("白河县分公司".into(), UnitKind::County)]);
    assert_eq!(p.creates.len(), 2);
}

#[test]
fn phones_are_kept_when_the_file_has_no_phone_column() {
    let mut snap = snapshot();
    snap.staff[0].phone = Some("13800138000".into());
    let mut r = row(2, "10001", "张三", "青山县分公司", None, "青山中心营业厅", &[Role::Clerk]);
    r.phone_given = false;
    let p = plan(std::slice::from_ref(&r), vec![], &snap);
    assert_eq!((p.unchanged, p.updates.len()), (1, 0));
    r.phone_given = true;
    let p = plan(&[r], vec![], &snap);
    assert_eq!(p.updates[0].changes, vec!["手机号：13800138000 → （无）"]);
}

#[test]
fn nobody_is_offered_for_deactivation_while_the_file_has_errors() {
    let rows = vec![row(2, "10001", "张三", "青山县分公司", None, "青山中心营业厅", &[Role::Clerk])];
    let p = plan(&rows, vec![RowError::new(3, "工号为空。")], &snapshot());
    assert!(p.missing.is_empty());
    let p = plan(&rows, vec![], &snapshot());
    assert_eq!(p.missing.len(), 1);
}

#[test]
fn unit_problems_are_row_errors() {
    let rows = vec![
        row(2, "1", "甲", "白河县分公司", None, "白河营业厅", &[Role::Clerk]),
        row(3, "2", "乙", "青山县分公司", Some(UnitKind::District), "青山中心营业厅", &[Role::Clerk]),
        row(4, "3", "丙", "江州市区", Some(UnitKind::District), "青山中心营业厅", &[Role::Clerk]),
        row(5, "admin", "丁", "", None, "", &[Role::Trainer]),
    ];
    let p = plan(&rows, vec![], &snapshot());
    let got: Vec<(usize, bool)> = p.errors.iter().map(|e| (e.line, true)).collect();
    assert_eq!(got, vec![(2, true), (3, true), (4, true), (5, true)]);
    assert!(p.errors[0].message.contains("请填写区县类型"));
    assert!(p.errors[1].message.contains("已是县分公司"));
    assert!(p.errors[2].message.contains("属于「青山县分公司」"));
    assert!(p.errors[3].message.contains("用户名相同"));
}

#[test]
fn fingerprint_follows_the_plan() {
    let rows = vec![row(2, "10002", "李四", "青山县分公司", None, "青山中心营业厅", &[Role::Clerk])];
    let a = plan(&rows, vec![], &snapshot());
    let b = plan(&rows, vec![], &snapshot());
    assert_eq!(a.fingerprint(), b.fingerprint());
    let rows = vec![row(2, "10002", "李肆", "青山县分公司", None, "青山中心营业厅", &[Role::Clerk])];
    assert_ne!(a.fingerprint(), plan(&rows, vec![], &snapshot()).fingerprint());
}
