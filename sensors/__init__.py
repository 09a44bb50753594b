"""Sensors and schedules: new CVs -> intake runs; new titles -> searches; daily refresh and delivery."""

from sensors.cv_inbox import cv_inbox_sensor
from sensors.schedules import daily_delivery_schedule, daily_search_schedule
from sensors.searches import search_partitions_sensor

__all__ = ["cv_inbox_sensor", "daily_delivery_schedule", "daily_search_schedule", "search_partitions_sensor"]
from sensors.tracker import tracker_after_failed_runs, tracker_after_runs

__all__ += ["tracker_after_failed_runs", "tracker_after_runs"]
