"""Reads a P6 XER file with xerparser (an independent reader, https://pypi.org/project/xerparser/)
and prints what it read as JSON, for tests/xer_import.rs: activities with their type, status,
hours and calendar, relationships with type and lag hours, calendars with hours per day,
working weekdays and holidays, resources and assignments. Run with the venv's python:
    target/xer-venv/bin/python tests/xer/dump.py FILE.xer
"""
import json
import sys

from xerparser import Xer


def main(path):
    xer = Xer.reader(path)
    calendars = {}
    for cal in xer.calendars.values():
        calendars[cal.uid] = {
            "name": cal.name,
            "day_hr_cnt": cal.day_hr_cnt,
            "workdays": sorted(day for day, wd in cal.work_week.items() if wd.hours > 0),
            "hours": {day: wd.hours for day, wd in cal.work_week.items()},
            "holidays": sorted(d.strftime("%Y-%m-%d") for d in cal.holidays),
        }
    projects = []
    for proj in xer.projects.values():
        projects.append(
            {
                "short_name": proj.short_name,
                "data_date": proj.data_date.strftime("%Y-%m-%d"),
                "calendar": proj.default_calendar.uid if proj.default_calendar else None,
                "tasks": [
                    {
                        "code": t.task_code,
                        "name": t.name,
                        "type": t.type.name,
                        "status": t.status.name,
                        "calendar": t.clndr_id,
                        "wbs": t.wbs.name,
                        "target_hours": t.target_drtn_hr_cnt,
                        "remaining_hours": t.remain_drtn_hr_cnt,
                        "constraint": t.cstr_type,
                        "actual_start": t.act_start_date and t.act_start_date.strftime("%Y-%m-%d"),
                        "actual_finish": t.act_end_date and t.act_end_date.strftime("%Y-%m-%d"),
                        "resources": sorted(
                            r.resource.code for r in t.resources.values()
                        ),
                    }
                    for t in proj.tasks
                ],
                "links": [
                    {
                        "pred": r.predecessor.task_code,
                        "succ": r.successor.task_code,
                        "type": r.link,
                        "lag_hours": r.lag_hr_cnt,
                    }
                    for r in proj.relationships
                ],
            }
        )
    resources = [
        {"short_name": r.code, "name": r.name, "type": r.type, "calendar": r.clndr_id}
        for r in xer.resources.values()
    ]
    json.dump({"projects": projects, "calendars": calendars, "resources": resources}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
