//! The one preview page every import shows (`templates/import/preview.html`):
//! a feature turns its plan into a [`Page`] (figures, line-numbered errors,
//! tables of what will be written, the confirmation form) and the template
//! lays it out the same way for all of them.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde::Serialize;
use tera::Context;

use super::SHOWN_ROWS;
use crate::roster::rules::RowError;
use crate::web::{AppResult, Ctx};

/// What a preview shows, top to bottom.
#[derive(Debug, Default, Serialize)]
pub struct Page {
    /// The browser title.
    pub title: String,
    /// Where "重新上传" leads: a path the app builds from ids and checked
    /// months, shown unescaped (never user text).
    pub back: String,
    pub heading: String,
    /// Why the confirmation did not go in (shown on top).
    pub error: Option<String>,
    pub stats: Vec<Stat>,
    /// The rows in error, by line number.
    pub errors: Vec<RowError>,
    /// What will be written, before the form.
    pub sections: Vec<Section>,
    /// The confirmation form, when there is anything to confirm.
    pub confirm: Option<Confirm>,
    /// Sections after the form.
    pub after: Vec<Section>,
}

/// One figure at the top.
#[derive(Debug, Serialize)]
pub struct Stat {
    pub value: usize,
    pub label: &'static str,
    /// Shown as bad (errors).
    pub bad: bool,
}

impl Stat {
    pub fn new(value: usize, label: &'static str) -> Stat {
        Stat { value, label, bad: false }
    }

    /// The error count: bad when there are any.
    pub fn errors(value: usize) -> Stat {
        Stat { value, label: "错误", bad: value > 0 }
    }
}

/// A card: a heading with a list, a collapsible list or a table.
#[derive(Debug, Default, Serialize)]
pub struct Section {
    pub heading: String,
    pub items: Vec<String>,
    pub details: Option<Details>,
    pub table: Option<Table>,
    /// A small note under the table.
    pub note: Option<String>,
    /// Something to check before confirming, shown above the table in red.
    pub warning: Option<String>,
}

impl Section {
    pub fn list(heading: impl Into<String>, items: Vec<String>) -> Section {
        Section { heading: heading.into(), items, ..Section::default() }
    }

    pub fn table(heading: impl Into<String>, table: Table) -> Section {
        Section { heading: heading.into(), table: Some(table), ..Section::default() }
    }

    /// The first [`SHOWN_ROWS`] of `total` rows, the heading saying so when cut.
    pub fn first_rows(heading: &str, total: usize, table: Table) -> Section {
        let heading = if total > table.rows.len() {
            format!("{heading}（前 {} 行，共 {total} 行）", table.rows.len())
        } else {
            heading.to_string()
        };
        Section::table(heading, table)
    }
}

/// A list behind a summary, open when short.
#[derive(Debug, Serialize)]
pub struct Details {
    pub summary: &'static str,
    pub items: Vec<String>,
    pub open: bool,
}

impl Details {
    /// Open up to 30 items.
    pub fn new(summary: &'static str, items: Vec<String>) -> Details {
        Details { summary, open: items.len() <= 30, items }
    }
}

/// A table: its columns (label, numeric) and rows of cells.
#[derive(Debug, Default, Serialize)]
pub struct Table {
    pub id: Option<&'static str>,
    pub columns: Vec<(&'static str, bool)>,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn new(columns: &[(&'static str, bool)]) -> Table {
        Table { columns: columns.to_vec(), ..Table::default() }
    }

    pub fn with_id(mut self, id: &'static str) -> Table {
        self.id = Some(id);
        self
    }

    /// Adds a row of plain cells, numeric where the column is.
    pub fn row(&mut self, cells: Vec<String>) {
        let cells = cells
            .into_iter()
            .zip(&self.columns)
            .map(|(text, (_, num))| Cell { text, class: if *num { "num" } else { "" }, badge: None })
            .collect();
        self.rows.push(Row { class: None, cells });
    }

    /// The rows of `items`, at most [`SHOWN_ROWS`].
    pub fn first<T>(mut self, items: &[T], cells: impl Fn(&T) -> Vec<String>) -> Table {
        for item in items.iter().take(SHOWN_ROWS) {
            self.row(cells(item));
        }
        self
    }
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub class: Option<String>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Serialize)]
pub struct Cell {
    pub text: String,
    pub class: &'static str,
    /// Shown as a badge of this class ("" for the plain one).
    pub badge: Option<&'static str>,
}

/// The confirmation form: posts the fingerprint (and `hidden`) to `action`.
#[derive(Debug, Default, Serialize)]
pub struct Confirm {
    /// What confirming will do, above the form.
    pub intro: Option<String>,
    /// Built like [`Page::back`], shown unescaped.
    pub action: String,
    pub progress: &'static str,
    pub fingerprint: String,
    pub hidden: Vec<(&'static str, String)>,
    /// A warning inside the form, before the fields.
    pub notice: Option<String>,
    pub fields: Vec<Field>,
    /// The button's text; None: nothing to confirm, `nothing` says so.
    pub button: Option<String>,
    pub nothing: String,
}

impl Confirm {
    /// The plain form: a "确认导入" button.
    pub fn new(action: String, fingerprint: String, intro: Option<String>) -> Confirm {
        Confirm {
            intro,
            action,
            progress: "正在写入，请稍候…",
            fingerprint,
            button: Some("确认导入".into()),
            ..Confirm::default()
        }
    }
}

/// A field of the confirmation form.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Field {
    /// A checkbox sending `name=1`.
    Check { name: &'static str, label: String, required: bool },
    /// A new password (with its label), at least `minlength` long when given.
    Password { name: &'static str, label: &'static str, minlength: Option<u32> },
    /// A list of people behind a summary with a notice, and a checkbox about them.
    Group { legend: String, notice: Option<String>, details: Details, check: Box<Field> },
}

/// Renders the preview `page` with `status`.
pub fn render(ctx: &Ctx, status: StatusCode, page: &Page) -> AppResult<HttpResponse> {
    render_with(ctx, status, page, "import/preview.html", Context::new())
}

/// Renders the preview with a template that extends `import/preview.html`
/// (filling its `inside_form` block) and its own context.
pub fn render_with(
    ctx: &Ctx,
    status: StatusCode,
    page: &Page,
    template: &str,
    mut c: Context,
) -> AppResult<HttpResponse> {
    c.insert("page", page);
    ctx.render_status(status, template, c)
}
