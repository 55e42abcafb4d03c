"""Reads a project file with MPXJ (an independent reader) and prints what it read as JSON.

Used by tests/mpxj_interchange.rs: tasks with durations, dates, links, constraints, deadlines, actuals, the plan id
custom field and their calendar, the status date, resources with max units and calendar, assignments with units, and
every calendar's working weekdays and exceptions. Run with the venv's python:
    target/mpxj-venv/bin/python tests/mpxj/dump.py FILE.xml [FILE.xml...]
"""
import json
import sys

import jpype
import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

jpype.startJVM()
from org.mpxj import TaskField  # noqa: E402
from org.mpxj.reader import UniversalProjectReader  # noqa: E402


def text(value):
    return None if value is None else str(value)


def number(value):
    """A number MPXJ may not have (a material resource's units in a file MS Project wrote)."""
    return None if value is None else float(value)


def days(duration, project):
    """A duration in working days, converted by MPXJ with the file's own calendar settings."""
    if duration is None:
        return None
    from org.mpxj import TimeUnit

    return float(duration.convertUnits(TimeUnit.DAYS, project.getProjectProperties()).getDuration())


def minutes(duration, project):
    """A duration in minutes, converted by MPXJ with the file's own calendar settings."""
    if duration is None:
        return None
    from org.mpxj import TimeUnit

    return float(duration.convertUnits(TimeUnit.MINUTES, project.getProjectProperties()).getDuration())


def finish_by_calendar(task, project):
    """The finish MPXJ's own calendar arithmetic gives for the task's start and duration."""
    calendar = project.getDefaultCalendar()
    if calendar is None or task.getStart() is None or task.getDuration() is None:
        return None
    if float(task.getDuration().getDuration()) == 0:
        return text(task.getStart())
    return text(calendar.getDate(task.getStart(), task.getDuration()))


def finish_by_own_calendar(task):
    """The finish MPXJ's calendar arithmetic gives on the task's own calendar (its task
    calendar, else the project's)."""
    calendar = task.getEffectiveCalendar()
    if calendar is None or task.getStart() is None or task.getDuration() is None:
        return None
    if float(task.getDuration().getDuration()) == 0:
        return text(task.getStart())
    return text(calendar.getDate(task.getStart(), task.getDuration()))


def day_hours(calendar, day):
    """A weekday's working times as MPXJ reads them (`08:00-12:00`), following base calendars."""
    while calendar is not None:
        hours = calendar.getHours(day)
        if hours is not None and calendar.getCalendarDayType(day) is not None and str(calendar.getCalendarDayType(day)) != "DEFAULT":
            return [f"{r.getStart()}-{r.getEnd()}" for r in hours]
        calendar = calendar.getParent()
    return []


def minutes_per_day(calendar):
    """The working minutes of the calendar's longest weekday (its day, for a night shift that
    MSPDI splits at midnight)."""
    from java.time import DayOfWeek as Day

    best = 0
    for d in Day.values():
        c = calendar
        while c is not None:
            hours = c.getHours(d)
            if hours is not None and str(c.getCalendarDayType(d)) != "DEFAULT":
                best = max(best, sum(int(r.getDurationAsMilliseconds()) for r in hours) // 60000)
                break
            c = c.getParent()
    return best


def calendar_days(calendar):
    """A calendar's working weekdays (MPXJ's day names), their working times and exceptions."""
    from java.time import DayOfWeek as Day

    return {
        "name": text(calendar.getName()),
        "hours": {text(d): day_hours(calendar, d) for d in Day.values()},
        "minutes_per_day": minutes_per_day(calendar),
        "base": text(calendar.getParent().getName()) if calendar.getParent() is not None else None,
        "workdays": [text(d) for d in Day.values() if calendar.isWorkingDay(d)],
        "exceptions": [
            {
                "from": text(ex.getFromDate()),
                "to": text(ex.getToDate()),
                "working": bool(ex.getWorking()),
                "hours": [f"{r.getStart()}-{r.getEnd()}" for r in ex],
            }
            for ex in calendar.getCalendarExceptions()
        ],
    }


def read(path):
    project = UniversalProjectReader().read(path)
    tasks = []
    for task in project.getTasks():
        if task.getUniqueID() is None or int(task.getUniqueID()) == 0:
            continue
        links = []
        for rel in task.getPredecessors():
            links.append(
                {
                    "pred": int(rel.getPredecessorTask().getUniqueID()),
                    "type": text(rel.getType()),
                    "lag_days": days(rel.getLag(), project),
                    "lag_minutes": minutes(rel.getLag(), project),
                    "lag_units": text(rel.getLag().getUnits()) if rel.getLag() is not None else None,
                }
            )
        tasks.append(
            {
                "uid": int(task.getUniqueID()),
                "id": int(task.getID()) if task.getID() is not None else None,
                "name": text(task.getName()),
                "plan_id": text(task.getCachedValue(TaskField.TEXT1)),
                "duration_days": days(task.getDuration(), project),
                "duration_minutes": minutes(task.getDuration(), project),
                "calendar_minutes_per_day": minutes_per_day(task.getEffectiveCalendar())
                if task.getEffectiveCalendar() is not None
                else None,
                "start": text(task.getStart()),
                "finish": text(task.getFinish()),
                "milestone": bool(task.getMilestone()),
                "summary": bool(task.getSummary()),
                "deadline": text(task.getDeadline()),
                "finish_by_calendar": finish_by_calendar(task, project),
                "finish_by_own_calendar": finish_by_own_calendar(task),
                "calendar": text(task.getCalendar().getName()) if task.getCalendar() is not None else None,
                "constraint_type": text(task.getConstraintType()),
                "constraint_date": text(task.getConstraintDate()),
                "actual_start": text(task.getActualStart()),
                "actual_finish": text(task.getActualFinish()),
                "percent_complete": float(task.getPercentageComplete()) if task.getPercentageComplete() is not None else None,
                "remaining_days": days(task.getRemainingDuration(), project),
                "outline_level": int(task.getOutlineLevel()) if task.getOutlineLevel() is not None else None,
                "links": links,
            }
        )
    resources = []
    for res in project.getResources():
        if res.getUniqueID() is None or res.getName() is None:
            continue
        resources.append(
            {
                "uid": int(res.getUniqueID()),
                "name": text(res.getName()),
                "initials": text(res.getInitials()),
                "max_units": float(res.getMaxUnits()) if res.getMaxUnits() is not None else None,
                "calendar": calendar_days(res.getCalendar()) if res.getCalendar() is not None else None,
                "availability": [
                    {
                        "from": text(a.getRange().getStart()),
                        "to": text(a.getRange().getEnd()),
                        "units": number(a.getUnits()),
                    }
                    for a in res.getAvailability()
                ],
            }
        )
    assignments = []
    for a in project.getResourceAssignments():
        if a.getResource() is None:
            continue
        assignments.append(
            {
                "task": int(a.getTask().getUniqueID()),
                "resource": int(a.getResource().getUniqueID()),
                "units": number(a.getUnits()),
            }
        )
    exceptions = []
    calendar = project.getDefaultCalendar()
    if calendar is not None:
        for ex in calendar.getCalendarExceptions():
            exceptions.append(
                {"from": text(ex.getFromDate()), "to": text(ex.getToDate()), "working": bool(ex.getWorking())}
            )
    status = project.getProjectProperties().getStatusDate()
    return {
        "status_date": text(status),
        "tasks": tasks,
        "resources": resources,
        "assignments": assignments,
        "exceptions": exceptions,
        "calendars": [calendar_days(c) for c in project.getCalendars()],
    }


if __name__ == "__main__":
    # One file: what it holds; several (one JVM start for all): a list, in their order.
    paths = sys.argv[1:]
    read_all = [read(p) for p in paths]
    print(json.dumps(read_all[0] if len(paths) == 1 else read_all, indent=1))
