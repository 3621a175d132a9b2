//! The command line: serve, demo, migrate, create-admin, import-roster,
//! import-results, import/export-bank, reports, copy-db: the arguments here,
//! each command in the file of its kind.

mod accounts;
mod bank;
mod imports;
mod reports;
mod serve;
mod site;

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::db;
use crate::web::msg;
use accounts::create_admin;
pub use accounts::insert_admin;
use bank::{export_bank, import_bank};
use imports::{import_results, import_roster};
use reports::report;
use serve::serve;
use site::{backup, copy_db};

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
        /// auto（按文件自动识别）、text、docx、xlsx、csv、gift、aiken、moodle-xml
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
        /// docx（Word，含图片）、xlsx（题库模板）、gift（Moodle）或 text（【答案】格式）
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
    /// 营业厅巡检月报（全市，县分 → 营业厅）：巡检次数、平均得分、零容忍、缺陷、整改天数、日检达标率
    Inspections {
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
    /// 百分制评价（全市，与网站导出相同）：每人总分、各项得分、一票否决
    Evaluation {
        /// 月份 YYYY-MM
        #[arg(long)]
        month: String,
        /// clerk（营业员）或 team-leader（营业班长）
        #[arg(long, default_value = "clerk")]
        role: String,
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
            // The month and title are checked before the file is read.
            match crate::review::import::Target::parse(&month, &title) {
                Ok(target) => import_results(&database("examhall.db"), &file, &target, dry_run),
                Err(message) => {
                    eprintln!("{message}");
                    Ok(1)
                }
            }
        }
        Command::CopyDb { from, to } => copy_db(&from, &to),
        Command::Backup { output } => backup(&database("examhall.db"), &output),
        Command::Report { report: r } => report(&database("examhall.db"), r),
        Command::ImportBank { file, bank, format, dry_run, skip_invalid } => {
            import_bank(&database("examhall.db"), &file, &bank, &format, dry_run, skip_invalid)
        }
        Command::ExportBank { bank, format, output } => {
            export_bank(&database("examhall.db"), &bank, &format, &output)
        }
    }
}

/// Reads a secret: prompted without echo on a terminal, else one line of stdin.
pub(crate) fn read_secret(prompt: &str, confirm: bool) -> anyhow::Result<String> {
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
