"""``wget``: the URLs it calls and the credentials it sends.

URLs: the URL arguments, with the method from ``--method``, else ``POST`` with
``--post-data``/``--post-file``; a ``PUT``/``POST`` into ``/repository/`` is an
UPLOAD.  Credentials: ``--password``, ``--http-password``, ``--ftp-password``,
``--proxy-password``, ``--header``, secret-like fields of ``--post-data`` and
``--body-data``.
"""

from __future__ import annotations

from typing import Sequence

from nexus_lint.core.model import BROWSE, UPLOAD
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut, body, header
from nexus_lint.tools.options import opts, parse_options
from nexus_lint.tools.urls import UrlOut
from nexus_lint.values.urls import parse_url

__all__ = ["urls", "credentials"]

_VALUED = opts("""
    -O --output-document -o --output-file -a --append-output -P --directory-prefix -e --execute -t --tries
    -T --timeout -w --wait -Q --quota -U --user-agent -i --input-file -B --base -l --level -A --accept
    -R --reject -D --domains -I --include-directories -X --exclude-directories --header --post-data
    --post-file --method --body-data --body-file --user --password --http-user --http-password --ftp-user
    --ftp-password --load-cookies --save-cookies --referer --ca-certificate --ca-directory --certificate
    --certificate-type --private-key --private-key-type --bind-address --limit-rate --waitretry
    --dns-timeout --connect-timeout --read-timeout --restrict-file-names --progress --config
    --secure-protocol --ciphers -n
""")


def urls(out: UrlOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    found, pos, _ = parse_options(args, _VALUED)
    method = "GET"
    for name, v in found:
        if name in ("--post-data", "--post-file"):
            method = "POST"
    for name, v in found:
        if name == "--method" and v is not None and v.known:
            method = v.value.text.upper()
    for w in pos:
        parsed = parse_url(w.value.text)
        role = UPLOAD if method in ("PUT", "POST") and parsed is not None and parsed.path.startswith("/repository/") else BROWSE
        out.word(cmd, w, role, f"wget {method}" if method != "GET" else "wget", method)


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    found, _, _ = parse_options(args, _VALUED)
    for name, v in found:
        if v is None:
            continue
        if name in ("--password", "--http-password", "--ftp-password", "--proxy-password"):
            out.value(cmd, v, f"wget {name}", f"wget {name}", "http")
        elif name == "--header":
            header(out, cmd, v, "wget --header", "http")
        elif name in ("--post-data", "--body-data"):
            body(out, cmd, v, f"wget {name}")
