from django.contrib import admin

from ansinh.accounts.admin import ReadOnlyAdmin

from .models import Succession, Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "level", "edition", "valid_from", "valid_to"]
    list_filter = ["level", "edition", "kind"]
    search_fields = ["code", "search_name"]


@admin.register(Succession)
class SuccessionAdmin(ReadOnlyAdmin):
    list_display = ["old", "new", "partial", "effective"]
    list_filter = ["partial"]
    raw_id_fields = ["old", "new"]
