/// Counts one attempt's bytes and decides which counts are worth a ``DownloadProgress`` report: the start, then at
/// least every 64 KiB or 1/200 of the file (whichever is larger) or every 100 ms, and the end.
struct ProgressMeter: Sendable {
    private let modelName: String
    private let attempt: Int
    private var totalBytes: Int64?
    private var step: Int64 = 64 * 1024
    private var lastReportedBytes: Int64 = 0
    private var lastReportTime = ContinuousClock.now
    /// Bytes counted so far.
    private(set) var bytesReceived: Int64 = 0

    /// Creates a meter for one attempt.
    /// - Parameters:
    ///   - modelName: The model being downloaded.
    ///   - attempt: Which attempt, from 1.
    init(modelName: String, attempt: Int) {
        self.modelName = modelName
        self.attempt = attempt
    }

    /// The response arrived.
    /// - Parameters:
    ///   - totalBytes: The file's size, if the server announced it.
    ///   - alreadyReceived: Bytes an earlier attempt left that this one continues from (0 when it starts over).
    /// - Returns: The first report.
    mutating func start(totalBytes: Int64?, alreadyReceived: Int64) -> DownloadProgress {
        self.totalBytes = totalBytes
        bytesReceived = alreadyReceived
        step = max(64 * 1024, (totalBytes ?? 0) / 200)
        return markReported()
    }

    /// Bytes arrived.
    /// - Parameter count: How many.
    /// - Returns: A report when one is due.
    mutating func add(_ count: Int64) -> DownloadProgress? {
        bytesReceived += count
        let now = ContinuousClock.now
        guard bytesReceived - lastReportedBytes >= step || now - lastReportTime >= .milliseconds(100) else { return nil }
        return markReported(at: now)
    }

    /// The last byte arrived.
    /// - Returns: The final report, unless the last count was already reported.
    mutating func finish() -> DownloadProgress? {
        lastReportedBytes == bytesReceived && bytesReceived > 0 ? nil : markReported()
    }

    private mutating func markReported(at now: ContinuousClock.Instant = .now) -> DownloadProgress {
        lastReportedBytes = bytesReceived
        lastReportTime = now
        return DownloadProgress(modelName: modelName, bytesReceived: bytesReceived, totalBytes: totalBytes, attempt: attempt)
    }
}
