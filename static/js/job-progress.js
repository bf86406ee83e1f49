// Keeps a background job's progress bar up to date without reloading the page; reloads
// once the job has finished, to show its outcome. Without JavaScript the page refreshes
// itself instead (a <noscript> meta refresh).
const POLL_MS = 1500;

for (const element of document.querySelectorAll('[data-module="app-job-progress"]')) {
  if (element.dataset.finished === "true") continue;
  const bar = element.querySelector("progress");
  const text = element.querySelector("[data-progress-text]");
  const poll = async () => {
    try {
      const response = await fetch(element.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const progress = await response.json();
        if (progress.finished) {
          window.location.reload();
          return;
        }
        if (progress.percent !== null) bar.value = progress.percent;
        let words = progress.status_label;
        if (progress.total) words += `: ${progress.done.toLocaleString("en-GB")} of ${progress.total.toLocaleString("en-GB")}`;
        if (progress.message) words += ` – ${progress.message}`;
        if (text.textContent.trim() !== words) text.textContent = words;
      }
    } catch {
      // A dropped connection: try again at the next tick.
    }
    window.setTimeout(poll, POLL_MS);
  };
  window.setTimeout(poll, POLL_MS);
}
