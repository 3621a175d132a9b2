//! Evaluation schemes: one per evaluated role, versioned (every edit is a
//! new version; a month is evaluated with the version in force, and a
//! closed month keeps the one it was closed with). The shipped default of
//! each role, and the admin's one-line-per-component text form.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::rules::{check_scheme, Band, Component, Mapping, Missing, SchemeError, Source};
use crate::db::Conn;
use crate::domain::score::{parse_hundredths, short_decimals};
use crate::schema::evaluation_schemes;
use crate::web::msg;

/// Who is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvalRole {
    Clerk,
    TeamLeader,
}

impl EvalRole {
    pub const ALL: [EvalRole; 2] = [EvalRole::Clerk, EvalRole::TeamLeader];

    pub fn code(self) -> &'static str {
        match self {
            EvalRole::Clerk => "clerk",
            EvalRole::TeamLeader => "team_leader",
        }
    }

    /// The code as typed on the command line and in links (`team-leader` too).
    pub fn parse(code: &str) -> Option<EvalRole> {
        match code.trim() {
            "clerk" => Some(EvalRole::Clerk),
            "team_leader" | "team-leader" => Some(EvalRole::TeamLeader),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EvalRole::Clerk => msg::EVAL_ROLE_CLERK,
            EvalRole::TeamLeader => msg::EVAL_ROLE_TEAM_LEADER,
        }
    }

    pub fn role(self) -> crate::auth::Role {
        match self {
            EvalRole::Clerk => crate::auth::Role::Clerk,
            EvalRole::TeamLeader => crate::auth::Role::TeamLeader,
        }
    }
}

/// A scheme's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub components: Vec<Component>,
    #[serde(default)]
    pub missing: Missing,
}

/// A stored version.
#[derive(Debug, Clone, Serialize)]
pub struct Scheme {
    pub id: i32,
    pub role: EvalRole,
    pub version: i32,
    pub body: Body,
    pub note: String,
    pub created_at: NaiveDateTime,
}

/// The measured figures a component may take, with how each is stated.
pub const METRICS: &[(&str, &str)] = &[
    ("exam", "月考成绩（分）"),
    ("phone", "电话拨测平均分（分）"),
    ("reading", "必读按时阅读率（%）"),
    ("drill_accuracy", "离线演练准确率（%）"),
    ("drill_speed", "离线演练用时／目标（%，越低越好）"),
    ("attendance", "业务学习出勤率（%）"),
    ("satisfaction", "本人短信评价满意率（%）"),
    ("hall_satisfaction", "本厅客户满意率（%，省公司单厅满意率优先）"),
    ("inspection", "本厅巡检平均分（分）"),
    ("study_hours", "本厅学习时长达标率（%，时长 ÷ 月目标）"),
    ("drill_weeks", "本厅每周演练达成率（%）"),
    ("three_sixty", "360 评价综合均分（1–5 分）"),
    ("zero_tolerance", "本厅市检／交叉检零容忍次数（次）"),
];

pub fn metric_label(code: &str) -> &'static str {
    METRICS.iter().find(|(c, _)| *c == code).map_or("", |(_, l)| l)
}

fn linear(metric: &str, zero_at: i64, full_at: i64) -> Source {
    Source::Measured { metric: metric.into(), mapping: Mapping::Linear { zero_at, full_at } }
}

fn bands(metric: &str, list: &[(i64, i64)]) -> Source {
    let bands = list.iter().map(|(from, percent)| Band { from: *from, percent: *percent }).collect();
    Source::Measured { metric: metric.into(), mapping: Mapping::Bands { bands } }
}

fn part(code: &str, label: &str, points: i64, source: Source) -> Component {
    Component { code: code.into(), label: label.into(), max: points * 100, source, veto: false }
}

/// The shipped scheme of a role (the demo's and a new site's version 1).
pub fn default_body(role: EvalRole) -> Body {
    let satisfaction = [(9_800, 100), (9_500, 80), (9_000, 50), (8_500, 20)];
    let mut components = match role {
        EvalRole::Clerk => vec![
            part("exam", "业务考试", 20, linear("exam", 6_000, 10_000)),
            part("phone", "电话拨测", 15, linear("phone", 6_000, 10_000)),
            part("reading", "必读按时阅读", 10, bands("reading", &[(10_000, 100), (9_000, 80), (8_000, 50)])),
            part("drill", "离线演练准确率", 10, linear("drill_accuracy", 6_000, 10_000)),
            part("attendance", "业务学习出勤", 5, linear("attendance", 5_000, 10_000)),
            part("satisfaction", "客户满意度", 15, bands("satisfaction", &satisfaction)),
            part("environment", "营业厅环境（巡检）", 5, linear("inspection", 6_000, 10_000)),
            part("attitude", "服务态度", 10, Source::Rated),
            part("solving", "问题解决能力", 10, Source::Rated),
        ],
        EvalRole::TeamLeader => vec![
            part("exam", "业务考试", 15, linear("exam", 6_000, 10_000)),
            part("phone", "电话拨测", 10, linear("phone", 6_000, 10_000)),
            part("reading", "必读按时阅读", 5, bands("reading", &[(10_000, 100), (9_000, 80), (8_000, 50)])),
            part("study", "组织学习（≥5 小时）", 10, linear("study_hours", 5_000, 10_000)),
            part("drills", "每周演练", 10, linear("drill_weeks", 5_000, 10_000)),
            part("satisfaction", "本厅客户满意度", 15, bands("hall_satisfaction", &satisfaction)),
            part("environment", "营业厅环境（巡检）", 10, linear("inspection", 6_000, 10_000)),
            part("three_sixty", "360 度评价", 15, linear("three_sixty", 200, 500)),
            part("management", "现场管理与带教", 10, Source::Rated),
        ],
    };
    let veto_metric = match role {
        EvalRole::Clerk => Source::Rated,
        EvalRole::TeamLeader => linear("zero_tolerance", 0, 0),
    };
    let veto_label = match role {
        EvalRole::Clerk => "服务红线（一票否决）",
        EvalRole::TeamLeader => "零容忍项（一票否决）",
    };
    components.push(Component {
        code: "veto".into(),
        label: veto_label.into(),
        max: 0,
        source: veto_metric,
        veto: true,
    });
    Body { components, missing: Missing::Rescale }
}

#[derive(Queryable)]
struct Row {
    id: i32,
    role: String,
    version: i32,
    body: String,
    note: String,
    _created_by: Option<i32>,
    created_at: NaiveDateTime,
}

impl Row {
    fn scheme(self) -> Option<Scheme> {
        Some(Scheme {
            id: self.id,
            role: EvalRole::parse(&self.role)?,
            version: self.version,
            body: serde_json::from_str(&self.body).ok()?,
            note: self.note,
            created_at: self.created_at,
        })
    }
}

impl Scheme {
    /// Every version of a role, newest first; the shipped default is version 1
    /// until a version is saved (nothing is written just by reading).
    pub fn versions(conn: &mut Conn, role: EvalRole) -> QueryResult<Vec<Scheme>> {
        let rows: Vec<Row> = evaluation_schemes::table
            .filter(evaluation_schemes::role.eq(role.code()))
            .order(evaluation_schemes::version.desc())
            .load(conn)?;
        let mut list: Vec<Scheme> = rows.into_iter().filter_map(Row::scheme).collect();
        if !list.iter().any(|s| s.version == 1) {
            list.push(Scheme {
                id: 0,
                role,
                version: 1,
                body: default_body(role),
                note: msg::EVAL_SCHEME_DEFAULT_NOTE.into(),
                created_at: NaiveDateTime::default(),
            });
        }
        Ok(list)
    }

    /// The version in force.
    pub fn current(conn: &mut Conn, role: EvalRole) -> QueryResult<Scheme> {
        Self::versions(conn, role)?.into_iter().next().ok_or(diesel::result::Error::NotFound)
    }

    /// A specific version.
    pub fn version(conn: &mut Conn, role: EvalRole, version: i32) -> QueryResult<Option<Scheme>> {
        Ok(Self::versions(conn, role)?.into_iter().find(|s| s.version == version))
    }

    /// Stores a new version (checked by the caller).
    pub fn save(
        conn: &mut Conn,
        role: EvalRole,
        body: &Body,
        note: &str,
        by: Option<i32>,
        at: NaiveDateTime,
    ) -> QueryResult<i32> {
        let last: Option<i32> = evaluation_schemes::table
            .filter(evaluation_schemes::role.eq(role.code()))
            .select(diesel::dsl::max(evaluation_schemes::version))
            .first(conn)?;
        let json = serde_json::to_string(body)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
        // Version 1 is the shipped default, stored or not.
        let version = last.unwrap_or(1) + 1;
        diesel::insert_into(evaluation_schemes::table)
            .values((
                evaluation_schemes::role.eq(role.code()),
                evaluation_schemes::version.eq(version),
                evaluation_schemes::body.eq(json),
                evaluation_schemes::note.eq(note),
                evaluation_schemes::created_by.eq(by),
                evaluation_schemes::created_at.eq(at),
            ))
            .execute(conn)?;
        Ok(version)
    }
}

/// How a component reads, e.g. "线性 60 100" or "分档 98%:100 95%:80".
pub fn formula(c: &Component) -> String {
    match &c.source {
        Source::Rated if c.veto => msg::EVAL_FORMULA_RATED_VETO.into(),
        Source::Rated => msg::eval_formula_rated(&short_decimals(c.max)),
        Source::Measured { metric, .. } if c.veto => msg::eval_formula_veto(metric_label(metric)),
        Source::Measured { metric, mapping } => {
            let unit = if is_percent(metric) { "%" } else { "" };
            let max = short_decimals(c.max);
            match mapping {
                Mapping::Linear { zero_at, full_at } => msg::eval_formula_linear(
                    metric_label(metric),
                    &format!("{}{unit}", short_decimals(*zero_at)),
                    &format!("{}{unit}", short_decimals(*full_at)),
                    &max,
                ),
                Mapping::Bands { bands } => {
                    let steps: Vec<String> = bands
                        .iter()
                        .map(|b| format!("≥{}{unit} 得 {}%", short_decimals(b.from), b.percent))
                        .collect();
                    msg::eval_formula_bands(metric_label(metric), &steps.join("，"), &max)
                }
            }
        }
    }
}

/// Whether a metric is a share (shown with %) rather than points or a count.
pub fn is_percent(metric: &str) -> bool {
    !matches!(metric, "exam" | "phone" | "inspection" | "three_sixty" | "zero_tolerance")
}

/// The scheme as the admin's text form shows it: one component per line,
/// `代码 | 名称 | 分值 | 来源 | 换算 | 否决`.
pub fn to_text(body: &Body) -> String {
    body.components
        .iter()
        .map(|c| {
            let (source, mapping) = match &c.source {
                Source::Rated => ("评分".to_string(), String::new()),
                Source::Measured { metric, mapping } => (
                    format!("测量:{metric}"),
                    match mapping {
                        Mapping::Linear { zero_at, full_at } => {
                            format!("线性 {} {}", short_decimals(*zero_at), short_decimals(*full_at))
                        }
                        Mapping::Bands { bands } => {
                            let b: Vec<String> = bands
                                .iter()
                                .map(|b| format!("{}:{}", short_decimals(b.from), b.percent))
                                .collect();
                            format!("分档 {}", b.join(" "))
                        }
                    },
                ),
            };
            let veto = if c.veto { " | 否决" } else { "" };
            format!("{} | {} | {} | {source} | {mapping}{veto}", c.code, c.label, short_decimals(c.max))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a scheme's text is refused: the line and what is wrong, or the whole scheme's fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Line(usize, String),
    Scheme(SchemeError),
}

impl std::fmt::Display for TextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TextError::Line(n, what) => write!(f, "{}", msg::eval_scheme_line(*n, what)),
            TextError::Scheme(SchemeError::Sum(sum)) => {
                write!(f, "{}", msg::eval_scheme_sum(&short_decimals(*sum)))
            }
            TextError::Scheme(SchemeError::Duplicate(code)) => {
                write!(f, "{}", msg::eval_scheme_duplicate(code))
            }
            TextError::Scheme(SchemeError::Bad(label)) => write!(f, "{}", msg::eval_scheme_bad(label)),
            TextError::Scheme(SchemeError::TooMany(n)) => write!(f, "{}", msg::eval_scheme_too_many(*n)),
        }
    }
}

/// Reads the admin's text form (see [`to_text`]); blank lines and `#` comments are skipped.
pub fn parse_text(text: &str, missing: Missing) -> Result<Body, TextError> {
    let mut components = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split(['|', '｜']).map(str::trim).collect();
        if cells.len() < 4 {
            return Err(TextError::Line(n, msg::EVAL_SCHEME_CELLS.into()));
        }
        let bad = |what: &str| TextError::Line(n, what.to_string());
        let code = cells[0];
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(bad(msg::EVAL_SCHEME_CODE));
        }
        let max = parse_hundredths(cells[2]).ok_or_else(|| bad(msg::EVAL_SCHEME_POINTS))?;
        let veto = cells.get(5).is_some_and(|v| *v == "否决" || v.eq_ignore_ascii_case("veto"));
        let source = if cells[3] == "评分" || cells[3].eq_ignore_ascii_case("rated") {
            Source::Rated
        } else {
            let metric = cells[3].trim_start_matches("测量").trim_start_matches([':', '：']).trim();
            if !METRICS.iter().any(|(m, _)| *m == metric) {
                return Err(TextError::Line(n, msg::eval_scheme_metric(metric)));
            }
            let mapping = parse_mapping(cells.get(4).copied().unwrap_or(""))
                .ok_or_else(|| bad(msg::EVAL_SCHEME_MAPPING))?;
            Source::Measured { metric: metric.into(), mapping }
        };
        components.push(Component { code: code.into(), label: cells[1].into(), max, source, veto });
    }
    check_scheme(&components).map_err(TextError::Scheme)?;
    Ok(Body { components, missing })
}

/// "线性 60 100" or "分档 98:100 95:80" (figures in the metric's unit, percents of the points).
fn parse_mapping(text: &str) -> Option<Mapping> {
    let mut words = text.split_whitespace();
    match words.next()? {
        "线性" | "linear" => {
            let zero_at = signed_hundredths(words.next()?)?;
            let full_at = signed_hundredths(words.next()?)?;
            words.next().is_none().then_some(Mapping::Linear { zero_at, full_at })
        }
        "分档" | "bands" => {
            let mut bands = Vec::new();
            for w in words {
                let (from, percent) = w.split_once([':', '：'])?;
                let percent: i64 =
                    percent.trim_end_matches('%').parse().ok().filter(|p| (0..=100).contains(p))?;
                bands.push(Band { from: parse_hundredths(from.trim_end_matches('%'))?, percent });
            }
            // Best band first, as the rule reads them.
            bands.sort_by_key(|b| std::cmp::Reverse(b.from));
            (!bands.is_empty()).then_some(Mapping::Bands { bands })
        }
        _ => None,
    }
}

fn signed_hundredths(text: &str) -> Option<i64> {
    match text.strip_prefix('-') {
        Some(t) => parse_hundredths(t).map(|v| -v),
        None => parse_hundredths(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_schemes_sum_to_100_and_read_back_from_their_text() {
        for role in EvalRole::ALL {
            let body = default_body(role);
            assert_eq!(check_scheme(&body.components), Ok(()), "{role:?}");
            assert_eq!(parse_text(&to_text(&body), Missing::Rescale), Ok(body), "{role:?}");
        }
    }

    #[test]
    fn the_text_form_names_the_line_at_fault() {
        let ok = "exam | 业务考试 | 60 | 测量:exam | 线性 60 100\nattitude | 服务态度 | 40 | 评分";
        let body = parse_text(ok, Missing::Zero).map_err(|e| e.to_string());
        assert_eq!(body.as_ref().map(|b| b.components.len()), Ok(2));
        assert_eq!(body.map(|b| b.missing), Ok(Missing::Zero));
        let cases = [
            (
                "exam | 考试 | 60 | 测量:exam | 线性 60\nx | y | 40 | 评分",
                TextError::Line(1, msg::EVAL_SCHEME_MAPPING.into()),
            ),
            ("exam | 考试 | 六十 | 评分", TextError::Line(1, msg::EVAL_SCHEME_POINTS.into())),
            (
                "\n# note\nexam | 考试 | 60 | 测量:height | 线性 1 2",
                TextError::Line(3, msg::eval_scheme_metric("height")),
            ),
            ("考试 | 考试 | 100 | 评分", TextError::Line(1, msg::EVAL_SCHEME_CODE.into())),
            ("exam | 考试 | 50 | 评分", TextError::Scheme(SchemeError::Sum(5_000))),
            ("a | 甲 | 50 | 评分\na | 乙 | 50 | 评分", TextError::Scheme(SchemeError::Duplicate("a".into()))),
            ("a | 甲 | 100", TextError::Line(1, msg::EVAL_SCHEME_CELLS.into())),
        ];
        for (text, want) in cases {
            assert_eq!(parse_text(text, Missing::Rescale), Err(want), "{text}");
        }
    }

    #[test]
    fn bands_are_kept_best_first_whatever_order_they_are_typed() {
        assert_eq!(
            parse_mapping("分档 80:50 100:100 90%:80"),
            Some(Mapping::Bands {
                bands: vec![
                    Band { from: 10_000, percent: 100 },
                    Band { from: 9_000, percent: 80 },
                    Band { from: 8_000, percent: 50 }
                ]
            })
        );
        assert_eq!(parse_mapping("线性 -5 10"), Some(Mapping::Linear { zero_at: -500, full_at: 1_000 }));
        assert_eq!(parse_mapping("分档 80:120"), None);
    }
}
