"""CPU milliseconds per request of Today and of the trivial page, served by gunicorn.

Not part of `make bench` (it starts a server): run `.venv/bin/python bench/serve_cpu.py`.
Ten years of data in a throwaway SQLite file, DEBUG off (tests.settings plus the baseline page,
bench/serve_settings.py), WEB_CONCURRENCY workers (2 by default). Each page gets REQUESTS
requests, one at a time, in interleaved blocks; the figure is the workers' CPU time (utime +
stime from /proc/<pid>/stat) over those requests divided by their number, so the machine's
other load adds no waiting time to it.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import common

REQUESTS = int(os.environ.get("REQUESTS", 300))
BLOCK = 50
PAGES = {"baseline (base.html)": common.BASELINE_URL, "Today": "/"}
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS


def workers_of(master):
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def main():
    common.fresh_database()
    user, days, acts = common.seed_user("serve-10y", years=10)
    client = common.logged_in_client(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    port = free_port()
    checkout = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.serve_settings",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
    }
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "kindjournal.wsgi"],
        cwd=checkout,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/", timeout=1)  # noqa: S310 - localhost
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1)
        workers = workers_of(server.pid)

        def get(url):
            request = urllib.request.Request(base + url, headers={"Cookie": cookie})  # noqa: S310
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                assert response.status == 200, (url, response.status)
                response.read()

        for url in PAGES.values():  # warm every worker up
            for _ in range(20):
                get(url)
        spent = dict.fromkeys(PAGES, 0.0)
        for _ in range(REQUESTS // BLOCK):
            for name, url in PAGES.items():
                before = cpu_seconds(workers)
                for _ in range(BLOCK):
                    get(url)
                spent[name] += cpu_seconds(workers) - before
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"gunicorn, {env['WEB_CONCURRENCY']} workers, {days} rated days and {acts} acts")
    baseline = spent["baseline (base.html)"] / REQUESTS
    for name, seconds in spent.items():
        per_request = seconds / REQUESTS
        print(f"{name:<22} {per_request * 1000:6.2f} CPU ms/request {per_request / baseline:5.2f}x")


if __name__ == "__main__":
    main()
