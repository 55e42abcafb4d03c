//! The `[[task]]` tables of a batch when every line has one of a few plain shapes, found with
//! one pass over its bytes.
//!
//! Lexing a batch into tokens and running the TOML parser over them was most of the time a
//! large model takes to load. Task lists, generated or written by hand, mostly use a narrow
//! part of TOML: `[[task]]` headers, `key = value` lines with bare keys, basic or literal
//! strings without escapes, decimal numbers, arrays and single-line inline tables of those.
//! This pass accepts only that (a strict subset of TOML 1.1, each form read as the TOML parser
//! reads it) and gives the same tables, keys and spans as [`super::fast`]'s event collector.
//! Anything else (a comment, an escape, an exponent, a multi-line string, a dotted or quoted
//! key, ...) gives `None`, and the batch goes through the TOML parser as before.

use super::tree::{Entry, Item, Node, Table, MAX_DEPTH};
use std::borrow::Cow;
use toml_parser::decoder::Encoding;

/// The `[[task]]` tables of a batch, one at a time, so each is read into its task while its
/// bytes are still in the cache and its list of entries is reused for the next.
pub(super) struct TableScanner<'s> {
    s: Scanner<'s>,
}

impl<'s> TableScanner<'s> {
    /// A scanner of `text`, a batch that starts at a `[[task]]` header.
    pub(super) fn new(text: &'s str) -> Self {
        TableScanner {
            s: Scanner {
                text,
                bytes: text.as_bytes(),
                at: 0,
            },
        }
    }

    /// Fills `table` with the next table: `Some(true)`, or `Some(false)` at the end of the
    /// text, or `None` when a line up to the end of this table is not of the plain shapes
    /// (see the module's documentation).
    pub(super) fn next_into(&mut self, table: &mut Table<'s>) -> Option<bool> {
        let s = &mut self.s;
        table.entries.clear();
        loop {
            s.spaces();
            match s.peek() {
                None => return Some(false),
                Some(b'\n' | b'\r') => s.newline()?,
                Some(b'[') => break,
                // A key before any header.
                Some(_) => return None,
            }
        }
        table.header = s.at;
        s.word(b"[[task]]")?;
        s.end_of_line()?;
        loop {
            let line = s.at;
            s.spaces();
            match s.peek() {
                None => return Some(true),
                Some(b'\n' | b'\r') => s.newline()?,
                Some(b'[') => {
                    // The next table's header, read by the next call.
                    s.at = line;
                    return Some(true);
                }
                Some(_) => {
                    let entry = s.key_value(0)?;
                    s.end_of_line()?;
                    table.entries.push(entry);
                }
            }
        }
    }
}

/// A position in the batch's text.
struct Scanner<'s> {
    text: &'s str,
    bytes: &'s [u8],
    at: usize,
}

/// A byte a bare key may have.
fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// A control character, which no TOML string may hold raw (tab aside).
fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

impl<'s> Scanner<'s> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Spaces and tabs, TOML's whitespace.
    fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// A line end: `\n` or `\r\n` (a lone `\r` is not one).
    fn newline(&mut self) -> Option<()> {
        if self.peek() == Some(b'\r') {
            self.at += 1;
        }
        (self.peek() == Some(b'\n')).then(|| self.at += 1)
    }

    /// Trailing spaces, then the line's end or the text's.
    fn end_of_line(&mut self) -> Option<()> {
        self.spaces();
        match self.peek() {
            None => Some(()),
            Some(_) => self.newline(),
        }
    }

    /// Whitespace and line ends, as an array may have between its values.
    fn blank(&mut self) -> Option<()> {
        loop {
            self.spaces();
            match self.peek() {
                Some(b'\n' | b'\r') => self.newline()?,
                _ => return Some(()),
            }
        }
    }

    fn byte(&mut self, b: u8) -> Option<()> {
        (self.peek() == Some(b)).then(|| self.at += 1)
    }

    fn word(&mut self, word: &[u8]) -> Option<()> {
        self.bytes
            .get(self.at..)?
            .starts_with(word)
            .then(|| self.at += word.len())
    }

    /// `key = value`, the value at nesting `depth`.
    fn key_value(&mut self, depth: usize) -> Option<Entry<'s>> {
        let start = self.at;
        while self.peek().is_some_and(is_key_byte) {
            self.at += 1;
        }
        if self.at == start {
            return None;
        }
        let key = Cow::Borrowed(self.text.get(start..self.at)?);
        self.spaces();
        self.byte(b'=')?;
        self.spaces();
        let item = self.value(depth)?;
        Some(Entry { key, item })
    }

    /// A value inside `depth` open arrays and inline tables.
    fn value(&mut self, depth: usize) -> Option<Item<'s>> {
        let start = self.at;
        let node = match self.peek()? {
            b'"' => self.string(b'"', Encoding::BasicString)?,
            b'\'' => self.string(b'\'', Encoding::LiteralString)?,
            b'-' | b'0'..=b'9' => self.number()?,
            b'[' if depth < MAX_DEPTH => self.array(depth + 1)?,
            b'{' if depth < MAX_DEPTH => self.inline_table(depth + 1)?,
            _ => return None,
        };
        Some(Item {
            span: start..self.at,
            node,
        })
    }

    /// A one-line string between `quote`s with no escape (a basic string's `\` is left to the
    /// parser) and no control character; not the opening of a multi-line string.
    fn string(&mut self, quote: u8, encoding: Encoding) -> Option<Node<'s>> {
        self.at += 1;
        if self.bytes.get(self.at..)?.starts_with(&[quote, quote]) {
            return None;
        }
        loop {
            let b = self.peek()?;
            self.at += 1;
            if b == quote {
                return Some(Node::Scalar(Some(encoding)));
            }
            if b == b'\\' || is_control(b) {
                return None;
            }
        }
    }

    /// A decimal integer or a float with a fraction (no sign but `-`, no leading zero, no
    /// exponent, no `_`), ended by whitespace, a line end, a separator or a closing bracket.
    fn number(&mut self) -> Option<Node<'s>> {
        let _ = self.byte(b'-');
        let first = self.at;
        self.digits()?;
        if self.bytes[first] == b'0' && self.at - first > 1 {
            return None;
        }
        if self.byte(b'.').is_some() {
            self.digits()?;
        }
        match self.peek() {
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}') => {
                Some(Node::Scalar(None))
            }
            Some(_) => None,
        }
    }

    /// One or more ASCII digits.
    fn digits(&mut self) -> Option<()> {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        (self.at > start).then_some(())
    }

    /// `[a, b, ...]`, over lines if need be, a trailing comma allowed; `depth` counts it.
    fn array(&mut self, depth: usize) -> Option<Node<'s>> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.blank()?;
            if self.byte(b']').is_some() {
                return Some(Node::Array(items));
            }
            items.push(self.value(depth)?);
            self.blank()?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(Node::Array(items));
                }
                _ => return None,
            }
        }
    }

    /// `{ k = v, ... }` on one line, no trailing comma; `depth` counts it.
    fn inline_table(&mut self, depth: usize) -> Option<Node<'s>> {
        self.at += 1;
        let mut entries = Vec::new();
        self.spaces();
        if self.byte(b'}').is_some() {
            return Some(Node::Table(entries));
        }
        loop {
            entries.push(self.key_value(depth)?);
            self.spaces();
            match self.peek()? {
                b',' => {
                    self.at += 1;
                    self.spaces();
                }
                b'}' => {
                    self.at += 1;
                    return Some(Node::Table(entries));
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fast::collect;
    use super::*;
    use std::fmt::Write as _;

    /// The tables as text: each key, span and shape, scalars with their encoding.
    fn shown(tables: &[Table<'_>]) -> String {
        fn item(out: &mut String, it: &Item<'_>) {
            let _ = write!(out, "{:?}:", it.span);
            match &it.node {
                Node::Scalar(e) => {
                    let _ = write!(out, "{e:?}");
                }
                Node::Array(items) => {
                    out.push('[');
                    for i in items {
                        item(out, i);
                        out.push(',');
                    }
                    out.push(']');
                }
                Node::Table(entries) => {
                    out.push('{');
                    entries.iter().for_each(|e| entry(out, e));
                    out.push('}');
                }
            }
        }
        fn entry(out: &mut String, e: &Entry<'_>) {
            let _ = write!(out, "{}=", e.key);
            item(out, &e.item);
            out.push(';');
        }
        let mut out = String::new();
        for t in tables {
            let _ = writeln!(out, "table@{}", t.header);
            t.entries.iter().for_each(|e| entry(&mut out, e));
        }
        out
    }

    /// Every table of `text` as the scanner gives them.
    fn scan_tables(text: &str) -> Option<Vec<Table<'_>>> {
        let mut scanner = TableScanner::new(text);
        let mut tables = Vec::new();
        loop {
            let mut table = Table {
                header: usize::MAX,
                entries: Vec::new(),
            };
            if !scanner.next_into(&mut table)? {
                return Some(tables);
            }
            tables.push(table);
        }
    }

    fn scanned(text: &str) -> Option<String> {
        scan_tables(text).map(|t| shown(&t))
    }

    fn collected(text: &str) -> Option<String> {
        collect(text).map(|t| shown(&t))
    }

    #[test]
    fn plain_batches_scan_as_the_parser_collects_them() {
        for text in [
            "[[task]]\nid = \"T0000001\"\nname = \"Task 2\"\nphase = \"P0000\"\n\
             after = [\"T0000000\", { id = \"T0000000\", lag = 2 }]\n\
             estimate = [0.5, 1, 4]\ndemand = { backend = 2, qa = 1 }\ndone = 0.5\n\n",
            "[[task]]\r\nid='A'\r\n  [[task]]  \r\nid = \"B\"\t\r\nafter = [\r\n  \"A\",\r\n  {id=\"A\",type=\"SS\",lag=-1.5},\r\n]\r\n",
            "[[task]]\nid = \"\"\nname = \"é 🦀 \t tab\"\nafter = []\ndemand = {}\nx = [[1, [2]], {a = [3]}]\n",
            "[[task]]\nid = \"A\"\nduration = -0\nlag = 10.25\n[[task]]\n\n\n[[task]]\nid = \"C\"",
        ] {
            let expected = collected(text);
            assert!(expected.is_some(), "{text}");
            assert_eq!(scanned(text), expected, "{text}");
        }
    }

    #[test]
    fn other_shapes_are_left_to_the_parser() {
        for line in [
            "id = \"A\" # a comment",
            "# a comment",
            "id = \"a\\\"b\"",
            "id = \"\"\"A\"\"\"",
            "id = '''A'''",
            "id = \"A",
            "id = \"A\tB\u{1}\"",
            "id = \"A\"\"B\"",
            "a.b = 1",
            "\"id\" = \"A\"",
            "x = 1e5",
            "x = 1_000",
            "x = +1",
            "x = 0x10",
            "x = 01",
            "x = 1.",
            "x = .5",
            "x = -",
            "x = inf",
            "x = true",
            "x = 2025-09-15",
            "x = 1,",
            "x = [1,,2]",
            "x = [,]",
            "x = { a = 1, }",
            "x = { a = 1,\n b = 2 }",
            "x = [[[[1]]]]",
            "x = 1 y = 2",
            "x =",
            "= 1",
            "x = 1\r\r",
            "[task]",
            "[[task]] # c",
            "[[milestone]]",
        ] {
            let text = format!("[[task]]\nid = \"T\"\n{line}\n");
            assert_eq!(scanned(&text), None, "{line}");
        }
        assert_eq!(scanned("id = \"before any header\"\n[[task]]\n"), None);
    }

    #[test]
    fn what_the_scan_accepts_the_parser_collects_the_same() {
        // Every prefix and one-byte change of a plain batch: wherever the scan accepts, the
        // parser agrees on every table, key and span.
        let text = "[[task]]\nid = \"T1\"\nafter = [\"T0\", { id = \"T0\", lag = 2.5 }]\n\
                    estimate = [1, 2, 3]\ndemand = { qa = 1 }\n\n[[task]]\nid = 'T2'\n";
        let mut accepted = 0;
        for end in 0..=text.len() {
            let prefix = &text[..end];
            if let Some(s) = scanned(prefix) {
                accepted += 1;
                assert_eq!(Some(s), collected(prefix), "{prefix:?}");
            }
        }
        for at in 0..text.len() {
            for b in [
                b' ', b'"', b'\'', b'[', b']', b'{', b'}', b',', b'=', b'\n', b'-', b'.', b'0',
                b'x', b'#',
            ] {
                let mut bytes = text.as_bytes().to_vec();
                bytes[at] = b;
                let Ok(changed) = String::from_utf8(bytes) else {
                    continue;
                };
                if let Some(s) = scanned(&changed) {
                    accepted += 1;
                    assert_eq!(Some(s), collected(&changed), "{changed:?}");
                }
            }
        }
        assert!(accepted > 100, "{accepted}");
    }
}
