from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The Decree 30/2020/NĐ-CP layout every capability prints its documents through (no models)."""

    name = "ansinh.documents"
