//! Who inspects which hall: the city's monthly spot checks (halls not
//! visited recently preferred) and a cross-inspection round (county team
//! leaders to halls of other counties, the load balanced).

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// A hall that may be inspected, with its county (area) and how many days
/// since the city last inspected it (`None`: never).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hall {
    pub id: i32,
    pub area: i32,
    pub days_since_visit: Option<i64>,
}

/// A team leader who may inspect, with the county (area) of their hall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inspector {
    pub id: i32,
    pub area: i32,
}

/// Days counted for a hall never visited, and the cap for one visited long
/// ago: a year without a city visit is as urgent as none.
const NEVER: i64 = 365;

/// Proposes `n` halls for the month's spot checks: drawn at random without
/// replacement, each weighted by the days since the city last visited it
/// (never = a year; at least 1), so halls not visited recently come first
/// more often but any hall may be drawn (unannounced).
pub fn propose_spot(halls: &[Hall], n: usize, seed: u64) -> Vec<i32> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut pool: Vec<(i32, i64)> =
        halls.iter().map(|h| (h.id, h.days_since_visit.unwrap_or(NEVER).clamp(1, NEVER))).collect();
    let mut out = Vec::new();
    while out.len() < n && !pool.is_empty() {
        let total: i64 = pool.iter().map(|p| p.1).sum();
        let mut pick = rng.random_range(0..total);
        let at = pool
            .iter()
            .position(|p| {
                pick -= p.1;
                pick < 0
            })
            .unwrap_or(pool.len() - 1);
        out.push(pool.remove(at).0);
    }
    out
}

/// A cross-inspection round: each hall with its inspector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub pairs: Vec<(i32, i32)>,
    /// Halls nobody from another county could take (every inspector is of its county).
    pub unassigned: Vec<i32>,
}

/// Assigns every hall to an inspector of another county, so nobody inspects
/// their own county and the loads differ by at most one whenever any
/// assignment can achieve that (else as even as the counties allow). The
/// order is shuffled by `seed`, so a new round is a new draw and the same
/// seed gives the same round.
///
/// Max-flow in two phases (Kuhn's augmenting paths with capacities): first
/// every inspector takes up to ⌊halls / inspectors⌋, then up to one more.
/// An augmenting path never lowers an inspector's load, so if a balanced
/// assignment exists, phase one fills everyone to the floor and phase two
/// places every remaining hall.
pub fn cross_assign(halls: &[Hall], inspectors: &[Inspector], seed: u64) -> Round {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut halls: Vec<&Hall> = halls.iter().collect();
    let mut people: Vec<Inspector> = inspectors.to_vec();
    halls.shuffle(&mut rng);
    people.shuffle(&mut rng);
    if people.is_empty() {
        return Round { pairs: Vec::new(), unassigned: halls.iter().map(|h| h.id).collect() };
    }
    let floor = halls.len() / people.len();
    // owner[h] = the inspector index holding hall h.
    let mut owner: Vec<Option<usize>> = vec![None; halls.len()];
    let mut load = vec![0usize; people.len()];
    for cap in [floor, floor + 1] {
        for h in 0..halls.len() {
            if owner[h].is_none() {
                let mut seen = vec![false; people.len()];
                place(h, cap, &halls, &people, &mut owner, &mut load, &mut seen);
            }
        }
    }
    // Whatever is left (an unbalanced county mix) goes to the least loaded
    // eligible inspector, so no hall stays out for balance's sake.
    for h in 0..halls.len() {
        if owner[h].is_none() {
            let best =
                (0..people.len()).filter(|&p| people[p].area != halls[h].area).min_by_key(|&p| load[p]);
            if let Some(p) = best {
                owner[h] = Some(p);
                load[p] += 1;
            }
        }
    }
    let mut pairs = Vec::new();
    let mut unassigned = Vec::new();
    for (h, o) in owner.iter().enumerate() {
        match o {
            Some(p) => pairs.push((halls[h].id, people[*p].id)),
            None => unassigned.push(halls[h].id),
        }
    }
    pairs.sort_unstable();
    unassigned.sort_unstable();
    Round { pairs, unassigned }
}

/// One augmenting path for hall `h` with inspector capacity `cap`.
fn place(
    h: usize,
    cap: usize,
    halls: &[&Hall],
    people: &[Inspector],
    owner: &mut [Option<usize>],
    load: &mut [usize],
    seen: &mut [bool],
) -> bool {
    for p in 0..people.len() {
        if seen[p] || people[p].area == halls[h].area {
            continue;
        }
        seen[p] = true;
        if load[p] < cap {
            owner[h] = Some(p);
            load[p] += 1;
            return true;
        }
        // p is full: move one of p's halls to someone else, then take h.
        for other in 0..halls.len() {
            if owner[other] == Some(p) {
                owner[other] = None;
                load[p] -= 1;
                if place(other, cap, halls, people, owner, load, seen) {
                    owner[h] = Some(p);
                    load[p] += 1;
                    return true;
                }
                owner[other] = Some(p);
                load[p] += 1;
            }
        }
    }
    false
}
