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

    /// Runs the download; cancelling the calling task stops it, wherever it is. When the manager has a total
    /// deadline, the attempts and the waits between them stop once it has passed since the slot was granted.
    /// - Returns: The destination, or why there is none.
    func run() async -> Result<URL, DownloadError> {
        let cancelled = DownloadError.cancelled(model: request.modelName, url: request.url)
        guard await slots.wait(for: ticket) else { return .failure(cancelled) }
        defer { slots.release() }
        guard !Task.isCancelled else { return .failure(cancelled) }  // the slot came just as the task was cancelled
        if await existingDestinationIsGood() { return .success(request.destination) }
        guard let deadline = settings.deadline else { return await attempts() }
        return await withTaskGroup(of: Result<URL, DownloadError>?.self) { group in
            group.addTask { await attempts() }
            group.addTask {
                do {
                    try await settings.clock.sleep(for: deadline)
                } catch {
                    return nil  // the attempts finished first
                }
                return .failure(.deadlineExceeded(model: request.modelName, url: request.url, deadline: deadline))
            }
            var result: Result<URL, DownloadError> = .failure(cancelled)
            for await case let first? in group {
                result = first
                break
            }
            group.cancelAll()
            return result
        }
    }

    /// The attempts with backoff between them, sharing one temporary file so that an attempt can continue where
    /// the previous one stopped. Whatever happens, the temporary file is gone when this returns.
    private func attempts() async -> Result<URL, DownloadError> {
        let cancelled = DownloadError.cancelled(model: request.modelName, url: request.url)
        PartialFile.removeAbandoned(for: request, unmodifiedFor: settings.idleTimeout * 2)
        let partial: PartialFile
        do {
            partial = try PartialFile(for: request)
        } catch {
            return .failure(error)
        }
        var attempt = 1
        var resume: ResumePoint?
        while true {
            if Task.isCancelled {
                partial.discard()
                return .failure(cancelled)
            }
            let outcome = await DownloadAttempt(
                request: request, number: attempt, partial: partial, resume: resume,
                configuration: settings.configuration, idleTimeout: settings.idleTimeout, report: report
            ).run()
            guard case .failed(let error, let next) = outcome else {
                guard case .completed(let url) = outcome else { preconditionFailure("an outcome is one of two") }
                return .success(url)
            }
            guard error.isRetryable, attempt <= settings.retries else {
                partial.discard()
                guard error.isRetryable, settings.retries > 0 else { return .failure(error) }
                return .failure(.retriesExhausted(model: request.modelName, url: request.url, attempts: attempt, lastError: error))
            }
            resume = next
            do {
                try await settings.clock.sleep(for: settings.backoff.delay(afterFailures: attempt))
            } catch {
                partial.discard()
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
        // Hashing a multi-gigabyte model takes seconds: not on a thread Swift's tasks share.
        let digest = await DedicatedThread.run("ModelRegistry.SHA256") { try? SHA256.hash(fileAt: destination) }
        return digest.map(SHA256.hex) == expected
    }
}
