"""``curl``: the URLs it calls, the REST API requests it makes, the credentials it sends.

URLs: every URL argument and ``--url`` value, with the method from
``-X/--request``, else ``PUT`` with ``-T/--upload-file``, ``POST`` with
``-d/--data*``/``--json``/``-F/--form*`` (``GET`` with ``-G``), ``HEAD`` with
``-I``.  ``-T`` or a ``PUT``/``POST`` into ``/repository/`` is an UPLOAD.

API calls: requests to a REST API path, with the JSON object sent, whether
``-f``/``--fail`` makes any error status fatal, and the statuses the script
tests (:func:`api_calls`).

Credentials: ``-u/--user user:password`` (``--proxy-user``), ``--oauth2-bearer``,
``-H/--header 'Authorization: Basic|Bearer ...'`` and token headers, secret-like
fields of ``-d``/``--data`` bodies.

Options are read as curl reads them: a long option never takes ``=value``.
"""

from __future__ import annotations

import re
from typing import Dict, Iterator, Optional, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import BASIC_AUTH, BROWSE, TOKEN, UPLOAD, ApiCallFact
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut, body, header
from nexus_lint.tools.options import flag_word, opts, parse_options
from nexus_lint.tools.urls import UrlOut
from nexus_lint.values import secrets as S
from nexus_lint.values.urls import parse_url

__all__ = ["urls", "api_calls", "credentials"]

_VALUED = opts("""
    -A --user-agent -b --cookie -c --cookie-jar -C --continue-at -d --data --data-ascii --data-binary
    --data-raw --data-urlencode --json -D --dump-header -e --referer -E --cert --cert-type --cacert --capath
    -F --form --form-string -H --header -K --config --key --key-type --limit-rate -m --max-time
    --connect-timeout --max-filesize --max-redirs -o --output --output-dir -r --range --retry --retry-delay
    --retry-max-time -T --upload-file -u --user -U --proxy-user -w --write-out -x --proxy -X --request
    -y --speed-time -Y --speed-limit -z --time-cond -Q --quote --resolve --connect-to --interface
    --dns-servers --local-port --unix-socket --abstract-unix-socket --netrc-file --oauth2-bearer --ciphers
    --url --variable --expand-url --aws-sigv4 --proto --proto-redir --pass --crlfile --pinnedpubkey
    --noproxy --preproxy --proxy-header --request-target --trace --trace-ascii --stderr --tls-max
    --login-options --mail-from --mail-rcpt --hostpubmd5 --hostpubsha256 --happy-eyeballs-timeout-ms
    --keepalive-time --expect100-timeout --parallel-max --sasl-authzid --service-name --socks4 --socks4a
    --socks5 --socks5-hostname --socks5-gssapi-service --tlsuser --tlspassword --tlsauthtype --delegation
    --ftp-port -P --ftp-account --ftp-alternative-to-user --ftp-method --ftp-ssl-ccc-mode --krb
    --ech --etag-compare --etag-save --proxy-cacert --proxy-capath --proxy-cert --proxy-key
    --proxy-pass --proxy-tlsuser --proxy-tlspassword --proxy-ciphers --proxy-service-name --proxy-crlfile
    --proxy-pinnedpubkey --proxy-tls13-ciphers --tls13-ciphers --curves --doh-url --random-file --egd-file
    --engine --max-filesize --rate --retry-all-errors-max --time-cond --write-out --ip-tos --vlan-priority
""")
_DATA = frozenset({"-d", "--data", "--data-ascii", "--data-binary", "--data-raw", "--data-urlencode", "--json",
                   "-F", "--form", "--form-string"})
_JSON = ("-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json")
_FAIL = ("--fail", "--fail-with-body")
_BODIES = ("-d", "--data", "--data-raw", "--data-binary", "--data-urlencode", "--json", "-F", "--form",
           "--form-string")


def _method(found) -> Tuple[str, bool]:
    """(HTTP method, is it an upload with -T) of a curl command line."""
    names = [name for name, _ in found]
    method = None
    for name, v in found:
        if name in ("-X", "--request") and v is not None and v.known:
            method = v.value.text.upper()
    upload = any(name in ("-T", "--upload-file") for name in names)
    if method is None:
        if upload:
            method = "PUT"
        elif any(name in _DATA for name in names):
            method = "GET" if any(name in ("-G", "--get") for name in names) else "POST"
        elif any(name in ("-I", "--head") for name in names):
            method = "HEAD"
        else:
            method = "GET"
    return method, upload


# -- URLs ------------------------------------------------------------------------------------


def urls(out: UrlOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    found, pos, _ = parse_options(args, _VALUED, equals=False)
    method, upload = _method(found)
    for w in list(pos) + [v for name, v in found if name == "--url" and v is not None]:
        role = BROWSE
        text = w.value.text
        parsed = parse_url(text) if text.lower().startswith(("http://", "https://")) else None
        if upload or (method in ("PUT", "POST") and parsed is not None and parsed.path.startswith("/repository/")):
            role = UPLOAD
        out.word(cmd, w, role, f"curl {method}" if method != "GET" else "curl", method)


# -- REST API calls -----------------------------------------------------------------------------

REST_PATH = "/service/rest/"
_STATUS_WORD = lazy_re(r"^[1-5][0-9][0-9]$")
# `[ "$code" = 500 ]`, `[[ $status -eq 500 ]]`, `(( code == 500 ))`, a `500)` case arm
_STATUS_TEST = lazy_re(r"(?:==?|!=|-eq|-ne|-ge|-gt|-le|-lt)\s*[\"']?([1-5][0-9][0-9])\b|^\s*\(?\s*[\"']?([1-5][0-9][0-9])[\"']?\s*(?:\|[^)\n]*)?\)",
                       re.M)


def _checked_statuses(analysis: ShellAnalysis) -> Tuple[int, ...]:
    """HTTP statuses the script compares something with (``[ "$code" = 500 ]``)."""
    found = set()
    for cmd in analysis.commands:
        if cmd.name in ("test", "expr"):
            for w in cmd.argv[1:]:
                t = w.value.text.strip()
                if _STATUS_WORD.match(t):
                    found.add(int(t))
    script = getattr(analysis, "script", None)
    if script is not None:
        for line in script.text.splitlines():
            if line.lstrip().startswith("#"):
                continue
            for m in _STATUS_TEST.finditer(line):
                found.add(int(m.group(1) or m.group(2)))
    return tuple(sorted(found))


def _failure_handled(analysis: ShellAnalysis, cmd: Command) -> bool:
    """Does the script go on when ``cmd`` fails (``cmd || ...``, ``if cmd; then``)?"""
    script = getattr(analysis, "script", None)
    if script is None or cmd.start < 0 or cmd.end <= 0:
        return False
    offs = script.offsets
    first = last = -1
    for k in range(len(offs)):
        if offs[k] == cmd.start and first < 0:
            first = k
        if offs[k] == cmd.end - 1:
            last = k
    text = script.text
    if last >= 0:
        rest = text[last + 1:last + 200].replace("\\\n", " ").lstrip(" \t")
        if rest.startswith("||"):
            return True
    if first >= 0:
        before = text[max(0, first - 40):first].rstrip(" \t")
        if re.search(r"(?:^|[\s;&|(])(?:if|elif|while|until|!)$", before):
            return True
    return False


def api_calls(analysis: ShellAnalysis, cmd: Command, args: Sequence[Word], memo: Dict[str, object]
              ) -> Iterator[ApiCallFact]:
    """A request to a REST API path: method, URL, the JSON object sent with
    ``-d``/``--data*``/``--json`` (keys and where each character stands, so a fix can
    add a key inside the quoted JSON, or in the variable it came from), whether
    ``-f``/``--fail`` makes any error status fatal, and the statuses the script tests."""
    from nexus_lint.lang.jsonbody import json_text_body

    found, pos, _ = parse_options(args, _VALUED, equals=False)
    calls = [w for w in list(pos) + [v for name, v in found if name == "--url" and v is not None]
             if REST_PATH in w.value.text]
    if not calls:
        return
    method, _ = _method(found)
    data = [v for name, v in found if name in _JSON and v is not None]
    sent = None
    if len(data) == 1 and not data[0].value.text.startswith("@"):
        sent = json_text_body(data[0].value)
    fail = flag_word(args, _VALUED, "-f", _FAIL)
    raises = raises_at = None
    if fail is not None and not _failure_handled(analysis, cmd):
        raises = "curl --fail" if fail.value.text.startswith("--") else "curl -f"
        raises_at = fail.raw.extent()
    if "statuses" not in memo:
        memo["statuses"] = _checked_statuses(analysis)
    statuses = memo["statuses"]
    first: Optional[Tuple[int, int]] = cmd.argv[0].raw.extent() if cmd.argv else None
    if first is None:
        first = (cmd.start, cmd.end) if cmd.start >= 0 and cmd.end >= 0 else (0, 0)
    origin = f"curl -X {method}" if method != "GET" else "curl"
    for w in calls:
        yield ApiCallFact(method, w.value, origin, first, sent, raises, raises_at, statuses, w.vars)


# -- credentials ----------------------------------------------------------------------------------


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    found, _, _ = parse_options(args, _VALUED, equals=False)
    for name, v in found:
        if v is None:
            continue
        if name in ("-u", "--user", "-U", "--proxy-user"):
            if v.known:
                out.literal(cmd, v, S.basic_auth_secret(v.value.text), f"curl {name}", f"curl {name} user:password",
                            "http", BASIC_AUTH)
        elif name in ("-H", "--header", "--proxy-header"):
            header(out, cmd, v, f"curl {name}", "http")
        elif name == "--oauth2-bearer":
            out.value(cmd, v, "curl --oauth2-bearer", "curl --oauth2-bearer", "http", TOKEN)
        elif name in _BODIES:
            body(out, cmd, v, f"curl {name}")
