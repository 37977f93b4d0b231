"""Photos are kept by the desk as soon as they arrive, so a channel URL that expires later
(KakaoTalk's secure image URLs last about ten minutes) still gives the ticket its photo."""

from __future__ import annotations

import io

import pytest
from aiohttp import ClientSession, web
from PIL import Image
from rasa_sdk.executor import CollectingDispatcher

from actions.attachments import keep_photos
from actions.problem_form import ValidateProblemForm
from local_servers import stand_in
from trackers import make_tracker, signed_identity, user_event


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


class ExpiringHost:
    """A photo host whose URL works only until ``expire()`` is called, like a secure image URL."""

    def __init__(self) -> None:
        self.alive = True
        self.requests = 0

    async def photo(self, _request: web.Request) -> web.Response:
        self.requests += 1
        if not self.alive:
            return web.Response(status=403, text="expired")
        return web.Response(body=_jpeg(), content_type="image/jpeg")

    def expire(self) -> None:
        self.alive = False


@pytest.fixture
async def photo_host():
    host = ExpiringHost()
    async with stand_in([web.get("/dna/photo.jpg", host.photo)]) as url:
        host.url = f"{url}/dna/photo.jpg?credential=x&expires=1"
        yield host


def _tracker(photos):
    event = user_event("사진이요", "inform")
    event["metadata"] = {**signed_identity(), "attachments": photos}
    return make_tracker([event], slots={"problem_category": "quality", "requested_slot": "photos"})


async def test_a_photo_is_kept_by_the_desk_when_it_arrives(services_with_desk, desk_server, photo_host):
    photos = [{"type": "image", "url": photo_host.url}]
    dispatcher = CollectingDispatcher()
    result = await ValidateProblemForm().validate_photos(photos, dispatcher, _tracker(photos), {})
    kept = result["photos"]
    assert len(kept) == 1 and set(kept[0]) == {"type", "id"}, "the desk's id replaces the channel's URL"
    assert photo_host.requests == 1
    assert [m.get("response") for m in dispatcher.messages] == ["utter_photos_received"]
    photo_host.expire()
    # the channel's URL is dead now; the desk still serves its own copy
    async with ClientSession() as http:
        async with http.get(
            f"{desk_server['url']}/api/attachments/{kept[0]['id']}",
            headers={"Authorization": f"Bearer {desk_server['token']}"},
        ) as answer:
            assert answer.status == 200
            assert answer.content_type.startswith("image/")


async def test_a_photo_the_desk_cannot_fetch_yet_keeps_its_url(services_with_desk, photo_host):
    photo_host.expire()
    photos = [{"type": "image", "url": photo_host.url}, {"type": "image", "id": "a" * 32}]
    kept = await keep_photos(services_with_desk.desk, photos, "test:conversation")
    assert kept == photos, "nothing is lost: the handoff tries the URL again, the id stays"


async def test_without_a_desk_the_photos_stay_as_they_came(services):
    photos = [{"type": "image", "url": "https://talk.kakaocdn.net/dna/a/b/img_l.jpg"}]
    assert await keep_photos(services.desk, photos, "test:conversation") == photos
