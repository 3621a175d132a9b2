//! Reading roster rows: column mapping and per-row validation, with errors in
//! Chinese carrying the spreadsheet row number. Pure functions.

use serde::Serialize;

use super::parse::{parse_rows_with, StaffNosSeen};
use crate::auth::Role;
use crate::domain::staff_no::BadStaffNo;
use crate::domain::StaffNo;
use crate::org::UnitKind;
use crate::web::msg;

/// One valid roster row.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterRow {
    /// The row number as the spreadsheet shows it (header = row 1).
    pub line: usize,
    pub staff_no: StaffNo,
    pub name: String,
    /// 区县: the district or county unit; empty for city-level staff.
    pub area: Option<String>,
    pub area_kind: Option<UnitKind>,
    pub hall: Option<String>,
    pub roles: Vec<Role>,
    pub phone: Option<String>,
    /// Whether the file has a 手机号 column at all: without one, phones are kept.
    pub phone_given: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

impl RowError {
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        Self { line, message: message.into() }
    }
}

const REQUIRED: [&str; 5] = ["工号", "姓名", "区县", "营业厅", "角色"];
pub const MAX_ROWS: usize = 20_000;

struct Columns {
    staff_no: usize,
    name: usize,
    area: usize,
    hall: usize,
    roles: usize,
    area_kind: Option<usize>,
    phone: Option<usize>,
}

fn find_columns(header: &[String]) -> Result<Columns, String> {
    let pos = |name: &str| header.iter().position(|h| h.trim() == name);
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| pos(c).is_none()).collect();
    if !missing.is_empty() {
        return Err(msg::missing_columns(&missing));
    }
    let req = |name: &str| pos(name).unwrap_or_default();
    Ok(Columns {
        staff_no: req("工号"),
        name: req("姓名"),
        area: req("区县"),
        hall: req("营业厅"),
        roles: req("角色"),
        area_kind: pos("区县类型"),
        phone: pos("手机号"),
    })
}

/// Validates a whole table (first non-empty row = header). Returns the valid
/// rows and every error found; a row with any error is not returned.
/// Rows whose 工号 starts with 示例 (the template's samples) are skipped.
pub fn parse_rows(table: &[Vec<String>]) -> (Vec<RosterRow>, Vec<RowError>) {
    let mut seen = StaffNosSeen::default();
    let (rows, errors) = parse_rows_with(table, MAX_ROWS, find_columns, |line, cells, cols, _| {
        if cells.get(cols.staff_no).is_some_and(|c| c.trim().starts_with(msg::SAMPLE_STAFF_PREFIX)) {
            return Ok(None);
        }
        let row = parse_row(line, cells, cols)?;
        seen.first_time(row.staff_no.as_str(), line)?;
        Ok(Some(row))
    });
    let rows: Vec<RosterRow> = rows.into_iter().flatten().collect();
    if rows.is_empty() && errors.is_empty() {
        // Only sample rows: nothing to import (and nobody "missing" from the file).
        let header = table.iter().position(|r| r.iter().any(|c| !c.trim().is_empty())).unwrap_or(0);
        return (rows, vec![RowError::new(header + 1, msg::NO_DATA_ROWS)]);
    }
    (rows, errors)
}

/// A 工号 as the roster file gives it (the cell already trimmed). The
/// roster takes it only as written: a number `StaffNo` would read from
/// full-width digits or Excel's `10087.0` is refused here, as it always was,
/// so the file the branch keeps stays the one the system holds.
fn staff_no_of(text: &str) -> Result<StaffNo, String> {
    match StaffNo::parse(text) {
        Ok(no) if no.as_str() == text => Ok(no),
        Ok(_) | Err(BadStaffNo::Invalid) => Err(msg::staff_no_invalid(text)),
        Err(BadStaffNo::Empty) => Err(msg::STAFF_NO_EMPTY.into()),
    }
}

fn parse_row(line: usize, cells: &[String], cols: &Columns) -> Result<RosterRow, Vec<RowError>> {
    let cell = |idx: usize| cells.get(idx).map(|c| c.trim()).unwrap_or("");
    let mut errs = Vec::new();
    let mut err = |m: String| errs.push(RowError::new(line, m));
    let staff_no = match staff_no_of(cell(cols.staff_no)) {
        Ok(no) => Some(no),
        Err(m) => {
            err(m);
            None
        }
    };
    let name = cell(cols.name).to_string();
    if name.is_empty() {
        err(msg::PERSON_NAME_EMPTY.into());
    } else if name.chars().count() > 40 {
        err(msg::PERSON_NAME_TOO_LONG.into());
    }
    let area = Some(cell(cols.area).to_string()).filter(|a| !a.is_empty());
    let hall = Some(cell(cols.hall).to_string()).filter(|h| !h.is_empty());
    let area_kind_text = cols.area_kind.map(cell).unwrap_or("");
    let area_kind = if area_kind_text.is_empty() {
        None
    } else {
        let kind = UnitKind::parse_area_type(area_kind_text);
        if kind.is_none() {
            err(msg::area_kind_invalid(area_kind_text));
        }
        kind
    };
    let roles = match parse_roles(cell(cols.roles)) {
        Ok(roles) => roles,
        Err(m) => {
            err(m);
            Vec::new()
        }
    };
    if hall.is_some() && area.is_none() {
        err(msg::HALL_WITHOUT_AREA.into());
    }
    if roles.iter().any(|r| r.is_hall_role()) && hall.is_none() {
        err(msg::HALL_ROLE_NEEDS_HALL.into());
    }
    let phone = match parse_phone(cols.phone.map(cell).unwrap_or("")) {
        Ok(phone) => phone,
        Err(m) => {
            err(m);
            None
        }
    };
    let Some(staff_no) = staff_no.filter(|_| errs.is_empty()) else {
        return Err(errs);
    };
    Ok(RosterRow {
        line,
        staff_no,
        name,
        area,
        area_kind,
        hall,
        roles,
        phone,
        phone_given: cols.phone.is_some(),
    })
}

/// Splits 角色 on 、 , ， ; ； / or spaces; every part must be a known role.
pub fn parse_roles(text: &str) -> Result<Vec<Role>, String> {
    let mut roles = Vec::new();
    for part in text.split(['、', ',', '，', ';', '；', '/', ' ']).map(str::trim).filter(|p| !p.is_empty())
    {
        match Role::parse_label(part) {
            Some(role) if !roles.contains(&role) => roles.push(role),
            Some(_) => {}
            None => {
                let known: Vec<_> = Role::ALL.iter().map(|r| r.label()).collect();
                return Err(msg::unknown_role(part, &known));
            }
        }
    }
    if roles.is_empty() {
        return Err(msg::ROLES_EMPTY.into());
    }
    roles.sort();
    Ok(roles)
}

/// An optional mainland mobile number: 11 digits starting with 1 (spaces and
/// dashes ignored). Empty means none.
pub fn parse_phone(text: &str) -> Result<Option<String>, String> {
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(Some(digits))
    } else {
        Err(msg::phone_invalid(text.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    const HEADER: &[&str] = &["工号", "姓名", "区县", "区县类型", "营业厅", "角色", "手机号"];

    #[test]
    fn sample_rows_are_skipped_and_samples_alone_are_no_data() {
        let sample: &[&str] =
            &["示例001", "张三（示例）", "青山县分公司", "县分", "青山中心营业厅", "营业员", ""];
        let real: &[&str] = &["10001", "张三", "青山县分公司", "县分", "青山中心营业厅", "营业员", ""];
        let (rows, errors) = parse_rows(&table(&[HEADER, sample, real]));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.iter().map(|r| r.staff_no.as_str()).collect::<Vec<_>>(), ["10001"]);
        assert_eq!(rows[0].line, 3, "line numbers stay the file's");
        let (rows, errors) = parse_rows(&table(&[&[], HEADER, sample, sample]));
        assert!(rows.is_empty());
        assert_eq!(errors, vec![RowError::new(2, msg::NO_DATA_ROWS)]);
    }

    #[test]
    fn reads_good_rows_with_spreadsheet_line_numbers() {
        let t = table(&[
            HEADER,
            &["10001", "张三", "青山县分公司", "县分", "青山中心营业厅", "营业员", "138 0013 8000"],
            &["", "", "", "", "", "", ""],
            &["10002", "李四", "青山县分公司", "", "青山中心营业厅", "营业班长、营业员", ""],
            &["20001", "王五", "", "", "", "培训师", ""],
        ]);
        let (rows, errors) = parse_rows(&t);
        assert_eq!(errors, vec![]);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].phone.as_deref(), Some("13800138000"));
        assert_eq!(rows[0].area_kind, Some(UnitKind::County));
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].roles, vec![Role::Clerk, Role::TeamLeader]);
        assert_eq!(rows[2].hall, None);
    }

    #[test]
    fn lists_every_bad_row_with_its_reason() {
        let t = table(&[
            HEADER,
            &["", "张三", "青山县分公司", "", "青山中心营业厅", "营业员", ""],
            &["10002", "李四", "青山县分公司", "", "青山中心营业厅", "店长", ""],
            &["10003", "王五", "青山县分公司", "乡镇", "", "营业员", "12345"],
            &["10004", "赵六", "青山县分公司", "", "青山中心营业厅", "营业员", ""],
            &["10004", "赵六", "青山县分公司", "", "青山中心营业厅", "营业员", ""],
        ]);
        let (rows, errors) = parse_rows(&t);
        assert_eq!(rows.len(), 1);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 4, 4, 6]);
        assert!(errors[0].message.contains("工号为空"));
        assert!(errors[1].message.contains("未知角色「店长」"));
        assert!(errors[2].message.contains("区县类型「乡镇」"));
        assert!(errors[3].message.contains("必须填写区县和营业厅"));
        assert!(errors[4].message.contains("手机号「12345」"));
        assert!(errors[5].message.contains("与第 5 行重复"));
    }

    #[test]
    fn missing_columns_are_named() {
        let (_, errors) = parse_rows(&table(&[&["工号", "姓名", "营业厅"]]));
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("区县、角色"), "{}", errors[0].message);
        let (_, errors) = parse_rows(&[]);
        assert!(errors[0].message.contains("空"));
    }

    #[test]
    fn roles_and_phones() {
        assert_eq!(parse_roles("营业员、营业员，厅经理"), Ok(vec![Role::Clerk, Role::HallManager]));
        assert!(parse_roles("").is_err());
        assert_eq!(parse_phone(""), Ok(None));
        assert_eq!(parse_phone("139-1234-5678"), Ok(Some("13912345678".into())));
        assert!(parse_phone("2391234567a").is_err());
    }
}
