//! Certificates that a deadline cannot be met, in terms a person can check with a calculator.
//!
//! The capacity argument ("energy"): a task with window `[s, f)`, `W` person-days of a role and
//! at most `c` people of that role at once can do at most `c · (days of [s, f) outside [a, b))`
//! of its work outside a window `[a, b)`, so at least `W − c · outside` must fall inside it.
//! When the sum over tasks exceeds the person-days the role supplies in `[a, b)`, no schedule
//! meets the deadlines. This is implied by every schedule, not only by the LP, so the
//! certificate stands on its own. A precedence argument covers dates that even an unlimited
//! team could not meet: a chain of tasks longer than the time to the deadline.

use super::capacity::{overlap, CapacityBound, Windows};

/// Relative tolerance below which an excess of work over supply is not trusted as a proof.
const EPS: f64 = 1e-6;

/// What a certificate argues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// More work of one role must fall inside a window than the role can supply in it.
    Capacity,
    /// A chain of dependent tasks is longer than the time to the deadline.
    CriticalPath,
}

/// Proof that a set of deadlines cannot be met.
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    /// The argument.
    pub kind: Kind,
    /// The role whose work does not fit (capacity certificates).
    pub role: Option<usize>,
    /// First working day of the window.
    pub start: u32,
    /// End of the window (exclusive), in working days.
    pub end: u32,
    /// Person-days that must be done in the window (capacity), or working days the chain
    /// needs (critical path).
    pub required: f64,
    /// Person-days the role supplies in the window (capacity), or working days until the
    /// deadline (critical path).
    pub available: f64,
    /// Activities and their part of `required`, largest first.
    pub tasks: Vec<(usize, f64)>,
    /// The deadline it proves impossible: (milestone node, working day).
    pub deadline: Option<(usize, u32)>,
}

/// Work of a task that must fall inside `[a, b)` given its window `[s, f)`.
pub fn forced_inside(work: f64, rate: f64, s: u32, f: u32, a: u32, b: u32) -> f64 {
    let outside = f.saturating_sub(s) - overlap(s, f, a, b);
    (work - rate * f64::from(outside)).max(0.0)
}

/// The most overloaded window of any role under windows `w`, if one is overloaded.
pub fn find(bound: &CapacityBound, w: &Windows) -> Option<Certificate> {
    if w.finish
        .iter()
        .flatten()
        .any(|&f| f < 0 || f > i64::from(bound.horizon))
    {
        return None;
    }
    let mut best: Option<(f64, Certificate)> = None;
    for r in 0..bound.roles.len() {
        if let Some((excess, cert)) = worst_window(bound, w, r, &bound.capacity[r]) {
            if best.as_ref().is_none_or(|(e, _)| excess > *e) {
                best = Some((excess, cert));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Role `r`'s most overloaded window when the role supplies `capacity` person-days on each
/// working day (for example a candidate team's, when staffing), if one is overloaded.
pub fn find_for_role(
    bound: &CapacityBound,
    w: &Windows,
    r: usize,
    capacity: &[f64],
) -> Option<Certificate> {
    if w.finish
        .iter()
        .flatten()
        .any(|&f| f < 0 || f > i64::from(bound.horizon))
    {
        return None;
    }
    worst_window(bound, w, r, capacity).map(|(_, c)| c)
}

/// Role `r`'s window with the largest excess of forced work over supply, if any exceeds it.
fn worst_window(
    bound: &CapacityBound,
    w: &Windows,
    r: usize,
    capacity: &[f64],
) -> Option<(f64, Certificate)> {
    // (node, work, rate, s, f) of every task of the role that a deadline constrains.
    let tasks: Vec<(usize, f64, f64, u32, u32)> = (0..bound.ids.len())
        .filter_map(|j| {
            let s = bound.shares[j][r]?;
            let f = w.finish[j]? as u32;
            Some((j, s.work, s.rate, w.start[j], f))
        })
        .collect();
    let mut starts: Vec<u32> = tasks.iter().map(|t| t.3).chain([0]).collect();
    let mut ends: Vec<u32> = tasks.iter().map(|t| t.4).collect();
    starts.sort_unstable();
    starts.dedup();
    ends.sort_unstable();
    ends.dedup();
    // Prefix sums of supply so each window's supply is one subtraction.
    let mut prefix = vec![0.0f64; bound.horizon as usize + 1];
    for d in 0..bound.horizon as usize {
        prefix[d + 1] = prefix[d] + capacity[d];
    }
    let mut best: Option<(f64, u32, u32, f64, f64)> = None;
    for &a in &starts {
        for &b in ends.iter().filter(|&&b| b > a) {
            let required: f64 = tasks
                .iter()
                .map(|&(j, work, rate, s, f)| bound.forced_inside(j, (work, rate), (s, f), (a, b)))
                .sum();
            let available = prefix[b as usize] - prefix[a as usize];
            let excess = required - available;
            if excess > EPS * required.max(1.0) && best.is_none_or(|x| excess > x.0) {
                best = Some((excess, a, b, required, available));
            }
        }
    }
    let (excess, a, b, required, available) = best?;
    let mut parts: Vec<(usize, f64)> = tasks
        .iter()
        .map(|&(j, work, rate, s, f)| (j, bound.forced_inside(j, (work, rate), (s, f), (a, b))))
        .filter(|&(_, x)| x > 0.0)
        .collect();
    parts.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    Some((
        excess,
        Certificate {
            kind: Kind::Capacity,
            role: Some(r),
            start: a,
            end: b,
            required,
            available,
            tasks: parts,
            deadline: None,
        },
    ))
}

/// The chain of activities that drives `node`'s earliest start, when it is past `deadline`.
pub fn critical_path(bound: &CapacityBound, node: usize, deadline: u32) -> Option<Certificate> {
    let es = &bound.early_start;
    if es[node] <= deadline {
        return None;
    }
    if bound.on_calendars() {
        return calendar_chain(bound, node, deadline);
    }
    // Walk back along driving predecessors: those whose finish plus lag sets the start.
    let mut chain = vec![node];
    let mut cur = node;
    while let Some(&(p, _)) = bound.preds[cur].iter().find(|&&(p, lag)| {
        i64::from(es[p]) + i64::from(bound.min_duration[p]) + i64::from(lag) == i64::from(es[cur])
            && es[cur] > 0
    }) {
        chain.push(p);
        cur = p;
    }
    Some(chain_certificate(bound, chain, node, deadline))
}

/// The certificate of a chain walked back from `node` (the milestone first): its tasks in
/// order with their shortest durations, against the days to `deadline`.
fn chain_certificate(
    bound: &CapacityBound,
    mut chain: Vec<usize>,
    node: usize,
    deadline: u32,
) -> Certificate {
    chain.reverse();
    chain.pop(); // the milestone itself
    let tasks = chain
        .iter()
        .map(|&j| (j, f64::from(bound.min_duration[j])))
        .collect();
    Certificate {
        kind: Kind::CriticalPath,
        role: None,
        start: 0,
        end: deadline,
        required: f64::from(bound.early_start[node]),
        available: f64::from(deadline),
        tasks,
        deadline: Some((node, deadline)),
    }
}

/// [`critical_path`] on calendars: the chain of finish-to-start links, each counted in its
/// successor's calendar, that sets `node`'s earliest finish (a grid day past `deadline`).
fn calendar_chain(bound: &CapacityBound, node: usize, deadline: u32) -> Option<Certificate> {
    let (count, finish) = bound.calendar_early()?;
    let mut chain = vec![node];
    let mut cur = node;
    while count[cur] > 0 {
        let links = bound.calendar_links(cur)?;
        let Some(&(p, _)) = links
            .iter()
            .find(|&&(p, lag)| bound.calendar_link(cur, finish[p], lag) == Some(count[cur]))
        else {
            break;
        };
        chain.push(p);
        cur = p;
    }
    Some(chain_certificate(bound, chain, node, deadline))
}

impl Certificate {
    /// Re-derives the certificate's numbers from the model's figures by plain arithmetic (no
    /// LP): each task's share, their sum, the supply, and that the sum exceeds the supply.
    pub fn recheck(&self, bound: &CapacityBound) -> bool {
        match self.kind {
            Kind::Capacity => self.recheck_capacity(bound),
            Kind::CriticalPath => self.recheck_chain(bound),
        }
    }

    fn recheck_capacity(&self, bound: &CapacityBound) -> bool {
        let (Some(r), Some((node, d))) = (self.role, self.deadline) else {
            return false;
        };
        let w = bound.windows(&[(node, d)]);
        let mut sum = 0.0;
        for &(j, claimed) in &self.tasks {
            let (Some(s), Some(f)) = (bound.shares[j][r], w.finish[j]) else {
                return false;
            };
            let Ok(f) = u32::try_from(f) else {
                return false;
            };
            let forced =
                bound.forced_inside(j, (s.work, s.rate), (w.start[j], f), (self.start, self.end));
            if (forced - claimed).abs() > EPS * forced.max(1.0) {
                return false;
            }
            sum += claimed;
        }
        let supply: f64 = (self.start..self.end)
            .map(|day| {
                bound.capacity[r]
                    .get(day as usize)
                    .copied()
                    .unwrap_or(f64::INFINITY)
            })
            .sum();
        (sum - self.required).abs() <= EPS * sum.max(1.0)
            && (supply - self.available).abs() <= EPS * supply.max(1.0)
            && sum > supply * (1.0 + EPS) + EPS
    }

    fn recheck_chain(&self, bound: &CapacityBound) -> bool {
        let Some((node, d)) = self.deadline else {
            return false;
        };
        if bound.on_calendars() {
            return self.recheck_calendar_chain(bound, node, d);
        }
        // The chain's length from day 0, recomputed along its links.
        let mut t: i64 = 0;
        let mut prev: Option<usize> = None;
        let members: Vec<usize> = self.tasks.iter().map(|&(j, _)| j).chain([node]).collect();
        for &j in &members {
            if let Some(p) = prev {
                let Some(&(_, lag)) = bound.preds[j].iter().find(|&&(q, _)| q == p) else {
                    return false;
                };
                t = (t + i64::from(lag)).max(0);
            }
            if j != node {
                t += i64::from(bound.min_duration[j]);
            }
            prev = Some(j);
        }
        t > i64::from(d) && (t as f64 - self.required).abs() < EPS
    }

    /// The chain walked again on the calendars: each member starts at the first of its own
    /// working days that its link from the previous one allows (the first at count 0) and
    /// works its shortest duration on its own days; the milestone's finish must pass `d`.
    fn recheck_calendar_chain(&self, bound: &CapacityBound, node: usize, d: u32) -> bool {
        let members: Vec<usize> = self.tasks.iter().map(|&(j, _)| j).chain([node]).collect();
        let mut finish = 0u32;
        let mut prev: Option<usize> = None;
        for &j in &members {
            let count = match prev {
                None => 0,
                Some(p) => {
                    let Some(links) = bound.calendar_links(j) else {
                        return false;
                    };
                    let Some(&(_, lag)) = links.iter().find(|&&(q, _)| q == p) else {
                        return false;
                    };
                    let Some(c) = bound.calendar_link(j, finish, lag) else {
                        return false;
                    };
                    c
                }
            };
            let Some(f) = bound.calendar_step(j, count) else {
                return false;
            };
            finish = f;
            prev = Some(j);
        }
        finish > d && (f64::from(finish) - self.required).abs() < EPS
    }
}
