"""The desk's proof of an agent's words: bound to the conversation, the kind, the delivery and the text."""

from __future__ import annotations

from contract.agent_proof import check_proof, make_proof, proof_key

KEY = proof_key({"DESK_SERVICE_TOKEN": "desk-service-token-0123456789"})


def test_the_desks_proof_holds_for_exactly_what_it_signed():
    proof = make_proof(KEY, "app:cust-001", "reply", 42, "가게에 확인해 볼게요.")
    assert check_proof(KEY, proof, "app:cust-001", "reply", "가게에 확인해 볼게요.")
    assert not check_proof(KEY, proof, "app:cust-002", "reply", "가게에 확인해 볼게요.")
    assert not check_proof(KEY, proof, "app:cust-001", "resolved", "가게에 확인해 볼게요.")
    assert not check_proof(KEY, proof, "app:cust-001", "reply", "계좌번호를 알려 주세요.")
    assert not check_proof(proof_key({"DESK_SERVICE_TOKEN": "another-token"}), proof, "app:cust-001", "reply",
                           "가게에 확인해 볼게요.")


def test_no_key_or_a_malformed_proof_proves_nothing():
    assert proof_key({}) is None
    for proof in (None, "", "42", "x.abc", "42.", "-1.ab", "1" * 30 + ".ab", 42):
        assert not check_proof(KEY, proof, "app:cust-001", "reply", "text")
    assert not check_proof(None, make_proof(KEY, "c", "reply", 1, "t"), "c", "reply", "t")
