//! The critical path method: forward and backward passes over a [`TaskGraph`] in working days,
//! giving early/late dates, total and free float, and the chain of zero-float work that sets
//! the end date. It assumes unlimited people, so its duration is a lower bound for any schedule.

use crate::graph::{LinkType, TaskGraph};

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
    let critical_path = trace_critical_path(graph, &es, &ef, &tf, duration);
    Cpm {
        duration,
        early_start: es,
        early_finish: ef,
        late_start: ls,
        late_finish: lf,
        total_float: tf,
        free_float: ff,
        critical_path,
    }
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
                && es[i] <= EPS
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
}

/// The critical-path pass over a whole model: its graph, the durations used, and the result.
#[derive(Debug, Clone)]
pub struct ProgramCpm {
    /// Tasks then milestones.
    pub graph: crate::graph::ProgramGraph,
    /// Remaining duration of each node (0 for milestones).
    pub durations: Vec<f64>,
    /// Dates and floats.
    pub cpm: Cpm,
}

/// Runs CPM on a validated model: each task's remaining duration from the chosen estimate
/// (effort-driven tasks at their largest crew), milestones as zero-duration nodes.
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
    let durations: Vec<f64> = model
        .tasks
        .iter()
        .map(|t| t.remaining_duration(choice))
        .chain(model.milestones.iter().map(|_| 0.0))
        .collect();
    let cpm = analyze(&graph.graph, &durations);
    ProgramCpm {
        graph,
        durations,
        cpm,
    }
}
