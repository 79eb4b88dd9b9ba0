from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import households, views
from . import plans
from . import benefits_pages
from . import benefits_registry
from . import packages
from .benefits_law import BenefitRuleList
from . import payrolls
from . import duplicates
from . import labour_training, labour_unemployment
from . import labour_abroad
from . import labour_placements
from . import procedures
from . import care_facilities
from . import care_children
from . import care_inspections

urlpatterns = [
    path("schema", SpectacularAPIView.as_view(api_version="1"), name="api-schema"),
    path("me", views.Me.as_view(), name="api-me"),
    path("units/", views.UnitList.as_view(), name="api-units"),
    path("units/<int:pk>", views.UnitDetail.as_view(), name="api-unit"),
    path("audit/", views.AuditList.as_view(), name="api-audit"),
    path("households/", households.HouseholdList.as_view(), name="api-households"),
    path("households/<int:pk>", households.HouseholdDetail.as_view(), name="api-household"),
    path("members/<int:pk>", households.MemberDetail.as_view(), name="api-member"),
    path("rounds/", households.RoundList.as_view(), name="api-rounds"),
    path("rounds/<int:pk>", households.RoundDetail.as_view(), name="api-round"),
    path("rounds/<int:pk>/assessments/", households.RoundAssessmentList.as_view(), name="api-round-assessments"),
    path("rounds/<int:pk>/figures/", households.RoundFigures.as_view(), name="api-round-figures"),
    path("indicators/", plans.IndicatorList.as_view(), name="api-indicators"),
    path("indicators/<slug:code>", plans.IndicatorDetail.as_view(), name="api-indicator"),
    path("plans/", plans.PlanList.as_view(), name="api-plans"),
    path("plans/<int:pk>", plans.PlanDetail.as_view(), name="api-plan"),
    path("plans/<int:pk>/targets/", plans.PlanTargetList.as_view(), name="api-plan-targets"),
    path("plans/<int:pk>/results/", plans.PlanResults.as_view(), name="api-plan-results"),
    path("submissions/", plans.SubmissionList.as_view(), name="api-submissions"),
    path("submissions/<int:pk>", plans.SubmissionDetail.as_view(), name="api-submission"),
    path("submissions/<int:pk>/values", plans.SubmissionValues.as_view(), name="api-submission-values"),
    path("submissions/<int:pk>/submit", plans.SubmissionSubmit.as_view(), name="api-submission-submit"),
    path("submissions/<int:pk>/approve", plans.SubmissionApprove.as_view(), name="api-submission-approve"),
    path("submissions/<int:pk>/return", plans.SubmissionReturn.as_view(), name="api-submission-return"),
    path("entitlements/", benefits_pages.EntitlementList.as_view(), name="api-entitlements"),
    path("entitlements/<int:pk>", benefits_pages.EntitlementDetail.as_view(), name="api-entitlement"),
    path("benefit-dossiers/", benefits_registry.BenefitDossierList.as_view(), name="api-benefit-dossiers"),
    path("benefit-dossiers/<int:pk>", benefits_registry.BenefitDossierDetail.as_view(), name="api-benefit-dossier"),
    path("benefit-rules/", BenefitRuleList.as_view(), name="api-benefit-rules"),
    path("payrolls/", payrolls.PayrollList.as_view(), name="api-payrolls"),
    path("payrolls/<int:pk>", payrolls.PayrollDetail.as_view(), name="api-payroll"),
    path("packages/", packages.PackageList.as_view(), name="api-packages"),
    path("packages/<int:pk>", packages.PackageDetail.as_view(), name="api-package"),
    path("duplicates/", duplicates.DuplicateList.as_view(), name="api-duplicates"),
    path("duplicates/<int:pk>", duplicates.DuplicateDetail.as_view(), name="api-duplicate"),
    path("duplicates/<int:pk>/decide/", duplicates.DuplicateDecide.as_view(), name="api-duplicate-decide"),
    path("labour/unemployment/", labour_unemployment.UnemploymentDossierList.as_view(), name="api-labour-unemployment"),
    path("labour/ui-benefit", labour_unemployment.UnemploymentBenefit.as_view(), name="api-labour-ui-benefit"),
    path("labour/training-providers/", labour_training.TrainingProviderList.as_view(), name="api-training-providers"),
    path("labour/courses/", labour_training.CourseList.as_view(), name="api-courses"),
    path("labour/enrolments/", labour_training.EnrolmentList.as_view(), name="api-enrolments"),
    path("labour/departures/", labour_abroad.DepartureList.as_view(), name="api-labour-departures"),
    path("labour/foreign-workers/", labour_abroad.ForeignWorkerList.as_view(), name="api-labour-foreign-workers"),
    path("labour/work-permits/", labour_abroad.WorkPermitList.as_view(), name="api-labour-work-permits"),
    path("labour/placements/", labour_placements.PlacementList.as_view(), name="api-labour-placements"),
    path("labour/counselling/", labour_placements.CounsellingList.as_view(), name="api-labour-counselling"),
    path("labour/sessions/", labour_placements.SessionList.as_view(), name="api-labour-sessions"),
    path("procedures/dossiers/", procedures.DossierList.as_view(), name="api-procedure-dossiers"),
    path("procedures/dossiers/<int:pk>", procedures.DossierDetail.as_view(), name="api-procedure-dossier"),
    path("procedures/catalogue/", procedures.ProcedureList.as_view(), name="api-procedures"),
    path("care/facilities/", care_facilities.CareFacilityList.as_view(), name="api-care-facilities"),
    path("care/facilities/<int:pk>/occupancy", care_facilities.CareFacilityOccupancy.as_view(), name="api-care-facility-occupancy"),
    path("care/facilities/residents/", care_facilities.CareResidentList.as_view(), name="api-care-facility-residents"),
    path("care/facilities/residents/<int:pk>", care_facilities.CareResidentDetail.as_view(), name="api-care-facility-resident"),
    path("care/children/", care_children.ChildList.as_view(), name="api-care-children"),
    path("care/children/assessments/", care_children.AssessmentList.as_view(), name="api-care-child-assessments"),
    path("care/children/<int:pk>", care_children.ChildDetail.as_view(), name="api-care-child"),
    path("care/inspections/", care_inspections.InspectionList.as_view(), name="api-care-inspections"),
    path("care/inspections/<int:pk>", care_inspections.InspectionDetail.as_view(), name="api-care-inspection"),
    path("care/inspections/receptions/", care_inspections.ReceptionList.as_view(), name="api-care-inspection-receptions"),
    path("care/inspections/letters/", care_inspections.PetitionList.as_view(), name="api-care-inspection-letters"),
    re_path(r"", views.NotFound.as_view()),  # last: a JSON 404 for any other path
]
