#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <libpq-fe.h>

static PyObject *libpq_version(PyObject *self, PyObject *args) {
    return PyLong_FromLong(PQlibVersion());
}

static PyMethodDef methods[] = {
    {"libpq_version", libpq_version, METH_NOARGS, "The libpq version number."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "pqversion", NULL, -1, methods};

PyMODINIT_FUNC PyInit_pqversion(void) { return PyModule_Create(&module); }
