"""An event, on phones, in both languages: a member registers for a tasting,
the ticket e-mail (with its .ics and QR code) lands in the live site's mail
folder, and staff at the door find the member by name and check them in; a
second check-in says since when they are in."""

from pathlib import Path

import pytest
import segno
from playwright.sync_api import expect

from tests.live import CHROMIUM, LIVE_SITE_ENV, ROOT, live_shell

from .conftest import VIEWPORTS

EVENT_SLUG = "spring-longjing-tasting-hangzhou"
PASSWORD = "tea-journey-2718"

SETUP = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from community.events.models import EventPage

User = get_user_model()
people = [
    ("eventgoer_en", "Alex", False),
    ("eventgoer_zh", "小云", False),
    ("doorstaff", "Door", True),
]
for name, first_name, staff in people:
    user, _ = User.objects.get_or_create(
        username=name, defaults={"email": name + "@cloudmist.example"}
    )
    user.set_password("PASSWORD")
    user.first_name = first_name
    user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    if staff:
        user.user_permissions.add(
            Permission.objects.get(
                codename="check_in", content_type__app_label="community_events"
            )
        )
for event in EventPage.objects.filter(slug="EVENT_SLUG"):
    print("EVENT", event.locale.language_code, event.pk, event.url)
""".replace("PASSWORD", PASSWORD).replace("EVENT_SLUG", EVENT_SLUG)


@pytest.fixture(scope="module")
def events(live_site):
    found = {}
    for line in live_shell(SETUP).split("\n"):
        if line.startswith("EVENT "):
            _marker, language, pk, url = line.split()
            found[language] = (int(pk), url)
    return found


@pytest.fixture
def phone(browser, live_site):
    contexts = []

    def open_phone(language):
        context = browser.new_context(
            viewport=VIEWPORTS["phone"],
            base_url=live_site,
            locale="zh-CN" if language == "zh-hans" else "en-US",
            is_mobile=True,
            has_touch=True,
        )
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


def sign_in(page, username, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.locator("input[name=login]").fill(f"{username}@cloudmist.example")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(f"**{next_url}")


def shoot(page, name):
    folder = ROOT / "artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}-phone.png", full_page=True)


def mail_with(address):
    folder = Path(LIVE_SITE_ENV["EMAIL_FILE_PATH"])
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime):
        text = path.read_text(errors="replace")
        for message in text.split("\n" + "-" * 79 + "\n"):
            if f"To: {address}" in message:
                yield message


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_register_get_ticket_and_check_in_on_phones(events, phone, language):
    pk, url = events[language]
    short = "en" if language == "en" else "zh"
    member = f"eventgoer_{short}"

    page = phone(language)
    sign_in(page, member, url)
    page.locator(".event-register button[type=submit]").click()
    expect(page.locator("#ticket svg")).to_be_visible()
    expect(page.locator(".event-state--ok").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, f"events-registered-{short}")

    messages = list(mail_with(f"{member}@cloudmist.example"))
    ticket_mails = [m for m in messages if 'filename="event.ics"' in m]
    assert ticket_mails, "no ticket e-mail in the live site's mail folder"
    assert 'filename="ticket.png"' in ticket_mails[-1]

    page.goto("/" + language + "/community/events/mine/")
    expect(page.locator(".my-event")).to_have_count(1)
    shoot(page, f"events-mine-{short}")

    staff = phone(language)
    check_in_url = f"/{language}/community/events/check-in/{pk}/"
    sign_in(staff, "doorstaff", check_in_url)
    staff.locator("#id_q").fill(member)
    staff.locator(".check-in__search button[type=submit]").click()
    staff.locator(".check-in__person button[type=submit]").click()
    expect(staff.locator(".check-in__result--checked_in")).to_be_visible()
    assert staff.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(staff, f"events-check-in-{short}")
    # The same member again: the page says since when they are in.
    staff.locator("#id_q").fill(member)
    staff.locator(".check-in__search button[type=submit]").click()
    expect(staff.locator(".check-in__person .event-state--ok")).to_be_visible()


# Scanning a ticket with the camera: Chromium's fake camera plays a video of
# the ticket's QR code, so the check-in page's scanner (the vendored jsQR where
# the browser has no BarcodeDetector, as on Linux) really reads it.

REGISTER_FOR_SCAN = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import translation
from community.events import services, tickets
from community.events.models import EventPage

user, _ = get_user_model().objects.get_or_create(
    username="USERNAME", defaults={"email": "USERNAME@cloudmist.example"}
)
EmailAddress.objects.get_or_create(
    user=user, email=user.email, defaults={"verified": True, "primary": True}
)
event = EventPage.objects.get(pk=PK)
with translation.override("LANGUAGE"):
    registration = services.register(event, user)
print("STATUS", registration.status)
print("TOKEN", tickets.ticket_token(registration))
"""


def register_for_scan(pk, username, language):
    script = (
        REGISTER_FOR_SCAN.replace("USERNAME", username)
        .replace("PK", str(pk))
        .replace("LANGUAGE", language)
    )
    lines = dict(line.split(" ", 1) for line in live_shell(script).split("\n") if line)
    assert lines["STATUS"] == "registered"
    return lines["TOKEN"]


def qr_video(text, path, width=640, height=480, frames=3):
    """A Y4M video (Chromium's fake camera format) of `text`'s QR code, dark
    on white, filling most of the picture."""
    matrix = [list(row) for row in segno.make(text, error="m").matrix_iter(border=4)]
    scale = min(width, height) * 9 // 10 // len(matrix)
    side = len(matrix) * scale
    left, top = (width - side) // 2, (height - side) // 2
    luma = bytearray(b"\xff" * (width * height))
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (top + r * scale + dy) * width + left + c * scale
                    luma[start : start + scale] = b"\x10" * scale
    chroma = b"\x80" * (width * height // 4)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_staff_scan_a_ticket_with_the_camera(
    events, browser, live_site, tmp_path, language
):
    pk, _url = events[language]
    short = "en" if language == "en" else "zh"
    # The name the page shows: the member's display name, here the username.
    name = f"scanned_{short}"
    token = register_for_scan(pk, name, language)
    video = qr_video(token, tmp_path / "ticket.y4m")
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_browser.new_context(
            viewport=VIEWPORTS["phone"],
            base_url=live_site,
            locale="zh-CN" if language == "zh-hans" else "en-US",
            is_mobile=True,
            has_touch=True,
        )
        context.grant_permissions(["camera"])
        # The scanner without BarcodeDetector: the vendored jsQR reads the code.
        context.add_init_script("delete window.BarcodeDetector;")
        staff = context.new_page()
        errors = []
        staff.on("pageerror", lambda error: errors.append(str(error)))
        check_in_url = f"/{language}/community/events/check-in/{pk}/"
        sign_in(staff, "doorstaff", check_in_url)
        start = staff.locator("[data-scan-start]")
        expect(start).to_be_visible()
        # By keyboard: the camera starts from its button, Escape stops it.
        start.focus()
        staff.keyboard.press("Enter")
        result = staff.locator("#check-in-result")
        expect(staff.locator(".check-in__result--checked_in")).to_be_visible()
        expect(result).to_contain_text(name)
        assert staff.locator("[data-scanner]").get_attribute("data-scanner") == "jsqr"
        assert staff.evaluate("document.documentElement.scrollWidth") <= 390
        shoot(staff, f"events-scan-{short}")
        # The ticket stays in view: scanned again, it is "already checked in".
        expect(staff.locator(".check-in__result--already")).to_be_visible()
        expect(result).to_contain_text(name)
        staff.keyboard.press("Escape")
        expect(start).to_be_visible()
        expect(start).to_be_focused()
        assert errors == []
        context.close()
    finally:
        camera_browser.close()
