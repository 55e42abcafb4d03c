//! The capacity relaxation of one model and team: windows, buckets, role shares and each
//! role's LP. Asking it about deadlines (feasible, earliest, certificate) is in `deadline.rs`.

use super::solver::{Lp, Row};
use crate::calendar::WorkCalendar;
use crate::graph::NodeKind;
use crate::model::Model;
use crate::program::ProgramProblem;
use crate::resources::{units_on, Steps, UNITS_PER_PERSON};

/// Seconds one LP may take before the bound gives up on it.
pub const DEFAULT_TIME_LIMIT: f64 = 20.0;

/// Longest horizon, in working days, the bound looks at (about 40 years).
const MAX_HORIZON: u32 = 10_000;

/// Width of the LP's time buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Bucket {
    /// One working day per bucket: the tightest bound, the largest LP.
    Day,
    /// One calendar week per bucket.
    #[default]
    Week,
}

/// One role's share of one task.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    /// Person-days of the role that any mode of the task needs at least.
    pub work: f64,
    /// Most people of the role on the task on one day (any mode).
    pub rate: f64,
}

/// One way to run an activity, as the bound sees it: its duration and crew per role.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeShape {
    /// Working days.
    pub duration: u32,
    /// People of each role on each of those days (availability-weighted units / person).
    pub crew: Vec<f64>,
}

/// A deadline set's time windows: for every activity, `[earliest start, latest finish)` in
/// working days; `None` when no deadline constrains it.
#[derive(Debug, Clone)]
pub struct Windows {
    /// Earliest start (precedence only, fastest modes).
    pub start: Vec<u32>,
    /// Latest finish that meets the deadlines; negative means impossible.
    pub finish: Vec<Option<i64>>,
}

/// Why the bound could not decide.
#[derive(Debug, Clone, PartialEq)]
pub struct SolverFailed(pub String);

/// The capacity relaxation of one model and team, ready to be asked about deadlines.
#[derive(Debug, Clone)]
pub struct CapacityBound {
    /// Role ids, indexed like the model's roles.
    pub roles: Vec<String>,
    /// Activity ids (tasks and milestones), indexed like the program's graph nodes.
    pub ids: Vec<String>,
    /// Fastest duration of each activity.
    pub min_duration: Vec<u32>,
    /// Every mode of each activity (fixed crews, for the non-preemptive checks).
    pub modes: Vec<Vec<ModeShape>>,
    /// Predecessors with lags.
    pub preds: Vec<Vec<(usize, i32)>>,
    /// Topological order of the activities.
    pub order: Vec<usize>,
    /// `shares[node][role]`: the role's share of the task, if it needs the role.
    pub shares: Vec<Vec<Option<Share>>>,
    /// Earliest start of every activity.
    pub early_start: Vec<u32>,
    /// Person-days each role supplies on each working day, up to the horizon.
    pub capacity: Vec<Vec<f64>>,
    /// The node of each of the model's milestones.
    pub milestone_nodes: Vec<usize>,
    /// Each milestone's deadline in working days.
    pub deadlines: Vec<Option<u32>>,
    /// `[start, end)` working days of each bucket, covering the horizon.
    pub buckets: Vec<(u32, u32)>,
    /// Working days covered.
    pub horizon: u32,
    /// Seconds one LP may take.
    pub time_limit: f64,
}

impl CapacityBound {
    /// The relaxation of the scheduling problem `pp` with capacity `steps` per role.
    pub fn new(model: &Model, pp: &ProgramProblem, steps: &[Steps], bucket: Bucket) -> Self {
        let n = pp.nodes;
        let roles = model.roles.len();
        let acts = &pp.problem.activities[..n];
        let min_duration: Vec<u32> = acts
            .iter()
            .map(|a| a.modes.iter().map(|m| m.duration).min().unwrap_or(0))
            .collect();
        // Only finish-to-start links: the windows below say a predecessor's work is done
        // before its successor starts, which SS, FF and SF links do not promise. Leaving
        // them out relaxes the problem, so every proof from it still holds.
        let preds: Vec<Vec<(usize, i32)>> = acts
            .iter()
            .map(|a| {
                a.preds
                    .iter()
                    .filter(|p| p.kind == crate::graph::LinkType::FS)
                    .map(|p| (p.pred, p.lag))
                    .collect()
            })
            .collect();
        let order = pp.graph.graph.order.clone();
        let unit = f64::from(UNITS_PER_PERSON);
        let modes = acts
            .iter()
            .map(|a| {
                a.modes
                    .iter()
                    .map(|m| ModeShape {
                        duration: m.duration,
                        crew: m.demand.iter().map(|&q| f64::from(q) / unit).collect(),
                    })
                    .collect()
            })
            .collect();
        let shares = acts
            .iter()
            .map(|a| (0..roles).map(|r| share(a, r)).collect())
            .collect();
        let early_start = forward_pass(&order, &preds, &min_duration, acts);
        let deadlines = pp.deadlines.clone();
        let longest: u64 = acts
            .iter()
            .map(|a| u64::from(a.modes.iter().map(|m| m.duration).max().unwrap_or(0)))
            .sum();
        let latest_deadline = deadlines.iter().flatten().copied().max().unwrap_or(0);
        let horizon = (u64::from(latest_deadline) + longest + 1).min(u64::from(MAX_HORIZON)) as u32;
        let capacity = steps
            .iter()
            .map(|s| {
                (0..horizon)
                    .map(|d| f64::from(units_on(s, d)) / f64::from(UNITS_PER_PERSON))
                    .collect()
            })
            .collect();
        let milestone_nodes = pp
            .graph
            .kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| matches!(k, NodeKind::Milestone(_)))
            .map(|(i, _)| i)
            .collect();
        let buckets = make_buckets(model, horizon, bucket);
        CapacityBound {
            roles: model.roles.iter().map(|r| r.id.clone()).collect(),
            ids: pp.graph.ids.clone(),
            min_duration,
            modes,
            preds,
            order,
            shares,
            early_start,
            capacity,
            milestone_nodes,
            deadlines,
            buckets,
            horizon,
            time_limit: DEFAULT_TIME_LIMIT,
        }
    }

    /// Windows when each `(node, deadline)` must be reached by its deadline (working days).
    pub fn windows(&self, deadlines: &[(usize, u32)]) -> Windows {
        let mut finish: Vec<Option<i64>> = vec![None; self.ids.len()];
        for &(node, d) in deadlines {
            let d = i64::from(d);
            finish[node] = Some(finish[node].map_or(d, |f: i64| f.min(d)));
        }
        // Backward pass: a predecessor must finish `lag` before its successor's latest start.
        for &s in self.order.iter().rev() {
            let Some(f) = finish[s] else { continue };
            let latest_start = f - i64::from(self.min_duration[s]);
            for &(p, lag) in &self.preds[s] {
                let bound = latest_start - i64::from(lag);
                finish[p] = Some(finish[p].map_or(bound, |x| x.min(bound)));
            }
        }
        Windows {
            start: self.early_start.clone(),
            finish,
        }
    }

    /// The first activity that cannot fit its window even with no one else working.
    pub fn precedence_conflict(&self, w: &Windows) -> Option<usize> {
        (0..self.ids.len()).find(|&j| {
            w.finish[j].is_some_and(|f| i64::from(w.start[j]) + i64::from(self.min_duration[j]) > f)
        })
    }

    /// The LP of role `r` for windows `w`: one variable per task and bucket in its window.
    pub fn role_lp(&self, w: &Windows, r: usize) -> Lp {
        self.role_lp_with(w, r, None).0
    }

    /// The role LP; with `headcount = Some(extra)`, capacity becomes `n · days + extra` with
    /// `n` an integer variable (returned) minimised, for staffing.
    pub(crate) fn role_lp_with(
        &self,
        w: &Windows,
        r: usize,
        headcount: Option<&[f64]>,
    ) -> (Lp, Option<usize>) {
        let (lp, n, _) = self.role_lp_hiring(w, r, headcount, &[]);
        (lp, n)
    }

    /// The staffing role LP with hire columns: each entry of `hires` is a continuous variable
    /// (people hired, returned in order) whose productivity on each working day is given, so
    /// bucket capacity becomes `n · days + Σ h_k · productive days_k + extra`. Hire counts stay
    /// continuous so that the only integer variable is the headcount: microlp stays fast.
    pub(crate) fn role_lp_hiring(
        &self,
        w: &Windows,
        r: usize,
        headcount: Option<&[f64]>,
        hires: &[Vec<f64>],
    ) -> (Lp, Option<usize>, Vec<usize>) {
        let mut lp = Lp::default();
        let end = w.finish.iter().flatten().copied().max().unwrap_or(0).max(0) as u32;
        let end = end.min(self.horizon);
        let used: Vec<&(u32, u32)> = self.buckets.iter().filter(|b| b.0 < end).collect();
        let mut per_bucket: Vec<Vec<(usize, f64)>> = vec![Vec::new(); used.len()];
        for (j, shares) in self.shares.iter().enumerate() {
            let (Some(s), Some(f)) = (shares[r], w.finish[j]) else {
                continue;
            };
            let (a, b) = (w.start[j], f.max(0) as u32);
            let mut cover = Vec::new();
            for (k, &&(bs, be)) in used.iter().enumerate() {
                let days = overlap(a, b, bs, be);
                if days > 0 {
                    let x = lp.var(0.0, s.rate * f64::from(days), false, 0.0);
                    cover.push((x, 1.0));
                    per_bucket[k].push((x, 1.0));
                }
            }
            lp.rows.push(Row {
                terms: cover,
                lower: s.work,
                upper: f64::INFINITY,
            });
        }
        let n = headcount.map(|_| lp.var(0.0, f64::INFINITY, true, 1.0));
        let hired: Vec<usize> = hires
            .iter()
            .map(|_| lp.var(0.0, f64::INFINITY, false, 0.0))
            .collect();
        for (k, &&(bs, be)) in used.iter().enumerate() {
            let supply = self.supply(r, bs, be);
            let mut terms = std::mem::take(&mut per_bucket[k]);
            let upper = match (headcount, n) {
                (Some(extra), Some(n)) => {
                    terms.push((n, -f64::from(be - bs)));
                    for (&h, productivity) in hired.iter().zip(hires) {
                        let days: f64 = productivity[bs as usize..be as usize].iter().sum();
                        if days > 0.0 {
                            terms.push((h, -days));
                        }
                    }
                    extra[bs as usize..be as usize].iter().sum()
                }
                _ => supply,
            };
            if terms.is_empty() {
                continue;
            }
            lp.rows.push(Row {
                terms,
                lower: f64::NEG_INFINITY,
                upper,
            });
        }
        (lp, n, hired)
    }

    /// Person-days role `r` supplies on working days `[a, b)`.
    pub fn supply(&self, r: usize, a: u32, b: u32) -> f64 {
        let b = b.min(self.horizon);
        if a >= b {
            return 0.0;
        }
        self.capacity[r][a as usize..b as usize].iter().sum()
    }
}

/// Working days shared by `[a, b)` and `[c, d)`.
pub fn overlap(a: u32, b: u32, c: u32, d: u32) -> u32 {
    b.min(d).saturating_sub(a.max(c))
}

/// The least work and the largest crew of role `r` over an activity's modes.
fn share(a: &crate::schedule::Activity, r: usize) -> Option<Share> {
    let work = a
        .modes
        .iter()
        .map(|m| u64::from(m.duration) * u64::from(m.demand[r]))
        .min()?;
    if work == 0 {
        return None;
    }
    let rate = a.modes.iter().map(|m| m.demand[r]).max()?;
    let unit = f64::from(UNITS_PER_PERSON);
    Some(Share {
        work: work as f64 / unit,
        rate: f64::from(rate) / unit,
    })
}

fn forward_pass(
    order: &[usize],
    preds: &[Vec<(usize, i32)>],
    duration: &[u32],
    acts: &[crate::schedule::Activity],
) -> Vec<u32> {
    let mut start = vec![0u32; preds.len()];
    for &j in order {
        let from_preds = preds[j]
            .iter()
            .map(|&(p, lag)| (i64::from(start[p]) + i64::from(duration[p]) + i64::from(lag)).max(0))
            .max()
            .unwrap_or(0);
        start[j] = (from_preds as u32).max(acts[j].release);
    }
    start
}

/// Buckets covering working days `[0, horizon)`: single days, or calendar weeks.
fn make_buckets(model: &Model, horizon: u32, bucket: Bucket) -> Vec<(u32, u32)> {
    if bucket == Bucket::Day || !model.calendar.has_workdays() {
        return (0..horizon).map(|d| (d, d + 1)).collect();
    }
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    let mut out: Vec<(u32, u32)> = Vec::new();
    let mut week_of = |d: u32| {
        let date = cal.date_of(d as usize);
        date.since(model.project.start)
            .map(|s| {
                (s.get_days() + i32::from(model.project.start.weekday().to_monday_zero_offset()))
                    / 7
            })
            .unwrap_or(0)
    };
    let mut current = None;
    for d in 0..horizon {
        let w = week_of(d);
        if current == Some(w) {
            out.last_mut().expect("a bucket is open").1 = d + 1;
        } else {
            out.push((d, d + 1));
            current = Some(w);
        }
    }
    out
}
