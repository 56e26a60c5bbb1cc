// What the page sees go wrong, for the end-to-end test to read: every CSP violation (the
// browser reports them to the page as well as to its console), every uncaught error or
// rejection, every console.error.
const problems = [];
document.addEventListener("securitypolicyviolation", (e) =>
  problems.push(`violation of ${e.violatedDirective}: ${e.blockedURI}`));
window.addEventListener("error", (e) => problems.push(`uncaught: ${e.message}`));
window.addEventListener("unhandledrejection", (e) => problems.push(`unhandled: ${e.reason}`));
const consoleError = console.error;
console.error = (...args) => {
  problems.push(`console.error: ${args.join(" ")}`);
  consoleError(...args);
};
window.problems = problems;

import init, { hidden_upload } from "./pkg/hidden_tab.js";

await init();

// 16 MiB in 256 KiB messages to a reader that takes 5 ms per message, as from a hidden page:
// sends wait on the 1 MiB mark, woken by the ticker's worker from `worker` ("inline", "off" or
// a script's URL) or by the timer. The answer: the upload's milliseconds, whether the worker
// ran, and what went wrong, once the page has had a moment to report a late violation.
window.hiddenUpload = async (worker) => {
  const started = performance.now();
  try {
    const url = `ws://${location.host}/slow-reader?ms=5`;
    const peak = await hidden_upload(url, 16 << 20, 256 << 10, worker);
    const ms = Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { ms, worker: peak >= 3, problems };
  } catch (e) {
    return { error: String(e), problems };
  }
};
window.ready = true;
