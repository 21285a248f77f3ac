import ModelRegistry
import OnnxRuntimeEngine
import Testing

/// ORT's log goes through the library: a handler receives it as plain text at the chosen level; nothing below the
/// level arrives. These tests change process-wide settings, so they run one after another and restore them.
@Suite(.serialized, .timeLimit(.minutes(2))) struct OnnxLogTests {
    /// Collects messages from ORT's log.
    final class Collector: Sendable {
        let messages = Locked<[OnnxLogMessage]>([])
    }

    private func loadUnusedInitializerModel(level: OnnxLogLevel) async throws -> [OnnxLogMessage] {
        let collector = Collector()
        let previous = OnnxRuntime.logLevel
        OnnxRuntime.logLevel = level
        OnnxRuntime.setLogHandler { message in collector.messages.withLock { $0.append(message) } }
        defer {
            OnnxRuntime.setLogHandler(nil)
            OnnxRuntime.logLevel = previous
        }
        let engine = try await GeneratedModels.loaded("unused_initializer.onnx", name: "unused")
        await engine.unload()
        return collector.messages.withLock { $0 }.filter { $0.message.contains("Unused") }
    }

    @Test func warningLevel_deliversOrtsWarningAsPlainText() async throws {
        let messages = try await loadUnusedInitializerModel(level: .warning)
        let warning = try #require(messages.first)
        #expect(warning.level == .warning)
        #expect(warning.message.contains("Removing initializer 'Unused'"))
        #expect(!warning.description.contains("\u{1B}["))
        #expect(warning.description.hasPrefix("onnxruntime warning ["))
    }

    @Test func defaultErrorLevel_dropsWarnings() async throws {
        #expect(try await loadUnusedInitializerModel(level: .error).isEmpty)
    }

    @Test func levelNames_parseLikeTheEnvironmentVariable() {
        #expect(OnnxLogLevel(name: " Warning ") == .warning)
        #expect(OnnxLogLevel(name: "off") == .off)
        #expect(OnnxLogLevel(name: "loud") == nil)
        #expect(OnnxLogLevel.environmentVariable == "MODELREGISTRY_ORT_LOG")
    }
}
