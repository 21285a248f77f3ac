import ModelRegistry
import CLlama
import Foundation

/// libllama's and ggml's log output, routed through one callback.
///
/// - Lines a thread logs while it *captures* (between ``beginCapture()`` and ``takeCaptured()``) are kept when they
///   are warnings or errors, so a failed native call can report libllama's own explanation.
/// - Nothing goes to stderr unless `MODELREGISTRY_LLAMA_LOG` is set: `debug`, `info`, `warn` or `error` picks the
///   lowest level forwarded (any other non-empty value means `info`).
///
/// Capture is keyed by thread: each engine runs its native calls on its own serial queue, so the lines a failed call
/// produced are the ones logged on that thread during that call.
enum LlamaLog {
    private struct Capture {
        var lines: [String] = []
        var lastLevel = GGML_LOG_LEVEL_NONE
    }

    private static let captures = Locked<[UInt: Capture]>([:])
    private static let maxLines = 8

    /// The lowest level forwarded to stderr, from `MODELREGISTRY_LLAMA_LOG`; `nil` forwards nothing.
    private static let forwardLevel: UInt32? = {
        guard let value = ProcessInfo.processInfo.environment["MODELREGISTRY_LLAMA_LOG"]?.lowercased(), !value.isEmpty
        else { return nil }
        switch value {
        case "debug": return GGML_LOG_LEVEL_DEBUG.rawValue
        case "warn", "warning": return GGML_LOG_LEVEL_WARN.rawValue
        case "error": return GGML_LOG_LEVEL_ERROR.rawValue
        default: return GGML_LOG_LEVEL_INFO.rawValue
        }
    }()

    /// Installs the callback for libllama and ggml. Called once, by ``LlamaBackend``.
    static func install() {
        llama_log_set(callback, nil)
        ggml_log_set(callback, nil)
    }

    /// Starts keeping this thread's warning and error lines, dropping any kept before.
    static func beginCapture() {
        let thread = currentThread
        captures.withLock { $0[thread] = Capture() }
    }

    /// Stops capturing on this thread.
    /// - Returns: The warning and error lines logged since ``beginCapture()``, joined, or `nil` when there were none.
    static func takeCaptured() -> String? {
        let thread = currentThread
        let lines = captures.withLock { $0.removeValue(forKey: thread)?.lines ?? [] }
        return lines.isEmpty ? nil : lines.joined(separator: " | ")
    }

    private static let callback: ggml_log_callback = { level, text, _ in
        guard let text else { return }
        let message = String(cString: text)
        if let forwardLevel, level.rawValue >= forwardLevel || level == GGML_LOG_LEVEL_CONT {
            FileHandle.standardError.write(Data(message.utf8))
        }
        LlamaLog.record(level: level, message: message)
    }

    private static func record(level: ggml_log_level, message: String) {
        let thread = currentThread
        captures.withLock { captures in
            guard var capture = captures[thread] else { return }
            let effective = level == GGML_LOG_LEVEL_CONT ? capture.lastLevel : level
            capture.lastLevel = effective
            guard effective == GGML_LOG_LEVEL_WARN || effective == GGML_LOG_LEVEL_ERROR else {
                captures[thread] = capture
                return
            }
            let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
            if level == GGML_LOG_LEVEL_CONT, let last = capture.lines.popLast() {
                capture.lines.append(last + trimmed)
            } else if !trimmed.isEmpty {
                capture.lines.append(trimmed)
            }
            if capture.lines.count > maxLines { capture.lines.removeFirst(capture.lines.count - maxLines) }
            captures[thread] = capture
        }
    }

    private static var currentThread: UInt {
        #if canImport(Darwin)
        UInt(bitPattern: pthread_self())
        #else
        UInt(pthread_self())
        #endif
    }
}
