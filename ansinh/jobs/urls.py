"""Background jobs: /jobs/ (a person's list), /jobs/<id>/, its progress partial, retry and download."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<int:pk>/", views.job_detail, name="job-detail"),
    path("<int:pk>/status/", views.job_status, name="job-status"),
    path("<int:pk>/retry/", views.job_retry, name="job-retry"),
    path("<int:pk>/download/", views.job_download, name="job-download"),
]
