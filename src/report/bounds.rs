//! Capacity-bound results as people and tools read them: certificates in words and JSON,
//! what one more person buys (`feasibility --marginal`), and the cheapest team (`staff`) with
//! the reasons for the dates it cannot meet. Certificates and reasons become words here only.

use super::{fit, Format};
use crate::bounds::certificate::{Certificate, Kind};
use crate::bounds::staff::{BlockReason, RemovalOutcome, Staffing};
use crate::bounds::CapacityBound;
use crate::calendar::WorkCalendar;
use crate::model::{Model, Scenario};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A certificate as the JSON contract spells it.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateReport {
    /// `capacity` (a role's work does not fit a window) or `critical_path` (a chain of tasks
    /// is longer than the time to the due date).
    pub kind: &'static str,
    /// The role whose work does not fit; null for a critical-path certificate.
    pub role: Option<String>,
    /// First date of the window.
    pub window_start: String,
    /// Last date of the window.
    pub window_end: String,
    /// Person-days that must be done in the window (working days for a critical path).
    pub required: f64,
    /// Person-days the role supplies in the window (working days for a critical path).
    pub available: f64,
    /// The work that makes up `required`.
    pub tasks: Vec<CertificateTask>,
    /// The argument in one sentence.
    pub text: String,
}

/// One task's part of a certificate.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateTask {
    /// Task id.
    pub id: String,
    /// Its person-days inside the window (capacity), or its working days (critical path).
    pub person_days: f64,
}

/// A number with thousands separators, to one decimal when it is not whole.
pub fn thousands(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    let whole = r.trunc().abs() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    let sign = if r < 0.0 { "-" } else { "" };
    let frac = (r.abs().fract() * 10.0).round() as u32;
    if frac == 0 {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

fn short_date(d: jiff::civil::Date) -> String {
    d.strftime("%-d %b %Y").to_string()
}

/// The certificate with dates, ids and a sentence.
pub fn certificate(
    model: &Model,
    bound: &CapacityBound,
    cert: &Certificate,
    cal: &mut WorkCalendar,
) -> CertificateReport {
    let start = cal.start_date(f64::from(cert.start));
    let end = cal.finish_date(f64::from(cert.end));
    let tasks = cert
        .tasks
        .iter()
        .map(|&(j, x)| CertificateTask {
            id: bound.ids[j].clone(),
            person_days: super::round(x),
        })
        .collect();
    let text = match cert.kind {
        Kind::Capacity => capacity_words(model, bound, cert, start, end),
        Kind::CriticalPath if bound.on_calendars() => calendar_chain_words(model, bound, cert, cal),
        Kind::CriticalPath => {
            let chain: Vec<&str> = cert
                .tasks
                .iter()
                .map(|&(j, _)| bound.ids[j].as_str())
                .collect();
            format!(
                "the chain {} needs at least {} working days from the start; there are {} working days up to {}",
                chain.join(" → "),
                thousands(cert.required),
                thousands(cert.available),
                short_date(end)
            )
        }
    };
    CertificateReport {
        kind: match cert.kind {
            Kind::Capacity => "capacity",
            Kind::CriticalPath => "critical_path",
        },
        role: cert.role.map(|r| model.roles[r].id.clone()),
        window_start: start.to_string(),
        window_end: end.to_string(),
        required: super::round(cert.required),
        available: super::round(cert.available),
        tasks,
        text,
    }
}

/// The calendars a task works on, in words: its own (`project` for the `[calendar]`), then
/// its roles' own.
fn task_calendars(model: &Model, id: &str) -> String {
    let Some(task) = model.tasks.iter().find(|t| t.id == id) else {
        return "project".to_string();
    };
    let mut names = vec![task
        .calendar
        .as_ref()
        .map_or_else(|| "project".to_string(), |c| c.id.clone())];
    for r in Model::task_roles(task) {
        if let Some(c) = &model.roles[r].calendar {
            if !names.contains(&c.id) {
                names.push(c.id.clone());
            }
        }
    }
    names.join(" and ")
}

/// A chain certificate on role and task calendars: each task counted on its own working days
/// (as the schedule counts it), the chain ends after the due date.
fn calendar_chain_words(
    model: &Model,
    bound: &CapacityBound,
    cert: &Certificate,
    cal: &mut WorkCalendar,
) -> String {
    let chain: Vec<&str> = cert
        .tasks
        .iter()
        .map(|&(j, _)| bound.ids[j].as_str())
        .collect();
    let parts: Vec<String> = cert
        .tasks
        .iter()
        .map(|&(j, d)| {
            let id = &bound.ids[j];
            format!("{id} {} on {}", thousands(d), task_calendars(model, id))
        })
        .collect();
    format!(
        "the chain {}, each task on its own working days ({}), ends on {} at the earliest, after the due date {}",
        chain.join(" → "),
        parts.join(", "),
        short_date(cal.finish_date(cert.required)),
        short_date(cal.finish_date(cert.available))
    )
}

/// On role and task calendars: which days of the window the role's people count, in words.
fn role_days_words(model: &Model, bound: &CapacityBound, cert: &Certificate, r: usize) -> String {
    let worked = bound.role_days(r, cert.start, cert.end);
    let grid = cert.end.saturating_sub(cert.start);
    let whose = match &model.roles[r].calendar {
        Some(c) => format!("its calendar {} and its tasks' calendars", c.id),
        None => "its tasks' calendars".to_string(),
    };
    format!(
        " (counted on the {worked} of the window's {grid} days on which {} can work: {whose}; each task's work on its own working days)",
        model.roles[r].id
    )
}

fn capacity_words(
    model: &Model,
    bound: &CapacityBound,
    cert: &Certificate,
    start: jiff::civil::Date,
    end: jiff::civil::Date,
) -> String {
    let r = cert.role.unwrap_or(0);
    let role = &model.roles[r].id;
    // On calendars the days the role cannot work supply nothing; people are counted on the
    // others.
    let days: Vec<f64> = (cert.start..cert.end)
        .filter(|&d| bound.role_works(r, d))
        .filter_map(|d| bound.capacity[r].get(d as usize).copied())
        .collect();
    let constant = days.windows(2).all(|w| w[0] == w[1]);
    let who = match days.first() {
        Some(&n) if constant && n.fract() == 0.0 => {
            let n = n as u64;
            format!(
                "{n} {role} {}",
                if n == 1 {
                    "person supplies"
                } else {
                    "people supply"
                }
            )
        }
        // Part-timers make a fractional head count: "4.6 backend people".
        Some(&n) if constant => format!("{} {role} people supply", super::round(n)),
        _ => format!("the {role} team, with its hires, leaves, part-timers and absences, supplies"),
    };
    let when = if cert.start == 0 {
        format!(
            "by {}, the {role} work that must be finished",
            short_date(end)
        )
    } else {
        format!(
            "between {} and {}, the {role} work that must be done",
            short_date(start),
            short_date(end)
        )
    };
    let counted = if bound.on_calendars() {
        role_days_words(model, bound, cert, r)
    } else {
        String::new()
    };
    format!(
        "{when} is at least {} person-days; {who} at most {}{counted}",
        thousands(cert.required),
        thousands(cert.available)
    )
}

/// What one more person of a role buys, per milestone.
#[derive(Debug, Clone, Serialize)]
pub struct Marginal {
    /// Role id.
    pub role: String,
    /// One row per milestone.
    pub milestones: Vec<MarginalMilestone>,
}

/// Working days a milestone moves with one more person.
#[derive(Debug, Clone, Serialize)]
pub struct MarginalMilestone {
    /// Milestone id.
    pub id: String,
    /// Working days earlier the bound date becomes (null when the bound is unavailable).
    pub bound_days_gained: Option<i64>,
    /// Working days earlier the best schedule found reaches it.
    pub schedule_days_gained: i64,
}

/// Renders the `--marginal` table.
pub fn marginal_table(out: &mut String, rows: &[Marginal]) {
    let _ = writeln!(
        out,
        "One more person from the start: working days gained (bound / schedule)"
    );
    let Some(first) = rows.first() else { return };
    let _ = write!(out, "  {:<10}", "Role");
    for m in &first.milestones {
        let _ = write!(out, " {:>12}", fit(&m.id, 12));
    }
    let _ = writeln!(out);
    for row in rows {
        let _ = write!(out, "  {:<10}", fit(&row.role, 10));
        for m in &row.milestones {
            let b = m.bound_days_gained.map_or("-".into(), |d| d.to_string());
            let _ = write!(out, " {:>12}", format!("{b} / {}", m.schedule_days_gained));
        }
        let _ = writeln!(out);
    }
}

/// `plan staff`'s result.
#[derive(Debug, Clone, Serialize)]
pub struct StaffReport {
    /// Project name.
    pub project: String,
    /// Scenario the hires, leaves, part-timers, absences and costs come from.
    pub scenario: String,
    /// Headcount per role of the team found.
    pub team: BTreeMap<String, u32>,
    /// Its cost over the working days to the last due date (null without costs).
    pub cost: Option<f64>,
    /// The capacity bound's minimum headcount per role: no smaller team meets every date.
    pub lower_bound_team: BTreeMap<String, u32>,
    /// People who join later (`--hires`), by role and first day.
    pub hires: Vec<HireRow>,
    /// The scenario's part-timers, kept on top of the team found (`plan staff` adds only
    /// full-time people).
    pub part_time: Vec<PartTimeRow>,
    /// Person-days to the last due date, each person from the day they join.
    pub person_days: f64,
    /// The capacity bound's least cost for plans of the kind searched (null without costs).
    pub lower_bound_cost: Option<f64>,
    /// Without costs: the capacity bound's least person-days for plans of the kind searched.
    pub lower_bound_person_days: Option<f64>,
    /// `--confidence`: the chance each reachable milestone had to reach in simulation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// People above the lower bound.
    pub above_lower_bound: u32,
    /// Whether the team's schedule meets every due date.
    pub all_met: bool,
    /// Each milestone in the team's checked schedule.
    pub milestones: Vec<StaffMilestone>,
    /// Milestones that cannot be met within the caps, and why.
    pub blocked: Vec<Blocked>,
    /// Schedules generated over all rounds.
    pub schedules: u64,
    /// No team with fewer people from the start meets the dates chased (proven: see
    /// `headcount_proof`).
    pub proven_min_people: u32,
    /// People in the team found above `proven_min_people` (0: the team is proven smallest).
    pub gap: u32,
    /// Why no smaller team can meet the dates, in words.
    pub headcount_proof: String,
    /// Whole teams of `proven_min_people − 1` people the proof checked and refuted.
    pub teams_refuted: usize,
    /// When milestones are out of reach: a larger team from the start that brings them closer
    /// to their dependency-only dates and still meets every reachable date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_team: Option<LateTeamReport>,
    /// Each role's removal from the team found (one person fewer) and why it was not taken.
    pub removals: Vec<RemovalRow>,
    /// Why the capacity bound was not asked (a model with role or task calendars): then no
    /// lower bound, proof or certificate is given (`lower_bound_team` is empty,
    /// `proven_min_people` 0) and the team is the cheapest found, not proven smallest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound_not_asked: Option<String>,
}

/// One person fewer of a role in the team found, and why that team was not taken.
#[derive(Debug, Clone, Serialize)]
pub struct RemovalRow {
    /// Role id.
    pub role: String,
    /// `at_minimum` (the role's proven minimum), `refuted` (proven impossible) or `missed`
    /// (its best checked schedule misses a reachable date).
    pub outcome: String,
    /// Why, in words.
    pub reason: String,
    /// `missed`: the first milestone missed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub milestone: Option<String>,
    /// `missed`: working days late.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_days: Option<u32>,
    /// `missed`: schedules searched for the smaller team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedules: Option<u64>,
}

/// A team that brings the milestones out of reach closer.
#[derive(Debug, Clone, Serialize)]
pub struct LateTeamReport {
    /// Headcount per role from the start.
    pub team: BTreeMap<String, u32>,
    /// People in all.
    pub people: u32,
    /// Each milestone out of reach in its checked schedule.
    pub milestones: Vec<StaffMilestone>,
}

/// A milestone in the staffed schedule.
#[derive(Debug, Clone, Serialize)]
pub struct StaffMilestone {
    /// Milestone id.
    pub id: String,
    /// Due date.
    pub due: Option<String>,
    /// Date the schedule reaches it.
    pub finish_date: String,
    /// Working days to spare (negative: late).
    pub slack: Option<i64>,
    /// `--confidence`: share of simulated runs meeting the due date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability_on_time: Option<f64>,
    /// For a milestone no team meets: the earliest date any team could reach it (dependencies
    /// only, every task at its fastest crew).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependency_only_date: Option<String>,
    /// For a milestone no team meets: working days the schedule reaches it after its
    /// dependency-only date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_dependency_only: Option<i64>,
}

/// People of a role joining on a date.
#[derive(Debug, Clone, Serialize)]
pub struct HireRow {
    /// Role id.
    pub role: String,
    /// How many.
    pub count: u32,
    /// First day of the month they join.
    pub start: String,
}

/// Part-time people of the scenario, by role.
#[derive(Debug, Clone, Serialize)]
pub struct PartTimeRow {
    /// Role id.
    pub role: String,
    /// How many.
    pub count: u32,
    /// Share of a full working day each works.
    pub availability: f64,
}

/// A milestone the caps (or any team) cannot meet.
#[derive(Debug, Clone, Serialize)]
pub struct Blocked {
    /// Milestone id, when one milestone is to blame.
    pub id: Option<String>,
    /// Why.
    pub reason: String,
}

/// Renders `plan staff`.
pub fn render_staff(rep: &StaffReport, format: Format) -> String {
    if format == Format::Json {
        return serde_json::to_string_pretty(rep).expect("serializable") + "\n";
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · hires, leaves, part-timers, absences and costs from {}",
        rep.project, rep.scenario
    );
    let headline = if rep.all_met {
        "Cheapest team found that meets every due date"
    } else if !rep.blocked.is_empty() {
        "Not every due date can be met (see below); cheapest team found for the others"
    } else {
        "No team found that meets every due date"
    };
    let _ = writeln!(out, "{headline}:");
    let _ = writeln!(out, "  {:<10} {:>6} {:>12}", "Role", "Team", "Lower bound");
    for (role, n) in &rep.team {
        let lb = rep
            .lower_bound_team
            .get(role)
            .map_or("-".to_string(), u32::to_string);
        let _ = writeln!(out, "  {:<10} {:>6} {:>12}", fit(role, 10), n, lb);
    }
    let total: u32 = rep.team.values().sum();
    let hired: u32 = rep.hires.iter().map(|h| h.count).sum();
    let later = if hired > 0 {
        format!(" and {hired} hired later")
    } else {
        String::new()
    };
    let cost = rep.cost.map_or(String::new(), |c| {
        format!("; cost {} to the last due date", thousands(c))
    });
    if let Some(why) = &rep.bound_not_asked {
        let _ = writeln!(out, "  {total} people from the start{later}{cost}");
        let _ = writeln!(
            out,
            "  Capacity bound not asked: {why}; no lower bound, proof or certificate, the team is the cheapest found"
        );
    } else {
        let _ = writeln!(
            out,
            "  {} people from the start{later}, {} above the capacity bound's minimum{cost}",
            total, rep.above_lower_bound,
        );
        let _ = writeln!(
            out,
            "  proven minimum: {} people, gap {}: {}",
            rep.proven_min_people, rep.gap, rep.headcount_proof
        );
    }
    hires_lines(&mut out, rep);
    let _ = writeln!(out);
    let chance = rep.confidence.is_some();
    let _ = writeln!(
        out,
        "  {:<12} {:>10} {:>10} {:>6}{}",
        "Milestone",
        "Due",
        "Scheduled",
        "Slack",
        if chance { "  P(on time)" } else { "" }
    );
    for m in &rep.milestones {
        let p = m
            .probability_on_time
            .map_or(String::new(), |p| format!(" {:>11.2}", p));
        let _ = writeln!(
            out,
            "  {:<12} {:>10} {:>10} {:>6}{p}",
            fit(&m.id, 12),
            m.due.as_deref().unwrap_or("-"),
            m.finish_date,
            m.slack.map_or("-".into(), |s| s.to_string())
        );
    }
    for b in &rep.blocked {
        let _ = writeln!(
            out,
            "\n  cannot be met{}: {}",
            b.id.as_deref()
                .map_or(String::new(), |id| format!(" ({id})")),
            b.reason
        );
        let how_close = rep.milestones.iter().find(|m| Some(&m.id) == b.id.as_ref());
        if let Some(m) = how_close {
            if let (Some(d), Some(n)) = (&m.dependency_only_date, m.after_dependency_only) {
                let _ = writeln!(
                    out,
                    "  {} cannot be met; earliest with this team {}, {n} working days after its dependency-only date {d}",
                    m.id, m.finish_date
                );
            }
        }
    }
    if let Some(t) = &rep.late_team {
        late_team_lines(&mut out, t);
    }
    if !rep.removals.is_empty() {
        let _ = writeln!(out, "\n  One person fewer:");
        for r in &rep.removals {
            let _ = writeln!(out, "  {:<10} {}", fit(&r.role, 10), r.reason);
        }
    }
    out
}

/// The larger team that brings the milestones out of reach closer, and how close.
fn late_team_lines(out: &mut String, t: &LateTeamReport) {
    let team: Vec<String> = t.team.iter().map(|(r, n)| format!("{r} {n}")).collect();
    let _ = writeln!(
        out,
        "\n  Closer, still meeting every reachable date: {} ({} people)",
        team.join(", "),
        t.people
    );
    for m in &t.milestones {
        let _ = writeln!(
            out,
            "  {} {}, {} working days after its dependency-only date {}",
            m.id,
            m.finish_date,
            m.after_dependency_only.unwrap_or(0),
            m.dependency_only_date.as_deref().unwrap_or("-")
        );
    }
}

/// The hires under the team, and person-days against the bound's least.
fn hires_lines(out: &mut String, rep: &StaffReport) {
    for h in &rep.hires {
        let _ = writeln!(out, "  + {} {} joining {}", h.count, h.role, h.start);
    }
    for p in &rep.part_time {
        let _ = writeln!(
            out,
            "  + {} {} at {} availability, part-time from the scenario",
            p.count, p.role, p.availability
        );
    }
    let floor = rep
        .lower_bound_cost
        .map(|c| format!("cost at least {}", thousands(c)))
        .or(rep
            .lower_bound_person_days
            .map(|d| format!("at least {} person-days", thousands(d))));
    let _ = writeln!(
        out,
        "  {} person-days to the last due date{}",
        thousands(rep.person_days),
        floor.map_or(String::new(), |f| format!(" (capacity bound: {f})"))
    );
    if let Some(p) = rep.confidence {
        let _ = writeln!(
            out,
            "  every reachable milestone asked to be met with probability {p} in simulation"
        );
    }
}

/// `plan staff`'s result as rows: ids for indices, dates for working days, reasons in words.
pub fn staff(
    model: &Model,
    scenario: &Scenario,
    s: &Staffing,
    confidence: Option<f64>,
) -> StaffReport {
    let named = |v: &[u32]| -> BTreeMap<String, u32> {
        model
            .roles
            .iter()
            .zip(v)
            .map(|(r, &n)| (r.id.clone(), n))
            .collect()
    };
    let mut cal = model.work_calendar();
    let finishes = s.problem.milestone_finishes(&s.schedule);
    let milestones: Vec<StaffMilestone> = model
        .milestones
        .iter()
        .enumerate()
        .map(|(m, ms)| StaffMilestone {
            id: ms.id.clone(),
            due: ms.due.map(|d| d.to_string()),
            finish_date: cal.finish_date(f64::from(finishes[m])).to_string(),
            slack: s.problem.deadlines[m].map(|d| i64::from(d) - i64::from(finishes[m])),
            probability_on_time: s.on_time.as_ref().and_then(|p| p[m]),
            dependency_only_date: dependency_only(s, m)
                .map(|d| cal.finish_date(f64::from(d)).to_string()),
            after_dependency_only: dependency_only(s, m)
                .map(|d| i64::from(finishes[m]) - i64::from(d)),
        })
        .collect();
    let hires = s
        .hires
        .iter()
        .map(|h| HireRow {
            role: model.roles[h.role].id.clone(),
            count: h.count,
            start: h.start.to_string(),
        })
        .collect();
    let part_time = scenario
        .part_time
        .iter()
        .map(|p| PartTimeRow {
            role: model.roles[p.role].id.clone(),
            count: p.count,
            availability: p.availability,
        })
        .collect();
    let above = s
        .team
        .iter()
        .zip(&s.lower_bound)
        .map(|(&t, &l)| t.saturating_sub(l))
        .sum();
    StaffReport {
        project: model.project.name.clone(),
        scenario: scenario.name.clone(),
        team: named(&s.team),
        cost: s.cost,
        lower_bound_team: named(&s.lower_bound),
        hires,
        part_time,
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
            .map(|(m, why)| Blocked {
                id: m.map(|m| model.milestones[m].id.clone()),
                reason: block_reason(model, why),
            })
            .collect(),
        schedules: s.schedules,
        proven_min_people: s.headcount.proven_min,
        gap: s
            .team
            .iter()
            .sum::<u32>()
            .saturating_sub(s.headcount.proven_min),
        headcount_proof: headcount_proof(model, s),
        teams_refuted: s.headcount.refuted.len(),
        removals: s
            .removals
            .iter()
            .map(|r| removal_row(model, r, s.bound_not_asked.is_some()))
            .collect(),
        bound_not_asked: s.bound_not_asked.clone(),
        late_team: s.late_team.as_ref().map(|t| LateTeamReport {
            team: named(&t.team),
            people: t.team.iter().sum(),
            milestones: milestone_rows(model, s, &t.problem, &t.schedule)
                .into_iter()
                .filter(|m| m.dependency_only_date.is_some())
                .collect(),
        }),
    }
}

/// Each milestone of `schedule` as a row, measured against the due dates and, for those no
/// team meets, their dependency-only dates.
fn milestone_rows(
    model: &Model,
    s: &Staffing,
    problem: &crate::program::ProgramProblem,
    schedule: &crate::schedule::Schedule,
) -> Vec<StaffMilestone> {
    let mut cal = model.work_calendar();
    let finishes = problem.milestone_finishes(schedule);
    model
        .milestones
        .iter()
        .enumerate()
        .map(|(m, ms)| StaffMilestone {
            id: ms.id.clone(),
            due: ms.due.map(|d| d.to_string()),
            finish_date: cal.finish_date(f64::from(finishes[m])).to_string(),
            slack: problem.deadlines[m].map(|d| i64::from(d) - i64::from(finishes[m])),
            probability_on_time: None,
            dependency_only_date: dependency_only(s, m)
                .map(|d| cal.finish_date(f64::from(d)).to_string()),
            after_dependency_only: dependency_only(s, m)
                .map(|d| i64::from(finishes[m]) - i64::from(d)),
        })
        .collect()
}

/// The dependency-only working day of milestone `m`, when no team meets it.
fn dependency_only(s: &Staffing, m: usize) -> Option<u32> {
    s.dependency_only.iter().find(|u| u.0 == m).map(|u| u.1)
}

/// Why no team under the proven minimum meets the dates: the per-role minimums, then every
/// team one person short that has them, each refuted.
fn headcount_proof(model: &Model, s: &Staffing) -> String {
    if let Some(why) = &s.bound_not_asked {
        return format!("not asked: {why}");
    }
    let h = &s.headcount;
    let role = |r: usize| model.roles[r].id.as_str();
    let mut text = format!(
        "no team under {} people from the start can meet the dates chased",
        h.proven_min
    );
    let per_role: Vec<String> = s
        .role_proofs
        .iter()
        .enumerate()
        .filter_map(|(r, p)| {
            let p = p.as_ref()?;
            let mut cal = model.work_calendar();
            let words = certificate(model, &p.bound, &p.certificate, &mut cal).text;
            Some(format!(
                "{} needs {} ({words})",
                role(r),
                h.per_role.get(r).copied().unwrap_or(0)
            ))
        })
        .collect();
    if !per_role.is_empty() {
        let _ = write!(text, "; per role: {}", per_role.join("; "));
    }
    if h.refuted.is_empty() {
        text.push_str(
            "; the team of every role's minimum is the smallest, and the relaxation does not rule it out",
        );
        return text;
    }
    let team_words = |t: &[u32]| {
        t.iter()
            .enumerate()
            .map(|(r, n)| format!("{} {n}", role(r)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    for (_, why) in &h.refuted {
        *by_reason.entry(refutation_words(model, why)).or_default() += 1;
    }
    let reasons: Vec<String> = by_reason
        .iter()
        .map(|(why, n)| format!("{n} by {why}"))
        .collect();
    let _ = write!(
        text,
        ": with fewer of a role than its minimum a role's own work does not fit, and each of the {} teams of {} people that has every minimum fails the relaxation with its windows tightened ({}; e.g. {})",
        h.refuted.len(),
        h.proven_min.saturating_sub(1),
        reasons.join(", "),
        team_words(&h.refuted[0].0)
    );
    if h.truncated {
        text.push_str(
            "; the check stopped at its limit of teams, so the true minimum may be higher",
        );
    }
    text
}

/// One removal from the team found, in words.
fn removal_row(
    model: &Model,
    r: &crate::bounds::staff::Removal,
    bound_not_asked: bool,
) -> RemovalRow {
    let role = model.roles[r.role].id.clone();
    let mut row = RemovalRow {
        role,
        outcome: String::new(),
        reason: String::new(),
        milestone: None,
        late_days: None,
        schedules: None,
    };
    match &r.outcome {
        RemovalOutcome::AtMinimum => {
            row.outcome = "at_minimum".into();
            row.reason = if bound_not_asked {
                "at the fewest people a task of the role needs at once".into()
            } else {
                "at the role's proven minimum".into()
            };
        }
        RemovalOutcome::Refuted(why) => {
            row.outcome = "refuted".into();
            row.reason = format!("proven impossible by {}", refutation_words(model, why));
        }
        RemovalOutcome::Missed {
            milestone,
            late,
            schedules,
        } => {
            let id = model.milestones[*milestone].id.clone();
            row.outcome = "missed".into();
            row.reason = format!(
                "not proven impossible; its best schedule ({} schedules from this team's) misses {id} by {late} working days",
                thousands(*schedules as f64)
            );
            row.milestone = Some(id);
            row.late_days = Some(*late);
            row.schedules = Some(*schedules);
        }
    }
    row
}

/// The kind of argument a team check's refutation makes, in a few words.
fn refutation_words(model: &Model, why: &crate::bounds::team::Refutation) -> String {
    use crate::bounds::team::Refutation;
    match why {
        Refutation::WindowClosed { .. } => "a task's window closing".to_string(),
        Refutation::Energy(c) => format!(
            "an overloaded {} window",
            c.role.map_or("", |r| model.roles[r].id.as_str())
        ),
        Refutation::FixedCrew(o) => format!(
            "an overloaded {} window with fixed crews",
            model.roles[o.role].id
        ),
        Refutation::Lp { role } => format!("the {} LP", model.roles[*role].id),
        Refutation::TimeIndexed { role } => format!(
            "the {} day-by-day relaxation (each task started once, in one crew, after its predecessors)",
            model.roles[*role].id
        ),
        Refutation::Unstaffable => "a task it cannot staff".to_string(),
        Refutation::Shaved(inner) => format!(
            "{} once each task's early starts and late finishes that cannot work are ruled out",
            refutation_words(model, inner)
        ),
    }
}

/// Why a milestone is not met, in one sentence.
pub fn block_reason(model: &Model, reason: &BlockReason) -> String {
    let role = |r: &usize| &model.roles[*r].id;
    match reason {
        BlockReason::MissedWithoutLimit => "the best schedule found with no limit on people misses it (calendar model: not proven impossible, the capacity bound is not asked)".to_string(),
        BlockReason::ChainTooLong => "no team of any size meets it: its chain of dependent tasks is longer than the time to its due date".to_string(),
        BlockReason::AboveCap {
            role: r,
            needed,
            cap,
            proof,
        } => {
            let mut why = format!(
                "the capacity bound needs at least {needed} {} people for this date, above the cap of {cap}",
                role(r)
            );
            if let Some(p) = proof {
                let mut cal = model.work_calendar();
                let text = certificate(model, &p.bound, &p.certificate, &mut cal).text;
                why.push_str(&format!(" ({text})"));
            }
            why
        }
        BlockReason::BusiestRoleAtLimit { role: r, people } => format!(
            "the best schedule found misses it with its busiest role, {}, at {people} people",
            role(r)
        ),
        BlockReason::UnlikelyWithAnyTeam {
            probability,
            target,
        } => format!(
            "even with no limit on people (precedence only) the simulation meets it with probability {probability:.2}, below {target}"
        ),
        BlockReason::UnlikelyAtCaps {
            probability,
            target,
        } => format!(
            "met with probability {probability:.2} in simulation, below {target}, and every role that is busy before it is at its cap"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn numbers_read_with_thousands_separators() {
        assert_eq!(thousands(1240.0), "1,240");
        assert_eq!(thousands(1050.04), "1,050");
        assert_eq!(thousands(12.5), "12.5");
        assert_eq!(thousands(1234567.0), "1,234,567");
        assert_eq!(thousands(0.0), "0");
    }
}
