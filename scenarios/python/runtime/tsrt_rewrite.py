"""threadsim runtime: the AST rewrite of the program's own modules.

Reads of attributes and subscripts become _ts_ga/_ts_gi calls; assignment,
augmented assignment, del, for and with targets that are attributes,
subscripts or shared globals are lowered to a temporary followed by
_ts_sa/_ts_si/_ts_wg; calls of container methods become _ts_mc, calls of
builtins that read containers (len, sum, sorted, print, ...) _ts_cb, `in`
_ts_in, truth tests of a name, attribute or item _ts_tt, and the iterable
of a for or a comprehension _ts_it (see tsrt_shared).
Shared globals are the names some function declares global; closure
cells are the locals a nested function declares nonlocal (_ts_rc/_ts_wc,
keyed by an object made when the function is entered). Names are
never renamed (zero-argument super() needs its __class__ cell), builtins
are untouched, and statements directly in a class body are left alone.
Locations are kept, so tracebacks and traces show the program's lines.
"""
import ast
import importlib.machinery
import importlib.util
import os
import sys

import tsrt_shared

_METHODS = tsrt_shared._mutators | tsrt_shared._readers
_BUILTINS = frozenset(("len", "sum", "sorted", "list", "tuple", "set", "frozenset", "min", "max", "any", "all",
                       "dict", "str", "repr", "print", "enumerate", "zip", "reversed", "map", "filter"))


def _shared_globals(tree):
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            names.update(node.names)
    return names


def _nested_nonlocals(fn):
    """Names declared nonlocal in the functions nested in fn."""
    out = set()
    for n in ast.walk(fn):
        if n is not fn and isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for m in ast.walk(n):
                if isinstance(m, ast.Nonlocal):
                    out.update(m.names)
    return out


def _locals_of(fn):
    """Names a function binds locally (parameters and stores), not declared
    global or nonlocal."""
    out, declared = set(), set()
    a = fn.args
    for arg in a.posonlyargs + a.args + a.kwonlyargs + [a.vararg, a.kwarg]:
        if arg is not None:
            out.add(arg.arg)
    stack = list(fn.body)
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.Global, ast.Nonlocal)):
            declared.update(n.names)
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
            continue
        if isinstance(n, ast.Lambda):
            continue
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            out.add(n.id)
        if isinstance(n, (ast.Import, ast.ImportFrom)):
            for al in n.names:
                out.add((al.asname or al.name).split(".")[0])
        stack.extend(ast.iter_child_nodes(n))
    return out - declared


def _label(node):
    """The container's expression as the source has it: a variable's name."""
    try:
        text = ast.unparse(node)
    except Exception:  # noqa
        return ast.Constant("")
    if len(text) > 30:
        text = text[:27] + "..."
    return ast.Constant(text)


def _call(name, *args):
    return ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=list(args), keywords=[])


def _name(id_, ctx=None):
    return ast.Name(id=id_, ctx=ctx or ast.Load())


_FRESH_CALLS = frozenset(("range", "sorted", "list", "tuple", "set", "frozenset", "dict", "enumerate", "zip",
                          "reversed", "map", "filter"))


def _fresh(node):
    """Whether node makes a new object that no other thread can hold yet."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp, ast.SetComp, ast.DictComp,
                         ast.GeneratorExp, ast.Constant, ast.JoinedStr)):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FRESH_CALLS


def _thunk(id_):
    """lambda: id_ (a closure cell read after its step)."""
    args = ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    return ast.Lambda(args=args, body=_name(id_))


class Rewriter(ast.NodeTransformer):
    def __init__(self, shared):
        self.shared = shared
        self.scopes = [set()]  # local names per function scope; module: none
        self.cells = [{}]  # per scope: closure cells shared with nonlocal -> their key's name
        self.n = 0
        self.class_depth = []  # True while directly in a class body

    # -- scopes
    def _is_shared(self, name):
        return name in self.shared and name not in self.scopes[-1] and name not in self.cells[-1]

    def _cell(self, name):
        """The name of the key of the closure cell name refers to, or None."""
        return self.cells[-1].get(name)

    def _temp(self):
        self.n += 1
        return "_ts_t%d" % self.n

    def visit_FunctionDef(self, node):
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.args = self.visit(node.args)
        local = _locals_of(node)
        # A local that a nested function declares nonlocal is a closure
        # cell shared with it: its key, a fresh object made on entry, is a
        # cell too, so both functions name the same Var.
        own = sorted(_nested_nonlocals(node) & local)
        cells = {n: k for n, k in self.cells[-1].items() if n not in local}
        cells.update({n: "_ts_k_" + n for n in own})
        self.scopes.append(local)
        self.cells.append(cells)
        self.class_depth.append(False)
        body = self._stmts(node.body)
        keys = [ast.Assign(targets=[_name("_ts_k_" + n, ast.Store())], value=_call("_ts_cell")) for n in own]
        doc = 1 if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str) else 0
        node.body = body[:doc] + self._fix(keys, node) + body[doc:]
        self.class_depth.pop()
        self.cells.pop()
        self.scopes.pop()
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        a = node.args
        params = {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs + [a.vararg, a.kwarg] if x is not None}
        self.scopes.append(self.scopes[-1] | params)
        self.cells.append({n: k for n, k in self.cells[-1].items() if n not in params})
        node.body = self.visit(node.body)
        self.cells.pop()
        self.scopes.pop()
        return node

    def visit_ClassDef(self, node):
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.bases = [self.visit(b) for b in node.bases]
        self.class_depth.append(True)
        node.body = [self.visit(s) if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else s
                     for s in node.body]
        self.class_depth.pop()
        return node

    def _stmts(self, body):
        out = []
        for s in body:
            r = self.visit(s)
            if r is None:
                continue
            if isinstance(r, list):
                out.extend(r)
            else:
                out.append(r)
        return out or [ast.Pass()]

    def generic_visit(self, node):
        for field, old in ast.iter_fields(node):
            if isinstance(old, list) and old and isinstance(old[0], ast.stmt):
                setattr(node, field, self._stmts(old))
            elif isinstance(old, list):
                new = []
                for v in old:
                    if isinstance(v, ast.AST):
                        v = self.visit(v)
                        if v is None:
                            continue
                    new.append(v)
                setattr(node, field, new)
            elif isinstance(old, ast.AST):
                setattr(node, field, self.visit(old))
        return node

    # -- expressions
    def visit_Attribute(self, node):
        if not isinstance(node.ctx, ast.Load):
            return node
        return ast.copy_location(_call("_ts_ga", self.visit(node.value), ast.Constant(node.attr)), node)

    def visit_Subscript(self, node):
        if not isinstance(node.ctx, ast.Load):
            return node
        label = _label(node.value)
        return ast.copy_location(_call("_ts_gi", self.visit(node.value), self.visit(node.slice), label), node)

    def visit_Name(self, node):
        key = self._cell(node.id)
        if isinstance(node.ctx, ast.Load) and key:
            return ast.copy_location(_call("_ts_rc", _thunk(node.id), _name(key), ast.Constant(node.id)), node)
        if isinstance(node.ctx, ast.Load) and self._is_shared(node.id):
            return ast.copy_location(_call("_ts_rg", _name("_ts_G"), ast.Constant(node.id)), node)
        return node

    def visit_Call(self, node):
        f = node.func
        if isinstance(f, ast.Attribute) and f.attr in _METHODS:
            args = [self.visit(f.value), ast.Constant(f.attr), _label(f.value)] + [self.visit(a) for a in node.args]
            call = ast.Call(func=_name("_ts_mc"), args=args, keywords=[self.visit(k) for k in node.keywords])
            return ast.copy_location(call, node)
        if (isinstance(f, ast.Name) and f.id in _BUILTINS and not self._is_shared(f.id)
                and not any(isinstance(a, ast.Starred) for a in node.args)):
            # the builtin, if the name still is one, reads its container arguments
            names = ast.Tuple(elts=[_label(a) for a in node.args], ctx=ast.Load())
            args = [f, names] + [self.visit(a) for a in node.args]
            call = ast.Call(func=_name("_ts_cb"), args=args, keywords=[self.visit(k) for k in node.keywords])
            return ast.copy_location(call, node)
        return self.generic_visit(node)

    def visit_Compare(self, node):
        if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.In, ast.NotIn)):
            return self.generic_visit(node)
        right = node.comparators[0]
        call = _call("_ts_in", self.visit(node.left), self.visit(right), _label(right))
        if isinstance(node.ops[0], ast.NotIn):
            call = ast.UnaryOp(op=ast.Not(), operand=call)
        return ast.copy_location(call, node)

    def _truth(self, test):
        """A truth test of a variable, attribute or item (a container's length)."""
        label = _label(test)
        test = self.visit(test)
        if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id in ("_ts_ga", "_ts_gi", "_ts_rg") \
                or isinstance(test, ast.Name):
            return ast.copy_location(_call("_ts_tt", test, label), test)
        return test

    def visit_If(self, node):
        node.test = self._truth(node.test)
        node.body = self._stmts(node.body)
        node.orelse = self._stmts(node.orelse) if node.orelse else []
        return node

    visit_While = visit_If

    def visit_IfExp(self, node):
        node.test = self._truth(node.test)
        node.body, node.orelse = self.visit(node.body), self.visit(node.orelse)
        return node

    def visit_BoolOp(self, node):
        node.values = [self._truth(v) for v in node.values]
        return node

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.Not):
            node.operand = self._truth(node.operand)
            return node
        return self.generic_visit(node)

    def _iterate(self, it):
        """The iterable of a for or a comprehension: _ts_it reads each
        element, unless the expression makes a new container no other
        thread can hold (a display, a comprehension, range, sorted(...))."""
        if _fresh(it):
            return self.visit(it)
        return ast.copy_location(_call("_ts_it", self.visit(it), _label(it)), it)

    def visit_comprehension(self, node):
        node.iter = self._iterate(node.iter)
        node.target = self.visit(node.target)
        node.ifs = [self._truth(i) for i in node.ifs]
        return node

    # -- targets
    def _lower(self, t, post):
        """Returns t with lowered parts replaced by temporaries; appends their stores to post."""
        if isinstance(t, ast.Attribute):
            tmp = self._temp()
            post.append(ast.Expr(_call("_ts_sa", self.visit(t.value), ast.Constant(t.attr), _name(tmp))))
            return _name(tmp, ast.Store())
        if isinstance(t, ast.Subscript):
            tmp = self._temp()
            label = _label(t.value)
            post.append(ast.Expr(_call("_ts_si", self.visit(t.value), self.visit(t.slice), _name(tmp), label)))
            return _name(tmp, ast.Store())
        if isinstance(t, ast.Name) and self._cell(t.id):
            tmp = self._temp()
            post.append(ast.Expr(_call("_ts_wc", _name(self._cell(t.id)), ast.Constant(t.id), _name(tmp))))
            post.append(ast.Assign(targets=[_name(t.id, ast.Store())], value=_name(tmp)))
            return _name(tmp, ast.Store())
        if isinstance(t, ast.Name) and self._is_shared(t.id):
            tmp = self._temp()
            post.append(ast.Expr(_call("_ts_wg", _name("_ts_G"), ast.Constant(t.id), _name(tmp))))
            return _name(tmp, ast.Store())
        if isinstance(t, (ast.Tuple, ast.List)):
            t.elts = [self._lower(e, post) for e in t.elts]
            return t
        if isinstance(t, ast.Starred):
            t.value = self._lower(t.value, post)
            return t
        return t

    def _fix(self, stmts, like):
        for s in stmts:
            ast.copy_location(s, like)
            ast.fix_missing_locations(s)
        return stmts

    def visit_Assign(self, node):
        node.value = self.visit(node.value)
        if self.class_depth and self.class_depth[-1]:
            return node
        post = []
        node.targets = [self._lower(t, post) for t in node.targets]
        return self._fix([node] + post, node)

    def visit_AnnAssign(self, node):
        if node.value is None or (self.class_depth and self.class_depth[-1]) or not node.simple and False:
            return node
        node.value = self.visit(node.value)
        post = []
        target = self._lower(node.target, post)
        if not post:
            return node
        return self._fix([ast.Assign(targets=[target], value=node.value)] + post, node)

    def visit_AugAssign(self, node):
        if self.class_depth and self.class_depth[-1]:
            return node
        op = ast.Constant(type(node.op).__name__)
        value = self.visit(node.value)
        t = node.target
        name = _label(t)  # a container changed in place (lst += ...) is named so
        pre = []
        if isinstance(t, ast.Attribute):
            o = self._temp()
            pre.append(ast.Assign(targets=[_name(o, ast.Store())], value=self.visit(t.value)))
            new = _call("_ts_iop", op, _call("_ts_ga", _name(o), ast.Constant(t.attr)), value, name)
            stmt = ast.Expr(_call("_ts_sa", _name(o), ast.Constant(t.attr), new))
        elif isinstance(t, ast.Subscript):
            o, k = self._temp(), self._temp()
            pre.append(ast.Assign(targets=[_name(o, ast.Store())], value=self.visit(t.value)))
            pre.append(ast.Assign(targets=[_name(k, ast.Store())], value=self.visit(t.slice)))
            label = _label(t.value)
            new = _call("_ts_iop", op, _call("_ts_gi", _name(o), _name(k), label), value, name)
            stmt = ast.Expr(_call("_ts_si", _name(o), _name(k), new, label))
        elif isinstance(t, ast.Name) and self._cell(t.id):
            key, tmp = self._cell(t.id), self._temp()
            read = _call("_ts_rc", _thunk(t.id), _name(key), ast.Constant(t.id))
            return self._fix([ast.Assign(targets=[_name(tmp, ast.Store())], value=_call("_ts_iop", op, read, value, name)),
                              ast.Expr(_call("_ts_wc", _name(key), ast.Constant(t.id), _name(tmp))),
                              ast.Assign(targets=[_name(t.id, ast.Store())], value=_name(tmp))], node)
        elif isinstance(t, ast.Name) and self._is_shared(t.id):
            new = _call("_ts_iop", op, _call("_ts_rg", _name("_ts_G"), ast.Constant(t.id)), value, name)
            stmt = ast.Expr(_call("_ts_wg", _name("_ts_G"), ast.Constant(t.id), new))
        else:  # a local: x = _ts_iop(op, x, value), so that a container it holds changed in place is a step
            call = _call("_ts_iop", op, _name(t.id), value, name)
            return self._fix([ast.Assign(targets=[_name(t.id, ast.Store())], value=call)], node)
        return self._fix(pre + [stmt], node)

    def visit_Delete(self, node):
        if self.class_depth and self.class_depth[-1]:
            return node
        out = []
        for t in node.targets:
            if isinstance(t, ast.Attribute):
                out.append(ast.Expr(_call("_ts_da", self.visit(t.value), ast.Constant(t.attr))))
            elif isinstance(t, ast.Subscript):
                label = _label(t.value)
                out.append(ast.Expr(_call("_ts_di", self.visit(t.value), self.visit(t.slice), label)))
            elif isinstance(t, ast.Name) and self._is_shared(t.id):
                out.append(ast.Expr(_call("_ts_dg", _name("_ts_G"), ast.Constant(t.id))))
            else:
                out.append(ast.Delete(targets=[t]))
        return self._fix(out, node)

    def visit_For(self, node):
        node.iter = self._iterate(node.iter)
        post = []
        node.target = self._lower(node.target, post)
        node.body = self._fix(post, node) + self._stmts(node.body)
        node.orelse = self._stmts(node.orelse) if node.orelse else []
        return node

    visit_AsyncFor = visit_For

    def visit_With(self, node):
        post = []
        for item in node.items:
            item.context_expr = self.visit(item.context_expr)
            if item.optional_vars is not None:
                item.optional_vars = self._lower(item.optional_vars, post)
        node.body = self._fix(post, node) + self._stmts(node.body)
        return node

    visit_AsyncWith = visit_With


def rewrite(source, filename):
    tree = ast.parse(source, filename)
    tree = Rewriter(_shared_globals(tree)).visit(tree)
    ast.fix_missing_locations(tree)
    return compile(tree, filename, "exec", dont_inherit=True)


def prepare(module_dict, name):
    tsrt_shared.user_modules.add(name)
    module_dict.update(tsrt_shared.HELPERS)
    module_dict["_ts_G"] = module_dict


class _Loader(importlib.machinery.SourceFileLoader):
    def source_to_code(self, data, path, *, _optimize=-1):
        return rewrite(data, path)

    def exec_module(self, module):
        prepare(module.__dict__, module.__name__)
        super().exec_module(module)

    def get_code(self, fullname):
        # never read or write bytecode caches: always rewrite
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)


class Finder:
    """Rewrites the modules found in the program's directory."""

    def __init__(self, root):
        self.root = os.path.abspath(root) + os.sep

    def find_spec(self, name, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return spec
        if not os.path.abspath(spec.origin).startswith(self.root):
            return spec
        return importlib.util.spec_from_file_location(name, spec.origin, loader=_Loader(name, spec.origin),
                                                      submodule_search_locations=spec.submodule_search_locations)
