import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Receives one HTTP attempt: checks the status, streams the body into the temporary file while hashing it, reports
/// progress, and hands the attempt its ``Ending`` when the transfer is over.
///
/// It is the delegate of its own `URLSession`: swift-corelibs-foundation ignores `URLSessionTask.delegate` for data
/// callbacks, so each attempt gets a session whose session-level delegate is this object.
final class TransferDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked: an NSObject subclass cannot be checked; every mutable field lives in `state`, behind a lock.

    /// How the transfer ended, before the file is checked against the expected checksum.
    enum Ending: Sendable {
        /// Every promised byte arrived; `digest` is their SHA-256.
        case received(bytes: Int64, digest: [UInt8])
        case failed(DownloadError)
    }

    private struct State {
        var file: FileHandle
        var hasher = SHA256()
        var meter: ProgressMeter
        var expected: Int64?
        /// Set when this object stopped the transfer (bad status, write error) before URLSession reports the end.
        var failure: DownloadError?
        var task: URLSessionDataTask?
        var cancelled = false
        var continuation: CheckedContinuation<Ending, Never>?
        var ending: Ending?
    }

    private let request: DownloadRequest
    private let idleTimeout: Duration
    private let report: @Sendable (DownloadProgress) -> Void
    private let state: Locked<State>

    /// Creates the delegate of one attempt.
    /// - Parameters:
    ///   - request: What is downloaded.
    ///   - file: The open temporary file the body goes to.
    ///   - idleTimeout: The idle timeout set on the request, for the error message.
    ///   - meter: Decides when progress is worth reporting.
    ///   - report: Receives the progress reports (called outside the lock, on the session's delegate queue).
    init(
        request: DownloadRequest, file: FileHandle, idleTimeout: Duration, meter: ProgressMeter,
        report: @escaping @Sendable (DownloadProgress) -> Void
    ) {
        self.request = request
        self.idleTimeout = idleTimeout
        self.report = report
        state = Locked(State(file: file, meter: meter))
    }

    /// Starts `task` and waits until the transfer ends, or until ``cancel()``.
    /// - Parameter task: A data task of a session whose delegate is this object.
    /// - Returns: How the transfer ended.
    func run(_ task: URLSessionDataTask) async -> Ending {
        await withCheckedContinuation { continuation in
            let endedEarly = state.withLock { state -> Ending? in
                if state.cancelled {
                    state.ending = .failed(.cancelled(model: request.modelName, url: request.url))
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
        let status = (response as? HTTPURLResponse)?.statusCode ?? 200
        guard (200..<300).contains(status) else {
            state.withLock { $0.failure = .httpStatus(model: request.modelName, url: request.url, status: status) }
            completionHandler(.cancel)
            return
        }
        // With a content encoding, Content-Length counts encoded bytes while the body arrives decoded: no check.
        let encoding = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Encoding")?.lowercased()
        let encoded = encoding.map { !$0.isEmpty && $0 != "identity" } ?? false
        let expected = response.expectedContentLength >= 0 && !encoded ? response.expectedContentLength : nil
        let progress = state.withLock { state in
            state.expected = expected
            return state.meter.start(totalBytes: expected)
        }
        report(progress)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let (stop, progress) = state.withLock { state -> (Bool, DownloadProgress?) in
            guard state.failure == nil else { return (false, nil) }
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
        if let failure = state.failure { return .failed(failure) }
        if state.cancelled { return .failed(.cancelled(model: model, url: url)) }
        if let error {
            let nsError = error as NSError
            if nsError.domain == NSURLErrorDomain, nsError.code == NSURLErrorTimedOut {
                return .failed(.timedOut(model: model, url: url, idle: idleTimeout))
            }
            if nsError.domain == NSURLErrorDomain, nsError.code == NSURLErrorCancelled {
                return .failed(.cancelled(model: model, url: url))
            }
            if let expected = state.expected, received < expected {
                return .failed(.truncated(model: model, url: url, received: received, expected: expected))
            }
            let reason = nsError.userInfo[NSLocalizedDescriptionKey] as? String ?? "\(error)"
            return .failed(.network(model: model, url: url, reason: reason))
        }
        if let expected = state.expected, received != expected {
            return .failed(.truncated(model: model, url: url, received: received, expected: expected))
        }
        return .received(bytes: received, digest: state.hasher.finalize())
    }
}
