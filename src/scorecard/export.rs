//! The scorecard for Excel and the command line: one table per level (营业员,
//! 营业厅, 县分), the same columns in CSV and in the workbook's sheets.
//! Excel gets numbers (points, percentages, hours) it can sum and sort.

use crate::domain::Month;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::rules::{ClerkCard, Metric, Rollup};
use super::{view, Level, Visible};
use crate::domain::score::percent_text as share_text;
use crate::review::rules::two_decimals;
use crate::training::study::rules::{hours, study_short};
use crate::web::msg;

/// One cell: text, or a number Excel keeps as a number (empty when None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    /// Hundredths of a point.
    Points(Option<i64>),
    /// Hundredths of a percent.
    Share(Option<i64>),
    Whole(Option<i64>),
    /// Minutes, shown as hours with one decimal.
    Hours(i64),
}

impl Value {
    fn metric(m: Metric, v: Option<i64>) -> Value {
        if m.is_points() {
            Value::Points(v)
        } else {
            Value::Share(v)
        }
    }

    pub fn text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Points(v) => v.map(two_decimals).unwrap_or_default(),
            Value::Share(v) => v.map(|v| share_text(Some(v))).unwrap_or_default(),
            Value::Whole(v) => v.map(|v| v.to_string()).unwrap_or_default(),
            Value::Hours(m) => hours(*m),
        }
    }
}

pub fn header(level: Level) -> Vec<String> {
    let mut h: Vec<String> = Vec::new();
    let fixed: &[&str] = match level {
        Level::Clerk => &msg::SCORECARD_CLERK_HEADER,
        Level::Hall => &msg::SCORECARD_HALL_HEADER,
        Level::County => &msg::SCORECARD_COUNTY_HEADER,
    };
    h.extend(fixed.iter().map(|s| s.to_string()));
    for m in Metric::ALL {
        h.push(m.label().to_string());
        if level == Level::Clerk {
            h.extend(msg::SCORECARD_BESIDE.iter().map(|b| format!("{}{b}", m.label())));
        }
    }
    h.extend(
        match level {
            Level::Clerk => &msg::SCORECARD_CLERK_TAIL[..],
            Level::Hall => &msg::SCORECARD_HALL_TAIL[..],
            Level::County => &msg::SCORECARD_COUNTY_TAIL[..],
        }
        .iter()
        .map(|s| s.to_string()),
    );
    h
}

pub fn clerk_cells(month: Month, c: &ClerkCard) -> Vec<Value> {
    let f = &c.facts;
    let text = |s: &str| Value::Text(s.to_string());
    let mut row = vec![text(month.as_str()), text(&f.staff_no), text(&f.name), text(&f.area), text(&f.hall)];
    for m in Metric::ALL {
        let fig = c.figure(m);
        let mean = |a: Option<crate::review::rules::Average>| Value::metric(m, a.map(|a| a.hundredths()));
        row.push(Value::metric(m, fig.value));
        row.extend([mean(fig.hall), mean(fig.area), mean(fig.city)]);
        row.push(Value::Whole(fig.rank.map(|r| r as i64)));
    }
    row.push(Value::Text(view::note(Metric::Exam, c)));
    row
}

fn means(r: &Rollup) -> impl Iterator<Item = Value> + '_ {
    Metric::ALL.into_iter().map(|m| Value::metric(m, r.mean(m).map(|a| a.hundredths())))
}

pub fn hall_cells(month: Month, r: &Rollup, target: i64) -> Vec<Value> {
    let mut row = vec![
        Value::Text(month.to_string()),
        Value::Text(r.area.clone()),
        Value::Text(r.name.clone()),
        Value::Whole(Some(r.clerks as i64)),
    ];
    row.extend(means(r));
    let met = if study_short(r.study_minutes, target) { msg::SCORECARD_NO } else { msg::SCORECARD_YES };
    row.extend([Value::Hours(r.study_minutes), Value::Hours(target), Value::Text(met.into())]);
    row.push(Value::Points(r.inspection_mean()));
    row
}

pub fn county_cells(month: Month, r: &Rollup) -> Vec<Value> {
    let mut row = vec![
        Value::Text(month.to_string()),
        Value::Text(r.name.clone()),
        Value::Whole(Some(r.halls as i64)),
        Value::Whole(Some(r.clerks as i64)),
    ];
    row.extend(means(r));
    row.extend([Value::Hours(r.study_minutes), Value::Whole(Some(r.halls_on_target as i64))]);
    row.push(Value::Points(r.inspection_mean()));
    row
}

/// A level's rows (the area sheet ends with the city).
pub fn rows(level: Level, month: Month, v: &Visible, target: i64) -> Vec<Vec<Value>> {
    match level {
        Level::Clerk => v.clerks.iter().map(|c| clerk_cells(month, c)).collect(),
        Level::Hall => v.halls.iter().map(|h| hall_cells(month, h, target)).collect(),
        Level::County => v.areas.iter().chain([&v.city]).map(|a| county_cells(month, a)).collect(),
    }
}

pub fn write_csv(level: Level, month: Month, v: &Visible, target: i64) -> anyhow::Result<Vec<u8>> {
    let rows = rows(level, month, v, target);
    crate::web::export::write_csv(false, header(level), rows.iter().map(|row| row.iter().map(Value::text)))
}

/// The workbook: one sheet per level.
pub fn write_xlsx(month: Month, v: &Visible, target: i64) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let two = Format::new().set_num_format("0.00");
    let percent = Format::new().set_num_format("0.00%");
    let tenth = Format::new().set_num_format("0.0");
    let scope = match v.areas.len() {
        1 | 2 => v.areas.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(msg::LIST_SEPARATOR),
        _ => msg::WEAK_CITY.to_string(),
    };
    for level in Level::ALL {
        let sheet = book.add_worksheet();
        sheet.set_name(level.label())?;
        // 月份 and the unit's keys stay in view (营业员: 工号 and 姓名).
        let keys = match level {
            Level::Clerk => 3,
            Level::Hall | Level::County => 2,
        };
        let mut layout =
            crate::web::xlsx::Layout::new(msg::scorecard_sheet_title(month, level.label()), &scope, 1, keys);
        let headings = header(level);
        let headings: Vec<&str> = headings.iter().map(|h| h.as_ref()).collect();
        layout.heading(sheet, &headings)?;
        for (r, row) in rows(level, month, v, target).iter().enumerate() {
            let r = r as u32 + 2;
            for (c, value) in row.iter().enumerate() {
                let c = c as u16;
                layout.see(r, c, &value.text());
                match value {
                    Value::Text(t) => sheet.write_string(r, c, t).map(|_| ())?,
                    Value::Points(Some(p)) => {
                        sheet.write_number_with_format(r, c, *p as f64 / 100.0, &two).map(|_| ())?
                    }
                    Value::Share(Some(s)) => {
                        sheet.write_number_with_format(r, c, *s as f64 / 10_000.0, &percent).map(|_| ())?
                    }
                    Value::Whole(Some(n)) => sheet.write_number(r, c, *n as f64).map(|_| ())?,
                    Value::Hours(m) => {
                        sheet.write_number_with_format(r, c, *m as f64 / 60.0, &tenth).map(|_| ())?
                    }
                    Value::Points(None) | Value::Share(None) | Value::Whole(None) => {}
                }
            }
        }
        layout.apply(sheet, &crate::web::xlsx::made_now())?;
    }
    book.save_to_buffer()
}
