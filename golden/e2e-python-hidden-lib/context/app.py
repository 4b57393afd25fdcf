"""Prints the version of the PostgreSQL client library the extension links."""
import pqversion

print("libpq", pqversion.libpq_version())
