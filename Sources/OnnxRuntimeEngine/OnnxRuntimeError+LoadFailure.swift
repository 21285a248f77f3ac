// MARK: - Classifying load failures

extension OnnxRuntimeError {
    /// The error for a failed `CreateSession`, by what went wrong. ORT's codes alone do not tell (an opset newer
    /// than the library is `FAIL`, an unknown operator `INVALID_GRAPH`, a missing kernel `NOT_IMPLEMENTED`, a
    /// missing external-data file `RUNTIME_EXCEPTION`), so its message is read as well.
    /// - Parameters:
    ///   - model: The model's name.
    ///   - path: The `.onnx` file.
    ///   - status: What `CreateSession` returned.
    /// - Returns: ``missingExternalData(model:path:file:status:)``, ``unsupportedGraph(model:path:status:)`` or
    ///   ``invalidModel(model:path:status:)``.
    static func loadFailure(model: String, path: String, status: OnnxRuntimeStatus) -> OnnxRuntimeError {
        let message = status.message
        if status.code != .invalidProtobuf, Self.missingFileMarkers.contains(where: message.contains) {
            return .missingExternalData(model: model, path: path, file: Self.bracketedPath(in: message), status: status)
        }
        if status.code == .notImplemented
            || (status.code != .invalidProtobuf && Self.unsupportedGraphMarkers.contains(where: message.contains))
        {
            return .unsupportedGraph(model: model, path: path, status: status)
        }
        return .invalidModel(model: model, path: path, status: status)
    }

    /// Phrases of ORT's messages when an external-data file cannot be opened.
    private static let missingFileMarkers = [
        "No such file or directory", "cannot get file size", "External initializer", "external data",
    ]

    /// Phrases of ORT's messages for graphs it understands but cannot run.
    private static let unsupportedGraphMarkers = [
        "Could not find an implementation", "No Op registered", "is not a registered function/op",
        "Current official support for domain", "is under development", "Unsupported model IR version",
        "opset", "Opset",
    ]

    /// The last `[…]` in ORT's message, which is the path for filesystem errors.
    private static func bracketedPath(in message: String) -> String? {
        guard let open = message.lastIndex(of: "["), let close = message[open...].firstIndex(of: "]") else {
            return nil
        }
        let inside = message[message.index(after: open)..<close]
        return inside.contains("/") || inside.contains(".") ? String(inside) : nil
    }
}
