"""Rate limits of the public routes: sign-in per IP and per account, chat tokens, chat uploads."""

from __future__ import annotations

import dataclasses
import ipaddress

import pytest

from desk.app import create_app
from desk.config import ConfigError, DeskSettings
from desk.ratelimit import SWEEP_EVERY, Rate, RateLimitSettings, SlidingWindow
from support.client_address import client_ip, parse_proxies
from deskkit import AGENT_EMAIL, AGENT_PASSWORD, image_bytes
from support.customer_tokens import issue

SECRET = "chat-secret-for-tests-0123456789"


def app_with(settings, name: str, **limits):
    """A desk app whose rate limits are ``limits`` (the rest as configured by default)."""
    proxies = limits.pop("trusted_proxies", ())
    rates = dataclasses.replace(RateLimitSettings(), trusted_proxies=proxies, **limits)
    configured = dataclasses.replace(settings, rate_limits=rates, chat_jwt_secret=SECRET, chat_demo_tokens=True)
    return create_app(configured, name=name)


async def sign_in(app, email=AGENT_EMAIL, password=AGENT_PASSWORD, headers=None):
    _, response = await app.asgi_client.post(
        "/api/auth/login", json={"email": email, "password": password}, headers=headers or {}
    )
    app.asgi_client.cookies.clear()
    return response


def assert_limited(response, window: float) -> None:
    assert response.status == 429, response.text
    assert response.json["error"]["code"] == "rate_limited"
    assert response.json["error"]["message"]
    retry = int(response.headers["retry-after"])
    assert 1 <= retry <= window
    assert response.json["error"]["details"] == {"retry_after": retry}


async def test_failed_sign_ins_lock_the_account_not_the_others(settings, agent, tmp_path):
    app = app_with(settings, f"rl_account_{tmp_path.name}", login_account=Rate(3, 600))
    for _ in range(3):
        assert (await sign_in(app, password="wrong-password")).status == 401
    locked = await sign_in(app)  # even the right password waits now
    assert_limited(locked, 600)
    unknown = await sign_in(app, email="someone-else@example.com", password="wrong-password")
    assert unknown.status == 401  # another account is not locked


async def test_a_successful_sign_in_clears_the_failures(settings, agent, tmp_path):
    app = app_with(settings, f"rl_reset_{tmp_path.name}", login_account=Rate(3, 600))
    for _ in range(2):
        assert (await sign_in(app, password="wrong-password")).status == 401
    assert (await sign_in(app)).status == 200
    for _ in range(2):
        assert (await sign_in(app, password="wrong-password")).status == 401
    assert (await sign_in(app)).status == 200


async def test_sign_in_attempts_are_limited_per_client_ip(settings, agent, tmp_path):
    app = app_with(settings, f"rl_ip_{tmp_path.name}", login_ip=Rate(4, 300))
    statuses = [(await sign_in(app, email=f"guess{i}@example.com", password="x")).status for i in range(4)]
    assert statuses == [401] * 4
    assert_limited(await sign_in(app), 300)


def test_forwarded_for_counts_only_behind_a_trusted_proxy(settings, tmp_path):
    """Over a real socket (the peer is 127.0.0.1), as behind HAProxy or nginx on the same host."""

    def attempt(app, client):
        _, response = app.test_client.post(
            "/api/auth/login", json={"email": "guess@example.com", "password": "x"},
            headers={"X-Forwarded-For": client},
        )
        return response.status

    untrusted = app_with(settings, f"rl_untrusted_{tmp_path.name}", login_ip=Rate(2, 300))
    # a forged header buys no fresh budget: the peer address is what counts
    assert [attempt(untrusted, f"203.0.113.{i}") for i in range(1, 4)] == [401, 401, 429]

    proxy = parse_proxies("127.0.0.1, ::1")
    trusted = app_with(settings, f"rl_trusted_{tmp_path.name}", login_ip=Rate(2, 300), trusted_proxies=proxy)
    assert [attempt(trusted, "203.0.113.1") for _ in range(3)] == [401, 401, 429]
    assert attempt(trusted, "203.0.113.2") == 401  # another customer behind the same proxy
    assert attempt(trusted, "198.51.100.9, 203.0.113.1") == 429  # a spoofed left part changes nothing


async def test_chat_tokens_and_history_share_the_chat_limit(settings, tmp_path):
    app = app_with(settings, f"rl_chat_{tmp_path.name}", chat=Rate(3, 60))
    for _ in range(2):
        _, response = await app.asgi_client.post("/api/chat/demo-token")
        assert response.status == 200
    token = response.json["token"]
    _, history = await app.asgi_client.get("/api/chat/history", headers={"Authorization": f"Bearer {token}"})
    assert history.status == 200
    _, refused = await app.asgi_client.post("/api/chat/demo-token")
    assert_limited(refused, 60)
    _, config = await app.asgi_client.get("/api/chat/config")  # the page's settings are not limited
    assert config.status == 200


async def test_chat_uploads_are_limited(settings, tmp_path):
    app = app_with(settings, f"rl_uploads_{tmp_path.name}", uploads=Rate(2, 60))
    headers = {"Authorization": f"Bearer {issue(SECRET, 'cust-001')}"}
    files = {"file": ("p.png", image_bytes("PNG"), "image/png")}
    for _ in range(2):
        _, stored = await app.asgi_client.post("/api/chat/uploads", files=files, headers=headers)
        assert stored.status == 201
    _, refused = await app.asgi_client.post("/api/chat/uploads", files=files, headers=headers)
    assert_limited(refused, 60)


async def test_defaults_let_an_agent_and_a_customer_work(settings, agent, tmp_path):
    app = create_app(dataclasses.replace(settings, chat_jwt_secret=SECRET, chat_demo_tokens=True),
                     name=f"rl_defaults_{tmp_path.name}")
    assert (await sign_in(app, password="typo")).status == 401
    assert (await sign_in(app)).status == 200
    for _ in range(10):
        _, response = await app.asgi_client.post("/api/chat/demo-token")
        assert response.status == 200


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_window_slides():
    clock = Clock()
    window = SlidingWindow(Rate(2, 10), clock)
    assert window.hit("a") == 0  # at 1000
    clock.now += 4
    assert window.hit("a") == 0  # at 1004
    clock.now += 1
    assert window.hit("a") == pytest.approx(5)  # full until the first event leaves at 1010
    assert window.hit("b") == 0  # another key has its own window
    clock.now += 5
    assert window.hit("a") == 0  # one slot free again
    assert window.hit("a") == pytest.approx(4)  # the 1004 event leaves at 1014


def test_idle_keys_are_forgotten():
    clock = Clock()
    window = SlidingWindow(Rate(1, 10), clock)
    for i in range(SWEEP_EVERY - 1):
        window.hit(f"client-{i}")
    assert window.tracked() == SWEEP_EVERY - 1
    clock.now += 11
    window.hit("late")  # the sweep runs: only the live key stays
    assert window.tracked() == 1


def test_an_off_rate_never_limits():
    window = SlidingWindow(Rate.parse("off"), Clock())
    assert all(window.hit("a") == 0 for _ in range(1000))


@pytest.mark.parametrize("text, rate", [("20/300", Rate(20, 300)), (" 5/0.5 ", Rate(5, 0.5)), ("off", Rate(0, 1.0))])
def test_rates_parse(text, rate):
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["", "20", "20/", "/300", "0/10", "-1/10", "x/10", "10/0", "10/-5", "10/100000"])
def test_bad_rates_are_refused(text):
    with pytest.raises(ValueError):
        Rate.parse(text)


@pytest.mark.parametrize(
    "peer, header, proxies, expected",
    [
        ("198.51.100.7", None, "", "198.51.100.7"),
        ("198.51.100.7", "203.0.113.1", "", "198.51.100.7"),  # not from a proxy: ignored
        ("10.0.0.2", "203.0.113.1", "10.0.0.0/8", "203.0.113.1"),
        ("10.0.0.2", "6.6.6.6, 203.0.113.1, 10.0.0.3", "10.0.0.0/8", "203.0.113.1"),  # spoofed left part ignored
        ("10.0.0.2", "10.0.0.4, 10.0.0.3", "10.0.0.0/8", "10.0.0.2"),  # only proxies: the peer
        ("10.0.0.2", "203.0.113.1, garbage", "10.0.0.0/8", "10.0.0.2"),
        ("::1", "2001:db8::5", "::1", "2001:db8::5"),
    ],
)
def test_client_ip(peer, header, proxies, expected):
    assert client_ip(peer, header, parse_proxies(proxies)) == expected


def test_settings_from_the_environment():
    base = {"DESK_SERVICE_TOKEN": "x" * 16}
    limits = DeskSettings.from_env({**base, "DESK_RATE_LOGIN_IP": "50/60", "DESK_RATE_CHAT": "off",
                                    "DESK_TRUSTED_PROXIES": "10.0.0.5, 172.16.0.0/12"}).rate_limits
    assert limits.login_ip == Rate(50, 60) and not limits.chat.enabled
    assert limits.login_account == RateLimitSettings().login_account
    assert ipaddress.ip_address("172.20.1.1") in limits.trusted_proxies[1]
    for name, value in (("DESK_RATE_UPLOADS", "lots"), ("DESK_TRUSTED_PROXIES", "proxy.local")):
        with pytest.raises(ConfigError, match=name):
            DeskSettings.from_env({**base, name: value})
