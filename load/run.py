"""Load and fault test: `make load` (not part of the test suite).

Starts `make serve` (gunicorn + WhiteNoise, production settings over plain HTTP) on a free
127.0.0.1 port, against DATABASE_URL if set (scripts/with_postgres.sh sets it) or a throwaway
SQLite file, seeded with a year of data per person. Then USERS simulated people, arriving over
RAMP seconds and each logged in through the real form, spend until SECONDS are up
saving moods for random past days, adding acts, reading /insights/ and downloading
/export/csv/, with no pause between requests. Halfway, one gunicorn worker is killed by its pid.
Once all have arrived, one more account uploads, previews and confirms the largest file the
/import/ page accepts (bench/largest_import.py) while the others keep saving; the server's log
gives the longest the import held the write transaction (SQLite's one write lock).
Afterwards it prints a table (requests/s, p50/p95/p99, errors) and checks in the database that
every act a client was told was saved exists exactly once, that every confirmed mood is stored,
that no response was a 5xx, that the import stored every day and act of the file, and that the
kill cost at most the request in flight.
Exit status 1 if any check fails. Traffic goes to 127.0.0.1 only, never through a proxy from
the environment. However the script ends (a failed check, an error, Ctrl-C, SIGTERM), the
server's whole process group (make, gunicorn's master and its workers) is stopped.
"""

import argparse
import asyncio
import datetime
import logging
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password-52"
CATEGORIES = ["checkin", "gift", "meal", "volunteering", "listening", "practical", "other"]
ACT_PREFIX = "load-act"  # seeded acts say "seeded"; the checks look only at these
PATHS = {"insights": "/insights/", "export csv": "/export/csv/"}
START_TIMEOUT = 120
IMPORTER = "loadimporter"
# Logged by kindjournal/imports/services.py after each import.
LOCK_HELD = re.compile(
    r"import wrote (\d+) days and (\d+) acts; write transaction held ([0-9.]+) s"
)


@dataclass
class Results:
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)  # (kind, what): a status other than expected
    lost: list = field(default_factory=list)  # (kind, what): no answer at all
    acts_confirmed: list = field(default_factory=list)  # (username, description)
    acts_unconfirmed: list = field(default_factory=list)  # sent, no answer (a killed worker)
    moods: list = field(default_factory=list)  # (username, day, mood, confirmed)
    retried_acts: int = 0
    imported: dict = field(default_factory=dict)  # the import phase: seconds, confirmed


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(port, data_dir, pid_file):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kindjournal.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "KINDJOURNAL_FIELD_KEYS": Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # The one production setting changed: no TLS proxy in front of this local run.
        "DJANGO_HTTPS": "false",
        "KINDJOURNAL_DATA_DIR": str(data_dir),
        "KINDJOURNAL_BASE_URL": f"http://127.0.0.1:{port}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN_CMD_ARGS": f"--pid {pid_file}",
    }
    env.pop("DJANGO_BEHIND_PROXY", None)
    return env


def setup_django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # The settings' root logger would print every client request httpx makes.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def seed(users, days, rng):
    """USERS people with a year of moods and acts each (the pages then have work to do)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from kindjournal.accounts.models import Profile
    from kindjournal.journal.models import DayEntry, KindnessAct

    password = make_password(PASSWORD)  # Argon2 once, shared: seeding is not what we measure
    people = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"load{n:02d}", password=password) for n in range(users)]
    )
    Profile.objects.bulk_create([Profile(user=person) for person in people])
    today = datetime.datetime.now(datetime.UTC).date()
    entries, acts = [], []
    for person in people:
        for offset in range(1, days + 1):
            day = today - datetime.timedelta(days=offset)
            entries.append(
                DayEntry(user=person, date=day, mood=rng.randint(1, 10), recorded_on=day)
            )
            acts += [
                KindnessAct(user=person, date=day, description="seeded", category="other")
                for _ in range(rng.choice([0, 1, 2, 3]))
            ]
    DayEntry.objects.bulk_create(entries, batch_size=2000)
    KindnessAct.objects.bulk_create(acts, batch_size=2000)
    return [person.username for person in people]


def importer_and_file():
    """IMPORTER's account (no days yet) and (bytes, days, acts) of the file it will import."""
    from django.contrib.auth import get_user_model

    from bench.largest_import import largest_kindjournal_file
    from kindjournal.accounts.models import Profile

    Profile.objects.create(user=get_user_model().objects.create_user(IMPORTER, password=PASSWORD))
    return largest_kindjournal_file(datetime.datetime.now(datetime.UTC).date())


def start_server(env):
    """`make serve` as the leader of a process group of its own, which stop_server() ends."""
    return subprocess.Popen(  # noqa: S603 - our own Makefile target
        ["make", "--no-print-directory", "serve"],  # noqa: S607 - make from PATH, as a person runs it
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["KINDJOURNAL_DATA_DIR"]) / "server.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )


def wait_until_up(server, port, log):
    deadline = time.monotonic() + START_TIMEOUT
    url = f"http://127.0.0.1:{port}/accounts/login/"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"make serve exited with {server.returncode}; see {log}")
        try:
            if httpx.get(url, timeout=2, trust_env=False).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"make serve did not answer within {START_TIMEOUT} s; see {log}")


def worker_pids(master):
    """The gunicorn master's child processes, from /proc."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parts = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(parts[1]) == master:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def stop_server(server):
    """Stop make, gunicorn's master and every worker: the whole process group, gracefully if
    it goes within a minute, else by force."""
    deadline = time.monotonic() + 60
    sent = signal.SIGTERM
    while True:
        server.poll()  # reap make, or its zombie would keep the group alive
        try:
            os.killpg(server.pid, sent)
        except ProcessLookupError:
            break
        if sent == signal.SIGTERM:
            sent = 0  # from now on, only ask whether any of them is left
        if time.monotonic() > deadline:
            sent = signal.SIGKILL
        time.sleep(0.2)
    server.wait()


def stop_on_sigterm(signum, frame):
    """SIGTERM (timeout, a CI runner) exits through the `finally` that stops the server."""
    raise SystemExit(128 + signum)


class Person:
    def __init__(self, username, base_url, results, rng, paths):
        self.username = username
        self.results = results
        self.rng = rng
        self.paths = paths
        self.http = httpx.AsyncClient(base_url=base_url, timeout=60, trust_env=False)
        self.today = datetime.datetime.now(datetime.UTC).date()

    async def request(self, kind, method, url, expect, **kwargs):
        """One request, timed and checked; None if the connection failed."""
        start = time.perf_counter()
        try:
            response = await self.http.request(method, url, **kwargs)
        except httpx.TransportError as error:
            self.results.lost.append((kind, f"{type(error).__name__} on {url}"))
            return None
        self.results.latencies[kind].append(time.perf_counter() - start)
        self.results.statuses[response.status_code] += 1
        if response.status_code != expect:
            self.results.errors.append((kind, f"{response.status_code} on {url}"))
        return response

    def form(self, **fields):
        return {"csrfmiddlewaretoken": self.http.cookies["csrftoken"], **fields}

    async def post_and_follow(self, kind, url, data):
        response = await self.request(kind, "POST", url, 302, data=self.form(**data))
        if response is not None and response.status_code == 302:
            await self.request("page after saving", "GET", response.headers["location"], 200)
        return response

    async def log_in(self):
        await self.request("log in page", "GET", "/accounts/login/", 200)
        data = {"username": self.username, "password": PASSWORD}
        response = await self.request(
            "log in", "POST", "/accounts/login/", 302, data=self.form(**data)
        )
        if response is None:
            # Lost with the killed worker (on a busy machine log-ins can still be queued then):
            # log in again, as a person would.
            response = await self.request(
                "log in", "POST", "/accounts/login/", 302, data=self.form(**data)
            )
        if response is None or response.status_code != 302:
            status = "no answer" if response is None else response.status_code
            raise RuntimeError(f"{self.username} could not log in ({status})")

    def past_day(self):
        return self.today - datetime.timedelta(days=self.rng.randint(1, 365))

    async def save_mood(self):
        day, mood = self.past_day(), self.rng.randint(1, 10)
        response = await self.post_and_follow(
            "save mood", f"/day/{day}/", {"mood": mood, "note": f"load note {mood}"}
        )
        confirmed = response is not None and response.status_code == 302
        self.results.moods.append((self.username, day, mood, confirmed))

    async def add_act(self):
        day, key = self.past_day(), uuid.uuid4()
        description = f"{ACT_PREFIX} {self.username} {key.hex[:12]}"
        data = {"description": description, "category": self.rng.choice(CATEGORIES)}
        data["submission_key"] = str(key)
        response = await self.post_and_follow("add act", f"/day/{day}/acts/", data)
        if response is None:
            # Lost with a killed worker: send the same form again, as a person pressing Add
            # again would. The submission key makes it count once.
            self.results.retried_acts += 1
            response = await self.post_and_follow("add act", f"/day/{day}/acts/", data)
        if response is not None and response.status_code == 302:
            self.results.acts_confirmed.append((self.username, description))
        else:
            self.results.acts_unconfirmed.append((self.username, description))

    async def read(self, kind):
        await self.request(kind, "GET", self.paths[kind], 200)

    async def run(self, start_after, deadline):
        await asyncio.sleep(start_after)
        await self.log_in()
        actions = [self.save_mood, self.save_mood, self.add_act, self.add_act]
        actions += [lambda kind=kind: self.read(kind) for kind in self.paths]
        while time.monotonic() < deadline:
            await self.rng.choice(actions)()
        await self.http.aclose()


class Importer(Person):
    """The account that imports the largest file the page takes while the others save."""

    async def run(self, start_after, data):
        await asyncio.sleep(start_after)
        await self.log_in()
        started = time.perf_counter()
        upload = {"file": ("largest.csv", data, "text/csv")}
        response = await self.request("import upload", "POST", "/import/", 302,
                                      data=self.form(), files=upload)  # fmt: skip
        if response is not None and response.status_code == 302:
            preview = response.headers["location"]
            await self.request("import preview", "GET", preview, 200)
            response = await self.request(
                "import confirm", "POST", preview, 302, data=self.form(confirm="1")
            )
        self.results.imported = {
            "seconds": time.perf_counter() - started,
            "confirmed": response is not None and response.status_code == 302,
        }
        await self.http.aclose()


async def drive(usernames, base_url, seconds, ramp, kill_at, master, rng, paths, import_at=None,
                import_file=None):  # fmt: skip
    """The people's run; kill_at: seconds in to kill a worker, or None for no kill; import_at:
    seconds in for IMPORTER to import `import_file`, or None for no import."""
    results = Results()
    people = [
        Person(name, base_url, results, random.Random(rng.random()), paths) for name in usernames
    ]
    importer = Importer(IMPORTER, base_url, results, rng, paths)
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    killed = {}

    async def kill_one_worker():
        await asyncio.sleep(kill_at)
        workers = worker_pids(master)
        killed["pid"] = rng.choice(workers)
        killed["workers_before"] = len(workers)
        os.kill(killed["pid"], signal.SIGKILL)

    killer = asyncio.create_task(kill_one_worker()) if kill_at is not None else None
    try:
        # People arrive over the first RAMP seconds, not all in the same instant: fifty Argon2
        # log-ins at once would measure only the hasher.
        await asyncio.gather(
            *(person.run(n * ramp / len(people), deadline) for n, person in enumerate(people)),
            *([importer.run(import_at, import_file)] if import_at is not None else []),
        )
    finally:
        if killer is not None and not killer.done():
            killer.cancel()
    if killer is not None and not killer.cancelled():
        killer.result()  # a kill that failed fails the run
    return results, time.monotonic() - started, killed


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def print_table(results, elapsed):
    """Per kind of request: answered requests, their rate and latency, and errors (an unexpected
    status or no answer at all)."""
    errors = Counter(kind for kind, _ in results.errors + results.lost)
    print(
        f"{'request':<20} {'count':>7} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7}"
    )
    rows = [(kind, values, errors[kind]) for kind, values in sorted(results.latencies.items())]
    rows += [(kind, [], n) for kind, n in sorted(errors.items()) if kind not in results.latencies]
    rows.append(("all", [value for _, values, _ in rows for value in values], errors.total()))
    for kind, values, failed in rows:
        timings = [percentile(values, share) * 1000 if values else 0 for share in (0.5, 0.95, 0.99)]
        print(
            f"{kind:<20} {len(values):>7} {len(values) / elapsed:>7.1f} "
            + " ".join(f"{ms:>8.0f}" for ms in timings)
            + f" {failed:>7}"
        )


def verify(results, usernames):
    """(check, passed, detail) for what the database holds against what clients were told."""
    from kindjournal.journal.models import DayEntry, KindnessAct

    # Descriptions are encrypted (journal/encryption.py): compared after reading, not in SQL.
    stored = Counter(
        (username, description)
        for username, description in KindnessAct.objects.filter(
            user__username__in=usernames
        ).values_list("user__username", "description")
        if description.startswith(ACT_PREFIX)
    )
    confirmed = set(results.acts_confirmed)
    missing = [act for act in confirmed if stored[act] == 0]
    doubled = [act for act, n in stored.items() if n > 1]
    unexplained = set(stored) - confirmed - set(results.acts_unconfirmed)

    last_confirmed, later_unconfirmed = {}, set()
    for username, day, mood, ok in results.moods:
        if ok:
            last_confirmed[(username, day)] = mood
            later_unconfirmed.discard((username, day))
        else:
            later_unconfirmed.add((username, day))
    moods = {
        (row["user__username"], row["date"]): row["mood"]
        for row in DayEntry.objects.filter(user__username__in=usernames).values(
            "user__username", "date", "mood"
        )
    }
    wrong_moods = [
        key
        for key, mood in last_confirmed.items()
        if moods.get(key) != mood and key not in later_unconfirmed
    ]
    server_errors = sum(n for status, n in results.statuses.items() if status >= 500)
    return [
        ("acts confirmed", len(confirmed) > 0, f"{len(confirmed)}"),
        ("confirmed acts stored exactly once", not missing and not doubled,
         f"{len(missing)} missing, {len(doubled)} stored twice"),
        ("no act stored that was never sent", not unexplained, f"{len(unexplained)}"),
        ("confirmed moods stored", not wrong_moods,
         f"{len(last_confirmed)} days, {len(wrong_moods)} wrong"),
        ("no 5xx responses", server_errors == 0, f"{server_errors}"),
        ("no unexpected status", not results.errors, f"{len(results.errors)}"),
        ("requests lost to the killed worker (at most the one in flight)",
         len(results.lost) <= 1, f"{len(results.lost)}, {results.retried_acts} act(s) re-sent"),
    ]  # fmt: skip


def import_checks(results, expected_days, expected_acts, log):
    """(check, passed, detail) for the import phase, and how long its write transaction held
    the lock by the server log (a figure: on a machine this busy it is not the bench's)."""
    from kindjournal.journal.models import DayEntry, KindnessAct

    held = [float(match[3]) for match in LOCK_HELD.finditer(log.read_text())]
    days = DayEntry.objects.filter(user__username=IMPORTER).count()
    acts = KindnessAct.objects.filter(user__username=IMPORTER).count()
    imported = results.imported
    checks = [
        ("largest file imported through the page", imported.get("confirmed", False),
         f"{imported.get('seconds', 0):.1f} s from upload to confirm"),
        ("every day and act of it stored once", (days, acts) == (expected_days, expected_acts),
         f"{days:,} of {expected_days:,} days, {acts:,} of {expected_acts:,} acts"),
    ]  # fmt: skip
    return checks, max(held) if held else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ramp", type=float, default=10, help="seconds until all have arrived")
    parser.add_argument(
        "--kill-at", type=float, default=30, help="seconds in; 0, or not before the end, = never"
    )
    parser.add_argument("--seed-days", type=int, default=365)
    parser.add_argument(
        "--import-at", type=float, default=10, help="seconds in for the big import; 0 = none"
    )
    args = parser.parse_args()

    rng = random.Random(20261130)
    data_dir = Path(tempfile.mkdtemp(prefix="kindjournal-load-"))
    port = free_port()
    env = environment(port, data_dir, data_dir / "gunicorn.pid")
    os.environ.update(env)
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    kill_at = args.kill_at if 0 < args.kill_at < args.seconds else None

    signal.signal(signal.SIGTERM, stop_on_sigterm)
    server = start_server(env)
    try:
        wait_until_up(server, port, data_dir / "server.log")
        master = int((data_dir / "gunicorn.pid").read_text())
        setup_django()
        usernames = seed(args.users, args.seed_days, rng)
        import_at = args.import_at if 0 < args.import_at < args.seconds else None
        import_file, import_days, import_acts = importer_and_file() if import_at else (None, 0, 0)
        workers = len(worker_pids(master))
        print(
            f"{database}: {args.users} people for {args.seconds:.0f} s against gunicorn "
            f"({workers} workers) on 127.0.0.1:{port}; "
            + (f"worker killed at {kill_at:.0f} s" if kill_at else "no worker killed")
            + (f"; the largest import ({len(import_file) / 2**20:.1f} MB) at {import_at:.0f} s"
               if import_at else "")
        )  # fmt: skip
        results, elapsed, killed = asyncio.run(
            drive(usernames, f"http://127.0.0.1:{port}", args.seconds, args.ramp, kill_at,
                  master, rng, PATHS, import_at, import_file)
        )  # fmt: skip
        respawned = len(worker_pids(master))
    finally:
        stop_server(server)

    print_table(results, elapsed)
    checks = verify(results, usernames)
    if import_at:
        imported, held = import_checks(results, import_days, import_acts, data_dir / "server.log")
        checks += imported
        print(
            "import's longest write lock (every other save waited this long): "
            + (f"{held:.3f} s" if held is not None else "none logged")
        )
    if killed:
        checks.append(
            ("killed worker replaced", respawned == killed["workers_before"],
             f"pid {killed['pid']}; {respawned} of {killed['workers_before']} workers after")
        )  # fmt: skip
    elif kill_at:
        checks.append(("worker killed", False, "the run ended before the kill was due"))
    for name, passed, detail in checks:
        print(f"{'PASS' if passed else 'FAIL'}  {name}: {detail}")
    for kind, what in (results.errors + results.lost)[:10]:
        print(f"      {kind}: {what}")
    if all(passed for _, passed, _ in checks):
        shutil.rmtree(data_dir)
        return 0
    print(f"server log kept in {data_dir}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
