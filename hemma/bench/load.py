"""Recording values through the API, sustained: `hemma bench-load`.

Two gunicorn workers on loopback take values through `POST /api/v1/values` while wrk (from
Debian) sends them for `--seconds`, over a few kept-alive connections. The floor, measured in
the same run against the same server, is a bare Django view that does one insert
(`hemma.bench.floor`, mounted only when HEMMA_BENCH_FLOOR is set): what the machine does
for a request that writes one row, without Hemma's work (the policy, the checks, the status,
the audit row).

What is recorded: the first value of each key (indicator, municipality or the region,
period) of the bench programmes' open year (the last; the years before lie in approved
rounds, which refuse values), which are removed first, so that every request is a first
value and needs no version. After each run the rows are counted: every answered request is
one stored row, or the run failed. The values removed are put back afterwards, those recorded
removed (the audit rows of the run stay). It runs only on the bench data
(hemma/bench/data.py: regions "bench-…").
"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from hemma.accounts.services import token_create
from hemma.audit.models import AuditEvent
from hemma.followup.models import Measurement, Round
from hemma.programmes.models import Indicator, Programme

BENCH_PREFIX = "bench-"
FLOOR_PATH = "/bench/floor/"
VALUES_PATH = "/api/v1/values"
FLOOR_TARGET = "bench.floor"

# wrk's script: each thread takes every `step`-th body from its own start; once they run out,
# the floor starts again ("cycle": any body does for it) and the values ask an address that
# answers 404 (an error: every value is recorded once, so there must be enough of them).
_LUA = """
local count = 0
function setup(thread)
  thread:set("id", count)
  count = count + 1
end
function init(args)
  bodies = {}
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  step = tonumber(args[2])
  cycle = args[3] == "cycle"
  index = id + 1
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if args[4] ~= nil then wrk.headers["Authorization"] = "Bearer " .. args[4] end
end
function request()
  if cycle and index > #bodies then index = id + 1 end
  local body = bodies[index]
  index = index + step
  if body == nil then return wrk.format("GET", "/bench/exhausted/") end
  return wrk.format(nil, nil, nil, body)
end
"""


@dataclass(frozen=True)
class LoadResult:
    """One wrk run: requests answered, per second, p99 latency, errors, rows stored."""

    requests: int
    per_second: float
    p99_ms: float
    errors: int
    rows: int

    @property
    def lost(self) -> int:
        """Requests answered 2xx whose row is not in the database. (There may be more rows
        than answers: wrk does not count the requests still in flight when it stops.)"""
        return max(0, self.requests - self.errors - self.rows)


# -- the bodies --------------------------------------------------------------------------------


def _figure(indicator: Indicator, index: int) -> dict:
    """A value of the indicator's kind, as a client would send it."""
    kind = indicator.kind
    Kind = Indicator.Kind
    if kind in (Kind.MILESTONE, Kind.ONGOING):
        return {"done": True}
    if kind == Kind.DELIVERABLE_LANGUAGES:
        return {"languages": ["sv", "fi", "ar"]}
    number: dict = {"number": str(Decimal(3 + index % 17))}
    if kind == Kind.COUNT_WITH_PARTICIPANTS:
        number["participants"] = 10 + index % 40
    return number


Key = tuple[int, int | None, str]  # indicator, municipality (None: the region), period


def bodies_prepare() -> tuple[list[str], list[Key], list[Measurement]]:
    """The values to record, their keys, and the values stored under those keys, which are
    removed (one transaction) and given back by `values_restore` after the run."""
    programmes = list(Programme.objects.filter(region__key__startswith=BENCH_PREFIX))
    if not programmes:
        raise RuntimeError("No bench data: run `hemma bench-data` first.")
    bodies: list[str] = []
    keys: list[Key] = []
    approved = set(
        Round.objects.filter(programme__in=programmes, state=Round.State.APPROVED).values_list(
            "programme_id", "period"
        )
    )
    for programme in programmes:
        year = str(programme.period_end)
        if (programme.pk, year) in approved:
            continue
        codes = list(programme.municipalities.order_by("code").values_list("pk", "code"))
        indicators = Indicator.objects.filter(
            action__programme=programme,
            source=Indicator.Source.MANUAL,
            period=Indicator.Period.YEAR,
        ).select_related("action")
        for indicator in indicators:
            places = [(None, None)] if indicator.scope == Indicator.Scope.REGION else codes
            for municipality_id, code in places:
                body = {
                    "programme": programme.slug,
                    "action": indicator.action.key,
                    "indicator": indicator.key,
                    "municipality": code,
                    "period": year,
                    **_figure(indicator, len(bodies)),
                }
                bodies.append(json.dumps(body))
                keys.append((indicator.pk, municipality_id, year))
    with transaction.atomic():
        stored = list(_stored(keys))
        _stored(keys).delete()
    return bodies, keys, stored


def values_restore(keys: list[Key], stored: list[Measurement]) -> None:
    """The values as they were before the run: what the load recorded is removed and what
    `bodies_prepare` removed comes back, so that `hemma bench` measures the same data after
    `hemma bench-load` as before it (`make bench` runs one after the other)."""
    with transaction.atomic():
        _stored(keys).delete()
        Measurement.objects.bulk_create(stored)


def _stored(keys: list[Key]):
    indicators = {indicator for indicator, _m, _p in keys}
    periods = {period for _i, _m, period in keys}
    return Measurement.objects.filter(indicator_id__in=indicators, period__in=periods)


# -- the server and the load -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_start(port: int) -> subprocess.Popen:
    """Gunicorn with two workers on loopback, the floor view mounted; waits until it answers."""
    environment = {**os.environ, "HEMMA_BENCH_FLOOR": "1"}
    # Our own interpreter and arguments, no user input.
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "hemma.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=environment,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        server.terminate()
        raise RuntimeError("gunicorn did not start")
    # Warm up: both workers loaded and connected before anything is timed (a first request
    # imports the views and opens the database connection).
    for _ in range(20):
        with urllib.request.urlopen(
            urllib.request.Request(f"http://127.0.0.1:{port}{FLOOR_PATH}", data=b"{}"),
            timeout=30,
        ) as answer:
            answer.read()
    return server


_LATENCY_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _parse(output: str) -> tuple[int, float, float, int]:
    """(requests, per second, p99 in ms, errors) from wrk's --latency output."""
    requests = int(re.search(r"(\d+) requests in", output)[1])  # type: ignore[index]
    per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])  # type: ignore[index]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    p99_ms = float(p99[1]) * _LATENCY_UNITS[p99[2]] if p99 else float("nan")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx[1]) if non_2xx else 0
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return requests, per_second, p99_ms, errors


def wrk_run(
    *, port: int, path: str, bodies: Path, seconds: int, connections: int, token: str = ""
) -> tuple[int, float, float, int]:
    threads = 2
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA)
    # A thread's connections share its Lua state: thread n takes bodies n, n + threads, ….
    arguments = [
        str(bodies),
        str(threads),
        "once" if token else "cycle",
        *([token] if token else []),
    ]
    # wrk from Debian on the PATH (scripts/ensure-system-packages bench), fixed arguments.
    completed = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            script.name,
            f"http://127.0.0.1:{port}{path}",
            "--",
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(script.name)
    return _parse(completed.stdout)


def load_run(*, seconds: int = 15, connections: int = 4) -> dict:
    """The floor, then the values, against one server; the result and its ratio."""
    bodies, keys, stored = bodies_prepare()
    user = get_user_model().objects.filter(is_superuser=True).first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench-load", password=None)
    _token, secret = token_create(user=user, name="bench-load")
    port = _free_port()
    server = server_start(port)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as file:
            file.write("\n".join(bodies) + "\n")
        path = Path(file.name)
        before = AuditEvent.objects.filter(target_type=FLOOR_TARGET).count()
        requests, per_second, p99, errors = wrk_run(
            port=port, path=FLOOR_PATH, bodies=path, seconds=seconds, connections=connections
        )
        floor = LoadResult(
            requests,
            per_second,
            p99,
            errors,
            AuditEvent.objects.filter(target_type=FLOOR_TARGET).count() - before,
        )
        requests, per_second, p99, errors = wrk_run(
            port=port,
            path=VALUES_PATH,
            bodies=path,
            seconds=seconds,
            connections=connections,
            token=secret,
        )
        record = LoadResult(requests, per_second, p99, errors, _stored(keys).count())
        path.unlink()
    finally:
        server.terminate()
        server.wait(timeout=30)
        values_restore(keys, stored)
    ratio = record.per_second / floor.per_second if floor.per_second else float("nan")
    return {
        "bodies": len(bodies),
        "seconds": seconds,
        "connections": connections,
        "floor": asdict(floor) | {"lost": floor.lost},
        "record": asdict(record) | {"lost": record.lost},
        "ratio": ratio,
        "met": ratio >= 0.5 and record.errors == 0 and record.lost == 0,
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
    }
