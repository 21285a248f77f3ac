import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The whole life of one download: wait for a slot, reuse a destination that is already good, then attempts with
/// backoff between them.
struct DownloadJob: Sendable {
    let request: DownloadRequest
    let settings: DownloadManager.Settings
    let slots: DownloadSlots
    let ticket: DownloadSlots.Ticket
    let report: @Sendable (DownloadProgress) -> Void

    /// Runs the download; cancelling the calling task stops it, wherever it is.
    /// - Returns: The destination, or why there is none.
    func run() async -> Result<URL, DownloadError> {
        let cancelled = DownloadError.cancelled(model: request.modelName, url: request.url)
        guard await slots.wait(for: ticket) else { return .failure(cancelled) }
        defer { slots.release() }
        if await existingDestinationIsGood() { return .success(request.destination) }

        var attempt = 1
        while true {
            if Task.isCancelled { return .failure(cancelled) }
            let outcome = await DownloadAttempt(
                request: request, number: attempt, configuration: settings.configuration,
                idleTimeout: settings.idleTimeout, report: report
            ).run()
            guard case .failure(let error) = outcome, error.isRetryable else { return outcome }
            guard attempt <= settings.retries else {
                guard settings.retries > 0 else { return outcome }
                return .failure(.retriesExhausted(model: request.modelName, url: request.url, attempts: attempt, lastError: error))
            }
            do {
                try await settings.clock.sleep(for: settings.backoff.delay(afterFailures: attempt))
            } catch {
                return .failure(cancelled)
            }
            attempt += 1
        }
    }

    /// Whether the destination already holds the file: it exists and, when a checksum is expected, matches it.
    /// Files only ever land there complete (by rename), so without a checksum an existing file is taken as is.
    private func existingDestinationIsGood() async -> Bool {
        let destination = request.destination
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory), !isDirectory.boolValue
        else { return false }
        guard let expected = request.expectedSHA256 else { return true }
        let digest = await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
            // Hashing a multi-gigabyte model takes seconds: keep it off the cooperative thread pool.
            DispatchQueue.global().async {
                continuation.resume(returning: try? SHA256.hash(fileAt: destination))
            }
        }
        return digest.map(SHA256.hex) == expected
    }
}
