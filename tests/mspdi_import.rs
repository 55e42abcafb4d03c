//! MSPDI import of what MS Project files hold beyond plain tasks: every file MS Project wrote
//! (tests/data/mspdi) imports, and manual tasks, elapsed durations in every unit, calendars
//! whose day is not 480 minutes and summary tasks each become the closest model, with a note.

use assert_cmd::Command;
use plan::model::load_model;
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/mspdi")
        .join(name)
}

/// Imports `file` into `dir`; returns the exit code, stderr and the model's path.
fn import(dir: &Path, file: &Path) -> (i32, String, PathBuf) {
    let model = dir.join("model.toml");
    let out = Command::cargo_bin("plan")
        .unwrap()
        .arg("import")
        .arg(file)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.stdout.is_empty());
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        model,
    )
}

/// Imports MSPDI text written to `in.xml`.
fn import_text(dir: &Path, xml: &str) -> (i32, String, PathBuf) {
    let input = dir.join("in.xml");
    std::fs::write(&input, xml).unwrap();
    import(dir, &input)
}

/// The task table of `id` in a model file's text.
fn table<'t>(text: &'t str, id: &str) -> &'t str {
    let want = format!("id = \"{id}\"\n");
    text.split("[[")
        .find(|t| t.contains(&want))
        .unwrap_or_else(|| panic!("no {id} in\n{text}"))
}

#[test]
fn every_file_ms_project_wrote_imports_and_validates() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 6, "{files:?}");
    for file in files {
        let dir = tempfile::tempdir().unwrap();
        let (code, stderr, model) = import(dir.path(), &file);
        assert_eq!(code, 0, "{}: {stderr}", file.display());
        assert!(!stderr.contains("internal error"), "{stderr}");
        load_model(&model).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
}

/// `mspdiduration.xml` has one task per duration unit; the elapsed ones (minutes, hours, days,
/// weeks, months of the clock) run on a calendar that works every day, their durations in
/// days of the clock (an elapsed month is 30 of them), each with a note naming the unit.
#[test]
fn elapsed_durations_in_every_unit_run_on_an_every_day_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model) = import(dir.path(), &data("mspdiduration.xml"));
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&model).unwrap();
    // Task 1-5: 1 minute, hour, day, week and month of work; 6-10: the same, elapsed.
    let expected = [
        ("T3", "1", None),
        ("T4", "5", None),
        ("T5", "20", None),
        ("T6", "0.001", Some("elapsed minutes")),
        ("T7", "0.042", Some("elapsed hours")),
        ("T8", "1", Some("elapsed days")),
        ("T9", "7", Some("elapsed weeks")),
        ("T10", "30", Some("elapsed months")),
    ];
    for (id, days, unit) in expected {
        let task = table(&text, id);
        assert!(
            task.contains(&format!("duration = {days}\n")),
            "{id}: {days} days\n{task}"
        );
        assert_eq!(
            task.contains("calendar = \"elapsed\"\n"),
            unit.is_some(),
            "{task}"
        );
        if let Some(unit) = unit {
            let n = id.trim_start_matches('T');
            assert!(
                stderr.contains(&format!("task \"Task {n}\": a duration in {unit}")),
                "{unit}: {stderr}"
            );
        }
    }
    let model = load_model(&model).unwrap();
    let elapsed = model.calendars.iter().find(|c| c.id == "elapsed").unwrap();
    assert!(elapsed.calendar.workdays.iter().all(|w| *w), "every day");
    for fraction in ["Task 6", "Task 7"] {
        assert!(
            stderr.contains(&format!("task \"{fraction}\": a duration in"))
                && stderr.contains("rounds it up to whole days"),
            "a fraction of a day is noted: {stderr}"
        );
    }
    assert!(
        !stderr.contains("\"Task 4\""),
        "working weeks need no note: {stderr}"
    );
}

/// A fractional elapsed duration after a task that ends in the evening (issue 12). MS Project
/// starts "Cure" (36 elapsed hours) when "Pour" ends, Monday 17:00, so it ends on Wednesday at
/// 05:00 and "Strip" works Wednesday 08:00 to 17:00. The model counts whole days from the
/// beginning of a day: Cure runs from Tuesday 00:00 to Wednesday noon (its days: Tuesday to
/// Wednesday, Wednesday as MS Project's) and Strip, half a working day into Wednesday, ends on
/// Thursday, a day after MS Project's. The import keeps the 1.5 clock days (a duration the
/// model can re-evaluate when Pour's changes) and says so in its note.
#[test]
fn a_fractional_elapsed_duration_starts_at_the_next_day_with_a_note() {
    let task = |uid: u32, name: &str, duration: &str, format: u32, after: Option<u32>| {
        let link = after.map_or(String::new(), |p| {
            format!("<PredecessorLink><PredecessorUID>{p}</PredecessorUID><Type>1</Type></PredecessorLink>")
        });
        format!("<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><OutlineLevel>1</OutlineLevel><Duration>{duration}</Duration><DurationFormat>{format}</DurationFormat>{link}</Task>")
    };
    let tasks = [
        task(1, "Pour", "PT8H0M0S", 7, None),
        task(2, "Cure", "PT36H0M0S", 6, Some(1)),
        task(3, "Strip", "PT8H0M0S", 7, Some(2)),
    ]
    .concat();
    let shifts = [("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")];
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model) = import_text(dir.path(), &with_calendar(480, &shifts, &tasks));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("task \"Cure\": a duration in elapsed hours (PT36H0M0S)")
            && stderr.contains("imported as 1.5 elapsed days")
            && stderr.contains("a task after it may start a day later than in MS Project"),
        "{stderr}"
    );
    let out = Command::cargo_bin("plan")
        .unwrap()
        .args(["critical-path", "--format", "json", "--model"])
        .arg(&model)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let dates: Vec<(&str, &str, &str)> = v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap(),
                t["early_start_date"].as_str().unwrap(),
                t["early_finish_date"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        dates,
        [
            ("T1", "2025-09-15", "2025-09-15"),
            ("T2", "2025-09-16", "2025-09-17"),
            ("T3", "2025-09-17", "2025-09-18"),
        ]
    );
}

/// A task in elapsed days and a link into it.
fn elapsed_pair(duration_format: u32, lag: &str, lag_format: u32) -> String {
    format!("<Task><UID>1</UID><ID>1</ID><Name>Pour</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration></Task>
<Task><UID>2</UID><ID>2</ID><Name>Cure</Name><OutlineLevel>1</OutlineLevel><Duration>PT48H0M0S</Duration><DurationFormat>{duration_format}</DurationFormat><PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>{lag}</LinkLag><LagFormat>{lag_format}</LagFormat></PredecessorLink></Task>
<Task><UID>3</UID><ID>3</ID><Name>Strip</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration><PredecessorLink><PredecessorUID>2</PredecessorUID><Type>1</Type><LinkLag>{lag}</LinkLag><LagFormat>{lag_format}</LagFormat></PredecessorLink></Task>")
}

/// Elapsed lags in every unit (LinkLag in tenths of clock minutes; the estimated formats
/// 36-44 too): into a task on elapsed time ("Cure", 2 elapsed days, in both the plain and
/// the estimated format) the lag is that many days of the clock; into a task on the 5-day
/// project calendar ("Strip") it is 5 working days in every 7, with a note.
#[test]
fn elapsed_lags_in_every_unit_are_days_of_the_clock() {
    let week = [("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")];
    // (LagFormat, its estimated form, LinkLag, elapsed days)
    let units = [
        (4, 36, "14400", 1.0),    // 1,440 elapsed minutes
        (6, 38, "7200", 0.5),     // 12 elapsed hours
        (8, 40, "28800", 2.0),    // 2 elapsed days
        (10, 42, "100800", 7.0),  // 1 elapsed week
        (12, 44, "432000", 30.0), // 1 elapsed month of 30 days
    ];
    for (format, estimated, lag, days) in units {
        for (lag_format, duration_format) in [(format, 8), (estimated, 40)] {
            let dir = tempfile::tempdir().unwrap();
            let xml = with_calendar(480, &week, &elapsed_pair(duration_format, lag, lag_format));
            let (code, stderr, model) = import_text(dir.path(), &xml);
            assert_eq!(code, 0, "{stderr}");
            let model = load_model(&model).unwrap();
            let task = |id: &str| model.tasks.iter().find(|t| t.id == id).unwrap();
            let lag_of = |id: &str| task(id).after[0].lag;
            assert_eq!(task("T2").calendar.as_ref().unwrap().id, "elapsed");
            assert!(
                (lag_of("T2") - days).abs() < 1e-3,
                "{lag_format}: {}",
                lag_of("T2")
            );
            let working = (days * 5.0 / 7.0 * 1000.0).round() / 1000.0;
            assert!(
                (lag_of("T3") - working).abs() < 1e-3,
                "{lag_format}: {} working days, not {}",
                lag_of("T3"),
                working
            );
            assert!(
                stderr.contains("link Cure → Strip: an elapsed lag is approximated as"),
                "{stderr}"
            );
            assert!(!stderr.contains("link Pour → Cure"), "exact: {stderr}");
        }
    }
}

/// A lag of 50% of the predecessor's duration (LagFormat 19; LinkLag holds the percentage)
/// is half of its 4 working days: 2, with a note; "Finish" is held 2 days after "Dig".
#[test]
fn percent_lags_are_that_share_of_the_predecessors_duration() {
    let tasks = "<Task><UID>1</UID><ID>1</ID><Name>Dig</Name><OutlineLevel>1</OutlineLevel><Duration>PT32H0M0S</Duration></Task>
<Task><UID>2</UID><ID>2</ID><Name>Line</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration><PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>50</LinkLag><LagFormat>19</LagFormat></PredecessorLink></Task>
<Task><UID>3</UID><ID>3</ID><Name>Fill</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration><PredecessorLink><PredecessorUID>1</PredecessorUID><Type>3</Type><LinkLag>25</LinkLag><LagFormat>51</LagFormat></PredecessorLink></Task>";
    let dir = tempfile::tempdir().unwrap();
    let xml = with_calendar(
        480,
        &[("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")],
        tasks,
    );
    let (code, stderr, model) = import_text(dir.path(), &xml);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(table(&text, "T2").contains("lag = 2 }"), "{text}");
    assert!(table(&text, "T3").contains("lag = 1 }"), "{text}");
    assert!(
        stderr.contains("link Dig → Line: a lag of 50% of \"Dig\"'s duration (4 working days) is imported as 2 days"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("percentage lag is not imported"),
        "{stderr}"
    );
}

/// A project calendar on a 10-hour night shift (20:00 to 06:00, Monday to Friday nights,
/// written as MS Project does: 20:00-00:00 on Monday, 00:00-06:00 and 20:00-00:00 on Tuesday
/// to Friday, 00:00-06:00 on Saturday) with MS Project's default 480 minutes per day: each
/// shift counts on the night it starts, so the week works Monday to Friday, and 20 hours of
/// work are 2 of its days, not 2.5.
#[test]
fn a_night_shift_project_calendar_counts_hours_on_its_nights() {
    let night = |d: u32, times: &[(&str, &str)]| {
        let t: String = times
            .iter()
            .map(|(f, t)| {
                format!("<WorkingTime><FromTime>{f}</FromTime><ToTime>{t}</ToTime></WorkingTime>")
            })
            .collect();
        format!("<WeekDay><DayType>{d}</DayType><DayWorking>1</DayWorking><WorkingTimes>{t}</WorkingTimes></WeekDay>")
    };
    let mut days =
        String::from("<WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>");
    days.push_str(&night(2, &[("20:00:00", "00:00:00")]));
    for d in 3..=6 {
        days.push_str(&night(
            d,
            &[("00:00:00", "06:00:00"), ("20:00:00", "00:00:00")],
        ));
    }
    days.push_str(&night(7, &[("00:00:00", "06:00:00")]));
    let xml = format!(
        r#"<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <StartDate>2025-09-15T20:00:00</StartDate><MinutesPerDay>480</MinutesPerDay><CalendarUID>1</CalendarUID>
  <Calendars><Calendar><UID>1</UID><Name>Nights</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays>{days}</WeekDays></Calendar></Calendars>
  <Tasks><Task><UID>1</UID><ID>1</ID><Name>Grind</Name><OutlineLevel>1</OutlineLevel><Duration>PT20H0M0S</Duration></Task></Tasks>
</Project>
"#
    );
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model) = import_text(dir.path(), &xml);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(table(&text, "T1").contains("duration = 2\n"), "{text}");
    assert!(
        text.contains("workdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]"),
        "{text}"
    );
    assert!(
        stderr.contains("10 working hours a day, MinutesPerDay says 8"),
        "{stderr}"
    );
    // The nights' hours are the project calendar's, counted on the night each starts.
    let model = load_model(&model).unwrap();
    assert_eq!(
        model.hours.map(|h| h.ranges()),
        Some(vec!["20:00-06:00".to_string()])
    );
}

/// A day of 600 minutes (MinutesPerDay, and a 10-hour calendar): 20 hours are 2 days.
#[test]
fn a_ten_hour_day_counts_hours_in_its_days() {
    let shifts = [("07:00:00", "12:00:00"), ("13:00:00", "18:00:00")];
    let tasks = "<Task><UID>1</UID><ID>1</ID><Name>Dig</Name><OutlineLevel>1</OutlineLevel><Duration>PT20H0M0S</Duration></Task>";
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model) = import_text(dir.path(), &with_calendar(600, &shifts, tasks));
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(table(&text, "T1").contains("duration = 2\n"), "{text}");
    assert!(
        text.contains("hours = [\"07:00-12:00\", \"13:00-18:00\"]"),
        "{text}"
    );
    let model = load_model(&model).unwrap();
    assert_eq!(model.hours.map(|h| h.minutes()), Some(600));
}

/// MS Project's "Night Shift" resource calendar (23:00 to 08:00, Monday to Friday nights) of
/// `mspdiresource.xml` works on the project's days but at other hours: its role gets a
/// calendar of its own that keeps them, and the project calendar (08:00-17:00) writes none.
#[test]
fn a_night_shift_resource_calendar_keeps_its_hours() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model) = import(dir.path(), &data("mspdiresource.xml"));
    assert_eq!(code, 0, "{stderr}");
    let model = load_model(&model).unwrap();
    assert_eq!(model.hours, None);
    let role = model
        .roles
        .iter()
        .find(|r| r.name == "Brian Leach")
        .unwrap();
    let calendar = role.calendar.as_ref().expect("the night shift's calendar");
    let night = model.hours_named(Some(calendar));
    assert_eq!(night.ranges(), ["23:00-03:00", "04:00-08:00"]);
    assert_eq!(night.minutes(), 480);
    assert_eq!(
        model.calendar_named(Some(calendar)).workdays,
        model.calendar.workdays
    );
}

#[test]
fn manually_scheduled_tasks_become_fixed_duration_tasks_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model) = import(
        dir.path(),
        &data("assignment-assignments-project2010-mspdi.xml"),
    );
    assert_eq!(code, 0, "{stderr}");
    for n in 1..=3 {
        assert!(
            stderr.contains(&format!(
                "task \"Task {n}\": manually scheduled in MS Project (2016-01-04 to 2016-01-15)"
            )),
            "{stderr}"
        );
    }
    let model = load_model(&model).unwrap();
    // 80 hours of 8: 10 days, less what is done for the tasks in progress.
    let durations: Vec<f64> = model
        .tasks
        .iter()
        .map(|t| match &t.work {
            plan::model::Work::Fixed { duration, .. } => duration.likely,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(durations, [10.0, 7.5, 5.0]);
}

/// An MSPDI project whose calendar works `hours` (FromTime-ToTime pairs) Monday to Friday, with
/// `MinutesPerDay` and `tasks`.
fn with_calendar(minutes_per_day: u32, shifts: &[(&str, &str)], tasks: &str) -> String {
    let times: String = shifts
        .iter()
        .map(|(f, t)| {
            format!("<WorkingTime><FromTime>{f}</FromTime><ToTime>{t}</ToTime></WorkingTime>")
        })
        .collect();
    let days: String = (1..=7)
        .map(|d| {
            if (2..=6).contains(&d) {
                format!("<WeekDay><DayType>{d}</DayType><DayWorking>1</DayWorking><WorkingTimes>{times}</WorkingTimes></WeekDay>")
            } else {
                format!("<WeekDay><DayType>{d}</DayType><DayWorking>0</DayWorking></WeekDay>")
            }
        })
        .collect();
    format!(
        r#"<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <StartDate>2025-09-15T08:00:00</StartDate><MinutesPerDay>{minutes_per_day}</MinutesPerDay><CalendarUID>1</CalendarUID>
  <Calendars><Calendar><UID>1</UID><Name>Short days</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays>{days}</WeekDays></Calendar></Calendars>
  <Tasks>
{tasks}
  </Tasks>
</Project>
"#
    )
}

const FOURTEEN_HOURS: &str = "<Task><UID>1</UID><ID>1</ID><Name>Dig</Name><OutlineLevel>1</OutlineLevel><Duration>PT14H0M0S</Duration><DurationFormat>5</DurationFormat></Task>
<Task><UID>2</UID><ID>2</ID><Name>Pour</Name><OutlineLevel>1</OutlineLevel><Duration>PT7H0M0S</Duration><PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>4200</LinkLag><LagFormat>5</LagFormat></PredecessorLink></Task>";

/// A 7-hour calendar day with MS Project's default of 480 minutes per day: 14 hours of work are
/// 2 of its days (MS Project schedules on the calendar), not 1.75, and so is a 7-hour lag 1.
#[test]
fn hours_count_on_the_calendars_day_when_it_is_not_480_minutes() {
    let shifts = [("08:00:00", "12:00:00"), ("13:00:00", "16:00:00")];
    for (minutes_per_day, note) in [(480, true), (420, false)] {
        let dir = tempfile::tempdir().unwrap();
        let xml = with_calendar(minutes_per_day, &shifts, FOURTEEN_HOURS);
        let (code, stderr, model) = import_text(dir.path(), &xml);
        assert_eq!(code, 0, "{stderr}");
        let text = std::fs::read_to_string(&model).unwrap();
        assert!(table(&text, "T1").contains("duration = 2\n"), "{text}");
        assert!(table(&text, "T2").contains("lag = 1 }"), "{text}");
        assert_eq!(
            stderr.contains("7 working hours a day, MinutesPerDay says 8"),
            note,
            "{minutes_per_day}: {stderr}"
        );
    }
}

/// A level-1 summary task is a phase holding the tasks under it; a nested one is noted and its
/// tasks go to the level-1 phase; a milestone with no predecessor still imports.
#[test]
fn summary_tasks_become_phases_and_an_unlinked_milestone_imports() {
    let tasks = "<Task><UID>1</UID><ID>1</ID><Name>Build</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary></Task>
<Task><UID>2</UID><ID>2</ID><Name>Walls</Name><OutlineLevel>2</OutlineLevel><Summary>1</Summary></Task>
<Task><UID>3</UID><ID>3</ID><Name>Brick</Name><OutlineLevel>3</OutlineLevel><Duration>PT16H0M0S</Duration></Task>
<Task><UID>4</UID><ID>4</ID><Name>Start</Name><OutlineLevel>1</OutlineLevel><Milestone>1</Milestone><Duration>PT0H0M0S</Duration></Task>";
    let dir = tempfile::tempdir().unwrap();
    let xml = with_calendar(
        480,
        &[("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")],
        tasks,
    );
    let (code, stderr, model) = import_text(dir.path(), &xml);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("internal error"), "{stderr}");
    let model = load_model(&model).unwrap();
    assert_eq!(model.phases.len(), 1);
    assert_eq!(model.phases[0].name, "Build");
    let brick = model.tasks.iter().find(|t| t.name == "Brick").unwrap();
    assert_eq!(brick.phase.as_deref(), Some(model.phases[0].id.as_str()));
    assert!(
        stderr.contains("summary task \"Walls\" at outline level 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("milestone \"Start\" comes after nothing"),
        "{stderr}"
    );
    assert!(model.tasks.iter().any(|t| t.name == "Start"));
}

/// The text of the first `<name>` element in `block`.
fn field<'t>(block: &'t str, name: &str) -> Option<&'t str> {
    block
        .split(&format!("<{name}>"))
        .nth(1)?
        .split(&format!("</{name}>"))
        .next()
}

/// The first working time of each weekday of the file's project calendar (Monday first),
/// `None` on a day off, read from the XML itself.
fn ms_week(xml: &str) -> [Option<String>; 7] {
    let uid = field(xml, "CalendarUID").unwrap_or("1");
    let calendars = field(xml, "Calendars").expect("a calendar");
    let calendar = calendars
        .split("<Calendar>")
        .skip(1)
        .find(|c| field(c, "UID") == Some(uid))
        .expect("the project calendar");
    let mut week: [Option<String>; 7] = Default::default();
    for day in calendar.split("<WeekDay>").skip(1) {
        let Some(n) = field(day, "DayType").and_then(|d| d.parse::<usize>().ok()) else {
            continue;
        };
        if (1..=7).contains(&n) && field(day, "DayWorking") == Some("1") {
            // MSPDI counts from Sunday = 1.
            week[(n + 5) % 7] = field(day, "FromTime").map(str::to_string);
        }
    }
    week
}

/// The day an MS Project finish falls on in working time: a finish at or before the first
/// working minute of its day (`2006-09-25T08:00:00`), or on a day off, is the end of the
/// working day before it; no working time lies between the two. (The samples' project
/// calendars have no exceptions: the week is enough.)
fn ms_finish_day(instant: &str, week: &[Option<String>; 7]) -> jiff::civil::Date {
    let mut day: jiff::civil::Date = instant[..10].parse().unwrap();
    let time = &instant[11..];
    let first = |d: jiff::civil::Date| week[d.weekday().to_monday_zero_offset() as usize].clone();
    if first(day).is_some_and(|f| time > f.as_str()) {
        return day;
    }
    day = day.yesterday().unwrap();
    while first(day).is_none() {
        day = day.yesterday().unwrap();
    }
    day
}

/// Each non-summary task of an MS Project sample, imported and run through `plan
/// critical-path`: its id and whether its start (the actual start once work began) and its
/// finish are the ones MS Project stored, with both sides for the message.
fn compare_with_ms_project(file: &Path) -> Vec<(String, bool, String)> {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model) = import(dir.path(), file);
    assert_eq!(code, 0, "{stderr}");
    let out = Command::cargo_bin("plan")
        .unwrap()
        .args(["critical-path", "--format", "json", "--model"])
        .arg(&model)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cpm: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let xml = std::fs::read_to_string(file).unwrap();
    let week = ms_week(&xml);
    let ours = |id: &str| -> Option<(String, String)> {
        let all = cpm["tasks"].as_array()?.iter();
        let row = all
            .chain(cpm["milestones"].as_array()?.iter())
            .find(|t| t["id"] == id)?;
        let finish = row["early_finish_date"].as_str()?.to_string();
        let start = row["actual_start"]
            .as_str()
            .or(row["early_start_date"].as_str())
            .map_or(finish.clone(), str::to_string);
        Some((start, finish))
    };
    let tasks = field(&xml, "Tasks").unwrap_or("");
    let mut compared = Vec::new();
    for task in tasks.split("<Task>").skip(1) {
        let (Some(id), Some(start), Some(finish)) = (
            field(task, "ID"),
            field(task, "Start"),
            field(task, "Finish"),
        ) else {
            continue;
        };
        if field(task, "Summary") == Some("1")
            || field(task, "OutlineLevel") == Some("0")
            || field(task, "IsNull") == Some("1")
        {
            continue;
        }
        let id = format!("T{id}");
        let theirs = (
            start[..10].to_string(),
            ms_finish_day(finish, &week).to_string(),
        );
        let ours = ours(&id);
        let same = ours.as_ref() == Some(&theirs);
        let message = format!("{id}: MS Project {theirs:?} ({start} to {finish}), plan {ours:?}");
        compared.push((id, same, message));
    }
    compared
}

/// The six files MS Project wrote (tests/data/mspdi/README.md), each imported and run through
/// the critical path: every one of their 37 non-summary tasks gets MS Project's start and
/// finish. (`mspdiresource.xml` has no status date and starts "Task A" on 2006-08-25, before
/// "Completed Task" was worked: see `work_after_unstarted_work_is_held_at_its_dates`.)
#[test]
fn the_samples_get_ms_projects_dates() {
    let expected: [(&str, usize); 6] = [
        ("assignment-assignments-project2010-mspdi.xml", 3),
        ("calendar-calendars-project2010-mspdi.xml", 0),
        ("mspdiduration.xml", 10),
        ("mspdirelations.xml", 5),
        ("mspdiresource.xml", 3),
        ("task-links-project2010-mspdi.xml", 16),
    ];
    let mut matched = 0;
    for (name, count) in expected {
        let compared = compare_with_ms_project(&data(name));
        let report: Vec<&str> = compared.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(compared.len(), count, "{name}: {report:#?}");
        let differ: Vec<&str> = compared
            .iter()
            .filter(|(_, same, _)| !same)
            .map(|(id, _, _)| id.as_str())
            .collect();
        assert!(differ.is_empty(), "{name}: {differ:?} differ: {report:#?}");
        matched += compared.len();
    }
    assert_eq!(matched, 37);
}

/// `mspdiresource.xml` has no status date; MS Project starts the unstarted "Task A" on the
/// project start, 2006-08-25, although "Completed Task" was worked from Saturday 2006-08-26 to
/// 2006-08-29. The model's status date stays at the project start (nothing unstarted may be
/// scheduled before it), and the finished task is held at the days it was worked, Saturday
/// included, with a note, instead of actual dates after the status date.
#[test]
fn work_after_unstarted_work_is_held_at_its_dates() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model) = import(dir.path(), &data("mspdiresource.xml"));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("task \"Completed Task\": worked from 2006-08-26 to 2006-08-29, after unstarted work MS Project starts on 2006-08-25"),
        "{stderr}"
    );
    assert!(!stderr.contains("before the status date"), "{stderr}");
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(!text.contains("status_date"), "{text}");
    let done = table(&text, "T3");
    assert!(done.contains("must_start_on = 2006-08-26\n"), "{done}");
    assert!(!done.contains("actual_"), "{done}");
    assert!(!done.contains("demand"), "its work is done: {done}");
    let model = load_model(&model).unwrap();
    let t3 = model.tasks.iter().find(|t| t.id == "T3").unwrap();
    let calendar = model.task_calendars(t3);
    assert!(
        calendar
            .iter()
            .any(|c| c.extra_workdays.contains(&jiff::civil::date(2006, 8, 26))),
        "the Saturday it was worked is a working day of its calendar"
    );
}

/// Without a status date, unstarted "Plan" starts on the project start in MS Project; "Dig"
/// (begun that day, finished two days later) keeps its actual start and must finish on its
/// actual finish, and "Pour" (begun the day after, half done) is held from its actual start
/// to MS Project's finish: each gets MS Project's dates, with a note.
#[test]
fn work_under_way_after_unstarted_work_keeps_its_dates() {
    let tasks = "<Task><UID>1</UID><ID>1</ID><Name>Plan</Name><OutlineLevel>1</OutlineLevel><Start>2025-09-15T08:00:00</Start><Finish>2025-09-16T17:00:00</Finish><Duration>PT16H0M0S</Duration></Task>
<Task><UID>2</UID><ID>2</ID><Name>Dig</Name><OutlineLevel>1</OutlineLevel><Start>2025-09-15T08:00:00</Start><Finish>2025-09-17T17:00:00</Finish><Duration>PT24H0M0S</Duration><PercentComplete>100</PercentComplete><ActualStart>2025-09-15T08:00:00</ActualStart><ActualFinish>2025-09-17T17:00:00</ActualFinish></Task>
<Task><UID>3</UID><ID>3</ID><Name>Pour</Name><OutlineLevel>1</OutlineLevel><Start>2025-09-16T08:00:00</Start><Finish>2025-09-19T17:00:00</Finish><Duration>PT32H0M0S</Duration><RemainingDuration>PT16H0M0S</RemainingDuration><PercentComplete>50</PercentComplete><ActualStart>2025-09-16T08:00:00</ActualStart></Task>";
    let xml = with_calendar(
        480,
        &[("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")],
        tasks,
    );
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("under-way.xml");
    std::fs::write(&input, &xml).unwrap();
    let (code, stderr, model) = import(dir.path(), &input);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&model).unwrap();
    let dig = table(&text, "T2");
    assert!(dig.contains("actual_start = 2025-09-15"), "{dig}");
    assert!(dig.contains("must_finish_on = 2025-09-17"), "{dig}");
    let pour = table(&text, "T3");
    assert!(pour.contains("must_start_on = 2025-09-16"), "{pour}");
    assert!(pour.contains("duration = 4\n"), "{pour}");
    assert!(
        stderr.contains(
            "task \"Pour\": under way from 2025-09-16, MS Project finishes it on 2025-09-19"
        ),
        "{stderr}"
    );
    for (id, same, message) in compare_with_ms_project(&input) {
        assert!(same, "{id}: {message}");
    }
}

/// With a status date in the file, actual dates stay actual dates and unstarted work before
/// the status date is named (the model schedules it from the status date).
#[test]
fn with_a_status_date_actuals_stay_and_earlier_unstarted_work_is_named() {
    let xml = std::fs::read_to_string(data("mspdiresource.xml"))
        .unwrap()
        .replace(
            "<CurrentDate>",
            "<StatusDate>2006-08-29T17:00:00</StatusDate><CurrentDate>",
        );
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model) = import_text(dir.path(), &xml);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("task \"Task A\": not started, MS Project starts it on 2006-08-25, before the status date 2006-08-29"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(text.contains("status_date = 2006-08-29"), "{text}");
    assert!(
        table(&text, "T3").contains("actual_finish = 2006-08-29"),
        "{text}"
    );
}

/// "Task A" in mspdiresource.xml has three people working 24 hours each, one of them on a
/// night shift: MS Project's duration (48 hours) counts their hours together, the model's is
/// 3 days, the work at its units on the project calendar. With the file's one finished task
/// (linked to nothing) made unstarted, so that no actual date sets the status date, "Task A"
/// and the "Contoured Task" after it get MS Project's dates.
#[test]
fn a_task_with_a_night_shift_resource_takes_its_work_at_its_units() {
    let xml = std::fs::read_to_string(data("mspdiresource.xml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model) = import_text(dir.path(), &xml);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("resource \"Brian Leach\": its calendar \"Night Shift\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("task \"Task A\": its resources work on other calendars (Night Shift for Brian Leach); MS Project's duration of 6 days"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(table(&text, "T1").contains("duration = 3\n"), "{text}");
    let unstarted = xml
        .replace("<ActualStart>2006-08-26T08:00:00</ActualStart>", "")
        .replace("<ActualFinish>2006-08-29T17:00:00</ActualFinish>", "")
        .replace(
            "<PercentComplete>100</PercentComplete>",
            "<PercentComplete>0</PercentComplete>",
        );
    assert_ne!(unstarted, xml);
    let input = dir.path().join("unstarted.xml");
    std::fs::write(&input, unstarted).unwrap();
    let compared = compare_with_ms_project(&input);
    for id in ["T1", "T2"] {
        let (_, same, message) = compared.iter().find(|(i, _, _)| i == id).unwrap();
        assert!(same, "{message}");
    }
}

/// Manually scheduled tasks stay at their dates, as MS Project keeps them whatever their
/// links say: "Pour" (not started) must start on its start although "Dig" finishes later,
/// "Survey" (half done, begun before the project start) must finish on its finish, and the
/// model starts on Survey's actual start with the automatic "Dig" held to MS Project's
/// project start.
#[test]
fn manual_tasks_become_fixed_dates_with_a_note() {
    let tasks = "<Task><UID>1</UID><ID>1</ID><Name>Dig</Name><OutlineLevel>1</OutlineLevel><Start>2025-09-15T08:00:00</Start><Finish>2025-09-16T17:00:00</Finish><Duration>PT16H0M0S</Duration></Task>
<Task><UID>2</UID><ID>2</ID><Name>Pour</Name><OutlineLevel>1</OutlineLevel><Manual>1</Manual><Start>2025-09-16T08:00:00</Start><Finish>2025-09-17T17:00:00</Finish><Duration>PT16H0M0S</Duration><PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink></Task>
<Task><UID>3</UID><ID>3</ID><Name>Survey</Name><OutlineLevel>1</OutlineLevel><Manual>1</Manual><Start>2025-09-10T08:00:00</Start><Finish>2025-09-12T08:00:00</Finish><Duration>PT16H0M0S</Duration><RemainingDuration>PT8H0M0S</RemainingDuration><PercentComplete>50</PercentComplete><ActualStart>2025-09-10T08:00:00</ActualStart></Task>";
    let dir = tempfile::tempdir().unwrap();
    let xml = with_calendar(
        480,
        &[("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")],
        tasks,
    );
    let (code, stderr, model) = import_text(dir.path(), &xml);
    assert_eq!(code, 0, "{stderr}");
    for note in [
        "task \"Pour\": manually scheduled in MS Project (2025-09-16 to 2025-09-17); fixed at those dates: must_start_on = 2025-09-16",
        "task \"Survey\": manually scheduled in MS Project (2025-09-10 to 2025-09-12); fixed at those dates: must_finish_on = 2025-09-11",
        "the project starts on 2025-09-15 in MS Project, but manually scheduled tasks or actual dates begin on 2025-09-10",
    ] {
        assert!(stderr.contains(note), "{note}: {stderr}");
    }
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(text.contains("start = 2025-09-10\n"), "{text}");
    assert!(
        table(&text, "T1").contains("start_no_earlier = 2025-09-15\n"),
        "{text}"
    );
    assert!(
        table(&text, "T3").contains("actual_start = 2025-09-10\n"),
        "{text}"
    );
    let compared = compare_with_ms_project(&dir.path().join("in.xml"));
    assert_eq!(compared.len(), 3);
    for (_, same, message) in &compared {
        assert!(same, "{message}");
    }
}

/// Worked calendar exceptions on days off become `[calendar] extra_workdays` (both MSPDI
/// forms: MS Project 2007's `Exceptions` and 2003's `WeekDay` of type 0), non-working ones on
/// working days `holidays`; a 5-day task from Monday 15 September with Wednesday off and
/// Saturday worked finishes on that Saturday.
#[test]
fn worked_exceptions_become_extra_workdays() {
    let shifts = [("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")];
    let task = "<Task><UID>1</UID><ID>1</ID><Name>Dig</Name><OutlineLevel>1</OutlineLevel><Start>2025-09-15T08:00:00</Start><Finish>2025-09-20T17:00:00</Finish><Duration>PT40H0M0S</Duration></Task>";
    let times = "<WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime><WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime></WorkingTimes>";
    let exceptions = format!(
        "<WeekDay><DayType>0</DayType><DayWorking>1</DayWorking><TimePeriod><FromDate>2025-09-28T00:00:00</FromDate><ToDate>2025-09-28T23:59:00</ToDate></TimePeriod>{times}</WeekDay></WeekDays>
<Exceptions>
<Exception><TimePeriod><FromDate>2025-09-17T00:00:00</FromDate><ToDate>2025-09-17T23:59:00</ToDate></TimePeriod><Occurrences>1</Occurrences><Name>Fair</Name><DayWorking>0</DayWorking></Exception>
<Exception><TimePeriod><FromDate>2025-09-20T00:00:00</FromDate><ToDate>2025-09-20T23:59:00</ToDate></TimePeriod><Occurrences>1</Occurrences><Name>Launch weekend</Name><DayWorking>1</DayWorking>{times}</Exception>
</Exceptions>"
    );
    let xml = with_calendar(480, &shifts, task).replace("</WeekDays>", &exceptions);
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model) = import_text(dir.path(), &xml);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("calendar exception"), "{stderr}");
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(
        text.contains("holidays = [2025-09-17]\nextra_workdays = [2025-09-20, 2025-09-28]\n"),
        "{text}"
    );
    let out = Command::cargo_bin("plan")
        .unwrap()
        .args(["critical-path", "--format", "json", "--model"])
        .arg(&model)
        .output()
        .unwrap();
    let cpm: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cpm["tasks"][0]["early_finish_date"], "2025-09-20", "{cpm}");
}

/// A hand-written file (tests/data/mspdi-calendars/README.md works its dates out): the
/// project calendar's recurring exception (the last Friday of each month, four times) becomes
/// holidays, the offshore team's resource calendar (Sunday to Thursday, two holidays) a named
/// calendar for its role and for the task it works on, and the burn-in's 24-hour task calendar
/// a 7-day calendar on which its 72 hours are 3 days; every task gets the dates worked out by
/// hand.
#[test]
fn task_and_resource_calendars_become_named_calendars() {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mspdi-calendars/calendars.xml");
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model_path) = import(dir.path(), &file);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("not imported"), "{stderr}");
    let model = load_model(&model_path).unwrap();
    let dates = |c: &plan::calendar::Calendar| -> Vec<String> {
        c.holidays.iter().map(|d| d.to_string()).collect()
    };
    assert_eq!(
        dates(&model.calendar),
        ["2025-09-26", "2025-10-31", "2025-11-28", "2025-12-26"]
    );
    let ids: Vec<&str> = model.calendars.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["Offshore", "7x24"]);
    let offshore = &model.calendars[0].calendar;
    assert_eq!(
        offshore.workdays,
        [true, true, true, true, false, false, true]
    );
    assert_eq!(dates(offshore), ["2025-10-08", "2025-10-09"]);
    assert_eq!(model.calendars[1].calendar.workdays, [true; 7]);
    let qa = &model.roles[model.role_index("qa").unwrap()];
    assert_eq!(
        qa.calendar.as_ref().map(|c| c.id.as_str()),
        Some("Offshore")
    );
    let dev = &model.roles[model.role_index("dev").unwrap()];
    assert!(dev.calendar.is_none(), "Dev's calendar is the project's");
    let calendar_of = |id: &str| {
        let t = model.tasks.iter().find(|t| t.id == id).unwrap();
        t.calendar.as_ref().map(|c| c.id.clone())
    };
    assert_eq!(calendar_of("T2").as_deref(), Some("7x24"));
    assert_eq!(calendar_of("T3").as_deref(), Some("Offshore"));
    assert_eq!(calendar_of("T1"), None);
    let text = std::fs::read_to_string(&model_path).unwrap();
    assert!(table(&text, "T2").contains("duration = 3\n"), "{text}");
    let compared = compare_with_ms_project(&file);
    assert_eq!(compared.len(), 4);
    for (_, same, message) in &compared {
        assert!(same, "{message}");
    }
}

/// What a calendar holds that the model cannot is named on stderr with the calendar: a
/// working exception of other hours than its days', and a recurrence of a type MSPDI does not
/// define.
#[test]
fn calendar_hours_and_unknown_recurrences_are_noted_with_the_calendar() {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mspdi-calendars/calendars.xml");
    let xml = std::fs::read_to_string(file).unwrap();
    let half_day = "<Exception><TimePeriod><FromDate>2025-10-11T00:00:00</FromDate><ToDate>2025-10-11T23:59:00</ToDate></TimePeriod><Occurrences>1</Occurrences><Name>Half Saturday</Name><Type>1</Type><DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime></WorkingTimes></Exception>";
    let odd = "<Exception><TimePeriod><FromDate>2025-10-01T00:00:00</FromDate><ToDate>2025-12-01T23:59:00</ToDate></TimePeriod><Occurrences>3</Occurrences><Name>Odd</Name><Type>9</Type><DayWorking>0</DayWorking></Exception>";
    let changed = xml.replacen(
        "</Exceptions></Calendar>\n<Calendar><UID>3</UID>",
        &format!("{half_day}{odd}</Exceptions></Calendar>\n<Calendar><UID>3</UID>"),
        1,
    );
    assert_ne!(changed, xml);
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, model_path) = import_text(dir.path(), &changed);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("calendar \"Offshore\" exception \"Half Saturday\": 4 working hours a day are imported as whole working days"),
        "{stderr}"
    );
    assert!(
        stderr.contains("calendar \"Offshore\" exception \"Odd\": a recurring exception of unknown type 9 is not imported"),
        "{stderr}"
    );
    let model = load_model(&model_path).unwrap();
    let saturday = jiff::civil::date(2025, 10, 11);
    assert!(model.calendars[0]
        .calendar
        .extra_workdays
        .contains(&saturday));
}

/// A lag as a percentage of the predecessor's duration (`lag_percent`, issue 12): "Line"
/// starts when half of "Dig" is done, whatever Dig's duration; the critical path follows Dig's
/// estimate, the team schedule (checked by the independent checker) too, and the MSPDI export
/// writes it as MS Project's percentage lag (LagFormat 19, LinkLag the percentage).
#[test]
fn a_percentage_lag_follows_the_predecessors_duration() {
    let dir = tempfile::tempdir().unwrap();
    let model_with = |dig: u32| {
        let path = dir.path().join(format!("dig{dig}.toml"));
        std::fs::write(
            &path,
            format!(
                "[project]\nstart = 2025-09-15\n\n[roles.dev]\n\n[[task]]\nid = \"DIG\"\nduration = {dig}\ndemand = {{ dev = 1 }}\n\n[[task]]\nid = \"LINE\"\nafter = [{{ id = \"DIG\", type = \"SS\", lag_percent = 50 }}]\nduration = 1\n"
            ),
        )
        .unwrap();
        path
    };
    let line_start = |model: &Path| -> String {
        let out = Command::cargo_bin("plan")
            .unwrap()
            .args(["critical-path", "--format", "json", "--model"])
            .arg(model)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["tasks"][1]["early_start_date"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Half of 4 days: Wednesday; half of 8 days: Friday.
    assert_eq!(line_start(&model_with(4)), "2025-09-17");
    assert_eq!(line_start(&model_with(8)), "2025-09-19");
    let team = dir.path().join("team.toml");
    std::fs::write(&team, "[team]\ndev = 1\n").unwrap();
    let model = model_with(8);
    let schedule = Command::cargo_bin("plan")
        .unwrap()
        .args(["schedule", "--format", "json", "--model"])
        .arg(&model)
        .arg("--scenario")
        .arg(&team)
        .output()
        .unwrap();
    assert!(schedule.status.success(), "{schedule:?}");
    let text = String::from_utf8(schedule.stdout).unwrap();
    assert!(text.contains("\"LINE\""), "{text}");
    let xml = dir.path().join("out.xml");
    Command::cargo_bin("plan")
        .unwrap()
        .args(["export", "--format", "mspdi", "--model"])
        .arg(&model)
        .arg("--scenario")
        .arg(&team)
        .arg("--out")
        .arg(&xml)
        .assert()
        .success();
    let xml = std::fs::read_to_string(&xml).unwrap();
    assert!(
        xml.contains("<LinkLag>50</LinkLag>\n        <LagFormat>19</LagFormat>"),
        "{xml}"
    );
}
