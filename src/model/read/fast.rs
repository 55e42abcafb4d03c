//! The plain `[[task]]` tables of a large model read straight from the TOML parser's events.
//!
//! The document tree ([`DeTable`]) costs a B-tree node per table, a decoded copy of every
//! event and a state machine over them; for the tasks of a large file that tree is most of the
//! load. Here `toml_parser` (the parser under the `toml` crate) pushes its events into a small
//! list of keys and values per table, and the tasks are read from that. A batch of only the
//! plainest lines gets the same tables without the parser ([`super::scan`]).
//!
//! This reads only what it is sure of: tables of the common keys with valid values. Anything
//! else (another key, a dotted key, a duplicate, any value out of its rules, any syntax error)
//! gives `None`, and the caller reads the batch from the document tree instead, so every
//! message is the tree reader's own and every task read here equals what it would read.

use super::tree::{Entry, Item, Node, Table, MAX_DEPTH};
use super::*;
use std::borrow::Cow;
use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::parser::{parse_document, EventReceiver, RecursionGuard, ValidateWhitespace};
use toml_parser::{ErrorSink, ParseError, Raw, Source, Span};

/// The keys a task read here may have; any other sends the batch to the tree reader.
const PLAIN_TASK_KEYS: [&str; 14] = [
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
];

/// The tasks of one batch of `[[task]]` sections (its own text, spans from 0), or `None` when
/// any of it is not plain (see the module's documentation).
pub(super) fn read_tasks(
    r: &Reader<'_>,
    text: &str,
    sections: usize,
    roles: &[Role],
) -> Option<Vec<Task>> {
    if let Some(tasks) = read_scanned(r, text, sections, roles) {
        return tasks;
    }
    let tables = collect(text)?;
    let mut tasks = Vec::with_capacity(tables.len());
    let mut lines = Lines::new(r, text);
    for table in &tables {
        tasks.push(read_task(&mut lines, text, table, roles)?);
    }
    Some(tasks)
}

/// The tasks of a batch of plain lines, each read as soon as it is scanned: `None` when a
/// line is not plain (then the batch goes through the parser), `Some(None)` when a table does
/// not read as a task here (the parser would give the same table).
fn read_scanned(
    r: &Reader<'_>,
    text: &str,
    sections: usize,
    roles: &[Role],
) -> Option<Option<Vec<Task>>> {
    let mut scanner = super::scan::TableScanner::new(text);
    let mut table = Table {
        header: 0,
        entries: Vec::with_capacity(PLAIN_TASK_KEYS.len()),
    };
    let mut tasks = Vec::with_capacity(sections);
    let mut lines = Lines::new(r, text);
    while scanner.next_into(&mut table)? {
        match read_task(&mut lines, text, &table, roles) {
            Some(task) => tasks.push(task),
            None => return Some(None),
        }
    }
    Some(Some(tasks))
}

/// The line and column of offsets into a batch, asked in increasing order: counted on from
/// the last one asked, where a lookup in the file's line index would search millions of
/// line starts for each task and link.
struct Lines<'r, 's> {
    reader: &'r Reader<'s>,
    text: &'s str,
    /// The line of `line_start`, and the column the batch's text starts at on its first line.
    line: usize,
    first_col: usize,
    /// Where the line of `counted` starts, `None` while that is the batch's first line.
    line_start: Option<usize>,
    /// The offset up to which newlines are counted.
    counted: usize,
}

impl<'r, 's> Lines<'r, 's> {
    fn new(reader: &'r Reader<'s>, text: &'s str) -> Self {
        let (line, first_col) = reader.loc(0..0).unwrap_or((1, 1));
        Lines {
            reader,
            text,
            line,
            first_col,
            line_start: None,
            counted: 0,
        }
    }

    /// The location of the value at `offset` in the batch, as [`Reader::loc`] gives it.
    fn loc(&mut self, offset: usize) -> Location {
        let Some(skipped) = self.text.get(self.counted..offset) else {
            return self.reader.loc(offset..offset);
        };
        if let Some(last) = skipped.rfind('\n') {
            self.line += skipped.bytes().filter(|&b| b == b'\n').count();
            self.line_start = Some(self.counted + last + 1);
        }
        self.counted = offset;
        let (start, col) = match self.line_start {
            Some(start) => (start, 1),
            None => (0, self.first_col),
        };
        let chars = self.text.get(start..offset)?.chars().count();
        Some((self.line, col + chars))
    }
}

/// An array or inline table being filled, with where it opened and the key it goes under.
struct Open<'s> {
    start: usize,
    key: Option<Cow<'s, str>>,
    node: Node<'s>,
}

/// Builds the tables from the parser's events; `plain` turns false at anything it does not
/// take (and then nothing it built is used).
struct Collector<'s> {
    text: &'s str,
    tables: Vec<Table<'s>>,
    open: Vec<Open<'s>>,
    key: Option<Cow<'s, str>>,
    in_header: bool,
    plain: bool,
}

/// The `[[task]]` tables of `text`, or `None` if it has a syntax error or anything else.
pub(super) fn collect(text: &str) -> Option<Vec<Table<'_>>> {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut collector = Collector {
        text,
        tables: Vec::new(),
        open: Vec::new(),
        key: None,
        in_header: false,
        plain: true,
    };
    let mut error: Option<ParseError> = None;
    {
        let mut validated = ValidateWhitespace::new(&mut collector, source);
        let mut guarded = RecursionGuard::new(&mut validated, MAX_DEPTH as u32 + 1);
        parse_document(&tokens, &mut guarded, &mut error);
    }
    (error.is_none() && collector.plain && collector.open.is_empty() && collector.key.is_none())
        .then_some(collector.tables)
}

impl<'s> Collector<'s> {
    fn decoded_key(&self, span: Span, encoding: Option<Encoding>) -> Option<Cow<'s, str>> {
        let raw = Raw::new_unchecked(self.text.get(span.start()..span.end())?, encoding, span);
        let mut key = Cow::Borrowed("");
        let mut error: Option<ParseError> = None;
        raw.decode_key(&mut key, &mut error);
        error.is_none().then_some(key)
    }

    /// Puts a finished value into the innermost open container, or under its key in the task.
    fn place(&mut self, item: Item<'s>) {
        match self.open.last_mut().map(|o| &mut o.node) {
            Some(Node::Array(items)) => items.push(item),
            Some(Node::Table(entries)) => match self.key.take() {
                Some(key) => entries.push(Entry { key, item }),
                None => self.plain = false,
            },
            Some(Node::Scalar(_)) => self.plain = false,
            None => match (self.key.take(), self.tables.last_mut()) {
                (Some(key), Some(table)) => table.entries.push(Entry { key, item }),
                _ => self.plain = false,
            },
        }
    }

    fn open(&mut self, span: Span, node: Node<'s>) -> bool {
        if self.open.len() >= MAX_DEPTH {
            self.plain = false;
        }
        let key = self.key.take();
        self.open.push(Open {
            start: span.start(),
            key,
            node,
        });
        true
    }

    fn close(&mut self, span: Span) {
        let Some(open) = self.open.pop() else {
            self.plain = false;
            return;
        };
        self.key = open.key;
        self.place(Item {
            span: open.start..span.end(),
            node: open.node,
        });
    }
}

impl EventReceiver for Collector<'_> {
    fn std_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.plain = false;
    }
    fn array_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        if !self.open.is_empty() || self.key.is_some() {
            self.plain = false;
        }
        self.tables.push(Table {
            header: span.start(),
            entries: Vec::new(),
        });
        self.in_header = true;
    }
    fn array_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.in_header = false;
    }
    fn inline_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.open(span, Node::Table(Vec::new()))
    }
    fn inline_table_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.close(span);
    }
    fn array_open(&mut self, span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.open(span, Node::Array(Vec::new()))
    }
    fn array_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.close(span);
    }
    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, _error: &mut dyn ErrorSink) {
        let key = self.decoded_key(span, encoding);
        if self.in_header {
            // The caller splits out only `[[task]]` headers.
            if key.as_deref() != Some("task") {
                self.plain = false;
            }
            return;
        }
        match key {
            Some(key) if self.key.is_none() => self.key = Some(key),
            _ => self.plain = false,
        }
    }
    fn key_sep(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        // A dotted key: left to the tree reader.
        self.plain = false;
    }
    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, _error: &mut dyn ErrorSink) {
        self.place(Item {
            span: span.start()..span.end(),
            node: Node::Scalar(encoding),
        });
    }
    fn error(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.plain = false;
    }
}

/// The value of each key of `entries` that `allowed` names, in `allowed`'s order; `None` when a
/// key is not allowed or is given twice.
fn fields<'e, 's, const N: usize>(
    entries: &'e [Entry<'s>],
    allowed: &[&str; N],
) -> Option<[Option<&'e Item<'s>>; N]> {
    let mut found = [None; N];
    for e in entries {
        let i = allowed.iter().position(|k| *k == e.key)?;
        if found[i].replace(&e.item).is_some() {
            return None;
        }
    }
    Some(found)
}

/// A scalar decoded: its kind and text (a string's value, a number's digits).
fn scalar<'s>(text: &'s str, item: &Item<'s>) -> Option<(ScalarKind, Cow<'s, str>)> {
    let Node::Scalar(encoding) = item.node else {
        return None;
    };
    let span = Span::new_unchecked(item.span.start, item.span.end);
    let raw = Raw::new_unchecked(text.get(item.span.clone())?, encoding, span);
    let mut out = Cow::Borrowed("");
    let mut error: Option<ParseError> = None;
    let kind = raw.decode_scalar(&mut out, &mut error);
    error.is_none().then_some((kind, out))
}

fn string(text: &str, item: &Item<'_>) -> Option<String> {
    match scalar(text, item)? {
        (ScalarKind::String, s) => Some(s.into_owned()),
        _ => None,
    }
}

/// A finite number of either sign, parsed as the tree reader parses it.
fn finite(text: &str, item: &Item<'_>) -> Option<f64> {
    let x = match scalar(text, item)? {
        (ScalarKind::Integer(radix), digits) => {
            i64::from_str_radix(&digits, radix.value()).ok()? as f64
        }
        (ScalarKind::Float, digits) => digits.replace('_', "").parse::<f64>().ok()?,
        _ => return None,
    };
    x.is_finite().then_some(x)
}

/// A number of zero or more, at most `limit`.
fn bounded(text: &str, item: &Item<'_>, limit: f64) -> Option<f64> {
    let x = finite(text, item)?;
    (x >= 0.0 && x <= limit).then_some(x)
}

/// A whole number of people, at most [`MAX_PEOPLE`].
fn count(text: &str, item: &Item<'_>) -> Option<u32> {
    let x = bounded(text, item, f64::from(MAX_PEOPLE))?;
    (x.fract() == 0.0).then_some(x as u32)
}

/// A number or an ordered `[optimistic, likely, pessimistic]`, each at most `limit`.
fn estimate(text: &str, item: &Item<'_>, limit: f64) -> Option<Estimate> {
    let Node::Array(items) = &item.node else {
        return bounded(text, item, limit).map(Estimate::fixed);
    };
    let [o, m, p] = items.as_slice() else {
        return None;
    };
    let (o, m, p) = (
        bounded(text, o, limit)?,
        bounded(text, m, limit)?,
        bounded(text, p, limit)?,
    );
    (o <= m && m <= p).then_some(Estimate {
        optimistic: o,
        likely: m,
        pessimistic: p,
    })
}

/// `after = ["S01", { id = "S02", type = "SS", lag = 5 }]`.
fn dependencies(lines: &mut Lines<'_, '_>, text: &str, item: &Item<'_>) -> Option<Vec<Dependency>> {
    let Node::Array(items) = &item.node else {
        return None;
    };
    items
        .iter()
        .map(|it| {
            let location = lines.loc(it.span.start);
            let (id, kind, lag) = match &it.node {
                Node::Table(entries) => {
                    let [id, kind, lag] = fields(entries, &["id", "type", "lag"])?;
                    let kind = match kind {
                        Some(k) => LinkType::from_name(&string(text, k)?)?,
                        None => LinkType::FS,
                    };
                    let lag = match lag {
                        Some(l) => finite(text, l).filter(|x| x.abs() <= MAX_DAYS)?,
                        None => 0.0,
                    };
                    (string(text, id?)?, kind, lag)
                }
                _ => (string(text, it)?, LinkType::FS, 0.0),
            };
            Some(Dependency {
                id,
                kind,
                lag,
                lag_percent: None,
                location,
            })
        })
        .collect()
}

/// A role-keyed inline table (`demand = { backend = 2 }`) in the tree reader's order (its
/// B-tree's: by role id), each role declared.
fn role_table<T>(
    text: &str,
    item: &Item<'_>,
    roles: &[Role],
    read_value: impl Fn(&str, &Item<'_>) -> Option<T>,
) -> Option<Vec<(usize, T)>> {
    let Node::Table(entries) = &item.node else {
        return None;
    };
    let mut sorted: Vec<&Entry<'_>> = entries.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    if sorted.windows(2).any(|w| w[0].key == w[1].key) {
        return None;
    }
    sorted
        .into_iter()
        .map(|e| {
            let role = roles.iter().position(|x| x.id == e.key)?;
            Some((role, read_value(text, &e.item)?))
        })
        .collect()
}

/// `[min, max]` people, or one number for exactly that many.
fn crew(text: &str, item: &Item<'_>) -> Option<(u32, u32)> {
    let Node::Array(items) = &item.node else {
        let n = count(text, item)?;
        return (n > 0).then_some((n, n));
    };
    let [lo, hi] = items.as_slice() else {
        return None;
    };
    let (lo, hi) = (count(text, lo)?, count(text, hi)?);
    (lo <= hi && hi > 0).then_some((lo.max(1), hi))
}

/// The work of a task: a duration or estimate with its demand, or effort with its crews.
fn work(
    text: &str,
    [duration, estimate_v, demand, effort, crew_v]: [Option<&Item<'_>>; 5],
    roles: &[Role],
) -> Option<Work> {
    if let Some(v) = match (duration, estimate_v) {
        (Some(_), Some(_)) => return None,
        (d, e) => d.or(e),
    } {
        if effort.is_some() || crew_v.is_some() {
            return None;
        }
        let demand = match demand {
            Some(d) => role_table(text, d, roles, count)?,
            None => Vec::new(),
        };
        return Some(Work::Fixed {
            duration: estimate(text, v, MAX_DAYS)?,
            demand,
        });
    }
    if demand.is_some() {
        return None;
    }
    let efforts = role_table(text, effort?, roles, |text, v| {
        estimate(text, v, MAX_EFFORT)
    })?;
    let crews = match crew_v {
        Some(c) => role_table(text, c, roles, crew)?,
        None => Vec::new(),
    };
    if efforts.is_empty() || crews.len() != efforts.len() {
        return None;
    }
    // Both lists are sorted by role id, so each crew is beside its effort.
    efforts
        .into_iter()
        .zip(crews)
        .map(|((role, effort), (crew_role, crew))| {
            (role == crew_role && effort.pessimistic / f64::from(crew.0) <= MAX_DAYS)
                .then_some(RoleEffort { role, effort, crew })
        })
        .collect::<Option<Vec<_>>>()
        .map(Work::Effort)
}

fn read_task(
    lines: &mut Lines<'_, '_>,
    text: &str,
    table: &Table<'_>,
    roles: &[Role],
) -> Option<Task> {
    let [id, name, phase, after, duration, estimate_v, demand, effort, crew_v, done, component, stage, status, notes] =
        fields(&table.entries, &PLAIN_TASK_KEYS)?;
    // Before its links: locations are asked in file order.
    let location = lines.loc(table.header);
    let id = string(text, id?).filter(|id| is_valid_id(id))?;
    let optional = |v: Option<&Item<'_>>| match v {
        Some(v) => string(text, v).map(Some),
        None => Some(None),
    };
    let (name, phase) = (optional(name)?, optional(phase)?);
    let (component, stage, status) = (optional(component)?, optional(stage)?, optional(status)?);
    optional(notes)?;
    let after = match after {
        Some(a) => dependencies(lines, text, a)?,
        None => Vec::new(),
    };
    let done = match done {
        Some(d) => bounded(text, d, 1.0)?,
        None => 0.0,
    };
    let work = work(text, [duration, estimate_v, demand, effort, crew_v], roles)?;
    let (work, done) = progress_applied(work, done, None, false);
    Some(Task {
        name: name.unwrap_or_else(|| id.clone()),
        id,
        phase,
        after,
        work,
        done,
        actual_start: None,
        actual_finish: None,
        remaining: None,
        constraint: None,
        deadline: None,
        component,
        stage,
        status,
        location,
        actual_effort: None,
        calendar: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: &str = "[project]\nstart = 2025-09-15\n[roles.qa]\n[roles.backend]\n";

    /// The tasks of `tasks` read by the tree reader from a whole file, as text.
    fn by_tree(tasks: &str) -> String {
        let model = read_whole_model(&format!("{ROLES}{tasks}"), Path::new("m.toml"));
        format!("{:?}", model.map(|m| m.tasks))
    }

    /// The same tasks read here, with the file's offsets, or `None` when left to the tree.
    fn by_events(tasks: &str) -> Option<String> {
        let src = format!("{ROLES}{tasks}");
        let roles = read_whole_model(ROLES, Path::new("m.toml")).unwrap().roles;
        let r = Reader::new(&src, Path::new("m.toml")).part(ROLES.len());
        let tasks = read_tasks(&r, &src[ROLES.len()..], 0, &roles)?;
        Some(format!("{:?}", Ok::<_, ()>(tasks)))
    }

    /// The same tasks read as scanned (`None`: a line is not plain).
    fn by_scan(tasks: &str) -> Option<Option<String>> {
        let src = format!("{ROLES}{tasks}");
        let roles = read_whole_model(ROLES, Path::new("m.toml")).unwrap().roles;
        let r = Reader::new(&src, Path::new("m.toml")).part(ROLES.len());
        let tasks = read_scanned(&r, &src[ROLES.len()..], 0, &roles)?;
        Some(tasks.map(|t| format!("{:?}", Ok::<_, ()>(t))))
    }

    #[test]
    fn plain_tasks_read_as_the_tree_reads_them() {
        let tasks = "[[task]]\nid = \"A\"\nname = 'Design'\nphase = \"P\"\nestimate = [1, 2.5, 0x4]\n\
                     demand = { qa = 1, backend = 2 }\ndone = 0.25\nnotes = \"\"\"x\"\"\"\n\n\
                     [[task]] # the second\nid = \"B\"\nafter = [\"A\", { id = \"A\", type = \"SS\", lag = -1.5 },\n  { lag = 2, id = \"C\" }]\n\
                     effort = { qa = [2, 3, 4], backend = 1_0 }\ncrew = { backend = 2, qa = [0, 3] }\n\
                     status = \"late\"\ncomponent = \"c\"\nstage = \"s\"\n\
                     [[task]]\nid = \"C\"\nduration = 3\n";
        let expected = by_tree(tasks);
        assert!(expected.starts_with("Ok("), "{expected}");
        assert_eq!(by_events(tasks), Some(expected));
        // Without its comment, multi-line string, hex and `_` every line is plain: scanned.
        let plain = tasks
            .replace(" # the second", "")
            .replace("\"\"\"x\"\"\"", "\"x\"")
            .replace("0x4", "4")
            .replace("1_0", "10");
        let expected = by_tree(&plain);
        assert!(expected.starts_with("Ok("), "{expected}");
        assert_eq!(by_scan(&plain), Some(Some(expected)));
    }

    #[test]
    fn anything_else_is_left_to_the_tree_reader() {
        let head = "[[task]]\nid = \"A\"\nduration = 1\n[[task]]\nid = \"B\"\n";
        for rest in [
            "duration = 1\ndeadline = 2025-10-01\n",
            "duration = 1\ndemand.qa = 1\n",
            "duration = 1\nduration = 2\n",
            "duration = 1\ndemand = { qa = 1, qa = 2 }\n",
            "duration = -1\n",
            "duration = nan\n",
            "estimate = [3, 2, 1]\n",
            "duration = 1\ndemand = { tester = 1 }\n",
            "duration = 1\ncrew = { qa = 1 }\n",
            "effort = { qa = 3 }\n",
            "effort = { qa = 3 }\ncrew = { backend = 1 }\n",
            "effort = { qa = 30000 }\ncrew = { qa = 1 }\n",
            "duration = 1\nafter = [[\"A\"]]\n",
            "duration = 1\nafter = [{ id = \"A\", type = \"XX\" }]\n",
            "duration = 1\nname = 3\n",
            "duration = 1\nid2 = 3\n",
            "name = \"no work\"\n",
            "duration = 1\nname = \"unterminated\n",
        ] {
            assert_eq!(by_events(&format!("{head}{rest}")), None, "{rest}");
        }
        assert!(by_events(&format!("{head}duration = 1\n")).is_some());
    }
}
