public import Foundation

/// Everything ``DownloadManager`` can throw. Each message names the model and the URL or file, says what went
/// wrong, and what to do next. Whatever the error, the destination file was not created or changed, and no
/// temporary file was left behind.
public enum DownloadError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// The server answered with a status other than 2xx. 5xx, 408 and 429 are retried; other statuses are not.
    case httpStatus(model: String, url: URL, status: Int)
    /// The connection failed (refused, reset, DNS, TLS…); retried. `reason` is the system's message.
    case network(model: String, url: URL, reason: String)
    /// The connection ended before all the bytes `Content-Length` promised arrived; retried.
    case truncated(model: String, url: URL, received: Int64, expected: Int64)
    /// No byte arrived for `idle`; retried.
    case timedOut(model: String, url: URL, idle: Duration)
    /// The whole file arrived but its SHA-256 is not the expected one; not retried (the server serves another
    /// file than the configuration expects).
    case checksumMismatch(model: String, url: URL, expected: String, actual: String)
    /// Every attempt failed with an error that is retried; `lastError` is the last attempt's error.
    indirect case retriesExhausted(model: String, url: URL, attempts: Int, lastError: DownloadError)
    /// The calling task was cancelled.
    case cancelled(model: String, url: URL)
    /// The download, retries included, took longer than the manager's total `deadline`; not retried.
    case deadlineExceeded(model: String, url: URL, deadline: Duration)
    /// A file operation on the destination, its directory or the temporary file failed; not retried.
    case fileSystem(model: String, path: String, operation: String, reason: String)
    /// A `file://` URL or plain path names a file that does not exist.
    case localFileMissing(model: String, path: String)
    /// The URL's scheme is neither `http`, `https` nor `file`.
    case unsupportedURL(model: String, url: URL)
    /// Another download for the same destination, from another URL or with another checksum, is running.
    case conflictingDownload(model: String, destination: String, runningURL: URL)

    /// Whether another attempt may succeed: network errors, truncation, timeouts, 5xx, 408 and 429.
    public var isRetryable: Bool {
        switch self {
        case .network, .truncated, .timedOut: true
        case .httpStatus(_, _, let status): status >= 500 || status == 408 || status == 429
        case .checksumMismatch, .retriesExhausted, .cancelled, .deadlineExceeded, .fileSystem, .localFileMissing, .unsupportedURL,
             .conflictingDownload:
            false
        }
    }

    /// The error of the last attempt: `lastError` of ``retriesExhausted(model:url:attempts:lastError:)``, else
    /// the error itself.
    public var lastAttemptError: DownloadError {
        if case .retriesExhausted(_, _, _, let lastError) = self { return lastError.lastAttemptError }
        return self
    }

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .httpStatus(let model, let url, let status):
            "model \"\(model)\": \(url.absoluteString) answered HTTP \(status)"
                + (status == 404 || status == 410 ? "; check the model's URL" : "; check the server or retry later")
        case .network(let model, let url, let reason):
            "model \"\(model)\": cannot download \(url.absoluteString): \(reason); check the network and the host"
        case .truncated(let model, let url, let received, let expected):
            "model \"\(model)\": the download of \(url.absoluteString) ended after \(received) of \(expected) bytes; "
                + "retry later"
        case .timedOut(let model, let url, let idle):
            "model \"\(model)\": no data from \(url.absoluteString) for \(idle); check the server or raise the "
                + "download idle timeout"
        case .checksumMismatch(let model, let url, let expected, let actual):
            "model \"\(model)\": \(url.absoluteString) has SHA-256 \(actual), expected \(expected); the file was "
                + "discarded: check the URL and the expected checksum"
        case .retriesExhausted(let model, let url, let attempts, let lastError):
            "model \"\(model)\": giving up on \(url.absoluteString) after \(attempts) attempts; last error: \(lastError)"
        case .cancelled(let model, let url):
            "model \"\(model)\": the download of \(url.absoluteString) was cancelled; download again to retry"
        case .deadlineExceeded(let model, let url, let deadline):
            "model \"\(model)\": the download of \(url.absoluteString) did not finish within its deadline of "
                + "\(deadline); raise the download deadline or check the link's speed"
        case .fileSystem(let model, let path, let operation, let reason):
            "model \"\(model)\": cannot \(operation) \(path): \(reason); check the directory's permissions and free space"
        case .localFileMissing(let model, let path):
            "model \"\(model)\": the file \(path) does not exist; fix the model's path"
        case .unsupportedURL(let model, let url):
            "model \"\(model)\": cannot download \(url.absoluteString); use an http, https or file URL, or a path"
        case .conflictingDownload(let model, let destination, let runningURL):
            "model \"\(model)\": \(destination) is being downloaded from \(runningURL.absoluteString) with another URL "
                + "or checksum; give each model its own destination"
        }
    }

    /// The same text as ``description``, for Foundation's error reporting.
    public var errorDescription: String? { description }
}
