//! `plan feasibility` with capacity bounds, and `plan staff`.

use super::{emit, environment, estimate, format, interrupt, load, search_scenario, CliError};
use crate::cli::{BucketArg, FeasibilityArgs, StaffArgs, StaffFormat};
use plan::bounds::staff::{self as staffing, StaffError};
use plan::bounds::{solver, Bucket, CapacityBound};
use plan::calendar::WorkCalendar;
use plan::model::{EstimateChoice, Model, Scenario};
use plan::program::{self, ProgramProblem};
use plan::report::bounds::{self as rb, Marginal, MarginalMilestone};
use plan::report::schedule::{FeasibilityReport, Verdict};
use plan::report::{self, Format};
use plan::schedule::{Schedule, SearchConfig};
use std::collections::BTreeMap;

fn bucket(b: BucketArg) -> Bucket {
    match b {
        BucketArg::Day => Bucket::Day,
        BucketArg::Week => Bucket::Week,
    }
}

/// A checked best schedule of one team.
struct Solved {
    pp: ProgramProblem,
    schedule: Schedule,
    schedules: u64,
}

fn solve_team(
    model: &Model,
    scenario: &Scenario,
    config: &SearchConfig,
    choice: EstimateChoice,
    pool: &rayon::ThreadPool,
) -> Result<Solved, CliError> {
    let pp = program::build(model, scenario, choice)?;
    let result = pool.install(|| pp.search(config, &[]))?;
    // A cancelled search returns its best so far; the run stops instead of using it.
    interrupt::check()?;
    Ok(Solved {
        pp,
        schedule: result.schedule,
        schedules: result.schedules,
    })
}

/// Each milestone's earliest working day under the bound (`None`: beyond the horizon), or
/// the solver's complaint.
type BoundDays = Result<Vec<DayBound>, String>;

/// One milestone's bound: `None` without a due date; `Some(None)` beyond the horizon.
type DayBound = Option<Option<u32>>;

/// Bound days of every dated milestone, starting each search at the schedule's finish;
/// `Interrupted` when Ctrl-C comes between milestones.
fn bound_days(bound: &CapacityBound, finishes: &[u32]) -> Result<BoundDays, CliError> {
    let mut days = Vec::with_capacity(bound.milestone_nodes.len());
    for (m, &finish) in finishes
        .iter()
        .enumerate()
        .take(bound.milestone_nodes.len())
    {
        interrupt::check()?;
        days.push(match bound.deadlines[m] {
            None => None,
            Some(_) => match bound.earliest(m, Some(finish)) {
                Ok(day) => Some(day),
                Err(e) => return Ok(Err(e.0)),
            },
        });
    }
    Ok(Ok(days))
}

/// A team's checked schedule and its verdicts, backed by the capacity bound where it solves.
pub(super) struct Verdicts {
    /// The schedule as reported.
    pub schedule: report::schedule::ScheduleReport,
    /// One verdict per milestone.
    pub verdicts: FeasibilityReport,
    finishes: Vec<u32>,
    days: BoundDays,
}

/// Searches the team's best schedule, checks it, and gives each milestone its verdict
/// (`plan feasibility` without `--marginal`; `plan report` shows the same).
pub(super) fn verdicts(
    model: &Model,
    scenario: &Scenario,
    config: &SearchConfig,
    choice: EstimateChoice,
    pool: &rayon::ThreadPool,
    buckets: BucketArg,
) -> Result<Verdicts, CliError> {
    let solved = solve_team(model, scenario, config, choice, pool)?;
    let rep = report::schedule::build(
        model,
        &scenario.name,
        &solved.pp,
        &solved.schedule,
        solved.pp.lower_bound(),
        solved.schedules,
    );
    let mut verdicts = report::schedule::feasibility(&rep);
    let bound = CapacityBound::new(model, &solved.pp, &solved.pp.capacity, bucket(buckets));
    let finishes = solved.pp.milestone_finishes(&solved.schedule);
    let started = std::time::Instant::now();
    let days = bound_days(&bound, &finishes)?;
    let seconds = started.elapsed().as_secs_f64();
    match &days {
        Ok(days) => {
            apply_bound(model, &bound, days, &mut verdicts);
            verdicts.bound = Some(format!(
                "Capacity bound: {} LP per role over {} buckets ({}), solved in {:.2} s.",
                solver::solver_name(),
                match buckets {
                    BucketArg::Day => "working-day",
                    BucketArg::Week => "weekly",
                },
                bound.buckets.len(),
                seconds
            ));
        }
        Err(why) => {
            verdicts.bound = Some(format!(
                "Capacity bound unavailable: the LP solver did not finish ({why}); verdicts come from the schedule alone."
            ));
        }
    }
    Ok(Verdicts {
        schedule: rep,
        verdicts,
        finishes,
        days,
    })
}

/// `plan feasibility`.
pub fn feasibility(a: &FeasibilityArgs) -> Result<i32, CliError> {
    let args = &a.search;
    let env = environment(args)?;
    let model = load(&args.model)?;
    let scenario = search_scenario(args, &model)?;
    let (config, pool) = (SearchConfig::for_run(&env), env.pool());
    let choice = estimate(args.estimate);
    let v = verdicts(&model, &scenario, &config, choice, pool, a.bucket)?;
    let mut verdicts = v.verdicts;
    if a.marginal {
        let base_days = v.days.as_ref().ok();
        verdicts.marginal = Some(marginal(
            &model,
            &scenario,
            &config,
            choice,
            pool,
            bucket(a.bucket),
            (&v.finishes, base_days),
        )?);
    }
    emit(&report::schedule::render_feasibility(
        &verdicts,
        format(a.format),
    ))?;
    Ok(0)
}

/// Turns `missed` verdicts into `infeasible` (with certificate) or `unknown`.
fn apply_bound(
    model: &Model,
    bound: &CapacityBound,
    days: &[DayBound],
    verdicts: &mut FeasibilityReport,
) {
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    for (m, row) in verdicts.milestones.iter_mut().enumerate() {
        let (Some(deadline), Some(day)) = (bound.deadlines[m], days[m]) else {
            continue;
        };
        row.bound_date = day.map(|d| cal.finish_date(f64::from(d)).to_string());
        row.bound_slack = day.map(|d| i64::from(deadline) - i64::from(d));
        let provably_late = day.is_none_or(|d| d > deadline);
        if row.verdict == Verdict::Met {
            continue;
        }
        if provably_late {
            row.verdict = Verdict::Infeasible;
            row.certificate = bound
                .certificate(m, deadline)
                .map(|c| rb::certificate(model, bound, &c, &mut cal));
        } else {
            row.verdict = Verdict::Unknown;
        }
    }
}

/// One more person of each role from the start: how far each milestone moves.
fn marginal(
    model: &Model,
    scenario: &Scenario,
    config: &SearchConfig,
    choice: EstimateChoice,
    pool: &rayon::ThreadPool,
    bucket: Bucket,
    base: (&[u32], Option<&Vec<DayBound>>),
) -> Result<Vec<Marginal>, CliError> {
    let (finishes, base_days) = base;
    let mut out = Vec::new();
    for (r, role) in model.roles.iter().enumerate() {
        let mut team = scenario.team.clone();
        team[r] += 1;
        let sc = staffing::with_team(scenario, &team);
        let solved = solve_team(model, &sc, config, choice, pool)?;
        let new_finishes = solved.pp.milestone_finishes(&solved.schedule);
        let new_days = match base_days {
            Some(_) => {
                let b = CapacityBound::new(model, &solved.pp, &solved.pp.capacity, bucket);
                bound_days(&b, &new_finishes)?.ok()
            }
            None => None,
        };
        let milestones = model
            .milestones
            .iter()
            .enumerate()
            .map(|(m, ms)| MarginalMilestone {
                id: ms.id.clone(),
                bound_days_gained: match (base_days, &new_days) {
                    (Some(old), Some(new)) => match (old[m], new[m]) {
                        (Some(Some(o)), Some(Some(n))) => Some(i64::from(o) - i64::from(n)),
                        _ => None,
                    },
                    _ => None,
                },
                schedule_days_gained: i64::from(finishes[m]) - i64::from(new_finishes[m]),
            })
            .collect();
        out.push(Marginal {
            role: role.id.clone(),
            milestones,
        });
    }
    Ok(out)
}

/// Parses `--max ROLE=N` caps against the model's roles and the scenario's team.
fn caps(model: &Model, scenario: &Scenario, max: &[String]) -> Result<Vec<Option<u32>>, CliError> {
    let mut caps = vec![None; model.roles.len()];
    for item in max {
        let Some((role, n)) = item.split_once('=') else {
            return Err(CliError::Invalid(format!(
                "--max {item}: write ROLE=N, e.g. --max backend=8"
            )));
        };
        let role = role.trim();
        let Some(r) = model.role_index(role) else {
            let closest = model
                .roles
                .iter()
                .map(|x| (strsim::levenshtein(&x.id, role), &x.id))
                .min();
            let hint = closest.map_or(String::new(), |(_, id)| format!("; did you mean \"{id}\"?"));
            let known: Vec<&str> = model.roles.iter().map(|x| x.id.as_str()).collect();
            return Err(CliError::Invalid(format!(
                "--max {item}: the model has no role \"{role}\" (roles: {}){hint}",
                known.join(", ")
            )));
        };
        let Ok(n) = n.trim().parse::<u32>() else {
            return Err(CliError::Invalid(format!(
                "--max {item}: give a whole number of people after '='"
            )));
        };
        if n < scenario.team[r] {
            return Err(CliError::Invalid(format!(
                "--max {item}: the cap is below the scenario's current team of {} {role}",
                scenario.team[r]
            )));
        }
        caps[r] = Some(n);
    }
    Ok(caps)
}

/// `plan staff`.
pub fn staff(a: &StaffArgs) -> Result<i32, CliError> {
    let args = &a.search;
    let env = environment(args)?;
    let model = load(&args.model)?;
    let scenario = search_scenario(args, &model)?;
    confidence(a)?;
    let caps = caps(&model, &scenario, &a.max)?;
    let config = SearchConfig::for_run(&env);
    let choice = estimate(args.estimate);
    let options = staffing::StaffOptions {
        caps,
        hires: a.hires,
        confidence: confidence(a)?,
    };
    let result = env
        .install(|| {
            staffing::staff_with(
                &model,
                &scenario,
                choice,
                bucket(a.bucket),
                &config,
                &options,
            )
        })
        .map_err(|e| match e {
            StaffError::Solver(why) => CliError::Invalid(format!(
                "the LP solver did not finish ({why}); try --bucket week or a smaller model"
            )),
            StaffError::Model(why) => CliError::Invalid(why),
            StaffError::Search(failure) => failure.into(),
            StaffError::Cancelled => CliError::Interrupted,
        })?;
    let rep = staff_report(&model, &scenario, &result, a.confidence);
    let fmt = match a.format {
        StaffFormat::Table => Format::Table,
        StaffFormat::Json => Format::Json,
    };
    emit(&rb::render_staff(&rep, fmt))?;
    Ok(0)
}

/// `--confidence P` and `--iterations N`, checked.
fn confidence(a: &StaffArgs) -> Result<Option<staffing::Confidence>, CliError> {
    let Some(p) = a.confidence else {
        return Ok(None);
    };
    if !(p > 0.0 && p < 1.0) {
        return Err(CliError::Invalid(format!(
            "--confidence {p}: give a probability strictly between 0 and 1, e.g. 0.8"
        )));
    }
    if a.iterations == 0 || a.iterations > plan::simulate::MAX_ITERATIONS {
        return Err(CliError::Invalid(format!(
            "--iterations {}: give between 1 and {}",
            a.iterations,
            plan::simulate::MAX_ITERATIONS
        )));
    }
    Ok(Some(staffing::Confidence {
        probability: p,
        iterations: a.iterations,
    }))
}

fn staff_report(
    model: &Model,
    scenario: &Scenario,
    s: &staffing::Staffing,
    confidence: Option<f64>,
) -> rb::StaffReport {
    let named = |v: &[u32]| -> BTreeMap<String, u32> {
        model
            .roles
            .iter()
            .zip(v)
            .map(|(r, &n)| (r.id.clone(), n))
            .collect()
    };
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    let finishes = s.problem.milestone_finishes(&s.schedule);
    let milestones: Vec<rb::StaffMilestone> = model
        .milestones
        .iter()
        .enumerate()
        .map(|(m, ms)| rb::StaffMilestone {
            id: ms.id.clone(),
            due: ms.due.map(|d| d.to_string()),
            finish_date: cal.finish_date(f64::from(finishes[m])).to_string(),
            slack: s.problem.deadlines[m].map(|d| i64::from(d) - i64::from(finishes[m])),
            probability_on_time: s.on_time.as_ref().and_then(|p| p[m]),
        })
        .collect();
    let hires = s
        .hires
        .iter()
        .map(|h| rb::HireRow {
            role: model.roles[h.role].id.clone(),
            count: h.count,
            start: h.start.to_string(),
        })
        .collect();
    let above = s
        .team
        .iter()
        .zip(&s.lower_bound)
        .map(|(&t, &l)| t.saturating_sub(l))
        .sum();
    rb::StaffReport {
        project: model.project.name.clone(),
        scenario: scenario.name.clone(),
        team: named(&s.team),
        cost: s.cost,
        lower_bound_team: named(&s.lower_bound),
        hires,
        person_days: s.person_days,
        lower_bound_cost: s.lower_bound_cost,
        lower_bound_person_days: s.lower_bound_person_days,
        confidence,
        above_lower_bound: above,
        all_met: milestones.iter().all(|m| m.slack.is_none_or(|x| x >= 0)),
        milestones,
        blocked: s
            .blocked
            .iter()
            .map(|(m, why)| rb::Blocked {
                id: m.map(|m| model.milestones[m].id.clone()),
                reason: why.clone(),
            })
            .collect(),
        schedules: s.schedules,
    }
}
