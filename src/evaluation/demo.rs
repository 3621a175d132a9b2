//! The demo's customer voice and evaluations: three months of SMS replies
//! and the province's hall rates; last month's evaluation rated by every
//! hall manager, with appeals open, upheld and rejected and one 一票否决;
//! and last month's 360 round, answered and closed (the city district's
//! peer groups reach the threshold, the counties' — two halls each — do not).

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::{self, Appeal};
use super::scheme::EvalRole;
use super::three_sixty::model::{self as r360, Round, Status};
use crate::db::Conn;
use crate::demo::Dice;
use crate::domain::{Month, OrgTree};
use crate::satisfaction::model::{HallRate, NewReply};
use crate::schema::{role_assignments, satisfaction_replies, users};

const PRAISE: &[&str] = &[
    "办理很快，营业员很耐心",
    "服务态度好，解释清楚",
    "",
    "",
    "宽带报装当天就上门了，满意",
    "小姑娘很热情，帮我选了合适的套餐",
    "",
];

const NEUTRAL: &[&str] = &["排队时间有点长", "还行吧", "", "取号机不好用", "资费讲得不太清楚"];

const COMPLAINTS: &[&str] = &[
    "排队等了四十分钟，窗口只开了两个",
    "营业员态度差，问两遍就不耐烦",
    "宽带装机约了三次都没人来",
    "乱扣费，套餐里多了一个增值业务没人告诉我",
    "补卡要跑两趟，材料没一次说清楚",
    "携号转网被推来推去，解释不清",
    "排队叫号混乱，有人插队没人管",
    "推销太多，只想交个话费",
    "流量包退订不了，营业员说要打客服",
    "宽带故障报修三天没人处理",
    "营业员业务不熟，办个副卡查了半小时",
    "",
];

fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    // Asia/Shanghai is UTC+8 all year.
    day.and_hms_opt(hour, minute, 0).unwrap_or_default() - chrono::Duration::hours(8)
}

fn pick<'a>(dice: &mut Dice, list: &[&'a str]) -> &'a str {
    list[dice.roll(list.len() as u64) as usize]
}

/// Who works where: hall → its clerks (team leaders included: they serve too).
fn clerks_by_hall(conn: &mut Conn) -> QueryResult<Vec<(i32, Vec<i32>)>> {
    let rows: Vec<(i32, i32)> = role_assignments::table
        .inner_join(users::table)
        .filter(role_assignments::role.eq("clerk"))
        .filter(users::hall_id.is_not_null())
        .select((users::hall_id.assume_not_null(), users::id))
        .order(users::id)
        .load(conn)?;
    let mut out: Vec<(i32, Vec<i32>)> = Vec::new();
    for (hall, user) in rows {
        match out.iter_mut().find(|(h, _)| *h == hall) {
            Some((_, list)) => list.push(user),
            None => out.push((hall, vec![user])),
        }
    }
    Ok(out)
}

pub fn populate(conn: &mut Conn, today: NaiveDate) -> anyhow::Result<()> {
    let mut dice = Dice(25);
    let tree = OrgTree::load(conn)?;
    let month = Month::of_date(today);
    let last = month.previous().unwrap_or(month);
    let halls = clerks_by_hall(conn)?;
    let imported = at(last.last_day(), 18, 0);
    // Three months of replies; hall 3 of the city and one county hall struggle.
    for m in last.trailing(3) {
        for (i, (hall, clerks)) in halls.iter().enumerate() {
            let weak = i == 2 || i == 7;
            let n = 18 + dice.roll(15);
            for k in 0..n {
                let day = m.first_day() + chrono::Duration::days(dice.roll(u64::from(m.days())) as i64);
                if day >= today {
                    continue;
                }
                let roll = dice.roll(100);
                let bad_share = if weak { 22 } else { 6 };
                let (rating, comment) = if roll < bad_share {
                    let r = if dice.roll(3) == 0 {
                        (1 + dice.roll(5)).to_string()
                    } else {
                        "不满意".to_string()
                    };
                    (r, pick(&mut dice, COMPLAINTS))
                } else if roll < bad_share + 10 {
                    let r =
                        if dice.roll(2) == 0 { "一般".to_string() } else { (7 + dice.roll(2)).to_string() };
                    (r, pick(&mut dice, NEUTRAL))
                } else {
                    let r =
                        if dice.roll(3) == 0 { (9 + dice.roll(2)).to_string() } else { "满意".to_string() };
                    (r, pick(&mut dice, PRAISE))
                };
                let clerk = if dice.roll(5) == 0 {
                    None
                } else {
                    Some(clerks[dice.roll(clerks.len() as u64) as usize])
                };
                let row = NewReply {
                    month: m,
                    replied_at: at(day, 9 + (dice.roll(9) as u32), dice.roll(60) as u32),
                    hall_id: *hall,
                    clerk_id: clerk,
                    rating: &rating,
                    comment,
                    ref_no: &format!("SMS{}{:03}{:03}", m.as_str().replace('-', ""), i, k),
                    imported_by: None,
                    imported_at: imported,
                };
                diesel::insert_into(satisfaction_replies::table).values(&row).execute(conn)?;
            }
            let rate = if weak { 8_800 + dice.roll(500) as i64 } else { 9_500 + dice.roll(480) as i64 };
            HallRate::put(conn, m, *hall, (rate, Some(80 + dice.roll(80) as i32)), None, imported)?;
        }
    }
    three_sixty(conn, &mut dice, last, today)?;
    evaluation(conn, &mut dice, &tree, last, today)?;
    Ok(())
}

/// Last month's 360 round: created in the month, answered, closed at its end.
fn three_sixty(conn: &mut Conn, dice: &mut Dice, last: Month, today: NaiveDate) -> anyhow::Result<()> {
    let Some(trainer) =
        users::table.filter(users::username.eq("90001")).select(users::id).first::<i32>(conn).optional()?
    else {
        return Ok(());
    };
    let title = format!("{} 营业班长 360 度评价", last.label());
    let opened = at(last.first_day() + chrono::Duration::days(14), 9, 0);
    let Ok(id) = Round::create(conn, &title, last, Vec::new(), trainer, opened)? else { return Ok(()) };
    Round::set_status(conn, id, Status::Draft, Status::Open, opened)?;
    let round = Round::find(conn, id)?;
    let comments = [
        "排班合理，高峰时会主动上柜台",
        "带新人很耐心",
        "有时传达要求不够及时",
        "",
        "处理投诉很有办法",
        "希望多组织业务学习",
        "",
    ];
    for rater in Round::raters(conn, id)? {
        // Most answer; about one in six does not (the reminder list shows them).
        if dice.roll(6) == 0 {
            continue;
        }
        let base = 3 + dice.roll(2) as i64;
        let scores: Vec<i64> =
            round.items.iter().map(|_| (base + dice.roll(3) as i64 - 1).clamp(1, 5)).collect();
        let comment = comments[dice.roll(comments.len() as u64) as usize];
        let _ = r360::submit(conn, &round, rater.leader_id, rater.rater_id, &scores, comment)?;
    }
    let closed = at(last.last_day(), 18, 0).min(at(today, 0, 0));
    Round::set_status(conn, id, Status::Open, Status::Closed, closed)?;
    Ok(())
}

/// Last month's ratings by every hall manager, and appeals in each state.
fn evaluation(
    conn: &mut Conn,
    dice: &mut Dice,
    tree: &OrgTree,
    last: Month,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let managers: Vec<(i32, i32)> = role_assignments::table
        .filter(role_assignments::role.eq("hall_manager"))
        .select((role_assignments::org_unit_id, role_assignments::user_id))
        .load(conn)?;
    let rated_at = at(last.last_day(), 17, 0).min(at(today, 0, 0));
    let below = [
        ("attitude", "客户反映解释业务时语气生硬，已当面指出"),
        ("solving", "一笔携号转网业务未能当场办结，让客户二次到厅"),
        ("management", "高峰期分流不及时，排队超过 20 分钟两次"),
    ];
    for role in EvalRole::ALL {
        let sheet = model::role_sheet(conn, role, last)?;
        let scheme = super::scheme::Scheme::current(conn, role)?;
        for e in &sheet.people {
            let Some(&(_, manager)) = managers.iter().find(|(h, _)| *h == e.hall_id) else { continue };
            let mut given = Vec::new();
            for c in
                scheme.body.components.iter().filter(|c| c.source == super::rules::Source::Rated && !c.veto)
            {
                let roll = dice.roll(10);
                let (points, reason) = match below.iter().find(|(code, _)| *code == c.code) {
                    Some((_, why)) if roll < 2 => (c.max - 100 * (1 + dice.roll(3) as i64), why.to_string()),
                    _ => (c.max, String::new()),
                };
                given.push((c.code.clone(), points, reason));
            }
            model::rate(conn, last, (e.user_id, role), &given, manager, rated_at)?
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    // One red line: a county clerk took a customer's cash for a top-up without a receipt.
    let county = model::role_sheet(conn, EvalRole::Clerk, last)?
        .people
        .into_iter()
        .find(|e| tree.area_of(Some(e.hall_id)).is_some_and(|a| a.kind == crate::org::UnitKind::County));
    if let Some(e) = &county {
        if let Some(&(_, manager)) = managers.iter().find(|(h, _)| *h == e.hall_id) {
            let why = "私下收取客户现金代充话费，未开票（经调查属实）".to_string();
            model::rate(
                conn,
                last,
                (e.user_id, EvalRole::Clerk),
                &[("veto".into(), 100, why)],
                manager,
                rated_at,
            )?
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    // Appeals: the demo clerk 10003 has one upheld; others rejected and open.
    let supervisor: Option<i32> =
        users::table.filter(users::username.eq("80000")).select(users::id).first(conn).optional()?;
    let by_login = |conn: &mut Conn, login: &str| -> QueryResult<Option<i32>> {
        users::table.filter(users::username.eq(login)).select(users::id).first(conn).optional()
    };
    let filed = at(today.with_day(1).unwrap_or(today), 10, 0).min(at(today, 0, 0));
    // (工号, component, reason, answer: Some((new points, text)); points -1 = rejected)
    type Demo<'a> = (&'a str, &'a str, &'a str, Option<(i64, &'a str)>);
    let appeals: [Demo; 3] = [
        (
            "10003",
            "phone",
            "11 月 12 日那通拨测是实习生接听的，系统记在了我的工号上",
            Some((1_500, "核对录音属实，该通不计入，改为满分")),
        ),
        (
            "10004",
            "attitude",
            "当天客户情绪激动，我已按流程安抚，不应扣分",
            Some((-1, "调取监控，语气确有不当，维持原评分")),
        ),
        ("10005", "solving", "那位客户的宽带故障是线路问题，当天已转装维，不是我没处理", None),
    ];
    // The disputed ratings, below full marks with the manager's reason.
    let disputed = [
        ("10004", "attitude", 800, "客户投诉语气生硬，调取录像属实"),
        ("10005", "solving", 700, "宽带故障客户两次到厅未解决"),
    ];
    for (login, component, points, why) in disputed {
        let Some(user) = by_login(conn, login)? else { continue };
        let Some(hall) = users::table.find(user).select(users::hall_id).first::<Option<i32>>(conn)? else {
            continue;
        };
        if let Some(&(_, manager)) = managers.iter().find(|(h, _)| *h == hall) {
            model::rate(
                conn,
                last,
                (user, EvalRole::Clerk),
                &[(component.into(), points, why.into())],
                manager,
                rated_at,
            )?
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    for (login, component, reason, answer) in appeals {
        let Some(user) = by_login(conn, login)? else { continue };
        let Ok(id) = model::file_appeal(conn, last, (user, EvalRole::Clerk), component, reason, filed)?
        else {
            continue;
        };
        if let (Some((points, text)), Some(sup)) = (answer, supervisor) {
            let appeal = Appeal::find(conn, id)?;
            let max = super::scheme::Scheme::current(conn, EvalRole::Clerk)?
                .body
                .components
                .iter()
                .find(|c| c.code == component)
                .map_or(0, |c| c.max);
            let decision = (points >= 0).then_some(points);
            let _ = model::answer_appeal(
                conn,
                &appeal,
                (component, max),
                decision,
                text,
                sup,
                filed + chrono::Duration::hours(26),
            )?;
        }
    }
    Ok(())
}
