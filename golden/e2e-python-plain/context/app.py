"""A tiny app with one pure-Python dependency."""
import six

print("running on python", six.PY3 and 3 or 2)
