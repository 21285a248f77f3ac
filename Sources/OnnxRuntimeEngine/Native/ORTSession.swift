internal import COnnxRuntime
internal import Foundation

/// Owns one `OrtSession`: a loaded model ready to run. Created on the native queue during a load, then shared by
/// every run of the model; freed (`ReleaseSession`) when the engine unloads and the last in-flight run ends.
final class ORTSession: @unchecked Sendable {
    // Safe: `pointer` never changes after init. ORT documents `Run` on one session as thread-safe, and the other
    // calls made here only read the session's metadata.
    private let pointer: OpaquePointer
    /// The environment must outlive the session, so the session keeps it.
    private let environment: ORTEnvironment
    /// The API table.
    let api: ORTAPI

    /// Loads a model file (`CreateSession`).
    /// - Parameters:
    ///   - path: The `.onnx` file.
    ///   - environment: The shared environment.
    ///   - options: The session options.
    /// - Throws: ``OnnxRuntimeStatus`` with ORT's reason, e.g. `INVALID_PROTOBUF` for a file that is not ONNX.
    convenience init(path: String, environment: ORTEnvironment, options: ORTSessionOptions) throws(OnnxRuntimeStatus) {
        try self.init(environment: environment, options: options, function: "CreateSession") { api, env, opts, session in
            api.table.pointee.CreateSession(env, path, opts, session)
        }
    }

    /// Loads a model held in memory (`CreateSessionFromArray`); ORT copies what it needs, so `model` may go away
    /// afterwards. For models without external data only (ORT would look for it relative to the working directory).
    /// - Parameters:
    ///   - model: The model's protobuf bytes.
    ///   - environment: The shared environment.
    ///   - options: The session options.
    /// - Throws: ``OnnxRuntimeStatus`` with ORT's reason.
    convenience init(model: [UInt8], environment: ORTEnvironment, options: ORTSessionOptions) throws(OnnxRuntimeStatus) {
        try self.init(environment: environment, options: options, function: "CreateSessionFromArray") {
            api, env, opts, session in
            model.withUnsafeBytes { bytes in
                api.table.pointee.CreateSessionFromArray(env, bytes.baseAddress, bytes.count, opts, session)
            }
        }
    }

    /// Creates the session with `create` (one of ORT's `CreateSession…` functions, named `function` for errors).
    private init(
        environment: ORTEnvironment, options: ORTSessionOptions, function: String,
        create: (ORTAPI, OpaquePointer, OpaquePointer, UnsafeMutablePointer<OpaquePointer?>) -> OpaquePointer?
    ) throws(OnnxRuntimeStatus) {
        let api = environment.api
        var session: OpaquePointer?
        let status = environment.withPointer { env in options.withPointer { opts in create(api, env, opts, &session) } }
        try api.check(status)
        guard let session else { throw .nullResult(function) }
        self.pointer = session
        self.environment = environment
        self.api = api
    }

    deinit { api.table.pointee.ReleaseSession(pointer) }

    /// Calls `body` with the `OrtSession*`, which stays valid for the call.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try body(pointer)
    }

    /// Runs the model once (`Run`). Blocks the calling thread until ORT is done.
    /// - Parameters:
    ///   - inputNames: The inputs' NUL-terminated names.
    ///   - inputs: The input values, in the same order.
    ///   - outputNames: The outputs' NUL-terminated names.
    ///   - outputs: One entry per output: NULL for ORT to allocate the value, or a value over memory the caller
    ///     owns that ORT writes into. On return every entry is a value; entries ORT allocated are the caller's to
    ///     release (entries given stay the caller's as well).
    ///   - options: Run options, used to terminate the run from another thread; `nil` for ORT's defaults.
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails or the run was terminated.
    func run(
        inputNames: [UnsafePointer<CChar>?], inputs: UnsafeBufferPointer<OpaquePointer?>,
        outputNames: UnsafeBufferPointer<UnsafePointer<CChar>?>, outputs: UnsafeMutableBufferPointer<OpaquePointer?>,
        options: ORTRunOptions?
    ) throws(OnnxRuntimeStatus) {
        let status: OpaquePointer?
        if let options {
            status = options.withPointer { runOptions in
                api.table.pointee.Run(
                    pointer, runOptions, inputNames, inputs.baseAddress, inputs.count, outputNames.baseAddress, outputNames.count,
                    outputs.baseAddress)
            }
        } else {
            status = api.table.pointee.Run(
                pointer, nil, inputNames, inputs.baseAddress, inputs.count, outputNames.baseAddress, outputNames.count,
                outputs.baseAddress)
        }
        try api.check(status)
    }
}

/// Calls `body` with NUL-terminated copies of `strings`, freed afterwards.
func withCStrings<R, E: Error>(
    _ strings: [String], _ body: ([UnsafePointer<CChar>?]) throws(E) -> R
) throws(E) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return try body(copies.map { $0.map { UnsafePointer($0) } })
}
