//! Tracking a plan over time: what one version answers ([`answers`]), what changed between two
//! versions and what that did to the answers ([`changes`], [`diff`]), the milestone trend over a
//! plan's history ([`history`]), and baselines with variance ([`baseline`]). [`render`] turns
//! these results into tables, JSON, CSV and Markdown.
//!
//! The library reads no files and runs no programs: the binary reads each version's text
//! (from disk or from git) and hands it here. See `docs/tracking.md`.

pub mod answers;
pub mod baseline;
pub mod changes;
pub mod diff;
pub mod history;
pub mod render;
