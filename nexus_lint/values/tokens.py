"""Well-known token shapes: a value is a secret by its shape alone, whatever its key.

npm ``npm_...``, PyPI ``pypi-AgE...``, GitLab ``glpat-...`` (and the other
``gl*-`` prefixes), GitHub ``ghp_``/``gho_``/``ghu_``/``ghs_``/``ghr_`` and
``github_pat_...``, a Nexus user token written as ``namecode:passcode``, AWS
access key ids (``AKIA``/``ASIA`` and 16 upper-case letters or digits) and an
AWS secret access key (40 characters) written right after its own name
(``aws_secret_access_key = ...``), Slack tokens (``xoxb-``, ``xoxp-``,
``xoxa-``, ``xoxr-``, ``xoxs-``) and Slack webhook URLs
(``https://hooks.slack.com/services/T.../B.../...``), JSON Web Tokens
(``eyJ...``.``eyJ...``.signature), and PEM/OpenSSH private keys.

Every shape is anchored: it never starts or ends inside a longer identifier,
and a regular expression that describes a shape (``AKIA[0-9A-Z]{16}``,
``xox[baprs]-...``) is not one.  The documentation examples of the newer shapes
(AWS's ``AKIAIOSFODNN7EXAMPLE`` and ``...EXAMPLEKEY``, Slack's
``T00000000/B00000000/XXXXXXXX...``) are not findings.  A leaf: the URL and
credential analysis both ask it.
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
    ("AWS access key id", lazy_re(r"(?<![A-Za-z0-9_/+-])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9_/+=-])"), 0),
    # the 40-character secret only right after its own name: alone it is any base64 run
    ("AWS secret access key", lazy_re(
        r"(?<![A-Za-z0-9])(?i:(?:aws_?)?secret_?access_?key|aws_?secret_?key)[\"']?\s*(?:[:=]|\s)\s*[\"']?"
        r"((?=[A-Za-z0-9/+]*[0-9/+])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])"
        r"[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"), 1),
    ("Slack token", lazy_re(
        r"(?<![A-Za-z0-9_-])xox[abprs]-(?=[A-Za-z0-9-]{20,})[0-9]+(?:-[A-Za-z0-9]+){1,4}(?![A-Za-z0-9_-])"), 0),
    ("Slack webhook URL", lazy_re(
        r"(?<![A-Za-z0-9_.-])https://hooks\.slack\.com/(?:services|workflows|triggers)/"
        r"T[A-Z0-9]{6,}/[AB][A-Z0-9]{6,}/[A-Za-z0-9]{16,}(?![A-Za-z0-9])"), 0),
    ("JSON Web Token", lazy_re(
        r"(?<![A-Za-z0-9_.-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_=-])(?!\.[A-Za-z0-9])"), 0),
    # with a body: 32 base64 characters in a row before the next `-----` (a pattern
    # that matches a key, `-----BEGIN ... KEY-----[^-]*-----END ...`, has none)
    ("private key", lazy_re(
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?=(?:[^-]|-(?!----)){0,400}?[A-Za-z0-9+/]{32})"
        r".*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\Z)", re.S), 0),
)


# Every shape above holds one of these (its prefix, the ``:`` and 40 pass-code
# characters of a Nexus user token, "secret" in an AWS key's name, ...): one
# search in C tells a text that can hold none, which is nearly every text
# (CRD descriptions, prose), before twelve expressions are tried one by one.
_HINT = lazy_re(
    r"npm_|pypi-AgE|gl(?:pat|dt|rt|ptt|cbt|ft|imt|oas|soat|ffct|agent|wt)-|gh[pousr]_|github_pat_"
    r"|:[A-Za-z0-9+/_-]{40}|AKIA|ASIA|(?i:secret)|xox[abprs]-|hooks\.slack\.com/|eyJ|PRIVATE KEY"
)


def may_hold_token(text: str) -> bool:
    """Could ``text`` hold a token shape at all?  (False: :func:`find_tokens` finds none.)"""
    return len(text) >= 20 and _HINT.search(text) is not None


_DOC_EXAMPLE = lazy_re(r"EXAMPLE|/T0{6,}/|/B0{6,}/|X{8,}$")
_DOC_EXAMPLE_LABELS = frozenset({"AWS access key id", "AWS secret access key", "Slack webhook URL"})


def _documented_example(label: str, token: str) -> bool:
    """The vendors' own documentation values of the newer shapes (``AKIAIOSFODNN7EXAMPLE``),
    and a made-up value of any shape that spells the alphabet or the digits in order
    (``ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm``): no generator writes ten in a row."""
    if label in _DOC_EXAMPLE_LABELS and _DOC_EXAMPLE.search(token) is not None:
        return True
    return _in_order(token, 10)


def _in_order(token: str, run: int) -> bool:
    """Does ``token`` hold ``run`` letters or digits in alphabetical order, each the next one?"""
    count = 1
    for a, b in zip(token, token[1:]):
        count = count + 1 if ord(b) == ord(a) + 1 and a.isalnum() and b.isalnum() else 1
        if count >= run:
            return True
    return False


def _words(passcode: str) -> bool:
    """``node_network_receive_bytes_excluding_lo`` (a PromQL rule name after
    ``instance:``) is snake_case words, which no random pass code is."""
    return "_" in passcode and passcode.islower() and passcode.replace("_", "").isalnum()


def find_tokens(text: str) -> List[Tuple[int, int, str]]:
    """``(start, end, label)`` of every well-known token shape in ``text``."""
    out: List[Tuple[int, int, str]] = []
    if not may_hold_token(text):
        return out
    for label, rx, group in _TOKENS:
        for m in rx.finditer(text):
            s, e = m.span(group)
            if _documented_example(label, text[s:e]) or (label == "Nexus user token" and _words(text[s:e])):
                continue
            if not any(s < e2 and s2 < e for s2, e2, _ in out):
                out.append((s, e, label))
    out.sort()
    return out
