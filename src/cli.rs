//! The command line: serve, demo, migrate, create-admin, import-roster,
//! import-results, import/export-bank, reports, copy-db.

use std::io::{BufRead, IsTerminal};
use std::net::TcpListener;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::accounts::model::NewUser;
use crate::accounts::User;
use crate::auth::{password, rules, Role};
use crate::config::Config;
use crate::db::{self, write, Conn};
use crate::org::{OrgUnit, UnitKind};
use crate::roster::apply::{self, CommitOptions};
use crate::roster::plan::Plan;
use crate::web::msg;
use crate::{demo, AppState};

#[derive(Debug, Parser)]
#[command(name = "examhall", version, about = msg::CLI_ABOUT)]
pub struct Cli {
    /// 数据库地址：sqlite://路径 或 文件路径（默认 examhall.db；demo 默认 examhall-demo.db）
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 运行网站（默认命令）
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
    },
    /// 用演示数据库运行网站（首次运行时自动生成演示数据）
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
    },
    /// 只执行数据库迁移
    Migrate,
    /// 创建管理员账号；密码从标准输入读取或在终端提示输入
    CreateAdmin {
        #[arg(long)]
        username: String,
        /// 显示的姓名（默认同用户名）
        #[arg(long)]
        name: Option<String>,
    },
    /// 导入人员名单（.xlsx/.xls/.csv）；新账号的初始密码从标准输入读取或提示输入
    ImportRoster {
        file: PathBuf,
        /// 只检查并显示将要发生的变化，不写入
        #[arg(long)]
        dry_run: bool,
        /// 同时停用名单中没有的在职人员
        #[arg(long)]
        deactivate_missing: bool,
    },
    /// 导入某月的月考成绩（在系统外举行的考试）：.xlsx/.csv，列为 工号、姓名、分数，可选 缺考
    ImportResults {
        file: PathBuf,
        /// 月份 YYYY-MM（该月不能已有已发布的月考，也不能已关账）
        #[arg(long)]
        month: String,
        /// 考试名称
        #[arg(long)]
        title: String,
        /// 只检查并显示结果，不写入
        #[arg(long)]
        dry_run: bool,
    },
    /// 导入题库文件（题库不存在时自动新建）；有错误时不导入，除非加 --skip-invalid
    ImportBank {
        file: PathBuf,
        /// 题库名称
        #[arg(long)]
        bank: String,
        /// auto、text、xlsx、csv、gift、aiken、moodle-xml
        #[arg(long, default_value = "auto")]
        format: String,
        /// 只检查并显示结果，不写入
        #[arg(long)]
        dry_run: bool,
        /// 只导入正确的题目，跳过有错误的
        #[arg(long)]
        skip_invalid: bool,
    },
    /// 导出题库（当前题目的最新版本）
    ExportBank {
        #[arg(long)]
        bank: String,
        /// xlsx（题库模板）、gift（Moodle）或 text（【答案】格式）
        #[arg(long, default_value = "text")]
        format: String,
        #[arg(long)]
        output: PathBuf,
    },
    /// 导出报表
    Report {
        #[command(subcommand)]
        report: Report,
    },
    /// 在线备份 SQLite 站点（一致的快照，运行中也可执行）；PostgreSQL 请用 pg_dump
    Backup {
        /// 备份文件（须不存在）
        #[arg(long)]
        output: PathBuf,
    },
    /// 把整个站点复制到另一个空数据库（例如从 SQLite 迁到 PostgreSQL），并核对各表行数
    CopyDb {
        /// 源数据库地址
        #[arg(long)]
        from: String,
        /// 目标数据库地址（须为空库）
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum Report {
    /// 月考低于全市平均的县分营业员名单（按县分、分数排列）
    BelowAverage {
        /// 月份 YYYY-MM
        #[arg(long)]
        month: String,
        /// text、csv 或 xlsx
        #[arg(long, default_value = "text")]
        format: String,
        /// 输出文件（text、csv 默认输出到标准输出）
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// 必读未读扣款台账（供工资扣款）：每个被扣款的人一行；已关账的月份输出关账快照
    ReadingPenalty {
        /// 月份 YYYY-MM
        #[arg(long)]
        month: String,
        /// csv 或 xlsx
        #[arg(long, default_value = "csv")]
        format: String,
        /// 输出文件（csv 默认输出到标准输出；xlsx 必须指定）
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// 电话拨测月度明细：每通拨测一行（含各评分项）；xlsx 另有营业厅汇总
    PhoneTests {
        /// 月份 YYYY-MM
        #[arg(long)]
        month: String,
        /// csv 或 xlsx
        #[arg(long, default_value = "csv")]
        format: String,
        /// 输出文件（csv 默认输出到标准输出；xlsx 必须指定）
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// 月度评分卡（全市）：csv 输出一个层级，xlsx 为三个工作表（营业员、营业厅、县分）
    Scorecard {
        /// 月份 YYYY-MM
        #[arg(long)]
        month: String,
        /// clerk（营业员）、hall（营业厅）或 county（县分）；只影响 csv
        #[arg(long, default_value = "clerk")]
        level: String,
        /// csv 或 xlsx
        #[arg(long, default_value = "csv")]
        format: String,
        /// 输出文件（csv 默认输出到标准输出；xlsx 必须指定）
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// 考试成绩表（与网站“成绩”页导出的内容相同）
    ExamResults {
        /// 考试编号
        #[arg(long, conflicts_with = "month", required_unless_present = "month")]
        exam: Option<i32>,
        /// 月份 YYYY-MM：该月的月考
        #[arg(long)]
        month: Option<String>,
        /// csv 或 xlsx
        #[arg(long, default_value = "csv")]
        format: String,
        /// 输出文件（csv 默认输出到标准输出）
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// Runs a command; the result is the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    let database = |default: &str| cli.database.clone().unwrap_or_else(|| default.to_string());
    match cli.command.unwrap_or(Command::Serve { bind: "127.0.0.1:8080".into() }) {
        Command::Serve { bind } => serve(&database("examhall.db"), &bind, false),
        Command::Demo { bind } => serve(&database("examhall-demo.db"), &bind, true),
        Command::Migrate => {
            db::connect(&database("examhall.db"), 1)?;
            println!("{}", msg::CLI_MIGRATED);
            Ok(0)
        }
        Command::CreateAdmin { username, name } => {
            create_admin(&database("examhall.db"), &username, name.as_deref())
        }
        Command::ImportRoster { file, dry_run, deactivate_missing } => {
            import_roster(&database("examhall.db"), &file, dry_run, deactivate_missing)
        }
        Command::ImportResults { file, month, title, dry_run } => {
            import_results(&database("examhall.db"), &file, &month, &title, dry_run)
        }
        Command::CopyDb { from, to } => copy_db(&from, &to),
        Command::Backup { output } => backup(&database("examhall.db"), &output),
        Command::Report { report: Report::BelowAverage { month, format, output } } => {
            report_below_average(&database("examhall.db"), &month, &format, output.as_ref())
        }
        Command::Report { report: Report::ReadingPenalty { month, format, output } } => {
            report_reading_penalty(&database("examhall.db"), &month, &format, output.as_ref())
        }
        Command::Report { report: Report::PhoneTests { month, format, output } } => {
            report_phone_tests(&database("examhall.db"), &month, &format, output.as_ref())
        }
        Command::Report { report: Report::Scorecard { month, level, format, output } } => {
            report_scorecard(&database("examhall.db"), &month, &level, &format, output.as_ref())
        }
        Command::Report { report: Report::ExamResults { exam, month, format, output } } => {
            report_exam_results(&database("examhall.db"), exam, month.as_deref(), &format, output.as_ref())
        }
        Command::ImportBank { file, bank, format, dry_run, skip_invalid } => {
            import_bank(&database("examhall.db"), &file, &bank, &format, dry_run, skip_invalid)
        }
        Command::ExportBank { bank, format, output } => {
            export_bank(&database("examhall.db"), &bank, &format, &output)
        }
    }
}

fn serve(url: &str, bind: &str, demo_mode: bool) -> anyhow::Result<u8> {
    let pool = db::connect(url, 16)?;
    let mut conn = pool.get()?;
    if demo_mode {
        let hash = password::hash(demo::PASSWORD)?;
        if demo::populate(&mut conn, &hash)? {
            println!("{}", msg::cli_demo_created(url));
        }
        println!("{}", msg::cli_demo_accounts(demo::PASSWORD));
        for (role, login, note) in demo::logins() {
            println!("  {role:<10} {login:<8} {note}");
        }
    } else if User::count_all(&mut conn)? == 0 {
        println!("{}", msg::CLI_NO_ACCOUNTS);
        println!("{}", msg::CLI_CREATE_ADMIN_HINT);
    }
    drop(conn);
    let config = Config::load(url)?;
    let listener = TcpListener::bind(bind)?;
    println!("{}", msg::cli_started(listener.local_addr()?));
    crate::exam::start_sweeper(pool.clone());
    let state = AppState::new(pool)?;
    actix_web::rt::System::new().block_on(async move {
        let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        crate::build_server(listener, &config, state, workers)?.await
    })?;
    Ok(0)
}

/// Reads a secret: prompted without echo on a terminal, else one line of stdin.
fn read_secret(prompt: &str, confirm: bool) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(prompt)?;
        if confirm && rpassword::prompt_password(msg::CLI_PROMPT_AGAIN)? != first {
            anyhow::bail!(msg::CLI_PASSWORDS_DIFFER);
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Inserts an admin account scoped to the city (creating the city root on an empty site).
pub fn insert_admin(conn: &mut Conn, username: &str, name: &str, hash: &str) -> anyhow::Result<i32> {
    write(conn, |conn| {
        anyhow::ensure!(User::find_by_login(conn, username)?.is_none(), msg::cli_username_taken(username));
        let city = match OrgUnit::root(conn)? {
            Some(city) => city.id,
            None => OrgUnit::insert(conn, None, UnitKind::City, msg::DEFAULT_CITY_NAME)?,
        };
        let id = User::insert(
            conn,
            &NewUser {
                username,
                staff_no: None,
                name,
                phone: None,
                hall_id: None,
                password_hash: hash,
                must_change_password: false,
            },
        )?;
        User::grant(conn, id, Role::Admin, city)?;
        crate::audit::record(conn, None, "admin_created", &msg::audit_person(name, username), "cli")?;
        Ok(id)
    })
}

fn create_admin(url: &str, username: &str, name: Option<&str>) -> anyhow::Result<u8> {
    let username = username.trim();
    anyhow::ensure!(!username.is_empty() && username.chars().count() <= 40, msg::CLI_USERNAME_INVALID);
    let pool = db::connect(url, 1)?;
    let password = read_secret(msg::CLI_PROMPT_ADMIN_PASSWORD, true)?;
    if let Err(message) = rules::check_new_password(&password, &password, "", username, None) {
        eprintln!("{message}");
        return Ok(1);
    }
    let hash = password::hash(&password)?;
    let mut conn = pool.get()?;
    insert_admin(&mut conn, username, name.unwrap_or(username), &hash)?;
    println!("{}", msg::cli_admin_created(username));
    Ok(0)
}

fn import_roster(url: &str, file: &PathBuf, dry_run: bool, deactivate_missing: bool) -> anyhow::Result<u8> {
    let bytes = std::fs::read(file)?;
    let filename = file.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    let table = match crate::roster::parse::read_table(&filename, &bytes) {
        Ok(table) => table,
        Err(message) => {
            eprintln!("{message}");
            return Ok(1);
        }
    };
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

fn import_results(url: &str, file: &PathBuf, month: &str, title: &str, dry_run: bool) -> anyhow::Result<u8> {
    use crate::review::import::{self, CommitOptions, Target};
    use crate::web::import::ImportPlan;
    let target = match Target::parse(month, title) {
        Ok(target) => target,
        Err(message) => {
            eprintln!("{message}");
            return Ok(1);
        }
    };
    let bytes = std::fs::read(file)?;
    let filename = file.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    let table = match crate::roster::parse::read_table(&filename, &bytes) {
        Ok(table) => table,
        Err(message) => {
            eprintln!("{message}");
            return Ok(1);
        }
    };
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let plan = import::dry_run(&mut conn, &target, &table)?;
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
    match import::commit(&mut conn, &target, &table, &opts) {
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

fn import_bank(
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
        expected_fingerprint: Some(&plan.fingerprint()),
        skip_invalid,
        actor: None,
        ip: "cli",
    };
    let (_, out) = import::commit(&mut conn, bank, parsed, &opts)?;
    println!("{}", msg::bank_import_done(out.created, out.duplicates, out.skipped_invalid));
    Ok(if wrong && out.created == 0 { 1 } else { 0 })
}

fn export_bank(url: &str, bank: &str, format: &str, output: &PathBuf) -> anyhow::Result<u8> {
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let Some(found) = crate::bank::model::Bank::find_by_name(&mut conn, bank)? else {
        eprintln!("{}", msg::bank_not_found(bank));
        return Ok(1);
    };
    let questions = crate::bank::model::Bank::questions(&mut conn, found.id)?;
    let content = match format {
        "text" => crate::bank::formats::text::write(&questions).into_bytes(),
        "xlsx" => crate::bank::formats::sheet::write_xlsx(&questions)?,
        "gift" => crate::bank::formats::gift::write(&questions).into_bytes(),
        other => {
            eprintln!("{}", msg::bank_export_format_not_supported(other));
            return Ok(1);
        }
    };
    std::fs::write(output, content)?;
    println!("{}", msg::bank_exported(questions.len(), &output.display().to_string()));
    Ok(0)
}

fn report_below_average(
    url: &str,
    month: &str,
    format: &str,
    output: Option<&PathBuf>,
) -> anyhow::Result<u8> {
    let Ok(month) = crate::domain::Month::parse(month) else {
        eprintln!("{}", msg::EXAM_BAD_MONTH);
        return Ok(1);
    };
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
    month: &str,
    format: &str,
    output: Option<&PathBuf>,
) -> anyhow::Result<u8> {
    use crate::kb::ledger::{close, export};
    let Ok(month) = crate::domain::Month::parse(month) else {
        eprintln!("{}", msg::EXAM_BAD_MONTH);
        return Ok(1);
    };
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
        || Ok(export::write_xlsx(&found.ledger, people, closed)?),
    )?
    else {
        return Ok(1);
    };
    write_report(output, &bytes, export::charged(people).count())
}

/// The month's phone tests, one row per call (first scorings), city-wide.
fn report_phone_tests(url: &str, month: &str, format: &str, output: Option<&PathBuf>) -> anyhow::Result<u8> {
    use crate::phone::report::{export, facts, first_scorings};
    let Ok(month) = crate::domain::Month::parse(month) else {
        eprintln!("{}", msg::EXAM_BAD_MONTH);
        return Ok(1);
    };
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let calls = first_scorings(&facts(&mut conn, month.as_str(), None)?);
    let Some(bytes) = csv_or_xlsx(
        format,
        output,
        || export::write_csv(&calls),
        || Ok(export::write_xlsx(&calls, month.as_str())?),
    )?
    else {
        return Ok(1);
    };
    write_report(output, &bytes, calls.len())
}

/// The month's scorecard, city-wide: one level as CSV, or every level as a workbook.
fn report_scorecard(
    url: &str,
    month: &str,
    level: &str,
    format: &str,
    output: Option<&PathBuf>,
) -> anyhow::Result<u8> {
    use crate::scorecard::{export, model, visible, Level, Scope};
    let Ok(month) = crate::domain::Month::parse(month) else {
        eprintln!("{}", msg::EXAM_BAD_MONTH);
        return Ok(1);
    };
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
    month: Option<&str>,
    format: &str,
    output: Option<&PathBuf>,
) -> anyhow::Result<u8> {
    use crate::exam::model::Exam;
    let pool = db::connect(url, 1)?;
    let mut conn = pool.get()?;
    let found = match (exam, month) {
        (Some(id), _) => diesel::OptionalExtension::optional(Exam::find(&mut conn, id))?,
        (None, Some(month)) => match crate::domain::Month::parse(month) {
            Ok(month) => crate::review::model::monthly_exam(&mut conn, month)?,
            Err(_) => None,
        },
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

fn backup(database: &str, output: &std::path::Path) -> anyhow::Result<u8> {
    let pool = db::connect(database, 1)?;
    let mut conn = pool.get()?;
    let counts = db::backup::sqlite(&mut conn, output)?;
    let rows: i64 = counts.iter().map(|(_, n)| n).sum();
    println!("{}", msg::backup_done(&output.display().to_string(), counts.len(), rows));
    Ok(0)
}

fn copy_db(from: &str, to: &str) -> anyhow::Result<u8> {
    let (source, target) = (db::connect(from, 1)?, db::connect(to, 1)?);
    let (mut source, mut target) = (source.get()?, target.get()?);
    for (table, rows) in db::copy::copy_all(&mut source, &mut target)? {
        println!("{}", msg::copy_done_table(table, rows));
    }
    println!("{}", msg::COPY_DONE);
    Ok(0)
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
