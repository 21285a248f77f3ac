internal import Foundation

/// How much ONNX Runtime rewrites the model's graph when it loads (`GraphOptimizationLevel`).
///
/// Set it per model with the `graphOptimization` parameter; without it ONNX Runtime applies ``all``.
///
/// ```json
/// "iris": { "engine": "onnxruntime", "type": "classifier", "path": "models/logreg_iris.onnx",
///           "parameters": { "graphOptimization": "basic" } }
/// ```
public enum OnnxGraphOptimization: String, Sendable, Hashable, CaseIterable {
    /// No optimization (`ORT_DISABLE_ALL`).
    case disable
    /// Semantics-preserving rewrites such as constant folding (`ORT_ENABLE_BASIC`).
    case basic
    /// Basic plus complex node fusions (`ORT_ENABLE_EXTENDED`).
    case extended
    /// Extended plus layout optimizations (`ORT_ENABLE_LAYOUT`, ONNX Runtime 1.23 and later).
    case layout
    /// Everything available (`ORT_ENABLE_ALL`, ONNX Runtime's default).
    case all

    /// The configuration parameter that selects the level.
    public static let parameterName = "graphOptimization"

    /// Reads the level from a configuration value, ignoring case and surrounding spaces.
    /// - Parameter text: The value, e.g. `"extended"`.
    /// - Returns: The level, or `nil` when the text names none.
    public init?(parameter text: String) {
        self.init(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// ORT's `GraphOptimizationLevel` value.
    var nativeValue: Int {
        switch self {
        case .disable: 0
        case .basic: 1
        case .extended: 2
        case .layout: 3
        case .all: 99
        }
    }
}
