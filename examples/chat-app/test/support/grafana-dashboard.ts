import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Exposition } from './prometheus-text.js';
import { promqlReferences } from './promql-references.js';

/** The dashboard the docs offer for download (docs/public is served at the site's root). */
export const DASHBOARD_PATH = fileURLToPath(new URL('../../../../docs/public/grafana/nestjs-realtime.json', import.meta.url));

interface Datasource {
  type: string;
  uid: string;
}

export interface GrafanaDashboard {
  __inputs: { name: string; type: string; pluginId: string }[];
  panels: { title: string; datasource: Datasource; targets: { expr: string; legendFormat: string; datasource: Datasource }[] }[];
  templating: { list: { name: string; datasource: Datasource; definition: string }[] };
}

export function readDashboard(): GrafanaDashboard {
  return JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8')) as GrafanaDashboard;
}

const LABEL_VALUES = /^label_values\(\s*([a-zA-Z_:][\w:]*)\s*,\s*([a-zA-Z_]\w*)\s*\)$/;
const LEGEND_LABEL = /\{\{\s*([a-zA-Z_]\w*)\s*\}\}/g;

/** The metric names, and labels (legend labels included), the panels' queries read. */
export function dashboardReferences(dashboard: GrafanaDashboard): { metrics: string[]; labels: string[] }[] {
  return dashboard.panels.flatMap((panel) =>
    panel.targets.map((target) => {
      const { metrics, labels } = promqlReferences(target.expr);
      return { metrics, labels: [...labels, ...[...target.legendFormat.matchAll(LEGEND_LABEL)].map(([, label]) => label!)] };
    }),
  );
}

/**
 * What the dashboard queries that the scraped exposition does not have: a metric name no sample
 * carries, a label none of the query's metrics has, a matcher's value (`realtime_outcome="refused"`)
 * no series has. Empty when every panel and variable would find its data. `unscraped`: metrics
 * the scraped app cannot serve (checked another way), left out with their queries' labels.
 */
export function dashboardProblems(dashboard: GrafanaDashboard, exposition: Exposition, unscraped: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const samplesOf = (metrics: string[]) => exposition.samples.filter((sample) => metrics.includes(sample.name));

  const check = (where: string, queried: string[], labels: string[], matchers: { label: string; operator: string; value: string }[]) => {
    const metrics = queried.filter((metric) => !unscraped.has(metric));
    if (metrics.length === 0 && queried.length > 0) return;
    for (const metric of metrics) if (samplesOf([metric]).length === 0) problems.push(`${where}: no metric ${metric}`);
    const samples = samplesOf(metrics);
    if (samples.length === 0) return; // the metric is the problem, not its labels
    for (const label of labels) if (!samples.some((sample) => label in sample.labels)) problems.push(`${where}: no label ${label} on ${metrics.join(', ')}`);
    for (const { label, operator, value } of matchers) {
      // A Grafana variable is known only in Grafana; `!=""` asks for the label to be there (checked above).
      if (value === '' || value.includes('$') || (operator !== '=' && operator !== '!=')) continue;
      if (!samples.some((sample) => sample.labels[label] === value)) problems.push(`${where}: no series with ${label}="${value}"`);
    }
  };

  for (const panel of dashboard.panels) {
    for (const target of panel.targets) {
      const where = `panel "${panel.title}" (${target.expr})`;
      const { metrics, labels, matchers } = promqlReferences(target.expr);
      if (metrics.length === 0) problems.push(`${where}: reads no metric`);
      const legendLabels = [...target.legendFormat.matchAll(LEGEND_LABEL)].map(([, label]) => label!);
      check(where, metrics, [...labels, ...legendLabels], matchers);
    }
  }
  for (const variable of dashboard.templating.list) {
    const query = LABEL_VALUES.exec(variable.definition);
    if (!query) {
      problems.push(`variable ${variable.name}: not a label_values(metric, label) query: ${variable.definition}`);
      continue;
    }
    check(`variable ${variable.name}`, [query[1]!], [query[2]!], []);
  }
  return problems;
}
