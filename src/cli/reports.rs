//! `report …`: the month's lists as text, CSV or a workbook, city-wide.

use std::path::PathBuf;

use super::Report;
use crate::db;
use crate::domain::Month;
use crate::web::msg;

/// The `--month` argument (YYYY-MM, 2000–2099); None after saying it is wrong.
fn month_arg(text: &str) -> Option<Month> {
    let month = Month::parse(text).ok();
    if month.is_none() {
        eprintln!("{}", msg::EXAM_BAD_MONTH);
    }
    month
}

/// Runs a `report …` command: its `--month` is parsed here, once, before anything else.
pub(super) fn report(url: &str, report: Report) -> anyhow::Result<u8> {
    match report {
        Report::BelowAverage { month, format, output } => match month_arg(&month) {
            Some(month) => report_below_average(url, month, &format, output.as_ref()),
            None => Ok(1),
        },
        Report::ReadingPenalty { month, format, output } => match month_arg(&month) {
            Some(month) => report_reading_penalty(url, month, &format, output.as_ref()),
            None => Ok(1),
        },
        Report::PhoneTests { month, format, output } => match month_arg(&month) {
            Some(month) => report_phone_tests(url, month, &format, output.as_ref()),
            None => Ok(1),
        },
        Report::Scorecard { month, level, format, output } => match month_arg(&month) {
            Some(month) => report_scorecard(url, month, &level, &format, output.as_ref()),
            None => Ok(1),
        },
        Report::Inspections { month, format, output } => match month_arg(&month) {
            Some(month) => report_inspections(url, month, &format, output.as_ref()),
            None => Ok(1),
        },
        Report::Evaluation { month, role, format, output } => match month_arg(&month) {
            Some(month) => report_evaluation(url, month, &role, &format, output.as_ref()),
            None => Ok(1),
        },
        // A malformed month names no exam: "not found", as for an unknown id.
        Report::ExamResults { exam, month, format, output } => {
            let month = month.as_deref().and_then(|m| Month::parse(m).ok());
            report_exam_results(url, exam, month, &format, output.as_ref())
        }
    }
}

fn report_below_average(
    url: &str,
    month: Month,
    format: &str,
    output: Option<&PathBuf>,
) -> anyhow::Result<u8> {
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let Some(list) = crate::review::model::month_list(&mut conn, month)? else {
        eprintln!("{}", msg::CLI_EXAM_NOT_FOUND);
        return Ok(1);
    };
    let bytes = match format {
        "text" => crate::review::model::write_text(&list).into_bytes(),
        "csv" => crate::review::model::write_csv(&list)?,
        "xlsx" if output.is_some() => crate::review::model::write_xlsx(&list)?,
        "xlsx" => {
            eprintln!("{}", msg::CLI_XLSX_NEEDS_OUTPUT);
            return Ok(1);
        }
        other => {
            eprintln!("{}", msg::cli_report_format(other));
            return Ok(1);
        }
    };
    write_report(output, &bytes, list.rows.len())
}

/// The month's reading-penalty ledger for payroll: the snapshot of a closed
/// month, else computed now.
fn report_reading_penalty(
    url: &str,
    month: Month,
    format: &str,
    output: Option<&PathBuf>,
) -> anyhow::Result<u8> {
    use crate::kb::ledger::{close, export};
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let today = crate::time::local_date(db::now());
    let found = close::month_ledger(&mut conn, month, today)?;
    let people = &found.ledger.people;
    let closed = found.closed.as_ref().map(|c| c.at.as_str());
    let Some(bytes) = csv_or_xlsx(
        format,
        output,
        || export::write_csv(people),
        || Ok(export::write_xlsx(&found.ledger, people, closed, crate::web::msg::WEAK_CITY)?),
    )?
    else {
        return Ok(1);
    };
    write_report(output, &bytes, export::charged(people).count())
}

/// The month's phone tests, one row per call (first scorings), city-wide.
fn report_phone_tests(url: &str, month: Month, format: &str, output: Option<&PathBuf>) -> anyhow::Result<u8> {
    use crate::phone::report::{export, facts, first_scorings};
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let calls = first_scorings(&facts(&mut conn, month, None)?);
    let Some(bytes) =
        csv_or_xlsx(format, output, || export::write_csv(&calls), || Ok(export::write_xlsx(&calls, month)?))?
    else {
        return Ok(1);
    };
    write_report(output, &bytes, calls.len())
}

/// The month's scorecard, city-wide: one level as CSV, or every level as a workbook.
fn report_scorecard(
    url: &str,
    month: Month,
    level: &str,
    format: &str,
    output: Option<&PathBuf>,
) -> anyhow::Result<u8> {
    use crate::scorecard::{export, model, visible, Level, Scope};
    let Some(level) = Level::parse(level) else {
        eprintln!("{}", msg::CLI_SCORECARD_LEVEL);
        return Ok(1);
    };
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let card = model::load(&mut conn, month)?;
    let all = visible(&card, &Scope::everything(), &crate::exam::model::Tree::load(&mut conn)?);
    let target = card.study_target;
    let Some(bytes) = csv_or_xlsx(
        format,
        output,
        || export::write_csv(level, month, &all, target),
        || Ok(export::write_xlsx(month, &all, target)?),
    )?
    else {
        return Ok(1);
    };
    write_report(output, &bytes, export::rows(level, month, &all, target).len())
}

/// The month's inspection report, city-wide, county → hall.
fn report_inspections(url: &str, month: Month, format: &str, output: Option<&PathBuf>) -> anyhow::Result<u8> {
    use crate::inspect::report;
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let tree = crate::domain::OrgTree::load(&mut conn)?;
    let today = crate::time::local_date(crate::db::now());
    let lines = report::lines(&report::halls_of(&tree, |_| true), &report::facts(&mut conn, month, today)?);
    let Some(bytes) = csv_or_xlsx(
        format,
        output,
        || report::write_csv(&lines),
        || Ok(report::write_xlsx(month, msg::WEAK_CITY, &lines)?),
    )?
    else {
        return Ok(1);
    };
    write_report(output, &bytes, lines.len())
}

/// The month's evaluation of a role, city-wide (the snapshot of a closed month).
fn report_evaluation(
    url: &str,
    month: Month,
    role: &str,
    format: &str,
    output: Option<&PathBuf>,
) -> anyhow::Result<u8> {
    let Some(role) = crate::evaluation::scheme::EvalRole::parse(role) else {
        eprintln!("{}", msg::cli_eval_bad_role(role));
        return Ok(1);
    };
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let view = crate::evaluation::model::month_view(&mut conn, month)?;
    let closed = view.closed.is_some();
    let Some(sheet) = view.figures.role(role).cloned() else { return Ok(1) };
    let Some(bytes) = csv_or_xlsx(
        format,
        output,
        || crate::evaluation::export::csv(&sheet),
        || Ok(crate::evaluation::export::xlsx(month, &sheet, closed)?),
    )?
    else {
        return Ok(1);
    };
    write_report(output, &bytes, sheet.people.len())
}

/// The bytes of a report offered as csv or xlsx; None, after saying why, for
/// another format or for xlsx without --output (a workbook is no terminal output).
fn csv_or_xlsx(
    format: &str,
    output: Option<&PathBuf>,
    csv: impl FnOnce() -> anyhow::Result<Vec<u8>>,
    xlsx: impl FnOnce() -> anyhow::Result<Vec<u8>>,
) -> anyhow::Result<Option<Vec<u8>>> {
    match format {
        "csv" => csv().map(Some),
        "xlsx" if output.is_some() => xlsx().map(Some),
        "xlsx" => {
            eprintln!("{}", msg::CLI_XLSX_NEEDS_OUTPUT);
            Ok(None)
        }
        other => {
            eprintln!("{}", msg::cli_report_format(other));
            Ok(None)
        }
    }
}

/// Writes a report to the file, or to stdout without one.
fn write_report(output: Option<&PathBuf>, bytes: &[u8], rows: usize) -> anyhow::Result<u8> {
    match output {
        Some(path) => {
            std::fs::write(path, bytes)?;
            eprintln!("{}", msg::cli_report_written(rows, &path.display().to_string()));
        }
        None => std::io::Write::write_all(&mut std::io::stdout(), bytes)?,
    }
    Ok(0)
}

fn report_exam_results(
    url: &str,
    exam: Option<i32>,
    month: Option<Month>,
    format: &str,
    output: Option<&PathBuf>,
) -> anyhow::Result<u8> {
    use crate::exam::model::Exam;
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let found = match (exam, month) {
        (Some(id), _) => diesel::OptionalExtension::optional(Exam::find(&mut conn, id))?,
        (None, Some(month)) => crate::review::model::monthly_exam(&mut conn, month)?,
        (None, None) => None,
    };
    let Some(exam) = found else {
        eprintln!("{}", msg::CLI_EXAM_NOT_FOUND);
        return Ok(1);
    };
    let lines = crate::exam::results::lines(&mut conn, &exam).map_err(|e| anyhow::anyhow!("{e}"))?;
    let Some(bytes) = csv_or_xlsx(
        format,
        output,
        || crate::exam::results::write_csv(&lines),
        || Ok(crate::exam::results::write_xlsx(&exam, &lines)?),
    )?
    else {
        return Ok(1);
    };
    write_report(output, &bytes, lines.len())
}
