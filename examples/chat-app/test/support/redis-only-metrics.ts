import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the library declares the names it records under (the contract dashboards rely on). */
const TELEMETRY_NAMES_PATH = fileURLToPath(new URL('../../../../packages/core/src/observability/telemetry-names.ts', import.meta.url));

/** A dashboard metric only an app with `redis` serves: the library's metric, its kind, and the labels its series carry. */
export interface RedisOnlyMetric {
  metric: string;
  kind: 'gauge' | 'counter';
  labels: string[];
}

/**
 * The metrics of the dashboard's Redis panel. The example's tests run the app without Redis, so
 * no scrape of it has them: they are checked against the library's own metric and attribute
 * names instead, as the Prometheus exporter renders them. Listed here by hand, so a metric
 * missing from the scrape for any other reason still fails the dashboard test.
 */
export const REDIS_ONLY_METRICS: Record<string, RedisOnlyMetric> = {
  realtime_redis_up: { metric: 'realtime.redis.up', kind: 'gauge', labels: ['realtime_redis_connection'] },
  realtime_redis_reconnects_total: { metric: 'realtime.redis.reconnects', kind: 'counter', labels: ['realtime_redis_connection'] },
  realtime_redis_lost_commands_total: { metric: 'realtime.redis.lost_commands', kind: 'counter', labels: ['realtime_redis_connection', 'realtime_redis_command'] },
};

/** The name the Prometheus exporter gives a metric: dots become underscores, counters get `_total`. */
export function prometheusName(metric: string, kind: RedisOnlyMetric['kind']): string {
  return metric.replace(/\./g, '_') + (kind === 'counter' ? '_total' : '');
}

/** The label an attribute becomes. */
export function prometheusLabel(attribute: string): string {
  return attribute.replace(/\./g, '_');
}

/** The values of the library's `METRIC` and `ATTRIBUTE` declarations, read from its source. */
export function libraryTelemetryNames(): { metrics: string[]; attributes: string[] } {
  const source = readFileSync(TELEMETRY_NAMES_PATH, 'utf8');
  const valuesOf = (constant: string) => {
    const block = new RegExp(`export const ${constant} = \\{([\\s\\S]*?)\\} as const;`).exec(source);
    if (!block) throw new Error(`${constant} not found in ${TELEMETRY_NAMES_PATH}`);
    // `key: 'value',` lines; comments in between hold no quoted names.
    return [...block[1]!.matchAll(/^\s*\w+: '([^']+)',/gm)].map(([, value]) => value!);
  };
  return { metrics: valuesOf('METRIC'), attributes: valuesOf('ATTRIBUTE') };
}
