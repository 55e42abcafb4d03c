//! MSPDI export read back by an independent reader, MPXJ: task count, names, durations,
//! links with lags, dates, resources and assignments must be what `plan` scheduled.
//!
//! MPXJ runs from a Python virtualenv (`mpxj` + `JPype1`; Java 17 runs the jars) that
//! `.ci/run` creates at `target/mpxj-venv`; `PLAN_MPXJ_PYTHON` may point at another interpreter.
//! Without it the tests skip loudly, except under CI (`CI` set), where a missing reader fails.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The Python that can import MPXJ, or `None` (with a loud message) when this machine has none.
fn mpxj_python() -> Option<PathBuf> {
    let python = std::env::var_os("PLAN_MPXJ_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/mpxj-venv/bin/python")
        });
    if python.exists() {
        return Some(python);
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    assert!(
        !ci,
        "CI: the MPXJ reader is missing at {}; .ci/run must create it",
        python.display()
    );
    eprintln!(
        "\n*** SKIPPED: MPXJ interchange test: no {} ***\n*** set it up with: python3 -m venv target/mpxj-venv && target/mpxj-venv/bin/pip install mpxj JPype1 ***\n",
        python.display()
    );
    None
}

fn plan() -> Command {
    Command::cargo_bin("plan").unwrap()
}

/// What MPXJ read from `xml`.
fn read_with_mpxj(python: &Path, xml: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mpxj/dump.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(xml)
        .output()
        .expect("run the MPXJ reader");
    assert!(
        out.status.success(),
        "MPXJ failed on {}:\n{}",
        xml.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the reader prints JSON")
}

/// What MPXJ read from each of `files`, in one run of the reader (one Java start).
fn read_all_with_mpxj(python: &Path, files: &[&Path]) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mpxj/dump.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .args(files)
        .output()
        .expect("run the MPXJ reader");
    assert!(
        out.status.success(),
        "MPXJ failed on {files:?}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Value = serde_json::from_slice(&out.stdout).expect("the reader prints JSON");
    match read {
        Value::Array(all) if files.len() > 1 => all,
        one => vec![one],
    }
}

/// Exports `args` (model and scenario) as MSPDI and JSON with the same search, so both hold
/// the same schedule.
fn export_both(dir: &Path, name: &str, args: &[&str]) -> (PathBuf, Value) {
    let xml = dir.join(format!("{name}.xml"));
    let json = dir.join(format!("{name}.json"));
    for (format, out) in [("mspdi", &xml), ("json", &json)] {
        plan()
            .args(args)
            .args(["--schedules", "500", "--threads", "2", "--format", format])
            .arg("--out")
            .arg(out)
            .assert()
            .success();
    }
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    (xml, exported)
}

fn date(v: &Value) -> &str {
    v.as_str().map_or("", |s| &s[..10.min(s.len())])
}

/// The day an end instant MPXJ read closes: its date, or the date before for an end at or
/// before `last_morning_minute` after midnight (MSPDI has no 24:00: a day worked to midnight
/// ends at the next day's 00:00, a night shift the next morning).
fn end_day(v: &Value, last_morning_minute: Option<u32>) -> String {
    let Some(text) = v.as_str() else {
        return String::new();
    };
    let day: jiff::civil::Date = text[..10].parse().unwrap();
    let minute = text
        .get(11..16)
        .and_then(|t| Some(t[..2].parse::<u32>().ok()? * 60 + t[3..].parse::<u32>().ok()?))
        .unwrap_or(0);
    match last_morning_minute {
        Some(last) if minute <= last => day.yesterday().unwrap().to_string(),
        _ => day.to_string(),
    }
}

/// A duration MPXJ read, in working days of the task's own calendar (its minutes per day).
fn own_days(task: &Value, minutes: &str) -> f64 {
    let per_day = task["calendar_minutes_per_day"].as_f64().unwrap_or(480.0);
    (task[minutes].as_f64().unwrap() / per_day * 1000.0).round() / 1000.0
}

/// Compares what MPXJ read with the schedule `plan` exported as JSON.
fn assert_same_plan(read: &Value, exported: &Value) {
    let tasks = read["tasks"].as_array().unwrap();
    let items = exported["items"].as_array().unwrap();
    let leaves: Vec<&Value> = tasks.iter().filter(|t| t["summary"] == false).collect();
    assert_eq!(leaves.len(), items.len(), "task count");
    let by_id: BTreeMap<&str, &Value> = leaves
        .iter()
        .map(|t| (t["plan_id"].as_str().expect("plan id read back"), *t))
        .collect();
    let id_of_uid: BTreeMap<i64, &str> = tasks
        .iter()
        .map(|t| {
            (
                t["uid"].as_i64().unwrap(),
                t["plan_id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    for item in items {
        let id = item["id"].as_str().unwrap();
        let t = by_id.get(id).unwrap_or_else(|| panic!("MPXJ lost {id}"));
        assert_eq!(t["name"], item["name"], "{id}: name");
        let milestone = item["kind"] == "milestone";
        assert_eq!(t["milestone"], milestone, "{id}: milestone flag");
        // In days of the task's own calendar: an elapsed task's days are 24 hours.
        assert_eq!(
            own_days(t, "duration_minutes"),
            item["duration"].as_f64().unwrap(),
            "{id}: duration"
        );
        assert_eq!(
            end_day(&t["finish"], Some(0)),
            date(&item["finish_date"]),
            "{id}: finish"
        );
        if item["duration"].as_u64() > Some(0) {
            assert_eq!(date(&t["start"]), date(&item["start_date"]), "{id}: start");
        }
        if let Some(due) = item["due"].as_str() {
            assert_eq!(date(&t["deadline"]), due, "{id}: deadline");
        }
        let read_links: BTreeSet<(String, String, String)> = t["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let pred = id_of_uid[&l["pred"].as_i64().unwrap()].to_string();
                let kind = l["type"].as_str().unwrap().to_string();
                (
                    pred,
                    kind,
                    format!("{:.3}", own_days(&lag_of(t, l), "lag_minutes")),
                )
            })
            .collect();
        let links: BTreeSet<(String, String, String)> = item["after"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let lag = l["lag"].as_f64().unwrap();
                let kind = l["type"].as_str().unwrap().to_string();
                (
                    l["id"].as_str().unwrap().to_string(),
                    kind,
                    format!("{lag:.3}"),
                )
            })
            .collect();
        assert_eq!(read_links, links, "{id}: links");
    }
    assert_same_team(read, exported, &id_of_uid);
}

/// A link MPXJ read with its successor's calendar's minutes per day (the model counts a lag
/// in the successor's working days).
fn lag_of(task: &Value, link: &Value) -> Value {
    let mut l = link.clone();
    l["calendar_minutes_per_day"] = task["calendar_minutes_per_day"].clone();
    l
}

/// Resources are the roles with the team's size; assignments are the scheduled crews.
fn assert_same_team(read: &Value, exported: &Value, id_of_uid: &BTreeMap<i64, &str>) {
    let roles = exported["roles"].as_array().unwrap();
    let resources = read["resources"].as_array().unwrap();
    assert_eq!(resources.len(), roles.len(), "resource count");
    let mut role_of_uid = BTreeMap::new();
    for (role, res) in roles.iter().zip(resources) {
        assert_eq!(res["name"], role["name"]);
        assert_eq!(res["initials"], role["id"]);
        // MPXJ gives max units in percent.
        assert_eq!(
            res["max_units"].as_f64().unwrap(),
            100.0 * role["max_people"].as_f64().unwrap()
        );
        role_of_uid.insert(res["uid"].as_i64().unwrap(), role["id"].as_str().unwrap());
    }
    let mut crews: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for a in read["assignments"].as_array().unwrap() {
        let task = id_of_uid[&a["task"].as_i64().unwrap()].to_string();
        let role = role_of_uid[&a["resource"].as_i64().unwrap()].to_string();
        let people = (a["units"].as_f64().unwrap() / 100.0).round() as u64;
        crews.entry(task).or_default().insert(role, people);
    }
    for item in exported["items"].as_array().unwrap() {
        let crew: BTreeMap<String, u64> = item["crew"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(r, n)| (r.clone(), n.as_u64().unwrap()))
            .collect();
        let read = crews
            .remove(item["id"].as_str().unwrap())
            .unwrap_or_default();
        assert_eq!(read, crew, "{}: assignments", item["id"]);
    }
}

#[test]
fn mpxj_reads_the_fanz_export_as_scheduled() {
    let Some(python) = mpxj_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (xml, exported) = export_both(dir.path(), "fanz", &["export"]);
    let read = read_with_mpxj(&python, &xml);
    assert_same_plan(&read, &exported);
    let summaries = read["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["summary"] == true)
        .count();
    assert_eq!(summaries, 10, "one summary task per phase");
}

#[test]
fn mpxj_reads_an_imported_psplib_instance_as_scheduled() {
    let Some(python) = mpxj_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("j301_1.toml");
    let team = dir.path().join("j301_1-team.toml");
    plan()
        .args(["import", "tests/data/j301_1.sm", "--out"])
        .arg(&model)
        .assert()
        .success();
    let (m, t) = (model.to_str().unwrap(), team.to_str().unwrap());
    let (xml, exported) = export_both(
        dir.path(),
        "j301_1",
        &["export", "--model", m, "--scenario", t],
    );
    let read = read_with_mpxj(&python, &xml);
    assert_eq!(
        read["tasks"].as_array().unwrap().len(),
        31,
        "30 jobs and END"
    );
    assert_same_plan(&read, &exported);
    // j301_1's optimum is 43 days; 500 schedules find it.
    assert_eq!(exported["finish"], 43);
}

/// SS, FF and SF links and a lead (negative, fractional lag) survive export -> MPXJ read with
/// the same types and lags, and the dates MPXJ reads are the ones `plan` scheduled.
#[test]
fn mpxj_reads_every_link_type_and_a_lead_as_exported() {
    let Some(python) = mpxj_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let (model, team) = (data.join("links.toml"), data.join("links-team.toml"));
    let (m, t) = (model.to_str().unwrap(), team.to_str().unwrap());
    let (xml, exported) = export_both(
        dir.path(),
        "links",
        &["export", "--model", m, "--scenario", t],
    );
    let read = read_with_mpxj(&python, &xml);
    assert_same_plan(&read, &exported);
    let types: BTreeSet<&str> = read["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["links"].as_array().unwrap())
        .map(|l| l["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, BTreeSet::from(["FF", "FS", "SF", "SS"]));
    let lead = read["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["plan_id"] == "D")
        .map(|t| t["links"][0]["lag_days"].as_f64().unwrap());
    assert_eq!(lead, Some(-1.5));
}

/// Part-timers and absences reach MS Project as the resource's availability: one full-time
/// and one half-time developer, the full-timer away in the first week, read back by MPXJ as
/// max units 150 % and 50 % for that week, 150 % after it; the schedule is the same.
#[test]
fn mpxj_reads_part_timers_and_absences_as_availability() {
    let Some(python) = mpxj_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (xml, exported) = export_both(
        dir.path(),
        "part-time",
        &[
            "export",
            "--model",
            "tests/data/part-time.toml",
            "--scenario",
            "tests/data/part-time-away.toml",
        ],
    );
    let read = read_with_mpxj(&python, &xml);
    let dev = &read["resources"][0];
    assert_eq!(dev["max_units"], 150.0);
    let periods: Vec<(&str, &str, f64)> = dev["availability"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let day = |k: &str| &p[k].as_str().unwrap()[..10];
            (day("from"), day("to"), p["units"].as_f64().unwrap())
        })
        .collect();
    assert_eq!(
        periods,
        [
            ("2025-09-15", "2025-09-19", 50.0),
            ("2025-09-22", "2049-12-31", 150.0)
        ]
    );
    let build = read["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "BUILD")
        .unwrap();
    assert_eq!(date(&build["start"]), "2025-09-22");
    let item = exported["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "BUILD")
        .unwrap();
    assert_eq!(
        date(&build["finish"]),
        item["finish_date"].as_str().unwrap()
    );
}

/// An extra working day (a Saturday) is exported as a working exception of the calendar:
/// MPXJ reads it as one, and its own calendar arithmetic from the task's start and duration
/// gives the finish `plan` scheduled (Monday 22 September, not Tuesday 23).
#[test]
fn mpxj_counts_an_extra_working_day_as_plan_does() {
    let Some(python) = mpxj_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let team = dir.path().join("team.toml");
    std::fs::write(&team, "[team]\ndev = 1\n").unwrap();
    let (xml, exported) = export_both(
        dir.path(),
        "extra",
        &[
            "export",
            "--model",
            "tests/data/extra-workday.toml",
            "--scenario",
            team.to_str().unwrap(),
        ],
    );
    let read = read_with_mpxj(&python, &xml);
    let working: Vec<(&str, bool)> = read["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (date(&e["from"]), e["working"].as_bool().unwrap()))
        .collect();
    assert_eq!(working, [("2025-09-17", false), ("2025-09-20", true)]);
    let task = &read["tasks"][0];
    assert_eq!(exported["items"][0]["finish_date"], "2025-09-22");
    assert_eq!(date(&task["finish"]), "2025-09-22");
    assert_eq!(date(&task["finish_by_calendar"]), "2025-09-22");
}

fn task_by_id<'a>(read: &'a Value, id: &str) -> &'a Value {
    read["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["plan_id"] == id)
        .unwrap_or_else(|| panic!("MPXJ read no task {id}"))
}

#[test]
fn mpxj_reads_constraints_deadlines_actuals_and_the_status_date_as_exported() {
    let Some(python) = mpxj_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let team = data.join("constraints-team.toml");
    let t = team.to_str().unwrap();
    let model = data.join("constraints.toml");
    let m = model.to_str().unwrap();
    let (xml, exported) = export_both(
        dir.path(),
        "constraints",
        &["export", "--model", m, "--scenario", t],
    );
    let read = read_with_mpxj(&python, &xml);
    assert_same_plan(&read, &exported);
    let b = task_by_id(&read, "B");
    assert_eq!(b["constraint_type"], "MUST_START_ON");
    assert_eq!(date(&b["constraint_date"]), "2025-09-18");
    assert_eq!(date(&task_by_id(&read, "C")["deadline"]), "2025-09-19");
    let m_row = task_by_id(&read, "M");
    assert_eq!(m_row["constraint_type"], "FINISH_NO_LATER_THAN");
    assert_eq!(date(&m_row["constraint_date"]), "2025-10-03");

    let model = data.join("progress.toml");
    let m = model.to_str().unwrap();
    let (xml, exported) = export_both(
        dir.path(),
        "progress",
        &["export", "--model", m, "--scenario", t],
    );
    let read = read_with_mpxj(&python, &xml);
    assert_eq!(date(&read["status_date"]), "2025-09-24");
    let a = task_by_id(&read, "A");
    assert_eq!(date(&a["actual_start"]), "2025-09-15");
    assert_eq!(date(&a["actual_finish"]), "2025-09-22");
    assert_eq!(a["percent_complete"], 100.0);
    let b = task_by_id(&read, "B");
    assert_eq!(date(&b["actual_start"]), "2025-09-22");
    assert_eq!(
        date(&b["start"]),
        "2025-09-24",
        "what is left starts at the status date"
    );
    assert_eq!(b["remaining_days"], 4.0);
    let exported_b = exported["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "B")
        .unwrap();
    assert_eq!(date(&b["finish"]), date(&exported_b["finish_date"]));
}

/// MPXJ's name of a model constraint.
fn mpxj_constraint(kind: plan::model::ConstraintKind) -> &'static str {
    use plan::model::ConstraintKind::*;
    match kind {
        StartNoEarlier => "START_NO_EARLIER_THAN",
        StartNoLater => "START_NO_LATER_THAN",
        FinishNoEarlier => "FINISH_NO_EARLIER_THAN",
        FinishNoLater => "FINISH_NO_LATER_THAN",
        MustStartOn => "MUST_START_ON",
        MustFinishOn => "MUST_FINISH_ON",
    }
}

/// The links of `task` as MPXJ read them: predecessor (by `key` of its UID), type, and the lag
/// in days when it counts working time (`None` for elapsed and percentage lags, which the
/// import approximates with a note).
fn mpxj_links(
    task: &Value,
    key: &BTreeMap<i64, String>,
) -> BTreeSet<(String, String, Option<String>)> {
    task["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| {
            let pred = key.get(&l["pred"].as_i64().unwrap())?.clone();
            let units = l["lag_units"].as_str().unwrap_or("d");
            let working = !units.starts_with('e') && !units.contains('%');
            let lag = working.then(|| format!("{:.3}", l["lag_days"].as_f64().unwrap()));
            Some((pred, l["type"].as_str().unwrap().to_string(), lag))
        })
        .collect()
}

/// Each file MS Project wrote (tests/data/mspdi), imported, exported again and read by MPXJ:
/// the schedule MPXJ reads is the one `plan` exported (dates, durations, links with lags,
/// team), every non-summary task of the original is there with its name and its links of
/// the same type and lag (working-time lags; elapsed and percentage ones are approximated on
/// import, with a note), and the constraints and actual dates are the imported model's.
#[test]
fn ms_project_samples_survive_import_export_and_mpxj() {
    let Some(python) = mpxj_python() else { return };
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mspdi");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&samples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 6);
    let dir = tempfile::tempdir().unwrap();
    let mut exports = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let model = dir.path().join(format!("sample{k}.toml"));
        let team = dir.path().join(format!("sample{k}-team.toml"));
        plan()
            .arg("import")
            .arg(file)
            .arg("--out")
            .arg(&model)
            .assert()
            .success();
        let (m, t) = (model.to_str().unwrap(), team.to_str().unwrap());
        let (xml, exported) = export_both(
            dir.path(),
            &format!("back{k}"),
            &["export", "--model", m, "--scenario", t],
        );
        exports.push((model, xml, exported));
    }
    let mut all: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    all.extend(exports.iter().map(|(_, xml, _)| xml.as_path()));
    let read = read_all_with_mpxj(&python, &all);
    let (originals, backs) = read.split_at(files.len());
    let (mut links_compared, mut lags_compared) = (0, 0);
    for (((file, original), back), (model, _, exported)) in
        files.iter().zip(originals).zip(backs).zip(&exports)
    {
        let name = file.file_name().unwrap().to_string_lossy();
        assert_same_plan(back, exported);
        let leaves: Vec<&Value> = original["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["summary"] == false)
            .collect();
        let original_key: BTreeMap<i64, String> = leaves
            .iter()
            .map(|t| (t["uid"].as_i64().unwrap(), format!("T{}", t["id"])))
            .collect();
        let back_key: BTreeMap<i64, String> = back["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| Some((t["uid"].as_i64()?, t["plan_id"].as_str()?.to_string())))
            .collect();
        for t in &leaves {
            let id = format!("T{}", t["id"]);
            let row = task_by_id(back, &id);
            assert_eq!(row["name"], t["name"], "{name} {id}: name");
            let links = |l: &BTreeSet<(String, String, Option<String>)>| {
                l.iter()
                    .map(|(p, k, lag)| (p.clone(), k.clone(), lag.clone()))
                    .collect::<Vec<_>>()
            };
            let theirs = mpxj_links(t, &original_key);
            let ours = mpxj_links(row, &back_key);
            let ours_matching: BTreeSet<_> = ours
                .into_iter()
                .map(|(p, k, lag)| {
                    // Compare a lag only where the original's counts working time.
                    let keep = theirs
                        .iter()
                        .any(|(tp, tk, tl)| *tp == p && *tk == k && tl.is_some());
                    (p, k, if keep { lag } else { None })
                })
                .collect();
            assert_eq!(links(&ours_matching), links(&theirs), "{name} {id}: links");
            links_compared += theirs.len();
            lags_compared += theirs.iter().filter(|(_, _, lag)| lag.is_some()).count();
        }
        let model = plan::model::load_model(model).unwrap();
        for task in &model.tasks {
            let row = task_by_id(back, &task.id);
            let date_of = |v: &Value| v.as_str().map(|s| s[..10].to_string());
            if let Some(c) = &task.constraint {
                assert_eq!(
                    row["constraint_type"],
                    mpxj_constraint(c.kind),
                    "{name} {}",
                    task.id
                );
                assert_eq!(
                    date_of(&row["constraint_date"]),
                    Some(c.date.to_string()),
                    "{name} {}: constraint date",
                    task.id
                );
            }
            for (field, actual) in [
                ("actual_start", &task.actual_start),
                ("actual_finish", &task.actual_finish),
            ] {
                assert_eq!(
                    date_of(&row[field]),
                    actual.as_ref().map(|a| a.date.to_string()),
                    "{name} {}: {field}",
                    task.id
                );
            }
        }
    }
    // The files' links: 8 in task-links, 4 in mspdirelations, 1 in mspdiresource, all with
    // lags in working time.
    assert_eq!((links_compared, lags_compared), (13, 13));
}

/// The model's weekday flags as MPXJ names the days.
fn mpxj_weekdays(workdays: &[bool; 7]) -> Vec<String> {
    const DAYS: [&str; 7] = [
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
        "SATURDAY",
        "SUNDAY",
    ];
    (0..7)
        .filter(|&d| workdays[d])
        .map(|d| DAYS[d].to_string())
        .collect()
}

/// The hand-written calendar file (tests/data/mspdi-calendars) imported, exported as MSPDI and
/// read by MPXJ: each named calendar is a calendar with the model's weekdays and holidays, the
/// tasks name theirs, the offshore role's resource calendar is based on its calendar, and
/// MPXJ's own calendar arithmetic on each task's calendar finishes it on the day `plan`
/// scheduled. Imported again, the export gives the same calendars, roles' and tasks' calendars
/// and dates.
#[test]
fn mpxj_reads_named_calendars_as_exported_and_a_round_trip_keeps_them() {
    let Some(python) = mpxj_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("cal.toml");
    let source =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mspdi-calendars/calendars.xml");
    plan()
        .arg("import")
        .arg(&source)
        .arg("--out")
        .arg(&model)
        .assert()
        .success();
    let team = dir.path().join("cal-team.toml");
    let xml = dir.path().join("cal.xml");
    let search = ["--schedules", "500", "--threads", "2"];
    plan()
        .args(["export", "--model", model.to_str().unwrap()])
        .args(["--scenario", team.to_str().unwrap(), "--format", "mspdi"])
        .args(search)
        .arg("--out")
        .arg(&xml)
        .assert()
        .success();
    // The dates to compare: the schedule of the same search, with each task's own days.
    let out = plan()
        .args(["schedule", "--model", model.to_str().unwrap()])
        .args(["--scenario", team.to_str().unwrap(), "--format", "json"])
        .args(search)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scheduled: Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = plan::model::load_model(&model).unwrap();
    let read = read_with_mpxj(&python, &xml);
    let calendars = read["calendars"].as_array().unwrap();
    for named in &first.calendars {
        let theirs = calendars
            .iter()
            .find(|c| c["name"] == named.id.as_str())
            .unwrap_or_else(|| panic!("MPXJ has no calendar {}", named.id));
        assert_eq!(
            theirs["workdays"],
            serde_json::json!(mpxj_weekdays(&named.calendar.workdays)),
            "{}",
            named.id
        );
        let holidays: Vec<String> = named
            .calendar
            .holidays
            .iter()
            .map(|d| d.to_string())
            .collect();
        let off: Vec<&str> = theirs["exceptions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["working"] == false)
            .map(|e| date(&e["from"]))
            .collect();
        assert_eq!(off, holidays, "{}", named.id);
    }
    for t in &first.tasks {
        let theirs = task_by_id(&read, &t.id);
        let own = t.calendar.as_ref().map(|c| c.id.as_str());
        assert_eq!(theirs["calendar"].as_str(), own, "{}: calendar", t.id);
        let item = scheduled["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == t.id.as_str())
            .unwrap_or_else(|| panic!("{}: not scheduled\n{scheduled}", t.id));
        assert_eq!(
            date(&theirs["start"]),
            date(&item["start_date"]),
            "{}",
            t.id
        );
        assert_eq!(
            end_day(&theirs["finish"], Some(0)),
            date(&item["finish_date"]),
            "{}",
            t.id
        );
        // The duration counts the task's own working days, not the days of the grid.
        let plan::model::Work::Fixed { duration, .. } = &t.work else {
            panic!("{}: fixed duration", t.id)
        };
        assert_eq!(
            Some(own_days(theirs, "duration_minutes")),
            Some(duration.likely),
            "{}",
            t.id
        );
        assert_eq!(
            end_day(&theirs["finish_by_own_calendar"], Some(0)),
            date(&item["finish_date"]),
            "{}: MPXJ's finish on its calendar",
            t.id
        );
    }
    let qa = read["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["initials"] == "qa")
        .unwrap();
    assert_eq!(qa["calendar"]["base"], "Offshore");
    // Imported again: the same calendars, named by the same roles and tasks.
    let again = dir.path().join("again.toml");
    plan()
        .arg("import")
        .arg(&xml)
        .arg("--out")
        .arg(&again)
        .assert()
        .success();
    let second = plan::model::load_model(&again).unwrap();
    assert_eq!(second.calendars.len(), first.calendars.len());
    for (a, b) in first.calendars.iter().zip(&second.calendars) {
        assert_eq!((&a.id, &a.calendar), (&b.id, &b.calendar));
    }
    let calendar_of = |m: &plan::model::Model| -> Vec<Option<String>> {
        m.tasks
            .iter()
            .map(|t| t.calendar.as_ref().map(|c| c.id.clone()))
            .chain(
                m.roles
                    .iter()
                    .map(|r| r.calendar.as_ref().map(|c| c.id.clone())),
            )
            .collect()
    };
    assert_eq!(calendar_of(&first), calendar_of(&second));
    let dates = |m: &Path| -> Vec<(String, String)> {
        let out = plan()
            .args(["critical-path", "--format", "json", "--model"])
            .arg(m)
            .output()
            .unwrap();
        let cpm: Value = serde_json::from_slice(&out.stdout).unwrap();
        cpm["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["early_start_date"].to_string(),
                    t["early_finish_date"].to_string(),
                )
            })
            .collect()
    };
    assert_eq!(dates(&model), dates(&again));
}

/// Working hours (tests/data/mspdi-calendars/hours.toml: four ten-hour days on the project
/// calendar, a night shift from 22:00 to 06:30 with a holiday for the ops crew) exported as
/// MSPDI and read by MPXJ: each calendar has the model's hours (the night split at midnight,
/// the holiday keeping the morning of the night before), MPXJ's own calendar arithmetic
/// from each task's start and duration ends it where the export says, on the day `plan`
/// scheduled, and the durations and the lag count in each task's hours. Imported again, the
/// same hours, holidays and dates.
#[test]
fn mpxj_reads_working_hours_as_exported_and_a_round_trip_keeps_them() {
    let Some(python) = mpxj_python() else { return };
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mspdi-calendars");
    let (model, team) = (data.join("hours.toml"), data.join("hours-team.toml"));
    let dir = tempfile::tempdir().unwrap();
    let (m, t) = (model.to_str().unwrap(), team.to_str().unwrap());
    let (xml, exported) = export_both(
        dir.path(),
        "hours",
        &["export", "--model", m, "--scenario", t],
    );
    let read = read_with_mpxj(&python, &xml);
    let calendar = |name: &str| {
        read["calendars"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("MPXJ has no calendar {name}"))
            .clone()
    };
    let standard = calendar("Standard");
    for day in ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY"] {
        assert_eq!(
            standard["hours"][day],
            serde_json::json!(["07:00-12:00", "12:30-17:30"]),
            "{day}"
        );
    }
    assert_eq!(standard["hours"]["FRIDAY"], serde_json::json!([]));
    let nights = calendar("nights");
    assert_eq!(
        nights["hours"]["MONDAY"],
        serde_json::json!(["22:00-00:00"])
    );
    assert_eq!(
        nights["hours"]["TUESDAY"],
        serde_json::json!(["00:00-02:00", "02:30-06:30", "22:00-00:00"])
    );
    assert_eq!(
        nights["hours"]["SATURDAY"],
        serde_json::json!(["00:00-02:00", "02:30-06:30"])
    );
    let holiday = nights["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| date(&e["from"]) == "2025-09-24")
        .expect("the night shift's holiday");
    assert_eq!(
        holiday["hours"],
        serde_json::json!(["00:00-02:00", "02:30-06:30"]),
        "the morning of the night before the holiday"
    );
    let first = plan::model::load_model(&model).unwrap();
    // A night ends the next morning, at 06:30 at the latest.
    let last_morning = |task: &plan::model::Task| match &task.calendar {
        Some(_) => Some(6 * 60 + 30),
        None => Some(0),
    };
    for task in &first.tasks {
        let theirs = task_by_id(&read, &task.id);
        let item = exported["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == task.id.as_str())
            .unwrap();
        let minutes = first.hours_named(task.calendar.as_ref()).minutes();
        assert_eq!(
            theirs["calendar_minutes_per_day"].as_f64(),
            Some(f64::from(minutes)),
            "{}: MPXJ's day on its calendar",
            task.id
        );
        assert_eq!(
            Some(own_days(theirs, "duration_minutes")),
            item["duration"].as_f64(),
            "{}: duration in its days",
            task.id
        );
        assert_eq!(
            theirs["finish_by_own_calendar"], theirs["finish"],
            "{}: MPXJ's arithmetic on its hours ends it where the export does",
            task.id
        );
        assert_eq!(
            end_day(&theirs["finish"], last_morning(task)),
            date(&item["finish_date"]),
            "{}: finish",
            task.id
        );
        assert_eq!(
            date(&theirs["start"]),
            date(&item["start_date"]),
            "{}",
            task.id
        );
    }
    let run = task_by_id(&read, "RUN");
    assert_eq!(
        own_days(&lag_of(run, &run["links"][0]), "lag_minutes"),
        1.0,
        "a lag of one night"
    );
    // Imported again: the same hours, days and dates.
    let back = dir.path().join("back.toml");
    plan()
        .arg("import")
        .arg(&xml)
        .arg("--out")
        .arg(&back)
        .assert()
        .success();
    let second = plan::model::load_model(&back).unwrap();
    assert_eq!(second.hours, first.hours);
    assert_eq!(second.calendar, first.calendar);
    assert_eq!(second.calendars.len(), first.calendars.len());
    for (a, b) in first.calendars.iter().zip(&second.calendars) {
        assert_eq!(
            (&a.id, &a.calendar, &a.hours),
            (&b.id, &b.calendar, &b.hours)
        );
    }
    let dates = |path: &Path| -> Vec<(String, String, String)> {
        let out = plan()
            .args(["critical-path", "--format", "json", "--model"])
            .arg(path)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["id"].as_str().unwrap().to_string(),
                    t["early_start_date"].as_str().unwrap().to_string(),
                    t["early_finish_date"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(dates(&back), dates(&model));
}

/// A percentage lag (`lag_percent = 50` on a start-to-start link) is exported as MS Project's
/// percentage lag: MPXJ reads 50 % on the link, and the successor starts where `plan` put it,
/// half of the predecessor's 4 days after it starts.
#[test]
fn mpxj_reads_a_percentage_lag_as_exported() {
    let Some(python) = mpxj_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("percent.toml");
    let team = dir.path().join("percent-team.toml");
    std::fs::write(
        &model,
        "[project]\nstart = 2025-09-15\n\n[[task]]\nid = \"A\"\nduration = 4\n\n[[task]]\nid = \"B\"\nafter = [{ id = \"A\", type = \"SS\", lag_percent = 50 }]\nduration = 3\n",
    )
    .unwrap();
    std::fs::write(&team, "[team]\n").unwrap();
    let (m, t) = (model.to_str().unwrap(), team.to_str().unwrap());
    let (xml, exported) = export_both(
        dir.path(),
        "percent",
        &["export", "--model", m, "--scenario", t],
    );
    let read = read_with_mpxj(&python, &xml);
    let b = task_by_id(&read, "B");
    assert_eq!(b["links"][0]["type"], "SS");
    assert_eq!(b["links"][0]["lag_units"], "%");
    assert_eq!(b["links"][0]["lag_minutes"].as_f64(), Some(50.0));
    let item = exported["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "B")
        .unwrap();
    assert_eq!(date(&b["start"]), date(&item["start_date"]));
    assert_eq!(date(&item["start_date"]), "2025-09-17");
}
