//! The capacity relaxation of one model and team: windows, buckets, role shares and each
//! role's LP. Asking it about deadlines (feasible, earliest, certificate) is in `deadline.rs`.

use super::solver::{Lp, Row};
use crate::calendar::{GridClock, WorkCalendar};
use crate::graph::NodeKind;
use crate::model::Model;
use crate::program::ProgramProblem;
use crate::resources::{units_on, Steps, UNITS_PER_PERSON};
use std::sync::Arc;

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
    /// Each activity's working days, on a model whose roles or tasks name calendars of their
    /// own (`None` without them: every grid day is a working day of every task).
    calendars: Option<Arc<BoundCalendars>>,
}

/// What the relaxation counts on a model with role or task calendars: which grid days each
/// activity works ([`GridClock`], the schedule's own masks), and which each role can work.
///
/// A task on its calendar works `d` of its own days, which span `d` grid days or more, so
/// every quantity of the relaxation is counted on the task's own days: its window's earliest
/// start and latest finish come from passes that count durations and lags in the task's
/// calendar (as the schedule does), the work it can do inside or outside a window is its
/// largest crew times its own working days there, and a role supplies people only on the days
/// some task of the role works (on the others its people are free for nobody).
#[derive(Debug, Clone)]
struct BoundCalendars {
    clock: GridClock,
    /// Finish-to-start links into each activity with their lags, leads included (counted in
    /// the successor's calendar, where a lead may reach back further than on the grid).
    links: Vec<Vec<(usize, i32)>>,
    /// The release day of each activity.
    release: Vec<u32>,
    /// `role_days[r][d]`: some task that needs role `r` works grid day `d`.
    role_days: Vec<Vec<bool>>,
    /// The earliest start of each activity as a count of its own working days.
    start_count: Vec<u32>,
    /// The earliest finish of each activity (grid day after its last working day).
    early_finish: Vec<u32>,
}

/// The first whole count at or after `c`, never below 0 (as the calendar schedule rounds).
fn whole(c: f64) -> u32 {
    (c - 1e-9).ceil().max(0.0) as u32
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
        // On calendars the grid-day arithmetic of the heads, tails and chains (a successor
        // starts no earlier than its predecessor's finish plus the lag) holds for lags of 0
        // or more into activities that work: a lead counts in the successor's calendar, and a
        // zero-length activity sits at the end of its last working day, which may lie before
        // its predecessor's finish. The calendar passes keep every link.
        let all_links = preds.clone();
        let preds: Vec<Vec<(usize, i32)>> = if pp.calendars.is_some() {
            preds
                .into_iter()
                .zip(&min_duration)
                .map(|(ps, &d)| {
                    ps.into_iter()
                        .filter(|&(_, lag)| lag >= 0 && d > 0)
                        .collect()
                })
                .collect()
        } else {
            preds
        };
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
        let deadlines = pp.deadlines.clone();
        let longest: u64 = acts
            .iter()
            .map(|a| u64::from(a.modes.iter().map(|m| m.duration).max().unwrap_or(0)))
            .sum();
        let latest_deadline = deadlines.iter().flatten().copied().max().unwrap_or(0);
        let horizon = (u64::from(latest_deadline) + longest + 1).min(u64::from(MAX_HORIZON)) as u32;
        let calendars = pp.calendars.as_ref().map(|grid| {
            let cal = BoundCalendars::new(pp, grid, all_links, &order, &min_duration, horizon);
            Arc::new(cal)
        });
        let horizon = calendars
            .as_ref()
            .map_or(horizon, |c| c.clock.horizon_days() as u32);
        let early_start = match &calendars {
            Some(c) => c.early_start(acts, &min_duration),
            None => forward_pass(&order, &preds, &min_duration, acts),
        };
        let capacity = steps
            .iter()
            .enumerate()
            .map(|(r, s)| {
                (0..horizon)
                    .map(|d| {
                        let works = calendars
                            .as_ref()
                            .is_none_or(|c| c.role_days[r][d as usize]);
                        if works {
                            f64::from(units_on(s, d)) / f64::from(UNITS_PER_PERSON)
                        } else {
                            0.0
                        }
                    })
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
            calendars,
        }
    }

    /// True when the relaxation counts role and task calendars (the model names some that
    /// change a task's working days).
    pub fn on_calendars(&self) -> bool {
        self.calendars.is_some()
    }

    /// Activity `j`'s working days in grid time `[0, t)` (`t` itself without calendars).
    pub fn count(&self, j: usize, t: u32) -> u32 {
        match &self.calendars {
            Some(c) => c.clock.count(j, f64::from(t)).max(0.0) as u32,
            None => t,
        }
    }

    /// Activity `j`'s working days in grid days `[a, b)`.
    pub fn task_days(&self, j: usize, a: u32, b: u32) -> u32 {
        if b <= a {
            return 0;
        }
        self.count(j, b) - self.count(j, a)
    }

    /// Activity `j`'s working days shared by `[s, f)` and `[a, b)`.
    pub fn task_overlap(&self, j: usize, s: u32, f: u32, a: u32, b: u32) -> u32 {
        self.task_days(j, s.max(a), f.min(b))
    }

    /// The grid day of activity `j`'s working day number `c` (0-based; where work numbered
    /// `c` starts).
    pub fn grid_start(&self, j: usize, c: u32) -> u32 {
        match &self.calendars {
            Some(cal) => cal.clock.start_at(j, f64::from(c)).max(0.0) as u32,
            None => c,
        }
    }

    /// The grid day after activity `j` has worked `c` of its days (where its `c`-day work from
    /// count 0 ends).
    pub fn grid_end(&self, j: usize, c: u32) -> u32 {
        match &self.calendars {
            Some(cal) => cal.clock.finish_at(j, f64::from(c)).max(0.0) as u32,
            None => c,
        }
    }

    /// True when role `r` can work grid day `d`: some task that needs it works that day
    /// (every day without calendars).
    pub fn role_works(&self, r: usize, d: u32) -> bool {
        self.calendars
            .as_ref()
            .is_none_or(|c| c.role_days[r].get(d as usize).copied().unwrap_or(true))
    }

    /// The grid days of `[a, b)` on which role `r` can work.
    pub fn role_days(&self, r: usize, a: u32, b: u32) -> u32 {
        (a..b).filter(|&d| self.role_works(r, d)).count() as u32
    }

    /// The least of a task's work (`work` person-days at most `rate` people a working day,
    /// window `[s, f)`) that must fall inside `[a, b)`: what its own working days of the
    /// window outside `[a, b)` cannot hold.
    pub fn forced_inside(
        &self,
        j: usize,
        (work, rate): (f64, f64),
        (s, f): (u32, u32),
        (a, b): (u32, u32),
    ) -> f64 {
        let outside = self.task_days(j, s, f) - self.task_overlap(j, s, f, a, b);
        (work - rate * f64::from(outside)).max(0.0)
    }

    /// Windows when each `(node, deadline)` must be reached by its deadline (working days).
    pub fn windows(&self, deadlines: &[(usize, u32)]) -> Windows {
        let mut finish: Vec<Option<i64>> = vec![None; self.ids.len()];
        for &(node, d) in deadlines {
            let d = i64::from(d);
            finish[node] = Some(finish[node].map_or(d, |f: i64| f.min(d)));
        }
        if let Some(cal) = &self.calendars {
            cal.backward_pass(&self.order, &self.min_duration, &mut finish);
            return Windows {
                start: self.early_start.clone(),
                finish,
            };
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
        if let Some(cal) = &self.calendars {
            return (0..self.ids.len()).find(|&j| {
                w.finish[j]
                    .is_some_and(|f| cal.window_closed(j, w.start[j], self.min_duration[j], f))
            });
        }
        (0..self.ids.len()).find(|&j| {
            w.finish[j].is_some_and(|f| i64::from(w.start[j]) + i64::from(self.min_duration[j]) > f)
        })
    }

    /// On calendars: the earliest start count and finish of each activity, for the chain
    /// certificate (`None` without calendars).
    pub(crate) fn calendar_early(&self) -> Option<(&[u32], &[u32])> {
        self.calendars
            .as_ref()
            .map(|c| (c.start_count.as_slice(), c.early_finish.as_slice()))
    }

    /// On calendars: the finish of activity `j` started at count `c` in its shortest mode
    /// (a zero-length activity sits at the end of the working day before).
    pub(crate) fn calendar_step(&self, j: usize, c: u32) -> Option<u32> {
        let cal = self.calendars.as_ref()?;
        Some(crate::schedule::calendars::span(&cal.clock, j, c, self.min_duration[j]).1)
    }

    /// On calendars: the first start count of `j` that a finish-to-start link with `lag` from a
    /// predecessor finishing on grid day `f` allows.
    pub(crate) fn calendar_link(&self, j: usize, f: u32, lag: i32) -> Option<u32> {
        let cal = self.calendars.as_ref()?;
        Some(whole(cal.clock.count(j, f64::from(f)) + f64::from(lag)))
    }

    /// On calendars: the finish-to-start links into `j` with every lag, leads included.
    pub(crate) fn calendar_links(&self, j: usize) -> Option<&[(usize, i32)]> {
        self.calendars.as_ref().map(|c| c.links[j].as_slice())
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
                let days = self.task_overlap(j, a, b, bs, be);
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
                    terms.push((n, -f64::from(self.role_days(r, bs, be))));
                    for (&h, productivity) in hired.iter().zip(hires) {
                        let days: f64 = (bs..be)
                            .filter(|&d| self.role_works(r, d))
                            .map(|d| productivity[d as usize])
                            .sum();
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
    let grid = model.grid_calendar();
    if bucket == Bucket::Day || !grid.has_workdays() {
        return (0..horizon).map(|d| (d, d + 1)).collect();
    }
    let mut cal = WorkCalendar::new(grid, model.project.start);
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

impl BoundCalendars {
    /// The calendars of `pp` over `horizon` working days of the sparsest activity (at most
    /// [`MAX_HORIZON`] grid days), and the earliest starts counted on them.
    fn new(
        pp: &ProgramProblem,
        grid: &crate::program::CalendarGrid,
        links: Vec<Vec<(usize, i32)>>,
        order: &[usize],
        min_duration: &[u32],
        horizon: u32,
    ) -> Self {
        let acts = &pp.problem.activities[..pp.nodes];
        let probe = grid.clock_of_length(horizon as usize);
        // Long enough that every activity has `horizon` working days in it.
        let days = (0..acts.len())
            .map(|j| probe.finish_at(j, f64::from(horizon)).ceil().max(0.0) as u64)
            .max()
            .unwrap_or(u64::from(horizon))
            .clamp(u64::from(horizon), u64::from(MAX_HORIZON)) as usize;
        let clock = grid.clock_of_length(days.max(1));
        let roles = pp.capacity.len();
        // One activity per mask and role: activities on the same mask work the same days.
        let mut role_days = vec![vec![false; days]; roles];
        let mut seen: Vec<Vec<usize>> = vec![Vec::new(); roles];
        for (j, a) in acts.iter().enumerate() {
            for (r, days) in role_days.iter_mut().enumerate() {
                let uses = a.modes.iter().any(|m| m.duration > 0 && m.demand[r] > 0);
                if !uses || seen[r].contains(&clock.mask_of(j)) {
                    continue;
                }
                seen[r].push(clock.mask_of(j));
                for (d, works) in days.iter_mut().enumerate() {
                    *works = *works || clock.works(j, d as u32);
                }
            }
        }
        let mut cal = BoundCalendars {
            clock,
            links,
            release: acts.iter().map(|a| a.release).collect(),
            role_days,
            start_count: vec![0; acts.len()],
            early_finish: vec![0; acts.len()],
        };
        cal.forward_pass(order, min_duration);
        cal
    }

    /// Earliest start counts and finishes, as the calendar schedule places an activity with
    /// no one else working: at its release, after each finish-to-start predecessor's finish
    /// plus the lag counted in its own calendar, for its shortest duration.
    fn forward_pass(&mut self, order: &[usize], min_duration: &[u32]) {
        for &j in order {
            let mut c = whole(self.clock.count(j, f64::from(self.release[j])));
            for &(p, lag) in &self.links[j] {
                let asked = self.clock.count(j, f64::from(self.early_finish[p])) + f64::from(lag);
                c = c.max(whole(asked));
            }
            self.start_count[j] = c;
            let (_, f) = crate::schedule::calendars::span(&self.clock, j, c, min_duration[j]);
            self.early_finish[j] = if min_duration[j] == 0 {
                f.max(self.release[j])
            } else {
                f
            };
        }
    }

    /// The grid day each activity's work starts at the earliest (for a zero-length activity,
    /// its finish: it starts where it ends).
    fn early_start(&self, acts: &[crate::schedule::Activity], min_duration: &[u32]) -> Vec<u32> {
        (0..acts.len())
            .map(|j| {
                if min_duration[j] == 0 {
                    self.early_finish[j]
                } else {
                    self.clock
                        .start_at(j, f64::from(self.start_count[j]))
                        .max(0.0) as u32
                }
            })
            .collect()
    }

    /// The latest finishes the deadlines in `finish` allow, counted in each successor's
    /// calendar: an activity finishing by grid day `f` starts by its own working day
    /// `count(f) − d` (its shortest duration `d`), and a predecessor linked with `lag` must
    /// have finished before the successor's working day `count(f) − d − lag`, i.e. by that
    /// working day's grid day.
    fn backward_pass(&self, order: &[usize], min_duration: &[u32], finish: &mut [Option<i64>]) {
        for &s in order.iter().rev() {
            let Some(f) = finish[s] else { continue };
            let latest_start =
                self.clock.count(s, f as f64).floor() as i64 - i64::from(min_duration[s]);
            for &(p, lag) in &self.links[s] {
                let k = latest_start - i64::from(lag);
                let by = if k < 0 {
                    k
                } else {
                    self.clock.start_at(s, k as f64).floor() as i64
                };
                finish[p] = Some(finish[p].map_or(by, |x| x.min(by)));
            }
        }
    }

    /// True when activity `j` cannot work its shortest duration `d` of its own days between
    /// grid day `start` and its latest finish `f` (a zero-length one: `start` is after `f`).
    fn window_closed(&self, j: usize, start: u32, d: u32, f: i64) -> bool {
        if d == 0 {
            return i64::from(start) > f;
        }
        let first = self.clock.count(j, f64::from(start));
        first + f64::from(d) > self.clock.count(j, f as f64) + 1e-9
    }
}
