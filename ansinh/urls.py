from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ansinh.accounts.views import audit_list
from ansinh.web.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("ansinh.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("units/", include("ansinh.geo.urls")),
    path("households/", include("ansinh.households.urls")),
    path("households/", include("ansinh.poverty.urls")),
    path("plans/", include("ansinh.plans.urls")),
    path("calendar/", include("ansinh.workdays.urls")),
    path("benefits/", include("ansinh.benefits.urls")),
    path("payments/", include("ansinh.payments.urls")),
    path("duplicates/", include("ansinh.dedup.urls")),
    path("labour/", include("ansinh.labour.urls")),
    path("procedures/", include("ansinh.procedures.urls")),
    path("care/", include("ansinh.care.urls")),
    path("audit/", audit_list, name="audit-list"),
    path("jobs/", include("ansinh.jobs.urls")),
    path("api/v1/", include("ansinh.api.urls")),
    path("admin/", admin.site.urls),
]
