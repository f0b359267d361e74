from wagtail.contrib.forms.models import FormSubmission

from socialsite.website.models import ContactPage


def valid_data(page):
    fields = {f.label: f.clean_name for f in page.form_fields.all()}
    names = list(fields.values())
    return {
        names[0]: "Wang Fang",
        names[1]: "wang@example.com",
        names[2]: page.form_fields.all()[2].choices.splitlines()[1],
        names[3]: "Do you sell 1 kg bags of Longjing?",
        names[4]: "on",
    }


def test_contact_form_submission_is_stored(client, demo_site):
    page = ContactPage.objects.get(locale__language_code="en")
    response = client.post(page.url, valid_data(page))
    assert response.status_code == 200
    assert "Thank you for your message" in response.content.decode()
    submission = FormSubmission.objects.get(page=page)
    assert "wang@example.com" in submission.get_data().values()


def test_chinese_contact_form(client, demo_site):
    page = ContactPage.objects.get(locale__language_code="zh-hans")
    html = client.get(page.url).content.decode()
    assert "您的姓名" in html and "批发合作" in html
    response = client.post(page.url, valid_data(page))
    assert "感谢您的留言" in response.content.decode()
    assert FormSubmission.objects.filter(page=page).count() == 1


def test_invalid_contact_form_shows_errors_and_stores_nothing(client, demo_site):
    page = ContactPage.objects.get(locale__language_code="en")
    data = valid_data(page)
    data[list(data)[1]] = "not an e-mail"
    del data[list(data)[4]]
    response = client.post(page.url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address" in html
    assert 'class="field__error"' in html
    assert 'value="Wang Fang"' in html  # what the visitor typed is kept
    assert not FormSubmission.objects.filter(page=page).exists()


def test_submissions_are_listed_in_the_admin(client, demo_site, editor):
    page = ContactPage.objects.get(locale__language_code="en")
    client.post(page.url, valid_data(page))
    client.force_login(editor)
    response = client.get(f"/admin/forms/submissions/{page.pk}/")
    assert response.status_code == 200
    assert "wang@example.com" in response.content.decode()
