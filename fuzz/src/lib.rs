//! What each fuzz target feeds to the library, shared with the replay test of the corpus
//! (`tests/bad_input.rs` includes this file), so that the corpus is replayed exactly as it is
//! fuzzed.
//!
//! Every function takes raw bytes and returns normally for any input, valid or not: a reader
//! that panics, or a result the library itself calls impossible (an import that does not
//! validate, a schedule that fails the independent check), is a bug and panics here.

use plan::model::{self, EstimateChoice, Model, Scenario, Work};
use plan::schedule::{search_checked, SearchConfig, SearchFailure};
use std::path::Path;
use std::sync::OnceLock;

/// Inputs above this size are skipped so that each run stays short; the built-in model
/// (80 KB) still fits.
pub const MAX_INPUT: usize = 128 * 1024;

/// Schedules generated per search: enough for one serial SGS pass and a few generations.
pub const SEARCH_BUDGET: u64 = 20;

/// Most people the model and scenario readers accept per role; the pipeline's made-up team
/// stays within it so it never staffs more than a file could.
const MAX_TEAM: u32 = 10_000;

/// Byte that separates a model from its scenario in a `pipeline` input.
pub const SCENARIO_SEPARATOR: u8 = 0;

/// The text of a bounded input, or `None` when it is too long or not UTF-8 (the commands
/// read files as UTF-8 and reject the rest before any reader runs).
pub fn text(data: &[u8]) -> Option<&str> {
    if data.len() > MAX_INPUT {
        return None;
    }
    std::str::from_utf8(data).ok()
}

/// Renders a reader's error as the commands print it: locating and escaping must not panic
/// either.
fn render_error<T, E: std::fmt::Display>(result: &Result<T, E>) {
    if let Err(e) = result {
        let _ = e.to_string();
    }
}

/// `model` target: model TOML through `parse_model` (read and validate), errors rendered.
pub fn model(data: &[u8]) {
    if let Some(text) = text(data) {
        render_error(&model::parse_model(text, Path::new("fuzz.toml")));
    }
}

/// `scenario` target: scenario TOML through `parse_scenario` against the built-in model (read
/// once: it is 80 KB).
pub fn scenario(data: &[u8]) {
    static BUILTIN: OnceLock<Model> = OnceLock::new();
    if let Some(text) = text(data) {
        let builtin = BUILTIN.get_or_init(model::builtin_model);
        render_error(&model::parse_scenario(
            text,
            Path::new("fuzz-team.toml"),
            builtin,
        ));
    }
}

/// `psplib` target: a `.sm` file through the `rcpsp` reader (`parse_sm`) and through
/// `plan import`'s PSPLIB path, whose model and team must then validate.
pub fn psplib(data: &[u8]) {
    let Some(text) = text(data) else { return };
    render_error(&plan::schedule::psplib::parse_sm(text));
    let start = jiff::civil::date(2025, 1, 6);
    let imported = plan::interchange::psplib_import::import(text, Path::new("fuzz.sm"), start);
    render_error(&imported);
    if let Ok(mut draft) = imported {
        let origins = plan::interchange::draft::Origins::default();
        assert_import_validates(&mut draft, text, Path::new("fuzz.sm"), &origins);
    }
}

/// `mspdi` target: MS Project XML through `plan import`'s MSPDI reader, whose model and team
/// must then validate.
pub fn mspdi(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let path = Path::new("fuzz.xml");
    let imported = plan::interchange::mspdi_import::import(text, path);
    render_error(&imported);
    if let Ok(mut imported) = imported {
        assert_import_validates(&mut imported.draft, text, path, &imported.origins);
    }
}

/// `xer` target: a Primavera P6 XER file through `plan import`'s XER reader, whose model and
/// team must then validate; its notes are rendered as the command prints them.
pub fn xer(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let path = Path::new("fuzz.xer");
    let imported = plan::interchange::xer_import::import(text, path);
    render_error(&imported);
    if let Ok(mut imported) = imported {
        let _ = (imported.calendars.to_string(), imported.notes.join("\n"));
        assert_import_validates(&mut imported.draft, text, path, &imported.origins);
    }
}

/// First byte of a `csv` input's optional options line.
pub const CSV_OPTIONS_MARK: char = '@';

/// `csv` target: a CSV or TSV sheet through `plan import`'s CSV reader with the options an
/// optional first line gives, whose model and team must then validate.
///
/// The options line is `@` followed by `|`-separated words, as the command's flags would
/// give them: `jira` or `github` (`--preset`), `tab` (a `.tsv` file), `start=YYYY-MM-DD`
/// (`--start`) and `COLUMN=key` (`--map`, skipped when the command would refuse it). Without
/// that line the sheet is read as `plan import sheet.csv` reads it, from 2025-01-06.
pub fn csv(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let (options, sheet) = csv_options(text);
    let path = Path::new("fuzz.csv");
    let imported = plan::interchange::csv_import::import(sheet, path, &options);
    render_error(&imported);
    if let Ok(mut imported) = imported {
        let _ = (
            imported.unknown_columns.join(", "),
            imported.notes.join("\n"),
        );
        assert_import_validates(&mut imported.draft, sheet, path, &imported.origins);
    }
}

/// The CSV options of an input's options line (see [`csv`]) and the sheet after it.
pub fn csv_options(text: &str) -> (plan::interchange::csv_import::CsvOptions, &str) {
    use plan::interchange::csv_import::{CsvOptions, Mapping, Preset};
    let mut options = CsvOptions {
        preset: Preset::Generic,
        maps: Vec::new(),
        start: jiff::civil::date(2025, 1, 6),
        delimiter: None,
    };
    let Some(rest) = text.strip_prefix(CSV_OPTIONS_MARK) else {
        return (options, text);
    };
    let (line, sheet) = rest.split_once('\n').unwrap_or((rest, ""));
    for word in line.split('|') {
        match word {
            "jira" => options.preset = Preset::Jira,
            "github" => options.preset = Preset::Github,
            "tab" => options.delimiter = Some(b'\t'),
            _ => {
                if let Some(date) = word.strip_prefix("start=") {
                    if let Ok(date) = date.parse() {
                        options.start = date;
                    }
                } else if let Ok(map) = word.parse::<Mapping>() {
                    options.maps.push(map);
                }
            }
        }
    }
    (options, sheet)
}

/// An import that succeeds goes through the same last step as `plan import`: the model and
/// team are checked as `plan validate` would check them. A problem found there must be
/// reported against the input file (an input error); one the writer made itself is a bug.
fn assert_import_validates(
    draft: &mut plan::interchange::draft::ModelDraft,
    text: &str,
    path: &Path,
    origins: &plan::interchange::draft::Origins,
) {
    let source = plan::interchange::ImportSource {
        path,
        text,
        origins,
    };
    let files = plan::interchange::import_files(
        draft,
        &source,
        Path::new("imported.toml"),
        Path::new("imported-team.toml"),
    );
    match files {
        Ok(files) => {
            let model = model::parse_model(&files.model, Path::new("imported.toml"))
                .unwrap_or_else(|d| panic!("the written model does not read back:\n{d}"));
            if let Err(d) =
                model::parse_scenario(&files.scenario, Path::new("imported-team.toml"), &model)
            {
                panic!("the written team does not read back:\n{d}");
            }
        }
        Err(plan::interchange::ImportError::Input(d)) => {
            let _ = d.to_string();
        }
        Err(e) => panic!("an import succeeded but its own output does not validate:\n{e}"),
    }
}

/// `pipeline` target: whatever parses goes through the stages after the reader. A model
/// (optionally followed by [`SCENARIO_SEPARATOR`] and a scenario) gets the critical path and
/// its dates, the program's scheduling problem and a short checked search; a `.sm` file gets
/// the short search.
pub fn pipeline(data: &[u8]) {
    let (model_part, scenario_part) = split_scenario(data);
    let Some(model_text) = text(model_part) else {
        return;
    };
    match model::parse_model(model_text, Path::new("fuzz.toml")) {
        Ok(model) => schedule_model(&model, scenario_part.and_then(text)),
        Err(_) => {
            if let Ok(problem) = plan::schedule::psplib::parse_sm(model_text) {
                expect_sound(search_checked(&problem, &short_search(), &[]));
            }
        }
    }
}

/// The model bytes and, after the first [`SCENARIO_SEPARATOR`], the scenario bytes.
pub fn split_scenario(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == SCENARIO_SEPARATOR) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    }
}

/// Critical path with its calendar dates (as `plan critical-path` reports them), then the
/// scheduling problem and a short search with the given scenario when it parses, else with a
/// team just big enough for every task.
fn schedule_model(model: &Model, scenario_text: Option<&str>) {
    let cpm = plan::cpm::analyze_model(model, EstimateChoice::Likely);
    let _ = plan::report::critical_path::build(model, &cpm, EstimateChoice::Likely);
    let scenario = scenario_text
        .and_then(|t| model::parse_scenario(t, Path::new("fuzz-team.toml"), model).ok())
        .unwrap_or_else(|| team_for_every_task(model));
    if let Ok(problem) = plan::program::build(model, &scenario, EstimateChoice::Likely) {
        expect_sound(problem.search(&short_search(), &[]));
    }
}

/// One sequential search of [`SEARCH_BUDGET`] schedules, no time limit (a hang is a finding).
fn short_search() -> SearchConfig {
    SearchConfig {
        schedules: SEARCH_BUDGET,
        parallel: false,
        ..SearchConfig::default()
    }
}

/// A search may reject a problem, but a schedule that fails the independent check is a bug.
fn expect_sound<T>(result: Result<T, SearchFailure>) {
    if let Err(SearchFailure::Unsound(violations)) = result {
        panic!("the search returned an unsound schedule: {violations:?}");
    }
}

/// A scenario with, per role, the most people any task of the model asks for (at least one).
pub fn team_for_every_task(model: &Model) -> Scenario {
    let mut scenario = Scenario::empty(model);
    for team in &mut scenario.team {
        *team = 1;
    }
    for task in &model.tasks {
        let asks: Vec<(usize, u32)> = match &task.work {
            Work::Fixed { demand, .. } => demand.clone(),
            Work::Effort(efforts) => efforts.iter().map(|e| (e.role, e.crew.1)).collect(),
        };
        for (role, people) in asks {
            if let Some(team) = scenario.team.get_mut(role) {
                *team = (*team).max(people.min(MAX_TEAM));
            }
        }
    }
    scenario
}
