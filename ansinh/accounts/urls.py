"""Users and passwords: /accounts/users/… and /accounts/password/ (login, logout and the audit
trail are in ansinh/urls.py)."""

from django.urls import path

from . import views_users as views

urlpatterns = [
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user-edit"),
    path("users/<int:pk>/roles/new/", views.role_grant, name="user-role-grant"),
    path("users/<int:pk>/roles/<int:role_pk>/revoke/", views.role_revoke, name="user-role-revoke"),
    path("users/<int:pk>/password/", views.password_reset, name="user-password-reset"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user-reactivate"),
    path("users/<int:pk>/tokens/new/", views.token_create, name="user-token-create"),
    path("users/<int:pk>/tokens/<int:token_pk>/revoke/", views.token_revoke, name="user-token-revoke"),
    path("password/", views.password_change, name="password-change"),
]
