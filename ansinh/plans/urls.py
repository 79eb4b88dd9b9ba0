"""Plans, targets, periodic reports and their documents: /plans/…"""

from django.urls import include, path

urlpatterns = [
    path("", include("ansinh.plans.urls_plans")),
    path("", include("ansinh.plans.urls_io")),
    path("", include("ansinh.plans.urls_documents")),
    path("", include("ansinh.plans.urls_reporting")),
]
