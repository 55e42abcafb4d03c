//! Reads model TOML into [`Model`] values, recording every problem with its line and key
//! instead of stopping at the first one.

use super::hours::{HoursError, WorkingHours};
use super::types::*;
use crate::calendar::Calendar;
use crate::error::{closest, line_col, Diagnostic, Diagnostics, LineIndex};
use jiff::civil::Date;
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

mod fast;
mod scan;
pub(crate) mod sections;
mod tree;

/// A TOML value with its byte span.
pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// The longest duration, lag, delay or ramp-up a model may give, in working days (about 38
/// years): beyond any real plan, and small enough that schedules stay quick (the scheduler's
/// resource profile has one row per working day) and inside the calendar.
pub const MAX_DAYS: f64 = 10_000.0;
/// The largest `lag_percent`, either way: ten times the predecessor's duration.
pub const MAX_LAG_PERCENT: f64 = 1000.0;
/// The most effort one role may have on one task, in person-days; its duration with the
/// smallest crew must still be at most [`MAX_DAYS`].
pub const MAX_EFFORT: f64 = 1_000_000.0;
/// The highest cost per person-day a model or scenario may give: costs are summed over
/// millions of person-days, and the sum must stay a number.
pub const MAX_COST: f64 = 1e9;
/// The most people a team, hire, leave, crew or demand may name.
pub const MAX_PEOPLE: u32 = 10_000;
/// The latest date a file may give: a thousand years before the calendar's end, so a plan
/// starting on it still has room for [`MAX_DAYS`] of work.
pub const LAST_DATE: Date = Date::constant(8999, 12, 31);
/// The earliest date a file may give.
pub const FIRST_DATE: Date = Date::constant(1, 1, 1);

/// Working days from `start` to the calendar's end (9999-12-31), counted low: whole weeks
/// only, every holiday taken off.
fn working_days_left(model: &Model) -> f64 {
    let days = (Date::MAX - model.project.start).get_days().max(0);
    let (per_week, holidays) = sparsest_week(model);
    (f64::from(days) / 7.0).floor() * per_week as f64 - holidays as f64
}

/// The fewest working weekdays any task has (its calendar with its roles' calendars) and the
/// holidays of every calendar together: a low count of the working days a task may find.
fn sparsest_week(model: &Model) -> (usize, usize) {
    let weekdays = |cals: &[&Calendar]| {
        (0..7)
            .filter(|&w| cals.iter().all(|c| c.workdays[w]))
            .count()
    };
    if !model.uses_calendars() {
        return (weekdays(&[&model.calendar]), model.calendar.holidays.len());
    }
    let per_week = model
        .tasks
        .iter()
        .map(|t| weekdays(&model.task_calendars(t)))
        .chain(std::iter::once(weekdays(&[&model.calendar])))
        .min()
        .unwrap_or(0);
    let holidays = model.calendar.holidays.len()
        + model
            .calendars
            .iter()
            .map(|c| c.calendar.holidays.len())
            .sum::<usize>();
    (per_week, holidays)
}

/// The longest a task can take: pessimistic, its smallest crew, every one of its risks.
fn longest_duration(task: &Task, risk_delay: f64) -> f64 {
    let work = match &task.work {
        Work::Fixed { duration, .. } => duration.pessimistic,
        Work::Effort(efforts) => efforts
            .iter()
            .map(|e| e.effort.pessimistic / f64::from(e.crew.0.max(1)))
            .fold(0.0, f64::max),
    };
    work * (1.0 - task.done) + risk_delay
}

/// Checks that the longest chain of work (pessimistic durations, lags and every risk) ends
/// before the calendar does, so no date printed is clamped to its end. Each value is already
/// limited; only a long chain of long tasks gets here.
pub(crate) fn check_horizon(
    model: &Model,
    graph: &crate::graph::ProgramGraph,
) -> Result<(), Diagnostics> {
    let left = working_days_left(model);
    let mut delay = vec![0.0; model.tasks.len()];
    // A risk names tasks, and the tasks are the graph's first nodes.
    for risk in &model.risks {
        for t in risk.tasks.iter().filter_map(|t| graph.node(t)) {
            if let Some(d) = delay.get_mut(t) {
                *d += risk.delay.pessimistic;
            }
        }
    }
    let lengths: Vec<f64> = model
        .tasks
        .iter()
        .zip(&delay)
        .map(|(t, &d)| longest_duration(t, d))
        .collect();
    let lags: f64 = model
        .tasks
        .iter()
        .map(|t| &t.after)
        .chain(model.milestones.iter().map(|m| &m.after))
        .map(|after| after.iter().map(|d| d.lag).fold(0.0, f64::max))
        .sum();
    // Every chain is at most all the work and the longest lag into each node.
    if lengths.iter().sum::<f64>() + lags <= left {
        return Ok(());
    }
    let mut finish = vec![0.0f64; graph.ids.len()];
    for &node in &graph.graph.order {
        let start = graph
            .graph
            .preds(node)
            .iter()
            .map(|&(p, lag)| finish[p] + lag)
            .fold(0.0, f64::max);
        finish[node] = start + lengths.get(node).copied().unwrap_or(0.0);
    }
    let Some((last, &end)) = finish.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)) else {
        return Ok(());
    };
    if end <= left {
        return Ok(());
    }
    let (key, location) = match graph.kinds[last] {
        crate::graph::NodeKind::Task(t) => (
            format!("task \"{}\"", model.tasks[t].id),
            model.tasks[t].location,
        ),
        crate::graph::NodeKind::Milestone(m) => (
            format!("milestone \"{}\"", model.milestones[m].id),
            model.milestones[m].location,
        ),
    };
    Err(Diagnostic::new(
        &model.file,
        key,
        format!(
            "the chain of work ending here can take {end:.0} working days, past the end of the calendar (9999-12-31, {left:.0} working days after the start)"
        ),
        )
        .at(location)
        .help("shorten the durations, lags or risk delays on this chain")
        .into())
}

/// Reports a file that is not UTF-8 text at its first bad byte. I/O errors are left to the
/// caller, which reports them with the flag that named the file.
pub(crate) fn check_utf8(path: &Path) -> Result<(), Diagnostic> {
    let Ok(bytes) = std::fs::read(path) else {
        return Ok(());
    };
    utf8_text(path, bytes).map(drop)
}

/// The file's bytes as text, or [`check_utf8`]'s error at the first byte that is not UTF-8.
pub(crate) fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let e = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let (bytes, e) = (e.as_bytes(), e.utf8_error());
    let good = e.valid_up_to();
    let before = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
    let byte = bytes.get(good).copied().unwrap_or_default();
    Err(Diagnostic::new(
        path,
        "",
        format!("the file is not UTF-8 text: byte 0x{byte:02X} is not valid UTF-8 here"),
    )
    .at(Some(line_col(before, good)))
    .help("save the file as UTF-8 (TOML files must be UTF-8)"))
}

/// Gives syntax errors the parser could not place (its recursion limit on deeply dotted keys)
/// the place where the file nests deepest, and recursion-limit errors advice that fits them.
pub(crate) fn place_unlocated(r: &mut Reader<'_>) {
    let deepest = deepest_nesting(r.src);
    for d in r.diags.0.iter_mut() {
        if d.location.is_none() {
            d.location = Some(line_col(r.src, deepest));
        }
        if d.message.contains("recurs") {
            d.help = Some(
                "nest arrays, inline tables and dotted keys less deeply: a model needs a few levels"
                    .into(),
            );
        }
    }
}

/// The byte offset where brackets, braces and the dots of a dotted key nest deepest, outside
/// strings and comments.
fn deepest_nesting(src: &str) -> usize {
    let (mut depth, mut dots, mut best, mut at) = (0usize, 0usize, 0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut chars = src.char_indices();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                dots = 0;
            }
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            (None, '.') => dots += 1,
            (None, '\n' | '=' | ',') => dots = 0,
            _ => {}
        }
        if depth + dots > best {
            best = depth + dots;
            at = i;
        }
    }
    at
}

/// Walks a parsed TOML document, collecting diagnostics.
pub(crate) struct Reader<'s> {
    pub file: PathBuf,
    pub src: &'s str,
    pub diags: Diagnostics,
    /// Built once per file and shared by the readers of its parts: every value's location is
    /// looked up in it.
    lines: std::sync::Arc<LineIndex<'s>>,
    /// Where the text being read starts in the file: a section parsed on its own has spans
    /// from 0 (see [`sections`]).
    base: usize,
}

impl<'s> Reader<'s> {
    pub fn new(src: &'s str, file: &Path) -> Self {
        Reader {
            file: file.to_path_buf(),
            src,
            diags: Diagnostics::default(),
            lines: std::sync::Arc::new(LineIndex::new(src)),
            base: 0,
        }
    }

    /// A reader of the same file for the part of it that starts at byte `base`, with no
    /// diagnostics yet: parts are read apart (and at once), then their diagnostics joined.
    pub fn part(&self, base: usize) -> Self {
        Reader {
            file: self.file.clone(),
            src: self.src,
            diags: Diagnostics::default(),
            lines: self.lines.clone(),
            base,
        }
    }

    /// Parses the text as TOML; syntax errors are recorded and give `None`.
    pub fn parse(&mut self) -> Option<DeTable<'s>> {
        let (doc, errors) = DeTable::parse_recoverable(self.src);
        for e in &errors {
            let loc = e.span().map(|s| self.lines.line_col(self.base + s.start));
            let msg = e.message().trim().replace('\n', " ");
            self.diags.push(
                Diagnostic::new(&self.file, "", format!("TOML syntax error: {msg}"))
                    .at(loc)
                    .help("fix the syntax; see docs/model-format.md for the format"),
            );
        }
        if errors.is_empty() {
            Some(doc.into_inner())
        } else {
            None
        }
    }

    pub fn loc(&self, span: Range<usize>) -> Location {
        Some(self.lines.line_col(self.base + span.start))
    }

    pub fn error(&mut self, span: Range<usize>, key: &str, message: impl Into<String>, help: &str) {
        // Every error says what to do; the format reference is the fallback.
        let help = if help.is_empty() {
            "see docs/model-format.md for the format"
        } else {
            help
        };
        let d = Diagnostic::new(&self.file, key, message).at(self.loc(span));
        self.diags.push(d.help(help));
    }

    /// Records each key of `table` that is not in `allowed`, suggesting the closest allowed one.
    pub fn check_keys(&mut self, table: &DeTable<'_>, prefix: &str, allowed: &[&str]) {
        for (k, _) in table.iter() {
            let name: &str = k.get_ref();
            if !allowed.contains(&name) {
                let help = match closest(name, allowed.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`? allowed keys: {}", allowed.join(", ")),
                    None => format!("allowed keys: {}", allowed.join(", ")),
                };
                self.error(k.span(), &join(prefix, name), "unknown key", &help);
            }
        }
    }

    pub fn table<'v, 'i>(&mut self, v: &'v Value<'i>, key: &str) -> Option<&'v DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                let found = other.type_str();
                self.error(
                    v.span(),
                    key,
                    format!("expected a table, found {found}"),
                    "write a table: [name] on its own line, or { key = value } inline",
                );
                None
            }
        }
    }

    pub fn string(&mut self, v: &Value<'_>, key: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                let found = other.type_str();
                self.error(
                    v.span(),
                    key,
                    format!("expected a string, found {found}"),
                    "put the text in double quotes, e.g. name = \"Design\"",
                );
                None
            }
        }
    }

    /// A finite, non-negative number (integer or float).
    pub fn number(&mut self, v: &Value<'_>, key: &str) -> Option<f64> {
        let x = self.finite(v, key)?;
        if x < 0.0 {
            self.error(
                v.span(),
                key,
                format!("{x} is negative"),
                "use a number of zero or more",
            );
            return None;
        }
        Some(x)
    }

    /// A finite number of either sign (integer or float).
    fn finite(&mut self, v: &Value<'_>, key: &str) -> Option<f64> {
        let n = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|x| x as f64),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            other => {
                let found = other.type_str();
                self.error(
                    v.span(),
                    key,
                    format!("expected a number, found {found}"),
                    "write a plain number without quotes, e.g. 5 or 2.5",
                );
                return None;
            }
        };
        match n {
            Some(x) if !x.is_finite() => {
                self.error(
                    v.span(),
                    key,
                    format!("{x} is not a finite number"),
                    "use a plain number of days, e.g. 5 or 2.5",
                );
                None
            }
            Some(x) => Some(x),
            None => {
                self.error(
                    v.span(),
                    key,
                    "not a valid number (too large, or malformed)",
                    "write a plain number, e.g. 5 or 2.5",
                );
                None
            }
        }
    }

    /// A whole number of zero or more.
    pub fn count(&mut self, v: &Value<'_>, key: &str) -> Option<u32> {
        let x = self.number(v, key)?;
        if x.fract() != 0.0 {
            self.error(
                v.span(),
                key,
                format!("{x} is not a whole number"),
                "use a whole number of people, e.g. 2",
            );
            return None;
        }
        if x > f64::from(MAX_PEOPLE) {
            self.error(
                v.span(),
                key,
                format!("{} people is more than the limit of {MAX_PEOPLE}", shown(x)),
                &format!("give at most {MAX_PEOPLE} people; split a larger group into roles"),
            );
            return None;
        }
        Some(x as u32)
    }

    /// A whole number of zero or more that fits 64 bits (seeds, iteration counts).
    pub fn whole(&mut self, v: &Value<'_>, key: &str) -> Option<u64> {
        if let DeValue::Integer(i) = v.get_ref() {
            if let Ok(x) = u64::from_str_radix(i.as_str(), i.radix()) {
                return Some(x);
            }
        }
        let x = self.number(v, key)?;
        self.error(
            v.span(),
            key,
            format!("{x} is not a whole number of zero or more"),
            "e.g. 10000",
        );
        None
    }

    /// A number in [0, 1].
    pub fn fraction(&mut self, v: &Value<'_>, key: &str) -> Option<f64> {
        let x = self.number(v, key)?;
        if x > 1.0 {
            self.error(
                v.span(),
                key,
                format!("{x} is outside [0, 1]"),
                "give a fraction between 0 and 1, e.g. 0.25 for a quarter",
            );
            return None;
        }
        Some(x)
    }

    /// A number of working days of zero or more, at most [`MAX_DAYS`].
    pub fn days(&mut self, v: &Value<'_>, key: &str) -> Option<f64> {
        self.bounded(v, key, MAX_DAYS, "working days")
    }

    /// A lag in working days: negative for a lead, at most [`MAX_DAYS`] either way.
    pub fn lag(&mut self, v: &Value<'_>, key: &str) -> Option<f64> {
        let x = self.finite(v, key)?;
        if x.abs() > MAX_DAYS {
            self.error(
                v.span(),
                key,
                format!(
                    "{} working days is beyond the limit of {MAX_DAYS}",
                    shown(x)
                ),
                &format!(
                    "give a lag between -{MAX_DAYS} and {MAX_DAYS} working days; {}",
                    advice("working days")
                ),
            );
            return None;
        }
        Some(x)
    }

    /// A dependency table's optional `lag_percent` (-1000 to 1000, not with `lag`): `Some(None)`
    /// when it has none, `None` after an error.
    fn lag_percent(&mut self, t: &DeTable<'_>, key: &str) -> Option<Option<f64>> {
        let Some(v) = field(t, "lag_percent") else {
            return Some(None);
        };
        let key = join(key, "lag_percent");
        let x = self.finite(v, &key)?;
        if field(t, "lag").is_some() {
            self.error(
                v.span(),
                &key,
                "a link has one lag: `lag` or `lag_percent`, not both",
                "keep `lag` (working days) or `lag_percent` (a percentage of the predecessor's duration)",
            );
            return None;
        }
        if x.abs() > MAX_LAG_PERCENT {
            self.error(
                v.span(),
                &key,
                format!("{}% is outside -{MAX_LAG_PERCENT}% to {MAX_LAG_PERCENT}%", shown(x)),
                &format!("give a percentage of the predecessor's duration from -{MAX_LAG_PERCENT} to {MAX_LAG_PERCENT}"),
            );
            return None;
        }
        Some(Some(x))
    }

    /// A link type, `"FS"`, `"SS"`, `"FF"` or `"SF"`; anything else is an error suggesting
    /// the closest.
    pub fn link_type(&mut self, v: &Value<'_>, key: &str) -> Option<LinkType> {
        let name = self.string(v, key)?;
        if let Some(t) = LinkType::from_name(&name) {
            return Some(t);
        }
        let names = LinkType::ALL.map(LinkType::name);
        let upper = name.to_uppercase();
        let help = match LinkType::from_name(&upper).or_else(|| {
            closest(&upper, names.iter().copied()).and_then(LinkType::from_name)
        }) {
            Some(t) => format!(
                "did you mean \"{}\"? a link type is one of {}",
                t.name(),
                names.join(", ")
            ),
            None => format!(
                "a link type is one of {} (finish-to-start, start-to-start, finish-to-finish, start-to-finish)",
                names.join(", ")
            ),
        };
        self.error(
            v.span(),
            key,
            format!("unknown link type \"{}\"", name),
            &help,
        );
        None
    }

    /// A cost per person-day of zero or more, at most [`MAX_COST`].
    pub fn cost(&mut self, v: &Value<'_>, key: &str) -> Option<f64> {
        self.bounded(v, key, MAX_COST, "per person-day")
    }

    /// A number of zero or more, at most `limit` (of `unit`).
    fn bounded(&mut self, v: &Value<'_>, key: &str, limit: f64, unit: &str) -> Option<f64> {
        let x = self.number(v, key)?;
        if x > limit {
            self.error(
                v.span(),
                key,
                format!("{} {unit} is more than the limit of {limit}", shown(x)),
                &format!("give at most {limit} {unit}; {}", advice(unit)),
            );
            return None;
        }
        Some(x)
    }

    pub fn date(&mut self, v: &Value<'_>, key: &str) -> Option<Date> {
        let help = "write a date as YYYY-MM-DD without quotes, e.g. 2025-10-31";
        match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    match Date::new(d.year as i16, d.month as i8, d.day as i8) {
                        Ok(date) if !(FIRST_DATE..=LAST_DATE).contains(&date) => {
                            self.error(
                                v.span(),
                                key,
                                format!("{date} is outside the dates plan handles ({FIRST_DATE} to {LAST_DATE})"),
                                &format!("give a date between {FIRST_DATE} and {LAST_DATE}"),
                            );
                            None
                        }
                        Ok(date) => Some(date),
                        Err(e) => {
                            self.error(v.span(), key, format!("not a valid date: {e}"), help);
                            None
                        }
                    }
                }
                _ => {
                    self.error(v.span(), key, "expected a date without a time", help);
                    None
                }
            },
            DeValue::String(s) => {
                self.error(
                    v.span(),
                    key,
                    format!("\"{s}\" is a string, not a date"),
                    help,
                );
                None
            }
            other => {
                let found = other.type_str();
                self.error(
                    v.span(),
                    key,
                    format!("expected a date, found {found}"),
                    help,
                );
                None
            }
        }
    }

    /// A number of working days, or a three-point `[optimistic, likely, pessimistic]` in order.
    pub fn estimate(&mut self, v: &Value<'_>, key: &str) -> Option<Estimate> {
        self.estimate_of(v, key, MAX_DAYS, "working days")
    }

    /// An estimate whose values are at most `limit` (of `unit`).
    fn estimate_of(
        &mut self,
        v: &Value<'_>,
        key: &str,
        limit: f64,
        unit: &str,
    ) -> Option<Estimate> {
        match v.get_ref() {
            DeValue::Array(items) => {
                if items.len() != 3 {
                    self.error(
                        v.span(),
                        key,
                        format!(
                            "expected 3 values [optimistic, likely, pessimistic], found {}",
                            items.len()
                        ),
                        "e.g. [8, 10, 18]",
                    );
                    return None;
                }
                let o = self.bounded(&items[0], key, limit, unit);
                let m = self.bounded(&items[1], key, limit, unit);
                let p = self.bounded(&items[2], key, limit, unit);
                let (o, m, p) = (o?, m?, p?);
                if !(o <= m && m <= p) {
                    self.error(v.span(), key, format!("estimate [{o}, {m}, {p}] is not ordered optimistic <= likely <= pessimistic"), "reorder the three values, smallest first");
                    return None;
                }
                Some(Estimate {
                    optimistic: o,
                    likely: m,
                    pessimistic: p,
                })
            }
            _ => self.bounded(v, key, limit, unit).map(Estimate::fixed),
        }
    }

    pub fn strings(&mut self, v: &Value<'_>, key: &str) -> Vec<Spanned<String>> {
        match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|it| self.string(it, key).map(|s| Spanned::new(it.span(), s)))
                .collect(),
            other => {
                let found = other.type_str();
                self.error(
                    v.span(),
                    key,
                    format!("expected an array of strings, found {found}"),
                    "e.g. [\"S01\", \"S02\"]",
                );
                Vec::new()
            }
        }
    }

    /// `after = ["S01", { id = "S02", lag = 5 }, { id = "S03", type = "SS", lag = -1.5 }]`.
    pub fn dependencies(&mut self, v: &Value<'_>, key: &str) -> Vec<Dependency> {
        let DeValue::Array(items) = v.get_ref() else {
            let found = v.get_ref().type_str();
            self.error(
                v.span(),
                key,
                format!("expected an array of ids, found {found}"),
                "e.g. after = [\"S03\", { id = \"S02\", lag = 5 }]",
            );
            return Vec::new();
        };
        let mut deps = Vec::new();
        for item in items.iter() {
            let location = self.loc(item.span());
            match item.get_ref() {
                DeValue::String(s) => deps.push(Dependency {
                    id: s.to_string(),
                    kind: LinkType::FS,
                    lag: 0.0,
                    lag_percent: None,
                    location,
                }),
                DeValue::Table(t) => {
                    self.check_keys(t, key, &["id", "type", "lag", "lag_percent"]);
                    let id = field(t, "id").and_then(|x| self.string(x, &join(key, "id")));
                    if field(t, "id").is_none() {
                        self.error(
                            item.span(),
                            key,
                            "a dependency table needs an `id`",
                            "e.g. { id = \"S02\", lag = 5 }",
                        );
                    }
                    let kind = field(t, "type").map_or(Some(LinkType::FS), |x| {
                        self.link_type(x, &join(key, "type"))
                    });
                    let lag = field(t, "lag").map_or(Some(0.0), |x| self.lag(x, &join(key, "lag")));
                    let percent = self.lag_percent(t, key);
                    if let (Some(id), Some(kind), Some(lag), Some(lag_percent)) =
                        (id, kind, lag, percent)
                    {
                        deps.push(Dependency {
                            id,
                            kind,
                            lag,
                            lag_percent,
                            location,
                        });
                    }
                }
                other => {
                    let found = other.type_str();
                    self.error(
                        item.span(),
                        key,
                        format!("expected an id or {{ id, type, lag }}, found {found}"),
                        "write an id in quotes, e.g. \"S02\", or { id = \"S02\", lag = 5 }",
                    );
                }
            }
        }
        deps
    }
}

/// What to do about a value above its limit.
fn advice(unit: &str) -> &'static str {
    if unit == "per person-day" {
        "costs are per person-day: check the unit"
    } else {
        "split the work or check the unit"
    }
}

/// A number as a message shows it: huge values in scientific notation, not 300 digits.
fn shown(x: f64) -> String {
    if x.abs() >= 1e15 {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// The value stored under `name`, if present.
pub(crate) fn field<'a, 'i>(t: &'a DeTable<'i>, name: &str) -> Option<&'a Value<'i>> {
    t.iter().find(|(k, _)| k.get_ref() == name).map(|(_, v)| v)
}

pub(crate) fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        // Several keys per task of a large model: pushed, not formatted.
        let mut key = String::with_capacity(prefix.len() + 1 + name.len());
        key.push_str(prefix);
        key.push('.');
        key.push_str(name);
        key
    }
}

/// The entries of an array of tables such as `[[task]]`.
fn array_of_tables<'v, 's>(
    r: &mut Reader<'s>,
    v: &'v Value<'s>,
    key: &str,
) -> Vec<(&'v DeTable<'s>, Range<usize>)> {
    match v.get_ref() {
        DeValue::Array(items) => items
            .iter()
            .filter_map(|it| r.table(it, key).map(|t| (t, it.span())))
            .collect(),
        other => {
            let found = other.type_str();
            r.error(
                v.span(),
                key,
                format!("expected [[{key}]] tables, found {found}"),
                &format!("write each entry as a [[{key}]] table"),
            );
            Vec::new()
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "project",
    "calendar",
    "calendars",
    "roles",
    "phase",
    "task",
    "milestone",
    "risk",
];
const TASK_KEYS: &[&str] = &[
    "id",
    "name",
    "phase",
    "after",
    "duration",
    "estimate",
    "demand",
    "effort",
    "crew",
    "done",
    "component",
    "stage",
    "status",
    "notes",
    "actual_effort",
    "start_no_earlier",
    "start_no_later",
    "finish_no_earlier",
    "finish_no_later",
    "must_start_on",
    "must_finish_on",
    "deadline",
    "actual_start",
    "actual_finish",
    "remaining",
    "calendar",
];

/// Reads the model from one TOML document tree of the whole file (large files go through
/// [`sections::read_model`] first).
pub(crate) fn read_whole_model(src: &str, file: &Path) -> Result<Model, Diagnostics> {
    let mut r = Reader::new(src, file);
    let Some(doc) = r.parse() else {
        place_unlocated(&mut r);
        return Err(r.diags);
    };
    r.check_keys(&doc, "", TOP_KEYS);
    let project = read_project(&mut r, &doc);
    let (calendar, hours) = read_calendar(&mut r, &doc);
    let calendars = read_calendars(&mut r, &doc);
    let roles = read_roles(&mut r, &doc);
    let phases = read_list(&mut r, &doc, "phase", read_phase);
    let tasks = read_list(&mut r, &doc, "task", |r, t, span, key| {
        read_task(r, t, span, key, &roles)
    });
    let milestones = read_list(&mut r, &doc, "milestone", read_milestone);
    let risks = read_list(&mut r, &doc, "risk", read_risk);
    for kind in ["phase", "risk"] {
        report_duplicate_ids(&mut r, &doc, kind);
    }
    match project {
        Some(project) if r.diags.is_empty() => Ok(Model {
            file: file.to_path_buf(),
            project,
            calendar,
            hours,
            calendars,
            roles,
            phases,
            tasks,
            milestones,
            risks,
        }),
        _ => Err(r.diags),
    }
}

fn read_project(r: &mut Reader<'_>, doc: &DeTable<'_>) -> Option<Project> {
    let Some(v) = field(doc, "project") else {
        r.diags.push(
            Diagnostic::new(&r.file, "project", "the model has no [project] table")
                .help("add [project] with name = \"...\" and start = YYYY-MM-DD (the status date)"),
        );
        return None;
    };
    let t = r.table(v, "project")?;
    r.check_keys(
        t,
        "project",
        &["name", "start", "description", "status_date"],
    );
    let name = field(t, "name").and_then(|v| r.string(v, "project.name"));
    let start = match field(t, "start") {
        Some(v) => r.date(v, "project.start"),
        None => {
            r.error(
                v.span(),
                "project.start",
                "missing the status date",
                "add start = YYYY-MM-DD: day 0 of every schedule",
            );
            None
        }
    };
    let status =
        field(t, "status_date").map(|v| (r.date(v, "project.status_date"), r.loc(v.span())));
    let start = start?;
    let (status_date, status_location) = match status {
        Some((date, location)) => (date?, location),
        None => (start, None),
    };
    Some(Project {
        name: name.unwrap_or_else(|| "Unnamed project".into()),
        start,
        status_date,
        status_location,
    })
}

fn read_calendar(r: &mut Reader<'_>, doc: &DeTable<'_>) -> (Calendar, Option<WorkingHours>) {
    match field(doc, "calendar").and_then(|v| r.table(v, "calendar")) {
        Some(t) => (
            read_calendar_table(r, t, "calendar"),
            read_hours(r, t, "calendar"),
        ),
        None => (Calendar::default(), None),
    }
}

/// A calendar's optional `hours = ["08:00-12:00", "13:00-17:00"]`.
fn read_hours(r: &mut Reader<'_>, t: &DeTable<'_>, key: &str) -> Option<WorkingHours> {
    let v = field(t, "hours")?;
    let key = join(key, "hours");
    let before = r.diags.0.len();
    let ranges = r.strings(v, &key);
    if r.diags.0.len() > before {
        return None;
    }
    let texts: Vec<&str> = ranges.iter().map(|s| s.get_ref().as_str()).collect();
    match WorkingHours::parse(&texts) {
        Ok(hours) => Some(hours),
        Err(e) => {
            let span = match &e {
                HoursError::Empty | HoursError::TooLong(_) => v.span(),
                HoursError::Malformed(bad)
                | HoursError::EmptyRange(bad)
                | HoursError::Overlap(bad) => ranges
                    .iter()
                    .find(|s| s.get_ref() == bad)
                    .map_or_else(|| v.span(), |s| s.span()),
            };
            r.error(
                span,
                &key,
                e.to_string(),
                "give the day's working times in order, e.g. hours = [\"08:00-12:00\", \"13:00-17:00\"] (a night shift: [\"22:00-06:00\"])",
            );
            None
        }
    }
}

/// `[calendars.<id>]`, in file order; each reads as `[calendar]` does.
pub(crate) fn read_calendars(r: &mut Reader<'_>, doc: &DeTable<'_>) -> Vec<NamedCalendar> {
    read_keyed(r, doc, "calendars", "calendar", |r, id, key, name, ct| {
        let location = r.loc(name);
        let calendar = read_calendar_table(r, ct, key);
        let hours = read_hours(r, ct, key);
        NamedCalendar {
            id,
            calendar,
            hours,
            location,
        }
    })
}

/// An optional `calendar = "<id>"` key of a role or task (the id is checked against
/// `[calendars]` with the other references).
fn read_calendar_ref(r: &mut Reader<'_>, t: &DeTable<'_>, key: &str) -> Option<CalendarRef> {
    let v = field(t, "calendar")?;
    let location = r.loc(v.span());
    let id = r.string(v, &join(key, "calendar"))?;
    Some(CalendarRef { id, location })
}

/// The keys of one calendar table (`[calendar]` or `[calendars.<id>]`), named after `key`.
fn read_calendar_table(r: &mut Reader<'_>, t: &DeTable<'_>, key: &str) -> Calendar {
    let mut cal = Calendar::default();
    r.check_keys(t, key, &["workdays", "holidays", "extra_workdays", "hours"]);
    if let Some(v) = field(t, "workdays") {
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        cal.workdays = [false; 7];
        for day in r.strings(v, &join(key, "workdays")) {
            match names
                .iter()
                .position(|n| is_weekday_name(&day.get_ref().to_lowercase(), n))
            {
                Some(i) => cal.workdays[i] = true,
                None => r.error(
                    day.span(),
                    &join(key, "workdays"),
                    format!("\"{}\" is not a weekday", day.get_ref()),
                    "use mon, tue, wed, thu, fri, sat, sun",
                ),
            }
        }
        if !cal.has_workdays() {
            r.error(
                v.span(),
                &join(key, "workdays"),
                "no working days: nothing could ever be scheduled",
                "list at least one weekday, e.g. [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
            );
        }
    }
    cal.holidays = calendar_dates(r, t, key, "holidays")
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    for (d, span) in calendar_dates(r, t, key, "extra_workdays") {
        if cal.holidays.contains(&d) {
            r.error(
                span,
                &join(key, "extra_workdays"),
                format!("{d} is both a holiday and an extra working day"),
                &format!("remove it from one of {key}.holidays and {key}.extra_workdays"),
            );
        }
        cal.extra_workdays.insert(d);
    }
    cal
}

/// The dates of `[calendar] name` (or of `[calendars.<id>]`: `table` names the table), an
/// array of dates, each with its place in the file.
fn calendar_dates(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    table: &str,
    name: &str,
) -> Vec<(Date, Range<usize>)> {
    let key = join(table, name);
    let Some(v) = field(t, name) else {
        return Vec::new();
    };
    let DeValue::Array(items) = v.get_ref() else {
        r.error(
            v.span(),
            &key,
            "expected an array of dates",
            &format!("e.g. {name} = [2025-12-20, 2026-01-03]"),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|it| r.date(it, &key).map(|d| (d, it.span())))
        .collect()
}

/// `mon` or `monday` (any case) for the prefix `mon`.
fn is_weekday_name(name: &str, prefix: &str) -> bool {
    name == prefix
        || crate::calendar::WEEKDAY_NAMES
            .iter()
            .any(|f| f.starts_with(prefix) && *f == name)
}

fn read_roles(r: &mut Reader<'_>, doc: &DeTable<'_>) -> Vec<Role> {
    read_keyed(r, doc, "roles", "role", |r, id, key, _, rt| {
        r.check_keys(rt, key, &["name", "cost", "calendar"]);
        let name = field(rt, "name").and_then(|v| r.string(v, &join(key, "name")));
        let cost = field(rt, "cost").and_then(|v| r.cost(v, &join(key, "cost")));
        let calendar = read_calendar_ref(r, rt, key);
        Role {
            name: name.unwrap_or_else(|| id.clone()),
            id,
            cost,
            calendar,
        }
    })
}

/// Reads every table of `[section.<id>]` with `read_one` (given the id, its key and the span of
/// its name), in the order they appear in the file: the TOML map is keyed by id. An invalid
/// id (`what` words it) or a value that is not a table is an error, and skipped.
fn read_keyed<'r, 'd, T>(
    r: &mut Reader<'r>,
    doc: &DeTable<'d>,
    section: &str,
    what: &str,
    mut read_one: impl FnMut(&mut Reader<'r>, String, &str, Range<usize>, &DeTable<'d>) -> T,
) -> Vec<T> {
    let Some(t) = field(doc, section).and_then(|v| r.table(v, section)) else {
        return Vec::new();
    };
    let mut entries: Vec<_> = t.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    let mut out = Vec::new();
    for (k, v) in entries {
        let id = k.get_ref().to_string();
        let key = format!("{section}.{id}");
        if !is_valid_id(&id) {
            r.error(
                k.span(),
                &key,
                format!("\"{id}\" is not a valid {what} id"),
                "use letters, digits, '-', '_' and '.' only",
            );
            continue;
        }
        let Some(table) = r.table(v, &key) else {
            continue;
        };
        out.push(read_one(r, id, &key, k.span(), table));
    }
    out
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// Reads every table of `[[name]]` with `read_one`, naming each by position for errors.
fn read_list<'s, T>(
    r: &mut Reader<'s>,
    doc: &DeTable<'s>,
    name: &str,
    mut read_one: impl FnMut(&mut Reader<'s>, &DeTable<'s>, Range<usize>, &str) -> Option<T>,
) -> Vec<T> {
    let Some(v) = field(doc, name) else {
        return Vec::new();
    };
    let tables = array_of_tables(r, v, name);
    tables
        .into_iter()
        .enumerate()
        .filter_map(|(i, (t, span))| {
            let key = entry_key(t, name, i);
            read_one(r, t, span, &key)
        })
        .collect()
}

/// Reports each `[[kind]]` entry whose id an earlier entry already has, at its `id` line.
fn report_duplicate_ids(r: &mut Reader<'_>, doc: &DeTable<'_>, kind: &str) {
    let Some(DeValue::Array(items)) = field(doc, kind).map(|v| v.get_ref()) else {
        return;
    };
    let mut first_line: std::collections::HashMap<&str, usize> = Default::default();
    for item in items.iter() {
        let DeValue::Table(t) = item.get_ref() else {
            continue;
        };
        let Some(v) = field(t, "id") else { continue };
        let DeValue::String(id) = v.get_ref() else {
            continue;
        };
        let line = r.loc(v.span()).map_or(0, |(l, _)| l);
        match first_line.get(id.as_ref()) {
            Some(first) => {
                let message = format!("duplicate {kind} id \"{id}\" (first on line {first})");
                let help = format!("give each {kind} a unique id");
                r.error(v.span(), &format!("{kind} \"{id}\".id"), message, &help);
            }
            None => {
                first_line.insert(id.as_ref(), line);
            }
        }
    }
}

/// `task "S04"` when the entry has an id, else `task[3]`.
fn entry_key(t: &DeTable<'_>, name: &str, i: usize) -> String {
    match field(t, "id").map(|v| v.get_ref()) {
        Some(DeValue::String(s)) => {
            let mut key = String::with_capacity(name.len() + s.len() + 3);
            key.push_str(name);
            key.push_str(" \"");
            key.push_str(s);
            key.push('"');
            key
        }
        _ => format!("{name}[{}]", i + 1),
    }
}

/// The entry's `id`, checked for allowed characters.
fn read_id(r: &mut Reader<'_>, t: &DeTable<'_>, span: Range<usize>, key: &str) -> Option<String> {
    let Some(v) = field(t, "id") else {
        r.error(
            span,
            key,
            "missing `id`",
            "give every entry a unique id, e.g. id = \"S04\"",
        );
        return None;
    };
    let id = r.string(v, &join(key, "id"))?;
    if !is_valid_id(&id) {
        r.error(
            v.span(),
            &join(key, "id"),
            format!("\"{id}\" is not a valid id"),
            "use letters, digits, '-', '_' and '.' only",
        );
        return None;
    }
    Some(id)
}

fn optional_string(r: &mut Reader<'_>, t: &DeTable<'_>, key: &str, name: &str) -> Option<String> {
    field(t, name).and_then(|v| r.string(v, &join(key, name)))
}

fn read_phase(r: &mut Reader<'_>, t: &DeTable<'_>, span: Range<usize>, key: &str) -> Option<Phase> {
    r.check_keys(t, key, &["id", "name", "progress", "status"]);
    let id = read_id(r, t, span, key);
    let name = optional_string(r, t, key, "name");
    let progress = field(t, "progress").and_then(|v| r.fraction(v, &join(key, "progress")));
    let status = optional_string(r, t, key, "status");
    let id = id?;
    Some(Phase {
        name: name.unwrap_or_else(|| id.clone()),
        id,
        progress,
        status,
    })
}

fn read_task(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    span: Range<usize>,
    key: &str,
    roles: &[Role],
) -> Option<Task> {
    r.check_keys(t, key, TASK_KEYS);
    let location = r.loc(span.clone());
    let id = read_id(r, t, span.clone(), key);
    let name = optional_string(r, t, key, "name");
    let phase = optional_string(r, t, key, "phase");
    let after = field(t, "after").map_or_else(Vec::new, |v| r.dependencies(v, &join(key, "after")));
    let done = field(t, "done").map_or(Some(0.0), |v| r.fraction(v, &join(key, "done")));
    let work = read_work(r, t, span, key, roles);
    let component = optional_string(r, t, key, "component");
    let stage = optional_string(r, t, key, "stage");
    let status = optional_string(r, t, key, "status");
    let _ = optional_string(r, t, key, "notes");
    let actual_effort = field(t, "actual_effort")
        .map(|v| r.bounded(v, &join(key, "actual_effort"), MAX_EFFORT, "person-days"));
    let constraint = read_constraint(r, t, key);
    let deadline = read_deadline(r, t, key);
    let progress = read_progress(r, t, key);
    let calendar = read_calendar_ref(r, t, key);
    let id = id?;
    let (actual_start, actual_finish, remaining) = progress?;
    let (work, done) = progress_applied(work?, done?, remaining, actual_finish.is_some());
    Some(Task {
        name: name.unwrap_or_else(|| id.clone()),
        id,
        phase,
        after,
        work,
        done,
        actual_start,
        actual_finish,
        remaining,
        constraint: constraint?,
        deadline: deadline?,
        component,
        stage,
        status,
        location,
        actual_effort: match actual_effort {
            Some(spent) => Some(spent?),
            None => None,
        },
        calendar,
    })
}

/// A role-keyed inline table such as `demand = { backend = 2 }`, with each role checked.
fn role_table<'v, 's, 'i, T>(
    r: &mut Reader<'s>,
    v: &'v Value<'i>,
    key: &str,
    roles: &[Role],
    mut read_value: impl FnMut(&mut Reader<'s>, &'v Value<'i>, &str) -> Option<T>,
) -> Option<Vec<(usize, T, Range<usize>)>> {
    let t = r.table(v, key)?;
    let mut out = Vec::new();
    let mut ok = true;
    for (k, val) in t.iter() {
        let role = k.get_ref();
        let sub = join(key, role);
        match roles.iter().position(|x| x.id == *role) {
            Some(i) => match read_value(r, val, &sub) {
                Some(x) => out.push((i, x, k.span())),
                None => ok = false,
            },
            None => {
                let help = match closest(role, roles.iter().map(|x| x.id.as_str())) {
                    Some(c) => format!("did you mean `{c}`? or declare it with [roles.{role}]"),
                    None if roles.is_empty() => format!("declare it with [roles.{role}]"),
                    None => format!(
                        "declare it with [roles.{role}] or use one of: {}",
                        roles
                            .iter()
                            .map(|x| x.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                r.error(
                    k.span(),
                    &sub,
                    format!("role `{role}` is not declared"),
                    &help,
                );
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

fn read_work(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    span: Range<usize>,
    key: &str,
    roles: &[Role],
) -> Option<Work> {
    let duration = field(t, "duration");
    let estimate = field(t, "estimate");
    let effort = field(t, "effort");
    let has_duration = duration.is_some() || estimate.is_some();
    if let (true, Some(e)) = (has_duration, effort) {
        r.error(e.span(), &join(key, "effort"), "has both a duration (`duration`/`estimate`) and `effort`", "a task is either fixed-duration (duration or estimate, with demand) or effort-driven (effort with crew): keep one");
        return None;
    }
    if let (Some(_), Some(e)) = (duration, estimate) {
        r.error(e.span(), &join(key, "estimate"), "has both `duration` and `estimate`", "keep `estimate = [o, m, p]` for an uncertain duration or `duration = N` for a fixed one");
        return None;
    }
    if let Some(v) = duration.or(estimate) {
        let name = if duration.is_some() {
            "duration"
        } else {
            "estimate"
        };
        if let Some(c) = field(t, "crew") {
            r.error(c.span(), &join(key, "crew"), "`crew` applies only to effort-driven tasks", "use `demand` for the people a fixed-duration task needs, or replace the duration with `effort`");
        }
        let duration = r.estimate(v, &join(key, name));
        let demand = match field(t, "demand") {
            Some(d) => role_table(r, d, &join(key, "demand"), roles, |r, v, k| r.count(v, k)),
            None => Some(Vec::new()),
        };
        return Some(Work::Fixed {
            duration: duration?,
            demand: demand?.into_iter().map(|(i, n, _)| (i, n)).collect(),
        });
    }
    let Some(effort) = effort else {
        r.error(
            span,
            key,
            "has no duration, estimate or effort",
            "add `duration = N`, `estimate = [o, m, p]`, or `effort = { role = N }` with `crew`",
        );
        return None;
    };
    if let Some(d) = field(t, "demand") {
        r.error(
            d.span(),
            &join(key, "demand"),
            "`demand` applies only to fixed-duration tasks",
            "for an effort-driven task give `crew = { role = [min, max] }`",
        );
    }
    let efforts = role_table(r, effort, &join(key, "effort"), roles, |r, v, k| {
        r.estimate_of(v, k, MAX_EFFORT, "person-days")
    })?;
    let efforts_named = efforts.len();
    let crews = match field(t, "crew") {
        Some(c) => role_table(r, c, &join(key, "crew"), roles, read_crew)?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for (role, effort, espan) in efforts {
        let Some(&(_, crew, _)) = crews.iter().find(|(i, _, _)| *i == role) else {
            let id = &roles[role].id;
            r.error(espan, &join(key, "crew"), format!("no crew bounds for role `{id}`"), &format!("add crew = {{ {id} = [1, 3] }}: the fewest and most people on the task at once"));
            continue;
        };
        if effort.pessimistic / f64::from(crew.0) > MAX_DAYS {
            let id = &roles[role].id;
            r.error(
                espan,
                &join(key, &format!("effort.{id}")),
                format!(
                    "{} person-days with a crew of at least {} take more than the limit of {MAX_DAYS} working days",
                    effort.pessimistic, crew.0
                ),
                "raise the crew minimum or split the work",
            );
            continue;
        }
        out.push(RoleEffort { role, effort, crew });
    }
    for (role, _, cspan) in &crews {
        if !out.iter().any(|e| e.role == *role) {
            let id = &roles[*role].id;
            r.error(
                cspan.clone(),
                &join(key, "crew"),
                format!("crew for role `{id}` that has no effort"),
                "remove it, or add that role's effort",
            );
        }
    }
    if efforts_named == 0 {
        r.error(
            effort.span(),
            &join(key, "effort"),
            "effort names no role",
            "e.g. effort = { backend = [20, 30, 50] }",
        );
        return None;
    }
    if out.len() < efforts_named {
        return None;
    }
    Some(Work::Effort(out))
}

fn read_crew(r: &mut Reader<'_>, v: &Value<'_>, key: &str) -> Option<(u32, u32)> {
    let DeValue::Array(items) = v.get_ref() else {
        // A single number means exactly that many people.
        let n = r.count(v, key)?;
        if n == 0 {
            r.error(
                v.span(),
                key,
                "crew of 0: nobody could ever do the work",
                "allow at least one person",
            );
            return None;
        }
        return Some((n, n));
    };
    if items.len() != 2 {
        r.error(
            v.span(),
            key,
            format!("expected [min, max], found {} values", items.len()),
            "e.g. [1, 4]",
        );
        return None;
    }
    let lo = r.count(&items[0], key);
    let hi = r.count(&items[1], key);
    let (lo, hi) = (lo?, hi?);
    if lo > hi {
        r.error(
            v.span(),
            key,
            format!("crew min {lo} is greater than max {hi}"),
            "write [min, max] with min <= max",
        );
        return None;
    }
    if hi == 0 {
        r.error(
            v.span(),
            key,
            "crew max is 0: nobody could ever do the work",
            "allow at least one person",
        );
        return None;
    }
    Some((lo.max(1), hi))
}

const MILESTONE_KEYS: &[&str] = &[
    "id",
    "name",
    "due",
    "after",
    "start_no_earlier",
    "start_no_later",
    "finish_no_earlier",
    "finish_no_later",
    "must_start_on",
    "must_finish_on",
    "deadline",
];

/// The date constraint of a task or milestone: `Some(None)` without one, `None` after an error.
/// One constraint per task, as MS Project allows: two would leave it unclear which one wins.
fn read_constraint(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    key: &str,
) -> Option<Option<DateConstraint>> {
    let mut found: Option<(ConstraintKind, &Value<'_>)> = None;
    let mut ok = true;
    for kind in ConstraintKind::ALL {
        let Some(v) = field(t, kind.key()) else {
            continue;
        };
        if let Some((first, _)) = found {
            r.error(
                v.span(),
                &join(key, kind.key()),
                format!(
                    "a second date constraint: the task already has {}",
                    first.key()
                ),
                "keep one date constraint per task (as MS Project does); a date it should only be measured against is a deadline = YYYY-MM-DD",
            );
            ok = false;
            continue;
        }
        found = Some((kind, v));
    }
    let Some((kind, v)) = found else {
        return ok.then_some(None);
    };
    let date = r.date(v, &join(key, kind.key()))?;
    ok.then_some(Some(DateConstraint {
        kind,
        date,
        location: r.loc(v.span()),
    }))
}

/// The deadline of a task or milestone: `Some(None)` without one, `None` after an error.
fn read_deadline(r: &mut Reader<'_>, t: &DeTable<'_>, key: &str) -> Option<Option<Deadline>> {
    read_dated(r, t, key, "deadline")
}

/// A dated key: `Some(None)` when absent, `None` after an error.
fn read_dated(r: &mut Reader<'_>, t: &DeTable<'_>, key: &str, name: &str) -> Option<Option<Dated>> {
    let Some(v) = field(t, name) else {
        return Some(None);
    };
    let date = r.date(v, &join(key, name))?;
    Some(Some(Dated {
        date,
        location: r.loc(v.span()),
    }))
}

/// What a task's progress keys say: actual start, actual finish and the work left.
type Progress = (Option<Dated>, Option<Dated>, Option<f64>);

/// Reads `actual_start`, `actual_finish` and `remaining`, refusing combinations that say two
/// things about the work left (`remaining` with `done`, either with `actual_finish`) or a
/// finish without a start. Dates against the status date are checked with the project.
fn read_progress(r: &mut Reader<'_>, t: &DeTable<'_>, key: &str) -> Option<Progress> {
    let start = read_dated(r, t, key, "actual_start");
    let finish = read_dated(r, t, key, "actual_finish");
    let remaining = field(t, "remaining").map(|v| (v, r.days(v, &join(key, "remaining"))));
    let mut ok = true;
    if let (Some((v, _)), Some(_)) = (remaining, field(t, "done")) {
        r.error(v.span(), &join(key, "remaining"), "has both `remaining` and `done`", "give the work left one way: `remaining` (working days, or person-days for effort) or `done` (a fraction)");
        ok = false;
    }
    if let Some(v) = field(t, "actual_finish") {
        for other in ["remaining", "done"] {
            if field(t, other).is_some() {
                r.error(
                    v.span(),
                    &join(key, "actual_finish"),
                    format!("a finished task (`actual_finish`) cannot also give `{other}`"),
                    &format!("drop `{other}`: a task with an actual finish has nothing left"),
                );
                ok = false;
            }
        }
        if field(t, "actual_start").is_none() {
            r.error(
                v.span(),
                &join(key, "actual_finish"),
                "`actual_finish` without `actual_start`",
                "add actual_start = YYYY-MM-DD, the day the work began",
            );
            ok = false;
        }
    }
    let remaining = match remaining {
        Some((_, value)) => Some(value?),
        None => None,
    };
    let (start, finish) = (start?, finish?);
    if let (Some(s), Some(f), Some(v)) = (&start, &finish, field(t, "actual_finish")) {
        if f.date < s.date {
            r.error(
                v.span(),
                &join(key, "actual_finish"),
                format!("{} is before the actual start {}", f.date, s.date),
                "a task finishes on or after the day it starts: check both dates",
            );
            ok = false;
        }
    }
    ok.then_some((start, finish, remaining))
}

/// The work and `done` once progress is applied: a finished task is done; with `remaining`, the
/// work is scaled so that its most likely value is what is left (its uncertainty keeps its
/// shape) and `done` is 0, so every stage reads the work left as it reads any task's.
fn progress_applied(work: Work, done: f64, remaining: Option<f64>, finished: bool) -> (Work, f64) {
    if finished {
        return (work, 1.0);
    }
    let Some(left) = remaining else {
        return (work, done);
    };
    let scale = |e: Estimate, total: f64| {
        if total <= 0.0 {
            Estimate::fixed(left)
        } else {
            let f = left / total;
            Estimate {
                optimistic: e.optimistic * f,
                likely: e.likely * f,
                pessimistic: e.pessimistic * f,
            }
        }
    };
    let work = match work {
        Work::Fixed { duration, demand } => Work::Fixed {
            duration: scale(duration, duration.likely),
            demand,
        },
        Work::Effort(efforts) => {
            let total: f64 = efforts.iter().map(|e| e.effort.likely).sum();
            let share = |e: &RoleEffort| {
                if total <= 0.0 {
                    left / efforts.len() as f64
                } else {
                    left * e.effort.likely / total
                }
            };
            Work::Effort(
                efforts
                    .iter()
                    .map(|e| RoleEffort {
                        effort: if e.effort.likely <= 0.0 {
                            Estimate::fixed(share(e))
                        } else {
                            scale(e.effort, total)
                        },
                        ..e.clone()
                    })
                    .collect(),
            )
        }
    };
    (work, 0.0)
}

fn read_milestone(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    span: Range<usize>,
    key: &str,
) -> Option<Milestone> {
    r.check_keys(t, key, MILESTONE_KEYS);
    let location = r.loc(span.clone());
    let id = read_id(r, t, span.clone(), key);
    let name = optional_string(r, t, key, "name");
    let due = field(t, "due").and_then(|v| r.date(v, &join(key, "due")));
    let after = field(t, "after").map_or_else(Vec::new, |v| r.dependencies(v, &join(key, "after")));
    if after.is_empty() {
        let at = field(t, "after").map_or(span.clone(), |v| v.span());
        r.error(
            at,
            &join(key, "after"),
            "the milestone comes after nothing",
            "list the tasks that must finish first, e.g. after = [\"S04\", \"S05\"]",
        );
        return None;
    }
    let constraint = read_constraint(r, t, key);
    let deadline = read_deadline(r, t, key);
    let id = id?;
    Some(Milestone {
        name: name.unwrap_or_else(|| id.clone()),
        id,
        due,
        after,
        constraint: constraint?,
        deadline: deadline?,
        location,
    })
}

fn read_risk(r: &mut Reader<'_>, t: &DeTable<'_>, span: Range<usize>, key: &str) -> Option<Risk> {
    r.check_keys(
        t,
        key,
        &[
            "id",
            "name",
            "probability",
            "delay",
            "tasks",
            "impact",
            "owner",
            "mitigation",
            "status",
        ],
    );
    let location = r.loc(span.clone());
    let id = read_id(r, t, span.clone(), key);
    let name = optional_string(r, t, key, "name");
    let probability = match field(t, "probability") {
        Some(v) => r.fraction(v, &join(key, "probability")),
        None => {
            r.error(
                span.clone(),
                &join(key, "probability"),
                "missing",
                "add probability = 0.3 (the chance it happens in a run)",
            );
            None
        }
    };
    let delay = match field(t, "delay") {
        Some(v) => r.estimate(v, &join(key, "delay")),
        None => {
            r.error(
                span.clone(),
                &join(key, "delay"),
                "missing",
                "add delay = [5, 10, 30] (working days added when it happens)",
            );
            None
        }
    };
    let tasks: Vec<String> = field(t, "tasks")
        .map(|v| r.strings(v, &join(key, "tasks")))
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.into_inner())
        .collect();
    let unique: BTreeSet<&String> = tasks.iter().collect();
    let tasks_at = field(t, "tasks").map_or(span.clone(), |v| v.span());
    if unique.len() != tasks.len() {
        r.error(
            tasks_at.clone(),
            &join(key, "tasks"),
            "a task is listed twice",
            "list each task once",
        );
    }
    if tasks.is_empty() {
        r.error(
            tasks_at,
            &join(key, "tasks"),
            "the risk delays no task",
            "list the tasks it threatens, e.g. tasks = [\"S22\"]",
        );
    }
    Some(Risk {
        id: id?,
        name: name.unwrap_or_default(),
        probability: probability?,
        delay: delay?,
        tasks,
        impact: optional_string(r, t, key, "impact"),
        owner: optional_string(r, t, key, "owner"),
        mitigation: optional_string(r, t, key, "mitigation"),
        status: optional_string(r, t, key, "status"),
        location,
    })
}
