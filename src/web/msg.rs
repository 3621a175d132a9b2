//! The message catalog: every user-facing string that originates in Rust code
//! (templates hold the rest). Keeping them here lets an English catalog be added later.
//!
//! Domain vocabulary that is also parsed (role and unit-kind labels, the roster
//! column headers) stays with the types that parse it.

use std::fmt::Display;

use crate::domain::Month;

/// Separator of the items of a list shown in a sentence (roles, columns).
pub const LIST_SEPARATOR: &str = "、";
/// Shown where a value is empty (no phone, no hall, no roles).
pub const NONE: &str = "（无）";

// 通用错误

pub const NOT_FOUND: &str = "页面不存在或已被删除。";
pub const FORBIDDEN: &str = "您没有权限访问此页面。";
pub const LOGIN_REQUIRED: &str = "请先登录。";
pub const CSRF: &str = "表单已过期或来源无效，请刷新页面后重试。";
pub const BUSY: &str = "系统繁忙，请稍候几秒再试。";
pub const INTERNAL: &str = "服务器内部错误，请稍后重试或联系管理员。";
/// The short name of a database error (logs; the page shows [`INTERNAL`]).
pub const DB_ERROR: &str = "数据库错误";
/// The short name of an internal error (logs; the page shows [`INTERNAL`]).
pub const INTERNAL_ERROR: &str = "服务器内部错误";
pub const REQUEST_INCOMPLETE: &str = "请求数据不完整，请重试。";
pub const FORM_TOO_LARGE: &str = "提交的表单过大。";

pub fn db_error_detail(err: impl Display) -> String {
    format!("数据库错误：{err}")
}

pub fn invalid_form(err: impl Display) -> String {
    format!("表单内容无效：{err}")
}

pub fn invalid_query(err: impl Display) -> String {
    format!("查询参数无效：{err}")
}

pub const SAVED: &str = "已保存。";

// 导航

pub const NAV_HOME: &str = "首页";
pub const NAV_BANK: &str = "题库";
pub const NAV_GROUP_EXAMS: &str = "考试";
pub const NAV_GROUP_REVIEW: &str = "考核分析";
pub const NAV_GROUP_TRAINING: &str = "学习演练";
pub const NAV_GROUP_ADMIN: &str = "系统管理";
pub const NAV_ORG: &str = "组织架构";
pub const NAV_USERS: &str = "人员账号";
pub const NAV_ROSTER: &str = "名单导入";
pub const NAV_AUDIT: &str = "操作日志";

// 文件上传

pub const UPLOAD_INCOMPLETE: &str = "上传数据不完整，请重试。";
pub const FILE_TOO_LARGE: &str = "文件过大（最大 10 MB）。";
pub const NO_FILE_CHOSEN: &str = "请选择要上传的文件。";

// 登录与密码

pub const LOGIN_FAILED: &str = "用户名或密码错误。";
pub const LOGGED_OUT: &str = "您已安全退出。";
pub const MUST_CHANGE_PASSWORD: &str = "首次登录或密码已被重置，请先修改密码。";
pub const PASSWORD_CHANGED: &str = "密码已修改，其他设备上的登录已失效。";
pub const CURRENT_PASSWORD_WRONG: &str = "当前密码不正确。";
pub const PASSWORD_MISMATCH: &str = "两次输入的新密码不一致。";
pub const PASSWORD_TOO_SHORT: &str = "新密码至少需要 8 个字符。";
pub const PASSWORD_TOO_LONG: &str = "新密码不能超过 128 个字符。";
pub const PASSWORD_NEEDS_MIX: &str = "新密码需同时包含字母和数字。";
pub const PASSWORD_SAME_AS_NAME: &str = "新密码不能与用户名或工号相同。";
pub const PASSWORD_UNCHANGED: &str = "新密码不能与当前密码相同。";

pub fn password_hash_failed(err: impl Display) -> String {
    format!("密码哈希失败：{err}")
}

// 人员账号

pub const PERSON_NAME_INVALID: &str = "姓名不能为空，且不超过 40 个字。";
pub const HALL_NOT_ACTIVE: &str = "所选单位不是启用中的营业厅。";
pub const CANNOT_DEACTIVATE_SELF: &str = "不能停用自己的账号。";
pub const ROLE_INVALID: &str = "角色无效。";
pub const CANNOT_REVOKE_OWN_ROLE: &str = "不能撤销自己的角色，请由其他管理员操作。";
pub const ROLE_REVOKED: &str = "已撤销角色。";

/// 启用 or 停用, as a verb in a notice.
fn activate_verb(active: bool) -> &'static str {
    if active {
        "启用"
    } else {
        "停用"
    }
}

pub fn account_activated(active: bool, person: &str) -> String {
    format!("已{}账号 {person}。", activate_verb(active))
}

pub fn role_scope_must_be(role: &str, allowed_kinds: &[&str]) -> String {
    format!("{role}的范围必须是{}。", allowed_kinds.join("或"))
}

pub fn role_granted(role: &str, unit: &str) -> String {
    format!("已授予{role}（{unit}）。")
}

// 组织架构

/// The name given to the city unit when an empty site gets its first admin or roster.
pub const DEFAULT_CITY_NAME: &str = "市公司";
pub const UNIT_KIND_INVALID: &str = "单位类型无效。";
pub const PARENT_UNIT_NOT_FOUND: &str = "上级单位不存在。";
pub const UNIT_NAME_EMPTY: &str = "名称不能为空。";
pub const UNIT_NAME_TOO_LONG: &str = "名称不能超过 40 个字。";
pub const CITY_ALREADY_EXISTS: &str = "市公司已存在，只能有一个。";
pub const UNIT_NOT_FOUND: &str = "单位不存在。";
pub const TARGET_PARENT_NOT_FOUND: &str = "目标上级单位不存在。";
pub const CANNOT_MOVE_UNDER_ITSELF: &str = "不能把单位移到它自己或它的下级之下。";

pub fn unit_created(name: &str) -> String {
    format!("已新增「{name}」。")
}

pub fn unit_renamed(name: &str) -> String {
    format!("已改名为「{name}」。")
}

pub fn unit_moved(unit: &str, parent: &str) -> String {
    format!("已将{}。", audit_unit_moved(unit, parent))
}

pub fn unit_activated(active: bool, unit: &str) -> String {
    format!("已{}「{unit}」。", activate_verb(active))
}

pub fn unit_has_active_staff(unit: &str, staff: impl Display) -> String {
    format!("「{unit}」下仍有 {staff} 名在职人员，请先调出或停用。")
}

pub fn unit_has_scoped_roles(unit: &str, grantees: impl Display) -> String {
    format!("仍有 {grantees} 人的角色范围是「{unit}」（如主管），请先调整其角色。")
}

pub fn unit_name_taken(name: &str) -> String {
    format!("同一上级下已有名为「{name}」的单位。")
}

pub fn unit_needs_parent(kind: &str) -> String {
    format!("{kind}必须有上级单位。")
}

pub fn unit_parent_not_allowed(kind: &str, parent_kind: &str, parent_name: &str) -> String {
    format!("{kind}不能放在{parent_kind}「{parent_name}」之下。")
}

// 名单导入：读取文件

pub const UNSUPPORTED_FILE_TYPE: &str = "不支持的文件类型：请上传 .xlsx、.xls 或 .csv 文件。";
pub const NO_WORKSHEET: &str = "表格文件中没有工作表。";

pub fn workbook_unreadable(err: impl Display) -> String {
    format!("无法读取表格文件：{err}")
}

pub fn first_sheet_unreadable(err: impl Display) -> String {
    format!("无法读取第一个工作表：{err}")
}

pub fn csv_row_invalid(line: usize, err: impl Display) -> String {
    format!("第 {line} 行：CSV 格式错误：{err}")
}

// 名单导入：逐行检查

pub const FILE_EMPTY: &str = "文件是空的。";
pub const NO_DATA_ROWS: &str = "表头之后没有数据行。";
pub const STAFF_NO_EMPTY: &str = "工号为空。";
pub const PERSON_NAME_EMPTY: &str = "姓名为空。";
pub const PERSON_NAME_TOO_LONG: &str = "姓名过长（最多 40 个字）。";
pub const HALL_WITHOUT_AREA: &str = "填写了营业厅，就必须填写所属区县。";
pub const HALL_ROLE_NEEDS_HALL: &str = "营业员、营业班长、厅经理必须填写区县和营业厅。";
pub const ROLES_EMPTY: &str = "角色为空。";

pub fn missing_columns(missing: &[&str]) -> String {
    format!(
        "缺少必填列：{}（表头应为：工号、姓名、区县、区县类型、营业厅、角色、手机号）",
        missing.join(LIST_SEPARATOR)
    )
}

pub fn too_many_rows(max_rows: usize) -> String {
    format!("行数过多：一次最多导入 {max_rows} 行。")
}

pub fn duplicate_staff_no(staff_no: &str, first_line: usize) -> String {
    format!("工号 {staff_no} 与第 {first_line} 行重复。")
}

pub fn staff_no_invalid(staff_no: &str) -> String {
    format!("工号「{staff_no}」格式不正确（只能包含字母、数字、- 和 _，最长 20 位）。")
}

pub fn area_kind_invalid(text: &str) -> String {
    format!("区县类型「{text}」无效，应为「市区」或「县分」。")
}

pub fn unknown_role(role: &str, known: &[&str]) -> String {
    format!("未知角色「{role}」（可填：{}）。", known.join(LIST_SEPARATOR))
}

pub fn phone_invalid(text: &str) -> String {
    format!("手机号「{text}」格式不正确（应为 11 位手机号）。")
}

// 名单导入：与现有数据核对

pub fn staff_no_taken_by_username(staff_no: &str) -> String {
    format!("工号 {staff_no} 与已有账号的用户名相同。")
}

pub fn area_inactive(area: &str) -> String {
    format!("区县「{area}」已停用。")
}

pub fn area_kind_mismatch(area: &str, existing_kind: &str, row_kind: &str) -> String {
    format!("区县「{area}」已是{existing_kind}，与本行区县类型「{row_kind}」不符。")
}

pub fn area_needs_kind(area: &str) -> String {
    format!("区县「{area}」不存在；要新建，请填写区县类型（市区 或 县分）。")
}

pub fn area_kind_conflict(area: &str, other_line: usize, other_kind: &str, row_kind: &str) -> String {
    format!("区县「{area}」在第 {other_line} 行为{other_kind}，本行为{row_kind}。")
}

pub fn hall_inactive(hall: &str) -> String {
    format!("营业厅「{hall}」已停用。")
}

pub fn hall_in_other_area(hall: &str, owner: &str, area: &str) -> String {
    format!("营业厅「{hall}」属于「{owner}」，与本行区县「{area}」不符（调整所属区县请在组织架构中操作）。")
}

// 名单导入：预览中的变化

pub const CHANGE_REACTIVATE: &str = "重新启用";

pub fn change_name(before: &str, after: &str) -> String {
    format!("姓名：{before} → {after}")
}

pub fn change_phone(before: &str, after: &str) -> String {
    format!("手机号：{before} → {after}")
}

pub fn change_hall(before: &str, after: &str) -> String {
    format!("营业厅：{before} → {after}")
}

pub fn change_role_scope(roles: &str) -> String {
    format!("角色范围调整：{roles}")
}

pub fn change_roles(before: &str, after: &str) -> String {
    format!("角色：{before} → {after}")
}

// 名单导入：确认与结果

pub const IMPORT_CHANGED: &str = "预览之后数据已发生变化，请重新上传并预览。";
pub const IMPORT_NEEDS_PASSWORD: &str = "将新建账号，请设置初始密码。";
pub const IMPORT_SELF_LOCKOUT: &str =
    "名单会撤销您本人的管理员角色：请由其他管理员导入，或在名单中保留您的管理员角色。";
pub const IMPORT_FILE_HAS_ERRORS: &str = "文件中有错误，未导入任何数据。";

pub fn import_error_count(errors: usize) -> String {
    format!("文件中有 {errors} 处错误，未导入任何数据。")
}

pub fn initial_password_invalid(message: &str) -> String {
    format!("初始密码：{message}")
}

pub fn import_done(units: usize, created: usize, updated: usize, deactivated: usize) -> String {
    format!("导入完成：新建单位 {units}，新建人员 {created}，更新 {updated}，停用 {deactivated}。")
}

// 操作日志

pub const ACTION_LOGIN: &str = "登录";
pub const ACTION_LOGIN_FAILED: &str = "登录失败";
pub const ACTION_LOGIN_LOCKED: &str = "账号临时锁定";
pub const ACTION_LOGOUT: &str = "退出";
pub const ACTION_PASSWORD_CHANGED: &str = "修改密码";
pub const ACTION_PASSWORD_RESET: &str = "重置密码";
pub const ACTION_ADMIN_CREATED: &str = "创建管理员";
pub const ACTION_ORG_CREATED: &str = "新增单位";
pub const ACTION_ORG_RENAMED: &str = "单位改名";
pub const ACTION_ORG_MOVED: &str = "单位调整上级";
pub const ACTION_ORG_ACTIVATED: &str = "启用单位";
pub const ACTION_ORG_DEACTIVATED: &str = "停用单位";
pub const ACTION_USER_UPDATED: &str = "修改人员信息";
pub const ACTION_USER_ACTIVATED: &str = "启用账号";
pub const ACTION_USER_DEACTIVATED: &str = "停用账号";
pub const ACTION_ROLE_GRANTED: &str = "授予角色";
pub const ACTION_ROLE_REVOKED: &str = "撤销角色";
pub const ACTION_ROSTER_IMPORTED: &str = "导入人员名单";
pub const ACTION_BANK_IMPORTED: &str = "导入题目";
pub const ACTION_BANK_CREATED: &str = "新建题库";
pub const ACTION_QUESTION_EDITED: &str = "修改题目";
pub const ACTION_QUESTION_RETIRED: &str = "停用题目";
pub const ACTION_QUESTION_SOURCE: &str = "题目出处";
pub const ACTION_QUESTION_REVIEWED: &str = "题目复核";
pub const ACTION_QUESTION_RESTORED: &str = "恢复题目";
pub const ACTION_OTHER: &str = "其他";

/// A person in the log: 姓名（工号 or 用户名）.
pub fn audit_person(name: &str, id: &str) -> String {
    format!("{name}（{id}）")
}

pub fn audit_login_name(username: &str) -> String {
    format!("用户名「{username}」")
}

pub fn audit_role(person: &str, role: &str, unit: &str) -> String {
    format!("{person}：{role}（{unit}）")
}

pub fn audit_unit(name: &str) -> String {
    format!("「{name}」")
}

pub fn audit_unit_created(kind: &str, name: &str) -> String {
    format!("{kind}「{name}」")
}

pub fn audit_unit_renamed(old: &str, new: &str) -> String {
    format!("「{old}」→「{new}」")
}

pub fn audit_unit_moved(unit: &str, parent: &str) -> String {
    format!("「{unit}」移至「{parent}」")
}

pub fn audit_roster_imported(units: usize, created: usize, updated: usize, deactivated: usize) -> String {
    format!("新建单位 {units}，新建人员 {created}，更新 {updated}，停用 {deactivated}")
}

// 命令行与启动

pub const CLI_ABOUT: &str = "营业厅培训考试平台 examhall";
pub const CLI_MIGRATED: &str = "数据库迁移完成。";
pub const CLI_NO_ACCOUNTS: &str = "数据库中还没有任何账号。请先创建第一个管理员：";
pub const CLI_CREATE_ADMIN_HINT: &str = "  examhall create-admin --username 管理员用户名";
pub const CLI_PROMPT_AGAIN: &str = "再次输入：";
pub const CLI_PASSWORDS_DIFFER: &str = "两次输入的密码不一致。";
pub const CLI_USERNAME_INVALID: &str = "用户名不能为空，且不超过 40 个字符。";
pub const CLI_PROMPT_ADMIN_PASSWORD: &str = "新管理员的密码：";
pub const CLI_PROMPT_INITIAL_PASSWORD: &str = "新账号的初始密码（首次登录须修改）：";
pub const CLI_DRY_RUN_DONE: &str = "（试运行：未写入任何数据）";
pub const SESSION_KEY_TOO_SHORT: &str = "EXAMHALL_SESSION_KEY 至少需要 64 字节（128 个十六进制字符）";

pub fn cli_error(err: impl Display) -> String {
    format!("错误：{err:#}")
}

pub fn cli_demo_created(url: &str) -> String {
    format!("已生成演示数据：{url}")
}

pub fn cli_demo_accounts(password: &str) -> String {
    format!("演示账号（密码均为 {password}）：")
}

pub fn cli_started(addr: impl Display) -> String {
    format!("examhall 已启动：http://{addr}")
}

pub fn cli_username_taken(username: &str) -> String {
    format!("用户名「{username}」已存在。")
}

pub fn cli_admin_created(username: &str) -> String {
    format!("已创建管理员「{username}」。")
}

pub fn cli_row_error(line: usize, message: &str) -> String {
    format!("第 {line} 行：{message}")
}

pub fn cli_plan_summary(
    units: usize,
    created: usize,
    updated: usize,
    unchanged: usize,
    missing: usize,
) -> String {
    format!(
        "新建单位 {units}，新建人员 {created}，更新 {updated}，不变 {unchanged}，名单外在职人员 {missing}"
    )
}

pub fn cli_plan_update(staff_no: &str, name: &str, changes: &[String]) -> String {
    format!("  更新 {staff_no} {name}：{}", changes.join("；"))
}

pub fn cli_plan_missing(staff_no: &str, name: &str) -> String {
    format!("  名单外 {staff_no} {name}")
}

pub fn unsupported_database_url(url: &str) -> String {
    format!("不支持的数据库地址「{url}」：PostgreSQL 请用 postgres://用户@主机/库名，SQLite 请用 sqlite://路径 或文件路径。")
}

pub fn database_unreachable(url: &str, err: impl Display) -> String {
    format!("无法连接数据库「{url}」：{err}")
}

pub fn migration_failed(err: impl Display) -> String {
    format!("数据库迁移失败：{err}")
}

// 数据库迁移（copy-db）

pub fn copy_target_not_empty(table: &str) -> String {
    format!("目标数据库不是空的（表 {table} 已有数据）：请使用新建的空数据库。")
}

pub fn copy_count_mismatch(table: &str, source: i64, target: i64) -> String {
    format!("表 {table} 行数不一致：源 {source}，目标 {target}。")
}

pub fn copy_done_table(table: &str, rows: i64) -> String {
    format!("  {table}: {rows} 行")
}

pub const COPY_DONE: &str = "复制完成，各表行数一致。";

// 题库：题目规则

pub const Q_STEM_EMPTY: &str = "题干为空";
pub const Q_TOO_FEW_OPTIONS: &str = "选择题至少需要 2 个选项";
pub const Q_TOO_MANY_OPTIONS: &str = "选项最多 8 个（A–H）";
pub const Q_OPTION_EMPTY: &str = "有空白选项";
pub const Q_OPTION_DUPLICATE: &str = "选项重复";
pub const Q_MULTIPLE_NEEDS_TWO: &str = "多选题至少需要 2 个正确答案";
pub const Q_BLANK_WITHOUT_ANSWER: &str = "填空题每一空都需要至少一个答案";
pub const Q_POINTS_RANGE: &str = "分值应大于 0 且不超过 100，最多两位小数";
pub const Q_DIFFICULTY_RANGE: &str = "难度应为 1–5";

pub fn q_kind_has_no_options(kind: &str) -> String {
    format!("{kind}题不能有选项")
}

pub fn q_single_answer_count(n: usize) -> String {
    format!("单选题有{n}个正确答案")
}

pub fn q_answer_option_missing(letter: char) -> String {
    format!("答案中的选项 {letter} 不存在")
}

pub fn q_blank_count(groups: usize, marked: usize) -> String {
    format!("填空题的答案有 {groups} 组，题干中有 {marked} 处空")
}

pub fn q_answer_wrong_kind(kind: &str) -> String {
    format!("答案不符合{kind}题的格式")
}

// 题库：文本格式

pub const TEXT_OUTSIDE_QUESTION: &str = "不属于任何题目（题目须以题号开头，如“1.”）";
pub const TEXT_ANSWER_MISSING: &str = "选择题缺少【答案】";

/// A question with no answer anywhere (line, stem, marks, key).
pub fn text_answer_missing(kind: Option<&str>) -> String {
    match kind {
        Some(kind) => format!("{kind}题缺少答案（没有答案行，题干和答案表中也没有）"),
        None => TEXT_ANSWER_MISSING.to_string(),
    }
}

pub fn text_option_gap(expected: char) -> String {
    format!("选项缺少 {expected}（选项须从 A 起连续）")
}

pub fn text_bad_points(value: &str) -> String {
    format!("分值「{value}」无效：{Q_POINTS_RANGE}")
}

pub fn unknown_channel(value: &str) -> String {
    format!("未知渠道「{value}」（可填：营业厅、热线、电子渠道、通用）")
}

pub fn unknown_tag(name: &str) -> String {
    format!("未知标签【{name}】")
}

pub fn text_bad_answer(value: &str) -> String {
    format!("无法识别的答案「{value}」")
}

// 题库：识别到的写法（预览的“识别到：”）与推断的标注

pub const RECOGNISED_PASTED_SHEET: &str = "从 Excel 复制的表格（制表符分隔，每行一题）";
pub const RECOGNISED_ANSWER_KEY: &str = "答案集中在节末或文末（按题号对应）";
pub const NOTE_TRUE_FALSE_LETTERS: &str = "判断题答案为字母：按 A=正确、B=错误";
pub const RECOGNISED_ANSWER_IN_EXPLANATION: &str = "答案写在解析里（“故选C”“正确答案是B”）";
pub const NOTE_ANSWER_FROM_EXPLANATION: &str = "答案取自解析中的“故选…/正确答案是…”";
pub const NOTE_ANSWER_FROM_KEY: &str = "答案取自节末/文末的答案表";
pub const RECOGNISED_PIPE_SHEET: &str = "一行一题、竖线 | 分隔的表格";
pub const RECOGNISED_HEADINGS: &str = "章节标题定题型";
pub const RECOGNISED_CHAPTERS: &str = "章节编号「1.1 …」作为分类";
pub const RECOGNISED_PAGE_FURNITURE: &str = "页码、页眉页脚（已忽略）";
pub const RECOGNISED_UNNUMBERED: &str = "无题号的题目（空行分隔）";
pub const RECOGNISED_OPTIONS_ON_STEM_LINE: &str = "选项写在题干行";
pub const RECOGNISED_OPTIONS_ON_ONE_LINE: &str = "一行多个选项";
pub const RECOGNISED_MARKED_ANSWERS: &str = "加粗/红色/高亮标出答案";
pub const RECOGNISED_TRUE_FALSE_OPTIONS: &str = "判断题写成选项「A.正确 B.错误」";

pub fn recognised_numbering(example: &str) -> String {
    format!("题号「{example}」")
}

pub fn recognised_options(label: &str) -> String {
    format!("选项「{label}」")
}

pub fn recognised_answer_line(spelling: &str) -> String {
    format!("答案行「{spelling}」")
}

pub fn recognised_stem_answer(example: &str) -> String {
    format!("题干中的答案「{example}」")
}

/// A picture's place in the source lines of the preview.
pub const SOURCE_IMAGE: &str = "［图片］";

pub const NOTE_ANSWER_FROM_STEM: &str = "答案取自题干中的括号";
pub const NOTE_TYPE_FROM_HEADING: &str = "题型取自章节标题";
pub const NOTE_ANSWER_FROM_MARK: &str = "答案取自加粗/红色/高亮的选项";
pub const NOTE_TRUE_FALSE_OPTIONS: &str = "选项为“正确/错误”，按判断题导入";
pub const NOTE_ESSAY_FROM_TEXT: &str = "答案是一段文字，按简答题导入";
pub const NOTE_TEXT_AFTER_ANSWER: &str = "答案后的文字作为解析";
pub const NOTE_POINTS_FROM_HEADING: &str = "分值取自章节标题";

pub fn text_numbering_gap(last: u32, n: u32) -> String {
    format!("题号不连续：上一题是第 {last} 题，这一题是第 {n} 题，请核对是否漏题或并题")
}

pub const TEXT_LINE_NOT_IMPORTED: &str = "这一行（及其后紧接的几行）不属于题目的任何部分，未导入，请核对";

pub fn text_shared_material(from: u32, to: u32) -> String {
    format!("第 {from}～{to} 题的共用材料未并入任何题目：导入后请在这几道题的题干中补上材料")
}

pub fn unknown_tag_kept(name: &str) -> String {
    format!("未知标签【{name}】：其内容已并入解析，请核对")
}

pub fn text_unknown_kind(value: &str) -> String {
    format!("未知题型「{value}」（可填：单选、多选、判断、填空、简答）")
}

pub fn text_marked_answer_differs(marked: &str, given: &str) -> String {
    format!("标记的答案「{marked}」与答案行「{given}」不一致")
}

pub fn text_stem_answer_differs(in_stem: &str, given: &str) -> String {
    format!("题干中的答案「{in_stem}」与答案行「{given}」不一致")
}

// 题库：Word 文件

pub const DOCX_BINARY_WORD: &str = "这是旧版 Word（.doc）或 WPS（.wps）文件，无法直接读取：请在 Word 或 WPS 中打开，选择“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再上传 .docx 文件。";
pub const DOCX_UNREADABLE: &str =
    "无法读取这个 Word 文件：文件已损坏或不是 .docx 格式。请在 Word 中打开后另存为 .docx 再上传。";
pub const RECOGNISED_WORD: &str = "Word 文档（段落与自动编号）";
pub const RECOGNISED_WORD_TABLE: &str = "Word 表格（每行一题）";

// 题库：导入

pub const BANK_DUPLICATE_IN_BANK: &str = "与题库中已有题目重复（题干和选项相同），将跳过";
pub const BANK_NOTHING_RECOGNISED: &str =
    "文件中没有识别到任何题目：请检查格式（题目须以题号开头，见格式说明）或选择正确的格式";
pub const BANK_PLAN_CHANGED: &str = "预览之后题库已发生变化，请重新上传并预览。";

pub fn bank_duplicate_in_file(first_line: usize) -> String {
    format!("与第 {first_line} 行的题目重复，将跳过")
}

pub fn bank_unknown_format(code: &str) -> String {
    format!("未知格式「{code}」（可选：auto、text、xlsx、csv、gift、aiken、moodle-xml）")
}

pub fn bank_import_audit(bank: &str, created: usize, duplicates: usize, skipped: usize) -> String {
    format!("题库「{bank}」：新增 {created}，重复跳过 {duplicates}，错误跳过 {skipped}")
}

pub fn bank_import_done(created: usize, duplicates: usize, skipped: usize) -> String {
    format!("导入完成：新增 {created} 题，重复跳过 {duplicates} 题，有错误跳过 {skipped} 题。")
}

pub fn bank_plan_summary(new: usize, duplicates: usize, errors: usize, skipped: usize) -> String {
    format!("新题 {new}，重复 {duplicates}，错误 {errors}，无法表示而跳过 {skipped}")
}

pub fn cli_file_line(file: &str, line: usize, message: &str) -> String {
    format!("{file}:{line}：{message}")
}

pub fn bank_not_found(name: &str) -> String {
    format!("题库「{name}」不存在。")
}

pub fn bank_export_format_not_supported(format: &str) -> String {
    format!("暂不支持导出为「{format}」格式（可选：xlsx、gift、text）。")
}

pub fn bank_exported(count: usize, path: &str) -> String {
    format!("已导出 {count} 题到 {path}")
}

// 题库：表格、GIFT、XML、Aiken

pub const SHEET_NO_HEADER: &str = "前 10 行中没有找到表头：表头须有题干列（如“题干”“题目”“试题内容”），以及答案列（如“答案”“正确答案”）或题型列（如“题型”“类型”）";
pub const SHEET_MISSING_ANSWER_COLUMN: &str = "缺少列「答案」（或「题型」）";
pub const SHEET_ANSWER_EMPTY: &str = "答案格为空";
pub const SHEET_TRUE_FALSE_OPTIONS: &str = "判断题的选项只能是“正确/错误”（或不填选项）";
pub const RECOGNISED_ENGLISH_HEADER: &str = "英文表头";
pub const RECOGNISED_PER_OPTION_ROWS: &str = "每个选项一行（题目序号相同的行为同一题）";
pub const RECOGNISED_TRUE_FALSE_LETTERS: &str = "判断题答案写作 A/B（A=正确，B=错误）";
pub const RECOGNISED_KIND_FROM_ANSWER: &str = "没有题型列：题型按答案推断";
pub const NOTE_TRUE_FALSE_LETTER: &str = "判断题答案按 A=正确、B=错误 读取";

pub fn sheet_unknown_columns(names: &[String]) -> String {
    let list: String = names.iter().map(|n| format!("「{n}」")).collect();
    format!("未识别的列{list}，其内容不会导入")
}

pub fn sheet_duplicate_column(name: &str, first: &str) -> String {
    format!("列「{name}」与前面的列「{first}」是同一项，只读取前一列，「{name}」的内容不会导入")
}

pub fn sheet_unnamed_column(letters: &str) -> String {
    format!("{letters}列（无列名）")
}

pub fn sheet_options_unsplit(found: usize) -> String {
    format!("选项格中只读出 {found} 个选项：请用 A. B. C. 标出各选项，或用 |、& 或换行分隔")
}

pub fn sheet_true_false_letter(letter: char, option: &str) -> String {
    format!("判断题答案 {letter} 对应的选项「{option}」不是“正确”或“错误”")
}

pub fn sheet_correct_flag(value: &str) -> String {
    format!("「是否正确项」应为 1/0 或 是/否，这里是「{value}」")
}

pub fn sheet_true_false_answer(value: &str) -> String {
    format!("判断题答案「{value}」无法识别（可写：对/错、正确/错误、√/×、T/F、true/false、A/B）")
}

pub fn recognised_header_row(row: usize) -> String {
    format!("表头在第{row}行（上方为标题行）")
}

pub fn recognised_column_names(pairs: &[(String, &str)]) -> String {
    let list: Vec<String> = pairs.iter().map(|(from, to)| format!("{from}→{to}")).collect();
    format!("列名：{}", list.join("、"))
}

pub fn recognised_options_cell(how: &str) -> String {
    format!("选项在同一格（{how}）")
}

pub fn recognised_kind_names(names: &[String]) -> String {
    let list: String = names.iter().map(|n| format!("「{n}」")).collect();
    format!("题型写作{list}")
}

pub fn recognised_ignored_column(name: &str) -> String {
    format!("「{name}」列为序号，不导入")
}

pub fn note_kind_by_answer_count(name: &str, kind: &str) -> String {
    format!("题型「{name}」按答案个数定为{kind}")
}

pub fn note_kind_from_answer(kind: &str) -> String {
    format!("题型格为空，按答案定为{kind}")
}

/// Partial credit and wildcards (GIFT and Moodle XML alike).
pub const WILDCARD_SKIPPED: &str =
    "答案中有通配符 *：通配符答案无法精确判分，已跳过（要表示字面的 *，请写成 \\*）";
pub const PARTIAL_ONLY_SKIPPED: &str = "没有满分答案，只有部分得分的答案：无法导入，已跳过";
pub const ANY_OF_SEVERAL: &str =
    "原题是单选、有多个满分答案（选其中任一个即得满分）；已按多选题导入：须选全这些答案才得满分";

/// `answers`: 「携转」50% … as listed by the importer.
pub fn partial_short_dropped(answers: &str) -> String {
    format!("部分得分的答案{answers}未导入：填空题只接受满分答案，写这些答案将得 0 分")
}

pub fn partial_choice_dropped(answers: &str) -> String {
    format!("选项{answers}的部分得分未保留：单选题只有一个正确答案，选其他选项得 0 分")
}

pub fn weighted_multiple(weights: &str) -> String {
    format!(
        "已按多选题导入，得分为正的选项为正确答案；原题各选项的得分比例（{weights}）未保留：\
         examhall 的多选题全部选对得满分，选错任一项得 0 分，少选按选对的比例得分"
    )
}

pub fn images_not_imported(names: &str) -> String {
    format!("题目中的图片{names}未导入（暂不支持图片），请核对题干离开图片后是否仍然完整")
}

pub const AIKEN_OPTION_BEFORE_QUESTION: &str = "选项前面没有题干";

pub fn aiken_answer_not_letter(value: &str) -> String {
    format!("ANSWER 行应写一个选项字母（如 ANSWER: B），这里是「{value}」")
}

// 题库：页面

pub const BANK_NAME_INVALID: &str = "题库名称不能为空，且不超过 60 个字。";
pub const BANK_HAS_ERRORS: &str = "文件中有错误：改正后重新上传，或勾选“只导入正确的题目”。";
pub const PASTED_TEXT_NAME: &str = "粘贴的文本.txt";
pub const EDIT_ONE_QUESTION: &str = "编辑内容须是恰好一道题（以题号开头）。";
pub const EDIT_NO_CHANGE: &str = "内容没有变化，未保存新版本。";
pub const QUESTION_RETIRED: &str = "已停用该题：以后组卷不会再抽到，历史成绩中仍可查看。";
pub const QUESTION_RESTORED: &str = "已恢复该题。";

pub fn bank_name_taken(name: &str) -> String {
    format!("已有名为「{name}」的题库。")
}

pub fn true_false(value: bool) -> &'static str {
    if value {
        "正确"
    } else {
        "错误"
    }
}

pub fn edit_line_error(line: usize, message: &str) -> String {
    format!("第{line}行：{message}")
}

pub fn edit_saved(version: i32) -> String {
    format!("已保存为第 {version} 版。")
}

pub fn edit_saved_duplicate(version: i32, others: &[i32]) -> String {
    let ids: Vec<String> = others.iter().map(|i| format!("#{i}")).collect();
    format!("已保存为第 {version} 版。注意：与题目 {} 重复（题干和选项相同）。", ids.join("、"))
}

pub fn restore_duplicate(others: &[i32]) -> String {
    let ids: Vec<String> = others.iter().map(|i| format!("#{i}")).collect();
    format!("不能恢复：与在用的题目 {} 重复（题干和选项相同）。", ids.join("、"))
}

pub fn audit_question(id: i32, version: i32) -> String {
    if version > 0 {
        format!("题目 #{id} 第 {version} 版")
    } else {
        format!("题目 #{id}")
    }
}

// 题库：表格

/// The example rows of the downloadable template, in the text format.
pub const BANK_TEMPLATE_EXAMPLES: &str = "\
# 携号转网/办理条件
1.【单选】携号转网前，客户应先通过什么方式获取授权码？
A. 到营业厅现场申请
B. 发送短信查询授权码
C. 拨打公安热线
D. 无需授权码
【答案】B
【解析】授权码通过短信查询获取，有效期内凭授权码办理。
【难度】2
【渠道】营业厅
【知识点】授权码
2.【判断】客户号码存在欠费时可以办理携号转网。
【答案】错误
【渠道】通用
【知识点】携号转网条件
";

pub const SHEET_EMPTY: &str = "表格是空的。";

pub fn sheet_missing_column(name: &str) -> String {
    format!("缺少列「{name}」")
}

pub fn sheet_unknown_kind(text: &str) -> String {
    format!("未知题型「{text}」（可填：单选、多选、判断、填空、简答）")
}

// 题库：Aiken 与 Moodle XML

pub const AIKEN_ANSWER_MISSING: &str = "缺少 ANSWER 行";
pub const AIKEN_ANSWER_WITHOUT_QUESTION: &str = "ANSWER 行前面没有题目";
pub const XML_NO_CORRECT_ANSWER: &str = "没有正确答案";

pub fn xml_invalid(detail: &str) -> String {
    format!("XML 格式错误：{detail}")
}

pub fn xml_type_skipped(kind: &str) -> String {
    format!("题型「{kind}」无法导入，已跳过")
}

// 题库：GIFT

pub const GIFT_UNCLOSED_BRACE: &str = "答案缺少结尾的“}”";
pub const GIFT_STRAY_BRACE: &str = "花括号不成对（题目文字中的花括号须写成 \\{ 和 \\}）";
pub const GIFT_MANY_GROUPS: &str = "一道题只能有一组答案 {…}；多个空的填空题，每组都须是 {=答案} 形式";
pub const GIFT_DESCRIPTION_SKIPPED: &str = "没有答案 {…}（Moodle 的“说明”），已跳过";
pub const GIFT_PARTIAL_WEIGHTS_SKIPPED: &str =
    "选项的得分比例（%…%）是部分得分，无法作为单选或多选题导入，已跳过";

pub fn gift_bad_meta(text: &str) -> String {
    format!("无法识别的 examhall 注释「{text}」（可写：points=、difficulty=、channel=、knowledge=、source=、reference=）")
}

// 考试

pub const NAV_EXAMS: &str = "考试管理";
pub const EXAM_KIND_MONTHLY: &str = "月考";
pub const EXAM_KIND_RETEST: &str = "补考";
pub const EXAM_KIND_PRACTICE: &str = "练习";
pub const EXAM_PHASE_DRAFT: &str = "草稿";
pub const EXAM_PHASE_SCHEDULED: &str = "未开始";
pub const EXAM_PHASE_OPEN: &str = "进行中";
pub const EXAM_PHASE_CLOSED: &str = "已结束";
pub const EXAM_FIXED_LIST: &str = "固定题目";
pub const EXAM_NOT_IN_AUDIENCE: &str = "您不在本场考试的考生范围内。";
pub const EXAM_ALREADY_STARTED: &str = "您已参加过本场考试（每人限考一次）。";
pub const EXAM_NOT_OPEN: &str = "考试尚未开始。";
pub const EXAM_CLOSED: &str = "考试已结束。";
pub const EXAM_IP_NOT_ALLOWED: &str =
    "本场考试只能在指定网络（如营业厅内网）中参加，您当前的网络不在允许范围内。";
pub const EXAM_SITTING_REQUIRED: &str = "您本场考试须到市公司现场参加：请输入考场公布的考场码后开始。";
pub const EXAM_BAD_SITTING_CODE: &str = "考场码无效或该考场已关闭，请核对考场公布的考场码。";
pub const EXAM_TITLE_REQUIRED: &str = "请填写考试名称（不超过 100 字）。";
pub const EXAM_BAD_MONTH: &str = "考试月份格式应为 YYYY-MM，如 2026-11。";
pub const EXAM_BAD_KIND: &str = "请选择考试类型。";
pub const EXAM_CHANNELS_REQUIRED: &str = "请至少选择一个渠道。";
pub const EXAM_BAD_WINDOW: &str = "请填写开考时间和截止时间。";
pub const EXAM_WINDOW_ORDER: &str = "截止时间必须晚于开考时间。";
pub const EXAM_BAD_LIMIT: &str = "考试时长应为 1–600 分钟。";
pub const EXAM_BAD_PASS_MARK: &str = "及格分应为 0–100 之间的数，最多两位小数。";
pub const EXAM_BAD_REVIEW: &str = "请选择考后查看方式。";
pub const EXAM_BAD_GRACE: &str = "交卷宽限应为 0–300 秒。";
pub const EXAM_AUDIENCE_REQUIRED: &str = "请选择考生范围（机构和角色），或指定考生工号。";
pub const EXAM_BAD_OFFSET: &str = "错峰开考的分钟数应为 0–240（区县）或 0–120（随机延迟）的整数。";
pub const EXAM_PAPER_EMPTY: &str = "试卷没有题目：请填写至少一个抽题规则或题目编号。";
pub const EXAM_BANK_REQUIRED: &str = "请选择抽题的题库。";
pub const EXAM_SECTION_KIND: &str = "请选择题型";
pub const EXAM_SECTION_COUNT: &str = "题数应为 1–200";
pub const EXAM_SECTION_POINTS: &str = "每题分值应大于 0，最多两位小数";
pub const EXAM_SECTION_DIFFICULTY: &str = "难度范围应在 1–5 之间且下限不大于上限";
pub const EXAM_CREATED: &str = "考试已创建（草稿）。请预览试卷后发布。";
pub const EXAM_SAVED: &str = "考试设置已保存。";
pub const EXAM_PUBLISHED: &str = "考试已发布，考生可在首页看到。";
pub const EXAM_UNPUBLISHED: &str = "考试已撤回为草稿。";
pub const EXAM_HAS_ATTEMPTS: &str = "已有考生开始作答，不能再修改试卷规则或撤回考试。";
pub const EXAM_CANNOT_PUBLISH_SHORT: &str = "题库中的题目不足以组卷，不能发布：";
pub const EXAM_SUBMITTED: &str = "已交卷。成绩将在考试结束后公布。";
pub const EXAM_SAVED_ALL: &str = "答案已保存。";
pub const EXAM_OTHER_DEVICE: &str =
    "本场考试已在另一设备或窗口中打开，此页面已停止保存。请在最新打开的页面继续作答。";
pub const EXAM_ATTEMPT_CLOSED: &str = "答题时间已到或试卷已提交，答案不再接受修改。";
pub const EXAM_NO_SUCH_QUESTION: &str = "题目不存在。";
pub const EXAM_ANSWER_TOO_LONG: &str = "答案过长。";
pub const EXAM_REASON_REQUIRED: &str = "请填写原因（将记入审计日志）。";
pub const EXAM_BAD_MINUTES: &str = "分钟数应为 1–600 的整数。";
pub const EXAM_REOPENED: &str = "已重新开放该考生的答卷。";
pub const EXAM_EXTRA_TIME_GIVEN: &str = "已为该考生延长考试时间。";
pub const EXAM_PERSON_SAVED: &str = "考生设置已保存。";
pub const EXAM_UNKNOWN_STAFF: &str = "找不到该工号的在职人员。";
pub const EXAM_MARK_SAVED: &str = "评分已保存。";
pub const EXAM_BAD_MARK: &str = "得分应在 0 与本题满分之间，最多两位小数。";
pub const EXAM_SITTING_OPENED: &str = "考场已开放。请把考场码展示给现场考生。";
pub const EXAM_SITTING_CLOSED: &str = "考场已关闭，考场码失效。";
pub const EXAM_ROOM_REQUIRED: &str = "请填写考场名称。";
pub const EXAM_NOT_SUBMITTED_YET: &str = "该答卷尚未提交。";
pub const EXAM_NOT_CLOSED_YET: &str = "考试结束后才能查看答案和解析。";
pub const EXAM_SUBMITTED_BY_SELF: &str = "本人交卷";
pub const EXAM_SUBMITTED_BY_DEADLINE: &str = "到时自动交卷";
pub const EXAM_SUBMITTED_BY_SITTING: &str = "考场关闭时收卷";
// The key rule and exposure control (DESIGN §4 rules 10 and 11).
pub const EXAM_REVIEW_NONE: &str = "不公布成绩";
pub const EXAM_REVIEW_SCORE: &str = "仅成绩与排名（不公开答案，保护题库）";
pub const EXAM_REVIEW_MARKED: &str = "成绩、排名和本人答卷对错（不给答案与解析）";
pub const EXAM_REVIEW_FULL: &str = "成绩、排名、答案与解析";
pub const EXPOSURE_ANY: &str = "不限";
pub const EXAM_WINDOW_FROZEN: &str =
    "本场考试的答案已向考生公开，不能再修改开考、截止时间或交卷宽限，否则有人可以照着答案作答。如需补考，请新建一场补考。";
pub const EXAM_SITTING_CLOSED_NO_TIME: &str =
    "该考生的考场已关闭，不能再为其重新开放或延时；如需补考，请另开考场。";
pub fn bank_key_revealed(people: i64, since: &str) -> String {
    format!("已向 {people} 人公开（首次 {since}）")
}
pub const EXAM_SECTION_EXPOSURE: &str = "请选择已公开答案的题怎么抽";
pub const EXPOSURE_PREFER_FRESH: &str = "优先抽未公开答案的题";
pub const EXPOSURE_UNREVEALED_ONLY: &str = "只抽未公开答案的题";
pub fn exam_key_already_shown(people: i64) -> String {
    format!(
        "本场考试的答案（或答卷对错）已向 {people} 人公开，不能再重新开放或延长作答时间，否则考生可以照着答案作答。\
         如确需补考，请为其安排一场新的补考（新抽题）。"
    )
}
pub const EXAM_SITTING_CODE_THROTTLED: &str =
    "考场码输错次数过多，请 15 分钟后再试，或向监考老师核对考场码。";
pub fn exam_sitting_not_yet(from: &str) -> String {
    format!("该考场尚未开始，考场码在 {from} 之后才能使用。")
}
pub const EXAM_PUBLISHED_EXPOSED: &str = "考试已发布。注意，部分题目的答案已公开过：";
pub fn exam_exposure(title: &str, n: usize, shown: usize) -> String {
    format!("{title}：本节 {n} 题中 {shown} 题已公开过答案")
}
pub fn exam_key_shown(review: &str, people: i64, since: &str) -> String {
    format!("考后查看：{review}。已向 {people} 人公开（自 {since} 起），此后不能再重新开放或延时。")
}
pub fn exam_key_visible_now(review: &str) -> String {
    format!("考后查看：{review}。所有答卷已结束，考生现在可以查看。")
}
pub fn exam_key_visible_from(review: &str, at: &str) -> String {
    format!("考后查看：{review}。仍有考生可以作答，考生最早于 {at} 之后可以查看（延时或重新开放会推后）。")
}

pub fn exam_not_yet(at: &str) -> String {
    format!("您的开考时间为 {at}（错峰开考），请到时再来。")
}

pub fn exam_bad_ip_range(line: usize, text: &str) -> String {
    format!("允许的网络第 {line} 行「{text}」不是有效的 IP 地址或网段（如 10.20.0.0/16）")
}

pub fn exam_bad_fixed_line(line: usize, text: &str) -> String {
    format!("固定题目第 {line} 行「{text}」格式不对：应为“题目编号”或“题目编号 分值”")
}

pub fn exam_fixed_duplicate(id: i32) -> String {
    format!("固定题目中题目 #{id} 重复出现")
}

pub fn exam_section_error(n: usize, what: &str) -> String {
    format!("抽题规则第 {n} 行：{what}")
}

pub fn exam_shortage(title: &str, wanted: usize, available: usize) -> String {
    format!("「{title}」需要 {wanted} 题，符合条件的只有 {available} 题")
}

pub fn exam_unknown_staff_list(list: &str) -> String {
    format!("以下工号找不到在职人员：{list}")
}
pub const EXAM_STATE_IN_PROGRESS: &str = "作答中";
pub const EXAM_STATE_SUBMITTED: &str = "已交卷";
pub const EXAM_STATE_ABSENT: &str = "缺考";
pub const EXAM_STATE_NOT_STARTED: &str = "未参加";
pub const ACTION_EXAM_CREATED: &str = "新建考试";
pub const ACTION_EXAM_UPDATED: &str = "修改考试";
pub const ACTION_EXAM_PUBLISHED: &str = "发布考试";
pub const ACTION_EXAM_UNPUBLISHED: &str = "撤回考试";
pub const ACTION_EXAM_PERSON: &str = "考生设置（现场考试/加时）";
pub const ACTION_ATTEMPT_REOPENED: &str = "重新开放答卷";
pub const ACTION_ATTEMPT_EXTRA_TIME: &str = "延长考试时间";
pub const ACTION_ANSWER_MARKED: &str = "简答题评分";
pub const ACTION_SITTING_OPENED: &str = "开放现场考场";
pub const ACTION_SITTING_CLOSED: &str = "关闭现场考场";
pub const RESULTS_MARKING: &str = "待阅卷";
pub const RESULTS_PASS: &str = "及格";
pub const RESULTS_FAIL: &str = "不及格";
pub const RESULTS_CHART_TITLE: &str = "成绩分布（每 10 分一档）";
pub const RESULTS_CHART_AXIS: &str = "得分";
pub const STATS_ATTEMPTS: &str = "已评分答卷数";
pub const STATS_MEAN: &str = "平均分";
pub const STATS_MEDIAN: &str = "中位数";
pub const STATS_SD: &str = "标准差";
pub const STATS_SKEWNESS: &str = "偏度";
pub const STATS_KURTOSIS: &str = "峰度";
pub const STATS_CIC: &str = "内部一致性系数（Cronbach α）";
pub const STATS_ERROR_RATIO: &str = "误差率";
pub const STATS_STANDARD_ERROR: &str = "标准误";
pub const CLI_EXAM_NOT_FOUND: &str = "找不到该考试（按月份查找时，须为该月已发布的月考）。";
pub const CLI_XLSX_NEEDS_OUTPUT: &str = "xlsx 格式须用 --output 指定输出文件。";

pub fn cli_report_format(format: &str) -> String {
    format!("不支持的格式「{format}」（可用：csv、xlsx）")
}

pub fn cli_report_written(rows: usize, path: &str) -> String {
    format!("已导出 {rows} 行到 {path}")
}

// 月考复盘（低于全市平均）

pub const NAV_REVIEW: &str = "低于平均名单";
pub const NAV_DASHBOARD: &str = "月度看板";
pub const NAV_STUDY: &str = "业务学习";
pub const NAV_DRILLS: &str = "离线演练";
pub const NAV_DRILLS_MY: &str = "我的演练";
pub const NAV_PRACTICE: &str = "练习与错题本";
pub const NAV_PRACTICE_ACTIVITY: &str = "各厅练习情况";
pub const NAV_REMEDIAL: &str = "补学与效果";
pub const NAV_SCORECARD: &str = "月度评分卡";
pub const NAV_MY_SCORECARD: &str = "我的评分卡";
pub const REVIEW_ABSENT: &str = "缺考";
pub const REVIEW_TO_TALK: &str = "待沟通";
pub const REVIEW_TALKED: &str = "已沟通";
pub const REVIEW_RETEST_SCHEDULED: &str = "已安排复考";
pub const REVIEW_RETEST_DONE: &str = "复考完成";
pub const REVIEW_EXEMPT: &str = "豁免";
pub fn roster_alarm_rename(staff_no: &str, before: &str, after: &str) -> String {
    format!("工号 {staff_no} 将由「{before}」改名为「{after}」：请确认是同一人，而不是工号填错或模板示例行")
}

pub fn roster_alarm_roles_removed(name: &str, roles: &str) -> String {
    format!("{name} 将被取消角色：{roles}")
}

pub fn roster_alarms(n: usize) -> String {
    format!("请逐条核对：{n} 处改名或取消角色。若是误用了他人工号，确认后会把该工号的账号改成文件中的人。")
}

/// 工号 starting with this mark a sample row (the template's): never imported.
pub const SAMPLE_STAFF_PREFIX: &str = "示例";

pub const SESSION_EXPIRED: &str =
    "登录已过期，请重新登录。本页未保存的答案已保留在本机，登录后回到考试页面会自动保存。";

// Home pages: each role's work.
pub const HOME_TRAINER: &str = "培训工作";
pub const HOME_SUPERVISOR: &str = "跟进与考核";
pub const HOME_HALL: &str = "本厅工作";
pub const HOME_ADMIN: &str = "账号与名单";
pub const HOME_MARKING_NONE: &str = "待阅卷";
pub const HOME_SHORT_HALLS: &str = "本月学习时长未达标的营业厅";
pub const HOME_HALL_UNREAD: &str = "本厅未读必读";
pub const HOME_WEEK_DRILLS: &str = "本周已演练的营业员";
pub const HOME_STUDY: &str = "本月业务学习";
pub const HOME_MUST_CHANGE: &str = "尚未修改初始密码的账号";
pub const HOME_WITHOUT_HALL: &str = "未分配营业厅的营业员";
pub const HOME_LAST_ROSTER: &str = "上次导入人员名单";
pub const HOME_NEVER: &str = "从未导入";

pub fn home_marking(title: &str) -> String {
    format!("《{title}》待阅卷")
}

pub fn home_papers(n: i64) -> String {
    format!("{n} 份")
}

pub fn home_open_exam(title: &str) -> String {
    format!("《{title}》进行中")
}

pub fn home_participation(submitted: usize, started: usize, expected: usize) -> String {
    format!("已交卷 {submitted} · 已开考 {started} / 应考 {expected}")
}

pub fn home_exam_short(title: &str) -> String {
    format!("《{title}》题量不足")
}

pub fn home_sections(n: usize) -> String {
    format!("{n} 个题型")
}

pub fn home_bank_low(bank: &str) -> String {
    format!("题库「{bank}」未公开的题不够 3 个月")
}

pub fn home_groups(n: usize) -> String {
    format!("{n} 类")
}

pub fn home_follow_ups(month: Month) -> String {
    format!("{month} 低于平均名单待跟进")
}

pub fn home_people(n: usize) -> String {
    format!("{n} 人")
}

pub fn home_month_unread(month: Month) -> String {
    format!("{month} 必读未读 / 已扣款")
}

pub fn home_unread(items: usize, yuan: &str) -> String {
    format!("{items} 条 / {yuan} 元")
}

pub fn home_hall_unread(items: usize, people: usize) -> String {
    format!("{items} 条（{people} 人）")
}

pub fn home_study_hours(hours: &str, target: &str) -> String {
    format!("{hours} / {target} 小时")
}

pub fn home_accounts(n: i64) -> String {
    format!("{n} 个")
}

pub fn study_overlaps(starts: &str, ends: &str, topic: &str) -> String {
    format!("注意：与同日 {starts}–{ends}「{topic}」时间重叠，重叠的时间只计一次。")
}

pub fn bank_error_in(message: &str, stem: &str) -> String {
    format!("{message}（题目：{stem}）")
}

pub const TOTAL: &str = "合计";
pub const ROSTER_SHEET: &str = "人员名单";
pub const TEMPLATE_NOTES_SHEET: &str = "填写说明";
pub const TEMPLATE_NOTES_HEADINGS: [&str; 2] = ["列", "怎么填"];
pub const TEMPLATE_NOTES_USE: &str = "使用方法";
pub fn template_notes_title(template: &str) -> String {
    format!("{template}：填写说明")
}
pub const ROSTER_TEMPLATE_TITLE: &str = "人员名单模板";
pub const ROSTER_TEMPLATE_USE: &str =
    "系统只读取第一个工作表“人员名单”；上传后先看预览，确认无误再点确认导入，文件中有错误时整批不会导入。";
pub const ROSTER_TEMPLATE_COLUMNS: [(&str, &str); 7] = [
    ("工号", "必填且唯一，是账号的登录名。以“示例”开头的工号是示例行，导入时忽略，可直接覆盖或删除。"),
    ("姓名", "必填。已有人员再次导入时以文件为准更新；预览会单独列出改名的人，请逐条核对。"),
    ("区县", "县分公司或市区的名称，如 青山县分公司、江州市区。"),
    ("区县类型", "“县分”或“市区”；新区县必填。"),
    ("营业厅", "所在营业厅；主管、培训师、管理员可不填。"),
    (
        "角色",
        "可填多个，用顿号分隔：营业员、营业班长、厅经理、主管、培训师、管理员。预览会单独列出取消角色的人。",
    ),
    ("手机号", "选填，11 位。"),
];
pub const BANK_SHEET: &str = "题目";
pub const BANK_TEMPLATE_TITLE: &str = "题库导入模板";
pub fn bank_export_title(bank: &str) -> String {
    format!("题库：{bank}")
}
pub const BANK_TEMPLATE_USE: &str =
    "每行一道题，系统读取第一个工作表；列按表头名称识别，顺序不限。上传后先看预览（错误带行号），确认后一次性写入。";
pub const BANK_TEMPLATE_COLUMNS: [(&str, &str); 13] = [
    ("题型", "单选、多选、判断、填空、简答（也可填 不定项，按答案字母数定为单选或多选）；留空时按答案推断。"),
    ("题干", "必填。填空题用（  ）或 ____ 标出空。"),
    ("选项A…选项H", "单选、多选至少两个选项；判断题可不填（A 为正确，B 为错误）。"),
    ("答案", "必填。单选 B；多选 ACD；判断 正确/错误（或 对/错、√/×）；填空多个空用；分隔，可接受的其他答案写在（或…）里；简答填参考答案。"),
    ("解析", "选填；考后复习时显示。"),
    ("分值", "数字，大于 0、不超过 100，最多两位小数；留空时单选、判断、填空 1 分，多选 2 分，简答 5 分。"),
    ("难度", "1–5 的数字（也可填 易、较易、中、较难、难）；留空为 3。"),
    ("渠道", "营业厅、热线、电子渠道或通用；留空为通用。"),
    ("分类", "用 / 分级，如 资费与套餐/5G套餐。"),
    ("知识点", "多个用顿号分隔。"),
    ("来源", "选填，如 2026年10月业务通知。"),
    ("备注", "选填，不导入。"),
    ("其他列", "系统不认识的列不会导入，预览会在表头行列出它们。"),
];
pub const RESULTS_TEMPLATE_TITLE: &str = "月考成绩导入模板";
pub const RESULTS_TEMPLATE_USE: &str =
    "模板已列出全部在职营业员，每行一人；列按表头名称识别，顺序不限。文件中没有的营业员按缺考计。";
pub const RESULTS_TEMPLATE_COLUMNS: [(&str, &str); 5] = [
    ("工号", "必填；须为在职营业员的工号。"),
    ("姓名", "必填；须与系统中该工号的姓名一致（用于核对）。"),
    ("区县、营业厅", "仅供核对，不读取；营业厅按导入时所在营业厅记录。"),
    ("分数", "0–100，最多两位小数；缺考的人留空。"),
    ("缺考", "可选；缺考填 是、缺考、Y、1 或 √，参加考试的留空。"),
];
pub const DRILL_TEMPLATE_TITLE: &str = "离线演练导入模板";
pub const DRILL_TEMPLATE_USE: &str =
    "每行一次演练，系统读取第一个工作表；业务类型见“业务类型”工作表。营业班长只能导入本营业厅人员、近 92 天内的演练。";
pub const DRILL_TEMPLATE_COLUMNS: [(&str, &str); 7] = [
    ("日期", "必填；YYYY-MM-DD（也可 2026/11/5），不晚于今天。"),
    ("工号", "必填；营业员的工号，须为在职人员。"),
    ("姓名", "必填；须与该工号的姓名一致（防止填错工号）。"),
    ("业务类型", "必填；启用中的业务类型名称之一。"),
    ("用时(秒)", "必填；1–14400 秒，也可填 10:05 或 10分5秒。"),
    ("差错数", "可选；0–99 的整数，留空为 0。"),
    ("备注", "可选；不超过 200 字。"),
];
pub const PHONE_TEMPLATE_TITLE: &str = "拨测结果导入模板";
/// The call form's fields in their order, with the labels the error summary names.
pub const PHONE_CALL_FIELDS: [(&str, &str); 10] = [
    ("month", "所测月份"),
    ("called_at", "拨测时间"),
    ("hall_id", "营业厅"),
    ("clerk", "接听营业员"),
    ("scenario_id", "拨测场景"),
    ("scores", "评分"),
    ("rings", "响铃次数"),
    ("duration", "通话时长"),
    ("notes", "测评备注"),
    ("recording_ref", "录音编号"),
];
pub const PHONE_TEMPLATE_SHEET: &str = "拨测记录";
pub const RESULTS_TEMPLATE_SHEET: &str = "成绩";
pub const DRILL_TEMPLATE_SHEET: &str = "演练记录";
pub const PHONE_TEMPLATE_HEAD_COLUMNS: [(&str, &str); 5] = [
    ("日期时间", "必填；北京时间 YYYY-MM-DD HH:MM，须在所选月份内、不晚于现在。"),
    ("营业厅", "必填；营业厅全称。"),
    ("接听工号", "接听营业员的工号，须是该营业厅的在职营业员；未能识别的留空或填“未能识别”。"),
    ("拨测员工号", "必填；须为培训师。"),
    ("场景", "可选；拨测场景的标题。"),
];
pub const PHONE_TEMPLATE_TAIL_COLUMNS: [(&str, &str); 5] = [
    ("响铃次数", "可选；整数，留空为 0。"),
    ("通话秒数", "可选；整数，留空为 0。"),
    ("备注", "可选。"),
    ("录音编号", "可选。"),
    (
        "复评原呼叫行号",
        "可选；填写本文件中另一行的行号，表示本行由另一位拨测员对该通电话独立复评（用于评分校准）。复评行只读拨测员工号、各评分项、备注和录音编号。",
    ),
];
/// A rubric item's column: its range, N/A when allowed, and 一票否决.
pub fn phone_item_note(points: i64, allow_na: bool, critical: bool) -> String {
    let mut note = format!("0–{points} 分，最多两位小数");
    if allow_na {
        note.push_str("；可填 N/A 或 不适用");
    }
    if critical {
        note.push_str("；一票否决项：0 分则整通为 0 分");
    }
    note.push('。');
    note
}
pub const PHONE_TEMPLATE_USE: &str =
    "每行一次拨测，每个评分项一列（按当前评分标准）；系统读取第一个工作表，只导入所选月份的拨测。";
pub const AUDIT_SHEET_TITLE: &str = "操作日志";

pub fn scorecard_sheet_title(month: Month, level: &str) -> String {
    format!("{month} 月度评分卡（{level}）")
}
pub const LEDGER_ABOUT_TOTAL_YUAN: &str = "扣款合计（元）";

pub fn ledger_sheet_title(month: Month) -> String {
    format!("{month} 必读未读扣款台账")
}

pub const REVIEW_NOTHING_TO_SAVE: &str = "没有要保存的内容：请填写沟通记录，或选择新的状态。";
pub const REVIEW_NOTE_REQUIRED: &str = "请填写沟通记录：与谁沟通、谈了什么、本人意见。";
pub const REVIEW_REASON_REQUIRED: &str = "请填写原因（如长期病假）。";
pub const REVIEW_STEP_NOT_ALLOWED: &str =
    "不能从当前状态改为所选状态（顺序：待沟通 → 已沟通 → 已安排复考 → 复考完成；豁免需填写原因）。";
pub const REVIEW_NOT_LISTED: &str = "此人不在您可查看的名单中。";
pub const ACTION_REVIEW_CASE: &str = "名单跟进";

pub fn review_areas_title(month: Month) -> String {
    format!("{month} 月考各区县对比：平均分、参考率、低于全市平均的占比")
}

pub fn review_area_note(participation: &str, share_below: &str) -> String {
    format!("参考 {participation} · 低于平均 {share_below}")
}

pub fn review_city_line(average: &str) -> String {
    format!("全市平均 {average}")
}

pub fn review_history_title(name: &str) -> String {
    format!("{name} 近 12 个月月考成绩与全市平均分（红色虚线为全市平均，红点为列入名单的月份）")
}

pub fn review_case_saved(name: &str, status: &str) -> String {
    format!("已记录：{name} — {status}")
}

pub fn audit_review_case(month: Month, staff_no: &str, from: &str, to: &str) -> String {
    format!("{month} {staff_no}：{from} → {to}")
}

pub fn review_title(month: Month, average: &str, n: usize) -> String {
    format!("{month} 月考 全市平均分 {average}（交卷 {n} 人）")
}

// ---- Site settings ----
pub const NAV_SETTINGS: &str = "系统设置";
pub const SETTING_FLAG_ABSENT: &str = "缺考的县分营业员列入低于市平均名单";
pub const SETTING_FLAG_ABSENT_HELP: &str =
    "开启时，县分营业员未提交月度考试即按“缺考”列入名单并须到市公司现场复考。";
pub const SETTINGS_SAVED: &str = "设置已保存";

pub fn setting_invalid(label: &str) -> String {
    format!("“{label}”的值无效")
}

pub fn setting_out_of_range(label: &str, min: i64, max: i64) -> String {
    format!("“{label}”须为 {min} 至 {max} 之间的整数")
}

pub fn audit_setting(key: &str, from: &str, to: &str) -> String {
    format!("设置 {key}：{from} → {to}")
}

// ---- Month close: closing, re-opening, retest ----
pub const REVIEW_CITY_AVERAGE: &str = "全市平均分";
pub const REVIEW_CHANGE_LISTED: &str = "新列入名单";
pub const REVIEW_CHANGE_UNLISTED: &str = "移出名单";

pub fn review_change_score(from: &str, to: &str) -> String {
    format!("分数 {from} → {to}")
}

pub fn review_change_gone(was: &str) -> String {
    format!("不再计入（原 {was}）")
}

pub fn review_change_new(score: &str) -> String {
    format!("新增成绩 {score}")
}
pub const REVIEW_ALREADY_CLOSED: &str = "本月已关账，名单已冻结。";
pub const REVIEW_NOT_CLOSED: &str = "本月尚未关账。";
pub const REVIEW_EXAM_STILL_OPEN: &str = "月考尚未结束，结束后才能关账。";
pub const REVIEW_CLOSE_CITY_ONLY: &str = "关账影响全市名单，只有市公司主管或系统管理员可以操作。";

pub fn review_no_exam(month: Month) -> String {
    format!("{month} 没有已发布的月考。")
}

pub fn review_close_pending(n: usize) -> String {
    format!("还有 {n} 份答卷待人工阅卷，阅卷完成后才能关账。")
}

pub fn review_closed(month: Month, listed: usize) -> String {
    format!("{month} 已关账：名单（{listed} 人）已冻结，列入者已标记为下月须到市公司现场考试。")
}

pub fn review_reopened(month: Month) -> String {
    format!("{month} 已重新开账：名单按当前成绩重新计算，与关账时的差异见页首。")
}

pub fn audit_review_close(month: Month, average: &str, listed: usize) -> String {
    format!("{month} 关账：全市平均 {average}，列入 {listed} 人")
}

pub fn audit_review_reopen(month: Month, reason: &str) -> String {
    format!("{month} 重新开账：{reason}")
}

pub fn audit_review_retest(month: Month, person: &str, score: i32) -> String {
    format!("{month} 名单复考成绩：{person} {}", crate::review::rules::two_decimals(i64::from(score)))
}

// ---- Results import ----
pub const RESULTS_TITLE_REQUIRED: &str = "请填写考试名称（例如：2027年3月省公司统考）。";
pub const RESULTS_TITLE_TOO_LONG: &str = "考试名称最多 100 个字。";
pub const RESULTS_SCORE_EMPTY: &str = "分数为空（缺考请在「缺考」列填写“是”）。";
pub const RESULTS_SUBMITTED_BY_IMPORT: &str = "成绩导入";
pub const EXAM_SOURCE_IMPORTED: &str = "成绩导入（结果型考试）";
pub const EXAM_RESULTS_ONLY: &str = "这是成绩导入的结果型考试：没有试卷，也不在系统中作答，\
    不能修改设置、预览试卷、发布或撤回、开放考场、设置考生或重新开放答卷。";
pub const EXAM_RESULTS_ONLY_START: &str = "本场考试在系统外举行，成绩由培训师导入，无需在线作答。";
pub const ACTION_RESULTS_IMPORTED: &str = "导入月考成绩";

pub fn results_missing_columns(missing: &[&str]) -> String {
    format!("缺少必填列：{}（表头应为：工号、姓名、分数，可选 缺考）", missing.join(LIST_SEPARATOR))
}

pub fn results_score_invalid(text: &str) -> String {
    format!("分数「{text}」不是数字（应为 0–100，最多两位小数）。")
}

pub fn results_score_out_of_range(text: &str) -> String {
    format!("分数「{text}」超出 0–100 的范围。")
}

pub fn results_score_too_precise(text: &str) -> String {
    format!("分数「{text}」最多保留两位小数。")
}

pub fn results_absent_invalid(text: &str) -> String {
    format!("缺考列「{text}」无法识别（缺考填 是、缺考、Y、1 或 √；参加考试的留空）。")
}

pub fn results_absent_with_score(score: &str) -> String {
    format!("标记了缺考，又填写了分数「{score}」：二者只能填一个。")
}

pub fn results_unknown_staff(staff_no: &str) -> String {
    format!("工号 {staff_no} 不存在。")
}

pub fn results_staff_inactive(staff_no: &str, name: &str) -> String {
    format!("工号 {staff_no}（{name}）已停用，不在本次考试的应考人员中。")
}

pub fn results_staff_not_clerk(staff_no: &str, name: &str) -> String {
    format!("工号 {staff_no}（{name}）不是营业员，不在本次考试的应考人员中。")
}

pub fn results_name_mismatch(staff_no: &str, given: &str, actual: &str) -> String {
    format!("工号 {staff_no} 在系统中的姓名是「{actual}」，与本行的「{given}」不符。")
}

pub fn results_month_has_exam(month: Month, exam_id: i32, title: &str) -> String {
    format!("{month} 已有已发布的月考「{title}」（#{exam_id}），每月只有一场月考，不能再导入成绩。")
}

pub fn results_month_closed(month: Month) -> String {
    format!("{month} 已关账，名单已冻结，不能再导入成绩。")
}

pub fn results_month_taken(month: Month, title: &str) -> String {
    format!("{month} 已导入月考成绩「{title}」，每月只有一场月考，不能再发布本月的月考。")
}

/// A second monthly exam of a month, refused on publishing: names the one the month has.
pub fn exam_month_published(month: Month, title: &str, exam_id: i32) -> String {
    format!("{month} 已发布月考「{title}」（#{exam_id}），每月只有一场月考，不能再发布本月的月考；请把这场改为练习或其他月份。")
}

/// A second monthly exam of a month, refused on saving: names the one the month has.
pub fn exam_month_has_monthly(month: Month, title: &str, exam_id: i32) -> String {
    format!("{month} 已有月考「{title}」（#{exam_id}），每月只有一场月考：请改为其他月份，或把类型改为练习/补考。")
}

pub fn results_imported(title: &str, sat: usize, absent: usize) -> String {
    format!("已导入「{title}」：{sat} 人有成绩，{absent} 人缺考。")
}

pub fn results_plan_summary(audience: usize, sat: usize, marked: usize, missing: usize) -> String {
    format!(
        "应考营业员 {audience} 人：有成绩 {sat} 人，标记缺考 {marked} 人，名单中没有（按缺考）{missing} 人。"
    )
}

pub fn audit_results_imported(
    exam_id: i32,
    month: Month,
    title: &str,
    sat: usize,
    marked: usize,
    missing: usize,
) -> String {
    format!("#{exam_id} {month}「{title}」：有成绩 {sat}，标记缺考 {marked}，无记录按缺考 {missing}")
}
pub const ACTION_REVIEW_RETEST: &str = "名单复考成绩";
pub const ACTION_MONTH_CLOSE: &str = "月度关账";
pub const ACTION_MONTH_REOPEN: &str = "重新开账";
pub const ACTION_SETTING_CHANGED: &str = "修改设置";

pub fn review_closed_note(at: &str) -> String {
    format!("（{at} 关账，冻结名单）")
}

// ---- Knowledge base ----
pub const SETTING_KB_SPEED: &str = "必读最短阅读时间：每分钟字数";
pub const SETTING_KB_SPEED_HELP: &str = "最短阅读时间 = 文章字数 ÷ 每分钟字数（向上取整到秒）。";
pub const SETTING_KB_FLOOR: &str = "必读最短阅读时间下限（秒）";
pub const SETTING_KB_FLOOR_HELP: &str = "再短的文章也至少要阅读这么多秒才能确认。";
pub const SETTING_KB_RATE: &str = "必读未读扣款（元/条）";
pub const SETTING_KB_RATE_HELP: &str = "每月到期未按时确认阅读的必读条目，每条扣款金额；关账时记入当月台账。";
pub const SETTING_STUDY_TARGET: &str = "营业厅每月业务学习目标（分钟）";
pub const SETTING_STUDY_TARGET_HELP: &str = "每个营业厅每月组织业务学习的最低时长，默认 300 分钟（5 小时）；不足的营业厅在学习汇总与主管看板上标为未达标。";
pub const KB_TITLE_INVALID: &str = "标题不能为空，且不超过 100 字。";
pub const KB_CATEGORY_INVALID: &str = "请选择分类。";
pub const KB_DATE_INVALID: &str = "生效日期格式应为 YYYY-MM-DD。";
pub const KB_BODY_INVALID: &str = "正文不能为空，且不超过 20 万字节。";
pub const KB_NOTE_TOO_LONG: &str = "修改说明不超过 200 字。";
pub const NAV_KB: &str = "知识库";
pub const NAV_KB_HALL: &str = "本厅必读";
pub const KB_CONFIRMED: &str = "已确认阅读。";
pub const KB_CREATED: &str = "文章已发布。";
pub const KB_SAVED: &str = "已保存为新版本。";
pub const KB_NEW_DUE_REQUIRED: &str =
    "本文已被指定为必读：实质性修改须填写新的完成期限（不早于今天），相关人员须重新阅读。";
pub const KB_FILE_TOO_LARGE: &str = "附件不能超过 5 MB。";
pub const KB_FILE_TYPE: &str = "只接受图片（PNG、JPEG、GIF、WebP）、PDF 和 Office 文件。";
pub const KB_UNIT_NOT_YOURS: &str = "所选单位超出您的管辖范围。";
pub const KB_AUDIENCE_EMPTY: &str = "请选择单位或填写指定人员。";
pub const KB_ROLES_EMPTY: &str = "按单位指定时请至少选择一个岗位。";
pub const KB_DUE_INVALID: &str = "完成期限格式应为 YYYY-MM-DD，且不早于今天。";
pub const KB_ASSIGNED: &str = "已指定为必读。";
pub const KB_WITHDRAWN: &str = "已撤回该必读指定。";
pub const ACTION_KB_READ: &str = "确认阅读";
pub const ACTION_KB_CREATED: &str = "发布文章";
pub const ACTION_KB_EDITED: &str = "修改文章";
pub const ACTION_KB_STATUS: &str = "文章上下架";
pub const ACTION_KB_FILE: &str = "上传附件";
pub const ACTION_KB_ASSIGNED: &str = "指定必读";
pub const ACTION_KB_WITHDRAWN: &str = "撤回必读";

pub fn kb_confirm_refused(why: crate::kb::rules::ConfirmRefusal) -> String {
    use crate::kb::rules::ConfirmRefusal::*;
    match why {
        NotOpened => "尚未打开本文，不能确认。".to_string(),
        TooShort { needed, read } => format!("阅读时间不足：至少需 {needed} 秒，已读 {read} 秒。"),
        EndNotReached => "请读到文末后再确认。".to_string(),
        Already => "已确认过本版本。".to_string(),
    }
}

pub fn audit_kb_read(title: &str, version: i32, seconds: i32) -> String {
    format!("《{title}》第 {version} 版，阅读 {seconds} 秒")
}

pub fn audit_kb_edit(
    id: i32,
    title: &str,
    version: i32,
    material: bool,
    again: usize,
    flagged: usize,
) -> String {
    let kind = if material { "实质性修改" } else { "一般修改" };
    format!("#{id}《{title}》第 {version} 版（{kind}），重新指定 {again} 项，{flagged} 道关联题目待复核")
}

pub fn kb_saved(flagged: usize) -> String {
    if flagged == 0 {
        KB_SAVED.to_string()
    } else {
        format!("{KB_SAVED}以本文为出处的 {flagged} 道题目已标记为待复核，请培训师在题库中复核。")
    }
}

pub fn audit_kb_assigned(id: i32, title: &str, due: chrono::NaiveDate) -> String {
    format!("必读 #{id}《{title}》，{due} 截止")
}

pub fn kb_file_added(id: i32) -> String {
    format!("附件已上传。插入正文：![说明](/kb/files/{id})")
}

pub fn kb_person_unknown(no: &str) -> String {
    format!("找不到在职人员：{no}")
}

pub fn kb_person_not_yours(no: &str) -> String {
    format!("{no} 不在您的管辖范围内。")
}

/// The text a team leader copies into the hall's group chat or reads at the morning meeting.
pub fn kb_reminder(hall: &str, people: &[(String, String)]) -> String {
    if people.is_empty() {
        return format!("【{hall}】必读提醒：本厅全部必读均已按要求阅读，谢谢大家！");
    }
    let mut out = format!("【{hall}】必读提醒：以下同事还有必读未确认，请在截止日前到“知识库”阅读并点“我已阅读并理解”，逾期每条扣 10 元：\n");
    for (name, titles) in people {
        out.push_str(&format!("· {name}：{titles}\n"));
    }
    out
}

// ---- Reading-penalty ledger ----
pub const NAV_LEDGER: &str = "必读扣款";
pub const ACTION_LEDGER_CLOSE: &str = "必读台账关账";
pub const ACTION_LEDGER_REOPEN: &str = "必读台账重新开账";
pub const ACTION_READING_EXEMPT: &str = "必读豁免";
pub const LEDGER_ON_TIME: &str = "按时已读";
/// An on-time rate while the due date has not passed.
pub const NOT_YET_DUE: &str = "未到期";
pub const LEDGER_LATE: &str = "逾期已读";
pub const LEDGER_UNREAD: &str = "未读";
pub const LEDGER_PENDING: &str = "未到期";
pub const LEDGER_EXEMPT: &str = "已豁免";
pub const LEDGER_JOINER: &str = "入职晚于截止日";
pub const LEDGER_RATE: &str = "扣款标准";
pub const LEDGER_SHEET: &str = "必读扣款";
pub const LEDGER_SHEET_ABOUT: &str = "说明";
pub const LEDGER_ABOUT_MONTH: &str = "月份";
pub const LEDGER_ABOUT_STATE: &str = "状态";
pub const LEDGER_ABOUT_LIVE: &str = "未关账（导出时按当前阅读记录计算）";
pub const LEDGER_ABOUT_PEOPLE: &str = "扣款人数";
pub const LEDGER_ABOUT_TOTAL: &str = "扣款合计（元）";
pub const LEDGER_ALREADY_CLOSED: &str = "该月台账已关账。";
pub const LEDGER_NOT_CLOSED: &str = "该月台账未关账，无需重新开账。";
pub const LEDGER_REASON_REQUIRED: &str = "请填写原因（不超过 200 字）。";
pub const LEDGER_CLOSE_CITY_ONLY: &str = "只有市公司主管或管理员可以关账（关账冻结全市的台账）。";
pub const LEDGER_NOT_IN_AUDIENCE: &str = "此人不在该必读的应读人员中。";
pub const LEDGER_ALREADY_EXEMPT: &str = "此人的这条必读已豁免。";
pub const LEDGER_DUE_MARK: &str = "截止";
pub const LEDGER_EVERYONE: &str = "全部";

/// One charged item in the payroll sheet's 明细.
pub fn ledger_detail(title: &str, due: chrono::NaiveDate, status: &str, read_at: &str) -> String {
    if read_at.is_empty() {
        format!("《{title}》（截止 {due}，{status}）")
    } else {
        format!("《{title}》（截止 {due}，{status} {read_at}）")
    }
}

pub fn ledger_rate(yuan: &str) -> String {
    format!("{yuan} 元/条")
}

pub fn ledger_penalty(count: usize, yuan: &str) -> String {
    format!("{count} 条 {yuan} 元")
}

pub fn ledger_closed_at(at: &str) -> String {
    format!("已关账（{at}），为关账时的快照")
}

pub fn ledger_chart_title(title: &str, due: chrono::NaiveDate) -> String {
    format!("《{title}》阅读率变化（截止 {due}）")
}

pub fn ledger_closed(month: Month, people: usize, total: &str) -> String {
    format!("{month} 必读台账已关账：{people} 人扣款，合计 {total} 元。台账已冻结。")
}

pub fn ledger_reopened(month: Month) -> String {
    format!("{month} 必读台账已重新开账，按当前阅读记录重新计算。")
}

pub fn ledger_exempted(name: &str, title: &str) -> String {
    format!("已豁免 {name} 的必读《{title}》。")
}

pub fn ledger_month_closed(month: Month) -> String {
    format!("{month} 的必读台账已关账，不能再豁免；确需调整请管理员重新开账。")
}

pub fn ledger_not_over(month: Month) -> String {
    format!("{month} 尚未结束，月末后才能关账。")
}

pub fn audit_reading_exempt(
    month: Month,
    assignment: i32,
    title: &str,
    staff_no: &str,
    name: &str,
    reason: &str,
) -> String {
    format!("{month} 必读 #{assignment}《{title}》：{staff_no} {name}，原因：{reason}")
}

pub fn audit_ledger_close(month: Month, rate: &str, people: usize, total: &str) -> String {
    format!("{month}，扣款标准 {rate} 元/条，{people} 人扣款，合计 {total} 元")
}

pub fn audit_ledger_reopen(month: Month, reason: &str) -> String {
    format!("{month}，原因：{reason}")
}

// ---- Phone tests: recording ----

pub const NAV_PHONE: &str = "拨测";
pub const NAV_PHONE_MY: &str = "我的拨测";
pub const ACTION_PHONE_RUBRIC: &str = "修改拨测评分标准";
pub const ACTION_PHONE_SCENARIO: &str = "编辑拨测场景";
pub const ACTION_PHONE_CALL: &str = "录入拨测结果";
pub const PHONE_NA: &str = "不适用";
pub const PHONE_UNIDENTIFIED: &str = "未能识别";
pub const PHONE_RUBRIC_EMPTY: &str = "评分标准至少需要一个评分项。";
pub const PHONE_SCENARIO_TITLE: &str = "请填写场景标题（不超过 100 字）。";
pub const PHONE_SCENARIO_CHANNEL: &str = "请选择渠道。";
pub const PHONE_SCENARIO_BUSINESS: &str = "请填写业务类别（不超过 50 字）。";
pub const PHONE_SCENARIO_QUESTION: &str = "请填写拨测问题（不超过 1000 字，要点不超过 2000 字）。";
pub const PHONE_SCENARIO_ARTICLE: &str = "所选知识库文章不存在。";
pub const PHONE_SCENARIO_SAVED: &str = "拨测场景已保存。";
pub const PHONE_MONTH: &str = "拨测月份格式应为 YYYY-MM，如 2026-11。";
pub const PHONE_TIME: &str = "请填写拨测时间（北京时间）。";
pub const PHONE_TIME_FUTURE: &str = "拨测时间不能晚于现在。";
pub const PHONE_HALL: &str = "请选择被测营业厅。";
pub const PHONE_CLERK_MISSING: &str = "请选择接听的营业员，或选择“未能识别”。";
pub const PHONE_CLERK_HALL: &str = "所选营业员不是该营业厅的在职人员（按当前人员名单核对）。";
pub const PHONE_SCENARIO_MISSING: &str = "所选拨测场景不存在。";
pub const PHONE_NOTHING_APPLICABLE: &str = "所有评分项都标为不适用，无法计分。";
pub const PHONE_RINGS: &str = "响铃次数须为 0–30 的整数。";
pub const PHONE_DURATION: &str = "通话时长须为 1–3600 秒的整数。";
pub const PHONE_NOTES: &str = "备注不能超过 1000 字。";
pub const PHONE_RECORDING: &str = "录音编号不能超过 200 字。";
pub const PHONE_RUBRIC_CHANGED: &str = "评分标准刚刚更新，请按新的评分项重新打分。";
pub const PHONE_SECOND_MISSING: &str = "要复评的拨测记录不存在。";
pub const PHONE_SECOND_SAME_TESTER: &str = "复评须由另一位测评人进行，不能复评自己打分的拨测。";
pub const PHONE_SECOND_OF_SECOND: &str = "不能对复评记录再次复评，请选择原始拨测记录。";

pub fn phone_rubric_sum(sum: i64) -> String {
    format!("各评分项分值合计为 {sum} 分，须正好 100 分。")
}

pub fn phone_rubric_bad_item(name: &str) -> String {
    let name: String =
        if name.is_empty() { "（未命名）".into() } else { name.chars().take(30).collect() };
    format!("评分项“{name}”有误：代码只能用字母、数字和下划线，代码和名称不能为空且不超过 30 字，分值须为 1–100 的整数。")
}

pub fn phone_rubric_duplicate(code: &str) -> String {
    format!("评分项代码 {code} 重复，每项的代码须不同。")
}

pub fn phone_rubric_saved(version: i32) -> String {
    format!("评分标准已保存为第 {version} 版；此前的拨测结果仍按原版本计分。")
}

pub fn phone_time_outside(month: &str) -> String {
    format!("拨测时间不在所测月份 {month} 内（北京时间）。")
}

pub fn phone_score_format(name: &str) -> String {
    format!("“{name}”的得分格式不对：请填数字，最多两位小数。")
}

pub fn phone_score_missing(name: &str) -> String {
    format!("请为“{name}”打分。")
}

pub fn phone_score_range(name: &str, points: i64) -> String {
    format!("“{name}”的得分须在 0–{points} 分之间。")
}

pub fn phone_na_refused(name: &str) -> String {
    format!("“{name}”不允许标为不适用。")
}

pub fn phone_unknown_item(code: &str) -> String {
    format!("评分标准中没有评分项 {code}。")
}

pub fn phone_call_saved(id: i32, total: &str) -> String {
    format!("拨测结果已保存（#{id}，总分 {total}）。")
}

pub fn audit_phone_rubric(version: i32, note: &str) -> String {
    format!("第 {version} 版：{note}")
}

pub fn audit_phone_scenario(id: i32, title: &str) -> String {
    format!("#{id} {title}")
}

pub fn audit_phone_call(
    id: i32,
    hall: &str,
    clerk: Option<&str>,
    total: &str,
    second_of: Option<i32>,
) -> String {
    let clerk = clerk.map(|c| format!("营业员 {c}")).unwrap_or_else(|| PHONE_UNIDENTIFIED.to_string());
    let second = second_of.map(|f| format!("，复评 #{f}")).unwrap_or_default();
    format!("#{id} {hall}，{clerk}，总分 {total}{second}")
}

// ---- Phone tests: import and reports ----
pub const ACTION_PHONE_IMPORT: &str = "导入拨测结果";
pub const PHONE_IMPORT_ALL_NA: &str = "所有评分项都是不适用，无法计分。";
pub const PHONE_IMPORT_ALREADY_STORED: &str = "同一时间、营业厅、拨测员的拨测已导入过。";
pub const PHONE_IMPORT_TESTER_EMPTY: &str = "拨测员工号为空。";
pub const PHONE_REPORT_CALIB_OVERALL: &str = "全部";
pub const PHONE_REPORT_CITY_LINE: &str = "全市";
pub const PHONE_REPORT_NA: &str = "不适用";
pub const PHONE_REPORT_SHEET_CALLS: &str = "拨测明细";
pub const PHONE_REPORT_SHEET_HALLS: &str = "营业厅汇总";
pub const PHONE_REPORT_TREND_TITLE: &str = "电话拨测平均分趋势：全市与各区县";
pub const PHONE_REPORT_UNIDENTIFIED: &str = "未能识别";
pub const PHONE_REPORT_YES: &str = "是";

pub fn audit_phone_import(month: Month, first: usize, second: usize) -> String {
    format!("导入 {month} 拨测结果：拨测 {first} 次，复评 {second} 次")
}

pub fn phone_import_done(first: usize, second: usize) -> String {
    format!("已导入 {first} 次拨测和 {second} 次复评。")
}

pub fn phone_import_missing_columns(columns: &[String]) -> String {
    format!("缺少列：{}。请使用拨测模板的表头。", columns.join("、"))
}

pub fn phone_import_mark_missing(item: &str) -> String {
    format!("「{item}」没有填写分数。")
}

pub fn phone_import_mark_invalid(item: &str, text: &str) -> String {
    format!("「{item}」的分数「{text}」不是数字（可填分数、N/A 或 不适用）。")
}

pub fn phone_import_mark_range(item: &str) -> String {
    format!("「{item}」的分数超出该项的分值范围。")
}

pub fn phone_import_na_refused(item: &str) -> String {
    format!("「{item}」不能填不适用。")
}

pub fn phone_import_tester_unknown(staff_no: &str) -> String {
    format!("拨测员工号 {staff_no} 不存在、已停用或不是培训师。")
}

pub fn phone_import_second_unknown(text: &str) -> String {
    format!("复评原呼叫行号「{text}」不是本文件中前面一条有效拨测的行号。")
}

pub fn phone_import_second_same_tester(line: usize) -> String {
    format!("复评须由另一位拨测员进行：第 {line} 行是同一拨测员。")
}

pub fn phone_import_second_twice(line: usize) -> String {
    format!("第 {line} 行已有复评。")
}

pub fn phone_import_bad_when(text: &str) -> String {
    format!("日期时间「{text}」格式应为 YYYY-MM-DD HH:MM（北京时间）。")
}

pub fn phone_import_outside_month(text: &str, month: Month) -> String {
    format!("日期时间「{text}」不在拨测月份 {month} 内。")
}

pub fn phone_import_future(text: &str) -> String {
    format!("日期时间「{text}」晚于现在。")
}

pub fn phone_import_unknown_hall(name: &str) -> String {
    format!("营业厅「{name}」不存在或已停用。")
}

pub fn phone_import_clerk_unknown(staff_no: &str) -> String {
    format!("接听工号 {staff_no} 不存在。")
}

pub fn phone_import_clerk_inactive(staff_no: &str, name: &str) -> String {
    format!("接听工号 {staff_no}（{name}）已停用或不是营业员。")
}

pub fn phone_import_clerk_other_hall(staff_no: &str, name: &str, hall: &str) -> String {
    format!("接听工号 {staff_no}（{name}）不在「{hall}」。")
}

pub fn phone_import_unknown_scenario(title: &str) -> String {
    format!("场景「{title}」不存在或已停用。")
}

pub fn phone_import_bad_number(column: &str, text: &str) -> String {
    format!("{column}「{text}」应为不小于 0 的整数。")
}

pub fn phone_import_duplicate(line: usize) -> String {
    format!("与第 {line} 行重复（同一时间、营业厅、拨测员）。")
}

pub fn phone_report_title(month: Month) -> String {
    format!("{month} 电话拨测营业厅汇总")
}

pub fn phone_report_halls_title(month: Month) -> String {
    format!("{month} 各营业厅评分项得分率")
}

// ---- Backup ----
pub const BACKUP_SQLITE_ONLY: &str = "backup 只用于 SQLite 站点；PostgreSQL 请用 pg_dump（见 README）。";
pub const BACKUP_BAD_PATH: &str = "备份文件路径须为 UTF-8。";
pub const BACKUP_CORRUPT: &str = "备份文件完整性检查未通过，请重试。";

pub fn backup_exists(path: &str) -> String {
    format!("{path} 已存在，不会覆盖；请换一个文件名。")
}

pub fn backup_done(path: &str, tables: usize, rows: i64) -> String {
    format!("已备份到 {path}：{tables} 张表，共 {rows} 行，完整性检查通过。")
}
pub const WORKBOOK_TOO_BIG: &str =
    "文件解压后过大或单元格过多（可能是压缩炸弹），已拒绝。请只保留需要导入的工作表和数据。";
pub const AUDIT_SYSTEM: &str = "系统";

// ---- Weak spots and the supervisor dashboard (issue 9) ----
pub const WEAK_CITY: &str = "全市";
pub const WEAK_SPARSE: &str = "样本少";
pub const WEAK_NO_KP: &str = "（未标注知识点）";
pub const WEAK_BAD_MONTH: &str = "月份格式应为 YYYY-MM，例如 2026-10。";
pub const WEAK_EXAM_OPEN: &str =
    "本月月考尚未结束（或仍有人在答题）：考试全部结束后才能查看薄弱知识点背后的试题。";
/// The heat map's five classes, weakest first (see `dashboard::rules::CLASS_BOUNDS`).
pub const WEAK_CLASSES: [&str; 5] = ["低于 60%", "60%–70%", "70%–80%", "80%–90%", "90% 及以上"];

pub fn weak_heat_title(month: Month) -> String {
    format!("{month} 月考各知识点得分率")
}

pub fn weak_legend_sparse(min: i64) -> String {
    format!("样本少（不足 {min} 次作答）")
}

/// A heat-map cell's accessible name: it begins with the text the cell shows
/// (样本少 or the rate), as WCAG's label-in-name asks.
pub fn weak_cell_label(kp: &str, unit: &str, shown: &str, value: &str, answers: i64) -> String {
    match answers {
        0 => format!("{shown} · {kp} · {unit}：无作答"),
        _ if shown == value => format!("{shown} · {kp} · {unit}：得分率（{answers} 次作答），查看试题"),
        _ => format!("{shown} · {kp} · {unit}：得分率 {value}（{answers} 次作答），查看试题"),
    }
}

// ---- 月度评分卡 (scorecard, issue 9) ----
pub const SCORECARD_EXAM: &str = "月考成绩";
pub const SCORECARD_PHONE: &str = "拨测平均分（按人）";
pub const SCORECARD_READING: &str = "必读按时率";
pub const SCORECARD_SPEED: &str = "演练用时（占目标）";
pub const SCORECARD_ACCURACY: &str = "演练准确率";
pub const SCORECARD_ATTENDANCE: &str = "学习出勤率";
pub const SCORECARD_NONE: &str = "—";
pub const SCORECARD_CITY: &str = "全市";
pub const SCORECARD_ABSENT: &str = "缺考";
pub const SCORECARD_YES: &str = "是";
pub const SCORECARD_NO: &str = "否";
pub const SCORECARD_LEVEL_CLERK: &str = "营业员";
pub const SCORECARD_LEVEL_HALL: &str = "营业厅";
pub const SCORECARD_LEVEL_COUNTY: &str = "县分";
pub const SCORECARD_TREND_TITLE: &str = "近 12 个月月考成绩与拨测平均分";
pub const SCORECARD_CLERK_HEADER: [&str; 5] = ["月份", "工号", "姓名", "区县", "营业厅"];
/// After each metric's column on the clerk sheet.
pub const SCORECARD_BESIDE: [&str; 4] = ["（厅均）", "（区县均）", "（全市均）", "（厅内排名）"];
pub const SCORECARD_CLERK_TAIL: [&str; 1] = ["月考备注"];
pub const SCORECARD_HALL_HEADER: [&str; 4] = ["月份", "区县", "营业厅", "营业员人数"];
pub const SCORECARD_HALL_TAIL: [&str; 4] = ["学习时长（小时）", "学习目标（小时）", "学习达标", "巡检均分"];
pub const SCORECARD_COUNTY_HEADER: [&str; 4] = ["月份", "区县", "营业厅数", "营业员人数"];
pub const SCORECARD_COUNTY_TAIL: [&str; 3] = ["学习时长（小时）", "学习达标营业厅数", "巡检均分"];
pub const SCORECARD_SORTS: [(&str, &str); 2] = [("best", "好→差"), ("worst", "差→好")];
pub const CLI_SCORECARD_LEVEL: &str = "--level 应为 clerk、hall 或 county。";

pub fn scorecard_retest(score: i64) -> String {
    format!("复考 {}", crate::review::rules::two_decimals(score))
}

pub fn scorecard_calls(calls: usize) -> String {
    format!("{calls} 通")
}

/// The reading rate's items: on time of those due so far, and those not yet due.
pub fn scorecard_items(on_time: usize, due: usize, upcoming: usize) -> String {
    match (due, upcoming) {
        (_, 0) => format!("按时 {on_time}/{due} 条"),
        (0, _) => format!("{upcoming} 条未到期"),
        _ => format!("按时 {on_time}/{due} 条，另 {upcoming} 条未到期"),
    }
}

pub fn scorecard_drills(drills: i64, weeks: i64, weeks_due: i64) -> String {
    format!("{drills} 次，{weeks}/{weeks_due} 周")
}

pub fn scorecard_sessions(attended: i64, held: i64) -> String {
    format!("{attended}/{held} 次")
}

pub fn scorecard_month_label(number: u32) -> String {
    format!("{number}月")
}

pub fn scorecard_year_label(year: i32) -> String {
    format!("{year}年")
}

pub fn scorecard_title(month: Month, level: &str) -> String {
    format!("{month} 月度评分卡（{level}）")
}

// ---- 业务学习 (study sessions, issue 9) ----
pub const STUDY_DATE: &str = "请填写学习日期（YYYY-MM-DD）。";
pub const STUDY_DATE_FUTURE: &str = "学习日期不能晚于今天。";
pub const STUDY_TIME_PAIR: &str = "开始和结束时间须同时填写；不填时间则填写时长。";
pub const STUDY_TIME_FORMAT: &str = "时间格式应为 HH:MM（如 08:30）。";
pub const STUDY_TIME_ORDER: &str = "结束时间须晚于开始时间，且一次学习不超过 12 小时。";
pub const STUDY_MINUTES: &str = "请填写开始和结束时间，或填写时长（1 至 720 分钟的整数）。";
pub const STUDY_KIND: &str = "请选择学习类型。";
pub const STUDY_TOPIC: &str = "请填写学习主题（不超过 100 字）。";
pub const STUDY_ARTICLE: &str = "所选知识库文章不存在或已下线，请重新选择。";
pub const STUDY_ATTENDEES_NONE: &str = "请勾选参加人员。";
pub const STUDY_ATTENDEE_HALL: &str = "参加人员须为本营业厅在职人员。";
pub const STUDY_NOTES: &str = "备注不超过 1000 字。";
pub const STUDY_HALL: &str = "请选择营业厅。";
pub const STUDY_HALL_PARAM: &str = "营业厅参数无效。";
pub const STUDY_MONTH: &str = "月份格式应为 YYYY-MM。";
pub const STUDY_NO_HALL: &str = "您没有可记录业务学习的营业厅。";
pub const STUDY_DELETED: &str = "已删除该次学习记录。";
pub const STUDY_SHORT: &str = "未达标";
pub const STUDY_MET: &str = "已达标";
pub const STUDY_LEFT: &str = "已调离或停用";
pub const STUDY_SHEET_HALLS: &str = "营业厅汇总";
pub const STUDY_SHEET_SESSIONS: &str = "学习记录";
pub const ACTION_STUDY_CREATE: &str = "记录业务学习";
pub const ACTION_STUDY_UPDATE: &str = "修改业务学习";
pub const ACTION_STUDY_DELETE: &str = "删除业务学习";

pub fn study_date_too_old(days: i64) -> String {
    format!("营业班长只能补记 {days} 天内的学习；更早的记录请联系管理员。")
}

/// The alert at the top of any refused form whose errors sit next to their fields.
pub fn form_errors(n: usize) -> String {
    format!("有 {n} 处需要修改，见各栏下方的说明；已填写的内容已保留。")
}

pub fn study_saved(held_on: &str, topic: &str, minutes: i32) -> String {
    format!("已保存 {held_on}「{topic}」，共 {minutes} 分钟。")
}

pub fn audit_study(
    id: i32,
    hall: &str,
    held_on: &str,
    minutes: i32,
    topic: &str,
    attendees: usize,
) -> String {
    format!("学习 #{id}：{hall} {held_on}「{topic}」{minutes} 分钟，{attendees} 人参加")
}

pub fn study_export_title(month: Month, scope: &str) -> String {
    format!("{month} 业务学习汇总（{scope}）")
}

pub fn study_sessions_title(month: Month, scope: &str) -> String {
    format!("{month} 业务学习记录（{scope}）")
}

// ---- 离线环境测试（演练，issue 9） ----
pub const ACTION_DRILL_RECORD: &str = "记录演练";
pub const ACTION_DRILL_DELETE: &str = "删除演练";
pub const ACTION_DRILL_IMPORT: &str = "导入演练";
pub const ACTION_DRILL_TYPE_SAVE: &str = "保存演练业务类型";
pub const DRILL_BAD_MONTH: &str = "月份格式应为 YYYY-MM。";
pub const DRILL_DATE_INVALID: &str = "演练日期格式应为 YYYY-MM-DD。";
pub const DRILL_DATE_FUTURE: &str = "演练日期不能晚于今天。";
pub const DRILL_NO_HALL: &str = "请选择营业厅。";
pub const DRILL_CHOOSE_HALL: &str = "请先选择营业厅。";
pub const DRILL_NO_ROWS: &str = "请至少填写一行演练记录。";
pub const DRILL_ROW_NO_CLERK: &str = "请选择营业员。";
pub const DRILL_ROW_CLERK_HALL: &str = "所选营业员不是本营业厅的在职人员。";
pub const DRILL_ROW_NO_TYPE: &str = "请选择业务类型。";
pub const DRILL_ROW_TYPE_RETIRED: &str = "业务类型不存在或已停用。";
pub const DRILL_ROW_NO_TIME: &str = "请填写用时。";
pub const DRILL_DELETED: &str = "已删除该条演练记录。";
pub const DRILL_DELETE_TOO_OLD: &str = "超过 92 天的演练记录不能再删除，请联系管理员。";
pub const DRILL_MEETS: &str = "达标";
pub const DRILL_MISSES: &str = "未达标";
pub const DRILL_HALL_ROW: &str = "全厅";
pub const DRILL_SHEET_CLERKS: &str = "营业员";
pub const DRILL_SHEET_TYPES: &str = "业务类型";
pub const DRILL_SHEET_DRILLS: &str = "演练明细";
pub const DRILL_SHEET_TYPE_LIST: &str = "业务类型清单";
pub const DRILL_IMPORT_NO_DATE: &str = "日期不能为空。";
pub const DRILL_IMPORT_NO_STAFF_NO: &str = "工号不能为空。";
pub const DRILL_IMPORT_NO_TYPE: &str = "业务类型不能为空。";
pub const DRILL_IMPORT_ALREADY_STORED: &str = "已有相同的演练记录（同一营业员、日期、业务类型、用时）。";

pub fn drill_date_too_old(days: i64) -> String {
    format!("演练日期不能早于 {days} 天前。")
}

pub fn drill_type_name(max: usize) -> String {
    format!("业务类型名称不能为空，且不超过 {max} 个字。")
}

pub fn drill_type_name_taken(name: &str) -> String {
    format!("业务类型「{name}」已存在（含已停用的类型）。")
}

pub fn drill_type_target(min: i64, max: i64) -> String {
    format!("目标用时须为 {min} 至 {max} 秒（可填 600、10:00 或 10分）。")
}

pub fn drill_type_position(max: i64) -> String {
    format!("排序须为 0 至 {max} 之间的整数。")
}

pub fn drill_type_saved(name: &str) -> String {
    format!("已保存业务类型「{name}」。")
}

pub fn drill_type_option(name: &str, target: &str) -> String {
    format!("{name}（目标 {target}）")
}

pub fn drill_time_unreadable(text: &str) -> String {
    format!("用时「{text}」无法识别，可填 605、10:05 或 10分5秒。")
}

pub fn drill_errors_unreadable(text: &str) -> String {
    format!("差错数「{text}」应为 0 至 99 的整数。")
}

pub fn drill_notes_long(max: usize) -> String {
    format!("备注不超过 {max} 个字。")
}

pub fn drill_recorded(n: usize) -> String {
    format!("已记录 {n} 条演练，可继续录入下一批营业员。")
}

pub fn drill_imported(n: usize) -> String {
    format!("已导入 {n} 条演练记录。")
}

/// "第45周（11/02–11/08）".
pub fn drill_week_label(week_no: &str, from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    format!("第{week_no}周（{}–{}）", from.format("%m/%d"), to.format("%m/%d"))
}

pub fn drill_report_title(area: &str, hall: &str, month: Month) -> String {
    format!("{area} {hall} {month} 离线环境演练月末反馈")
}

pub fn drill_report_leaders(names: &[String]) -> String {
    if names.is_empty() {
        format!("营业班长：{NONE}")
    } else {
        format!("营业班长：{}", names.join(LIST_SEPARATOR))
    }
}

pub fn drill_import_missing_columns(columns: &[String]) -> String {
    format!("缺少必填列：{}。", columns.join(LIST_SEPARATOR))
}

pub fn drill_import_bad_date(text: &str) -> String {
    format!("日期「{text}」格式应为 YYYY-MM-DD。")
}

pub fn drill_import_unknown_staff(staff_no: &str) -> String {
    format!("工号 {staff_no} 不存在。")
}

pub fn drill_import_name_mismatch(staff_no: &str, stored: &str, typed: &str) -> String {
    format!("工号 {staff_no} 的姓名是「{stored}」，与文件中的「{typed}」不符。")
}

pub fn drill_import_inactive(staff_no: &str, name: &str) -> String {
    format!("工号 {staff_no}（{name}）已停用。")
}

pub fn drill_import_no_hall(staff_no: &str, name: &str) -> String {
    format!("工号 {staff_no}（{name}）不属于任何营业厅。")
}

pub fn drill_import_not_in_hall(staff_no: &str) -> String {
    format!("工号 {staff_no} 不是您所在营业厅的在职人员。")
}

pub fn drill_import_unknown_type(name: &str) -> String {
    format!("业务类型「{name}」不存在。")
}

pub fn drill_import_type_retired(name: &str) -> String {
    format!("业务类型「{name}」已停用。")
}

pub fn drill_import_duplicate(line: usize) -> String {
    format!("与第 {line} 行重复（同一营业员、日期、业务类型、用时）。")
}

pub fn audit_drill_type(id: i32, name: &str, target_seconds: i32, active: bool) -> String {
    let state = if active { "启用" } else { "停用" };
    format!("演练业务类型 #{id}「{name}」：目标 {target_seconds} 秒，{state}")
}

pub fn audit_drill_record(hall: &str, date: &str, n: usize) -> String {
    format!("{hall} {date} 记录演练 {n} 条")
}

pub fn audit_drill_delete(id: i32, hall: &str, clerk: &str, date: &str, seconds: i32) -> String {
    format!("删除演练 #{id}：{hall}，营业员 {clerk}，{date}，用时 {seconds} 秒")
}

pub fn audit_drill_import(n: usize, months: &[Month]) -> String {
    let months: Vec<&str> = months.iter().map(Month::as_str).collect();
    format!("导入演练 {n} 条（{}）", months.join(LIST_SEPARATOR))
}

// Database faults (src/web/error.rs, docs/RELIABILITY.md "Faults"): what the user sees
// when a write could not be kept. Each says that nothing was saved and what to do.
pub const DB_FULL: &str = "服务器存储空间已满，本次操作未保存，请联系管理员。";
pub const DB_LOCKED: &str = "数据库繁忙，本次操作未保存，请稍后重试。";
pub const DB_UNREACHABLE: &str = "数据库暂时无法连接，本次操作未保存，请稍后重试。";

// 上传文件的防护
pub const WORKBOOK_MALFORMED: &str =
    "工作簿格式异常（单元格位置超出 Excel 的范围或内容损坏），无法读取。请用 Excel 打开后另存为 .xlsx 再上传。";

// 表单输入范围
pub const KB_DATE_RANGE: &str = "生效日期应在 2000-01-01 至 2099-12-31 之间。";
pub const KB_DUE_TOO_FAR: &str = "完成期限不能晚于一年之后。";
pub const EXAM_MONTH_RANGE: &str = "考试月份应在 2000 年至 2099 年之间。";
pub const EXAM_WINDOW_RANGE: &str = "开考与截止时间应在 2000 年至 2099 年之间。";
pub const REVIEW_NOTE_TOO_LONG: &str = "沟通记录不能超过 1000 字。";
pub const REVIEW_REASON_TOO_LONG: &str = "原因不能超过 200 字。";

// 题目与列表查询的范围（src/bank/question.rs 的 MAX_* 与这里的数字一致）
pub const Q_STEM_TOO_LONG: &str = "题干不能超过 2000 字";
pub const Q_OPTION_TOO_LONG: &str = "每个选项不能超过 500 字";
pub const Q_EXPLANATION_TOO_LONG: &str = "解析不能超过 2000 字";
pub const Q_REFERENCE_TOO_LONG: &str = "参考答案不能超过 2000 字";
pub const Q_TOO_MANY_BLANKS: &str = "填空题最多 20 处空";
pub const Q_BLANK_ANSWER_TOO_LONG: &str = "填空题的每个答案不能超过 100 字";
pub const Q_TOO_MANY_KNOWLEDGE_POINTS: &str = "知识点最多 10 个";
pub const Q_KNOWLEDGE_POINT_TOO_LONG: &str = "每个知识点不能超过 30 字";
pub const Q_CATEGORY_TOO_LONG: &str = "分类不能超过 60 字";
pub const Q_SOURCE_TOO_LONG: &str = "来源不能超过 100 字";
pub const BANK_DESCRIPTION_TOO_LONG: &str = "题库说明不能超过 200 字。";

pub fn unit_parent_inactive(name: &str) -> String {
    format!("「{name}」已停用，不能把单位放到它下面。请先启用它。")
}

// The exam sitting form: a start time that cannot be read is refused, never taken as now.
pub const EXAM_SITTING_START_INVALID: &str =
    "开始时间格式不对：请选择日期和时间（如 2026-11-28 09:00）；留空则为现在。";
pub const EXAM_SITTING_START_RANGE: &str = "开始时间应在 2000 年至 2099 年之间。";
pub const MONTH_OUT_OF_RANGE: &str = "月份应在 2000-01 至 2099-12 之间。";
pub const MONTH_INVALID: &str = "月份格式应为 YYYY-MM，例如 2026-11。";

// ---- Lifting a reading exemption
pub const ACTION_READING_EXEMPT_LIFT: &str = "撤销必读豁免";
pub const LEDGER_NOT_EXEMPT: &str = "此人的这条必读没有豁免，无需撤销。";
pub fn ledger_exemption_lifted(name: &str, title: &str) -> String {
    format!("已撤销 {name} 的必读《{title}》的豁免；未读将照常扣款。")
}

// ---- Login slow-down instead of locks (auth::throttle), device cookies (auth::device)
pub const ACTION_LOGIN_SLOWED: &str = "登录需等待";
pub const ACTION_DEVICE_UNTRUSTED: &str = "设备凭证停用";
/// The refusal page: seconds under a minute, else whole minutes rounded up.
/// A failed login: how long to wait if this failure started a wait, else a
/// warning when only one or two tries are left before one.
pub fn login_failed(wait_secs: i64, tries_before_wait: Option<u32>) -> String {
    let first_wait = crate::auth::throttle::ACCOUNT.first_secs / 60;
    match tries_before_wait {
        _ if wait_secs > 0 => format!("{LOGIN_FAILED}{}", login_wait(wait_secs)),
        Some(n @ 1..=2) => format!("{LOGIN_FAILED}再错 {n} 次，须等待 {first_wait} 分钟后才能再试。"),
        _ => LOGIN_FAILED.to_string(),
    }
}

pub fn login_wait(secs: i64) -> String {
    if secs < 60 {
        format!("登录失败次数过多，请 {} 秒后再试。", secs.max(1))
    } else {
        format!("登录失败次数过多，请 {} 分钟后再试。", (secs + 59) / 60)
    }
}
pub fn audit_account_slowed(username: &str, secs: i64) -> String {
    format!("用户名「{username}」：未登录过的浏览器须等待 {secs} 秒再试")
}
pub fn audit_address_slowed(secs: i64) -> String {
    format!("此地址须等待 {secs} 秒再试")
}
pub fn audit_device_untrusted(username: &str) -> String {
    format!("用户名「{username}」：此浏览器的设备凭证失败 5 次，不再受信任")
}
// ---- Hardening after the security review (sec-misc)
/// A database (or its file system) that takes no writes: 503, like a full disk.
pub const DB_READ_ONLY: &str = "数据库当前为只读状态，本次操作未保存，请联系管理员。";
// Upload text bounds (roster::guard::text, roster::parse): a small file must not unpack to gigabytes of text.
pub const CELL_TOO_LONG: &str =
    "文件中有单元格超过 32,767 个字符（Excel 单元格的上限），已拒绝，未导入任何内容。请检查是否误粘贴了大段文字。";
pub const SHARED_STRINGS_TOO_BIG: &str =
    "表格的文字表（共享字符串表）过大：超过 800 万字或 200 万条，已拒绝，未导入任何内容。请拆分成几个文件分别导入。";
pub const WORKBOOK_TEXT_TOO_BIG: &str =
    "表格中单元格的文字合计超过 1,600 万字，已拒绝，未导入任何内容。请拆分成几个文件分别导入。";

// Where a question is taught (题目出处) and 待复核.
pub const SOURCE_HEADING_LONG: &str = "小节标题不能超过 60 个字。";
pub const SOURCE_ARTICLE_MISSING: &str = "请选择知识库中的一篇文章。";
pub const SOURCE_ALREADY: &str = "这道题已关联这篇文章（这一小节）。";
pub const SOURCE_LINKED: &str = "已关联出处。";
pub const SOURCE_NOT_FOUND: &str = "这条出处已不存在。";
pub const SOURCE_UNLINKED: &str = "已移除这条出处。";
pub const FLAG_OUTCOME_MISSING: &str = "请选择复核结果：保留、已修改或停用。";
pub const FLAG_NOTE_REQUIRED: &str = "请写明复核说明（不超过 500 字）。";
pub const FLAG_NONE_OPEN: &str = "这道题没有待复核的标记。";
pub const SOURCE_KIND_LABEL: &str = "知识库";

pub fn audit_question_source(question: i32, article: i32, heading: &str, linked: bool) -> String {
    let section = if heading.is_empty() { String::new() } else { format!("「{heading}」一节") };
    let verb = if linked { "关联" } else { "移除" };
    format!("题目 #{question} {verb}出处：知识库文章 #{article}{section}")
}

pub fn source_no_questions(point: &str) -> String {
    if point.is_empty() {
        "请选择一个知识点。".to_string()
    } else {
        format!("本题库没有知识点为「{point}」的在用题目。")
    }
}

pub fn audit_sources_by_point(bank: i32, point: &str, article: i32, made: usize) -> String {
    format!("题库 #{bank} 知识点「{point}」的 {made} 道题关联知识库文章 #{article}")
}

pub fn sources_linked(point: &str, made: usize, already: usize) -> String {
    if already == 0 {
        format!("知识点「{point}」的 {made} 道题已关联出处。")
    } else {
        format!("知识点「{point}」的 {made} 道题已关联出处（另 {already} 道此前已关联）。")
    }
}

pub fn flag_outcome_label(code: &str) -> &'static str {
    match code {
        "kept" => "保留（题目与新版一致）",
        "edited" => "已修改题目",
        "retired" => "停用题目",
        _ => "",
    }
}

pub fn flag_cleared(code: &str) -> String {
    format!("已完成复核：{}。", flag_outcome_label(code))
}

pub fn audit_question_reviewed(question: i32, code: &str, note: &str) -> String {
    format!("题目 #{question} 复核：{}；说明：{note}", flag_outcome_label(code))
}

pub fn source_unresolved(what: &str) -> String {
    format!("出处 {what} 在知识库中找不到（或有同名文章），这一条未关联；其余照常导入。")
}

pub fn flagged_in_pool(ids: &[i32]) -> String {
    let list: Vec<String> = ids.iter().take(10).map(|id| format!("#{id}")).collect();
    let more = if ids.len() > 10 { "等" } else { "" };
    format!(
        "注意：本场考试的题目范围内有 {} 道待复核的题目（{}{more}）：出处文章有实质性修改，题目尚未复核。请在题库中复核，或从试卷中去掉。",
        ids.len(),
        list.join("、")
    )
}

pub fn home_flagged(bank: &str) -> String {
    format!("待复核题目（出处文章实质性修改）· {bank}")
}

pub fn home_questions(n: usize) -> String {
    format!("{n} 题")
}

// Practice (练习) and the 错题本.
pub const SETTING_PRACTICE_DAILY: &str = "每日一练题数";
pub const SETTING_PRACTICE_DAILY_HELP: &str =
    "营业员每天“每日一练”的题目数（1–50），从可练习题库和本人错题本中抽取。";
pub const PRACTICE_NONE_LEFT: &str =
    "暂时没有可练的题目了：今天练过的题明天再练，错题本清空或可练习题库有新题后再来。";
pub const PRACTICE_DAILY_DONE: &str = "今天的每日一练已完成，明天再来！";
pub const PRACTICE_NOT_DRAWABLE: &str = "这道题现在不能练习（可能正在考试中使用），请换一题。";
pub const PRACTICE_NO_ANSWER: &str = "请先作答再提交。";
pub fn practice_mode_label(mode: &str) -> &'static str {
    match mode {
        "book" => "错题本",
        "point" => "按知识点",
        _ => "每日一练",
    }
}
pub fn practice_streak(days: u32) -> String {
    format!("连续练习 {days} 天")
}
/// What the answer did to the 错题本: `was` in it before, `still` after.
pub fn practice_book_note(was: bool, still: bool, right: bool, n: usize) -> String {
    match (was, still, right) {
        (true, false, _) => format!("这道题已移出错题本（错题本还有 {n} 题）。"),
        (true, true, true) => format!("答对了：再在另一天答对一次即移出错题本（错题本还有 {n} 题）。"),
        (true, true, false) => {
            format!("仍在错题本中：在两个不同的日子各答对一次才会移出（错题本还有 {n} 题）。")
        }
        (false, _, _) => format!("错题本还有 {n} 题。"),
    }
}
pub const ACTION_BANK_PRACTICE: &str = "题库可练习设置";
pub fn bank_practice(bank: &str, open: bool) -> String {
    if open {
        format!("「{bank}」已设为可练习：营业员可在练习中抽到它的题目（月考仍需保密的未公开题除外）。")
    } else {
        format!("「{bank}」已取消可练习。")
    }
}
pub fn practice_origin(exam: &str, day: chrono::NaiveDate) -> String {
    format!("{day} 《{exam}》中答错")
}

// 补学.
pub const ACTION_REMEDIAL: &str = "安排补学";
pub const REMEDIAL_DUE: &str = "请填写不早于今天的截止日期（YYYY-MM-DD）。";
pub const REMEDIAL_CHANGED: &str = "预览之后名单已有变化，请重新预览后再确认。";
pub const REMEDIAL_NOTHING: &str =
    "没有需要补学的人员，或这些题还没有关联知识库出处（请培训师先在题库中关联）。";
pub fn audit_remedial(
    id: i32,
    kp: &str,
    month: crate::domain::Month,
    people: usize,
    articles: usize,
    due: chrono::NaiveDate,
) -> String {
    format!("补学 #{id}：{month} 月考知识点「{kp}」，{people} 人、{articles} 篇文章，{due} 截止")
}
pub fn remedial_done(people: usize, articles: usize, due: chrono::NaiveDate) -> String {
    format!("已安排补学：{people} 人各需阅读 {articles} 篇文章，{due} 截止，计入必读台账。")
}
pub const SETTING_CHARGE_REMEDIAL: &str = "补学必读计入扣款";
pub const SETTING_CHARGE_REMEDIAL_HELP: &str =
    "开启：补学文章与其他必读一样，逾期未读按条扣款；关闭：补学未读只列出、不扣款（台账中显示为已豁免）。";
pub const LEDGER_REMEDIAL_WAIVED: &str = "补学不扣款（系统设置）";
pub const LEDGER_REMEDIAL_MARK: &str = "【补学】";
pub fn remedial_phone_point(item: &str) -> String {
    format!("拨测·{item}")
}
pub const REMEDIAL_PHONE_GONE: &str = "这条建议已不存在（可能已安排过）。";
pub fn remedial_phone_done(clerk: &str, article: &str) -> String {
    format!("已为 {clerk} 安排补学《{article}》，一周后截止。")
}
pub fn audit_remedial_phone(call: i32, clerk: &str, article: &str) -> String {
    format!("拨测 #{call} 建议补学：{clerk} 阅读《{article}》")
}

// 营业厅巡检 (inspections) and 纠错单.
pub const INSPECT_STANDARD_SHIPPED: &str =
    "系统预置：省公司“零容忍”服务达标规范 30 项（业务能力、排队等候加权）";
pub const INSPECT_KIND_DAILY: &str = "日检";
pub const INSPECT_KIND_SPOT: &str = "市公司抽检";
pub const INSPECT_KIND_CROSS: &str = "交叉巡检";
pub const INSPECT_ZERO_SECTION: &str = "零容忍：不合格则本节不得分";
pub const INSPECT_ZERO_ALL: &str = "零容忍：不合格则本次巡检 0 分";
pub const INSPECT_NEEDS_QUEUE: &str = "还没有记录排队等候情况（最长等候分钟数和等候人数），或勾选“不适用”。";
pub const INSPECT_CONTINUED: &str = "继续今天未提交的日检。";
pub const INSPECT_STARTED: &str = "已开始巡检：逐项选择合格 / 不合格 / 不适用，每项选后自动保存。";
pub const INSPECT_ALREADY_SUBMITTED: &str = "这次巡检已提交，不能再修改。";
pub const INSPECT_NO_SUCH_ITEM: &str = "巡检标准中没有这一项。";
pub const INSPECT_ITEM_SAVED: &str = "已保存。";
pub const INSPECT_PHOTO_HEIC: &str =
    "这是 HEIC 格式的照片，系统无法显示。请在本页直接拍照上传（浏览器会自动转为 JPEG），或在手机相机设置中选择“兼容性最佳”后重拍。";
pub const INSPECT_PHOTO_NOT_IMAGE: &str = "上传的文件不是照片（只接受 JPEG、PNG、WebP 图片）。";
pub const INSPECT_PHOTO_UNREADABLE: &str = "照片已损坏或尺寸过大，无法读取，请重新拍摄。";
pub const INSPECT_PHOTO_DELETED: &str = "已删除照片。";
pub const INSPECT_QUEUE_INVALID: &str = "请填写最长等候时间（0–600 分钟）和等候人数（0–500 人），均为整数。";
pub const ORDER_OPEN: &str = "待整改";
pub const ORDER_REPLIED: &str = "待验收";
pub const ORDER_RETURNED: &str = "已退回";
pub const ORDER_CLOSED: &str = "已关闭";

pub fn inspect_unanswered(n: usize, names: &str) -> String {
    format!("还有 {n} 项没有检查：{names}")
}

pub fn inspect_needs_photo(names: &str) -> String {
    format!("以下不合格项要求拍照，还没有照片：{names}")
}

pub fn inspect_band(minutes: i64, percent: i64) -> String {
    format!("≤{minutes} 分钟得 {percent}%")
}

pub fn inspect_bands(bands: &str) -> String {
    format!("按最长等候时间计分：{bands}，超过则不得分。")
}

pub fn inspect_photo_limit(n: usize) -> String {
    format!("每项最多 {n} 张照片，请先删除不需要的。")
}

pub fn audit_inspection(id: i32, kind: &str, hall: &str) -> String {
    format!("巡检 #{id}（{kind}）{hall}")
}

pub fn audit_inspection_submitted(id: i32, score: &str, failed: usize) -> String {
    format!("巡检 #{id} 提交：{score} 分，不合格 {failed} 项")
}

pub fn inspect_submitted(score: &str, failed: usize, zero: usize) -> String {
    if zero > 0 {
        format!("已提交：{score} 分，不合格 {failed} 项，其中零容忍 {zero} 项。不合格项已记入缺陷库。")
    } else if failed > 0 {
        format!("已提交：{score} 分，不合格 {failed} 项，已记入缺陷库。")
    } else {
        format!("已提交：{score} 分，全部合格。")
    }
}
pub const SETTING_INSPECT_DAILY: &str = "每厅每日日检次数";
pub const SETTING_INSPECT_DAILY_HELP: &str =
    "日检制：厅经理（或代班班长）每天至少完成的日检次数；少于此数的日子在日检达标页列为缺检。";
pub const SETTING_INSPECT_SPOT: &str = "市公司每月抽检厅数";
pub const SETTING_INSPECT_SPOT_HELP: &str =
    "月抽检制：每月抽检计划随机提出的营业厅数，近期未被抽检的厅优先。";
pub const SETTING_ORDER_ESCALATE: &str = "纠错单逾期升级天数";
pub const SETTING_ORDER_ESCALATE_HELP: &str =
    "纠错单逾期后先提示县分公司主管；逾期超过此天数仍未整改的，再提示市公司。";
pub const INSPECT_STANDARD_EMPTY: &str = "巡检标准至少要有一项。";
pub const INSPECT_STANDARD_QUEUE: &str = "巡检标准必须有且只有一项“按等候时间计分”的排队项目。";
pub const INSPECT_STANDARD_BANDS: &str =
    "排队计分档次：分钟数须从小到大、互不相同，得分比例在 0–100 之间，至少一档。";

pub fn inspect_standard_sum(sum: &str) -> String {
    format!("各项分值合计须为 100 分，现在是 {sum} 分。")
}

pub fn inspect_standard_bad_item(name: &str) -> String {
    format!("项目“{name}”不完整：编号、分节、名称都要填，分值为不小于 0 的数（最多两位小数）；排队项目不能设零容忍。")
}

pub fn inspect_standard_duplicate(code: &str) -> String {
    format!("编号 {code} 重复。")
}

pub fn audit_inspect_standard(version: i32, note: &str) -> String {
    format!("巡检标准第 {version} 版：{note}")
}

pub fn inspect_standard_saved(version: i32) -> String {
    format!("已保存为巡检标准第 {version} 版；此后开始的巡检按新版本评分，已开始的巡检仍按原版本。")
}
pub const NAV_GROUP_SERVICE: &str = "服务管理";
pub const NAV_INSPECTIONS: &str = "营业厅巡检";
pub const ORDER_DUE_INVALID: &str = "整改期限须是今天或以后的日期。";
pub const ORDER_NOT_FOR_THIS: &str =
    "只有已提交的市公司抽检和交叉巡检才能下发纠错单（日检的问题由厅内自行整改）。";
pub const ORDER_EXISTS: &str = "这次巡检已经下发过纠错单。";
pub const ORDER_NOTHING_FAILED: &str = "这次巡检没有不合格项，无需下发纠错单。";
pub const ORDER_ISSUED: &str = "纠错单已下发，营业厅整改后在本页反馈。";
pub const ORDER_NOT_AWAITING_REPLY: &str = "这张纠错单不在待整改状态。";
pub const ORDER_REPLY_EMPTY: &str = "请写明整改情况（做了什么、何时完成）。";
pub const ORDER_REPLY_SAVED: &str = "整改反馈已提交，等待检查人验收。";
pub const ORDER_NOT_REPLIED: &str = "营业厅还没有反馈整改情况，不能验收。";
pub const ORDER_RETURN_NEEDS_REASON: &str = "退回时请写明原因。";
pub const ORDER_CLOSED_DONE: &str = "已验收关闭，相关缺陷已销项。";
pub const ORDER_RETURNED_DONE: &str = "已退回营业厅重新整改。";

pub fn order_action(action: &str) -> &'static str {
    match action {
        "issued" => "下发",
        "replied" => "整改反馈",
        "returned" => "退回",
        "closed" => "验收关闭",
        _ => "其他",
    }
}

pub fn audit_order(id: i32, step: &str, hall: &str) -> String {
    format!("纠错单 #{id} {step}：{hall}")
}
pub const INSPECT_NEVER_VISITED: &str = "从未抽检";
pub const ROUND_ALREADY_PUBLISHED: &str = "本月计划已发布，不能再调整。";
pub const ROUND_NO_LEADERS: &str = "没有县分公司的营业班长可以安排交叉巡检（请先在人员名单中设置班长）。";
pub const ROUND_OWN_COUNTY: &str = "交叉巡检不能安排检查本县的营业厅，请选其他县的班长。";
pub const ROUND_UNASSIGNED: &str = "还有营业厅没有安排检查人，不能发布。";
pub const ROUND_PUBLISHED: &str =
    "已发布：市公司检查人在“营业厅巡检”页看到本月抽检任务；抽检不提前通知营业厅。";
pub const ROUND_PUBLISHED_CROSS: &str = "已发布：各班长在“营业厅巡检”页只看到分配给自己的营业厅。";
pub const INSPECT_ANY_CITY_INSPECTOR: &str = "市公司任一检查人";

pub fn inspect_days_ago(days: i64) -> String {
    format!("{days} 天前")
}

pub fn round_drawn(cross: bool, n: usize) -> String {
    if cross {
        format!("已生成草稿：{n} 家营业厅。可逐厅更换检查人，确认后发布。")
    } else {
        format!("已生成草稿：{n} 家营业厅。不满意可重新随机生成，确认后发布。")
    }
}

pub fn audit_round(id: i32, kind: &str, month: crate::domain::Month, n: usize) -> String {
    if n > 0 {
        format!("{month} {kind}计划 #{id}：{n} 家营业厅")
    } else {
        format!("{month} {kind}计划 #{id} 发布")
    }
}

pub fn audit_reassign(id: i32, hall: &str) -> String {
    format!("巡检任务 #{id}（{hall}）更换检查人")
}

pub fn inspect_heat_tip(hall: &str, code: &str, item: &str, n: i64) -> String {
    format!("{hall} · {code} {item}：不合格 {n} 次")
}
pub const NAV_ORDERS: &str = "纠错单";

pub fn inspect_heat_title(month: crate::domain::Month) -> String {
    format!("{month} 各厅不合格项热力图（营业厅 × 巡检项目）")
}

pub fn inspect_missed_day(day: chrono::NaiveDate, n: i64) -> String {
    format!("{}（{n} 次）", day.format("%m-%d"))
}
pub const INSPECT_REPORT_SHEET: &str = "巡检月报";
pub const INSPECT_REPORT_TOTAL: &str = "合计";

pub fn inspect_report_title(month: crate::domain::Month, scope: &str) -> String {
    format!("{month} 营业厅巡检月报 · {scope}")
}
pub const INSPECT_TREND_TITLE: &str = "近 12 个月营业厅巡检平均得分（全市为虚线）";
pub const HOME_ORDERS_OVERDUE: &str = "逾期未整改的纠错单";
pub const HOME_DAILY_CHECKS: &str = "今日日检";
pub const HOME_ORDERS_TO_RECTIFY: &str = "待整改的纠错单";

pub fn remedial_exists(id: i32) -> String {
    format!("这个薄弱点已经安排过补学（#{id}），不再重复安排；请在“补学与效果”中查看。")
}
pub const FLAG_NOT_EDITED: &str =
    "这道题在标记待复核之后没有修改过：请先修改并保存题目，再选“已修改”；不需要修改请选“保留”。";

pub fn source_heading_unknown(typed: &str, headings: &[String]) -> String {
    if headings.is_empty() {
        format!("这篇文章没有小节标题，无法链接到「{typed}」；请清空小节，链接整篇文章。")
    } else {
        format!("文章中没有唯一对应「{typed}」的小节。可选：{}", headings.join("；"))
    }
}

pub fn round_choice(name: &str, county: &str, load: usize) -> String {
    format!("{name}（{county}，已安排 {load} 家）")
}

// ---- Customer satisfaction (issue 25) ----

pub fn satisfaction_missing_columns(columns: &[String]) -> String {
    format!("缺少列：{}。请使用模板的表头（常见的别名也能识别，见导入页说明）。", columns.join("、"))
}
pub fn satisfaction_bad_when(text: &str) -> String {
    format!("回复时间「{text}」无法识别，请写成 2026-11-05 10:30。")
}
pub fn satisfaction_outside_month(text: &str, month: Month) -> String {
    format!("回复时间「{text}」不在导入月份 {month} 内。")
}
pub fn satisfaction_future(text: &str) -> String {
    format!("回复时间「{text}」在将来。")
}
pub fn satisfaction_unknown_hall(name: &str) -> String {
    if name.is_empty() {
        "营业厅为空。".into()
    } else {
        format!("营业厅「{name}」不存在或已停用，请核对名称。")
    }
}
pub fn satisfaction_clerk_unknown(no: &str) -> String {
    format!("工号 {no} 不存在；不知道工号请留空。")
}
pub fn satisfaction_clerk_inactive(no: &str, name: &str) -> String {
    format!("工号 {no}（{name}）已停用。")
}
pub fn satisfaction_clerk_other_hall(no: &str, name: &str, hall: &str) -> String {
    format!("工号 {no}（{name}）不在「{hall}」工作。")
}
pub const SATISFACTION_RATING_EMPTY: &str = "评价为空：应为 满意 / 一般 / 不满意，或 1–10 分。";
pub fn satisfaction_rating_unknown(text: &str) -> String {
    format!("评价「{text}」无法识别：应为 满意 / 一般 / 不满意，或 1–10 的整数分。")
}
pub fn satisfaction_duplicate(line: usize) -> String {
    format!("与第 {line} 行重复。")
}
pub const SATISFACTION_ALREADY_STORED: &str = "这条回复已经导入过。";
pub fn satisfaction_bad_rate(text: &str) -> String {
    format!("满意率「{text}」无法识别：应为 96.5%、96.5 或 0.965，且不超过 100%。")
}
pub fn satisfaction_bad_count(text: &str) -> String {
    format!("样本量「{text}」应为正整数，或留空。")
}
pub const SETTING_SATISFIED_FROM: &str = "短信评价：几分及以上算满意";
pub const SETTING_SATISFIED_FROM_HELP: &str =
    "十分制回复中，达到这个分数算“满意”（常见为 9–10 分，也有 8–10 分）；“满意/一般/不满意”只有“满意”算满意。";
pub const SETTING_360_THRESHOLD: &str = "360 评价：同事、下属至少几人作答才显示";
pub const SETTING_360_THRESHOLD_HELP: &str =
    "同事组、下属组作答人数不到这个数时，该组结果整组不显示，也不计入总分，以保护匿名；最低 3。";
pub fn audit_satisfaction_replies(month: Month, n: usize) -> String {
    format!("导入 {month} 短信评价回复 {n} 条")
}
pub fn audit_satisfaction_rates(month: Month, n: usize) -> String {
    format!("导入 {month} 单厅满意率 {n} 个营业厅")
}
pub fn satisfaction_replies_done(month: Month, n: usize) -> String {
    format!("已导入 {month} 短信评价回复 {n} 条。")
}
pub fn satisfaction_rates_done(month: Month, n: usize) -> String {
    format!("已导入 {month} 单厅满意率 {n} 个营业厅。")
}
pub const NAV_SATISFACTION: &str = "客户满意度";

// ---- The 100-point evaluation (issue 25) ----

pub const EVAL_ROLE_CLERK: &str = "营业员";
pub const EVAL_ROLE_TEAM_LEADER: &str = "营业班长";
pub const EVAL_SCHEME_DEFAULT_NOTE: &str = "系统预置方案";
pub const EVAL_FORMULA_RATED_VETO: &str = "由厅经理认定；认定违反则本月总分为 0（一票否决）";
pub fn eval_formula_rated(max: &str) -> String {
    format!("由厅经理评分（0–{max} 分，低于满分须写明理由）")
}
pub fn eval_formula_veto(metric: &str) -> String {
    format!("{metric}大于 0 即一票否决，本月总分为 0")
}
pub fn eval_formula_linear(metric: &str, zero_at: &str, full_at: &str, max: &str) -> String {
    format!(
        "{metric}：{zero_at} 及以下得 0 分，{full_at} 及以上得满分 {max} 分，之间按比例（四舍五入到 0.01）"
    )
}
pub fn eval_formula_bands(metric: &str, steps: &str, max: &str) -> String {
    format!("{metric}：{steps}（满分 {max} 分），低于最低档得 0 分")
}
pub fn eval_scheme_line(line: usize, what: &str) -> String {
    format!("第 {line} 行：{what}")
}
pub fn eval_scheme_sum(sum: &str) -> String {
    format!("各项分值合计 {sum} 分，应为 100 分。")
}
pub fn eval_scheme_duplicate(code: &str) -> String {
    format!("代码 {code} 出现了两次。")
}
pub fn eval_scheme_bad(label: &str) -> String {
    format!("“{label}”缺少代码或名称，或分值为负。")
}
pub fn eval_scheme_metric(metric: &str) -> String {
    format!("没有名为「{metric}」的测量指标。")
}
pub const EVAL_SCHEME_CELLS: &str = "每行至少四栏：代码 | 名称 | 分值 | 来源（评分，或 测量:指标）。";
pub const EVAL_SCHEME_CODE: &str = "代码只能用英文字母、数字和下划线。";
pub const EVAL_SCHEME_POINTS: &str = "分值应为不超过两位小数的非负数。";
pub const EVAL_SCHEME_MAPPING: &str = "换算应写成“线性 零分线 满分线”或“分档 门槛:得分% …”。";
pub const EVAL_ABSENT: &str = "缺考（0 分）";

// ---- 360-degree evaluation (issue 25) ----

pub const R360_SUPERIOR: &str = "直接上级";
pub const R360_PEER: &str = "同事（本县其他班长）";
pub const R360_SUBORDINATE: &str = "下属（本厅营业员）";
pub const R360_DRAFT: &str = "草稿（调整评价人）";
pub const R360_OPEN: &str = "进行中";
pub const R360_CLOSED: &str = "已结束";
pub const R360_NOT_DRAFT: &str = "这一轮已经开始，不能再调整评价人。";
pub const R360_NOT_OPEN: &str = "这一轮评价现在不接受作答。";
pub const R360_NOT_RATER: &str = "你不是这位班长本轮的评价人。";
pub const R360_ALREADY: &str = "你已经提交过这份评价，提交后不能修改。";
pub const R360_BAD_SCORES: &str = "每一项都要选 1–5 分。";
pub const R360_SELF: &str = "不能评价自己。";
pub const R360_NO_LEADERS: &str = "没有在岗的营业班长，无法建立评价轮次。";
pub const R360_TITLE: &str = "请填写轮次名称。";
pub const EVAL_ALREADY_CLOSED: &str = "这个月的百分制评价已经关账。";
pub const EVAL_NOT_CLOSED: &str = "这个月的百分制评价没有关账。";
pub const EVAL_REASON_REQUIRED: &str = "重新开账须写明理由。";
pub const EVAL_CLOSE_CITY_ONLY: &str = "只有市公司主管或系统管理员可以关账（关账冻结全市的评价）。";
pub const APPEAL_OPEN: &str = "待处理";
pub const APPEAL_UPHELD: &str = "已采纳（已改分）";
pub const APPEAL_REJECTED: &str = "已驳回";
pub fn eval_month_closed(month: Month) -> String {
    format!("{month} 的百分制评价已关账，不能再修改；如确有错误，请系统管理员写明理由重新开账。")
}
pub const EVAL_UNKNOWN_COMPONENT: &str = "评价方案中没有这一项。";
pub const EVAL_NOT_RATED: &str = "这一项由系统按数据计算，不能人工评分。";
pub fn eval_reason_required(label: &str) -> String {
    format!("“{label}”低于满分（或认定违反），须写明理由，被评价人会看到。")
}
pub fn eval_points_range(label: &str) -> String {
    format!("“{label}”的得分超出范围。")
}
pub const APPEAL_ALREADY_OPEN: &str = "这一项本月已经申诉过（每项每月一次，处理结果即为最终结果）。";
pub const APPEAL_NOTHING: &str = "这一项是满分（或未认定违反），没有可申诉的内容。";
pub const APPEAL_REASON_REQUIRED: &str = "请写明申诉理由。";
pub const APPEAL_ALREADY_ANSWERED: &str = "这条申诉已经处理过。";
pub const APPEAL_ANSWER_REQUIRED: &str = "请写明处理意见（采纳的改分依据或驳回理由）。";
pub const APPEAL_NOT_YOURS: &str = "这个月没有你的评价。";
pub const EVAL_BREACHED: &str = "认定违反";
pub const EVAL_NOT_BREACHED: &str = "未认定违反";
pub fn eval_rated(points: &str) -> String {
    format!("厅经理评 {points} 分")
}
pub fn eval_close_appeals_open(n: usize) -> String {
    format!("还有 {n} 条申诉待处理，处理完才能关账。")
}
pub fn audit_eval_close(month: Month, n: usize) -> String {
    format!("{month} 百分制评价关账，{n} 人")
}
pub fn eval_closed(month: Month, n: usize) -> String {
    format!("{month} 的百分制评价已关账（{n} 人），数字已冻结。")
}
pub fn audit_eval_reopen(month: Month, reason: &str) -> String {
    format!("{month} 百分制评价重新开账：{reason}")
}
pub fn eval_reopened(month: Month) -> String {
    format!("{month} 的百分制评价已重新开账，页面按最新数据计算，并列出与关账时的差异。")
}
pub const EVAL_MISSING_RESCALE: &str =
    "缺数据的项目（如本月没有拨测）不计入：总分 = 有数据各项得分之和 ÷ 这些项目满分之和 × 100。";
pub const EVAL_MISSING_ZERO: &str = "缺数据的项目（如本月没有拨测）记 0 分。";
pub const EVAL_EXPORT_CLOSED: &str = "已关账";
pub const EVAL_EXPORT_LIVE: &str = "未关账，导出时数据";
pub const EVAL_EXPORT_FORMULAS: &str = "计算方法";
pub fn eval_export_title(month: Month, role: &str, version: i32, state: &str) -> String {
    format!("{month} 百分制评价 · {role} · 方案第 {version} 版 · {state}")
}
pub fn cli_eval_bad_role(role: &str) -> String {
    format!("--role 应为 clerk 或 team-leader，而不是「{role}」。")
}
pub fn audit_eval_rate(month: Month, name: &str, n: usize) -> String {
    format!("{month} 百分制评价：为 {name} 评分 {n} 项")
}
pub fn eval_rated_done(name: &str) -> String {
    format!("已保存 {name} 的评分。")
}
pub const APPEAL_FILED: &str = "申诉已提交，主管处理后会在本页显示结果。";
pub const APPEAL_NEW_POINTS: &str = "采纳申诉须填写改后的得分。";
pub fn audit_appeal_filed(id: i32, month: Month, component: &str, reason: &str) -> String {
    format!("申诉 #{id}（{month}，{component}）：{reason}")
}
pub fn audit_appeal_answered(
    id: i32,
    name: &str,
    status: &str,
    points: Option<&str>,
    answer: &str,
) -> String {
    match points {
        Some(p) => format!("申诉 #{id}（{name}）{status}，改为 {p} 分：{answer}"),
        None => format!("申诉 #{id}（{name}）{status}：{answer}"),
    }
}
pub fn appeal_answered(status: &str) -> String {
    format!("申诉已处理：{status}。")
}
pub const EVAL_SCHEME_EDITED: &str = "管理员修改";
pub fn audit_eval_scheme(role: &str, version: i32, note: &str) -> String {
    format!("{role}评价方案第 {version} 版：{note}")
}
pub fn eval_scheme_saved(role: &str, version: i32) -> String {
    format!("{role}评价方案已保存为第 {version} 版；未关账的月份按新方案计算，已关账的月份不变。")
}
pub const NAV_EVALUATION: &str = "百分制评价";
pub const NAV_MY_EVALUATION: &str = "我的评价";
pub const NAV_REVIEW360_MINE: &str = "360 评价问卷";
pub const NAV_REVIEW360: &str = "360 评价轮次";
pub fn audit_r360(id: i32, title: &str, what: &str) -> String {
    format!("360 评价轮次 #{id}（{title}）：{what}")
}
pub fn audit_r360_rater(id: i32, leader: i32, rater: &str, perspective: &str) -> String {
    format!("360 评价轮次 #{id}：为班长 #{leader} 加入评价人 {rater}（{perspective}）")
}
pub fn r360_unknown_staff(no: &str) -> String {
    format!("工号 {no} 不存在或已停用。")
}
pub fn r360_rater_added(name: &str) -> String {
    format!("已加入评价人 {name}。")
}
pub const R360_CREATED: &str = "已建立评价轮次，评价人已按组织架构自动分配；请核对调整后再开始。";
pub const R360_RATER_REMOVED: &str = "已移除评价人。";
pub const R360_OPENED: &str = "评价已开始：评价人在“360 评价问卷”中看到待填问卷。";
pub const R360_CLOSED_DONE: &str = "评价已结束：结果按组显示，不足人数的组不显示。";
pub const R360_THANKS: &str = "问卷已提交，谢谢！";
pub const HOME_EVALUATION: &str = "百分制评价";
pub const HOME_OPEN: &str = "查看";
pub const HOME_360_PENDING: &str = "待填的 360 评价问卷";
pub fn home_my_evaluation(month: Month) -> String {
    format!("我的 {month} 评价")
}
pub fn home_unrated(month: Month) -> String {
    format!("{month} 待评分人数")
}
pub fn home_appeals(month: Month) -> String {
    format!("{month} 待处理申诉")
}
pub const R360_HIDDEN: &str = "不显示";
pub const EVAL_BAD_MONTH: &str = "月份格式应为 YYYY-MM，例如 2026-11。";
pub const EVAL_FUTURE_MONTH: &str = "这个月还没有到，没有评价可看。";
pub fn eval_scheme_too_many(n: usize) -> String {
    format!("方案有 {n} 项，最多 20 项。")
}
pub fn eval_bad_number(text: &str) -> String {
    format!("「{text}」不是有效的分数：请填写不超过两位小数的非负数。")
}
pub fn appeal_must_raise(before: &str) -> String {
    format!("采纳申诉应给出高于原得分（{before}）的分数；不改分请选“驳回”并写明理由。")
}
pub fn eval_outside_window(month: Month, window: usize) -> String {
    format!("{month} 不在评分和申诉期内：只能对已结束、且在最近 {window} 个月内的月份评分或申诉。")
}
pub const R360_WRONG_PERSPECTIVE: &str =
    "这个人不能从这个角度评价：直接上级须为厅经理或主管（只有一位，加入即替换），同事须为营业班长，下属须为该班长本厅的营业员。";
pub fn r360_month_taken(month: Month) -> String {
    format!("{month} 已经有一轮 360 评价；每个月的百分制评价只采用一轮结果。")
}
pub const AUTOVACUUM_OFF: &str =
    "警告：PostgreSQL 的 autovacuum 已关闭。答题记录表每次点击都会更新，不清理会膨胀、统计信息过期，考试日会越来越慢；请打开 autovacuum（见 docs/DEPLOY.md）。";
