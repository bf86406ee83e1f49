import pytest


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tests.coproduction.urls_with_errors"


@pytest.mark.django_db
def test_404_page_in_house_style(client):
    # when
    response = client.get("/no-such-page/")
    # then
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-footer" in response.content.decode()


@pytest.mark.django_db
def test_500_page_leaks_nothing(client, failing_site):
    # given
    client.raise_request_exception = False
    # when
    response = client.get("/boom/500/")
    # then
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "hunter2" not in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_403_page_does_not_repeat_the_reason(client, failing_site, officer):
    # given
    client.force_login(officer)
    # when
    response = client.get("/boom/403/")
    # then
    page = response.content.decode()
    assert response.status_code == 403
    assert "You cannot see this page" in page
    assert "another council" not in page


@pytest.mark.django_db
def test_400_page_in_house_style(client, failing_site):
    # when
    response = client.get("/boom/400/")
    # then
    assert response.status_code == 400
    assert "there is a problem with your request" in response.content.decode()


@pytest.mark.django_db
def test_pages_send_a_content_security_policy(client):
    # when
    response = client.get("/")
    # then
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'nonce-" in policy
