"""One run's Compose stack: built, started, judged ready, seeded, logged and removed.

The compose CLI drives the lifecycle (config, build, up -d, exec, down); every question about
state goes to the Docker SDK through :mod:`harness.stack.docker_state`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

import docker
import yaml

from harness.core.environment import ComposeConfig
from harness.core.masking import mask
from harness.errors import ComposeError, ServiceNotReadyError
from harness.stack.commands import CommandResult, run_host_command
from harness.stack.compose_cli import ComposeCli
from harness.stack.compose_model import ComposeModel, override_document, override_text
from harness.stack.docker_state import (
    Removed,
    last_log_lines,
    remove_by_label,
    remove_run_images,
    save_logs,
    states_of,
)
from harness.stack.labels import PROJECT, RUN
from harness.stack.readiness import (
    ContainerState,
    ReadinessRules,
    ReadinessTracker,
    ServiceReadiness,
)
from harness.stack.watch import ServiceDeath, utc_from_epoch

POLL_S = 0.2
DEATH_LOG_LINES = 20
Say = Callable[[str], None]


class ComposeStack:
    """A Compose project under a name of its own, driven by the CLI and watched through the SDK."""

    def __init__(
        self,
        config: ComposeConfig,
        *,
        cli: ComposeCli,
        client: docker.DockerClient,
        project: str,
        artifacts_dir: Path,
        env: Mapping[str, str],
        secrets: Collection[str] = (),
        say: Say = print,
    ) -> None:
        self.config = config
        self.cli = cli
        self.client = client
        self.project = project
        self.env = env
        self.secrets = secrets
        self.say = say
        self.logs_dir = artifacts_dir / "services"
        self.override = artifacts_dir / "compose.override.yml"
        self.model: ComposeModel | None = None
        self.run_id: str | None = None  # set when the override names this run's images
        self.touched = False
        self.tracker: ReadinessTracker | None = None
        #: service -> (seconds from its container's start to ready, the epoch time it was ready)
        self.startup: dict[str, tuple[float, float]] = {}

    # --- the compose CLI -------------------------------------------------------------------

    def _argv(self, *args: str) -> list[str]:
        files = [*self.config.files, *([self.override] if self.override.exists() else [])]
        return self.cli.argv(self.project, files, self.config.project_directory, *args)

    def _run(
        self,
        *args: str,
        timeout_s: float,
        watch: Callable[[], None] | None = None,
        separate_stderr: bool = False,
    ) -> CommandResult:
        return run_host_command(
            self._argv(*args),
            cwd=self.config.project_directory,
            env=self.env,
            timeout_s=timeout_s,
            error=ComposeError,
            watch=watch,
            separate_stderr=separate_stderr,
        )

    def _failed(self, what: str, result: CommandResult, limit_s: float) -> ComposeError:
        shown = " ".join(result.argv[: len(self.cli.command)] + result.argv[-3:])
        if result.timed_out:
            head = f"{what} did not finish within {limit_s:g}s"
        else:
            head = f"{what} failed ({shown} exited {result.returncode})"
        output = mask(result.tail(25), self.secrets)
        return ComposeError(f"{head}\n" + "\n".join(f"    {line}" for line in output.splitlines()))

    def read_model(self) -> ComposeModel:
        """Ask ``compose config`` (without the override) what the stack holds."""
        result = self._run("config", timeout_s=60, separate_stderr=True)
        if not result.ok:
            raise self._failed("reading the compose files", result, 60)
        try:
            data = yaml.safe_load(result.output)
        except yaml.YAMLError as exc:
            raise ComposeError(f"compose config printed something that is not YAML: {exc}") from exc
        self.model = ComposeModel.from_config(data or {})
        return self.model

    def write_override(
        self, labels: Mapping[str, str], ports: Iterable[tuple[str, int]], image_prefix: str
    ) -> None:
        assert self.model is not None
        self.run_id = labels.get(RUN)
        document = override_document(self.model, labels, ports, image_prefix, self.run_id or "")
        self.override.parent.mkdir(parents=True, exist_ok=True)
        self.override.write_text(override_text(document, labels.get("org.harness.run", "")))

    def build(self) -> float:
        """Build the images of services with ``build:``; seconds it took."""
        assert self.model is not None
        if not self.model.built:
            return 0.0
        self.touched = True
        self.say(f"building {', '.join(self.model.built)}")
        limit = self.config.build_timeout_s
        result = self._run("build", timeout_s=limit)
        if not result.ok:
            raise self._failed("building the images", result, limit)
        return result.duration_s

    def start(self, rules: ReadinessRules) -> float:
        """``up -d``, failing fast when a service already crashed meanwhile; seconds it took."""
        self.touched = True
        self.watch(rules)
        limit = self.config.start_timeout_s
        result = self._run("up", "-d", "--no-build", timeout_s=limit, watch=self.check_failed)
        if not result.ok:
            self.check_failed()  # a crashed or unhealthy service explains more than compose does
            raise self._failed("starting the stack", result, limit)
        return result.duration_s

    def watch(self, rules: ReadinessRules) -> None:
        """Judge readiness by ``rules`` from now on (restart counts start from here)."""
        self.tracker = ReadinessTracker(rules)

    def exec(self, service: str, command: Iterable[str], timeout_s: float) -> CommandResult:
        return self._run("exec", "-T", service, *command, timeout_s=timeout_s)

    # --- readiness, through the SDK --------------------------------------------------------

    def verdicts(self) -> dict[str, ServiceReadiness]:
        """Each service's readiness now; raises ServiceNotReadyError for the first that failed."""
        assert self.model is not None
        assert self.tracker is not None
        states = self.states()
        now = time.time()
        verdicts = {}
        for service in self.model.services:
            mine = [s for s in states if s.service == service]
            verdicts[service] = verdict = self.tracker.judge(service, mine, now)
            if verdict.status == "failed":
                raise ServiceNotReadyError(self.explain(service, verdict))
        return verdicts

    def check_failed(self) -> None:
        self.verdicts()

    def states(self) -> list[ContainerState]:
        return states_of(self.client, self.project)

    def wait_ready(self) -> dict[str, float]:
        """Poll until every service is ready; seconds each took from this call. Fails fast.
        :attr:`startup` then holds each service's start-up by Docker's own timestamps."""
        started = time.monotonic()
        deadline = started + self.config.wait_timeout_s
        ready_after: dict[str, float] = {}
        while True:
            verdicts = self.verdicts()
            for service, verdict in verdicts.items():
                if verdict.status == "ready" and service not in ready_after:
                    ready_after[service] = time.monotonic() - started
                    self._startup(service)
                    self.say(f"{service} {verdict.reason}")
            if all(v.status == "ready" for v in verdicts.values()):
                return ready_after
            if time.monotonic() >= deadline:
                raise ServiceNotReadyError(self._timeout_message(verdicts))
            time.sleep(POLL_S)

    def _startup(self, service: str) -> None:
        """Its containers' start to ready (the last of them), and when that was."""
        seen = time.time()
        spans = [
            (c.started_at or seen, took)
            for c in self.states()
            if c.service == service and (took := c.startup_s(seen)) is not None
        ]
        if spans:
            started_at, took = max(spans, key=lambda span: span[0] + span[1])
            self.startup[service] = (took, started_at + took)

    def held_boot(self) -> str | None:
        """The service that was ready last, by Docker's clock: the one the boot waited for."""
        if not self.startup:
            return None
        return max(self.startup, key=lambda name: self.startup[name][1])

    def _timeout_message(self, verdicts: Mapping[str, ServiceReadiness]) -> str:
        waiting = {s: v for s, v in verdicts.items() if v.status != "ready"}
        limit = f"{self.config.wait_timeout_s:g}s"
        parts = [
            self.explain(service, verdict, f"service '{service}' was not ready within {limit}")
            for service, verdict in waiting.items()
        ]
        return "\n".join(parts)

    def explain(self, service: str, verdict: ServiceReadiness, headline: str | None = None) -> str:
        """The failure of one service: why, its last health check, its last log lines."""
        lines = [headline or f"service '{service}' {verdict.reason}"]
        if headline:
            lines.append(f"    it {verdict.reason}")
        container = verdict.container
        if container is not None and container.health_output:
            code = container.health_exit_code
            lines.append(f"    last health check (exit {code}):")
            lines += [f"      {line}" for line in container.health_output.splitlines()[-8:]]
        if container is not None:
            lines += self._last_logs(container)
        return mask("\n".join(lines), self.secrets)

    def _last_logs(self, container: ContainerState) -> list[str]:
        logs = last_log_lines(self.client, container.name, 15)
        full = f"    full log: {self.logs_dir / (container.service + '.log')}"
        if not logs:
            return [f"    {container.name} wrote no log lines", full]
        shown = [f"    last log lines of {container.name}:", *(f"      {line}" for line in logs)]
        return [*shown, full]

    def problems(self) -> list[str]:
        """Services that stopped being ready after the boot: exited, unhealthy, restarted."""
        return [f"service '{d.service}' {d.reason}" for d in self.deaths()]

    def deaths(self) -> list[ServiceDeath]:
        """Each service that stopped being ready after the boot, with its last log lines."""
        assert self.model is not None
        one_shot = self.tracker.rules.one_shot if self.tracker else frozenset()
        baselines = dict(self.tracker.baselines) if self.tracker else {}
        rules = ReadinessRules(one_shot, 0.0, max_restarts=1, booting=False)
        tracker = ReadinessTracker(rules, baselines)
        found = []
        for state in self.states():
            verdict = tracker.judge(state.service, [state], float("inf"))
            if verdict.status == "failed":
                found.append(self._death(state, verdict.reason))
        return found

    def _death(self, state: ContainerState, reason: str) -> ServiceDeath:
        exited = state.status in ("exited", "dead") or "restart" in reason
        died = state.finished_at if exited and state.finished_at else time.time()
        tail = last_log_lines(self.client, state.name, DEATH_LOG_LINES)
        return ServiceDeath(
            service=state.service,
            kind="service",
            at=utc_from_epoch(died),
            reason=reason,
            exit_code=state.exit_code if exited else None,
            log_tail=tuple(mask(line, self.secrets) for line in tail),
            log=f"services/{state.service}.log",
        )

    # --- ports and teardown ----------------------------------------------------------------

    def published_ports(self, wanted: Iterable[tuple[str, int]]) -> dict[str, str]:
        """``{"SERVICE.PORT": host port}`` for each (service, container port) wanted."""
        found = {}
        for service, port in sorted(set(wanted)):
            found[f"{service}.{port}"] = self._host_port(service, port)
        return found

    def _host_port(self, service: str, port: int) -> str:
        containers = self.client.containers.list(
            all=True,
            filters={
                "label": [f"{PROJECT}={self.project}", f"com.docker.compose.service={service}"]
            },
            ignore_removed=True,
        )
        for container in sorted(containers, key=lambda c: str(c.name)):
            bindings = (container.attrs["NetworkSettings"].get("Ports") or {}).get(f"{port}/tcp")
            host_port = _pick_binding(bindings or [])
            if host_port:
                return host_port
        raise ServiceNotReadyError(
            f"service '{service}' publishes no host port for its port {port} "
            "(is it running, and does it listen on that port?)"
        )

    def save_logs(self) -> list[Path]:
        return save_logs(self.client, self.project, self.logs_dir)

    def down(self) -> Removed:
        """``down -v --remove-orphans``, then remove through the SDK whatever is still there."""
        if self.touched:
            limit = self.config.stop_timeout_s + 120
            result = self._run(*self.cli.down_args(self.config.stop_timeout_s), timeout_s=limit)
            if not result.ok:
                self.say(str(self._failed("compose down", result, limit)))
        removed = remove_by_label(self.client, f"{PROJECT}={self.project}")
        if self.run_id and self.model is not None and self.model.built:
            removed += remove_run_images(self.client, self.run_id)
        return removed


def _pick_binding(bindings: list[Mapping[str, str]]) -> str | None:
    by_ip = {b.get("HostIp", ""): b.get("HostPort", "") for b in bindings}
    for ip in ("127.0.0.1", "0.0.0.0", ""):
        if by_ip.get(ip):
            return by_ip[ip]
    return next((port for port in by_ip.values() if port), None)
