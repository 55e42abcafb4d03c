//! Spreadsheet and issue-tracker import: a CSV (or tab-separated) file with one row per task,
//! read through a column mapping into a [`ModelDraft`].
//!
//! Each column is mapped to a [`Key`] by `--map COLUMN=key`, else by the [`Preset`]'s column
//! names (a Jira CSV export, a GitHub Projects export, or the generic names of
//! `docs/import-csv.md`). Columns no key claims are listed, not used. A row that cannot be read
//! (an unknown dependency, an estimate that is not a number, a duplicate id) is an error at its
//! line and at the column of the bad cell; everything read but changed on the way (a status
//! taken as progress, an epic made a phase, a task without an estimate) is a note.

use super::draft::{is_id, slug, ModelDraft, Origins, RoleDraft, TaskDraft};
use crate::error::{escape_controls, Diagnostic, Diagnostics};
use crate::graph::LinkType;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Working hours in a day and working days in a week, for estimates written in hours or weeks.
pub const HOURS_PER_DAY: f64 = 8.0;
/// Working days in a week.
pub const DAYS_PER_WEEK: f64 = 5.0;
/// The most links between tasks a file may make. A link between two epics stands for one
/// between every pair of their tasks, so a small file could otherwise ask for billions; this is
/// far above what a tracker's export holds.
pub const MAX_LINKS: usize = 500_000;
/// Seconds in a working day (Jira's time tracking is in seconds).
const SECONDS_PER_DAY: f64 = 3600.0 * HOURS_PER_DAY;

/// The column names a file is expected to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// The generic names of `docs/import-csv.md` (`id`, `name`, `depends on`, …).
    Generic,
    /// A Jira "Export CSV" file (`Issue key`, `Summary`, `Inward issue link (Blocks)`, …).
    Jira,
    /// A GitHub Projects "Export view data" file (`Title`, `URL`, `Parent issue`, …).
    Github,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    /// The task's id; other rows refer to it.
    Id,
    /// A second id other rows may refer to (Jira's numeric `Issue id`).
    Uid,
    /// The display name.
    Name,
    /// The phase (or epic, or parent): a row's id or a phase name.
    Phase,
    /// Ids this row comes after, separated by `,` `;` or spaces, each with an optional lag.
    After,
    /// Ids that come after this row.
    Blocks,
    /// One number of working days (`h`, `d`, `w` suffixes) or a three-point `o/m/p`.
    Estimate,
    /// An estimate in hours.
    EstimateHours,
    /// An estimate in seconds (Jira's time tracking).
    EstimateSeconds,
    /// The work left in seconds (Jira's `Remaining Estimate`): progress when neither a done
    /// column nor the status says it.
    RemainingSeconds,
    /// The optimistic value of a three-point estimate.
    Optimistic,
    /// The most likely value of a three-point estimate.
    Likely,
    /// The pessimistic value of a three-point estimate.
    Pessimistic,
    /// The role (or assignee group, or component) doing the work.
    Role,
    /// The person assigned: the role when no role column has a value.
    Assignee,
    /// People of the role working at once.
    Demand,
    /// The fraction complete: `0.4` or `40%`.
    Done,
    /// A status: `Done`, `In Progress`, `To Do`, …
    Status,
    /// The row's kind: `Epic` makes it a phase, `Milestone` a milestone.
    Type,
    /// A due date.
    Due,
    /// The repository (`owner/name`) that `#12` references are in.
    Repo,
    /// Read and deliberately not used.
    Ignore,
}

/// Every key with the name `--map` accepts for it.
const KEY_NAMES: [(&str, Key); 22] = [
    ("id", Key::Id),
    ("uid", Key::Uid),
    ("name", Key::Name),
    ("phase", Key::Phase),
    ("after", Key::After),
    ("blocks", Key::Blocks),
    ("estimate", Key::Estimate),
    ("estimate_hours", Key::EstimateHours),
    ("estimate_seconds", Key::EstimateSeconds),
    ("remaining_seconds", Key::RemainingSeconds),
    ("optimistic", Key::Optimistic),
    ("likely", Key::Likely),
    ("pessimistic", Key::Pessimistic),
    ("role", Key::Role),
    ("assignee", Key::Assignee),
    ("demand", Key::Demand),
    ("done", Key::Done),
    ("status", Key::Status),
    ("type", Key::Type),
    ("due", Key::Due),
    ("repo", Key::Repo),
    ("ignore", Key::Ignore),
];

impl Key {
    /// The key `--map` names `name` (case-insensitive; `-` and `_` alike, `depends_on` and
    /// `epic` as aliases).
    pub fn parse(name: &str) -> Option<Key> {
        let n = name.trim().to_ascii_lowercase().replace('-', "_");
        match n.as_str() {
            "depends_on" | "predecessors" => return Some(Key::After),
            "epic" | "parent" => return Some(Key::Phase),
            "people" => return Some(Key::Demand),
            _ => {}
        }
        KEY_NAMES.iter().find(|(k, _)| *k == n).map(|&(_, key)| key)
    }

    /// The name `--map` accepts.
    pub fn name(self) -> &'static str {
        KEY_NAMES
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("?", |&(n, _)| n)
    }

    /// Every name `--map` accepts, for help texts.
    pub fn names() -> Vec<&'static str> {
        KEY_NAMES.iter().map(|&(n, _)| n).collect()
    }

    /// Keys whose columns are all read (dependencies); for the others the first column with a
    /// value wins.
    fn is_list(self) -> bool {
        matches!(self, Key::After | Key::Blocks)
    }
}

/// One `--map COLUMN=key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The column's header, as written in the file (compared without case).
    pub column: String,
    /// What it holds.
    pub key: Key,
}

impl std::str::FromStr for Mapping {
    type Err = String;

    /// `COLUMN=key`, split at the last `=` (a header may hold one).
    fn from_str(arg: &str) -> Result<Self, String> {
        let Some((column, key)) = arg.rsplit_once('=') else {
            return Err(format!("`{arg}` is not COLUMN=key"));
        };
        let key = Key::parse(key).ok_or_else(|| {
            format!(
                "unknown key `{key}`; the keys are {}",
                Key::names().join(", ")
            )
        })?;
        if column.trim().is_empty() {
            return Err(format!("`{arg}` names no column"));
        }
        Ok(Mapping {
            column: column.trim().to_string(),
            key,
        })
    }
}

/// The generic column names (compared without case); each key's own name is accepted too.
const GENERIC: &[(&str, Key)] = &[
    ("key", Key::Id),
    ("task id", Key::Id),
    ("task", Key::Name),
    ("title", Key::Name),
    ("summary", Key::Name),
    ("epic", Key::Phase),
    ("depends on", Key::After),
    ("depends_on", Key::After),
    ("predecessors", Key::After),
    ("dependencies", Key::After),
    ("successors", Key::Blocks),
    ("duration", Key::Estimate),
    ("days", Key::Estimate),
    ("most likely", Key::Likely),
    ("assignee group", Key::Role),
    ("group", Key::Role),
    ("team", Key::Role),
    ("owner", Key::Assignee),
    ("people", Key::Demand),
    ("progress", Key::Done),
    ("% complete", Key::Done),
    ("percent complete", Key::Done),
    ("kind", Key::Type),
    ("due date", Key::Due),
    ("deadline", Key::Due),
    ("repository", Key::Repo),
];

/// Jira's CSV export. The names are those of Jira Cloud's "Export CSV (all fields)" as seen in
/// published exports; `docs/import-csv.md` says which were checked and how.
const JIRA: &[(&str, Key)] = &[
    ("Issue key", Key::Id),
    ("Issue id", Key::Uid),
    ("Summary", Key::Name),
    ("Issue Type", Key::Type),
    ("Status", Key::Status),
    ("Custom field (Epic Link)", Key::Phase),
    ("Epic Link", Key::Phase),
    ("Parent", Key::Phase),
    ("Parent id", Key::Phase),
    ("Inward issue link (Blocks)", Key::After),
    ("Outward issue link (Blocks)", Key::Blocks),
    ("Original Estimate", Key::EstimateSeconds),
    ("Remaining Estimate", Key::RemainingSeconds),
    ("Component/s", Key::Role),
    ("Components", Key::Role),
    ("Assignee", Key::Assignee),
    ("Due Date", Key::Due),
    ("Parent summary", Key::Ignore),
];

/// GitHub Projects' "Export view data" (a tab-separated file of the view's visible fields).
const GITHUB: &[(&str, Key)] = &[
    ("URL", Key::Id),
    ("Title", Key::Name),
    ("Status", Key::Status),
    ("Type", Key::Type),
    ("Parent issue", Key::Phase),
    ("Milestone", Key::Phase),
    ("Blocked by", Key::After),
    ("Blocking", Key::Blocks),
    ("Estimate", Key::Estimate),
    ("Assignees", Key::Assignee),
    ("Repository", Key::Repo),
    ("Sub-issues progress", Key::Ignore),
];

impl Preset {
    fn columns(self) -> &'static [(&'static str, Key)] {
        match self {
            Preset::Generic => GENERIC,
            Preset::Jira => JIRA,
            Preset::Github => GITHUB,
        }
    }

    /// What a column named `header` holds under this preset, and its place in the preset's
    /// list (where two columns fill one key, the earlier name wins).
    fn key_of(self, header: &str) -> Option<(Key, usize)> {
        let h = header.trim();
        let named = self
            .columns()
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(h))
            .map(|i| (self.columns()[i].1, i));
        match self {
            Preset::Generic => named.or_else(|| Key::parse(h).map(|k| (k, self.columns().len()))),
            _ => named,
        }
    }
}

/// How to read a file.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// The column names expected.
    pub preset: Preset,
    /// `--map` entries; they come before the preset's names.
    pub maps: Vec<Mapping>,
    /// The status date (the file has none).
    pub start: Date,
    /// The field separator; `None` guesses it from the header line (tab or comma).
    pub delimiter: Option<u8>,
}

/// What a CSV import made.
#[derive(Debug)]
pub struct CsvImport {
    /// The model, ready to be written.
    pub draft: ModelDraft,
    /// What was changed or left out on the way, one line each.
    pub notes: Vec<String>,
    /// Headers no key claims, in file order.
    pub unknown_columns: Vec<String>,
    /// Where each task and milestone came from.
    pub origins: Origins,
}

/// A cell's place: the record's line and the cell's byte offset in the text.
#[derive(Debug, Clone, Copy)]
struct Place {
    line: usize,
    offset: usize,
}

/// One row as read, before references are resolved.
#[derive(Debug, Default)]
struct Row {
    line: usize,
    offset: usize,
    id: String,
    uid: Option<String>,
    name: String,
    phase: Option<String>,
    after: Vec<Reference>,
    blocks: Vec<Reference>,
    estimate: Option<[f64; 3]>,
    role: Option<String>,
    demand: Option<u32>,
    done: Option<f64>,
    remaining: Option<f64>,
    status: Option<String>,
    kind: Option<String>,
    due: Option<Date>,
}

/// A dependency as written: the id, its lag and the cell it is in (header and field index).
#[derive(Debug, Clone)]
struct Reference {
    id: String,
    lag: f64,
    column: String,
    field: usize,
}

/// Reads `text` (the file at `file`) into a draft.
pub fn import(text: &str, file: &Path, options: &CsvOptions) -> Result<CsvImport, Diagnostics> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[bom..];
    let delimiter = options.delimiter.unwrap_or_else(|| guess_delimiter(body));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(body.as_bytes());
    let mut problems = Problems {
        file,
        text,
        delimiter,
        diags: Diagnostics::default(),
    };
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => return Err(problems.csv_error(&e, bom)),
    };
    check_maps(&headers, options, &mut problems);
    if !problems.diags.is_empty() {
        return Err(problems.diags);
    }
    let columns = assign_columns(&headers, options);
    let mut unknown_columns: Vec<String> = Vec::new();
    for (h, _) in headers
        .iter()
        .zip(&columns)
        .filter(|(h, c)| c.is_none() && !h.is_empty())
    {
        let h = escape_controls(h).into_owned();
        if !unknown_columns.contains(&h) {
            unknown_columns.push(h);
        }
    }
    if !columns
        .iter()
        .any(|c| matches!(c, Some((Key::Id | Key::Name, _))))
    {
        problems.push(
            Diagnostic::new(file, "header", "no column holds an id or a name").at(Some((1, 1))),
            format!(
                "name the id column with --map \"COLUMN=id\"{}",
                match options.preset {
                    Preset::Generic => " or give --preset jira|github for a tracker's export",
                    _ => "",
                }
            ),
        );
        return Err(problems.diags);
    }
    let mut notes = Vec::new();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => return Err(problems.csv_error(&e, bom)),
        };
        let Some(pos) = record.position() else {
            continue;
        };
        let place = Place {
            line: pos.line() as usize,
            offset: pos.byte() as usize + bom,
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let cells = Cells {
            record: &record,
            headers: &headers,
            columns: &columns,
            place,
        };
        if let Some(row) = read_row(&cells, &mut problems, &mut notes) {
            rows.push(row);
        }
    }
    if !problems.diags.is_empty() {
        return Err(problems.diags);
    }
    let stem = file
        .file_stem()
        .map_or("Imported plan".into(), |s| s.to_string_lossy().into_owned());
    let built = build(&rows, &stem, options.start, &mut problems, &mut notes);
    let (draft, origins) = match built {
        Some(b) => b,
        None => return Err(problems.diags),
    };
    problems.diags.into_result(CsvImport {
        draft,
        notes: notes
            .iter()
            .map(|n| escape_controls(n).into_owned())
            .collect(),
        unknown_columns,
        origins,
    })
}

/// The separator of the header line: the most frequent of tab, `;` and `,` outside quotes
/// (GitHub's export is tab-separated, spreadsheets in many locales use `;`), a comma on a tie.
fn guess_delimiter(body: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in body.bytes() {
        if c == b'\n' && !quoted {
            break;
        }
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(entry) = counts.iter_mut().find(|(d, _)| *d == c) {
                entry.1 += 1;
            }
        }
    }
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

/// A `--map` naming a column the file does not have is an error: the user meant a column.
fn check_maps(headers: &[String], options: &CsvOptions, problems: &mut Problems<'_>) {
    for m in &options.maps {
        if headers.iter().any(|h| h.eq_ignore_ascii_case(&m.column)) {
            continue;
        }
        let help = match crate::error::closest(&m.column, headers.iter().map(String::as_str)) {
            Some(c) => format!("did you mean --map \"{c}={}\"?", m.key.name()),
            None => format!("the columns are: {}", headers.join(", ")),
        };
        problems.push(
            Diagnostic::new(
                problems.file,
                format!("--map \"{}={}\"", m.column, m.key.name()),
                format!("the file has no column \"{}\"", m.column),
            )
            .at(Some((1, 1))),
            help,
        );
    }
}

/// Each column's key and rank: 0 for a `--map`, then the preset's names in their order.
fn assign_columns(headers: &[String], options: &CsvOptions) -> Vec<Option<(Key, usize)>> {
    headers
        .iter()
        .map(|h| {
            let mapped = options
                .maps
                .iter()
                .find(|m| m.column.eq_ignore_ascii_case(h.trim()))
                .map(|m| (m.key, 0));
            mapped.or_else(|| options.preset.key_of(h).map(|(k, i)| (k, i + 1)))
        })
        .collect()
}

/// The cells of one record with what each column holds.
struct Cells<'r> {
    record: &'r csv::StringRecord,
    headers: &'r [String],
    columns: &'r [Option<(Key, usize)>],
    place: Place,
}

impl Cells<'_> {
    /// The non-empty cells of `key`, `--map`ped columns first, then in file order: (column
    /// index, trimmed text).
    fn all(&self, key: Key) -> Vec<(usize, &str)> {
        let mut found: Vec<(usize, usize, &str)> = self
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c {
                Some((k, rank)) if *k == key => {
                    let v = self.record.get(i)?.trim();
                    (!v.is_empty()).then_some((*rank, i, v))
                }
                _ => None,
            })
            .collect();
        found.sort_by_key(|&(rank, i, _)| (rank, i));
        found.into_iter().map(|(_, i, v)| (i, v)).collect()
    }

    /// The first non-empty cell of `key`.
    fn first(&self, key: Key) -> Option<(usize, &str)> {
        debug_assert!(!key.is_list());
        self.all(key).into_iter().next()
    }

    fn header(&self, column: usize) -> &str {
        self.headers.get(column).map_or("", |h| h.as_str())
    }
}

/// Problems found so far, each at its line and column.
struct Problems<'a> {
    file: &'a Path,
    text: &'a str,
    delimiter: u8,
    diags: Diagnostics,
}

impl Problems<'_> {
    fn push(&mut self, d: Diagnostic, help: impl Into<String>) {
        self.diags.push(d.help(help));
    }

    /// A problem with the cell in `column` of the record at `place`.
    fn cell(&mut self, place: Place, column: usize, key: String, message: String, help: &str) {
        let col = self.column_of(place.offset, column);
        self.push(
            Diagnostic::new(self.file, key, message).at(Some((place.line, col))),
            help,
        );
    }

    /// The 1-based character column where field `field` of the record at byte `offset`
    /// starts: the record is scanned again, minding quotes, only when there is an error.
    fn column_of(&self, offset: usize, field: usize) -> usize {
        let rest = self.text.get(offset..).unwrap_or("");
        let mut quoted = false;
        let mut seen = 0;
        let mut col = 1;
        for c in rest.chars() {
            if seen == field {
                return col;
            }
            match c {
                '"' => quoted = !quoted,
                '\n' if !quoted => break,
                c if !quoted && c as u32 == u32::from(self.delimiter) => seen += 1,
                _ => {}
            }
            col = if c == '\n' { 1 } else { col + 1 };
        }
        col
    }

    /// The csv reader's own error (bad UTF-8, a broken quote) at its place.
    fn csv_error(mut self, e: &csv::Error, bom: usize) -> Diagnostics {
        let line = e.position().map(|p| {
            (
                p.line() as usize,
                crate::error::line_col(self.text, p.byte() as usize + bom).1,
            )
        });
        self.push(
            Diagnostic::new(self.file, "", format!("cannot read the CSV: {e}")).at(line),
            "save the sheet as CSV (UTF-8) and import it again",
        );
        self.diags
    }
}

/// The key of a message about the cell in `column` of `row`.
fn cell_key(id: &str, header: &str) -> String {
    if id.is_empty() {
        format!("column \"{header}\"")
    } else {
        format!("row {id}, column \"{header}\"")
    }
}

/// Reads one record; `None` when it has a problem (recorded).
fn read_row(
    cells: &Cells<'_>,
    problems: &mut Problems<'_>,
    notes: &mut Vec<String>,
) -> Option<Row> {
    let before = problems.diags.0.len();
    let place = cells.place;
    let repo = cells.first(Key::Repo).map(|(_, v)| v.to_string());
    let name = cells.first(Key::Name).map(|(_, v)| v.to_string());
    let id = match cells.first(Key::Id) {
        Some((col, v)) => {
            let id = reference_id(v, repo.as_deref());
            if !is_id(&id) {
                problems.cell(
                    place,
                    col,
                    cell_key("", cells.header(col)),
                    format!("\"{v}\" is not a valid id"),
                    "use letters, digits, `-`, `_` and `.` only (a tracker's key such as PROJ-12 is one)",
                );
            }
            id
        }
        None if name.is_some() => format!("L{}", place.line),
        None => {
            problems.push(
                Diagnostic::new(problems.file, "row", "the row has neither an id nor a name")
                    .at(Some((place.line, 1))),
                "give the row an id (or delete it)",
            );
            return None;
        }
    };
    let mut row = Row {
        line: place.line,
        offset: place.offset,
        name: name.unwrap_or_else(|| id.clone()),
        uid: cells.first(Key::Uid).map(|(_, v)| v.to_string()),
        phase: cells
            .first(Key::Phase)
            .map(|(_, v)| reference_id(v, repo.as_deref())),
        status: cells.first(Key::Status).map(|(_, v)| v.to_string()),
        kind: cells.first(Key::Type).map(|(_, v)| v.to_string()),
        role: cells
            .first(Key::Role)
            .or_else(|| cells.first(Key::Assignee))
            .map(|(_, v)| first_of_list(v).to_string()),
        id,
        ..Row::default()
    };
    for (key, list) in [(Key::After, &mut row.after), (Key::Blocks, &mut row.blocks)] {
        for (col, v) in cells.all(key) {
            match references(v, repo.as_deref()) {
                Ok(refs) => list.extend(refs.into_iter().map(|(id, lag)| Reference {
                    id,
                    lag,
                    column: cells.header(col).to_string(),
                    field: col,
                })),
                Err(bad) => problems.cell(
                    place,
                    col,
                    cell_key(&row.id, cells.header(col)),
                    format!("\"{bad}\" is not an id with an optional lag"),
                    "list ids separated by `,` `;` or spaces, each optionally with a lag in working days: S09+5d",
                ),
            }
        }
    }
    row.estimate = read_estimate(cells, &row.id, problems);
    let cell = |key: Key| CellReader {
        cells,
        key,
        id: &row.id,
    };
    row.demand = cell(Key::Demand).parse(
        problems,
        people,
        &CellHelp {
            what: "a whole number of people",
            help: "give the people of the role working at once, e.g. 2",
        },
    );
    row.done = cell(Key::Done).parse(
        problems,
        fraction,
        &CellHelp {
            what: "a fraction from 0 to 1 or a percentage",
            help: "write 0.4 or 40% for two fifths done",
        },
    );
    row.remaining = cell(Key::RemainingSeconds).parse(
        problems,
        seconds,
        &CellHelp {
            what: "a number of seconds",
            help: "give the work left in seconds, as Jira writes it (28800 for one day)",
        },
    );
    row.due = cell(Key::Due).parse(problems, date, &CellHelp {
        what: "a date",
        help: "write dates as YYYY-MM-DD (Jira's 31/Mar/25 and 31/Mar/25 5:00 PM are read too), or skip the column with --map \"COLUMN=ignore\"",
    });
    if row.role.is_none() && row.demand.is_some() {
        notes.push(format!(
            "line {}: task {}: demand without a role is not imported",
            row.line, row.id
        ));
    }
    (problems.diags.0.len() == before).then_some(row)
}

/// What a cell should hold and what to do when it does not.
struct CellHelp {
    what: &'static str,
    help: &'static str,
}

/// The first cell of one key in a row, read with a parser.
struct CellReader<'c, 'r> {
    cells: &'c Cells<'r>,
    key: Key,
    id: &'c str,
}

impl CellReader<'_, '_> {
    /// The cell's value, `None` when it is empty; a cell `parse` refuses is an error at it.
    fn parse<T>(
        &self,
        problems: &mut Problems<'_>,
        parse: impl Fn(&str) -> Option<T>,
        expected: &CellHelp,
    ) -> Option<T> {
        let (col, v) = self.cells.first(self.key)?;
        let value = parse(v);
        if value.is_none() {
            problems.cell(
                self.cells.place,
                col,
                cell_key(self.id, self.cells.header(col)),
                format!("\"{v}\" is not {}", expected.what),
                expected.help,
            );
        }
        value
    }
}

/// A whole number of people.
fn people(text: &str) -> Option<u32> {
    let n: f64 = text.parse().ok()?;
    (n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX)).then_some(n as u32)
}

/// Seconds as working days.
fn seconds(text: &str) -> Option<f64> {
    let n: f64 = text.parse().ok()?;
    (n.is_finite() && n >= 0.0).then_some(n / SECONDS_PER_DAY)
}

/// The first entry of a list cell (`alice, bob` → `alice`): a task's role is one group.
fn first_of_list(v: &str) -> &str {
    v.split([',', ';']).next().unwrap_or(v).trim()
}

/// An id as rows refer to it: GitHub issue URLs (`https://github.com/o/r/issues/12`) and
/// references (`o/r#12`, `#12` in the row's repository) become `r-12`; other text is kept.
fn reference_id(text: &str, repo: Option<&str>) -> String {
    let t = text.trim();
    let repo_name = |r: &str| r.rsplit('/').next().unwrap_or(r).to_string();
    if let Some(path) = t
        .strip_prefix("https://github.com/")
        .or_else(|| t.strip_prefix("http://github.com/"))
    {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        if let [_, r, "issues" | "pull", n] = parts.as_slice() {
            return format!("{r}-{n}");
        }
    }
    if let Some((r, n)) = t.split_once('#') {
        if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) {
            let r = if r.is_empty() {
                repo.map(repo_name).unwrap_or_default()
            } else {
                repo_name(r)
            };
            return if r.is_empty() {
                n.to_string()
            } else {
                format!("{r}-{n}")
            };
        }
    }
    t.to_string()
}

/// The ids and lags of a dependency cell; `Err` with the first entry that is not one.
fn references(cell: &str, repo: Option<&str>) -> Result<Vec<(String, f64)>, String> {
    let mut out = Vec::new();
    for token in cell
        .split([',', ';', ' ', '\t', '\n', '\r'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let (id, lag) = match token.split_once('+') {
            Some((id, lag)) => (id, days(lag).ok_or_else(|| token.to_string())?),
            None => (token, 0.0),
        };
        let id = reference_id(id, repo);
        if !is_id(&id) {
            return Err(token.to_string());
        }
        out.push((id, lag));
    }
    Ok(out)
}

/// Working days in `text`: a number with an optional unit (`3`, `3d`, `16h`, `2w`, `1.5`), or
/// several such added (`1w 2d`). `None` when it is not one.
pub fn days(text: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut any = false;
    for part in text.split_whitespace() {
        let lower = part.to_ascii_lowercase();
        let (number, per) = match lower.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
            Some((i, _)) => {
                let per = match &lower[i..] {
                    "d" | "day" | "days" => 1.0,
                    "h" | "hr" | "hrs" | "hour" | "hours" => 1.0 / HOURS_PER_DAY,
                    "w" | "wk" | "week" | "weeks" => DAYS_PER_WEEK,
                    _ => return None,
                };
                (&lower[..i], per)
            }
            None => (lower.as_str(), 1.0),
        };
        let n: f64 = number.trim().parse().ok()?;
        if !n.is_finite() || n < 0.0 {
            return None;
        }
        total += n * per;
        any = true;
    }
    any.then_some(total)
}

/// A fraction from `0.4` or `40%`.
fn fraction(text: &str) -> Option<f64> {
    let (number, scale) = match text.strip_suffix('%') {
        Some(n) => (n.trim(), 100.0),
        None => (text, 1.0),
    };
    let f = number.parse::<f64>().ok()? / scale;
    (f.is_finite() && (0.0..=1.0).contains(&f)).then_some(f)
}

/// A date as ISO (`2025-03-31`, with or without a time after it) or as Jira writes it
/// (`31/Mar/25`, `31/Mar/25 5:00 PM`).
fn date(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Some(d) = t.get(..10).and_then(|s| s.parse::<Date>().ok()) {
        return Some(d);
    }
    let day = t.split_whitespace().next()?;
    jiff::fmt::strtime::parse("%d/%b/%y", day)
        .ok()?
        .to_date()
        .ok()
}

/// The estimate of a row, from the first estimate column with a value, else the three
/// three-point columns.
fn read_estimate(cells: &Cells<'_>, id: &str, problems: &mut Problems<'_>) -> Option<[f64; 3]> {
    let mut bad = |col: usize, v: &str, help: &str| {
        problems.cell(
            cells.place,
            col,
            cell_key(id, cells.header(col)),
            format!("\"{v}\" is not an estimate"),
            help,
        );
        None
    };
    let single = [Key::Estimate, Key::EstimateHours, Key::EstimateSeconds]
        .into_iter()
        .filter_map(|k| cells.first(k).map(|(col, v)| (k, col, v)))
        .min_by_key(|&(_, col, _)| (cells.columns[col].map_or(1, |(_, rank)| rank), col));
    if let Some((key, col, v)) = single {
        return match key {
            Key::Estimate => match three_point(v) {
                Some(e) => Some(e),
                None => bad(
                    col,
                    v,
                    "give working days (3, 3d, 16h, 2w) or optimistic/likely/pessimistic (2/3/5), smallest first",
                ),
            },
            _ => {
                let scale = if key == Key::EstimateHours {
                    1.0 / HOURS_PER_DAY
                } else {
                    1.0 / SECONDS_PER_DAY
                };
                match v.parse::<f64>() {
                    Ok(n) if n.is_finite() && n >= 0.0 => Some([n * scale; 3]),
                    _ => bad(col, v, "give a number (Jira writes the seconds, e.g. 28800 for one day)"),
                }
            }
        };
    }
    let points: Vec<Option<(usize, &str)>> = [Key::Optimistic, Key::Likely, Key::Pessimistic]
        .into_iter()
        .map(|k| cells.first(k))
        .collect();
    if points.iter().all(Option::is_none) {
        return None;
    }
    let mut values = [0.0; 3];
    for (k, p) in points.iter().enumerate() {
        match p {
            Some((col, v)) => match days(v) {
                Some(d) => values[k] = d,
                None => return bad(*col, v, "give working days (3, 3d, 16h, 2w)"),
            },
            None => {
                let col = points.iter().flatten().next().map_or(0, |p| p.0);
                return bad(
                    col,
                    "",
                    "give all three of optimistic, likely and pessimistic, or one estimate",
                );
            }
        }
    }
    if values[0] <= values[1] && values[1] <= values[2] {
        Some(values)
    } else {
        let col = points[0].map_or(0, |p| p.0);
        bad(
            col,
            &format!("{}/{}/{}", values[0], values[1], values[2]),
            "order the three values optimistic <= likely <= pessimistic",
        )
    }
}

/// `3`, `3d`, `16h`, `2w`, or `o/m/p` in working days, ordered.
fn three_point(text: &str) -> Option<[f64; 3]> {
    let parts: Vec<&str> = text.split('/').collect();
    match parts.as_slice() {
        [one] => days(one).map(|d| [d; 3]),
        [o, m, p] => {
            let v = [days(o)?, days(m)?, days(p)?];
            (v[0] <= v[1] && v[1] <= v[2]).then_some(v)
        }
        _ => None,
    }
}

/// What a status says about progress: 1 for finished, 0 for not started, `None` for
/// anything in between (progress unknown).
fn status_done(status: &str) -> Option<f64> {
    let s = status.trim().to_ascii_lowercase();
    match s.as_str() {
        // Work that will not be done leaves nothing to schedule either.
        "done" | "closed" | "resolved" | "complete" | "completed" | "finished" | "shipped"
        | "cancelled" | "canceled" | "won't do" | "won't fix" | "rejected" | "duplicate" => {
            Some(1.0)
        }
        "to do"
        | "todo"
        | "open"
        | "backlog"
        | "new"
        | "ready"
        | "not started"
        | "selected for development" => Some(0.0),
        _ => None,
    }
}

/// The rows with what other rows make of them: which are phases, and how a reference finds a
/// row.
struct Table<'r> {
    rows: &'r [Row],
    /// Row index by id and by second id (Jira's parent id is the numeric issue id).
    by_ref: BTreeMap<&'r str, usize>,
    /// Rows that are phases: epics and rows other rows name as their phase.
    is_phase: Vec<bool>,
}

impl<'r> Table<'r> {
    fn new(rows: &'r [Row]) -> Self {
        let mut by_ref: BTreeMap<&str, usize> = BTreeMap::new();
        for (k, r) in rows.iter().enumerate() {
            if let Some(u) = &r.uid {
                by_ref.entry(u.as_str()).or_insert(k);
            }
        }
        for (k, r) in rows.iter().enumerate() {
            by_ref.insert(r.id.as_str(), k);
        }
        let mut is_phase: Vec<bool> = rows.iter().map(|r| is_kind(r, "epic")).collect();
        for r in rows {
            if let Some(&p) = r.phase.as_deref().and_then(|p| by_ref.get(p)) {
                is_phase[p] = true;
            }
        }
        Table {
            rows,
            by_ref,
            is_phase,
        }
    }

    /// The phase row `reference` names, if it names one.
    fn phase_row(&self, reference: &str) -> Option<&'r Row> {
        let &k = self.by_ref.get(reference)?;
        self.is_phase[k].then(|| &self.rows[k])
    }
}

/// True when the row's type is `kind` (case-insensitive).
fn is_kind(r: &Row, kind: &str) -> bool {
    r.kind
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case(kind))
}

/// Duplicate ids, each at its second row; true when there are none.
fn check_unique(rows: &[Row], problems: &mut Problems<'_>) -> bool {
    let mut first_line: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        if let Some(first) = first_line.get(r.id.as_str()) {
            problems.push(
                Diagnostic::new(
                    problems.file,
                    format!("row {}", r.id),
                    format!("duplicate id \"{}\" (first on line {first})", r.id),
                )
                .at(Some((r.line, 1))),
                "give every row its own id",
            );
        } else {
            first_line.insert(&r.id, r.line);
        }
    }
    problems.diags.is_empty()
}

/// The roles met so far, in order, each with the largest demand of its tasks as its team.
#[derive(Default)]
struct Roles {
    found: Vec<RoleDraft>,
}

impl Roles {
    /// The demand of a task of `role` needing `people`: the role is declared on first sight.
    fn demand(&mut self, role: &str, people: u32) -> Vec<(String, u32)> {
        let id = slug(role);
        let k = match self.found.iter().position(|r| r.id == id) {
            Some(k) => k,
            None => {
                self.found.push(RoleDraft {
                    id: id.clone(),
                    name: role.to_string(),
                    cost: None,
                    team: 1,
                    calendar: None,
                });
                self.found.len() - 1
            }
        };
        self.found[k].team = self.found[k].team.max(people);
        vec![(id, people)]
    }
}

/// What a task row's progress is: its `done` cell, else what its status says, else its
/// remaining work against its estimate; `None` when nothing says (the status is then noted).
fn progress(r: &Row) -> Option<f64> {
    if let Some(d) = r.done.or_else(|| r.status.as_deref().and_then(status_done)) {
        return Some(d);
    }
    match (r.remaining, r.estimate) {
        (Some(left), Some([_, likely, _])) if likely > 0.0 => {
            Some((1.0 - left / likely).clamp(0.0, 1.0))
        }
        _ => None,
    }
}

/// Phases that `phase` cells name without naming a row, in order of first sight.
#[derive(Default)]
struct NamedPhases {
    /// (id, name) of each.
    list: Vec<(String, String)>,
    id_of: BTreeMap<String, String>,
    ids: BTreeSet<String>,
    /// The next suffix to try for each base id, so that many names with one slug stay linear.
    next_suffix: BTreeMap<String, usize>,
}

impl NamedPhases {
    /// The id of the phase named `name`, added on first sight. Its id is the name, or a slug
    /// of it, made unique among the phases: a slug can equal a phase row's id or another
    /// name's slug.
    fn id(&mut self, name: &str, table: &Table<'_>) -> String {
        if let Some(id) = self.id_of.get(name) {
            return id.clone();
        }
        let base = if is_id(name) {
            name.to_string()
        } else {
            slug(name)
        };
        let mut id = base.clone();
        while self.ids.contains(&id) || table.phase_row(&id).is_some_and(|row| row.id == id) {
            let k = self.next_suffix.entry(base.clone()).or_insert(2);
            id = format!("{base}-{k}");
            *k += 1;
        }
        self.ids.insert(id.clone());
        self.id_of.insert(name.to_string(), id.clone());
        self.list.push((id.clone(), name.to_string()));
        id
    }
}

/// Rows that are not phases, as tasks and milestones, in file order. A `phase` cell naming no
/// row makes a phase of that name, added to `named_phases`.
fn tasks_of(
    table: &Table<'_>,
    roles: &mut Roles,
    named_phases: &mut NamedPhases,
    notes: &mut Vec<String>,
) -> Vec<TaskDraft> {
    let mut no_estimate = Vec::new();
    let mut unknown_progress = Vec::new();
    let mut tasks = Vec::new();
    for (k, r) in table.rows.iter().enumerate() {
        if table.is_phase[k] {
            continue;
        }
        let milestone =
            is_kind(r, "milestone") || (r.estimate == Some([0.0; 3]) && r.due.is_some());
        let phase = r.phase.as_deref().map(|p| match table.phase_row(p) {
            Some(row) => row.id.clone(),
            None => named_phases.id(p, table),
        });
        let demand = match (&r.role, milestone) {
            (Some(role), false) => roles.demand(role, r.demand.unwrap_or(1)),
            _ => Vec::new(),
        };
        let done = progress(r).unwrap_or_else(|| {
            if let Some(s) = r.status.as_deref().filter(|_| !milestone) {
                unknown_progress.push(format!("{} ({s})", r.id));
            }
            0.0
        });
        if r.estimate.is_none() && !milestone {
            no_estimate.push(r.id.clone());
        }
        let estimate = r.estimate.unwrap_or([0.0; 3]);
        tasks.push(TaskDraft {
            id: r.id.clone(),
            name: r.name.clone(),
            phase: if milestone { None } else { phase },
            after: Vec::new(),
            duration: estimate[1],
            demand,
            done: if milestone { 0.0 } else { done },
            milestone,
            due: if milestone { r.due } else { None },
            estimate: (estimate[0] != estimate[2]).then_some(estimate),
            status: r.status.clone(),
            dates: Default::default(),
            calendar: None,
        });
    }
    if !no_estimate.is_empty() {
        notes.push(format!(
            "{} tasks have no estimate and are imported with duration 0: {} (map an estimate column with --map \"COLUMN=estimate\")",
            no_estimate.len(),
            shortened(&no_estimate)
        ));
    }
    if !unknown_progress.is_empty() {
        notes.push(format!(
            "{} tasks have a status that says neither done nor not started; imported as not started (done = 0): {} (map a progress column with --map \"COLUMN=done\")",
            unknown_progress.len(),
            shortened(&unknown_progress)
        ));
    }
    tasks
}

/// The rows as a draft: phases, tasks, milestones, links, roles.
fn build(
    rows: &[Row],
    name: &str,
    start: Date,
    problems: &mut Problems<'_>,
    notes: &mut Vec<String>,
) -> Option<(ModelDraft, Origins)> {
    if !check_unique(rows, problems) {
        return None;
    }
    let table = Table::new(rows);
    let mut phases: Vec<(String, String)> = Vec::new();
    for (_, r) in rows.iter().enumerate().filter(|(k, _)| table.is_phase[*k]) {
        phases.push((r.id.clone(), r.name.clone()));
        if r.estimate.is_some() {
            notes.push(format!(
                "line {}: {} \"{}\" is a phase (an epic or a parent of other rows): its estimate is not imported; its links apply to each of its tasks",
                r.line, r.id, r.name
            ));
        }
    }
    let mut roles = Roles::default();
    let mut named_phases = NamedPhases::default();
    let tasks = tasks_of(&table, &mut roles, &mut named_phases, notes);
    phases.extend(named_phases.list);
    let mut draft = ModelDraft {
        source: format!(
            "Imported from {} (CSV) by `plan import`.",
            problems.file.display()
        ),
        name: name.to_string(),
        start,
        workdays: [true, true, true, true, true, false, false],
        holidays: BTreeSet::new(),
        extra_workdays: Default::default(),
        hours: None,
        calendars: Vec::new(),
        roles: roles.found,
        phases,
        tasks,
        status_date: None,
    };
    let mut origins = Origins::default();
    for (_, r) in rows.iter().enumerate().filter(|(k, _)| !table.is_phase[*k]) {
        origins.insert(r.id.clone(), r.offset);
    }
    link_rows(&table, &mut draft, &mut origins, problems);
    if !problems.diags.is_empty() {
        return None;
    }
    add_due_milestones(&table, &mut draft, &mut origins, notes);
    Some((draft, origins))
}

/// Up to ten items, then how many more.
fn shortened(items: &[String]) -> String {
    let head = items
        .iter()
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > 10 {
        format!("{head} and {} more", items.len() - 10)
    } else {
        head
    }
}

/// The draft tasks each row stands for (itself, or every task of the phase it is), found once
/// so that linking stays linear in the number of links.
struct TaskIndex<'d> {
    by_id: BTreeMap<&'d str, usize>,
    by_phase: BTreeMap<&'d str, Vec<usize>>,
}

impl<'d> TaskIndex<'d> {
    fn new(draft: &'d ModelDraft) -> Self {
        let mut index = TaskIndex {
            by_id: BTreeMap::new(),
            by_phase: BTreeMap::new(),
        };
        for (i, t) in draft.tasks.iter().enumerate() {
            index.by_id.insert(&t.id, i);
            if let Some(p) = &t.phase {
                index.by_phase.entry(p).or_default().push(i);
            }
        }
        index
    }

    fn tasks_for(&self, row: &Row, table: &Table<'_>) -> Vec<usize> {
        if table.phase_row(&row.id).is_some() {
            self.by_phase
                .get(row.id.as_str())
                .cloned()
                .unwrap_or_default()
        } else {
            self.by_id
                .get(row.id.as_str())
                .map(|&i| vec![i])
                .unwrap_or_default()
        }
    }
}

/// Every row's `after` and `blocks` as links, a phase's for each of its tasks; an unknown id
/// is an error at its cell.
fn link_rows(
    table: &Table<'_>,
    draft: &mut ModelDraft,
    origins: &mut Origins,
    problems: &mut Problems<'_>,
) {
    let mut links: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let index = TaskIndex::new(draft);
    for r in table.rows {
        let this = index.tasks_for(r, table);
        let at = Place {
            line: r.line,
            offset: r.offset,
        };
        let refs = r.after.iter().map(|x| (x, false));
        for (reference, forward) in refs.chain(r.blocks.iter().map(|x| (x, true))) {
            let Some(&other) = table.by_ref.get(reference.id.as_str()) else {
                let known = table.rows.iter().map(|r| r.id.as_str());
                let help = match crate::error::closest(&reference.id, known) {
                    Some(c) => format!(
                        "did you mean \"{c}\"? every id named here must be a row of the file"
                    ),
                    None => "every id named here must be a row of the file".to_string(),
                };
                problems.cell(
                    at,
                    reference.field,
                    cell_key(&r.id, &reference.column),
                    format!("unknown id \"{}\"", reference.id),
                    &help,
                );
                continue;
            };
            if table.rows[other].id == r.id {
                problems.cell(
                    at,
                    reference.field,
                    cell_key(&r.id, &reference.column),
                    format!("\"{}\" depends on itself", r.id),
                    "remove the row's own id from its dependencies",
                );
                continue;
            }
            let others = index.tasks_for(&table.rows[other], table);
            if links.len() + this.len().saturating_mul(others.len()) > MAX_LINKS {
                problems.cell(
                    at,
                    reference.field,
                    cell_key(&r.id, &reference.column),
                    format!(
                        "the link to \"{}\" makes more than {MAX_LINKS} links between tasks ({} tasks after {})",
                        reference.id,
                        if forward { others.len() } else { this.len() },
                        if forward { this.len() } else { others.len() },
                    ),
                    "a link to or from an epic links each of its tasks: link the tasks that depend on each other instead",
                );
                return;
            }
            for &t in &this {
                // A task in a phase it depends on (or that depends on it) keeps its other links.
                for &o in others.iter().filter(|&&o| o != t) {
                    let (pred, succ) = if forward { (t, o) } else { (o, t) };
                    let lag = links.entry((pred, succ)).or_insert(reference.lag);
                    *lag = lag.max(reference.lag);
                    origins.insert_link(&draft.tasks[succ].id, &draft.tasks[pred].id, r.offset);
                }
            }
        }
    }
    let mut after: Vec<Vec<(String, LinkType, f64)>> = vec![Vec::new(); draft.tasks.len()];
    for ((pred, succ), lag) in links {
        after[succ].push((draft.tasks[pred].id.clone(), LinkType::FS, lag));
    }
    for (task, after) in draft.tasks.iter_mut().zip(after) {
        task.after = after;
    }
}

/// A due date on a task becomes a milestone `<id>.due` right after it, and one on a phase a
/// milestone after every task of the phase: the model keeps due dates on milestones only.
fn add_due_milestones(
    table: &Table<'_>,
    draft: &mut ModelDraft,
    origins: &mut Origins,
    notes: &mut Vec<String>,
) {
    let ids: BTreeSet<String> = draft.tasks.iter().map(|t| t.id.clone()).collect();
    for (k, r) in table.rows.iter().enumerate() {
        let Some(due) = r.due else { continue };
        let after: Vec<(String, LinkType, f64)> = if table.is_phase[k] {
            draft
                .tasks
                .iter()
                .filter(|t| t.phase.as_deref() == Some(r.id.as_str()))
                .map(|t| (t.id.clone(), LinkType::FS, 0.0))
                .collect()
        } else if draft.tasks.iter().any(|t| t.id == r.id && !t.milestone) {
            vec![(r.id.clone(), LinkType::FS, 0.0)]
        } else {
            continue;
        };
        if after.is_empty() {
            notes.push(format!(
                "line {}: the due date {due} of phase {} is not imported: the phase has no tasks",
                r.line, r.id
            ));
            continue;
        }
        let id = format!("{}.due", r.id);
        if ids.contains(&id) {
            notes.push(format!(
                "line {}: the due date {due} of {} is not imported: the id {id} is taken",
                r.line, r.id
            ));
            continue;
        }
        origins.insert(id.clone(), r.offset);
        draft.tasks.push(TaskDraft {
            id,
            name: format!("{} due", r.name),
            phase: None,
            after,
            duration: 0.0,
            demand: Vec::new(),
            done: 0.0,
            milestone: true,
            due: Some(due),
            estimate: None,
            status: None,
            dates: Default::default(),
            calendar: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(preset: Preset, maps: &[&str]) -> CsvOptions {
        CsvOptions {
            preset,
            maps: maps.iter().map(|m| m.parse().unwrap()).collect(),
            start: jiff::civil::date(2025, 9, 15),
            delimiter: None,
        }
    }

    fn read(text: &str, maps: &[&str]) -> Result<CsvImport, Diagnostics> {
        import(text, Path::new("plan.csv"), &options(Preset::Generic, maps))
    }

    #[test]
    fn a_phase_name_whose_slug_is_taken_gets_its_own_phase_id() {
        // `x!` and `x?` slug to `x`, the id of the row that is a phase: found by the csv
        // fuzz target (the model had two phases "x").
        let imported = read("id,phase\nx,\na,x\nb,x!\nc,x?\nd,x!\n", &[]).unwrap();
        let phases: Vec<(&str, &str)> = imported
            .draft
            .phases
            .iter()
            .map(|(id, name)| (id.as_str(), name.as_str()))
            .collect();
        assert_eq!(phases, [("x", "x"), ("x-2", "x!"), ("x-3", "x?")]);
        let phase_of = |id: &str| {
            let task = imported.draft.tasks.iter().find(|t| t.id == id).unwrap();
            task.phase.clone().unwrap()
        };
        assert_eq!(
            ["a", "b", "c", "d"].map(phase_of),
            ["x", "x-2", "x-3", "x-2"]
        );
    }

    #[test]
    fn epic_links_that_would_make_too_many_task_links_are_an_error_at_the_cell() {
        let mut text = String::from("id,phase,depends on,type\nE1,,,epic\nE2,,E1,epic\n");
        for k in 0..710 {
            text.push_str(&format!("a{k},E1\nb{k},E2\n"));
        }
        let e = read(&text, &[]).unwrap_err().to_string();
        assert!(e.contains("plan.csv:3:5"), "{e}");
        assert!(e.contains("row E2, column \"depends on\""), "{e}");
        assert!(e.contains("more than 500000 links"), "{e}");
    }

    #[test]
    fn units_convert_with_eight_hour_days_and_five_day_weeks() {
        assert_eq!(days("3"), Some(3.0));
        assert_eq!(days("3d"), Some(3.0));
        assert_eq!(days("16h"), Some(2.0));
        assert_eq!(days("2w"), Some(10.0));
        assert_eq!(days("1w 2d 4h"), Some(7.5));
        assert_eq!(days("abc"), None);
        assert_eq!(days("inf"), None);
        assert_eq!(days("-1"), None);
        assert_eq!(three_point("2/3/5"), Some([2.0, 3.0, 5.0]));
        assert_eq!(three_point("5/3/2"), None);
    }

    #[test]
    fn dependencies_take_separators_lags_and_github_references() {
        let refs = references("S01, S02;S03 S09+5d", None).unwrap();
        let ids: Vec<&str> = refs.iter().map(|(i, _)| i.as_str()).collect();
        assert_eq!(ids, ["S01", "S02", "S03", "S09"]);
        assert_eq!(refs[3].1, 5.0);
        assert_eq!(references("S01+x", None), Err("S01+x".to_string()));
        assert_eq!(
            reference_id("https://github.com/acme/shop/issues/12", None),
            "shop-12"
        );
        assert_eq!(reference_id("#7", Some("acme/shop")), "shop-7");
        assert_eq!(reference_id("acme/web#3", Some("acme/shop")), "web-3");
    }

    #[test]
    fn the_separator_is_the_header_lines_most_frequent() {
        assert_eq!(guess_delimiter("id,name,estimate\n"), b',');
        assert_eq!(guess_delimiter("id;name;\"a,b\"\n1,2,3,4\n"), b';');
        assert_eq!(guess_delimiter("Title\tURL\tStatus\n"), b'\t');
        assert_eq!(guess_delimiter("name\n"), b',');
    }

    #[test]
    fn fractions_percentages_and_dates() {
        assert_eq!(fraction("40%"), Some(0.4));
        assert_eq!(fraction("0.25"), Some(0.25));
        assert_eq!(fraction("40"), None);
        assert_eq!(date("2025-10-31"), Some(jiff::civil::date(2025, 10, 31)));
        assert_eq!(
            date("2025-10-31T12:00:00Z"),
            Some(jiff::civil::date(2025, 10, 31))
        );
        assert_eq!(
            date("31/Oct/25 5:00 PM"),
            Some(jiff::civil::date(2025, 10, 31))
        );
        assert_eq!(date("soon"), None);
    }

    #[test]
    fn a_generic_sheet_reads_tasks_links_roles_and_milestones() {
        let text = "id,name,phase,depends on,estimate,role,people,done,due\n\
                    A,Design,Build,,2/3/5,Backend,2,50%,\n\
                    B,Code,Build,A+1d,16h,backend,,,\n\
                    M,Release,,B,0,,,,2025-10-31\n";
        let got = read(text, &[]).unwrap();
        let t = &got.draft.tasks;
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].estimate, Some([2.0, 3.0, 5.0]));
        assert_eq!(t[0].done, 0.5);
        assert_eq!(t[0].demand, [("backend".to_string(), 2)]);
        assert_eq!(t[1].after, [("A".to_string(), LinkType::FS, 1.0)]);
        assert_eq!(t[1].duration, 2.0);
        assert!(t[2].milestone);
        assert_eq!(t[2].due, Some(jiff::civil::date(2025, 10, 31)));
        assert_eq!(got.draft.roles.len(), 1);
        assert_eq!(got.draft.roles[0].team, 2);
        assert_eq!(
            got.draft.phases,
            [("Build".to_string(), "Build".to_string())]
        );
        let model = crate::model::parse_model(&got.draft.to_toml(), Path::new("m.toml")).unwrap();
        assert_eq!(model.tasks.len(), 2);
    }

    #[test]
    fn a_bad_cell_is_reported_at_its_line_and_column() {
        let text = "id,name,estimate,depends on\nA,One,3,\nB,Two,\"lots\",A\nC,Three,1,Z\n";
        let err = read(text, &[]).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert_eq!(err.0[0].location, Some((3, 7)), "{err}");
        assert!(err.0[0].key.contains("column \"estimate\""), "{err}");
        let text = "id,name,estimate,depends on\nA,One,3,\nC,Three,1,Z\n";
        let err = read(text, &[]).unwrap_err();
        assert_eq!(err.0[0].location, Some((3, 11)), "{err}");
        assert!(err.0[0].message.contains("unknown id \"Z\""), "{err}");
    }

    #[test]
    fn links_of_an_epic_apply_to_each_of_its_tasks() {
        let text = "id,name,type,phase,depends on,estimate\n\
                    E1,First epic,Epic,,,\n\
                    E2,Second epic,Epic,,E1,\n\
                    A,a,,E1,,1\n\
                    B,b,,E1,,1\n\
                    C,c,,E2,E2,1\n";
        let got = read(text, &[]).unwrap();
        let c = got.draft.tasks.iter().find(|t| t.id == "C").unwrap();
        let after: Vec<&str> = c.after.iter().map(|(p, _, _)| p.as_str()).collect();
        assert_eq!(after, ["A", "B"], "its own phase adds no link to itself");
    }

    #[test]
    fn a_duplicate_id_names_both_lines() {
        let err = read("id,name\nA,x\nA,y\n", &[]).unwrap_err();
        assert_eq!(err.0[0].location, Some((3, 1)));
        assert!(err.0[0].message.contains("first on line 2"), "{err}");
    }

    #[test]
    fn map_overrides_the_preset_and_unknown_columns_are_listed() {
        let text = "Issue key,Summary,Original Estimate,Story Points,Flavour\nP-1,A,28800,3\n";
        let jira = |maps: &[&str]| import(text, Path::new("j.csv"), &options(Preset::Jira, maps));
        let plain = jira(&[]).unwrap();
        assert_eq!(plain.draft.tasks[0].duration, 1.0);
        assert_eq!(plain.unknown_columns, ["Story Points", "Flavour"]);
        let mapped = jira(&["Story Points=estimate"]).unwrap();
        assert_eq!(mapped.draft.tasks[0].duration, 3.0);
        assert_eq!(mapped.unknown_columns, ["Flavour"]);
        let typo = jira(&["Story Pionts=estimate"]).unwrap_err();
        assert!(
            typo.0[0].help.as_deref().unwrap().contains("Story Points"),
            "{typo}"
        );
    }

    #[test]
    fn epics_become_phases_and_dependencies_on_them_mean_their_tasks() {
        let text = "Issue key,Issue id,Summary,Issue Type,Parent id,Inward issue link (Blocks),Original Estimate,Due Date\n\
                    P-1,10001,Epic one,Epic,,,,31/Oct/25\n\
                    P-2,10002,Task a,Story,10001,,28800,\n\
                    P-3,10003,Task b,Story,,P-1,28800,\n";
        let got = import(text, Path::new("j.csv"), &options(Preset::Jira, &[])).unwrap();
        assert_eq!(got.draft.phases[0].0, "P-1");
        let b = got.draft.tasks.iter().find(|t| t.id == "P-3").unwrap();
        assert_eq!(b.after, [("P-2".to_string(), LinkType::FS, 0.0)]);
        let due = got.draft.tasks.iter().find(|t| t.id == "P-1.due").unwrap();
        assert!(due.milestone);
        assert_eq!(due.after, [("P-2".to_string(), LinkType::FS, 0.0)]);
    }
}
