//! Knowledge-base records: articles and their versions, attachments,
//! mandatory assignments and reading evidence.

mod article;
mod reading;
#[cfg(test)]
mod tests;

pub use article::*;
pub use reading::*;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Conn;
use crate::schema::{article_files, article_versions, articles, assignments, reading_exemptions, readings};

pub const PUBLISHED: &str = "published";
pub const ARCHIVED: &str = "archived";

pub const CATEGORIES: [&str; 7] =
    ["资费政策", "业务流程", "实名制与安全", "服务规范", "终端与宽带", "系统操作", "营销活动"];

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = articles)]
pub struct Article {
    pub id: i32,
    pub category: String,
    pub tags: String,
    pub effective_date: NaiveDate,
    pub audience: String,
    pub current_version: i32,
    pub status: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = article_versions)]
pub struct Version {
    pub id: i32,
    pub article_id: i32,
    pub version: i32,
    pub title: String,
    pub body: String,
    pub chars: i32,
    pub material: bool,
    pub change_note: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = article_files)]
pub struct ArticleFile {
    pub id: i32,
    pub article_id: i32,
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
    pub uploaded_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

/// A new attachment.
#[derive(Debug, Insertable)]
#[diesel(table_name = article_files)]
pub struct NewFile<'a> {
    pub article_id: i32,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

impl NewFile<'_> {
    /// Stores it; its id.
    pub fn insert(&self, conn: &mut Conn) -> QueryResult<i32> {
        diesel::insert_into(article_files::table).values(self).returning(article_files::id).get_result(conn)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = assignments)]
pub struct Assignment {
    pub id: i32,
    pub article_id: i32,
    pub version_id: i32,
    pub audience: String,
    pub due_date: NaiveDate,
    pub scope_unit: Option<i32>,
    pub active: bool,
    pub assigned_by: Option<i32>,
    pub assigned_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = readings)]
pub struct Reading {
    pub id: i32,
    pub user_id: i32,
    pub version_id: i32,
    pub first_opened_at: NaiveDateTime,
    pub last_beat_at: NaiveDateTime,
    pub active_seconds: i32,
    pub reached_end: bool,
    pub confirmed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = reading_exemptions)]
pub struct Exemption {
    pub id: i32,
    pub assignment_id: i32,
    pub user_id: i32,
    pub reason: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}
