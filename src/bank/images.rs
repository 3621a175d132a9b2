//! Pictures imported with a question (a Word file's pictures), stored in the
//! database beside it and served to signed-in users with the question.
//! Only raster formats recognised by their first bytes are kept: an SVG (or
//! anything else) could carry script, so it is reported, not stored.

use diesel::prelude::*;

use super::formats::Image;
use crate::db::{now, Conn};
use crate::schema::question_images;

/// The largest picture kept (a Word screenshot is well under this).
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = question_images)]
pub struct ImageRow {
    pub id: i32,
    pub question_id: i32,
    pub position: i32,
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
    pub created_at: chrono::NaiveDateTime,
}

/// The image type by its first bytes.
pub fn mime_of(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"BM") {
        Some("image/bmp")
    } else {
        None
    }
}

/// Whether the picture can be stored (a known raster type, not too large).
pub fn storable(image: &Image) -> bool {
    mime_of(&image.bytes).is_some() && image.bytes.len() <= MAX_IMAGE_BYTES
}

/// Stores the question's pictures in order (unstorable ones are left out;
/// the preview has warned about them).
pub fn insert(conn: &mut Conn, question_id: i32, images: &[&Image]) -> QueryResult<()> {
    for (position, image) in images.iter().filter(|i| storable(i)).enumerate() {
        diesel::insert_into(question_images::table)
            .values((
                question_images::question_id.eq(question_id),
                question_images::position.eq(position as i32),
                question_images::name.eq(&image.name),
                question_images::mime.eq(mime_of(&image.bytes).unwrap_or("image/png")),
                question_images::bytes.eq(&image.bytes),
                question_images::created_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// How many pictures each of these questions has.
pub fn counts(conn: &mut Conn, question_ids: &[i32]) -> QueryResult<std::collections::HashMap<i32, i64>> {
    let rows: Vec<(i32, i64)> = question_images::table
        .filter(question_images::question_id.eq_any(question_ids))
        .group_by(question_images::question_id)
        .select((question_images::question_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

pub fn find(conn: &mut Conn, question_id: i32, position: i32) -> QueryResult<Option<(String, Vec<u8>)>> {
    question_images::table
        .filter(question_images::question_id.eq(question_id))
        .filter(question_images::position.eq(position))
        .select((question_images::mime, question_images::bytes))
        .first(conn)
        .optional()
}

/// For `copy-db`: every row, ids included.
pub fn copy(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    for row in question_images::table.order(question_images::id).select(ImageRow::as_select()).load(from)? {
        diesel::insert_into(question_images::table).values(&row).execute(to)?;
    }
    Ok(())
}

/// Where a question's picture is served.
pub fn url(question_id: i32, position: i64) -> String {
    format!("/bank/questions/{question_id}/images/{position}")
}

/// The pictures of these questions, in order, by question.
pub fn of_questions(
    conn: &mut Conn,
    question_ids: &[i32],
) -> QueryResult<std::collections::HashMap<i32, Vec<Image>>> {
    let rows: Vec<(i32, String, Vec<u8>)> = question_images::table
        .filter(question_images::question_id.eq_any(question_ids))
        .order((question_images::question_id, question_images::position))
        .select((question_images::question_id, question_images::name, question_images::bytes))
        .load(conn)?;
    let mut out: std::collections::HashMap<i32, Vec<Image>> = std::collections::HashMap::new();
    for (id, name, bytes) in rows {
        out.entry(id).or_default().push(Image { name, bytes });
    }
    Ok(out)
}

/// A bank as a Word file with its pictures (see `formats::docx::write`).
pub fn export_docx(conn: &mut Conn, bank_id: i32) -> QueryResult<zip::result::ZipResult<Vec<u8>>> {
    let questions = super::model::Bank::questions_with_ids(conn, bank_id)?;
    let ids: Vec<i32> = questions.iter().map(|(id, _)| *id).collect();
    let mut pictures = of_questions(conn, &ids)?;
    let with: Vec<_> =
        questions.into_iter().map(|(id, q)| (q, pictures.remove(&id).unwrap_or_default())).collect();
    Ok(super::formats::docx::write(&with))
}

/// Whether the question is on one of this user's papers.
pub fn on_paper_of(conn: &mut Conn, question_id: i32, user_id: i32) -> QueryResult<bool> {
    use crate::schema::{attempt_items, attempts};
    diesel::select(diesel::dsl::exists(
        attempt_items::table
            .inner_join(attempts::table)
            .filter(attempt_items::question_id.eq(question_id))
            .filter(attempts::user_id.eq(user_id)),
    ))
    .get_result(conn)
}
