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
        .stderr(predicate::str::contains("material and cost resources"))
        .stderr(predicate::str::contains("max units 1.5 rounded up"));
    let model = std::fs::read_to_string(&out).unwrap();
    assert!(model.contains("name = \"Foreign & odd\""), "{model}");
    // MS Project's "must start on" (type 2) is the model's constraint of that name.
    assert!(model.contains("must_start_on = 2025-09-20"), "{model}");
    // The start-to-start link (MS Project's type 3) is imported with its type.
    assert!(
        model.contains("after = [{ id = \"T1\", type = \"SS\" }, { id = \"T1\", lag = 1 }]"),
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

/// Imports `text` (written as `case.<ext>`) with a 20-second limit and asserts a located
/// exit-2 error naming `parts`, with a help line, and no file written.
fn import_rejects(ext: &str, text: &str, parts: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(format!("case.{ext}"));
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("m.toml");
    let output = plan()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(
        !stderr.contains("panicked") && !stderr.contains("internal error"),
        "{stderr}"
    );
    assert!(stderr.contains("\n  help: "), "{stderr}");
    for p in parts {
        assert!(stderr.contains(p), "expected {p:?} in {stderr}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing is written"
    );
}

#[test]
fn mspdi_values_the_model_cannot_hold_are_located_errors() {
    let dig = "<Duration>PT16H0M0S</Duration>";
    let cases = [
        (FOREIGN.replace(dig, "<Duration>forty hours</Duration>"), "case.xml:7:79: `Task \"Dig\".Duration`: \"forty hours\" is not an ISO 8601 duration"),
        (FOREIGN.replace(dig, "<Duration>-PT40H</Duration>"), "case.xml:7:79: `Task \"Dig\".Duration`: \"-PT40H\" is a negative duration"),
        (FOREIGN.replace(dig, "<Duration>PT999999999999H</Duration>"), "\"PT999999999999H\" is more than the limit of 10000 working days"),
        (FOREIGN.replace("<StartDate>", "<MinutesPerDay>0</MinutesPerDay>\n  <StartDate>"), "case.xml:4:3: `Project.MinutesPerDay`: 0 minutes per day"),
        (FOREIGN.replace(dig, &format!("{dig}<PercentComplete>250</PercentComplete>")), "`Task \"Dig\".PercentComplete`: 250% complete is outside 0 to 100"),
        (FOREIGN.replace("<LinkLag>4800</LinkLag>", "<LinkLag>NaN</LinkLag>"), "case.xml:11:72: `Task \"Pour\".PredecessorLink.LinkLag`: \"NaN\" is not a finite number"),
        (FOREIGN.replace("<Units>2</Units>", "<Units>1e12</Units>"), "`Assignment of \"Dig\".Units`: 1000000000000 units is outside 0 to 10000 people"),
        (FOREIGN.replace("2025-09-15T08:00:00", "9999-12-31T08:00:00"), "`Project.StartDate`"),
    ];
    for (text, expected) in &cases {
        assert_ne!(text, FOREIGN);
        import_rejects("xml", text, &[expected]);
    }
}

#[test]
fn deeply_nested_xml_is_an_error_not_a_stack_overflow() {
    let deep = format!(
        "<Project>\n<Tasks>{}{}</Tasks></Project>",
        "<a>".repeat(200_000),
        "</a>".repeat(200_000)
    );
    import_rejects("xml", &deep, &["case.xml:2:", "nested more than 100 deep"]);
}

const PSPLIB_SMALL: &str = "\
jobs (incl. supersource/sink ):  4
horizon                       :  10
RESOURCES
  - renewable                 :  0   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
REQUESTS/DURATIONS:
jobnr. mode duration
------------------------------------------------------------------------
  1      1     0
  2      1     3
  3      1     2
  4      1     0
";

#[test]
fn psplib_import_rejects_huge_counts_at_their_line_and_accepts_no_resources() {
    import_rejects(
        "sm",
        &PSPLIB_SMALL.replace("):  4", "):  2147483648"),
        &["case.sm:1:1: the number of jobs 2147483648"],
    );
    import_rejects(
        "sm",
        &PSPLIB_SMALL.replace(
            "   1        1          2",
            "   1        2147483648          2",
        ),
        &["case.sm:9:1: the number of modes"],
    );
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("flat.sm");
    std::fs::write(&input, PSPLIB_SMALL).unwrap();
    let out = dir.path().join("flat.toml");
    plan()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    plan()
        .args(["critical-path", "--format", "json", "--model"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"duration\": 3.0"));
}

/// An MSPDI project holding `tasks`, whose first line is line 5 of the file.
fn mspdi(tasks: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <StartDate>2025-09-15T08:00:00</StartDate>
  <Tasks>
{tasks}
  </Tasks>
</Project>
"#
    )
}

const DIG: &str = "    <Task><UID>1</UID><ID>1</ID><Name>Dig</Name><OutlineLevel>1</OutlineLevel><Duration>PT16H0M0S</Duration></Task>";
const DONE_AFTER_DIG: &str = "    <Task><UID>2</UID><ID>2</ID><Name>Done</Name><OutlineLevel>1</OutlineLevel><Milestone>1</Milestone>\n      <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink></Task>";

/// Runs `plan import` on `xml` in `dir` with extra arguments; returns (code, stderr).
fn import_xml(dir: &Path, xml: &str, args: &[&str]) -> (i32, String) {
    let input = dir.join("in.xml");
    std::fs::write(&input, xml).unwrap();
    let out = plan()
        .current_dir(dir)
        .arg("import")
        .arg(&input)
        .args(args)
        .output()
        .unwrap();
    assert!(out.stdout.is_empty());
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Names in `dir` other than the input file.
fn written(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "in.xml")
        .collect();
    names.sort();
    names
}

#[test]
fn an_imported_cycle_is_reported_against_the_input_element_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let dig = DIG.replace(
        "</Duration></Task>",
        "</Duration>\n      <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>1</Type></PredecessorLink></Task>",
    );
    let pour = "    <Task><UID>2</UID><ID>2</ID><Name>Pour</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>\n      <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink></Task>";
    let xml = mspdi(&format!("{dig}\n{pour}"));
    let (code, err) = import_xml(dir.path(), &xml, &["--out", "m.toml"]);
    assert_eq!(code, 2, "{err}");
    // Line 6 is Dig's <PredecessorLink> element, column 7 its "<".
    assert!(err.contains("in.xml:6:7: "), "{err}");
    assert!(err.contains("cycle: Dig -> Pour -> Dig"), "{err}");
    assert!(err.contains("\n  help: "), "{err}");
    assert!(
        !err.contains("internal error") && !err.contains("m.toml"),
        "{err}"
    );
    assert_eq!(written(dir.path()), Vec::<String>::new());
}

#[test]
fn a_nan_lag_is_reported_at_its_link_and_no_invalid_toml_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let pour = "    <Task><UID>2</UID><ID>2</ID><Name>Pour</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>\n      <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>NaN</LinkLag></PredecessorLink></Task>";
    let (code, err) = import_xml(
        dir.path(),
        &mspdi(&format!("{DIG}\n{pour}")),
        &["--out", "m.toml"],
    );
    assert_eq!(code, 2, "{err}");
    // Line 7 is Pour's <PredecessorLink> element, with the lag in it.
    assert!(err.contains("in.xml:7:") && err.contains("NaN"), "{err}");
    assert!(err.contains("\n  help: "), "{err}");
    assert!(!err.contains("internal error"), "{err}");
    assert_eq!(written(dir.path()), Vec::<String>::new());
}

/// A rule only the model reader knows (the chain of work must end before the calendar does)
/// is still reported against the imported file, at the element of the task it names, not as
/// an internal error about the model file that was never written.
#[test]
fn a_model_rule_broken_by_an_import_is_reported_at_the_input_element() {
    let dir = tempfile::tempdir().unwrap();
    // 300 chained tasks of 10,000 working days each: 3,000,000 days, past 9999-12-31.
    let tasks: Vec<String> = (1..=300)
        .map(|i| {
            let link = if i > 1 {
                format!("<PredecessorLink><PredecessorUID>{}</PredecessorUID><Type>1</Type></PredecessorLink>", i - 1)
            } else {
                String::new()
            };
            format!("    <Task><UID>{i}</UID><ID>{i}</ID><Name>Long {i}</Name><OutlineLevel>1</OutlineLevel><Duration>PT80000H0M0S</Duration>{link}</Task>")
        })
        .collect();
    let (code, err) = import_xml(dir.path(), &mspdi(&tasks.join("\n")), &["--out", "m.toml"]);
    assert_eq!(code, 2, "{err}");
    // Task 300 is on line 4 + 300.
    assert!(
        err.contains("in.xml:304:5: `task T300 \"Long 300\"`"),
        "{err}"
    );
    assert!(err.contains("past the end of the calendar"), "{err}");
    assert!(
        err.contains("\n  help: ") && err.contains("export the file again"),
        "{err}"
    );
    assert!(
        !err.contains("internal error") && !err.contains("m.toml"),
        "{err}"
    );
    assert_eq!(written(dir.path()), Vec::<String>::new());
}

#[test]
fn a_milestone_after_nothing_imports_as_a_zero_length_task() {
    let dir = tempfile::tempdir().unwrap();
    let kickoff = "    <Task><UID>1</UID><ID>1</ID><Name>Kickoff</Name><OutlineLevel>1</OutlineLevel><Milestone>1</Milestone></Task>";
    let dig = "    <Task><UID>2</UID><ID>2</ID><Name>Dig</Name><OutlineLevel>1</OutlineLevel><Duration>PT16H0M0S</Duration>\n      <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink></Task>";
    let (code, err) = import_xml(
        dir.path(),
        &mspdi(&format!("{kickoff}\n{dig}")),
        &["--out", "m.toml"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("milestone \"Kickoff\" comes after nothing"),
        "{err}"
    );
    let model = load_model(&dir.path().join("m.toml")).unwrap();
    assert_eq!(model.tasks.len(), 2);
    assert_eq!(model.tasks[0].id, "T1");
    assert_eq!(model.tasks[1].after[0].id, "T1");
}

#[test]
fn out_and_scenario_out_naming_one_file_is_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let xml = mspdi(&format!("{DIG}\n{DONE_AFTER_DIG}"));
    for (out, team) in [
        ("a.toml", "a.toml"),
        ("a.toml", "./a.toml"),
        ("./sub/../a.toml", "a.toml"),
    ] {
        if out.contains("sub") {
            std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        }
        let (code, err) = import_xml(dir.path(), &xml, &["--out", out, "--scenario-out", team]);
        assert_eq!(code, 2, "{out} {team}: {err}");
        assert!(
            err.contains("name the same file") && err.contains("help: "),
            "{err}"
        );
        assert!(
            !dir.path().join("a.toml").exists(),
            "{out} {team}: a file was written"
        );
    }
}

#[test]
fn a_failed_second_file_leaves_no_first_file() {
    let dir = tempfile::tempdir().unwrap();
    let xml = mspdi(&format!("{DIG}\n{DONE_AFTER_DIG}"));
    let (code, err) = import_xml(
        dir.path(),
        &xml,
        &["--out", "half.toml", "--scenario-out", "nodir/team.toml"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nodir/team.toml"), "{err}");
    assert_eq!(written(dir.path()), Vec::<String>::new());
}

#[test]
fn a_directory_as_out_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("models")).unwrap();
    let xml = mspdi(&format!("{DIG}\n{DONE_AFTER_DIG}"));
    let (code, err) = import_xml(
        dir.path(),
        &xml,
        &["--out", "models", "--scenario-out", "t.toml"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot write models: it is a directory"),
        "{err}"
    );
    assert_eq!(written(dir.path()), ["models"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_out_writes_its_target_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::fs::write(dir.path().join("real/m.toml"), "old").unwrap();
    std::os::unix::fs::symlink("real/m.toml", dir.path().join("link.toml")).unwrap();
    let xml = mspdi(&format!("{DIG}\n{DONE_AFTER_DIG}"));
    let (code, err) = import_xml(
        dir.path(),
        &xml,
        &["--out", "link.toml", "--scenario-out", "t.toml"],
    );
    assert_eq!(code, 0, "{err}");
    let link = dir.path().join("link.toml");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let model = std::fs::read_to_string(dir.path().join("real/m.toml")).unwrap();
    assert!(model.contains("[[milestone]]"), "{model}");
    let in_real: Vec<_> = std::fs::read_dir(dir.path().join("real"))
        .unwrap()
        .collect();
    assert_eq!(in_real.len(), 1, "temporary files left: {in_real:?}");
}

#[cfg(unix)]
#[test]
fn a_fifo_out_is_written_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    if !std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let xml = mspdi(&format!("{DIG}\n{DONE_AFTER_DIG}"));
    let (code, err) = import_xml(
        dir.path(),
        &xml,
        &["--out", "pipe", "--scenario-out", "t.toml"],
    );
    assert_eq!(code, 0, "{err}");
    use std::os::unix::fs::FileTypeExt;
    // Checked first: a pipe replaced by a file would leave the reader waiting forever.
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(reader.join().unwrap().contains("[[milestone]]"));
}

/// A device node is written in place, never replaced by a regular file. The nodes are made in
/// a temporary directory (same devices as /dev/null and /dev/full): a regression then replaces
/// only them, never the machine's own /dev/null. Needs root for mknod; skipped otherwise.
#[cfg(unix)]
#[test]
fn a_device_out_is_written_in_place_and_stays_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let made = |name: &str, minor: &str| {
        std::process::Command::new("mknod")
            .arg(dir.path().join(name))
            .args(["c", "1", minor])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !(made("null", "3") && made("full", "7")) {
        eprintln!("skipped: mknod needs root");
        return;
    }
    let is_device = |name: &str| {
        std::fs::symlink_metadata(dir.path().join(name))
            .unwrap()
            .file_type()
            .is_char_device()
    };
    let xml = mspdi(&format!("{DIG}\n{DONE_AFTER_DIG}"));
    let (code, err) = import_xml(
        dir.path(),
        &xml,
        &["--out", "null", "--scenario-out", "t.toml"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(is_device("null"), "the null device was replaced");
    // A full device fails the write: exit 2, and the team file is not written either.
    let (code, err) = import_xml(
        dir.path(),
        &xml,
        &["--out", "full", "--scenario-out", "t2.toml"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot write full"), "{err}");
    assert!(is_device("full"), "the full device was replaced");
    assert!(!dir.path().join("t2.toml").exists());
    assert!(std::fs::symlink_metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
}

/// Every link type and a lead go out to MSPDI with MS Project's type codes (0 FF, 1 FS, 2 SF,
/// 3 SS) and lags in tenths of minutes, and come back in by `plan import` as they were.
#[test]
fn link_types_and_leads_survive_an_mspdi_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let linked = [
        "--model",
        "tests/data/links.toml",
        "--scenario",
        "tests/data/links-team.toml",
    ];
    let xml = export(dir.path(), "mspdi", &linked);
    let codes: std::collections::BTreeSet<&str> = xml
        .split("<PredecessorLink>")
        .skip(1)
        .filter_map(|link| link.split("<Type>").nth(1)?.split("</Type>").next())
        .collect();
    assert_eq!(codes, ["0", "1", "2", "3"].into(), "{xml}");
    assert!(
        xml.contains("<LinkLag>-7200</LinkLag>"),
        "a 1.5-day lead: {xml}"
    );
    let input = dir.path().join("out.mspdi");
    let out = dir.path().join("back.toml");
    plan()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let back = load_model(&out).unwrap();
    let original = load_model(Path::new("tests/data/links.toml")).unwrap();
    let links = |m: &plan::model::Model| -> Vec<(String, String, f64)> {
        let name = |id: &str| {
            m.tasks
                .iter()
                .find(|t| t.id == id)
                .map_or(id.to_string(), |t| t.name.clone())
        };
        let mut all: Vec<_> = m
            .tasks
            .iter()
            .flat_map(|t| {
                t.after
                    .iter()
                    .map(|d| (name(&d.id), d.kind.name().to_string(), d.lag))
            })
            .collect();
        all.sort_by(|a, b| a.partial_cmp(b).unwrap());
        all
    };
    assert_eq!(links(&back), links(&original));
    let json = export(dir.path(), "json", &linked);
    assert!(json.contains("\"type\": \"SS\""), "{json}");
    let dot = export(dir.path(), "dot", &linked);
    for edge in [
        "\"A\" -> \"B\" [label=\"SS +2d\"",
        "\"A\" -> \"D\" [label=\"-1.5d\"",
        "\"D\" -> \"E\" [label=\"SF +3d\"",
    ] {
        assert!(dot.contains(edge), "{edge}: {dot}");
    }
    let out = plan()
        .args([
            "graph",
            "--format",
            "mermaid",
            "--model",
            "tests/data/links.toml",
        ])
        .output()
        .unwrap();
    let flowchart = String::from_utf8(out.stdout).unwrap();
    assert!(flowchart.contains("A ==>|SS| B"), "{flowchart}");
    assert!(flowchart.contains("D -->|SF| E"), "{flowchart}");
    assert!(flowchart.contains("A --> D"), "{flowchart}");
    let csv = export(dir.path(), "csv", &linked);
    assert!(csv.contains(",A-1.5,"), "{csv}");
    assert!(csv.contains(",A:SS+2,"), "{csv}");
}

/// MS Project's link types, a lead in hours and an elapsed lag (5 in 7 days) are imported;
/// an unknown type is listed, not guessed.
#[test]
fn mspdi_import_reads_link_types_leads_and_elapsed_lags() {
    let xml = r#"<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <Title>Links</Title>
  <StartDate>2025-09-15T08:00:00</StartDate>
  <Tasks>
    <Task><UID>1</UID><ID>1</ID><Name>A</Name><OutlineLevel>1</OutlineLevel><Duration>PT40H0M0S</Duration></Task>
    <Task><UID>2</UID><ID>2</ID><Name>B</Name><OutlineLevel>1</OutlineLevel><Duration>PT16H0M0S</Duration>
      <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>0</Type><LinkLag>-9600</LinkLag><LagFormat>5</LagFormat></PredecessorLink>
      <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>2</Type><LinkLag>100800</LinkLag><LagFormat>8</LagFormat></PredecessorLink>
      <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>7</Type></PredecessorLink>
    </Task>
  </Tasks>
</Project>
"#;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("links.xml");
    std::fs::write(&input, xml).unwrap();
    let out = dir.path().join("m.toml");
    plan()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "a link of unknown type 7 is not imported",
        ))
        .stderr(predicate::str::contains(
            "an elapsed lag is approximated as 5.000 working days",
        ));
    let model = std::fs::read_to_string(&out).unwrap();
    assert!(
        model.contains(
            "after = [{ id = \"T1\", type = \"FF\", lag = -2 }, { id = \"T1\", type = \"SF\", lag = 5 }]"
        ),
        "{model}"
    );
}

/// Working time from `start` (a Monday-to-Friday calendar, 08:00-17:00 days) to an MSPDI
/// instant: whole working days before its date, plus one when it is an end of day.
fn working_time(start: jiff::civil::Date, instant: &str) -> f64 {
    let date: jiff::civil::Date = instant[..10].parse().unwrap();
    let mut days = 0.0;
    let mut d = start;
    while d < date {
        if !matches!(
            d.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        ) {
            days += 1.0;
        }
        d = d.tomorrow().unwrap();
    }
    if instant.ends_with("17:00:00") {
        days += 1.0;
    }
    days
}

/// A file MS Project wrote with every link type (tests/data/mspdi/README.md): imported and
/// run through the critical path, every task gets the start and finish MS Project stored.
#[test]
fn ms_project_dates_of_every_link_type_are_reproduced() {
    let source = "tests/data/mspdi/mspdirelations.xml";
    let xml = std::fs::read_to_string(source).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("relations.toml");
    plan()
        .arg("import")
        .arg(source)
        .arg("--out")
        .arg(&model)
        .assert()
        .success();
    let text = std::fs::read_to_string(&model).unwrap();
    for kind in ["SS", "FF", "SF"] {
        assert!(
            text.contains(&format!("type = \"{kind}\"")),
            "{kind}: {text}"
        );
    }
    let out = plan()
        .args(["critical-path", "--format", "json", "--model"])
        .arg(&model)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cpm: Value = serde_json::from_slice(&out.stdout).unwrap();
    let start = jiff::civil::date(2006, 9, 21);
    let tasks = xml.split("<Task>").skip(1);
    let mut compared = 0;
    for task in tasks {
        let field = |name: &str| {
            task.split(&format!("<{name}>"))
                .nth(1)
                .and_then(|t| t.split(&format!("</{name}>")).next())
        };
        let (Some(name), Some(ms_start), Some(ms_finish)) =
            (field("Name"), field("Start"), field("Finish"))
        else {
            continue;
        };
        if field("Summary") == Some("1") {
            continue;
        }
        let ours = cpm["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("{name} was not imported"));
        assert_eq!(
            ours["early_start"].as_f64().unwrap(),
            working_time(start, ms_start),
            "{name}: start"
        );
        assert_eq!(
            ours["early_finish"].as_f64().unwrap(),
            working_time(start, ms_finish),
            "{name}: finish"
        );
        compared += 1;
    }
    assert_eq!(compared, 5, "the file's five tasks");
}

/// MS Project 2010's file of link types, lag units and start-no-earlier-than constraints
/// (tests/data/mspdi/README.md): imported and run through the critical path, every task gets
/// the start and finish dates MS Project stored. Tasks are matched by MS Project's ID (`T<ID>`):
/// the names repeat.
#[test]
fn ms_project_dates_with_constraints_and_lag_units_are_reproduced() {
    let source = "tests/data/mspdi/task-links-project2010-mspdi.xml";
    let xml = std::fs::read_to_string(source).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("links.toml");
    plan()
        .arg("import")
        .arg(source)
        .arg("--out")
        .arg(&model)
        .assert()
        .success();
    let out = plan()
        .args(["critical-path", "--format", "json", "--model"])
        .arg(&model)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cpm: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut compared = 0;
    for task in xml.split("<Task>").skip(1) {
        let field = |name: &str| {
            task.split(&format!("<{name}>"))
                .nth(1)
                .and_then(|t| t.split(&format!("</{name}>")).next())
        };
        let (Some(id), Some(ms_start), Some(ms_finish)) =
            (field("ID"), field("Start"), field("Finish"))
        else {
            continue;
        };
        if field("Summary") == Some("1") || id == "0" {
            continue;
        }
        let ours = cpm["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == format!("T{id}"))
            .unwrap_or_else(|| panic!("task ID {id} was not imported"));
        assert_eq!(ours["early_start_date"], ms_start[..10], "T{id}: start");
        assert_eq!(ours["early_finish_date"], ms_finish[..10], "T{id}: finish");
        compared += 1;
    }
    assert_eq!(compared, 16, "the file's sixteen tasks");
}

/// Imports `file` with `args` into `dir`; returns the exit code and stderr.
fn import_csv(dir: &Path, file: &str, args: &[&str]) -> (i32, String) {
    let output = plan()
        .args(["import", file, "--start", "2025-09-15", "--out"])
        .arg(dir.join("out.toml"))
        .args(args)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The imported model and its team schedule: `plan schedule` must accept both.
fn schedule_imported(dir: &Path) -> Value {
    let output = plan()
        .args([
            "schedule",
            "--schedules",
            "200",
            "--threads",
            "2",
            "--format",
            "json",
            "--model",
        ])
        .arg(dir.join("out.toml"))
        .arg("--scenario")
        .arg(dir.join("out-team.toml"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The rows of a tracker export as header → cell maps (a header seen twice keeps every cell,
/// joined by commas), read independently of `plan`.
fn export_rows(file: &str, delimiter: u8) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_path(file)
        .unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let mut row: BTreeMap<String, String> = BTreeMap::new();
            for (h, v) in headers.iter().zip(r.iter()) {
                if v.is_empty() {
                    continue;
                }
                row.entry(h.to_string())
                    .and_modify(|e| *e = format!("{e},{v}"))
                    .or_insert_with(|| v.to_string());
            }
            row
        })
        .collect()
}

fn fixed_duration(task: &plan::model::Task) -> f64 {
    match &task.work {
        plan::model::Work::Fixed { duration, .. } => duration.likely,
        other => panic!("{} is not fixed-duration: {other:?}", task.id),
    }
}

fn after_ids(after: &[plan::model::Dependency]) -> Vec<&str> {
    let mut ids: Vec<&str> = after.iter().map(|d| d.id.as_str()).collect();
    ids.sort();
    ids
}

#[test]
fn a_jira_export_imports_to_a_model_that_validates_and_schedules() {
    let dir = tempfile::tempdir().unwrap();
    let file = "tests/data/csv/jira.csv";
    let (code, stderr) = import_csv(dir.path(), file, &["--preset", "jira"]);
    assert_eq!(code, 0, "{stderr}");
    let model = load_model(&dir.path().join("out.toml")).unwrap();
    let rows = export_rows(file, b',');
    let epics: Vec<&BTreeMap<String, String>> =
        rows.iter().filter(|r| r["Issue Type"] == "Epic").collect();
    assert_eq!(model.phases.len(), epics.len());
    assert_eq!(model.tasks.len(), rows.len() - epics.len());
    let key_of_id: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| (r["Issue id"].as_str(), r["Issue key"].as_str()))
        .collect();
    for row in rows.iter().filter(|r| r["Issue Type"] != "Epic") {
        let task = model
            .tasks
            .iter()
            .find(|t| t.id == row["Issue key"])
            .unwrap();
        assert_eq!(task.name, row["Summary"]);
        let seconds: f64 = row
            .get("Original Estimate")
            .map_or(0.0, |s| s.parse().unwrap());
        assert_eq!(fixed_duration(task), seconds / 28800.0, "{}", task.id);
        assert_eq!(
            task.phase.as_deref(),
            row.get("Parent").map(|p| key_of_id[p.as_str()]),
            "{}",
            task.id
        );
        // Inward "Blocks" links name the issues that block this one; outward ones the
        // issues this one blocks.
        let mut expected: Vec<&str> = row
            .get("Inward issue link (Blocks)")
            .map_or(vec![], |v| v.split(',').collect());
        for other in &rows {
            if let Some(blocked) = other.get("Outward issue link (Blocks)") {
                if blocked.split(',').any(|b| b == row["Issue key"]) {
                    expected.push(&other["Issue key"]);
                }
            }
        }
        expected.sort();
        assert_eq!(after_ids(&task.after), expected, "{}", task.id);
    }
    let done = |id: &str| model.tasks.iter().find(|t| t.id == id).unwrap().done;
    assert_eq!(done("SHOP-3"), 1.0, "status Done");
    assert_eq!(
        done("SHOP-4"),
        0.5,
        "in progress: remaining 115200 of 230400 seconds"
    );
    assert_eq!(done("SHOP-5"), 0.0, "status To Do");
    let due: Vec<&str> = model.milestones.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        due,
        ["SHOP-1.due", "SHOP-7.due"],
        "due dates of an epic and a task"
    );
    for unused in ["Custom field (Story Points)", "Sprint", "Priority"] {
        assert!(stderr.contains(unused), "{unused} is not listed: {stderr}");
    }
    assert!(
        stderr.contains("SHOP-8"),
        "the task without an estimate is named: {stderr}"
    );
    let schedule = schedule_imported(dir.path());
    assert_eq!(
        schedule["tasks"].as_array().unwrap().len(),
        model.tasks.len()
    );
}

#[test]
fn a_github_projects_export_imports_to_a_model_that_validates_and_schedules() {
    let dir = tempfile::tempdir().unwrap();
    let file = "tests/data/csv/github.tsv";
    let (code, stderr) = import_csv(dir.path(), file, &["--preset", "github"]);
    assert_eq!(code, 0, "{stderr}");
    let model = load_model(&dir.path().join("out.toml")).unwrap();
    let rows = export_rows(file, b'\t');
    let parents: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter_map(|r| r.get("Parent issue").map(String::as_str))
        .collect();
    let items: Vec<&BTreeMap<String, String>> = rows
        .iter()
        .filter(|r| !r.get("URL").is_some_and(|u| parents.contains(u.as_str())))
        .collect();
    assert_eq!(model.tasks.len(), items.len(), "parents are phases");
    for row in &items {
        let task = model.tasks.iter().find(|t| t.name == row["Title"]).unwrap();
        let estimate: f64 = row["Estimate"].parse().unwrap();
        assert_eq!(fixed_duration(task), estimate, "{}", task.id);
        let blocked_by = row.get("Blocked by").map_or(0, |_| 1);
        assert_eq!(task.after.len(), blocked_by, "{}", task.id);
        assert_eq!(task.done, if row["Status"] == "Done" { 1.0 } else { 0.0 });
    }
    let api = model.tasks.iter().find(|t| t.id == "shop-3").unwrap();
    assert_eq!(
        after_ids(&api.after),
        ["shop-2"],
        "#2 is in the row's repository"
    );
    let page = model.tasks.iter().find(|t| t.id == "shop-4").unwrap();
    assert_eq!(
        page.phase.as_deref(),
        Some("shop-1"),
        "the parent issue is the phase"
    );
    assert!(stderr.contains("Iteration"), "{stderr}");
    schedule_imported(dir.path());
}

#[test]
fn a_generic_sheet_imports_three_point_estimates_units_and_milestones() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = import_csv(dir.path(), "tests/data/csv/generic.csv", &[]);
    assert_eq!(code, 0, "{stderr}");
    let model = load_model(&dir.path().join("out.toml")).unwrap();
    let task = |id: &str| model.tasks.iter().find(|t| t.id == id).unwrap();
    let plan::model::Work::Fixed { duration, demand } = &task("B1").work else {
        panic!("B1 is fixed-duration");
    };
    assert_eq!(
        (duration.optimistic, duration.likely, duration.pessimistic),
        (10.0, 15.0, 20.0),
        "weeks of 5 working days"
    );
    assert_eq!(demand[0].1, 2);
    assert_eq!(fixed_duration(task("B2")), 7.5, "60 hours of 8-hour days");
    assert_eq!(task("B2").after[0].lag, 2.0);
    assert_eq!(after_ids(&task("T1").after), ["B1", "B2"]);
    assert_eq!(task("D2").done, 0.4);
    assert_eq!(model.milestones[0].id, "BETA");
    assert!(stderr.contains("columns not used: notes"), "{stderr}");
    let team = load_scenario(&dir.path().join("out-team.toml"), &model).unwrap();
    assert_eq!(team.name, "Team of generic");
    schedule_imported(dir.path());
}

#[test]
fn map_reads_a_column_the_preset_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = import_csv(
        dir.path(),
        "tests/data/csv/jira.csv",
        &[
            "--preset",
            "jira",
            "--map",
            "Custom field (Story Points)=estimate",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("Story Points"), "{stderr}");
    let model = load_model(&dir.path().join("out.toml")).unwrap();
    let rows = export_rows("tests/data/csv/jira.csv", b',');
    for task in &model.tasks {
        let row = rows.iter().find(|r| r["Issue key"] == task.id).unwrap();
        let points: f64 = row["Custom field (Story Points)"].parse().unwrap();
        assert_eq!(fixed_duration(task), points, "{}", task.id);
    }
    let (code, stderr) = import_csv(
        dir.path(),
        "tests/data/csv/jira.csv",
        &["--map", "Summary=colour"],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown key `colour`") && stderr.contains("help:"),
        "{stderr}"
    );
}

#[test]
fn a_bad_csv_row_names_its_line_and_column_and_nothing_is_written() {
    let header = "id,name,estimate,depends on\n";
    let cases = [
        (
            "A,One,3,\nB,Two,\"three days\",A\n",
            "case.csv:3:7: `row B, column \"estimate\"`: \"three days\" is not an estimate",
        ),
        (
            "A,One,3,\nB,Two,2,C\n",
            "case.csv:3:9: `row B, column \"depends on\"`: unknown id \"C\"",
        ),
        (
            "A,One,3,\nA,Two,2,\n",
            "case.csv:3:1: `row A`: duplicate id \"A\" (first on line 2)",
        ),
        (
            "A,\"One,\nwith a new line\",3,\nB,Two,x,A\n",
            "case.csv:4:7: `row B, column \"estimate\"`",
        ),
        ("A,One,3,B\nB,Two,2,A\n", "dependency cycle"),
    ];
    for (rows, expected) in cases {
        import_rejects("csv", &format!("{header}{rows}"), &[expected]);
    }
}

/// Found by the `mspdi` fuzz target: a milestone that follows nothing once its links are
/// mapped (a start milestone) made the import write a model that does not validate (exit 1,
/// "internal error"). The start milestone becomes a zero-length task; the one after a
/// finish-to-finish link stays a milestone now that such links are imported.
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
            "milestone \"Kick-off\" comes after nothing: imported as a zero-length task",
        ));
    let model = load_model(&out).unwrap();
    let kick_off = model.tasks.iter().find(|t| t.name == "Kick-off").unwrap();
    assert_eq!(kick_off.remaining_duration(EstimateChoice::Likely), 0.0);
    assert_eq!(model.milestones.len(), 1, "{model:?}");
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

/// Constraints, deadlines, actual dates and the status date leave in MSPDI and come back as
/// the same model keys, and the imported progress gives the same critical-path dates. (A
/// `start_no_earlier` on the day the schedule starts the task comes back as no constraint: it
/// is how the export carries every scheduled start, MS Project holding one constraint a task.)
#[test]
fn constraints_deadlines_and_actuals_survive_an_mspdi_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let team = "tests/data/constraints-team.toml";
    for (model, keys) in [
        (
            "tests/data/constraints.toml",
            &[
                "must_start_on = 2025-09-18",
                "deadline = 2025-09-19",
                "finish_no_later = 2025-10-03",
            ][..],
        ),
        (
            "tests/data/progress.toml",
            &[
                "status_date = 2025-09-24",
                "actual_start = 2025-09-15",
                "actual_finish = 2025-09-22",
                "actual_start = 2025-09-22",
            ][..],
        ),
    ] {
        let xml = dir.path().join("out.xml");
        let back = dir.path().join("back.toml");
        plan()
            .args([
                "export",
                "--model",
                model,
                "--scenario",
                team,
                "--format",
                "mspdi",
                "--out",
            ])
            .arg(&xml)
            .assert()
            .success();
        plan()
            .arg("import")
            .arg(&xml)
            .arg("--out")
            .arg(&back)
            .assert()
            .success();
        let text = std::fs::read_to_string(&back).unwrap();
        for key in keys {
            assert!(text.contains(key), "{model}: {key} missing in\n{text}");
        }
        let dates = |m: &Path| {
            let out = plan()
                .args(["critical-path", "--format", "json", "--model"])
                .arg(m)
                .output()
                .unwrap();
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            (v["finish_date"].clone(), v["status_date"].clone())
        };
        if model.ends_with("progress.toml") {
            assert_eq!(dates(Path::new(model)), dates(&back), "{model}");
        }
    }
}

/// The early dates of every task of a model, by `plan critical-path`.
fn early_dates(model: &Path) -> Vec<(String, String, String)> {
    let out = plan()
        .args(["critical-path", "--format", "json", "--model"])
        .arg(model)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cpm: Value = serde_json::from_slice(&out.stdout).unwrap();
    cpm["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].to_string(),
                t["early_start_date"].to_string(),
                t["early_finish_date"].to_string(),
            )
        })
        .collect()
}

/// The calendars example of docs/model-format.md exported as MSPDI and imported again keeps
/// its named calendars, the role's and the tasks' (QA, on the project calendar with its
/// offshore role, is exported on the project calendar so that MS Project too works it only on
/// days both work) and every date of the critical path.
#[test]
fn named_calendars_survive_an_mspdi_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let xml = export(
        dir.path(),
        "mspdi",
        &[
            "--model",
            "tests/data/calendars.toml",
            "--scenario",
            "tests/data/calendars-team.toml",
        ],
    );
    assert!(xml.contains("<Name>offshore</Name>"), "{xml}");
    let input = dir.path().join("cal.xml");
    std::fs::write(&input, &xml).unwrap();
    let back = dir.path().join("back.toml");
    plan()
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&back)
        .assert()
        .success();
    let original = load_model(Path::new("tests/data/calendars.toml")).unwrap();
    let imported = load_model(&back).unwrap();
    let calendars = |m: &plan::model::Model| -> Vec<(String, plan::calendar::Calendar)> {
        m.calendars
            .iter()
            .map(|c| (c.id.clone(), c.calendar.clone()))
            .collect()
    };
    assert_eq!(calendars(&original), calendars(&imported));
    let role = |m: &plan::model::Model| -> Vec<Option<String>> {
        m.roles
            .iter()
            .map(|r| r.calendar.as_ref().map(|c| c.id.clone()))
            .collect()
    };
    assert_eq!(role(&original), role(&imported));
    let by_name: Vec<(String, Option<String>)> = imported
        .tasks
        .iter()
        .map(|t| (t.name.clone(), t.calendar.as_ref().map(|c| c.id.clone())))
        .collect();
    let want: Vec<(String, Option<String>)> = original
        .tasks
        .iter()
        .map(|t| (t.name.clone(), t.calendar.as_ref().map(|c| c.id.clone())))
        .collect();
    assert_eq!(by_name, want);
    assert_eq!(
        early_dates(Path::new("tests/data/calendars.toml")),
        early_dates(&back)
    );
}
