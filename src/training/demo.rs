//! The demo's training records for the last two months and this month so
//! far: each hall's morning-meeting study and topic sessions (two county
//! halls and one city hall fall short of the five hours most months), and a
//! weekly offline-environment drill of every clerk — with slow and fast
//! clerks, a county whose 携号转网 and 宽带装机 handling is slow, and a few
//! missed weeks — so the scorecard and the weak-spot views show patterns.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::study::rules::StudyKind;
use crate::auth::Role;
use crate::db::Conn;
use crate::demo::Dice;
use crate::exam::model::Tree;
use crate::schema::{
    articles, drill_types, drills, role_assignments, study_attendees, study_sessions, users,
};

/// Halls whose team leaders organise too little topic training.
const SHORT_HALLS: &[&str] = &["白河镇营业厅", "石门开发区营业厅", "火车站营业厅"];
/// The county whose clerks are slow at the long business types.
const SLOW_AREA: &str = "云岭县分公司";
const SLOW_TYPES: &[&str] = &["携号转网", "宽带装机"];

const MORNING_TOPICS: &[&str] = &[
    "本周营销政策与活动口径",
    "昨日业务差错通报与纠正",
    "服务规范与礼仪回顾",
    "新上线业务办理要点",
    "反诈宣传话术与风险提示",
    "投诉热点与首问负责",
];
const TOPICS: &[&str] = &[
    "携号转网新规解读与办理流程",
    "5G套餐资费口径专题培训",
    "实名制登记与补换卡规范",
    "宽带装机预约与上门流程",
    "投诉处理与客户情绪安抚",
    "国际漫游与出境提醒",
    "离线环境演练复盘：常见差错",
];

pub fn populate(conn: &mut Conn, today: NaiveDate) -> QueryResult<()> {
    let at = crate::db::now();
    let tree = Tree::load(conn)?;
    let halls = crate::org::OrgUnit::active_halls(conn)?;
    let grants: Vec<(i32, String, i32)> = role_assignments::table
        .select((role_assignments::user_id, role_assignments::role, role_assignments::org_unit_id))
        .load(conn)?;
    let clerks: Vec<i32> = grants.iter().filter(|g| g.1 == Role::Clerk.code()).map(|g| g.0).collect();
    let article_ids: Vec<i32> = articles::table.select(articles::id).order(articles::id).load(conn)?;
    let types: Vec<(i32, String, i32)> = drill_types::table
        .filter(drill_types::active.eq(true))
        .order(drill_types::position)
        .select((drill_types::id, drill_types::name, drill_types::target_seconds))
        .load(conn)?;
    let mut d = Dice(20_261_009);
    let this_month = today.with_day(1).unwrap_or(today);
    let months: Vec<NaiveDate> =
        (0..3u32).rev().filter_map(|back| this_month.checked_sub_months(chrono::Months::new(back))).collect();
    for (hall, hall_name) in &halls {
        let leader = grants.iter().find(|g| g.1 == Role::TeamLeader.code() && g.2 == *hall).map(|g| g.0);
        let staff: Vec<i32> = users::table
            .filter(users::hall_id.eq(hall))
            .filter(users::active.eq(true))
            .filter(users::id.eq_any(&clerks))
            .order(users::id)
            .select(users::id)
            .load(conn)?;
        let slow_area = tree.area_of(Some(*hall)).is_some_and(|a| a.name == SLOW_AREA);
        let short = SHORT_HALLS.contains(&hall_name.as_str());
        for first in &months {
            let last = first
                .checked_add_months(chrono::Months::new(1))
                .map(|n| n - Duration::days(1))
                .unwrap_or(*first)
                .min(today);
            let ctx = Month { first: *first, last, at, leader, hall: *hall };
            study_month(conn, &mut d, &ctx, &staff, &article_ids, short)?;
            drill_month(conn, &mut d, &ctx, &staff, &types, slow_area)?;
        }
    }
    Ok(())
}

struct Month {
    first: NaiveDate,
    last: NaiveDate,
    at: NaiveDateTime,
    leader: Option<i32>,
    hall: i32,
}

fn study_month(
    conn: &mut Conn,
    d: &mut Dice,
    m: &Month,
    staff: &[i32],
    article_ids: &[i32],
    short: bool,
) -> QueryResult<()> {
    let mut day = m.first;
    while day <= m.last {
        // Morning-meeting study on Mondays and Thursdays (a short hall: Mondays), 20–30 minutes.
        let weekday = day.weekday();
        let slot = weekday == chrono::Weekday::Mon || (weekday == chrono::Weekday::Thu && !short);
        if slot && d.roll(6) != 0 {
            let topic = MORNING_TOPICS[d.roll(MORNING_TOPICS.len() as u64) as usize];
            let minutes = 20 + 5 * d.roll(3) as i32;
            session(conn, d, m, day, ("08:30", minutes), StudyKind::Morning, topic, &[], staff)?;
        }
        day += Duration::days(1);
    }
    // Topic training: two or three a month (one at a short hall), 90–120 minutes.
    let topics = if short { 1 } else { 2 + d.roll(2) };
    let days = (m.last - m.first).num_days() + 1;
    let mut taken = Vec::new();
    for _ in 0..topics {
        // One evening session a day: two at 18:00 on one day would overlap.
        let mut day = m.first + Duration::days(d.roll(days as u64) as i64);
        while taken.contains(&day) {
            day = if day < m.last { day + Duration::days(1) } else { m.first };
        }
        taken.push(day);
        let topic = TOPICS[d.roll(TOPICS.len() as u64) as usize];
        let minutes = 90 + 30 * d.roll(2) as i32;
        let linked: Vec<i32> = if article_ids.is_empty() {
            Vec::new()
        } else {
            (0..1 + d.roll(2)).map(|_| article_ids[d.roll(article_ids.len() as u64) as usize]).collect()
        };
        session(conn, d, m, day, ("18:00", minutes), StudyKind::Topic, topic, &linked, staff)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn session(
    conn: &mut Conn,
    d: &mut Dice,
    m: &Month,
    day: NaiveDate,
    (starts, minutes): (&str, i32),
    kind: StudyKind,
    topic: &str,
    linked: &[i32],
    staff: &[i32],
) -> QueryResult<()> {
    let start = chrono::NaiveTime::parse_from_str(starts, "%H:%M").unwrap_or_default();
    let ends = (start + Duration::minutes(minutes as i64)).format("%H:%M").to_string();
    let mut linked = linked.to_vec();
    linked.sort_unstable();
    linked.dedup();
    let id: i32 = diesel::insert_into(study_sessions::table)
        .values((
            study_sessions::hall_id.eq(m.hall),
            study_sessions::held_on.eq(day),
            study_sessions::month.eq(crate::domain::Month::of_date(day)),
            study_sessions::starts.eq(starts),
            study_sessions::ends.eq(ends),
            study_sessions::minutes.eq(minutes),
            study_sessions::kind.eq(kind.code()),
            study_sessions::topic.eq(topic),
            study_sessions::article_ids.eq(serde_json::to_string(&linked).unwrap_or_else(|_| "[]".into())),
            study_sessions::notes.eq(""),
            study_sessions::created_by.eq(m.leader),
            study_sessions::created_at.eq(m.at),
            study_sessions::updated_at.eq(m.at),
        ))
        .returning(study_sessions::id)
        .get_result(conn)?;
    // Most of the hall attends; one or two are on the counter or on leave.
    for user in staff {
        if d.roll(8) != 0 {
            diesel::insert_into(study_attendees::table)
                .values((study_attendees::session_id.eq(id), study_attendees::user_id.eq(user)))
                .execute(conn)?;
        }
    }
    Ok(())
}

fn drill_month(
    conn: &mut Conn,
    d: &mut Dice,
    m: &Month,
    staff: &[i32],
    types: &[(i32, String, i32)],
    slow_area: bool,
) -> QueryResult<()> {
    if types.is_empty() {
        return Ok(());
    }
    // One drill day a week (Wednesday), each clerk one or two business types.
    let mut day = m.first;
    while day <= m.last {
        if day.weekday() == chrono::Weekday::Wed {
            for (i, clerk) in staff.iter().enumerate() {
                // A clerk's pace: 70–115% of the target, steady across months.
                let pace = 70 + ((*clerk as u64 * 37 + i as u64 * 11) % 46) as i64;
                if d.roll(10) == 0 {
                    continue; // missed this week
                }
                for _ in 0..1 + d.roll(2) {
                    let (type_id, name, target) = &types[d.roll(types.len() as u64) as usize];
                    let slow = if slow_area && SLOW_TYPES.contains(&name.as_str()) { 135 } else { 100 };
                    let jitter = 85 + d.roll(31) as i64;
                    let seconds =
                        (*target as i64 * pace * slow * jitter / 1_000_000).clamp(30, 14_400) as i32;
                    let errors = if d.roll(100) < (pace as u64 - 60) / 4 { 1 + d.roll(2) as i32 } else { 0 };
                    diesel::insert_into(drills::table)
                        .values((
                            drills::drilled_on.eq(day),
                            drills::month.eq(crate::domain::Month::of_date(day)),
                            drills::hall_id.eq(m.hall),
                            drills::clerk_id.eq(clerk),
                            drills::drill_type_id.eq(type_id),
                            drills::seconds.eq(seconds),
                            drills::errors.eq(errors),
                            drills::notes.eq(if errors > 0 { "漏核实名信息" } else { "" }),
                            drills::recorded_by.eq(m.leader),
                            drills::created_at.eq(m.at),
                        ))
                        .execute(conn)?;
                }
            }
        }
        day += Duration::days(1);
    }
    Ok(())
}
