from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path("areas/", views.AreaListView.as_view(), name="area_list"),
    path("areas/new/", views.AreaCreateView.as_view(), name="area_create"),
    path("areas/<int:pk>/", views.AreaDetailView.as_view(), name="area_detail"),
    path("areas/<int:pk>/edit/", views.AreaUpdateView.as_view(), name="area_edit"),
    path(
        "areas/<int:pk>/capacity/new/",
        views.CapacityCreateView.as_view(),
        name="area_capacity_create",
    ),
    path("communities-of-interest/", views.CommunityListView.as_view(), name="community_list"),
    path(
        "communities-of-interest/<int:pk>/",
        views.CommunityDetailView.as_view(),
        name="community_detail",
    ),
    path(
        "communities-of-interest/<int:community>/capacity/new/",
        views.CapacityCreateView.as_view(),
        name="community_capacity_create",
    ),
    path("map/", views.AssetMapView.as_view(), name="asset_map"),
    path("map/assets.geojson", views.AssetGeoJsonView.as_view(), name="asset_geojson"),
    path("map/open-referral.json", views.OrukExportView.as_view(), name="asset_export_oruk"),
    path("map/suggest/", views.AssetSuggestView.as_view(), name="asset_suggest"),
    path(
        "map/suggest/thank-you/", views.AssetSuggestDoneView.as_view(), name="asset_suggest_done"
    ),
    path("assets/", views.AssetListView.as_view(), name="asset_list"),
    path("assets/new/", views.AssetCreateView.as_view(), name="asset_create"),
    path("assets/<int:pk>/", views.AssetDetailView.as_view(), name="asset_detail"),
    path("assets/<int:pk>/edit/", views.AssetUpdateView.as_view(), name="asset_edit"),
    path("assets/<int:pk>/action/", views.AssetActionView.as_view(), name="asset_action"),
    path("imports/new/", views.ImportView.as_view(), name="import"),
]
