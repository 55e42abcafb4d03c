//! The model's types: what a validated model file says, with the line each part came from.

use super::hours::WorkingHours;
use crate::calendar::Calendar;
pub use crate::graph::LinkType;
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// The help of an error about a model or scenario file that cannot be read. A caller that
/// knows where the path came from (a command-line flag) may replace it with something sharper.
pub const UNREADABLE_HELP: &str = "check that the file exists and can be read";

/// A 1-based line and column in the model file.
pub type Location = Option<(usize, usize)>;

/// A validated model.
#[derive(Debug, Clone)]
pub struct Model {
    /// The file it was read from.
    pub file: PathBuf,
    /// Name and status date.
    pub project: Project,
    /// Working days and holidays: the project's default calendar (`[calendar]`).
    pub calendar: Calendar,
    /// The project calendar's working hours (`[calendar] hours`), when the file gives them.
    pub hours: Option<WorkingHours>,
    /// Named calendars (`[calendars.<id>]`), in file order, for roles and tasks that name one.
    pub calendars: Vec<NamedCalendar>,
    /// Pools of interchangeable people, in file order.
    pub roles: Vec<Role>,
    /// Groupings of tasks.
    pub phases: Vec<Phase>,
    /// The work.
    pub tasks: Vec<Task>,
    /// Dated checkpoints.
    pub milestones: Vec<Milestone>,
    /// Risk events that delay tasks.
    pub risks: Vec<Risk>,
}

/// `[project]`.
#[derive(Debug, Clone)]
pub struct Project {
    /// Display name.
    pub name: String,
    /// The project start: day 0 of every schedule.
    pub start: Date,
    /// The status date (`status_date`, default `start`): work before it is the past, nothing
    /// unfinished is scheduled before it.
    pub status_date: Date,
    /// Where `status_date` is written, if it is.
    pub status_location: Location,
}

/// `[roles.<id>]`.
#[derive(Debug, Clone)]
pub struct Role {
    /// The key under `[roles]`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Cost per person-day, if known.
    pub cost: Option<f64>,
    /// The role's own calendar (`calendar = "offshore"`), if it names one: its people work
    /// only on that calendar's working days.
    pub calendar: Option<CalendarRef>,
}

/// `[calendars.<id>]`: a calendar that roles and tasks may name.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedCalendar {
    /// The key under `[calendars]`.
    pub id: String,
    /// Its working weekdays, holidays and extra working days.
    pub calendar: Calendar,
    /// Its working hours (`hours`), when the file gives them.
    pub hours: Option<WorkingHours>,
    /// Where its table starts.
    pub location: Location,
}

/// A calendar named by a role or task (`calendar = "7x24"`), with where the key is written.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarRef {
    /// The id of a `[calendars.<id>]` table.
    pub id: String,
    /// Where the key is written.
    pub location: Location,
}

/// `[[phase]]`.
#[derive(Debug, Clone)]
pub struct Phase {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Reported progress at the status date, 0..=1.
    pub progress: Option<f64>,
    /// Reported status, free text.
    pub status: Option<String>,
}

/// A three-point estimate in working days (or person-days); a fixed value has o = m = p.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Optimistic.
    pub optimistic: f64,
    /// Most likely.
    pub likely: f64,
    /// Pessimistic.
    pub pessimistic: f64,
}

/// Which value of a three-point estimate deterministic commands use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EstimateChoice {
    /// The optimistic value.
    Optimistic,
    /// The most likely value (the default).
    #[default]
    Likely,
    /// The pessimistic value.
    Pessimistic,
    /// The PERT mean, (o + 4m + p) / 6.
    Mean,
}

impl Estimate {
    /// A value known exactly.
    pub fn fixed(v: f64) -> Self {
        Estimate {
            optimistic: v,
            likely: v,
            pessimistic: v,
        }
    }

    /// The value a deterministic pass uses.
    pub fn pick(&self, choice: EstimateChoice) -> f64 {
        match choice {
            EstimateChoice::Optimistic => self.optimistic,
            EstimateChoice::Likely => self.likely,
            EstimateChoice::Pessimistic => self.pessimistic,
            EstimateChoice::Mean => (self.optimistic + 4.0 * self.likely + self.pessimistic) / 6.0,
        }
    }

    /// True when the three points differ, so the value is uncertain.
    pub fn is_uncertain(&self) -> bool {
        self.optimistic != self.pessimistic
    }
}

/// A dependency on a task or milestone: a link of some type with a lag.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    /// The predecessor's id.
    pub id: String,
    /// Which ends the link ties (`type` in the file; finish-to-start by default).
    pub kind: LinkType,
    /// Working days from the predecessor's end to this task's end that the type names;
    /// negative is a lead, fractions are allowed.
    pub lag: f64,
    /// The lag as a percentage of the predecessor's duration (`lag_percent = 50`), when it is
    /// given so: `lag` then holds that share of the predecessor's most likely duration, in
    /// working days, so it follows the predecessor's estimate whenever the model is read.
    pub lag_percent: Option<f64>,
    /// Where the dependency is written.
    pub location: Location,
}

/// The six date constraints of MS Project, by the model key that sets each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstraintKind {
    /// `start_no_earlier`: the start is on or after the date.
    StartNoEarlier,
    /// `start_no_later`: the start is on or before the date.
    StartNoLater,
    /// `finish_no_earlier`: the finish is on or after the date.
    FinishNoEarlier,
    /// `finish_no_later`: the finish is on or before the date.
    FinishNoLater,
    /// `must_start_on`: the start is on the date.
    MustStartOn,
    /// `must_finish_on`: the finish is on the date.
    MustFinishOn,
}

impl ConstraintKind {
    /// Every kind with its model key, in the order the documentation lists them.
    pub const ALL: [ConstraintKind; 6] = [
        ConstraintKind::StartNoEarlier,
        ConstraintKind::StartNoLater,
        ConstraintKind::FinishNoEarlier,
        ConstraintKind::FinishNoLater,
        ConstraintKind::MustStartOn,
        ConstraintKind::MustFinishOn,
    ];

    /// The model key (`start_no_earlier`, ...), also the name JSON output uses.
    pub fn key(self) -> &'static str {
        match self {
            ConstraintKind::StartNoEarlier => "start_no_earlier",
            ConstraintKind::StartNoLater => "start_no_later",
            ConstraintKind::FinishNoEarlier => "finish_no_earlier",
            ConstraintKind::FinishNoLater => "finish_no_later",
            ConstraintKind::MustStartOn => "must_start_on",
            ConstraintKind::MustFinishOn => "must_finish_on",
        }
    }

    /// True when the date is about the start (false: about the finish).
    pub fn on_start(self) -> bool {
        matches!(
            self,
            ConstraintKind::StartNoEarlier
                | ConstraintKind::StartNoLater
                | ConstraintKind::MustStartOn
        )
    }

    /// True when the constraint holds the work back (it may not be earlier than the date).
    pub fn bounds_early(self) -> bool {
        !matches!(
            self,
            ConstraintKind::StartNoLater | ConstraintKind::FinishNoLater
        )
    }

    /// True when the constraint caps the work (it may not be later than the date). These are
    /// DCMA's "hard constraints": with MS Project's default they override the logic.
    pub fn bounds_late(self) -> bool {
        !matches!(
            self,
            ConstraintKind::StartNoEarlier | ConstraintKind::FinishNoEarlier
        )
    }
}

/// A date constraint on a task or milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct DateConstraint {
    /// Which one.
    pub kind: ConstraintKind,
    /// Its date.
    pub date: Date,
    /// Where the key is written.
    pub location: Location,
}

/// A date given under some key (a deadline, an actual start or finish), with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Dated {
    /// The date.
    pub date: Date,
    /// Where the key is written.
    pub location: Location,
}

/// A deadline: a date the work should finish by, which never moves it.
pub type Deadline = Dated;

/// How much work a task is.
#[derive(Debug, Clone, PartialEq)]
pub enum Work {
    /// A duration, with people of each role busy for all of it.
    Fixed {
        /// Working days.
        duration: Estimate,
        /// People per role (role index, count).
        demand: Vec<(usize, u32)>,
    },
    /// Person-days per role; the duration follows from the crew.
    Effort(Vec<RoleEffort>),
}

/// The effort of one role on an effort-driven task.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleEffort {
    /// Role index.
    pub role: usize,
    /// Person-days.
    pub effort: Estimate,
    /// Fewest and most people of the role on the task at once.
    pub crew: (u32, u32),
}

/// `[[task]]`.
#[derive(Debug, Clone)]
pub struct Task {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Phase id, if any.
    pub phase: Option<String>,
    /// Predecessors.
    pub after: Vec<Dependency>,
    /// Duration or effort.
    pub work: Work,
    /// Fraction complete at the status date.
    pub done: f64,
    /// The date constraint, if any (at most one per task, as in MS Project).
    pub constraint: Option<DateConstraint>,
    /// A target finish that never moves the task but shows its lateness.
    pub deadline: Option<Deadline>,
    /// The day work began (`actual_start`), if it has.
    pub actual_start: Option<Dated>,
    /// The day work ended (`actual_finish`), if it has: the task is then done.
    pub actual_finish: Option<Dated>,
    /// Working days (person-days for effort-driven work) left at the status date, as the file
    /// gives them (`remaining`); the work is already scaled to it.
    pub remaining: Option<f64>,
    /// The component this task belongs to, free text.
    pub component: Option<String>,
    /// The component's stage, free text.
    pub stage: Option<String>,
    /// Reported status, free text.
    pub status: Option<String>,
    /// Where the task's table starts.
    pub location: Location,
    /// Person-days spent on the task up to the status date (`actual_effort`), if reported.
    pub actual_effort: Option<f64>,
    /// The task's own calendar (`calendar = "7x24"`), if it names one; else the project's.
    pub calendar: Option<CalendarRef>,
}

impl Task {
    /// Remaining duration in working days with unlimited people: a fixed task's remaining
    /// duration, or for an effort-driven task its remaining effort over its largest crew
    /// (the slowest role sets the pace).
    pub fn remaining_duration(&self, choice: EstimateChoice) -> f64 {
        let left = 1.0 - self.done;
        match &self.work {
            Work::Fixed { duration, .. } => duration.pick(choice) * left,
            Work::Effort(efforts) => efforts
                .iter()
                .map(|e| e.effort.pick(choice) * left / f64::from(e.crew.1.max(1)))
                .fold(0.0, f64::max),
        }
    }
}

/// `[[milestone]]`.
#[derive(Debug, Clone)]
pub struct Milestone {
    /// Unique id (shared namespace with tasks).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The promised date.
    pub due: Option<Date>,
    /// What must be finished first.
    pub after: Vec<Dependency>,
    /// The date constraint, if any (at most one, as for a task).
    pub constraint: Option<DateConstraint>,
    /// A target date that never moves the milestone but shows its lateness.
    pub deadline: Option<Deadline>,
    /// Where the milestone's table starts.
    pub location: Location,
}

/// `[[risk]]`.
#[derive(Debug, Clone)]
pub struct Risk {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Chance it happens in one run, 0..=1.
    pub probability: f64,
    /// Working days added to each of its tasks when it happens.
    pub delay: Estimate,
    /// Ids of the tasks it delays.
    pub tasks: Vec<String>,
    /// Impact, owner, mitigation and status as the source states them.
    pub impact: Option<String>,
    /// Who owns the risk.
    pub owner: Option<String>,
    /// How it is being mitigated.
    pub mitigation: Option<String>,
    /// Reported status.
    pub status: Option<String>,
    /// Where the risk's table starts.
    pub location: Location,
}

impl Model {
    /// Index of the role with this id.
    pub fn role_index(&self, id: &str) -> Option<usize> {
        self.roles.iter().position(|r| r.id == id)
    }

    /// The model's file name as errors show it.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The calendar a reference names (the project's default when it names none or an
    /// unknown one, which validation refuses).
    pub fn calendar_named(&self, named: Option<&CalendarRef>) -> &Calendar {
        named
            .and_then(|r| self.calendars.iter().find(|c| c.id == r.id))
            .map_or(&self.calendar, |c| &c.calendar)
    }

    /// The working hours of the calendar a reference names (the project's when it names
    /// none): its own `hours`, else the project's, else 08:00-12:00 and 13:00-17:00.
    pub fn hours_named(&self, named: Option<&CalendarRef>) -> WorkingHours {
        named
            .and_then(|r| self.calendars.iter().find(|c| c.id == r.id))
            .and_then(|c| c.hours.clone())
            .or_else(|| self.hours.clone())
            .unwrap_or_default()
    }

    /// True when some role or task names a calendar of its own, so working days differ
    /// between tasks; without it every stage runs on the project calendar alone.
    pub fn uses_calendars(&self) -> bool {
        self.roles.iter().any(|r| r.calendar.is_some())
            || self.tasks.iter().any(|t| t.calendar.is_some())
    }

    /// The days a task works: its own calendar's (or the project's) that are working days of
    /// every role it demands too.
    pub fn task_work_days(&self, task: &Task) -> Calendar {
        Calendar::intersection(&self.task_calendars(task))
    }

    /// The calendar of the schedule's grid: the days anyone works. Without role and task
    /// calendars this is the project calendar, so day numbers are its working days; with
    /// them, a day any task's calendar (or the project's, for milestones) works.
    pub fn grid_calendar(&self) -> Calendar {
        if !self.uses_calendars() {
            return self.calendar.clone();
        }
        let mut days = vec![self.calendar.clone()];
        // Tasks naming the same calendars work the same days: combined once (a large model
        // has few such sets and many tasks).
        let mut seen = std::collections::HashSet::new();
        for t in &self.tasks {
            let calendars = self.task_calendars(t);
            if !seen.insert(
                calendars
                    .iter()
                    .map(|&c| c as *const Calendar)
                    .collect::<Vec<_>>(),
            ) {
                continue;
            }
            let own = Calendar::intersection(&calendars);
            if !days.contains(&own) {
                days.push(own);
            }
        }
        Calendar::union(&days.iter().collect::<Vec<_>>())
    }

    /// The grid calendar ([`Model::grid_calendar`]) anchored at the project start: day
    /// numbers to dates and back.
    pub fn work_calendar(&self) -> crate::calendar::WorkCalendar {
        crate::calendar::WorkCalendar::new(self.grid_calendar(), self.project.start)
    }

    /// The roles a task works with: its demand or its effort.
    pub fn task_roles(task: &Task) -> Vec<usize> {
        match &task.work {
            Work::Fixed { demand, .. } => demand
                .iter()
                .filter(|&&(_, n)| n > 0)
                .map(|&(r, _)| r)
                .collect(),
            Work::Effort(efforts) => efforts.iter().map(|e| e.role).collect(),
        }
    }

    /// The calendars a task works on: its own (or the project's), then the own calendar of
    /// every role it demands. It works only on days when all of them are working days.
    pub fn task_calendars(&self, task: &Task) -> Vec<&Calendar> {
        let mut cals = vec![self.calendar_named(task.calendar.as_ref())];
        for r in Self::task_roles(task) {
            if let Some(named) = self.roles[r].calendar.as_ref() {
                cals.push(self.calendar_named(Some(named)));
            }
        }
        cals
    }
}
