//! What people type when they record drills or keep the business types,
//! checked by pure functions (the form and the import share them). Messages
//! are Chinese, from [`crate::web::msg`].

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::rules;
use crate::web::msg;

/// How far back a team leader may record or delete a drill (a quarter).
pub const DAYS_BACK: i64 = 92;
/// The earliest date anyone may record (catches typos such as 0026).
pub const EARLIEST: (i32, u32, u32) = (2000, 1, 1);
pub const TYPE_NAME_MAX: usize = 20;
pub const TARGET_MIN: i64 = 10;
pub const TARGET_MAX: i64 = 14_400;
pub const POSITION_MAX: i64 = 999;
pub const NOTES_MAX: usize = 200;

/// A date as typed or read from a sheet: 2026-11-05, 2026/11/5, 2026.11.05,
/// with a time after it, or an Excel serial day number.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let day = t.split([' ', 'T']).next().unwrap_or("").replace(['/', '.'], "-");
    if let Ok(d) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
        return Some(d);
    }
    // An Excel date cell read as its serial number: days since 1899-12-30.
    let serial: f64 = t.parse().ok().filter(|v: &f64| (20_000.0..80_000.0).contains(v))?;
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(Duration::days(serial.floor() as i64))
}

/// A drill's date: not in the future; for a team leader (`limited`) not
/// more than [`DAYS_BACK`] days ago.
pub fn check_date(date: NaiveDate, today: NaiveDate, limited: bool) -> Result<(), String> {
    let earliest = NaiveDate::from_ymd_opt(EARLIEST.0, EARLIEST.1, EARLIEST.2).unwrap_or(NaiveDate::MIN);
    if date > today {
        Err(msg::DRILL_DATE_FUTURE.into())
    } else if date < earliest || (limited && (today - date).num_days() > DAYS_BACK) {
        Err(msg::drill_date_too_old(DAYS_BACK))
    } else {
        Ok(())
    }
}

/// A business type as the trainer saves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeFields {
    pub name: String,
    pub target_seconds: i32,
    pub position: i32,
}

/// Checks a type's fields; `taken` are the names of the other types.
/// The target may be typed as a time ("10:00", "10分").
pub fn check_type(
    name: &str,
    target: &str,
    position: &str,
    taken: &[&str],
) -> Result<TypeFields, Vec<String>> {
    let name = name.trim();
    let mut errors = Vec::new();
    let len = name.chars().count();
    if len == 0 || len > TYPE_NAME_MAX {
        errors.push(msg::drill_type_name(TYPE_NAME_MAX));
    } else if taken.contains(&name) {
        errors.push(msg::drill_type_name_taken(name));
    }
    let target = rules::parse_seconds(target).filter(|s| (TARGET_MIN..=TARGET_MAX).contains(s));
    if target.is_none() {
        errors.push(msg::drill_type_target(TARGET_MIN, TARGET_MAX));
    }
    let position = position.trim().parse::<i64>().ok().filter(|p| (0..=POSITION_MAX).contains(p));
    if position.is_none() {
        errors.push(msg::drill_type_position(POSITION_MAX));
    }
    match (target, position) {
        (Some(t), Some(p)) if errors.is_empty() => {
            Ok(TypeFields { name: name.to_string(), target_seconds: t as i32, position: p as i32 })
        }
        _ => Err(errors),
    }
}

/// A number of errors: a whole number, blank = 0 (range checked by [`rules::check_drill`]).
pub fn parse_errors(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() {
        return Some(0);
    }
    t.parse().ok()
}

/// One row of the quick entry form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowDraft {
    pub clerk: String,
    pub type_id: String,
    pub time: String,
    pub errors: String,
    pub notes: String,
}

impl RowDraft {
    /// Nothing chosen or typed (a 0 in 差错数 is the default, not an entry).
    pub fn is_blank(&self) -> bool {
        let errors = self.errors.trim();
        self.clerk.trim().is_empty()
            && self.type_id.trim().is_empty()
            && self.time.trim().is_empty()
            && self.notes.trim().is_empty()
            && (errors.is_empty() || errors == "0")
    }
}

/// A checked row, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowOk {
    pub clerk_id: i32,
    pub type_id: i32,
    pub seconds: i32,
    pub errors: i32,
    pub notes: String,
}

/// Checks one non-blank row: the clerk must be one of `staff` (the hall's
/// active staff), the type one of `types` (the active ones).
pub fn check_row(d: &RowDraft, staff: &[i32], types: &[i32]) -> Result<RowOk, Vec<String>> {
    let mut errors = Vec::new();
    let clerk = match d.clerk.trim() {
        "" => {
            errors.push(msg::DRILL_ROW_NO_CLERK.to_string());
            None
        }
        text => {
            let found = text.parse::<i32>().ok().filter(|id| staff.contains(id));
            if found.is_none() {
                errors.push(msg::DRILL_ROW_CLERK_HALL.to_string());
            }
            found
        }
    };
    let type_id = match d.type_id.trim() {
        "" => {
            errors.push(msg::DRILL_ROW_NO_TYPE.to_string());
            None
        }
        text => {
            let found = text.parse::<i32>().ok().filter(|id| types.contains(id));
            if found.is_none() {
                errors.push(msg::DRILL_ROW_TYPE_RETIRED.to_string());
            }
            found
        }
    };
    let seconds = match d.time.trim() {
        "" => {
            errors.push(msg::DRILL_ROW_NO_TIME.to_string());
            None
        }
        text => {
            let s = rules::parse_seconds(text);
            if s.is_none() {
                errors.push(msg::drill_time_unreadable(text));
            }
            s
        }
    };
    let mistakes = parse_errors(&d.errors);
    if mistakes.is_none() {
        errors.push(msg::drill_errors_unreadable(d.errors.trim()));
    }
    if let (Some(s), Some(e)) = (seconds, mistakes) {
        if let Err(m) = rules::check_drill(s, e) {
            errors.push(m.to_string());
        }
    }
    let notes = d.notes.trim();
    if notes.chars().count() > NOTES_MAX {
        errors.push(msg::drill_notes_long(NOTES_MAX));
    }
    match (clerk, type_id, seconds, mistakes) {
        (Some(clerk_id), Some(type_id), Some(s), Some(e)) if errors.is_empty() => {
            Ok(RowOk { clerk_id, type_id, seconds: s as i32, errors: e as i32, notes: notes.to_string() })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_as_people_and_sheets_write_them() {
        let cases = [
            ("2026-11-05", Some("2026-11-05")),
            (" 2026/11/5 ", Some("2026-11-05")),
            ("2026.11.05", Some("2026-11-05")),
            ("2026-11-05 00:00:00", Some("2026-11-05")),
            ("2026-11-05T00:00:00", Some("2026-11-05")),
            ("46331", Some("2026-11-05")),
            ("46331.5", Some("2026-11-05")),
            ("2026-13-01", None),
            ("11/05/2026", None),
            ("", None),
            ("123", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text), want.map(date), "{text:?}");
        }
    }

    #[test]
    fn a_team_leader_records_the_last_quarter_and_nobody_the_future() {
        let today = date("2026-11-27");
        let cases = [
            ("2026-11-27", true, true),
            ("2026-11-28", false, false),
            ("2026-08-27", true, true), // 92 days
            ("2026-08-26", true, false),
            ("2026-08-26", false, true), // admins may go further back
            ("1999-12-31", false, false),
        ];
        for (d, limited, ok) in cases {
            assert_eq!(check_date(date(d), today, limited).is_ok(), ok, "{d} limited={limited}");
        }
    }

    #[test]
    fn business_types_need_a_free_name_and_a_sane_target() {
        let taken = ["开户", "过户"];
        let ok = |name: &str, target: &str, pos: &str| check_type(name, target, pos, &taken);
        assert_eq!(
            ok(" 销户 ", "10:00", "8"),
            Ok(TypeFields { name: "销户".into(), target_seconds: 600, position: 8 })
        );
        assert_eq!(ok("宽带拆机", "10", "0").map(|t| t.target_seconds), Ok(10));
        assert_eq!(ok("宽带拆机", "14400", "999").map(|t| t.target_seconds), Ok(14_400));
        let failing = [
            ("", "600", "1", 1),
            ("一二三四五六七八九十一二三四五六七八九十一", "600", "1", 1),
            ("开户", "600", "1", 1),
            ("销户", "9", "1", 1),
            ("销户", "14401", "1", 1),
            ("销户", "abc", "1", 1),
            ("销户", "600", "-1", 1),
            ("销户", "600", "1000", 1),
            ("", "0", "x", 3),
        ];
        for (name, target, pos, n) in failing {
            assert_eq!(ok(name, target, pos).map_err(|e| e.len()), Err(n), "{name} {target} {pos}");
        }
    }

    #[test]
    fn rows_are_checked_field_by_field() {
        let row = |clerk: &str, ty: &str, time: &str, errors: &str| RowDraft {
            clerk: clerk.into(),
            type_id: ty.into(),
            time: time.into(),
            errors: errors.into(),
            notes: String::new(),
        };
        let (staff, types) = ([7, 8], [1, 4]);
        let good = check_row(&row("7", "1", "10分5秒", ""), &staff, &types);
        assert_eq!(
            good,
            Ok(RowOk { clerk_id: 7, type_id: 1, seconds: 605, errors: 0, notes: String::new() })
        );
        assert_eq!(
            check_row(&row("8", "4", "95", "2"), &staff, &types).map(|r| (r.seconds, r.errors)),
            Ok((95, 2))
        );
        let failing = [
            (row("", "1", "600", "0"), vec![msg::DRILL_ROW_NO_CLERK.to_string()]),
            (row("9", "1", "600", "0"), vec![msg::DRILL_ROW_CLERK_HALL.to_string()]),
            (row("7", "", "600", "0"), vec![msg::DRILL_ROW_NO_TYPE.to_string()]),
            (row("7", "3", "600", "0"), vec![msg::DRILL_ROW_TYPE_RETIRED.to_string()]),
            (row("7", "1", "", "0"), vec![msg::DRILL_ROW_NO_TIME.to_string()]),
            (row("7", "1", "十分钟", "0"), vec![msg::drill_time_unreadable("十分钟")]),
            (row("7", "1", "0", "0"), vec!["用时须为 1 至 14400 秒之间的整数".to_string()]),
            (row("7", "1", "600", "100"), vec!["差错数须为 0 至 99 之间的整数".to_string()]),
            (row("7", "1", "600", "两"), vec![msg::drill_errors_unreadable("两")]),
        ];
        for (d, want) in failing {
            assert_eq!(check_row(&d, &staff, &types), Err(want), "{d:?}");
        }
        let long = RowDraft { notes: "很".repeat(NOTES_MAX + 1), ..row("7", "1", "600", "0") };
        assert_eq!(check_row(&long, &staff, &types), Err(vec![msg::drill_notes_long(NOTES_MAX)]));
        assert!(row("", "", " ", "0").is_blank());
        assert!(!row("", "", "", "1").is_blank());
        assert!(!row("7", "", "", "").is_blank());
    }
}
