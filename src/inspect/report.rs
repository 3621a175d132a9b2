//! The month's inspection report, county → hall: inspections by kind, the
//! average score, 零容忍 hits, defects found and closed, how long 纠错单 took
//! to close, daily-check compliance; a 12-month trend; Excel and the CLI.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::library::{self, Scored};
use super::model::Kind;
use crate::db::Conn;
use crate::domain::score::{div_half_up, percent_text, share, two_decimals};
use crate::domain::{Month, OrgTree};
use crate::schema::{correction_orders, defects, inspections};

/// A hall's raw figures for the month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub scored: Vec<Scored>,
    /// Defects found this month: (hall, closed by now).
    pub defects: Vec<(i32, bool)>,
    /// 纠错单 issued this month and closed: (hall, minutes from issue to close).
    pub closed_orders: Vec<(i32, i64)>,
    /// Daily-check compliance: hall → (days met, days counted).
    pub compliance: BTreeMap<i32, (i64, i64)>,
}

/// One line of the report: a hall, or an area's total (`hall` empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub area: String,
    pub hall: String,
    pub daily: usize,
    pub spot: usize,
    pub cross: usize,
    pub mean: Option<i64>,
    pub zero_hits: i64,
    pub found: usize,
    pub closed: usize,
    /// Mean days from a 纠错单's issue to its close, in hundredths of a day.
    pub rectify: Option<i64>,
    /// Days met and counted.
    pub compliance: (i64, i64),
}

impl Line {
    pub fn mean_text(&self) -> String {
        self.mean.map_or_else(|| "—".into(), two_decimals)
    }
    pub fn rectify_text(&self) -> String {
        self.rectify.map_or_else(|| "—".into(), two_decimals)
    }
    pub fn compliance_text(&self) -> String {
        percent_text(share(self.compliance.0, self.compliance.1))
    }
}

/// Sums `halls` (each hall id with its area and names) into lines: each
/// area's halls, then the area's total when it lists more than one hall,
/// and the city's total when more than one area is listed (means over the
/// inspections and orders, not means of the halls' means).
pub fn lines(halls: &[(i32, String, String)], f: &Facts) -> Vec<Line> {
    let line = |area: &str, hall: &str, keep: &dyn Fn(i32) -> bool| {
        let count = |k: Kind| f.scored.iter().filter(|s| keep(s.hall) && s.kind == k).count();
        let minutes: Vec<i64> = f.closed_orders.iter().filter(|(h, _)| keep(*h)).map(|(_, m)| *m).collect();
        let compliance = f
            .compliance
            .iter()
            .filter(|(h, _)| keep(**h))
            .fold((0, 0), |(m, d), (_, (hm, hd))| (m + hm, d + hd));
        Line {
            area: area.to_string(),
            hall: hall.to_string(),
            daily: count(Kind::Daily),
            spot: count(Kind::Spot),
            cross: count(Kind::Cross),
            mean: library::mean(&f.scored, |s| keep(s.hall)),
            zero_hits: f.scored.iter().filter(|s| keep(s.hall)).map(|s| s.zero_hits).sum(),
            found: f.defects.iter().filter(|(h, _)| keep(*h)).count(),
            closed: f.defects.iter().filter(|(h, c)| keep(*h) && *c).count(),
            // minutes × 100 / 1440 = hundredths of a day.
            rectify: (!minutes.is_empty())
                .then(|| div_half_up(minutes.iter().sum::<i64>() * 100, 1440 * minutes.len() as i64)),
            compliance,
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < halls.len() {
        let area = halls[i].1.clone();
        let group: Vec<i32> = halls[i..].iter().take_while(|h| h.1 == area).map(|h| h.0).collect();
        for (id, _, name) in &halls[i..i + group.len()] {
            out.push(line(&area, name, &|h| h == *id));
        }
        if group.len() > 1 {
            out.push(line(&area, "", &|h| group.contains(&h)));
        }
        i += group.len();
    }
    let areas = halls.iter().map(|h| &h.1).collect::<std::collections::BTreeSet<_>>().len();
    if areas > 1 {
        let all: Vec<i32> = halls.iter().map(|h| h.0).collect();
        out.push(line(crate::web::msg::WEAK_CITY, "", &|h| all.contains(&h)));
    }
    out
}

/// The month's facts from the database.
pub fn facts(conn: &mut Conn, month: Month, today: NaiveDate) -> QueryResult<Facts> {
    let scored = library::scored(conn, month)?;
    let defects: Vec<(i32, bool)> = defects::table
        .inner_join(inspections::table)
        .filter(inspections::month.eq(month))
        .select((defects::hall_id, defects::closed_at.is_not_null()))
        .load(conn)?;
    let orders: Vec<(i32, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)> = correction_orders::table
        .filter(correction_orders::issued_at.ge(month.starts_utc()))
        .filter(correction_orders::issued_at.lt(month.ends_utc()))
        .filter(correction_orders::closed_at.is_not_null())
        .select((correction_orders::hall_id, correction_orders::issued_at, correction_orders::closed_at))
        .load(conn)?;
    let closed_orders = orders
        .into_iter()
        .filter_map(|(h, issued, closed)| Some((h, (closed? - issued).num_minutes().max(0))))
        .collect();
    let compliance =
        library::compliance(conn, month, today)?.into_iter().map(|(h, c)| (h, (c.met(), c.days))).collect();
    Ok(Facts { scored, defects, closed_orders, compliance })
}

/// The halls that `keep` admits, with area and name, in the one area order.
pub fn halls_of(tree: &OrgTree, keep: impl Fn(i32) -> bool) -> Vec<(i32, String, String)> {
    tree.halls()
        .into_iter()
        .filter(|h| keep(h.id))
        .map(|h| (h.id, tree.area_of(Some(h.id)).map(|a| a.name.clone()).unwrap_or_default(), h.name.clone()))
        .collect()
}

/// The city's average score per month over the 12 months up to `month`,
/// and each of `mine` (a label and its halls: the viewer's counties, or halls).
pub fn trend(
    conn: &mut Conn,
    month: Month,
    mine: &[(String, Vec<i32>)],
) -> QueryResult<crate::phone::report::Trend> {
    let months = month.trailing(12);
    let rows: Vec<(Month, i32, Option<i32>)> = inspections::table
        .filter(inspections::month.eq_any(&months))
        .filter(inspections::submitted_at.is_not_null())
        .select((inspections::month, inspections::hall_id, inspections::score))
        .load(conn)?;
    let line = |keep: &dyn Fn(i32) -> bool| -> (Vec<String>, Vec<Option<i64>>) {
        let values: Vec<Option<i64>> = months
            .iter()
            .map(|m| {
                let (sum, n) = rows
                    .iter()
                    .filter(|(rm, h, _)| rm == m && keep(*h))
                    .fold((0i64, 0i64), |(s, n), (_, _, v)| (s + i64::from(v.unwrap_or(0)), n + 1));
                (n > 0).then(|| div_half_up(sum, n))
            })
            .collect();
        (values.iter().map(|v| v.map_or_else(|| "—".into(), two_decimals)).collect(), values)
    };
    let mut lines = Vec::new();
    let (texts, values) = line(&|_| true);
    lines.push((crate::web::msg::WEAK_CITY.to_string(), texts, values));
    for (label, halls) in mine {
        let (texts, values) = line(&|h| halls.contains(&h));
        lines.push((label.clone(), texts, values));
    }
    Ok(crate::phone::report::Trend { months, lines })
}

pub const HEADER: [&str; 11] = [
    "区县",
    "营业厅",
    "日检次数",
    "抽检次数",
    "交叉巡检次数",
    "平均得分",
    "零容忍不合格",
    "发现缺陷",
    "已销项",
    "纠错单平均整改天数",
    "日检达标率",
];

/// The report as CSV (UTF-8 with BOM, so Excel reads the Chinese), the same columns.
pub fn write_csv(lines: &[Line]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(HEADER)?;
    for l in lines {
        let hall = if l.hall.is_empty() {
            crate::web::msg::INSPECT_REPORT_TOTAL.to_string()
        } else {
            l.hall.clone()
        };
        w.write_record([
            l.area.clone(),
            hall,
            l.daily.to_string(),
            l.spot.to_string(),
            l.cross.to_string(),
            l.mean_text(),
            l.zero_hits.to_string(),
            l.found.to_string(),
            l.closed.to_string(),
            l.rectify_text(),
            l.compliance_text(),
        ])?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!(e.to_string()))
}

/// The report as a workbook, one sheet, printable.
pub fn write_xlsx(month: Month, scope: &str, lines: &[Line]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let two = Format::new().set_num_format("0.00");
    let percent = Format::new().set_num_format("0.00%");
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name(crate::web::msg::INSPECT_REPORT_SHEET)?;
    let mut layout =
        crate::web::xlsx::Layout::new(crate::web::msg::inspect_report_title(month, scope), scope, 1, 2);
    layout.heading(sheet, &HEADER)?;
    for (i, l) in lines.iter().enumerate() {
        let r = i as u32 + 2;
        let total = l.hall.is_empty();
        let hall = if total { crate::web::msg::INSPECT_REPORT_TOTAL } else { l.hall.as_str() };
        for (c, text) in [(0u16, l.area.as_str()), (1, hall)] {
            if total {
                sheet.write_string_with_format(r, c, text, &bold)?;
            } else {
                sheet.write_string(r, c, text)?;
            }
            layout.see(r, c, text);
        }
        for (c, n) in [(2u16, l.daily), (3, l.spot), (4, l.cross), (7, l.found), (8, l.closed)] {
            sheet.write_number(r, c, n as f64)?;
        }
        sheet.write_number(r, 6, l.zero_hits as f64)?;
        if let Some(m) = l.mean {
            sheet.write_number_with_format(r, 5, m as f64 / 100.0, &two)?;
        }
        if let Some(d) = l.rectify {
            sheet.write_number_with_format(r, 9, d as f64 / 100.0, &two)?;
        }
        if let Some(s) = share(l.compliance.0, l.compliance.1) {
            sheet.write_number_with_format(r, 10, s as f64 / 10_000.0, &percent)?;
        }
        layout.see(r, 10, &l.compliance_text());
    }
    layout.apply(sheet, &crate::web::xlsx::made_now())?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(hall: i32, kind: Kind, score: i64, zero: i64) -> Scored {
        Scored { hall, kind, score, zero_hits: zero }
    }

    #[test]
    fn halls_then_their_area_total_by_hand() {
        let halls = vec![
            (1, "青山县".to_string(), "中心厅".to_string()),
            (2, "青山县".to_string(), "城东厅".to_string()),
            (3, "江州市区".to_string(), "人民路厅".to_string()),
        ];
        let f = Facts {
            scored: vec![
                s(1, Kind::Daily, 10_000, 0),
                s(1, Kind::Daily, 9_000, 0),
                s(1, Kind::Spot, 8_000, 1),
                s(2, Kind::Cross, 7_001, 0),
                s(3, Kind::Daily, 9_500, 0),
            ],
            defects: vec![(1, true), (1, false), (2, false), (3, true)],
            // 1 day 12 h = 2160 min; 3 days = 4320 min.
            closed_orders: vec![(1, 2160), (2, 4320)],
            compliance: [(1, (5, 6)), (2, (6, 6)), (3, (0, 6))].into_iter().collect(),
        };
        let l = lines(&halls, &f);
        // Two 青山 halls and their total, the one 江州 hall (no total of one), the city.
        assert_eq!(l.len(), 5);
        let hall1 = &l[0];
        assert_eq!((hall1.daily, hall1.spot, hall1.cross), (2, 1, 0));
        // (100 + 90 + 80) / 3 = 90.
        assert_eq!(hall1.mean, Some(9_000));
        assert_eq!((hall1.zero_hits, hall1.found, hall1.closed), (1, 2, 1));
        assert_eq!(hall1.rectify, Some(150));
        assert_eq!(hall1.compliance_text(), "83.33%");
        // 青山县 total: (100 + 90 + 80 + 70.01) / 4 = 85.0025 → 85.
        let county = &l[2];
        assert_eq!(county.hall, "");
        assert_eq!(county.mean, Some(8_500));
        assert_eq!((county.found, county.closed), (3, 1));
        // (2160 + 4320) / 2 = 3240 min = 2.25 days.
        assert_eq!(county.rectify, Some(225));
        assert_eq!(county.compliance, (11, 12));
        assert_eq!(l[3].hall, "人民路厅");
        assert_eq!(l[3].rectify, None);
        assert_eq!(l[3].compliance_text(), "0.00%");
        // The city: (100 + 90 + 80 + 70.01 + 95) / 5 = 87.002 → 87; 11 of 18 days.
        assert_eq!((l[4].area.as_str(), l[4].hall.as_str()), ("全市", ""));
        assert_eq!(l[4].mean, Some(8_700));
        assert_eq!(l[4].rectify, Some(225));
        assert_eq!(l[4].compliance, (11, 18));
    }
}
