//! Primavera P6 XER import: activities, WBS as phases, relationships of every type with lags,
//! calendars, resources as roles and assignments as demand.
//!
//! XER is P6's tab-separated export: `ERMHDR` on the first line, then tables, each a `%T` line
//! with its name, a `%F` line with its field names and `%R` lines with its rows, and `%E` at the
//! end. [`read_tables`] reads that layout (P6 quotes nothing, so a line is split at its tabs);
//! the rest of the module reads the tables P6 plans are made of (`PROJECT`, `CALENDAR`,
//! `SCHEDOPTIONS`, `PROJWBS`, `TASK`, `TASKPRED`, `RSRC`, `RSRCRATE`, `TASKRSRC`) into typed
//! rows and maps them to a [`ModelDraft`].
//!
//! P6 keeps durations and lags in hours: an activity's on its own calendar (`day_hr_cnt` hours
//! a day, or the hours its shifts give), a lag on the calendar the schedule options name. They
//! become working days of that calendar. Constraints and actual dates become the model's keys
//! and the data date its status date; a calendar with other working days than the project's
//! becomes a `[calendars.<id>]` that its activities name, and a resource's calendar its
//! role's (a resource-dependent activity runs on it). What the model cannot hold is listed as
//! notes.

use super::draft::{
    is_id, slug, CalendarDraft, DraftDates, ModelDraft, Origins, RoleDraft, TaskDraft,
};
use crate::error::{escape_controls, line_col, Diagnostic, Diagnostics, LineIndex};
use crate::model::{LinkType, WorkingHours, FIRST_DATE, LAST_DATE, MAX_COST, MAX_DAYS, MAX_PEOPLE};
use jiff::civil::{Date, DateTime, Time};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The most rows a file may hold, over all its tables: far above any P6 export, low enough
/// that a hostile file cannot exhaust memory.
pub const MAX_ROWS: usize = 2_000_000;
/// The most activities one project may have (as PSPLIB's job limit).
pub const MAX_ACTIVITIES: usize = 100_000;
/// How deep a calendar's `clndr_data` may nest: P6 writes four levels.
const MAX_CALENDAR_DEPTH: usize = 16;
/// Hours in a working day when a calendar gives none.
const DEFAULT_DAY_HOURS: f64 = 8.0;

/// The result of an import: the model, what could not be carried over, and where each task
/// came from in the file.
#[derive(Debug)]
pub struct XerImport {
    /// The model, ready to be written.
    pub draft: ModelDraft,
    /// One line per thing not carried over as it was, naming it and why.
    pub notes: Vec<String>,
    /// Byte offsets of the `TASK` rows tasks came from and of the `TASKPRED` rows of links.
    pub origins: Origins,
    /// How many calendars the file has.
    pub calendars: usize,
}

// ---------------------------------------------------------------------------------------------
// The layout: tables of rows.

/// One `%T` table: its fields and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The table's name (`TASK`).
    pub name: String,
    /// The 1-based line of its `%T`.
    pub line: usize,
    /// Byte offset of its `%F` line (of the `%T` line when it has none).
    pub fields_offset: usize,
    /// Field names, in order.
    pub fields: Vec<String>,
    /// Its rows.
    pub rows: Vec<Row>,
}

/// One `%R` line.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Byte offset of the line.
    pub offset: usize,
    /// The values, in field order (trailing empty ones may be missing).
    pub values: Vec<String>,
}

impl Table {
    fn index(&self, field: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == field)
    }

    /// The value of `field` in `row`, trimmed; empty when the table has no such field.
    pub fn get<'r>(&self, row: &'r Row, field: &str) -> &'r str {
        self.index(field)
            .and_then(|i| row.values.get(i))
            .map_or("", |v| v.trim())
    }

    /// The byte offset of `field`'s value in `row`'s line (the line's start when absent).
    fn offset_of(&self, row: &Row, field: &str) -> usize {
        let Some(i) = self.index(field) else {
            return row.offset;
        };
        // "%R" and a tab, then each earlier value and its tab.
        row.offset
            + 3
            + row
                .values
                .iter()
                .take(i)
                .map(|v| v.len() + 1)
                .sum::<usize>()
    }
}

/// The tables of a file, by name.
#[derive(Debug, Default)]
pub struct Tables(BTreeMap<String, Table>);

impl Tables {
    /// The table `name`, if the file has it.
    pub fn get(&self, name: &str) -> Option<&Table> {
        self.0.get(name)
    }
}

const HELP_EXPORT: &str =
    "export the project from P6 again (File > Export > Primavera PM - (XER)); the file may be cut short or edited by hand";

/// Reads the `%T`/`%F`/`%R`/`%E` layout; a line out of place is an error at its line.
pub fn read_tables(text: &str, file: &Path) -> Result<Tables, Diagnostic> {
    let error = |offset: usize, key: &str, message: String| {
        Diagnostic::new(file, key, message)
            .at(Some(line_col(text, offset)))
            .help(HELP_EXPORT)
    };
    let mut tables = Tables::default();
    let mut current: Option<Table> = None;
    let mut rows = 0usize;
    let mut offset = 0usize;
    let mut ended = false;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let at = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if index == 0 {
            if !line.starts_with("ERMHDR") {
                return Err(Diagnostic::new(
                    file,
                    "ERMHDR",
                    "the first line is not an ERMHDR header: this is not a P6 XER file",
                )
                .at(Some((1, 1)))
                .help("export the project from P6 as XER (File > Export > Primavera PM - (XER))"));
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let (mark, rest) = line.split_once('\t').unwrap_or((line, ""));
        let table_key = current.as_ref().map_or(String::new(), |t| t.name.clone());
        match mark {
            "%T" => {
                if let Some(t) = current.take() {
                    finish_table(&mut tables, t, file)?;
                }
                let name = rest.trim().to_string();
                if name.is_empty() {
                    return Err(error(at, "%T", "a table without a name".into()));
                }
                current = Some(Table {
                    line: index + 1,
                    fields_offset: at,
                    name,
                    fields: Vec::new(),
                    rows: Vec::new(),
                });
            }
            "%F" => {
                let Some(t) = current.as_mut() else {
                    return Err(error(at, "%F", "field names before any %T table".into()));
                };
                if !t.fields.is_empty() {
                    return Err(error(
                        at,
                        &table_key,
                        format!("a second %F line in table {}", t.name),
                    ));
                }
                t.fields = rest.split('\t').map(|f| f.trim().to_string()).collect();
                t.fields_offset = at;
            }
            "%R" => {
                let Some(t) = current.as_mut() else {
                    return Err(error(at, "%R", "a row before any %T table".into()));
                };
                if t.fields.is_empty() {
                    return Err(error(
                        at,
                        &table_key,
                        format!("a row of table {} before its %F field names", t.name),
                    ));
                }
                let values: Vec<String> = rest.split('\t').map(str::to_string).collect();
                if values.len() > t.fields.len() {
                    return Err(error(
                        at,
                        &table_key,
                        format!(
                            "{} values in a row of table {}, which has {} fields",
                            values.len(),
                            t.name,
                            t.fields.len()
                        ),
                    ));
                }
                rows += 1;
                if rows > MAX_ROWS {
                    return Err(error(
                        at,
                        &table_key,
                        format!("more than {MAX_ROWS} rows: beyond what plan imports"),
                    ));
                }
                t.rows.push(Row { offset: at, values });
            }
            "%E" => {
                ended = true;
                break;
            }
            _ => {
                return Err(error(
                    at,
                    &table_key,
                    format!(
                        "a line starting with \"{}\": XER lines start with %T, %F, %R or %E",
                        escape_controls(&mark.chars().take(20).collect::<String>())
                    ),
                ))
            }
        }
    }
    if let Some(t) = current.take() {
        finish_table(&mut tables, t, file)?;
    }
    if !ended {
        let last_line = text.trim_end().rfind('\n').map_or(0, |i| i + 1);
        return Err(error(
            last_line,
            "%E",
            "the file ends without the %E line P6 writes last: it was cut short".into(),
        ));
    }
    Ok(tables)
}

fn finish_table(tables: &mut Tables, t: Table, file: &Path) -> Result<(), Diagnostic> {
    if let Some(first) = tables.0.get(&t.name) {
        return Err(Diagnostic::new(
            file,
            t.name.clone(),
            format!(
                "table {} appears twice (first at line {})",
                t.name, first.line
            ),
        )
        .at(Some((t.line, 1)))
        .help(HELP_EXPORT));
    }
    tables.0.insert(t.name.clone(), t);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Typed rows.

/// A P6 activity type (`task_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    /// `TT_Task`: task dependent.
    Task,
    /// `TT_Rsrc`: resource dependent (scheduled on its resources' calendars in P6).
    ResourceDependent,
    /// `TT_Mile`: a start milestone.
    StartMilestone,
    /// `TT_FinMile`: a finish milestone.
    FinishMilestone,
    /// `TT_LOE`: level of effort, spanning the activities it is linked to.
    LevelOfEffort,
    /// `TT_WBS`: a WBS summary activity.
    WbsSummary,
}

impl ActivityKind {
    fn parse(code: &str) -> Option<Self> {
        Some(match code {
            "" | "TT_Task" => ActivityKind::Task,
            "TT_Rsrc" => ActivityKind::ResourceDependent,
            "TT_Mile" => ActivityKind::StartMilestone,
            "TT_FinMile" => ActivityKind::FinishMilestone,
            "TT_LOE" => ActivityKind::LevelOfEffort,
            "TT_WBS" => ActivityKind::WbsSummary,
            _ => return None,
        })
    }

    fn is_milestone(self) -> bool {
        matches!(
            self,
            ActivityKind::StartMilestone | ActivityKind::FinishMilestone
        )
    }
}

/// An activity's progress (`status_code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `TK_NotStart`.
    NotStarted,
    /// `TK_Active`: started, not finished.
    Active,
    /// `TK_Complete`.
    Complete,
}

impl Status {
    fn parse(code: &str) -> Option<Self> {
        Some(match code {
            "" | "TK_NotStart" => Status::NotStarted,
            "TK_Active" => Status::Active,
            "TK_Complete" => Status::Complete,
            _ => return None,
        })
    }

    fn words(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::Active => "in progress",
            Status::Complete => "complete",
        }
    }
}

/// A P6 constraint type (`cstr_type`, `cstr_type2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintKind {
    /// `CS_MSOA`: start on or after.
    StartOnOrAfter,
    /// `CS_MSOB`: start on or before.
    StartOnOrBefore,
    /// `CS_MEOA`: finish on or after.
    FinishOnOrAfter,
    /// `CS_MEOB`: finish on or before.
    FinishOnOrBefore,
    /// `CS_MSO`: start on.
    StartOn,
    /// `CS_MEO`: finish on.
    FinishOn,
    /// `CS_MANDSTART`: mandatory start.
    MandatoryStart,
    /// `CS_MANDFIN`: mandatory finish.
    MandatoryFinish,
    /// `CS_ALAP`: as late as possible (no date).
    AsLateAsPossible,
}

impl ConstraintKind {
    fn parse(code: &str) -> Option<Self> {
        Some(match code {
            "CS_MSOA" => ConstraintKind::StartOnOrAfter,
            "CS_MSOB" => ConstraintKind::StartOnOrBefore,
            "CS_MEOA" => ConstraintKind::FinishOnOrAfter,
            "CS_MEOB" => ConstraintKind::FinishOnOrBefore,
            "CS_MSO" => ConstraintKind::StartOn,
            "CS_MEO" => ConstraintKind::FinishOn,
            "CS_MANDSTART" => ConstraintKind::MandatoryStart,
            "CS_MANDFIN" => ConstraintKind::MandatoryFinish,
            "CS_ALAP" => ConstraintKind::AsLateAsPossible,
            _ => return None,
        })
    }

    /// The model key that will hold it (issue 11's task keys), if any.
    pub fn model_key(self) -> Option<&'static str> {
        Some(match self {
            ConstraintKind::StartOnOrAfter => "start_no_earlier",
            ConstraintKind::StartOnOrBefore => "start_no_later",
            ConstraintKind::FinishOnOrAfter => "finish_no_earlier",
            ConstraintKind::FinishOnOrBefore => "finish_no_later",
            ConstraintKind::StartOn | ConstraintKind::MandatoryStart => "must_start_on",
            ConstraintKind::FinishOn | ConstraintKind::MandatoryFinish => "must_finish_on",
            ConstraintKind::AsLateAsPossible => return None,
        })
    }
}

/// A constraint with its date (none for as late as possible).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Constraint {
    /// Its type.
    pub kind: ConstraintKind,
    /// Its date and time.
    pub date: Option<DateTime>,
}

/// A working calendar: hours per weekday, exceptions.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// `clndr_id`.
    pub id: String,
    /// `clndr_name`.
    pub name: String,
    /// Working hours per weekday, Monday = 0.
    pub week_hours: [f64; 7],
    /// Dates with other hours than their weekday's (0 for a holiday).
    pub exceptions: BTreeMap<Date, f64>,
    /// `day_hr_cnt`, if given.
    pub day_hr_cnt: Option<f64>,
    /// `default_flag = Y`.
    pub default: bool,
    /// The shifts every working weekday shares, when they all have the same (the model's
    /// `hours`).
    pub hours: Option<WorkingHours>,
}

impl Calendar {
    /// The hours of a working day that durations on this calendar count in: the shifts' hours
    /// when every working weekday has the same (P6 schedules on the shifts), else `day_hr_cnt`,
    /// else 8.
    pub fn day_hours(&self) -> f64 {
        let mut working = self.week_hours.iter().filter(|&&h| h > 0.0);
        match working.next() {
            Some(&first) if working.all(|&h| (h - first).abs() < 1e-9) => first,
            _ => self
                .day_hr_cnt
                .filter(|&h| h > 0.0)
                .unwrap_or(DEFAULT_DAY_HOURS),
        }
    }

    /// Worked weekdays, Monday = 0.
    pub fn workdays(&self) -> [bool; 7] {
        self.week_hours.map(|h| h > 0.0)
    }

    /// Non-working dates that fall on working weekdays.
    pub fn holidays(&self) -> BTreeSet<Date> {
        self.exceptions
            .iter()
            .filter(|&(d, &h)| h == 0.0 && self.week_hours[weekday(*d)] > 0.0)
            .map(|(d, _)| *d)
            .collect()
    }

    /// Worked dates that fall on non-working weekdays.
    pub fn extra_workdays(&self) -> BTreeSet<Date> {
        self.exceptions
            .iter()
            .filter(|&(d, &h)| h > 0.0 && self.week_hours[weekday(*d)] == 0.0)
            .map(|(d, _)| *d)
            .collect()
    }

    /// Same working days as `other` (hours may differ).
    fn same_days_as(&self, other: &Calendar) -> bool {
        self.workdays() == other.workdays()
            && self.holidays() == other.holidays()
            && self.extra_workdays() == other.extra_workdays()
    }
}

fn weekday(d: Date) -> usize {
    d.weekday().to_monday_zero_offset() as usize
}

/// One `TASK` row.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// `task_id`.
    pub id: String,
    /// `task_code`: the activity id people see.
    pub code: String,
    /// `task_name`.
    pub name: String,
    /// `wbs_id`.
    pub wbs: String,
    /// `clndr_id`.
    pub calendar: String,
    /// `task_type`.
    pub kind: ActivityKind,
    /// `status_code`.
    pub status: Status,
    /// `target_drtn_hr_cnt`: planned hours.
    pub target_hours: f64,
    /// `remain_drtn_hr_cnt`: hours left, when given.
    pub remaining_hours: Option<f64>,
    /// `phys_complete_pct`.
    pub percent: Option<f64>,
    /// `cstr_type` / `cstr_date`.
    pub constraint: Option<Constraint>,
    /// `cstr_type2` / `cstr_date2`.
    pub constraint2: Option<Constraint>,
    /// `act_start_date`.
    pub actual_start: Option<DateTime>,
    /// `act_end_date`.
    pub actual_finish: Option<DateTime>,
    /// `early_start_date`: P6's computed early start.
    pub early_start: Option<DateTime>,
    /// `early_end_date`: P6's computed early finish.
    pub early_finish: Option<DateTime>,
    /// Byte offset of its row.
    pub offset: usize,
}

/// One `TASKPRED` row.
#[derive(Debug, Clone, PartialEq)]
pub struct Relationship {
    /// `task_id`: the successor.
    pub successor: String,
    /// `pred_task_id`.
    pub predecessor: String,
    /// `pred_type`.
    pub kind: LinkType,
    /// `lag_hr_cnt`.
    pub lag_hours: f64,
    /// Whether the predecessor is in another project (`pred_proj_id`).
    pub external: bool,
    /// Byte offset of its row.
    pub offset: usize,
}

/// One `RSRC` row with its rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// `rsrc_id`.
    pub id: String,
    /// `rsrc_short_name`.
    pub short_name: String,
    /// `rsrc_name`.
    pub name: String,
    /// `rsrc_type`: `RT_Labor`, `RT_Equip` or `RT_Mat`.
    pub kind: String,
    /// `RSRCRATE.max_qty_per_hr`: the most units it supplies (1 = one person).
    pub max_units: Option<f64>,
    /// `RSRCRATE.cost_per_qty`: cost per hour.
    pub cost_per_hour: Option<f64>,
    /// `clndr_id`: the resource's calendar (empty when none).
    pub calendar: String,
}

/// One `TASKRSRC` row.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// `task_id`.
    pub task: String,
    /// `rsrc_id`.
    pub resource: String,
    /// Units per hour (`remain_qty_per_hr`, else `target_qty_per_hr`): 1 = one person.
    pub units: Option<f64>,
    /// Byte offset of its row.
    pub offset: usize,
}

/// The schedule options that matter here (`SCHEDOPTIONS`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LagCalendar {
    /// `rcal_Predecessor` (P6's default).
    #[default]
    Predecessor,
    /// `rcal_Successor`.
    Successor,
    /// `rcal_ProjDefault`.
    ProjectDefault,
    /// `rcal_24Hour`.
    TwentyFourHour,
}

// ---------------------------------------------------------------------------------------------
// Reading typed rows, with located errors.

/// Problems found while reading rows, each at its table, row and field.
struct Cx<'a> {
    /// Where the file's lines start: a file with thousands of bad values is not rescanned
    /// from its start for each.
    lines: LineIndex<'a>,
    file: &'a Path,
    diags: Diagnostics,
}

/// The field that names a row of each table in messages.
fn label_field(table: &str) -> &'static str {
    match table {
        "TASK" => "task_code",
        "PROJECT" => "proj_short_name",
        "CALENDAR" => "clndr_name",
        "PROJWBS" => "wbs_short_name",
        "RSRC" => "rsrc_short_name",
        "TASKPRED" => "task_pred_id",
        "TASKRSRC" => "taskrsrc_id",
        _ => "",
    }
}

impl Cx<'_> {
    fn problem(&mut self, t: &Table, row: &Row, field: &str, message: String, help: &str) {
        let label = t.get(row, label_field(&t.name));
        let key = if label.is_empty() {
            format!("{}.{field}", t.name)
        } else {
            format!("{} \"{}\".{field}", t.name, escape_controls(label))
        };
        self.diags.push(
            Diagnostic::new(self.file, key, message)
                .at(Some(self.lines.line_col(t.offset_of(row, field))))
                .help(help),
        );
    }

    /// A field every row of `t` needs; its absence is an error at the `%F` line.
    fn require(&mut self, t: &Table, field: &str) -> bool {
        if t.index(field).is_some() {
            return true;
        }
        self.diags.push(
            Diagnostic::new(
                self.file,
                format!("{}.{field}", t.name),
                format!("table {} has no field {field}", t.name),
            )
            .at(Some(self.lines.line_col(t.fields_offset)))
            .help(HELP_EXPORT),
        );
        false
    }

    /// A finite number from 0 to `max`; empty is `None`, anything else is reported.
    fn number(&mut self, t: &Table, row: &Row, field: &str, max: f64) -> Option<f64> {
        let text = t.get(row, field);
        if text.is_empty() {
            return None;
        }
        match text.replace(',', ".").parse::<f64>() {
            Ok(x) if x.is_finite() && (0.0..=max).contains(&x) => Some(x),
            Ok(x) if x.is_finite() => {
                self.problem(
                    t,
                    row,
                    field,
                    format!("{text} is outside 0 to {max}"),
                    &format!("give a number from 0 to {max}"),
                );
                None
            }
            _ => {
                self.problem(
                    t,
                    row,
                    field,
                    format!("\"{}\" is not a number", escape_controls(text)),
                    "give a number such as 40 or 7.5",
                );
                None
            }
        }
    }

    /// Hours of a duration (`signed`: or a lag, which may be negative), at most the model's
    /// limit of working days of 24 hours either way.
    fn hours(&mut self, t: &Table, row: &Row, field: &str, signed: bool) -> Option<f64> {
        let text = t.get(row, field);
        if text.is_empty() {
            return None;
        }
        let max = MAX_DAYS * 24.0;
        let value = text
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite());
        let problem = match value {
            None => format!("\"{}\" is not a number of hours", escape_controls(text)),
            Some(x) if x < 0.0 && !signed => format!("{text} hours is negative"),
            Some(x) if x.abs() > max => {
                format!("{text} hours is beyond the limit of {MAX_DAYS} working days ({max} hours)")
            }
            Some(x) => return Some(x),
        };
        let help = if signed {
            format!("give a lag (negative for a lead) of at most {max} hours either way")
        } else {
            format!("give a duration from 0 to {max} hours")
        };
        self.problem(t, row, field, problem, &help);
        None
    }

    /// A date and time `YYYY-MM-DD HH:MM` from `FIRST_DATE` to `LAST_DATE`.
    fn date_time(&mut self, t: &Table, row: &Row, field: &str) -> Option<DateTime> {
        let text = t.get(row, field);
        if text.is_empty() {
            return None;
        }
        let parsed = parse_date_time(text).filter(|d| (FIRST_DATE..=LAST_DATE).contains(&d.date()));
        if parsed.is_none() {
            self.problem(
                t,
                row,
                field,
                format!(
                    "\"{}\" is not a date and time from {FIRST_DATE} to {LAST_DATE}",
                    escape_controls(text)
                ),
                "P6 writes dates as YYYY-MM-DD HH:MM, e.g. 2025-09-15 08:00",
            );
        }
        parsed
    }

    /// A code from a fixed list; anything else is reported with the list.
    fn code<T>(
        &mut self,
        t: &Table,
        row: &Row,
        field: &str,
        parse: fn(&str) -> Option<T>,
        known: &str,
    ) -> Option<T> {
        let text = t.get(row, field);
        let value = parse(text);
        if value.is_none() {
            self.problem(
                t,
                row,
                field,
                format!("unknown code \"{}\"", escape_controls(text)),
                &format!("P6 writes one of {known}"),
            );
        }
        value
    }
}

/// `2025-09-15 08:00` (seconds allowed).
fn parse_date_time(text: &str) -> Option<DateTime> {
    let (date, time) = text.split_once(' ').unwrap_or((text, "00:00"));
    let date: Date = date.parse().ok()?;
    let time: Time = time.trim().parse().ok()?;
    Some(date.to_datetime(time))
}

/// The project rows to import: those marked for export (all when none is).
fn projects(t: &Table) -> Vec<&Row> {
    let marked: Vec<&Row> = t
        .rows
        .iter()
        .filter(|r| t.get(r, "export_flag") == "Y")
        .collect();
    if marked.is_empty() {
        t.rows.iter().collect()
    } else {
        marked
    }
}

fn read_calendars(tables: &Tables, cx: &mut Cx) -> BTreeMap<String, Calendar> {
    let mut out = BTreeMap::new();
    let Some(t) = tables.get("CALENDAR") else {
        return out;
    };
    if !cx.require(t, "clndr_id") {
        return out;
    }
    for row in &t.rows {
        let id = t.get(row, "clndr_id").to_string();
        let data = t.get(row, "clndr_data");
        let (week_hours, exceptions) = if data.is_empty() {
            ([8.0, 8.0, 8.0, 8.0, 8.0, 0.0, 0.0], BTreeMap::new())
        } else {
            match parse_calendar_data(data) {
                Ok(c) => c,
                Err(why) => {
                    cx.problem(
                        t,
                        row,
                        "clndr_data",
                        format!("the calendar's data cannot be read: {why}"),
                        HELP_EXPORT,
                    );
                    continue;
                }
            }
        };
        let day_hr_cnt = cx.number(t, row, "day_hr_cnt", 24.0);
        let hours = shared_hours(data);
        out.insert(
            id.clone(),
            Calendar {
                name: match t.get(row, "clndr_name") {
                    "" => id.clone(),
                    n => n.to_string(),
                },
                id,
                week_hours,
                exceptions,
                day_hr_cnt,
                default: t.get(row, "default_flag") == "Y",
                hours,
            },
        );
    }
    out
}

/// One record of P6's calendar notation: `(0||name(attr|value|…)(children…))`.
#[derive(Debug, Default)]
struct Record {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Record>,
}

impl Record {
    fn child(&self, name: &str) -> Option<&Record> {
        self.children.iter().find(|c| c.name == name)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Hours of the shifts (`s|08:00|f|12:00`) among the children.
    fn shift_hours(&self) -> Result<f64, String> {
        let mut hours = 0.0;
        for shift in &self.children {
            let minutes = |key: &str| -> Result<f64, String> {
                let text = shift.attr(key).ok_or(format!("a shift without {key}"))?;
                let (h, m) = text
                    .split_once(':')
                    .ok_or(format!("\"{text}\" is not a time"))?;
                let h: f64 = h
                    .trim()
                    .parse()
                    .map_err(|_| format!("\"{text}\" is not a time"))?;
                let m: f64 = m
                    .trim()
                    .parse()
                    .map_err(|_| format!("\"{text}\" is not a time"))?;
                if !(0.0..=24.0).contains(&h) || !(0.0..60.0).contains(&m) {
                    return Err(format!("\"{text}\" is not a time"));
                }
                Ok(h * 60.0 + m)
            };
            let (s, f) = (minutes("s")?, minutes("f")?);
            // A shift ending at 00:00 ends at midnight.
            let f = if f <= s && f == 0.0 { 1440.0 } else { f };
            hours += (f - s).max(0.0) / 60.0;
        }
        Ok(hours.min(24.0))
    }
}

/// The shifts (`s|08:00|f|12:00`) that every weekday with shifts in `clndr_data` shares, as the
/// model's working hours; `None` when the days differ or the data does not parse (that is
/// reported where the hours are read).
fn shared_hours(data: &str) -> Option<WorkingHours> {
    let chars: Vec<char> = data.chars().collect();
    let root = parse_record(&chars, &mut 0, 0).ok()?;
    let clock = |text: &str| -> Option<u32> {
        let (h, m) = text.split_once(':')?;
        let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
        (h <= 24 && m < 60).then_some(h * 60 + m)
    };
    let days: Vec<Vec<(u32, u32)>> = root
        .child("DaysOfWeek")?
        .children
        .iter()
        .map(|day| {
            day.children
                .iter()
                .filter_map(|s| {
                    let (from, to) = (clock(s.attr("s")?)?, clock(s.attr("f")?)?);
                    // A shift ending at 00:00 ends at midnight.
                    Some((from, if to == 0 { 1440 } else { to }))
                })
                .collect::<Vec<_>>()
        })
        .filter(|shifts| !shifts.is_empty())
        .map(|mut shifts| {
            shifts.sort_unstable();
            shifts
        })
        .collect();
    let first = days.first()?;
    if days.iter().any(|d| d != first) {
        return None;
    }
    WorkingHours::from_minutes(first)
}

/// Parses `clndr_data` into hours per weekday (Monday = 0) and exceptions by date.
fn parse_calendar_data(data: &str) -> Result<([f64; 7], BTreeMap<Date, f64>), String> {
    let chars: Vec<char> = data.chars().collect();
    let mut pos = 0;
    let root = parse_record(&chars, &mut pos, 0)?;
    let mut week = [0.0; 7];
    let days = root.child("DaysOfWeek").ok_or("no DaysOfWeek record")?;
    for day in &days.children {
        let n: usize = day
            .name
            .parse()
            .ok()
            .filter(|n| (1..=7).contains(n))
            .ok_or(format!("a weekday numbered \"{}\"", day.name))?;
        // P6 counts from Sunday = 1; the model from Monday = 0.
        week[(n + 5) % 7] = day.shift_hours()?;
    }
    let mut exceptions = BTreeMap::new();
    for ex in root
        .child("Exceptions")
        .map_or(&[][..], |e| &e.children[..])
    {
        let serial: i64 = ex
            .attr("d")
            .and_then(|d| d.trim().parse().ok())
            .ok_or("an exception without a date (d|…)")?;
        exceptions.insert(excel_date(serial)?, ex.shift_hours()?);
    }
    Ok((week, exceptions))
}

/// A P6 exception date: days since 1899-12-30.
fn excel_date(serial: i64) -> Result<Date, String> {
    let epoch = jiff::civil::date(1899, 12, 30);
    let date = (0..=3_300_000)
        .contains(&serial)
        .then(|| epoch.checked_add(jiff::Span::new().days(serial)).ok())
        .flatten()
        .filter(|d| (FIRST_DATE..=LAST_DATE).contains(d));
    date.ok_or(format!(
        "exception date {serial} is outside the dates plan handles"
    ))
}

fn skip_blank(chars: &[char], pos: &mut usize) {
    while *pos < chars.len() && (chars[*pos].is_whitespace() || chars[*pos].is_control()) {
        *pos += 1;
    }
}

fn expect(chars: &[char], pos: &mut usize, c: char) -> Result<(), String> {
    skip_blank(chars, pos);
    if chars.get(*pos) == Some(&c) {
        *pos += 1;
        Ok(())
    } else {
        Err(format!(
            "expected '{c}' at character {}",
            (*pos + 1).min(chars.len())
        ))
    }
}

fn parse_record(chars: &[char], pos: &mut usize, depth: usize) -> Result<Record, String> {
    if depth > MAX_CALENDAR_DEPTH {
        return Err(format!(
            "records nested more than {MAX_CALENDAR_DEPTH} deep"
        ));
    }
    expect(chars, pos, '(')?;
    while *pos < chars.len() && chars[*pos].is_ascii_digit() {
        *pos += 1;
    }
    expect(chars, pos, '|')?;
    expect(chars, pos, '|')?;
    let start = *pos;
    while *pos < chars.len() && chars[*pos] != '(' {
        *pos += 1;
    }
    let name: String = chars[start..*pos]
        .iter()
        .collect::<String>()
        .trim()
        .to_string();
    expect(chars, pos, '(')?;
    let start = *pos;
    while *pos < chars.len() && chars[*pos] != ')' {
        *pos += 1;
    }
    let attr_text: String = chars[start..*pos].iter().collect();
    expect(chars, pos, ')')?;
    let parts: Vec<&str> = attr_text.split('|').collect();
    let attrs = parts
        .chunks(2)
        .filter(|p| p.len() == 2)
        .map(|p| (p[0].trim().to_string(), p[1].trim().to_string()))
        .collect();
    expect(chars, pos, '(')?;
    let mut children = Vec::new();
    loop {
        skip_blank(chars, pos);
        match chars.get(*pos) {
            Some(')') => {
                *pos += 1;
                break;
            }
            Some('(') => children.push(parse_record(chars, pos, depth + 1)?),
            _ => return Err(format!("expected '(' or ')' at character {}", *pos + 1)),
        }
    }
    expect(chars, pos, ')')?;
    Ok(Record {
        name,
        attrs,
        children,
    })
}

fn read_activities(t: &Table, project: &str, cx: &mut Cx) -> Vec<Activity> {
    let mut out = Vec::new();
    if !(cx.require(t, "task_id") & cx.require(t, "proj_id")) {
        return out;
    }
    for row in t.rows.iter().filter(|r| t.get(r, "proj_id") == project) {
        if out.len() == MAX_ACTIVITIES {
            cx.problem(
                t,
                row,
                "task_id",
                format!("more than {MAX_ACTIVITIES} activities in one project"),
                &format!("plan imports at most {MAX_ACTIVITIES} activities; split the project"),
            );
            break;
        }
        let constraint = |cx: &mut Cx, kind: &str, date: &str| {
            let code = t.get(row, kind);
            if code.is_empty() {
                return None;
            }
            let kind = cx.code(
                t,
                row,
                kind,
                ConstraintKind::parse,
                "CS_MSOA, CS_MSOB, CS_MEOA, CS_MEOB, CS_MSO, CS_MEO, CS_MANDSTART, CS_MANDFIN, CS_ALAP",
            )?;
            Some(Constraint {
                kind,
                date: cx.date_time(t, row, date),
            })
        };
        out.push(Activity {
            id: t.get(row, "task_id").to_string(),
            code: t.get(row, "task_code").to_string(),
            name: t.get(row, "task_name").to_string(),
            wbs: t.get(row, "wbs_id").to_string(),
            calendar: t.get(row, "clndr_id").to_string(),
            kind: cx
                .code(
                    t,
                    row,
                    "task_type",
                    ActivityKind::parse,
                    "TT_Task, TT_Rsrc, TT_Mile, TT_FinMile, TT_LOE, TT_WBS",
                )
                .unwrap_or(ActivityKind::Task),
            status: cx
                .code(
                    t,
                    row,
                    "status_code",
                    Status::parse,
                    "TK_NotStart, TK_Active, TK_Complete",
                )
                .unwrap_or(Status::NotStarted),
            target_hours: cx.hours(t, row, "target_drtn_hr_cnt", false).unwrap_or(0.0),
            remaining_hours: cx.hours(t, row, "remain_drtn_hr_cnt", false),
            percent: cx.number(t, row, "phys_complete_pct", 100.0),
            constraint: constraint(cx, "cstr_type", "cstr_date"),
            constraint2: constraint(cx, "cstr_type2", "cstr_date2"),
            actual_start: cx.date_time(t, row, "act_start_date"),
            actual_finish: cx.date_time(t, row, "act_end_date"),
            early_start: cx.date_time(t, row, "early_start_date"),
            early_finish: cx.date_time(t, row, "early_end_date"),
            offset: row.offset,
        });
    }
    out
}

fn read_relationships(tables: &Tables, project: &str, cx: &mut Cx) -> Vec<Relationship> {
    let Some(t) = tables.get("TASKPRED") else {
        return Vec::new();
    };
    if !(cx.require(t, "task_id") & cx.require(t, "pred_task_id")) {
        return Vec::new();
    }
    let in_project = |r: &Row| {
        let p = t.get(r, "proj_id");
        p.is_empty() || p == project
    };
    t.rows
        .iter()
        .filter(|r| in_project(r))
        .filter_map(|row| {
            let kind = cx.code(
                t,
                row,
                "pred_type",
                |c| match c {
                    "" | "PR_FS" => Some(LinkType::FS),
                    "PR_SS" => Some(LinkType::SS),
                    "PR_FF" => Some(LinkType::FF),
                    "PR_SF" => Some(LinkType::SF),
                    _ => None,
                },
                "PR_FS, PR_SS, PR_FF, PR_SF",
            )?;
            let pred_project = t.get(row, "pred_proj_id");
            Some(Relationship {
                successor: t.get(row, "task_id").to_string(),
                predecessor: t.get(row, "pred_task_id").to_string(),
                kind,
                lag_hours: cx.hours(t, row, "lag_hr_cnt", true).unwrap_or(0.0),
                external: !pred_project.is_empty() && pred_project != project,
                offset: row.offset,
            })
        })
        .collect()
}

fn read_resources(tables: &Tables, cx: &mut Cx) -> Vec<Resource> {
    let Some(t) = tables.get("RSRC") else {
        return Vec::new();
    };
    if !cx.require(t, "rsrc_id") {
        return Vec::new();
    }
    let mut rates: BTreeMap<String, (Option<f64>, Option<f64>)> = BTreeMap::new();
    if let Some(r) = tables.get("RSRCRATE") {
        for row in &r.rows {
            let units = cx.number(r, row, "max_qty_per_hr", f64::from(MAX_PEOPLE));
            let cost = cx.number(r, row, "cost_per_qty", MAX_COST / 24.0);
            let entry = rates.entry(r.get(row, "rsrc_id").to_string()).or_default();
            // The most units any period gives, and the first rate.
            entry.0 = match (entry.0, units) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            entry.1 = entry.1.or(cost);
        }
    }
    t.rows
        .iter()
        .map(|row| {
            let id = t.get(row, "rsrc_id").to_string();
            let (max_units, cost_per_hour) = rates.get(&id).copied().unwrap_or_default();
            Resource {
                short_name: t.get(row, "rsrc_short_name").to_string(),
                name: t.get(row, "rsrc_name").to_string(),
                kind: t.get(row, "rsrc_type").to_string(),
                calendar: t.get(row, "clndr_id").to_string(),
                id,
                max_units,
                cost_per_hour,
            }
        })
        .collect()
}

fn read_assignments(tables: &Tables, project: &str, cx: &mut Cx) -> Vec<Assignment> {
    let Some(t) = tables.get("TASKRSRC") else {
        return Vec::new();
    };
    if !(cx.require(t, "task_id") & cx.require(t, "rsrc_id")) {
        return Vec::new();
    }
    let people = f64::from(MAX_PEOPLE);
    t.rows
        .iter()
        .filter(|r| {
            let p = t.get(r, "proj_id");
            p.is_empty() || p == project
        })
        .map(|row| Assignment {
            task: t.get(row, "task_id").to_string(),
            resource: t.get(row, "rsrc_id").to_string(),
            units: cx
                .number(t, row, "remain_qty_per_hr", people)
                .filter(|&u| u > 0.0)
                .or_else(|| cx.number(t, row, "target_qty_per_hr", people)),
            offset: row.offset,
        })
        .collect()
}

fn lag_calendar(tables: &Tables, project: &str) -> LagCalendar {
    let Some(t) = tables.get("SCHEDOPTIONS") else {
        return LagCalendar::default();
    };
    let row = t
        .rows
        .iter()
        .find(|r| t.get(r, "proj_id") == project)
        .or(t.rows.first());
    match row.map(|r| t.get(r, "sched_calendar_on_relationship_lag")) {
        Some("rcal_Successor") => LagCalendar::Successor,
        Some("rcal_ProjDefault") => LagCalendar::ProjectDefault,
        Some("rcal_24Hour") => LagCalendar::TwentyFourHour,
        _ => LagCalendar::Predecessor,
    }
}

// ---------------------------------------------------------------------------------------------
// Mapping to the model.

/// A phase for each top-level WBS node; each node's phase id.
struct Phases {
    list: Vec<(String, String)>,
    of_wbs: BTreeMap<String, String>,
}

fn phases(tables: &Tables, project: &str, notes: &mut Vec<String>) -> Phases {
    let mut out = Phases {
        list: Vec::new(),
        of_wbs: BTreeMap::new(),
    };
    let Some(t) = tables.get("PROJWBS") else {
        return out;
    };
    let rows: Vec<&Row> = t
        .rows
        .iter()
        .filter(|r| t.get(r, "proj_id") == project || t.get(r, "proj_id").is_empty())
        .collect();
    let parent: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| (t.get(r, "wbs_id"), t.get(r, "parent_wbs_id")))
        .collect();
    let is_root = |r: &Row| t.get(r, "proj_node_flag") == "Y";
    let roots: BTreeSet<&str> = rows
        .iter()
        .filter(|r| is_root(r))
        .map(|r| t.get(r, "wbs_id"))
        .collect();
    let top = |id| top_level(&parent, &roots, id);
    let mut seen = BTreeSet::new();
    for r in rows.iter().filter(|r| !is_root(r)) {
        let wbs = t.get(r, "wbs_id");
        let Some((top_id, depth)) = top(wbs) else {
            notes.push(format!(
                "WBS \"{}\": its parents form a cycle; its activities get no phase",
                t.get(r, "wbs_name")
            ));
            continue;
        };
        let Some(top_row) = rows.iter().find(|x| t.get(x, "wbs_id") == top_id) else {
            continue;
        };
        let short = t.get(top_row, "wbs_short_name");
        let wanted = if is_id(short) {
            short.to_string()
        } else {
            // The WBS id is P6's number, but a file may hold anything there.
            let safe: String = top_id
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            format!("W{safe}")
        };
        let phase_id = match out.of_wbs.get(top_id) {
            Some(p) => p.clone(),
            None => {
                let mut id = wanted.clone();
                let mut k = 2;
                while seen.contains(&id) {
                    id = format!("{wanted}-{k}");
                    k += 1;
                }
                seen.insert(id.clone());
                let name = match t.get(top_row, "wbs_name") {
                    "" => id.clone(),
                    n => n.to_string(),
                };
                out.list.push((id.clone(), name));
                out.of_wbs.insert(top_id.to_string(), id.clone());
                id
            }
        };
        if depth > 1 {
            notes.push(format!(
                "WBS \"{}\" (level {depth}): its activities are put in the level-1 phase \"{phase_id}\"",
                t.get(r, "wbs_name")
            ));
        }
        out.of_wbs.insert(wbs.to_string(), phase_id);
    }
    out
}

/// A WBS node's top-level ancestor (the node below the project's root, or one without a
/// parent) and the node's depth under it; `None` when its parents form a cycle.
fn top_level<'t>(
    parent: &BTreeMap<&'t str, &'t str>,
    roots: &BTreeSet<&str>,
    mut id: &'t str,
) -> Option<(&'t str, usize)> {
    let mut depth = 1;
    for _ in 0..=parent.len() {
        match parent.get(id) {
            Some(&p) if !roots.contains(p) && parent.contains_key(p) => {
                id = p;
                depth += 1;
            }
            _ => return Some((id, depth)),
        }
    }
    None
}

/// Each calendar with other working days (weekdays, holidays or extra working days) than the
/// project's as a `[calendars.<id>]`, with its id by `clndr_id`: ids from the names, made
/// unique. Calendars on the project's days need none (their hours still convert durations).
fn named_calendars(
    calendars: &BTreeMap<String, Calendar>,
    project: &Calendar,
) -> (BTreeMap<String, String>, Vec<CalendarDraft>) {
    let mut ids = BTreeMap::new();
    let mut drafts: Vec<CalendarDraft> = Vec::new();
    // Other hours on the project's days are a calendar of its own too: the schedule counts
    // the same days, and the MSPDI export writes its hours.
    let own_hours = |c: &Calendar| {
        c.hours.is_some()
            && c.hours.clone().unwrap_or_default() != project.hours.clone().unwrap_or_default()
    };
    for c in calendars
        .values()
        .filter(|c| !c.same_days_as(project) || own_hours(c))
    {
        let wanted = slug(if c.name.is_empty() { &c.id } else { &c.name });
        let mut id = wanted.clone();
        let mut k = 2;
        while drafts.iter().any(|d| d.id == id) {
            id = format!("{wanted}-{k}");
            k += 1;
        }
        ids.insert(c.id.clone(), id.clone());
        drafts.push(CalendarDraft {
            id,
            name: c.name.clone(),
            workdays: c.workdays(),
            holidays: c.holidays(),
            extra_workdays: c.extra_workdays(),
            hours: c
                .hours
                .clone()
                .filter(|h| *h != project.hours.clone().unwrap_or_default()),
        });
    }
    (ids, drafts)
}

fn activity_label(a: &Activity) -> String {
    format!("activity {} \"{}\"", a.code, a.name)
}

/// An id for each activity: its code when it is a valid id not taken, else `A<task_id>`, else
/// one by position.
fn activity_ids(activities: &[Activity], notes: &mut Vec<String>) -> BTreeMap<String, String> {
    let mut seen = BTreeSet::new();
    let mut out = BTreeMap::new();
    for (k, a) in activities.iter().enumerate() {
        let candidates = [a.code.clone(), format!("A{}", a.id)]
            .into_iter()
            .chain((k..).map(|n| format!("A_{}", n + 1)));
        let id = candidates
            .into_iter()
            .find(|c| is_id(c) && !seen.contains(c))
            .unwrap_or_default();
        if id != a.code {
            notes.push(format!(
                "{}: its code is taken or not a valid id; using {id}",
                activity_label(a)
            ));
        }
        seen.insert(id.clone());
        out.insert(a.id.clone(), id);
    }
    out
}

/// The text of an XER file that is not UTF-8: P6 writes the Windows code page by default
/// (Windows-1252 in western locales), in which every byte is a character.
pub fn decode_windows_1252(bytes: &[u8]) -> String {
    encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()
}

/// Reads a P6 XER file into a model draft.
pub fn import(text: &str, file: &Path) -> Result<XerImport, Diagnostics> {
    let tables = read_tables(text, file)?;
    let mut cx = Cx {
        lines: LineIndex::new(text),
        file,
        diags: Diagnostics::default(),
    };
    let mut notes = Vec::new();
    let Some(project_table) = tables.get("PROJECT") else {
        return Err(missing_table(file, "PROJECT").into());
    };
    let Some(task_table) = tables.get("TASK") else {
        return Err(missing_table(file, "TASK").into());
    };
    let chosen = projects(project_table);
    let Some(&project_row) = chosen.first() else {
        return Err(
            Diagnostic::new(file, "PROJECT", "the PROJECT table has no rows")
                .at(Some((project_table.line, 1)))
                .help(HELP_EXPORT)
                .into(),
        );
    };
    for other in chosen.iter().skip(1) {
        notes.push(format!(
            "project \"{}\" is not imported: plan imports one project per file (the first, \"{}\")",
            project_table.get(other, "proj_short_name"),
            project_table.get(project_row, "proj_short_name")
        ));
    }
    let project = project_table.get(project_row, "proj_id").to_string();
    let dates = start_and_status_date(project_table, project_row, &mut cx);
    let start = dates.map(|(start, _)| start);
    let status = dates.map(|(_, status)| status);
    let calendars = read_calendars(&tables, &mut cx);
    let project_calendar = project_calendar(
        &calendars,
        project_table.get(project_row, "clndr_id"),
        &mut notes,
    );
    check_works_some_weekday(&tables, &project_calendar, &mut cx);
    let activities = read_activities(task_table, &project, &mut cx);
    let relationships = read_relationships(&tables, &project, &mut cx);
    let resources = read_resources(&tables, &mut cx);
    let assignments = read_assignments(&tables, &project, &mut cx);
    let lag_calendar = lag_calendar(&tables, &project);
    let phases = phases(&tables, &project, &mut notes);
    if !cx.diags.0.is_empty() {
        return Err(cx.diags);
    }
    let name = match project_table.get(project_row, "proj_short_name") {
        "" => "Imported project".to_string(),
        n => n.to_string(),
    };
    let mut draft = ModelDraft {
        source: format!(
            "Imported from {} (Primavera P6 XER) by `plan import`.",
            file.display()
        ),
        name,
        start: start.unwrap_or(FIRST_DATE),
        workdays: project_calendar.workdays(),
        holidays: project_calendar.holidays(),
        extra_workdays: project_calendar.extra_workdays(),
        hours: project_calendar
            .hours
            .clone()
            .filter(|h| *h != WorkingHours::default()),
        calendars: Vec::new(),
        roles: Vec::new(),
        phases: phases.list.clone(),
        tasks: Vec::new(),
        status_date: status,
    };
    let (named, calendar_drafts) = named_calendars(&calendars, &project_calendar);
    let ids = activity_ids(&activities, &mut notes);
    let mut origins = Origins::default();
    let map = Mapping {
        calendars: &calendars,
        project_calendar: &project_calendar,
        named: &named,
        ids: &ids,
        phases: &phases,
        activities: first_by_id(&activities),
        lag_calendar,
        start: start.unwrap_or(FIRST_DATE),
        status: status.or(start).unwrap_or(FIRST_DATE),
    };
    for a in &activities {
        if let Some(task) = map.task(a, &mut notes, &mut cx) {
            origins.insert(task.id.clone(), a.offset);
            draft.tasks.push(task);
        }
    }
    map.links(
        &relationships,
        &mut draft,
        &mut origins,
        &mut notes,
        &mut cx,
    );
    map_resources(
        &resources,
        &assignments,
        &map,
        &mut draft,
        &mut notes,
        &mut cx,
    );
    let used: BTreeSet<&String> = draft
        .tasks
        .iter()
        .filter_map(|t| t.calendar.as_ref())
        .chain(draft.roles.iter().filter_map(|r| r.calendar.as_ref()))
        .collect();
    draft.calendars = calendar_drafts
        .into_iter()
        .filter(|c| used.contains(&c.id))
        .collect();
    if !cx.diags.0.is_empty() {
        return Err(cx.diags);
    }
    Ok(XerImport {
        draft,
        notes: notes
            .iter()
            .map(|n| escape_controls(n).into_owned())
            .collect(),
        origins,
        calendars: calendars.len(),
    })
}

fn missing_table(file: &Path, name: &str) -> Diagnostic {
    Diagnostic::new(file, name, format!("the file has no {name} table"))
        .at(Some((1, 1)))
        .help("export the whole project from P6 (File > Export > Primavera PM - (XER))")
}

/// The model's start and status date: the project's planned start (`plan_start_date`) and
/// its data date (`last_recalc_date`, the date P6 schedules from); either one alone is both.
fn start_and_status_date(t: &Table, row: &Row, cx: &mut Cx) -> Option<(Date, Date)> {
    let data_date = cx.date_time(t, row, "last_recalc_date");
    let planned = cx.date_time(t, row, "plan_start_date");
    match (data_date, planned) {
        (Some(d), Some(p)) => {
            let (start, status) = (p.date().min(d.date()), d.date().max(p.date()));
            // The model counts at most 10,000 working days from its start, and a working day
            // is a calendar day at most.
            let days = (status - start).get_days();
            if days > MAX_DAYS as i32 {
                cx.problem(
                    t,
                    row,
                    "last_recalc_date",
                    format!(
                        "the data date {} and the planned start {} are {days} days apart, more than the model's {MAX_DAYS} working days",
                        d.date(),
                        p.date()
                    ),
                    "check the project's data date and planned start in P6 and export it again",
                );
                return None;
            }
            Some((start, status))
        }
        (Some(d), None) | (None, Some(d)) => Some((d.date(), d.date())),
        (None, None) => {
            cx.problem(
                t,
                row,
                "last_recalc_date",
                "the project has neither a data date (last_recalc_date) nor a planned start (plan_start_date)".into(),
                "schedule the project in P6 (F9) and export it again",
            );
            None
        }
    }
}

/// The project's calendar, else the default one, else Monday to Friday, 8 hours.
fn project_calendar(
    calendars: &BTreeMap<String, Calendar>,
    id: &str,
    notes: &mut Vec<String>,
) -> Calendar {
    if let Some(c) = calendars.get(id) {
        return c.clone();
    }
    if let Some(c) = calendars.values().find(|c| c.default) {
        return c.clone();
    }
    notes.push(
        "the project's calendar is not in the file: Monday to Friday, 8 hours a day, no holidays"
            .into(),
    );
    Calendar {
        id: String::new(),
        name: "standard".into(),
        week_hours: [8.0, 8.0, 8.0, 8.0, 8.0, 0.0, 0.0],
        exceptions: BTreeMap::new(),
        day_hr_cnt: None,
        default: true,
        hours: None,
    }
}

/// The project's calendar becomes the model's, which must work on some weekday: one whose
/// every weekday has no shift is an error at its `clndr_data`.
fn check_works_some_weekday(tables: &Tables, calendar: &Calendar, cx: &mut Cx) {
    if calendar.workdays().contains(&true) {
        return;
    }
    let Some(t) = tables.get("CALENDAR") else {
        return;
    };
    if let Some(row) = t.rows.iter().find(|r| t.get(r, "clndr_id") == calendar.id) {
        cx.problem(
            t,
            row,
            "clndr_data",
            format!(
                "the project's calendar \"{}\" has no working weekday: nothing could be scheduled",
                escape_controls(&calendar.name)
            ),
            "give the calendar's working weekdays their shifts in P6, then export the file again",
        );
    }
}

/// Activities by `task_id`, the first of any that share one.
fn first_by_id(activities: &[Activity]) -> BTreeMap<&str, &Activity> {
    let mut by_id = BTreeMap::new();
    for a in activities {
        by_id.entry(a.id.as_str()).or_insert(a);
    }
    by_id
}

/// What mapping activities, links and assignments looks up.
struct Mapping<'m> {
    calendars: &'m BTreeMap<String, Calendar>,
    project_calendar: &'m Calendar,
    /// The model's id of each calendar with other working days than the project's.
    named: &'m BTreeMap<String, String>,
    ids: &'m BTreeMap<String, String>,
    phases: &'m Phases,
    /// Activities by `task_id`: a relationship looks up two, and a file may hold 100,000
    /// activities and more relationships.
    activities: BTreeMap<&'m str, &'m Activity>,
    lag_calendar: LagCalendar,
    /// The model's start.
    start: Date,
    /// The data date: the model's status date.
    status: Date,
}

impl Mapping<'_> {
    fn calendar_of(&self, a: &Activity) -> &Calendar {
        self.calendars
            .get(&a.calendar)
            .unwrap_or(self.project_calendar)
    }

    fn activity(&self, task_id: &str) -> Option<&Activity> {
        self.activities.get(task_id).copied()
    }

    /// An activity as a task or milestone; WBS summaries are left out with a note.
    fn task(&self, a: &Activity, notes: &mut Vec<String>, cx: &mut Cx) -> Option<TaskDraft> {
        let who = activity_label(a);
        match a.kind {
            ActivityKind::WbsSummary => {
                notes.push(format!(
                    "{who}: WBS summary activities are not imported (their WBS is a phase)"
                ));
                return None;
            }
            ActivityKind::LevelOfEffort => notes.push(format!(
                "{who}: level of effort imported as a fixed-duration task of its remaining duration"
            )),
            _ => {}
        }
        if !a.calendar.is_empty() && !self.calendars.contains_key(&a.calendar) {
            notes.push(format!(
                "{who}: calendar {} is not in the file; its hours are counted on the project's",
                a.calendar
            ));
        }
        let calendar = self.calendar_of(a);
        let hours_per_day = calendar.day_hours();
        let hours = match a.status {
            Status::Complete => a.target_hours,
            _ => a.remaining_hours.unwrap_or(a.target_hours),
        };
        let duration = round3(hours / hours_per_day);
        if duration > MAX_DAYS {
            cx.diags.push(
                Diagnostic::new(
                    cx.file,
                    format!("TASK \"{}\".remain_drtn_hr_cnt", escape_controls(&a.code)),
                    format!(
                        "{hours} hours on a {hours_per_day}-hour day is more than the limit of {MAX_DAYS} working days"
                    ),
                )
                .at(Some(cx.lines.line_col(a.offset)))
                .help(format!("give at most {MAX_DAYS} working days")),
            );
            return None;
        }
        let milestone = a.kind.is_milestone();
        if a.status == Status::Active && a.remaining_hours.is_none() {
            notes.push(format!(
                "{who}: in progress without a remaining duration; imported with its planned duration"
            ));
        }
        Some(TaskDraft {
            id: self.ids.get(&a.id).cloned().unwrap_or_default(),
            name: if a.name.is_empty() {
                a.code.clone()
            } else {
                a.name.clone()
            },
            phase: if milestone {
                None
            } else {
                self.phases.of_wbs.get(&a.wbs).cloned()
            },
            after: Vec::new(),
            duration: if milestone { 0.0 } else { duration },
            demand: Vec::new(),
            done: if a.status == Status::Complete {
                1.0
            } else {
                0.0
            },
            milestone,
            due: milestone_due(a),
            estimate: None,
            status: Some(a.status.words().to_string()),
            dates: activity_dates(a, self.start, self.status, notes),
            calendar: if milestone {
                None
            } else {
                self.named.get(&a.calendar).cloned()
            },
        })
    }

    /// Relationships as `after` entries, lags in working days of the lag calendar.
    fn links(
        &self,
        relationships: &[Relationship],
        draft: &mut ModelDraft,
        origins: &mut Origins,
        notes: &mut Vec<String>,
        cx: &mut Cx,
    ) {
        let index: BTreeMap<&str, usize> = draft
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let mut added = Vec::new();
        for r in relationships {
            let (Some(succ), pred) = (self.activity(&r.successor), self.activity(&r.predecessor))
            else {
                continue; // the successor is in another project
            };
            let who = activity_label(succ);
            if r.external {
                notes.push(format!(
                    "{who}: the link from activity {} of another project is not imported",
                    r.predecessor
                ));
                continue;
            }
            let Some(pred) = pred else {
                notes.push(format!(
                    "{who}: the link from unknown activity {} is not imported",
                    r.predecessor
                ));
                continue;
            };
            let (Some(&s), Some(&p)) = (
                self.ids.get(&succ.id).and_then(|id| index.get(id.as_str())),
                self.ids.get(&pred.id).and_then(|id| index.get(id.as_str())),
            ) else {
                notes.push(format!(
                    "{who}: the link from {} is not imported (a WBS summary is not imported)",
                    activity_label(pred)
                ));
                continue;
            };
            let lag = self.lag_days(r, pred, succ, notes);
            if lag.abs() > MAX_DAYS {
                cx.diags.push(
                    Diagnostic::new(
                        cx.file,
                        "TASKPRED.lag_hr_cnt",
                        format!("a lag of {lag:.0} working days is beyond the limit of {MAX_DAYS}"),
                    )
                    .at(Some(cx.lines.line_col(r.offset)))
                    .help(format!("give a lag of at most {MAX_DAYS} working days")),
                );
                continue;
            }
            added.push((s, draft.tasks[p].id.clone(), r.kind, lag, r.offset));
        }
        for (s, pred, kind, lag, offset) in added {
            origins.insert_link(&draft.tasks[s].id, &pred, offset);
            draft.tasks[s].after.push((pred, kind, lag));
        }
    }

    /// A lag in hours as working days of the calendar P6 counts it on.
    fn lag_days(
        &self,
        r: &Relationship,
        pred: &Activity,
        succ: &Activity,
        notes: &mut Vec<String>,
    ) -> f64 {
        let hours = match self.lag_calendar {
            LagCalendar::Predecessor => self.calendar_of(pred).day_hours(),
            LagCalendar::Successor => self.calendar_of(succ).day_hours(),
            LagCalendar::ProjectDefault => self.project_calendar.day_hours(),
            LagCalendar::TwentyFourHour => {
                let days = r.lag_hours / 24.0 * 5.0 / 7.0;
                if r.lag_hours != 0.0 {
                    notes.push(format!(
                        "link {} → {}: a lag on the 24-hour calendar is approximated as {days:.3} working days (5 in every 7 days)",
                        pred.code, succ.code
                    ));
                }
                return round3(days);
            }
        };
        round3(r.lag_hours / hours)
    }
}

/// A milestone's "finish (or start) on or before" date is the date it is promised for.
/// The activity's date constraint (the first one the model can say; a milestone's "finish on
/// or before" is its `due` instead) and its actual dates, each dropped with a note where the
/// model could not hold it: before the project start, or an actual date after the data date.
fn activity_dates(a: &Activity, start: Date, status: Date, notes: &mut Vec<String>) -> DraftDates {
    let who = activity_label(a);
    let due = milestone_due(a);
    let mut constraint = None;
    for c in [a.constraint, a.constraint2].into_iter().flatten() {
        let date = c.date.map(|d| d.date());
        let key = c.kind.model_key();
        match (key, date) {
            (None, _) => notes.push(format!(
                "{who}: \"as late as possible\" has no equivalent; scheduled as soon as possible"
            )),
            (Some(_), None) => {
                notes.push(format!("{who}: a constraint with no date is not imported"))
            }
            (Some(_), Some(d)) if due == Some(d) && a.kind.is_milestone() => {}
            (Some(key), Some(d)) if d < start => notes.push(format!(
                "{who}: {key} {d} is before the project start and is not imported"
            )),
            // The model refuses a constraint over 10,000 working days out; a working day is a
            // calendar day at most, so this never keeps one the model would refuse.
            (Some(key), Some(d)) if (d - start).get_days() > MAX_DAYS as i32 => notes.push(format!(
                "{who}: {key} {d} is more than {MAX_DAYS} days after the project start and is not imported"
            )),
            (Some(key), Some(d)) if constraint.is_some() => notes.push(format!(
                "{who}: {key} {d} is not imported: the model holds one date constraint per task"
            )),
            (Some(_), Some(d)) => constraint = model_constraint(c.kind).map(|k| (k, d)),
        }
    }
    let mut actual = |what: &str, date: Option<DateTime>| match date.map(|d| d.date()) {
        Some(d) if d < start || d > status => {
            notes.push(format!(
                "{who}: {what} {d} is outside the project start to the data date and is not imported"
            ));
            None
        }
        other => other,
    };
    let actual_start = actual("actual start", a.actual_start);
    let actual_finish = actual("actual finish", a.actual_finish)
        .filter(|&f| actual_start.is_some_and(|s| f >= s) && a.status == Status::Complete);
    DraftDates {
        constraint,
        deadline: None,
        actual_start,
        actual_finish,
    }
}

/// The model's constraint for a P6 constraint type (none for as late as possible).
fn model_constraint(kind: ConstraintKind) -> Option<crate::model::ConstraintKind> {
    use crate::model::ConstraintKind as Model;
    Some(match kind {
        ConstraintKind::StartOnOrAfter => Model::StartNoEarlier,
        ConstraintKind::StartOnOrBefore => Model::StartNoLater,
        ConstraintKind::FinishOnOrAfter => Model::FinishNoEarlier,
        ConstraintKind::FinishOnOrBefore => Model::FinishNoLater,
        ConstraintKind::StartOn | ConstraintKind::MandatoryStart => Model::MustStartOn,
        ConstraintKind::FinishOn | ConstraintKind::MandatoryFinish => Model::MustFinishOn,
        ConstraintKind::AsLateAsPossible => return None,
    })
}

fn milestone_due(a: &Activity) -> Option<Date> {
    if !a.kind.is_milestone() {
        return None;
    }
    [a.constraint, a.constraint2]
        .into_iter()
        .flatten()
        .find(|c| {
            matches!(
                c.kind,
                ConstraintKind::FinishOnOrBefore | ConstraintKind::StartOnOrBefore
            )
        })
        .and_then(|c| c.date)
        .map(|d| d.date())
}

/// Labor and equipment resources become roles, assignments demand in whole people.
fn map_resources(
    resources: &[Resource],
    assignments: &[Assignment],
    map: &Mapping,
    draft: &mut ModelDraft,
    notes: &mut Vec<String>,
    cx: &mut Cx,
) {
    let mut role_of: BTreeMap<&str, usize> = BTreeMap::new();
    for r in resources {
        let name = if r.name.is_empty() {
            &r.short_name
        } else {
            &r.name
        };
        if r.kind == "RT_Mat" {
            notes.push(format!(
                "resource \"{name}\": material resources are not imported"
            ));
            continue;
        }
        let wanted = if is_id(&r.short_name) {
            r.short_name.clone()
        } else {
            slug(name)
        };
        let mut id = wanted.clone();
        let mut k = 2;
        while draft.roles.iter().any(|x| x.id == id) {
            id = format!("{wanted}-{k}");
            k += 1;
        }
        let units = r.max_units.unwrap_or(1.0);
        if units.fract() != 0.0 {
            notes.push(format!(
                "resource \"{name}\": max units {units} rounded up to {} people",
                units.ceil()
            ));
        }
        let day_hours = map.project_calendar.day_hours();
        if !r.calendar.is_empty() && !map.calendars.contains_key(&r.calendar) {
            notes.push(format!(
                "resource \"{name}\": calendar {} is not in the file; the role works on the project's",
                r.calendar
            ));
        }
        role_of.insert(&r.id, draft.roles.len());
        draft.roles.push(RoleDraft {
            name: name.clone(),
            id,
            cost: r
                .cost_per_hour
                .filter(|&c| c > 0.0)
                .map(|c| round3(c * day_hours)),
            team: units.ceil().max(1.0) as u32,
            // A calendar on the project's days needs no name.
            calendar: map.named.get(&r.calendar).cloned(),
        });
    }
    demand(assignments, &role_of, map, draft, notes, cx);
    on_resource_calendars(resources, assignments, map, draft, notes);
}

/// Assignments become demand: whole people per role, summed when a role is assigned twice.
fn demand(
    assignments: &[Assignment],
    role_of: &BTreeMap<&str, usize>,
    map: &Mapping,
    draft: &mut ModelDraft,
    notes: &mut Vec<String>,
    cx: &mut Cx,
) {
    for a in assignments {
        let (Some(&role), Some(task)) = (
            role_of.get(a.resource.as_str()),
            map.ids
                .get(&a.task)
                .and_then(|id| draft.tasks.iter_mut().find(|t| t.id == *id)),
        ) else {
            continue; // a material resource, a WBS summary or another project's activity
        };
        if task.milestone {
            continue;
        }
        let units = a.units.unwrap_or(1.0);
        let people = units.ceil() as u32;
        let role_name = draft.roles[role].name.clone();
        if units.fract() != 0.0 {
            notes.push(format!(
                "task \"{}\": {units} units of {role_name} rounded up to {people} people",
                task.name
            ));
        }
        let role_id = draft.roles[role].id.clone();
        match task.demand.iter_mut().find(|(r, _)| *r == role_id) {
            Some((_, n)) => *n = n.saturating_add(people),
            None => task.demand.push((role_id.clone(), people)),
        }
        if task.demand.iter().any(|&(_, n)| n > MAX_PEOPLE) {
            cx.diags.push(
                Diagnostic::new(
                    cx.file,
                    "TASKRSRC.remain_qty_per_hr",
                    format!(
                        "the assignments of task \"{}\" add up to more than {MAX_PEOPLE} people",
                        task.name
                    ),
                )
                .at(Some(cx.lines.line_col(a.offset)))
                .help(format!(
                    "assign at most {MAX_PEOPLE} people of a resource to one activity"
                )),
            );
            task.demand.clear();
            continue;
        }
        let need = task
            .demand
            .iter()
            .find(|(r, _)| *r == role_id)
            .map_or(0, |&(_, n)| n);
        if draft.roles[role].team < need {
            notes.push(format!(
                "resource \"{role_name}\": max units below the {need} people task \"{}\" needs; the team is raised to {need}",
                task.name
            ));
            draft.roles[role].team = need;
        }
    }
}

/// Resource calendars. P6 schedules a resource-dependent activity (`TT_Rsrc`) when its
/// resources work: when all of them work on one calendar it becomes the task's, its hours
/// converted on that calendar's day; on different calendars, a note (the model works the task
/// only on days all of them work). A task-dependent activity is scheduled on its activity
/// calendar alone in P6, while the model works a task only on days its roles' calendars work
/// too: a role whose calendar has other days is noted, and dropped from the demand (with a
/// note) when the two share no working weekday, which the model could never schedule.
fn on_resource_calendars(
    resources: &[Resource],
    assignments: &[Assignment],
    map: &Mapping,
    draft: &mut ModelDraft,
    notes: &mut Vec<String>,
) {
    let by_id: BTreeMap<&str, &Resource> = resources
        .iter()
        .filter(|r| r.kind != "RT_Mat")
        .map(|r| (r.id.as_str(), r))
        .collect();
    let mut of_task: BTreeMap<&str, Vec<&Resource>> = BTreeMap::new();
    for a in assignments {
        if let Some(r) = by_id.get(a.resource.as_str()) {
            of_task.entry(a.task.as_str()).or_default().push(r);
        }
    }
    let role_calendar: BTreeMap<String, Option<String>> = draft
        .roles
        .iter()
        .map(|r| (r.id.clone(), r.calendar.clone()))
        .collect();
    for (task_id, theirs) in of_task {
        let (Some(a), Some(id)) = (map.activity(task_id), map.ids.get(task_id)) else {
            continue;
        };
        let Some(task) = draft.tasks.iter_mut().find(|t| t.id == *id) else {
            continue;
        };
        if task.milestone {
            continue;
        }
        let who = activity_label(a);
        if a.kind == ActivityKind::ResourceDependent {
            let calendars: BTreeSet<&str> = theirs
                .iter()
                .map(|r| r.calendar.as_str())
                .filter(|c| map.calendars.contains_key(*c))
                .collect();
            match calendars.iter().collect::<Vec<_>>()[..] {
                [&one] => {
                    let own = map.calendar_of(a).day_hours();
                    let cal = &map.calendars[one];
                    task.duration = round3(task.duration * own / cal.day_hours());
                    task.calendar = map.named.get(one).cloned();
                    notes.push(format!(
                        "{who}: resource dependent; scheduled on its resources' calendar \"{}\"",
                        escape_controls(&cal.name)
                    ));
                }
                [] => notes.push(format!(
                    "{who}: resource dependent; its resources name no calendar in the file, so it is scheduled on its activity calendar"
                )),
                _ => notes.push(format!(
                    "{who}: resource dependent; its resources work on different calendars, and the model works it only on days all of them work"
                )),
            }
            continue;
        }
        let own_days = map.calendar_of(a).workdays();
        let mut dropped = Vec::new();
        for (role, _) in &task.demand {
            let Some(Some(cal)) = role_calendar.get(role) else {
                continue;
            };
            if task.calendar.as_ref() == Some(cal) {
                continue;
            }
            let Some(theirs) = theirs
                .iter()
                .find(|r| map.named.get(&r.calendar) == Some(cal))
                .and_then(|r| map.calendars.get(&r.calendar))
            else {
                continue;
            };
            let shared = (0..7).any(|d| own_days[d] && theirs.workdays()[d]);
            if shared {
                notes.push(format!(
                    "{who}: task dependent (P6 schedules it on its activity calendar alone); the model works it only on days the calendar \"{}\" of its role {role} works too",
                    escape_controls(&theirs.name)
                ));
            } else {
                notes.push(format!(
                    "{who}: its role {role} works on calendar \"{}\", which shares no working weekday with the activity's: its demand for {role} is not imported",
                    escape_controls(&theirs.name)
                ));
                dropped.push(role.clone());
            }
        }
        task.demand.retain(|(r, _)| !dropped.contains(r));
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALENDAR: &str = "(0||CalendarData()((0||DaysOfWeek()((0||1()())(0||2()((0||0(s|08:00|f|12:00)())(0||1(s|13:00|f|17:00)())))(0||3()((0||0(s|08:00|f|16:00)())))(0||4()())(0||5()())(0||6()())(0||7()((0||0(s|09:00|f|10:30)())))))(0||Exceptions()((0||0(d|45658)())(0||1(d|45659)((0||0(s|08:00|f|12:00)())))))))";

    #[test]
    fn calendar_data_gives_hours_per_weekday_and_exceptions() {
        let (week, exceptions) = parse_calendar_data(CALENDAR).unwrap();
        // Monday 8 h, Tuesday 8 h, Saturday 1.5 h, Sunday none.
        assert_eq!(week, [8.0, 8.0, 0.0, 0.0, 0.0, 1.5, 0.0]);
        let first = jiff::civil::date(2025, 1, 1);
        assert_eq!(exceptions.get(&first), Some(&0.0));
        assert_eq!(exceptions.get(&first.tomorrow().unwrap()), Some(&4.0));
    }

    #[test]
    fn bad_calendar_data_is_an_error_not_a_panic() {
        for data in [
            "(",
            "(0||x",
            "(0||CalendarData()(",
            ")))",
            "(0||CalendarData()())",
        ] {
            assert!(parse_calendar_data(data).is_err(), "{data}");
        }
        let deep = "(0||a()(".repeat(100);
        assert!(parse_calendar_data(&deep).is_err());
    }

    #[test]
    fn rows_and_fields_out_of_place_are_located() {
        let file = Path::new("x.xer");
        let cases = [
            ("not a header\n", 1),
            ("ERMHDR\t20.12\n%R\t1\n%E\n", 2),
            ("ERMHDR\n%T\tTASK\n%R\t1\n%E\n", 3),
            ("ERMHDR\n%T\tTASK\n%F\ta\n%R\t1\t2\n%E\n", 4),
            ("ERMHDR\n%T\tTASK\n%F\ta\n%R\t1\n", 4),
            ("ERMHDR\n%T\tTASK\n%F\ta\n%X\n%E\n", 4),
        ];
        for (text, line) in cases {
            let e = read_tables(text, file).unwrap_err();
            assert_eq!(e.location.map(|l| l.0), Some(line), "{text:?}: {e}");
            assert!(e.help.is_some());
        }
        let ok = read_tables("ERMHDR\r\n%T\tTASK\r\n%F\ta\tb\r\n%R\t1\r\n%E\r\n", file).unwrap();
        let t = ok.get("TASK").unwrap();
        assert_eq!((t.get(&t.rows[0], "a"), t.get(&t.rows[0], "b")), ("1", ""));
    }

    #[test]
    fn p6_date_times_are_read() {
        assert_eq!(
            parse_date_time("2025-09-15 08:00"),
            Some(jiff::civil::date(2025, 9, 15).at(8, 0, 0, 0))
        );
        assert_eq!(parse_date_time("2025-13-15 08:00"), None);
    }
}
