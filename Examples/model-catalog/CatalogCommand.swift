import ExampleSupport
import Foundation
import ModelRegistry

/// One `model-catalog` invocation, parsed from the command line.
struct CatalogCommand {
    /// What to do.
    enum Action {
        case register(ModelVersion)
        case list(name: String?)
        case promote(name: String, version: SemanticVersion)
        case archive(name: String, version: SemanticVersion)
        case remove(name: String, version: SemanticVersion)
        case production(name: String)
        case scan(directory: URL)
    }

    /// The catalog file.
    let catalog: URL
    /// The action.
    let action: Action
    /// Whether to print JSON instead of plain lines.
    let json: Bool

    static let usage = """
        usage: model-catalog <catalog.json> <command> [--json]
          register <name> <version> <path> [--format onnx|gguf|other] [--engine e] [--type t] [--stage s] [--tag t]...
          list [name]
          promote <name> <version>
          archive <name> <version>
          remove <name> <version>
          production <name>
          scan <directory>
        """

    /// Parses the arguments after the program name.
    /// - Parameter arguments: E.g. `["catalog.json", "promote", "iris", "1.0.0"]`.
    /// - Throws: ``UsageError`` for a malformed command line, ``RegistryError/invalidVersion(_:)`` for a bad
    ///   version.
    init(arguments: [String]) throws {
        var options = try Options(arguments)
        json = options.flag("--json")
        guard options.positional.count >= 2 else { throw UsageError("missing catalog file or command") }
        catalog = URL(fileURLWithPath: options.positional[0])
        let command = options.positional[1]
        let operands = Array(options.positional.dropFirst(2))
        func expect(_ count: Int, _ names: String) throws {
            guard operands.count == count else { throw UsageError("\(command) takes \(names)") }
        }
        switch command {
        case "register":
            try expect(3, "<name> <version> <path>")
            action = .register(try Self.version(operands, options: &options))
        case "list":
            guard operands.count <= 1 else { throw UsageError("list takes at most one model name") }
            action = .list(name: operands.first)
        case "promote", "archive", "remove":
            try expect(2, "<name> <version>")
            let version = try SemanticVersion(parsing: operands[1])
            action = command == "promote" ? .promote(name: operands[0], version: version)
                : command == "archive" ? .archive(name: operands[0], version: version)
                : .remove(name: operands[0], version: version)
        case "production":
            try expect(1, "<name>")
            action = .production(name: operands[0])
        case "scan":
            try expect(1, "<directory>")
            action = .scan(directory: URL(fileURLWithPath: operands[0]))
        default:
            throw UsageError("unknown command \"\(command)\"")
        }
        try options.finish()
    }

    /// The version a `register` command describes.
    private static func version(_ operands: [String], options: inout Options) throws -> ModelVersion {
        let path = URL(fileURLWithPath: operands[2]).standardizedFileURL
        let formatName = try options.value("--format") ?? path.pathExtension
        guard let format = ModelFormat(fileExtension: formatName) ?? (formatName == "other" ? .other : nil) else {
            throw UsageError("cannot tell the format of \(path.path); pass --format onnx, gguf or other")
        }
        let stage = try options.value("--stage").map { name in
            guard let stage = ModelStage(rawValue: name) else {
                throw UsageError("unknown stage \"\(name)\"; use development, staging, production or archived")
            }
            return stage
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path.path))?[.size] as? Int64
        return ModelVersion(
            name: operands[0], version: try SemanticVersion(parsing: operands[1]), path: path.path, format: format,
            stage: stage ?? .development,
            metadata: ModelMetadata(tags: try options.values("--tag"), source: "model-catalog", sizeBytes: size),
            engine: try options.value("--engine").map(EngineKind.init),
            modelType: try options.value("--type").map(ModelType.init))
    }
}
