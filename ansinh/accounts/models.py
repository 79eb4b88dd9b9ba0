"""Users, the roles that bind them to administrative units, API tokens and the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ansinh.geo.models import Level, Under
from ansinh.lib.vietnamese import fold


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True, help_text="Personal data.")
    is_demo = models.BooleanField(
        default=False, help_text="Made by `ansinh demo setup`: may log in only while ANSINH_DEMO is on."
    )
    # fold(username + full name): the user list searches it accent-insensitively ("hoa" finds "Hòa").
    search_name = models.CharField(max_length=320, blank=True, db_index=True, editable=False)

    def __str__(self) -> str:
        return self.full_name or self.username

    def set_derived_fields(self) -> None:
        self.search_name = fold(f"{self.username} {self.full_name}")


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    PROVINCIAL_LEADER = "provincial_leader", _("Provincial leader")
    # The department's inspectorate (Law on Inspection 11/2022/QH15; from 2025 the provincial
    # inspectorate): inspections, citizen reception, complaints and denunciations of her province.
    INSPECTOR = "inspector", _("Inspector")
    NATIONAL_VIEWER = "national_viewer", _("National viewer")
    ADMIN = "admin", _("System administrator")


class Field(models.TextChoices):
    POVERTY = "poverty", _("Poverty reduction")
    MERITORIOUS = "meritorious", _("Meritorious people")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    LABOUR = "labour", _("Labour and employment")
    CHILDREN = "children", _("Children")
    PLANNING = "planning", _("General planning")


# The level of unit each role is bound to; a role on a unit covers the unit's descendants.
ROLE_LEVEL = {
    Role.COMMUNE_OFFICER: Level.COMMUNE,
    Role.PROVINCIAL_OFFICER: Level.PROVINCE,
    Role.PROVINCIAL_LEADER: Level.PROVINCE,
    Role.INSPECTOR: Level.PROVINCE,
    Role.NATIONAL_VIEWER: Level.COUNTRY,
    Role.ADMIN: Level.COUNTRY,
}
EDITING_ROLES = {Role.COMMUNE_OFFICER, Role.PROVINCIAL_OFFICER, Role.ADMIN}
AUDIT_ROLES = {Role.PROVINCIAL_LEADER, Role.ADMIN}


class RoleAssignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey("geo.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("field"), max_length=24, choices=Field.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit", "field"], name="role_assignment_unique"),
            models.CheckConstraint(
                condition=models.Q(role="provincial_officer", field__gt="") | ~models.Q(role="provincial_officer"),
                name="provincial_officer_has_field",
            ),
        ]

    def __str__(self) -> str:
        field = f" ({self.get_field_display()})" if self.field else ""
        return f"{self.get_role_display()}{field} — {self.unit}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenState(models.TextChoices):
    ACTIVE = "active", _("active")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once.

    A token expires (`expires_at`, settings.API_TOKEN_DAYS after its creation unless chosen
    otherwise) and can be revoked; the API refuses both.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="First characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    @staticmethod
    def new_secret() -> str:
        return "ans_" + secrets.token_urlsafe(32)

    def state(self, now: dt.datetime | None = None) -> TokenState:
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    def get_state_display(self) -> str:
        return str(self.state().label)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class AuditAction(models.TextChoices):
    """What an audit row records, named for people (the page and the export show the label).

    The values are dotted, app first; rows written before these choices existed keep their raw
    value and show it humanised (`AuditEvent.action_label`). Labels carry the context "audit
    action" so that they never share a translation with a button of the same English words.
    """

    # The register (households, members, living conditions) and the poverty review.
    HOUSEHOLD_CREATE = "household.create", pgettext_lazy("audit action", "Create household")
    HOUSEHOLD_UPDATE = "household.update", pgettext_lazy("audit action", "Edit household")
    HOUSEHOLD_SPLIT = "household.split", pgettext_lazy("audit action", "Split household")
    HOUSEHOLD_MERGE = "household.merge", pgettext_lazy("audit action", "Merge households")
    MEMBER_CREATE = "member.create", pgettext_lazy("audit action", "Add member")
    MEMBER_UPDATE = "member.update", pgettext_lazy("audit action", "Edit member")
    MEMBER_DIED = "member.died", pgettext_lazy("audit action", "Record a death")
    MEMBER_MOVE = "member.move", pgettext_lazy("audit action", "Move member to another household")
    CONDITIONS_RECORD = "conditions.record", pgettext_lazy("audit action", "Record living conditions")
    HOUSEHOLDS_IMPORT = "households.import", pgettext_lazy("audit action", "Import households")
    HOUSEHOLDS_LIST_EXPORT = "households.list_export", pgettext_lazy("audit action", "Export household list")
    HOUSEHOLDS_DEMO = "households.demo.generate", pgettext_lazy("audit action", "Generate demo households")
    STANDARD_CREATE = "households.standard.create", pgettext_lazy("audit action", "Create poverty standard")
    STANDARD_UPDATE = "households.standard.update", pgettext_lazy("audit action", "Update poverty standard")
    ROUND_OPEN = "review_round.open", pgettext_lazy("audit action", "Open review round")
    ROUND_CLASSIFY = "review_round.classify", pgettext_lazy("audit action", "Classify households of a review round")
    ROUND_STEP = "review_round.step", pgettext_lazy("audit action", "Record review step")
    ROUND_DECIDE = "review_round.decide", pgettext_lazy("audit action", "Record review decision")
    # The administrative map.
    MAP_LOAD = "geo.map.load", pgettext_lazy("audit action", "Load administrative map")
    HAMLET_CREATE = "geo.hamlet.create", pgettext_lazy("audit action", "Create hamlet")
    HAMLET_UPDATE = "geo.hamlet.update", pgettext_lazy("audit action", "Edit hamlet")
    # Plans, targets, tasks and periodic reports.
    AGENCY_CREATE = "plans.agency.create", pgettext_lazy("audit action", "Create agency")
    AGENCY_UPDATE = "plans.agency.update", pgettext_lazy("audit action", "Edit agency")
    PLAN_CREATE = "plans.plan.create", pgettext_lazy("audit action", "Create plan")
    PLAN_UPDATE = "plans.plan.update", pgettext_lazy("audit action", "Edit plan")
    TARGETS_REPLACE = "plans.targets.replace", pgettext_lazy("audit action", "Replace targets")
    TARGET_REVISE = "plans.target.revise", pgettext_lazy("audit action", "Revise target")
    TASK_CREATE = "plans.task.create", pgettext_lazy("audit action", "Create task")
    TASK_UPDATE = "plans.task.update", pgettext_lazy("audit action", "Edit task")
    TASK_NOTE = "plans.task.note", pgettext_lazy("audit action", "Note task progress")
    SUBMISSION_CREATE = "plans.submission.create", pgettext_lazy("audit action", "Open report form")
    SUBMISSION_SAVE = "plans.submission.save", pgettext_lazy("audit action", "Save report figures")
    SUBMISSION_NOTES = "plans.submission.notes", pgettext_lazy("audit action", "Save report notes")
    SUBMISSION_SUBMIT = "plans.submission.submit", pgettext_lazy("audit action", "Submit report")
    SUBMISSION_RETURN = "plans.submission.return", pgettext_lazy("audit action", "Return report")
    SUBMISSION_APPROVE = "plans.submission.approve", pgettext_lazy("audit action", "Approve report")
    REPORT_TEXT_SAVE = "plans.report_text.save", pgettext_lazy("audit action", "Save report text")
    SENTENCE_SAVE = "plans.sentence.save", pgettext_lazy("audit action", "Save indicator sentence")
    SENTENCE_RESET = "plans.sentence.reset", pgettext_lazy("audit action", "Reset indicator sentence")
    PLANS_DEMO = "plans.demo.generate", pgettext_lazy("audit action", "Generate demo plans")
    PLANS_DEMO_TASKS = "plans.demo.tasks_done", pgettext_lazy("audit action", "Mark demo tasks done")
    PLANS_BENCH = "plans.bench.setup", pgettext_lazy("audit action", "Prepare benchmark data")
    # Imports, personal data and citizen IDs.
    IMPORT_REFUSED = "import.refused", pgettext_lazy("audit action", "Import refused")
    PERSONAL_DATA_READ = "personal_data.read", pgettext_lazy("audit action", "Read full personal data")
    CITIZEN_ID_ELSEWHERE = "citizen_id.checked_elsewhere", pgettext_lazy(
        "audit action", "Citizen ID checked against another unit")
    # Users, roles and API tokens.
    USER_CREATE = "user.create", pgettext_lazy("audit action", "Create user")
    USER_UPDATE = "user.update", pgettext_lazy("audit action", "Edit user")
    USER_DEACTIVATE = "user.deactivate", pgettext_lazy("audit action", "Deactivate user")
    USER_PASSWORD_RESET = "user.password_reset", pgettext_lazy("audit action", "Reset password")
    USER_PASSWORD_CHANGE = "user.password_change", pgettext_lazy("audit action", "Change own password")
    ROLE_GRANT = "role.grant", pgettext_lazy("audit action", "Grant role")
    ROLE_REVOKE = "role.revoke", pgettext_lazy("audit action", "Revoke role")
    TOKEN_CREATE = "token.create", pgettext_lazy("audit action", "Create API token")
    TOKEN_REVOKE = "token.revoke", pgettext_lazy("audit action", "Revoke API token")
    # Background jobs, the working-day calendar, the audit trail itself.
    JOB_START = "job.start", pgettext_lazy("audit action", "Start background job")
    JOB_FAIL = "job.fail", pgettext_lazy("audit action", "Background job failed")
    JOB_RETRY = "job.retry", pgettext_lazy("audit action", "Retry background job")
    CALENDAR_CHANGE = "calendar.change", pgettext_lazy("audit action", "Change working-day calendar")
    AUDIT_EXPORT = "audit.export", pgettext_lazy("audit action", "Export audit trail")
    # People served: entitlements, martyrs, dossiers, death-benefit proposals (benefits.services).
    ENTITLEMENT_CREATE = "entitlement.create", pgettext_lazy("audit action", "Grant entitlement")
    ENTITLEMENT_UPDATE = "entitlement.update", pgettext_lazy("audit action", "Correct entitlement")
    ENTITLEMENT_STOP = "entitlement.stop", pgettext_lazy("audit action", "Stop entitlement")
    ENTITLEMENT_STOP_DEATH = "entitlement.stop_death", pgettext_lazy("audit action", "Stop entitlement on death")
    ENTITLEMENT_IMPORT = "entitlement.import", pgettext_lazy("audit action", "Import entitlements")
    MARTYR_CREATE = "martyr.create", pgettext_lazy("audit action", "Record martyr")
    DOSSIER_RECEIVE = "benefit_dossier.receive", pgettext_lazy("audit action", "Receive benefit dossier")
    DOSSIER_CHECK = "benefit_dossier.check", pgettext_lazy("audit action", "Check benefit dossier")
    DOSSIER_DECIDE = "benefit_dossier.decide", pgettext_lazy("audit action", "Decide benefit dossier")
    DOSSIER_REFUSE = "benefit_dossier.refuse", pgettext_lazy("audit action", "Refuse benefit dossier")
    PROPOSAL_CREATE = "benefit_proposal.create", pgettext_lazy("audit action", "Propose death benefit")
    PROPOSAL_CONFIRM = "benefit_proposal.confirm", pgettext_lazy("audit action", "Confirm death benefit")
    PROPOSAL_DISMISS = "benefit_proposal.dismiss", pgettext_lazy("audit action", "Dismiss death benefit")
    BENEFIT_CHECKS_EXPORT = "benefit_checks.export", pgettext_lazy("audit action", "Export who should or should not be paid")
    # Payrolls, packages, payment results, suspensions (payments.services).
    PAYROLL_COMPUTE = "payroll.compute", pgettext_lazy("audit action", "Compute payroll")
    PAYROLL_APPROVE = "payroll.approve", pgettext_lazy("audit action", "Approve payroll")
    PAYROLL_SEND = "payroll.send", pgettext_lazy("audit action", "Send payroll to the paying agent")
    PAYROLL_RECONCILE = "payroll.reconcile", pgettext_lazy("audit action", "Reconcile payroll")
    PAYROLL_EXPORT = "payroll.export", pgettext_lazy("audit action", "Export payroll list")
    PAYMENT_METHOD_UPDATE = "payment_method.update", pgettext_lazy("audit action", "Change payment method")
    PAYMENT_RESULTS_IMPORT = "payment_results.import", pgettext_lazy("audit action", "Import payment results")
    SUSPENSION_PROPOSE = "suspension.propose", pgettext_lazy("audit action", "Propose suspension")
    SUSPENSION_CONFIRM = "suspension.confirm", pgettext_lazy("audit action", "Confirm suspension")
    SUSPENSION_DISMISS = "suspension.dismiss", pgettext_lazy("audit action", "Dismiss suspension")
    PACKAGE_CREATE = "package.create", pgettext_lazy("audit action", "Create support package")
    PACKAGE_UPDATE = "package.update", pgettext_lazy("audit action", "Edit support package")
    PACKAGE_FREEZE = "package.freeze", pgettext_lazy("audit action", "Freeze package list")
    PACKAGE_EXPORT = "package.export", pgettext_lazy("audit action", "Export package list")
    # Duplicate people (dedup.services).
    DEDUP_RUN = "dedup.run", pgettext_lazy("audit action", "Search for duplicate people")
    DEDUP_MODEL_TRAIN = "dedup.model.train", pgettext_lazy("audit action", "Train linkage model")
    DUPLICATE_MERGE = "duplicate.merge", pgettext_lazy("audit action", "Merge duplicate records")
    DUPLICATE_LINK = "duplicate.link", pgettext_lazy("audit action", "Link records of one person")
    DUPLICATE_DISMISS = "duplicate.dismiss", pgettext_lazy("audit action", "Dismiss possible duplicate")
    DUPLICATE_SAVED_ANYWAY = "duplicate.saved_anyway", pgettext_lazy("audit action",
                                                                     "Save despite a possible duplicate")
    # Labour and employment (labour.services).
    PLACEMENT_CREATE = "placement.create", pgettext_lazy("audit action", "Record job placement")
    PLACEMENT_UPDATE = "placement.update", pgettext_lazy("audit action", "Edit job placement")
    PLACEMENT_DELETE = "placement.delete", pgettext_lazy("audit action", "Delete job placement")
    COUNSELLING_CREATE = "counselling.create", pgettext_lazy("audit action", "Record counselling")
    COUNSELLING_SESSION_SAVE = "counselling_session.save", pgettext_lazy("audit action",
                                                                         "Record counselling session or job fair")
    TRAINING_PROVIDER_SAVE = "training_provider.save", pgettext_lazy("audit action", "Save training provider")
    COURSE_SAVE = "course.save", pgettext_lazy("audit action", "Save course")
    ENROLMENT_SAVE = "enrolment.save", pgettext_lazy("audit action", "Save enrolment")
    DEPARTURE_SAVE = "departure.save", pgettext_lazy("audit action", "Save worker abroad")
    UNEMPLOYMENT_RECEIVE = "unemployment.receive", pgettext_lazy("audit action",
                                                                 "Receive unemployment insurance dossier")
    UNEMPLOYMENT_DECIDE = "unemployment.decide", pgettext_lazy("audit action",
                                                               "Decide unemployment insurance dossier")
    UNEMPLOYMENT_REPORT = "unemployment.report", pgettext_lazy("audit action", "Record job-search report")
    UNEMPLOYMENT_STOP = "unemployment.stop", pgettext_lazy("audit action",
                                                           "Suspend or stop unemployment benefit")
    EMPLOYER_SAVE = "employer.save", pgettext_lazy("audit action", "Save employer")
    FOREIGN_WORKER_SAVE = "foreign_worker.save", pgettext_lazy("audit action", "Save foreign worker")
    WORK_PERMIT_SAVE = "work_permit.save", pgettext_lazy("audit action", "Save work permit")
    LABOUR_IMPORT = "labour.import", pgettext_lazy("audit action", "Import labour records")
    LABOUR_EXPORT = "labour.export", pgettext_lazy("audit action", "Export labour report")
    LABOUR_LAW_SAVE = "labour.law.save", pgettext_lazy("audit action", "Change labour law data")
    # Administrative procedures and their dossiers (procedures.services).
    PROCEDURE_SAVE = "procedure.save", pgettext_lazy("audit action", "Save administrative procedure")
    HANDOVER_RULE_SAVE = "procedure.handover_rule.save", pgettext_lazy("audit action", "Change hand-over rule")
    PROC_DOSSIER_RECEIVE = "procedure_dossier.receive", pgettext_lazy("audit action", "Receive procedure dossier")
    PROC_DOSSIER_ADDITIONS = "procedure_dossier.additions", pgettext_lazy(
        "audit action", "Request or receive additions to a procedure dossier")
    PROC_DOSSIER_TRANSFER = "procedure_dossier.transfer", pgettext_lazy("audit action", "Transfer procedure dossier")
    PROC_DOSSIER_SUSPEND = "procedure_dossier.suspend", pgettext_lazy("audit action",
                                                                      "Suspend or resume procedure dossier")
    PROC_DOSSIER_APOLOGY = "procedure_dossier.apology", pgettext_lazy("audit action", "Issue apology slip")
    PROC_DOSSIER_RESOLVE = "procedure_dossier.resolve", pgettext_lazy("audit action",
                                                                      "Record result of procedure dossier")
    PROC_DOSSIER_RETURN = "procedure_dossier.return", pgettext_lazy("audit action",
                                                                    "Return result of procedure dossier")
    PROC_DOSSIER_IMPORT = "procedure_dossier.import", pgettext_lazy("audit action", "Import procedure dossiers")
    # Care facilities and drug rehabilitation (care, facilities area): values "care_facility.…", "care_resident.…".
    # (facilities actions here)
    CARE_FACILITY_CREATE = "care_facility.create", pgettext_lazy("audit action", "Create care facility")
    CARE_FACILITY_UPDATE = "care_facility.update", pgettext_lazy("audit action", "Update care facility")
    CARE_RESIDENT_ADMIT = "care_resident.admit", pgettext_lazy("audit action", "Admit resident to care facility")
    CARE_RESIDENT_DISCHARGE = "care_resident.discharge", pgettext_lazy("audit action",
                                                                       "Discharge resident from care facility")
    CARE_RESIDENT_UPDATE = "care_resident.update", pgettext_lazy("audit action", "Update care facility resident")
    CARE_RESIDENT_IMPORT = "care_resident.import", pgettext_lazy("audit action", "Import care facility residents")
    CARE_CATEGORY_ADD = "care_facility.category_add", pgettext_lazy("audit action",
                                                                    "Add version of resident category")
    CARE_RESIDENT_VIEW_ID = "care_resident.view_id", pgettext_lazy("audit action",
                                                                   "View citizen ID of care facility resident")

    # Children in special circumstances and child-friendly communes (care, children area): values "child.…".
    # (children actions here)
    CHILD_REGISTER = "child.register", pgettext_lazy("audit action", "Register child in special circumstances")
    CHILD_UPDATE = "child.update", pgettext_lazy("audit action", "Edit child in special circumstances")
    CHILD_CIRCUMSTANCE = "child.circumstance", pgettext_lazy("audit action", "Change child's special circumstances")
    CHILD_SUPPORT = "child.support", pgettext_lazy("audit action", "Record support to a child")
    CHILD_NOTE = "child.note", pgettext_lazy("audit action", "Write case note")
    CHILD_ABUSE = "child.abuse", pgettext_lazy("audit action", "Record abuse case")
    CHILD_IMPORT = "child.import", pgettext_lazy("audit action", "Import children in special circumstances")
    CHILD_ASSESSMENT_SAVE = "child.assessment.save", pgettext_lazy("audit action", "Save child-friendly assessment")
    CHILD_ASSESSMENT_SUBMIT = "child.assessment.submit", pgettext_lazy("audit action",
                                                                       "Submit child-friendly assessment")
    CHILD_ASSESSMENT_APPROVE = "child.assessment.approve", pgettext_lazy("audit action",
                                                                         "Approve child-friendly assessment")
    CHILD_ASSESSMENT_RETURN = "child.assessment.return", pgettext_lazy("audit action",
                                                                       "Return child-friendly assessment")

    # Inspections, citizen reception, complaints and denunciations (care, inspections area): values "inspection.…".
    # (inspections actions here)
    INSPECTION_PLAN_SAVE = "inspection.plan.save", pgettext_lazy("audit action", "Save inspection plan")
    INSPECTION_SAVE = "inspection.save", pgettext_lazy("audit action", "Save inspection")
    INSPECTION_FOLLOW_UP = "inspection.follow_up", pgettext_lazy("audit action", "Record inspection follow-up")
    INSPECTION_RECEPTION_SAVE = "inspection.reception.save", pgettext_lazy("audit action",
                                                                            "Record citizen reception")
    INSPECTION_PETITION_SAVE = "inspection.petition.save", pgettext_lazy(
        "audit action", "Record complaint, denunciation or petition")
    INSPECTION_PETITION_STEP = "inspection.petition.step", pgettext_lazy(
        "audit action", "Accept, extend or resolve complaint, denunciation or petition")
    INSPECTION_DEMO = "inspection.demo.generate", pgettext_lazy("audit action", "Generate demo inspections")


# Values written before the choices existed, shown (and filtered) as the choice they became.
LEGACY_ACTIONS = {
    "accounts.user.create": AuditAction.USER_CREATE,
    "accounts.token.create": AuditAction.TOKEN_CREATE,
}


def action_label(value: str) -> str:
    """The action's name for people; an unknown value (an older or newer release) humanised."""
    value = LEGACY_ACTIONS.get(value, value)
    if value in AuditAction.values:
        return str(AuditAction(value).label)
    words = value.replace(".", " ").replace("_", " ").split()
    return " ".join(words).capitalize() if words else "—"


class AuditEvent(models.Model):
    """Who changed what, where, when, before and after, from which address.

    Written in the same transaction as the change (see `ansinh.accounts.audit.record`).
    Decree 13/2023/NĐ-CP, Art. 27: processing of personal data is logged.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(_("user"), max_length=150, help_text="The username at the time, or 'system'.")
    # Choices for the page and the forms; a value outside them (an older row) is still stored and shown.
    action = models.CharField(_("action"), max_length=64, db_index=True, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "geo.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)


# `unit_path__under`: the audit trail of a subtree, read through the unit_path index (ansinh.geo.models.Under).
AuditEvent._meta.get_field("unit_path").register_lookup(Under)