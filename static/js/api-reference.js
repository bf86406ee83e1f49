// The interactive API reference: Swagger UI (self-hosted from drf-spectacular-sidecar)
// built from the schema the page names. Loaded as a module file, so that the content
// security policy needs no inline script.
const container = document.getElementById("swagger-ui");

if (container && window.SwaggerUIBundle) {
  window.SwaggerUIBundle({
    url: container.dataset.schemaUrl,
    domNode: container,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    docExpansion: "list",
    defaultModelsExpandDepth: -1,
    deepLinking: false,
    // Partners try calls with a token from the Authorize dialog (client credentials).
    persistAuthorization: false,
    syntaxHighlight: false,
    validatorUrl: null,
  });
}
