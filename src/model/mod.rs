//! The model of a program of work: tasks, dependencies, estimates, roles, milestones and risks,
//! read from TOML ([`load_model`]) and checked for meaning before anything is computed from it.
//! Scenarios (team counts, hires, simulation settings) live in [`scenario`].

mod hours;
mod percent_lag;
mod read;
pub mod scenario;
mod types;
mod validate;

use crate::error::Diagnostics;
use crate::graph::ProgramGraph;
use std::path::Path;
use std::sync::Arc;

pub use hours::{hh_mm, HoursError, Shift, WorkingHours};
pub use read::{
    FIRST_DATE, LAST_DATE, MAX_COST, MAX_DAYS, MAX_EFFORT, MAX_LAG_PERCENT, MAX_PEOPLE,
};
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

/// Reads and validates a model file: [`parse_model`] on its text.
///
/// # Example
///
/// ```
/// use std::path::Path;
///
/// let model = plan::model::load_model(Path::new("models/fanz.toml")).unwrap();
/// let builtin = plan::model::builtin_model();
/// assert_eq!(model.project.name, builtin.project.name);
/// assert_eq!(model.tasks.len(), builtin.tasks.len());
/// let missing = plan::model::load_model(Path::new("no/such/model.toml")).unwrap_err();
/// assert!(missing.to_string().contains("cannot read the model file"), "{missing}");
/// ```
pub fn load_model(path: &Path) -> Result<Model, Diagnostics> {
    load_program(path).map(Program::into_model)
}

/// Reads and validates a model file, with its dependency graph ([`Program`]).
///
/// The file is read once, and its text is freed before validation: a large model's text is
/// not kept alive next to the model and its graph.
pub fn load_program(path: &Path) -> Result<Program, Diagnostics> {
    let bytes = std::fs::read(path).map_err(|e| {
        crate::error::Diagnostic::new(path, "", format!("cannot read the model file: {e}"))
            .help(UNREADABLE_HELP)
    })?;
    let text = read::utf8_text(path, bytes)?;
    let model = read::sections::read_model(&text, path)?;
    drop(text);
    Program::new(model)
}

/// A validated model and its dependency graph, built once: what every stage after the model
/// takes, so that none of them builds the graph again.
///
/// It derefs to its [`Model`].
///
/// # Example
///
/// ```
/// use std::path::Path;
///
/// let program = plan::model::load_program(Path::new("models/fanz.toml")).unwrap();
/// let first = &program.tasks[0];
/// assert_eq!(program.graph.node(&first.id), Some(0));
/// assert_eq!(program.graph.ids.len(), program.tasks.len() + program.milestones.len());
/// ```
#[derive(Debug, Clone)]
pub struct Program {
    /// The model.
    pub model: Model,
    /// Its dependency graph: the tasks are nodes `0..tasks`, the milestones the nodes after
    /// them. Shared, not copied, by the results built on it.
    pub graph: Arc<ProgramGraph>,
}

impl Program {
    /// Validates `model` (as [`parse_model`] does) and builds its graph.
    pub fn new(mut model: Model) -> Result<Program, Diagnostics> {
        percent_lag::resolve(&mut model)?;
        let graph = validate::validate(&model)?;
        read::check_horizon(&model, &graph)?;
        Ok(Program {
            model,
            graph: Arc::new(graph),
        })
    }

    /// The model, without its graph.
    pub fn into_model(self) -> Model {
        self.model
    }
}

impl std::ops::Deref for Program {
    type Target = Model;

    fn deref(&self) -> &Model {
        &self.model
    }
}

/// The built-in FANZ model with its graph.
pub fn builtin_program() -> Program {
    parse_program(BUILTIN_MODEL, Path::new(BUILTIN_MODEL_NAME))
        .expect("the built-in model is validated by the test suite")
}

/// The built-in FANZ model.
pub fn builtin_model() -> Model {
    parse_model(BUILTIN_MODEL, Path::new(BUILTIN_MODEL_NAME))
        .expect("the built-in model is validated by the test suite")
}

/// The built-in scenario ([`BUILTIN_SCENARIO`]) staffing `model`: the default team when no
/// scenario is given for the built-in model.
pub fn builtin_scenario(model: &Model) -> Result<Scenario, Diagnostics> {
    parse_scenario(BUILTIN_SCENARIO, Path::new(BUILTIN_SCENARIO_NAME), model)
}

/// Parses and validates model text; `file` is the name errors use.
///
/// Complexity: about linear. The TOML parse is `O(L)` for `L` bytes of text; validation
/// looks each id and link up in hash sets (each task's phase among the model's phases) and
/// detects cycles in `O(n + e)` for `n` tasks and milestones and `e` links
/// ([`Model::graph`]).
///
/// # Example
///
/// ```
/// use std::path::Path;
///
/// let text = r#"
/// [project]
/// name = "Tiny"
/// start = 2025-09-15
///
/// [roles.dev]
///
/// [[task]]
/// id = "A"
/// duration = 3
/// demand = { dev = 1 }
///
/// [[task]]
/// id = "B"
/// after = ["A"]
/// duration = 4
/// demand = { dev = 1 }
/// "#;
/// let model = plan::model::parse_model(text, Path::new("tiny.toml")).unwrap();
/// let ids: Vec<&str> = model.tasks.iter().map(|t| t.id.as_str()).collect();
/// assert_eq!(ids, ["A", "B"]);
///
/// // A link to a task that does not exist is an error that names the file and the id.
/// let broken = text.replace(r#"after = ["A"]"#, r#"after = ["X"]"#);
/// let errors = plan::model::parse_model(&broken, Path::new("tiny.toml")).unwrap_err();
/// let message = errors.to_string();
/// assert!(message.contains("tiny.toml") && message.contains("\"X\""), "{message}");
/// ```
pub fn parse_model(text: &str, file: &Path) -> Result<Model, Diagnostics> {
    parse_program(text, file).map(Program::into_model)
}

/// Parses and validates model text into a [`Program`]; `file` is the name errors use.
pub fn parse_program(text: &str, file: &Path) -> Result<Program, Diagnostics> {
    Program::new(read::sections::read_model(text, file)?)
}
