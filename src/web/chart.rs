//! Server-made SVG charts through one builder that escapes for itself.
//!
//! Every piece of text from data (labels, tooltips, link targets, ids) goes
//! through a builder method that escapes it; geometry is numbers; colours,
//! classes and dash patterns are `&'static str`. [`Svg::finish`] is the only
//! way markup leaves the builder, as a [`Chart`], and templates print a
//! chart with the `chart` filter (never `| safe`), which refuses anything
//! that is not a `Chart`.

use std::collections::HashMap;
use std::fmt::Write;

use serde::Serialize;
use tera::{escape_html as esc, Value};

/// A finished chart: markup that the builder escaped. Serialized as
/// `{ "svg": "<svg …>" }`; print it with `{{ x | chart }}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chart {
    svg: String,
}

impl Chart {
    /// The markup, e.g. for a response body of its own.
    pub fn as_str(&self) -> &str {
        &self.svg
    }
}

/// Where a text sits against its x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A number for an attribute: one decimal, without a trailing `.0`.
fn num(v: f64) -> String {
    let s = format!("{v:.1}");
    match s.strip_suffix(".0") {
        Some("-0") => "0".to_string(),
        Some(whole) => whole.to_string(),
        None => s,
    }
}

/// An SVG document being built.
pub struct Svg {
    open: String,
    body: String,
}

impl Svg {
    /// A chart `w` × `h` (viewBox), `role="img"`, labelled by its `<title>`
    /// (id `title_id`), sans-serif 12.
    pub fn new(w: f64, h: f64, title_id: &str, title: &str) -> Svg {
        Svg::with(w, h, Root { title_id, title, ..Root::default() })
    }

    /// A chart with the root's options spelled out.
    pub fn with(w: f64, h: f64, root: Root) -> Svg {
        let (w, h) = (num(w), num(h));
        let mut open = String::from(r#"<svg xmlns="http://www.w3.org/2000/svg""#);
        if let Some(class) = root.class {
            let _ = write!(open, r#" class="{class}""#);
        }
        if root.sized {
            let _ = write!(open, r#" width="{w}" height="{h}""#);
        }
        let id = esc(root.title_id);
        let _ = write!(
            open,
            r#" viewBox="0 0 {w} {h}" role="{}" aria-labelledby="{id}" font-family="sans-serif" font-size="{}"><title id="{id}">{}</title>"#,
            root.role,
            root.font_size,
            esc(root.title)
        );
        Svg { open, body: String::new() }
    }

    /// The finished chart.
    pub fn finish(self) -> Chart {
        Chart { svg: format!("{}{}</svg>", self.open, self.body) }
    }

    /// A text at (x, y); options on the returned value, written when it drops.
    pub fn text<'a>(&'a mut self, x: f64, y: f64, label: &str) -> Text<'a> {
        Text {
            svg: self,
            x,
            y,
            label: esc(label),
            anchor: Anchor::Start,
            bold: false,
            size: None,
            fill: None,
            tip: None,
        }
    }

    /// A line from (x1, y1) to (x2, y2).
    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &'static str) -> Line<'_> {
        Line { svg: self, from: (x1, y1), to: (x2, y2), stroke, width: None, dash: None }
    }

    /// A rectangle.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &'static str) -> Rect<'_> {
        Rect { svg: self, x, y, w, h, fill, stroke: None, tip: None }
    }

    /// A circle.
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: &'static str) -> Circle<'_> {
        Circle { svg: self, cx, cy, r, fill, tip: None }
    }

    /// An unfilled polyline through `points`.
    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: &'static str) -> Polyline<'_> {
        let points =
            points.iter().map(|(x, y)| format!("{},{}", num(*x), num(*y))).collect::<Vec<_>>().join(" ");
        Polyline { svg: self, points, stroke, width: None, dash: None, tip: None }
    }

    /// A group (`<g>`) around what `inner` draws.
    pub fn group(&mut self, class: Option<&'static str>, inner: impl FnOnce(&mut Svg)) {
        match class {
            Some(c) => {
                let _ = write!(self.body, r#"<g class="{c}">"#);
            }
            None => self.body.push_str("<g>"),
        }
        inner(self);
        self.body.push_str("</g>");
    }

    /// A link to `href`, labelled (aria-label and tooltip) `label`, around
    /// what `inner` draws.
    pub fn link(&mut self, href: &str, label: &str, inner: impl FnOnce(&mut Svg)) {
        let label = esc(label);
        let _ = write!(self.body, r#"<a href="{}" aria-label="{label}"><title>{label}</title>"#, esc(href));
        inner(self);
        self.body.push_str("</a>");
    }
}

/// The root's options for [`Svg::with`].
pub struct Root<'a> {
    pub title_id: &'a str,
    pub title: &'a str,
    pub role: &'static str,
    pub class: Option<&'static str>,
    /// Also write width and height (not only the viewBox).
    pub sized: bool,
    pub font_size: u32,
}

impl Default for Root<'_> {
    fn default() -> Self {
        Root { title_id: "", title: "", role: "img", class: None, sized: false, font_size: 12 }
    }
}

mod shapes;
pub use shapes::{Circle, Line, Polyline, Rect, Text};

/// A 0–`full` value as a y between `top` (full) and `bottom` (zero), clamped.
pub fn y_scale(v: i64, full: i64, top: f64, bottom: f64) -> f64 {
    top + (1.0 - v.clamp(0, full) as f64 / full as f64) * (bottom - top)
}

/// Horizontal grid lines from `left` to `right` at each tick, labelled on the
/// left with `label(tick)`.
pub fn y_ticks(
    svg: &mut Svg,
    ticks: &[i64],
    (left, right): (f64, f64),
    stroke: &'static str,
    y: impl Fn(i64) -> f64,
    label: impl Fn(i64) -> String,
) {
    for &v in ticks {
        svg.line((left, y(v)), (right, y(v)), stroke);
        svg.text(left - 6.0, y(v) + 4.0, &label(v)).end();
    }
}

/// At most `max` characters, with an ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The Tera filter `chart`: prints a [`Chart`]'s markup (nothing for null);
/// anything else is an error, so raw text can't be printed through it.
pub fn filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    match value {
        Value::Null => Ok(Value::String(String::new())),
        Value::Object(map) if map.len() == 1 => match map.get("svg") {
            Some(Value::String(s)) if s.starts_with("<svg") => Ok(Value::String(s.clone())),
            _ => Err(tera::Error::msg("the chart filter takes a web::chart::Chart")),
        },
        _ => Err(tera::Error::msg("the chart filter takes a web::chart::Chart, not text")),
    }
}

/// The filter as a Tera filter whose output is safe (the builder escaped it).
pub struct ChartFilter;

impl tera::Filter for ChartFilter {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        filter(value, args)
    }
    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests;
