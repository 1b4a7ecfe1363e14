// Python.h, included the way its documentation asks: before any standard header
// of the file that includes this one, with Py_ssize_t lengths for "#" formats.
#pragma once

#define PY_SSIZE_T_CLEAN
#include <Python.h>
