import ExampleSupport
import Foundation

/// What the command line asks for.
struct GenerateOptions {
    static let usage = """
        usage: generate [--model PATH] [--prompt TEXT] [--max-tokens N] [--temperature T] [--seed N] [--threads N]
                        [--context N]
          --model PATH       a GGUF model (default: <package>/.native/share/models/tiny-llama.gguf)
          --prompt TEXT      the text to continue (default: "the cat")
          --max-tokens N     the most tokens to generate (default: 32)
          --temperature T    0 for greedy decoding (the default), else the sampling temperature
          --seed N           the sampling seed (used when the temperature is above 0; default: 42)
          --threads N        threads for llama.cpp (default: 2)
          --context N        the context length in tokens (default: the model's, at most 4096)
        Ctrl-C stops the generation; the model is unloaded and the program exits normally.
        """

    var model: URL
    var prompt: String
    var maxTokens: Int
    var temperature: Float
    var seed: UInt32
    var threads: Int
    var context: Int?

    /// Reads the options.
    /// - Parameter arguments: The arguments after the program name.
    /// - Returns: `nil` when `--help` was asked for.
    /// - Throws: ``UsageError`` for an unknown option, a bad value or a positional argument.
    init?(arguments: [String]) throws(UsageError) {
        var arguments = try Arguments(arguments, knownFlags: ["--help"])
        if arguments.flag("--help") { return nil }
        model = arguments.string("--model").map { URL(fileURLWithPath: $0) } ?? FixturePath.model("tiny-llama.gguf")
        prompt = arguments.string("--prompt") ?? "the cat"
        maxTokens = try arguments.int("--max-tokens", in: 1...1_000_000) ?? 32
        temperature = try arguments.float("--temperature", in: 0...100) ?? 0
        seed = UInt32(try arguments.int("--seed", in: 0...Int(UInt32.max)) ?? 42)
        threads = try arguments.int("--threads", in: 1...256) ?? 2
        context = try arguments.int("--context", in: 16...1_048_576)
        try arguments.finish()
        if let extra = arguments.positional.first {
            throw UsageError("unexpected argument \"\(extra)\" (quote the prompt: --prompt \"\(extra) ...\")")
        }
    }
}
