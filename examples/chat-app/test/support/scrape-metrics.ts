import { parsePrometheusText, type Exposition } from './prometheus-text.js';

export interface Scrape {
  status: number;
  contentType: string | null;
  exposition: Exposition;
}

/** GET /metrics of the app at `base`, as Prometheus scrapes it. */
export async function scrapeMetrics(base: string): Promise<Scrape> {
  const response = await fetch(`${base}/metrics`);
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), exposition: parsePrometheusText(text) };
}

/**
 * Scrapes until `settled` accepts what the app serves: the library records a message once its
 * handler settled, just after the client got its answer, and a closed connection when the server
 * notices the close.
 */
export async function scrapeUntil(base: string, settled: (exposition: Exposition) => boolean, what: string, timeoutMs = 10_000): Promise<Scrape> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const scrape = await scrapeMetrics(base);
    if (settled(scrape.exposition)) return scrape;
    if (Date.now() > deadline) throw new Error(`GET /metrics never showed ${what}; last:\n${JSON.stringify(scrape.exposition.samples)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The series of one metric: its labels (without `otel_scope_name`, which every one carries) and value. */
export function seriesOf(exposition: Exposition, name: string): { labels: Record<string, string>; value: number }[] {
  return exposition.samples
    .filter((sample) => sample.name === name)
    .map(({ labels: { otel_scope_name: _scope, ...labels }, value }) => ({ labels, value }));
}

/** The sum of a metric's series. */
export function totalOf(exposition: Exposition, name: string): number {
  return seriesOf(exposition, name).reduce((sum, { value }) => sum + value, 0);
}
