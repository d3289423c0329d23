"""What Helm charts, their templates, kustomizations and skaffold configs
share: chart repositories (an HTTP chart repository is a URL, an ``oci://``
one a Docker registry) and the reading of a chart template
(:mod:`nexus_lint.kinds.helm_template`)."""

from __future__ import annotations

from array import array
from typing import Iterator, List, Optional, Sequence, Tuple

from nexus_lint.core.model import INSTALL, PULL, ImageFact, UrlFact
from nexus_lint.core.sourced import UNKNOWN, SourcedStr
from nexus_lint.kinds.kubernetes_facts import Reader

_NULL = "tag:yaml.org,2002:null"
OCI = "oci://"
PLACEHOLDER = "template"  # what an unknown run of a template value reads as (valid in a name and a tag)


def text_of(node, text: str) -> Optional[SourcedStr]:
    """A scalar node's value with offsets, stripped; None for anything else."""
    import yaml

    from nexus_lint.lang import yamldoc

    if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
        return None
    value = yamldoc.scalar(node, text).strip()
    return value if value.text else None


def chart_repository(repo: SourcedStr, chart: Optional[SourcedStr], origin: str,
                     use: Tuple[int, int]) -> Optional[object]:
    """The fact of a chart repository: ``oci://host/path`` is a Docker
    registry the chart is pulled from (an image pull of ``host/path/chart``),
    ``http(s)://`` a chart repository URL (an install source, not Docker)."""
    low = repo.text.lower()
    if low.startswith(OCI):
        ref = repo[len(OCI):].strip("/") if repo.text.endswith("/") else repo[len(OCI):]
        if not ref.text or any(c in ref.text for c in "${} "):
            return None
        if chart is not None and chart.text and all(c.isalnum() or c in "._-" for c in chart.text):
            # the chart's reference: the repository is its prefix (offsets of the name are
            # left out so a fix edits the repository literal alone)
            ref = SourcedStr.join([ref, SourcedStr.unknown("/" + chart.text.lower())])
        elif "/" not in ref.text:
            return None  # `oci://host` alone names no repository
        return ImageFact(ref, PULL, f"{origin} (oci://)", use)
    if low.startswith(("http://", "https://")):
        return UrlFact(repo, INSTALL, origin, use)
    return None


# ---------------------------------------------------------------------------
# chart templates
# ---------------------------------------------------------------------------


class TemplateReader(Reader):
    """The Kubernetes reading of a neutralised template: placeholder characters
    are unknown, and an image is judged by the parts that are literal."""

    def __init__(self, text: str, placeholders: Sequence[Tuple[int, int]]) -> None:
        super().__init__(text)
        self.mask = bytearray(len(text))
        for s, e in placeholders:
            self.mask[s:e] = b"\x01" * (e - s)

    def templated(self, value: SourcedStr) -> bool:
        return any(o >= 0 and self.mask[o] for o in value.offsets)

    def scalar(self, node) -> Optional[SourcedStr]:
        value = super().scalar(node)
        if value is None or not self.templated(value):
            return value
        # each run of placeholder characters becomes one unknown word
        text: List[str] = []
        offs = array("q")
        k = 0
        n = len(value.text)
        while k < n:
            o = value.offsets[k]
            if o >= 0 and self.mask[o]:
                while k < n and value.offsets[k] >= 0 and self.mask[value.offsets[k]]:
                    k += 1
                text.append(PLACEHOLDER)
                offs.extend([UNKNOWN] * len(PLACEHOLDER))
                continue
            text.append(value.text[k])
            offs.append(o)
            k += 1
        return SourcedStr("".join(text), offs)

    def _container(self, item, list_key: str) -> Optional[ImageFact]:
        node = self.get(item, "image")
        value = self.scalar(node)
        if value is None:
            return None
        origin = f"{list_key}: image: in a Helm template"
        if any(o < 0 for o in value.offsets):
            value = judged_part(value)
            if value is None:
                return None
            if PLACEHOLDER in value.text:
                origin += f", `{PLACEHOLDER}` standing for a template action"
        return self._emit(ImageFact(value, PULL, origin,
                                    value.extent() or (node.start_mark.index, node.end_mark.index)))

    def _values_image(self, mapping) -> Optional[ImageFact]:
        for k in ("registry", "repository", "tag", "digest"):
            node = self.get(mapping, k)
            value = Reader.scalar(self, node)
            if value is not None and self.templated(value):
                return None
        return super()._values_image(mapping)


def judged_part(value: SourcedStr) -> Optional[SourcedStr]:
    """The part of a partly templated image that can be judged: the name
    when only the tag is unknown, the whole value when its registry is
    literal (the rest reads as :data:`PLACEHOLDER`), else None."""
    from nexus_lint.tools.images import known_name

    unknown = [i for i, o in enumerate(value.offsets) if o < 0]
    text = value.text
    slash = text.find("/")
    if slash > 0 and unknown[0] > slash:
        registry = text[:slash]
        if "." in registry or ":" in registry or registry == "localhost":
            return value
    cut = min([i for i in (text.find(":", text.rfind("/") + 1), text.find("@", text.rfind("/") + 1)) if i > 0],
              default=-1)
    if cut > 0 and unknown[0] > cut:
        return known_name(value)
    return None


def template_facts(source) -> Iterator[object]:
    from nexus_lint.kinds.kubernetes_facts import secret_data
    from nexus_lint.kinds.yamlcommon import load_yaml, yaml_credentials, yaml_suppressions
    from nexus_lint.lang.gotemplate import neutralise

    text, placeholders = neutralise(source.text)
    docs, problem = load_yaml(text)
    if problem is not None:
        return  # not NX000: see the kind's docstring
    reader = TemplateReader(text, placeholders)
    for doc in docs:
        yield from reader.document(doc)
    skip: set = set()
    facts: List[object] = []
    for doc in docs:
        facts.extend(secret_data(doc, text, skip))
    facts.extend(yaml_credentials(docs, text, "kubernetes", skip=skip))
    for fact in facts:
        span = fact.value.extent() or fact.use
        if not any(reader.mask[span[0]:span[1]]):
            yield fact
    if "nexus-lint" in source.text:
        yield from yaml_suppressions(text, docs, source)
        yield from _template_comment_suppressions(source)


def _template_comment_suppressions(source) -> Iterator[object]:
    """``{{/* nexus-lint: ignore[NX102] */}}``: a template comment, which Helm
    does not render (a YAML comment would reach the cluster), counts as a YAML
    comment does: on its own line it covers the next line, else its own."""
    from nexus_lint.kinds.comments import suppressions
    from nexus_lint.lang.gotemplate import actions, is_comment
    from nexus_lint.lang.textpos import Comment

    text = source.text
    comments = []
    for s, e in actions(text):
        body = text[s:e]
        if "nexus-lint" not in body or not is_comment(text, s):
            continue
        line_start = max(text.rfind("\n", 0, s), text.rfind("\r", 0, s)) + 1
        comments.append(Comment(s, body, not text[line_start:s].strip(), e))
    return suppressions(source, comments, own_line_too=True)
