"""Image facts from command lines: what the image tools' modules hand over, and
what is left to decide once the whole script is seen.

A tool module (:mod:`.docker`, :mod:`.kaniko`, :mod:`.crane`, :mod:`.skopeo`)
adds each image word it finds to an :class:`ImageOut` with a role (POLICY.md
NX102/NX103); :meth:`ImageOut.facts` then turns them into
:class:`~nexus_lint.core.model.ImageFact` records:

* a tagged or built name (role :data:`IF_PUSHED`) pushes when a later ``push``
  in the same script pushes that value (or its repository, ``push
  --all-tags``), else it stays on the machine (LOCAL);
* a word whose value is not fully known gives a fact only when its
  registry-and-name part is (:func:`known_name`);
* an image run after being built on the same machine is LOCAL, not a pull
  (:func:`run_what_was_built`, which the CI kinds also apply over a whole file).
"""

from __future__ import annotations

from nexus_lint.core.record import record, replace
from typing import List, Optional, Tuple

from nexus_lint.core.model import LOCAL, PULL, PUSH, ImageFact
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.shell import Command, Word

__all__ = ["IF_PUSHED", "ImageOut", "known_name", "registry_image", "run_what_was_built"]

IF_PUSHED = "if-pushed"  # resolved after the whole script is seen

_TRANSPORTS = frozenset({"docker", "oci", "oci-archive", "dir", "docker-archive", "docker-daemon",
                         "containers-storage", "sif", "ostree", "tarball"})


def registry_image(word: Word, *, require_transport: bool = False) -> Optional[Word]:
    """The registry image a containers-image reference names (``docker://`` stripped)."""
    text = word.value.text
    if text.startswith("docker://"):
        return word.sub(len("docker://"))
    head, sep, _ = text.partition(":")
    if sep and head in _TRANSPORTS:
        return None
    return None if require_transport else word


def _repository(ref: str) -> str:
    """``host:port/a/b:tag@digest`` -> ``host:port/a/b``."""
    ref = ref.split("@", 1)[0]
    slash = ref.rfind("/")
    colon = ref.rfind(":")
    return ref[:colon] if colon > slash else ref


@record
class _Use:
    index: int  # command index in the analysis
    cmd: Command
    word: Word
    role: str
    origin: str


class ImageOut:
    """The image words of one script's commands, in command order."""

    def __init__(self) -> None:
        self.uses: List[_Use] = []
        self.pushes: List[Tuple[int, str, bool]] = []  # (command index, value, --all-tags)

    def add(self, i: int, cmd: Command, word: Optional[Word], role: str, origin: str) -> None:
        if word is not None:
            self.uses.append(_Use(i, cmd, word, role, origin))

    def pushed(self, i: int, word: Optional[Word], all_tags: bool = False) -> None:
        if word is not None and word.known:
            self.pushes.append((i, word.value.text, all_tags))

    def pushed_later(self, i: int, text: str) -> bool:
        for j, value, all_tags in self.pushes:
            if j > i and (value == text or (all_tags and _repository(text) == value)):
                return True
        return False

    def facts(self) -> List[object]:
        """The facts, once every command has been read."""
        facts = []
        for use in self.uses:
            role = use.role
            if role == IF_PUSHED:
                role = PUSH if self.pushed_later(use.index, use.word.value.text) else LOCAL
            fact = _fact(use.cmd, use.word, role, use.origin)
            if fact is not None:
                facts.append(fact)
        return run_what_was_built(facts)


_BUILD_WORDS = frozenset({"build", "bud"})
_RUN_WORDS = frozenset({"run", "create"})


def run_what_was_built(facts: List[object]) -> List[object]:
    """``docker build -t app:ci .`` then ``docker run app:ci``: the run uses the
    image just built on that machine, no registry's (LOCAL, not a pull).  Over
    one file's facts (a script, every job of a CI file; other facts pass
    through), in any order: CI jobs run by stage, not by line.  ``docker pull``
    of a built name stays a pull."""
    built = {f.value.text for f in facts
             if isinstance(f, ImageFact) and f.role in (LOCAL, PUSH)
             and (_BUILD_WORDS.intersection(f.origin.split()) or f.origin.startswith("build-push-action"))}
    if not built:
        return facts
    return [replace(f, role=LOCAL)
            if isinstance(f, ImageFact) and f.role == PULL and f.value.text in built
            and _RUN_WORDS.intersection(f.origin.split()[1:]) else f
            for f in facts]


def known_name(value: SourcedStr) -> Optional[SourcedStr]:
    """The registry-and-name part of a reference whose only unknown part is the
    tag or digest (``$REG/app:$CI_COMMIT_SHA`` with REG known): the part the
    rules judge. ``None`` when the name itself depends on something unknown."""
    text = value.text
    slash = text.rfind("/")
    cuts = [i for i in (text.find(":", slash + 1), text.find("@", slash + 1)) if i > 0]
    if not cuts:
        return None
    cut = min(cuts)
    if any(c in text[:cut] for c in "$`*?[{~"):
        return None
    return value[:cut]


def _fact(cmd: Command, word: Word, role: str, origin: str) -> Optional[ImageFact]:
    value = word.value
    if not word.known:
        value = known_name(value)
        if value is None:
            return None
    if not value.text:
        return None
    use = word.raw.extent()
    if use is None:
        if cmd.start >= 0 and cmd.end >= 0:
            use = (cmd.start, cmd.end)
        else:
            use = word.value.extent() or (0, 0)
    return ImageFact(value, role, origin, use, word.vars)


def registry_cache_ref(entry: SourcedStr) -> Optional[SourcedStr]:
    """The image of a ``type=registry,ref=IMG`` cache entry of ``--cache-from``/``--cache-to``
    (buildx, bake, docker/build-push-action; a bare name is one too)."""
    text = entry.text
    if "=" not in text:
        return entry
    fields = {}
    pos = 0
    for part in text.split(","):
        k, eq, v = part.partition("=")
        if eq:
            vstart = pos + len(k) + 1
            fields[k.strip().lower()] = entry[vstart:vstart + len(v)].strip()
        pos += len(part) + 1
    kind = fields.get("type")
    ref = fields.get("ref")
    if kind is None or kind.text != "registry" or ref is None or not ref.text:
        return None
    return ref
