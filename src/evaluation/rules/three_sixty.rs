//! The team leaders' 360-degree evaluation: who rates whom, and when an
//! anonymous group's answers may be shown (DESIGN §4 rule 12).

use serde::Serialize;

use crate::auth::Role;
use crate::domain::score::div_half_up;

/// Someone on the org tree, as the rater assignment needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: i32,
    pub role: Role,
    /// The hall they work in or lead (clerks, team leaders, hall managers).
    pub hall: Option<i32>,
    /// The county (or district) of their hall, or the one they supervise.
    pub area: Option<i32>,
}

/// A team leader's raters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Raters {
    /// Their direct superior: the hall's manager, else the area's supervisor.
    pub superior: Option<i32>,
    /// The other team leaders of the same county.
    pub peers: Vec<i32>,
    /// Their hall's clerks.
    pub subordinates: Vec<i32>,
}

/// The raters of `leader` among `staff` (the city office adjusts them before a round opens).
pub fn raters(leader: &Staff, staff: &[Staff]) -> Raters {
    let others = || staff.iter().filter(|s| s.id != leader.id);
    let manager = others()
        .filter(|s| s.role == Role::HallManager && s.hall.is_some() && s.hall == leader.hall)
        .map(|s| s.id)
        .min();
    let supervisor = || {
        others()
            .filter(|s| s.role == Role::Supervisor && s.area.is_some() && s.area == leader.area)
            .map(|s| s.id)
            .min()
    };
    let mut peers: Vec<i32> = others()
        .filter(|s| s.role == Role::TeamLeader && s.area.is_some() && s.area == leader.area)
        .map(|s| s.id)
        .collect();
    let mut subordinates: Vec<i32> = others()
        .filter(|s| s.role == Role::Clerk && s.hall.is_some() && s.hall == leader.hall)
        .map(|s| s.id)
        .collect();
    peers.sort_unstable();
    peers.dedup();
    subordinates.sort_unstable();
    subordinates.dedup();
    // Someone is a rater once, in their closest relation.
    let superior = manager.or_else(supervisor);
    peers.retain(|p| Some(*p) != superior);
    subordinates.retain(|p| Some(*p) != superior && !peers.contains(p));
    Raters { superior, peers, subordinates }
}

/// The fewest answers an anonymous group (peers, subordinates) needs before
/// its results show: the setting, never below 3.
pub fn threshold(setting: i64) -> usize {
    setting.max(3) as usize
}

/// A group's mean per item (hundredths of a 1–5 scale), or None — the group
/// is left out entirely, not folded into a total — under the threshold.
pub fn group_mean(scores: &[i64], threshold: usize) -> Option<i64> {
    (scores.len() >= threshold.max(3))
        .then(|| div_half_up(scores.iter().sum::<i64>() * 100, scores.len() as i64))
}

/// One shown group: the sum of all its scores and how many answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GroupSum {
    pub sum: i64,
    pub answers: i64,
}

/// A group's exact mean over all its items (hundredths of the 1–5 scale, half up).
pub fn exact_group_mean(g: GroupSum, items: i64) -> Option<i64> {
    (g.answers > 0 && items > 0).then(|| div_half_up(g.sum * 100, g.answers * items))
}

/// The overall result: the plain mean of the shown groups' exact means (each
/// group weighs the same, whatever its size), rounded once, half up.
pub fn overall(groups: &[GroupSum], items: i64) -> Option<i64> {
    let groups: Vec<GroupSum> = groups.iter().copied().filter(|g| g.answers > 0).collect();
    if groups.is_empty() || items <= 0 {
        return None;
    }
    // Σ sum_g / (answers_g · items) / G over one common denominator.
    let den: i128 = groups.iter().map(|g| i128::from(g.answers)).product::<i128>()
        * i128::from(items)
        * groups.len() as i128;
    let num: i128 = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let others: i128 = groups
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, h)| i128::from(h.answers))
                .product();
            i128::from(g.sum) * 100 * others
        })
        .sum();
    i64::try_from((2 * num + den) / (2 * den)).ok()
}
