//! Large models read a few hundred `[[task]]` tables at a time.
//!
//! The TOML document tree costs about 7 KB per task (tokens, parser events, a B-tree node per
//! inline table), so a million-task file would need 7 GB if parsed whole. Here the file's
//! `[[task]]` sections are found by the TOML lexer, parsed in batches and read into tasks one
//! batch at a time; everything else is parsed as one document with the task sections blanked
//! out, so every byte offset, and so every reported line and column, is the file's own.
//!
//! A batch of plain tasks is read straight from the parser's events, without its tree (see
//! [`super::fast`]); any other batch is parsed into a tree and read from that.
//!
//! Whenever this could differ from reading the file whole (a syntax error anywhere, or another
//! section that touches `task`), it gives up and the caller reads the file whole, so messages
//! are exactly the whole-file ones.

use super::*;
use rayon::prelude::*;
use toml_parser::lexer::TokenKind;
use toml_parser::Source;

/// Files smaller than this are read whole: splitting only pays for large files.
const MIN_BYTES: usize = 1 << 20;

/// Task sections parsed together, at most this many bytes (unless one section is larger).
const BATCH_BYTES: usize = 256 << 10;

/// Reads a model file: section by section when it is large and that reads the same, else whole.
pub(crate) fn read_model(src: &str, file: &Path) -> Result<Model, Diagnostics> {
    if src.len() >= MIN_BYTES {
        if let Some(result) = read_model_in_sections(src, file) {
            return result;
        }
    }
    read_whole_model(src, file)
}

/// The model read section by section, or `None` when the file must be read whole instead.
fn read_model_in_sections(src: &str, file: &Path) -> Option<Result<Model, Diagnostics>> {
    let sections = task_sections(src);
    if sections.is_empty() {
        return None;
    }
    let rest = blank_out(src, &sections)?;
    let doc = parse_cleanly(&rest)?;
    if field(&doc, "task").is_some() {
        return None;
    }
    // Each reader is a part of this one (same file, same line index).
    let template = Reader::new(src, file);
    let mut r = template.part(0);
    // The same order as reading the file whole, so diagnostics come out in the same order.
    r.check_keys(&doc, "", TOP_KEYS);
    let project = read_project(&mut r, &doc);
    let (calendar, hours) = read_calendar(&mut r, &doc);
    let calendars = read_calendars(&mut r, &doc);
    let roles = read_roles(&mut r, &doc);
    let phases = read_list(&mut r, &doc, "phase", read_phase);
    // Milestones and risks are read now, so the rest of the document (as large as the file)
    // and its tree are freed before the tasks are; their diagnostics still come after the
    // tasks', as when the file is read whole.
    let mut late = template.part(0);
    let milestones = read_list(&mut late, &doc, "milestone", read_milestone);
    let risks = read_list(&mut late, &doc, "risk", read_risk);
    for kind in ["phase", "risk"] {
        report_duplicate_ids(&mut late, &doc, kind);
    }
    let (mut diags, late) = (r.diags, late.diags);
    drop(doc);
    drop(rest);
    // Parsing and reading the tasks is most of the work, and each batch is parsed and read
    // on its own, one per thread; their tasks and diagnostics are joined in file order, so
    // diagnostics keep theirs. Each batch's document tree is freed as soon as it is read, and
    // a few batches per thread at a time are joined, so a batch's tasks are not held twice
    // for long.
    let batches = batches(&sections);
    let (template, roles_ref) = (&template, &roles);
    let mut tasks = Vec::with_capacity(sections.len());
    for group in batches.chunks(4 * rayon::current_num_threads().max(1)) {
        let parts: Vec<(Vec<Task>, Diagnostics)> = group
            .par_iter()
            .map(|batch| {
                let text = &src[batch.range.clone()];
                let mut br = template.part(batch.range.start);
                if let Some(tasks) = super::fast::read_tasks(&br, text, batch.sections, roles_ref) {
                    return Some((tasks, br.diags));
                }
                let part = parse_cleanly(text)?;
                let mut tasks = Vec::with_capacity(batch.sections);
                read_tasks(&mut br, &part, roles_ref, batch.before, &mut tasks);
                Some((tasks, br.diags))
            })
            .collect::<Option<_>>()?;
        for (part, part_diags) in parts {
            tasks.extend(part);
            diags.0.extend(part_diags.0);
        }
    }
    diags.0.extend(late.0);
    Some(match project {
        Some(project) if diags.is_empty() => Ok(Model {
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
        _ => Err(diags),
    })
}

/// Reads the `[[task]]` tables of one batch into `tasks`, numbering them after the `before`
/// tables of the batches before it (a table that fails to read still counts: `task[7]` is
/// the seventh table in the file).
fn read_tasks<'s>(
    r: &mut Reader<'s>,
    part: &DeTable<'s>,
    roles: &[Role],
    before: usize,
    tasks: &mut Vec<Task>,
) {
    let Some(v) = field(part, "task") else {
        return;
    };
    let tables = array_of_tables(r, v, "task");
    for (i, (t, span)) in tables.into_iter().enumerate() {
        let key = entry_key(t, "task", before + i);
        if let Some(task) = read_task(r, t, span, &key, roles) {
            tasks.push(task);
        }
    }
}

/// The document, or `None` when it has any syntax error (then the file is read whole).
fn parse_cleanly(text: &str) -> Option<DeTable<'_>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    errors.is_empty().then(|| doc.into_inner())
}

/// The text with every byte of the given ranges replaced by a space: same length, same offsets.
fn blank_out(src: &str, ranges: &[Range<usize>]) -> Option<String> {
    let mut bytes = src.as_bytes().to_vec();
    for range in ranges {
        bytes.get_mut(range.clone())?.fill(b' ');
    }
    String::from_utf8(bytes).ok()
}

/// A run of adjacent task sections parsed together.
#[derive(Debug, PartialEq)]
struct Batch {
    /// Its bytes in the file.
    range: Range<usize>,
    /// How many `[[task]]` sections (so tables) it has.
    sections: usize,
    /// How many sections come before it in the file.
    before: usize,
}

/// Adjacent sections merged into runs of at most [`BATCH_BYTES`].
fn batches(sections: &[Range<usize>]) -> Vec<Batch> {
    let mut out: Vec<Batch> = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        match out.last_mut() {
            Some(last) if last.range.end == s.start && s.end - last.range.start <= BATCH_BYTES => {
                last.range.end = s.end;
                last.sections += 1;
            }
            _ => out.push(Batch {
                range: s.clone(),
                sections: 1,
                before: i,
            }),
        }
    }
    out
}

/// The byte range of every `[[task]]` section, from its header to the next table header (or
/// the end of the file).
///
/// A table header is a `[` first on its line outside any array or inline table value; the TOML
/// lexer keeps strings and comments from being mistaken for one. Only the plain spelling
/// `[[task]]` is split out: any other header naming `task` stays in the rest of the document,
/// where it makes the caller read the file whole.
fn task_sections(src: &str) -> Vec<Range<usize>> {
    let headers = headers_in_parallel(src).unwrap_or_else(|| lex_headers(src, 0).headers);
    headers
        .iter()
        .enumerate()
        .filter(|(_, (_, is_task))| *is_task)
        .map(|(i, &(start, _))| start..headers.get(i + 1).map_or(src.len(), |h| h.0))
        .collect()
}

/// Bytes of the file lexed apart, in parallel (see [`headers_in_parallel`]).
const PIECE_BYTES: usize = 1 << 20;

/// The table headers of a large file lexed in pieces at once, or `None` when a piece does
/// not end as a line of the file ends outside any value.
///
/// Each piece after the first starts at a `[` first on its line. The lexer reads tokens one
/// after another, each from its own text, so when a piece lexed alone ends with a newline
/// (and spaces) outside any array or inline table, the file lexed whole has a token boundary
/// at the next piece's start, at depth zero and at a line start: exactly where that piece's
/// lexing starts. Every piece ending so makes the pieces' headers the whole file's; otherwise
/// (a line of a multi-line array or string begins with `[`) the file is lexed whole.
fn headers_in_parallel(src: &str) -> Option<Vec<(usize, bool)>> {
    if src.len() < 2 * PIECE_BYTES {
        return None;
    }
    let mut cuts = vec![0];
    while let Some(cut) = line_opening_bracket(src, cuts[cuts.len() - 1] + PIECE_BYTES) {
        cuts.push(cut);
    }
    cuts.push(src.len());
    let pieces: Vec<Lexed> = cuts
        .par_windows(2)
        .map(|w| lex_headers(&src[w[0]..w[1]], w[0]))
        .collect();
    let (last, before) = pieces.split_last()?;
    if before.iter().any(|p| !p.ends_clean) {
        return None;
    }
    let mut headers = Vec::with_capacity(pieces.iter().map(|p| p.headers.len()).sum());
    for piece in before.iter().chain([last]) {
        headers.extend_from_slice(&piece.headers);
    }
    Some(headers)
}

/// The first `[` at or after `from` that is first on its line (after spaces and tabs).
fn line_opening_bracket(src: &str, from: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut at = from;
    loop {
        at += bytes.get(at..)?.iter().position(|&b| b == b'\n')? + 1;
        let first = at
            + bytes[at..]
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
        if bytes.get(first) == Some(&b'[') {
            return Some(first);
        }
    }
}

/// What lexing a stretch of the file found.
struct Lexed {
    /// (start, is `[[task]]`) of each table header, in file order.
    headers: Vec<(usize, bool)>,
    /// It ends at a line start outside any value, with no header open.
    ends_clean: bool,
}

/// The table headers of `text`, which starts at byte `offset` of the file, at a line start
/// outside any value.
fn lex_headers(text: &str, offset: usize) -> Lexed {
    let mut headers: Vec<(usize, bool)> = Vec::new();
    // The header being lexed: its first and last byte so far.
    let mut header: Option<Range<usize>> = None;
    let mut depth = 0usize;
    let mut line_start = true;
    let mut end_header = |header: &mut Option<Range<usize>>| {
        if let Some(h) = header.take() {
            headers.push((offset + h.start, &text[h.clone()] == "[[task]]"));
        }
    };
    for token in Source::new(text).lex() {
        let (start, end) = (token.span().start(), token.span().end());
        match token.kind() {
            TokenKind::Eof => break,
            TokenKind::Newline => {
                end_header(&mut header);
                line_start = true;
            }
            TokenKind::Whitespace | TokenKind::Comment => {}
            _ if header.is_some() => {
                if let Some(h) = header.as_mut() {
                    h.end = end;
                }
            }
            TokenKind::LeftSquareBracket if depth == 0 && line_start => {
                header = Some(start..end);
                line_start = false;
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                depth += 1;
                line_start = false;
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.saturating_sub(1);
                line_start = false;
            }
            _ => line_start = false,
        }
    }
    let ends_clean = depth == 0 && line_start && header.is_none();
    end_header(&mut header);
    Lexed {
        headers,
        ends_clean,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(src: &str) -> String {
        format!("{:?}", read_whole_model(src, Path::new("m.toml")))
    }

    fn sectioned(src: &str) -> Option<String> {
        read_model_in_sections(src, Path::new("m.toml")).map(|result| format!("{result:?}"))
    }

    #[test]
    fn the_builtin_model_reads_the_same_in_sections() {
        let src = crate::model::BUILTIN_MODEL;
        assert!(task_sections(src).len() > 100);
        assert_eq!(sectioned(src).as_deref(), Some(whole(src).as_str()));
        // Windows line ends and a byte-order mark change no offset the two readings see.
        for variant in [src.replace('\n', "\r\n"), format!("\u{feff}{src}")] {
            assert!(task_sections(&variant).len() > 100);
            assert_eq!(sectioned(&variant), Some(whole(&variant)));
        }
    }

    #[test]
    fn errors_in_task_tables_read_the_same_in_sections() {
        let src = "[project]\nname = \"T\"\nstart = 2025-09-15\n[roles.backend]\n\
                   [[task]]\nid = \"A\"\nduration = -1\n\n\
                   [[milestone]]\nid = \"M\"\nafter = [\"A\"]\nbogus = 1\n\
                   [[risk]]\nid = \"R\"\n[[risk]]\nid = \"R\"\n\
                   [[task]]\nid = \"B\"\nafter = [\"A\",\n  { id = \"A\", lag = 2 }]\n\
                   demand = { backnd = 1 }\nestimate = [3, 2, 1]\n";
        let whole = whole(src);
        for part in [
            "backnd",
            "task \\\"B\\\".estimate",
            "task \\\"A\\\".duration",
            "bogus",
            "duplicate risk",
        ] {
            assert!(whole.contains(part), "{part} in {whole}");
        }
        assert_eq!(sectioned(src), Some(whole));
    }

    #[test]
    fn many_batches_read_the_same_as_the_whole_file() {
        let mut src = String::from("[project]\nstart = 2025-09-15\n[roles.qa]\n");
        for i in 0..8000 {
            if i == 1500 {
                src.push_str("[[milestone]]\nid = \"M\"\nafter = [\"T1\"]\n");
            }
            // One table without an id, late in the file: it is named by its position.
            let id = if i == 7999 {
                String::new()
            } else {
                format!("id = \"T{i}\"\n")
            };
            let after = if i > 0 {
                format!("after = [\"T{}\"]\n", i - 1)
            } else {
                String::new()
            };
            src.push_str(&format!(
                "[[task]]\n{id}name = \"Task {i}\"\n{after}estimate = [1, 2, 3]\ndemand = {{ qa = 1 }}\n\n"
            ));
        }
        assert!(batches(&task_sections(&src)).len() > 2);
        let expected = whole(&src);
        assert!(expected.contains("task[8000]"), "{}", &expected[..200]);
        assert_eq!(sectioned(&src), Some(expected));
        src = src.replace("[[task]]\nname", "[[task]]\nid = \"T7999\"\nname");
        let expected = whole(&src);
        assert!(expected.starts_with("Ok("));
        assert_eq!(sectioned(&src), Some(expected));
    }

    #[test]
    fn anything_touching_task_outside_its_sections_is_read_whole() {
        let head = "[project]\nstart = 2025-09-15\n";
        for other in [
            "[task.demand]\nbackend = 1\n",
            "[[ task ]]\nid = \"B\"\nduration = 1\n",
            "[\"task\"]\nx = 1\n",
        ] {
            let src = format!("{head}[[task]]\nid = \"A\"\nduration = 1\n{other}");
            assert_eq!(sectioned(&src), None, "{other}");
        }
        let broken = format!("{head}[[task]]\nid = \"A\nduration = 1\n");
        assert_eq!(
            sectioned(&broken),
            None,
            "a syntax error reads the file whole"
        );
    }

    #[test]
    fn headers_inside_strings_arrays_and_comments_are_not_sections() {
        let src =
            "a = \"\"\"\n[[task]]\n\"\"\"\nb = [\n[1],\n]\n# [[task]]\n  [[task]]\nid = \"A\"\n";
        let sections = task_sections(src);
        assert_eq!(sections.len(), 1);
        assert_eq!(&src[sections[0].clone()], "[[task]]\nid = \"A\"\n");
    }

    /// A large file of `[[task]]` tables with `middle` in the middle.
    fn large(middle: &str) -> String {
        let task = "[[task]]\nid = \"T\"\nduration = 1\n  [[task]] # indented\nid = \"U\"\n";
        let half = task.repeat(2 * PIECE_BYTES / task.len());
        format!("[project]\nstart = 2025-09-15\n{half}{middle}{half}")
    }

    #[test]
    fn headers_lexed_in_pieces_are_the_whole_files() {
        let src = large("[phase]\nx = 1\n");
        let whole = lex_headers(&src, 0).headers;
        assert!(whole.len() > 100_000);
        assert_eq!(headers_in_parallel(&src), Some(whole));
    }

    #[test]
    fn a_piece_cut_inside_a_value_sends_the_file_to_the_lexer_whole() {
        // Lines that begin with `[` inside a string and an array, each longer than a piece,
        // so that a piece starts inside each.
        let lines = "[[task]]\n".repeat(PIECE_BYTES / 4);
        for middle in [
            format!("[notes]\ntext = \"\"\"\n{lines}\"\"\"\n"),
            format!("[notes]\nlist = [\n{}]\n", "[1],\n".repeat(PIECE_BYTES / 2)),
        ] {
            let src = large(&middle);
            assert_eq!(headers_in_parallel(&src), None);
            let sections = task_sections(&src);
            let start = src.find("[notes]").unwrap();
            let inside = start + 1..start + middle.len();
            assert!(sections.iter().all(|s| !inside.contains(&s.start)));
            assert_eq!(sections.len(), lex_headers(&src, 0).headers.len() - 2);
        }
    }

    #[test]
    fn adjacent_sections_are_batched_up_to_the_limit() {
        let b = batches(&[0..10, 10..20, 25..30, 30..30 + BATCH_BYTES]);
        let ranges: Vec<_> = b.iter().map(|b| b.range.clone()).collect();
        assert_eq!(ranges, vec![0..20, 25..30, 30..30 + BATCH_BYTES]);
        let counts: Vec<_> = b.iter().map(|b| (b.sections, b.before)).collect();
        assert_eq!(counts, vec![(2, 0), (1, 2), (1, 3)]);
    }
}
