//! The ledger of one month as a document: every person with an item due in
//! the month, their listed items and penalty. Closing a month stores it as
//! JSON (`month_closes.snapshot`, kind `reading`), so a closed month never changes; the page
//! groups it by county and hall.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{yuan, Outcome, Penalty};
use crate::review::rules::Change;
use crate::web::msg;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub month: crate::domain::Month,
    /// The rate in fen: the setting in force, or the one stored at the close.
    pub rate_fen: i64,
    /// Active mandatory items (assignments) due in the month.
    pub items: usize,
    /// Everyone with at least one item due in the month, by area, hall, 工号.
    pub people: Vec<Person>,
}

/// One person of the month, with the hall they were in when it was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub hall_id: Option<i32>,
    pub hall: String,
    pub area_id: Option<i32>,
    pub area: String,
    /// Items due in the month for them (joiners' items left out).
    pub due: usize,
    pub on_time: usize,
    /// Of `due`, the items (not exempted) whose due date's day has not ended:
    /// not yet settled, so no on-time rate counts them. Absent from snapshots
    /// of closed months, where every due date has passed.
    #[serde(default)]
    pub upcoming: usize,
    /// Of `upcoming`, those already confirmed.
    #[serde(default)]
    pub upcoming_read: usize,
    /// Unread, late, exempt and pending items.
    pub lines: Vec<Line>,
    pub penalty: Penalty,
    /// The penalty in yuan, two decimals.
    pub amount: String,
}

/// One listed item of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub assignment_id: i32,
    pub article_id: i32,
    pub title: String,
    /// The version to read (or a later one).
    pub version: i32,
    pub due_date: NaiveDate,
    pub outcome: Outcome,
    /// The outcome's label (未读, 逾期已读 …).
    pub status: String,
    /// When a late read was confirmed (Beijing time).
    pub read_at: String,
    /// Why it was exempted.
    pub reason: String,
    /// A 补学 item (assigned from a weak spot); absent from older snapshots.
    #[serde(default)]
    pub remedial: bool,
}

impl Person {
    /// The items as payroll reads them: "《标题》（截止 2026-11-30，未读）；…".
    pub fn details(&self) -> String {
        self.lines
            .iter()
            .filter(|l| l.outcome.charged())
            .map(|l| {
                let detail = msg::ledger_detail(&l.title, l.due_date, &l.status, &l.read_at);
                if l.remedial {
                    format!("{}{detail}", msg::LEDGER_REMEDIAL_MARK)
                } else {
                    detail
                }
            })
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// Sums of a group (a hall, an area, the city).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// People with an item due.
    pub people: usize,
    /// People charged.
    pub charged: usize,
    /// Charged items.
    pub count: usize,
    pub fen: i64,
    pub amount: String,
}

impl Totals {
    fn add(&mut self, p: &Person) {
        self.people += 1;
        self.charged += usize::from(p.penalty.count > 0);
        self.count += p.penalty.count;
        self.fen += p.penalty.fen;
        self.amount = yuan(self.fen);
    }

    fn of<'a>(people: impl IntoIterator<Item = &'a Person>) -> Totals {
        let mut t = Totals { amount: yuan(0), ..Totals::default() };
        for p in people {
            t.add(p);
        }
        t
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HallGroup {
    pub hall_id: Option<i32>,
    pub hall: String,
    pub totals: Totals,
    /// The people with a listed item (everyone else read on time).
    pub people: Vec<Person>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaGroup {
    pub area_id: Option<i32>,
    pub area: String,
    pub totals: Totals,
    pub halls: Vec<HallGroup>,
}

/// The ledger as the page shows it: county → hall → person, with totals.
#[derive(Debug, Clone, Serialize)]
pub struct Grouped {
    pub areas: Vec<AreaGroup>,
    pub city: Totals,
}

/// Groups people by area and hall, in the order they come (the ledger's:
/// see [`crate::domain::org::area_rank`]).
pub fn group(people: &[Person]) -> Grouped {
    use crate::domain::org::groups_in_order;
    let areas = groups_in_order(people, |p| (p.area_id, p.area.clone()))
        .into_iter()
        .map(|((area_id, area), in_area)| {
            let totals = Totals::of(in_area.iter().copied());
            let halls: Vec<HallGroup> = groups_in_order(in_area, |p| (p.hall.clone(), p.hall_id))
                .into_iter()
                .map(|((hall, hall_id), ps)| HallGroup {
                    hall_id,
                    hall,
                    totals: Totals::of(ps.iter().copied()),
                    people: ps.into_iter().filter(|p| !p.lines.is_empty()).cloned().collect(),
                })
                .collect();
            AreaGroup { area_id, area, totals, halls }
        })
        .collect();
    Grouped { areas, city: Totals::of(people) }
}

/// One person before and after.
type Sides<'a> = (Option<&'a Person>, Option<&'a Person>);

/// What changed from a closed month's snapshot to the ledger computed now:
/// the rate, then everyone whose charged items or amount changed.
pub fn changes(before: &Ledger, after: &Ledger) -> Vec<Change> {
    let mut out = Vec::new();
    if before.rate_fen != after.rate_fen {
        out.push(Change {
            who: msg::LEDGER_RATE.into(),
            what: format!(
                "{} → {}",
                msg::ledger_rate(&yuan(before.rate_fen)),
                msg::ledger_rate(&yuan(after.rate_fen))
            ),
        });
    }
    let mut people: BTreeMap<(String, i32), Sides> = BTreeMap::new();
    for p in &before.people {
        people.entry((p.staff_no.clone(), p.user_id)).or_default().0 = Some(p);
    }
    for p in &after.people {
        people.entry((p.staff_no.clone(), p.user_id)).or_default().1 = Some(p);
    }
    let show = |p: Option<&Person>| {
        let (penalty, details) = p.map_or((Penalty::default(), String::new()), |p| (p.penalty, p.details()));
        (penalty, msg::ledger_penalty(penalty.count, &yuan(penalty.fen)), details)
    };
    for ((staff_no, _), (b, a)) in people {
        let (was, was_text, was_details) = show(b);
        let (now, now_text, now_details) = show(a);
        if was != now || was_details != now_details {
            let name = a.or(b).map(|p| p.name.as_str()).unwrap_or_default();
            out.push(Change {
                who: format!("{staff_no} {name}"), what: format!("{was_text} → {now_text}")
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i32, area: i32, hall: &str, charged: usize, listed: usize) -> Person {
        let line = |i: usize| Line {
            assignment_id: i as i32,
            article_id: i as i32,
            title: format!("文章{i}"),
            version: 1,
            due_date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            outcome: if i < charged { Outcome::Unread } else { Outcome::Exempt },
            remedial: false,
            status: if i < charged { "未读" } else { "已豁免" }.into(),
            read_at: String::new(),
            reason: String::new(),
        };
        Person {
            user_id: id,
            staff_no: format!("1{id:04}"),
            name: format!("员工{id}"),
            hall_id: Some(100 + area),
            hall: hall.into(),
            area_id: Some(area),
            area: format!("县{area}"),
            due: 3,
            on_time: 3 - listed,
            upcoming: 0,
            upcoming_read: 0,
            lines: (0..listed).map(line).collect(),
            penalty: Penalty { count: charged, fen: charged as i64 * 1000 },
            amount: yuan(charged as i64 * 1000),
        }
    }

    fn ledger(rate_fen: i64, people: Vec<Person>) -> Ledger {
        Ledger { month: crate::domain::Month::parse("2026-11").unwrap(), rate_fen, items: 3, people }
    }

    #[test]
    fn groups_by_county_and_hall_with_totals_in_the_ledgers_order() {
        // As the ledger lists them: area (the one order), hall, 工号.
        let people = [
            person(4, 1, "丙厅", 3, 3),
            person(2, 1, "甲厅", 0, 0),
            person(3, 1, "甲厅", 1, 2),
            person(1, 2, "乙厅", 2, 2),
        ];
        let g = group(&people);
        type Shape = Vec<(String, Vec<(String, usize, usize, String)>)>;
        let shape: Shape = g
            .areas
            .iter()
            .map(|a| {
                let halls = a
                    .halls
                    .iter()
                    .map(|h| (h.hall.clone(), h.totals.people, h.people.len(), h.totals.amount.clone()))
                    .collect();
                (a.area.clone(), halls)
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (
                    "县1".to_string(),
                    vec![("丙厅".into(), 1, 1, "30.00".into()), ("甲厅".into(), 2, 1, "10.00".into())]
                ),
                ("县2".to_string(), vec![("乙厅".into(), 1, 1, "20.00".into())]),
            ]
        );
        assert_eq!((g.areas[0].totals.charged, g.areas[0].totals.count, g.areas[0].totals.fen), (2, 4, 4000));
        assert_eq!((g.city.people, g.city.charged, g.city.count, g.city.amount.as_str()), (4, 3, 6, "60.00"));
        assert_eq!(group(&[]).city.amount, "0.00");
    }

    #[test]
    fn details_list_the_charged_items_only() {
        let mut p = person(1, 1, "甲厅", 1, 2);
        p.lines.push(Line {
            outcome: Outcome::Late,
            status: "逾期已读".into(),
            read_at: "2026-12-02 09:30".into(),
            ..p.lines[0].clone()
        });
        assert_eq!(
            p.details(),
            "《文章0》（截止 2026-11-30，未读）；《文章0》（截止 2026-11-30，逾期已读 2026-12-02 09:30）"
        );
    }

    #[test]
    fn changes_name_the_rate_and_every_person_whose_charge_moved() {
        let before = ledger(
            1000,
            vec![person(1, 1, "甲厅", 2, 2), person(2, 1, "甲厅", 1, 1), person(3, 1, "甲厅", 0, 0)],
        );
        let after = ledger(
            2000,
            vec![person(1, 1, "甲厅", 1, 2), person(2, 1, "甲厅", 1, 1), person(4, 1, "甲厅", 1, 1)],
        );
        let got: Vec<(String, String)> =
            changes(&before, &after).into_iter().map(|c| (c.who, c.what)).collect();
        assert_eq!(
            got,
            vec![
                ("扣款标准".to_string(), "10.00 元/条 → 20.00 元/条".to_string()),
                ("10001 员工1".to_string(), "2 条 20.00 元 → 1 条 10.00 元".to_string()),
                ("10004 员工4".to_string(), "0 条 0.00 元 → 1 条 10.00 元".to_string()),
            ]
        );
        assert!(changes(&before, &before).is_empty());
    }
}
