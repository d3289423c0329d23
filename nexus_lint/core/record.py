"""Records: the part of :mod:`dataclasses` nexus-lint uses, without its start-up cost.

``@dataclass`` writes the source of ``__init__``, ``__repr__``, ``__eq__`` and
``__hash__`` and compiles each of them when the class is defined, and importing
:mod:`dataclasses` imports :mod:`inspect` (with ``ast``, ``dis`` and
``tokenize``).  For the ~70 classes of facts, models and settings that cost
about 15 ms of every start (``python -X importtime``: ``core.model`` alone took
7 ms), though one run instantiates a handful of them.

``@record`` reads the same class body (annotations, defaults, :func:`field`)
and installs each generated method as a stub that compiles the real method the
first time it is called and puts it on the class in its place: a class that is
never instantiated costs one pass over its annotations, one that is costs the
same code ``@dataclass`` would have written, compiled once.

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
    _install(cls, "__init__", _make_init)
    _install(cls, "__repr__", _make_repr)
    if eq:
        _install(cls, "__eq__", _make_eq)
    explicit_hash = own.get("__hash__", MISSING) is not MISSING and own.get("__hash__") is not None
    if eq and frozen and not explicit_hash:
        cls.__hash__ = _stub(cls, "__hash__", _make_hash)
    elif eq and not frozen and not explicit_hash:
        cls.__hash__ = None
    if frozen:
        for name, method in (("__setattr__", _frozen_setattr), ("__delattr__", _frozen_delattr)):
            if name not in own:
                setattr(cls, name, method)
    return cls


def _install(cls, name: str, make) -> None:
    if name not in cls.__dict__:
        setattr(cls, name, _stub(cls, name, make))


def _stub(cls, name: str, make):
    def stub(self, *args, **kwargs):
        real = make(cls)
        real.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, real)
        return real(self, *args, **kwargs)

    stub.__name__ = name
    stub.__qualname__ = f"{cls.__qualname__}.{name}"
    return stub


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


def _make_repr(cls):
    parts = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in cls.__record_fields__ if f.repr)
    src = f"def __repr__(self):\n  return f'{{self.__class__.__qualname__}}({parts})'\n"
    return _compile("__repr__", src, {})


def _compared(cls) -> str:
    names = [f"self.{f.name}," for f in cls.__record_fields__ if f.compare]
    return "(" + "".join(names) + ")"


def _make_eq(cls):
    mine = _compared(cls)
    theirs = mine.replace("self.", "other.")
    src = (f"def __eq__(self, other):\n  if other.__class__ is self.__class__:\n"
           f"    return {mine} == {theirs}\n  return NotImplemented\n")
    return _compile("__eq__", src, {})


def _make_hash(cls):
    return _compile("__hash__", f"def __hash__(self):\n  return hash({_compared(cls)})\n", {})
