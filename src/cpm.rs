//! The critical path method: forward and backward passes over a [`TaskGraph`] in working days,
//! giving early/late dates, total and free float, and the chain of zero-float work that sets
//! the end date. It assumes unlimited people, so its duration is a lower bound for any schedule.

use crate::calendar::{Calendar, GridClock, WorkCalendar};
use crate::graph::{LinkType, TaskGraph};
use crate::model::ConstraintKind;

/// Float at or below this counts as zero (durations are sums of decimal fractions).
pub const EPS: f64 = 1e-6;

/// Early and late dates of every activity, in working days from the start (day 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Cpm {
    /// The project duration: the latest early finish.
    pub duration: f64,
    /// Earliest start of each activity.
    pub early_start: Vec<f64>,
    /// `early_start + duration`.
    pub early_finish: Vec<f64>,
    /// Latest start that keeps the project duration.
    pub late_start: Vec<f64>,
    /// Latest finish that keeps the project duration.
    pub late_finish: Vec<f64>,
    /// `late_start - early_start`.
    pub total_float: Vec<f64>,
    /// Delay possible without delaying any successor's early start (or the project finish
    /// for an activity with no successor).
    pub free_float: Vec<f64>,
    /// One chain of zero-float activities from a start to the finish, each driving the next.
    pub critical_path: Vec<usize>,
    /// Links `(pred, succ)` a hard date constraint on `succ` breaks: with MS Project's default
    /// ("tasks honour their constraint dates") the constraint wins and the link is not met.
    pub broken_links: Vec<(usize, usize)>,
}

impl Cpm {
    /// True when the activity has (near) zero total float.
    pub fn is_critical(&self, i: usize) -> bool {
        self.total_float[i] <= EPS
    }
}

/// Runs the forward and backward passes.
///
/// Arguments: the graph, and each activity's duration in working days (0 for milestones and
/// finished work). Returns every activity's dates and floats and one critical path.
///
/// # Complexity
///
/// `O(n + e)` time and `O(n)` memory for `n` activities and `e` links: the forward pass
/// visits each activity once in topological order reading its predecessors, the backward
/// pass reads each activity's successors in reverse order, and tracing the critical path
/// reads each link at most once more.
pub fn analyze(graph: &TaskGraph, durations: &[f64]) -> Cpm {
    let n = graph.len();
    assert_eq!(durations.len(), n, "one duration per activity");
    let (es, ef) = if graph.is_finish_to_start() {
        forward_finish_to_start(graph, durations)
    } else {
        forward_linked(graph, durations)
    };
    let duration = ef.iter().copied().fold(0.0, f64::max);
    let (lf, ff) = if graph.is_finish_to_start() {
        backward_finish_to_start(graph, durations, &es, &ef, duration)
    } else {
        backward_linked(graph, durations, &es, &ef, duration)
    };
    let ls: Vec<f64> = (0..n).map(|i| lf[i] - durations[i]).collect();
    let tf: Vec<f64> = (0..n).map(|i| (ls[i] - es[i]).max(0.0)).collect();
    let critical_path = trace_critical_path(graph, &es, &ef, &tf, duration, |i| es[i] <= EPS);
    Cpm {
        duration,
        early_start: es,
        early_finish: ef,
        late_start: ls,
        late_finish: lf,
        total_float: tf,
        free_float: ff,
        critical_path,
        broken_links: Vec::new(),
    }
}

/// Date constraints, deadlines and the status date of every activity, in working-day time.
///
/// A constraint's time is a start time for `start_*` and `must_start_on`, a finish time for
/// the `finish_*` kinds and `must_finish_on`; a deadline is a finish time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Windows {
    /// Each activity's date constraint, if any.
    pub constraint: Vec<Option<(ConstraintKind, f64)>>,
    /// Each activity's deadline, if any.
    pub deadline: Vec<Option<f64>>,
    /// Nothing starts before this time (the status date; 0 when it is the project start).
    pub floor: f64,
}

impl Windows {
    /// No constraint, no deadline, the status date at day 0: plain CPM.
    pub fn none(n: usize) -> Self {
        Windows {
            constraint: vec![None; n],
            deadline: vec![None; n],
            floor: 0.0,
        }
    }

    /// Each activity's first possible start by the status date and its constraint from below,
    /// with `durations` for a finish constraint (it starts that long before the date).
    pub fn early_starts(&self, durations: &[f64]) -> Vec<f64> {
        self.constraint
            .iter()
            .zip(durations)
            .map(|(c, &d)| match *c {
                Some((kind, t)) if kind.bounds_early() => {
                    let (start, _) = constrained_start(Some((kind, t)), 0.0, d);
                    start.max(self.floor)
                }
                _ => self.floor,
            })
            .collect()
    }

    /// True when the windows change nothing, so [`analyze`] gives the same answer.
    pub fn is_empty(&self) -> bool {
        self.floor <= 0.0
            && self.constraint.iter().all(Option::is_none)
            && self.deadline.iter().all(Option::is_none)
    }
}

/// Working time of each activity over the days of the schedule's grid: how many of its own
/// working days lie in grid time `[0, t)` (its count), and back. With one calendar for all the
/// grid is that calendar's working days and every count is the time itself ([`SameDays`]);
/// with calendars per task ([`GridClock`]) a task's duration and the lags into it are counts
/// of its own working days.
pub trait WorkTime {
    /// Activity `i`'s working time in grid time `[0, t)`.
    fn count(&self, i: usize, t: f64) -> f64;
    /// The latest grid time at which activity `i` has worked `c`: where work that has done
    /// `c` goes on (the beginning of its next working day for a whole `c`).
    fn start_at(&self, i: usize, c: f64) -> f64;
    /// The earliest grid time at which activity `i` has worked `c`: where work that is `c`
    /// long ends (the end of its last working day for a whole `c`).
    fn finish_at(&self, i: usize, c: f64) -> f64;
}

/// Every activity works every day of the grid: counts are times.
#[derive(Debug, Clone, Copy, Default)]
pub struct SameDays;

impl WorkTime for SameDays {
    #[inline]
    fn count(&self, _: usize, t: f64) -> f64 {
        t
    }
    #[inline]
    fn start_at(&self, _: usize, c: f64) -> f64 {
        c
    }
    #[inline]
    fn finish_at(&self, _: usize, c: f64) -> f64 {
        c
    }
}

impl WorkTime for GridClock {
    fn count(&self, i: usize, t: f64) -> f64 {
        GridClock::count(self, i, t)
    }
    fn start_at(&self, i: usize, c: f64) -> f64 {
        GridClock::start_at(self, i, c)
    }
    fn finish_at(&self, i: usize, c: f64) -> f64 {
        GridClock::finish_at(self, i, c)
    }
}

/// Runs the forward and backward passes honouring date constraints and deadlines with MS
/// Project's default, "tasks honour their constraint dates":
///
/// - forward pass: `start_no_earlier` and `finish_no_earlier` hold the early dates back;
///   `must_start_on` and `must_finish_on` set them; `start_no_later` and `finish_no_later`
///   cap them, even where a predecessor's link asks for later (the link is then broken and
///   listed in [`Cpm::broken_links`]);
/// - backward pass: `must_*` set the late dates (no float flows through the task), `*_no_later`
///   and the deadline cap them; early constraints leave them alone;
/// - total float is `late start - early start` and may be negative: the conflict shows there
///   instead of moving the task.
///
/// With empty windows this is [`analyze`].
///
/// # Complexity
///
/// `O(n + e)`, as [`analyze`].
pub fn analyze_windowed(graph: &TaskGraph, durations: &[f64], windows: &Windows) -> Cpm {
    if windows.is_empty() {
        return analyze(graph, durations);
    }
    analyze_clocked(graph, durations, windows, &SameDays)
}

/// [`analyze_windowed`] with a calendar per activity: `clock` says which days of the grid
/// each activity works. Durations, lags into an activity and its floats count its own working
/// days; dates (early and late starts and finishes, the windows, the project duration) are
/// grid times. A task that can start at a time its calendar does not work starts on its next
/// working day; a finish is the end of its last working day (a milestone's too).
///
/// # Complexity
///
/// `O((n + e) log h)` for a grid of `h` days: each link asks the clock a few counts.
pub fn analyze_on_calendars(
    graph: &TaskGraph,
    durations: &[f64],
    windows: &Windows,
    clock: &GridClock,
) -> Cpm {
    analyze_clocked(graph, durations, windows, clock)
}

/// The windowed passes on any clock; see [`analyze_windowed`] and [`analyze_on_calendars`].
fn analyze_clocked<K: WorkTime>(
    graph: &TaskGraph,
    durations: &[f64],
    windows: &Windows,
    clock: &K,
) -> Cpm {
    let n = graph.len();
    assert_eq!(durations.len(), n, "one duration per activity");
    let early = forward_windowed(graph, durations, windows, clock);
    let duration = early.finish.iter().copied().fold(windows.floor, f64::max);
    let ff = free_floats(graph, durations, &early, duration, clock);
    let late = backward_windowed(graph, durations, windows, duration, clock);
    let tf: Vec<f64> = (0..n)
        .map(|i| {
            let float = late.finish_count[i] - durations[i] - early.start_count[i];
            if float.abs() <= EPS {
                0.0
            } else {
                float
            }
        })
        .collect();
    let broken_links = broken_links(graph, durations, &early, clock);
    let critical_path = trace_back(graph, durations, &early, &tf, duration, clock);
    Cpm {
        duration,
        early_start: early.start,
        early_finish: early.finish,
        late_start: late.start,
        late_finish: late.finish,
        total_float: tf,
        free_float: ff,
        critical_path,
        broken_links,
    }
}

/// The early dates of the windowed forward pass.
struct Early {
    /// Grid times.
    start: Vec<f64>,
    finish: Vec<f64>,
    /// Each activity's start in its own working time.
    start_count: Vec<f64>,
    /// Whether a constraint or the status date (not a link) set the start.
    pinned: Vec<bool>,
}

/// The start, in `i`'s working time, that the link `kind` from `p` with `lag` asks of `i`
/// (`d` long): the lag counts in `i`'s calendar.
#[inline]
fn asked_start<K: WorkTime>(
    clock: &K,
    early: &Early,
    (p, lag, kind): (usize, f64, LinkType),
    i: usize,
    d: f64,
) -> f64 {
    kind.earliest_start(
        clock.count(i, early.start[p]),
        clock.count(i, early.finish[p]),
        lag,
        d,
    )
}

/// The grid times of work `d` long that starts at count `c`: a start on the beginning of a
/// working day, a finish on the end of one; a zero-length activity sits at the end of the
/// last working day before it.
#[inline]
fn placed<K: WorkTime>(clock: &K, i: usize, c: f64, d: f64) -> (f64, f64) {
    let finish = clock.finish_at(i, c + d);
    let start = if d > 0.0 {
        clock.start_at(i, c)
    } else {
        finish
    };
    (start, finish)
}

/// The early start a constraint gives an activity whose links ask for `logic`, and whether the
/// constraint (not a link) set it.
fn constrained_start(constraint: Option<(ConstraintKind, f64)>, logic: f64, d: f64) -> (f64, bool) {
    let Some((kind, t)) = constraint else {
        return (logic, false);
    };
    let wanted = match kind {
        ConstraintKind::StartNoEarlier => logic.max(t),
        ConstraintKind::FinishNoEarlier => logic.max(t - d),
        ConstraintKind::StartNoLater => logic.min(t),
        ConstraintKind::FinishNoLater => logic.min(t - d),
        ConstraintKind::MustStartOn => t,
        ConstraintKind::MustFinishOn => t - d,
    };
    (wanted, (wanted - logic).abs() > EPS)
}

/// Early dates with constraints honoured; also whether each start was set by its constraint.
fn forward_windowed<K: WorkTime>(
    graph: &TaskGraph,
    durations: &[f64],
    windows: &Windows,
    clock: &K,
) -> Early {
    let n = graph.len();
    let mut early = Early {
        start: vec![0.0; n],
        finish: vec![0.0; n],
        start_count: vec![0.0; n],
        pinned: vec![false; n],
    };
    for &i in &graph.order {
        let d = durations[i];
        let floor = clock.count(i, windows.floor);
        let logic = graph
            .preds(i)
            .iter()
            .zip(graph.pred_types(i))
            .map(|(&(p, lag), &kind)| asked_start(clock, &early, (p, lag, kind), i, d))
            .fold(floor, f64::max);
        let constraint = windows.constraint[i].map(|(kind, t)| (kind, clock.count(i, t)));
        let (start, by_constraint) = constrained_start(constraint, logic, d);
        // Nothing starts before the status date, whatever a constraint asks.
        let c = start.max(floor);
        // The chain that sets the finish starts where a constraint or the status date holds
        // the work (or, with the status date at day 0, where nothing came before).
        early.pinned[i] = (by_constraint && c > floor - EPS) || c <= floor + EPS;
        early.start_count[i] = c;
        (early.start[i], early.finish[i]) = placed(clock, i, c, d);
    }
    early
}

/// Free floats in each activity's working time: the delay that moves no successor's early
/// date and not the project's end.
fn free_floats<K: WorkTime>(
    graph: &TaskGraph,
    durations: &[f64],
    early: &Early,
    duration: f64,
    clock: &K,
) -> Vec<f64> {
    let mut ff = vec![0.0f64; graph.len()];
    for &i in graph.order.iter().rev() {
        let finish = early.start_count[i] + durations[i];
        let mut free = clock.count(i, duration) - finish;
        for (&(s, lag), kind) in graph.succs(i).iter().zip(graph.succ_types(i)) {
            let succ_end = if kind.to_finish() {
                early.finish[s]
            } else {
                early.start[s]
            };
            let own = if kind.from_start() { durations[i] } else { 0.0 };
            let latest = clock.count(i, clock.start_at(s, clock.count(s, succ_end) - lag)) + own;
            free = free.min(latest - finish);
        }
        ff[i] = free.max(0.0);
    }
    ff
}

/// An activity's late finish (in its working time) from its successors (`from_links`), with
/// its own constraint and deadline (also in its working time) applied.
fn late_finish_windowed(
    from_links: f64,
    d: f64,
    constraint: Option<(ConstraintKind, f64)>,
    deadline: Option<f64>,
) -> f64 {
    let mut late = from_links;
    if let Some((kind, t)) = constraint {
        late = match kind {
            ConstraintKind::StartNoLater => late.min(t + d),
            ConstraintKind::FinishNoLater => late.min(t),
            ConstraintKind::MustStartOn => t + d,
            ConstraintKind::MustFinishOn => t,
            ConstraintKind::StartNoEarlier | ConstraintKind::FinishNoEarlier => late,
        };
    }
    if let Some(t) = deadline {
        late = late.min(t);
    }
    late
}

/// The late dates of the backward pass.
struct Late {
    /// Grid times.
    start: Vec<f64>,
    finish: Vec<f64>,
    /// Each activity's late finish in its own working time.
    finish_count: Vec<f64>,
}

/// Late finishes: each activity's from its successors' late dates and the project's end, then
/// its own constraint and deadline.
fn backward_windowed<K: WorkTime>(
    graph: &TaskGraph,
    durations: &[f64],
    windows: &Windows,
    duration: f64,
    clock: &K,
) -> Late {
    let n = graph.len();
    let mut late = Late {
        start: vec![duration; n],
        finish: vec![duration; n],
        finish_count: vec![0.0; n],
    };
    for &i in graph.order.iter().rev() {
        let d = durations[i];
        let mut bound = clock.count(i, duration);
        for (&(s, lag), kind) in graph.succs(i).iter().zip(graph.succ_types(i)) {
            let succ_end = if kind.to_finish() {
                late.finish[s]
            } else {
                late.start[s]
            };
            let own = if kind.from_start() { d } else { 0.0 };
            // The latest end of `i` the link allows: the lag counts in the successor's days.
            let allowed = clock.start_at(s, clock.count(s, succ_end) - lag);
            bound = bound.min(clock.count(i, allowed) + own);
        }
        let constraint = windows.constraint[i].map(|(kind, t)| (kind, clock.count(i, t)));
        let deadline = windows.deadline[i].map(|t| clock.count(i, t));
        let c = late_finish_windowed(bound, d, constraint, deadline);
        late.finish_count[i] = c;
        (late.start[i], late.finish[i]) = placed(clock, i, c - d, d);
    }
    late
}

/// Links whose successor starts earlier than the link asks: only a hard constraint does that.
fn broken_links<K: WorkTime>(
    graph: &TaskGraph,
    durations: &[f64],
    early: &Early,
    clock: &K,
) -> Vec<(usize, usize)> {
    let mut broken = Vec::new();
    for &i in &graph.order {
        for (&(p, lag), &kind) in graph.preds(i).iter().zip(graph.pred_types(i)) {
            if asked_start(clock, early, (p, lag, kind), i, durations[i])
                > early.start_count[i] + EPS
            {
                broken.push((p, i));
            }
        }
    }
    broken
}

/// The chain that sets the finish, walked back from the activity that ends last: each step the
/// zero-float predecessor whose link drives it, until a start that a constraint, the status
/// date or day 0 sets. Among ties it prefers the longer activity, as the forward trace does.
fn trace_back<K: WorkTime>(
    graph: &TaskGraph,
    durations: &[f64],
    early: &Early,
    tf: &[f64],
    duration: f64,
    clock: &K,
) -> Vec<usize> {
    let (es, ef) = (&early.start, &early.finish);
    let zero = |i: usize| tf[i] <= EPS;
    let longer = |a: &usize, b: &usize| {
        (ef[*a] - es[*a])
            .total_cmp(&(ef[*b] - es[*b]))
            .then(b.cmp(a))
    };
    // The last in topological order: a milestone after the finishing work ends the chain.
    let Some(mut cur) = graph
        .order
        .iter()
        .rev()
        .copied()
        .find(|&i| zero(i) && (ef[i] - duration).abs() <= EPS)
    else {
        return Vec::new();
    };
    let mut path = vec![cur];
    while !early.pinned[cur] {
        let d = durations[cur];
        let driver = graph
            .preds(cur)
            .iter()
            .zip(graph.pred_types(cur))
            .filter(|&(&(p, lag), &kind)| {
                zero(p)
                    && (asked_start(clock, early, (p, lag, kind), cur, d) - early.start_count[cur])
                        .abs()
                        <= EPS
            })
            .map(|(&(p, _), _)| p)
            .max_by(longer);
        match driver {
            Some(p) => {
                path.push(p);
                cur = p;
            }
            None => break,
        }
    }
    path.reverse();
    path
}

/// Early starts and finishes when every link is finish-to-start: the hot path.
fn forward_finish_to_start(graph: &TaskGraph, durations: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let n = graph.len();
    let mut es = vec![0.0f64; n];
    let mut ef = vec![0.0f64; n];
    for &i in &graph.order {
        let start = graph
            .preds(i)
            .iter()
            .map(|&(p, lag)| ef[p] + lag)
            .fold(0.0, f64::max);
        es[i] = start;
        ef[i] = start + durations[i];
    }
    (es, ef)
}

/// Early starts and finishes with links of every type. Leads may ask for a start before day
/// 0; it is clamped there, as MS Project does: nothing starts before the project.
fn forward_linked(graph: &TaskGraph, durations: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let n = graph.len();
    let mut es = vec![0.0f64; n];
    let mut ef = vec![0.0f64; n];
    for &i in &graph.order {
        let start = graph
            .preds(i)
            .iter()
            .zip(graph.pred_types(i))
            .map(|(&(p, lag), kind)| kind.earliest_start(es[p], ef[p], lag, durations[i]))
            .fold(0.0, f64::max);
        es[i] = start;
        ef[i] = start + durations[i];
    }
    (es, ef)
}

/// Late finishes and free floats when every link is finish-to-start.
fn backward_finish_to_start(
    graph: &TaskGraph,
    durations: &[f64],
    es: &[f64],
    ef: &[f64],
    duration: f64,
) -> (Vec<f64>, Vec<f64>) {
    let n = graph.len();
    let mut lf = vec![duration; n];
    let mut ls = vec![0.0f64; n];
    let mut ff = vec![0.0f64; n];
    for &i in graph.order.iter().rev() {
        let succs = graph.succs(i);
        let (late, free) = if succs.is_empty() {
            (duration, duration - ef[i])
        } else {
            succs
                .iter()
                .fold((f64::INFINITY, f64::INFINITY), |(late, free), &(s, lag)| {
                    (late.min(ls[s] - lag), free.min(es[s] - lag - ef[i]))
                })
        };
        // A lead may let a predecessor's late finish pass the end; nothing finishes after it.
        lf[i] = late.min(duration);
        ls[i] = lf[i] - durations[i];
        ff[i] = free.min(duration - ef[i]).max(0.0);
    }
    (lf, ff)
}

/// Late finishes and free floats with links of every type. Every activity finishes by the
/// project's end (a start-to-start successor does not let its predecessor run past it), and
/// free float is the delay that moves no successor's early date and not the end.
fn backward_linked(
    graph: &TaskGraph,
    durations: &[f64],
    es: &[f64],
    ef: &[f64],
    duration: f64,
) -> (Vec<f64>, Vec<f64>) {
    let n = graph.len();
    let mut lf = vec![duration; n];
    let mut ff = vec![0.0f64; n];
    for &i in graph.order.iter().rev() {
        let mut late = duration;
        let mut free = duration - ef[i];
        for (&(s, lag), kind) in graph.succs(i).iter().zip(graph.succ_types(i)) {
            // The latest end of `i` the link allows, from the successor's latest dates.
            let succ_end = if kind.to_finish() {
                lf[s]
            } else {
                lf[s] - durations[s]
            };
            let own = if kind.from_start() { durations[i] } else { 0.0 };
            late = late.min(succ_end - lag + own);
            free = free.min(es[s] - kind.earliest_start(es[i], ef[i], lag, durations[s]));
        }
        lf[i] = late;
        ff[i] = free.max(0.0);
    }
    (lf, ff)
}

/// Follows driving links (the link alone sets the successor's early start) between zero-float
/// activities, from one that starts at day 0 to one that finishes at the project's end.
/// Among ties it prefers the longer activity, so the path reads as the work that matters.
fn trace_critical_path(
    graph: &TaskGraph,
    es: &[f64],
    ef: &[f64],
    tf: &[f64],
    duration: f64,
    at_origin: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let zero = |i: usize| tf[i] <= EPS;
    let drives = |p: usize, s: usize, lag: f64, kind: LinkType| {
        (kind.earliest_start(es[p], ef[p], lag, ef[s] - es[s]) - es[s]).abs() <= EPS
    };
    let Some(mut cur) = graph
        .order
        .iter()
        .copied()
        .filter(|&i| {
            zero(i)
                && at_origin(i)
                && graph
                    .preds(i)
                    .iter()
                    .zip(graph.pred_types(i))
                    .all(|(&(p, lag), &kind)| !drives(p, i, lag, kind) || !zero(p))
        })
        .max_by(|&a, &b| (ef[a] - es[a]).total_cmp(&(ef[b] - es[b])).then(b.cmp(&a)))
    else {
        return Vec::new();
    };
    let mut path = vec![cur];
    while (ef[cur] - duration).abs() > EPS
        || graph
            .succs(cur)
            .iter()
            .zip(graph.succ_types(cur))
            .any(|(&(s, lag), &kind)| zero(s) && drives(cur, s, lag, kind))
    {
        let next = graph
            .succs(cur)
            .iter()
            .zip(graph.succ_types(cur))
            .filter(|&(&(s, lag), &kind)| zero(s) && drives(cur, s, lag, kind))
            .map(|(&(s, _), _)| s)
            .max_by(|&a, &b| (ef[a] - es[a]).total_cmp(&(ef[b] - es[b])).then(b.cmp(&a)));
        match next {
            Some(s) => {
                path.push(s);
                cur = s;
            }
            None => break,
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 14-activity construction network (the shape of Hillier & Lieberman's classic example),
    /// worked by hand: duration 44, critical path A-B-C-E-F-J-L-N.
    #[test]
    fn textbook_network_has_the_known_critical_path() {
        let names = [
            "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N",
        ];
        let dur = [
            2.0, 4.0, 10.0, 6.0, 4.0, 5.0, 7.0, 9.0, 7.0, 8.0, 4.0, 5.0, 2.0, 6.0,
        ];
        let idx = |s: &str| names.iter().position(|n| *n == s).unwrap();
        let links = [
            ("A", "B"),
            ("B", "C"),
            ("C", "D"),
            ("C", "E"),
            ("C", "I"),
            ("E", "F"),
            ("D", "G"),
            ("E", "G"),
            ("E", "H"),
            ("F", "J"),
            ("I", "J"),
            ("G", "K"),
            ("F", "L"),
            ("J", "L"),
            ("H", "M"),
            ("K", "N"),
            ("L", "N"),
            ("M", "N"),
        ];
        let edges: Vec<_> = links.iter().map(|(a, b)| (idx(a), idx(b), 0.0)).collect();
        let g = TaskGraph::new(names.len(), &edges).unwrap();
        let cpm = analyze(&g, &dur);
        assert_eq!(cpm.duration, 44.0);
        let path: Vec<&str> = cpm.critical_path.iter().map(|&i| names[i]).collect();
        assert_eq!(path, ["A", "B", "C", "E", "F", "J", "L", "N"]);
        // By hand: D, G, K lie on C-D-G-K-N = 39 days, so 5 days of float; I feeds J with 2.
        assert_eq!(cpm.total_float[idx("D")], 5.0);
        assert_eq!(cpm.total_float[idx("G")], 5.0);
        assert_eq!(cpm.total_float[idx("I")], 2.0);
        assert_eq!(cpm.total_float[idx("H")], 7.0);
        // D drives G directly (free float 0); K's slack is all free float before N.
        assert_eq!(cpm.free_float[idx("D")], 0.0);
        assert_eq!(cpm.free_float[idx("K")], 5.0);
        assert_eq!(cpm.late_finish[idx("K")], 38.0);
    }

    #[test]
    fn lags_delay_successors_and_sinks_float_to_the_project_end() {
        // 0 (5d) --lag 3--> 1 (2d); 2 (4d) alone.
        let g = TaskGraph::new(3, &[(0, 1, 3.0)]).unwrap();
        let cpm = analyze(&g, &[5.0, 2.0, 4.0]);
        assert_eq!(cpm.early_start[1], 8.0);
        assert_eq!(cpm.duration, 10.0);
        assert_eq!(cpm.total_float[2], 6.0);
        assert_eq!(cpm.free_float[2], 6.0);
        assert_eq!(cpm.critical_path, vec![0, 1]);
    }

    fn windows(
        n: usize,
        constraints: &[(usize, ConstraintKind, f64)],
        deadlines: &[(usize, f64)],
    ) -> Windows {
        let mut w = Windows::none(n);
        for &(i, kind, t) in constraints {
            w.constraint[i] = Some((kind, t));
        }
        for &(i, t) in deadlines {
            w.deadline[i] = Some(t);
        }
        w
    }

    /// Boyle's example of MS Project's hard constraints (t1 -> t2 -> t3, an MSO on t2, a
    /// deadline on t3), worked by hand: the MSO sets both early and late start of t2, so the
    /// deadline's negative float stays after it and t1 keeps its own float.
    #[test]
    fn must_start_on_blocks_float_and_a_deadline_shows_negative_float() {
        let g = TaskGraph::new(3, &[(0, 1, 0.0), (1, 2, 0.0)]).unwrap();
        let w = windows(3, &[(1, ConstraintKind::MustStartOn, 8.0)], &[(2, 10.0)]);
        let cpm = analyze_windowed(&g, &[5.0, 3.0, 4.0], &w);
        assert_eq!(cpm.early_start, vec![0.0, 8.0, 11.0]);
        assert_eq!(cpm.duration, 15.0);
        assert_eq!(cpm.late_start[1], 8.0);
        assert_eq!(cpm.total_float, vec![3.0, 0.0, -5.0]);
        assert!(cpm.broken_links.is_empty());
    }

    #[test]
    fn a_late_constraint_wins_over_the_link_it_breaks() {
        // A (5d) -> B (3d) with B start_no_later 2: B starts at 2, the link A -> B is broken
        // and A's float is negative by the 3 days it overlaps.
        let g = TaskGraph::new(2, &[(0, 1, 0.0)]).unwrap();
        let w = windows(2, &[(1, ConstraintKind::StartNoLater, 2.0)], &[]);
        let cpm = analyze_windowed(&g, &[5.0, 3.0], &w);
        assert_eq!(cpm.early_start, vec![0.0, 2.0]);
        assert_eq!(cpm.broken_links, vec![(0, 1)]);
        assert_eq!(cpm.total_float[0], -3.0);
        assert_eq!(cpm.total_float[1], 0.0);
    }

    #[test]
    fn early_constraints_hold_work_back_and_set_the_finish() {
        // A (2d) alone with finish_no_earlier 6; B (1d) after A with start_no_earlier 3.
        let g = TaskGraph::new(2, &[(0, 1, 0.0)]).unwrap();
        let w = windows(
            2,
            &[
                (0, ConstraintKind::FinishNoEarlier, 6.0),
                (1, ConstraintKind::StartNoEarlier, 3.0),
            ],
            &[],
        );
        let cpm = analyze_windowed(&g, &[2.0, 1.0], &w);
        assert_eq!(cpm.early_start, vec![4.0, 6.0]);
        assert_eq!(cpm.duration, 7.0);
        assert_eq!(cpm.critical_path, vec![0, 1]);
        assert_eq!(cpm.total_float, vec![0.0, 0.0]);
    }

    /// A Monday-to-Friday task and a seven-day one on a grid of every day (day 0 a Monday),
    /// worked by hand: A (4.5 days) starts Monday and ends halfway through Friday; B (1.5
    /// days, every day) follows at once and ends halfway through Saturday; C (1 day, Monday to
    /// Friday) waits for Monday (day 7). B may end as late as the end of Sunday: a day of
    /// float in its every-day calendar; then it may start at the beginning of Saturday, so A
    /// may end at the end of Friday: half a day of float in A's calendar.
    #[test]
    fn fractions_count_in_each_calendar() {
        let weekdays: Vec<bool> = (0..28).map(|d| d % 7 < 5).collect();
        let clock = GridClock::from_masks(vec![weekdays, vec![true; 28]], vec![0, 1, 0]);
        let g = TaskGraph::new(3, &[(0, 1, 0.0), (1, 2, 0.0)]).unwrap();
        let cpm = analyze_on_calendars(&g, &[4.5, 1.5, 1.0], &Windows::none(3), &clock);
        assert_eq!(cpm.early_start, vec![0.0, 4.5, 7.0]);
        assert_eq!(cpm.early_finish, vec![4.5, 6.0, 8.0]);
        assert_eq!(cpm.total_float, vec![0.5, 1.0, 0.0]);
        assert_eq!(cpm.late_finish[1], 7.0);
    }

    #[test]
    fn empty_windows_give_plain_cpm() {
        let g = TaskGraph::new(3, &[(0, 1, 1.0), (0, 2, 0.0)]).unwrap();
        let d = [2.0, 3.0, 1.0];
        assert_eq!(analyze_windowed(&g, &d, &Windows::none(3)), analyze(&g, &d));
    }
}

/// The critical-path pass over a whole model: its graph, the durations used, and the result.
#[derive(Debug, Clone)]
pub struct ProgramCpm {
    /// Tasks then milestones (the program's graph, shared).
    pub graph: std::sync::Arc<crate::graph::ProgramGraph>,
    /// Remaining duration of each node (0 for milestones).
    pub durations: Vec<f64>,
    /// Dates and floats.
    pub cpm: Cpm,
    /// The constraints, deadlines and status date the pass honoured, in working-day time.
    pub windows: Windows,
}

/// Runs CPM on a validated model: each task's remaining duration from the chosen estimate
/// (effort-driven tasks at their largest crew), milestones as zero-duration nodes.
///
/// Complexity: `O(n + e)` for `n` tasks and milestones and `e` links: building the graph
/// ([`Model::graph`](crate::model::Model::graph)) and one pass of [`analyze_windowed`].
///
/// # Example
///
/// Three tasks: `A` (3 days) then `B` (4 days), and `C` (2 days) beside them.
///
/// ```
/// use plan::model::{parse_model, EstimateChoice};
/// use std::path::Path;
///
/// let text = r#"
/// [project]
/// name = "Tiny"
/// start = 2025-09-15
/// [roles.dev]
/// [[task]]
/// id = "A"
/// duration = 3
/// demand = { dev = 1 }
/// [[task]]
/// id = "B"
/// after = ["A"]
/// duration = 4
/// demand = { dev = 1 }
/// [[task]]
/// id = "C"
/// duration = 2
/// demand = { dev = 1 }
/// "#;
/// let model = parse_model(text, Path::new("tiny.toml")).unwrap();
///
/// let result = plan::cpm::analyze_model(&model, EstimateChoice::Likely);
/// let path: Vec<&str> =
///     result.cpm.critical_path.iter().map(|&i| result.graph.ids[i].as_str()).collect();
/// assert_eq!(path, ["A", "B"]);
/// assert_eq!(result.cpm.duration, 7.0);
/// let c = result.graph.node("C").unwrap();
/// assert_eq!(result.cpm.total_float[c], 5.0);
/// ```
pub fn analyze_model(
    model: &crate::model::Model,
    choice: crate::model::EstimateChoice,
) -> ProgramCpm {
    let graph = model.graph().expect("a validated model has no cycle");
    analyze_on(model, std::sync::Arc::new(graph), choice)
}

/// [`analyze_model`] on a program whose graph is already built: the graph is shared, not
/// built again.
pub fn analyze_program(
    program: &crate::model::Program,
    choice: crate::model::EstimateChoice,
) -> ProgramCpm {
    analyze_on(&program.model, program.graph.clone(), choice)
}

/// The pass of [`analyze_model`] on `model`'s graph.
fn analyze_on(
    model: &crate::model::Model,
    graph: std::sync::Arc<crate::graph::ProgramGraph>,
    choice: crate::model::EstimateChoice,
) -> ProgramCpm {
    let durations: Vec<f64> = model
        .tasks
        .iter()
        .map(|t| t.remaining_duration(choice))
        .chain(model.milestones.iter().map(|_| 0.0))
        .collect();
    let windows = model_windows(model, &graph);
    let cpm = if model.uses_calendars() {
        analyze_model_on_calendars(model, &graph, &durations, &windows)
    } else {
        analyze_windowed(&graph.graph, &durations, &windows)
    };
    ProgramCpm {
        graph,
        durations,
        cpm,
        windows,
    }
}

/// The most grid days a calendar clock is built for: past the end of the calendar from any
/// start a model may give.
pub const MAX_GRID_DAYS: usize = 1 << 22;

/// The CPM pass of a model whose roles or tasks have calendars of their own: each task works
/// on the days of [`Model::task_work_days`](crate::model::Model::task_work_days), milestones
/// on the project's.
fn analyze_model_on_calendars(
    model: &crate::model::Model,
    graph: &crate::graph::ProgramGraph,
    durations: &[f64],
    windows: &Windows,
) -> Cpm {
    let (_, cpm) = model_clock(model, graph, durations, windows);
    cpm
}

/// The clock of a model's calendars (nodes as `graph` numbers them), long enough for the CPM
/// pass with `durations`, and that pass. It is built for twice the length the pass would take
/// if every task worked every grid day, and again twice as long until no answer lies beyond.
pub fn model_clock(
    model: &crate::model::Model,
    graph: &crate::graph::ProgramGraph,
    durations: &[f64],
    windows: &Windows,
) -> (GridClock, Cpm) {
    let (masks, node_mask) = calendar_masks(model, graph);
    // Only the length matters here: the forward pass alone, not the whole plain analysis.
    let every_day = forward_windowed(&graph.graph, durations, windows, &SameDays);
    let longest = windows
        .constraint
        .iter()
        .flatten()
        .map(|&(_, t)| t)
        .chain(windows.deadline.iter().flatten().copied())
        .chain(every_day.finish.iter().copied())
        .fold(windows.floor, f64::max);
    let mut horizon = (2.0 * longest).clamp(256.0, MAX_GRID_DAYS as f64) as usize;
    // The grid is the days any of them works: `Model::work_calendar`, from the masks found
    // once rather than from every task's calendars again.
    let union = Calendar::union(&masks.iter().collect::<Vec<_>>());
    let mut grid = WorkCalendar::new(union, model.project.start);
    loop {
        let clock = GridClock::from_calendars(&mut grid, &masks, node_mask.clone(), horizon);
        let cpm = analyze_on_calendars(&graph.graph, durations, windows, &clock);
        if !clock.overran() || horizon >= MAX_GRID_DAYS {
            return (clock, cpm);
        }
        horizon = (horizon * 2).min(MAX_GRID_DAYS);
    }
}

/// The distinct working-day calendars of a model's nodes (the project's first, for the
/// milestones) and each node's index among them. Tasks that name the same calendars share
/// one, found once: at 100,000 tasks, combining and comparing each task's calendars anew
/// was most of the calendar pass.
fn calendar_masks(
    model: &crate::model::Model,
    graph: &crate::graph::ProgramGraph,
) -> (Vec<Calendar>, Vec<usize>) {
    use crate::graph::NodeKind;
    let mut masks = vec![model.calendar.clone()];
    // Keyed by which calendars a task names (their addresses in the model), in order.
    let mut seen: std::collections::HashMap<Vec<*const Calendar>, usize> =
        std::collections::HashMap::new();
    let node_mask = graph
        .kinds
        .iter()
        .map(|kind| match *kind {
            NodeKind::Task(t) => {
                let task = &model.tasks[t];
                let calendars = model.task_calendars(task);
                let key: Vec<*const Calendar> =
                    calendars.iter().map(|&c| c as *const Calendar).collect();
                *seen.entry(key).or_insert_with(|| {
                    let days = Calendar::intersection(&calendars);
                    masks.iter().position(|m| *m == days).unwrap_or_else(|| {
                        masks.push(days);
                        masks.len() - 1
                    })
                })
            }
            NodeKind::Milestone(_) => 0,
        })
        .collect();
    (masks, node_mask)
}

/// The model's constraints and deadlines in working-day time, per graph node. A task's start
/// constraint counts from the beginning of its date (the first working day on or after it), a
/// finish constraint or a deadline from the end of its date (the last working day on or before
/// it), as [`WorkCalendar::deadline`] does for a milestone's due date. A milestone takes no
/// time, so every date of one is the end of that day, where the milestone is shown.
pub fn model_windows(model: &crate::model::Model, graph: &crate::graph::ProgramGraph) -> Windows {
    use crate::graph::NodeKind;
    let n = graph.ids.len();
    let nothing = model.project.status_date <= model.project.start
        && model
            .tasks
            .iter()
            .all(|t| t.constraint.is_none() && t.deadline.is_none())
        && model
            .milestones
            .iter()
            .all(|m| m.constraint.is_none() && m.deadline.is_none());
    let mut windows = Windows::none(n);
    if nothing {
        return windows;
    }
    let mut cal = model.work_calendar();
    windows.floor = start_time(&mut cal, model.project.status_date);
    for (node, kind) in graph.kinds.iter().enumerate() {
        let (constraint, deadline, is_milestone) = match *kind {
            NodeKind::Task(t) => (&model.tasks[t].constraint, &model.tasks[t].deadline, false),
            NodeKind::Milestone(m) => (
                &model.milestones[m].constraint,
                &model.milestones[m].deadline,
                true,
            ),
        };
        windows.constraint[node] = constraint.as_ref().map(|c| {
            (
                c.kind,
                constraint_time(&mut cal, c.kind, c.date, is_milestone),
            )
        });
        windows.deadline[node] = deadline.as_ref().map(|d| finish_time(&mut cal, d.date));
    }
    windows
}

/// The working-day time of a constraint: the time its shown date must not pass. A task shows
/// its start on the working day it begins and its finish on the last working day it runs; a
/// milestone at time `t` shows the working day before `t`, like a finish. So a bound from
/// below on a start is the beginning of the first working day on or after the date, on a
/// finish the end of that day; a bound from above on a start is the beginning of the last
/// working day on or before the date, on a finish the end of it. `must_start_on` takes the
/// start rule and `must_finish_on` the finish rule: on a non-working day a task must start on
/// the next working day and finish on the one before.
pub fn constraint_time(
    cal: &mut WorkCalendar,
    kind: ConstraintKind,
    date: jiff::civil::Date,
    milestone: bool,
) -> f64 {
    let from_below = kind.bounds_early() && kind != ConstraintKind::MustFinishOn;
    match (from_below, kind.on_start() && !milestone) {
        (true, true) => start_time(cal, date),
        (true, false) => {
            let day = start_time(cal, date);
            // A milestone due at the start is reached at time 0, shown on the start date.
            if milestone && finish_time(cal, date) <= 0.0 {
                0.0
            } else {
                day + 1.0
            }
        }
        (false, true) => (finish_time(cal, date) - 1.0).max(0.0),
        (false, false) => finish_time(cal, date),
    }
}

/// Working-day time at the beginning of `date`: the working days before it.
pub fn start_time(cal: &mut WorkCalendar, date: jiff::civil::Date) -> f64 {
    match date.yesterday() {
        Ok(day_before) => cal.deadline(day_before).max(0) as f64,
        Err(_) => 0.0,
    }
}

/// Working-day time at the end of `date`: the working days up to and including it.
pub fn finish_time(cal: &mut WorkCalendar, date: jiff::civil::Date) -> f64 {
    cal.deadline(date).max(0) as f64
}
