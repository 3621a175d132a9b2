//! 360 rounds in the database.
//!
//! **Anonymity.** `review360_raters` says who rates whom and whether they
//! have answered (for reminders). `review360_answers` holds the answers with
//! the leader and perspective only: a random key, no rater, no time, no
//! sequence. Each submit writes the whole group's answers again under new
//! random keys in a shuffled order, so neither keys nor the physical order
//! follow the order people answered in; results show only once a round is
//! closed (never while numbers still move as people answer), and a peer or
//! subordinate group only with enough answers ([`threshold`]). The direct
//! superior is one known person: their answer is shown as theirs, and the
//! questionnaire says so.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::db::Conn;
use crate::domain::org::OrgTree;
use crate::domain::score::div_half_up;
use crate::domain::Month;
use crate::evaluation::rules::three_sixty::{
    exact_group_mean, group_mean, overall, raters, threshold, GroupSum, Staff,
};
use crate::schema::{review360_answers, review360_raters, review360_rounds, role_assignments, users};
use crate::web::msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Perspective {
    Superior,
    Peer,
    Subordinate,
}

impl Perspective {
    pub const ALL: [Perspective; 3] = [Perspective::Superior, Perspective::Peer, Perspective::Subordinate];

    pub fn code(self) -> &'static str {
        match self {
            Perspective::Superior => "superior",
            Perspective::Peer => "peer",
            Perspective::Subordinate => "subordinate",
        }
    }

    pub fn parse(code: &str) -> Option<Perspective> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Perspective::Superior => msg::R360_SUPERIOR,
            Perspective::Peer => msg::R360_PEER,
            Perspective::Subordinate => msg::R360_SUBORDINATE,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Open,
    Closed,
}

impl Status {
    fn parse(code: &str) -> Status {
        match code {
            "open" => Status::Open,
            "closed" => Status::Closed,
            _ => Status::Draft,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => msg::R360_DRAFT,
            Status::Open => msg::R360_OPEN,
            Status::Closed => msg::R360_CLOSED,
        }
    }
}

/// One questionnaire item, answered on a 1–5 scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub code: String,
    pub label: String,
}

/// The shipped questionnaire (version 1).
pub fn default_items() -> Vec<Item> {
    [
        ("example", "以身作则，带头执行服务规范"),
        ("floor", "现场管理：排班、分流与高峰应对"),
        ("coaching", "带教与业务辅导"),
        ("communication", "沟通协作，及时传达上级要求"),
        ("complaints", "处理客户疑难问题与投诉"),
        ("learning", "组织业务学习与每周演练"),
    ]
    .into_iter()
    .map(|(code, label)| Item { code: code.into(), label: label.into() })
    .collect()
}

/// Items from the city office's text: one per line.
pub fn items_from_text(text: &str) -> Vec<Item> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(30)
        .enumerate()
        .map(|(i, l)| Item { code: format!("q{}", i + 1), label: l.chars().take(100).collect() })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Round {
    pub id: i32,
    pub title: String,
    pub month: Month,
    pub questionnaire_version: i32,
    pub items: Vec<Item>,
    pub status: Status,
    pub status_label: &'static str,
    pub created_at: NaiveDateTime,
}

type RoundRow = (i32, String, Month, i32, String, String, NaiveDateTime);

fn round_of(r: RoundRow) -> Round {
    let status = Status::parse(&r.5);
    Round {
        id: r.0,
        title: r.1,
        month: r.2,
        questionnaire_version: r.3,
        items: serde_json::from_str(&r.4).unwrap_or_default(),
        status,
        status_label: status.label(),
        created_at: r.6,
    }
}

macro_rules! round_columns {
    () => {
        (
            review360_rounds::id,
            review360_rounds::title,
            review360_rounds::month,
            review360_rounds::questionnaire_version,
            review360_rounds::questionnaire,
            review360_rounds::status,
            review360_rounds::created_at,
        )
    };
}

/// A rater's assignment.
#[derive(Debug, Clone, Serialize, Queryable)]
pub struct Rater {
    pub id: i32,
    pub round_id: i32,
    pub leader_id: i32,
    pub rater_id: i32,
    #[serde(skip)]
    pub perspective_code: String,
    pub done: bool,
}

impl Rater {
    pub fn perspective(&self) -> Option<Perspective> {
        Perspective::parse(&self.perspective_code)
    }
}

/// Why a 360 action is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotDraft,
    NotOpen,
    NotRater,
    AlreadyAnswered,
    BadScores,
    SelfRating,
    NoLeaders,
    Title,
    MonthTaken(Month),
    /// Who may rate from a perspective: the superior a hall manager or supervisor
    /// (one only), a peer a team leader, a subordinate a clerk of the leader's hall.
    WrongPerspective,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::NotDraft => msg::R360_NOT_DRAFT,
            Refusal::NotOpen => msg::R360_NOT_OPEN,
            Refusal::NotRater => msg::R360_NOT_RATER,
            Refusal::AlreadyAnswered => msg::R360_ALREADY,
            Refusal::BadScores => msg::R360_BAD_SCORES,
            Refusal::SelfRating => msg::R360_SELF,
            Refusal::NoLeaders => msg::R360_NO_LEADERS,
            Refusal::Title => msg::R360_TITLE,
            Refusal::WrongPerspective => msg::R360_WRONG_PERSPECTIVE,
            Refusal::MonthTaken(m) => return write!(f, "{}", msg::r360_month_taken(*m)),
        })
    }
}

impl Round {
    pub fn all(conn: &mut Conn) -> QueryResult<Vec<Round>> {
        let rows: Vec<RoundRow> =
            review360_rounds::table.order(review360_rounds::id.desc()).select(round_columns!()).load(conn)?;
        Ok(rows.into_iter().map(round_of).collect())
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Round> {
        review360_rounds::table.find(id).select(round_columns!()).first::<RoundRow>(conn).map(round_of)
    }

    /// The items and version the next round starts from: the last round's, else the shipped ones.
    pub fn last_questionnaire(conn: &mut Conn) -> QueryResult<(i32, Vec<Item>)> {
        Ok(Self::all(conn)?
            .into_iter()
            .next()
            .map_or((1, default_items()), |r| (r.questionnaire_version, r.items)))
    }

    /// Creates a draft round with every active team leader's raters from the org tree.
    pub fn create(
        conn: &mut Conn,
        title: &str,
        month: Month,
        items: Vec<Item>,
        by: i32,
        at: NaiveDateTime,
    ) -> QueryResult<Result<i32, Refusal>> {
        if title.trim().is_empty() {
            return Ok(Err(Refusal::Title));
        }
        if Self::all(conn)?.iter().any(|r| r.month == month) {
            return Ok(Err(Refusal::MonthTaken(month)));
        }
        let (last_version, last_items) = Self::last_questionnaire(conn)?;
        let items = if items.is_empty() { last_items.clone() } else { items };
        let version = if items == last_items { last_version } else { last_version + 1 };
        let staff = staff(conn)?;
        let leaders: Vec<&Staff> =
            staff.iter().filter(|s| s.role == Role::TeamLeader && s.hall.is_some()).collect();
        if leaders.is_empty() {
            return Ok(Err(Refusal::NoLeaders));
        }
        let json = serde_json::to_string(&items)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
        let id: i32 = diesel::insert_into(review360_rounds::table)
            .values((
                review360_rounds::title.eq(title.trim()),
                review360_rounds::month.eq(month),
                review360_rounds::questionnaire_version.eq(version),
                review360_rounds::questionnaire.eq(json),
                review360_rounds::status.eq(Status::Draft.code()),
                review360_rounds::created_by.eq(Some(by)),
                review360_rounds::created_at.eq(at),
            ))
            .returning(review360_rounds::id)
            .get_result(conn)?;
        let mut seen = std::collections::HashSet::new();
        for leader in leaders {
            if !seen.insert(leader.id) {
                continue;
            }
            let r = raters(leader, &staff);
            let all = r
                .superior
                .map(|s| (s, Perspective::Superior))
                .into_iter()
                .chain(r.peers.iter().map(|p| (*p, Perspective::Peer)))
                .chain(r.subordinates.iter().map(|p| (*p, Perspective::Subordinate)));
            for (rater, p) in all {
                add(conn, id, leader.id, rater, p)?;
            }
        }
        Ok(Ok(id))
    }

    pub fn set_status(
        conn: &mut Conn,
        id: i32,
        from: Status,
        to: Status,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let q = review360_rounds::table
            .filter(review360_rounds::id.eq(id))
            .filter(review360_rounds::status.eq(from.code()));
        let n = match to {
            Status::Open => diesel::update(q)
                .set((review360_rounds::status.eq(to.code()), review360_rounds::opened_at.eq(Some(at))))
                .execute(conn)?,
            _ => diesel::update(q)
                .set((review360_rounds::status.eq(to.code()), review360_rounds::closed_at.eq(Some(at))))
                .execute(conn)?,
        };
        Ok(n > 0)
    }

    pub fn raters(conn: &mut Conn, id: i32) -> QueryResult<Vec<Rater>> {
        review360_raters::table
            .filter(review360_raters::round_id.eq(id))
            .order((review360_raters::leader_id, review360_raters::perspective, review360_raters::rater_id))
            .select((
                review360_raters::id,
                review360_raters::round_id,
                review360_raters::leader_id,
                review360_raters::rater_id,
                review360_raters::perspective,
                review360_raters::done,
            ))
            .load(conn)
    }
}

/// Everyone the rater assignment considers: active team leaders, clerks,
/// hall managers (their hall) and supervisors (their area).
pub fn staff(conn: &mut Conn) -> QueryResult<Vec<Staff>> {
    let tree = OrgTree::load(conn)?;
    let active: HashMap<i32, Option<i32>> = users::table
        .filter(users::active.eq(true))
        .select((users::id, users::hall_id))
        .load::<(i32, Option<i32>)>(conn)?
        .into_iter()
        .collect();
    let grants: Vec<(i32, String, i32)> = role_assignments::table
        .select((role_assignments::user_id, role_assignments::role, role_assignments::org_unit_id))
        .load(conn)?;
    let area = |unit: Option<i32>| tree.area_of(unit).map(|a| a.id);
    Ok(grants
        .into_iter()
        .filter_map(|(user, role, unit)| {
            let hall_id = *active.get(&user)?;
            let role = Role::parse_code(&role)?;
            let (hall, area) = match role {
                Role::TeamLeader | Role::HallManager => (Some(unit), area(Some(unit))),
                Role::Clerk => (hall_id, area(hall_id)),
                Role::Supervisor => (None, tree.node(unit).filter(|n| n.kind.is_area()).map(|n| n.id)),
                _ => return None,
            };
            Some(Staff { id: user, role, hall, area })
        })
        .collect())
}

/// Whether `rater` may rate `leader` from `p` (the city office's adjustment
/// is checked as the org tree's assignment would be).
pub fn fits(staff: &[Staff], leader: i32, rater: i32, p: Perspective) -> bool {
    let holds = |role: Role| staff.iter().any(|s| s.id == rater && s.role == role);
    let leader_hall =
        staff.iter().find(|s| s.id == leader && s.role == Role::TeamLeader).and_then(|s| s.hall);
    match p {
        Perspective::Superior => holds(Role::HallManager) || holds(Role::Supervisor),
        Perspective::Peer => holds(Role::TeamLeader),
        Perspective::Subordinate => staff
            .iter()
            .any(|s| s.id == rater && s.role == Role::Clerk && s.hall.is_some() && s.hall == leader_hall),
    }
}

/// Adds a rater to a draft round (or re-assigns their perspective); a new
/// superior replaces the old one (a leader has one).
pub fn add(conn: &mut Conn, round: i32, leader: i32, rater: i32, p: Perspective) -> QueryResult<()> {
    if p == Perspective::Superior {
        diesel::delete(
            review360_raters::table
                .filter(review360_raters::round_id.eq(round))
                .filter(review360_raters::leader_id.eq(leader))
                .filter(review360_raters::perspective.eq(p.code())),
        )
        .execute(conn)?;
    }
    diesel::delete(
        review360_raters::table
            .filter(review360_raters::round_id.eq(round))
            .filter(review360_raters::leader_id.eq(leader))
            .filter(review360_raters::rater_id.eq(rater)),
    )
    .execute(conn)?;
    diesel::insert_into(review360_raters::table)
        .values((
            review360_raters::round_id.eq(round),
            review360_raters::leader_id.eq(leader),
            review360_raters::rater_id.eq(rater),
            review360_raters::perspective.eq(p.code()),
            review360_raters::done.eq(false),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn remove(conn: &mut Conn, round: i32, rater_row: i32) -> QueryResult<usize> {
    diesel::delete(
        review360_raters::table
            .filter(review360_raters::round_id.eq(round))
            .filter(review360_raters::id.eq(rater_row)),
    )
    .execute(conn)
}

fn random_key() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

type AnswerRow = (String, i32, i32, String, String, String);

/// Stores a rater's answer: marks them done, then writes the whole group's
/// answers again under new keys in a shuffled order (see the module doc).
pub fn submit(
    conn: &mut Conn,
    round: &Round,
    leader: i32,
    rater: i32,
    scores: &[i64],
    comment: &str,
) -> QueryResult<Result<(), Refusal>> {
    if round.status != Status::Open {
        return Ok(Err(Refusal::NotOpen));
    }
    if scores.len() != round.items.len() || scores.iter().any(|s| !(1..=5).contains(s)) {
        return Ok(Err(Refusal::BadScores));
    }
    let row: Option<Rater> =
        Round::raters(conn, round.id)?.into_iter().find(|r| r.leader_id == leader && r.rater_id == rater);
    let Some(row) = row else { return Ok(Err(Refusal::NotRater)) };
    if row.done {
        return Ok(Err(Refusal::AlreadyAnswered));
    }
    let Some(p) = row.perspective() else { return Ok(Err(Refusal::NotRater)) };
    diesel::update(review360_raters::table.find(row.id))
        .set(review360_raters::done.eq(true))
        .execute(conn)?;
    let group = review360_answers::table
        .filter(review360_answers::round_id.eq(round.id))
        .filter(review360_answers::leader_id.eq(leader))
        .filter(review360_answers::perspective.eq(p.code()));
    let mut answers: Vec<(String, String)> =
        group.select((review360_answers::scores, review360_answers::comment)).load(conn)?;
    let json =
        serde_json::to_string(scores).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    answers.push((json, comment.trim().chars().take(1_000).collect()));
    answers.shuffle(&mut rand::rng());
    diesel::delete(group).execute(conn)?;
    for (scores, comment) in answers {
        let row: AnswerRow = (random_key(), round.id, leader, p.code().to_string(), scores, comment);
        diesel::insert_into(review360_answers::table)
            .values((
                review360_answers::key.eq(row.0),
                review360_answers::round_id.eq(row.1),
                review360_answers::leader_id.eq(row.2),
                review360_answers::perspective.eq(row.3),
                review360_answers::scores.eq(row.4),
                review360_answers::comment.eq(row.5),
            ))
            .execute(conn)?;
    }
    Ok(Ok(()))
}

/// One perspective's result for a leader.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub perspective: Perspective,
    pub label: &'static str,
    pub invited: usize,
    pub answered: usize,
    /// Under the threshold: left out entirely.
    pub shown: bool,
    /// Per item, hundredths of the 1–5 scale.
    pub items: Vec<Option<i64>>,
    pub mean: Option<i64>,
    /// Comments, without names, shuffled.
    pub comments: Vec<String>,
    #[serde(skip)]
    pub sum: GroupSum,
}

/// A leader's results of a closed round.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub groups: Vec<Group>,
    /// The superior by name (their answer is theirs, and they were told so).
    pub superior: Option<String>,
    /// The city's mean per item over every shown group of every leader.
    pub city: Vec<Option<i64>>,
    /// The mean of the shown groups' means (each group weighs the same).
    pub overall: Option<i64>,
    pub threshold: usize,
}

/// (leader, perspective, scores, comment) of a round's answers.
type Answer = (i32, String, Vec<i64>, String);

fn answers_of(conn: &mut Conn, round: i32) -> QueryResult<Vec<Answer>> {
    let rows: Vec<(i32, String, String, String)> = review360_answers::table
        .filter(review360_answers::round_id.eq(round))
        .select((
            review360_answers::leader_id,
            review360_answers::perspective,
            review360_answers::scores,
            review360_answers::comment,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(l, p, s, c)| (l, p, serde_json::from_str(&s).unwrap_or_default(), c)).collect())
}

/// The results of every leader of a round (closed rounds only show them).
pub fn results(conn: &mut Conn, round: &Round) -> QueryResult<HashMap<i32, Results>> {
    let min = threshold(crate::settings::number(conn, &crate::settings::THREE_SIXTY_THRESHOLD)?);
    let raters = Round::raters(conn, round.id)?;
    let answers = answers_of(conn, round.id)?;
    let n = round.items.len();
    let mut leaders: Vec<i32> = raters.iter().map(|r| r.leader_id).collect();
    leaders.sort_unstable();
    leaders.dedup();
    let superiors: Vec<i32> = raters
        .iter()
        .filter(|r| r.perspective() == Some(Perspective::Superior))
        .map(|r| r.rater_id)
        .collect();
    let names = crate::accounts::User::names(conn, &superiors)?;
    let mut out: HashMap<i32, Results> = HashMap::new();
    for leader in leaders {
        let groups: Vec<Group> = Perspective::ALL
            .into_iter()
            .map(|p| {
                let invited =
                    raters.iter().filter(|r| r.leader_id == leader && r.perspective() == Some(p)).count();
                let mine: Vec<&Answer> =
                    answers.iter().filter(|a| a.0 == leader && a.1 == p.code()).collect();
                // The superior is one known person: shown from one answer.
                let need = if p == Perspective::Superior { 1 } else { min };
                let shown = mine.len() >= need && !mine.is_empty();
                let items: Vec<Option<i64>> = (0..n)
                    .map(|i| {
                        let scores: Vec<i64> = mine.iter().filter_map(|a| a.2.get(i).copied()).collect();
                        if !shown {
                            None
                        } else if p == Perspective::Superior {
                            Some(div_half_up(scores.iter().sum::<i64>() * 100, scores.len().max(1) as i64))
                        } else {
                            group_mean(&scores, min)
                        }
                    })
                    .collect();
                let sum = GroupSum {
                    sum: mine.iter().map(|a| a.2.iter().sum::<i64>()).sum(),
                    answers: mine.len() as i64,
                };
                let mean = if shown { exact_group_mean(sum, n as i64) } else { None };
                let mut comments: Vec<String> = if shown {
                    mine.iter().map(|a| a.3.clone()).filter(|c| !c.trim().is_empty()).collect()
                } else {
                    Vec::new()
                };
                comments.shuffle(&mut rand::rng());
                Group {
                    perspective: p,
                    label: p.label(),
                    invited,
                    answered: mine.len(),
                    shown,
                    items,
                    mean,
                    comments,
                    sum,
                }
            })
            .collect();
        let shown: Vec<GroupSum> = groups.iter().filter(|g| g.shown).map(|g| g.sum).collect();
        let overall = overall(&shown, n as i64);
        let superior = raters
            .iter()
            .find(|r| r.leader_id == leader && r.perspective() == Some(Perspective::Superior))
            .and_then(|r| names.get(&r.rater_id).cloned());
        out.insert(leader, Results { groups, superior, city: Vec::new(), overall, threshold: min });
    }
    // The city's mean per item: over the shown groups' item means.
    let city: Vec<Option<i64>> = (0..n)
        .map(|i| {
            let v: Vec<i64> = out
                .values()
                .flat_map(|r| r.groups.iter().filter_map(move |g| g.items.get(i).copied().flatten()))
                .collect();
            (!v.is_empty()).then(|| div_half_up(v.iter().sum(), v.len() as i64))
        })
        .collect();
    for r in out.values_mut() {
        r.city = city.clone();
    }
    Ok(out)
}

/// Each leader's overall 360 mean of the month's round, once it is closed
/// (hundredths of the 1–5 scale), with the groups it stands on. A month has
/// at most one round; a month without one has no 360 figure.
pub fn overall_by_leader(conn: &mut Conn, month: Month) -> QueryResult<HashMap<i32, (i64, String)>> {
    let round = Round::all(conn)?.into_iter().find(|r| r.status == Status::Closed && r.month == month);
    let Some(round) = round else { return Ok(HashMap::new()) };
    Ok(results(conn, &round)?
        .into_iter()
        .filter_map(|(leader, r)| {
            let groups: Vec<&str> = r.groups.iter().filter(|g| g.shown).map(|g| g.label).collect();
            Some((leader, (r.overall?, format!("{}：{}", round.title, groups.join("、")))))
        })
        .collect())
}
