//! The message catalog: every user-facing string that originates in Rust code
//! (templates hold the rest). Keeping them here lets an English catalog be added later.

pub const NOT_FOUND: &str = "页面不存在或已被删除。";
pub const FORBIDDEN: &str = "您没有权限访问此页面。";
pub const LOGIN_REQUIRED: &str = "请先登录。";
pub const CSRF: &str = "表单已过期或来源无效，请刷新页面后重试。";
pub const BUSY: &str = "系统繁忙，请稍候几秒再试。";
pub const DB_BUSY: &str = "数据库正忙，请稍后重试。";
pub const INTERNAL: &str = "服务器内部错误，请稍后重试或联系管理员。";

pub const LOGIN_FAILED: &str = "用户名或密码错误。";
pub const LOGIN_LOCKED: &str = "登录失败次数过多，请稍后再试。";
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

pub const SAVED: &str = "已保存。";
