"""core/record.py: the part of dataclasses the facts and settings rely on, kept."""

from __future__ import annotations

import pickle
from typing import ClassVar

import pytest

from nexus_lint.core.record import FrozenInstanceError, field, fields, is_record, record, replace


@record(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: tuple = field(default_factory=tuple)
    note: str = field(default="", compare=False, repr=False)


@record(frozen=True)
class Point3(Point):
    z: int = 0


@record
class Box:
    items: list = field(default_factory=list)
    hidden: object = field(default=None, init=False)
    size: ClassVar[int] = 3

    def __post_init__(self) -> None:
        self.hidden = len(self.items)


def test_init_defaults_repr_and_equality_as_dataclasses_give_them():
    p = Point(1)
    assert (p.x, p.y, p.tags, p.note) == (1, 0, (), "")
    assert repr(p) == "Point(x=1, y=0, tags=())"
    assert p == Point(1, 0, (), "another note")  # note: compare=False
    assert p != Point(2) and p != (1, 0, ())
    assert hash(p) == hash(Point(1, note="x"))
    assert len({p, Point(1), Point(2)}) == 2


def test_frozen_records_refuse_assignment_and_mutable_ones_are_unhashable():
    p = Point(1)
    with pytest.raises(FrozenInstanceError):
        p.x = 2
    with pytest.raises(AttributeError):
        del p.y
    b = Box([1, 2])
    b.items = []
    with pytest.raises(TypeError):
        hash(b)


def test_default_factories_are_fresh_and_init_false_fields_and_post_init_work():
    a, b = Box(), Box()
    a.items.append(1)
    assert b.items == [] and Box([1, 2, 3]).hidden == 3
    assert Box.size == 3 and [f.name for f in fields(Box)] == ["items", "hidden"]
    with pytest.raises(TypeError):
        Box([], 1)  # hidden is not an argument


def test_inheritance_replace_fields_and_pickling():
    q = Point3(1, 2, z=3)
    assert repr(q) == "Point3(x=1, y=2, tags=(), z=3)"
    assert [f.name for f in fields(q)] == ["x", "y", "tags", "note", "z"]
    assert replace(q, y=5) == Point3(1, 5, z=3) and q.y == 2
    assert Point3(1) != Point(1)  # another class
    assert is_record(q) and not is_record(object())
    assert pickle.loads(pickle.dumps(q)) == q
    with pytest.raises(ValueError):
        replace(Box(), hidden=1)


def test_a_field_without_a_default_after_one_with_is_refused_at_definition():
    with pytest.raises(TypeError):
        @record
        class Bad:
            a: int = 0
            b: int


def test_the_same_behaviour_before_and_after_a_class_compiles_its_init():
    from nexus_lint.core import record as records

    @record(frozen=True)
    class Fact:
        name: str
        span: tuple = (0, 0)
        seen: list = field(default_factory=list, compare=False)

    early = [Fact(f"n{i}", span=(i, i + 1)) for i in range(records.COMPILE_AFTER)]
    assert "<record" not in Fact.__init__.__code__.co_filename  # still the generic loop
    late = [Fact(f"n{i}", (i, i + 1)) for i in range(records.COMPILE_AFTER)]
    assert "<record" in Fact.__init__.__code__.co_filename  # compiled now
    assert early == late and [hash(a) for a in early] == [hash(b) for b in late]
    assert {a: k for k, a in enumerate(early)}[late[5]] == 5
    assert all(a.seen == [] and a.seen is not b.seen for a, b in zip(early, late))
    for make in (lambda: Fact(), lambda: Fact("a", name="b"), lambda: Fact("a", oops=1), lambda: Fact("a", (0, 0), [], 1)):
        with pytest.raises(TypeError):
            make()


def test_the_generic_init_refuses_what_the_compiled_one_refuses():
    @record
    class Fresh:
        name: str
        span: tuple = (0, 0)

    for make in (lambda: Fresh(), lambda: Fresh("a", name="b"), lambda: Fresh("a", oops=1),
                 lambda: Fresh("a", (0, 0), 1)):
        with pytest.raises(TypeError):
            make()
    assert "<record" not in Fresh.__init__.__code__.co_filename
    assert Fresh("a", span=(1, 2)) == Fresh(name="a", span=(1, 2))
