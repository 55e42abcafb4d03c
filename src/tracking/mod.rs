//! Tracking a plan over time: what one version answers ([`answers`]), what changed between two
//! versions and what that did to the answers ([`changes`], [`diff`]; each moved milestone traced
//! to the changes on its driving chain by [`trace`]), the milestone trend over a
//! plan's history ([`history`]), baselines with variance ([`baseline`]), and earned value and
//! earned schedule against a baseline with the milestones at risk ([`evm`], [`status`]).
//! [`render`] and [`render_status`] turn these results into tables, JSON, CSV and Markdown;
//! [`charts`] into what the HTML report draws.
//!
//! The library reads no files and runs no programs: the binary reads each version's text
//! (from disk or from git) and hands it here. See `docs/tracking.md`.

pub mod answers;
pub mod baseline;
pub mod calibrate;
pub mod changes;
pub mod charts;
pub mod diff;
pub mod evm;
pub mod history;
pub mod render;
pub mod render_status;
pub mod replay;
pub mod status;
pub mod trace;

use crate::model::Model;
use jiff::civil::Date;

/// The status date of a model: the date its progress (`done`, `actual_effort`) is measured
/// at. Every tracking computation reads it here.
pub fn status_date(model: &Model) -> Date {
    model.project.status_date
}
