package import Foundation
#if canImport(FoundationNetworking)
package import FoundationNetworking
#endif

/// Downloads model files over HTTP(S) so that a file at the destination is always complete and checked.
///
/// - **Atomic:** bytes go to a hidden temporary file next to the destination (`.<name>.<UUID>.partial`). It is
///   renamed onto the destination only once the body is complete (its size equals `Content-Length` when the server
///   sent one) and its SHA-256 matches when one is expected; otherwise it is deleted. A failed, cancelled or
///   interrupted download never leaves a file that looks complete, and never touches an existing destination.
///   Temporary files a killed process left are removed by the next download of the same destination once nothing
///   has written to them for twice `idleTimeout`; a live download holds a `flock` on its file, so one in another
///   process that is waiting out a retry's backoff, or has a longer idle timeout, keeps it.
/// - **Existing files:** when the destination exists and no checksum is expected, it is returned as is (only
///   complete files are ever renamed there). With a checksum, it is hashed: a match is returned without a request,
///   a mismatch is downloaded again and replaced only by the new, checked file.
/// - **Limit:** at most `maxConcurrentDownloads` run at once; the others wait in the order `download` was called.
///   A download keeps its slot through its retries and their backoff.
/// - **Retries:** network errors, truncated bodies, idle timeouts and HTTP 5xx/408/429 are retried up to `retries`
///   times, waiting ``RetryBackoff/delay(afterFailures:)`` on `clock` before each retry. Other 4xx statuses,
///   checksum mismatches and file-system errors fail at once (another attempt would get the same answer).
/// - **Timeout:** `idleTimeout` is per attempt and counts time *without a byte* (`URLRequest.timeoutInterval`), so a
///   large file on a slow but steady link is never cut off. `deadline`, when set, bounds the whole download
///   (attempts and backoff, from the moment its slot is granted) and fails it with `.deadlineExceeded`.
/// - **Resume:** when an attempt fails part-way and the server serves byte ranges (`Accept-Ranges: bytes`), the
///   retry asks only for the missing bytes (`Range`, with `If-Range` set to the `ETag` or `Last-Modified`) and
///   appends them; a server that answers `200` instead gets the whole file written again. The SHA-256 is always
///   over the whole file.
/// - **Single flight:** concurrent calls for the same destination (same URL and checksum) share one download and
///   all receive its progress.
/// - **Cancellation:** cancelling the calling task stops the transfer promptly and removes the temporary file
///   before `download` returns; a shared download goes on while any other caller still waits for it.
/// - **Local files:** a `file://` URL or a plain path is returned as is after checking that it exists.
///
/// ```swift
/// let downloads = DownloadManager(maxConcurrentDownloads: 2, idleTimeout: .seconds(30), retries: 3)
/// let file = try await downloads.download(
///     DownloadRequest(modelName: "iris", url: remoteURL, directory: modelsDirectory, expectedSHA256: sha)
/// ) { progress in
///     print(progress.modelName, progress.fraction ?? 0)
/// }
/// ```
package actor DownloadManager {
    /// What every download of this manager shares.
    struct Settings: Sendable {
        let configuration: URLSessionConfiguration
        let idleTimeout: Duration
        let retries: Int
        let backoff: RetryBackoff
        let deadline: Duration?
        let clock: any Clock<Duration>
    }

    private let settings: Settings
    private let slots: DownloadSlots
    /// The running downloads, by standardized destination path.
    private var flights: [String: DownloadFlight] = [:]

    /// Creates a download manager.
    /// - Parameters:
    ///   - maxConcurrentDownloads: How many downloads may transfer at once (at least 1); later ones wait in FIFO order.
    ///   - idleTimeout: How long an attempt may go without receiving a byte before it fails (and is retried).
    ///   - retries: How many times a failed attempt is retried (0 for a single attempt).
    ///   - backoff: How long to wait before each retry (the same policy as failed loads; 1 s doubling to 30 s).
    ///   - deadline: The longest a whole download may take, retries included; `nil` for no limit.
    ///   - configuration: The `URLSession` settings (proxies, headers, TLS…). The manager copies it, sets its
    ///     request timeout to `idleTimeout` and turns caching off. It takes a configuration rather than a session
    ///     because each attempt needs a session whose delegate streams the body to disk, and
    ///     swift-corelibs-foundation does not deliver data to task-level delegates.
    ///   - clock: The clock the backoff waits on; tests pass a manual clock.
    package init(
        maxConcurrentDownloads: Int = 2,
        idleTimeout: Duration = .seconds(60),
        retries: Int = 3,
        backoff: RetryBackoff = RetryBackoff(initial: .seconds(1), maximum: .seconds(30)),
        deadline: Duration? = nil,
        configuration: URLSessionConfiguration = .ephemeral,
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        precondition(idleTimeout > .zero, "DownloadManager.idleTimeout must be positive")
        precondition(retries >= 0, "DownloadManager.retries must not be negative")
        precondition(deadline.map { $0 > .zero } ?? true, "DownloadManager.deadline must be positive")
        let configuration = configuration.copy() as? URLSessionConfiguration ?? .ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout.seconds
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        settings = Settings(
            configuration: configuration, idleTimeout: idleTimeout, retries: retries, backoff: backoff,
            deadline: deadline, clock: clock
        )
        slots = DownloadSlots(limit: maxConcurrentDownloads)
    }

    /// Downloads `request.url` to `request.destination`, or joins the download already running for that destination.
    /// - Parameters:
    ///   - request: What to download, where to, and the expected SHA-256.
    ///   - progress: Receives ``DownloadProgress`` reports, on a networking thread; keep it quick.
    /// - Returns: The destination file (or, for a local `request.url`, that file).
    /// - Throws: ``DownloadError``: `.cancelled` when the calling task is cancelled; `.httpStatus`, `.network`,
    ///   `.truncated`, `.timedOut` when an attempt failed and no retries were allowed; `.retriesExhausted` when
    ///   every attempt failed; `.deadlineExceeded` past the total deadline; `.checksumMismatch`; `.fileSystem`; `.localFileMissing`; `.unsupportedURL`; and
    ///   `.conflictingDownload` when the destination is being downloaded from another URL or with another checksum.
    package func download(
        _ request: DownloadRequest,
        progress: @escaping @Sendable (DownloadProgress) -> Void = { _ in }
    ) async throws(DownloadError) -> URL {
        if request.isLocal { return try Self.existingLocalFile(request) }
        guard DownloadRequest.remoteURL(in: request.url.absoluteString) != nil else {
            throw .unsupportedURL(model: request.modelName, url: request.url)
        }
        let key = request.destination.standardizedFileURL.path
        if let running = flights[key] {
            if running.matches(request), let id = running.join(progress: progress) {
                return try await running.wait(id).get()
            }
            if running.isJoinable {
                throw .conflictingDownload(model: request.modelName, destination: key, runningURL: running.request.url)
            }
        }
        let flight = DownloadFlight(request: request)
        guard let id = flight.join(progress: progress) else { preconditionFailure("a new flight accepts callers") }
        flights[key] = flight
        let job = DownloadJob(
            request: request, settings: settings, slots: slots, ticket: slots.reserve(),
            report: { flight.report($0) }
        )
        flight.start(Task { [weak self] in
            let outcome = await job.run()
            await self?.remove(flight, key: key)
            flight.finish(outcome)
        })
        return try await flight.wait(id).get()
    }

    /// Downloads transferring (or checking an existing file) right now.
    package nonisolated var runningDownloads: Int { slots.running }

    /// Downloads waiting for a free slot.
    package nonisolated var queuedDownloads: Int { slots.waiting }

    /// How many callers wait for the download of `destination` (0 when none runs); for tests and diagnostics.
    /// - Parameter destination: A destination file.
    package func callers(of destination: URL) -> Int {
        flights[destination.standardizedFileURL.path]?.callerCount ?? 0
    }

    private func remove(_ flight: DownloadFlight, key: String) {
        if flights[key] === flight { flights[key] = nil }
    }

    private static func existingLocalFile(_ request: DownloadRequest) throws(DownloadError) -> URL {
        let file = request.localFile
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw .localFileMissing(model: request.modelName, path: file.path)
        }
        return file
    }
}
