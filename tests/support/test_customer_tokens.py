"""Customer tokens: subject, issuer, audience, expiry and signature all checked, each refusal named."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jwt
import pytest

from support.customer_tokens import TokenPolicy, TokenRejected, customer_of, issue, verify

SECRET = "customer-token-test-secret-0123456789"
POLICY = TokenPolicy(SECRET, "kfood-app", "kfood-support-chat")


def refusal(token, policy=POLICY) -> str:
    with pytest.raises(TokenRejected) as rejected:
        verify(token, policy)
    return rejected.value.code


def test_a_valid_token_names_its_customer_until_it_expires():
    proof = verify(issue(POLICY, "cust-001", hours=1), POLICY)
    assert proof.customer_id == "cust-001"
    assert proof.expires_at > datetime.now(timezone.utc).timestamp()


def test_each_bad_token_is_refused_with_its_reason():
    now = datetime.now(timezone.utc)
    assert refusal(None) == "missing_token"
    assert refusal("") == "missing_token"
    assert refusal("not.a.jwt") == "malformed_token"
    assert refusal("x" * 5000) == "malformed_token"
    assert refusal(issue(POLICY, "cust-001", hours=1, now=now - timedelta(hours=2))) == "expired_token"
    assert refusal(issue(TokenPolicy("another-secret-0123456789abcdef"), "cust-001")) == "invalid_signature"
    assert refusal(issue(TokenPolicy(SECRET, audience="kfood-rider-app"), "cust-001")) == "wrong_audience"
    assert refusal(issue(TokenPolicy(SECRET, issuer="someone-else"), "cust-001")) == "wrong_issuer"
    assert refusal(issue(POLICY, "cust/../001")) == "invalid_subject"
    assert refusal(issue(POLICY, "cust-001"), None) == "tokens_disabled"


def test_tokens_without_issuer_or_audience_or_with_alg_none_are_refused():
    now = int(datetime.now(timezone.utc).timestamp())
    bare = jwt.encode({"sub": "cust-001", "exp": now + 3600}, SECRET, algorithm="HS256")
    assert refusal(bare) == "malformed_token"
    unsigned = jwt.encode({"sub": "cust-001", "exp": now + 3600, "iss": "kfood-app", "aud": "kfood-support-chat"},
                          None, algorithm="none")
    assert refusal(unsigned) == "malformed_token"
    assert customer_of(unsigned, POLICY) is None


def test_settings_come_from_the_environment():
    assert TokenPolicy.from_env({}) is None
    policy = TokenPolicy.from_env({"CHAT_JWT_SECRET": "s", "CHAT_JWT_AUDIENCE": "aud-x"})
    assert (policy.secret, policy.issuer, policy.audience) == ("s", "kfood-app", "aud-x")
