/// How far a load has come, published as ``RegistryEvent/Kind/loadProgress(_:)`` so a UI can show a bar.
///
/// A load goes through the phases in order, skipping those that do not apply: `downloading` (remote models whose
/// file is not on disk yet), `verifying` (a checksummed file already on disk), `loading` (the engine reads the
/// file; llama.cpp reports its fraction), `warmingUp` (when the configuration names a warm-up input).
public struct LoadProgress: Sendable, Hashable, CustomStringConvertible {
    /// The phase a load is in.
    public enum Phase: String, Sendable, Hashable {
        /// The model's file is being downloaded.
        case downloading
        /// The file on disk is being checked against its checksum.
        case verifying
        /// The engine is reading the model.
        case loading
        /// The engine is answering the configured warm-up input.
        case warmingUp
    }

    /// The phase.
    public var phase: Phase
    /// The fraction of the phase done, `0...1`; `nil` when the phase cannot tell.
    public var fraction: Double?
    /// Bytes received so far, while downloading.
    public var bytes: Int64?
    /// The file's size, while downloading, when the server tells it.
    public var totalBytes: Int64?

    /// Creates a progress report.
    /// - Parameters:
    ///   - phase: The phase.
    ///   - fraction: The fraction of the phase done, if known.
    ///   - bytes: Bytes received, while downloading.
    ///   - totalBytes: The download's size, if known.
    public init(phase: Phase, fraction: Double? = nil, bytes: Int64? = nil, totalBytes: Int64? = nil) {
        self.phase = phase
        self.fraction = fraction
        self.bytes = bytes
        self.totalBytes = totalBytes
    }

    /// E.g. `loading 42%` or `downloading 1048576/4194304 bytes`.
    public var description: String {
        var text = phase.rawValue
        if let bytes { text += " \(bytes)\(totalBytes.map { "/\($0)" } ?? "") bytes" }
        if let fraction, bytes == nil { text += " \(Int((fraction * 100).rounded()))%" }
        return text
    }
}
