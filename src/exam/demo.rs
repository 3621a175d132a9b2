//! Demo exams: this month's monthly exam (open now) and the two months before
//! it, closed, with results for every demo clerk sat through the real
//! start → save → submit path. The spread is deterministic: each clerk has an
//! ability, county halls a little lower on average, and a few are absent.

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;

use super::key::Review;
use super::model::{self, Attempt, Audience, Exam, ExamKind, ExamStatus, Sitting, Source};
use super::paper::{self, PaperRule, Section, SplitMix64};
use super::rules;
use crate::bank::grading::Response;
use crate::bank::question::{Answer, Kind};
use crate::db::Conn;
use crate::domain::Month;
use crate::schema::{role_assignments, users};

/// The demo paper: 20 单选 × 3 + 5 多选 × 4 + 10 判断 × 2 = 100 points.
fn rule(bank_id: i32) -> PaperRule {
    PaperRule::Sections {
        bank_id,
        sections: vec![
            Section::any("单选题", Kind::Single, 20, 300),
            Section::any("多选题", Kind::Multiple, 5, 400),
            Section::any("判断题", Kind::TrueFalse, 10, 200),
        ],
    }
}

fn exam(
    month: Month,
    title: &str,
    opens: chrono::NaiveDateTime,
    closes: chrono::NaiveDateTime,
    bank_id: i32,
    root: i32,
) -> Exam {
    let audience =
        Audience { units: vec![root], roles: vec!["clerk".into()], include: vec![], exclude: vec![] };
    Exam {
        id: 0,
        month,
        title: title.into(),
        kind: ExamKind::Monthly,
        channels: r#"["hall","hotline","online"]"#.into(),
        opens_at: opens,
        closes_at: closes,
        time_limit_minutes: 45,
        pass_mark: 6000,
        audience: serde_json::to_string(&audience).unwrap_or_default(),
        paper_rule: serde_json::to_string(&rule(bank_id)).unwrap_or_default(),
        seed: i64::from(opens.and_utc().timestamp() as i32).abs(),
        review: Review::Full,
        allowed_ips: String::new(),
        stagger: "{}".into(),
        grace_seconds: 30,
        status: ExamStatus::Published,
        created_by: None,
        created_at: opens - Duration::days(3),
        updated_at: opens - Duration::days(3),
        source: Source::Sat,
    }
}

/// A wrong answer of the same type (the demo clerk slipped).
fn wrong(answer: &Answer, options: usize, rng: &mut SplitMix64) -> Response {
    match answer {
        Answer::Choices(correct) => {
            let wrong: Vec<usize> = (0..options).filter(|o| !correct.contains(o)).collect();
            let pick = wrong.get(rng.below(wrong.len().max(1) as u64) as usize).copied().unwrap_or(0);
            // Half the slips on 多选 are a partial answer rather than a wrong option.
            if correct.len() > 1 && rng.below(2) == 0 {
                Response::Choices(correct[..correct.len() - 1].to_vec())
            } else {
                Response::Choices(vec![pick])
            }
        }
        Answer::TrueFalse(v) => Response::TrueFalse(!v),
        Answer::Blanks(groups) => Response::Blanks(vec![String::new(); groups.len()]),
        Answer::Reference(_) => Response::Text("按流程办理。".into()),
    }
}

fn right(answer: &Answer) -> Response {
    match answer {
        Answer::Choices(c) => Response::Choices(c.clone()),
        Answer::TrueFalse(v) => Response::TrueFalse(*v),
        Answer::Blanks(groups) => {
            Response::Blanks(groups.iter().map(|g| g.first().cloned().unwrap_or_default()).collect())
        }
        Answer::Reference(r) => Response::Text(r.clone()),
    }
}

/// Adds the three demo exams. `bank_id` is the demo bank.
pub fn populate(conn: &mut Conn, bank_id: i32) -> anyhow::Result<()> {
    let Some(root) = crate::org::OrgUnit::root(conn)? else { return Ok(()) };
    let now = crate::db::now();
    let today = crate::time::local_now().date();
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let local =
        |d: NaiveDate, h: u32| crate::time::parse_local_input(&format!("{} {h:02}:00", d.format("%Y-%m-%d")));
    // This month: open from an hour ago for a week, so the demo can be sat now.
    let current = exam(
        Month::of_date(today),
        &format!("{}三大渠道月考", today.format("%Y年%-m月")),
        now - Duration::hours(1),
        now + Duration::days(7),
        bank_id,
        root.id,
    );
    let current_id = Exam::insert(conn, &current)?;
    let admin: Option<i32> =
        users::table.filter(users::username.eq("admin")).select(users::id).first(conn).optional()?;
    let admin = admin.unwrap_or(root.id);
    let tree = model::Tree::load(conn)?;
    let clerks: Vec<(i32, Option<i32>)> = users::table
        .inner_join(role_assignments::table)
        .filter(role_assignments::role.eq("clerk"))
        .filter(users::active.eq(true))
        .select((users::id, users::hall_id))
        .order(users::id)
        .load(conn)?;
    for back in [2u32, 1] {
        let month_start = first - chrono::Months::new(back);
        let day = month_start + Duration::days(24);
        let (Some(opens), Some(closes)) = (local(day, 9), local(day, 17)) else { continue };
        let mut e = exam(
            Month::of_date(month_start),
            &format!("{}三大渠道月考", month_start.format("%Y年%-m月")),
            opens,
            closes,
            bank_id,
            root.id,
        );
        e.id = Exam::insert(conn, &e)?;
        // Two months ago was closed before last month's exam: its flagged
        // clerks sat last month in person, in a sitting at the city office.
        crate::review::close::sync_exam(conn, e.id)?;
        let sitting = Sitting::open(conn, e.id, CITY_ROOM, opens, admin)?;
        sit_all(conn, &e, &clerks, &tree, u64::from(back), sitting)?;
        Sitting::close(conn, sitting)?;
        let at = closes + Duration::days(2);
        let closed =
            crate::closing::close_month_of::<crate::review::close::ReviewList>(conn, e.month, admin, at)?;
        closed.map_err(|why| anyhow::anyhow!(why.to_string()))?;
    }
    follow_up(conn, Month::of_date(first - chrono::Months::new(1)), now)?;
    // This month's in-person sitting for last month's list, the day after tomorrow.
    if let Some(starts) = local(today + Duration::days(2), 9) {
        Sitting::open(conn, current_id, CITY_ROOM, starts, admin)?;
    }
    Ok(())
}

/// Last month's list half followed up, as on a real morning after the close:
/// talks recorded with notes, a few retests scheduled, one exemption.
fn follow_up(conn: &mut Conn, month: Month, at: chrono::NaiveDateTime) -> anyhow::Result<()> {
    use crate::review::case::{Case, CaseStatus};
    let supervisor: Option<i32> =
        users::table.filter(users::username.eq("80000")).select(users::id).first(conn).optional()?;
    let Some(by) = supervisor else { return Ok(()) };
    let flagged: Vec<i32> = crate::schema::month_flags::table
        .filter(crate::schema::month_flags::month.eq(month))
        .filter(crate::schema::month_flags::reason.eq("below"))
        .order(crate::schema::month_flags::user_id)
        .select(crate::schema::month_flags::user_id)
        .load(conn)?;
    const NOTES: [&str; 4] = [
        "已当面沟通：本人承认携号转网流程不熟，已约定每天晨会后复习30分钟。",
        "电话沟通：近期新资费记不清，班长安排一对一辅导，本人表示下月到市公司复考。",
        "已沟通：考试当天身体不适，本人认可结果，将按时参加现场复考。",
        "已当面沟通：实名制规范题失分较多，已发放必读材料，下周抽查。",
    ];
    // Every fourth, so every county has some of each.
    for (i, user) in flagged.iter().step_by(4).take(12).enumerate() {
        let when = at - Duration::hours(30 - i as i64);
        Case::record(conn, month, *user, CaseStatus::Talked, NOTES[i % NOTES.len()], "", by, when)?;
        if i % 3 == 0 {
            Case::record(conn, month, *user, CaseStatus::RetestScheduled, "", "", by, when)?;
        }
    }
    if let Some(user) = flagged.get(1) {
        Case::record(conn, month, *user, CaseStatus::Exempt, "", "产假中（至次年2月），返岗后补考", by, at)?;
        crate::review::close::sync_in_person(conn, month)?;
    }
    Ok(())
}

/// Where in-person sittings are held.
const CITY_ROOM: &str = "市公司三楼培训教室";

fn sit_all(
    conn: &mut Conn,
    exam: &Exam,
    clerks: &[(i32, Option<i32>)],
    tree: &model::Tree,
    salt: u64,
    sitting: i32,
) -> anyhow::Result<()> {
    let in_person: Vec<i32> = model::ExamPerson::for_exam(conn, exam.id)?
        .into_iter()
        .filter(|p| p.in_person)
        .map(|p| p.user_id)
        .collect();
    let rule = exam.paper_rule()?;
    let pool = model::pool(conn, &rule)?;
    let mut questions = std::collections::HashMap::new();
    for (id, hall) in clerks {
        let mut rng = SplitMix64::new((*id as u64) << 8 ^ salt);
        // About 4 % absent.
        if rng.below(100) < 4 {
            continue;
        }
        let county = tree.area_of(*hall).is_some_and(|a| a.kind == crate::org::UnitKind::County);
        // Ability: the chance of a right answer, 55–97 %, county halls 5 points lower.
        let ability = 55 + rng.below(43) as i64 - if county { 5 } else { 0 };
        let drawn = paper::compose(&rule, &pool, exam.seed as u64, *id, &Default::default())
            .map_err(|s| anyhow::anyhow!("{s:?}"))?;
        let started = exam.opens_at + Duration::minutes(rng.below(120) as i64);
        let deadline = rules::deadline(started, i64::from(exam.time_limit_minutes), exam.closes_at, 0);
        let attempt_id = Attempt::start(
            conn,
            exam.id,
            *id,
            *hall,
            &drawn,
            started,
            deadline,
            "demo",
            in_person.contains(id).then_some(sitting),
        )?;
        let attempt = Attempt::find(conn, attempt_id)?;
        for (i, d) in drawn.iter().enumerate() {
            let q = match questions.entry(d.version_id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let v: crate::bank::model::VersionRow = crate::schema::question_versions::table
                        .find(d.version_id)
                        .select(crate::bank::model::VersionRow::as_select())
                        .first(conn)?;
                    e.insert(v.question()?)
                }
            };
            let response = if (rng.below(100) as i64) < ability {
                right(&q.answer)
            } else {
                wrong(&q.answer, q.options.len(), &mut rng)
            };
            let at = started + Duration::seconds(40 * (i as i64 + 1));
            Attempt::save(conn, &attempt, 30, i as i32 + 1, Some(&response), false, at)?;
        }
        let finished = (started + Duration::minutes(20 + rng.below(25) as i64)).min(deadline);
        Attempt::submit(conn, attempt_id, "self", finished)?;
        // Most clerks open the review of a past exam that shows its key
        // (what the bank page's exposure figures count).
        if exam.closes_at < crate::db::now() && exam.review().shows_paper() && rng.below(100) < 70 {
            let seen: Vec<(i32, i32)> = drawn.iter().map(|d| (d.question_id, d.version_id)).collect();
            let at = exam.closes_at + Duration::hours(2 + rng.below(48) as i64);
            super::exposure::record(conn, *id, exam.id, &seen, at)?;
        }
    }
    Ok(())
}
