//! Readers for the PSPLIB benchmark formats: `.sm`/`.mm` instance files
//! (renewable resources only) and the `optimum.csv` table of known bounds.

use super::problem::{Activity, Mode, Precedence, Problem, Resource};
use std::collections::HashMap;
use thiserror::Error;

/// The most jobs (including the supersource and supersink) an instance may declare.
pub const MAX_JOBS: usize = 100_000;
/// The most modes a job may have.
pub const MAX_MODES: usize = 100;
/// The most renewable resources an instance may declare.
pub const MAX_RESOURCES: usize = 1_000;
/// The longest duration of a mode, in days (the model's limit, see `model::MAX_DAYS`).
pub const MAX_DURATION: u32 = 10_000;
/// The largest request or availability of a resource.
pub const MAX_UNITS: u32 = 10_000;

/// Why a PSPLIB file cannot be read; every variant names the file's 1-based line.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PsplibError {
    /// The text does not follow the format.
    #[error("line {line}: expected {expected}, found {found}")]
    Syntax {
        /// The line.
        line: usize,
        /// What the format has there.
        expected: String,
        /// What the file has.
        found: String,
    },
    /// Well-formed, but outside what the solver handles.
    #[error("line {line}: {message}")]
    Unsupported {
        /// The line.
        line: usize,
        /// What is not supported.
        message: String,
    },
    /// A number above the limit the solver can represent.
    #[error("line {line}: {what} {found} is more than the limit of {limit}")]
    Limit {
        /// The line.
        line: usize,
        /// What the number is, e.g. "the number of jobs".
        what: String,
        /// The number in the file.
        found: u64,
        /// The largest allowed.
        limit: u64,
    },
    /// Well-formed, but no schedule exists.
    #[error("line {line}: {message}")]
    Infeasible {
        /// The line.
        line: usize,
        /// Why not.
        message: String,
        /// What to do.
        help: String,
    },
}

impl PsplibError {
    /// The 1-based line of the file the problem is on.
    pub fn line(&self) -> usize {
        match self {
            PsplibError::Syntax { line, .. }
            | PsplibError::Unsupported { line, .. }
            | PsplibError::Limit { line, .. }
            | PsplibError::Infeasible { line, .. } => *line,
        }
    }

    /// What is wrong, without the line number.
    pub fn detail(&self) -> String {
        let text = self.to_string();
        let prefix = format!("line {}: ", self.line());
        text.strip_prefix(&prefix).unwrap_or(&text).to_string()
    }

    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            PsplibError::Syntax { .. } => {
                "the file does not follow the PSPLIB .sm format; compare it with a j30 instance"
                    .into()
            }
            PsplibError::Unsupported { .. } => {
                "only renewable resources are supported: give an instance without nonrenewable or doubly constrained ones".into()
            }
            PsplibError::Limit { limit, .. } => {
                format!("give at most {limit}; larger instances are beyond what plan solves")
            }
            PsplibError::Infeasible { help, .. } => help.clone(),
        }
    }
}

fn syntax(line: usize, expected: impl Into<String>, found: impl Into<String>) -> PsplibError {
    PsplibError::Syntax {
        line,
        expected: expected.into(),
        found: found.into(),
    }
}

fn limit(line: usize, what: &str, found: u64, max: u64) -> Result<(), PsplibError> {
    if found > max {
        return Err(PsplibError::Limit {
            line,
            what: what.into(),
            found,
            limit: max,
        });
    }
    Ok(())
}

/// Lines with 1-based numbers, consumed front to back.
struct Lines<'a> {
    lines: Vec<(usize, &'a str)>,
    next: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            lines: text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect(),
            next: 0,
        }
    }

    fn last_line(&self) -> usize {
        self.lines.len()
    }

    /// Advances past the first line containing `marker` and returns the
    /// text after the marker's `:` if any.
    fn seek(&mut self, marker: &str) -> Result<(usize, &'a str), PsplibError> {
        while let Some(&(number, text)) = self.lines.get(self.next) {
            self.next += 1;
            if let Some(at) = text.find(marker) {
                let rest = &text[at + marker.len()..];
                return Ok((
                    number,
                    rest.split_once(':').map_or(rest, |(_, after)| after),
                ));
            }
        }
        Err(syntax(
            self.last_line(),
            format!("a line with \"{marker}\""),
            "end of file",
        ))
    }

    /// Next line that is not blank and not a `***` or `---` rule.
    fn content(&mut self, expected: &str) -> Result<(usize, &'a str), PsplibError> {
        while let Some(&(number, text)) = self.lines.get(self.next) {
            self.next += 1;
            let trimmed = text.trim();
            if !(trimmed.is_empty() || trimmed.starts_with("***") || trimmed.starts_with("---")) {
                return Ok((number, text));
            }
        }
        Err(syntax(self.last_line(), expected, "end of file"))
    }
}

fn numbers(line: usize, text: &str, what: &str) -> Result<Vec<u32>, PsplibError> {
    text.split_whitespace()
        .map(|word| {
            word.parse::<u32>()
                .map_err(|_| syntax(line, what, format!("\"{word}\"")))
        })
        .collect()
}

fn first_number(line: usize, text: &str, what: &str) -> Result<u32, PsplibError> {
    let word = text.split_whitespace().next().unwrap_or("");
    word.parse()
        .map_err(|_| syntax(line, what, format!("\"{word}\"")))
}

/// Parses a PSPLIB single- or multi-mode file with renewable resources.
/// Job `k` of the file becomes activity `k - 1`.
pub fn parse_sm(text: &str) -> Result<Problem, PsplibError> {
    let mut lines = Lines::new(text);
    let (line, rest) = lines.seek("jobs (incl. supersource/sink )")?;
    let jobs = first_number(line, rest, "the number of jobs")? as usize;
    limit(line, "the number of jobs", jobs as u64, MAX_JOBS as u64)?;
    let (line, rest) = lines.seek("horizon")?;
    let horizon = first_number(line, rest, "the horizon")?;
    let (line, rest) = lines.seek("- renewable")?;
    let renewable = first_number(line, rest, "the number of renewable resources")? as usize;
    limit(
        line,
        "the number of renewable resources",
        renewable as u64,
        MAX_RESOURCES as u64,
    )?;
    for kind in ["- nonrenewable", "- doubly constrained"] {
        let (line, rest) = lines.seek(kind)?;
        if first_number(line, rest, "a resource count")? != 0 {
            return Err(PsplibError::Unsupported {
                line,
                message: "only renewable resources are supported".into(),
            });
        }
    }
    lines.seek("PRECEDENCE RELATIONS")?;
    lines.content("the precedence table header")?;
    let (precedence_lines, mode_counts, successors) = parse_precedences(&mut lines, jobs)?;
    lines.seek("REQUESTS/DURATIONS")?;
    lines.content("the request table header")?;
    let (request_lines, modes) = parse_requests(&mut lines, &mode_counts, renewable)?;
    // Without renewable resources the section may be empty or missing: the instance is then
    // a plain precedence problem.
    let capacities = if renewable == 0 {
        Vec::new()
    } else {
        lines.seek("RESOURCEAVAILABILITIES")?;
        lines.content("the resource names")?;
        let (line, text) = lines.content("the resource availabilities")?;
        let capacities = numbers(line, text, "a resource availability")?;
        if capacities.len() != renewable {
            return Err(syntax(
                line,
                format!("{renewable} resource availabilities"),
                capacities.len().to_string(),
            ));
        }
        for &c in &capacities {
            limit(line, "a resource availability", c.into(), MAX_UNITS.into())?;
        }
        capacities
    };
    let problem = build_problem(modes, &successors, capacities, horizon);
    check_acyclic(&problem, &precedence_lines)?;
    check_fits(&problem, &request_lines)?;
    Ok(problem)
}

/// A precedence cycle, named by the file's job numbers at the first job's precedence row.
fn check_acyclic(problem: &Problem, lines: &[usize]) -> Result<(), PsplibError> {
    let edges: Vec<(usize, usize, f64)> = problem
        .activities
        .iter()
        .enumerate()
        .flat_map(|(j, a)| a.preds.iter().map(move |p| (p.pred, j, 0.0)))
        .collect();
    let Err(cycle) = crate::graph::TaskGraph::new(problem.activities.len(), &edges) else {
        return Ok(());
    };
    let first = cycle.first().copied().unwrap_or(0);
    let mut jobs: Vec<String> = cycle.iter().map(|j| format!("job {}", j + 1)).collect();
    jobs.push(format!("job {}", first + 1));
    Err(PsplibError::Infeasible {
        line: lines.get(first).copied().unwrap_or(0),
        message: format!("the precedences form a cycle: {}", jobs.join(" -> ")),
        help: "a job cannot (indirectly) succeed itself: remove one of these successors".into(),
    })
}

/// A job none of whose modes fits the resources, at the row of its first mode.
fn check_fits(problem: &Problem, lines: &[usize]) -> Result<(), PsplibError> {
    for (j, activity) in problem.activities.iter().enumerate() {
        if activity
            .modes
            .iter()
            .any(|m| problem.mode_fits_eventually(m))
        {
            continue;
        }
        let mode = &activity.modes[0];
        let (k, q) = mode
            .demand
            .iter()
            .copied()
            .enumerate()
            .zip(&problem.resources)
            .find(|((_, q), r)| *q > r.capacity.final_units())
            .map_or((0, 0), |(kq, _)| kq);
        let available = problem
            .resources
            .get(k)
            .map_or(0, |r| r.capacity.final_units());
        return Err(PsplibError::Infeasible {
            line: lines.get(j).copied().unwrap_or(0),
            message: format!(
                "job {} requests {q} of R{} in every mode, but only {available} are available",
                j + 1,
                k + 1
            ),
            help: "lower the request or raise the resource's availability".into(),
        });
    }
    Ok(())
}

/// The precedence table: each job's line, mode count and 0-based successors.
type Precedences = (Vec<usize>, Vec<usize>, Vec<Vec<usize>>);

fn parse_precedences(lines: &mut Lines, jobs: usize) -> Result<Precedences, PsplibError> {
    let mut job_lines = Vec::with_capacity(jobs);
    let mut mode_counts = Vec::with_capacity(jobs);
    let mut successors = Vec::with_capacity(jobs);
    for job in 1..=jobs {
        let (line, text) = lines.content(&format!("the precedence row of job {job}"))?;
        let values = numbers(line, text, "a number in the precedence row")?;
        let [number, modes, count, succs @ ..] = &values[..] else {
            return Err(syntax(
                line,
                "job number, mode count and successor count",
                text.trim(),
            ));
        };
        if *number as usize != job {
            return Err(syntax(line, format!("job {job}"), format!("job {number}")));
        }
        if succs.len() != *count as usize {
            return Err(syntax(
                line,
                format!("{count} successors"),
                succs.len().to_string(),
            ));
        }
        if let Some(bad) = succs.iter().find(|&&s| s == 0 || s as usize > jobs) {
            return Err(syntax(
                line,
                format!("successors between 1 and {jobs}"),
                bad.to_string(),
            ));
        }
        if *modes == 0 {
            return Err(syntax(line, "at least 1 mode", "0"));
        }
        limit(
            line,
            "the number of modes",
            (*modes).into(),
            MAX_MODES as u64,
        )?;
        job_lines.push(line);
        mode_counts.push(*modes as usize);
        successors.push(succs.iter().map(|&s| s as usize - 1).collect());
    }
    Ok((job_lines, mode_counts, successors))
}

fn parse_requests(
    lines: &mut Lines,
    mode_counts: &[usize],
    renewable: usize,
) -> Result<(Vec<usize>, Vec<Vec<Mode>>), PsplibError> {
    let mut all = Vec::with_capacity(mode_counts.len());
    let mut job_lines = Vec::with_capacity(mode_counts.len());
    for (index, &count) in mode_counts.iter().enumerate() {
        let job = index + 1;
        let mut modes = Vec::with_capacity(count);
        for mode in 1..=count {
            let (line, text) = lines.content(&format!("job {job} mode {mode} requests"))?;
            if mode == 1 {
                job_lines.push(line);
            }
            let values = numbers(line, text, "a number in the request row")?;
            // The first mode row of a job repeats the job number.
            let row = if mode == 1 {
                match values.split_first() {
                    Some((&n, rest)) if n as usize == job => rest,
                    _ => return Err(syntax(line, format!("job {job}"), text.trim())),
                }
            } else {
                &values[..]
            };
            let expected = 2 + renewable;
            if row.len() != expected {
                return Err(syntax(
                    line,
                    format!("mode, duration and {renewable} requests"),
                    format!("{} values", row.len()),
                ));
            }
            if row[0] as usize != mode {
                return Err(syntax(
                    line,
                    format!("mode {mode}"),
                    format!("mode {}", row[0]),
                ));
            }
            limit(line, "a duration", row[1].into(), MAX_DURATION.into())?;
            for &q in &row[2..] {
                limit(line, "a request", q.into(), MAX_UNITS.into())?;
            }
            modes.push(Mode {
                duration: row[1],
                demand: row[2..].to_vec(),
            });
        }
        all.push(modes);
    }
    Ok((job_lines, all))
}

fn build_problem(
    modes: Vec<Vec<Mode>>,
    successors: &[Vec<usize>],
    capacities: Vec<u32>,
    horizon: u32,
) -> Problem {
    let mut activities: Vec<Activity> = modes
        .into_iter()
        .map(|modes| Activity {
            modes,
            preds: Vec::new(),
            release: 0,
        })
        .collect();
    for (pred, succs) in successors.iter().enumerate() {
        for &succ in succs {
            activities[succ]
                .preds
                .push(Precedence::finish_to_start(pred, 0));
        }
    }
    let resources = capacities
        .into_iter()
        .enumerate()
        .map(|(k, units)| Resource::constant(format!("R{}", k + 1), units))
        .collect();
    Problem {
        activities,
        resources,
        horizon_hint: horizon,
    }
}

/// Known optimum (`lower == upper`) or bounds on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Optimum {
    /// Best proven lower bound on the makespan in days, if the table gives one.
    pub lower: Option<u32>,
    /// Makespan of the best known schedule in days.
    pub upper: u32,
}

impl Optimum {
    /// Whether the bounds meet, so `upper` is the proven optimum.
    pub fn is_proven(&self) -> bool {
        self.lower == Some(self.upper)
    }
}

/// Parses `43`, `104..105` (lower..upper) or `..105` (upper only).
pub fn parse_optimum(value: &str) -> Option<Optimum> {
    let value = value.trim();
    match value.split_once("..") {
        None => value.parse().ok().map(|v| Optimum {
            lower: Some(v),
            upper: v,
        }),
        Some(("", upper)) => upper
            .trim()
            .parse()
            .ok()
            .map(|upper| Optimum { lower: None, upper }),
        Some((lower, upper)) => Some(Optimum {
            lower: Some(lower.trim().parse().ok()?),
            upper: upper.trim().parse().ok()?,
        }),
    }
}

/// Reads `problem,optimum` rows into a map from file name to bounds.
pub fn parse_optimum_csv(text: &str) -> Result<HashMap<String, Optimum>, PsplibError> {
    let mut map = HashMap::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let row = raw.trim();
        if row.is_empty() || (index == 0 && row.starts_with("problem")) {
            continue;
        }
        let Some((name, value)) = row.split_once(',') else {
            return Err(syntax(line, "\"name,optimum\"", row));
        };
        let optimum = parse_optimum(value)
            .ok_or_else(|| syntax(line, "an optimum like 43, 104..105 or ..105", value.trim()))?;
        map.insert(name.trim().to_string(), optimum);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = include_str!("../../tests/data/small-4-jobs.sm");

    #[test]
    fn parses_small_file() {
        let p = parse_sm(SMALL).unwrap();
        assert_eq!(p.activities.len(), 4);
        assert_eq!(p.activities[3].preds.len(), 2);
        assert_eq!(p.activities[1].modes[0].duration, 3);
        assert_eq!(p.resources[0].capacity.final_units(), 2);
        assert_eq!(p.horizon_hint, 10);
    }

    #[test]
    fn wrong_successor_count_names_the_line() {
        let bad = SMALL.replace(
            "   1        1          2           2   3",
            "   1        1          3           2   3",
        );
        let err = parse_sm(&bad).unwrap_err();
        assert_eq!(err.to_string(), "line 10: expected 3 successors, found 2");
    }

    #[test]
    fn truncated_file_names_the_last_line() {
        let cut: String = SMALL.lines().take(20).collect::<Vec<_>>().join("\n");
        let err = parse_sm(&cut).unwrap_err();
        assert!(err.to_string().starts_with("line 20: expected"), "{err}");
    }

    #[test]
    fn optimum_forms() {
        assert_eq!(
            parse_optimum("43"),
            Some(Optimum {
                lower: Some(43),
                upper: 43
            })
        );
        assert_eq!(
            parse_optimum("104..105"),
            Some(Optimum {
                lower: Some(104),
                upper: 105
            })
        );
        assert_eq!(
            parse_optimum("..105"),
            Some(Optimum {
                lower: None,
                upper: 105
            })
        );
        assert_eq!(parse_optimum("x"), None);
        let map = parse_optimum_csv("problem,optimum\na.sm,3\nb.sm,4..6\n").unwrap();
        assert!(map["a.sm"].is_proven());
        assert!(!map["b.sm"].is_proven());
        assert!(parse_optimum_csv("problem,optimum\na.sm,zz\n").is_err());
    }
}
