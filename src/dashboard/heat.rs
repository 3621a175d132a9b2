//! The knowledge-point heat map from plain facts: each answer of the
//! month's exam counts for every knowledge point of its question, in the
//! city and in the one unit (county or hall) its clerk's hall lies in. Pure,
//! with table tests.

use std::collections::BTreeMap;

use serde::Serialize;

use super::rules::{class_of, percent_text, Tally};
use crate::web::msg;

/// The city column's key (other columns are org-unit ids).
pub const CITY: &str = "city";

/// One graded answer of a submitted attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub question_id: i32,
    /// The hall recorded at the attempt, else the clerk's.
    pub hall_id: Option<i32>,
    /// The knowledge points of the version answered (empty: none given).
    pub kps: Vec<String>,
    pub earned: i64,
    pub possible: i64,
}

impl Fact {
    /// Whether the fact counts for knowledge point `kp` ("" = questions without one).
    pub fn has_kp(&self, kp: &str) -> bool {
        if kp.is_empty() {
            self.kps.is_empty()
        } else {
            self.kps.iter().any(|k| k == kp)
        }
    }

    /// The keys the fact counts under: its knowledge points, or "".
    fn kp_keys(&self) -> Vec<&str> {
        if self.kps.is_empty() {
            vec![""]
        } else {
            let mut keys: Vec<&str> = self.kps.iter().map(String::as_str).collect();
            keys.sort_unstable();
            keys.dedup();
            keys
        }
    }
}

/// A column: the city, or a county or hall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub key: String,
    pub name: String,
}

/// One cell: the answers of a knowledge point in a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub unit: String,
    pub tally: Tally,
    /// Hundredths of a percent; None without answers.
    pub facility: Option<i64>,
    /// "66.67%", "样本少", or "—" without answers.
    pub text: String,
    /// The heat class (0–4); None when sparse or empty.
    pub class: Option<usize>,
    pub sparse: bool,
}

impl Cell {
    fn of(unit: &str, tally: Tally) -> Cell {
        let facility = tally.facility();
        let sparse = tally.answers > 0 && tally.sparse();
        let text = match facility {
            None => "—".to_string(),
            Some(_) if sparse => msg::WEAK_SPARSE.to_string(),
            Some(f) => percent_text(f),
        };
        Cell {
            unit: unit.to_string(),
            tally,
            facility,
            text,
            class: facility.filter(|_| !sparse).map(class_of),
            sparse,
        }
    }

    /// The facility as text even when sparse ("" without answers).
    pub fn value_text(&self) -> String {
        self.facility.map(percent_text).unwrap_or_default()
    }
}

/// One knowledge point across the columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The knowledge point as stored ("" = none given).
    pub kp: String,
    /// As shown.
    pub label: String,
    pub cells: Vec<Cell>,
}

impl Row {
    /// What the row is ranked by: its weakest cell with enough answers (the
    /// city's or a unit's), so a county's own weak spot rises to the top even
    /// where the city does well; None when every cell has too few answers.
    pub fn weakest(&self) -> Option<Tally> {
        let counted = self.cells.iter().filter(|c| c.class.is_some()).map(|c| c.tally);
        counted.min_by(|x, y| (x.earned * y.possible).cmp(&(y.earned * x.possible)))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Grid {
    /// The city first, then the units.
    pub columns: Vec<Column>,
    /// Weakest first (see [`Row::weakest`]).
    pub rows: Vec<Row>,
}

impl Grid {
    /// Leaves out the unit columns without a single answer (the city stays).
    pub fn without_empty_units(mut self) -> Grid {
        let keep: Vec<bool> = (0..self.columns.len())
            .map(|c| c == 0 || self.rows.iter().any(|r| r.cells[c].tally.answers > 0))
            .collect();
        let kept = |i: &usize| keep[*i];
        self.columns =
            self.columns.into_iter().enumerate().filter(|(i, _)| kept(i)).map(|(_, c)| c).collect();
        for row in &mut self.rows {
            let cells = std::mem::take(&mut row.cells);
            row.cells = cells.into_iter().enumerate().filter(|(i, _)| kept(i)).map(|(_, c)| c).collect();
        }
        self
    }
}

/// The heat map over `facts`: the city column counts every fact; `units`
/// are the other columns, and `unit_of` says which of them (by key) a fact
/// counts in (None: none shown, e.g. out of the viewer's scope).
pub fn grid(facts: &[Fact], units: &[Column], unit_of: impl Fn(&Fact) -> Option<String>) -> Grid {
    let mut tallies: BTreeMap<&str, BTreeMap<String, Tally>> = BTreeMap::new();
    for f in facts {
        let unit = unit_of(f);
        for kp in f.kp_keys() {
            let row = tallies.entry(kp).or_default();
            row.entry(CITY.to_string()).or_default().add(f.earned, f.possible);
            if let Some(u) = &unit {
                row.entry(u.clone()).or_default().add(f.earned, f.possible);
            }
        }
    }
    let mut columns = vec![Column { key: CITY.into(), name: msg::WEAK_CITY.into() }];
    columns.extend(units.iter().cloned());
    let mut rows: Vec<Row> = tallies
        .into_iter()
        .map(|(kp, by_unit)| Row {
            kp: kp.to_string(),
            label: if kp.is_empty() { msg::WEAK_NO_KP.to_string() } else { kp.to_string() },
            cells: columns
                .iter()
                .map(|c| Cell::of(&c.key, by_unit.get(&c.key).copied().unwrap_or_default()))
                .collect(),
        })
        .collect();
    // Weakest first (exactly: a/b < c/d ⇔ a·d < c·b); rows with too few
    // answers anywhere last, by the city's figure; then by name.
    let key = |r: &Row| match r.weakest() {
        Some(t) => (false, t),
        None => (true, r.cells[0].tally),
    };
    rows.sort_by(|a, b| {
        let ((sa, x), (sb, y)) = (key(a), key(b));
        sa.cmp(&sb).then((x.earned * y.possible).cmp(&(y.earned * x.possible))).then_with(|| a.kp.cmp(&b.kp))
    });
    Grid { columns, rows }
}

/// The weakest cells outside the city column that have enough answers,
/// weakest first: (row index, column index).
pub fn weakest_cells(grid: &Grid, k: usize) -> Vec<(usize, usize)> {
    let mut cells: Vec<(usize, usize, Tally)> = Vec::new();
    for (r, row) in grid.rows.iter().enumerate() {
        for (c, cell) in row.cells.iter().enumerate().skip(1) {
            if cell.class.is_some() {
                cells.push((r, c, cell.tally));
            }
        }
    }
    let picked = super::rules::weakest(&cells, k, |(_, _, t)| (t.earned, t.possible));
    picked.into_iter().map(|(r, c, _)| (*r, *c)).collect()
}

/// One question behind a cell: its answers in the unit and in the city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionTally {
    pub question_id: i32,
    pub unit: Tally,
    pub city: Tally,
}

/// The questions of knowledge point `kp` answered in the unit (`in_unit`),
/// weakest in the unit first, with the city's figure beside.
pub fn questions(facts: &[Fact], kp: &str, in_unit: impl Fn(&Fact) -> bool) -> Vec<QuestionTally> {
    let mut by_question: BTreeMap<i32, QuestionTally> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.has_kp(kp)) {
        let q = by_question.entry(f.question_id).or_insert(QuestionTally {
            question_id: f.question_id,
            unit: Tally::default(),
            city: Tally::default(),
        });
        q.city.add(f.earned, f.possible);
        if in_unit(f) {
            q.unit.add(f.earned, f.possible);
        }
    }
    let mut out: Vec<QuestionTally> = by_question.into_values().filter(|q| q.unit.answers > 0).collect();
    out.sort_by(|a, b| {
        (a.unit.earned * b.unit.possible)
            .cmp(&(b.unit.earned * a.unit.possible))
            .then(a.question_id.cmp(&b.question_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(q: i32, hall: i32, kps: &[&str], earned: i64, possible: i64) -> Fact {
        Fact {
            question_id: q,
            hall_id: Some(hall),
            kps: kps.iter().map(|k| k.to_string()).collect(),
            earned,
            possible,
        }
    }

    /// Halls 11 and 12 in county 1, hall 21 in county 2 (not shown).
    fn facts() -> Vec<Fact> {
        let mut out = Vec::new();
        // 携号转网 (question 1): hall 11 gets 3 of 6 right, hall 12 all 2, hall 21 1 of 2.
        for i in 0..6 {
            out.push(fact(1, 11, &["携号转网"], if i < 3 { 200 } else { 0 }, 200));
        }
        out.extend([fact(1, 12, &["携号转网"], 200, 200), fact(1, 12, &["携号转网"], 200, 200)]);
        out.extend([fact(1, 21, &["携号转网"], 200, 200), fact(1, 21, &["携号转网"], 0, 200)]);
        // Question 2 has two points: 实名制 and 携号转网; 4 answers in hall 11, 3 points each.
        for earned in [300, 300, 300, 0] {
            out.push(fact(2, 11, &["实名制", "携号转网"], earned, 300));
        }
        // Question 3 has none.
        out.push(fact(3, 12, &[], 100, 100));
        out
    }

    fn county(f: &Fact) -> Option<String> {
        match f.hall_id {
            Some(11 | 12) => Some("1".into()),
            _ => None,
        }
    }

    #[test]
    fn cells_count_every_knowledge_point_in_the_city_and_the_unit() {
        let units = [Column { key: "1".into(), name: "青山县".into() }];
        let g = grid(&facts(), &units, county);
        let keys: Vec<&str> = g.columns.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["city", "1"]);
        // (kp, city text, county text, county answers)
        let want = [
            // 携号转网 city: 3·200+2·200+200+900 = 2100 of 10·200+4·300 = 3200 → 65.63 %;
            // county: 2100−200 = 1900 of 3200−400 = 2800 → 67.86 %.
            ("携号转网", "65.63%", "67.86%", 12),
            ("实名制", "样本少", "样本少", 4),
            ("", "样本少", "样本少", 1),
        ];
        let got: Vec<(&str, &str, &str, i64)> = g
            .rows
            .iter()
            .map(|r| {
                (r.kp.as_str(), r.cells[0].text.as_str(), r.cells[1].text.as_str(), r.cells[1].tally.answers)
            })
            .collect();
        assert_eq!(got, want);
        assert_eq!(g.rows[0].cells[1].class, Some(1));
        assert_eq!(g.rows[1].cells[1].value_text(), "75.00%");
        assert_eq!(g.rows[1].cells[1].class, None, "sparse cells have no class");
        assert_eq!(g.rows[2].label, msg::WEAK_NO_KP);
        assert_eq!(weakest_cells(&g, 5), vec![(0, 1)]);
    }

    #[test]
    fn an_empty_cell_says_so_and_the_rows_go_weakest_first() {
        let units = [
            Column { key: "1".into(), name: "青山县".into() },
            Column { key: "2".into(), name: "白水县".into() },
        ];
        let facts = vec![fact(1, 11, &["甲"], 100, 100), fact(2, 11, &["乙"], 0, 100)];
        let g = grid(&facts, &units, county);
        assert_eq!(g.rows.iter().map(|r| r.kp.as_str()).collect::<Vec<_>>(), ["乙", "甲"]);
        let empty = &g.rows[0].cells[2];
        assert_eq!(
            (empty.text.as_str(), empty.facility, empty.class, empty.sparse),
            ("—", None, None, false)
        );
        let g = g.without_empty_units();
        assert_eq!(g.columns.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), ["city", "1"]);
        assert!(g.rows.iter().all(|r| r.cells.len() == 2));
        assert!(grid(&[], &units, county).rows.is_empty());
    }

    #[test]
    fn a_units_weak_spot_ranks_its_row_even_where_the_city_does_well() {
        let units = [Column { key: "1".into(), name: "青山县".into() }];
        let mut facts = Vec::new();
        // 甲: 青山 2 of 5 (40 %), 白水 5 of 5 → city 70 %.
        for i in 0..5 {
            facts.push(fact(1, 11, &["甲"], if i < 2 { 100 } else { 0 }, 100));
            facts.push(fact(1, 21, &["甲"], 100, 100));
        }
        // 乙: 白水 3 of 6 (50 %), 青山 none → city 50 %; 丙: city 1 of 4 but too few answers.
        for i in 0..6 {
            facts.push(fact(2, 21, &["乙"], if i < 3 { 100 } else { 0 }, 100));
        }
        for i in 0..4 {
            facts.push(fact(3, 21, &["丙"], if i < 1 { 100 } else { 0 }, 100));
        }
        let g = grid(&facts, &units, county);
        let order: Vec<(&str, Option<i64>)> =
            g.rows.iter().map(|r| (r.kp.as_str(), r.weakest().and_then(|t| t.facility()))).collect();
        // 丙 (25 % in the city) has too few answers anywhere: last.
        assert_eq!(order, [("甲", Some(4_000)), ("乙", Some(5_000)), ("丙", None)]);
    }

    #[test]
    fn the_questions_behind_a_cell_go_weakest_first() {
        let in_hall_11 = |f: &Fact| f.hall_id == Some(11);
        let got: Vec<(i32, Option<i64>, i64, Option<i64>)> = questions(&facts(), "携号转网", in_hall_11)
            .iter()
            .map(|q| (q.question_id, q.unit.facility(), q.unit.answers, q.city.facility()))
            .collect();
        // Question 1 in hall 11: 3 of 6 → 50 %, city 6 of 10 → 60 %; question 2: 3 of 4 → 75 %.
        assert_eq!(got, vec![(1, Some(5_000), 6, Some(6_000)), (2, Some(7_500), 4, Some(7_500))]);
        let none: Vec<i32> = questions(&facts(), "", |_| true).iter().map(|q| q.question_id).collect();
        assert_eq!(none, vec![3]);
        assert!(questions(&facts(), "实名制", |f| f.hall_id == Some(21)).is_empty());
    }
}
