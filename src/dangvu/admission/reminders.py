"""Admission reminders, collected by `dangvu.meetings.reminders.collect` (REMINDER_SOURCES)."""

import datetime as dt


def collect(on: dt.date) -> list:
    """[meetings.reminders.Reminder] due on `on`."""
    return []
