//! MS Project XML (MSPDI) export: the project, its calendar, tasks with their scheduled dates
//! and finish-to-start links, milestones with their due dates as deadlines, one resource per
//! role with the team's size as its maximum units, and one assignment per role on each task.
//!
//! MS Project silently drops elements that are out of the schema's order, so every element is
//! written in the order of the MSPDI schema's sequences (`mspdi_pj12.xsd`; the same order as
//! the `propOrder` of MPXJ's generated schema classes). [`ORDER`] lists the order for the
//! elements written here, and a test checks the output against it.
//!
//! Phases become summary tasks (outline level 1) with their tasks below them. Each task and
//! phase carries its `plan` id in the `Text1` custom field (alias "plan id") so an import can
//! give the same ids back. Since MS Project reschedules what it opens, every task gets a
//! "start no earlier than" constraint at its scheduled start: without it MS Project would
//! move work to its precedence-only dates and the resource-constrained schedule would be lost.

use super::{instant, ExportPlan};
use crate::model::{hh_mm, ConstraintKind, DateConstraint, LinkType, Model, Shift, WorkingHours};
use crate::resources::{peak_units, Steps, UNITS_PER_PERSON};
use jiff::civil::Date;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::collections::HashMap;
use std::io::{self, Write};

/// Minutes in one working day (MSPDI's default 8-hour day).
pub const MINUTES_PER_DAY: u32 = 480;
/// MSPDI link lags are in tenths of minutes: 4800 per 8-hour working day.
pub const LAG_UNITS_PER_DAY: f64 = 4800.0;
/// Field id of the task custom field `Text1`, which holds the `plan` id.
pub const TEXT1_FIELD_ID: &str = "188743731";
/// `DurationFormat`/`LagFormat` 7: days.
const FORMAT_DAYS: &str = "7";
/// `LagFormat` 19: percent (of the predecessor's duration).
const FORMAT_PERCENT: &str = "19";

/// Element order of the MSPDI schema's sequences, for the elements this writer uses
/// (parent, children in schema order). Taken from `mspdi_pj12.xsd`.
pub const ORDER: &[(&str, &[&str])] = &[
    (
        "Project",
        &[
            "SaveVersion",
            "UID",
            "Name",
            "Title",
            "Author",
            "CreationDate",
            "ScheduleFromStart",
            "StartDate",
            "FinishDate",
            "CalendarUID",
            "DefaultStartTime",
            "DefaultFinishTime",
            "MinutesPerDay",
            "MinutesPerWeek",
            "DaysPerMonth",
            "DefaultTaskType",
            "DurationFormat",
            "WorkFormat",
            "HonorConstraints",
            "WeekStartDay",
            "StatusDate",
            "CurrentDate",
            "ExtendedAttributes",
            "Calendars",
            "Tasks",
            "Resources",
            "Assignments",
        ],
    ),
    (
        "ExtendedAttribute@Project",
        &["FieldID", "FieldName", "Alias"],
    ),
    (
        "Calendar",
        &[
            "UID",
            "Name",
            "IsBaseCalendar",
            "IsBaselineCalendar",
            "BaseCalendarUID",
            "WeekDays",
            "Exceptions",
        ],
    ),
    ("WeekDay", &["DayType", "DayWorking", "WorkingTimes"]),
    ("WorkingTime", &["FromTime", "ToTime"]),
    (
        "Exception",
        &[
            "EnteredByOccurrences",
            "TimePeriod",
            "Occurrences",
            "Name",
            "Type",
            "DayWorking",
        ],
    ),
    ("TimePeriod", &["FromDate", "ToDate"]),
    (
        "Task",
        &[
            "UID",
            "ID",
            "Name",
            "Type",
            "IsNull",
            "OutlineNumber",
            "OutlineLevel",
            "Priority",
            "Start",
            "Finish",
            "Duration",
            "DurationFormat",
            "Work",
            "EffortDriven",
            "Milestone",
            "Summary",
            "Critical",
            "PercentComplete",
            "ActualStart",
            "ActualFinish",
            "ActualDuration",
            "RemainingDuration",
            "ConstraintType",
            "CalendarUID",
            "ConstraintDate",
            "Deadline",
            "PredecessorLink",
            "ExtendedAttribute",
        ],
    ),
    (
        "PredecessorLink",
        &[
            "PredecessorUID",
            "Type",
            "CrossProject",
            "LinkLag",
            "LagFormat",
        ],
    ),
    ("ExtendedAttribute@Task", &["FieldID", "Value"]),
    (
        "Resource",
        &[
            "UID",
            "ID",
            "Name",
            "Type",
            "IsNull",
            "Initials",
            "MaxUnits",
            "CalendarUID",
            "AvailabilityPeriods",
        ],
    ),
    (
        "Assignment",
        &[
            "UID",
            "TaskUID",
            "ResourceUID",
            "Finish",
            "RemainingWork",
            "Start",
            "Units",
            "Work",
        ],
    ),
];

/// A thin layer over quick-xml's writer for element-only documents, streaming into any
/// writer. The first write error is kept and every later write skipped, so the element
/// functions stay free of error plumbing and [`Xml::finish`] reports it.
struct Xml<'w> {
    w: Writer<&'w mut dyn Write>,
    error: Option<io::Error>,
}

impl<'w> Xml<'w> {
    fn new(out: &'w mut dyn Write) -> Self {
        let mut x = Xml {
            w: Writer::new_with_indent(out, b' ', 2),
            error: None,
        };
        x.event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )));
        x
    }

    fn event(&mut self, event: Event<'_>) {
        if self.error.is_none() {
            if let Err(e) = self.w.write_event(event) {
                self.error = Some(e);
            }
        }
    }

    fn open(&mut self, name: &str) {
        self.event(Event::Start(BytesStart::new(name)));
    }

    fn open_with(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let start = BytesStart::new(name).with_attributes(attrs.iter().copied());
        self.event(Event::Start(start));
    }

    fn close(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// `<name>value</name>`, the value escaped.
    fn leaf(&mut self, name: &str, value: impl AsRef<str>) {
        if self.error.is_none() {
            let written = self
                .w
                .create_element(name)
                .write_text_content(BytesText::new(value.as_ref()));
            if let Err(e) = written {
                self.error = Some(e);
            }
        }
    }

    fn finish(mut self) -> io::Result<()> {
        match self.error.take() {
            Some(e) => Err(e),
            None => self.w.into_inner().write_all(b"\n"),
        }
    }
}

/// The start of a working day of `hours` (`2025-09-15T08:00:00`), or (not `morning`) its
/// end: `…T17:00:00`, or the next morning's `…T06:00:00` for a night shift.
fn datetime(hours: &WorkingHours, date: Date, morning: bool) -> String {
    let minute = if morning { hours.start() } else { hours.end() };
    // An end at or past midnight is on the next date (MSPDI has no 24:00).
    let date = if minute >= MINUTES_PER_CLOCK_DAY {
        date.tomorrow().unwrap_or(date)
    } else {
        date
    };
    format!("{date}T{}:00", hh_mm(minute, false))
}

/// Minutes of a day of the clock.
const MINUTES_PER_CLOCK_DAY: u32 = 1440;

/// An MSPDI duration (`PT40H0M0S`) of working days at 8 hours a day.
pub fn duration(days: f64) -> String {
    duration_of(days, MINUTES_PER_DAY)
}

/// An MSPDI duration of working days of `minutes_per_day` minutes.
fn duration_of(days: f64, minutes_per_day: u32) -> String {
    let minutes = (days * f64::from(minutes_per_day)).round() as i64;
    format!("PT{}H{}M0S", minutes / 60, minutes % 60)
}

fn flag(b: bool) -> &'static str {
    if b {
        "1"
    } else {
        "0"
    }
}

/// One line of the task list: a phase's summary, a task, or a milestone, in output order.
enum Line {
    Phase(usize, Vec<usize>),
    Task(usize, u32),
    Milestone(usize),
}

/// Task list order: each phase's summary followed by its tasks, then tasks in no phase, then
/// milestones. Returns the lines and each task's and milestone's UID by model id.
fn outline(model: &Model) -> (Vec<Line>, HashMap<&str, u32>) {
    let phase_of: HashMap<&str, usize> = model
        .phases
        .iter()
        .enumerate()
        .map(|(p, phase)| (phase.id.as_str(), p))
        .collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); model.phases.len()];
    let mut unphased = Vec::new();
    for (t, task) in model.tasks.iter().enumerate() {
        match task.phase.as_deref().and_then(|p| phase_of.get(p)) {
            Some(&p) => members[p].push(t),
            None => unphased.push(t),
        }
    }
    let mut lines = Vec::new();
    for (p, members) in members.into_iter().enumerate() {
        if members.is_empty() {
            continue;
        }
        let tasks: Vec<Line> = members.iter().map(|&t| Line::Task(t, 2)).collect();
        lines.push(Line::Phase(p, members));
        lines.extend(tasks);
    }
    lines.extend(unphased.into_iter().map(|t| Line::Task(t, 1)));
    lines.extend((0..model.milestones.len()).map(Line::Milestone));
    let mut uids = HashMap::with_capacity(model.tasks.len() + model.milestones.len());
    for (i, line) in lines.iter().enumerate() {
        let id = match line {
            Line::Phase(..) => continue,
            Line::Task(t, _) => model.tasks[*t].id.as_str(),
            Line::Milestone(m) => model.milestones[*m].id.as_str(),
        };
        uids.insert(id, i as u32 + 1);
    }
    (lines, uids)
}

/// The MSPDI document of the plan.
pub fn write(plan: &ExportPlan) -> String {
    let mut bytes = Vec::new();
    write_to(plan, &mut bytes).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the writer only writes UTF-8")
}

/// The MSPDI document of the plan, streamed into `out` (a large plan's document is
/// gigabytes: it is never held whole).
pub fn write_to(plan: &ExportPlan, out: &mut dyn Write) -> io::Result<()> {
    let model = plan.model;
    let mut x = Xml::new(out);
    x.open_with(
        "Project",
        &[("xmlns", "http://schemas.microsoft.com/project")],
    );
    write_header(&mut x, plan);
    write_calendar(&mut x, model);
    let (lines, uids) = outline(model);
    x.open("Tasks");
    let mut outline_numbers = OutlineNumbers::default();
    for (i, line) in lines.iter().enumerate() {
        let uid = i as u32 + 1;
        match line {
            Line::Phase(p, members) => {
                let number = outline_numbers.next(1);
                write_phase(&mut x, plan, uid, &number, *p, members);
            }
            Line::Task(t, level) => {
                let number = outline_numbers.next(*level);
                write_task(&mut x, plan, &uids, uid, &number, *level, *t);
            }
            Line::Milestone(m) => {
                let number = outline_numbers.next(1);
                write_milestone(&mut x, plan, &uids, uid, &number, *m);
            }
        }
    }
    x.close("Tasks");
    write_resources(&mut x, plan);
    write_assignments(&mut x, plan, &uids);
    x.close("Project");
    x.finish()
}

/// Outline numbers `1`, `1.1`, `1.2`, `2`, … for levels 1 and 2.
#[derive(Default)]
struct OutlineNumbers {
    top: u32,
    sub: u32,
}

impl OutlineNumbers {
    fn next(&mut self, level: u32) -> String {
        if level == 1 {
            self.top += 1;
            self.sub = 0;
            self.top.to_string()
        } else {
            self.sub += 1;
            format!("{}.{}", self.top, self.sub)
        }
    }
}

fn write_header(x: &mut Xml, plan: &ExportPlan) {
    let model = plan.model;
    let h = model.hours_named(None);
    let mut cal = plan.calendar();
    let start = datetime(&h, cal.date_of(0), true);
    let finish_day = plan.timeline.finish;
    let (fd, fm) = instant(&mut cal, finish_day, false);
    let workdays = model.calendar.workdays.iter().filter(|&&w| w).count() as u32;
    x.leaf("SaveVersion", "14");
    x.leaf("UID", "1");
    x.leaf("Name", format!("{}.xml", model.project.name));
    x.leaf("Title", &model.project.name);
    x.leaf("Author", "plan");
    x.leaf("ScheduleFromStart", "1");
    x.leaf("StartDate", &start);
    x.leaf("FinishDate", datetime(&h, fd, fm));
    x.leaf("CalendarUID", "1");
    x.leaf(
        "DefaultStartTime",
        format!("{}:00", hh_mm(h.start(), false)),
    );
    x.leaf("DefaultFinishTime", format!("{}:00", hh_mm(h.end(), false)));
    x.leaf("MinutesPerDay", h.minutes().to_string());
    x.leaf("MinutesPerWeek", (h.minutes() * workdays).to_string());
    x.leaf("DaysPerMonth", "20");
    x.leaf("DefaultTaskType", "1");
    x.leaf("DurationFormat", FORMAT_DAYS);
    x.leaf("WorkFormat", "2");
    x.leaf("HonorConstraints", "1");
    x.leaf("WeekStartDay", "1");
    x.leaf("StatusDate", status_date(plan, &start));
    x.leaf("CurrentDate", &start);
    x.open("ExtendedAttributes");
    x.open("ExtendedAttribute");
    x.leaf("FieldID", TEXT1_FIELD_ID);
    x.leaf("FieldName", "Text1");
    x.leaf("Alias", "plan id");
    x.close("ExtendedAttribute");
    x.close("ExtendedAttributes");
}

/// The status date at the beginning of its day (work left may run on it), or the project's
/// first working day when the model gives none.
fn status_date(plan: &ExportPlan, start: &str) -> String {
    let project = &plan.model.project;
    let h = plan.model.hours_named(None);
    if project.status_date <= project.start {
        start.to_string()
    } else {
        datetime(&h, project.status_date, true)
    }
}

/// The standard calendar: the model's working weekdays 08:00-12:00 and 13:00-17:00, its
/// holidays as non-working exceptions and its extra working days as working ones.
fn write_calendar(x: &mut Xml, model: &Model) {
    x.open("Calendars");
    x.open("Calendar");
    x.leaf("UID", "1");
    x.leaf("Name", "Standard");
    x.leaf("IsBaseCalendar", "1");
    x.leaf("IsBaselineCalendar", "0");
    x.leaf("BaseCalendarUID", "-1");
    write_week_and_exceptions(x, &model.calendar, &model.hours_named(None));
    x.close("Calendar");
    for (k, named) in model.calendars.iter().enumerate() {
        let hours = named
            .hours
            .clone()
            .unwrap_or_else(|| model.hours_named(None));
        write_named_calendar(
            x,
            named_calendar_uid(k),
            &named.id,
            (&named.calendar, &hours),
        );
    }
    // MS Project gives each resource a calendar of its own based on a base calendar.
    for (r, role) in model.roles.iter().enumerate() {
        if let Some(base) = role_calendar_uid(model, r) {
            x.open("Calendar");
            x.leaf("UID", resource_calendar_uid(model, r).to_string());
            x.leaf("Name", &role.name);
            x.leaf("IsBaseCalendar", "0");
            x.leaf("IsBaselineCalendar", "0");
            x.leaf("BaseCalendarUID", base.to_string());
            x.close("Calendar");
        }
    }
    x.close("Calendars");
}

/// The UID of the model's named calendar `k` (the project's is 1).
fn named_calendar_uid(k: usize) -> u32 {
    k as u32 + 2
}

/// The UID of the named calendar `id`.
fn calendar_uid(model: &Model, id: &str) -> Option<u32> {
    model
        .calendars
        .iter()
        .position(|c| c.id == id)
        .map(named_calendar_uid)
}

/// The base calendar of role `r`'s resource calendar, when the role names one.
fn role_calendar_uid(model: &Model, r: usize) -> Option<u32> {
    calendar_uid(model, &model.roles[r].calendar.as_ref()?.id)
}

/// The UID of role `r`'s own resource calendar: after the named calendars.
fn resource_calendar_uid(model: &Model, r: usize) -> u32 {
    named_calendar_uid(model.calendars.len()) + r as u32
}

/// A task's `CalendarUID`: its own calendar's; the project's (1) when only its roles name
/// calendars, since MS Project works a task on its task calendar and its resources' calendars
/// together, as the model does, but on its resources' alone without a task calendar; none
/// (-1) otherwise.
fn task_calendar_uid(model: &Model, task: &crate::model::Task) -> String {
    if let Some(uid) = task
        .calendar
        .as_ref()
        .and_then(|c| calendar_uid(model, &c.id))
    {
        return uid.to_string();
    }
    let roles_have_calendars = Model::task_roles(task)
        .into_iter()
        .any(|r| model.roles[r].calendar.is_some());
    if roles_have_calendars { "1" } else { "-1" }.to_string()
}

/// A named calendar (`[calendars.<id>]`) as a base calendar named after its id.
fn write_named_calendar(
    x: &mut Xml,
    uid: u32,
    id: &str,
    (cal, hours): (&crate::calendar::Calendar, &WorkingHours),
) {
    x.open("Calendar");
    x.leaf("UID", uid.to_string());
    x.leaf("Name", id);
    x.leaf("IsBaseCalendar", "1");
    x.leaf("IsBaselineCalendar", "0");
    x.leaf("BaseCalendarUID", "-1");
    write_week_and_exceptions(x, cal, hours);
    x.close("Calendar");
}

/// A calendar's weekdays with their working times, its holidays as non-working exceptions
/// and its extra working days as working ones. MSPDI keeps each date's times apart, so a
/// shift past midnight is written in two: its hours up to midnight on its day, the rest on the
/// next morning (MS Project's "Night Shift" works so); a day off then still has the morning
/// of the night before, and the morning after it has none (exceptions say so).
fn write_week_and_exceptions(x: &mut Xml, cal: &crate::calendar::Calendar, hours: &WorkingHours) {
    let (evening, morning) = hours.split_at_midnight();
    let times = |works: bool, worked_before: bool| -> Vec<Shift> {
        let mut t = if worked_before {
            morning.clone()
        } else {
            Vec::new()
        };
        if works {
            t.extend(evening.iter().copied());
        }
        t
    };
    x.open("WeekDays");
    // MSPDI numbers days from Sunday = 1; the model's workdays are indexed from Monday = 0.
    for day_type in 1..=7u32 {
        let monday_based = ((day_type + 5) % 7) as usize;
        let day = times(
            cal.workdays[monday_based],
            cal.workdays[(monday_based + 6) % 7],
        );
        x.open("WeekDay");
        x.leaf("DayType", day_type.to_string());
        x.leaf("DayWorking", flag(!day.is_empty()));
        write_working_times(x, &day);
        x.close("WeekDay");
    }
    x.close("WeekDays");
    let mut dates: std::collections::BTreeSet<Date> = cal
        .holidays
        .iter()
        .chain(&cal.extra_workdays)
        .copied()
        .collect();
    if !morning.is_empty() {
        let after: Vec<Date> = dates.iter().filter_map(|d| d.tomorrow().ok()).collect();
        dates.extend(after);
    }
    let on = |d: Date| {
        let yesterday = d.yesterday().is_ok_and(|y| cal.is_workday(y));
        times(cal.is_workday(d), yesterday)
    };
    let usual = |d: Date| {
        let w = d.weekday().to_monday_zero_offset() as usize;
        times(cal.workdays[w], cal.workdays[(w + 6) % 7])
    };
    let exceptions: Vec<(Date, Vec<Shift>)> = dates
        .into_iter()
        .map(|d| (d, on(d)))
        .filter(|(d, t)| *t != usual(*d))
        .collect();
    if !exceptions.is_empty() {
        x.open("Exceptions");
        for (day, times) in &exceptions {
            let name = if cal.holidays.contains(day) {
                "Holiday"
            } else if cal.extra_workdays.contains(day) {
                "Extra working day"
            } else {
                "The night shift of the day before"
            };
            write_exception(x, *day, name, times);
        }
        x.close("Exceptions");
    }
}

/// One day's exception: a day off (no `times`), or a day worked at `times`.
fn write_exception(x: &mut Xml, day: Date, name: &str, times: &[Shift]) {
    x.open("Exception");
    x.leaf("EnteredByOccurrences", "0");
    x.open("TimePeriod");
    x.leaf("FromDate", format!("{day}T00:00:00"));
    x.leaf("ToDate", format!("{day}T23:59:00"));
    x.close("TimePeriod");
    x.leaf("Occurrences", "1");
    x.leaf("Name", name);
    x.leaf("Type", "1");
    x.leaf("DayWorking", flag(!times.is_empty()));
    write_working_times(x, times);
    x.close("Exception");
}

/// A day's working times (none on a day off), each within the day: 24:00 is 00:00, as MS
/// Project writes it.
fn write_working_times(x: &mut Xml, times: &[Shift]) {
    if times.is_empty() {
        return;
    }
    x.open("WorkingTimes");
    for s in times {
        x.open("WorkingTime");
        x.leaf("FromTime", format!("{}:00", hh_mm(s.from, false)));
        x.leaf("ToTime", format!("{}:00", hh_mm(s.to, false)));
        x.close("WorkingTime");
    }
    x.close("WorkingTimes");
}

fn plan_id(x: &mut Xml, id: &str) {
    x.open("ExtendedAttribute");
    x.leaf("FieldID", TEXT1_FIELD_ID);
    x.leaf("Value", id);
    x.close("ExtendedAttribute");
}

/// Working-day span of model task `t` as (start, finish).
fn task_span(plan: &ExportPlan, t: usize) -> (u32, u32) {
    plan.timeline
        .task(t)
        .map_or((0, 0), |r| (r.start, r.finish))
}

/// Working-day span of model milestone `m` as (start, finish).
fn milestone_span(plan: &ExportPlan, m: usize) -> (u32, u32) {
    plan.timeline
        .milestone(m)
        .map_or((0, 0), |r| (r.finish, r.finish))
}

/// Start, finish and duration elements of work running over working days `[start, finish)`
/// of the schedule's grid, `days` of them on its own calendar.
fn write_dates(
    x: &mut Xml,
    plan: &ExportPlan,
    h: &WorkingHours,
    (start, finish): (u32, u32),
    days: u32,
) {
    let mut cal = plan.calendar();
    let (sd, sm) = instant(&mut cal, start, finish > start);
    let (fd, fm) = if finish > start {
        instant(&mut cal, finish, false)
    } else {
        (sd, sm)
    };
    x.leaf("Start", datetime(h, sd, sm));
    x.leaf("Finish", datetime(h, fd, fm));
    x.leaf("Duration", duration_of(f64::from(days), h.minutes()));
    x.leaf("DurationFormat", FORMAT_DAYS);
}

fn write_phase(
    x: &mut Xml,
    plan: &ExportPlan,
    uid: u32,
    number: &str,
    p: usize,
    members: &[usize],
) {
    let model = plan.model;
    let spans: Vec<(u32, u32)> = members.iter().map(|&t| task_span(plan, t)).collect();
    let start = spans.iter().map(|s| s.0).min().unwrap_or(0);
    let finish = spans.iter().map(|s| s.1).max().unwrap_or(start).max(start);
    x.open("Task");
    x.leaf("UID", uid.to_string());
    x.leaf("ID", uid.to_string());
    x.leaf("Name", &model.phases[p].name);
    x.leaf("Type", "1");
    x.leaf("IsNull", "0");
    x.leaf("OutlineNumber", number);
    x.leaf("OutlineLevel", "1");
    x.leaf("Priority", "500");
    let h = plan.model.hours_named(None);
    write_dates(x, plan, &h, (start, finish), finish - start);
    x.leaf("Milestone", "0");
    x.leaf("Summary", "1");
    plan_id(x, &model.phases[p].id);
    x.close("Task");
}

/// MS Project's code of a link type (`PredecessorLink.Type`: 0 FF, 1 FS, 2 SF, 3 SS).
pub fn link_type_code(kind: LinkType) -> &'static str {
    match kind {
        LinkType::FF => "0",
        LinkType::FS => "1",
        LinkType::SF => "2",
        LinkType::SS => "3",
    }
}

/// A link with its MS Project type code and its lag (negative for a lead) in tenths of
/// minutes, shown in days.
fn write_links(
    x: &mut Xml,
    uids: &HashMap<&str, u32>,
    after: &[crate::model::Dependency],
    minutes_per_day: u32,
) {
    for dep in after {
        let Some(pred) = uids.get(dep.id.as_str()) else {
            continue;
        };
        x.open("PredecessorLink");
        x.leaf("PredecessorUID", pred.to_string());
        x.leaf("Type", link_type_code(dep.kind));
        x.leaf("CrossProject", "0");
        match dep.lag_percent {
            // LagFormat 19: the lag is a percentage of the predecessor's duration, and
            // LinkLag the percentage itself, so MS Project follows the duration too.
            Some(percent) => {
                x.leaf(
                    "LinkLag",
                    format!("{}", (percent * 1000.0).round() / 1000.0),
                );
                x.leaf("LagFormat", FORMAT_PERCENT);
            }
            None => {
                x.leaf(
                    "LinkLag",
                    ((dep.lag * f64::from(minutes_per_day) * 10.0).round() as i64).to_string(),
                );
                x.leaf("LagFormat", FORMAT_DAYS);
            }
        }
        x.close("PredecessorLink");
    }
}

#[allow(clippy::too_many_arguments)] // one call site; the arguments are the task's context
fn write_task(
    x: &mut Xml,
    plan: &ExportPlan,
    uids: &HashMap<&str, u32>,
    uid: u32,
    number: &str,
    level: u32,
    t: usize,
) {
    let task = &plan.model.tasks[t];
    let h = plan.model.hours_named(task.calendar.as_ref());
    // Work under way keeps its scheduled dates (what is left, from the status date); its
    // actual start travels as `ActualStart`.
    let (scheduled, finish) = task_span(plan, t);
    let start = scheduled;
    // Days of its own calendar: with role or task calendars the grid's span has days off.
    let days = plan
        .timeline
        .task(t)
        .map_or(finish - start, |r| r.work_days);
    let left = days;
    let people = plan.timeline.crew_of(t).people();
    let complete = task.done >= 1.0;
    x.open("Task");
    x.leaf("UID", uid.to_string());
    x.leaf("ID", uid.to_string());
    x.leaf("Name", &task.name);
    x.leaf("Type", "1");
    x.leaf("IsNull", "0");
    x.leaf("OutlineNumber", number);
    x.leaf("OutlineLevel", level.to_string());
    x.leaf("Priority", "500");
    match (&task.actual_start, &task.actual_finish) {
        // Finished work is where it happened, also on a day off (a Saturday worked): MS
        // Project's start and finish of a finished task are its actual ones.
        (Some(s), Some(f)) => {
            x.leaf("Start", datetime(&h, s.date, true));
            x.leaf("Finish", datetime(&h, f.date, false));
            x.leaf("Duration", duration_of(f64::from(days), h.minutes()));
            x.leaf("DurationFormat", FORMAT_DAYS);
        }
        _ => write_dates(x, plan, &h, (start, finish), days),
    }
    x.leaf("Work", duration_of(f64::from(days * people), h.minutes()));
    x.leaf("EffortDriven", "0");
    x.leaf("Milestone", "0");
    x.leaf("Summary", "0");
    x.leaf("Critical", flag(plan.task_is_critical(t)));
    write_progress(x, task, &h, days, if complete { 0 } else { left });
    let calendar = task_calendar_uid(plan.model, task);
    match &task.constraint {
        Some(c) => {
            write_model_constraint(x, c, &h, &calendar, task.deadline.as_ref().map(|d| d.date))
        }
        None => {
            if task.actual_start.is_some() {
                // Begun work is placed by its actuals, not by a constraint.
                x.leaf("ConstraintType", "0");
                x.leaf("CalendarUID", &calendar);
            } else {
                write_constraint(x, plan, &h, (scheduled, days > 0), &calendar);
            }
            if let Some(d) = &task.deadline {
                x.leaf("Deadline", datetime(&h, d.date, false));
            }
        }
    }
    write_links(x, uids, &task.after, h.minutes());
    plan_id(x, &task.id);
    x.close("Task");
}

/// "Start no earlier than" (`ConstraintType` 4) the scheduled start keeps the
/// resource-constrained dates when MS Project reschedules; work at day 0 needs none.
fn write_constraint(
    x: &mut Xml,
    plan: &ExportPlan,
    h: &WorkingHours,
    (start, has_work): (u32, bool),
    calendar: &str,
) {
    if start == 0 {
        x.leaf("ConstraintType", "0");
        x.leaf("CalendarUID", calendar);
        return;
    }
    let mut cal = plan.calendar();
    let (d, morning) = instant(&mut cal, start, has_work);
    x.leaf("ConstraintType", "4");
    x.leaf("CalendarUID", calendar);
    x.leaf("ConstraintDate", datetime(h, d, morning));
}

/// MS Project's `ConstraintType` code of a model constraint.
pub fn constraint_code(kind: ConstraintKind) -> &'static str {
    match kind {
        ConstraintKind::MustStartOn => "2",
        ConstraintKind::MustFinishOn => "3",
        ConstraintKind::StartNoEarlier => "4",
        ConstraintKind::StartNoLater => "5",
        ConstraintKind::FinishNoEarlier => "6",
        ConstraintKind::FinishNoLater => "7",
    }
}

/// The model's own constraint (it takes the place of the one that keeps scheduled dates: MS
/// Project has one per task) and the deadline. A start constraint is at the beginning of its
/// day, a finish constraint at its end.
fn write_model_constraint(
    x: &mut Xml,
    c: &DateConstraint,
    h: &WorkingHours,
    calendar: &str,
    deadline: Option<Date>,
) {
    x.leaf("ConstraintType", constraint_code(c.kind));
    x.leaf("CalendarUID", calendar);
    x.leaf("ConstraintDate", datetime(h, c.date, c.kind.on_start()));
    if let Some(d) = deadline {
        x.leaf("Deadline", datetime(h, d, false));
    }
}

/// Percent complete, actual dates and durations: a finished task is 100 % with its actual
/// start and finish; work under way has its actual start and what is left as remaining
/// duration (its start and finish are those of the part left).
fn write_progress(x: &mut Xml, task: &crate::model::Task, h: &WorkingHours, days: u32, left: u32) {
    let percent = match (&task.actual_finish, days) {
        (Some(_), _) => 100,
        (None, 0) => 0,
        (None, _) => (f64::from(days - left.min(days)) * 100.0 / f64::from(days)).floor() as u32,
    };
    let percent = if task.done >= 1.0 { 100 } else { percent };
    x.leaf("PercentComplete", percent.to_string());
    if let Some(a) = &task.actual_start {
        x.leaf("ActualStart", datetime(h, a.date, true));
    }
    if let Some(f) = &task.actual_finish {
        x.leaf("ActualFinish", datetime(h, f.date, false));
    }
    if task.actual_start.is_some() {
        x.leaf(
            "ActualDuration",
            duration_of(f64::from(days - left.min(days)), h.minutes()),
        );
    }
    x.leaf(
        "RemainingDuration",
        duration_of(f64::from(left), h.minutes()),
    );
}

fn write_milestone(
    x: &mut Xml,
    plan: &ExportPlan,
    uids: &HashMap<&str, u32>,
    uid: u32,
    number: &str,
    m: usize,
) {
    let ms = &plan.model.milestones[m];
    let h = plan.model.hours_named(None);
    let (start, _) = milestone_span(plan, m);
    x.open("Task");
    x.leaf("UID", uid.to_string());
    x.leaf("ID", uid.to_string());
    x.leaf("Name", &ms.name);
    x.leaf("Type", "1");
    x.leaf("IsNull", "0");
    x.leaf("OutlineNumber", number);
    x.leaf("OutlineLevel", "1");
    x.leaf("Priority", "500");
    write_dates(x, plan, &h, (start, start), 0);
    x.leaf("Milestone", "1");
    x.leaf("Summary", "0");
    x.leaf("Critical", flag(plan.milestone_is_critical(m)));
    // MS Project has one deadline: the model's deadline, else the due date.
    let deadline = ms.deadline.as_ref().map(|d| d.date).or(ms.due);
    match &ms.constraint {
        Some(c) => write_model_constraint(x, c, &h, "-1", deadline),
        None => {
            x.leaf("ConstraintType", "0");
            if let Some(due) = deadline {
                x.leaf("Deadline", datetime(&h, due, false));
            }
        }
    }
    write_links(x, uids, &ms.after, h.minutes());
    plan_id(x, &ms.id);
    x.close("Task");
}

/// MS Project's last date: an availability period without end ends there.
const LAST_MSP_DATE: Date = Date::constant(2049, 12, 31);

/// One work resource per role; `MaxUnits` is the most people the role ever has (1.0 = one
/// full-time person, 4.6 = four and one at 0.6), and when that changes over time (hires,
/// leaves, part-timers with dates, absences) the capacity per period as `AvailabilityPeriods`.
fn write_resources(x: &mut Xml, plan: &ExportPlan) {
    x.open("Resources");
    for (r, role) in plan.model.roles.iter().enumerate() {
        let uid = (r + 1).to_string();
        x.open("Resource");
        x.leaf("UID", &uid);
        x.leaf("ID", &uid);
        x.leaf("Name", &role.name);
        x.leaf("Type", "1");
        x.leaf("IsNull", "0");
        x.leaf("Initials", &role.id);
        let steps = &plan.capacity[r];
        x.leaf("MaxUnits", units(peak_units(steps)));
        if role_calendar_uid(plan.model, r).is_some() {
            x.leaf(
                "CalendarUID",
                resource_calendar_uid(plan.model, r).to_string(),
            );
        }
        if steps.len() > 1 {
            write_availability(x, plan, steps);
        }
        x.close("Resource");
    }
    x.close("Resources");
}

/// Capacity units as MSPDI units: 1.00 is one full-time person.
fn units(u: u32) -> String {
    format!("{:.2}", f64::from(u) / f64::from(UNITS_PER_PERSON))
}

/// Each capacity step as a period from its first working day's morning to the evening of the
/// working day before the next step.
fn write_availability(x: &mut Xml, plan: &ExportPlan, steps: &Steps) {
    let h = plan.model.hours_named(None);
    let mut cal = plan.calendar();
    x.open("AvailabilityPeriods");
    for (k, &(day, u)) in steps.iter().enumerate() {
        let from = cal.date_of(day as usize);
        let to = match steps.get(k + 1) {
            Some(&(next, _)) => cal.date_of(next as usize - 1),
            None => LAST_MSP_DATE.max(from),
        };
        x.open("AvailabilityPeriod");
        x.leaf("AvailableFrom", datetime(&h, from, true));
        x.leaf("AvailableTo", datetime(&h, to, false));
        x.leaf("AvailableUnits", units(u));
        x.close("AvailabilityPeriod");
    }
    x.close("AvailabilityPeriods");
}

/// One assignment per role with people on a task: `Units` is the crew (2.0 = two people).
fn write_assignments(x: &mut Xml, plan: &ExportPlan, uids: &HashMap<&str, u32>) {
    x.open("Assignments");
    let mut uid = 0u32;
    for (t, task) in plan.model.tasks.iter().enumerate() {
        let Some(row) = plan.timeline.task(t) else {
            continue;
        };
        let days = row.work_days;
        let h = plan.model.hours_named(task.calendar.as_ref());
        let crew = plan.timeline.crew_of(t);
        for r in 0..plan.model.roles.len() {
            let Some(n) = crew.of_role(r) else {
                continue;
            };
            uid += 1;
            let mut cal = plan.calendar();
            let (sd, sm) = instant(&mut cal, row.start, row.finish > row.start);
            let (fd, fm) = if row.finish > row.start {
                instant(&mut cal, row.finish, false)
            } else {
                (sd, sm)
            };
            let work = duration_of(f64::from(days * n), h.minutes());
            x.open("Assignment");
            x.leaf("UID", uid.to_string());
            x.leaf("TaskUID", uids[task.id.as_str()].to_string());
            x.leaf("ResourceUID", (r + 1).to_string());
            x.leaf("Finish", datetime(&h, fd, fm));
            x.leaf("RemainingWork", &work);
            x.leaf("Start", datetime(&h, sd, sm));
            x.leaf("Units", format!("{:.2}", f64::from(n)));
            x.leaf("Work", &work);
            x.close("Assignment");
        }
    }
    x.close("Assignments");
}
