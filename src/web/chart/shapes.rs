//! The shapes of a chart: each is written into its [`Svg`] when it drops,
//! so a call like `svg.text(x, y, label).end();` needs nothing more.

use std::fmt::Write;

use tera::escape_html as esc;

use super::{num, Anchor, Svg};

/// A text being built; written when dropped.
pub struct Text<'a> {
    pub(super) svg: &'a mut Svg,
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) label: String,
    pub(super) anchor: Anchor,
    pub(super) bold: bool,
    pub(super) size: Option<u32>,
    pub(super) fill: Option<&'static str>,
    pub(super) tip: Option<String>,
}

impl Text<'_> {
    pub fn anchor(mut self, a: Anchor) -> Self {
        self.anchor = a;
        self
    }
    pub fn middle(self) -> Self {
        self.anchor(Anchor::Middle)
    }
    pub fn end(self) -> Self {
        self.anchor(Anchor::End)
    }
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub fn size(mut self, size: u32) -> Self {
        self.size = Some(size);
        self
    }
    pub fn fill(mut self, fill: &'static str) -> Self {
        self.fill = Some(fill);
        self
    }
    /// A tooltip (`<title>` child).
    pub fn tip(mut self, tip: &str) -> Self {
        self.tip = Some(esc(tip));
        self
    }
}

impl Drop for Text<'_> {
    fn drop(&mut self) {
        let b = &mut self.svg.body;
        let _ = write!(b, r#"<text x="{}" y="{}""#, num(self.x), num(self.y));
        match self.anchor {
            Anchor::Start => {}
            Anchor::Middle => b.push_str(r#" text-anchor="middle""#),
            Anchor::End => b.push_str(r#" text-anchor="end""#),
        }
        if self.bold {
            b.push_str(r#" font-weight="bold""#);
        }
        if let Some(s) = self.size {
            let _ = write!(b, r#" font-size="{s}""#);
        }
        if let Some(f) = self.fill {
            let _ = write!(b, r#" fill="{f}""#);
        }
        b.push('>');
        if let Some(t) = &self.tip {
            let _ = write!(b, "<title>{t}</title>");
        }
        let _ = write!(b, "{}</text>", self.label);
    }
}

/// A line being built; written when dropped.
pub struct Line<'a> {
    pub(super) svg: &'a mut Svg,
    pub(super) from: (f64, f64),
    pub(super) to: (f64, f64),
    pub(super) stroke: &'static str,
    pub(super) width: Option<f64>,
    pub(super) dash: Option<&'static str>,
}

impl Line<'_> {
    pub fn width(mut self, w: f64) -> Self {
        self.width = Some(w);
        self
    }
    /// A dash pattern, e.g. `"4 3"`.
    pub fn dash(mut self, dash: &'static str) -> Self {
        self.dash = Some(dash);
        self
    }
}

impl Drop for Line<'_> {
    fn drop(&mut self) {
        let b = &mut self.svg.body;
        let _ = write!(
            b,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}""#,
            num(self.from.0),
            num(self.from.1),
            num(self.to.0),
            num(self.to.1),
            self.stroke
        );
        stroke_extras(b, self.width, self.dash);
        b.push_str("/>");
    }
}

fn stroke_extras(b: &mut String, width: Option<f64>, dash: Option<&'static str>) {
    if let Some(w) = width {
        let _ = write!(b, r#" stroke-width="{}""#, num(w));
    }
    if let Some(d) = dash {
        let _ = write!(b, r#" stroke-dasharray="{d}""#);
    }
}

/// Close an element: with its tooltip as a `<title>` child, or empty.
fn close(b: &mut String, name: &str, tip: &Option<String>) {
    match tip {
        Some(t) => {
            let _ = write!(b, "><title>{t}</title></{name}>");
        }
        None => b.push_str("/>"),
    }
}

/// A rectangle being built; written when dropped.
pub struct Rect<'a> {
    pub(super) svg: &'a mut Svg,
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) h: f64,
    pub(super) fill: &'static str,
    pub(super) stroke: Option<&'static str>,
    pub(super) tip: Option<String>,
}

impl Rect<'_> {
    pub fn stroke(mut self, stroke: &'static str) -> Self {
        self.stroke = Some(stroke);
        self
    }
    /// A tooltip (`<title>` child).
    pub fn tip(mut self, tip: &str) -> Self {
        self.tip = Some(esc(tip));
        self
    }
}

impl Drop for Rect<'_> {
    fn drop(&mut self) {
        let b = &mut self.svg.body;
        let _ = write!(
            b,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}""#,
            num(self.x),
            num(self.y),
            num(self.w),
            num(self.h),
            self.fill
        );
        if let Some(s) = self.stroke {
            let _ = write!(b, r#" stroke="{s}""#);
        }
        close(b, "rect", &self.tip);
    }
}

/// A circle being built; written when dropped.
pub struct Circle<'a> {
    pub(super) svg: &'a mut Svg,
    pub(super) cx: f64,
    pub(super) cy: f64,
    pub(super) r: f64,
    pub(super) fill: &'static str,
    pub(super) tip: Option<String>,
}

impl Circle<'_> {
    /// A tooltip (`<title>` child).
    pub fn tip(mut self, tip: &str) -> Self {
        self.tip = Some(esc(tip));
        self
    }
}

impl Drop for Circle<'_> {
    fn drop(&mut self) {
        let b = &mut self.svg.body;
        let _ = write!(
            b,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{}""#,
            num(self.cx),
            num(self.cy),
            num(self.r),
            self.fill
        );
        close(b, "circle", &self.tip);
    }
}

/// A polyline being built; written when dropped.
pub struct Polyline<'a> {
    pub(super) svg: &'a mut Svg,
    pub(super) points: String,
    pub(super) stroke: &'static str,
    pub(super) width: Option<f64>,
    pub(super) dash: Option<&'static str>,
    pub(super) tip: Option<String>,
}

impl Polyline<'_> {
    pub fn width(mut self, w: f64) -> Self {
        self.width = Some(w);
        self
    }
    /// A dash pattern, e.g. `"5 4"`.
    pub fn dash(mut self, dash: &'static str) -> Self {
        self.dash = Some(dash);
        self
    }
    /// A tooltip (`<title>` child).
    pub fn tip(mut self, tip: &str) -> Self {
        self.tip = Some(esc(tip));
        self
    }
}

impl Drop for Polyline<'_> {
    fn drop(&mut self) {
        let b = &mut self.svg.body;
        let _ = write!(b, r#"<polyline points="{}" fill="none" stroke="{}""#, self.points, self.stroke);
        stroke_extras(b, self.width, self.dash);
        close(b, "polyline", &self.tip);
    }
}

// Shared helpers of the charts.
