"""The pages of the children area (/care/children/…)."""

from django.urls import URLPattern, path

from . import views_children as views

urlpatterns: list[URLPattern] = [
    path("children/", views.child_list, name="child-list"),
    path("children/new", views.child_new, name="child-new"),
    path("children/import/", views.child_import, name="child-import"),
    path("children/import/template.xlsx", views.child_import_template, name="child-import-template"),
    path("children/<int:pk>/", views.child_detail, name="child-detail"),
    path("children/<int:pk>/edit", views.child_edit, name="child-edit"),
    path("children/<int:pk>/support", views.child_support_add, name="child-support-add"),
    path("children/<int:pk>/notes", views.child_note_add, name="child-note-add"),
    path("children/<int:pk>/abuse", views.child_abuse_add, name="child-abuse-add"),
    path("children/<int:pk>/groups", views.child_circumstance_add, name="child-circumstance-add"),
    path("children/<int:pk>/groups/<int:cid>/end", views.child_circumstance_end, name="child-circumstance-end"),
    path("children/assessments/", views.assessment_list, name="child-assessment-list"),
    path("children/assessments/enter", views.assessment_form, name="child-assessment-form"),
    path("children/assessments/<int:pk>/", views.assessment_detail, name="child-assessment-detail"),
    path("children/assessments/<int:pk>/submit", views.assessment_submit, name="child-assessment-submit"),
    path("children/assessments/<int:pk>/approve", views.assessment_approve, name="child-assessment-approve"),
    path("children/assessments/<int:pk>/return", views.assessment_return, name="child-assessment-return"),
]
