/**
 * Prometheus metrics without a dependency: counters, gauges and fixed-bucket histograms rendered in the text
 * exposition format (version 0.0.4). Label sets are few (route x method x status), so a Map per metric suffices.
 */

/** Latency buckets in seconds: 0.25 ms .. 2.5 s. */
export const LATENCY_BUCKETS = [0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

interface Hist {
  labels: Record<string, string>;
  counts: Float64Array;
  sum: number;
  count: number;
}

/** A histogram family with labels. */
export class Histogram {
  private readonly series = new Map<string, Hist>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = LATENCY_BUCKETS,
  ) {}

  observe(labels: Record<string, string>, value: number): void {
    this.observeKeyed(labelText(labels), labels, value);
  }

  /** Hot-path variant: the caller supplies a stable key for the label set (labels are read only on first use). */
  observeKeyed(key: string, labels: Record<string, string>, value: number): void {
    let h = this.series.get(key);
    if (h === undefined) {
      h = { labels, counts: new Float64Array(this.buckets.length), sum: 0, count: 0 };
      this.series.set(key, h);
    }
    for (let b = 0; b < this.buckets.length; b++) if (value <= this.buckets[b]!) h.counts[b]!++;
    h.sum += value;
    h.count++;
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const h of this.series.values()) {
      for (let b = 0; b < this.buckets.length; b++) out += `${this.name}_bucket${labelText({ ...h.labels, le: String(this.buckets[b]) })} ${h.counts[b]}\n`;
      out += `${this.name}_bucket${labelText({ ...h.labels, le: '+Inf' })} ${h.count}\n`;
      out += `${this.name}_sum${labelText(h.labels)} ${h.sum}\n${this.name}_count${labelText(h.labels)} ${h.count}\n`;
    }
    return out;
  }
}

/** A counter family with labels. */
export class Counter {
  private readonly series = new Map<string, { labels: Record<string, string>; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Record<string, string> = {}, by = 1): void {
    this.incKeyed(labelText(labels), labels, by);
  }

  /** Hot-path variant with a caller-supplied stable key. */
  incKeyed(key: string, labels: Record<string, string>, by = 1): void {
    const s = this.series.get(key);
    if (s === undefined) this.series.set(key, { labels, value: by });
    else s.value += by;
  }

  get(labels: Record<string, string> = {}): number {
    return this.series.get(labelText(labels))?.value ?? 0;
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    for (const s of this.series.values()) out += `${this.name}${labelText(s.labels)} ${s.value}\n`;
    return out;
  }
}

/** Renders a gauge computed at scrape time. */
export function gauge(name: string, help: string, value: number, labels: Record<string, string> = {}): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}${labelText(labels)} ${value}\n`;
}

/** The server's metrics. */
export class ServerMetrics {
  readonly latency = new Histogram('reckon_http_request_duration_seconds', 'HTTP request latency by route, method and status class');
  readonly requests = new Counter('reckon_http_requests_total', 'HTTP requests by route, method and status');
  readonly eventsIngested = new Counter('reckon_events_ingested_total', 'Events newly stored (duplicates excluded)');
  readonly eventsDuplicate = new Counter('reckon_events_duplicate_total', 'Events skipped because their id was already stored');
  readonly servedByVersion = new Counter('reckon_recommendations_served_total', 'Recommendation lists served by model version and source');
  readonly degraded = new Counter('reckon_cache_degraded_total', 'Requests answered without the cache because it failed');
}
