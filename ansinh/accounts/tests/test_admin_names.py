"""The Django admin speaks Vietnamese: model names and Django's own "Change" (not our "Biến động")."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation

from conftest import login

pytestmark = pytest.mark.django_db


def test_it_gives_every_model_a_vietnamese_name():
    untranslated = []
    with translation.override("vi"):
        for model in apps.get_models():
            if not model.__module__.startswith("ansinh."):
                continue
            options = model._meta
            assert "verbose_name" in options.original_attrs, f"{options.label} has no verbose_name"
            assert "verbose_name_plural" in options.original_attrs, f"{options.label} has no verbose_name_plural"
            with translation.override("en"):
                english = (str(options.verbose_name), str(options.verbose_name_plural))
            if str(options.verbose_name) in english or str(options.verbose_name_plural) in english:
                untranslated.append(options.label)
    assert untranslated == []


def test_it_shows_the_admin_in_vietnamese(client, people):
    login(client, people.tung)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Api tokens" not in html and "Role assignments" not in html
    assert "Mã truy cập API" in html and "Vai trò được giao" in html
    assert "Biến động" not in html
    # Django admin's own "Change" comes through, and the model names on a list page too.
    assert all(model in admin.site._registry for model in apps.get_app_config("geo").get_models())
    html = client.get("/admin/geo/succession/").content.decode()
    assert "kế thừa đơn vị hành chính" in html.lower()
    with translation.override("vi"):
        assert translation.gettext("Change") == "Thay đổi"
        assert translation.pgettext("compared with before", "Change") == "Biến động"
