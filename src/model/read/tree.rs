//! The tables a batch of task sections reads into, shared by the parser-driven reader
//! ([`super::fast`]) and the plain-line scanner ([`super::scan`]), so neither imports the other.

use std::borrow::Cow;
use std::ops::Range;
use toml_parser::decoder::Encoding;

/// Arrays and inline tables nest at most this deep in a task read here (`after` holds tables).
pub(super) const MAX_DEPTH: usize = 3;

/// A value: a scalar (decoded when read), an array or an inline table.
pub(super) enum Node<'s> {
    Scalar(Option<Encoding>),
    Array(Vec<Item<'s>>),
    Table(Vec<Entry<'s>>),
}

/// A value and its byte span (as the tree reader's spans: a container from its opening to its
/// closing bracket).
pub(super) struct Item<'s> {
    pub(super) span: Range<usize>,
    pub(super) node: Node<'s>,
}

/// A key and its value.
pub(super) struct Entry<'s> {
    pub(super) key: Cow<'s, str>,
    pub(super) item: Item<'s>,
}

/// One `[[task]]` table: where its header starts, and its entries in file order.
pub(super) struct Table<'s> {
    pub(super) header: usize,
    pub(super) entries: Vec<Entry<'s>>,
}
