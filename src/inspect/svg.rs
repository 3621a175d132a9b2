//! The hall × item heat map of a month's failed inspection items.

use std::collections::BTreeMap;

use crate::web::chart::{Chart, Root, Svg};
use crate::web::msg;

/// Rows are halls (name), columns the standard's items (code; the name in
/// its tooltip); a cell's shade grows with the failures, its tooltip says
/// how many. Wider than a phone: the page scrolls it sideways (`wide-chart`).
pub fn heat_map(
    halls: &[(i32, String)],
    items: &[(String, String)],
    counts: &BTreeMap<(i32, String), i64>,
    title: &str,
) -> Chart {
    let (left, top, cell) = (150.0, 40.0, 22.0);
    let w = left + cell * items.len() as f64 + 10.0;
    let h = top + cell * halls.len() as f64 + 10.0;
    let root = Root { title_id: "inspect-heat-title", title, class: Some("wide-chart"), ..Root::default() };
    let mut svg = Svg::with(w, h, root);
    for (c, (code, item)) in items.iter().enumerate() {
        svg.text(left + cell * c as f64 + cell / 2.0, top - 8.0, code).middle().size(10).tip(item);
    }
    let max = counts.values().copied().max().unwrap_or(0).max(1);
    for (r, (hall, name)) in halls.iter().enumerate() {
        let y = top + cell * r as f64;
        svg.text(left - 6.0, y + cell * 0.7, &crate::web::chart::clip(name, 11)).end().tip(name);
        for (c, (code, item)) in items.iter().enumerate() {
            let n = counts.get(&(*hall, code.clone())).copied().unwrap_or(0);
            let fill = shade(n, max);
            let x = left + cell * c as f64;
            svg.rect(x + 1.0, y + 1.0, cell - 2.0, cell - 2.0, fill)
                .tip(&msg::inspect_heat_tip(name, code, item, n));
            if n > 0 {
                svg.text(x + cell / 2.0, y + cell * 0.68, &n.to_string())
                    .middle()
                    .size(10)
                    .fill(if n * 2 > max { "#fff" } else { "#333" });
            }
        }
    }
    svg.finish()
}

/// Five steps from none (light grey) to the most failures (dark red).
fn shade(n: i64, max: i64) -> &'static str {
    if n == 0 {
        return "#f1f3f5";
    }
    match n * 4 / max {
        0 => "#fcd9d4",
        1 => "#f5a99f",
        2 => "#e8705f",
        _ => "#b42318",
    }
}
