from django.contrib import admin

from hemma.organisations.models import Municipality, Organisation, Region

admin.site.register(Region)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "region"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["key", "__str__", "kind", "region", "municipality"]
    list_filter = ["kind", "region"]
