"""A dependency with a C extension: installing it needs a compiler."""
from setuptools import Extension, setup

setup(
    name="fastsum",
    version="1.0.0",
    ext_modules=[Extension("fastsum", sources=["fastsum.c"])],
)
