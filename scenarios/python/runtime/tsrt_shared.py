"""threadsim runtime: shared memory as steps.

The rewritten program calls these helpers for reads and writes of
attributes of its own objects, of its shared module globals, of items of
lists, dicts, sets and deques, and for those containers' mutating methods.
Each is a read or write step on a Go Var keyed by the object's identity
(one Var per attribute, one per container), named like
"FakeDatabase.value"; the access itself happens after the step is granted.
Attributes that hold modules, classes, functions, methods or threading
objects are not shared variables.
"""
import collections
import operator
import threading
import types

import tsrt_proto as P
from tsrt_prims import _Obj, short

user_modules = set()
_skip = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
         _Obj, threading.Thread, property, staticmethod, classmethod)
_containers = (list, dict, set, collections.deque, bytearray)
_mutators = frozenset(("append", "extend", "insert", "pop", "remove", "clear", "update", "add", "discard",
                       "setdefault", "popitem", "appendleft", "popleft", "extendleft", "sort", "reverse",
                       "rotate", "difference_update", "intersection_update", "symmetric_difference_update"))
_request = P.request


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


# An item of a list or dict (c[k]) is a variable of its own, named after
# the container's expression in the source ("ready[1]"); a mutating method
# (append, pop, update, ...) writes the container as a whole ("log").
# Items and the whole are distinct variables: an item access and a
# mutating method of the same container are not ordered against each
# other (a documented limit of the rewrite).


def _ikey(c, k):
    try:
        return "%x[%s]" % (id(c), short(k, 40))
    except Exception:  # noqa
        return "%x[]" % id(c)


def gi(c, k, name=""):
    if type(c) in _containers:
        try:
            v = c[k]
        except Exception:  # noqa: the access below raises it again
            v = None
        _request("read", _ikey(c, k), "%s[%s]" % (name, short(k, 20)), short(v))
    return c[k]


def si(c, k, v, name=""):
    if type(c) in _containers:
        _request("write", _ikey(c, k), "%s[%s]" % (name, short(k, 20)), short(v))
    c[k] = v


def di(c, k, name=""):
    if type(c) in _containers:
        _request("write", _ikey(c, k), "%s[%s]" % (name, short(k, 20)), "<deleted>")
    del c[k]


def mc(obj, method, name, *args, **kw):
    if type(obj) in _containers and method in _mutators:
        _request("write", "%x[]" % id(obj), name, method)
    return getattr(obj, method)(*args, **kw)


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


_iops = {"Add": operator.iadd, "Sub": operator.isub, "Mult": operator.imul, "Div": operator.itruediv,
         "FloorDiv": operator.ifloordiv, "Mod": operator.imod, "Pow": operator.ipow,
         "LShift": operator.ilshift, "RShift": operator.irshift, "BitOr": operator.ior,
         "BitXor": operator.ixor, "BitAnd": operator.iand, "MatMult": operator.imatmul}


def iop(op, a, b):
    return _iops[op](a, b)


HELPERS = {"_ts_ga": ga, "_ts_sa": sa, "_ts_da": da, "_ts_gi": gi, "_ts_si": si, "_ts_di": di,
           "_ts_mc": mc, "_ts_rg": rg, "_ts_wg": wg, "_ts_dg": dg, "_ts_iop": iop}
