/// How long ``DownloadManager`` waits before retrying a failed attempt: ``initial`` before the first retry, then
/// double the previous wait, never more than ``maximum``.
///
/// ```swift
/// let backoff = DownloadBackoff(initial: .milliseconds(500), maximum: .seconds(8))
/// backoff.delay(beforeRetry: 1)   // 0.5 s
/// backoff.delay(beforeRetry: 3)   // 2 s
/// backoff.delay(beforeRetry: 10)  // 8 s
/// ```
public struct DownloadBackoff: Sendable, Hashable {
    /// The wait before the first retry.
    public var initial: Duration
    /// The longest wait.
    public var maximum: Duration

    /// Creates a backoff policy.
    /// - Parameters:
    ///   - initial: The wait before the first retry (at least zero).
    ///   - maximum: The longest wait (at least `initial`).
    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(30)) {
        precondition(initial >= .zero, "DownloadBackoff.initial must not be negative")
        precondition(maximum >= initial, "DownloadBackoff.maximum must be at least initial")
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait before a retry.
    /// - Parameter retry: Which retry, from 1.
    /// - Returns: `initial × 2^(retry − 1)`, capped at ``maximum``.
    public func delay(beforeRetry retry: Int) -> Duration {
        var delay = initial
        for _ in 1..<max(1, retry) {
            delay *= 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }
}
