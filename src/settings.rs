//! Site settings an admin changes in the browser. Each setting's key, label
//! and default live here; the `settings` table holds only values an admin
//! changed, so a missing row means the default.

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::db::{now, write, Conn};
use crate::schema::settings;
use crate::web::msg;
use crate::web::{client_ip, redirect, AppResult, Ctx};
use crate::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 开 / 关.
    Switch,
    /// A whole number within bounds.
    Number { min: i64, max: i64 },
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Setting {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub kind: Kind,
    pub default: &'static str,
}

/// DESIGN §4 rule 3: absent county clerks are flagged as 缺考.
pub const FLAG_ABSENT: Setting = Setting {
    key: "review.flag_absent",
    label: msg::SETTING_FLAG_ABSENT,
    help: msg::SETTING_FLAG_ABSENT_HELP,
    kind: Kind::Switch,
    default: "1",
};

/// Rule 5: the minimum reading time is the length at this speed…
pub const KB_CHARS_PER_MINUTE: Setting = Setting {
    key: "kb.chars_per_minute",
    label: msg::SETTING_KB_SPEED,
    help: msg::SETTING_KB_SPEED_HELP,
    kind: Kind::Number { min: 50, max: 5000 },
    default: "500",
};

/// …and never less than this many seconds.
pub const KB_MIN_SECONDS: Setting = Setting {
    key: "kb.min_seconds",
    label: msg::SETTING_KB_FLOOR,
    help: msg::SETTING_KB_FLOOR_HELP,
    kind: Kind::Number { min: 0, max: 3600 },
    default: "20",
};

/// Rule 6: yuan docked per unread mandatory item.
pub const KB_PENALTY_YUAN: Setting = Setting {
    key: "kb.penalty_yuan",
    label: msg::SETTING_KB_RATE,
    help: msg::SETTING_KB_RATE_HELP,
    kind: Kind::Number { min: 0, max: 1000 },
    default: "10",
};

/// Rule 8: a hall's organised study per month, in minutes (5 hours).
pub const STUDY_TARGET_MINUTES: Setting = Setting {
    key: "training.study_target_minutes",
    label: msg::SETTING_STUDY_TARGET,
    help: msg::SETTING_STUDY_TARGET_HELP,
    kind: Kind::Number { min: 0, max: 10_000 },
    default: "300",
};

/// Whether an unread 补学 item is docked like any mandatory item (rule 6).
pub const KB_CHARGE_REMEDIAL: Setting = Setting {
    key: "kb.charge_remedial",
    label: msg::SETTING_CHARGE_REMEDIAL,
    help: msg::SETTING_CHARGE_REMEDIAL_HELP,
    kind: Kind::Switch,
    default: "1",
};

/// 每日一练: questions in a clerk's daily set.
pub const PRACTICE_DAILY: Setting = Setting {
    key: "practice.daily",
    label: msg::SETTING_PRACTICE_DAILY,
    help: msg::SETTING_PRACTICE_DAILY_HELP,
    kind: Kind::Number { min: 1, max: 50 },
    default: "5",
};

/// 日检制: daily checks each hall must make per day.
pub const INSPECT_DAILY_REQUIRED: Setting = Setting {
    key: "inspect.daily_required",
    label: msg::SETTING_INSPECT_DAILY,
    help: msg::SETTING_INSPECT_DAILY_HELP,
    kind: Kind::Number { min: 1, max: 10 },
    default: "2",
};

/// 月抽检制: halls the city spot-checks per month.
pub const INSPECT_SPOT_HALLS: Setting = Setting {
    key: "inspect.spot_halls",
    label: msg::SETTING_INSPECT_SPOT,
    help: msg::SETTING_INSPECT_SPOT_HELP,
    kind: Kind::Number { min: 1, max: 50 },
    default: "3",
};

/// Days an overdue 纠错单 stays with the county supervisor before the city office is told.
pub const ORDER_CITY_AFTER_DAYS: Setting = Setting {
    key: "inspect.escalate_days",
    label: msg::SETTING_ORDER_ESCALATE,
    help: msg::SETTING_ORDER_ESCALATE_HELP,
    kind: Kind::Number { min: 1, max: 60 },
    default: "3",
};

/// Satisfaction: a 1–10 score from this counts as satisfied (carriers count 9–10, some 8–10).
pub const SATISFIED_FROM: Setting = Setting {
    key: "satisfaction.satisfied_from",
    label: msg::SETTING_SATISFIED_FROM,
    help: msg::SETTING_SATISFIED_FROM_HELP,
    kind: Kind::Number { min: 6, max: 10 },
    default: "9",
};

/// 360: the fewest answers a peer or subordinate group needs before it is shown (never below 3).
pub const THREE_SIXTY_THRESHOLD: Setting = Setting {
    key: "review360.threshold",
    label: msg::SETTING_360_THRESHOLD,
    help: msg::SETTING_360_THRESHOLD_HELP,
    kind: Kind::Number { min: 3, max: 20 },
    default: "3",
};

/// Every setting, in the order the admin page lists them.
pub const ALL: &[Setting] = &[
    FLAG_ABSENT,
    KB_CHARS_PER_MINUTE,
    KB_MIN_SECONDS,
    KB_PENALTY_YUAN,
    KB_CHARGE_REMEDIAL,
    STUDY_TARGET_MINUTES,
    PRACTICE_DAILY,
    INSPECT_DAILY_REQUIRED,
    INSPECT_SPOT_HALLS,
    ORDER_CITY_AFTER_DAYS,
    SATISFIED_FROM,
    THREE_SIXTY_THRESHOLD,
];

/// Checks and normalises a value typed for `setting`; the message says what is wrong.
pub fn check(setting: &Setting, value: &str) -> Result<String, String> {
    let value = value.trim();
    match setting.kind {
        Kind::Switch => match value {
            "1" | "on" | "true" => Ok("1".into()),
            "0" | "off" | "false" | "" => Ok("0".into()),
            _ => Err(msg::setting_invalid(setting.label)),
        },
        Kind::Number { min, max } => match value.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
            _ => Err(msg::setting_out_of_range(setting.label, min, max)),
        },
    }
}

/// The stored value, or the default.
pub fn value(conn: &mut Conn, setting: &Setting) -> QueryResult<String> {
    let stored: Option<String> =
        settings::table.find(setting.key).select(settings::value).get_result(conn).optional()?;
    Ok(stored.unwrap_or_else(|| setting.default.to_string()))
}

pub fn switch(conn: &mut Conn, setting: &Setting) -> QueryResult<bool> {
    Ok(value(conn, setting)? == "1")
}

pub fn number(conn: &mut Conn, setting: &Setting) -> QueryResult<i64> {
    let v = value(conn, setting)?;
    Ok(v.parse().unwrap_or_else(|_| setting.default.parse().unwrap_or(0)))
}

/// Stores an already checked value.
pub fn store(conn: &mut Conn, setting: &Setting, value: &str, by: i32) -> QueryResult<()> {
    diesel::delete(settings::table.find(setting.key)).execute(conn)?;
    diesel::insert_into(settings::table)
        .values((
            settings::key.eq(setting.key),
            settings::value.eq(value),
            settings::updated_by.eq(Some(by)),
            settings::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find(key: &str) -> Option<&'static Setting> {
    ALL.iter().find(|s| s.key == key)
}

/// For `copy-db`.
pub fn copy(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    type Row = (String, String, Option<i32>, chrono::NaiveDateTime);
    let rows: Vec<Row> = settings::table.order(settings::key).load(from)?;
    for (key, value, by, at) in rows {
        diesel::insert_into(settings::table)
            .values((
                settings::key.eq(key),
                settings::value.eq(value),
                settings::updated_by.eq(by),
                settings::updated_at.eq(at),
            ))
            .execute(to)?;
    }
    Ok(())
}

/// One setting as the admin page shows it.
#[derive(Serialize)]
struct Shown {
    setting: Setting,
    value: String,
    error: Option<String>,
}

/// GET /admin/settings.
pub async fn page(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let shown = state
        .db(|conn| {
            ALL.iter()
                .map(|s| Ok(Shown { setting: *s, value: value(conn, s)?, error: None }))
                .collect::<QueryResult<Vec<_>>>()
                .map_err(Into::into)
        })
        .await?;
    render(&ctx, shown)
}

fn render(ctx: &Ctx, shown: Vec<Shown>) -> AppResult<HttpResponse> {
    let mut c = Context::new();
    c.insert("settings", &shown);
    ctx.render("settings/index.html", c)
}

/// POST /admin/settings: every setting of the form, checked first; nothing is
/// stored unless all are valid. Each change is audited.
pub async fn save(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (actor, ip) = (ctx.user()?.id, client_ip(&req));
    let fields = form.into_inner();
    let posted = |key: &str| fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    // A switch left unticked is not sent at all: that means off. A number
    // not sent is left as it is.
    let checked: Vec<(Setting, String, Result<String, String>)> = ALL
        .iter()
        .filter(|s| s.kind == Kind::Switch || posted(s.key).is_some())
        .map(|s| {
            let raw = posted(s.key).unwrap_or_default();
            (*s, raw.clone(), check(s, &raw))
        })
        .collect();
    if checked.iter().any(|(_, _, r)| r.is_err()) {
        let shown = checked
            .into_iter()
            .map(|(setting, raw, r)| Shown { setting, value: raw, error: r.err() })
            .collect();
        return render(&ctx, shown);
    }
    state
        .db(move |conn| {
            write(conn, |conn| {
                for (s, _, r) in &checked {
                    let new = r.clone().unwrap_or_default();
                    let old = value(conn, s)?;
                    if old != new {
                        store(conn, s, &new, actor)?;
                        crate::audit::record(
                            conn,
                            Some(actor),
                            "setting_changed",
                            &msg::audit_setting(s.key, &old, &new),
                            &ip,
                        )?;
                    }
                }
                Ok(())
            })
        })
        .await?;
    ctx.flash("success", msg::SETTINGS_SAVED);
    Ok(redirect("/admin/settings"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked() {
        let n = Setting { kind: Kind::Number { min: 1, max: 100 }, ..FLAG_ABSENT };
        let cases: [(&Setting, &str, Result<&str, ()>); 8] = [
            (&FLAG_ABSENT, "1", Ok("1")),
            (&FLAG_ABSENT, "on", Ok("1")),
            (&FLAG_ABSENT, "", Ok("0")),
            (&FLAG_ABSENT, "maybe", Err(())),
            (&n, " 10 ", Ok("10")),
            (&n, "0", Err(())),
            (&n, "101", Err(())),
            (&n, "十", Err(())),
        ];
        for (s, input, want) in cases {
            assert_eq!(check(s, input).map_err(|_| ()), want.map(String::from), "{input:?}");
        }
    }
}
