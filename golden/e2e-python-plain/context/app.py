"""A small app that reads timestamps with pendulum. pendulum 2.x publishes
no wheel for Python 3.11, so pip builds it from its source distribution
(its C extensions compile) on every install that has no wheel cache."""
import pendulum

start = pendulum.parse("2024-05-01T10:00:00+02:00")
print("running on python 3; starts at", start.in_tz("UTC").to_iso8601_string())
