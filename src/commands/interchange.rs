//! `plan export`, `plan import`, `plan completions` and `plan man`.

use super::common::{
    emit, emit_with, environment, estimate, left_to_exit, load_any, search_scenario, solve,
};
use super::error::CliError;
use super::interrupt;
use super::output::{self, write_all, Target};
use crate::cli::{Cli, CsvPreset, ExportArgs, ExportFormat, ImportArgs, ImportFormat};
use clap::CommandFactory;
use plan::error::escape_controls;
use plan::interchange::draft::{ModelDraft, Origins};
use plan::interchange::{self, Critical, ExportPlan, ImportError, ImportSource};
use plan::report;
use plan::timeline::Timeline;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Streams what `fill` writes into `out`, atomically (through a buffer into the temporary
/// file that is renamed over it once complete), or to standard output for "-".
fn write_out_with(
    out: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    if out == Path::new("-") {
        return emit_with(fill);
    }
    Ok(output::write_atomic_with(out, |file| {
        let mut buffered = BufWriter::with_capacity(1 << 16, file);
        fill(&mut buffered)?;
        buffered.flush()
    })?)
}

/// `plan export`: the model and its checked resource-constrained schedule in another format.
pub fn export(args: &ExportArgs) -> Result<i32, CliError> {
    if args.out != Path::new("-") {
        Target::of(&args.out)?; // a directory is refused before the search, not after
    }
    // Every format honours role and task calendars: MSPDI writes the calendars themselves,
    // the others the calendar schedule's dates.
    let model = load_any(&args.search.model)?;
    let scenario = search_scenario(&args.search, &model)?;
    let cpm = plan::cpm::analyze_program(&model, estimate(args.search.estimate));
    if matches!(args.format, ExportFormat::Dot) {
        return write_out_with(&args.out, |out| report::graph::dot_to(&model, &cpm, out))
            .map(|()| 0);
    }
    let critical = Critical::of(&model, &cpm);
    drop(cpm);
    let env = environment(&args.search)?;
    let config = plan::schedule::SearchConfig::for_run(&env);
    let choice = estimate(args.search.estimate);
    let (pp, result) = solve(&model, &scenario, choice, &config, env.pool())?;
    let timeline = Timeline::build(&model, &pp, &result.schedule, &mut model.work_calendar());
    // The export reads the dates alone: the problem and the search's records go before the
    // file is written (on a large plan they are as big as the model).
    drop((pp, result));
    let plan = ExportPlan::new(&model, &scenario, &timeline, critical);
    write_out_with(&args.out, |out| match args.format {
        ExportFormat::Mspdi => interchange::mspdi::write_to(&plan, out),
        ExportFormat::Json => interchange::tabular::json_to(&plan, out),
        ExportFormat::Csv => interchange::tabular::csv_to(&plan, out),
        ExportFormat::Mermaid => interchange::tabular::mermaid_to(&plan, out),
        ExportFormat::Dot => unreachable!("written above"),
    })?;
    left_to_exit(plan);
    left_to_exit(timeline);
    left_to_exit(model);
    Ok(0)
}

/// The input's format: as given, else from the extension, else from the first bytes.
fn import_format(args: &ImportArgs, text: &str) -> Result<ImportFormat, CliError> {
    if let Some(f) = args.from {
        return Ok(f);
    }
    if args.preset.is_some() || !args.map.is_empty() {
        return Ok(ImportFormat::Csv);
    }
    let ext = args
        .file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    match ext.as_deref() {
        Some("xml") => return Ok(ImportFormat::Mspdi),
        Some("sm") => return Ok(ImportFormat::Psplib),
        Some("csv" | "tsv") => return Ok(ImportFormat::Csv),
        Some("xer") => return Ok(ImportFormat::Xer),
        _ => {}
    }
    let head = text.trim_start();
    if head.starts_with("ERMHDR") {
        Ok(ImportFormat::Xer)
    } else if head.starts_with('<') {
        Ok(ImportFormat::Mspdi)
    } else if head.starts_with("****") || head.contains("jobs (incl. supersource/sink") {
        Ok(ImportFormat::Psplib)
    } else {
        Err(CliError::Invalid(format!(
            "{}: cannot tell the format; give --from mspdi, --from xer, --from psplib or --from csv",
            args.file.display()
        )))
    }
}

/// The status date PSPLIB instances get when `--start` is not given (they have no dates).
const PSPLIB_START: &str = "2025-01-06";

/// `--start`, else `default` (a date), else today for `None`.
fn start_date_or_today(
    args: &ImportArgs,
    default: Option<&str>,
) -> Result<jiff::civil::Date, CliError> {
    match args.start.as_deref().or(default) {
        Some(text) => text
            .parse()
            .map_err(|_| CliError::Invalid(format!("--start {text}: give a date as YYYY-MM-DD"))),
        None => Ok(jiff::Zoned::now().date()),
    }
}

/// `--start`, else `default`.
fn start_date(args: &ImportArgs, default: &str) -> Result<jiff::civil::Date, CliError> {
    start_date_or_today(args, Some(default))
}

/// A CSV file read with `--preset` and `--map`; its status date is `--start`, else today.
fn import_csv(
    args: &ImportArgs,
    text: &str,
) -> Result<interchange::csv_import::CsvImport, CliError> {
    use interchange::csv_import::{self, CsvOptions, Mapping, Preset};
    let maps = args
        .map
        .iter()
        .map(|m| {
            m.parse::<Mapping>().map_err(|e| {
                CliError::Invalid(format!(
                    "--map {m}: {e}\n  help: write --map \"COLUMN=key\", e.g. --map \"Story Points=estimate\""
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let ext = args
        .file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    let options = CsvOptions {
        preset: match args.preset {
            None => Preset::Generic,
            Some(CsvPreset::Jira) => Preset::Jira,
            Some(CsvPreset::Github) => Preset::Github,
        },
        maps,
        start: start_date_or_today(args, None)?,
        delimiter: (ext.as_deref() == Some("tsv")).then_some(b'\t'),
    };
    Ok(csv_import::import(text, &args.file, &options)?)
}

/// `<out stem>-team.toml` next to the model.
fn default_scenario_path(out: &Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map_or("model".into(), |s| s.to_string_lossy().into_owned());
    out.with_file_name(format!("{stem}-team.toml"))
}

/// `plan import`: a foreign file to a model (and its team), both validated before writing,
/// and written together or not at all.
pub fn import(args: &ImportArgs) -> Result<i32, CliError> {
    let scenario_path = args
        .scenario_out
        .clone()
        .unwrap_or_else(|| default_scenario_path(&args.out));
    refuse_one_file_for_both(args, &scenario_path)?;
    let text = read_import_input(args)?;
    let (mut draft, mut unmapped, origins) = read_draft(args, &text)?;
    let source = ImportSource {
        path: &args.file,
        text: &text,
        origins: &origins,
    };
    let files =
        interchange::import_files(&mut draft, &source, &args.out, &scenario_path).map_err(|e| {
            match e {
                ImportError::Input(d) => CliError::Input(d),
                unreadable => CliError::Internal(unreadable.to_string()),
            }
        })?;
    interrupt::check()?;
    write_all(&[
        (&args.out, files.model.as_bytes()),
        (&scenario_path, files.scenario.as_bytes()),
    ])?;
    // The notes name tasks from the file: their control characters stay out of the terminal.
    unmapped.extend(files.notes.iter().map(|n| escape_controls(n).into_owned()));
    print_import_summary(args, &scenario_path, &draft, &unmapped);
    Ok(0)
}

/// `--out` and `--scenario-out` on one file would overwrite the model with the team.
fn refuse_one_file_for_both(args: &ImportArgs, scenario_path: &Path) -> Result<(), CliError> {
    if output::same_file(&args.out, scenario_path)? {
        return Err(CliError::Invalid(format!(
            "--out {} and --scenario-out {} name the same file\n  help: give the team scenario its own file, e.g. --scenario-out {}",
            args.out.display(),
            scenario_path.display(),
            default_scenario_path(&args.out).display()
        )));
    }
    Ok(())
}

fn read_import_input(args: &ImportArgs) -> Result<String, CliError> {
    let file = &args.file;
    let unreadable = |e: String| {
        CliError::from(plan::Diagnostics::from(
            plan::Diagnostic::new(file, "", format!("cannot read the file: {e}"))
                .help("check the path of the file to import; it must be UTF-8 text"),
        ))
    };
    let bytes = std::fs::read(file).map_err(|e| unreadable(e.to_string()))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) if is_xer(args, e.as_bytes()) => {
            // P6 exports in the Windows code page unless told otherwise.
            eprintln!("note: {} is not UTF-8: read as Windows-1252 (cp1252), the encoding P6 writes by default", file.display());
            Ok(interchange::xer_import::decode_windows_1252(e.as_bytes()))
        }
        Err(e) => Err(unreadable(format!(
            "stream did not contain valid UTF-8 ({})",
            e.utf8_error()
        ))),
    }
}

/// An XER file by `--from`, its extension or its first line.
fn is_xer(args: &ImportArgs, bytes: &[u8]) -> bool {
    let ext = args
        .file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    args.from == Some(ImportFormat::Xer)
        || (args.from.is_none() && ext.as_deref() == Some("xer"))
        || bytes.starts_with(b"ERMHDR")
}

/// The file read by its format's importer: the draft model, what was not carried over, and
/// where each task came from in the file.
fn read_draft(
    args: &ImportArgs,
    text: &str,
) -> Result<(ModelDraft, Vec<String>, Origins), CliError> {
    Ok(match import_format(args, text)? {
        ImportFormat::Mspdi => {
            let imported = interchange::mspdi_import::import(text, &args.file)?;
            (imported.draft, imported.unmapped, imported.origins)
        }
        ImportFormat::Xer => {
            let imported = interchange::xer_import::import(text, &args.file)?;
            eprintln!(
                "note: calendars in the file: {}; the project's is the model's [calendar]",
                imported.calendars
            );
            (imported.draft, imported.notes, imported.origins)
        }
        ImportFormat::Psplib => {
            let start = start_date(args, PSPLIB_START)?;
            (
                interchange::psplib_import::import(text, &args.file, start)?,
                Vec::new(),
                Origins::default(),
            )
        }
        ImportFormat::Csv => {
            let imported = import_csv(args, text)?;
            if !imported.unknown_columns.is_empty() {
                eprintln!(
                    "note: columns not used: {} (read one with --map \"COLUMN=key\"; see docs/import-csv.md)",
                    imported.unknown_columns.join(", ")
                );
            }
            (imported.draft, imported.notes, imported.origins)
        }
    })
}

fn print_import_summary(
    args: &ImportArgs,
    scenario_path: &Path,
    draft: &ModelDraft,
    unmapped: &[String],
) {
    for line in unmapped {
        // Notes for what the model will hold once it has keys for it say so themselves.
        if line.starts_with("not yet mapped: ") {
            eprintln!("{line}");
        } else {
            eprintln!("not imported: {line}");
        }
    }
    eprintln!(
        "wrote {} ({} tasks, {} milestones, {} roles; {} links{}, {} phases) and {}{}",
        args.out.display(),
        draft.tasks.iter().filter(|t| !t.milestone).count(),
        draft.tasks.iter().filter(|t| t.milestone).count(),
        draft.roles.len(),
        draft.tasks.iter().map(|t| t.after.len()).sum::<usize>(),
        links_by_type(draft),
        draft.phases.len(),
        scenario_path.display(),
        if unmapped.is_empty() {
            String::new()
        } else {
            format!("; {} items not imported (listed above)", unmapped.len())
        }
    );
}

/// ` (FS 3, SS 1)`: the links of each type present, or nothing without links.
fn links_by_type(draft: &ModelDraft) -> String {
    use plan::model::LinkType;
    let counts: Vec<String> = [LinkType::FS, LinkType::SS, LinkType::FF, LinkType::SF]
        .into_iter()
        .filter_map(|kind| {
            let n = draft
                .tasks
                .iter()
                .flat_map(|t| &t.after)
                .filter(|(_, k, _)| *k == kind)
                .count();
            (n > 0).then(|| format!("{} {n}", kind.name()))
        })
        .collect();
    if counts.is_empty() {
        String::new()
    } else {
        format!(" ({})", counts.join(", "))
    }
}

/// `plan completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> Result<i32, CliError> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "plan", &mut buf);
    emit(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}

/// `plan man`: the manual page in roff.
pub fn man() -> Result<i32, CliError> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| CliError::Internal(format!("cannot render the manual page: {e}")))?;
    emit(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}
