#!/usr/bin/env python3
"""The load of `make ha-test` (Tests/HA/run.sh), and the check of what it saw.

`load.py run` writes registry organisations and supervision sessions through the load balancer,
each with an Idempotency-Key of its own and a marker in its name or notes, and reads reports,
until the stop file appears. A write answered 503, 502 or 504 (the balancer's own answers when a
host is gone) or whose connection broke is sent again with the same key and body until it is
answered or WRITE_GIVE_UP seconds have passed. Every attempt is written to the events file (JSON
lines) when the run ends.

`load.py check` reads the events, the faults run.sh injected (a line per fault: name, start,
end, as Unix seconds) and the markers found in the database (one a line), prints the figures and
exits 1 on a broken promise: an acknowledged write missing or any write there twice, a 500.

Python 3 standard library only.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse
import uuid

WRITE_GIVE_UP = 120.0  # seconds a write is retried before it is counted as given up
RETRY_STATUSES = {502, 503, 504}
MARKER = "HA-load"


class Client:
    """One keep-alive connection to the balancer, opened again after any failure."""

    def __init__(self, base_url, token):
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        """(status, headers dict, parsed JSON or None); raises OSError/HTTPException on a broken connection."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        all_headers = dict(self.headers)
        if headers:
            all_headers.update(headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, body=data, headers=all_headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return response.status, {k.lower(): v for k, v in response.getheaders()}, parsed

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.attempts = []  # every request: kind, op, key, start, end, status ("conn" when broken)
        self.writes = []  # every write: op, key, marker, acked, status, attempts, replayed

    def attempt(self, **record):
        with self.lock:
            self.attempts.append(record)

    def write(self, **record):
        with self.lock:
            self.writes.append(record)


def find_assignment(client):
    """An assignment in force today, to record sessions under (the demo story has some)."""
    today = datetime.date.today().isoformat()
    for state in ("active", "underReview", "renewed"):
        for _ in range(10):
            try:
                status, _, body = client.request("GET", f"/api/v1/supervision/assignments?state={state}&limit=100")
            except (OSError, http.client.HTTPException):
                time.sleep(1)
                continue
            if status != 200:
                time.sleep(1)
                continue
            for item in (body or {}).get("items", []):
                if item.get("from", "9999") <= today and (item.get("to") or "9999") >= today:
                    return item["id"]
            break
    return None


def write_once(client, recorder, op, path, body, stop_at):
    """Sends one write until it is answered, retrying with the same key; records every attempt."""
    key = str(uuid.uuid4())
    marker = f"{MARKER} {key}"
    if op == "organisation":
        body = dict(body, name=marker)
    else:
        body = dict(body, notes=marker)
    attempts, delay, first = 0, 0.1, time.time()
    while True:
        attempts += 1
        started = time.time()
        try:
            status, headers, _ = client.request("POST", path, body, {"Idempotency-Key": key})
        except (OSError, http.client.HTTPException) as error:
            recorder.attempt(kind="write", op=op, key=key, start=started, end=time.time(), status="conn", error=type(error).__name__)
            status, headers = None, {}
        else:
            recorder.attempt(kind="write", op=op, key=key, start=started, end=time.time(), status=status)
        if status is not None and status not in RETRY_STATUSES:
            recorder.write(op=op, key=key, marker=marker, acked=200 <= status < 300, status=status,
                           attempts=attempts, replayed=headers.get("idempotent-replayed") == "true")
            return
        if time.time() - first > WRITE_GIVE_UP or time.time() > stop_at:
            recorder.write(op=op, key=key, marker=marker, acked=False, status=status or "conn",
                           attempts=attempts, replayed=False)
            return
        retry_after = headers.get("retry-after", "")
        wait = min(float(retry_after), 1.0) if retry_after.isdigit() else delay
        time.sleep(wait)
        delay = min(delay * 2, 1.0)


def writer(base_url, token, recorder, assignment, stop_file, stop_at, seed):
    client = Client(base_url, token)
    rng = random.Random(seed)
    today = datetime.date.today().isoformat()
    while not os.path.exists(stop_file) and time.time() < stop_at:
        if assignment is not None and rng.random() < 0.5:
            write_once(client, recorder, "session", "/api/v1/supervision/sessions",
                       {"assignmentId": assignment, "on": today, "minutes": rng.randint(15, 120), "topics": ["economy"]},
                       stop_at + WRITE_GIVE_UP)
        else:
            write_once(client, recorder, "organisation", "/api/v1/registry/organisations",
                       {"name": "", "legalForm": "economicAssociation", "kind": "cooperative"}, stop_at + WRITE_GIVE_UP)
        time.sleep(rng.uniform(0.02, 0.08))
    client.close()


def reader(base_url, token, recorder, stop_file, stop_at):
    client = Client(base_url, token)
    # The grant ledger is declared lag-tolerant: it reads the standby (database.readUrl).
    paths = ["/api/v1/supervision/report", "/api/v1/registry/organisations?q=HA-load&limit=5", "/api/v1/partnerships/ledger"]
    index = 0
    while not os.path.exists(stop_file) and time.time() < stop_at:
        path = paths[index % len(paths)]
        index += 1
        started = time.time()
        try:
            status, _, _ = client.request("GET", path)
        except (OSError, http.client.HTTPException) as error:
            recorder.attempt(kind="read", op=path.split("?")[0], key=None, start=started, end=time.time(), status="conn", error=type(error).__name__)
        else:
            recorder.attempt(kind="read", op=path.split("?")[0], key=None, start=started, end=time.time(), status=status)
        time.sleep(0.2)
    client.close()


def run(arguments):
    recorder = Recorder()
    stop_at = time.time() + arguments.max_seconds
    assignment = None if arguments.no_sessions else find_assignment(Client(arguments.url, arguments.token))
    threads = [threading.Thread(target=writer, args=(arguments.url, arguments.token, recorder, assignment,
                                                      arguments.stop_file, stop_at, n), daemon=True)
               for n in range(arguments.writers)]
    threads.append(threading.Thread(target=reader, args=(arguments.url, arguments.token, recorder, arguments.stop_file, stop_at), daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(arguments.events, "w") as out:
        json.dump({"assignment": assignment, "attempts": recorder.attempts, "writes": recorder.writes}, out)
    print(f"load: {len(recorder.writes)} writes, {len(recorder.attempts)} requests"
          + ("" if assignment is not None or arguments.no_sessions else "; no assignment in force found, organisations only"))


def longest_gap(attempts, start, end):
    """The longest time between two acknowledged writes with a failed attempt between them, the
    first failure falling in [start, end): each outage counts for the fault it began in."""
    writes = sorted((a for a in attempts if a["kind"] == "write"), key=lambda a: a["end"])
    last_ok, first_failure, longest = None, None, 0.0
    for attempt in writes:
        ok = isinstance(attempt["status"], int) and 200 <= attempt["status"] < 300
        if ok:
            if first_failure is not None and last_ok is not None and start <= first_failure < end:
                longest = max(longest, attempt["end"] - last_ok)
            last_ok, first_failure = attempt["end"], None
        elif first_failure is None:
            first_failure = attempt["end"]
    return longest


def check(arguments):
    with open(arguments.events) as source:
        events = json.load(source)
    attempts, writes = events["attempts"], events["writes"]
    with open(arguments.rows) as source:
        found = [line.rstrip("\n") for line in source if line.strip()]
    counts = {}
    for marker in found:
        counts[marker] = counts.get(marker, 0) + 1
    faults = []
    if arguments.faults and os.path.exists(arguments.faults):
        with open(arguments.faults) as source:
            for line in source:
                name, start, end = line.split()
                faults.append((name, float(start), float(end)))

    acked = [w for w in writes if w["acked"]]
    missing = [w for w in acked if counts.get(w["marker"], 0) == 0]
    twice = {m: c for m, c in counts.items() if c > 1}
    given_up = [w for w in writes if not w["acked"] and (w["status"] == "conn" or w["status"] in RETRY_STATUSES)]
    refused = [w for w in writes if not w["acked"] and w not in given_up]
    in_doubt_written = [w for w in given_up if counts.get(w["marker"], 0) > 0]
    statuses = {}
    for attempt in attempts:
        label = f'{attempt["kind"]} {attempt["status"]}' if attempt["kind"] == "write" else f'read {attempt["op"]} {attempt["status"]}'
        statuses[label] = statuses.get(label, 0) + 1
    five_hundreds = [a for a in attempts if a["status"] == 500]
    retried = [w for w in writes if w["attempts"] > 1]
    replayed = [w for w in writes if w["replayed"]]

    title = arguments.title
    print(f"{title}: {len(writes)} writes ({sum(w['op'] == 'organisation' for w in writes)} organisations, "
          f"{sum(w['op'] == 'session' for w in writes)} sessions), {len(acked)} acknowledged, "
          f"{len(retried)} retried with their key, {len(replayed)} answered as a replay")
    print(f"{title}: responses: " + ", ".join(f"{k} ×{v}" for k, v in sorted(statuses.items())))
    print(f"{title}: acknowledged writes missing from the database: {len(missing)}; markers there more than once: {len(twice)}")
    if given_up:
        print(f"{title}: writes given up after {WRITE_GIVE_UP:.0f} s or at the end: {len(given_up)} "
              f"({len(in_doubt_written)} of them in the database once)")
    for index, (name, start, end) in enumerate(faults):
        # A fault's phase lasts until the next fault starts.
        until = faults[index + 1][1] if index + 1 < len(faults) else float("inf")
        gap = longest_gap(attempts, start, until)
        failures = [a for a in attempts if a["kind"] == "write" and not (isinstance(a["status"], int) and a["status"] < 300)
                    and start <= a["end"] and a["start"] <= until]
        kinds = {}
        for a in failures:
            kinds[str(a["status"])] = kinds.get(str(a["status"]), 0) + 1
        detail = ", ".join(f"{k} ×{v}" for k, v in sorted(kinds.items())) or "no failed attempt"
        print(f"{title}: fault {name}: writes unavailable {gap:.1f} s (longest gap between acknowledged writes "
              f"with failures in it); fault took {end - start:.1f} s; failed attempts: {detail}")

    if arguments.back_at:
        back = float(open(arguments.back_at).read())
        after = [a["end"] for a in attempts if a["kind"] == "write" and a["status"] == 201 and a["end"] >= back]
        if after:
            print(f"{title}: first acknowledged write {min(after) - back:.1f} s after the database accepted connections again")

    broken = []
    if missing:
        broken.append(f"{len(missing)} acknowledged writes missing, e.g. {missing[0]['marker']}")
    if twice:
        broken.append(f"{len(twice)} writes stored twice, e.g. {next(iter(twice))}")
    if five_hundreds:
        broken.append(f"{len(five_hundreds)} answers 500, e.g. {five_hundreds[0]['kind']} {five_hundreds[0]['op']}")
    if refused:
        sample = refused[0]
        broken.append(f"{len(refused)} writes refused ({sample['status']} for {sample['op']})")
    if not acked:
        broken.append("no write was acknowledged")
    for line in broken:
        print(f"{title}: BROKEN: {line}")
    return 1 if broken else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run")
    run_parser.add_argument("--url", required=True)
    run_parser.add_argument("--token", required=True)
    run_parser.add_argument("--events", required=True)
    run_parser.add_argument("--stop-file", required=True)
    run_parser.add_argument("--writers", type=int, default=4)
    run_parser.add_argument("--max-seconds", type=float, default=600)
    run_parser.add_argument("--no-sessions", action="store_true")
    check_parser = commands.add_parser("check")
    check_parser.add_argument("--events", required=True)
    check_parser.add_argument("--rows", required=True)
    check_parser.add_argument("--faults")
    check_parser.add_argument("--title", default="ha-test")
    check_parser.add_argument("--back-at", help="a file holding when the database was back (Unix seconds)")
    arguments = parser.parse_args()
    if arguments.command == "run":
        run(arguments)
        return 0
    return check(arguments)


if __name__ == "__main__":
    sys.exit(main())
