"""The information hub's staff pages, under /<language>/information/ (hemma/urls.py).

Pages and blocks: views.py. Language versions, translation and publishing:
translation_views.py. The public site is public_urls.py, at /info/.
"""

from django.urls import path

from hemma.information import translation_views, views

app_name = "information"

site = "<slug:site>/"
page = "<slug:site>/<slug:page>/"
block = "<slug:site>/<slug:page>/blocks/<str:key>/"
version = "<slug:site>/<slug:page>/<str:language>/"

urlpatterns = [
    path("", views.sites, name="sites"),
    # A translator's (and a coordinator's) list of what waits to be translated; before the
    # sites, whose addresses may not be "translations" (services.RESERVED_SITE_SLUGS).
    path("translations/", translation_views.translations, name="translations"),
    path("new/", views.site_create, name="site_create"),
    path(site, views.site, name="site"),
    path(f"{site}settings/", views.site_edit, name="site_edit"),
    path(f"{site}new/", views.page_create, name="page_create"),
    path(page, views.page, name="page"),
    path(f"{page}edit/", views.page_edit, name="page_edit"),
    path(f"{page}delete/", views.page_delete, name="page_delete"),
    path(f"{page}blocks/new/<str:kind>/", views.block_add, name="block_add"),
    path(block, views.block_edit, name="block_edit"),
    path(f"{block}move/", views.block_move, name="block_move"),
    path(f"{block}delete/", views.block_delete, name="block_delete"),
    path(f"{page}files/<str:key>/", views.file, name="file"),
    path(f"{page}distribution/new/", views.distribution_add, name="distribution_add"),
    path(
        f"{page}distribution/<int:pk>/delete/",
        views.distribution_delete,
        name="distribution_delete",
    ),
    path(version, translation_views.version, name="version"),
    path(f"{version}publish/", translation_views.version_publish, name="version_publish"),
    path(f"{version}withdraw/", translation_views.version_withdraw, name="version_withdraw"),
    path(f"{version}preview/", translation_views.preview, name="preview"),
]
