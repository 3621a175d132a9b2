//! `import-bank` and `export-bank`.

use std::path::PathBuf;

use crate::db;
use crate::web::msg;

pub(super) fn import_bank(
    url: &str,
    file: &PathBuf,
    bank: &str,
    format: &str,
    dry_run: bool,
    skip_invalid: bool,
) -> anyhow::Result<u8> {
    use crate::bank::import::{self, Format};
    let bytes = std::fs::read(file)?;
    let name = file.display().to_string();
    let parsed = match Format::parse_code(format).and_then(|f| import::read(f, &name, &bytes)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{name}：{message}");
            return Ok(1);
        }
    };
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let existing = crate::bank::model::Bank::find_by_name(&mut conn, bank)?.map(|b| b.id);
    let plan = import::dry_run(&mut conn, existing, parsed.clone())?;
    for e in plan.errors.iter().chain(&plan.skipped) {
        eprintln!("{}", msg::cli_file_line(&name, e.line, &e.message));
    }
    for d in &plan.duplicates {
        println!("{}", msg::cli_file_line(&name, d.line, &d.message));
    }
    println!(
        "{}",
        msg::bank_plan_summary(plan.new.len(), plan.duplicates.len(), plan.errors.len(), plan.skipped.len())
    );
    if !plan.errors.is_empty() && !skip_invalid {
        eprintln!("{}", msg::import_error_count(plan.errors.len()));
        return Ok(1);
    }
    // Something wrong and nothing to import: say so in the exit code too.
    let wrong = !plan.errors.is_empty() || !plan.skipped.is_empty();
    if dry_run {
        println!("{}", msg::CLI_DRY_RUN_DONE);
        return Ok(if wrong && plan.new.is_empty() { 1 } else { 0 });
    }
    if plan.new.is_empty() {
        // Nothing new: no write at all (not even an empty bank).
        println!("{}", msg::bank_import_done(0, plan.duplicates.len(), plan.errors.len()));
        return Ok(if wrong { 1 } else { 0 });
    }
    let opts = crate::bank::import::CommitOptions {
        fixes: &[],
        expected_fingerprint: Some(&plan.fingerprint()),
        skip_invalid,
        actor: None,
        ip: "cli",
    };
    let (_, out) = import::commit(&mut conn, bank, parsed, &opts)?;
    println!("{}", msg::bank_import_done(out.created, out.duplicates, out.skipped_invalid));
    Ok(if wrong && out.created == 0 { 1 } else { 0 })
}

pub(super) fn export_bank(url: &str, bank: &str, format: &str, output: &PathBuf) -> anyhow::Result<u8> {
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let Some(found) = crate::bank::model::Bank::find_by_name(&mut conn, bank)? else {
        eprintln!("{}", msg::bank_not_found(bank));
        return Ok(1);
    };
    let questions = crate::bank::model::Bank::questions(&mut conn, found.id)?;
    let content = match format {
        "text" => crate::bank::formats::text::write(&questions).into_bytes(),
        "xlsx" => crate::bank::formats::sheet::write_xlsx(&msg::bank_export_title(&found.name), &questions)?,
        "gift" => crate::bank::formats::gift::write(&questions).into_bytes(),
        "docx" => crate::bank::images::export_docx(&mut conn, found.id)??,
        other => {
            eprintln!("{}", msg::bank_export_format_not_supported(other));
            return Ok(1);
        }
    };
    std::fs::write(output, content)?;
    println!("{}", msg::bank_exported(questions.len(), &output.display().to_string()));
    Ok(0)
}
