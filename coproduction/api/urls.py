from django.urls import path

from . import client_views as views

app_name = "api_clients"

urlpatterns = [
    path("", views.ApiClientListView.as_view(), name="list"),
    path("add/", views.ApiClientCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ApiClientDetailView.as_view(), name="detail"),
    path("<int:pk>/scopes/", views.ApiClientScopesView.as_view(), name="scopes"),
    path("<int:pk>/new-secret/", views.ApiClientSecretResetView.as_view(), name="secret_reset"),
    path(
        "<int:pk>/revoke-tokens/", views.ApiClientTokensRevokeView.as_view(), name="tokens_revoke"
    ),
    path("<int:pk>/revoke/", views.ApiClientRevokeView.as_view(), name="revoke"),
]
