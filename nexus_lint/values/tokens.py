"""Well-known token shapes: a value is a secret by its shape alone, whatever its key.

npm ``npm_...``, PyPI ``pypi-AgE...``, GitLab ``glpat-...`` (and the other
``gl*-`` prefixes), GitHub ``ghp_``/``gho_``/``ghu_``/``ghs_``/``ghr_`` and
``github_pat_...``, a Nexus user token written as ``namecode:passcode``, and PEM
private keys.  A leaf: the URL and credential analysis both ask it.
"""

from __future__ import annotations

import re
from typing import List, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re

Span = Tuple[int, int]

# ---------------------------------------------------------------------------
# Token shapes
# ---------------------------------------------------------------------------

_TOKENS: Sequence[Tuple[str, "re.Pattern[str]", int]] = (
    ("npm access token", lazy_re(r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])"), 0),
    ("PyPI API token", lazy_re(r"(?<![A-Za-z0-9_-])pypi-AgE[A-Za-z0-9_-]{40,}"), 0),
    ("GitLab token", lazy_re(
        r"(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|cbt|ft|imt|oas|soat|ffct|agent|ft|wt)-[A-Za-z0-9_-]{20,}"), 0),
    ("GitHub token", lazy_re(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,}(?![A-Za-z0-9])"), 0),
    ("GitHub token", lazy_re(r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}"), 0),
    # Nexus user token as name code:pass code (the pass code is the secret)
    ("Nexus user token", lazy_re(r"(?<![A-Za-z0-9_/+:-])[A-Za-z0-9]{8}:([A-Za-z0-9+/_-]{40,48}={0,2})(?![A-Za-z0-9+/=_-])"), 1),
    ("private key", lazy_re(
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----.*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\Z)", re.S), 0),
)


def find_tokens(text: str) -> List[Tuple[int, int, str]]:
    """``(start, end, label)`` of every well-known token shape in ``text``."""
    out: List[Tuple[int, int, str]] = []
    if len(text) < 20:
        return out
    for label, rx, group in _TOKENS:
        for m in rx.finditer(text):
            s, e = m.span(group)
            if not any(s < e2 and s2 < e for s2, e2, _ in out):
                out.append((s, e, label))
    out.sort()
    return out
