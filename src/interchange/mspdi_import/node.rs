//! The MSPDI document as a tree of elements, and the values of its calendars' elements that
//! both the importer and its calendar resolver read.

use jiff::civil::Date;

/// An element with its text and children; `offset` is where it starts, for error messages.
#[derive(Debug, Default)]
pub(super) struct Node {
    pub(super) name: String,
    pub(super) text: String,
    pub(super) children: Vec<Node>,
    pub(super) offset: usize,
}

impl Node {
    pub(super) fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    pub(super) fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of a child element, if present and not empty.
    pub(super) fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }

    pub(super) fn number(&self, name: &str) -> Option<f64> {
        self.text_of(name).and_then(|t| t.parse().ok())
    }

    pub(super) fn flag(&self, name: &str) -> bool {
        matches!(self.text_of(name), Some("1") | Some("true"))
    }
}

/// The date part of an MSPDI date-time (`2025-09-15T08:00:00`).
pub(super) fn date_of(text: &str) -> Option<Date> {
    text.get(..10)?.parse().ok()
}

/// Minutes after midnight of `HH:MM:SS`.
pub(super) fn clock_minutes(text: &str) -> Option<f64> {
    let mut parts = text.split(':').map(|p| p.trim().parse::<f64>().ok());
    let (h, m) = (parts.next()??, parts.next()??);
    ((0.0..=24.0).contains(&h) && (0.0..60.0).contains(&m)).then_some(h * 60.0 + m)
}

/// Mon-Fri, 08:00-12:00 and 13:00-17:00: MS Project's standard calendar, for a file without
/// calendars.
pub(super) fn standard_week() -> [DayTimes; 7] {
    std::array::from_fn(|d| {
        if d < 5 {
            vec![(480, 720), (780, 1020)]
        } else {
            Vec::new()
        }
    })
}

/// Working times of one weekday, `(from, to)` in minutes after midnight.
pub(super) type DayTimes = Vec<(u32, u32)>;

/// How many base calendars deep `Calendars::week` follows: MS Project bases a calendar on a base
/// calendar that has none, so a longer chain is a loop in a hand-made file.
pub(super) const MAX_BASE_DEPTH: usize = 8;

/// The working times of a `WeekDay` (none when it is not worked).
pub(super) fn day_times(day: &Node) -> DayTimes {
    if !day.flag("DayWorking") {
        return Vec::new();
    }
    day.child("WorkingTimes")
        .into_iter()
        .flat_map(|w| w.children("WorkingTime"))
        .filter_map(|w| {
            let from = clock_minutes(w.text_of("FromTime")?)? as u32;
            let to = clock_minutes(w.text_of("ToTime")?)? as u32;
            // A shift ending at midnight is written as 00:00.
            Some((from, if to <= from { to + 1440 } else { to }))
        })
        .collect()
}
