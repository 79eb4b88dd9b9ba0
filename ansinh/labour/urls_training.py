"""The pages of the training registry (mounted at /labour/training/)."""

from django.urls import path

from . import views_training as v

urlpatterns = [
    path("providers/", v.training_provider_list, name="training-provider-list"),
    path("providers/new", v.training_provider_new, name="training-provider-new"),
    path("providers/<int:pk>/", v.training_provider_detail, name="training-provider-detail"),
    path("providers/<int:pk>/edit", v.training_provider_edit, name="training-provider-edit"),
    path("courses/", v.course_list, name="course-list"),
    path("courses/<int:pk>/", v.course_detail, name="course-detail"),
    path("courses/<int:pk>/edit", v.course_edit, name="course-edit"),
    path("enrolments/", v.enrolment_list, name="enrolment-list"),
    path("enrolments/<int:pk>/edit", v.enrolment_edit, name="enrolment-edit"),
    path("enrolments/import", v.enrolment_import, name="enrolment-import"),
    path("enrolments/template", v.enrolment_template, name="enrolment-template"),
    path("rates/", v.training_rates, name="training-rates"),
    path("levels/", v.training_levels, name="training-levels"),
    path("levels/<int:pk>/edit", v.training_level_edit, name="training-level-edit"),
    path("definitions/<int:pk>/edit", v.training_definition_edit, name="training-definition-edit"),
]
