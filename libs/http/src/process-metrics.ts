import { collectDefaultMetrics, Registry, type Metric } from 'prom-client';

let processMetrics: Metric[] | undefined;

/**
 * Adds the process's own series to `registry`: CPU, memory and heap, GC, event-loop lag, file
 * descriptors (prom-client's default metrics). They are collected once per process and shared
 * by every registry: their collectors start a GC observer and an event-loop monitor that
 * cannot be stopped, so collecting them per registry would leak one of each for every Nest
 * app a process creates (tests create many).
 */
export function addProcessMetrics(registry: Registry): void {
  if (!processMetrics) {
    const own = new Registry();
    collectDefaultMetrics({ register: own });
    processMetrics = own.getMetricsAsArray().map(({ name }) => own.getSingleMetric(name)!);
  }
  for (const metric of processMetrics) registry.registerMetric(metric);
}
