//! The one import pipeline every format goes through: read → plan (dry run:
//! new, duplicate, error for every question) → commit in one transaction.

use std::collections::{HashMap, HashSet};

use diesel::RunQueryDsl;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::formats::{aiken, docx, gift, moodle_xml, sheet, text, Item, LineError, Parsed};
use super::model::{Bank, QuestionRow};
use super::question::{dedup_key, Kind};
use crate::db::{write, Conn};
use crate::web::msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Docx,
    Xlsx,
    Csv,
    Gift,
    Aiken,
    MoodleXml,
}

impl Format {
    /// `--format` values; `auto` is None.
    pub fn parse_code(code: &str) -> Result<Option<Format>, String> {
        Ok(Some(match code {
            "auto" => return Ok(None),
            "text" => Format::Text,
            "docx" | "word" => Format::Docx,
            "xlsx" => Format::Xlsx,
            "csv" => Format::Csv,
            "gift" => Format::Gift,
            "aiken" => Format::Aiken,
            "moodle-xml" => Format::MoodleXml,
            other => return Err(msg::bank_unknown_format(other)),
        }))
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Text => "文本",
            Format::Docx => "Word (.docx)",
            Format::Xlsx => "Excel",
            Format::Csv => "CSV",
            Format::Gift => "Moodle GIFT",
            Format::Aiken => "Aiken",
            Format::MoodleXml => "Moodle XML",
        }
    }

    /// By extension, then by content for plain text.
    pub fn detect(filename: &str, bytes: &[u8]) -> Format {
        let lower = filename.to_lowercase();
        if lower.ends_with(".docx") || lower.ends_with(".doc") || lower.ends_with(".wps") {
            return Format::Docx;
        }
        if docx::is_binary_office(bytes) && !lower.ends_with(".xls") {
            return Format::Docx;
        }
        if bytes.starts_with(b"PK") && is_word_zip(bytes) {
            return Format::Docx;
        }
        if lower.ends_with(".xlsx") || lower.ends_with(".xls") {
            return Format::Xlsx;
        }
        if lower.ends_with(".csv") {
            return Format::Csv;
        }
        if lower.ends_with(".xml") {
            return Format::MoodleXml;
        }
        if lower.ends_with(".gift") {
            return Format::Gift;
        }
        let text = crate::roster::parse::decode_text(bytes);
        if text.contains("【答案】") {
            return Format::Text;
        }
        if text.lines().any(|l| l.trim_start().starts_with("ANSWER:")) {
            return Format::Aiken;
        }
        if text.trim_start().starts_with("<?xml") || text.contains("<quiz") {
            return Format::MoodleXml;
        }
        if gift::looks_like_gift(&text) {
            return Format::Gift;
        }
        Format::Text
    }
}

/// Rows copied out of Excel and pasted as text (tab-separated, a cell with a
/// line break in double quotes): read as the spreadsheet they came from.
fn pasted_sheet(text: &str) -> Option<Parsed> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    // Tab-separated (Excel) or `|`-separated (刷题 apps' one-line-per-question templates).
    let separator = ['\t', '|'].into_iter().find(|sep| {
        lines.len() >= 2 && lines.iter().filter(|l| l.matches(*sep).count() >= 2).count() * 2 >= lines.len()
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.map(|r| r.iter().map(String::from).collect()))
        .collect::<Result<_, _>>()
        .ok()?;
    let mut parsed = sheet::parse(&rows);
    if parsed.items.is_empty() {
        return None;
    }
    parsed.recognise(msg::RECOGNISED_PASTED_SHEET);
    parsed.source = text.lines().map(|l| l.replace('\t', " | ")).collect();
    if separator == '|' {
        parsed.recognised.retain(|r| r != msg::RECOGNISED_PASTED_SHEET);
        parsed.recognise(msg::RECOGNISED_PIPE_SHEET);
    }
    Some(parsed)
}

/// A zip with `word/document.xml`: a .docx whatever its name.
fn is_word_zip(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .is_ok_and(|z| z.index_for_name("word/document.xml").is_some())
}

/// Reads a file in the given (or detected) format.
pub fn read(format: Option<Format>, filename: &str, bytes: &[u8]) -> Result<Parsed, String> {
    if bytes.len() > crate::web::upload::MAX_UPLOAD_BYTES {
        return Err(msg::FILE_TOO_LARGE.to_string());
    }
    let decoded = || crate::roster::parse::decode_text(bytes);
    let mut parsed = match format.unwrap_or_else(|| Format::detect(filename, bytes)) {
        Format::Text => {
            let text = decoded();
            match pasted_sheet(&text) {
                Some(parsed) => parsed,
                None => text::parse(&text),
            }
        }
        Format::Docx => docx::parse(bytes)?,
        // .xlsx and .csv (UTF-8 or GBK) share the roster's spreadsheet reader,
        // which goes by extension: the chosen format decides it here.
        Format::Xlsx => sheet::parse(&crate::roster::parse::read_table("questions.xlsx", bytes)?),
        Format::Csv => sheet::parse(&crate::roster::parse::read_table("questions.csv", bytes)?),
        Format::Gift => gift::parse(&decoded()),
        Format::Aiken => aiken::parse(&decoded()),
        Format::MoodleXml => moodle_xml::parse(&decoded()),
    };
    // A file in which nothing was recognised is an error, never a silent empty import.
    if parsed.items.is_empty() && parsed.errors.is_empty() && parsed.skipped.is_empty() {
        parsed.errors.push(LineError::new(1, msg::BANK_NOTHING_RECOGNISED));
    }
    Ok(parsed)
}

/// The dry run of an import into one bank.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    pub new: Vec<Item>,
    pub duplicates: Vec<LineError>,
    pub errors: Vec<LineError>,
    pub skipped: Vec<LineError>,
    pub warnings: Vec<LineError>,
    pub recognised: Vec<String>,
    pub source: Vec<String>,
    #[serde(skip)]
    pub images: Vec<super::formats::Image>,
}

/// A trainer's correction of one question in the preview, by its first line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fix {
    pub line: usize,
    pub kind: Option<Kind>,
    pub answer: Option<String>,
    /// 不导入 this question.
    pub leave_out: bool,
}

/// Applies the preview's corrections to the plan's new questions; a
/// corrected question must keep every rule, or its errors are returned.
pub fn apply_fixes(plan: &mut Plan, fixes: &[Fix]) -> Result<(), Vec<LineError>> {
    let mut errors = Vec::new();
    plan.new.retain(|item| !fixes.iter().any(|f| f.line == item.line && f.leave_out));
    for item in &mut plan.new {
        let Some(fix) = fixes.iter().find(|f| f.line == item.line) else { continue };
        let q = &mut item.question;
        let kind = fix.kind.unwrap_or(q.kind);
        if !kind.has_options() {
            q.options.clear();
        }
        if let Some(answer) = fix.answer.as_deref().or((kind != q.kind).then_some("")) {
            match text::parse_answer(answer, Some(kind), !q.options.is_empty()) {
                Ok((k, a)) => (q.kind, q.answer) = (k, a),
                Err(m) => errors.push(LineError::new(item.line, m)),
            }
        }
        errors.extend(crate::bank::question::validate(q).into_iter().map(|m| LineError::new(item.line, m)));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

impl Plan {
    pub fn fingerprint(&self) -> String {
        let text = format!("{:?}|{:?}|{:?}", self.new, self.duplicates, self.errors);
        hex::encode(&Sha256::digest(text.as_bytes())[..16])
    }
}

/// Splits what a parser found into new questions, duplicates (of the bank's
/// active questions or of an earlier question in the same file) and errors.
pub fn plan(parsed: Parsed, existing: &HashSet<String>) -> Plan {
    let mut plan = Plan {
        errors: parsed.errors,
        skipped: parsed.skipped,
        warnings: parsed.warnings,
        recognised: parsed.recognised,
        source: parsed.source,
        images: parsed.images,
        ..Default::default()
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for item in parsed.items {
        let key = dedup_key(&item.question);
        if existing.contains(&key) {
            plan.duplicates.push(LineError::new(item.line, msg::BANK_DUPLICATE_IN_BANK));
        } else if let Some(first) = seen.get(&key) {
            plan.duplicates.push(LineError::new(item.line, msg::bank_duplicate_in_file(*first)));
        } else {
            seen.insert(key, item.line);
            plan.new.push(item);
        }
    }
    plan
}

pub fn dry_run(conn: &mut Conn, bank_id: Option<i32>, parsed: Parsed) -> diesel::QueryResult<Plan> {
    let existing = match bank_id {
        Some(id) => Bank::active_keys(conn, id)?,
        None => HashSet::new(),
    };
    let mut plan = plan(parsed, &existing);
    // An article named as the source that the knowledge base does not have
    // (or has twice) is said on the question's line; the question still imports.
    let titles = crate::bank::sources::article_titles(conn)?;
    for item in &plan.new {
        for r in crate::bank::sources::rules::references(&item.question.source) {
            if let Err(what) = crate::bank::sources::rules::resolve(&r, &titles) {
                plan.warnings.push(LineError::new(item.line, msg::source_unresolved(&what)));
            }
        }
    }
    Ok(plan)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    pub created: usize,
    pub duplicates: usize,
    pub skipped_invalid: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}", msg::import_error_count(.0.errors.len()))]
    Invalid(Box<Plan>),
    #[error("{}", msg::BANK_PLAN_CHANGED)]
    Changed,
    #[error("{}", msg::db_error_detail(.0))]
    Db(#[from] diesel::result::Error),
}

pub struct CommitOptions<'a> {
    pub expected_fingerprint: Option<&'a str>,
    /// "Import the valid questions, skip the rest" — chosen after seeing the errors.
    pub skip_invalid: bool,
    pub actor: Option<i32>,
    pub ip: &'a str,
    /// Corrections made in the preview (applied after the plan is checked
    /// against the one previewed).
    pub fixes: &'a [Fix],
}

/// Re-plans inside one transaction and writes the new questions, or nothing.
pub fn commit(
    conn: &mut Conn,
    bank_name: &str,
    parsed: Parsed,
    opts: &CommitOptions,
) -> Result<(Plan, Outcome), ImportError> {
    write(conn, |conn| {
        let bank = Bank::find_or_create(conn, bank_name, opts.actor)?;
        // PostgreSQL: two imports into one bank take turns, so the duplicate check
        // below sees the other's questions (SQLite's BEGIN IMMEDIATE already does).
        if let Conn::Pg(_) = conn {
            diesel::sql_query("SELECT id FROM banks WHERE id = $1 FOR UPDATE")
                .bind::<diesel::sql_types::Integer, _>(bank.id)
                .execute(conn)?;
        }
        let plan = plan(parsed, &Bank::active_keys(conn, bank.id)?);
        if !plan.errors.is_empty() && !opts.skip_invalid {
            return Err(ImportError::Invalid(Box::new(plan)));
        }
        if opts.expected_fingerprint.is_some_and(|f| f != plan.fingerprint()) {
            return Err(ImportError::Changed);
        }
        let mut plan = plan;
        if let Err(errors) = apply_fixes(&mut plan, opts.fixes) {
            plan.errors.extend(errors);
            return Err(ImportError::Invalid(Box::new(plan)));
        }
        let titles = crate::bank::sources::article_titles(conn)?;
        for item in &plan.new {
            let id = QuestionRow::insert(conn, bank.id, &item.question, opts.actor)?;
            let at = crate::db::now();
            crate::bank::sources::link_from_source(conn, id, &item.question.source, &titles, opts.actor, at)?;
            let images: Vec<_> = item.images.iter().filter_map(|i| plan.images.get(*i)).collect();
            super::images::insert(conn, id, &images)?;
        }
        let outcome = Outcome {
            created: plan.new.len(),
            duplicates: plan.duplicates.len(),
            skipped_invalid: if opts.skip_invalid { plan.errors.len() } else { 0 },
        };
        if outcome.created > 0 {
            let detail = msg::bank_import_audit(
                &bank.name,
                outcome.created,
                outcome.duplicates,
                outcome.skipped_invalid,
            );
            crate::audit::record(conn, opts.actor, "bank_imported", &detail, opts.ip)?;
        }
        Ok((plan, outcome))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "1. 甲题\nA. 一\nB. 二\n【答案】A\n\n2. 乙题\n【答案】正确\n\n3. 甲题\nA. 一\nB. 二\n【答案】B\n\n4. 坏题\nA. 一\n【答案】C\n";

    #[test]
    fn plans_new_duplicates_and_errors() {
        let parsed = text::parse(FILE);
        let p = plan(parsed.clone(), &HashSet::new());
        assert_eq!(p.new.iter().map(|i| i.line).collect::<Vec<_>>(), vec![1, 6]);
        assert_eq!(p.duplicates, vec![LineError::new(9, msg::bank_duplicate_in_file(1))]);
        // Too few options: the question's line; the missing option C: its answer line.
        assert_eq!(p.errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![14, 16]);

        let existing: HashSet<String> = [dedup_key(&p.new[1].question)].into_iter().collect();
        let p2 = plan(parsed, &existing);
        assert_eq!(p2.new.len(), 1);
        assert!(p2.duplicates.iter().any(|d| d.line == 6 && d.message == msg::BANK_DUPLICATE_IN_BANK));
        assert_ne!(p.fingerprint(), p2.fingerprint());
    }

    #[test]
    fn duplicates_are_found_whatever_the_width_and_spacing_of_their_punctuation() {
        let file = "1. 客户办理副卡（ ），须出示证件?\nA. 身份证\nB. 户口簿\n答案：A\n\n\
                    2、客户办理副卡(  )，须出示证件？\nA．身份证\nB． 户口簿\n答案：A\n";
        let p = plan(text::parse(file), &HashSet::new());
        assert_eq!(p.new.len(), 1);
        assert_eq!(p.duplicates, vec![LineError::new(6, msg::bank_duplicate_in_file(1))]);
    }

    #[test]
    fn a_file_without_questions_is_an_error() {
        let p = read(None, "notes.txt", "会议纪要\n请大家认真学习。".as_bytes()).unwrap();
        assert_eq!(p.errors, vec![LineError::new(1, msg::BANK_NOTHING_RECOGNISED)]);
        let csv = "题型,题干,选项A,选项B,答案\n单选,甲？,一,二,A\n";
        assert_eq!(read(Some(Format::Csv), "questions.txt", csv.as_bytes()).unwrap().items.len(), 1);
    }

    #[test]
    fn formats_are_detected_by_name_and_content() {
        assert_eq!(Format::detect("题库.xlsx", b""), Format::Xlsx);
        assert_eq!(Format::detect("a.CSV", b""), Format::Csv);
        assert_eq!(Format::detect("a.txt", "1. 题\n【答案】A".as_bytes()), Format::Text);
        assert_eq!(Format::detect("a.txt", b"Q?\nA. x\nB. y\nANSWER: A\n"), Format::Aiken);
        assert_eq!(Format::detect("a.txt", b"::q1:: 2+2? {=4 ~5}"), Format::Gift);
        assert_eq!(Format::detect("export.txt", b"<?xml version=\"1.0\"?><quiz></quiz>"), Format::MoodleXml);
        assert_eq!(Format::parse_code("auto"), Ok(None));
        assert_eq!(Format::parse_code("docx"), Ok(Some(Format::Docx)));
        assert!(Format::parse_code("pdf").is_err());
        assert_eq!(Format::detect("题库.doc", &[0xD0, 0xCF, 0x11, 0xE0]), Format::Docx);
    }
}
