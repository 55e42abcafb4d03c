//! Bridges a model and a scenario to the scheduling core: builds the resource-constrained
//! [`Problem`] (tasks and milestones as activities, one mode per crew size for effort-driven
//! tasks, capacity per role per day from the team) and reads a schedule back as dated rows.

use crate::calendar::{GridClock, WorkCalendar};
use crate::cpm::Windows;
use crate::error::{Diagnostic, Diagnostics};
use crate::graph::{NodeKind, ProgramGraph};
use crate::model::{EstimateChoice, Model, Scenario, Task, Work, MAX_DAYS};
use crate::resources::{
    capacity_steps, crew_units, peak_units, people_by_availability, Steps, UNITS_PER_PERSON,
};
use crate::schedule::{
    search_checked, Activity, BoundKind, Capacity, LowerBound, Mode, Precedence, Problem, Resource,
    Schedule, SearchConfig, SearchFailure, SearchResult, Solution,
};
use std::sync::Arc;

/// Most crew combinations kept for a task that needs several roles at once.
const MAX_MODES: usize = 64;

/// A model and scenario turned into a scheduling problem, with what is needed to read results.
#[derive(Debug, Clone)]
pub struct ProgramProblem {
    /// Activities in graph node order: tasks, then milestones.
    pub problem: Problem,
    /// The dependency graph the activities follow (the program's, shared).
    pub graph: Arc<ProgramGraph>,
    /// Each mode's crew per role (people) for every activity, indexed like the problem's modes.
    pub crews: Vec<Vec<Vec<u32>>>,
    /// Capacity steps per role, in units (see [`UNITS_PER_PERSON`]).
    pub capacity: Vec<Steps>,
    /// Each milestone's deadline in working days (end of the last working day on or before `due`).
    pub deadlines: Vec<Option<u32>>,
    /// Number of activities that are graph nodes (all of them: tasks, then milestones).
    pub nodes: usize,
    /// The model's date constraints, deadlines and status date in working-day time, per node.
    /// The start constraints from below become each activity's [`Activity::release`]
    /// ([`release_day`]); the caps and deadlines become the search's targets
    /// ([`ProgramProblem::targets`]).
    pub windows: Windows,
    /// The working masks of a model whose roles or tasks name calendars (`None` without
    /// them: then every activity works every day of the grid and nothing here is looked at).
    pub calendars: Option<Arc<CalendarGrid>>,
}

/// Each activity's working days over the grid of a model with role or task calendars
/// ([`crate::model::Model::task_work_days`], the project calendar for milestones), and the
/// [`GridClock`] of them, built longer when a search reaches past it.
#[derive(Debug)]
pub struct CalendarGrid {
    calendars: Vec<crate::calendar::Calendar>,
    node_mask: Vec<usize>,
    state: std::sync::Mutex<(WorkCalendar, Arc<GridClock>)>,
    /// The critical path on the calendars at the shortest modes, when that bounds every
    /// schedule (see [`calendar_critical_path`]).
    critical_path: Option<u32>,
}

/// The latest early finish of the critical path on the calendars with every activity at its
/// shortest mode. A bound on every schedule unless a link into an activity with several modes
/// ties its finish (FF, SF: a longer mode may start earlier there), where it is `None`. Caps
/// and `must_*` dates only make early dates earlier, and the schedule rounds lags up, so
/// neither makes the bound too high.
fn calendar_critical_path(
    model: &Model,
    graph: &ProgramGraph,
    activities: &[Activity],
    windows: &Windows,
) -> Option<u32> {
    let tied = graph.kinds.iter().enumerate().any(|(node, _)| {
        activities[node].modes.len() > 1
            && graph.graph.pred_types(node).iter().any(|k| k.to_finish())
    });
    if tied {
        return None;
    }
    let durations: Vec<f64> = activities
        .iter()
        .map(|a| f64::from(a.modes.iter().map(|m| m.duration).min().unwrap_or(0)))
        .collect();
    let (_, cpm) = crate::cpm::model_clock(model, graph, &durations, windows);
    let finish = cpm.early_finish.iter().copied().fold(0.0, f64::max);
    Some((finish + 1e-9).floor().max(0.0) as u32)
}

impl CalendarGrid {
    /// The masks of `model`'s graph nodes over its grid, with a clock `horizon` grid days long.
    fn new(
        model: &Model,
        graph: &ProgramGraph,
        horizon: usize,
        critical_path: Option<u32>,
    ) -> Self {
        let mut calendars = vec![model.calendar.clone()];
        let node_mask = graph
            .kinds
            .iter()
            .map(|kind| match *kind {
                NodeKind::Task(t) => {
                    let days = model.task_work_days(&model.tasks[t]);
                    calendars
                        .iter()
                        .position(|c| *c == days)
                        .unwrap_or_else(|| {
                            calendars.push(days);
                            calendars.len() - 1
                        })
                }
                NodeKind::Milestone(_) => 0,
            })
            .collect::<Vec<_>>();
        let mut grid = model.work_calendar();
        let horizon = horizon.clamp(256, crate::cpm::MAX_GRID_DAYS);
        let clock = GridClock::from_calendars(&mut grid, &calendars, node_mask.clone(), horizon);
        CalendarGrid {
            calendars,
            node_mask,
            state: std::sync::Mutex::new((grid, Arc::new(clock))),
            critical_path,
        }
    }

    /// The clock the last search ran on.
    pub fn clock(&self) -> Arc<GridClock> {
        match self.state.lock() {
            Ok(state) => state.1.clone(),
            Err(poisoned) => poisoned.into_inner().1.clone(),
        }
    }

    /// A new clock of the same masks over `days` grid days (at most
    /// [`crate::cpm::MAX_GRID_DAYS`]), for a caller that needs one longer than the search's
    /// (a simulation whose iterations run longer than the schedule).
    pub fn clock_of_length(&self, days: usize) -> GridClock {
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        let days = days.clamp(1, crate::cpm::MAX_GRID_DAYS);
        GridClock::from_calendars(&mut state.0, &self.calendars, self.node_mask.clone(), days)
    }

    /// Builds the clock twice as long as `short` (up to [`crate::cpm::MAX_GRID_DAYS`]);
    /// false when it is that long already.
    fn lengthen(&self, short: &GridClock) -> bool {
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        let horizon = short.horizon_days();
        if horizon >= crate::cpm::MAX_GRID_DAYS {
            return false;
        }
        let longer = (horizon * 2).min(crate::cpm::MAX_GRID_DAYS);
        let clock = GridClock::from_calendars(
            &mut state.0,
            &self.calendars,
            self.node_mask.clone(),
            longer,
        );
        state.1 = Arc::new(clock);
        true
    }
}

/// The first day an activity may start by the windows: the status date, and a constraint from
/// below (`start_no_earlier`, `must_start_on` on the start; `finish_no_earlier`,
/// `must_finish_on` on the finish, less the shortest mode, so every mode finishes on or after
/// it). A resource-constrained schedule never breaks a link, so the caps (`*_no_later`,
/// `must_*` from above) are targets it is ranked by, not limits ([`ProgramProblem::targets`]).
pub fn release_day(windows: &Windows, node: usize, modes: &[Mode]) -> u32 {
    let shortest = modes.iter().map(|m| m.duration).min().unwrap_or(0);
    let bound = match windows.constraint[node] {
        Some((kind, t)) if kind.bounds_early() && on_start_of_activity(kind, shortest) => t,
        Some((kind, t)) if kind.bounds_early() => t - f64::from(shortest),
        _ => 0.0,
    };
    whole_day(bound.max(windows.floor.max(0.0)))
}

/// The working day of the status date: the release day of work that nothing but the status
/// date holds back (day 0 when it is the project start).
pub fn status_day(windows: &Windows) -> u32 {
    whole_day(windows.floor.max(0.0))
}

/// The first whole day at or after time `t` (a time a hair past a day counts as that day).
fn whole_day(t: f64) -> u32 {
    (t - 1e-9).ceil().max(0.0) as u32
}

/// True when the constraint's time is a start time for an activity whose shortest mode is
/// `shortest` days (a milestone's times are all finish times, and equal its start).
fn on_start_of_activity(kind: crate::model::ConstraintKind, shortest: u32) -> bool {
    kind.on_start() || shortest == 0
}

/// The latest finish a constraint from above or a deadline asks of an activity whose shortest
/// mode is `shortest` days: the target the search ranks schedules by.
pub fn target_finish(windows: &Windows, node: usize, shortest: u32) -> Option<u32> {
    let from_constraint = windows.constraint[node].and_then(|(kind, t)| {
        kind.bounds_late().then(|| {
            if kind.on_start() {
                t + f64::from(shortest)
            } else {
                t
            }
        })
    });
    let due = match (from_constraint, windows.deadline[node]) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    Some(due.max(0.0).floor() as u32)
}

/// Remaining working days (whole days, rounded up) of fixed work.
fn whole_days(x: f64) -> u32 {
    (x - 1e-9).ceil().max(0.0) as u32
}

/// The modes of one task: a fixed task has one; an effort-driven task has one per crew choice.
/// Returns each mode with its crew per role (people).
///
/// A fixed task's demand of one person is one full person ([`UNITS_PER_PERSON`]) whoever does
/// it. An effort-driven task's person-days are worked at its crew's total availability: each
/// crew size of a role comes in the unit levels the team's people can supply ([`crew_units`],
/// from `pools`), and takes effort × [`UNITS_PER_PERSON`] / units days, so one person at half
/// availability takes twice as long as a full-timer.
fn task_modes(
    task: &Task,
    pools: &[Vec<(u32, u64)>],
    choice: EstimateChoice,
) -> Vec<(Mode, Vec<u32>)> {
    let roles = pools.len();
    let left = 1.0 - task.done;
    match &task.work {
        Work::Fixed { duration, demand } => {
            let mut crew = vec![0u32; roles];
            for &(r, n) in demand {
                crew[r] = n;
            }
            let duration = whole_days(duration.pick(choice) * left);
            let demand = if duration == 0 {
                vec![0; roles]
            } else {
                crew.iter().map(|&n| n * UNITS_PER_PERSON).collect()
            };
            vec![(Mode { duration, demand }, crew)]
        }
        Work::Effort(efforts) => {
            // Each combination holds, per role, its crew in people and in units.
            let mut combos: Vec<Vec<(u32, u32)>> = vec![vec![(0, 0); roles]];
            for e in efforts {
                let mut next = Vec::new();
                for base in &combos {
                    for c in e.crew.0..=e.crew.1 {
                        for units in crew_units(&pools[e.role], c) {
                            let mut crew = base.clone();
                            crew[e.role] = (c, units);
                            next.push(crew);
                        }
                    }
                }
                combos = next;
                if combos.len() > MAX_MODES {
                    // Keep an even spread of crew sizes: the extremes and the middle.
                    let step = combos.len() as f64 / MAX_MODES as f64;
                    combos = (0..MAX_MODES)
                        .map(|i| combos[(i as f64 * step) as usize].clone())
                        .collect();
                }
            }
            let unit = f64::from(UNITS_PER_PERSON);
            let mut modes: Vec<(Mode, Vec<u32>)> = combos
                .into_iter()
                .map(|crew| {
                    let duration = efforts
                        .iter()
                        .map(|e| {
                            let persons = f64::from(crew[e.role].1) / unit;
                            whole_days(e.effort.pick(choice) * left / persons)
                        })
                        .max()
                        .unwrap_or(0);
                    let demand = if duration == 0 {
                        vec![0; roles]
                    } else {
                        crew.iter().map(|&(_, units)| units).collect()
                    };
                    let people = crew.iter().map(|&(n, _)| n).collect();
                    (Mode { duration, demand }, people)
                })
                .collect();
            drop_dominated(&mut modes);
            modes
        }
    }
}

/// Removes modes that are no faster than another mode and need at least as many people.
fn drop_dominated(modes: &mut Vec<(Mode, Vec<u32>)>) {
    let dominated = |a: &Mode, b: &Mode| {
        b.duration <= a.duration
            && b.demand.iter().zip(&a.demand).all(|(x, y)| x <= y)
            && (b.duration < a.duration || b.demand != a.demand)
    };
    let all: Vec<Mode> = modes.iter().map(|(m, _)| m.clone()).collect();
    modes.retain(|(m, _)| !all.iter().any(|other| dominated(m, other)));
    modes.dedup_by(|a, b| a.0 == b.0);
}

/// Builds the scheduling problem for `model` staffed by `scenario`.
///
/// # Example
///
/// One developer must do A (3 days) then B (4 days), and C (2 days): 9 days in a row;
/// a second developer takes C alongside, and the program takes 7.
///
/// ```
/// use plan::model::{parse_model, parse_scenario, EstimateChoice};
/// use plan::schedule::{check, SearchConfig};
/// use std::path::Path;
///
/// # let text = r#"
/// # [project]
/// # name = "Tiny"
/// # start = 2025-09-15
/// # [roles.dev]
/// # [[task]]
/// # id = "A"
/// # duration = 3
/// # demand = { dev = 1 }
/// # [[task]]
/// # id = "B"
/// # after = ["A"]
/// # duration = 4
/// # demand = { dev = 1 }
/// # [[task]]
/// # id = "C"
/// # duration = 2
/// # demand = { dev = 1 }
/// # "#;
/// # let model = parse_model(text, Path::new("tiny.toml")).unwrap();
/// for (team, finish) in [(1, 9), (2, 7)] {
///     let team = format!("name = \"{team} dev\"\n[team]\ndev = {team}\n");
///     let scenario = parse_scenario(&team, Path::new("team.toml"), &model).unwrap();
///     let program = plan::program::build(&model, &scenario, EstimateChoice::Likely).unwrap();
///     let config = SearchConfig { schedules: 200, seed: 1, ..SearchConfig::default() };
///     let result = program.search(&config, &[]).unwrap();
///     assert!(check(&program.problem, &result.schedule).is_empty());
///     assert_eq!(program.finish(&result.schedule), finish);
/// }
/// ```
///
/// Before any search, it reports every task that no schedule could ever staff: a demand or
/// minimum crew above the most people its role ever has (team plus hires).
pub fn build(
    model: &Model,
    scenario: &Scenario,
    choice: EstimateChoice,
) -> Result<ProgramProblem, Diagnostics> {
    let graph = model.graph().map_err(Diagnostics::from)?;
    build_on(model, Arc::new(graph), scenario, choice)
}

/// [`build`] for a program whose graph is already built: the graph is shared, not built again.
pub fn build_for(
    program: &crate::model::Program,
    scenario: &Scenario,
    choice: EstimateChoice,
) -> Result<ProgramProblem, Diagnostics> {
    build_on(&program.model, program.graph.clone(), scenario, choice)
}

/// [`build`] on `model`'s graph, built already (`model.graph()`): shared, not built again.
pub fn build_on(
    model: &Model,
    graph: Arc<ProgramGraph>,
    scenario: &Scenario,
    choice: EstimateChoice,
) -> Result<ProgramProblem, Diagnostics> {
    let roles = model.roles.len();
    let capacity = capacity_steps(model, scenario);
    let pools: Vec<_> = (0..roles)
        .map(|r| people_by_availability(scenario, r))
        .collect();
    let windows = crate::cpm::model_windows(model, &graph);
    let mut diags = Diagnostics::default();
    let mut activities = Vec::with_capacity(graph.ids.len());
    let mut crews = Vec::with_capacity(graph.ids.len());
    for (node, kind) in graph.kinds.iter().enumerate() {
        let mut modes = match *kind {
            NodeKind::Task(t) => task_modes(&model.tasks[t], &pools, choice),
            NodeKind::Milestone(_) => vec![(
                Mode {
                    duration: 0,
                    demand: vec![0; roles],
                },
                vec![0; roles],
            )],
        };
        let fits = |m: &Mode| {
            m.duration == 0
                || m.demand
                    .iter()
                    .zip(&capacity)
                    .all(|(&q, steps)| q <= peak_units(steps))
        };
        let before = modes.clone();
        modes.retain(|(m, _)| fits(m));
        if modes.is_empty() {
            if let NodeKind::Task(t) = *kind {
                diags.push(unstaffable(
                    model,
                    scenario,
                    &model.tasks[t],
                    &before,
                    &capacity,
                ));
            }
            continue;
        }
        // Part-timers make effort-driven work slower; a crew that would take longer than any
        // duration a model may give is no way to staff it.
        let long = |m: &Mode| f64::from(m.duration) > MAX_DAYS;
        if modes.iter().all(|(m, _)| long(m)) {
            if let NodeKind::Task(t) = *kind {
                diags.push(too_slow(model, scenario, &model.tasks[t]));
            }
            continue;
        }
        modes.retain(|(m, _)| !long(m));
        // The scheduler counts whole days: a fractional lag is rounded up (ceil), a lead of
        // 1.5 days to 1 and a lag of 1.5 to 2, so no link is ever shortened.
        let preds = graph
            .graph
            .preds(node)
            .iter()
            .zip(graph.graph.pred_types(node))
            .map(|(&(p, lag), &kind)| Precedence {
                pred: p,
                lag: lag.ceil() as i32,
                kind,
            })
            .collect();
        crews.push(modes.iter().map(|(_, c)| c.clone()).collect());
        let modes: Vec<Mode> = modes.into_iter().map(|(m, _)| m).collect();
        activities.push(Activity {
            release: release_day(&windows, node, &modes),
            modes,
            preds,
        });
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let resources = model
        .roles
        .iter()
        .zip(&capacity)
        .map(|(r, steps)| Resource {
            name: r.id.clone(),
            capacity: Capacity::from_steps(steps.clone())
                .expect("steps start at day 0 and increase"),
        })
        .collect();
    let mut cal = model.work_calendar();
    let deadlines = model
        .milestones
        .iter()
        .map(|m| m.due.map(|d| cal.deadline(d).max(0) as u32))
        .collect::<Vec<_>>();
    let nodes = activities.len();
    let horizon_hint = activities
        .iter()
        .map(|a: &Activity| a.modes.iter().map(|m| m.duration).max().unwrap_or(0))
        .sum::<u32>();
    let calendars = tasks_work_other_days(model).then(|| {
        let longest_lag = activities
            .iter()
            .flat_map(|a: &Activity| a.preds.iter().map(|p| p.lag.max(0) as usize))
            .sum::<usize>();
        let release = activities.iter().map(|a| a.release as usize).max();
        let hint = horizon_hint as usize + longest_lag + release.unwrap_or(0);
        let critical_path = calendar_critical_path(model, &graph, &activities, &windows);
        Arc::new(CalendarGrid::new(model, &graph, 2 * hint, critical_path))
    });
    Ok(ProgramProblem {
        problem: Problem {
            activities,
            resources,
            horizon_hint,
        },
        graph,
        crews,
        capacity,
        deadlines,
        nodes,
        windows,
        calendars,
    })
}

/// The day after the last day activity `j` works in `schedule` on `clock`: a zero-length
/// activity finishes where it starts (it may wait for its release past the end of its last
/// working day).
fn calendar_finish(problem: &Problem, clock: &GridClock, schedule: &Schedule, j: usize) -> u32 {
    let start = schedule.starts[j];
    let d = problem.activities[j].modes[schedule.modes[j]].duration;
    if d == 0 {
        return start;
    }
    let c = whole_days(clock.count(j, f64::from(start)));
    crate::schedule::calendars::span(clock, j, c, d).1
}

/// True when some task works other days than the project calendar's (its own calendar or
/// a role's): only then do activities need masks. Calendars that all equal the project's
/// change no working day, so such a model is scheduled (and searched) as one without them.
fn tasks_work_other_days(model: &Model) -> bool {
    model.uses_calendars()
        && model
            .tasks
            .iter()
            .any(|t| model.task_work_days(t) != model.calendar)
}

fn unstaffable(
    model: &Model,
    scenario: &Scenario,
    task: &Task,
    modes: &[(Mode, Vec<u32>)],
    capacity: &[Steps],
) -> Diagnostic {
    // The role that blocks the smallest crew of this task.
    let crew = modes
        .iter()
        .map(|(_, c)| c)
        .min_by_key(|c| c.iter().sum::<u32>())
        .cloned()
        .unwrap_or_default();
    let (role, needed, available) = crew
        .iter()
        .enumerate()
        .map(|(r, &n)| {
            (
                r,
                n,
                f64::from(peak_units(&capacity[r])) / f64::from(UNITS_PER_PERSON),
            )
        })
        .find(|&(_, n, avail)| f64::from(n) > avail)
        .unwrap_or((0, 0, 0.0));
    let role_id = &model.roles[role].id;
    let what = match task.work {
        Work::Fixed { .. } => "demand",
        Work::Effort(_) => "crew",
    };
    Diagnostic::new(
        &scenario.file,
        format!("team.{role_id}"),
        format!(
            "task \"{}\" needs {needed} {role_id} at once ({what}), but the team never has more than {available} (team, part-timers and hires)",
            task.id
        ),
    )
    .at(None)
    .help(format!(
        "add {role_id} people to the scenario's [team] or a [[hire]], or lower the task's {what} in {}",
        model.file.display()
    ))
}

fn too_slow(model: &Model, scenario: &Scenario, task: &Task) -> Diagnostic {
    Diagnostic::new(
        &scenario.file,
        "part_time",
        format!(
            "task \"{}\" would take more than {MAX_DAYS} working days with the availability of the people who can do it",
            task.id
        ),
    )
    .at(None)
    .help(format!(
        "add people with more availability to the scenario, or split the task's effort in {}",
        model.file.display()
    ))
}

impl ProgramProblem {
    /// Each milestone with a due date as `(activity, deadline)`: what the search must meet.
    pub fn due_dates(&self) -> Vec<(usize, u32)> {
        let milestones = self
            .graph
            .kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| matches!(k, NodeKind::Milestone(_)));
        milestones
            .zip(&self.deadlines)
            .filter_map(|((node, _), d)| d.map(|d| (node, d)))
            .collect()
    }

    /// Searches for the schedule that is least late on the milestones' due dates (total
    /// working days late), then shortest, with `config`'s budget, seed and threads; the
    /// schedule returned has passed the independent checker ([`search_checked`]).
    pub fn search(
        &self,
        config: &SearchConfig,
        initial: &[Solution],
    ) -> Result<SearchResult, SearchFailure> {
        let mut due_dates = self.due_dates();
        due_dates.extend(self.targets());
        let config = SearchConfig {
            due_dates,
            ..config.clone()
        };
        if let Some(grid) = &self.calendars {
            return self.search_on_calendars(grid, &config, initial);
        }
        search_checked(&self.problem, &config, initial)
    }

    /// The calendar search ([`crate::schedule::calendar_search`]) on a clock long enough for
    /// the schedule it finds; the schedule returned has passed
    /// [`crate::schedule::calendars::check_on_calendars`] (and the commands check it against the
    /// model's calendars too, [`crate::timeline::check_calendars`]).
    fn search_on_calendars(
        &self,
        grid: &CalendarGrid,
        config: &SearchConfig,
        initial: &[Solution],
    ) -> Result<SearchResult, SearchFailure> {
        loop {
            let clock = grid.clock();
            let path = self
                .calendar_bound(&clock)
                .max(grid.critical_path.unwrap_or(0));
            let bound = match self.calendar_energy_bound(&clock) {
                Some((day, k)) if day > path => LowerBound {
                    value: day,
                    critical_path: path,
                    kind: BoundKind::Energy,
                    resource: Some(k),
                },
                _ => LowerBound {
                    value: path,
                    critical_path: path,
                    kind: BoundKind::CriticalPath,
                    resource: None,
                },
            };
            let found = crate::schedule::calendar_search::search_on_calendars(
                &self.problem,
                &clock,
                config,
                initial,
                bound,
            )?;
            if clock.overran() && grid.lengthen(&clock) {
                continue;
            }
            let mut violations = crate::schedule::calendars::check_on_calendars(
                &self.problem,
                &clock,
                &found.schedule,
            );
            let finish: Vec<u32> = (0..self.problem.activities.len())
                .map(|j| calendar_finish(&self.problem, &clock, &found.schedule, j))
                .collect();
            let drivers = crate::schedule::driver::on_calendars(
                &self.problem,
                &clock,
                (&found.schedule.starts, &finish, &found.schedule.modes),
                found.drivers.clone(),
            );
            if violations.is_empty() {
                violations.extend(
                    crate::schedule::check_drivers_on_calendars(
                        &self.problem,
                        &clock,
                        &found.schedule,
                        &drivers,
                    )
                    .into_iter()
                    .map(crate::schedule::Violation::Driver),
                );
            }
            if !violations.is_empty() {
                return Err(SearchFailure::Unsound(violations));
            }
            let mut found = found;
            found.drivers = drivers;
            return Ok(found);
        }
    }

    /// A bound no schedule on calendars beats: every activity finishes no earlier than its
    /// shortest mode started on its release day, on its own working days. Links are left out
    /// (a lead counted in a sparse calendar can reach further back than on the grid), so the
    /// bound is weak but never wrong.
    fn calendar_bound(&self, clock: &GridClock) -> u32 {
        use crate::schedule::calendars::span;
        (0..self.nodes)
            .map(|j| {
                let a = &self.problem.activities[j];
                let c = whole_days(clock.count(j, f64::from(a.release)));
                let shortest = a.modes.iter().map(|m| m.duration).min().unwrap_or(0);
                span(clock, j, c, shortest).1
            })
            .max()
            .unwrap_or(0)
    }

    /// The energy bound on calendars, with the resource that gives it: a resource's work (each
    /// activity's least units × days over its modes) is done only on days on which some
    /// activity that needs it works, at most its capacity a day, so no schedule ends before
    /// enough such days have passed. `None` when no resource has work (or the days needed lie
    /// past [`crate::cpm::MAX_GRID_DAYS`], where it is not looked for).
    fn calendar_energy_bound(&self, clock: &GridClock) -> Option<(u32, usize)> {
        let activities = &self.problem.activities;
        let mut best: Option<(u32, usize)> = None;
        for (k, resource) in self.problem.resources.iter().enumerate() {
            let work: u64 = activities
                .iter()
                .map(|a| {
                    a.modes
                        .iter()
                        .map(|m| u64::from(m.duration) * u64::from(m.demand[k]))
                        .min()
                        .unwrap_or(0)
                })
                .sum();
            if work == 0 {
                continue;
            }
            // One activity per mask among those that may use the resource.
            let mut users: Vec<usize> = Vec::new();
            for (j, a) in activities.iter().enumerate() {
                let uses = a.modes.iter().any(|m| m.duration > 0 && m.demand[k] > 0);
                if uses && !users.iter().any(|&u| clock.mask_of(u) == clock.mask_of(j)) {
                    users.push(j);
                }
            }
            let mut supplied = 0u64;
            let mut day = 0u32;
            while supplied < work {
                if day as usize >= crate::cpm::MAX_GRID_DAYS {
                    return best;
                }
                if users.iter().any(|&j| clock.works(j, day)) {
                    supplied += u64::from(resource.capacity.units_at(day));
                }
                day += 1;
            }
            if best.is_none_or(|(b, _)| day > b) {
                best = Some((day, k));
            }
        }
        best
    }

    /// The day after the last day activity `node` works in `schedule` (on its calendar when
    /// the model has calendars), or `None` for a bad activity or mode.
    pub fn finish_of(&self, schedule: &Schedule, node: usize) -> Option<u32> {
        let end = schedule.finish(&self.problem, node)?;
        let Some(grid) = &self.calendars else {
            return Some(end);
        };
        Some(calendar_finish(
            &self.problem,
            &grid.clock(),
            schedule,
            node,
        ))
    }

    /// True when activity `node` works grid day `day` (every day without calendars).
    pub fn works_on(&self, node: usize, day: u32) -> bool {
        self.calendars
            .as_ref()
            .is_none_or(|grid| grid.clock().works(node, day))
    }

    /// Each task or milestone with a cap (`*_no_later`, `must_*`) or a deadline as
    /// `(activity, latest finish)`: what the search tries to meet besides the due dates.
    pub fn targets(&self) -> Vec<(usize, u32)> {
        (0..self.nodes)
            .filter_map(|node| {
                let shortest = self.problem.activities[node]
                    .modes
                    .iter()
                    .map(|m| m.duration)
                    .min()
                    .unwrap_or(0);
                Some((node, target_finish(&self.windows, node, shortest)?))
            })
            .collect()
    }

    /// As [`ProgramProblem::search`], ranked by tardiness on `due_dates` only (for example the
    /// milestones some team can meet, so that a date nobody can reach does not steer the search).
    pub fn search_with_due_dates(
        &self,
        config: &SearchConfig,
        initial: &[Solution],
        due_dates: Vec<(usize, u32)>,
    ) -> Result<SearchResult, SearchFailure> {
        let config = SearchConfig {
            due_dates,
            ..config.clone()
        };
        if let Some(grid) = &self.calendars {
            return self.search_on_calendars(grid, &config, initial);
        }
        search_checked(&self.problem, &config, initial)
    }

    /// The last finish among the model's own tasks and milestones (deadline tails excluded).
    pub fn finish(&self, schedule: &Schedule) -> u32 {
        (0..self.nodes)
            .filter_map(|j| self.finish_of(schedule, j))
            .max()
            .unwrap_or(0)
    }

    /// Critical-path length over the model's own activities, with each task at its fastest mode.
    pub fn lower_bound(&self) -> u32 {
        if let Some(grid) = &self.calendars {
            let own = self.calendar_bound(&grid.clock());
            return own.max(grid.critical_path.unwrap_or(0));
        }
        let mut finish = vec![0u32; self.nodes];
        let fastest = |a: &Activity| a.modes.iter().map(|m| m.duration).min().unwrap_or(0);
        for &j in &self.graph.graph.order {
            let activity = &self.problem.activities[j];
            let slowest = activity.modes.iter().map(|m| m.duration).max().unwrap_or(0);
            let start = activity
                .preds
                .iter()
                .map(|p| {
                    let shortest = fastest(&self.problem.activities[p.pred]);
                    let lag = p.relaxed_lag(shortest, slowest);
                    (i64::from(finish[p.pred]) + lag).max(0) as u32
                })
                .fold(activity.release, u32::max);
            finish[j] = start + fastest(activity);
        }
        finish.into_iter().max().unwrap_or(0)
    }

    /// Working days of the schedule's finish for each milestone (indexed like `model.milestones`).
    pub fn milestone_finishes(&self, schedule: &Schedule) -> Vec<u32> {
        self.graph
            .kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| matches!(k, NodeKind::Milestone(_)))
            .map(|(node, _)| schedule.starts[node])
            .collect()
    }

    /// Crew per role (people) that the schedule gives activity `node`.
    pub fn crew(&self, schedule: &Schedule, node: usize) -> &[u32] {
        &self.crews[node][schedule.modes[node]]
    }
}
