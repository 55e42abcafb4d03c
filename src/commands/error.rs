//! How a command fails, and the exit code each failure gets.
//!
//! Below every command module: it imports only the leaves [`super::interrupt`] and
//! [`super::output`], so any command may use it and none of them is imported back.

use super::interrupt::{self, Interrupted, EXIT_INTERRUPTED};
use super::output;
use plan::schedule::SearchFailure;
use plan::Diagnostics;
use thiserror::Error;

/// Exit code of bad input: files, flags, or a file that cannot be read or written.
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code of an internal failure: a bug in plan.
pub const EXIT_INTERNAL: i32 = 1;

/// A failed command, typed by whose problem it is (see [`CliError::exit_code`]).
#[derive(Debug, Error)]
pub enum CliError {
    /// Problems in the user's files, each with file, line, key and help.
    #[error("{0}")]
    Input(Diagnostics),
    /// A flag value, argument or input the command refuses, phrased for the user (a place in
    /// a file, when there is one, is in the message).
    #[error("error: {0}")]
    Invalid(String),
    /// A file that cannot be read or written, or standard output failing. Not a bug: the
    /// path, the disk or the permissions are the user's to fix.
    #[error("error: {0}")]
    Io(String),
    /// A bug in plan: the engine broke its own promise (for example a schedule that fails the
    /// independent check).
    #[error(
        "error: internal error: {0}\n  help: this is a bug in plan; please report it with the command and its input files"
    )]
    Internal(String),
    /// Stopped by Ctrl-C before it was done; nothing was written.
    #[error("{}", interrupt::INTERRUPTED)]
    Interrupted,
}

impl CliError {
    /// The process exit code: 1 for an internal failure, 2 for everything the user can fix,
    /// 130 when Ctrl-C stopped the run.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Internal(_) => EXIT_INTERNAL,
            CliError::Interrupted => EXIT_INTERRUPTED,
            CliError::Input(_) | CliError::Invalid(_) | CliError::Io(_) => EXIT_BAD_INPUT,
        }
    }
}

impl From<Diagnostics> for CliError {
    fn from(d: Diagnostics) -> Self {
        CliError::Input(d)
    }
}

impl From<Interrupted> for CliError {
    fn from(_: Interrupted) -> Self {
        CliError::Interrupted
    }
}

impl From<output::WriteError> for CliError {
    fn from(e: output::WriteError) -> Self {
        match e {
            output::WriteError::Interrupted => CliError::Interrupted,
            other => CliError::Io(other.to_string()),
        }
    }
}

/// A search rejected by the scheduler is the model's fault; an unsound schedule is ours.
impl From<SearchFailure> for CliError {
    fn from(e: SearchFailure) -> Self {
        match e {
            SearchFailure::Rejected(e) => {
                CliError::Invalid(format!("the scheduler rejected the model: {e}"))
            }
            unsound @ SearchFailure::Unsound(_) => CliError::Internal(unsound.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plan::schedule::Violation;
    use std::path::Path;

    #[test]
    fn an_unsound_schedule_is_an_internal_failure_that_exits_1_and_asks_for_a_report() {
        let err = CliError::from(SearchFailure::Unsound(vec![Violation::Shape {
            activities: 2,
            starts: 1,
            modes: 1,
        }]));
        assert_eq!(err.exit_code(), EXIT_INTERNAL);
        let text = err.to_string();
        assert!(
            text.starts_with("error: internal error: the schedule found fails"),
            "{text}"
        );
        assert!(
            text.contains("this is a bug in plan; please report it"),
            "{text}"
        );
    }

    #[test]
    fn everything_the_user_can_fix_exits_2() {
        let rejected = CliError::from(SearchFailure::Rejected(
            plan::schedule::SearchError::DueDate { activity: 3 },
        ));
        assert!(matches!(rejected, CliError::Invalid(_)));
        let diagnostics = Diagnostics::from(plan::Diagnostic::new(Path::new("m.toml"), "", "x"));
        for err in [
            rejected,
            CliError::Input(diagnostics),
            CliError::Invalid("--threads 0".into()),
            CliError::Io("cannot write out.html".into()),
        ] {
            assert_eq!(err.exit_code(), EXIT_BAD_INPUT, "{err}");
        }
    }

    #[test]
    fn ctrl_c_exits_130_with_nothing_written() {
        let err = CliError::from(Interrupted);
        assert_eq!(err.exit_code(), 130);
        assert_eq!(err.to_string(), interrupt::INTERRUPTED);
    }
}
