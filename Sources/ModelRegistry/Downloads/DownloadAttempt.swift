import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP attempt: a `URLSession` whose delegate streams the body into the job's temporary file, then the checks
/// (length, SHA-256) and the atomic rename onto the destination. An attempt that continues an earlier one asks
/// only for the missing bytes (`Range`, guarded by `If-Range`).
struct DownloadAttempt: Sendable {
    /// How an attempt ended.
    enum Outcome: Sendable {
        /// The file is complete, checked and renamed onto the destination.
        case completed(URL)
        /// The attempt failed; `resume`, when set, lets the next attempt continue where this one stopped (the
        /// temporary file then still holds those bytes).
        case failed(DownloadError, resume: ResumePoint?)
    }

    /// What to download.
    let request: DownloadRequest
    /// Which attempt this is, from 1.
    let number: Int
    /// The temporary file, shared by the job's attempts.
    let partial: PartialFile
    /// What an earlier attempt left to continue from.
    let resume: ResumePoint?
    /// The manager's session settings (idle timeout already applied).
    let configuration: URLSessionConfiguration
    /// How long the transfer may go without a byte.
    let idleTimeout: Duration
    /// Where progress reports go.
    let report: @Sendable (DownloadProgress) -> Void

    /// Runs the attempt; cancelling the calling task stops the transfer.
    /// - Returns: The destination, or why the attempt failed and whether the next one can resume.
    func run() async -> Outcome {
        if resume == nil {
            do {
                try partial.handle.truncate(atOffset: 0)
            } catch {
                return .failed(partial.failure("empty the temporary file", error), resume: nil)
            }
        }
        let delegate = TransferDelegate(
            request: request, file: partial.handle, resumingFrom: resume, idleTimeout: idleTimeout,
            meter: ProgressMeter(modelName: request.modelName, attempt: number), report: report
        )
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData)
        urlRequest.timeoutInterval = idleTimeout.seconds
        urlRequest.setValue("identity", forHTTPHeaderField: "Accept-Encoding")  // so Content-Length is the file size
        if let resume {
            urlRequest.setValue("bytes=\(resume.bytes)-", forHTTPHeaderField: "Range")
            urlRequest.setValue(resume.validator, forHTTPHeaderField: "If-Range")
        }
        let task = session.dataTask(with: urlRequest)

        let ending = await withTaskCancellationHandler {
            await delegate.run(task)
        } onCancel: {
            delegate.cancel()
        }
        session.invalidateAndCancel()  // the session holds its delegate until invalidated
        switch ending {
        case .failed(let error, let resume):
            return .failed(error, resume: error.isRetryable ? resume : nil)
        case .received(_, let digest):
            let actual = SHA256.hex(digest)
            if let expected = request.expectedSHA256, expected != actual {
                return .failed(
                    .checksumMismatch(model: request.modelName, url: request.url, expected: expected, actual: actual),
                    resume: nil)
            }
            if Task.isCancelled { return .failed(.cancelled(model: request.modelName, url: request.url), resume: nil) }
            do {
                try partial.commit()
            } catch {
                return .failed(error, resume: nil)
            }
            return .completed(request.destination)
        }
    }
}
