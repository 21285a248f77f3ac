import Foundation
package import ModelRegistry

/// The isolated preflight of a model file: before an engine loads a file in-process, the `model-preflight` child
/// loads it through the same engine (and, for llama.cpp, decodes one token), so a file on which the native library
/// aborts kills the child, not the host. A pass is cached (``PreflightVerdictCache``), so a file is checked once.
///
/// ``LlamaEngine`` calls ``check(_:needsChild:)`` first in its `load`; so does ``OnnxRuntimeEngine`` for the files
/// in which ONNX Runtime has a known abort. Settings are in ``PreflightOptions``.
package enum Preflight {
    /// The exit status of a child whose engine refused the file with an error (no crash). The host does not open
    /// such a file natively: its clearance carries the child's error (``PreflightClearance/refusal``), which
    /// ``PreflightClearance/confirm()`` throws after the engine's own in-process checks.
    package static let refusedStatus: Int32 = 3

    /// Preflights the file of `context` unless the mode, the file or the cache says it is not needed.
    ///
    /// The file is examined (by `needsChild` and for its cache keys) with its symbolic links followed
    /// (``SymbolicLinks/resolve(_:)``; Hugging Face caches store every file as a link), so a link is checked like its
    /// target and shares its verdict. The child loads the configured path, as the in-process load does: the native
    /// libraries find a model's other files (ONNX external data, GGUF splits) beside the path they are given.
    /// - Parameters:
    ///   - context: The load's context (its configuration's `path` is a local file).
    ///   - needsChild: Whether the file (its resolved path) needs the child in `auto` mode; `false` when an in-process
    ///     check already refuses it (the in-process load then reports that error) or when the engine knows the file
    ///     cannot abort.
    /// - Returns: What the engine confirms just before its native open (``PreflightClearance/confirm()``), so a file
    ///   changed after this check, or one the child's engine refused, is not opened in-process; `nil` when nothing
    ///   was checked (`never` mode, a remote path, a file that cannot be examined).
    /// - Throws: ``PreflightError`` when the child crashed, timed out, failed or cannot be found; `CancellationError`
    ///   when the task was cancelled (the child is killed).
    @discardableResult
    package static func check(
        _ context: EngineLoadContext, needsChild: (String) -> Bool
    ) async throws -> PreflightClearance? {
        let configuration = context.configuration
        let options = try PreflightOptions(configuration)
        guard options.mode != .never, !configuration.isRemote else { return nil }
        let cache = PreflightVerdictCache(directory: options.cacheDirectory)
        let path = SymbolicLinks.resolve(configuration.path)
        // a file that cannot be examined fails the in-process load with its own error
        guard let keys = PreflightVerdictCache.FileKeys(
            path: path, sha256: configuration.sha256, verifiedSHA256: context.verifiedSHA256,
            settings: PreflightVerdictCache.settingsDigest(of: configuration))
        else { return nil }
        let clearance = PreflightClearance(model: configuration.name, path: configuration.path, file: keys.file)
        if options.mode == .auto {
            guard await !cache.hasPass(for: keys), needsChild(path) else { return clearance }
        }
        do {
            try await PreflightFlights.shared.run(key: keys.identity) {
                // a load that waited for another one's child finds its pass here
                if options.mode == .auto, await cache.hasPass(for: keys) { return }
                try await runChild(configuration, options: options)
                // the child opened the path itself: a pass is the file's only if the path still leads to it (a
                // changed one fails this load at its confirmation, and the file that was there stays unchecked)
                if (try? clearance.confirm()) != nil { await cache.recordPass(for: keys) }
            }
        } catch let refused as Refused {
            // The engine's own checks run in-process again and report their error; a refusal they do not repeat
            // (one from the native library, or from a setting the child saw differently) stops the load before
            // the file is opened, since nothing showed that opening it cannot abort.
            return clearance.refused(refused.refusal)
        }
        return clearance
    }

    /// Runs the child on the configuration's file and turns how it ended into a verdict.
    /// - Throws: ``PreflightError``, or `CancellationError`; returns normally when the file passed.
    private static func runChild(_ configuration: ModelConfiguration, options: PreflightOptions) async throws {
        try Task.checkCancellation()
        let executable = try PreflightExecutable.locate(model: configuration.name, explicit: options.explicitExecutable)
        var childConfiguration = configuration
        childConfiguration.parameters["preflight"] = PreflightMode.never.rawValue
        let json = String(decoding: try JSONEncoder().encode(childConfiguration), as: UTF8.self)
        let result: ChildProcess.Outcome
        do {
            result = try await PreflightProcess.run(
                executable: executable, arguments: ["--configuration", json], timeout: options.timeout)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw PreflightError.launchFailed(model: configuration.name, executable: executable, reason: "\(error)")
        }
        if result.timedOut {
            throw PreflightError.timedOut(model: configuration.name, path: configuration.path, after: options.timeout)
        }
        if result.signalled {
            throw PreflightError.childCrashed(
                model: configuration.name, path: configuration.path, signal: result.status,
                nativeMessage: nativeMessage(in: result.stderr))
        }
        switch result.status {
        case 0:
            return
        case refusedStatus:
            throw Refused(refusal: PreflightRefusal(standardOutput: result.stdout)
                ?? PreflightRefusal(message: lastLines(of: result.stderr, count: 3)))
        default:
            throw PreflightError.childFailed(
                model: configuration.name, path: configuration.path, status: result.status,
                output: lastLines(of: result.stderr, count: 3))
        }
    }

    /// The child's engine refused the file with an error: not a pass, not a failure of the preflight.
    private struct Refused: Error {
        /// What the child reported.
        let refusal: PreflightRefusal
    }

    /// The child's last native diagnostic: its last `GGML_ASSERT` line, else its last line that reads like an error,
    /// else its last line.
    package static func nativeMessage(in standardError: String) -> String? {
        let lines = standardError.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let markers = ["error", "abort", "terminate", "failed", "fatal"]
        return lines.last { $0.contains("GGML_ASSERT") }
            ?? lines.last { line in markers.contains { line.lowercased().contains($0) } }
            ?? lines.last
    }

    private static func lastLines(of text: String, count: Int) -> String {
        text.split(whereSeparator: \.isNewline).suffix(count).joined(separator: " | ")
    }
}
