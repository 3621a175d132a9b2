//! The monthly scorecard (issue 9): per clerk and month the exam score (and
//! retest), phone-test average, reading compliance, drill speed and accuracy
//! against the targets and study attendance, each with the hall, area and
//! city figure beside it and the rank in the hall; hall and area (县分)
//! scorecards roll these up.
//!
//! [`model`] loads the facts from the rooms that own them, [`rules`] makes
//! the figures (pure), [`view`] turns them into text for the pages,
//! [`export`] writes CSV and Excel, [`svg`] draws a clerk's trend,
//! [`routes`] serves the pages. The figures are always computed city-wide;
//! what a viewer sees is cut to their scope here ([`Scope`]).

pub mod cache;
pub mod export;
pub mod model;
pub mod routes;
pub mod rules;
pub mod svg;
pub mod view;

use serde::Serialize;

use crate::exam::model::Tree;
use crate::web::msg;
use rules::{ClerkCard, Rollup, Scorecard};

/// Which scorecard: clerks, halls or areas (县分).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Clerk,
    Hall,
    County,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Clerk, Level::Hall, Level::County];

    pub fn code(self) -> &'static str {
        match self {
            Level::Clerk => "clerk",
            Level::Hall => "hall",
            Level::County => "county",
        }
    }

    pub fn parse(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code.trim())
    }

    /// Also the name of the level's sheet in the workbook.
    pub fn label(self) -> &'static str {
        match self {
            Level::Clerk => msg::SCORECARD_LEVEL_CLERK,
            Level::Hall => msg::SCORECARD_LEVEL_HALL,
            Level::County => msg::SCORECARD_LEVEL_COUNTY,
        }
    }
}

/// Whose rows a viewer may see: trainers and admins everything, supervisors
/// their county or the city, team leaders and hall managers their hall
/// ([`Scope::with_own_halls`]).
pub use crate::domain::Scope;

/// The rows of a scorecard a viewer may see (the figures beside them stay city-wide).
#[derive(Debug, Clone)]
pub struct Visible {
    pub clerks: Vec<ClerkCard>,
    pub halls: Vec<Rollup>,
    pub areas: Vec<Rollup>,
    pub city: Rollup,
}

pub fn visible(card: &Scorecard, scope: &Scope, tree: &Tree) -> Visible {
    let unit = |id: Option<i32>| id.is_some_and(|id| scope.sees_ancestry(&tree.ancestry(Some(id))));
    Visible {
        clerks: card.clerks.iter().filter(|c| unit(Some(c.facts.hall_id))).cloned().collect(),
        halls: card.halls.iter().filter(|h| unit(h.id)).cloned().collect(),
        areas: card.areas.iter().filter(|a| unit(a.id)).cloned().collect(),
        city: card.city.clone(),
    }
}

impl Visible {
    /// Keeps one area's and/or one hall's rows (the page's filter).
    pub fn only(&mut self, area: Option<i32>, hall: Option<i32>) {
        if let Some(a) = area {
            self.clerks.retain(|c| c.facts.area_id == Some(a));
            self.halls.retain(|h| h.area_id == Some(a));
            self.areas.retain(|r| r.id == Some(a));
        }
        if let Some(h) = hall {
            self.clerks.retain(|c| c.facts.hall_id == h);
            self.halls.retain(|r| r.id == Some(h));
        }
    }
}
