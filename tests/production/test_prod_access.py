"""Who may reach what in the production profile: rate limits, body limits, tokens."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

from processes import free_port, http_json
from private_servers import wait_port


def status_of(request: urllib.request.Request) -> tuple:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_haproxy_answers_429_in_korean_past_the_rate_limit(prod):
    # a second HAProxy from the same deploy/haproxy.cfg, with a low limit, in front of the same servers
    env = {**prod.env, "LB_PORT": str(free_port()), "ACTION_LB_PORT": str(free_port()),
           "RASA_PRIVATE_PORT": str(free_port()), "LB_RATE_LIMIT": "20"}
    prod.processes.start("lb-limited", ["haproxy", "-db", "-f", "deploy/haproxy.cfg"], env)
    try:
        wait_port(int(env["LB_PORT"]), 30)
        wait_port(int(env["RASA_PRIVATE_PORT"]), 30)
        statuses, refusal = [], b""
        for _ in range(40):
            status, body = status_of(urllib.request.Request(f"http://127.0.0.1:{env['LB_PORT']}/"))
            statuses.append(status)
            if status == 429:
                refusal = body
        assert statuses[:20] == [200] * 20, statuses
        assert statuses[-1] == 429, statuses
        answer = json.loads(refusal)
        assert answer["error"] == "too_many_requests" and "잠시 후 다시" in answer["message"]
        # the desk's route to Rasa is not counted: customers cannot push the desk's pushes into 429s
        private = [status_of(urllib.request.Request(f"http://127.0.0.1:{env['RASA_PRIVATE_PORT']}/"))[0]
                   for _ in range(40)]
        assert private == [200] * 40, private
    finally:
        prod.processes.stop("lb-limited")


def test_oversized_bodies_are_refused_before_rasa(prod):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", int(prod.env["LB_PORT"]), timeout=30)
    try:
        connection.putrequest("POST", "/webhooks/rest/webhook")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(2 * 1024 * 1024))
        connection.endheaders()  # HAProxy answers from the headers, before any of the body
        assert connection.getresponse().status == 413
    finally:
        connection.close()


def test_rasa_api_is_not_public_and_needs_the_token_on_the_private_route(prod):
    token = prod.env["RASA_TOKEN"]
    for path in ("/conversations/someone/tracker", f"/conversations/someone/tracker?token={token}",
                 f"/model/parse?token={token}", "/status", "/version", "/domain"):
        status, body = http_json("GET", f"{prod.url}{path}")
        assert status == 404 and body["error"] == "not_found", (path, body)
    status, _ = http_json("POST", f"{prod.url}/conversations/someone/trigger_intent?token={token}",
                          {"name": "agent_reply", "entities": {"agent_text": "x"}})
    assert status == 404, "nobody outside pushes intents through the public address"
    status, _ = http_json("GET", f"{prod.api_url}/conversations/someone/tracker")
    assert status == 401
    status, _ = http_json("GET", f"{prod.api_url}/conversations/someone/tracker?token=wrong")
    assert status == 401
    status, _ = http_json("GET", f"{prod.api_url}/conversations/someone/tracker?token={token}")
    assert status == 200
    deadline = time.monotonic() + 10  # HAProxy writes its log line once the response is sent
    while prod.processes.log("lb").count("GET /conversations/someone/tracker HTTP/1.1") < 5:
        assert time.monotonic() < deadline, "HAProxy logs each of the requests"
        time.sleep(0.2)
    logged = prod.processes.log("lb")
    assert token not in logged, "but not the token in its query string"


def test_action_servers_refuse_callers_without_rasas_token(prod):
    call = {"next_action": "action_submit_problem", "sender_id": "x", "tracker": {"sender_id": "x"}, "domain": {}}
    for url in (f"http://127.0.0.1:{prod.env['ACTION_LB_PORT']}/webhook",
                f"http://127.0.0.1:{prod.port('actions1')}/webhook"):
        status, body = http_json("POST", url, call)
        assert status == 401, (url, body)
