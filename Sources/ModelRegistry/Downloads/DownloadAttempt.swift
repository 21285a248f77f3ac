import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP attempt: a fresh temporary file, a `URLSession` whose delegate streams the body into it, then the
/// checks (length, SHA-256) and the atomic rename onto the destination. Whatever happens, the temporary file is
/// gone when ``run()`` returns.
struct DownloadAttempt: Sendable {
    /// What to download.
    let request: DownloadRequest
    /// Which attempt this is, from 1.
    let number: Int
    /// The manager's session settings (idle timeout already applied).
    let configuration: URLSessionConfiguration
    /// How long the transfer may go without a byte.
    let idleTimeout: Duration
    /// Where progress reports go.
    let report: @Sendable (DownloadProgress) -> Void

    /// Runs the attempt; cancelling the calling task stops the transfer.
    /// - Returns: The destination, or why the attempt failed.
    func run() async -> Result<URL, DownloadError> {
        PartialFile.removeAbandoned(for: request, unmodifiedFor: idleTimeout * 2)
        let partial: PartialFile
        do {
            partial = try PartialFile(for: request)
        } catch {
            return .failure(error)
        }
        let delegate = TransferDelegate(
            request: request, file: partial.handle, idleTimeout: idleTimeout,
            meter: ProgressMeter(modelName: request.modelName, attempt: number), report: report
        )
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData)
        urlRequest.timeoutInterval = idleTimeout.seconds
        urlRequest.setValue("identity", forHTTPHeaderField: "Accept-Encoding")  // so Content-Length is the file size
        let task = session.dataTask(with: urlRequest)

        let ending = await withTaskCancellationHandler {
            await delegate.run(task)
        } onCancel: {
            delegate.cancel()
        }
        session.invalidateAndCancel()  // the session holds its delegate until invalidated
        switch ending {
        case .failed(let error):
            partial.discard()
            return .failure(error)
        case .received(_, let digest):
            let actual = SHA256.hex(digest)
            if let expected = request.expectedSHA256, expected != actual {
                partial.discard()
                return .failure(.checksumMismatch(model: request.modelName, url: request.url, expected: expected, actual: actual))
            }
            if Task.isCancelled {
                partial.discard()
                return .failure(.cancelled(model: request.modelName, url: request.url))
            }
            do {
                try partial.commit()
            } catch {
                return .failure(error)
            }
            return .success(request.destination)
        }
    }
}
