"""`make bench`: this bot against a plain `rasa init` bot, over the REST webhook.

Both bots are started on free ports on 127.0.0.1. Realistic conversations are
driven at 1 and at 20 concurrent conversations for a fixed number of turns each;
the figures are per-turn latency p50/p95/p99, turns per second, errors, NLU parse
latency (Rasa's /model/parse), startup time to the first answer and the peak
memory (VmHWM) of each process. Results go to results/bench/bench.json and
results/bench/latency.png. Only 127.0.0.1 is ever contacted; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "results" / "bench"
CONCURRENCY = (1, 20)

# (text, metadata) turns; {photo} is replaced by an uploaded photo id
OUR_CONVERSATIONS: List[List[tuple]] = [
    [("배달이 너무 늦어요", None), ("ORD-261122-0102", None), ("5678", None), ("그냥 기다릴게요", None), ("5", None)],
    [("음식이 다 식어서 왔어요", None), ("ORD-261122-0106", None), ("5678", None),
     ("사진이요", {"attachments": [{"type": "image", "id": "{photo}"}]}), ("환불해 주세요", None)],
    [("결제가 두 번 됐어요", None), ("ORD-261122-0107", None), ("0147", None)],
    [("고객센터 운영시간이 어떻게 돼요?", None), ("이메일 답변은 언제 와요?", None), ("감사합니다", None)],
    [("상담원 연결해 주세요", None), ("언제 답변 와요?", None)],
]
BASELINE_CONVERSATIONS: List[List[tuple]] = [
    [("hello", None), ("I am sad", None), ("yes", None), ("bye", None)],
    [("hi there", None), ("great", None), ("goodbye", None)],
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, int(round(q * len(ordered))) - 1))
    return ordered[index]


def peak_memory_mb(pid: int) -> float:
    """VmHWM (peak resident memory) of a process and its children, in MB."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


@dataclass
class Run:
    """Figures of one bot at one concurrency."""

    concurrency: int
    turns: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: List[float] = field(default_factory=list)

    def summary(self) -> Dict[str, float]:
        return {
            "concurrency": self.concurrency,
            "turns": self.turns,
            "errors": self.errors,
            "turns_per_second": round(self.turns / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": round(percentile(self.latencies_ms, 0.50), 1),
            "p95_ms": round(percentile(self.latencies_ms, 0.95), 1),
            "p99_ms": round(percentile(self.latencies_ms, 0.99), 1),
        }


class Stack:
    """Processes of one bot; every one is stopped at the end."""

    def __init__(self, name: str, log_dir: Path) -> None:
        self.name = name
        self.log_dir = log_dir
        self.children: Dict[str, subprocess.Popen] = {}

    def start(self, label: str, args: List[str], env: Dict[str, str], cwd: Path) -> None:
        log = open(self.log_dir / f"{self.name}-{label}.log", "ab")
        self.children[label] = subprocess.Popen(
            args,
            cwd=cwd,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def memory(self) -> Dict[str, float]:
        return {label: peak_memory_mb(p.pid) for label, p in self.children.items()}

    def stop(self) -> None:
        for process in self.children.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.children.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


async def wait_answer(url: str, timeout: float, started: float) -> float:
    """Seconds from ``started`` until the webhook first answers."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.post(url, json={"sender": "startup-probe", "message": "안녕하세요"}) as response:
                    if response.status == 200 and await response.json():
                        return time.monotonic() - started
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                pass
            await asyncio.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")


async def drive(url: str, conversations: List[List[tuple]], concurrency: int, rounds: int, photo: str) -> Run:
    """``concurrency`` customers, each holding ``rounds`` conversations in turn."""
    run = Run(concurrency)
    timeout = aiohttp.ClientTimeout(total=60)

    async def customer(index: int, http: aiohttp.ClientSession) -> None:
        for round_number in range(rounds):
            script = conversations[(index + round_number) % len(conversations)]
            sender = f"bench-{uuid.uuid4().hex[:12]}"
            for text, metadata in script:
                body = {"sender": sender, "message": text}
                if metadata:
                    body["metadata"] = json.loads(json.dumps(metadata).replace("{photo}", photo))
                started = time.perf_counter()
                try:
                    async with http.post(url, json=body) as response:
                        answers = await response.json(content_type=None)
                        ok = response.status == 200 and isinstance(answers, list) and len(answers) > 0
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    ok = False
                run.latencies_ms.append((time.perf_counter() - started) * 1000)
                run.turns += 1
                run.errors += 0 if ok else 1

    started = time.monotonic()
    async with aiohttp.ClientSession(timeout=timeout) as http:
        await asyncio.gather(*(customer(i, http) for i in range(concurrency)))
    run.seconds = time.monotonic() - started
    return run


async def parse_latency(rasa_url: str, token: str, texts: List[str], repeat: int = 5) -> Dict[str, float]:
    """NLU parse p50/p95 over Rasa's /model/parse."""
    samples = []
    async with aiohttp.ClientSession() as http:
        for _ in range(repeat):
            for text in texts:
                started = time.perf_counter()
                async with http.post(f"{rasa_url}/model/parse", params={"token": token}, json={"text": text}) as r:
                    await r.read()
                samples.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(percentile(samples, 0.5), 1), "p95_ms": round(percentile(samples, 0.95), 1)}


def upload_photo(desk_url: str, token: str) -> str:
    """A real photo in the desk for the quality conversation."""
    import io
    import urllib.request

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, format="PNG")
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\n\r\n'.encode()
        + buffer.getvalue() + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(f"{desk_url}/api/uploads", data=body, method="POST")
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["id"]


def wait_http(url: str, timeout: float) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


async def bench_ours(work: Path, rounds: int) -> Dict[str, object]:
    """Start this bot (Rasa, actions, desk on SQLite in a scratch folder) and drive it."""
    ports = {name: free_port() for name in ("rasa", "actions", "desk")}
    desk_token, rasa_token, action_token = secrets.token_hex(16), secrets.token_hex(16), secrets.token_hex(16)
    orders = f"sqlite+aiosqlite:///{work / 'orders.db'}"
    subprocess.run([str(BIN / "python"), "-m", "orders.seed", "--database-url", orders], cwd=ROOT, check=True,
                   capture_output=True)
    stack = Stack("ours", work)
    common = {"TF_CPP_MIN_LOG_LEVEL": "2", "DESK_SERVICE_TOKEN": desk_token}
    try:
        started = time.monotonic()
        stack.start("desk", [str(BIN / "python"), "-m", "desk", "serve"], {
            **common, "DESK_PORT": str(ports["desk"]), "DATABASE_URL": f"sqlite+aiosqlite:///{work / 'desk.db'}",
            "DESK_STORAGE_DIR": str(work / "uploads"),
        }, ROOT)
        stack.start("actions", [str(BIN / "python"), "-m", "actions.server"], {
            **common, "ACTION_PORT": str(ports["actions"]), "ACTION_SERVER_TOKEN": action_token,
            "DESK_URL": f"http://127.0.0.1:{ports['desk']}", "ORDERS_DATABASE_URL": orders,
        }, ROOT)
        stack.start("rasa", [str(BIN / "rasa"), "run", "--port", str(ports["rasa"]), "--model",
                             str(ROOT / "models" / "support-bot.tar.gz"), "--endpoints", "endpoints.yml",
                             "--credentials", str(work / "credentials.yml"), "--enable-api", "--auth-token", rasa_token], {
            **common, "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{ports['actions']}/webhook",
            "ACTION_SERVER_TOKEN": action_token,
            "RASA_TRACKER_DB": str(work / "tracker.db"),
        }, ROOT)
        url = f"http://127.0.0.1:{ports['rasa']}/webhooks/rest/webhook"
        startup = await wait_answer(url, 300, started)
        wait_http(f"http://127.0.0.1:{ports['desk']}/health", 60)
        photo = upload_photo(f"http://127.0.0.1:{ports['desk']}", desk_token)
        runs = [await drive(url, OUR_CONVERSATIONS, c, rounds, photo) for c in CONCURRENCY]
        parse = await parse_latency(f"http://127.0.0.1:{ports['rasa']}", rasa_token,
                                    [t for script in OUR_CONVERSATIONS for t, _ in script])
        return {"startup_s": round(startup, 1), "runs": [r.summary() for r in runs],
                "latencies": {r.concurrency: r.latencies_ms for r in runs}, "nlu_parse": parse,
                "peak_memory_mb": stack.memory()}
    finally:
        stack.stop()


async def bench_baseline(work: Path, rounds: int) -> Dict[str, object]:
    """`rasa init` in a scratch folder (trains its default model), then the same drive."""
    project = work / "baseline"
    project.mkdir()
    print("  creating and training the `rasa init` baseline (a few minutes)…", flush=True)
    subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)], cwd=project,
                   check=True, capture_output=True,
                   env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"})
    port, token = free_port(), secrets.token_hex(16)
    stack = Stack("baseline", work)
    try:
        started = time.monotonic()
        stack.start("rasa", [str(BIN / "rasa"), "run", "--port", str(port), "--enable-api", "--auth-token", token],
                    {"TF_CPP_MIN_LOG_LEVEL": "2"}, project)
        url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        startup = await wait_answer(url, 300, started)
        runs = [await drive(url, BASELINE_CONVERSATIONS, c, rounds, "") for c in CONCURRENCY]
        parse = await parse_latency(f"http://127.0.0.1:{port}", token,
                                    [t for script in BASELINE_CONVERSATIONS for t, _ in script])
        return {"startup_s": round(startup, 1), "runs": [r.summary() for r in runs],
                "latencies": {r.concurrency: r.latencies_ms for r in runs}, "nlu_parse": parse,
                "peak_memory_mb": stack.memory()}
    finally:
        stack.stop()


def chart(results: Dict[str, Dict[str, object]], path: Path) -> None:
    """Latency percentiles against concurrency for both bots."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, style in (("ours", "-o"), ("baseline", "--s")):
        runs = results[name]["runs"]
        xs = [r["concurrency"] for r in runs]
        for key, alpha in (("p50_ms", 1.0), ("p95_ms", 0.6)):
            ax.plot(xs, [r[key] for r in runs], style, alpha=alpha, label=f"{name} {key[:3]}")
    ax.set_xlabel("concurrent conversations")
    ax.set_ylabel("per-turn latency (ms)")
    ax.set_yscale("log")
    ax.set_xticks(list(CONCURRENCY))
    ax.legend()
    ax.set_title("REST webhook latency against concurrency")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def report(results: Dict[str, Dict[str, object]]) -> None:
    """The side-by-side table and the ratios."""
    print("\n== per-turn latency and throughput (REST webhook) ==")
    print(f"{'bot':<10}{'conc':>6}{'turns':>7}{'errors':>8}{'turns/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name in ("ours", "baseline"):
        for r in results[name]["runs"]:
            print(f"{name:<10}{r['concurrency']:>6}{r['turns']:>7}{r['errors']:>8}{r['turns_per_second']:>9}"
                  f"{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}")
    print("\n== other figures ==")
    for name in ("ours", "baseline"):
        data = results[name]
        print(f"{name:<10} startup to first answer {data['startup_s']} s; NLU parse p50/p95 "
              f"{data['nlu_parse']['p50_ms']}/{data['nlu_parse']['p95_ms']} ms; peak memory MB {data['peak_memory_mb']}")
    ours = {r["concurrency"]: r for r in results["ours"]["runs"]}
    base = {r["concurrency"]: r for r in results["baseline"]["runs"]}
    print("\n== ratios (ours / baseline) ==")
    for c in CONCURRENCY:
        if base[c]["turns_per_second"]:
            print(f"  throughput at {c:>2}: {ours[c]['turns_per_second'] / base[c]['turns_per_second']:.2f} x")
        if ours[c]["p50_ms"]:
            print(f"  p50 latency at {c:>2}: {base[c]['p50_ms'] / ours[c]['p50_ms']:.2f} x faster")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="conversations each simulated customer holds")
    parser.add_argument("--only-ours", action="store_true", help="skip the baseline (for quick iterations; no ratios)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    (work / "credentials.yml").write_text("rest:\n")
    try:
        print("== this bot ==", flush=True)
        ours = asyncio.run(bench_ours(work, args.rounds))
        if args.only_ours:
            for run in ours["runs"]:
                print(f"  {run}")
            print(f"  NLU parse: {ours['nlu_parse']}, startup {ours['startup_s']} s")
            return 0
        print("== plain `rasa init` bot ==", flush=True)
        baseline = asyncio.run(bench_baseline(work, args.rounds))
    finally:
        logs = OUT / "logs"
        shutil.rmtree(logs, ignore_errors=True)
        logs.mkdir(parents=True)
        for log in work.glob("*.log"):
            shutil.copy(log, logs / log.name)
        shutil.rmtree(work, ignore_errors=True)
    results = {"ours": ours, "baseline": baseline}
    report(results)
    chart(results, OUT / "latency.png")
    for data in results.values():
        data.pop("latencies", None)
    (OUT / "bench.json").write_text(json.dumps(results, indent=2))
    print(f"\nresults: {(OUT / 'bench.json').relative_to(ROOT)}, chart: {(OUT / 'latency.png').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
