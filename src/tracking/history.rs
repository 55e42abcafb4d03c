//! A milestone trend: one row per version of the plan (a commit of its model or team), with
//! the status date and each milestone's forecast on that version. The caller reads each
//! version's files (from git); this module only parses and answers them.

use super::answers::{answers, AnswerError, AnswerSettings};
use crate::model::{parse_model, parse_scenario};
use crate::schedule::SearchFailure;
use crate::timeline::{serialize_date, serialize_opt_date};
use jiff::civil::Date;
use serde::Serialize;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// A version of the plan's files, as read from one commit.
#[derive(Debug, Clone)]
pub struct Version<'a> {
    /// Commit id.
    pub commit: &'a str,
    /// Commit date as git gives it (ISO 8601).
    pub date: &'a str,
    /// First line of the commit message.
    pub subject: &'a str,
    /// The model's path in that commit and its text (`None` when the commit deleted it).
    pub model: (&'a Path, Option<&'a str>),
    /// The scenario's path in that commit and its text, when a scenario is followed; `None`
    /// text when the file is not in that commit.
    pub scenario: Option<(&'a Path, Option<&'a str>)>,
}

/// One milestone's forecast on one version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// Milestone id.
    pub id: String,
    /// Due date on that version.
    #[serde(serialize_with = "serialize_opt_date")]
    pub due: Option<Date>,
    /// CPM date.
    #[serde(serialize_with = "serialize_date")]
    pub cpm_finish: Date,
    /// Scheduled date with the team.
    #[serde(serialize_with = "serialize_opt_date")]
    pub scheduled: Option<Date>,
    /// Simulated P50.
    #[serde(serialize_with = "serialize_opt_date")]
    pub p50: Option<Date>,
    /// Simulated P80.
    #[serde(serialize_with = "serialize_opt_date")]
    pub p80: Option<Date>,
}

/// One version's row of the trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRow {
    /// Commit id.
    pub commit: String,
    /// Commit date (ISO 8601).
    pub date: String,
    /// First line of the commit message.
    pub subject: String,
    /// The model's path in that commit.
    pub model: String,
    /// The status date on that version (`project.status_date`, else `project.start`;
    /// `null` when the model did not read).
    #[serde(serialize_with = "serialize_opt_date")]
    pub status_date: Option<Date>,
    /// Each milestone's forecast, in that version's model order.
    pub milestones: Vec<TrendPoint>,
    /// Why this version has no forecast (a model or team that does not read or schedule);
    /// `null` when it has one.
    pub error: Option<String>,
    /// A note on the row, e.g. that the team file is not in that commit (`null`: none).
    pub note: Option<String>,
}

/// Answers one version for the trend. A version whose files do not read or schedule gives a
/// row with `error` set rather than failing the trend: a plan's history holds broken commits.
/// Only a cancelled run, or an unsound schedule (a bug in plan), is an error.
pub fn trend_row(
    version: &Version<'_>,
    settings: &AnswerSettings,
    cancel: &AtomicBool,
) -> Result<TrendRow, AnswerError> {
    let mut row = TrendRow {
        commit: version.commit.to_string(),
        date: version.date.to_string(),
        subject: version.subject.to_string(),
        model: version.model.0.display().to_string(),
        status_date: None,
        milestones: Vec::new(),
        error: None,
        note: None,
    };
    let Some(text) = version.model.1 else {
        row.error = Some(format!(
            "{} is not in this commit",
            version.model.0.display()
        ));
        return Ok(row);
    };
    let model = match parse_model(text, version.model.0).and_then(|m| {
        m.refuse_own_calendars("plan history")?;
        Ok(m)
    }) {
        Ok(m) => m,
        Err(d) => {
            row.error = Some(d.to_string());
            return Ok(row);
        }
    };
    row.status_date = Some(super::status_date(&model));
    let scenario = match version.scenario {
        Some((path, Some(text))) => match parse_scenario(text, path, &model) {
            Ok(s) => Some(s),
            Err(d) => {
                row.error = Some(d.to_string());
                return Ok(row);
            }
        },
        Some((path, None)) => {
            row.note = Some(format!(
                "{} is not in this commit: no team, precedence only",
                path.display()
            ));
            None
        }
        None => None,
    };
    match answers(&model, scenario.as_ref(), settings, cancel) {
        Ok(a) => {
            row.milestones = a
                .milestones
                .into_iter()
                .map(|m| TrendPoint {
                    id: m.id,
                    due: m.due,
                    cpm_finish: m.cpm_finish,
                    scheduled: m.scheduled,
                    p50: m.p50,
                    p80: m.p80,
                })
                .collect();
        }
        Err(e @ (AnswerError::Cancelled | AnswerError::Search(SearchFailure::Unsound(_)))) => {
            return Err(e)
        }
        Err(e) => row.error = Some(e.to_string()),
    }
    Ok(row)
}
