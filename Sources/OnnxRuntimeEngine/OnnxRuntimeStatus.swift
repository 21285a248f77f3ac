/// A failure reported by the ONNX Runtime library itself: ORT's error code and its own message.
///
/// ``OnnxRuntimeError`` carries one of these whenever the cause lies inside the native library, e.g. a corrupt
/// model file (`INVALID_PROTOBUF`) or a failing kernel (`RUNTIME_EXCEPTION`).
///
/// ```swift
/// if case .invalidModel(_, _, let status) = error, status.code == .invalidProtobuf {
///     print("not an ONNX file: \(status.message)")
/// }
/// ```
public struct OnnxRuntimeStatus: Error, Sendable, Hashable, CustomStringConvertible {
    /// ORT's error code (`OrtErrorCode`), open to codes newer libraries may add.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The numeric `OrtErrorCode` value.
        public let rawValue: Int

        /// Wraps a numeric `OrtErrorCode` value.
        /// - Parameter rawValue: The value ORT returned.
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// `ORT_FAIL`: a generic failure.
        public static let fail = Code(rawValue: 1)
        /// `ORT_INVALID_ARGUMENT`: an argument (often an input) was rejected.
        public static let invalidArgument = Code(rawValue: 2)
        /// `ORT_NO_SUCHFILE`: a file does not exist.
        public static let noSuchFile = Code(rawValue: 3)
        /// `ORT_NO_MODEL`: no model is loaded.
        public static let noModel = Code(rawValue: 4)
        /// `ORT_ENGINE_ERROR`: the execution engine failed.
        public static let engineError = Code(rawValue: 5)
        /// `ORT_RUNTIME_EXCEPTION`: an exception was raised while running.
        public static let runtimeException = Code(rawValue: 6)
        /// `ORT_INVALID_PROTOBUF`: the model file is not a valid ONNX protobuf.
        public static let invalidProtobuf = Code(rawValue: 7)
        /// `ORT_MODEL_LOADED`: a model is already loaded.
        public static let modelLoaded = Code(rawValue: 8)
        /// `ORT_NOT_IMPLEMENTED`: an operator or feature is not implemented.
        public static let notImplemented = Code(rawValue: 9)
        /// `ORT_INVALID_GRAPH`: the model's graph is invalid.
        public static let invalidGraph = Code(rawValue: 10)
        /// `ORT_EP_FAIL`: an execution provider failed.
        public static let executionProviderFailed = Code(rawValue: 11)
        /// `ORT_MODEL_LOAD_CANCELED`: loading was cancelled.
        public static let modelLoadCanceled = Code(rawValue: 12)
        /// `ORT_MODEL_REQUIRES_COMPILATION`: the model must be compiled for an execution provider first.
        public static let modelRequiresCompilation = Code(rawValue: 13)
        /// `ORT_NOT_FOUND`: a requested resource does not exist.
        public static let notFound = Code(rawValue: 14)

        private static let names: [Int: String] = [
            1: "FAIL", 2: "INVALID_ARGUMENT", 3: "NO_SUCHFILE", 4: "NO_MODEL", 5: "ENGINE_ERROR",
            6: "RUNTIME_EXCEPTION", 7: "INVALID_PROTOBUF", 8: "MODEL_LOADED", 9: "NOT_IMPLEMENTED",
            10: "INVALID_GRAPH", 11: "EP_FAIL", 12: "MODEL_LOAD_CANCELED", 13: "MODEL_REQUIRES_COMPILATION",
            14: "NOT_FOUND",
        ]

        /// ORT's name for the code, e.g. `INVALID_PROTOBUF`, or `code N` for codes this library does not know.
        public var description: String { Self.names[rawValue] ?? "code \(rawValue)" }
    }

    /// ORT's error code.
    public let code: Code
    /// ORT's own message, unchanged.
    public let message: String

    /// Creates a status.
    /// - Parameters:
    ///   - code: ORT's error code.
    ///   - message: ORT's message.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `CODE: message`, e.g. `INVALID_PROTOBUF: Load model from … failed: Protobuf parsing failed.`
    public var description: String { "\(code): \(message)" }

    /// A call reported success but handed back NULL where a handle was promised.
    static func nullResult(_ function: String) -> OnnxRuntimeStatus {
        OnnxRuntimeStatus(code: .fail, message: "\(function) returned no value")
    }
}
