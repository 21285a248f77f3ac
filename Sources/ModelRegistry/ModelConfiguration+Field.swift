extension ModelConfiguration {
    /// Every setting of a model, by the key a configuration file uses. One enum drives the coding keys, the fields
    /// a change touches (``RegistryEvent/Kind/configurationUpdated(fields:)``), which settings a loaded model takes
    /// at once, and validation: a new setting is one case here.
    public enum Field: String, Sendable, Hashable, CaseIterable, CodingKey, CustomStringConvertible {
        case name, engine
        case modelType = "type"
        case path, maxWorkers, queueCapacity, contextLength, threads, batchSize, parallel, preload
        case loadTimeoutSeconds, parameters, keepAlive, pinned, sha256, version, warmUp

        /// The key in a configuration file, e.g. `loadTimeoutSeconds`.
        public var description: String { rawValue }

        /// Whether a loaded model takes a change of this setting at once; every other change needs a reload,
        /// because the loaded engine already used it.
        public var isLiveUpdatable: Bool {
            switch self {
            case .keepAlive, .pinned, .loadTimeoutSeconds, .preload, .sha256, .version, .warmUp: true
            case .name, .engine, .modelType, .path, .maxWorkers, .queueCapacity, .contextLength, .threads, .batchSize,
                .parallel, .parameters:
                false
            }
        }

        /// Whether two configurations differ in this setting.
        func differs(_ a: ModelConfiguration, _ b: ModelConfiguration) -> Bool {
            switch self {
            case .name: a.name != b.name
            case .engine: a.engine != b.engine
            case .modelType: a.modelType != b.modelType
            case .path: a.path != b.path
            case .maxWorkers: a.maxWorkers != b.maxWorkers
            case .queueCapacity: a.queueCapacity != b.queueCapacity
            case .contextLength: a.contextLength != b.contextLength
            case .threads: a.threads != b.threads
            case .batchSize: a.batchSize != b.batchSize
            case .parallel: a.parallel != b.parallel
            case .preload: a.preload != b.preload
            case .loadTimeoutSeconds: a.loadTimeout != b.loadTimeout
            case .parameters: a.parameters != b.parameters
            case .keepAlive: a.keepAlive != b.keepAlive
            case .pinned: a.pinned != b.pinned
            case .sha256: a.sha256 != b.sha256
            case .version: a.version != b.version
            case .warmUp: a.warmUp != b.warmUp
            }
        }

        /// Why the configuration's value of this setting is invalid, or `nil` when it is valid.
        func problem(in configuration: ModelConfiguration) -> String? {
            func atLeastOne(_ value: Int?) -> String? {
                guard let value, value < 1 else { return nil }
                return "must be at least 1, not \(value)"
            }
            switch self {
            case .name: return configuration.name.isEmpty ? "the model name is empty" : nil
            case .path: return configuration.path.isEmpty ? "the path is empty" : nil
            case .maxWorkers: return atLeastOne(configuration.maxWorkers)
            case .queueCapacity: return atLeastOne(configuration.queueCapacity)
            case .contextLength: return atLeastOne(configuration.contextLength)
            case .threads: return atLeastOne(configuration.threads)
            case .batchSize: return atLeastOne(configuration.batchSize)
            case .parallel: return atLeastOne(configuration.parallel)
            case .loadTimeoutSeconds:
                guard let timeout = configuration.loadTimeout, timeout <= .zero else { return nil }
                return "must be positive"
            case .warmUp: return configuration.warmUp?.isEmpty == true ? "the warm-up input is empty" : nil
            case .engine, .modelType, .preload, .parameters, .keepAlive, .pinned, .sha256, .version: return nil
            }
        }
    }

    /// The settings that differ between two configurations, in declaration order.
    func changedFields(to other: ModelConfiguration) -> [Field] {
        Field.allCases.filter { $0.differs(self, other) }
    }
}
