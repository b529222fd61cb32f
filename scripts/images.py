#!/usr/bin/env python3
"""Build the base images the project needs, from Debian packages when no registry answers.

`images/base` is a Debian root filesystem: pulled as ``debian:bookworm-slim`` where a registry
is reachable, otherwise made with debootstrap from this machine's own Debian mirror and
imported. Every other folder under ``images/`` is a Dockerfile built ``FROM`` that base; its
first line names its tag (``# image: NAME:TAG``). Each image carries a label with the hash of
its inputs, so a second run with nothing changed builds nothing.

    scripts/images.py build [NAME ...]     build what is missing or stale, print the tags
    scripts/images.py tags                 print NAME TAG for every image
    scripts/images.py env                  write .env for docker-compose.staging.yml: a stand-in
                                           for each public image that cannot be pulled

HARNESS_IMAGE_PREFIX (default ``harness-local``) is the namespace of every image made here, so a
check of the set-up (scripts/fresh_machine.py) builds its own set without touching the one
everybody's tests use.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docker
import docker.errors

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "images"
DEFAULT_PREFIX = "harness-local"
PREFIX = os.environ.get("HARNESS_IMAGE_PREFIX") or DEFAULT_PREFIX
BASE_TAG = f"{PREFIX}/debian:bookworm"
BASE_PACKAGES = "python3,ca-certificates"
INPUTS_LABEL = "org.harness.image-inputs"
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")
#: The public images of docker-compose.staging.yml: the variable naming each, and its stand-in.
PUBLIC_IMAGES = (
    ("POSTGRES_IMAGE", "postgres:16-alpine", "postgres"),
    ("REDIS_IMAGE", "redis:7-alpine", "redis"),
    ("PYTHON_BASE", "python:3.12-slim", "python"),
)
ENV_FILE = ROOT / ".env"
ENV_HEADER = "# Stand-ins for public images that cannot be pulled here (scripts/images.py env):"


class BuildError(Exception):
    pass


def say(message: str) -> None:
    print(f"[images] {message}", file=sys.stderr, flush=True)


def image_tag(folder: Path) -> str:
    first = (folder / "Dockerfile").read_text().splitlines()[0]
    match = re.match(r"#\s*image:\s*(\S+)", first)
    if not match:
        raise BuildError(f"{folder}/Dockerfile:1:1: the first line must be '# image: NAME:TAG'")
    namespace, slash, rest = match.group(1).partition("/")
    return f"{PREFIX}/{rest}" if slash and namespace == DEFAULT_PREFIX else match.group(1)


def folder_hash(folder: Path, *extra: str) -> str:
    digest = hashlib.sha256("\0".join(extra).encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:24]


def current_inputs(client: docker.DockerClient, tag: str) -> str | None:
    try:
        labels = client.images.get(tag).labels or {}
    except docker.errors.ImageNotFound:
        return None
    return labels.get(INPUTS_LABEL)


def debian_mirror() -> str:
    """The first non-security Debian mirror this machine's apt is configured with."""
    texts = [p.read_text() for p in Path("/etc/apt").glob("sources.list*") if p.is_file()]
    texts += [p.read_text() for p in Path("/etc/apt/sources.list.d").glob("*") if p.is_file()]
    for text in texts:
        for url in re.findall(r"(?:^URIs:\s*|^deb\s+(?:\[[^]]*\]\s+)?)(https?://\S+)", text, re.M):
            if re.search(r"/debian/?$", url):  # not -security, not third-party repositories
                return url
    raise BuildError("no Debian mirror found in /etc/apt to debootstrap from")


def pull_base(client: docker.DockerClient) -> bool:
    try:
        image = client.images.pull("debian", tag="bookworm-slim")
    except docker.errors.APIError:
        return False
    say("pulled debian:bookworm-slim; adding python3 on top")
    build_dockerfile(
        client,
        BASE_TAG,
        "FROM debian:bookworm-slim\nRUN apt-get update"
        f" && apt-get install -y --no-install-recommends {BASE_PACKAGES.replace(',', ' ')}"
        " && rm -rf /var/lib/apt/lists/*\n",
        inputs=f"pulled:{image.id}",
    )
    return True


def debootstrap_base(inputs: str) -> None:
    if os.geteuid() != 0 or not shutil.which("debootstrap"):
        raise BuildError(
            "no registry answers and the base image must be made with debootstrap, which needs "
            "root and the debootstrap package (Debian: apt-get install debootstrap). Or make "
            f"`docker pull debian:bookworm-slim` work, or provide an image tagged {BASE_TAG}."
        )
    mirror = debian_mirror()
    with tempfile.TemporaryDirectory(prefix="harness-rootfs-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        say(f"debootstrap bookworm ({BASE_PACKAGES}); about a minute")
        run(
            [
                "debootstrap",
                "--variant=minbase",
                f"--include={BASE_PACKAGES}",
                "bookworm",
                str(rootfs),
                mirror,
            ],
            quiet=True,
        )
        for cache in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for item in (rootfs / cache).glob("*.deb"):
                item.unlink()
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        run(
            [
                "docker",
                "import",
                "--change",
                "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "--change",
                'CMD ["/bin/bash"]',
                "--change",
                f"LABEL {INPUTS_LABEL}={inputs}",
                "-",
                BASE_TAG,
            ],
            stdin=tar.stdout,
            quiet=True,
        )
        if tar.wait() != 0:
            raise BuildError("tar of the debootstrap root filesystem failed")


def run(argv: list[str], *, stdin: object = None, quiet: bool = False) -> None:
    result = subprocess.run(argv, stdin=stdin, capture_output=quiet, text=True, check=False)  # type: ignore[call-overload]
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout or "").splitlines()[-15:]) if quiet else ""
        raise BuildError(f"{argv[0]} exited {result.returncode}\n{tail}")


def build_base(client: docker.DockerClient) -> str:
    inputs = hashlib.sha256(f"bookworm:{BASE_PACKAGES}:v1".encode()).hexdigest()[:24]
    try:
        client.images.get(BASE_TAG)
        return BASE_TAG  # a base image, however it was made, is kept: it is the expensive one
    except docker.errors.ImageNotFound:
        pass
    if not pull_base(client):
        debootstrap_base(inputs)
    return BASE_TAG


def build_dockerfile(
    client: docker.DockerClient, tag: str, dockerfile: str, inputs: str, context: Path | None = None
) -> None:
    with tempfile.TemporaryDirectory(prefix="harness-image-") as tmp:
        ctx = Path(tmp)
        if context is not None:
            shutil.copytree(context, ctx, dirs_exist_ok=True)
        if HOST_CA.is_file():
            # Containers that install from a package index behind a TLS-intercepting proxy
            # need the host's CA bundle; Dockerfiles may COPY host-ca.crt.
            shutil.copy(HOST_CA, ctx / "host-ca.crt")
        (ctx / "Dockerfile").write_text(dockerfile)
        try:
            client.images.build(
                path=str(ctx),
                tag=tag,
                rm=True,
                forcerm=True,
                pull=False,
                buildargs={"BASE": BASE_TAG},
                labels={INPUTS_LABEL: inputs},
            )
        except docker.errors.BuildError as exc:
            log = "".join(str(chunk.get("stream", "")) for chunk in exc.build_log)
            raise BuildError(f"building {tag} failed: {exc}\n{log[-3000:]}") from exc


def build_folder(client: docker.DockerClient, folder: Path, base_id: str) -> str:
    tag = image_tag(folder)
    inputs = folder_hash(folder, base_id)
    if current_inputs(client, tag) == inputs:
        return tag
    say(f"building {tag} from images/{folder.name}")
    build_dockerfile(client, tag, (folder / "Dockerfile").read_text(), inputs, context=folder)
    return tag


def image_folders(names: list[str]) -> list[Path]:
    folders = sorted(p for p in IMAGES.iterdir() if (p / "Dockerfile").is_file())
    if names:
        unknown = set(names) - {p.name for p in folders}
        if unknown:
            raise BuildError(f"no such image folder: {', '.join(sorted(unknown))}")
        folders = [p for p in folders if p.name in names]
    return folders


def image_available(client: docker.DockerClient, ref: str) -> bool:
    """Whether the image is here already or can be pulled now."""
    try:
        client.images.get(ref)
        return True
    except docker.errors.ImageNotFound:
        pass
    repository, _, tag = ref.partition(":")
    try:
        client.images.pull(repository, tag=tag or "latest")
    except docker.errors.APIError:
        return False
    return True


def stand_ins(client: docker.DockerClient, base_id: str) -> dict[str, str]:
    """VARIABLE -> stand-in tag, for each public image that cannot be had; builds the stand-ins."""
    chosen: dict[str, str] = {}
    for variable, public, folder in PUBLIC_IMAGES:
        if not image_available(client, public):
            chosen[variable] = build_folder(client, IMAGES / folder, base_id)
            say(f"{public} cannot be pulled: {variable}={chosen[variable]}")
    return chosen


def write_env_file(path: Path, values: dict[str, str]) -> None:
    """Set our variables in a Compose .env file, keeping every other line the user wrote."""
    ours = {variable for variable, _, _ in PUBLIC_IMAGES}
    lines = path.read_text().splitlines() if path.is_file() else []
    kept = [ln for ln in lines if ln.split("=", 1)[0].strip() not in ours and ln != ENV_HEADER]
    added = [ENV_HEADER, *(f"{k}={v}" for k, v in values.items())] if values else []
    if kept or added:
        path.write_text("\n".join(kept + added) + "\n")
    elif path.is_file():
        path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "tags", "env"])
    parser.add_argument("names", nargs="*", help="image folders under images/ (default: all)")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z0-9]+(?:[._-][a-z0-9]+)*", PREFIX):
        say(
            f"error: HARNESS_IMAGE_PREFIX={PREFIX!r} is not a Docker image namespace "
            "(a-z, 0-9, and . _ - between them)"
        )
        return 2
    try:
        if args.command == "tags":
            print("base", BASE_TAG)
            for folder in image_folders(args.names):
                print(folder.name, image_tag(folder))
            return 0
        client = docker.from_env()
        build_base(client)
        base_id = client.images.get(BASE_TAG).id
        if args.command == "env":
            write_env_file(ENV_FILE, stand_ins(client, base_id))
            return 0
        for folder in image_folders(args.names):
            build_folder(client, folder, base_id)
    except (BuildError, docker.errors.DockerException) as exc:
        say(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
