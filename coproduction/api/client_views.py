"""Administrators' pages for partner agencies' API clients: add one (the secret is shown
once), change its scopes, issue a new secret, revoke its tokens or the client itself."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import FormView, ListView, TemplateView

from coproduction.forms import form_add_service_errors

from . import selectors, services
from .forms import ApiClientCreateForm, ApiClientScopesForm, ConfirmForm
from .models import ApiClient

SECRET_SESSION_KEY = "api-client-secret-{pk}"  # noqa: S105 (a session key's name)


class AdministratorRequiredMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "api.manage_clients"


class ClientMixin(AdministratorRequiredMixin):
    def get_client(self) -> ApiClient:
        if not hasattr(self, "_client"):
            client = selectors.api_client_get(pk=self.kwargs["pk"])
            if client is None:
                raise Http404("No such API client.")
            self._client = client
        return self._client

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["client"] = self.get_client()
        return context

    def detail_url(self) -> str:
        return reverse("api_clients:detail", kwargs={"pk": self.get_client().pk})

    def refuse_revoked(self, message: str):
        """A revoked client's form leads back to the client. One sent from a page opened
        before the client was revoked is shown again with why (400), changing nothing."""
        if self.request.method == "POST":
            form = self.get_form()
            form.add_error(None, message)
            return self.form_invalid(form)
        messages.error(self.request, message)
        return HttpResponseRedirect(self.detail_url())


class ApiClientListView(AdministratorRequiredMixin, ListView):
    template_name = "api/apiclient_list.html"
    context_object_name = "clients"

    def get_queryset(self):
        return selectors.api_client_list()


class ApiClientCreateView(AdministratorRequiredMixin, FormView):
    template_name = "api/apiclient_form.html"
    form_class = ApiClientCreateForm

    def form_valid(self, form):
        try:
            client, secret = services.api_client_create(
                agency=form.cleaned_data["agency"],
                scopes=form.cleaned_data["scopes"],
                contact_note=form.cleaned_data["contact_note"],
                created_by=self.request.user,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
            return self.form_invalid(form)
        # Kept in the session just long enough for the next page to show it once.
        self.request.session[SECRET_SESSION_KEY.format(pk=client.pk)] = secret
        return HttpResponseRedirect(reverse("api_clients:detail", kwargs={"pk": client.pk}))


class ApiClientDetailView(ClientMixin, TemplateView):
    template_name = "api/apiclient_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["secret"] = self.request.session.pop(
            SECRET_SESSION_KEY.format(pk=self.get_client().pk), None
        )
        context["token_url"] = self.request.build_absolute_uri(reverse("api:token"))
        return context


class ApiClientScopesView(ClientMixin, FormView):
    template_name = "api/apiclient_scopes_form.html"
    form_class = ApiClientScopesForm

    def dispatch(self, request, *args, **kwargs):
        allowed = request.user.is_authenticated and request.user.has_perm(self.permission_required)
        if allowed and not self.get_client().is_active:
            return self.refuse_revoked("A revoked client cannot be changed.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        return {"scopes": self.get_client().scopes}

    def form_valid(self, form):
        services.api_client_scopes_set(
            client=self.get_client(), scopes=form.cleaned_data["scopes"], actor=self.request.user
        )
        messages.success(self.request, "Scopes saved. The client's tokens were revoked.")
        return HttpResponseRedirect(self.detail_url())


class ConfirmActionView(ClientMixin, FormView):
    """A page that says what the action does, and a button that does it."""

    template_name = "api/apiclient_confirm.html"
    form_class = ConfirmForm
    title = ""
    explanation = ""
    button = ""
    warning = True
    requires_active = True

    def dispatch(self, request, *args, **kwargs):
        allowed = request.user.is_authenticated and request.user.has_perm(self.permission_required)
        if allowed and self.requires_active and not self.get_client().is_active:
            return self.refuse_revoked("This client has been revoked.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, explanation=self.explanation, button=self.button)
        return context


class ApiClientTokensRevokeView(ConfirmActionView):
    title = "Revoke this client's tokens"
    explanation = (
        "Every access token the client holds stops working now. The agency's systems can "
        "ask for a new token with their secret straight away: do this when a token may "
        "have been seen by someone who should not have it."
    )
    button = "Revoke tokens"

    def form_valid(self, form):
        count = services.api_client_tokens_revoke(
            client=self.get_client(), actor=self.request.user
        )
        messages.success(self.request, f"{count} token{'s' if count != 1 else ''} revoked.")
        return HttpResponseRedirect(self.detail_url())


class ApiClientSecretResetView(ConfirmActionView):
    title = "Issue a new secret"
    explanation = (
        "The current secret and every token stop working now. The new secret is shown "
        "once, on the next page: give it to the agency through a secure channel."
    )
    button = "Issue a new secret"

    def form_valid(self, form):
        client = self.get_client()
        secret = services.api_client_secret_reset(client=client, actor=self.request.user)
        self.request.session[SECRET_SESSION_KEY.format(pk=client.pk)] = secret
        return HttpResponseRedirect(self.detail_url())


class ApiClientRevokeView(ConfirmActionView):
    title = "Revoke this client"
    explanation = (
        "The client can no longer get tokens, and those it holds stop working now. This "
        "cannot be undone: to restore access, add a new client for the agency."
    )
    button = "Revoke client"

    def form_valid(self, form):
        services.api_client_revoke(client=self.get_client(), actor=self.request.user)
        messages.success(self.request, "Client revoked.")
        return HttpResponseRedirect(self.detail_url())
