//! `plan critical-path`, `plan validate` and `plan graph`: the commands on the dependency
//! network alone, with unlimited people.

use super::common::{emit, emit_with, estimate, format, left_to_exit, load_any, load_scenario};
use super::error::CliError;
use crate::cli::{EstimateArg, FormatArg, GraphFormat, ModelArg};
use plan::model::EstimateChoice;
use plan::report::{self, Format};
use std::path::Path;

/// `plan critical-path` without `--baseline`.
pub fn critical_path(
    m: &ModelArg,
    f: FormatArg,
    near: f64,
    e: EstimateArg,
) -> Result<i32, CliError> {
    if !near.is_finite() || near < 0.0 {
        return Err(CliError::Invalid(format!(
            "--near {near}: give a number of working days of zero or more"
        )));
    }
    let model = load_any(m)?;
    let choice = estimate(e);
    let result = plan::cpm::analyze_program(&model, choice);
    let rep = report::critical_path::build(&model, &result, choice);
    match format(f) {
        Format::Json => emit_with(|out| report::critical_path::write_json(&rep, out))?,
        other => emit(&report::critical_path::render(&rep, other, near))?,
    }
    left_to_exit(rep);
    left_to_exit((model, result));
    Ok(0)
}

/// `plan validate`.
pub fn validate(m: &ModelArg, scenario: Option<&Path>) -> Result<i32, CliError> {
    let model = load_any(m)?;
    let scenario = load_scenario(scenario, &model)?;
    let result = plan::cpm::analyze_program(&model, EstimateChoice::Likely);
    let warnings = report::lint::warnings(&model, &result);
    emit(&report::lint::render(&model, scenario.as_ref(), &warnings))?;
    left_to_exit((model, result, warnings));
    Ok(0)
}

/// `plan graph`.
pub fn graph(m: &ModelArg, f: GraphFormat) -> Result<i32, CliError> {
    let model = load_any(m)?;
    let result = plan::cpm::analyze_program(&model, EstimateChoice::Likely);
    emit_with(|out| match f {
        GraphFormat::Dot => report::graph::dot_to(&model, &result, out),
        GraphFormat::Mermaid => report::graph::mermaid_to(&model, &result, out),
    })?;
    left_to_exit((model, result));
    Ok(0)
}
