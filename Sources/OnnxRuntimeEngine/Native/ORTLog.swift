internal import COnnxRuntime
internal import Foundation
internal import ModelRegistry

/// ONNX Runtime's log, received through the environment's logging function (`CreateEnvWithCustomLogger`) and
/// forwarded, at or above ``level``, to the handler or as plain lines to stderr. ORT's own console logger (with ANSI
/// colour codes) is never installed.
enum ORTLog {
    private struct Settings {
        var level: OnnxLogLevel
        var handler: (@Sendable (OnnxLogMessage) -> Void)?
    }

    private static let settings = Locked(Settings(level: initialLevel, handler: nil))

    /// The level from `MODELREGISTRY_ORT_LOG`, or ``OnnxLogLevel/error``.
    static let initialLevel: OnnxLogLevel = ProcessInfo.processInfo.environment[OnnxLogLevel.environmentVariable]
        .flatMap(OnnxLogLevel.init(name:)) ?? .error

    /// The lowest level forwarded.
    static var level: OnnxLogLevel {
        get { settings.withLock { $0.level } }
        set { settings.withLock { $0.level = newValue } }
    }

    /// Replaces the handler; `nil` writes to stderr.
    static func setHandler(_ handler: (@Sendable (OnnxLogMessage) -> Void)?) {
        settings.withLock { $0.handler = handler }
    }

    /// The severity the environment is created with: warnings are always received (they are rare and come at load
    /// time), so that raising the level later works; verbose and info only when chosen before the first load.
    static var environmentSeverity: OrtLoggingLevel {
        OrtLoggingLevel(rawValue: UInt32(min(level, .warning).rawValue))
    }

    /// The C logging function given to ORT.
    static let function: OrtLoggingFunction = { _, severity, category, _, location, message in
        let level = OnnxLogLevel(rawValue: Int(severity.rawValue)) ?? .fatal
        let (minimum, handler) = ORTLog.settings.withLock { ($0.level, $0.handler) }
        guard level >= minimum, level != .off else { return }
        let entry = OnnxLogMessage(
            level: level, category: category.map { String(cString: $0) } ?? "",
            codeLocation: location.map { String(cString: $0) } ?? "", message: message.map { String(cString: $0) } ?? "")
        if let handler {
            handler(entry)
        } else {
            FileHandle.standardError.write(Data((entry.description + "\n").utf8))
        }
    }
}
