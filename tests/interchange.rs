//! End-to-end tests of export, import, completions, the man page, Markdown tables and atomic
//! writes; the round trip export → import must keep the schedule.

use assert_cmd::Command;
use plan::model::{load_model, load_scenario, EstimateChoice};
use plan::schedule::{check, Schedule};
use predicates::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn plan() -> Command {
    Command::cargo_bin("plan").unwrap()
}

fn export(dir: &Path, format: &str, extra: &[&str]) -> String {
    let out = dir.join(format!("out.{format}"));
    plan()
        .args([
            "export",
            "--schedules",
            "300",
            "--threads",
            "2",
            "--format",
            format,
        ])
        .args(extra)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn every_export_format_writes_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let small = [
        "--model",
        "tests/data/small.toml",
        "--scenario",
        "tests/data/team-2.toml",
    ];
    let mermaid = export(dir.path(), "mermaid", &small);
    assert!(mermaid.starts_with("gantt\n"), "{mermaid}");
    assert!(
        mermaid.contains("excludes weekends, 2025-09-22"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains(":crit, DESIGN, 2025-09-15, 2025-09-19"),
        "{mermaid}"
    );
    assert!(mermaid.contains(":milestone, "), "{mermaid}");
    let dot = export(dir.path(), "dot", &small);
    assert!(dot.starts_with("digraph plan"), "{dot}");
    assert!(dot.contains("color=red"), "{dot}");
    let csv = export(dir.path(), "csv", &small);
    assert!(csv.starts_with(
        "kind,id,name,phase,after,duration,start_date,finish_date,crew,due,critical\n"
    ));
    assert!(
        csv.contains("task,BUILD,Build the service,P1,DESIGN+2,"),
        "{csv}"
    );
    let json: Value = serde_json::from_str(&export(dir.path(), "json", &small)).unwrap();
    assert_eq!(json["items"].as_array().unwrap().len(), 6);
    assert_eq!(json["roles"][0]["id"], "backend");
    let xml = export(dir.path(), "mspdi", &small);
    assert!(
        xml.contains("<LinkLag>9600</LinkLag>"),
        "a 2-day lag is 9600 tenths of minutes"
    );
    assert!(xml.contains("<Deadline>2025-09-30T17:00:00</Deadline>"));
}

#[test]
fn mspdi_elements_follow_the_schema_order() {
    use quick_xml::events::Event;
    let dir = tempfile::tempdir().unwrap();
    let xml = export(dir.path(), "mspdi", &[]);
    let order: BTreeMap<&str, &[&str]> = plan::interchange::mspdi::ORDER.iter().copied().collect();
    let mut reader = quick_xml::Reader::from_str(&xml);
    // Per open element: its name and the schema position of the last child seen.
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut checked = 0;
    loop {
        let name = match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => e.local_name().as_ref().to_string(),
            Event::End(_) => {
                stack.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let grandparent = stack
            .len()
            .checked_sub(2)
            .map(|i| stack[i].0.clone())
            .unwrap_or_default();
        if let Some((parent, last)) = stack.last_mut() {
            // Custom fields are defined under <ExtendedAttributes> and valued under <Task>.
            let key = match (parent.as_str(), grandparent.as_str()) {
                ("ExtendedAttribute", "ExtendedAttributes") => "ExtendedAttribute@Project".into(),
                ("ExtendedAttribute", _) => "ExtendedAttribute@Task".into(),
                _ => parent.clone(),
            };
            if let Some(seq) = order.get(key.as_str()) {
                let pos = seq
                    .iter()
                    .position(|c| *c == name)
                    .unwrap_or_else(|| panic!("<{name}> is not in the order list of <{key}>"));
                assert!(pos >= *last, "<{name}> comes too late in <{key}>");
                *last = pos;
                checked += 1;
            }
        }
        stack.push((name, 0));
    }
    assert!(checked > 1000, "checked {checked} elements");
}

/// The imported model admits exactly the exported schedule: same tasks, durations and links,
/// the crews as demand, and the exported start days pass the independent checker.
#[test]
fn export_then_import_keeps_the_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let exported: Value = serde_json::from_str(&export(dir.path(), "json", &[])).unwrap();
    export(dir.path(), "mspdi", &[]);
    let xml = dir.path().join("out.mspdi");
    let model_path = dir.path().join("rt.toml");
    plan()
        .arg("import")
        .arg(&xml)
        .args(["--from", "mspdi", "--out"])
        .arg(&model_path)
        .assert()
        .success()
        .stderr(predicate::str::contains("not imported").not());
    plan()
        .args(["validate", "--model"])
        .arg(&model_path)
        .arg("--scenario")
        .arg(dir.path().join("rt-team.toml"))
        .assert()
        .success();
    let model = load_model(&model_path).unwrap();
    let scenario = load_scenario(&dir.path().join("rt-team.toml"), &model).unwrap();
    let items: BTreeMap<&str, &Value> = exported["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap(), i))
        .collect();
    assert_eq!(model.tasks.len() + model.milestones.len(), items.len());
    for task in &model.tasks {
        let item = items[task.id.as_str()];
        assert_eq!(item["name"], task.name.as_str());
        let links: Vec<(String, f64)> = task.after.iter().map(|d| (d.id.clone(), d.lag)).collect();
        let want: Vec<(String, f64)> = item["after"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["id"].as_str().unwrap().into(), l["lag"].as_f64().unwrap()))
            .collect();
        assert_eq!(links, want, "{}", task.id);
    }
    let pp = plan::program::build(&model, &scenario, EstimateChoice::Likely).unwrap();
    let mut starts: Vec<u32> = (0..pp.nodes)
        .map(|n| items[pp.graph.ids[n].as_str()]["start"].as_u64().unwrap() as u32)
        .collect();
    // Deadline tails start when their milestone is reached.
    for a in &pp.problem.activities[pp.nodes..] {
        starts.push(starts[a.preds[0].pred]);
    }
    let schedule = Schedule {
        modes: vec![0; starts.len()],
        starts,
    };
    let violations = check(&pp.problem, &schedule);
    assert!(
        violations.is_empty(),
        "{:?}",
        &violations[..violations.len().min(5)]
    );
    assert_eq!(
        u64::from(pp.finish(&schedule)),
        exported["finish"].as_u64().unwrap()
    );
}

#[test]
fn psplib_import_writes_a_model_and_a_team_that_validate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("j30.toml");
    plan()
        .args(["import", "tests/data/j301_1.sm", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("30 tasks, 1 milestones, 4 roles"));
    let team = std::fs::read_to_string(dir.path().join("j30-team.toml")).unwrap();
    assert!(
        team.contains("[team]\nR1 = 12\nR2 = 13\nR3 = 4\nR4 = 12\n"),
        "{team}"
    );
    plan()
        .args([
            "schedule",
            "--schedules",
            "500",
            "--threads",
            "2",
            "--format",
            "json",
            "--model",
        ])
        .arg(&out)
        .arg("--scenario")
        .arg(dir.path().join("j30-team.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("\"finish\": 43"));
}

const FOREIGN: &str = r#"<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <Title>Foreign &amp; odd</Title>
  <StartDate>2025-09-15T08:00:00</StartDate>
  <Tasks>
    <Task><UID>0</UID><ID>0</ID><Name>Project</Name><OutlineLevel>0</OutlineLevel><Summary>1</Summary></Task>
    <Task><UID>1</UID><ID>1</ID><Name>Dig</Name><OutlineLevel>1</OutlineLevel><Duration>PT16H0M0S</Duration></Task>
    <Task><UID>2</UID><ID>2</ID><Name>Pour</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>
      <ConstraintType>2</ConstraintType><ConstraintDate>2025-09-20T08:00:00</ConstraintDate>
      <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>3</Type></PredecessorLink>
      <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>4800</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
    </Task>
    <Task><UID>3</UID><ID>3</ID><Name>Done</Name><OutlineLevel>1</OutlineLevel><Milestone>1</Milestone><Duration>PT0H0M0S</Duration>
      <Deadline>2025-10-01T17:00:00</Deadline>
      <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>1</Type></PredecessorLink>
    </Task>
  </Tasks>
  <Resources>
    <Resource><UID>1</UID><Name>Crew Hand</Name><Type>1</Type><MaxUnits>1.5</MaxUnits></Resource>
    <Resource><UID>2</UID><Name>Concrete</Name><Type>0</Type></Resource>
  </Resources>
  <Assignments>
    <Assignment><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID><Units>2</Units></Assignment>
    <Assignment><TaskUID>2</TaskUID><ResourceUID>2</ResourceUID><Units>1</Units></Assignment>
  </Assignments>
</Project>
"#;

#[test]
fn mspdi_import_lists_what_it_cannot_map() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("foreign.xml");
    std::fs::write(&input, FOREIGN).unwrap();
    let out = dir.path().join("m.toml");
    plan()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "start-to-start links are not imported",
        ))
        .stderr(predicate::str::contains("constraint \"must start on\""))
        .stderr(predicate::str::contains("material and cost resources"))
        .stderr(predicate::str::contains("max units 1.5 rounded up"));
    let model = std::fs::read_to_string(&out).unwrap();
    assert!(model.contains("name = \"Foreign & odd\""), "{model}");
    assert!(
        model.contains("after = [{ id = \"T1\", lag = 1 }]"),
        "{model}"
    );
    assert!(model.contains("demand = { crew_hand = 2 }"), "{model}");
    assert!(model.contains("due = 2025-10-01"), "{model}");
    let team = dir.path().join("m-team.toml");
    plan()
        .args(["validate", "--model"])
        .arg(&out)
        .arg("--scenario")
        .arg(&team)
        .assert()
        .success();
}

#[test]
fn bad_xml_is_an_input_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.xml");
    std::fs::write(&input, "<Project>\n<Tasks>\n</Project>\n").unwrap();
    let out = dir.path().join("m.toml");
    plan()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.xml:3"));
    assert!(!out.exists(), "nothing is written on failure");
}

#[test]
fn a_failed_export_leaves_the_existing_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.json");
    std::fs::write(&out, "old").unwrap();
    // No team for a model file without --scenario: the command fails before writing.
    plan()
        .args([
            "export",
            "--format",
            "json",
            "--model",
            "tests/data/small.toml",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
    plan()
        .args([
            "export",
            "--format",
            "json",
            "--out",
            "/nonexistent-dir/plan.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent-dir/plan.json"));
    let replaced = export(dir.path(), "json", &[]);
    assert!(replaced.starts_with('{'));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn completions_for_each_shell_and_a_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        plan()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("export"));
    }
    plan()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH plan"))
        .stdout(predicate::str::contains("import"));
}

#[test]
fn markdown_tables_for_every_table_command() {
    let small = ["--model", "tests/data/small.toml"];
    let team = ["--scenario", "tests/data/team-2.toml", "--schedules", "200"];
    plan()
        .args(["critical-path", "--format", "markdown"])
        .args(small)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| ID | Task | Start | Finish | Days | Float |",
        ))
        .stdout(predicate::str::contains(
            "| --- | --- | --- | --- | ---: | ---: |",
        ));
    for command in ["schedule", "feasibility"] {
        plan()
            .args([command, "--format", "markdown"])
            .args(small)
            .args(team)
            .assert()
            .success()
            .stdout(predicate::str::contains("| M2 | Release | 2025-10-10 |"));
    }
}

/// Found by the `mspdi` fuzz target: a milestone that follows nothing once its links are
/// mapped (a start milestone, or one after a finish-to-finish link) made the import write a
/// model that does not validate (exit 1, "internal error").
#[test]
fn a_milestone_that_follows_no_imported_task_becomes_a_zero_length_task() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.toml");
    plan()
        .arg("import")
        .arg("tests/data/fuzz-regressions/mspdi/milestone-after-no-imported-link.xml")
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "milestone \"Kick-off\": it follows no imported task, so it is imported as a zero-length task",
        ))
        .stderr(predicate::str::contains(
            "milestone \"Done\": it follows no imported task, so it is imported as a zero-length task and its deadline is not imported",
        ));
    let model = load_model(&out).unwrap();
    assert!(model.milestones.is_empty(), "{model:?}");
    let kick_off = model.tasks.iter().find(|t| t.name == "Kick-off").unwrap();
    assert_eq!(kick_off.remaining_duration(EstimateChoice::Likely), 0.0);
    load_scenario(&dir.path().join("m-team.toml"), &model).unwrap();
}

/// Found by the `mspdi` fuzz target: a task ID such as `:3` made the id `T:3`, which the model
/// rejects, so the import wrote a model that does not validate (exit 1, "internal error").
#[test]
fn task_ids_that_the_model_cannot_hold_are_replaced_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.toml");
    plan()
        .arg("import")
        .arg("tests/data/fuzz-regressions/mspdi/ids-not-valid-in-the-model.xml")
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "task \"Colon\": id T:1 is taken or not a valid id; using U1",
        ));
    let model = load_model(&out).unwrap();
    let ids: Vec<&str> = model.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    let distinct: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), 3, "ids stay unique: {ids:?}");
    let spaces = model.tasks.iter().find(|t| t.name == "Spaces").unwrap();
    assert_eq!(spaces.after[0].id, "U1", "links follow the new ids");
}

/// Found by the `mspdi` fuzz target: a title with a carriage return or a NUL went raw into the
/// team file's first comment, which TOML then rejected (exit 1, "internal error").
#[test]
fn control_characters_in_the_title_keep_the_written_files_valid() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.toml");
    plan()
        .arg("import")
        .arg("tests/data/fuzz-regressions/mspdi/title-with-control-characters.xml")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let model = load_model(&out).unwrap();
    assert!(
        model.project.name.contains("bell"),
        "{}",
        model.project.name
    );
    let team = dir.path().join("m-team.toml");
    let comment = std::fs::read_to_string(&team).unwrap();
    assert!(
        comment.starts_with("# The team of the imported model: Line break and bell \n"),
        "{comment}"
    );
    load_scenario(&team, &model).unwrap();
}
