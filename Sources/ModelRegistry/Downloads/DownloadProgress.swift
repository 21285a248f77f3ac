/// How far one download has got, as reported to the `progress` callback of ``DownloadManager/download(_:progress:)``.
///
/// A report comes when the response arrives (0 bytes), then whenever 64 KiB or 1/200 of the file (whichever is
/// larger) arrived since the last one or 100 ms passed, and once more when the last byte arrives. Within an attempt ``bytesReceived`` never
/// decreases; a retried attempt starts again from zero with a larger ``attempt``. After a successful download the
/// last report has ``bytesReceived`` equal to ``totalBytes`` (when the server sent a length).
public struct DownloadProgress: Sendable, Hashable {
    /// The model being downloaded.
    public var modelName: String
    /// Bytes received so far in this attempt.
    public var bytesReceived: Int64
    /// The file's size from `Content-Length`, or `nil` when the server did not send one.
    public var totalBytes: Int64?
    /// Which attempt this is, from 1.
    public var attempt: Int

    /// Creates a report.
    /// - Parameters:
    ///   - modelName: The model being downloaded.
    ///   - bytesReceived: Bytes received so far in this attempt.
    ///   - totalBytes: The file's size, when known.
    ///   - attempt: Which attempt this is, from 1.
    public init(modelName: String, bytesReceived: Int64, totalBytes: Int64?, attempt: Int = 1) {
        self.modelName = modelName
        self.bytesReceived = bytesReceived
        self.totalBytes = totalBytes
        self.attempt = attempt
    }

    /// The part done, from 0 to 1, or `nil` when the size is unknown.
    public var fraction: Double? {
        guard let totalBytes else { return nil }
        guard totalBytes > 0 else { return 1 }
        return min(1, Double(bytesReceived) / Double(totalBytes))
    }
}

// MARK: - CustomStringConvertible

extension DownloadProgress: CustomStringConvertible {
    /// E.g. `524288 of 1048576 bytes (50%)`, or `524288 bytes` when the size is unknown.
    public var description: String {
        guard let totalBytes, let fraction else { return "\(bytesReceived) bytes" }
        return "\(bytesReceived) of \(totalBytes) bytes (\(Int((fraction * 100).rounded(.down)))%)"
    }
}
