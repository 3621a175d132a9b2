//! The demo's phone tests: the default rubric, twenty scenarios linked to
//! the knowledge-base articles they rest on, and last month's and this
//! month's calls to every hall by the demo trainers, with a realistic
//! spread, a few critical failures, unidentified answers and ~10% re-scored.

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;

use super::model::{record, NewCall, Rubric};
use super::rules::Mark;
use crate::auth::Role;
use crate::db::Conn;
use crate::demo::Dice;
use crate::schema::{article_versions, role_assignments, scenarios, users};

/// (title, channel, business, what the tester asks, key points, a word of the KB article's title).
const SCENARIOS: [(&str, &str, &str, &str, &str, &str); 20] = [
    (
        "咨询5G套餐变更规则",
        "营业厅",
        "套餐",
        "我想把5G套餐换成便宜一点的，什么时候生效？",
        "降档次月生效；合约期内限制",
        "5G套餐变更",
    ),
    (
        "携号转网条件",
        "营业厅",
        "携号转网",
        "我想携号转网到别家，需要满足什么条件？",
        "实名一致、无欠费、无合约限制；短信查询授权码",
        "携号转网",
    ),
    (
        "宽带装机预约",
        "营业厅",
        "宽带",
        "新房子想装宽带，多久能上门？",
        "地址核查、预约时段、所需资料",
        "宽带装机",
    ),
    (
        "国际漫游开通",
        "营业厅",
        "漫游",
        "下周出国，手机要怎么开通漫游？",
        "默认开通情况、流量包、资费提醒",
        "国际漫游",
    ),
    (
        "补换卡所需证件",
        "营业厅",
        "补换卡",
        "手机卡丢了，补卡要带什么？",
        "本人有效身份证件；代办须双方证件",
        "补换卡",
    ),
    (
        "实名登记规范",
        "营业厅",
        "实名制",
        "帮家里老人办卡，用我的身份证可以吗？",
        "一证一名、本人到场、人证比对",
        "实名",
    ),
    ("过户办理", "营业厅", "过户", "号码想过户给我女儿，怎么办？", "双方到场、结清费用、合约处理", "过户"),
    (
        "欠费销户",
        "营业厅",
        "销户",
        "我的号码不用了，有欠费能直接销户吗？",
        "先结清欠费；余额退还方式",
        "销户",
    ),
    ("副卡与家庭融合", "营业厅", "融合", "能给家人加一张副卡吗？", "副卡数量上限、共享规则、资费", "副卡"),
    ("积分兑换", "电子渠道", "积分", "我的积分怎么兑换话费？", "积分查询渠道、兑换规则、有效期", "积分"),
    (
        "电子发票与账单查询",
        "电子渠道",
        "账单",
        "怎么开上个月的电子发票？",
        "APP 路径、开具时限、抬头修改",
        "电子发票",
    ),
    (
        "防范电信诈骗",
        "热线",
        "反诈",
        "有人打电话说我的号码要停机，让我转账，是真的吗？",
        "不转账、官方渠道核实、反诈提醒",
        "诈骗",
    ),
    ("投诉处理流程", "热线", "投诉", "我要投诉上次办业务被多收费。", "致歉、记录、时限承诺、回访", "投诉"),
    (
        "个人信息保护",
        "营业厅",
        "信息安全",
        "你们会把我的通话记录给别人吗？",
        "查询须本人、保密规定",
        "个人信息",
    ),
    (
        "适老化服务",
        "营业厅",
        "适老化",
        "我父亲年纪大了，办业务有照顾吗？",
        "爱心通道、上门服务、大字版",
        "适老",
    ),
    ("终端分期合约", "营业厅", "终端", "买手机能分期吗？提前解约怎么算？", "分期条件、违约责任", "终端"),
    ("靓号规则", "营业厅", "号码", "靓号有没有最低消费？", "低消与协议期、转让限制", "靓号"),
    (
        "停机保号与复机",
        "热线",
        "停复机",
        "出国一年，号码怎么保留？",
        "停机保号资费、办理渠道、复机方式",
        "停机",
    ),
    (
        "缴费异常处理",
        "电子渠道",
        "缴费",
        "交了话费但没到账怎么办？",
        "核实流水、到账时限、退款或补录",
        "缴费异常",
    ),
    (
        "冬季宽带提速活动",
        "营业厅",
        "宽带",
        "听说宽带提速不加钱，我能参加吗？",
        "活动对象、时限、办理方式",
        "提速",
    ),
];

/// A small deterministic generator, so every demo database looks the same.
fn scenarios(conn: &mut Conn, author: i32, at: chrono::NaiveDateTime) -> QueryResult<Vec<i32>> {
    let titles: Vec<(i32, String)> =
        article_versions::table.select((article_versions::article_id, article_versions::title)).load(conn)?;
    let mut ids = Vec::new();
    for (title, channel, business, question, points, word) in SCENARIOS {
        let mut articles: Vec<i32> =
            titles.iter().filter(|(_, t)| t.contains(word)).map(|(id, _)| *id).collect();
        articles.sort_unstable();
        articles.dedup();
        let id = diesel::insert_into(scenarios::table)
            .values((
                scenarios::title.eq(title),
                // Stored as the exam channels' code, as the scenario form does.
                scenarios::channel
                    .eq(crate::bank::question::Channel::parse_label(channel).map_or(channel, |c| c.code())),
                scenarios::business.eq(business),
                scenarios::question.eq(question),
                scenarios::key_points.eq(points),
                scenarios::article_ids.eq(serde_json::to_string(&articles).unwrap_or_default()),
                scenarios::active.eq(true),
                scenarios::created_by.eq(Some(author)),
                scenarios::created_at.eq(at),
                scenarios::updated_at.eq(at),
            ))
            .returning(scenarios::id)
            .get_result(conn)?;
        ids.push(id);
    }
    Ok(ids)
}

/// Marks for one call: mostly 70–95, some N/A on 问题解决, now and then a critical 0.
fn marks(d: &mut Dice, critical: bool) -> Vec<(String, Mark)> {
    let part = |d: &mut Dice, points: i64, low: i64| {
        Mark::Score((points * (low + d.roll(101 - low as u64) as i64)).min(points * 100))
    };
    let resolution = if d.roll(5) == 0 { Mark::NotApplicable } else { part(d, 10, 50) };
    vec![
        ("answer".into(), part(d, 10, 70)),
        ("phrases".into(), if critical { Mark::Score(0) } else { part(d, 20, 70) }),
        ("accuracy".into(), part(d, 40, 65)),
        ("attitude".into(), part(d, 20, 75)),
        ("resolution".into(), resolution),
    ]
}

/// The second tester's view: the same call, each item a little off, now and then a lot.
fn rescore(d: &mut Dice, first: &[(String, Mark)], far: bool) -> Vec<(String, Mark)> {
    let points = |code: &str| match code {
        "accuracy" => 40,
        "phrases" | "attitude" => 20,
        _ => 10,
    };
    first
        .iter()
        .map(|(code, m)| {
            let m = match m {
                Mark::Score(s) if *s > 0 => {
                    let swing = if far && code == "accuracy" { 1_400 } else { 150 };
                    Mark::Score((s - d.roll(swing) as i64).clamp(100, points(code) * 100))
                }
                other => *other,
            };
            (code.clone(), m)
        })
        .collect()
}

/// Adds the demo's phone tests (inside the demo's transaction).
pub fn populate(conn: &mut Conn, today: NaiveDate) -> QueryResult<()> {
    let at = crate::db::now();
    let (_, version) = Rubric::current(conn, at)?;
    let holders = |conn: &mut Conn, role: Role| -> QueryResult<Vec<i32>> {
        role_assignments::table
            .filter(role_assignments::role.eq(role.code()))
            .select(role_assignments::user_id)
            .order(role_assignments::user_id)
            .load(conn)
    };
    let mut testers = holders(conn, Role::Trainer)?;
    testers.dedup();
    let Some(&author) = testers.first() else { return Ok(()) };
    let scenario_ids = scenarios(conn, author, at)?;
    let halls: Vec<i32> = crate::org::OrgUnit::active_halls(conn)?.into_iter().map(|(id, _)| id).collect();
    let clerks: Vec<i32> = holders(conn, Role::Clerk)?;
    let mut d = Dice(20_261_127);
    let this_month = today.with_day(1).unwrap_or(today);
    let last_month = this_month.checked_sub_months(chrono::Months::new(1)).unwrap_or(this_month);
    for (first_day, last_day) in [(last_month, this_month - Duration::days(1)), (this_month, today)] {
        let days = (last_day - first_day).num_days() + 1;
        for hall in &halls {
            let staff: Vec<i32> = users::table
                .filter(users::hall_id.eq(hall))
                .filter(users::active.eq(true))
                .filter(users::id.eq_any(&clerks))
                .select(users::id)
                .load(conn)?;
            let calls = if first_day == this_month { 1 + days / 10 } else { 4 };
            for _ in 0..calls {
                let day = first_day + Duration::days(d.roll(days as u64) as i64);
                let local = day.and_hms_opt(9 + d.roll(8) as u32, d.roll(60) as u32, 0).unwrap_or_default();
                // Beijing wall-clock → UTC; never later than now.
                let called_at = (local - Duration::hours(8)).min(at - Duration::minutes(5));
                let tester = testers[d.roll(testers.len() as u64) as usize];
                let clerk = if staff.is_empty() || d.roll(12) == 0 {
                    None
                } else {
                    Some(staff[d.roll(staff.len() as u64) as usize])
                };
                let critical = d.roll(30) == 0;
                let first = marks(&mut d, critical);
                let call = NewCall {
                    called_at,
                    hall_id: *hall,
                    clerk_id: clerk,
                    tester_id: tester,
                    scenario_id: Some(scenario_ids[d.roll(scenario_ids.len() as u64) as usize]),
                    rubric_version_id: version.id,
                    marks: first.clone(),
                    rings: 1 + d.roll(5) as i32,
                    duration_seconds: 60 + d.roll(300) as i32,
                    notes: String::new(),
                    recording_ref: format!("LY{}{:04}", day.format("%Y%m%d"), d.roll(10_000)),
                    second_of: None,
                };
                let Ok(id) = record(conn, &call, Some(author), at)? else { continue };
                let others: Vec<i32> = testers.iter().copied().filter(|t| *t != tester).collect();
                if !others.is_empty() && d.roll(10) == 0 {
                    let far = d.roll(4) == 0;
                    let second = NewCall {
                        tester_id: others[d.roll(others.len() as u64) as usize],
                        marks: rescore(&mut d, &first, far),
                        notes: "复评".into(),
                        second_of: Some(id),
                        ..call
                    };
                    record(conn, &second, Some(author), at)?.ok();
                }
            }
        }
    }
    Ok(())
}
