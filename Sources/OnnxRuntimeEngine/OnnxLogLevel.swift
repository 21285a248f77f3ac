internal import Foundation

/// How much of ONNX Runtime's own log the library passes on (ORT's `OrtLoggingLevel`, plus ``off``).
///
/// ORT's messages never go to stderr directly: the engine creates its environment with a logging function
/// (`CreateEnvWithCustomLogger`) and forwards messages at or above the level, as plain text without colour codes,
/// to stderr or to the handler set with ``OnnxRuntime/setLogHandler(_:)``. The default is ``error``; set
/// `MODELREGISTRY_ORT_LOG=verbose|info|warning|error|fatal|off` or ``OnnxRuntime/logLevel`` to change it.
///
/// ```swift
/// OnnxRuntime.logLevel = .warning    // e.g. to see "Removing initializer …" while a model loads
/// ```
public enum OnnxLogLevel: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Everything, including per-node details (`ORT_LOGGING_LEVEL_VERBOSE`).
    case verbose = 0
    /// Informational messages (`ORT_LOGGING_LEVEL_INFO`).
    case info = 1
    /// Warnings, e.g. unused initializers (`ORT_LOGGING_LEVEL_WARNING`).
    case warning = 2
    /// Errors (`ORT_LOGGING_LEVEL_ERROR`), the default.
    case error = 3
    /// Fatal errors only (`ORT_LOGGING_LEVEL_FATAL`).
    case fatal = 4
    /// Nothing.
    case off = 5

    /// The environment variable read once, when the process first touches the engine's logging.
    public static let environmentVariable = "MODELREGISTRY_ORT_LOG"

    /// Reads a level name (`verbose`, `info`, `warning` or `warn`, `error`, `fatal`, `off` or `none`), ignoring
    /// case and surrounding spaces.
    /// - Parameter text: The name.
    /// - Returns: The level, or `nil` when the text names none.
    public init?(name text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "verbose", "debug": self = .verbose
        case "info": self = .info
        case "warning", "warn": self = .warning
        case "error": self = .error
        case "fatal": self = .fatal
        case "off", "none", "silent": self = .off
        default: return nil
        }
    }

    /// The level's name, e.g. `warning`.
    public var description: String {
        switch self {
        case .verbose: "verbose"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        case .fatal: "fatal"
        case .off: "off"
        }
    }

    /// Orders levels from ``verbose`` to ``off``.
    public static func < (lhs: OnnxLogLevel, rhs: OnnxLogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One message ONNX Runtime logged, as a log handler receives it.
public struct OnnxLogMessage: Sendable, Hashable, CustomStringConvertible {
    /// The severity.
    public let level: OnnxLogLevel
    /// ORT's category, e.g. `onnxruntime`.
    public let category: String
    /// Where in ORT's source the message comes from, e.g. `graph.cc:4885 CleanUnusedInitializersAndNodeArgs`.
    public let codeLocation: String
    /// The text.
    public let message: String

    /// Creates a message.
    /// - Parameters:
    ///   - level: The severity.
    ///   - category: ORT's category.
    ///   - codeLocation: The source location.
    ///   - message: The text.
    public init(level: OnnxLogLevel, category: String, codeLocation: String, message: String) {
        self.level = level
        self.category = category
        self.codeLocation = codeLocation
        self.message = message
    }

    /// `onnxruntime warning [graph.cc:4885 …] Removing initializer 'U'. …` — plain text, no colour codes.
    public var description: String { "onnxruntime \(level) [\(codeLocation)] \(message)" }
}
