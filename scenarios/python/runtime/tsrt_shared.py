"""threadsim runtime: shared memory as steps.

The rewritten program calls these helpers for reads and writes of
attributes of its own objects, of its shared module globals, of items of
lists, dicts, sets and deques, and for those containers' methods and
builtins over them. Each is a read or write step on a Go Var keyed by the
object's identity (one Var per attribute, one per item; a container's
shape is a Plain object), named like
"FakeDatabase.value"; the access itself happens after the step is granted.
Attributes that hold modules, classes, functions, methods or threading
objects are not shared variables.
"""
import collections
import operator
import threading
import types

import tsrt_proto as P
import tsrt_prims
from tsrt_prims import _Obj, short

user_modules = set()
_skip = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
         _Obj, threading.Thread, property, staticmethod, classmethod)
_containers = (list, dict, set, collections.deque, bytearray)
_mutators = frozenset(("append", "extend", "insert", "pop", "remove", "clear", "update", "add", "discard",
                       "setdefault", "popitem", "appendleft", "popleft", "extendleft", "sort", "reverse",
                       "rotate", "difference_update", "intersection_update", "symmetric_difference_update"))
_quiet = tsrt_prims.quiet


def _request(*args):
    """A step, unless a program's __repr__ runs for a trace's detail."""
    if not _quiet[0]:
        P.request(*args)



def _owned(obj):
    return type(obj).__module__ in user_modules


def ga(obj, attr):
    v = getattr(obj, attr)
    if isinstance(v, _skip) or not _owned(obj):
        return v
    _request("read", "%x.%s" % (id(obj), attr), type(obj).__name__ + "." + attr, short(v))
    return getattr(obj, attr)


def sa(obj, attr, v):
    if isinstance(v, _Obj) and not v._name:
        v._name = attr
    if isinstance(v, _skip) or not _owned(obj):
        setattr(obj, attr, v)
        return
    _request("write", "%x.%s" % (id(obj), attr), type(obj).__name__ + "." + attr, short(v))
    setattr(obj, attr, v)


def da(obj, attr):
    if _owned(obj):
        _request("write", "%x.%s" % (id(obj), attr), type(obj).__name__ + "." + attr, "<deleted>")
    delattr(obj, attr)


# Containers (lists, dicts, sets, deques, bytearrays of the program).
# An item (c[k]) is a Var of its own, named after the container's
# expression in the source ("ready[1]"), so that threads writing distinct
# items neither race nor depend on each other. The container's shape (its
# length, keys and order) is one more object, named like the container
# ("log"): a Plain object, which orders steps for exploration but neither
# races nor synchronises (CPython's container operations are atomic).
#
# - an item access is a step on the item's Var, then a read of the shape
#   (a write when it changes it: a new key, del), after which the access
#   happens;
# - a mutating method (append, pop, update, ...) and a slice assignment
#   write the shape;
# - len, truth tests and `k in dict` read the shape; iteration reads each
#   item (a list's) and the shape before each element;
# - a whole read (sum, sorted, list, min, print, ... of the container, a
#   reading method such as copy or count, `x in list`, a slice) is one
#   step that reads every item: a write of the shape for exploration, so
#   it is ordered against item writes too (and, needlessly, against item
#   reads of other threads: the price of one step instead of one a item).
# So an item access and a method of the same container are ordered
# against each other, and so is anything that reads what a method changes.

_SEQ = (list, collections.deque, bytearray)
_MAPS = (dict,)
_readers = frozenset(("get", "keys", "values", "items", "copy", "count", "index", "__contains__",
                      "issubset", "issuperset", "isdisjoint", "union", "intersection", "difference",
                      "symmetric_difference"))


def _ikey(c, k):
    try:
        return "%x[%s]" % (id(c), short(k, 40))
    except Exception:  # noqa
        return "%x[?]" % id(c)


def _norm(c, k):
    """k as the item it names: a negative index of a sequence counts from its end."""
    if type(k) is int and k < 0 and type(c) in _SEQ:
        return k + len(c)
    return k


def _item(c, k, name, access, v):
    k = _norm(c, k)
    _request(access, _ikey(c, k), "%s[%s]" % (name, short(k, 20)), v)


def _shape(c, name, access="cread", what=""):
    _request(access, "%x[]" % id(c), name or type(c).__name__, str(len(c)), what)


def _whole(c, name):
    """A read of every item and of the shape, in one step: for exploration
    a write of the shape, so that it is ordered against every item access
    (each reads the shape) as well as against the methods."""
    _shape(c, name, "cwhole")


def gi(c, k, name=""):
    if type(c) in _containers:
        if type(k) is slice:
            _whole(c, name)
        else:
            try:
                v = c[k]
            except Exception:  # noqa: the access below raises it again
                v = None
            _item(c, k, name, "read", short(v))
            _shape(c, name)
    return c[k]


def si(c, k, v, name=""):
    if type(c) in _containers:
        if type(k) is slice:
            _shape(c, name, "cwrite", "slice assignment")
        else:
            _item(c, k, name, "write", short(v))
            if isinstance(c, _MAPS) and k not in c:
                _shape(c, name, "cwrite", "new key")
            else:
                _shape(c, name)
    c[k] = v


def di(c, k, name=""):
    if type(c) in _containers:
        if type(k) is not slice:
            _item(c, k, name, "write", "<deleted>")
        _shape(c, name, "cwrite", "del")
    del c[k]


def mc(obj, method, name, *args, **kw):
    if type(obj) in _containers:
        if method in _mutators:
            _shape(obj, name, "cwrite", method)
        elif method == "get" and isinstance(obj, _MAPS) and args:
            try:
                v = obj.get(*args)
            except Exception:  # noqa
                v = None
            _item(obj, args[0], name, "read", short(v))
            _shape(obj, name)
        elif method in _readers:
            _whole(obj, name)
    return getattr(obj, method)(*args, **kw)


_len = len
_wholes = frozenset((sum, sorted, list, tuple, set, frozenset, min, max, any, all, dict, str, repr, print,
                     enumerate, zip, reversed, map, filter))


def cb(fn, names, *args, **kw):
    """A call of a builtin with containers among its arguments: len reads
    the shape, the others read every item."""
    if fn is _len:
        if args and type(args[0]) in _containers:
            _shape(args[0], names[0])
    elif fn in _wholes:
        for a, n in zip(args, names):
            if type(a) in _containers:
                _whole(a, n)
    return fn(*args, **kw)


def cin(x, c, name=""):
    """x in c: a dict's or a set's keys are its shape; a sequence's items are read."""
    if type(c) in _containers:
        if isinstance(c, (dict, set)):
            _shape(c, name)
        else:
            _whole(c, name)
    return x in c


def tt(v, name=""):
    """A truth test of a container reads its shape (its length)."""
    if type(v) in _containers:
        _shape(v, name)
    return v


def it(c, name=""):
    """The iteration of a container: before each element, a read of the
    item (a sequence's, by index, as its iterator reads it) and of the
    shape. CPython's own iterator runs, so its errors (a dict changed
    during iteration) are CPython's."""
    if type(c) not in _containers:
        return c
    return _each(c, name)


def _each(c, name):
    seq = type(c) in _SEQ
    i = 0
    for x in c:
        if seq:
            _item(c, i, name, "read", short(x))
        _shape(c, name)
        i += 1
        yield x
    _shape(c, name)


def rg(g, name):
    try:
        v = g[name]
    except KeyError:
        raise NameError("name %r is not defined" % name) from None
    if isinstance(v, _skip):
        return v
    _request("read", "%x:%s" % (id(g), name), name, short(v))
    return g[name]


def wg(g, name, v):
    if not isinstance(v, _skip):
        _request("write", "%x:%s" % (id(g), name), name, short(v))
    g[name] = v


def dg(g, name):
    _request("write", "%x:%s" % (id(g), name), name, "<deleted>")
    del g[name]


class _CellKey:
    """The identity of a closure cell: made when its function is entered,
    a cell itself, so the function and the nested ones that declare the
    name nonlocal key the same Var with it."""
    __slots__ = ()


def cell():
    return _CellKey()


def rc(value, key, name):
    """A read of a closure cell: value() reads it, after the step."""
    try:
        v = value()
    except NameError:
        v = "<unbound>"
    if isinstance(v, _skip):
        return v
    _request("read", "%x:cell" % id(key), name, short(v))
    return value()


def wc(key, name, v):
    if not isinstance(v, _skip):
        _request("write", "%x:cell" % id(key), name, short(v))


_iops = {"Add": operator.iadd, "Sub": operator.isub, "Mult": operator.imul, "Div": operator.itruediv,
         "FloorDiv": operator.ifloordiv, "Mod": operator.imod, "Pow": operator.ipow,
         "LShift": operator.ilshift, "RShift": operator.irshift, "BitOr": operator.ior,
         "BitXor": operator.ixor, "BitAnd": operator.iand, "MatMult": operator.imatmul}


def iop(op, a, b, name=""):
    """a op= b; a container changed in place (lst += [x], s |= t) writes its shape."""
    if type(a) in _containers:
        _shape(a, name, "cwrite", op)
    return _iops[op](a, b)


HELPERS = {"_ts_ga": ga, "_ts_sa": sa, "_ts_da": da, "_ts_gi": gi, "_ts_si": si, "_ts_di": di,
           "_ts_mc": mc, "_ts_rg": rg, "_ts_wg": wg, "_ts_dg": dg, "_ts_iop": iop, "_ts_cb": cb,
           "_ts_in": cin, "_ts_tt": tt, "_ts_it": it,
           "_ts_cell": cell, "_ts_rc": rc, "_ts_wc": wc}
