"""A C extension linked against libpq, which the full Python image ships
(with its headers) and the slim one does not: the Dockerfile never names it."""
from setuptools import Extension, setup

setup(
    name="pqversion",
    version="1.0.0",
    ext_modules=[
        Extension(
            "pqversion",
            sources=["pqversion.c"],
            include_dirs=["/usr/include/postgresql"],
            libraries=["pq"],
        )
    ],
)
