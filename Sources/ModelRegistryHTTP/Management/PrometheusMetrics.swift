import Foundation
import ModelRegistry

/// Writes metrics in the Prometheus text exposition format (version 0.0.4).
struct PrometheusWriter {
    private(set) var text = ""

    /// Writes a family's `# HELP` and `# TYPE` lines, then one sample per labelled value.
    mutating func family(_ name: String, _ type: String, _ help: String, _ samples: [([String: String], Double)]) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        for (labels, value) in samples { sample(name, labels, value) }
    }

    /// Writes one sample line.
    mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
        let rendered = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }
        let labelText = rendered.isEmpty ? "" : "{\(rendered.joined(separator: ","))}"
        let valueText = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        text += "\(name)\(labelText) \(valueText)\n"
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

extension RegistryRouter {
    /// Everything `/metrics` reports: the registry's statistics and records, and the router's own request counts.
    func prometheusText() async -> String {
        let statistics = await registry.statistics
        let records = await registry.records
        let requests = metrics.snapshot
        var out = PrometheusWriter()
        let states = ["unloaded", "notDownloaded", "downloading", "downloaded", "loading", "loaded", "unloading", "failed"]
        out.family("modelregistry_models", "gauge", "Registered models by lifecycle state.", states.map { state in
            (["state": state], Double(records.filter { $0.state.label == state }.count))
        })
        out.family("modelregistry_loads_total", "counter", "Successful loads.", [([:], Double(statistics.totalLoads))])
        out.family("modelregistry_load_failures_total", "counter", "Failed loads.", [([:], Double(statistics.totalFailures))])
        out.family("modelregistry_load_seconds", "gauge", "Duration of each model's last successful load.",
            records.compactMap { record in record.loadDuration.map { (["model": record.name], ModelRecordView.seconds($0)) } })
        out.family("modelregistry_model_version_info", "gauge", "The catalog version each versioned model serves (always 1).",
            records.compactMap { record in record.configuration.version.map { (["model": record.name, "version": $0], 1) } })
        out.family("modelregistry_leases", "gauge", "Leases held now.",
            records.map { (["model": $0.name], Double($0.activeLeases)) })
        out.family("modelregistry_load_queue_depth", "gauge", "Loads waiting for a maxConcurrentLoads slot.",
            [([:], Double(statistics.queuedLoads))])
        out.family("modelregistry_loads_in_progress", "gauge", "Loads holding a slot now.", [([:], Double(statistics.activeLoads))])
        out.family("modelregistry_evictions_total", "counter", "Models unloaded by keep-alive or for room.",
            [([:], Double(statistics.evictions))])
        out.family("modelregistry_downloads", "gauge", "Model downloads by phase.",
            [(["phase": "active"], Double(statistics.activeDownloads)), (["phase": "queued"], Double(statistics.queuedDownloads))])
        out.family("modelregistry_memory_bytes", "gauge", "Bytes the loaded models hold.", [([:], Double(statistics.memoryInUse))])
        out.family("modelregistry_model_uses_total", "counter", "Leases taken per model.",
            records.map { (["model": $0.name], Double($0.useCount)) })
        out.family("modelregistry_dropped_events_total", "counter", "Events dropped by full subscriber buffers.",
            [([:], Double(statistics.droppedEvents))])
        let keys = requests.requests.keys.sorted { ($0.model, $0.statusClass) < ($1.model, $1.statusClass) }
        out.family("modelregistry_http_requests_total", "counter", "HTTP requests per model and status class.",
            keys.map { (["model": $0.model, "status": $0.statusClass], Double(requests.requests[$0]?.count ?? 0)) })
        out.family("modelregistry_http_request_seconds_total", "counter",
            "Seconds spent answering requests (until the response head for streams), per model and status class.",
            keys.map { (["model": $0.model, "status": $0.statusClass], requests.requests[$0]?.seconds ?? 0) })
        out.family("modelregistry_http_requests_abandoned_total", "counter",
            "Requests cancelled before their response was ready (the client went away).",
            [([:], Double(requests.requestsAbandoned))])
        out.family("modelregistry_http_streams", "gauge", "Streamed responses open now.", [([:], Double(requests.streamsOpen))])
        out.family("modelregistry_http_streams_total", "counter", "Streamed responses by how they ended.", [
            (["outcome": "completed"], Double(requests.streamsCompleted)),
            (["outcome": "cancelled"], Double(requests.streamsCancelled)),
        ])
        return out.text
    }
}
