use super::*;

const NASTY: &str = r#"<script>alert("x")</script> & 'q'"#;

fn nasty_chart() -> Chart {
    let mut svg = Svg::new(100.0, 50.0, "t-<id>", NASTY);
    svg.text(1.0, 2.0, NASTY).middle().bold().size(11).fill("#c53030").tip(NASTY);
    svg.rect(0.0, 0.0, 10.0, 5.5, "#fff").stroke("#000").tip(NASTY);
    svg.circle(1.0, 1.0, 4.0, "#000").tip(NASTY);
    svg.polyline(&[(0.0, 1.0), (2.25, 3.0)], "#000").width(2.0).dash("5 4").tip(NASTY);
    svg.line((0.0, 0.0), (1.0, 1.0), "#000").dash("4 3");
    svg.group(Some("g"), |s| {
        s.link(&format!("/q?a=1&b={NASTY}\""), NASTY, |s| {
            s.text(0.0, 0.0, NASTY);
        })
    });
    svg.finish()
}

#[test]
fn text_from_data_comes_out_escaped() {
    let chart = nasty_chart();
    let s = chart.as_str();
    assert!(s.starts_with("<svg") && s.ends_with("</svg>"), "{s}");
    assert!(!s.contains("<script") && !s.contains("\"x\"") && !s.contains("'q'"), "{s}");
    assert!(s.contains("&lt;script&gt;") && s.contains("&amp; ") && s.contains("&quot;"), "{s}");
    assert!(s.contains(r#"href="&#x2F;q?a=1&amp;b=&lt;script&gt;"#), "{s}");
    assert!(s.contains(r#"aria-labelledby="t-&lt;id&gt;""#), "{s}");
    // Every text in the chart is escaped: 1 title, 1 text + tip, 3 tips,
    // the link's label twice and its text.
    assert_eq!(s.matches("&lt;script&gt;").count(), 10, "{s}");
    assert!(s.contains(r##"<rect x="0" y="0" width="10" height="5.5" fill="#fff" stroke="#000"><title>"##));
    assert!(s.contains(r#"points="0,1 2.3,3""#) || s.contains(r#"points="0,1 2.2,3""#), "{s}");
}

#[test]
fn the_filter_prints_charts_and_refuses_text() {
    let mut tera = tera::Tera::default();
    tera.register_filter("chart", ChartFilter);
    tera.add_raw_template("t", "[{{ c | chart }}]").unwrap();
    let render = |v: Value| {
        let mut ctx = tera::Context::new();
        ctx.insert("c", &v);
        tera.render("t", &ctx)
    };
    let chart = nasty_chart();
    assert_eq!(render(serde_json::to_value(&chart).unwrap()).unwrap(), format!("[{}]", chart.as_str()));
    assert_eq!(render(serde_json::to_value(None::<Chart>).unwrap()).unwrap(), "[]");
    for raw in [
        Value::String("<svg><script>x</script></svg>".into()),
        serde_json::json!({ "svg": "<script>x</script>" }),
        serde_json::json!({ "svg": "<svg/>", "other": 1 }),
        serde_json::json!(["<svg/>"]),
    ] {
        assert!(render(raw.clone()).is_err(), "{raw}");
    }
}
