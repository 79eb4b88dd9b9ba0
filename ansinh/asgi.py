import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

from ansinh.settings import require_production_secrets  # noqa: E402

require_production_secrets()
application = get_asgi_application()
