//! `plan explain`'s output: an [`Explanation`] in words (step by step from the status date,
//! then what would move it and, for a milestone proven late, the proof) or as JSON.

use super::bounds::{certificate, thousands, CertificateReport};
use super::fit;
use crate::bounds::verdict::{BoundRun, Feasibility};
use crate::drivers::TaskDriver;
use crate::explain::{Explanation, Progress, RoleGain};
use crate::model::Model;
use crate::timeline::{serialize_date, serialize_opt_date};
use jiff::civil::Date;
use serde::Serialize;
use std::fmt::Write as _;

/// An explanation as the JSON of `plan explain --format json` spells it.
#[derive(Debug, Serialize)]
pub struct ExplainReport {
    /// The explained id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `task` or `milestone`.
    pub kind: &'static str,
    /// Its finish in working days from the status date: the sum of the steps' `days`.
    pub finish: u32,
    /// The date it finishes (is reached).
    #[serde(serialize_with = "serialize_date")]
    pub finish_date: Date,
    /// The status date (working day 0).
    #[serde(serialize_with = "serialize_date")]
    pub status_date: Date,
    /// The status date's working day from the project start (the steps count from it).
    pub status_day: u32,
    /// A milestone's due date.
    #[serde(serialize_with = "serialize_opt_date")]
    pub due: Option<Date>,
    /// Working days to spare (negative: late).
    pub slack: Option<i64>,
    /// The driving chain from the status date to it.
    pub steps: Vec<StepReport>,
    /// One more person of each role tried: working days earlier, most first.
    pub role_gains: Vec<RoleGainReport>,
    /// Which roles `role_gains` tried and the budget of each role's search.
    pub role_search: RoleSearchReport,
    /// The certificate that no schedule meets the due date, when proven.
    pub certificate: Option<CertificateReport>,
    /// The model has role or task calendars: days are days of the schedule's grid (days any
    /// calendar works), and each task works only its own calendars' days.
    pub uses_calendars: bool,
    /// Why no proof was asked for a milestone the schedule makes late (on role and task
    /// calendars the capacity bound is not asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof_not_asked: Option<String>,
}

/// One step of the chain.
#[derive(Debug, Serialize)]
pub struct StepReport {
    /// Task or milestone id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What fixed its start (as in `plan schedule --format json`).
    pub driver: TaskDriver,
    /// Start, working days.
    pub start: u32,
    /// Finish, working days.
    pub finish: u32,
    /// First working day.
    #[serde(serialize_with = "serialize_date")]
    pub start_date: Date,
    /// Last working day.
    #[serde(serialize_with = "serialize_date")]
    pub finish_date: Date,
    /// Working days this step adds (finish minus the previous step's finish).
    pub days: i64,
    /// A task's progress at the status date: `not_started`, `under_way` or `finished`
    /// (`null` for a milestone).
    pub progress: Option<Progress>,
    /// Its recorded finish (`actual_finish`), if any.
    #[serde(serialize_with = "serialize_opt_date")]
    pub actual_finish: Option<Date>,
    /// The days it works: its duration on its own calendars' working days.
    pub work_days: u32,
    /// With role or task calendars, the calendars whose working days it keeps (its own or
    /// `project`, then its roles'); empty without them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub calendars: Vec<String>,
}

/// One role's gain.
#[derive(Debug, Serialize)]
pub struct RoleGainReport {
    /// Role id.
    pub role: String,
    /// Working days earlier with one more person from the start.
    pub days: i64,
}

/// What the role gains tried.
#[derive(Debug, Serialize)]
pub struct RoleSearchReport {
    /// Roles given one more person (those the driving chain needs).
    pub tried: Vec<String>,
    /// Roles not tried: no step of the chain needs them.
    pub skipped: Vec<String>,
    /// Budget of each role's search, in generated schedules.
    pub schedules: u64,
    /// Wall-clock seconds the role searches shared, when the run has a time limit.
    pub seconds: Option<f64>,
}

/// The report of `explanation`; the certificate is worded against `feasibility`'s bound.
pub fn build(
    model: &Model,
    explanation: &Explanation,
    feasibility: Option<&Feasibility>,
) -> ExplainReport {
    let mut cal = model.work_calendar();
    let late = explanation.slack.is_some_and(|s| s < 0);
    let proof_not_asked = feasibility.and_then(|f| match &f.bound {
        BoundRun::NotAsked(why) if late => Some(why.clone()),
        _ => None,
    });
    let bound = feasibility.and_then(|f| match &f.bound {
        BoundRun::Solved { bound, .. } => Some(bound),
        BoundRun::Unavailable(_) | BoundRun::NotAsked(_) => None,
    });
    let certificate = explanation
        .certificate
        .as_ref()
        .zip(bound)
        .map(|(c, bound)| certificate(model, bound, c, &mut cal));
    ExplainReport {
        id: explanation.id.clone(),
        name: explanation.name.clone(),
        kind: if explanation.milestone {
            "milestone"
        } else {
            "task"
        },
        finish: explanation.finish,
        finish_date: explanation.finish_date,
        status_date: explanation.status_date,
        status_day: explanation.status_day,
        due: explanation.due,
        slack: explanation.slack,
        steps: explanation
            .steps
            .iter()
            .map(|s| StepReport {
                id: s.id.clone(),
                name: s.name.clone(),
                driver: s.driver.clone(),
                start: s.start,
                finish: s.finish,
                start_date: s.start_date,
                finish_date: s.finish_date,
                days: s.days,
                progress: s.progress,
                actual_finish: s.actual_finish,
                work_days: s.work_days,
                calendars: s.calendars.clone(),
            })
            .collect(),
        role_gains: explanation
            .role_gains
            .iter()
            .map(|RoleGain { role, days }| RoleGainReport {
                role: role.clone(),
                days: *days,
            })
            .collect(),
        role_search: RoleSearchReport {
            tried: explanation.role_search.tried.clone(),
            skipped: explanation.role_search.skipped.clone(),
            schedules: explanation.role_search.schedules,
            seconds: explanation.role_search.seconds,
        },
        certificate,
        uses_calendars: model.uses_calendars(),
        proof_not_asked,
    }
}

/// JSON, or the explanation in words.
pub fn render(report: &ExplainReport, json: bool) -> String {
    if json {
        return serde_json::to_string_pretty(report).expect("serializable") + "\n";
    }
    let mut out = String::new();
    headline(&mut out, report);
    steps(&mut out, report);
    movers(&mut out, report);
    if let Some(why) = &report.proof_not_asked {
        let _ = writeln!(
            out,
            "\nNo proof asked whether any schedule meets {}: {why}.",
            date_text(report.due)
        );
    }
    if let Some(c) = &report.certificate {
        let _ = writeln!(
            out,
            "\nProof that no schedule meets {}:",
            date_text(report.due)
        );
        let _ = writeln!(out, "  {}", c.text);
    }
    out
}

fn date_text(d: Option<Date>) -> String {
    d.map_or("the due date".into(), |d| format!("the due date {d}"))
}

fn headline(out: &mut String, r: &ExplainReport) {
    let verb = if r.kind == "milestone" {
        "is reached"
    } else {
        "finishes"
    };
    let name = if r.name.is_empty() || r.name == r.id {
        String::new()
    } else {
        format!(" ({})", r.name)
    };
    let day = if r.uses_calendars {
        "day {} of the schedule's grid of days any calendar works"
    } else {
        "working day {} of the project"
    };
    let _ = write!(
        out,
        "{}{name} {verb} on {}, {} (status date {})",
        r.id,
        r.finish_date,
        day.replace("{}", &r.finish.to_string()),
        r.status_date
    );
    let days = |n: i64| {
        if r.uses_calendars {
            grid_days(n)
        } else {
            working_days(n)
        }
    };
    match (r.due, r.slack) {
        (Some(due), Some(s)) if s < 0 => {
            let _ = write!(out, "; due {due}: {} late", days(-s));
        }
        (Some(due), Some(s)) => {
            let _ = write!(out, "; due {due}: {} to spare", days(s));
        }
        _ => {}
    }
    let _ = writeln!(out, ".\n");
}

/// Why one step is where it is, in a sentence, and on role and task calendars the days it
/// works when they are fewer than the days its span covers.
fn step_because(s: &StepReport, status_day: u32) -> String {
    let why = step_cause(s, status_day);
    let span = s.finish.saturating_sub(s.start);
    if s.calendars.is_empty() || s.work_days == span {
        return why;
    }
    format!(
        "{why}; works {} of its {span} days, the others being days off for {}",
        s.work_days,
        calendar_names(&s.calendars)
    )
}

/// "its calendar (offshore)", "its calendars (project, offshore)".
fn calendar_names(names: &[String]) -> String {
    match names {
        [] => "its calendar".into(),
        [one] => format!("its calendar ({one})"),
        all => format!("its calendars ({})", all.join(", ")),
    }
}

/// Why one step is where it is: finished work is in the past, and work under way began on
/// its actual start, so its driver tells when the rest of it goes on.
fn step_cause(s: &StepReport, status_day: u32) -> String {
    if let TaskDriver::Calendar { deferred, from } = &s.driver {
        if matches!(s.progress, None | Some(Progress::NotStarted)) {
            return format!(
                "{}: it could start on {from}, but {} {} off until {}",
                because(deferred),
                calendar_names(&s.calendars),
                if s.calendars.len() > 1 { "are" } else { "is" },
                s.start_date
            );
        }
    }
    match s.progress {
        Some(Progress::Finished) => finished(s),
        // What binds it is in the past (a finished predecessor): the rest goes on now.
        Some(Progress::UnderWay) if s.start == status_day => match &s.driver {
            TaskDriver::Link {
                predecessor,
                link_type,
                ..
            } => format!(
                "under way since {}; the rest goes on from the status date ({predecessor}'s \
                 {} link allows no earlier)",
                s.start_date,
                link_type.name()
            ),
            _ => format!(
                "under way since {}; the rest goes on from the status date",
                s.start_date
            ),
        },
        Some(Progress::UnderWay) => format!(
            "under way since {}; the rest {}",
            s.start_date,
            rest_because(&s.driver)
        ),
        _ => because(&s.driver),
    }
}

/// A finished step: at the head of a chain nothing earlier moves it; further on, the schedule
/// still counts the link that places it.
fn finished(s: &StepReport) -> String {
    let when = match s.actual_finish {
        Some(d) => format!("finished on {d} (its actual finish)"),
        None => "already done at the status date".to_string(),
    };
    match &s.driver {
        TaskDriver::Link { .. } | TaskDriver::Capacity { .. } | TaskDriver::Calendar { .. } => {
            format!("{when}; placed after: {}", because(&s.driver))
        }
        _ => format!("{when}: the chain goes back no further"),
    }
}

/// When the rest of work under way goes on.
fn rest_because(driver: &TaskDriver) -> String {
    match driver {
        TaskDriver::StatusDate => "goes on from the status date".into(),
        TaskDriver::Constraint { date, .. } => format!("may not go on before {date}"),
        TaskDriver::Capacity {
            role,
            free,
            demand,
            day,
            holders,
            freed_by,
        } => {
            let resumes = match freed_by {
                Some(h) => format!("goes on when {h} finishes and frees them"),
                None => format!("goes on when {role} people join"),
            };
            format!(
                "was paused for {role}: {} of {} free on {day} (held by {}); it {resumes}",
                super::days(*free),
                super::days(*demand),
                holders.join(", ")
            )
        }
        other => format!("goes on once {}", because(other)),
    }
}

/// Why one step starts when it does, in a sentence.
fn because(driver: &TaskDriver) -> String {
    match driver {
        TaskDriver::Link {
            predecessor,
            link_type,
            lag,
        } => {
            let end = if link_type.from_start() {
                "starts"
            } else {
                "finishes"
            };
            let lag = match lag {
                0 => String::new(),
                l if *l > 0 => format!(" + {l} days"),
                l => format!(" - {} days", -l),
            };
            format!("{predecessor} {end}{lag} ({} link)", link_type.name())
        }
        TaskDriver::Constraint { date, .. } => format!("may not start before {date}"),
        TaskDriver::StatusDate => "nothing binds: starts on the status date".into(),
        TaskDriver::Calendar { deferred, from } => format!(
            "{}, then its calendar: off from {from} to its start",
            because(deferred)
        ),
        TaskDriver::Capacity {
            role,
            free,
            demand,
            day,
            holders,
            freed_by,
        } => {
            let freed = match freed_by {
                Some(h) => format!("{h} finishes and frees them"),
                None => format!("{role} people join"),
            };
            format!(
                "waits for {role}: {} of {} free on {day} (held by {}); {freed}",
                super::days(*free),
                super::days(*demand),
                holders.join(", ")
            )
        }
    }
}

fn steps(out: &mut String, r: &ExplainReport) {
    let days = if r.uses_calendars {
        "days = days of the grid each step adds; a task works only its calendars' days"
    } else {
        "days = working days each step adds"
    };
    let _ = writeln!(out, "Why, step by step from the status date ({days}):");
    let _ = writeln!(
        out,
        "  {:>5}  {:<14} {:<28} {:>10} {:>10}  Because",
        "Days", "ID", "Task", "Start", "Finish"
    );
    for s in &r.steps {
        let _ = writeln!(
            out,
            "  {:>5}  {:<14} {:<28} {:>10} {:>10}  {}",
            s.days,
            fit(&s.id, 14),
            fit(&s.name, 28),
            s.start_date.to_string(),
            s.finish_date.to_string(),
            step_because(s, r.status_day)
        );
    }
    let total: i64 = r.steps.iter().map(|s| s.days).sum();
    let (unit, day) = if r.uses_calendars {
        ("days of the grid", "day")
    } else {
        ("working days", "working day")
    };
    let _ = writeln!(
        out,
        "  {total:>5}  {unit} from the status date = {day} {} ({})",
        r.finish, r.finish_date
    );
}

fn movers(out: &mut String, r: &ExplainReport) {
    let _ = writeln!(out, "\nWhat would move it:");
    match r.role_gains.first().filter(|g| g.days > 0) {
        Some(best) => {
            let _ = writeln!(
                out,
                "  - one more {} person from the start: {} {} earlier (the most of any role)",
                best.role,
                best.days,
                if r.uses_calendars {
                    "days of the grid"
                } else {
                    "working days"
                }
            );
        }
        None if !r.role_gains.is_empty() => {
            let _ = writeln!(
                out,
                "  - one more person of any one role does not pull it in"
            );
        }
        None => {}
    }
    let others: Vec<String> = r
        .role_gains
        .iter()
        .skip(1)
        .map(|g| match g.days {
            0 => format!("{} no change", g.role),
            d if d > 0 => format!("{} {d} earlier", g.role),
            d => format!("{} {} later", g.role, -d),
        })
        .collect();
    if !others.is_empty() {
        let _ = writeln!(
            out,
            "    (one more of the other roles, in {}: {})",
            if r.uses_calendars {
                "days of the grid"
            } else {
                "working days"
            },
            others.join(", ")
        );
    }
    tried(out, &r.role_search);
    if let Some(last) = r.steps.last() {
        let _ = writeln!(
            out,
            "  - what binds it directly: {}",
            step_because(last, r.status_day)
        );
    }
    for s in &r.steps {
        if let TaskDriver::Constraint { date, .. } = &s.driver {
            let _ = writeln!(
                out,
                "  - the chain starts at {}'s constraint (not before {date}): moving it moves the chain",
                s.id
            );
        }
    }
}

/// Which roles the gains above tried, and how hard each search looked.
fn tried(out: &mut String, search: &RoleSearchReport) {
    if search.tried.is_empty() {
        let _ = writeln!(out, "  - no role tried: no step of its chain needs people");
        return;
    }
    let limit = search
        .seconds
        .map_or(String::new(), |s| format!(", {s:.1} s for them all"));
    let _ = writeln!(
        out,
        "  - tried one more person of each role its chain needs ({}): each a search of {} \
         schedules starting from this schedule's list{limit}",
        search.tried.join(", "),
        thousands(search.schedules as f64),
    );
    if !search.skipped.is_empty() {
        let _ = writeln!(
            out,
            "  - not tried: {} (no step of its chain needs them)",
            search.skipped.join(", ")
        );
    }
}

/// `n` days of the grid, singular for one.
fn grid_days(n: i64) -> String {
    if n == 1 {
        "1 day of the grid".into()
    } else {
        format!("{n} days of the grid")
    }
}

/// `n` working days, singular for one.
fn working_days(n: i64) -> String {
    if n == 1 {
        "1 working day".into()
    } else {
        format!("{n} working days")
    }
}
