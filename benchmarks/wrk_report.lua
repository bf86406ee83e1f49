-- wrk's summary as one JSON line: latency percentiles (microseconds), requests, errors.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'WRK_JSON {"p50": %d, "p95": %d, "p99": %d, "requests": %d, "seconds": %f, "errors": %d, "non2xx": %d}\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.requests, summary.duration / 1e6, errors, summary.errors.status))
end
