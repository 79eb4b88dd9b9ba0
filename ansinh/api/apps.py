from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ansinh.api"
    verbose_name = "API"
