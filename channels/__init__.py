"""Rasa input channels of the messengers customers write from (KakaoTalk, Messenger)."""
