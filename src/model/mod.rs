//! The model of a program of work: tasks, dependencies, estimates, roles, milestones and risks,
//! read from TOML ([`load_model`]) and checked for meaning before anything is computed from it.
//! Scenarios (team counts, hires, simulation settings) live in [`scenario`].

mod read;
pub mod scenario;
mod types;
mod validate;

use crate::error::Diagnostics;
use std::path::Path;

pub use scenario::{load_scenario, parse_scenario, Scenario};
pub use types::*;

/// The FANZ integration program, compiled into the binary as the default model.
pub const BUILTIN_MODEL: &str = include_str!("../../models/fanz.toml");
/// The name errors use for the built-in model.
pub const BUILTIN_MODEL_NAME: &str = "models/fanz.toml (built-in)";

/// The seed's low-end team, the default scenario for the built-in model.
pub const BUILTIN_SCENARIO: &str = include_str!("../../scenarios/seed-low.toml");
/// The name errors use for the built-in scenario.
pub const BUILTIN_SCENARIO_NAME: &str = "scenarios/seed-low.toml (built-in)";

/// Reads and validates a model file.
pub fn load_model(path: &Path) -> Result<Model, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        crate::error::Diagnostic::new(path, "", format!("cannot read the model file: {e}"))
            .help("check the path given to --model")
    })?;
    parse_model(&text, path)
}

/// The built-in FANZ model.
pub fn builtin_model() -> Model {
    parse_model(BUILTIN_MODEL, Path::new(BUILTIN_MODEL_NAME))
        .expect("the built-in model is validated by the test suite")
}

/// Parses and validates model text; `file` is the name errors use.
pub fn parse_model(text: &str, file: &Path) -> Result<Model, Diagnostics> {
    let model = read::read_model(text, file)?;
    validate::validate(&model)?;
    Ok(model)
}
