import Metrics
import Prometheus

extension PrometheusCollectorRegistry {
    /// swift-metrics reporting into this registry: every process makes its metrics (`Counter`, `Meter`) with it,
    /// so that `/metrics` serves them, and tests read them from a registry of their own.
    public var metricsFactory: any MetricsFactory { PrometheusMetricsFactory(registry: self) }
}
