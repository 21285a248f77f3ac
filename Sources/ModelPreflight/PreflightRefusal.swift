import Foundation

/// What the `model-preflight` child reported when its engine refused a file with an error instead of loading it.
///
/// The host does not open such a file natively (``PreflightClearance/confirm()`` throws the refusal): nothing showed
/// that opening it cannot abort. When the refusal was the native library's own (ORT's status from `CreateSession`,
/// libllama's reason from `llama_model_load_from_file`), ``nativeStatus`` carries it, so the engine reports the
/// same typed error an in-process open would have given.
package struct PreflightRefusal: Sendable, Equatable {
    /// The native library's refusal to open the file.
    package struct NativeStatus: Codable, Sendable, Equatable {
        /// The library's error code (ORT's `OrtErrorCode`); 0 where the library has none, as libllama.
        package var code: Int
        /// The library's message.
        package var message: String

        /// A status.
        package init(code: Int, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// The child's error message (its engine's error, on one line).
    package var message: String
    /// The native library's own refusal, when that is what the child's engine reported.
    package var nativeStatus: NativeStatus?

    /// The words that start the child's report lines: `refused <index> <message>` and
    /// `native <index> <NativeStatus as JSON>`.
    package static let refusedWord = "refused", nativeWord = "native"

    /// A refusal with `message` and no native status.
    package init(message: String, nativeStatus: NativeStatus? = nil) {
        self.message = message
        self.nativeStatus = nativeStatus
    }

    /// The refusal of file `index` in the child's standard output, if it reported one.
    /// - Parameters:
    ///   - standardOutput: Everything the child printed on standard output.
    ///   - index: The file's index in the child's run (0 for a single `--configuration`).
    package init?(standardOutput: String, index: Int = 0) {
        var message: String?
        var nativeStatus: NativeStatus?
        for line in standardOutput.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard words.count == 3, words[1] == "\(index)" else { continue }
            switch words[0] {
            case Self.refusedWord[...]: message = String(words[2])
            case Self.nativeWord[...]: nativeStatus = try? JSONDecoder().decode(NativeStatus.self, from: Data(words[2].utf8))
            default: continue
            }
        }
        guard let message else { return nil }
        self.message = message
        self.nativeStatus = nativeStatus
    }

    /// The report lines for a refusal of file `index`, as the child prints them.
    /// - Parameters:
    ///   - index: The file's index in the child's run.
    ///   - message: The engine's error message.
    ///   - nativeStatus: The native library's refusal, when the error is that.
    package static func reportLines(index: Int, message: String, nativeStatus: NativeStatus?) -> [String] {
        let native = nativeStatus.flatMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return (native.map { ["\(nativeWord) \(index) \($0)"] } ?? []) + ["\(refusedWord) \(index) \(oneLine)"]
    }
}
