"""``boot()``: bring an environment up, hand it over, and always take it down again.

Usage (what ``harness run`` and ``harness up`` do)::

    with boot(environment, artifacts_dir, keep=False, reuse=False) as stack:
        stack.urls["web"]          # rendered: http://127.0.0.1:49153
        stack.timings              # seconds per phase; stack.service_timings per service
        stack.deaths()             # services or processes that died since they were ready

The teardown runs on success, on failure (a failed ``up`` included), and on SIGINT, SIGTERM and
SIGHUP, which become :class:`~harness.errors.Interrupted` once the stack is gone.
"""

from __future__ import annotations

import json
import os
import secrets as random
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from harness.core.commands import fill_python
from harness.core.environment import Environment, ProcessConfig
from harness.core.masking import mask
from harness.core.templating import Context, names_in, render
from harness.errors import EnvironmentError_, HarnessError
from harness.stack.fingerprint import fingerprint
from harness.stack.labels import PORTS, project_name, stack_labels
from harness.stack.ports import allocate
from harness.stack.probes import http_probe, poll_until, tcp_probe
from harness.stack.processes import ProcessSpec, RunningProcess, start_processes, stop_processes
from harness.stack.readiness import ReadinessRules
from harness.stack.seed import run_seeds
from harness.stack.signals import shielded, signals_raise
from harness.stack.watch import ServiceDeath

if TYPE_CHECKING:  # the Compose modules bring the Docker SDK: imported for Compose only
    from harness.stack.compose import ComposeStack

Say = Callable[[str], None]

#: ``HARNESS_REUSE=true`` makes ``--reuse`` the default, except under CI=true.
REUSE_ENV = "HARNESS_REUSE"


def reuse_wanted(flag: bool, environ: Mapping[str, str] | None = None) -> bool:
    """``--reuse`` always counts; HARNESS_REUSE only outside CI, where reuse is off unless asked."""
    env = os.environ if environ is None else environ
    in_ci = env.get("CI", "").lower() == "true"
    return flag or (env.get(REUSE_ENV, "").lower() in ("1", "true", "yes") and not in_ci)


def say_on_stderr(message: str) -> None:
    print(f"harness: {message}", file=sys.stderr, flush=True)


def allocate_ports(environment: Environment) -> dict[str, str]:
    """A free port for each ``${port.NAME}`` the environment names (a run allocates them once,
    so what it prints and what it boots agree)."""
    return allocate({n for t in environment.templated_texts() for n in names_in(t, "port")})


def new_run_id() -> str:
    """A run id that sorts by time and is unique on one machine: ``20261121-093015-a1b2c3``."""
    return time.strftime("%Y%m%d-%H%M%S") + "-" + random.token_hex(3)


@dataclass
class RunningStack:
    """An environment that is up: where it answers, how long it took, where its logs go."""

    environment: Environment
    run_id: str
    artifacts_dir: Path
    urls: dict[str, str] = field(default_factory=dict)
    browser_urls: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    service_timings: dict[str, float] = field(default_factory=dict)
    boot_held_by: str | None = None
    context: Context = field(default_factory=Context)
    project: str | None = None
    reused: bool = False
    kept: bool = False
    compose: ComposeStack | None = None
    processes: list[RunningProcess] = field(default_factory=list)

    @property
    def logs_dir(self) -> Path:
        return self.artifacts_dir / "services"

    def problems(self) -> list[str]:
        """Services and processes that stopped being ready since the boot (evidence for a run)."""
        return [f"{d.kind} '{d.service}' {d.reason}" for d in self.deaths()]

    def deaths(self) -> list[ServiceDeath]:
        """Each service or process that died since the boot, with when and its last lines."""
        found = self.compose.deaths() if self.compose and self.compose.model else []
        return found + [d for d in (r.death() for r in self.processes) if d]


@contextmanager
def boot(
    environment: Environment,
    artifacts_dir: Path,
    *,
    keep: bool = False,
    reuse: bool = False,
    run_id: str | None = None,
    say: Say = say_on_stderr,
    ports: Mapping[str, str] | None = None,
    timings: dict[str, float] | None = None,
) -> Iterator[RunningStack]:
    """The environment, up and ready for the block; torn down after it, whatever happens.
    ``ports`` are the ``${port.NAME}`` values when the caller allocated them (else chosen here);
    ``timings`` (the stack's seconds per phase) is filled in also when the boot fails."""
    stack = RunningStack(environment, run_id or new_run_id(), Path(artifacts_dir))
    if timings is not None:
        stack.timings = timings
    stack.artifacts_dir.mkdir(parents=True, exist_ok=True)
    booting = _Boot(stack, keep=keep, reuse=reuse, say=say, ports=ports)
    with signals_raise():
        try:
            booting.up()
        except BaseException:
            with shielded():
                booting.teardown(booted=False, failing=True)
            raise
        try:
            yield stack
        except BaseException:
            with shielded():
                booting.teardown(booted=True, failing=True)
            raise
        with shielded():
            booting.teardown(booted=True, failing=False)


class _Boot:
    """The steps of one boot and its teardown, sharing the stack they fill in."""

    def __init__(
        self,
        stack: RunningStack,
        *,
        keep: bool,
        reuse: bool,
        say: Say,
        ports: Mapping[str, str] | None = None,
    ) -> None:
        self.stack = stack
        self.ports = ports
        self.env = stack.environment
        self.keep = keep
        self.reuse = reuse
        self.say = say
        self.secrets = frozenset(
            os.environ[n] for n in self.env.secret_names() if os.environ.get(n)
        )

    def up(self) -> None:
        started = time.monotonic()
        ports = dict(self.ports) if self.ports is not None else allocate_ports(self.env)
        self.stack.context = Context(env=os.environ, run_id=self.stack.run_id, ports=ports)
        if self.env.compose is not None:
            self._boot_compose()
        self._render_urls()
        self._start_processes()
        self._probe_ready()
        if self.env.seed and not self.stack.reused:
            self._timed("seed", self._seed)
        self.stack.timings["boot"] = time.monotonic() - started
        urls = "".join(f", {k}={mask(v, self.secrets)}" for k, v in self.stack.urls.items())
        self.say(f"'{self.env.name}' is ready in {self.stack.timings['boot']:.1f}s{urls}")

    def _timed(self, phase: str, action: Callable[[], object]) -> None:
        started = time.monotonic()
        action()
        self.stack.timings[phase] = time.monotonic() - started

    # --- Compose -------------------------------------------------------------------------

    def _boot_compose(self) -> None:
        from harness.stack.compose_setup import check_services

        compose = self._compose_stack()
        model = compose.read_model()
        check_services(self.env, model)
        contexts = [Path(c) for c in model.build_contexts]
        print_ = fingerprint(self.env, compose.cli.generation, contexts, os.environ)
        config = compose.config
        rules = ReadinessRules(config.one_shot | model.completed_dependencies, config.stable_for_s)
        if not (self.reuse and self._reuse(compose, print_, rules)):
            self._boot_fresh(compose, print_, rules)
        ports = compose.published_ports(self.env.compose_ports())
        self.stack.context = replace(self.stack.context, compose=ports)

    def _compose_stack(self) -> ComposeStack:
        from harness.stack.compose import ComposeStack
        from harness.stack.compose_cli import detect_compose
        from harness.stack.docker_state import connect
        from harness.stack.sweep import sweep_stale

        config = self.env.compose
        assert config is not None
        client = connect()
        sweep_stale(client, self.say)
        context = self.stack.context
        compose = ComposeStack(
            config,
            cli=detect_compose(),
            client=client,
            project=project_name(self.env.name, self.stack.run_id),
            artifacts_dir=self.stack.artifacts_dir,
            env={**os.environ, **{k: render(v, context) for k, v in config.env.items()}},
            secrets=self.secrets,
            say=self.say,
        )
        self.stack.compose = compose
        return compose

    def _boot_fresh(self, compose: ComposeStack, print_: str, rules: ReadinessRules) -> None:
        from harness.stack.compose_setup import image_prefix

        self.stack.kept = self.keep or self.reuse
        self.stack.project = compose.project
        self.say(f"booting {compose.project} with {compose.cli.describe()}")
        labels = stack_labels(
            run_id=self.stack.run_id,
            environment=self.env.name,
            env_file=self.env.file,
            fingerprint=print_,
            keep=self.stack.kept,
        )
        labels[PORTS] = json.dumps(dict(self.stack.context.ports), sort_keys=True)
        compose.write_override(labels, self.env.compose_ports(), image_prefix(self.env))
        self._timed("build", compose.build)
        self._timed("start", lambda: compose.start(rules))
        started = time.monotonic()
        self.stack.service_timings.update(compose.wait_ready())
        self.stack.timings["ready"] = time.monotonic() - started
        # Compose starts a service only once its dependencies are healthy, so the wait above
        # misses most of a database's start-up: Docker's own timestamps do not.
        self.stack.service_timings.update({s: took for s, (took, _) in compose.startup.items()})
        self.stack.boot_held_by = compose.held_boot()

    def _reuse(self, compose: ComposeStack, print_: str, rules: ReadinessRules) -> bool:
        from harness.stack.compose_setup import reusable_stack, stored_ports

        found = reusable_stack(compose.client, print_)
        if found is None:
            self.say("no running stack matches this configuration: booting one and keeping it")
            return False
        self.say(f"reusing {found.project} (run {found.run_id}, up since {found.started})")
        compose.project = found.project
        self.stack.project, self.stack.reused, self.stack.kept = found.project, True, True
        ports = {**self.stack.context.ports, **stored_ports(compose.client, found.project)}
        self.stack.context = replace(self.stack.context, ports=ports)
        compose.watch(rules)
        self.stack.service_timings.update(compose.wait_ready())
        return True

    # --- urls, processes, probe, seeds ----------------------------------------------------

    def _render_urls(self) -> None:
        urls = {name: render(url, self.stack.context) for name, url in self.env.urls.items()}
        self.stack.urls = urls
        self.stack.context = replace(self.stack.context, urls=urls)
        self.stack.browser_urls = {
            name: render(url, self.stack.context) for name, url in self.env.browser_urls.items()
        }

    def _start_processes(self) -> None:
        if not self.env.processes:
            return
        specs = [self._process_spec(p, self.stack.context) for p in self.env.processes]
        started = time.monotonic()
        timings = start_processes(specs, self.stack.logs_dir, self.secrets, self.stack.processes)
        self.stack.service_timings.update(timings)
        if timings and self.stack.boot_held_by is None:
            self.stack.boot_held_by = max(timings, key=lambda name: timings[name])
        self.stack.timings["processes"] = time.monotonic() - started

    def _process_spec(self, process: ProcessConfig, context: Context) -> ProcessSpec:
        command = tuple(fill_python(render(arg, context)) for arg in process.command)
        ready = process.ready
        return ProcessSpec(
            name=process.name,
            command=command,
            cwd=Path(render(str(process.cwd), context)),
            env={k: render(v, context) for k, v in process.env.items()},
            ready=replace(ready, target=render(ready.target, context)) if ready else None,
            stop_timeout_s=process.stop_timeout_s,
            shown_command=mask(" ".join(command), self.secrets),  # as it ran, never a ${...}
        )

    def _probe_ready(self) -> None:
        check = self.env.ready
        if check is None:
            return
        target = render(check.target, self.stack.context)
        probe = http_probe(target) if check.kind == "http" else tcp_probe(target)
        ready, seen = poll_until(probe, check.timeout_s)
        if not ready:
            shown = mask(target, self.secrets)
            raise EnvironmentError_(
                f"environment '{self.env.name}' was not ready within {check.timeout_s:g}s: "
                f"{check.kind} {shown} answered: {seen}"
            )

    def _seed(self) -> None:
        run_seeds(
            self.env.seed,
            compose=self.stack.compose,
            context=self.stack.context,
            root=self.env.root,
            artifacts_dir=self.stack.artifacts_dir,
            secrets=self.secrets,
            say=self.say,
        )

    # --- teardown ---------------------------------------------------------------------------

    def teardown(self, *, booted: bool, failing: bool) -> None:
        """Stop processes, save logs, remove the stack (unless kept or reused)."""
        started = time.monotonic()
        errors: list[str] = []
        _attempt(errors, "stopping processes", lambda: stop_processes(self.stack.processes))
        compose = self.stack.compose
        if compose is not None and compose.model is not None:
            _attempt(errors, "saving service logs", compose.save_logs)
            self._finish_compose(compose, booted, errors)
        self.stack.timings["teardown"] = time.monotonic() - started
        if errors and not failing:
            raise EnvironmentError_("the teardown failed:\n" + "\n".join(errors))
        for error in errors:
            self.say(f"teardown: {error}")

    def _finish_compose(self, compose: ComposeStack, booted: bool, errors: list[str]) -> None:
        if booted and self.stack.kept:
            self._say_kept(compose)
            return
        self.stack.kept = False
        self.say(f"removing {compose.project}")
        _attempt(errors, f"removing {compose.project}", compose.down)

    def _say_kept(self, compose: ComposeStack) -> None:
        how = "reused and left" if self.stack.reused else "left"
        self.say(f"{how} running: {compose.project}")
        for name, url in self.stack.urls.items():
            self.say(f"  {name}: {mask(url, self.secrets)}")
        self.say(f"  remove it with: harness down --env {self.env.name}")


def _attempt(errors: list[str], what: str, action: Callable[[], object]) -> None:
    caught: tuple[type[Exception], ...] = (HarnessError, OSError, *_docker_errors())
    try:
        action()
    except caught as exc:
        errors.append(f"{what}: {exc}")


def _docker_errors() -> tuple[type[Exception], ...]:
    """The Docker SDK's errors, when a Compose stack brought the SDK in (none can occur else)."""
    if "docker.errors" not in sys.modules:
        return ()
    import docker.errors

    return (docker.errors.DockerException,)
