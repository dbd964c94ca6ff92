from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hemma.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class HemmaUserAdmin(UserAdmin):
    inlines = [MembershipInline]
