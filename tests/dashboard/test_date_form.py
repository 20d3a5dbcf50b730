"""The dashboard's date: typed DD/MM/YYYY (ISO accepted) in a text box, never read month first,
shown back DD/MM/YYYY, in Vietnamese and in English."""

import datetime

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_day_first_date_is_that_day_and_is_shown_back_day_first(
    client, department_user, language
):
    client.force_login(department_user)
    client.cookies["django_language"] = language
    response = client.get("/", {"as_of": "01/06/2020"})
    assert response.context["as_of"] == datetime.date(2020, 6, 1)
    html = response.content.decode()
    assert 'value="01/06/2020"' in html and 'type="date"' not in html
    assert client.get("/", {"as_of": "2020-06-01"}).context["as_of"] == datetime.date(2020, 6, 1)
    assert client.get("/", {"as_of": "15/03/2019"}).context["as_of"] == datetime.date(2019, 3, 15)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("vi", "Nhập ngày theo dạng NN/TT/NNNN (ví dụ 01/06/2020)."),
        ("en", "Enter the date as DD/MM/YYYY (for example 01/06/2020)."),
    ],
)
def test_a_month_first_date_is_refused_with_the_expected_form(
    client, department_user, language, message
):
    client.force_login(department_user)
    client.cookies["django_language"] = language
    for bad in ("06/31/2020", "13/13/2020"):
        html = client.get("/", {"as_of": bad}).content.decode()
        assert 'id="as-of-error"' in html
        assert message in html
