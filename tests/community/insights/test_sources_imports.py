"""Imports of monitoring-tool exports: reading (encodings, size, poisoned
files), the column mapping, per-row errors, and the admin's upload → map →
import steps."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from community.insights import imports
from community.insights.models import ExternalPost, ImportJob, KeywordGroup, Mention
from tests.community.insights.insights_helpers import superuser
from tests.community.insights.sources_helpers import make_source

pytestmark = pytest.mark.django_db

CSV = (
    "Content,Link,Author,Date,Followers\n"
    "Cloudmist is great,https://x.example/1,@ann,2026-03-02T10:00:00Z,1500\n"
    '"=HYPERLINK(""http://evil"")",https://x.example/2,@bob,2026-03-02,10\n'
    "bad date,https://x.example/3,@c,yesterday-ish,1\n"
    "bad reach,https://x.example/4,@d,,many\n"
    ",https://x.example/5,@e,,\n"
)


def test_csv_mapping_guess_and_run(db):
    KeywordGroup.objects.create(name="Cloudmist import", keywords_en="Cloudmist")
    source = make_source("import")
    table = imports.read(CSV.encode())
    mapping = imports.guess_mapping(table.columns)
    assert mapping == {
        "text": "Content",
        "url": "Link",
        "author_name": "Author",
        "published_at": "Date",
        "reach": "Followers",
    }
    result = imports.run(source, table, mapping)
    assert result.created == 2
    assert [line for line, _reason in result.errors] == [4, 5, 6]
    reasons = [str(reason) for _line, reason in result.errors]
    assert reasons[0] == "The date yesterday-ish cannot be read."
    assert reasons[1] == "The reach many is not a whole number."
    assert reasons[2] == "No text."
    mention = Mention.objects.get(origin=source)
    assert (mention.reach, mention.author) == (1500, "@ann")
    # Stored as plain text; spreadsheets exports neutralise it (exports.safe_cell).
    assert ExternalPost.objects.filter(source=source, text__startswith="=").exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_chinese_exports_in_every_encoding(db, encoding):
    data = "正文,链接\n西湖龙井茶很好,https://x.example/zh\n".encode(encoding)
    table = imports.read(data)
    assert table.columns == ["正文", "链接"]
    assert imports.guess_mapping(table.columns) == {"text": "正文", "url": "链接"}
    assert table.rows[0]["正文"] == "西湖龙井茶很好"


def test_invalid_encoding_is_refused():
    with pytest.raises(imports.ImportProblem, match="neither UTF-8 nor GB18030"):
        imports.read(b"text\n\xff\xfe\xfa\xfb\x80\x80\n")


@override_settings(COMMUNITY_INSIGHTS_IMPORT_MAX_BYTES=100)
def test_too_large_file_is_refused():
    with pytest.raises(imports.ImportProblem, match="larger than"):
        imports.read(b"a\n" + b"x" * 200)


@override_settings(COMMUNITY_INSIGHTS_IMPORT_MAX_ROWS=2)
def test_too_many_rows_is_refused():
    with pytest.raises(imports.ImportProblem, match="more than 2 rows"):
        imports.read(b"text\na\nb\nc\n")


def test_nul_bytes_and_huge_fields_are_refused_per_row(db):
    huge = "y" * (imports.MAX_FIELD + 1)
    data = f"text\nfine row\nbad\x00row\n{huge}\n".encode()
    table = imports.read(data)
    result = imports.run(make_source("import"), table, {"text": "text"})
    assert result.created == 1
    assert [str(reason) for _line, reason in result.errors] == [
        "The column text holds a NUL byte.",
        f"The column text is longer than {imports.MAX_FIELD} characters.",
    ]


def test_csv_field_over_the_parser_limit_is_a_clear_error():
    data = ("text\n" + '"' + "z" * 200_000 + '"\n').encode()
    with pytest.raises(imports.ImportProblem, match="Line 2 cannot be read"):
        imports.read(data)


def test_empty_and_headerless_files():
    with pytest.raises(imports.ImportProblem, match="empty"):
        imports.read(b"   \n")


def test_json_export_nested_and_wrapped(db):
    data = json.dumps(
        {
            "results": [
                {"content": "JSON tea", "author": {"name": "Dee", "followers": 7}},
                "not an object",
                {"content": "Second JSON tea", "extra": [1, 2]},
            ]
        }
    ).encode()
    table = imports.read(data, "export.json")
    assert "author.name" in table.columns
    result = imports.run(
        make_source("import"),
        table,
        {"text": "content", "author_name": "author.name", "reach": "author.followers"},
    )
    assert result.created == 2
    assert result.errors == [(2, "The item is not an object.")]


def test_broken_json_is_refused():
    with pytest.raises(imports.ImportProblem, match="not valid JSON"):
        imports.read(b"[{broken", "x.json")


def test_mapping_needs_a_text_column(db):
    table = imports.read(b"a,b\n1,2\n")
    with pytest.raises(imports.ImportProblem, match="text"):
        imports.run(make_source("import"), table, {"url": "a"})


def test_admin_upload_preview_map_and_import(client):
    client.force_login(superuser())
    source = make_source("import")
    url = reverse("wagtailsnippets_community_insights_source:import", args=[source.pk])
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile(
        "export.csv", b"Body,Where\n<script>x()</script>Tea talk,https://t.example\n"
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>x()" not in content
    assert "&lt;script&gt;" in content
    token = response.context["mapping"]["token"].value()
    response = client.post(
        url, {"token": token, "map_text": "Body", "map_url": "Where"}
    )
    assert response.status_code == 200
    assert response.context["result"].created == 1
    assert "1 new item stored" in response.content.decode()
    post = ExternalPost.objects.get(source=source)
    assert post.text == "Tea talk" and post.url == "https://t.example/"
    # The upload is gone: the same token cannot import twice.
    response = client.post(url, {"token": token, "map_text": "Body"})
    assert response.status_code == 302


def test_admin_import_rejects_a_forged_token_and_bad_files(client):
    client.force_login(superuser())
    source = make_source("import")
    url = reverse("wagtailsnippets_community_insights_source:import", args=[source.pk])
    response = client.post(url, {"token": "forged", "map_text": "x"})
    assert response.status_code == 302
    bad = SimpleUploadedFile("x.csv", b"\xff\xfe\xfa\xfb\x80\x80")
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    assert "neither UTF-8 nor GB18030" in response.content.decode()


def test_admin_import_only_for_import_sources_and_editors(client, django_user_model):
    rss = make_source("rss", url="http://127.0.0.1:9/")
    client.force_login(superuser())
    url = reverse("wagtailsnippets_community_insights_source:import", args=[rss.pk])
    response = client.get(url)
    # Not found (which the language middleware turns into a redirect).
    assert response.status_code in (302, 404)
    assert "export" not in response.content.decode()
    source = make_source("import")
    url = reverse("wagtailsnippets_community_insights_source:import", args=[source.pk])
    member = django_user_model.objects.create_user("plain-member", password="x")
    client.force_login(member)
    assert client.get(url).status_code in (302, 403)


def job_url(source, job):
    return reverse(
        "wagtailsnippets_community_insights_source:import_job",
        args=[source.pk, job.pk],
    )


@override_settings(COMMUNITY_INSIGHTS_IMPORT_BACKGROUND_ROWS=3)
def test_a_large_import_runs_as_a_task_with_progress(client, monkeypatch):
    KeywordGroup.objects.get_or_create(
        name="Cloudmist import", defaults={"keywords_en": "Cloudmist"}
    )
    monkeypatch.setattr(imports, "CHUNK", 2)
    client.force_login(superuser())
    source = make_source("import")
    url = reverse("wagtailsnippets_community_insights_source:import", args=[source.pk])
    rows = "".join(f"Cloudmist background row {n}\n" for n in range(5))
    data = f"text\n{rows}bad\x00row\nCloudmist background row 0\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("big.csv", data)})
    token = response.context["mapping"]["token"].value()
    response = client.post(url, {"token": token, "map_text": "text"})
    # Immediate tasks in the tests: the job has run by the redirect.
    job = ImportJob.objects.get(source=source)
    assert response.status_code == 302
    assert response["Location"] == job_url(source, job)
    assert job.status == ImportJob.Status.DONE
    assert (job.total, job.done) == (7, 7)
    assert (job.created, job.duplicates, job.refused) == (5, 1, 1)
    assert job.errors == [[7, "The column text holds a NUL byte."]]
    assert job.mentions == 5 and job.file_name == "big.csv"
    assert ExternalPost.objects.filter(source=source).count() == 5
    page = client.get(job_url(source, job))
    content = page.content.decode()
    assert page.status_code == 200
    assert "7 of 7 rows" in content
    assert "5 new items stored" in content and "1 row refused" in content
    assert "NUL byte" in content and "<td>7</td>" in content
    assert 'http-equiv="refresh"' not in content
    # The uploaded file is deleted once imported.
    assert not default_storage.exists(job.file)


def test_a_waiting_job_page_refreshes_itself(client):
    client.force_login(superuser())
    source = make_source("import")
    job = ImportJob.objects.create(source=source, file="x", file_name="w.csv")
    page = client.get(job_url(source, job))
    assert 'http-equiv="refresh"' in page.content.decode()
    assert "waiting" in page.content.decode()
    other = make_source("import")
    assert client.get(job_url(other, job)).status_code in (302, 404)


def test_progress_is_saved_after_each_chunk(db, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 2)
    source = make_source("import")
    data = "text\n" + "".join(f"chunk row {n}\n" for n in range(5))
    name = default_storage.save(
        "community_insights/imports/t.upload", ContentFile(data)
    )
    job = imports.start_job(source, name, "t.csv", {"text": "text"})
    seen = []
    original = ImportJob.save

    def spy(self, *args, **kwargs):
        if "done" in (kwargs.get("update_fields") or ()):
            seen.append(self.done)
        original(self, *args, **kwargs)

    monkeypatch.setattr(ImportJob, "save", spy)
    job = imports.run_job(job)
    assert seen == [2, 4, 5]
    assert job.status == ImportJob.Status.DONE and job.created == 5


def test_a_broken_job_file_fails_with_its_reason(db):
    source = make_source("import")
    name = default_storage.save(
        "community_insights/imports/b.upload", ContentFile(b"\xff\xfe\xfa\xfb\x80")
    )
    job = imports.run_job(imports.start_job(source, name, "b.csv", {"text": "t"}))
    assert job.status == ImportJob.Status.FAILED
    assert "neither UTF-8 nor GB18030" in job.message
    assert job.finished_at is not None
