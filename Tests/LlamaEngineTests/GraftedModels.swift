import Foundation
import ModelRegistryTestSupport

/// Tiny random-weight models on llama.cpp's real tokenizers (`.native/share/llama-vocab/ggml-vocab-*.gguf`), written
/// once per test process by `Scripts/make_tiny_gguf.py --vocab-from` into a temporary folder.
actor GraftedModels {
    static let shared = GraftedModels()

    private var folder: URL?
    private var models: [String: Task<URL, any Error>] = [:]

    /// The folder of llama.cpp's vocabulary files and their expected-token files.
    static let vocabularies = NativeFixtures.prefix.appendingPathComponent("share/llama-vocab")

    /// A model on the vocabulary `ggml-vocab-<name>.gguf`.
    /// - Throws: When the generator fails.
    func model(_ name: String) async throws -> URL {
        if let task = models[name] { return try await task.value }
        let folder = try self.folder ?? NativeFixtures.temporaryDirectory()
        self.folder = folder
        let task = Task {
            let url = folder.appendingPathComponent("grafted-\(name).gguf")
            let vocabulary = Self.vocabularies.appendingPathComponent("ggml-vocab-\(name).gguf")
            _ = try await LlamaFixtures.python([
                LlamaFixtures.generator.path, "--out", url.path, "--vocab-from", vocabulary.path,
            ])
            return url
        }
        models[name] = task
        return try await task.value
    }

    /// llama.cpp's tokenizer test cases for a vocabulary: each input of `ggml-vocab-<name>.gguf.inp` with the
    /// token ids of the same line of `.gguf.out` (read as llama.cpp's `tests/test-tokenizer-0.cpp` reads them).
    static func expectedTokens(_ name: String) throws -> [(text: String, tokens: [Int32])] {
        let base = vocabularies.appendingPathComponent("ggml-vocab-\(name).gguf")
        let inputs = try String(contentsOf: base.appendingPathExtension("inp"), encoding: .utf8)
        let outputs = try String(contentsOf: base.appendingPathExtension("out"), encoding: .utf8)
        var texts: [String] = []
        var rest = Substring(inputs)
        let separator = "\n__ggml_vocab_test__\n"
        while !rest.isEmpty {
            guard let range = rest.range(of: separator) else {
                texts.append(String(rest))
                break
            }
            texts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        let lines = outputs.split(separator: "\n", omittingEmptySubsequences: false).prefix(texts.count)
        return zip(texts, lines).map { text, line in
            (text, line.split(separator: " ").compactMap { Int32($0) })
        }
    }
}
