import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Receives one HTTP attempt: checks the status, streams the body into the temporary file while hashing it, reports
/// progress, and hands the attempt its ``Ending`` when the transfer is over.
///
/// An attempt that continues an earlier one (``ResumePoint``) asked for the rest with a `Range` header: a `206` whose
/// `Content-Range` starts where the file ends appends to it and goes on hashing from the earlier state; a `200`
/// (the server ignored the range, or the file changed and `If-Range` no longer matched) empties the file and starts
/// over, so the checksum always covers the whole file.
///
/// It is the delegate of its own `URLSession`: swift-corelibs-foundation ignores `URLSessionTask.delegate` for data
/// callbacks, so each attempt gets a session whose session-level delegate is this object.
final class TransferDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked: an NSObject subclass cannot be checked; every mutable field lives in `state`, behind a lock.

    /// How the transfer ended, before the file is checked against the expected checksum.
    enum Ending: Sendable {
        /// Every promised byte arrived; `digest` is their SHA-256.
        case received(bytes: Int64, digest: [UInt8])
        /// The attempt failed; `resume` says how the next attempt can continue, when the server allows ranges.
        case failed(DownloadError, resume: ResumePoint?)
    }

    private struct State {
        var file: FileHandle
        var hasher: SHA256
        var meter: ProgressMeter
        var expected: Int64?
        /// Whether the server said it serves byte ranges of this file (`Accept-Ranges: bytes`, or a `206`).
        var acceptsRanges = false
        /// The response's `ETag`, else its `Last-Modified`: what the next attempt's `If-Range` sends.
        var validator: String?
        /// Set when this object stopped the transfer (bad status, write error) before URLSession reports the end.
        var failure: DownloadError?
        /// Whether this attempt changed the temporary file (wrote to it or emptied it); until it does, the file still
        /// holds what the attempt resumed from, so a failure keeps that resume point.
        var changedFile = false
        /// Set when the server showed that the file changed since the resume point was taken.
        var resumeIsStale = false
        var task: URLSessionDataTask?
        var cancelled = false
        var continuation: CheckedContinuation<Ending, Never>?
        var ending: Ending?
    }

    private let request: DownloadRequest
    private let resumingFrom: ResumePoint?
    private let idleTimeout: Duration
    private let report: @Sendable (DownloadProgress) -> Void
    private let state: Locked<State>

    /// Creates the delegate of one attempt.
    /// - Parameters:
    ///   - request: What is downloaded.
    ///   - file: The open temporary file the body goes to.
    ///   - resumingFrom: What an earlier attempt left in `file`, when this attempt asked for the rest.
    ///   - idleTimeout: The idle timeout set on the request, for the error message.
    ///   - meter: Decides when progress is worth reporting.
    ///   - report: Receives the progress reports (called outside the lock, on the session's delegate queue).
    init(
        request: DownloadRequest, file: FileHandle, resumingFrom: ResumePoint?, idleTimeout: Duration,
        meter: ProgressMeter, report: @escaping @Sendable (DownloadProgress) -> Void
    ) {
        self.request = request
        self.resumingFrom = resumingFrom
        self.idleTimeout = idleTimeout
        self.report = report
        state = Locked(State(file: file, hasher: resumingFrom?.hasher ?? SHA256(), meter: meter))
    }

    /// Starts `task` and waits until the transfer ends, or until ``cancel()``.
    /// - Parameter task: A data task of a session whose delegate is this object.
    /// - Returns: How the transfer ended.
    func run(_ task: URLSessionDataTask) async -> Ending {
        await withCheckedContinuation { continuation in
            let endedEarly = state.withLock { state -> Ending? in
                if state.cancelled {
                    state.ending = .failed(.cancelled(model: request.modelName, url: request.url), resume: nil)
                }
                if let ending = state.ending { return ending }
                state.continuation = continuation
                state.task = task
                return nil
            }
            if let endedEarly {
                continuation.resume(returning: endedEarly)
            } else {
                task.resume()
            }
        }
    }

    /// Stops the transfer; ``run(_:)`` then returns ``DownloadError/cancelled(model:url:)``.
    func cancel() {
        let task = state.withLock { state in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }

    // MARK: - URLSessionDataDelegate

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let http = response as? HTTPURLResponse
        let status = http?.statusCode ?? 200
        guard (200..<300).contains(status) else {
            state.withLock { $0.failure = .httpStatus(model: request.modelName, url: request.url, status: status) }
            completionHandler(.cancel)
            return
        }
        // With a content encoding, Content-Length counts encoded bytes while the body arrives decoded: no check.
        let encoding = http?.value(forHTTPHeaderField: "Content-Encoding")?.lowercased()
        let encoded = encoding.map { !$0.isEmpty && $0 != "identity" } ?? false
        let length = response.expectedContentLength >= 0 && !encoded ? response.expectedContentLength : nil
        let range = status == 206 ? http?.value(forHTTPHeaderField: "Content-Range").flatMap(ContentRange.init) : nil
        let progress = state.withLock { state -> DownloadProgress? in
            state.acceptsRanges = status == 206
                || http?.value(forHTTPHeaderField: "Accept-Ranges")?.lowercased() == "bytes"
            state.validator = http?.value(forHTTPHeaderField: "ETag") ?? http?.value(forHTTPHeaderField: "Last-Modified")
            if let resume = resumingFrom, let range, range.start == resume.bytes {
                if let total = resume.total, let now = range.total, total != now {
                    state.failure = .network(
                        model: request.modelName, url: request.url,
                        reason: "the file changed on the server (\(total) bytes, now \(now)); it is fetched again whole")
                    state.resumeIsStale = true
                    return nil
                }
                state.expected = range.total ?? length.map { resume.bytes + $0 }
                return state.meter.start(totalBytes: state.expected, alreadyReceived: resume.bytes)
            }
            if status == 206 {  // a range this attempt did not ask for: refuse it rather than misplace bytes
                state.failure = .network(
                    model: request.modelName, url: request.url,
                    reason: "the server answered a range request with an unexpected Content-Range")
                state.acceptsRanges = false
                return nil
            }
            if resumingFrom != nil {  // the whole file came back: start it over
                state.changedFile = true
                do {
                    try state.file.truncate(atOffset: 0)
                } catch {
                    state.failure = .fileSystem(
                        model: request.modelName, path: request.destination.path,
                        operation: "empty the partial download next to", reason: "\(error)")
                    return nil
                }
                state.hasher = SHA256()
            }
            state.expected = length
            return state.meter.start(totalBytes: length, alreadyReceived: 0)
        }
        guard let progress else {
            completionHandler(.cancel)
            return
        }
        report(progress)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let (stop, progress) = state.withLock { state -> (Bool, DownloadProgress?) in
            guard state.failure == nil else { return (false, nil) }
            state.changedFile = true
            do {
                try state.file.write(contentsOf: data)
            } catch {
                state.failure = .fileSystem(
                    model: request.modelName, path: request.destination.path, operation: "write the download next to",
                    reason: "\(error)"
                )
                return (true, nil)
            }
            state.hasher.update(data)
            return (false, state.meter.add(Int64(data.count)))
        }
        if let progress { report(progress) }
        if stop { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (ending, progress, continuation) = state.withLock {
            state -> (Ending, DownloadProgress?, CheckedContinuation<Ending, Never>?) in
            let result = classify(&state, error: error)
            state.ending = result
            defer { state.continuation = nil }
            guard case .received = result else { return (result, nil, state.continuation) }
            return (result, state.meter.finish(), state.continuation)
        }
        if let progress { report(progress) }
        continuation?.resume(returning: ending)
    }

    /// Classifies the end of the transfer.
    private func classify(_ state: inout State, error: (any Error)?) -> Ending {
        let (model, url) = (request.modelName, request.url)
        let received = state.meter.bytesReceived
        if let failure = state.failure { return .failed(failure, resume: unchangedResumePoint(state)) }
        if state.cancelled { return .failed(.cancelled(model: model, url: url), resume: nil) }
        if let error {
            let nsError = error as NSError
            if nsError.domain == NSURLErrorDomain, nsError.code == NSURLErrorCancelled {
                return .failed(.cancelled(model: model, url: url), resume: nil)
            }
            let failure: DownloadError
            if nsError.domain == NSURLErrorDomain, nsError.code == NSURLErrorTimedOut {
                failure = .timedOut(model: model, url: url, idle: idleTimeout)
            } else if let expected = state.expected, received < expected {
                failure = .truncated(model: model, url: url, received: received, expected: expected)
            } else {
                let reason = nsError.userInfo[NSLocalizedDescriptionKey] as? String ?? "\(error)"
                failure = .network(model: model, url: url, reason: reason)
            }
            return .failed(failure, resume: resumePoint(state))
        }
        if let expected = state.expected, received != expected {
            return .failed(.truncated(model: model, url: url, received: received, expected: expected), resume: resumePoint(state))
        }
        return .received(bytes: received, digest: state.hasher.finalize())
    }

    /// Where the next attempt can continue: the bytes written so far, when the server serves ranges of this file and
    /// names its version (a validator for `If-Range`); an attempt that failed before changing the file leaves the
    /// point it started from.
    private func resumePoint(_ state: State) -> ResumePoint? {
        if let unchanged = unchangedResumePoint(state) { return unchanged }
        let bytes = state.meter.bytesReceived
        guard state.changedFile, state.acceptsRanges, bytes > 0, let validator = state.validator else { return nil }
        return ResumePoint(bytes: bytes, hasher: state.hasher, validator: validator, total: state.expected)
    }

    /// The point this attempt resumed from, while the file still holds exactly it (nothing written or emptied, and
    /// the server gave no sign the file changed): a retry that failed before its first byte loses nothing.
    private func unchangedResumePoint(_ state: State) -> ResumePoint? {
        state.changedFile || state.resumeIsStale ? nil : resumingFrom
    }
}
