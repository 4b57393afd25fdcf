"""psycopg2 built from source: needs a compiler and libpq's headers to
install, and libpq itself to run."""
import psycopg2.extensions

print("psycopg2", psycopg2.__version__.split()[0], "libpq", psycopg2.extensions.libpq_version())
