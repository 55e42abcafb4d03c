//! Energetic reasoning with fixed crews: the non-preemptive counterpart of the energy windows
//! in [`super::certificate`].
//!
//! The relaxation there lets a task's work be split over its window at any crew up to its
//! largest, so a task with modes "4 people for 3 days" and "1 person for 12 days" may put one
//! person-day on each of 12 scattered days. A schedule cannot: the task runs in one mode `m`,
//! for `d_m` consecutive working days, with the same crew `c_m` on each of them. For a window
//! `[a, b)` of a role, the least of its work that must fall inside, whatever the start `S` in
//! `[ES, LF − d_m]`, is `c_m × min(overlap of [ES, ES + d_m), overlap of [LF − d_m, LF))` (the
//! overlap of a fixed-length interval sliding through `[ES, LF)` with `[a, b)` is least at one
//! end), and the least over the modes that fit the window. When the sum over the role's tasks
//! exceeds what the role supplies in `[a, b)`, no schedule meets the dates (the mandatory parts
//! are implied by every schedule, not by any solver).
//!
//! # Complexity
//!
//! For a role with `t` tasks of at most `M` modes, windows `[a, b)` are tried from the
//! `O(t · M)` left and right ends of each mode's earliest and latest placement, so `O(t² M²)`
//! windows of `O(t · M)` each: `O(t³ M³)` per role, on FANZ (143 tasks, at most 4 modes) a few
//! milliseconds per role.

use super::capacity::{overlap, CapacityBound, Windows};

/// Relative tolerance below which an excess of work over supply is not trusted as a proof.
const EPS: f64 = 1e-6;

/// Most window ends tried per side and role: beyond it the ends are thinned evenly (fewer
/// windows only weaken the check, never its soundness).
const MAX_ENDS: usize = 400;

/// A window of one role that the tasks' fixed-crew mandatory parts overload.
#[derive(Debug, Clone, PartialEq)]
pub struct Overload {
    /// The role.
    pub role: usize,
    /// First working day of the window.
    pub start: u32,
    /// End of the window (exclusive).
    pub end: u32,
    /// Person-days that must be worked in the window.
    pub required: f64,
    /// Person-days the role supplies in it.
    pub available: f64,
}

/// One mode that fits an activity's window: its duration and its crew of the role (people),
/// and the window as counts of the activity's own working days (grid days without
/// calendars): it works `duration` consecutive ones of its days, from `es` at the earliest,
/// ending by `lf`.
#[derive(Debug, Clone, Copy)]
struct Placement {
    node: usize,
    duration: u32,
    crew: f64,
    es: u32,
    lf: u32,
}

/// The least person-days of the role `task` (its modes that fit) must work inside grid days
/// `[a, b)`: on calendars the window becomes the task's own working days in it, where its
/// work is consecutive, so the overlap is least at one end as on the grid.
fn mandatory(count: impl Fn(usize, u32) -> u32, task: &[Placement], a: u32, b: u32) -> f64 {
    task.iter()
        .map(|p| {
            let (a, b) = (count(p.node, a), count(p.node, b));
            let left = overlap(p.es, p.es + p.duration, a, b);
            let right = overlap(p.lf - p.duration, p.lf, a, b);
            p.crew * f64::from(left.min(right))
        })
        .fold(f64::INFINITY, f64::min)
}

/// Each task of role `r` that a deadline constrains, as the modes that fit its window; `None`
/// when some task has no mode that fits (the window check proves that on its own).
fn placements(bound: &CapacityBound, w: &Windows, r: usize) -> Option<Vec<Vec<Placement>>> {
    let mut out = Vec::new();
    for (j, modes) in bound.modes.iter().enumerate() {
        let Some(f) = w.finish[j] else { continue };
        if bound.shares[j][r].is_none() {
            continue;
        }
        let es = bound.count(j, w.start[j]);
        let lf = bound.count(j, u32::try_from(f).ok()?);
        let fits: Vec<Placement> = modes
            .iter()
            .filter(|m| m.duration > 0 && es + m.duration <= lf)
            .map(|m| Placement {
                node: j,
                duration: m.duration,
                crew: m.crew[r],
                es,
                lf,
            })
            .collect();
        if fits.is_empty() {
            return None;
        }
        // A fitting mode without this role: the role's mandatory part is zero.
        if fits.iter().any(|p| p.crew == 0.0) {
            continue;
        }
        out.push(fits);
    }
    Some(out)
}

/// Sorted, deduplicated, thinned to at most [`MAX_ENDS`].
fn ends(mut xs: Vec<u32>) -> Vec<u32> {
    xs.sort_unstable();
    xs.dedup();
    if xs.len() <= MAX_ENDS {
        return xs;
    }
    let step = xs.len() as f64 / MAX_ENDS as f64;
    (0..MAX_ENDS)
        .map(|i| xs[(i as f64 * step) as usize])
        .collect()
}

/// The most overloaded window of role `r` under windows `w`, if any is overloaded.
pub fn overload(bound: &CapacityBound, w: &Windows, r: usize) -> Option<Overload> {
    let tasks = placements(bound, w, r)?;
    if tasks.is_empty() {
        return None;
    }
    let flat = tasks.iter().flatten();
    let starts = ends(
        flat.clone()
            .flat_map(|p| {
                [
                    bound.grid_start(p.node, p.es),
                    bound.grid_start(p.node, p.lf - p.duration),
                ]
            })
            .collect(),
    );
    let finishes = ends(
        flat.flat_map(|p| {
            [
                bound.grid_end(p.node, p.lf),
                bound.grid_end(p.node, p.es + p.duration),
            ]
        })
        .collect(),
    );
    let horizon = bound.horizon as usize;
    let mut prefix = vec![0.0f64; horizon + 1];
    for d in 0..horizon {
        prefix[d + 1] = prefix[d] + bound.capacity[r][d];
    }
    let mut best: Option<(f64, Overload)> = None;
    for &a in &starts {
        for &b in finishes.iter().filter(|&&b| b > a && b as usize <= horizon) {
            let available = prefix[b as usize] - prefix[a as usize];
            let mut required = 0.0;
            for t in &tasks {
                required += mandatory(|j, t| bound.count(j, t), t, a, b);
            }
            let excess = required - available;
            if excess > EPS * required.max(1.0) && best.as_ref().is_none_or(|x| excess > x.0) {
                let o = Overload {
                    role: r,
                    start: a,
                    end: b,
                    required,
                    available,
                };
                best = Some((excess, o));
            }
        }
    }
    best.map(|(_, o)| o)
}

/// The most overloaded fixed-crew window of any role under `w`, if one is overloaded.
pub fn find(bound: &CapacityBound, w: &Windows) -> Option<Overload> {
    if w.finish
        .iter()
        .flatten()
        .any(|&f| f < 0 || f > i64::from(bound.horizon))
    {
        return None;
    }
    (0..bound.roles.len())
        .filter_map(|r| overload(bound, w, r))
        .max_by(|x, y| (x.required - x.available).total_cmp(&(y.required - y.available)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_crew_cannot_spread_its_work_outside_a_window() {
        // 4 people for 3 days in a window of 5 days: at least 1 day of it lies in [2, 3) —
        // in any of the 3 starts 0, 1, 2 — so 4 person-days, where spreading at a crew of 4
        // would force none (12 − 4 × 4 outside < 0).
        let p = [Placement {
            node: 0,
            duration: 3,
            crew: 4.0,
            es: 0,
            lf: 5,
        }];
        assert_eq!(mandatory(|_, t| t, &p, 2, 3), 4.0);
        assert_eq!(mandatory(|_, t| t, &p, 0, 1), 0.0);
        assert_eq!(mandatory(|_, t| t, &p, 0, 5), 12.0);
        // With a second mode, the cheaper placement counts.
        let two = [
            p[0],
            Placement {
                node: 0,
                duration: 5,
                crew: 2.0,
                es: 0,
                lf: 5,
            },
        ];
        assert_eq!(mandatory(|_, t| t, &two, 2, 3), 2.0);
    }
}
