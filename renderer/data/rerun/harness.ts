/**
 * The Python side of a test re-run: a harness that loads a unit's code, lists its tests and runs
 * them one at a time, each call returning JSON. Shipped as text so the same source runs in Pyodide
 * (browser worker, Node worker thread) and in native CPython (the reference and the bench).
 *
 * The JavaScript side (`session.ts`) calls `rl_prepare(request_json)`, then `rl_run(i)` for each
 * test, then `rl_finish()`; between calls it can stop the worker, which is how a test that never
 * returns is ended. Everything a unit changes in the interpreter (modules, builtins, the working
 * folder, recursion limit, streams) is put back by `rl_finish`, so the next unit starts clean.
 */

/** Bumped whenever the harness or the way tests are judged changes: cached results are keyed on it. */
export const RUNNER_VERSION = 'rerun-2'

export const HARNESS_SOURCE = String.raw`
# The harness's own copy of the builtins: code under test that replaces len, print or
# AssertionError changes what it sees, never how the harness judges it.
globals()['__builtins__'] = dict(__import__('builtins').__dict__)
import builtins as _b, io as _io, json as _json, os as _os, sys as _sys, traceback as _tb, types as _types
import importlib.abc as _iabc, importlib.machinery as _imach, math as _math, shutil as _shutil

_OUTPUT_LIMIT = 4000
# Stdout kept whole for comparing a program's output with the expected one (stdin/stdout tests).
_PROGRAM_OUTPUT_LIMIT = 1 << 20
_BLOCKED = (
    'socket', '_socket', 'ssl', '_ssl', 'select', 'selectors', 'subprocess', '_posixsubprocess',
    'multiprocessing', '_multiprocessing', 'ctypes', '_ctypes', 'js', 'pyodide', 'pyodide_js',
    '_pyodide', '_pyodide_core', 'pyodide_http', 'micropip', 'urllib.request', 'http.client',
    'ftplib', 'smtplib', 'poplib', 'imaplib', 'telnetlib', 'webbrowser', 'asyncio',
)


def _blocked(name):
    return any(name == b or name.startswith(b + '.') for b in _BLOCKED)


class SandboxRefused(ImportError):
    pass


class _Refuse(_iabc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if _blocked(name):
            raise SandboxRefused(
                "import of '%s' refused: tests run in RewardLens's sandbox, without network, "
                "processes or access to the page" % name, name=name)
        return None


class _Capture(_io.TextIOBase):
    """A stream that keeps the first characters written and counts the rest."""

    def __init__(self, limit):
        self.limit, self.parts, self.kept, self.dropped = limit, [], 0, 0

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not %s' % type(s).__name__)
        room = self.limit - self.kept
        if room > 0:
            self.parts.append(s[:room])
            self.kept += min(room, len(s))
        self.dropped += max(0, len(s) - max(room, 0))
        return len(s)

    def text(self):
        return ''.join(self.parts)

    def shown(self):
        t = self.text()
        return t + ('\n… %d more characters not kept' % self.dropped if self.dropped else '')


class _Exit(SystemExit):
    pass


def _hard_exit(code=0):
    raise _Exit('os._exit(%r) was called' % (code,))


_state = {}
_dumps, _loads = _json.dumps, _json.loads
_format_exception, _format_exception_only = _tb.format_exception, _tb.format_exception_only


def _compile(source, filename):
    import linecache
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    _state.setdefault('files', []).append(filename)
    return compile(source, filename, 'exec')


def _describe(e):
    if isinstance(e, _Exit):
        return str(e)
    if isinstance(e, SystemExit):
        return 'the code called exit(%r)' % (e.code,)
    if isinstance(e, RecursionError):
        return 'RecursionError: %s' % e
    if isinstance(e, MemoryError):
        return 'MemoryError: the code ran out of memory'
    text = ''.join(_format_exception_only(type(e), e)).strip()
    return text[:_OUTPUT_LIMIT]


def _traceback(e):
    lines = _format_exception(type(e), e, e.__traceback__)
    # Drop the harness's own frames: the person reads the code's and the test's.
    kept = [l for l in lines if '<rl-harness>' not in l]
    text = ''.join(kept)
    return text if len(text) <= 3 * _OUTPUT_LIMIT else text[:_OUTPUT_LIMIT] + '\n…\n' + text[-2 * _OUTPUT_LIMIT:]


# ---------------------------------------------------------------- what wasm32 and the offline bundle lack

# Pyodide is 32-bit: len(range(10**16)) overflows, so bisect over a huge range (a common binary
# search idiom) fails where 64-bit CPython succeeds. The same search, in Python, for that case only.
import bisect as _bisect


def _wide_bisect(fast, right):
    def search(a, x, lo=0, hi=None, *, key=None):
        if hi is None:
            try:
                hi = len(a)
            except OverflowError:
                if not isinstance(a, range):
                    raise
                hi = max(0, -((a.start - a.stop) // a.step))
            else:
                return fast(a, x, lo, hi, key=key)
        elif hi <= _sys.maxsize:
            return fast(a, x, lo, hi, key=key)
        while lo < hi:
            mid = (lo + hi) // 2
            v = a[mid] if key is None else key(a[mid])
            if (x < v) if right else not (v < x):
                hi = mid
            else:
                lo = mid + 1
        return lo
    search.__name__ = fast.__name__
    search.__doc__ = fast.__doc__
    return search


_bisect.bisect_left = _wide_bisect(_bisect.bisect_left, False)
_bisect.bisect_right = _bisect.bisect = _wide_bisect(_bisect.bisect_right, True)

# sortedcontainers is a package, not the standard library, and many LeetCode solutions use it;
# Pyodide would fetch it from a CDN. This is our own small equivalent of its common API, offered
# only when the real package cannot be imported.
_SORTED_SOURCE = """
from bisect import bisect_left as _bl, bisect_right as _br, insort as _insort


class SortedList:
    def __init__(self, iterable=(), key=None):
        self._key = key
        self._items = sorted(iterable, key=key) if key else sorted(iterable)
        self._keys = [key(v) for v in self._items] if key else self._items

    key = property(lambda self: self._key)

    def _k(self, v):
        return self._key(v) if self._key else v

    def add(self, value):
        k = self._k(value)
        i = _br(self._keys, k)
        self._items.insert(i, value)
        if self._key:
            self._keys.insert(i, k)

    def update(self, iterable):
        for v in iterable:
            self.add(v)

    def clear(self):
        self._items.clear()
        if self._key:
            self._keys.clear()

    def _find(self, value):
        k = self._k(value)
        i = _bl(self._keys, k)
        while i < len(self._items) and self._keys[i] == k:
            if self._items[i] == value:
                return i
            i += 1
        return -1

    def __contains__(self, value):
        return self._find(value) >= 0

    def discard(self, value):
        i = self._find(value)
        if i >= 0:
            del self[i]

    def remove(self, value):
        i = self._find(value)
        if i < 0:
            raise ValueError('%r not in list' % (value,))
        del self[i]

    def pop(self, index=-1):
        v = self._items.pop(index)
        if self._key:
            self._keys.pop(index)
        return v

    def __delitem__(self, index):
        del self._items[index]
        if self._key:
            del self._keys[index]

    def __getitem__(self, index):
        return self._items[index]

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def __reversed__(self):
        return reversed(self._items)

    def __eq__(self, other):
        return list(self) == list(other)

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, self._items)

    def bisect_left(self, value):
        return _bl(self._keys, self._k(value))

    def bisect_right(self, value):
        return _br(self._keys, self._k(value))

    bisect = bisect_right

    def bisect_key_left(self, k):
        return _bl(self._keys, k)

    def bisect_key_right(self, k):
        return _br(self._keys, k)

    bisect_key = bisect_key_right

    def count(self, value):
        return sum(1 for v in self._items[self.bisect_left(value):self.bisect_right(value)] if v == value)

    def index(self, value, start=None, stop=None):
        i = self._find(value)
        if i < 0:
            raise ValueError('%r not in list' % (value,))
        return i

    def irange(self, minimum=None, maximum=None, inclusive=(True, True), reverse=False):
        lo = 0 if minimum is None else (_bl if inclusive[0] else _br)(self._keys, self._k(minimum))
        hi = len(self) if maximum is None else (_br if inclusive[1] else _bl)(self._keys, self._k(maximum))
        part = self._items[lo:hi]
        return iter(reversed(part) if reverse else part)

    def islice(self, start=None, stop=None, reverse=False):
        part = self._items[start:stop]
        return iter(reversed(part) if reverse else part)

    def copy(self):
        return type(self)(self._items, key=self._key)

    __copy__ = copy

    def __add__(self, other):
        return type(self)(list(self) + list(other), key=self._key)


class SortedKeyList(SortedList):
    pass


class SortedSet:
    def __init__(self, iterable=(), key=None):
        self._set = set(iterable)
        self._list = SortedList(self._set, key=key)

    def add(self, value):
        if value not in self._set:
            self._set.add(value)
            self._list.add(value)

    def update(self, iterable):
        for v in iterable:
            self.add(v)

    def discard(self, value):
        if value in self._set:
            self._set.discard(value)
            self._list.remove(value)

    def remove(self, value):
        if value not in self._set:
            raise KeyError(value)
        self.discard(value)

    def pop(self, index=-1):
        v = self._list.pop(index)
        self._set.discard(v)
        return v

    def __contains__(self, value):
        return value in self._set

    def __len__(self):
        return len(self._set)

    def __iter__(self):
        return iter(self._list)

    def __reversed__(self):
        return reversed(self._list)

    def __getitem__(self, index):
        return self._list[index]

    def __repr__(self):
        return 'SortedSet(%r)' % (list(self._list),)

    def __getattr__(self, name):
        return getattr(self._list, name)


class SortedDict(dict):
    def __init__(self, *args, **kwargs):
        key = args[0] if args and callable(args[0]) else None
        if key is not None:
            args = args[1:]
        super().__init__(*args, **kwargs)
        self._list = SortedList(super().keys(), key=key)

    def __setitem__(self, k, v):
        if not dict.__contains__(self, k):
            self._list.add(k)
        super().__setitem__(k, v)

    def __delitem__(self, k):
        super().__delitem__(k)
        self._list.remove(k)

    def setdefault(self, k, default=None):
        if k not in self:
            self[k] = default
        return self[k]

    def update(self, *args, **kwargs):
        for k, v in dict(*args, **kwargs).items():
            self[k] = v

    def pop(self, k, *default):
        if k in self:
            v = super().pop(k)
            self._list.remove(k)
            return v
        if default:
            return default[0]
        raise KeyError(k)

    def popitem(self, index=-1):
        k = self._list.pop(index)
        return k, super().pop(k)

    def peekitem(self, index=-1):
        k = self._list[index]
        return k, self[k]

    def clear(self):
        super().clear()
        self._list.clear()

    def __iter__(self):
        return iter(self._list)

    def __reversed__(self):
        return reversed(self._list)

    def keys(self):
        return SortedList(self._list)

    def values(self):
        return [self[k] for k in self._list]

    def items(self):
        return [(k, self[k]) for k in self._list]

    def copy(self):
        return SortedDict(self.items())

    def __repr__(self):
        return 'SortedDict(%r)' % (dict(self.items()),)

    def __getattr__(self, name):
        return getattr(self._list, name)
"""


class _Provide(_iabc.MetaPathFinder, _iabc.Loader):
    SOURCES = {'sortedcontainers': _SORTED_SOURCE}

    def find_spec(self, name, path=None, target=None):
        if name not in self.SOURCES:
            return None
        for finder in _sys.meta_path:
            if finder is self or isinstance(finder, _Refuse):
                continue
            spec = getattr(finder, 'find_spec', lambda *a: None)(name, path, target)
            if spec is not None:
                return spec
        return _imach.ModuleSpec(name, self)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(compile(self.SOURCES[module.__name__], '<%s (RewardLens)>' % module.__name__, 'exec'), module.__dict__)


# ---------------------------------------------------------------- the pytest-compatible runner


def _make_pytest():
    pt = _types.ModuleType('pytest')
    pt.__doc__ = "RewardLens's small pytest-compatible runner (raises, approx, mark, fixture)"

    class Skipped(Exception):
        pass

    class Failed(AssertionError):
        pass

    class XFailed(Exception):
        pass

    def skip(reason='', **kw):
        raise Skipped(reason)

    def fail(reason='', pytrace=True):
        raise Failed(reason)

    def xfail(reason=''):
        raise XFailed(reason)

    def importorskip(name, *a, **kw):
        try:
            return __import__(name, fromlist=['_'])
        except ImportError:
            raise Skipped('could not import %r' % name)

    class ExceptionInfo:
        def __init__(self):
            self.type = self.value = self.tb = None

        def match(self, pattern):
            import re
            if not re.search(pattern, str(self.value)):
                raise AssertionError('Regex pattern %r does not match %r.' % (pattern, str(self.value)))
            return True

        @property
        def typename(self):
            return self.type.__name__

    class RaisesContext:
        def __init__(self, expected, match):
            self.expected, self.pattern, self.info = expected, match, ExceptionInfo()

        def __enter__(self):
            return self.info

        def __exit__(self, et, ev, tb):
            if et is None:
                raise Failed('DID NOT RAISE %r' % (self.expected,))
            if not issubclass(et, self.expected):
                return False
            self.info.type, self.info.value, self.info.tb = et, ev, tb
            if self.pattern is not None:
                self.info.match(self.pattern)
            return True

    def raises(expected, *args, match=None, **kwargs):
        if args:
            with RaisesContext(expected, match) as info:
                args[0](*args[1:], **kwargs)
            return info
        return RaisesContext(expected, match)

    class ApproxBase:
        def __init__(self, expected, rel=None, abs=None, nan_ok=False):
            self.expected, self.rel, self.abs, self.nan_ok = expected, rel, abs, nan_ok

        def _close(self, a, b):
            if isinstance(b, (list, tuple)) and not isinstance(b, str):
                return isinstance(a, (list, tuple)) and len(a) == len(b) and all(
                    self._close(x, y) for x, y in zip(a, b))
            if isinstance(b, dict):
                return isinstance(a, dict) and a.keys() == b.keys() and all(
                    self._close(a[k], b[k]) for k in b)
            if not isinstance(b, (int, float, complex)) or isinstance(b, bool):
                return a == b
            try:
                if a == b:
                    return True
                if _math.isnan(abs(b)):
                    return self.nan_ok and _math.isnan(abs(a))
                if _math.isinf(abs(b)):
                    return False
                absolute = 1e-12 if self.abs is None else self.abs
                relative = (1e-6 if self.rel is None else self.rel) * abs(b)
                if self.rel is None and self.abs is not None:
                    relative = 0
                return abs(a - b) <= max(relative, absolute)
            except TypeError:
                return False

        def __eq__(self, actual):
            return self._close(actual, self.expected)

        def __ne__(self, actual):
            return not self.__eq__(actual)

        __hash__ = None

        def __repr__(self):
            return 'approx(%r)' % (self.expected,)

    def approx(expected, rel=None, abs=None, nan_ok=False):
        return ApproxBase(expected, rel, abs, nan_ok)

    class Mark:
        def __init__(self, name, args, kwargs):
            self.name, self.args, self.kwargs = name, args, kwargs

    class MarkDecorator:
        def __init__(self, name, args=(), kwargs=None):
            self.name, self.args, self.kwargs = name, args, kwargs or {}

        def __call__(self, *args, **kwargs):
            if len(args) == 1 and not kwargs and callable(args[0]):
                target = args[0]
                marks = list(getattr(target, 'pytestmark', []))
                marks.append(Mark(self.name, self.args, self.kwargs))
                target.pytestmark = marks
                return target
            return MarkDecorator(self.name, args, kwargs)

    class MarkGenerator:
        def __getattr__(self, name):
            if name.startswith('_'):
                raise AttributeError(name)
            return MarkDecorator(name)

    class Param:
        def __init__(self, values, marks=(), id=None):
            self.values, self.marks, self.id = values, marks, id

    def param(*values, marks=(), id=None):
        return Param(values, marks, id)

    class FixtureDef:
        def __init__(self, func, params=None, autouse=False, name=None):
            self.func, self.params, self.autouse, self.name = func, params, autouse, name or func.__name__

    def fixture(func=None, *, scope='function', params=None, autouse=False, ids=None, name=None):
        def wrap(f):
            f._rl_fixture = FixtureDef(f, params, autouse, name)
            return f
        return wrap(func) if callable(func) else wrap

    def main(*a, **kw):
        return 0

    pt.skip, pt.fail, pt.xfail, pt.importorskip = skip, fail, xfail, importorskip
    pt.skip.Exception, pt.fail.Exception = Skipped, Failed
    pt.raises, pt.approx, pt.mark, pt.param, pt.fixture, pt.main = raises, approx, MarkGenerator(), param, fixture, main
    pt.ExceptionInfo = ExceptionInfo
    pt._Skipped, pt._Failed, pt._XFailed = Skipped, Failed, XFailed
    return pt


class _MonkeyPatch:
    def __init__(self):
        self._undo = []

    def setattr(self, target, name, value=None, raising=True):
        if isinstance(target, str) and value is None:
            module, _, attr = target.rpartition('.')
            target, name, value = __import__(module, fromlist=['_']), attr, name
        old = getattr(target, name, _MonkeyPatch)
        self._undo.append(lambda: delattr(target, name) if old is _MonkeyPatch else setattr(target, name, old))
        setattr(target, name, value)

    def delattr(self, target, name, raising=True):
        if not hasattr(target, name):
            if raising:
                raise AttributeError(name)
            return
        old = getattr(target, name)
        self._undo.append(lambda: setattr(target, name, old))
        delattr(target, name)

    def setitem(self, d, key, value):
        old = d.get(key, _MonkeyPatch)
        self._undo.append(lambda: d.pop(key, None) if old is _MonkeyPatch else d.__setitem__(key, old))
        d[key] = value

    def delitem(self, d, key, raising=True):
        if key not in d:
            if raising:
                raise KeyError(key)
            return
        old = d[key]
        self._undo.append(lambda: d.__setitem__(key, old))
        del d[key]

    def setenv(self, name, value, prepend=None):
        self.setitem(_os.environ, name, str(value))

    def delenv(self, name, raising=True):
        self.delitem(_os.environ, name, raising)

    def chdir(self, path):
        old = _os.getcwd()
        self._undo.append(lambda: _os.chdir(old))
        _os.chdir(path)

    def undo(self):
        for f in reversed(self._undo):
            f()
        self._undo = []


class _CaptureFixture:
    def readouterr(self):
        out, err = _state['out'], _state['err']
        result = _CaptureResult(out.text(), err.text())
        out.parts, out.kept, err.parts, err.kept = [], 0, [], 0
        return result


class _CaptureResult(tuple):
    def __new__(cls, out, err):
        self = tuple.__new__(cls, (out, err))
        self.out, self.err = out, err
        return self


def _param_id(value, argname, i):
    if isinstance(value, (str, int, float, bool)) or value is None:
        text = str(value)
        return text if len(text) <= 40 else '%s%d' % (argname, i)
    return '%s%d' % (argname, i)


def _expand(name, func):
    """A test function's cases: (id, kwargs, marks) for each parametrize combination."""
    import inspect
    cases = [('', {}, [])]
    marks = list(getattr(func, 'pytestmark', []))
    for mark in reversed([m for m in marks if m.name == 'parametrize']):
        names, values = mark.args[0], mark.args[1] if len(mark.args) > 1 else mark.kwargs.get('argvalues')
        ids = mark.kwargs.get('ids')
        names = [n.strip() for n in names.split(',')] if isinstance(names, str) else list(names)
        expanded = []
        for id0, kw0, m0 in cases:
            for i, v in enumerate(values):
                extra = []
                if hasattr(v, 'values') and hasattr(v, 'marks') and hasattr(v, 'id'):
                    extra, pid, v = list(v.marks) if isinstance(v.marks, (list, tuple)) else [v.marks], v.id, v.values
                    v = v if len(names) > 1 else v[0]
                else:
                    pid = None
                vals = list(v) if len(names) > 1 else [v]
                if pid is None:
                    pid = ids[i] if isinstance(ids, (list, tuple)) and i < len(ids) else '-'.join(
                        _param_id(x, n, i) for x, n in zip(vals, names))
                kw = dict(kw0)
                kw.update(zip(names, vals))
                expanded.append((id0 + ('-' if id0 else '') + str(pid), kw, m0 + extra))
        cases = expanded
    return [(name + ('[%s]' % cid if cid else ''), kw, [m for m in marks if m.name != 'parametrize'] + em)
            for cid, kw, em in cases]


def _collect_pytest(mod, filename):
    import inspect, unittest
    tests = []
    for name, obj in list(vars(mod).items()):
        if inspect.isfunction(obj) and name.startswith('test') and obj.__code__.co_filename == filename:
            for tid, kw, marks in _expand(name, obj):
                tests.append((tid, ('function', obj, kw, marks)))
        elif inspect.isclass(obj) and getattr(obj, '__module__', None) == mod.__name__:
            if issubclass(obj, unittest.TestCase):
                for mname in unittest.TestLoader().getTestCaseNames(obj):
                    tests.append(('%s::%s' % (name, mname), ('unittest', obj, mname, [])))
            elif name.startswith('Test') and '__init__' not in vars(obj):
                for mname in dir(obj):
                    meth = getattr(obj, mname, None)
                    if mname.startswith('test') and callable(meth):
                        for tid, kw, marks in _expand(mname, meth):
                            tests.append(('%s::%s' % (name, tid), ('method', obj, mname, kw, marks)))
    return tests


def _call_with_fixtures(func, kwargs, mod, bound=None):
    """Calls a test, giving each parameter a fixture of that name; tears the fixtures down after."""
    import inspect
    teardown, cache = [], {}

    def resolve(name):
        if name in cache:
            return cache[name]
        if name == 'capsys' or name == 'capfd':
            value = _CaptureFixture()
        elif name == 'monkeypatch':
            value = _MonkeyPatch()
            teardown.append(value.undo)
        elif name in ('tmp_path', 'tmpdir'):
            import pathlib, tempfile
            value = pathlib.Path(tempfile.mkdtemp(dir=_state['scratch']))
        elif name == 'request':
            value = _types.SimpleNamespace(param=None, node=None)
        else:
            fx = getattr(mod, name, None)
            fdef = getattr(fx, '_rl_fixture', None)
            if fdef is None:
                for v in vars(mod).values():
                    d = getattr(v, '_rl_fixture', None)
                    if d is not None and d.name == name:
                        fdef = d
                        break
            if fdef is None:
                raise LookupError("fixture '%s' not found" % name)
            value = call(fdef.func)
            if inspect.isgenerator(value):
                gen = value
                value = next(gen)
                teardown.append(lambda g=gen: next(g, None))
        cache[name] = value
        return value

    def call(f, given=None, skip_first=False):
        params = list(inspect.signature(f).parameters.values())
        args = {}
        for p in params:
            if given and p.name in given:
                args[p.name] = given[p.name]
            elif p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
                args[p.name] = resolve(p.name)
        return f(**args)

    try:
        for v in list(vars(mod).values()):
            d = getattr(v, '_rl_fixture', None)
            if d is not None and d.autouse:
                resolve(d.name)
        call(bound or func, kwargs)
    finally:
        for f in reversed(teardown):
            f()


def _with_optional(f, arg):
    """Calls setup_method/teardown_method with the test method when it takes one, as pytest does."""
    import inspect
    try:
        takes = len(inspect.signature(f).parameters) > 0
    except (TypeError, ValueError):
        takes = True
    return f(arg) if takes else f()


def _run_pytest_case(spec, mod):
    kind = spec[0]
    pt = _state['pytest']
    marks = spec[-1]
    for m in marks:
        if m.name == 'skip':
            raise pt._Skipped(m.kwargs.get('reason', ''))
        if m.name == 'skipif' and m.args and m.args[0]:
            raise pt._Skipped(m.kwargs.get('reason', ''))
    xfail = any(m.name == 'xfail' for m in marks)
    try:
        if kind == 'function':
            _call_with_fixtures(spec[1], spec[2], mod)
        elif kind == 'method':
            inst = spec[1]()
            setup, teardown = getattr(inst, 'setup_method', None), getattr(inst, 'teardown_method', None)
            meth = getattr(inst, spec[2])
            if setup:
                _with_optional(setup, meth)
            try:
                _call_with_fixtures(meth, spec[3], mod, meth)
            finally:
                if teardown:
                    _with_optional(teardown, meth)
        else:
            import unittest
            result = unittest.TestResult()
            spec[1](spec[2]).run(result)
            problems = result.failures + result.errors
            if problems:
                raise AssertionError(problems[0][1]) if result.failures else RuntimeError(problems[0][1])
            if result.skipped:
                raise pt._Skipped(result.skipped[0][1])
    except pt._XFailed:
        raise pt._Skipped('xfail')
    except BaseException as e:
        if xfail and not isinstance(e, (KeyboardInterrupt, pt._Skipped)):
            raise pt._Skipped('xfail')
        raise


# ---------------------------------------------------------------- stdin/stdout comparisons


def _same_output(actual, expected):
    if isinstance(expected, list):
        expected = '\n'.join(str(x) for x in expected)
    a = [l.rstrip() for l in actual.strip().splitlines()]
    b = [l.rstrip() for l in str(expected).strip().splitlines()]
    if a == b:
        return True
    ta, tb = ' '.join(a).split(), ' '.join(b).split()
    if len(ta) != len(tb):
        return False
    for x, y in zip(ta, tb):
        if x == y:
            continue
        try:
            if abs(float(x) - float(y)) > 1e-6 * max(1.0, abs(float(y))):
                return False
        except ValueError:
            return False
    return True


def _normal(v):
    if isinstance(v, tuple):
        return [_normal(x) for x in v]
    if isinstance(v, list):
        return [_normal(x) for x in v]
    if isinstance(v, dict):
        return {k: _normal(x) for k, x in v.items()}
    return v


def _same_value(actual, expected):
    a = _normal(actual)
    return a == expected or [a] == expected or (isinstance(expected, list) and len(expected) == 1 and a == expected[0])


# ---------------------------------------------------------------- state kept and put back


def _snapshot():
    return {
        'modules': dict(_sys.modules),
        'dicts': {n: dict(m.__dict__) for n, m in list(_sys.modules.items()) if m is not None and hasattr(m, '__dict__')},
        'meta_path': list(_sys.meta_path),
        'path': list(_sys.path),
        'argv': list(_sys.argv),
        'cwd': _os.getcwd(),
        'recursion': _sys.getrecursionlimit(),
        'environ': dict(_os.environ),
        'streams': (_sys.stdin, _sys.stdout, _sys.stderr),
    }


def _restore(snap):
    _sys.stdin, _sys.stdout, _sys.stderr = snap['streams']
    for name in [n for n in _sys.modules if n not in snap['modules']]:
        del _sys.modules[name]
    _sys.modules.update(snap['modules'])
    for name, saved in snap['dicts'].items():
        m = snap['modules'][name]
        d = m.__dict__
        if len(d) != len(saved) or any(d.get(k, _restore) is not v for k, v in saved.items()):
            d.clear()
            d.update(saved)
    _sys.meta_path[:] = snap['meta_path']
    _sys.path[:] = snap['path']
    _sys.argv[:] = snap['argv']
    _sys.setrecursionlimit(snap['recursion'])
    _os.environ.clear()
    _os.environ.update(snap['environ'])
    try:
        _os.chdir(snap['cwd'])
    except OSError:
        pass


_runs = [0]


def rl_prepare(request_json):
    """Loads a unit's code and tests; answers the names of its tests and any load error."""
    req = _loads(request_json)
    snap = _snapshot()
    _runs[0] += 1
    scratch = '/tmp/rl-run-%d-%d' % (_os.getpid(), _runs[0])
    _os.makedirs(scratch, exist_ok=True)
    _os.chdir(scratch)
    for name in [n for n in _sys.modules if _blocked(n)]:
        del _sys.modules[name]
    _sys.meta_path.insert(0, _Refuse())
    _sys.meta_path.append(_Provide())
    _sys.path[:] = [scratch] + [p for p in _sys.path if p.startswith(_sys.prefix) or p.startswith(_sys.base_prefix) or 'python' in p]
    _sys.argv[:] = ['solution.py']
    import posix as _posix
    _os._exit = _posix._exit = _hard_exit
    out, err = _Capture(_OUTPUT_LIMIT), _Capture(_OUTPUT_LIMIT)
    pt = _make_pytest()
    _state.clear()
    _state.update(req=req, snap=snap, scratch=scratch, out=out, err=err, pytest=pt, tests=[], load_error=None,
                  load_output='')
    _sys.modules['pytest'] = pt
    _sys.stdin, _sys.stdout, _sys.stderr = _io.StringIO(''), out, err
    kind = req['kind']
    try:
        if kind == 'asserts':
            ns = {'__name__': '__main__', '__builtins__': _b}
            _state['ns'] = ns
            if req.get('setup'):
                exec(_compile(req['setup'], 'setup.py'), ns)
            exec(_compile(req['code'], 'solution.py'), ns)
            _state['tests'] = [(t, t) for t in req['tests']]
        elif kind == 'check':
            ns = {'__name__': '__main__', '__builtins__': _b}
            _state['ns'] = ns
            source = (req.get('setup') or '') + '\n' + req['code'] + '\n\n' + req['tests']
            exec(_compile(source, 'solution.py'), ns)
            entry = req.get('entryPoint') or 'candidate'
            _state['tests'] = [('check(%s)' % entry, entry)]
        elif kind == 'pytest':
            sol = _types.ModuleType('solution')
            sol.__file__ = scratch + '/solution.py'
            _sys.modules['solution'] = sol
            exec(_compile(req['code'], sol.__file__), sol.__dict__)
            test = _types.ModuleType('test_solution')
            filename = scratch + '/test_solution.py'
            test.__file__ = filename
            public = getattr(sol, '__all__', None) or [n for n in vars(sol) if not n.startswith('_')]
            for n in public:
                if hasattr(sol, n):
                    setattr(test, n, getattr(sol, n))
            _sys.modules['test_solution'] = test
            _state['ns'] = test
            exec(_compile(req['tests'], filename), test.__dict__)
            _state['tests'] = _collect_pytest(test, filename)
        elif kind == 'stdio':
            cases = req['tests']
            ins, outs = cases.get('inputs') or [], cases.get('outputs') or []
            fn = cases.get('fn_name')
            if fn:
                ns = {'__name__': 'solution', '__builtins__': _b}
                _state['ns'] = ns
                exec(_compile(req['code'], 'solution.py'), ns)
                if fn in ns:
                    target = ns[fn]
                elif 'Solution' in ns:
                    target = getattr(ns['Solution'](), fn)
                else:
                    raise NameError("the code defines no function '%s'" % fn)
                _state['call'] = target
            else:
                _state['program'] = _compile(req['code'], 'solution.py')
            _state['tests'] = [('case %d' % (i + 1), (i, ins[i], outs[i] if i < len(outs) else None))
                               for i in range(len(ins))]
        else:
            raise ValueError('unknown test kind %r' % kind)
    except BaseException as e:
        _state['load_error'] = {'message': _describe(e), 'traceback': _traceback(e)}
        if not _state['tests']:
            if kind == 'asserts':
                _state['tests'] = [(t, t) for t in req.get('tests') or []]
            elif kind == 'stdio':
                n = len((req['tests'] or {}).get('inputs') or [])
                _state['tests'] = [('case %d' % (i + 1), None) for i in range(n)]
            elif kind == 'check':
                _state['tests'] = [('check(%s)' % (req.get('entryPoint') or 'candidate'), None)]
            else:
                _state['tests'] = [('test_solution.py (collection)', None)]
    _state['load_output'] = out.shown() + err.shown()
    out.parts, out.kept, out.dropped, err.parts, err.kept, err.dropped = [], 0, 0, [], 0, 0
    return _dumps({'tests': [t[0] for t in _state['tests']], 'loadError': _state['load_error']})


def _result(status, message=None, trace=None):
    out, err = _state['out'], _state['err']
    r = {'status': status, 'message': message, 'traceback': trace, 'stdout': out.shown(), 'stderr': err.shown()}
    out.parts, out.kept, out.dropped, err.parts, err.kept, err.dropped = [], 0, 0, [], 0, 0
    return r


def rl_run(index):
    """Runs one test; answers its status, the failing assertion or traceback, and its output."""
    name, spec = _state['tests'][index]
    kind = _state['req']['kind']
    pt = _state['pytest']
    _sys.stdin, _sys.stdout, _sys.stderr = _io.StringIO(''), _state['out'], _state['err']
    if _state['load_error'] is not None:
        e = _state['load_error']
        return _dumps(dict(_result('error', 'the code could not be loaded: ' + e['message'], e['traceback']), name=name))
    try:
        if kind == 'asserts':
            exec(_compile(spec, 'test %d' % (index + 1)), _state['ns'])
        elif kind == 'check':
            ns = _state['ns']
            candidate = eval(spec, ns)
            ns['check'](candidate)
        elif kind == 'pytest':
            _run_pytest_case(spec, _state['ns'])
        else:
            i, given, expected = spec
            if 'call' in _state:
                args = _loads(given) if isinstance(given, str) else given
                if not isinstance(args, list):
                    args = [args]
                expected = _loads(expected) if isinstance(expected, str) else expected
                actual = _state['call'](*args)
                if not _same_value(actual, expected):
                    raise AssertionError('returned %s, expected %s' % (repr(actual)[:500], repr(expected)[:500]))
            else:
                program = _Capture(_PROGRAM_OUTPUT_LIMIT)
                _sys.stdin = _io.StringIO(given if isinstance(given, str) else '\n'.join(map(str, given)))
                _sys.stdout = program
                try:
                    exec(_state['program'], {'__name__': '__main__', '__builtins__': _b})
                except SystemExit as e:
                    if isinstance(e, _Exit) or e.code not in (None, 0):
                        raise
                finally:
                    _sys.stdout = _state['out']
                    _state['out'].write(program.text()[:_OUTPUT_LIMIT])
                if not _same_output(program.text(), expected):
                    raise AssertionError('printed %s, expected %s' % (repr(program.text())[:500], repr(expected)[:500]))
        return _dumps(dict(_result('pass'), name=name))
    except pt._Skipped as e:
        return _dumps(dict(_result('pass', 'skipped: %s' % e), name=name))
    except AssertionError as e:
        return _dumps(dict(_result('fail', _describe(e), _traceback(e)), name=name))
    except BaseException as e:
        return _dumps(dict(_result('error', _describe(e), _traceback(e)), name=name))


def rl_finish():
    """Puts the interpreter back as it was before rl_prepare."""
    import linecache
    snap = _state.get('snap')
    scratch = _state.get('scratch')
    for f in _state.get('files', []):
        linecache.cache.pop(f, None)
    _state.clear()
    if snap is not None:
        _restore(snap)
    if scratch:
        _shutil.rmtree(scratch, ignore_errors=True)
    return 'ok'
`
