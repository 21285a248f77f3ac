import Foundation
import ModelRegistry
import Testing

/// A fresh directory for one download test, removed afterwards.
struct DownloadSandbox: Sendable {
    /// The directory.
    let directory: URL

    /// Creates a directory, runs `body`, and removes the directory.
    /// - Parameter body: The test, given the sandbox.
    static func run<T>(_ body: (DownloadSandbox) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("download-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(DownloadSandbox(directory: directory))
    }

    /// A file in the sandbox.
    /// - Parameter name: The file's name.
    func file(_ name: String) -> URL { directory.appendingPathComponent(name, isDirectory: false) }

    /// The names of everything in the sandbox, hidden files (temporary downloads) included, sorted.
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    /// The bytes of a file in the sandbox.
    /// - Parameter name: The file's name.
    func bytes(of name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: file(name)))
    }
}

/// Records the progress reports of downloads, from whatever thread they arrive on.
final class DownloadProgressLog: Sendable {
    private struct State {
        var reports: [DownloadProgress] = []
        var waiters: [UInt64: (bytes: Int64, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Locked(State())

    /// The callback to pass to `download(_:progress:)`.
    var callback: @Sendable (DownloadProgress) -> Void { { [self] report in record(report) } }

    /// Every report so far, in arrival order.
    var all: [DownloadProgress] { state.withLock { $0.reports } }

    /// Waits until a report with at least `bytes` bytes has arrived, or the task is cancelled (a test's time limit),
    /// so a report that never comes fails the test instead of hanging the run.
    /// - Parameter bytes: The byte count to wait for.
    func waitForBytes(_ bytes: Int64) async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let arrived = state.withLock { state in
                    if Task.isCancelled || state.reports.contains(where: { $0.bytesReceived >= bytes }) { return true }
                    state.waiters[id] = (bytes, continuation)
                    return false
                }
                if arrived { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }

    private func record(_ report: DownloadProgress) {
        let due = state.withLock { state in
            state.reports.append(report)
            let due = state.waiters.filter { report.bytesReceived >= $0.value.bytes }
            for id in due.keys { state.waiters[id] = nil }
            return due.values.map(\.continuation)
        }
        due.forEach { $0.resume() }
    }

    /// Records an issue unless, within each attempt, the byte counts never decrease and stay within the total.
    func expectMonotonic(sourceLocation: SourceLocation = #_sourceLocation) {
        for (previous, next) in zip(all, all.dropFirst()) where previous.attempt == next.attempt {
            #expect(next.bytesReceived >= previous.bytesReceived, "\(previous) then \(next)", sourceLocation: sourceLocation)
        }
        for report in all {
            #expect(report.bytesReceived <= report.totalBytes ?? .max, "\(report)", sourceLocation: sourceLocation)
        }
        for (previous, next) in zip(all, all.dropFirst()) {
            #expect(next.attempt >= previous.attempt, "\(previous) then \(next)", sourceLocation: sourceLocation)
        }
    }
}

extension DownloadManager {
    /// Starts a download in a task of its own and returns once it has joined its flight and taken its place in the
    /// slot queue (or its slot): the task starts at once on this actor and runs until the download suspends. So
    /// downloads started one after another queue in that order, and a test reads the queue without waiting for it.
    /// - Parameters:
    ///   - request: What to download.
    ///   - progress: Receives the download's progress reports.
    /// - Returns: The task running the download.
    func start(
        _ request: DownloadRequest, progress: @escaping @Sendable (DownloadProgress) -> Void = { _ in }
    ) -> Task<URL, any Error> {
        Task.immediate { try await self.download(request, progress: progress) }
    }

    /// A manager for tests: short backoff so retries do not slow the suite.
    static func forTests(
        maxConcurrentDownloads: Int = 2, idleTimeout: Duration = .seconds(60), retries: Int = 0
    ) -> DownloadManager {
        DownloadManager(
            maxConcurrentDownloads: maxConcurrentDownloads, idleTimeout: idleTimeout, retries: retries,
            backoff: RetryBackoff(initial: .milliseconds(10), maximum: .milliseconds(40))
        )
    }
}
