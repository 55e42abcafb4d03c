//! A calendar's working hours (`hours = ["08:00-12:00", "13:00-17:00"]`): the shifts of one
//! working day. Scheduling counts whole working days; the hours say how long a day is (the
//! minutes a day of an imported duration holds) and what the MSPDI export writes.

use std::fmt;

/// Minutes in a day of the clock.
const DAY: u32 = 1440;

/// One shift of a working day, in minutes after the midnight the day starts at. A shift that
/// runs past midnight ends after 1440 (a night shift `22:00-06:00` is 1320 to 1800).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    /// Its first minute.
    pub from: u32,
    /// The minute it ends at (after `from`).
    pub to: u32,
}

/// The shifts of one working day, in order, not overlapping, spanning at most 24 hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    shifts: Vec<Shift>,
}

impl Default for WorkingHours {
    /// MS Project's standard day: 08:00-12:00 and 13:00-17:00.
    fn default() -> Self {
        WorkingHours {
            shifts: vec![
                Shift { from: 480, to: 720 },
                Shift {
                    from: 780,
                    to: 1020,
                },
            ],
        }
    }
}

/// Why an `hours` value is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    /// No shift at all.
    #[error("no working hours: a working day needs at least one range")]
    Empty,
    /// A range that is not `HH:MM-HH:MM`.
    #[error("\"{0}\" is not a range of times HH:MM-HH:MM")]
    Malformed(String),
    /// A range that starts where it ends.
    #[error("\"{0}\" is empty: it ends where it starts")]
    EmptyRange(String),
    /// A range that starts before the one before it ends.
    #[error("\"{0}\" starts before the range before it ends")]
    Overlap(String),
    /// More than 24 hours from the first start to the last end.
    #[error("the hours run over more than 24 hours (up to \"{0}\")")]
    TooLong(String),
}

/// Minutes after midnight of `HH:MM` (`24:00` is the end of the day).
fn clock(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

impl WorkingHours {
    /// Reads ranges such as `"08:00-12:00"`. A range that ends at or before its start runs
    /// past midnight (`"22:00-06:00"`), and every range after one that ends at or after
    /// midnight is on the next morning: the day's hours are the shifts that start on it.
    pub fn parse<S: AsRef<str>>(ranges: &[S]) -> Result<Self, HoursError> {
        let mut shifts: Vec<Shift> = Vec::with_capacity(ranges.len());
        let mut next_day = 0;
        for text in ranges {
            let text = text.as_ref();
            let malformed = || HoursError::Malformed(text.to_string());
            let (a, b) = text.split_once('-').ok_or_else(malformed)?;
            let (from, to) = (
                clock(a.trim()).ok_or_else(malformed)?,
                clock(b.trim()).ok_or_else(malformed)?,
            );
            if from == to {
                return Err(HoursError::EmptyRange(text.to_string()));
            }
            let from = from + next_day;
            let to = if to + next_day <= from {
                to + next_day + DAY
            } else {
                to + next_day
            };
            if shifts.last().is_some_and(|s| from < s.to) || from >= 2 * DAY {
                return Err(HoursError::Overlap(text.to_string()));
            }
            if shifts.first().is_some_and(|s| to - s.from > DAY) || to - from > DAY {
                return Err(HoursError::TooLong(text.to_string()));
            }
            if to >= DAY {
                next_day = DAY;
            }
            // Touching ranges are one shift: `23:00-24:00` and `00:00-03:00` are `23:00-03:00`.
            match shifts.last_mut() {
                Some(last) if last.to == from => last.to = to,
                _ => shifts.push(Shift { from, to }),
            }
        }
        if shifts.is_empty() {
            return Err(HoursError::Empty);
        }
        Ok(WorkingHours { shifts })
    }

    /// Hours from shifts in minutes after midnight (ends past 1440 run into the next
    /// morning), as an importer found them; `None` unless they are hours the model accepts.
    pub fn from_minutes(shifts: &[(u32, u32)]) -> Option<Self> {
        if shifts.iter().any(|&(from, to)| from >= to || to > 2 * DAY) {
            return None;
        }
        let hours = WorkingHours {
            shifts: shifts
                .iter()
                .map(|&(from, to)| Shift { from, to })
                .collect(),
        };
        WorkingHours::parse(&hours.ranges())
            .ok()
            .filter(|read| read.minutes() == hours.minutes() && read.start() == hours.start())
    }

    /// The shifts, in order.
    pub fn shifts(&self) -> &[Shift] {
        &self.shifts
    }

    /// Working minutes in a day.
    pub fn minutes(&self) -> u32 {
        self.shifts.iter().map(|s| s.to - s.from).sum()
    }

    /// The minute the day's work starts, after its midnight.
    pub fn start(&self) -> u32 {
        self.shifts[0].from
    }

    /// The minute the day's work ends, after its midnight (past 1440: the next morning).
    pub fn end(&self) -> u32 {
        self.shifts[self.shifts.len() - 1].to
    }

    /// The ranges as the model writes them: `["08:00-12:00", "13:00-17:00"]`.
    pub fn ranges(&self) -> Vec<String> {
        self.shifts
            .iter()
            .map(|s| format!("{}-{}", hh_mm(s.from, false), hh_mm(s.to, true)))
            .collect()
    }

    /// The parts of the day's shifts before midnight and after it (the next morning's,
    /// counted from that midnight): how a tool that keeps each day's times apart (MSPDI)
    /// writes them.
    pub fn split_at_midnight(&self) -> (Vec<Shift>, Vec<Shift>) {
        let mut today = Vec::new();
        let mut tomorrow = Vec::new();
        for s in &self.shifts {
            if s.from < DAY {
                today.push(Shift {
                    from: s.from,
                    to: s.to.min(DAY),
                });
            }
            if s.to > DAY {
                tomorrow.push(Shift {
                    from: s.from.max(DAY) - DAY,
                    to: s.to - DAY,
                });
            }
        }
        (today, tomorrow)
    }
}

/// `HH:MM` of a minute of the day or of the next one; an end at a midnight is `24:00`.
pub fn hh_mm(minute: u32, end: bool) -> String {
    let m = if end && minute > 0 && minute.is_multiple_of(DAY) {
        DAY
    } else {
        minute % DAY
    };
    format!("{:02}:{:02}", m / 60, m % 60)
}

impl fmt::Display for WorkingHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ranges().join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes(ranges: &[&str]) -> Result<Vec<(u32, u32)>, HoursError> {
        WorkingHours::parse(ranges).map(|h| h.shifts.iter().map(|s| (s.from, s.to)).collect())
    }

    #[test]
    fn day_and_night_shifts() {
        assert_eq!(
            minutes(&["08:00-12:00", "13:00-17:00"]),
            Ok(vec![(480, 720), (780, 1020)])
        );
        assert_eq!(minutes(&["22:00-06:00"]), Ok(vec![(1320, 1800)]));
        // MS Project's "Night Shift": 23:00 to 03:00 and 04:00 to 08:00 the next morning.
        assert_eq!(
            minutes(&["23:00-24:00", "00:00-03:00", "04:00-08:00"]),
            Ok(vec![(1380, 1620), (1680, 1920)])
        );
        assert_eq!(minutes(&["00:00-24:00"]), Ok(vec![(0, 1440)]));
        let night = WorkingHours::parse(&["23:00-03:00", "04:00-08:00"]).unwrap();
        assert_eq!(night.minutes(), 480);
        assert_eq!(night.ranges(), ["23:00-03:00", "04:00-08:00"]);
        assert_eq!(
            night.split_at_midnight(),
            (
                vec![Shift {
                    from: 1380,
                    to: 1440
                }],
                vec![Shift { from: 0, to: 180 }, Shift { from: 240, to: 480 }]
            )
        );
    }

    #[test]
    fn bad_ranges_are_refused() {
        let none: [&str; 0] = [];
        assert_eq!(minutes(&none), Err(HoursError::Empty));
        assert!(matches!(
            minutes(&["8:00-12:00"]),
            Err(HoursError::Malformed(_))
        ));
        assert!(matches!(
            minutes(&["08:00-25:00"]),
            Err(HoursError::Malformed(_))
        ));
        assert!(matches!(minutes(&["08:00"]), Err(HoursError::Malformed(_))));
        assert!(matches!(
            minutes(&["08:00-08:00"]),
            Err(HoursError::EmptyRange(_))
        ));
        assert!(matches!(
            minutes(&["08:00-12:00", "11:00-14:00"]),
            Err(HoursError::Overlap(_))
        ));
        assert!(matches!(
            minutes(&["13:00-17:00", "08:00-12:00"]),
            Err(HoursError::Overlap(_))
        ));
        assert!(matches!(
            minutes(&["08:00-12:00", "13:00-09:00"]),
            Err(HoursError::TooLong(_))
        ));
    }

    #[test]
    fn imported_minutes_are_kept_when_the_model_can_hold_them() {
        let night = [(1380, 1440), (1440, 1620), (1680, 1920)];
        assert_eq!(
            WorkingHours::from_minutes(&night).map(|h| h.ranges()),
            Some(vec!["23:00-03:00".to_string(), "04:00-08:00".into()])
        );
        assert_eq!(WorkingHours::from_minutes(&[(600, 500)]), None);
        assert_eq!(WorkingHours::from_minutes(&[(480, 720), (600, 900)]), None);
        assert_eq!(WorkingHours::from_minutes(&[]), None);
    }
}
