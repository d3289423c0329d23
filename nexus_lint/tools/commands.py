"""Command knowledge: which analysed shell commands use which images, and how.

:func:`image_facts` turns the commands of a :class:`~.shell.ShellAnalysis` into
:class:`~nexus_lint.core.model.ImageFact` records with a role (POLICY.md NX102/NX103):

* ``docker``/``podman``/``nerdctl``/``buildah``: ``pull IMG`` and ``run|create
  [OPTIONS] IMG`` (``buildah from``) pull; ``push IMG`` (``podman push SRC DEST``:
  DEST) pushes; ``tag SRC DST``: SRC is local (role unknown), DST pushes when a
  later ``push`` in the same script pushes that value, else unknown; ``build
  -t IMG``: the same, or push with ``--push`` / ``--output type=registry`` /
  ``push=true``; ``--cache-to`` registry refs push, ``--cache-from`` ones pull;
  ``buildx imagetools create -t DST SRC...``; ``manifest push``; the
  ``image``/``container``/``builder``/``buildx`` group forms.  ``compose`` is
  not an image command.
* kaniko (``/kaniko/executor``): ``--destination``/``-d`` and ``--cache-repo``
  push (unknown with ``--no-push``).
* ``crane``/``gcrane``: ``copy|cp SRC DST``, ``push TARBALL DST``, ``pull
  IMG... TARBALL``, ``tag IMG TAG``, ``mutate``/``append`` (base pulls,
  ``-t`` pushes), ``delete``, and the read-only ``digest``/``manifest``/
  ``config``/``export``/``ls``.
* ``skopeo``: ``copy docker://SRC docker://DST``, ``inspect``, ``delete``,
  ``list-tags``, ``sync --src docker --dest docker``.  Only the ``docker://``
  transport names a registry image; ``oci:``, ``dir:``, ... do not.

A word whose value is not fully known gives no fact.  Options are read the way
the tools' flag parsers read them (``--opt=value``, ``--opt value``, clustered
short flags ``-it``, ``-dp 80:80``), from per-tool tables of options that take
a value, so an option's value is never taken for the image.
"""

from __future__ import annotations

import posixpath

from dataclasses import dataclass, replace
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.core.model import LOCAL, PULL, PUSH, ImageFact
from nexus_lint.lang.shell import Command, ShellAnalysis, Word

__all__ = ["image_facts", "parse_options"]

_IF_PUSHED = "if-pushed"  # resolved after the whole script is seen
# A name that stays on the machine (a ``tag`` source, ``podman push``'s source,
# ``run --pull=never``, kaniko ``--no-push``).  The model has no role for it
# yet, so it is reported as unknown.
_LOCAL = LOCAL


def _opts(spec: str) -> frozenset:
    return frozenset(spec.split())


# -- option tables (options that take a value) -----------------------------------

_DOCKER_GLOBAL = _opts("""
    --config -c --context -H --host -l --log-level --tlscacert --tlscert --tlskey
    --cgroup-manager --cni-config-dir --conmon --connection --events-backend --hooks-dir --identity
    --imagestore --module --network-cmd-path --network-config-dir --out --root --runroot --runtime
    --runtime-flag --ssh --storage-driver --storage-opt --tmpdir --url --volumepath
    --address -a --namespace -n --snapshotter --cni-path --cni-netconfpath --data-root --hosts-dir
    --host-gateway-ip --bridge-ip --registries-conf --registries-conf-dir --userns-gid-map
    --userns-uid-map --short-name-alias-conf
""")
_RUN = _opts("""
    -a --attach --add-host --annotation --arch --authfile --blkio-weight --blkio-weight-device
    --cap-add --cap-drop --cgroup-conf --cgroup-parent --cgroupns --cgroups --chrootdirs --cidfile
    --conmon-pidfile --cpu-count --cpu-percent --cpu-period --cpu-quota --cpu-rt-period
    --cpu-rt-runtime -c --cpu-shares --cpus --cpuset-cpus --cpuset-mems --creds --decryption-key
    --detach-keys --device --device-cgroup-rule --device-read-bps --device-read-iops
    --device-write-bps --device-write-iops --dns --dns-opt --dns-option --dns-search --domainname
    --entrypoint -e --env --env-file --env-merge --expose --gidmap --gpus --group-add --group-entry
    --health-cmd --health-interval --health-on-failure --health-retries --health-start-interval
    --health-start-period --health-startup-cmd --health-startup-interval --health-startup-retries
    --health-startup-success --health-startup-timeout --health-timeout -h --hostname --hosts-file
    --hostuser --image-volume --init-path --io-maxbandwidth --io-maxiops --ip --ip6 --ipc
    --isolation --kernel-memory -l --label --label-file --link --link-local-ip --log-driver
    --log-opt --mac-address -m --memory --memory-reservation --memory-swap --memory-swappiness
    --mount --name --net --network --net-alias --network-alias --oom-score-adj --os
    --passwd-entry --personality --pid --pidfile --pids-limit --platform --pod --pod-id-file
    --preserve-fds -p --publish --pull --rdt-class --requires --restart --retry --retry-delay
    --runtime --sdnotify --seccomp-policy --secret --security-opt --shm-size --shm-size-systemd
    --stop-signal --stop-timeout --storage-opt --subgidname --subuidname --sysctl --systemd
    --timeout --tmpfs --tz --uidmap --ulimit --umask --unsetenv -u --user --userns --uts --variant
    -v --volume --volume-driver --volumes-from -w --workdir --cert-dir --format --policy
""")
_PULL = _opts("""
    --platform --arch --os --variant --authfile --cert-dir --creds --decryption-key --retry
    --retry-delay --policy --unpack --namespace
""")
_PUSH = _opts("""
    --platform --authfile --cert-dir --creds --digestfile -f --format --compression-format
    --compression-level --encryption-key --encrypt-layer --sign-by --sign-by-sigstore
    --sign-by-sigstore-private-key --sign-passphrase-file --retry --retry-delay
""")
_BUILD = _opts("""
    --add-host --allow --annotation --arch --attest --authfile --build-arg --build-arg-file
    --build-context --builder --cache-from --cache-to --cache-ttl --call --cap-add --cap-drop
    --cert-dir --cgroup-parent --cgroupns --cpu-period --cpu-quota -c --cpu-shares --cpuset-cpus
    --cpuset-mems --creds --decryption-key --device --dns --dns-option --dns-search --env -f --file
    --format --from --group-add --hooks-dir --iidfile --ignorefile --ipc --isolation --jobs --label
    --layer-label --logfile --manifest -m --memory --memory-swap --metadata-file --network
    --no-cache-filter --os -o --output --pid --platform --progress --provenance --retry
    --retry-delay --runtime --runtime-flag --sbom --secret --security-opt --shm-size --sign-by
    --ssh -t --tag --target --timestamp --ulimit --unsetenv --userns --userns-gid-map
    --userns-uid-map --uts --variant -v --volume
""")
_IMAGETOOLS = _opts("-f --file --annotation --platform --progress -t --tag --builder")
_MANIFEST = _opts("--authfile --cert-dir --creds --digestfile -f --format --sign-by --retry --retry-delay")
_KANIKO = _opts("""
    --build-arg --cache-dir --cache-repo --cache-ttl -c --context --context-sub-path
    --custom-platform -d --destination --digest-file -f --dockerfile --git --ignore-path
    --image-download-retry --image-fs-extract-retry --image-name-with-digest-file
    --image-name-tag-with-digest-file --insecure-registry --kaniko-dir --label --log-format
    --oci-layout-path --push-retry --registry-certificate --registry-client-cert --registry-map
    --registry-mirror --skip-tls-verify-registry --snapshot-mode --tar-path --target -v
    --verbosity --compression --compression-level --credential-helpers --annotation
""")
_CRANE_GLOBAL = _opts("--platform")
_CRANE = {
    "copy": _opts("-j --jobs --platform"),
    "push": _opts("--image-refs --platform"),
    "pull": _opts("--cache_path --format --platform"),
    "mutate": _opts("""-a --annotation --append --cmd --entrypoint -e --env --exposed-ports -l --label
                       -o --output --repo --set-platform -t --tag -u --user -w --workdir --platform"""),
    "append": _opts("-b --base -f --new_layer -o --output -t --new_tag --platform"),
}
_SKOPEO_GLOBAL = _opts("""
    --policy --registries.d --override-arch --override-os --override-variant --tmpdir
    --command-timeout --registries-conf --user-agent
""")
_SKOPEO = _opts("""
    --authfile --src-authfile --dest-authfile --src-creds --dest-creds --creds --src-cert-dir
    --dest-cert-dir --cert-dir --src-registry-token --dest-registry-token --registry-token --format
    -f --sign-by --sign-by-sigstore --sign-by-sigstore-private-key --sign-passphrase-file
    --sign-identity --additional-tag --digestfile --dest-compress-format --dest-compress-level
    --encryption-key --encrypt-layer --decryption-key --image-parallel-copies --multi-arch
    --retry-times --retry-delay --src-shared-blob-dir --dest-shared-blob-dir --src -s --dest -d
    --append-suffix --override-arch --override-os --override-variant
""")

_TRANSPORTS = frozenset({"docker", "oci", "oci-archive", "dir", "docker-archive", "docker-daemon",
                         "containers-storage", "sif", "ostree", "tarball"})
_FALSE = frozenset({"false", "0", "no", "off"})


# -- option parsing -----------------------------------------------------------------

Option = Tuple[str, Optional[Word]]


def parse_options(args: Sequence[Word], valued: frozenset, *, stop_at_positional: bool = False,
                  equals: bool = True) -> Tuple[List[Option], List[Word], int]:
    """Split ``args`` the way Go's pflag (cobra) does.

    With ``equals=False`` (curl's own reading) a long option never takes
    ``=value`` and a short one's value is the rest of the word as written.
    Returns ``(options, positionals, stop)``: options as ``(name, value word or
    None)``; with ``stop_at_positional`` parsing ends at the first positional
    (``positionals`` then holds just it and ``stop`` is its index).  A word
    whose value starts with an unknown part (``$ARGS``) counts as a positional.
    """
    opts: List[Option] = []
    pos: List[Word] = []
    k, n = 0, len(args)
    while k < n:
        w = args[k]
        t = w.value.text
        if t == "--":
            rest = list(args[k + 1:])
            if stop_at_positional:
                return opts, rest[:1], k + 1
            pos.extend(rest)
            break
        if len(t) < 2 or t[0] != "-":
            pos.append(w)
            if stop_at_positional:
                return opts, pos, k
            k += 1
            continue
        if t.startswith("--"):
            name, eq, _ = t.partition("=") if equals else (t, "", "")
            if eq:
                opts.append((name, w.sub(len(name) + 1)))
            elif name in valued and k + 1 < n:
                opts.append((name, args[k + 1]))
                k += 1
            else:
                opts.append((name, None))
            k += 1
            continue
        # short options, possibly clustered; a valued one takes the rest of the word or the next one
        k += 1
        for j in range(1, len(t)):
            name = "-" + t[j]
            if name in valued:
                if j + 1 < len(t):
                    start = j + 2 if equals and t[j + 1] == "=" else j + 1
                    opts.append((name, w.sub(start)))
                elif k < n:
                    opts.append((name, args[k]))
                    k += 1
                else:
                    opts.append((name, None))
                break
            opts.append((name, None))
    return opts, pos, n


def _values(opts: Sequence[Option], *names: str) -> List[Word]:
    return [v for name, v in opts if name in names and v is not None]


def _flag(opts: Sequence[Option], *names: str) -> bool:
    """A boolean flag given and not set to false (``--push``, ``--push=true``)."""
    on = False
    for name, v in opts:
        if name in names:
            on = v is None or v.value.text.lower() not in _FALSE
    return on


def _fields(word: Word) -> Iterator[Tuple[str, Word]]:
    """``key=value`` fields of a comma-separated option value, as sub-words."""
    text = word.value.text
    pos = 0
    for part in text.split(","):
        key, eq, _ = part.partition("=")
        if eq:
            yield key.strip().lower(), word.sub(pos + len(key) + 1, pos + len(part))
        pos += len(part) + 1


def _docker_image(word: Word, *, require_transport: bool = False) -> Optional[Word]:
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


# -- facts -------------------------------------------------------------------------


@dataclass
class _Use:
    index: int  # command index in the analysis
    cmd: Command
    word: Word
    role: str
    origin: str


class _Collector:
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


def image_facts(analysis: ShellAnalysis) -> Iterator[ImageFact]:
    """Image references used by the analysed commands, in command order."""
    col = _Collector()
    for i, cmd in enumerate(analysis.commands):
        handler = _HANDLERS.get(cmd.name)
        if handler is None and cmd.argv and cmd.argv[0].known and cmd.argv[0].value.text.endswith("/kaniko/executor"):
            handler = _kaniko
        if handler is not None:
            handler(col, i, cmd)
    facts = []
    for use in col.uses:
        role = use.role
        if role == _IF_PUSHED:
            role = PUSH if col.pushed_later(use.index, use.word.value.text) else LOCAL
        fact = _fact(use.cmd, use.word, role, use.origin)
        if fact is not None:
            facts.append(fact)
    yield from run_what_was_built(facts)


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


# -- docker, podman, nerdctl, buildah ------------------------------------------------

_GROUPS = frozenset({"container", "image", "builder", "buildx", "manifest"})


def _docker(col: _Collector, i: int, cmd: Command) -> None:
    tool = cmd.name
    args = cmd.argv[1:]
    _, pos, k = parse_options(args, _DOCKER_GLOBAL, stop_at_positional=True)
    if not pos:
        return
    sub = pos[0].value.text
    rest = args[k + 1:]
    words = [tool]
    group = ""
    if sub in _GROUPS:
        group = sub
        _, pos, k = parse_options(rest, _opts("--builder"), stop_at_positional=True)
        if not pos:
            return
        words.append(group)
        sub = pos[0].value.text
        rest = rest[k + 1:]
        if group == "buildx" and sub == "imagetools":
            _, pos, k = parse_options(rest, frozenset(), stop_at_positional=True)
            if not pos or pos[0].value.text != "create":
                return
            _imagetools(col, i, cmd, rest[k + 1:], " ".join(words + ["imagetools create"]))
            return
    words.append(sub)
    origin = " ".join(words)
    if group == "manifest":
        if sub == "push":
            _push(col, i, cmd, rest, origin, _MANIFEST)
        return
    if sub == "pull" and group in ("", "image"):
        opts, images, _ = parse_options(rest, _PULL)
        for w in images:
            col.add(i, cmd, _docker_image(w), PULL, origin)
    elif (sub in ("run", "create") and group in ("", "container")) or (sub == "from" and tool == "buildah"):
        opts, pos, _ = parse_options(rest, _RUN | _PULL, stop_at_positional=True)
        if not pos or _flag(opts, "--rootfs"):
            return
        pull = _values(opts, "--pull")
        role = _LOCAL if pull and pull[-1].value.text == "never" else PULL
        col.add(i, cmd, _docker_image(pos[0]), role, origin)
    elif sub == "push" and group in ("", "image"):
        _push(col, i, cmd, rest, origin, _PUSH)
    elif sub == "tag" and group in ("", "image"):
        _, pos, _ = parse_options(rest, frozenset())
        if pos:
            col.add(i, cmd, pos[0], _LOCAL, origin)
        for w in pos[1:]:
            col.add(i, cmd, w, _IF_PUSHED, origin)
    elif sub in ("build", "b", "bud") and group in ("", "image", "builder", "buildx"):
        _build(col, i, cmd, rest, origin)


def _push(col: _Collector, i: int, cmd: Command, rest: Sequence[Word], origin: str, valued: frozenset) -> None:
    opts, pos, _ = parse_options(rest, valued)
    if not pos:
        return
    if len(pos) == 1:
        col.add(i, cmd, _docker_image(pos[0]), PUSH, origin)
        col.pushed(i, pos[0], _flag(opts, "-a", "--all-tags"))
    else:  # podman/buildah push SOURCE DESTINATION: the source is a local image
        col.add(i, cmd, pos[0], _LOCAL, origin)
        col.add(i, cmd, _docker_image(pos[1]), PUSH, origin)


def _build(col: _Collector, i: int, cmd: Command, rest: Sequence[Word], origin: str) -> None:
    opts, _, _ = parse_options(rest, _BUILD)
    push = _flag(opts, "--push")
    outputs = _values(opts, "-o", "--output")
    output_names: List[Word] = []
    for out in outputs:
        fields = list(_fields(out))
        kinds = [v.value.text for key, v in fields if key == "type"]
        if "registry" in kinds or any(key == "push" and v.value.text.lower() not in _FALSE for key, v in fields):
            push = True
        output_names.extend(v for key, v in fields if key == "name")
    role = PUSH if push else _IF_PUSHED
    for w in _values(opts, "-t", "--tag"):
        col.add(i, cmd, w, role, origin + " --tag")
    for w in output_names:
        col.add(i, cmd, w, role, origin + " --output")
    for name, role_ in (("--cache-to", PUSH), ("--cache-from", PULL)):
        for w in _values(opts, name):
            if "=" not in w.value.text:
                col.add(i, cmd, w, role_, f"{origin} {name}")
                continue
            fields = list(_fields(w))
            if any(key == "type" and v.value.text == "registry" for key, v in fields):
                for key, v in fields:
                    if key == "ref":
                        col.add(i, cmd, v, role_, f"{origin} {name}")
    for w in _values(opts, "--from"):  # podman/buildah: override the base image
        col.add(i, cmd, _docker_image(w), PULL, origin + " --from")


def _imagetools(col: _Collector, i: int, cmd: Command, rest: Sequence[Word], origin: str) -> None:
    opts, pos, _ = parse_options(rest, _IMAGETOOLS)
    for w in _values(opts, "-t", "--tag"):
        col.add(i, cmd, w, PUSH, origin + " --tag")
    for w in pos:
        col.add(i, cmd, _docker_image(w), PULL, origin)


# -- kaniko ----------------------------------------------------------------------------


def _kaniko(col: _Collector, i: int, cmd: Command) -> None:
    opts, _, _ = parse_options(cmd.argv[1:], _KANIKO)
    no_push = _flag(opts, "--no-push")
    for w in _values(opts, "-d", "--destination"):
        col.add(i, cmd, w, _LOCAL if no_push else PUSH, "kaniko --destination")
    cache_role = PULL if _flag(opts, "--no-push-cache") else PUSH
    for w in _values(opts, "--cache-repo"):
        col.add(i, cmd, w, cache_role, "kaniko --cache-repo")


# -- crane -----------------------------------------------------------------------------

_CRANE_READS = frozenset({"digest", "manifest", "config", "export", "ls", "validate", "blob"})


def _crane(col: _Collector, i: int, cmd: Command) -> None:
    args = cmd.argv[1:]
    _, pos, k = parse_options(args, _CRANE_GLOBAL, stop_at_positional=True)
    if not pos:
        return
    sub = pos[0].value.text
    sub = "copy" if sub == "cp" else sub
    origin = f"{cmd.name} {sub}"
    opts, pos, _ = parse_options(args[k + 1:], _CRANE.get(sub, _CRANE_GLOBAL))
    if sub == "copy":
        if len(pos) >= 2:
            col.add(i, cmd, pos[0], PULL, origin)
            col.add(i, cmd, pos[1], PUSH, origin)
    elif sub == "push":
        if len(pos) >= 2:
            col.add(i, cmd, pos[1], PUSH, origin)
    elif sub == "pull":
        for w in pos[:-1]:
            col.add(i, cmd, w, PULL, origin)
    elif sub in ("tag", "delete"):
        if pos:
            col.add(i, cmd, pos[0], PUSH, origin)
    elif sub == "mutate":
        if pos:
            col.add(i, cmd, pos[0], PULL, origin)
        for w in _values(opts, "-t", "--tag"):
            col.add(i, cmd, w, PUSH, origin + " --tag")
    elif sub == "append":
        for w in _values(opts, "-b", "--base"):
            col.add(i, cmd, w, PULL, origin + " --base")
        for w in _values(opts, "-t", "--new_tag"):
            col.add(i, cmd, w, PUSH, origin + " --new_tag")
    elif sub in _CRANE_READS:
        if pos:
            col.add(i, cmd, pos[0], PULL, origin)


# -- skopeo ----------------------------------------------------------------------------


def _skopeo(col: _Collector, i: int, cmd: Command) -> None:
    args = cmd.argv[1:]
    _, pos, k = parse_options(args, _SKOPEO_GLOBAL, stop_at_positional=True)
    if not pos:
        return
    sub = pos[0].value.text
    origin = f"skopeo {sub}"
    opts, pos, _ = parse_options(args[k + 1:], _SKOPEO)
    if sub == "copy":
        if len(pos) >= 2:
            col.add(i, cmd, _docker_image(pos[0], require_transport=True), PULL, origin)
            col.add(i, cmd, _docker_image(pos[1], require_transport=True), PUSH, origin)
    elif sub in ("inspect", "list-tags"):
        if pos:
            col.add(i, cmd, _docker_image(pos[0], require_transport=True), PULL, origin)
    elif sub == "delete":
        if pos:
            col.add(i, cmd, _docker_image(pos[0], require_transport=True), PUSH, origin)
    elif sub == "sync":
        src = [w.value.text for w in _values(opts, "-s", "--src")]
        dest = [w.value.text for w in _values(opts, "-d", "--dest")]
        if len(pos) >= 2:
            if src and src[-1] == "docker":
                col.add(i, cmd, pos[0], PULL, origin)
            if dest and dest[-1] == "docker":
                col.add(i, cmd, pos[1], PUSH, origin)


_HANDLERS: Dict[str, Callable[[_Collector, int, Command], None]] = {
    "docker": _docker,
    "podman": _docker,
    "nerdctl": _docker,
    "buildah": _docker,
    "executor": _kaniko,
    "crane": _crane,
    "gcrane": _crane,
    "skopeo": _skopeo,
}


# Words whose presence makes a piece of shell worth analysing at all: hosts
# (Dockerfile RUN, CI script lines) skip the tree-sitter parse without them.
# (credentials: analyse.secret_commands.TRIGGER, the words of prefilter.CREDENTIALS)
TRIGGER = lazy_re(r"docker|podman|nerdctl|buildah|kaniko|executor|g?crane|skopeo|"
                     r"(?i:pass|pwd|secret|token|auth|credential|api_key|apikey|api-key|npm_|pypi-|glpat-|ghp_|github_pat_)")


def command_facts(analysis: ShellAnalysis) -> Iterator[object]:
    """Every fact the command knowledge draws from analysed shell: what hosts call."""
    from nexus_lint.tools.secret_commands import credential_facts
    from nexus_lint.tools.url_commands import api_call_facts, url_facts

    yield from image_facts(analysis)
    yield from url_facts(analysis)
    yield from api_call_facts(analysis)
    yield from credential_facts(analysis)


def worth_analysing(text: str) -> bool:
    from nexus_lint.tools import url_commands

    return TRIGGER.search(text) is not None or url_commands.worth_analysing(text)


# -- scripts a piece of shell runs (what makes a script CI context) -------------------

_INTERPRETERS = frozenset({"sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "source", ".",
                           "python", "python3", "python2", "pwsh", "perl", "ruby", "node"})
_PROJECT_DIR = lazy_re(r"^(?:\"?\$\{?CI_PROJECT_DIR\}?\"?/)")


def script_paths(analysis: ShellAnalysis) -> Iterator[str]:
    cwd: Optional[str] = ""
    for cmd in analysis.commands:
        if not cmd.argv:
            continue
        first = cmd.argv[0]
        name = cmd.name
        if name == "cd" and cmd.depth == 0:
            cwd = _cd(cwd, cmd.argv[1:])
            continue
        target = None
        if name in _INTERPRETERS:
            target = _interpreter_arg(name, cmd.argv[1:])
        else:
            t = _word_path(first)
            if t is not None and "/" in t:
                target = first
        if target is None:
            continue
        path = _word_path(target)
        if path is None:
            continue
        full = normal_path(path if cwd is None or path.startswith("/") else posixpath.join(cwd, path))
        if full:
            yield full


_INLINE_CODE = {"python": "cm", "python3": "cm", "python2": "cm", "perl": "eE", "ruby": "e", "node": "ep", "pwsh": "c"}


def _interpreter_arg(name: str, args) -> Optional[object]:
    """The script file an interpreter runs (``None`` for ``-c CODE`` and the like)."""
    inline = _INLINE_CODE.get(name, "c")
    k = 0
    while k < len(args):
        w = args[k]
        t = w.value.text if w.known else w.raw.text
        k += 1
        if t == "--":
            continue
        if t.startswith("--"):
            if t in ("--command", "--eval", "--print"):
                return None
            continue
        if t in ("-o", "+o", "-O", "+O"):
            k += 1  # `bash -o pipefail x.sh`
            continue
        if t[:1] in "-+" and len(t) > 1:
            if t[0] == "-" and any(ch in inline for ch in t[1:]):
                return None
            continue
        return w
    return None


def _word_path(w) -> Optional[str]:
    if w.known:
        t = w.value.text
    else:
        m = _PROJECT_DIR.match(w.raw.text)
        if not m:
            return None
        t = w.raw.text[m.end():].strip('"')
        if "$" in t or "`" in t:
            return None
    if not t or t.startswith("/") or any(c in t for c in "*?[]{}<>|;&"):
        return None
    return t


def _cd(cwd: Optional[str], args) -> Optional[str]:
    if not args:
        return ""
    w = args[0]
    raw = w.raw.text.strip('"')
    if raw in ("$CI_PROJECT_DIR", "${CI_PROJECT_DIR}"):
        return ""
    if not w.known:
        m = _PROJECT_DIR.match(w.raw.text)
        if m:
            rest = w.raw.text[m.end():].strip('"')
            return None if "$" in rest else normal_path(rest)
        return None
    t = w.value.text
    if t.startswith("/") or t == "-" or t.startswith("~"):
        return None
    if cwd is None:
        return None
    joined = posixpath.normpath(posixpath.join(cwd, t))
    if joined.startswith(".."):
        return None
    return "" if joined == "." else joined


def normal_path(path: str) -> str:
    """A repository-relative path, normalised (``""`` when it leaves the repository)."""
    p = posixpath.normpath(path)
    if p == "." or p.startswith("../") or p == "..":
        return ""
    while p.startswith("./"):
        p = p[2:]
    return p
