"""The classify stage: which file kind a path is.

By name first (:class:`~nexus_lint.kinds.base.Classifier`), then, for an
extensionless file, by the interpreter of its ``#!`` line; a YAML file a
repository's pipeline includes is of the pipeline's kind whatever its name
(:meth:`~nexus_lint.pipeline.ci.CIContext.including_kind`).  Files on disk
and a text read from standard input go the same way.
"""

from __future__ import annotations

from nexus_lint.core.record import replace
from typing import List, Optional

from nexus_lint.kinds.base import Classifier, FileKind
from nexus_lint.pipeline.ci import CIContext
from nexus_lint.pipeline.discovery import Candidate
from nexus_lint.policy import Policy

SHEBANG_PEEK = 256  # bytes read for a "#!" line


def file_kinds(pm, policy: Policy) -> List[FileKind]:
    """The file kinds the plugins of ``pm`` register.  A kind whose prefilter
    looks for "nexus" also looks for the policy's own host names when they do
    not say "nexus" (artifacts.example.com)."""
    kinds: List[FileKind] = [k for group in pm.hook.nexus_lint_file_kinds() for k in group]
    hosts = tuple(h for h in policy.nexus_hosts if "nexus" not in h and h.isascii())
    if hosts:
        kinds = [replace(k, tokens=k.tokens + hosts) if k.tokens and "nexus" in k.tokens else k
                 for k in kinds]
    return kinds


class Classification:
    def __init__(self, classifier: Classifier, ci: CIContext) -> None:
        self.classifier = classifier
        self.ci = ci

    def classify(self, cand: Candidate) -> Optional[FileKind]:
        """The kind of a file on disk (its head read for a shebang only when needed)."""
        return self.kind_of(cand.relpath, cand.fs_path)

    def kind_of(self, relpath: str, fs_path: str, data: Optional[bytes] = None) -> Optional[FileKind]:
        """The kind of the file ``relpath`` (relative to the project), whose
        bytes are ``data`` when they are already at hand (standard input)."""
        kind = self.classifier.by_path(relpath)
        if kind is None and self.classifier.wants_shebang(relpath):
            if data is None:
                from nexus_lint.core.source import read_head

                head = read_head(fs_path, SHEBANG_PEEK)  # never blocks on a FIFO
                if head is None:
                    return None
            else:
                head = data[:SHEBANG_PEEK]
            kind = self.classifier.by_shebang(head)
        return self.included_kind(kind, relpath, fs_path)

    def included_kind(self, kind: Optional[FileKind], relpath: str, fs_path: str) -> Optional[FileKind]:
        """The kind of the pipeline that includes the file, whatever its name
        (``include: ci/build.yml``); ``kind`` otherwise."""
        if kind is not None and not kind.ci:
            return self.ci.including_kind(relpath, fs_path) or kind
        return kind
