//! A milestone trend: one row per version of the plan (a commit of its model or team), with
//! the status date and each milestone's forecast on that version. The caller reads each
//! version's files (from git); this module only parses and answers them.

use super::answers::{answers, AnswerError, AnswerSettings, Answers};
use super::calibrate::{calibrated, Calibration, Pool};
use crate::model::{parse_program, parse_scenario, Program, Scenario};
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
    /// Simulated P50 with the remaining estimates calibrated on the finished tasks of the
    /// version and the versions before it (`plan history --calibrate`; `null` otherwise or
    /// without finished tasks).
    #[serde(serialize_with = "serialize_opt_date")]
    pub calibrated_p50: Option<Date>,
    /// Simulated P80, calibrated.
    #[serde(serialize_with = "serialize_opt_date")]
    pub calibrated_p80: Option<Date>,
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
    /// What the finished tasks up to this version said about its estimates, when calibrated
    /// (`plan history --calibrate` and a finished task with `actual_effort`).
    pub calibration: Option<Calibration>,
}

/// Answers one version for the trend; with `pool` (`plan history --calibrate`), also with its
/// remaining estimates calibrated on the finished tasks of this version and of the earlier
/// ones already added to the pool (what a calibrated forecast said then): the version is
/// added to it, so versions are to be answered oldest first. A version
/// whose files do not read or schedule gives a row with `error` set rather than failing the
/// trend: a plan's history holds broken commits. Only a cancelled run, or an unsound schedule
/// (a bug in plan), is an error.
pub fn trend_row(
    version: &Version<'_>,
    settings: &AnswerSettings,
    pool: Option<&mut Pool>,
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
        calibration: None,
    };
    let Some(text) = version.model.1 else {
        row.error = Some(format!(
            "{} is not in this commit",
            version.model.0.display()
        ));
        return Ok(row);
    };
    let model = match parse_program(text, version.model.0) {
        Ok(m) => m,
        Err(d) => {
            row.error = Some(d.to_string());
            return Ok(row);
        }
    };
    row.status_date = Some(super::status_date(&model));
    let pool = pool.map(|p| {
        p.add(&model, settings.estimate);
        &*p
    });
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
    let answered = match kept(answers(&model, scenario.as_ref(), settings, cancel))? {
        Ok(a) => a,
        Err(e) => {
            row.error = Some(e);
            return Ok(row);
        }
    };
    row.milestones = answered
        .milestones
        .into_iter()
        .map(|m| TrendPoint {
            id: m.id,
            due: m.due,
            cpm_finish: m.cpm_finish,
            scheduled: m.scheduled,
            p50: m.p50,
            p80: m.p80,
            calibrated_p50: None,
            calibrated_p80: None,
        })
        .collect();
    if let Some(pool) = pool {
        calibrate_row(&mut row, &model, pool, scenario.as_ref(), settings, cancel)?;
    }
    Ok(row)
}

/// A failure of one version as the row's error; a cancelled run or an unsound schedule (a
/// bug) stops the trend.
fn kept(result: Result<Answers, AnswerError>) -> Result<Result<Answers, String>, AnswerError> {
    match result {
        Ok(a) => Ok(Ok(a)),
        Err(
            e @ (AnswerError::Cancelled
            | AnswerError::Unsound(_)
            | AnswerError::Search(SearchFailure::Unsound(_))),
        ) => Err(e),
        Err(e) => Ok(Err(e.to_string())),
    }
}

fn add_note(row: &mut TrendRow, note: &str) {
    row.note = Some(match row.note.take() {
        Some(n) => format!("{n}; {note}"),
        None => note.to_string(),
    });
}

/// Adds the calibrated P50 and P80 of a version: its remaining estimates scaled by the
/// accuracy of the finished tasks pooled up to it ([`Pool::calibration`]), answered again.
fn calibrate_row(
    row: &mut TrendRow,
    model: &Program,
    pool: &Pool,
    scenario: Option<&Scenario>,
    settings: &AnswerSettings,
    cancel: &AtomicBool,
) -> Result<(), AnswerError> {
    let Some(c) = pool.calibration() else {
        add_note(
            row,
            "no finished task with actual_effort: no calibrated forecast",
        );
        return Ok(());
    };
    // Calibration scales estimates only: the graph stays the one already built.
    let version = Program {
        model: calibrated(model, &c),
        graph: model.graph.clone(),
    };
    let again = match kept(answers(&version, scenario, settings, cancel))? {
        Ok(a) => a,
        Err(e) => {
            add_note(row, &format!("the calibrated model does not answer: {e}"));
            return Ok(());
        }
    };
    for point in &mut row.milestones {
        if let Some(m) = again.milestone(&point.id) {
            point.calibrated_p50 = m.p50;
            point.calibrated_p80 = m.p80;
        }
    }
    row.calibration = Some(c);
    Ok(())
}

/// How the forecasts of earlier versions did against the newest version's, for one
/// milestone: the P50 each earlier version gave, plain and calibrated, against the newest
/// version's P50 (the best knowledge there is; for a milestone reached, the day it was
/// reached). Errors in calendar days, positive when the earlier forecast was later.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hindsight {
    /// Milestone id.
    pub id: String,
    /// The newest version's P50: what the earlier forecasts are measured against.
    #[serde(serialize_with = "serialize_date")]
    pub reference: Date,
    /// Earlier versions with both a plain and a calibrated P50.
    pub versions: usize,
    /// Mean error of their plain P50 (negative: too early, i.e. optimistic).
    pub bias: f64,
    /// Mean absolute error of their plain P50.
    pub error: f64,
    /// Mean error of their calibrated P50.
    pub calibrated_bias: f64,
    /// Mean absolute error of their calibrated P50.
    pub calibrated_error: f64,
}

/// For each milestone of the newest answered version (rows newest first, as `plan history`
/// gives them), how the earlier versions' plain and calibrated P50s did against its P50;
/// milestones no earlier version forecast both ways are left out.
pub fn hindsight(rows: &[TrendRow]) -> Vec<Hindsight> {
    let answered: Vec<&TrendRow> = rows.iter().filter(|r| r.error.is_none()).collect();
    let Some((newest, earlier)) = answered.split_first() else {
        return Vec::new();
    };
    newest
        .milestones
        .iter()
        .filter_map(|m| {
            let reference = m.p50?;
            let days = |d: Date| reference.until(d).map_or(0.0, |s| f64::from(s.get_days()));
            let pairs: Vec<(f64, f64)> = earlier
                .iter()
                .filter_map(|r| r.milestones.iter().find(|p| p.id == m.id))
                .filter_map(|p| Some((days(p.p50?), days(p.calibrated_p50?))))
                .collect();
            if pairs.is_empty() {
                return None;
            }
            let n = pairs.len() as f64;
            let mean = |f: &dyn Fn(&(f64, f64)) -> f64| pairs.iter().map(f).sum::<f64>() / n;
            Some(Hindsight {
                id: m.id.clone(),
                reference,
                versions: pairs.len(),
                bias: mean(&|p| p.0),
                error: mean(&|p| p.0.abs()),
                calibrated_bias: mean(&|p| p.1),
                calibrated_error: mean(&|p| p.1.abs()),
            })
        })
        .collect()
}
