/** What a PromQL expression reads: metric names, label names, and the values its label matchers compare with. */
export interface PromqlReferences {
  metrics: string[];
  labels: string[];
  matchers: { label: string; operator: string; value: string }[];
}

const MATCHERS = /\{([^}]*)\}/g;
const MATCHER = /([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;
const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
// Not inside a number (1e3).
const IDENTIFIER = /(?<![\w.])[a-zA-Z_:][\w:]*/g;
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/**
 * The names a dashboard's query depends on, so that a test can check them against what the
 * exporter really serves. Enough PromQL for dashboards (selectors, ranges, grouping, function
 * calls), not a full parser: an identifier followed by `(` is a function, any other one left
 * once matchers, ranges and grouping clauses are removed is a metric name.
 */
export function promqlReferences(expr: string): PromqlReferences {
  const labels = new Set<string>();
  const matchers: PromqlReferences['matchers'] = [];
  let rest = expr.replace(MATCHERS, (_, body: string) => {
    for (const [, label, operator, value] of body.matchAll(MATCHER)) {
      labels.add(label!);
      matchers.push({ label: label!, operator: operator!, value: value! });
    }
    return ' ';
  });
  rest = rest.replace(/\[[^\]]*\]/g, ' ').replace(GROUPING, (_, list: string) => {
    for (const label of list.split(',').map((item) => item.trim()).filter(Boolean)) labels.add(label);
    return ' ';
  });
  const metrics = [...rest.matchAll(IDENTIFIER)]
    .filter((match) => rest.slice(match.index! + match[0].length).trimStart()[0] !== '(' && !KEYWORDS.has(match[0].toLowerCase()))
    .map((match) => match[0]);
  return { metrics: [...new Set(metrics)], labels: [...labels], matchers };
}
