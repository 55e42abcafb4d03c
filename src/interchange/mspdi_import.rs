//! MS Project XML (MSPDI) import: tasks, milestones, links of every type with lags (working,
//! elapsed and percentage), constraints and deadlines, actual dates, manual tasks, the project,
//! task and resource calendars, work resources as roles and assignments as demand.
//!
//! The model format holds less than MS Project does. Everything that is not carried over as it
//! is gets a line in [`Imported::unmapped`] (the command prints it on stderr) instead of being
//! dropped silently: approximated elapsed lags, material and cost resources, fractional units,
//! nested summary tasks, work held at its dates for want of a status date. Durations are the
//! remaining work: a task in progress is imported with its remaining duration, a finished one
//! with `done = 1`; an elapsed one runs on a calendar that works every day.

mod calendars;
mod node;
mod progress;

use super::draft::{
    is_id, slug, CalendarDraft, DraftDates, ModelDraft, Origins, RoleDraft, TaskDraft,
};
use super::mspdi::TEXT1_FIELD_ID;
use crate::error::{escape_controls, line_col, Diagnostic, Diagnostics};
use crate::model::{
    ConstraintKind, LinkType, WorkingHours, FIRST_DATE, LAST_DATE, MAX_COST, MAX_DAYS, MAX_PEOPLE,
};
use node::{clock_minutes, date_of, day_times, standard_week, DayTimes, Node, MAX_BASE_DEPTH};
use progress::{finish_day, MsDates};

/// Minutes in an elapsed (calendar) day, the unit of elapsed lags.
const MINUTES_PER_ELAPSED_DAY: f64 = 1440.0;
use jiff::civil::Date;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The result of an import: the model and what could not be carried over.
#[derive(Debug)]
pub struct Imported {
    /// The model, ready to be written.
    pub draft: ModelDraft,
    /// One line per thing that was not carried over, naming it.
    pub unmapped: Vec<String>,
    /// Where each task and milestone came from, for messages about the input.
    pub origins: Origins,
}

/// How deep elements may nest: MSPDI needs about six levels, and the tree is dropped
/// recursively, so a hostile file nested a million deep must stop here.
const MAX_DEPTH: usize = 100;

/// The text a general entity reference stands for (`&amp;`, `&#233;`, …).
fn entity(e: &quick_xml::events::BytesRef) -> Option<String> {
    if let Ok(Some(c)) = e.resolve_char_ref() {
        return Some(c.to_string());
    }
    Some(
        match &**e {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            _ => return None,
        }
        .to_string(),
    )
}

/// Parses the document into a tree; syntax errors name the file and line.
fn parse_tree(text: &str, file: &Path) -> Result<Node, Diagnostic> {
    let mut reader = Reader::from_str(text);
    let error_at = |offset: u64, message: String| {
        Diagnostic::new(file, "", message)
            .at(Some(line_col(text, offset as usize)))
            .help("the file is not well-formed XML; export it again from the planning tool")
    };
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        if stack.len() > MAX_DEPTH {
            return Err(Diagnostic::new(
                file,
                "",
                format!("elements nested more than {MAX_DEPTH} deep"),
            )
            .at(Some(line_col(text, stack.last().map_or(0, |n| n.offset))))
            .help("MS Project XML nests a few levels deep: this is not an MS Project file"));
        }
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| error_at(reader.error_position(), format!("bad XML: {e}")))?;
        match event {
            Event::Start(e) => stack.push(Node {
                name: e.local_name().as_ref().to_string(),
                offset: before,
                ..Node::default()
            }),
            Event::Empty(e) => {
                let node = Node {
                    name: e.local_name().as_ref().to_string(),
                    offset: before,
                    ..Node::default()
                };
                if let Some(top) = stack.last_mut() {
                    top.children.push(node);
                }
            }
            Event::End(_) => {
                let node = stack.pop().unwrap_or_default();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Err(error_at(before as u64, "unbalanced end tag".into())),
                }
            }
            Event::Text(e) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&e.xml10_content());
                }
            }
            Event::CData(e) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&e);
                }
            }
            Event::GeneralRef(e) => {
                let Some(s) = entity(&e) else {
                    return Err(error_at(before as u64, format!("unknown entity &{};", &*e)));
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(error_at(
            text.len() as u64,
            "the document ends inside an element".into(),
        ));
    }
    let root = stack.pop().unwrap_or_default();
    root.children
        .into_iter()
        .find(|c| c.name == "Project")
        .ok_or_else(|| {
            Diagnostic::new(file, "", "no <Project> element: this is not MS Project XML")
                .help("export the plan from MS Project as XML (File > Save As > XML)")
        })
}

/// Minutes in an ISO 8601 duration such as `PT40H0M0S` or `P2DT4H` (a day counts as `day`
/// minutes). `None` when it is not one.
fn duration_minutes(text: &str, day: f64) -> Option<f64> {
    let rest = text.trim().strip_prefix('P')?;
    let (date_part, time_part) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut minutes = 0.0;
    for (part, units) in [
        (
            date_part,
            &[('Y', 0.0), ('M', 0.0), ('W', 5.0), ('D', 1.0)][..],
        ),
        (time_part, &[('H', 60.0), ('M', 1.0), ('S', 1.0 / 60.0)][..]),
    ] {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' || c == '-' {
                number.push(c);
                continue;
            }
            let value: f64 = number.parse().ok()?;
            number.clear();
            let &(_, factor) = units.iter().find(|(u, _)| *u == c)?;
            let in_days = std::ptr::eq(part, date_part);
            minutes += if in_days {
                value * factor * day
            } else {
                value * factor
            };
        }
        if !number.is_empty() {
            return None;
        }
    }
    Some(minutes)
}

/// What the importer knows about one MSPDI task while mapping it.
struct TaskInfo<'a> {
    node: &'a Node,
    uid: String,
    name: String,
    id: String,
}

/// Values the model cannot hold faithfully (a duration that is not one, a negative or
/// enormous number, a percentage above 100), each reported at its element's line.
struct Problems<'a> {
    text: &'a str,
    file: &'a Path,
    diags: Diagnostics,
}

impl Problems<'_> {
    /// Records a problem with the child element `name` of `node` (or `node` itself).
    fn at(&mut self, node: &Node, name: &str, key: String, message: String, help: &str) {
        let offset = node.child(name).map_or(node.offset, |c| c.offset);
        self.diags.push(
            Diagnostic::new(self.file, key, message)
                .at(Some(line_col(self.text, offset)))
                .help(help),
        );
    }

    /// The child's number when it is a finite one; anything else present is reported.
    fn number(&mut self, node: &Node, name: &str, key: &str) -> Option<f64> {
        let text = node.text_of(name)?;
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                self.at(
                    node,
                    name,
                    format!("{key}.{name}"),
                    format!("\"{text}\" is not a finite number"),
                    "export the file again from MS Project; this value is not one it writes",
                );
                None
            }
        }
    }

    /// A number of people (units), from 0 to the model's limit.
    fn people(&mut self, node: &Node, name: &str, key: &str) -> Option<f64> {
        let x = self.number(node, name, key)?;
        if !(0.0..=f64::from(MAX_PEOPLE)).contains(&x) {
            self.at(
                node,
                name,
                format!("{key}.{name}"),
                format!("{x} units is outside 0 to {MAX_PEOPLE} people"),
                &format!("give between 0 and {MAX_PEOPLE} units (1 = one full-time person)"),
            );
            return None;
        }
        Some(x)
    }

    /// A date the model can hold, from `FIRST_DATE` to `LAST_DATE`.
    fn date(&mut self, node: &Node, name: &str, key: &str) -> Option<Date> {
        let text = node.text_of(name)?;
        let date = date_of(text).filter(|d| (FIRST_DATE..=LAST_DATE).contains(d));
        if date.is_none() {
            self.at(
                node,
                name,
                format!("{key}.{name}"),
                format!("\"{text}\" is not a date from {FIRST_DATE} to {LAST_DATE}"),
                "give a date-time such as 2025-09-15T08:00:00",
            );
        }
        date
    }
}

/// Reads an MSPDI document into a model draft.
pub fn import(text: &str, file: &Path) -> Result<Imported, Diagnostics> {
    let project = parse_tree(text, file)?;
    let mut unmapped = Vec::new();
    let mut problems = Problems {
        text,
        file,
        diags: Diagnostics::default(),
    };
    let minutes_per_day = calendar_minutes_per_day(
        minutes_per_day(&project, &mut problems),
        &project,
        &mut unmapped,
    );
    let name = project
        .text_of("Title")
        .or_else(|| project.text_of("Name").map(|n| n.trim_end_matches(".xml")))
        .unwrap_or("Imported project")
        .to_string();
    if project.text_of("StartDate").is_none() {
        problems.at(
            &project,
            "StartDate",
            "Project.StartDate".into(),
            "missing".into(),
            "the project needs a start date to anchor its schedule",
        );
    }
    let start = problems.date(&project, "StartDate", "Project");
    let ProjectCalendar {
        workdays,
        holidays,
        extra_workdays,
        hours,
    } = calendar(&project, minutes_per_day, &mut unmapped);
    let (roles, role_by_uid) = resources(&project, &mut unmapped, &mut problems);
    let tasks = collect_tasks(&project, &mut unmapped);
    let ms_start = start.unwrap_or(FIRST_DATE);
    let model_start = earliest_start(ms_start, &tasks, &mut unmapped);
    let mut draft = ModelDraft {
        source: format!(
            "Imported from {} (MS Project XML) by `plan import`.",
            file.display()
        ),
        name,
        start: model_start,
        workdays,
        holidays,
        extra_workdays,
        hours,
        calendars: Vec::new(),
        roles,
        phases: Vec::new(),
        tasks: Vec::new(),
        status_date: None,
    };
    let mut context = Context {
        unmapped: &mut unmapped,
        problems: &mut problems,
        minutes_per_day,
        ms_start,
        week: Calendars::new(&project)
            .project_week
            .unwrap_or_else(standard_week),
        elapsed_links: BTreeSet::new(),
    };
    map_tasks(&mut draft, &tasks, &mut context);
    map_assignments(&project, &mut draft, &tasks, &role_by_uid, &mut context);
    map_calendars(&project, &mut draft, &tasks, &role_by_uid, &mut context);
    durations_on_other_calendars(&project, &mut draft, (&tasks, &role_by_uid), &mut context);
    let ms_dates: Vec<MsDates> = tasks
        .iter()
        .map(|t| MsDates {
            id: &t.id,
            start: t.node.text_of("Start").and_then(date_of),
            finish: t.node.text_of("Finish"),
        })
        .collect();
    draft.status_date = progress::status_date(
        project.text_of("StatusDate").and_then(date_of),
        &mut draft,
        &ms_dates,
        &context.week,
        context.unmapped,
    );
    note_work_before_the_status_date(&draft, &tasks, context.unmapped);
    check_acyclic(&draft, &tasks, &mut problems);
    // Names come from the file: keep their control characters out of the terminal.
    let unmapped = unmapped
        .iter()
        .map(|u| escape_controls(u).into_owned())
        .collect();
    let origins = origins(&tasks);
    problems.diags.into_result(Imported {
        draft,
        unmapped,
        origins,
    })
}

/// Where each task and each of its links starts in the file, for messages about the model
/// made of them.
fn origins(tasks: &[TaskInfo]) -> Origins {
    let mut origins = Origins::default();
    let id_of: BTreeMap<&str, &str> = tasks
        .iter()
        .map(|t| (t.uid.as_str(), t.id.as_str()))
        .collect();
    for t in tasks {
        origins.insert(t.id.clone(), t.node.offset);
        for link in t.node.children("PredecessorLink") {
            if let Some(pred) = link.text_of("PredecessorUID").and_then(|u| id_of.get(u)) {
                origins.insert_link(&t.id, pred, link.offset);
            }
        }
    }
    origins
}

/// What mapping the tasks collects: notes on what is not carried over, problems that stop the
/// import, and the length of a working day.
struct Context<'c, 'a> {
    unmapped: &'c mut Vec<String>,
    problems: &'c mut Problems<'a>,
    minutes_per_day: f64,
    /// MS Project's project start: automatically scheduled work starts on or after it, also
    /// when manual tasks or actual dates before it make the model start earlier.
    ms_start: Date,
    /// The project calendar's working times, Monday first.
    week: [DayTimes; 7],
    /// The links (successor id, position in its `after`) whose lag is elapsed time, in
    /// elapsed days.
    elapsed_links: BTreeSet<(String, usize)>,
}

/// A cycle of links, reported at the first link of the cycle's first task: the model cannot
/// hold it, and writing it would only fail validation later.
fn check_acyclic(draft: &ModelDraft, tasks: &[TaskInfo], problems: &mut Problems) {
    let index: BTreeMap<&str, usize> = draft
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let edges: Vec<(usize, usize, f64)> = draft
        .tasks
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            t.after
                .iter()
                .filter_map(|(p, _, _)| index.get(p.as_str()))
                .map(move |&p| (p, i, 0.0))
        })
        .collect();
    let Err(cycle) = crate::graph::TaskGraph::new(draft.tasks.len(), &edges) else {
        return;
    };
    let names: Vec<&str> = cycle
        .iter()
        .map(|&i| draft.tasks[i].name.as_str())
        .collect();
    let Some(first) = cycle.first().map(|&i| &draft.tasks[i]) else {
        return;
    };
    let Some(info) = tasks.iter().find(|t| t.id == first.id) else {
        return;
    };
    problems.at(
        info.node,
        "PredecessorLink",
        format!("Task \"{}\".PredecessorLink", info.name),
        format!(
            "the links form a cycle: {} -> {}",
            names.join(" -> "),
            names[0]
        ),
        "a task cannot (indirectly) wait for itself: remove one of these links",
    );
}

/// The working minutes of one day of the project calendar when every working weekday has the
/// same: MS Project schedules a task's minutes on the calendar's hours, so those (not
/// `MinutesPerDay`, which only sets how durations are displayed) turn minutes into working days.
fn calendar_minutes_per_day(
    minutes_per_day: f64,
    project: &Node,
    unmapped: &mut Vec<String>,
) -> f64 {
    // Through the resolver: its base calendar's days, and a night shift's hours on the day
    // the shift starts.
    let resolved = project_calendar(project)
        .and_then(|c| c.text_of("UID"))
        .and_then(|uid| calendars::Resolver::new(project).days(uid, None, None, &mut Vec::new()))
        .and_then(|days| days.uniform_minutes());
    let Some(calendar_minutes) =
        resolved.or_else(|| project_calendar(project).and_then(uniform_working_minutes))
    else {
        return minutes_per_day;
    };
    if (calendar_minutes - minutes_per_day).abs() < 0.5 {
        return minutes_per_day;
    }
    unmapped.push(format!(
        "project calendar: {} working hours a day, MinutesPerDay says {}: durations and lags are counted on the calendar's hours, as MS Project schedules them",
        calendar_minutes / 60.0,
        minutes_per_day / 60.0
    ));
    calendar_minutes
}

/// The project's calendar element (`CalendarUID`, else the first calendar).
fn project_calendar(project: &Node) -> Option<&Node> {
    let uid = project.text_of("CalendarUID").unwrap_or("1");
    project.child("Calendars").and_then(|c| {
        c.children("Calendar")
            .find(|k| k.text_of("UID") == Some(uid))
            .or_else(|| c.child("Calendar"))
    })
}

/// Minutes of work of each working weekday of `calendar`, when they are all the same.
fn uniform_working_minutes(calendar: &Node) -> Option<f64> {
    let mut minutes = calendar
        .child("WeekDays")?
        .children("WeekDay")
        .filter(|d| {
            d.flag("DayWorking")
                && matches!(d.number("DayType"), Some(t) if (1.0..=7.0).contains(&t))
        })
        .map(|d| {
            d.child("WorkingTimes")
                .into_iter()
                .flat_map(|w| w.children("WorkingTime"))
                .filter_map(|w| {
                    Some(
                        clock_minutes(w.text_of("ToTime")?)?
                            - clock_minutes(w.text_of("FromTime")?)?,
                    )
                })
                .map(|m| if m <= 0.0 { m + 1440.0 } else { m })
                .sum::<f64>()
        });
    let first = minutes.next().filter(|&m| m > 0.0)?;
    minutes.all(|m| (m - first).abs() < 0.5).then_some(first)
}

/// `MinutesPerDay`, from 1 to 1440 (480 when absent).
fn minutes_per_day(project: &Node, problems: &mut Problems) -> f64 {
    let Some(m) = problems.number(project, "MinutesPerDay", "Project") else {
        return 480.0;
    };
    if !(1.0..=1440.0).contains(&m) {
        problems.at(
            project,
            "MinutesPerDay",
            "Project.MinutesPerDay".into(),
            format!("{m} minutes per day is outside 1 to 1440"),
            "a working day has between 1 and 1440 minutes (480 for 8 hours)",
        );
        return 480.0;
    }
    m
}

/// The project calendar: its working weekdays, its non-working exceptions (holidays) and
/// the dates it works although their weekday is not (extra working days).
struct ProjectCalendar {
    workdays: [bool; 7],
    holidays: BTreeSet<Date>,
    extra_workdays: BTreeSet<Date>,
    hours: Option<WorkingHours>,
}

/// The project calendar's working weekdays and exceptions (recurring ones expanded):
/// non-working dates on working weekdays are holidays, working dates on non-working weekdays
/// extra working days (whole days: other hours are noted), and what the model cannot hold is
/// listed.
fn calendar(project: &Node, minutes_per_day: f64, unmapped: &mut Vec<String>) -> ProjectCalendar {
    let standard = ProjectCalendar {
        workdays: [true, true, true, true, true, false, false],
        holidays: BTreeSet::new(),
        extra_workdays: BTreeSet::new(),
        hours: None,
    };
    let Some(uid) = project_calendar(project).and_then(|c| c.text_of("UID")) else {
        return standard;
    };
    let resolver = calendars::Resolver::new(project);
    match resolver.days(uid, Some(minutes_per_day), Some("calendar"), unmapped) {
        Some(days) => ProjectCalendar {
            hours: days
                .hours("calendar", unmapped)
                .filter(|h| *h != WorkingHours::default()),
            workdays: days.workdays,
            holidays: days.holidays,
            extra_workdays: days.extra_workdays,
        },
        None => standard,
    }
}

/// Work resources become roles; returns the roles and each resource UID's role index.
fn resources(
    project: &Node,
    unmapped: &mut Vec<String>,
    problems: &mut Problems,
) -> (Vec<RoleDraft>, BTreeMap<String, usize>) {
    let mut roles: Vec<RoleDraft> = Vec::new();
    let mut by_uid = BTreeMap::new();
    let calendars = Calendars::new(project);
    for res in project
        .child("Resources")
        .into_iter()
        .flat_map(|r| r.children("Resource"))
    {
        let Some(uid) = res.text_of("UID") else {
            continue;
        };
        let name = res.text_of("Name").unwrap_or("").to_string();
        if name.is_empty() && res.text_of("Initials").is_none() {
            continue; // MS Project's placeholder resource 0
        }
        if res.text_of("Type").unwrap_or("1") != "1" || res.flag("IsCostResource") {
            unmapped.push(format!(
                "resource \"{name}\": material and cost resources are not imported"
            ));
            continue;
        }
        let wanted = res
            .text_of("Initials")
            .filter(|i| is_id(i))
            .map(str::to_string)
            .unwrap_or_else(|| slug(&name));
        let mut id = wanted.clone();
        let mut k = 2;
        while roles.iter().any(|r| r.id == id) {
            id = format!("{wanted}-{k}");
            k += 1;
        }
        let key = format!("Resource \"{name}\"");
        let max_units = problems.people(res, "MaxUnits", &key).unwrap_or(1.0);
        if max_units.fract() != 0.0 {
            unmapped.push(format!(
                "resource \"{name}\": max units {max_units} rounded up to {} people",
                max_units.ceil()
            ));
        }
        let cost = problems
            .number(res, "StandardRate", &key)
            .filter(|&r| r > 0.0)
            .map(|hourly| hourly * 8.0);
        if cost.is_some_and(|c| c > MAX_COST) {
            problems.at(
                res,
                "StandardRate",
                format!("{key}.StandardRate"),
                format!(
                    "a rate above {} per hour is beyond the model's cost limit",
                    MAX_COST / 8.0
                ),
                "check the rate: it is per hour",
            );
        }
        if let Some(calendar) = calendars.other_hours(res) {
            unmapped.push(format!(
                "resource \"{name}\": its calendar \"{calendar}\" has other working hours than the project's: the role's calendar keeps them (`hours`), but the model schedules whole working days"
            ));
        }
        by_uid.insert(uid.to_string(), roles.len());
        roles.push(RoleDraft {
            name: if name.is_empty() { id.clone() } else { name },
            id,
            cost,
            team: max_units.ceil().max(0.0) as u32,
            calendar: None,
        });
    }
    (roles, by_uid)
}

/// The tasks worth mapping, with the ids they will get: the `plan id` custom field when the
/// file has one (a file `plan export` wrote), else `T<ID>`.
fn collect_tasks<'a>(project: &'a Node, unmapped: &mut Vec<String>) -> Vec<TaskInfo<'a>> {
    let uses_plan_ids = project
        .child("ExtendedAttributes")
        .into_iter()
        .flat_map(|e| e.children("ExtendedAttribute"))
        .any(|a| {
            a.text_of("FieldID") == Some(TEXT1_FIELD_ID) && a.text_of("Alias") == Some("plan id")
        });
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for node in project
        .child("Tasks")
        .into_iter()
        .flat_map(|t| t.children("Task"))
    {
        let Some(uid) = node.text_of("UID") else {
            continue;
        };
        if node.flag("IsNull") {
            continue; // a blank row
        }
        let name = node.text_of("Name").unwrap_or("").to_string();
        if node.number("OutlineLevel") == Some(0.0) {
            continue; // the project summary task: the project itself
        }
        let plan_id = node
            .children("ExtendedAttribute")
            .find(|a| uses_plan_ids && a.text_of("FieldID") == Some(TEXT1_FIELD_ID))
            .and_then(|a| a.text_of("Value"))
            .filter(|v| is_id(v));
        let id = task_id(plan_id, node, uid, out.len(), &mut seen);
        if id.note {
            unmapped.push(format!(
                "task \"{name}\": id {} is taken or not a valid id; using {}",
                id.wanted, id.id
            ));
        }
        let id = id.id;
        out.push(TaskInfo {
            node,
            uid: uid.to_string(),
            name: if name.is_empty() { id.clone() } else { name },
            id,
        });
    }
    out
}

/// The id a task gets, and the one it would have had.
struct TaskId {
    id: String,
    wanted: String,
    note: bool,
}

/// A task's model id: its plan id, else `T` and its ID, else `U` and its UID, else `T` and its
/// position; the first that is a valid model id not taken by an earlier task, so that the
/// import never writes an id the model rejects (found by the `mspdi` fuzz target).
fn task_id(
    plan_id: Option<&str>,
    node: &Node,
    uid: &str,
    position: usize,
    seen: &mut BTreeSet<String>,
) -> TaskId {
    let wanted = plan_id.map_or_else(
        || format!("T{}", node.text_of("ID").unwrap_or(uid)),
        str::to_string,
    );
    let by_position = (position..).map(|n| format!("T_{}", n + 1));
    let id = [wanted.clone(), format!("U{uid}")]
        .into_iter()
        .chain(by_position)
        .find(|id| is_id(id) && !seen.contains(id))
        .unwrap_or_default();
    seen.insert(id.clone());
    TaskId {
        note: id != wanted,
        id,
        wanted,
    }
}

fn map_tasks(draft: &mut ModelDraft, tasks: &[TaskInfo], cx: &mut Context) {
    let id_by_uid: BTreeMap<&str, &TaskInfo> = tasks.iter().map(|t| (t.uid.as_str(), t)).collect();
    let summary_uids: BTreeSet<&str> = tasks
        .iter()
        .filter(|t| t.node.flag("Summary"))
        .map(|t| t.uid.as_str())
        .collect();
    let mut phase: Option<String> = None;
    for t in tasks {
        let node = t.node;
        let level = node.number("OutlineLevel").unwrap_or(1.0) as u32;
        if level <= 1 {
            phase = None;
        }
        if node.flag("Summary") {
            if level <= 1 {
                draft.phases.push((t.id.clone(), t.name.clone()));
                phase = Some(t.id.clone());
            } else {
                cx.unmapped.push(format!(
                    "summary task \"{}\" at outline level {level}: its tasks are put in the level-1 phase",
                    t.name
                ));
            }
            if node.child("PredecessorLink").is_some() {
                cx.unmapped.push(format!(
                    "summary task \"{}\": links to or from summary tasks are not imported",
                    t.name
                ));
            }
            continue;
        }
        let after = links(t, &id_by_uid, &summary_uids, cx);
        let milestone = node.flag("Milestone");
        let last_morning = draft.hours.as_ref().map_or(0, |h| {
            h.end().saturating_sub(MINUTES_PER_ELAPSED_DAY as u32)
        });
        let mut dates = import_dates(t, (draft.start, last_morning), milestone, cx.unmapped);
        if node.flag("Manual") {
            fix_manual_dates(t, &mut dates, draft, cx);
        } else if draft.start < cx.ms_start && dates.actual_start.is_none() {
            keep_after_ms_start(&mut dates, cx.ms_start);
        }
        let (duration, done) = remaining(t, cx);
        if milestone && duration > 0.0 {
            cx.unmapped.push(format!(
                "milestone \"{}\": its duration of {duration} days is dropped (milestones take no time)",
                t.name
            ));
        }
        draft.tasks.push(TaskDraft {
            id: t.id.clone(),
            name: t.name.clone(),
            phase: if milestone { None } else { phase.clone() },
            after,
            duration,
            demand: Vec::new(),
            done,
            milestone,
            due: cx
                .problems
                .date(node, "Deadline", &format!("Task \"{}\"", t.name)),
            estimate: None,
            status: None,
            dates,
            calendar: None,
        });
    }
}

/// The day the model starts: MS Project's project start, or the first day a manually
/// scheduled task or an actual start lies on when that is earlier (MS Project lets both come
/// before the project start; the model holds nothing before its start).
fn earliest_start(ms_start: Date, tasks: &[TaskInfo], unmapped: &mut Vec<String>) -> Date {
    let earliest = tasks
        .iter()
        .filter(|t| !t.node.flag("Summary"))
        .flat_map(|t| {
            let manual = t.node.flag("Manual").then(|| t.node.text_of("Start"));
            [t.node.text_of("ActualStart"), manual.flatten()]
        })
        .flatten()
        .filter_map(date_of)
        .filter(|d| (FIRST_DATE..=LAST_DATE).contains(d))
        .min();
    match earliest {
        Some(first) if first < ms_start => {
            unmapped.push(format!(
                "the project starts on {ms_start} in MS Project, but manually scheduled tasks or actual dates begin on {first}: the model starts then, and automatically scheduled work gets `start_no_earlier = {ms_start}`"
            ));
            first
        }
        _ => ms_start,
    }
}

/// Automatically scheduled work in a model that starts before MS Project's project start
/// starts on or after it, as in MS Project.
fn keep_after_ms_start(dates: &mut DraftDates, ms_start: Date) {
    match &mut dates.constraint {
        None => dates.constraint = Some((ConstraintKind::StartNoEarlier, ms_start)),
        Some((ConstraintKind::StartNoEarlier, d)) if *d < ms_start => *d = ms_start,
        Some(_) => {}
    }
}

/// A manually scheduled task is not moved by its links in MS Project: it stays at the dates
/// it holds. Not started, it must start on its start; under way, it must finish on its finish
/// (what is left runs up to it); finished, its actual dates hold it.
fn fix_manual_dates(t: &TaskInfo, dates: &mut DraftDates, draft: &ModelDraft, cx: &mut Context) {
    let start = t.node.text_of("Start");
    let finish = t.node.text_of("Finish");
    let shown = match (start, finish) {
        (Some(s), Some(f)) => format!(
            " ({} to {})",
            s.get(..10).unwrap_or(s),
            f.get(..10).unwrap_or(f)
        ),
        _ => String::new(),
    };
    let fixed = if dates.actual_finish.is_some() {
        None
    } else if dates.actual_start.is_some() {
        finish
            .and_then(|f| finish_day(f, &cx.week, draft))
            .map(|d| (ConstraintKind::MustFinishOn, d))
    } else {
        start
            .and_then(date_of)
            .map(|d| (ConstraintKind::MustStartOn, d))
    };
    let fixed = fixed.filter(|(_, d)| (draft.start..=LAST_DATE).contains(d));
    let what = match fixed {
        Some((kind, date)) => {
            if let Some((old, old_date)) = dates.constraint.replace((kind, date)) {
                cx.unmapped.push(format!(
                    "task \"{}\": its constraint {} {old_date} gives way to the manual dates",
                    t.name,
                    old.key()
                ));
            }
            format!("fixed at those dates: {} = {date}", kind.key())
        }
        None if dates.actual_finish.is_some() => "finished: its actual dates hold it".into(),
        None => {
            "imported as a fixed-duration task scheduled from its links, not at those dates".into()
        }
    };
    cx.unmapped.push(format!(
        "task \"{}\": manually scheduled in MS Project{shown}; {what}",
        t.name
    ));
}

/// The calendars resources and tasks name (`Resource/CalendarUID`, `Task/CalendarUID`, each
/// followed through its base calendars) become `[calendars.<id>]` named by the role and the
/// task, unless they work on the project calendar's days. A task's duration and lags were
/// counted in days of the project calendar's hours; on a calendar of its own whose days have
/// other hours, they count in its days.
fn map_calendars(
    project: &Node,
    draft: &mut ModelDraft,
    tasks: &[TaskInfo],
    role_by_uid: &BTreeMap<String, usize>,
    cx: &mut Context,
) {
    let days = CalendarDraft {
        id: String::new(),
        name: String::new(),
        workdays: draft.workdays,
        holidays: draft.holidays.clone(),
        extra_workdays: draft.extra_workdays.clone(),
        hours: draft.hours.clone(),
    };
    let mut named = calendars::Named::new(project, days, cx.minutes_per_day);
    for res in project
        .child("Resources")
        .into_iter()
        .flat_map(|r| r.children("Resource"))
    {
        let Some(&role) = res.text_of("UID").and_then(|u| role_by_uid.get(u)) else {
            continue;
        };
        draft.roles[role].calendar = named.id_of(res.text_of("CalendarUID"), cx.unmapped);
    }
    let index: BTreeMap<String, usize> = draft
        .tasks
        .iter()
        .enumerate()
        .map(|(k, t)| (t.id.clone(), k))
        .collect();
    // A task calendar on the project's days still says the task is not on its resources'.
    let mut own_calendar = BTreeSet::new();
    for t in tasks {
        let Some(&k) = index.get(t.id.as_str()) else {
            continue;
        };
        let uid = t.node.text_of("CalendarUID").filter(|u| *u != "-1");
        if uid.is_some() {
            own_calendar.insert(k);
        }
        let Some(id) = named.id_of(uid, cx.unmapped) else {
            continue;
        };
        let task = &mut draft.tasks[k];
        if task.milestone {
            cx.unmapped.push(format!(
                "milestone \"{}\": its own calendar is not imported (milestones count on the project calendar)",
                t.name
            ));
            continue;
        }
        if t.node.flag("IgnoreResourceCalendar") {
            cx.unmapped.push(format!(
                "task \"{}\": it ignores its resources' calendars in MS Project; the model works it only on days its roles' calendars work too",
                t.name
            ));
        }
        let scale = named
            .minutes
            .get(&id)
            .map_or(1.0, |&m| cx.minutes_per_day / m);
        if (scale - 1.0).abs() > 1e-9 {
            if !elapsed_format(t.node) {
                task.duration = round3(task.duration * scale);
            }
            for (l, (_, _, lag)) in task.after.iter_mut().enumerate() {
                if !cx.elapsed_links.contains(&(t.id.clone(), l)) {
                    *lag = round3(*lag * scale);
                }
            }
        }
        task.calendar = Some(id);
    }
    on_their_resources_calendar(draft, &own_calendar, cx.unmapped);
    elapsed_on_every_day(draft, tasks, &mut named, cx.unmapped);
    draft.calendars = named.drafts;
    elapsed_lags(draft, cx);
}

/// A task without a calendar of its own works when its resources do in MS Project, not on
/// the project calendar: when every role it demands works on one calendar, that is the
/// task's too. Roles on different calendars are noted (the model works the task only on days
/// all of them work).
fn on_their_resources_calendar(
    draft: &mut ModelDraft,
    own_calendar: &BTreeSet<usize>,
    unmapped: &mut Vec<String>,
) {
    let calendar_of: BTreeMap<&str, Option<&String>> = draft
        .roles
        .iter()
        .map(|r| (r.id.as_str(), r.calendar.as_ref()))
        .collect();
    let mut changes = Vec::new();
    for (k, t) in draft.tasks.iter().enumerate() {
        if t.milestone || t.calendar.is_some() || own_calendar.contains(&k) {
            continue;
        }
        let theirs: BTreeSet<Option<&String>> = t
            .demand
            .iter()
            .filter(|(_, n)| *n > 0)
            .filter_map(|(r, _)| calendar_of.get(r.as_str()).copied())
            .collect();
        match theirs.iter().collect::<Vec<_>>()[..] {
            [Some(one)] => changes.push((k, (*one).clone())),
            [_, _, ..] => unmapped.push(format!(
                "task \"{}\": its resources work on different calendars; the model works it only on days all of them work",
                t.name
            )),
            _ => {}
        }
    }
    for (k, id) in changes {
        draft.tasks[k].calendar = Some(id);
    }
}

/// An elapsed duration runs round the clock, every day, holidays included: the task goes on a
/// calendar that works every day, its duration in elapsed days (set by [`remaining`]). The
/// model counts whole days from the beginning of a day, so a fraction of a day (elapsed
/// minutes or hours) is noted as approximate.
fn elapsed_on_every_day(
    draft: &mut ModelDraft,
    tasks: &[TaskInfo],
    named: &mut calendars::Named,
    unmapped: &mut Vec<String>,
) {
    let named_role_calendars: BTreeSet<&str> = draft
        .roles
        .iter()
        .filter(|r| r.calendar.is_some())
        .map(|r| r.id.as_str())
        .collect();
    for t in tasks {
        let Some(unit) = t
            .node
            .number("DurationFormat")
            .and_then(|f| elapsed_unit(f as u32))
        else {
            continue;
        };
        let Some(task) = draft.tasks.iter_mut().find(|d| d.id == t.id) else {
            continue;
        };
        if task.milestone {
            continue;
        }
        let id = named.every_day();
        let mut note = format!(
            "task \"{}\": a duration in {unit} ({}) runs round the clock in MS Project; imported as {} elapsed day{} on the calendar \"{id}\" that works every day",
            t.name,
            t.node.text_of("Duration").unwrap_or(""),
            number_text(task.duration),
            if task.duration == 1.0 { "" } else { "s" }
        );
        if task.duration.fract() != 0.0 {
            note.push_str(": the model starts it at the beginning of a day and the resource-levelled schedule rounds it up to whole days, where MS Project starts it at its hour (after work that ends in the evening, that evening; the model, the next day), and a task after it may start a day later than in MS Project");
        }
        if let Some(old) = task.calendar.replace(id.clone()).filter(|old| *old != id) {
            note.push_str(&format!("; its calendar \"{old}\" gives way"));
        }
        if task
            .demand
            .iter()
            .any(|(r, _)| named_role_calendars.contains(r.as_str()))
        {
            note.push_str("; its roles' calendars still limit the days it works in the model");
        }
        unmapped.push(note);
    }
}

/// Working weekdays of the calendar a task counts in: its own, else the project's.
fn weekdays_of(task: &TaskDraft, draft: &ModelDraft) -> usize {
    task.calendar
        .as_ref()
        .and_then(|id| draft.calendars.iter().find(|c| &c.id == id))
        .map_or(draft.workdays, |c| c.workdays)
        .iter()
        .filter(|w| **w)
        .count()
}

/// Lags count in working days of the successor's calendar. An elapsed lag (elapsed days) into
/// a task on a calendar that works every day is exact; into one that works `w` days a week
/// it is `w` working days in every 7 (a note: MS Project counts the clock, the model the
/// successor's working days). A working-time lag into a task on the every-day calendar is
/// likewise spread over 7 days for every working week of the project calendar, with a note.
fn elapsed_lags(draft: &mut ModelDraft, cx: &mut Context) {
    let project_week = draft.workdays.iter().filter(|w| **w).count().max(1) as f64;
    let mut changes = Vec::new();
    for (k, task) in draft.tasks.iter().enumerate() {
        let week = weekdays_of(task, draft).max(1) as f64;
        for (l, (pred, _, lag)) in task.after.iter().enumerate() {
            let elapsed = cx.elapsed_links.contains(&(task.id.clone(), l));
            let name = |id: &str| {
                draft
                    .tasks
                    .iter()
                    .find(|t| t.id == id)
                    .map_or(id.to_string(), |t| t.name.clone())
            };
            let new = match (elapsed, week >= 7.0) {
                (true, true) | (false, false) => continue,
                (true, false) => {
                    let days = round3(*lag * week / 7.0);
                    cx.unmapped.push(format!(
                        "link {} → {}: an elapsed lag is approximated as {days:.3} working days ({} elapsed days; the successor's calendar works {week} in every 7)",
                        name(pred),
                        task.name,
                        number_text(*lag),
                    ));
                    days
                }
                (false, true) if *lag == 0.0 => continue,
                (false, true) => {
                    let days = round3(*lag * 7.0 / project_week);
                    cx.unmapped.push(format!(
                        "link {} → {}: a lag of {} working days into a task on elapsed time is approximated as {} days of it ({project_week} working days in every 7)",
                        name(pred),
                        task.name,
                        number_text(*lag),
                        number_text(days)
                    ));
                    days
                }
            };
            changes.push((k, l, new));
        }
    }
    for (k, l, lag) in changes {
        draft.tasks[k].after[l].2 = lag;
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn lag_format(link: &Node) -> u32 {
    link.number("LagFormat").map_or(7, |f| f as u32)
}

/// MS Project's elapsed lag formats (the clock's minutes, hours, days, weeks, months).
fn elapsed_lag_format(format: u32) -> bool {
    matches!(format, 4 | 6 | 8 | 10 | 12 | 36 | 38 | 40 | 42 | 44)
}

/// MS Project's percentage lag formats (of the predecessor's duration; 51 and 52 are the
/// estimated forms, 20 and 52 elapsed).
fn percent_lag_format(format: u32) -> bool {
    matches!(format, 19 | 20 | 51 | 52)
}

/// A task's whole `Duration` (not what is left) in days: elapsed days when its format is
/// elapsed (true), else working days. 0 when it has none that reads.
fn total_duration(node: &Node, minutes_per_day: f64) -> (f64, bool) {
    let elapsed = elapsed_format(node);
    let day = if elapsed {
        MINUTES_PER_ELAPSED_DAY
    } else {
        minutes_per_day
    };
    let days = node
        .text_of("Duration")
        .and_then(|d| duration_minutes(d, day))
        .filter(|m| m.is_finite() && *m >= 0.0)
        .map_or(0.0, |m| m / day);
    (days, elapsed)
}

/// True when the task's duration is in an elapsed unit.
fn elapsed_format(node: &Node) -> bool {
    node.number("DurationFormat")
        .and_then(|f| elapsed_unit(f as u32))
        .is_some()
}

/// The unit of an elapsed `DurationFormat` (MS Project's codes; 36-44 and 52 are the
/// estimated forms), or `None` for a working-time one.
fn elapsed_unit(format: u32) -> Option<&'static str> {
    Some(match format {
        4 | 36 => "elapsed minutes",
        6 | 38 => "elapsed hours",
        8 | 40 => "elapsed days",
        10 | 42 => "elapsed weeks",
        12 | 44 => "elapsed months",
        20 | 52 => "elapsed percent",
        _ => return None,
    })
}

/// Working days left: the remaining duration when given, else the duration less what is done.
/// A finished task keeps its whole duration and `done = 1`. Elapsed durations count days of
/// the clock (1,440 minutes), as the task runs on a calendar that works every day
/// ([`elapsed_on_every_day`]).
fn remaining(t: &TaskInfo, cx: &mut Context) -> (f64, f64) {
    let node = t.node;
    let key = format!("Task \"{}\"", t.name);
    let working_minutes_per_day = cx.minutes_per_day;
    if elapsed_format(node) {
        cx.minutes_per_day = MINUTES_PER_ELAPSED_DAY;
    }
    let total = duration_days(node, "Duration", &key, cx);
    let left_given = duration_days(node, "RemainingDuration", &key, cx);
    cx.minutes_per_day = working_minutes_per_day;
    let total = total.unwrap_or(0.0);
    let percent = match cx.problems.number(node, "PercentComplete", &key) {
        Some(p) if !(0.0..=100.0).contains(&p) => {
            cx.problems.at(
                node,
                "PercentComplete",
                format!("{key}.PercentComplete"),
                format!("{p}% complete is outside 0 to 100"),
                "give the share of the work done, from 0 to 100",
            );
            0.0
        }
        p => p.unwrap_or(0.0),
    };
    if percent >= 100.0 {
        return (total, 1.0);
    }
    if percent > 0.0 {
        cx.unmapped.push(format!(
            "task \"{}\": {percent}% complete; imported as its remaining duration",
            t.name
        ));
    }
    let left = left_given.unwrap_or(total * (1.0 - percent / 100.0));
    ((left * 1000.0).round() / 1000.0, 0.0)
}

/// The child `name` as working days: an ISO 8601 duration of zero or more, at most the
/// model's limit. Anything else is reported at the element.
fn duration_days(node: &Node, name: &str, key: &str, cx: &mut Context) -> Option<f64> {
    let text = node.text_of(name)?;
    let days = duration_minutes(text, cx.minutes_per_day).map(|m| m / cx.minutes_per_day);
    let problem = match days {
        _ if text.contains('-') => format!("\"{text}\" is a negative duration"),
        None => format!("\"{text}\" is not an ISO 8601 duration such as PT40H0M0S"),
        Some(d) if d < 0.0 => format!("\"{text}\" is a negative duration"),
        Some(d) if !d.is_finite() || d > MAX_DAYS => {
            format!("\"{text}\" is more than the limit of {MAX_DAYS} working days")
        }
        Some(d) => return Some(d),
    };
    cx.problems.at(
        node,
        name,
        format!("{key}.{name}"),
        problem,
        &format!("give a duration from PT0H0M0S to {MAX_DAYS} working days, e.g. PT40H0M0S"),
    );
    None
}

/// The task's constraint as the model's: "start no earlier than" at the task's own start is
/// how a schedule's dates travel (and `plan export` writes them), so it is no constraint;
/// "as late as possible" has no equivalent in the model and is listed.
fn import_constraint(
    t: &TaskInfo,
    last_morning: u32,
    unmapped: &mut Vec<String>,
) -> Option<(ConstraintKind, Date)> {
    let node = t.node;
    let kind = node.number("ConstraintType").unwrap_or(0.0) as u32;
    let date = node.text_of("ConstraintDate").and_then(|d| {
        if matches!(kind, 3 | 6 | 7) {
            end_date_of(d, last_morning)
        } else {
            date_of(d)
        }
    });
    let at_start = date == node.text_of("Start").and_then(date_of);
    if kind == 0 || (kind == 4 && at_start) {
        return None;
    }
    let mapped = match kind {
        2 => Some(ConstraintKind::MustStartOn),
        3 => Some(ConstraintKind::MustFinishOn),
        4 => Some(ConstraintKind::StartNoEarlier),
        5 => Some(ConstraintKind::StartNoLater),
        6 => Some(ConstraintKind::FinishNoEarlier),
        7 => Some(ConstraintKind::FinishNoLater),
        _ => None,
    };
    match (mapped, date) {
        (Some(kind), Some(date)) => Some((kind, date)),
        _ => {
            let what = if kind == 1 {
                "as late as possible"
            } else {
                "unknown"
            };
            unmapped.push(format!(
                "task \"{}\": constraint \"{what}\" {} is not imported",
                t.name,
                node.text_of("ConstraintDate").unwrap_or("")
            ));
            None
        }
    }
}

/// The day an end instant (a finish, a deadline) closes: its date, or the date before when it
/// is at or before `last_morning` minutes after midnight. MSPDI has no 24:00, so a day worked
/// to midnight ends at the next date's 00:00, and a night shift the next morning (`plan
/// export` writes the end of a `22:00-06:00` day so).
fn end_date_of(text: &str, last_morning: u32) -> Option<Date> {
    let date = date_of(text)?;
    let minute = text.get(11..).and_then(clock_minutes);
    match minute {
        Some(m) if m <= f64::from(last_morning) => date.yesterday().ok(),
        _ => Some(date),
    }
}

/// The task's constraint, deadline (a milestone's stays its due date) and actual dates. Dates
/// before the project start cannot be in the model and are listed instead.
fn import_dates(
    t: &TaskInfo,
    (start, last_morning): (Date, u32),
    milestone: bool,
    unmapped: &mut Vec<String>,
) -> DraftDates {
    let node = t.node;
    let constraint = import_constraint(t, last_morning, unmapped);
    let mut keep = |what: &str, date: Option<Date>| match date {
        Some(d) if d < start => {
            unmapped.push(format!(
                "task \"{}\": {what} {d} is before the project start and is not imported",
                t.name
            ));
            None
        }
        other => other,
    };
    let constraint = constraint.and_then(|(k, d)| keep(k.key(), Some(d)).map(|d| (k, d)));
    let deadline = if milestone {
        None
    } else {
        keep(
            "deadline",
            node.text_of("Deadline")
                .and_then(|d| end_date_of(d, last_morning)),
        )
    };
    let actual_start = keep(
        "actual start",
        node.text_of("ActualStart").and_then(date_of),
    );
    let actual_finish = node
        .text_of("ActualFinish")
        .and_then(|d| end_date_of(d, last_morning))
        .filter(|&f| actual_start.is_some_and(|s| f >= s));
    DraftDates {
        constraint,
        deadline,
        actual_start,
        actual_finish,
    }
}

/// Unstarted work that MS Project starts before the status date: MS Project leaves it where
/// its links put it, the model schedules nothing unfinished before the status date, so its
/// dates will differ; each such task is named.
fn note_work_before_the_status_date(
    draft: &ModelDraft,
    tasks: &[TaskInfo],
    unmapped: &mut Vec<String>,
) {
    let Some(status) = draft.status_date.filter(|&d| d > draft.start) else {
        return;
    };
    let by_id: BTreeMap<&str, &TaskDraft> =
        draft.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    for t in tasks {
        let Some(task) = by_id.get(t.id.as_str()) else {
            continue;
        };
        let Some(start) = t.node.text_of("Start").and_then(date_of) else {
            continue;
        };
        if task.dates.actual_start.is_none() && task.done < 1.0 && start < status {
            unmapped.push(format!(
                "task \"{}\": not started, MS Project starts it on {start}, before the status date {status} (the last actual date when the file has none): the model schedules it from the status date",
                t.name
            ));
        }
    }
}

/// Links of every type with lags (and leads) in working days; what cannot be mapped exactly
/// is listed.
fn links(
    t: &TaskInfo,
    by_uid: &BTreeMap<&str, &TaskInfo>,
    summaries: &BTreeSet<&str>,
    cx: &mut Context,
) -> Vec<(String, LinkType, f64)> {
    let minutes_per_day = cx.minutes_per_day;
    let mut out = Vec::new();
    for link in t.node.children("PredecessorLink") {
        let unmapped = &mut *cx.unmapped;
        let pred_uid = link.text_of("PredecessorUID").unwrap_or("");
        let Some(pred) = by_uid.get(pred_uid) else {
            unmapped.push(format!(
                "task \"{}\": link from unknown task UID {pred_uid} is not imported",
                t.name
            ));
            continue;
        };
        let describe = || format!("link {} → {}", pred.name, t.name);
        if summaries.contains(pred_uid) {
            unmapped.push(format!(
                "{}: links from summary tasks are not imported",
                describe()
            ));
            continue;
        }
        if link.flag("CrossProject") {
            unmapped.push(format!(
                "{}: cross-project links are not imported",
                describe()
            ));
            continue;
        }
        // MS Project's codes: 0 FF, 1 FS, 2 SF, 3 SS.
        let kind = match link.text_of("Type").unwrap_or("1") {
            "0" => LinkType::FF,
            "1" => LinkType::FS,
            "2" => LinkType::SF,
            "3" => LinkType::SS,
            other => {
                unmapped.push(format!(
                    "{}: a link of unknown type {} is not imported",
                    describe(),
                    escape_controls(other)
                ));
                continue;
            }
        };
        let format = lag_format(link);
        let key = format!("Task \"{}\".PredecessorLink", t.name);
        let lag_value = cx.problems.number(link, "LinkLag", &key).unwrap_or(0.0);
        // LinkLag counts tenths of minutes: working minutes, or for the elapsed formats
        // minutes of the clock (elapsed days here; `elapsed_lags` puts them on the successor's
        // calendar). For the percentage formats it is the percentage itself.
        let (mut lag, elapsed) = if percent_lag_format(format) {
            let (days, elapsed) = total_duration(pred.node, minutes_per_day);
            let lag = lag_value / 100.0 * days;
            cx.unmapped.push(format!(
                "{}: a lag of {}% of \"{}\"'s duration ({} {}days) is imported as {} days; it does not follow later changes of that duration",
                describe(),
                number_text(lag_value),
                pred.name,
                number_text(days),
                if elapsed { "elapsed " } else { "working " },
                number_text(lag)
            ));
            (lag, elapsed)
        } else if elapsed_lag_format(format) {
            (lag_value / 10.0 / MINUTES_PER_ELAPSED_DAY, true)
        } else {
            (lag_value / 10.0 / minutes_per_day, false)
        };
        if lag.abs() > MAX_DAYS {
            cx.problems.at(
                link,
                "LinkLag",
                format!("{key}.LinkLag"),
                format!("a lag of {lag:.0} days is beyond the limit of {MAX_DAYS}"),
                "give a lag (tenths of a minute) of at most the limit",
            );
            lag = 0.0;
        }
        if elapsed {
            cx.elapsed_links.insert((t.id.clone(), out.len()));
        }
        out.push((pred.id.clone(), kind, (lag * 1000.0).round() / 1000.0));
    }
    out
}

/// The file's calendars by UID, and the project calendar's week, looked up once.
struct Calendars<'a> {
    by_uid: BTreeMap<&'a str, &'a Node>,
    project_week: Option<[DayTimes; 7]>,
}

impl<'a> Calendars<'a> {
    fn new(project: &'a Node) -> Self {
        let by_uid: BTreeMap<&str, &Node> = project
            .child("Calendars")
            .into_iter()
            .flat_map(|c| c.children("Calendar"))
            .filter_map(|c| Some((c.text_of("UID")?, c)))
            .collect();
        let mut calendars = Calendars {
            by_uid,
            project_week: None,
        };
        let uid = project.text_of("CalendarUID").unwrap_or("1");
        calendars.project_week = calendars.week(uid);
        calendars
    }

    /// The working times of each weekday (Monday first) of the calendar `uid`: its own for
    /// the days it defines, its base calendar's for the others. `None` for an unknown one.
    fn week(&self, uid: &str) -> Option<[DayTimes; 7]> {
        let mut week: [Option<DayTimes>; 7] = Default::default();
        let mut cal = *self.by_uid.get(uid)?;
        for _ in 0..MAX_BASE_DEPTH {
            for day in cal
                .child("WeekDays")
                .into_iter()
                .flat_map(|w| w.children("WeekDay"))
            {
                let Some(t @ 1..=7) = day.number("DayType").map(|d| d as usize) else {
                    continue;
                };
                // MSPDI counts from Sunday = 1; the model from Monday = 0.
                week[(t + 5) % 7].get_or_insert_with(|| day_times(day));
            }
            match cal.text_of("BaseCalendarUID") {
                Some(base) if base != "-1" && !cal.flag("IsBaseCalendar") => {
                    match self.by_uid.get(base) {
                        Some(&next) => cal = next,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        Some(week.map(Option::unwrap_or_default))
    }

    /// The calendar of `resource` when its working hours are not the project calendar's: the
    /// name of the calendar they come from (its own, else its base calendar's).
    fn other_hours(&self, resource: &Node) -> Option<String> {
        let uid = resource.text_of("CalendarUID").filter(|u| *u != "-1")?;
        let theirs = self.week(uid)?;
        // Other working days with the same hours are the resource's calendar, not other hours.
        let shifts = |week: &[DayTimes; 7]| -> BTreeSet<DayTimes> {
            week.iter().filter(|t| !t.is_empty()).cloned().collect()
        };
        if self.project_week.as_ref().map(shifts) == Some(shifts(&theirs)) {
            return None;
        }
        // A resource's own calendar is named after it; its hours come from its base.
        let own = *self.by_uid.get(uid)?;
        let base = own
            .text_of("BaseCalendarUID")
            .filter(|_| own.child("WeekDays").is_none())
            .and_then(|b| self.by_uid.get(b).copied())
            .unwrap_or(own);
        Some(base.text_of("Name").unwrap_or(uid).to_string())
    }
}

/// A task whose resources work on calendars with other hours than the project's: MS Project
/// measures its duration on the union of their hours (three people, one on a night shift,
/// working 3 days each make 6 days of "duration"), which means nothing on the model's one
/// calendar. The model's duration is what the plan says there: the work of its longest
/// assignment at its units, in days of the project calendar. Contoured assignments keep the
/// task's duration (their work is spread over it), with a note.
fn durations_on_other_calendars(
    project: &Node,
    draft: &mut ModelDraft,
    (tasks, role_by_uid): (&[TaskInfo], &BTreeMap<String, usize>),
    cx: &mut Context,
) {
    let calendars = Calendars::new(project);
    // Each resource on other hours than the project's: "<calendar> for <name>".
    let on_other_hours: BTreeMap<&str, String> = project
        .child("Resources")
        .into_iter()
        .flat_map(|r| r.children("Resource"))
        .filter_map(|r| {
            let calendar = calendars.other_hours(r)?;
            let name = r.text_of("Name").unwrap_or("?");
            Some((r.text_of("UID")?, format!("{calendar} for {name}")))
        })
        .collect();
    if on_other_hours.is_empty() {
        return;
    }
    let mut by_task: BTreeMap<&str, Vec<&Node>> = BTreeMap::new();
    for a in project
        .child("Assignments")
        .into_iter()
        .flat_map(|a| a.children("Assignment"))
    {
        if let Some(task) = a.text_of("TaskUID") {
            by_task.entry(task).or_default().push(a);
        }
    }
    let index: BTreeMap<&str, usize> = draft
        .tasks
        .iter()
        .enumerate()
        .map(|(k, d)| (d.id.as_str(), k))
        .collect();
    let mut changes = Vec::new();
    for t in tasks {
        let (Some(&k), Some(mine)) = (index.get(t.id.as_str()), by_task.get(t.uid.as_str())) else {
            continue;
        };
        let task = &draft.tasks[k];
        if task.milestone || task.done >= 1.0 || t.node.flag("Manual") || elapsed_format(t.node) {
            continue;
        }
        let others: Vec<&str> = mine
            .iter()
            .filter_map(|a| on_other_hours.get(a.text_of("ResourceUID")?))
            .map(String::as_str)
            .collect();
        // Resources all on the task's own calendar: its duration counts in that calendar's
        // hours, which the model keeps (a night crew's task on the night shift).
        let on_its_calendar = task.calendar.is_some()
            && mine.iter().all(|a| {
                a.text_of("ResourceUID")
                    .and_then(|r| role_by_uid.get(r))
                    .is_some_and(|&r| draft.roles[r].calendar == task.calendar)
            });
        if others.is_empty() || on_its_calendar {
            continue;
        }
        let contoured = mine
            .iter()
            .any(|a| a.number("WorkContour").unwrap_or(0.0) != 0.0);
        let longest = mine
            .iter()
            .filter_map(|a| {
                let units = a.number("Units").unwrap_or(1.0);
                let work = a
                    .text_of("RemainingWork")
                    .or_else(|| a.text_of("Work"))
                    .and_then(|w| duration_minutes(w, cx.minutes_per_day))?;
                (units > 0.0).then(|| work / units / cx.minutes_per_day)
            })
            .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))));
        let calendars = others.join(", ");
        match longest {
            Some(days) if !contoured && days.is_finite() && days <= MAX_DAYS => {
                let days = (days * 1000.0).round() / 1000.0;
                cx.unmapped.push(format!(
                    "task \"{}\": its resources work on other calendars ({calendars}); MS Project's duration of {} days counts their hours together; imported as {days} days, the work of its longest assignment at its units on the project calendar",
                    t.name,
                    number_text(task.duration)
                ));
                changes.push((k, days));
            }
            _ => cx.unmapped.push(format!(
                "task \"{}\": its resources work on other calendars ({calendars}); its duration is MS Project's, counted on their hours together",
                t.name
            )),
        }
    }
    for (k, days) in changes {
        draft.tasks[k].duration = days;
    }
}

/// A number of days for a note: up to 3 decimals, no trailing zeros.
fn number_text(x: f64) -> String {
    let r = (x * 1000.0).round() / 1000.0;
    format!("{r}")
}

/// Assignments become demand: whole people per role, summed when a role is assigned twice.
fn map_assignments(
    project: &Node,
    draft: &mut ModelDraft,
    tasks: &[TaskInfo],
    role_by_uid: &BTreeMap<String, usize>,
    cx: &mut Context,
) {
    let unmapped = &mut *cx.unmapped;
    let index_by_uid: BTreeMap<&str, usize> = tasks
        .iter()
        .filter_map(|t| {
            draft
                .tasks
                .iter()
                .position(|d| d.id == t.id)
                .map(|i| (t.uid.as_str(), i))
        })
        .collect();
    for a in project
        .child("Assignments")
        .into_iter()
        .flat_map(|a| a.children("Assignment"))
    {
        let task_uid = a.text_of("TaskUID").unwrap_or("");
        let res_uid = a.text_of("ResourceUID").unwrap_or("");
        let (Some(&ti), Some(&r)) = (index_by_uid.get(task_uid), role_by_uid.get(res_uid)) else {
            continue; // unassigned, a summary task, or a resource listed as not imported
        };
        let task = &mut draft.tasks[ti];
        if task.milestone {
            continue;
        }
        let key = format!("Assignment of \"{}\"", task.name);
        // Absent units mean one person; units present but unusable were reported.
        let units = match a.text_of("Units") {
            None => 1.0,
            Some(_) => match cx.problems.people(a, "Units", &key) {
                Some(u) => u,
                None => continue,
            },
        };
        let people = units.ceil().max(0.0) as u32;
        if units.fract() != 0.0 {
            unmapped.push(format!(
                "task \"{}\": {units} units of {} rounded up to {people} people",
                task.name, draft.roles[r].name
            ));
        }
        let role = draft.roles[r].id.clone();
        match task.demand.iter_mut().find(|(id, _)| *id == role) {
            Some((_, n)) => *n = n.saturating_add(people),
            None => task.demand.push((role, people)),
        }
        if task.demand.iter().any(|&(_, n)| n > MAX_PEOPLE) {
            cx.problems.at(
                a,
                "Units",
                format!("{key}.Units"),
                format!(
                    "the assignments of task \"{}\" add up to more than {MAX_PEOPLE} people",
                    task.name
                ),
                &format!("assign at most {MAX_PEOPLE} people of a resource to one task"),
            );
            task.demand.clear();
        }
        if draft.roles[r].team < people {
            unmapped.push(format!(
                "resource \"{}\": max units below the {people} people task \"{}\" needs; the team is raised to {people}",
                draft.roles[r].name, task.name
            ));
            draft.roles[r].team = people;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_hours_and_days() {
        assert_eq!(duration_minutes("PT40H0M0S", 480.0), Some(2400.0));
        assert_eq!(duration_minutes("P1DT4H", 480.0), Some(720.0));
        assert_eq!(duration_minutes("PT7H30M", 480.0), Some(450.0));
        assert_eq!(duration_minutes("40h", 480.0), None);
    }

    #[test]
    fn bad_xml_names_the_line() {
        let err = parse_tree("<Project>\n<Tasks>\n</Project>", Path::new("x.xml")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("x.xml:3"), "{text}");
    }

    /// A hostile recurrence (every day for 9,000 years, 10^12 times, period 0) is cut at 20
    /// years with a note instead of hanging or filling memory.
    #[test]
    fn an_endless_recurrence_is_cut_at_twenty_years() {
        let xml = "<Project><Exception><TimePeriod><FromDate>0001-01-01T00:00:00</FromDate><ToDate>8999-12-31T23:59:00</ToDate></TimePeriod><Occurrences>1000000000000</Occurrences><Period>0</Period><Type>1</Type><DayWorking>0</DayWorking></Exception></Project>";
        let project = parse_tree(xml, std::path::Path::new("x.xml")).unwrap();
        let ex = project.child("Exception").unwrap();
        let mut notes = Vec::new();
        let dates = calendars::exception_dates(ex, "exception", &mut notes).unwrap();
        assert_eq!(dates.len() as i64, calendars::MAX_RECURRENCE_DAYS + 1);
        assert_eq!(dates[0], jiff::civil::date(1, 1, 1));
        assert!(notes[0].contains("the first 20 years"), "{notes:?}");
    }

    #[test]
    fn a_document_without_a_project_is_rejected() {
        let err = parse_tree("<Other/>", Path::new("x.xml")).unwrap_err();
        assert!(err.to_string().contains("not MS Project XML"));
    }
}
