"""Desk settings, read from environment variables (secrets only from there)."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

from desk.deliveries.retry import RetryPolicy
from desk.notify.kakao_events import KakaoConfigError, KakaoEventSettings
from desk.notify.mail_settings import MailConfigError, MailSettings
from desk.notify.notifier import Notifiers
from desk.ratelimit import Rate, RateLimitSettings
from support.client_address import parse_proxies
from support.customer_tokens import DEFAULT_AUDIENCE, DEFAULT_ISSUER, TokenPolicy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "var"
DEFAULT_FETCH_HOSTS = ("127.0.0.1", "localhost")

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
}
_DRIVER_MODULES = {"sqlite+aiosqlite": "aiosqlite", "postgresql+asyncpg": "asyncpg"}


class ConfigError(RuntimeError):
    """Raised when a required setting is missing or malformed."""


def default_database_url(data_dir: Path) -> str:
    """The embedded default: a SQLite file under the data directory."""
    return f"sqlite+aiosqlite:///{data_dir / 'desk.db'}"


def async_database_url(url: str) -> str:
    """``url`` with an async driver: ``postgresql://`` becomes ``postgresql+asyncpg://``.

    Raises:
        ConfigError: when the async driver the URL needs is not installed.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ConfigError("DATABASE_URL must look like sqlite+aiosqlite:///path or postgresql://host/db")
    scheme = _ASYNC_DRIVERS.get(scheme, scheme)
    module = _DRIVER_MODULES.get(scheme)
    if module is not None and importlib.util.find_spec(module) is None:
        raise ConfigError(f"DATABASE_URL needs the Python package {module!r}, which is not installed.")
    return f"{scheme}://{rest}"


def _positive_number(env: Mapping[str, str], name: str, default: str) -> float:
    text = env.get(name, default).strip()
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ConfigError(f"{name} must be a positive number, got {text!r}")
    return value


def _flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _rate_limits(env: Mapping[str, str]) -> RateLimitSettings:
    """The rate limits: ``DESK_RATE_*`` (``COUNT/SECONDS`` or ``off``) and ``DESK_TRUSTED_PROXIES``."""
    defaults = RateLimitSettings()
    rates = {}
    for field, name in (
        ("login_ip", "DESK_RATE_LOGIN_IP"),
        ("login_account", "DESK_RATE_LOGIN_ACCOUNT"),
        ("chat", "DESK_RATE_CHAT"),
        ("uploads", "DESK_RATE_UPLOADS"),
    ):
        text = env.get(name, "").strip()
        try:
            rates[field] = Rate.parse(text) if text else getattr(defaults, field)
        except ValueError as exc:
            raise ConfigError(f"{name}: {exc}") from exc
    try:
        proxies = parse_proxies(env.get("DESK_TRUSTED_PROXIES", ""))
    except ValueError as exc:
        raise ConfigError(f"DESK_TRUSTED_PROXIES must be IP addresses or networks: {exc}") from exc
    return RateLimitSettings(trusted_proxies=proxies, **rates)


@dataclass(frozen=True)
class DeskSettings:
    """Everything the desk needs to start.

    Attributes:
        database_url: async SQLAlchemy URL (``sqlite+aiosqlite://`` or
            ``postgresql+asyncpg://``).
        service_token: bearer token the action server and Rasa present.
        host: interface to listen on.
        port: port to listen on.
        storage_dir: where uploaded photos are kept (never served as a folder).
        fetch_allowed_hosts: hosts ``POST /api/attachments/fetch`` may download from.
        fetch_public_only: fetch only over https:443 from named hosts resolving to public addresses
            (``DESK_FETCH_PUBLIC_ONLY``; on in the production profile).
        session_hours: how long an agent stays signed in.
        cookie_secure: mark the session cookie ``Secure`` (set behind HTTPS).
        rasa_url: Rasa's HTTP API, to push agent replies (``RASA_URL``); None: no pushing.
        rasa_token: Rasa's API token (``RASA_TOKEN``, secret).
        chat_jwt_secret: key of the customers' chat tokens (``CHAT_JWT_SECRET``, secret).
        chat_jwt_issuer, chat_jwt_audience: the ``iss`` and ``aud`` a chat token must carry
            (``CHAT_JWT_ISSUER``, ``CHAT_JWT_AUDIENCE``).
        chat_socket_url: where the chat page connects to Rasa's socket.io (``CHAT_SOCKET_URL``).
        chat_demo_tokens: issue demo customer tokens (``CHAT_DEMO_TOKENS``; never in production).
        rate_limits: limits of the public routes and the trusted proxies (``DESK_RATE_*``,
            ``DESK_TRUSTED_PROXIES``; :mod:`desk.ratelimit`).
        allowed_origins: origins besides the desk's own host whose pages may change things with an
            agent's cookie (``DESK_ALLOWED_ORIGINS``, comma-separated, e.g. ``https://desk.example.com``).
        delivery_retry: back-off and give-up age of failed deliveries and e-mails
            (``DESK_DELIVERY_RETRY_CAP_SECONDS``, ``DESK_DELIVERY_MAX_AGE_SECONDS``; :mod:`desk.deliveries.retry`).
        mail: the SMTP server customers' e-mails go through (``DESK_SMTP_*``); None: e-mail is off.
        kakao_events: KakaoTalk's event API, to tell a KakaoTalk customer a reply waits
            (``DESK_KAKAO_*``); None: off.
    """

    database_url: str
    service_token: str
    host: str = "127.0.0.1"
    port: int = 5080
    storage_dir: Path = DEFAULT_DATA_DIR / "uploads"
    fetch_allowed_hosts: Tuple[str, ...] = DEFAULT_FETCH_HOSTS
    fetch_public_only: bool = False
    session_hours: float = 8.0
    cookie_secure: bool = False
    rasa_url: Optional[str] = None
    rasa_token: Optional[str] = None
    chat_jwt_secret: Optional[str] = None
    chat_jwt_issuer: str = DEFAULT_ISSUER
    chat_jwt_audience: str = DEFAULT_AUDIENCE
    chat_socket_url: str = "http://localhost:5005"
    chat_demo_tokens: bool = False
    rate_limits: RateLimitSettings = RateLimitSettings()
    allowed_origins: Tuple[str, ...] = ()
    delivery_retry: RetryPolicy = RetryPolicy()
    mail: Optional[MailSettings] = None
    kakao_events: Optional[KakaoEventSettings] = None

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "DeskSettings":
        """Build settings from ``env`` (default: the process environment).

        Raises:
            ConfigError: when the service token is missing or a value is malformed.
        """
        env = os.environ if env is None else env
        data_dir = Path(env.get("DATA_DIR", DEFAULT_DATA_DIR))
        token = env.get("DESK_SERVICE_TOKEN", "").strip()
        if len(token) < 16:
            raise ConfigError(
                "DESK_SERVICE_TOKEN must be set to a secret of at least 16 characters "
                "(make run generates one in var/run.env)."
            )
        port_text = env.get("DESK_PORT", "5080")
        if not port_text.isdigit():
            raise ConfigError(f"DESK_PORT must be a port number, got {port_text!r}")
        hosts = tuple(
            host.strip().lower()
            for host in env.get("DESK_FETCH_ALLOWED_HOSTS", ",".join(DEFAULT_FETCH_HOSTS)).split(",")
            if host.strip()
        )
        return cls(
            database_url=async_database_url(env.get("DATABASE_URL") or default_database_url(data_dir)),
            service_token=token,
            host=env.get("DESK_HOST", "127.0.0.1"),
            port=int(port_text),
            storage_dir=Path(env.get("DESK_STORAGE_DIR") or data_dir / "uploads"),
            fetch_allowed_hosts=hosts,
            fetch_public_only=_flag(env, "DESK_FETCH_PUBLIC_ONLY"),
            session_hours=_positive_number(env, "DESK_SESSION_HOURS", "8"),
            cookie_secure=_flag(env, "DESK_COOKIE_SECURE"),
            rasa_url=env.get("RASA_URL") or None,
            rasa_token=env.get("RASA_TOKEN") or None,
            chat_jwt_secret=env.get("CHAT_JWT_SECRET") or None,
            chat_jwt_issuer=(env.get("CHAT_JWT_ISSUER") or DEFAULT_ISSUER).strip(),
            chat_jwt_audience=(env.get("CHAT_JWT_AUDIENCE") or DEFAULT_AUDIENCE).strip(),
            chat_socket_url=env.get("CHAT_SOCKET_URL") or "http://localhost:5005",
            chat_demo_tokens=_flag(env, "CHAT_DEMO_TOKENS"),
            rate_limits=_rate_limits(env),
            allowed_origins=tuple(
                origin.strip().rstrip("/").lower() for origin in env.get("DESK_ALLOWED_ORIGINS", "").split(",")
                if origin.strip()
            ),
            delivery_retry=_retry_policy(env),
            mail=_mail(env),
            kakao_events=_kakao_events(env),
        )

    @property
    def notifiers(self) -> Notifiers:
        """The configured ways to reach customers who left the chat."""
        return Notifiers(mail=self.mail, kakao=self.kakao_events)

    @property
    def chat_tokens(self) -> Optional[TokenPolicy]:
        """How chat tokens are signed and checked; None when no secret is configured."""
        if not self.chat_jwt_secret:
            return None
        return TokenPolicy(self.chat_jwt_secret, self.chat_jwt_issuer, self.chat_jwt_audience)


@dataclass(frozen=True)
class DemoAgent:
    """The agent ``serve``/``migrate`` create when DESK_DEMO_AGENT_* are set."""

    email: str
    password: str
    name: str

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> Optional["DemoAgent"]:
        """The demo agent, or None when its email or password is not set."""
        env = os.environ if env is None else env
        email = env.get("DESK_DEMO_AGENT_EMAIL", "").strip()
        password = env.get("DESK_DEMO_AGENT_PASSWORD", "")
        if not email or not password:
            return None
        return cls(email=email, password=password, name=env.get("DESK_DEMO_AGENT_NAME", "데모 상담원"))


def _retry_policy(env: Mapping[str, str]) -> RetryPolicy:
    try:
        return RetryPolicy.from_env(env)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def _mail(env: Mapping[str, str]) -> Optional[MailSettings]:
    try:
        return MailSettings.from_env(env)
    except MailConfigError as exc:
        raise ConfigError(str(exc)) from exc


def _kakao_events(env: Mapping[str, str]) -> Optional[KakaoEventSettings]:
    try:
        return KakaoEventSettings.from_env(env)
    except KakaoConfigError as exc:
        raise ConfigError(str(exc)) from exc
