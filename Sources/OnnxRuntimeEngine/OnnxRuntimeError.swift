public import Foundation

/// Everything ``OnnxRuntimeEngine`` throws. Each case names the model (its public name from the load context) and
/// the cause; ``description`` says what to do.
///
/// ```swift
/// do {
///     _ = try await engine.run(["X": Tensor(shape: [2, 2], floats: [1, 2, 3, 4])])
/// } catch .inputMismatch(let model, let input, let expected, let given) {
///     print("\(model).\(input) wants \(expected), got \(given)")   // tensor(float)[3, 2], tensor(float)[2, 2]
/// }
/// ```
public enum OnnxRuntimeError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    // MARK: Library and loading
    /// The loaded libonnxruntime does not provide the C API version the engine needs.
    case unsupportedLibrary(model: String?, requiredAPI: Int, libraryVersion: String)
    /// The model file does not exist.
    case fileNotFound(model: String, path: String)
    /// ONNX Runtime refused the file: not an ONNX model (`INVALID_PROTOBUF`), truncated or otherwise corrupt.
    /// `status` is ORT's reason.
    case invalidModel(model: String, path: String, status: OnnxRuntimeStatus)
    /// The file is an ONNX model, but this ONNX Runtime cannot run its graph: an operator without a kernel for its
    /// types (`NOT_IMPLEMENTED`), an unknown operator or domain, or an opset or IR version newer than the library.
    case unsupportedGraph(model: String, path: String, status: OnnxRuntimeStatus)
    /// The model keeps its weights in an external-data file that does not exist; `file` is the path ORT looked
    /// for, when its message names it.
    case missingExternalData(model: String, path: String, file: String?, status: OnnxRuntimeStatus)
    /// The configuration asks for an execution provider this ONNX Runtime build does not have.
    case executionProviderUnavailable(model: String, provider: String, available: [String])
    /// A configuration value is not valid for this engine.
    case invalidParameter(model: String, name: String, value: String, allowed: String)
    /// The operation is not allowed in the engine's current state (e.g. `load` while a model is loaded).
    case invalidState(model: String?, operation: String, state: String)
    /// No model is loaded: `load(_:)` was never called, failed, or `unload()` ran.
    case notLoaded(model: String?)

    // MARK: Inputs
    /// An input name the model does not have.
    case unknownInput(model: String, name: String, expected: [String])
    /// Inputs the model needs were not given.
    case missingInputs(model: String, names: [String])
    /// The input's element type or shape does not fit what the model declares (`-1` dimensions accept any size).
    /// Both are given in full, e.g. expected `tensor(float)[-1, 4]`, given `tensor(double)[2, 4]`.
    case inputMismatch(model: String, input: String, expected: OnnxValueType, given: OnnxValueType)
    /// The input holds another number of elements than its shape calls for.
    case dataCountMismatch(model: String, input: String, shape: [Int], expected: Int, given: Int)
    /// The input's shape calls for more elements than `Int` can count (e.g. `[4611686018427387904, 4]`): no tensor
    /// can hold it.
    case shapeTooLarge(model: String, input: String, shape: [Int])
    /// The model declares an input of a kind ``Tensor`` cannot hold (e.g. a sequence, or `tensor(float8e4m3fn)`).
    case unsupportedInputType(model: String, input: String, type: String)

    // MARK: Running
    /// An output name the model does not have.
    case unknownOutput(model: String, name: String, available: [String])
    /// The model produced an output of a kind ``OnnxValue`` cannot hold (e.g. an opaque value).
    case unsupportedOutputType(model: String, output: String, type: String)
    /// An output buffer does not fit the output it is meant for (not a tensor, another element type, a shape that
    /// does not fit the declared one, or `string`, which cannot be written in place).
    case outputBufferMismatch(model: String, output: String, expected: OnnxValueType, given: OnnxValueType)
    /// ONNX Runtime failed while running the model.
    case runFailed(model: String, status: OnnxRuntimeStatus)
    /// The run was cancelled by cancelling the calling task.
    case cancelled(model: String)
    /// Another ONNX Runtime call failed; `operation` names the C function.
    case native(model: String?, operation: String, status: OnnxRuntimeStatus)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .unsupportedLibrary(let model, let required, let version):
            Self.prefix(model) + "libonnxruntime \(version) does not provide C API version \(required); "
                + "install ONNX Runtime 1.\(required) or later (Scripts/install-native-deps.sh)"
        case .fileNotFound(let model, let path):
            "model \"\(model)\": file \(path) does not exist; check the model's path"
        case .invalidModel(let model, let path, let status):
            "model \"\(model)\": \(path) is not a valid ONNX model (\(status)); replace the file with a complete "
                + ".onnx export"
        case .unsupportedGraph(let model, let path, let status):
            "model \"\(model)\": ONNX Runtime \(ORTAPI.libraryVersion) cannot run the graph in \(path) (\(status)); "
                + "re-export the model with an opset this ONNX Runtime supports (a newer opset often has kernels "
                + "for more types; ai.onnx up to opset \(ORTAPI.requiredVersion) here), or use an ONNX Runtime build "
                + "that implements the operator"
        case .missingExternalData(let model, let path, let file, let status):
            "model \"\(model)\": \(path) keeps its weights in an external-data file "
                + (file.map { "\($0) " } ?? "") + "that does not exist (\(status)); copy the data file next to the "
                + ".onnx file, under the name the model records"
        case .executionProviderUnavailable(let model, let provider, let available):
            "model \"\(model)\": this ONNX Runtime build (\(ORTAPI.libraryVersion)) has no \(provider); it has "
                + "\(Self.list(available)). Install a build with \(provider) or remove it from executionProviders"
        case .invalidParameter(let model, let name, let value, let allowed):
            "model \"\(model)\": parameter \(name) = \"\(value)\" is not valid; use \(allowed)"
        case .invalidState(let model, let operation, let state):
            Self.prefix(model) + "cannot \(operation) while the engine is \(state)"
        case .notLoaded(let model):
            Self.prefix(model) + "no model is loaded; call load(_:) first"
        case .unknownInput(let model, let name, let expected):
            "model \"\(model)\" has no input \"\(name)\"; its inputs are: \(Self.list(expected))"
        case .missingInputs(let model, let names):
            "model \"\(model)\" needs input(s) \(Self.list(names)); pass a tensor for each"
        case .inputMismatch(let model, let input, let expected, let given):
            "model \"\(model)\", input \"\(input)\": expected \(expected) (-1 = any size), given \(given)"
        case .dataCountMismatch(let model, let input, let shape, let expected, let given):
            "model \"\(model)\", input \"\(input)\": shape \(Self.shape(shape)) needs \(expected) elements, "
                + "given \(given)"
        case .shapeTooLarge(let model, let input, let shape):
            "model \"\(model)\", input \"\(input)\": shape \(Self.shape(shape)) calls for more elements than any "
                + "tensor can hold; check its dimensions"
        case .unsupportedInputType(let model, let input, let type):
            "model \"\(model)\", input \"\(input)\" is \(type); this engine feeds tensors of bool, integers, float16, "
                + "bfloat16, float, double and string only"
        case .unknownOutput(let model, let name, let available):
            "model \"\(model)\" has no output \"\(name)\"; its outputs are: \(Self.list(available))"
        case .unsupportedOutputType(let model, let output, let type):
            "model \"\(model)\", output \"\(output)\" is \(type), which this engine cannot read; request other outputs"
        case .outputBufferMismatch(let model, let output, let expected, let given):
            "model \"\(model)\", output \"\(output)\": the buffer is \(given) but the output is \(expected) "
                + "(-1 = any size); give a numeric buffer of the output's element type and shape"
        case .runFailed(let model, let status):
            "model \"\(model)\": ONNX Runtime failed to run (\(status))"
        case .cancelled(let model):
            "model \"\(model)\": the run was cancelled"
        case .native(let model, let operation, let status):
            Self.prefix(model) + "ONNX Runtime call \(operation) failed (\(status))"
        }
    }

    /// The same text as ``description``, for Foundation's error reporting.
    public var errorDescription: String? { description }

    /// The same error, naming `model` where the library-level error had no model yet.
    func naming(model: String) -> OnnxRuntimeError {
        switch self {
        case .unsupportedLibrary(nil, let required, let version):
            .unsupportedLibrary(model: model, requiredAPI: required, libraryVersion: version)
        case .native(nil, let operation, let status): .native(model: model, operation: operation, status: status)
        default: self
        }
    }

    private static func prefix(_ model: String?) -> String { model.map { "model \"\($0)\": " } ?? "" }
    private static func list(_ items: [String]) -> String { items.isEmpty ? "(none)" : items.joined(separator: ", ") }
    private static func shape(_ dims: [some BinaryInteger]) -> String {
        "[\(dims.map { "\($0)" }.joined(separator: ", "))]"
    }
}
