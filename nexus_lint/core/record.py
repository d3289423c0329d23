"""Records: the part of :mod:`dataclasses` nexus-lint uses, without its start-up cost.

``@dataclass`` writes the source of ``__init__``, ``__repr__``, ``__eq__`` and
``__hash__`` and compiles each of them when the class is defined, and importing
:mod:`dataclasses` imports :mod:`inspect` (with ``ast``, ``dis`` and
``tokenize``).  For the ~70 classes of facts, models and settings that cost
about 15 ms of every start (``python -X importtime``: ``core.model`` alone took
7 ms), though one run instantiates a handful of them.

``@record`` reads the same class body (annotations, defaults, :func:`field`)
and writes no code at definition: ``__eq__``, ``__hash__`` and ``__repr__``
are shared functions that read the compared fields with one
:func:`operator.attrgetter` (in C), and ``__init__`` is a generic loop over
the fields for a class's first :data:`COMPILE_AFTER` instances, then the code
``@dataclass`` would have written, compiled once.  A short run compiles
nothing; a long one runs compiled code for nearly every fact.

What is kept of ``dataclasses``: ``frozen=True`` (assignment raises
:class:`FrozenInstanceError`, a subclass of ``AttributeError``), ``eq``
(instances of the same class compare by their fields), the hash rule (frozen
and eq: hashed by the compared fields; eq and not frozen: unhashable, unless
the class defines ``__hash__``), methods the class defines itself left alone,
``__post_init__``, ``field(default=, default_factory=, init=, repr=,
compare=)``, fields inherited from record bases, ``ClassVar`` annotations
skipped, and :func:`fields`, :func:`replace`, :func:`is_record`.  Not kept:
``order``, ``slots``, ``kw_only``, ``InitVar``, ``match_args``.
"""

from __future__ import annotations

__all__ = ["FrozenInstanceError", "MISSING", "Field", "field", "fields", "is_record", "record", "replace"]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


class FrozenInstanceError(AttributeError):
    """An assignment to a field of a frozen record."""


class Field:
    __slots__ = ("name", "type", "default", "default_factory", "init", "repr", "compare")

    def __init__(self, default=MISSING, default_factory=MISSING, init=True, repr=True, compare=True) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, default={self.default!r}, default_factory={self.default_factory!r})"


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, compare=True):
    """A field with a default, a default factory, or left out of ``__init__``,
    ``__repr__`` or comparisons (as :func:`dataclasses.field`)."""
    return Field(default, default_factory, init, repr, compare)


def fields(obj) -> tuple:
    """The :class:`Field` of a record class or instance, in definition order."""
    try:
        return obj.__record_fields__
    except AttributeError:
        raise TypeError("must be called with a record type or instance") from None


def is_record(obj) -> bool:
    return hasattr(obj, "__record_fields__")


def replace(obj, **changes):
    """A copy of the record ``obj`` with ``changes`` (as :func:`dataclasses.replace`)."""
    for f in obj.__record_fields__:
        if not f.init:
            if f.name in changes:
                raise ValueError(f"field {f.name} is declared with init=False, it cannot be specified with replace()")
            continue
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)


def record(cls=None, *, frozen: bool = False, eq: bool = True):
    """Make ``cls`` a record (as ``@dataclass`` / ``@dataclass(frozen=True)``)."""

    def wrap(cls):
        return _process(cls, frozen, eq)

    return wrap if cls is None else wrap(cls)


def _process(cls, frozen: bool, eq: bool):
    own = cls.__dict__
    by_name = {}
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get("__record_fields__", ()):
            by_name[f.name] = f
    for name, ann in own.get("__annotations__", {}).items():
        if isinstance(ann, str) and (ann.startswith("ClassVar") or ann.startswith("typing.ClassVar")):
            continue
        value = own.get(name, MISSING)
        f = value if isinstance(value, Field) else Field(default=value)
        f.name, f.type = name, ann
        if isinstance(value, Field):
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        by_name.pop(name, None)  # a redefined field moves to the end, as in dataclasses
        by_name[name] = f
    flds = tuple(by_name.values())
    seen_default = False
    for f in flds:
        if not f.init:
            continue
        if f.default is MISSING and f.default_factory is MISSING:
            if seen_default:
                raise TypeError(f"non-default argument {f.name!r} follows default argument")
        else:
            seen_default = True
    cls.__record_fields__ = flds
    cls.__record_frozen__ = frozen
    cls.__record_compared__ = _getter([f.name for f in flds if f.compare])
    _install(cls, "__init__", _init_stub(cls))
    _install(cls, "__repr__", _record_repr)
    if eq:
        _install(cls, "__eq__", _record_eq)
    explicit_hash = own.get("__hash__", MISSING) is not MISSING and own.get("__hash__") is not None
    if eq and frozen and not explicit_hash:
        cls.__hash__ = _record_hash
    elif eq and not frozen and not explicit_hash:
        cls.__hash__ = None
    if frozen:
        for name, method in (("__setattr__", _frozen_setattr), ("__delattr__", _frozen_delattr)):
            if name not in own:
                setattr(cls, name, method)
    return cls


def _install(cls, name: str, method) -> None:
    if name not in cls.__dict__:
        setattr(cls, name, method)


def _getter(names):
    """The tuple of the compared fields of an instance (attrgetter: the fields read in C)."""
    from operator import attrgetter

    if not names:
        return lambda obj: ()
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda obj: (get(obj),)
    return attrgetter(*names)


def _record_eq(self, other):
    if other.__class__ is self.__class__:
        key = self.__class__.__record_compared__
        return key(self) == key(other)
    return NotImplemented


def _record_hash(self):
    return hash(self.__class__.__record_compared__(self))


def _record_repr(self):
    parts = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self.__record_fields__ if f.repr)
    return f"{self.__class__.__qualname__}({parts})"


# A class's __init__ is read from its fields by a generic loop for its first
# instances, then compiled (as dataclasses writes it) once the class has made
# this many, more than the 36 built-in kinds: a short run compiles nothing (a
# Dockerfile's run compiled 24 methods, 3 ms, as dataclasses), a long one runs
# the compiled code for nearly every fact.
COMPILE_AFTER = 64


def _init_stub(cls):
    calls = 0
    generic = None

    def __init__(self, *args, **kwargs):
        nonlocal calls, generic
        if calls < COMPILE_AFTER:
            calls += 1
            if generic is None:
                generic = _generic_init(cls)
            return generic(self, args, kwargs)
        real = _make_init(cls)
        real.__qualname__ = f"{cls.__qualname__}.__init__"
        cls.__init__ = real
        return real(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _generic_init(cls):
    flds = cls.__record_fields__
    spec = tuple((f.name, f.default, f.default_factory) for f in flds if f.init)
    names = frozenset(name for name, _d, _f in spec)
    later = tuple((f.name, f.default, f.default_factory) for f in flds
                  if not f.init and (f.default is not MISSING or f.default_factory is not MISSING))
    post = hasattr(cls, "__post_init__")
    qualname = cls.__qualname__

    def init(self, args, kwargs):
        # (the instance's own dict, written directly: what object.__setattr__
        # does for these classes, frozen or not, with none of its cost)
        n = len(args)
        if n > len(spec):
            raise TypeError(f"{qualname}.__init__() takes {len(spec) + 1} positional arguments but {n + 1} were given")
        if kwargs and not names.issuperset(kwargs):
            extra = next(k for k in kwargs if k not in names)
            raise TypeError(f"{qualname}.__init__() got an unexpected keyword argument '{extra}'")
        d = self.__dict__
        for i, (name, default, factory) in enumerate(spec):
            if i < n:
                if name in kwargs:
                    raise TypeError(f"{qualname}.__init__() got multiple values for argument '{name}'")
                d[name] = args[i]
            elif name in kwargs:
                d[name] = kwargs[name]
            elif default is not MISSING:
                d[name] = default
            elif factory is not MISSING:
                d[name] = factory()
            else:
                raise TypeError(f"{qualname}.__init__() missing 1 required positional argument: '{name}'")
        for name, default, factory in later:
            d[name] = default if default is not MISSING else factory()
        if post:
            self.__post_init__()

    return init


def _frozen_setattr(self, name, value):
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self, name):
    raise FrozenInstanceError(f"cannot delete field {name!r}")


_HAS_FACTORY = object()


def _compile(name: str, src: str, env: dict):
    ns: dict = {}
    exec(compile(src, f"<record {name}>", "exec"), env, ns)
    return ns[name]


def _make_init(cls):
    frozen = cls.__record_frozen__
    env = {"_set": object.__setattr__, "_HAS_FACTORY": _HAS_FACTORY}
    params, body = ["self"], []
    for f in cls.__record_fields__:
        n = f.name
        if f.init:
            if f.default is not MISSING:
                env[f"_d_{n}"] = f.default
                params.append(f"{n}=_d_{n}")
                value = n
            elif f.default_factory is not MISSING:
                env[f"_f_{n}"] = f.default_factory
                params.append(f"{n}=_HAS_FACTORY")
                value = f"_f_{n}() if {n} is _HAS_FACTORY else {n}"
            else:
                params.append(n)
                value = n
        elif f.default is not MISSING:
            env[f"_d_{n}"] = f.default
            value = f"_d_{n}"
        elif f.default_factory is not MISSING:
            env[f"_f_{n}"] = f.default_factory
            value = f"_f_{n}()"
        else:
            continue
        body.append(f"  _set(self, {n!r}, {value})" if frozen else f"  self.{n} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    src = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "  pass") + "\n"
    return _compile("__init__", src, env)
