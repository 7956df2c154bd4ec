/* A minimal Python extension module written against the C API without Python.h, so it
 * compiles for any target. Its undefined symbols are what a real extension module needs
 * from libpython: functions (PyErr_Print, ...) and data (_Py_NoneStruct, PyExc_*). */
typedef struct _object PyObject;
typedef struct PyModuleDef PyModuleDef;

extern PyObject _Py_NoneStruct;
extern PyObject *PyExc_RuntimeError;
extern PyObject *PyExc_ValueError;

PyObject *PyModule_Create2(PyModuleDef *def, int apiver);
PyObject *PyLong_FromLong(long v);
long PyLong_AsLong(PyObject *o);
void PyErr_SetString(PyObject *type, const char *message);
PyObject *PyErr_Occurred(void);
void PyErr_Print(void);
void _Py_Dealloc(PyObject *o);
int PyArg_ParseTuple(PyObject *args, const char *format, ...);

struct PyModuleDef { int reserved[16]; const char *name; };
static struct PyModuleDef demo_module = { {0}, "_demo" };

/* Common and weak symbols, so readers see XTY_CM and C_WEAKEXT. */
int demo_counter;
__attribute__((weak)) int demo_tuning = 3;
__attribute__((visibility("hidden"))) int demo_hidden_helper(int x) { return x * 2; }

PyObject *demo_add(PyObject *self, PyObject *args) {
    long a, b;
    (void)self;
    if (!PyArg_ParseTuple(args, "ll", &a, &b)) {
        PyErr_Print();
        return 0;
    }
    if (a < 0) {
        PyErr_SetString(PyExc_ValueError, "negative");
        return 0;
    }
    demo_counter += demo_hidden_helper(demo_tuning);
    return PyLong_FromLong(a + b);
}

PyObject *demo_none(PyObject *o) {
    if (PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "pending");
    if (PyLong_AsLong(o) == 0) _Py_Dealloc(o);
    return &_Py_NoneStruct;
}

PyObject *PyInit__demo(void) {
    (void)demo_add;
    return PyModule_Create2(&demo_module, 1013);
}
