//! Baselines: a schedule frozen to a JSON file with the hash of the model it came from, each
//! task's budget and the time-phased planned value, and the variance of a later schedule
//! against it, matched by id. Earned value ([`super::evm`]) measures against its planned
//! value, laid out here.
//!
//! The hash is the SHA-256 of the model file's bytes, written `sha256:<hex>`: it tells
//! whether a baseline was taken from this very text, not whether two texts mean the same.

use super::answers::{Answers, ItemDates};
use crate::calendar::Calendar;
use crate::calendar::WorkCalendar;
use crate::error::{Diagnostic, Diagnostics};
use crate::model::{EstimateChoice, Model, Task, Work};
use crate::model::{MAX_COST, MAX_EFFORT};
use crate::timeline::{serialize_date, serialize_opt_date};
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// The version of the baseline format this build writes and reads.
pub const BASELINE_VERSION: u32 = 1;

/// The help line of a baseline file that does not read.
const BASELINE_HELP: &str =
    "give a file written by `plan baseline --out FILE.json` (docs/tracking.md describes it)";

/// The hash a baseline records: `sha256:` and the hex SHA-256 of the model text.
pub fn model_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The tag that marks a baseline file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BaselineFormat {
    /// `"plan-baseline"`.
    #[serde(rename = "plan-baseline")]
    PlanBaseline,
}

/// Where a baseline's dates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The team's checked schedule.
    Schedule,
    /// The critical path with unlimited people (no team given).
    CriticalPath,
}

fn de_date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let text = String::deserialize(d)?;
    text.parse::<Date>()
        .map_err(|e| serde::de::Error::custom(format!("`{text}` is not a date (YYYY-MM-DD): {e}")))
}

fn de_opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => text.parse::<Date>().map(Some).map_err(|e| {
            serde::de::Error::custom(format!("`{text}` is not a date (YYYY-MM-DD): {e}"))
        }),
    }
}

/// A frozen task's dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineTask {
    /// Task id.
    pub id: String,
    /// Its name then.
    pub name: String,
    /// First working day.
    #[serde(serialize_with = "serialize_date", deserialize_with = "de_date")]
    pub start: Date,
    /// Last working day.
    #[serde(serialize_with = "serialize_date", deserialize_with = "de_date")]
    pub finish: Date,
    /// Its phase then.
    #[serde(default)]
    pub phase: Option<String>,
    /// The fraction done at the baseline's status date.
    #[serde(default)]
    pub done: f64,
    /// Its whole planned work, per role (see [`task_budget`]): the budget earned value
    /// measures against. Empty in baselines written before budgets were recorded.
    #[serde(default)]
    pub budget: Vec<RoleBudget>,
}

/// A role's planned person-days on a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleBudget {
    /// Role id.
    pub role: String,
    /// Person-days.
    pub person_days: f64,
}

/// A role as the baseline priced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineRole {
    /// Role id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Cost per person-day (`null` when the model gives none).
    #[serde(default)]
    pub cost: Option<f64>,
}

/// The program's cumulative planned value at the start of a working day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedValue {
    /// The day (as a status date: the plan's work before it).
    #[serde(serialize_with = "serialize_date", deserialize_with = "de_date")]
    pub date: Date,
    /// Person-days planned to be done before `date`.
    pub person_days: f64,
    /// The same in money (`null` unless every role has a cost).
    #[serde(default)]
    pub cost: Option<f64>,
}

/// A frozen milestone's dates and forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineMilestone {
    /// Milestone id.
    pub id: String,
    /// Its name then.
    pub name: String,
    /// Due date then.
    #[serde(
        serialize_with = "serialize_opt_date",
        deserialize_with = "de_opt_date",
        default
    )]
    pub due: Option<Date>,
    /// The day it is reached (a milestone starts and finishes on it).
    #[serde(serialize_with = "serialize_date", deserialize_with = "de_date")]
    pub start: Date,
    /// The day it is reached.
    #[serde(serialize_with = "serialize_date", deserialize_with = "de_date")]
    pub finish: Date,
    /// Simulated P50 then (`null` without a simulation).
    #[serde(
        serialize_with = "serialize_opt_date",
        deserialize_with = "de_opt_date",
        default
    )]
    pub p50: Option<Date>,
    /// Simulated P80 then.
    #[serde(
        serialize_with = "serialize_opt_date",
        deserialize_with = "de_opt_date",
        default
    )]
    pub p80: Option<Date>,
}

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Always `"plan-baseline"`.
    pub format: BaselineFormat,
    /// [`BASELINE_VERSION`].
    pub version: u32,
    /// [`model_hash`] of the model text it was taken from.
    pub model_hash: String,
    /// Project name.
    pub project: String,
    /// The model's status date (`project.start`) then.
    #[serde(serialize_with = "serialize_date", deserialize_with = "de_date")]
    pub status_date: Date,
    /// The scenario's name, when the dates come from a team's schedule.
    #[serde(default)]
    pub scenario: Option<String>,
    /// Where the dates come from.
    pub source: DateSource,
    /// Every task.
    pub tasks: Vec<BaselineTask>,
    /// Every milestone.
    pub milestones: Vec<BaselineMilestone>,
    /// The roles and their costs then.
    #[serde(default)]
    pub roles: Vec<BaselineRole>,
    /// The program's planned value by working day, from the status date to the end of the
    /// planned work (time-phased budget; empty in baselines written before it was recorded).
    #[serde(default)]
    pub planned_value: Vec<PlannedValue>,
}

/// Freezes answered dates into a baseline: tasks and milestones from the team's schedule when
/// `answers` has one, else from the critical path; each task's budget from `estimate` (the
/// estimate the dates were answered with).
pub fn freeze(
    model: &Model,
    model_hash: String,
    answers: &Answers,
    estimate: EstimateChoice,
) -> Baseline {
    let by_id: HashMap<&str, &Task> = model.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let tasks: Vec<BaselineTask> = answers
        .tasks
        .iter()
        .map(|t| {
            let task = by_id.get(t.id.as_str());
            BaselineTask {
                id: t.id.clone(),
                name: t.name.clone(),
                start: t.start,
                finish: t.finish,
                phase: task.and_then(|task| task.phase.clone()),
                done: task.map_or(0.0, |task| task.done),
                budget: task.map_or_else(Vec::new, |task| task_budget(model, task, estimate)),
            }
        })
        .collect();
    let roles: Vec<BaselineRole> = model
        .roles
        .iter()
        .map(|r| BaselineRole {
            id: r.id.clone(),
            name: r.name.clone(),
            cost: r.cost,
        })
        .collect();
    let planned_value = planned_value_curve(&tasks, &roles, &model.calendar, answers.status_date);
    Baseline {
        format: BaselineFormat::PlanBaseline,
        version: BASELINE_VERSION,
        model_hash,
        project: model.project.name.clone(),
        status_date: answers.status_date,
        scenario: answers.scenario.clone(),
        source: if answers.scenario.is_some() {
            DateSource::Schedule
        } else {
            DateSource::CriticalPath
        },
        tasks,
        roles,
        planned_value,
        milestones: answers
            .milestones
            .iter()
            .map(|m| {
                let day = m.scheduled.unwrap_or(m.cpm_finish);
                BaselineMilestone {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    due: m.due,
                    start: day,
                    finish: day,
                    p50: m.p50,
                    p80: m.p80,
                }
            })
            .collect(),
    }
}

/// The planned person-days of each role on a task (its whole work, done or not): an
/// effort-driven task's effort, a fixed task's duration times the people of each role it
/// keeps busy. Roles with no work are left out.
pub fn task_budget(model: &Model, task: &Task, estimate: EstimateChoice) -> Vec<RoleBudget> {
    let pieces: Vec<(usize, f64)> = match &task.work {
        Work::Fixed { duration, demand } => demand
            .iter()
            .map(|&(role, n)| (role, duration.pick(estimate) * f64::from(n)))
            .collect(),
        Work::Effort(efforts) => efforts
            .iter()
            .map(|e| (e.role, e.effort.pick(estimate)))
            .collect(),
    };
    pieces
        .into_iter()
        .filter(|&(_, person_days)| person_days > 0.0)
        .map(|(role, person_days)| RoleBudget {
            role: model.roles[role].id.clone(),
            person_days,
        })
        .collect()
}

/// Working days from the calendar's day 0 to the start of `date` (negative before it).
pub(super) fn days_before(cal: &mut WorkCalendar, date: Date) -> i64 {
    match date.yesterday() {
        Ok(d) => cal.deadline(d),
        Err(_) => 0,
    }
}

/// One role's budget on one task, placed in time.
pub(super) struct Piece<'a> {
    pub(super) task: &'a BaselineTask,
    pub(super) role: &'a str,
    pub(super) person_days: f64,
    /// Its share of the task's whole budget (splits the task's actual effort).
    pub(super) share: f64,
    /// First and last working day (from the baseline's status date) of its remaining part.
    pub(super) first: usize,
    pub(super) last: usize,
    /// The role's cost per person-day in the baseline.
    pub(super) rate: Option<f64>,
}

impl Piece<'_> {
    fn planned_before(&self) -> f64 {
        self.task.done * self.person_days
    }

    /// Value planned on each working day of its remaining part.
    fn per_day(&self) -> f64 {
        (1.0 - self.task.done) * self.person_days / (self.last - self.first + 1) as f64
    }

    /// The day after its last planned day (0 when nothing was left at the baseline).
    fn end(&self) -> usize {
        if self.task.done >= 1.0 {
            0
        } else {
            self.last + 1
        }
    }
}

pub(super) fn pieces<'a>(
    tasks: &'a [BaselineTask],
    roles: &[BaselineRole],
    cal: &mut WorkCalendar,
) -> Vec<Piece<'a>> {
    let rates: HashMap<&str, Option<f64>> = roles.iter().map(|r| (r.id.as_str(), r.cost)).collect();
    let mut out = Vec::new();
    for task in tasks {
        let total: f64 = task.budget.iter().map(|b| b.person_days).sum();
        let first = days_before(cal, task.start).max(0) as usize;
        let last = (days_before(cal, task.finish).max(0) as usize).max(first);
        for b in &task.budget {
            out.push(Piece {
                task,
                role: &b.role,
                person_days: b.person_days,
                share: if total > 0.0 {
                    b.person_days / total
                } else {
                    0.0
                },
                first,
                last,
                rate: rates.get(b.role.as_str()).copied().flatten(),
            });
        }
    }
    out
}

/// Cumulative planned value by working day: element `k` is what the plan had done by the
/// start of working day `k` after the baseline's status date; the last element is the
/// budget at completion. `value` weighs a piece (person-days, or money).
pub(super) fn curve(pieces: &[&Piece<'_>], value: impl Fn(&Piece<'_>) -> f64) -> Vec<f64> {
    let end = pieces.iter().map(|p| p.end()).max().unwrap_or(0);
    let mut daily = vec![0.0; end];
    let mut start = 0.0;
    for p in pieces {
        let scale = if p.person_days > 0.0 {
            value(p) / p.person_days
        } else {
            0.0
        };
        start += p.planned_before() * scale;
        if p.task.done < 1.0 {
            for day in &mut daily[p.first..=p.last] {
                *day += p.per_day() * scale;
            }
        }
    }
    let mut out = Vec::with_capacity(end + 1);
    out.push(start);
    for d in daily {
        let last = *out.last().unwrap_or(&0.0);
        out.push(last + d);
    }
    out
}

/// The program's planned value by working day from `status_date` (the baseline's), the
/// points `plan baseline` stores: each is what the plan has done by the start of its date.
pub fn planned_value_curve(
    tasks: &[BaselineTask],
    roles: &[BaselineRole],
    calendar: &Calendar,
    status_date: Date,
) -> Vec<PlannedValue> {
    let mut cal = WorkCalendar::new(calendar.clone(), status_date);
    let all = pieces(tasks, roles, &mut cal);
    let refs: Vec<&Piece<'_>> = all.iter().collect();
    let person_days = curve(&refs, |p| p.person_days);
    let money = all
        .iter()
        .all(|p| p.rate.is_some())
        .then(|| curve(&refs, |p| p.person_days * p.rate.unwrap_or(0.0)));
    person_days
        .iter()
        .enumerate()
        .map(|(k, &pd)| PlannedValue {
            date: cal.date_of(k),
            person_days: pd,
            cost: money.as_ref().map(|m| m[k]),
        })
        .collect()
}

/// Reads a baseline file's text; `file` is the name errors use. Errors carry the key (e.g.
/// `milestones[1].p80`) and the line and column the JSON reader was at: the value itself for a
/// wrong type, the end of its object for a bad date.
pub fn parse_baseline(text: &str, file: &Path) -> Result<Baseline, Diagnostics> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let baseline: Baseline = serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let key = e.path().to_string();
        let e = e.into_inner();
        let at = (e.line() > 0).then_some((e.line(), e.column()));
        let key = if key == "." { String::new() } else { key };
        Diagnostic::new(file, key, format!("not a baseline file: {e}"))
            .at(at)
            .help(BASELINE_HELP)
    })?;
    let mut diags = Diagnostics::default();
    if baseline.version != BASELINE_VERSION {
        diags.push(
            Diagnostic::new(
                file,
                "version",
                format!(
                    "baseline format version {} is not known (this plan reads version {BASELINE_VERSION})",
                    baseline.version
                ),
            )
            .help("write the baseline again with this plan's `plan baseline`"),
        );
    }
    let mut seen = BTreeSet::new();
    let ids = baseline
        .tasks
        .iter()
        .map(|t| ("tasks", &t.id))
        .chain(baseline.milestones.iter().map(|m| ("milestones", &m.id)));
    for (i, (list, id)) in ids.enumerate() {
        if !seen.insert(id.as_str()) {
            diags.push(
                Diagnostic::new(
                    file,
                    format!("{list}[].id"),
                    format!("id \"{id}\" appears twice (entry {})", i + 1),
                )
                .help("each task and milestone appears once in a baseline"),
            );
        }
    }
    check_amounts(&baseline, file, &mut diags);
    check_dates(&baseline, file, &mut diags);
    diags.into_result(baseline)
}

/// The most calendar days a baseline's date may lie from its status date: far beyond any
/// plan (a model's work is limited to 10,000 working days), near enough that counting
/// working days to it stays quick.
const MAX_DATE_SPAN_DAYS: i32 = 36_600;

/// Every task's and milestone's dates within [`MAX_DATE_SPAN_DAYS`] of the status date.
fn check_dates(baseline: &Baseline, file: &Path, diags: &mut Diagnostics) {
    let status = baseline.status_date;
    let tasks = baseline.tasks.iter().enumerate().flat_map(|(i, t)| {
        [
            (format!("tasks[{i}].start"), t.start),
            (format!("tasks[{i}].finish"), t.finish),
        ]
    });
    let milestones = baseline
        .milestones
        .iter()
        .enumerate()
        .map(|(i, m)| (format!("milestones[{i}].finish"), m.finish));
    for (key, date) in tasks.chain(milestones) {
        let far = status
            .until(date)
            .is_ok_and(|span| span.get_days().abs() > MAX_DATE_SPAN_DAYS);
        if far {
            diags.push(
                Diagnostic::new(
                    file,
                    key,
                    format!(
                        "{date} is more than 100 years from the baseline's status date {status}"
                    ),
                )
                .help(BASELINE_HELP),
            );
        }
    }
}

/// Budgets, fractions done and costs within the model's limits: JSON numbers can be
/// anything up to 1e308.
fn check_amounts(baseline: &Baseline, file: &Path, diags: &mut Diagnostics) {
    let mut check = |key: String, x: f64, limit: f64, what: &str| {
        if !(0.0..=limit).contains(&x) {
            diags.push(
                Diagnostic::new(file, key, format!("{x} is not {what} (0 to {limit})"))
                    .help(BASELINE_HELP),
            );
        }
    };
    for (i, t) in baseline.tasks.iter().enumerate() {
        check(format!("tasks[{i}].done"), t.done, 1.0, "a fraction done");
        for (j, b) in t.budget.iter().enumerate() {
            let key = format!("tasks[{i}].budget[{j}].person_days");
            check(key, b.person_days, MAX_EFFORT, "a number of person-days");
        }
    }
    for (i, r) in baseline.roles.iter().enumerate() {
        if let Some(cost) = r.cost {
            check(
                format!("roles[{i}].cost"),
                cost,
                MAX_COST,
                "a cost per person-day",
            );
        }
    }
}

/// One task's or milestone's dates against its baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variance {
    /// Task or milestone id.
    pub id: String,
    /// Baseline start.
    #[serde(serialize_with = "serialize_date")]
    pub baseline_start: Date,
    /// Baseline finish.
    #[serde(serialize_with = "serialize_date")]
    pub baseline_finish: Date,
    /// Current start.
    #[serde(serialize_with = "serialize_date")]
    pub start: Date,
    /// Current finish.
    #[serde(serialize_with = "serialize_date")]
    pub finish: Date,
    /// Working days the start moved later than the baseline (negative: earlier).
    pub start_variance: i64,
    /// Working days the finish moved later than the baseline (negative: earlier).
    pub finish_variance: i64,
}

/// A schedule against a baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaselineComparison {
    /// The baseline's model hash.
    pub model_hash: String,
    /// False when the baseline was taken from another model text (items are matched by id).
    pub matches_model: bool,
    /// The baseline's status date.
    #[serde(serialize_with = "serialize_date")]
    pub status_date: Date,
    /// The baseline's scenario.
    pub scenario: Option<String>,
    /// Where the baseline's dates come from.
    pub source: DateSource,
    /// Tasks in both, in the current order.
    pub tasks: Vec<Variance>,
    /// Milestones in both, in the current order.
    pub milestones: Vec<Variance>,
    /// Ids in the baseline that the current model no longer has.
    pub only_in_baseline: Vec<String>,
    /// Ids in the current model that the baseline does not have.
    pub only_in_model: Vec<String>,
}

impl BaselineComparison {
    /// The variance of the task or milestone with this id.
    pub fn variance(&self, id: &str) -> Option<&Variance> {
        self.tasks
            .iter()
            .chain(&self.milestones)
            .find(|v| v.id == id)
    }
}

/// Refuses a model whose status date is earlier than the baseline's: the baseline would
/// describe the future.
pub fn check_status_date(baseline: &Baseline, model: &Model) -> Result<(), Diagnostic> {
    let status = super::status_date(model);
    if status < baseline.status_date {
        return Err(Diagnostic::new(
            model.file(),
            "project.start",
            format!(
                "the status date {status} is earlier than the baseline's ({})",
                baseline.status_date
            ),
        )
        .help("compare against a baseline taken at or before this model's status date"));
    }
    Ok(())
}

/// Compares current dates with a baseline by id, variances in working days on the current
/// model's calendar. `current_hash` is [`model_hash`] of the current model text. A status
/// date earlier than the baseline's is refused: the baseline would describe the future.
pub fn compare(
    baseline: &Baseline,
    current_hash: &str,
    model: &Model,
    tasks: &[ItemDates],
    milestones: &[ItemDates],
) -> Result<BaselineComparison, Diagnostic> {
    check_status_date(baseline, model)?;
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    let mut matched = |now: &[ItemDates], then: &dyn Fn(&str) -> Option<(Date, Date)>| {
        now.iter()
            .filter_map(|item| {
                let (bs, bf) = then(&item.id)?;
                Some(Variance {
                    id: item.id.clone(),
                    baseline_start: bs,
                    baseline_finish: bf,
                    start: item.start,
                    finish: item.finish,
                    start_variance: cal.deadline(item.start) - cal.deadline(bs),
                    finish_variance: cal.deadline(item.finish) - cal.deadline(bf),
                })
            })
            .collect::<Vec<_>>()
    };
    let task_then = |id: &str| {
        baseline
            .tasks
            .iter()
            .find(|t| t.id == id)
            .map(|t| (t.start, t.finish))
    };
    let milestone_then = |id: &str| {
        baseline
            .milestones
            .iter()
            .find(|m| m.id == id)
            .map(|m| (m.start, m.finish))
    };
    let task_rows = matched(tasks, &task_then);
    let milestone_rows = matched(milestones, &milestone_then);
    let now: BTreeSet<&str> = tasks
        .iter()
        .chain(milestones)
        .map(|i| i.id.as_str())
        .collect();
    let then: Vec<&str> = baseline
        .tasks
        .iter()
        .map(|t| t.id.as_str())
        .chain(baseline.milestones.iter().map(|m| m.id.as_str()))
        .collect();
    Ok(BaselineComparison {
        model_hash: baseline.model_hash.clone(),
        matches_model: baseline.model_hash == current_hash,
        status_date: baseline.status_date,
        scenario: baseline.scenario.clone(),
        source: baseline.source,
        tasks: task_rows,
        milestones: milestone_rows,
        only_in_baseline: then
            .iter()
            .filter(|id| !now.contains(*id))
            .map(|id| id.to_string())
            .collect(),
        only_in_model: tasks
            .iter()
            .chain(milestones)
            .filter(|i| !then.contains(&i.id.as_str()))
            .map(|i| i.id.clone())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_hash_is_the_sha256_of_the_text() {
        // SHA-256 of the empty string, as published in FIPS 180-2 test vectors.
        assert_eq!(
            model_hash(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_ne!(model_hash("a"), model_hash("b"));
    }

    #[test]
    fn budgets_fractions_and_far_dates_outside_the_limits_are_errors_with_their_keys() {
        let text = r#"{"format": "plan-baseline", "version": 1, "model_hash": "x",
            "project": "p", "status_date": "2025-09-15", "source": "critical_path",
            "tasks": [{"id": "A", "name": "a", "start": "2025-09-15", "finish": "8999-12-31",
                       "done": 1.5, "budget": [{"role": "dev", "person_days": -1}]}],
            "milestones": [], "roles": [{"id": "dev", "name": "Dev", "cost": 1e12}]}"#;
        let errors = parse_baseline(text, Path::new("b.json")).unwrap_err();
        let keys: Vec<&str> = errors.0.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "tasks[0].done",
                "tasks[0].budget[0].person_days",
                "roles[0].cost",
                "tasks[0].finish"
            ],
            "{errors}"
        );
    }

    #[test]
    fn a_duplicate_id_and_an_unknown_version_are_errors_with_their_keys() {
        let text = r#"{"format": "plan-baseline", "version": 9, "model_hash": "x",
            "project": "p", "status_date": "2025-09-15", "source": "critical_path",
            "tasks": [{"id": "A", "name": "a", "start": "2025-09-15", "finish": "2025-09-16"}],
            "milestones": [{"id": "A", "name": "m", "start": "2025-09-16", "finish": "2025-09-16"}]}"#;
        let errors = parse_baseline(text, Path::new("b.json")).unwrap_err();
        let keys: Vec<&str> = errors.0.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(keys, ["version", "milestones[].id"], "{errors}");
    }
}
