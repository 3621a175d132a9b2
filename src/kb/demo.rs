//! Demo knowledge base: the articles of `src/kb/demo/` (written for the demo
//! city), the mandatory ones assigned to every clerk and team leader with due
//! dates in the two months before this one and in this one, one material
//! change read again, and reading evidence with a realistic mix of on-time,
//! late and unread.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::{Article, Assignment, Checked, Reading, Version};
use super::rules;
use crate::db::Conn;
use crate::exam::model::{Audience, Tree};
use crate::exam::paper::SplitMix64;
use crate::schema::{readings, role_assignments, users};

static ARTICLES: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/src/kb/demo");

/// One demo article file: front matter and body.
pub struct DemoArticle {
    pub title: String,
    pub category: String,
    pub tags: Vec<String>,
    pub effective: NaiveDate,
    pub mandatory: bool,
    pub body: String,
}

/// Parses the `---` front matter (title, category, tags, effective, mandatory).
pub fn parse(text: &str) -> Option<DemoArticle> {
    let rest = text.strip_prefix("---\n")?;
    let (head, body) = rest.split_once("\n---\n")?;
    let field = |name: &str| {
        head.lines().find_map(|l| {
            l.strip_prefix(name).and_then(|v| v.strip_prefix(':')).map(|v| v.trim().to_string())
        })
    };
    Some(DemoArticle {
        title: field("title")?,
        category: field("category")?,
        tags: rules::parse_tags(&field("tags").unwrap_or_default()),
        effective: NaiveDate::parse_from_str(&field("effective")?, "%Y-%m-%d").ok()?,
        mandatory: field("mandatory").as_deref() == Some("yes"),
        body: body.trim_start().to_string(),
    })
}

pub fn articles() -> Vec<DemoArticle> {
    let mut files: Vec<(&str, &str)> = ARTICLES
        .files()
        .filter_map(|f| Some((f.path().to_str()?, f.contents_utf8()?)))
        .filter(|(name, _)| name.ends_with(".md"))
        .collect();
    files.sort();
    files.into_iter().filter_map(|(_, text)| parse(text)).collect()
}

fn utc_of(local: NaiveDateTime) -> NaiveDateTime {
    local - Duration::hours(8)
}

pub fn populate(conn: &mut Conn, author: i32, root: i32) -> anyhow::Result<()> {
    let now = crate::db::now();
    let today = crate::time::local_date(now);
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let mut mandatory: Vec<(i32, i32, i32)> = Vec::new(); // (article, version id, chars)
    for a in articles() {
        let checked = Checked {
            title: a.title.clone(),
            category: a.category.clone(),
            tags: a.tags.clone(),
            effective_date: a.effective,
            body: a.body.clone(),
            visible_unit: None,
        };
        let created = utc_of(a.effective.and_hms_opt(9, 0, 0).unwrap_or_default()) - Duration::days(7);
        // A mandatory article is published before its earliest assignment (two
        // months back, less the 14 days before a due date): nobody reads a
        // version before it exists.
        let created = match a.mandatory {
            true => created.min(utc_of(day_at(first - chrono::Months::new(3), 9, 0))),
            false => created,
        };
        let id = Article::create(conn, &checked, author, created.min(now))?;
        if a.mandatory {
            let v = Version::of(conn, id, 1)?.ok_or_else(|| anyhow::anyhow!("version"))?;
            mandatory.push((id, v.id, v.chars));
        }
    }
    let audience = Audience {
        units: vec![root],
        roles: vec!["clerk".into(), "team_leader".into()],
        ..Audience::default()
    };
    // Due dates: spread over the month before last, last month and this one
    // (two of this month's still ahead).
    let month = |back: u32| first - chrono::Months::new(back);
    let dues: Vec<NaiveDate> = (0..mandatory.len())
        .map(|i| match i % 5 {
            0 => month(2) + Duration::days(14 + i as i64),
            1 => month(1) + Duration::days(9 + i as i64),
            2 => month(1) + Duration::days(19 + (i as i64 % 8)),
            3 => (first + Duration::days(9)).min(today),
            _ => today + Duration::days(3 + i as i64 % 5),
        })
        .collect();
    let staff: Vec<i32> = users::table
        .inner_join(role_assignments::table)
        .filter(role_assignments::role.eq_any(["clerk", "team_leader"]))
        .filter(users::active.eq(true))
        .select(users::id)
        .distinct()
        .order(users::id)
        .load(conn)?;
    let _ = Tree::load(conn)?;
    for (k, ((article, version, chars), due)) in mandatory.iter().zip(&dues).enumerate() {
        let assigned_at =
            utc_of((*due - Duration::days(14)).and_hms_opt(10, 0, 0).unwrap_or_default()).min(now);
        Assignment::insert(conn, *article, *version, &audience, *due, None, author, assigned_at)?;
        let needed = rules::min_seconds(*chars, 500, 20);
        for user in &staff {
            let mut rng = SplitMix64::new((*user as u64) << 16 ^ k as u64);
            let roll = rng.below(100);
            let past = *due < today;
            // Past items: 72 % on time, 12 % late, 16 % never; upcoming: half read already.
            let when = match (past, roll) {
                (true, 0..72) | (false, 0..50) => Some(*due - Duration::days(rng.below(10) as i64)),
                (true, 72..84) => Some(*due + Duration::days(1 + rng.below(6) as i64)),
                _ => None,
            };
            let Some(day) = when else {
                // Some opened it without finishing.
                if roll.is_multiple_of(3) {
                    let opened = utc_of(day_at(*due - Duration::days(2), 8, rng.below(60)));
                    if opened < now {
                        Reading::open(conn, *user, *version, opened)?;
                    }
                }
                continue;
            };
            let confirmed = utc_of(day_at(day, 8 + rng.below(10) as u32, rng.below(60)));
            if confirmed >= now || confirmed < assigned_at {
                continue;
            }
            let seconds = needed + rng.below(needed as u64 + 60) as i64;
            let opened = confirmed - Duration::seconds(seconds + 30);
            diesel::insert_into(readings::table)
                .values((
                    readings::user_id.eq(user),
                    readings::version_id.eq(version),
                    readings::first_opened_at.eq(opened),
                    readings::last_beat_at.eq(confirmed - Duration::seconds(5)),
                    readings::active_seconds.eq(seconds as i32),
                    readings::reached_end.eq(true),
                    readings::confirmed_at.eq(Some(confirmed)),
                ))
                .execute(conn)?;
        }
    }
    // The month before last was closed early last month by the city supervisor.
    let closer: Option<i32> =
        users::table.filter(users::username.eq("80000")).select(users::id).first(conn).optional()?;
    let two_back = crate::domain::Month::of_date(month(2));
    let at = utc_of(day_at(month(1) + Duration::days(2), 10, 0));
    super::ledger::close::close_month(conn, two_back, closer.unwrap_or(author), at)?
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    // A material change: the first mandatory article gets a new version this
    // month, assigned again with a new due date; everyone must read it again.
    if let (Some((article, _, _)), true) = (mandatory.first(), today.day() > 1) {
        let a = Article::find(conn, *article)?;
        let v = Version::of(conn, *article, a.current_version)?.ok_or_else(|| anyhow::anyhow!("version"))?;
        let checked = Checked {
            title: v.title.clone(),
            category: a.category.clone(),
            tags: a.tag_list(),
            effective_date: a.effective_date,
            body: format!(
                "> **修订说明（{today}）**：办理时须同时核验电子身份证照片与人像比对结果，两者不一致的一律不予办理。\n\n{}",
                v.body
            ),
            visible_unit: None,
        };
        let at = utc_of(day_at(today, 9, 0)).min(now);
        let new = Article::edit(conn, *article, &checked, true, "增加电子身份证核验要求", author, at)?;
        Assignment::insert(conn, *article, new.id, &audience, today + Duration::days(7), None, author, at)?;
    }
    Ok(())
}

fn day_at(day: NaiveDate, hour: u32, minute: u64) -> NaiveDateTime {
    day.and_hms_opt(hour.min(23), (minute % 60) as u32, 0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_article_parses_and_renders_without_stray_markup() {
        let all = articles();
        assert!(all.len() >= 30, "{}", all.len());
        assert!(all.iter().filter(|a| a.mandatory).count() >= 8);
        let mut stray = Vec::new();
        for a in &all {
            let html = crate::web::markdown::to_safe_html(&a.body);
            // CommonMark does not open emphasis between a CJK character and
            // punctuation (**"…"**): such bold would show its asterisks.
            for line in html.lines().filter(|l| l.contains("**")) {
                stray.push(format!("{}: {line}", a.title));
            }
            assert!(super::super::model::CATEGORIES.contains(&a.category.as_str()), "{}", a.category);
        }
        assert!(stray.is_empty(), "unmatched **:\n{}", stray.join("\n"));
    }
}
