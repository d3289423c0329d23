"""``docker``, ``podman``, ``nerdctl`` and ``buildah``: one command-line family, one option table.

Images (POLICY.md NX102/NX103):

* ``pull IMG`` and ``run|create [OPTIONS] IMG`` (``buildah from``) pull (LOCAL
  with ``--pull=never``); ``push IMG`` (``podman push SRC DEST``: DEST) pushes;
* ``tag SRC DST``: SRC is local (role unknown), DST pushes when a later
  ``push`` in the same script pushes that value, else unknown;
* ``build -t IMG``: the same, or push with ``--push`` / ``--output
  type=registry`` / ``push=true``; ``--cache-to`` registry refs push,
  ``--cache-from`` ones pull; podman/buildah ``--from`` pulls;
* ``buildx imagetools create -t DST SRC...``; ``manifest push``; the
  ``image``/``container``/``builder``/``buildx`` group forms.  ``compose`` is
  not an image command.

Logins (NX107): ``login [OPTIONS] SERVER`` names the registry its credentials
are for (no SERVER: Docker Hub, no fact).

Credentials (NX401-NX403): ``login -p/--password VALUE`` is always a password on
the command line (``argument``, NX403), and a hardcoded one when VALUE is a
literal; ``echo 'secret' | docker login --password-stdin`` (``printf`` too),
``<<< 'secret'`` or a heredoc: the literal fed in; ``run -e NAME=value`` and
``build --build-arg NAME=value`` with a secret-like NAME.

A word whose value is not fully known gives no image fact (but see
:func:`~.images.known_name`).
"""

from __future__ import annotations

from typing import Optional, Sequence

from nexus_lint.core.model import LOCAL, PULL, PUSH
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut, password_stdin
from nexus_lint.tools.images import IF_PUSHED, ImageOut, registry_image
from nexus_lint.tools.logins import LoginOut
from nexus_lint.tools.options import FALSE, fields, flag, opts, parse_options, subcommand, values
from nexus_lint.values import secrets as S

__all__ = ["images", "credentials", "login", "logins", "login_registry"]

# -- option tables (options that take a value) -----------------------------------

_GLOBAL = opts("""
    --config -c --context -H --host -l --log-level --tlscacert --tlscert --tlskey
    --cgroup-manager --cni-config-dir --conmon --connection --events-backend --hooks-dir --identity
    --imagestore --module --network-cmd-path --network-config-dir --out --root --runroot --runtime
    --runtime-flag --ssh --storage-driver --storage-opt --tmpdir --url --volumepath
    --address -a --namespace -n --snapshotter --cni-path --cni-netconfpath --data-root --hosts-dir
    --host-gateway-ip --bridge-ip --registries-conf --registries-conf-dir --userns-gid-map
    --userns-uid-map --short-name-alias-conf
""")
_RUN = opts("""
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
_PULL = opts("""
    --platform --arch --os --variant --authfile --cert-dir --creds --decryption-key --retry
    --retry-delay --policy --unpack --namespace
""")
_PUSH = opts("""
    --platform --authfile --cert-dir --creds --digestfile -f --format --compression-format
    --compression-level --encryption-key --encrypt-layer --sign-by --sign-by-sigstore
    --sign-by-sigstore-private-key --sign-passphrase-file --retry --retry-delay
""")
_BUILD = opts("""
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
_IMAGETOOLS = opts("-f --file --annotation --platform --progress -t --tag --builder")
_MANIFEST = opts("--authfile --cert-dir --creds --digestfile -f --format --sign-by --retry --retry-delay")
_GROUP = opts("--builder")
_LOGIN = opts("-u --username -p --password --authfile --cert-dir --compat-auth-file -s --server")

_GROUPS = frozenset({"container", "image", "builder", "buildx", "manifest"})


# -- images ----------------------------------------------------------------------------


def images(out: ImageOut, i: int, cmd: Command) -> None:
    tool = cmd.name
    sub, rest = subcommand(cmd.argv[1:], _GLOBAL)
    if sub is None:
        return
    words = [tool]
    group = ""
    if sub in _GROUPS:
        group = sub
        sub, rest = subcommand(rest, _GROUP)
        if sub is None:
            return
        words.append(group)
        if group == "buildx" and sub == "imagetools":
            create, rest = subcommand(rest, frozenset())
            if create != "create":
                return
            _imagetools(out, i, cmd, rest, " ".join(words + ["imagetools create"]))
            return
    words.append(sub)
    _subcommand(out, i, cmd, tool, group, sub, rest, " ".join(words))


def _subcommand(out: ImageOut, i: int, cmd: Command, tool: str, group: str, sub: str, rest: Sequence[Word],
                origin: str) -> None:
    if group == "manifest":
        if sub == "push":
            _push(out, i, cmd, rest, origin, _MANIFEST)
        elif sub == "create":  # create LIST IMAGE...: the list is pushed by a later `manifest push LIST`
            _, pos, _ = parse_options(rest, _MANIFEST)
            if pos:
                out.add(i, cmd, pos[0], IF_PUSHED, origin)
            for w in pos[1:]:
                out.add(i, cmd, registry_image(w), PULL, origin)
        elif sub == "inspect":
            _, pos, _ = parse_options(rest, _MANIFEST)
            if pos:
                out.add(i, cmd, registry_image(pos[-1]), PULL, origin)
        return
    if sub == "pull" and group in ("", "image"):
        _, pulled, _ = parse_options(rest, _PULL)
        for w in pulled:
            out.add(i, cmd, registry_image(w), PULL, origin)
    elif (sub in ("run", "create") and group in ("", "container")) or (sub == "from" and tool == "buildah"):
        found, pos, _ = parse_options(rest, _RUN | _PULL, stop_at_positional=True)
        if not pos or flag(found, "--rootfs"):
            return
        pull = values(found, "--pull")
        role = LOCAL if pull and pull[-1].value.text == "never" else PULL
        out.add(i, cmd, registry_image(pos[0]), role, origin)
    elif sub == "push" and group in ("", "image"):
        _push(out, i, cmd, rest, origin, _PUSH)
    elif sub == "tag" and group in ("", "image"):
        _, pos, _ = parse_options(rest, frozenset())
        if pos:
            out.add(i, cmd, pos[0], LOCAL, origin)
        for w in pos[1:]:
            out.add(i, cmd, w, IF_PUSHED, origin)
    elif sub in ("build", "b", "bud") and group in ("", "image", "builder", "buildx"):
        _build(out, i, cmd, rest, origin)


def _push(out: ImageOut, i: int, cmd: Command, rest: Sequence[Word], origin: str, valued: frozenset) -> None:
    found, pos, _ = parse_options(rest, valued)
    if not pos:
        return
    if len(pos) == 1:
        out.add(i, cmd, registry_image(pos[0]), PUSH, origin)
        out.pushed(i, pos[0], flag(found, "-a", "--all-tags"))
    else:  # podman/buildah push SOURCE DESTINATION: the source is a local image
        out.add(i, cmd, pos[0], LOCAL, origin)
        out.add(i, cmd, registry_image(pos[1]), PUSH, origin)


def _build(out: ImageOut, i: int, cmd: Command, rest: Sequence[Word], origin: str) -> None:
    found, _, _ = parse_options(rest, _BUILD)
    push = flag(found, "--push")
    output_names = []
    for output in values(found, "-o", "--output"):
        parts = list(fields(output))
        kinds = [v.value.text for key, v in parts if key == "type"]
        if "registry" in kinds or any(key == "push" and v.value.text.lower() not in FALSE for key, v in parts):
            push = True
        output_names.extend(v for key, v in parts if key == "name")
    role = PUSH if push else IF_PUSHED
    for w in values(found, "-t", "--tag"):
        out.add(i, cmd, w, role, origin + " --tag")
    for w in output_names:
        out.add(i, cmd, w, role, origin + " --output")
    for name, role_ in (("--cache-to", PUSH), ("--cache-from", PULL)):
        for w in values(found, name):
            if "=" not in w.value.text:
                out.add(i, cmd, w, role_, f"{origin} {name}")
                continue
            parts = list(fields(w))
            if any(key == "type" and v.value.text == "registry" for key, v in parts):
                for key, v in parts:
                    if key == "ref":
                        out.add(i, cmd, v, role_, f"{origin} {name}")
    for w in values(found, "--from"):  # podman/buildah: override the base image
        out.add(i, cmd, registry_image(w), PULL, origin + " --from")


def _imagetools(out: ImageOut, i: int, cmd: Command, rest: Sequence[Word], origin: str) -> None:
    found, pos, _ = parse_options(rest, _IMAGETOOLS)
    for w in values(found, "-t", "--tag"):
        out.add(i, cmd, w, PUSH, origin + " --tag")
    for w in pos:
        out.add(i, cmd, registry_image(w), PULL, origin)


# -- logins --------------------------------------------------------------------------------


def logins(out: LoginOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    word = login_registry(cmd)
    if word is not None:
        out.add(cmd, word, f"{cmd.name} login")


def login_registry(cmd: Command) -> Optional[Word]:
    """The SERVER word of ``CMD [GLOBAL OPTIONS] login [OPTIONS] SERVER`` (also skopeo's)."""
    sub, rest = subcommand(cmd.argv[1:], _GLOBAL)
    if sub != "login":
        return None
    _, pos, _ = parse_options(rest, _LOGIN)
    return pos[0] if pos else None


# -- credentials ---------------------------------------------------------------------------


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    login(out, analysis, cmd)
    _env(out, cmd)


def login(out: CredentialOut, analysis: ShellAnalysis, cmd: Command) -> None:
    """``CMD login -p PASSWORD`` / ``--password-stdin`` (also skopeo's)."""
    sub, rest = subcommand(cmd.argv[1:], _GLOBAL)
    if sub != "login":
        return
    found, _, _ = parse_options(rest, _LOGIN)
    origin = f"{cmd.name} login"
    stdin = False
    for name, v in found:
        if name in ("-p", "--password") and v is not None:
            out.argument(cmd, v, f"{origin} {name}", f"{origin} {name}", "docker-login")
        elif name == "--password-stdin":
            stdin = True
    if stdin:
        password_stdin(out, analysis, cmd, origin, "docker-login")


_RUN_ENV = ("-e", "--env", "--build-arg")


def _env(out: CredentialOut, cmd: Command) -> None:
    """``docker run -e NAME=value`` / ``docker build --build-arg NAME=value``."""
    args = cmd.argv[1:]
    for k, w in enumerate(args):
        t = w.value.text
        if t in _RUN_ENV and k + 1 < len(args):
            _env_word(out, cmd, args[k + 1], f"{cmd.name} {t}")
        elif t.startswith(("--env=", "--build-arg=")):
            opt = t.partition("=")[0]
            _env_word(out, cmd, w.sub(len(opt) + 1), f"{cmd.name} {opt}")


def _env_word(out: CredentialOut, cmd: Command, w: Word, origin: str) -> None:
    name, eq, value = w.value.text.partition("=")
    if not eq or not S.is_secret_key(name) or not w.known:
        return
    part = S.secret_part(value, name)
    if part is not None:
        base = len(name) + 1
        hint = "dockerfile" if "build-arg" in origin else "env"
        out.literal(cmd, w, (base + part[0], base + part[1]), name, f"{origin} {name}", hint, S.kind_for(name))
