/**
 * The shapes of what features record through (`RealtimeTelemetry.counter()`, `.histogram()`,
 * `.gauge()`), as the library's own types: OpenTelemetry's instruments satisfy them, and the
 * published declarations, which name them, do not need the optional `@opentelemetry/api`.
 */
export type MetricAttributes = Readonly<Record<string, string | number | boolean>>;

export interface MetricCounter {
  add(value: number, attributes?: MetricAttributes): void;
}

export interface MetricHistogram {
  record(value: number, attributes?: MetricAttributes): void;
}

/** One point of a gauge: its value and attributes. */
export type GaugePoint = readonly [value: number, attributes: MetricAttributes];
