//! `plan export`, `plan import`, `plan completions` and `plan man`.

use super::output::write_atomic;
use super::{best_schedule, load, search_scenario, CliError};
use crate::cli::{Cli, ExportArgs, ExportFormat, ImportArgs, ImportFormat};
use clap::CommandFactory;
use plan::interchange::{self, draft::ModelDraft, ExportPlan};
use plan::model;
use plan::report;
use std::path::{Path, PathBuf};

/// Writes `text` to `out`, atomically, or to standard output for "-".
fn write_out(out: &Path, text: &str) -> Result<(), CliError> {
    if out == Path::new("-") {
        return super::emit(text);
    }
    Ok(write_atomic(out, text.as_bytes())?)
}

/// `plan export`: the model and its checked resource-constrained schedule in another format.
pub fn export(args: &ExportArgs) -> Result<i32, CliError> {
    let model = load(&args.search.model)?;
    let scenario = search_scenario(&args.search, &model)?;
    let cpm = plan::cpm::analyze_model(&model, super::estimate(args.search.estimate));
    let text = match args.format {
        ExportFormat::Dot => report::graph::dot(&model, &cpm),
        format => {
            let (_, schedule) = best_schedule(&args.search)?;
            let plan = ExportPlan::new(&model, &scenario, &schedule, &cpm);
            match format {
                ExportFormat::Mspdi => interchange::mspdi::write(&plan),
                ExportFormat::Json => interchange::tabular::json(&plan),
                ExportFormat::Csv => interchange::tabular::csv(&plan),
                ExportFormat::Mermaid => interchange::tabular::mermaid(&plan),
                ExportFormat::Dot => unreachable!("handled above"),
            }
        }
    };
    write_out(&args.out, &text)?;
    Ok(0)
}

/// The input's format: as given, else from the extension, else from the first bytes.
fn import_format(args: &ImportArgs, text: &str) -> Result<ImportFormat, CliError> {
    if let Some(f) = args.from {
        return Ok(f);
    }
    let ext = args
        .file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    match ext.as_deref() {
        Some("xml") => return Ok(ImportFormat::Mspdi),
        Some("sm") => return Ok(ImportFormat::Psplib),
        _ => {}
    }
    let head = text.trim_start();
    if head.starts_with('<') {
        Ok(ImportFormat::Mspdi)
    } else if head.starts_with("****") || head.contains("jobs (incl. supersource/sink") {
        Ok(ImportFormat::Psplib)
    } else {
        Err(CliError::Invalid(format!(
            "{}: cannot tell the format; give --from mspdi or --from psplib",
            args.file.display()
        )))
    }
}

/// `<out stem>-team.toml` next to the model.
fn default_scenario_path(out: &Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map_or("model".into(), |s| s.to_string_lossy().into_owned());
    out.with_file_name(format!("{stem}-team.toml"))
}

/// `plan import`: a foreign file to a model (and its team), both validated before writing.
pub fn import(args: &ImportArgs) -> Result<i32, CliError> {
    let text = std::fs::read_to_string(&args.file).map_err(|e| {
        CliError::from(plan::Diagnostics::from(
            plan::Diagnostic::new(&args.file, "", format!("cannot read the file: {e}"))
                .help("check the path of the file to import; it must be UTF-8 text"),
        ))
    })?;
    let (draft, unmapped) = match import_format(args, &text)? {
        ImportFormat::Mspdi => {
            let imported = interchange::mspdi_import::import(&text, &args.file)?;
            (imported.draft, imported.unmapped)
        }
        ImportFormat::Psplib => {
            let start = args.start.parse().map_err(|_| {
                CliError::Invalid(format!("--start {}: give a date as YYYY-MM-DD", args.start))
            })?;
            (
                interchange::psplib_import::import(&text, &args.file, start)?,
                Vec::new(),
            )
        }
    };
    let scenario_path = args
        .scenario_out
        .clone()
        .unwrap_or_else(|| default_scenario_path(&args.out));
    let (model_text, scenario_text) = checked_texts(&draft, &args.out, &scenario_path)?;
    write_atomic(&args.out, model_text.as_bytes())?;
    write_atomic(&scenario_path, scenario_text.as_bytes())?;
    for line in &unmapped {
        eprintln!("not imported: {line}");
    }
    eprintln!(
        "wrote {} ({} tasks, {} milestones, {} roles) and {}{}",
        args.out.display(),
        draft.tasks.iter().filter(|t| !t.milestone).count(),
        draft.tasks.iter().filter(|t| t.milestone).count(),
        draft.roles.len(),
        scenario_path.display(),
        if unmapped.is_empty() {
            String::new()
        } else {
            format!("; {} items not imported (listed above)", unmapped.len())
        }
    );
    Ok(0)
}

/// The model and scenario texts, validated as `plan validate` would before anything is written.
fn checked_texts(
    draft: &ModelDraft,
    out: &Path,
    scenario_path: &Path,
) -> Result<(String, String), CliError> {
    let model_text = draft.to_toml();
    let model = model::parse_model(&model_text, out)
        .map_err(|d| CliError::Internal(format!("the imported model does not validate:\n{d}")))?;
    let scenario_text = draft.scenario_toml(&format!("Team of {}", draft.name));
    model::parse_scenario(&scenario_text, scenario_path, &model)
        .map_err(|d| CliError::Internal(format!("the imported team does not validate:\n{d}")))?;
    Ok((model_text, scenario_text))
}

/// `plan completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> Result<i32, CliError> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "plan", &mut buf);
    super::emit(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}

/// `plan man`: the manual page in roff.
pub fn man() -> Result<i32, CliError> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| CliError::Internal(format!("cannot render the manual page: {e}")))?;
    super::emit(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}
