//! `import-roster` and `import-results`: a dry run printed, then one transaction.

use std::path::PathBuf;

use super::read_secret;
use crate::auth::{password, rules};
use crate::db;
use crate::roster::apply::{self, CommitOptions};
use crate::roster::plan::Plan;
use crate::web::msg;

/// A spreadsheet's cells; None after saying why it cannot be read.
fn read_table_file(file: &PathBuf) -> anyhow::Result<Option<Vec<Vec<String>>>> {
    let bytes = std::fs::read(file)?;
    let filename = file.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    match crate::roster::parse::read_table(&filename, &bytes) {
        Ok(table) => Ok(Some(table)),
        Err(message) => {
            eprintln!("{message}");
            Ok(None)
        }
    }
}

pub(super) fn import_roster(
    url: &str,
    file: &PathBuf,
    dry_run: bool,
    deactivate_missing: bool,
) -> anyhow::Result<u8> {
    let Some(table) = read_table_file(file)? else { return Ok(1) };
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let plan = apply::dry_run(&mut conn, &table)?;
    print_plan(&plan);
    if !plan.errors.is_empty() {
        eprintln!("{}", msg::import_error_count(plan.errors.len()));
        return Ok(1);
    }
    if dry_run {
        println!("{}", msg::CLI_DRY_RUN_DONE);
        return Ok(0);
    }
    let hash = if plan.creates.is_empty() {
        None
    } else {
        let password = read_secret(msg::CLI_PROMPT_INITIAL_PASSWORD, true)?;
        if let Err(message) = rules::check_new_password(&password, &password, "", "", None) {
            eprintln!("{}", msg::initial_password_invalid(message));
            return Ok(1);
        }
        Some(password::hash(&password)?)
    };
    let opts = CommitOptions {
        expected_fingerprint: Some(&plan.fingerprint()),
        deactivate_missing,
        password_hash: hash.as_deref(),
        must_change_password: true,
        actor: None,
        ip: "cli",
    };
    let (_, out) = apply::commit(&mut conn, &table, &opts)?;
    println!("{}", msg::import_done(out.units_created, out.created, out.updated, out.deactivated));
    Ok(0)
}

/// `import-results` for a checked month and title.
pub(super) fn import_results(
    url: &str,
    file: &PathBuf,
    target: &crate::review::import::Target,
    dry_run: bool,
) -> anyhow::Result<u8> {
    use crate::review::import::{self, CommitOptions};
    use crate::web::import::ImportPlan;
    let Some(table) = read_table_file(file)? else { return Ok(1) };
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let plan = import::dry_run(&mut conn, target, &table)?;
    if let Some(why) = &plan.refusal {
        eprintln!("{why}");
        return Ok(1);
    }
    for e in &plan.errors {
        eprintln!("{}", msg::cli_row_error(e.line, &e.message));
    }
    if !plan.errors.is_empty() {
        eprintln!("{}", msg::import_error_count(plan.errors.len()));
        return Ok(1);
    }
    println!(
        "{}",
        msg::results_plan_summary(plan.audience.len(), plan.sat, plan.marked_absent, plan.missing.len())
    );
    if dry_run {
        println!("{}", msg::CLI_DRY_RUN_DONE);
        return Ok(0);
    }
    let opts = CommitOptions { expected_fingerprint: Some(&plan.fingerprint()), actor: None, ip: "cli" };
    match import::commit(&mut conn, target, &table, &opts) {
        Ok((plan, _)) => {
            let absent = plan.marked_absent + plan.missing.len();
            println!("{}", msg::results_imported(&plan.target.title, plan.sat, absent));
            Ok(0)
        }
        Err(import::ImportError::Db(e)) => Err(e.into()),
        Err(e) => {
            eprintln!("{e}");
            Ok(1)
        }
    }
}

fn print_plan(plan: &Plan) {
    for e in &plan.errors {
        eprintln!("{}", msg::cli_row_error(e.line, &e.message));
    }
    let units = usize::from(plan.new_city) + plan.new_areas.len() + plan.new_halls.len();
    println!(
        "{}",
        msg::cli_plan_summary(
            units,
            plan.creates.len(),
            plan.updates.len(),
            plan.unchanged,
            plan.missing.len()
        )
    );
    for u in &plan.updates {
        println!("{}", msg::cli_plan_update(&u.user.staff_no, &u.user.name, &u.changes));
    }
    for m in &plan.missing {
        println!("{}", msg::cli_plan_missing(&m.staff_no, &m.name));
    }
}
